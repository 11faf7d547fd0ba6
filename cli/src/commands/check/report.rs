//! What `gradproof check` prints: one line per claim and every failure in full, with a
//! summary; or one JSON document.

use gradproof::expr::{summary, ClaimReport, Proof, Verdict};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::grad_file::GradFile;

/// One file's claims and their verification.
pub struct Checked<'a> {
    /// The file.
    pub file: &'a GradFile,
    /// One report per expanded claim, in source order.
    pub reports: Vec<ClaimReport>,
    /// For a document: which reports hold only within the rounding of its printed
    /// numbers (`rounded`, not `tested`). Empty for a `.grad` file, which has no
    /// rounding.
    pub rounded: Vec<bool>,
}

impl Checked<'_> {
    /// Whether report `i` holds only within the rounding of the printed numbers.
    fn is_rounded(&self, i: usize) -> bool {
        self.rounded.get(i).copied().unwrap_or(false)
    }
}

/// Counts over every file.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Totals {
    /// Claims proved or tested.
    pub held: usize,
    /// Claims with a counterexample.
    pub failed: usize,
    /// Claims neither proved, tested nor refuted.
    pub undecided: usize,
    /// Of the held claims, the proved ones.
    pub proved: usize,
    /// Of the held claims, those that hold at the points tested but are not proved.
    pub tested: usize,
    /// Of the held claims, those of a document that hold at its values within the
    /// rounding of its printed numbers (not counted in `tested`).
    pub rounded: usize,
}

impl Totals {
    /// The counts of every file's reports.
    pub fn of(checked: &[Checked<'_>]) -> Totals {
        let mut t = Totals::default();
        let reports = checked.iter().flat_map(|c| {
            c.reports
                .iter()
                .enumerate()
                .map(move |(i, r)| (r, c.is_rounded(i)))
        });
        for (report, rounded) in reports {
            match report.verdict {
                Verdict::Proved { .. } => t.proved += 1,
                Verdict::Holds { .. } if rounded => t.rounded += 1,
                Verdict::Holds { .. } => t.tested += 1,
                Verdict::Fails(_) => t.failed += 1,
                Verdict::Undecided { .. } => t.undecided += 1,
            }
        }
        t.held = t.proved + t.tested + t.rounded;
        t
    }

    /// How the held claims hold: `2 proved, 4 tested at points`, and the claims that
    /// hold within the printed rounding when there are any.
    fn held_kinds(&self) -> String {
        let mut kinds = format!("{} proved, {} tested at points", self.proved, self.tested);
        if self.rounded > 0 {
            kinds.push_str(&format!(", {} within the printed rounding", self.rounded));
        }
        kinds
    }

    /// Whether every claim holds (none failed, none undecided).
    pub fn all_hold(&self) -> bool {
        self.failed == 0 && self.undecided == 0
    }

    fn total(&self) -> usize {
        self.held + self.failed + self.undecided
    }
}

/// The word for a claim of a document that holds at its values within the rounding of
/// its printed numbers: neither proved nor tested at random points.
const ROUNDED: &str = "rounded";

/// The verdict's name in the report and the JSON document.
fn verdict_name(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Proved { .. } => "proved",
        Verdict::Holds { .. } => "tested",
        Verdict::Fails(_) => "failed",
        Verdict::Undecided { .. } => "undecided",
    }
}

/// Prints one line per claim (verdict, line, text), every failed or undecided claim's
/// report in full under its line, a summary per file and the totals.
pub fn print_human(checked: &[Checked<'_>], totals: &Totals) {
    for (n, c) in checked.iter().enumerate() {
        if n > 0 {
            outln!();
        }
        outln!("{}", c.file.path);
        let width = c
            .reports
            .iter()
            .map(|r| r.claim.line.to_string().len())
            .max()
            .unwrap_or(1);
        for (i, report) in c.reports.iter().enumerate() {
            let shown = match report.verdict {
                Verdict::Fails(_) => "FAILED",
                Verdict::Undecided { .. } => "UNDECIDED",
                Verdict::Holds { .. } if c.is_rounded(i) => ROUNDED,
                _ => verdict_name(&report.verdict),
            };
            let text = &report.claim.text;
            // A shaped claim says its shape and, if it fails, the entry.
            let shape = match (&report.claim.shape, &report.verdict) {
                (Some(s), Verdict::Fails(c)) => match c.entry {
                    Some((i, j)) => format!("   [{s}; entry ({i}, {j}) fails]"),
                    None => format!("   [{s}]"),
                },
                (Some(s), _) => format!("   [{s}]"),
                (None, _) => String::new(),
            };
            outln!(
                "  {shown:<9} line {:>width$}  {}{shape}",
                report.claim.line,
                text.strip_prefix("claim ").unwrap_or(text)
            );
            if matches!(
                report.verdict,
                Verdict::Fails(_) | Verdict::Undecided { .. }
            ) || report.one_sided.is_some()
            {
                // The report's first line repeats the claim; the rest says why (or, for
                // a claim that holds, where its sides are defined on different domains).
                for line in report.to_string().lines().skip(1) {
                    outln!("          {line}");
                }
            }
        }
        if c.reports.is_empty() {
            outln!("  (no claims)");
        } else if checked.len() > 1 {
            outln!("  {}", summary(&c.reports));
        }
    }
    outln!();
    let files = if checked.len() == 1 {
        String::new()
    } else {
        format!(" in {} files", checked.len())
    };
    let claims = if totals.total() == 1 {
        "claim"
    } else {
        "claims"
    };
    if totals.all_hold() && totals.total() == 1 {
        outln!("the 1 claim{files} holds ({})", totals.held_kinds());
    } else if totals.all_hold() {
        outln!(
            "all {} claims{files} hold ({})",
            totals.total(),
            totals.held_kinds()
        );
    } else {
        let mut problems = Vec::new();
        if totals.failed > 0 {
            problems.push(format!("{} FAILED", totals.failed));
        }
        if totals.undecided > 0 {
            problems.push(format!("{} UNDECIDED", totals.undecided));
        }
        outln!(
            "of {} {claims}{files}, {}; {} hold ({})",
            totals.total(),
            problems.join(", "),
            totals.held,
            totals.held_kinds()
        );
    }
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    claims: Vec<ClaimJson<'a>>,
    #[serde(flatten)]
    totals: Totals,
}

/// One expanded claim in a `--json` document.
#[derive(Serialize)]
pub struct ClaimJson<'a> {
    file: &'a str,
    line: usize,
    text: &'a str,
    /// The `for` indices of this expansion.
    bindings: Map<String, Value>,
    holds: bool,
    verdict: &'static str,
    /// Both sides at the file's values.
    values: Sides,
    /// For a claim between vectors or matrices: their shape (the verdict covers every
    /// entry; `values` are entry (1, 1)'s).
    #[serde(skip_serializing_if = "Option::is_none")]
    shape: Option<ShapeJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    atoms: Option<usize>,
    /// For a claim proved by the randomised identity test: the bound on the chance
    /// that a false claim passes it (absent for proofs by normal forms, which are exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    error_probability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    points: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterexample: Option<CounterexampleJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<&'a str>,
    /// Points where one side is finite and the other is not (different domains).
    #[serde(skip_serializing_if = "Option::is_none")]
    one_sided: Option<OneSidedJson>,
    /// The report as `gradproof check` prints it.
    report: String,
}

#[derive(Serialize)]
struct OneSidedJson {
    points: usize,
    of: usize,
    point: Map<String, Value>,
    left: f64,
    right: f64,
}

#[derive(Serialize)]
struct ShapeJson {
    rows: usize,
    cols: usize,
}

#[derive(Serialize)]
struct Sides {
    left: f64,
    right: f64,
}

#[derive(Serialize)]
struct CounterexampleJson<'a> {
    point: Map<String, Value>,
    at_file_values: bool,
    holds_at_file_values: bool,
    left: f64,
    right: f64,
    difference: f64,
    tolerance: f64,
    exact: bool,
    /// For a shaped claim: the entry that fails, 1-based `[row, column]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<[usize; 2]>,
    /// The `input`s the point moved from the file's values.
    moved_inputs: &'a [String],
}

impl ClaimJson<'_> {
    /// The entry of a claim that holds only within the rounding of a document's
    /// printed numbers: its verdict is `rounded` (its `reason` says so in full).
    pub fn within_rounding(mut self) -> Self {
        if self.holds {
            self.verdict = ROUNDED;
        }
        self
    }
}

/// One claim's entry in a `--json` document (also the walkthrough's).
pub fn claim_json<'a>(file: &'a str, report: &'a ClaimReport) -> ClaimJson<'a> {
    let claim = &report.claim;
    let mut json = ClaimJson {
        file,
        line: claim.line,
        text: &claim.text,
        bindings: claim
            .bindings
            .iter()
            .map(|(name, value)| (name.clone(), Value::from(*value)))
            .collect(),
        holds: report.verdict.holds(),
        verdict: verdict_name(&report.verdict),
        values: Sides {
            left: report.values.0,
            right: report.values.1,
        },
        shape: claim.shape.map(|s| ShapeJson {
            rows: s.rows,
            cols: s.cols,
        }),
        atoms: None,
        error_probability: None,
        points: None,
        reason: None,
        counterexample: None,
        diagnosis: None,
        one_sided: report.one_sided.as_ref().map(|o| OneSidedJson {
            points: o.points,
            of: o.of,
            point: o
                .point
                .iter()
                .map(|(n, v)| (n.clone(), Value::from(*v)))
                .collect(),
            left: o.lhs,
            right: o.rhs,
        }),
        report: report.to_string(),
    };
    match &report.verdict {
        Verdict::Proved { atoms, proof } => {
            json.atoms = Some(*atoms);
            if let Proof::IdentityTest { error, .. } = proof {
                json.error_probability = Some(*error);
            }
        }
        Verdict::Holds { points, reason } => {
            json.points = Some(*points);
            json.reason = Some(reason);
        }
        Verdict::Undecided { reason } => json.reason = Some(reason),
        Verdict::Fails(c) => {
            json.counterexample = Some(CounterexampleJson {
                point: c
                    .point
                    .iter()
                    .map(|(n, v)| (n.clone(), Value::from(*v)))
                    .collect(),
                at_file_values: c.at_file_values,
                holds_at_file_values: c.holds_at_file_values,
                left: c.lhs,
                right: c.rhs,
                difference: (c.lhs - c.rhs).abs(),
                tolerance: c.tolerance,
                exact: c.exact,
                entry: c.entry.map(|(i, j)| [i, j]),
                moved_inputs: &c.moved_inputs,
            });
            json.diagnosis = c.diagnosis.as_deref();
        }
    }
    json
}

/// Prints the `--json` document.
pub fn print_json(checked: &[Checked<'_>], totals: &Totals) -> Result<(), CliError> {
    let claims = checked
        .iter()
        .flat_map(|c| c.reports.iter().map(|r| claim_json(&c.file.path, r)))
        .collect();
    crate::output::print_json(&Document {
        claims,
        totals: *totals,
    })
}

//! What a check found: per entry the value under test, its reference, their errors, the
//! tolerance applied and a status; worst offenders first; a summary line.

use std::cmp::Ordering;
use std::fmt;

/// What a check concluded, as a whole: the one answer every report gives
/// ([`Report::verdict`], [`TaylorReport::verdict`](super::TaylorReport::verdict)).
/// Only [`Verdict::Passed`] is a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Verdict {
    /// Every entry agrees with its reference within a tolerance small against it.
    Passed,
    /// Some value under test is wrong: outside its tolerance.
    Failed,
    /// The function has a kink at the point (left and right derivatives differ) and
    /// nothing was found wrong elsewhere. `between` says whether every value under
    /// test at a kink lies between its one-sided derivatives (a valid subgradient,
    /// such as `relu′(0) = 0`).
    Kink {
        /// Whether each value at a kink lies between the one-sided derivatives.
        between: bool,
    },
    /// A value, a derivative or a reference is NaN or infinite.
    NotFinite,
    /// The evidence could not decide: no reference accurate enough, or no order
    /// readable above rounding. The report says why.
    Inconclusive,
}

impl Verdict {
    /// The verdict of a set of entry statuses: not finite before failed before kink
    /// before inconclusive before passed.
    pub(crate) fn of(statuses: impl Iterator<Item = Status> + Clone) -> Verdict {
        if statuses.clone().any(|s| s == Status::NotFinite) {
            return Verdict::NotFinite;
        }
        if statuses.clone().any(|s| s == Status::Disagrees) {
            return Verdict::Failed;
        }
        let mut kinks = statuses.clone().filter_map(|s| match s {
            Status::Kink {
                analytic_between, ..
            } => Some(analytic_between),
            _ => None,
        });
        if let Some(first) = kinks.next() {
            return Verdict::Kink {
                between: first && kinks.all(|b| b),
            };
        }
        if statuses.clone().any(|s| s == Status::Inconclusive) {
            return Verdict::Inconclusive;
        }
        Verdict::Passed
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "FAILED",
            Verdict::Kink { between: true } => {
                "KINK (your value between the one-sided derivatives)"
            }
            Verdict::Kink { between: false } => {
                "KINK (your value outside the one-sided derivatives)"
            }
            Verdict::NotFinite => "NOT FINITE",
            Verdict::Inconclusive => "INCONCLUSIVE",
        })
    }
}

/// Which comparison a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum CheckKind {
    /// A gradient against finite differences, per coordinate.
    Gradient,
    /// A user's gradient function (a hand-written backward pass) against the tape.
    Backward,
    /// Reverse mode `v·∇f` against forward mode `∇f·v` along random directions.
    ForwardReverse,
    /// A Jacobian against finite differences, row by row.
    Jacobian,
    /// A user's update step against `w − η∇L`.
    Update,
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CheckKind::Gradient => "gradient check",
            CheckKind::Backward => "backward-pass check",
            CheckKind::ForwardReverse => "forward/reverse check",
            CheckKind::Jacobian => "Jacobian check",
            CheckKind::Update => "update-step check",
        })
    }
}

/// Where in the checked object an entry sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Position {
    /// Coordinate `i` of a gradient or of a weight vector.
    Coordinate(usize),
    /// `∂f_output/∂x_input`.
    Jacobian {
        /// The row.
        output: usize,
        /// The column.
        input: usize,
    },
    /// The `k`-th random direction.
    Direction(usize),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Coordinate(i) => write!(f, "x[{i}]"),
            Position::Jacobian { output, input } => write!(f, "∂f[{output}]/∂x[{input}]"),
            Position::Direction(k) => write!(f, "v{k}"),
        }
    }
}

/// The verdict on one entry.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Status {
    /// Within tolerance.
    Agrees,
    /// Outside tolerance: the value under test is wrong (or the tolerance too tight).
    Disagrees,
    /// The function is not differentiable here (within the steps finite differences
    /// took): the left and right derivatives differ. Never a pass.
    Kink {
        /// The left derivative (backward differences, extrapolated).
        left: f64,
        /// The right derivative (forward differences, extrapolated).
        right: f64,
        /// Whether the value under test lies between them (within tolerance): a valid
        /// subgradient of a convex kink, such as `relu'(0) = 0`.
        analytic_between: bool,
    },
    /// The value under test, the reference or the function is NaN or infinite. Never a
    /// pass.
    NotFinite,
    /// The reference could not be made accurate enough to judge the entry: its error
    /// bound is not small next to the entry it would judge. Never a pass.
    Inconclusive,
}

impl Status {
    /// Sort rank, most severe first.
    fn rank(&self) -> u8 {
        match self {
            Status::NotFinite => 0,
            Status::Disagrees => 1,
            Status::Kink { .. } => 2,
            Status::Inconclusive => 3,
            Status::Agrees => 4,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Agrees => f.write_str("agrees"),
            Status::Disagrees => f.write_str("DISAGREES"),
            Status::Kink {
                left,
                right,
                analytic_between,
            } => write!(
                f,
                "KINK: left {left:.6e}, right {right:.6e}, analytic {}",
                if *analytic_between {
                    "between them"
                } else {
                    "outside them"
                }
            ),
            Status::NotFinite => f.write_str("NOT FINITE"),
            Status::Inconclusive => f.write_str("INCONCLUSIVE: tolerance above 1% of the entry"),
        }
    }
}

/// One compared number.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Entry {
    /// Where it sits.
    pub position: Position,
    /// The value under test (tape gradient, your gradient, your update, …).
    pub analytic: f64,
    /// What it is checked against (finite differences, the tape, forward mode, …).
    pub reference: f64,
    /// `|analytic − reference|`.
    pub abs_error: f64,
    /// `|analytic − reference| / max(|analytic|, |reference|)` (0 when both are 0).
    pub rel_error: f64,
    /// The estimated error of the reference itself (finite differences' bound, or the
    /// rounding model for values exact up to rounding).
    pub estimate: f64,
    /// The absolute tolerance applied.
    pub tolerance: f64,
    /// The verdict.
    pub status: Status,
}

impl Entry {
    /// An entry with errors computed from the two values.
    pub(crate) fn new(
        position: Position,
        analytic: f64,
        reference: f64,
        estimate: f64,
        tolerance: f64,
        status: Status,
    ) -> Self {
        let abs_error = (analytic - reference).abs();
        let largest = analytic.abs().max(reference.abs());
        let rel_error = if largest == 0.0 {
            if abs_error == 0.0 {
                0.0
            } else {
                abs_error
            }
        } else {
            abs_error / largest
        };
        Entry {
            position,
            analytic,
            reference,
            abs_error,
            rel_error,
            estimate,
            tolerance,
            status,
        }
    }

    /// `abs_error / tolerance`: above 1 is outside tolerance.
    pub fn excess(&self) -> f64 {
        let r = self.abs_error / self.tolerance;
        if r.is_nan() {
            f64::INFINITY
        } else {
            r
        }
    }
}

/// Counts of entries by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Summary {
    /// All entries.
    pub total: usize,
    /// Within tolerance.
    pub agree: usize,
    /// Outside tolerance.
    pub disagree: usize,
    /// At a kink.
    pub kink: usize,
    /// Not finite.
    pub not_finite: usize,
    /// Inconclusive: the reference could not judge them.
    pub inconclusive: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.not_finite > 0 {
            parts.push(format!("{} not finite", self.not_finite));
        }
        if self.disagree > 0 {
            parts.push(format!("{} disagree", self.disagree));
        }
        if self.kink > 0 {
            parts.push(format!("{} at a kink", self.kink));
        }
        if self.inconclusive > 0 {
            parts.push(format!("{} inconclusive", self.inconclusive));
        }
        parts.push(format!("{} agree", self.agree));
        write!(f, "{} of {}", parts.join(", "), self.total)
    }
}

/// The result of a check: every entry, worst first, and how they were judged.
///
/// `Display` prints a table for people (the worst 20 entries; `{:#}` prints all);
/// with the `serde` feature the report serialises for machines.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    /// Which check.
    pub check: CheckKind,
    /// What the analytic column holds.
    pub analytic_label: String,
    /// What the reference column holds.
    pub reference_label: String,
    /// The float type the check ran in.
    pub dtype: String,
    /// The function's value at the point, where there is one.
    pub value: Option<f64>,
    /// The pass/fail rule and its numbers, in words.
    pub tolerance: String,
    /// The entries, worst first: not finite, disagreeing, at a kink, agreeing; within
    /// each, the largest error relative to its tolerance first.
    pub entries: Vec<Entry>,
}

impl Report {
    /// A report with its entries put worst first.
    pub(crate) fn new(
        check: CheckKind,
        analytic_label: &str,
        reference_label: &str,
        dtype: &str,
        value: Option<f64>,
        tolerance: String,
        mut entries: Vec<Entry>,
    ) -> Self {
        entries.sort_by(|a, b| {
            a.status.rank().cmp(&b.status.rank()).then(
                b.excess()
                    .partial_cmp(&a.excess())
                    .unwrap_or(Ordering::Equal),
            )
        });
        Report {
            check,
            analytic_label: analytic_label.to_owned(),
            reference_label: reference_label.to_owned(),
            dtype: dtype.to_owned(),
            value,
            tolerance,
            entries,
        }
    }

    /// Whether every entry agrees. Kinks, non-finite values and inconclusive entries
    /// never pass.
    pub fn passed(&self) -> bool {
        self.entries.iter().all(|e| e.status == Status::Agrees)
    }

    /// The verdict on the whole report.
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.entries.iter().map(|e| e.status))
    }

    /// Counts by status.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            total: self.entries.len(),
            ..Summary::default()
        };
        for e in &self.entries {
            match e.status {
                Status::Agrees => s.agree += 1,
                Status::Disagrees => s.disagree += 1,
                Status::Kink { .. } => s.kink += 1,
                Status::NotFinite => s.not_finite += 1,
                Status::Inconclusive => s.inconclusive += 1,
            }
        }
        s
    }

    /// The worst entry (the first).
    pub fn worst(&self) -> Option<&Entry> {
        self.entries.first()
    }

    /// The entries that do not agree, worst first.
    pub fn failures(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status != Status::Agrees)
    }

    /// The entry at `position`.
    pub fn entry(&self, position: Position) -> Option<&Entry> {
        self.entries.iter().find(|e| e.position == position)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = self.verdict();
        writeln!(
            f,
            "{} ({} vs {}), {}: {verdict}",
            self.check, self.analytic_label, self.reference_label, self.dtype
        )?;
        write!(f, "  {}", self.summary())?;
        if let Some(worst) = self.failures().next() {
            write!(
                f,
                "; worst: {} (error {:.2e}, tolerance {:.2e})",
                worst.position, worst.abs_error, worst.tolerance
            )?;
        }
        writeln!(f)?;
        if let Some(value) = self.value {
            writeln!(f, "  value: {value:.9e}")?;
        }
        for (k, line) in wrap(&self.tolerance, 100).iter().enumerate() {
            let lead = if k == 0 { "  tolerance: " } else { "    " };
            writeln!(f, "{lead}{line}")?;
        }
        writeln!(
            f,
            "  {:<16} {:>16} {:>16} {:>10} {:>10} {:>10} {:>10}  status",
            "where", "analytic", "reference", "abs err", "rel err", "estimate", "tolerance"
        )?;
        let shown = if f.alternate() {
            self.entries.len()
        } else {
            20
        };
        for e in self.entries.iter().take(shown) {
            writeln!(
                f,
                "  {:<16} {:>16.9e} {:>16.9e} {:>10.2e} {:>10.2e} {:>10.2e} {:>10.2e}  {}",
                e.position.to_string(),
                e.analytic,
                e.reference,
                e.abs_error,
                e.rel_error,
                e.estimate,
                e.tolerance,
                e.status
            )?;
        }
        if self.entries.len() > shown {
            let more = self.entries.len() - shown;
            writeln!(
                f,
                "  … {more} more {} (print with {{:#}} to see all)",
                if more == 1 { "entry" } else { "entries" }
            )?;
        }
        Ok(())
    }
}

/// `text` broken at spaces into lines of at most about `width` characters.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

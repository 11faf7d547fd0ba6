//! The verdict on a claim between vectors or matrices: every entry decided, one report.
//!
//! A shaped claim (`grad(L, W2) = delta2 * a1^T`) is one claim per entry over the one
//! scalar DAG. It is **proved** only if every entry is (the report states the worst
//! error bound of any entry's identity test); it **fails** at the first failing entry
//! in row-major order, named 1-based as papers do (`FAILS at entry (2, 3)`), with
//! both values, the point, and a diagnosis in matrix terms where one fits
//! (`grid_diagnosis.rs`); otherwise it holds at points or is undecided, with the
//! entries counted in the reason.
//!
//! Small grids (at most [`BATCHED`] entries) are decided entry by entry by the scalar
//! machinery of `claims.rs`. A large grid (the 32,768 weight gradients of a 256-128
//! layer) is decided in time linear in the DAG, not in entries × DAG: one identity
//! test over every entry pair (`identity::test_claims` evaluates the DAG once per
//! trial for all of them), one evaluation of the DAG with error bounds per test point
//! for every entry together, and the scalar machinery only for the first entry that
//! fails (for its counterexample and diagnosis) and for a few the identity test leaves
//! undecided.

use super::claims::{
    comparison, hash, random_point, ClaimReport, Comparison, Counterexample, OneSided, Proof,
    Random, Verdict, VerifyOptions, MIN_COMPARABLE,
};
use super::dag::ExprId;
use super::error_model::Evaluator;
use super::grid::{Grid, Shape};
use super::grid_diagnosis;
use super::identity::{self, Outcome};
use super::kinks::breakpoint_points;
use super::program::{Claim, Program};

/// Grids with more entries than this are decided by the batched path.
pub(crate) const BATCHED: usize = 64;

/// In the batched path, the most entries the identity test leaves undecided that are
/// handed to the scalar machinery (its normal forms may prove them); the others are
/// judged by the shared test points alone.
const SCALAR_BUDGET: usize = 16;

/// What one entry came to.
struct Entry {
    verdict: Verdict,
    /// Both sides' values at the file's values.
    values: (f64, f64),
    one_sided: Option<OneSided>,
}

impl Entry {
    fn of(report: ClaimReport) -> Entry {
        Entry {
            verdict: report.verdict,
            values: report.values,
            one_sided: report.one_sided,
        }
    }
}

/// Decides a claim between vectors or matrices (`claim.grids`), every entry, and
/// reports it as a whole. A claim without grids is decided as a scalar claim.
pub(crate) fn verify_grid(program: &Program, claim: &Claim, options: VerifyOptions) -> ClaimReport {
    let Some([lhs, rhs]) = claim.grids.as_deref() else {
        return program
            .verify_scalars(&[claim], options)
            .pop()
            .unwrap_or_else(|| malformed(claim, "no report".into()));
    };
    if let Some(reason) = mismatch(program, lhs, rhs) {
        return malformed(claim, reason);
    }
    let entries = if lhs.entries.len() <= BATCHED {
        entry_by_entry(program, claim, lhs, rhs, options)
    } else {
        batched(program, claim, lhs, rhs, options)
    };
    aggregate(program, claim, lhs, rhs, entries)
}

/// Why the grids cannot be compared entry by entry, if they cannot (the parser checks
/// shapes; a claim built through the API may not be checked).
fn mismatch(program: &Program, lhs: &Grid, rhs: &Grid) -> Option<String> {
    if lhs.shape != rhs.shape {
        return Some(format!(
            "the sides have different shapes ({} and {})",
            lhs.shape, rhs.shape
        ));
    }
    if lhs.shape.is_empty()
        || lhs.entries.len() != lhs.shape.len()
        || rhs.entries.len() != rhs.shape.len()
    {
        return Some(format!(
            "the sides do not hold one entry per place of their {} shape",
            lhs.shape
        ));
    }
    let outside = lhs
        .entries
        .iter()
        .chain(&rhs.entries)
        .any(|e| e.index() >= program.dag.len());
    outside.then(|| "the claim's entries are not nodes of this program".to_string())
}

fn malformed(claim: &Claim, reason: String) -> ClaimReport {
    ClaimReport {
        claim: claim.clone(),
        verdict: Verdict::Undecided { reason },
        values: (f64::NAN, f64::NAN),
        one_sided: None,
    }
}

/// Entry `k` (row-major) as a scalar claim: its own text, so that it gets its own
/// random points.
fn entry_claim(claim: &Claim, shape: Shape, lhs: ExprId, rhs: ExprId, k: usize) -> Claim {
    let (i, j) = position(shape, k);
    Claim {
        line: claim.line,
        text: format!("{} [entry ({i}, {j})]", claim.text),
        bindings: claim.bindings.clone(),
        lhs,
        rhs,
        shape: None,
        grids: None,
    }
}

/// The 1-based (row, column) of row-major entry `k`.
fn position(shape: Shape, k: usize) -> (usize, usize) {
    (k / shape.cols + 1, k % shape.cols + 1)
}

/// Every entry through the scalar machinery (sharing its identity test and normal
/// forms), up to the first that fails.
fn entry_by_entry(
    program: &Program,
    claim: &Claim,
    lhs: &Grid,
    rhs: &Grid,
    options: VerifyOptions,
) -> Vec<Entry> {
    let claims: Vec<Claim> = (0..lhs.entries.len())
        .map(|k| entry_claim(claim, lhs.shape, lhs.entries[k], rhs.entries[k], k))
        .collect();
    let refs: Vec<&Claim> = claims.iter().collect();
    let mut entries = Vec::new();
    for report in program.verify_scalars(&refs, options) {
        let fails = matches!(report.verdict, Verdict::Fails(_));
        entries.push(Entry::of(report));
        if fails {
            break;
        }
    }
    entries
}

/// What the shared test points found for one entry.
#[derive(Clone, Default)]
struct Tally {
    /// Points where the sides agreed, finite and known well.
    supports: usize,
    /// The first point (its index) where they disagreed, and how.
    disagreement: Option<(usize, Comparison)>,
    /// Points where one side is finite and the other is not, and the first one.
    one_sided: usize,
    first_one_sided: Option<(usize, f64, f64)>,
}

/// The batched path: one identity test and one evaluation per point for all entries.
fn batched(
    program: &Program,
    claim: &Claim,
    lhs: &Grid,
    rhs: &Grid,
    options: VerifyOptions,
) -> Vec<Entry> {
    let dag = &program.dag;
    let n = lhs.entries.len();
    let pairs: Vec<[ExprId; 2]> = (0..n).map(|k| [lhs.entries[k], rhs.entries[k]]).collect();
    let outcomes = identity::test_claims(dag, &pairs, options.seed);

    // The test points: the file's values, random points over every leaf any entry
    // uses, and both sides of the breakpoints of the piecewise functions.
    let roots: Vec<ExprId> = pairs.iter().flatten().copied().collect();
    let cone = dag.cone(&roots);
    let used: Vec<usize> = (0..program.leaves.len())
        .filter(|&i| cone.contains(program.leaves[i].expr))
        .collect();
    let file = program.leaf_values();
    let mut points = vec![file.clone()];
    let mut random = Random::new(options.seed ^ hash(&claim.text) ^ claim.line as u64);
    for k in 0..options.points {
        let mut point = file.clone();
        for (&i, v) in used.iter().zip(random_point(&mut random, &file, &used, k)) {
            point[i] = v;
        }
        points.push(point);
    }
    let leaves: Vec<(usize, ExprId)> = used.iter().map(|&i| (i, program.leaves[i].expr)).collect();
    let mut scratch = file.clone();
    for (leaf, x) in breakpoint_points(dag, &cone, &leaves, &mut scratch) {
        let mut point = file.clone();
        point[leaf] = x;
        points.push(point);
    }

    let mut evaluator = Evaluator::new(&cone);
    let mut tallies = vec![Tally::default(); n];
    let mut at_file = vec![(f64::NAN, f64::NAN); n];
    let mut file_agrees = vec![false; n];
    // Only the entries up to the first that fails are reported: once one fails, the
    // later ones are no longer evaluated, and if it is the first, nothing is.
    let mut cut = n;
    for (p, point) in points.iter().enumerate() {
        if cut == 1 && tallies[0].disagreement.is_some() {
            break;
        }
        evaluator.evaluate(dag, point);
        for (k, (pair, tally)) in pairs[..cut].iter().zip(&mut tallies).enumerate() {
            if tally.disagreement.is_some() {
                continue;
            }
            let c = comparison(&evaluator, pair);
            if p == 0 {
                at_file[k] = (c.lhs, c.rhs);
                file_agrees[k] = c.agree;
            }
            if c.lhs.is_finite() != c.rhs.is_finite() {
                tally.one_sided += 1;
                tally.first_one_sided.get_or_insert((p, c.lhs, c.rhs));
            }
            if c.comparable {
                tally.supports += usize::from(c.supports());
                if !c.agree {
                    tally.disagreement = Some((p, c));
                    cut = cut.min(k + 1);
                }
            }
        }
    }
    let atoms = identity::atom_count(dag, &cone);
    let name_point = |point: &[f64], used: &[usize]| -> Vec<(String, f64)> {
        used.iter()
            .map(|&i| (program.leaves[i].name.clone(), point[i]))
            .collect()
    };

    let mut entries = Vec::new();
    let mut budget = SCALAR_BUDGET;
    for k in 0..n {
        let tally = &tallies[k];
        let one_sided = tally.first_one_sided.map(|(p, l, r)| OneSided {
            points: tally.one_sided,
            of: points.len(),
            point: name_point(&points[p], &used),
            lhs: l,
            rhs: r,
        });
        let scalar = |budget: &mut usize| {
            *budget = budget.saturating_sub(1);
            let c = entry_claim(claim, lhs.shape, pairs[k][0], pairs[k][1], k);
            program.verify_scalars(&[&c], options).pop()
        };
        if let Some((p, c)) = &tally.disagreement {
            // The first failing entry: the scalar machinery gives its counterexample
            // and diagnosis; should it not find the failure at its own points, the
            // shared point stands.
            let entry = match scalar(&mut budget) {
                Some(report) if matches!(report.verdict, Verdict::Fails(_)) => Entry::of(report),
                _ => {
                    let own = dag.cone(&pairs[k]);
                    let own_used: Vec<usize> = used
                        .iter()
                        .copied()
                        .filter(|&i| own.contains(program.leaves[i].expr))
                        .collect();
                    Entry {
                        verdict: Verdict::Fails(Box::new(Counterexample {
                            point: name_point(&points[*p], &own_used),
                            at_file_values: *p == 0,
                            holds_at_file_values: *p != 0 && file_agrees[k],
                            lhs: c.lhs,
                            rhs: c.rhs,
                            tolerance: c.tolerance,
                            exact: false,
                            diagnosis: None,
                            entry: None,
                            moved_inputs: program
                                .moved_inputs(own_used.iter().map(|&i| (i, points[*p][i]))),
                        })),
                        values: at_file[k],
                        one_sided,
                    }
                }
            };
            entries.push(entry);
            break;
        }
        if let Outcome::Identical { trials, error } = outcomes[k] {
            entries.push(Entry {
                verdict: Verdict::Proved {
                    atoms,
                    proof: Proof::IdentityTest { trials, error },
                },
                values: at_file[k],
                one_sided,
            });
            continue;
        }
        if budget > 0 {
            if let Some(report) = scalar(&mut budget) {
                let fails = matches!(report.verdict, Verdict::Fails(_));
                entries.push(Entry::of(report));
                if fails {
                    break;
                }
                continue;
            }
        }
        let different = matches!(outcomes[k], Outcome::Different);
        let verdict = if tally.supports >= MIN_COMPARABLE {
            Verdict::Holds {
                points: tally.supports,
                reason: if different {
                    "the identity test finds them different as rational functions of their \
                     atoms (their atoms may be related)"
                        .to_string()
                } else {
                    "the identity test does not decide it".to_string()
                },
            }
        } else {
            Verdict::Undecided {
                reason: format!(
                    "only {} of {} points gave finite values on both sides known well \
                     enough, and the identity test does not prove it",
                    tally.supports,
                    points.len()
                ),
            }
        };
        entries.push(Entry {
            verdict,
            values: at_file[k],
            one_sided,
        });
    }
    entries
}

/// One report from the entries' verdicts (up to and including the first failure).
fn aggregate(
    program: &Program,
    claim: &Claim,
    lhs: &Grid,
    rhs: &Grid,
    entries: Vec<Entry>,
) -> ClaimReport {
    let n = lhs.entries.len();
    let shape = lhs.shape;
    let one_sided = entries.iter().find_map(|e| e.one_sided.clone());
    let report = |verdict: Verdict, values: (f64, f64)| ClaimReport {
        claim: claim.clone(),
        verdict,
        values,
        one_sided: one_sided.clone(),
    };
    let first_values = entries.first().map_or((f64::NAN, f64::NAN), |e| e.values);
    if let Some(last) = entries.last() {
        if let Verdict::Fails(c) = &last.verdict {
            let k = entries.len() - 1;
            let mut c = c.clone();
            c.entry = Some(position(shape, k));
            if let Some(d) = grid_diagnosis::diagnose(program, lhs, rhs, k, &c) {
                c.diagnosis = Some(d);
            }
            return report(Verdict::Fails(c), last.values);
        }
    }
    let mut proved = 0;
    let mut normal_forms = 0;
    let (mut atoms, mut trials, mut error) = (0, usize::MAX, 0.0f64);
    let mut holds: Vec<(usize, usize, &str)> = Vec::new();
    let mut undecided: Vec<(usize, &str)> = Vec::new();
    for (k, e) in entries.iter().enumerate() {
        match &e.verdict {
            Verdict::Proved { atoms: a, proof } => {
                proved += 1;
                atoms = atoms.max(*a);
                match proof {
                    Proof::NormalForm => normal_forms += 1,
                    Proof::IdentityTest {
                        trials: t,
                        error: r,
                    } => {
                        trials = trials.min(*t);
                        error = error.max(*r);
                    }
                }
            }
            Verdict::Holds { points, reason } => holds.push((k, *points, reason)),
            Verdict::Undecided { reason } => undecided.push((k, reason)),
            Verdict::Fails(_) => {}
        }
    }
    let at = |k: usize| {
        let (i, j) = position(shape, k);
        format!("entry ({i}, {j})")
    };
    let counts = format!(
        "{} of {n} entries hold at points, {proved} proved, {} undecided",
        holds.len(),
        undecided.len()
    );
    let verdict = if let Some(&(k, reason)) = undecided.first() {
        Verdict::Undecided {
            reason: format!("{} is undecided ({reason}); {counts}", at(k)),
        }
    } else if let Some(&(k, _, reason)) = holds.first() {
        let points = holds.iter().map(|h| h.1).min().unwrap_or(0);
        Verdict::Holds {
            points,
            reason: format!(
                "holds at {points} points or more for {} of {n} entries, proved for \
                 {proved}; for {}: {reason}",
                holds.len(),
                at(k)
            ),
        }
    } else if normal_forms == n {
        Verdict::Proved {
            atoms,
            proof: Proof::NormalForm,
        }
    } else {
        Verdict::Proved {
            atoms,
            proof: Proof::IdentityTest { trials, error },
        }
    };
    report(verdict, first_values)
}

impl Claim {
    /// A claim that two vectors or matrices of shape `shape` are equal, entry by entry:
    /// `lhs` and `rhs` hold their entries' nodes (from [`Program::expr`],
    /// [`Program::gradients`] ...) in row-major order. `None` if either does not hold
    /// `shape.rows × shape.cols` entries, or the shape is empty.
    ///
    /// Decided by [`Program::verify_one`] as one claim: proved only if every entry
    /// is, failed at the first failing entry ([`Counterexample::entry`]).
    pub fn between_grids(
        line: usize,
        text: &str,
        shape: Shape,
        lhs: Vec<ExprId>,
        rhs: Vec<ExprId>,
    ) -> Option<Claim> {
        if shape.is_empty() || lhs.len() != shape.len() || rhs.len() != shape.len() {
            return None;
        }
        Some(Claim {
            line,
            text: text.to_string(),
            bindings: Vec::new(),
            lhs: lhs[0],
            rhs: rhs[0],
            shape: Some(shape),
            grids: Some(Box::new([
                Grid {
                    shape,
                    entries: lhs,
                },
                Grid {
                    shape,
                    entries: rhs,
                },
            ])),
        })
    }
}

impl Program {
    /// Verifies one claim over this program's DAG, a scalar claim or one between
    /// vectors or matrices ([`Claim::between_grids`]), as [`Program::verify_with`]
    /// verifies the file's own. A claim whose nodes are not this program's is
    /// undecided, with the reason.
    pub fn verify_one(&self, claim: &Claim, options: VerifyOptions) -> ClaimReport {
        if claim.grids.is_none() && claim.lhs.max(claim.rhs).index() >= self.dag.len() {
            return malformed(
                claim,
                "the claim's sides are not nodes of this program".to_string(),
            );
        }
        verify_grid(self, claim, options)
    }
}

/// The verdicts of one path, entry by entry (up to the first failure): the batched
/// path if `batched_path`, else the entry-by-entry one, for the tests that compare them.
#[cfg(test)]
pub(crate) fn path_for_tests(
    program: &Program,
    claim: &Claim,
    [lhs, rhs]: [&Grid; 2],
    options: VerifyOptions,
    batched_path: bool,
) -> Vec<Verdict> {
    let entries = if batched_path {
        batched(program, claim, lhs, rhs, options)
    } else {
        entry_by_entry(program, claim, lhs, rhs, options)
    };
    entries.into_iter().map(|e| e.verdict).collect()
}

//! Verifying claims, with three honest verdicts.
//!
//! - **Proved**: both sides have the same normal form (a quotient of polynomials over
//!   atoms; see `normal_form.rs`), or, where the normal forms are too large to expand,
//!   both sides pass the randomised identity test (`identity/`: exact evaluation at
//!   random points modulo random primes, with the chance of a false pass bounded and
//!   stated); and they agree at every point tested.
//! - **Holds at N points**: the normal forms do not decide it (they differ, or are too
//!   large), but the sides agree at the file's values and at random points over every
//!   input and parameter, within the rounding-error model's bounds.
//! - **Fails**: a point where the sides differ by more than their error bounds allow,
//!   with both values and, where the normal forms give one, the symbolic relation
//!   between the sides. A claim that holds at the file's values but not elsewhere
//!   fails, and the report says so.
//!
//! Only a counterexample fails a claim: a differing normal form never does, because
//! atoms can be related in ways the normal form does not see (`σ(−x) = 1 − σ(x)`).

use std::fmt;

use super::dag::{Dag, ExprId, Node};
use super::derive::named_quotients;
use super::error_model::Evaluator;
use super::grid_verdict;
use super::identity::{self, Outcome};
use super::kinks::breakpoint_points;
use super::normal_form::{poly_text, NormalForms, CLAIM_WORK};
use super::polynomial::{Poly, Ratio};
use super::program::{Claim, Program};
use super::simplify::{distribute, simplify, simplify_named};

/// How many random points a claim is tested at, besides the file's values.
pub const DEFAULT_POINTS: usize = 32;

/// A point supports a claim only if the sides agree there and the tolerance is at most
/// this fraction of the values' size (plus an absolute part for values near zero):
/// where rounding leaves the values unknown (`sin(e^200)`), agreement says nothing.
const INFORMATIVE: f64 = 1e-3;

/// Fewer supporting points than this (the others NaN, infinite or lost to rounding) leave a claim
/// undecided unless its normal forms prove it.
pub(super) const MIN_COMPARABLE: usize = 8;

/// Sides agree where they differ by at most this many times the sum of their error
/// bounds (the bounds are first-order; the factor covers second-order terms and the
/// library functions' documented accuracy).
const SAFETY: f64 = 4.0;

/// Claims depending on at most this many nodes are proved exactly by the exponential
/// normal forms where they can be, even when the identity test has proved them.
const SMALL_CLAIM: usize = 200;

/// The normal forms' budget, per node of its cone, for a claim the identity test has
/// proved (see `verify_claim`).
const WORK_PER_NODE: usize = 16;

/// How to test claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Random points per claim, besides the file's values.
    pub points: usize,
    /// Seed of the random points (each claim also mixes in its own text, so claims get
    /// different points and a report is reproducible).
    pub seed: u64,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            points: DEFAULT_POINTS,
            seed: 0x5eed_6a7d_9f00_f001,
        }
    }
}

/// How a claim was proved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Proof {
    /// Both sides have the same normal form: an exact, deterministic proof.
    NormalForm,
    /// Both sides are equal, exactly, at `trials` random points modulo random primes
    /// of 62 bits, as rational functions of their leaves and atoms (Schwartz–Zippel):
    /// a false claim passes with probability at most `error`.
    IdentityTest {
        /// How many independent random points both sides agreed at.
        trials: usize,
        /// The bound on the chance that a false claim passes all of them.
        error: f64,
    },
}

/// The verdict on one claim.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Both sides have the same normal form or pass the identity test (see [`Proof`]),
    /// and agree at every point tested.
    Proved {
        /// How many distinct atoms the normal forms are polynomials in (for the
        /// identity test: the leaf and atom nodes the sides depend on).
        atoms: usize,
        /// How.
        proof: Proof,
    },
    /// The sides agree at `points` points (the file's values and random ones) within
    /// the error model's tolerance, which was small against the values there; no
    /// normal form decides the claim.
    Holds {
        /// Points where both sides were finite, known well, and agreed.
        points: usize,
        /// Why the normal forms did not decide it.
        reason: String,
    },
    /// A counterexample.
    Fails(Box<Counterexample>),
    /// Too few points could be evaluated (NaN or infinite elsewhere, or so rounded that
    /// agreement means nothing), and no normal form decides the claim.
    Undecided {
        /// What went wrong.
        reason: String,
    },
}

impl Verdict {
    /// Whether the claim is proved or holds (is not refuted and not undecided).
    pub fn holds(&self) -> bool {
        matches!(self, Verdict::Proved { .. } | Verdict::Holds { .. })
    }
}

/// A point where the two sides of a claim differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Counterexample {
    /// The value of every input and parameter the claim depends on.
    pub point: Vec<(String, f64)>,
    /// Whether the point is the file's own values.
    pub at_file_values: bool,
    /// Whether the claim holds at the file's values (so it is refuted elsewhere).
    pub holds_at_file_values: bool,
    /// The left side's value there.
    pub lhs: f64,
    /// The right side's value there.
    pub rhs: f64,
    /// The largest difference the error model allows there.
    pub tolerance: f64,
    /// Whether the failure is known exactly rather than from the values: the normal
    /// forms differ by a non-zero constant, which rounding may hide in the values.
    pub exact: bool,
    /// The symbolic relation between the sides, where the normal forms give one
    /// (`left = -1 × right`, `left = right × yhat7 * (1 - yhat7)`, `left − right = ...`).
    pub diagnosis: Option<String>,
    /// For a claim between vectors or matrices, the entry that fails (1-based row and
    /// column, as papers number them); `None` for a scalar claim.
    pub entry: Option<(usize, usize)>,
    /// The `input`s whose value at the point is not the file's. `check` varies inputs;
    /// a claim that holds only for their values as written (`p1 - y1` needs a one-hot
    /// target) fails at such a point, and the report says which were moved.
    pub moved_inputs: Vec<String>,
}

/// The verification of one claim.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimReport {
    /// The claim, as expanded from its template.
    pub claim: Claim,
    /// The verdict.
    pub verdict: Verdict,
    /// Both sides' values at the file's values.
    pub values: (f64, f64),
    /// Points where one side is finite and the other is not: the sides are defined on
    /// different domains there. Such points count neither for nor against the claim,
    /// so they are reported here rather than passed over.
    pub one_sided: Option<OneSided>,
}

/// Where one side of a claim is finite and the other is not (NaN or infinite).
#[derive(Clone, Debug, PartialEq)]
pub struct OneSided {
    /// How many of the points evaluated were like that.
    pub points: usize,
    /// Of how many points evaluated in all.
    pub of: usize,
    /// The first such point: the value of every input and parameter the claim uses.
    pub point: Vec<(String, f64)>,
    /// The left side's value there.
    pub lhs: f64,
    /// The right side's value there.
    pub rhs: f64,
}

impl Program {
    /// Verifies every claim (templates expanded) with the default options.
    pub fn verify(&self) -> Vec<ClaimReport> {
        self.verify_with(VerifyOptions::default())
    }

    /// Verifies every claim: normal forms first, then the file's values and
    /// `options.points` random points over every input and parameter.
    pub fn verify_with(&self, options: VerifyOptions) -> Vec<ClaimReport> {
        // A claim between vectors or matrices is decided as a whole (grid_verdict.rs);
        // the scalar ones share one identity test and one set of normal forms.
        let scalar: Vec<&Claim> = self.claims.iter().filter(|c| c.grids.is_none()).collect();
        let mut scalar = self.verify_scalars(&scalar, options).into_iter();
        self.claims
            .iter()
            .filter_map(|c| match c.grids {
                Some(_) => Some(grid_verdict::verify_grid(self, c, options)),
                None => scalar.next(),
            })
            .collect()
    }

    /// Verifies claims between scalars (their `grids` are not read), sharing the
    /// identity test and the normal forms among them.
    pub(super) fn verify_scalars(
        &self,
        claims: &[&Claim],
        options: VerifyOptions,
    ) -> Vec<ClaimReport> {
        let mut forms = NormalForms::new(&self.dag);
        let mut exponential = NormalForms::exponential(&self.dag);
        let mut scratch: Option<Dag> = None;
        // The file's values, once for every claim, and a point that is the file's values
        // except, for a moment, at the leaves of the claim being tested: per claim the
        // work is its own leaves, not the program's.
        let file = self.leaf_values();
        let mut point = file.clone();
        let sides: Vec<[ExprId; 2]> = claims.iter().map(|c| [c.lhs, c.rhs]).collect();
        let identities = identity::test_claims(&self.dag, &sides, options.seed);
        claims
            .iter()
            .zip(identities)
            .map(|(claim, identity)| {
                let mut decide = Deciders {
                    forms: &mut forms,
                    exponential: &mut exponential,
                    scratch: &mut scratch,
                    identity,
                    file: &file,
                    point: &mut point,
                };
                self.verify_claim(claim, options, &mut decide)
            })
            .collect()
    }

    fn verify_claim(
        &self,
        claim: &Claim,
        options: VerifyOptions,
        decide: &mut Deciders<'_, '_>,
    ) -> ClaimReport {
        let forms = &mut *decide.forms;
        let exponential = &mut *decide.exponential;

        let scratch = &mut *decide.scratch;
        let (file, point) = (decide.file, &mut *decide.point);
        let roots = [claim.lhs, claim.rhs];
        // Everything below visits only the nodes the claim depends on.
        let cone = self.dag.cone(&roots);
        let mut used: Vec<usize> = cone
            .ids()
            .iter()
            .filter_map(|&id| match self.dag.node(id) {
                Node::Leaf(l) if (l as usize) < self.leaves.len() => Some(l as usize),
                _ => None,
            })
            .collect();
        used.sort_unstable();
        // A point is the values of the `used` leaves, in that order; the others keep the
        // file's values.
        let at_file_point: Vec<f64> = used.iter().map(|&i| file[i]).collect();
        let mut evaluator = Evaluator::new(&cone);
        let at_file = self.compare(&mut evaluator, &roots, point);
        let values = (at_file.lhs, at_file.rhs);

        let mut comparable = usize::from(at_file.supports());
        let mut counterexample: Option<(Comparison, Vec<f64>, bool)> = None;
        if at_file.comparable && !at_file.agree {
            counterexample = Some((at_file.clone(), at_file_point.clone(), true));
        }
        let name_point = |values: &[f64]| -> Vec<(String, f64)> {
            used.iter()
                .zip(values)
                .map(|(&i, &v)| (self.leaves[i].name.clone(), v))
                .collect()
        };
        let mut evaluated = 1;
        let mut one_sided: Option<OneSided> = None;
        let mut note_one_sided = |c: &Comparison, values: &[f64]| {
            if c.lhs.is_finite() != c.rhs.is_finite() {
                let first = one_sided.get_or_insert_with(|| OneSided {
                    points: 0,
                    of: 0,
                    point: name_point(values),
                    lhs: c.lhs,
                    rhs: c.rhs,
                });
                first.points += 1;
            }
        };
        note_one_sided(&at_file, &at_file_point);
        let mut random = Random::new(options.seed ^ hash(&claim.text) ^ claim.line as u64);
        if counterexample.is_none() {
            for k in 0..options.points {
                let values = random_point(&mut random, file, &used, k);
                for (&i, &v) in used.iter().zip(&values) {
                    point[i] = v;
                }
                let c = self.compare(&mut evaluator, &roots, point);
                evaluated += 1;
                note_one_sided(&c, &values);
                if c.comparable {
                    comparable += usize::from(c.supports());
                    if !c.agree {
                        counterexample = Some((c, values, false));
                        break;
                    }
                }
            }
            for &i in &used {
                point[i] = file[i];
            }
        }
        if counterexample.is_none() {
            // Both sides of every breakpoint of the claim's piecewise functions, which
            // the random points may never reach (`relu(w − 10)` at `w = 0.5`).
            let leaves: Vec<(usize, ExprId)> =
                used.iter().map(|&i| (i, self.leaves[i].expr)).collect();
            for (leaf, x) in breakpoint_points(&self.dag, &cone, &leaves, point) {
                point[leaf] = x;
                let c = self.compare(&mut evaluator, &roots, point);
                point[leaf] = file[leaf];
                let values: Vec<f64> = used
                    .iter()
                    .map(|&i| if i == leaf { x } else { file[i] })
                    .collect();
                evaluated += 1;
                note_one_sided(&c, &values);
                if c.comparable {
                    comparable += usize::from(c.supports());
                    if !c.agree {
                        counterexample = Some((c, values, false));
                        break;
                    }
                }
            }
        }

        // Each claim's normal forms have a budget of their own (forms known from
        // earlier claims are free): whether a claim is proved exactly does not depend
        // on the claims before it. Where the claim is not small and is decided
        // already (the identity test has proved it, or a point refutes it and the
        // forms would only diagnose it), the budget is in proportion to its cone, so
        // that a deep network's claims, whose forms are far too large, cost time
        // linear in their size, as the identity test does.
        let identical = matches!(decide.identity, Outcome::Identical { .. });
        let small = cone.len() <= SMALL_CLAIM;
        let decided = identical || counterexample.is_some();
        let work = if decided && !small {
            cone.len().saturating_mul(WORK_PER_NODE)
        } else {
            CLAIM_WORK
        };
        forms.begin_claim(work);
        exponential.begin_claim(work);
        let left = forms.of(claim.lhs);
        let right = forms.of(claim.rhs);
        let mut proved = match (&left, &right) {
            (Some(l), Some(r)) => l.equals(r),
            _ => None,
        };
        let mut atoms = atoms_in(&left, &right);
        // The exponential normal forms relate σ, tanh and exp; the identity test knows
        // those relations too, so where it has proved the claim they are tried only
        // for a small claim, for an exact proof (at depth they are the costliest part
        // of a verification, and fail).
        if proved != Some(true) && counterexample.is_none() && (small || !identical) {
            let (l, r) = (exponential.of(claim.lhs), exponential.of(claim.rhs));
            if let (Some(l), Some(r)) = (&l, &r) {
                if l.equals(r) == Some(true) {
                    proved = Some(true);
                    atoms = atoms_in(&Some(l.clone()), &Some(r.clone()));
                }
            }
        }

        // A difference of normal forms that is a non-zero constant refutes the claim at
        // every point, even where rounding hides it in the values: it is a
        // counterexample everywhere, so it is reported at the file's values.
        let constant_difference = match (&left, &right) {
            (Some(l), Some(r)) if proved == Some(false) => l
                .sub(r)
                .and_then(|d| d.as_constant())
                .filter(|c| !c.is_zero()),
            _ => None,
        };
        let mut exact = false;
        if counterexample.is_none() && constant_difference.is_some() {
            counterexample = Some((at_file.clone(), at_file_point, true));
            exact = true;
        }

        let verdict = if let Some((c, point, at_file_values)) = counterexample {
            let forms_pair = left.as_deref().zip(right.as_deref());
            let diagnosis = match constant_difference {
                Some(d) => Some(format!("left − right = {d} exactly, at every point")),
                None => forms_pair
                    .and_then(|(l, r)| factor_relation(l, r, forms, self))
                    .or_else(|| self.difference(claim, scratch))
                    .or_else(|| {
                        forms_pair.and_then(|(l, r)| polynomial_difference(l, r, forms, self))
                    }),
            };
            Verdict::Fails(Box::new(Counterexample {
                point: name_point(&point),
                at_file_values,
                holds_at_file_values: !at_file_values && at_file.comparable && at_file.agree,
                lhs: c.lhs,
                rhs: c.rhs,
                tolerance: c.tolerance,
                exact,
                diagnosis,
                entry: None,
                moved_inputs: self.moved_inputs(used.iter().copied().zip(point.iter().copied())),
            }))
        } else if proved == Some(true) {
            Verdict::Proved {
                atoms,
                proof: Proof::NormalForm,
            }
        } else if let Outcome::Identical { trials, error } = decide.identity {
            Verdict::Proved {
                atoms: identity::atom_count(&self.dag, &cone),
                proof: Proof::IdentityTest { trials, error },
            }
        } else if comparable >= MIN_COMPARABLE {
            let identity = match decide.identity {
                Outcome::Different => {
                    "; the identity test finds them different as rational functions of \
                     their atoms"
                }
                _ => "",
            };
            Verdict::Holds {
                points: comparable,
                reason: match proved {
                    Some(_) => {
                        format!("the normal forms differ{identity} (their atoms may be related)")
                    }
                    None => format!(
                        "the normal forms are too large to compare exactly{identity} \
                         (their atoms may be related)"
                    ),
                },
            }
        } else {
            Verdict::Undecided {
                reason: format!(
                    "only {comparable} of {} points gave finite values on both sides known \
                     to better than {INFORMATIVE:e} relative to their size, and \
                     the normal forms do not decide it",
                    evaluated
                ),
            }
        };
        ClaimReport {
            claim: claim.clone(),
            verdict,
            values,
            one_sided: one_sided.map(|o| OneSided { of: evaluated, ..o }),
        }
    }

    /// Both sides at one point, with the error model's verdict.
    fn compare(&self, evaluator: &mut Evaluator, roots: &[ExprId; 2], point: &[f64]) -> Comparison {
        evaluator.evaluate(&self.dag, point);
        comparison(evaluator, roots)
    }

    /// `left − right`, simplified in a scratch copy of the DAG (and, if that is
    /// shorter, with one level of products multiplied out so that terms hidden in them
    /// cancel), printed with the program's names, if it is short enough to read.
    fn difference(&self, claim: &Claim, scratch: &mut Option<Dag>) -> Option<String> {
        let dag = scratch.get_or_insert_with(|| self.dag.clone());
        let raw = dag.insert(Node::Sub(claim.lhs, claim.rhs));
        let simplified = simplify(dag, raw);
        let distributed = distribute(dag, raw);
        // With the file's named quotients (softmax's `p1`), as `diff` writes them.
        let named = |id: ExprId| self.names.contains_key(&id);
        let quotients = named_quotients(dag, raw, &named);
        let with_names = simplify_named(dag, raw, &named, &quotients);
        let distributed_with_names = simplify_named(dag, distributed, &named, &quotients);
        let text = [simplified, distributed, with_names, distributed_with_names]
            .iter()
            .filter_map(|&d| self.render_in(dag, d, MAX_DIAGNOSIS))
            .min_by_key(String::len)?;
        // Simplification folds constants; with a constant that is not exact (a float
        // such as 2.5e40, too large for an exact rational) the folding rounds, and
        // `2.5e40 + 1` becomes `2.5e40`: the difference printed is then approximate.
        let rounded = dag
            .cone(&[raw])
            .ids()
            .iter()
            .any(|&id| matches!(dag.node(id), Node::Number(n) if n.exact().is_none()));
        Some(if rounded {
            format!("left − right ≈ {text} (constants rounded to floating point)")
        } else {
            format!("left − right = {text}")
        })
    }
}

/// What decides a claim besides its values: the normal forms (plain and
/// exponential, shared by every claim), a scratch DAG for diagnoses, and the identity
/// test's outcome for this claim.
struct Deciders<'f, 'd> {
    forms: &'f mut NormalForms<'d>,
    exponential: &'f mut NormalForms<'d>,
    scratch: &'f mut Option<Dag>,
    identity: Outcome,
    /// Every leaf's value in the file.
    file: &'f [f64],
    /// The file's values, but for the leaves of the claim being tested while it is.
    point: &'f mut Vec<f64>,
}

/// The longest symbolic diagnosis printed (longer ones are left out).
const MAX_DIAGNOSIS: usize = 600;

/// Both sides of a claim at one point, as the error model judges them.
#[derive(Clone, Debug)]
pub(super) struct Comparison {
    pub lhs: f64,
    pub rhs: f64,
    pub tolerance: f64,
    /// Both sides and the tolerance are finite.
    pub comparable: bool,
    /// Comparable, and the sides differ by at most the tolerance.
    pub agree: bool,
}

/// The sides `roots` compared at the point `evaluator` last evaluated.
pub(super) fn comparison(evaluator: &Evaluator, roots: &[ExprId; 2]) -> Comparison {
    let (l, el) = evaluator.get(roots[0]);
    let (r, er) = evaluator.get(roots[1]);
    let tolerance = SAFETY * (el + er);
    let comparable = l.is_finite() && r.is_finite() && tolerance.is_finite();
    Comparison {
        lhs: l,
        rhs: r,
        tolerance,
        comparable,
        agree: comparable && (l - r).abs() <= tolerance,
    }
}

impl Comparison {
    /// Whether the sides agree here and the tolerance is small enough for that to mean
    /// something.
    pub(super) fn supports(&self) -> bool {
        self.agree && self.tolerance <= INFORMATIVE * (1.0 + self.lhs.abs().max(self.rhs.abs()))
    }
}

fn atoms_in(left: &Option<std::rc::Rc<Ratio>>, right: &Option<std::rc::Rc<Ratio>>) -> usize {
    let mut atoms = std::collections::BTreeSet::new();
    for r in [left, right].into_iter().flatten() {
        for p in [&r.num, &r.den] {
            for m in p.terms.keys() {
                atoms.extend(m.0.iter().map(|&(a, _)| a));
            }
        }
    }
    atoms.len()
}

/// The relation between two sides whose normal forms differ, when one is the other
/// times something simple: a constant (`left = -1 × right`: a flipped sign), or a short
/// polynomial factor (`left = right × yhat7 * (1 - yhat7)`: a missing σ′). Not tried
/// when a side is constant, where the difference says more.
fn factor_relation(
    left: &Ratio,
    right: &Ratio,
    forms: &NormalForms,
    program: &Program,
) -> Option<String> {
    if left.as_constant().is_some() || right.as_constant().is_some() {
        return None;
    }
    let atom = |a: u32| atom_text(forms, program, a);
    // left/right = (ln·rd)/(ld·rn)
    let top = left.num.mul(&right.den)?;
    let bottom = left.den.mul(&right.num)?;
    if let Some(q) = top.div_exact(&bottom) {
        if let Some(c) = q.as_constant() {
            return Some(format!("left = {c} × right"));
        }
        if q.len() <= 6 {
            return Some(format!(
                "left = right × {}: the right side misses this factor",
                factor_text(&q, &atom)
            ));
        }
    }
    let q = bottom.div_exact(&top)?;
    (q.len() <= 6 && q.as_constant().is_none()).then(|| {
        format!(
            "right = left × {}: the right side has this extra factor",
            factor_text(&q, &atom)
        )
    })
}

/// An atom of the normal forms, as the program's names write it.
fn atom_text(forms: &NormalForms, program: &Program, a: u32) -> String {
    match forms.atom_node(a) {
        (node, false) => program.text(node),
        (node, true) => format!("ln({})", program.text(node)),
    }
}

/// A polynomial as the right operand of `×`: in parentheses when it is a sum or starts
/// with a minus, so that the relation printed is the one that holds (`right × (1 + t)`,
/// not `right × 1 + t`).
fn factor_text(q: &Poly, atom: &dyn Fn(u32) -> String) -> String {
    let text = poly_text(q, atom);
    if text.starts_with('-') || has_top_level_sum(&text) {
        format!("({text})")
    } else {
        text
    }
}

/// Whether printed text has a binary `+` or `-` outside parentheses (the printers
/// write those with a space on each side, a leading minus without).
fn has_top_level_sum(text: &str) -> bool {
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'+' | b'-'
                if depth == 0
                    && i > 0
                    && bytes[i - 1] == b' '
                    && bytes.get(i + 1) == Some(&b' ') =>
            {
                return true
            }
            _ => {}
        }
    }
    false
}

/// `left − right` as an expanded polynomial in the atoms, if it has few terms.
fn polynomial_difference(
    left: &Ratio,
    right: &Ratio,
    forms: &NormalForms,
    program: &Program,
) -> Option<String> {
    let atom = |a: u32| atom_text(forms, program, a);
    let difference = left.sub(right)?;
    if !(difference.is_polynomial() && difference.num.len() <= 12) {
        return None;
    }
    let text = poly_text(&difference.num, &atom);
    (text.len() <= MAX_DIAGNOSIS).then(|| format!("left − right = {text}"))
}

/// A random point: the values of the used leaves, each drawn afresh, in the order of
/// `used` (the other leaves stay at the file's values). Even-numbered points stay near
/// the file's values (relative and absolute perturbations); odd-numbered ones range
/// over [−3, 3].
pub(super) fn random_point(
    random: &mut Random,
    file: &[f64],
    used: &[usize],
    k: usize,
) -> Vec<f64> {
    used.iter()
        .map(|&i| {
            let u = 2.0 * random.next() - 1.0;
            let w = 2.0 * random.next() - 1.0;
            if k.is_multiple_of(2) {
                file[i] * (1.0 + 0.5 * u) + 0.25 * w
            } else {
                3.0 * u
            }
        })
        .collect()
}

/// SplitMix64: a small, seedable generator, so reports are reproducible without a
/// dependency.
pub(super) struct Random(u64);

impl Random {
    pub(super) fn new(seed: u64) -> Random {
        Random(seed)
    }

    /// Uniform in [0, 1).
    pub(super) fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// FNV-1a, to give each claim its own random points.
pub(super) fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn short(x: f64) -> String {
    format!("{x:.10}")
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

impl fmt::Display for ClaimReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let claim = &self.claim;
        writeln!(f, "line {}: {}", claim.line, claim.text)?;
        let (l, r) = self.values;
        // A claim between vectors or matrices is decided for every entry; its values
        // are those of entry (1, 1), or of the entry that fails.
        let (every, both) = match (claim.shape, &claim.grids) {
            (Some(shape), Some(_)) => (
                format!(" for all {} entries ({shape})", shape.len()),
                "entry (1, 1) of both sides is",
            ),
            _ => (String::new(), "both are"),
        };
        match &self.verdict {
            Verdict::Proved {
                atoms,
                proof: Proof::NormalForm,
            } => write!(
                f,
                "  proved{every}: both sides have the same normal form (a rational function \
                 of {atoms} atoms); at the file's values {both} {}",
                short(l)
            ),
            Verdict::Proved {
                atoms,
                proof: Proof::IdentityTest { trials, error },
            } => write!(
                f,
                "  proved{every} by the identity test: both sides are equal, exactly, at \
                 {trials} random points modulo random 62-bit primes, as rational functions \
                 of {atoms} leaves and atoms (a false claim passes with probability below \
                 {error:.1e}); at the file's values {both} {}",
                short(l)
            ),
            Verdict::Holds { points, reason } => write!(
                f,
                "  holds at {points} points (the file's values and random values of every \
                 input and parameter), not proved: {reason}; at the file's values {both} {}",
                short(l)
            ),
            Verdict::Undecided { reason } => {
                write!(
                    f,
                    "  undecided: {reason}; at the file's values left = {l}, right = {r}"
                )
            }
            Verdict::Fails(c) => {
                let difference = (c.lhs - c.rhs).abs();
                let entry = match c.entry {
                    Some((i, j)) => format!(" at entry ({i}, {j}),"),
                    None => String::new(),
                };
                if c.at_file_values {
                    writeln!(f, "  FAILS{entry} at the file's values:")?;
                } else if c.holds_at_file_values {
                    writeln!(
                        f,
                        "  FAILS{}: it holds at the file's values (both {}), but not at",
                        entry.trim_end_matches(','),
                        short(l)
                    )?;
                    writeln!(f, "    {}", point_text(&c.point))?;
                } else {
                    writeln!(f, "  FAILS{entry} at")?;
                    writeln!(f, "    {}", point_text(&c.point))?;
                }
                if c.exact && !c.tolerance.is_finite() {
                    // A step's rounding bound is not finite (ln 0 under a power 0, say), so
                    // no tolerance can be stated: the exact difference decides alone.
                    write!(
                        f,
                        "    left = {}, right = {}: they differ by {difference:.3e}; no rounding \
                         tolerance can be stated here (a step of the computation is not \
                         finite), but the normal forms show the difference is exact",
                        c.lhs, c.rhs
                    )?;
                } else if c.exact && difference <= c.tolerance {
                    write!(
                        f,
                        "    left = {}, right = {}: they differ by {difference:.3e}, within the \
                         rounding tolerance {:.1e}, but the normal forms show the difference \
                         is exact",
                        c.lhs, c.rhs, c.tolerance
                    )?;
                } else {
                    write!(
                        f,
                        "    left = {}, right = {}: they differ by {difference:.3e}, more than \
                         the rounding tolerance {:.1e}",
                        c.lhs, c.rhs, c.tolerance
                    )?;
                }
                if let Some(d) = &c.diagnosis {
                    write!(f, "\n    {d}")?;
                }
                if c.holds_at_file_values && !c.moved_inputs.is_empty() {
                    let (s, them) = if c.moved_inputs.len() == 1 {
                        ("", "it")
                    } else {
                        ("s", "them")
                    };
                    write!(
                        f,
                        "\n    this point moves the input{s} {} from the file's values: `check` \
                         varies inputs; if the claim needs {them} as written, declare {them} \
                         `data`",
                        c.moved_inputs.join(", ")
                    )?;
                }
                Ok(())
            }
        }?;
        if let Some(o) = &self.one_sided {
            write!(
                f,
                "\n  note: at {} of {} points one side is finite and the other is not \
                 (left = {}, right = {} at {}): the sides are defined on different \
                 domains, and those points were not counted",
                o.points,
                o.of,
                o.lhs,
                o.rhs,
                point_text(&o.point)
            )?;
        }
        Ok(())
    }
}

fn point_text(point: &[(String, f64)]) -> String {
    point
        .iter()
        .map(|(n, v)| format!("{n} = {}", short(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A summary line for a set of reports: how many proved, held, failed, undecided.
pub fn summary(reports: &[ClaimReport]) -> String {
    let count = |p: fn(&Verdict) -> bool| reports.iter().filter(|r| p(&r.verdict)).count();
    format!(
        "{} claims: {} proved, {} hold at points, {} fail, {} undecided",
        reports.len(),
        count(|v| matches!(v, Verdict::Proved { .. })),
        count(|v| matches!(v, Verdict::Holds { .. })),
        count(|v| matches!(v, Verdict::Fails(_))),
        count(|v| matches!(v, Verdict::Undecided { .. })),
    )
}

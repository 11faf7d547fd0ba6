//! A randomised identity test: proofs of claims whose normal forms are too large to
//! expand, in time linear in the DAG.
//!
//! # What it decides
//!
//! Each side of a claim is read as a rational function with integer coefficients of
//! the leaves (inputs and parameters) and of **atoms**: the applications of the
//! functions that are not rational (`σ(u)`, `exp(u)`, `ln(u)`, `|u|`, `u^v` for an
//! exponent that is not an integer constant, ...). An atom is named by its function
//! and the rational function its argument *is*, not the way it is written, and the
//! atoms are otherwise treated as independent indeterminates, with only these
//! relations, each true of the real functions:
//!
//! - `exp(−u) = 1/exp(u)` and `exp(0) = 1`; `σ(u) = E/(1 + E)` and
//!   `tanh(u) = (E₂ − 1)/(E₂ + 1)` with `E = exp(u)`, `E₂ = exp(2u)` (so
//!   `σ(−x) = 1 − σ(x)` and `σ(x) = 1/(1 + exp(−x))` are proved);
//! - `relu(−u) = relu(u) − u` and `|u| = 2·relu(u) − u` (so `|−u| = |u|` and
//!   `relu(u) = (u + |u|)/2`), `cos(−u) = cos(u)`, `sign(−u) = −sign(u)`,
//!   `sin(−u) = −sin(u)`;
//! - `√u = u^(1/2)`; a function of an exact constant takes its exact value where it
//!   is rational (`σ(0) = 1/2`, `relu(−3) = 0`).
//!
//! `exp(a + b) = exp(a)·exp(b)` is *not* among them (it has no counterpart modulo a
//! prime); the exponential normal form of `normal_form.rs` covers it for small claims.
//! Derivatives need nothing more: the symbolic derivative writes `σ′(u)` as
//! `σ(u)(1 − σ(u))`, `exp′` as `exp`, `tanh′` as `1 − tanh²` with the same nodes, so a
//! derivative claim is an identity between rational functions of these atoms.
//!
//! # Why a pass is a proof (up to a stated probability)
//!
//! *Soundness of the model.* If the two sides are equal as rational functions of
//! independent atoms (respecting the relations above), they are equal as real
//! functions wherever both are defined: substituting the atoms' actual values into an
//! identity of rational functions keeps it an identity, and the relations used hold
//! for the real functions. The converse fails (`exp(a + b)` against `exp(a)·exp(b)`),
//! which only means such a claim is not proved here; this test never fails a claim.
//!
//! *The test.* A trial draws a prime `p` uniformly from [2⁶¹, 2⁶²), every leaf
//! uniformly from ℤ/p, and gives every atom a value from a lazily sampled random
//! function of (function, argument's value mod p) — so atoms with equal arguments get
//! equal values, by construction, and the relations above are built into how the value
//! is looked up. The DAG is evaluated exactly mod p, node by node. A trial in which a
//! denominator vanishes mod p is void (another is drawn). The claim passes if the two
//! sides are equal in every one of `k` non-void trials.
//!
//! *The error.* Let the sides be `N₁/D₁` and `N₂/D₂` in the representation the
//! evaluation follows (see `bounds.rs`) and `M = N₁D₂ − N₂D₁ ≠ 0` (a false claim in
//! the model). A non-void trial passes only if one of these happens:
//!
//! 1. `p` divides every coefficient of `M`: at most `log₂‖M‖₁/61` primes ≥ 2⁶¹ do,
//!    out of more than 3.8·10¹⁶ in the range;
//! 2. two different atom arguments `u ≠ ±u′` (or `u ≠ 0`) take equal values, merging
//!    two atoms: for each of at most `2A² + A` pairs, a prime dividing `u ∓ u′`
//!    (as in 1) or a zero of it (Schwartz–Zippel: probability ≤ degree/(p − 1));
//! 3. otherwise every atom's value is a fresh uniform draw, independent of the rest,
//!    so the point is uniform and `M` vanishes there with probability ≤ deg M/(p − 1).
//!
//! Conditioning on a non-void trial divides this by P(non-void) ≥ 1 − V, where `V`
//! bounds (the same way) the chance that one of the denominators vanishes; the test
//! requires `V ≤ 1/2`. Degrees and coefficient sizes come from bounds propagated node
//! by node (`bounds.rs`), `A` counts the atom nodes; the `k` trials are independent,
//! so the chance that a false claim passes is at most `εᵏ`, which the verdict states.
//! A claim whose bound exceeds [`MAX_ERROR`] is not called proved.
//!
//! *Whose atoms.* All of a program's claims share each trial, but everything above
//! is about one claim's nodes: its **cone**, the nodes its two sides are computed
//! from. `A`, `V`, the degrees and sizes count the cone's nodes only, and a trial is
//! void for the claim only when one of its own sides is. That is enough: the sides'
//! values are computed from the cone's nodes alone; the prime is drawn before any
//! node is evaluated; and an atom's value is the random function's value at its key,
//! a uniform draw whichever other claims' nodes asked for other keys first (and equal
//! keys are equal arguments, events 2 and 3 alike). So the bound of a claim does not
//! grow with the document around it.

mod bounds;
mod field;

use std::collections::HashMap;

use super::dag::{Cone, Dag, ExprId, Node};
use super::func::Func;
use super::normal_form::exact_value;
use super::number::{Number, Rational};
use bounds::{bound, integer_power, Bound};
use field::{Field, Random, LOW, PRIMES_IN_RANGE};

/// Non-void trials a claim must pass.
pub(crate) const TRIALS: usize = 3;

/// The largest chance of error (that a false claim passes) with which a claim is
/// still called proved.
pub(crate) const MAX_ERROR: f64 = 1e-15;

/// What the identity test found for one claim.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// Equal at `trials` random points modulo random primes; a false claim would pass
    /// with probability at most `error`.
    Identical {
        /// Non-void trials passed.
        trials: usize,
        /// The bound on the chance of a false pass.
        error: f64,
    },
    /// The sides differ at a point: they are not equal as rational functions of their
    /// atoms (they may still be equal through relations the model leaves out).
    Different,
    /// Not decided: every trial was void, or the bound on the error is too large.
    Unknown,
}

/// A node's value in a trial, or `VOID` where a denominator vanished.
const VOID: u64 = u64::MAX;

/// Keys of the random function that gives atoms their values.
const KEY_FLOAT: u8 = 0;
const KEY_LEAF: u8 = 1;
const KEY_POWER: u8 = 2;
const KEY_PI: u8 = 3;

fn key_of(f: Func) -> u8 {
    16 + Func::ALL.iter().position(|&g| g == f).unwrap_or(0) as u8
}

/// Tests every claim `[lhs, rhs]` with `TRIALS` non-void trials each (at most twice as
/// many trials in all), seeded by `seed` so that verdicts are reproducible.
pub(crate) fn test_claims(dag: &Dag, claims: &[[ExprId; 2]], seed: u64) -> Vec<Outcome> {
    let roots: Vec<ExprId> = claims.iter().flatten().copied().collect();
    let reach = dag.reachable(&roots);
    let bounds = node_bounds(dag, &reach);
    let mut random = Random::new(seed ^ 0x1de7_7171_7e57_0000);
    let mut passed = vec![0usize; claims.len()];
    let mut different = vec![false; claims.len()];
    let mut values = vec![VOID; reach.len()];
    for _ in 0..2 * TRIALS {
        if (0..claims.len()).all(|c| different[c] || passed[c] >= TRIALS) {
            break;
        }
        let mut trial = Trial::new(dag, &mut random);
        trial.evaluate(&reach, &mut values);
        for (c, [l, r]) in claims.iter().enumerate() {
            let (x, y) = (values[l.index()], values[r.index()]);
            if x == VOID || y == VOID || different[c] || passed[c] >= TRIALS {
                continue;
            }
            if x == y {
                passed[c] += 1;
            } else {
                different[c] = true;
            }
        }
    }
    claims
        .iter()
        .enumerate()
        .map(|(c, [l, r])| {
            if different[c] {
                return Outcome::Different;
            }
            if passed[c] < TRIALS {
                return Outcome::Unknown;
            }
            // The bound counts the claim's own atoms and denominators only: the trial
            // evaluates other claims' nodes too, but the claim's sides depend on its
            // cone alone, and the events of the module doc concern only its nodes.
            let cone = dag.cone(&[*l, *r]);
            let summary = Summary::of(dag, &cone, &bounds);
            let error = summary.error(bounds[l.index()], bounds[r.index()]);
            if error <= MAX_ERROR {
                Outcome::Identical {
                    trials: passed[c],
                    error,
                }
            } else {
                Outcome::Unknown
            }
        })
        .collect()
}

/// How many leaves and atoms a claim's sides are rational functions of: the leaf and
/// atom nodes of its cone (distinct nodes; equal atoms written twice count twice).
pub(crate) fn atom_count(dag: &Dag, cone: &Cone) -> usize {
    cone.ids()
        .iter()
        .filter(|&&id| {
            let node = dag.node(id);
            matches!(node, Node::Leaf(_)) || is_atom(dag, node)
        })
        .count()
}

/// Whether a node is an atom (not a leaf, not rational in its operands).
fn is_atom(dag: &Dag, node: Node) -> bool {
    match node {
        Node::Number(Number::Float(_)) | Node::Pi => true,
        Node::Pow(_, b) => integer_power(dag, b).is_none(),
        Node::Call(f, a) => constant_value(dag, f, a).is_none(),
        _ => false,
    }
}

/// `f(a)` where `a` is an exact constant and the value is rational.
fn constant_value(dag: &Dag, f: Func, a: ExprId) -> Option<Rational> {
    exact_value(f, dag.constant(a)?.exact()?)
}

/// Every reached node's bound (see `bounds.rs`), in index order: a node's bound
/// depends on its operands' alone, so one pass serves every claim.
fn node_bounds(dag: &Dag, reach: &[bool]) -> Vec<Bound> {
    let mut bounds = vec![Bound::default(); reach.len()];
    for i in 0..reach.len() {
        if reach[i] {
            bounds[i] = bound(dag, dag.nodes()[i], |c| bounds[c.index()]);
        }
    }
    bounds
}

/// What the error bound of one claim needs from the nodes its sides depend on.
struct Summary {
    /// Atom nodes in the claim's cone (an upper bound on its distinct atoms).
    atoms: f64,
    /// Nodes that may divide by zero (divisions, negative powers, fractions, and the
    /// atoms whose value has a denominator).
    denominators: f64,
    /// The largest degree and coefficient size of any node (for the void bound).
    degree: f64,
    bits: f64,
    /// The largest degree and size of `u − u′` over two atom arguments.
    argument_degree: f64,
    argument_bits: f64,
}

impl Summary {
    fn of(dag: &Dag, cone: &Cone, bounds: &[Bound]) -> Summary {
        let mut s = Summary {
            atoms: 0.0,
            denominators: 0.0,
            degree: 1.0,
            bits: 0.0,
            argument_degree: 0.0,
            argument_bits: 0.0,
        };
        let (mut arg_num, mut arg_den, mut arg_num_bits, mut arg_den_bits) =
            (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for &id in cone.ids() {
            let node = dag.node(id);
            let b = bounds[id.index()];
            s.degree = s.degree.max(b.num + b.den);
            s.bits = s.bits.max(b.num_bits + b.den_bits);
            let divides = match node {
                Node::Div(..) => true,
                Node::Pow(_, e) => integer_power(dag, e).is_some_and(|n| n < 0),
                Node::Number(Number::Exact(r)) => !r.is_integer(),
                Node::Call(Func::Exp | Func::Sigma | Func::Tanh, _) => true,
                _ => false,
            };
            s.denominators += f64::from(u8::from(divides));
            if is_atom(dag, node) {
                s.atoms += 1.0;
                for c in node.children() {
                    let u = bounds[c.index()];
                    arg_num = arg_num.max(u.num);
                    arg_den = arg_den.max(u.den);
                    arg_num_bits = arg_num_bits.max(u.num_bits);
                    arg_den_bits = arg_den_bits.max(u.den_bits);
                }
                // tanh's atom is exp(2u): one more bit.
                if matches!(node, Node::Call(Func::Tanh, _)) {
                    arg_num_bits += 1.0;
                }
            }
        }
        // u − u′ = (N D′ − N′ D)/(D D′).
        s.argument_degree = arg_num + arg_den;
        s.argument_bits = arg_num_bits + arg_den_bits + 1.0;
        s
    }

    /// The chance that a non-zero polynomial of degree `degree` with coefficients of
    /// 1-norm at most `2^bits` vanishes at a trial's point: its prime divides every
    /// coefficient, or the point is a zero.
    fn chance(degree: f64, bits: f64) -> f64 {
        let p = (LOW - 1) as f64;
        degree / p + (bits / 61.0) / PRIMES_IN_RANGE
    }

    /// The bound on a false pass of the claim `left = right` (see the module doc).
    fn error(&self, left: Bound, right: Bound) -> f64 {
        let (degree, bits) = left.difference(right);
        let void = self.denominators * Summary::chance(self.degree, self.bits);
        if void.is_nan() || void > 0.5 {
            return f64::INFINITY;
        }
        let pairs = 2.0 * self.atoms * self.atoms + self.atoms;
        let per_trial = (Summary::chance(degree, bits)
            + pairs * Summary::chance(self.argument_degree, self.argument_bits))
            / (1.0 - void);
        if per_trial.is_nan() {
            return f64::INFINITY;
        }
        per_trial.min(1.0).powi(TRIALS as i32)
    }
}

/// One random point modulo one random prime.
struct Trial<'a, 'r> {
    dag: &'a Dag,
    field: Field,
    random: &'r mut Random,
    /// The lazily sampled random function: (kind, argument values) → value.
    atoms: HashMap<(u8, u64, u64), u64>,
}

impl<'a, 'r> Trial<'a, 'r> {
    fn new(dag: &'a Dag, random: &'r mut Random) -> Trial<'a, 'r> {
        let field = Field::new(random.prime());
        Trial {
            dag,
            field,
            random,
            atoms: HashMap::new(),
        }
    }

    /// The random function's value at `key`, drawn on first use.
    fn atom(&mut self, key: (u8, u64, u64)) -> u64 {
        let p = self.field.prime();
        let random = &mut *self.random;
        *self.atoms.entry(key).or_insert_with(|| random.below(p))
    }

    /// `exp(u)` from `u`'s value: `exp(0) = 1`, `exp(−u) = 1/exp(u)`.
    fn exp(&mut self, u: u64) -> u64 {
        let f = self.field;
        if u == 0 {
            1
        } else if f.is_upper(u) {
            let e = self.atom((key_of(Func::Exp), f.neg(u), 0));
            f.inverse(e).unwrap_or(VOID)
        } else {
            self.atom((key_of(Func::Exp), u, 0))
        }
    }

    /// An even function's value: keyed by the lower-half one of `u`, `−u`.
    fn even(&mut self, f: Func, u: u64) -> u64 {
        let field = self.field;
        let key = if field.is_upper(u) { field.neg(u) } else { u };
        self.atom((key_of(f), key, 0))
    }

    /// `relu(u)` and `|u|` from one atom `Y = relu(v)`, `v` the lower-half one of `u`,
    /// `−u`: `relu(u) = Y` or `Y + u` (as `relu(−v) = relu(v) − v`), and
    /// `|u| = 2·relu(u) − u`. No denominators, so the coefficient bounds stay small.
    fn relu_or_abs(&mut self, g: Func, u: u64) -> u64 {
        let f = self.field;
        let upper = f.is_upper(u);
        let y = self.atom((key_of(Func::Relu), if upper { f.neg(u) } else { u }, 0));
        let relu = if upper { f.add(y, u) } else { y };
        match g {
            Func::Abs => f.sub(f.add(relu, relu), u),
            _ => relu,
        }
    }

    /// An odd function's value: `f(0) = 0`, `f(−u) = −f(u)`.
    fn odd(&mut self, f: Func, u: u64) -> u64 {
        let field = self.field;
        if u == 0 {
            0
        } else if field.is_upper(u) {
            let v = self.atom((key_of(f), field.neg(u), 0));
            field.neg(v)
        } else {
            self.atom((key_of(f), u, 0))
        }
    }

    fn rational(&self, r: Rational) -> u64 {
        let f = self.field;
        let num = f.integer(r.numerator());
        f.div(num, f.integer(r.denominator())).unwrap_or(VOID)
    }

    /// Every reached node's value, in index order.
    fn evaluate(&mut self, reach: &[bool], values: &mut [u64]) {
        let f = self.field;
        for i in 0..reach.len() {
            if !reach[i] {
                continue;
            }
            let node = self.dag.nodes()[i];
            let v = |c: ExprId| values[c.index()];
            let void = node.children().any(|c| v(c) == VOID);
            values[i] = if void {
                // A function of an exact constant needs no value of its operand.
                match node {
                    Node::Call(g, a) => {
                        constant_value(self.dag, g, a).map_or(VOID, |r| self.rational(r))
                    }
                    _ => VOID,
                }
            } else {
                match node {
                    Node::Number(Number::Exact(r)) => self.rational(r),
                    Node::Number(Number::Float(bits)) => self.atom((KEY_FLOAT, bits, 0)),
                    Node::Leaf(l) => self.atom((KEY_LEAF, u64::from(l), 0)),
                    // π is transcendental: an atom, like a leaf never varied.
                    Node::Pi => self.atom((KEY_PI, 0, 0)),
                    Node::Neg(a) => f.neg(v(a)),
                    Node::Add(a, b) => f.add(v(a), v(b)),
                    Node::Sub(a, b) => f.sub(v(a), v(b)),
                    Node::Mul(a, b) => f.mul(v(a), v(b)),
                    Node::Div(a, b) => f.div(v(a), v(b)).unwrap_or(VOID),
                    Node::Pow(a, b) => match integer_power(self.dag, b) {
                        Some(n) => f.pow(v(a), n).unwrap_or(VOID),
                        None => self.atom((KEY_POWER, v(a), v(b))),
                    },
                    Node::Call(g, a) => self.call(g, a, v(a)),
                }
            };
        }
    }

    fn call(&mut self, g: Func, a: ExprId, u: u64) -> u64 {
        if let Some(r) = constant_value(self.dag, g, a) {
            return self.rational(r);
        }
        let f = self.field;
        let quotient = |x: u64, y: u64| {
            if x == VOID || y == VOID {
                VOID
            } else {
                f.div(x, y).unwrap_or(VOID)
            }
        };
        match g {
            Func::Exp => self.exp(u),
            Func::Sigma => {
                let e = self.exp(u);
                if e == VOID {
                    return VOID;
                }
                quotient(e, f.add(e, 1))
            }
            Func::Tanh => {
                let e = self.exp(f.add(u, u));
                if e == VOID {
                    return VOID;
                }
                quotient(f.sub(e, 1), f.add(e, 1))
            }
            Func::Sqrt => {
                let half = f.inverse(2).unwrap_or(VOID);
                self.atom((KEY_POWER, u, half))
            }
            Func::Relu | Func::Abs => self.relu_or_abs(g, u),
            Func::Cos => self.even(g, u),
            Func::Sign | Func::Sin => self.odd(g, u),
            Func::Ln | Func::Step => self.atom((key_of(g), u, 0)),
        }
    }
}

#[cfg(test)]
mod tests;

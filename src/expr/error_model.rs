//! The rounding-error model: a value together with a bound on its rounding error.
//!
//! Claims are compared, and finite differences judged, against this bound rather than
//! a guessed tolerance: two sides that agree within the sum of their bounds agree as
//! far as `f64` can tell.

use super::dag::{Cone, Dag, ExprId, Node};
use super::eval::{integer_exponent, node_value};
use super::func::Func;
use crate::scalar::Scalar;

/// The unit roundoff of `f64` (half the machine epsilon).
const UNIT: f64 = f64::EPSILON / 2.0;

/// The spacing of the subnormal numbers (2⁻¹⁰⁷⁴): the absolute error of an operation
/// whose result underflows.
const SUBNORMAL: f64 = f64::from_bits(1);

/// The rounding error a library function (`exp`, `ln`, `sin`, σ ...) may add, in units
/// of the roundoff (measured libm functions stay within a few ulp; σ is an exp, an add
/// and a division).
const LIBRARY_ULPS: f64 = 4.0;

/// The value of every node the `roots` depend on, in `f64`, with a first-order bound on
/// its rounding error: the error model the claims' tolerances come from.
///
/// Each operation adds its own rounding (`u·|result|`, a few ulp for library
/// functions) to the operands' errors propagated through its derivative. Constants are
/// charged one rounding unless they are integers, leaves none (their values are what
/// they are). A step or sign whose argument is within its error bound of 0 may jump:
/// its error is the jump.
pub(crate) fn evaluate_with_error(dag: &Dag, roots: &[ExprId], leaves: &[f64]) -> Vec<(f64, f64)> {
    let cone = dag.cone(roots);
    let mut evaluator = Evaluator::new(&cone);
    evaluator.evaluate(dag, leaves);
    roots.iter().map(|&r| evaluator.get(r)).collect()
}

/// [`evaluate_with_error`] for one set of roots at many points: the nodes to evaluate
/// are found once (their [`Cone`]), and the buffers are reused (a claim is tested at
/// dozens of points, and a deep network's claims reach thousands of nodes). Its cost
/// is the cone's size, not the DAG's.
pub(crate) struct Evaluator<'c> {
    /// The nodes the roots depend on, in index (topological) order.
    cone: &'c Cone,
    /// Each member's value and error bound, by position in `cone`.
    values: Vec<f64>,
    errors: Vec<f64>,
}

impl<'c> Evaluator<'c> {
    /// An evaluator for the nodes of `cone`.
    pub fn new(cone: &'c Cone) -> Evaluator<'c> {
        Evaluator {
            cone,
            values: vec![f64::NAN; cone.len()],
            errors: vec![f64::NAN; cone.len()],
        }
    }

    /// The value and error bound of `id` at the last point evaluated (NaN for a node
    /// outside the cone).
    pub fn get(&self, id: ExprId) -> (f64, f64) {
        match self.cone.position(id) {
            Some(k) => (self.values[k], self.errors[k]),
            None => (f64::NAN, f64::NAN),
        }
    }

    /// Evaluates every node of the cone at the leaves' values `leaves`.
    pub fn evaluate(&mut self, dag: &Dag, leaves: &[f64]) {
        let cone = self.cone;
        let (values, errors) = (&mut self.values, &mut self.errors);
        for (i, &id) in cone.ids().iter().enumerate() {
            let node = dag.node(id);
            let slot = |c: ExprId| cone.operand(i, c);
            let r = node_value(dag, node, leaves, |c| {
                slot(c).map_or(f64::NAN, |p| values[p])
            });
            let v = |c: ExprId| slot(c).map_or(f64::NAN, |p| values[p]);
            let e = |c: ExprId| slot(c).map_or(f64::NAN, |p| errors[p]);
            // Below the normal range a result is rounded to a multiple of the smallest
            // subnormal, an absolute error that u·|r| alone (0 for r subnormal) misses:
            // two sides near 1e-322 may differ by many subnormal steps.
            let own = UNIT * r.abs() + SUBNORMAL;
            let error = match node {
                Node::Number(n) => {
                    let exact_integer =
                        n.exact().is_some_and(|q| q.is_integer()) && r.abs() < 9.0e15;
                    if exact_integer {
                        0.0
                    } else {
                        own
                    }
                }
                Node::Leaf(_) => 0.0,
                // π rounded to the nearest double.
                Node::Pi => own,
                Node::Neg(a) => e(a),
                Node::Add(a, b) | Node::Sub(a, b) => e(a) + e(b) + own,
                Node::Mul(a, b) => v(a).abs() * e(b) + v(b).abs() * e(a) + e(a) * e(b) + own,
                Node::Div(a, b) => {
                    let room = v(b).abs() - e(b);
                    if room <= 0.0 {
                        f64::INFINITY
                    } else {
                        (e(a) + r.abs() * e(b)) / room + own
                    }
                }
                Node::Pow(a, b) => match integer_exponent(dag, b) {
                    Some(n) => {
                        let n = f64::from(n);
                        let slope = n.abs() * v(a).abs().powf(n - 1.0);
                        // powi multiplies about log2|n| times.
                        let steps = n.abs().log2().ceil().max(1.0) * 2.0;
                        slope * e(a) + steps * own
                    }
                    // An exact zero base: 0^b is exactly 0 for every b surely
                    // positive (`0^(w² + 1)`), where the slopes below are 0/0 and 0·∞.
                    None if v(a) == 0.0 && e(a) == 0.0 => {
                        if v(b) - e(b) > 0.0 {
                            0.0
                        } else {
                            f64::INFINITY
                        }
                    }
                    None => {
                        // An exact operand adds nothing, even where its slope is not
                        // finite (`(c⁵)^step(a)` for c < 0: ln of a negative base).
                        let part = |slope: f64, error: f64| {
                            if error == 0.0 {
                                0.0
                            } else {
                                slope * error
                            }
                        };
                        let slope_a = (v(b) * r / v(a)).abs();
                        let slope_b = (r * v(a).ln()).abs();
                        part(slope_a, e(a)) + part(slope_b, e(b)) + LIBRARY_ULPS * own
                    }
                },
                Node::Call(f, a) => {
                    if jumps(f) && v(a).abs() <= e(a) {
                        2.0
                    } else {
                        slope(f, v(a)) * e(a) + LIBRARY_ULPS * own
                    }
                }
            };
            values[i] = r;
            errors[i] = error;
        }
    }
}

/// `|f'(x)|`, for the rounding-error model: how much an error in the argument is
/// amplified. Zero for the piecewise-constant functions (their jumps are handled by
/// the model separately).
fn slope(f: Func, x: f64) -> f64 {
    match f {
        Func::Sigma => {
            let s = x.sigmoid();
            s * (1.0 - s)
        }
        Func::Exp => x.exp(),
        Func::Ln => 1.0 / x.abs(),
        Func::Sqrt => 0.5 / x.abs().sqrt(),
        Func::Tanh => 1.0 - x.tanh().powi(2),
        Func::Relu | Func::Abs | Func::Sin | Func::Cos => 1.0,
        Func::Step | Func::Sign => 0.0,
    }
}

/// Whether the function jumps (at 0): an argument within its error bound of 0 makes
/// the value uncertain by the size of the jump.
fn jumps(f: Func) -> bool {
    matches!(f, Func::Step | Func::Sign)
}

//! Symbolic differentiation on the DAG.
//!
//! Forward accumulation over node indices: the derivative of each node that depends on
//! the variable is built from its operands' derivatives by the node's rule (one rule
//! per operation, below), in one loop, without recursion. A node that does not depend
//! on the variable has derivative zero and builds nothing.
//!
//! The variable may be any node: an input, a parameter, or an intermediate quantity
//! such as `yhat7`. For an intermediate, the derivative treats it as an independent
//! variable and sums over every path from it to the output — the backpropagated
//! adjoint, which is what `∂L_s7/∂ŷ7` means in the document.

use super::dag::{Dag, ExprId, Node};
use super::func::Func;
use super::simplify::{simplify_named, Quotient};

/// `∂f/∂wrt`, simplified; function arguments too, but for those `named` says are
/// a definition's.
pub(crate) fn derivative(
    dag: &mut Dag,
    f: ExprId,
    wrt: ExprId,
    named: &dyn Fn(ExprId) -> bool,
) -> ExprId {
    let raw = raw_derivative(dag, f, wrt);
    let quotients = named_quotients(dag, raw, named);
    simplify_named(dag, raw, named, &quotients)
}

/// The most denominators looked at for named quotients (a bound on the search, which
/// is the derivative's size times this).
const MAX_DENOMINATORS: usize = 16;

/// The named quotients `q = n / d` (softmax's `p1 = exp(z1) / S`) whose `n` and `d`
/// both occur in the expression `root`, for it to be written with them. A `d` is
/// looked for among the denominators and the bases of powers in `root`.
pub(crate) fn named_quotients(
    dag: &Dag,
    root: ExprId,
    named: &dyn Fn(ExprId) -> bool,
) -> Vec<Quotient> {
    let cone = dag.cone(&[root]);
    let mut denominators: Vec<ExprId> = Vec::new();
    for &id in cone.ids() {
        if let Node::Div(_, d) | Node::Pow(d, _) = dag.node(id) {
            if !denominators.contains(&d) && denominators.len() < MAX_DENOMINATORS {
                denominators.push(d);
            }
        }
    }
    let mut quotients = Vec::new();
    for &n in cone.ids() {
        for &d in &denominators {
            if let Some(q) = dag.find(Node::Div(n, d)).filter(|&q| named(q)) {
                quotients.push((q, n, d));
            }
        }
    }
    quotients
}

/// `∂f/∂wrt` as the chain rule builds it (local simplifications only).
pub(crate) fn raw_derivative(dag: &mut Dag, f: ExprId, wrt: ExprId) -> ExprId {
    if wrt > f {
        // Operands precede their users: f cannot depend on a later node.
        return dag.integer(0);
    }
    // Only the nodes at or above `wrt` that `f` depends on: a node below `wrt` cannot
    // depend on it (operands precede their users), so its derivative is zero, and the
    // work is the size of `f`'s expression above `wrt`, not of the DAG.
    let cone = dag.cone_within(&[f], |id| id >= wrt);
    // `None` is a derivative of exactly zero.
    let mut d: Vec<Option<ExprId>> = vec![None; cone.len()];
    for (k, &id) in cone.ids().iter().enumerate() {
        if id == wrt {
            d[k] = Some(dag.integer(1));
            continue;
        }
        let node = dag.node(id);
        let of = |c: ExprId| cone.operand(k, c).and_then(|p| d[p]);
        if node.children().all(|c| of(c).is_none()) {
            continue;
        }
        let result = rule(dag, id, node, of);
        let zero = dag.constant(result).is_some_and(|c| c.is_zero());
        d[k] = if zero { None } else { Some(result) };
    }
    cone.position(f)
        .and_then(|k| d[k])
        .unwrap_or_else(|| dag.integer(0))
}

/// The derivative of `node` (whose index is `id`) from its operands' derivatives
/// (`of(c)`, `None` for zero). At least one operand's derivative is non-zero.
pub(crate) fn rule(
    dag: &mut Dag,
    id: ExprId,
    node: Node,
    of: impl Fn(ExprId) -> Option<ExprId>,
) -> ExprId {
    let zero = dag.integer(0);
    let one = dag.integer(1);
    let two = dag.integer(2);
    let d = |c: ExprId| of(c).unwrap_or(zero);
    match node {
        // Leaves and constants have no operands; they never reach here.
        Node::Number(_) | Node::Leaf(_) | Node::Pi => zero,
        Node::Neg(a) => dag.neg(d(a)),
        Node::Add(a, b) => dag.add(d(a), d(b)),
        Node::Sub(a, b) => dag.sub(d(a), d(b)),
        // (a·b)' = a'·b + a·b'
        Node::Mul(a, b) => {
            let left = dag.mul(d(a), b);
            let right = dag.mul(a, d(b));
            dag.add(left, right)
        }
        // (a/b)' = a'/b − a·b'/b²
        Node::Div(a, b) => {
            let left = dag.div(d(a), b);
            let numerator = dag.mul(a, d(b));
            let square = dag.pow(b, two);
            let right = dag.div(numerator, square);
            dag.sub(left, right)
        }
        Node::Pow(a, b) => match (of(a), of(b)) {
            // (a^b)' = b·a^(b−1)·a' for an exponent that does not vary
            (Some(da), None) => {
                let b_minus_one = dag.sub(b, one);
                let power = dag.pow(a, b_minus_one);
                let scaled = dag.mul(b, power);
                dag.mul(scaled, da)
            }
            // (a^b)' = a^b·ln(a)·b' for a base that does not vary
            (None, Some(db)) => {
                let ln = dag.call(Func::Ln, a);
                let scaled = dag.mul(id, ln);
                dag.mul(scaled, db)
            }
            // (a^b)' = a^b·(b'·ln a + b·a'/a)
            _ => {
                let ln = dag.call(Func::Ln, a);
                let first = dag.mul(d(b), ln);
                let b_da = dag.mul(b, d(a));
                let second = dag.div(b_da, a);
                let inner = dag.add(first, second);
                dag.mul(id, inner)
            }
        },
        // ln' reads better as a'/a than as (1/a)·a'.
        Node::Call(Func::Ln, a) => dag.div(d(a), a),
        Node::Call(f, a) => {
            let outer = match f {
                // σ' = σ(1 − σ), written with the node itself, so it prints as
                // ŷ(1 − ŷ) where the node is named ŷ.
                Func::Sigma => {
                    let complement = dag.sub(one, id);
                    dag.mul(id, complement)
                }
                Func::Exp => id,
                // (Taken by the arm above; kept so the table is complete.)
                Func::Ln => dag.div(one, a),
                Func::Sqrt => {
                    let twice = dag.mul(two, id);
                    dag.div(one, twice)
                }
                Func::Tanh => {
                    let square = dag.pow(id, two);
                    dag.sub(one, square)
                }
                Func::Relu => dag.call(Func::Step, a),
                Func::Abs => dag.call(Func::Sign, a),
                Func::Sin => dag.call(Func::Cos, a),
                Func::Cos => {
                    let sin = dag.call(Func::Sin, a);
                    dag.neg(sin)
                }
                // Piecewise constant: zero wherever the derivative exists.
                Func::Step | Func::Sign => zero,
            };
            dag.mul(outer, d(a))
        }
    }
}

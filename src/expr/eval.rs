//! Evaluation: to numbers, onto the tape, and with a rounding-error bound.
//!
//! [`evaluate`] is generic over [`Scalar`]: with `f64` it computes values; with
//! [`Var`](crate::Var) it records the expression on a tape, so the tape's reverse sweep
//! gives the gradient of the very expression the symbolic derivative was taken of.

use super::dag::{Cone, Dag, ExprId, Node};
use super::number::Number;
use crate::scalar::Scalar;

/// The value of every node the `roots` depend on (`None` for the others), indexed by
/// node, given the leaves' values in declaration order: for a pass over the whole
/// graph (its size is the largest root's index; see [`evaluate_cone`]).
pub(crate) fn evaluate<T: Scalar>(dag: &Dag, roots: &[ExprId], leaves: &[T]) -> Vec<Option<T>> {
    let cone = dag.cone(roots);
    let upto = roots.iter().map(|r| r.index() + 1).max().unwrap_or(0);
    let mut values: Vec<Option<T>> = vec![None; upto];
    for (&id, value) in cone.ids().iter().zip(evaluate_cone(dag, &cone, leaves)) {
        values[id.index()] = Some(value);
    }
    values
}

/// The value of every node of `cone`, by position, given the leaves' values in
/// declaration order. One loop over the cone: its cost is the expression's size.
pub(crate) fn evaluate_cone<T: Scalar>(dag: &Dag, cone: &Cone, leaves: &[T]) -> Vec<T> {
    let mut values: Vec<T> = Vec::with_capacity(cone.len());
    for (k, &id) in cone.ids().iter().enumerate() {
        let value = node_value(dag, dag.node(id), leaves, |c| {
            cone.operand(k, c).map_or_else(T::nan, |p| values[p])
        });
        values.push(value);
    }
    values
}

/// One node's value from its operands' (`v`): the one place the language's
/// operations meet numbers.
pub(crate) fn node_value<T: Scalar>(
    dag: &Dag,
    node: Node,
    leaves: &[T],
    v: impl Fn(ExprId) -> T,
) -> T {
    match node {
        Node::Number(n) => constant(n),
        Node::Leaf(l) => leaves.get(l as usize).copied().unwrap_or_else(T::nan),
        Node::Pi => T::from(std::f64::consts::PI).unwrap_or_else(T::nan),
        Node::Neg(a) => -v(a),
        Node::Add(a, b) => v(a) + v(b),
        Node::Sub(a, b) => v(a) - v(b),
        Node::Mul(a, b) => v(a) * v(b),
        Node::Div(a, b) => v(a) / v(b),
        Node::Pow(a, b) => match integer_exponent(dag, b) {
            Some(n) => v(a).powi(n),
            None => v(a).powf(v(b)),
        },
        Node::Call(f, a) => f.apply(v(a)),
    }
}

fn constant<T: Scalar>(n: Number) -> T {
    T::from(n.to_f64()).unwrap_or_else(T::nan)
}

/// An exponent that is a constant integer is evaluated by `powi`: exact for small
/// powers, defined for negative bases, and with no derivative along the exponent.
pub(crate) fn integer_exponent(dag: &Dag, b: ExprId) -> Option<i32> {
    dag.constant(b)
        .and_then(Number::small_integer)
        .and_then(|n| i32::try_from(n).ok())
}

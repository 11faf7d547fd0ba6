//! Signs known from an expression's form: the side conditions of the normal forms'
//! rules that hold only on part of the line (`√s² = s` for `s ≥ 0`,
//! `ln(a/b) = ln a − ln b` for `a, b > 0`).
//!
//! A sign here is *proved*, never assumed: `exp(u) > 0` and `σ(u) > 0` for every `u`,
//! a square is `≥ 0`, and sums, products and quotients of positive things are positive.
//! Everything else (a parameter, a difference, `ln`, `sin`) is [`Sign::Unknown`],
//! even where its values in the file happen to be positive. "Positive" means positive
//! wherever the expression is defined: `√u ≥ 0` where `u ≥ 0`, `1/u` where `u ≠ 0`.

use super::dag::{Cone, Dag, ExprId, Node};
use super::func::Func;

/// What the form of an expression proves about its sign, wherever it is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Sign {
    /// Nothing.
    Unknown,
    /// `≥ 0`.
    NonNegative,
    /// `> 0`.
    Positive,
}

impl Sign {
    fn of_number(x: f64) -> Sign {
        if x > 0.0 {
            Sign::Positive
        } else if x == 0.0 {
            Sign::NonNegative
        } else {
            Sign::Unknown
        }
    }

    /// `a + b` and `a · b`: positive if both are, non-negative if both are at least
    /// that (a sum of a positive and a non-negative is positive).
    fn sum(a: Sign, b: Sign) -> Sign {
        match (a, b) {
            (Sign::Unknown, _) | (_, Sign::Unknown) => Sign::Unknown,
            (Sign::Positive, _) | (_, Sign::Positive) => Sign::Positive,
            _ => Sign::NonNegative,
        }
    }

    fn product(a: Sign, b: Sign) -> Sign {
        a.min(b)
    }
}

/// The sign of `root`, proved from its form.
pub(crate) fn sign(dag: &Dag, root: ExprId) -> Sign {
    // Index order is a topological order: operands first, without recursion.
    let cone: Cone = dag.cone(&[root]);
    let mut signs: Vec<Sign> = Vec::with_capacity(cone.len());
    for (k, &id) in cone.ids().iter().enumerate() {
        let of = |c: ExprId| {
            cone.operand(k, c)
                .map_or(Sign::Unknown, |p: usize| signs[p])
        };
        let s = match dag.node(id) {
            Node::Number(n) => Sign::of_number(n.to_f64()),
            Node::Pi => Sign::Positive,
            Node::Leaf(_) | Node::Neg(_) | Node::Sub(..) => Sign::Unknown,
            Node::Add(a, b) => Sign::sum(of(a), of(b)),
            // u · u is a square.
            Node::Mul(a, b) if a == b => of(a).max(Sign::NonNegative),
            Node::Mul(a, b) | Node::Div(a, b) => Sign::product(of(a), of(b)),
            Node::Pow(a, b) => {
                let even = dag
                    .constant(b)
                    .and_then(|n| n.exact())
                    .filter(|r| r.is_integer())
                    .and_then(|r| r.to_i64())
                    .is_some_and(|n| n % 2 == 0);
                match of(a) {
                    Sign::Positive => Sign::Positive,
                    // 0^b is 0 or undefined; a square of anything is ≥ 0.
                    Sign::NonNegative => Sign::NonNegative,
                    Sign::Unknown if even => Sign::NonNegative,
                    Sign::Unknown => Sign::Unknown,
                }
            }
            Node::Call(f, a) => match f {
                Func::Exp | Func::Sigma => Sign::Positive,
                Func::Sqrt | Func::Abs | Func::Relu | Func::Step => Sign::NonNegative,
                // Odd and increasing: as signed as their argument, up to 0 (tanh 0 = 0).
                Func::Tanh | Func::Sign => of(a).min(Sign::NonNegative),
                Func::Ln | Func::Sin | Func::Cos => Sign::Unknown,
            },
        };
        signs.push(s);
    }
    signs.last().copied().unwrap_or(Sign::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::number::Number;

    #[test]
    fn exponentials_and_their_sums_are_positive_and_a_parameter_is_not_known() {
        let mut dag = Dag::default();
        let x = dag.insert(Node::Leaf(0));
        let y = dag.insert(Node::Leaf(1));
        let ex = dag.insert(Node::Call(Func::Exp, x));
        let ey = dag.insert(Node::Call(Func::Exp, y));
        let s = dag.insert(Node::Add(ex, ey));
        let p = dag.insert(Node::Div(ex, s));
        assert_eq!(sign(&dag, s), Sign::Positive);
        assert_eq!(sign(&dag, p), Sign::Positive);
        assert_eq!(sign(&dag, x), Sign::Unknown);
        let two = dag.number(Number::integer(2));
        let square = dag.insert(Node::Pow(x, two));
        let squares = dag.insert(Node::Add(square, square));
        assert_eq!(sign(&dag, squares), Sign::NonNegative);
        // A difference of positives can be anything.
        let d = dag.insert(Node::Sub(ex, ey));
        assert_eq!(sign(&dag, d), Sign::Unknown);
        let minus = dag.number(Number::integer(-1));
        let negative = dag.insert(Node::Mul(minus, ex));
        assert_eq!(sign(&dag, negative), Sign::Unknown);
    }
}

//! Degree and coefficient-size bounds of the rational function a node stands for.
//!
//! Every node is, formally, `N/D` with `N`, `D` polynomials with integer coefficients
//! in the leaves and the atoms (see the module above): a constant `a/b` is `a/b`, a
//! leaf or atom is `x/1`, and each operation builds its result's `N` and `D` from its
//! operands' without cancelling anything (`a/b + c/d = (ad + cb)/(bd)`). That is the
//! representation the evaluation modulo a prime computes, and these bounds are its:
//! total degrees (for Schwartz–Zippel) and base-2 logarithms of the coefficients'
//! 1-norms `‖N‖₁ = Σ|cᵢ|` (for the primes that could divide a non-zero coefficient).
//! The 1-norm is submultiplicative (`‖fg‖₁ ≤ ‖f‖₁‖g‖₁`) and subadditive, which is all
//! the rules below use. Bounds are `f64` and saturate at infinity, which makes the
//! test decline rather than overflow.

use super::super::dag::{Dag, ExprId, Node};
use super::super::func::Func;
use super::super::number::Number;

/// Bounds on `N/D`: total degrees, and log₂ of the 1-norms of the coefficients.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Bound {
    /// Total degree of `N`.
    pub num: f64,
    /// Total degree of `D`.
    pub den: f64,
    /// log₂‖N‖₁.
    pub num_bits: f64,
    /// log₂‖D‖₁.
    pub den_bits: f64,
}

impl Bound {
    /// An indeterminate (a leaf, or an atom appearing as itself or its reciprocal).
    const fn atom(den: f64) -> Bound {
        Bound {
            num: 1.0,
            den,
            num_bits: 0.0,
            den_bits: 0.0,
        }
    }

    /// The bounds of `N₁D₂ − N₂D₁`, the polynomial whose vanishing is `self = other`:
    /// its degree and log₂ of its 1-norm.
    pub fn difference(self, other: Bound) -> (f64, f64) {
        (
            (self.num + other.den).max(other.num + self.den),
            (self.num_bits + other.den_bits).max(other.num_bits + self.den_bits) + 1.0,
        )
    }

    fn neg(self) -> Bound {
        self
    }

    fn sum(a: Bound, b: Bound) -> Bound {
        Bound {
            num: (a.num + b.den).max(b.num + a.den),
            den: a.den + b.den,
            num_bits: (a.num_bits + b.den_bits).max(b.num_bits + a.den_bits) + 1.0,
            den_bits: a.den_bits + b.den_bits,
        }
    }

    fn product(a: Bound, b: Bound) -> Bound {
        Bound {
            num: a.num + b.num,
            den: a.den + b.den,
            num_bits: a.num_bits + b.num_bits,
            den_bits: a.den_bits + b.den_bits,
        }
    }

    fn reciprocal(self) -> Bound {
        Bound {
            num: self.den,
            den: self.num,
            num_bits: self.den_bits,
            den_bits: self.num_bits,
        }
    }

    fn power(self, n: i64) -> Bound {
        let k = n.unsigned_abs() as f64;
        let p = Bound {
            num: self.num * k,
            den: self.den * k,
            num_bits: self.num_bits * k,
            den_bits: self.den_bits * k,
        };
        if n < 0 {
            p.reciprocal()
        } else {
            p
        }
    }
}

/// An exponent the test treats as an exact integer power: an exact integer constant.
pub(crate) fn integer_power(dag: &Dag, b: ExprId) -> Option<i64> {
    dag.constant(b)
        .and_then(Number::exact)
        .filter(|r| r.is_integer())
        .and_then(|r| r.to_i64())
}

/// The bound of one node from its operands' (`of`), following the representation the
/// evaluation in `mod.rs` computes node by node.
pub(crate) fn bound(dag: &Dag, node: Node, of: impl Fn(ExprId) -> Bound) -> Bound {
    match node {
        Node::Number(Number::Exact(r)) => Bound {
            num: 0.0,
            den: 0.0,
            num_bits: (r.numerator().unsigned_abs() as f64).max(1.0).log2(),
            den_bits: (r.denominator() as f64).log2(),
        },
        Node::Number(Number::Float(_)) | Node::Leaf(_) | Node::Pi => Bound::atom(0.0),
        Node::Neg(a) => of(a).neg(),
        Node::Add(a, b) | Node::Sub(a, b) => Bound::sum(of(a), of(b)),
        Node::Mul(a, b) => Bound::product(of(a), of(b)),
        Node::Div(a, b) => Bound::product(of(a), of(b).reciprocal()),
        Node::Pow(a, b) => match integer_power(dag, b) {
            Some(n) => of(a).power(n),
            None => Bound::atom(0.0),
        },
        Node::Call(f, a) => match f {
            // E or 1/E (whichever of u, −u keys the atom): degree at most 1 in each.
            Func::Exp => Bound::atom(1.0),
            // E/(1 + E) or 1/(1 + E); (E − 1)/(E + 1) or (1 − E)/(1 + E).
            Func::Sigma | Func::Tanh => Bound {
                num: 1.0,
                den: 1.0,
                num_bits: 1.0,
                den_bits: 1.0,
            },
            // Y or Y + u = (Y·D + N)/D; 2Y − u = (2Y·D − N)/D (or + N).
            Func::Relu | Func::Abs => {
                let u = of(a);
                let two = if f == Func::Abs { 1.0 } else { 0.0 };
                Bound {
                    num: u.num.max(u.den + 1.0),
                    den: u.den,
                    num_bits: u.num_bits.max(u.den_bits + two) + 1.0,
                    den_bits: u.den_bits,
                }
            }
            _ => Bound::atom(0.0),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_of_fractions_bounds_the_cross_multiplied_form() {
        // x/y + y/x = (x² + y²)/(xy): degree 2 over degree 2, coefficients 1 + 1.
        let x = Bound::atom(0.0);
        let q = Bound::product(x, x.reciprocal());
        let s = Bound::sum(q, q);
        assert_eq!((s.num, s.den), (2.0, 2.0));
        assert_eq!((s.num_bits, s.den_bits), (1.0, 0.0));
        assert_eq!(x.power(-3).den, 3.0);
    }
}

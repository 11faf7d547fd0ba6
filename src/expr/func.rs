//! The language's functions: name, value and LaTeX side by side, so adding a function
//! touches this file, its derivative rule in `derive.rs` and its normal form.

use std::fmt;

use crate::scalar::Scalar;

/// A function of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    /// The logistic function `σ(x) = 1 / (1 + e^(−x))` (`sigma`, alias `sigmoid`).
    Sigma,
    /// `e^x`.
    Exp,
    /// The natural logarithm (`ln`, alias `log`).
    Ln,
    /// The square root.
    Sqrt,
    /// The hyperbolic tangent.
    Tanh,
    /// `max(x, 0)`.
    Relu,
    /// `|x|`.
    Abs,
    /// The sine.
    Sin,
    /// The cosine.
    Cos,
    /// The Heaviside step with `step(0) = 0`: the derivative of `relu` (the same
    /// convention as the tape's `relu'(0) = 0`).
    Step,
    /// The sign with `sign(0) = 0`: the derivative of `abs`.
    Sign,
}

impl Func {
    /// Every function, for listings and generators.
    pub const ALL: [Func; 11] = [
        Func::Sigma,
        Func::Exp,
        Func::Ln,
        Func::Sqrt,
        Func::Tanh,
        Func::Relu,
        Func::Abs,
        Func::Sin,
        Func::Cos,
        Func::Step,
        Func::Sign,
    ];

    /// The function a name calls (`sigmoid`, `σ` and `log` are aliases).
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            // σ is the sigmoid in the document's notation (`σ(δ7)`), so it names the
            // function, never a quantity.
            "sigma" | "sigmoid" | "σ" => Func::Sigma,
            "exp" => Func::Exp,
            "ln" | "log" => Func::Ln,
            "sqrt" => Func::Sqrt,
            "tanh" => Func::Tanh,
            "relu" => Func::Relu,
            "abs" => Func::Abs,
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "step" => Func::Step,
            "sign" => Func::Sign,
            _ => return None,
        })
    }

    /// The name the printer writes.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sigma => "sigma",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sqrt => "sqrt",
            Func::Tanh => "tanh",
            Func::Relu => "relu",
            Func::Abs => "abs",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Step => "step",
            Func::Sign => "sign",
        }
    }

    /// The LaTeX command or operator name (`exp`, `sqrt` and `abs` are typeset
    /// specially by the printer).
    pub fn latex(self) -> &'static str {
        match self {
            Func::Sigma => "\\sigma",
            Func::Exp => "\\exp",
            Func::Ln => "\\ln",
            Func::Sqrt => "\\sqrt",
            Func::Tanh => "\\tanh",
            Func::Relu => "\\operatorname{relu}",
            Func::Abs => "\\operatorname{abs}",
            Func::Sin => "\\sin",
            Func::Cos => "\\cos",
            Func::Step => "\\operatorname{step}",
            Func::Sign => "\\operatorname{sign}",
        }
    }

    /// The function's value, on any [`Scalar`] (plain floats, or tape variables — on
    /// which `sigma` and `relu` record one fused node each).
    pub fn apply<T: Scalar>(self, x: T) -> T {
        match self {
            Func::Sigma => x.sigmoid(),
            Func::Exp => x.exp(),
            Func::Ln => x.ln(),
            Func::Sqrt => x.sqrt(),
            Func::Tanh => x.tanh(),
            Func::Relu => x.relu(),
            Func::Abs => x.abs(),
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            // Piecewise constant: built from constants, so on the tape they record
            // nothing and their derivative is zero, as it is wherever it exists.
            Func::Step => {
                if x.is_nan() {
                    x
                } else if x > T::zero() {
                    T::one()
                } else {
                    T::zero()
                }
            }
            Func::Sign => {
                if x.is_nan() {
                    x
                } else if x > T::zero() {
                    T::one()
                } else if x < T::zero() {
                    -T::one()
                } else {
                    T::zero()
                }
            }
        }
    }
}

impl fmt::Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

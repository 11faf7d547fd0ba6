//! Forward mode: dual numbers `a + b·ε` with `ε² = 0`, which carry a value and its
//! derivative along one direction through any code generic over [`Float`].
//!
//! Every elementary function applies the same rule table as the tape (`crate::rules`,
//! a module beneath both: forward mode does not depend on the tape to learn a
//! derivative), so the two modes cannot disagree about a derivative rule or a convention
//! (`relu'(0) = 0`, `max` ties to the left): when forward and reverse mode are compared,
//! a disagreement is the user's code, not two tables. The rule gives `(value, f'(a))`
//! and the dual number is `value + f'(a)·b·ε`.
//!
//! A tape over dual numbers (`Tape<Dual<f64>>`) is forward-over-reverse: its gradient's
//! dual parts are a Hessian-vector product ([`hvp`]). That is the one place that needs
//! both modes, and it sits above them (`mode.rs`); the numbers themselves (`float.rs`,
//! `ops.rs`) use only the rules.
//!
//! User code meets this module through [`Function`]: one generic method, run here at
//! `Dual<T>` and elsewhere at `f64` and on the tape.

mod float;
mod function;
mod mode;
mod ops;

use num_traits::Float;

pub use function::{Function, VectorFunction};
pub use mode::{directional, hvp, jvp, Hvp};

/// A dual number `re + eps·ε` with `ε² = 0`: a value and its derivative along one
/// direction.
///
/// ```
/// use gradproof::dual::Dual;
/// use gradproof::prelude::*;
///
/// // d/dx (x² sin x) at x = 2, by seeding the derivative part with 1.
/// let x = Dual::variable(2.0);
/// let y = x * x * x.sin();
/// assert_eq!(y.re, 4.0 * 2.0_f64.sin());
/// assert!((y.eps - (4.0 * 2.0_f64.sin() + 4.0 * 2.0_f64.cos())).abs() < 1e-15);
/// ```
///
/// Comparisons (`==`, `<`) look at the value only, as branches in user code must.
#[derive(Clone, Copy, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dual<T> {
    /// The value.
    pub re: T,
    /// The derivative along the seeded direction.
    pub eps: T,
}

impl<T: Float> Dual<T> {
    /// `re + eps·ε`.
    pub fn new(re: T, eps: T) -> Self {
        Dual { re, eps }
    }

    /// A constant: derivative part zero.
    pub fn constant(re: T) -> Self {
        Dual::new(re, T::zero())
    }

    /// The variable being differentiated by: derivative part one.
    pub fn variable(re: T) -> Self {
        Dual::new(re, T::one())
    }

    /// Applies a unary rule `(value, f'(re))` by the chain rule.
    pub(crate) fn chain(self, (value, d): (T, T)) -> Self {
        Dual::new(value, scale(d, self.eps))
    }

    /// Applies a binary rule `(value, ∂/∂a, ∂/∂b)` to `self` and `other`.
    pub(crate) fn chain2(self, other: Self, (value, da, db): (T, T, T)) -> Self {
        Dual::new(value, scale(da, self.eps) + scale(db, other.eps))
    }

    /// Applies a ternary rule `(value, ∂/∂a, ∂/∂b, ∂/∂c)` to `self`, `b` and `c`.
    pub(crate) fn chain3(self, b: Self, c: Self, (value, da, db, dc): (T, T, T, T)) -> Self {
        Dual::new(
            value,
            scale(da, self.eps) + scale(db, b.eps) + scale(dc, c.eps),
        )
    }
}

/// `partial · tangent`, where a zero tangent contributes zero even through an infinite
/// or NaN partial (`sqrt` at 0, the unused side of `max`): the same rule as the tape's
/// reverse sweep, which skips zero adjoints, so a constant stays a constant.
fn scale<T: Float>(partial: T, tangent: T) -> T {
    if tangent.is_zero() {
        T::zero()
    } else {
        partial * tangent
    }
}

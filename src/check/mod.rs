//! The verification engine: is this gradient right, and how sure is the answer?
//!
//! # The checks
//!
//! Each returns a [`Report`] (or a [`TaylorReport`]) rather than a bool: per entry the
//! value under test, its reference, their absolute and relative error, the reference's
//! own error estimate, the tolerance applied and a [`Status`] — worst offenders first —
//! and one [`Verdict`] (passed, failed, kink, not finite, inconclusive) on its first
//! line. `docs/verdicts.md` says what each verdict means.
//!
//! | check | value under test | reference |
//! |---|---|---|
//! | [`yours_vs_differences`] | your gradient (a slice) | finite differences in `f64`, Richardson-extrapolated |
//! | [`yours_vs_differences_of`] | your gradient of a closure | finite differences in its own type |
//! | [`yours_vs_tape`] | your gradient | the tape, to rounding |
//! | [`taylor_of_yours`] / [`taylor_of_yours_of`] | your gradient along `v` | none: the remainder's order |
//! | [`tape_vs_differences`] | the tape's gradient | finite differences in `f64` |
//! | [`taylor_of_tape`] | the tape's gradient along `v` | none: the remainder's order |
//! | [`tape_vs_differences_of`] / [`taylor_of_tape_of`] | the tape's gradient of a closure (data captured) | as above, in its own type |
//! | [`forward_vs_reverse`] | reverse mode `v·∇f` | forward mode `∇f·v`, random `v` |
//! | [`Checker::forward_reverse_vector`] | `(uᵀJ)·v` (a VJP) | `uᵀ(J·v)` (a JVP) |
//! | [`jacobian`] | the tape's Jacobian, row by row | finite differences |
//! | [`update`] | your updated weights | `w − η∇L` with the tape's gradient |
//!
//! The older names [`gradient`], [`backward`] (your gradient as a function),
//! [`forward_reverse`], [`taylor`], [`Checker::gradient_values`] and
//! [`Checker::taylor_values`] still work, deprecated since 0.2.0: each one's note
//! names its replacement.
//!
//! # How your function meets the tape
//!
//! Write it once, generic over the number type, as a [`Function`] (a trait with one
//! generic method, because a Rust closure cannot be generic); [`function!`](crate::function)
//! writes the trait for a generic `fn`. The engine runs it on `f64`/`f32` for finite
//! differences, on [`Dual`](crate::dual::Dual) numbers for forward mode and on the
//! tape for reverse mode — the same code every time.
//!
//! # Where the tolerance comes from
//!
//! From an error model, stated in each report, unless you pass a [`Tolerance`]:
//!
//! - finite differences carry their own error bound: the Richardson tableau's
//!   truncation estimate plus the rounding `ε·|f|/h` of every difference quotient,
//!   propagated through the extrapolation; the engine multiplies it by [`SAFETY`]
//!   (measured, see [`tolerance`]);
//! - values exact up to rounding (tape, forward mode, a hand-written backward pass)
//!   carry `ROUNDING·√N·ε` times their magnitude and their row's scale, with `N` the
//!   number of recorded operations and `ε` the type's epsilon.
//!
//! A jump between the left and right derivatives beyond its own bound is a kink, and a
//! NaN or infinity anywhere is not finite: both are reported as such, never as a pass.
//!
//! ```
//! use gradproof::prelude::*;
//!
//! fn loss<S: Scalar>(w: &[S]) -> S {
//!     let x = [1.0, -0.5].map(|v| S::from(v).unwrap());
//!     let y = S::dot(w, &x).sigmoid();
//!     (y - S::from(0.25).unwrap()).powi(2)
//! }
//!
//! let report = gradproof::check::tape_vs_differences(&gradproof::function!(loss), &[0.3, 0.8]).unwrap();
//! assert!(report.passed());
//! println!("{report}");
//! ```

mod assert;
mod checker;
mod closure;
mod error;
mod exact;
pub mod finite_difference;
mod gradient;
mod noise;
mod probe;
mod random;
mod real;
mod report;
pub mod richardson;
pub mod stencil;
mod taylor;
pub mod tolerance;

pub use crate::dual::{Function, VectorFunction};
pub use assert::Outcome;
pub use checker::Checker;
pub use error::CheckError;
pub use finite_difference::{central_difference, central_gradient, central_step};
pub use gradient::USEFUL_TOLERANCE;
pub use real::Real;
pub use report::{CheckKind, Entry, Position, Report, Status, Summary, Verdict};
pub use richardson::{Differences, Estimate, Richardson};
pub use stencil::Stencil;
pub use taylor::{TaylorReport, TaylorStatus, TaylorStep, PASSING_ONE_SIDED, PASSING_ORDER};
pub use tolerance::{Tolerance, ROUNDING, SAFETY};

/// [`Checker::tape_vs_differences`] with the default settings: the tape's gradient of
/// `f` at `x` against finite differences (in `f64`).
pub fn tape_vs_differences<T: Real>(f: &impl Function, x: &[T]) -> Result<Report, CheckError> {
    Checker::default().tape_vs_differences(f, x)
}

/// [`Checker::yours_vs_differences`] with the default settings: your gradient of the
/// generic `f` against finite differences (in `f64`).
pub fn yours_vs_differences<T: Real>(
    f: &impl Function,
    x: &[T],
    yours: &[T],
) -> Result<Report, CheckError> {
    Checker::default().yours_vs_differences(f, x, yours)
}

/// [`Checker::yours_vs_differences_of`] with the default settings: your gradient of a
/// plain function or closure (which may capture data) against finite differences.
pub fn yours_vs_differences_of<T: Real>(
    f: impl Fn(&[T]) -> T,
    x: &[T],
    yours: &[T],
) -> Result<Report, CheckError> {
    Checker::default().yours_vs_differences_of(f, x, yours)
}

/// [`Checker::tape_vs_differences_of`] with the default settings: the tape's gradient
/// of a closure (which may capture data) against finite differences, in one line.
pub fn tape_vs_differences_of<T: Real>(
    f: impl for<'t> Fn(&[crate::Var<'t, T>]) -> crate::Var<'t, T>,
    x: &[T],
) -> Result<Report, CheckError> {
    Checker::default().tape_vs_differences_of(f, x)
}

/// [`Checker::taylor_of_tape_of`] with the default settings.
pub fn taylor_of_tape_of<T: Real>(
    f: impl for<'t> Fn(&[crate::Var<'t, T>]) -> crate::Var<'t, T>,
    x: &[T],
) -> Result<TaylorReport, CheckError> {
    Checker::default().taylor_of_tape_of(f, x)
}

/// [`Checker::yours_vs_tape`] with the default settings: your gradient against the
/// tape's, to rounding.
pub fn yours_vs_tape<T: Real>(
    f: &impl Function,
    x: &[T],
    yours: &[T],
) -> Result<Report, CheckError> {
    Checker::default().yours_vs_tape(f, x, yours)
}

/// [`Checker::taylor_of_tape`] with the default settings.
pub fn taylor_of_tape<T: Real>(f: &impl Function, x: &[T]) -> Result<TaylorReport, CheckError> {
    Checker::default().taylor_of_tape(f, x)
}

/// [`Checker::taylor_of_yours`] with the default settings.
pub fn taylor_of_yours<T: Real>(
    f: &impl Function,
    x: &[T],
    yours: &[T],
) -> Result<TaylorReport, CheckError> {
    Checker::default().taylor_of_yours(f, x, yours)
}

/// [`Checker::taylor_of_yours_of`] with the default settings.
pub fn taylor_of_yours_of<T: Real>(
    f: impl Fn(&[T]) -> T,
    x: &[T],
    yours: &[T],
) -> Result<TaylorReport, CheckError> {
    Checker::default().taylor_of_yours_of(f, x, yours)
}

/// [`Checker::forward_vs_reverse`] with the default settings.
pub fn forward_vs_reverse<T: Real>(f: &impl Function, x: &[T]) -> Result<Report, CheckError> {
    Checker::default().forward_vs_reverse(f, x)
}

/// The older name of [`tape_vs_differences`].
#[deprecated(since = "0.2.0", note = "use `check::tape_vs_differences`")]
pub fn gradient<T: Real>(f: &impl Function, x: &[T]) -> Result<Report, CheckError> {
    Checker::default().tape_vs_differences(f, x)
}

/// The older form of [`yours_vs_tape`], with your gradient as a function called once
/// at `x`.
#[deprecated(
    since = "0.2.0",
    note = "use `check::yours_vs_tape(f, x, &gradient(x))`"
)]
pub fn backward<T: Real>(
    f: &impl Function,
    x: &[T],
    gradient: impl Fn(&[T]) -> Vec<T>,
) -> Result<Report, CheckError> {
    Checker::default().yours_vs_tape(f, x, &gradient(x))
}

/// The older name of [`forward_vs_reverse`].
#[deprecated(since = "0.2.0", note = "use `check::forward_vs_reverse`")]
pub fn forward_reverse<T: Real>(f: &impl Function, x: &[T]) -> Result<Report, CheckError> {
    Checker::default().forward_vs_reverse(f, x)
}

/// [`Checker::jacobian`] with the default settings.
pub fn jacobian<T: Real>(f: &impl VectorFunction, x: &[T]) -> Result<Report, CheckError> {
    Checker::default().jacobian(f, x)
}

/// [`Checker::update`] with the default settings.
pub fn update<T: Real>(
    loss: &impl Function,
    weights: &[T],
    learning_rate: T,
    updated: &[T],
) -> Result<Report, CheckError> {
    Checker::default().update(loss, weights, learning_rate, updated)
}

/// The older name of [`taylor_of_tape`].
#[deprecated(since = "0.2.0", note = "use `check::taylor_of_tape`")]
pub fn taylor<T: Real>(f: &impl Function, x: &[T]) -> Result<TaylorReport, CheckError> {
    Checker::default().taylor_of_tape(f, x)
}

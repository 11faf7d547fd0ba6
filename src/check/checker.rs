//! The checks' settings, and what every check shares: running a user's function on the
//! tape, and the rounding model of values that are exact up to rounding.

use num_traits::Float;

use super::error::CheckError;
use super::real::Real;
use super::richardson::Richardson;
use super::tolerance::{Tolerance, ROUNDING};
use crate::dual::Function;
use crate::tape::Tape;

/// The settings every check runs with. `Checker::default()` is what the free functions
/// of [`check`](crate::check) use: the error model's tolerance, default Richardson
/// extrapolation, four random directions from a fixed seed (so reports are
/// reproducible).
///
/// ```
/// use gradproof::check::{Checker, Tolerance};
///
/// let f = gradproof::function!(<S> |x| x[0].exp() * x[1]);
/// let strict = Checker {
///     tolerance: Tolerance::Relative { absolute: 1e-12, relative: 1e-9 },
///     ..Checker::default()
/// };
/// let report = strict.tape_vs_differences(&f, &[0.5, 2.0]).unwrap();
/// assert!(report.passed(), "{report}");
/// assert!(report.tolerance.contains("relative tolerance 1e-9"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Checker {
    /// The pass/fail rule.
    pub tolerance: Tolerance,
    /// How finite differences are taken.
    pub richardson: Richardson,
    /// How many random directions the forward/reverse and Taylor checks use.
    pub directions: usize,
    /// The seed of those directions.
    pub seed: u64,
}

impl Default for Checker {
    fn default() -> Self {
        Checker {
            tolerance: Tolerance::Model,
            richardson: Richardson::default(),
            directions: 4,
            seed: 0x9e37_79b9_7f4a_7c15,
        }
    }
}

/// A function's value and tape gradient, and how many nodes the recording took.
pub(crate) struct Reverse<T> {
    pub value: T,
    pub gradient: Vec<T>,
    pub nodes: usize,
}

/// Records `f` at `x` on a fresh tape and sweeps it once.
pub(crate) fn reverse<T: Real>(f: &impl Function, x: &[T]) -> Reverse<T> {
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f.eval(&vars);
    let gradient = tape.gradient(y).wrt_all(&vars);
    Reverse {
        value: y.value(),
        gradient,
        nodes: tape.len(),
    }
}

/// The rounding a value computed exactly up to rounding by `nodes` operations can carry,
/// at magnitude `scale`: `ROUNDING·√N·ε·scale`.
pub(crate) fn rounding<T: Real>(nodes: usize, scale: f64) -> f64 {
    let eps: f64 = T::epsilon().into();
    ROUNDING * (nodes.max(1) as f64).sqrt() * eps * scale
}

/// The rounding model in words.
pub(crate) fn describe_rounding<T: Real>(nodes: usize, what: &str) -> String {
    let eps: f64 = T::epsilon().into();
    format!(
        "{ROUNDING}·√N·ε·({what}), ε = {eps:.2e} ({}), N = {nodes} tape nodes",
        T::NAME
    )
}

/// `max |vᵢ|` over the finite entries.
pub(crate) fn max_abs<T: Real>(v: &[T]) -> f64 {
    v.iter()
        .map(|&x| Into::<f64>::into(x).abs())
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max)
}

/// `Err(Empty)` for a point with no coordinates.
pub(crate) fn nonempty<T>(x: &[T]) -> Result<(), CheckError> {
    if x.is_empty() {
        Err(CheckError::Empty)
    } else {
        Ok(())
    }
}

/// Whether all are finite.
pub(crate) fn finite<T: Float>(values: &[T]) -> bool {
    values.iter().all(|v| v.is_finite())
}

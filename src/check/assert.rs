//! For `cargo test` users: assertions that fail with the whole report.

use super::error::CheckError;
use super::report::{Report, Verdict};
use super::taylor::TaylorReport;

/// Something a check returns that can pass or fail: a report, a Taylor report, or a
/// check that could not run. [`assert_passes!`](crate::assert_passes) takes any of them.
pub trait Outcome {
    /// `None` when it passed; otherwise the message to fail with.
    fn failure(&self) -> Option<String>;
}

impl Outcome for Report {
    fn failure(&self) -> Option<String> {
        (self.verdict() != Verdict::Passed).then(|| format!("{self:#}"))
    }
}

impl Outcome for TaylorReport {
    fn failure(&self) -> Option<String> {
        (self.verdict() != Verdict::Passed).then(|| self.to_string())
    }
}

impl<R: Outcome> Outcome for Result<R, CheckError> {
    fn failure(&self) -> Option<String> {
        match self {
            Ok(r) => r.failure(),
            Err(e) => Some(format!("the check could not run: {e}")),
        }
    }
}

/// Panics with the full report unless the check passed.
///
/// ```
/// use gradproof::check::Checker;
///
/// let f = gradproof::function!(<S> |x| x[0].sin() * x[1]);
/// gradproof::assert_passes!(Checker::default().forward_vs_reverse(&f, &[0.3, 2.0]));
/// gradproof::assert_passes!(Checker::default().taylor_of_tape(&f, &[0.3, 2.0]));
/// ```
#[macro_export]
macro_rules! assert_passes {
    ($outcome:expr $(,)?) => {
        if let ::core::option::Option::Some(message) = $crate::check::Outcome::failure(&$outcome) {
            ::core::panic!("{}", message);
        }
    };
}

/// Asserts that a gradient is right, failing with the report.
///
/// - `assert_gradient!(f, x)`: the tape's gradient of the [`Function`] `f` at `x`
///   against finite differences;
/// - `assert_gradient!(f, x, gradient)`: your gradient function (a hand-written
///   backward pass, `Fn(&[T]) -> Vec<T>`) against the tape, to rounding, and the Taylor
///   test of it, which needs no tolerance at all;
/// - either with `tolerance = Tolerance::…` last, to replace the error model.
///
/// [`Function`]: crate::dual::Function
///
/// ```
/// use gradproof::prelude::*;
///
/// fn loss<S: Scalar>(w: &[S]) -> S {
///     (w[0] * w[1]).sigmoid() + w[1] * w[1]
/// }
///
/// fn hand_written(w: &[f64]) -> Vec<f64> {
///     let s = (w[0] * w[1]).sigmoid();
///     let ds = s * (1.0 - s);
///     vec![ds * w[1], ds * w[0] + 2.0 * w[1]]
/// }
///
/// gradproof::assert_gradient!(gradproof::function!(loss), &[0.5, -1.5]);
/// gradproof::assert_gradient!(gradproof::function!(loss), &[0.5, -1.5], hand_written);
/// ```
///
/// A wrong backward pass fails with the report:
///
/// ```should_panic
/// # use gradproof::prelude::*;
/// # fn loss<S: Scalar>(w: &[S]) -> S { (w[0] * w[1]).sigmoid() + w[1] * w[1] }
/// fn forgot_sigma_prime(w: &[f64]) -> Vec<f64> {
///     vec![w[1], w[0] + 2.0 * w[1]]
/// }
/// gradproof::assert_gradient!(gradproof::function!(loss), &[0.5, -1.5], forgot_sigma_prime);
/// ```
#[macro_export]
macro_rules! assert_gradient {
    ($f:expr, $x:expr, tolerance = $tolerance:expr $(,)?) => {{
        let checker = $crate::check::Checker {
            tolerance: $tolerance,
            ..::core::default::Default::default()
        };
        $crate::assert_passes!(checker.tape_vs_differences(&$f, $x));
    }};
    ($f:expr, $x:expr, $gradient:expr, tolerance = $tolerance:expr $(,)?) => {{
        let checker = $crate::check::Checker {
            tolerance: $tolerance,
            ..::core::default::Default::default()
        };
        let gradient = $gradient;
        let point = $x;
        let yours = gradient(point);
        $crate::assert_passes!(checker.yours_vs_tape(&$f, point, &yours));
        $crate::assert_passes!(checker.taylor_of_yours(&$f, point, &yours));
    }};
    ($f:expr, $x:expr $(,)?) => {
        $crate::assert_gradient!($f, $x, tolerance = $crate::check::Tolerance::Model)
    };
    ($f:expr, $x:expr, $gradient:expr $(,)?) => {
        $crate::assert_gradient!(
            $f,
            $x,
            $gradient,
            tolerance = $crate::check::Tolerance::Model
        )
    };
}

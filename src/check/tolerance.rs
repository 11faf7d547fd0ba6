//! The pass/fail rule: by default an error model, stated in every report; on request a
//! user's absolute, relative or ulps tolerance (approx's comparisons).

use super::real::Real;

/// How far the value under test may lie from its reference.
///
/// The default, [`Tolerance::Model`], derives the tolerance of each entry from what is
/// known about both numbers' errors (see the module `check` docs and each report's
/// `tolerance` line). The others replace it with a fixed rule; kinks and non-finite
/// values are still reported as such whatever the rule.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Tolerance {
    /// From the error model: the reference's error estimate times a safety factor, plus
    /// the rounding both values can carry.
    #[default]
    Model,
    /// `|analytic − reference| ≤ absolute`.
    Absolute(f64),
    /// approx's `relative_eq`: `|a − r| ≤ absolute` or `|a − r| ≤ relative·max(|a|, |r|)`.
    Relative {
        /// The absolute floor, for values near zero.
        absolute: f64,
        /// The largest relative difference.
        relative: f64,
    },
    /// approx's `ulps_eq`: `|a − r| ≤ absolute`, or at most `ulps` representable numbers
    /// apart in the check's own type.
    Ulps {
        /// The absolute floor, for values near zero.
        absolute: f64,
        /// The largest distance in units in the last place.
        ulps: u32,
    },
}

/// The safety factor on finite-difference error estimates. Measured: over 10⁷ partial
/// derivatives of sigmoid networks (and tens of thousands of compositions of `sin`,
/// `exp`, `ln`, `tanh`) at random points, in f64 and f32, the true error of the
/// reconciled Richardson estimate stayed below 5 times its bound (4.9 at worst; both
/// `tests/check_richardson_tail.rs` and `tests/check_finite_difference.rs` check 10).
pub const SAFETY: f64 = 10.0;

/// The factor on the rounding model `√N·ε·scale` of values computed exactly up to
/// rounding (tape, forward mode, a hand-written backward pass): rounding errors of `N`
/// operations grow like `√N·ε` when they are independent, and the factor covers the
/// correlated part.
pub const ROUNDING: f64 = 4.0;

impl Tolerance {
    /// Whether `analytic` and `reference` agree, and the absolute tolerance that was
    /// applied (for the report). `model` is the error model's tolerance for this entry.
    pub(crate) fn judge<T: Real>(&self, analytic: T, reference: T, model: f64) -> (bool, f64) {
        let (a, r): (f64, f64) = (analytic.into(), reference.into());
        let diff = (a - r).abs();
        let largest = a.abs().max(r.abs());
        match *self {
            Tolerance::Model => (diff <= model, model),
            Tolerance::Absolute(absolute) => (diff <= absolute, absolute),
            Tolerance::Relative { absolute, relative } => {
                let agrees = analytic.relative_eq(&reference, cast(absolute), cast(relative));
                (agrees, absolute.max(relative * largest))
            }
            Tolerance::Ulps { absolute, ulps } => {
                let agrees = analytic.ulps_eq(&reference, cast(absolute), ulps);
                let eps: f64 = T::epsilon().into();
                (agrees, absolute.max(f64::from(ulps) * eps * largest))
            }
        }
    }

    /// The rule in words, for the report; `model` describes the error model of the
    /// check at hand.
    pub(crate) fn describe(&self, model: &str) -> String {
        match *self {
            Tolerance::Model => format!("error model: {model}"),
            Tolerance::Absolute(a) => format!("user's absolute tolerance {a:e}"),
            Tolerance::Relative { absolute, relative } => format!(
                "user's relative tolerance {relative:e} (approx::relative_eq, absolute floor {absolute:e})"
            ),
            Tolerance::Ulps { absolute, ulps } => format!(
                "user's tolerance of {ulps} ulps (approx::ulps_eq, absolute floor {absolute:e})"
            ),
        }
    }
}

fn cast<T: Real>(v: f64) -> T {
    T::from(v).unwrap_or_else(T::infinity)
}

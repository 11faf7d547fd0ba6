//! The floating-point types a check runs in.

use std::fmt::Debug;

use approx::{RelativeEq, UlpsEq};

use crate::scalar::Scalar;

/// A machine float the checks can run in and report on: `f32` or `f64`.
///
/// Beyond [`Scalar`], a check needs the type's name for the report, a lossless way to
/// `f64` for the report's numbers, and approx's comparisons for user-chosen tolerances
/// (ulps are counted in the type itself).
pub trait Real:
    Scalar + RelativeEq<Epsilon = Self> + UlpsEq<Epsilon = Self> + Debug + Into<f64> + 'static
{
    /// The type's name as the report prints it.
    const NAME: &'static str;
}

impl Real for f32 {
    const NAME: &'static str = "f32";
}

impl Real for f64 {
    const NAME: &'static str = "f64";
}

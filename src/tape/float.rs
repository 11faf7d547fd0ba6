//! `num_traits::Float` for [`Var`], so a function written once for `T: Float` records on
//! the tape unchanged. Each differentiable method applies a rule of [`ops`]; predicates
//! and constants read or make plain values.

use std::num::FpCategory;

use num_traits::{Float, Num, NumCast, One, ToPrimitive, Zero};

use super::ops;
use super::Var;

impl<T: Float> Zero for Var<'_, T> {
    fn zero() -> Self {
        Var::constant(T::zero())
    }
    fn is_zero(&self) -> bool {
        self.value().is_zero()
    }
}

impl<T: Float> One for Var<'_, T> {
    fn one() -> Self {
        Var::constant(T::one())
    }
}

impl<T: Float> Num for Var<'_, T> {
    type FromStrRadixErr = T::FromStrRadixErr;
    fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
        T::from_str_radix(s, radix).map(Var::constant)
    }
}

impl<T: Float> ToPrimitive for Var<'_, T> {
    fn to_i64(&self) -> Option<i64> {
        self.value().to_i64()
    }
    fn to_u64(&self) -> Option<u64> {
        self.value().to_u64()
    }
    fn to_f32(&self) -> Option<f32> {
        self.value().to_f32()
    }
    fn to_f64(&self) -> Option<f64> {
        self.value().to_f64()
    }
}

impl<T: Float> NumCast for Var<'_, T> {
    /// A constant: numbers converted into a `Var` are never variables.
    fn from<N: ToPrimitive>(n: N) -> Option<Self> {
        T::from(n).map(Var::constant)
    }
}

/// Methods that apply a unary rule of [`ops`] to the value.
macro_rules! unary_rules {
    ($($method:ident => $rule:path,)*) => {$(
        fn $method(self) -> Self {
            self.unary($rule(self.value()))
        }
    )*};
}

/// Methods whose value is a plain property of the value.
macro_rules! predicates {
    ($($method:ident -> $out:ty,)*) => {$(
        fn $method(self) -> $out {
            self.value().$method()
        }
    )*};
}

/// Constants of the float type.
macro_rules! constants {
    ($($method:ident,)*) => {$(
        fn $method() -> Self {
            Var::constant(T::$method())
        }
    )*};
}

/// Piecewise-constant methods: derivative zero wherever it exists (see [`ops::flat`]).
macro_rules! flat {
    ($($method:ident,)*) => {$(
        fn $method(self) -> Self {
            self.unary(ops::flat(self.value().$method()))
        }
    )*};
}

impl<T: Float> Float for Var<'_, T> {
    constants! {
        nan, infinity, neg_infinity, neg_zero, min_value, min_positive_value, max_value,
        epsilon,
    }

    predicates! {
        is_nan -> bool, is_infinite -> bool, is_finite -> bool, is_normal -> bool,
        classify -> FpCategory, is_sign_positive -> bool, is_sign_negative -> bool,
        integer_decode -> (u64, i16, i8),
    }

    flat! { floor, ceil, round, trunc, signum, }

    unary_rules! {
        abs => ops::abs,
        recip => ops::recip,
        sqrt => ops::sqrt,
        cbrt => ops::cbrt,
        exp => ops::exp,
        exp2 => ops::exp2,
        exp_m1 => ops::exp_m1,
        ln => ops::ln,
        ln_1p => ops::ln_1p,
        log2 => ops::log2,
        log10 => ops::log10,
        sin => ops::sin,
        cos => ops::cos,
        tan => ops::tan,
        asin => ops::asin,
        acos => ops::acos,
        atan => ops::atan,
        sinh => ops::sinh,
        cosh => ops::cosh,
        tanh => ops::tanh,
        asinh => ops::asinh,
        acosh => ops::acosh,
        atanh => ops::atanh,
    }

    /// `x − trunc(x)`: derivative one wherever it exists.
    fn fract(self) -> Self {
        self - self.trunc()
    }

    /// Fused, one rounding, as on the plain float.
    fn mul_add(self, a: Self, b: Self) -> Self {
        self.ternary(a, b, ops::mul_add(self.value(), a.value(), b.value()))
    }

    fn powi(self, n: i32) -> Self {
        self.unary(ops::powi(self.value(), n))
    }

    fn powf(self, n: Self) -> Self {
        self.binary(n, ops::powf(self.value(), n.value()))
    }

    fn log(self, base: Self) -> Self {
        self.ln() / base.ln()
    }

    fn max(self, other: Self) -> Self {
        self.binary(other, ops::max(self.value(), other.value()))
    }

    fn min(self, other: Self) -> Self {
        self.binary(other, ops::min(self.value(), other.value()))
    }

    /// The (deprecated) positive difference: `0` if `x ≤ y`, else `x − y` (NaN for a NaN
    /// operand, as on the plain float).
    fn abs_sub(self, other: Self) -> Self {
        if self.value() <= other.value() {
            Self::zero()
        } else {
            self - other
        }
    }

    /// `x · (180/π)` with the plain float's own factor, so the value is the same bits
    /// (the trait's default goes through `acos(0)` and rounds differently).
    fn to_degrees(self) -> Self {
        self * T::one().to_degrees()
    }

    /// `x · (π/180)` with the plain float's own factor (see [`Float::to_degrees`]).
    fn to_radians(self) -> Self {
        self * T::one().to_radians()
    }

    fn hypot(self, other: Self) -> Self {
        self.binary(other, ops::hypot(self.value(), other.value()))
    }

    fn atan2(self, other: Self) -> Self {
        self.binary(other, ops::atan2(self.value(), other.value()))
    }

    fn sin_cos(self) -> (Self, Self) {
        (self.sin(), self.cos())
    }
}

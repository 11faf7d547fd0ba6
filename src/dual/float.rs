//! `num_traits::Float` and `Scalar` for [`Dual`]: each differentiable method applies a
//! rule of the tape's table to the value and chains it into the derivative part.

use std::num::FpCategory;

use num_traits::{Float, Num, NumCast, One, ToPrimitive, Zero};

use super::Dual;
use crate::scalar::Scalar;
use crate::tape::ops;

impl<T: Float> Zero for Dual<T> {
    fn zero() -> Self {
        Dual::constant(T::zero())
    }
    /// Both parts zero: the additive identity. (`==` compares values only, so
    /// `0 + 1ε == 0` holds but `(0 + 1ε).is_zero()` does not; code that skips zero work,
    /// like the tape's reverse sweep, must ask `is_zero`.)
    fn is_zero(&self) -> bool {
        self.re.is_zero() && self.eps.is_zero()
    }
}

impl<T: Float> One for Dual<T> {
    fn one() -> Self {
        Dual::constant(T::one())
    }
}

impl<T: Float> Num for Dual<T> {
    type FromStrRadixErr = T::FromStrRadixErr;
    fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
        T::from_str_radix(s, radix).map(Dual::constant)
    }
}

impl<T: Float> ToPrimitive for Dual<T> {
    fn to_i64(&self) -> Option<i64> {
        self.re.to_i64()
    }
    fn to_u64(&self) -> Option<u64> {
        self.re.to_u64()
    }
    fn to_f32(&self) -> Option<f32> {
        self.re.to_f32()
    }
    fn to_f64(&self) -> Option<f64> {
        self.re.to_f64()
    }
}

impl<T: Float> NumCast for Dual<T> {
    /// A constant: numbers converted into a dual number are never the variable.
    fn from<N: ToPrimitive>(n: N) -> Option<Self> {
        T::from(n).map(Dual::constant)
    }
}

/// Methods that apply a unary rule of the table.
macro_rules! unary_rules {
    ($($method:ident => $rule:path,)*) => {$(
        fn $method(self) -> Self {
            self.chain($rule(self.re))
        }
    )*};
}

/// Methods whose value is a plain property of the value.
macro_rules! predicates {
    ($($method:ident -> $out:ty,)*) => {$(
        fn $method(self) -> $out {
            self.re.$method()
        }
    )*};
}

/// Constants of the float type.
macro_rules! constants {
    ($($method:ident,)*) => {$(
        fn $method() -> Self {
            Dual::constant(T::$method())
        }
    )*};
}

/// Piecewise-constant methods: derivative zero wherever it exists.
macro_rules! flat {
    ($($method:ident,)*) => {$(
        fn $method(self) -> Self {
            self.chain(ops::flat(self.re.$method()))
        }
    )*};
}

impl<T: Float> Float for Dual<T> {
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

    fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }

    fn powi(self, n: i32) -> Self {
        self.chain(ops::powi(self.re, n))
    }

    fn powf(self, n: Self) -> Self {
        self.chain2(n, ops::powf(self.re, n.re))
    }

    fn log(self, base: Self) -> Self {
        self.ln() / base.ln()
    }

    fn max(self, other: Self) -> Self {
        self.chain2(other, ops::max(self.re, other.re))
    }

    fn min(self, other: Self) -> Self {
        self.chain2(other, ops::min(self.re, other.re))
    }

    /// `max(x − y, 0)`, the (deprecated) positive difference.
    fn abs_sub(self, other: Self) -> Self {
        (self - other).max(Self::zero())
    }

    fn hypot(self, other: Self) -> Self {
        self.chain2(other, ops::hypot(self.re, other.re))
    }

    fn atan2(self, other: Self) -> Self {
        self.chain2(other, ops::atan2(self.re, other.re))
    }

    fn sin_cos(self) -> (Self, Self) {
        (self.sin(), self.cos())
    }
}

impl<T: Float> Scalar for Dual<T> {
    fn sigmoid(self) -> Self {
        self.chain(ops::sigmoid(self.re))
    }

    fn relu(self) -> Self {
        self.chain(ops::relu(self.re))
    }
}

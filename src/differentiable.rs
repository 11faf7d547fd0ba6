//! What the tape's [`Var`](crate::Var) and forward mode's [`Dual`](crate::dual::Dual)
//! have in common: a number that carries a value and propagates derivatives by applying
//! the rules of `crate::rules`. `Float`, the conversions and the arithmetic operators are
//! generated from that once, by the macros below, so an op added to the rules table
//! reaches both number types in one place, and the two cannot drift apart (a value
//! computed on either is the plain float's, bit for bit).

use num_traits::Float;

use crate::rules::{Binary, Ternary, Unary};

/// A number that applies a rule `(value, partials…)` of `crate::rules` to itself: the tape
/// records the partials, a dual number chains them into its derivative part.
pub(crate) trait Differentiable<T: Float>: Copy {
    /// A number with zero derivative.
    fn constant(value: T) -> Self;
    /// The value.
    fn value(self) -> T;
    /// The result of a unary rule applied to `self`.
    fn unary(self, rule: Unary<T>) -> Self;
    /// The result of a binary rule applied to `self` and `b`.
    fn binary(self, b: Self, rule: Binary<T>) -> Self;
    /// The result of a ternary rule applied to `self`, `b` and `c`.
    fn ternary(self, b: Self, c: Self, rule: Ternary<T>) -> Self;
}

/// `One`, `Num`, `ToPrimitive`, `NumCast` and `Float` for a [`Differentiable`] type:
/// `float_from_rules!(impl<'t, T> for Var<'t, T>)`. (`Zero` stays with each type: what
/// counts as zero differs, a dual number's derivative part included.)
macro_rules! float_from_rules {
    (impl<$($lt:lifetime,)? $T:ident> for $ty:ty) => {
        impl<$($lt,)? $T: num_traits::Float> num_traits::One for $ty {
            fn one() -> Self {
                <Self as $crate::differentiable::Differentiable<$T>>::constant($T::one())
            }
        }

        impl<$($lt,)? $T: num_traits::Float> num_traits::Num for $ty {
            type FromStrRadixErr = $T::FromStrRadixErr;
            fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
                $T::from_str_radix(s, radix)
                    .map(<Self as $crate::differentiable::Differentiable<$T>>::constant)
            }
        }

        impl<$($lt,)? $T: num_traits::Float> num_traits::ToPrimitive for $ty {
            fn to_i64(&self) -> Option<i64> {
                $crate::differentiable::Differentiable::value(*self).to_i64()
            }
            fn to_u64(&self) -> Option<u64> {
                $crate::differentiable::Differentiable::value(*self).to_u64()
            }
            fn to_f32(&self) -> Option<f32> {
                $crate::differentiable::Differentiable::value(*self).to_f32()
            }
            fn to_f64(&self) -> Option<f64> {
                $crate::differentiable::Differentiable::value(*self).to_f64()
            }
        }

        impl<$($lt,)? $T: num_traits::Float> num_traits::NumCast for $ty {
            /// A constant: a number converted into this type is never a variable.
            fn from<N: num_traits::ToPrimitive>(n: N) -> Option<Self> {
                <$T as num_traits::NumCast>::from(n)
                    .map(<Self as $crate::differentiable::Differentiable<$T>>::constant)
            }
        }

        impl<$($lt,)? $T: num_traits::Float> num_traits::Float for $ty {
            $crate::differentiable::float_from_rules!(@constants $T;
                nan, infinity, neg_infinity, neg_zero, min_value, min_positive_value,
                max_value, epsilon,
            );

            $crate::differentiable::float_from_rules!(@predicates $T;
                is_nan -> bool, is_infinite -> bool, is_finite -> bool, is_normal -> bool,
                classify -> std::num::FpCategory, is_sign_positive -> bool,
                is_sign_negative -> bool, integer_decode -> (u64, i16, i8),
            );

            // Piecewise constant: derivative zero wherever it exists.
            $crate::differentiable::float_from_rules!(@flat $T;
                floor, ceil, round, trunc, signum,
            );

            $crate::differentiable::float_from_rules!(@unary $T;
                abs, recip, sqrt, cbrt, exp, exp2, exp_m1, ln, ln_1p, log2, log10, sin, cos,
                tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh,
            );

            $crate::differentiable::float_from_rules!(@binary $T;
                powf, max, min, hypot, atan2,
            );

            /// `x − trunc(x)`: derivative one wherever it exists.
            fn fract(self) -> Self {
                self - self.trunc()
            }

            /// Fused, one rounding, as on the plain float.
            fn mul_add(self, a: Self, b: Self) -> Self {
                use $crate::differentiable::Differentiable as D;
                D::ternary(self, a, b, $crate::rules::mul_add(D::value(self), D::value(a), D::value(b)))
            }

            fn powi(self, n: i32) -> Self {
                use $crate::differentiable::Differentiable as D;
                D::unary(self, $crate::rules::powi(D::value(self), n))
            }

            fn log(self, base: Self) -> Self {
                self.ln() / base.ln()
            }

            /// The (deprecated) positive difference: `0` if `x ≤ y`, else `x − y` (NaN
            /// for a NaN operand, as on the plain float).
            fn abs_sub(self, other: Self) -> Self {
                use $crate::differentiable::Differentiable as D;
                if D::value(self) <= D::value(other) {
                    <Self as num_traits::Zero>::zero()
                } else {
                    self - other
                }
            }

            /// `x · (180/π)` with the plain float's own factor, so the value is the same
            /// bits (the trait's default goes through `acos(0)` and rounds differently).
            fn to_degrees(self) -> Self {
                self * $T::one().to_degrees()
            }

            /// `x · (π/180)` with the plain float's own factor (see `to_degrees`).
            fn to_radians(self) -> Self {
                self * $T::one().to_radians()
            }

            fn sin_cos(self) -> (Self, Self) {
                (self.sin(), self.cos())
            }
        }
    };
    (@constants $T:ident; $($method:ident,)*) => {$(
        fn $method() -> Self {
            <Self as $crate::differentiable::Differentiable<$T>>::constant($T::$method())
        }
    )*};
    (@predicates $T:ident; $($method:ident -> $out:ty,)*) => {$(
        fn $method(self) -> $out {
            $crate::differentiable::Differentiable::<$T>::value(self).$method()
        }
    )*};
    (@flat $T:ident; $($method:ident,)*) => {$(
        fn $method(self) -> Self {
            use $crate::differentiable::Differentiable as D;
            D::unary(self, $crate::rules::flat(D::<$T>::value(self).$method()))
        }
    )*};
    (@unary $T:ident; $($method:ident,)*) => {$(
        fn $method(self) -> Self {
            use $crate::differentiable::Differentiable as D;
            D::unary(self, $crate::rules::$method(D::<$T>::value(self)))
        }
    )*};
    (@binary $T:ident; $($method:ident,)*) => {$(
        fn $method(self, other: Self) -> Self {
            use $crate::differentiable::Differentiable as D;
            D::binary(self, other, $crate::rules::$method(D::<$T>::value(self), D::<$T>::value(other)))
        }
    )*};
}

/// `-x`, `x ∘ y`, `x ∘ c`, `c ∘ x` (for `f32` and `f64` constants), the compound
/// assignments, `Sum` and `Product` for a [`Differentiable`] type:
/// `arithmetic_from_rules!(impl<'t, T> for Var<'t, T>; impl<'t> f64 => Var<'t, f64>)`.
/// Always inlined: a call per operator would cost more than the tape's record of it.
macro_rules! arithmetic_from_rules {
    (impl<$($lt:lifetime,)? $T:ident> for $ty:ty $(; impl<$($flt:lifetime)?> $float:ty => $fty:ty)*) => {
        impl<$($lt,)? $T: num_traits::Float> std::ops::Neg for $ty {
            type Output = Self;
            #[inline(always)]
            fn neg(self) -> Self {
                use $crate::differentiable::Differentiable as D;
                D::unary(self, $crate::rules::neg(D::<$T>::value(self)))
            }
        }

        $crate::differentiable::arithmetic_from_rules!(@ops [$($lt,)? $T] $ty;
            Add add AddAssign add_assign;
            Sub sub SubAssign sub_assign;
            Mul mul MulAssign mul_assign;
            Div div DivAssign div_assign;
            Rem rem RemAssign rem_assign;
        );

        $(
            $crate::differentiable::arithmetic_from_rules!(@left [$($flt)?] $float => $fty;
                Add add, Sub sub, Mul mul, Div div, Rem rem,
            );
        )*

        impl<$($lt,)? $T: num_traits::Float> std::iter::Sum for $ty {
            /// Folds with `+` from `-0.0`, as the primitive floats' `Sum` does (the exact
            /// identity of `+`: a sum of negative zeros stays `-0.0`).
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                use $crate::differentiable::Differentiable as D;
                iter.fold(D::constant($T::neg_zero()), |acc, x| acc + x)
            }
        }

        impl<$($lt,)? $T: num_traits::Float> std::iter::Product for $ty {
            fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
                use $crate::differentiable::Differentiable as D;
                iter.fold(D::constant($T::one()), |acc, x| acc * x)
            }
        }
    };
    // The generics travel as one bracketed token tree, unpacked by `@op`, so they can
    // be repeated once per operator.
    (@ops $g:tt $ty:ty; $($Op:ident $op:ident $OpAssign:ident $op_assign:ident;)*) => {$(
        $crate::differentiable::arithmetic_from_rules!(@op $g $ty; $Op $op $OpAssign $op_assign);
    )*};
    (@op [$($lt:lifetime,)? $T:ident] $ty:ty; $Op:ident $op:ident $OpAssign:ident $op_assign:ident) => {
        impl<$($lt,)? $T: num_traits::Float> std::ops::$Op for $ty {
            type Output = Self;
            #[inline(always)]
            fn $op(self, rhs: Self) -> Self {
                use $crate::differentiable::Differentiable as D;
                D::binary(self, rhs, $crate::rules::$op(D::<$T>::value(self), D::<$T>::value(rhs)))
            }
        }

        impl<$($lt,)? $T: num_traits::Float> std::ops::$Op<$T> for $ty {
            type Output = Self;
            #[inline(always)]
            fn $op(self, rhs: $T) -> Self {
                use $crate::differentiable::Differentiable as D;
                D::binary(self, D::constant(rhs), $crate::rules::$op(D::<$T>::value(self), rhs))
            }
        }

        impl<$($lt,)? $T: num_traits::Float> std::ops::$OpAssign for $ty {
            #[inline(always)]
            fn $op_assign(&mut self, rhs: Self) {
                *self = std::ops::$Op::$op(*self, rhs);
            }
        }

        impl<$($lt,)? $T: num_traits::Float> std::ops::$OpAssign<$T> for $ty {
            #[inline(always)]
            fn $op_assign(&mut self, rhs: $T) {
                *self = std::ops::$Op::$op(*self, rhs);
            }
        }
    };
    (@left $g:tt $float:ty => $fty:ty; $($Op:ident $op:ident,)*) => {$(
        $crate::differentiable::arithmetic_from_rules!(@left_op $g $float => $fty; $Op $op);
    )*};
    (@left_op [$($lt:lifetime)?] $float:ty => $fty:ty; $Op:ident $op:ident) => {
        impl<$($lt)?> std::ops::$Op<$fty> for $float {
            type Output = $fty;
            #[inline(always)]
            fn $op(self, rhs: $fty) -> $fty {
                use $crate::differentiable::Differentiable as D;
                std::ops::$Op::$op(<$fty as D<$float>>::constant(self), rhs)
            }
        }
    };
}

pub(crate) use arithmetic_from_rules;
pub(crate) use float_from_rules;

//! Arithmetic operators for [`Dual`], each through the tape's rule table.

use std::fmt;
use std::ops::{
    Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, RemAssign, Sub, SubAssign,
};

use num_traits::Float;

use super::Dual;
use crate::tape::ops;

impl<T: Float> Neg for Dual<T> {
    type Output = Self;
    fn neg(self) -> Self {
        self.chain(ops::neg(self.re))
    }
}

/// `Dual ∘ Dual`, `Dual ∘ T` and the compound assignments, for each arithmetic operator.
macro_rules! arithmetic {
    ($($Op:ident $op:ident $OpAssign:ident $op_assign:ident $rule:path;)*) => {$(
        impl<T: Float> $Op for Dual<T> {
            type Output = Self;
            fn $op(self, rhs: Self) -> Self {
                self.chain2(rhs, $rule(self.re, rhs.re))
            }
        }

        impl<T: Float> $Op<T> for Dual<T> {
            type Output = Self;
            fn $op(self, rhs: T) -> Self {
                $Op::$op(self, Dual::constant(rhs))
            }
        }

        impl<T: Float> $OpAssign for Dual<T> {
            fn $op_assign(&mut self, rhs: Self) {
                *self = $Op::$op(*self, rhs);
            }
        }

        impl<T: Float> $OpAssign<T> for Dual<T> {
            fn $op_assign(&mut self, rhs: T) {
                *self = $Op::$op(*self, rhs);
            }
        }
    )*};
}

arithmetic! {
    Add add AddAssign add_assign ops::add;
    Sub sub SubAssign sub_assign ops::sub;
    Mul mul MulAssign mul_assign ops::mul;
    Div div DivAssign div_assign ops::div;
    Rem rem RemAssign rem_assign ops::rem;
}

/// `T ∘ Dual` for the primitive floats (the orphan rule forbids a generic impl).
macro_rules! constant_on_the_left {
    ($($float:ty)*) => {$(
        impl Add<Dual<$float>> for $float {
            type Output = Dual<$float>;
            fn add(self, rhs: Dual<$float>) -> Dual<$float> {
                Dual::constant(self) + rhs
            }
        }
        impl Sub<Dual<$float>> for $float {
            type Output = Dual<$float>;
            fn sub(self, rhs: Dual<$float>) -> Dual<$float> {
                Dual::constant(self) - rhs
            }
        }
        impl Mul<Dual<$float>> for $float {
            type Output = Dual<$float>;
            fn mul(self, rhs: Dual<$float>) -> Dual<$float> {
                Dual::constant(self) * rhs
            }
        }
        impl Div<Dual<$float>> for $float {
            type Output = Dual<$float>;
            fn div(self, rhs: Dual<$float>) -> Dual<$float> {
                Dual::constant(self) / rhs
            }
        }
        impl Rem<Dual<$float>> for $float {
            type Output = Dual<$float>;
            fn rem(self, rhs: Dual<$float>) -> Dual<$float> {
                Dual::constant(self) % rhs
            }
        }
    )*};
}

constant_on_the_left!(f32 f64);

/// Compares values, as branches in user code must; the derivative part does not matter.
impl<T: PartialEq> PartialEq for Dual<T> {
    fn eq(&self, other: &Self) -> bool {
        self.re == other.re
    }
}

impl<T: PartialOrd> PartialOrd for Dual<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.re.partial_cmp(&other.re)
    }
}

impl<T: fmt::Display> fmt::Display for Dual<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} + {}ε", self.re, self.eps)
    }
}

impl<T: Float> std::iter::Sum for Dual<T> {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Dual::constant(T::zero()), |acc, x| acc + x)
    }
}

impl<T: Float> std::iter::Product for Dual<T> {
    fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Dual::constant(T::one()), |acc, x| acc * x)
    }
}

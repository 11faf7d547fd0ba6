//! `num_traits::Float` for [`Var`], so a function written once for `T: Float` records on
//! the tape unchanged: generated from the rules table (`crate::rules`) by
//! `float_from_rules!`, the same code that gives forward mode's `Dual` its `Float`.

use num_traits::{Float, Zero};

use super::Var;
use crate::differentiable::{float_from_rules, Differentiable};
use crate::rules::{Binary, Ternary, Unary};

impl<T: Float> Zero for Var<'_, T> {
    fn zero() -> Self {
        Var::constant(T::zero())
    }
    fn is_zero(&self) -> bool {
        self.value().is_zero()
    }
}

impl<'t, T: Float> Differentiable<T> for Var<'t, T> {
    #[inline(always)]
    fn constant(value: T) -> Self {
        Var::constant(value)
    }
    #[inline(always)]
    fn value(self) -> T {
        Var::value(self)
    }
    #[inline(always)]
    fn unary(self, rule: Unary<T>) -> Self {
        Var::unary(self, rule)
    }
    #[inline(always)]
    fn binary(self, b: Self, rule: Binary<T>) -> Self {
        Var::binary(self, b, rule)
    }
    fn ternary(self, b: Self, c: Self, rule: Ternary<T>) -> Self {
        Var::ternary(self, b, c, rule)
    }
}

float_from_rules!(impl<'t, T> for Var<'t, T>);

//! `Var`: a variable on a tape, or a constant; the handle a user computes with.

use num_traits::Float;
use std::fmt;

use super::Tape;
use crate::differentiable::arithmetic_from_rules;
use crate::rules::{Binary, Ternary, Unary};

/// A scalar in a computation being recorded: a variable of a [`Tape`], or a constant.
///
/// `Var` is a small `Copy` handle (tape reference, node index, value) with the arithmetic
/// operators and all of [`num_traits::Float`], so code written once for `T: Float` runs
/// on it unchanged. Constants (`Var::constant`, `Var::zero()`, `T::from(2.0)`) belong to
/// no tape and record nothing; an op whose operands are all constants is a constant.
///
/// Combining variables of two different tapes panics with a message, since the
/// gradient would silently be wrong otherwise.
///
/// # Where the derivative is not defined
///
/// - `relu` and `abs` at `0` have derivative `0`; `max`/`min` at a tie give the whole
///   derivative to the left operand, and ignore a NaN operand as `f64::max` does.
/// - `ln` (and `log2`, `log10`) of a negative number is NaN with a NaN derivative;
///   `ln 0 = -inf` and `sqrt 0 = 0` have derivative `+inf` (also at `-0.0`).
/// - `x.powf(y)`: `∂/∂y` is NaN for `x < 0` (`∂/∂x` stays finite for an integer `y`),
///   and `0` at `x = 0`, `y ≥ 0`. `x.powi(0)` has derivative `0`, also at `x = 0`.
/// - Outside an op's domain (`ln`, `sqrt`, `asin`, `acosh`, `atanh`, ... of an argument
///   they do not take, `x % 0`) the value and the derivative are NaN.
/// - `hypot(0, 0)` and `atan2(0, 0)` have NaN derivatives; NaN in gives NaN out.
/// - A branch the output does not use passes on nothing, even an infinite or NaN
///   derivative; a NaN on a used path reaches the gradient.
///
/// ```
/// use gradproof::prelude::*;
///
/// let tape = Tape::new();
/// let (x, z) = (tape.var(2.0), tape.var(0.0));
/// // sqrt'(0) = +inf, but the max does not use that branch: no 0·inf = NaN.
/// let y = x.max(z.sqrt());
/// let grad = tape.gradient(y);
/// assert_eq!((grad.wrt(x), grad.wrt(z)), (1.0, 0.0));
/// ```
#[derive(Clone, Copy)]
pub struct Var<'t, T> {
    tape: Option<&'t Tape<T>>,
    index: u32,
    value: T,
}

impl<'t, T: Float> Var<'t, T> {
    /// A constant: a value on no tape, with zero derivative with respect to everything.
    pub fn constant(value: T) -> Self {
        Var {
            tape: None,
            index: 0,
            value,
        }
    }

    #[inline(always)]
    pub(crate) fn recorded(tape: &'t Tape<T>, index: u32, value: T) -> Self {
        Var {
            tape: Some(tape),
            index,
            value,
        }
    }

    /// The value computed for this variable when it was recorded.
    pub fn value(self) -> T {
        self.value
    }

    /// Whether this is a constant (on no tape).
    pub fn is_constant(self) -> bool {
        self.tape.is_none()
    }

    /// The tape this variable was recorded on, `None` for a constant.
    pub fn tape(&self) -> Option<&'t Tape<T>> {
        self.tape
    }

    /// The node index on its tape (0 for a constant).
    pub fn index(self) -> u32 {
        self.index
    }

    /// Records the result of a unary rule applied to `self`. Always inlined, as are
    /// `binary` and the operators: a call per op would cost more than the op records.
    #[inline(always)]
    pub(crate) fn unary(self, (value, d): Unary<T>) -> Self {
        match self.tape {
            None => Var::constant(value),
            Some(tape) => Var::recorded(tape, tape.push_unary(self.index, d), value),
        }
    }

    /// Records the result of a binary rule applied to `self` and `other`; a constant
    /// operand gets no edge.
    #[inline(always)]
    pub(crate) fn binary(self, other: Self, (value, da, db): Binary<T>) -> Self {
        match (self.tape, other.tape) {
            (None, None) => Var::constant(value),
            (Some(tape), None) => Var::recorded(tape, tape.push_unary(self.index, da), value),
            (None, Some(tape)) => Var::recorded(tape, tape.push_unary(other.index, db), value),
            (Some(a), Some(b)) => {
                let tape = same_tape(a, b);
                let index = tape.push_binary([(self.index, da), (other.index, db)]);
                Var::recorded(tape, index, value)
            }
        }
    }

    /// Records the result of a ternary rule applied to `self`, `b` and `c`; constant
    /// operands get no edge.
    pub(crate) fn ternary(self, b: Self, c: Self, (value, da, db, dc): Ternary<T>) -> Self {
        let operands = [(self, da), (b, db), (c, dc)];
        match common_tape(operands.iter().map(|(v, _)| v)) {
            None => Var::constant(value),
            Some(tape) => {
                let edges = operands
                    .iter()
                    .filter(|(v, _)| v.tape.is_some())
                    .map(|(v, d)| (v.index, *d));
                Var::recorded(tape, tape.push_edges(3, edges), value)
            }
        }
    }

    /// `Σ xs` recorded as one node with `xs.len()` parents (constants add to the value
    /// only). The sum of an empty slice is the constant zero.
    pub fn sum(xs: &[Self]) -> Self {
        let value = xs.iter().fold(T::zero(), |acc, x| acc + x.value);
        match common_tape(xs.iter()) {
            None => Var::constant(value),
            Some(tape) => {
                let edges = xs
                    .iter()
                    .filter(|x| x.tape.is_some())
                    .map(|x| (x.index, T::one()));
                Var::recorded(tape, tape.push_edges(xs.len(), edges), value)
            }
        }
    }

    /// The dot product `Σ aₖ·bₖ` recorded as one node (two edges per pair of variables,
    /// none for constants), as a network's weighted sum is.
    ///
    /// # Panics
    ///
    /// If the slices differ in length.
    pub fn dot(a: &[Self], b: &[Self]) -> Self {
        assert_eq!(a.len(), b.len(), "Var::dot needs slices of equal length");
        let value = a
            .iter()
            .zip(b)
            .fold(T::zero(), |acc, (x, y)| acc + x.value * y.value);
        match common_tape(a.iter().chain(b)) {
            None => Var::constant(value),
            Some(tape) => {
                let edges = a.iter().zip(b).flat_map(|(x, y)| {
                    let from_x = x.tape.map(|_| (x.index, y.value));
                    let from_y = y.tape.map(|_| (y.index, x.value));
                    from_x.into_iter().chain(from_y)
                });
                Var::recorded(tape, tape.push_edges(2 * a.len(), edges), value)
            }
        }
    }
}

/// The tape both operands live on; panics when they live on two.
#[inline]
pub(super) fn same_tape<'t, T>(a: &'t Tape<T>, b: &'t Tape<T>) -> &'t Tape<T> {
    assert!(
        std::ptr::eq(a, b),
        "an operation mixed Vars from two different Tapes: record every variable of one \
         computation on the same Tape"
    );
    a
}

/// The one tape the non-constant vars share, `None` if all are constants.
pub(super) fn common_tape<'a, 't: 'a, T: 'a>(
    vars: impl Iterator<Item = &'a Var<'t, T>>,
) -> Option<&'t Tape<T>> {
    vars.filter_map(|v| v.tape)
        .reduce(|found, next| same_tape(found, next))
}

impl<T: fmt::Debug> fmt::Debug for Var<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tape {
            None => write!(f, "Var(constant {:?})", self.value),
            Some(_) => write!(f, "Var(#{} = {:?})", self.index, self.value),
        }
    }
}

impl<T: fmt::Display> fmt::Display for Var<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// Compares values, as `f64` does; where the value came from does not matter.
impl<T: PartialEq> PartialEq for Var<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: PartialOrd> PartialOrd for Var<'_, T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

arithmetic_from_rules!(
    impl<'t, T> for Var<'t, T>;
    impl<'t> f32 => Var<'t, f32>;
    impl<'t> f64 => Var<'t, f64>
);

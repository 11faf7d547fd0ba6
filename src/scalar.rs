//! `Scalar`: the numbers a model is written over — plain floats, tape variables, and
//! forward-mode numbers — with the few operations networks need beyond `Float`.

use num_traits::Float;

use crate::rules;
use crate::tape::Var;

/// A [`Float`] with the network operations `sigmoid`, `relu`, `sum` and `dot`.
///
/// Write a model once for `T: Scalar` and it runs on `f64`, `f32` and [`Var`]. The
/// provided methods compute from `Float` alone; [`Var`] overrides them so that each
/// records one node (a dot product of n pairs is one node, not 2n − 1).
///
/// ```
/// use gradproof::prelude::*;
///
/// fn neuron<T: Scalar>(w: &[T], x: &[T]) -> T {
///     T::dot(w, x).sigmoid()
/// }
///
/// let plain = neuron(&[0.5, -0.25], &[1.0, 2.0]);
/// let tape = Tape::new();
/// let w = tape.vars(&[0.5, -0.25]);
/// let x = [1.0, 2.0].map(gradproof::Var::constant);
/// let recorded = neuron(&w, &x);
/// assert_eq!(recorded.value(), plain);
/// // Two weights, one fused dot-product node, one sigmoid node.
/// assert_eq!(tape.len(), 4);
/// ```
pub trait Scalar: Float {
    /// The logistic function `σ(x) = 1 / (1 + e^(−x))`, whose derivative is
    /// `σ(x)(1 − σ(x))`.
    fn sigmoid(self) -> Self {
        rules::sigmoid(self).0
    }

    /// `max(x, 0)`, with derivative 0 at 0 (the convention of PyTorch and JAX).
    fn relu(self) -> Self {
        rules::relu(self).0
    }

    /// `Σ xs`; zero for an empty slice.
    fn sum(xs: &[Self]) -> Self {
        xs.iter().fold(Self::zero(), |acc, &x| acc + x)
    }

    /// `Σ aₖ·bₖ`.
    ///
    /// # Panics
    ///
    /// If the slices differ in length.
    fn dot(a: &[Self], b: &[Self]) -> Self {
        assert_eq!(a.len(), b.len(), "dot needs slices of equal length");
        a.iter()
            .zip(b)
            .fold(Self::zero(), |acc, (&x, &y)| acc + x * y)
    }
}

impl Scalar for f32 {}
impl Scalar for f64 {}

impl<T: Float> Scalar for Var<'_, T> {
    fn sigmoid(self) -> Self {
        self.unary(rules::sigmoid(self.value()))
    }

    fn relu(self) -> Self {
        self.unary(rules::relu(self.value()))
    }

    fn sum(xs: &[Self]) -> Self {
        Var::sum(xs)
    }

    fn dot(a: &[Self], b: &[Self]) -> Self {
        Var::dot(a, b)
    }
}

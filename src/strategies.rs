//! proptest strategies for property tests of your own gradients (feature `proptest`):
//! random points, random directions, and random networks of given layer sizes.
//!
//! A property test of a hand-written gradient, in a few lines:
//!
//! ```
//! use gradproof::prelude::*;
//! use gradproof::strategies;
//! use proptest::prelude::*;
//!
//! fn loss<S: Scalar>(w: &[S]) -> S {
//!     (w[0] * w[1]).sigmoid() + w[1] * w[1]
//! }
//!
//! fn my_gradient(w: &[f64]) -> Vec<f64> {
//!     let s = (w[0] * w[1]).sigmoid();
//!     vec![s * (1.0 - s) * w[1], s * (1.0 - s) * w[0] + 2.0 * w[1]]
//! }
//!
//! proptest! {
//!     // #[test] in a test file; called by hand here.
//!     fn my_gradient_is_right(w in strategies::point::<f64>(2, 3.0)) {
//!         gradproof::assert_gradient!(gradproof::function!(loss), &w, my_gradient);
//!     }
//! }
//! # my_gradient_is_right();
//! ```
//!
//! The crate's own network types are not used here (this module does not depend on
//! `nn`): [`network`] gives weight matrices and biases of any layer sizes, laid out as
//! plain vectors, for whatever network code is under test.

use proptest::prelude::*;

use crate::check::Real;

/// A point in `dimension` dimensions with coordinates uniform in `[-bound, bound]`.
///
/// # Panics
///
/// If `bound` is not positive and finite (a programmer error in the test).
pub fn point<T: Real>(dimension: usize, bound: f64) -> impl Strategy<Value = Vec<T>> {
    assert!(
        bound > 0.0 && bound.is_finite(),
        "a point's bound must be positive and finite"
    );
    prop::collection::vec(-bound..=bound, dimension).prop_map(cast_all)
}

/// A direction in `dimension` dimensions: components uniform in `[-1, 1]`, rescaled so
/// the largest is ±1 (never the zero vector).
pub fn direction<T: Real>(dimension: usize) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(-1.0..=1.0f64, dimension)
        .prop_filter("a direction is not zero", |v| {
            v.iter().any(|c| c.abs() > 1e-3)
        })
        .prop_map(|v| {
            let norm = v.iter().fold(0.0_f64, |m, c| m.max(c.abs()));
            cast_all(v.into_iter().map(|c| c / norm).collect())
        })
}

/// One fully connected layer: `weights[o][i]` from input `i` to output `o`, and one
/// bias per output.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer<T> {
    /// `outputs × inputs` weights, one row per output neuron.
    pub weights: Vec<Vec<T>>,
    /// One bias per output neuron.
    pub biases: Vec<T>,
}

/// The parameters of a fully connected network of the given layer sizes.
#[derive(Clone, Debug, PartialEq)]
pub struct Network<T> {
    /// Neurons per layer, input layer first.
    pub sizes: Vec<usize>,
    /// One [`Layer`] per pair of consecutive sizes.
    pub layers: Vec<Layer<T>>,
}

impl<T: Copy> Network<T> {
    /// Every parameter in one vector: layer by layer, each output neuron's weights
    /// followed by its bias (the layout to hand a [`Function`](crate::dual::Function)
    /// of all parameters).
    pub fn flat(&self) -> Vec<T> {
        self.layers
            .iter()
            .flat_map(|layer| {
                layer
                    .weights
                    .iter()
                    .zip(&layer.biases)
                    .flat_map(|(row, &bias)| row.iter().copied().chain(std::iter::once(bias)))
            })
            .collect()
    }
}

/// A network of the given layer sizes (input layer first) with weights and biases
/// uniform in `[-bound, bound]`.
///
/// ```
/// use gradproof::strategies::network;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let net = network::<f64>(&[3, 3, 3], 1.0)
///     .new_tree(&mut TestRunner::default())
///     .unwrap()
///     .current();
/// assert_eq!(net.layers[1].weights.len(), 3);
/// assert_eq!(net.flat().len(), 2 * (3 * 3 + 3));
/// ```
///
/// # Panics
///
/// If fewer than two sizes are given or `bound` is not positive and finite.
pub fn network<T: Real>(sizes: &[usize], bound: f64) -> impl Strategy<Value = Network<T>> {
    assert!(
        sizes.len() >= 2,
        "a network needs at least an input and an output layer size"
    );
    let sizes = sizes.to_vec();
    let layers: Vec<_> = sizes
        .windows(2)
        .map(|pair| {
            let (inputs, outputs) = (pair[0], pair[1]);
            (
                prop::collection::vec(point::<T>(inputs, bound), outputs),
                point::<T>(outputs, bound),
            )
                .prop_map(|(weights, biases)| Layer { weights, biases })
        })
        .collect();
    layers.prop_map(move |layers| Network {
        sizes: sizes.clone(),
        layers,
    })
}

fn cast_all<T: Real>(v: Vec<f64>) -> Vec<T> {
    v.into_iter()
        .map(|c| T::from(c).unwrap_or_else(T::nan))
        .collect()
}

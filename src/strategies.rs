//! proptest strategies for property tests of your own gradients (feature `proptest`):
//! random points, random directions, random networks of given layer sizes, and a random
//! [`Mlp`] with a sample that fits it.
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
//! For a network, [`mlp_sample`] gives a random [`Mlp`] of a [`Shape`] (layer sizes,
//! biases or not, activations) and one sample `(x, y)` for it; [`MlpSample::loss`] is
//! its loss as a [`Function`] of the flat parameters, ready for the checks. [`network`]
//! gives plain weight matrices and biases instead, for network code of your own that
//! does not use [`Mlp`].

use proptest::prelude::*;

use crate::check::Real;
use crate::dual::Function;
use crate::nn::activation::Activation;
use crate::nn::mlp::{Mlp, Shape};
use crate::scalar::Scalar;

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
    /// followed by its bias (the layout to hand a [`Function`]
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

/// A random [`Mlp`] of `shape` (layer sizes, biases or not, activations): every weight
/// and bias uniform in `[-bound, bound]`.
///
/// # Panics
///
/// If `bound` is not positive and finite (a programmer error in the test).
pub fn mlp<T: Real>(shape: Shape, bound: f64) -> impl Strategy<Value = Mlp<T>> {
    point::<T>(shape.param_count(), bound).prop_map(move |params| {
        Mlp::from_params(shape.clone(), params)
            .expect("a point of param_count() finite coordinates fits the shape")
    })
}

/// A random network and one sample for it: what a property test of a network's gradient
/// needs. The loss `½ Σₖ (yₖ − ŷₖ)²` at the sample, as a function of the flat
/// parameters, is [`MlpSample::loss`].
#[derive(Clone, Debug, PartialEq)]
pub struct MlpSample<T> {
    /// The network; its parameters are the point to check the gradient at.
    pub net: Mlp<T>,
    /// The inputs, `shape.inputs()` of them.
    pub x: Vec<T>,
    /// The targets, `shape.outputs()` of them.
    pub y: Vec<T>,
}

impl<T: Real> MlpSample<T> {
    /// The loss at this sample as a [`Function`] of the flat parameters (layout in
    /// [`Shape`]): [`Mlp::loss_at`], run by the checks on `T`, on forward-mode numbers
    /// and on the tape. Parameters the network rejects (NaN, infinite) give a NaN loss,
    /// which every check reports as not finite.
    pub fn loss(&self) -> SampleLoss<'_, T> {
        SampleLoss { sample: self }
    }

    /// The network's parameters: the point to check the gradient at.
    pub fn params(&self) -> &[T] {
        self.net.params()
    }
}

/// [`MlpSample::loss`]: the loss at one sample as a function of the parameters.
#[derive(Clone, Copy, Debug)]
pub struct SampleLoss<'a, T> {
    sample: &'a MlpSample<T>,
}

impl<T: Real> Function for SampleLoss<'_, T> {
    fn eval<S: Scalar>(&self, params: &[S]) -> S {
        let lift = |v: &[T]| -> Vec<S> {
            v.iter()
                .map(|&c| S::from(Into::<f64>::into(c)).unwrap_or_else(S::nan))
                .collect()
        };
        let (x, y) = (lift(&self.sample.x), lift(&self.sample.y));
        self.sample
            .net
            .loss_at(params, &x, &y)
            .unwrap_or_else(|_| S::nan())
    }
}

/// A random [`Mlp`] of `shape` with weights and biases uniform in `[-bound, bound]`
/// (as [`mlp`]), inputs `x` uniform in `[-1, 1]`, and targets `y` uniform in the output
/// activation's range (`[0, 1]` for sigmoid and relu, `[-1, 1]` for tanh).
///
/// A property test of a network's hand-written backward pass (here `nn::mlp`'s own
/// closed form) against the tape and by the Taylor test:
///
/// ```
/// use gradproof::nn::activation::Activation;
/// use gradproof::nn::mlp::{Mlp, Shape};
/// use gradproof::strategies::{mlp_sample, MlpSample};
/// use proptest::prelude::*;
///
/// /// Your backward pass, at any parameters of the sample's network.
/// fn backward(s: &MlpSample<f64>, params: &[f64]) -> Vec<f64> {
///     let net = Mlp::from_params(s.net.shape().clone(), params.to_vec()).unwrap();
///     net.gradient(&s.x, &s.y).unwrap().1
/// }
///
/// let shape = Shape::with_biases(&[3, 4, 2]).unwrap().with_hidden_activation(Activation::Tanh);
/// proptest!(|(s in mlp_sample::<f64>(shape, 1.0))| {
///     gradproof::assert_gradient!(s.loss(), s.params(), |p: &[f64]| backward(&s, p));
/// });
/// ```
///
/// relu units are not differentiable where their weighted sum is zero; a point whose
/// finite-difference steps cross one is reported as a kink, which never passes. With
/// relu, check the tape against your backward pass ([`Checker::backward`], no steps
/// taken) rather than against finite differences.
///
/// [`Checker::backward`]: crate::check::Checker::backward
///
/// # Panics
///
/// If `bound` is not positive and finite (a programmer error in the test).
pub fn mlp_sample<T: Real>(shape: Shape, bound: f64) -> impl Strategy<Value = MlpSample<T>> {
    let (low, high) = match shape.output_activation() {
        Activation::Tanh => (-1.0, 1.0),
        Activation::Sigmoid | Activation::Relu => (0.0, 1.0),
    };
    let (inputs, outputs) = (shape.inputs(), shape.outputs());
    (
        mlp::<T>(shape, bound),
        point::<T>(inputs, 1.0),
        prop::collection::vec(low..=high, outputs).prop_map(cast_all),
    )
        .prop_map(|(net, x, y)| MlpSample { net, x, y })
}

fn cast_all<T: Real>(v: Vec<f64>) -> Vec<T> {
    v.into_iter()
        .map(|c| T::from(c).unwrap_or_else(T::nan))
        .collect()
}

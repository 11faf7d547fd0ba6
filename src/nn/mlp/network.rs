//! `Mlp`: a shape and its parameters, with constructors that validate them.

use num_traits::Float;

use super::error::{check_finite, check_len, check_vector, MlpError, Part};
use super::rng::SplitMix64;
use super::shape::Shape;
use crate::tape::{Tape, Var};

/// A fully connected network (sigmoid unless its [`Shape`] says otherwise): a [`Shape`]
/// and its flat parameter vector.
///
/// The parameters are always finite: every constructor and setter checks them, and a
/// gradient step that would overflow is refused. `T` is `f64` or `f32` for a network
/// you train; [`Mlp::record`] turns it into an `Mlp<Var>` whose parameters are tape
/// variables, and the same [`forward`](Mlp::forward) code runs on both.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<T> {
    shape: Shape,
    params: Vec<T>,
}

impl<T: Float> Mlp<T> {
    /// A network with reproducible random parameters.
    ///
    /// Every weight and bias of layer `l` is drawn uniformly from
    /// `[−1/√sizes[l], 1/√sizes[l])` (the fan-in scaling PyTorch's `nn.Linear` uses, which
    /// keeps each neuron's weighted sum of order one, where the sigmoid is not saturated),
    /// in flat parameter order, by a [`SplitMix64`] generator started at `seed`. The same
    /// seed gives the same network on every platform, for `f64` and (rounded) `f32`.
    ///
    /// ```
    /// use gradproof::nn::mlp::{Mlp, Shape};
    ///
    /// let a = Mlp::<f64>::seeded(Shape::new(&[3, 3, 3])?, 42);
    /// let b = Mlp::<f64>::seeded(Shape::new(&[3, 3, 3])?, 42);
    /// assert_eq!(a, b);
    /// assert!(a.params().iter().all(|w| w.abs() < 1.0 / 3f64.sqrt()));
    /// # Ok::<(), gradproof::nn::mlp::MlpError>(())
    /// ```
    pub fn seeded(shape: Shape, seed: u64) -> Self {
        let mut rng = SplitMix64::new(seed);
        let mut params = Vec::with_capacity(shape.param_count());
        for layer in 0..shape.layers() {
            let bound = 1.0 / (shape.sizes()[layer] as f64).sqrt();
            let block =
                shape.weight_range(layer).len() + shape.bias_range(layer).map_or(0, |r| r.len());
            params.extend((0..block).map(|_| {
                T::from(rng.next_symmetric(bound))
                    .expect("a Float type represents numbers of magnitude below one")
            }));
        }
        Mlp { shape, params }
    }

    /// A network with the given flat parameters (layout in [`Shape`]).
    ///
    /// # Errors
    ///
    /// [`MlpError::WrongLength`] if `params` is not `shape.param_count()` long,
    /// [`MlpError::NonFinite`] for a NaN or infinite parameter.
    pub fn from_params(shape: Shape, params: Vec<T>) -> Result<Self, MlpError> {
        check_vector(Part::Params, &params, shape.param_count())?;
        Ok(Mlp { shape, params })
    }

    /// A network without biases from one row-major `sizes[l + 1] × sizes[l]` weight
    /// matrix per layer (row `j` holds the weights into neuron `j` of the next layer).
    ///
    /// ```
    /// use gradproof::nn::mlp::Mlp;
    ///
    /// // 2 inputs, 1 output: y = σ(0.5·x₀ − 0.25·x₁).
    /// let net = Mlp::from_layers(&[2, 1], &[[0.5, -0.25]])?;
    /// assert_eq!(net.weight(0, 0, 1), -0.25);
    /// # Ok::<(), gradproof::nn::mlp::MlpError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A bad shape (as [`Shape::new`]), the wrong number of matrices or a matrix of the
    /// wrong length, or a NaN or infinite weight.
    pub fn from_layers<W: AsRef<[T]>>(sizes: &[usize], weights: &[W]) -> Result<Self, MlpError> {
        let shape = Shape::new(sizes)?;
        Self::assemble(shape, weights, None::<&[W]>)
    }

    /// A network with biases from one weight matrix (as in [`Mlp::from_layers`]) and one
    /// bias vector of length `sizes[l + 1]` per layer.
    ///
    /// # Errors
    ///
    /// As [`Mlp::from_layers`], and for bias vectors of the wrong number or length.
    pub fn from_layers_with_biases<W: AsRef<[T]>, B: AsRef<[T]>>(
        sizes: &[usize],
        weights: &[W],
        biases: &[B],
    ) -> Result<Self, MlpError> {
        let shape = Shape::with_biases(sizes)?;
        Self::assemble(shape, weights, Some(biases))
    }

    fn assemble<W: AsRef<[T]>, B: AsRef<[T]>>(
        shape: Shape,
        weights: &[W],
        biases: Option<&[B]>,
    ) -> Result<Self, MlpError> {
        check_len(Part::WeightLayers, weights, shape.layers())?;
        if let Some(biases) = biases {
            check_len(Part::BiasLayers, biases, shape.layers())?;
        }
        let mut params = Vec::with_capacity(shape.param_count());
        for layer in 0..shape.layers() {
            let w = weights[layer].as_ref();
            check_vector(Part::Weights { layer }, w, shape.weight_range(layer).len())?;
            params.extend_from_slice(w);
            if let Some(biases) = biases {
                let b = biases[layer].as_ref();
                check_vector(Part::Biases { layer }, b, shape.sizes()[layer + 1])?;
                params.extend_from_slice(b);
            }
        }
        Ok(Mlp { shape, params })
    }

    /// Replaces every parameter (layout in [`Shape`]); the network is unchanged on error.
    ///
    /// # Errors
    ///
    /// As [`Mlp::from_params`].
    pub fn set_params(&mut self, params: &[T]) -> Result<(), MlpError> {
        check_len(Part::Params, params, self.params.len())?;
        check_finite(Part::Params, params)?;
        self.params.copy_from_slice(params);
        Ok(())
    }

    /// This network with its parameters as new variables of `tape` (in flat order, so
    /// they are the tape's nodes `n..n + param_count` if the tape held `n` nodes), for
    /// differentiating through [`Mlp::forward`] or [`Mlp::loss`] on the tape.
    pub fn record<'t>(&self, tape: &'t Tape<T>) -> Mlp<Var<'t, T>> {
        Mlp {
            shape: self.shape.clone(),
            params: tape.vars(&self.params),
        }
    }
}

impl<T> Mlp<T> {
    /// The network's shape: sizes, biases, parameter layout.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Every weight and bias in flat order (layout in [`Shape`]).
    pub fn params(&self) -> &[T] {
        &self.params
    }

    /// The flat parameter vector, consuming the network.
    pub fn into_params(self) -> Vec<T> {
        self.params
    }

    /// Layer `layer`'s weight matrix, row-major `sizes[layer + 1] × sizes[layer]`.
    ///
    /// # Panics
    ///
    /// If `layer >= shape().layers()`.
    pub fn weights(&self, layer: usize) -> &[T] {
        self.shape.weights(&self.params, layer)
    }

    /// Layer `layer`'s biases, `None` for a network without biases.
    ///
    /// # Panics
    ///
    /// If `layer >= shape().layers()`.
    pub fn biases(&self, layer: usize) -> Option<&[T]> {
        self.shape.biases(&self.params, layer)
    }

    /// `W[row][col]` of layer `layer`: the weight from neuron `col` of layer `layer` to
    /// neuron `row` of layer `layer + 1`.
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    pub fn weight(&self, layer: usize, row: usize, col: usize) -> T
    where
        T: Copy,
    {
        self.params[self.shape.weight_index(layer, row, col)]
    }

    /// Mutable parameters for the crate's own update rules, which keep them finite.
    pub(crate) fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }
}

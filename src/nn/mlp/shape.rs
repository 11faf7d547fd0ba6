//! The shape of a network: its layer sizes, whether it has biases, and where each
//! weight and bias sits in the flat parameter vector.

use std::ops::Range;

use super::error::MlpError;
use crate::nn::activation::Activation;

/// Layer sizes, biases or not, the activation of each layer, and the layout of the flat
/// parameter vector.
///
/// `sizes[0]` is the number of inputs, `sizes[last]` the number of outputs, and layer of
/// weights `l` (from 0) joins the `sizes[l]` neurons of layer `l` to the `sizes[l + 1]`
/// neurons of layer `l + 1`. Its weights form a `sizes[l + 1] × sizes[l]` matrix `W`,
/// stored row-major: `W[row][col]` is the weight from neuron `col` of layer `l` to neuron
/// `row` of layer `l + 1`, so row `j` is the weight vector neuron `j` dots with its
/// inputs.
///
/// The flat parameter vector (of [`Mlp::params`](super::Mlp::params), and of every
/// gradient) holds, layer after layer, that layer's weight matrix and then, when the
/// shape has biases, its `sizes[l + 1]` biases. Gradients use the same layout, so a
/// gradient and the parameters can be zipped.
///
/// Every layer past the inputs applies an [`Activation`] to its weighted sums: the
/// hidden layers one, the output layer another. Both are the document's sigmoid unless
/// set with [`Shape::with_activation`], [`Shape::with_hidden_activation`] or
/// [`Shape::with_output_activation`]. (A relu output cannot recover once all its
/// weighted sums are negative, so experiments often keep a sigmoid output.)
///
/// ```
/// use gradproof::nn::mlp::Shape;
///
/// let shape = Shape::with_biases(&[2, 3, 1])?;
/// assert_eq!(shape.layers(), 2);
/// assert_eq!(shape.param_count(), (3 * 2 + 3) + (1 * 3 + 1));
/// assert_eq!(shape.weight_range(1), 9..12);
/// assert_eq!(shape.bias_range(1), Some(12..13));
/// assert_eq!(shape.weight_index(1, 0, 2), 11);
/// # Ok::<(), gradproof::nn::mlp::MlpError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    sizes: Vec<usize>,
    biases: bool,
    hidden: Activation,
    output: Activation,
    /// `offsets[l]` is where layer `l`'s block starts; `offsets[layers]` is the total.
    offsets: Vec<usize>,
}

impl Shape {
    /// A network without biases (as the document's), with the given layer sizes from
    /// inputs to outputs.
    ///
    /// # Errors
    ///
    /// Fewer than two sizes, a size of zero, or more parameters than fit in `usize`.
    pub fn new(sizes: &[usize]) -> Result<Self, MlpError> {
        Self::build(sizes, false)
    }

    /// A network with a bias on every neuron past the inputs.
    ///
    /// # Errors
    ///
    /// As [`Shape::new`].
    pub fn with_biases(sizes: &[usize]) -> Result<Self, MlpError> {
        Self::build(sizes, true)
    }

    fn build(sizes: &[usize], biases: bool) -> Result<Self, MlpError> {
        if sizes.len() < 2 {
            return Err(MlpError::TooFewLayers { found: sizes.len() });
        }
        if let Some(layer) = sizes.iter().position(|&n| n == 0) {
            return Err(MlpError::EmptyLayer { layer });
        }
        let mut offsets = Vec::with_capacity(sizes.len());
        let mut total: usize = 0;
        offsets.push(0);
        for pair in sizes.windows(2) {
            let block = pair[1]
                .checked_mul(pair[0])
                .and_then(|w| w.checked_add(if biases { pair[1] } else { 0 }))
                .ok_or(MlpError::TooManyParameters)?;
            total = total
                .checked_add(block)
                .ok_or(MlpError::TooManyParameters)?;
            offsets.push(total);
        }
        Ok(Shape {
            sizes: sizes.to_vec(),
            biases,
            hidden: Activation::Sigmoid,
            output: Activation::Sigmoid,
            offsets,
        })
    }

    /// This shape with `activation` on every layer, hidden and output.
    ///
    /// ```
    /// use gradproof::nn::activation::Activation;
    /// use gradproof::nn::mlp::Shape;
    ///
    /// let shape = Shape::with_biases(&[4, 8, 3])?.with_hidden_activation(Activation::Tanh);
    /// assert_eq!(shape.activation(0), Activation::Tanh); // inputs → hidden
    /// assert_eq!(shape.activation(1), Activation::Sigmoid); // hidden → outputs
    /// # Ok::<(), gradproof::nn::mlp::MlpError>(())
    /// ```
    pub fn with_activation(self, activation: Activation) -> Self {
        self.with_hidden_activation(activation)
            .with_output_activation(activation)
    }

    /// This shape with `activation` on the hidden layers (every layer but the last).
    pub fn with_hidden_activation(mut self, activation: Activation) -> Self {
        self.hidden = activation;
        self
    }

    /// This shape with `activation` on the output layer.
    pub fn with_output_activation(mut self, activation: Activation) -> Self {
        self.output = activation;
        self
    }

    /// The activation the neurons at the end of layer of weights `layer` apply: the
    /// output activation for the last layer, the hidden one before it.
    ///
    /// # Panics
    ///
    /// If `layer >= self.layers()`.
    pub fn activation(&self, layer: usize) -> Activation {
        let layers = self.layers();
        assert!(
            layer < layers,
            "layer {layer} is not one of the {layers} layers of weights"
        );
        if layer + 1 == layers {
            self.output
        } else {
            self.hidden
        }
    }

    /// The hidden layers' activation.
    pub fn hidden_activation(&self) -> Activation {
        self.hidden
    }

    /// The output layer's activation.
    pub fn output_activation(&self) -> Activation {
        self.output
    }

    /// The layer sizes, inputs first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Whether every neuron past the inputs has a bias.
    pub fn has_biases(&self) -> bool {
        self.biases
    }

    /// The number of layers of weights (one less than the number of sizes).
    pub fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// The number of inputs, `sizes[0]`.
    pub fn inputs(&self) -> usize {
        self.sizes[0]
    }

    /// The number of outputs, the last size.
    pub fn outputs(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    /// The widest layer, inputs included.
    pub fn max_width(&self) -> usize {
        self.sizes.iter().copied().max().unwrap_or(0)
    }

    /// The length of the flat parameter vector.
    pub fn param_count(&self) -> usize {
        self.offsets[self.layers()]
    }

    /// The number of weights (parameters other than biases).
    pub fn weight_count(&self) -> usize {
        self.sizes.windows(2).map(|p| p[0] * p[1]).sum()
    }

    /// Where layer `layer`'s weight matrix sits in the flat parameter vector.
    ///
    /// # Panics
    ///
    /// If `layer >= self.layers()`.
    pub fn weight_range(&self, layer: usize) -> Range<usize> {
        let start = self.offsets[layer];
        start..start + self.sizes[layer + 1] * self.sizes[layer]
    }

    /// Where layer `layer`'s biases sit, `None` without biases.
    ///
    /// # Panics
    ///
    /// If `layer >= self.layers()`.
    pub fn bias_range(&self, layer: usize) -> Option<Range<usize>> {
        self.biases
            .then(|| self.weight_range(layer).end..self.offsets[layer + 1])
    }

    /// The flat index of `W[row][col]` of layer `layer`: the weight from neuron `col` of
    /// layer `layer` to neuron `row` of layer `layer + 1`.
    ///
    /// # Panics
    ///
    /// If any index is out of range.
    pub fn weight_index(&self, layer: usize, row: usize, col: usize) -> usize {
        let (outs, ins) = (self.sizes[layer + 1], self.sizes[layer]);
        assert!(
            row < outs && col < ins,
            "weight ({row}, {col}) is outside layer {layer}'s {outs} × {ins} matrix"
        );
        self.offsets[layer] + row * ins + col
    }

    /// The flat index of the bias of neuron `row` of layer `layer + 1`, `None` without
    /// biases.
    ///
    /// # Panics
    ///
    /// If `row` is out of range.
    pub fn bias_index(&self, layer: usize, row: usize) -> Option<usize> {
        let outs = self.sizes[layer + 1];
        assert!(
            row < outs,
            "bias {row} is outside layer {layer}'s {outs} neurons"
        );
        self.bias_range(layer).map(|r| r.start + row)
    }

    /// Layer `layer`'s weight matrix (row-major) within a flat vector of this shape —
    /// the parameters or a gradient.
    ///
    /// # Panics
    ///
    /// If `flat` is not [`param_count`](Shape::param_count) long or `layer` is out of
    /// range.
    pub fn weights<'a, T>(&self, flat: &'a [T], layer: usize) -> &'a [T] {
        self.assert_flat(flat.len());
        &flat[self.weight_range(layer)]
    }

    /// Layer `layer`'s biases within a flat vector of this shape, `None` without biases.
    ///
    /// # Panics
    ///
    /// As [`Shape::weights`].
    pub fn biases<'a, T>(&self, flat: &'a [T], layer: usize) -> Option<&'a [T]> {
        self.assert_flat(flat.len());
        self.bias_range(layer).map(|r| &flat[r])
    }

    fn assert_flat(&self, len: usize) {
        assert_eq!(
            len,
            self.param_count(),
            "a flat parameter or gradient vector of this shape has param_count() entries"
        );
    }
}

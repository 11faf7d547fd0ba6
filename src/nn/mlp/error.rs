//! What can be wrong with a network's shape, its numbers, or the data given to it.

use std::fmt;

/// The part of a network or of its data an [`MlpError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// The flat parameter vector (all weights and biases, in [`Shape`](super::Shape)
    /// order).
    Params,
    /// The list of weight matrices given to [`Mlp::from_layers`](super::Mlp::from_layers)
    /// (one per layer of weights).
    WeightLayers,
    /// The list of bias vectors given to [`Mlp::from_layers`](super::Mlp::from_layers).
    BiasLayers,
    /// The weight matrix of a layer (`layer` 0 joins the inputs to the first hidden
    /// layer).
    Weights {
        /// Layer of weights, from 0.
        layer: usize,
    },
    /// The bias vector of a layer.
    Biases {
        /// Layer of weights, from 0.
        layer: usize,
    },
    /// A whole gradient: one given to
    /// [`Mlp::apply_gradient`](super::Mlp::apply_gradient), or one computed by the tape
    /// or as a batch mean that overflowed.
    Gradient,
    /// An input vector.
    Input {
        /// Position in the batch (0 for a single sample).
        sample: usize,
    },
    /// A target vector.
    Target {
        /// Position in the batch (0 for a single sample).
        sample: usize,
    },
    /// The activations a layer computed: the weighted sums overflowed to `∞ − ∞`.
    Activations {
        /// Layer of neurons, from 0 (the inputs).
        layer: usize,
        /// Position in the batch.
        sample: usize,
    },
    /// The backpropagated deltas `∂L/∂δ` of a layer of neurons overflowed.
    Deltas {
        /// Layer of neurons, from 1 (the first layer with incoming weights).
        layer: usize,
        /// Position in the batch.
        sample: usize,
    },
    /// The weight gradient of a layer overflowed.
    WeightGradient {
        /// Layer of weights, from 0.
        layer: usize,
    },
    /// The loss overflowed (targets far outside the sigmoid's range `(0, 1)`).
    Loss {
        /// Position in the batch.
        sample: usize,
    },
    /// The learning rate `η`.
    LearningRate,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Part::Params => write!(f, "the parameter vector"),
            Part::WeightLayers => write!(f, "the list of weight matrices"),
            Part::BiasLayers => write!(f, "the list of bias vectors"),
            Part::Weights { layer } => write!(f, "the weights of layer {layer}"),
            Part::Biases { layer } => write!(f, "the biases of layer {layer}"),
            Part::Gradient => write!(f, "the gradient"),
            Part::Input { sample } => write!(f, "the input of sample {sample}"),
            Part::Target { sample } => write!(f, "the target of sample {sample}"),
            Part::Activations { layer, sample } => {
                write!(f, "the activations of layer {layer} for sample {sample}")
            }
            Part::Deltas { layer, sample } => {
                write!(f, "the deltas of layer {layer} for sample {sample}")
            }
            Part::WeightGradient { layer } => {
                write!(f, "the weight gradient of layer {layer}")
            }
            Part::Loss { sample } => write!(f, "the loss of sample {sample}"),
            Part::LearningRate => write!(f, "the learning rate"),
        }
    }
}

/// Why a network could not be built, evaluated, differentiated or updated.
///
/// Every function of [`mlp`](super) that takes user data returns this rather than
/// panicking, and a NaN or infinity is reported here rather than passed on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MlpError {
    /// Layer sizes need at least an input and an output layer.
    TooFewLayers {
        /// How many sizes were given.
        found: usize,
    },
    /// A layer of zero neurons.
    EmptyLayer {
        /// Layer of neurons, from 0 (the inputs).
        layer: usize,
    },
    /// The parameter count does not fit in `usize`.
    TooManyParameters,
    /// A vector or list of the wrong length.
    WrongLength {
        /// What was given.
        what: Part,
        /// The length the shape needs.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A NaN or infinite number given, or produced by an overflow.
    NonFinite {
        /// Where it is.
        what: Part,
        /// Its position in that part (flat, row-major for matrices).
        index: usize,
    },
    /// A batch with no samples has no mean loss.
    EmptyBatch,
}

impl fmt::Display for MlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MlpError::TooFewLayers { found } => write!(
                f,
                "a network needs at least two layer sizes (inputs and outputs), got {found}"
            ),
            MlpError::EmptyLayer { layer } => {
                write!(
                    f,
                    "layer {layer} has no neurons: every layer size must be at least 1"
                )
            }
            MlpError::TooManyParameters => {
                write!(f, "the layer sizes give more parameters than fit in memory")
            }
            MlpError::WrongLength {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} has length {found}, but the network needs {expected}"
            ),
            MlpError::NonFinite { what, index } => {
                write!(f, "{what} has a NaN or infinite value at index {index}")
            }
            MlpError::EmptyBatch => write!(f, "the batch has no samples"),
        }
    }
}

impl std::error::Error for MlpError {}

/// `Ok` when `values` has length `expected`.
pub(crate) fn check_len<T>(what: Part, values: &[T], expected: usize) -> Result<(), MlpError> {
    if values.len() == expected {
        Ok(())
    } else {
        Err(MlpError::WrongLength {
            what,
            expected,
            found: values.len(),
        })
    }
}

/// `Ok` when every value is finite, else the first that is not.
pub(crate) fn check_finite<T: num_traits::Float>(what: Part, values: &[T]) -> Result<(), MlpError> {
    // A pass without early exit first, which vectorises (a gradient has as many entries
    // as the network has weights); the position is looked for only when one is bad.
    if values.iter().fold(true, |all, v| all & v.is_finite()) {
        return Ok(());
    }
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(index) => Err(MlpError::NonFinite { what, index }),
    }
}

/// [`check_len`] then [`check_finite`].
pub(crate) fn check_vector<T: num_traits::Float>(
    what: Part,
    values: &[T],
    expected: usize,
) -> Result<(), MlpError> {
    check_len(what, values, expected)?;
    check_finite(what, values)
}

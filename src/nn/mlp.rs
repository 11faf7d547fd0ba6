//! A fully connected network of any layer sizes: the document's 3-3-3 sigmoid network
//! generalised, with its closed-form gradient, the same gradient by the tape, and plain
//! gradient descent.
//!
//! Every layer past the inputs computes `aˡ⁺¹ = σ(Wˡ aˡ + bˡ)` with the logistic
//! `σ(z) = 1/(1 + e^(−z))` (or another [`Activation`](crate::nn::activation::Activation),
//! `tanh` or `relu`, set on the [`Shape`]), biases `bˡ` optional; the loss for one sample is
//! `L = ½ Σₖ (yₖ − ŷₖ)²` (the document's `L_s7 + L_s8 + L_s9`) and for a batch the mean
//! of the samples' losses.
//!
//! - [`Shape`]: sizes, biases, activations, and the flat parameter layout (each layer's row-major
//!   weight matrix, then its biases). Parameters and gradients share it.
//! - [`Mlp`]: a shape and finite parameters; [`Mlp::seeded`] (reproducible
//!   [`SplitMix64`] initialisation), [`Mlp::from_layers`], [`Mlp::from_params`].
//! - Forward, once for every [`Scalar`](crate::Scalar): [`Mlp::forward`],
//!   [`Mlp::loss`], [`Mlp::batch_loss`], and [`Mlp::loss_at`] (the loss as a function
//!   of the flat parameters, for gradient checkers).
//! - Gradient by the closed form, the document's backward rule for any depth (see the
//!   `backprop` source): [`Mlp::backprop`] into a reused [`Workspace`],
//!   [`Mlp::gradient`], and the batch means [`Mlp::batch_backprop`],
//!   [`Mlp::batch_gradient`].
//! - Gradient by the tape, from the forward pass alone: [`Mlp::tape_gradient`],
//!   [`Mlp::tape_backprop`] (reused tape and workspace, each layer one matrix–vector
//!   record), [`Mlp::tape_batch_gradient`].
//! - Gradient descent `w ← w − η ∂L/∂w`: [`Mlp::step`], [`Mlp::batch_step`],
//!   [`Mlp::tape_step`], [`Mlp::tape_batch_step`], [`Mlp::apply_gradient`].
//! - How far apart the two gradients may be in floating point: [`Mlp::rounding_bounds`],
//!   [`Mlp::batch_rounding_bounds`] (a running error analysis, see [`RoundingBounds`]),
//!   and where a relu network has kinks: [`Mlp::net_inputs_at`].
//!
//! Nothing here panics on user data: wrong lengths, NaN or infinite inputs, and
//! overflows are returned as [`MlpError`].
//!
//! # The document's network
//!
//! The document's network is `Shape::new(&[3, 3, 3])` (no biases). Its neurons 1–3 are
//! layer 0 (inputs `x_i = a⁰[i − 1]`), 4–6 layer 1 (`α_j = a¹[j − 4]`), 7–9 layer 2
//! (`ŷ_k = a²[k − 7]`), and its net inputs `δ_j` are the weighted sums before `σ`. Its
//! weight `ω_ij`, from neuron `i` to neuron `j`, is row `j`, column `i` of the layer
//! that ends at `j`:
//!
//! | document | layer | row | col | flat index |
//! |---|---|---|---|---|
//! | `ω_ij`, i = 1..3, j = 4..6 | 0 | `j − 4` | `i − 1` | `3(j − 4) + (i − 1)` |
//! | `ω_ij`, i = 4..6, j = 7..9 | 1 | `j − 7` | `i − 4` | `9 + 3(j − 7) + (i − 4)` |
//!
//! so `ω14` is `weight(0, 0, 0)`, `ω36` is `weight(0, 2, 2)` and `ω47` is
//! `weight(1, 0, 0)`, flat index 9. The closed form's output rule is the document's
//! `(ŷ_j − y_j)·ŷ_j(1 − ŷ_j)·α_i`, and its hidden rule is the document's
//! `Σ_k ∂L_sk/∂ω_ij` with the sum over `k` taken once for all `j`.
//!
//! # Example
//!
//! ```
//! use gradproof::nn::mlp::{Mlp, Shape, Workspace};
//!
//! // Build: 2 inputs, 3 hidden neurons, 1 output, with biases, reproducibly seeded.
//! let mut net = Mlp::<f64>::seeded(Shape::with_biases(&[2, 3, 1])?, 7);
//! let (x, y) = ([1.0, 0.0], [1.0]);
//!
//! // Forward: every layer's activations, inputs first, predictions last.
//! let layers = net.forward(&x)?;
//! assert_eq!(layers.iter().map(Vec::len).collect::<Vec<_>>(), [2, 3, 1]);
//! let y_hat = layers[2][0];
//! assert_eq!(net.loss(&x, &y)?, 0.5 * (1.0 - y_hat) * (1.0 - y_hat));
//!
//! // Gradient: the closed form and the tape agree, entry by entry.
//! let (loss, closed) = net.gradient(&x, &y)?;
//! let (_, taped) = net.tape_gradient(&x, &y)?;
//! for (c, t) in closed.iter().zip(&taped) {
//!     approx::assert_relative_eq!(c, t, max_relative = 1e-12);
//! }
//!
//! // Step: w ← w − η ∂L/∂w lowers the loss for a small enough η.
//! let mut workspace = Workspace::new();
//! let before = net.step(&x, &y, 0.5, &mut workspace)?;
//! assert_eq!(before, loss);
//! assert!(net.loss(&x, &y)? < loss);
//! # Ok::<(), gradproof::nn::mlp::MlpError>(())
//! ```

mod backprop;
mod descent;
mod error;
mod forward;
mod network;
mod parameter;
mod rng;
mod rounding;
mod shape;
mod tape_path;
mod workspace;

pub use error::{MlpError, Part};
pub use network::Mlp;
pub use parameter::Parameter;
pub use rng::SplitMix64;
pub use rounding::{KinkSite, RoundingBounds};
pub use shape::Shape;
pub use workspace::Workspace;

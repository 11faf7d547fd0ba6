//! The document's 3-3-3 sigmoid network, in the document's own notation.
//!
//! Neurons are numbered as the document numbers them: inputs `1, 2, 3` (values
//! `x1, x2, x3`), hidden `4, 5, 6` (net inputs `δ4..δ6`, activations `α4..α6`), outputs
//! `7, 8, 9` (net inputs `δ7..δ9`, predictions `ŷ7..ŷ9`, targets `y7..y9`). The weight
//! `ω_ij` joins neuron `i` to neuron `j` ([`Weights`], `w[(4, 7)]` is `ω47`); there are
//! no biases. The activation is `σ(x) = 1/(1 + e^(−x))` ([`sigma`]), the loss of output
//! `k` is `L_sk = ½ (y_k − ŷ_k)²` and the total loss `L` their sum; `η` is the learning
//! rate.
//!
//! - [`forward`] computes every quantity the document names ([`Forward`]), generic over
//!   the number type: the same function runs on `f64`, `f32` and tape variables.
//! - The closed forms, one function per equation of the document: [`dls_dyhat`],
//!   [`dyhat_ddelta`] / [`dalpha_ddelta`] (`σ′ = σ(1 − σ)`), [`ddelta_domega`], the
//!   output-layer gradient [`dls_domega_output`], the hidden-layer terms
//!   [`dls_domega_hidden`] and their sum over `k` [`dl_domega_hidden`], the full
//!   [`gradient`] and the [`update`] `ω̂ = ω − η ∂L/∂ω`.
//! - The tape path: [`record`], [`tape_gradient`], [`tape_update`] — the same network
//!   recorded from [`forward`] alone, differentiated by the tape.
//! - [`error_bounds`]: how far these may differ in floating point, and how far a central
//!   difference may be off, so that checks use derived tolerances.
//! - [`symbolic`]: the same network as the equations of `examples/seed.grad`, embedded:
//!   its loss differentiated symbolically, its claims verified.
//! - [`walkthrough`]: the document worked through on concrete numbers, every gradient by
//!   closed form, tape, central difference and symbolic derivative side by side.
//!
//! ```
//! use gradproof::nn::document::error_bounds::closed_form_rounding_bound;
//! use gradproof::nn::document::{forward, gradient, tape_gradient, Sample, Weights};
//!
//! // x = (0.05, 0.10, 0.15), targets y = (0.01, 0.99, 0.50).
//! let s: Sample<f64> = Sample::new([0.05, 0.10, 0.15], [0.01, 0.99, 0.50]);
//! let w = Weights::from_layers(
//!     [[0.15, 0.20, 0.25], [0.30, 0.35, 0.40], [0.45, 0.50, 0.55]], // ω14 ω15 ω16 / ω24 … / ω34 …
//!     [[0.40, 0.45, 0.50], [0.55, 0.60, 0.65], [0.70, 0.75, 0.80]], // ω47 ω48 ω49 / ω57 … / ω67 …
//! );
//! let fwd = forward(&w, &s);
//! // δ4 = ω14 x1 + ω24 x2 + ω34 x3, α4 = σ(δ4).
//! let delta4: f64 = 0.15 * 0.05 + 0.30 * 0.10 + 0.45 * 0.15;
//! assert_eq!(fwd.delta(4), delta4);
//! assert_eq!(fwd.alpha(4), 1.0 / (1.0 + (-delta4).exp()));
//! assert_eq!(fwd.loss(), fwd.loss_s(7) + fwd.loss_s(8) + fwd.loss_s(9));
//!
//! // The document's ∂L_s7/∂ω47 = (ŷ7 − y7) · ŷ7 (1 − ŷ7) · α4 ...
//! let closed = gradient(&w, &fwd);
//! let (y7, a4) = (fwd.yhat(7), fwd.alpha(4));
//! assert_eq!(closed[(4, 7)], (y7 - 0.01) * (y7 * (1.0 - y7)) * a4);
//! // ... and the tape, which only saw the forward equations, agree on all 18 weights
//! // within the rounding bound of the two computations.
//! let tape = tape_gradient(&w, &s);
//! let bound = closed_form_rounding_bound(&w, &fwd);
//! for ((i, j), g) in closed.iter() {
//!     assert!((g - tape[(i, j)]).abs() <= bound[(i, j)], "ω{i}{j}");
//! }
//! ```

mod closed_form;
pub mod error_bounds;
mod forward;
mod on_tape;
mod sample;
pub mod symbolic;
pub mod walkthrough;
mod weights;

use std::ops::RangeInclusive;

pub use closed_form::{
    dalpha_ddelta, ddelta_domega, descend, dl_domega, dl_domega_hidden, dls_domega_hidden,
    dls_domega_output, dls_dyhat, dyhat_ddelta, gradient, sigma_prime_from_sigma, update,
};
pub use forward::{forward, sigma, Forward};
pub use on_tape::{record, tape_gradient, tape_update};
pub use sample::Sample;
pub use weights::{slot, Weights, PAIRS};

/// The input neurons `1, 2, 3` (values `x1..x3`).
pub const INPUTS: RangeInclusive<usize> = 1..=3;
/// The hidden neurons `4, 5, 6` (`δ4..δ6`, `α4..α6`).
pub const HIDDEN: RangeInclusive<usize> = 4..=6;
/// The output neurons `7, 8, 9` (`δ7..δ9`, `ŷ7..ŷ9`, targets `y7..y9`).
pub const OUTPUTS: RangeInclusive<usize> = 7..=9;

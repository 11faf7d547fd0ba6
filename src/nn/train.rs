//! Training experiments: plain gradient descent on a data set, metrics per epoch, and
//! the gradient checked against the tape and against finite differences while it trains.
//!
//! - [`TrainConfig`]: learning rate `η`, epochs, batch size (1 is the document's
//!   per-sample update `ω̂ = ω − η ∂L/∂ω`), seed, and how often to check the gradient.
//! - [`train`]: runs it, calling back after each epoch with [`EpochMetrics`] (mean loss
//!   and accuracy on the training and test sets), and returns the [`Training`]: every
//!   epoch's metrics and what the gradient checks found.
//! - [`check_gradient`]: the check itself, usable on its own — the gradient under test
//!   against the tape's on every coordinate (tolerance from
//!   [`Mlp::batch_rounding_bounds`](crate::nn::mlp::Mlp::batch_rounding_bounds)) and
//!   against central differences on a few (tolerance from a Richardson estimate of the
//!   truncation error plus rounding). relu kinks are reported, never compared.
//! - [`Backward::Flawed`]: train with a deliberately wrong closed form, to watch the
//!   check stop it.
//!
//! ```
//! use gradproof::nn::data;
//! use gradproof::nn::mlp::{Mlp, Shape};
//! use gradproof::nn::train::{train, TrainConfig};
//!
//! // The document's recipe on XOR: sigmoid, ½(y − ŷ)², plain per-sample descent.
//! let split = data::xor().split(0.0, 0)?;
//! let mut net = Mlp::<f64>::seeded(Shape::with_biases(&[2, 4, 2])?, 1);
//! let config = TrainConfig { learning_rate: 2.0, epochs: 600, check_every: Some(500), ..TrainConfig::default() };
//! let training = train(&mut net, &split, &config, |_| {})?;
//! assert!(training.failure.is_none());
//! assert_eq!(training.last().train.accuracy, 1.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
mod config;
mod error;
mod flaw;
mod metrics;
mod run;

pub use check::{check_gradient, Comparison, GradientCheck, Reference};
pub use config::{Backward, Flaw, TrainConfig};
pub use error::TrainError;
pub use metrics::{evaluate, EpochMetrics, Metrics};
pub use run::{train, CheckSummary, Training};

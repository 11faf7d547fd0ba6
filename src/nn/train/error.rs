//! Why a training run could not start or could not go on.

use std::fmt;

use crate::nn::mlp::MlpError;

/// Why [`train`](super::train) stopped with an error (a gradient check that fails is
/// not an error: it is reported in [`Training::failure`](super::Training::failure)).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TrainError {
    /// A setting of [`TrainConfig`](super::TrainConfig) that cannot be used.
    Setting {
        /// Which setting.
        setting: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The network does not fit the data: its inputs are not the features, or its
    /// outputs not the classes.
    Mismatch {
        /// `"inputs"` or `"outputs"`.
        what: &'static str,
        /// The network's number.
        network: usize,
        /// The data's number (features, or classes).
        data: usize,
    },
    /// No samples to train on.
    NoTrainingSamples,
    /// The parameters, loss or gradient overflowed while training (too large a
    /// learning rate, usually).
    Diverged {
        /// The epoch, from 1.
        epoch: usize,
        /// The step, from 1, counted over all epochs.
        step: usize,
        /// What overflowed.
        source: MlpError,
    },
    /// Evaluating or checking the network failed.
    Network(MlpError),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Setting { setting, message } => write!(f, "the {setting} {message}"),
            TrainError::Mismatch {
                what,
                network,
                data,
            } => {
                let of_data = if *what == "inputs" {
                    "features"
                } else {
                    "classes"
                };
                write!(
                    f,
                    "the network has {network} {what} but the data has {data} {of_data}"
                )
            }
            TrainError::NoTrainingSamples => write!(f, "there are no samples to train on"),
            TrainError::Diverged {
                epoch,
                step,
                source,
            } => write!(
                f,
                "training diverged at epoch {epoch}, step {step}: {source}; try a smaller \
                 learning rate"
            ),
            TrainError::Network(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TrainError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TrainError::Diverged { source, .. } | TrainError::Network(source) => Some(source),
            _ => None,
        }
    }
}

impl From<MlpError> for TrainError {
    fn from(e: MlpError) -> Self {
        TrainError::Network(e)
    }
}

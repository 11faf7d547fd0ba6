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
    /// The network overflowed on the training data before any step was taken: the
    /// learning rate plays no part; the features (or the starting weights) are too
    /// large for the network.
    DataOverflow {
        /// The step about to be taken, from 1 (always 1), or 0 when the measurement
        /// before training overflowed.
        step: usize,
        /// What overflowed.
        source: MlpError,
    },
    /// The parameters, loss or gradient overflowed after steps were taken: the steps
    /// grew the weights until the network overflowed (too large a learning rate,
    /// usually).
    Diverged {
        /// The epoch, from 1.
        epoch: usize,
        /// The step, from 1, counted over all epochs.
        step: usize,
        /// What overflowed.
        source: MlpError,
    },
    /// A whole epoch's gradients were exactly zero while the training loss was not:
    /// every unit is saturated (a sigmoid's or tanh's derivative rounds to 0, a relu is
    /// 0 on every sample), so no later step can change the weights. Steps too large
    /// for the network (a learning rate far too large) leave it so, or, when no step
    /// ever moved the weights, features too large for the untrained network.
    Stalled {
        /// The epoch whose every gradient was zero, from 1.
        epoch: usize,
        /// The last step whose gradient was not zero, from 1 (0 if none was): the step
        /// that left the network saturated.
        last_moved: usize,
        /// The training loss, stuck.
        loss: f64,
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
            TrainError::DataOverflow { step: 0, source } => write!(
                f,
                "the network overflows on the training data before training: {source}; the \
                 features are too large for it (the learning rate plays no part): scale them \
                 down, e.g. standardize them"
            ),
            TrainError::DataOverflow { step, source } => write!(
                f,
                "the gradient overflows before step {step}, the first: {source}; the \
                 features are too large for the network (the learning rate plays no part): \
                 scale them down, e.g. standardize them"
            ),
            TrainError::Diverged {
                epoch,
                step,
                source,
            } => write!(
                f,
                "training diverged at epoch {epoch}, step {step}: {source}; the steps grew \
                 the weights until the network overflowed: try a smaller learning rate"
            ),
            TrainError::Stalled {
                epoch,
                last_moved,
                loss,
            } => {
                // Plain where that is short, scientific where it would be long.
                let loss = if (1e-4..1e6).contains(&loss.abs()) {
                    loss.to_string()
                } else {
                    format!("{loss:e}")
                };
                write!(
                    f,
                    "training stalled in epoch {epoch}: every gradient was exactly 0 with the \
                     training loss at {loss}, so no step can change the weights again; "
                )?;
                if *last_moved == 0 {
                    write!(
                        f,
                        "no step ever moved them: the features saturate the untrained \
                         network (the learning rate plays no part): scale them down, e.g. \
                         standardize them"
                    )
                } else {
                    write!(
                        f,
                        "they last moved at step {last_moved}, which left every unit \
                         saturated: try a smaller learning rate"
                    )
                }
            }
            TrainError::Network(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TrainError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TrainError::DataOverflow { source, .. }
            | TrainError::Diverged { source, .. }
            | TrainError::Network(source) => Some(source),
            _ => None,
        }
    }
}

impl From<MlpError> for TrainError {
    fn from(e: MlpError) -> Self {
        TrainError::Network(e)
    }
}

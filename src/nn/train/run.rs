//! The training loop: shuffle, step along the gradient batch by batch, check it every
//! so often, measure after every epoch.

use super::check::{check_gradient, GradientCheck};
use super::config::{Backward, TrainConfig};
use super::error::TrainError;
use super::metrics::{evaluate, EpochMetrics};
use crate::nn::data::split::shuffle;
use crate::nn::data::Split;
use crate::nn::mlp::{Mlp, MlpError, SplitMix64, Workspace};

/// What a training run did.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Training {
    /// The metrics before training (epoch 0) and after each epoch completed.
    pub epochs: Vec<EpochMetrics>,
    /// Gradient-descent steps taken.
    pub steps: usize,
    /// What the gradient checks found.
    pub checks: CheckSummary,
    /// The check that failed, when one did: training stopped there, before that step.
    pub failure: Option<GradientCheck>,
}

impl Training {
    /// The metrics of the last epoch completed (epoch 0 if none was).
    pub fn last(&self) -> &EpochMetrics {
        self.epochs
            .last()
            .expect("a training holds at least the metrics before training")
    }
}

/// A summary of the gradient checks of a training run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CheckSummary {
    /// Checks run.
    pub checks: usize,
    /// Closed-form entries compared with the tape, over all checks.
    pub tape_comparisons: usize,
    /// Entries compared with central differences, over all checks.
    pub spot_comparisons: usize,
    /// Checks whose tape comparison a relu kink made impossible, plus spot coordinates
    /// skipped because their difference crossed a kink.
    pub kinks: usize,
    /// The largest `distance / tolerance` among tape comparisons (below 1 while they
    /// hold).
    pub worst_tape_ratio: f64,
    /// The same among central-difference comparisons.
    pub worst_spot_ratio: f64,
}

impl CheckSummary {
    fn add(&mut self, check: &GradientCheck) {
        self.checks += 1;
        self.tape_comparisons += check.tape_compared;
        self.spot_comparisons += check.spots.len();
        self.kinks += usize::from(!check.kinks.is_empty()) + check.kinked_spots.len();
        if let Some(w) = check.tape_worst {
            self.worst_tape_ratio = self.worst_tape_ratio.max(w.ratio());
        }
        for s in &check.spots {
            self.worst_spot_ratio = self.worst_spot_ratio.max(s.ratio());
        }
    }
}

/// Trains `net` on `data.train` by gradient descent with `config`, measuring loss and
/// accuracy on both halves of `data` before training and after every epoch, and calling
/// `on_epoch` with each measurement as it is made (for progress display).
///
/// Each epoch visits the training samples in a fresh seeded order, `batch_size` at a
/// time, and steps `w ← w − η·g` along the batch's mean gradient `g`. With
/// `check_every = Some(k)`, the gradient of the batch about to be stepped on is checked
/// ([`check_gradient`]) before the first step and after every `k` steps; at the first
/// check that fails, training stops before that step and the check is returned in
/// [`Training::failure`].
///
/// # Errors
///
/// A bad setting, a network that does not fit the data, no training samples; a
/// network that overflows on the data before any step ([`TrainError::DataOverflow`]);
/// a step that overflows ([`TrainError::Diverged`], the network left as it was before
/// that step); an epoch whose every gradient is exactly zero at a positive loss
/// ([`TrainError::Stalled`]: saturated units, which no later step can revive).
pub fn train(
    net: &mut Mlp<f64>,
    data: &Split,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(&EpochMetrics),
) -> Result<Training, TrainError> {
    config.validate()?;
    let shape = net.shape();
    for (what, network, data) in [
        ("inputs", shape.inputs(), data.train.feature_count()),
        ("outputs", shape.outputs(), data.train.classes().len()),
    ] {
        if network != data {
            return Err(TrainError::Mismatch {
                what,
                network,
                data,
            });
        }
    }
    if data.train.is_empty() {
        return Err(TrainError::NoTrainingSamples);
    }

    let measure = |net: &Mlp<f64>, epoch: usize| -> Result<EpochMetrics, TrainError> {
        Ok(EpochMetrics {
            epoch,
            train: evaluate(net, &data.train)?.expect("the training set is not empty"),
            test: evaluate(net, &data.test)?,
        })
    };
    // An overflow before any step is the data's (or the starting weights'), not the
    // learning rate's.
    let data_overflow = |source| TrainError::DataOverflow { step: 0, source };
    let mut epochs = vec![measure(net, 0).map_err(|e| match e {
        TrainError::Network(source @ MlpError::NonFinite { .. }) => data_overflow(source),
        other => other,
    })?];
    on_epoch(&epochs[0]);

    // Two streams from the one seed: the visiting order, and the checked coordinates.
    let mut order_rng = SplitMix64::new(config.seed);
    let mut check_rng = SplitMix64::new(config.seed ^ 0x5EED_C0DE_CAFE_F00D);
    let mut order: Vec<usize> = (0..data.train.len()).collect();
    let mut workspace = Workspace::new();
    // A batch never holds more than the training set, whatever batch size was asked for.
    let mut batch = Vec::with_capacity(config.batch_size.min(data.train.len()));
    let mut checks = CheckSummary::default();
    let mut steps = 0usize;
    // The last step whose gradient was not all zeros: the weights have not moved since.
    let mut last_moved = 0usize;
    for epoch in 1..=config.epochs {
        let mut moved = false;
        shuffle(&mut order, &mut order_rng);
        for chunk in order.chunks(config.batch_size) {
            batch.clear();
            batch.extend(chunk.iter().map(|&s| data.train.sample(s)));
            // The gradient of the untrained network overflowing is the data's fault; after
            // a step, the step's.
            let diverged = |source| {
                if steps == 0 {
                    TrainError::DataOverflow { step: 1, source }
                } else {
                    TrainError::Diverged {
                        epoch,
                        step: steps + 1,
                        source,
                    }
                }
            };
            let flawed;
            let gradient: &[f64] = match config.backward {
                Backward::ClosedForm => {
                    net.batch_backprop(batch.iter().copied(), &mut workspace)
                        .map_err(diverged)?;
                    workspace.gradient()
                }
                Backward::Flawed(flaw) => {
                    flawed = flaw
                        .batch_gradient(net, batch.iter().copied())
                        .map_err(diverged)?
                        .1;
                    &flawed
                }
            };
            if let Some(k) = config.check_every {
                if steps.is_multiple_of(k) {
                    let coordinates = pick(&mut check_rng, gradient.len(), config.spot_checks);
                    let check =
                        check_gradient(net, &batch, gradient, &coordinates).map_err(diverged)?;
                    checks.add(&check);
                    if !check.passed() {
                        return Ok(Training {
                            epochs,
                            steps,
                            checks,
                            failure: Some(check),
                        });
                    }
                }
            }
            // Overflowing here is η·g's: the learning rate's even on the first step.
            net.apply_gradient(gradient, config.learning_rate)
                .map_err(|source| TrainError::Diverged {
                    epoch,
                    step: steps + 1,
                    source,
                })?;
            steps += 1;
            // Stops at the first non-zero entry: one comparison on a healthy network.
            if gradient.iter().any(|&g| g != 0.0) {
                moved = true;
                last_moved = steps;
            }
        }
        let metrics = measure(net, epoch).map_err(|e| match e {
            TrainError::Network(source) => TrainError::Diverged {
                epoch,
                step: steps,
                source,
            },
            other => other,
        })?;
        // Zero gradients at a positive loss stay zero: the same weights give each sample
        // the same (zero) gradient, whatever the order (with mini-batches, unless every
        // batch's gradients cancelled exactly, which rounding all but rules out).
        if !moved && metrics.train.loss > 0.0 {
            return Err(TrainError::Stalled {
                epoch,
                last_moved,
                loss: metrics.train.loss,
            });
        }
        on_epoch(&metrics);
        epochs.push(metrics);
    }
    Ok(Training {
        epochs,
        steps,
        checks,
        failure: None,
    })
}

/// `count` distinct coordinates out of `0..n` (all of them if `count ≥ n`), in a seeded
/// random order.
fn pick(rng: &mut SplitMix64, n: usize, count: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    shuffle(&mut all, rng);
    all.truncate(count);
    all
}

//! The training loop: shuffle, step along the gradient batch by batch, check it every
//! so often, measure after every epoch.

use super::check::{check_gradient, GradientCheck};
use super::config::{Backward, TrainConfig};
use super::error::TrainError;
use super::metrics::{evaluate, EpochMetrics};
use crate::nn::data::split::shuffle;
use crate::nn::data::Split;
use crate::nn::mlp::{Mlp, SplitMix64, Workspace};

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
/// A bad setting, a network that does not fit the data, no training samples, or a
/// step that overflows ([`TrainError::Diverged`], the network left as it was before
/// that step).
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
    let mut epochs = vec![measure(net, 0)?];
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
    for epoch in 1..=config.epochs {
        shuffle(&mut order, &mut order_rng);
        for chunk in order.chunks(config.batch_size) {
            batch.clear();
            batch.extend(chunk.iter().map(|&s| data.train.sample(s)));
            let diverged = |source| TrainError::Diverged {
                epoch,
                step: steps + 1,
                source,
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
            net.apply_gradient(gradient, config.learning_rate)
                .map_err(diverged)?;
            steps += 1;
        }
        let metrics = measure(net, epoch).map_err(|e| match e {
            TrainError::Network(source) => TrainError::Diverged {
                epoch,
                step: steps,
                source,
            },
            other => other,
        })?;
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

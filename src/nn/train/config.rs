//! What a training run does: its settings, and which gradient drives the steps.

use std::fmt;
use std::str::FromStr;

use super::error::TrainError;

/// The settings of a training run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TrainConfig {
    /// `η` in `w ← w − η ∂L/∂w`; positive and finite.
    pub learning_rate: f64,
    /// Passes over the training set.
    pub epochs: usize,
    /// Samples per step: 1 for the document's per-sample descent, more for mini-batches
    /// (the step follows the batch's mean loss), the training set's size for full-batch
    /// descent. The last batch of an epoch may be smaller.
    pub batch_size: usize,
    /// Seeds the order the samples are visited in each epoch, and which coordinates the
    /// gradient check differences.
    pub seed: u64,
    /// `Some(k)`: check the gradient on the step's batch before the first step and after
    /// every `k` steps, and stop at the first disagreement. `None`: no checks.
    pub check_every: Option<usize>,
    /// How many coordinates each check compares with central differences (the tape
    /// comparison covers all of them).
    pub spot_checks: usize,
    /// Which gradient the steps follow.
    pub backward: Backward,
}

impl Default for TrainConfig {
    /// `η = 0.5`, 100 epochs, per-sample steps, seed 0, no checks (4 spot checks when
    /// enabled), the closed form.
    fn default() -> Self {
        TrainConfig {
            learning_rate: 0.5,
            epochs: 100,
            batch_size: 1,
            seed: 0,
            check_every: None,
            spot_checks: 4,
            backward: Backward::ClosedForm,
        }
    }
}

impl TrainConfig {
    /// `Ok` when every setting is usable.
    ///
    /// # Errors
    ///
    /// [`TrainError::Setting`] naming the first bad setting.
    pub fn validate(&self) -> Result<(), TrainError> {
        let bad = |setting, message: String| Err(TrainError::Setting { setting, message });
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return bad(
                "learning rate",
                format!("must be a positive number, got {}", self.learning_rate),
            );
        }
        if self.batch_size == 0 {
            return bad("batch size", "must be at least 1".into());
        }
        if self.check_every == Some(0) {
            return bad("check every", "must be at least 1 step".into());
        }
        Ok(())
    }
}

/// The gradient a training run steps along.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Backward {
    /// The closed form ([`Mlp::batch_backprop`](crate::nn::mlp::Mlp::batch_backprop)).
    #[default]
    ClosedForm,
    /// A deliberately wrong closed form: a demonstration that the gradient check stops
    /// training on the first check.
    Flawed(Flaw),
}

/// A plausible mistake in a hand-written backward pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Flaw {
    /// `(y − ŷ)` written for `(ŷ − y)`: every entry's sign is wrong, and descent climbs.
    SignFlipped,
    /// The hidden deltas without the activation's derivative `f′(α)` (the document's
    /// `α(1 − α)`): every layer below the output is wrong.
    HiddenDerivativeDropped,
}

impl Flaw {
    /// Every flaw, in the order listed to users.
    pub const ALL: [Flaw; 2] = [Flaw::SignFlipped, Flaw::HiddenDerivativeDropped];

    /// The name users type: `sign-flipped`, `hidden-derivative-dropped`.
    pub fn name(self) -> &'static str {
        match self {
            Flaw::SignFlipped => "sign-flipped",
            Flaw::HiddenDerivativeDropped => "hidden-derivative-dropped",
        }
    }
}

impl fmt::Display for Flaw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Flaw {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Flaw::ALL
            .into_iter()
            .find(|f| f.name() == s.trim())
            .ok_or_else(|| {
                format!("unknown flaw `{s}`: use sign-flipped or hidden-derivative-dropped")
            })
    }
}

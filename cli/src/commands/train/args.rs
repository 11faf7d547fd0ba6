//! The arguments of `gradproof train`, each parsed and checked by clap so a bad value
//! is reported before any work starts.

use std::str::FromStr;

use clap::Args;
use gradproof::nn::activation::Activation;
use gradproof::nn::train::Flaw;

use crate::output_args::OutputArgs;
use crate::values::{at_least_one, count, fraction, positive_number, seed};

/// Train a network by plain gradient descent and report loss and accuracy per epoch.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The data: `xor`, `iris` (both built in), or the path of a CSV file with a header
    /// row (use `./iris` for a file named iris).
    #[arg(long, value_name = "xor|iris|FILE.csv", default_value = "iris")]
    pub data: String,

    /// The CSV column holding the class labels (default: the last column); every other
    /// column is a numeric feature.
    #[arg(long, value_name = "COLUMN")]
    pub label: Option<String>,

    /// Hidden layer sizes, comma-separated; the input and output sizes come from the
    /// data (features, classes).
    #[arg(
        long,
        value_name = "SIZES",
        default_value = "8",
        allow_negative_numbers = true
    )]
    pub layers: Layers,

    /// The hidden layers' activation.
    #[arg(long, value_name = "sigmoid|tanh|relu", default_value = "sigmoid")]
    pub activation: Activation,

    /// The output layer's activation.
    #[arg(long, value_name = "sigmoid|tanh|relu", default_value = "sigmoid")]
    pub output_activation: Activation,

    /// The learning rate η in w ← w − η ∂L/∂w.
    #[arg(long, visible_alias = "learning-rate", value_name = "ETA", default_value = "2",
          value_parser = positive_number, allow_hyphen_values = true)]
    pub lr: f64,

    /// Passes over the training set.
    #[arg(long, value_name = "N", default_value = "500", value_parser = at_least_one,
          allow_negative_numbers = true)]
    pub epochs: usize,

    /// Samples per step: 1 for per-sample descent (the document's), more for
    /// mini-batches.
    #[arg(long, value_name = "N", default_value = "1", value_parser = at_least_one,
          allow_negative_numbers = true)]
    pub batch_size: usize,

    /// Seeds the split, the initial weights, the sample order and the checked
    /// coordinates.
    #[arg(long, value_name = "N", default_value = "0", value_parser = seed,
          allow_negative_numbers = true)]
    pub seed: u64,

    /// The fraction of samples held out for testing (default 0.2; 0 for xor).
    #[arg(long, value_name = "F", value_parser = fraction, allow_hyphen_values = true)]
    pub test_fraction: Option<f64>,

    /// Check the gradient against the tape and central differences before the first
    /// step and after every K steps; stop with a report (exit 1) if they disagree.
    #[arg(long, value_name = "K", value_parser = at_least_one, allow_negative_numbers = true)]
    pub check_every: Option<usize>,

    /// Coordinates per check compared with central differences (the tape comparison
    /// covers all).
    #[arg(long, value_name = "N", default_value = "4", value_parser = count,
          allow_negative_numbers = true)]
    pub spot_checks: usize,

    /// Use the features as they are, not rescaled to mean 0 and deviation 1 on the
    /// training set.
    #[arg(long)]
    pub no_standardize: bool,

    /// A network without biases (as the document's).
    #[arg(long)]
    pub no_biases: bool,

    /// Step along a deliberately wrong gradient, to see the check catch it.
    #[arg(long, value_name = "sign-flipped|hidden-derivative-dropped")]
    pub wrong_backward: Option<Flaw>,

    /// Print every N-th epoch in the table (default: about ten rows).
    #[arg(long, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub report_every: Option<usize>,

    /// --json, --quiet (no per-epoch table) and --plot (the loss and accuracy curves).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Hidden layer sizes: `8`, `16,8`.
#[derive(Clone, Debug)]
pub struct Layers(pub Vec<usize>);

impl FromStr for Layers {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(|part| match part.trim().parse::<usize>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "`{part}` is not a layer size: give positive whole numbers separated by \
                     commas, like 16,8"
                )),
            })
            .collect::<Result<_, _>>()
            .map(Layers)
    }
}

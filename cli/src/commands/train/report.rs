//! What `gradproof train` prints: a header, a table of epochs, a summary with the
//! gradient checks' findings; or one JSON document; and the plot.

use std::path::Path;

use gradproof::nn::data::{Dataset, Split};
use gradproof::nn::mlp::Shape;
use gradproof::nn::train::{
    Backward, Comparison, EpochMetrics, GradientCheck, Reference, TrainConfig, TrainError, Training,
};
use serde::Serialize;

use crate::error::CliError;
use crate::plot::{self, Panel, Series};

/// The run's data, network and settings, as reported.
#[derive(Clone, Copy)]
pub struct Setup<'a> {
    pub data: &'a Dataset,
    pub split: &'a Split,
    pub test_fraction: f64,
    pub standardized: bool,
    pub shape: &'a Shape,
    pub config: &'a TrainConfig,
}

impl Setup<'_> {
    fn sizes(&self) -> String {
        let sizes: Vec<String> = self.shape.sizes().iter().map(usize::to_string).collect();
        sizes.join("-")
    }

    /// The lines before training starts.
    pub fn print_header(&self) {
        let d = self.data;
        outln!(
            "data     {}: {} samples, {} features, {} classes ({}); {} train / {} test",
            d.name(),
            d.len(),
            d.feature_count(),
            d.classes().len(),
            d.classes().join(", "),
            self.split.train.len(),
            self.split.test.len(),
        );
        outln!(
            "network  {}, {} hidden, {} output, {}; {} parameters",
            self.sizes(),
            self.shape.hidden_activation(),
            self.shape.output_activation(),
            if self.shape.has_biases() {
                "biases"
            } else {
                "no biases"
            },
            self.shape.param_count(),
        );
        let c = self.config;
        let steps = if c.batch_size == 1 {
            "per-sample steps".to_string()
        } else {
            format!("mini-batches of {}", c.batch_size)
        };
        outln!(
            "descent  ½(y − ŷ)² loss, η = {}, {} epochs of {steps}, seed {}{}",
            crate::number::number(c.learning_rate),
            c.epochs,
            c.seed,
            if self.standardized {
                ", features standardized"
            } else {
                ""
            },
        );
        match (c.check_every, c.backward) {
            (Some(k), backward) => outln!(
                "checks   {}: tape on all {} coordinates, central differences on {}{}",
                if k == 1 { "every step".to_string() } else { format!("every {k} steps") },
                self.shape.param_count(),
                c.spot_checks.min(self.shape.param_count()),
                match backward {
                    Backward::Flawed(flaw) => format!("; stepping along a WRONG gradient ({flaw})"),
                    Backward::ClosedForm => String::new(),
                }
            ),
            (None, Backward::Flawed(flaw)) => outln!(
                "checks   none; stepping along a WRONG gradient ({flaw}): add --check-every 1 to catch it"
            ),
            (None, Backward::ClosedForm) => {}
        }
    }
}

/// The table's column names.
pub const TABLE_HEADER: &str = " epoch   train loss  train acc   test loss  test acc";

/// One epoch's row of the table.
pub fn table_row(m: &EpochMetrics) -> String {
    let test = match m.test {
        Some(t) => format!("{:>11.5} {:>8.1} %", t.loss, 100.0 * t.accuracy),
        None => format!("{:>11} {:>10}", "–", "–"),
    };
    format!(
        "{:>6} {:>12.5} {:>8.1} % {test}",
        m.epoch,
        m.train.loss,
        100.0 * m.train.accuracy
    )
}

/// The lines after training.
pub fn print_summary(setup: &Setup<'_>, training: &Training, seconds: f64, plot: Option<&Path>) {
    let last = training.last();
    let mut line = format!(
        "\nafter {} epochs ({} steps, {seconds:.2} s): train accuracy {:.1} % (loss {:.5})",
        last.epoch,
        training.steps,
        100.0 * last.train.accuracy,
        last.train.loss
    );
    if let Some(test) = last.test {
        line += &format!(
            ", test accuracy {:.1} % (loss {:.5})",
            100.0 * test.accuracy,
            test.loss
        );
    }
    outln!("{line}");
    let s = training.checks;
    if s.checks > 0 && training.failure.is_none() {
        outln!(
            "gradient checks: {} passed; the closed form stayed within {:.2} of its tolerance \
             against the tape ({} comparisons) and within {:.2} against central differences \
             ({}){}",
            s.checks,
            s.worst_tape_ratio,
            s.tape_comparisons,
            s.worst_spot_ratio,
            s.spot_comparisons,
            if s.kinks > 0 {
                format!("; {} comparisons skipped at relu kinks", s.kinks)
            } else {
                String::new()
            }
        );
    }
    if let Some(failure) = &training.failure {
        print_failure(setup, training, failure);
    }
    if let Some(path) = plot {
        outln!("plot: {}", path.display());
    }
}

fn print_failure(setup: &Setup<'_>, training: &Training, failure: &GradientCheck) {
    let step = training.steps;
    let epoch = training.last().epoch + 1;
    outln!(
        "\nGRADIENT CHECK FAILED before step {} (epoch {epoch}): the gradient the steps follow \
         disagrees at {} of {} comparisons.",
        step + 1,
        failure.failures.len(),
        failure.tape_compared + failure.spots.len()
    );
    for c in failure.failures.iter().take(5) {
        outln!("  {}", describe(c));
    }
    if failure.failures.len() > 5 {
        outln!("  … and {} more", failure.failures.len() - 5);
    }
    let hint = match setup.config.backward {
        Backward::Flawed(flaw) => format!(
            "This run stepped along a deliberately wrong gradient (--wrong-backward {flaw}); \
             the check caught it."
        ),
        Backward::ClosedForm => {
            "The closed form disagrees with the tape and finite differences: please report \
             this with the command line."
                .to_string()
        }
    };
    outln!("{hint} Training stopped; exit code 1.");
}

fn describe(c: &Comparison) -> String {
    let against = match c.reference {
        Reference::Tape => "tape",
        Reference::CentralDifference => "central difference",
    };
    format!(
        "{}: closed form {:.6e} vs {against} {:.6e}; |difference| {:.2e} > tolerance {:.2e}",
        c.parameter,
        c.closed_form,
        c.value,
        c.distance(),
        c.tolerance
    )
}

/// The JSON document of `--json`.
#[derive(Serialize)]
struct Report<'a> {
    command: &'static str,
    data: DataReport<'a>,
    network: NetworkReport,
    settings: &'a TrainConfig,
    epochs: &'a [EpochMetrics],
    #[serde(rename = "final")]
    last: &'a EpochMetrics,
    steps: usize,
    checks: gradproof::nn::train::CheckSummary,
    check_failed: bool,
    check_failure: Option<&'a GradientCheck>,
    seconds: f64,
}

#[derive(Serialize)]
struct DataReport<'a> {
    name: &'a str,
    samples: usize,
    features: &'a [String],
    classes: &'a [String],
    train_samples: usize,
    test_samples: usize,
    test_fraction: f64,
    standardized: bool,
}

#[derive(Serialize)]
struct NetworkReport {
    sizes: Vec<usize>,
    hidden_activation: String,
    output_activation: String,
    biases: bool,
    parameters: usize,
}

/// Prints the `--json` document.
pub fn print_json(setup: &Setup<'_>, training: &Training, seconds: f64) -> Result<(), CliError> {
    let report = Report {
        command: "train",
        data: DataReport {
            name: setup.data.name(),
            samples: setup.data.len(),
            features: setup.data.feature_names(),
            classes: setup.data.classes(),
            train_samples: setup.split.train.len(),
            test_samples: setup.split.test.len(),
            test_fraction: setup.test_fraction,
            standardized: setup.standardized,
        },
        network: NetworkReport {
            sizes: setup.shape.sizes().to_vec(),
            hidden_activation: setup.shape.hidden_activation().to_string(),
            output_activation: setup.shape.output_activation().to_string(),
            biases: setup.shape.has_biases(),
            parameters: setup.shape.param_count(),
        },
        settings: setup.config,
        epochs: &training.epochs,
        last: training.last(),
        steps: training.steps,
        checks: training.checks,
        check_failed: training.failure.is_some(),
        check_failure: training.failure.as_ref(),
        seconds,
    };
    crate::output::print_json(&report)
}

/// Draws loss and accuracy against epochs into `path`.
pub fn plot(path: &Path, training: &Training) -> Result<(), CliError> {
    let curve = |f: &dyn Fn(&EpochMetrics) -> Option<f64>| -> Vec<(f64, f64)> {
        training
            .epochs
            .iter()
            .filter_map(|m| f(m).map(|v| (m.epoch as f64, v)))
            .collect()
    };
    let has_test = training.epochs[0].test.is_some();
    let mut loss = vec![Series {
        name: "train",
        points: curve(&|m| Some(m.train.loss)),
    }];
    let mut accuracy = vec![Series {
        name: "train",
        points: curve(&|m| Some(100.0 * m.train.accuracy)),
    }];
    if has_test {
        loss.push(Series {
            name: "test",
            points: curve(&|m| m.test.map(|t| t.loss)),
        });
        accuracy.push(Series {
            name: "test",
            points: curve(&|m| m.test.map(|t| 100.0 * t.accuracy)),
        });
    }
    let panels = [
        Panel {
            title: "mean loss ½(y − ŷ)²",
            x_label: "epoch",
            y_label: "loss (log scale)",
            series: loss,
            log_y: true,
        },
        Panel {
            title: "accuracy",
            x_label: "epoch",
            y_label: "%",
            series: accuracy,
            log_y: false,
        },
    ];
    plot::draw(path, &panels).map_err(|e| {
        CliError::input(format!("cannot write the plot `{}`: {e}", path.display()))
            .hint("--plot takes the path of an SVG file in a folder that exists")
    })
}

/// What to do about a training error; `standardized` tells whether the features were
/// rescaled to mean 0 and deviation 1 (no `--no-standardize`).
pub fn train_error_hint(e: &TrainError, standardized: bool) -> String {
    let unscaled = " (large features make large gradients: leave out --no-standardize)";
    match e {
        // Before any step: the learning rate is not involved.
        TrainError::DataOverflow { .. } | TrainError::Stalled { last_moved: 0, .. }
            if standardized =>
        {
            "even standardized, some sample is too large for the network: look for outliers \
             in the data, or rescale its columns"
                .into()
        }
        TrainError::DataOverflow { .. } | TrainError::Stalled { last_moved: 0, .. } => {
            "leave out --no-standardize (the features are then rescaled to mean 0 and \
             deviation 1), or rescale the data's columns"
                .into()
        }
        TrainError::Diverged { .. } | TrainError::Stalled { .. } => format!(
            "lower --lr (the learning rate){}",
            if standardized { "" } else { unscaled }
        ),
        _ => "see gradproof train --help".into(),
    }
}

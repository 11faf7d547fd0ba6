//! `gradproof train`: a fully connected network trained by plain gradient descent on
//! xor, Iris or a CSV file, with loss and accuracy per epoch and, on request, the
//! gradient checked against the tape and finite differences as it trains.

mod args;
mod load;
mod report;

use std::time::Instant;

use gradproof::nn::data::Standardizer;
use gradproof::nn::mlp::{Mlp, Shape};
use gradproof::nn::train::{train, Backward, TrainConfig};

pub use args::TrainArgs;

use crate::error::{CliError, Outcome, EXIT_CHECK_FAILED};

/// The largest network `train` builds: it allocates its weights and a gradient
/// workspace up front, so a mistyped `--layers` must be an error, not an out-of-memory
/// abort.
const MAX_PARAMETERS: usize = 50_000_000;

/// The examples under `gradproof train --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof train --data xor
  gradproof train --data iris --check-every 500 --plot iris.svg
  gradproof train --data iris --activation relu --lr 0.1 --batch-size 8 --epochs 200
  gradproof train --data flowers.csv --label species --layers 16,8 --json > run.json
  gradproof train --data iris --check-every 1 --wrong-backward sign-flipped   (exit 1)

The defaults (one hidden layer of 8 sigmoids, η = 2, 500 epochs of per-sample steps)
are the document's recipe, sized to learn both built-in data sets in well under a second.";

/// Runs `gradproof train`.
pub fn run(args: TrainArgs) -> Outcome {
    args.output.check_plot()?;
    let data = load::dataset(&args)?;
    let test_fraction = args
        .test_fraction
        .unwrap_or(if data.name() == "xor" { 0.0 } else { 0.2 });
    let mut split = data
        .split(test_fraction, args.seed)
        .map_err(|e| CliError::input(format!("--test-fraction {test_fraction}: {e}")))?;
    if !args.no_standardize {
        let standardizer = Standardizer::fit(&split.train)
            .map_err(|e| CliError::input(format!("cannot standardize the features: {e}")))?;
        for half in [&mut split.train, &mut split.test] {
            standardizer
                .apply(half)
                .map_err(|e| CliError::input(e.to_string()))?;
        }
    }

    let mut sizes = vec![data.feature_count()];
    sizes.extend_from_slice(&args.layers.0);
    sizes.push(data.classes().len());
    let shape = if args.no_biases {
        Shape::new(&sizes)
    } else {
        Shape::with_biases(&sizes)
    }
    .map_err(|e| CliError::input(format!("--layers: {e}")))?
    .with_hidden_activation(args.activation)
    .with_output_activation(args.output_activation);
    if shape.param_count() > MAX_PARAMETERS {
        return Err(CliError::input(format!(
            "--layers: a {} network has {} parameters, more than this command trains \
             (at most {MAX_PARAMETERS}, {} MB of weights before the workspaces)",
            sizes
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("-"),
            shape.param_count(),
            MAX_PARAMETERS * 8 / 1_000_000
        ))
        .hint("choose smaller hidden layers, e.g. --layers 16,8"));
    }
    let mut net = Mlp::<f64>::seeded(shape.clone(), args.seed);

    let config = TrainConfig {
        learning_rate: args.lr,
        epochs: args.epochs,
        batch_size: args.batch_size,
        seed: args.seed,
        check_every: args.check_every,
        spot_checks: args.spot_checks,
        backward: args
            .wrong_backward
            .map_or(Backward::ClosedForm, Backward::Flawed),
    };
    let setup = report::Setup {
        data: &data,
        split: &split,
        test_fraction,
        standardized: !args.no_standardize,
        shape: &shape,
        config: &config,
    };
    let human = !args.output.json;
    if human {
        setup.print_header();
    }

    let bar = crate::progress::bar(args.epochs as u64, "epochs", args.output.quiet);
    let every = args.report_every.unwrap_or((args.epochs / 10).max(1));
    let table = human && !args.output.quiet;
    if table {
        outln!("\n{}", report::TABLE_HEADER);
    }
    let started = Instant::now();
    let training = train(&mut net, &split, &config, |m| {
        if table && (m.epoch % every == 0 || m.epoch == args.epochs) {
            // Above the bar, on stdout.
            bar.suspend(|| outln!("{}", report::table_row(m)));
        }
        if m.epoch > 0 {
            bar.set_message(format!("loss {:.4}", m.train.loss));
            bar.inc(1);
        }
    })
    .map_err(|e| {
        bar.finish_and_clear();
        CliError::input(e.to_string()).hint(report::train_error_hint(&e, !args.no_standardize))
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();

    if let Some(path) = &args.output.plot {
        report::plot(path, &training)?;
    }
    if args.output.json {
        report::print_json(&setup, &training, seconds)?;
    } else {
        report::print_summary(&setup, &training, seconds, args.output.plot.as_deref());
    }
    Ok(if training.failure.is_some() {
        EXIT_CHECK_FAILED
    } else {
        0
    })
}

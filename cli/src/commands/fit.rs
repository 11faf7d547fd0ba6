//! `gradproof fit FILE`: plain gradient descent on a file's parameters for its loss,
//! `w ← w − η ∂L/∂w` as the document's update rule, with the gradient from the tape at
//! every step.

mod report;

use std::path::PathBuf;

use clap::Args;
use gradproof::prelude::*;

use crate::error::{CliError, Outcome};
use crate::grad_file::{self, GradFile};
use crate::output_args::OutputArgs;
use crate::values::positive_number;

/// The most steps `fit` takes: it keeps every step's loss (N + 1 numbers, 0.8 GB at
/// this limit), so a mistyped `--steps` must be an error, not an out-of-memory abort.
const MAX_STEPS: usize = 100_000_000;

/// The examples under `gradproof fit --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof fit examples/seed.grad --lr 0.5 --steps 100
  gradproof fit examples/seed.grad --steps 2000 --plot loss.svg
  gradproof fit examples/seed.grad --lr 2 --steps 50 --json > fit.json

Every step records the file's equations on a tape, sweeps it backwards once for ∂L/∂w
of every parameter, and moves each parameter by −η ∂L/∂w; the inputs stay as the file
gives them. A loss or gradient that is not finite stops the fit with an error.";

/// Plain gradient descent on a .grad file's parameters for its loss.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// The .grad file: its `param`s are fitted, its `loss` is minimized.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The learning rate η in w ← w − η ∂L/∂w (default: the file's input `eta`).
    #[arg(long, visible_alias = "learning-rate", value_name = "ETA",
          value_parser = positive_number, allow_hyphen_values = true)]
    pub lr: Option<f64>,

    /// Steps of gradient descent, at most 100000000.
    #[arg(long, value_name = "N", default_value = "100", value_parser = steps,
          allow_negative_numbers = true)]
    pub steps: usize,

    /// Print every N-th step in the table (default: about ten rows).
    #[arg(long, value_name = "N", value_parser = crate::values::at_least_one,
          allow_negative_numbers = true)]
    pub report_every: Option<usize>,

    /// --json, --quiet (no table of steps) and --plot (the loss curve).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--steps`: a whole number from 1 to [`MAX_STEPS`].
fn steps(s: &str) -> Result<usize, String> {
    crate::values::whole_number(s, 1, MAX_STEPS).map_err(|e| {
        if e.contains("more than") {
            format!(
                "{e}: fit keeps every step's loss for the report (fit in fewer steps, or \
                 with a larger --lr)"
            )
        } else {
            e
        }
    })
}

/// A finished fit.
pub struct Fit {
    /// The loss's name.
    pub loss: String,
    /// The learning rate.
    pub eta: f64,
    /// The parameters' indices in `Program::leaves`.
    pub parameters: Vec<usize>,
    /// Every leaf's value at the start.
    pub start: Vec<f64>,
    /// Every leaf's value after the last step.
    pub end: Vec<f64>,
    /// The loss at the start and after each step.
    pub losses: Vec<f64>,
}

/// Runs `gradproof fit`.
pub fn run(args: FitArgs) -> Outcome {
    // Before the file is read: a path that cannot be written must not cost the run.
    args.output.check_plot()?;
    let file = grad_file::load(&args.file)?;
    let (loss, loss_id) = file.of_or_loss(None)?;
    let parameters = file.parameters();
    if parameters.is_empty() {
        return Err(CliError::input(format!(
            "{} declares no parameters: there is nothing to fit",
            file.path
        ))
        .hint("declare what descent should change with `param NAME = VALUE`"));
    }
    let eta = learning_rate(&file, args.lr)?;
    let human = !args.output.json;
    let table = human && !args.output.quiet;
    let every = args.report_every.unwrap_or((args.steps / 10).max(1));
    if human {
        report::print_header(&file, &loss, eta, args.steps, parameters.len());
    }
    if table {
        outln!("\n{}", report::table_header(&loss));
    }

    let program = &file.program;
    let start = program.leaf_values();
    let mut values = start.clone();
    let mut losses = Vec::with_capacity(args.steps + 1);
    let bar = crate::progress::bar(args.steps as u64, "steps", args.output.quiet);
    for step in 0..=args.steps {
        let tape = Tape::new();
        let leaves = tape.vars(&values);
        let output = program.evaluate(&[loss_id], &leaves)[0];
        let value = output.value();
        losses.push(value);
        if table && (step % every == 0 || step == args.steps) {
            bar.suspend(|| outln!("{}", report::table_row(step, value)));
        }
        if !value.is_finite() {
            bar.finish_and_clear();
            return Err(not_finite(&file, &loss, step, value, &values, &parameters));
        }
        if step == args.steps {
            break;
        }
        let gradient = tape.gradient(output);
        for &p in &parameters {
            let g = gradient.wrt(leaves[p]);
            if !g.is_finite() {
                bar.finish_and_clear();
                let name = &program.leaves()[p].name;
                return Err(CliError::input(format!(
                    "{}: ∂{loss}/∂{name} is {g} {} (the loss is {}): the fit stopped",
                    file.path,
                    when(step),
                    crate::number::number(value)
                ))
                .hint(format!(
                    "the loss is not differentiable there; `gradproof grad {} --wrt {name}` \
                     shows the gradient at the file's values",
                    file.path
                )));
            }
            values[p] -= eta * g;
        }
        bar.set_message(format!("{loss} {value:.4e}"));
        bar.inc(1);
    }
    bar.finish_and_clear();

    let fit = Fit {
        loss,
        eta,
        parameters,
        start,
        end: values,
        losses,
    };
    if let Some(path) = &args.output.plot {
        report::plot(path, &fit)?;
    }
    if args.output.json {
        report::print_json(&file, &fit)?;
    } else {
        report::print_summary(&file, &fit, args.output.plot.as_deref());
    }
    Ok(0)
}

/// `--lr`, or the file's `eta`.
fn learning_rate(file: &GradFile, lr: Option<f64>) -> Result<f64, CliError> {
    if let Some(lr) = lr {
        return Ok(lr);
    }
    let eta = file.program.leaves().iter().find(|l| l.name == "eta");
    match eta.map(|l| l.value.to_f64()) {
        Some(eta) if eta.is_finite() && eta > 0.0 => Ok(eta),
        Some(eta) => Err(CliError::input(format!(
            "{}: the file's eta = {eta} is not a positive learning rate",
            file.path
        ))
        .hint("give one with --lr ETA")),
        None => Err(CliError::input(format!(
            "{} declares no `eta`, and no --lr says how far to step",
            file.path
        ))
        .hint("give the learning rate with --lr ETA, e.g. --lr 0.5")),
    }
}

/// When a step happened, in words: at the start or after how many steps.
fn when(step: usize) -> String {
    match step {
        0 => "at the file's values".into(),
        1 => "after 1 step".into(),
        n => format!("after {n} steps"),
    }
}

/// The error when the loss stops being a number: where, and the parameters then.
fn not_finite(
    file: &GradFile,
    loss: &str,
    step: usize,
    value: f64,
    values: &[f64],
    parameters: &[usize],
) -> CliError {
    let leaves = file.program.leaves();
    let at: Vec<String> = parameters
        .iter()
        .take(6)
        .map(|&p| format!("{} = {}", leaves[p].name, crate::number::number(values[p])))
        .collect();
    let more = if parameters.len() > 6 { ", ..." } else { "" };
    CliError::input(format!(
        "{}: the loss {loss} is {value} {}, with {}{more}: the fit stopped",
        file.path,
        when(step),
        at.join(", ")
    ))
    .hint(if step == 0 {
        "the loss must be a finite number at the file's values; `gradproof grad` shows \
         every quantity's value"
            .to_string()
    } else {
        "the steps diverged: lower --lr (the learning rate)".to_string()
    })
}

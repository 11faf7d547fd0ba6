//! What `gradproof fit` prints: a header, a table of steps, the parameters before and
//! after; or one JSON document; and the plot of the loss.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Fit;
use crate::error::CliError;
use crate::grad_file::GradFile;
use crate::number::number;
use crate::plot::{self, Panel, Series};

/// The line before the fit starts.
pub fn print_header(file: &GradFile, loss: &str, eta: f64, steps: usize, parameters: usize) {
    let plural = if parameters == 1 { "" } else { "s" };
    outln!(
        "{}: {steps} steps of gradient descent on {parameters} parameter{plural} for the \
         loss {loss}, η = {}",
        file.path,
        number(eta)
    );
}

/// The table's column names.
pub fn table_header(loss: &str) -> String {
    format!("  step  {loss:>22}")
}

/// One step's row.
pub fn table_row(step: usize, loss: f64) -> String {
    format!("{step:>6}  {loss:>22.15e}")
}

/// The parameters before and after, and how the loss changed.
pub fn print_summary(file: &GradFile, fit: &Fit, plot: Option<&Path>) {
    let leaves = file.program.leaves();
    let width = fit
        .parameters
        .iter()
        .map(|&p| leaves[p].name.chars().count())
        .max()
        .unwrap_or(0);
    outln!("\nparameters, before → after");
    for &p in &fit.parameters {
        outln!(
            "  {:<width$}  {:<22} → {}",
            leaves[p].name,
            number(fit.start[p]),
            number(fit.end[p])
        );
    }
    let first = fit.losses[0];
    let last = fit.losses[fit.losses.len() - 1];
    let steps = fit.losses.len() - 1;
    let change = if last < first {
        "fell"
    } else if last > first {
        "ROSE"
    } else {
        "stayed"
    };
    outln!(
        "\n{} {change} from {first:.15e} to {last:.15e} in {steps} steps of η = {}",
        fit.loss,
        number(fit.eta)
    );
    if last > first {
        outln!("(a loss that rises under descent means a learning rate too large: lower --lr)");
    }
    if let Some(path) = plot {
        outln!("plot: {}", path.display());
    }
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    loss: &'a str,
    learning_rate: f64,
    steps: usize,
    /// The loss at the start and after each step: `steps + 1` numbers.
    losses: &'a [f64],
    /// The parameters after the last step.
    params: Map<String, Value>,
    /// The parameters at the start.
    start: Map<String, Value>,
}

/// Prints the `--json` document.
pub fn print_json(file: &GradFile, fit: &Fit) -> Result<(), CliError> {
    let leaves = file.program.leaves();
    let params = |values: &[f64]| {
        fit.parameters
            .iter()
            .map(|&p| (leaves[p].name.clone(), Value::from(values[p])))
            .collect()
    };
    crate::output::print_json(&Document {
        file: &file.path,
        loss: &fit.loss,
        learning_rate: fit.eta,
        steps: fit.losses.len() - 1,
        losses: &fit.losses,
        params: params(&fit.end),
        start: params(&fit.start),
    })
}

/// Draws the loss against the step into `path` (on a log scale when every loss is
/// positive, as a ½(y − ŷ)² loss is).
pub fn plot(path: &Path, fit: &Fit) -> Result<(), CliError> {
    let points: Vec<(f64, f64)> = fit
        .losses
        .iter()
        .enumerate()
        .map(|(step, &loss)| (step as f64, loss))
        .collect();
    let log_y = fit.losses.iter().all(|&l| l > 0.0);
    let title = format!(
        "loss {}, gradient descent with η = {}",
        fit.loss,
        number(fit.eta)
    );
    let panel = Panel {
        title: &title,
        x_label: "step",
        y_label: if log_y { "loss (log scale)" } else { "loss" },
        series: vec![Series {
            name: &fit.loss,
            points,
        }],
        log_y,
    };
    plot::draw(path, &[panel]).map_err(|e| {
        CliError::input(format!("cannot write the plot `{}`: {e}", path.display()))
            .hint("--plot takes the path of an SVG file in a folder that exists")
    })
}

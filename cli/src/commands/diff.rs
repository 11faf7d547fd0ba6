//! `gradproof diff FILE --wrt NAME`: the symbolic derivative of a file's loss (or of
//! `--of NAME`), simplified, as text or LaTeX.

use std::path::PathBuf;

use clap::Args;
use gradproof::expr::latex_name;
use serde::Serialize;

use crate::error::Outcome;
use crate::grad_file;

/// The examples under `gradproof diff --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof diff examples/seed.grad --of L --wrt w47
  gradproof diff examples/seed.grad --of L --wrt w14 --latex
  gradproof diff examples/seed.grad --of yhat7 --wrt delta7 --json

The derivative prints as a claim's right side: `grad(L, w47) = ...` can be pasted into
a .grad file after `claim`. With respect to a defined quantity (`--wrt a4`) it is the
backpropagated adjoint: every path from it to the quantity, summed.";

/// The simplified symbolic derivative of a quantity of a .grad file.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The .grad file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The quantity to differentiate (default: the file's `loss`).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,

    /// The input, parameter or defined quantity to differentiate by.
    #[arg(long, value_name = "NAME")]
    pub wrt: String,

    /// Print LaTeX in the document's notation instead of text.
    #[arg(long)]
    pub latex: bool,

    /// Print one JSON document on stdout and nothing else there (both text and LaTeX).
    #[arg(long)]
    pub json: bool,
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    of: &'a str,
    wrt: &'a str,
    text: String,
    latex: String,
    /// The derivative at the file's values.
    value: f64,
}

/// Runs `gradproof diff`.
pub fn run(args: DiffArgs) -> Outcome {
    let mut file = grad_file::load(&args.file)?;
    let (of, _) = file.of_or_loss(args.of.as_deref())?;
    file.quantity("--wrt", &args.wrt)?;
    let program = &mut file.program;
    let derivative = program
        .derivative(&of, &args.wrt)
        .map_err(|e| grad_file::parse_error(&e))?;
    // In full, or an error: a derivative too long to print (shared subexpressions
    // spelled out wherever they occur) is never cut short.
    let text = program
        .try_text(derivative)
        .map_err(|e| grad_file::parse_error(&e))?;
    let latex = program
        .try_latex(derivative)
        .map_err(|e| grad_file::parse_error(&e))?;
    let value = program.value(derivative);
    if args.json {
        crate::output::print_json(&Document {
            file: &file.path,
            of: &of,
            wrt: &args.wrt,
            text,
            latex,
            value,
        })?;
    } else if args.latex {
        outln!(
            "\\frac{{\\partial {}}}{{\\partial {}}} = {latex}",
            latex_name(&of),
            latex_name(&args.wrt)
        );
    } else {
        outln!("grad({of}, {}) = {text}", args.wrt);
        outln!("  = {value} at the file's values");
    }
    Ok(0)
}

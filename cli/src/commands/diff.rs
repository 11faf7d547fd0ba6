//! `gradproof diff FILE --wrt NAME,...`: the symbolic derivatives of a file's loss (or
//! of `--of NAME`) with respect to each name, simplified, as text or LaTeX.

use std::path::PathBuf;

use clap::Args;
use gradproof::expr::latex_name;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::Outcome;
use crate::grad_file;
use crate::output_args::JsonArg;

/// The examples under `gradproof diff --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof diff examples/seed.grad --of L --wrt w47
  gradproof diff examples/seed.grad --wrt w47,w14 --latex
  gradproof diff examples/seed.grad --of yhat7 --wrt delta7 --json

The derivative prints as a claim's right side: `grad(L, w47) = ...` can be pasted into
a .grad file after `claim`. With respect to a defined quantity (`--wrt a4`) it is the
backpropagated adjoint: every path from it to the quantity, summed.";

/// The largest error bound, relative to the value, a derivative's value is printed
/// without a warning: half of f64's digits.
const PRECISE: f64 = 1e-8;

/// The simplified symbolic derivatives of a quantity of a .grad file.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The .grad file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The quantity to differentiate (default: the file's `loss`).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,

    /// The quantities to differentiate by, comma-separated or repeated: inputs,
    /// parameters or defined quantities; one derivative is printed for each.
    #[arg(long, value_name = "NAME,...", value_delimiter = ',', required = true)]
    pub wrt: Vec<String>,

    /// Print LaTeX in the document's notation instead of text.
    #[arg(long)]
    pub latex: bool,

    // The JSON document has both the text and the LaTeX of each derivative.
    #[command(flatten)]
    pub output: JsonArg,
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    of: &'a str,
    /// By `--wrt` name, in the order given.
    derivatives: Map<String, Value>,
}

/// One derivative, as printed and as an entry of the `--json` document.
struct Derivative {
    text: String,
    latex: String,
    /// The derivative at the file's values.
    value: f64,
    /// Whether that value can be trusted: the quantity is finite at the file's values,
    /// and so is the derivative, known to at least half its digits (what the warnings
    /// on stderr say, for `--json` readers).
    reliable: bool,
    /// The error bound of `value` (the rounding-error model's).
    bound: f64,
}

/// Runs `gradproof diff`.
pub fn run(args: DiffArgs) -> Outcome {
    let mut file = grad_file::load(&args.file)?;
    let (of, of_id) = file.of_or_loss(args.of.as_deref())?;
    let of_value = file.program.value(of_id);
    if !of_value.is_finite() {
        // A function that is not finite at the point has no derivative there, whatever
        // its symbolic derivative evaluates to.
        eprintln!(
            "gradproof: warning: {of} is {of_value} at the file's values: it has no \
             derivative there"
        );
    }
    // Each name once, in the order first given, every one checked before any
    // derivative is taken.
    // A vector or matrix stands for its entries (`W1` → `W1[1, 1]`, ...).
    let entries = file.wrt_entries(&args.wrt)?;
    let wrt: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    // Every derivative taken before any is printed: an error leaves stdout empty.
    let mut derivatives = Vec::with_capacity(wrt.len());
    let leaves = file.program.leaf_values();
    for &name in &wrt {
        let program = &mut file.program;
        let derivative = program
            .derivative(&of, name)
            .map_err(|e| grad_file::parse_error(&e))?;
        // In full, or an error: a derivative too long to print (shared subexpressions
        // spelled out wherever they occur) is never cut short.
        let text = program
            .try_text(derivative)
            .map_err(|e| grad_file::parse_error(&e))?;
        let latex = program
            .try_latex(derivative)
            .map_err(|e| grad_file::parse_error(&e))?;
        let (value, bound) = program.evaluate_with_error(&[derivative], &leaves)[0];
        let warning = if !value.is_finite() {
            Some(format!(
                "grad({of}, {name}) is {value} at the file's values"
            ))
        } else if !bound.is_finite() {
            // A step that overflows can leave a finite number that is wrong (a term
            // over `S²` = ∞ evaluates to 0): the error model sees it; say so.
            Some(format!(
                "grad({of}, {name}) is {value} at the file's values, but a step of its \
                 evaluation is not finite (an overflow or an undefined operation): the number \
                 is not reliable"
            ))
        } else if bound > PRECISE * value.abs() {
            // A true form can still be a poor recipe for its number: one that subtracts
            // nearly equal terms keeps few of its digits. Say how few, beside all 17.
            Some(format!(
                "grad({of}, {name}) = {value} at the file's values may be off by up to \
                 {bound:.1e}: this form loses precision there (an ill-conditioned step, such \
                 as a difference of nearly equal terms); `gradproof grad` gives the tape's \
                 value"
            ))
        } else {
            None
        };
        if let Some(warning) = &warning {
            eprintln!("gradproof: warning: {warning}");
        }
        let reliable = of_value.is_finite() && warning.is_none();
        derivatives.push(Derivative {
            text,
            latex,
            value,
            reliable,
            bound,
        });
    }
    if args.output.json {
        let derivatives = wrt
            .iter()
            .zip(derivatives)
            .map(|(&name, d)| {
                let entry = json!({
                    "text": d.text,
                    "latex": d.latex,
                    "value": d.value,
                    "error_bound": d.bound,
                    "reliable": d.reliable,
                });
                (name.to_string(), entry)
            })
            .collect();
        crate::output::print_json(&Document {
            file: &file.path,
            of: &of,
            derivatives,
        })?;
        return Ok(0);
    }
    for (name, d) in wrt.iter().zip(&derivatives) {
        if args.latex {
            outln!(
                "\\frac{{\\partial {}}}{{\\partial {}}} = {}",
                latex_name(&of),
                latex_name(name),
                d.latex
            );
        } else {
            outln!("grad({of}, {name}) = {}", d.text);
            outln!("  = {} at the file's values", d.value);
        }
    }
    Ok(0)
}

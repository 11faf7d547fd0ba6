//! `gradproof grad FILE`: the values of a file's quantities and the gradient of its
//! loss (or of `--of NAME`), from one reverse sweep of the tape the file's equations
//! were recorded on.

use std::path::PathBuf;

use clap::Args;
use gradproof::expr::{ExprId, Node, Program};
use gradproof::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{CliError, Outcome};
use crate::grad_file::{self, GradFile};
use crate::output_args::JsonArg;

/// The examples under `gradproof grad --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof grad examples/seed.grad                     ∂L/∂w for every parameter w
  gradproof grad examples/seed.grad --wrt w47,w14,x1    only these (inputs too)
  gradproof grad examples/seed.grad --of L7 --wrt yhat7 an intermediate's adjoint
  gradproof grad examples/seed.grad --json | jq .gradient.w47

The values are every declared and defined quantity at the file's values; the gradient
is the tape's: the equations recorded on a tape and swept backwards once. In a file of
vectors and matrices, each matrix product is one block record on the tape (by inputs
and parameters; an intermediate's adjoint is taken node by node).";

/// Values and gradient of a .grad file's loss, from the tape.
#[derive(Debug, Args)]
pub struct GradArgs {
    /// The .grad file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The quantity to differentiate (default: the file's `loss`).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,

    /// The quantities to differentiate by, comma-separated: inputs, parameters or
    /// defined quantities (default: every parameter, or every input if there is none).
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub wrt: Vec<String>,

    #[command(flatten)]
    pub output: JsonArg,
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    of: &'a str,
    values: Map<String, Value>,
    gradient: Map<String, Value>,
}

/// Runs `gradproof grad`.
pub fn run(args: GradArgs) -> Outcome {
    let file = grad_file::load(&args.file)?;
    let (of_name, of) = file.of_or_loss(args.of.as_deref())?;
    let wrt = wrt(&file, &args.wrt)?;
    let program = &file.program;

    let names: Vec<(&str, ExprId)> = file.named().collect();
    let by_leaves = wrt
        .iter()
        .all(|(_, id)| matches!(program.node(*id), Node::Leaf(_)));
    let (values, partials) = if program.shaped().next().is_some() && by_leaves {
        by_tape_plan(program, &of_name, &names, &wrt)?
    } else {
        by_scalar_tape(program, of, &names, &wrt)
    };

    if args.output.json {
        let map = |pairs: &[(&str, f64)]| {
            pairs
                .iter()
                .map(|&(n, v)| (n.to_string(), Value::from(v)))
                .collect()
        };
        crate::output::print_json(&Document {
            file: &file.path,
            of: &of_name,
            values: map(&values),
            gradient: map(&partials),
        })?;
    } else {
        print_human(&file, &of_name, &values, &partials);
    }
    for (n, v) in values.iter().chain(&partials) {
        if !v.is_finite() {
            eprintln!("gradproof: warning: {n} is {v} at the file's values");
        }
    }
    Ok(0)
}

/// Values and partial derivatives as `(name, value)` pairs.
type Pairs<'a> = Vec<(&'a str, f64)>;

/// A file of vectors and matrices, differentiated by leaves: the gradient from the
/// program's tape plan (each matrix product one block record on the tape), the values
/// from the DAG in `f64` (the same operations, so the same numbers).
fn by_tape_plan<'a>(
    program: &Program,
    of: &str,
    names: &[(&'a str, ExprId)],
    wrt: &'a [(String, ExprId)],
) -> Result<(Pairs<'a>, Pairs<'a>), CliError> {
    let wrt_names: Vec<&str> = wrt.iter().map(|(n, _)| n.as_str()).collect();
    let plan = program
        .tape_plan(of, &wrt_names)
        .map_err(|e| CliError::input(e.to_string()))?;
    let leaves = program.leaf_values();
    let (_, gradient) = plan.gradient(&leaves);
    // The plan's variables are in leaf order; `wrt` in the order asked.
    let mut at = vec![None; leaves.len()];
    for (k, &l) in plan.variables().iter().enumerate() {
        at[l] = Some(k);
    }
    let partials = wrt
        .iter()
        .map(|(n, id)| {
            let g = match program.node(*id) {
                Node::Leaf(l) => at[l as usize].map_or(f64::NAN, |k| gradient[k]),
                _ => f64::NAN,
            };
            (n.as_str(), g)
        })
        .collect();
    let ids: Vec<ExprId> = names.iter().map(|&(_, id)| id).collect();
    let computed = program.evaluate(&ids, &leaves);
    let values = names
        .iter()
        .zip(computed)
        .map(|(&(n, _), v)| (n, v))
        .collect();
    Ok((values, partials))
}

/// Every named quantity recorded on a tape node by node, and `of` swept once.
fn by_scalar_tape<'a>(
    program: &Program,
    of: ExprId,
    names: &[(&'a str, ExprId)],
    wrt: &'a [(String, ExprId)],
) -> (Pairs<'a>, Pairs<'a>) {
    // Every named quantity is a root, so that its value (and, for a defined one, its
    // node on the tape) is at hand; the gradient is `of`'s alone.
    let mut roots = vec![of];
    roots.extend(names.iter().map(|&(_, id)| id));
    let tape = Tape::new();
    let leaves = tape.vars(&program.leaf_values());
    let recorded = program.evaluate(&roots, &leaves);
    let output = recorded[0];
    let gradient = tape.gradient(output);
    // A name's node is a root; `--wrt` names are names of the file.
    let var_of = |id: ExprId| match roots.iter().position(|&r| r == id) {
        Some(at) => recorded[at],
        None => Var::constant(f64::NAN),
    };
    let values = names
        .iter()
        .map(|&(n, id)| (n, var_of(id).value()))
        .collect();
    let partials = wrt
        .iter()
        .map(|(n, id)| (n.as_str(), gradient.wrt(var_of(*id))))
        .collect();
    (values, partials)
}

/// The quantities `--wrt` names, or the default: the parameters, else the inputs.
/// A vector or matrix named in `--wrt` stands for its entries (`W1[1, 1]`, ...).
fn wrt(file: &GradFile, names: &[String]) -> Result<Vec<(String, ExprId)>, CliError> {
    if names.is_empty() {
        let leaves = file.program.leaves();
        let parameters = file.parameters();
        let chosen: Vec<usize> = if parameters.is_empty() {
            (0..leaves.len()).collect()
        } else {
            parameters
        };
        return Ok(chosen
            .into_iter()
            .map(|i| (leaves[i].name.clone(), leaves[i].expr))
            .collect());
    }
    file.wrt_entries(names)
}

fn print_human(file: &GradFile, of: &str, values: &[(&str, f64)], partials: &[(&str, f64)]) {
    outln!("{}, at the file's values", file.path);
    outln!();
    outln!("values");
    let width = values
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (n, v) in values {
        outln!("  {n:<width$} = {}", crate::number::number(*v));
    }
    outln!();
    outln!("gradient of {of}, by one reverse sweep of the tape");
    let width = partials
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (n, g) in partials {
        outln!("  ∂{of}/∂{n:<width$} = {g:+.15e}");
    }
}

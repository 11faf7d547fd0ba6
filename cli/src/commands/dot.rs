//! `gradproof dot FILE`: the graph of a file's loss (or of `--of NAME`) as Graphviz
//! DOT, every node with its value and its gradient from the tape.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::error::Outcome;
use crate::grad_file;
use crate::output_args::JsonArg;

/// The examples under `gradproof dot --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof dot examples/seed.grad | dot -Tsvg > seed.svg
  gradproof dot examples/seed.grad --of L7 > l7.dot
  gradproof dot examples/seed.grad --json

Parameters are boxes, inputs ellipses, named quantities filled, the output doubled; each
node shows its value at the file's values and ∂output/∂node from the tape's reverse
sweep. Render with Graphviz (https://graphviz.org): `dot -Tsvg`, `dot -Tpng`.";

/// The computation graph of a .grad file as Graphviz DOT.
#[derive(Debug, Args)]
pub struct DotArgs {
    /// The .grad file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The quantity whose graph to draw (default: the file's `loss`).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,

    #[command(flatten)]
    pub output: JsonArg,
}

/// The `--json` document.
#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    of: &'a str,
    dot: String,
}

/// Runs `gradproof dot`.
pub fn run(args: DotArgs) -> Outcome {
    let file = grad_file::load(&args.file)?;
    let (of, id) = file.of_or_loss(args.of.as_deref())?;
    let dot = file.program.dot(id);
    if args.output.json {
        crate::output::print_json(&Document {
            file: &file.path,
            of: &of,
            dot,
        })?;
    } else {
        crate::output::write(format_args!("{dot}"));
        if !dot.ends_with('\n') {
            outln!();
        }
    }
    Ok(0)
}

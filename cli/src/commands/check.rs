//! `gradproof check FILE...`: every claim of every file verified, one line per claim,
//! failures reported in full; exit 0 when all hold, 1 when any fails or is undecided.

pub(crate) mod report;

use std::path::PathBuf;

use clap::Args;
use gradproof::expr::{VerifyOptions, DEFAULT_POINTS};

use crate::error::{CliError, Outcome, EXIT_CHECK_FAILED};
use crate::grad_file::{self, GradFile};
use crate::output_args::JsonArg;

/// The most random points `--points` takes: each is an evaluation of every claim, and
/// a mistyped count must be an error, not a run that never ends.
pub const MAX_POINTS: usize = 100_000;

/// `--points`: a whole number from 0 to [`MAX_POINTS`].
fn points(s: &str) -> Result<usize, String> {
    crate::values::whole_number(s, 0, MAX_POINTS)
}

/// The examples under `gradproof check --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof check examples/seed.grad               every claim proved (exit 0)
  gradproof check examples/mistakes.grad           every claim fails, with the reason (exit 1)
  gradproof check model.grad --points 200 --json > verdicts.json
  gradproof check derivation.md --with notes.md    a Markdown/LaTeX document, as written

Verdicts: `proved` (the two sides have the same normal form), `tested` (they agree at the
file's values and at random values of every input and parameter, within the rounding
error model, but no normal form decides it), `failed` (a point where they differ, with
both values and the symbolic relation between the sides where one is found), and
`undecided` (too few points gave finite, well-known values). In a document, `rounded`:
a claim among printed numbers that holds at the document's values within the rounding
of its printed digits. A failed or undecided claim
makes the exit code 1.

Exit codes: 0 every claim holds, 1 a claim failed or is undecided, 2 bad input.

The .grad language (statements, operators, functions, what `check` varies and holds
fixed, every limit): docs/language.md in the gradproof repository.";

/// Verify every claim of .grad files, or of Markdown/LaTeX documents as written.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The .grad files (or .md, .txt, .tex documents) to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Random points per claim, besides the file's values, for claims no normal form
    /// decides (at most 100000).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_POINTS,
          value_parser = points, allow_negative_numbers = true)]
    pub points: usize,

    /// Seeds the random points (the same seed gives the same report).
    #[arg(long, value_name = "N", default_value_t = VerifyOptions::default().seed,
          value_parser = crate::values::seed, allow_negative_numbers = true)]
    pub seed: u64,

    #[command(flatten)]
    pub output: JsonArg,

    /// Notes for documents: Markdown whose every relation is a definition.
    #[arg(long = "with", value_name = "NOTES")]
    pub with: Option<PathBuf>,

    /// Read the files as `.grad` or as documents (default: by extension; .md, .txt
    /// and .tex are documents).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<super::read::Format>,

    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Runs `gradproof check`.
pub fn run(args: CheckArgs) -> Outcome {
    let options = VerifyOptions {
        points: args.points,
        seed: args.seed,
    };
    if args.with.is_some()
        || args
            .files
            .iter()
            .any(|f| super::read::is_document(f, args.format))
    {
        let notes = args.with.as_deref();
        return super::read::check(&args.files, notes, args.format, options, args.output.json);
    }
    // Every file is read before any is checked, so that bad input ends the run with
    // every error named and nothing on stdout.
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        match grad_file::load(path) {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    if let Some(error) = last_of(errors) {
        return Err(error);
    }
    let claims: usize = files.iter().map(|f| f.program.claims().len()).sum();
    if claims == 0 {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        return Err(CliError::input(format!(
            "{} states no claims: there is nothing to check",
            paths.join(", ")
        ))
        .hint("a claim is a line `claim LHS = RHS`, e.g. `claim grad(L, w) = (yhat - y) * x`"));
    }

    let bar = crate::progress::bar(files.len() as u64, "files", args.quiet || files.len() < 2);
    let checked: Vec<report::Checked> = files
        .iter()
        .map(|file: &GradFile| {
            bar.set_message(file.path.clone());
            let reports = file.program.verify_with(options);
            bar.inc(1);
            report::Checked {
                file,
                reports,
                rounded: Vec::new(),
            }
        })
        .collect();
    bar.finish_and_clear();

    let totals = report::Totals::of(&checked);
    if args.output.json {
        report::print_json(&checked, &totals)?;
    } else {
        report::print_human(&checked, &totals);
    }
    Ok(if totals.all_hold() {
        0
    } else {
        EXIT_CHECK_FAILED
    })
}

/// The last of several input errors, the others printed on stderr first: each is
/// reported in full, and the run ends with exit 2.
fn last_of(errors: Vec<CliError>) -> Option<CliError> {
    let count = errors.len();
    let mut errors = errors.into_iter();
    for e in errors.by_ref().take(count.saturating_sub(1)) {
        eprintln!("{e}\n");
    }
    errors.next()
}

//! `gradproof`: with no arguments, walks through the document's 3-3-3 network on
//! built-in numbers; `check`, `grad`, `diff`, `dot` and `fit` work on `.grad` equation
//! files; `gradproof train` trains networks with their gradients checked.
//!
//! The binary only parses arguments, calls the library, and formats: every computation
//! is `gradproof`'s, public and documented there.

#[macro_use]
mod output;
mod commands;
mod error;
mod grad_file;
mod number;
mod output_args;
mod plot;
mod progress;
mod values;

use std::process::ExitCode;

use clap::Parser;

use commands::Command;
use error::EXIT_BAD_INPUT;

const EXAMPLES: &str = "\
Examples:
  gradproof                                    walk through the document's network
  gradproof --json                             the same, as one JSON document
  gradproof check examples/seed.grad           verify every claim of a file
  gradproof grad examples/seed.grad            ∂L/∂w of every parameter, by the tape
  gradproof diff examples/seed.grad --wrt w47  the simplified symbolic derivative
  gradproof dot examples/seed.grad | dot -Tsvg > seed.svg
  gradproof fit examples/seed.grad --steps 50  gradient descent on the parameters
  gradproof train --data xor                   learn exclusive or
  gradproof train --data iris --check-every 500 --plot iris.svg

Exit codes: 0 done, 1 a claim or gradient check failed, 2 bad input.";

/// Proves gradients: the closed form, the tape, finite differences and symbolic
/// derivatives side by side.
///
/// With no command, walks through the document's 3-3-3 sigmoid network on built-in
/// numbers: forward values, losses, every gradient by closed form, tape, central
/// difference and symbolic derivative side by side, every claim of examples/seed.grad
/// verified, and the updated weights.
#[derive(Debug, Parser)]
#[command(name = "gradproof", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// With no command: print the walkthrough as one JSON document on stdout, nothing
    /// else there. (Each command takes its own --json, after the command's name.)
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    // A bug must still end in one line that says so, never in a Rust backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("gradproof: internal error: {info}\n  hint: this is a bug in gradproof; please report it with the command line");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let outcome = match (cli.command, cli.json) {
        (None, json) => commands::walkthrough::run(json),
        (Some(_), true) => Err(error::CliError {
            message: "--json before a command's name is the walkthrough's option".into(),
            hint: Some("put --json after the command: gradproof check FILE --json".into()),
            code: EXIT_BAD_INPUT,
        }),
        (Some(command), false) => command.run(),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.code)
        }
    }
}

/// Help and version go to stdout with exit 0; a usage error goes to stderr as the
/// usage line, then clap's message (what is wrong, and a tip), with exit 2.
/// The usage of the subcommand named first on the command line, or the top level's.
fn subcommand_usage() -> String {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    let name = std::env::args().nth(1).unwrap_or_default();
    let usage = match cli.find_subcommand_mut(&name) {
        Some(sub) => sub.render_usage(),
        None => cli.render_usage(),
    };
    let usage = usage.to_string();
    // A subcommand's rendered usage names it without the binary's name.
    let usage = usage.trim_start_matches("Usage: ").trim().to_string();
    if usage.starts_with("gradproof") {
        usage
    } else {
        format!("gradproof {usage}")
    }
}

fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        out!("{e}");
        return ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    let usage = rendered
        .lines()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(str::to_string)
        .unwrap_or_else(subcommand_usage);
    // clap's message without its usage paragraph, blank lines not doubled.
    let mut message = String::new();
    for line in rendered.lines().filter(|l| !l.starts_with("Usage: ")) {
        if !(line.trim().is_empty() && (message.is_empty() || message.ends_with("\n\n"))) {
            message.push_str(line);
            message.push('\n');
        }
    }
    let mut message = message.trim_end().to_string();
    if let Some(tip) = file_for_a_command(e) {
        // Before clap's "For more information" line, as its own tips are.
        let at = message
            .find("\nFor more information")
            .unwrap_or(message.len());
        message.insert_str(at, &format!("  tip: {tip}\n"));
    }
    eprintln!("usage: {usage}\n\n{message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// For `gradproof FILE` (a path where a command belongs), the command that takes it:
/// the word counts as a path when it has a file's extension or names a file.
fn file_for_a_command(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidSubcommand {
        return None;
    }
    let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidSubcommand) else {
        return None;
    };
    let path = std::path::Path::new(word);
    let extension = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let quoted = if word.contains(|c: char| c.is_whitespace() || c == '\'') {
        format!("\"{word}\"")
    } else {
        word.clone()
    };
    match extension.as_deref() {
        Some("csv") => Some(format!(
            "to train a network on a CSV file, name the command: gradproof train --data {quoted}"
        )),
        Some("grad" | "md" | "tex" | "txt") => Some(format!(
            "to verify the claims of a file, name the command: gradproof check {quoted}"
        )),
        _ if path.is_file() => Some(format!(
            "to verify the claims of a file, name the command: gradproof check {quoted}"
        )),
        _ => None,
    }
}

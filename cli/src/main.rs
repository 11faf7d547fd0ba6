//! `gradproof`: with no arguments, walks through the document's 3-3-3 network on
//! built-in numbers (see `gradproof::nn::document::walkthrough`).

use std::process::ExitCode;

use gradproof::nn::document::walkthrough::Walkthrough;

const USAGE: &str = "\
usage: gradproof

With no arguments, walks through the document's 3-3-3 sigmoid network on built-in
numbers: forward values, losses, every gradient by closed form, tape and central
difference side by side, and the updated weights. No subcommands exist yet.";

fn main() -> ExitCode {
    if std::env::args_os().len() > 1 {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let walkthrough = Walkthrough::example();
    print!("{walkthrough}");
    if walkthrough.agrees() {
        ExitCode::SUCCESS
    } else {
        // Only a bug in the crate gets here: say so rather than exit as if all agreed.
        eprintln!("gradproof: the closed form, the tape and the central differences disagree");
        ExitCode::FAILURE
    }
}

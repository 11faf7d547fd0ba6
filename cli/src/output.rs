//! Writing to stdout without panicking when the reader goes away (`gradproof … | head`):
//! a closed pipe ends the program quietly, as it ends other command-line tools.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

/// Writes formatted text to stdout; on a closed pipe exits at once with code 0, since
/// nobody is left to read the rest; on another error, reports it and exits with 2.
pub fn write(args: Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("gradproof: error: cannot write to stdout: {e}");
        std::process::exit(i32::from(crate::error::EXIT_BAD_INPUT));
    }
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}

/// `println!` through [`write`].
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Prints `document` as pretty JSON on stdout: the whole of stdout under `--json`.
pub fn print_json(document: &impl serde::Serialize) -> Result<(), crate::error::CliError> {
    let text = serde_json::to_string_pretty(document)
        .map_err(|e| crate::error::CliError::input(format!("cannot write the JSON report: {e}")))?;
    write(format_args!("{text}\n"));
    Ok(())
}

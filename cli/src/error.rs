//! The command line's one error type: what went wrong and where, what to do about it,
//! and the exit code it ends with.

use std::fmt;

/// Exit code for a run whose gradient check failed.
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code for input the command cannot use: arguments, files, data.
pub const EXIT_BAD_INPUT: u8 = 2;

/// An error to report on stderr before exiting with [`CliError::code`].
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, and where (a file, a line, a column, a flag).
    pub message: String,
    /// What to do about it, when the message does not already say.
    pub hint: Option<String>,
    /// The exit code.
    pub code: u8,
}

impl CliError {
    /// Bad input (exit 2) with a message.
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: None,
            code: EXIT_BAD_INPUT,
        }
    }

    /// This error with a hint of what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gradproof: error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A command's result: the exit code on success (0, or 1 when a check failed after its
/// report was printed), or an error to report.
pub type Outcome = Result<u8, CliError>;

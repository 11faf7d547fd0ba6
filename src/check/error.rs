//! Why a check could not run at all (as opposed to running and failing).

use std::fmt;

/// A check was given inputs it cannot compare: reported instead of panicking, since a
/// wrong-length gradient is exactly the kind of bug a check is run to find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckError {
    /// The point has no coordinates: nothing to check.
    Empty,
    /// Two things that must have one entry per coordinate (or per output) do not.
    Dimension {
        /// What has the wrong length.
        what: &'static str,
        /// The length it must have.
        expected: usize,
        /// The length it has.
        found: usize,
    },
    /// A step size, learning rate or count that must be positive and finite is not.
    Parameter(&'static str),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Empty => write!(f, "the point has no coordinates: nothing to check"),
            CheckError::Dimension {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} has {found} {}, but must have {expected}",
                if *found == 1 { "entry" } else { "entries" }
            ),
            CheckError::Parameter(what) => write!(f, "{what} must be positive and finite"),
        }
    }
}

impl std::error::Error for CheckError {}

/// `Err(Dimension)` unless `found == expected`.
pub(crate) fn same_length(
    what: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), CheckError> {
    if expected == found {
        Ok(())
    } else {
        Err(CheckError::Dimension {
            what,
            expected,
            found,
        })
    }
}

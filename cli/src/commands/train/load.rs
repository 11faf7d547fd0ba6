//! Finding the data `--data` names: a built-in set, or a CSV file read from disk.

use std::path::Path;

use gradproof::nn::data::{self, CsvErrorKind, Dataset};

use super::args::TrainArgs;
use crate::error::CliError;

/// The data set `--data` (and `--label`) name.
pub fn dataset(args: &TrainArgs) -> Result<Dataset, CliError> {
    let builtin = match args.data.as_str() {
        "xor" => Some(data::xor()),
        "iris" => Some(data::iris()),
        _ => None,
    };
    if let Some(builtin) = builtin {
        if let Some(label) = &args.label {
            return Err(CliError::input(format!(
                "--label {label}: the built-in data set `{}` has its labels already",
                args.data
            ))
            .hint("--label chooses the label column of a CSV file; leave it out here"));
        }
        return Ok(builtin);
    }
    let path = Path::new(&args.data);
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::input(format!("cannot read `{}`: {e}", path.display()))
            .hint("--data takes `xor`, `iris`, or the path of a CSV file with a header row")
    })?;
    data::from_csv_bytes(&args.data, &bytes, args.label.as_deref()).map_err(|e| {
        let error = CliError::input(format!("{}: {e}", path.display()));
        match e.kind {
            CsvErrorKind::NoSuchColumn { .. } => {
                error.hint("name the label column with --label COLUMN")
            }
            CsvErrorKind::NotANumber(_) | CsvErrorKind::NotFinite(_) if args.label.is_none() => {
                error.hint(
                    "every column but the label must be numeric; the label is the last \
                     column unless --label names another",
                )
            }
            _ => error,
        }
    })
}

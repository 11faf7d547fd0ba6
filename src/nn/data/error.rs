//! What can be wrong with a data set or with the CSV text it was read from.

use std::fmt;

/// Why a CSV text could not be read as a data set: where (line, and column where there
/// is one) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// The line, from 1, of the record (for a record with a quoted line break, the line
    /// where it starts).
    pub line: usize,
    /// The column, from 1, and its name from the header (when the header has one).
    pub column: Option<(usize, String)>,
    /// What is wrong.
    pub kind: CsvErrorKind,
}

/// What is wrong in a [`CsvError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvErrorKind {
    /// The bytes are not UTF-8 text (a binary file, or another encoding).
    NotUtf8 {
        /// The offset of the first byte that is not UTF-8.
        byte: usize,
    },
    /// No header row: the text is empty or blank.
    Empty,
    /// A header but no data rows.
    NoRows,
    /// A header cell that is empty.
    EmptyColumnName,
    /// Two header cells with the same name.
    DuplicateColumn(String),
    /// The label column asked for is not in the header.
    NoSuchColumn {
        /// The name asked for.
        name: String,
        /// The header's names.
        available: Vec<String>,
    },
    /// The header has only the label column: there is nothing to learn from.
    NoFeatures,
    /// A row with more or fewer cells than the header.
    WrongFieldCount {
        /// The header's number of cells.
        expected: usize,
        /// This row's.
        found: usize,
    },
    /// An empty cell.
    MissingValue,
    /// A feature cell that is not a number.
    NotANumber(String),
    /// A feature cell that is NaN or infinite.
    NotFinite(String),
    /// A quoted cell whose closing quote is missing.
    UnterminatedQuote,
    /// A quote in the middle of an unquoted cell, or text after a closing quote.
    StrayQuote,
    /// Every row has the same label: there is nothing to tell apart.
    OneClass(String),
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some((column, name)) = &self.column {
            if name.is_empty() {
                write!(f, ", column {column}")?;
            } else {
                write!(f, ", column {column} (`{name}`)")?;
            }
        }
        f.write_str(": ")?;
        match &self.kind {
            CsvErrorKind::NotUtf8 { byte } => write!(
                f,
                "byte {byte} is not UTF-8 text; a data file must be CSV text (is this a binary file?)"
            ),
            CsvErrorKind::Empty => write!(f, "the file is empty; a CSV file starts with a header row naming its columns"),
            CsvErrorKind::NoRows => write!(f, "a header but no data rows"),
            CsvErrorKind::EmptyColumnName => write!(f, "a header cell is empty; name every column"),
            CsvErrorKind::DuplicateColumn(name) => {
                write!(f, "the header names `{name}` twice; column names must differ")
            }
            CsvErrorKind::NoSuchColumn { name, available } => write!(
                f,
                "no column named `{name}` for the label; the header has {}",
                available
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CsvErrorKind::NoFeatures => write!(
                f,
                "the label is the only column; a data set needs at least one feature column"
            ),
            CsvErrorKind::WrongFieldCount { expected, found } => write!(
                f,
                "{found} cells, but the header has {expected}; every row needs one cell per column"
            ),
            CsvErrorKind::MissingValue => write!(f, "the cell is empty; every cell needs a value"),
            CsvErrorKind::NotANumber(text) => {
                write!(f, "`{text}` is not a number; feature columns must be numeric")
            }
            CsvErrorKind::NotFinite(text) => write!(
                f,
                "`{text}` is not a finite number; features must not be NaN or infinite"
            ),
            CsvErrorKind::UnterminatedQuote => {
                write!(f, "a quoted cell is not closed; add the closing `\"`")
            }
            CsvErrorKind::StrayQuote => write!(
                f,
                "a `\"` inside an unquoted cell or after a closing quote; quote the whole cell and double quotes inside it"
            ),
            CsvErrorKind::OneClass(label) => write!(
                f,
                "every row has the label `{label}`; classification needs at least two classes"
            ),
        }
    }
}

impl std::error::Error for CsvError {}

/// Why a data set could not be built, split or standardised.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DataError {
    /// Rows of features of different lengths, or a row count that differs from the
    /// label count.
    Ragged {
        /// The sample whose row is off.
        sample: usize,
        /// The length expected.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A NaN or infinite feature.
    NonFinite {
        /// The sample.
        sample: usize,
        /// The feature, from 0.
        feature: usize,
    },
    /// A label that is not the index of a class.
    NoSuchClass {
        /// The sample.
        sample: usize,
        /// Its label.
        label: usize,
        /// The number of classes.
        classes: usize,
    },
    /// A data set with no samples, or no features, or fewer than two classes.
    Empty(&'static str),
    /// A test fraction outside `[0, 1)`, or one that leaves no training or no test sample.
    TestFraction {
        /// The fraction asked for.
        fraction: f64,
        /// The number of samples to split.
        samples: usize,
    },
    /// Features of another data set's width given to a [`Standardizer`](super::Standardizer).
    WrongWidth {
        /// The standardizer's width.
        expected: usize,
        /// The data set's.
        found: usize,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Ragged {
                sample,
                expected,
                found,
            } => write!(
                f,
                "sample {sample} has {found} features (or labels), but the data set needs {expected}"
            ),
            DataError::NonFinite { sample, feature } => write!(
                f,
                "feature {feature} of sample {sample} is NaN or infinite"
            ),
            DataError::NoSuchClass {
                sample,
                label,
                classes,
            } => write!(
                f,
                "sample {sample} has label {label}, but there are only {classes} classes"
            ),
            DataError::Empty(what) => write!(f, "the data set has {what}"),
            DataError::TestFraction { fraction, samples } => write!(
                f,
                "a test fraction of {fraction} of {samples} samples leaves no test sample or no \
                 training sample; use 0 for no test set, or a fraction in (0, 1) that leaves \
                 at least one of each"
            ),
            DataError::WrongWidth { expected, found } => write!(
                f,
                "the standardizer was fitted to {expected} features, but the data set has {found}"
            ),
        }
    }
}

impl std::error::Error for DataError {}

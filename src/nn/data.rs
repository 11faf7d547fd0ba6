//! Data sets for classification experiments: numeric features, a class per sample, and
//! the one-hot targets a network with one output per class is trained towards.
//!
//! - Built in: [`xor`] (the four points no single neuron separates) and [`iris`]
//!   (Fisher's 150 flowers, bundled; source and licence in `src/nn/data/README.md`).
//! - From a CSV file with a header row: [`from_csv`] (text) and [`from_csv_bytes`]
//!   (a file's bytes, checked to be UTF-8). Every feature cell must be a finite number;
//!   anything else is a [`CsvError`] naming its line and column, never a dropped row.
//! - [`Dataset::split`]: a seeded shuffle into training and test sets.
//! - [`Standardizer`]: features rescaled to mean 0 and standard deviation 1, fitted on
//!   the training set only (so the test set tells nothing to the training).
//!
//! ```
//! use gradproof::nn::data;
//!
//! let iris = data::iris();
//! assert_eq!((iris.len(), iris.feature_count()), (150, 4));
//! assert_eq!(iris.classes(), ["setosa", "versicolor", "virginica"]);
//! // One output per class: the first flower is a setosa.
//! assert_eq!(iris.targets()[0], [1.0, 0.0, 0.0]);
//!
//! let split = iris.split(0.2, 7)?;
//! assert_eq!((split.train.len(), split.test.len()), (120, 30));
//! # Ok::<(), gradproof::nn::data::DataError>(())
//! ```

mod builtin;
mod csv;
mod dataset;
mod error;
pub(crate) mod split;
mod standardize;

pub use builtin::{iris, xor, IRIS_CSV};
pub use csv::{from_csv, from_csv_bytes};
pub use dataset::Dataset;
pub use error::{CsvError, CsvErrorKind, DataError};
pub use split::Split;
pub use standardize::Standardizer;

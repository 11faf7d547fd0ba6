//! `Dataset`: features, class labels and one-hot targets, checked once when built.

use super::error::DataError;

/// Samples for classification: a row of finite features and a class for each, with the
/// one-hot target a network with one output per class learns.
///
/// Built by [`Dataset::new`], the built-in [`xor`](super::xor) and
/// [`iris`](super::iris), or read from CSV by [`from_csv`](super::from_csv); every
/// constructor checks the rows, so a `Dataset` is always rectangular and finite.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    name: String,
    feature_names: Vec<String>,
    classes: Vec<String>,
    inputs: Vec<Vec<f64>>,
    labels: Vec<usize>,
    targets: Vec<Vec<f64>>,
}

impl Dataset {
    /// A data set named `name`, with features named `feature_names`, classes named
    /// `classes`, and for each sample its features `inputs[s]` and class `labels[s]`
    /// (an index into `classes`).
    ///
    /// ```
    /// use gradproof::nn::data::Dataset;
    ///
    /// let and = Dataset::new(
    ///     "and",
    ///     vec!["a".into(), "b".into()],
    ///     vec!["false".into(), "true".into()],
    ///     vec![vec![0.0, 0.0], vec![0.0, 1.0], vec![1.0, 0.0], vec![1.0, 1.0]],
    ///     vec![0, 0, 0, 1],
    /// )?;
    /// assert_eq!(and.targets()[3], [0.0, 1.0]);
    /// # Ok::<(), gradproof::nn::data::DataError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// No samples, no features, fewer than two classes, a row of the wrong length, a NaN
    /// or infinite feature, or a label that is not a class.
    pub fn new(
        name: impl Into<String>,
        feature_names: Vec<String>,
        classes: Vec<String>,
        inputs: Vec<Vec<f64>>,
        labels: Vec<usize>,
    ) -> Result<Self, DataError> {
        if inputs.is_empty() {
            return Err(DataError::Empty("no samples"));
        }
        if feature_names.is_empty() {
            return Err(DataError::Empty("no features"));
        }
        if classes.len() < 2 {
            return Err(DataError::Empty("fewer than two classes"));
        }
        if labels.len() != inputs.len() {
            return Err(DataError::Ragged {
                sample: labels.len().min(inputs.len()),
                expected: inputs.len(),
                found: labels.len(),
            });
        }
        for (sample, (row, &label)) in inputs.iter().zip(&labels).enumerate() {
            if row.len() != feature_names.len() {
                return Err(DataError::Ragged {
                    sample,
                    expected: feature_names.len(),
                    found: row.len(),
                });
            }
            if let Some(feature) = row.iter().position(|v| !v.is_finite()) {
                return Err(DataError::NonFinite { sample, feature });
            }
            if label >= classes.len() {
                return Err(DataError::NoSuchClass {
                    sample,
                    label,
                    classes: classes.len(),
                });
            }
        }
        let targets = labels
            .iter()
            .map(|&label| one_hot(label, classes.len()))
            .collect();
        Ok(Dataset {
            name: name.into(),
            feature_names,
            classes,
            inputs,
            labels,
            targets,
        })
    }

    /// The data set's name (`xor`, `iris`, or the file it was read from).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names of the feature columns, in order.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The number of features: the network's number of inputs.
    pub fn feature_count(&self) -> usize {
        self.feature_names.len()
    }

    /// The class names; a label is an index into this list. It is also the network's
    /// number of outputs.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are no samples (only a [`Split`](super::Split)'s test set can be
    /// empty).
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Each sample's features.
    pub fn inputs(&self) -> &[Vec<f64>] {
        &self.inputs
    }

    /// Each sample's class, an index into [`classes`](Dataset::classes).
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Each sample's one-hot target: 1 at its class, 0 elsewhere.
    pub fn targets(&self) -> &[Vec<f64>] {
        &self.targets
    }

    /// Sample `s` as the `(input, target)` pair the network's batch functions take.
    ///
    /// # Panics
    ///
    /// If `s >= self.len()`.
    pub fn sample(&self, s: usize) -> (&[f64], &[f64]) {
        (&self.inputs[s], &self.targets[s])
    }

    /// The samples at `indices`, in that order, under the same names and classes.
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            name: self.name.clone(),
            feature_names: self.feature_names.clone(),
            classes: self.classes.clone(),
            inputs: indices.iter().map(|&i| self.inputs[i].clone()).collect(),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            targets: indices.iter().map(|&i| self.targets[i].clone()).collect(),
        }
    }

    /// Each class's number of samples, in the order of [`classes`](Dataset::classes).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes.len()];
        for &label in &self.labels {
            counts[label] += 1;
        }
        counts
    }

    /// The inputs, mutably, for [`Standardizer`](super::Standardizer), which keeps them
    /// finite.
    pub(crate) fn inputs_mut(&mut self) -> &mut [Vec<f64>] {
        &mut self.inputs
    }
}

/// `[0, …, 1, …, 0]` with the 1 at `label`.
fn one_hot(label: usize, classes: usize) -> Vec<f64> {
    let mut target = vec![0.0; classes];
    target[label] = 1.0;
    target
}

//! The built-in data sets: XOR, and Fisher's Iris data bundled from scikit-learn.

use super::csv::from_csv;
use super::dataset::Dataset;

/// Fisher's Iris data as CSV text: a header `sepal_length,sepal_width,petal_length,
/// petal_width,species` and 150 rows, measurements in centimetres.
///
/// From scikit-learn 1.9.1 (`sklearn/datasets/data/iris.csv`, BSD 3-Clause; its notice
/// is in `src/nn/data/LICENSE-scikit-learn.txt`), with the class numbers written as the
/// species names and a header row added; `src/nn/data/README.md` gives the source, its
/// checksum and the change.
pub const IRIS_CSV: &str = include_str!("iris.csv");

/// Fisher's Iris data set: 150 flowers, 4 features (sepal and petal length and width,
/// in cm), 3 classes (`setosa`, `versicolor`, `virginica`, 50 each). setosa is linearly
/// separable from the others; versicolor and virginica are not from each other.
///
/// Read from [`IRIS_CSV`] by the same reader as a user's file.
pub fn iris() -> Dataset {
    from_csv("iris", IRIS_CSV, Some("species")).expect("the bundled iris.csv is valid")
}

/// Exclusive or: inputs `(0, 0), (0, 1), (1, 0), (1, 1)`, classes `0` and `1` (whether
/// exactly one input is 1). No single neuron separates the classes: a network needs a
/// hidden layer.
pub fn xor() -> Dataset {
    Dataset::new(
        "xor",
        vec!["a".into(), "b".into()],
        vec!["0".into(), "1".into()],
        vec![
            vec![0.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 0.0],
            vec![1.0, 1.0],
        ],
        vec![0, 1, 1, 0],
    )
    .expect("the XOR table is a valid data set")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_is_fishers_150_flowers_unchanged() {
        let iris = iris();
        assert_eq!(iris.len(), 150);
        assert_eq!(
            iris.feature_names(),
            ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        );
        assert_eq!(iris.class_counts(), [50, 50, 50]);
        // Column sums of scikit-learn's file, computed from it independently.
        let sums = [876.5, 458.6, 563.7, 179.9];
        for (f, expected) in sums.iter().enumerate() {
            let sum: f64 = iris.inputs().iter().map(|row| row[f]).sum();
            assert!((sum - expected).abs() < 1e-9, "feature {f}: {sum}");
        }
        // Its first and last rows.
        assert_eq!(iris.inputs()[0], [5.1, 3.5, 1.4, 0.2]);
        assert_eq!(iris.inputs()[149], [5.9, 3.0, 5.1, 1.8]);
        assert_eq!((iris.labels()[0], iris.labels()[149]), (0, 2));
    }

    #[test]
    fn xor_labels_are_exclusive_or_of_the_inputs() {
        let xor = xor();
        for (x, &label) in xor.inputs().iter().zip(xor.labels()) {
            assert_eq!(label == 1, (x[0] == 1.0) != (x[1] == 1.0));
        }
    }
}

//! A seeded split of a data set into training and test samples.

use super::dataset::Dataset;
use super::error::DataError;
use crate::nn::mlp::SplitMix64;

/// A data set split in two: the samples trained on and the samples held out.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// The samples the network is trained on.
    pub train: Dataset,
    /// The held-out samples, evaluated but never trained on; empty for a split with
    /// test fraction 0.
    pub test: Dataset,
}

impl Dataset {
    /// Shuffles the samples with a [`SplitMix64`] generator started at `seed` (a
    /// Fisher–Yates shuffle) and holds out the first `round(test_fraction · n)` as the
    /// test set. The same seed gives the same split on every platform.
    ///
    /// A fraction of 0 keeps every sample for training, with an empty test set.
    ///
    /// # Errors
    ///
    /// [`DataError::TestFraction`] for a fraction outside `[0, 1)` or one that leaves no
    /// test sample (when above 0) or no training sample.
    pub fn split(&self, test_fraction: f64, seed: u64) -> Result<Split, DataError> {
        let n = self.len();
        let bad = DataError::TestFraction {
            fraction: test_fraction,
            samples: n,
        };
        if !(0.0..1.0).contains(&test_fraction) {
            return Err(bad);
        }
        let n_test = (test_fraction * n as f64).round() as usize;
        if (test_fraction > 0.0 && n_test == 0) || n_test >= n {
            return Err(bad);
        }
        let order = shuffled(n, seed);
        Ok(Split {
            test: self.select(&order[..n_test]),
            train: self.select(&order[n_test..]),
        })
    }
}

/// `0..n` in a seeded random order.
pub(crate) fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, &mut SplitMix64::new(seed));
    order
}

/// A Fisher–Yates shuffle. `next_u64() % (i + 1)` is biased by at most `(i + 1)/2⁶⁴`,
/// far below anything a data set of fewer than 2³² samples could show.
pub(crate) fn shuffle(items: &mut [usize], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin::{iris, xor};
    use super::*;

    #[test]
    fn a_split_partitions_the_samples_reproducibly() {
        let iris = iris();
        let a = iris.split(0.2, 3).unwrap();
        assert_eq!((a.train.len(), a.test.len()), (120, 30));
        assert_eq!(a, iris.split(0.2, 3).unwrap());
        assert_ne!(a, iris.split(0.2, 4).unwrap());
        // Every sample lands in exactly one half: the rows, as a multiset, are the same.
        let key = |row: &Vec<f64>, label: usize| format!("{row:?}{label}");
        let mut all: Vec<String> = a
            .train
            .inputs()
            .iter()
            .zip(a.train.labels())
            .chain(a.test.inputs().iter().zip(a.test.labels()))
            .map(|(r, &l)| key(r, l))
            .collect();
        let mut original: Vec<String> = iris
            .inputs()
            .iter()
            .zip(iris.labels())
            .map(|(r, &l)| key(r, l))
            .collect();
        all.sort();
        original.sort();
        assert_eq!(all, original);
    }

    #[test]
    fn a_zero_fraction_keeps_everything_and_bad_fractions_are_errors() {
        let xor = xor();
        let s = xor.split(0.0, 1).unwrap();
        assert_eq!((s.train.len(), s.test.len()), (4, 0));
        for f in [-0.1, 1.0, 1.5, f64::NAN, 0.1] {
            assert!(
                matches!(xor.split(f, 1), Err(DataError::TestFraction { .. })),
                "{f}"
            );
        }
        assert_eq!(xor.split(0.25, 1).unwrap().test.len(), 1);
    }

    #[test]
    fn shuffles_are_permutations() {
        for n in [0, 1, 2, 7, 100] {
            let mut order = shuffled(n, 9);
            order.sort_unstable();
            assert_eq!(order, (0..n).collect::<Vec<_>>());
        }
    }
}

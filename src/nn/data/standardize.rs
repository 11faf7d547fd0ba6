//! Standardising features: each rescaled to mean 0 and standard deviation 1 on the
//! training set, so no feature's scale alone saturates the first layer's sigmoids.

use super::dataset::Dataset;
use super::error::DataError;

/// A per-feature affine map `x ↦ (x − mean) / sd`, fitted on one data set and applied
/// to others (fit on the training set, apply to both halves of a split).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Standardizer {
    /// Each feature's mean on the data it was fitted to.
    pub mean: Vec<f64>,
    /// Each feature's (population) standard deviation there; 1 for a constant feature,
    /// which is then only centred.
    pub scale: Vec<f64>,
}

impl Standardizer {
    /// The means and standard deviations of `data`'s features.
    ///
    /// # Errors
    ///
    /// [`DataError::Empty`] for a data set with no samples.
    pub fn fit(data: &Dataset) -> Result<Self, DataError> {
        if data.is_empty() {
            return Err(DataError::Empty("no samples to fit a standardizer to"));
        }
        let n = data.len() as f64;
        let width = data.feature_count();
        let mut mean = vec![0.0; width];
        for row in data.inputs() {
            for (m, x) in mean.iter_mut().zip(row) {
                *m += x / n;
            }
        }
        // The deviation as `r·√(Σ (d/r)² / n)`, `d = (x − m)/2` and `r` the largest
        // `|d|`: squaring `x − m` directly overflows for features beyond 1e154, which
        // made the deviation infinite and every such feature 0, and `x − m` itself
        // overflows near f64::MAX. Halving is exact (but for subnormal numbers), so
        // ordinary features get `√(Σ (x − m)² / n)` up to rounding.
        let mean_ref = &mean;
        let half_deviations = |f: usize| {
            data.inputs()
                .iter()
                .map(move |row| row[f] / 2.0 - mean_ref[f] / 2.0)
        };
        let scale: Vec<f64> = (0..width)
            .map(|f| {
                let r = half_deviations(f).fold(0.0f64, |r, d| r.max(d.abs()));
                if r == 0.0 {
                    return 1.0;
                }
                let sum: f64 = half_deviations(f).map(|d| (d / r) * (d / r)).sum();
                // r·√(…) is at most half the deviation, which is at most half the
                // features' spread: finite, and so is its double.
                (r * (sum / n).sqrt()) * 2.0
            })
            .collect();
        Ok(Standardizer { mean, scale })
    }

    /// Rescales `data`'s features in place.
    ///
    /// # Errors
    ///
    /// [`DataError::WrongWidth`] if `data` has another number of features.
    pub fn apply(&self, data: &mut Dataset) -> Result<(), DataError> {
        if data.feature_count() != self.mean.len() {
            return Err(DataError::WrongWidth {
                expected: self.mean.len(),
                found: data.feature_count(),
            });
        }
        for row in data.inputs_mut() {
            for ((x, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
                // Halved first, so that `x − m` cannot overflow near f64::MAX (halving
                // and doubling are exact but for subnormal numbers). A sample far outside the fitted data can
                // still land beyond f64's range; the network's input checks then report
                // it, never a silent NaN.
                *x = (*x / 2.0 - m / 2.0) / s * 2.0;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin::iris;
    use super::*;

    #[test]
    fn standardized_training_features_have_mean_zero_and_unit_deviation() {
        let mut data = iris();
        let s = Standardizer::fit(&data).unwrap();
        s.apply(&mut data).unwrap();
        let again = Standardizer::fit(&data).unwrap();
        for f in 0..4 {
            assert!(again.mean[f].abs() < 1e-14);
            assert!((again.scale[f] - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn a_constant_feature_is_centred_not_divided_by_zero() {
        let mut data = Dataset::new(
            "c",
            vec!["k".into(), "x".into()],
            vec!["a".into(), "b".into()],
            vec![vec![3.0, 0.0], vec![3.0, 2.0]],
            vec![0, 1],
        )
        .unwrap();
        let s = Standardizer::fit(&data).unwrap();
        assert_eq!(s.scale, [1.0, 1.0]);
        s.apply(&mut data).unwrap();
        assert_eq!(data.inputs(), [vec![0.0, -1.0], vec![0.0, 1.0]]);
    }

    #[test]
    fn features_beyond_1e154_are_standardized_not_zeroed() {
        // Squared deviations of these overflow; the deviation itself does not.
        let big = f64::MAX / 2.0;
        for values in [[1e200, -1e200, 1e200, -1e200], [big, big, big, -f64::MAX]] {
            let rows = values.iter().map(|&v| vec![v]).collect();
            let mut data = Dataset::new(
                "big",
                vec!["x".into()],
                vec!["a".into(), "b".into()],
                rows,
                vec![0, 1, 0, 1],
            )
            .unwrap();
            let s = Standardizer::fit(&data).unwrap();
            assert!(s.scale[0].is_finite() && s.scale[0] > 0.0, "{s:?}");
            s.apply(&mut data).unwrap();
            let again = Standardizer::fit(&data).unwrap();
            assert!(again.mean[0].abs() < 1e-14, "{again:?} from {values:?}");
            assert!(
                (again.scale[0] - 1.0).abs() < 1e-14,
                "{again:?} from {values:?}"
            );
        }
    }
}

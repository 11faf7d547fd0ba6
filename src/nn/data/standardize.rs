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
        let mut scale = vec![0.0; width];
        for row in data.inputs() {
            for ((s, x), m) in scale.iter_mut().zip(row).zip(&mean) {
                *s += (x - m) * (x - m) / n;
            }
        }
        for s in &mut scale {
            *s = if *s > 0.0 { s.sqrt() } else { 1.0 };
        }
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
                // Only features within a factor 2 of f64::MAX can overflow here; the
                // network's input checks then report the sample, never a silent NaN.
                *x = (*x - m) / s;
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
}

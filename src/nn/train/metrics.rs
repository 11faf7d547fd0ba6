//! Loss and accuracy of a network on a data set.

use crate::nn::data::Dataset;
use crate::nn::mlp::{Mlp, MlpError};

/// A network's mean loss and accuracy on a set of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Metrics {
    /// The mean of `½ Σₖ (yₖ − ŷₖ)²` over the samples.
    pub loss: f64,
    /// The fraction of samples whose largest output is their class's (ties go to the
    /// first class).
    pub accuracy: f64,
}

/// The metrics after one epoch (epoch 0: before training).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EpochMetrics {
    /// The epoch, from 0 (the untrained network).
    pub epoch: usize,
    /// On the training set.
    pub train: Metrics,
    /// On the test set, `None` when there is none.
    pub test: Option<Metrics>,
}

/// `net`'s mean loss and accuracy on `data`, `None` for an empty data set.
///
/// # Errors
///
/// As [`Mlp::forward`] (a sample of the wrong width, an overflow).
pub fn evaluate(net: &Mlp<f64>, data: &Dataset) -> Result<Option<Metrics>, MlpError> {
    if data.is_empty() {
        return Ok(None);
    }
    let mut loss = 0.0;
    let mut correct = 0usize;
    for s in 0..data.len() {
        let (x, y) = data.sample(s);
        let y_hat = net.predict(x)?;
        loss += y_hat
            .iter()
            .zip(y)
            .map(|(p, t)| 0.5 * (t - p) * (t - p))
            .sum::<f64>();
        if argmax(&y_hat) == data.labels()[s] {
            correct += 1;
        }
    }
    let n = data.len() as f64;
    Ok(Some(Metrics {
        loss: loss / n,
        accuracy: correct as f64 / n,
    }))
}

/// The index of the largest value, the first of equals.
fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::data::Dataset;
    use crate::nn::mlp::Shape;

    #[test]
    fn accuracy_counts_argmax_hits_and_loss_is_the_mean_half_squared_error() {
        // One layer, no biases, weights chosen so that output 0 wins when x > 0.
        let net = Mlp::from_params(Shape::new(&[1, 2]).unwrap(), vec![1.0, -1.0]).unwrap();
        let data = Dataset::new(
            "d",
            vec!["x".into()],
            vec!["pos".into(), "neg".into()],
            vec![vec![2.0], vec![-1.0], vec![3.0]],
            vec![0, 1, 1],
        )
        .unwrap();
        let m = evaluate(&net, &data).unwrap().unwrap();
        assert_eq!(m.accuracy, 2.0 / 3.0);
        let expected: f64 = data
            .inputs()
            .iter()
            .zip(data.targets())
            .map(|(x, y)| net.loss(x, y).unwrap())
            .sum::<f64>()
            / 3.0;
        assert!((m.loss - expected).abs() < 1e-15);
        assert_eq!(evaluate(&net, &data.select(&[])).unwrap(), None);
        assert_eq!(argmax(&[0.2, 0.7, 0.7]), 1);
    }
}

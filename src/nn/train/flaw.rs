//! Wrong closed forms, written out in full so a gradient check has something real to
//! catch: the backward recurrence with one plausible mistake in it.

use super::config::Flaw;
use crate::nn::mlp::{Mlp, MlpError, Part};

impl Flaw {
    /// The mean loss over `batch` and the mean of the per-sample gradients as computed
    /// with this flaw (the loss is right; the gradient is not).
    ///
    /// # Errors
    ///
    /// As [`Mlp::batch_gradient`]: a NaN or infinite loss or gradient included.
    pub fn batch_gradient<'a, I>(
        self,
        net: &Mlp<f64>,
        batch: I,
    ) -> Result<(f64, Vec<f64>), MlpError>
    where
        I: IntoIterator<Item = (&'a [f64], &'a [f64])>,
    {
        let mut total = 0.0;
        let mut mean = vec![0.0; net.params().len()];
        let mut n = 0usize;
        for (x, y) in batch {
            total += net.loss(x, y)?;
            for (m, g) in mean.iter_mut().zip(self.gradient(net, x, y)?) {
                *m += g;
            }
            n += 1;
        }
        if n == 0 {
            return Err(MlpError::EmptyBatch);
        }
        for m in &mut mean {
            *m /= n as f64;
        }
        // As the closed form's batch gradient: a NaN or infinite gradient (or a loss
        // whose sum overflowed) is an error here, before it can reach a step, so the
        // training loop blames the data or the steps as it does for the closed form
        // (at the first step, not the learning rate).
        if let Some(index) = mean.iter().position(|g| !g.is_finite()) {
            return Err(MlpError::NonFinite {
                what: Part::Gradient,
                index,
            });
        }
        let loss = total / n as f64;
        if !loss.is_finite() {
            return Err(MlpError::NonFinite {
                what: Part::Loss { sample: n - 1 },
                index: 0,
            });
        }
        Ok((loss, mean))
    }

    /// One sample's gradient by the backward recurrence (see `nn::mlp`'s backprop), one
    /// layer at a time, with this flaw.
    fn gradient(self, net: &Mlp<f64>, x: &[f64], y: &[f64]) -> Result<Vec<f64>, MlpError> {
        let shape = net.shape();
        let layers = shape.layers();
        let acts = net.forward(x)?;
        let f_out = shape.activation(layers - 1);
        let mut d: Vec<f64> = acts[layers]
            .iter()
            .zip(y)
            .map(|(&p, &t)| {
                let error = if self == Flaw::SignFlipped {
                    t - p
                } else {
                    p - t
                };
                error * f_out.derivative_from_output(p)
            })
            .collect();
        let mut gradient = vec![0.0; shape.param_count()];
        for l in (0..layers).rev() {
            let (n_in, n_out) = (shape.sizes()[l], shape.sizes()[l + 1]);
            for j in 0..n_out {
                for i in 0..n_in {
                    gradient[shape.weight_index(l, j, i)] = d[j] * acts[l][i];
                }
                if let Some(index) = shape.bias_index(l, j) {
                    gradient[index] = d[j];
                }
            }
            if l > 0 {
                let f = shape.activation(l - 1);
                d = (0..n_in)
                    .map(|i| {
                        let s: f64 = (0..n_out).map(|j| net.weight(l, j, i) * d[j]).sum();
                        if self == Flaw::HiddenDerivativeDropped {
                            s
                        } else {
                            s * f.derivative_from_output(acts[l][i])
                        }
                    })
                    .collect();
            }
        }
        Ok(gradient)
    }
}

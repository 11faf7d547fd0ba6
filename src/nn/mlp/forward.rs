//! The forward pass and the loss, written once for every [`Scalar`]: on `f64` and `f32`
//! they compute values, on [`Var`](crate::Var) they record the computation on a tape.

use num_traits::Float;

use super::error::{check_finite, check_vector, MlpError, Part};
use super::network::Mlp;
use super::shape::Shape;
use crate::scalar::Scalar;

impl<T: Scalar> Mlp<T> {
    /// The activations of every layer for input `x`: `[x, α¹, …, ŷ]`, one vector per
    /// layer of neurons, inputs first and predictions last.
    ///
    /// Layer `l + 1` is `f(W·a + b)` of layer `l`'s activations `a`, with `f` the
    /// layer's [`Activation`](crate::nn::activation::Activation) (the sigmoid `σ` unless
    /// the [`Shape`] says otherwise), each weighted sum one [`Scalar::dot`] (a single
    /// fused node on the tape).
    ///
    /// # Errors
    ///
    /// `x` of the wrong length or not finite; a layer whose weighted sums overflow to NaN.
    pub fn forward(&self, x: &[T]) -> Result<Vec<Vec<T>>, MlpError> {
        forward_unchecked(self.shape(), self.params(), x, 0)
    }

    /// The network's predictions `ŷ` for input `x` (the last layer of
    /// [`forward`](Mlp::forward)).
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`].
    pub fn predict(&self, x: &[T]) -> Result<Vec<T>, MlpError> {
        let mut layers = self.forward(x)?;
        Ok(layers
            .pop()
            .expect("forward returns at least the input and output layers"))
    }

    /// The loss `L = ½ Σₖ (yₖ − ŷₖ)²` for input `x` and target `y`: the document's
    /// `L_s7 + L_s8 + L_s9`, for any number of outputs.
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`], and for `y` of the wrong length, not finite, or so large the
    /// loss overflows.
    pub fn loss(&self, x: &[T], y: &[T]) -> Result<T, MlpError> {
        loss_unchecked(self.shape(), self.params(), x, y, 0)
    }

    /// The mean loss `(1/n) Σₛ Lₛ` over a batch of `(input, target)` pairs.
    ///
    /// # Errors
    ///
    /// [`MlpError::EmptyBatch`], or as [`Mlp::loss`] for the first bad sample.
    pub fn batch_loss<'a, I>(&self, batch: I) -> Result<T, MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        let mut total = T::zero();
        let mut n = 0usize;
        for (sample, (x, y)) in batch.into_iter().enumerate() {
            total = total + loss_unchecked(self.shape(), self.params(), x, y, sample)?;
            n += 1;
        }
        if n == 0 {
            return Err(MlpError::EmptyBatch);
        }
        Ok(total / count::<T>(n))
    }
}

impl<T> Mlp<T> {
    /// [`Mlp::forward`] with the parameters `params` in place of the network's own:
    /// the network as a function of its parameters, on any [`Scalar`].
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`], and for `params` of the wrong length or not finite.
    pub fn forward_at<S: Scalar>(&self, params: &[S], x: &[S]) -> Result<Vec<Vec<S>>, MlpError> {
        check_vector(Part::Params, params, self.shape().param_count())?;
        forward_unchecked(self.shape(), params, x, 0)
    }

    /// [`Mlp::loss`] with the parameters `params` in place of the network's own, so a
    /// gradient checker can treat the network as a function `&[S] -> S` of its flat
    /// parameters (on `f64` for finite differences, on [`Var`](crate::Var) for the tape).
    ///
    /// ```
    /// use gradproof::check::central_gradient;
    /// use gradproof::nn::mlp::{Mlp, Shape};
    ///
    /// let net = Mlp::<f64>::seeded(Shape::with_biases(&[2, 3, 1])?, 1);
    /// let (x, y) = ([0.5, -1.0], [1.0]);
    /// let numeric = central_gradient(|p| net.loss_at(p, &x, &y).unwrap(), net.params());
    /// let (_, exact) = net.gradient(&x, &y)?;
    /// for (n, e) in numeric.iter().zip(&exact) {
    ///     assert!((n - e).abs() < 1e-8);
    /// }
    /// # Ok::<(), gradproof::nn::mlp::MlpError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`], and for `params` of the wrong length or not finite.
    pub fn loss_at<S: Scalar>(&self, params: &[S], x: &[S], y: &[S]) -> Result<S, MlpError> {
        check_vector(Part::Params, params, self.shape().param_count())?;
        loss_unchecked(self.shape(), params, x, y, 0)
    }
}

/// The forward pass with `params` trusted to fit `shape` and be finite.
pub(crate) fn forward_unchecked<S: Scalar>(
    shape: &Shape,
    params: &[S],
    x: &[S],
    sample: usize,
) -> Result<Vec<Vec<S>>, MlpError> {
    sweep(shape, params, x, sample, None)
}

/// The forward pass, also keeping each layer's weighted sums in `net_inputs` (one vector
/// per layer past the inputs) when asked.
fn sweep<S: Scalar>(
    shape: &Shape,
    params: &[S],
    x: &[S],
    sample: usize,
    mut net_inputs: Option<&mut Vec<Vec<S>>>,
) -> Result<Vec<Vec<S>>, MlpError> {
    check_vector(Part::Input { sample }, x, shape.inputs())?;
    let mut layers = Vec::with_capacity(shape.sizes().len());
    layers.push(x.to_vec());
    for layer in 0..shape.layers() {
        let a = &layers[layer];
        let w = &params[shape.weight_range(layer)];
        let b = shape.bias_range(layer).map(|r| &params[r]);
        let z: Vec<S> = w
            .chunks_exact(a.len())
            .enumerate()
            .map(|(j, row)| {
                let z = S::dot(row, a);
                match b {
                    Some(b) => z + b[j],
                    None => z,
                }
            })
            .collect();
        let f = shape.activation(layer);
        let next: Vec<S> = z.iter().map(|&z| f.apply(z)).collect();
        // A sigmoid maps ±∞ to 0 or 1 and only `∞ − ∞` inside a weighted sum gives NaN;
        // relu passes an overflow to +∞ on.
        check_finite(
            Part::Activations {
                layer: layer + 1,
                sample,
            },
            &next,
        )?;
        if let Some(kept) = net_inputs.as_deref_mut() {
            kept.push(z);
        }
        layers.push(next);
    }
    Ok(layers)
}

impl<T> Mlp<T> {
    /// The weighted sums `z = W·a + b` of every layer past the inputs (the document's
    /// `δ_j`), at the parameters `params`, for input `x`: entry `l` holds layer `l + 1`'s.
    /// Where a relu's `z` is `0` the network has a kink; where it changes sign between
    /// two parameter vectors, a finite difference between them has stepped across one.
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward_at`].
    pub fn net_inputs_at<S: Scalar>(&self, params: &[S], x: &[S]) -> Result<Vec<Vec<S>>, MlpError> {
        check_vector(Part::Params, params, self.shape().param_count())?;
        let mut net_inputs = Vec::with_capacity(self.shape().layers());
        sweep(self.shape(), params, x, 0, Some(&mut net_inputs))?;
        Ok(net_inputs)
    }
}

/// The loss with `params` trusted to fit `shape` and be finite.
pub(crate) fn loss_unchecked<S: Scalar>(
    shape: &Shape,
    params: &[S],
    x: &[S],
    y: &[S],
    sample: usize,
) -> Result<S, MlpError> {
    check_vector(Part::Target { sample }, y, shape.outputs())?;
    let layers = forward_unchecked(shape, params, x, sample)?;
    let loss = half_squared_error(&layers[layers.len() - 1], y);
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(MlpError::NonFinite {
            what: Part::Loss { sample },
            index: 0,
        })
    }
}

/// `½ Σₖ (yₖ − ŷₖ)²`, the squares summed by one [`Scalar::dot`] of the differences with
/// themselves (one fused node on the tape).
pub(crate) fn half_squared_error<S: Scalar>(y_hat: &[S], y: &[S]) -> S {
    let diff: Vec<S> = y.iter().zip(y_hat).map(|(&t, &p)| t - p).collect();
    S::dot(&diff, &diff) * half()
}

/// `½` in any float type.
pub(crate) fn half<S: Float>() -> S {
    S::from(0.5).expect("every Float type represents 0.5")
}

/// A sample count as a float, for means.
pub(crate) fn count<S: Float>(n: usize) -> S {
    S::from(n).expect("a Float type represents a sample count (rounded)")
}

//! The closed-form gradient: the document's backward rule, generalised to any depth and
//! to any [`Activation`](crate::nn::activation::Activation) `f`.
//!
//! With `a⁰ = x`, `aˡ⁺¹ = f(Wˡ aˡ + bˡ)` and `L = ½ Σₖ (yₖ − ŷₖ)²`, `ŷ = aᴸ`, the
//! deltas `dˡ = ∂L/∂(Wˡ⁻¹ aˡ⁻¹ + bˡ⁻¹)` (the document's `∂L/∂δ_j`) obey
//!
//! ```text
//! output:  dᴸ_j = (ŷ_j − y_j) · f′(ŷ_j)
//! hidden:  dˡ_i = (Σ_j Wˡ[j][i] · dˡ⁺¹_j) · f′(aˡ_i)           (Wˡ)ᵀ dˡ⁺¹, times f′
//! weights: ∂L/∂Wˡ[j][i] = dˡ⁺¹_j · aˡ_i
//! biases:  ∂L/∂bˡ_j     = dˡ⁺¹_j
//! ```
//!
//! where `f′(a)` is the derivative written in terms of the output
//! ([`Activation::derivative_from_output`](crate::nn::activation::Activation::derivative_from_output)):
//! `a(1 − a)` for the sigmoid, so for the document's 3-3-3 network the output rule is its
//! `(ŷ_j − y_j)·ŷ_j(1 − ŷ_j)·α_i`, and the hidden rule is its `Σ_k ∂L_sk/∂ω_ij` with the
//! sum over `k` done once, in `(Wˡ)ᵀ dˡ⁺¹`, for all `j` together.
//!
//! Written for speed as well as for checking: one forward and one backward sweep over
//! row-major weights (each row a contiguous dot product forward and a contiguous `axpy`
//! backward), no allocation after the [`Workspace`] has grown, and finiteness checked on
//! the `O(neurons)` vectors rather than on every weight.

use num_traits::Float;

use super::error::{check_finite, check_vector, MlpError, Part};
use super::forward::{count, half};
use super::network::Mlp;
use super::shape::Shape;
use super::workspace::Workspace;
use crate::tape::kernels::dot;

impl<T: Float> Mlp<T> {
    /// The loss `½ Σ (y − ŷ)²` for one sample, with its gradient with respect to every
    /// parameter left in `workspace.gradient()` (flat layout, as [`Mlp::params`]).
    ///
    /// Allocates nothing once `workspace` has served a network of this shape.
    ///
    /// # Errors
    ///
    /// `x` or `y` of the wrong length or not finite; an overflow to NaN or infinity in
    /// the activations, loss, deltas or gradient (the workspace's content is then
    /// unspecified).
    pub fn backprop(&self, x: &[T], y: &[T], workspace: &mut Workspace<T>) -> Result<T, MlpError> {
        workspace.prepare(self.shape());
        backprop_sample(self.shape(), self.params(), x, y, workspace, false, 0)
    }

    /// [`Mlp::backprop`] into a new buffer: `(loss, gradient)`.
    ///
    /// # Errors
    ///
    /// As [`Mlp::backprop`].
    pub fn gradient(&self, x: &[T], y: &[T]) -> Result<(T, Vec<T>), MlpError> {
        let mut workspace = Workspace::new();
        let loss = self.backprop(x, y, &mut workspace)?;
        Ok((loss, workspace.into_gradient()))
    }

    /// The mean loss `(1/n) Σₛ Lₛ` over a batch of `(input, target)` pairs, with the
    /// mean gradient `(1/n) Σₛ ∂Lₛ/∂w` left in `workspace.gradient()`.
    ///
    /// Samples are borrowed one at a time, so a mini-batch can be an index list over a
    /// data set: `idx.iter().map(|&i| (&xs[i][..], &ys[i][..]))`.
    ///
    /// # Errors
    ///
    /// [`MlpError::EmptyBatch`], or as [`Mlp::backprop`] for the first bad sample (parts
    /// name the sample by its position in the batch).
    pub fn batch_backprop<'a, I>(
        &self,
        batch: I,
        workspace: &mut Workspace<T>,
    ) -> Result<T, MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        workspace.prepare(self.shape());
        workspace.gradient.fill(T::zero());
        let mut total = T::zero();
        let mut n = 0usize;
        for (sample, (x, y)) in batch.into_iter().enumerate() {
            total = total
                + backprop_sample(self.shape(), self.params(), x, y, workspace, true, sample)?;
            n += 1;
        }
        if n == 0 {
            return Err(MlpError::EmptyBatch);
        }
        let scale = count::<T>(n).recip();
        for g in &mut workspace.gradient {
            *g = *g * scale;
        }
        // Each sample's gradient was finite; only their sum can still have overflowed.
        check_finite(Part::Gradient, &workspace.gradient)?;
        let mean = total / count::<T>(n);
        if !mean.is_finite() {
            return Err(MlpError::NonFinite {
                what: Part::Loss { sample: n - 1 },
                index: 0,
            });
        }
        Ok(mean)
    }

    /// [`Mlp::batch_backprop`] into a new buffer: `(mean loss, mean gradient)`.
    ///
    /// # Errors
    ///
    /// As [`Mlp::batch_backprop`].
    pub fn batch_gradient<'a, I>(&self, batch: I) -> Result<(T, Vec<T>), MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        let mut workspace = Workspace::new();
        let loss = self.batch_backprop(batch, &mut workspace)?;
        Ok((loss, workspace.into_gradient()))
    }
}

/// One sample's forward and backward sweep. The gradient is written over
/// `workspace.gradient`, or added to it when `accumulate` is set (for batches).
fn backprop_sample<T: Float>(
    shape: &Shape,
    params: &[T],
    x: &[T],
    y: &[T],
    workspace: &mut Workspace<T>,
    accumulate: bool,
    sample: usize,
) -> Result<T, MlpError> {
    check_vector(Part::Input { sample }, x, shape.inputs())?;
    check_vector(Part::Target { sample }, y, shape.outputs())?;
    let sizes = shape.sizes();
    let layers = shape.layers();

    // Forward: aˡ⁺¹ = f(Wˡ aˡ + bˡ), all layers kept for the backward sweep.
    workspace.activations[..sizes[0]].copy_from_slice(x);
    for layer in 0..layers {
        let f = shape.activation(layer);
        let split = workspace.start(layer + 1);
        let (before, after) = workspace.activations.split_at_mut(split);
        let a = &before[before.len() - sizes[layer]..];
        let out = &mut after[..sizes[layer + 1]];
        let w = &params[shape.weight_range(layer)];
        let rows = w.chunks_exact(sizes[layer]);
        match shape.bias_range(layer) {
            Some(range) => {
                for ((o, row), &b) in out.iter_mut().zip(rows).zip(&params[range]) {
                    *o = f.value(dot(row, a) + b);
                }
            }
            None => {
                for (o, row) in out.iter_mut().zip(rows) {
                    *o = f.value(dot(row, a));
                }
            }
        }
        check_finite(
            Part::Activations {
                layer: layer + 1,
                sample,
            },
            out,
        )?;
    }

    // Output deltas dᴸ = (ŷ − y)·f′(ŷ), and the loss ½ Σ (y − ŷ)² from the same
    // differences.
    let f_out = shape.activation(layers - 1);
    let output_start = workspace.activations.len() - sizes[layers];
    let y_hat = &workspace.activations[output_start..];
    let mut sum_sq = T::zero();
    for ((d, &p), &t) in workspace.delta.iter_mut().zip(y_hat).zip(y) {
        let diff = p - t;
        sum_sq = sum_sq + diff * diff;
        *d = diff * f_out.derivative_from_output(p);
    }
    let loss = sum_sq * half();
    if !loss.is_finite() {
        return Err(MlpError::NonFinite {
            what: Part::Loss { sample },
            index: 0,
        });
    }

    // Backward, last layer of weights first.
    let mut a_end = output_start;
    for layer in (0..layers).rev() {
        let (n_in, n_out) = (sizes[layer], sizes[layer + 1]);
        let a_start = a_end - n_in;
        let a = &workspace.activations[a_start..a_end];
        let d = &workspace.delta[..n_out];
        check_gradient_finite(d, a, layer, sample)?;

        let gw = &mut workspace.gradient[shape.weight_range(layer)];
        for (g_row, &dj) in gw.chunks_exact_mut(n_in).zip(d) {
            if accumulate {
                for (g, &ai) in g_row.iter_mut().zip(a) {
                    *g = *g + dj * ai;
                }
            } else {
                for (g, &ai) in g_row.iter_mut().zip(a) {
                    *g = dj * ai;
                }
            }
        }
        if let Some(range) = shape.bias_range(layer) {
            let gb = &mut workspace.gradient[range];
            if accumulate {
                for (g, &dj) in gb.iter_mut().zip(d) {
                    *g = *g + dj;
                }
            } else {
                gb.copy_from_slice(d);
            }
        }

        if layer > 0 {
            // dˡ = (Wˡ)ᵀ dˡ⁺¹ ⊙ f′(aˡ): row j of Wˡ scaled by d_j, added up, so the
            // weights are read row by row as they are stored.
            let w = &params[shape.weight_range(layer)];
            let prev = &mut workspace.delta_prev[..n_in];
            prev.fill(T::zero());
            for (row, &dj) in w.chunks_exact(n_in).zip(d) {
                for (p, &wji) in prev.iter_mut().zip(row) {
                    *p = *p + wji * dj;
                }
            }
            let f = shape.activation(layer - 1);
            for (p, &ai) in prev.iter_mut().zip(a) {
                *p = *p * f.derivative_from_output(ai);
            }
            std::mem::swap(&mut workspace.delta, &mut workspace.delta_prev);
        }
        a_end = a_start;
    }
    Ok(loss)
}

/// Checks the deltas `d` of layer `layer + 1` and, through them, the weight gradient
/// `d_j · a_i` of layer `layer`, in `O(neurons)`.
///
/// With every `d_j` finite, all products `d_j · a_i` are finite exactly when the largest,
/// `max|d| · max|a|`, is (products are monotone in each factor's magnitude, and rounding
/// is too), so the `O(weights)` gradient need not be scanned.
pub(super) fn check_gradient_finite<T: Float>(
    d: &[T],
    a: &[T],
    layer: usize,
    sample: usize,
) -> Result<(), MlpError> {
    check_finite(
        Part::Deltas {
            layer: layer + 1,
            sample,
        },
        d,
    )?;
    let (j, d_max) = max_abs(d);
    let (i, a_max) = max_abs(a);
    if (d_max * a_max).is_finite() {
        Ok(())
    } else {
        Err(MlpError::NonFinite {
            what: Part::WeightGradient { layer },
            index: j * a.len() + i,
        })
    }
}

/// The position and magnitude of the largest `|v|` in a non-empty slice of finite numbers.
fn max_abs<T: Float>(v: &[T]) -> (usize, T) {
    v.iter()
        .enumerate()
        .fold((0, T::zero()), |(best, m), (i, x)| {
            if x.abs() > m {
                (i, x.abs())
            } else {
                (best, m)
            }
        })
}

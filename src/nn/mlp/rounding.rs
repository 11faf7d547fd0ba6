//! How far a computed loss and gradient can be from the exact ones: a running
//! rounding-error bound, so two ways of computing the same gradient (the closed form and
//! the tape) can be compared with a tolerance that follows from an error model rather
//! than from a guess.
//!
//! Both paths compute each gradient entry from the same products and sums in a
//! different order (the closed form sums weighted inputs in four lanes and `Wᵀd` row by
//! row; the tape sums left to right and accumulates adjoints edge by edge), so neither
//! is exact and they need not agree bit for bit. How far either may be from the exact
//! value follows from a first-order running error analysis (Higham, *Accuracy and
//! Stability of Numerical Algorithms*, ch. 3), carried through the network in `f64`,
//! with `ε` the unit roundoff of the precision the network was computed in:
//!
//! - a sum of n products `Σ wᵢaᵢ (+ b)` is computed with error at most
//!   `(n + 2)·ε·Σ|wᵢaᵢ| (+ |b|)`, plus `Σ|wᵢ|·e(aᵢ)` carried from its inputs' errors;
//! - an activation `a = f(z)` has error `|f′(z)|·e(z) + r·ε`, with `r = 4` for the
//!   sigmoid (exp, an add and a divide, each within an ulp of a value at most 1) and for
//!   `tanh` (within two ulps in the usual libm), `r = 0` for relu (exact);
//! - the derivative from the output has error `|1 − 2a|·e(a) + 2ε` (sigmoid,
//!   `a(1 − a)`), `2|a|·e(a) + 2ε` (tanh, `1 − a²`), and none for relu (`0` or `1`)
//!   — as long as both paths see `z` on the same side of relu's kink, which is certain
//!   only where `|z|` exceeds its own error bound: units closer than that are listed as
//!   [`KinkSite`]s, and the bound says nothing about a gradient that passes through them;
//! - a product `u·v` has error `e(u)|v| + |u|e(v) + ε|uv|`, a difference `u − v` error
//!   `e(u) + e(v) + ε(|u| + |v|)`.
//!
//! That gives a bound `e_g` on each gradient entry's distance from the exact value, for
//! either path. The two paths' distance from each other is then at most `2·e_g`;
//! comparisons in this crate allow `4·e_g`, which leaves another factor 2 for the
//! second-order terms the analysis drops (products of two errors). It scales with `ε`,
//! so the same analysis serves `f32` (pass the network converted to `f64` and
//! `f32::EPSILON`). Unlike a fixed relative tolerance it does not collapse where a
//! gradient entry is small because its terms cancel, and unlike a fixed absolute one it
//! does not pass an entry that is wrong by a factor.

use super::error::MlpError;
use super::network::Mlp;
use crate::nn::activation::Activation;

/// Rounding-error bounds for a loss and its gradient (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct RoundingBounds {
    /// A bound on the computed loss's distance from the exact loss.
    pub loss: f64,
    /// A bound on each computed gradient entry's distance from the exact one (flat
    /// layout, as [`Mlp::params`]).
    pub gradient: Vec<f64>,
    /// relu units whose weighted sum is within its rounding error of the kink at `0`:
    /// there the two paths may legitimately take different sides, and the gradient
    /// bounds do not hold. Empty for networks without relu.
    pub kinks: Vec<KinkSite>,
}

/// A relu unit at (or within rounding of) its kink, where the gradient is not defined.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KinkSite {
    /// The sample's position in its batch (0 for a single sample).
    pub sample: usize,
    /// The layer of neurons, from 1 (the first past the inputs).
    pub layer: usize,
    /// The neuron within the layer, from 0.
    pub neuron: usize,
    /// Its weighted sum `z`.
    pub net_input: f64,
}

impl Mlp<f64> {
    /// Rounding-error bounds for [`Mlp::gradient`] and [`Mlp::tape_gradient`] of one
    /// sample, for a computation in a precision with unit roundoff `unit_roundoff`
    /// (`f64::EPSILON`, or `f32::EPSILON` for this network's `f32` copy).
    ///
    /// ```
    /// use gradproof::nn::mlp::{Mlp, Shape};
    ///
    /// let net = Mlp::<f64>::seeded(Shape::with_biases(&[2, 3, 1])?, 7);
    /// let (x, y) = ([1.0, 0.0], [1.0]);
    /// let bounds = net.rounding_bounds(&x, &y, f64::EPSILON)?;
    /// let (_, closed) = net.gradient(&x, &y)?;
    /// let (_, taped) = net.tape_gradient(&x, &y)?;
    /// for k in 0..closed.len() {
    ///     assert!((closed[k] - taped[k]).abs() <= 4.0 * bounds.gradient[k]);
    /// }
    /// # Ok::<(), gradproof::nn::mlp::MlpError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Mlp::forward`] and [`Mlp::loss`].
    pub fn rounding_bounds(
        &self,
        x: &[f64],
        y: &[f64],
        unit_roundoff: f64,
    ) -> Result<RoundingBounds, MlpError> {
        self.loss(x, y)?;
        Ok(sample_bounds(self, x, y, unit_roundoff, 0))
    }

    /// Rounding-error bounds for the batch means [`Mlp::batch_gradient`] and
    /// [`Mlp::tape_batch_gradient`]: the mean of the samples' bounds, plus the rounding
    /// of the sum and of the final scaling by `1/n`.
    ///
    /// # Errors
    ///
    /// [`MlpError::EmptyBatch`], or as [`Mlp::loss`] for the first bad sample.
    pub fn batch_rounding_bounds<'a, I>(
        &self,
        batch: I,
        unit_roundoff: f64,
    ) -> Result<RoundingBounds, MlpError>
    where
        I: IntoIterator<Item = (&'a [f64], &'a [f64])>,
    {
        let n_params = self.params().len();
        let mut total = RoundingBounds {
            loss: 0.0,
            gradient: vec![0.0; n_params],
            kinks: Vec::new(),
        };
        // Sums of the magnitudes of the samples' gradients and losses, for the rounding
        // of the running sums.
        let mut magnitude = vec![0.0; n_params];
        let mut loss_magnitude = 0.0;
        let mut n = 0usize;
        for (sample, (x, y)) in batch.into_iter().enumerate() {
            let loss = super::forward::loss_unchecked(self.shape(), self.params(), x, y, sample)?;
            let bounds = sample_bounds(self, x, y, unit_roundoff, sample);
            let (_, gradient) = self.gradient(x, y)?;
            total.loss += bounds.loss;
            loss_magnitude += loss.abs();
            for k in 0..n_params {
                total.gradient[k] += bounds.gradient[k];
                magnitude[k] += gradient[k].abs();
            }
            total.kinks.extend(bounds.kinks);
            n += 1;
        }
        if n == 0 {
            return Err(MlpError::EmptyBatch);
        }
        let n_f = n as f64;
        let sum_rounding = (n as f64 + 2.0) * unit_roundoff;
        total.loss = (total.loss + sum_rounding * loss_magnitude) / n_f;
        for (e, m) in total.gradient.iter_mut().zip(&magnitude) {
            *e = (*e + sum_rounding * m) / n_f;
        }
        Ok(total)
    }
}

/// The bounds for one sample whose loss is known to be finite.
fn sample_bounds(net: &Mlp<f64>, x: &[f64], y: &[f64], eps: f64, sample: usize) -> RoundingBounds {
    let shape = net.shape();
    let sizes = shape.sizes();
    let layers = shape.layers();
    let acts = net
        .forward(x)
        .expect("the caller checked that the loss is finite");

    let mut kinks = Vec::new();
    let mut e_act: Vec<Vec<f64>> = vec![vec![0.0; sizes[0]]];
    for l in 0..layers {
        let n = sizes[l];
        let w = net.weights(l);
        let b = net.biases(l);
        let f = shape.activation(l);
        let e: Vec<f64> = (0..sizes[l + 1])
            .map(|j| {
                let row = &w[j * n..(j + 1) * n];
                let z: f64 = row.iter().zip(&acts[l]).map(|(w, a)| w * a).sum::<f64>()
                    + b.map_or(0.0, |b| b[j]);
                let size: f64 = row
                    .iter()
                    .zip(&acts[l])
                    .map(|(w, a)| (w * a).abs())
                    .sum::<f64>()
                    + b.map_or(0.0, |b| b[j].abs());
                let carried: f64 = row.iter().zip(&e_act[l]).map(|(w, e)| w.abs() * e).sum();
                let e_z = (n + 2) as f64 * eps * size + carried;
                if f.has_kinks() && z.abs() <= 4.0 * e_z {
                    kinks.push(KinkSite {
                        sample,
                        layer: l + 1,
                        neuron: j,
                        net_input: z,
                    });
                }
                let a = acts[l + 1][j];
                f.derivative_from_output(a).abs() * e_z + value_rounding(f) * eps
            })
            .collect();
        e_act.push(e);
    }
    let e_derivative = |l: usize, i: usize| {
        let a = acts[l][i];
        let e = e_act[l][i];
        match shape.activation(l - 1) {
            Activation::Sigmoid => (1.0 - 2.0 * a).abs() * e + 2.0 * eps,
            Activation::Tanh => 2.0 * a.abs() * e + 2.0 * eps,
            Activation::Relu => 0.0,
        }
    };

    let f_out = shape.activation(layers - 1);
    let out = &acts[layers];
    let mut loss = 0.0;
    let mut e_loss = 0.0;
    let mut d = Vec::new();
    let mut e_d = Vec::new();
    for k in 0..sizes[layers] {
        let diff = out[k] - y[k];
        let e_diff = e_act[layers][k] + eps * (out[k].abs() + y[k].abs());
        let fp = f_out.derivative_from_output(out[k]);
        let dk = diff * fp;
        d.push(dk);
        e_d.push(e_diff * fp.abs() + diff.abs() * e_derivative(layers, k) + eps * dk.abs());
        loss += 0.5 * diff * diff;
        e_loss += diff.abs() * e_diff;
    }
    e_loss += (sizes[layers] + 2) as f64 * eps * loss;

    let mut e_g = vec![0.0; shape.param_count()];
    for l in (0..layers).rev() {
        let (n_in, n_out) = (sizes[l], sizes[l + 1]);
        let a = &acts[l];
        for j in 0..n_out {
            for i in 0..n_in {
                e_g[shape.weight_index(l, j, i)] =
                    e_d[j] * a[i].abs() + d[j].abs() * e_act[l][i] + eps * (d[j] * a[i]).abs();
            }
            if let Some(index) = shape.bias_index(l, j) {
                e_g[index] = e_d[j];
            }
        }
        if l > 0 {
            let w = net.weights(l);
            let f = shape.activation(l - 1);
            let mut next_d = Vec::with_capacity(n_in);
            let mut next_e = Vec::with_capacity(n_in);
            for i in 0..n_in {
                let column = (0..n_out).map(|j| (w[j * n_in + i], j));
                let s: f64 = column.clone().map(|(w, j)| w * d[j]).sum();
                let size: f64 = column.clone().map(|(w, j)| (w * d[j]).abs()).sum();
                let carried: f64 = column.map(|(w, j)| w.abs() * e_d[j]).sum();
                let e_s = (n_out + 1) as f64 * eps * size + carried;
                let fp = f.derivative_from_output(a[i]);
                let di = s * fp;
                next_d.push(di);
                next_e.push(e_s * fp.abs() + s.abs() * e_derivative(l, i) + eps * di.abs());
            }
            d = next_d;
            e_d = next_e;
        }
    }
    RoundingBounds {
        loss: e_loss,
        gradient: e_g,
        kinks,
    }
}

/// `r` in the activation's value error `r·ε` (see the module documentation).
fn value_rounding(f: Activation) -> f64 {
    match f {
        Activation::Sigmoid | Activation::Tanh => 4.0,
        Activation::Relu => 0.0,
    }
}

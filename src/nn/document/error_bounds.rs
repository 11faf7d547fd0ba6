//! How far two correct computations of the document's gradient may differ: bounds
//! derived from floating-point rounding and from the Taylor remainder of central
//! differences, so that checks compare against an error model rather than a guess.
//!
//! Notation: `u = ε/2` is the unit roundoff, `κ(s) = 1/(1 − s)` the condition of
//! computing `1 − s` from a rounded `s = σ(δ)`. The bounds are first order in `u` and
//! carry a safety factor of 2.

use num_traits::Float;

use super::{slot, Forward, Weights, HIDDEN, INPUTS, OUTPUTS};

/// Bounds `|σ′|, |σ″|, |σ‴|` over the real line: `1/4`, `1/(6√3) < 1/10`, `1/8`.
const SIGMA1: f64 = 0.25;
const SIGMA2: f64 = 0.1;
const SIGMA3: f64 = 0.125;

/// Absolute rounding-error bounds of a forward pass computed in floating point with unit
/// roundoff `u`, per neuron, from [`forward_rounding`].
#[derive(Clone, Copy, Debug)]
pub struct ForwardRounding<T> {
    /// `|Δδ_j|` for `j = 4..=9`.
    delta: [T; 6],
    /// `|Δα_j|` for `j = 4..=6`, then `|Δŷ_k|` for `k = 7..=9`.
    sigma: [T; 6],
    loss: T,
}

impl<T: Float> ForwardRounding<T> {
    /// The bound on `|Δδ_j|`, `j` in `4..=9`.
    ///
    /// # Panics
    ///
    /// If `j` is not a hidden or output neuron.
    pub fn delta(&self, j: usize) -> T {
        assert!((4..=9).contains(&j), "δ{j} does not exist: j in 4..=9");
        self.delta[j - 4]
    }

    /// The bound on `|Δα_j|` (`j` in `4..=6`) or `|Δŷ_j|` (`j` in `7..=9`).
    ///
    /// # Panics
    ///
    /// If `j` is not a hidden or output neuron.
    pub fn sigma(&self, j: usize) -> T {
        assert!((4..=9).contains(&j), "σ(δ{j}) does not exist: j in 4..=9");
        self.sigma[j - 4]
    }

    /// The bound on `|ΔL|`.
    pub fn loss(&self) -> T {
        self.loss
    }
}

fn c<T: Float>(x: f64) -> T {
    T::from(x).unwrap_or_else(T::nan)
}

/// The rounding error of the forward pass that produced `fwd` from `w`, if it ran in an
/// arithmetic of unit roundoff `u` (`T::epsilon() / 2` for `T` itself; pass
/// `f32::EPSILON / 2` to bound an `f32` pass from `f64` values).
///
/// Standard first-order bounds: a three-term dot product errs by `3u·Σ|terms|`; `σ`
/// evaluated as `1/(1 + e^(−δ))` by `4u·σ` relative (exp within 1 ulp, one addition,
/// one division) plus `σ′ ≤ 1/4` times the error of its argument; and
/// `L = Σ ½(y − ŷ)²` by `Σ |y − ŷ|·|Δŷ| + 6u·L`.
pub fn forward_rounding<T: Float>(w: &Weights<T>, fwd: &Forward<T>, u: T) -> ForwardRounding<T> {
    let three = c::<T>(3.0);
    let four = c::<T>(4.0);
    let s1 = c::<T>(SIGMA1);
    let mut delta = [T::zero(); 6];
    let mut sigma = [T::zero(); 6];
    for j in HIDDEN {
        let terms = INPUTS.fold(T::zero(), |acc, i| acc + (w[(i, j)] * fwd.x(i)).abs());
        delta[j - 4] = three * u * terms;
        sigma[j - 4] = s1 * delta[j - 4] + four * u * fwd.alpha(j);
    }
    for k in OUTPUTS {
        let (terms, propagated) = HIDDEN.fold((T::zero(), T::zero()), |(t, p), j| {
            (
                t + (w[(j, k)] * fwd.alpha(j)).abs(),
                p + w[(j, k)].abs() * sigma[j - 4],
            )
        });
        delta[k - 4] = three * u * terms + propagated;
        sigma[k - 4] = s1 * delta[k - 4] + four * u * fwd.yhat(k);
    }
    let loss = OUTPUTS.fold(c::<T>(6.0) * u * fwd.loss(), |acc, k| {
        acc + (fwd.y(k) - fwd.yhat(k)).abs() * sigma[k - 4]
    });
    ForwardRounding { delta, sigma, loss }
}

/// A bound on `|closed form − tape|` for each `∂L/∂ω_ij`, both computed in `T` at the
/// weights `w` that produced `fwd`.
///
/// The two evaluate the same products in different orders; the one real difference is
/// `σ′`: the closed form's `s(1 − s)` loses `κ(s)·ε` relative accuracy in `1 − s`, while
/// the tape's `e^(−δ)/(1 + e^(−δ))²` does not. So for each term `t_k` of the gradient,
/// the two differ by at most `ε·|t_k|·(κ(ŷ_k) + κ(α_j) + c)`, with `c` counting the
/// other roundings of either side (at most 8 in units of `ε`). `|t_k|·κ(s)` is computed
/// as `t_k` with the factor `s(1 − s)` replaced by `s`, which stays finite where `s`
/// rounds to 1. The hidden-layer sum is bounded term by term (`Σ_k |t_k|`, not
/// `|Σ_k t_k|`), so cancellation in the sum is covered. Safety factor 2.
///
/// Deep in saturation (`|δ| ≳ 370` in f64, `≳ 50` in f32) the tape's partial
/// `−σ/(1 + e^(−δ))` underflows to zero, so its slope is lost while the closed form
/// still has a tiny one. The lost part is at most `√(adjoint · smallest subnormal)`; an
/// absolute floor `τ·(1 + Σ_k |ŷ_k − y_k|·(1 + |ω_jk|))·(1 + |x_i|)` with
/// `τ = √(smallest normal)` covers it (`≈ 10⁻¹⁵⁴` in f64: it never matters elsewhere).
pub fn closed_form_rounding_bound<T: Float>(w: &Weights<T>, fwd: &Forward<T>) -> Weights<T> {
    let eight = c::<T>(8.0);
    let scale = c::<T>(2.0) * T::epsilon();
    let tau = T::min_positive_value().sqrt();
    let slope = |s: T| s * (T::one() - s);
    let error = |k: usize| (fwd.yhat(k) - fwd.y(k)).abs();
    Weights::from_fn(|i, j| {
        if i <= 3 {
            let (alpha, x) = (fwd.alpha(j), fwd.x(i).abs());
            let (rounding, downstream) = OUTPUTS.fold((T::zero(), T::one()), |(acc, down), k| {
                let (yhat, omega) = (fwd.yhat(k), w[(j, k)].abs());
                let outer = error(k) * omega * x;
                // |t_k|·(κ(ŷ_k) + κ(α_j) + 8), each κ folded into its slope.
                let sum = outer
                    * (eight * slope(yhat) * slope(alpha)
                        + yhat * slope(alpha)
                        + slope(yhat) * alpha);
                (acc + scale * sum, down + error(k) * (T::one() + omega))
            });
            rounding + tau * downstream * (T::one() + x)
        } else {
            let (yhat, sent) = (fwd.yhat(j), fwd.alpha(i).abs());
            let sum = error(j) * sent * (eight * slope(yhat) + yhat);
            let floor = tau * (T::one() + error(j)) * (T::one() + sent);
            scale * sum + floor
        }
    })
}

/// A bound on `|∂³L/∂ω_ij³|` over every value of `ω_ij` (the other weights held at `w`),
/// the `M` of the central difference's truncation error `h²·M/6`.
///
/// With `g(δ) = ½(σ(δ) − y)²`, `|σ − y| ≤ D = 1 + |y|` and the bounds on `σ′, σ″, σ‴`:
/// `|g′| ≤ D/4`, `|g″| ≤ 1/16 + D/10`, `|g‴| ≤ 3/40 + D/8`. An output weight moves
/// `δ_j` with slope `α_i`: `M = |g‴|·|α_i|³`. An input weight moves `δ_j` with slope
/// `x_i` and each `δ_k` through `ω_jk·σ(δ_j)`; by Faà di Bruno
/// `M = |x_i|³ Σ_k (|g_k‴|·|ω_jk|³/64 + 3|g_k″|·|ω_jk|²/40 + |g_k′|·|ω_jk|/8)`.
///
/// # Panics
///
/// If no weight joins `i` to `j`.
pub fn third_derivative_bound<T: Float>(w: &Weights<T>, fwd: &Forward<T>, i: usize, j: usize) -> T {
    assert!(
        slot(i, j).is_some(),
        "ω{i}{j} is not a weight of the network"
    );
    let (s1, s2, s3) = (c::<T>(SIGMA1), c::<T>(SIGMA2), c::<T>(SIGMA3));
    let three = c::<T>(3.0);
    let bounds = |k: usize| {
        let d = T::one() + fwd.y(k).abs();
        let g1 = d * s1;
        let g2 = s1 * s1 + d * s2;
        let g3 = three * s1 * s2 + d * s3;
        (g1, g2, g3)
    };
    if i >= 4 {
        let (_, _, g3) = bounds(j);
        g3 * fwd.alpha(i).abs().powi(3)
    } else {
        let sum = OUTPUTS.fold(T::zero(), |acc, k| {
            let (g1, g2, g3) = bounds(k);
            let omega = w[(j, k)].abs();
            acc + g3 * (omega * s1).powi(3)
                + three * g2 * (omega * s1) * (omega * s2)
                + g1 * omega * s3
        });
        fwd.x(i).abs().powi(3) * sum
    }
}

/// A bound on `|central difference − ∂L/∂ω_ij|` for the step `h`, all in `T`:
/// truncation `h²·M/6` ([`third_derivative_bound`]) plus rounding `ΔL/h` (two loss
/// evaluations each off by at most `ΔL` of [`forward_rounding`], divided by `2h`).
/// Safety factor 2 (the rounding bound is taken at `ω`, not at `ω ± h`).
///
/// # Panics
///
/// If no weight joins `i` to `j`.
pub fn central_difference_bound<T: Float>(
    w: &Weights<T>,
    fwd: &Forward<T>,
    i: usize,
    j: usize,
    h: T,
) -> T {
    let six = c::<T>(6.0);
    let truncation = h * h * third_derivative_bound(w, fwd, i, j) / six;
    let u = T::epsilon() / c::<T>(2.0);
    let rounding = forward_rounding(w, fwd, u).loss() / h;
    c::<T>(2.0) * (truncation + rounding)
}

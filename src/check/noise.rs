//! How noisy is `f`? Measured, not assumed: the rounding in a computation can exceed
//! `ε·|f|` by far when `f` is small next to its terms (a loss `½(y − ŷ)²` with `ŷ ≈ y`
//! carries the rounding of `ŷ`, not of the loss).
//!
//! The estimate follows Moré and Wild ("Estimating computational noise", 2011): along a
//! line, at points so close that `f` is a polynomial far below its noise, the k-th
//! differences of the values are the noise's k-th differences; for independent noise
//! of deviation σ, `E[(Δᵏf)²] = σ²·(2k)!/(k!)²`. Levels 5 to 7 of 13 values are averaged.

use super::real::Real;

/// The number of points on the line.
const POINTS: usize = 13;

/// The standard deviation of the noise of `f` along `v` at `x`, measured with spacing
/// `δ = √ε·max(1, ‖x‖∞)/‖v‖∞`.
pub(crate) fn noise<T: Real>(f: &impl Fn(&[T]) -> T, x: &[T], v: &[T]) -> f64 {
    let eps: f64 = T::epsilon().into();
    let norm_x = x
        .iter()
        .fold(1.0_f64, |m, &a| m.max(Into::<f64>::into(a).abs()));
    let norm_v = v
        .iter()
        .fold(0.0_f64, |m, &a| m.max(Into::<f64>::into(a).abs()));
    if norm_v == 0.0 {
        return 0.0;
    }
    let delta = T::from(eps.sqrt() * norm_x / norm_v).unwrap_or_else(T::nan);
    let mut point = x.to_vec();
    let mut values: Vec<f64> = (0..POINTS)
        .map(|k| {
            let t = T::from(k as f64 - (POINTS / 2) as f64).unwrap_or_else(T::nan) * delta;
            for (p, (&xi, &vi)) in point.iter_mut().zip(x.iter().zip(v)) {
                *p = xi + t * vi;
            }
            f(&point).into()
        })
        .collect();
    let mut sum = 0.0;
    let mut levels = 0.0;
    for k in 1..=7 {
        values = values.windows(2).map(|w| w[1] - w[0]).collect();
        if k >= 5 {
            let mean_square = values.iter().map(|d| d * d).sum::<f64>() / values.len() as f64;
            sum += mean_square * gamma(k);
            levels += 1.0;
        }
    }
    (sum / levels).sqrt()
}

/// `(k!)² / (2k)!`.
fn gamma(k: usize) -> f64 {
    (1..=k).map(|j| j as f64 / (k + j) as f64).product()
}

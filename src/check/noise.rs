//! How noisy is `f`? Measured, not assumed: the rounding in a computation can exceed
//! `ε·|f|` by far when `f` is small next to its terms (a loss `½(y − ŷ)²` with `ŷ ≈ y`
//! carries the rounding of `ŷ`, not of the loss), or when it sums many terms.
//!
//! The estimate follows Moré and Wild ("Estimating computational noise", 2011): along a
//! line, at points so close that `f` is a polynomial far below its noise, the k-th
//! differences of the values are the noise's k-th differences; for independent noise
//! of deviation σ, `E[(Δᵏf)²] = σ²·(2k)!/(k!)²`. Levels 5 to 7 of 13 values are averaged.

use num_traits::Float;

/// The number of points on the line.
pub(crate) const POINTS: usize = 13;

/// The standard deviation of the noise of each output of `f` along `v` at `x`, measured
/// with spacing `delta` (pass `√ε` times the scale of `x` along `v`: far below where
/// `f`'s own curvature shows in seventh differences, far above one ulp of `x`).
///
/// A line that leaves the domain of `f` (`acos` next to 1, `ln` next to 0) measures in
/// it: the spacing shrinks by eighths while a value on the line is not finite and `f(x)`
/// is, down to 16 ulps of `x`. A NaN noise, silently dropped by the `max` that makes
/// floors of it, left a floor of one ulp of `f` where `f` was far noisier.
pub(crate) fn noise<T: Float>(f: &impl Fn(&[T]) -> Vec<T>, x: &[T], v: &[T], delta: T) -> Vec<T> {
    noise_on(f, x, v, delta, Side::Across)
}

/// Where on the line through `x` the points lie.
#[derive(Clone, Copy)]
enum Side {
    /// Centred on `x`.
    Across,
    /// From `x` towards `+v`.
    Ahead,
    /// From `x` towards `−v`.
    Behind,
}

/// [`noise`] measured on each side of `x` without crossing it, the quieter side's per
/// output. A kink at `x` (relu at 0, max at a tie) is no noise: measured across it,
/// its jump in slope shows in every difference of the values and counted as noise of
/// the jump's size times the spacing, and a floor made of that noise hid what the
/// readings near the kink said (an f32 Taylor test called a slope outside the
/// one-sided slopes "between" them). A side whose values are not all finite (a domain
/// edge) does not count; if neither side measures, the line across `x` does.
pub(crate) fn noise_beside<T: Float>(
    f: &impl Fn(&[T]) -> Vec<T>,
    x: &[T],
    v: &[T],
    delta: T,
) -> Vec<T> {
    let ahead = noise_on(f, x, v, delta, Side::Ahead);
    let behind = noise_on(f, x, v, delta, Side::Behind);
    let quieter: Vec<Option<T>> = ahead
        .iter()
        .zip(&behind)
        .map(|(&a, &b)| match (a.is_finite(), b.is_finite()) {
            (true, true) => Some(a.min(b)),
            (true, false) => Some(a),
            (false, true) => Some(b),
            (false, false) => None,
        })
        .collect();
    if quieter.iter().all(Option::is_some) {
        quieter.into_iter().flatten().collect()
    } else {
        noise(f, x, v, delta)
    }
}

fn noise_on<T: Float>(
    f: &impl Fn(&[T]) -> Vec<T>,
    x: &[T],
    v: &[T],
    delta: T,
    side: Side,
) -> Vec<T> {
    let mut point = x.to_vec();
    let half = T::from(POINTS / 2).unwrap_or_else(T::nan);
    // The points are `x + k·d`, `k = −6 … 6` (`0 … 12` or `0 … −12` on one side), with `d` the displacement one spacing
    // actually takes, `(x + delta·v) − x` as the type rounds it: a multiple of an ulp of
    // `x`, so the points are (almost always) exact. Points rounded on their own would
    // add `|∇f|·ulp(x)` of noise that no check suffers (each takes its steps as they
    // were taken), and next to a domain edge in f32 (`acos` at 1 − 10⁻⁴) that swamped
    // the rounding of `f` a thousandfold.
    let mut line = |delta: T| -> Vec<Vec<T>> {
        let d: Vec<T> = x
            .iter()
            .zip(v)
            .map(|(&xi, &vi)| (xi + delta * vi) - xi)
            .collect();
        (0..POINTS)
            .map(|k| {
                let k = T::from(k).unwrap_or_else(T::nan);
                let t = match side {
                    Side::Across => k - half,
                    Side::Ahead => k,
                    Side::Behind => -k,
                };
                for (p, (&xi, &di)) in point.iter_mut().zip(x.iter().zip(&d)) {
                    *p = xi + t * di;
                }
                f(&point)
            })
            .collect()
    };
    let all_finite = |row: &Vec<T>| row.iter().all(|y| y.is_finite());
    let mut delta = delta;
    let mut rows = line(delta);
    let norm_x = x.iter().fold(T::zero(), |m, xi| m.max(xi.abs()));
    let norm_v = v.iter().fold(T::zero(), |m, vi| m.max(vi.abs()));
    let finest = T::from(16.0).unwrap_or_else(T::nan) * T::epsilon() * norm_x;
    let eighth = T::from(0.125).unwrap_or_else(T::nan);
    let centre = match side {
        Side::Across => POINTS / 2,
        Side::Ahead | Side::Behind => 0,
    };
    if all_finite(&rows[centre]) {
        while !rows.iter().all(all_finite) && delta * eighth * norm_v > finest {
            delta = delta * eighth;
            rows = line(delta);
        }
    }
    noise_of_rows(&rows)
}

/// The noise of each output from the values of `f` at `POINTS` equally spaced points,
/// one row per point. Computed in f64: in f32, squares of differences of a function of
/// size 10²⁶ overflowed, and an infinite noise made every floor infinite.
pub(crate) fn noise_of_rows<T: Float>(rows: &[Vec<T>]) -> Vec<T> {
    let outputs = rows.first().map_or(0, Vec::len);
    (0..outputs)
        .map(|k| {
            let mut values: Vec<f64> = rows
                .iter()
                .map(|row| row[k].to_f64().unwrap_or(f64::NAN))
                .collect();
            let mut sum = 0.0;
            let mut levels = 0.0;
            for level in 1..=7 {
                values = values.windows(2).map(|w| w[1] - w[0]).collect();
                if level >= 5 {
                    let count = values.len() as f64;
                    let mean_square = values.iter().map(|d| d * d).sum::<f64>() / count;
                    sum += mean_square * gamma(level);
                    levels += 1.0;
                }
            }
            T::from((sum / levels).sqrt()).unwrap_or_else(T::nan)
        })
        .collect()
}

/// `(k!)² / (2k)!`.
fn gamma(k: usize) -> f64 {
    (1..=k).fold(1.0, |g, j| g * j as f64 / (k + j) as f64)
}

/// The spacing for [`noise`] at a coordinate scale `scale` along a direction of largest
/// component `norm_v`.
pub(crate) fn spacing<T: Float>(scale: T, norm_v: T) -> T {
    T::epsilon().sqrt() * scale / norm_v
}

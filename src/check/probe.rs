//! The tape's gradient just either side of the point, along a line: its rounding noise,
//! measured on each side without crossing the point, and its one-sided limits, which
//! differ where the function has a kink at the point.
//!
//! A check that compares two gradients exact up to rounding (yours against the tape,
//! reverse against forward mode) needs both: the noise sets its tolerance, and a kink
//! makes the comparison moot (at `relu(0)` the tape's `relu′(0) = 0` is a convention,
//! and any value between the one-sided derivatives is as right). Measured across the
//! point, a kink's jump would count as noise and swamp the tolerance.

use super::checker::Checker;
use super::checker::{max_abs, reverse};
use super::noise::{noise_of_rows, POINTS};
use super::real::Real;
use super::tolerance::{ROUNDING, SAFETY};
use crate::dual::Function;

/// How many measured standard deviations of a gradient entry's rounding noise a
/// comparison of two gradients exact up to rounding allows on top of the `√N·ε` model:
/// the two carry independent noise (√2 σ for their difference), and a margin of about
/// four of those keeps a right pass from failing by chance.
pub(crate) const NOISE_SIGMAS: f64 = 6.0;

/// How many measured standard deviations of its rounding noise one gradient in `f32`
/// may carry against a reference in `f64`, far more accurate than itself: one noisy
/// side, not two, and a rounding error is bounded (a uniform rounding's largest is
/// `√3·σ`), so four cover it with margin. Six, the two-sided allowance, came to 1 % of
/// the entry near a minimum (`ŷ − y` of 10⁻⁵ rounded to f32, σ = 0.17 % of the entry)
/// and left a right gradient inconclusive (`proptest-regressions/strategies.txt`).
const OWN_NOISE_SIGMAS: f64 = 4.0;

/// What the line through the point showed about the tape's gradient.
pub(crate) struct Probe {
    /// Per entry, the limit of the gradient from the side `t < 0`.
    pub left: Vec<f64>,
    /// Per entry, the limit from the side `t > 0`.
    pub right: Vec<f64>,
    /// Per entry, the standard deviation of the gradient's rounding noise (the
    /// quieter side's: a side that crosses a nearby kink is not noise).
    pub sigma: Vec<f64>,
    /// Per entry, `|∂gᵢ/∂t|` along the line: how much the entry moves when the point
    /// moves by a rounding.
    pub slope: Vec<f64>,
    /// Per entry, whether the two limits differ beyond noise: a kink at the point.
    pub kink: Vec<bool>,
}

/// The tape's gradient of `f` at `POINTS` points on each side of `x` along `v`.
pub(crate) fn probe<T: Real>(f: &impl Function, x: &[T], v: &[T]) -> Probe {
    probe_gradient(|p: &[T]| reverse(f, p).gradient, x, v)
}

/// [`probe`] of any gradient function (a closure's tape gradient).
pub(crate) fn probe_gradient<T: Real>(
    gradient: impl Fn(&[T]) -> Vec<T>,
    x: &[T],
    v: &[T],
) -> Probe {
    let scale = x.iter().fold(T::zero(), |m, xi| m.max(xi.abs()));
    let eps = T::epsilon();
    let sixteen = T::from(16.0).unwrap_or_else(T::nan);
    // √ε·‖x‖∞ (a line that moves coordinates of 10⁻⁸ by 10⁻⁴ would measure the
    // rounding of the moved point, not of the gradient), at least 16 ulps of the largest
    // coordinate. Shrunk while the gradient is visibly curved on the line: its scale of
    // variation is the function's, not |x|'s (log-sum-exp of logits near 1000 varies on
    // a scale of 1), and noise and limits are read where it is linear below its noise.
    let floor = sixteen * eps * scale;
    let start = if scale > T::zero() { scale } else { T::one() };
    let mut delta = (eps.sqrt() * start).max(floor);
    let side = |sign: T, delta: T| -> Vec<Vec<T>> {
        (1..=POINTS)
            .map(|k| {
                let t = sign * T::from(k).unwrap_or_else(T::nan) * delta;
                let point: Vec<T> = x.iter().zip(v).map(|(&xi, &vi)| xi + t * vi).collect();
                gradient(&point)
            })
            .collect()
    };
    let curved = |rows: &[Vec<T>]| -> bool {
        let n = rows[0].len();
        (0..n).any(|i| {
            let (a, b, c): (f64, f64, f64) =
                (rows[0][i].into(), rows[1][i].into(), rows[2][i].into());
            let second = (a - 2.0 * b + c).abs();
            second > 0.01 * (a.abs() + b.abs() + c.abs())
        })
    };
    let mut right_rows = side(T::one(), delta);
    let mut left_rows = side(-T::one(), delta);
    let eighth = T::from(0.125).unwrap_or_else(T::nan);
    for _ in 0..6 {
        if !(curved(&right_rows) && curved(&left_rows)) || delta * eighth < floor {
            break;
        }
        delta = delta * eighth;
        right_rows = side(T::one(), delta);
        left_rows = side(-T::one(), delta);
    }
    let finite_or = |s: T, or: f64| {
        let s: f64 = s.into();
        if s.is_finite() {
            s
        } else {
            or
        }
    };
    let (noise_right, noise_left) = (noise_of_rows(&right_rows), noise_of_rows(&left_rows));
    let sigma: Vec<f64> = noise_right
        .iter()
        .zip(&noise_left)
        .map(|(&r, &l)| {
            let (r, l) = (finite_or(r, f64::INFINITY), finite_or(l, f64::INFINITY));
            let s = r.min(l);
            if s.is_finite() {
                s
            } else {
                0.0
            }
        })
        .collect();
    let at = |rows: &[Vec<T>], k: usize, i: usize| -> f64 { rows[k][i].into() };
    // Linear extrapolation to t = 0 from the two nearest points of each side; its error
    // is about the second difference of that side.
    let limit = |rows: &[Vec<T>], i: usize| 2.0 * at(rows, 0, i) - at(rows, 1, i);
    let curvature =
        |rows: &[Vec<T>], i: usize| (at(rows, 0, i) - 2.0 * at(rows, 1, i) + at(rows, 2, i)).abs();
    let n = right_rows.first().map_or(0, Vec::len);
    let right: Vec<f64> = (0..n).map(|i| limit(&right_rows, i)).collect();
    let left: Vec<f64> = (0..n).map(|i| limit(&left_rows, i)).collect();
    let delta64: f64 = delta.into();
    // How fast each entry changes along the line: its sensitivity to a rounding of the
    // point, which two right ways of computing it may differ by.
    let slope: Vec<f64> = (0..n)
        .map(|i| {
            let s = (at(&right_rows, 0, i) - at(&left_rows, 0, i)).abs() / (2.0 * delta64);
            if s.is_finite() {
                s
            } else {
                0.0
            }
        })
        .collect();
    let eps: f64 = eps.into();
    let row_scale = max_abs(&right_rows[0]).max(max_abs(&left_rows[0]));
    let kink = (0..n)
        .map(|i| {
            let jump = (right[i] - left[i]).abs();
            let smooth = curvature(&right_rows, i) + curvature(&left_rows, i);
            // The extrapolations carry √10·σ of noise each and about one second
            // difference of error; a jump must stand far above both, and above √ε of
            // the gradient's scale (as a finite-difference kink must).
            jump.is_finite()
                && jump > SAFETY * (4.5 * sigma[i] + smooth)
                && jump > eps.sqrt() * (row_scale + right[i].abs() + left[i].abs())
        })
        .collect();
    Probe {
        left,
        right,
        sigma,
        slope,
        kink,
    }
}

impl Checker {
    /// Per coordinate, the rounding a gradient computed in `T` may carry beyond the
    /// `√N·ε` model, when it is judged against a reference in `f64`. Two readings of
    /// the same rounding, the larger taken: the measured noise of the tape's gradient
    /// with what a rounding of the point moves it, and the gap to its twin in the other
    /// float type ([`Checker::twin_rounding`]). For `f64` the noise is the reference's
    /// own concern, and the twin alone is read.
    pub(crate) fn own_rounding<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        _nodes: usize,
    ) -> Vec<f64> {
        let twin = self.twin_rounding(f, x);
        if T::NAME == f64::NAME {
            return twin;
        }
        self.rounding_along(|p: &[T]| reverse(f, p).gradient, x)
            .iter()
            .zip(&twin)
            .map(|(&along, &twin)| f64::max(along, twin))
            .collect()
    }

    /// Per coordinate, the rounding of the tape's gradient of the generic `f` in `T`,
    /// read against its twin in the other float type: `TWIN_MARGIN` times the largest
    /// gap at points near `x` ([`twin_gap`]). In `f32` the twin is `f64`. In `f64` it is
    /// `f32`, and the gap is scaled by `ε₆₄/ε₃₂ = 2⁻²⁹`: to first order a rounding error
    /// is the unit roundoff times a factor of the computation (its conditioning), the
    /// same in either type, and `f64` has nothing wider to be read against. Near a
    /// minimum of `½(y − ŷ)²`, `y − ŷ` of 8·10⁻⁶ carries the rounding of `ŷ`, and the
    /// f64 gradient is off by 1.4·10⁻¹¹ of itself, 10⁵ times the `√N·ε` model (a false
    /// failure at 10⁵ cases, `proptest-regressions/strategies.txt`).
    ///
    /// Nothing in `f64` where the point does not fit `f32` (a coordinate beyond its range
    /// or below its normal numbers), and nothing from an entry the narrower type cannot
    /// compute.
    pub(crate) fn twin_rounding<T: Real>(&self, f: &impl Function, x: &[T]) -> Vec<f64> {
        let wide = |p: &[f64]| reverse(f, p).gradient;
        let (gap, scale) = if T::NAME == f64::NAME {
            let point: Vec<f64> = x.iter().map(|&v| v.into()).collect();
            let Some(narrow) = in_f32(&point) else {
                return Vec::new();
            };
            let gradient = |p: &[f32]| reverse(f, p).gradient;
            let direction = self.probe_direction(x.len());
            (twin_gap(&narrow, &direction, gradient, wide), F32_TO_F64)
        } else {
            let gradient = |p: &[T]| reverse(f, p).gradient;
            let direction = self.probe_direction(x.len());
            (twin_gap(x, &direction, gradient, wide), 1.0)
        };
        gap.into_iter()
            .map(|gap| TWIN_MARGIN * scale * gap)
            .collect()
    }

    /// The rounding of the generic `f`'s value in `f64` near `x`, read the same way: the
    /// largest gap between `f` in `f32` and in `f64`, scaled by `ε₆₄/ε₃₂`. The Taylor
    /// test's floor: its measured noise missed it near a minimum (see `taylor_along`).
    pub(crate) fn value_rounding_from_f32(&self, f: &impl Function, x: &[f64]) -> f64 {
        let Some(narrow) = in_f32(x) else {
            return 0.0;
        };
        let value32 = |p: &[f32]| vec![f.eval(p)];
        let value64 = |p: &[f64]| vec![f.eval(p)];
        let gap = twin_gap(&narrow, &self.probe_direction(x.len()), value32, value64);
        TWIN_MARGIN * F32_TO_F64 * gap[0]
    }

    /// Per coordinate, the measured noise of `gradient` near `x` and what a rounding of
    /// each coordinate of the point, by its own ulp, moves it (see
    /// [`Checker::own_rounding`]).
    pub(crate) fn rounding_along<T: Real>(
        &self,
        gradient: impl Fn(&[T]) -> Vec<T>,
        x: &[T],
    ) -> Vec<f64> {
        let v: Vec<T> = self.probe_direction(x.len());
        let line = probe_gradient(&gradient, x, &v);
        let eps: f64 = T::epsilon().into();
        let norm_x = max_abs(x);
        // A rounding moves each coordinate by its own ulp, `ε·|xⱼ|`, not by one of the
        // largest coordinate: what it moves entry `i` by is `ε·Σⱼ ∂gᵢ/∂xⱼ·|xⱼ|·sⱼ`, read
        // along the line `uⱼ = vⱼ·|xⱼ|/‖x‖∞` as `ε·‖x‖∞·|∂gᵢ/∂t|`. Read along `v`, every
        // coordinate was moved by an ulp of the largest: with parameters six orders apart
        // (7·10⁻⁴ and 400, `∂²f/∂x₀² = 2·10⁶`) that allowed ∂f/∂x₀ = −600 an error of
        // 4·10², and an f32 gradient off by 1 % there could only be inconclusive.
        let slope = match T::from(norm_x) {
            Some(n) if norm_x > 0.0 && norm_x.is_finite() => {
                let u: Vec<T> = v
                    .iter()
                    .zip(x)
                    .map(|(&c, &xi)| c * (xi.abs() / n))
                    .collect();
                probe_gradient(&gradient, x, &u).slope
            }
            _ => vec![0.0; line.sigma.len()],
        };
        line.sigma
            .iter()
            .zip(&slope)
            .map(|(&s, &d)| OWN_NOISE_SIGMAS * s + ROUNDING * eps * norm_x * d)
            .collect()
    }
}

/// How many times the largest gap to the `f64` twin a gradient in `T` may carry. The
/// largest of nine gaps already stands for the rounding's size (each point rounds the
/// shared factor differently), and another right computation of the same gradient
/// (yours, in another order) rounds by about as much. Two would double an allowance
/// that near a minimum is already ½ % of the entry (`ŷ − y` of 10⁻⁵ rounded to f32)
/// and leave right gradients inconclusive (`proptest-regressions/strategies.txt`).
const TWIN_MARGIN: f64 = 1.0;

/// How many points on each side of `x` [`twin_gap`] reads.
const TWIN_POINTS: usize = 4;

/// Per entry, the largest gap between a computation in `T` (`narrow`: the tape's
/// gradient, or the value, of a generic function) and the same in `f64` (`wide`), at
/// `x` and at `TWIN_POINTS` points on each side along `v`, spaced `√ε·‖x‖∞`: the
/// rounding of this very computation in `T`, read directly.
///
/// Noise read along a line misses a rounding that is smooth at the line's scale: a
/// saturated `tanh` output `ŷ ≈ −0.9993` is one f32 value over many of the line's steps,
/// so `1 − ŷ²` carries the same relative error (up to `ε/(1 − ŷ²) ≈ 9·10⁻⁵`) at every
/// point and extrapolates as signal; every coordinate that passes through it is off by
/// that much, several times the `√N·ε` model (`proptest-regressions/strategies.txt`).
/// Points a few of the line's steps apart sample that error at different roundings of
/// `ŷ`, so the largest gap stands for its size, not one lucky instance of it.
fn twin_gap<T: Real>(
    x: &[T],
    v: &[T],
    narrow: impl Fn(&[T]) -> Vec<T>,
    wide: impl Fn(&[f64]) -> Vec<f64>,
) -> Vec<f64> {
    let scale = max_abs(x);
    let start = if scale > 0.0 && scale.is_finite() {
        scale
    } else {
        1.0
    };
    let step: f64 = Into::<f64>::into(T::epsilon()).sqrt() * start;
    let mut gap: Vec<f64> = Vec::new();
    for k in -(TWIN_POINTS as i32)..=TWIN_POINTS as i32 {
        let t = T::from(f64::from(k) * step).unwrap_or_else(T::nan);
        let point: Vec<T> = x.iter().zip(v).map(|(&xi, &vi)| xi + t * vi).collect();
        let point64: Vec<f64> = point.iter().map(|&p| p.into()).collect();
        let (low, high) = (narrow(&point), wide(&point64));
        gap.resize(low.len(), 0.0);
        for ((g, &n), &e) in gap.iter_mut().zip(&low).zip(&high) {
            let d = (Into::<f64>::into(n) - e).abs();
            if d.is_finite() {
                *g = f64::max(*g, d);
            }
        }
    }
    gap
}

/// `ε₆₄/ε₃₂ = 2⁻²⁹`: a first-order rounding error read in `f32`, as it is in `f64`.
const F32_TO_F64: f64 = f64::EPSILON / f32::EPSILON as f64;

/// `x` in `f32`, if every coordinate fits: zero, or a normal `f32` (a coordinate beyond
/// its range or below its normal numbers would move the point, not round it).
fn in_f32(x: &[f64]) -> Option<Vec<f32>> {
    let fits = |v: f64| {
        v == 0.0 || (v.abs() >= f64::from(f32::MIN_POSITIVE) && v.abs() <= f64::from(f32::MAX))
    };
    // `as` rounds to nearest; every value is within range, checked first.
    x.iter()
        .all(|&v| fits(v))
        .then(|| x.iter().map(|&v| v as f32).collect())
}

//! The Taylor test: a gradient check that needs no tolerance.
//!
//! Along a direction `v`, the remainder `r(h) = |f(x + hv) − f(x) − h·s|` with the
//! claimed slope `s = ∇f·v` shrinks like `h²` when `s` is right and only like `h` when
//! it is wrong (the wrong part of the slope, `h·(s − s_true)`, is left over). Halving
//! `h` divides `r` by 4 or by 2: the observed order `log₂(r(h)/r(h/2))` says which,
//! without any threshold on the size of `r`. Only rounding limits it: below a floor of
//! a few `ε·|f|` the remainder is noise, so orders are read above it, and the report
//! states the smallest slope error the sequence could have seen.

use std::fmt;

use super::checker::{nonempty, reverse, Checker};
use super::error::{same_length, CheckError};
use super::random::SplitMix64;
use super::real::Real;
use crate::dual::Function;

/// The observed order at which a right gradient passes: between first (wrong) and
/// second (right) order.
pub const PASSING_ORDER: f64 = 1.5;

/// A remainder is read only above this many times its rounding floor.
const ABOVE_FLOOR: f64 = 10.0;

/// One step of the sequence.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TaylorStep {
    /// The step `h`.
    pub h: f64,
    /// `|f(x + hv) − f(x) − h·s|`.
    pub remainder: f64,
    /// The rounding floor of the remainder at this step.
    pub floor: f64,
    /// `log₂(r(h)/r(h/2))` when both remainders are above their floors.
    pub order: Option<f64>,
}

/// The verdict of a Taylor test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum TaylorStatus {
    /// The remainder shrinks at second order (or faster): the slope is right.
    SecondOrder,
    /// The remainder shrinks at first order: the slope along `v` is wrong.
    FirstOrder,
    /// Every remainder lies at rounding level: the slope is exact to rounding (a
    /// function linear along `v`, or one whose curvature is below the floor).
    AtRoundingFloor,
    /// Some remainders stand above the floor, but no two consecutive ones: no order
    /// could be read. Not a pass.
    Inconclusive,
    /// The function or the slope is NaN or infinite.
    NotFinite,
}

/// The Taylor test along one direction.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TaylorReport {
    /// The float type the test ran in.
    pub dtype: String,
    /// What supplied the slope.
    pub analytic_label: String,
    /// The direction `v`.
    pub direction: Vec<f64>,
    /// `f(x)`.
    pub value: f64,
    /// The claimed slope `∇f·v`.
    pub slope: f64,
    /// The steps, largest first.
    pub steps: Vec<TaylorStep>,
    /// The median of the last three orders read above the floor: the asymptotic order.
    pub observed_order: Option<f64>,
    /// The smallest error in the slope the sequence could have seen: ten rounding
    /// floors over the smallest step read, where a first-order remainder `h·δ` would
    /// still have stood out.
    pub sensitivity: f64,
    /// The verdict.
    pub status: TaylorStatus,
}

impl TaylorReport {
    /// Whether the slope passed: second order, or exact to rounding.
    pub fn passed(&self) -> bool {
        matches!(
            self.status,
            TaylorStatus::SecondOrder | TaylorStatus::AtRoundingFloor
        )
    }
}

impl fmt::Display for TaylorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.passed() { "passed" } else { "FAILED" };
        writeln!(
            f,
            "Taylor test ({}), {}: {verdict}",
            self.analytic_label, self.dtype
        )?;
        let order = self
            .observed_order
            .map_or("none".to_owned(), |o| format!("{o:.2}"));
        let reading = match self.status {
            TaylorStatus::SecondOrder => "second order: the slope along v is right".to_owned(),
            TaylorStatus::FirstOrder => "first order: the slope along v is wrong".to_owned(),
            TaylorStatus::AtRoundingFloor => {
                "every remainder at rounding level: the slope is exact to rounding".to_owned()
            }
            TaylorStatus::Inconclusive => {
                "no two consecutive remainders above the floor".to_owned()
            }
            TaylorStatus::NotFinite => "not finite".to_owned(),
        };
        writeln!(
            f,
            "  observed order {order} ({reading}; passing needs ≥ {PASSING_ORDER})"
        )?;
        writeln!(
            f,
            "  value {:.9e}, slope ∇f·v {:.9e}, sensitivity: slope errors above {:.1e} would show",
            self.value, self.slope, self.sensitivity
        )?;
        writeln!(
            f,
            "  {:>10} {:>12} {:>12} {:>7}",
            "h", "remainder", "floor", "order"
        )?;
        for s in &self.steps {
            let order = s.order.map_or("-".to_owned(), |o| format!("{o:.2}"));
            writeln!(
                f,
                "  {:>10.3e} {:>12.3e} {:>12.3e} {:>7}",
                s.h, s.remainder, s.floor, order
            )?;
        }
        Ok(())
    }
}

impl Checker {
    /// The Taylor test of the tape's gradient of `f` at `x` along a random direction
    /// (from [`Checker::seed`]).
    ///
    /// ```
    /// let f = gradproof::function!(<S> |x| (x[0] * x[1]).sin() + x[1].exp());
    /// let report = gradproof::check::Checker::default().taylor(&f, &[0.5, -1.0]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// assert!(report.observed_order.unwrap() > 1.8);
    /// ```
    pub fn taylor<T: Real>(&self, f: &impl Function, x: &[T]) -> Result<TaylorReport, CheckError> {
        nonempty(x)?;
        let rev = reverse(f, x);
        Ok(self.taylor_sequence(|p: &[T]| f.eval(p), x, &rev.gradient, "tape gradient"))
    }

    /// The Taylor test of a gradient you computed, for the plain function `f`, along a
    /// random direction.
    ///
    /// ```
    /// let f = |x: &[f64]| x[0] * x[0] * x[1];
    /// let checker = gradproof::check::Checker::default();
    /// assert!(checker.taylor_values(f, &[3.0, 2.0], &[12.0, 9.0]).unwrap().passed());
    /// let wrong = checker.taylor_values(f, &[3.0, 2.0], &[12.0, 9.5]).unwrap();
    /// assert!(!wrong.passed());
    /// assert!((wrong.observed_order.unwrap() - 1.0).abs() < 0.2);
    /// ```
    pub fn taylor_values<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        gradient: &[T],
    ) -> Result<TaylorReport, CheckError> {
        nonempty(x)?;
        same_length("the gradient", x.len(), gradient.len())?;
        Ok(self.taylor_sequence(f, x, gradient, "your gradient"))
    }

    fn taylor_sequence<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        gradient: &[T],
        label: &str,
    ) -> TaylorReport {
        let v: Vec<T> = SplitMix64::new(self.seed)
            .direction(x.len())
            .into_iter()
            .map(|c| T::from(c).unwrap_or_else(T::nan))
            .collect();
        let fx = f(x);
        let slope = gradient
            .iter()
            .zip(&v)
            .fold(T::zero(), |s, (&g, &c)| s + g * c);
        let eps: f64 = T::epsilon().into();
        let scale = x.iter().fold(T::one(), |m, xi| m.max(xi.abs()));
        // Steps from max(1, ‖x‖∞)/4 down by halves to √ε of that: far enough for a right
        // gradient's h² remainder to reach the rounding floor.
        let count = (0.5 * eps.log2().abs()).ceil() as usize + 3;
        let two = T::one() + T::one();
        let mut h = scale / (two * two);
        let mut steps: Vec<TaylorStep> = Vec::with_capacity(count);
        let mut point = vec![T::zero(); x.len()];
        for _ in 0..count {
            for (p, (&xi, &vi)) in point.iter_mut().zip(x.iter().zip(&v)) {
                *p = xi + h * vi;
            }
            let fh = f(&point);
            let remainder: f64 = (fh - fx - h * slope).abs().into();
            let (fh64, fx64, hs): (f64, f64, f64) = (fh.into(), fx.into(), (h * slope).into());
            let floor = 4.0 * eps * (fh64.abs() + fx64.abs() + hs.abs());
            steps.push(TaylorStep {
                h: h.into(),
                remainder,
                floor,
                order: None,
            });
            h = h / two;
        }
        let readable = |s: &TaylorStep| s.remainder > ABOVE_FLOOR * s.floor;
        for k in 0..steps.len().saturating_sub(1) {
            if readable(&steps[k]) && readable(&steps[k + 1]) {
                steps[k].order = Some((steps[k].remainder / steps[k + 1].remainder).log2());
            }
        }
        let mut orders: Vec<f64> = steps.iter().filter_map(|s| s.order).collect();
        let last_read = steps.iter().rev().find(|s| readable(s));
        let sensitivity = last_read
            .or(steps.last())
            .map_or(f64::INFINITY, |s| ABOVE_FLOOR * s.floor / s.h);
        let tail = orders.split_off(orders.len().saturating_sub(3));
        let observed_order = median(tail);
        let (fx64, slope64): (f64, f64) = (fx.into(), slope.into());
        let status = if !fx64.is_finite()
            || !slope64.is_finite()
            || steps.iter().any(|s| !s.remainder.is_finite())
        {
            TaylorStatus::NotFinite
        } else {
            match observed_order {
                None if last_read.is_some() => TaylorStatus::Inconclusive,
                None => TaylorStatus::AtRoundingFloor,
                Some(o) if o >= PASSING_ORDER => TaylorStatus::SecondOrder,
                Some(_) => TaylorStatus::FirstOrder,
            }
        };
        TaylorReport {
            dtype: T::NAME.to_owned(),
            analytic_label: label.to_owned(),
            direction: v.iter().map(|&c| c.into()).collect(),
            value: fx64,
            slope: slope64,
            steps,
            observed_order,
            sensitivity,
            status,
        }
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Some(v[v.len() / 2])
}

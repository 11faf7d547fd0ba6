//! The Taylor test: a gradient check that needs no tolerance.
//!
//! Along a direction `v`, the remainder `r(h) = |f(x + hv) − f(x) − h·s|` with the
//! claimed slope `s = ∇f·v` shrinks like `h²` when `s` is right and only like `h` when
//! it is wrong (the wrong part of the slope, `h·(s − s_true)`, is left over). Halving
//! `h` divides `r` by 4 or by 2: the observed order `log₂(r(h)/r(h/2))` says which,
//! without any threshold on the size of `r`. Only rounding limits it: below a floor
//! the remainder is noise, so orders are read only where both remainders stand ten
//! floors above it, and the report states the smallest slope error the sequence could
//! have seen. The floor is the larger of `ε·(|f(x + hv)| + |f(x)|)` and three times the
//! noise of `f` measured along `v` (`check::noise`): a loss that is small next to its
//! terms is far noisier than `ε·|f|`, and a floor from `|f|` alone read that noise as
//! orders near 0.
//!
//! The verdict is read from the central remainder
//! `c(h) = |f(x + hv) − f(x − hv) − 2h·s| / 2`, which shrinks like `h³` for a right slope
//! and like `h` for a wrong one. Its next term is `h⁵`, so it reaches its asymptotic
//! order at larger steps than `r(h)`, whose `h³` term often still matters where `h²`
//! should rule. In f32 that window is narrow: deciding on `r(h)` read a right gradient
//! of a random sigmoid network as "first order" about once in a few hundred points,
//! because `r(h)` had not yet settled when it reached the floor. Both orders are
//! reported; the central one decides (at least 2, halfway between 1 and 3).

use std::fmt;

use super::checker::{max_abs, nonempty, reverse, rounding, Checker};
use super::error::{same_length, CheckError};
use super::noise::{noise_beside, spacing};
use super::random::SplitMix64;
use super::real::Real;
use super::report::Verdict;
use crate::dual::Function;

/// The observed central order at which a slope passes: halfway between first (wrong)
/// and third (right) order.
pub const PASSING_ORDER: f64 = 2.0;

/// The observed one-sided order at which a slope passes where no central order could
/// be read: halfway between first and second order.
pub const PASSING_ONE_SIDED: f64 = 1.5;

/// Three successive orders within this span say the remainder has reached its
/// asymptotic order.
const SETTLED: f64 = 0.5;

/// A remainder is read only above this many times its rounding floor.
const ABOVE_FLOOR: f64 = 10.0;

/// One step of the sequence.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TaylorStep {
    /// The step `h`.
    pub h: f64,
    /// `r(h) = |f(x + hv) − f(x) − h·s|`.
    pub remainder: f64,
    /// The rounding floor of `r(h)`.
    pub floor: f64,
    /// `log₂(r(h)/r(h/2))` when both stand ten floors above the floor: about 2 for a
    /// right slope, 1 for a wrong one.
    pub order: Option<f64>,
    /// `c(h) = |f(x + hv) − f(x − hv) − 2h·s| / 2`.
    pub central_remainder: f64,
    /// The rounding floor of `c(h)`.
    pub central_floor: f64,
    /// `log₂(c(h)/c(h/2))` when both stand ten floors above the floor: about 3 for a
    /// right slope, 1 for a wrong one.
    pub central_order: Option<f64>,
}

/// The verdict of a Taylor test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum TaylorStatus {
    /// The remainders shrink at their right-slope orders: the slope is right.
    SecondOrder,
    /// The remainders shrink at first order: the slope along `v` is wrong.
    FirstOrder,
    /// Every remainder lies at rounding level: the slope is exact to rounding (a
    /// function linear along `v`, or one whose curvature is below the floor).
    AtRoundingFloor,
    /// Some remainders stand above the floor, but no two consecutive ones: no order
    /// could be read. Not a pass.
    Inconclusive,
    /// The function or the slope is NaN or infinite.
    NotFinite,
    /// The second difference `f(x + hv) − 2f(x) + f(x − hv)` shrinks like `h`, not
    /// `h²`: the function has a kink on the line. `between` says whether the claimed
    /// slope lies between the one-sided slopes. Never a pass.
    Kink {
        /// Whether the slope lies between the left and right slopes along `v`.
        between: bool,
    },
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
    /// The median of the last three orders of `r(h)` read above the floor: the
    /// asymptotic order, 2 for a right slope.
    pub observed_order: Option<f64>,
    /// The same for `c(h)`, 3 for a right slope; the verdict is read from it.
    pub observed_central_order: Option<f64>,
    /// How many random directions were tried: the test moves on to the next only when
    /// one is inconclusive.
    pub directions_tried: usize,
    /// The measured standard deviation of the rounding noise in `f` (see
    /// `check::noise`); the floors are at least a few of it.
    pub noise: f64,
    /// The smallest error in the slope the sequence could have seen: ten rounding
    /// floors over the smallest step read, where a first-order remainder `h·δ` would
    /// still have stood out.
    pub sensitivity: f64,
    /// The slope error the gradient may carry from its own rounding (an `f32` gradient
    /// tested in `f64`, or a tape gradient of a closure in its own type), added to the
    /// floors as `h·allowance`; zero otherwise.
    pub allowance: f64,
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

    /// The verdict, in the terms every report shares.
    pub fn verdict(&self) -> Verdict {
        match self.status {
            TaylorStatus::SecondOrder | TaylorStatus::AtRoundingFloor => Verdict::Passed,
            TaylorStatus::FirstOrder => Verdict::Failed,
            TaylorStatus::Inconclusive => Verdict::Inconclusive,
            TaylorStatus::NotFinite => Verdict::NotFinite,
            TaylorStatus::Kink { between } => Verdict::Kink { between },
        }
    }
}

impl fmt::Display for TaylorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = self.verdict();
        let show = |o: Option<f64>| o.map_or("-".to_owned(), |o| format!("{o:.2}"));
        writeln!(
            f,
            "Taylor test ({}), {}: {verdict}",
            self.analytic_label, self.dtype
        )?;
        let reading = match self.status {
            TaylorStatus::SecondOrder => "the slope along v is right",
            TaylorStatus::FirstOrder => "first order: the slope along v is wrong",
            TaylorStatus::AtRoundingFloor => {
                "every remainder at rounding level: the slope is exact to rounding"
            }
            TaylorStatus::Inconclusive => {
                "no two consecutive remainders above the floor, or readings at larger and \
                 smaller steps that disagree"
            }
            TaylorStatus::NotFinite => "not finite",
            TaylorStatus::Kink { .. } => "the second difference shrinks like h: a kink",
        };
        writeln!(
            f,
            "  observed order {} (one-sided r), {} (central c): {reading}",
            show(self.observed_order),
            show(self.observed_central_order)
        )?;
        writeln!(
            f,
            "  a right slope gives orders 2 and 3, a wrong one 1 and 1; the central order \
             decides once settled (≥ {PASSING_ORDER}), else the one-sided once settled \
             (≥ {PASSING_ONE_SIDED})",
        )?;
        if self.directions_tried > 1 {
            writeln!(
                f,
                "  read along direction {} of the random directions (the earlier ones did \
                 not decide)",
                self.directions_tried
            )?;
        }
        if self.allowance > 0.0 {
            writeln!(
                f,
                "  the floors include h × {:.1e}, the slope error the {} ({}) may carry from \
                 its own rounding, measured along a line",
                self.allowance, self.analytic_label, self.dtype
            )?;
        }
        // A wrong slope's own remainder sets the sensitivity the sequence computes, so
        // for a failure the report states the error it saw instead of what it could see.
        match (self.status, self.observed_slope_error()) {
            (TaylorStatus::FirstOrder, Some(error)) => writeln!(
                f,
                "  value {:.9e}, slope ∇f·v {:.9e}, measured noise of f {:.1e}; the slope is \
                 off by about {:.1e} (c(h)/h at the smallest step read)",
                self.value, self.slope, self.noise, error
            )?,
            _ => writeln!(
                f,
                "  value {:.9e}, slope ∇f·v {:.9e}, measured noise of f {:.1e}; slope errors \
                 above {:.1e} would show",
                self.value, self.slope, self.noise, self.sensitivity
            )?,
        }
        writeln!(
            f,
            "  {:>10} {:>11} {:>10} {:>6} {:>11} {:>10} {:>6}",
            "h", "r(h)", "floor", "order", "c(h)", "floor", "order"
        )?;
        for s in &self.steps {
            writeln!(
                f,
                "  {:>10.3e} {:>11.3e} {:>10.2e} {:>6} {:>11.3e} {:>10.2e} {:>6}",
                s.h,
                s.remainder,
                s.floor,
                show(s.order),
                s.central_remainder,
                s.central_floor,
                show(s.central_order)
            )?;
        }
        Ok(())
    }
}

impl Checker {
    /// The Taylor test of the tape's gradient of `f` at `x` along random directions
    /// (from [`Checker::seed`]), run in `f64` whatever `T` is (see
    /// [`Checker::taylor_of_yours`]).
    ///
    /// ```
    /// let f = gradproof::function!(<S> |x| (x[0] * x[1]).sin() + x[1].exp());
    /// let report = gradproof::check::Checker::default().taylor_of_tape(&f, &[0.5, -1.0]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// assert!(report.observed_order.unwrap() > 1.8);
    /// ```
    pub fn taylor_of_tape<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
    ) -> Result<TaylorReport, CheckError> {
        nonempty(x)?;
        let rev = reverse(f, x);
        Ok(self.generic_taylor(f, x, &rev.gradient, "tape gradient", rev.nodes, true))
    }

    /// The older name of [`Checker::taylor_of_tape`].
    #[deprecated(since = "0.2.0", note = "use `Checker::taylor_of_tape`")]
    pub fn taylor<T: Real>(&self, f: &impl Function, x: &[T]) -> Result<TaylorReport, CheckError> {
        self.taylor_of_tape(f, x)
    }

    /// The Taylor test of your gradient of the generic function `f`. The function is
    /// evaluated in `f64` whatever `T` is; an `f32` gradient is allowed its own
    /// rounding (the `√N·ε` model and the tape's measured noise), so only a slope error
    /// beyond it reads as first order, and the report's sensitivity says how small.
    ///
    /// ```
    /// let f = gradproof::function!(<S> |x| x[0] * x[0] * x[1]);
    /// let checker = gradproof::check::Checker::default();
    /// assert!(checker.taylor_of_yours(&f, &[3.0f32, 2.0], &[12.0, 9.0]).unwrap().passed());
    /// assert!(!checker.taylor_of_yours(&f, &[3.0f32, 2.0], &[12.0, 9.01]).unwrap().passed());
    /// ```
    pub fn taylor_of_yours<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        yours: &[T],
    ) -> Result<TaylorReport, CheckError> {
        nonempty(x)?;
        same_length("your gradient", x.len(), yours.len())?;
        let rev = reverse(f, x);
        Ok(self.generic_taylor(f, x, yours, "your gradient", rev.nodes, false))
    }

    /// The Taylor test of `gradient`, a gradient in `T` of the generic `f`, with `f`
    /// run in `f64`. `of_tape` says the gradient is the tape's own.
    ///
    /// An `f32` gradient is allowed its own rounding per coordinate. The tape's is
    /// measured: the probe's noise of the very computation under test, what a rounding
    /// of the point moves it, and `ROUNDING·ε·|gᵢ|` for the entry's own rounding and
    /// that of the data it was computed from. A gradient from elsewhere (yours) was not
    /// computed by the tape, so the tape's noise only stands in for its noise, and the
    /// `√N·ε·(|gᵢ| + max |g|)` model is added as well. The model must not be charged to
    /// the tape's gradient: it charges every coordinate the row's largest entry, and
    /// the slope sums it over all coordinates, so for the 18 weights of the document's
    /// network it allowed the slope 3.8·10⁻⁶ where the tape's slope was off by 4·10⁻¹⁰;
    /// on a direction of small curvature that left one central reading above the
    /// floors and the test inconclusive on all four directions
    /// (`proptest-regressions/check_smooth.txt`).
    fn generic_taylor<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        gradient: &[T],
        label: &str,
        nodes: usize,
        of_tape: bool,
    ) -> TaylorReport {
        let x64: Vec<f64> = x.iter().map(|&v| v.into()).collect();
        let g64: Vec<f64> = gradient.iter().map(|&v| v.into()).collect();
        let allowance: Vec<f64> = if T::NAME == f64::NAME {
            Vec::new()
        } else {
            let scale = max_abs(gradient);
            self.own_rounding(f, x, nodes)
                .iter()
                .zip(&g64)
                .map(|(&extra, &g)| {
                    if of_tape {
                        extra + rounding::<T>(1, g.abs())
                    } else {
                        extra + rounding::<T>(nodes, g.abs() + scale)
                    }
                })
                .collect()
        };
        let plain = |p: &[f64]| f.eval(p);
        let noise_floor = self.value_rounding_from_f32(f, &x64);
        self.taylor_sequence(plain, &x64, &g64, label, T::NAME, &allowance, noise_floor)
    }

    /// The Taylor test of your gradient of `f`, a plain function of `T` (a closure may
    /// capture data), along random directions.
    ///
    /// ```
    /// let f = |x: &[f64]| x[0] * x[0] * x[1];
    /// let checker = gradproof::check::Checker::default();
    /// assert!(checker.taylor_of_yours_of(f, &[3.0, 2.0], &[12.0, 9.0]).unwrap().passed());
    /// let wrong = checker.taylor_of_yours_of(f, &[3.0, 2.0], &[12.0, 9.5]).unwrap();
    /// assert!(!wrong.passed());
    /// assert!((wrong.observed_order.unwrap() - 1.0).abs() < 0.2);
    /// ```
    pub fn taylor_of_yours_of<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        yours: &[T],
    ) -> Result<TaylorReport, CheckError> {
        nonempty(x)?;
        same_length("your gradient", x.len(), yours.len())?;
        Ok(self.taylor_sequence(f, x, yours, "your gradient", T::NAME, &[], 0.0))
    }

    /// The older name of [`Checker::taylor_of_yours_of`].
    #[deprecated(since = "0.2.0", note = "use `Checker::taylor_of_yours_of`")]
    pub fn taylor_values<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        gradient: &[T],
    ) -> Result<TaylorReport, CheckError> {
        self.taylor_of_yours_of(f, x, gradient)
    }

    /// The test along up to [`Checker::directions`] random directions, stopping at the
    /// first that is not inconclusive: along a direction of almost no curvature, f32
    /// may leave no two remainders above the floor, and another direction decides.
    /// `allowance` is the gradient's own rounding per coordinate, `noise_floor` the
    /// least rounding noise of `f`'s value (0 where unknown).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn taylor_sequence<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        gradient: &[T],
        label: &str,
        dtype: &str,
        allowance: &[f64],
        noise_floor: f64,
    ) -> TaylorReport {
        let mut random = SplitMix64::new(self.seed);
        let mut report: Option<TaylorReport> = None;
        for tried in 1..=self.directions.max(1) {
            let v: Vec<T> = random
                .direction(x.len())
                .into_iter()
                .map(|c| T::from(c).unwrap_or_else(T::nan))
                .collect();
            let along_from = |shrink: f64| {
                self.taylor_along(
                    &f,
                    x,
                    gradient,
                    label,
                    dtype,
                    &v,
                    allowance,
                    noise_floor,
                    shrink,
                )
            };
            let mut along = along_from(1.0);
            // Steps that start at ‖x‖∞/8 can be far beyond the function's own scale
            // (`sin` at 10⁴); a first-order reading there may be the function's, not
            // the slope's. Smaller first steps must confirm it: a wrong slope reads
            // first order at any steps, its `h·δ` dominating ever more as `h` shrinks.
            // Smaller steps that read nothing above rounding contradict it only if they
            // could have seen the slope error read; if they could not, neither reading
            // stands and the direction is inconclusive: in f32 a slope 10⁻³ too large
            // for a constant shows at the first steps and is below the floor at the
            // smaller ones (which must not pass it), and `sin` at 10⁴ reads first order
            // at steps of 10³ (which must not fail it).
            for shrink in [1.0 / 64.0, 1.0 / 4096.0] {
                if along.status != TaylorStatus::FirstOrder {
                    break;
                }
                let again = along_from(shrink);
                match again.status {
                    TaylorStatus::FirstOrder | TaylorStatus::Inconclusive => {}
                    TaylorStatus::AtRoundingFloor => {
                        let contradicts = along
                            .observed_slope_error()
                            .is_none_or(|error| again.sensitivity < error);
                        along = if contradicts {
                            again
                        } else {
                            TaylorReport {
                                status: TaylorStatus::Inconclusive,
                                ..along
                            }
                        };
                        break;
                    }
                    _ => along = again,
                }
            }
            along.directions_tried = tried;
            let at_kink = matches!(
                report.as_ref().map(|r| r.status),
                Some(TaylorStatus::Kink { between: true })
            );
            match along.status {
                // Inconclusive: another direction may decide.
                TaylorStatus::Inconclusive => {
                    if report.is_none() {
                        report = Some(along);
                    }
                }
                // A slope between the one-sided slopes along one line may lie outside
                // them along another (a wrong subgradient): try the others.
                TaylorStatus::Kink { between: true } => {
                    if !at_kink {
                        report = Some(along);
                    }
                }
                // Past a kink, only evidence against the slope replaces it.
                TaylorStatus::SecondOrder | TaylorStatus::AtRoundingFloor if at_kink => {}
                _ => {
                    report = Some(along);
                    break;
                }
            }
        }
        report.expect("at least one direction is tried")
    }

    /// The test along `v`. `allowance[i]` is the error entry `i` of the claimed gradient
    /// may carry from its own rounding (nonzero for an f32 gradient tested in f64, and for
    /// the tape gradient of a closure in f32):
    /// the slope's share, `Σ allowanceᵢ·|vᵢ|`, is added to the floors as `h·allowance`,
    /// so rounding is never read as a wrong slope.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn taylor_along<T: Real>(
        &self,
        f: &impl Fn(&[T]) -> T,
        x: &[T],
        gradient: &[T],
        label: &str,
        dtype: &str,
        v: &[T],
        allowance: &[f64],
        noise_floor: f64,
        shrink: f64,
    ) -> TaylorReport {
        let v = v.to_vec();
        let allowance: f64 = allowance
            .iter()
            .zip(&v)
            .map(|(&a, &c)| a * Into::<f64>::into(c).abs())
            .sum();
        let fx = f(x);
        // The claimed slope `∇f·v`, in f64 (it only judges; f is evaluated in `T`).
        let slope64: f64 = gradient
            .iter()
            .zip(&v)
            .map(|(&g, &c)| Into::<f64>::into(g) * Into::<f64>::into(c))
            .sum();
        let eps: f64 = T::epsilon().into();
        let scale = x.iter().fold(T::one(), |m, xi| m.max(xi.abs()));
        // Steps from max(1, ‖x‖∞)/8 down by halves to √ε of that: far enough for a right
        // gradient's h² remainder to reach the rounding floor.
        let count = (0.5 * eps.log2().abs()).ceil() as usize + 3;
        let two = T::one() + T::one();
        let quarter = T::one() / (two * two);
        let mut h = scale / (two * two * two) * T::from(shrink).unwrap_or_else(T::one);
        let mut point = vec![T::zero(); x.len()];
        let fx64: f64 = fx.into();
        let mut finite = fx64.is_finite();
        let norm_v = v.iter().fold(T::zero(), |m, c| m.max(c.abs()));
        // The noise of f as measured beside x, or the rounding of its value read from its
        // f32 twin (`noise_floor`) where that is larger: measured along the line, a
        // rounding smooth at the line's scale (`y − ŷ` near a minimum) read 30 times too
        // small, and noise at the smallest steps settled as a kink's first order.
        let sigma: f64 = if norm_v > T::zero() {
            let vector = |p: &[T]| vec![f(p)];
            let measured: f64 = noise_beside(&vector, x, &v, spacing(scale, norm_v))[0].into();
            measured.max(noise_floor)
        } else {
            0.0
        };
        let g64: Vec<f64> = gradient.iter().map(|&g| g.into()).collect();
        // The steps as the type takes them: `d = fl(x + hv) − x` (exact, by Sterbenz),
        // and the points `x + d` and `x − d` (exact too, but where `x − d` crosses into a
        // binade of coarser ulps), so the two displacements are exactly opposite. The
        // claimed linear term is `±Σ gᵢ·dᵢ`, in f64. With `h·s` as the linear term, the
        // point's rounding counted as the slope's error: a step below an ulp of `x`
        // (f32 next to a domain edge) left `f(x + hv) = f(x)` and a remainder `h·|s|`,
        // read as first order however right the slope. And with `x ± hv` each rounded on
        // its own, the central remainder kept `½·(d₊ᵀHd₊ − d₋ᵀHd₋)`, first order in `h`.
        let mut minus_point = vec![T::zero(); x.len()];
        let mut at = |h: T| {
            for (p, (&xi, &vi)) in point.iter_mut().zip(x.iter().zip(&v)) {
                *p = xi + h * vi;
            }
            for (m, (&p, &xi)) in minus_point.iter_mut().zip(point.iter().zip(x)) {
                *m = xi - (p - xi);
            }
            let linear: f64 = point
                .iter()
                .zip(x)
                .zip(&g64)
                .map(|((&p, &xi), &g)| g * (Into::<f64>::into(p) - Into::<f64>::into(xi)))
                .sum();
            (f(&point), f(&minus_point), linear)
        };
        // A first step that leaves the domain (`ln`, `sqrt`, a variance) shrinks into
        // it, as the finite differences' does, and one more quarter for a margin: the
        // steps then stay where the function is defined.
        if finite {
            let mut shrunk = false;
            for _ in 0..60 {
                let (plus, minus, _) = at(h);
                if plus.is_finite() && minus.is_finite() {
                    break;
                }
                h = h * quarter;
                shrunk = true;
            }
            if shrunk {
                h = h * quarter;
            }
        }
        let mut steps: Vec<TaylorStep> = Vec::with_capacity(count);
        // The second difference `f(x + hv) − 2f(x) + f(x − hv)`: `h²·f''` where `f` is
        // smooth along v, `h·(right slope − left slope)` at a kink.
        let mut second: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(count);
        for _ in 0..count {
            let (plus, minus, up) = at(h);
            let (p64, m64, h64): (f64, f64, f64) = (plus.into(), minus.into(), h.into());
            // The signed one-sided remainders, in f64 (exact differences of f32 values).
            let (r_plus, r_minus) = ((p64 - fx64) - up, (m64 - fx64) + up);
            let remainder = r_plus.abs();
            let central = ((r_plus - r_minus) / 2.0).abs();
            finite &= remainder.is_finite() && central.is_finite();
            let slack = h64 * allowance;
            let linear = up.abs();
            steps.push(TaylorStep {
                h: h64,
                remainder,
                floor: (eps * (p64.abs() + fx64.abs())).max(3.0 * sigma) + eps * linear + slack,
                order: None,
                central_remainder: central,
                central_floor: (eps * (p64.abs() + m64.abs()) / 2.0).max(2.0 * sigma)
                    + eps * linear
                    + slack,
                central_order: None,
            });
            // The second difference `f(x + hv) − 2f(x) + f(x − hv)`, less what the
            // claimed slope gives for the two displacements' rounding (zero when they are
            // exact): `r₊ + r₋`. The one-sided slopes along v, `s + r₊/h` and `s − r₋/h`.
            let jump = r_plus + r_minus;
            let jump_floor = (eps * (p64.abs() + 2.0 * fx64.abs() + m64.abs())).max(4.0 * sigma);
            second.push((
                jump.abs(),
                jump_floor,
                slope64 + r_plus / h64,
                slope64 - r_minus / h64,
            ));
            h = h / two;
        }
        let readable = |r: f64, floor: f64| r > ABOVE_FLOOR * floor;
        // Per step `k`, the order of the second difference between steps `k` and `k + 1`
        // where both stand above their floors.
        let mut jump_orders: Vec<Option<f64>> = vec![None; steps.len()];
        for k in 0..steps.len().saturating_sub(1) {
            let (a, b) = (steps[k], steps[k + 1]);
            if readable(a.remainder, a.floor) && readable(b.remainder, b.floor) {
                steps[k].order = Some((a.remainder / b.remainder).log2());
            }
            if readable(a.central_remainder, a.central_floor)
                && readable(b.central_remainder, b.central_floor)
            {
                steps[k].central_order = Some((a.central_remainder / b.central_remainder).log2());
            }
            let (ja, jb) = (second[k], second[k + 1]);
            if readable(ja.0, ja.1) && readable(jb.0, jb.1) {
                jump_orders[k] = Some((ja.0 / jb.0).log2());
            }
        }
        // Orders outside (0.5, 4.5) are not an asymptotic order of either kind (a
        // remainder that grew as h shrank, or crossed zero): not evidence either way.
        let plausible = |o: &f64| (0.5..4.5).contains(o);
        let central = last_run(steps.iter().map(|s| s.central_order), plausible);
        let one_sided = last_run(steps.iter().map(|s| s.order), plausible);
        let tail = |orders: &[f64]| median(orders.iter().rev().take(3).copied().collect());
        let (observed_order, observed_central_order) = (tail(&one_sided), tail(&central));
        let anything_read = steps.iter().any(|s| {
            readable(s.central_remainder, s.central_floor) || readable(s.remainder, s.floor)
        });
        let sensitivity = sensitivity(&steps);
        // A second difference that shrinks at first order is a kink on the line: read
        // from every three orders in a row that settle, not only the last three
        // (`kink_window`). The slope is then judged between the one-sided slopes at the
        // smallest step of such a window, where the kink still rules the difference.
        let kink = kink_window(&jump_orders).map(|last| {
            let (_, _, right, left) = second[last];
            let step = steps[last];
            let slack = 0.05 * (right - left).abs() + ABOVE_FLOOR * step.floor / step.h;
            slope64 >= right.min(left) - slack && slope64 <= right.max(left) + slack
        });
        let status = if !finite || !slope64.is_finite() {
            TaylorStatus::NotFinite
        } else if let Some(between) = kink {
            TaylorStatus::Kink { between }
        } else {
            match decide(&central, &one_sided, anything_read) {
                // Nothing read above floors that are not finite is no evidence at all:
                // "slope errors above inf would show" is not a pass.
                TaylorStatus::AtRoundingFloor if !sensitivity.is_finite() => {
                    TaylorStatus::Inconclusive
                }
                status => status,
            }
        };
        TaylorReport {
            dtype: dtype.to_owned(),
            analytic_label: label.to_owned(),
            direction: v.iter().map(|&c| c.into()).collect(),
            value: fx64,
            slope: slope64,
            steps,
            observed_order,
            observed_central_order,
            noise: sigma,
            sensitivity,
            directions_tried: 1,
            allowance,
            status,
        }
    }
}

impl TaylorReport {
    /// For a first-order remainder, the slope error it reads as: `c(h)/h` at the
    /// smallest step whose central remainder stands ten floors above its floor (a wrong
    /// slope adds `h·δ` to `c(h)`, and at small steps that term dominates).
    pub fn observed_slope_error(&self) -> Option<f64> {
        self.steps
            .iter()
            .rev()
            .find(|s| s.central_remainder > ABOVE_FLOOR * s.central_floor)
            .map(|s| s.central_remainder / s.h)
    }
}

/// The smallest slope error `δ` the sequence could have seen. A wrong slope adds `h·δ`
/// to the central remainder; it reads as first order where, at four consecutive steps
/// (three orders), `h·δ` stands ten floors above the floor and ten times above the
/// remainder the claimed slope left there. The best such window gives `δ`.
fn sensitivity(steps: &[TaylorStep]) -> f64 {
    let need = |s: &TaylorStep| {
        (ABOVE_FLOOR * s.central_floor / s.h).max(ABOVE_FLOOR * s.central_remainder / s.h)
    };
    steps
        .windows(4)
        .map(|w| w.iter().map(need).fold(0.0, f64::max))
        .fold(f64::INFINITY, f64::min)
}

/// The verdict from the plausible orders read. A kind of remainder has settled when
/// its last three orders span less than [`SETTLED`] (or its only two agree within half
/// of it); its order is then their median (or mean). The central remainder decides when
/// it has settled (its next term is two orders away, the one-sided's only one); else the
/// one-sided when it has, unless the central's last reading says otherwise; else the
/// direction is inconclusive and the next one is tried. A wrong slope is never passed
/// for want of evidence: inconclusive is not a pass.
fn decide(central: &[f64], one_sided: &[f64], anything_read: bool) -> TaylorStatus {
    let verdict = |order: f64, passing: f64| {
        if order >= passing {
            TaylorStatus::SecondOrder
        } else {
            TaylorStatus::FirstOrder
        }
    };
    // An unsettled central remainder is weak evidence, but its last reading (at the
    // smallest step it could read) may veto the one-sided verdict.
    let weak_central = central.last().map(|&last| verdict(last, PASSING_ORDER));
    match (settled(central), settled(one_sided)) {
        (Some(c), _) => verdict(c, PASSING_ORDER),
        (None, Some(o)) => {
            let one_sided = verdict(o, PASSING_ONE_SIDED);
            match weak_central {
                Some(c) if c != one_sided => TaylorStatus::Inconclusive,
                _ => one_sided,
            }
        }
        (None, None) if anything_read => TaylorStatus::Inconclusive,
        (None, None) => TaylorStatus::AtRoundingFloor,
    }
}

/// Where the second differences say there is a kink. `orders[k]` is the order read
/// between steps `k` and `k + 1`, if both stood above their floors. Of the orders read
/// that are plausible (inside (0.5, 4.5); others are no order of either kind), every
/// three in a row that settle (as [`settled`] reads them) are evidence, not only the last
/// three read; the last such window, at the smallest steps, decides: first order (below
/// 1.5) is a kink. A kink's `h·J` rules the second difference down to the floor, so
/// later readings that do not settle (noise near the floor) do not hide it; a smooth
/// function reads second order at small steps, so a first-order window at steps beyond
/// its own scale (log-sum-exp of logits near 1000 is a kink of scale 1 seen from steps
/// of 100) is overruled by the second-order windows after it. One order alone, noisy or
/// not, makes no window. Two orders, when only two were read, count as `settled`
/// counts them. Returns the smallest step of the deciding window, where the slope is
/// judged.
fn kink_window(orders: &[Option<f64>]) -> Option<usize> {
    // Each order read, with the index of the smaller of its two steps.
    let read: Vec<(usize, f64)> = orders
        .iter()
        .enumerate()
        .filter_map(|(k, o)| o.filter(|o| (0.5..4.5).contains(o)).map(|o| (k + 1, o)))
        .collect();
    let orders_of = |w: &[(usize, f64)]| w.iter().map(|&(_, o)| o).collect::<Vec<f64>>();
    let first_order = |w: &[(usize, f64)]| settled(&orders_of(w)).is_some_and(|o| o < 1.5);
    if read.len() == 2 {
        return first_order(&read).then_some(read[1].0);
    }
    read.windows(3)
        .rfind(|w| settled(&orders_of(w)).is_some())
        .filter(|w| first_order(w))
        .map(|w| w[2].0)
}

/// The plausible orders to judge by: those of the last run of at least three
/// consecutive steps whose orders are all plausible, or, where there is no such run,
/// every plausible order read.
///
/// At the smallest steps a remainder can stand above its floor and still be rounding
/// (the floor is a model: `½(y − ŷ)²` near its minimum rounds `y − ŷ` far above
/// `ε·|f|`), and its orders are erratic (0.2, −0.9, 1.0, −0.8, 1.0, 1.0). Read as a list
/// with the implausible ones dropped, the last three were 1.0, 1.0 and 1.0 from steps
/// apart, and a right slope whose central remainder had read order 3 over thirteen
/// consecutive steps was inconclusive (f64, at 10⁵ cases). A wrong slope's `δ·h` reads
/// order 1 at consecutive steps, and makes a run of its own.
fn last_run(
    orders: impl Iterator<Item = Option<f64>>,
    plausible: impl Fn(&f64) -> bool,
) -> Vec<f64> {
    let orders: Vec<Option<f64>> = orders.map(|o| o.filter(&plausible)).collect();
    let mut end = orders.len();
    while end > 0 {
        let start = orders[..end]
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |k| k + 1);
        if end - start >= 3 {
            return orders[start..end].iter().flatten().copied().collect();
        }
        end = start.saturating_sub(1);
    }
    orders.into_iter().flatten().collect()
}

/// The median of the last three orders if they span less than [`SETTLED`], or the
/// mean of the last two if only two were read and they agree within half of it.
fn settled(orders: &[f64]) -> Option<f64> {
    match orders {
        [.., a, b, c] if a.max(*b).max(*c) - a.min(*b).min(*c) < SETTLED => {
            median(vec![*a, *b, *c])
        }
        [a, b] if (a - b).abs() < SETTLED / 2.0 => Some((a + b) / 2.0),
        _ => None,
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Some(v[v.len() / 2])
}
#[cfg(test)]
mod tests {
    use super::kink_window;

    #[test]
    fn a_kink_seen_at_earlier_steps_is_a_kink_whatever_the_last_orders_read() {
        // First order at the larger steps, then noise near the floor at the smaller: the
        // last three orders read do not settle, the earlier three do.
        let orders = [
            None,
            Some(2.0),
            Some(1.02),
            Some(0.98),
            Some(1.01),
            Some(2.9),
            Some(0.6),
            Some(3.7),
            None,
        ];
        assert_eq!(kink_window(&orders), Some(5));
        // Not a kink where the same window is second order.
        let smooth = [
            None,
            Some(2.0),
            Some(2.02),
            Some(1.98),
            Some(2.01),
            Some(2.9),
            Some(0.6),
            Some(3.7),
            None,
        ];
        assert_eq!(kink_window(&smooth), None);
    }

    #[test]
    fn one_early_noisy_order_of_a_smooth_function_is_not_a_kink() {
        let orders = [
            Some(1.0),
            Some(2.0),
            Some(2.0),
            Some(2.01),
            Some(1.99),
            None,
            None,
        ];
        assert_eq!(kink_window(&orders), None);
        // Nor first-order windows at large steps that settle at second order later (a
        // smooth function seen from beyond its own scale).
        let beyond = [
            Some(1.0),
            Some(1.02),
            Some(0.99),
            Some(1.6),
            Some(1.95),
            Some(2.0),
            Some(2.01),
        ];
        assert_eq!(kink_window(&beyond), None);
        // Nor one first-order reading among second-order ones anywhere.
        let middle = [
            Some(2.0),
            Some(2.0),
            Some(1.0),
            Some(2.01),
            Some(1.99),
            None,
            None,
        ];
        assert_eq!(kink_window(&middle), None);
    }

    #[test]
    fn two_consecutive_orders_that_agree_are_a_kink_when_they_are_all_that_was_read() {
        assert_eq!(
            kink_window(&[None, Some(1.0), Some(1.05), None, None]),
            Some(3)
        );
        assert_eq!(kink_window(&[None, Some(1.0), Some(1.4), None, None]), None);
    }
}

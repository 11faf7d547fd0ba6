//! Richardson extrapolation of difference quotients (Ridders' method): derivatives
//! accurate far beyond a single stencil, each with an estimate of its own error.
//!
//! A difference quotient `D(h)` has an error series in powers of `h` (`h², h⁴, …` for a
//! central difference, `h, h², …` for a one-sided one). Taking `D` at the steps
//! `h₀, h₀/r, h₀/r², …` and eliminating those powers one after another in a Neville
//! tableau leaves the derivative; how much successive eliminations still change the
//! value is the error estimate. Working from large steps down keeps rounding small
//! (`ε·|f|/h` with `h` near `h₀`) while the eliminations remove truncation.
//!
//! Two things make the estimate honest enough to build a pass/fail rule on:
//!
//! - alongside each tableau entry a bound on its rounding error is carried, propagated
//!   through the same eliminations, so an [`Estimate`] states both the truncation the
//!   tableau measured and the rounding the arithmetic allows; the rounding of `f` itself
//!   is measured along the coordinate (Moré and Wild's noise estimate, 13 evaluations),
//!   not assumed to be one ulp;
//! - the tableau runs twice, from a large first step and from one 64 times smaller. The
//!   run with the smaller bound gives the value; if the runs disagree by more than that
//!   bound, the disagreement becomes the error. A single tableau's estimate is the
//!   smallest of many differences and can be lucky; two runs over different steps are
//!   rarely lucky together. (Measured on sigmoid networks and compositions of `sin`,
//!   `exp`, `ln`, `tanh` at random points, a single run's true error exceeded its own
//!   estimate up to 22-fold; reconciled, about 3-fold at worst over tens of thousands;
//!   see `tests/check_finite_difference.rs`);
//! - a run stops where higher orders stop helping, but only if rounding can explain why:
//!   an entry whose two parents agree with it by luck (the error of the entries below it
//!   stationary in `h`) has a tiny estimate and a large error, and the next diagonal
//!   entry moving far beyond the rounding bounds is the sign. Such a move raises the best
//!   entry's error to the move and the run goes on. (Stopping on it, as Ridders' method
//!   does, left about one reference in 10⁵–10⁶ of network gradients 5–10× off its
//!   bound; now the worst of 10⁷ is 4.9×, `tests/check_richardson_tail.rs`.)

use num_traits::Float;

use super::noise::{noise, spacing};
use super::stencil::transpose;

/// A derivative estimated from function values, with what is known of its error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate<T> {
    /// The extrapolated derivative.
    pub value: T,
    /// The estimated truncation error: how far the chosen tableau entry lies from the
    /// entries it was built from, or how far two runs disagree. Infinite when no
    /// entry could be formed.
    pub error: T,
    /// A bound on the rounding error of the chosen entry: `ε·|f|/h` for each difference
    /// quotient, propagated through the extrapolation's weights.
    pub rounding: T,
    /// The smallest step behind the chosen entry.
    pub step: T,
}

impl<T: Float> Estimate<T> {
    /// `error + rounding`: the total error the estimate admits to.
    pub fn bound(&self) -> T {
        self.error + self.rounding
    }

    /// The more trustworthy of two estimates of the same number (the smaller bound),
    /// with its error raised to their disagreement when they disagree beyond it. (Only
    /// raising it when the two intervals `value ± bound` do not overlap was tried: the
    /// true error then exceeded the bound 12-fold in f32 about once in 10⁵ derivatives.)
    fn reconcile(self, other: Self) -> Self {
        let (best, worse) = if other.bound() < self.bound() || self.bound().is_nan() {
            (other, self)
        } else {
            (self, other)
        };
        let disagreement = (best.value - worse.value).abs();
        if disagreement > best.bound() && worse.bound().is_finite() {
            Estimate {
                error: disagreement,
                ..best
            }
        } else {
            best
        }
    }
}

/// Everything finite differences tell about one partial derivative: the central
/// extrapolation, which is the derivative where one exists; the two one-sided
/// extrapolations; and the jump between them, which is zero where `f` is smooth and the
/// size of the kink where it is not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Differences<T> {
    /// From `(f(x + h) − f(x − h)) / 2h`.
    pub central: Estimate<T>,
    /// From `(f(x + h) − f(x)) / h`: the right derivative.
    pub forward: Estimate<T>,
    /// From `(f(x) − f(x − h)) / h`: the left derivative.
    pub backward: Estimate<T>,
    /// From `(f(x + h) − 2f(x) + f(x − h)) / h`, the forward minus the backward
    /// quotient: `h·f''(x) + O(h³)` where `f` is smooth, so it extrapolates to 0 there
    /// (with few, well-conditioned eliminations), and to the jump of the derivative at a
    /// kink.
    pub jump: Estimate<T>,
}

/// The powers of `h` in a quotient's error series: `first, first + increment, …`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Powers {
    /// The leading power.
    pub first: i32,
    /// The distance between successive powers.
    pub increment: i32,
}

impl Powers {
    /// A central difference: `h², h⁴, h⁶, …`.
    pub const CENTRAL: Powers = Powers {
        first: 2,
        increment: 2,
    };
    /// A one-sided difference: `h, h², h³, …`.
    pub const ONE_SIDED: Powers = Powers {
        first: 1,
        increment: 1,
    };
    /// The forward minus the backward quotient at one step: `h, h³, h⁵, …`.
    pub const JUMP: Powers = Powers {
        first: 1,
        increment: 2,
    };
}

/// The settings of the extrapolation. The defaults are those of Ridders' method as
/// Numerical Recipes gives it (step ratio 1.4, ten levels, stop once the error grows to
/// twice the best), with first steps of `max(1, |x|)/8` and `max(1, |x|)/512`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Richardson {
    /// The first step of each run, in units of the coordinate's scale `max(1, |x|)`.
    pub first_steps: [f64; 2],
    /// The ratio between successive steps.
    pub ratio: f64,
    /// The number of steps (tableau rows) of each run.
    pub levels: usize,
    /// A run stops when its last diagonal moves by more than `safe` times the best
    /// error so far and by no more than the two entries' rounding bounds: higher orders
    /// have stopped helping. (A larger move is truncation the best entry had not seen.)
    pub safe: f64,
}

impl Default for Richardson {
    fn default() -> Self {
        Richardson {
            first_steps: [0.125, 0.125 / 64.0],
            ratio: 1.4,
            levels: 10,
            safe: 2.0,
        }
    }
}

/// How many pairs of runs beyond the first the steps may move down by 64 when two runs
/// disagree or leave a bound large against the derivative.
const MORE_RUNS: usize = 3;

/// The larger central bound of two runs.
fn pair_bound<T: Float>(a: &Differences<T>, b: &Differences<T>) -> T {
    a.central.bound().max(b.central.bound())
}

/// The difference quotients at one step, per output, each with its rounding bound.
struct Level<T> {
    step: T,
    central: Vec<(T, T)>,
    forward: Vec<(T, T)>,
    backward: Vec<(T, T)>,
    jump: Vec<(T, T)>,
}

impl Richardson {
    /// The derivative of `f` in coordinate `i` at `x`, from central differences.
    ///
    /// ```
    /// use gradproof::check::Richardson;
    ///
    /// let f = |x: &[f64]| x[0].sin() * x[1];
    /// let d = Richardson::default().derivative(f, &[0.5, 2.0], 0);
    /// assert!((d.value - 2.0 * 0.5_f64.cos()).abs() <= d.bound());
    /// assert!(d.bound() < 1e-10);
    /// ```
    ///
    /// # Panics
    ///
    /// If `i` is out of range for `x`.
    pub fn derivative<T: Float>(&self, f: impl Fn(&[T]) -> T, x: &[T], i: usize) -> Estimate<T> {
        let f = |p: &[T]| vec![f(p)];
        let fx = f(x);
        self.differences(f, x, &fx, i)[0].central
    }

    /// The gradient of `f` at `x`, one [`Estimate`] per coordinate.
    pub fn gradient<T: Float>(&self, f: impl Fn(&[T]) -> T, x: &[T]) -> Vec<Estimate<T>> {
        let f = |p: &[T]| vec![f(p)];
        let fx = f(x);
        (0..x.len())
            .map(|i| self.differences(f, x, &fx, i)[0].central)
            .collect()
    }

    /// The Jacobian of a vector function at `x`, one row per output.
    pub fn jacobian<T: Float>(&self, f: impl Fn(&[T]) -> Vec<T>, x: &[T]) -> Vec<Vec<Estimate<T>>> {
        let fx = f(x);
        let columns: Vec<Vec<Estimate<T>>> = (0..x.len())
            .map(|i| {
                self.differences(&f, x, &fx, i)
                    .into_iter()
                    .map(|d| d.central)
                    .collect()
            })
            .collect();
        transpose(&columns, || fx.len())
    }

    /// The derivative of every output of `f` along `v` at `x`: the derivative of
    /// `t ↦ f(x + t·v)` at `t = 0`, with steps scaled by `max(1, ‖x‖∞) / ‖v‖∞`.
    ///
    /// # Panics
    ///
    /// If `v` and `x` differ in length.
    pub fn directional<T: Float>(
        &self,
        f: impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        v: &[T],
    ) -> Vec<Differences<T>> {
        assert_eq!(
            x.len(),
            v.len(),
            "a direction needs one component per coordinate"
        );
        let norm_x = x.iter().fold(T::one(), |m, xi| m.max(xi.abs()));
        let norm_v = v.iter().fold(T::zero(), |m, vi| m.max(vi.abs()));
        let scale = if norm_v > T::zero() {
            norm_x / norm_v
        } else {
            T::one()
        };
        let along = |t: &[T]| {
            let point: Vec<T> = x.iter().zip(v).map(|(&xi, &vi)| xi + t[0] * vi).collect();
            f(&point)
        };
        let fx = f(x);
        self.run_twice(&along, &[T::zero()], &fx, 0, scale)
    }

    /// Central and one-sided extrapolations and the jump, for every output of `f` in
    /// coordinate `i`, given `fx = f(x)` (shared by all coordinates).
    ///
    /// # Panics
    ///
    /// If `i` is out of range for `x`.
    pub fn differences<T: Float>(
        &self,
        f: impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        fx: &[T],
        i: usize,
    ) -> Vec<Differences<T>> {
        let scale = x[i].abs().max(T::one());
        self.run_twice(&f, x, fx, i, scale)
    }

    fn run_twice<T: Float>(
        &self,
        f: &impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        fx: &[T],
        i: usize,
        scale: T,
    ) -> Vec<Differences<T>> {
        let mut unit = vec![T::zero(); x.len()];
        unit[i] = T::one();
        let sigma = noise(f, x, &unit, spacing(scale, T::one()));
        let outputs = fx.len();
        let sixty_fourth = T::from(1.0 / 64.0).unwrap_or_else(T::nan);
        let target = T::epsilon().sqrt();
        // A derivative's natural size where it is zero: |f| over the coordinate's scale.
        let natural = fx.iter().fold(T::zero(), |m, y| m.max(y.abs())) / scale;
        let first = T::from(self.first_steps[0]).unwrap_or_else(T::nan) * scale;
        let second = T::from(self.first_steps[1]).unwrap_or_else(T::nan) * scale;
        let mut previous = self.run(f, x, fx, i, first, &sigma);
        let mut h = second;
        let mut best: Vec<Differences<T>> = Vec::new();
        // Two runs whose values agree within their bounds, each bound small against the
        // value, settle the derivative. Where they do not (a first step far beyond the
        // function's own scale: `exp(50x)`, `sin` at 10⁴, logits near 1000), the steps
        // move down by 64 and the next pair is tried, and the best pair is kept: the
        // steps come from the function's scale, not from |x| alone.
        for _ in 0..MORE_RUNS + 1 {
            let next = self.run(f, x, fx, i, h, &sigma);
            let pair: Vec<Differences<T>> = previous
                .iter()
                .zip(&next)
                .map(|(a, b)| Differences {
                    central: a.central.reconcile(b.central),
                    forward: a.forward.reconcile(b.forward),
                    backward: a.backward.reconcile(b.backward),
                    jump: a.jump.reconcile(b.jump),
                })
                .collect();
            let settled = previous.iter().zip(&next).all(|(a, b)| {
                let agree = (a.central.value - b.central.value).abs()
                    <= a.central.bound().max(b.central.bound());
                let size = a
                    .central
                    .value
                    .abs()
                    .max(b.central.value.abs())
                    .max(natural);
                agree && pair_bound(a, b) <= target * size
            });
            if best.is_empty() {
                best = pair;
            } else {
                for (kept, new) in best.iter_mut().zip(pair) {
                    if new.central.bound() < kept.central.bound() {
                        *kept = new;
                    }
                }
            }
            if settled || outputs == 0 {
                break;
            }
            previous = next;
            h = h * sixty_fourth;
        }
        best
    }

    fn run<T: Float>(
        &self,
        f: &impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        fx: &[T],
        i: usize,
        first: T,
        sigma: &[T],
    ) -> Vec<Differences<T>> {
        let levels = self.levels(f, x, fx, i, first, sigma);
        let ratio = T::from(self.ratio).unwrap_or_else(T::nan);
        let safe = T::from(self.safe).unwrap_or_else(T::nan);
        (0..fx.len())
            .map(|k| {
                let pick = |side: fn(&Level<T>) -> &Vec<(T, T)>| -> Vec<(T, T, T)> {
                    levels
                        .iter()
                        .map(|level| {
                            let (value, noise) = side(level)[k];
                            (value, noise, level.step)
                        })
                        .collect()
                };
                Differences {
                    central: extrapolate(&pick(|l| &l.central), ratio, Powers::CENTRAL, safe),
                    forward: extrapolate(&pick(|l| &l.forward), ratio, Powers::ONE_SIDED, safe),
                    backward: extrapolate(&pick(|l| &l.backward), ratio, Powers::ONE_SIDED, safe),
                    jump: extrapolate(&pick(|l| &l.jump), ratio, Powers::JUMP, safe),
                }
            })
            .collect()
    }

    /// Evaluates the difference quotients at every step. The first step shrinks (by 4,
    /// up to 40 times) while `f(x ± h)` is not finite but `f(x)` is, so a function with
    /// a nearby edge of its domain (`ln`, `sqrt`) is differentiated inside it.
    fn levels<T: Float>(
        &self,
        f: &impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        fx: &[T],
        i: usize,
        first: T,
        sigma: &[T],
    ) -> Vec<Level<T>> {
        let eps = T::epsilon();
        let ratio = T::from(self.ratio).unwrap_or_else(T::nan);
        let quarter = T::from(0.25).unwrap_or_else(T::nan);
        let mut h = first;
        let mut point = x.to_vec();
        let mut eval = |at: T| {
            point[i] = at;
            f(&point)
        };
        let all_finite = |v: &[T]| v.iter().all(|y| y.is_finite());
        if all_finite(fx) {
            for _ in 0..40 {
                if all_finite(&eval(x[i] + h)) && all_finite(&eval(x[i] - h)) {
                    break;
                }
                h = h * quarter;
            }
        }
        let two = T::one() + T::one();
        // The rounding of `a − b`: one ulp of each, or twice the measured noise of `f`,
        // whichever is larger; then the quotient's own rounding.
        let quotient = |a: T, b: T, step: T, sigma: T| {
            let value = (a - b) / step;
            let difference = (eps * (a.abs() + b.abs())).max(two * sigma);
            (value, difference / step + eps * value.abs())
        };
        let mut levels = Vec::with_capacity(self.levels);
        for _ in 0..self.levels {
            let plus = x[i] + h;
            let minus = x[i] - h;
            let f_plus = eval(plus);
            let f_minus = eval(minus);
            let (up, down) = (plus - x[i], x[i] - minus);
            let mut level = Level {
                step: h,
                central: Vec::with_capacity(fx.len()),
                forward: Vec::with_capacity(fx.len()),
                backward: Vec::with_capacity(fx.len()),
                jump: Vec::with_capacity(fx.len()),
            };
            for k in 0..fx.len() {
                let s = sigma.get(k).copied().unwrap_or_else(T::zero);
                let forward = quotient(f_plus[k], fx[k], up, s);
                let backward = quotient(fx[k], f_minus[k], down, s);
                level
                    .central
                    .push(quotient(f_plus[k], f_minus[k], plus - minus, s));
                level.forward.push(forward);
                level.backward.push(backward);
                level
                    .jump
                    .push((forward.0 - backward.0, forward.1 + backward.1));
            }
            levels.push(level);
            h = h / ratio;
        }
        levels
    }
}

/// Ridders' tableau over `(quotient, rounding bound, step)` triples at steps falling by
/// `ratio`, for quotients whose error series has the given [`Powers`].
///
/// Entry `(i, j)` eliminates the first `j` error terms from the quotients of steps
/// `i − j … i`; its error estimate is the larger distance to the two entries of order
/// `j − 1` it was built from. The entry with the smallest estimate is the answer, its
/// estimate raised to any later diagonal move beyond `safe` times it that rounding cannot
/// explain; a move that rounding can explain ends the tableau. Rounding bounds propagate
/// with the absolute values of the elimination weights.
pub fn extrapolate<T: Float>(
    levels: &[(T, T, T)],
    ratio: T,
    powers: Powers,
    safe: T,
) -> Estimate<T> {
    let mut best = Estimate {
        value: levels.first().map_or_else(T::nan, |l| l.0),
        error: T::infinity(),
        rounding: levels.first().map_or_else(T::nan, |l| l.1),
        step: levels.first().map_or_else(T::nan, |l| l.2),
    };
    let mut previous: Vec<(T, T)> = Vec::new();
    for (i, &(value, noise, step)) in levels.iter().enumerate() {
        let mut current: Vec<(T, T)> = Vec::with_capacity(i + 1);
        current.push((value, noise));
        for j in 1..=i {
            let power = powers.first + (j as i32 - 1) * powers.increment;
            let fac = ratio.powi(power);
            let (a, na) = current[j - 1];
            let (b, nb) = previous[j - 1];
            let entry = (
                (fac * a - b) / (fac - T::one()),
                (fac * na + nb) / (fac - T::one()),
            );
            let error = (entry.0 - a).abs().max((entry.0 - b).abs());
            if error <= best.error {
                best = Estimate {
                    value: entry.0,
                    error,
                    rounding: entry.1,
                    step,
                };
            }
            current.push(entry);
        }
        if i > 0 {
            // The diagonal's move: rounding taking over (stop), or truncation that the
            // best entry's parents agreed on by luck (its error is at least the move).
            let moved = (current[i].0 - previous[i - 1].0).abs();
            if moved >= safe * best.error {
                if moved <= current[i].1 + previous[i - 1].1 {
                    break;
                }
                best.error = best.error.max(moved);
            }
        }
        previous = current;
    }
    best
}

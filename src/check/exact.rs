//! Comparisons of values that are exact up to rounding: a hand-written backward pass
//! against the tape, reverse against forward mode, an update step against `w − η∇L`.
//! No truncation error enters; the tolerance is the rounding model alone, so these
//! checks are far stricter than finite differences (a relative error of 1e-4 is
//! hundreds of ulps even in f32).

use super::checker::{describe_rounding, max_abs, nonempty, reverse, rounding, Checker};
use super::error::{same_length, CheckError};
use super::probe::{probe, NOISE_SIGMAS};
use super::random::SplitMix64;
use super::real::Real;
use super::report::{CheckKind, Entry, Position, Report, Status};
use super::tolerance::ROUNDING;
use crate::dual::{directional, jvp, Function, VectorFunction};
use crate::tape::Tape;

impl Checker {
    /// Your gradient of `f` at `x` (a hand-written backward pass's output, one entry per
    /// coordinate) against the tape's, per coordinate, to rounding. Where the tape's
    /// gradient jumps at the point (a kink), the entry is a kink, judged between the
    /// one-sided limits.
    ///
    /// ```
    /// use gradproof::check::{Checker, Position};
    ///
    /// // f = x₀²·x₁, with a backward pass that forgot the factor 2.
    /// let f = gradproof::function!(<S> |x| x[0] * x[0] * x[1]);
    /// let x = [3.0, 2.0];
    /// let wrong = vec![x[0] * x[1], x[0] * x[0]];
    /// let report = Checker::default().yours_vs_tape(&f, &x, &wrong).unwrap();
    /// assert!(!report.passed());
    /// assert_eq!(report.worst().unwrap().position, Position::Coordinate(0));
    /// ```
    pub fn yours_vs_tape<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        yours: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        let rev = reverse(f, x);
        same_length("your gradient", x.len(), yours.len())?;
        let scale = max_abs(&rev.gradient);
        let line = probe(f, x, &self.probe_direction(x.len()));
        let eps: f64 = T::epsilon().into();
        let norm_x = max_abs(x);
        let value_finite = Into::<f64>::into(rev.value).is_finite();
        // The tape gradient's own rounding, read against its twin in the other type
        // (`twin_rounding`): a rounding smooth at the line's scale, which the noise
        // misses (`y − ŷ` near a minimum, rounded differently by your code and the
        // tape, put the same 4·10⁻¹⁴ into every entry, over 6σ; found at 10⁵ cases).
        // Yours carries about as much again: twice it bounds the two apart.
        let own = self.twin_rounding(f, x);
        let entries = yours
            .iter()
            .zip(&rev.gradient)
            .enumerate()
            .map(|(i, (&a, &r))| {
                let (a64, r64): (f64, f64) = (a.into(), r.into());
                // Two right ways of computing an entry differ by their rounding, by the
                // measured noise, and by what a rounding of the point moves it.
                let measured = (NOISE_SIGMAS * line.sigma[i]
                    + ROUNDING * eps * norm_x * line.slope[i])
                    .max(2.0 * own.get(i).copied().unwrap_or(0.0));
                let model = rounding::<T>(rev.nodes, a64.abs() + r64.abs() + scale) + measured;
                let entry = self.exact_entry(Position::Coordinate(i), a, r, model);
                if !value_finite {
                    return Entry {
                        status: Status::NotFinite,
                        ..entry
                    };
                }
                if entry.status == Status::NotFinite || !line.kink[i] {
                    return entry;
                }
                let (left, right) = (line.left[i], line.right[i]);
                let analytic_between =
                    a64 >= left.min(right) - model && a64 <= left.max(right) + model;
                Entry {
                    status: Status::Kink {
                        left,
                        right,
                        analytic_between,
                    },
                    ..entry
                }
            })
            .collect();
        let model = format!(
            "{} + the larger of {NOISE_SIGMAS}·σ + {ROUNDING}·ε·‖x‖∞·|∂g/∂t| and twice the tape \
             gradient's rounding read against its twin in the other float type; σ the \
             measured noise of each tape gradient entry, ∂g/∂t its rate of change along a \
             random line",
            describe_rounding::<T>(rev.nodes, "|yours| + |tape| + max |tape gradient|")
        );
        Ok(Report::new(
            CheckKind::Backward,
            "your gradient",
            "tape gradient",
            T::NAME,
            Some(rev.value.into()),
            self.tolerance.describe(&model),
            entries,
        ))
    }

    /// The older form of [`Checker::yours_vs_tape`], with your gradient as a function,
    /// called once at `x`.
    #[deprecated(
        since = "0.2.0",
        note = "use `Checker::yours_vs_tape(f, x, &gradient(x))`"
    )]
    pub fn backward<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        gradient: impl Fn(&[T]) -> Vec<T>,
    ) -> Result<Report, CheckError> {
        self.yours_vs_tape(f, x, &gradient(x))
    }

    /// Reverse mode against forward mode along [`Checker::directions`] random
    /// directions: `v·∇f` from one tape sweep must equal `∇f·v` from one dual-number
    /// evaluation, up to rounding. Both come from the same rule table, so a
    /// disagreement points at a number type's implementation (a custom [`Scalar`]
    /// method, an op the tape records wrongly), not at calculus.
    ///
    /// [`Scalar`]: crate::Scalar
    pub fn forward_vs_reverse<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        if self.directions == 0 {
            return Err(CheckError::Parameter("the number of directions"));
        }
        let rev = reverse(f, x);
        let value_finite = Into::<f64>::into(rev.value).is_finite();
        let mut random = SplitMix64::new(self.seed);
        let entries = (0..self.directions)
            .map(|k| {
                let v: Vec<T> = random
                    .direction(x.len())
                    .into_iter()
                    .map(|c| T::from(c).unwrap_or_else(T::nan))
                    .collect();
                let (_, forward) = directional(f, x, &v);
                let products = rev.gradient.iter().zip(&v).map(|(&g, &c)| g * c);
                let reverse_dot = products.clone().fold(T::zero(), |s, p| s + p);
                let scale: f64 = products.map(|p| Into::<f64>::into(p).abs()).sum();
                let (a64, r64): (f64, f64) = (reverse_dot.into(), forward.into());
                let model = rounding::<T>(rev.nodes, a64.abs() + r64.abs() + scale);
                let entry = self.exact_entry(Position::Direction(k), reverse_dot, forward, model);
                if !value_finite {
                    return Entry {
                        status: Status::NotFinite,
                        ..entry
                    };
                }
                if entry.status == Status::NotFinite {
                    return entry;
                }
                // Both modes apply the same rule at a kink; agreeing there proves
                // nothing about the derivative, so a kink along v is reported as one.
                let line = probe(f, x, &v);
                let along = |g: &[f64]| -> f64 {
                    g.iter()
                        .zip(&v)
                        .map(|(&gi, &vi)| gi * Into::<f64>::into(vi))
                        .sum()
                };
                if !line.kink.iter().any(|&k| k) {
                    return entry;
                }
                let (left, right) = (along(&line.left), along(&line.right));
                let sigma: f64 = line
                    .sigma
                    .iter()
                    .zip(&v)
                    .map(|(&s, &vi)| s * Into::<f64>::into(vi).abs())
                    .sum();
                let slack = model + NOISE_SIGMAS * sigma;
                let eps: f64 = T::epsilon().into();
                if (right - left).abs() <= slack + eps.sqrt() * scale {
                    return entry;
                }
                Entry {
                    status: Status::Kink {
                        left,
                        right,
                        analytic_between: a64 >= left.min(right) - slack
                            && a64 <= left.max(right) + slack,
                    },
                    ..entry
                }
            })
            .collect();
        let model = describe_rounding::<T>(rev.nodes, "|v·∇f| + |∇f·v| + Σ|vᵢ·∂ᵢf|");
        Ok(Report::new(
            CheckKind::ForwardReverse,
            "reverse mode v·∇f",
            "forward mode ∇f·v",
            T::NAME,
            Some(rev.value.into()),
            self.tolerance.describe(&model),
            entries,
        ))
    }

    /// The older name of [`Checker::forward_vs_reverse`].
    #[deprecated(since = "0.2.0", note = "use `Checker::forward_vs_reverse`")]
    pub fn forward_reverse<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
    ) -> Result<Report, CheckError> {
        self.forward_vs_reverse(f, x)
    }

    /// Reverse against forward mode for a vector function, along random pairs of an
    /// input direction `v` and an output weighting `u`: `(uᵀJ)·v` from one weighted
    /// reverse sweep (a vector-Jacobian product) must equal `uᵀ(J·v)` from one
    /// dual-number evaluation (a Jacobian-vector product), up to rounding.
    ///
    /// ```
    /// let f = gradproof::vector_function!(<S> |x| vec![x[0] * x[1], x[1].exp(), x[0].sin()]);
    /// let report = gradproof::check::Checker::default().forward_reverse_vector(&f, &[0.3, 0.7]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn forward_reverse_vector<T: Real>(
        &self,
        f: &impl VectorFunction,
        x: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        if self.directions == 0 {
            return Err(CheckError::Parameter("the number of directions"));
        }
        let tape = Tape::new();
        let vars = tape.vars(x);
        let outputs = f.eval(&vars);
        let mut random = SplitMix64::new(self.seed);
        let mut draw = |n: usize| -> Vec<T> {
            random
                .direction(n)
                .into_iter()
                .map(|c| T::from(c).unwrap_or_else(T::nan))
                .collect()
        };
        let entries = (0..self.directions)
            .map(|k| {
                let v = draw(x.len());
                let u = draw(outputs.len());
                let seeds: Vec<_> = outputs.iter().copied().zip(u.iter().copied()).collect();
                let u_j = tape.vjp(&seeds).wrt_all(&vars);
                let (_, j_v) = jvp(f, x, &v);
                let dot = |a: &[T], b: &[T]| -> (T, f64) {
                    a.iter().zip(b).fold((T::zero(), 0.0), |(s, m), (&p, &q)| {
                        (s + p * q, m + Into::<f64>::into(p * q).abs())
                    })
                };
                let (reverse, scale_r) = dot(&u_j, &v);
                let (forward, scale_f) = dot(&u, &j_v);
                let (a64, r64): (f64, f64) = (reverse.into(), forward.into());
                let model = rounding::<T>(tape.len(), a64.abs() + r64.abs() + scale_r + scale_f);
                self.exact_entry(Position::Direction(k), reverse, forward, model)
            })
            .collect();
        let model = describe_rounding::<T>(
            tape.len(),
            "|(uᵀJ)·v| + |uᵀ(Jv)| + Σ|(uᵀJ)ᵢvᵢ| + Σ|uₖ(Jv)ₖ|",
        );
        Ok(Report::new(
            CheckKind::ForwardReverse,
            "reverse mode (uᵀJ)·v",
            "forward mode uᵀ(Jv)",
            T::NAME,
            None,
            self.tolerance.describe(&model),
            entries,
        ))
    }

    /// One gradient-descent step: your updated weights against `w − η·∇L(w)` with the
    /// tape's gradient, per weight.
    ///
    /// ```
    /// use gradproof::check::Checker;
    ///
    /// let loss = gradproof::function!(<S> |w| w[0] * w[0] + w[1]);
    /// let w = [1.0, 2.0];
    /// let report = Checker::default().update(&loss, &w, 0.1, &[0.8, 1.9]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn update<T: Real>(
        &self,
        loss: &impl Function,
        weights: &[T],
        learning_rate: T,
        updated: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(weights)?;
        if !learning_rate.is_finite() {
            return Err(CheckError::Parameter("the learning rate η"));
        }
        same_length("the updated weights", weights.len(), updated.len())?;
        let rev = reverse(loss, weights);
        let value_finite = rev.value.is_finite();
        let eta: f64 = learning_rate.into();
        let scale = max_abs(&rev.gradient);
        let eps: f64 = T::epsilon().into();
        let entries = (0..weights.len())
            .map(|i| {
                let expected = weights[i] - learning_rate * rev.gradient[i];
                let (w, e, u, g): (f64, f64, f64, f64) = (
                    weights[i].into(),
                    expected.into(),
                    updated[i].into(),
                    rev.gradient[i].into(),
                );
                let model = super::tolerance::ROUNDING * eps * (w.abs() + e.abs() + u.abs())
                    + eta.abs() * rounding::<T>(rev.nodes, g.abs() + scale);
                let entry = self.exact_entry(Position::Coordinate(i), updated[i], expected, model);
                // A step from a NaN or infinite loss is no step: whatever the weights,
                // the update is not finite (a finite gradient at a NaN loss is an
                // accident of the rules, `relu′` of a NaN is 0).
                if value_finite {
                    entry
                } else {
                    Entry::new(entry.position, u, e, model, model, Status::NotFinite)
                }
            })
            .collect();
        let model = format!(
            "4·ε·(|w| + |w − η∇L| + |yours|) + |η|·{}",
            describe_rounding::<T>(rev.nodes, "|∂L/∂w| + max |∇L|")
        );
        Ok(Report::new(
            CheckKind::Update,
            "your update",
            "w − η∇L (tape)",
            T::NAME,
            Some(rev.value.into()),
            self.tolerance.describe(&model),
            entries,
        ))
    }

    /// The line along which the backward-pass check probes the tape's gradient: a
    /// random direction from [`Checker::seed`], every component nonzero, so the line
    /// crosses any kink through the point.
    pub(super) fn probe_direction<T: Real>(&self, n: usize) -> Vec<T> {
        SplitMix64::new(self.seed)
            .direction(n)
            .into_iter()
            .map(|c| T::from(c).unwrap_or_else(T::nan))
            .collect()
    }

    /// An entry for two values exact up to rounding, with the model's tolerance `model`.
    fn exact_entry<T: Real>(
        &self,
        position: Position,
        analytic: T,
        reference: T,
        model: f64,
    ) -> Entry {
        let (a, r): (f64, f64) = (analytic.into(), reference.into());
        if !a.is_finite() || !r.is_finite() {
            return Entry::new(position, a, r, model, model, Status::NotFinite);
        }
        let (agrees, tolerance) = self.tolerance.judge(analytic, reference, model);
        let status = if agrees {
            Status::Agrees
        } else {
            Status::Disagrees
        };
        Entry::new(position, a, r, model, tolerance, status)
    }
}

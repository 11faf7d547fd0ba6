//! Derivatives against finite differences: a gradient per coordinate, a Jacobian row by
//! row. The reference is Richardson extrapolation with its own error bound; the
//! one-sided extrapolations and their jump tell a kink from a wrong derivative.

use super::checker::{finite, max_abs, nonempty, reverse, rounding, Checker};
use super::error::{same_length, CheckError};
use super::real::Real;
use super::report::{CheckKind, Entry, Position, Report, Status};
use super::richardson::Differences;
use super::tolerance::SAFETY;
use crate::dual::{Function, VectorFunction};
use crate::tape::Tape;

const REFERENCE: &str = "finite differences (Richardson)";

/// A tolerance above this fraction of the entry it judges (or of its row's largest
/// reference) could not see a 1 % error: the entry is inconclusive, not agreeing.
pub const USEFUL_TOLERANCE: f64 = 0.01;

/// An agreeing entry whose tolerance is not small against what it judges becomes
/// inconclusive: a check that could not have seen the error has not checked it.
fn inconclusive_unless_small(entry: Entry, row_reference_scale: f64) -> Entry {
    // A row whose references are all zero (a constant) has no size to judge against:
    // agreeing there is the absolute claim |analytic| ≤ tolerance, and stands.
    let size = entry.reference.abs().max(row_reference_scale);
    if entry.status == Status::Agrees && size > 0.0 && entry.tolerance > USEFUL_TOLERANCE * size {
        Entry {
            status: Status::Inconclusive,
            ..entry
        }
    } else {
        entry
    }
}

/// Assumed operation count for the rounding of a derivative the engine did not record.
const UNKNOWN_NODES: usize = 256;

impl Checker {
    /// The tape's gradient of `f` at `x` against finite differences, per coordinate.
    /// The differences are taken in `f64` whatever `T` is (the function is generic),
    /// so an `f32` gradient is judged against a reference far more accurate than
    /// itself, to its own rounding.
    ///
    /// ```
    /// let f = gradproof::function!(<S> |x| (x[0] * x[1]).sin() + x[1].exp());
    /// let report = gradproof::check::Checker::default().tape_vs_differences(&f, &[0.5, -1.0]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn tape_vs_differences<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        let rev = reverse(f, x);
        Ok(self.generic_against_differences(f, x, rev.gradient, "tape gradient", rev.nodes))
    }

    /// The older name of [`Checker::tape_vs_differences`].
    #[deprecated(since = "0.2.0", note = "use `Checker::tape_vs_differences`")]
    pub fn gradient<T: Real>(&self, f: &impl Function, x: &[T]) -> Result<Report, CheckError> {
        self.tape_vs_differences(f, x)
    }

    /// Your gradient of the generic function `f` at `x` (`yours`, one entry per
    /// coordinate) against finite differences, taken in `f64` whatever `T` is.
    ///
    /// ```
    /// let f = gradproof::function!(<S> |x| x[0] * x[0] * x[1]);
    /// let checker = gradproof::check::Checker::default();
    /// assert!(checker.yours_vs_differences(&f, &[3.0f32, 2.0], &[12.0, 9.0]).unwrap().passed());
    /// assert!(!checker.yours_vs_differences(&f, &[3.0f32, 2.0], &[12.0, 9.1]).unwrap().passed());
    /// ```
    pub fn yours_vs_differences<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        yours: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        same_length("your gradient", x.len(), yours.len())?;
        let rev = reverse(f, x);
        Ok(self.generic_against_differences(f, x, yours.to_vec(), "your gradient", rev.nodes))
    }

    /// A gradient in `T` against differences of the generic `f` in `f64`. In `f32`, the
    /// gradient's own rounding (measured on the tape along a line, `check::probe`) is
    /// added to each tolerance.
    fn generic_against_differences<T: Real>(
        &self,
        f: &impl Function,
        x: &[T],
        gradient: Vec<T>,
        label: &str,
        nodes: usize,
    ) -> Report {
        let x64: Vec<f64> = x.iter().map(|&v| v.into()).collect();
        let scalar = |p: &[f64]| vec![f.eval(p)];
        let extra = self.own_rounding(f, x, nodes);
        let mut report = self.against_differences(
            CheckKind::Gradient,
            label,
            &scalar,
            &x64,
            &[gradient],
            nodes,
            "tape nodes",
            &extra,
        );
        if T::NAME != f64::NAME {
            report.dtype = format!("{} (reference in f64)", T::NAME);
        }
        report
    }

    /// A gradient you computed (`yours`, one entry per coordinate) against finite
    /// differences of `f`, a plain function of `T`: a closure may capture data (a
    /// batch, targets), so a loss over captured data is checked in one line. The
    /// differences are taken in `T`; the report's tolerances say the smallest error
    /// they could see.
    ///
    /// ```
    /// let batch = [(1.0, 2.0), (-1.0, 0.5)];
    /// let loss = |w: &[f64]| batch.iter().map(|&(a, y)| (w[0] * a - y).powi(2)).sum::<f64>();
    /// let yours = |w: &[f64]| vec![batch.iter().map(|&(a, y)| 2.0 * (w[0] * a - y) * a).sum()];
    /// let report = gradproof::check::yours_vs_differences_of(loss, &[0.3], &yours(&[0.3])).unwrap();
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn yours_vs_differences_of<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        yours: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        same_length("your gradient", x.len(), yours.len())?;
        let scalar = |p: &[T]| vec![f(p)];
        Ok(self.against_differences(
            CheckKind::Gradient,
            "your gradient",
            &scalar,
            x,
            &[yours.to_vec()],
            UNKNOWN_NODES,
            "operations assumed",
            &[],
        ))
    }

    /// Rows in `T` against differences of a plain function in `T`, with `nodes`
    /// recorded operations.
    pub(crate) fn closure_against_differences<T: Real>(
        &self,
        check: CheckKind,
        label: &str,
        f: &impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        rows: &[Vec<T>],
        nodes: usize,
    ) -> Report {
        self.against_differences(check, label, f, x, rows, nodes, "tape nodes", &[])
    }

    /// The older name of [`Checker::yours_vs_differences_of`].
    #[deprecated(since = "0.2.0", note = "use `Checker::yours_vs_differences_of`")]
    pub fn gradient_values<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        analytic: &[T],
    ) -> Result<Report, CheckError> {
        self.yours_vs_differences_of(f, x, analytic)
    }

    /// The tape's Jacobian of a vector function at `x` (one reverse sweep per row)
    /// against finite differences.
    pub fn jacobian<T: Real>(
        &self,
        f: &impl VectorFunction,
        x: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        let tape = Tape::new();
        let vars = tape.vars(x);
        let outputs = f.eval(&vars);
        let rows: Vec<Vec<T>> = outputs
            .iter()
            .map(|&y| tape.gradient(y).wrt_all(&vars))
            .collect();
        let x64: Vec<f64> = x.iter().map(|&v| v.into()).collect();
        let plain = |p: &[f64]| f.eval(p);
        // In f32 against an f64 reference, each row's own rounding (measured along a
        // line; a saturated sigmoid's 1 − σ carries far more than √N·ε) is allowed; the
        // largest over the rows, per coordinate.
        let mut extra = vec![0.0; if T::NAME == f64::NAME { 0 } else { x.len() }];
        if !extra.is_empty() {
            for k in 0..rows.len() {
                let row_gradient = |p: &[T]| {
                    let tape = Tape::new();
                    let vars = tape.vars(p);
                    let y = f.eval(&vars)[k];
                    tape.gradient(y).wrt_all(&vars)
                };
                for (e, r) in extra.iter_mut().zip(self.rounding_along(row_gradient, x)) {
                    *e = f64::max(*e, r);
                }
            }
        }
        let mut report = self.against_differences(
            CheckKind::Jacobian,
            "tape Jacobian",
            &plain,
            &x64,
            &rows,
            tape.len(),
            "tape nodes",
            &extra,
        );
        if T::NAME != f64::NAME {
            report.dtype = format!("{} (reference in f64)", T::NAME);
        }
        Ok(report)
    }

    /// A Jacobian you computed (`analytic[k][i] = ∂fₖ/∂xᵢ`, one row per output) against
    /// finite differences of the plain vector function `f`.
    pub fn jacobian_values<T: Real>(
        &self,
        f: impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        analytic: &[Vec<T>],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        same_length("the Jacobian's rows", f(x).len(), analytic.len())?;
        for row in analytic {
            same_length("a Jacobian row", x.len(), row.len())?;
        }
        Ok(self.against_differences(
            CheckKind::Jacobian,
            "your Jacobian",
            &f,
            x,
            analytic,
            UNKNOWN_NODES,
            "operations assumed",
            &[],
        ))
    }

    #[allow(clippy::too_many_arguments)]
    /// The rows (values under test, in `T`) against finite differences of `f` taken in
    /// `U` (`f64` for a generic function checked in `f32`). `extra[i]` is added to the
    /// tolerance of coordinate `i`: the measured rounding of an `f32` gradient when the
    /// reference is in `f64`.
    #[allow(clippy::too_many_arguments)]
    fn against_differences<T: Real, U: Real>(
        &self,
        check: CheckKind,
        label: &str,
        f: &impl Fn(&[U]) -> Vec<U>,
        x: &[U],
        rows: &[Vec<T>],
        nodes: usize,
        nodes_are: &str,
        extra: &[f64],
    ) -> Report {
        let fx = f(x);
        let scalar = rows.len() == 1 && fx.len() == 1;
        let scales: Vec<f64> = rows.iter().map(|row| max_abs(row)).collect();
        let columns: Vec<Vec<Differences<U>>> = (0..x.len())
            .map(|i| self.richardson.differences(f, x, &fx, i))
            .collect();
        // The size of each row by its references: a tolerance is judged small or not
        // against it (not against the values under test, which may be wrong).
        let reference_scales: Vec<f64> = (0..rows.len())
            .map(|k| {
                columns
                    .iter()
                    .map(|c| Into::<f64>::into(c[k].central.value).abs())
                    .filter(|v| v.is_finite())
                    .fold(0.0, f64::max)
            })
            .collect();
        let mut entries = Vec::with_capacity(rows.len() * x.len());
        for (i, column) in columns.iter().enumerate() {
            for (k, (row, differences)) in rows.iter().zip(column).enumerate() {
                let position = if scalar {
                    Position::Coordinate(i)
                } else {
                    Position::Jacobian {
                        output: k,
                        input: i,
                    }
                };
                let finite_value = finite(&fx[k..=k]);
                let entry = self.judge(
                    position,
                    row[i],
                    differences,
                    finite_value,
                    scales[k],
                    nodes,
                    extra.get(i).copied().unwrap_or(0.0),
                );
                entries.push(inconclusive_unless_small(entry, reference_scales[k]));
            }
        }
        let eps: f64 = T::epsilon().into();
        // Say so where a measured rounding of the gradient was allowed besides the model.
        let measured = if extra.iter().any(|&e| e > 0.0) {
            " + the gradient's own rounding, measured on the tape (in f32 against its \
             f64 twin, in f64 from its f32 twin)"
        } else {
            ""
        };
        let model = format!(
            "{SAFETY} × finite-difference bound (Richardson estimate + propagated rounding) \
             + 4·√N·ε·(|analytic| + max |analytic| of its row){measured}, ε = {eps:.2e} \
             ({}), N = {nodes} {nodes_are}; a kink is a jump between left and right \
             derivatives beyond {SAFETY} × its bound and √ε × the row's scale",
            T::NAME
        );
        let value = if scalar { Some(fx[0].into()) } else { None };
        Report::new(
            check,
            label,
            REFERENCE,
            T::NAME,
            value,
            self.tolerance.describe(&model),
            entries,
        )
    }

    /// The smallest jump between one-sided derivatives taken for a kink: `√ε·scale`.
    fn jump_floor<T: Real>(&self, scale: f64) -> f64 {
        let eps: f64 = T::epsilon().into();
        eps.sqrt() * scale
    }

    /// One entry: not finite, a kink, or agreement within tolerance. `row_scale` is the
    /// largest analytic magnitude of the entry's row (the gradient's, for a gradient).
    #[allow(clippy::too_many_arguments)]
    fn judge<T: Real, U: Real>(
        &self,
        position: Position,
        analytic: T,
        d: &Differences<U>,
        finite_value: bool,
        row_scale: f64,
        nodes: usize,
        extra: f64,
    ) -> Entry {
        let row_rounding = rounding::<T>(nodes, row_scale);
        let a: f64 = analytic.into();
        let central = d.central;
        let reference: f64 = central.value.into();
        let estimate: f64 = central.bound().into();
        let own = rounding::<T>(nodes, a.abs()) + row_rounding + extra;
        let model = SAFETY * estimate + own;
        if !finite_value || !a.is_finite() || !reference.is_finite() || !estimate.is_finite() {
            return Entry::new(position, a, reference, estimate, model, Status::NotFinite);
        }
        let jump: f64 = d.jump.value.into();
        let jump_bound: f64 = d.jump.bound().into();
        // A jump must stand out from its own bound and from √ε of the derivatives'
        // scale: one-sided extrapolations are the least accurate, and in f32 their bound
        // was measured to fall short now and then (a false kink of relative size 1e-4
        // in about one of 10⁵ partial derivatives of random networks).
        let resolvable = self.jump_floor::<U>(a.abs().max(row_scale));
        let left: f64 = d.backward.value.into();
        let right: f64 = d.forward.value.into();
        // The jump's own extrapolation and the two one-sided ones must both show it.
        let kink = jump.is_finite()
            && jump.abs() > SAFETY * jump_bound
            && jump.abs() > resolvable
            && (right - left).abs() > resolvable;
        if kink {
            let sides: f64 = d.backward.bound().max(d.forward.bound()).into();
            let slack = SAFETY * sides + own;
            let analytic_between = a >= left.min(right) - slack && a <= left.max(right) + slack;
            let status = Status::Kink {
                left,
                right,
                analytic_between,
            };
            return Entry::new(position, a, reference, estimate, model, status);
        }
        let reference_in_t = T::from(reference).unwrap_or_else(T::nan);
        let (agrees, tolerance) = self.tolerance.judge(analytic, reference_in_t, model);
        let status = if agrees {
            Status::Agrees
        } else {
            Status::Disagrees
        };
        Entry::new(position, a, reference, estimate, tolerance, status)
    }
}

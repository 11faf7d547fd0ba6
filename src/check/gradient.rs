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

/// Assumed operation count for the rounding of a derivative the engine did not record.
const UNKNOWN_NODES: usize = 256;

impl Checker {
    /// The tape's gradient of `f` at `x` against finite differences, per coordinate.
    ///
    /// ```
    /// let f = gradproof::function!(<S> |x| (x[0] * x[1]).sin() + x[1].exp());
    /// let report = gradproof::check::Checker::default().gradient(&f, &[0.5, -1.0]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn gradient<T: Real>(&self, f: &impl Function, x: &[T]) -> Result<Report, CheckError> {
        nonempty(x)?;
        let rev = reverse(f, x);
        let scalar = |p: &[T]| vec![f.eval(p)];
        Ok(self.against_differences(
            CheckKind::Gradient,
            "tape gradient",
            &scalar,
            x,
            &[rev.gradient],
            rev.nodes,
            "tape nodes",
        ))
    }

    /// A gradient you computed (`analytic`, one entry per coordinate) against finite
    /// differences of `f`, a plain function of `T` (it need not be generic).
    ///
    /// ```
    /// use gradproof::check::Checker;
    ///
    /// let f = |x: &[f64]| x[0] * x[0] * x[1];
    /// let x = [3.0, 2.0];
    /// let right = Checker::default().gradient_values(f, &x, &[12.0, 9.0]).unwrap();
    /// assert!(right.passed());
    /// let wrong = Checker::default().gradient_values(f, &x, &[6.0, 9.0]).unwrap();
    /// assert!(!wrong.passed());
    /// assert_eq!(wrong.worst().unwrap().position, gradproof::check::Position::Coordinate(0));
    /// ```
    pub fn gradient_values<T: Real>(
        &self,
        f: impl Fn(&[T]) -> T,
        x: &[T],
        analytic: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        same_length("the gradient", x.len(), analytic.len())?;
        let scalar = |p: &[T]| vec![f(p)];
        Ok(self.against_differences(
            CheckKind::Gradient,
            "your gradient",
            &scalar,
            x,
            &[analytic.to_vec()],
            UNKNOWN_NODES,
            "operations assumed",
        ))
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
        let plain = |p: &[T]| f.eval(p);
        Ok(self.against_differences(
            CheckKind::Jacobian,
            "tape Jacobian",
            &plain,
            x,
            &rows,
            tape.len(),
            "tape nodes",
        ))
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
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn against_differences<T: Real>(
        &self,
        check: CheckKind,
        label: &str,
        f: &impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        rows: &[Vec<T>],
        nodes: usize,
        nodes_are: &str,
    ) -> Report {
        let fx = f(x);
        let scalar = rows.len() == 1 && fx.len() == 1;
        let scales: Vec<f64> = rows.iter().map(|row| max_abs(row)).collect();
        let mut entries = Vec::with_capacity(rows.len() * x.len());
        for i in 0..x.len() {
            let columns = self.richardson.differences(f, x, &fx, i);
            for (k, (row, differences)) in rows.iter().zip(&columns).enumerate() {
                let position = if scalar {
                    Position::Coordinate(i)
                } else {
                    Position::Jacobian {
                        output: k,
                        input: i,
                    }
                };
                let finite_value = finite(&fx[k..=k]);
                entries.push(self.judge(
                    position,
                    row[i],
                    differences,
                    finite_value,
                    scales[k],
                    nodes,
                ));
            }
        }
        let eps: f64 = T::epsilon().into();
        let model = format!(
            "{SAFETY} × finite-difference bound (Richardson estimate + propagated rounding) \
             + 4·√N·ε·(|analytic| + max |analytic| of its row), ε = {eps:.2e} ({}), \
             N = {nodes} {nodes_are}; a kink is a jump between left and right derivatives \
             beyond {SAFETY} × its bound and √ε × the row's scale",
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
    fn judge<T: Real>(
        &self,
        position: Position,
        analytic: T,
        d: &Differences<T>,
        finite_value: bool,
        row_scale: f64,
        nodes: usize,
    ) -> Entry {
        let row_rounding = rounding::<T>(nodes, row_scale);
        let a: f64 = analytic.into();
        let central = d.central;
        let reference: f64 = central.value.into();
        let estimate: f64 = central.bound().into();
        let own = rounding::<T>(nodes, a.abs()) + row_rounding;
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
        let resolvable = self.jump_floor::<T>(a.abs().max(row_scale));
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
        let (agrees, tolerance) = self.tolerance.judge(analytic, central.value, model);
        let status = if agrees {
            Status::Agrees
        } else {
            Status::Disagrees
        };
        Entry::new(position, a, reference, estimate, tolerance, status)
    }
}

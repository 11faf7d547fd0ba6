//! The tape's gradient of a closure, which may capture data: a loss over a batch is
//! checked in one line, as `jax.test_util.check_grads(f, args)` checks one.
//!
//! A closure cannot be generic, so it cannot be handed over once and run on plain
//! floats, dual numbers and the tape as a [`Function`](crate::dual::Function) is. It
//! can be written for tape variables alone: the tape records it for the gradient, and
//! the same closure run on constants (variables recorded nowhere) gives the plain values
//! finite differences need. Write the loss once, generic, with the data as an argument,
//! and let the closure pick the tape's type and capture the data.

use super::checker::{nonempty, rounding, Checker};
use super::error::CheckError;
use super::real::Real;
use super::report::{CheckKind, Report};
use super::taylor::TaylorReport;
use crate::tape::{Tape, Var};

/// The closure's value and tape gradient at `x`, and the nodes it recorded.
fn record<T: Real>(
    f: &impl for<'t> Fn(&[Var<'t, T>]) -> Var<'t, T>,
    x: &[T],
) -> (T, Vec<T>, usize) {
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f(&vars);
    let gradient = tape.gradient(y).wrt_all(&vars);
    (y.value(), gradient, tape.len())
}

/// The closure's value at `p`, run on constants: nothing is recorded.
fn value<T: Real>(f: &impl for<'t> Fn(&[Var<'t, T>]) -> Var<'t, T>, p: &[T]) -> T {
    let constants: Vec<Var<'_, T>> = p.iter().map(|&v| Var::constant(v)).collect();
    f(&constants).value()
}

impl Checker {
    /// The tape's gradient of a closure over tape variables (which may capture data)
    /// against finite differences of the same closure, run on constants.
    ///
    /// ```
    /// use gradproof::prelude::*;
    ///
    /// /// A mean squared error, generic, with the batch as an argument.
    /// fn mse<S: Scalar>(w: &[S], batch: &[(f64, f64)]) -> S {
    ///     let n = S::from(batch.len()).unwrap();
    ///     batch.iter().fold(S::zero(), |s, &(a, y)| {
    ///         let e = w[0] * S::from(a).unwrap() + w[1] - S::from(y).unwrap();
    ///         s + e * e
    ///     }) / n
    /// }
    ///
    /// let batch = vec![(1.0, 2.0), (-1.0, 0.5), (0.5, 0.0)];
    /// let report = gradproof::check::tape_vs_differences_of(|w| mse(w, &batch), &[0.3, -0.2]).unwrap();
    /// assert!(report.passed(), "{report}");
    /// ```
    pub fn tape_vs_differences_of<T: Real>(
        &self,
        f: impl for<'t> Fn(&[Var<'t, T>]) -> Var<'t, T>,
        x: &[T],
    ) -> Result<Report, CheckError> {
        nonempty(x)?;
        let (_, gradient, nodes) = record(&f, x);
        let plain = |p: &[T]| vec![value(&f, p)];
        Ok(self.closure_against_differences(
            CheckKind::Gradient,
            "tape gradient",
            &plain,
            x,
            &[gradient],
            nodes,
        ))
    }

    /// The Taylor test of the tape's gradient of a closure over tape variables (which
    /// may capture data).
    pub fn taylor_of_tape_of<T: Real>(
        &self,
        f: impl for<'t> Fn(&[Var<'t, T>]) -> Var<'t, T>,
        x: &[T],
    ) -> Result<TaylorReport, CheckError> {
        nonempty(x)?;
        let (_, gradient, _) = record(&f, x);
        let plain = |p: &[T]| value(&f, p);
        // The tape's gradient carries its own rounding, which a Taylor test in the same
        // type would read as a slope error where the gradient is ill-conditioned
        // (`acos` next to 1 in f32): it is allowed, measured, and stated. Measured, not
        // modelled: as for a generic function's tape gradient (`generic_taylor`), the
        // `√N·ε·(|gᵢ| + max |g|)` model would charge every coordinate the row's largest
        // entry and blunt the test.
        let allowance: Vec<f64> = self
            .rounding_along(|p: &[T]| record(&f, p).1, x)
            .iter()
            .zip(&gradient)
            .map(|(&extra, &g)| extra + rounding::<T>(1, Into::<f64>::into(g).abs()))
            .collect();
        Ok(self.taylor_sequence(
            plain,
            x,
            &gradient,
            "tape gradient",
            T::NAME,
            &allowance,
            0.0,
        ))
    }
}

//! gradproof proves gradients.
//!
//! It records a computation on a small reverse-mode [`Tape`], and checks the gradient
//! the tape returns against the hand-derived closed forms of a worked derivation (a
//! 3-3-3 sigmoid network with a ½(y − ŷ)² loss), against finite differences, and
//! against symbolic derivatives of the same equations.
//!
//! # A tour
//!
//! ## Record, then sweep backwards
//!
//! A [`Var`] is a copyable handle to a variable on a tape. It implements
//! [`num_traits::Float`], so the arithmetic reads as it would on `f64`:
//!
//! ```
//! use gradproof::prelude::*;
//!
//! let tape = Tape::new();
//! let w = tape.var(0.5);
//! let x = Var::constant(2.0); // data: recorded nowhere, derivative zero
//! let y = (w * x).sigmoid();
//! let loss = (y - 1.0).powi(2) * 0.5;
//!
//! let grad = tape.gradient(loss);
//! // The document's chain rule, factor by factor: (ŷ − y) · ŷ(1 − ŷ) · x.
//! let yhat = y.value();
//! assert!((grad.wrt(w) - (yhat - 1.0) * yhat * (1.0 - yhat) * 2.0).abs() < 1e-15);
//! ```
//!
//! ## Write a function once, run it on anything
//!
//! Code generic over [`Scalar`] (a `Float` with `sigmoid`, `relu`, `sum`, `dot`) runs on
//! plain floats, on the tape, and on forward-mode numbers without change. That is what
//! lets the crate check *your* function: it evaluates the same code in every mode.
//!
//! ```
//! use gradproof::prelude::*;
//! use gradproof::check::central_gradient;
//!
//! fn energy<T: Scalar>(p: &[T]) -> T {
//!     (p[0] * p[1]).sin() + p[0].powi(3)
//! }
//!
//! let point = [0.7, -1.3];
//! let tape = Tape::new();
//! let vars = tape.vars(&point);
//! let reverse = tape.gradient(energy(&vars)).wrt_all(&vars);
//! let numeric = central_gradient(energy::<f64>, &point);
//! for (r, n) in reverse.iter().zip(&numeric) {
//!     assert!((r - n).abs() < 1e-8);
//! }
//! ```
//!
//! ## Check a gradient, and say how sure the answer is
//!
//! The [`check`] engine compares a gradient with a reference and returns a report, not a
//! bool: per coordinate both values, their errors, the reference's own error estimate and
//! the tolerance that estimate implies. Here a hand-written backward pass with a
//! forgotten factor 2 in one coordinate is caught, and the report names it:
//!
//! ```
//! use gradproof::prelude::*;
//! use gradproof::check;
//!
//! fn f<S: Scalar>(p: &[S]) -> S {
//!     p[0] * p[0] * p[1] + p[1].exp()
//! }
//! let x = [1.5, 0.5];
//! let wrong = |p: &[f64]| vec![p[0] * p[1], p[0] * p[0] + p[1].exp()]; // ∂/∂p0 lost its 2
//!
//! let report = check::yours_vs_tape(&gradproof::function!(f), &x, &wrong(&x)).unwrap();
//! assert!(!report.passed());
//! assert_eq!(report.failures().count(), 1);
//! println!("{report}");
//! ```
//!
//! ## The document's network, in its own notation
//!
//! [`nn::document`] writes the 3-3-3 network as the document does (`w[(4, 7)]` is
//! ω47), with each closed form of the document its own function; [`nn::mlp`]
//! generalises it to any layer sizes.
//!
//! ```
//! use gradproof::nn::document::{self, walkthrough};
//!
//! let (w, sample, _eta) = walkthrough::example();
//! let fwd = document::forward(&w, &sample);
//! let closed = document::gradient(&w, &fwd);
//! let tape = document::tape_gradient(&w, &sample);
//! // ∂L/∂ω47 = (ŷ7 − y7)·ŷ7(1 − ŷ7)·α4, by the document and by the tape.
//! assert!((closed[(4, 7)] - tape[(4, 7)]).abs() < 1e-16);
//! ```
//!
//! ## Equations as text
//!
//! [`expr`] reads a hand derivation written as equations, differentiates it
//! symbolically and proves or refutes each claim:
//!
//! ```
//! let program = gradproof::expr::parse(
//!     "input x = 2\nparam w = 0.5\nloss L = (w * x)^2\nclaim grad(L, w) = 2 * w * x^2",
//! )
//! .unwrap();
//! let reports = program.verify();
//! assert!(reports[0].verdict.holds());
//! ```

// A verification library is trusted on sight or not at all: no `unsafe` anywhere but in
// the tape's storage (`tape::records` and `tape::cell`, the records behind a shared
// `&Tape`), where each block states its invariant beside a debug assertion or a test
// that holds it.
#![deny(unsafe_code)]

// The layers, bottom up: `rules` (each op's value and partials) and `differentiable`
// (the number types' operators, generated from the rules) lie beneath `tape` (reverse
// mode) and `dual` (forward mode), which stand side by side on them; `check`, `expr`
// and `nn` sit above.
mod differentiable;
#[cfg(test)]
mod proptest_cases;
mod rules;

pub mod check;
pub mod dual;
pub mod expr;
pub mod nn;
pub mod read;
pub mod scalar;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod tape;

pub use scalar::Scalar;
pub use tape::{Gradient, Tape, Var};

/// Everything a computation on the tape needs in scope: the tape, its variables, and the
/// traits whose methods (`exp`, `sigmoid`, `powi`, ...) they carry.
pub mod prelude {
    pub use crate::dual::{Dual, Function, VectorFunction};
    pub use crate::scalar::Scalar;
    pub use crate::tape::{Gradient, Tape, Var, VarSlice};
    pub use num_traits::Float;
}

// The Rust examples of the README and of docs/ are compiled and run as doctests, so they
// cannot rot (cli/tests/docs.rs checks that every document with Rust blocks is here).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/check.md")]
struct CheckDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/verdicts.md")]
struct VerdictsDoctests;

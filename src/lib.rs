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

pub mod check;
pub mod dual;
pub mod expr;
pub mod nn;
pub mod scalar;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod tape;

pub use scalar::Scalar;
pub use tape::{Gradient, Tape, Var};

/// Everything a computation on the tape needs in scope: the tape, its variables, and the
/// traits whose methods (`exp`, `sigmoid`, `powi`, ...) they carry.
pub mod prelude {
    pub use crate::scalar::Scalar;
    pub use crate::tape::{Gradient, Tape, Var};
    pub use num_traits::Float;
}

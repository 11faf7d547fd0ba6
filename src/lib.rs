//! gradproof: proves gradients.
//!
//! (The crate tour is written below once the pieces exist.)

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

//! The verification engine: numeric derivatives to check the tape and closed forms
//! against.

pub mod finite_difference;
pub mod richardson;
pub mod stencil;

pub use finite_difference::{central_difference, central_gradient, central_step};
pub use richardson::{Differences, Estimate, Richardson};
pub use stencil::Stencil;

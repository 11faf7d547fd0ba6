//! The verification engine: numeric derivatives to check the tape and closed forms
//! against.

pub mod finite_difference;

pub use finite_difference::{central_difference, central_gradient, central_step};

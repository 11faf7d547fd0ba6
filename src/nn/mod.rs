//! Neural networks with closed-form gradients: the document's network in its own
//! notation, and its generalisation to any layer sizes.

pub mod activation;
pub mod data;
pub mod document;
pub mod mlp;
pub mod train;

//! The same network on the reverse-mode tape: recorded from the forward equations
//! ([`forward`]) only, differentiated by the tape's elementary rules.

use num_traits::Float;

use super::{descend, forward, Forward, Sample, Weights};
use crate::tape::{Tape, Var};

/// Records the forward pass on `tape`: the 18 weights as variables (in the order of
/// [`PAIRS`](super::PAIRS)), inputs and targets as constants. Returns the weight
/// variables and every recorded intermediate, so the tape's gradient can be asked
/// with respect to any of them.
pub fn record<'t, T: Float>(
    tape: &'t Tape<T>,
    w: &Weights<T>,
    s: &Sample<T>,
) -> (Weights<Var<'t, T>>, Forward<Var<'t, T>>) {
    let weights = w.map(|omega| tape.var(omega));
    let fwd = forward(&weights, &s.map(Var::constant));
    (weights, fwd)
}

/// `∂L/∂ω` for all 18 weights by one reverse sweep of the tape, from the forward
/// equations alone.
pub fn tape_gradient<T: Float>(w: &Weights<T>, s: &Sample<T>) -> Weights<T> {
    let tape = Tape::new();
    let (weights, fwd) = record(&tape, w, s);
    let gradient = tape.gradient(fwd.loss());
    weights.map(|omega| gradient.wrt(omega))
}

/// The update `ω̂ = ω − η ∂L/∂ω` with the tape's gradient in place of the document's
/// closed forms.
pub fn tape_update<T: Float>(w: &Weights<T>, s: &Sample<T>, eta: T) -> Weights<T> {
    descend(w, &tape_gradient(w, s), eta)
}

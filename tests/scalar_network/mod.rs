//! The benchmark's scalar-path workload, shared by `benches/tape.rs` (its timing) and
//! `tests/tape_memory.rs` (its bytes per node): a network's ½(y − ŷ)² loss written op
//! by op, as any user function records it.

use gradproof::nn::mlp::Shape;
use gradproof::prelude::*;

/// The loss of the sigmoid network of `shape` with weights `params` at input `x` and
/// target `y`: each weighted sum a chain of `*` and `+` nodes, the sigmoids and the
/// loss scalar ops too. Inputs and targets are constants.
pub fn scalar_loss<'t, T: Float>(
    shape: &Shape,
    params: &[Var<'t, T>],
    x: &[T],
    y: &[T],
) -> Var<'t, T> {
    let mut a: Vec<Var<'t, T>> = x.iter().map(|&v| Var::constant(v)).collect();
    for layer in 0..shape.layers() {
        let w = &params[shape.weight_range(layer)];
        a = w
            .chunks_exact(a.len())
            .map(|row| {
                let mut z = row[0] * a[0];
                for k in 1..a.len() {
                    z += row[k] * a[k];
                }
                z.sigmoid()
            })
            .collect();
    }
    let mut loss = Var::constant(T::zero());
    for (&p, &t) in a.iter().zip(y) {
        let d = p - t;
        loss += d * d;
    }
    loss * T::from(0.5).unwrap()
}

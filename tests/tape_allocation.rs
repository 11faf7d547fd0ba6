//! Recording into a reused tape allocates nothing once it has grown: a cleared tape
//! keeps its memory, a gradient buffer keeps its, and the network path records into a
//! reused workspace. A counting global allocator shows it.

mod allocation_support;

use allocation_support::{allocations, Counting};
use gradproof::nn::mlp::{Mlp, Shape, Workspace};
use gradproof::prelude::*;
use gradproof::tape::VarSlice;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A recording with every kind of record: leaves one by one and in a block, unary,
/// binary and ternary ops, ops with constants, fused sums and dot products, a
/// matrix–vector product and elementwise maps; then a sweep into `gradient`.
fn record_everything(
    tape: &Tape<f64>,
    gradient: &mut Gradient<f64>,
    values: &[f64],
    out: &mut [f64],
) -> f64 {
    let x = tape.var(0.5);
    let y = tape.var(-1.25);
    let mut acc = x * y + (x / 3.0).exp() - 2.0 * y.sin();
    for _ in 0..50 {
        acc = acc.mul_add(x, y).tanh() + acc.max(y);
    }
    let w = tape.var_slice(&values[..6]);
    let v = tape.var_slice(&values[6..9]);
    let (z_out, rest) = out.split_at_mut(2);
    let (a_out, rest) = rest.split_at_mut(2);
    let z = w.matvec(v, z_out);
    let a = z.map(a_out, Scalar::sigmoid);
    let b = a.zip_map(VarSlice::constant(&values[..2]), &mut rest[..2], |a, c| {
        a * c
    });
    let fused = Var::sum(&[acc, x, y]) + Var::dot(&[x, y], &[y, acc]) + b.dot(a) + v.sum();
    tape.gradient_into(fused, gradient);
    gradient.wrt(x) + gradient.wrt_slice(&w).sum::<f64>()
}

#[test]
fn recording_into_a_reused_tape_allocates_nothing_once_warmed() {
    let values = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 1.0, 2.0, -1.0];
    let mut out = [0.0; 6];
    let mut tape = Tape::new();
    let mut gradient = Gradient::empty(&tape);
    let first = record_everything(&tape, &mut gradient, &values, &mut out);

    let before = allocations();
    for _ in 0..10 {
        tape.clear();
        let again = record_everything(&tape, &mut gradient, &values, &mut out);
        assert_eq!(again.to_bits(), first.to_bits());
    }
    assert_eq!(allocations() - before, 0, "a warmed tape allocated");

    // The counter does count: a new tape's first recording allocates.
    let before = allocations();
    let fresh = Tape::new();
    let mut buffer = Gradient::empty(&fresh);
    record_everything(&fresh, &mut buffer, &values, &mut out);
    assert!(allocations() > before);
}

#[test]
fn the_network_path_into_a_warmed_workspace_allocates_nothing() {
    let net = Mlp::<f64>::seeded(Shape::with_biases(&[16, 8, 8, 4]).unwrap(), 5);
    let xs: Vec<Vec<f64>> = (0..4)
        .map(|s| (0..16).map(|i| (i * s) as f64 * 0.1).collect())
        .collect();
    let ys: Vec<Vec<f64>> = (0..4).map(|s| vec![0.25 * s as f64; 4]).collect();
    let batch = || xs.iter().zip(&ys).map(|(x, y)| (&x[..], &y[..]));
    let mut tape = Tape::new();
    let mut workspace = Workspace::new();
    net.tape_batch_backprop(&mut tape, batch(), &mut workspace)
        .unwrap();
    net.tape_backprop(&mut tape, &xs[0], &ys[0], &mut workspace)
        .unwrap();

    let before = allocations();
    for (x, y) in xs.iter().zip(&ys) {
        net.tape_backprop(&mut tape, x, y, &mut workspace).unwrap();
    }
    net.tape_batch_backprop(&mut tape, batch(), &mut workspace)
        .unwrap();
    assert_eq!(
        allocations() - before,
        0,
        "the warmed network path allocated"
    );

    // And the gradient it leaves is the closed form's.
    let (_, closed) = net.batch_gradient(batch()).unwrap();
    for (t, c) in workspace.gradient().iter().zip(&closed) {
        approx::assert_relative_eq!(t, c, max_relative = 1e-9, epsilon = 1e-15);
    }

    // The counter does count: a fresh tape allocates.
    let before = allocations();
    net.tape_gradient(&xs[0], &ys[0]).unwrap();
    assert!(allocations() > before);
}

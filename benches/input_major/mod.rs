//! Weights stored input-major (issue #14): a network whose layer `l` keeps `W[k][j]`, the
//! weight from input `k` to output `j`, in row `k` — the transpose of [`Mlp`]'s row-major
//! layout. Three ways to its gradient at 256-128-10, f64:
//!
//! - `closed_form`: [`Mlp::backprop`] on the row-major copy of the same network, the
//!   hand-written backward pass (the baseline);
//! - `transposed_product`: the tape with one [`VarSlice::matvec_transposed`] block per
//!   layer on the input-major weights as they are, the gradient copied out with
//!   [`Gradient::copy_wrt_slice`];
//! - `row_major_matvec`: for reference, the tape with [`VarSlice::matvec`] blocks on the
//!   row-major weights (no transposition; the gradient copied out likewise);
//! - `transpose_per_gradient`: what a user of the tape had to do before: transpose the
//!   weights to row-major for every gradient, record [`VarSlice::matvec`] blocks, and
//!   transpose the gradient back.
//!
//! And the gradient's copy into a caller's buffer ([`Gradient::copy_wrt_slice`]) against
//! collecting [`Gradient::wrt_slice`]'s iterator, for the 34,048 weights.
//!
//! Both tape paths are checked against the closed form before anything is timed.

use std::hint::black_box;

use gradproof::nn::mlp::{Mlp, Shape, SplitMix64, Workspace};
use gradproof::prelude::*;
use gradproof::tape::VarSlice;

use super::Criterion;

/// The network size of the measurement.
pub const SIZES: [usize; 3] = [256, 128, 10];

/// A seeded network in both layouts, an input and a target.
struct Case {
    net: Mlp<f64>,
    /// The same weights, each layer's block transposed to input-major.
    input_major: Vec<f64>,
    x: Vec<f64>,
    y: Vec<f64>,
}

fn case() -> Case {
    let net = Mlp::seeded(Shape::new(&SIZES).expect("a valid shape"), 2024);
    let mut rng = SplitMix64::new(7);
    let x = (0..SIZES[0]).map(|_| rng.next_symmetric(1.0)).collect();
    let y = (0..SIZES[2])
        .map(|_| (rng.next_symmetric(1.0) + 1.0) / 2.0)
        .collect();
    let mut input_major = net.params().to_vec();
    transpose_layers(net.shape(), net.params(), &mut input_major, false);
    Case {
        net,
        input_major,
        x,
        y,
    }
}

/// Copies every layer's weight block of `from` into `to`, transposed: from row-major
/// (`out × in`) to input-major (`in × out`), or back when `to_row_major`.
fn transpose_layers(shape: &Shape, from: &[f64], to: &mut [f64], to_row_major: bool) {
    for layer in 0..shape.layers() {
        let range = shape.weight_range(layer);
        let (inputs, outputs) = (shape.sizes()[layer], shape.sizes()[layer + 1]);
        let (from, to) = (&from[range.clone()], &mut to[range]);
        let (rows, cols) = if to_row_major {
            (inputs, outputs)
        } else {
            (outputs, inputs)
        };
        for r in 0..rows {
            for c in 0..cols {
                to[c * rows + r] = from[r * cols + c];
            }
        }
    }
}

/// The network's loss with `params` input-major, each layer one
/// [`VarSlice::matvec_transposed`], or row-major, each layer one [`VarSlice::matvec`].
fn loss<'t>(
    case: &Case,
    params: VarSlice<'t, '_, f64>,
    scratch: &mut [f64],
    input_major: bool,
) -> Var<'t, f64> {
    let shape = case.net.shape();
    let mut free = scratch;
    let mut take = |n: usize| {
        let (taken, rest) = std::mem::take(&mut free).split_at_mut(n);
        free = rest;
        taken
    };
    let mut a = VarSlice::constant(&case.x);
    for layer in 0..shape.layers() {
        let w = params.slice(shape.weight_range(layer));
        let out = take(shape.sizes()[layer + 1]);
        let z = if input_major {
            w.matvec_transposed(a, out)
        } else {
            w.matvec(a, out)
        };
        a = z.map(take(z.len()), Scalar::sigmoid);
    }
    let diff = VarSlice::constant(&case.y).zip_map(a, take(a.len()), |t, p| t - p);
    diff.dot(diff) * 0.5
}

/// Buffers one path reuses between gradients.
struct Buffers {
    tape: Tape<f64>,
    adjoints: Gradient<f64>,
    scratch: Vec<f64>,
    row_major: Vec<f64>,
    /// The gradient, input-major.
    gradient: Vec<f64>,
    gradient_row_major: Vec<f64>,
}

impl Buffers {
    fn new(case: &Case) -> Self {
        let tape = Tape::new();
        let adjoints = Gradient::empty(&tape);
        let n = case.input_major.len();
        Buffers {
            tape,
            adjoints,
            scratch: vec![0.0; 2 * SIZES.iter().sum::<usize>()],
            row_major: vec![0.0; n],
            gradient: vec![0.0; n],
            gradient_row_major: vec![0.0; n],
        }
    }
}

/// The gradient by one transposed-product block per layer, into `b.gradient`.
fn by_transposed_product(case: &Case, b: &mut Buffers) {
    b.tape.clear();
    let params = b.tape.var_slice(&case.input_major);
    let loss = loss(case, params, &mut b.scratch, true);
    b.tape.gradient_into(loss, &mut b.adjoints);
    b.adjoints.copy_wrt_slice(&params, &mut b.gradient);
}

/// For reference, the row-major network by [`VarSlice::matvec`] blocks on weights
/// already row-major (`b.row_major`, filled by the caller), the gradient copied into
/// `b.gradient_row_major`: what the transposed product is to match.
fn by_matvec(case: &Case, b: &mut Buffers) {
    b.tape.clear();
    let params = b.tape.var_slice(&b.row_major);
    let loss = loss(case, params, &mut b.scratch, false);
    b.tape.gradient_into(loss, &mut b.adjoints);
    b.adjoints
        .copy_wrt_slice(&params, &mut b.gradient_row_major);
}

/// The gradient by transposing the weights to row-major, `matvec` blocks, and
/// transposing the gradient back, into `b.gradient`.
fn by_transposing(case: &Case, b: &mut Buffers) {
    let shape = case.net.shape();
    transpose_layers(shape, &case.input_major, &mut b.row_major, true);
    b.tape.clear();
    let params = b.tape.var_slice(&b.row_major);
    let loss = loss(case, params, &mut b.scratch, false);
    b.tape.gradient_into(loss, &mut b.adjoints);
    b.adjoints
        .copy_wrt_slice(&params, &mut b.gradient_row_major);
    transpose_layers(shape, &b.gradient_row_major, &mut b.gradient, false);
}

/// Panics unless both tape paths give the closed form's gradient (input-major) to 1e-12.
fn check(case: &Case) {
    let mut workspace = Workspace::new();
    case.net.backprop(&case.x, &case.y, &mut workspace).unwrap();
    let mut closed = vec![0.0; case.input_major.len()];
    transpose_layers(case.net.shape(), workspace.gradient(), &mut closed, false);
    let scale = closed.iter().fold(0.0f64, |m, g| m.max(g.abs()));
    let mut b = Buffers::new(case);
    for (name, path) in [
        (
            "transposed product",
            by_transposed_product as fn(&Case, &mut Buffers),
        ),
        ("transpose per gradient", by_transposing),
    ] {
        b.gradient.fill(f64::NAN);
        path(case, &mut b);
        for (k, (g, c)) in b.gradient.iter().zip(&closed).enumerate() {
            assert!(
                (g - c).abs() <= 1e-12 * scale,
                "{name}: gradient entry {k} is {g}, the closed form says {c}"
            );
        }
    }
}

/// The group `input_major_f64_256x128x10` (the three paths) and
/// `gradient_copy_f64_256x128x10` (copy against collect).
pub fn bench(c: &mut Criterion) {
    let case = case();
    check(&case);
    let mut group = c.benchmark_group("input_major_f64_256x128x10");
    let mut workspace = Workspace::new();
    group.bench_function("closed_form", |bench| {
        bench.iter(|| black_box(case.net.backprop(&case.x, &case.y, &mut workspace).unwrap()))
    });
    let mut b = Buffers::new(&case);
    group.bench_function("transposed_product", |bench| {
        bench.iter(|| {
            by_transposed_product(&case, &mut b);
            black_box(b.gradient[0])
        })
    });
    b.row_major.copy_from_slice(case.net.params());
    group.bench_function("row_major_matvec", |bench| {
        bench.iter(|| {
            by_matvec(&case, &mut b);
            black_box(b.gradient_row_major[0])
        })
    });
    group.bench_function("transpose_per_gradient", |bench| {
        bench.iter(|| {
            by_transposing(&case, &mut b);
            black_box(b.gradient[0])
        })
    });
    group.finish();

    let mut group = c.benchmark_group("gradient_copy_f64_256x128x10");
    let Buffers {
        mut tape,
        mut adjoints,
        mut scratch,
        mut gradient,
        ..
    } = b;
    tape.clear();
    let params = tape.var_slice(&case.input_major);
    let loss = loss(&case, params, &mut scratch, true);
    tape.gradient_into(loss, &mut adjoints);
    group.bench_function("copy_wrt_slice", |bench| {
        bench.iter(|| {
            adjoints.copy_wrt_slice(&params, &mut gradient);
            black_box(gradient[0])
        })
    });
    group.bench_function("wrt_slice_collect", |bench| {
        bench.iter(|| black_box(adjoints.wrt_slice(&params).collect::<Vec<f64>>()))
    });
    group.finish();
}

//! The transposed product `VarSlice::matvec_transposed` (`y = Wᵀ·x` for weights stored
//! input-major, one fused block record) gives the values and gradients of the same
//! function written entry by entry as scalar nodes, and those of central differences;
//! and `Gradient::copy_wrt_slice` copies exactly what `Gradient::wrt_slice` yields.

mod common;
#[path = "support/tape.rs"]
mod support;

use gradproof::check::central_gradient;
use gradproof::prelude::*;
use gradproof::tape::VarSlice;
use proptest::prelude::*;
use support::{close, problem};

/// `L = Σⱼ cⱼ·tanh(yⱼ)` with `yⱼ = Σₖ W[k][j]·xₖ`, `W` input-major (`x.len()` rows of
/// `c.len()` entries), by the transposed-product block. Returns the outputs `y`, the
/// loss and the gradient `∂L/∂W ++ ∂L/∂x` (zero for whichever is constant).
fn by_block(w: &[f64], x: &[f64], c: &[f64], w_vars: bool, x_vars: bool) -> Outcome {
    let tape = Tape::new();
    let lift = |values, vars| {
        if vars {
            tape.var_slice(values)
        } else {
            VarSlice::constant(values)
        }
    };
    let (wv, xv) = (lift(w, w_vars), lift(x, x_vars));
    let mut y = vec![0.0; c.len()];
    let y = wv.matvec_transposed(xv, &mut y);
    let mut t = vec![0.0; c.len()];
    let t = y.map(&mut t, |y| y.tanh());
    let loss = t.dot(VarSlice::constant(c));
    let grad = tape.gradient(loss);
    let mut g: Vec<f64> = grad.wrt_slice(&wv).collect();
    g.extend(grad.wrt_slice(&xv));
    Outcome {
        y: y.values().to_vec(),
        loss: loss.value(),
        gradient: g,
    }
}

/// What one recording gives.
struct Outcome {
    y: Vec<f64>,
    loss: f64,
    gradient: Vec<f64>,
}

/// The same function entry by entry: every product `W[k][j]·xₖ` and every `+` its own
/// scalar node, the sum over `k` left to right.
fn by_scalars(w: &[f64], x: &[f64], c: &[f64], w_vars: bool, x_vars: bool) -> Outcome {
    let tape = Tape::new();
    let lift = |values: &[f64], vars: bool| -> Vec<Var<'_, f64>> {
        if vars {
            tape.vars(values)
        } else {
            values.iter().map(|&v| Var::constant(v)).collect()
        }
    };
    let (wv, xv) = (lift(w, w_vars), lift(x, x_vars));
    let outputs = c.len();
    let y: Vec<Var<'_, f64>> = (0..outputs)
        .map(|j| {
            let mut yj = Var::constant(0.0);
            for (k, &xk) in xv.iter().enumerate() {
                yj += wv[k * outputs + j] * xk;
            }
            yj
        })
        .collect();
    let mut loss = Var::constant(0.0);
    for (&yj, &cj) in y.iter().zip(c) {
        loss += yj.tanh() * cj;
    }
    let grad = tape.gradient(loss);
    let mut g = grad.wrt_all(&wv);
    g.extend(grad.wrt_all(&xv));
    Outcome {
        y: y.iter().map(|v| v.value()).collect(),
        loss: loss.value(),
        gradient: g,
    }
}

/// The same function on plain floats, of the flat parameters `W ++ x`.
fn plain(p: &[f64], inputs: usize, c: &[f64]) -> f64 {
    let (w, x) = p.split_at(p.len() - inputs);
    (0..c.len())
        .map(|j| {
            let yj: f64 = (0..inputs).map(|k| w[k * c.len() + j] * x[k]).sum();
            c[j] * yj.tanh()
        })
        .sum()
}

/// The scale of the gradient's entries: `|cⱼ|·|tanh′| ≤ |cⱼ|` times entries of `W` or
/// `x` (below 1.5), summed over at most 8 terms.
fn scale(c: &[f64]) -> f64 {
    1.0 + c.iter().map(|v| v.abs()).sum::<f64>() * 12.0
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_transposed.txt"))]

    #[test]
    fn transposed_product_equals_the_entry_by_entry_scalar_path(
        (w, x, c) in problem(),
        which in 0usize..3,
    ) {
        let (w_vars, x_vars) = [(true, true), (true, false), (false, true)][which];
        let block = by_block(&w, &x, &c, w_vars, x_vars);
        let scalar = by_scalars(&w, &x, &c, w_vars, x_vars);
        // The forward pass sums left to right over the inputs, as the chain of `+`
        // nodes does: the same bits.
        let bits = |v: &[f64]| v.iter().map(|y| y.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&block.y), bits(&scalar.y));
        prop_assert_eq!(block.loss.to_bits(), scalar.loss.to_bits());
        // ∂L/∂W[k][j] = ȳⱼ·xₖ is one rounded product on both paths: the same bits.
        let nw = w.len();
        prop_assert_eq!(bits(&block.gradient[..nw]), bits(&scalar.gradient[..nw]));
        // ∂L/∂xₖ sums over the outputs, in four lanes in the block and last to first
        // in the sweep: a few ulps of the terms' magnitudes apart.
        close(&block.gradient[nw..], &scalar.gradient[nw..], 16.0 * f64::EPSILON, scale(&c))?;
        // Constants get zero gradients.
        if !w_vars { prop_assert!(block.gradient[..nw].iter().all(|&g| g == 0.0)); }
        if !x_vars { prop_assert!(block.gradient[nw..].iter().all(|&g| g == 0.0)); }
    }

    #[test]
    fn transposed_product_gradient_equals_central_differences((w, x, c) in problem()) {
        let block = by_block(&w, &x, &c, true, true);
        let p: Vec<f64> = w.iter().chain(&x).copied().collect();
        let numeric = central_gradient(|p| plain(p, x.len(), &c), &p);
        // Central differences with step ε^⅓: truncation and rounding both ≈ ε^⅔ times
        // the derivatives' size (here below 10²).
        close(&block.gradient, &numeric, 1e-7, scale(&c))?;
    }

    #[test]
    fn the_finite_difference_check_rejects_a_backward_pass_missing_the_transpose(
        (n, entries, x, c) in (2usize..6).prop_flat_map(|n| (
            Just(n),
            prop::collection::vec(-1.5..1.5f64, n * n),
            prop::collection::vec(-1.5..1.5f64, n),
            prop::collection::vec(-2.0..2.0f64, n),
        )),
    ) {
        // The classic mistake with an input-major square W: ∂L/∂xₖ = Σⱼ W[j][k]·ȳⱼ,
        // reading the storage row-major, where the right rule is Σⱼ W[k][j]·ȳⱼ.
        let right = by_block(&entries, &x, &c, true, true);
        let y_bar: Vec<f64> = right.y.iter().zip(&c).map(|(y, c)| c * (1.0 - y.tanh().powi(2))).collect();
        let wrong_x: Vec<f64> = (0..n).map(|k| (0..n).map(|j| entries[j * n + k] * y_bar[j]).sum()).collect();
        let right_x: Vec<f64> = (0..n).map(|k| (0..n).map(|j| entries[k * n + j] * y_bar[j]).sum()).collect();
        // Only where the two rules differ visibly (W far enough from symmetric along ȳ).
        prop_assume!(wrong_x.iter().zip(&right_x).any(|(a, b)| (a - b).abs() > 1e-3));
        let mut wrong = right.gradient[..n * n].to_vec();
        wrong.extend(&wrong_x);
        let p: Vec<f64> = entries.iter().chain(&x).copied().collect();
        let numeric = central_gradient(|p| plain(p, n, &c), &p);
        prop_assert!(close(&right.gradient, &numeric, 1e-7, scale(&c)).is_ok());
        prop_assert!(close(&wrong, &numeric, 1e-7, scale(&c)).is_err());
    }

    #[test]
    fn copy_wrt_slice_copies_what_wrt_slice_yields(
        values in prop::collection::vec(-3.0..3.0f64, 0..12),
        split in 0usize..12,
        later in prop::collection::vec(-3.0..3.0f64, 0..5),
    ) {
        let tape = Tape::new();
        let xs = tape.var_slice(&values);
        let split = split.min(values.len());
        // The output depends on the first `split` variables; `late` is recorded after
        // it, so its gradient is all zeros, as are a constant slice's.
        let y = xs.slice(0..split).dot(xs.slice(0..split)) * 0.5 + xs.sum();
        let late = tape.var_slice(&later);
        let _after = late.sum() * y;
        let grad = tape.gradient(y);
        for slice in [xs, xs.slice(split..values.len()), late, VarSlice::constant(&later)] {
            let iterated: Vec<f64> = grad.wrt_slice(&slice).collect();
            let mut copied = vec![f64::NAN; slice.len()];
            grad.copy_wrt_slice(&slice, &mut copied);
            prop_assert_eq!(
                copied.iter().map(|g| g.to_bits()).collect::<Vec<_>>(),
                iterated.iter().map(|g| g.to_bits()).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn the_gradient_of_one_output_of_a_transposed_product_uses_that_column_only() {
    let tape = Tape::new();
    // 2 inputs, 3 outputs, input-major: W[0] = (1, 2, 3), W[1] = (4, 5, 6).
    let w = tape.var_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let x = tape.var_slice(&[0.5, -1.0]);
    let mut y = [0.0; 3];
    let y = w.matvec_transposed(x, &mut y);
    assert_eq!(y.values(), [-3.5, -4.0, -4.5]);
    // y₁ = 2·x₀ + 5·x₁: the output sits inside the block, outputs after it are not swept.
    let grad = tape.gradient(y.get(1));
    let mut g = [0.0; 6];
    grad.copy_wrt_slice(&w, &mut g);
    assert_eq!(g, [0.0, 0.5, 0.0, 0.0, -1.0, 0.0]);
    assert_eq!(grad.wrt_slice(&x).collect::<Vec<_>>(), [2.0, 5.0]);
    // The first output: only the first column, and a prefix of the block is live.
    let grad = tape.gradient(y.get(0) * 3.0);
    grad.copy_wrt_slice(&w, &mut g);
    assert_eq!(g, [1.5, 0.0, 0.0, -3.0, 0.0, 0.0]);
    assert_eq!(grad.wrt_slice(&x).collect::<Vec<_>>(), [3.0, 12.0]);
}

#[test]
fn an_output_with_a_zero_adjoint_passes_nothing_on_even_a_nan() {
    let tape = Tape::new();
    // Input-major, 2 inputs, 2 outputs: output 1's weights are NaN and ∞.
    let w = tape.var_slice(&[1.0, f64::NAN, 2.0, f64::INFINITY]);
    let x = tape.var_slice(&[0.5, -1.0]);
    let mut y = [0.0; 2];
    let y = w.matvec_transposed(x, &mut y);
    assert!(y.values()[1].is_nan());
    // Output 1 is recorded but unused: its NaN and ∞ must not reach ∂/∂x (as 0·NaN
    // would), and its weights get zero.
    let loss = y.get(0) * 2.0 + y.get(1) * 0.0;
    let grad = tape.gradient(loss);
    assert_eq!(grad.wrt_slice(&x).collect::<Vec<_>>(), [2.0, 4.0]);
    assert_eq!(
        grad.wrt_slice(&w).collect::<Vec<_>>(),
        [1.0, 0.0, -2.0, 0.0]
    );
    // Where the NaN output is used, the NaN reaches the gradient.
    let grad = tape.gradient(y.get(1));
    assert!(grad.wrt_slice(&x).any(f64::is_nan));
}

#[test]
fn a_transposed_product_is_one_record_counting_the_edges_of_its_outputs() {
    let tape = Tape::new();
    let w = tape.var_slice(&[1.0; 6]);
    let x = tape.var_slice(&[1.0; 3]);
    let bytes = tape.recorded_bytes();
    let mut a = [0.0; 2];
    w.matvec_transposed(x, &mut a);
    // Two output nodes in one block; each would have 3 + 3 edges as a fused dot.
    assert_eq!((tape.len(), tape.edges()), (6 + 3 + 2, 2 * 2 * 3));
    // One block record and the kept values (x for ∂W, W for ∂x), nothing per entry.
    let block = tape.recorded_bytes() - bytes - (3 + 6) * std::mem::size_of::<f64>();
    let mut b = [0.0; 2];
    w.matvec(x, &mut b);
    let matvec_block = tape.recorded_bytes() - bytes - block - 2 * (3 + 6) * 8;
    assert_eq!(block, matvec_block, "the same record as matvec's");
    // Constants only: nothing recorded.
    let mut c = [0.0; 2];
    let z = VarSlice::constant(&[1.0; 6]).matvec_transposed(VarSlice::constant(&[2.0; 3]), &mut c);
    assert!(z.is_constant());
    assert_eq!(z.values(), [6.0, 6.0]);
    assert_eq!(tape.len(), 6 + 3 + 2 + 2);
}

#[test]
fn transposed_and_plain_products_agree_on_a_matrix_and_its_transpose() {
    // The same network layer two ways: W row-major by matvec, Wᵀ stored input-major
    // (the same numbers, transposed) by matvec_transposed.
    let (outputs, inputs) = (3, 5);
    let row_major: Vec<f64> = (0..outputs * inputs)
        .map(|i| (i as f64 * 0.37).sin())
        .collect();
    let input_major: Vec<f64> = (0..inputs * outputs)
        .map(|i| row_major[(i % outputs) * inputs + i / outputs])
        .collect();
    let x: Vec<f64> = (0..inputs).map(|k| 0.3 * k as f64 - 0.5).collect();
    let gradient = |transposed: bool| {
        let tape = Tape::new();
        let w = tape.var_slice(if transposed { &input_major } else { &row_major });
        let xv = tape.var_slice(&x);
        let mut y = [0.0; 3];
        let y = if transposed {
            w.matvec_transposed(xv, &mut y)
        } else {
            w.matvec(xv, &mut y)
        };
        let mut s = [0.0; 3];
        let loss = y.map(&mut s, |v| v.sigmoid()).sum();
        let grad = tape.gradient(loss);
        let mut gw = vec![0.0; w.len()];
        grad.copy_wrt_slice(&w, &mut gw);
        (loss.value(), gw, grad.wrt_slice(&xv).collect::<Vec<_>>())
    };
    let (loss_t, gw_t, gx_t) = gradient(true);
    let (loss, gw, gx) = gradient(false);
    approx::assert_relative_eq!(loss_t, loss, max_relative = 1e-15);
    for (i, g) in gw_t.iter().enumerate() {
        let (k, j) = (i / outputs, i % outputs);
        approx::assert_relative_eq!(*g, gw[j * inputs + k], max_relative = 1e-14);
    }
    for (a, b) in gx_t.iter().zip(&gx) {
        approx::assert_relative_eq!(*a, *b, max_relative = 1e-14);
    }
}

#[test]
#[should_panic(
    expected = "matvec_transposed needs a matrix of x.len() × out.len() = 3 × 2 entries"
)]
fn matvec_transposed_refuses_a_matrix_of_the_wrong_size() {
    let tape = Tape::new();
    let w = tape.var_slice(&[1.0; 5]);
    let mut out = [0.0; 2];
    w.matvec_transposed(VarSlice::constant(&[1.0; 3]), &mut out);
}

#[test]
#[should_panic(expected = "an operation mixed Vars from two different Tapes")]
fn matvec_transposed_refuses_operands_of_two_tapes() {
    let (a, b) = (Tape::new(), Tape::new());
    let w = a.var_slice(&[1.0; 4]);
    let x = b.var_slice(&[1.0; 2]);
    let mut out = [0.0; 2];
    w.matvec_transposed(x, &mut out);
}

#[test]
#[should_panic(
    expected = "copy_wrt_slice needs an output buffer as long as the slice (3 entries, not 4): pass &mut out[..xs.len()]"
)]
fn copy_wrt_slice_refuses_a_buffer_of_another_length() {
    let tape = Tape::new();
    let x = tape.var_slice(&[1.0, 2.0, 3.0]);
    let grad = tape.gradient(x.sum());
    let mut out = [0.0; 4];
    grad.copy_wrt_slice(&x, &mut out);
}

#[test]
#[should_panic(expected = "this Gradient was taken on another Tape")]
fn copy_wrt_slice_refuses_a_slice_of_another_tape() {
    let (a, b) = (Tape::new(), Tape::new());
    let x = a.var_slice(&[1.0, 2.0]);
    let other = b.var_slice(&[1.0, 2.0]);
    let grad = a.gradient(x.sum());
    let mut out = [0.0; 2];
    grad.copy_wrt_slice(&other, &mut out);
}

//! The bulk records — a block of leaves (`Tape::var_slice`) and a matrix–vector product
//! (`VarSlice::matvec`) — give the gradients the scalar path gives for the same function
//! written op by op, and those of central differences; their elementwise companions
//! `map`, `zip_map`, `dot` and `sum` record what the scalar ops record.

mod common;
#[path = "support/tape.rs"]
mod support;

use gradproof::check::central_gradient;
use gradproof::prelude::*;
use gradproof::tape::VarSlice;
use proptest::prelude::*;
use support::{close, problem};

/// The test function: `L = Σⱼ cⱼ·tanh(yⱼ)` with `y = W·x`, by the matrix–vector block.
/// `w_vars`/`x_vars` choose which of `W` and `x` are variables.
fn by_block(w: &[f64], x: &[f64], c: &[f64], w_vars: bool, x_vars: bool) -> (f64, Vec<f64>) {
    let tape = Tape::new();
    let wv = if w_vars {
        tape.var_slice(w)
    } else {
        VarSlice::constant(w)
    };
    let xv = if x_vars {
        tape.var_slice(x)
    } else {
        VarSlice::constant(x)
    };
    let mut y = vec![0.0; c.len()];
    let y = wv.matvec(xv, &mut y);
    let mut t = vec![0.0; c.len()];
    let t = y.map(&mut t, |y| y.tanh());
    let loss = t.dot(VarSlice::constant(c));
    let grad = tape.gradient(loss);
    let mut g: Vec<f64> = grad.wrt_slice(&wv).collect();
    g.extend(grad.wrt_slice(&xv));
    (loss.value(), g)
}

/// The same function op by op: every product and sum its own scalar node.
fn by_scalars(w: &[f64], x: &[f64], c: &[f64], w_vars: bool, x_vars: bool) -> (f64, Vec<f64>) {
    let tape = Tape::new();
    let lift = |values: &[f64], vars: bool| -> Vec<Var<'_, f64>> {
        if vars {
            tape.vars(values)
        } else {
            values.iter().map(|&v| Var::constant(v)).collect()
        }
    };
    let (wv, xv) = (lift(w, w_vars), lift(x, x_vars));
    let mut loss = Var::constant(0.0);
    for (row, &cj) in wv.chunks_exact(x.len()).zip(c) {
        let mut y = Var::constant(0.0);
        for (&wjk, &xk) in row.iter().zip(&xv) {
            y += wjk * xk;
        }
        loss += y.tanh() * cj;
    }
    let grad = tape.gradient(loss);
    let mut g = grad.wrt_all(&wv);
    g.extend(grad.wrt_all(&xv));
    (loss.value(), g)
}

/// The same function on plain floats, of the flat parameters `W ++ x`.
fn plain(p: &[f64], cols: usize, c: &[f64]) -> f64 {
    let (w, x) = p.split_at(p.len() - cols);
    w.chunks_exact(cols)
        .zip(c)
        .map(|(row, cj)| cj * row.iter().zip(x).map(|(a, b)| a * b).sum::<f64>().tanh())
        .sum()
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_blocks.txt"))]

    #[test]
    fn matvec_gradient_equals_the_scalar_path_s((w, x, c) in problem(), which in 0usize..3) {
        let (w_vars, x_vars) = [(true, true), (true, false), (false, true)][which];
        let (block_loss, block) = by_block(&w, &x, &c, w_vars, x_vars);
        let (scalar_loss, scalar) = by_scalars(&w, &x, &c, w_vars, x_vars);
        // The block sums each row in four lanes, the scalar path left to right: the
        // two differ by rounding, at most a few ulps of the terms' magnitudes (≤ 2.25·8).
        let scale = 1.0 + c.iter().map(|v| v.abs()).sum::<f64>() * 20.0;
        prop_assert!((block_loss - scalar_loss).abs() <= 64.0 * f64::EPSILON * scale);
        close(&block, &scalar, 64.0 * f64::EPSILON, scale)?;
        // Constants get zero gradients.
        let (nw, nx) = (w.len(), x.len());
        if !w_vars { prop_assert!(block[..nw].iter().all(|&g| g == 0.0)); }
        if !x_vars { prop_assert!(block[nw..nw + nx].iter().all(|&g| g == 0.0)); }
    }

    #[test]
    fn matvec_gradient_equals_central_differences((w, x, c) in problem()) {
        let (_, block) = by_block(&w, &x, &c, true, true);
        let p: Vec<f64> = w.iter().chain(&x).copied().collect();
        let numeric = central_gradient(|p| plain(p, x.len(), &c), &p);
        // Central differences with step ε^⅓: truncation and rounding both ≈ ε^⅔ times
        // the derivatives' size (here below 10²).
        close(&block, &numeric, 1e-7, 1.0 + c.iter().map(|v| v.abs()).sum::<f64>())?;
    }

    #[test]
    fn the_finite_difference_check_rejects_a_backward_pass_that_drops_the_slope((w, x, c) in problem()) {
        // A plausible wrong backward pass: ∂L/∂W[j][k] = cⱼ·xₖ, forgetting tanh′(yⱼ).
        // The check used above rejects it wherever tanh′ is visibly below one.
        let y: Vec<f64> = w.chunks_exact(x.len()).map(|row| row.iter().zip(&x).map(|(a, b)| a * b).sum()).collect();
        prop_assume!(y.iter().zip(&c).any(|(yj, cj)| yj.abs() > 0.3 && cj.abs() > 0.3));
        let mut wrong: Vec<f64> = w.chunks_exact(x.len()).zip(&c).flat_map(|(_, cj)| x.iter().map(move |xk| cj * xk)).collect();
        wrong.extend(x.iter().map(|_| 0.0));
        let (_, right) = by_block(&w, &x, &c, true, true);
        let p: Vec<f64> = w.iter().chain(&x).copied().collect();
        let numeric = central_gradient(|p| plain(p, x.len(), &c), &p);
        let scale = 1.0 + c.iter().map(|v| v.abs()).sum::<f64>();
        prop_assert!(close(&right, &numeric, 1e-7, scale).is_ok());
        prop_assert!(close(&wrong, &numeric, 1e-7, scale).is_err());
    }

    #[test]
    fn slice_dot_and_sum_record_what_var_dot_and_var_sum_record(
        a in prop::collection::vec(-3.0..3.0f64, 0..9),
        seed in any::<u64>(),
    ) {
        let b: Vec<f64> = a.iter().enumerate().map(|(i, v)| v * 0.5 - (i as f64) + (seed % 7) as f64).collect();
        let tape = Tape::new();
        let (av, bv) = (tape.var_slice(&a), tape.var_slice(&b));
        let (ab_vars, bb_vars): (Vec<_>, Vec<_>) = (av.iter().collect(), bv.iter().collect());
        let pairs = [
            (av.dot(bv), Var::dot(&ab_vars, &bb_vars)),
            (av.dot(VarSlice::constant(&b)), Var::dot(&ab_vars, &b.iter().map(|&v| Var::constant(v)).collect::<Vec<_>>())),
            (av.sum(), Var::sum(&ab_vars)),
        ];
        for (slice, scalar) in pairs {
            prop_assert_eq!(slice.value().to_bits(), scalar.value().to_bits());
            let (gs, gv) = (tape.gradient(slice), tape.gradient(scalar));
            for (x, y) in gs.wrt_slice(&av).zip(gv.wrt_slice(&av)) {
                prop_assert_eq!(x.to_bits(), y.to_bits());
            }
            for (x, y) in gs.wrt_slice(&bv).zip(gv.wrt_slice(&bv)) {
                prop_assert_eq!(x.to_bits(), y.to_bits());
            }
        }
    }
}

#[test]
fn the_gradient_of_one_output_of_a_matvec_uses_that_row_only() {
    let tape = Tape::new();
    let w = tape.var_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let x = tape.var_slice(&[0.5, -1.0]);
    let mut y = [0.0; 3];
    let y = w.matvec(x, &mut y);
    assert_eq!(y.values(), [-1.5, -2.5, -3.5]);
    // y₁ = 3·x₀ + 4·x₁: the output sits inside the block, rows after it are not swept.
    let grad = tape.gradient(y.get(1));
    assert_eq!(
        grad.wrt_slice(&w).collect::<Vec<_>>(),
        [0.0, 0.0, 0.5, -1.0, 0.0, 0.0]
    );
    assert_eq!(grad.wrt_slice(&x).collect::<Vec<_>>(), [3.0, 4.0]);
    // A leaf inside a block of leaves: its own gradient is one, the others' zero.
    let grad = tape.gradient(w.get(4));
    assert_eq!(
        grad.wrt_slice(&w).collect::<Vec<_>>(),
        [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    );
}

#[test]
fn a_row_with_a_zero_adjoint_passes_nothing_on_even_a_nan() {
    let tape = Tape::new();
    let w = tape.var_slice(&[1.0, 2.0, f64::NAN, f64::INFINITY]);
    let x = tape.var_slice(&[0.5, -1.0]);
    let mut y = [0.0; 2];
    let y = w.matvec(x, &mut y);
    assert!(y.values()[1].is_nan());
    // Only row 0 is used: row 1's NaN and ∞ must not reach ∂/∂x (as 0·NaN would).
    let grad = tape.gradient(y.get(0) * 2.0);
    assert_eq!(grad.wrt_slice(&x).collect::<Vec<_>>(), [2.0, 4.0]);
    assert_eq!(
        grad.wrt_slice(&w).collect::<Vec<_>>(),
        [1.0, -2.0, 0.0, 0.0]
    );
    // Where the NaN row is used, the NaN reaches the gradient.
    let grad = tape.gradient(y.get(1));
    assert!(grad.wrt_slice(&x).any(f64::is_nan));
}

#[test]
fn two_matvecs_sharing_weights_add_their_contributions() {
    // A batch of two samples against the same weights, with scalar nodes between.
    let tape = Tape::new();
    let w = tape.var_slice(&[0.5, -0.25, 1.5, 2.0]);
    let (mut y1, mut y2) = ([0.0; 2], [0.0; 2]);
    let y1 = w.matvec(VarSlice::constant(&[1.0, 2.0]), &mut y1);
    let s1 = y1.sum().sin();
    let y2 = w.matvec(VarSlice::constant(&[-3.0, 0.5]), &mut y2);
    let loss = s1 + y2.sum() * 3.0;
    let by_blocks: Vec<f64> = tape.gradient(loss).wrt_slice(&w).collect();

    let c1 = s1.value().asin().cos(); // cos of the sum, the derivative of sin
    let expected = [
        c1 * 1.0 + 3.0 * -3.0,
        c1 * 2.0 + 3.0 * 0.5,
        c1 * 1.0 + 3.0 * -3.0,
        c1 * 2.0 + 3.0 * 0.5,
    ];
    for (g, e) in by_blocks.iter().zip(expected) {
        approx::assert_relative_eq!(*g, e, max_relative = 1e-14);
    }
}

#[test]
fn edges_count_a_matvec_as_its_rows_of_fused_dot_products() {
    let tape = Tape::new();
    let w = tape.var_slice(&[1.0; 6]);
    let x = tape.var_slice(&[1.0; 3]);
    let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
    w.matvec(x, &mut a);
    assert_eq!((tape.len(), tape.edges()), (6 + 3 + 2, 2 * 2 * 3));
    w.matvec(VarSlice::constant(&[1.0; 3]), &mut b);
    assert_eq!((tape.len(), tape.edges()), (6 + 3 + 4, 2 * 2 * 3 + 2 * 3));
    // Constants only: nothing recorded.
    let mut c = [0.0; 2];
    let z = VarSlice::constant(&[1.0; 6]).matvec(VarSlice::constant(&[2.0; 3]), &mut c);
    assert!(z.is_constant());
    assert_eq!(z.values(), [6.0, 6.0]);
    assert_eq!(tape.len(), 13);
}

#[test]
#[should_panic(expected = "map and zip_map need f to record exactly one new node per element")]
fn map_refuses_a_function_recording_two_nodes_per_element() {
    let tape = Tape::new();
    let x = tape.var_slice(&[1.0, 2.0]);
    let mut out = [0.0; 2];
    x.map(&mut out, |v| v.sin().cos());
}

#[test]
#[should_panic(expected = "matvec needs a matrix of out.len() × x.len() = 2 × 3 entries")]
fn matvec_refuses_a_matrix_of_the_wrong_size() {
    let tape = Tape::new();
    let w = tape.var_slice(&[1.0; 5]);
    let mut out = [0.0; 2];
    w.matvec(VarSlice::constant(&[1.0; 3]), &mut out);
}

#[test]
#[should_panic(expected = "an operation mixed Vars from two different Tapes")]
fn matvec_refuses_operands_of_two_tapes() {
    let (a, b) = (Tape::new(), Tape::new());
    let w = a.var_slice(&[1.0; 4]);
    let x = b.var_slice(&[1.0; 2]);
    let mut out = [0.0; 2];
    w.matvec(x, &mut out);
}

#[test]
fn the_mlp_network_path_equals_the_fused_dot_path_of_mlp_record() {
    use gradproof::nn::mlp::{Mlp, Shape, Workspace};
    // Widths below four: the block's four-lane sums add in the same order as Var::dot,
    // so the two recordings give the same bits.
    for shape in [Shape::new(&[3, 3, 3]), Shape::with_biases(&[2, 3, 3, 1])] {
        let net = Mlp::<f64>::seeded(shape.unwrap(), 11);
        let x: Vec<f64> = (0..net.shape().inputs())
            .map(|i| 0.3 * i as f64 - 0.4)
            .collect();
        let y = vec![0.75; net.shape().outputs()];
        let tape = Tape::new();
        let recorded = net.record(&tape);
        let xc: Vec<_> = x.iter().map(|&v| Var::constant(v)).collect();
        let yc: Vec<_> = y.iter().map(|&v| Var::constant(v)).collect();
        let loss = recorded.loss(&xc, &yc).unwrap();
        let fused = tape.gradient(loss).wrt_all(recorded.params());

        let (mut tape2, mut workspace) = (Tape::new(), Workspace::new());
        let block_loss = net
            .tape_backprop(&mut tape2, &x, &y, &mut workspace)
            .unwrap();
        assert_eq!(block_loss.to_bits(), loss.value().to_bits());
        assert_eq!(workspace.gradient(), &fused[..]);
    }
}

#[test]
fn wrt_slice_answers_zero_for_variables_recorded_after_the_output() {
    let tape = Tape::new();
    let early = tape.var_slice(&[1.0, 2.0]);
    let y = early.sum() * 3.0;
    let late = tape.var_slice(&[5.0, 6.0, 7.0]);
    let _after = late.sum() * y;
    let grad = tape.gradient(y);
    assert_eq!(grad.wrt_slice(&early).collect::<Vec<_>>(), [3.0, 3.0]);
    assert_eq!(grad.wrt_slice(&late).collect::<Vec<_>>(), [0.0, 0.0, 0.0]);
    assert_eq!(
        grad.wrt_slice(&VarSlice::constant(&[1.0]))
            .collect::<Vec<_>>(),
        [0.0]
    );
}

#[test]
fn a_gradient_with_a_buffer_sweeps_into_the_caller_s_vector_without_a_copy() {
    let tape = Tape::new();
    let x = tape.var_slice(&[0.5, -2.0, 4.0]);
    let y = x.dot(x);
    let buffer = Vec::with_capacity(16);
    let address = buffer.as_ptr();
    let mut grad = Gradient::with_buffer(&tape, buffer);
    tape.gradient_into(y, &mut grad);
    let adjoints = grad.into_adjoints();
    assert_eq!(adjoints.as_ptr(), address, "the buffer was reallocated");
    // The leaves come first: their adjoints are the gradient, 2x.
    assert_eq!(adjoints[..3], [1.0, -4.0, 8.0]);
}

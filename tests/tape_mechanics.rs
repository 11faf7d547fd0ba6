//! How the tape works as a data structure: code written once runs on floats and on the
//! tape; the backward sweep is iterative (ten million nodes on a 256 KiB stack) and
//! linear; a cleared tape keeps its memory; variables of two tapes are never mixed
//! silently; seeded sweeps, reusable gradient buffers, constants and late variables.

mod common;

use std::time::Instant;

use gradproof::check::central_gradient;
use gradproof::prelude::*;
use proptest::prelude::*;

/// A user's function written once for any `Float`: constants made with `T::from`,
/// `T::one()`, methods and operators mixed.
fn written_once<T: Float>(x: &[T]) -> T {
    let half = T::from(0.5).unwrap();
    let r = (x[0] * x[0] + x[1] * x[1]).sqrt();
    let wave = (x[0] * T::from(3.0).unwrap()).sin() * x[1].cos();
    let bump = (-(x[2] - half).powi(2)).exp();
    let ratio = x[0] / (T::one() + x[2].abs());
    (r + wave) * bump + ratio.atan2(half) - x[1].max(x[2]) + x[0].powf(x[2])
}

/// A neuron written once for any `Scalar`.
fn neuron<T: Scalar>(w: &[T], x: &[T], bias: T) -> T {
    let hidden: Vec<T> = w.iter().map(|&wi| (wi * x[0] + bias).relu()).collect();
    (T::dot(w, x) + T::sum(&hidden)).sigmoid()
}

#[test]
fn a_function_written_once_for_float_runs_unchanged_on_f64_f32_and_the_tape() {
    let x = [1.25, -0.75, 0.5f64];
    let plain = written_once(&x);
    let tape = Tape::new();
    let vars = tape.vars(&x);
    let recorded = written_once(&vars);
    assert_eq!(recorded.value().to_bits(), plain.to_bits());

    let x32 = x.map(|v| v as f32);
    let tape32 = Tape::new();
    let vars32 = tape32.vars(&x32);
    assert_eq!(
        written_once(&vars32).value().to_bits(),
        written_once(&x32).to_bits()
    );

    // And the tape differentiates it: the same numbers as central differences.
    let grad = tape.gradient(recorded).wrt_all(&vars);
    let numeric = central_gradient(written_once::<f64>, &x);
    for (g, n) in grad.iter().zip(&numeric) {
        approx::assert_relative_eq!(g, n, max_relative = 1e-8);
    }
}

#[test]
fn a_function_written_once_for_scalar_runs_unchanged_on_f64_f32_and_the_tape() {
    let (w, x, bias) = ([0.5, -1.5, 0.25], [1.0, 2.0, -0.5], 0.1f64);
    let plain = neuron(&w, &x, bias);
    let tape = Tape::new();
    let wv = tape.vars(&w);
    let xv = x.map(Var::constant);
    let recorded = neuron(&wv, &xv, Var::constant(bias));
    assert_eq!(recorded.value().to_bits(), plain.to_bits());

    let (w32, x32) = (w.map(|v| v as f32), x.map(|v| v as f32));
    let tape32 = Tape::new();
    let wv32 = tape32.vars(&w32);
    let xv32 = x32.map(Var::constant);
    assert_eq!(
        neuron(&wv32, &xv32, Var::constant(0.1f32))
            .value()
            .to_bits(),
        neuron(&w32, &x32, 0.1f32).to_bits()
    );

    let grad = tape.gradient(recorded).wrt_all(&wv);
    let numeric = central_gradient(|w: &[f64]| neuron(w, &x, bias), &w);
    for (g, n) in grad.iter().zip(&numeric) {
        approx::assert_relative_eq!(g, n, max_relative = 1e-8);
    }
}

/// Runs `f` on a thread with a 256 KiB stack: a recursive sweep over millions of nodes
/// would overflow it (and abort the test process).
fn on_a_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the thread finished")
}

#[test]
fn backward_sweep_over_a_chain_of_ten_million_nodes_needs_no_recursion() {
    const N: usize = 10_000_000;
    let (derivative, expected, nodes, seconds) = on_a_small_stack(|| {
        let start = Instant::now();
        let tape = Tape::with_capacity(N, 0);
        let x = tape.var(0.5f64);
        let mut y = x;
        for _ in 0..N {
            y = y.sin();
        }
        let derivative = tape.gradient(y).wrt(x);
        // d/dx of sin∘…∘sin is the product of cos at each intermediate value; the sweep
        // multiplies from the output back, so the same order gives the same bits.
        let mut values = Vec::with_capacity(N);
        let mut v = 0.5f64;
        for _ in 0..N {
            values.push(v);
            v = v.sin();
        }
        let expected = values.iter().rev().fold(1.0, |acc, &v| acc * v.cos());
        (
            derivative,
            expected,
            tape.len(),
            start.elapsed().as_secs_f64(),
        )
    });
    assert_eq!(nodes, N + 1);
    assert_eq!(derivative.to_bits(), expected.to_bits());
    // The derivative of sin applied n times falls like n^(−3/2) (it is ≈ 1.2·10⁻⁹
    // here): a real, non-vanishing number, not an underflowed zero.
    assert!(derivative > 1e-10 && derivative < 1e-8, "{derivative}");
    eprintln!("10^7-node chain recorded and swept in {seconds:.2} s");
}

#[test]
fn a_wide_sum_of_a_million_variables_has_a_unit_gradient() {
    const N: usize = 1_000_000;
    on_a_small_stack(|| {
        let tape = Tape::new();
        let values: Vec<f64> = (0..N).map(|i| i as f64).collect();
        let xs = tape.vars(&values);

        // One fused node with a million edges.
        let fused = Var::sum(&xs);
        assert_eq!((tape.len(), tape.edges()), (N + 1, N));
        assert_eq!(fused.value(), (N * (N - 1) / 2) as f64);
        let grad = tape.gradient(fused);
        assert!(xs.iter().all(|&x| grad.wrt(x) == 1.0));

        // A chain of a million binary additions: a million nodes deep.
        let chained: Var<'_, f64> = xs.iter().copied().sum();
        assert_eq!(chained.value(), fused.value());
        let grad = tape.gradient(chained);
        assert!(xs.iter().all(|&x| grad.wrt(x) == 1.0));
        assert_eq!(grad.wrt(fused), 0.0);
    });
}

/// Records the same small computation: three variables, eight ops.
fn record(tape: &Tape<f64>) -> f64 {
    let x = tape.vars(&[0.5, 1.5, -2.0]);
    let y = (x[0] * x[1] + x[2].exp()).sin() / (x[0] + 2.0) - Var::sum(&x);
    tape.gradient(y).wrt(x[0])
}

#[test]
fn clear_keeps_the_tape_s_memory_for_the_next_recording() {
    let mut tape = Tape::new();
    let first = record(&tape);
    let (len, edges, capacity) = (tape.len(), tape.edges(), tape.capacity());

    tape.clear();
    assert!(tape.is_empty() && tape.edges() == 0);
    assert_eq!(tape.capacity(), capacity);

    let second = record(&tape);
    assert_eq!((tape.len(), tape.edges()), (len, edges));
    assert_eq!(
        tape.capacity(),
        capacity,
        "the same recording allocated again"
    );
    assert_eq!(first.to_bits(), second.to_bits());
}

#[test]
fn with_capacity_reserves_room_for_the_nodes_and_edges() {
    let tape = Tape::<f64>::with_capacity(100, 200);
    let (nodes, edges) = tape.capacity();
    assert!(nodes >= 100 && edges >= 200);
    record(&tape);
    assert_eq!(tape.capacity(), (nodes, edges));
}

#[test]
#[should_panic(expected = "an operation mixed Vars from two different Tapes")]
fn an_op_on_vars_of_two_tapes_panics() {
    let (a, b) = (Tape::new(), Tape::new());
    let _ = a.var(1.0) * b.var(2.0);
}

#[test]
#[should_panic(expected = "an operation mixed Vars from two different Tapes")]
fn a_fused_sum_over_vars_of_two_tapes_panics() {
    let (a, b) = (Tape::new(), Tape::new());
    let _ = Var::sum(&[a.var(1.0), Var::constant(3.0), b.var(2.0)]);
}

#[test]
#[should_panic(expected = "an operation mixed Vars from two different Tapes")]
fn mul_add_over_vars_of_two_tapes_panics() {
    let (a, b) = (Tape::new(), Tape::new());
    let _ = a.var(1.0).mul_add(Var::constant(2.0), b.var(2.0));
}

#[test]
#[should_panic(expected = "cannot take a gradient of a Var recorded on another Tape")]
fn taking_the_gradient_of_another_tape_s_var_panics() {
    let (a, b) = (Tape::new(), Tape::new());
    let y = b.var(2.0).exp();
    let _ = a.gradient(y);
}

#[test]
#[should_panic(expected = "this Gradient was taken on another Tape than the Var's")]
fn asking_a_gradient_about_another_tape_s_var_panics() {
    let (a, b) = (Tape::new(), Tape::new());
    let x = a.var(1.0);
    let grad = a.gradient(x * x);
    let _ = grad.wrt(b.var(1.0));
}

#[test]
#[should_panic(expected = "this Gradient was taken before its Tape was cleared")]
fn querying_a_gradient_after_clear_panics() {
    let mut tape = Tape::new();
    let grad = {
        let x = tape.var(3.0);
        tape.gradient(x * x)
    };
    tape.clear();
    // Node 0 again, but of another recording: answering would be a stale adjoint.
    let x = tape.var(5.0);
    let _ = grad.wrt(x);
}

#[test]
fn one_recording_can_be_swept_many_times() {
    let tape = Tape::new();
    let x = tape.vars(&[0.3, -1.2]);
    let y = (x[0] * x[1]).tanh();
    let z = x[0].exp() + y;
    let (gy, gz, gy_again) = (tape.gradient(y), tape.gradient(z), tape.gradient(y));
    assert_eq!(gy.adjoints(), gy_again.adjoints());
    assert_eq!(gz.wrt(x[0]), x[0].value().exp() + gy.wrt(x[0]));
}

#[test]
fn gradient_into_reuses_its_buffer() {
    let tape = Tape::new();
    let x = tape.vars(&[0.5, 2.0]);
    let y = x[0].sin() * x[1];
    let z = x[0] + x[1].ln();
    // Sized once by the later output z; y needs fewer adjoints and fits too.
    let mut buffer = Gradient::empty(&tape);
    tape.gradient_into(z, &mut buffer);
    let address = buffer.adjoints().as_ptr();
    for output in [y, z, y, z] {
        tape.gradient_into(output, &mut buffer);
        assert_eq!(
            buffer.adjoints().as_ptr(),
            address,
            "the buffer was reallocated"
        );
        assert_eq!(buffer.wrt_all(&x), tape.gradient(output).wrt_all(&x));
    }
}

#[test]
fn constants_have_zero_gradient_and_record_nothing() {
    let tape = Tape::new();
    let x = tape.var(2.0);
    let before = tape.len();
    let c = Var::constant(3.0);
    let k = (c * c).exp() + Var::sum(&[c, c]) + Var::dot(&[c], &[c]) + 1.0;
    assert!(k.is_constant());
    assert_eq!(tape.len(), before, "an op on constants recorded a node");

    let y = x * c + k;
    let grad = tape.gradient(y);
    assert_eq!((grad.wrt(x), grad.wrt(c), grad.wrt(k)), (3.0, 0.0, 0.0));
    // A constant output: a zero gradient everywhere.
    assert_eq!(tape.gradient(k).wrt(x), 0.0);
}

#[test]
fn fused_sums_and_dot_products_record_one_node() {
    let tape = Tape::new();
    let a = tape.vars(&[1.0, 2.0, 3.0]);
    let b = [4.0, 5.0, 6.0].map(Var::constant);
    let nodes = tape.len();
    let edges = tape.edges();
    let _ = Var::sum(&a);
    let _ = Var::dot(&a, &b);
    let _ = Var::dot(&a, &a);
    let _ = <Var<'_, f64> as Scalar>::dot(&b, &a);
    assert_eq!(tape.len(), nodes + 4);
    // Constants get no edges: 3 + 3 + 6 + 3.
    assert_eq!(tape.edges(), edges + 15);
}

#[test]
fn the_gradient_with_respect_to_a_variable_recorded_after_the_output_is_zero() {
    let tape = Tape::new();
    let x = tape.var(1.5);
    let y = x * x;
    let late = tape.var(4.0);
    let _after = y * late;
    let grad = tape.gradient(y);
    assert_eq!((grad.wrt(x), grad.wrt(late)), (3.0, 0.0));
    assert_eq!(grad.adjoints().len(), 2, "the sweep stops at the output");
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_mechanics.txt"))]

    /// One seeded sweep gives Σ wₖ·∇yₖ for several outputs at once.
    #[test]
    fn vjp_equals_the_weighted_sum_of_single_gradients(
        x in prop::array::uniform3(-2.0..2.0f64),
        w in prop::array::uniform3(-3.0..3.0f64),
    ) {
        let tape = Tape::new();
        let v = tape.vars(&x);
        let outputs = [
            (v[0] * v[1]).sin() + v[2],
            v[0].exp() * v[2].tanh(),
            Var::dot(&v, &v).sqrt(),
        ];
        let seeds: Vec<_> = outputs.iter().zip(w).map(|(&y, wk)| (y, wk)).collect();
        let vjp = tape.vjp(&seeds);
        let singles: Vec<Vec<f64>> = outputs.iter().map(|&y| tape.gradient(y).wrt_all(&v)).collect();
        for (i, &var) in v.iter().enumerate() {
            let weighted: f64 = (0..3).map(|k| w[k] * singles[k][i]).sum();
            let scale: f64 = (0..3).map(|k| (w[k] * singles[k][i]).abs()).sum();
            prop_assert!(
                (vjp.wrt(var) - weighted).abs() <= 8.0 * f64::EPSILON * scale,
                "∂/∂x{}: vjp {} vs Σ w·∇ {}", i, vjp.wrt(var), weighted
            );
        }
        // Seeding the same output twice adds the weights.
        let twice = tape.vjp(&[(outputs[0], w[0]), (outputs[0], w[1])]);
        let once = tape.vjp(&[(outputs[0], w[0] + w[1])]);
        for &var in &v {
            approx::assert_relative_eq!(twice.wrt(var), once.wrt(var), max_relative = 1e-14, epsilon = 1e-300);
        }
    }
}

//! The tape plan's gradient is the symbolic gradient's value: on random networks in
//! matrix form (random shapes, activations, products written as written or through a
//! transpose, losses from `dot`, `softmax`, `log_sum_exp`, `norm`, `outer`, entries),
//! at random values; and a deliberately wrong lowering is caught by that comparison.

use proptest::prelude::*;

use super::parse;
use super::program::Program;
use super::tape_plan::TapePlan;
use crate::check::{central_difference, central_step};
use crate::Tape;

const ACTIVATIONS: [&str; 4] = ["sigma", "tanh", "sin", "exp"];

/// The hidden layer's net input, in several spellings of the same kind of thing.
const FIRST: [&str; 4] = [
    "z1 = W1 * x + b1",
    "z1 = W1 * x - 2 * b1",
    "z1 = hadamard(W1 * x, b1) + b1 * 0.5",
    "z1 = (x^T * W1^T)^T + b1",
];

/// The output layer: as written, through a stored transpose, as a row times a
/// matrix, with elementwise and matrix–matrix products.
const SECOND: [&str; 5] = [
    "z2 = W2 * a1",
    "z2 = V2^T * a1",
    "z2 = (a1^T * V2)^T",
    "z2 = W2 * (a1 ⊙ a1) - 0.5 * (W2 * a1)",
    "z2 = transpose(V2) * a1 + W3 * W1 * x",
];

const LOSSES: [&str; 7] = [
    "loss L = 1/2 * dot(y - z2, y - z2)",
    "loss L = -dot(y, ln(softmax(z2)))",
    "loss L = log_sum_exp(z2) - dot(y, z2)",
    "loss L = norm(z2 - y)^2 / 2 + sum(z1)^2",
    "loss L = sum(outer(z2, y) ⊙ outer(y, z2)^T)",
    "loss L = z2[1] * a1[1] + (y^T * z2)^2",
    "loss L = sum((z2 - y)^3) + sum(-a1 / 3)",
];

/// A network with `n` inputs, `h` hidden and `m` outputs in matrix form (`h` and `m`
/// at least 2: a 1-vector is a scalar, which has no entries `z2[1]`).
fn network(n: usize, h: usize, m: usize, choice: [usize; 4]) -> String {
    let [first, act, second, loss] = choice;
    format!(
        "input x: {n}\ninput y: {m}\nparam W1: {h}x{n}\nparam b1: {h}\nparam W2: {m}x{h}\n\
         param V2: {h}x{m}\nparam W3: {m}x{h}\n{}\na1 = {}(z1)\n{}\n{}\n",
        FIRST[first], ACTIVATIONS[act], SECOND[second], LOSSES[loss]
    )
}

/// Every leaf's name, in leaf order.
fn leaf_names(program: &Program) -> Vec<String> {
    program.leaves().iter().map(|l| l.name.clone()).collect()
}

/// The symbolic gradient of `L` with respect to every leaf, evaluated at `values`, each
/// entry with the error model's bound on its rounding.
fn symbolic(program: &Program, values: &[f64]) -> Vec<(f64, f64)> {
    let mut p = program.clone();
    let names = leaf_names(program);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let ids = p.gradients("L", &names).expect("every leaf is a variable");
    p.evaluate_with_error(&ids, values)
}

/// The plan's gradient with respect to every leaf at `values`.
fn taped(plan: &TapePlan, values: &[f64]) -> Vec<f64> {
    plan.gradient(values).1
}

/// Whether two gradients agree to rounding (a few ulps of their scale per term).
///
/// An entry whose evaluation the error model cannot bound (a step overflows: with
/// `z2` near 380, `S²` is ∞ and a term `exp(z1)·exp(z3)/S²` evaluates to 0, a finite
/// number that is wrong) is no reference, and is left out; at 10⁵ cases such a term
/// made the symbolic entry 8.78 where the tape and finite differences give −75.9.
fn agree(symbolic: &[(f64, f64)], tape: &[f64]) -> bool {
    symbolic.len() == tape.len()
        && symbolic
            .iter()
            .zip(tape)
            .filter(|((_, bound), _)| bound.is_finite())
            .all(|(&(x, _), y)| (x - y).abs() <= 1e-11 * (1.0 + x.abs().max(y.abs())))
}

fn plan_for(program: &Program) -> TapePlan {
    let names = leaf_names(program);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    program.tape_plan("L", &names).expect("a plan")
}

/// The leaves' values: the first `count` of `pool`.
fn values(program: &Program, pool: &[f64]) -> Vec<f64> {
    pool.iter()
        .copied()
        .cycle()
        .take(program.leaves().len())
        .collect()
}

proptest! {
    // 96 cases: each builds and sweeps a plan.
    #![proptest_config(crate::proptest_cases::config(96))]

    #[test]
    fn the_tape_plan_gradient_equals_the_symbolic_gradient(
        n in 1usize..5, h in 2usize..5, m in 2usize..5,
        first in 0..FIRST.len(), act in 0..ACTIVATIONS.len(),
        second in 0..SECOND.len(), loss in 0..LOSSES.len(),
        pool in proptest::collection::vec(-1.0f64..1.0, 97),
    ) {
        let source = network(n, h, m, [first, act, second, loss]);
        let program = parse(&source).expect("the network parses");
        let x = values(&program, &pool);
        let plan = plan_for(&program);
        let (s, t) = (symbolic(&program, &x), taped(&plan, &x));
        prop_assert!(agree(&s, &t), "{source}\nsymbolic {s:?}\ntape     {t:?}");
        // The value is the program's, too.
        let l = program.expr("L").unwrap();
        let (value, _) = plan.gradient(&x);
        let expected = program.evaluate(&[l], &x)[0];
        if expected.is_finite() {
            prop_assert!((value - expected).abs() <= 1e-11 * (1.0 + expected.abs()));
        } else {
            prop_assert!(!value.is_finite(), "{value} where the program gives {expected}");
        }
    }

    #[test]
    fn a_transposed_product_swapped_in_is_caught(
        n in 2usize..5, h in 2usize..5,
        pool in proptest::collection::vec(-1.0f64..1.0, 97),
    ) {
        // `W1 * x` recorded as `W1`'s storage read input-major: the wrong numbers.
        let source = network(n, h, 2, [0, 0, 0, 0]);
        let program = parse(&source).expect("the network parses");
        let x = values(&program, &pool);
        let mut plan = plan_for(&program);
        prop_assert!(agree(&symbolic(&program, &x), &taped(&plan, &x)));
        plan.faulty_products = true;
        prop_assert!(!agree(&symbolic(&program, &x), &taped(&plan, &x)));
    }
}

#[test]
fn the_tape_plan_gradient_matches_central_differences() {
    let source = network(3, 4, 2, [0, 0, 1, 1]);
    let program = parse(&source).expect("parses");
    let x = program.leaf_values();
    let (_, g) = plan_for(&program).gradient(&x);
    let l = program.expr("L").unwrap();
    let f = |v: &[f64]| program.evaluate(&[l], v)[0];
    for (i, &gi) in g.iter().enumerate() {
        let d = central_difference(f, &x, i, central_step(x[i]));
        // Truncation h²·|f'''|/6 and rounding ε·|f|/h with h = ε^(1/3): about 1e-10
        // for this smooth, order-one loss.
        assert!((d - gi).abs() < 1e-8, "leaf {i}: tape {gi}, central {d}");
    }
}

#[test]
fn a_matrix_product_is_one_record_not_a_sum_per_entry() {
    let program = parse(&network(30, 20, 5, [0, 0, 0, 0])).expect("parses");
    let plan = program.tape_plan("L", &["W1", "W2"]).expect("a plan");
    // The scalar steps are the loss's own `1/2 * (...)`, none from the matrices.
    assert!(
        plan.scalar_steps() <= 2,
        "{} scalar steps",
        plan.scalar_steps()
    );
    let mut tape = Tape::new();
    let mut g = Vec::new();
    plan.gradient_into(&mut tape, &program.leaf_values(), &mut g);
    // Leaves (one block each), 20 + 5 products, 20 + 20 hidden, 5 + 5 + 1 loss, ...:
    // far fewer than the 2·20·30 scalar nodes of `W1 * x` alone.
    assert!(tape.len() < 20 * 30 + 200, "{} nodes", tape.len());
    assert_eq!(g.len(), 20 * 30 + 5 * 20);
}

#[test]
fn a_program_without_vectors_has_a_plan_of_scalar_steps() {
    let program = parse("param w = 0.5\ninput x = 2\nloss L = sigma(w * x)^2 + w\n").unwrap();
    let plan = program.tape_plan("L", &["w"]).unwrap();
    assert_eq!(plan.scalar_steps(), plan.steps());
    let (_, g) = plan.gradient(&program.leaf_values());
    let mut p = program.clone();
    let d = p.derivative("L", "w").unwrap();
    assert!((g[0] - p.value(d)).abs() < 1e-15);
}

#[test]
fn grad_and_next_in_a_program_are_evaluated_from_the_dag() {
    let source = "\
input eta = 0.1
input x: 2 = [1, -1]
param W: 2x2 = [[0.3, -0.2], [0.1, 0.4]]
loss L = 1/2 * dot(W * x, W * x)
W_new = next(W)
M = W_new * x
F = sum(M ⊙ M) + norm(grad(L, W))
";
    let program = parse(source).unwrap();
    let plan = program.tape_plan("F", &["W", "x"]).unwrap();
    assert!(plan.scalar_steps() > 0);
    let x = program.leaf_values();
    let mut p = program.clone();
    let names = leaf_names(&program);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let ids = p.gradients("F", &names).unwrap();
    let expected = p.evaluate_with_error(&ids, &x);
    let (_, g) = plan.gradient(&x);
    // The plan's variables are W and x, in leaf order (eta is a constant).
    let picked: Vec<(f64, f64)> = plan.variables().iter().map(|&l| expected[l]).collect();
    assert!(agree(&picked, &g), "{picked:?} vs {g:?}");
}

#[test]
fn a_gradient_with_respect_to_an_intermediate_is_refused_with_a_hint() {
    let program = parse(&network(2, 2, 2, [0, 0, 0, 0])).unwrap();
    let e = program.tape_plan("L", &["z1"]).unwrap_err();
    assert!(e.to_string().contains("not an input or a parameter"), "{e}");
    assert!(program.tape_plan("L", &["nothing"]).is_err());
    assert!(program.tape_plan("z1", &["W1"]).is_err());
}

#[test]
fn gradient_values_gives_a_matrix_in_its_own_layout() {
    let program = parse(&network(3, 2, 2, [0, 0, 0, 0])).unwrap();
    let (shape, g) = program.gradient_values("L", "W1").unwrap();
    assert_eq!((shape.rows, shape.cols), (2, 3));
    let mut p = program.clone();
    let (_, ids) = p.gradient("L", "W1").unwrap();
    let expected = p.evaluate_with_error(&ids, &p.leaf_values());
    assert!(agree(&expected, &g), "{expected:?} vs {g:?}");
}

#[test]
fn every_matrix_product_layout_gives_the_symbolic_gradient() {
    // Matrix times matrix with each factor as stored or transposed: rows by the
    // transposed product (`A * B`), by the product (`A * D^T`), and per-entry dot
    // products where the left factor's rows are not stored together (`C^T * ...`).
    let source = "\
param A: 3x4
param B: 4x2
param C: 4x3
param D: 2x4
P1 = A * B
P2 = C^T * B
P3 = A * D^T
P4 = C^T * D^T
loss L = sum(P1 ⊙ P2) + sum(P3 ⊙ P4) + sum(sigma(P1 + P4))
";
    let program = parse(source).unwrap();
    let x: Vec<f64> = (0..program.leaves().len())
        .map(|k| ((k * 37 + 5) % 23) as f64 / 11.0 - 1.0)
        .collect();
    let plan = plan_for(&program);
    let (s, t) = (symbolic(&program, &x), taped(&plan, &x));
    assert!(agree(&s, &t), "symbolic {s:?}\ntape     {t:?}");
}

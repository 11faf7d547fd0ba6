//! Claims between matrices at scale: the 256-128-10 sigmoid network written in index
//! form (`tests/matrix_network`: 34,048 weights, about 35,000 statements), the loss
//! gradient with respect to every weight built by one symbolic reverse sweep
//! (`Program::gradients`), and the claims `grad(L, W1) = delta1 * x^T` (32,768 entries)
//! and `grad(L, W2) = delta2 * a1^T` (1,280) decided by the batched verdict. The target:
//! both claims checked in under a second.
//!
//! The `grad_256_128_10` group times the gradient *values* of the same network in
//! matrix form (`MATRIX_FORM`) recorded on the tape by its `TapePlan`
//! (`Program::tape_plan`: each `W * a` one matrix–vector record), against the network
//! path (`Mlp::tape_backprop`, the same sizes, weights and data): the target is a ratio
//! of about 1 (`cargo bench --bench matrix -- grad_256_128_10`).
//!
//! `cargo bench --bench matrix` runs them all. Times are the benchmark thread's CPU
//! time ([`support::cpu_time`]): the machine is shared.

mod support {
    pub mod cpu_time;
}
#[path = "../tests/matrix_network/mod.rs"]
mod matrix_network;

use std::hint::black_box;
use std::time::Duration;

use criterion::BatchSize;
use gradproof::expr::{parse, Claim, Proof, Shape, Verdict, VerifyOptions};
use gradproof::nn::mlp::{self, Mlp, Workspace};
use gradproof::Tape;
use support::cpu_time::CpuTime;

type Criterion = criterion::Criterion<CpuTime>;

const SIZE: (usize, usize, usize) = (256, 128, 10);

fn matrix(c: &mut Criterion) {
    let (n, h, m) = SIZE;
    let source = matrix_network::source(n, h, m);
    let mut program = parse(&source).expect("the network parses");
    let gradients = matrix_network::weight_gradients(&mut program, n, h, m);
    let claims = matrix_network::claims(&program, &gradients, n, h, m);
    // Checked once before timing: both claims proved, by the identity test.
    for claim in &claims {
        let report = program.verify_one(claim, VerifyOptions::default());
        assert!(
            matches!(
                report.verdict,
                Verdict::Proved {
                    proof: Proof::IdentityTest { .. },
                    ..
                }
            ),
            "{report}"
        );
    }
    println!(
        "256-128-10: {} statements, {} nodes with the gradients",
        source.lines().count(),
        program.node_count()
    );

    let mut group = c.benchmark_group("matrix");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("load_256_128_10", |b| {
        b.iter_with_large_drop(|| parse(black_box(&source)).expect("valid"))
    });
    let loaded = parse(&source).expect("valid");
    group.bench_function("gradients_34048_weights", |b| {
        b.iter_batched(
            || loaded.clone(),
            |mut p| {
                let g = matrix_network::weight_gradients(&mut p, n, h, m);
                (p, g)
            },
            BatchSize::LargeInput,
        )
    });
    // For contrast: forward differentiation, one pass over the DAG per weight, for the
    // first 100 weights of W1 (the whole gradient would take 340 times as long).
    let first: Vec<String> = matrix_network::names("W1", h, n)
        .into_iter()
        .take(100)
        .collect();
    group.bench_function("forward_derivatives_100_weights", |b| {
        b.iter_batched(
            || loaded.clone(),
            |mut p| {
                let d: Vec<_> = first
                    .iter()
                    .map(|w| p.chain_rule("L", w).expect("declared"))
                    .collect();
                (p, d)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("verify_weight_gradient_claims", |b| {
        b.iter(|| {
            claims
                .iter()
                .map(|claim| program.verify_one(black_box(claim), VerifyOptions::default()))
                .collect::<Vec<_>>()
        })
    });
    // A wrong claim: the scalar machinery runs for its first failing entry, and the
    // matrix diagnoses are tried.
    let wrong = matrix_network::missing_sigma_prime(&program, &gradients, n, h, m);
    assert!(matches!(
        program.verify_one(&wrong, VerifyOptions::default()).verdict,
        Verdict::Fails(_)
    ));
    group.bench_function("verify_a_wrong_w2_claim", |b| {
        b.iter(|| program.verify_one(black_box(&wrong), VerifyOptions::default()))
    });
    // Its failing entry (1, 1) alone, through the scalar machinery: what the wrong
    // claim's time is mostly made of.
    let [l, r] = [wrong.lhs, wrong.rhs];
    let entry =
        Claim::between_grids(1, "entry (1, 1)", Shape::SCALAR, vec![l], vec![r]).expect("1 x 1");
    group.bench_function("verify_its_failing_entry_alone", |b| {
        b.iter(|| program.verify_one(black_box(&entry), VerifyOptions::default()))
    });
    // The same network as a paper writes it: parse (shapes, expansion, the reverse
    // sweep for every `grad`) and verify, as `gradproof check` does.
    let matrix_form = MATRIX_FORM;
    let reports = parse(matrix_form).expect("valid").verify();
    assert!(
        reports
            .iter()
            .all(|r| matches!(r.verdict, Verdict::Proved { .. })),
        "{reports:?}"
    );
    group.bench_function("check_matrix_form_256_128_10", |b| {
        b.iter(|| parse(black_box(matrix_form)).expect("valid").verify())
    });
    group.finish();
}

/// The 256-128-10 network in matrix form, its weights and data drawn from their names.
const MATRIX_FORM: &str = "\
input x: 256
input y: 10
param W1: 128x256
param W2: 10x128
a1 = sigma(W1 * x)
yhat = sigma(W2 * a1)
loss L = 1/2 * dot(y - yhat, y - yhat)
delta2 = (yhat - y) ⊙ yhat ⊙ (1 - yhat)
delta1 = (W2^T * delta2) ⊙ a1 ⊙ (1 - a1)
claim grad(L, W2) = delta2 * a1^T
claim grad(L, W1) = delta1 * x^T
";

/// The gradient of the matrix-form network's loss with respect to `W1` and `W2`, by
/// its tape plan and by the network path, on reused tapes and buffers.
fn tape_gradient(c: &mut Criterion) {
    let program = parse(MATRIX_FORM).expect("valid");
    let leaves = program.leaf_values();
    let plan = program.tape_plan("L", &["W1", "W2"]).expect("a plan");
    // The network path with the file's weights (W1 then W2, row-major: the plan's
    // variables in leaf order are the same layout) and data.
    let value = |name: &str| -> Vec<f64> {
        let (_, entries) = program.grid(name).expect("declared");
        entries.iter().map(|&e| program.value(e)).collect()
    };
    let (x, y) = (value("x"), value("y"));
    let params = [value("W1"), value("W2")].concat();
    let shape = mlp::Shape::new(&[256, 128, 10]).expect("sizes");
    let net = Mlp::from_params(shape, params).expect("finite");

    let (mut tape, mut g) = (Tape::new(), Vec::new());
    let loss = plan.gradient_into(&mut tape, &leaves, &mut g);
    let (mut net_tape, mut workspace) = (Tape::new(), Workspace::new());
    let net_loss = net
        .tape_backprop(&mut net_tape, &x, &y, &mut workspace)
        .expect("finite");
    assert!(
        (loss - net_loss).abs() <= 1e-14 * net_loss.abs(),
        "{loss} vs {net_loss}"
    );
    assert_eq!(g.len(), workspace.gradient().len());
    for (a, b) in g.iter().zip(workspace.gradient()) {
        assert!((a - b).abs() <= 1e-12 * (a.abs() + 1e-12), "{a} vs {b}");
    }
    println!(
        "tape plan: {} steps ({} scalar), {} tape nodes; network path: {} tape nodes",
        plan.steps(),
        plan.scalar_steps(),
        tape.len(),
        net_tape.len()
    );

    let mut group = c.benchmark_group("grad_256_128_10");
    group.bench_function("network_path", |b| {
        b.iter(|| {
            net.tape_backprop(&mut net_tape, black_box(&x), black_box(&y), &mut workspace)
                .expect("finite")
        })
    });
    group.bench_function("matrix_form_tape_plan", |b| {
        b.iter(|| plan.gradient_into(&mut tape, black_box(&leaves), &mut g))
    });
    // For contrast: the same program recorded node by node from its scalar DAG (what
    // `gradproof grad` did before the plan), every leaf a variable.
    let l = program.expr("L").expect("defined");
    group.bench_function("matrix_form_scalar_nodes", |b| {
        b.iter(|| {
            let tape = Tape::new();
            let vars = tape.vars(black_box(&leaves));
            let out = program.evaluate(&[l], &vars)[0];
            tape.gradient(out).adjoints().len()
        })
    });
    group.finish();
}

fn main() {
    let mut c = criterion::Criterion::default()
        .with_measurement(CpuTime)
        .configure_from_args();
    tape_gradient(&mut c);
    matrix(&mut c);
    c.final_summary();
}

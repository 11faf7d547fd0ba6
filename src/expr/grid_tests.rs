//! Claims between vectors and matrices about a 3-3-3 sigmoid network, written in index
//! form (`W2_1_2`, `a1_3_2` for sample 2) with `for` templates, checked as grids: the
//! right gradients are proved, and each classic matrix mistake fails at the right
//! entry with its diagnosis.

use super::claims::{Proof, Verdict, VerifyOptions};
use super::dag::ExprId;
use super::grid::{Grid, Shape};
use super::grid_verdict::{path_for_tests, BATCHED};
use super::parse;
use super::program::{Claim, Program};

/// Distinct, irregular values for the leaves, so that no two entries agree by chance.
fn value(k: usize) -> f64 {
    ((k * 37 + 11) % 23) as f64 / 20.0 - 0.55
}

/// A sigmoid network with `n` inputs, `h` hidden and `m` outputs, for a batch of two
/// samples: inputs `x_j_s`, targets `y_i_s`, weights `W1_i_j`, `W2_i_j`; `L` is the
/// batch's loss and `L1` sample 1's; `delta2_i_s` and `delta1_i_s` are the document's
/// backpropagated errors (∂L/∂z).
fn network(n: usize, h: usize, m: usize) -> String {
    let mut s = String::new();
    let mut k = 0;
    let mut next = || {
        k += 1;
        value(k)
    };
    for sample in 1..=2 {
        for j in 1..=n {
            s += &format!("input x_{j}_{sample} = {}\n", next());
        }
        for i in 1..=m {
            s += &format!("input y_{i}_{sample} = {}\n", next() + 0.5);
        }
    }
    for (layer, rows, cols) in [(1, h, n), (2, m, h)] {
        for i in 1..=rows {
            for j in 1..=cols {
                s += &format!("param W{layer}_{i}_{j} = {}\n", next());
            }
        }
    }
    s += &format!(
        "\
for i in 1..{h}, s in 1..2: z1_{{i}}_{{s}} = sum(j in 1..{n}, W1_{{i}}_{{j}} * x_{{j}}_{{s}})
for i in 1..{h}, s in 1..2: a1_{{i}}_{{s}} = sigma(z1_{{i}}_{{s}})
for i in 1..{m}, s in 1..2: z2_{{i}}_{{s}} = sum(j in 1..{h}, W2_{{i}}_{{j}} * a1_{{j}}_{{s}})
for i in 1..{m}, s in 1..2: a2_{{i}}_{{s}} = sigma(z2_{{i}}_{{s}})
loss L = sum(s in 1..2, sum(i in 1..{m}, 1/2 * (a2_{{i}}_{{s}} - y_{{i}}_{{s}})^2))
L1 = sum(i in 1..{m}, 1/2 * (a2_{{i}}_1 - y_{{i}}_1)^2)
for i in 1..{m}, s in 1..2: delta2_{{i}}_{{s}} = (a2_{{i}}_{{s}} - y_{{i}}_{{s}}) * a2_{{i}}_{{s}} * (1 - a2_{{i}}_{{s}})
for i in 1..{h}, s in 1..2: delta1_{{i}}_{{s}} = sum(k in 1..{m}, W2_{{k}}_{{i}} * delta2_{{k}}_{{s}}) * a1_{{i}}_{{s}} * (1 - a1_{{i}}_{{s}})
"
    );
    s
}

fn load(source: &str) -> Program {
    parse(source).unwrap_or_else(|e| panic!("{e}\n{source}"))
}

/// The nodes of the names `name(i, j)` (1-based) of a `rows × cols` grid, row-major.
fn named(
    program: &Program,
    rows: usize,
    cols: usize,
    name: impl Fn(usize, usize) -> String,
) -> Vec<ExprId> {
    let mut entries = Vec::with_capacity(rows * cols);
    for i in 1..=rows {
        for j in 1..=cols {
            let n = name(i, j);
            entries.push(program.expr(&n).unwrap_or_else(|| panic!("no `{n}`")));
        }
    }
    entries
}

/// `grad(of, W)` for the weights `W{layer}_i_j`, by the reverse sweep.
fn weight_gradient(
    program: &mut Program,
    of: &str,
    layer: usize,
    rows: usize,
    cols: usize,
) -> Vec<ExprId> {
    let names: Vec<String> = (1..=rows)
        .flat_map(|i| (1..=cols).map(move |j| format!("W{layer}_{i}_{j}")))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    program
        .gradients(of, &names)
        .expect("the weights are declared")
}

/// Adds `for i in 1..rows, j in 1..cols: NAME_i_j = EXPR` to the source.
fn with(source: &str, lines: &[&str]) -> String {
    format!("{source}{}\n", lines.join("\n"))
}

fn claim(text: &str, rows: usize, cols: usize, lhs: Vec<ExprId>, rhs: Vec<ExprId>) -> Claim {
    Claim::between_grids(1, text, Shape { rows, cols }, lhs, rhs).expect("one node per entry")
}

fn check(program: &Program, claim: &Claim) -> super::claims::ClaimReport {
    let report = program.verify_one(claim, VerifyOptions::default());
    println!("{report}");
    report
}

/// The failing entry and the diagnosis of a report that must fail.
fn failure(report: &super::claims::ClaimReport) -> ((usize, usize), String) {
    match &report.verdict {
        Verdict::Fails(c) => (
            c.entry.expect("a grid claim names its entry"),
            c.diagnosis.clone().unwrap_or_default(),
        ),
        other => panic!("expected a failure, got {other:?}\n{report}"),
    }
}

fn proved(report: &super::claims::ClaimReport) -> bool {
    matches!(report.verdict, Verdict::Proved { .. })
}

#[test]
fn the_batch_weight_gradients_are_deltas_times_activations_transposed() {
    let source = with(
        &network(3, 3, 3),
        &[
            "for i in 1..3, j in 1..3: G2_{i}_{j} = sum(s in 1..2, delta2_{i}_{s} * a1_{j}_{s})",
            "for i in 1..3, j in 1..3: G1_{i}_{j} = sum(s in 1..2, delta1_{i}_{s} * x_{j}_{s})",
        ],
    );
    let mut program = load(&source);
    for (layer, rhs) in [(2, "G2"), (1, "G1")] {
        let lhs = weight_gradient(&mut program, "L", layer, 3, 3);
        let rhs = named(&program, 3, 3, |i, j| format!("{rhs}_{i}_{j}"));
        let report = check(&program, &claim("claim grad(L, W) = D A^T", 3, 3, lhs, rhs));
        assert!(proved(&report), "{report}");
        assert!(
            report
                .to_string()
                .contains("proved for all 9 entries (3x3)"),
            "{report}"
        );
    }
}

#[test]
fn the_hidden_adjoint_is_the_transposed_weights_times_delta2() {
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3: B_{i} = sum(k in 1..3, W2_{k}_{i} * delta2_{k}_1)"],
    );
    let mut program = load(&source);
    let lhs = program
        .gradients("L1", &["a1_1_1", "a1_2_1", "a1_3_1"])
        .unwrap();
    let rhs = named(&program, 3, 1, |i, _| format!("B_{i}"));
    let report = check(
        &program,
        &claim("claim grad(L1, a1) = W2^T delta2", 3, 1, lhs, rhs),
    );
    assert!(proved(&report), "{report}");
}

#[test]
fn a_missing_transpose_fails_at_entry_1_2_naming_the_transpose() {
    // Δ2 A1ᵀ of a batch of two is not an outer product: A1 Δ2ᵀ is its transpose.
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3, j in 1..3: T_{i}_{j} = sum(s in 1..2, delta2_{j}_{s} * a1_{i}_{s})"],
    );
    let mut program = load(&source);
    let lhs = weight_gradient(&mut program, "L", 2, 3, 3);
    let rhs = named(&program, 3, 3, |i, j| format!("T_{i}_{j}"));
    let report = check(
        &program,
        &claim("claim grad(L, W2) = A1 * D2^T", 3, 3, lhs, rhs),
    );
    let (entry, diagnosis) = failure(&report);
    assert_eq!(entry, (1, 2));
    assert_eq!(diagnosis, "the right side is the transpose of the left");
    assert!(
        report.to_string().contains("FAILS at entry (1, 2)"),
        "{report}"
    );
}

#[test]
fn swapped_outer_product_factors_fail_at_entry_1_2_naming_the_swap() {
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3, j in 1..3: S_{i}_{j} = a1_{i}_1 * delta2_{j}_1"],
    );
    let mut program = load(&source);
    let lhs = weight_gradient(&mut program, "L1", 2, 3, 3);
    let rhs = named(&program, 3, 3, |i, j| format!("S_{i}_{j}"));
    let report = check(
        &program,
        &claim("claim grad(L1, W2) = a1 * delta2^T", 3, 3, lhs, rhs),
    );
    let (entry, diagnosis) = failure(&report);
    assert_eq!(entry, (1, 2));
    assert!(
        diagnosis.starts_with("the factors of the outer product are swapped"),
        "{diagnosis}"
    );
}

/// Sample 1's `z2` and `a2 = σ(z2)` as the named vectors a shaped declaration makes.
fn name_layer_two(program: &mut Program) {
    for name in ["z2", "a2"] {
        let entries = named(program, 3, 1, |i, _| format!("{name}_{i}_1"));
        program.shaped.push((
            name.to_string(),
            Grid {
                shape: Shape { rows: 3, cols: 1 },
                entries,
            },
        ));
    }
}

#[test]
fn a_missing_sigma_prime_fails_at_entry_1_1_naming_sigma_prime_of_z2() {
    // δ2 without σ′(z2): (a2 − y) a1ᵀ.
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3, j in 1..3: E_{i}_{j} = (a2_{i}_1 - y_{i}_1) * a1_{j}_1"],
    );
    let mut program = load(&source);
    name_layer_two(&mut program);
    let lhs = weight_gradient(&mut program, "L1", 2, 3, 3);
    let rhs = named(&program, 3, 3, |i, j| format!("E_{i}_{j}"));
    let report = check(
        &program,
        &claim("claim grad(L1, W2) = (a2 - y) * a1^T", 3, 3, lhs, rhs),
    );
    let (entry, diagnosis) = failure(&report);
    assert_eq!(entry, (1, 1));
    assert_eq!(diagnosis, "an elementwise factor σ′(z2) is missing");
}

#[test]
fn an_extra_sigma_prime_fails_naming_the_extra_factor() {
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3, j in 1..3: X_{i}_{j} = delta2_{i}_1 * a2_{i}_1 * (1 - a2_{i}_1) * a1_{j}_1"],
    );
    let mut program = load(&source);
    name_layer_two(&mut program);
    let lhs = weight_gradient(&mut program, "L1", 2, 3, 3);
    let rhs = named(&program, 3, 3, |i, j| format!("X_{i}_{j}"));
    let report = check(
        &program,
        &claim(
            "claim grad(L1, W2) = (delta2 ⊙ σ′(z2)) a1^T",
            3,
            3,
            lhs,
            rhs,
        ),
    );
    let (_, diagnosis) = failure(&report);
    assert_eq!(
        diagnosis,
        "the right side has an extra elementwise factor σ′(z2)"
    );
}

#[test]
fn an_elementwise_product_for_the_matrix_product_fails_at_entry_1_1() {
    // W2ᵀ δ2 written as W2 ⊙ δ2 (the diagonal of W2 times δ2): the terms of the
    // matrix product off the diagonal are missing.
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3: P_{i} = W2_{i}_{i} * delta2_{i}_1"],
    );
    let mut program = load(&source);
    let lhs = program
        .gradients("L1", &["a1_1_1", "a1_2_1", "a1_3_1"])
        .unwrap();
    let rhs = named(&program, 3, 1, |i, _| format!("P_{i}"));
    let report = check(
        &program,
        &claim("claim grad(L1, a1) = W2 ⊙ delta2", 3, 1, lhs, rhs),
    );
    let (entry, diagnosis) = failure(&report);
    assert_eq!(entry, (1, 1));
    // The scalar diagnosis of entry (1, 1): the missing terms W2_2_1 δ2_2 + W2_3_1 δ2_3.
    assert!(
        diagnosis.contains("W2_2_1") && diagnosis.contains("W2_3_1"),
        "{diagnosis}"
    );
}

#[test]
fn a_flipped_sign_fails_with_one_relation_for_every_entry() {
    let source = with(
        &network(3, 3, 3),
        &["for i in 1..3, j in 1..3: N_{i}_{j} = (y_{i}_1 - a2_{i}_1) * a2_{i}_1 * (1 - a2_{i}_1) * a1_{j}_1"],
    );
    let mut program = load(&source);
    let lhs = weight_gradient(&mut program, "L1", 2, 3, 3);
    let rhs = named(&program, 3, 3, |i, j| format!("N_{i}_{j}"));
    let report = check(
        &program,
        &claim("claim grad(L1, W2) = -delta2 a1^T", 3, 3, lhs, rhs),
    );
    let (entry, diagnosis) = failure(&report);
    assert_eq!(entry, (1, 1));
    assert_eq!(diagnosis, "every entry: left = -1 × right");
}

#[test]
fn a_grid_with_an_entry_that_only_holds_at_points_holds_with_the_entries_counted() {
    let mut program =
        load("param u = 0.3\nparam v = 1.1\nA = u * v\nB = sin(u)^2 + cos(u)^2\nC = v * u\n");
    let lhs = vec![program.expr("A").unwrap(), program.expr("B").unwrap()];
    let one = program.dag.integer(1);
    let rhs = vec![program.expr("C").unwrap(), one];
    let report = check(
        &program,
        &claim("claim [u v, sin² + cos²] = [v u, 1]", 2, 1, lhs, rhs),
    );
    let Verdict::Holds { reason, .. } = &report.verdict else {
        panic!("expected holds: {report}")
    };
    assert!(
        reason.contains("for 1 of 2 entries, proved for 1"),
        "{reason}"
    );
}

#[test]
fn grids_of_different_shapes_are_undecided_not_a_panic() {
    let program = load("param u = 0.3\nA = u * u\n");
    let a = program.expr("A").unwrap();
    let mut c = claim("claim bad", 1, 1, vec![a], vec![a]);
    if let Some(grids) = c.grids.as_deref_mut() {
        grids[1] = Grid {
            shape: Shape { rows: 2, cols: 1 },
            entries: vec![a, a],
        };
    }
    let report = check(&program, &c);
    assert!(matches!(report.verdict, Verdict::Undecided { .. }));
}

/// A network wide enough that its first layer's gradient (9 × 9 = 81 entries) takes
/// the batched path.
fn wide() -> (Program, Vec<ExprId>) {
    let source = with(
        &network(9, 9, 2),
        &[
            "for i in 1..9, j in 1..9: G1_{i}_{j} = sum(s in 1..2, delta1_{i}_{s} * x_{j}_{s})",
            "for i in 1..9, j in 1..9: S1_{i}_{j} = x_{i}_1 * delta1_{j}_1",
        ],
    );
    let mut program = load(&source);
    let lhs = weight_gradient(&mut program, "L", 1, 9, 9);
    (program, lhs)
}

#[test]
fn a_large_weight_gradient_is_proved_by_the_batched_path() {
    let (program, lhs) = wide();
    assert!(lhs.len() > BATCHED);
    let rhs = named(&program, 9, 9, |i, j| format!("G1_{i}_{j}"));
    let report = check(
        &program,
        &claim("claim grad(L, W1) = D1 X^T", 9, 9, lhs, rhs),
    );
    let Verdict::Proved {
        proof: Proof::IdentityTest { error, .. },
        ..
    } = report.verdict
    else {
        panic!("expected a proof: {report}")
    };
    assert!(error <= 1e-15);
}

#[test]
fn the_batched_path_and_the_entry_by_entry_path_find_the_same_failure() {
    let (mut program, _) = wide();
    let lhs = weight_gradient(&mut program, "L1", 1, 9, 9);
    let rhs = named(&program, 9, 9, |i, j| format!("S1_{i}_{j}"));
    let c = claim("claim grad(L1, W1) = x delta1^T", 9, 9, lhs, rhs);
    let report = check(&program, &c);
    let (entry, diagnosis) = failure(&report);
    assert_eq!(entry, (1, 2));
    assert!(
        diagnosis.starts_with("the factors of the outer product are swapped"),
        "{diagnosis}"
    );
    // Both paths, on the same claim: the same entries proved, the same first failure.
    let [l, r] = c.grids.as_deref().unwrap();
    let options = VerifyOptions::default();
    let one = path_for_tests(&program, &c, [l, r], options, true);
    let other = path_for_tests(&program, &c, [l, r], options, false);
    assert_eq!(one.len(), 2);
    assert_eq!(one.len(), other.len());
    for (a, b) in one.iter().zip(&other) {
        assert_eq!(
            std::mem::discriminant(a),
            std::mem::discriminant(b),
            "{a:?} against {b:?}"
        );
    }
}

#[test]
fn verify_decides_a_files_grid_claims_as_wholes_in_source_order() {
    let source = with(
        &network(3, 3, 3),
        &[
            "for i in 1..3, j in 1..3: S_{i}_{j} = a1_{i}_1 * delta2_{j}_1",
            "claim grad(L1, W2_1_1) = delta2_1_1 * a1_1_1",
        ],
    );
    let mut program = load(&source);
    let lhs = weight_gradient(&mut program, "L1", 2, 3, 3);
    let rhs = named(&program, 3, 3, |i, j| format!("S_{i}_{j}"));
    // As the parser pushes a shaped claim: one claim, before the scalar one.
    let grid = claim("claim grad(L1, W2) = a1 * delta2^T", 3, 3, lhs, rhs);
    program.claims.insert(0, grid);
    let reports = program.verify();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].claim.text, "claim grad(L1, W2) = a1 * delta2^T");
    assert_eq!(failure(&reports[0]).0, (1, 2));
    assert!(proved(&reports[1]), "{}", reports[1]);
}

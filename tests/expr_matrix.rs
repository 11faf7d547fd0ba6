//! Vectors and matrices in the `.grad` language (issue #14): the matrix-form example
//! proves, each classic matrix mistake fails at a named entry, shape errors say where
//! and which shapes, and the matrix form is its expansion into index form.

mod common;

use gradproof::expr::{parse, ErrorKind, Position, Program, Shape, Verdict, MAX_ENTRIES};
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("../examples/matrix.grad");

/// The example's part (a), the 3-3-3 network, without its claims.
fn network() -> String {
    let part_a = EXAMPLE.split("# (b)").next().unwrap();
    part_a
        .lines()
        .filter(|l| !l.starts_with("claim") && !l.starts_with("for"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn program(source: &str) -> Program {
    parse(source).unwrap_or_else(|e| panic!("{e}"))
}

/// The verdict on the network's one extra claim `claim`.
fn verdict_on(claim: &str) -> (String, Verdict) {
    let p = program(&format!("{}\n{claim}\n", network()));
    let report = p.verify().pop().unwrap();
    (report.to_string(), report.verdict)
}

/// The claim fails at `entry`, which its report names.
fn fails_at(claim: &str, entry: (usize, usize)) -> String {
    let (report, verdict) = verdict_on(claim);
    let Verdict::Fails(c) = verdict else {
        panic!("{claim} should fail:\n{report}")
    };
    assert_eq!(c.entry, Some(entry), "{report}");
    assert!(
        report.contains(&format!("FAILS at entry ({}, {})", entry.0, entry.1)),
        "{report}"
    );
    report
}

fn error(source: &str) -> gradproof::expr::Diagnostic {
    match parse(source) {
        Ok(_) => panic!("should not parse:\n{source}"),
        Err(e) => e.first().clone(),
    }
}

#[test]
fn the_matrix_example_proves_every_claim() {
    let p = program(EXAMPLE);
    let reports = p.verify();
    assert_eq!(reports.len(), 21);
    for r in &reports {
        assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
    }
    let shaped = reports.iter().filter(|r| r.claim.shape.is_some()).count();
    assert_eq!(shaped, 16);
}

#[test]
fn the_matrix_network_is_the_seed_network() {
    // W1[1, 2] is the seed's w24: the hidden values and the loss gradient by w47
    // agree with the index-notation file's.
    let matrix = program(EXAMPLE);
    let mut seed = program(include_str!("../examples/seed.grad"));
    let mut matrix_mut = matrix.clone();
    let a = matrix.value(matrix.expr("a1[2]").unwrap());
    let b = seed.value(seed.expr("a5").unwrap());
    assert!((a - b).abs() < 1e-15, "{a} {b}");
    let d1 = matrix_mut.derivative("L", "W2[1, 1]").unwrap();
    let d2 = seed.derivative("L", "w47").unwrap();
    let (v1, v2) = (matrix_mut.value(d1), seed.value(d2));
    assert!((v1 - v2).abs() < 1e-15, "{v1} {v2}");
}

#[test]
fn a_missing_transpose_fails_at_an_entry_and_names_the_matrix() {
    let report = fails_at("claim grad(L, a1) = W2 * delta2", (1, 1));
    assert!(report.contains("uses W2 where W2ᵀ belongs"), "{report}");
}

#[test]
fn a_missing_transpose_in_the_first_layer_is_named_too() {
    let report = fails_at("claim grad(L, x) = W1 * delta1", (1, 1));
    assert!(report.contains("uses W1 where W1ᵀ belongs"), "{report}");
}

#[test]
fn a_wrong_matrix_that_is_no_transpose_gets_no_transpose_diagnosis() {
    let report = fails_at("claim grad(L, a1) = W2^T * delta2 + W2 * delta2", (1, 1));
    assert!(!report.contains("belongs"), "{report}");
}

#[test]
fn an_outer_product_in_the_wrong_order_fails_and_is_named_swapped() {
    let report = fails_at("claim grad(L, W2) = a1 * delta2^T", (1, 2));
    assert!(
        report.contains("the factors of the outer product are swapped"),
        "{report}"
    );
}

#[test]
fn a_missing_elementwise_sigma_prime_fails_and_is_named() {
    let report = fails_at("claim grad(L, z2) = yhat - y", (1, 1));
    assert!(
        report.contains("an elementwise factor σ′(z2) is missing"),
        "{report}"
    );
    let report = fails_at("claim grad(L, W1) = (W2^T * delta2) * x^T", (1, 1));
    assert!(
        report.contains("an elementwise factor σ′(z1) is missing"),
        "{report}"
    );
}

#[test]
fn a_hadamard_product_where_a_matrix_product_belongs_fails() {
    // z = A (B x): ∂E/∂B = Aᵀ z xᵀ; Aᵀ ⊙ (z xᵀ) has the right shape and is wrong.
    let source = "\
input x: 3 = [0.05, 0.10, 0.15]
param A: 3x3
param B: 3x3
z = A * (B * x)
E = 1/2 * dot(z, z)
claim grad(E, B) = (A^T * z) * x^T
claim grad(E, B) = A^T ⊙ (z * x^T)
";
    let reports = program(source).verify();
    assert!(
        matches!(reports[0].verdict, Verdict::Proved { .. }),
        "{}",
        reports[0]
    );
    let Verdict::Fails(c) = &reports[1].verdict else {
        panic!("{}", reports[1])
    };
    assert_eq!(c.entry, Some((1, 1)));
    // And in the network, ⊙ for the product by W2^T is a shape error.
    let d = error(&format!(
        "{}\nclaim grad(L, a1) = W2^T ⊙ delta2\n",
        network()
    ));
    assert_eq!(d.kind(), ErrorKind::ShapeMismatch);
    assert!(d.message().contains("3x3 matrix") && d.message().contains("vector of 3"));
}

#[test]
fn a_shape_mismatch_names_both_shapes_the_operator_and_where() {
    let d = error("input x: 3\nparam W: 2x3\nz = x * W\n");
    assert_eq!(d.kind(), ErrorKind::ShapeMismatch);
    assert_eq!(d.position(), Position { line: 3, column: 7 });
    assert!(
        d.message().contains("matrix product `*`"),
        "{}",
        d.message()
    );
    assert!(d.message().contains("vector of 3") && d.message().contains("2x3 matrix"));
    assert!(d.hint().unwrap().contains("transpose"), "{:?}", d.hint());

    let d = error("param A: 2x3\nparam B: 3x2\nC = A + B\n");
    assert_eq!(d.position(), Position { line: 3, column: 7 });
    assert!(
        d.message().contains("`+`") && d.message().contains("2x3") && d.message().contains("3x2")
    );
    assert!(d.hint().unwrap().contains("each other's transpose"));

    let d = error("param A: 2x3\nparam B: 3x2\nclaim A = B\n");
    assert_eq!(d.position(), Position { line: 3, column: 7 });
    assert!(d.message().contains("sides of the claim"));
    assert!(d.hint().unwrap().contains("transpose"));

    let d = error("input u: 3\ninput v: 2\nz = u / v\n");
    assert!(d.message().contains("`/` divides by a scalar"));
}

#[test]
fn an_entry_outside_its_shape_is_an_error_naming_the_shape() {
    let d = error("input x: 3\nz = x[4]\n");
    assert_eq!(d.kind(), ErrorKind::IndexOutOfRange);
    assert_eq!(d.position(), Position { line: 2, column: 5 });
    assert!(
        d.message().contains("x[4]") && d.message().contains("vector of 3"),
        "{}",
        d.message()
    );
    let d = error("param W: 2x3\nfor i in 1..3: z{i} = W[i, 1]\n");
    assert_eq!(d.kind(), ErrorKind::IndexOutOfRange);
    assert!(d.note().unwrap().contains("i = 3"));
    let d = error("param W: 2x3\nz = W[1]\n");
    assert!(d.message().contains("needs two indices"));
}

#[test]
fn grad_of_a_vector_is_an_error_with_a_hint() {
    let d = error(&format!("{}\nclaim grad(z1, W1) = W1\n", network()));
    assert_eq!(d.kind(), ErrorKind::ShapeMismatch);
    assert!(d.hint().unwrap().contains("grad(F[i], X)"));
}

#[test]
fn a_declaration_too_large_is_an_error_not_an_allocation() {
    let d = error("param W: 100000x100000\n");
    assert_eq!(d.kind(), ErrorKind::TooLarge);
    assert!(d.message().contains(&MAX_ENTRIES.to_string()));
    let d = error("param W: 400x400\nV = W * W\n");
    assert_eq!(d.kind(), ErrorKind::TooLarge);
}

#[test]
fn declared_values_must_fit_the_declared_shape() {
    let d = error("input x: 3 = [1, 2]\n");
    assert_eq!(d.kind(), ErrorKind::ShapeMismatch);
    assert!(d.message().contains("vector of 3") && d.message().contains("vector of 2"));
    let d = error("param W: 2x2 = [[1, 2], [3]]\n");
    assert!(d.message().contains("this row has 1 entry,"));
}

#[test]
fn entries_are_leaves_named_as_written_and_values_are_drawn_exactly() {
    let p = program("param W: 2x3\ninput x: 2 = [0.5, -1]\n");
    let names: Vec<&str> = p.leaves().iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names[..3], ["W[1, 1]", "W[1, 2]", "W[1, 3]"]);
    assert_eq!(names[6..], ["x[1]", "x[2]"]);
    let (shape, entries) = p.grid("W").unwrap();
    assert_eq!(shape, Shape { rows: 2, cols: 3 });
    assert_eq!(entries[5], p.expr("W[2,3]").unwrap());
    // Drawn values: exact, in (−0.5, 0.5), the same on every load, not all equal.
    let values: Vec<f64> = p.leaf_values()[..6].to_vec();
    assert!(values.iter().all(|v| v.abs() < 0.5 && *v != 0.0));
    assert_eq!(values, program("param W: 2x3\n").leaf_values());
    assert!(values.windows(2).any(|w| w[0] != w[1]));
    for l in &p.leaves()[..6] {
        assert!(l.value.exact().is_some());
    }
}

#[test]
fn derivatives_print_entries_that_parse_back_and_valid_latex() {
    let mut p = program(&network());
    let d = p.derivative("L", "W2[1, 2]").unwrap();
    let text = p.text(d);
    assert!(text.contains("a1[2]"), "{text}");
    let back = program(&format!(
        "{}\nclaim grad(L, W2[1, 2]) = {text}\n",
        network()
    ));
    let report = back.verify().pop().unwrap();
    assert!(matches!(report.verdict, Verdict::Proved { .. }), "{report}");
    let latex = p.latex(d);
    assert!(latex.contains("{\\alpha_1}_{2}"), "{latex}");
    assert_eq!(latex.matches('{').count(), latex.matches('}').count());
    // A whole matrix is not a scalar: a clear error, and the gradient by entries.
    let e = p.derivative("L", "W2").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ShapeMismatch);
    assert!(e.first().hint().unwrap().contains("W2[1, 1]"));
    let (shape, entries) = p.gradient("L", "W2").unwrap();
    assert_eq!((shape.rows, shape.cols, entries.len()), (3, 3, 9));
    let (g, v) = (p.value(entries[1]), p.value(d));
    assert!((g - v).abs() <= 1e-15, "{g} {v}");
}

#[test]
fn data_is_an_exact_constant_that_check_does_not_vary() {
    let source = "\
input z: 3 = [0.3, -1.2, 2.0]
data y: 3 = [0, 1, 0]
data scale = 2
p = softmax(z)
E = -scale * dot(y, ln(p))
claim grad(E, z) = scale * (p - y)
";
    let p = program(source);
    assert!(p.leaves().iter().all(|l| l.name.starts_with('z')));
    let report = p.verify().pop().unwrap();
    assert!(matches!(report.verdict, Verdict::Proved { .. }), "{report}");
    // As an input, y is varied, and the identity (which needs Σ y = 1) fails.
    let varied = program(&source.replace("data y", "input y"));
    let report = varied.verify().pop().unwrap();
    assert!(matches!(report.verdict, Verdict::Fails(_)), "{report}");
    // Nothing to differentiate by in a constant.
    let d = error(&format!("{source}claim grad(E, y) = y\n"));
    assert_eq!(d.kind(), ErrorKind::InvalidDerivative);
}

#[test]
fn operators_follow_the_documented_shapes() {
    let p = program(
        "\
input u: 3 = [1, 2, 3]
input v: 3 = [4, 5, 6]
param M: 2x3 = [[1, 0, 2], [0, 1, 0]]
a = u^T * v
b = dot(u, v)
o = outer(u, v)
c = (u .* v) + 2 * u - u / 2
d = u^2
s = sum(M * u)
n = norm(u)
e = hadamard(u, v)
t = M'
r = transpose(M)
l = log_sum_exp(u)
",
    );
    let value = |name: &str| p.value(p.expr(name).unwrap());
    assert_eq!(value("a"), 32.0);
    assert_eq!(value("b"), 32.0);
    assert_eq!(p.grid("o").unwrap().0, Shape { rows: 3, cols: 3 });
    assert_eq!(value("o[2, 3]"), 12.0);
    assert_eq!(value("c[2]"), 10.0 + 4.0 - 1.0);
    assert_eq!(value("d[3]"), 9.0);
    assert_eq!(value("s"), 7.0 + 2.0);
    assert!((value("n") - 14f64.sqrt()).abs() < 1e-15);
    assert_eq!(value("e[1]"), 4.0);
    assert_eq!(p.grid("t").unwrap().0, Shape { rows: 3, cols: 2 });
    assert_eq!(p.grid("t").unwrap().1, p.grid("r").unwrap().1);
    assert_eq!(value("t[3, 1]"), 2.0);
    let lse = (1f64.exp() + 2f64.exp() + 3f64.exp()).ln();
    assert!((value("l") - lse).abs() < 1e-14);
}

/// A small matrix program and the same written entry by entry, as strings.
fn both_forms(m: usize, n: usize, f: &str, op: usize) -> (String, String) {
    let (matrix, index) = match op {
        0 => (
            format!("{f}(A * v + c)"),
            format!("{f}(sum(k in 1..{n}, A[i, k] * v[k]) + c[i])"),
        ),
        1 => (
            format!("(A * v) ⊙ {f}(c)"),
            format!("sum(k in 1..{n}, A[i, k] * v[k]) * {f}(c[i])"),
        ),
        _ => (
            format!("2 * {f}(c) - A * v / 3"),
            format!("2 * {f}(c[i]) - sum(k in 1..{n}, A[i, k] * v[k]) / 3"),
        ),
    };
    let head = format!("param A: {m}x{n}\ninput v: {n}\nparam c: {m}\n");
    let mut a = format!("{head}z = {matrix}\nL = sum(z ⊙ z)\n");
    a.push_str(&format!(
        "for i in 1..{m}: claim grad(L, A[i, 1]) = grad(L, A[i, 1])\n"
    ));
    let b = format!(
        "{head}for i in 1..{m}: z{{i}} = {index}\nL = sum(i in 1..{m}, z{{i}}^2)\n\
         for i in 1..{m}: claim grad(L, A[i, 1]) = grad(L, A[i, 1])\n"
    );
    (a, b)
}

proptest! {
    #![proptest_config(common::config_with_cases("proptest-regressions/expr_matrix.txt", 48))]

    #[test]
    fn the_matrix_form_and_its_index_form_agree(
        m in 1usize..4,
        n in 1usize..4,
        f in prop::sample::select(vec!["sigma", "tanh", "exp", "sin"]),
        op in 0usize..3,
    ) {
        let (matrix, index) = both_forms(m, n, f, op);
        let mut a = program(&matrix);
        let mut b = program(&index);
        for i in 1..=m {
            // A 1 x 1 result is a scalar (documented), with no entry `z[1]`.
            let entry = if m == 1 { "z".to_string() } else { format!("z[{i}]") };
            let va = a.value(a.expr(&entry).unwrap());
            let vb = b.value(b.expr(&format!("z{i}")).unwrap());
            prop_assert!((va - vb).abs() <= 1e-12 * (1.0 + va.abs()), "{} {}", va, vb);
        }
        let la = a.value(a.expr("L").unwrap());
        let lb = b.value(b.expr("L").unwrap());
        prop_assert!((la - lb).abs() <= 1e-12 * (1.0 + la.abs()));
        let (shape, ga) = a.gradient("L", "A").unwrap();
        let (_, gb) = b.gradient("L", "A").unwrap();
        prop_assert_eq!(shape, Shape { rows: m, cols: n });
        for (x, y) in ga.iter().zip(&gb) {
            let (x, y) = (a.value(*x), b.value(*y));
            prop_assert!((x - y).abs() <= 1e-12 * (1.0 + x.abs()), "{} {}", x, y);
        }
    }

    #[test]
    fn shape_errors_are_errors_never_panics(
        expr in shaped_expression(),
        other in shaped_expression(),
    ) {
        let source = format!(
            "input s = 0.5\ninput u: 2 = [1, 2]\ninput v: 3\nparam M: 2x3\nparam N: 3x2\n\
             param P: 3x3\nq = {expr}\nclaim {expr} = {other}\n"
        );
        match parse(&source) {
            Ok(p) => {
                // Whatever parses verifies without panicking.
                let _ = p.verify_with(gradproof::expr::VerifyOptions { points: 2, ..Default::default() });
            }
            Err(e) => {
                for d in e.diagnostics() {
                    prop_assert!(d.position().line >= 7, "{}", e);
                }
            }
        }
    }
}

/// Random expressions over a scalar, two vectors and three matrices, with every
/// shaped operator: most are shape errors, some are not.
fn shaped_expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(vec!["s", "u", "v", "M", "N", "P", "2"]).prop_map(String::from),
        (
            prop::sample::select(vec!["u", "v", "M", "P"]),
            0i64..5,
            0i64..4
        )
            .prop_map(
                |(n, i, j)| if n.len() == 1 && n.chars().all(char::is_lowercase) {
                    format!("{n}[{i}]")
                } else {
                    format!("{n}[{i}, {j}]")
                }
            ),
    ];
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "⊙", ".*"])
            )
                .prop_map(|(a, b, op)| format!("({a}) {op} ({b})")),
            inner.clone().prop_map(|a| format!("({a})^T")),
            inner.clone().prop_map(|a| format!("({a})'")),
            inner.clone().prop_map(|a| format!("({a})^2")),
            (
                prop::sample::select(vec![
                    "sigma",
                    "exp",
                    "sum",
                    "norm",
                    "softmax",
                    "log_sum_exp",
                    "transpose"
                ]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (
                prop::sample::select(vec!["dot", "outer", "hadamard"]),
                inner.clone(),
                inner
            )
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
        ]
    })
}

#[test]
fn a_diagnosis_writes_an_entry_as_a_factor_without_parentheses() {
    let report = fails_at("claim grad(L, z1) = (W2^T * delta2) ⊙ a1", (1, 1));
    assert!(
        report.contains("left = right × (1 - a1[1]): the right side misses this factor"),
        "{report}"
    );
}

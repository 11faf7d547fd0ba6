//! Claims about the document's network, verified: every derivative and update rule of
//! `examples/seed.grad` is proved, and every classic mistake of
//! `examples/mistakes.grad` fails with a report that says what is wrong.

use gradproof::check::central_gradient;
use gradproof::expr::{
    parse, parse_named, summary, ClaimReport, LeafKind, Program, Proof, Verdict,
};
use gradproof::Tape;

fn load(path: &str) -> Program {
    let source = std::fs::read_to_string(path).expect(path);
    parse_named(path, &source).unwrap_or_else(|e| panic!("{e}"))
}

fn verify(source: &str) -> Vec<ClaimReport> {
    let program = parse(source).unwrap_or_else(|e| panic!("{e}"));
    program.verify()
}

fn only(source: &str) -> ClaimReport {
    let mut reports = verify(source);
    assert_eq!(reports.len(), 1);
    let report = reports.remove(0);
    println!("{report}");
    report
}

fn diagnosis(report: &ClaimReport) -> String {
    match &report.verdict {
        Verdict::Fails(c) => c.diagnosis.clone().unwrap_or_default(),
        other => panic!("expected a failure, got {other:?}\n{report}"),
    }
}

#[test]
fn every_claim_of_the_document_is_proved() {
    let program = load("examples/seed.grad");
    let reports = program.verify();
    println!("{}", summary(&reports));
    // 1 activation + 7 backward factors and rules + 2 + 9 hidden→output updates
    // + 1 + 9 input→hidden updates with the sum + 9 expanded hidden gradients.
    assert_eq!(reports.len(), 38);
    for r in &reports {
        assert!(
            matches!(r.verdict, Verdict::Proved { .. }),
            "not proved:\n{r}"
        );
    }
    let texts: Vec<&str> = reports.iter().map(|r| r.claim.text.as_str()).collect();
    assert!(
        texts.contains(&"claim next(w69) = w69 - eta * (yhat9 - y9) * yhat9 * (1 - yhat9) * a6")
    );
    assert!(texts.contains(
        &"claim grad(L, w36) = sum(k in 7..9, (yhat{k} - y{k}) * yhat{k} * (1 - yhat{k}) * w6{k} * a6 * (1 - a6) * x3)"
    ));
}

#[test]
fn the_loss_gradient_reads_as_the_document_writes_it() {
    let mut program = load("examples/seed.grad");
    let d = program.derivative("L", "w47").unwrap();
    assert_eq!(program.text(d), "(yhat7 - y7) * yhat7 * (1 - yhat7) * a4");
    assert_eq!(
        program.latex(d),
        "\\left(\\hat{y}_7 - y_7\\right) \\cdot \\hat{y}_7 \\cdot \\left(1 - \\hat{y}_7\\right) \\cdot \\alpha_4"
    );
    let d = program.derivative("L", "w14").unwrap();
    assert_eq!(
        program.text(d),
        "(yhat7 - y7) * yhat7 * (1 - yhat7) * w47 * a4 * (1 - a4) * x1 \
         + (yhat8 - y8) * yhat8 * (1 - yhat8) * w48 * a4 * (1 - a4) * x1 \
         + (yhat9 - y9) * yhat9 * (1 - yhat9) * w49 * a4 * (1 - a4) * x1"
    );
    let d = program.derivative("yhat7", "delta7").unwrap();
    assert_eq!(program.text(d), "yhat7 * (1 - yhat7)");
    let a4 = program.expr("a4").unwrap();
    assert_eq!(program.definition_text(a4), "sigma(delta4)");
    assert_eq!(
        program.definition_latex(a4),
        "\\sigma\\left(\\delta_4\\right)"
    );
}

#[test]
fn symbolic_gradient_of_the_loss_equals_the_tape_and_finite_differences() {
    let mut program = load("examples/seed.grad");
    let loss = program.expr("L").unwrap();
    let values = program.leaf_values();
    let tape = Tape::new();
    let vars = tape.vars(&values);
    let recorded = program.evaluate(&[loss], &vars)[0];
    let gradient = tape.gradient(recorded);
    let numeric = central_gradient(|x: &[f64]| program.evaluate(&[loss], x)[0], &values);
    let leaves = program.leaves().to_vec();
    let mut params = 0;
    for (i, leaf) in leaves.iter().enumerate() {
        let d = program.derivative("L", &leaf.name).unwrap();
        let symbolic = program.value(d);
        let taped = gradient.wrt(vars[i]);
        assert!(
            (symbolic - taped).abs() <= 1e-15,
            "{}: {symbolic} vs {taped}",
            leaf.name
        );
        assert!(
            (symbolic - numeric[i]).abs() <= 1e-9,
            "{}: {symbolic} vs {}",
            leaf.name,
            numeric[i]
        );
        params += usize::from(leaf.kind == LeafKind::Param);
    }
    assert_eq!(params, 18);
}

#[test]
fn missing_sigma_prime_fails_and_names_the_missing_factor() {
    let program = load("examples/mistakes.grad");
    let reports = program.verify();
    println!("{}", summary(&reports));
    assert_eq!(reports.len(), 7);
    assert!(reports
        .iter()
        .all(|r| matches!(r.verdict, Verdict::Fails(_))));
    let r = &reports[0];
    assert_eq!(r.claim.text, "claim grad(L7, w47) = (yhat7 - y7) * a4");
    assert_eq!(
        diagnosis(r),
        "left = right × yhat7 * (1 - yhat7): the right side misses this factor"
    );
}

#[test]
fn updated_weights_in_the_hidden_gradient_fail_and_show_the_eta_terms() {
    let reports = load("examples/mistakes.grad").verify();
    let d = diagnosis(&reports[1]);
    assert!(
        d.starts_with("left − right = (y7 - yhat7)^2 * yhat7^2 * (1 - yhat7)^2 * eta"),
        "{d}"
    );
    let Verdict::Fails(c) = &reports[1].verdict else {
        unreachable!()
    };
    assert!(c.at_file_values);
}

#[test]
fn dropped_sum_over_k_fails_and_shows_the_missing_terms() {
    let reports = load("examples/mistakes.grad").verify();
    assert_eq!(
        diagnosis(&reports[2]),
        "left − right = (yhat8 - y8) * yhat8 * (1 - yhat8) * w48 * a4 * (1 - a4) * x1 \
         + (yhat9 - y9) * yhat9 * (1 - yhat9) * w49 * a4 * (1 - a4) * x1"
    );
}

#[test]
fn flipped_sign_fails_as_minus_one_times_the_truth() {
    let reports = load("examples/mistakes.grad").verify();
    assert_eq!(diagnosis(&reports[3]), "left = -1 × right");
    assert_eq!(
        diagnosis(&reports[4]),
        "left − right = 2 * eta * (y7 - yhat7) * yhat7 * (1 - yhat7) * a4"
    );
}

#[test]
fn forgotten_half_fails_as_a_factor_of_two() {
    let reports = load("examples/mistakes.grad").verify();
    assert_eq!(diagnosis(&reports[5]), "left = 1/2 × right");
}

#[test]
fn a_claim_true_only_at_the_files_values_fails_and_says_so() {
    let reports = load("examples/mistakes.grad").verify();
    let r = &reports[6];
    let Verdict::Fails(c) = &r.verdict else {
        panic!("{r}")
    };
    assert!(!c.at_file_values && c.holds_at_file_values);
    assert_eq!(c.point.len(), 1);
    assert_eq!(c.point[0].0, "x1");
    assert_eq!(c.diagnosis.as_deref(), Some("left − right = x1 - 0.05"));
    assert!(r
        .to_string()
        .contains("it holds at the file's values (both 0.05), but not at"));
}

#[test]
fn a_failed_claim_prints_the_point_both_values_and_the_relation() {
    let r = only(
        "input y7 = 0.01\ninput a4 = 0.5\nparam w47 = 0.6\n\
         yhat7 = sigma(w47 * a4)\nL7 = 1/2 * (y7 - yhat7)^2\n\
         claim grad(L7, w47) = (yhat7 - y7) * a4",
    );
    let text = r.to_string();
    assert!(text.starts_with(
        "line 6: claim grad(L7, w47) = (yhat7 - y7) * a4\n  FAILS at the file's values:\n    left = "
    ), "{text}");
    assert!(text.contains("more than the rounding tolerance"), "{text}");
    assert!(
        text.ends_with("left = right × yhat7 * (1 - yhat7): the right side misses this factor"),
        "{text}"
    );
}

#[test]
fn the_chain_rule_factors_multiply_to_the_whole_derivative() {
    let r = only(
        "input y7 = 0.01\ninput a4 = 0.5\nparam w47 = 0.6\ndelta7 = w47 * a4\n\
         yhat7 = sigma(delta7)\nL7 = 1/2 * (y7 - yhat7)^2\n\
         claim grad(L7, w47) = grad(L7, yhat7) * grad(yhat7, delta7) * grad(delta7, w47)",
    );
    assert!(matches!(r.verdict, Verdict::Proved { .. }));
}

#[test]
fn the_adjoint_of_a_hidden_activation_sums_over_the_outputs() {
    let program = load("examples/seed.grad");
    let source = format!(
        "{}\nclaim grad(L, a4) = sum(k in 7..9, (yhat{{k}} - y{{k}}) * yhat{{k}} * (1 - yhat{{k}}) * w4{{k}})",
        program.source()
    );
    let reports = verify(&source);
    let last = reports.last().unwrap();
    assert!(matches!(last.verdict, Verdict::Proved { .. }), "{last}");
}

#[test]
fn sigma_written_through_exp_is_proved_by_the_exponential_normal_form() {
    let r = only("input x = 0.3\nclaim grad(sigma(x), x) = exp(-x) / (1 + exp(-x))^2");
    assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
    let r = only("input x = 0.3\nclaim sigma(-x) = 1 - sigma(x)");
    assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
    let r = only("input x = 0.3\nclaim grad(tanh(x), x) = 4 * exp(2 * x) / (exp(2 * x) + 1)^2");
    assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
}

#[test]
fn an_identity_the_normal_forms_cannot_see_holds_at_points_but_is_not_proved() {
    let r = only("input x = 0.3\nclaim sin(x)^2 + cos(x)^2 = 1");
    match &r.verdict {
        Verdict::Holds { points, .. } => assert_eq!(*points, 33),
        other => panic!("{other:?}"),
    }
    assert!(r.to_string().contains("holds at 33 points"));
    let r = only("input x = 0.3\nclaim sqrt(x^2) = abs(x)");
    assert!(matches!(r.verdict, Verdict::Holds { .. }), "{r}");
}

#[test]
fn relu_through_abs_is_proved_by_the_identity_test() {
    // relu(u) = (u + |u|)/2 and |−u| = |u| are among the identity test's relations.
    let r = only("input x = 0.3\nclaim relu(x) - relu(-x) = x");
    assert!(
        matches!(
            r.verdict,
            Verdict::Proved {
                proof: Proof::IdentityTest { .. },
                ..
            }
        ),
        "{r}"
    );
}

#[test]
fn a_differing_normal_form_alone_never_fails_a_claim() {
    // True but unprovable here: it must hold, not fail.
    let r = only("input x = 0.7\nclaim abs(x) * abs(x) = x^2");
    assert!(r.verdict.holds(), "{r}");
}

#[test]
fn a_claim_undefined_everywhere_is_undecided_not_passed() {
    let r = only("input x = 0.3\nclaim 0 * sqrt(-1 - x^2) + sin(x)^2 + cos(x)^2 = 1");
    assert!(matches!(r.verdict, Verdict::Undecided { .. }), "{r}");
    assert!(!r.verdict.holds());
}

#[test]
fn rounding_in_a_true_identity_is_within_the_error_model() {
    // (x + 1e8) − 1e8 loses about 8 digits of x; the error model accounts for it.
    let r = only("input x = 0.1\nclaim (x + 100000000) - 100000000 = x");
    assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
}

#[test]
fn a_tiny_real_difference_still_fails() {
    let r = only("input x = 0.1\nclaim x * 1.000000001 = x");
    let Verdict::Fails(c) = &r.verdict else {
        panic!("{r}")
    };
    assert!(c.tolerance < 1e-15 && (c.lhs - c.rhs).abs() > 1e-11);
    assert_eq!(c.diagnosis.as_deref(), Some("left = 1.000000001 × right"));
}

#[test]
fn a_template_claim_expands_to_one_report_per_index_value() {
    let reports = verify(
        "input x = 2\nfor i in 1..3: param w{i} = 0.5\nfor i in 1..3: f{i} = w{i} * x^{i}\n\
         for i in 1..3: claim grad(f{i}, w{i}) = x^{i}\n\
         for i in 1..3: claim grad(f{i}, x) = w{i} * x^(i - 1) * {i}",
    );
    assert_eq!(reports.len(), 6);
    assert!(reports
        .iter()
        .all(|r| matches!(r.verdict, Verdict::Proved { .. })));
    assert_eq!(reports[4].claim.bindings, vec![("i".to_string(), 2)]);
    assert_eq!(
        reports[4].claim.text,
        "claim grad(f2, x) = w2 * x^(2 - 1) * 2"
    );
}

#[test]
fn verification_is_reproducible() {
    let program = load("examples/mistakes.grad");
    assert_eq!(program.verify(), program.verify());
}

#[test]
fn deep_expressions_are_verified_without_recursion() {
    // (The parser's tests go to 100 000; verification is the same loops, and this depth
    // keeps the debug-build suite quick.)
    let deep = 30_000;
    let source = format!(
        "input x = 1\na = {}x\nb = x{}\nclaim a = x\nclaim b = b * 1",
        "-".repeat(deep),
        "^x".repeat(deep)
    );
    let reports = verify(&source);
    // An even number of minus signs: a = x, proved.
    assert!(
        matches!(reports[0].verdict, Verdict::Proved { .. }),
        "{}",
        reports[0]
    );
    // A tower too tall for the atom table: decided, not hung, and not failed.
    assert!(
        !matches!(reports[1].verdict, Verdict::Fails(_)),
        "{}",
        reports[1]
    );
}

#[test]
fn a_constant_difference_fails_even_where_rounding_hides_it() {
    // In f64, x + 1e-30 is x for every x tested: the values agree, the normal forms
    // do not.
    let r = only("input x = 0.5\nclaim x + 1/10^30 = x");
    let Verdict::Fails(c) = &r.verdict else {
        panic!("{r}")
    };
    assert!(c.exact && c.at_file_values && c.lhs == c.rhs);
    assert_eq!(
        c.diagnosis.as_deref(),
        Some("left − right = 0.000000000000000000000000000001 exactly, at every point")
    );
    assert!(r
        .to_string()
        .contains("but the normal forms show the difference is exact"));
}

#[test]
fn agreement_lost_in_rounding_is_not_support() {
    // sin of a number near 1e91: rounding leaves its value unknown, so agreeing
    // values prove nothing, and the claim is not called true.
    let r = only("input a = 0.5\nclaim sin(exp(3)^(a + 70)) = sin(exp(3)^(a + 70)) + 1/1000000");
    assert!(!r.verdict.holds(), "{r}");
}

#[test]
fn points_where_only_one_side_is_defined_are_reported_not_passed_over() {
    // ln(x²) is defined for every x ≠ 0, 2·ln(x) only for x > 0: at random negative x
    // the left side is finite and the right is NaN.
    let report = only("param x = 2\nclaim ln(x^2) = 2 * ln(x)");
    let one_sided = report
        .one_sided
        .as_ref()
        .expect("one-sided points reported");
    assert!(
        one_sided.points > 0 && one_sided.points < one_sided.of,
        "{one_sided:?}"
    );
    assert!(one_sided.lhs.is_finite() && one_sided.rhs.is_nan());
    assert!(one_sided.point[0].1 < 0.0, "{one_sided:?}");
    let printed = report.to_string();
    assert!(
        printed.contains("defined on different domains"),
        "{printed}"
    );

    // A claim defined everywhere on both sides has none.
    for report in load("examples/seed.grad").verify() {
        assert_eq!(report.one_sided, None, "{report}");
    }
}

#[test]
fn a_sum_over_several_ranges_is_the_nested_sum_and_a_wrong_total_fails() {
    let source = "\
param a = 0.5
s = sum(i in 1..2, j in 1..3, i * j * a)
claim s = sum(i in 1..2, sum(j in 1..3, i * j * a))
claim s = 18 * a
claim s = 17 * a
";
    assert_eq!(outcomes(&verify(source)), ["proved", "proved", "fails"]);
}

/// Each report's verdict in one word, to compare a file's verdicts at a glance.
fn outcomes(reports: &[ClaimReport]) -> Vec<&'static str> {
    reports
        .iter()
        .map(|r| {
            println!("{r}");
            match r.verdict {
                Verdict::Proved { .. } => "proved",
                Verdict::Holds { .. } => "holds",
                Verdict::Fails(_) => "fails",
                Verdict::Undecided { .. } => "undecided",
            }
        })
        .collect()
}

#[test]
fn a_sum_over_several_ranges_rejects_a_repeated_index_and_a_missing_summand() {
    for (source, message) in [
        (
            "param a = 1\nclaim sum(i in 1..2, i in 1..2, a) = 4 * a\n",
            "already bound",
        ),
        (
            "param a = 1\nclaim sum(i in 1..2, j in 1..2) = 4\n",
            "summand",
        ),
    ] {
        let error = parse(source).expect_err(source).to_string();
        assert!(error.contains(message), "{error}");
    }
}

#[test]
fn index_arithmetic_in_braces_names_the_entry_it_computes() {
    let source = "\
for i in 1..6: param w{i} = 0.1
for k in 0..2: claim w{2*k+1} + w{2 * k + 2} = w{k+k+1} + w{2+2*k}
s = sum(k in 1..3, w{2*k-1})
claim s = w1 + w3 + w5
claim s = w1 + w3 + w4
";
    let reports = verify(source);
    assert_eq!(
        outcomes(&reports),
        ["proved", "proved", "proved", "proved", "fails"]
    );
    assert_eq!(reports[1].claim.text, "claim w3 + w4 = w3 + w4");
}

#[test]
fn index_arithmetic_below_zero_unbound_or_malformed_is_an_error_with_its_place() {
    for (source, message, column) in [
        (
            "param w0 = 1\nfor k in 0..1: claim w{k-1} = 1\n",
            "is -1 here",
            23,
        ),
        ("param w0 = 1\nclaim w{j+1} = 1\n", "no index `j`", 8),
        ("param w0 = 1\nclaim w{k+} = 1\n", "must hold an index", 8),
        (
            "param w0 = 1\nfor k in 0..1: claim w{k*k} = 1\n",
            "must hold an index",
            23,
        ),
    ] {
        let error = parse(source).expect_err(source);
        let d = &error.diagnostics()[0];
        assert!(d.to_string().contains(message), "{source}: {d}");
        assert_eq!(d.position().column, column, "{source}: {d}");
    }
}

#[test]
fn a_failure_where_no_rounding_tolerance_exists_says_so_and_never_prints_nan() {
    // ln(0) under a power 0: the value is finite, its rounding bound is not.
    let report =
        only("input b = 0\nparam a = 0.5\nf = ln(b)^0 + a + 2.5e40\nclaim f = a + 2.5e40\n");
    assert!(matches!(report.verdict, Verdict::Fails(_)), "{report}");
    let text = report.to_string();
    assert!(
        text.contains("no rounding tolerance can be stated"),
        "{text}"
    );
    assert!(text.contains("left − right = 1 exactly"), "{text}");
    assert!(!text.contains("NaN"), "{text}");
}

const CROSS_ENTROPY: &str = "param z1 = 0.5
param z2 = -0.3
KIND y1 = 1
KIND y2 = 0
S = exp(z1) + exp(z2)
p1 = exp(z1) / S
p2 = exp(z2) / S
L = -(y1 * ln(p1) + y2 * ln(p2))
claim grad(L, z1) = p1 - y1
";

/// `∂L/∂z1 = p1 − y1` needs `y1 + y2 = 1`. With the targets as `input`s, `check` moves
/// them, and the failure says so and shows the missing condition in the file's names;
/// held fixed as `data`, the claim is proved.
#[test]
fn a_counterexample_that_moves_inputs_names_them_and_shows_what_the_claim_needs() {
    let report = only(&CROSS_ENTROPY.replace("KIND", "input"));
    let Verdict::Fails(c) = &report.verdict else {
        panic!("{report}")
    };
    assert!(c.holds_at_file_values, "{report}");
    assert_eq!(c.moved_inputs, ["y1", "y2"]);
    assert_eq!(diagnosis(&report), "left − right = p1 * (y1 + y2 - 1)");
    assert!(report
        .to_string()
        .contains("this point moves the inputs y1, y2 from the file's values"));
    let fixed = only(&CROSS_ENTROPY.replace("KIND", "data"));
    assert!(matches!(fixed.verdict, Verdict::Proved { .. }), "{fixed}");
}

/// A parameter moved by a counterexample is not an input held by mistake: nothing is
/// said about it.
#[test]
fn a_counterexample_that_moves_only_parameters_names_no_inputs() {
    let report = only("param w = 0.5\nclaim w * w = 0.25\n");
    let Verdict::Fails(c) = &report.verdict else {
        panic!("{report}")
    };
    assert!(
        c.holds_at_file_values && c.moved_inputs.is_empty(),
        "{report}"
    );
    assert!(!report.to_string().contains("moves the input"));
}

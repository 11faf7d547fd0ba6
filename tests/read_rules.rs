//! The reader's rules, one small document each: what defines, what is claimed, what is
//! unread and why; and the LaTeX printer's output read back to the same values.

mod common;
mod read_support;

use gradproof::expr::{parse, Verdict};
use gradproof::read::{read, Flavor};
use proptest::prelude::*;
use read_support::{md, verdicts};

#[test]
fn a_definition_may_stand_after_its_first_use_in_the_same_row() {
    let r = md("$$a = \\sigma(d), ~~ d = w x$$\n$$\\frac{\\partial a}{\\partial w} = a(1-a)x$$\n");
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(2, true)]);
    // Ordered so that each definition comes after what it uses.
    let d = r.grad.find("\nd = w * x").unwrap();
    let a = r.grad.find("\na = sigma(d)").unwrap();
    assert!(d < a, "{}", r.grad);
}

#[test]
fn a_cycle_of_definitions_is_unread_with_what_uses_it() {
    let r = md("$a = b + 1$, $b = 2 a$, $c = a$, $c = 3$\n");
    let why: Vec<&str> = r.unread.iter().map(|u| u.why.as_str()).collect();
    assert_eq!(r.unread.len(), 4, "{why:?}");
    assert!(
        why[0].contains("cycle") && why[1].contains("cycle"),
        "{why:?}"
    );
    assert!(why[2].contains("uses `a`"), "{why:?}");
    assert!(why[3].contains("uses `c`"), "{why:?}");
}

#[test]
fn a_chain_is_a_claim_per_relation_and_its_first_may_define() {
    let r = md("$y = 2x = x + x = 3x$\n");
    let reports = r.verify();
    assert_eq!(reports.len(), 2);
    assert!(reports[0].verdict.holds());
    assert!(matches!(reports[1].verdict, Verdict::Fails(_)));
    assert_eq!(reports[1].claim.text, "x + x = 3x");
}

#[test]
fn a_repeated_definition_is_a_claim_that_both_agree() {
    let r = md("$L = (y - t)^2$ and later $L = y^2 - 2yt + t^2$, but $L = y^2 - t^2$.\n");
    assert_eq!(verdicts(&r), [(1, true), (1, false)]);
}

#[test]
fn define_with_colon_equals_twice_is_unread() {
    let r = md("$a := 1$\n$a := 2$\n$b = a$\n");
    assert_eq!(r.unread.len(), 1);
    assert_eq!(r.unread[0].line, 2);
    assert!(r.unread[0].why.contains("already defined on line 1"));
}

#[test]
fn a_function_the_document_defines_is_applied_not_misread_as_a_product() {
    // `f(2)` is 4, not f·2 (tests/read_functions.rs has the rest).
    let r = md("$f(x) = x^2$ then $g = f(2)$, so $g = 4$ and $g = 2 f$\n");
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(1, true), (1, false)]);
    // The language's own functions: a definition of σ is a claim about σ, for every x.
    let r = md("$\\sigma(x)=\\frac{1}{1+e^{-x}}$ and $\\sigma(x) = \\frac{1}{1+e^{x}}$\n");
    assert_eq!(verdicts(&r), [(1, true), (1, false)]);
}

#[test]
fn bound_indices_are_substituted_inside_subscripts_and_stand_for_their_values() {
    let r = md("$$d_i = \\omega_{1i} x_1 + i,~~i=4,5$$\n$$d_5 = \\omega_{15} x_1 + 5$$\n$$s = \\sum_{k=1}^{3} k x_k$$\n$$s = x_1 + 2x_2 + 3x_3$$");
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert!(r.grad.contains("\nd4 = w14 * x1 + 4\n"), "{}", r.grad);
    assert!(
        r.grad.contains("\ns = (1 * x1 + 2 * x2 + 3 * x3)\n"),
        "{}",
        r.grad
    );
    assert_eq!(verdicts(&r), [(2, true), (4, true)]);
}

#[test]
fn mentions_and_code_are_not_equations() {
    let r = md("Inputs $x_1,x_2,x_3$, weights $\\omega_{ij}$.\n\n```\n$a = b$\n```\n`$c = d$`\n");
    assert_eq!(r.equations, 0);
    assert!(r.unread.is_empty());
    assert!(r.program.claims().is_empty());
}

#[test]
fn a_gradproof_fence_in_the_document_is_notes() {
    let text = "$$\\hat{w} = w - \\eta \\frac{\\partial L}{\\partial w}$$\n\n```gradproof\nL := \\frac{1}{2}(w x - t)^2\n\\hat{w} := w - \\eta (w x - t) x\n```\n";
    let r = md(text);
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(1, true)]);
}

#[test]
fn partial_derivatives_in_every_notation_agree() {
    let r = md("$y = w^2 x$. $\\frac{\\partial y}{\\partial w} = 2wx$, $\\partial y / \\partial w = 2 w x$, $\\frac{dy}{dw} = 2wx$, $\\frac{\\partial}{\\partial w} (w^2 x) = 2wx$, $\\frac{\\partial y}{\\partial w} = w x$.");
    assert_eq!(
        verdicts(&r),
        [(1, true), (1, true), (1, true), (1, true), (1, false)]
    );
}

#[test]
fn a_latex_file_reads_environments_and_skips_comments() {
    let tex = "\\begin{align*}\n  y &= 3 x \\\\\n  % z = 4 y is a comment\n  \\frac{dy}{dx} &= 3\n\\end{align*}\n";
    let r = read(tex, None, Flavor::Latex).unwrap();
    assert!(r.unread.is_empty());
    assert_eq!(verdicts(&r), [(4, true)]);
}

/// A random expression in the `.grad` language over four leaves, with the functions
/// the printer writes in LaTeX that the reader reads.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x1".to_string()),
        Just("w47".to_string()),
        Just("a4".to_string()),
        Just("yhat7".to_string()),
        (1u32..9).prop_map(|n| n.to_string()),
        Just("0.5".to_string()),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} / {b})")),
            (inner.clone(), 1u32..4).prop_map(|(a, n)| format!("({a})^{n}")),
            inner.clone().prop_map(|a| format!("(-{a})")),
            (
                inner,
                prop_oneof![
                    Just("sigma"),
                    Just("exp"),
                    Just("ln"),
                    Just("sqrt"),
                    Just("tanh"),
                    Just("sin"),
                    Just("cos"),
                    Just("abs"),
                    Just("relu")
                ]
            )
                .prop_map(|(a, f)| format!("{f}({a})")),
        ]
    })
}

proptest! {
    #![proptest_config(common::config_with_cases("proptest-regressions/read_rules.txt", 96))]

    /// The LaTeX printer's output, read back, is the same function of the leaves.
    #[test]
    fn latex_printed_by_the_printer_reads_back_to_the_same_values(e in expression()) {
        let source = format!("input x1 = 0.3\ninput w47 = 0.7\ninput a4 = 0.2\ninput yhat7 = 0.6\nd = {e}\n");
        let program = parse(&source).unwrap();
        let latex = program.definition_latex(program.expr("d").unwrap());
        let reading = read(&format!("$$D = {latex}$$\n"), None, Flavor::Markdown)
            .unwrap_or_else(|err| panic!("{latex}: {err}"));
        prop_assert!(reading.unread.is_empty(), "{} {:?}", latex, reading.unread);
        let back = reading.program.expr("D").unwrap();
        for point in [[0.3, 0.7, 0.2, 0.6], [1.3, -0.4, 2.5, 0.05]] {
            // `D = <a number>` gives D that value (a leaf), which stays the document's.
            let value = |leaf: &gradproof::expr::Leaf| match leaf.name.as_str() {
                "x1" => point[0],
                "w47" => point[1],
                "a4" => point[2],
                "yhat7" => point[3],
                _ => leaf.value.to_f64(),
            };
            let theirs: Vec<f64> = reading.program.leaves().iter().map(value).collect();
            let ours: Vec<f64> = program.leaves().iter().map(value).collect();
            let a = program.evaluate(&[program.expr("d").unwrap()], &ours)[0];
            let b = reading.program.evaluate(&[back], &theirs)[0];
            let same = a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs().max(1.0);
            prop_assert!(same, "{} -> {}: {} vs {}", e, latex, a, b);
        }
    }
}

fn two_layer() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/two-layer.md"
    ))
    .unwrap()
}

/// The lines of failed claims of `text` after replacing `from` by `to` on the line
/// containing `needle`, and that line.
fn plant_two_layer(needle: &str, from: &str, to: &str) -> (Vec<usize>, usize) {
    let text = two_layer();
    let line = 1 + text.lines().position(|l| l.contains(needle)).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    assert!(lines[line - 1].contains(from));
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    let reading = md(&lines.join("\n"));
    assert!(reading.unread.is_empty(), "{:?}", reading.unread);
    let failed = reading
        .verify()
        .iter()
        .filter(|r| !r.verdict.holds())
        .map(|r| r.claim.line)
        .collect();
    (failed, line)
}

#[test]
fn a_tutorial_notation_with_words_totals_and_updated_weights_holds() {
    let reading = md(&two_layer());
    assert!(reading.unread.is_empty(), "{:?}", reading.unread);
    let reports = reading.verify();
    assert_eq!(reports.len(), 8);
    assert!(reports
        .iter()
        .all(|r| matches!(r.verdict, Verdict::Proved { .. })));
    for line in [
        "net_h1 = w_1 * i1 + w_2 * i2 + b1",
        "out_h1 = 1 / (1 + exp(-net_h1))",
        "w_plus_5 = w_5 - eta * grad(E_total, w_5)",
    ] {
        assert!(
            reading.grad.lines().any(|l| l == line),
            "`{line}` in\n{}",
            reading.grad
        );
    }
}

#[test]
fn a_tutorial_notation_mistake_fails_at_its_line() {
    // The hidden weight's gradient through the wrong output weight.
    let (failed, line) = plant_two_layer(
        "\\frac{\\partial E_{total}}{\\partial \\text{out}_{h1}}",
        "\\delta_{o2} w_7",
        "\\delta_{o2} w_8",
    );
    assert_eq!(failed, [line]);
    // The input factor forgotten.
    let (failed, line) = plant_two_layer(
        "\\frac{\\partial E_{total}}{\\partial w_1}",
        " \\cdot i_1",
        "",
    );
    assert_eq!(failed, [line]);
}

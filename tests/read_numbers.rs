//! Numbers printed in a document are taken as rounded to their last digit: a claim
//! among printed numbers holds within that rounding, and a wrong digit fails it.

mod read_support;

use gradproof::expr::Verdict;
use read_support::{md, verdicts};

#[test]
fn an_honestly_rounded_product_holds_and_a_wrong_digit_fails() {
    let r = md("$$0.74136507 \\cdot 0.186815602 = 0.138498562$$\n");
    assert_eq!(verdicts(&r), [(1, true)]);
    let r = md("$$0.74136507 \\cdot 0.186815602 = 0.138489562$$\n");
    let reports = r.verify();
    let Verdict::Fails(c) = &reports[0].verdict else {
        panic!("{}", reports[0])
    };
    let d = c.diagnosis.as_deref().unwrap();
    assert!(
        d.contains("left ∈ [0.1384985") && d.contains("right ∈ [0.1384895"),
        "{d}"
    );
}

#[test]
fn a_chain_from_symbols_through_a_substitution_to_a_result_holds_within_rounding() {
    let doc = "\
Given $w_1 = 0.15$, $w_2 = 0.2$, $i_1 = 0.05$, $i_2 = 0.1$, $b_1 = 0.35$:

$$\\text{net}_{h1} = w_1 i_1 + w_2 i_2 + b_1 = 0.15 \\cdot 0.05 + 0.2 \\cdot 0.1 + 0.35 = 0.3775$$

$$\\text{out}_{h1} = \\frac{1}{1+e^{-\\text{net}_{h1}}} = \\frac{1}{1+e^{-0.3775}} = 0.593269992$$
";
    let r = md(doc);
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(3, true), (3, true), (5, true), (5, true)]);
    assert!(
        r.grad.contains("input w_1 = 0.15  # w_1, given on line 1"),
        "{}",
        r.grad
    );
    // One digit off in the result, or in the substitution: that line fails.
    for (from, to, line) in [
        ("0.593269992", "0.593296992", 5),
        ("e^{-0.3775}", "e^{-0.3757}", 5),
        ("0.2 \\cdot 0.1", "0.2 \\cdot 0.2", 3),
    ] {
        let r = md(&doc.replacen(from, to, 1));
        let mut failed: Vec<usize> = verdicts(&r).iter().filter(|v| !v.1).map(|v| v.0).collect();
        failed.dedup();
        assert_eq!(failed, [line], "{from} -> {to}");
    }
}

#[test]
fn a_symbol_without_a_given_value_is_not_checked_at_values() {
    let r = md("$y = 2x$, and $y = 0.5$ hmm: $2x = 1.0$\n");
    let reports = r.verify();
    let failing: Vec<_> = reports.iter().filter(|r| !r.verdict.holds()).collect();
    assert!(!failing.is_empty());
    assert!(
        failing[0].to_string().contains("gives no value for `x`"),
        "{}",
        failing[0]
    );
}

#[test]
fn an_identity_with_a_decimal_coefficient_is_still_proved() {
    let r = md(
        "$E = 0.5 (t - o)^2$, $\\frac{\\partial E}{\\partial o} = -(t - o)$, $E = 0.5(o - t)^2$\n",
    );
    let reports = r.verify();
    assert!(reports.iter().all(|r| r.verdict.holds()), "{reports:#?}");
}

fn worked() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/worked-numbers.md"
    ))
    .unwrap()
}

/// The lines of failed claims after replacing `from` by `to` on the line containing
/// `needle`, and that line.
fn plant(needle: &str, from: &str, to: &str) -> (Vec<usize>, usize) {
    let text = worked();
    let line = 1 + text.lines().position(|l| l.contains(needle)).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    assert!(lines[line - 1].contains(from), "{from} not on line {line}");
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    let reading = md(&lines.join("\n"));
    assert!(reading.unread.is_empty(), "{:?}", reading.unread);
    let mut failed: Vec<usize> = reading
        .verify()
        .iter()
        .filter(|r| !r.verdict.holds())
        .map(|r| r.claim.line)
        .collect();
    failed.dedup();
    (failed, line)
}

#[test]
fn the_worked_example_holds_claim_by_claim_proved_or_within_its_printed_rounding() {
    let reading = md(&worked());
    assert!(reading.unread.is_empty(), "{:?}", reading.unread);
    let reports = reading.verify();
    assert_eq!(reports.len(), 72);
    for r in &reports {
        assert!(r.verdict.holds(), "{r}");
    }
    let proved = reports
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Proved { .. }))
        .count();
    // The symbolic steps are proved as identities, not merely at the values.
    assert!(proved >= 15, "{proved}");
    // The values are the document's, as leaves of the program.
    for line in [
        "param w_5 = 0.45  # w_5, given on line 15",
        "input eta = 0.5  # \\eta, given on line 16",
    ] {
        assert!(reading.grad.contains(line), "`{line}` in\n{}", reading.grad);
    }
}

#[test]
fn a_wrong_digit_in_the_worked_example_fails_at_its_line() {
    let (failed, line) = plant(
        "\\text{out}_{o1} &= \\frac{1}{1+e^{-\\text{net}_{o1}}}",
        "= 0.784482821",
        "= 0.784428821",
    );
    assert_eq!(failed, [line]);
    // `e^{-0.595}` quotes net_h1, which the document knows exactly (0.2·0.1 + 0.35·0.5
    // + 0.4), so the output after it is checked to all its digits.
    let (failed, line) = plant(
        "\\text{out}_{h1} &= \\frac{1}{1+e^{-\\text{net}_{h1}}}",
        "= 0.644511554",
        "= 0.644511654",
    );
    assert_eq!(failed, [line]);
}

#[test]
fn a_result_standing_alone_is_rounded_even_when_it_equals_a_given_value() {
    // σ(0.4) = 0.598687660…, printed 0.6; the weight w = 0.6 does not make it exact.
    let r = md("$w = 0.6$, $v = 0.4$: $\\sigma(v) = 0.6$, and $w \\cdot 0.6 = 0.36$\n");
    assert_eq!(verdicts(&r), [(1, true), (1, true)]);
    let r = md("$w = 0.6$, $v = 0.4$: $\\sigma(v) = 0.7$\n");
    assert_eq!(verdicts(&r), [(1, false)]);
}

#[test]
fn a_wrong_sign_in_the_worked_example_fails_at_its_line() {
    let (failed, line) = plant(
        "\\frac{\\partial E_{total}}{\\partial \\text{out}_{o1}} &=",
        "-(\\text{target}_{o1} - \\text{out}_{o1})",
        "(\\text{target}_{o1} - \\text{out}_{o1})",
    );
    assert_eq!(failed, [line]);
}

#[test]
fn a_missing_factor_in_the_worked_example_fails_at_its_line() {
    let (failed, line) = plant(
        "\\frac{\\partial E_{total}}{\\partial w_5} &=",
        " \\cdot 0.644511554 =",
        " =",
    );
    assert_eq!(failed, [line]);
}

#[test]
fn a_wrong_update_in_the_worked_example_fails_at_its_line() {
    let (failed, line) = plant("w_5^{+} &=", "0.45 - 0.5", "0.45 + 0.5");
    assert_eq!(failed, [line]);
    let (failed, line) = plant("w_1^{+} &=", "= 0.199506174", "= 0.199560174");
    assert_eq!(failed, [line]);
}

#[test]
fn a_value_printed_before_the_symbols_definition_is_a_claim_about_it() {
    // `o = 0.598687660` first, then its definition `o = σ(v)`: the definition defines
    // `o`, and the printed value is a claim at its own line.
    let r =
        md("$o = 0.598687660$\n\n$o = \\sigma(v)$ with $v = 0.4$, and $o(1 - o) = 0.240260746$\n");
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(1, true), (3, true)]);
    assert!(r.grad.contains("o = sigma(v)"), "{}", r.grad);
    let r = md("$o = 0.598678660$\n\n$o = \\sigma(v)$ with $v = 0.4$\n");
    assert_eq!(verdicts(&r), [(1, false)]);
}

//! Blind spots of the random points: false claims that hold near the file's values and
//! fail only past a breakpoint (a kink of relu or abs, a jump of step or sign) far
//! from them must fail, with a counterexample beyond the breakpoint; right claims
//! with kinks must still hold.

use gradproof::expr::{parse, ClaimReport, Verdict};

fn verify(source: &str) -> Vec<ClaimReport> {
    parse(source).unwrap_or_else(|e| panic!("{e}")).verify()
}

/// The value of `name` in a failed claim's counterexample.
fn counterexample_at(report: &ClaimReport, name: &str) -> f64 {
    let Verdict::Fails(c) = &report.verdict else {
        panic!("should fail:\n{report}");
    };
    assert!(c.holds_at_file_values, "{report}");
    c.point
        .iter()
        .find(|(n, _)| n == name)
        .map(|&(_, v)| v)
        .unwrap_or_else(|| panic!("no {name} in\n{report}"))
}

#[test]
fn kinks_far_from_the_files_values_are_found_where_the_argument_is_linear() {
    let reports = verify(
        "param w = 0.5\n\
         claim relu(w - 10) = 0\n\
         claim step(w - 10) = 0\n\
         claim abs(w - 10) = 10 - w\n\
         claim relu(w - 1000) = 0\n\
         claim abs(w + 1e5) = w + 1e5\n",
    );
    let breakpoints = [10.0, 10.0, 10.0, 1000.0, -1e5];
    for (r, b) in reports.iter().zip(breakpoints) {
        let w = counterexample_at(r, "w");
        // Just past the breakpoint, on the side where the claim is false.
        assert!((w - b).abs() <= 0.25 * f64::max(1.0, b.abs()) + 1e-9, "{r}");
    }
}

#[test]
fn kinks_of_non_linear_arguments_and_of_several_leaves_are_found() {
    let reports = verify(
        "param w = 0.5\n\
         param v = 0.3\n\
         claim step(w^2 - 1e6) = 0\n\
         claim sign(exp(w) - 1e4) = -1\n\
         claim relu(w - v - 50) = 0\n\
         claim relu(w * v - 100) = 0\n\
         claim step(1/w - 1000) = 1 - 1\n\
         claim relu(relu(w - 10) - 5) = 0\n\
         claim relu(2 - w) = 2 - w\n",
    );
    for r in &reports {
        counterexample_at(r, "w");
    }
    // exp(w) = 10⁴ at w = ln 10⁴.
    let w = counterexample_at(&reports[1], "w");
    assert!(
        (w - 1e4f64.ln()).abs() < 0.25 * 1e4f64.ln(),
        "{}",
        reports[1]
    );
}

#[test]
fn right_claims_with_kinks_hold() {
    let reports = verify(
        "param w = 0.5\n\
         claim grad(relu(w - 10), w) = step(w - 10)\n\
         claim grad(abs(w - 10)^2, w) = 2 * (w - 10)\n\
         claim relu(w - 10) - relu(10 - w) = w - 10\n\
         claim abs(w - 10) * sign(w - 10) = w - 10\n\
         claim relu(w^2 - 100) = step(w^2 - 100) * (w^2 - 100)\n\
         claim relu(w - 10) * step(10 - w) = 0\n",
    );
    for r in &reports {
        assert!(r.verdict.holds(), "{r}");
    }
}

#[test]
fn zero_to_a_positive_power_is_decided() {
    let reports = verify("param w = 0.5\nclaim 0^(w^2 + 1) = 0\nclaim 0^(w^2 + 1) = 1\n");
    assert!(reports[0].verdict.holds(), "{}", reports[0]);
    assert!(
        matches!(reports[1].verdict, Verdict::Fails(_)),
        "{}",
        reports[1]
    );
}

//! Kinks and non-finite values are reported as what they are, never as a pass: at a kink
//! the report gives the left and right derivatives and whether the analytic value lies
//! between them.

mod common;

use gradproof::check::{self, Checker, Position, Status, TaylorStatus};
use proptest::prelude::*;

fn kink(report: &check::Report, i: usize) -> (f64, f64, bool) {
    match report.entry(Position::Coordinate(i)).unwrap().status {
        Status::Kink {
            left,
            right,
            analytic_between,
        } => (left, right, analytic_between),
        other => panic!("x[{i}] is {other}, not a kink:\n{report}"),
    }
}

#[test]
fn relu_at_zero_is_a_kink_with_the_tapes_zero_between_its_sides() {
    let f = gradproof::function!(<S> |x| S::from(2.0).unwrap() * x[0].relu() + x[1] * x[1]);
    let report = check::tape_vs_differences(&f, &[0.0, 0.5]).unwrap();
    assert!(!report.passed(), "{report}");
    let (left, right, between) = kink(&report, 0);
    assert!(left.abs() < 1e-12 && (right - 2.0).abs() < 1e-12);
    assert!(between, "relu'(0) = 0 lies in [0, 2]");
    assert_eq!(
        report.entry(Position::Coordinate(1)).unwrap().status,
        Status::Agrees
    );
    assert!(report.to_string().contains("KINK: left"), "{report}");
}

#[test]
fn abs_at_zero_is_a_kink_even_though_the_central_difference_agrees_with_zero() {
    let f = gradproof::function!(<S> |x| x[0].abs());
    let report = check::tape_vs_differences(&f, &[0.0]).unwrap();
    let (left, right, between) = kink(&report, 0);
    assert!((left + 1.0).abs() < 1e-12 && (right - 1.0).abs() < 1e-12);
    assert!(between);
    assert!(!report.passed());
}

#[test]
fn a_claimed_derivative_outside_both_sides_is_marked_outside() {
    let f = |x: &[f64]| x[0].max(0.0);
    let report = Checker::default()
        .yours_vs_differences_of(f, &[0.0], &[5.0])
        .unwrap();
    let (_, _, between) = kink(&report, 0);
    assert!(!between, "{report}");
    assert!(report.to_string().contains("outside them"));
}

#[test]
fn max_at_a_tie_is_a_kink_in_both_arguments() {
    let f = gradproof::function!(<S> |x| x[0].max(x[1]));
    let report = check::tape_vs_differences(&f, &[1.0, 1.0]).unwrap();
    assert_eq!(report.summary().kink, 2, "{report}");
    assert!(kink(&report, 0).2 && kink(&report, 1).2);
}

#[test]
fn a_relu_network_with_a_neuron_exactly_at_zero_reports_the_kink() {
    // Hidden pre-activation w₀·1 + w₁·(−1) = 0 exactly at w₀ = w₁.
    let f = gradproof::function!(<S> |w| {
        let x = [S::one(), -S::one()];
        let h = (w[0] * x[0] + w[1] * x[1]).relu();
        (w[2] * h - S::from(0.3).unwrap()).powi(2)
    });
    let report = check::tape_vs_differences(&f, &[0.4, 0.4, 1.5]).unwrap();
    assert!(!report.passed());
    assert!(matches!(
        report.entry(Position::Coordinate(0)).unwrap().status,
        Status::Kink { .. }
    ));
    assert!(matches!(
        report.entry(Position::Coordinate(1)).unwrap().status,
        Status::Kink { .. }
    ));
    // w₂ multiplies h = 0 and the loss is smooth in it.
    assert_eq!(
        report.entry(Position::Coordinate(2)).unwrap().status,
        Status::Agrees,
        "{report}"
    );
}

#[test]
fn nan_and_infinite_values_are_not_finite_never_a_pass() {
    let sqrt = gradproof::function!(<S> |x| x[0].sqrt() + x[1]);
    let report = check::tape_vs_differences(&sqrt, &[-1.0, 0.0]).unwrap();
    assert_eq!(report.summary().not_finite, 2, "{report}");
    assert!(!report.passed());
    assert!(report.to_string().contains("NOT FINITE"));

    let ln = gradproof::function!(<S> |x| x[0].ln());
    let report = check::tape_vs_differences(&ln, &[0.0]).unwrap();
    assert_eq!(
        report.worst().unwrap().status,
        Status::NotFinite,
        "{report}"
    );

    let recip = gradproof::function!(<S> |x| x[0].recip());
    assert!(!check::forward_vs_reverse(&recip, &[0.0]).unwrap().passed());
    assert_eq!(
        check::taylor_of_tape(&recip, &[0.0]).unwrap().status,
        TaylorStatus::NotFinite
    );
}

#[test]
fn a_nan_in_a_hand_written_gradient_is_not_finite() {
    let f = gradproof::function!(<S> |x| x[0] * x[1]);
    let report = check::yours_vs_tape(&f, &[1.0, 2.0], &[2.0, f64::NAN]).unwrap();
    assert_eq!(report.worst().unwrap().position, Position::Coordinate(1));
    assert_eq!(report.worst().unwrap().status, Status::NotFinite);
    let update = check::update(&f, &[1.0, 2.0], 0.1, &[f64::INFINITY, 1.9]).unwrap();
    assert_eq!(update.worst().unwrap().status, Status::NotFinite);
}

#[test]
fn an_update_from_a_nan_or_infinite_loss_is_not_finite_never_a_pass() {
    // A piecewise-constant function's partial is 0 even at NaN, so the gradient is
    // finite while the loss is NaN: the update w − η·∇L "agreed" with finite weights.
    let nan_loss = gradproof::function!(<S> |w| (w[0] * S::nan()).floor() + w[1] * w[1]);
    let report = check::update(&nan_loss, &[1.0, 2.0], 0.1, &[1.0, 1.6]).unwrap();
    assert!(!report.passed(), "{report}");
    assert_eq!(report.summary().not_finite, 2, "{report}");
    assert_eq!(
        report.verdict(),
        gradproof::check::Verdict::NotFinite,
        "{report}"
    );

    // An infinite loss whose gradient is finite (the infinity added as a constant).
    let infinite_loss = gradproof::function!(<S> |w| w[0] * w[0] + S::infinity());
    let report = check::update(&infinite_loss, &[1.0f32], 0.5, &[0.0]).unwrap();
    assert_eq!(
        report.verdict(),
        gradproof::check::Verdict::NotFinite,
        "{report}"
    );

    // An infinite gradient: the expected update is not finite, whatever was claimed.
    let steep = gradproof::function!(<S> |w| w[0].sqrt());
    let report = check::update(&steep, &[0.0], 0.1, &[0.0]).unwrap();
    assert_eq!(
        report.verdict(),
        gradproof::check::Verdict::NotFinite,
        "{report}"
    );

    // The same check passes a right step from a finite loss: it is the loss that failed.
    let fine = gradproof::function!(<S> |w| w[0] * w[0] + w[1] * w[1]);
    let report = check::update(&fine, &[1.0, 2.0], 0.1, &[0.8, 1.6]).unwrap();
    assert!(report.passed(), "{report}");
}

#[test]
fn the_taylor_test_reports_a_kink_and_judges_the_slope_between_its_sides() {
    let f = |x: &[f64]| x[0].abs() + x[1].abs();
    let checker = Checker::default();
    let subgradient = checker
        .taylor_of_yours_of(f, &[0.0, 0.0], &[0.0, 0.0])
        .unwrap();
    assert_eq!(
        subgradient.status,
        TaylorStatus::Kink { between: true },
        "{subgradient}"
    );
    assert!(!subgradient.passed());
    let outside = checker
        .taylor_of_yours_of(f, &[0.0, 0.0], &[10.0, 0.0])
        .unwrap();
    assert_eq!(
        outside.status,
        TaylorStatus::Kink { between: false },
        "{outside}"
    );
}

/// In f32 a closure's noise is measured beside the kink, not across it: measured across,
/// the kink counted as noise, and the slack of the between-judgement grew until a slope
/// outside both one-sided slopes read as between them.
#[test]
fn in_f32_the_taylor_test_calls_a_slope_outside_the_sides_of_a_kink_outside() {
    let checker = Checker::default();
    let relu = |x: &[f32]| 2.0 * x[0].max(0.0) + x[1] * x[1];
    let at = [0.0f32, 0.5];
    let right = checker.taylor_of_yours_of(relu, &at, &[0.0, 1.0]).unwrap();
    assert_eq!(
        right.status,
        TaylorStatus::Kink { between: true },
        "{right}"
    );
    let wrong = checker.taylor_of_yours_of(relu, &at, &[-1.0, 1.0]).unwrap();
    assert_eq!(
        wrong.status,
        TaylorStatus::Kink { between: false },
        "{wrong}"
    );
    let max = |x: &[f32]| x[0].max(x[1]);
    let tie = [1.0f32, 1.0];
    let right = checker.taylor_of_yours_of(max, &tie, &[1.0, 0.0]).unwrap();
    assert_eq!(
        right.status,
        TaylorStatus::Kink { between: true },
        "{right}"
    );
    let wrong = checker.taylor_of_yours_of(max, &tie, &[2.0, 0.0]).unwrap();
    assert_eq!(
        wrong.status,
        TaylorStatus::Kink { between: false },
        "{wrong}"
    );
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/check_kinks.txt"))]

    /// `|x − c|` and `relu(x − c)` at `x = c`, for any `c` and any scale: always a kink,
    /// with the tape's subgradient between the sides.
    #[test]
    fn a_kink_anywhere_is_reported_as_a_kink(c in -1e3..1e3f64, a in 0.1..10.0f64) {
        let x = [c, a];
        let abs = |p: &[f64]| p[1] * (p[0] - x[0]).abs();
        let relu = |p: &[f64]| p[1] * (p[0] - x[0]).max(0.0);
        for (name, report) in [
            ("abs", Checker::default().yours_vs_differences_of(abs, &x, &[0.0, 0.0]).unwrap()),
            ("relu", Checker::default().yours_vs_differences_of(relu, &x, &[0.0, 0.0]).unwrap()),
        ] {
            let status = report.entry(Position::Coordinate(0)).unwrap().status;
            prop_assert!(matches!(status, Status::Kink { analytic_between: true, .. }), "{}: {}", name, report);
            prop_assert!(!report.passed());
        }
    }
}

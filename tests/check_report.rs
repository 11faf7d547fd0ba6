//! The report: worst offenders first, a summary line, the tolerance and its reason, a
//! table for people, JSON for machines; user tolerances replace the error model.

use gradproof::check::{self, Checker, Position, Status, Tolerance};
use gradproof::prelude::*;

/// `f = Σ i·xᵢ²`: gradient `2i·xᵢ`, exact to rounding on the tape.
fn weighted_squares<S: Scalar>(x: &[S]) -> S {
    x.iter().enumerate().fold(S::zero(), |s, (i, &xi)| {
        s + S::from(i as f64 + 1.0).unwrap() * xi * xi
    })
}

fn exact_gradient(x: &[f64]) -> Vec<f64> {
    x.iter()
        .enumerate()
        .map(|(i, &xi)| 2.0 * (i as f64 + 1.0) * xi)
        .collect()
}

#[test]
fn worst_offenders_come_first_by_status_then_by_excess() {
    let f = gradproof::function!(weighted_squares);
    let x = [0.5, -0.25, 1.0, 2.0];
    let wrong = |p: &[f64]| {
        let mut g = exact_gradient(p);
        g[1] *= 1.01; // small excess
        g[3] *= 2.0; // large excess
        g[2] = f64::NAN;
        g
    };
    let report = check::yours_vs_tape(&f, &x, &wrong(&x)).unwrap();
    let order: Vec<Position> = report.entries.iter().map(|e| e.position).collect();
    // Not finite first, then the disagreements by how far beyond tolerance, then the rest.
    assert_eq!(order, [2, 3, 1, 0].map(Position::Coordinate));
    assert_eq!(report.entries[0].status, Status::NotFinite);
    let s = report.summary();
    assert_eq!((s.total, s.agree, s.disagree, s.not_finite), (4, 1, 2, 1));
    assert_eq!(s.to_string(), "1 not finite, 2 disagree, 1 agree of 4");
}

#[test]
fn display_states_labels_summary_tolerance_and_every_column() {
    let f = gradproof::function!(weighted_squares);
    let x = [0.5, -0.25];
    let report = check::tape_vs_differences(&f, &x).unwrap();
    let text = report.to_string();
    for needle in [
        "gradient check (tape gradient vs finite differences (Richardson)), f64: passed",
        "2 agree of 2",
        "tolerance: error model: 10 × finite-difference bound",
        "ε = 2.22e-16 (f64)",
        "analytic",
        "reference",
        "abs err",
        "rel err",
        "estimate",
        "x[0]",
        "agrees",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let wrong = Checker::default()
        .yours_vs_differences_of(|p: &[f64]| weighted_squares(p), &x, &[1.0, 0.0])
        .unwrap();
    let text = wrong.to_string();
    assert!(text.contains("FAILED"), "{text}");
    assert!(text.contains("worst: x[1]"), "{text}");
    assert!(text.contains("DISAGREES"), "{text}");
}

#[test]
fn long_reports_show_twenty_rows_and_all_in_alternate_form() {
    let f = gradproof::function!(weighted_squares);
    let x: Vec<f64> = (0..30).map(|i| f64::from(i) / 10.0).collect();
    let report = check::yours_vs_tape(&f, &x, &exact_gradient(&x)).unwrap();
    assert!(report.passed(), "{report}");
    let short = report.to_string();
    assert!(short.contains("… 10 more entries"), "{short}");
    let long = format!("{report:#}");
    assert!(!long.contains("more entries"));
    assert_eq!(long.matches("agrees").count(), 30);
}

#[test]
fn user_tolerances_replace_the_model_and_say_so() {
    let f = gradproof::function!(weighted_squares);
    let x = [0.5, -0.25];
    let off =
        |p: &[f64]| -> Vec<f64> { exact_gradient(p).iter().map(|g| g * (1.0 + 1e-6)).collect() };
    assert!(!check::yours_vs_tape(&f, &x, &off(&x)).unwrap().passed());

    let relative = Checker {
        tolerance: Tolerance::Relative {
            absolute: 0.0,
            relative: 1e-5,
        },
        ..Checker::default()
    };
    let report = relative.yours_vs_tape(&f, &x, &off(&x)).unwrap();
    assert!(report.passed(), "{report}");
    assert!(report.tolerance.contains("user's relative tolerance 1e-5"));

    let absolute = Checker {
        tolerance: Tolerance::Absolute(1e-9),
        ..Checker::default()
    };
    let report = absolute.yours_vs_tape(&f, &x, &off(&x)).unwrap();
    assert!(!report.passed());
    assert_eq!(report.entries[0].tolerance, 1e-9);

    // Two ulps apart: within 4 ulps, not within 1.
    let nudged = |p: &[f64]| -> Vec<f64> {
        exact_gradient(p)
            .into_iter()
            .map(|g| f64::from_bits(g.to_bits() + 2))
            .collect()
    };
    let ulps = |n| Checker {
        tolerance: Tolerance::Ulps {
            absolute: 0.0,
            ulps: n,
        },
        ..Checker::default()
    };
    assert!(ulps(4).yours_vs_tape(&f, &x, &nudged(&x)).unwrap().passed());
    assert!(!ulps(1).yours_vs_tape(&f, &x, &nudged(&x)).unwrap().passed());
}

#[test]
fn a_user_tolerance_never_turns_a_kink_into_a_pass() {
    let f = gradproof::function!(<S> |x| x[0].abs());
    let lenient = Checker {
        tolerance: Tolerance::Absolute(1e3),
        ..Checker::default()
    };
    let report = lenient.tape_vs_differences(&f, &[0.0]).unwrap();
    assert!(matches!(report.entries[0].status, Status::Kink { .. }));
    assert!(!report.passed());
}

#[test]
fn assert_gradient_fails_with_the_report() {
    let f = gradproof::function!(weighted_squares);
    let wrong = |p: &[f64]| {
        let mut g = exact_gradient(p);
        g[0] = -g[0];
        g
    };
    let panic = std::panic::catch_unwind(|| {
        gradproof::assert_gradient!(f, &[0.5, 1.5], wrong);
    })
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("backward-pass check"), "{message}");
    assert!(message.contains("DISAGREES"), "{message}");
    assert!(message.contains("worst: x[0]"), "{message}");
}

#[cfg(feature = "serde")]
#[test]
fn reports_serialise_for_machines() {
    let f = gradproof::function!(<S> |x| S::from(2.0).unwrap() * x[0].relu() + x[1] * x[1]);
    let report = check::tape_vs_differences(&f, &[0.0, 0.5]).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["check"], "Gradient");
    assert_eq!(json["dtype"], "f64");
    let kink = &json["entries"][0];
    assert_eq!(kink["position"]["Coordinate"], 0);
    assert_eq!(kink["status"]["Kink"]["analytic_between"], true);
    assert!(kink["status"]["Kink"]["right"].as_f64().unwrap() > 1.9);
    assert!(json["tolerance"]
        .as_str()
        .unwrap()
        .starts_with("error model"));

    let taylor =
        check::taylor_of_tape(&gradproof::function!(weighted_squares), &[0.5, 1.0]).unwrap();
    let json = serde_json::to_value(&taylor).unwrap();
    assert!(json["steps"].as_array().unwrap().len() > 10);
    assert!(json["status"].is_string());
}

/// A failed Taylor test states the slope error it saw, not a sensitivity computed from
/// the wrong slope's own remainder (which read "errors above 1.5 would show" while it
/// caught one of 0.15): the stated error is the true one along the test's direction.
#[test]
fn a_failed_taylor_test_states_the_slope_error_it_saw() {
    let x = [0.7, -0.4, 1.3];
    for delta in [1e-1, 1e-4, 1e-7] {
        let mut wrong = exact_gradient(&x);
        wrong[1] += delta;
        let report = check::taylor_of_yours_of(weighted_squares::<f64>, &x, &wrong).unwrap();
        assert_eq!(report.verdict(), check::Verdict::Failed, "{report}");
        let along_v = delta * report.direction[1].abs();
        let seen = report.observed_slope_error().unwrap();
        assert!(
            (seen - along_v).abs() <= 0.05 * along_v,
            "δ = {delta}: saw {seen}, true {along_v}"
        );
        let text = report.to_string();
        assert!(text.contains("the slope is off by about"), "{text}");
        assert!(!text.contains("would show"), "{text}");
    }
}

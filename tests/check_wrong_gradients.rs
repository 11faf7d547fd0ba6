//! Wrong gradients are caught: deliberately wrong backward passes of the document's
//! network (a missing factor, a transposed weight, a sign error, an off-by-one index, one
//! wrong coordinate, a relative error of 1e-4) are each flagged — against the tape, against
//! finite differences and by the Taylor test — and the report points at the coordinates
//! the mistake changed, never at others.

mod check_network;
mod common;

use check_network::{Document, Mistake};
use gradproof::check::{self, Checker, Position, Report, Status};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const FORMULA_MISTAKES: [Mistake; 4] = [
    Mistake::MissingSigmaPrime,
    Mistake::TransposedWeight,
    Mistake::SignError,
    Mistake::OffByOneIndex,
];

fn document() -> impl Strategy<Value = (Document, Vec<f64>)> {
    (
        prop::array::uniform3(-2.0..2.0f64),
        prop::array::uniform3(0.0..1.0f64),
        prop::collection::vec(-2.0..2.0f64, 18),
    )
        .prop_map(|(x, y, w)| (Document { x, y }, w))
}

fn coordinate(position: Position) -> usize {
    match position {
        Position::Coordinate(i) => i,
        other => panic!("a gradient report has coordinates, not {other:?}"),
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// The report fails; its worst entry and every failure lie among the coordinates the
/// mistake can change; every such coordinate that changed by more than `visible` (in
/// units of the gradient's largest entry) and by more than twice the tolerance the
/// report applied is flagged. (The tolerance covers the reference's own error, so a
/// change beyond twice it cannot hide; within it, the report has said it cannot tell.)
fn assert_points_at_the_mistake(
    report: &Report,
    mistake: Mistake,
    right: &[f64],
    wrong: &[f64],
    visible: f64,
) -> Result<(), TestCaseError> {
    let changed = mistake.coordinates();
    prop_assert!(!report.passed(), "{:?} passed:\n{}", mistake, report);
    let worst = coordinate(report.worst().unwrap().position);
    prop_assert!(
        changed.contains(&worst),
        "{:?}: worst is x[{}]\n{}",
        mistake,
        worst,
        report
    );
    for failure in report.failures() {
        let i = coordinate(failure.position);
        prop_assert!(
            changed.contains(&i),
            "{:?}: x[{}] flagged\n{}",
            mistake,
            i,
            report
        );
    }
    let scale = max_abs(right);
    for &i in &changed {
        let entry = report.entry(Position::Coordinate(i)).unwrap();
        let change = (wrong[i] - right[i]).abs();
        if change > visible * scale && change > 2.0 * entry.tolerance {
            prop_assert_eq!(
                entry.status,
                Status::Disagrees,
                "{:?}: x[{}]\n{}",
                mistake,
                i,
                report
            );
        }
    }
    Ok(())
}

fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&a| a as f32).collect()
}

fn to_f64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&a| f64::from(a)).collect()
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/check_wrong_gradients.txt"))]

    #[test]
    fn formula_mistakes_are_flagged_against_the_tape_at_their_coordinates((net, w) in document()) {
        let right = net.backward(&w, Mistake::None);
        for mistake in FORMULA_MISTAKES {
            let wrong = net.backward(&w, mistake);
            prop_assume!(max_abs(&wrong.iter().zip(&right).map(|(a, b)| a - b).collect::<Vec<_>>()) > 1e-3 * max_abs(&right));
            let report = check::yours_vs_tape(&net, &w, &net.backward(&w, mistake)).unwrap();
            assert_points_at_the_mistake(&report, mistake, &right, &wrong, 1e-9)?;
        }
    }

    #[test]
    fn formula_mistakes_are_flagged_against_the_tape_in_f32((net, w) in document()) {
        let w = to_f32(&w);
        let right = to_f64(&net.backward(&w, Mistake::None));
        for mistake in FORMULA_MISTAKES {
            let wrong = to_f64(&net.backward(&w, mistake));
            prop_assume!(max_abs(&wrong.iter().zip(&right).map(|(a, b)| a - b).collect::<Vec<_>>()) > 1e-3 * max_abs(&right));
            let report = check::yours_vs_tape(&net, &w, &net.backward(&w, mistake)).unwrap();
            assert_points_at_the_mistake(&report, mistake, &right, &wrong, 1e-4)?;
        }
    }

    #[test]
    fn formula_mistakes_are_flagged_against_finite_differences((net, w) in document()) {
        let right = net.backward(&w, Mistake::None);
        let plain = |p: &[f64]| gradproof::dual::Function::eval(&net, p);
        for mistake in FORMULA_MISTAKES {
            let wrong = net.backward(&w, mistake);
            prop_assume!(max_abs(&wrong.iter().zip(&right).map(|(a, b)| a - b).collect::<Vec<_>>()) > 1e-3 * max_abs(&right));
            let report = Checker::default().yours_vs_differences_of(plain, &w, &wrong).unwrap();
            assert_points_at_the_mistake(&report, mistake, &right, &wrong, 1e-6)?;
        }
    }

    #[test]
    fn formula_mistakes_fail_the_taylor_test_wherever_they_change_the_slope((net, w) in document()) {
        let right = net.backward(&w, Mistake::None);
        let plain = |p: &[f64]| gradproof::dual::Function::eval(&net, p);
        for mistake in FORMULA_MISTAKES {
            let wrong = net.backward(&w, mistake);
            let report = Checker::default().taylor_of_yours_of(plain, &w, &wrong).unwrap();
            let slope_error: f64 = wrong.iter().zip(&right).zip(&report.direction)
                .map(|((a, b), v)| (a - b) * v).sum();
            if slope_error.abs() > 10.0 * report.sensitivity {
                prop_assert!(!report.passed(), "{:?}, slope error {:e}:\n{}", mistake, slope_error, report);
                prop_assert!((report.observed_central_order.unwrap() - 1.0).abs() < 0.5, "{}", report);
            }
        }
    }

    #[test]
    fn one_wrong_coordinate_is_the_only_one_flagged((net, w) in document(), i in 0..18usize) {
        let right = net.backward(&w, Mistake::None);
        prop_assume!(right[i].abs() > 1e-6 * max_abs(&right));
        let mistake = Mistake::OneWrongCoordinate(i);
        let wrong = net.backward(&w, mistake);
        let tape = check::yours_vs_tape(&net, &w, &net.backward(&w, mistake)).unwrap();
        assert_points_at_the_mistake(&tape, mistake, &right, &wrong, 0.0)?;
        prop_assert_eq!(tape.summary().disagree, 1);
        let plain = |p: &[f64]| gradproof::dual::Function::eval(&net, p);
        let numeric = Checker::default().yours_vs_differences_of(plain, &w, &wrong).unwrap();
        assert_points_at_the_mistake(&numeric, mistake, &right, &wrong, 0.0)?;
        prop_assert_eq!(numeric.summary().disagree, 1);
    }

    /// A relative error of 1e-4 in the largest coordinate is far beyond rounding even in
    /// f32, and far beyond Richardson's error in f64.
    #[test]
    fn a_relative_error_of_1e4_is_flagged((net, w) in document()) {
        let right = net.backward(&w, Mistake::None);
        let i = (0..18).max_by(|&a, &b| right[a].abs().total_cmp(&right[b].abs())).unwrap();
        prop_assume!(right[i].abs() > 1e-8);
        let mistake = Mistake::RelativeError(i);
        let wrong = net.backward(&w, mistake);
        let tape = check::yours_vs_tape(&net, &w, &net.backward(&w, mistake)).unwrap();
        assert_points_at_the_mistake(&tape, mistake, &right, &wrong, 0.0)?;
        // Finite differences resolve it wherever their stated tolerance is below half
        // the error; at rare points (about 1 in 5000 here) the two Richardson runs
        // disagree, the tolerance rises to the error's size, and the report says so.
        let plain = |p: &[f64]| gradproof::dual::Function::eval(&net, p);
        let numeric = Checker::default().yours_vs_differences_of(plain, &w, &wrong).unwrap();
        let tolerance = numeric.entry(Position::Coordinate(i)).unwrap().tolerance;
        if tolerance < 0.5 * (wrong[i] - right[i]).abs() {
            assert_points_at_the_mistake(&numeric, mistake, &right, &wrong, 0.0)?;
        }

        let w32 = to_f32(&w);
        let right32 = to_f64(&net.backward(&w32, Mistake::None));
        let j = (0..18).max_by(|&a, &b| right32[a].abs().total_cmp(&right32[b].abs())).unwrap();
        let mistake = Mistake::RelativeError(j);
        let wrong32 = to_f64(&net.backward(&w32, mistake));
        let tape32 = check::yours_vs_tape(&net, &w32, &net.backward(&w32, mistake)).unwrap();
        assert_points_at_the_mistake(&tape32, mistake, &right32, &wrong32, 0.0)?;
    }

    /// An update step with any of the wrong gradients is flagged at the weights it moved
    /// wrongly.
    #[test]
    fn an_update_with_a_wrong_gradient_is_flagged((net, w) in document(), eta in 0.1..2.0f64) {
        let right = net.backward(&w, Mistake::None);
        for mistake in FORMULA_MISTAKES {
            let wrong = net.backward(&w, mistake);
            prop_assume!(max_abs(&wrong.iter().zip(&right).map(|(a, b)| a - b).collect::<Vec<_>>()) > 1e-3 * max_abs(&right));
            let updated: Vec<f64> = w.iter().zip(&wrong).map(|(wi, gi)| wi - eta * gi).collect();
            let report = check::update(&net, &w, eta, &updated).unwrap();
            prop_assert!(!report.passed());
            let worst = coordinate(report.worst().unwrap().position);
            prop_assert!(mistake.coordinates().contains(&worst), "{}", report);
            for failure in report.failures() {
                prop_assert!(mistake.coordinates().contains(&coordinate(failure.position)), "{}", report);
            }
        }
    }
}

#[test]
fn a_transposed_jacobian_is_flagged_at_its_off_diagonal_entries() {
    // f(x) = (x₀·x₁², sin x₀ + x₁): J = [[x₁², 2x₀x₁], [cos x₀, 1]].
    let f = |x: &[f64]| vec![x[0] * x[1] * x[1], x[0].sin() + x[1]];
    let x = [0.7f64, 1.3];
    let right = vec![vec![x[1] * x[1], 2.0 * x[0] * x[1]], vec![x[0].cos(), 1.0]];
    let transposed = vec![
        vec![right[0][0], right[1][0]],
        vec![right[0][1], right[1][1]],
    ];
    let checker = Checker::default();
    assert!(checker.jacobian_values(f, &x, &right).unwrap().passed());
    let report = checker.jacobian_values(f, &x, &transposed).unwrap();
    assert!(!report.passed());
    let flagged: Vec<Position> = report.failures().map(|e| e.position).collect();
    assert_eq!(flagged.len(), 2, "{report}");
    assert!(flagged.contains(&Position::Jacobian {
        output: 0,
        input: 1
    }));
    assert!(flagged.contains(&Position::Jacobian {
        output: 1,
        input: 0
    }));
}

#[test]
fn a_wrong_length_gradient_is_an_error_not_a_panic() {
    let net = Document {
        x: [1.0, 0.5, -0.5],
        y: [0.2, 0.4, 0.6],
    };
    let w = vec![0.1; 18];
    let short = |p: &[f64]| net.backward(p, Mistake::None)[..17].to_vec();
    let err = check::yours_vs_tape(&net, &w, &short(&w)).unwrap_err();
    assert_eq!(
        err,
        gradproof::check::CheckError::Dimension {
            what: "your gradient",
            expected: 18,
            found: 17
        }
    );
    assert!(check::tape_vs_differences(&net, &[] as &[f64]).is_err());
}

/// A function whose code differs between number types, as a faulty custom `Scalar`
/// method would: forward mode sees slope 3 along x₀, reverse mode 2.
struct TypeDependent;

impl gradproof::dual::Function for TypeDependent {
    fn eval<S: gradproof::Scalar>(&self, x: &[S]) -> S {
        let k = if std::any::type_name::<S>().contains("Dual") {
            3.0
        } else {
            2.0
        };
        S::from(k).unwrap() * x[0] + x[1] * x[1]
    }
}

struct TypeDependentVector;

impl gradproof::dual::VectorFunction for TypeDependentVector {
    fn eval<S: gradproof::Scalar>(&self, x: &[S]) -> Vec<S> {
        vec![
            gradproof::dual::Function::eval(&TypeDependent, x),
            x[0] * x[1],
        ]
    }
}

#[test]
fn forward_and_reverse_mode_disagreeing_is_flagged_in_every_direction() {
    let report = check::forward_vs_reverse(&TypeDependent, &[0.5, 1.5]).unwrap();
    assert_eq!(
        report.summary().disagree,
        report.summary().total,
        "{report}"
    );
    let report = Checker::default()
        .forward_reverse_vector(&TypeDependentVector, &[0.5, 1.5])
        .unwrap();
    assert_eq!(
        report.summary().disagree,
        report.summary().total,
        "{report}"
    );
}

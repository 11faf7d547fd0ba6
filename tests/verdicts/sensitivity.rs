//! The smallest error a check says it could see is true: an error just above it is
//! caught, in f32 and f64.

use gradproof::check::{self, Position, Real, Verdict};

use crate::cases::{NetworkOnePercent, SteepExpProduct};
use crate::harness::Case;

fn point<T: Real>(case: &impl Case) -> Vec<T> {
    case.point().iter().map(|&v| T::from(v).unwrap()).collect()
}

/// The right gradient moved along the report's direction so that its slope is off by
/// `factor` times the sensitivity the report stated.
fn taylor_catches_just_above_its_sensitivity<T: Real>(case: &impl Case, factor: f64) {
    let x = point::<T>(case);
    let right = case.right(&x);
    let report = check::taylor_of_yours(case, &x, &right).unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
    let v = &report.direction;
    let norm2: f64 = v.iter().map(|c| c * c).sum();
    let error = factor * report.sensitivity;
    let wrong: Vec<T> = right
        .iter()
        .zip(v)
        .map(|(&g, &c)| T::from(Into::<f64>::into(g) + error * c / norm2).unwrap())
        .collect();
    let caught = check::taylor_of_yours(case, &x, &wrong).unwrap();
    assert_eq!(
        caught.verdict(),
        Verdict::Failed,
        "a slope error of {error:.2e}, {factor} × the stated sensitivity {:.2e}, passed:\n{caught}",
        report.sensitivity
    );
}

#[test]
fn a_slope_error_just_above_the_taylor_sensitivity_is_caught_in_f64() {
    taylor_catches_just_above_its_sensitivity::<f64>(&NetworkOnePercent, 1.5);
    taylor_catches_just_above_its_sensitivity::<f64>(&SteepExpProduct, 1.5);
}

#[test]
fn a_slope_error_just_above_the_taylor_sensitivity_is_caught_in_f32() {
    taylor_catches_just_above_its_sensitivity::<f32>(&NetworkOnePercent, 1.5);
    taylor_catches_just_above_its_sensitivity::<f32>(&SteepExpProduct, 1.5);
}

/// Each entry of the right gradient in turn moved by 1.5 times the tolerance the report
/// stated for it.
fn differences_catch_just_above_their_tolerance<T: Real>(case: &impl Case) {
    let x = point::<T>(case);
    let right = case.right(&x);
    let report = check::yours_vs_differences(case, &x, &right).unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
    for i in 0..x.len() {
        let stated = report.entry(Position::Coordinate(i)).unwrap().tolerance;
        let mut wrong = right.clone();
        wrong[i] = T::from(Into::<f64>::into(right[i]) + 1.5 * stated).unwrap();
        if Into::<f64>::into(wrong[i]) == Into::<f64>::into(right[i]) {
            continue; // below one ulp of the value: no such gradient exists in T
        }
        let caught = check::yours_vs_differences(case, &x, &wrong).unwrap();
        assert_eq!(caught.verdict(), Verdict::Failed, "x[{i}]:\n{caught}");
    }
}

#[test]
fn an_entry_just_outside_its_stated_tolerance_is_caught_in_f64() {
    differences_catch_just_above_their_tolerance::<f64>(&NetworkOnePercent);
}

#[test]
fn an_entry_just_outside_its_stated_tolerance_is_caught_in_f32() {
    differences_catch_just_above_their_tolerance::<f32>(&NetworkOnePercent);
}

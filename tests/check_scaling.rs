//! Parameters of very different scales in `f32`: the gradient's own rounding is allowed
//! per coordinate (a rounding moves each coordinate by its own ulp), so the checks
//! against `f64` differences decide — a right gradient passes and 1 % off in one entry
//! fails — where an allowance taken at the largest coordinate left them inconclusive.

use gradproof::check::{self, Status, Verdict};
use gradproof::prelude::*;

/// `(10³·x₀ − 1)² + (10⁻³·x₁ − 1)²`: the two parameters' scales are 10⁻³ and 10³.
struct BadlyScaled;

impl Function for BadlyScaled {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        let k = S::from(1e3).unwrap();
        let a = k * x[0] - S::one();
        let b = x[1] / k - S::one();
        a * a + b * b
    }
}

/// At `x₀ = 7·10⁻⁴`, `x₁ = 400`: the gradient (−600, −1.2·10⁻³).
const POINT: [f32; 2] = [0.7e-3, 0.4e3];

fn right(x: &[f32]) -> Vec<f32> {
    vec![2e3 * (1e3 * x[0] - 1.0), 2e-3 * (x[1] / 1e3 - 1.0)]
}

#[test]
fn f32_gradient_of_badly_scaled_parameters_passes_against_f64_differences() {
    let report = check::tape_vs_differences(&BadlyScaled, &POINT).unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
    let report = check::yours_vs_differences(&BadlyScaled, &POINT, &right(&POINT)).unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
}

#[test]
fn one_percent_off_in_the_small_scale_coordinate_fails_in_f32() {
    let mut wrong = right(&POINT);
    wrong[0] *= 1.01;
    let report = check::yours_vs_differences(&BadlyScaled, &POINT, &wrong).unwrap();
    assert_eq!(report.verdict(), Verdict::Failed, "{report}");
    let first = report
        .entries
        .iter()
        .find(|e| e.status == Status::Disagrees);
    assert_eq!(
        first.map(|e| e.position),
        Some(check::Position::Coordinate(0)),
        "{report}"
    );
    // The tolerance it was judged by is small against the 1 % it found (6).
    assert!(report.entries[0].tolerance < 0.6, "{report}");
}

//! Forward mode: dual numbers agree with the tape's rules, give exact directional
//! derivatives of generic code, and over the tape give Hessian-vector products.

#![allow(clippy::needless_range_loop)] // indices name coordinates, as in the math

mod common;

use gradproof::check::Richardson;
use gradproof::dual::{directional, hvp, jvp, Dual, Function};
use gradproof::prelude::*;
use proptest::prelude::*;

/// A function touching most of the rule table.
fn mixture<S: Scalar>(x: &[S]) -> S {
    let two = S::from(2.0).unwrap();
    (x[0] * x[1]).sin() * x[2].exp()
        + (x[0] * x[0] + S::one()).ln() / (two + x[1].cos())
        + x[2].tanh() * x[0].sigmoid()
        + x[1].hypot(x[2]).sqrt()
        + x[0].atan2(two + x[2] * x[2])
        + (x[0] * x[0] + S::one()).powf(x[1] / two)
        + x[2].powi(3)
}

fn tape_gradient(f: &impl Function, x: &[f64]) -> Vec<f64> {
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f.eval(&vars);
    tape.gradient(y).wrt_all(&vars)
}

#[test]
fn seeding_one_coordinate_gives_that_partial_derivative() {
    let x = Dual::variable(0.7_f64);
    let y = x.sin() * x.exp();
    let exact = 0.7_f64.cos() * 0.7_f64.exp() + 0.7_f64.sin() * 0.7_f64.exp();
    assert!((y.eps - exact).abs() < 1e-15);
}

#[test]
fn constants_have_no_derivative_even_where_the_rule_is_infinite() {
    // sqrt'(0) = ∞; a constant zero must stay a constant, not become 0·∞ = NaN.
    let c = Dual::constant(0.0_f64).sqrt();
    assert_eq!((c.re, c.eps), (0.0, 0.0));
    let x = Dual::variable(2.0_f64);
    let y = x + c;
    assert_eq!(y.eps, 1.0);
}

#[test]
fn relu_and_max_follow_the_tapes_conventions_at_their_kinks() {
    assert_eq!(Dual::variable(0.0_f64).relu().eps, 0.0);
    let a = Dual::variable(1.0_f64);
    let b = Dual::constant(1.0_f64);
    // max at a tie sends the derivative to the left operand, as on the tape.
    assert_eq!(a.max(b).eps, 1.0);
    assert_eq!(b.max(a).eps, 0.0);
}

#[test]
fn comparisons_look_at_the_value_and_is_zero_at_both_parts() {
    let x = Dual::new(0.0_f64, 1.0);
    assert!(x == Dual::constant(0.0));
    assert!(!num_traits::Zero::is_zero(&x));
    assert!(Dual::new(1.0_f64, 5.0) < Dual::new(2.0, -5.0));
}

#[test]
fn jvp_of_a_vector_function_is_each_outputs_directional_derivative() {
    let f = gradproof::vector_function!(<S> |x| vec![x[0] * x[1], x[0].exp(), x[1] / x[0]]);
    let (values, tangents) = jvp(&f, &[2.0, 3.0], &[1.0, -1.0]);
    assert_eq!(values, vec![6.0, 2.0_f64.exp(), 1.5]);
    let expected = [3.0 - 2.0, 2.0_f64.exp(), -3.0 / 4.0 - 1.0 / 2.0];
    for k in 0..3 {
        assert!((tangents[k] - expected[k]).abs() < 1e-15);
    }
}

#[test]
fn hessian_vector_product_where_the_gradient_of_an_inner_node_is_zero() {
    // f = (x₀ + x₁)² at x₀ + x₁ = 0: the adjoint of the sum is 0 + 2(v₀ + v₁)ε. Its
    // value is zero but it still carries curvature, which the sweep must propagate.
    let f = gradproof::function!(<S> |x| (x[0] + x[1]) * (x[0] + x[1]));
    let h = hvp(&f, &[1.0, -1.0], &[1.0, 2.0]);
    assert_eq!(h.gradient, vec![0.0, 0.0]);
    assert_eq!(h.hessian_vector, vec![6.0, 6.0]);
}

#[test]
fn hessian_vector_product_matches_the_closed_form_hessian() {
    // f = x₀²x₁ + sin x₁: ∇²f = [[2x₁, 2x₀], [2x₀, −sin x₁]].
    let f = gradproof::function!(<S> |x| x[0] * x[0] * x[1] + x[1].sin());
    let x = [1.5, 0.5];
    let v = [0.3, -0.7];
    let h = hvp(&f, &x, &v);
    let expected = [
        2.0 * x[1] * v[0] + 2.0 * x[0] * v[1],
        2.0 * x[0] * v[0] - x[1].sin() * v[1],
    ];
    for i in 0..2 {
        assert!((h.hessian_vector[i] - expected[i]).abs() < 1e-15);
    }
}

#[test]
fn a_wrong_hessian_is_told_apart_from_the_hvp() {
    // The check in the proptest below would reject a Hessian that dropped the sin term.
    let f = gradproof::function!(<S> |x| x[0] * x[0] * x[1] + x[1].sin());
    let x = [1.5, 0.5];
    let v = [0.0, 1.0];
    let h = hvp(&f, &x, &v);
    let wrong = 2.0 * x[0] * v[0]; // −sin x₁ forgotten
    assert!((h.hessian_vector[1] - wrong).abs() > 0.4);
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/dual.txt"))]

    /// Forward and reverse mode share one rule table; their products agree to rounding.
    #[test]
    fn directional_derivative_is_the_tape_gradient_along_the_direction(
        x in proptest::collection::vec(-1.5..1.5f64, 3),
        v in proptest::collection::vec(-1.0..1.0f64, 3),
    ) {
        let f = gradproof::function!(mixture);
        let (value, slope) = directional(&f, &x, &v);
        prop_assert_eq!(value, mixture(&x));
        let g = tape_gradient(&f, &x);
        let dot: f64 = g.iter().zip(&v).map(|(a, b)| a * b).sum();
        let scale: f64 = g.iter().zip(&v).map(|(a, b)| (a * b).abs()).sum();
        prop_assert!((slope - dot).abs() <= 64.0 * f64::EPSILON * scale.max(1.0),
            "forward {} vs reverse {}", slope, dot);
    }

    /// Forward-over-reverse against the Richardson derivative of the tape gradient
    /// along v, within the engine's safety factor of the estimate's bound.
    #[test]
    fn hvp_matches_finite_differences_of_the_gradient(
        x in proptest::collection::vec(-1.5..1.5f64, 3),
        v in proptest::collection::vec(-1.0..1.0f64, 3),
    ) {
        let f = gradproof::function!(mixture);
        let h = hvp(&f, &x, &v);
        prop_assert_eq!(&h.gradient, &tape_gradient(&f, &x));
        let numeric = Richardson::default().directional(|p: &[f64]| tape_gradient(&f, p), &x, &v);
        for i in 0..3 {
            let e = numeric[i].central;
            prop_assert!((h.hessian_vector[i] - e.value).abs() <= 10.0 * e.bound() + 1e-12,
                "row {}: hvp {} vs numeric {:?}", i, h.hessian_vector[i], e);
        }
    }

    /// The same generic code runs in f32 duals.
    #[test]
    fn f32_duals_agree_with_f64_duals_to_f32_precision(
        x in proptest::collection::vec(-1.5..1.5f32, 3),
        v in proptest::collection::vec(-1.0..1.0f32, 3),
    ) {
        let f = gradproof::function!(mixture);
        let (_, s32) = directional(&f, &x, &v);
        let x64: Vec<f64> = x.iter().map(|&a| f64::from(a)).collect();
        let v64: Vec<f64> = v.iter().map(|&a| f64::from(a)).collect();
        let (_, s64) = directional(&f, &x64, &v64);
        prop_assert!((f64::from(s32) - s64).abs() <= 1e-4 * s64.abs().max(1.0));
    }
}

/// Dual numbers share `Var`'s generated `Float`: their values are the plain float's, bit
/// for bit, where a naive implementation rounds differently (`mul_add` fused,
/// `to_degrees` with the float's own factor) or loses a NaN or a sign (`abs_sub`, the
/// empty `Sum`).
#[test]
fn dual_values_are_the_plain_floats_bit_for_bit() {
    let cases: [(f64, f64, f64); 4] = [
        (0.1, 0.7, -0.07),
        (1e16, 1.0 + 1e-15, -1e16),
        (-0.0, 2.5, 0.0),
        (f64::NAN, 1.0, 2.0),
    ];
    for (a, b, c) in cases {
        let (da, db, dc) = (Dual::variable(a), Dual::constant(b), Dual::constant(c));
        let same = |dual: Dual<f64>, plain: f64| dual.re.to_bits() == plain.to_bits();
        assert!(same(da.mul_add(db, dc), a.mul_add(b, c)), "mul_add at {a}");
        assert!(same(da.to_degrees(), a.to_degrees()), "to_degrees at {a}");
        assert!(same(da.to_radians(), a.to_radians()), "to_radians at {a}");
        #[allow(deprecated)]
        let positive_difference = (da.abs_sub(db), a.abs_sub(b));
        assert!(
            same(positive_difference.0, positive_difference.1),
            "abs_sub at {a}"
        );
    }
    let empty: Dual<f64> = std::iter::empty().sum();
    assert_eq!(
        empty.re.to_bits(),
        std::iter::empty::<f64>().sum::<f64>().to_bits()
    );
}

#[test]
fn mul_add_carries_the_derivative_of_all_three_operands() {
    let x = Dual::new(1.5, 1.0);
    let y = x.mul_add(x, x.sin()); // x² + sin x
    assert_eq!(y.re, 1.5_f64.mul_add(1.5, 1.5_f64.sin()));
    assert!((y.eps - (2.0 * 1.5 + 1.5_f64.cos())).abs() < 1e-15);
}

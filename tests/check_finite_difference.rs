//! Finite differences: stencil orders, steps, Richardson error estimates, Jacobians.

#![allow(clippy::needless_range_loop)] // indices name coordinates, as in the math

mod common;

use gradproof::check::{Richardson, Stencil};
use proptest::prelude::*;

/// `f(x) = e^x₀·sin x₁ + x₀·x₁³`, with its gradient.
fn f(x: &[f64]) -> f64 {
    x[0].exp() * x[1].sin() + x[0] * x[1].powi(3)
}

fn grad_f(x: &[f64]) -> [f64; 2] {
    [
        x[0].exp() * x[1].sin() + x[1].powi(3),
        x[0].exp() * x[1].cos() + 3.0 * x[0] * x[1].powi(2),
    ]
}

#[test]
fn each_stencil_shrinks_its_error_at_its_order() {
    let x = [0.3, 0.7];
    let exact = grad_f(&x)[0];
    for stencil in [
        Stencil::Forward,
        Stencil::Backward,
        Stencil::Central,
        Stencil::Central4,
        Stencil::Central6,
    ] {
        // Steps large enough that truncation, not rounding, dominates.
        let h = 0.05;
        let e1 = (stencil.difference(f, &x, 0, h) - exact).abs();
        let e2 = (stencil.difference(f, &x, 0, h / 2.0) - exact).abs();
        let observed = (e1 / e2).log2();
        let p = f64::from(stencil.order());
        assert!(
            (observed - p).abs() < 0.3,
            "{stencil:?}: observed order {observed}, expected {p}"
        );
    }
}

#[test]
fn each_stencil_at_its_own_step_reaches_its_expected_accuracy() {
    let x = [0.3, 0.7];
    let exact = grad_f(&x);
    for (stencil, accuracy) in [
        (Stencil::Forward, 1e-7),
        (Stencil::Backward, 1e-7),
        (Stencil::Central, 1e-9),
        (Stencil::Central4, 1e-11),
        (Stencil::Central6, 1e-12),
    ] {
        let g = stencil.gradient(f, &x);
        for i in 0..2 {
            assert!(
                (g[i] - exact[i]).abs() < accuracy,
                "{stencil:?} coordinate {i}: {} vs {}",
                g[i],
                exact[i]
            );
        }
    }
}

#[test]
fn stencil_jacobian_has_one_row_per_output() {
    let h = |x: &[f64]| vec![x[0] * x[1], x[0].sin(), x[1].exp()];
    let x = [0.4, -0.2];
    let j = Stencil::Central4.jacobian(h, &x);
    let exact = [[x[1], x[0]], [x[0].cos(), 0.0], [0.0, x[1].exp()]];
    assert_eq!(j.len(), 3);
    for k in 0..3 {
        for i in 0..2 {
            assert!((j[k][i] - exact[k][i]).abs() < 1e-10, "J[{k}][{i}]");
        }
    }
}

#[test]
fn richardson_is_far_more_accurate_than_any_single_stencil() {
    let x = [0.3, 0.7];
    let exact = grad_f(&x);
    let g = Richardson::default().gradient(f, &x);
    for i in 0..2 {
        assert!((g[i].value - exact[i]).abs() < 1e-13 * exact[i].abs().max(1.0));
        assert!(g[i].bound() < 1e-11);
    }
}

#[test]
fn richardson_jacobian_matches_the_closed_form_within_its_bounds() {
    let h = |x: &[f64]| vec![x[0] * x[1].cos(), (x[0] - x[1]).tanh()];
    let x = [0.9f64, -0.4];
    let sech2 = 1.0 - (x[0] - x[1]).tanh().powi(2);
    let exact = [[x[1].cos(), -x[0] * x[1].sin()], [sech2, -sech2]];
    let j = Richardson::default().jacobian(h, &x);
    for k in 0..2 {
        for i in 0..2 {
            let e = j[k][i];
            assert!(
                (e.value - exact[k][i]).abs() <= 10.0 * e.bound(),
                "J[{k}][{i}]"
            );
            assert!(e.bound() < 1e-10);
        }
    }
}

#[test]
fn one_sided_extrapolations_see_both_sides_of_a_kink() {
    let abs = |x: &[f64]| x[0].abs();
    let fx = [0.0];
    let d = Richardson::default().differences(|x: &[f64]| vec![abs(x)], &[0.0], &fx, 0)[0];
    assert!((d.forward.value - 1.0).abs() < 1e-12);
    assert!((d.backward.value + 1.0).abs() < 1e-12);
    assert!((d.jump.value - 2.0).abs() < 1e-12);
    // The central difference alone would call |x| differentiable at 0 with slope 0.
    assert!(d.central.value.abs() < 1e-12);
}

#[test]
fn a_domain_edge_inside_the_first_step_is_stepped_around() {
    // ln is undefined left of 0; the first step (1/8) would cross it.
    let ln = |x: &[f64]| x[0].ln();
    let e = Richardson::default().derivative(ln, &[1e-3], 0);
    assert!(e.value.is_finite());
    assert!((e.value - 1e3).abs() <= 10.0 * e.bound(), "{e:?}");
    assert!((e.value - 1e3).abs() < 1e-6 * 1e3);
}

#[test]
fn directional_difference_is_the_gradient_along_the_direction() {
    let x = [0.3, 0.7];
    let v = [0.6, -0.8];
    let g = grad_f(&x);
    let exact = g[0] * v[0] + g[1] * v[1];
    let d = Richardson::default().directional(|p: &[f64]| vec![f(p)], &x, &v)[0];
    assert!((d.central.value - exact).abs() <= 10.0 * d.central.bound());
    assert!(d.central.bound() < 1e-10);
}

/// A smooth function with enough curvature to make finite differences work:
/// `sin(a·x₀·x₁)·e^(x₂) + ln(1 + x₀²)·tanh(a·x₁)` (with `ln_1p`, so that f32 evaluates
/// it to rounding: `ln(1 + x₀²)` would lose the term entirely for tiny `x₀`).
fn wavy<T: num_traits::Float>(a: T, x: &[T]) -> T {
    (a * x[0] * x[1]).sin() * x[2].exp() + (x[0] * x[0]).ln_1p() * (a * x[1]).tanh()
}

fn wavy_gradient(a: f64, x: &[f64]) -> [f64; 3] {
    let s = (a * x[0] * x[1]).sin();
    let c = (a * x[0] * x[1]).cos();
    let e = x[2].exp();
    let l = (x[0] * x[0]).ln_1p();
    let t = (a * x[1]).tanh();
    [
        c * a * x[1] * e + 2.0 * x[0] / (1.0 + x[0] * x[0]) * t,
        c * a * x[0] * e + l * a * (1.0 - t * t),
        s * e,
    ]
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/check_finite_difference.txt"))]

    /// The bound is what the engine's error model builds on: the true error stays within
    /// the engine's safety factor (10) of it, in f64 and in f32.
    #[test]
    fn richardson_error_stays_within_ten_times_its_bound(
        a in 0.5..3.0f64,
        x in proptest::collection::vec(-2.0..2.0f64, 3),
    ) {
        let exact = wavy_gradient(a, &x);
        let g64 = Richardson::default().gradient(|p: &[f64]| wavy(a, p), &x);
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let g32 = Richardson::default().gradient(|p: &[f32]| wavy(a as f32, p), &x32);
        // The f32 point is the rounded f64 point: compare with the exact gradient there.
        let x32_as_64: Vec<f64> = x32.iter().map(|&v| f64::from(v)).collect();
        let exact32 = wavy_gradient(f64::from(a as f32), &x32_as_64);
        // The closed form is itself rounded: a few ulps of its terms (of order 1 here).
        let closed_form = 16.0 * f64::EPSILON;
        for i in 0..3 {
            prop_assert!((g64[i].value - exact[i]).abs() <= 10.0 * g64[i].bound() + closed_form,
                "f64 coordinate {}: {:?} vs {}", i, g64[i], exact[i]);
            let e32 = g32[i];
            prop_assert!((f64::from(e32.value) - exact32[i]).abs() <= 10.0 * f64::from(e32.bound()),
                "f32 coordinate {}: {:?} vs {}", i, e32, exact32[i]);
        }
    }

    /// What the engine's kink rule relies on: where `f` is smooth the jump stays within
    /// ten times its bound or below `√ε` of the derivative's scale.
    #[test]
    fn jump_of_a_smooth_function_is_never_taken_for_a_kink(
        a in 0.5..3.0f64,
        x in proptest::collection::vec(-2.0..2.0f64, 3),
    ) {
        let fx = [wavy(a, &x)];
        for i in 0..3 {
            let d = Richardson::default().differences(|p: &[f64]| vec![wavy(a, p)], &x, &fx, i)[0];
            let scale = wavy_gradient(a, &x).iter().fold(0.0_f64, |m, g| m.max(g.abs()));
            let jump = d.jump.value.abs();
            prop_assert!(jump <= 10.0 * d.jump.bound() || jump <= f64::EPSILON.sqrt() * scale,
                "{:?}", d.jump);
        }
    }
}

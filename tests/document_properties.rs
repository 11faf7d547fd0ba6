//! Property tests of the document's network over random weights, inputs, targets and
//! learning rates: the tape, the document's closed forms and central differences agree
//! within derived error bounds; one tape update is the document's update; and plausible
//! wrong formulas are told apart from the right one by the same checks.

mod common;

use approx::{abs_diff_eq, relative_eq};
use gradproof::check::{central_gradient, central_step};
use gradproof::nn::document::error_bounds::{
    central_difference_bound, closed_form_rounding_bound, forward_rounding,
};
use gradproof::nn::document::{
    dalpha_ddelta, dls_domega_output, dyhat_ddelta, forward, gradient, tape_gradient, tape_update,
    update, Forward, Sample, Weights, HIDDEN, OUTPUTS, PAIRS,
};
use proptest::array::{uniform18, uniform3, uniform9};
use proptest::prelude::*;

type Network = (Weights<f64>, Sample<f64>, f64);

/// Weights and inputs in `[−2, 2]`, targets in `[0, 1]` (what a sigmoid can reach),
/// learning rates in `[0.001, 2]`. Hidden net inputs reach `|δ| ≤ 12`, far enough into
/// saturation that `1 − σ` loses up to five digits; the bounds account for it.
fn network() -> impl Strategy<Value = Network> {
    (
        uniform18(-2.0..=2.0f64),
        uniform3(-2.0..=2.0f64),
        uniform3(0.0..=1.0f64),
        0.001..=2.0f64,
    )
        .prop_map(|(w, x, y, eta)| (Weights::from_array(w), Sample::new(x, y), eta))
}

/// A sub-domain where each wrong formula below provably differs from the right one by
/// far more than the tolerance (the lower bounds are worked out at each test):
/// input → hidden weights in `[−1, 1]` (so `|δ_j| ≤ 3`, `α_j(1 − α_j) ≥ 0.045`),
/// hidden → output weights in `[0.1, 1]` (so `ŷ_k > ½` and, with targets in
/// `[0, 0.45]`, every `ŷ_k − y_k > 0.05`: all terms of `Σ_k` share one sign and cannot
/// cancel), inputs with `|x_i|` in `[0.1, 1]` of either sign, `η` in `[0.1, 1]`.
fn separable() -> impl Strategy<Value = Network> {
    (
        uniform9(-1.0..=1.0f64),
        uniform9(0.1..=1.0f64),
        uniform3((0.1..=1.0f64, any::<bool>())),
        uniform3(0.0..=0.45f64),
        0.1..=1.0f64,
    )
        .prop_map(|(w_in, w_out, x, y, eta)| {
            let mut w = [0.0; 18];
            w[..9].copy_from_slice(&w_in);
            w[9..].copy_from_slice(&w_out);
            let x = x.map(|(magnitude, negative)| if negative { -magnitude } else { magnitude });
            (Weights::from_array(w), Sample::new(x, y), eta)
        })
}

/// The check the positive properties use, `|tape − candidate| ≤ bound` per weight, where
/// `bound` is the derived rounding bound of two correct computations
/// (`closed_form_rounding_bound`: `2ε·Σ_k |t_k|·(κ(ŷ_k) + κ(α_j) + 8)`, `κ(s) = 1/(1 − s)`).
/// A few ulps relative (`max_relative = 4ε`: either side rounds about four products)
/// would suffice where nothing cancels and no sigmoid saturates; the absolute `epsilon`
/// is what stays valid when `Σ_k` cancels or `1 − σ` loses digits, and it is still
/// `O(ε)` times the size of the terms.
fn agrees_with_tape(candidate: &Weights<f64>, w: &Weights<f64>, s: &Sample<f64>) -> [bool; 18] {
    let fwd = forward(w, s);
    let bound = closed_form_rounding_bound(w, &fwd);
    let tape = tape_gradient(w, s);
    PAIRS.map(|p| {
        relative_eq!(
            tape[p],
            candidate[p],
            epsilon = bound[p],
            max_relative = 4.0 * f64::EPSILON
        )
    })
}

/// The loss as a function of the 18 weights in the order of `PAIRS`, for finite
/// differences.
fn loss_of(s: Sample<f64>) -> impl Fn(&[f64]) -> f64 {
    move |flat: &[f64]| match Weights::from_slice(flat) {
        Some(w) => forward(&w, &s).loss(),
        None => f64::NAN,
    }
}

/// `|central difference − candidate| ≤ bound` per weight, where the step is
/// `h = central_step(ω) = ε^(1/3)·max(1, |ω|)` and the bound is derived from it
/// (`central_difference_bound`): truncation `h²·M/6`, with `M` a proven bound on
/// `|∂³L/∂ω_ij³|` along the coordinate, plus rounding `ΔL/h`, with `ΔL` the rounding
/// bound of the computed loss, times a safety factor 2; plus the rounding bound of the
/// candidate itself. With `h ≈ 6·10⁻⁶` both parts are around `10⁻¹¹`.
fn agrees_with_central(candidate: &Weights<f64>, w: &Weights<f64>, s: &Sample<f64>) -> [bool; 18] {
    let fwd = forward(w, s);
    let rounding = closed_form_rounding_bound(w, &fwd);
    let central = Weights::from_slice(&central_gradient(loss_of(*s), w.as_array()))
        .expect("central_gradient keeps the dimension");
    PAIRS.map(|(i, j)| {
        let h = central_step(w[(i, j)]);
        let bound = central_difference_bound(w, &fwd, i, j, h) + rounding[(i, j)];
        abs_diff_eq!(central[(i, j)], candidate[(i, j)], epsilon = bound)
    })
}

/// The hidden-layer (input → hidden) weights are the first nine of `PAIRS`.
fn is_hidden_layer((i, _): (usize, usize)) -> bool {
    i <= 3
}

// The wrong formulas: each a mistake a hand derivation of the document plausibly makes.

/// Forgets the output's `σ′`: `∂L/∂δ_k` taken as `ŷ_k − y_k` (as if the loss were
/// cross-entropy), in the output layer and in the hidden layer's chain.
fn gradient_without_sigma_prime(w: &Weights<f64>, fwd: &Forward<f64>) -> Weights<f64> {
    Weights::from_fn(|i, j| {
        if i >= 4 {
            (fwd.yhat(j) - fwd.y(j)) * fwd.alpha(i)
        } else {
            OUTPUTS
                .map(|k| (fwd.yhat(k) - fwd.y(k)) * w[(j, k)] * dalpha_ddelta(fwd, j) * fwd.x(i))
                .sum()
        }
    })
}

/// Updates the hidden → output weights first and uses the updated `ω̂_jk` in the hidden
/// layer's chain rule, as code that updates layer by layer in place does.
fn gradient_with_updated_output_weights(
    w: &Weights<f64>,
    fwd: &Forward<f64>,
    eta: f64,
) -> Weights<f64> {
    let mut updated = *w;
    for j in HIDDEN {
        for k in OUTPUTS {
            updated[(j, k)] = w[(j, k)] - eta * dls_domega_output(fwd, j, k);
        }
    }
    Weights::from_fn(|i, j| {
        if i >= 4 {
            dls_domega_output(fwd, i, j)
        } else {
            OUTPUTS
                .map(|k| {
                    (fwd.yhat(k) - fwd.y(k))
                        * dyhat_ddelta(fwd, k)
                        * updated[(j, k)]
                        * dalpha_ddelta(fwd, j)
                        * fwd.x(i)
                })
                .sum()
        }
    })
}

/// Drops the sum over `k`: the hidden weight `ω_ij` charged only with the loss of the
/// output `k = j + 3` "in line with" hidden neuron `j` (ω14 with L_s7, ω15 with L_s8).
fn gradient_dropping_sum_over_k(w: &Weights<f64>, fwd: &Forward<f64>) -> Weights<f64> {
    Weights::from_fn(|i, j| {
        if i >= 4 {
            dls_domega_output(fwd, i, j)
        } else {
            let k = j + 3;
            (fwd.yhat(k) - fwd.y(k))
                * dyhat_ddelta(fwd, k)
                * w[(j, k)]
                * dalpha_ddelta(fwd, j)
                * fwd.x(i)
        }
    })
}

/// A sign error: `∂L_sk/∂ŷ_k` taken as `y_k − ŷ_k` (the derivative of `(y − ŷ)²/2`
/// with respect to `y`), which flips every gradient.
fn gradient_with_sign_error(w: &Weights<f64>, fwd: &Forward<f64>) -> Weights<f64> {
    Weights::from_fn(|i, j| {
        let error = |k: usize| fwd.y(k) - fwd.yhat(k);
        if i >= 4 {
            error(j) * dyhat_ddelta(fwd, j) * fwd.alpha(i)
        } else {
            OUTPUTS
                .map(|k| {
                    error(k) * dyhat_ddelta(fwd, k) * w[(j, k)] * dalpha_ddelta(fwd, j) * fwd.x(i)
                })
                .sum()
        }
    })
}

/// A bound on `|f32 tape − exact|` for `∂L/∂ω_ij`, from values computed in f64 at the
/// same (f32-representable) inputs, by first-order propagation of the f32 rounding
/// (`u = 2⁻²⁴`) through each factor of each term `t_k = a_k·b_k·…`:
///
/// - `a_k = ŷ_k − y_k` is off by `|Δŷ_k| + u|a_k|` (forward rounding of `ŷ_k`; absolute,
///   since `a_k` may cancel to nothing);
/// - a slope `σ′(δ)` is off relatively by `|Δδ|` (its forward error, as
///   `|σ″/σ′| = |1 − 2σ| ≤ 1`) plus `8u` for the tape's own roundings;
/// - an activation `α_i` (output layer) by `|Δα_i|`; weights and inputs are exact;
/// - each product and the sum over `k` add `u` per operation.
///
/// Safety factor 2, plus the f64 closed form's own rounding bound.
fn f32_gradient_bound(w: &Weights<f64>, fwd: &Forward<f64>, i: usize, j: usize) -> f64 {
    let u = f64::from(f32::EPSILON) / 2.0;
    let r = forward_rounding(w, fwd, u);
    let f64_bound = closed_form_rounding_bound(w, fwd)[(i, j)];
    let error = |k: usize| fwd.yhat(k) - fwd.y(k);
    let error_bound = |k: usize| r.sigma(k) + u * error(k).abs();
    let propagated = if i >= 4 {
        let (a, b, c) = (error(j), dyhat_ddelta(fwd, j), fwd.alpha(i));
        (b * c).abs() * error_bound(j)
            + (a * b * c).abs() * (r.delta(j) + 8.0 * u + 3.0 * u)
            + (a * b).abs() * r.sigma(i)
    } else {
        OUTPUTS
            .map(|k| {
                let rest = dyhat_ddelta(fwd, k) * w[(j, k)] * dalpha_ddelta(fwd, j) * fwd.x(i);
                let term = (error(k) * rest).abs();
                rest.abs() * error_bound(k) + term * (r.delta(k) + r.delta(j) + 16.0 * u + 7.0 * u)
            })
            .sum()
    };
    2.0 * propagated + f64_bound
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/document_properties.txt"))]

    #[test]
    fn tape_equals_closed_form_for_all_18_weights((w, s, _) in network()) {
        let closed = gradient(&w, &forward(&w, &s));
        let agree = agrees_with_tape(&closed, &w, &s);
        let tape = tape_gradient(&w, &s);
        for (n, &(i, j)) in PAIRS.iter().enumerate() {
            prop_assert!(
                agree[n],
                "∂L/∂ω{}{}: tape {:e}, closed form {:e}", i, j, tape[(i, j)], closed[(i, j)]
            );
        }
    }

    #[test]
    fn tape_equals_central_differences_within_step_size_bound((w, s, _) in network()) {
        let tape = tape_gradient(&w, &s);
        let agree = agrees_with_central(&tape, &w, &s);
        for (n, &(i, j)) in PAIRS.iter().enumerate() {
            prop_assert!(agree[n], "∂L/∂ω{}{}: tape {:e}", i, j, tape[(i, j)]);
        }
    }

    #[test]
    fn closed_form_equals_central_differences_within_step_size_bound((w, s, _) in network()) {
        let closed = gradient(&w, &forward(&w, &s));
        let agree = agrees_with_central(&closed, &w, &s);
        for (n, &(i, j)) in PAIRS.iter().enumerate() {
            prop_assert!(agree[n], "∂L/∂ω{}{}: closed form {:e}", i, j, closed[(i, j)]);
        }
    }

    #[test]
    fn one_tape_update_equals_the_document_update((w, s, eta) in network()) {
        let fwd = forward(&w, &s);
        let bound = closed_form_rounding_bound(&w, &fwd);
        let by_tape = tape_update(&w, &s, eta);
        let document = update(&w, &s, eta);
        let g = tape_gradient(&w, &s);
        for &(i, j) in &PAIRS {
            // ω̂ = ω − η ∂L/∂ω written out here, with the tape's gradient: both updates
            // must be it. The document's gradient differs from the tape's by at most
            // `bound`, then one product and one difference round on each side.
            let omega = w[(i, j)];
            let written = omega - eta * g[(i, j)];
            let tol = eta * bound[(i, j)]
                + 2.0 * f64::EPSILON * (omega.abs() + 2.0 * (omega - written).abs());
            prop_assert!(
                abs_diff_eq!(by_tape[(i, j)], written, epsilon = tol),
                "ω̂{}{} by the tape: {:e}, ω − η·g: {:e}", i, j, by_tape[(i, j)], written
            );
            prop_assert!(
                abs_diff_eq!(document[(i, j)], written, epsilon = tol),
                "ω̂{}{} by the document: {:e}, ω − η·g: {:e}", i, j, document[(i, j)], written
            );
        }
    }

    #[test]
    fn f32_tape_equals_f64_closed_form_within_f32_rounding(
        w in uniform18(-2.0..=2.0f32),
        x in uniform3(-2.0..=2.0f32),
        y in uniform3(0.0..=1.0f32),
    ) {
        let (w32, s32) = (Weights::from_array(w), Sample::new(x, y));
        // f32 → f64 is exact: both compute at the very same point.
        let (w64, s64) = (w32.map(f64::from), s32.map(f64::from));
        let fwd = forward(&w64, &s64);
        let closed = gradient(&w64, &fwd);
        let tape32 = tape_gradient(&w32, &s32);
        for &(i, j) in &PAIRS {
            let bound = f32_gradient_bound(&w64, &fwd, i, j);
            let d = f64::from(tape32[(i, j)]);
            prop_assert!(
                abs_diff_eq!(d, closed[(i, j)], epsilon = bound),
                "∂L/∂ω{}{}: f32 tape {:e}, f64 closed form {:e}, bound {:e}",
                i, j, d, closed[(i, j)], bound
            );
        }
    }

    // The checks can fail. In `separable()` every wrong formula differs from the right
    // one by a proven margin, so each check must reject it on every coordinate the
    // mistake touches (and still accept the right gradient on the same input).

    #[test]
    fn missing_sigma_prime_is_rejected((w, s, _) in separable()) {
        let fwd = forward(&w, &s);
        prop_assert!(agrees_with_tape(&gradient(&w, &fwd), &w, &s).iter().all(|&ok| ok));
        // Output layer: wrong − right = (ŷ − y)·α·(1 − ŷ(1 − ŷ)) ≥ 0.05·0.047·0.75
        // ≈ 2·10⁻³. Hidden layer: Σ_k (ŷ_k − y_k)·ω_jk·α_j(1 − α_j)·x_i·(1 − ŷ_k(1 − ŷ_k)),
        // terms of one sign, ≥ 3·0.05·0.1·0.045·0.1·0.75 ≈ 5·10⁻⁵. The tolerances are
        // below 10⁻¹⁴ (tape) and 10⁻⁹ (central differences).
        let wrong = gradient_without_sigma_prime(&w, &fwd);
        prop_assert!(agrees_with_tape(&wrong, &w, &s).iter().all(|&ok| !ok));
        prop_assert!(agrees_with_central(&wrong, &w, &s).iter().all(|&ok| !ok));
    }

    #[test]
    fn hidden_gradient_with_updated_output_weights_is_rejected((w, s, eta) in separable()) {
        let fwd = forward(&w, &s);
        let wrong = gradient_with_updated_output_weights(&w, &fwd, eta);
        let agree = agrees_with_tape(&wrong, &w, &s);
        // Hidden layer: wrong − right = −η·α_j·α_j(1 − α_j)·x_i·Σ_k ((ŷ_k − y_k)·ŷ_k(1 − ŷ_k))²,
        // a sum of squares that cannot cancel, ≥ 0.1·0.047·0.045·0.1·3·(0.05·0.05)²
        // ≈ 4·10⁻¹⁰, against a tape tolerance below 10⁻¹⁴. (Too close for central
        // differences, whose tolerance is ~10⁻¹⁰: that is why the tape is the reference.)
        // The output layer is untouched by this mistake and still agrees.
        for (n, &p) in PAIRS.iter().enumerate() {
            prop_assert_eq!(agree[n], !is_hidden_layer(p), "ω{}{}", p.0, p.1);
        }
    }

    #[test]
    fn dropped_sum_over_k_is_rejected((w, s, _) in separable()) {
        let fwd = forward(&w, &s);
        let wrong = gradient_dropping_sum_over_k(&w, &fwd);
        // Hidden layer: wrong − right = −Σ_{k ≠ j+3} ∂L_sk/∂ω_ij, two terms of one sign,
        // ≥ 2·0.05·0.05·0.1·0.045·0.1 ≈ 2·10⁻⁶. Output layer untouched.
        let by_tape = agrees_with_tape(&wrong, &w, &s);
        let by_central = agrees_with_central(&wrong, &w, &s);
        for (n, &p) in PAIRS.iter().enumerate() {
            prop_assert_eq!(by_tape[n], !is_hidden_layer(p), "ω{}{}", p.0, p.1);
            prop_assert_eq!(by_central[n], !is_hidden_layer(p), "ω{}{}", p.0, p.1);
        }
    }

    #[test]
    fn sign_error_is_rejected((w, s, _) in separable()) {
        let fwd = forward(&w, &s);
        let wrong = gradient_with_sign_error(&w, &fwd);
        // wrong = −right, so wrong − right = 2·|∂L/∂ω_ij|, with no cancellation in the
        // sum over k: ≥ 2·0.05·0.05·0.047 ≈ 10⁻⁴ (output), ≥ 2·3·0.05·0.05·0.1·0.045·0.1
        // ≈ 7·10⁻⁶ (hidden).
        prop_assert!(agrees_with_tape(&wrong, &w, &s).iter().all(|&ok| !ok));
        prop_assert!(agrees_with_central(&wrong, &w, &s).iter().all(|&ok| !ok));
    }
}

/// The wrong formulas are not strawmen: where their mistake has no effect they coincide
/// with the right gradient, so the tests above reject the *mistake*, not some unrelated
/// difference in how they are written.
#[test]
fn wrong_formulas_coincide_with_the_right_one_where_their_mistake_vanishes() {
    let w = Weights::from_fn(|i, j| ((3 * i + j) % 5) as f64 / 4.0 - 0.5);
    let inputs = [0.3, -0.2, 0.9];
    // With every target equal to its prediction, every gradient is zero, wrong or not.
    let predictions = forward(&w, &Sample::new(inputs, [0.0; 3]));
    let s = Sample::new(inputs, [7, 8, 9].map(|k| predictions.yhat(k)));
    let fwd = forward(&w, &s);
    let zero = Weights::from_array([0.0; 18]);
    assert_eq!(gradient(&w, &fwd), zero);
    assert_eq!(gradient_without_sigma_prime(&w, &fwd), zero);
    assert_eq!(gradient_with_updated_output_weights(&w, &fwd, 0.5), zero);
    assert_eq!(gradient_dropping_sum_over_k(&w, &fwd), zero);
    assert_eq!(gradient_with_sign_error(&w, &fwd), zero);
    // With η = 0 the output weights do not move before the hidden layer is computed.
    let s = Sample::new(inputs, [0.1, 0.9, 0.4]);
    let fwd = forward(&w, &s);
    assert_eq!(
        gradient_with_updated_output_weights(&w, &fwd, 0.0),
        gradient(&w, &fwd)
    );
}

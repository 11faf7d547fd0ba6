//! One proof per equation of the document: each test computes the document's formula
//! and the tape's derivative of the forward equations, on concrete numbers, and checks
//! they agree within a tolerance derived from rounding (see
//! `gradproof::nn::document::error_bounds`).

use approx::{abs_diff_eq, relative_eq};
use gradproof::nn::document::error_bounds::closed_form_rounding_bound;
use gradproof::nn::document::walkthrough::{example, Walkthrough};
use gradproof::nn::document::{
    dalpha_ddelta, ddelta_domega, dl_domega, dl_domega_hidden, dls_domega_hidden,
    dls_domega_output, dls_dyhat, dyhat_ddelta, forward, gradient, record, sigma, tape_gradient,
    tape_update, update, Sample, Weights, HIDDEN, INPUTS, OUTPUTS, PAIRS,
};
use gradproof::prelude::*;

/// The built-in numbers, a case with mixed signs, and one with large inputs where the
/// sigmoids come close to saturation (so `1 − σ` loses digits and the tolerances grow).
fn cases() -> Vec<(Weights<f64>, Sample<f64>, f64)> {
    let mixed = Weights::from_fn(|i, j| ((7 * i + 3 * j) % 11) as f64 / 5.0 - 1.0);
    let large = Weights::from_fn(|i, j| ((5 * i + 2 * j) % 9) as f64 / 2.0 - 2.0);
    vec![
        example(),
        (mixed, Sample::new([1.0, -0.5, 0.25], [0.0, 1.0, 0.3]), 0.1),
        (large, Sample::new([2.0, -3.0, 1.5], [0.9, 0.05, 0.5]), 2.0),
    ]
}

/// `2ε(κ(s) + 8)`: how far the closed form `s(1 − s)` and the tape's chain rule through
/// `1/(1 + e^(−δ))` may differ relatively, `κ(s) = 1/(1 − s)` being the digits lost in
/// `1 − s` (derivation in `error_bounds::closed_form_rounding_bound`).
fn slope_tolerance(s: f64) -> f64 {
    2.0 * f64::EPSILON * (1.0 / (1.0 - s) + 8.0)
}

/// A few roundings: for quantities the tape and the formula compute with the same
/// operations in a different order.
const FEW_ULPS: f64 = 4.0 * f64::EPSILON;

#[test]
fn forward_hidden_is_sigma_of_weighted_inputs() {
    for (w, s, _) in cases() {
        let fwd = forward(&w, &s);
        let tape = Tape::new();
        let (_, on_tape) = record(&tape, &w, &s);
        let (x1, x2, x3) = (s.x(1), s.x(2), s.x(3));
        for j in HIDDEN {
            // δ_j = ω_1j x1 + ω_2j x2 + ω_3j x3, α_j = σ(δ_j), as the document writes them.
            let delta = w[(1, j)] * x1 + w[(2, j)] * x2 + w[(3, j)] * x3;
            let alpha = 1.0 / (1.0 + (-delta).exp());
            assert_eq!(fwd.delta(j), delta, "δ{j}");
            assert_eq!(fwd.alpha(j), alpha, "α{j}");
            assert_eq!(on_tape.delta(j).value(), delta, "δ{j} on the tape");
            assert_eq!(on_tape.alpha(j).value(), alpha, "α{j} on the tape");
            // σ from its definition agrees with the crate's overflow-safe sigmoid.
            assert!(relative_eq!(
                alpha,
                delta.sigmoid(),
                max_relative = FEW_ULPS
            ));
        }
    }
}

#[test]
fn forward_output_is_sigma_of_weighted_hidden_activations() {
    for (w, s, _) in cases() {
        let fwd = forward(&w, &s);
        let tape = Tape::new();
        let (_, on_tape) = record(&tape, &w, &s);
        let (a4, a5, a6) = (fwd.alpha(4), fwd.alpha(5), fwd.alpha(6));
        for k in OUTPUTS {
            // δ_k = ω_4k α4 + ω_5k α5 + ω_6k α6, ŷ_k = σ(δ_k).
            let delta = w[(4, k)] * a4 + w[(5, k)] * a5 + w[(6, k)] * a6;
            let yhat = sigma(delta);
            assert_eq!(fwd.delta(k), delta, "δ{k}");
            assert_eq!(fwd.yhat(k), yhat, "ŷ{k}");
            assert_eq!(on_tape.delta(k).value(), delta, "δ{k} on the tape");
            assert_eq!(on_tape.yhat(k).value(), yhat, "ŷ{k} on the tape");
            assert!(relative_eq!(yhat, delta.sigmoid(), max_relative = FEW_ULPS));
        }
    }
}

#[test]
fn loss_is_half_squared_error_and_total_is_their_sum() {
    for (w, s, _) in cases() {
        let fwd = forward(&w, &s);
        let tape = Tape::new();
        let (_, on_tape) = record(&tape, &w, &s);
        let mut total = 0.0;
        for k in OUTPUTS {
            // L_sk = ½ (y_k − ŷ_k)².
            let loss = 0.5 * (s.y(k) - fwd.yhat(k)).powi(2);
            assert!(relative_eq!(fwd.loss_s(k), loss, max_relative = FEW_ULPS));
            assert_eq!(
                on_tape.loss_s(k).value(),
                fwd.loss_s(k),
                "L_s{k} on the tape"
            );
            total += fwd.loss_s(k);
        }
        assert_eq!(fwd.loss(), total);
        assert_eq!(on_tape.loss().value(), total);
    }
}

#[test]
fn dls_dyhat_is_yhat_minus_y() {
    for (w, s, _) in cases() {
        let tape = Tape::new();
        let (_, on_tape) = record(&tape, &w, &s);
        let fwd = forward(&w, &s);
        let total = tape.gradient(on_tape.loss());
        for k in OUTPUTS {
            let document = dls_dyhat(&fwd, k);
            assert_eq!(document, fwd.yhat(k) - s.y(k));
            let by_tape = tape.gradient(on_tape.loss_s(k));
            let claim = format!("∂L_s{k}/∂ŷ{k} = ŷ{k} − y{k}");
            let d = by_tape.wrt(on_tape.yhat(k));
            assert!(
                relative_eq!(d, document, max_relative = FEW_ULPS),
                "{claim}"
            );
            // Only L_sk depends on ŷ_k, so the total loss has the same derivative ...
            let d_total = total.wrt(on_tape.yhat(k));
            assert!(
                relative_eq!(d_total, document, max_relative = FEW_ULPS),
                "{claim}"
            );
            // ... and L_sk depends on no other prediction.
            for m in OUTPUTS.filter(|&m| m != k) {
                assert_eq!(by_tape.wrt(on_tape.yhat(m)), 0.0, "∂L_s{k}/∂ŷ{m}");
            }
        }
    }
}

#[test]
fn sigma_prime_is_sigma_times_one_minus_sigma() {
    for (w, s, _) in cases() {
        let tape = Tape::new();
        let (_, on_tape) = record(&tape, &w, &s);
        let fwd = forward(&w, &s);
        for k in OUTPUTS {
            // ∂ŷ_k/∂δ_k = σ(δ_k)(1 − σ(δ_k)) = ŷ_k (1 − ŷ_k).
            let document = dyhat_ddelta(&fwd, k);
            assert_eq!(document, fwd.yhat(k) * (1.0 - fwd.yhat(k)));
            let d = tape.gradient(on_tape.yhat(k)).wrt(on_tape.delta(k));
            let tol = slope_tolerance(fwd.yhat(k));
            assert!(
                relative_eq!(d, document, epsilon = 0.0, max_relative = tol),
                "∂ŷ{k}/∂δ{k}: tape {d:e}, document {document:e}"
            );
        }
        for j in HIDDEN {
            let document = dalpha_ddelta(&fwd, j);
            assert_eq!(document, fwd.alpha(j) * (1.0 - fwd.alpha(j)));
            let d = tape.gradient(on_tape.alpha(j)).wrt(on_tape.delta(j));
            let tol = slope_tolerance(fwd.alpha(j));
            assert!(
                relative_eq!(d, document, epsilon = 0.0, max_relative = tol),
                "∂α{j}/∂δ{j}: tape {d:e}, document {document:e}"
            );
        }
    }
}

#[test]
fn ddelta_domega_is_what_neuron_i_sends() {
    for (w, s, _) in cases() {
        let tape = Tape::new();
        let (weights, on_tape) = record(&tape, &w, &s);
        let fwd = forward(&w, &s);
        for j in HIDDEN.chain(OUTPUTS) {
            let by_tape = tape.gradient(on_tape.delta(j));
            for &(i, to) in &PAIRS {
                let d = by_tape.wrt(weights[(i, to)]);
                if to == j {
                    // ∂δ7/∂ω47 = α4, and ∂δ4/∂ω14 = x1: what neuron i sends.
                    let document = ddelta_domega(&fwd, i, j);
                    let sent = if i <= 3 { s.x(i) } else { fwd.alpha(i) };
                    assert_eq!(document, sent);
                    assert_eq!(d, document, "∂δ{j}/∂ω{i}{j}");
                } else if i >= 4 || j <= 6 {
                    // δ_j does not depend on a weight into another neuron of its layer,
                    // nor on any weight after it.
                    assert_eq!(d, 0.0, "∂δ{j}/∂ω{i}{to}");
                }
            }
        }
    }
}

#[test]
fn output_weight_gradient_is_error_times_slope_times_activation() {
    for (w, s, _) in cases() {
        let tape = Tape::new();
        let (weights, on_tape) = record(&tape, &w, &s);
        let fwd = forward(&w, &s);
        let bound = closed_form_rounding_bound(&w, &fwd);
        let total = tape.gradient(on_tape.loss());
        for i in HIDDEN {
            for j in OUTPUTS {
                // ∂L_sj/∂ω_ij = (ŷ_j − y_j) · ŷ_j (1 − ŷ_j) · α_i.
                let document = dls_domega_output(&fwd, i, j);
                let (yhat, alpha) = (fwd.yhat(j), fwd.alpha(i));
                assert_eq!(document, (yhat - s.y(j)) * (yhat * (1.0 - yhat)) * alpha);
                let per_loss = tape.gradient(on_tape.loss_s(j));
                let claim = format!("∂L_s{j}/∂ω{i}{j}");
                assert_within(
                    per_loss.wrt(weights[(i, j)]),
                    document,
                    bound[(i, j)],
                    &claim,
                );
                // The other outputs' losses do not depend on ω_ij, so ∂L/∂ω_ij is the same.
                assert_within(total.wrt(weights[(i, j)]), document, bound[(i, j)], &claim);
                for k in OUTPUTS.filter(|&k| k != j) {
                    let other = tape.gradient(on_tape.loss_s(k)).wrt(weights[(i, j)]);
                    assert_eq!(other, 0.0, "∂L_s{k}/∂ω{i}{j}");
                }
            }
        }
    }
}

#[test]
fn output_layer_update_matches_document() {
    for (w, s, eta) in cases() {
        let fwd = forward(&w, &s);
        let by_tape = tape_update(&w, &s, eta);
        let document = update(&w, &s, eta);
        let bound = closed_form_rounding_bound(&w, &fwd);
        for i in HIDDEN {
            for j in OUTPUTS {
                // ω̂_ij = ω_ij − η (ŷ_j − y_j) · ŷ_j (1 − ŷ_j) · α_i.
                let (yhat, alpha) = (fwd.yhat(j), fwd.alpha(i));
                let written = w[(i, j)] - eta * ((yhat - s.y(j)) * (yhat * (1.0 - yhat)) * alpha);
                assert_eq!(document[(i, j)], written, "ω̂{i}{j} of update()");
                let tol = update_tolerance(w[(i, j)], eta, bound[(i, j)], written);
                assert_within(by_tape[(i, j)], written, tol, &format!("ω̂{i}{j}"));
            }
        }
    }
}

#[test]
fn hidden_update_matches_document_sum_over_k() {
    for (w, s, eta) in cases() {
        let tape = Tape::new();
        let (weights, on_tape) = record(&tape, &w, &s);
        let fwd = forward(&w, &s);
        let bound = closed_form_rounding_bound(&w, &fwd);
        let by_tape_update = tape_update(&w, &s, eta);
        let document_update = update(&w, &s, eta);
        for i in INPUTS {
            for j in HIDDEN {
                let mut sum = 0.0;
                for k in OUTPUTS {
                    // ∂L_sk/∂ω_ij = (ŷ_k − y_k) · ŷ_k (1 − ŷ_k) · ω_jk · α_j (1 − α_j) · x_i
                    let term = dls_domega_hidden(&w, &fwd, k, i, j);
                    let (yhat, alpha) = (fwd.yhat(k), fwd.alpha(j));
                    let written = (yhat - s.y(k))
                        * (yhat * (1.0 - yhat))
                        * w[(j, k)]
                        * (alpha * (1.0 - alpha))
                        * s.x(i);
                    assert_eq!(term, written, "∂L_s{k}/∂ω{i}{j}");
                    // Each term on its own is the tape's derivative of that output's loss.
                    let d = tape.gradient(on_tape.loss_s(k)).wrt(weights[(i, j)]);
                    let term_bound = closed_form_term_bound(&fwd, term, k, j);
                    assert_within(d, term, term_bound, &format!("∂L_s{k}/∂ω{i}{j}"));
                    sum += term;
                }
                // ∂L/∂ω_ij = Σ_{k=7..9} ∂L_sk/∂ω_ij: every output's loss counts.
                assert_eq!(dl_domega_hidden(&w, &fwd, i, j), sum);
                let d = tape.gradient(on_tape.loss()).wrt(weights[(i, j)]);
                let claim = format!("Σ_k ∂L_sk/∂ω{i}{j}");
                assert_within(d, sum, bound[(i, j)], &claim);
                // ω̂_ij = ω_ij − η Σ_k ∂L_sk/∂ω_ij.
                let written = w[(i, j)] - eta * sum;
                assert_eq!(document_update[(i, j)], written, "ω̂{i}{j} of update()");
                let tol = update_tolerance(w[(i, j)], eta, bound[(i, j)], written);
                assert_within(by_tape_update[(i, j)], written, tol, &format!("ω̂{i}{j}"));
            }
        }
    }
}

#[test]
fn general_rules_hold_for_all_i_j() {
    for (w, s, eta) in cases() {
        let fwd = forward(&w, &s);
        let document = gradient(&w, &fwd);
        let by_tape = tape_gradient(&w, &s);
        let bound = closed_form_rounding_bound(&w, &fwd);
        let document_update = update(&w, &s, eta);
        let by_tape_update = tape_update(&w, &s, eta);
        for ((i, j), g) in document.iter() {
            assert_eq!(g, dl_domega(&w, &fwd, i, j));
            assert_within(by_tape[(i, j)], g, bound[(i, j)], &format!("∂L/∂ω{i}{j}"));
            let tol = update_tolerance(w[(i, j)], eta, bound[(i, j)], document_update[(i, j)]);
            assert_within(
                by_tape_update[(i, j)],
                document_update[(i, j)],
                tol,
                &format!("ω̂{i}{j}"),
            );
        }
        // Nothing is left at zero by accident: every weight moves the loss here.
        assert!(document.iter().all(|(_, g)| g != 0.0));
    }
}

#[test]
fn the_same_forward_runs_on_f32_and_its_tape() {
    let (w, s, _) = example();
    let (w32, s32) = (w.map(|v| v as f32), s.map(|v| v as f32));
    let fwd32 = forward(&w32, &s32);
    let document = gradient(&w32, &fwd32);
    let by_tape = tape_gradient(&w32, &s32);
    let bound = closed_form_rounding_bound(&w32, &fwd32);
    for ((i, j), g) in document.iter() {
        let d = by_tape[(i, j)];
        assert!(
            abs_diff_eq!(d, g, epsilon = bound[(i, j)]),
            "∂L/∂ω{i}{j} in f32: tape {d:e}, document {g:e}"
        );
    }
}

#[test]
fn walkthrough_agrees_on_the_builtin_numbers() {
    let walkthrough = Walkthrough::example();
    assert!(walkthrough.agrees());
    assert!(walkthrough.after.loss() < walkthrough.forward.loss());
    let text = walkthrough.to_string();
    for (i, j) in PAIRS {
        assert!(text.contains(&format!("ω{i}{j} ")), "ω{i}{j} printed");
    }
}

#[test]
fn walkthrough_ends_with_one_line_saying_all_four_ways_agree() {
    let text = Walkthrough::example().to_string();
    assert_eq!(
        text.lines().last(),
        Some("All four ways agree on all 18 gradients, and all 38 claims are proved.")
    );
}

#[test]
fn walkthrough_last_line_names_the_ways_that_disagree_and_where() {
    // A tape off by 1e-6 at ω47, far beyond every bound there; then a closed form that
    // is NaN at four weights, of which the line names three.
    let mut walkthrough = Walkthrough::example();
    walkthrough.tape[(4, 7)] += 1e-6;
    assert!(!walkthrough.agrees());
    let line = walkthrough.verdict_line();
    assert_eq!(
        line,
        "They disagree: closed form ≠ tape at ω47; tape ≠ central difference at ω47; \
         symbolic ≠ tape at ω47."
    );
    assert_eq!(walkthrough.to_string().lines().last(), Some(line.as_str()));
    for (i, j) in [(1, 4), (1, 5), (2, 4), (5, 8)] {
        walkthrough.closed_form[(i, j)] = f64::NAN;
    }
    assert!(walkthrough
        .verdict_line()
        .starts_with("They disagree: closed form ≠ tape at ω14, ω15, ω24 and 2 more;"));
}

#[test]
fn walkthrough_symbolic_gradient_of_seed_grad_equals_the_tape_within_its_bound() {
    let walkthrough = Walkthrough::example();
    assert!(walkthrough.symbolic_tape_disagreements().is_empty());
    for (i, j) in PAIRS {
        let (symbolic, tape) = (walkthrough.symbolic[(i, j)], walkthrough.tape[(i, j)]);
        let bound = walkthrough.symbolic_bound[(i, j)];
        assert_within(symbolic, tape, bound, &format!("symbolic ∂L/∂ω{i}{j}"));
        // The bound is a rounding bound, not a loose tolerance.
        assert!(
            bound < 1e-13 * (1.0 + tape.abs()),
            "ω{i}{j}: bound {bound:e}"
        );
    }
    // seed.grad's derivative is the document's formula, as text.
    assert_eq!(
        walkthrough.symbolic_text[9],
        "(yhat7 - y7) * yhat7 * (1 - yhat7) * a4"
    );
}

#[test]
fn walkthrough_verifies_every_claim_of_seed_grad() {
    let walkthrough = Walkthrough::example();
    assert_eq!(walkthrough.claims.len(), 38);
    assert!(walkthrough.claims_not_holding().is_empty());
    let text = walkthrough.to_string();
    assert!(text.contains("38 claims: 38 proved"), "{text}");
}

#[test]
fn walkthrough_at_other_numbers_evaluates_the_symbolic_gradient_there() {
    // Other weights, inputs and rate than seed.grad's: the symbolic column follows the
    // walkthrough's numbers, not the file's.
    let w = Weights::from_fn(|i, j| 0.1 * (i as f64) - 0.05 * (j as f64));
    let s = Sample::new([0.7, -0.2, 0.4], [0.3, 0.6, 0.9]);
    let walkthrough = Walkthrough::new(w, s, 0.25);
    assert!(walkthrough.agrees());
    for (i, j) in PAIRS {
        let closed = walkthrough.closed_form[(i, j)];
        let bound = walkthrough.symbolic_bound[(i, j)] + walkthrough.rounding_bound[(i, j)];
        assert_within(
            walkthrough.symbolic[(i, j)],
            closed,
            bound,
            &format!("ω{i}{j}"),
        );
    }
}

#[test]
fn a_wrong_symbolic_value_is_reported_as_a_disagreement() {
    let mut walkthrough = Walkthrough::example();
    walkthrough.symbolic[(4, 7)] *= 1.0 + 1e-12;
    assert_eq!(walkthrough.symbolic_tape_disagreements(), vec![(4, 7)]);
    assert!(!walkthrough.agrees());
    assert!(walkthrough
        .to_string()
        .contains("(OUTSIDE the error-model bound: ω47)"));
    walkthrough.symbolic[(4, 7)] = f64::NAN;
    assert_eq!(walkthrough.symbolic_tape_disagreements(), vec![(4, 7)]);
}

/// `|tape − document| ≤ bound`, with a message naming the claim.
fn assert_within(tape: f64, document: f64, bound: f64, claim: &str) {
    assert!(
        abs_diff_eq!(tape, document, epsilon = bound),
        "{claim}: tape {tape:e}, document {document:e}, |difference| {:e} > bound {bound:e}",
        (tape - document).abs()
    );
}

/// The bound of one hidden-layer term `t = ∂L_sk/∂ω_ij`: as
/// `closed_form_rounding_bound`, for the single term.
fn closed_form_term_bound(
    fwd: &gradproof::nn::document::Forward<f64>,
    term: f64,
    k: usize,
    j: usize,
) -> f64 {
    let kappa = |s: f64| 1.0 / (1.0 - s);
    2.0 * f64::EPSILON * term.abs() * (kappa(fwd.yhat(k)) + kappa(fwd.alpha(j)) + 8.0)
}

/// How far two updates `ω − η g` may differ when their gradients differ by at most
/// `gradient_bound`: `η·gradient_bound`, plus one rounding of the product and one of
/// the difference on each side.
fn update_tolerance(omega: f64, eta: f64, gradient_bound: f64, updated: f64) -> f64 {
    eta * gradient_bound
        + 2.0 * f64::EPSILON * (omega.abs() + updated.abs() + (omega - updated).abs())
}

#[test]
fn saturated_sigmoids_stay_finite_and_agree_within_the_rounding_bound() {
    // |δ| in the thousands: e^(−δ) overflows to ∞ or underflows to 0, σ rounds to 0 or
    // 1, and the tape's partial −σ/(1 + e^(−δ)) underflows (see
    // `closed_form_rounding_bound`).
    let w = Weights::from_fn(|i, j| if (i + j) % 2 == 0 { 300.0 } else { -300.0 });
    let s = Sample::new([10.0, 10.0, -10.0], [0.2, 0.4, 0.6]);
    let fwd = forward(&w, &s);
    let document = gradient(&w, &fwd);
    let by_tape = tape_gradient(&w, &s);
    let bound = closed_form_rounding_bound(&w, &fwd);
    for ((i, j), g) in document.iter() {
        assert!(g.is_finite(), "closed form ∂L/∂ω{i}{j} = {g}");
        // Where ŷ rounds to 1 the closed form's ŷ(1 − ŷ) = 0 may be off by ε·ŷ: the
        // bound allows that much, and no more.
        assert!(bound[(i, j)] < 1e-15, "bound {:e}", bound[(i, j)]);
        assert_within(by_tape[(i, j)], g, bound[(i, j)], &format!("∂L/∂ω{i}{j}"));
    }
}

#[test]
fn a_failing_claim_in_the_walkthrough_is_shown_with_its_report_and_disagrees() {
    let mistakes = std::fs::read_to_string("examples/mistakes.grad").expect("mistakes.grad");
    let mut walkthrough = Walkthrough::example();
    walkthrough.seed = gradproof::expr::parse(&mistakes).expect("mistakes.grad parses");
    walkthrough.claims = walkthrough.seed.verify();
    assert!(!walkthrough.agrees());
    assert_eq!(walkthrough.claims_not_holding().len(), 7);
    let text = walkthrough.to_string();
    assert!(
        text.contains("  line 46  FAILS     grad(L7, w47) = (yhat7 - y7) * a4\n"),
        "{text}"
    );
    assert!(text.contains("left = right × yhat7 * (1 - yhat7): the right side misses this factor"));
    assert!(text.contains("7 claims: 0 proved, 0 hold at points, 7 fail, 0 undecided"));
}

//! Property proofs for `nn::mlp` over random layer sizes (1–4 layers of weights, widths
//! 1–6), activations (sigmoid, tanh, relu, chosen apart for the hidden and the output
//! layers), weights, inputs, targets and learning rates, with and without biases:
//!
//! - the closed-form gradient equals the tape's, within a rounding-error bound computed
//!   for each case (`Mlp::rounding_bounds`);
//! - the closed form equals central finite differences within a tolerance derived from
//!   the step size, at every coordinate whose step does not cross a relu kink (those are
//!   counted and reported, never compared);
//! - a gradient-descent step by the tape equals one by the closed form;
//! - a batch gradient is the mean of the per-sample gradients;
//! - all of it again in `f32`, through the same code;
//! - and the comparison with the tape rejects plausible wrong closed forms (σ′ dropped
//!   in a hidden layer, transposed weights, a sign flip, already-updated weights).

mod common;

use gradproof::check::{central_difference, central_gradient, central_step};
use gradproof::nn::activation::Activation;
use gradproof::nn::mlp::{Mlp, Shape, Workspace};
use proptest::collection::vec;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Strategies.
// ---------------------------------------------------------------------------------------

/// Layer sizes of 2–5 entries (1–4 layers of weights), each 1–6, with or without biases,
/// with the document's sigmoid on every layer.
fn sigmoid_shape() -> impl Strategy<Value = Shape> {
    (vec(1usize..=6, 2..=5), any::<bool>()).prop_map(|(sizes, biases)| {
        if biases {
            Shape::with_biases(&sizes).unwrap()
        } else {
            Shape::new(&sizes).unwrap()
        }
    })
}

fn activation() -> impl Strategy<Value = Activation> {
    prop::sample::select(Activation::ALL.to_vec())
}

/// As [`sigmoid_shape`], with any activation on the hidden layers and any on the output.
fn shape() -> impl Strategy<Value = Shape> {
    (sigmoid_shape(), activation(), activation()).prop_map(|(shape, hidden, output)| {
        shape
            .with_hidden_activation(hidden)
            .with_output_activation(output)
    })
}

/// Weights and inputs in `[-2, 2]`, where sigmoids are neither linear nor saturated,
/// and targets in `[-0.5, 1.5]`, inside and outside the sigmoid's range.
fn net_on(shape: Shape) -> impl Strategy<Value = Mlp<f64>> {
    vec(-2.0..2.0f64, shape.param_count())
        .prop_map(move |params| Mlp::from_params(shape.clone(), params).unwrap())
}

fn sample_for(shape: &Shape) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (
        vec(-2.0..2.0f64, shape.inputs()),
        vec(-0.5..1.5f64, shape.outputs()),
    )
}

/// A network and one sample.
fn case_on(
    shape: impl Strategy<Value = Shape>,
) -> impl Strategy<Value = (Mlp<f64>, Vec<f64>, Vec<f64>)> {
    shape.prop_flat_map(|shape| {
        let sample = sample_for(&shape);
        (net_on(shape), sample).prop_map(|(net, (x, y))| (net, x, y))
    })
}

/// A network and a sample with no relu unit within rounding of its kink (where the two
/// paths may differ in the derivative they take; see `kink_sites_are_reported`).
fn case() -> impl Strategy<Value = (Mlp<f64>, Vec<f64>, Vec<f64>)> {
    case_on(shape()).prop_filter("a relu unit within rounding of its kink", |(net, x, y)| {
        kink_free(net, x, y)
    })
}

fn kink_free(net: &Mlp<f64>, x: &[f64], y: &[f64]) -> bool {
    net.rounding_bounds(x, y, f64::EPSILON)
        .unwrap()
        .kinks
        .is_empty()
}

/// An input and its target.
type Sample = (Vec<f64>, Vec<f64>);

/// A network and a batch of 1–6 samples.
fn batch_case() -> impl Strategy<Value = (Mlp<f64>, Vec<Sample>)> {
    shape()
        .prop_flat_map(|shape| {
            let samples = vec(sample_for(&shape), 1..=6);
            (net_on(shape), samples)
        })
        .prop_filter("a relu unit within rounding of its kink", |(net, batch)| {
            batch.iter().all(|(x, y)| kink_free(net, x, y))
        })
}

fn pairs(batch: &[Sample]) -> impl Iterator<Item = (&[f64], &[f64])> + Clone {
    batch.iter().map(|(x, y)| (&x[..], &y[..]))
}

// ---------------------------------------------------------------------------------------
// The rounding-error bound: `Mlp::rounding_bounds` carries a first-order running error
// analysis (Higham, ch. 3) through the network for each case; its documentation states
// the model. Both paths are within `e_g` of the exact gradient, so within `2·e_g` of each
// other; the comparisons allow `4·e_g`, a factor 2 for the second-order terms the
// analysis drops.
// ---------------------------------------------------------------------------------------

/// Error bounds for one sample in a precision with unit roundoff `eps`: on the loss, and
/// on each gradient entry (flat layout).
fn error_bounds(net: &Mlp<f64>, x: &[f64], y: &[f64], eps: f64) -> (f64, Vec<f64>) {
    let bounds = net.rounding_bounds(x, y, eps).unwrap();
    (bounds.loss, bounds.gradient)
}

/// Whether the central difference in coordinate `k` with step `h` evaluates the network
/// on both sides of a relu kink (or at one): then it measures no derivative.
fn steps_across_a_kink(net: &Mlp<f64>, x: &[f64], k: usize, h: f64) -> bool {
    let shape = net.shape();
    let relu_layers: Vec<usize> = (0..shape.layers())
        .filter(|&l| shape.activation(l).has_kinks())
        .collect();
    if relu_layers.is_empty() {
        return false;
    }
    let sides = |delta: f64| {
        let mut p = net.params().to_vec();
        p[k] += delta;
        let z = net.net_inputs_at(&p, x).unwrap();
        relu_layers
            .iter()
            .flat_map(|&l| {
                z[l].iter()
                    .map(|&z| (z > 0.0, z == 0.0))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let here = sides(0.0);
    here.iter().any(|&(_, at_kink)| at_kink) || sides(h) != here || sides(-h) != here
}

/// Whether `a` and `b` are within `4·bound` of each other (see the error analysis
/// above). A NaN on either side is never within.
fn within(a: f64, b: f64, bound: f64) -> bool {
    approx::abs_diff_eq!(a, b, epsilon = 4.0 * bound)
}

/// Distances beyond `4·bound`, as `(index, distance, bound)`; empty when the two
/// gradients agree.
fn disagreements(a: &[f64], b: &[f64], bound: &[f64]) -> Vec<(usize, f64, f64)> {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .zip(bound)
        .enumerate()
        .filter(|&(_, ((&a, &b), &e))| !within(a, b, e))
        .map(|(k, ((a, b), e))| (k, (a - b).abs(), *e))
        .collect()
}

// ---------------------------------------------------------------------------------------
// A plain reference backward pass, and the wrong versions it can be bent into.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Flaw {
    /// The document's rule, written naively from the public API.
    None,
    /// The hidden delta without its `f′(α)` factor (`α(1 − α)` for the sigmoid).
    HiddenSigmaPrimeDropped,
    /// `W d` instead of `Wᵀ d` (only square hidden layers have a `W d`).
    TransposedWeights,
    /// `(y − ŷ)` instead of `(ŷ − y)`.
    SignFlipped,
    /// The hidden deltas computed with weights already updated by `w − η ∂L/∂w`.
    UpdatedWeights(f64),
}

/// The backward recurrence written out naively (one `Vec` per layer, explicit index
/// sums), with an optional flaw.
fn reference_gradient(net: &Mlp<f64>, x: &[f64], y: &[f64], flaw: Flaw) -> Vec<f64> {
    let shape = net.shape();
    let layers = shape.layers();
    let acts = net.forward(x).unwrap();
    let out = &acts[layers];
    let f_out = shape.activation(layers - 1);
    let mut d: Vec<f64> = out
        .iter()
        .zip(y)
        .map(|(&p, &t)| {
            let error = if flaw == Flaw::SignFlipped {
                t - p
            } else {
                p - t
            };
            error * f_out.derivative_from_output(p)
        })
        .collect();
    let mut gradient = vec![0.0; shape.param_count()];
    for l in (0..layers).rev() {
        let (n_in, n_out) = (shape.sizes()[l], shape.sizes()[l + 1]);
        for j in 0..n_out {
            for i in 0..n_in {
                gradient[shape.weight_index(l, j, i)] = d[j] * acts[l][i];
            }
            if let Some(index) = shape.bias_index(l, j) {
                gradient[index] = d[j];
            }
        }
        if l > 0 {
            let weight = |j: usize, i: usize| match flaw {
                Flaw::TransposedWeights => net.weight(l, i, j),
                Flaw::UpdatedWeights(eta) => {
                    net.weight(l, j, i) - eta * gradient[shape.weight_index(l, j, i)]
                }
                _ => net.weight(l, j, i),
            };
            let f = shape.activation(l - 1);
            d = (0..n_in)
                .map(|i| {
                    let s: f64 = (0..n_out).map(|j| weight(j, i) * d[j]).sum();
                    let a = acts[l][i];
                    if flaw == Flaw::HiddenSigmaPrimeDropped {
                        s
                    } else {
                        s * f.derivative_from_output(a)
                    }
                })
                .collect();
        }
    }
    gradient
}

fn f32_net(net: &Mlp<f64>) -> Mlp<f32> {
    let params: Vec<f32> = net.params().iter().map(|&p| p as f32).collect();
    Mlp::from_params(net.shape().clone(), params).unwrap()
}

fn f64_net(net: &Mlp<f32>) -> Mlp<f64> {
    let params: Vec<f64> = net.params().iter().map(|&p| f64::from(p)).collect();
    Mlp::from_params(net.shape().clone(), params).unwrap()
}

fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

fn to_f64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

/// `C3` in the central-difference tolerance `C3·h²`, for the activations of `shape`: ten
/// times the largest `|f‴|/6` measured for its pair of activations.
fn c3(shape: &Shape) -> f64 {
    let index = |a: Activation| Activation::ALL.iter().position(|&b| b == a).unwrap();
    10.0 * C3_MEASURED[index(shape.hidden_activation())][index(shape.output_activation())]
}

/// The largest `|f‴|/6` measured over 20 000 random cases, rounded up, for each pair of
/// activations: hidden (row) and output (column), each in the order sigmoid, tanh, relu
/// (`tolerance_constants_keep_a_wide_margin_over_measured_errors`). tanh's `f′` reaches
/// 1 where the sigmoid's reaches ¼, so tanh networks of these weights (up to 2, four
/// layers of six) bend far more sharply.
/// Within one linear piece a relu network with a relu output is quadratic in each
/// parameter, so its `f‴` is 0; 0.01 keeps a floor.
const C3_MEASURED: [[f64; 3]; 3] = [
    [0.2, 5.0, 1.3],
    [130.0, 800.0, 550.0],
    [510.0, 2600.0, 0.01],
];

/// The largest magnitude in `v`.
fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

// ---------------------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(common::config("proptest-regressions/mlp_properties.txt"))]

    #[test]
    fn closed_form_gradient_equals_the_tape_gradient((net, x, y) in case()) {
        let (closed_loss, closed) = net.gradient(&x, &y).unwrap();
        let (tape_loss, taped) = net.tape_gradient(&x, &y).unwrap();
        let (e_loss, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        prop_assert!((closed_loss - tape_loss).abs() <= 4.0 * e_loss);
        let bad = disagreements(&closed, &taped, &e_g);
        prop_assert!(bad.is_empty(), "closed form and tape disagree at {:?}", bad);
    }

    #[test]
    fn the_naive_reference_recurrence_equals_the_closed_form((net, x, y) in case()) {
        let (_, closed) = net.gradient(&x, &y).unwrap();
        let reference = reference_gradient(&net, &x, &y, Flaw::None);
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        let bad = disagreements(&closed, &reference, &e_g);
        prop_assert!(bad.is_empty(), "reference and closed form disagree at {:?}", bad);
    }

    // A central difference with step h has truncation error h²·|f‴(ξ)|/6 and rounding
    // error (|e(f(x+h))| + |e(f(x−h))|)/2h ≤ e_loss/h, with e_loss the loss's rounding
    // bound from the error analysis above. For these weights and inputs (|·| ≤ 2,
    // widths ≤ 6, depth ≤ 4) |f‴|/6 stayed below the measured maxima in `C3_MEASURED`
    // over 20 000 random cases per activation (measured as |D(h) − f′|/h² with
    // h = 10⁻², where truncation dominates rounding); `C3` leaves a factor 10 over them.
    // With h = ε^(1/3)·max(1, |w|) ≈ 6e-6 the tolerance is about 1e-10 absolute for the
    // sigmoid, while the wrong formulas below are off by the size of the gradient
    // itself. A step that crosses a relu kink measures no derivative: such coordinates
    // are skipped (they are rare at this step size; `kink_sites_are_reported` and the
    // training check's tests show they are caught).
    //
    // Steep networks (gradients of order 40) exceed both the measured C3 and the
    // rounding model in rare cases (about 1 in 6000), so the difference at 2h measures
    // what it can see: D(2h) − D(h) carries 3× the truncation at h and the quotients'
    // actual rounding noise. Twice a third of it joins the bound. It uses the
    // differences alone, never the closed form, so it cannot hide a wrong closed form.
    #[test]
    fn closed_form_gradient_equals_central_differences((net, x, y) in case()) {
        let loss = |p: &[f64]| net.loss_at(p, &x, &y).unwrap();
        let (_, closed) = net.gradient(&x, &y).unwrap();
        let numeric = central_gradient(loss, net.params());
        let (e_loss, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        let c3 = c3(net.shape());
        for (k, (&w, (&c, &n))) in net.params().iter().zip(closed.iter().zip(&numeric)).enumerate() {
            let h = central_step(w);
            if steps_across_a_kink(&net, &x, k, 2.0 * h) {
                continue;
            }
            let measured = (central_difference(loss, net.params(), k, 2.0 * h) - n).abs() / 3.0;
            let tolerance = (c3 * h * h).max(2.0 * measured) + 2.0 * e_loss / h + 4.0 * e_g[k];
            prop_assert!(
                (c - n).abs() <= tolerance,
                "parameter {}: closed form {} vs central difference {} (tolerance {})",
                k, c, n, tolerance
            );
        }
    }

    #[test]
    fn a_tape_step_equals_a_closed_form_step((net, x, y) in case(), eta in 0.001..10.0f64) {
        let (e_loss, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        let (_, gradient) = net.gradient(&x, &y).unwrap();
        let mut closed = net.clone();
        let closed_loss = closed.step(&x, &y, eta, &mut Workspace::new()).unwrap();
        let mut taped = net.clone();
        let tape_loss = taped.tape_step(&x, &y, eta).unwrap();
        // Both return the loss before the step.
        prop_assert_eq!(closed_loss, net.gradient(&x, &y).unwrap().0);
        prop_assert_eq!(tape_loss, net.tape_gradient(&x, &y).unwrap().0);
        prop_assert!((closed_loss - tape_loss).abs() <= 4.0 * e_loss);
        let updates = closed.params().iter().zip(taped.params());
        for (k, ((&c, &t), (&e, &g))) in updates.zip(e_g.iter().zip(&gradient)).enumerate() {
            // Each update w − η·g rounds the product and the difference: the two results
            // are at most η·4e_g apart (the gradients' distance, scaled), plus those
            // roundings on each side.
            let rounding = f64::EPSILON * (2.0 * eta * g.abs() + 4.0 * e + c.abs() + t.abs());
            let tolerance = eta * 4.0 * e + 2.0 * rounding;
            prop_assert!((c - t).abs() <= tolerance, "parameter {}: {} vs {}", k, c, t);
        }
    }

    #[test]
    fn a_closed_form_step_is_w_minus_eta_times_the_gradient((net, x, y) in case(), eta in 0.001..10.0f64) {
        let (_, gradient) = net.gradient(&x, &y).unwrap();
        let mut stepped = net.clone();
        stepped.step(&x, &y, eta, &mut Workspace::new()).unwrap();
        for ((after, before), g) in stepped.params().iter().zip(net.params()).zip(&gradient) {
            prop_assert_eq!(*after, before - eta * g);
        }
    }

    #[test]
    fn batch_gradient_is_the_mean_of_the_sample_gradients((net, batch) in batch_case()) {
        let n = batch.len() as f64;
        let (mean_loss, mean_gradient) = net.batch_gradient(pairs(&batch)).unwrap();
        let mut loss_sum = 0.0;
        let mut generic_loss_sum = 0.0;
        let mut sum = vec![0.0; net.params().len()];
        let mut magnitude = vec![0.0; net.params().len()];
        for (x, y) in &batch {
            let (loss, gradient) = net.gradient(x, y).unwrap();
            loss_sum += loss;
            generic_loss_sum += net.loss(x, y).unwrap();
            for k in 0..sum.len() {
                sum[k] += gradient[k];
                magnitude[k] += gradient[k].abs();
            }
        }
        // The same per-sample gradients summed in the same order: only the final scaling
        // (by 1/n here, by the reciprocal there) and its rounding may differ.
        prop_assert!((mean_loss - loss_sum / n).abs() <= 4.0 * f64::EPSILON * loss_sum / n);
        for k in 0..sum.len() {
            let tolerance = 4.0 * f64::EPSILON * magnitude[k] / n;
            prop_assert!((mean_gradient[k] - sum[k] / n).abs() <= tolerance);
        }
        // The generic forward pass's batch mean, summed in the same order.
        prop_assert_eq!(net.batch_loss(pairs(&batch)).unwrap(), generic_loss_sum / n);
    }

    #[test]
    fn tape_batch_gradient_equals_closed_form_batch_gradient((net, batch) in batch_case()) {
        let (closed_loss, closed) = net.batch_gradient(pairs(&batch)).unwrap();
        let (tape_loss, taped) = net.tape_batch_gradient(pairs(&batch)).unwrap();
        // The mean of the samples' bounds bounds the mean gradient, plus the rounding of
        // the final scaling.
        let mut e_mean = vec![0.0; net.params().len()];
        let mut e_loss_mean = 0.0;
        for (x, y) in &batch {
            let (e_loss, e_g) = error_bounds(&net, x, y, f64::EPSILON);
            e_loss_mean += e_loss / batch.len() as f64;
            for (m, e) in e_mean.iter_mut().zip(&e_g) {
                *m += e / batch.len() as f64;
            }
        }
        for (m, c) in e_mean.iter_mut().zip(&closed) {
            *m += (batch.len() as f64 + 2.0) * f64::EPSILON * c.abs();
        }
        let loss_tolerance = 4.0 * e_loss_mean + 8.0 * f64::EPSILON * closed_loss;
        prop_assert!((closed_loss - tape_loss).abs() <= loss_tolerance);
        let bad = disagreements(&closed, &taped, &e_mean);
        prop_assert!(bad.is_empty(), "batch gradients disagree at {:?}", bad);
    }

    #[test]
    fn a_batch_step_by_the_tape_equals_one_by_the_closed_form((net, batch) in batch_case(), eta in 0.001..10.0f64) {
        let (_, closed_gradient) = net.batch_gradient(pairs(&batch)).unwrap();
        let (_, tape_gradient) = net.tape_batch_gradient(pairs(&batch)).unwrap();
        let mut closed = net.clone();
        closed.batch_step(pairs(&batch), eta, &mut Workspace::new()).unwrap();
        let mut taped = net.clone();
        taped.tape_batch_step(pairs(&batch), eta).unwrap();
        for k in 0..net.params().len() {
            prop_assert_eq!(closed.params()[k], net.params()[k] - eta * closed_gradient[k]);
            prop_assert_eq!(taped.params()[k], net.params()[k] - eta * tape_gradient[k]);
        }
    }

    // f32 through the same code. The f32 network is the f64 one rounded, and its bounds
    // are computed (in f64) for the rounded parameters with ε = f32::EPSILON.
    #[test]
    fn f32_closed_form_equals_f32_tape_and_the_f64_gradient((net, x, y) in case()) {
        let single = f32_net(&net);
        let (x32, y32) = (to_f32(&x), to_f32(&y));
        let (_, closed) = single.gradient(&x32, &y32).unwrap();
        let (_, taped) = single.tape_gradient(&x32, &y32).unwrap();
        let exact = f64_net(&single);
        let (x64, y64) = (to_f64(&x32), to_f64(&y32));
        let (_, e_g) = error_bounds(&exact, &x64, &y64, f64::from(f32::EPSILON));
        let bad = disagreements(&to_f64(&closed), &to_f64(&taped), &e_g);
        prop_assert!(bad.is_empty(), "f32 closed form and tape disagree at {:?}", bad);
        // The f64 gradient of the same rounded network is within the f32 bound of the
        // exact one, so each f32 result is within the bound of it.
        let (_, reference) = exact.gradient(&x64, &y64).unwrap();
        let bad = disagreements(&to_f64(&closed), &reference, &e_g);
        prop_assert!(bad.is_empty(), "f32 and f64 closed forms disagree at {:?}", bad);
    }

    // In f32, h = ε^(1/3) ≈ 5e-3: the same C3 and rounding term, with f32's ε. At that
    // step the truncation h²·|f‴|/6 can exceed C3·h² (the measured constant) for steep
    // networks, so the difference at 2h estimates it too: D(2h) − D(h) ≈ 3·h²·f‴/6, up
    // to the rounding of both quotients. The estimate uses the differences alone, never
    // the closed form, so it cannot hide a wrong closed form larger than the truncation.
    #[test]
    fn f32_closed_form_equals_f32_central_differences((net, x, y) in case()) {
        let single = f32_net(&net);
        let (x32, y32) = (to_f32(&x), to_f32(&y));
        let loss = |p: &[f32]| single.loss_at(p, &x32, &y32).unwrap();
        let (_, closed) = single.gradient(&x32, &y32).unwrap();
        let numeric = central_gradient(loss, single.params());
        let exact = f64_net(&single);
        let (e_loss, e_g) = error_bounds(&exact, &to_f64(&x32), &to_f64(&y32), f64::from(f32::EPSILON));
        let c3 = c3(net.shape());
        for (k, (&w, (&c, &n))) in single.params().iter().zip(closed.iter().zip(&numeric)).enumerate() {
            let h = f64::from(central_step(w));
            if steps_across_a_kink(&exact, &to_f64(&x32), k, 2.0 * h) {
                continue;
            }
            let n2 = central_difference(loss, single.params(), k, 2.0 * central_step(w));
            let rounding = 2.0 * e_loss / h;
            let estimated = ((f64::from(n2) - f64::from(n)).abs() - 1.5 * rounding).max(0.0) / 3.0;
            let truncation = (c3 * h * h).max(2.0 * estimated);
            let tolerance = truncation + rounding + 4.0 * e_g[k];
            prop_assert!(
                (f64::from(c) - f64::from(n)).abs() <= tolerance,
                "parameter {}: closed form {} vs central difference {} (tolerance {})",
                k, c, n, tolerance
            );
        }
    }

    // ---- The comparison can fail: wrong closed forms are told apart from the tape. ----

    // Without σ′ the last hidden layer's deltas are s instead of s·α(1 − α), with
    // α(1 − α) ≤ ¼: every gradient entry below that layer grows by a factor of at least
    // 4, so it differs from the right one by at least 3 times its size. Wherever the
    // right entry is larger than the bound, the flaw must show.
    #[test]
    fn a_closed_form_without_the_hidden_sigma_prime_is_rejected(
        (net, x, y) in case_on(sigmoid_shape().prop_filter("a hidden layer", |s| s.layers() >= 2))
    ) {
        let (_, taped) = net.tape_gradient(&x, &y).unwrap();
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        let below = net.shape().layers() - 2;
        let range = net.shape().weight_range(below);
        prop_assume!(taped[range.clone()].iter().zip(&e_g[range]).any(|(g, e)| g.abs() > 4.0 * e));
        let flawed = reference_gradient(&net, &x, &y, Flaw::HiddenSigmaPrimeDropped);
        prop_assert!(!disagreements(&flawed, &taped, &e_g).is_empty());
    }

    // A sign flip negates every entry: it shows wherever an entry exceeds the bound.
    #[test]
    fn a_closed_form_with_the_error_sign_flipped_is_rejected((net, x, y) in case()) {
        let (_, taped) = net.tape_gradient(&x, &y).unwrap();
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        prop_assume!(taped.iter().zip(&e_g).any(|(g, e)| g.abs() > 4.0 * e));
        let flawed = reference_gradient(&net, &x, &y, Flaw::SignFlipped);
        prop_assert!(!disagreements(&flawed, &taped, &e_g).is_empty());
    }
}

// Transposed weights and already-updated weights have no guarantee of a visible
// difference for every network (a symmetric W, a zero learning rate), so they are shown
// on the document's 3-3-3 network at fixed seeds, where they are far off.

fn document_case(seed: u64) -> (Mlp<f64>, Vec<f64>, Vec<f64>) {
    let net = Mlp::<f64>::seeded(Shape::new(&[3, 3, 3]).unwrap(), seed);
    // Seeded weights are small (|w| < 1/√3); scale them up so the network is not
    // nearly linear and the hidden gradients are not tiny.
    let params: Vec<f64> = net.params().iter().map(|w| 4.0 * w).collect();
    let net = Mlp::from_params(net.shape().clone(), params).unwrap();
    (net, vec![0.8, -1.2, 0.5], vec![0.1, 0.9, 0.3])
}

#[test]
fn a_closed_form_with_transposed_weights_is_rejected() {
    for seed in 0..20 {
        let (net, x, y) = document_case(seed);
        let (_, taped) = net.tape_gradient(&x, &y).unwrap();
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        assert!(
            disagreements(&reference_gradient(&net, &x, &y, Flaw::None), &taped, &e_g).is_empty()
        );
        let flawed = reference_gradient(&net, &x, &y, Flaw::TransposedWeights);
        assert!(
            !disagreements(&flawed, &taped, &e_g).is_empty(),
            "seed {seed}"
        );
    }
}

#[test]
fn a_hidden_gradient_from_already_updated_output_weights_is_rejected() {
    for seed in 0..20 {
        let (net, x, y) = document_case(seed);
        let (_, taped) = net.tape_gradient(&x, &y).unwrap();
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        let flawed = reference_gradient(&net, &x, &y, Flaw::UpdatedWeights(0.5));
        let bad = disagreements(&flawed, &taped, &e_g);
        assert!(!bad.is_empty(), "seed {seed}");
        // Only the hidden (input → hidden) gradient is affected.
        assert!(bad.iter().all(|&(k, _, _)| k < 9), "seed {seed}: {bad:?}");
    }
}

#[test]
fn wrong_closed_forms_are_rejected_on_the_document_network() {
    for seed in 0..20 {
        let (net, x, y) = document_case(seed);
        let (_, taped) = net.tape_gradient(&x, &y).unwrap();
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        for flaw in [Flaw::HiddenSigmaPrimeDropped, Flaw::SignFlipped] {
            let flawed = reference_gradient(&net, &x, &y, flaw);
            assert!(
                !disagreements(&flawed, &taped, &e_g).is_empty(),
                "seed {seed}, {flaw:?}"
            );
        }
        assert!(
            max_abs(&taped[..9]) > 1e-6,
            "seed {seed}: the hidden gradient is not tiny"
        );
    }
}

/// How the constants above were measured, and a check that they keep their margin:
/// over 20 000 random cases the two paths stay within 0.2 of the bound `e_g` (the
/// properties allow 4), and `|f‴|/6` stays below `C3_MEASURED` (the finite-difference
/// properties allow ten times that), per pair of activations. Slow in a debug build, so run it on
/// demand: `cargo test --release --test mlp_properties -- --ignored --nocapture`.
#[test]
#[ignore = "measurement of the tolerances' margins; run on demand in release"]
fn tolerance_constants_keep_a_wide_margin_over_measured_errors() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut tape_ratio, mut f32_ratio) = (0.0f64, 0.0f64);
    // The largest |f‴|/6 seen for each pair of hidden and output activations.
    let mut third = [[0.0f64; 3]; 3];
    let index = |a: Activation| Activation::ALL.iter().position(|&b| b == a).unwrap();
    for _ in 0..20_000 {
        let (net, x, y) = case().new_tree(&mut runner).unwrap().current();
        let (_, closed) = net.gradient(&x, &y).unwrap();
        let (_, taped) = net.tape_gradient(&x, &y).unwrap();
        let (_, e_g) = error_bounds(&net, &x, &y, f64::EPSILON);
        let (hidden, output) = (
            index(net.shape().hidden_activation()),
            index(net.shape().output_activation()),
        );
        for k in 0..closed.len() {
            if e_g[k] > 0.0 {
                tape_ratio = tape_ratio.max((closed[k] - taped[k]).abs() / e_g[k]);
            }
            // With h = 10⁻² truncation, h²·f‴/6, dwarfs rounding (~1e-14).
            let h = 1e-2;
            if steps_across_a_kink(&net, &x, k, h) {
                continue;
            }
            let wide = central_difference(|p| net.loss_at(p, &x, &y).unwrap(), net.params(), k, h);
            let measured = (wide - closed[k]).abs() / (h * h);
            third[hidden][output] = third[hidden][output].max(measured);
        }
        let single = f32_net(&net);
        let (x32, y32) = (to_f32(&x), to_f32(&y));
        let (_, c32) = single.gradient(&x32, &y32).unwrap();
        let (_, t32) = single.tape_gradient(&x32, &y32).unwrap();
        let exact = f64_net(&single);
        let bounds = exact
            .rounding_bounds(&to_f64(&x32), &to_f64(&y32), f64::from(f32::EPSILON))
            .unwrap();
        if !bounds.kinks.is_empty() {
            continue;
        }
        for k in 0..c32.len() {
            if bounds.gradient[k] > 0.0 {
                f32_ratio = f32_ratio
                    .max((f64::from(c32[k]) - f64::from(t32[k])).abs() / bounds.gradient[k]);
            }
        }
    }
    println!("|closed − tape| / e_g: f64 {tape_ratio:.3}, f32 {f32_ratio:.3}");
    println!("|f‴|/6, hidden activation by row, output by column: {third:.3?}");
    assert!(
        tape_ratio < 0.4 && f32_ratio < 0.4,
        "the 4·e_g tolerance has lost its margin"
    );
    for (hidden, row) in third.iter().enumerate() {
        for (output, measured) in row.iter().enumerate() {
            assert!(
                *measured < 2.0 * C3_MEASURED[hidden][output],
                "C3 for {} hidden, {} output has lost its factor-5 margin: |f‴|/6 \
                 reached {measured}",
                Activation::ALL[hidden],
                Activation::ALL[output]
            );
        }
    }
}

/// A relu network `ŷ = σ(v·relu(w·x + b))` with `w·x + b` at or near relu's kink.
fn kinked_net(b: f64) -> (Mlp<f64>, Vec<f64>, Vec<f64>) {
    let shape = Shape::with_biases(&[1, 1, 1])
        .unwrap()
        .with_hidden_activation(Activation::Relu);
    // Parameters: w, b (layer 0), v, c (layer 1).
    let net = Mlp::from_params(shape, vec![0.5, b, 1.5, 0.1]).unwrap();
    (net, vec![1.0], vec![0.9])
}

#[test]
fn kink_sites_are_reported_and_a_difference_across_one_is_caught() {
    // Exactly at the kink: w·x + b = 0. The closed form and the tape take relu′(0) = 0,
    // a central difference measures half the one-sided slope: they disagree, and the
    // rounding bounds and the step test both say why instead of passing either.
    let (net, x, y) = kinked_net(-0.5);
    let bounds = net.rounding_bounds(&x, &y, f64::EPSILON).unwrap();
    assert_eq!(bounds.kinks.len(), 1);
    let site = bounds.kinks[0];
    assert_eq!((site.sample, site.layer, site.neuron), (0, 1, 0));
    assert_eq!(site.net_input, 0.0);
    let (_, closed) = net.gradient(&x, &y).unwrap();
    let numeric = central_gradient(|p| net.loss_at(p, &x, &y).unwrap(), net.params());
    assert_eq!(closed[0], 0.0);
    assert!((numeric[0] - closed[0]).abs() > 1e-3, "{numeric:?}");
    assert!(steps_across_a_kink(&net, &x, 0, central_step(0.5)));

    // Just past it (z = 1e-9): the derivative is defined and the rounding bounds hold,
    // but a step of 6e-6 crosses the kink, and the difference is wrong by a factor.
    let (net, x, y) = kinked_net(-0.5 + 1e-9);
    assert!(net
        .rounding_bounds(&x, &y, f64::EPSILON)
        .unwrap()
        .kinks
        .is_empty());
    let (_, closed) = net.gradient(&x, &y).unwrap();
    let numeric = central_gradient(|p| net.loss_at(p, &x, &y).unwrap(), net.params());
    assert!((numeric[0] - closed[0]).abs() > 0.1 * closed[0].abs());
    assert!(steps_across_a_kink(&net, &x, 0, central_step(0.5)));
    // Coordinates of the output layer move no relu: their differences are fine.
    assert!(!steps_across_a_kink(&net, &x, 2, central_step(1.5)));
    assert!((numeric[2] - closed[2]).abs() < 1e-9);

    // Far from it, nothing is reported.
    let (net, x, _) = kinked_net(0.3);
    assert!((0..4).all(|k| !steps_across_a_kink(&net, &x, k, 1e-5)));
}

//! Concrete-number proofs for `nn::mlp`: a network small enough to work by hand, the
//! document's 3-3-3 network against its own equations written out, the parameter layout,
//! and every error the API promises instead of a panic or a NaN.

// The document's equations index weights and neurons by neuron number (ω_ij, α_j, ŷ_k),
// so these tests loop over those numbers rather than over iterators.
#![allow(clippy::needless_range_loop)]
// Reference values are quoted to 17 significant digits as mpmath printed them.
#![allow(clippy::excessive_precision)]

use approx::assert_relative_eq;
use gradproof::nn::mlp::{Mlp, MlpError, Part, Shape, Workspace};
use gradproof::prelude::*;

fn sigma(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

// ---------------------------------------------------------------------------------------
// A [2, 2, 1] network with biases, worked by hand.
//
// Reference values computed with mpmath at 40 digits from the f64 constants below, and
// rounded to 17 significant digits.
// ---------------------------------------------------------------------------------------

const W0: [f64; 4] = [0.15, -0.2, 0.25, 0.3];
const B0: [f64; 2] = [0.35, -0.1];
const W1: [f64; 2] = [0.4, -0.45];
const B1: [f64; 1] = [0.6];
const X: [f64; 2] = [0.05, 0.1];
const Y: [f64; 1] = [0.01];

fn small_net() -> Mlp<f64> {
    Mlp::from_layers_with_biases(&[2, 2, 1], &[&W0[..], &W1[..]], &[&B0[..], &B1[..]]).unwrap()
}

#[test]
fn two_two_one_forward_matches_the_hand_worked_numbers() {
    let layers = small_net().forward(&X).unwrap();
    assert_eq!(layers[0], X);
    assert_relative_eq!(layers[1][0], 0.583_583_115_517_275_27, max_relative = 1e-15);
    assert_relative_eq!(layers[1][1], 0.485_628_959_302_939_78, max_relative = 1e-15);
    assert_relative_eq!(layers[2][0], 0.649_057_795_269_171_38, max_relative = 1e-15);
    let loss = small_net().loss(&X, &Y).unwrap();
    assert_relative_eq!(loss, 0.204_197_432_847_147_08, max_relative = 1e-15);
}

#[test]
fn two_two_one_gradient_matches_the_hand_worked_numbers() {
    #[rustfmt::skip]
    let expected = [
        // layer 0: W (row-major, 2 × 2), then b
        0.000_707_489_748_856_891_33, 0.001_414_979_497_713_782_7,
        -0.000_818_130_741_692_096_88, -0.001_636_261_483_384_193_8,
        0.014_149_794_977_137_826, -0.016_362_614_833_841_937,
        // layer 1: W (1 × 2), then b
        0.084_949_695_271_811_419, 0.070_690_928_183_185_997,
        0.145_565_718_083_728_09,
    ];
    let net = small_net();
    let (loss, closed) = net.gradient(&X, &Y).unwrap();
    let (tape_loss, taped) = net.tape_gradient(&X, &Y).unwrap();
    assert_relative_eq!(loss, 0.204_197_432_847_147_08, max_relative = 1e-15);
    assert_eq!(loss, tape_loss);
    for ((c, t), e) in closed.iter().zip(&taped).zip(&expected) {
        assert_relative_eq!(*c, *e, max_relative = 1e-14);
        assert_relative_eq!(*t, *e, max_relative = 1e-14);
    }
}

#[test]
fn two_two_one_gradient_is_the_chain_rule_written_out() {
    // The chain rule for this one network, term by term, with no loop and no library.
    let z1 = W0[0] * X[0] + W0[1] * X[1] + B0[0];
    let z2 = W0[2] * X[0] + W0[3] * X[1] + B0[1];
    let (h1, h2) = (sigma(z1), sigma(z2));
    let o = sigma(W1[0] * h1 + W1[1] * h2 + B1[0]);
    let d_out = (o - Y[0]) * o * (1.0 - o);
    let d1 = W1[0] * d_out * h1 * (1.0 - h1);
    let d2 = W1[1] * d_out * h2 * (1.0 - h2);
    let by_hand = [
        d1 * X[0],
        d1 * X[1],
        d2 * X[0],
        d2 * X[1],
        d1,
        d2,
        d_out * h1,
        d_out * h2,
        d_out,
    ];
    let (_, closed) = small_net().gradient(&X, &Y).unwrap();
    for (c, h) in closed.iter().zip(&by_hand) {
        assert_relative_eq!(*c, *h, max_relative = 1e-15);
    }
}

// ---------------------------------------------------------------------------------------
// The document's 3-3-3 network, no biases, in the document's own indices.
// ---------------------------------------------------------------------------------------

/// The document's weights `ω_ij`, indexed by neuron numbers 1..=9 (`w[i][j]`).
fn document_weights() -> [[f64; 10]; 10] {
    let mut w = [[0.0; 10]; 10];
    // Distinct values, so a swapped index shows.
    for i in 1..=3 {
        for j in 4..=6 {
            w[i][j] = 0.1 * i as f64 - 0.07 * j as f64 + 0.3;
        }
    }
    for i in 4..=6 {
        for j in 7..=9 {
            w[i][j] = -0.2 * i as f64 + 0.11 * j as f64 + 0.05;
        }
    }
    w
}

/// The network with the document's weights placed by the mapping the module docs
/// state: `ω_ij` is row `j − first(j's layer)`, column `i − first(i's layer)`.
fn document_net() -> Mlp<f64> {
    let w = document_weights();
    let mut hidden = Vec::new();
    for j in 4..=6 {
        for i in 1..=3 {
            hidden.push(w[i][j]);
        }
    }
    let mut output = Vec::new();
    for j in 7..=9 {
        for i in 4..=6 {
            output.push(w[i][j]);
        }
    }
    Mlp::from_layers(&[3, 3, 3], &[hidden, output]).unwrap()
}

const DOC_X: [f64; 3] = [0.35, -0.9, 0.6];
const DOC_Y: [f64; 3] = [0.1, 0.8, 0.45];

/// The document's forward equations, written out: (α4..α6, ŷ7..ŷ9), indexed by neuron.
fn document_forward() -> ([f64; 10], [f64; 10]) {
    let w = document_weights();
    let [x1, x2, x3] = DOC_X;
    let mut alpha = [0.0; 10];
    for i in 4..=6 {
        let delta_i = w[1][i] * x1 + w[2][i] * x2 + w[3][i] * x3;
        alpha[i] = sigma(delta_i);
    }
    let mut y_hat = [0.0; 10];
    for i in 7..=9 {
        let delta_i = w[4][i] * alpha[4] + w[5][i] * alpha[5] + w[6][i] * alpha[6];
        y_hat[i] = sigma(delta_i);
    }
    (alpha, y_hat)
}

fn y(k: usize) -> f64 {
    DOC_Y[k - 7]
}

#[test]
fn document_index_mapping_places_omega_ij_at_row_j_column_i() {
    let net = document_net();
    let w = document_weights();
    assert_eq!(net.weight(0, 0, 0), w[1][4]); // ω14
    assert_eq!(net.weight(0, 2, 1), w[2][6]); // ω26
    assert_eq!(net.weight(1, 0, 0), w[4][7]); // ω47
    assert_eq!(net.weight(1, 1, 2), w[6][8]); // ω68
    assert_eq!(net.params()[9], w[4][7]);
    assert_eq!(net.shape().weight_index(1, 2, 1), 9 + 3 * 2 + 1); // ω59
}

#[test]
fn document_network_forward_matches_the_document_equations() {
    let (alpha, y_hat) = document_forward();
    let layers = document_net().forward(&DOC_X).unwrap();
    for j in 4..=6 {
        assert_relative_eq!(layers[1][j - 4], alpha[j], max_relative = 1e-15);
    }
    for k in 7..=9 {
        assert_relative_eq!(layers[2][k - 7], y_hat[k], max_relative = 1e-15);
    }
}

#[test]
fn document_network_loss_is_the_sum_of_l_s7_l_s8_l_s9() {
    let (_, y_hat) = document_forward();
    let l_s = |k: usize| 0.5 * (y(k) - y_hat[k]).powi(2);
    let by_hand = l_s(7) + l_s(8) + l_s(9);
    let net = document_net();
    assert_relative_eq!(
        net.loss(&DOC_X, &DOC_Y).unwrap(),
        by_hand,
        max_relative = 1e-15
    );
    let (closed_loss, _) = net.gradient(&DOC_X, &DOC_Y).unwrap();
    assert_relative_eq!(closed_loss, by_hand, max_relative = 1e-15);
}

#[test]
fn document_output_weight_gradient_is_error_times_sigma_prime_times_alpha() {
    let (alpha, y_hat) = document_forward();
    let net = document_net();
    let (_, closed) = net.gradient(&DOC_X, &DOC_Y).unwrap();
    let (_, taped) = net.tape_gradient(&DOC_X, &DOC_Y).unwrap();
    for i in 4..=6 {
        for j in 7..=9 {
            let document = (y_hat[j] - y(j)) * y_hat[j] * (1.0 - y_hat[j]) * alpha[i];
            let index = net.shape().weight_index(1, j - 7, i - 4);
            assert_relative_eq!(closed[index], document, max_relative = 1e-14);
            assert_relative_eq!(taped[index], document, max_relative = 1e-14);
        }
    }
}

#[test]
fn document_hidden_weight_gradient_is_the_sum_over_k_of_the_chain_rule() {
    let w = document_weights();
    let (alpha, y_hat) = document_forward();
    let net = document_net();
    let (_, closed) = net.gradient(&DOC_X, &DOC_Y).unwrap();
    let (_, taped) = net.tape_gradient(&DOC_X, &DOC_Y).unwrap();
    for i in 1..=3 {
        for j in 4..=6 {
            // ∂L_sk/∂ω_ij = (ŷ_k − y_k)·ŷ_k(1 − ŷ_k)·ω_jk·α_j(1 − α_j)·x_i, summed over k.
            let document: f64 = (7..=9)
                .map(|k| {
                    (y_hat[k] - y(k))
                        * y_hat[k]
                        * (1.0 - y_hat[k])
                        * w[j][k]
                        * alpha[j]
                        * (1.0 - alpha[j])
                        * DOC_X[i - 1]
                })
                .sum();
            let index = net.shape().weight_index(0, j - 4, i - 1);
            assert_relative_eq!(closed[index], document, max_relative = 1e-13);
            assert_relative_eq!(taped[index], document, max_relative = 1e-13);
        }
    }
}

#[test]
fn document_update_is_omega_minus_eta_times_gradient_at_the_current_weights() {
    let eta = 0.7;
    let w = document_weights();
    let (alpha, y_hat) = document_forward();
    let output_term = |j: usize| (y_hat[j] - y(j)) * y_hat[j] * (1.0 - y_hat[j]);
    let mut closed = document_net();
    closed
        .step(&DOC_X, &DOC_Y, eta, &mut Workspace::new())
        .unwrap();
    let mut taped = document_net();
    taped.tape_step(&DOC_X, &DOC_Y, eta).unwrap();
    for i in 4..=6 {
        for j in 7..=9 {
            let updated = w[i][j] - eta * output_term(j) * alpha[i];
            assert_relative_eq!(
                closed.weight(1, j - 7, i - 4),
                updated,
                max_relative = 1e-14
            );
            assert_relative_eq!(taped.weight(1, j - 7, i - 4), updated, max_relative = 1e-14);
        }
    }
    for i in 1..=3 {
        for j in 4..=6 {
            // The hidden update uses the output weights ω_jk from before this step.
            let sum_over_k: f64 = (7..=9)
                .map(|k| output_term(k) * w[j][k] * alpha[j] * (1.0 - alpha[j]) * DOC_X[i - 1])
                .sum();
            let updated = w[i][j] - eta * sum_over_k;
            assert_relative_eq!(
                closed.weight(0, j - 4, i - 1),
                updated,
                max_relative = 1e-14
            );
            assert_relative_eq!(taped.weight(0, j - 4, i - 1), updated, max_relative = 1e-14);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Shape and layout.
// ---------------------------------------------------------------------------------------

#[test]
fn shape_lays_out_each_layers_weights_row_major_then_its_biases() {
    let shape = Shape::with_biases(&[4, 3, 2]).unwrap();
    assert_eq!(shape.sizes(), [4, 3, 2]);
    assert_eq!((shape.inputs(), shape.outputs(), shape.layers()), (4, 2, 2));
    assert_eq!(shape.weight_range(0), 0..12);
    assert_eq!(shape.bias_range(0), Some(12..15));
    assert_eq!(shape.weight_range(1), 15..21);
    assert_eq!(shape.bias_range(1), Some(21..23));
    assert_eq!(shape.param_count(), 23);
    assert_eq!(shape.weight_count(), 18);
    assert_eq!(shape.weight_index(0, 2, 3), 11);
    assert_eq!(shape.bias_index(1, 1), Some(22));

    let bare = Shape::new(&[4, 3, 2]).unwrap();
    assert!(!bare.has_biases());
    assert_eq!(bare.weight_range(1), 12..18);
    assert_eq!(bare.bias_range(1), None);
    assert_eq!(bare.bias_index(0, 0), None);
    assert_eq!(bare.param_count(), 18);
}

#[test]
fn weights_and_biases_views_read_the_flat_vector_by_layer() {
    let net = small_net();
    assert_eq!(net.weights(0), W0);
    assert_eq!(net.biases(0), Some(&B0[..]));
    assert_eq!(net.weights(1), W1);
    assert_eq!(net.biases(1), Some(&B1[..]));
    let (_, gradient) = net.gradient(&X, &Y).unwrap();
    assert_eq!(net.shape().weights(&gradient, 1), &gradient[6..8]);
    assert_eq!(net.shape().biases(&gradient, 1), Some(&gradient[8..9]));
}

#[test]
fn forward_returns_every_layer_with_its_size() {
    let net = Mlp::<f64>::seeded(Shape::new(&[5, 4, 3, 2]).unwrap(), 3);
    let layers = net.forward(&[0.1, 0.2, 0.3, 0.4, 0.5]).unwrap();
    let sizes: Vec<usize> = layers.iter().map(Vec::len).collect();
    assert_eq!(sizes, [5, 4, 3, 2]);
    assert!(layers[1..].iter().flatten().all(|&a| 0.0 < a && a < 1.0));
    assert_eq!(net.predict(&[0.1, 0.2, 0.3, 0.4, 0.5]).unwrap(), layers[3]);
}

#[test]
fn a_single_layer_of_weights_is_logistic_regression() {
    let net = Mlp::from_layers_with_biases(&[2, 1], &[[2.0, -1.0]], &[[0.5]]).unwrap();
    let y_hat = net.predict(&[1.0, 3.0]).unwrap()[0];
    assert_relative_eq!(y_hat, sigma(2.0 - 3.0 + 0.5), max_relative = 1e-15);
    let (_, g) = net.gradient(&[1.0, 3.0], &[1.0]).unwrap();
    let d = (y_hat - 1.0) * y_hat * (1.0 - y_hat);
    assert_eq!(g, [d * 1.0, d * 3.0, d]);
}

// ---------------------------------------------------------------------------------------
// Construction.
// ---------------------------------------------------------------------------------------

#[test]
fn seeded_networks_are_reproducible_and_within_the_fan_in_bound() {
    let shape = Shape::with_biases(&[16, 8, 4]).unwrap();
    let a = Mlp::<f64>::seeded(shape.clone(), 11);
    assert_eq!(a, Mlp::<f64>::seeded(shape.clone(), 11));
    assert_ne!(a, Mlp::<f64>::seeded(shape.clone(), 12));
    assert!(a.weights(0).iter().all(|w| w.abs() < 0.25)); // 1/√16
    assert!(a.biases(0).unwrap().iter().all(|w| w.abs() < 0.25));
    assert!(a.weights(1).iter().all(|w| w.abs() < 1.0 / 8f64.sqrt()));
    // Not all equal, and of both signs.
    assert!(a.params().iter().any(|&w| w > 0.1) && a.params().iter().any(|&w| w < -0.1));

    let single = Mlp::<f32>::seeded(shape, 11);
    for (s, d) in single.params().iter().zip(a.params()) {
        assert_eq!(*s, *d as f32);
    }
}

#[test]
fn shapes_need_two_sizes_and_no_empty_layer() {
    assert_eq!(Shape::new(&[]), Err(MlpError::TooFewLayers { found: 0 }));
    assert_eq!(Shape::new(&[3]), Err(MlpError::TooFewLayers { found: 1 }));
    assert_eq!(
        Shape::with_biases(&[3, 0, 2]),
        Err(MlpError::EmptyLayer { layer: 1 })
    );
    assert_eq!(
        Shape::new(&[usize::MAX, 2]),
        Err(MlpError::TooManyParameters)
    );
}

#[test]
fn from_layers_rejects_wrong_counts_lengths_and_non_finite_weights() {
    let wrong_count = Mlp::from_layers(&[2, 2, 1], &[vec![0.0; 4]]);
    assert_eq!(
        wrong_count,
        Err(MlpError::WrongLength {
            what: Part::WeightLayers,
            expected: 2,
            found: 1
        })
    );
    let wrong_len = Mlp::from_layers(&[2, 2, 1], &[vec![0.0; 4], vec![0.0; 3]]);
    assert_eq!(
        wrong_len,
        Err(MlpError::WrongLength {
            what: Part::Weights { layer: 1 },
            expected: 2,
            found: 3
        })
    );
    let nan = Mlp::from_layers(&[2, 1], &[[0.0, f64::NAN]]);
    assert_eq!(
        nan,
        Err(MlpError::NonFinite {
            what: Part::Weights { layer: 0 },
            index: 1
        })
    );
    let biases = Mlp::from_layers_with_biases(&[2, 1], &[[0.0, 1.0]], &[[f64::INFINITY]]);
    assert_eq!(
        biases,
        Err(MlpError::NonFinite {
            what: Part::Biases { layer: 0 },
            index: 0
        })
    );
    let bias_count = Mlp::<f64>::from_layers_with_biases(&[2, 1], &[[0.0, 1.0]], &[[0.0; 1]; 2]);
    assert!(matches!(
        bias_count,
        Err(MlpError::WrongLength {
            what: Part::BiasLayers,
            ..
        })
    ));
}

#[test]
fn from_params_and_set_params_validate_and_leave_the_network_unchanged_on_error() {
    let shape = Shape::new(&[2, 1]).unwrap();
    assert!(Mlp::from_params(shape.clone(), vec![1.0]).is_err());
    let mut net = Mlp::from_params(shape, vec![1.0, 2.0]).unwrap();
    assert_eq!(
        net.set_params(&[1.0]),
        Err(MlpError::WrongLength {
            what: Part::Params,
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        net.set_params(&[3.0, f64::NEG_INFINITY]),
        Err(MlpError::NonFinite {
            what: Part::Params,
            index: 1
        })
    );
    assert_eq!(net.params(), [1.0, 2.0]);
    net.set_params(&[3.0, 4.0]).unwrap();
    assert_eq!(net.into_params(), [3.0, 4.0]);
}

// ---------------------------------------------------------------------------------------
// Bad data and overflow: errors, never a panic or a silent NaN.
// ---------------------------------------------------------------------------------------

#[test]
fn inputs_and_targets_of_the_wrong_length_or_not_finite_are_errors_on_every_path() {
    let net = small_net();
    let short = MlpError::WrongLength {
        what: Part::Input { sample: 0 },
        expected: 2,
        found: 1,
    };
    assert_eq!(net.forward(&[1.0]), Err(short.clone()));
    assert_eq!(net.loss(&[1.0], &Y), Err(short.clone()));
    assert_eq!(net.gradient(&[1.0], &Y), Err(short.clone()));
    assert_eq!(net.tape_gradient(&[1.0], &Y), Err(short));

    let bad_target = MlpError::NonFinite {
        what: Part::Target { sample: 0 },
        index: 0,
    };
    assert_eq!(net.loss(&X, &[f64::NAN]), Err(bad_target.clone()));
    assert_eq!(net.gradient(&X, &[f64::NAN]), Err(bad_target.clone()));
    assert_eq!(net.tape_gradient(&X, &[f64::NAN]), Err(bad_target));

    let batch = [(&X[..], &Y[..]), (&[0.0, f64::INFINITY][..], &Y[..])];
    let bad_second = MlpError::NonFinite {
        what: Part::Input { sample: 1 },
        index: 1,
    };
    assert_eq!(net.batch_loss(batch), Err(bad_second.clone()));
    assert_eq!(
        net.batch_gradient(batch).map(|_| ()),
        Err(bad_second.clone())
    );
    assert_eq!(net.tape_batch_gradient(batch).map(|_| ()), Err(bad_second));
}

#[test]
fn an_empty_batch_has_no_mean_and_is_an_error() {
    let mut net = small_net();
    let empty: [(&[f64], &[f64]); 0] = [];
    assert_eq!(net.batch_loss(empty), Err(MlpError::EmptyBatch));
    assert_eq!(
        net.batch_gradient(empty).map(|_| ()),
        Err(MlpError::EmptyBatch)
    );
    assert_eq!(
        net.tape_batch_gradient(empty).map(|_| ()),
        Err(MlpError::EmptyBatch)
    );
    let mut workspace = Workspace::new();
    assert_eq!(
        net.batch_step(empty, 0.1, &mut workspace),
        Err(MlpError::EmptyBatch)
    );
}

#[test]
fn loss_at_validates_the_parameters_it_is_given() {
    let net = small_net();
    assert!(matches!(
        net.loss_at(&[0.0; 3], &X, &Y),
        Err(MlpError::WrongLength {
            what: Part::Params,
            ..
        })
    ));
    let mut params = net.params().to_vec();
    params[4] = f64::NAN;
    assert_eq!(
        net.loss_at(&params, &X, &Y),
        Err(MlpError::NonFinite {
            what: Part::Params,
            index: 4
        })
    );
}

#[test]
fn infinity_minus_infinity_in_a_weighted_sum_is_reported_not_passed_as_nan() {
    // 1e308·10 = ∞ and −1e308·10 = −∞: the weighted sum is NaN.
    let net = Mlp::from_layers(&[2, 1], &[[1e308, -1e308]]).unwrap();
    let expected = MlpError::NonFinite {
        what: Part::Activations {
            layer: 1,
            sample: 0,
        },
        index: 0,
    };
    assert_eq!(net.forward(&[10.0, 10.0]), Err(expected.clone()));
    assert_eq!(
        net.gradient(&[10.0, 10.0], &[0.5]).map(|_| ()),
        Err(expected.clone())
    );
    assert_eq!(
        net.tape_gradient(&[10.0, 10.0], &[0.5]).map(|_| ()),
        Err(expected)
    );
}

#[test]
fn a_loss_that_overflows_is_reported() {
    let net = small_net();
    let expected = Err(MlpError::NonFinite {
        what: Part::Loss { sample: 0 },
        index: 0,
    });
    assert_eq!(net.loss(&X, &[1e200]), expected);
    assert_eq!(net.gradient(&X, &[1e200]).map(|(l, _)| l), expected);
    assert_eq!(net.tape_gradient(&X, &[1e200]).map(|(l, _)| l), expected);
}

#[test]
fn a_weight_gradient_that_overflows_is_reported_on_both_paths() {
    // z = 1e-300·1e300 = 1, so ŷ = σ(1) and the loss ½(1e150 − ŷ)² is finite, but
    // ∂L/∂w = (ŷ − y)·ŷ(1 − ŷ)·x ≈ −2e449 is not.
    let net = Mlp::from_layers(&[1, 1], &[[1e-300]]).unwrap();
    let (x, y) = ([1e300], [1e150]);
    assert!(net.loss(&x, &y).unwrap().is_finite());
    let expected = Err(MlpError::NonFinite {
        what: Part::WeightGradient { layer: 0 },
        index: 0,
    });
    assert_eq!(net.gradient(&x, &y), expected);
    assert_eq!(net.tape_gradient(&x, &y), expected);

    // One layer deeper: the output layer's gradient is finite (≈ −1.6e149), the first
    // layer's (≈ −4.3e448) is not, and both paths name the first layer.
    let net = Mlp::from_layers(&[1, 1, 1], &[[1e-300], [1.0]]).unwrap();
    assert!(net.loss(&x, &y).unwrap().is_finite());
    assert_eq!(net.gradient(&x, &y), expected);
    assert_eq!(net.tape_gradient(&x, &y), expected);
}

#[test]
fn a_step_that_would_overflow_is_refused_and_leaves_the_network_unchanged() {
    // ∂L/∂w = (σ(1) − 10)·σ′(1)·100 ≈ −183, so η = 1e307 moves w past f64::MAX.
    let (x, y) = ([100.0], [10.0]);
    let mut net = Mlp::from_layers(&[1, 1], &[[0.01]]).unwrap();
    let before = net.clone();
    let mut workspace = Workspace::new();
    let overflow = Err(MlpError::NonFinite {
        what: Part::Params,
        index: 0,
    });
    assert_eq!(net.step(&x, &y, 1e307, &mut workspace), overflow);
    assert_eq!(net.tape_step(&x, &y, 1e307), overflow);
    assert_eq!(net, before);
    let mut net = small_net();
    let before = net.clone();
    assert_eq!(
        net.step(&X, &Y, f64::NAN, &mut workspace),
        Err(MlpError::NonFinite {
            what: Part::LearningRate,
            index: 0
        })
    );
    assert_eq!(
        net.tape_step(&X, &Y, f64::INFINITY),
        Err(MlpError::NonFinite {
            what: Part::LearningRate,
            index: 0
        })
    );
    assert_eq!(
        net.apply_gradient(&[1.0; 3], 0.1),
        Err(MlpError::WrongLength {
            what: Part::Gradient,
            expected: 9,
            found: 3
        })
    );
    assert_eq!(net, before);
}

#[test]
fn errors_say_what_is_wrong_and_where() {
    let e = MlpError::WrongLength {
        what: Part::Input { sample: 3 },
        expected: 4,
        found: 2,
    };
    assert_eq!(
        e.to_string(),
        "the input of sample 3 has length 2, but the network needs 4"
    );
    let e = MlpError::NonFinite {
        what: Part::Weights { layer: 1 },
        index: 5,
    };
    assert_eq!(
        e.to_string(),
        "the weights of layer 1 has a NaN or infinite value at index 5"
    );
    assert!(MlpError::EmptyLayer { layer: 2 }
        .to_string()
        .contains("at least 1"));
}

// ---------------------------------------------------------------------------------------
// Steps, batches, workspaces and the tape recording.
// ---------------------------------------------------------------------------------------

#[test]
fn a_step_subtracts_eta_times_the_closed_form_gradient_and_lowers_the_loss() {
    let eta = 0.5;
    let mut net = small_net();
    let (loss, gradient) = net.gradient(&X, &Y).unwrap();
    let expected: Vec<f64> = net
        .params()
        .iter()
        .zip(&gradient)
        .map(|(w, g)| w - eta * g)
        .collect();
    let before = net.step(&X, &Y, eta, &mut Workspace::new()).unwrap();
    assert_eq!(before, loss);
    assert_eq!(net.params(), expected);
    assert!(net.loss(&X, &Y).unwrap() < loss);
}

#[test]
fn a_batch_of_one_sample_is_that_sample() {
    let net = small_net();
    let single = net.gradient(&X, &Y).unwrap();
    assert_eq!(net.batch_gradient([(&X[..], &Y[..])]).unwrap(), single);
    assert_eq!(net.batch_loss([(&X[..], &Y[..])]).unwrap(), single.0);
    assert_eq!(
        net.tape_batch_gradient([(&X[..], &Y[..])]).unwrap(),
        net.tape_gradient(&X, &Y).unwrap()
    );
}

#[test]
fn batch_loss_is_the_mean_of_the_sample_losses() {
    let net = small_net();
    let xs = [[0.05, 0.1], [1.0, -1.0], [0.0, 2.0]];
    let ys = [[0.01], [0.9], [0.5]];
    let batch = xs.iter().zip(&ys).map(|(x, y)| (&x[..], &y[..]));
    let mean = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| net.loss(x, y).unwrap())
        .sum::<f64>()
        / 3.0;
    assert_relative_eq!(
        net.batch_loss(batch.clone()).unwrap(),
        mean,
        max_relative = 1e-15
    );
    assert_relative_eq!(
        net.batch_gradient(batch).unwrap().0,
        mean,
        max_relative = 1e-15
    );
}

#[test]
fn a_workspace_serves_networks_of_different_shapes_in_turn() {
    let a = small_net();
    let b = document_net();
    let mut workspace = Workspace::new();
    for _ in 0..2 {
        a.backprop(&X, &Y, &mut workspace).unwrap();
        assert_eq!(workspace.gradient(), a.gradient(&X, &Y).unwrap().1);
        b.backprop(&DOC_X, &DOC_Y, &mut workspace).unwrap();
        assert_eq!(workspace.gradient(), b.gradient(&DOC_X, &DOC_Y).unwrap().1);
    }
    let sized = Workspace::<f64>::for_shape(b.shape());
    assert_eq!(sized.gradient().len(), b.shape().param_count());
}

#[test]
fn backprop_keeps_the_forward_activations_of_the_last_sample() {
    let net = Mlp::<f64>::seeded(Shape::with_biases(&[7, 5, 3]).unwrap(), 9);
    let x = [0.3, -0.2, 0.9, 1.5, -1.1, 0.0, 0.4];
    let mut workspace = Workspace::new();
    net.backprop(&x, &[0.0, 1.0, 0.5], &mut workspace).unwrap();
    let layers = net.forward(&x).unwrap();
    for (l, layer) in layers.iter().enumerate() {
        // Seven terms: the closed form sums in four lanes, the generic forward left to
        // right, so the last bits may differ.
        for (w, f) in workspace.activations(l).iter().zip(layer) {
            assert_relative_eq!(*w, *f, max_relative = 1e-15);
        }
    }
}

#[test]
fn record_puts_the_parameters_on_the_tape_first_in_flat_order() {
    let net = small_net();
    let tape = Tape::new();
    let recorded = net.record(&tape);
    assert_eq!(tape.len(), net.shape().param_count());
    for (k, p) in recorded.params().iter().enumerate() {
        assert_eq!(p.index() as usize, k);
        assert_eq!(p.value(), net.params()[k]);
    }
    // The recorded network computes the same loss, and its gradient is the tape path's.
    let x = X.map(Var::constant);
    let y = Y.map(Var::constant);
    let loss = recorded.loss(&x, &y).unwrap();
    assert_eq!(loss.value(), net.loss(&X, &Y).unwrap());
    let gradient = tape.gradient(loss).wrt_all(recorded.params());
    assert_eq!(gradient, net.tape_gradient(&X, &Y).unwrap().1);
}

#[test]
fn loss_at_on_tape_variables_differentiates_with_respect_to_inputs_too() {
    // The same generic code, with the inputs as tape variables instead of the weights.
    let net = small_net();
    let tape = Tape::new();
    let params: Vec<_> = net.params().iter().map(|&p| Var::constant(p)).collect();
    let x = tape.vars(&X);
    let loss = net.loss_at(&params, &x, &Y.map(Var::constant)).unwrap();
    let by_input = tape.gradient(loss).wrt_all(&x);
    // ∂L/∂x_i = Σ_j W0[j][i]·d_j, with d_j the hidden deltas of the hand-worked net.
    let (_, g) = net.gradient(&X, &Y).unwrap();
    let (d1, d2) = (g[4], g[5]);
    assert_relative_eq!(by_input[0], W0[0] * d1 + W0[2] * d2, max_relative = 1e-14);
    assert_relative_eq!(by_input[1], W0[1] * d1 + W0[3] * d2, max_relative = 1e-14);
}

#[test]
fn a_reused_tape_gives_the_same_gradient_as_a_fresh_one() {
    let net = document_net();
    let mut tape = Tape::new();
    let mut workspace = Workspace::new();
    let fresh = net.tape_gradient(&DOC_X, &DOC_Y).unwrap();
    for _ in 0..3 {
        let loss = net
            .tape_backprop(&mut tape, &DOC_X, &DOC_Y, &mut workspace)
            .unwrap();
        assert_eq!((loss, workspace.gradient().to_vec()), fresh);
    }
}

// ---------------------------------------------------------------------------------------
// No allocation per call once the workspace has grown.
// ---------------------------------------------------------------------------------------

mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    /// The system allocator, counting allocations made by the current thread (tests run
    /// on parallel threads; each counts only its own).
    pub struct Counting;

    thread_local! {
        static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
            System.alloc(layout)
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            System.dealloc(ptr, layout)
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
            System.realloc(ptr, layout, new_size)
        }
    }

    /// Allocations made by this thread so far.
    pub fn allocations() -> usize {
        ALLOCATIONS.with(Cell::get)
    }
}

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

#[test]
fn backprop_and_steps_into_a_warmed_workspace_allocate_nothing() {
    let mut net = Mlp::<f64>::seeded(Shape::with_biases(&[16, 8, 8, 4]).unwrap(), 5);
    let xs: Vec<Vec<f64>> = (0..4)
        .map(|s| (0..16).map(|i| (i * s) as f64 * 0.1).collect())
        .collect();
    let ys: Vec<Vec<f64>> = (0..4).map(|s| vec![0.25 * s as f64; 4]).collect();
    let mut workspace = Workspace::new();
    net.backprop(&xs[0], &ys[0], &mut workspace).unwrap();

    let before = counting::allocations();
    for (x, y) in xs.iter().zip(&ys) {
        net.backprop(x, y, &mut workspace).unwrap();
        net.step(x, y, 0.1, &mut workspace).unwrap();
    }
    let batch = xs.iter().zip(&ys).map(|(x, y)| (&x[..], &y[..]));
    net.batch_backprop(batch.clone(), &mut workspace).unwrap();
    net.batch_step(batch, 0.1, &mut workspace).unwrap();
    assert_eq!(counting::allocations() - before, 0);

    // The counter does count: an allocating call shows up.
    let before = counting::allocations();
    net.gradient(&xs[0], &ys[0]).unwrap();
    assert!(counting::allocations() > before);
}

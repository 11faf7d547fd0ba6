//! Proofs for how `nn::train` reports training that cannot go on: an overflow before
//! any step is the data's (`DataOverflow`, the learning rate not blamed), one after
//! steps is the steps' (`Diverged`), and an epoch of exactly-zero gradients at a
//! positive loss stops training (`Stalled`) instead of letting it run on, unchanged.

use gradproof::nn::activation::Activation;
use gradproof::nn::data::{self, Dataset, Split, Standardizer};
use gradproof::nn::mlp::{Mlp, Shape};
use gradproof::nn::train::{train, TrainConfig, TrainError};

/// xor's four samples with both features multiplied by `scale`, all for training.
fn scaled_xor(scale: f64) -> Split {
    let xor = data::xor();
    let inputs = xor
        .inputs()
        .iter()
        .map(|x| x.iter().map(|v| (2.0 * v - 1.0) * scale).collect())
        .collect();
    let data = Dataset::new(
        "scaled xor",
        xor.feature_names().to_vec(),
        xor.classes().to_vec(),
        inputs,
        xor.labels().to_vec(),
    )
    .unwrap();
    data.split(0.0, 0).unwrap()
}

fn net(hidden: Activation, output: Activation) -> Mlp<f64> {
    let shape = Shape::with_biases(&[2, 8, 2])
        .unwrap()
        .with_hidden_activation(hidden)
        .with_output_activation(output);
    Mlp::seeded(shape, 0)
}

fn run(split: &Split, net: &mut Mlp<f64>, learning_rate: f64) -> Result<usize, TrainError> {
    let config = TrainConfig {
        learning_rate,
        epochs: 50,
        ..TrainConfig::default()
    };
    train(net, split, &config, |_| {}).map(|t| t.steps)
}

#[test]
fn inputs_that_overflow_the_untrained_network_blame_the_data_not_the_learning_rate() {
    // Weighted sums of ±1.7e308 overflow to ∞ − ∞ in the first layer already.
    let split = scaled_xor(1.7e308);
    let e = run(
        &split,
        &mut net(Activation::Relu, Activation::Sigmoid),
        1e-9,
    )
    .unwrap_err();
    assert!(
        matches!(e, TrainError::DataOverflow { step: 0, .. }),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("the learning rate plays no part"), "{text}");
    assert!(!text.contains("smaller learning rate"), "{text}");
}

#[test]
fn a_first_gradient_that_overflows_blames_the_data_and_a_later_one_the_steps() {
    // relu all the way on features of 1e200: the loss of the untrained network is
    // finite, its gradient is not.
    let mut first = net(Activation::Relu, Activation::Relu);
    let e = run(&scaled_xor(1e200), &mut first, 1e-9).unwrap_err();
    assert!(
        matches!(e, TrainError::DataOverflow { step: 1, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("before step 1, the first"), "{e}");

    // On features of 1e150 the first step is finite and the second overflows.
    let mut later = net(Activation::Relu, Activation::Relu);
    let e = run(&scaled_xor(1e150), &mut later, 2.0).unwrap_err();
    assert!(
        matches!(
            e,
            TrainError::Diverged {
                epoch: 1,
                step: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("try a smaller learning rate"), "{e}");
}

#[test]
fn a_learning_rate_that_saturates_every_unit_stops_training_at_the_step_it_did() {
    let mut split = data::xor().split(0.0, 0).unwrap();
    let s = Standardizer::fit(&split.train).unwrap();
    s.apply(&mut split.train).unwrap();
    let mut saturated = net(Activation::Sigmoid, Activation::Sigmoid);
    let e = run(&split, &mut saturated, 1e308).unwrap_err();
    let TrainError::Stalled {
        epoch,
        last_moved,
        loss,
    } = e
    else {
        panic!("{e:?}");
    };
    assert_eq!((epoch, last_moved), (2, 1));
    assert_eq!(loss, 0.5);
    assert!(e.to_string().contains("try a smaller learning rate"), "{e}");

    // The same network at the document's rate trains all 50 epochs.
    let mut healthy = net(Activation::Sigmoid, Activation::Sigmoid);
    assert_eq!(run(&split, &mut healthy, 2.0).unwrap(), 200);
}

#[test]
fn features_that_saturate_the_untrained_network_stall_it_with_no_step_blamed() {
    // relu into sigmoid on features of 1e150: every output exactly 0 or 1 from the start.
    let e = run(
        &scaled_xor(1e150),
        &mut net(Activation::Relu, Activation::Sigmoid),
        2.0,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            TrainError::Stalled {
                epoch: 1,
                last_moved: 0,
                ..
            }
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("no step ever moved them"), "{text}");
    assert!(!text.contains("smaller learning rate"), "{text}");
}

/// A NaN or infinite loss or gradient stops training with an error, by either backward
/// pass, and never reaches the weights: they stay as the last finite step left them.
#[test]
fn a_non_finite_loss_or_gradient_stops_training_and_never_writes_the_weights() {
    use gradproof::nn::train::{Backward, Flaw};
    for backward in [Backward::ClosedForm, Backward::Flawed(Flaw::SignFlipped)] {
        let run_with = |split: &Split, net: &mut Mlp<f64>, learning_rate: f64| {
            let config = TrainConfig {
                learning_rate,
                epochs: 50,
                backward,
                check_every: None,
                ..TrainConfig::default()
            };
            train(net, split, &config, |_| {})
        };
        // A NaN loss: weighted sums of ±1.7e308 are ∞ − ∞ in the first layer.
        let mut nan_loss = net(Activation::Relu, Activation::Sigmoid);
        let before = nan_loss.params().to_vec();
        let e = run_with(&scaled_xor(1.7e308), &mut nan_loss, 1e-9).unwrap_err();
        assert!(
            matches!(e, TrainError::DataOverflow { .. }),
            "{backward:?}: {e:?}"
        );
        assert_eq!(nan_loss.params(), &before[..], "{backward:?}");

        // A finite loss with an infinite gradient: relu all the way on features of 1e200.
        let mut infinite_gradient = net(Activation::Relu, Activation::Relu);
        let before = infinite_gradient.params().to_vec();
        let e = run_with(&scaled_xor(1e200), &mut infinite_gradient, 1e-9).unwrap_err();
        assert!(
            matches!(e, TrainError::DataOverflow { step: 1, .. }),
            "{backward:?}: {e:?}"
        );
        assert!(e.to_string().contains("overflows"), "{e}");
        assert_eq!(infinite_gradient.params(), &before[..], "{backward:?}");

        // An overflow after steps: the weights are those of the last finite step.
        let mut later = net(Activation::Relu, Activation::Relu);
        let e = run_with(&scaled_xor(1e150), &mut later, 2.0).unwrap_err();
        assert!(
            matches!(e, TrainError::Diverged { .. }),
            "{backward:?}: {e:?}"
        );
        assert!(later.params().iter().all(|w| w.is_finite()), "{backward:?}");
    }
}

//! Proofs for `nn::train`: the document's recipe learns Iris and XOR, the gradient
//! check passes a right gradient at every step of real training (reporting relu kinks
//! rather than comparing across them) and stops a wrong one at the first check, naming
//! the coordinate; training is reproducible and follows plain gradient descent exactly.

use gradproof::nn::activation::Activation;
use gradproof::nn::data::{self, Dataset, Split, Standardizer};
use gradproof::nn::mlp::{Mlp, Parameter, Shape, Workspace};
use gradproof::nn::train::{
    check_gradient, train, Backward, Flaw, Reference, TrainConfig, TrainError,
};

fn standardized(data: &Dataset, test_fraction: f64, seed: u64) -> Split {
    let mut split = data.split(test_fraction, seed).unwrap();
    let s = Standardizer::fit(&split.train).unwrap();
    s.apply(&mut split.train).unwrap();
    s.apply(&mut split.test).unwrap();
    split
}

fn net_for(data: &Dataset, hidden: &[usize], activation: Activation, seed: u64) -> Mlp<f64> {
    let mut sizes = vec![data.feature_count()];
    sizes.extend_from_slice(hidden);
    sizes.push(data.classes().len());
    let shape = Shape::with_biases(&sizes)
        .unwrap()
        .with_hidden_activation(activation);
    Mlp::seeded(shape, seed)
}

// ---- The document's recipe learns: sigmoid, ½(y − ŷ)², plain per-sample descent. ----

#[test]
fn document_recipe_reaches_95_percent_training_accuracy_on_iris() {
    let split = standardized(&data::iris(), 0.2, 0);
    let mut net = net_for(&split.train, &[8], Activation::Sigmoid, 0);
    let config = TrainConfig {
        learning_rate: 2.0,
        epochs: 60,
        ..TrainConfig::default()
    };
    let training = train(&mut net, &split, &config, |_| {}).unwrap();
    let last = training.last();
    assert!(last.train.accuracy >= 0.95, "{last:?}");
    // Held-out flowers are classified too, though more loosely.
    assert!(last.test.unwrap().accuracy >= 0.85, "{last:?}");
    assert!(last.train.loss < training.epochs[0].train.loss / 5.0);
    assert_eq!(training.steps, 60 * 120);
}

#[test]
fn document_recipe_solves_xor() {
    let split = data::xor().split(0.0, 0).unwrap();
    for seed in 0..5 {
        let mut net = net_for(&split.train, &[8], Activation::Sigmoid, seed);
        let config = TrainConfig {
            learning_rate: 2.0,
            epochs: 1000,
            seed,
            ..TrainConfig::default()
        };
        let training = train(&mut net, &split, &config, |_| {}).unwrap();
        assert_eq!(training.last().train.accuracy, 1.0, "seed {seed}");
        for (x, &label) in split.train.inputs().iter().zip(split.train.labels()) {
            let y_hat = net.predict(x).unwrap();
            // Not just the larger output: a clear margin.
            assert!(
                y_hat[label] > 0.8 && y_hat[1 - label] < 0.2,
                "{x:?}: {y_hat:?}"
            );
        }
    }
}

// ---- The check passes right gradients while training, for every activation. ----

#[test]
fn gradient_checks_at_every_step_pass_for_each_activation() {
    let iris = standardized(&data::iris(), 0.2, 1);
    let xor = data::xor().split(0.0, 0).unwrap();
    for activation in Activation::ALL {
        for (split, batch_size, epochs) in [(&iris, 16, 3), (&xor, 1, 50), (&xor, 4, 50)] {
            let mut net = net_for(&split.train, &[5, 4], activation, 3);
            let config = TrainConfig {
                learning_rate: 0.5,
                epochs,
                batch_size,
                check_every: Some(1),
                spot_checks: 3,
                ..TrainConfig::default()
            };
            let training = train(&mut net, split, &config, |_| {}).unwrap();
            let summary = training.checks;
            assert!(
                training.failure.is_none(),
                "{activation}: {:?}",
                training.failure
            );
            assert_eq!(summary.checks, training.steps);
            assert!(summary.worst_tape_ratio < 1.0 && summary.worst_spot_ratio < 1.0);
            assert!(summary.tape_comparisons > 0 && summary.spot_comparisons > 0);
            if activation != Activation::Relu {
                assert_eq!(summary.kinks, 0);
            }
        }
    }
}

#[test]
fn a_relu_unit_at_its_kink_is_reported_not_compared() {
    // XOR's (0, 0) with no biases puts every first-layer weighted sum at exactly 0.
    let xor = data::xor();
    let shape = Shape::new(&[2, 3, 2])
        .unwrap()
        .with_hidden_activation(Activation::Relu);
    let net = Mlp::<f64>::seeded(shape, 2);
    let (x, y) = xor.sample(0);
    let batch = [(x, y)];
    let (_, gradient) = net.batch_gradient(batch).unwrap();
    let check = check_gradient(&net, &batch, &gradient, &[0, 1, 2]).unwrap();
    assert!(check.passed() && check.hit_kinks());
    assert_eq!(check.kinks.len(), 3);
    assert_eq!(check.tape_compared, 0);
    // A difference in a first-layer weight steps across the kink: skipped, not passed.
    assert_eq!(check.kinked_spots, [0, 1, 2]);
    assert!(check.spots.is_empty());
}

// ---- The check stops a wrong gradient at once, naming the coordinate. ----

#[test]
fn a_flawed_backward_pass_is_stopped_at_the_first_check_with_the_coordinate_named() {
    let split = standardized(&data::iris(), 0.2, 0);
    for flaw in Flaw::ALL {
        let mut net = net_for(&split.train, &[6], Activation::Sigmoid, 4);
        let before = net.clone();
        let config = TrainConfig {
            check_every: Some(10),
            backward: Backward::Flawed(flaw),
            ..TrainConfig::default()
        };
        let mut epochs_seen = 0;
        let training = train(&mut net, &split, &config, |_| epochs_seen += 1).unwrap();
        let failure = training.failure.expect("the flaw is caught");
        assert_eq!(training.steps, 0, "{flaw}: stopped before the first step");
        assert_eq!(net, before, "{flaw}: the network is untouched");
        assert_eq!(epochs_seen, 1, "only the untrained metrics were reported");
        let worst = failure.failures[0];
        assert!(!worst.holds() && worst.ratio() > 1.0);
        assert_eq!(
            Some(worst.parameter),
            net.shape().parameter(worst.coordinate)
        );
        match flaw {
            // A sign flip is wrong everywhere the gradient is not zero.
            Flaw::SignFlipped => assert!(failure.failures.len() > 20),
            // Dropping f′ in the hidden layer leaves the output layer right: only
            // input → hidden weights and hidden biases fail.
            Flaw::HiddenDerivativeDropped => {
                for f in &failure.failures {
                    assert!(
                        matches!(
                            f.parameter,
                            Parameter::Weight { layer: 0, .. } | Parameter::Bias { layer: 0, .. }
                        ),
                        "{}",
                        f.parameter
                    );
                }
            }
        }
        // Both references see it.
        assert!(failure
            .failures
            .iter()
            .any(|f| f.reference == Reference::Tape));
    }
}

#[test]
fn a_single_wrong_entry_is_named_by_the_central_difference_spot_check() {
    // One entry off by 1e-4: the differences name it and pass its neighbour.
    let split = standardized(&data::iris(), 0.2, 0);
    let net = net_for(&split.train, &[4], Activation::Tanh, 1);
    let batch: Vec<_> = (0..8).map(|s| split.train.sample(s)).collect();
    let (_, mut gradient) = net.batch_gradient(batch.iter().copied()).unwrap();
    gradient[5] += 1e-4;
    let check = check_gradient(&net, &batch, &gradient, &[5, 6]).unwrap();
    let spot_failures: Vec<_> = check
        .failures
        .iter()
        .filter(|f| f.reference == Reference::CentralDifference)
        .collect();
    assert_eq!(spot_failures.len(), 1);
    assert_eq!(spot_failures[0].coordinate, 5);
    assert!(check
        .spots
        .iter()
        .find(|s| s.coordinate == 6)
        .unwrap()
        .holds());
}

// ---- Training is plain, reproducible gradient descent. ----

#[test]
fn full_batch_training_is_plain_gradient_descent_step_by_step() {
    let split = standardized(&data::iris(), 0.0, 0);
    let mut trained = net_for(&split.train, &[3], Activation::Sigmoid, 5);
    let mut by_hand = trained.clone();
    let config = TrainConfig {
        learning_rate: 0.7,
        epochs: 3,
        batch_size: split.train.len(),
        ..TrainConfig::default()
    };
    let training = train(&mut trained, &split, &config, |_| {}).unwrap();
    assert_eq!(training.steps, 3);
    let mut workspace = Workspace::new();
    for _ in 0..3 {
        // The epoch's order differs, but a full batch's mean is the same up to the order
        // of summation; the hand-made steps visit the samples in their stored order.
        let batch = (0..split.train.len()).map(|s| split.train.sample(s));
        by_hand.batch_step(batch, 0.7, &mut workspace).unwrap();
    }
    for (a, b) in trained.params().iter().zip(by_hand.params()) {
        assert!((a - b).abs() < 1e-13, "{a} vs {b}");
    }
}

#[test]
fn the_same_seed_gives_the_same_training_and_another_seed_another() {
    let split = standardized(&data::iris(), 0.2, 0);
    let run = |seed| {
        let mut net = net_for(&split.train, &[4], Activation::Sigmoid, 0);
        let config = TrainConfig {
            epochs: 3,
            seed,
            ..TrainConfig::default()
        };
        let training = train(&mut net, &split, &config, |_| {}).unwrap();
        (net, training)
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1).0, run(2).0);
}

#[test]
fn every_epoch_is_reported_as_it_ends_and_kept() {
    let split = standardized(&data::iris(), 0.2, 0);
    let mut net = net_for(&split.train, &[4], Activation::Sigmoid, 0);
    let mut seen = Vec::new();
    let config = TrainConfig {
        epochs: 4,
        ..TrainConfig::default()
    };
    let training = train(&mut net, &split, &config, |m| seen.push(*m)).unwrap();
    assert_eq!(seen, training.epochs);
    let epochs: Vec<usize> = seen.iter().map(|m| m.epoch).collect();
    assert_eq!(epochs, [0, 1, 2, 3, 4]);
    assert!(seen.iter().all(|m| m.test.is_some()));
}

// ---- Bad settings and mismatches are errors, not panics. ----

#[test]
fn bad_settings_mismatched_networks_and_divergence_are_errors() {
    let split = data::xor().split(0.0, 0).unwrap();
    let mut net = net_for(&split.train, &[2], Activation::Sigmoid, 0);
    let bad = |config: TrainConfig, net: &mut Mlp<f64>| train(net, &split, &config, |_| {});
    for config in [
        TrainConfig {
            learning_rate: 0.0,
            ..TrainConfig::default()
        },
        TrainConfig {
            learning_rate: f64::NAN,
            ..TrainConfig::default()
        },
        TrainConfig {
            batch_size: 0,
            ..TrainConfig::default()
        },
        TrainConfig {
            check_every: Some(0),
            ..TrainConfig::default()
        },
    ] {
        let e = bad(config, &mut net).unwrap_err();
        assert!(matches!(e, TrainError::Setting { .. }), "{e}");
    }
    let mut wide = Mlp::<f64>::seeded(Shape::with_biases(&[3, 2, 2]).unwrap(), 0);
    let e = bad(TrainConfig::default(), &mut wide).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the network has 3 inputs but the data has 2 features"
    );

    // relu with a huge learning rate overflows: reported with the epoch and step.
    let mut relu = Mlp::<f64>::seeded(
        Shape::with_biases(&[2, 4, 2])
            .unwrap()
            .with_activation(Activation::Relu),
        1,
    );
    let config = TrainConfig {
        learning_rate: 1e200,
        epochs: 5,
        ..TrainConfig::default()
    };
    let e = bad(config, &mut relu).unwrap_err();
    assert!(matches!(e, TrainError::Diverged { .. }), "{e}");
    assert!(e.to_string().contains("try a smaller learning rate"), "{e}");
}

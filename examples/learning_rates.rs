//! Learning rates compared on Iris, with the document's recipe: a 4-8-3 sigmoid
//! network, the ½(y − ŷ)² loss, plain per-sample gradient descent, the gradient checked
//! against the tape and finite differences every 1000 steps.
//!
//! For each learning rate `η`, five seeds (each its own split, initial weights and
//! visiting order): the mean training loss and accuracy after 10, 50 and 200 epochs, the
//! held-out accuracy at the end, and the epoch the training accuracy first reached 95 %.
//!
//! Run with `cargo run --release --example learning_rates`.

use gradproof::nn::data::{self, Standardizer};
use gradproof::nn::mlp::{Mlp, Shape};
use gradproof::nn::train::{train, TrainConfig};

const RATES: [f64; 7] = [0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 20.0];
const SEEDS: u64 = 5;
const EPOCHS: usize = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iris = data::iris();
    println!("Iris, 4-8-3 sigmoid network, per-sample descent, {SEEDS} seeds each (means)\n");
    println!(
        "{:>6} │ {:>15} │ {:>15} │ {:>15} │ {:>9} │ {:>12}",
        "η", "epoch 10", "epoch 50", "epoch 200", "test acc", "95 % reached"
    );
    println!(
        "{:>6} │ {:>15} │ {:>15} │ {:>15} │ {:>9} │ {:>12}",
        "", "loss    acc", "loss    acc", "loss    acc", "", "at epoch"
    );
    println!("{}", "─".repeat(88));
    for eta in RATES {
        let mut at = [(0.0, 0.0); 3];
        let mut test = 0.0;
        let mut reached = Vec::new();
        for seed in 0..SEEDS {
            let mut split = iris.split(0.2, seed)?;
            let standardizer = Standardizer::fit(&split.train)?;
            standardizer.apply(&mut split.train)?;
            standardizer.apply(&mut split.test)?;
            let mut net = Mlp::<f64>::seeded(Shape::with_biases(&[4, 8, 3])?, seed);
            let config = TrainConfig {
                learning_rate: eta,
                epochs: EPOCHS,
                seed,
                check_every: Some(1000),
                ..TrainConfig::default()
            };
            let training = train(&mut net, &split, &config, |_| {})?;
            if let Some(failure) = training.failure {
                return Err(format!("the gradient check failed: {failure:?}").into());
            }
            for (slot, epoch) in at.iter_mut().zip([10, 50, 200]) {
                let m = training.epochs[epoch].train;
                slot.0 += m.loss / SEEDS as f64;
                slot.1 += m.accuracy / SEEDS as f64;
            }
            test += training.last().test.map_or(0.0, |m| m.accuracy) / SEEDS as f64;
            reached.push(
                training
                    .epochs
                    .iter()
                    .find(|m| m.train.accuracy >= 0.95)
                    .map(|m| m.epoch),
            );
        }
        let reached = if reached.iter().all(Option::is_some) {
            let mean = reached.iter().flatten().sum::<usize>() as f64 / SEEDS as f64;
            format!("{mean:.1}")
        } else {
            format!("{}/{SEEDS} runs", reached.iter().flatten().count())
        };
        let cell = |(loss, acc): (f64, f64)| format!("{loss:.4} {:>5.1}%", 100.0 * acc);
        println!(
            "{eta:>6} │ {:>15} │ {:>15} │ {:>15} │ {:>8.1}% │ {reached:>12}",
            cell(at[0]),
            cell(at[1]),
            cell(at[2]),
            100.0 * test
        );
    }
    Ok(())
}

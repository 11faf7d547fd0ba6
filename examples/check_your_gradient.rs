//! Check your own gradient: a function written once, a hand-written gradient with a
//! bug in one coordinate, and the three checks that catch it — the tape against finite
//! differences, your gradient against the tape, and the Taylor test — then the fixed
//! gradient passing all three.
//!
//! Run with `cargo run --example check_your_gradient`.

use gradproof::check::{self, Checker};
use gradproof::dual::Function;
use gradproof::prelude::*;

/// One sigmoid neuron's loss `½ (y − σ(w·x + b))²` on a sample, with the weights and
/// bias `p = (w₀, w₁, w₂, b)` as the variables. The sample is data, so it lives in the
/// struct; `eval` is written once and runs on `f64`, on forward-mode numbers and on the
/// tape.
pub struct Neuron {
    /// The sample's inputs.
    pub x: [f64; 3],
    /// Its target.
    pub y: f64,
}

impl Function for Neuron {
    fn eval<S: Scalar>(&self, p: &[S]) -> S {
        let x = self.x.map(|v| S::from(v).unwrap());
        let z = S::dot(&p[..3], &x) + p[3];
        let e = S::from(self.y).unwrap() - z.sigmoid();
        S::from(0.5).unwrap() * e * e
    }
}

impl Neuron {
    /// The backward pass by hand: `∂L/∂wᵢ = (ŷ − y)·ŷ(1 − ŷ)·xᵢ`, `∂L/∂b = (ŷ − y)·ŷ(1 − ŷ)`.
    pub fn gradient(&self, p: &[f64]) -> Vec<f64> {
        let z: f64 = p[..3].iter().zip(&self.x).map(|(w, x)| w * x).sum::<f64>() + p[3];
        let y_hat = 1.0 / (1.0 + (-z).exp());
        let delta = (y_hat - self.y) * y_hat * (1.0 - y_hat);
        vec![
            delta * self.x[0],
            delta * self.x[1],
            delta * self.x[2],
            delta,
        ]
    }

    /// The same with a bug: `∂L/∂w₂` uses `x₁` (an off-by-one index).
    pub fn buggy_gradient(&self, p: &[f64]) -> Vec<f64> {
        let mut g = self.gradient(p);
        g[2] = g[3] * self.x[1];
        g
    }
}

fn main() -> Result<(), check::CheckError> {
    let neuron = Neuron {
        x: [0.5, -1.2, 2.0],
        y: 1.0,
    };
    let p = [0.3, -0.1, 0.4, 0.05];

    println!("(a) the tape's gradient of your function against finite differences\n");
    println!("{}", check::tape_vs_differences(&neuron, &p)?);

    println!("(a') your buggy gradient against finite differences, without the tape\n");
    let buggy = neuron.buggy_gradient(&p);
    let plain = |q: &[f64]| neuron.eval(q);
    println!(
        "{}",
        Checker::default().yours_vs_differences_of(plain, &p, &buggy)?
    );

    println!("(b) your hand-written gradient against the tape, with a bug in ∂L/∂w₂\n");
    println!("{}", check::yours_vs_tape(&neuron, &p, &buggy)?);

    println!("(c) the Taylor test of the buggy gradient: no tolerance, only an order\n");
    let taylor = Checker::default().taylor_of_yours_of(plain, &p, &buggy)?;
    println!("{taylor}");

    println!("(b') and (c') the fixed gradient\n");
    println!(
        "{}",
        check::yours_vs_tape(&neuron, &p, &neuron.gradient(&p))?
    );
    let right = neuron.gradient(&p);
    let taylor = Checker::default().taylor_of_yours_of(plain, &p, &right)?;
    println!("{taylor}");

    // In a test, one line does (b) and (c) and panics with the report on failure:
    gradproof::assert_gradient!(neuron, &p, |q: &[f64]| neuron.gradient(q));
    Ok(())
}

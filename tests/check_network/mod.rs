//! The networks the engine's tests check: the document's 3-3-3 sigmoid network with
//! its hand-derived backward pass (and deliberately wrong variants of it), and a general
//! multi-layer network. Written here, not taken from `nn`, so the engine's tests stand
//! on their own.

#![allow(dead_code)] // each test file uses a part

use gradproof::dual::Function;
use gradproof::prelude::*;
use num_traits::Float;

/// `ω_ij` from input `i ∈ 1..=3` to hidden `j ∈ 4..=6`.
pub fn input_weight(i: usize, j: usize) -> usize {
    (i - 1) * 3 + (j - 4)
}

/// `ω_jk` from hidden `j ∈ 4..=6` to output `k ∈ 7..=9`.
pub fn output_weight(j: usize, k: usize) -> usize {
    9 + (j - 4) * 3 + (k - 7)
}

/// The document's network: one sample `x`, targets `y`, loss `Σ_k ½(y_k − ŷ_k)²`.
#[derive(Clone, Debug)]
pub struct Document {
    pub x: [f64; 3],
    pub y: [f64; 3],
}

fn lift<S: Float>(v: f64) -> S {
    S::from(v).unwrap()
}

impl Function for Document {
    fn eval<S: Scalar>(&self, w: &[S]) -> S {
        let (_, y_hat) = self.forward(w);
        (0..3).fold(S::zero(), |loss, k| {
            let e = lift::<S>(self.y[k]) - y_hat[k];
            loss + lift::<S>(0.5) * e * e
        })
    }
}

/// The ways a hand-written backward pass goes wrong.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mistake {
    /// The document's closed forms, right.
    None,
    /// `∂L/∂ω_jk` without the factor `ŷ_k(1 − ŷ_k)`.
    MissingSigmaPrime,
    /// The hidden gradient uses `ω_kj` (the transposed index) for `ω_jk`.
    TransposedWeight,
    /// `(y − ŷ)` for `(ŷ − y)` in the hidden gradient.
    SignError,
    /// `α_{j+1}` for `α_j` in the output gradient.
    OffByOneIndex,
    /// Right except this coordinate, which is doubled.
    OneWrongCoordinate(usize),
    /// Right except this coordinate, off by a relative 1e-4.
    RelativeError(usize),
}

impl Mistake {
    /// The coordinates the mistake can change.
    pub fn coordinates(self) -> Vec<usize> {
        match self {
            Mistake::None => vec![],
            Mistake::MissingSigmaPrime | Mistake::OffByOneIndex => (9..18).collect(),
            Mistake::TransposedWeight | Mistake::SignError => (0..9).collect(),
            Mistake::OneWrongCoordinate(i) | Mistake::RelativeError(i) => vec![i],
        }
    }
}

impl Document {
    /// `(α₄…α₆, ŷ₇…ŷ₉)`.
    pub fn forward<S: Scalar>(&self, w: &[S]) -> ([S; 3], [S; 3]) {
        let mut alpha = [S::zero(); 3];
        for j in 4..=6 {
            let delta = (1..=3).fold(S::zero(), |d, i| {
                d + w[input_weight(i, j)] * lift::<S>(self.x[i - 1])
            });
            alpha[j - 4] = delta.sigmoid();
        }
        let mut y_hat = [S::zero(); 3];
        for k in 7..=9 {
            let delta = (4..=6).fold(S::zero(), |d, j| d + w[output_weight(j, k)] * alpha[j - 4]);
            y_hat[k - 7] = delta.sigmoid();
        }
        (alpha, y_hat)
    }

    /// The document's backward pass, with `mistake` made in it.
    pub fn backward<S: Scalar>(&self, w: &[S], mistake: Mistake) -> Vec<S> {
        let (alpha, y_hat) = self.forward(w);
        let one = S::one();
        let mut g = vec![S::zero(); 18];
        for j in 4..=6 {
            for k in 7..=9 {
                let yk = y_hat[k - 7];
                let sigma_prime = if mistake == Mistake::MissingSigmaPrime {
                    one
                } else {
                    yk * (one - yk)
                };
                let a = if mistake == Mistake::OffByOneIndex {
                    alpha[(j - 4 + 1) % 3]
                } else {
                    alpha[j - 4]
                };
                g[output_weight(j, k)] = (yk - lift::<S>(self.y[k - 7])) * sigma_prime * a;
            }
        }
        for i in 1..=3 {
            for j in 4..=6 {
                let aj = alpha[j - 4];
                let sum = (7..=9).fold(S::zero(), |s, k| {
                    let yk = y_hat[k - 7];
                    let error = if mistake == Mistake::SignError {
                        lift::<S>(self.y[k - 7]) - yk
                    } else {
                        yk - lift::<S>(self.y[k - 7])
                    };
                    let weight = if mistake == Mistake::TransposedWeight {
                        w[output_weight(k - 3, j + 3)]
                    } else {
                        w[output_weight(j, k)]
                    };
                    s + error * yk * (one - yk) * weight
                });
                g[input_weight(i, j)] = sum * aj * (one - aj) * lift::<S>(self.x[i - 1]);
            }
        }
        match mistake {
            Mistake::OneWrongCoordinate(i) => g[i] = g[i] * lift::<S>(2.0),
            Mistake::RelativeError(i) => g[i] = g[i] * lift::<S>(1.0 + 1e-4),
            _ => {}
        }
        g
    }
}

/// A fully connected network of any layer sizes with biases: `tanh` hidden layers, a
/// sigmoid output layer, squared loss against `y`. Weights are laid out layer by layer,
/// each output neuron's incoming weights followed by its bias.
#[derive(Clone, Debug)]
pub struct Mlp {
    pub sizes: Vec<usize>,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Mlp {
    /// The number of weights and biases.
    pub fn parameters(sizes: &[usize]) -> usize {
        sizes.windows(2).map(|p| (p[0] + 1) * p[1]).sum()
    }

    /// The network's outputs.
    pub fn outputs<S: Scalar>(&self, w: &[S]) -> Vec<S> {
        let mut a: Vec<S> = self.x.iter().map(|&v| lift(v)).collect();
        let mut offset = 0;
        let layers = self.sizes.len() - 1;
        for (l, pair) in self.sizes.windows(2).enumerate() {
            let (n_in, n_out) = (pair[0], pair[1]);
            a = (0..n_out)
                .map(|o| {
                    let base = offset + o * (n_in + 1);
                    let z = S::dot(&w[base..base + n_in], &a) + w[base + n_in];
                    if l + 1 == layers {
                        z.sigmoid()
                    } else {
                        z.tanh()
                    }
                })
                .collect();
            offset += (n_in + 1) * n_out;
        }
        a
    }
}

impl Function for Mlp {
    fn eval<S: Scalar>(&self, w: &[S]) -> S {
        let out = self.outputs(w);
        out.iter().zip(&self.y).fold(S::zero(), |l, (&o, &t)| {
            let e = o - lift::<S>(t);
            l + lift::<S>(0.5) * e * e
        })
    }
}

/// The network's outputs as a vector function of the weights (for Jacobian checks).
pub struct MlpOutputs(pub Mlp);

impl gradproof::dual::VectorFunction for MlpOutputs {
    fn eval<S: Scalar>(&self, w: &[S]) -> Vec<S> {
        self.0.outputs(w)
    }
}

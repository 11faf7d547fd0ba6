//! The forward pass (正向传播) exactly as the document writes it.

use num_traits::Float;

use super::{Sample, Weights, HIDDEN, INPUTS, OUTPUTS};

/// The document's activation `σ(x) = 1 / (1 + e^(−x))`, written as its definition.
///
/// On a tape this records a negation, an `exp`, an addition and a division, so the tape
/// derives `σ′` by the chain rule from these four ops; it is never told that
/// `σ′ = σ(1 − σ)`, which is the document's claim to check. (The fused
/// [`Scalar::sigmoid`](crate::Scalar::sigmoid) records one node whose partial *is*
/// `σ(1 − σ)`, which would make that check circular.)
///
/// For `x` below about −709 (f64), `e^(−x)` overflows to `+∞` and `σ(x)` is `0`, the
/// correctly rounded value; no NaN arises.
pub fn sigma<T: Float>(x: T) -> T {
    T::one() / (T::one() + (-x).exp())
}

/// Every quantity the document's forward pass names, for one sample and one set of
/// weights, read by document neuron number.
///
/// Made by [`forward`]. With `T = Var` every value is a variable on the tape, so the
/// tape's gradient can be asked with respect to any intermediate
/// (`gradient.wrt(fwd.delta(7))`).
#[derive(Clone, Copy, Debug)]
pub struct Forward<T> {
    x: [T; 3],
    y: [T; 3],
    /// `δ4..δ9`.
    delta: [T; 6],
    /// `α4..α6` then `ŷ7..ŷ9`: each is `σ(δ)` of its neuron.
    sigma: [T; 6],
    /// `L_s7..L_s9`.
    loss_s: [T; 3],
    loss: T,
}

/// The forward pass of the document for weights `w` on sample `s`:
///
/// ```text
/// δ_i = ω_1i x1 + ω_2i x2 + ω_3i x3,   α_i = σ(δ_i),   i = 4, 5, 6
/// δ_i = ω_4i α4 + ω_5i α5 + ω_6i α6,   ŷ_i = σ(δ_i),   i = 7, 8, 9
/// L_si = ½ (y_i − ŷ_i)²,                             i = 7, 8, 9
/// L = L_s7 + L_s8 + L_s9
/// ```
///
/// Written with plain `*` and `+` (no fused dot product) and [`sigma`] from its
/// definition, so that on a tape every derivative comes from the elementary rules of
/// these equations alone. The same function runs on `f64`, `f32` and
/// [`Var`](crate::Var).
pub fn forward<T: Float>(w: &Weights<T>, s: &Sample<T>) -> Forward<T> {
    let x = s.inputs();
    let y = s.targets();
    let half = T::one() / (T::one() + T::one());

    let mut delta = [T::zero(); 6];
    let mut sig = [T::zero(); 6];
    for j in HIDDEN {
        let d = w[(1, j)] * x[0] + w[(2, j)] * x[1] + w[(3, j)] * x[2];
        delta[j - 4] = d;
        sig[j - 4] = sigma(d);
    }
    let alpha = [sig[0], sig[1], sig[2]];
    for k in OUTPUTS {
        let d = w[(4, k)] * alpha[0] + w[(5, k)] * alpha[1] + w[(6, k)] * alpha[2];
        delta[k - 4] = d;
        sig[k - 4] = sigma(d);
    }
    let mut loss_s = [T::zero(); 3];
    for k in OUTPUTS {
        let error = y[k - 7] - sig[k - 4];
        loss_s[k - 7] = half * error * error;
    }
    let loss = loss_s[0] + loss_s[1] + loss_s[2];
    Forward {
        x,
        y,
        delta,
        sigma: sig,
        loss_s,
        loss,
    }
}

impl<T: Copy> Forward<T> {
    /// The input `x_i`, `i` in `1..=3`.
    ///
    /// # Panics
    ///
    /// If `i` is not an input neuron (a programming error).
    pub fn x(&self, i: usize) -> T {
        check(INPUTS.contains(&i), "x", i, "1..=3");
        self.x[i - 1]
    }

    /// The target `y_k`, `k` in `7..=9`.
    ///
    /// # Panics
    ///
    /// If `k` is not an output neuron.
    pub fn y(&self, k: usize) -> T {
        check(OUTPUTS.contains(&k), "y", k, "7..=9");
        self.y[k - 7]
    }

    /// The net input `δ_j` of a hidden (`4..=6`) or output (`7..=9`) neuron.
    ///
    /// # Panics
    ///
    /// If `j` is an input neuron or not a neuron: inputs have no net input.
    pub fn delta(&self, j: usize) -> T {
        check((4..=9).contains(&j), "δ", j, "4..=9");
        self.delta[j - 4]
    }

    /// The hidden activation `α_j = σ(δ_j)`, `j` in `4..=6`.
    ///
    /// # Panics
    ///
    /// If `j` is not a hidden neuron (outputs are [`Forward::yhat`]).
    pub fn alpha(&self, j: usize) -> T {
        check(HIDDEN.contains(&j), "α", j, "4..=6");
        self.sigma[j - 4]
    }

    /// The prediction `ŷ_k = σ(δ_k)`, `k` in `7..=9`.
    ///
    /// # Panics
    ///
    /// If `k` is not an output neuron (hidden ones are [`Forward::alpha`]).
    pub fn yhat(&self, k: usize) -> T {
        check(OUTPUTS.contains(&k), "ŷ", k, "7..=9");
        self.sigma[k - 4]
    }

    /// What neuron `n` sends along its outgoing weights: `x_n` for an input, `α_n` for a
    /// hidden neuron, `ŷ_n` for an output. It is `∂δ_j/∂ω_nj` for every `j` that `n`
    /// feeds.
    ///
    /// # Panics
    ///
    /// If `n` is not in `1..=9`.
    pub fn output_of(&self, n: usize) -> T {
        check((1..=9).contains(&n), "neuron ", n, "1..=9");
        if n <= 3 {
            self.x[n - 1]
        } else {
            self.sigma[n - 4]
        }
    }

    /// The loss of output `k`, `L_sk = ½ (y_k − ŷ_k)²`, `k` in `7..=9`.
    ///
    /// # Panics
    ///
    /// If `k` is not an output neuron.
    pub fn loss_s(&self, k: usize) -> T {
        check(OUTPUTS.contains(&k), "L_s", k, "7..=9");
        self.loss_s[k - 7]
    }

    /// The total loss `L = L_s7 + L_s8 + L_s9`, the quantity the update descends.
    pub fn loss(&self) -> T {
        self.loss
    }
}

/// Panics with the valid range when a document index is out of it.
fn check(ok: bool, name: &str, index: usize, range: &str) {
    assert!(
        ok,
        "{name}{index} is not part of the document's network: its index must be in {range}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Forward<f64> {
        let w = Weights::from_array([0.5; 18]);
        forward(&w, &Sample::new([1.0, 2.0, 3.0], [0.0, 0.5, 1.0]))
    }

    #[test]
    #[should_panic(expected = "α7 is not part of the document's network")]
    fn asking_alpha_of_an_output_panics_with_the_range() {
        let _ = example().alpha(7);
    }

    #[test]
    #[should_panic(expected = "δ3 is not part of the document's network")]
    fn inputs_have_no_net_input() {
        let _ = example().delta(3);
    }

    #[test]
    fn output_of_is_x_then_alpha_then_yhat() {
        let fwd = example();
        assert_eq!(fwd.output_of(2), 2.0);
        assert_eq!(fwd.output_of(5), fwd.alpha(5));
        assert_eq!(fwd.output_of(8), fwd.yhat(8));
    }

    #[test]
    fn sigma_saturates_without_nan() {
        assert_eq!(sigma(-1000.0_f64), 0.0);
        assert_eq!(sigma(1000.0_f64), 1.0);
        assert_eq!(sigma(0.0_f64), 0.5);
    }
}

//! The backward pass (反向传播) as the document writes it: each factor of the chain rule
//! its own function, the weight gradients as their products, and the update.
//!
//! Every function reads the forward values of the *current* weights: the hidden-layer
//! gradient uses `ω_jk` before any update, as the chain rule demands.

use num_traits::Float;

use super::{forward, Forward, Sample, Weights, HIDDEN, INPUTS, OUTPUTS};

/// `∂L_sk/∂ŷ_k = ŷ_k − y_k`, the derivative of `½ (y_k − ŷ_k)²`.
///
/// # Panics
///
/// If `k` is not an output neuron (`7..=9`).
pub fn dls_dyhat<T: Float>(fwd: &Forward<T>, k: usize) -> T {
    fwd.yhat(k) - fwd.y(k)
}

/// `σ′(δ) = σ(δ)(1 − σ(δ))`, written from the value `s = σ(δ)` as the document does.
pub fn sigma_prime_from_sigma<T: Float>(s: T) -> T {
    s * (T::one() - s)
}

/// `∂ŷ_k/∂δ_k = σ(δ_k)(1 − σ(δ_k)) = ŷ_k (1 − ŷ_k)`.
///
/// # Panics
///
/// If `k` is not an output neuron (`7..=9`).
pub fn dyhat_ddelta<T: Float>(fwd: &Forward<T>, k: usize) -> T {
    sigma_prime_from_sigma(fwd.yhat(k))
}

/// `∂α_j/∂δ_j = α_j (1 − α_j)`, the same rule on a hidden neuron.
///
/// # Panics
///
/// If `j` is not a hidden neuron (`4..=6`).
pub fn dalpha_ddelta<T: Float>(fwd: &Forward<T>, j: usize) -> T {
    sigma_prime_from_sigma(fwd.alpha(j))
}

/// `∂δ_j/∂ω_ij`: what neuron `i` sends, `α_i` for a hidden `i` (the document's
/// `∂δ7/∂ω47 = α4`) and `x_i` for an input `i`.
///
/// # Panics
///
/// If no weight joins `i` to `j`.
pub fn ddelta_domega<T: Float>(fwd: &Forward<T>, i: usize, j: usize) -> T {
    require_weight(i, j);
    fwd.output_of(i)
}

/// The output-layer weight gradient,
/// `∂L_sj/∂ω_ij = (ŷ_j − y_j) · ŷ_j (1 − ŷ_j) · α_i`, for `i` in `4..=6`, `j` in `7..=9`:
/// the product of [`dls_dyhat`], [`dyhat_ddelta`] and [`ddelta_domega`].
///
/// Only `L_sj` depends on `ω_ij`, so this is also `∂L/∂ω_ij` of the total loss.
///
/// # Panics
///
/// If `(i, j)` is not a hidden → output pair.
pub fn dls_domega_output<T: Float>(fwd: &Forward<T>, i: usize, j: usize) -> T {
    assert!(
        HIDDEN.contains(&i) && OUTPUTS.contains(&j),
        "ω{i}{j} is not a hidden → output weight: need i in 4..=6 and j in 7..=9"
    );
    dls_dyhat(fwd, j) * dyhat_ddelta(fwd, j) * ddelta_domega(fwd, i, j)
}

/// One term of the hidden-layer sum, `∂L_sk/∂ω_ij` for `i` in `1..=3`, `j` in `4..=6`,
/// `k` in `7..=9`, expanded by the chain rule through `ŷ_k`, `δ_k`, `α_j` and `δ_j`:
///
/// ```text
/// ∂L_sk/∂ω_ij = (ŷ_k − y_k) · ŷ_k (1 − ŷ_k) · ω_jk · α_j (1 − α_j) · x_i
/// ```
///
/// `ω_jk` is the current weight (`∂δ_k/∂α_j`), not the updated one.
///
/// # Panics
///
/// If `(i, j)` is not an input → hidden pair or `k` is not an output neuron.
pub fn dls_domega_hidden<T: Float>(
    w: &Weights<T>,
    fwd: &Forward<T>,
    k: usize,
    i: usize,
    j: usize,
) -> T {
    assert!(
        INPUTS.contains(&i) && HIDDEN.contains(&j) && OUTPUTS.contains(&k),
        "∂L_s{k}/∂ω{i}{j} is not a hidden-layer term: need i in 1..=3, j in 4..=6, \
         k in 7..=9"
    );
    dls_dyhat(fwd, k)
        * dyhat_ddelta(fwd, k)
        * w[(j, k)]
        * dalpha_ddelta(fwd, j)
        * ddelta_domega(fwd, i, j)
}

/// The hidden-layer weight gradient the document leaves unexpanded,
/// `∂L/∂ω_ij = Σ_{k=7..9} ∂L_sk/∂ω_ij`, for `i` in `1..=3`, `j` in `4..=6`: every output's
/// loss depends on every input → hidden weight.
///
/// # Panics
///
/// If `(i, j)` is not an input → hidden pair.
pub fn dl_domega_hidden<T: Float>(w: &Weights<T>, fwd: &Forward<T>, i: usize, j: usize) -> T {
    OUTPUTS.fold(T::zero(), |sum, k| sum + dls_domega_hidden(w, fwd, k, i, j))
}

/// `∂L/∂ω_ij` for any of the 18 weights: [`dls_domega_output`] for a hidden → output
/// weight, [`dl_domega_hidden`] for an input → hidden one. The document's general rule
/// for all `i, j`.
///
/// # Panics
///
/// If no weight joins `i` to `j`.
pub fn dl_domega<T: Float>(w: &Weights<T>, fwd: &Forward<T>, i: usize, j: usize) -> T {
    require_weight(i, j);
    if i <= 3 {
        dl_domega_hidden(w, fwd, i, j)
    } else {
        dls_domega_output(fwd, i, j)
    }
}

/// The full gradient `∂L/∂ω` of `L = L_s7 + L_s8 + L_s9` with respect to all 18
/// weights, by the document's closed forms at the weights `w` that produced `fwd`.
pub fn gradient<T: Float>(w: &Weights<T>, fwd: &Forward<T>) -> Weights<T> {
    Weights::from_fn(|i, j| dl_domega(w, fwd, i, j))
}

/// One step of plain gradient descent, `ω̂_ij = ω_ij − η ∂L/∂ω_ij`, for all 18 weights
/// at once: every `ω̂` comes from the old `ω` and the gradient, never from another `ω̂`.
pub fn descend<T: Float>(w: &Weights<T>, gradient: &Weights<T>, eta: T) -> Weights<T> {
    w.zip_map(gradient, |omega, g| omega - eta * g)
}

/// The document's update for one sample: the forward pass at the current weights, then
///
/// ```text
/// ω̂_ij = ω_ij − η (ŷ_j − y_j) · ŷ_j (1 − ŷ_j) · α_i,   i = 4,5,6   j = 7,8,9
/// ω̂_ij = ω_ij − η Σ_{k=7..9} ∂L_sk/∂ω_ij,             i = 1,2,3   j = 4,5,6
/// ```
///
/// with every factor evaluated at the current weights (in particular the hidden-layer
/// sum uses the old `ω_jk`, not `ω̂_jk`).
pub fn update<T: Float>(w: &Weights<T>, s: &Sample<T>, eta: T) -> Weights<T> {
    let fwd = forward(w, s);
    descend(w, &gradient(w, &fwd), eta)
}

/// Panics unless a weight joins `i` to `j`.
fn require_weight(i: usize, j: usize) {
    assert!(
        super::slot(i, j).is_some(),
        "ω{i}{j} is not a weight of the document's network: ω_ij joins i in 1..=3 to \
         j in 4..=6, or i in 4..=6 to j in 7..=9"
    );
}

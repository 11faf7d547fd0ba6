//! The document worked through on concrete numbers: forward values, losses, each of the
//! 18 gradients by closed form, tape and central difference side by side, and the
//! update. The computation is here; [`Walkthrough`]'s `Display` is the 80-column text
//! the `gradproof` program prints.

use std::fmt;

use super::error_bounds::{central_difference_bound, closed_form_rounding_bound};
use super::{
    forward, gradient, tape_gradient, update, Forward, Sample, Weights, HIDDEN, INPUTS, OUTPUTS,
    PAIRS,
};
use crate::check::{central_difference, central_step};

/// The built-in numbers: inputs `x = (0.05, 0.10, 0.15)`, targets
/// `y = (0.01, 0.99, 0.50)`, weights rising by 0.05 from `ω14 = 0.15` to `ω36 = 0.55`
/// and from `ω47 = 0.40` to `ω69 = 0.80` (row by row), learning rate `η = 0.5`.
///
/// Small inputs and weights keep every `σ` away from saturation, so each factor of the
/// chain rule is visible in the printed digits; targets near 0 and 1 give losses of
/// both signs of `ŷ − y`.
pub fn example() -> (Weights<f64>, Sample<f64>, f64) {
    let weights = Weights::from_layers(
        [[0.15, 0.20, 0.25], [0.30, 0.35, 0.40], [0.45, 0.50, 0.55]],
        [[0.40, 0.45, 0.50], [0.55, 0.60, 0.65], [0.70, 0.75, 0.80]],
    );
    let sample = Sample::new([0.05, 0.10, 0.15], [0.01, 0.99, 0.50]);
    (weights, sample, 0.5)
}

/// Everything the walkthrough shows, computed once.
#[derive(Clone, Debug)]
pub struct Walkthrough {
    /// The weights `ω` before the update.
    pub weights: Weights<f64>,
    /// The sample `x`, `y`.
    pub sample: Sample<f64>,
    /// The learning rate `η`.
    pub eta: f64,
    /// The forward pass at `weights`.
    pub forward: Forward<f64>,
    /// `∂L/∂ω` by the document's closed forms.
    pub closed_form: Weights<f64>,
    /// `∂L/∂ω` by the tape.
    pub tape: Weights<f64>,
    /// `∂L/∂ω` by central differences with the step [`central_step`] of each weight.
    pub central: Weights<f64>,
    /// The bound on `|closed form − tape|` from rounding.
    pub rounding_bound: Weights<f64>,
    /// The bound on `|central difference − ∂L/∂ω|` from the step size, plus the
    /// rounding bound (the tape itself is only that close to the exact gradient).
    pub central_bound: Weights<f64>,
    /// `ω̂ = ω − η ∂L/∂ω` by the document's update.
    pub updated: Weights<f64>,
    /// The forward pass at `updated`, to show the loss went down.
    pub after: Forward<f64>,
}

impl Walkthrough {
    /// Works the document through at `weights`, `sample` and `eta`.
    pub fn new(weights: Weights<f64>, sample: Sample<f64>, eta: f64) -> Self {
        let fwd = forward(&weights, &sample);
        let loss = |flat: &[f64]| match Weights::from_slice(flat) {
            Some(w) => forward(&w, &sample).loss(),
            None => f64::NAN,
        };
        let flat = weights.as_array();
        let central = Weights::from_fn(|i, j| {
            let s = super::slot(i, j).unwrap_or_default();
            central_difference(loss, flat, s, central_step(flat[s]))
        });
        let rounding_bound = closed_form_rounding_bound(&weights, &fwd);
        let central_bound = Weights::from_fn(|i, j| {
            let h = central_step(weights[(i, j)]);
            central_difference_bound(&weights, &fwd, i, j, h) + rounding_bound[(i, j)]
        });
        let updated = update(&weights, &sample, eta);
        Walkthrough {
            weights,
            sample,
            eta,
            forward: fwd,
            closed_form: gradient(&weights, &fwd),
            tape: tape_gradient(&weights, &sample),
            central,
            rounding_bound,
            central_bound,
            updated,
            after: forward(&updated, &sample),
        }
    }

    /// The walkthrough of the built-in numbers of [`example`].
    pub fn example() -> Self {
        let (weights, sample, eta) = example();
        Self::new(weights, sample, eta)
    }

    /// `max |closed form − tape|` over the 18 weights (NaN if any is NaN).
    pub fn max_closed_tape_difference(&self) -> f64 {
        max_difference(&self.closed_form, &self.tape)
    }

    /// `max |tape − central difference|` over the 18 weights (NaN if any is NaN).
    pub fn max_tape_central_difference(&self) -> f64 {
        max_difference(&self.tape, &self.central)
    }

    /// The weights where the closed form and the tape differ by more than the
    /// rounding bound, or either is not finite.
    pub fn closed_tape_disagreements(&self) -> Vec<(usize, usize)> {
        disagreements(&self.closed_form, &self.tape, &self.rounding_bound)
    }

    /// The weights where the tape and the central difference differ by more than the
    /// step-size bound, or either is not finite.
    pub fn tape_central_disagreements(&self) -> Vec<(usize, usize)> {
        disagreements(&self.tape, &self.central, &self.central_bound)
    }

    /// Whether all three agree on every weight within their bounds.
    pub fn agrees(&self) -> bool {
        self.closed_tape_disagreements().is_empty() && self.tape_central_disagreements().is_empty()
    }
}

fn max_difference(a: &Weights<f64>, b: &Weights<f64>) -> f64 {
    PAIRS
        .iter()
        .map(|&p| (a[p] - b[p]).abs())
        .fold(0.0, |m: f64, d| {
            if d.is_nan() || m.is_nan() {
                f64::NAN
            } else {
                m.max(d)
            }
        })
}

fn disagreements(a: &Weights<f64>, b: &Weights<f64>, bound: &Weights<f64>) -> Vec<(usize, usize)> {
    PAIRS
        .iter()
        .copied()
        .filter(|&p| !within((a[p] - b[p]).abs(), bound[p]))
        .collect()
}

/// `difference ≤ bound`, false when either is NaN: a NaN is never a pass.
fn within(difference: f64, bound: f64) -> bool {
    matches!(
        difference.partial_cmp(&bound),
        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
    )
}

/// Names the weights of a list, `ω14, ω25`.
fn names(pairs: &[(usize, usize)]) -> String {
    let names: Vec<String> = pairs.iter().map(|(i, j)| format!("ω{i}{j}")).collect();
    names.join(", ")
}

/// The walkthrough as text, at most 80 columns wide.
impl fmt::Display for Walkthrough {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, s, fwd) = (&self.weights, &self.sample, &self.forward);
        writeln!(f, "The document's 3-3-3 sigmoid network, worked through")?;
        writeln!(
            f,
            "  inputs x1..x3 → hidden δ4..δ6, α4..α6 → outputs δ7..δ9, ŷ7..ŷ9"
        )?;
        writeln!(
            f,
            "  σ(x) = 1/(1 + e^(−x)), L_sk = ½ (y_k − ŷ_k)², no biases"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "Inputs    x1 = {:<10} x2 = {:<10} x3 = {}",
            s.x(1),
            s.x(2),
            s.x(3)
        )?;
        writeln!(
            f,
            "Targets   y7 = {:<10} y8 = {:<10} y9 = {}",
            s.y(7),
            s.y(8),
            s.y(9)
        )?;
        writeln!(f, "Rate      η  = {}", self.eta)?;
        writeln!(f)?;
        writeln!(f, "Weights ω_ij, from neuron i to neuron j")?;
        for i in INPUTS.chain(HIDDEN) {
            let layer = if i <= 3 { HIDDEN } else { OUTPUTS };
            let row: Vec<String> = layer
                .map(|j| format!("ω{i}{j} = {:<10}", w[(i, j)]))
                .collect();
            writeln!(f, "  {}", row.join("  ").trim_end())?;
        }
        writeln!(f)?;
        writeln!(f, "Forward pass")?;
        for j in HIDDEN {
            writeln!(
                f,
                "  δ{j} = ω1{j} x1 + ω2{j} x2 + ω3{j} x3 = {:<15.12}  α{j} = σ(δ{j}) = {:.12}",
                fwd.delta(j),
                fwd.alpha(j)
            )?;
        }
        for k in OUTPUTS {
            writeln!(
                f,
                "  δ{k} = ω4{k} α4 + ω5{k} α5 + ω6{k} α6 = {:<15.12}  ŷ{k} = σ(δ{k}) = {:.12}",
                fwd.delta(k),
                fwd.yhat(k)
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Losses")?;
        for k in OUTPUTS {
            writeln!(f, "  L_s{k} = ½ (y{k} − ŷ{k})²    = {:.15e}", fwd.loss_s(k))?;
        }
        writeln!(f, "  L = L_s7 + L_s8 + L_s9 = {:.15e}", fwd.loss())?;
        writeln!(f)?;
        writeln!(f, "Gradients ∂L/∂ω_ij")?;
        writeln!(
            f,
            "  {:<4} {:>23} {:>23} {:>23}",
            "", "closed form", "tape", "central difference"
        )?;
        for &(i, j) in &PAIRS {
            writeln!(
                f,
                "  ω{i}{j}  {:>+23.15e} {:>+23.15e} {:>+23.15e}",
                self.closed_form[(i, j)],
                self.tape[(i, j)],
                self.central[(i, j)]
            )?;
        }
        let closed_tape = self.closed_tape_disagreements();
        let tape_central = self.tape_central_disagreements();
        writeln!(
            f,
            "  max |closed form − tape|        = {:.1e}  {}",
            self.max_closed_tape_difference(),
            verdict(&closed_tape, "rounding")
        )?;
        writeln!(
            f,
            "  max |tape − central difference| = {:.1e}  {}",
            self.max_tape_central_difference(),
            verdict(&tape_central, "step-size")
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "Update ω̂_ij = ω_ij − η ∂L/∂ω_ij, η = {}, every factor at the current ω",
            self.eta
        )?;
        for pair in PAIRS.chunks(2) {
            let row: Vec<String> = pair
                .iter()
                .map(|&(i, j)| {
                    format!(
                        "ω{i}{j} {:<6} → ω̂{i}{j} {:<19.15}",
                        w[(i, j)],
                        self.updated[(i, j)]
                    )
                })
                .collect();
            writeln!(f, "  {}", row.join(" ").trim_end())?;
        }
        writeln!(f)?;
        writeln!(f, "L before the update = {:.15e}", fwd.loss())?;
        writeln!(f, "L after the update  = {:.15e}", self.after.loss())
    }
}

/// "each within its rounding bound", or the weights that are not.
fn verdict(outside: &[(usize, usize)], kind: &str) -> String {
    if outside.is_empty() {
        format!("(each within its {kind} bound)")
    } else {
        format!("(OUTSIDE the {kind} bound: {})", names(outside))
    }
}

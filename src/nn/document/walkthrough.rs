//! The document worked through on concrete numbers: forward values, losses, each of the
//! 18 gradients by closed form, tape, central difference and symbolic derivative side
//! by side, every claim of `examples/seed.grad` verified, and the update. The
//! computation is here; [`Walkthrough`]'s `Display` is the 80-column text the
//! `gradproof` program prints.

use std::fmt;

use super::error_bounds::{central_difference_bound, closed_form_rounding_bound};
use super::symbolic::{self, group_claims, SEED_GRAD_PATH};
use super::{
    forward, gradient, tape_gradient, update, Forward, Sample, Weights, HIDDEN, INPUTS, OUTPUTS,
    PAIRS,
};
use crate::check::{central_difference, central_step};
use crate::expr::{summary, ClaimReport, Program, Verdict};

/// How many times its first-order error-model bound a symbolic derivative's value may
/// be off (the factor the claims of [`expr`](crate::expr) use: second-order terms and
/// the library functions' accuracy).
const SYMBOLIC_SAFETY: f64 = 4.0;

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
    /// `∂L/∂ω` by the simplified symbolic derivative of `examples/seed.grad`'s loss.
    pub symbolic: Weights<f64>,
    /// The bound on `|symbolic − tape|`: four times the symbolic value's first-order
    /// rounding bound, plus the rounding bound (which covers the tape's own rounding).
    pub symbolic_bound: Weights<f64>,
    /// The simplified symbolic derivatives `∂L/∂ω_ij` as text, in the order of
    /// [`PAIRS`].
    pub symbolic_text: Vec<String>,
    /// `examples/seed.grad`, parsed.
    pub seed: Program,
    /// The verification of every claim of `examples/seed.grad`.
    pub claims: Vec<ClaimReport>,
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
        let mut seed = symbolic::seed_program();
        let by_symbols = symbolic::symbolic_gradient(&mut seed, &weights, &sample, eta);
        let symbolic_bound = Weights::from_fn(|i, j| {
            SYMBOLIC_SAFETY * by_symbols.values[(i, j)].1 + rounding_bound[(i, j)]
        });
        let claims = seed.verify();
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
            symbolic: by_symbols.values.map(|(value, _)| value),
            symbolic_bound,
            symbolic_text: by_symbols.text,
            seed,
            claims,
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

    /// `max |symbolic − tape|` over the 18 weights (NaN if any is NaN).
    pub fn max_symbolic_tape_difference(&self) -> f64 {
        max_difference(&self.symbolic, &self.tape)
    }

    /// The weights where the symbolic derivative and the tape differ by more than the
    /// symbolic bound, or either is not finite.
    pub fn symbolic_tape_disagreements(&self) -> Vec<(usize, usize)> {
        disagreements(&self.symbolic, &self.tape, &self.symbolic_bound)
    }

    /// The claims of `examples/seed.grad` that do not hold (failed or undecided).
    pub fn claims_not_holding(&self) -> Vec<&ClaimReport> {
        self.claims.iter().filter(|r| !r.verdict.holds()).collect()
    }

    /// Whether all four agree on every weight within their bounds, and every claim of
    /// `examples/seed.grad` holds.
    pub fn agrees(&self) -> bool {
        self.closed_tape_disagreements().is_empty()
            && self.tape_central_disagreements().is_empty()
            && self.symbolic_tape_disagreements().is_empty()
            && self.claims_not_holding().is_empty()
    }

    /// The walkthrough's last line, its verdict in one sentence: "All four ways agree
    /// ..." with the counts, or "They disagree: ..." naming each pair of ways that
    /// differ beyond its bound (and where) and the claims that do not hold. A reader who
    /// scrolls to the end learns the outcome without reading the tables.
    pub fn verdict_line(&self) -> String {
        let pairs = [
            ("closed form ≠ tape", self.closed_tape_disagreements()),
            (
                "tape ≠ central difference",
                self.tape_central_disagreements(),
            ),
            ("symbolic ≠ tape", self.symbolic_tape_disagreements()),
        ];
        let mut parts: Vec<String> = pairs
            .iter()
            .filter(|(_, outside)| !outside.is_empty())
            .map(|(what, outside)| format!("{what} at {}", first_names(outside)))
            .collect();
        let failing = self.claims_not_holding().len();
        if failing > 0 {
            parts.push(format!(
                "{failing} of {} claims do not hold",
                self.claims.len()
            ));
        }
        if !parts.is_empty() {
            return format!("They disagree: {}.", parts.join("; "));
        }
        let proved = self
            .claims
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Proved { .. }))
            .count();
        let claims = match self.claims.len() - proved {
            0 => format!("all {proved} claims are proved"),
            tested => format!(
                "all {} claims hold ({proved} proved, {tested} tested)",
                self.claims.len()
            ),
        };
        format!(
            "All four ways agree on all {} gradients, and {claims}.",
            PAIRS.len()
        )
    }
}

/// The first three weights of a list by name, and how many more there are.
fn first_names(pairs: &[(usize, usize)]) -> String {
    const SHOWN: usize = 3;
    let shown = names(&pairs[..pairs.len().min(SHOWN)]);
    match pairs.len().saturating_sub(SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
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
        writeln!(
            f,
            "Symbolic derivatives of {SEED_GRAD_PATH}'s loss, simplified (2 of 18)"
        )?;
        for (i, j) in [(4, 7), (1, 4)] {
            let slot = super::slot(i, j).unwrap_or_default();
            let text = self.symbolic_text.get(slot).map_or("", String::as_str);
            write_terms(f, &format!("  ∂L/∂ω{i}{j} = "), text)?;
        }
        writeln!(f)?;
        writeln!(f, "Gradients ∂L/∂ω_ij, four ways")?;
        writeln!(
            f,
            "  {:<3} {:>17} {:>17} {:>17} {:>17}",
            "", "closed form", "tape", "central diff.", "symbolic"
        )?;
        for &(i, j) in &PAIRS {
            writeln!(
                f,
                "  ω{i}{j} {:>+17.11e} {:>+17.11e} {:>+17.11e} {:>+17.11e}",
                self.closed_form[(i, j)],
                self.tape[(i, j)],
                self.central[(i, j)],
                self.symbolic[(i, j)]
            )?;
        }
        let closed_tape = self.closed_tape_disagreements();
        let tape_central = self.tape_central_disagreements();
        let symbolic_tape = self.symbolic_tape_disagreements();
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
        writeln!(
            f,
            "  max |symbolic − tape|           = {:.1e}  {}",
            self.max_symbolic_tape_difference(),
            verdict(&symbolic_tape, "error-model")
        )?;
        writeln!(f)?;
        self.write_claims(f)?;
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
        writeln!(f, "L after the update  = {:.15e}", self.after.loss())?;
        writeln!(f)?;
        writeln!(f, "{}", self.verdict_line())
    }
}

impl Walkthrough {
    /// The claims of seed.grad: one row per claim as written (a template's expansions
    /// counted on its row), wrapped to 80 columns, and the report of any claim that
    /// does not hold.
    fn write_claims(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Claims of {SEED_GRAD_PATH} (gradproof check {SEED_GRAD_PATH})"
        )?;
        for group in group_claims(&self.seed, &self.claims) {
            let kind = match group.reports[0].verdict {
                Verdict::Proved { .. } => "proved",
                Verdict::Holds { .. } => "tested",
                Verdict::Fails(_) => "FAILS",
                Verdict::Undecided { .. } => "undecided",
            };
            let count = match group.reports.len() {
                1 => String::new(),
                n => format!(" ×{n}"),
            };
            let lead = format!("  line {:<3} {:<10}", group.line, format!("{kind}{count}"));
            write_wrapped(f, &lead, &group.statement)?;
            for report in group.reports.iter().filter(|r| !r.verdict.holds()) {
                for line in report.to_string().lines() {
                    writeln!(f, "    {line}")?;
                }
            }
        }
        writeln!(f, "  {}", summary(&self.claims))
    }
}

/// Writes `lead` and `text`, breaking `text` at spaces so that no line passes 80
/// columns; continuation lines are indented to the text's start.
fn write_wrapped(f: &mut fmt::Formatter<'_>, lead: &str, text: &str) -> fmt::Result {
    let indent = lead.chars().count();
    let width = WIDTH.saturating_sub(indent).max(20);
    let mut line = String::new();
    let mut first = true;
    for word in text.split(' ') {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !line.is_empty() && !fits {
            let prefix = if first {
                lead.to_string()
            } else {
                " ".repeat(indent)
            };
            writeln!(f, "{prefix}{line}")?;
            first = false;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let prefix = if first {
        lead.to_string()
    } else {
        " ".repeat(indent)
    };
    writeln!(f, "{prefix}{line}")
}

/// Writes `lead` and a sum, one term per line when it passes 80 columns: continuation
/// lines start with `+` (or `-`) under the `=` of `lead`.
fn write_terms(f: &mut fmt::Formatter<'_>, lead: &str, sum: &str) -> fmt::Result {
    if lead.chars().count() + sum.chars().count() <= WIDTH {
        return writeln!(f, "{lead}{sum}");
    }
    let equals = lead.chars().count().saturating_sub(2);
    let mut terms = split_terms(sum).into_iter();
    writeln!(f, "{lead}{}", terms.next().unwrap_or_default())?;
    for term in terms {
        let (sign, term) = term.split_at(1);
        write_wrapped(
            f,
            &format!("{}{sign} ", " ".repeat(equals)),
            term.trim_start(),
        )?;
    }
    Ok(())
}

/// The terms of a sum at its top level (outside parentheses), each after the first
/// starting with its `+` or `-`.
fn split_terms(sum: &str) -> Vec<String> {
    let mut terms = vec![String::new()];
    let mut depth = 0i32;
    let mut rest = sum;
    while let Some(c) = rest.chars().next() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && (rest.starts_with(" + ") || rest.starts_with(" - ")) {
            terms.push(rest[1..2].to_string());
            rest = &rest[2..];
            continue;
        }
        if let Some(last) = terms.last_mut() {
            last.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    terms
}

/// The width the walkthrough keeps to.
const WIDTH: usize = 80;

/// "each within its rounding bound", or the weights that are not.
fn verdict(outside: &[(usize, usize)], kind: &str) -> String {
    if outside.is_empty() {
        format!("(each within its {kind} bound)")
    } else {
        format!("(OUTSIDE the {kind} bound: {})", names(outside))
    }
}

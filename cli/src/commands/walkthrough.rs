//! `gradproof` with no command: the document's 3-3-3 network walked through on built-in
//! numbers (see `gradproof::nn::document::walkthrough`), as text or, with `--json`, as
//! one JSON document.

use std::collections::BTreeMap;

use gradproof::nn::document::walkthrough::Walkthrough;
use gradproof::nn::document::{Weights, HIDDEN, INPUTS, OUTPUTS, PAIRS};
use serde::Serialize;

use super::check::report::{claim_json, ClaimJson};
use crate::error::{CliError, Outcome};

/// Prints the walkthrough; fails only if the crate's own paths disagree.
pub fn run(json: bool) -> Outcome {
    let walkthrough = Walkthrough::example();
    if json {
        crate::output::print_json(&Document::of(&walkthrough))?;
    } else {
        out!("{walkthrough}");
    }
    if walkthrough.agrees() {
        Ok(0)
    } else {
        // Only a bug in the crate gets here: say so rather than exit as if all agreed.
        Err(CliError {
            message: "the closed form, the tape, the central differences and the symbolic \
                      derivatives disagree, or a claim of examples/seed.grad does not hold \
                      (see above)"
                .into(),
            hint: Some("this is a bug in gradproof; please report it".into()),
            code: crate::error::EXIT_CHECK_FAILED,
        })
    }
}

/// The `--json` document: every number the text shows, keyed by the document's names.
#[derive(Serialize)]
struct Document<'a> {
    /// `x1..x3`, `y7..y9`.
    inputs: BTreeMap<String, f64>,
    targets: BTreeMap<String, f64>,
    eta: f64,
    /// `w14..w69` before the update.
    weights: BTreeMap<String, f64>,
    /// `delta4..delta9`, `alpha4..alpha6`, `yhat7..yhat9`.
    forward: BTreeMap<String, f64>,
    /// `L_s7..L_s9` and `L`.
    losses: BTreeMap<String, f64>,
    /// Per weight: the four ways and the bounds their differences were held to.
    gradient: BTreeMap<String, Gradient>,
    claims: Vec<ClaimJson<'a>>,
    /// `ω̂` by the document's update, and the loss after it.
    updated: BTreeMap<String, f64>,
    loss_after: f64,
    /// Whether every way agreed within its bound and every claim holds.
    agrees: bool,
}

#[derive(Serialize)]
struct Gradient {
    closed_form: f64,
    tape: f64,
    central_difference: f64,
    symbolic: f64,
    rounding_bound: f64,
    central_bound: f64,
    symbolic_bound: f64,
}

impl<'a> Document<'a> {
    fn of(w: &'a Walkthrough) -> Self {
        let fwd = &w.forward;
        let named = |prefix: &str, ids: &[usize], value: &dyn Fn(usize) -> f64| {
            ids.iter()
                .map(|&n| (format!("{prefix}{n}"), value(n)))
                .collect::<BTreeMap<_, _>>()
        };
        let inputs: Vec<usize> = INPUTS.collect();
        let hidden: Vec<usize> = HIDDEN.collect();
        let outputs: Vec<usize> = OUTPUTS.collect();
        let neurons: Vec<usize> = HIDDEN.chain(OUTPUTS).collect();
        let by_weight = |weights: &Weights<f64>| {
            PAIRS
                .iter()
                .map(|&(i, j)| (format!("w{i}{j}"), weights[(i, j)]))
                .collect::<BTreeMap<_, _>>()
        };
        let mut forward = named("delta", &neurons, &|n| fwd.delta(n));
        forward.extend(named("alpha", &hidden, &|n| fwd.alpha(n)));
        forward.extend(named("yhat", &outputs, &|n| fwd.yhat(n)));
        let mut losses = named("L_s", &outputs, &|k| fwd.loss_s(k));
        losses.insert("L".into(), fwd.loss());
        Document {
            inputs: named("x", &inputs, &|i| fwd.x(i)),
            targets: named("y", &outputs, &|k| fwd.y(k)),
            eta: w.eta,
            weights: by_weight(&w.weights),
            forward,
            losses,
            gradient: PAIRS
                .iter()
                .map(|&(i, j)| {
                    let g = Gradient {
                        closed_form: w.closed_form[(i, j)],
                        tape: w.tape[(i, j)],
                        central_difference: w.central[(i, j)],
                        symbolic: w.symbolic[(i, j)],
                        rounding_bound: w.rounding_bound[(i, j)],
                        central_bound: w.central_bound[(i, j)],
                        symbolic_bound: w.symbolic_bound[(i, j)],
                    };
                    (format!("w{i}{j}"), g)
                })
                .collect(),
            claims: w
                .claims
                .iter()
                .map(|r| claim_json("examples/seed.grad", r))
                .collect(),
            updated: by_weight(&w.updated),
            loss_after: w.after.loss(),
            agrees: w.agrees(),
        }
    }
}

//! `gradproof` with no arguments: the document's 3-3-3 network walked through on
//! built-in numbers (see `gradproof::nn::document::walkthrough`).

use gradproof::nn::document::walkthrough::Walkthrough;

use crate::error::{CliError, Outcome};

/// Prints the walkthrough; fails only if the crate's own paths disagree.
pub fn run() -> Outcome {
    let walkthrough = Walkthrough::example();
    out!("{walkthrough}");
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

//! The `.grad` parser on any text: parsing must end in a program or an error with a
//! line and column, never a panic; a program that parses is then verified, as
//! `gradproof check` verifies it, and its loss differentiated, printed and drawn, as
//! `diff` and `dot` do, with the work capped so that one input cannot take the whole
//! run.

#![no_main]

use gradproof::expr::{self, VerifyOptions};
use libfuzzer_sys::fuzz_target;

/// Programs with more nodes than this are parsed but not verified: verifying is
/// polynomial in the nodes, and a fuzz input should take milliseconds.
const MAX_VERIFIED_NODES: usize = 4_000;
/// Claims verified per input, for the same reason.
const MAX_VERIFIED_CLAIMS: usize = 8;

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = std::str::from_utf8(bytes) else {
        return;
    };
    let program = match expr::parse_named("fuzz.grad", source) {
        Ok(program) => program,
        Err(error) => {
            // Every error prints (line, column, caret) without panicking.
            let _ = error.to_string();
            return;
        }
    };
    if program.node_count() > MAX_VERIFIED_NODES || program.claims().len() > MAX_VERIFIED_CLAIMS {
        return;
    }
    let options = VerifyOptions {
        points: 4,
        ..VerifyOptions::default()
    };
    for report in program.verify_with(options) {
        let _ = report.to_string();
    }
    // `diff FILE --wrt NAME` for the first leaf, and `dot FILE`.
    let mut program = program;
    let (Some(loss), Some(leaf)) = (program.loss().cloned(), program.leaves().first().cloned())
    else {
        return;
    };
    if let Ok(derivative) = program.derivative(&loss.name, &leaf.name) {
        let _ = program.text(derivative);
        let _ = program.latex(derivative);
        let _ = program.value(derivative);
    }
    let _ = program.dot(loss.expr);
});

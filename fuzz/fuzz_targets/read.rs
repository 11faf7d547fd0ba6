//! The document reader on any UTF-8 text, as Markdown and as LaTeX: extraction, the
//! LaTeX parse, names, ranges and the generated program must end in a reading or an
//! error, never a panic; what it reads must parse again as the `.grad` it printed, and
//! small readings are verified (two random points, to keep each input quick).
#![no_main]
use gradproof::expr::VerifyOptions;
use gradproof::read::{program_text, read, Flavor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A NUL splits the input into a document and its notes.
    let (doc, notes) = match text.split_once('\0') {
        Some((d, n)) => (d, Some(n)),
        None => (text, None),
    };
    for flavor in [Flavor::Markdown, Flavor::Latex] {
        let _ = program_text(doc, notes, flavor);
        if let Ok(reading) = read(doc, notes, flavor) {
            // `gradproof read` prints this text for people to keep: it must parse.
            assert!(gradproof::expr::parse(&reading.grad).is_ok());
            if reading.grad.len() < 20_000 {
                let _ = reading.verify_with(VerifyOptions {
                    points: 2,
                    ..Default::default()
                });
            }
        }
    }
});

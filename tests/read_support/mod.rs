//! What the reader's tests share: reading a Markdown snippet, and each claim's line with
//! whether it holds.

use gradproof::read::{read, Flavor, Reading};

/// `text` read as Markdown; a read error fails the test with its message.
pub fn md(text: &str) -> Reading {
    read(text, None, Flavor::Markdown).unwrap_or_else(|e| panic!("{e}"))
}

/// (line, holds) of every claim.
pub fn verdicts(reading: &Reading) -> Vec<(usize, bool)> {
    reading
        .verify()
        .iter()
        .map(|r| (r.claim.line, r.verdict.holds()))
        .collect()
}

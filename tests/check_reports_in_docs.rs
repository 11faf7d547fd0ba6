//! The reports `docs/check.md` shows (its ```` ```text ```` blocks) are the reports the
//! check engine prints for `examples/check_your_gradient.rs`'s buggy gradient: each
//! block is the report's first lines, then `…`. `cli/tests/docs.rs` lets ```text
//! blocks into `docs/check.md` alone, because this test runs them.

#[allow(dead_code)] // The example's `main` is not called here.
#[path = "../examples/check_your_gradient.rs"]
mod example;

use example::Neuron;
use gradproof::check::{self, Checker};
use gradproof::dual::Function;

/// The ```text blocks of `docs/check.md`, in order.
fn text_blocks() -> Vec<String> {
    let doc = include_str!("../docs/check.md");
    let mut blocks = Vec::new();
    let mut open: Option<String> = None;
    for line in doc.lines() {
        match (&mut open, line) {
            (None, "```text") => open = Some(String::new()),
            (Some(_), "```") => blocks.extend(open.take()),
            (Some(block), line) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Whether `block` is the first lines of `report` followed by a line `…` (spaces at
/// the ends aside).
fn shows_the_start_of(block: &str, report: &str) -> bool {
    let mut lines: Vec<&str> = block.lines().map(str::trim_end).collect();
    if lines.pop().map(str::trim) != Some("…") {
        return false;
    }
    let start: Vec<&str> = report
        .lines()
        .map(str::trim_end)
        .take(lines.len())
        .collect();
    start == lines
}

#[test]
fn check_md_shows_the_reports_the_engine_prints_for_the_buggy_gradient() {
    let neuron = Neuron {
        x: [0.5, -1.2, 2.0],
        y: 1.0,
    };
    let p = [0.3, -0.1, 0.4, 0.05];
    let buggy = neuron.buggy_gradient(&p);
    let plain = |q: &[f64]| neuron.eval(q);
    let reports = [
        Checker::default()
            .yours_vs_differences_of(plain, &p, &buggy)
            .unwrap()
            .to_string(),
        check::yours_vs_tape(&neuron, &p, &buggy)
            .unwrap()
            .to_string(),
        Checker::default()
            .taylor_of_yours_of(plain, &p, &buggy)
            .unwrap()
            .to_string(),
    ];
    let blocks = text_blocks();
    assert_eq!(
        blocks.len(),
        reports.len(),
        "docs/check.md's ```text blocks"
    );
    for (block, report) in blocks.iter().zip(&reports) {
        assert!(
            shows_the_start_of(block, report),
            "docs/check.md shows\n{block}\nbut the engine prints\n{report}"
        );
    }
    // The line the page quotes from the fixed gradient's Taylor test.
    let right = neuron.gradient(&p);
    let fixed = Checker::default()
        .taylor_of_yours_of(plain, &p, &right)
        .unwrap();
    let quoted = "observed order 1.97 (one-sided r), 3.00 (central c): the slope\nalong v is right";
    assert!(include_str!("../docs/check.md").contains(quoted));
    assert!(
        fixed.to_string().contains(&quoted.replace('\n', " ")),
        "{fixed}"
    );
    // And the comparison can fail: another report is not this one's start.
    assert!(!shows_the_start_of(&blocks[0], &reports[1]));
}

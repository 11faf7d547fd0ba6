//! The reader's stages are linear in the document's length: ten times the lines take
//! at most about ten times as long (best of a few runs, a generous factor for a noisy
//! machine). Timed through [`program_text`], the stages without `expr::parse`, which
//! is not yet linear (being made so apart); `benches/read.rs` times both.

use std::time::{Duration, Instant};

use gradproof::read::{program_text, Flavor};

/// A document of `lines` lines: a definition and a claim about its derivative, in
/// turn, each on its own line and in its own display.
fn document(lines: usize) -> String {
    let mut text = String::with_capacity(lines * 60);
    for k in 0..lines / 2 {
        text.push_str(&format!("$$z_{{{k}}} = w_{{{k}}} x_{{{k}}} + b$$\n"));
        text.push_str(&format!(
            "$$\\frac{{\\partial z_{{{k}}}}}{{\\partial w_{{{k}}}}} = x_{{{k}}}$$\n"
        ));
    }
    text
}

fn best_of(runs: usize, text: &str) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let (program, unread) = program_text(text, None, Flavor::Markdown).unwrap();
            let elapsed = start.elapsed();
            assert!(unread.is_empty() && !program.is_empty());
            elapsed
        })
        .min()
        .unwrap()
}

#[test]
fn the_readers_stages_are_linear_in_the_documents_lines() {
    let small = document(1_000);
    let large = document(10_000);
    let (program, _) = program_text(&large, None, Flavor::Markdown).unwrap();
    assert_eq!(
        program.lines().filter(|l| l.starts_with("claim ")).count(),
        5_000
    );
    let (a, b) = (best_of(3, &small), best_of(3, &large));
    let ratio = b.as_secs_f64() / a.as_secs_f64();
    eprintln!("1,000 lines: {a:?}, 10,000 lines: {b:?}, ratio {ratio:.1}");
    assert!(
        ratio <= 20.0,
        "1,000 lines: {a:?}, 10,000 lines: {b:?}, ratio {ratio:.1}"
    );
}

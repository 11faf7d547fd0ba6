//! Reading and checking a document take time linear in its length: ten or sixteen
//! times the lines take about ten or sixteen times as long, not a hundred or 256.
//!
//! Timing on a shared machine is noisy, so each size is timed several times, the
//! median counts, the timed tests take turns (one lock), and the bounds are generous
//! (twice linear growth). Before each claim's passes visited only the nodes it depends
//! on (`Dag::cone`), checking a document was quadratic: every claim swept the whole
//! DAG and copied every leaf's value at each of its test points; eight times the lines
//! took 25 times as long to check, and sixteen times the lines fail the bound here.
//! `benches/read.rs` times such documents at 5,000 to 40,000 lines in a release build.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use gradproof::read::{program_text, read, Flavor};

/// One timed test at a time: two at once would each slow the other.
static TIMING: Mutex<()> = Mutex::new(());

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

/// A document of `blocks` neurons, three lines each: a weighted input, a sigmoid,
/// and a claim about the sigmoid's derivative with respect to the weight (each
/// claim's cone is its own neuron, a dozen nodes, whatever the document's length).
/// The last block's claim misses the factor `x_k`, so that a check that passes
/// everything cannot pass the test.
fn neurons(blocks: usize) -> String {
    let mut text = String::with_capacity(blocks * 150);
    for k in 0..blocks {
        let x = if k + 1 == blocks {
            String::new()
        } else {
            format!(" x_{{{k}}}")
        };
        text.push_str(&format!("$$z_{{{k}}} = w_{{{k}}} x_{{{k}}} + b$$\n"));
        text.push_str(&format!("$$a_{{{k}}} = \\sigma(z_{{{k}}})$$\n"));
        text.push_str(&format!(
            "$$\\frac{{\\partial a_{{{k}}}}}{{\\partial w_{{{k}}}}} = a_{{{k}}}(1 - a_{{{k}}}){x}$$\n"
        ));
    }
    text
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median of `runs` runs of the reader's stages alone.
fn stages(runs: usize, text: &str) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                let (program, unread) = program_text(text, None, Flavor::Markdown).unwrap();
                let elapsed = start.elapsed();
                assert!(unread.is_empty() && !program.is_empty());
                elapsed
            })
            .collect(),
    )
}

/// The medians of `runs` runs of reading, and of checking what was read, as
/// `gradproof check` does.
fn read_and_check(runs: usize, text: &str) -> (Duration, Duration) {
    let (mut reading, mut checking) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let read = read(text, None, Flavor::Markdown).unwrap();
        let middle = Instant::now();
        let reports = read.verify();
        let end = Instant::now();
        std::hint::black_box(reports);
        reading.push(middle - start);
        checking.push(end - middle);
    }
    (median(reading), median(checking))
}

#[test]
fn the_readers_stages_are_linear_in_the_documents_lines() {
    let _turn = TIMING.lock().unwrap_or_else(|e| e.into_inner());
    let small = document(1_000);
    let large = document(10_000);
    let (program, _) = program_text(&large, None, Flavor::Markdown).unwrap();
    assert_eq!(
        program.lines().filter(|l| l.starts_with("claim ")).count(),
        5_000
    );
    let (a, b) = (stages(3, &small), stages(3, &large));
    let ratio = b.as_secs_f64() / a.as_secs_f64();
    eprintln!("1,000 lines: {a:?}, 10,000 lines: {b:?}, ratio {ratio:.1}");
    assert!(
        ratio <= 20.0,
        "1,000 lines: {a:?}, 10,000 lines: {b:?}, ratio {ratio:.1}"
    );
}

#[test]
fn checking_a_document_is_linear_in_its_claims() {
    let small = neurons(50);
    let large = neurons(800);
    let _turn = TIMING.lock().unwrap_or_else(|e| e.into_inner());
    // What is timed gives the right answer: every claim holds but the last, which
    // fails at its line.
    let reading = read(&large, None, Flavor::Markdown).unwrap();
    assert!(reading.unread.is_empty());
    let reports = reading.verify();
    assert_eq!(reports.len(), 800);
    let failed: Vec<usize> = reports
        .iter()
        .filter(|r| !r.verdict.holds())
        .map(|r| r.claim.line)
        .collect();
    assert_eq!(failed, vec![3 * 800]);

    let (a, b) = (read_and_check(3, &small), read_and_check(3, &large));
    // Each stage on its own: the old checking was quadratic, the old reading only
    // mildly so, and their sum could hide the first behind the second.
    for (stage, a, b) in [("read", a.0, b.0), ("checked", a.1, b.1)] {
        let ratio = b.as_secs_f64() / a.as_secs_f64();
        eprintln!("{stage}: 150 lines in {a:?}, 2,400 lines in {b:?}, ratio {ratio:.1}");
        assert!(
            ratio <= 32.0,
            "150 lines {stage} in {a:?}, 2,400 lines in {b:?}: 16 times the lines took \
             {ratio:.1} times as long"
        );
    }
}

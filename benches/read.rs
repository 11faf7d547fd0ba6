//! The document reader: reading and checking the seed (the document gradproof starts
//! from, with its three lines of notes) and the worked example with printed numbers,
//! end to end; the reader's own stages on a generated 10,000-line document; and
//! reading and checking generated documents of 5,000 to 40,000 lines (`read_at_scale`),
//! whose times grow linearly with the lines (tests/read_scaling.rs checks the ratio in
//! every test run).
//!
//! `cargo bench --bench read` runs them all, `cargo bench --bench read -- read_at_scale`
//! one group. Times are the benchmark thread's CPU time ([`support::cpu_time`]), as in
//! the other benchmarks: the machine is shared.

mod support {
    pub mod cpu_time;
}

use std::hint::black_box;
use std::time::Duration;

use criterion::Throughput;
use gradproof::read::{program_text, read, Flavor};
use support::cpu_time::CpuTime;

type Criterion = criterion::Criterion<CpuTime>;

fn file(path: &str) -> Option<String> {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).ok()
}

/// The seed byte for byte, or the project's copy of its math where `../shared` is
/// absent.
fn seed() -> String {
    file("../shared/seed/000_0bb870653632d485.txt")
        .or_else(|| file("examples/document.md"))
        .expect("the seed or examples/document.md")
}

/// `lines` lines: a definition and a claim about its derivative, in turn.
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

/// `lines` lines of neurons, three lines each (as in tests/read_scaling.rs): a
/// weighted input, a sigmoid, and a claim about the sigmoid's derivative with respect
/// to the weight, which holds.
fn neurons(lines: usize) -> String {
    let mut text = String::with_capacity(lines * 50);
    for k in 0..lines / 3 {
        text.push_str(&format!("$$z_{{{k}}} = w_{{{k}}} x_{{{k}}} + b$$\n"));
        text.push_str(&format!("$$a_{{{k}}} = \\sigma(z_{{{k}}})$$\n"));
        text.push_str(&format!(
            "$$\\frac{{\\partial a_{{{k}}}}}{{\\partial w_{{{k}}}}} = a_{{{k}}}(1 - a_{{{k}}}) x_{{{k}}}$$\n"
        ));
    }
    text
}

fn small(c: &mut Criterion) {
    let seed = seed();
    let notes = file("examples/document-notes.md").expect("examples/document-notes.md");
    let worked = file("examples/worked-numbers.md").expect("examples/worked-numbers.md");
    // Nothing is timed that does not give the right answer.
    let reading = read(&seed, Some(&notes), Flavor::Markdown).unwrap();
    assert!(reading.unread.is_empty() && reading.verify().iter().all(|r| r.verdict.holds()));
    let reading = read(&worked, None, Flavor::Markdown).unwrap();
    assert!(reading.verify().iter().all(|r| r.verdict.holds()));

    let mut group = c.benchmark_group("read");
    group.bench_function("seed_read_and_check", |b| {
        b.iter(|| {
            let reading = read(black_box(&seed), Some(&notes), Flavor::Markdown).unwrap();
            reading.verify()
        })
    });
    group.bench_function("worked_numbers_read_and_check", |b| {
        b.iter(|| {
            let reading = read(black_box(&worked), None, Flavor::Markdown).unwrap();
            reading.verify()
        })
    });
    let small = document(1_000);
    group.bench_function("1k_lines_read", |b| {
        b.iter(|| read(black_box(&small), None, Flavor::Markdown).unwrap())
    });
    group.bench_function("1k_lines_stages", |b| {
        b.iter(|| program_text(black_box(&small), None, Flavor::Markdown).unwrap())
    });
    let large = document(10_000);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("10k_lines_stages", |b| {
        b.iter(|| program_text(black_box(&large), None, Flavor::Markdown).unwrap())
    });
    group.finish();
}

fn at_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("read_at_scale");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for lines in [5_000, 10_000, 20_000, 40_000] {
        let text = neurons(lines);
        let reading = read(&text, None, Flavor::Markdown).unwrap();
        let reports = reading.verify();
        assert!(reading.unread.is_empty() && reports.len() == lines / 3);
        assert!(reports.iter().all(|r| r.verdict.holds()));
        group.throughput(Throughput::Elements(lines as u64));
        group.bench_function(format!("{lines}_lines_read_and_check"), |b| {
            b.iter_with_large_drop(|| {
                let reading = read(black_box(&text), None, Flavor::Markdown).unwrap();
                let reports = reading.verify();
                (reading, reports)
            })
        });
    }
    group.finish();
}

fn main() {
    let mut c = criterion::Criterion::default()
        .with_measurement(CpuTime)
        .configure_from_args();
    small(&mut c);
    at_scale(&mut c);
    c.final_summary();
}

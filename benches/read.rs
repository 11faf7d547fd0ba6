//! The document reader: reading and checking the seed (the document gradproof starts
//! from, with its three lines of notes) and the worked example with printed numbers,
//! end to end; and the reader's own stages on a generated 10,000-line document.
//!
//! `cargo bench --bench read` (or `-- read/seed` for one). The end-to-end times include
//! `expr::parse` of the generated program, which is not yet linear in its length (being
//! made so apart), so the 10,000-line document is timed through
//! [`program_text`], the reader's stages alone.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use gradproof::read::{program_text, read, Flavor};

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

fn bench(c: &mut Criterion) {
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

criterion_group!(benches, bench);
criterion_main!(benches);

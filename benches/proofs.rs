//! Proofs at depth: loading and verifying every claim of sigmoid networks 4, 8 and 16
//! layers deep (`tests/deep_network`, 9 claims per layer), the figures the README
//! quotes. Before the identity test, 16 layers took 15 s and 950 MB with 36 of 144
//! claims proved; peak memory is measured outside criterion, with
//! `/usr/bin/time -v gradproof check examples/deep16.grad`.
//!
//! `cargo bench --bench proofs -- depth`

#[path = "../tests/deep_network/mod.rs"]
mod deep_network;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use gradproof::expr::{parse, Verdict};

fn depth(c: &mut Criterion) {
    let mut group = c.benchmark_group("depth");
    group.sample_size(10);
    for layers in [4, 8, 16] {
        let source = deep_network::sigmoid_network(layers);
        // Checked once before timing: every claim proved.
        let reports = parse(&source).expect("the network parses").verify();
        assert!(reports
            .iter()
            .all(|r| matches!(r.verdict, Verdict::Proved { .. })));
        group.bench_with_input(
            BenchmarkId::new("parse_and_verify", layers),
            &source,
            |b, s| {
                b.iter(|| {
                    let program = parse(black_box(s)).expect("parses");
                    black_box(program.verify())
                })
            },
        );
        let program = parse(&source).expect("parses");
        group.bench_with_input(BenchmarkId::new("verify", layers), &program, |b, p| {
            b.iter(|| black_box(p.verify()))
        });
    }
    group.finish();
}

criterion_group!(benches, depth);
criterion_main!(benches);

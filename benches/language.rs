//! Loading `.grad` files: 10,000 and 100,000 statements (a parameter, a definition and
//! a claim in turn), and a megabyte of junk (every line an error). The target is
//! 100,000 statements in under a second; loading is linear, so the 100k time is about
//! ten times the 10k time (tests/expr_loading.rs checks the ratio in every test run).
//!
//! `cargo bench --bench language` runs them all.

#[path = "../tests/language_support/mod.rs"]
mod language_support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gradproof::expr::parse;

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for statements in [10_000, 100_000] {
        let source = language_support::program(statements);
        let count = source.lines().count();
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(format!("{statements}_statements"), |b| {
            b.iter(|| parse(black_box(&source)).expect("valid"))
        });
    }
    let junk = language_support::junk(1 << 20);
    group.throughput(Throughput::Bytes(junk.len() as u64));
    group.bench_function("1_MiB_of_junk", |b| {
        b.iter(|| parse(black_box(&junk)).expect_err("junk"))
    });
    group.finish();
}

criterion_group!(benches, loading);
criterion_main!(benches);

//! Loading `.grad` files: 10,000 and 100,000 statements (a parameter, a definition and
//! a claim in turn), and a megabyte of junk (every line an error). The target is
//! 100,000 statements in under a second; loading is linear, so the 100k time is about
//! ten times the 10k time (tests/expr_loading.rs checks the ratio in every test run).
//! What is timed is loading, text to [`Program`](gradproof::expr::Program): freeing the
//! program afterwards is left out.
//!
//! `cargo bench --bench language` runs them all. Times are the benchmark thread's CPU
//! time ([`support::cpu_time`]), as in the tape's benchmarks: the machine is shared.

mod support {
    pub mod cpu_time;
}
#[path = "../tests/language_support/mod.rs"]
mod language_support;

use std::hint::black_box;
use std::time::Duration;

use criterion::Throughput;
use gradproof::expr::parse;
use support::cpu_time::CpuTime;

type Criterion = criterion::Criterion<CpuTime>;

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for statements in [10_000, 100_000] {
        let source = language_support::program(statements);
        let count = source.lines().count();
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(format!("{statements}_statements"), |b| {
            // Loading only: the program is dropped outside the timing.
            b.iter_with_large_drop(|| parse(black_box(&source)).expect("valid"))
        });
    }
    let junk = language_support::junk(1 << 20);
    group.throughput(Throughput::Bytes(junk.len() as u64));
    group.bench_function("1_MiB_of_junk", |b| {
        b.iter_with_large_drop(|| parse(black_box(&junk)).expect_err("junk"))
    });
    group.finish();
}

fn main() {
    let mut c = criterion::Criterion::default()
        .with_measurement(CpuTime)
        .configure_from_args();
    loading(&mut c);
    c.final_summary();
}

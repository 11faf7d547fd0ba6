//! Loading a `.grad` file takes time linear in its size: ten times the statements (or
//! the junk) take about ten times as long, not a hundred.
//!
//! Timing on a shared machine is noisy, so each size is loaded several times and the
//! fastest run counts, and the bound is generous: 10× the input may take up to 25× the
//! time, where the old quadratic loader (every line number counted from the start of
//! the file) took 100×. The sizes keep the test quick in a debug build.

#[path = "language_support/mod.rs"]
mod language_support;

use std::time::{Duration, Instant};

use gradproof::expr::{parse, MAX_DISPLAYED_ERRORS};

/// The fastest of `runs` loads of `source`.
fn fastest_load(source: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let result = parse(source);
            let elapsed = start.elapsed();
            std::hint::black_box(
                result
                    .map(|p| p.claims().len())
                    .map_err(|e| e.diagnostics().len()),
            )
            .ok();
            elapsed
        })
        .min()
        .expect("at least one run")
}

/// How much longer ten times `make(small)` takes to load than `make(small)`.
fn growth(make: impl Fn(usize) -> String, small: usize) -> f64 {
    let (a, b) = (make(small), make(10 * small));
    // Warm up allocator and caches before timing.
    fastest_load(&a, 1);
    let t_small = fastest_load(&a, 7);
    let t_large = fastest_load(&b, 3);
    t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9)
}

/// 10× the input in at most this many times the time: linear is 10, quadratic 100.
const LINEAR_BOUND: f64 = 25.0;

#[test]
fn loading_is_linear_in_statements() {
    let p = parse(&language_support::program(3000)).expect("the generated program is valid");
    assert_eq!(p.claims().len(), 1000);
    let ratio = growth(language_support::program, 3000);
    println!("10x the statements took {ratio:.1}x the time");
    assert!(
        ratio <= LINEAR_BOUND,
        "10x the statements took {ratio:.1}x the time: loading is not linear"
    );
}

#[test]
fn loading_junk_is_linear_in_its_size() {
    let e = parse(&language_support::junk(20_000)).expect_err("junk is not a program");
    assert!(
        e.diagnostics().len() > 500,
        "every line of junk is an error"
    );
    let ratio = growth(language_support::junk, 50_000);
    println!("10x the junk took {ratio:.1}x the time");
    assert!(
        ratio <= LINEAR_BOUND,
        "10x the junk took {ratio:.1}x the time: loading is not linear"
    );
}

#[test]
fn five_megabytes_of_junk_load_in_seconds_and_display_at_most_twenty_errors() {
    let junk = language_support::junk(5 << 20);
    let start = Instant::now();
    let e = parse(&junk).expect_err("junk is not a program");
    let elapsed = start.elapsed();
    let lines = junk.lines().count();
    assert_eq!(e.diagnostics().len(), lines, "one error per line of junk");
    let shown = e.to_string();
    assert_eq!(shown.matches("error: ").count(), MAX_DISPLAYED_ERRORS);
    assert!(
        shown.ends_with(&format!("and {} more errors", lines - MAX_DISPLAYED_ERRORS)),
        "{}",
        &shown[shown.len().saturating_sub(200)..]
    );
    assert!(
        shown.len() < 20_000,
        "bounded output: {} bytes",
        shown.len()
    );
    // Minutes before; a debug build takes a few seconds on a loaded machine.
    println!("5 MB of junk ({lines} lines) loaded in {elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(60),
        "5 MB of junk took {elapsed:?}"
    );
}

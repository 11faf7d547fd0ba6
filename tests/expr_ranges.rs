//! Index ranges whose bounds are index arithmetic: `sum(j in 2*k+1..2*k+2, ...)` inside
//! a template, `for i in 1..3, j in i..3:` (a bound may use the indices bound before
//! it). Bounds are evaluated in each expansion; a bound below 0, an unbound index or an
//! empty range is an error at the bound, with its line and column.

use gradproof::expr::{parse, ErrorKind, Verdict};
use proptest::prelude::*;

fn verdicts(source: &str) -> Vec<(String, bool)> {
    let program = parse(source).unwrap_or_else(|e| panic!("{e}"));
    program
        .verify()
        .into_iter()
        .map(|r| {
            let proved = matches!(r.verdict, Verdict::Proved { .. });
            let failed = matches!(r.verdict, Verdict::Fails(_));
            assert!(proved || failed, "neither proved nor failed: {r}");
            (r.claim.text.clone(), proved)
        })
        .collect()
}

#[test]
fn a_sum_whose_bounds_are_index_arithmetic_sums_the_block_it_names() {
    let source = "\
for i in 1..6: param w{i} = 0.1
for k in 0..2: s{k} = sum(j in 2*k+1..2*k+2, w{j})
claim s0 = w1 + w2
claim s1 = w3 + w4
claim s2 = w5 + w6
claim s1 = w3 + w4 + w5
";
    let v = verdicts(source);
    assert_eq!(
        v.iter().map(|(_, p)| *p).collect::<Vec<_>>(),
        [true, true, true, false]
    );
}

#[test]
fn a_template_binding_may_use_the_indices_bound_before_it() {
    // The upper triangle: i ≤ j, six pairs of 1..3.
    let source = "\
for i in 1..3, j in i..3: input p{i}{j} = 1
t = sum(i in 1..3, sum(j in i..3, p{i}{j}))
claim t = p11 + p12 + p13 + p22 + p23 + p33
claim t = p11 + p12 + p13 + p22 + p23
for k in 1..2, m in k+1..k+1: claim grad(t, p{k}{m}) = 1
";
    let v = verdicts(source);
    assert_eq!(v.len(), 4, "{v:?}");
    assert!(v[0].1 && !v[1].1, "{v:?}");
    // The template expands to (k, m) = (1, 2), (2, 3), each claim named as expanded.
    assert_eq!(v[2], ("claim grad(t, p12) = 1".into(), true));
    assert_eq!(v[3], ("claim grad(t, p23) = 1".into(), true));
}

#[test]
fn a_constant_bound_may_be_written_as_arithmetic_and_a_lower_bound_may_be_negative_arithmetic_that_ends_at_zero_or_above(
) {
    let source = "\
input x = 2
claim sum(k in 2*3-6..1+1, x^k) = 1 + x + x^2
claim sum(k in -1+1..2, x^k) = 1 + x + x^2 + x^3
";
    let v = verdicts(source);
    assert_eq!(v.iter().map(|(_, p)| *p).collect::<Vec<_>>(), [true, false]);
}

/// The first error of `source`: its kind, message, line and column.
fn error(source: &str) -> (ErrorKind, String, usize, usize) {
    let e = parse(source).expect_err(source);
    let d = &e.diagnostics()[0];
    (
        d.kind(),
        d.to_string(),
        d.position().line,
        d.position().column,
    )
}

#[test]
fn a_bound_below_zero_is_an_error_at_the_bound_naming_the_expansion() {
    let (kind, message, line, column) =
        error("input x = 1\nfor k in 0..1: s{k} = sum(j in 2*k-1..k, x)\n");
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(message.contains("`2*k-1` is -1 here"), "{message}");
    assert!(message.contains("from 0 to 1000000"), "{message}");
    assert!(message.contains("k = 0"), "{message}");
    assert_eq!((line, column), (2, 32));
    // A constant bound below zero is wrong in every expansion: reported when parsed.
    let (_, message, line, column) = error("input x = 1\ns = sum(j in 1-2..3, x)\n");
    assert!(
        message.contains("an index bound must be a whole number"),
        "{message}"
    );
    assert_eq!((line, column), (2, 14));
}

#[test]
fn a_bound_naming_an_unbound_index_is_an_error_at_the_bound() {
    for (source, column) in [
        ("input x = 1\ns = sum(j in 1..n+1, x)\n", 17),
        // A later binding of the same `for` is not bound yet where the range is read.
        ("for i in 1..j, j in 1..2: input x{i}{j} = 1\n", 13),
        // A bound cannot use its own index.
        ("input x = 1\ns = sum(j in 1..j, x)\n", 17),
    ] {
        let (kind, message, line, col) = error(source);
        assert_eq!(kind, ErrorKind::UnknownIndex, "{source}: {message}");
        assert!(message.contains("is bound here"), "{message}");
        assert_eq!(
            (line, col),
            (source.lines().count(), column),
            "{source}: {message}"
        );
    }
}

#[test]
fn a_range_that_is_empty_in_some_expansion_is_an_error_saying_which() {
    let (kind, message, line, column) =
        error("input x = 1\nfor k in 1..3: s{k} = sum(j in k..2, x)\n");
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(
        message.contains("the range k..2 is empty here (3..2)"),
        "{message}"
    );
    assert!(message.contains("k = 3"), "{message}");
    assert_eq!((line, column), (2, 32));
    let (_, message, _, _) = error("for i in 2..3, j in i+1..3: input x{i}{j} = 1\n");
    assert!(
        message.contains("(4..3)") && message.contains("i = 3"),
        "{message}"
    );
}

#[test]
fn a_bound_that_is_not_index_arithmetic_is_a_syntax_error_at_the_token() {
    for (source, needle, column) in [
        (
            "input x = 1\ns = sum(j in 1..x(2), x)\n",
            "expected ','",
            18,
        ),
        ("input x = 1\ns = sum(j in 1..2.5, x)\n", "whole number", 17),
        (
            "input x = 1\ns = sum(j in 1..k*k, x)\n",
            "at most one index",
            19,
        ),
        (
            "input x = 1\ns = sum(j in 1..(2), x)\n",
            "expected a whole number or an index",
            17,
        ),
        (
            "for i in 1..sin: input y = 1\n",
            "expected a whole number or an index",
            13,
        ),
    ] {
        let (kind, message, _, col) = error(source);
        assert_eq!(kind, ErrorKind::Syntax, "{source}: {message}");
        assert!(message.contains(needle), "{source}: {message}");
        assert_eq!(col, column, "{source}: {message}");
    }
}

#[test]
fn a_dependent_template_too_large_to_expand_is_an_error_not_a_long_wait() {
    let (kind, message, _, _) = error("for i in 0..1000, j in i..1000: input x{i}_{j} = 1\n");
    assert_eq!(kind, ErrorKind::TooLarge, "{message}");
}

fn bound() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        (0i64..5).prop_map(|n| n.to_string()),
        Just("k".to_string()),
        Just("i".to_string()),
        Just("q".to_string()),
    ];
    prop::collection::vec(
        (atom, prop::sample::select(vec!["+", "-", "*", "", " "])),
        1..4,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(a, op)| format!("{a}{op}"))
            .collect::<String>()
    })
}

proptest! {
    /// Random index arithmetic in the bounds of sums and templates, well formed or not,
    /// gives a program or an error with a place, never a panic.
    #[test]
    fn random_index_arithmetic_in_range_bounds_never_panics(
        lo in bound(), hi in bound(), for_lo in bound(), for_hi in bound()
    ) {
        let source = format!(
            "input x = 1\nfor k in {for_lo}..{for_hi}, i in 0..1: s{{k}}_{{i}} = sum(j in {lo}..{hi}, x * j)\n"
        );
        match parse(&source) {
            Ok(p) => { let _ = p.verify(); }
            Err(e) => {
                let d = &e.diagnostics()[0];
                prop_assert!(d.position().line >= 1 && d.position().column >= 1);
            }
        }
    }
}

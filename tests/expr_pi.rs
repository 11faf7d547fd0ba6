//! The constant π (`pi`, `π`): exact in proofs (an atom of normal forms and of the
//! identity test, never the rounded 3.14159…), printed `pi` / `\pi`, with derivative
//! 0; differentiating or updating with respect to it, or declaring it, is bad input.

use gradproof::expr::{parse, ErrorKind, Verdict};

fn verdicts(source: &str) -> Vec<Verdict> {
    let program = parse(source).unwrap_or_else(|e| panic!("{e}"));
    program.verify().into_iter().map(|r| r.verdict).collect()
}

fn proved(v: &Verdict) -> bool {
    matches!(v, Verdict::Proved { .. })
}

#[test]
fn claims_about_sin_of_pi_x_are_proved_and_a_lost_factor_pi_fails() {
    let v = verdicts(
        "\
input x = 0.3
f = sin(pi * x)
claim grad(f, x) = pi * cos(π * x)
claim grad(f, x) = cos(pi * x)
claim pi * (x + 1) - π = x * pi
claim grad(pi * x^2, x) = 2 * pi * x
",
    );
    assert!(proved(&v[0]), "{:?}", v[0]);
    assert!(matches!(v[1], Verdict::Fails(_)), "{:?}", v[1]);
    assert!(proved(&v[2]), "{:?}", v[2]);
    assert!(proved(&v[3]), "{:?}", v[3]);
}

#[test]
fn pi_is_never_proved_equal_to_a_rounded_number() {
    // A short decimal is wrong and fails; the nearest double to π agrees at every point
    // to the last bit, so it can at most be tested, never proved.
    let v =
        verdicts("input x = 1\nclaim x * pi = x * 3.14159\nclaim x * pi = x * 3.141592653589793\n");
    assert!(matches!(v[0], Verdict::Fails(_)), "{:?}", v[0]);
    assert!(!proved(&v[1]), "{:?}", v[1]);
}

#[test]
fn pi_evaluates_to_the_nearest_double_and_differentiates_to_zero() {
    let c = parse("c = pi\n").unwrap();
    assert_eq!(c.value(c.expr("c").unwrap()), std::f64::consts::PI);
    let mut p = parse("input x = 2\nf = π * x^2\n").unwrap();
    let d = p.derivative("f", "x").unwrap();
    assert_eq!(p.value(d), 4.0 * std::f64::consts::PI);
    assert_eq!(p.text(d), "2 * pi * x");
    assert_eq!(p.latex(d), "2 \\cdot \\pi \\cdot x");
    // Printed text reads back to the same value.
    let again = parse(&format!("input x = 2\ng = {}\n", p.text(d))).unwrap();
    assert_eq!(again.value(again.expr("g").unwrap()), p.value(d));
}

#[test]
fn the_derivative_of_anything_by_pi_is_bad_input_with_its_place() {
    for (source, column) in [
        ("input x = 1\nf = pi * x\nclaim grad(f, pi) = x\n", 15),
        ("input x = 1\nf = pi * x\nclaim grad(f, π) = x\n", 15),
        ("param w = 1\nclaim next(pi) = w\n", 12),
    ] {
        let e = parse(source).expect_err(source);
        let d = &e.diagnostics()[0];
        assert_eq!(d.kind(), ErrorKind::InvalidDerivative, "{d}");
        assert!(d.message().contains("the constant π"), "{d}");
        assert_eq!(d.position().column, column, "{d}");
    }
    // A quantity defined as π is a constant like `c = 2`.
    let e = parse("input x = 1\nc = pi\nf = c * x\nclaim grad(f, c) = x\n").expect_err("c");
    assert_eq!(e.diagnostics()[0].kind(), ErrorKind::InvalidDerivative);
    let p = parse("input x = 1\nc = pi\nf = c * x\n").unwrap();
    assert!(p.clone().derivative("f", "c").is_err());
}

#[test]
fn pi_cannot_be_declared_defined_or_used_as_an_index() {
    for (source, kind) in [
        ("param pi = 3\n", ErrorKind::ReservedName),
        ("input π = 3\n", ErrorKind::ReservedName),
        ("pi = 3\n", ErrorKind::ReservedName),
        ("for pi in 1..2: input x{pi} = 1\n", ErrorKind::Syntax),
    ] {
        let e = parse(source).expect_err(source);
        let d = &e.diagnostics()[0];
        assert_eq!(d.kind(), kind, "{source}: {d}");
        if kind == ErrorKind::ReservedName {
            assert!(d.message().contains("the constant π"), "{d}");
        }
    }
}

/// Each claim of a Markdown document read by `gradproof read`: whether it holds.
fn read_verdicts(markdown: &str) -> (String, Vec<bool>) {
    use gradproof::read::{read, Flavor};
    let r = read(markdown, None, Flavor::Markdown).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    let holds = r.verify().iter().map(|c| c.verdict.holds()).collect();
    (r.grad.clone(), holds)
}

#[test]
fn the_document_reader_reads_backslash_pi_as_the_constant() {
    let (grad, holds) = read_verdicts(
        "Let $f = \\sin(\\pi x)$ with $x = 0.3$. Then \
         $\\frac{\\partial f}{\\partial x} = \\pi \\cos(\\pi x)$ and \
         $\\frac{\\partial f}{\\partial x} = \\cos(\\pi x)$.\n",
    );
    assert!(grad.contains("\nf = sin(pi * x)\n"), "{grad}");
    assert_eq!(holds, [true, false], "{grad}");
    // `r = \pi` defines r as π (not an input given the value "pi"); a printed
    // result is compared as rounded: 2π is 6.28 to two places, not 6.29.
    let (grad, holds) =
        read_verdicts("$r = \\pi$, $a = \\pi r^2$, $a = \\pi^3$, $2 r = 6.28$, $2 r = 6.29$\n");
    assert!(grad.contains("\nr = pi\n"), "{grad}");
    assert_eq!(holds, [true, true, false], "{grad}");
}

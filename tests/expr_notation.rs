//! The document's own notation is accepted: Greek letters and accented letters in
//! names (`ω47`, `η`, `ŷ7`, `λ`), `σ(x)` for the sigmoid, and every line ending
//! (`\n`, `\r\n`, and the lone `\r` of classic Mac OS files).

use gradproof::expr::{parse, ErrorKind, Verdict};

const DOCUMENT_LETTERS: &str = "\
input x = 0.5
input y = 0.25
input η = 0.5
input λ = 0.01
param ω47 = 0.8
δ7 = ω47 * x
ŷ = σ(δ7)
loss L = 1/2 * (y - ŷ)^2 + λ/2 * ω47^2
claim grad(L, ω47) = (ŷ - y) * ŷ * (1 - ŷ) * x + λ * ω47
claim next(ω47) = ω47 - η * ((ŷ - y) * ŷ * (1 - ŷ) * x + λ * ω47)
claim grad(L, ω47) = (ŷ - y) * x + λ * ω47
";

#[test]
fn greek_and_accented_letters_name_quantities_and_claims_about_them_are_decided() {
    let mut p = parse(DOCUMENT_LETTERS).unwrap_or_else(|e| panic!("{e}"));
    let reports = p.verify();
    assert!(
        matches!(reports[0].verdict, Verdict::Proved { .. }),
        "{}",
        reports[0]
    );
    // next(W) takes the learning rate from `η` as from `eta`.
    assert!(
        matches!(reports[1].verdict, Verdict::Proved { .. }),
        "{}",
        reports[1]
    );
    // A wrong claim in the same notation still fails.
    assert!(
        matches!(reports[2].verdict, Verdict::Fails(_)),
        "{}",
        reports[2]
    );
    let d = p.derivative("L", "ω47").unwrap();
    assert_eq!(p.text(d), "(ŷ - y) * ŷ * (1 - ŷ) * x + λ * ω47");
    assert_eq!(
        p.latex(d),
        "\\left(\\hat{y} - y\\right) \\cdot \\hat{y} \\cdot \\left(1 - \\hat{y}\\right) \\cdot x + \\lambda \\cdot \\omega_{47}"
    );
}

#[test]
fn a_precomposed_hat_and_a_combining_hat_are_the_same_name() {
    // U+0177 is ŷ as one character; y followed by U+0302 is the same letter, composed.
    let source = "param w = 2\ny\u{302} = w^2\nz = \u{177} + 1\n";
    let mut p = parse(source).unwrap_or_else(|e| panic!("{e}"));
    let d = p.derivative("z", "w").unwrap();
    assert_eq!(p.value(d), 4.0);
    assert_eq!(p.expr("\u{177}"), p.expr("y\u{302}"));
    assert!(p.expr("\u{177}").is_some());
}

#[test]
fn sigma_is_the_sigmoid_and_cannot_name_a_quantity() {
    let p = parse("param w = 0\ns = σ(w)\nt = sigma(w)\n").unwrap();
    assert_eq!(p.expr("s"), p.expr("t"));
    let e = parse("σ = 1\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReservedName, "{e}");
}

#[test]
fn symbols_that_are_not_letters_are_still_errors_with_a_hint() {
    let e = parse("param w = 1\nz = w²\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedCharacter);
    assert_eq!(e.first().hint(), Some("write ^2 for a square"));
    assert_eq!(e.first().position().line, 2);
}

/// The seed file's verdicts, with its line breaks replaced by `newline`.
fn seed_verdicts(newline: &str) -> Vec<(usize, String)> {
    let seed = std::fs::read_to_string("examples/seed.grad").expect("examples/seed.grad");
    let source = seed.replace('\n', newline);
    let p = parse(&source).unwrap_or_else(|e| panic!("{newline:?}: {e}"));
    p.verify()
        .iter()
        .map(|r| (r.claim.line, format!("{:?}", r.verdict)))
        .collect()
}

#[test]
fn cr_only_and_crlf_line_endings_read_as_line_breaks() {
    let unix = seed_verdicts("\n");
    assert!(unix.len() > 10);
    assert_eq!(seed_verdicts("\r"), unix);
    assert_eq!(seed_verdicts("\r\n"), unix);
}

#[test]
fn errors_in_a_cr_only_file_name_the_right_line_and_column() {
    let e = parse("input x = 1\r# a comment\rparam w = 2\rz = w * q\r").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownName);
    let at = e.first().position();
    assert_eq!((at.line, at.column), (4, 9));
    assert_eq!(e.first().line_text(), "z = w * q");
    // A continued statement across CR line breaks.
    let p = parse("param w = 2\rz = w *\\\r 3\rclaim z = 3 * w\r").unwrap();
    assert!(matches!(p.verify()[0].verdict, Verdict::Proved { .. }));
}

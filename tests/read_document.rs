//! The reader on the document gradproof starts from: the seed byte for byte (or, where
//! `../shared` is absent, the project's copy `examples/document.md`, whose math is the
//! seed's byte for byte), with the three lines of `examples/document-notes.md`.

mod common;

use gradproof::expr::Verdict;
use gradproof::read::{read, Flavor, Reading};
use proptest::prelude::*;

const SEED: &str = "../shared/seed/000_0bb870653632d485.txt";

/// The seed's text, or the project's copy of its math when the seed is not beside the
/// repository.
fn seed() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    match std::fs::read_to_string(format!("{root}/{SEED}")) {
        Ok(text) => text,
        Err(_) => {
            eprintln!("{SEED} is absent: reading examples/document.md (the same math) instead");
            std::fs::read_to_string(format!("{root}/examples/document.md")).unwrap()
        }
    }
}

fn notes() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/document-notes.md"
    ))
    .unwrap()
}

fn read_with_notes(text: &str) -> Reading {
    read(text, Some(&notes()), Flavor::Markdown).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_notes_are_three_lines() {
    assert_eq!(notes().lines().count(), 3);
}

#[test]
fn every_equation_of_the_seed_is_read_and_every_claim_proved() {
    let reading = read_with_notes(&seed());
    assert!(reading.unread.is_empty(), "{:#?}", reading.unread);
    let reports = reading.verify();
    assert_eq!(reports.len(), 42, "{}", reading.grad);
    for r in &reports {
        assert!(
            matches!(r.verdict, Verdict::Proved { .. }),
            "{r}\n{}",
            reading.grad
        );
    }
    // The worked update of ω47 is a claim about one step of gradient descent, at the
    // line the document writes it, with its text as written.
    let text = seed();
    let line = line_of(&text, "\\hat{\\omega_{47}}=");
    let at_line: Vec<_> = reports.iter().filter(|r| r.claim.line == line).collect();
    assert_eq!(at_line.len(), 2);
    assert_eq!(
        at_line[0].claim.text,
        "\\hat{\\omega_{47}}=\\omega_{47}-\\eta\\frac{\\partial L_{s7}}{\\partial \\omega_{47}}"
    );
    // The general rule expands over both indices: nine claims, one per weight.
    let general = line_of(&text, "\\hat{\\omega_{ij}}=\\omega_{ij}-\\eta(");
    let expanded: Vec<_> = reports.iter().filter(|r| r.claim.line == general).collect();
    assert_eq!(expanded.len(), 9);
    assert_eq!(
        expanded[4].claim.bindings,
        [("i".to_string(), 5), ("j".to_string(), 8)]
    );
}

#[test]
fn without_notes_the_hatted_weights_are_definitions_and_the_rest_still_holds() {
    let reading = read(&seed(), None, Flavor::Markdown).unwrap();
    assert!(reading.unread.is_empty());
    let reports = reading.verify();
    assert_eq!(reports.len(), 24);
    assert!(reports.iter().all(|r| r.verdict.holds()));
    assert!(reading
        .grad
        .contains("\nomegahat14 = w14 - eta * (grad(L7, w14) + grad(L8, w14) + grad(L9, w14))\n"));
}

#[test]
fn weights_differentiated_against_are_parameters_and_the_rest_inputs() {
    let reading = read_with_notes(&seed());
    let kind = |name: &str| {
        reading
            .free
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, param)| *param)
    };
    assert_eq!(kind("w14"), Some(true));
    assert_eq!(kind("w69"), Some(true));
    assert_eq!(kind("x1"), Some(false));
    assert_eq!(kind("eta"), Some(false));
    assert_eq!(kind("y7"), Some(false));
    assert_eq!(reading.free.iter().filter(|f| f.2).count(), 18);
}

#[test]
fn the_program_read_is_in_the_printers_notation() {
    let reading = read_with_notes(&seed());
    for line in [
        "a4 = sigma(delta4)",
        "delta4 = w14 * x1 + w24 * x2 + w34 * x3",
        "yhat7 = sigma(delta7)",
        "L7 = 1 / 2 * (y7 - yhat7)^2",
        "L = L7 + L8 + L9",
        "omegahat47 = w47 - eta * grad(L, w47)",
        "claim grad(L7, w47) = grad(L7, yhat7) * grad(yhat7, delta7) * grad(delta7, w47)",
    ] {
        assert!(
            reading.grad.lines().any(|l| l == line),
            "`{line}` not in:\n{}",
            reading.grad
        );
    }
    // Each statement follows the line it was read from.
    let grad = &reading.grad;
    let at = grad.find("\na4 = sigma(delta4)").unwrap();
    let comment = grad[..at].lines().last().unwrap();
    let line = line_of(&seed(), "\\alpha_i=\\sigma(\\delta_i)");
    assert!(comment.starts_with(&format!("# line {line}:")), "{comment}");
    assert!(
        comment.ends_with("\\alpha_i=\\sigma(\\delta_i)   [i = 4]"),
        "{comment}"
    );
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the document"))
}

/// The seed with `from` replaced by `to` on the first line containing `needle` (and
/// only there), and that line's number.
fn plant(needle: &str, from: &str, to: &str) -> (String, usize) {
    let text = seed();
    let line = line_of(&text, needle);
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    assert!(
        lines[line - 1].contains(from),
        "`{from}` not on line {line}"
    );
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    (lines.join("\n"), line)
}

/// Reads a planted copy and returns the lines of its failed claims; asserts that
/// every other claim holds and nothing is left unread.
fn failing_lines(text: &str) -> Vec<usize> {
    let reading = read_with_notes(text);
    assert!(reading.unread.is_empty(), "{:#?}", reading.unread);
    let reports = reading.verify();
    assert_eq!(reports.len(), 42);
    let mut failed = Vec::new();
    for r in &reports {
        match &r.verdict {
            Verdict::Fails(_) => failed.push(r.claim.line),
            v => assert!(v.holds(), "{r}"),
        }
    }
    failed
}

fn assert_fails_only_at(planted: (String, usize)) {
    let (text, line) = planted;
    let failed = failing_lines(&text);
    assert!(
        !failed.is_empty(),
        "the mistake on line {line} was not caught"
    );
    assert!(
        failed.iter().all(|&l| l == line),
        "the mistake is on line {line}, failures on {failed:?}"
    );
}

#[test]
fn a_sign_flipped_in_the_sigmoid_derivative_fails_at_its_line() {
    assert_fails_only_at(plant(
        "=\\sigma(\\delta_7)(1-\\sigma(\\delta_7))=",
        "(1-\\sigma(\\delta_7))",
        "(1+\\sigma(\\delta_7))",
    ));
}

#[test]
fn a_missing_factor_in_the_weight_gradient_fails_at_its_line() {
    assert_fails_only_at(plant(
        "\\frac{\\partial L_{s8}}{\\partial \\omega_{48}}=",
        "\\cdot\\hat{y}_{8}(1 - \\hat{y}_{8})",
        "",
    ));
}

#[test]
fn a_sum_over_the_wrong_range_fails_at_its_line() {
    assert_fails_only_at(plant(
        "\\hat{\\omega_{ij}}=\\omega_{ij}-\\eta\\sum",
        "\\sum\\limits_{k=7}^{9}",
        "\\sum\\limits_{k=7}^{8}",
    ));
}

#[test]
fn an_update_with_the_wrong_sign_fails_at_its_line() {
    assert_fails_only_at(plant(
        "\\hat{\\omega_{ij}}=\\omega_{ij}-\\eta(",
        "\\omega_{ij}-\\eta(",
        "\\omega_{ij}+\\eta(",
    ));
}

#[test]
fn a_wrong_input_in_the_forward_pass_fails_at_its_line() {
    assert_fails_only_at(plant(
        "e.g: \\alpha_4=",
        "\\omega_{34} x_3",
        "\\omega_{34} x_2",
    ));
}

#[test]
fn a_wrong_local_partial_fails_at_its_line() {
    assert_fails_only_at(plant(
        "\\frac{\\partial \\delta_{7}}{\\partial \\omega_{47}}=",
        "=\\alpha_4,",
        "=\\alpha_5,",
    ));
}

#[test]
fn a_mistake_in_a_definition_is_caught_by_the_worked_example_that_restates_it() {
    // The general forward equation defines δ4..δ6; its worked example δ4 = … is the
    // claim that checks it, so the failure is reported there.
    let (text, _) = plant(
        "\\alpha_i=\\sigma(\\delta_i)",
        "\\omega_{3i} x_3",
        "\\omega_{3i} x_2",
    );
    let example = line_of(&text, "e.g: \\alpha_4=");
    assert_eq!(failing_lines(&text), [example]);
}

#[test]
fn an_unreadable_relation_is_listed_with_its_line_and_why() {
    let (text, line) = plant("e.g: L_{s7}=", "L_{s7}=", "L_{s7}\\approx ");
    let reading = read_with_notes(&text);
    assert_eq!(reading.unread.len(), 1);
    let u = &reading.unread[0];
    assert_eq!(u.line, line);
    assert!(u.why.contains("`\\approx` is not checked"), "{}", u.why);
}

#[test]
fn an_unclosed_display_is_an_error_at_its_line_and_column() {
    let text = seed();
    let last = text.rfind("$$").unwrap();
    let truncated = &text[..last];
    let opening = truncated.rfind("$$").unwrap();
    let e = read(truncated, None, Flavor::Markdown).unwrap_err();
    assert_eq!(e.line, 1 + truncated[..opening].matches('\n').count());
    assert_eq!(e.column, 1);
    assert!(e.message.contains("never closed"), "{e}");
}

proptest! {
    #![proptest_config(common::config_with_cases("proptest-regressions/read_document.txt", 64))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read(&text, None, Flavor::Markdown);
        let _ = read(&text, None, Flavor::Latex);
    }

    #[test]
    fn truncations_and_splices_of_the_seed_never_panic(a in 0usize..20_000, b in 0usize..20_000) {
        let text = seed();
        let cut = |i: usize| {
            let mut i = i % (text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (a, b) = (cut(a), cut(b));
        let _ = read(&text[..a], Some(&notes()), Flavor::Markdown);
        let spliced = format!("{}{}", &text[..a.min(b)], &text[a.max(b)..]);
        let _ = read(&spliced, None, Flavor::Markdown);
    }

    #[test]
    fn random_latex_like_text_never_panics(s in "[a-z\\\\{}_^()=+\\-*/ ,0-9$&~:.]{0,120}") {
        let _ = read(&format!("$${s}$$"), None, Flavor::Markdown);
        let _ = read(&format!("${s}$"), Some(&format!("${s}$")), Flavor::Markdown);
    }
}

#[test]
fn the_projects_copy_reads_to_the_same_program_as_the_seed() {
    let root = env!("CARGO_MANIFEST_DIR");
    let copy = std::fs::read_to_string(format!("{root}/examples/document.md")).unwrap();
    let Ok(original) = std::fs::read_to_string(format!("{root}/{SEED}")) else {
        eprintln!("{SEED} is absent: nothing to compare examples/document.md with");
        return;
    };
    // Every displayed block of the copy is in the seed byte for byte.
    let blocks: Vec<&str> = copy.split("$$").skip(1).step_by(2).collect();
    assert_eq!(blocks.len(), 6);
    for block in blocks {
        assert!(original.contains(&format!("$${block}$$")), "{block}");
    }
    let claims = |text: &str| -> Vec<String> {
        let reading = read_with_notes(text);
        let mut texts: Vec<String> = reading
            .program
            .claims()
            .iter()
            .map(|c| c.text.clone())
            .collect();
        // The copy's prose orders two inline definitions differently.
        texts.sort();
        texts
    };
    assert_eq!(claims(&copy), claims(&original));
}

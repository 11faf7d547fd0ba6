//! `gradproof check DOC --with NOTES` and `gradproof read DOC`: a Markdown document
//! checked as written, claims at the document's lines, unread relations listed.

mod common;

use common::{assert_bad_input, gradproof, json, root, stderr, stdout, temp_path};

const SEED: &str = "../shared/seed/000_0bb870653632d485.txt";
const NOTES: &str = "examples/document-notes.md";

/// The seed's path from the workspace root, or the project's copy of its math when the
/// seed is not beside the repository.
fn seed() -> &'static str {
    if root().join(SEED).exists() {
        SEED
    } else {
        eprintln!("{SEED} is absent: checking examples/document.md (the same math) instead");
        "examples/document.md"
    }
}

fn seed_text() -> String {
    std::fs::read_to_string(root().join(seed())).unwrap()
}

#[test]
fn the_seed_as_written_with_three_lines_of_notes_holds_with_exit_0() {
    let out = gradproof(&["check", seed(), "--with", NOTES]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{}\n", seed())), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  proved ")).count(),
        42
    );
    assert!(text.contains("\\hat{\\omega_{ij}}=\\omega_{ij}-\\eta(\\hat{y}_{j}-y_{j})\\cdot\\hat{y}_{j}(1 - \\hat{y}_{j})\\cdot \\alpha_{i}   [i = 5, j = 8]\n"), "{text}");
    assert!(
        text.ends_with("all 42 claims hold (42 proved, 0 tested at points)\n"),
        "{text}"
    );
    assert!(out.stderr.is_empty() || stderr(&out).contains("absent"));
}

#[test]
fn a_planted_mistake_fails_at_the_documents_line_with_exit_1() {
    let text = seed_text();
    let line = 1 + text
        .lines()
        .position(|l| l.contains("\\hat{\\omega_{ij}}=\\omega_{ij}-\\eta("))
        .unwrap();
    let planted = text.replacen("\\omega_{ij}-\\eta(", "\\omega_{ij}+\\eta(", 1);
    let path = temp_path("planted.md", planted.as_bytes());
    let out = gradproof(&["check", &path, "--with", NOTES]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let failed: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("  FAILED "))
        .collect();
    assert_eq!(failed.len(), 9, "{report}");
    for l in failed {
        assert!(
            l.starts_with(&format!("  FAILED    line {line}  \\hat{{\\omega_{{ij}}}}")),
            "{l}"
        );
    }
    assert!(
        report.contains("of 42 claims, 9 FAILED; 33 hold"),
        "{report}"
    );
}

#[test]
fn check_json_gives_each_claim_its_line_column_text_and_bindings() {
    let out = gradproof(&["check", seed(), "--with", NOTES, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["held"], 42);
    assert_eq!(doc["unread"], serde_json::json!([]));
    let claims = doc["claims"].as_array().unwrap();
    let w58 = claims
        .iter()
        .find(|c| {
            c["bindings"] == serde_json::json!({"i": 5, "j": 8})
                && c["text"].as_str().unwrap().contains("\\eta(")
        })
        .expect("the expansion i = 5, j = 8");
    assert_eq!(w58["verdict"], "proved");
    assert_eq!(
        w58["text"],
        "\\hat{\\omega_{ij}}=\\omega_{ij}-\\eta(\\hat{y}_{j}-y_{j})\\cdot\\hat{y}_{j}(1 - \\hat{y}_{j})\\cdot \\alpha_{i}"
    );
    // The column of the `=`, after `\text{同理: }` (whose CJK characters count once each).
    assert_eq!(w58["column"], 29);
}

#[test]
fn an_unread_relation_is_listed_and_makes_the_exit_code_1() {
    let path = temp_path(
        "unread.md",
        "Let $y = w x$. Then $\\frac{\\partial y}{\\partial w} = x$ and $y \\approx w$.\n"
            .as_bytes(),
    );
    let out = gradproof(&["check", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  proved    line 1  \\frac{\\partial y}{\\partial w} = x\n"),
        "{text}"
    );
    assert!(text.contains("1 relations not read"), "{text}");
    assert!(
        text.contains("  NOT READ  line 1:64  y \\approx w\n"),
        "{text}"
    );
    assert!(
        text.contains("the relation `\\approx` is not checked"),
        "{text}"
    );
    let out = gradproof(&["check", &path, "--json"]);
    let doc = json(&out);
    assert_eq!(doc["unread"][0]["line"], 1);
    assert_eq!(doc["not_read"], 1);
}

#[test]
fn read_prints_the_program_each_statement_after_its_line() {
    let out = gradproof(&["read", seed(), "--with", NOTES]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\nparam w14 = "), "{text}");
    assert!(text.contains("\ninput eta = "), "{text}");
    assert!(
        text.contains("\n# notes line 1:4  L := L_{s7}+L_{s8}+L_{s9}\nL = L7 + L8 + L9\n"),
        "{text}"
    );
    // What `read` prints is a .grad program that `check` proves as it is.
    let path = temp_path("read.grad", text.as_bytes());
    let out = gradproof(&["check", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("all 42 claims hold (42 proved, 0 tested at points)\n"));
}

#[test]
fn an_unclosed_display_is_bad_input_at_its_line_and_column() {
    let path = temp_path("unclosed.md", b"Some text.\n\n  $$ a = b\n");
    let out = gradproof(&["check", &path]);
    assert_bad_input(
        &out,
        &[&format!("{path}:3:3: `$$` opened here is never closed")],
    );
    let out = gradproof(&["read", &path]);
    assert_bad_input(&out, &["3:3"]);
}

#[test]
fn format_overrides_the_extension() {
    let path = temp_path("doc.grad", b"$y = 2 x$ so $\\frac{dy}{dx} = 2$\n");
    let out = gradproof(&["check", &path, "--format", "doc"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = gradproof(&["check", &path]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_document_or_notes_file_is_bad_input() {
    assert_bad_input(
        &gradproof(&["check", "no-such.md"]),
        &["cannot read `no-such.md`"],
    );
    assert_bad_input(
        &gradproof(&["check", seed(), "--with", "no-notes.md"]),
        &["cannot read `no-notes.md`"],
    );
}

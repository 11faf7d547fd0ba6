//! `gradproof check` on a document in matrix notation: `examples/matrix.md` holds with
//! exit 0; a missing transpose planted in a copy fails at its line with the entry and
//! the diagnosis, in the report and the JSON (exit 1); a product whose shapes do not fit
//! is bad input at the document's line and column (exit 2).

mod common;

use common::{assert_bad_input, gradproof, json, root, stdout, temp_path};

const MATRIX: &str = "examples/matrix.md";

fn planted(from: &str, to: &str) -> (String, usize) {
    let text = std::fs::read_to_string(root().join(MATRIX)).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    let line = 1 + text.lines().position(|l| l.contains(from)).unwrap();
    (text.replacen(from, to, 1), line)
}

#[test]
fn the_network_in_matrix_notation_holds_with_exit_0() {
    let out = gradproof(&["check", MATRIX]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report = stdout(&out);
    assert!(
        report.ends_with("all 10 claims hold (10 proved, 0 tested at points)\n"),
        "{report}"
    );
    assert!(
        report.contains("   [3x3]\n") && report.contains("   [3]\n"),
        "{report}"
    );
}

#[test]
fn a_missing_transpose_fails_at_its_line_with_entry_and_diagnosis_and_exit_1() {
    let (text, line) = planted(
        "= \\mathbf{W}_2^\\top \\boldsymbol{\\delta}_2$$",
        "= \\mathbf{W}_2 \\boldsymbol{\\delta}_2$$",
    );
    let path = temp_path("missing-transpose.md", text.as_bytes());
    let out = gradproof(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let failed: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("  FAILED"))
        .collect();
    assert_eq!(failed.len(), 1, "{report}");
    assert!(
        failed[0].starts_with(&format!("  FAILED    line {line}  "))
            && failed[0].ends_with("   [3; entry (1, 1) fails]"),
        "{report}"
    );
    assert!(
        report.contains("the right side uses W2 where W2ᵀ belongs"),
        "{report}"
    );
    let out = gradproof(&["check", &path, "--json"]);
    let document = json(&out);
    let claims = document["claims"].as_array().unwrap();
    let failed: Vec<_> = claims.iter().filter(|c| c["verdict"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["line"], line);
    assert_eq!(
        failed[0]["shape"],
        serde_json::json!({"rows": 3, "cols": 1})
    );
    assert_eq!(
        failed[0]["counterexample"]["entry"],
        serde_json::json!([1, 1])
    );
}

#[test]
fn a_product_whose_shapes_do_not_fit_is_bad_input_at_the_documents_line() {
    let (text, line) = planted(
        "\\mathbf{z}_1 &= \\mathbf{W}_1 \\mathbf{x},",
        "\\mathbf{z}_1 &= \\mathbf{x} \\mathbf{W}_1,",
    );
    let path = temp_path("shapes.md", text.as_bytes());
    let out = gradproof(&["check", &path]);
    assert_bad_input(
        &out,
        &[
            &format!("shapes.md:{line}:15:"),
            "shape mismatch in the matrix product",
            "a transpose may be missing",
        ],
    );
}

//! `gradproof check/grad/diff` on a file of vectors and matrices: one line per shaped
//! claim with its shape, the failing entry in the text and the JSON, gradients by
//! every entry of a matrix, and shape errors as bad input.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_path};

#[test]
fn every_claim_of_matrix_grad_is_proved_with_exit_0() {
    let out = gradproof(&["check", "examples/matrix.grad"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  proved    line 28  grad(L, W2) = delta2 * a1^T   [3x3]\n"),
        "{text}"
    );
    assert!(text.contains("grad(E, s2) = p - t   [3]\n"), "{text}");
    assert!(
        text.ends_with("all 21 claims hold (21 proved, 0 tested at points)\n"),
        "{text}"
    );
}

/// The network of examples/matrix.grad (part a) with one more claim.
fn network_with(claim: &str) -> String {
    let source = std::fs::read_to_string(common::root().join("examples/matrix.grad")).unwrap();
    let part_a = source.split("# (b)").next().unwrap();
    let lines: Vec<&str> = part_a
        .lines()
        .filter(|l| !l.starts_with("claim") && !l.starts_with("for"))
        .collect();
    format!("{}\n{claim}\n", lines.join("\n"))
}

#[test]
fn a_wrong_matrix_claim_names_its_entry_in_the_text_and_the_json() {
    let path = temp_path(
        "swapped.grad",
        network_with("claim grad(L, W2) = a1 * delta2^T").as_bytes(),
    );
    let out = gradproof(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("grad(L, W2) = a1 * delta2^T   [3x3; entry (1, 2) fails]"),
        "{text}"
    );
    assert!(text.contains("FAILS at entry (1, 2)"), "{text}");
    assert!(
        text.contains("the factors of the outer product are swapped"),
        "{text}"
    );

    let out = gradproof(&["check", &path, "--json"]);
    let report = json(&out);
    let claim = &report["claims"][0];
    assert_eq!(claim["shape"], serde_json::json!({"rows": 3, "cols": 3}));
    assert_eq!(claim["verdict"], "failed");
    assert_eq!(claim["counterexample"]["entry"], serde_json::json!([1, 2]));
}

#[test]
fn grad_and_diff_by_a_matrix_go_through_its_entries() {
    let out = gradproof(&["grad", "examples/matrix.grad", "--wrt", "W2", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    let gradient = report["gradient"].as_object().unwrap();
    assert_eq!(gradient.len(), 9);
    assert!(gradient["W2[1, 2]"].as_f64().unwrap() > 0.0);

    let out = gradproof(&["diff", "examples/matrix.grad", "--wrt", "W2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("grad(L, W2[1, 2]) = "))
        .unwrap();
    assert!(line.contains("a1[2]") && line.contains("yhat[1]"), "{text}");
    assert_eq!(text.matches("grad(L, W2[").count(), 9);

    let out = gradproof(&["diff", "examples/matrix.grad", "--of", "z1", "--wrt", "x"]);
    assert_bad_input(&out, &["`z1` is a vector or matrix", "z1[1]"]);
}

#[test]
fn a_shape_mismatch_is_bad_input_with_its_line_and_column() {
    let path = temp_path("mismatch.grad", b"input x: 3\nparam W: 2x3\nz = x * W\n");
    let out = gradproof(&["check", &path]);
    assert_bad_input(
        &out,
        &[":3:7", "shape mismatch", "vector of 3", "2x3 matrix"],
    );
}

#[test]
fn grad_and_diff_refuse_a_constant_instead_of_printing_a_zero_derivative() {
    let path = temp_path(
        "constant.grad",
        b"data t: 2 = [0, 1]\ndata s = 1\nparam w = 0.5\nloss L = (w - sum(t) - s)^2\n",
    );
    for wrt in ["t", "s", "w,s"] {
        for command in ["grad", "diff"] {
            let out = gradproof(&[command, &path, "--wrt", wrt]);
            assert_bad_input(&out, &["is a constant", "nothing to differentiate"]);
        }
    }
    let out = gradproof(&["grad", &path, "--wrt", "w"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

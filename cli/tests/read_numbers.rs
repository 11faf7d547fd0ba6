//! `gradproof check` on a document with printed numbers: the worked example holds with
//! exit 0; a wrong digit fails at its line with exit 1, naming both intervals, in the
//! report and in the JSON.

mod common;

use common::{gradproof, json, stderr, stdout, temp_path};

const WORKED: &str = "examples/worked-numbers.md";

#[test]
fn the_worked_example_with_printed_numbers_holds_with_exit_0() {
    let out = gradproof(&["check", WORKED]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).ends_with("all 72 claims hold (19 proved, 53 tested at points)\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_wrong_digit_fails_at_its_line_naming_both_intervals_with_exit_1() {
    let text = std::fs::read_to_string(common::root().join(WORKED)).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("E_{total} &="))
        .unwrap();
    let planted = text.replacen("= 0.309303179", "= 0.309330179", 1);
    let path = temp_path("wrong-digit.md", planted.as_bytes());
    let out = gradproof(&["check", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let failed: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("  FAILED"))
        .collect();
    assert_eq!(
        failed,
        [
            format!("  FAILED    line {line:>3}  0.292216992 + 0.0170861866 = 0.309330179")
                .as_str()
        ],
        "{report}"
    );
    assert!(
        report.contains("left ∈ [0.30930317") && report.contains("right ∈ [0.30933017"),
        "{report}"
    );
    let out = gradproof(&["check", &path, "--json"]);
    let document = json(&out);
    let claims = document["claims"].as_array().unwrap();
    let failed: Vec<_> = claims.iter().filter(|c| c["verdict"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["line"], line);
    assert!(failed[0]["diagnosis"]
        .as_str()
        .unwrap()
        .contains("right ∈ [0.30933017"));
}

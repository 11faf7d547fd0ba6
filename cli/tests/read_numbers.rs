//! `gradproof check` on a document with printed numbers: the worked example holds with
//! exit 0; a wrong digit fails at its line with exit 1, naming both intervals, in the
//! report and in the JSON. Claims that hold within the printed rounding are `rounded`,
//! not `tested`, in the report, the JSON and the summary's counts.

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
        stdout(&out).ends_with(
            "all 72 claims hold (19 proved, 0 tested at points, 53 within the printed rounding)\n"
        ),
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

#[test]
fn claims_that_hold_within_the_printed_rounding_are_rounded_not_tested() {
    let out = gradproof(&["check", WORKED]);
    let report = stdout(&out);
    let words = |word: &str| {
        report
            .lines()
            .filter(|l| l.starts_with(&format!("  {word:<9} line")))
            .count()
    };
    assert_eq!(
        (words("rounded"), words("tested"), words("proved")),
        (53, 0, 19)
    );
    let out = gradproof(&["check", WORKED, "--json"]);
    let document = json(&out);
    let claims = document["claims"].as_array().unwrap();
    let rounded: Vec<_> = claims
        .iter()
        .filter(|c| c["verdict"] == "rounded")
        .collect();
    assert_eq!(rounded.len(), 53);
    assert!(rounded.iter().all(|c| c["holds"] == true
        && c["reason"]
            .as_str()
            .unwrap()
            .contains("within the rounding of its printed numbers")));
    assert_eq!(
        (&document["rounded"], &document["tested"], &document["held"]),
        (
            &serde_json::json!(53),
            &serde_json::json!(0),
            &serde_json::json!(72)
        )
    );
}

#[test]
fn an_identity_among_printed_numbers_is_proved_and_a_wrong_digit_is_not_rounded() {
    let document = "Given $w = 0.5$: $\\sigma(w) = 0.6225$ and $\\sigma(w) = 0.6226$, \
                    while $\\frac{1}{2} w = 0.5 w$.\n";
    let path = temp_path("rounded-or-not.md", document.as_bytes());
    let out = gradproof(&["check", &path]);
    let report = stdout(&out);
    // The verdict lines, without the failure's report under its line.
    let lines: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .collect();
    assert!(
        lines[0].starts_with("  rounded   line 1  \\sigma(w) = 0.6225"),
        "{report}"
    );
    assert!(
        lines[1].starts_with("  FAILED    line 1  \\sigma(w) = 0.6226"),
        "{report}"
    );
    assert!(
        lines[2].starts_with("  proved    line 1  \\frac{1}{2} w = 0.5 w"),
        "{report}"
    );
    assert!(
        report.ends_with("of 3 claims, 1 FAILED; 2 hold (1 proved, 0 tested at points, 1 within the printed rounding)\n"),
        "{report}"
    );
}

//! `gradproof check`: every claim verified, one line each, failures in full; exit 0
//! when all hold, 1 when any fails or is undecided, 2 on bad input.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_path};
use serde_json::Value;

#[test]
fn every_claim_of_seed_grad_is_proved_with_exit_0() {
    let out = gradproof(&["check", "examples/seed.grad"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("examples/seed.grad\n"), "{text}");
    let proved = text.lines().filter(|l| l.starts_with("  proved ")).count();
    assert_eq!(proved, 38, "{text}");
    assert!(text.contains("  proved    line 46  a4 = 1 / (1 + exp(-delta4))\n"));
    // A template's expansions each get a line, with the line they came from.
    assert!(text.contains(
        "  proved    line 61  next(w58) = w58 - eta * (yhat8 - y8) * yhat8 * (1 - yhat8) * a5\n"
    ));
    assert!(text.ends_with("all 38 claims hold (38 proved, 0 tested at points)\n"));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn check_json_has_one_entry_per_expanded_claim_with_the_line_it_came_from() {
    let out = gradproof(&["check", "examples/seed.grad", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 38);
    assert_eq!(report["held"], 38);
    assert_eq!(report["failed"], 0);
    assert_eq!(report["undecided"], 0);
    for claim in claims {
        assert_eq!(claim["file"], "examples/seed.grad");
        assert_eq!(claim["holds"], true);
        assert_eq!(claim["verdict"], "proved");
        assert!(claim["atoms"].as_u64().unwrap() > 0);
        assert!(claim["line"].as_u64().unwrap() >= 46);
        assert!(claim.get("counterexample").is_none());
    }
    let template: Vec<&Value> = claims.iter().filter(|c| c["line"] == 61).collect();
    assert_eq!(template.len(), 9, "for i in 4..6, j in 7..9");
    let w58 = template
        .iter()
        .find(|c| c["bindings"] == serde_json::json!({"i": 5, "j": 8}))
        .expect("the expansion i = 5, j = 8");
    assert_eq!(
        w58["text"],
        "claim next(w58) = w58 - eta * (yhat8 - y8) * yhat8 * (1 - yhat8) * a5"
    );
    // Both sides at the file's values: the updated ω58 of the walkthrough.
    let updated = gradproof::nn::document::walkthrough::Walkthrough::example().updated[(5, 8)];
    let left = w58["values"]["left"].as_f64().unwrap();
    assert!((left - updated).abs() < 1e-15, "{left} vs {updated}");
}

#[test]
fn every_mistake_fails_with_exit_1_and_says_how() {
    let out = gradproof(&["check", "examples/mistakes.grad"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let failed = text.lines().filter(|l| l.starts_with("  FAILED ")).count();
    assert_eq!(failed, 7, "{text}");
    for expected in [
        "  FAILED    line 46  grad(L7, w47) = (yhat7 - y7) * a4\n            FAILS at the file's values:",
        "left = right × yhat7 * (1 - yhat7): the right side misses this factor",
        "left = -1 × right",
        "left = 1/2 × right",
        "FAILS: it holds at the file's values (both 0.05), but not at",
        "left − right = x1 - 0.05",
        "more than the rounding tolerance",
    ] {
        assert!(text.contains(expected), "`{expected}` not in:\n{text}");
    }
    assert!(text.ends_with("of 7 claims, 7 FAILED; 0 hold (0 proved, 0 tested at points)\n"));
}

#[test]
fn failed_claims_in_json_carry_the_counterexample_and_the_diagnosis() {
    let out = gradproof(&["check", "examples/mistakes.grad", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["held"], 0);
    assert_eq!(report["failed"], 7);
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 7);
    for claim in claims {
        assert_eq!(claim["holds"], false);
        assert_eq!(claim["verdict"], "failed");
        let c = &claim["counterexample"];
        let (left, right) = (c["left"].as_f64().unwrap(), c["right"].as_f64().unwrap());
        assert!(
            (left - right).abs() > c["tolerance"].as_f64().unwrap(),
            "{claim}"
        );
        assert_eq!(c["difference"].as_f64().unwrap(), (left - right).abs());
        assert!(!c["point"].as_object().unwrap().is_empty());
        assert!(claim["diagnosis"].is_string(), "{claim}");
        assert!(claim["report"].as_str().unwrap().contains("FAILS"));
    }
    let missing_sigma_prime = &claims[0];
    assert_eq!(missing_sigma_prime["line"], 46);
    assert_eq!(
        missing_sigma_prime["counterexample"]["at_file_values"],
        true
    );
    assert_eq!(
        missing_sigma_prime["diagnosis"],
        "left = right × yhat7 * (1 - yhat7): the right side misses this factor"
    );
    // The derivative replaced by its value: true at the file's values only.
    let value_for_derivative = &claims[6];
    let c = &value_for_derivative["counterexample"];
    assert_eq!(c["at_file_values"], false);
    assert_eq!(c["holds_at_file_values"], true);
    let x1 = c["point"]["x1"].as_f64().unwrap();
    assert_eq!(c["left"].as_f64().unwrap(), x1, "∂δ4/∂ω14 = x1");
    assert_eq!(c["right"], 0.05);
}

#[test]
fn several_files_are_checked_together_and_one_failure_makes_exit_1() {
    let out = gradproof(&[
        "check",
        "examples/seed.grad",
        "examples/mistakes.grad",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["claims"].as_array().unwrap().len(), 45);
    assert_eq!(report["held"], 38);
    assert_eq!(report["failed"], 7);
    assert_eq!(report["claims"][44]["file"], "examples/mistakes.grad");

    let out = gradproof(&["check", "examples/seed.grad", "examples/mistakes.grad"]);
    let text = stdout(&out);
    assert!(text.contains("\nexamples/mistakes.grad\n"));
    assert!(text.contains("  7 claims: 0 proved, 0 hold at points, 7 fail, 0 undecided"));
    assert!(text
        .ends_with("of 45 claims in 2 files, 7 FAILED; 38 hold (38 proved, 0 tested at points)\n"));
}

#[test]
fn a_claim_tested_at_points_holds_and_an_undecided_one_makes_exit_1() {
    let tested = temp_path(
        "tested.grad",
        b"input x = 0.3\nclaim sin(x)^2 + cos(x)^2 = 1\n",
    );
    let out = gradproof(&["check", &tested, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let claim = &json(&out)["claims"][0];
    assert_eq!(claim["verdict"], "tested");
    assert_eq!(claim["holds"], true);
    assert_eq!(claim["points"], 33);
    assert!(claim["reason"].as_str().unwrap().contains("normal forms"));

    let undecided = temp_path(
        "undecided.grad",
        b"input x = 0.3\nclaim 0 * sqrt(-1 - x^2) + sin(x)^2 + cos(x)^2 = 1\n",
    );
    let out = gradproof(&["check", &undecided, "--json"]);
    assert_eq!(out.status.code(), Some(1), "undecided is not a pass");
    let report = json(&out);
    assert_eq!(report["claims"][0]["verdict"], "undecided");
    assert_eq!(report["claims"][0]["holds"], false);
    assert_eq!(report["undecided"], 1);
    assert_eq!(report["held"], 0);
    let out = gradproof(&["check", &undecided]);
    assert!(
        stdout(&out).contains("  UNDECIDED line 2  "),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 UNDECIDED"));
}

#[test]
fn the_same_seed_gives_the_same_counterexample_and_another_seed_another() {
    // True at the file's value only, so the counterexample is a random point.
    let file = temp_path("seeded.grad", b"input x = 0.05\nclaim grad(x^2, x) = 0.1\n");
    let point = |seed: &str| {
        let out = gradproof(&["check", &file, "--seed", seed, "--json"]);
        assert_eq!(out.status.code(), Some(1));
        json(&out)["claims"][0]["counterexample"]["point"]["x"].clone()
    };
    assert_eq!(point("7"), point("7"));
    assert_ne!(point("7"), point("8"));
}

#[test]
fn a_file_without_claims_has_nothing_to_check() {
    let file = temp_path("noclaims.grad", b"param w = 1\nloss L = w^2\n");
    let out = gradproof(&["check", &file]);
    assert_bad_input(
        &out,
        &[
            "states no claims",
            "hint: a claim is a line `claim LHS = RHS`",
        ],
    );
}

#[test]
fn every_bad_file_is_named_before_exit_2_and_nothing_is_checked() {
    let bad = temp_path("check-bad.grad", b"input x = 1\nclaim x = = 1\n");
    let out = gradproof(&["check", "examples/seed.grad", "no-such.grad", &bad]);
    assert_bad_input(&out, &["cannot read `no-such.grad`", &format!("{bad}:2:")]);
    assert_eq!(stderr(&out).matches("gradproof: error:").count(), 2);
}

#[test]
fn points_where_only_one_side_is_defined_are_shown_and_in_the_json() {
    let file = temp_path("domains.grad", b"param x = 2\nclaim ln(x^2) = 2 * ln(x)\n");
    let out = gradproof(&["check", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("defined on different domains"),
        "{}",
        stdout(&out)
    );
    let doc = json(&gradproof(&["check", &file, "--json"]));
    let one_sided = &doc["claims"][0]["one_sided"];
    assert!(one_sided["points"].as_u64().unwrap() > 0, "{doc}");
    assert!(one_sided["right"].is_null(), "{doc}");
}

//! Learning rates and data that overflow the network: refused at parse time when the
//! learning rate is not a positive number, reported with the step and the right advice
//! when training breaks down, and never printed as hundreds of digits.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_file};

#[test]
fn learning_rates_that_are_not_positive_finite_numbers_are_refused_at_parse_time() {
    for bad in ["inf", "1e309", "NaN", "0", "-1e-3", "-inf"] {
        for command in [
            &["train", "--data", "xor"][..],
            &["fit", "examples/seed.grad"],
        ] {
            let mut args = command.to_vec();
            args.extend(["--lr", bad]);
            let out = gradproof(&args);
            assert_bad_input(&out, &[&format!("`{bad}` is not a positive number")]);
        }
    }
}

#[test]
fn a_huge_learning_rate_is_printed_short_and_its_stall_is_an_error_with_the_step() {
    let out = gradproof(&["train", "--data", "xor", "--lr", "1e308", "--quiet"]);
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(text.contains("η = 1e308, 500 epochs"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() < 120), "{text}");
    // The first step saturates every sigmoid: from then on every gradient is exactly
    // 0, and training says so instead of running on at a loss of 0.5.
    assert!(
        err.contains("training stalled in epoch 2: every gradient was exactly 0 with the training loss at 0.5"),
        "{err}"
    );
    assert!(
        err.contains("they last moved at step 1, which left every unit saturated"),
        "{err}"
    );
    assert!(err.contains("hint: lower --lr"), "{err}");
    assert!(!err.contains("--no-standardize"), "{err}");

    // The same settings with a sane rate train as before.
    let out = gradproof(&["train", "--data", "xor", "--lr", "2", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["final"]["train"]["accuracy"], 1.0);
}

#[test]
fn fit_prints_a_huge_learning_rate_short() {
    let file = common::temp_path("flat.grad", b"param w = 0.5\nloss L = (w - 1)^2 / 1e300\n");
    let out = gradproof(&["fit", &file, "--lr", "1e300", "--steps", "2", "--quiet"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(text.contains("for the loss L, η = 1e300\n"), "{text}");
    assert!(text.contains("in 2 steps of η = 1e300\n"), "{text}");
}

/// A CSV of four samples of two features of the size `magnitude`, labelled by xor of
/// their signs.
fn huge_csv(name: &str, magnitude: &str) -> String {
    let rows = [("", ""), ("", "-"), ("-", ""), ("-", "-")];
    let mut text = String::from("a,b,label\n");
    for (i, (sa, sb)) in rows.iter().enumerate() {
        let label = if (i == 1) || (i == 2) { "x" } else { "y" };
        text += &format!("{sa}{magnitude},{sb}{magnitude},{label}\n");
    }
    temp_file(name, text.as_bytes())
        .to_str()
        .unwrap()
        .to_string()
}

/// `gradproof train` on the CSV at `path`, all of it for training, with `extra` flags.
fn train_on(path: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["train", "--data", path, "--test-fraction", "0"];
    args.extend(extra);
    gradproof(&args)
}

#[test]
fn features_beyond_1e154_are_standardized_and_learned() {
    // Their squares overflow; standardizing them once made every feature 0 (50 %).
    let path = huge_csv("huge.csv", "1e300");
    let out = train_on(&path, &["--epochs", "300", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["final"]["train"]["accuracy"], 1.0);
}

#[test]
fn inputs_that_overflow_before_any_step_are_blamed_not_the_learning_rate() {
    let path = huge_csv("overflow.csv", "1.7e308");
    let out = train_on(
        &path,
        &["--no-standardize", "--activation", "relu", "--lr", "1e-9"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the network overflows on the training data before training"),
        "{err}"
    );
    assert!(err.contains("the learning rate plays no part"), "{err}");
    assert!(err.contains("hint: leave out --no-standardize"), "{err}");
    assert!(
        !err.contains("smaller learning rate") && !err.contains("lower --lr"),
        "{err}"
    );
    // Standardized, the same data trains.
    let out = train_on(&path, &["--activation", "relu", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn unscaled_inputs_that_grow_the_weights_until_overflow_get_both_remedies() {
    // The first gradient is finite; the step it drives makes the next one overflow.
    let path = huge_csv("big.csv", "1e150");
    let out = train_on(
        &path,
        &[
            "--no-standardize",
            "--activation",
            "relu",
            "--output-activation",
            "relu",
            "--quiet",
        ],
    );
    assert_bad_input_after_header(
        &out,
        &[
            "training diverged at epoch 1, step 2",
            "the steps grew the weights until the network overflowed",
            "hint: lower --lr (the learning rate) (large features make large gradients: \
             leave out --no-standardize)",
        ],
    );
}

#[test]
fn features_that_saturate_the_untrained_network_are_blamed_not_the_learning_rate() {
    // relu into sigmoid on features of 1e150: every output is exactly 0 or 1 from the
    // start, so no gradient is ever non-zero; training once ran on at a loss of 0.25.
    let path = huge_csv("saturating.csv", "1e150");
    let out = train_on(
        &path,
        &["--no-standardize", "--activation", "relu", "--quiet"],
    );
    assert_bad_input_after_header(
        &out,
        &[
            "training stalled in epoch 1: every gradient was exactly 0",
            "no step ever moved them: the features saturate the untrained network",
            "hint: leave out --no-standardize",
        ],
    );
    assert!(!stderr(&out).contains("lower --lr"), "{}", stderr(&out));
}

/// Exit 2 with every piece in the error, after the header `train` prints first.
fn assert_bad_input_after_header(out: &std::process::Output, expected: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for piece in expected {
        assert!(err.contains(piece), "`{piece}` not in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_flag_values_still_come_before_any_output() {
    let out = gradproof(&["train", "--data", "xor", "--lr", "0"]);
    assert_bad_input(&out, &["usage: gradproof train"]);
}

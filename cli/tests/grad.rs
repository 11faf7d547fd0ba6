//! `gradproof grad`: values and the tape's gradient of a `.grad` file's loss.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_path};
use gradproof::nn::document::error_bounds::closed_form_rounding_bound;
use gradproof::nn::document::walkthrough::example;
use gradproof::nn::document::{forward, gradient, PAIRS};

#[test]
fn grad_of_seed_grad_is_the_documents_gradient_on_all_18_weights() {
    let out = gradproof(&["grad", "examples/seed.grad", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty());
    let report = json(&out);
    assert_eq!(report["of"], "L");
    let gradient_json = report["gradient"].as_object().unwrap();
    // The default: every parameter, in declaration order.
    let names: Vec<&str> = gradient_json.keys().map(String::as_str).collect();
    let expected: Vec<String> = PAIRS.iter().map(|(i, j)| format!("w{i}{j}")).collect();
    assert_eq!(names, expected);

    let (w, s, _) = example();
    let fwd = forward(&w, &s);
    let closed = gradient(&w, &fwd);
    let bound = closed_form_rounding_bound(&w, &fwd);
    for (i, j) in PAIRS {
        let tape = report["gradient"][format!("w{i}{j}")].as_f64().unwrap();
        let document = closed[(i, j)];
        assert!(
            (tape - document).abs() <= bound[(i, j)],
            "∂L/∂ω{i}{j}: tape {tape:e}, document {document:e}"
        );
    }
    // The values are every quantity of the file, the loss among them.
    let values = report["values"].as_object().unwrap();
    assert_eq!(values.keys().next().map(String::as_str), Some("x1"));
    assert_eq!(values.len(), 7 + 18 + 16);
    assert_eq!(report["values"]["L"].as_f64().unwrap(), fwd.loss());
    assert_eq!(report["values"]["yhat8"].as_f64().unwrap(), fwd.yhat(8));
}

#[test]
fn grad_of_a_named_quantity_by_inputs_and_intermediates_is_its_adjoint() {
    let out = gradproof(&[
        "grad",
        "examples/seed.grad",
        "--of",
        "L7",
        "--wrt",
        "yhat7,a4,w58",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["of"], "L7");
    let v = |name: &str| report["values"][name].as_f64().unwrap();
    let g = |name: &str| report["gradient"][name].as_f64().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-15 * (1.0 + b.abs());
    // ∂L7/∂ŷ7 = ŷ7 − y7; ∂L7/∂α4 = (ŷ7 − y7) ŷ7 (1 − ŷ7) ω47; L7 does not depend on ω58.
    let dl_dyhat = v("yhat7") - v("y7");
    assert!(close(g("yhat7"), dl_dyhat), "{}", g("yhat7"));
    let dl_da4 = dl_dyhat * v("yhat7") * (1.0 - v("yhat7")) * v("w47");
    assert!(close(g("a4"), dl_da4), "{} vs {dl_da4}", g("a4"));
    assert_eq!(g("w58"), 0.0);
    let order: Vec<&String> = report["gradient"].as_object().unwrap().keys().collect();
    assert_eq!(order, ["yhat7", "a4", "w58"], "in the order asked");
}

#[test]
fn grad_prints_values_and_gradient_for_people() {
    let out = gradproof(&["grad", "examples/seed.grad", "--wrt", "w47", "--wrt", "w14"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("examples/seed.grad, at the file's values\n\nvalues\n  x1     = 0.05\n")
    );
    assert!(text.contains("  L      = 0.3062899742048088\n"), "{text}");
    assert!(text.contains("gradient of L, by one reverse sweep of the tape\n"));
    assert!(
        text.contains("  ∂L/∂w47 = +7.602509519468052e-2\n"),
        "{text}"
    );
    assert!(text.contains("  ∂L/∂w14 = +7.05585655555519"), "{text}");
}

#[test]
fn grad_without_parameters_differentiates_by_the_inputs() {
    let file = temp_path(
        "inputs.grad",
        b"input x = 2\ninput y = 3\nloss f = x^2 * y\n",
    );
    let report = json(&gradproof(&["grad", &file, "--json"]));
    assert_eq!(report["gradient"], serde_json::json!({"x": 12.0, "y": 4.0}));
}

#[test]
fn a_non_finite_value_is_reported_not_passed() {
    let file = temp_path("nan.grad", b"param w = -1\nloss L = sqrt(w)\n");
    let out = gradproof(&["grad", &file, "--json"]);
    let report = json(&out);
    assert!(report["values"]["L"].is_null(), "NaN is null in JSON");
    assert!(stderr(&out).contains("warning: L is NaN at the file's values"));
}

#[test]
fn unknown_names_are_errors_with_the_closest_name() {
    let out = gradproof(&["grad", "examples/seed.grad", "--wrt", "w47,yaht7"]);
    assert_bad_input(
        &out,
        &[
            "--wrt yaht7: `yaht7` is not declared or defined in examples/seed.grad",
            "hint: did you mean `yhat7`?",
        ],
    );
    let out = gradproof(&["grad", "examples/seed.grad", "--of", "Loss"]);
    assert_bad_input(
        &out,
        &[
            "--of Loss",
            "hint: the names in examples/seed.grad are `x1`, `x2`",
        ],
    );
    let out = gradproof(&["grad", "examples/seed.grad", "--wrt", "w47,,w48"]);
    assert_bad_input(
        &out,
        &[
            "--wrt: an empty name",
            "hint: separate names with single commas",
        ],
    );
}

#[test]
fn a_file_without_a_loss_needs_of() {
    let file = temp_path(
        "noloss.grad",
        b"input x = 0.5\nparam w = 0.8\nyhat = sigma(w * x)\nL = 1/2 * (0.25 - yhat)^2\n",
    );
    let out = gradproof(&["grad", &file]);
    assert_bad_input(
        &out,
        &[
            "declares no `loss`, and no --of NAME",
            "hint: add --of NAME (one of `yhat`, `L`), or mark a definition as the loss",
        ],
    );
    let out = gradproof(&["grad", &file, "--of", "L", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["of"], "L");
}

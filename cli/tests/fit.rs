//! `gradproof fit`: plain gradient descent on a `.grad` file's parameters.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_path};
use gradproof::nn::document::walkthrough::Walkthrough;
use gradproof::nn::document::PAIRS;

#[test]
fn fit_lowers_the_loss_of_seed_grad_at_every_step_with_n_plus_1_losses() {
    let out = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--lr",
        "0.5",
        "--steps",
        "40",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "no progress bar when piped");
    let report = json(&out);
    let losses: Vec<f64> = report["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_f64().unwrap())
        .collect();
    assert_eq!(losses.len(), 41, "the start and after each of 40 steps");
    assert_eq!(losses[0], Walkthrough::example().forward.loss());
    for (step, pair) in losses.windows(2).enumerate() {
        assert!(
            pair[1] < pair[0],
            "step {}: {} → {}",
            step + 1,
            pair[0],
            pair[1]
        );
    }
    assert!(losses[40] < 0.5 * losses[0]);
    let params = report["params"].as_object().unwrap();
    let names: Vec<&str> = params.keys().map(String::as_str).collect();
    let expected: Vec<String> = PAIRS.iter().map(|(i, j)| format!("w{i}{j}")).collect();
    assert_eq!(
        names, expected,
        "the 18 weights; inputs and eta are not fitted"
    );
    assert_eq!(report["start"]["w47"], 0.4);
}

#[test]
fn one_step_of_fit_is_the_documents_update_and_eta_comes_from_the_file() {
    // No --lr: the file's eta = 0.5, the walkthrough's η.
    let out = gradproof(&["fit", "examples/seed.grad", "--steps", "1", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["learning_rate"], 0.5);
    let walkthrough = Walkthrough::example();
    for (i, j) in PAIRS {
        let fitted = report["params"][format!("w{i}{j}")].as_f64().unwrap();
        let document = walkthrough.updated[(i, j)];
        assert!(
            (fitted - document).abs() <= 1e-15,
            "ω̂{i}{j}: fit {fitted}, document {document}"
        );
    }
    let after = report["losses"][1].as_f64().unwrap();
    assert!((after - walkthrough.after.loss()).abs() <= 1e-15);
}

#[test]
fn fit_prints_a_table_and_the_parameters_for_people() {
    let out = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--steps",
        "20",
        "--report-every",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with(
        "examples/seed.grad: 20 steps of gradient descent on 18 parameters for the loss L, η = 0.5\n"
    ));
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(char::is_numeric))
        .collect();
    assert_eq!(rows.len(), 3, "steps 0, 10, 20:\n{text}");
    assert!(rows[0].ends_with("3.062899742048088e-1"), "{}", rows[0]);
    assert!(text.contains("\nparameters, before → after\n  w14  0.15 "));
    assert!(text.contains("\nL fell from 3.062899742048088e-1 to "));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));

    let quiet = gradproof(&["fit", "examples/seed.grad", "--steps", "20", "--quiet"]);
    let text = stdout(&quiet);
    assert!(!text.contains("  step ") && text.contains("L fell from"));
}

#[test]
fn fit_draws_the_loss_curve() {
    let svg = std::env::temp_dir().join(format!("gradproof-cli-{}-fit.svg", std::process::id()));
    let out = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--steps",
        "100",
        "--quiet",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).expect("the plot was written");
    assert!(text.starts_with("<svg") && text.contains("step"));
    let curve = text.split("<polyline").find(|p| {
        p.split("points=\"")
            .nth(1)
            .is_some_and(|pts| pts.split(' ').count() > 100)
    });
    assert!(curve.is_some(), "a polyline through the 101 losses");
}

#[test]
fn a_diverging_fit_stops_with_an_error_naming_the_step() {
    // L = w², step w ← w − 10·2w = −19w: the loss grows 361-fold per step.
    let file = temp_path("diverge.grad", b"param w = 1\nloss L = w^2\n");
    let out = gradproof(&["fit", &file, "--lr", "10", "--steps", "1000", "--json"]);
    assert_bad_input(
        &out,
        &[
            "the loss L is inf after 121 steps",
            "w = -5.",
            "hint: the steps diverged: lower --lr",
        ],
    );
    // A loss that leaves its domain: sqrt of a negative parameter is NaN.
    let file = temp_path("domain.grad", b"param w = 1\nloss L = sqrt(w)\n");
    let out = gradproof(&["fit", &file, "--lr", "4", "--steps", "10", "--json"]);
    assert_bad_input(&out, &["the loss L is NaN after 1 step, with w = -1"]);
}

#[test]
fn a_non_finite_gradient_stops_the_fit() {
    // √w at w = 0: the loss is 0, its derivative 1/(2√0) = ∞.
    let file = temp_path("kink.grad", b"param w = 0\nloss L = sqrt(w)\n");
    let out = gradproof(&["fit", &file, "--lr", "0.1", "--json"]);
    assert_bad_input(
        &out,
        &["∂L/∂w is inf at the file's values (the loss is 0)", "hint:"],
    );
}

#[test]
fn fit_needs_parameters_and_a_learning_rate() {
    let file = temp_path("noparams.grad", b"input x = 1\nloss L = x^2\n");
    let out = gradproof(&["fit", &file, "--lr", "0.1"]);
    assert_bad_input(&out, &["declares no parameters", "hint: declare"]);
    let file = temp_path("noeta.grad", b"param w = 1\nloss L = w^2\n");
    let out = gradproof(&["fit", &file]);
    assert_bad_input(
        &out,
        &[
            "declares no `eta`, and no --lr",
            "hint: give the learning rate",
        ],
    );
    for bad in ["0", "-1", "inf", "fast"] {
        let out = gradproof(&["fit", "examples/seed.grad", "--lr", bad]);
        assert_bad_input(&out, &["usage: gradproof fit", bad]);
    }
}

#[test]
fn more_steps_than_can_be_kept_is_an_error_before_any_work() {
    let out = gradproof(&["fit", "examples/seed.grad", "--steps", "99999999999"]);
    assert_bad_input(
        &out,
        &[
            "usage: gradproof fit",
            "`99999999999` is more than 100000000",
            "fit in fewer steps",
        ],
    );
}

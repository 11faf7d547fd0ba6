//! The real binary, run as a user runs it: the walkthrough, `gradproof train`, and the
//! help of every command. The commands on `.grad` files have a test file each.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_file};
use gradproof::nn::document::walkthrough::Walkthrough;

#[test]
fn walkthrough_program_prints_within_80_columns_and_exits_0() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradproof"))
        .output()
        .expect("run gradproof");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert_eq!(text, Walkthrough::example().to_string());
    for line in text.lines() {
        // Columns, not bytes: the combining circumflex of ω̂ takes none.
        let columns = line.chars().filter(|&c| c != '\u{302}').count();
        assert!(columns <= 80, "{columns} columns: {line}");
    }
}

#[test]
fn walkthrough_shows_four_gradients_side_by_side_and_every_seed_claim_verified() {
    let out = gradproof(&[]);
    let text = stdout(&out);
    assert!(
        text.contains("closed form              tape     central diff.          symbolic"),
        "{text}"
    );
    // ω47's row: the four columns, the symbolic one from seed.grad's derivative.
    let row = text
        .lines()
        .find(|l| l.starts_with("  ω47 +"))
        .expect("a row for ω47");
    assert_eq!(row.split_whitespace().count(), 5, "{row}");
    assert!(text.contains("∂L/∂ω47 = (yhat7 - y7) * yhat7 * (1 - yhat7) * a4"));
    assert!(text.contains("max |symbolic − tape|"));
    assert!(text.contains("(each within its error-model bound)"));
    // The claims section: one row per claim as written, templates counted.
    assert!(text.contains("Claims of examples/seed.grad (gradproof check examples/seed.grad)"));
    assert!(text.contains("  line 61  proved ×9 for i in 4..6, j in 7..9: next(w{i}{j})"));
    assert!(text.contains("  38 claims: 38 proved, 0 hold at points, 0 fail, 0 undecided"));
    // The claims come before the update, which still closes the walkthrough.
    let claims = text.find("Claims of").unwrap();
    let update = text.find("Update ω̂_ij").unwrap();
    assert!(claims < update);
    // The update closes the numbers; only the verdict line follows it.
    assert!(text.trim_end().contains(&format!(
        "L after the update  = {:.15e}\n\nAll four ways agree",
        Walkthrough::example().after.loss()
    )));
}

#[test]
fn walkthrough_program_ends_with_one_line_saying_all_four_ways_agree() {
    let out = gradproof(&[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(
        text.lines().last(),
        Some("All four ways agree on all 18 gradients, and all 38 claims are proved.")
    );
}

#[test]
fn walkthrough_program_rejects_arguments_with_usage_and_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradproof"))
        .arg("--frobnicate")
        .output()
        .expect("run gradproof");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: gradproof"));
}

#[test]
fn walkthrough_json_carries_every_number_the_text_shows() {
    let out = gradproof(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let walkthrough = Walkthrough::example();
    assert_eq!(doc["agrees"], true);
    assert_eq!(doc["losses"]["L"], walkthrough.forward.loss());
    assert_eq!(doc["forward"]["yhat7"], walkthrough.forward.yhat(7));
    let gradient = doc["gradient"].as_object().expect("gradient by weight");
    assert_eq!(gradient.len(), 18);
    for ((i, j), closed) in walkthrough.closed_form.iter() {
        let g = &gradient[&format!("w{i}{j}")];
        assert_eq!(g["closed_form"], closed);
        assert_eq!(g["tape"], walkthrough.tape[(i, j)]);
        assert_eq!(
            doc["updated"][format!("w{i}{j}")],
            walkthrough.updated[(i, j)]
        );
    }
    let claims = doc["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 38);
    assert!(claims.iter().all(|c| c["verdict"] == "proved"));
}

#[test]
fn json_before_a_command_is_a_usage_error_saying_where_it_goes() {
    let out = gradproof(&["--json", "check", "examples/seed.grad"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("put --json after the command"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------
// gradproof train
// ---------------------------------------------------------------------------------------

#[test]
fn train_solves_xor_with_the_default_recipe_and_json_reports_every_epoch() {
    let out = gradproof(&["train", "--data", "xor", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["command"], "train");
    assert_eq!(report["data"]["name"], "xor");
    assert_eq!(report["network"]["sizes"], serde_json::json!([2, 8, 2]));
    assert_eq!(report["network"]["hidden_activation"], "sigmoid");
    assert_eq!(report["settings"]["learning_rate"], 2.0);
    let epochs = report["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 501, "epoch 0 and 500 epochs");
    assert_eq!(epochs[0]["epoch"], 0);
    assert!(
        epochs[0]["test"].is_null(),
        "no test set for xor by default"
    );
    assert_eq!(report["final"]["train"]["accuracy"], 1.0);
    assert!(report["final"]["train"]["loss"].as_f64().unwrap() < 0.01);
    assert_eq!(report["steps"], 2000);
    assert_eq!(report["check_failed"], false);
    // Nothing but the document: no progress bar or table when piped.
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn train_reaches_95_percent_on_iris_with_the_documents_recipe() {
    let out = gradproof(&["train", "--data", "iris", "--check-every", "2000", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["data"]["train_samples"], 120);
    assert_eq!(report["data"]["test_samples"], 30);
    assert_eq!(
        report["data"]["classes"],
        serde_json::json!(["setosa", "versicolor", "virginica"])
    );
    let accuracy = report["final"]["train"]["accuracy"].as_f64().unwrap();
    assert!(accuracy >= 0.95, "training accuracy {accuracy}");
    assert!(report["final"]["test"]["accuracy"].as_f64().unwrap() >= 0.9);
    // The gradient was checked along the way and held.
    let checks = &report["checks"];
    assert_eq!(checks["checks"], 30);
    assert!(checks["worst_tape_ratio"].as_f64().unwrap() < 1.0);
    assert!(checks["worst_spot_ratio"].as_f64().unwrap() < 1.0);
    assert!(report["check_failure"].is_null());
}

#[test]
fn train_prints_a_table_and_a_summary_for_people() {
    let out = gradproof(&[
        "train",
        "--data",
        "xor",
        "--epochs",
        "100",
        "--report-every",
        "50",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("network  2-8-2, sigmoid hidden, sigmoid output, biases"));
    assert!(text.contains(" epoch   train loss  train acc"));
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(char::is_numeric))
        .collect();
    assert_eq!(rows.len(), 3, "epochs 0, 50, 100:\n{text}");
    assert!(text.contains("after 100 epochs (400 steps"));
    // Piped: no progress bar.
    assert!(out.stderr.is_empty(), "{}", stderr(&out));

    let quiet = gradproof(&["train", "--data", "xor", "--epochs", "100", "--quiet"]);
    let text = stdout(&quiet);
    assert!(!text.contains(" epoch   train loss") && text.contains("after 100 epochs"));
}

#[test]
fn a_wrong_gradient_is_caught_by_the_check_with_exit_1_and_the_coordinate_named() {
    let out = gradproof(&[
        "train",
        "--data",
        "iris",
        "--check-every",
        "1",
        "--wrong-backward",
        "sign-flipped",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("GRADIENT CHECK FAILED before step 1"),
        "{text}"
    );
    assert!(text.contains("(the weight from neuron") || text.contains("(the bias of neuron"));
    assert!(text.contains("vs tape"), "{text}");

    let out = gradproof(&[
        "train",
        "--data",
        "xor",
        "--check-every",
        "1",
        "--wrong-backward",
        "hidden-derivative-dropped",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["check_failed"], true);
    assert_eq!(report["steps"], 0);
    let worst = &report["check_failure"]["failures"][0];
    // Only the hidden layer's parameters are wrong when f′ is dropped there.
    assert_eq!(worst["parameter"]["layer"], 0, "{worst}");
    assert!(worst["coordinate"].as_u64().is_some());
    assert!(worst["tolerance"].as_f64().unwrap() < 1e-10);
}

#[test]
fn every_activation_trains_with_its_gradient_checked() {
    for activation in ["sigmoid", "tanh", "relu"] {
        let out = gradproof(&[
            "train",
            "--data",
            "iris",
            "--activation",
            activation,
            "--lr",
            "0.5",
            "--batch-size",
            "8",
            "--epochs",
            "30",
            "--check-every",
            "10",
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{activation}: {}", stderr(&out));
        let report = json(&out);
        assert_eq!(report["network"]["hidden_activation"], activation);
        assert!(report["checks"]["checks"].as_u64().unwrap() >= 45);
        assert!(
            report["final"]["train"]["accuracy"].as_f64().unwrap() > 0.8,
            "{activation}"
        );
    }
}

#[test]
fn train_reads_a_csv_file_with_a_named_label_column() {
    let csv = temp_file(
        "ok.csv",
        b"colour,x,y\nred,0,0\nblue,0,1\nblue,1,0\nred,1,1\nred,0.1,0\nblue,0.9,0.1\n",
    );
    let out = gradproof(&[
        "train",
        "--data",
        csv.to_str().unwrap(),
        "--label",
        "colour",
        "--test-fraction",
        "0",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["data"]["features"], serde_json::json!(["x", "y"]));
    assert_eq!(
        report["data"]["classes"],
        serde_json::json!(["blue", "red"])
    );
    assert_eq!(report["final"]["train"]["accuracy"], 1.0);
}

#[test]
fn train_draws_the_loss_and_accuracy_curves_as_svg() {
    let svg = std::env::temp_dir().join(format!("gradproof-cli-{}-plot.svg", std::process::id()));
    let out = gradproof(&[
        "train",
        "--data",
        "xor",
        "--quiet",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).expect("the plot was written");
    assert!(text.starts_with("<svg"));
    assert!(text.contains("accuracy") && text.contains("epoch"));
    // Two curves (loss, accuracy), each a polyline through the 501 epochs.
    let curves = text
        .split("<polyline")
        .filter(|p| {
            p.split("points=\"")
                .nth(1)
                .is_some_and(|pts| pts.split(' ').count() > 500)
        })
        .count();
    assert_eq!(curves, 2);

    let out = gradproof(&["train", "--data", "xor", "--plot", "/no/such/folder/x.svg"]);
    assert_eq!(out.status.code(), Some(2));
    assert_bad_input(
        &out,
        &["--plot /no/such/folder/x.svg: the folder `/no/such/folder` does not exist"],
    );
}

// ---- Bad input: exit 2, a message naming what and where and what to do. ----

#[test]
fn a_missing_file_is_named_with_what_to_do() {
    let out = gradproof(&["train", "--data", "no-such-file.csv"]);
    assert_bad_input(
        &out,
        &[
            "cannot read `no-such-file.csv`",
            "hint: --data takes `xor`, `iris`",
        ],
    );
}

#[test]
fn an_empty_file_is_an_error_not_an_empty_training() {
    let path = temp_file("empty.csv", b"");
    let out = gradproof(&["train", "--data", path.to_str().unwrap()]);
    assert_bad_input(
        &out,
        &[path.to_str().unwrap(), "line 1", "the file is empty"],
    );

    let path = temp_file("header-only.csv", b"a,b,label\n");
    let out = gradproof(&["train", "--data", path.to_str().unwrap()]);
    assert_bad_input(&out, &["line 2", "a header but no data rows"]);
}

#[test]
fn binary_garbage_is_reported_as_not_text() {
    let path = temp_file(
        "garbage.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8",
    );
    let out = gradproof(&["train", "--data", path.to_str().unwrap()]);
    assert_bad_input(&out, &["line 1", "byte 0 is not UTF-8 text", "binary file"]);
}

#[test]
fn a_csv_without_the_label_column_lists_the_columns_it_has() {
    let path = temp_file("nolabel.csv", b"a,b,c\n1,2,x\n3,4,y\n");
    let out = gradproof(&[
        "train",
        "--data",
        path.to_str().unwrap(),
        "--label",
        "species",
    ]);
    assert_bad_input(
        &out,
        &[
            "no column named `species`",
            "`a`, `b`, `c`",
            "hint: name the label column with --label",
        ],
    );
}

#[test]
fn a_non_number_cell_is_named_by_line_and_column() {
    let path = temp_file("nan.csv", b"a,b,label\n1,2,x\n3,four,y\n");
    let out = gradproof(&["train", "--data", path.to_str().unwrap()]);
    assert_bad_input(&out, &["line 3, column 2 (`b`)", "`four` is not a number"]);

    let path = temp_file("short.csv", b"a,b,label\n1,2,x\n3,y\n");
    let out = gradproof(&["train", "--data", path.to_str().unwrap()]);
    assert_bad_input(&out, &["line 3", "2 cells, but the header has 3"]);
}

#[test]
fn bad_flag_values_are_usage_errors_naming_the_flag() {
    for (args, expected) in [
        (&["--lr", "0"][..], "`0` is not a positive number"),
        (&["--lr", "-1"], "`-1` is not a positive number"),
        (&["--lr", "fast"], "'--lr <ETA>'"),
        (&["--layers", "8,0"], "`0` is not a layer size"),
        (&["--layers", "eight"], "'--layers <SIZES>'"),
        (
            &["--activation", "softmax"],
            "unknown activation `softmax`: use sigmoid, tanh or relu",
        ),
        (
            &["--test-fraction", "1.5"],
            "`1.5` is not a fraction in [0, 1)",
        ),
        (&["--batch-size", "0"], "`0` is not a positive whole number"),
        (&["--check-every", "0"], "'--check-every <K>'"),
        (&["--epochs", "-3"], "`-3` is not a positive whole number"),
        (&["--wrong-backward", "typo"], "unknown flaw `typo`"),
    ] {
        let mut all = vec!["train"];
        all.extend_from_slice(args);
        let out = gradproof(&all);
        assert_bad_input(&out, &["usage: gradproof train", expected]);
    }
    let out = gradproof(&["train", "--data", "xor", "--label", "y"]);
    assert_bad_input(&out, &["--label y", "built-in data set `xor`", "hint:"]);
    let out = gradproof(&["train", "--data", "xor", "--test-fraction", "0.1"]);
    assert_bad_input(&out, &["--test-fraction 0.1", "leaves no test sample"]);
}

#[test]
fn every_command_has_help_with_an_example() {
    let out = gradproof(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let top = stdout(&out);
    for command in ["check", "grad", "diff", "dot", "fit", "train"] {
        assert!(
            top.contains(&format!("  {command}  ")),
            "{command} listed: {top}"
        );
        assert!(
            top.contains(&format!("gradproof {command} ")),
            "{command}: {top}"
        );
        for args in [&[command, "--help"][..], &["help", command]] {
            let out = gradproof(args);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            let text = stdout(&out);
            assert!(
                text.contains("Examples:") && text.contains(&format!("  gradproof {command} ")),
                "{args:?}: {text}"
            );
        }
    }
}

#[test]
fn sizes_too_large_to_allocate_are_errors_not_aborts() {
    // 10^10 weights would abort on allocation: refused up front, with the count.
    let out = gradproof(&["train", "--data", "xor", "--layers", "100000,100000"]);
    assert_bad_input(&out, &["--layers", "10000600002 parameters", "hint:"]);
    // A batch larger than the data is the whole data, not a huge reservation.
    let out = gradproof(&[
        "train",
        "--data",
        "xor",
        "--batch-size",
        "99999999999",
        "--epochs",
        "3",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

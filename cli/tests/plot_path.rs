//! `--plot` is checked before the run: a path that cannot be written ends the command
//! at once with exit 2, before any output, instead of after a long run.

mod common;

use common::{assert_bad_input, gradproof, stderr};

/// A path in the temporary folder, unique to this test process and `name`.
fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("gradproof-cli-{}-{name}", std::process::id()))
}

#[test]
fn a_plot_in_a_missing_folder_is_refused_before_the_run() {
    let svg = temp("no-such-folder").join("loss.svg");
    let svg = svg.to_str().unwrap();
    // Both runs would take long (fit: millions of steps); the header they print first
    // is absent, so nothing ran.
    let fit = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--steps",
        "50000000",
        "--plot",
        svg,
    ]);
    let train = gradproof(&[
        "train", "--data", "iris", "--epochs", "100000", "--plot", svg,
    ]);
    for out in [fit, train] {
        assert_bad_input(
            &out,
            &[
                &format!("--plot {svg}: the folder"),
                "does not exist",
                "hint: --plot takes the path of an SVG file in a folder that exists",
            ],
        );
    }
}

#[test]
fn a_plot_path_that_is_a_folder_or_unwritable_is_refused() {
    let folder = std::env::temp_dir();
    let out = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--plot",
        folder.to_str().unwrap(),
    ]);
    assert_bad_input(&out, &["this is a folder, not a file"]);

    // A file that cannot be opened for writing (running as root ignores permissions,
    // so a path under a regular file stands in: its "folder" is not one).
    let file = temp("plain-file");
    std::fs::write(&file, b"not a folder").unwrap();
    let under = file.join("loss.svg");
    let out = gradproof(&["train", "--data", "xor", "--plot", under.to_str().unwrap()]);
    assert_bad_input(&out, &["--plot", "does not exist"]);
}

#[test]
fn checking_the_plot_path_neither_leaves_a_file_nor_truncates_one() {
    // A run that fails after the check leaves no empty plot behind.
    let svg = temp("never-drawn.svg");
    let _ = std::fs::remove_file(&svg);
    let diverging = common::temp_path("diverge-plot.grad", b"param w = 1\nloss L = w^2\n");
    // η = 10 on w²: each step multiplies w by −19, so the run diverges after the check.
    let diverge = || {
        gradproof(&[
            "fit",
            &diverging,
            "--lr",
            "10",
            "--steps",
            "1000",
            "--quiet",
            "--plot",
            svg.to_str().unwrap(),
        ])
    };
    let out = diverge();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!svg.exists(), "an empty plot was left behind");

    // An existing file keeps its content when the run fails before the plot is drawn.
    std::fs::write(&svg, b"an earlier plot").unwrap();
    let out = diverge();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&svg).unwrap(), b"an earlier plot");

    // And a run that succeeds draws it.
    let out = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--steps",
        "3",
        "--quiet",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
}

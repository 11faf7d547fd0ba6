//! Bad `.grad` input, for every command that reads one: a missing file, a syntax error,
//! an unknown name, an empty file, binary garbage. Each ends with exit 2, nothing on
//! stdout, and a message on stderr naming the file, line and column.

mod common;

use common::{assert_bad_input, gradproof, temp_path};

/// Every command on `file`, with the arguments it needs besides.
fn every_command(file: &str) -> Vec<Vec<String>> {
    let commands: [&[&str]; 5] = [
        &["check"],
        &["grad"],
        &["diff", "--wrt", "w"],
        &["dot"],
        &["fit", "--lr", "0.1"],
    ];
    commands
        .iter()
        .map(|c| {
            let mut args = vec![c[0].to_string(), file.to_string()];
            args.extend(c[1..].iter().map(|a| a.to_string()));
            args
        })
        .collect()
}

fn run(args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    gradproof(&args)
}

#[test]
fn a_missing_file_is_named_with_what_to_do() {
    for args in every_command("no-such-file.grad") {
        assert_bad_input(
            &run(&args),
            &[
                "cannot read `no-such-file.grad`",
                "hint: give the path of a .grad file",
            ],
        );
    }
}

#[test]
fn a_syntax_error_names_line_and_column_with_a_caret() {
    let file = temp_path(
        "syntax.grad",
        b"input x = 0.5\nparam w = 0.8\nyhat = sigma(w * x\nloss L = (yhat - 1)^2\n",
    );
    for args in every_command(&file) {
        assert_bad_input(
            &run(&args),
            &[
                "gradproof: error: this '(' is never closed",
                &format!("--> {file}:3:8"),
                "3 | yhat = sigma(w * x\n  |        ^^^^^^",
                "hint: add ')'",
            ],
        );
    }
}

#[test]
fn an_unknown_name_in_the_file_is_shown_where_it_is_with_the_closest_name() {
    let file = temp_path(
        "unknown.grad",
        b"input x = 0.5\nparam w = 0.8\nyhat = sigma(w * x)\nloss L = (yaht - 1)^2\n",
    );
    for args in every_command(&file) {
        assert_bad_input(
            &run(&args),
            &[
                "`yaht`",
                &format!("{file}:4:11"),
                "4 | loss L = (yaht - 1)^2",
                "did you mean `yhat`?",
            ],
        );
    }
}

#[test]
fn an_empty_file_is_an_error_not_an_empty_result() {
    for (name, content) in [
        ("empty.grad", &b""[..]),
        ("blank.grad", b"\n  \n# only a comment\n"),
    ] {
        let file = temp_path(name, content);
        for args in every_command(&file) {
            assert_bad_input(
                &run(&args),
                &[&format!("{file}:1:1: the file has no statements"), "hint:"],
            );
        }
    }
}

#[test]
fn binary_garbage_is_reported_as_not_text_where_it_starts() {
    let file = temp_path(
        "garbage.grad",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8",
    );
    for args in every_command(&file) {
        assert_bad_input(
            &run(&args),
            &[
                &format!("{file}:1:1: byte 0 is not UTF-8 text"),
                "binary file",
            ],
        );
    }
    // UTF-8, but not text: a NUL on line 2.
    let file = temp_path("nul.grad", b"input x = 1\nparam w\x00 = 2\n");
    for args in every_command(&file) {
        assert_bad_input(
            &run(&args),
            &[
                &format!("{file}:2:8: byte 19 is the control character U+0000"),
                "binary file",
            ],
        );
    }
    // Invalid UTF-8 after valid text: the place of the first bad byte.
    let file = temp_path("latin1.grad", b"input x = 1\n# caf\xe9\n");
    assert_bad_input(
        &run(&every_command(&file)[0]),
        &[&format!("{file}:2:6: byte 17 is not UTF-8 text")],
    );
}

/// A megabyte of junk, every line an error: the first 20 errors, then how many more,
/// in bounded output, with exit 2 for every command.
#[test]
fn a_file_of_junk_prints_twenty_errors_and_counts_the_rest() {
    let lines = 40_000;
    let junk = "$$ junk ¤ = = )\n".repeat(lines);
    let file = temp_path("junk.grad", junk.as_bytes());
    for args in every_command(&file) {
        let out = run(&args);
        assert_bad_input(
            &out,
            &[
                "unexpected character '$'",
                &format!("--> {file}:1:1"),
                &format!("--> {file}:20:1"),
                &format!("and {} more errors", lines - 20),
            ],
        );
        let err = common::stderr(&out);
        assert!(!err.contains(&format!("{file}:21:1")), "{err}");
        assert!(err.len() < 10_000, "stderr is bounded: {} bytes", err.len());
    }
}

//! The real binary, run as a user runs it.

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
fn walkthrough_program_rejects_arguments_with_usage_and_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradproof"))
        .arg("--frobnicate")
        .output()
        .expect("run gradproof");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: gradproof"));
}

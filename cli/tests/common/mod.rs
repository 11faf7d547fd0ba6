//! Running the real binary as a user runs it, from the workspace root (so that
//! `examples/seed.grad` is the path a README reader types), and reading what it says.

#![allow(dead_code)] // Each test file uses some of these.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The workspace root: where `examples/` is.
pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Runs `gradproof` with `args` from the workspace root.
pub fn gradproof(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradproof"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run gradproof")
}

/// Stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The whole of stdout as one JSON document (fails if anything else is there).
pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", stdout(out)))
}

/// A file in the temporary folder, unique to this test process and `name`.
pub fn temp_file(name: &str, content: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("gradproof-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, content).expect("write a temporary file");
    path
}

/// `temp_file`'s path as the `&str` an argument list takes.
pub fn temp_path(name: &str, content: &[u8]) -> String {
    temp_file(name, content)
        .to_str()
        .expect("a UTF-8 temporary path")
        .to_string()
}

/// Asserts exit code 2, nothing on stdout, and one error message on stderr that
/// contains every piece of `expected`, with no Rust panic or backtrace.
pub fn assert_bad_input(out: &Output, expected: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(out));
    for piece in expected {
        assert!(err.contains(piece), "`{piece}` not in: {err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

/// The text of `examples/seed.grad`.
pub fn seed_source() -> String {
    std::fs::read_to_string(root().join("examples/seed.grad")).expect("examples/seed.grad")
}

//! Vector and matrix literals inside expressions: `y - [0, 1, 0]`, `W * [x1, x2, x3]`,
//! `[[1, 0], [0, 1]] * v`, entries any scalar expressions. Their shapes are checked
//! with the same errors as declared vectors and matrices (both shapes, line and
//! column); a ragged matrix is an error at the row that differs.

use gradproof::expr::{parse, ErrorKind, Verdict};
use proptest::prelude::*;

/// Each claim's verdict: `Some(true)` proved, `Some(false)` failed, `None` otherwise.
fn verdicts(source: &str) -> Vec<Option<bool>> {
    let program = parse(source).unwrap_or_else(|e| panic!("{e}"));
    program
        .verify()
        .into_iter()
        .map(|r| match r.verdict {
            Verdict::Proved { .. } => Some(true),
            Verdict::Fails(_) => Some(false),
            _ => None,
        })
        .collect()
}

#[test]
fn a_matrix_times_a_vector_literal_is_the_sums_written_out_and_a_wrong_order_fails() {
    let source = "\
input x1 = 0.5
input x2 = 0.25
param a = 0.1
param b = 0.2
param c = 0.3
param d = 0.4
claim [[a, b], [c, d]] * [x1, x2] = [a*x1 + b*x2, c*x1 + d*x2]
claim [[a, b], [c, d]] * [x1, x2] = [a*x1 + b*x2, c*x2 + d*x1]
claim [[a, b], [c, d]]^T = [[a, c], [b, d]]
claim [[1, 0], [0, 1]] * [x1, x2] = [x1, x2]
";
    assert_eq!(
        verdicts(source),
        [Some(true), Some(false), Some(true), Some(true)]
    );
}

#[test]
fn a_literal_target_in_a_loss_gives_the_gradient_of_a_one_hot_error() {
    let source = "\
param W: 3x3
input x: 3 = [0.05, 0.10, 0.15]
p = W * x
loss L = sum((p - [0, 1, 0]) ⊙ (p - [0, 1, 0])) / 2
claim grad(L, W) = (p - [0, 1, 0]) * x^T
claim grad(L, W) = x * (p - [0, 1, 0])^T
claim grad(L, p) = p - [0, 1, 0]
claim grad(L, p) = p - [1, 0, 0]
";
    assert_eq!(
        verdicts(source),
        [Some(true), Some(false), Some(true), Some(false)]
    );
}

#[test]
fn entries_are_any_scalar_expressions_and_a_literal_may_be_named() {
    let source = "\
input t = 0.7
v = [sin(t), cos(t), t^2 / 2]
claim grad(sum(v), t) = cos(t) - sin(t) + t
claim dot(v, [1, 0, 0]) = sin(t)
claim norm([3 * t, 4 * t])^2 = 25 * t^2
claim norm([3 * t, 4 * t]) = 5 * t
claim norm([3 * t, 4 * t])^2 = 49 * t^2
";
    let v = verdicts(source);
    assert_eq!(v[..2], [Some(true), Some(true)]);
    assert_ne!(v[2], Some(false));
    // `5 t` is the norm only for t ≥ 0: a negative t is a counterexample.
    assert_eq!(v[3..], [Some(false), Some(false)]);
}

/// The first error: its kind, message, and line:column.
fn error(source: &str) -> (ErrorKind, String, (usize, usize)) {
    let e = parse(source).expect_err(source);
    let d = &e.diagnostics()[0];
    let p = d.position();
    (d.kind(), d.to_string(), (p.line, p.column))
}

#[test]
fn a_shape_mismatch_with_a_literal_names_both_shapes_and_the_operator() {
    let (kind, message, at) = error("param W: 3x3\nz = W * [1, 2]\n");
    assert_eq!(kind, ErrorKind::ShapeMismatch);
    assert!(
        message.contains("a 3x3 matrix") && message.contains("a vector of 2"),
        "{message}"
    );
    assert_eq!(at, (2, 7));
    let (kind, message, at) = error("param v: 2\nclaim v = [1, 2, 3]\n");
    assert_eq!(kind, ErrorKind::ShapeMismatch);
    assert!(message.contains("a vector of 2") && message.contains("a vector of 3"));
    assert_eq!(at, (2, 7));
    let (kind, message, at) = error("input y: 3 = [0, 1, 0]\nr = y - [0, 1]\n");
    assert_eq!(kind, ErrorKind::ShapeMismatch, "{message}");
    assert_eq!(at, (2, 7));
}

#[test]
fn a_ragged_matrix_is_an_error_at_the_row_that_differs() {
    let (kind, message, at) = error("m = [[1, 2], [3, 4], [5]]\n");
    assert_eq!(kind, ErrorKind::ShapeMismatch);
    assert!(
        message.contains("this row has 1 entry, the first row 2"),
        "{message}"
    );
    assert_eq!(at, (1, 22));
}

#[test]
fn malformed_literals_are_errors_with_their_place() {
    for (source, kind, needle, at) in [
        (
            "param v: 2\nm = [v, v]\n",
            ErrorKind::ShapeMismatch,
            "an entry of a vector literal is a scalar, and this is a vector of 2",
            (2, 6),
        ),
        (
            "m = [[1, 2], 3]\n",
            ErrorKind::Syntax,
            "expected '[' and the next row",
            (1, 14),
        ),
        ("m = []\n", ErrorKind::Syntax, "at least one entry", (1, 6)),
        (
            "m = [[]]\n",
            ErrorKind::Syntax,
            "at least one entry",
            (1, 7),
        ),
        (
            "m = [1, 2)\n",
            ErrorKind::UnbalancedParenthesis,
            "this ')' closes the '['",
            (1, 10),
        ),
        (
            "m = [[1, 2], [3, 4]\n",
            ErrorKind::UnbalancedParenthesis,
            "this '[' is never closed",
            (1, 5),
        ),
        (
            "m = [[1, 2], [[1, 2], [3, 4]]]\n",
            ErrorKind::ShapeMismatch,
            "a row of a matrix literal is a list of scalars, and this is a 2x2 matrix",
            (1, 14),
        ),
    ] {
        let (k, message, place) = error(source);
        assert_eq!(k, kind, "{source}: {message}");
        assert!(message.contains(needle), "{source}: {message}");
        assert_eq!(place, at, "{source}: {message}");
    }
}

fn literal() -> impl Strategy<Value = String> {
    let entry = prop::sample::select(vec!["1", "x", "-2", "x^2", "v", "W", "[1]", "", "sin(x)"]);
    let row = prop::collection::vec(entry, 0..4).prop_map(|e| format!("[{}]", e.join(", ")));
    prop_oneof![
        row.clone(),
        prop::collection::vec(row, 0..4).prop_map(|r| format!("[{}]", r.join(", "))),
    ]
}

proptest! {
    /// Random literals, nested, ragged, empty or of the wrong shape, in products and
    /// claims: a program or an error with a place, never a panic.
    #[test]
    fn random_literals_never_panic(a in literal(), b in literal(), op in prop::sample::select(vec!["*", "+", "-", "⊙", "="])) {
        let source = if op == "=" {
            format!("input x = 0.5\nparam v: 2\nparam W: 2x2\nclaim {a} = {b}\n")
        } else {
            format!("input x = 0.5\nparam v: 2\nparam W: 2x2\nz = {a} {op} {b}\n")
        };
        match parse(&source) {
            Ok(p) => { let _ = p.verify(); }
            Err(e) => {
                let d = &e.diagnostics()[0];
                prop_assert!(d.position().line >= 1 && d.position().column >= 1, "{d}");
            }
        }
    }
}

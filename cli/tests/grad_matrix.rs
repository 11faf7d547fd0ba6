//! `gradproof grad` on a file of vectors and matrices: the gradient comes from the
//! program's tape plan (each matrix product one block record) and is, entry by entry,
//! the symbolic gradient's value; an intermediate's adjoint is still given.

mod common;

use common::{gradproof, json, stderr, temp_path};
use gradproof::expr::parse;

/// `∂of/∂name[...]` for every entry, from the symbolic gradient, by entry name.
fn symbolic(of: &str, names: &[&str]) -> Vec<(String, f64)> {
    let source = std::fs::read_to_string(common::root().join("examples/matrix.grad")).unwrap();
    let mut program = parse(&source).unwrap();
    let mut out = Vec::new();
    for &name in names {
        let (shape, ids) = program.gradient(of, name).unwrap();
        for (k, &d) in ids.iter().enumerate() {
            let (i, j) = (k / shape.cols + 1, k % shape.cols + 1);
            let entry = if shape.cols == 1 {
                format!("{name}[{i}]")
            } else {
                format!("{name}[{i}, {j}]")
            };
            out.push((entry, program.value(d)));
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-13 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn grad_of_a_matrix_file_is_the_symbolic_gradient_entry_by_entry() {
    let names = ["V1", "c1", "V2", "c2", "u"];
    let out = gradproof(&[
        "grad",
        "examples/matrix.grad",
        "--of",
        "E",
        "--wrt",
        &names.join(","),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    let gradient = report["gradient"].as_object().unwrap();
    let expected = symbolic("E", &names);
    assert_eq!(gradient.len(), expected.len());
    for (entry, value) in &expected {
        let got = gradient[entry].as_f64().unwrap();
        assert!(close(got, *value), "{entry}: grad {got}, symbolic {value}");
    }
    // The comparison tells layouts apart: V2 (3x5) read transposed would not pass.
    let v2 = |i: usize, j: usize| gradient[&format!("V2[{i}, {j}]")].as_f64().unwrap();
    let e = |i: usize, j: usize| {
        let name = format!("V2[{i}, {j}]");
        expected.iter().find(|(n, _)| *n == name).unwrap().1
    };
    assert!(!close(v2(1, 2), e(2, 1)));
    // The values are the file's quantities, the loss among them.
    assert!(report["values"]["E"].as_f64().unwrap() > 0.0);
}

#[test]
fn grad_of_a_matrix_file_by_an_intermediate_is_its_adjoint() {
    let out = gradproof(&["grad", "examples/matrix.grad", "--wrt", "z1,W1", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    for (entry, value) in symbolic("L", &["z1", "W1"]) {
        let got = report["gradient"][&entry].as_f64().unwrap();
        assert!(close(got, value), "{entry}: grad {got}, symbolic {value}");
    }
}

#[test]
fn grad_of_a_matrix_file_reports_a_non_finite_gradient() {
    // ln of a negative entry: NaN in the value and the gradient, warned about.
    let file = temp_path(
        "nan_matrix.grad",
        b"param W: 2x2 = [[1, 0], [0, -1]]\ninput x: 2 = [1, 1]\nloss L = sum(ln(W * x))\n",
    );
    let out = gradproof(&["grad", &file, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("is NaN"), "{}", stderr(&out));
}

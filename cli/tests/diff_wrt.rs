//! `gradproof diff --wrt` takes a list, as `grad --wrt` does: comma-separated,
//! repeated, or both, one derivative printed for each name.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout};

/// The derivative `diff` prints for one name alone.
fn alone(name: &str, flag: &str) -> String {
    let mut args = vec!["diff", "examples/seed.grad", "--wrt", name];
    if !flag.is_empty() {
        args.push(flag);
    }
    let out = gradproof(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_list_prints_each_derivative_in_order_as_each_alone_would() {
    let names = ["w47", "w14", "x1", "a4"];
    for flag in ["", "--latex"] {
        let expected: String = names.iter().map(|n| alone(n, flag)).collect();
        // Comma-separated, repeated, and the two mixed: the same output.
        let lists: [Vec<&str>; 3] = [
            vec!["--wrt", "w47,w14,x1,a4"],
            vec!["--wrt", "w47", "--wrt", "w14", "--wrt", "x1", "--wrt", "a4"],
            vec!["--wrt", "w47,w14", "--wrt", "x1", "--wrt", "a4"],
        ];
        for list in lists {
            let mut args = vec!["diff", "examples/seed.grad"];
            args.extend(list);
            if !flag.is_empty() {
                args.push(flag);
            }
            let out = gradproof(&args);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            assert_eq!(stdout(&out), expected, "{args:?}");
        }
    }
}

#[test]
fn json_has_one_entry_per_name_matching_the_tapes_gradient() {
    let out = gradproof(&[
        "diff",
        "examples/seed.grad",
        "--wrt",
        "w47,x1",
        "--wrt",
        "w47",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        (doc["file"].as_str(), doc["of"].as_str()),
        (Some("examples/seed.grad"), Some("L"))
    );
    let derivatives = doc["derivatives"].as_object().expect("derivatives by name");
    // A name given twice is differentiated once; the order is the order given.
    let keys: Vec<&str> = derivatives.keys().map(String::as_str).collect();
    assert_eq!(keys, ["w47", "x1"]);
    let tape = json(&gradproof(&[
        "grad",
        "examples/seed.grad",
        "--wrt",
        "w47,x1",
        "--json",
    ]));
    for name in keys {
        let d = &derivatives[name];
        assert!(
            d["text"].as_str().is_some_and(|t| t.contains("yhat7")),
            "{d}"
        );
        assert!(
            d["latex"]
                .as_str()
                .is_some_and(|t| t.contains("\\hat{y}_7")),
            "{d}"
        );
        let (symbolic, by_tape) = (
            d["value"].as_f64().unwrap(),
            tape["gradient"][name].as_f64().unwrap(),
        );
        assert!(
            (symbolic - by_tape).abs() <= 1e-15 * (1.0 + by_tape.abs()),
            "∂L/∂{name}: symbolic {symbolic:e}, tape {by_tape:e}"
        );
    }
}

#[test]
fn one_bad_name_in_a_list_prints_nothing_but_the_error() {
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "w47,w74"]);
    assert_bad_input(&out, &["--wrt w74", "hint: did you mean `w"]);
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "w47,"]);
    assert_bad_input(&out, &["--wrt: an empty name", "none at the end"]);
}

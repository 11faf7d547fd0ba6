//! `gradproof diff`: the simplified symbolic derivative, as text or LaTeX.

mod common;

use common::{assert_bad_input, gradproof, json, seed_source, stderr, stdout, temp_path};

#[test]
fn the_loss_by_w47_reads_as_the_document_writes_it() {
    let out = gradproof(&["diff", "examples/seed.grad", "--of", "L", "--wrt", "w47"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "grad(L, w47) = (yhat7 - y7) * yhat7 * (1 - yhat7) * a4\n  = 0.07602509519468052 at the file's values\n"
    );
}

#[test]
fn latex_uses_the_documents_notation() {
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "w47", "--latex"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "\\frac{\\partial L}{\\partial \\omega_{47}} = \\left(\\hat{y}_7 - y_7\\right) \\cdot \
         \\hat{y}_7 \\cdot \\left(1 - \\hat{y}_7\\right) \\cdot \\alpha_4\n"
    );
}

#[test]
fn the_symbolic_derivative_equals_the_tapes_gradient_on_every_weight() {
    let tape = json(&gradproof(&["grad", "examples/seed.grad", "--json"]));
    for (name, by_tape) in tape["gradient"].as_object().unwrap() {
        let out = gradproof(&["diff", "examples/seed.grad", "--wrt", name, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let doc = json(&out);
        assert_eq!(doc["of"].as_str(), Some("L"));
        let d = &doc["derivatives"][name];
        assert!(d["latex"].as_str().unwrap().contains("\\hat{y}_"));
        let (symbolic, by_tape) = (d["value"].as_f64().unwrap(), by_tape.as_f64().unwrap());
        assert!(
            (symbolic - by_tape).abs() <= 1e-15 * (1.0 + by_tape.abs()),
            "∂L/∂{name}: symbolic {symbolic:e}, tape {by_tape:e}"
        );
    }
}

#[test]
fn the_printed_derivative_is_a_claim_that_check_proves() {
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "w25", "--json"]);
    let text = json(&out)["derivatives"]["w25"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("w58"),
        "ω25 reaches the loss through ω58: {text}"
    );
    let source = format!("{}\nclaim grad(L, w25) = {text}\n", seed_source());
    let file = temp_path("derived.grad", source.as_bytes());
    let report = json(&gradproof(&["check", &file, "--json"]));
    let last = report["claims"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["verdict"], "proved", "{last}");

    // And a wrong one (a term dropped) is refuted.
    let wrong = text.split(" + ").next().unwrap();
    let source = format!("{}\nclaim grad(L, w25) = {wrong}\n", seed_source());
    let file = temp_path("derived-wrong.grad", source.as_bytes());
    let out = gradproof(&["check", &file, "--json"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn by_an_intermediate_quantity_it_is_the_adjoint_summed_over_paths() {
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "a4"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("grad(L, a4) = (yhat7 - y7) * yhat7 * (1 - yhat7) * w47 + "));
    assert!(
        text.contains("* w48 + ") && text.contains("* w49\n"),
        "{text}"
    );
}

#[test]
fn bad_names_and_constants_are_errors() {
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "w74"]);
    assert_bad_input(&out, &["--wrt w74", "hint: did you mean `w"]);
    let out = gradproof(&[
        "diff",
        "examples/seed.grad",
        "--of",
        "yaht9",
        "--wrt",
        "w49",
    ]);
    assert_bad_input(&out, &["--of yaht9", "did you mean `yhat9`?"]);
    let file = temp_path("constant.grad", b"param w = 1\nc = 2\nloss L = c * w\n");
    let out = gradproof(&["diff", &file, "--wrt", "c"]);
    assert_bad_input(&out, &["`c` is a constant"]);
    let out = gradproof(&["diff", "examples/seed.grad"]);
    assert_bad_input(&out, &["usage: gradproof diff", "--wrt <NAME,...>"]);
}

/// The derivative of a sum of 45,000 sines prints as more than a megabyte of text: all
/// of it, in text and in JSON (it used to be cut at 1 MiB with "…" and exit 0).
#[test]
fn a_derivative_longer_than_a_megabyte_prints_in_full() {
    let file = temp_path(
        "long-derivative.grad",
        b"param w = 0.5\nloss f = sum(k in 1..45000, sin(w * k))\n",
    );
    let out = gradproof(&["diff", &file, "--wrt", "w"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    assert!(!text.contains('…'));
    // An unnamed function argument is simplified (`w * k` with k = 1 is `w`).
    assert!(text.starts_with("grad(f, w) = cos(w) + 2 * cos(2 * w) + "));
    assert!(
        text.contains(" + 44999 * cos(44999 * w) + 45000 * cos(45000 * w)\n  = "),
        "the last terms are printed"
    );
    let d = json(&gradproof(&["diff", &file, "--wrt", "w", "--json"]));
    for key in ["text", "latex"] {
        let printed = d["derivatives"]["w"][key].as_str().unwrap();
        assert!(printed.len() > 1 << 20 && !printed.contains('…'), "{key}");
    }
    assert!(d["derivatives"]["w"]["latex"]
        .as_str()
        .unwrap()
        .ends_with("45000 \\cdot \\cos\\left(45000 \\cdot \\omega\\right)"));
}

/// `a_k = a_{k-1} · b_{k-1}`, `b_k = a_{k-1} + b_{k-1}`: each derivative uses the two
/// before it twice, so ∂a40/∂x, spelled out, is exponentially long. It is refused
/// with a message and exit 2, in text and JSON alike, never cut short.
#[test]
fn a_derivative_too_long_to_print_is_an_error_not_a_cut() {
    let mut source = String::from("param x = 0.5\na0 = x\nb0 = x + 1\n");
    for k in 1..=40 {
        source.push_str(&format!(
            "a{k} = a{j} * b{j}\nb{k} = a{j} + b{j}\n",
            j = k - 1
        ));
    }
    let file = temp_path("exponential.grad", source.as_bytes());
    for json in [false, true] {
        let mut args = vec!["diff", &file, "--of", "a40", "--wrt", "x"];
        if json {
            args.push("--json");
        }
        assert_bad_input(
            &gradproof(&args),
            &[
                "the expression is too long to print: its text passes 64 MiB",
                "spelled out wherever it occurs",
                "hint: name the shared intermediate quantities",
            ],
        );
    }
    // The same file's short derivatives print.
    let out = gradproof(&["diff", &file, "--of", "a1", "--wrt", "x"]);
    assert_eq!(stdout(&out).lines().next(), Some("grad(a1, x) = 2 * x + 1"));
}

/// A value the error model cannot vouch for is said to be so: with `S = e⁴⁰⁰ + e`, `S²`
/// overflows, and a derivative with terms over `S²` and `S³` evaluates through ∞; a
/// derivative that evaluates to NaN is named too. Neither passes silently.
#[test]
fn a_derivative_whose_evaluation_overflows_is_reported_not_passed() {
    let run = |name: &str, loss: &str| {
        let source = format!("param z = 400\nS = exp(z) + exp(1)\nL = {loss}\n");
        let path = temp_path(name, source.as_bytes());
        gradproof(&["diff", &path, "--of", "L", "--wrt", "z"])
    };
    let out = run("overflow.grad", "z / (S * S) + z");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("at the file's values"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("a step of its evaluation is not finite")
            && stderr(&out).contains("not reliable"),
        "{}",
        stderr(&out)
    );
    let out = run("overflow-nan.grad", "exp(z) / (S * S) + z");
    assert!(
        stderr(&out).contains("grad(L, z) is NaN at the file's values"),
        "{}",
        stderr(&out)
    );
    // `--json` readers are told too, beside a finite derivative that is reliable.
    let source = b"param z = 400\nS = exp(z) + exp(1)\nL = z / (S * S) + z\nM = z * z\n";
    let path = temp_path("overflow-json.grad", source);
    for (of, reliable) in [("L", false), ("M", true)] {
        let d = json(&gradproof(&[
            "diff", &path, "--of", of, "--wrt", "z", "--json",
        ]));
        assert_eq!(d["derivatives"]["z"]["reliable"], reliable, "{of}: {d}");
    }
}

/// `ln(ln(1^a))` is −∞ for every `a`: its derivative is not `1` (what it printed when
/// `ln(1)` was not folded to 0), and the quantity itself is named as not finite.
#[test]
fn a_quantity_that_is_not_finite_is_said_to_have_no_derivative() {
    let path = temp_path("minus-infinity.grad", b"param a = 0.5\nf = ln(ln(1^a))\n");
    let out = gradproof(&["diff", &path, "--of", "f", "--wrt", "a"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("grad(f, a) = 0\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("f is -inf at the file's values: it has no derivative there"),
        "{}",
        stderr(&out)
    );
}

/// A true form can be a poor recipe for its number: `σ(b)·σ(b¹²⁵)` at b = 1.23
/// differentiates to a form that subtracts 125·σ(b¹²⁵)·b¹²⁴ ≈ 2·10¹³ from nearly itself,
/// 4·10⁻⁴ off the derivative (0.17494…, the tape's). Its value is printed with a warning
/// of its error bound, and `--json` says it is not reliable.
#[test]
fn a_value_that_loses_its_digits_to_cancellation_is_said_to() {
    let path = temp_path(
        "cancellation.grad",
        b"param b = 1.230859757265212\nf = sigma(b) * sigma(b^125)\n",
    );
    let out = gradproof(&["diff", &path, "--of", "f", "--wrt", "b"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("at the file's values may be off by up to")
            && stderr(&out).contains("`gradproof grad` gives the tape's value"),
        "{}",
        stderr(&out)
    );
    let d = json(&gradproof(&[
        "diff", &path, "--of", "f", "--wrt", "b", "--json",
    ]));
    let entry = &d["derivatives"]["b"];
    assert_eq!(entry["reliable"], false, "{d}");
    let (value, bound) = (
        entry["value"].as_f64().unwrap(),
        entry["error_bound"].as_f64().unwrap(),
    );
    // The bound covers the form's true error.
    assert!((value - 0.174_940_978_012_705_3).abs() <= bound, "{d}");
    // A well-conditioned form prints no such warning.
    let out = gradproof(&["diff", "examples/seed.grad", "--wrt", "w47"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

//! The printers never state false math. Over random expressions generated from the
//! grammar (with a named intermediate quantity, so that names print too):
//!
//! - the text of an expression and of its derivative parses back, in the same program,
//!   to the same value at the file's values and at random points;
//! - the diagnosis of a random wrong claim ("left = right × (1 + c): ...") is itself a
//!   relation that holds: read back as a claim, it never fails;
//! - the LaTeX of random expressions and derivatives renders in a real TeX renderer,
//!   KaTeX under node (where node and KaTeX, installed by `.ci/run` into `.katex/`,
//!   are present; elsewhere the test says why it did not run).

mod common;

mod expr_support;

use std::path::Path;
use std::process::Command;

use gradproof::expr::{parse, Program, Verdict, VerifyOptions};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

const FUNCTIONS: [&str; 14] = [
    "sigma", "σ", "exp", "ln", "sqrt", "tanh", "relu", "abs", "sin", "cos", "step", "sign",
    "sigmoid", "log",
];

/// Expressions over `leaves`: numbers (integers, decimals, tiny and huge ones that print
/// with an exponent), names, the five operators with and without parentheses, unary
/// minus and every function.
fn expression(leaves: &'static [&'static str]) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => select(leaves.to_vec()).prop_map(String::from),
        1 => (1u32..10).prop_map(|n| n.to_string()),
        1 => (1u32..100).prop_map(|n| format!("{}.{}", n / 10, n % 10)),
        1 => select(vec!["1e-30", "2.5e40", "0.333", "1e25"]).prop_map(String::from),
    ];
    expr_support::compose(leaf, &FUNCTIONS)
}

/// The leaves of the first expression, and of the second, which may use the first's
/// name `g` (and the Greek `λ`).
const FIRST: &[&str] = &["a", "b", "λ"];
const SECOND: &[&str] = &["a", "b", "λ", "g", "g"];

fn values() -> impl Strategy<Value = [f64; 3]> {
    [-2.0..2.0f64, -2.0..2.0f64, -2.0..2.0f64]
}

/// `g = first`, `f = second`, over parameters `a`, `b`, `λ` at `v`.
fn source(first: &str, second: &str, v: &[f64; 3]) -> String {
    format!(
        "param a = {:?}\nparam b = {:?}\nparam λ = {:?}\ng = {first}\nf = {second}\n",
        v[0], v[1], v[2]
    )
}

fn program(source: &str) -> Program {
    parse(source).unwrap_or_else(|e| panic!("the source does not parse:\n{source}\n{e}"))
}

/// Random points for the three parameters, the file's values first.
fn points(v: &[f64; 3], seed: u64) -> Vec<[f64; 3]> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) * 6.0 - 3.0
    };
    let mut out = vec![*v];
    for _ in 0..4 {
        out.push([next(), next(), next()]);
    }
    out
}

fn same_value(x: f64, y: f64) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()) || x == y
}

/// Prints the node `id` of `p` as text, defines `h = TEXT` after the file's
/// statements, and compares `h` with `id` at the points: `Err` says where they differ.
fn reads_back(p: &Program, id: gradproof::expr::ExprId, v: &[f64; 3]) -> Result<(), String> {
    let printed = p.try_text(id).map_err(|e| e.to_string())?;
    let again = parse(&format!("{}h = {printed}\n", p.source()))
        .map_err(|e| format!("`{printed}` does not parse back: {e}"))?;
    let h = again.expr("h").expect("defined");
    for point in points(v, printed.len() as u64) {
        let (x, y) = (
            p.evaluate(&[id], &point)[0],
            again.evaluate(&[h], &point)[0],
        );
        if !same_value(x, y) {
            return Err(format!(
                "`{printed}` at {point:?}: {x} before printing, {y} after"
            ));
        }
    }
    Ok(())
}

/// Wrong claims about `f`, each of a shape whose diagnosis is a relation: a missing
/// or extra factor, a flipped sign, a missing term.
fn wrong_claims() -> impl Strategy<Value = String> {
    let factor = select(vec![
        "1 + b",
        "b - 1",
        "-2 + a",
        "2 - a",
        "a * b",
        "-a",
        "1 - b^2",
        "3",
        "-1",
        "-2",
        "1/2",
        "g + 1",
        "(1 + b) * (2 - a)",
    ]);
    (factor, 0..4usize).prop_map(|(factor, shape)| match shape {
        0 => format!("claim f = f * ({factor})"),
        1 => format!("claim f * ({factor}) = f"),
        2 => format!("claim f = f + {factor}"),
        _ => format!("claim grad(f, a) = grad(f, a) * ({factor})"),
    })
}

/// The diagnosis of a failed claim, read as a claim of its own: `left = right × X`
/// becomes `claim (LEFT) = (RIGHT) * (X)`, and so on. `None` if there is no diagnosis.
fn diagnosis_as_claim(diagnosis: &str, left: &str, right: &str) -> String {
    let relation = diagnosis
        .split(": ")
        .next()
        .unwrap_or(diagnosis)
        .trim_end_matches(" exactly, at every point")
        .trim_end_matches(" (constants rounded to floating point)")
        .replace('≈', "=")
        .replace('×', "*")
        .replace('−', "-");
    let (lhs, rhs) = relation
        .split_once(" = ")
        .expect("a relation has one ' = '");
    let side = |s: &str| {
        s.replace("left", &format!("({left})"))
            .replace("right", &format!("({right})"))
    };
    format!("claim {} = {}", side(lhs), side(rhs))
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/expr_printing.txt"))]

    #[test]
    fn printed_text_parses_back_to_the_same_value(
        first in expression(FIRST),
        second in expression(SECOND),
        v in values(),
    ) {
        let mut p = program(&source(&first, &second, &v));
        let f = p.expr("f").unwrap();
        let g = p.expr("g").unwrap();
        let d = p.derivative("f", "a").unwrap();
        let mut nodes = vec![("f", f), ("g", g), ("∂f/∂a", d)];
        // By the intermediate `g`, unless it folded to a constant.
        if let Ok(dg) = p.derivative("f", "g") {
            nodes.push(("∂f/∂g", dg));
        }
        for (what, id) in nodes {
            let definition = p.definition_text(id);
            if let Err(message) = reads_back(&p, id, &v) {
                prop_assert!(false, "{what} = {definition}: {message}");
            }
        }
    }

    #[test]
    fn the_diagnosis_of_a_wrong_claim_is_a_relation_that_holds(
        first in expression(FIRST),
        second in expression(SECOND),
        v in values(),
        claim in wrong_claims(),
    ) {
        let p = program(&format!("{}{claim}\n", source(&first, &second, &v)));
        let options = VerifyOptions { points: 8, ..VerifyOptions::default() };
        let report = &p.verify_with(options)[0];
        let Verdict::Fails(failure) = &report.verdict else {
            // Where f is constant, undefined, or the factor is 1 there, the claim may hold.
            return Ok(());
        };
        let Some(diagnosis) = &failure.diagnosis else { return Ok(()) };
        let text = report.claim.text.trim_start_matches("claim ");
        let (left, right) = text.split_once(" = ").unwrap();
        let relation = diagnosis_as_claim(diagnosis, left, right);
        let q = parse(&format!("{}{relation}\n", source(&first, &second, &v)))
            .map_err(|e| TestCaseError::fail(format!("{diagnosis}: `{relation}` does not parse: {e}")))?;
        let check = &q.verify_with(options)[0];
        // An approximate relation (`≈`, constants rounded) must hold in floating point:
        // within the rounding tolerance wherever it is tested.
        let holds = match &check.verdict {
            // (where both sides are numbers: the exact difference the `≈` leaves out
            // fails the relation's claim even where neither side has a value)
            // (sides equal in floating point hold under any tolerance, even one that
            // cannot be stated because a step is not finite)
            Verdict::Fails(c) if diagnosis.contains('≈') => {
                let difference = (c.lhs - c.rhs).abs();
                !(c.lhs.is_finite() && c.rhs.is_finite())
                    || difference == 0.0
                    || difference <= c.tolerance
            }
            Verdict::Fails(_) => false,
            _ => true,
        };
        prop_assert!(
            holds,
            "the diagnosis of `{}` is `{diagnosis}`, which is false:\n{check}",
            report.claim.text
        );
    }
}

/// The diagnosis check is not vacuous: an unparenthesised factor, as the printer once
/// wrote it, is caught.
#[test]
fn a_diagnosis_without_its_parentheses_is_caught() {
    let v = [0.3, -0.7, 1.1];
    let base = source("a * b", "g + a", &v);
    let wrong = diagnosis_as_claim(
        "left = right × 1 + b: the right side misses this factor",
        "f * (1 + b)",
        "f",
    );
    let q = program(&format!("{base}{wrong}\n"));
    assert!(
        matches!(q.verify()[0].verdict, Verdict::Fails(_)),
        "{wrong}"
    );
    let right = diagnosis_as_claim(
        "left = right × (1 + b): the right side misses this factor",
        "f * (1 + b)",
        "f",
    );
    let q = program(&format!("{base}{right}\n"));
    assert!(
        matches!(q.verify()[0].verdict, Verdict::Proved { .. }),
        "{right}"
    );
}

/// Diagnoses of the shapes above do come out (the property above is not vacuous).
#[test]
fn wrong_claims_are_diagnosed_with_parenthesised_factors() {
    let base = source("a * b", "g + a^2", &[0.3, -0.7, 1.1]);
    let p = program(&format!(
        "{base}claim f * (1 + b) = f\nclaim f = f * (-2 + a)\n"
    ));
    let reports = p.verify();
    let diagnoses: Vec<String> = reports
        .iter()
        .map(|r| match &r.verdict {
            Verdict::Fails(f) => f.diagnosis.clone().unwrap_or_default(),
            v => format!("{v:?}"),
        })
        .collect();
    assert_eq!(
        diagnoses,
        [
            "left = right × (1 + b): the right side misses this factor",
            "right = left × (-2 + a): the right side has this extra factor",
        ]
    );
}

/// The LaTeX of many random expressions, their derivatives and the definitions.
fn random_latex(cases: usize) -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    let strategy = (expression(FIRST), expression(SECOND), values());
    let mut out = Vec::new();
    for _ in 0..cases {
        let (first, second, v) = strategy.new_tree(&mut runner).unwrap().current();
        let mut p = program(&source(&first, &second, &v));
        let f = p.expr("f").unwrap();
        let d = p.derivative("f", "a").unwrap();
        let dl = p.derivative("f", "λ").unwrap();
        out.push(p.definition_latex(f));
        out.push(p.definition_latex(p.expr("g").unwrap()));
        for id in [d, dl] {
            out.push(p.try_latex(id).expect("short enough to print"));
        }
    }
    out
}

/// Every string is rendered by `katex.renderToString(s, {throwOnError: true})`.
#[test]
fn latex_of_random_expressions_renders_in_katex() {
    let katex = Path::new(".katex/node_modules/katex");
    if !katex.exists() {
        println!("not run: KaTeX is not installed in .katex/ (`.ci/run` installs it with npm)");
        return;
    }
    let node_works = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_works {
        println!("not run: `node` is not on the PATH");
        return;
    }
    let mut strings = random_latex(150);
    // The cases the printer once got wrong, and the document's notation.
    strings.extend(
        [
            "param z = 1\nf = exp(z)^2\n",
            "param z = 1\nf = (exp(z) / 2)^exp(z)\n",
            "param z = 1\nf = 1e-30 * z^2.5e40\n",
            "param ω47 = 1\ninput ŷ7 = 2\nf = ŷ7 * ω47^2\n",
        ]
        .iter()
        .map(|s| {
            let p = program(s);
            p.definition_latex(p.expr("f").unwrap())
        }),
    );
    assert!(
        strings
            .iter()
            .any(|s| s.contains("\\left(e^{z}\\right)^{2}")),
        "{strings:?}"
    );
    let dir = std::env::temp_dir().join(format!("gradproof-katex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("latex.json");
    std::fs::write(&input, serde_json::to_string(&strings).unwrap()).unwrap();
    let script = dir.join("render.js");
    std::fs::write(
        &script,
        "const katex = require(process.argv[2]);\n\
         const strings = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));\n\
         let failed = 0;\n\
         for (const s of strings) {\n\
           try { katex.renderToString(s, { throwOnError: true, strict: 'error' }); }\n\
           catch (e) { failed++; console.log(`${e.message}\\n  in: ${s}`); }\n\
         }\n\
         console.log(`${strings.length - failed} of ${strings.length} rendered`);\n\
         process.exit(failed ? 1 : 0);\n",
    )
    .unwrap();
    let out = Command::new("node")
        .arg(&script)
        .arg(std::fs::canonicalize(katex).unwrap())
        .arg(&input)
        .output()
        .expect("run node");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "KaTeX rejected some LaTeX:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The renderer check is not vacuous: KaTeX rejects the double superscript the printer
/// once wrote.
#[test]
fn katex_rejects_a_double_superscript() {
    let katex = Path::new(".katex/node_modules/katex");
    if !katex.exists() || Command::new("node").arg("--version").output().is_err() {
        println!("not run: node or KaTeX (.katex/) is not installed");
        return;
    }
    let out = Command::new("node")
        .arg("-e")
        .arg("require(process.argv[1]).renderToString('e^{z_1}^{2}', {throwOnError: true})")
        .arg(std::fs::canonicalize(katex).unwrap())
        .output()
        .expect("run node");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Double superscript"));
}

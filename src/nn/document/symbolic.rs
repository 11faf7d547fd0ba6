//! The document's network as equations: `examples/seed.grad`, embedded in the crate,
//! parsed by [`crate::expr`], differentiated symbolically and its claims verified.
//! The fourth way to the gradient, beside the closed form, the tape and central
//! differences.
//!
//! ```
//! use gradproof::nn::document::symbolic::{seed_program, symbolic_gradient};
//! use gradproof::nn::document::walkthrough::example;
//! use gradproof::nn::document::{forward, gradient};
//!
//! let (weights, sample, eta) = example();
//! let mut program = seed_program();
//! let symbolic = symbolic_gradient(&mut program, &weights, &sample, eta);
//! let closed = gradient(&weights, &forward(&weights, &sample));
//! // ∂L/∂ω47 from the simplified derivative of seed.grad's loss, and by the document:
//! let (value, bound) = symbolic.values[(4, 7)];
//! assert!((value - closed[(4, 7)]).abs() <= 4.0 * bound + 1e-15);
//! assert_eq!(symbolic.text[9], "(yhat7 - y7) * yhat7 * (1 - yhat7) * a4");
//! ```

use crate::expr::span::Source;
use crate::expr::{self, ClaimReport, Program};

use super::{Sample, Weights, PAIRS};

/// The text of `examples/seed.grad`: the document's network, its derivatives and update
/// rules as a `.grad` file.
pub const SEED_GRAD: &str = include_str!("../../../examples/seed.grad");

/// The path `SEED_GRAD` is read from, for messages (`gradproof check examples/seed.grad`).
pub const SEED_GRAD_PATH: &str = "examples/seed.grad";

/// [`SEED_GRAD`] parsed.
///
/// # Panics
///
/// If the embedded file does not parse: a bug in `examples/seed.grad` (fix the file;
/// `gradproof check examples/seed.grad` shows where).
pub fn seed_program() -> Program {
    match expr::parse_named(SEED_GRAD_PATH, SEED_GRAD) {
        Ok(program) => program,
        Err(e) => panic!("{SEED_GRAD_PATH} does not parse; fix the file:\n{e}"),
    }
}

/// The values of `program`'s leaves (in [`Program::leaves`] order) for the document's
/// quantities: `x1..x3` and `y7..y9` from `sample`, `w{i}{j}` from `weights`, `eta`.
/// `None` if the program has a leaf of another name.
pub fn leaf_values(
    program: &Program,
    weights: &Weights<f64>,
    sample: &Sample<f64>,
    eta: f64,
) -> Option<Vec<f64>> {
    program
        .leaves()
        .iter()
        .map(|leaf| document_value(&leaf.name, weights, sample, eta))
        .collect()
}

/// The value of the document's quantity `name`.
fn document_value(
    name: &str,
    weights: &Weights<f64>,
    sample: &Sample<f64>,
    eta: f64,
) -> Option<f64> {
    if name == "eta" {
        return Some(eta);
    }
    let digits: Vec<usize> = name
        .get(1..)?
        .chars()
        .map(|c| c.to_digit(10).map(|d| d as usize))
        .collect::<Option<_>>()?;
    match (name.as_bytes()[0], digits.as_slice()) {
        (b'x', &[i]) if (1..=3).contains(&i) => Some(sample.x(i)),
        (b'y', &[k]) if (7..=9).contains(&k) => Some(sample.y(k)),
        (b'w', &[i, j]) => weights.get(i, j),
        _ => None,
    }
}

/// `∂L/∂ω_ij` by symbolic differentiation of seed.grad's loss.
#[derive(Clone, Debug)]
pub struct SymbolicGradient {
    /// `(value, rounding-error bound)` of each simplified derivative, evaluated at the
    /// given numbers ([`Program::evaluate_with_error`]'s first-order model).
    pub values: Weights<(f64, f64)>,
    /// Each simplified derivative as text, in the order of [`PAIRS`]
    /// (`(yhat7 - y7) * yhat7 * (1 - yhat7) * a4` for `ω47`).
    pub text: Vec<String>,
}

/// The symbolic gradient of the loss `L` of `program` (seed.grad, or a file with its
/// names) with respect to the 18 weights `w{i}{j}`, simplified and evaluated at
/// `weights`, `sample` and `eta`.
///
/// # Panics
///
/// If `program` lacks the loss `L`, a weight `w{i}{j}`, or has a leaf that is not one
/// of the document's quantities: pass [`seed_program`].
pub fn symbolic_gradient(
    program: &mut Program,
    weights: &Weights<f64>,
    sample: &Sample<f64>,
    eta: f64,
) -> SymbolicGradient {
    let leaves = leaf_values(program, weights, sample, eta).unwrap_or_else(|| {
        panic!(
            "symbolic_gradient needs a program whose leaves are the document's x1..x3, \
             y7..y9, w14..w69 and eta: pass seed_program()"
        )
    });
    let roots: Vec<_> = PAIRS
        .iter()
        .map(
            |&(i, j)| match program.derivative("L", &format!("w{i}{j}")) {
                Ok(d) => d,
                Err(e) => panic!("symbolic_gradient needs seed.grad's L and w{i}{j}: {e}"),
            },
        )
        .collect();
    let evaluated = program.evaluate_with_error(&roots, &leaves);
    let mut values = Weights::from_fn(|_, _| (f64::NAN, f64::NAN));
    for (&(i, j), &v) in PAIRS.iter().zip(&evaluated) {
        values[(i, j)] = v;
    }
    SymbolicGradient {
        values,
        text: roots.iter().map(|&d| program.text(d)).collect(),
    }
}

/// Claims of one source line that got the same verdict: a template's expansions, or
/// a single claim.
#[derive(Clone, Debug)]
pub struct ClaimGroup<'a> {
    /// The line the claims are written on.
    pub line: usize,
    /// The statement as written (continuation lines joined, comment and extra spaces
    /// removed), without the `claim` keyword.
    pub statement: String,
    /// The reports, one per expansion.
    pub reports: Vec<&'a ClaimReport>,
}

/// The reports grouped by source line and verdict kind, in order: one row per claim
/// as written, however many expansions its template has.
pub fn group_claims<'a>(program: &Program, reports: &'a [ClaimReport]) -> Vec<ClaimGroup<'a>> {
    // The lines split once (at `\n`, `\r\n` or a lone `\r`, as the parser splits them).
    let source = Source::new(program.source());
    let lines = source.lines();
    let mut groups: Vec<ClaimGroup<'a>> = Vec::new();
    for report in reports {
        let line = report.claim.line;
        if let Some(last) = groups.last_mut() {
            let same_kind = std::mem::discriminant(&last.reports[0].verdict)
                == std::mem::discriminant(&report.verdict);
            if last.line == line && same_kind {
                last.reports.push(report);
                continue;
            }
        }
        groups.push(ClaimGroup {
            line,
            statement: statement(&lines, line),
            reports: vec![report],
        });
    }
    groups
}

/// The statement on `line` (1-based) of the source split into `lines`, with the lines
/// it continues (a `for` header ending in `\` above a claim) and the lines continuing it
/// joined, its comment and the `claim` keyword removed, spaces collapsed.
fn statement(lines: &[&str], line: usize) -> String {
    let code = |physical: &str| {
        physical
            .split('#')
            .next()
            .unwrap_or("")
            .trim_end()
            .to_string()
    };
    let mut first = line.saturating_sub(1).min(lines.len());
    while first > 0 && code(lines[first - 1]).ends_with('\\') {
        first -= 1;
    }
    let mut text = String::new();
    for physical in &lines[first..] {
        let code = code(physical);
        match code.strip_suffix('\\') {
            Some(continued) => {
                text.push_str(continued);
                text.push(' ');
            }
            None => {
                text.push_str(&code);
                break;
            }
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replacen(": claim ", ": ", 1);
    text.strip_prefix("claim ").unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_statement_is_read_across_its_continuation_lines() {
        let source = "a = 1\nfor i in 1..2: \\\n    claim x{i} = \\\n   y{i}  # note\nb = 2";
        // Line breaks of every kind.
        for newline in ["\n", "\r\n", "\r"] {
            let source = source.replace('\n', newline);
            let lines = Source::new(&source).lines();
            assert_eq!(statement(&lines, 2), "for i in 1..2: x{i} = y{i}");
            assert_eq!(statement(&lines, 3), "for i in 1..2: x{i} = y{i}");
        }
        assert_eq!(statement(&["claim a = b # why"], 1), "a = b");
    }

    #[test]
    fn only_the_documents_names_have_document_values() {
        let (w, s, eta) = super::super::walkthrough::example();
        assert_eq!(document_value("w47", &w, &s, eta), Some(0.40));
        assert_eq!(document_value("x3", &w, &s, eta), Some(0.15));
        assert_eq!(document_value("y8", &w, &s, eta), Some(0.99));
        assert_eq!(document_value("eta", &w, &s, eta), Some(0.5));
        for name in ["w17", "x4", "y6", "z1", "w", "w4x", "", "é1"] {
            assert_eq!(document_value(name, &w, &s, eta), None, "{name}");
        }
    }
}

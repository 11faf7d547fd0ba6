//! Equations as text: parse a `.grad` file, differentiate it symbolically, and verify
//! hand-derived claims about it.
//!
//! # The language
//!
//! A `.grad` file has one statement per line (a `\` at the end of a line continues it;
//! `#` starts a comment). A line ends at `\n`, `\r\n` or a lone `\r` (files from
//! Unix, Windows and classic Mac OS read alike):
//!
//! ```text
//! input x1 = 0.05           # data: a value, not differentiated by training
//! input eta = 0.5           # the learning rate is an input named eta
//! param w14 = 0.15          # a parameter: what training updates
//! delta4 = w14 * x1         # a definition
//! a4 = sigma(delta4)
//! loss L = 1/2 * (y - a4)^2 # the file's (one) loss: a definition that next() uses
//! claim grad(L, w14) = (a4 - y) * a4 * (1 - a4) * x1
//! for i in 4..6, j in 7..9: claim next(w{i}{j}) = w{i}{j} - eta * grad(L, w{i}{j})
//! ```
//!
//! - Names: a letter or `_`, then letters, ASCII digits, `_` and combining marks. A
//!   letter is any Unicode alphabetic character, so the document's own letters are
//!   names: `ω47`, `η`, `λ`, `δ7`, `ŷ7` (`ŷ` as one character or as `y` followed by
//!   U+0302 COMBINING CIRCUMFLEX: the two spellings are one name, stored composed as
//!   Unicode NFC composes Latin and Greek letters). Symbols are not letters (`∂`, `∑`,
//!   `·`, `²` are errors with a hint of what to write). The LaTeX printer writes Greek
//!   letters and accents as commands (`ω47` → `\omega_{47}`, `ŷ7` → `\hat{y}_7`).
//! - Numbers: integers, decimals, scientific notation; kept as exact rationals where
//!   they fit (`0.05` is `1/20`), so that proofs are exact.
//! - Operators `+ - * / ^` with the usual precedence, `^` right-associative and
//!   binding tighter than unary minus (`-x^2 = -(x^2)`); parentheses.
//! - Functions: `sigma` (aliases `sigmoid` and `σ`, the document's notation: `σ` is
//!   the function and cannot name a quantity), `exp`, `ln` (alias `log`), `sqrt`, `tanh`,
//!   `relu`, `abs`, `sin`, `cos`, and `step` and `sign` (the derivatives of `relu` and
//!   `abs`, with `step(0) = sign(0) = 0`, the tape's convention at the kink).
//! - `grad(F, X)`: the derivative of `F` (any expression, usually a defined name) with
//!   respect to `X`, a declared or defined name. For a defined `X` (`grad(L, a4)`) it is
//!   the backpropagated adjoint: `X` held as a variable, every path from it summed.
//! - `next(W)` for a parameter `W` is `W − eta·grad(loss, W)`: it needs the file's
//!   `loss` and a leaf named `eta` or `η` (by convention `input eta = ...`: the rate is
//!   data, varied by the random points like every input), both declared above the use.
//! - `for i in A..B, j in C..D: STATEMENT` repeats a statement for every index value
//!   (ranges inclusive); `{i}` in a name interpolates the index (`w{i}{j}`), and `{i}`
//!   alone or a bare `i` is its value. `sum(k in 7..9, EXPR)` sums over an index range.
//! - Vectors and matrices: `param W1: 3x3 = [[...], ...]`, `input x: 3 = [...]`,
//!   `data y: 3 = [0, 1, 0]` (exact constants, never varied), values drawn from the
//!   name when left out; `W * x` (matrix product), `W^T` (`W'`, `transpose(W)`),
//!   `+ -` and `⊙` (`.*`, `hadamard`) elementwise, functions elementwise, scalars
//!   broadcast, `sum(v)`, `dot`, `outer`, `norm`, `softmax`, `log_sum_exp`, entries
//!   `W[i, j]` counted from 1. Every entry is a scalar node of the one DAG (a leaf
//!   `W1[1, 2]`); shapes are checked, a mismatch is an error naming both shapes.
//!   `grad(L, W)` of a matrix is a matrix, and a claim between matrices is one claim,
//!   decided entry by entry ([`Claim::shape`]).
//! - A name is defined once, above its uses. Errors (use before definition, cycles,
//!   unknown names or functions, wrong arity, duplicates, ...) carry the line and
//!   column, show the line with a caret (a line longer than 160 characters as a window
//!   around the error, its cut ends marked `…`), and give a hint where one helps. An
//!   [`Error`] displays its first [`MAX_DISPLAYED_ERRORS`] (20) diagnostics and then
//!   how many more there are ("and 83538 more errors"); [`Error::diagnostics`] has all.
//! - Limits: [`MAX_NESTING`] levels of parentheses and calls, index values up to
//!   [`MAX_INDEX`], [`MAX_INSTANCES`] statements made by `for` templates (a file's own
//!   statements are not limited), [`MAX_SUMMANDS`] terms from all `sum`s, [`MAX_NODES`]
//!   expression nodes, [`MAX_ENTRIES`] entries per vector or matrix.
//!
//! Loading is linear in the size of the file: every line start is found once, and each
//! statement's and error's line is a binary search among them: 100,000 statements load
//! in under a second in a release build (`cargo bench --bench language`), and a file
//! of junk gives its one error per line in linear time.
//!
//! # The engine
//!
//! [`parse`] builds a [`Program`]: every expression in one hash-consed DAG (shared
//! subexpressions stored once, nodes in a `Vec` whose order is a topological order, so
//! nothing recurses on the user's nesting). On it:
//!
//! - [`Program::derivative`] differentiates symbolically and simplifies, so that the
//!   document's loss gradient reads as the document writes it; [`Program::text`] and
//!   [`Program::latex`] print it (`\hat{y}_7`, `\omega_{47}`, `\alpha_4`, `L_{s7}`).
//!   The text parses back to the same expression; the LaTeX is valid TeX (a power of
//!   `e^{x}` is parenthesised, a float with an exponent reads `1.5 \cdot 10^{-7}`).
//!   Nothing is cut short: an expression prints in full, or, if its text would pass
//!   [`MAX_PRINTED`] bytes (64 MiB: an unnamed subexpression shared in the DAG is
//!   spelled out wherever it occurs, so the text can grow exponentially), not at all:
//!   [`Program::try_text`] and [`Program::try_latex`] return an
//!   [`ErrorKind::TooLarge`] error, and `text`/`latex` a `<not printed: ...>` note.
//! - [`Program::evaluate`] evaluates on any [`Scalar`](crate::Scalar): `f64`, or
//!   [`Var`](crate::Var) to record on a [`Tape`](crate::Tape);
//!   [`Program::evaluate_with_error`] adds a rounding-error bound.
//! - [`Program::verify`] decides every claim: **proved** (equal normal forms, or,
//!   where they are too large, a randomised identity test with its error bound: see
//!   [`Proof`]), **holds at N points** (nothing proves it, no counterexample at the
//!   file's values, at random values of every input and parameter or on either side
//!   of a breakpoint, within the error model's tolerance), **fails** (a
//!   counterexample, with both values and the symbolic relation between the sides
//!   where one is found: `left = right × (1 + t)`, its factor parenthesised wherever
//!   it is a sum; `left − right ≈ ...` where the difference was simplified with a
//!   constant that is not exact, so rounded), or **undecided** (too few points with
//!   finite, well-known values). Only a counterexample fails a claim.
//! - [`Program::tape_plan`] and [`Program::gradient_values`] evaluate a gradient as
//!   numbers on the [`Tape`](crate::Tape), with a program's vector and matrix
//!   operations as block records (a matrix product one matrix–vector record): the
//!   symbolic gradient's values at the speed of a hand-wired network ([`TapePlan`]).
//! - [`Program::dot`] exports the graph with values and gradients on the nodes.
//!
//! ```
//! use gradproof::expr::{parse, Verdict};
//!
//! let source = "\
//! input x = 0.5
//! input y = 0.25
//! param w = 0.8
//! yhat = sigma(w * x)
//! loss L = 1/2 * (y - yhat)^2
//! claim grad(L, w) = (yhat - y) * yhat * (1 - yhat) * x
//! claim grad(L, w) = (yhat - y) * x
//! ";
//! let mut program = parse(source)?;
//! let d = program.derivative("L", "w")?;
//! assert_eq!(program.text(d), "(yhat - y) * yhat * (1 - yhat) * x");
//!
//! let reports = program.verify();
//! assert!(matches!(reports[0].verdict, Verdict::Proved { .. }));
//! let Verdict::Fails(failure) = &reports[1].verdict else { panic!() };
//! assert_eq!(
//!     failure.diagnosis.as_deref(),
//!     Some("left = right × yhat * (1 - yhat): the right side misses this factor")
//! );
//! // The report prints the claim, where it fails, both values and the diagnosis:
//! let printed = reports[1].to_string();
//! assert!(printed.starts_with("line 7: claim grad(L, w) = (yhat - y) * x\n  FAILS at the file's values:"));
//! # Ok::<(), gradproof::expr::Error>(())
//! ```

mod adjoint;
mod ast;
mod claims;
mod collect;
mod dag;
mod derive;
mod dot;
mod error;
mod error_model;
mod eval;
mod func;
mod grid;
mod grid_diagnosis;
#[cfg(test)]
mod grid_tests;
mod grid_verdict;
mod identity;
mod kinks;
mod lexer;
mod matrix_ops;
mod names;
mod names_table;
mod normal_form;
mod number;
mod parser;
mod polynomial;
mod print;
mod program;
mod resolve;
mod shape_ops;
mod sign;
mod simplify;
pub(crate) mod span;
mod tape_plan;
#[cfg(test)]
mod tape_plan_tests;
mod tape_record;

pub use ast::LeafKind;
pub use claims::{
    summary, ClaimReport, Counterexample, OneSided, Proof, Verdict, VerifyOptions, DEFAULT_POINTS,
};
pub use dag::{ExprId, Node, MAX_NODES};
pub use error::{closest, Diagnostic, Error, ErrorKind, MAX_DISPLAYED_ERRORS};
pub use func::Func;
pub use grid::Shape;
pub use number::{Number, Rational};
pub use parser::{MAX_INDEX, MAX_NESTING};
pub use print::{latex_name, MAX_PRINTED};
pub use program::{Claim, Definition, Leaf, Program};
pub use resolve::{MAX_ENTRIES, MAX_INSTANCES, MAX_SUMMANDS};
pub use span::{Position, Span};
pub use tape_plan::TapePlan;

/// Parses and resolves a `.grad` program.
pub fn parse(source: &str) -> Result<Program, Error> {
    parse_program(source, None)
}

/// [`parse`], with a file name for the error messages (`--> seed.grad:12:5`).
pub fn parse_named(file: &str, source: &str) -> Result<Program, Error> {
    parse_program(source, Some(file.to_string()))
}

fn parse_program(source: &str, file: Option<String>) -> Result<Program, Error> {
    // Every line start, found once: each statement's and error's line is then a
    // binary search, so loading is linear in the file.
    let source = span::Source::new(source);
    let (statements, errors) = parser::parse_statements(&source);
    if !errors.is_empty() {
        return Err(Error::new(errors, file));
    }
    resolve::resolve(&source, file, &statements)
}

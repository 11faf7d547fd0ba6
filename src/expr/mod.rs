//! Equations as text: parse a `.grad` file, differentiate it symbolically, and verify
//! hand-derived claims about it.
//!
//! # The language
//!
//! A `.grad` file has one statement per line (a `\` at the end of a line continues it;
//! `#` starts a comment):
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
//! - Numbers: integers, decimals, scientific notation; kept as exact rationals where
//!   they fit (`0.05` is `1/20`), so that proofs are exact.
//! - Operators `+ - * / ^` with the usual precedence, `^` right-associative and
//!   binding tighter than unary minus (`-x^2 = -(x^2)`); parentheses.
//! - Functions: `sigma` (alias `sigmoid`), `exp`, `ln` (alias `log`), `sqrt`, `tanh`,
//!   `relu`, `abs`, `sin`, `cos`, and `step` and `sign` (the derivatives of `relu` and
//!   `abs`, with `step(0) = sign(0) = 0`, the tape's convention at the kink).
//! - `grad(F, X)`: the derivative of `F` (any expression, usually a defined name) with
//!   respect to `X`, a declared or defined name. For a defined `X` (`grad(L, a4)`) it is
//!   the backpropagated adjoint: `X` held as a variable, every path from it summed.
//! - `next(W)` for a parameter `W` is `W − eta·grad(loss, W)`: it needs the file's
//!   `loss` and a leaf named `eta` (by convention `input eta = ...`: the rate is data,
//!   varied by the random points like every input), both declared above the use.
//! - `for i in A..B, j in C..D: STATEMENT` repeats a statement for every index value
//!   (ranges inclusive); `{i}` in a name interpolates the index (`w{i}{j}`), and `{i}`
//!   alone or a bare `i` is its value. `sum(k in 7..9, EXPR)` sums over an index range.
//! - A name is defined once, above its uses. Errors (use before definition, cycles,
//!   unknown names or functions, wrong arity, duplicates, ...) carry the line and
//!   column, show the line with a caret, and give a hint where one helps.
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
//! - [`Program::evaluate`] evaluates on any [`Scalar`](crate::Scalar): `f64`, or
//!   [`Var`](crate::Var) to record on a [`Tape`](crate::Tape);
//!   [`Program::evaluate_with_error`] adds a rounding-error bound.
//! - [`Program::verify`] decides every claim: **proved** (equal normal forms, or,
//!   where they are too large, a randomised identity test with its error bound: see
//!   [`Proof`]), **holds at N points** (nothing proves it, no counterexample at the
//!   file's values, at random values of every input and parameter or on either side
//!   of a breakpoint, within the error model's tolerance), **fails** (a counterexample, with both values and the
//!   symbolic relation between the sides where one is found), or **undecided** (too
//!   few points with finite, well-known values). Only a counterexample fails a claim.
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
mod identity;
mod kinks;
mod lexer;
mod normal_form;
mod number;
mod parser;
mod polynomial;
mod print;
mod program;
mod resolve;
mod simplify;
mod span;

pub use ast::LeafKind;
pub use claims::{
    summary, ClaimReport, Counterexample, OneSided, Proof, Verdict, VerifyOptions, DEFAULT_POINTS,
};
pub use dag::{ExprId, Node, MAX_NODES};
pub use error::{closest, Diagnostic, Error, ErrorKind};
pub use func::Func;
pub use number::{Number, Rational};
pub use parser::{MAX_INDEX, MAX_NESTING};
pub use print::{latex_name, MAX_PRINTED};
pub use program::{Claim, Definition, Leaf, Program};
pub use resolve::{MAX_INSTANCES, MAX_SUMMANDS};
pub use span::{Position, Span};

/// Parses and resolves a `.grad` program.
pub fn parse(source: &str) -> Result<Program, Error> {
    parse_program(source, None)
}

/// [`parse`], with a file name for the error messages (`--> seed.grad:12:5`).
pub fn parse_named(file: &str, source: &str) -> Result<Program, Error> {
    parse_program(source, Some(file.to_string()))
}

fn parse_program(source: &str, file: Option<String>) -> Result<Program, Error> {
    let (statements, errors) = parser::parse_statements(source);
    if !errors.is_empty() {
        return Err(Error::new(errors, file));
    }
    resolve::resolve(source, file, &statements)
}

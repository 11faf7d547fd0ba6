//! Equations as text: parse a `.grad` file, differentiate symbolically, verify claims.

mod ast;
mod claims;
mod dag;
mod derive;
mod dot;
mod error;
mod error_model;
mod eval;
mod func;
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
pub use claims::{summary, ClaimReport, Counterexample, Verdict, VerifyOptions, DEFAULT_POINTS};
pub use dag::{ExprId, Node, MAX_NODES};
pub use error::{Diagnostic, Error, ErrorKind};
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

//! The parser: logical lines of tokens to statements. One idea per file: [`statement`]
//! (what a line is), [`declaration`] (declared quantities, shapes, value lists),
//! [`ranges`] (index ranges and bounds), [`expression`] (operator precedence) and
//! [`calls`] (calls, their arguments and closing).
//!
//! Expressions are parsed by operator precedence with an explicit operator stack
//! (shunting-yard), never by recursion, so nesting depth costs heap, not call stack; it
//! is still capped at [`MAX_NESTING`] so that an absurd input gets a clear error.

use super::ast::Statement;
use super::error::{Diagnostic, ErrorKind};
use super::func::Func;
use super::lexer::{self, Token, TokenKind};
use super::number::Number;
use super::span::{Source, Span};

/// The deepest nesting of parentheses and function calls an expression may have.
pub const MAX_NESTING: usize = 256;

/// The largest index value in `for` and `sum` ranges (indices interpolate into names
/// and count expansions; nothing needs them larger).
pub const MAX_INDEX: i64 = 1_000_000;

/// Words with a meaning of their own, which cannot name a quantity.
pub(crate) const KEYWORDS: [&str; 9] = [
    "input", "param", "loss", "claim", "for", "in", "sum", "grad", "next",
];

/// The names of constants: `pi` and `π` are the number π, which no file may redefine.
pub(crate) const CONSTANTS: [&str; 2] = ["pi", "π"];

/// Whether `name` is a keyword, a constant or a function's name.
pub(crate) fn is_reserved(name: &str) -> bool {
    KEYWORDS.contains(&name) || CONSTANTS.contains(&name) || Func::from_name(name).is_some()
}

/// Parses every line; returns the statements of the lines that parse and the errors of
/// those that do not.
pub(crate) fn parse_statements(source: &Source) -> (Vec<Statement>, Vec<Diagnostic>) {
    let mut statements = Vec::new();
    let mut errors = Vec::new();
    for line in lexer::lex(source) {
        let result = line.tokens.and_then(|tokens| {
            let mut parser = Parser {
                source,
                tokens: &tokens,
                pos: 0,
                line: line.span,
            };
            parser.statement()
        });
        match result {
            Ok(statement) => statements.push(statement),
            Err(e) => errors.push(e),
        }
    }
    (statements, errors)
}

mod calls;
mod declaration;
mod expression;
mod ranges;
pub(crate) use ranges::evaluate_range;
mod statement;
#[cfg(test)]
mod tests;

struct Parser<'s, 't> {
    source: &'s Source<'s>,
    tokens: &'t [Token],
    pos: usize,
    line: Span,
}

impl<'t> Parser<'_, 't> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, ahead: usize) -> Option<&'t Token> {
        self.tokens.get(self.pos + ahead)
    }

    fn error(&self, kind: ErrorKind, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.source, kind, span, message)
    }

    /// The span of the current token, or the end of the line if there is none.
    fn here(&self) -> Span {
        self.peek()
            .map_or(Span::new(self.line.end, self.line.end), |t| t.span)
    }

    fn describe_here(&self) -> String {
        self.peek()
            .map_or("the end of the line".into(), |t| t.kind.describe())
    }

    fn expect(&mut self, kind: &TokenKind, what: &str) -> Result<Span, Diagnostic> {
        match self.peek() {
            Some(t) if &t.kind == kind => {
                self.pos += 1;
                Ok(t.span)
            }
            _ => Err(self.error(
                ErrorKind::Syntax,
                self.here(),
                format!("expected {what}, found {}", self.describe_here()),
            )),
        }
    }

    fn keyword_at(&self, ahead: usize) -> Option<&'t str> {
        match self.peek_at(ahead) {
            Some(Token {
                kind: TokenKind::Name(n),
                ..
            }) => n.plain().filter(|p| KEYWORDS.contains(p)),
            _ => None,
        }
    }
}

struct IndexName {
    text: String,
    span: Span,
}

fn negate(n: Number) -> Number {
    match n {
        Number::Exact(r) => r.checked_neg().map_or(n, Number::Exact),
        Number::Float(bits) => Number::Float((-f64::from_bits(bits)).to_bits()),
    }
}

//! Statements: what a line is (declaration, definition, loss, claim, `for` template)
//! and the names it defines.

use super::{is_reserved, Parser, CONSTANTS, KEYWORDS};
use crate::expr::ast::{DeclKind, LeafKind, Statement, StatementKind};
use crate::expr::error::{Diagnostic, ErrorKind};
use crate::expr::lexer::{Name, NamePart, Token, TokenKind};
impl Parser<'_, '_> {
    pub(super) fn statement(&mut self) -> Result<Statement, Diagnostic> {
        let mut bindings = Vec::new();
        if self.keyword_at(0) == Some("for") {
            self.pos += 1;
            bindings = self.bindings()?;
            if self.keyword_at(0) == Some("for") {
                return Err(self
                    .error(
                        ErrorKind::Syntax,
                        self.here(),
                        "a `for` cannot contain another `for`",
                    )
                    .with_hint("bind several indices in one: `for i in 4..6, j in 7..9: ...`"));
            }
        }
        let kind = match self.keyword_at(0) {
            Some("input") => self.declaration(DeclKind::Leaf(LeafKind::Input))?,
            Some("param") => self.declaration(DeclKind::Leaf(LeafKind::Param))?,
            // `data` is a keyword only where a declaration starts (`data y: 3 = ...`),
            // so that files naming a quantity `data` keep working.
            _ if self.data_declaration() => self.declaration(DeclKind::Data)?,
            Some("loss") => {
                self.pos += 1;
                self.definition(true)?
            }
            Some("claim") => {
                self.pos += 1;
                let lhs = self.expression()?;
                self.expect(&TokenKind::Equals, "'=' between the two sides of the claim")?;
                let rhs = self.expression()?;
                StatementKind::Claim { lhs, rhs }
            }
            _ => match (self.peek(), self.peek_at(1)) {
                (
                    Some(Token {
                        kind: TokenKind::Name(_),
                        ..
                    }),
                    Some(Token {
                        kind: TokenKind::Equals,
                        ..
                    }),
                ) => self.definition(false)?,
                _ => {
                    return Err(self
                        .error(
                            ErrorKind::Syntax,
                            self.here(),
                            format!("expected a statement, found {}", self.describe_here()),
                        )
                        .with_hint(
                            "a line is `input NAME = NUMBER`, `param NAME = NUMBER`, \
                             `data NAME = NUMBER` (each with an optional shape: \
                             `param W: 3x3`), `NAME = EXPR`, `loss NAME = EXPR`, \
                             `claim LHS = EXPR` or `for i in A..B: STATEMENT`",
                        ))
                }
            },
        };
        if self.peek().is_some() {
            let what = match kind {
                StatementKind::Claim { .. }
                    if self.peek().map(|t| &t.kind) == Some(&TokenKind::Equals) =>
                {
                    "a claim has one '=' between its two sides"
                }
                _ => "expected the end of the statement",
            };
            return Err(self.error(
                ErrorKind::Syntax,
                self.here(),
                format!("{what}, found {}", self.describe_here()),
            ));
        }
        Ok(Statement {
            kind,
            bindings,
            span: self.line,
        })
    }

    /// `NAME = EXPR` (after `loss`, if any).
    pub(super) fn definition(&mut self, loss: bool) -> Result<StatementKind, Diagnostic> {
        let name = self.defined_name()?;
        self.expect(&TokenKind::Equals, "'=' and the definition")?;
        let expr = self.expression()?;
        Ok(StatementKind::Define { name, expr, loss })
    }

    /// The name a statement declares or defines: not a keyword or function name.
    pub(super) fn defined_name(&mut self) -> Result<Name, Diagnostic> {
        match self.peek() {
            Some(Token {
                kind: TokenKind::Name(n),
                span,
            }) => {
                if matches!(n.parts.first(), Some(NamePart::Hole(..))) {
                    return Err(self
                        .error(
                            ErrorKind::Syntax,
                            *span,
                            "a defined name must start with a letter",
                        )
                        .with_hint(format!("e.g. `z{}`", n.written())));
                }
                if let Some(p) = n.plain().filter(|p| is_reserved(p)) {
                    let what = if KEYWORDS.contains(&p) {
                        "a keyword"
                    } else if CONSTANTS.contains(&p) {
                        "the constant π"
                    } else {
                        "a function"
                    };
                    return Err(self
                        .error(
                            ErrorKind::ReservedName,
                            *span,
                            format!("`{p}` is {what} and cannot name a quantity"),
                        )
                        .with_hint(format!("choose another name, e.g. `{p}1`")));
                }
                self.pos += 1;
                Ok(n.clone())
            }
            _ => Err(self.error(
                ErrorKind::Syntax,
                self.here(),
                format!("expected a name, found {}", self.describe_here()),
            )),
        }
    }
}

//! Declarations: `input`, `param` and `data` lines, their shapes and value lists.

use super::{negate, Parser, MAX_INDEX};
use crate::expr::ast::{DeclKind, DeclValue, LeafKind, StatementKind};
use crate::expr::error::{Diagnostic, ErrorKind};
use crate::expr::grid::Shape;
use crate::expr::lexer::{Token, TokenKind};
use crate::expr::number::Number;
use crate::expr::shape_ops::ragged_row;
use crate::expr::span::Span;
impl Parser<'_, '_> {
    /// Whether the line starts `data NAME`.
    pub(super) fn data_declaration(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1)),
            (
                Some(Token {
                    kind: TokenKind::Name(n),
                    ..
                }),
                Some(Token {
                    kind: TokenKind::Name(_),
                    ..
                }),
            ) if n.plain() == Some("data")
        )
    }

    /// `input NAME = NUMBER` / `param NAME: SHAPE = VALUES` / `data NAME ...` (a sign
    /// is allowed before a number; a shaped declaration may leave out its values).
    pub(super) fn declaration(&mut self, kind: DeclKind) -> Result<StatementKind, Diagnostic> {
        self.pos += 1;
        let name = self.defined_name()?;
        let shape = if self.peek().map(|t| &t.kind) == Some(&TokenKind::Colon) {
            self.pos += 1;
            Some(self.shape()?)
        } else {
            None
        };
        if shape.is_some() && self.peek().is_none() {
            return Ok(StatementKind::Declare {
                kind,
                name,
                shape,
                value: DeclValue::Drawn,
            });
        }
        let what = match kind {
            DeclKind::Leaf(LeafKind::Input) => "an input",
            DeclKind::Leaf(LeafKind::Param) => "a parameter",
            DeclKind::Data => "data",
        };
        let expected = if shape.is_some() {
            "'=' and the values, or nothing (values drawn from the name)"
        } else {
            "'=' and a value (or ':' and a shape, e.g. `: 3x3`)"
        };
        self.expect(&TokenKind::Equals, expected)?;
        if self.peek().map(|t| &t.kind) == Some(&TokenKind::LBracket) {
            let list = self.value_list()?;
            if self.peek().is_some() {
                return Err(self.error(
                    ErrorKind::Syntax,
                    self.here(),
                    format!(
                        "expected the end of the declaration, found {}",
                        self.describe_here()
                    ),
                ));
            }
            return Ok(StatementKind::Declare {
                kind,
                name,
                shape,
                value: list,
            });
        }
        let value = match self.signed_number() {
            Some(n) if self.peek().is_none() => n,
            _ => {
                let hint = if shape.is_some() {
                    "the values of a vector are a list `[1, 2, 3]`, of a matrix a list of rows `[[1, 2], [3, 4]]`"
                } else {
                    "write a definition `NAME = EXPR` for a computed quantity"
                };
                return Err(self
                    .error(
                        ErrorKind::Syntax,
                        self.here().to(Span::new(self.line.end, self.line.end)),
                        format!("the value of {what} must be a number"),
                    )
                    .with_hint(hint));
            }
        };
        Ok(StatementKind::Declare {
            kind,
            name,
            shape,
            value: DeclValue::Number(value),
        })
    }

    /// A number with an optional `-`, or `None` (nothing consumed).
    pub(super) fn signed_number(&mut self) -> Option<Number> {
        let negative = matches!(self.peek().map(|t| &t.kind), Some(TokenKind::Minus));
        let at = usize::from(negative);
        match self.peek_at(at) {
            Some(Token {
                kind: TokenKind::Number(n),
                ..
            }) => {
                self.pos += at + 1;
                Some(if negative { negate(*n) } else { *n })
            }
            _ => None,
        }
    }

    /// `3` (a column vector), `3x3` (rows x columns; `3 x 3` and `3×3` too).
    pub(super) fn shape(&mut self) -> Result<(Shape, Span), Diagnostic> {
        let start = self.here();
        let rows = self.dimension()?;
        // `3x3` lexes as the number 3 and the name `x3`.
        let cols = match self.peek() {
            Some(Token {
                kind: TokenKind::Name(n),
                span,
            }) if n
                .plain()
                .is_some_and(|p| p.starts_with('x') || p.starts_with('×')) =>
            {
                let p = n.plain().unwrap_or_default();
                let digits = p.trim_start_matches(['x', '×']);
                self.pos += 1;
                if digits.is_empty() {
                    self.dimension()?
                } else {
                    match digits.parse::<usize>() {
                        Ok(c) if (1..=MAX_INDEX as usize).contains(&c) => c,
                        _ => {
                            return Err(self
                                .error(
                                    ErrorKind::Syntax,
                                    *span,
                                    format!("`{p}` is not a dimension"),
                                )
                                .with_hint(
                                    "a shape reads `3` (a vector) or `3x4` (rows x columns)",
                                ))
                        }
                    }
                }
            }
            _ => 1,
        };
        let span = start.to(self.tokens[self.pos - 1].span);
        Ok((Shape { rows, cols }, span))
    }

    /// One dimension of a shape: a whole number from 1 to [`MAX_INDEX`].
    pub(super) fn dimension(&mut self) -> Result<usize, Diagnostic> {
        match self.whole_number(1, "a dimension") {
            Ok((v, _)) => Ok(v as usize),
            Err(error) => Err(error.unwrap_or_else(|| {
                self.error(
                    ErrorKind::Syntax,
                    self.here(),
                    format!("expected a shape, found {}", self.describe_here()),
                )
                .with_hint("a shape reads `3` (a vector) or `3x4` (rows x columns)")
            })),
        }
    }

    /// `[1, 2, 3]` (a column vector) or `[[1, 2], [3, 4]]` (a matrix, row by row).
    pub(super) fn value_list(&mut self) -> Result<DeclValue, Diagnostic> {
        let open = self.expect(&TokenKind::LBracket, "'['")?;
        let nested = self.peek().map(|t| &t.kind) == Some(&TokenKind::LBracket);
        let mut values = Vec::new();
        let mut rows = 0usize;
        let mut cols: Option<usize> = None;
        loop {
            if nested {
                let row_start = self.here();
                self.expect(&TokenKind::LBracket, "'[' and the next row")?;
                let before = values.len();
                self.numbers(&mut values, "a row")?;
                let close = self.expect(&TokenKind::RBracket, "',' or ']' after a number")?;
                let width = values.len() - before;
                match cols {
                    Some(c) if c != width => {
                        let (message, hint) = ragged_row(width, c);
                        return Err(self
                            .error(ErrorKind::Syntax, row_start.to(close), message)
                            .with_hint(hint));
                    }
                    _ => cols = Some(width),
                }
                rows += 1;
            } else {
                self.numbers(&mut values, "a list")?;
                rows = values.len();
                cols = Some(1);
            }
            match self.peek().map(|t| &t.kind) {
                Some(TokenKind::Comma) if nested => self.pos += 1,
                Some(TokenKind::RBracket) => {
                    let close = self.tokens[self.pos].span;
                    self.pos += 1;
                    let shape = Shape {
                        rows,
                        cols: cols.unwrap_or(1),
                    };
                    return Ok(DeclValue::List(values, shape, open.to(close)));
                }
                _ => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.here(),
                        format!("expected ',' or ']', found {}", self.describe_here()),
                    ))
                }
            }
        }
    }

    /// `1, -2, 3.5` (at least one number), appended to `values`.
    pub(super) fn numbers(
        &mut self,
        values: &mut Vec<Number>,
        what: &str,
    ) -> Result<(), Diagnostic> {
        loop {
            match self.signed_number() {
                Some(n) => values.push(n),
                None => {
                    return Err(self
                        .error(
                            ErrorKind::Syntax,
                            self.here(),
                            format!(
                                "expected a number in {what}, found {}",
                                self.describe_here()
                            ),
                        )
                        .with_hint("the entries of a declaration are numbers: `[0.5, -1, 2]`"))
                }
            }
            if values.len() > crate::expr::resolve::MAX_ENTRIES {
                return Err(self.error(
                    ErrorKind::TooLarge,
                    self.here(),
                    format!("more than {} entries", crate::expr::resolve::MAX_ENTRIES),
                ));
            }
            match (
                self.peek().map(|t| &t.kind),
                self.peek_at(1).map(|t| &t.kind),
            ) {
                (Some(TokenKind::Comma), Some(TokenKind::LBracket)) => return Ok(()),
                (Some(TokenKind::Comma), _) => self.pos += 1,
                _ => return Ok(()),
            }
        }
    }
}

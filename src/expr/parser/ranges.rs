//! Index ranges: the bindings of a `for` template, the ranges of an index `sum`, and
//! their whole-number bounds.

use super::{is_reserved, IndexName, Parser, MAX_INDEX};
use crate::expr::ast::{Binding, Item};
use crate::expr::error::{Diagnostic, ErrorKind};
use crate::expr::lexer::{Token, TokenKind};
use crate::expr::span::Span;
impl Parser<'_, '_> {
    /// `i in 4..6, j in 7..9 :`
    pub(super) fn bindings(&mut self) -> Result<Vec<Binding>, Diagnostic> {
        let mut bindings: Vec<Binding> = Vec::new();
        loop {
            let name = self.index_name()?;
            let (lo, hi, span) = self.range(name.span)?;
            if bindings.iter().any(|b| b.index == name.text) {
                return Err(self.error(
                    ErrorKind::DuplicateDefinition,
                    name.span,
                    format!("the index `{}` is bound twice", name.text),
                ));
            }
            bindings.push(Binding {
                index: name.text,
                lo,
                hi,
                span,
            });
            match self.peek().map(|t| &t.kind) {
                Some(TokenKind::Comma) => self.pos += 1,
                Some(TokenKind::Colon) => {
                    self.pos += 1;
                    return Ok(bindings);
                }
                _ => {
                    return Err(self
                        .error(
                            ErrorKind::Syntax,
                            self.here(),
                            format!(
                                "expected ',' or ':' after an index range, found {}",
                                self.describe_here()
                            ),
                        )
                        .with_hint("write `for i in 4..6, j in 7..9: STATEMENT`"))
                }
            }
        }
    }

    /// A plain, non-reserved name for an index.
    pub(super) fn index_name(&mut self) -> Result<IndexName, Diagnostic> {
        match self.peek() {
            Some(Token {
                kind: TokenKind::Name(n),
                span,
            }) if n.plain().is_some_and(|p| !is_reserved(p)) => {
                self.pos += 1;
                Ok(IndexName {
                    text: n.plain().unwrap_or_default().to_string(),
                    span: *span,
                })
            }
            _ => Err(self.error(
                ErrorKind::Syntax,
                self.here(),
                format!("expected an index name, found {}", self.describe_here()),
            )),
        }
    }

    /// `in A..B` with integers `0 ≤ A ≤ B ≤ MAX_INDEX`.
    pub(super) fn range(&mut self, start: Span) -> Result<(i64, i64, Span), Diagnostic> {
        if self.keyword_at(0) != Some("in") {
            return Err(self
                .error(
                    ErrorKind::Syntax,
                    self.here(),
                    format!("expected `in`, found {}", self.describe_here()),
                )
                .with_hint("an index range reads `k in 7..9`"));
        }
        self.pos += 1;
        let lo = self.index_bound()?;
        self.expect(&TokenKind::DotDot, "'..' in the index range")?;
        let hi = self.index_bound()?;
        let span = start.to(self.tokens[self.pos - 1].span);
        if lo.0 > hi.0 {
            return Err(self
                .error(
                    ErrorKind::Syntax,
                    lo.1.to(hi.1),
                    format!("the range {}..{} is empty", lo.0, hi.0),
                )
                .with_hint("ranges are inclusive and count up: 7..9 is 7, 8, 9"));
        }
        Ok((lo.0, hi.0, span))
    }

    pub(super) fn index_bound(&mut self) -> Result<(i64, Span), Diagnostic> {
        self.whole_number(0, "an index bound").map_err(|e| {
            e.unwrap_or_else(|| {
                self.error(
                    ErrorKind::Syntax,
                    self.here(),
                    format!("expected a whole number, found {}", self.describe_here()),
                )
            })
        })
    }

    /// A number token that is a whole number from `low` to [`MAX_INDEX`], consumed.
    /// `Err(Some(_))`: a number out of range (named `what` in the error); `Err(None)`:
    /// no number here, for the caller to say what it expected.
    pub(super) fn whole_number(
        &mut self,
        low: i64,
        what: &str,
    ) -> Result<(i64, Span), Option<Diagnostic>> {
        let Some(Token {
            kind: TokenKind::Number(n),
            span,
        }) = self.peek()
        else {
            return Err(None);
        };
        let value = n
            .exact()
            .and_then(|r| r.to_i64())
            .filter(|v| (low..=MAX_INDEX).contains(v));
        let span = *span;
        match value {
            Some(v) => {
                self.pos += 1;
                Ok((v, span))
            }
            None => Err(Some(self.error(
                ErrorKind::Syntax,
                span,
                format!("{what} must be a whole number from {low} to {MAX_INDEX}"),
            ))),
        }
    }

    /// After `sum(`: `k in A..B,` — returns the `SumStart` item.
    pub(super) fn sum_header(&mut self, sum: Span) -> Result<Item, Diagnostic> {
        let index = self
            .index_name()
            .map_err(|e| e.with_hint("a sum reads `sum(k in 7..9, EXPR)`"))?;
        let (lo, hi, _) = self.range(index.span)?;
        self.expect(&TokenKind::Comma, "',' and the summand after the range")?;
        Ok(Item::SumStart {
            index: index.text,
            lo,
            hi,
            span: sum,
        })
    }
}

//! Index ranges: the bindings of a `for` template, the ranges of an index `sum`, and
//! their whole-number bounds.

use super::{is_reserved, IndexName, Parser, MAX_INDEX};
use crate::expr::ast::{Binding, Bound, Item};
use crate::expr::error::{Diagnostic, ErrorKind};
use crate::expr::lexer::{IndexSum, Token, TokenKind};
use crate::expr::span::{Source, Span};

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

    /// `in A..B`: two bounds, whole numbers or whole-number arithmetic on indices bound
    /// outside the range. Bounds that name no index are checked here
    /// (`0 ≤ A ≤ B ≤ MAX_INDEX`); the others where the range is expanded.
    pub(super) fn range(&mut self, start: Span) -> Result<(Bound, Bound, Span), Diagnostic> {
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
        if lo.constant().is_some() && hi.constant().is_some() {
            evaluate_range(&lo, &hi, &[], self.source)?;
        } else {
            // Each constant bound alone: a bound out of range is wrong in every expansion.
            for bound in [&lo, &hi] {
                if bound.constant().is_some() {
                    evaluate_bound(bound, &[], self.source)?;
                }
            }
        }
        Ok((lo, hi, span))
    }

    /// One bound: terms joined by `+` and `-` (the first may carry a `-`), each a
    /// product of whole numbers and at most one index (`2*k+1`, `k-1`, `n*2`).
    pub(super) fn index_bound(&mut self) -> Result<Bound, Diagnostic> {
        let start = self.here();
        let mut terms: Vec<(i64, Option<String>)> = Vec::new();
        let mut text = String::new();
        let mut sign = 1i64;
        if self.peek().map(|t| &t.kind) == Some(&TokenKind::Minus) {
            self.pos += 1;
            sign = -1;
            text.push('-');
        }
        loop {
            let mut coefficient = sign;
            let mut index: Option<String> = None;
            loop {
                let factor_span = self.here();
                match self.peek().map(|t| &t.kind) {
                    Some(TokenKind::Number(_)) => {
                        let (v, _) = self
                            .whole_number(0, "a number in an index bound")
                            .map_err(|e| e.unwrap_or_else(|| self.bound_expected()))?;
                        text.push_str(&v.to_string());
                        // |coefficient| ≤ MAX_INDEX^k for k factors: overflow needs an
                        // absurd product, reported rather than wrapped.
                        coefficient = coefficient.checked_mul(v).ok_or_else(|| {
                            self.error(
                                ErrorKind::Syntax,
                                start.to(factor_span),
                                "this index arithmetic overflows",
                            )
                        })?;
                    }
                    Some(TokenKind::Name(n)) if n.plain().is_some_and(|p| !is_reserved(p)) => {
                        let name = n.plain().unwrap_or_default().to_string();
                        if index.is_some() {
                            return Err(self
                                .error(
                                    ErrorKind::Syntax,
                                    factor_span,
                                    "a term of an index bound multiplies at most one index",
                                )
                                .with_hint("bounds are linear in the indices: `2*k+1`, `i+j`"));
                        }
                        self.pos += 1;
                        text.push_str(&name);
                        index = Some(name);
                    }
                    _ => return Err(self.bound_expected()),
                }
                if self.peek().map(|t| &t.kind) != Some(&TokenKind::Star) {
                    break;
                }
                self.pos += 1;
                text.push('*');
            }
            terms.push((coefficient, index));
            sign = match self.peek().map(|t| &t.kind) {
                Some(TokenKind::Plus) => 1,
                Some(TokenKind::Minus) => -1,
                _ => break,
            };
            self.pos += 1;
            text.push(if sign > 0 { '+' } else { '-' });
        }
        let span = start.to(self.tokens[self.pos - 1].span);
        Ok(Bound {
            sum: IndexSum { text, terms },
            span,
        })
    }

    fn bound_expected(&self) -> Diagnostic {
        self.error(
            ErrorKind::Syntax,
            self.here(),
            format!(
                "expected a whole number or an index, found {}",
                self.describe_here()
            ),
        )
        .with_hint("a bound is a whole number or arithmetic on indices: `7..9`, `2*k+1..2*k+2`")
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

/// The values of a range's bounds with the indices bound in `env`: each a whole number
/// from 0 to [`MAX_INDEX`], the first at most the second.
pub(crate) fn evaluate_range(
    lo: &Bound,
    hi: &Bound,
    env: &[(String, i64)],
    source: &Source,
) -> Result<(i64, i64), Diagnostic> {
    let (a, b) = (
        evaluate_bound(lo, env, source)?,
        evaluate_bound(hi, env, source)?,
    );
    if a > b {
        let written = if lo.constant().is_some() && hi.constant().is_some() {
            format!("the range {a}..{b} is empty")
        } else {
            format!(
                "the range {}..{} is empty here ({a}..{b})",
                lo.sum.text, hi.sum.text
            )
        };
        return Err(
            Diagnostic::new(source, ErrorKind::Syntax, lo.span.to(hi.span), written)
                .with_hint("ranges are inclusive and count up: 7..9 is 7, 8, 9"),
        );
    }
    Ok((a, b))
}

/// One bound's value with the indices bound in `env`.
fn evaluate_bound(
    bound: &Bound,
    env: &[(String, i64)],
    source: &Source,
) -> Result<i64, Diagnostic> {
    let error = |kind, message: String| Diagnostic::new(source, kind, bound.span, message);
    match bound.sum.value(env) {
        Ok(Some(v)) if (0..=MAX_INDEX).contains(&v) => Ok(v),
        Ok(value) => {
            let rule = format!("an index bound must be a whole number from 0 to {MAX_INDEX}");
            let message = match value {
                _ if bound.constant().is_some() => rule,
                Some(v) => format!("`{}` is {v} here: {rule}", bound.sum.text),
                None => format!("`{}` overflows here", bound.sum.text),
            };
            let d = error(ErrorKind::Syntax, message);
            Err(if bound.constant().is_some() {
                d
            } else {
                d.with_hint("check the index arithmetic against the ranges it uses")
            })
        }
        Err(k) => Err(error(
            ErrorKind::UnknownIndex,
            format!("no index `{k}` is bound here"),
        )
        .with_hint(
            "a bound may use the indices of an enclosing `for` or `sum`, or of an earlier \
                 range of the same `for`: `for i in 1..3, j in i..3: ...`",
        )),
    }
}

//! Expressions by operator precedence with an explicit operator stack (shunting-yard),
//! never by recursion, so nesting depth costs heap, not call stack.

use super::calls::Callee;
use super::{Parser, CONSTANTS, KEYWORDS, MAX_NESTING};
use crate::expr::ast::{BinaryOp, Expr, Item, NEG_PRECEDENCE};
use crate::expr::error::{Diagnostic, ErrorKind};
use crate::expr::func::Func;
use crate::expr::lexer::{Name, Token, TokenKind};
use crate::expr::span::Span;

/// An entry of the operator stack.
pub(super) enum Pending {
    Neg(Span),
    Binary(BinaryOp, Span),
    /// A grouping `(`.
    Paren(Span),
    /// An open call: what is called, where, how many arguments are complete, and where
    /// in the output the current argument starts.
    Call {
        callee: Callee,
        span: Span,
        args: usize,
        arg_start: usize,
    },
}

impl Parser<'_, '_> {
    /// An expression, up to the first token that cannot continue it.
    pub(super) fn expression(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.here();
        let mut out: Vec<Item> = Vec::new();
        let mut stack: Vec<Pending> = Vec::new();
        let mut depth = 0usize;
        let mut expect_operand = true;
        loop {
            let token = self.peek();
            if expect_operand {
                let Some(token) = token else {
                    return Err(self.missing_operand(&stack));
                };
                if token.kind != TokenKind::LBracket && starts_matrix_row(&stack, out.len()) {
                    return Err(self
                        .error(
                            ErrorKind::Syntax,
                            token.span,
                            format!(
                                "expected '[' and the next row of the matrix, found {}",
                                token.kind.describe()
                            ),
                        )
                        .with_hint("a matrix is a list of rows in brackets: `[[1, 0], [0, 1]]`"));
                }
                match &token.kind {
                    TokenKind::Number(n) => {
                        self.pos += 1;
                        out.push(Item::Number(*n, token.span));
                        expect_operand = false;
                    }
                    TokenKind::Name(name) => {
                        self.pos += 1;
                        let call = matches!(self.peek().map(|t| &t.kind), Some(TokenKind::LParen));
                        if call {
                            let mut callee = self.callee(name, self.index_sum_follows())?;
                            let open = self.peek().map_or(name.span, |t| t.span);
                            self.pos += 1;
                            depth += 1;
                            self.check_depth(depth, name.span.to(open))?;
                            if callee == Callee::Sum(1) {
                                // `i in 1..3, j in 1..3,`: one range per index, the
                                // sums nested in the order written.
                                let mut ranges = 0;
                                loop {
                                    out.push(self.sum_header(name.span)?);
                                    ranges += 1;
                                    if !self.index_range_follows() {
                                        break;
                                    }
                                }
                                callee = Callee::Sum(ranges);
                            }
                            stack.push(Pending::Call {
                                callee,
                                span: name.span.to(open),
                                args: 0,
                                arg_start: out.len(),
                            });
                        } else {
                            self.check_operand_name(name)?;
                            out.push(match name.plain() {
                                Some(p) if CONSTANTS.contains(&p) => Item::Pi(name.span),
                                _ => Item::Name(name.clone()),
                            });
                            expect_operand = false;
                        }
                    }
                    TokenKind::LParen => {
                        self.pos += 1;
                        depth += 1;
                        self.check_depth(depth, token.span)?;
                        stack.push(Pending::Paren(token.span));
                    }
                    TokenKind::Minus => {
                        self.pos += 1;
                        stack.push(Pending::Neg(token.span));
                    }
                    // A literal: `[[` opens a matrix (a list of rows), `[` a vector.
                    TokenKind::LBracket => {
                        self.pos += 1;
                        depth += 1;
                        self.check_depth(depth, token.span)?;
                        let matrix = self.peek().map(|t| &t.kind) == Some(&TokenKind::LBracket);
                        stack.push(Pending::Call {
                            callee: if matrix {
                                Callee::Matrix
                            } else {
                                Callee::Vector
                            },
                            span: token.span,
                            args: 0,
                            arg_start: out.len(),
                        });
                    }
                    TokenKind::RParen => {
                        // `f()`: a call closed with no argument at all.
                        if let Some(Pending::Call {
                            callee,
                            span,
                            args: 0,
                            arg_start,
                        }) = stack.last()
                        {
                            if *arg_start == out.len() {
                                return Err(self.arity_error(*callee, *span, 0));
                            }
                        }
                        return Err(self.missing_operand(&stack));
                    }
                    TokenKind::RBracket
                        if matches!(
                            stack.last(),
                            Some(Pending::Call {
                                callee: Callee::Vector | Callee::Matrix,
                                args: 0,
                                ..
                            })
                        ) =>
                    {
                        return Err(self
                            .error(
                                ErrorKind::Syntax,
                                token.span,
                                "a vector or matrix literal has at least one entry",
                            )
                            .with_hint("write the entries between the brackets: `[0, 1, 0]`"));
                    }
                    _ => return Err(self.missing_operand(&stack)),
                }
            } else {
                // Postfix operators bind tightest: they apply to the operand just
                // completed, which is last in the output.
                if let Some(span) = self.transpose_here() {
                    out.push(Item::Transpose(span));
                    continue;
                }
                if let Some(t) = token.filter(|t| t.kind == TokenKind::LBracket) {
                    self.pos += 1;
                    depth += 1;
                    self.check_depth(depth, t.span)?;
                    stack.push(Pending::Call {
                        callee: Callee::Index,
                        span: t.span,
                        args: 0,
                        arg_start: out.len(),
                    });
                    expect_operand = true;
                    continue;
                }
                let op = match token.map(|t| &t.kind) {
                    Some(TokenKind::Plus) => Some(BinaryOp::Add),
                    Some(TokenKind::Minus) => Some(BinaryOp::Sub),
                    Some(TokenKind::Star) => Some(BinaryOp::Mul),
                    Some(TokenKind::Slash) => Some(BinaryOp::Div),
                    Some(TokenKind::Caret) => Some(BinaryOp::Pow),
                    Some(TokenKind::Hadamard) => Some(BinaryOp::Hadamard),
                    _ => None,
                };
                if let (Some(op), Some(token)) = (op, token) {
                    self.pos += 1;
                    pop_operators(&mut stack, &mut out, op);
                    stack.push(Pending::Binary(op, token.span));
                    expect_operand = true;
                    continue;
                }
                match token {
                    Some(t) if matches!(t.kind, TokenKind::RParen | TokenKind::RBracket) => {
                        self.pos += 1;
                        self.close(&mut stack, &mut out, t, &mut depth)?;
                    }
                    Some(t) if t.kind == TokenKind::Comma && has_open_call(&stack) => {
                        self.pos += 1;
                        self.next_argument(&mut stack, &mut out, t.span)?;
                        expect_operand = true;
                    }
                    Some(t)
                        if matches!(
                            t.kind,
                            TokenKind::Number(_) | TokenKind::Name(_) | TokenKind::LParen
                        ) =>
                    {
                        return Err(self
                            .error(
                                ErrorKind::Syntax,
                                t.span,
                                format!("expected an operator before {}", t.kind.describe()),
                            )
                            .with_hint("write '*' for multiplication, e.g. 2 * x"));
                    }
                    _ => break,
                }
            }
        }
        // The end of the expression: everything left on the stack must be an operator.
        while let Some(pending) = stack.pop() {
            match pending {
                Pending::Neg(span) => out.push(Item::Neg(span)),
                Pending::Binary(op, span) => out.push(Item::Binary(op, span)),
                Pending::Paren(span) | Pending::Call { span, .. } => {
                    let bracket = matches!(
                        pending,
                        Pending::Call { callee, .. } if callee.closes_with_bracket()
                    );
                    let (open, close) = if bracket { ('[', ']') } else { ('(', ')') };
                    return Err(self
                        .error(
                            ErrorKind::UnbalancedParenthesis,
                            span,
                            format!("this '{open}' is never closed"),
                        )
                        .with_hint(format!("add '{close}' before {}", self.describe_here())));
                }
            }
        }
        let end = self
            .tokens
            .get(self.pos.wrapping_sub(1))
            .map_or(start, |t| t.span);
        Ok(Expr {
            items: out,
            span: start.to(end),
        })
    }

    pub(super) fn check_depth(&self, depth: usize, span: Span) -> Result<(), Diagnostic> {
        if depth > MAX_NESTING {
            return Err(self
                .error(
                    ErrorKind::NestingTooDeep,
                    span,
                    format!("parentheses and calls are nested deeper than {MAX_NESTING}"),
                )
                .with_hint("name an inner part with a definition `NAME = EXPR` and use the name"));
        }
        Ok(())
    }

    /// `^T` or `'` at the current position (consumed): the transpose's span. `^T`
    /// is always the transpose, never a power of a quantity named `T` (write
    /// `x^(T)` for that).
    pub(super) fn transpose_here(&mut self) -> Option<Span> {
        let t = self.peek()?;
        match &t.kind {
            TokenKind::Tick => {
                self.pos += 1;
                Some(t.span)
            }
            TokenKind::Caret => match self.peek_at(1) {
                Some(Token {
                    kind: TokenKind::Name(n),
                    span,
                }) if n.plain() == Some("T") => {
                    self.pos += 2;
                    Some(t.span.to(*span))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// After `sum` and before its `(`: whether `( k in` follows (the index sum), not
    /// a vector's sum `sum(v)`.
    pub(super) fn index_sum_follows(&self) -> bool {
        matches!(
            (self.peek_at(1), self.peek_at(2)),
            (Some(Token { kind: TokenKind::Name(_), .. }), Some(Token { kind: TokenKind::Name(n), .. }))
                if n.plain() == Some("in")
        )
    }

    /// Whether another index range `j in` starts here (after a sum's range and comma).
    pub(super) fn index_range_follows(&self) -> bool {
        matches!(
            (self.peek_at(0), self.peek_at(1)),
            (Some(Token { kind: TokenKind::Name(_), .. }), Some(Token { kind: TokenKind::Name(n), .. }))
                if n.plain() == Some("in")
        )
    }

    /// A name used as a value must not be a keyword or a function.
    pub(super) fn check_operand_name(&self, name: &Name) -> Result<(), Diagnostic> {
        let Some(p) = name.plain() else { return Ok(()) };
        if Func::from_name(p).is_some() || matches!(p, "grad" | "next" | "sum") {
            return Err(self
                .error(
                    ErrorKind::Syntax,
                    name.span,
                    format!("`{p}` is a function and needs an argument in parentheses"),
                )
                .with_hint(format!("write {p}(...)")));
        }
        if KEYWORDS.contains(&p) {
            return Err(self.error(
                ErrorKind::ReservedName,
                name.span,
                format!("`{p}` is a keyword, not a value"),
            ));
        }
        Ok(())
    }
}

/// Pops the operators that bind at least as tightly as the incoming `op` (strictly more
/// tightly for the right-associative `^`). Prefix minus counts as an operator of its
/// own precedence; groups and calls stop the popping.
pub(super) fn pop_operators(stack: &mut Vec<Pending>, out: &mut Vec<Item>, op: BinaryOp) {
    let incoming = op.precedence();
    while let Some(top) = stack.last() {
        let (precedence, item) = match top {
            Pending::Neg(s) => (NEG_PRECEDENCE, Item::Neg(*s)),
            Pending::Binary(o, s) => (o.precedence(), Item::Binary(*o, *s)),
            Pending::Paren(_) | Pending::Call { .. } => break,
        };
        let pops = if op.right_associative() {
            precedence > incoming
        } else {
            precedence >= incoming
        };
        if !pops {
            break;
        }
        stack.pop();
        out.push(item);
    }
}

pub(super) fn has_open_call(stack: &[Pending]) -> bool {
    stack
        .iter()
        .rev()
        .find_map(|p| match p {
            Pending::Paren(_) => Some(false),
            Pending::Call { .. } => Some(true),
            _ => None,
        })
        .unwrap_or(false)
}

/// Whether the operand about to be read starts a row of a matrix literal (the first
/// token after `[[`'s outer bracket or after a comma between rows).
fn starts_matrix_row(stack: &[Pending], out_len: usize) -> bool {
    matches!(
        stack.last(),
        Some(Pending::Call {
            callee: Callee::Matrix,
            arg_start,
            ..
        }) if *arg_start == out_len
    )
}

//! The parser: logical lines of tokens to statements.
//!
//! Expressions are parsed by operator precedence with an explicit operator stack
//! (shunting-yard), never by recursion, so nesting depth costs heap, not call stack; it
//! is still capped at [`MAX_NESTING`] so that an absurd input gets a clear error.

use super::ast::{
    BinaryOp, Binding, DeclKind, DeclValue, Expr, Item, LeafKind, ShapeFn, Statement,
    StatementKind, NEG_PRECEDENCE,
};
use super::error::{closest, Diagnostic, ErrorKind};
use super::func::Func;
use super::grid::Shape;
use super::lexer::{self, Name, NamePart, Token, TokenKind};
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

/// Whether `name` is a keyword or a function's name.
pub(crate) fn is_reserved(name: &str) -> bool {
    KEYWORDS.contains(&name) || Func::from_name(name).is_some()
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

struct Parser<'s, 't> {
    source: &'s Source<'s>,
    tokens: &'t [Token],
    pos: usize,
    line: Span,
}

/// An entry of the operator stack.
enum Pending {
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

#[derive(Clone, Copy, PartialEq)]
enum Callee {
    Func(Func),
    Grad,
    Next,
    /// `sum(i in A..B, j in C..D, EXPR)`: the number of index ranges.
    Sum(usize),
    Shaped(ShapeFn),
    /// `A[i, j]`: closed by `]`, with one or two indices.
    Index,
}

impl Callee {
    fn arity(self) -> usize {
        match self {
            Callee::Grad | Callee::Index => 2,
            Callee::Shaped(f) => f.arity(),
            Callee::Func(_) | Callee::Next | Callee::Sum(_) => 1,
        }
    }

    /// Whether `args` arguments are right (an entry takes one index or two).
    fn accepts(self, args: usize) -> bool {
        match self {
            Callee::Index => (1..=2).contains(&args),
            _ => args == self.arity(),
        }
    }

    fn usage(self) -> String {
        match self {
            Callee::Func(f) => format!("{f}(x)"),
            Callee::Grad => "grad(F, X)".into(),
            Callee::Next => "next(W)".into(),
            Callee::Sum(_) => "sum(k in 7..9, EXPR)".into(),
            Callee::Shaped(f) => f.usage(),
            Callee::Index => "A[i, j]".into(),
        }
    }
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

    fn statement(&mut self) -> Result<Statement, Diagnostic> {
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

    /// `i in 4..6, j in 7..9 :`
    fn bindings(&mut self) -> Result<Vec<Binding>, Diagnostic> {
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
    fn index_name(&mut self) -> Result<IndexName, Diagnostic> {
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
    fn range(&mut self, start: Span) -> Result<(i64, i64, Span), Diagnostic> {
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

    fn index_bound(&mut self) -> Result<(i64, Span), Diagnostic> {
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
    fn whole_number(&mut self, low: i64, what: &str) -> Result<(i64, Span), Option<Diagnostic>> {
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

    /// Whether the line starts `data NAME`.
    fn data_declaration(&self) -> bool {
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
    fn declaration(&mut self, kind: DeclKind) -> Result<StatementKind, Diagnostic> {
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
    fn signed_number(&mut self) -> Option<Number> {
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
    fn shape(&mut self) -> Result<(Shape, Span), Diagnostic> {
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
    fn dimension(&mut self) -> Result<usize, Diagnostic> {
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
    fn value_list(&mut self) -> Result<DeclValue, Diagnostic> {
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
                        return Err(self
                            .error(
                                ErrorKind::Syntax,
                                row_start.to(close),
                                format!("this row has {width} entries, the first row {c}"),
                            )
                            .with_hint("every row of a matrix has the same length"))
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
    fn numbers(&mut self, values: &mut Vec<Number>, what: &str) -> Result<(), Diagnostic> {
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
            if values.len() > super::resolve::MAX_ENTRIES {
                return Err(self.error(
                    ErrorKind::TooLarge,
                    self.here(),
                    format!("more than {} entries", super::resolve::MAX_ENTRIES),
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

    /// `NAME = EXPR` (after `loss`, if any).
    fn definition(&mut self, loss: bool) -> Result<StatementKind, Diagnostic> {
        let name = self.defined_name()?;
        self.expect(&TokenKind::Equals, "'=' and the definition")?;
        let expr = self.expression()?;
        Ok(StatementKind::Define { name, expr, loss })
    }

    /// The name a statement declares or defines: not a keyword or function name.
    fn defined_name(&mut self) -> Result<Name, Diagnostic> {
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

    /// An expression, up to the first token that cannot continue it.
    fn expression(&mut self) -> Result<Expr, Diagnostic> {
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
                            out.push(Item::Name(name.clone()));
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
                    return Err(self
                        .error(
                            ErrorKind::UnbalancedParenthesis,
                            span,
                            "this '(' is never closed",
                        )
                        .with_hint(format!("add ')' before {}", self.describe_here())));
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

    fn check_depth(&self, depth: usize, span: Span) -> Result<(), Diagnostic> {
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
    fn transpose_here(&mut self) -> Option<Span> {
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
    fn index_sum_follows(&self) -> bool {
        matches!(
            (self.peek_at(1), self.peek_at(2)),
            (Some(Token { kind: TokenKind::Name(_), .. }), Some(Token { kind: TokenKind::Name(n), .. }))
                if n.plain() == Some("in")
        )
    }

    /// Whether another index range `j in` starts here (after a sum's range and comma).
    fn index_range_follows(&self) -> bool {
        matches!(
            (self.peek_at(0), self.peek_at(1)),
            (Some(Token { kind: TokenKind::Name(_), .. }), Some(Token { kind: TokenKind::Name(n), .. }))
                if n.plain() == Some("in")
        )
    }

    /// What `name(` calls (`index_sum`: whether `k in` follows the `(`).
    fn callee(&self, name: &Name, index_sum: bool) -> Result<Callee, Diagnostic> {
        let plain = name.plain().unwrap_or("");
        if let Some(f) = Func::from_name(plain) {
            return Ok(Callee::Func(f));
        }
        if let Some(f) = ShapeFn::from_name(plain) {
            return Ok(Callee::Shaped(f));
        }
        match plain {
            "grad" => return Ok(Callee::Grad),
            "next" => return Ok(Callee::Next),
            "sum" if index_sum => return Ok(Callee::Sum(1)),
            "sum" => return Ok(Callee::Shaped(ShapeFn::Sum)),
            _ => {}
        }
        let known = Func::ALL.iter().map(|f| f.name()).chain([
            "sigmoid",
            "log",
            "grad",
            "next",
            "sum",
            "dot",
            "outer",
            "norm",
            "softmax",
            "log_sum_exp",
            "transpose",
            "hadamard",
        ]);
        let d = self.error(
            ErrorKind::UnknownFunction,
            name.span,
            format!("unknown function `{}`", name.written()),
        );
        Err(match closest(&name.written(), known) {
            Some(c) => d.with_hint(format!("did you mean `{c}`?")),
            None => d.with_hint(
                "the functions are sigma (sigmoid), exp, ln (log), sqrt, tanh, relu, abs, \
                 sin, cos, step, sign; and grad(F, X), next(W), sum(k in A..B, EXPR); of \
                 vectors and matrices sum(v), dot(u, v), outer(u, v), norm(v), softmax(z), \
                 log_sum_exp(z), transpose(W), hadamard(a, b); for a product write '*', \
                 e.g. w * (x + 1)",
            ),
        })
    }

    /// A name used as a value must not be a keyword or a function.
    fn check_operand_name(&self, name: &Name) -> Result<(), Diagnostic> {
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

    /// After `sum(`: `k in A..B,` — returns the `SumStart` item.
    fn sum_header(&mut self, sum: Span) -> Result<Item, Diagnostic> {
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

    /// `)` in operator position: closes the innermost group or call.
    fn close(
        &self,
        stack: &mut Vec<Pending>,
        out: &mut Vec<Item>,
        closing: &Token,
        depth: &mut usize,
    ) -> Result<(), Diagnostic> {
        let span = closing.span;
        let bracket = closing.kind == TokenKind::RBracket;
        let mismatched = |opened: Span, this: &Self| {
            let (open, close) = if bracket { ("(", "]") } else { ("[", ")") };
            this.error(
                ErrorKind::UnbalancedParenthesis,
                span,
                format!(
                    "this '{}' closes the '{open}' at column {}",
                    close,
                    this.source.position(opened.start).column
                ),
            )
            .with_hint(format!(
                "close a '{open}' with '{}'",
                if bracket { ")" } else { "]" }
            ))
        };
        loop {
            match stack.pop() {
                Some(Pending::Neg(s)) => out.push(Item::Neg(s)),
                Some(Pending::Binary(op, s)) => out.push(Item::Binary(op, s)),
                Some(Pending::Paren(opened)) => {
                    if bracket {
                        return Err(mismatched(opened, self));
                    }
                    *depth -= 1;
                    return Ok(());
                }
                Some(Pending::Call {
                    callee,
                    span: call,
                    args,
                    arg_start,
                }) => {
                    if bracket != (callee == Callee::Index) {
                        return Err(mismatched(call, self));
                    }
                    *depth -= 1;
                    let args = args + 1;
                    if !callee.accepts(args) {
                        return Err(self.arity_error(callee, call, args));
                    }
                    let whole = call.to(span);
                    if let Callee::Sum(ranges) = callee {
                        // The inner sums of `sum(i in .., j in .., E)` close first.
                        for _ in 1..ranges {
                            out.push(Item::SumEnd(whole));
                        }
                    }
                    out.push(match callee {
                        Callee::Index => Item::Index(args, whole),
                        Callee::Shaped(f) => Item::Shaped(f, whole),
                        Callee::Func(f) => Item::Call(f, whole),
                        Callee::Grad => {
                            self.single_name(out, arg_start, "grad(F, X)", "X")?;
                            Item::Grad(whole)
                        }
                        Callee::Next => {
                            self.single_name(out, arg_start, "next(W)", "W")?;
                            Item::Next(whole)
                        }
                        Callee::Sum(_) => Item::SumEnd(whole),
                    });
                    return Ok(());
                }
                None => {
                    return Err(self
                        .error(
                            ErrorKind::UnbalancedParenthesis,
                            span,
                            "this ')' has no '(' to close",
                        )
                        .with_hint("remove it, or add the '(' it closes"));
                }
            }
        }
    }

    /// `,` in operator position inside a call: the current argument is complete.
    fn next_argument(
        &self,
        stack: &mut Vec<Pending>,
        out: &mut Vec<Item>,
        span: Span,
    ) -> Result<(), Diagnostic> {
        loop {
            match stack.last_mut() {
                Some(Pending::Neg(s)) => {
                    out.push(Item::Neg(*s));
                    stack.pop();
                }
                Some(Pending::Binary(op, s)) => {
                    out.push(Item::Binary(*op, *s));
                    stack.pop();
                }
                Some(Pending::Call {
                    callee,
                    span: call,
                    args,
                    arg_start,
                }) => {
                    *args += 1;
                    if !callee.accepts(*args + 1) && *args >= callee.arity() {
                        return Err(self.arity_error(*callee, *call, *args + 1));
                    }
                    *arg_start = out.len();
                    return Ok(());
                }
                Some(Pending::Paren(_)) | None => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        span,
                        "',' separates the arguments of a call and cannot appear here",
                    ));
                }
            }
        }
    }

    /// The last argument (from `arg_start`) of a call must be a single name.
    fn single_name(
        &self,
        out: &[Item],
        arg_start: usize,
        usage: &str,
        which: &str,
    ) -> Result<(), Diagnostic> {
        let arg = &out[arg_start..];
        match arg {
            [Item::Name(_)] => Ok(()),
            // An entry: `W[i, j]`.
            [Item::Name(_), .., Item::Index(..)] => Ok(()),
            _ => {
                let span = arg
                    .iter()
                    .filter_map(item_span)
                    .reduce(Span::to)
                    .unwrap_or(self.here());
                Err(self
                    .error(
                        ErrorKind::InvalidDerivative,
                        span,
                        format!("in {usage}, {which} must be a single name"),
                    )
                    .with_hint(
                        "name the quantity with a declaration or definition, then use the name",
                    ))
            }
        }
    }

    fn arity_error(&self, callee: Callee, span: Span, got: usize) -> Diagnostic {
        let want = callee.arity();
        let plural = if want == 1 { "argument" } else { "arguments" };
        self.error(
            ErrorKind::WrongArity,
            span,
            format!(
                "`{}` takes {want} {plural}, got {}",
                callee.usage().split('(').next().unwrap_or(""),
                if got > want {
                    format!("more ({got} or more)")
                } else {
                    got.to_string()
                }
            ),
        )
        .with_hint(format!("write {}", callee.usage()))
    }

    fn missing_operand(&self, stack: &[Pending]) -> Diagnostic {
        let after = match stack.last() {
            Some(Pending::Binary(..)) | Some(Pending::Neg(_)) => " after the operator",
            _ => "",
        };
        self.error(
            ErrorKind::Syntax,
            self.here(),
            format!(
                "expected a number, a name or '('{after}, found {}",
                self.describe_here()
            ),
        )
    }
}

struct IndexName {
    text: String,
    span: Span,
}

/// Pops the operators that bind at least as tightly as the incoming `op` (strictly more
/// tightly for the right-associative `^`). Prefix minus counts as an operator of its
/// own precedence; groups and calls stop the popping.
fn pop_operators(stack: &mut Vec<Pending>, out: &mut Vec<Item>, op: BinaryOp) {
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

fn has_open_call(stack: &[Pending]) -> bool {
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

fn item_span(item: &Item) -> Option<Span> {
    Some(match item {
        Item::Number(_, s)
        | Item::Neg(s)
        | Item::Binary(_, s)
        | Item::Call(_, s)
        | Item::Grad(s)
        | Item::Next(s)
        | Item::Index(_, s)
        | Item::Transpose(s)
        | Item::Shaped(_, s)
        | Item::SumEnd(s) => *s,
        Item::SumStart { span, .. } => *span,
        Item::Name(n) => n.span,
    })
}

fn negate(n: Number) -> Number {
    match n {
        Number::Exact(r) => r.checked_neg().map_or(n, Number::Exact),
        Number::Float(bits) => Number::Float((-f64::from_bits(bits)).to_bits()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(src: &str) -> Result<Statement, Diagnostic> {
        let (mut s, mut e) = parse_statements(&Source::new(src));
        if let Some(e) = e.pop() {
            return Err(e);
        }
        Ok(s.remove(0))
    }

    fn postfix(src: &str) -> String {
        let s = parse_one(&format!("z = {src}")).unwrap();
        let StatementKind::Define { expr, .. } = s.kind else {
            panic!()
        };
        expr.items
            .iter()
            .map(|i| match i {
                Item::Number(n, _) => n.to_string(),
                Item::Name(n) => n.written(),
                Item::Neg(_) => "neg".into(),
                Item::Binary(op, _) => format!("{op:?}"),
                Item::Call(f, _) => f.to_string(),
                Item::Grad(_) => "grad".into(),
                Item::Next(_) => "next".into(),
                Item::Index(n, _) => format!("index{n}"),
                Item::Transpose(_) => "T".into(),
                Item::Shaped(f, _) => f.name().into(),
                Item::SumStart { index, .. } => format!("sum[{index}"),
                Item::SumEnd(_) => "]".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn power_is_right_associative_and_binds_tighter_than_minus() {
        assert_eq!(postfix("2^3^2"), "2 3 2 Pow Pow");
        assert_eq!(postfix("-x^2"), "x 2 Pow neg");
        assert_eq!(postfix("2^-x"), "2 x neg Pow");
        assert_eq!(postfix("a - b - c"), "a b Sub c Sub");
        assert_eq!(postfix("-a * b"), "a neg b Mul");
    }

    #[test]
    fn calls_sums_and_grads_are_postfix_runs() {
        assert_eq!(
            postfix("sum(k in 7..9, y{k} * 2) + grad(L, w47)"),
            "sum[k y{k} 2 Mul ] L w47 grad Add"
        );
        assert_eq!(postfix("sigma(a + b)"), "a b Add sigma");
    }

    #[test]
    fn wrong_arity_is_reported_at_the_call() {
        let e = parse_one("z = sigma(a, b)").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongArity);
        let e = parse_one("z = grad(L)").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongArity);
        let e = parse_one("z = exp()").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongArity);
    }

    #[test]
    fn transposes_and_entries_are_postfix_and_bind_tightest() {
        assert_eq!(postfix("W^T * x"), "W T x Mul");
        assert_eq!(postfix("-x' * y"), "x T neg y Mul");
        assert_eq!(postfix("a^2^T"), "a 2 T Pow");
        assert_eq!(
            postfix("W[i, j + 1] * x[2]"),
            "W i j 1 Add index2 x 2 index1 Mul"
        );
        assert_eq!(postfix("a ⊙ b .* c + d"), "a b Hadamard c Hadamard d Add");
    }

    #[test]
    fn sum_of_a_vector_and_sum_over_an_index_are_told_apart() {
        assert_eq!(
            postfix("sum(v) + sum(k in 1..3, v[k])"),
            "v sum sum[k v k index1 ] Add"
        );
        assert_eq!(postfix("dot(u, v) * outer(u, v)"), "u v dot u v outer Mul");
    }

    #[test]
    fn shaped_declarations_read_their_shape_and_values() {
        let s = parse_one("param W: 2x3 = [[1, 2, 3], [-4, 5, 6]]").unwrap();
        let StatementKind::Declare { shape, value, .. } = s.kind else {
            panic!()
        };
        assert_eq!(shape.map(|s| s.0), Some(Shape { rows: 2, cols: 3 }));
        let DeclValue::List(values, listed, _) = value else {
            panic!()
        };
        assert_eq!(listed, Shape { rows: 2, cols: 3 });
        assert_eq!(values[3].to_f64(), -4.0);
        let s = parse_one("input x: 3").unwrap();
        assert!(matches!(
            s.kind,
            StatementKind::Declare {
                value: DeclValue::Drawn,
                ..
            }
        ));
        let s = parse_one("data y: 3 x 1 = [0, 1, 0]").unwrap();
        assert!(matches!(
            s.kind,
            StatementKind::Declare {
                kind: DeclKind::Data,
                ..
            }
        ));
        // `data` is a keyword only where a declaration starts.
        assert!(parse_one("data = 2").is_ok());
        assert!(parse_one("param W: 0x3").is_err());
        assert!(parse_one("param w").is_err());
    }

    #[test]
    fn a_bracket_closes_only_a_bracket() {
        let e = parse_one("z = W[1, 2)").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnbalancedParenthesis);
        let e = parse_one("z = (a]").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnbalancedParenthesis);
        let e = parse_one("z = W[1, 2, 3]").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongArity);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let src = format!("z = {}x{}", "(".repeat(100_000), ")".repeat(100_000));
        let e = parse_one(&src).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NestingTooDeep);
    }
}

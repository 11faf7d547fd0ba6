//! Calls: what a name followed by `(` calls, and closing a call or group (its arity,
//! the single-name arguments of `grad` and `next`).

use super::expression::Pending;
use super::Parser;
use crate::expr::ast::{Item, ShapeFn};
use crate::expr::error::{closest, Diagnostic, ErrorKind};
use crate::expr::func::Func;
use crate::expr::lexer::{Name, Token, TokenKind};
use crate::expr::span::Span;

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Callee {
    Func(Func),
    Grad,
    Next,
    /// `sum(i in A..B, j in C..D, EXPR)`: the number of index ranges.
    Sum(usize),
    Shaped(ShapeFn),
    /// `A[i, j]`: closed by `]`, with one or two indices.
    Index,
    /// A vector literal `[a, b, c]`: closed by `]`, any number of scalar entries.
    Vector,
    /// A matrix literal `[[a, b], [c, d]]`: closed by `]`, its entries rows.
    Matrix,
}

impl Callee {
    pub(super) fn arity(self) -> usize {
        match self {
            Callee::Grad | Callee::Index => 2,
            Callee::Vector | Callee::Matrix => 1,
            Callee::Shaped(f) => f.arity(),
            Callee::Func(_) | Callee::Next | Callee::Sum(_) => 1,
        }
    }

    /// Whether `args` arguments are right (an entry takes one index or two).
    pub(super) fn accepts(self, args: usize) -> bool {
        match self {
            Callee::Index => (1..=2).contains(&args),
            Callee::Vector | Callee::Matrix => args >= 1,
            _ => args == self.arity(),
        }
    }

    /// Whether `]` closes it (an entry or a literal), not `)`.
    pub(super) fn closes_with_bracket(self) -> bool {
        matches!(self, Callee::Index | Callee::Vector | Callee::Matrix)
    }

    pub(super) fn usage(self) -> String {
        match self {
            Callee::Func(f) => format!("{f}(x)"),
            Callee::Grad => "grad(F, X)".into(),
            Callee::Next => "next(W)".into(),
            Callee::Sum(_) => "sum(k in 7..9, EXPR)".into(),
            Callee::Shaped(f) => f.usage(),
            Callee::Index => "A[i, j]".into(),
            Callee::Vector => "[a, b, c]".into(),
            Callee::Matrix => "[[a, b], [c, d]]".into(),
        }
    }
}
impl Parser<'_, '_> {
    /// What `name(` calls (`index_sum`: whether `k in` follows the `(`).
    pub(super) fn callee(&self, name: &Name, index_sum: bool) -> Result<Callee, Diagnostic> {
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

    /// `)` in operator position: closes the innermost group or call.
    pub(super) fn close(
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
                    if bracket != callee.closes_with_bracket() {
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
                        Callee::Vector => Item::Vector(args, whole),
                        Callee::Matrix => Item::Matrix(args, whole),
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
    pub(super) fn next_argument(
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
    pub(super) fn single_name(
        &self,
        out: &[Item],
        arg_start: usize,
        usage: &str,
        which: &str,
    ) -> Result<(), Diagnostic> {
        let arg = &out[arg_start..];
        match arg {
            [Item::Name(_)] => Ok(()),
            [Item::Pi(span)] => Err(self
                .error(
                    ErrorKind::InvalidDerivative,
                    *span,
                    format!(
                        "`{}` is the constant π: in {usage}, {which} must be an input, a \
                         parameter or a quantity computed from them",
                        &self.source.text[span.start..span.end]
                    ),
                )
                .with_hint(
                    "a constant is never varied, so there is nothing to differentiate or update",
                )),
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

    pub(super) fn arity_error(&self, callee: Callee, span: Span, got: usize) -> Diagnostic {
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

    pub(super) fn missing_operand(&self, stack: &[Pending]) -> Diagnostic {
        let after = match stack.last() {
            Some(Pending::Binary(..)) | Some(Pending::Neg(_)) => " after the operator",
            _ => "",
        };
        self.error(
            ErrorKind::Syntax,
            self.here(),
            format!(
                "expected a number, a name, '(' or '['{after}, found {}",
                self.describe_here()
            ),
        )
    }
}

pub(super) fn item_span(item: &Item) -> Option<Span> {
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
        | Item::Pi(s)
        | Item::Vector(_, s)
        | Item::Matrix(_, s)
        | Item::SumEnd(s) => *s,
        Item::SumStart { span, .. } => *span,
        Item::Name(n) => n.span,
    })
}

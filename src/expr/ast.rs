//! The syntax tree of a `.grad` file, as parsed and before names are resolved.
//!
//! An expression is stored flat, in postfix order (operands before their operator), as
//! the parser's operator stack emits it. Every subexpression is then a contiguous run of
//! items ending at its root, so later stages walk expressions with a loop and a value
//! stack instead of recursion. A `sum(k in a..b, BODY)` is emitted as `SumStart`,
//! the body, `SumEnd`: the resolver loops over the body's run once per index value.

use super::func::Func;
use super::lexer::Name;
use super::number::Number;
use super::span::Span;

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl BinaryOp {
    /// Binding strength: `+ -` < `* /` < unary minus < `^`.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Add | BinaryOp::Sub => 1,
            BinaryOp::Mul | BinaryOp::Div => 2,
            BinaryOp::Pow => 4,
        }
    }

    /// `^` groups to the right (`2^3^2 = 2^9`); the others to the left.
    pub fn right_associative(self) -> bool {
        self == BinaryOp::Pow
    }
}

/// The precedence of unary minus: `-x^2 = -(x^2)`, `-x*y = (-x)*y`.
pub(crate) const NEG_PRECEDENCE: u8 = 3;

/// One postfix item.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Item {
    Number(Number, Span),
    Name(Name),
    Neg(Span),
    Binary(BinaryOp, Span),
    Call(Func, Span),
    /// `grad(F, X)`: the item before is the name `X`, and before its run, `F`'s.
    Grad(Span),
    /// `next(W)`: the item before is the name `W`.
    Next(Span),
    SumStart {
        index: String,
        lo: i64,
        hi: i64,
        span: Span,
    },
    SumEnd(Span),
}

/// An expression: its postfix items and the span of its text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Expr {
    pub items: Vec<Item>,
    pub span: Span,
}

/// Whether a declared leaf is data or a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeafKind {
    /// Data (`input x1 = 0.05`): has a value; the learning rate `eta` is one.
    Input,
    /// A parameter (`param w14 = 0.15`): what training updates.
    Param,
}

/// `i in 4..6` of a `for` template.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Binding {
    pub index: String,
    pub lo: i64,
    pub hi: i64,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum StatementKind {
    /// `input NAME = NUMBER` or `param NAME = NUMBER`.
    Declare {
        kind: LeafKind,
        name: Name,
        value: Number,
    },
    /// `NAME = EXPR`, or `loss NAME = EXPR`.
    Define { name: Name, expr: Expr, loss: bool },
    /// `claim LHS = RHS`.
    Claim { lhs: Expr, rhs: Expr },
}

/// One statement (a logical line), with the `for` bindings it is a template over.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Statement {
    pub kind: StatementKind,
    pub bindings: Vec<Binding>,
    /// The whole line.
    pub span: Span,
}

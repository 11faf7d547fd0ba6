//! The syntax tree of a `.grad` file, as parsed and before names are resolved.
//!
//! An expression is stored flat, in postfix order (operands before their operator), as
//! the parser's operator stack emits it. Every subexpression is then a contiguous run of
//! items ending at its root, so later stages walk expressions with a loop and a value
//! stack instead of recursion. A `sum(k in a..b, BODY)` is emitted as `SumStart`,
//! the body, `SumEnd`: the resolver loops over the body's run once per index value.

use super::func::Func;
use super::grid::Shape;
use super::lexer::{IndexSum, Name};
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
    /// The elementwise (Hadamard) product `⊙`, `.*`.
    Hadamard,
}

impl BinaryOp {
    /// Binding strength: `+ -` < `* /` < unary minus < `^`.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Add | BinaryOp::Sub => 1,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Hadamard => 2,
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
    /// The constant π (`pi`, `π`).
    Pi(Span),
    Neg(Span),
    Binary(BinaryOp, Span),
    Call(Func, Span),
    /// `grad(F, X)`: the item before is the name `X`, and before its run, `F`'s.
    Grad(Span),
    /// `next(W)`: the item before is the name `W`.
    Next(Span),
    /// `A[i]` or `A[i, j]` (the count of indices): the indices are the items
    /// before, and before their runs, `A`'s.
    Index(usize, Span),
    /// A vector literal `[a, b, c]` (the count of entries): the entries' runs are
    /// before it, each a scalar.
    Vector(usize, Span),
    /// A matrix literal `[[a, b], [c, d]]` (the count of rows): the rows' runs are
    /// before it, each a vector literal.
    Matrix(usize, Span),
    /// The transpose `A^T`, `A'`.
    Transpose(Span),
    /// A function of vectors and matrices (`dot(u, v)`, `softmax(z)`, ...): its
    /// arguments' runs are before it.
    Shaped(ShapeFn, Span),
    SumStart {
        index: String,
        lo: Bound,
        hi: Bound,
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

/// The functions of vectors and matrices, expanded entry by entry when resolved
/// (they never appear in the DAG, which stays scalar).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ShapeFn {
    /// `sum(v)`: the sum of the entries (one argument, unlike `sum(k in a..b, E)`).
    Sum,
    /// `dot(u, v)`: `Σ u_i v_i` over two vectors (or matrices) of one shape.
    Dot,
    /// `outer(u, v)`: `u vᵀ`.
    Outer,
    /// `norm(v)`: the Euclidean norm `sqrt(Σ v_i²)`.
    Norm,
    /// `softmax(z)`: `exp(z_i) / Σ exp(z_k)`.
    Softmax,
    /// `log_sum_exp(z)`: `ln Σ exp(z_k)`.
    LogSumExp,
    /// `transpose(W)`.
    Transpose,
    /// `hadamard(a, b)`: the same as `a ⊙ b`.
    Hadamard,
}

impl ShapeFn {
    /// The function a name calls, if it is one of these.
    pub fn from_name(name: &str) -> Option<ShapeFn> {
        Some(match name {
            "dot" => ShapeFn::Dot,
            "outer" => ShapeFn::Outer,
            "norm" => ShapeFn::Norm,
            "softmax" => ShapeFn::Softmax,
            "log_sum_exp" | "logsumexp" => ShapeFn::LogSumExp,
            "transpose" => ShapeFn::Transpose,
            "hadamard" => ShapeFn::Hadamard,
            _ => return None,
        })
    }

    /// The name as written in `usage`.
    pub fn name(self) -> &'static str {
        match self {
            ShapeFn::Sum => "sum",
            ShapeFn::Dot => "dot",
            ShapeFn::Outer => "outer",
            ShapeFn::Norm => "norm",
            ShapeFn::Softmax => "softmax",
            ShapeFn::LogSumExp => "log_sum_exp",
            ShapeFn::Transpose => "transpose",
            ShapeFn::Hadamard => "hadamard",
        }
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            ShapeFn::Dot | ShapeFn::Outer | ShapeFn::Hadamard => 2,
            _ => 1,
        }
    }

    /// How a call reads (for arity errors).
    pub fn usage(self) -> String {
        match self.arity() {
            2 => format!("{}(u, v)", self.name()),
            _ => format!("{}(v)", self.name()),
        }
    }
}

/// Whether a declared leaf is data or a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeafKind {
    /// Data (`input x1 = 0.05`): has a value; the learning rate `eta` is one.
    Input,
    /// A parameter (`param w14 = 0.15`): what training updates.
    Param,
}

/// `i in 4..6` of a `for` template (or `j in i+1..2*i` after an earlier index).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Binding {
    pub index: String,
    pub lo: Bound,
    pub hi: Bound,
    pub span: Span,
}

/// One bound of an index range: a whole number, or whole-number arithmetic on the
/// indices bound outside the range (`2*k+1`), evaluated where the range is expanded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bound {
    pub sum: IndexSum,
    pub span: Span,
}

impl Bound {
    /// The bound's value if it names no index (known when parsed).
    pub fn constant(&self) -> Option<i64> {
        self.sum.value(&[]).ok().flatten()
    }
}

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeclKind {
    /// An input or a parameter: leaves, varied by `check`.
    Leaf(LeafKind),
    /// `data`: exact constants with a name, never varied.
    Data,
}

/// The value of a declaration.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DeclValue {
    /// `= 0.5`.
    Number(Number),
    /// `= [1, 2, 3]` or `= [[1, 2], [3, 4]]`: the numbers row-major, the shape the
    /// brackets give, and where the list is.
    List(Vec<Number>, Shape, Span),
    /// No value (a shaped declaration): drawn deterministically from the name.
    Drawn,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum StatementKind {
    /// `input NAME = NUMBER`, `param NAME: 3x3 = [[...]]`, `data y: 3 = [0, 1, 0]`.
    Declare {
        kind: DeclKind,
        name: Name,
        /// The declared shape and where it is written; `None` for a scalar.
        shape: Option<(Shape, Span)>,
        value: DeclValue,
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

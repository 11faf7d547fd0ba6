//! Operations on vectors and matrices, expanded into scalar nodes of the DAG.
//!
//! A value is a scalar node or a [`Grid`] of them; every operation here builds the
//! entries of its result as ordinary nodes (`(W x)_i = W_i1 x_1 + W_i2 x_2 + ...`), so
//! derivatives, proofs and printing see only scalars. Shapes are checked first: a
//! mismatch is a [`ShapeError`] naming both shapes and the operator, with a hint when a
//! transpose would make them fit. A 1 × 1 result (`u^T v`) is a scalar.

use super::ast::{BinaryOp, ShapeFn};
use super::dag::{Dag, ExprId, Node, MAX_NODES};
use super::error::ErrorKind;
use super::func::Func;
use super::grid::{Grid, Shape};

/// A value while an expression is resolved: one node, or the entries of a vector or
/// matrix.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Scalar(ExprId),
    Grid(Grid),
}

impl Val {
    /// The value's shape (1 × 1 for a scalar).
    pub fn shape(&self) -> Shape {
        match self {
            Val::Scalar(_) => Shape::SCALAR,
            Val::Grid(g) => g.shape,
        }
    }

    /// The node, if the value is a scalar (or a 1 × 1 grid, which acts as one).
    pub fn scalar(&self) -> Option<ExprId> {
        match self {
            Val::Scalar(id) => Some(*id),
            Val::Grid(g) if g.shape.is_scalar() => g.entries.first().copied(),
            Val::Grid(_) => None,
        }
    }

    /// The entries, row-major (one for a scalar).
    pub fn entries(&self) -> &[ExprId] {
        match self {
            Val::Scalar(id) => std::slice::from_ref(id),
            Val::Grid(g) => &g.entries,
        }
    }

    /// The value as a grid (a scalar as 1 × 1).
    pub fn into_grid(self) -> Grid {
        match self {
            Val::Scalar(id) => Grid::scalar(id),
            Val::Grid(g) => g,
        }
    }

    /// A grid value, or a scalar if it is 1 × 1.
    pub fn from_grid(grid: Grid) -> Val {
        if grid.shape.is_scalar() {
            Val::Scalar(grid.entries[0])
        } else {
            Val::Grid(grid)
        }
    }
}

/// Why an operation cannot be applied to its operands' shapes (or would grow the DAG
/// past [`MAX_NODES`]); the resolver adds where.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ShapeError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl ShapeError {
    /// The hint with the operands as written in place of `{A}` and `{B}` (an operand
    /// longer than a few words is parenthesised).
    pub fn with_operands(mut self, a: &str, b: &str) -> ShapeError {
        let operand = |t: &str| {
            if t.contains(' ') {
                format!("({t})")
            } else {
                t.to_string()
            }
        };
        self.hint = self
            .hint
            .map(|h| h.replace("{A}", &operand(a)).replace("{B}", &operand(b)));
        self
    }

    fn mismatch(message: String, hint: Option<String>) -> ShapeError {
        ShapeError {
            kind: ErrorKind::ShapeMismatch,
            message,
            hint,
        }
    }
}

type Shaped<T> = Result<T, ShapeError>;

/// The message for a row of a matrix literal whose length is not the first row's, and
/// its hint (declarations and literals in expressions say the same).
pub(crate) fn ragged_row(width: usize, first: usize) -> (String, &'static str) {
    let entries = if width == 1 { "entry" } else { "entries" };
    (
        format!("this row has {width} {entries}, the first row {first}"),
        "every row of a matrix has the same length",
    )
}

fn transposed(s: Shape) -> Shape {
    Shape {
        rows: s.cols,
        cols: s.rows,
    }
}

/// Refuses an operation that would add `nodes` nodes to a DAG already near the limit
/// (before building any: `W * W` of two 2000 × 2000 matrices is 16·10⁹ nodes).
fn budget(dag: &Dag, nodes: usize) -> Shaped<()> {
    if dag.len().saturating_add(nodes) > MAX_NODES {
        return Err(ShapeError {
            kind: ErrorKind::TooLarge,
            message: format!(
                "this operation expands to about {nodes} expression nodes, beyond the \
                 limit of {MAX_NODES} for a program"
            ),
            hint: Some("use smaller vectors and matrices".into()),
        });
    }
    Ok(())
}

fn op_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Pow => "^",
        BinaryOp::Hadamard => "⊙",
    }
}

fn scalar_node(op: BinaryOp, a: ExprId, b: ExprId) -> Node {
    match op {
        BinaryOp::Add => Node::Add(a, b),
        BinaryOp::Sub => Node::Sub(a, b),
        BinaryOp::Mul | BinaryOp::Hadamard => Node::Mul(a, b),
        BinaryOp::Div => Node::Div(a, b),
        BinaryOp::Pow => Node::Pow(a, b),
    }
}

/// `f` applied to every entry of `a`.
pub(crate) fn map(dag: &mut Dag, a: &Val, mut f: impl FnMut(&mut Dag, ExprId) -> ExprId) -> Val {
    match a {
        Val::Scalar(id) => Val::Scalar(f(dag, *id)),
        Val::Grid(g) => Val::Grid(Grid {
            shape: g.shape,
            entries: g.entries.iter().map(|&e| f(dag, e)).collect(),
        }),
    }
}

/// `-a`, entry by entry.
pub(crate) fn neg(dag: &mut Dag, a: &Val) -> Shaped<Val> {
    budget(dag, a.entries().len())?;
    Ok(map(dag, a, |dag, e| dag.fold(Node::Neg(e))))
}

/// `f(a)`, entry by entry (`sigma(z)` is the vector of `σ(z_i)`).
pub(crate) fn call(dag: &mut Dag, f: Func, a: &Val) -> Shaped<Val> {
    budget(dag, a.entries().len())?;
    Ok(map(dag, a, |dag, e| dag.insert(Node::Call(f, e))))
}

/// The transpose (a scalar is its own).
pub(crate) fn transpose(a: &Val) -> Val {
    match a {
        Val::Scalar(id) => Val::Scalar(*id),
        Val::Grid(g) => Val::Grid(g.transpose()),
    }
}

/// `a op b` with shapes checked: scalars broadcast; `*` of two shaped values is the
/// matrix product; `+ - ⊙` are elementwise on equal shapes; `/` and `^` take a scalar
/// on the right and act entry by entry.
pub(crate) fn binary(dag: &mut Dag, op: BinaryOp, a: &Val, b: &Val) -> Shaped<Val> {
    let (sa, sb) = (a.shape(), b.shape());
    match (a.scalar(), b.scalar()) {
        (Some(x), Some(y)) => return Ok(Val::Scalar(dag.fold(scalar_node(op, x, y)))),
        (Some(x), None) if matches!(op, BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul) => {
            budget(dag, b.entries().len())?;
            return Ok(map(dag, b, |dag, e| dag.fold(scalar_node(op, x, e))));
        }
        (None, Some(y)) if op != BinaryOp::Hadamard => {
            budget(dag, a.entries().len())?;
            return Ok(map(dag, a, |dag, e| dag.fold(scalar_node(op, e, y))));
        }
        _ => {}
    }
    let symbol = op_symbol(op);
    match op {
        BinaryOp::Mul => matrix_product(dag, a, b),
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Hadamard => {
            if sa != sb {
                let hint = if sa == transposed(sb) {
                    Some(format!(
                        "the shapes are each other's transpose: a transpose may be missing \
                         (`{{A}}^T` is {sb}, `{{B}}^T` is {sa})"
                    ))
                } else if op == BinaryOp::Hadamard && (sa.is_scalar() || sb.is_scalar()) {
                    Some("to scale by a scalar, write '*'".into())
                } else {
                    None
                };
                return Err(ShapeError::mismatch(
                    format!(
                        "shape mismatch: `{symbol}` is elementwise and needs equal shapes, \
                         but the left side is {} and the right side is {}",
                        describe(sa),
                        describe(sb)
                    ),
                    hint,
                ));
            }
            let (ea, eb) = (a.entries().to_vec(), b.entries().to_vec());
            budget(dag, ea.len())?;
            let entries = ea
                .iter()
                .zip(&eb)
                .map(|(&x, &y)| dag.fold(scalar_node(op, x, y)))
                .collect();
            Ok(Val::Grid(Grid { shape: sa, entries }))
        }
        BinaryOp::Div => Err(ShapeError::mismatch(
            format!(
                "shape mismatch: `/` divides by a scalar, but the right side is {} (the left \
                 side is {})",
                describe(sb),
                describe(sa)
            ),
            Some("to divide entry by entry, multiply elementwise by `v^(-1)`: `u ⊙ v^(-1)`".into()),
        )),
        BinaryOp::Pow => Err(ShapeError::mismatch(
            format!(
                "shape mismatch: `^` takes a scalar exponent (entry by entry), but the \
                 exponent is {} (the base is {})",
                describe(sb),
                describe(sa)
            ),
            Some("`^T` is the transpose; a power of a matrix is not in the language".into()),
        )),
    }
}

/// `3x2 matrix`, `3-vector`, `1x3 row`, `scalar`: a shape as the errors name it.
pub(crate) fn describe(s: Shape) -> String {
    match (s.rows, s.cols) {
        (1, 1) => "a scalar".into(),
        (n, 1) => format!("a vector of {n}"),
        (1, n) => format!("a row of {n} (shape 1x{n})"),
        _ => format!("a {s} matrix"),
    }
}

/// The matrix product (matrix–vector, row–matrix, `u v^T`, ...).
fn matrix_product(dag: &mut Dag, a: &Val, b: &Val) -> Shaped<Val> {
    let (sa, sb) = (a.shape(), b.shape());
    if sa.cols != sb.rows {
        let mut fixes = Vec::new();
        if sa.rows == sb.rows {
            fixes.push(format!(
                "`{{A}}^T * {{B}}` is {}",
                describe(Shape {
                    rows: sa.cols,
                    cols: sb.cols
                })
            ));
        }
        if sa.cols == sb.cols {
            fixes.push(format!(
                "`{{A}} * {{B}}^T` is {}",
                describe(Shape {
                    rows: sa.rows,
                    cols: sb.rows
                })
            ));
        }
        if sa.rows == sb.cols && sa.cols != sb.rows && fixes.is_empty() {
            fixes.push(format!(
                "`{{B}} * {{A}}` is {}",
                describe(Shape {
                    rows: sb.rows,
                    cols: sa.cols
                })
            ));
        }
        let hint = (!fixes.is_empty()).then(|| {
            format!(
                "a transpose may be missing, or the factors are swapped: {}",
                fixes.join("; ")
            )
        });
        return Err(ShapeError::mismatch(
            format!(
                "shape mismatch in the matrix product `*`: the left side is {} and the right \
                 side is {}, and a product needs as many columns on the left ({}) as rows \
                 on the right ({})",
                describe(sa),
                describe(sb),
                sa.cols,
                sb.rows
            ),
            hint,
        ));
    }
    let inner = sa.cols;
    let shape = Shape {
        rows: sa.rows,
        cols: sb.cols,
    };
    budget(dag, shape.len().saturating_mul(inner).saturating_mul(2))?;
    let (ga, gb) = (a.clone().into_grid(), b.clone().into_grid());
    let mut entries = Vec::with_capacity(shape.len());
    for i in 0..shape.rows {
        for j in 0..shape.cols {
            let mut total: Option<ExprId> = None;
            for k in 0..inner {
                let term = dag.fold(Node::Mul(ga.get(i, k), gb.get(k, j)));
                total = Some(match total {
                    None => term,
                    Some(t) => dag.fold(Node::Add(t, term)),
                });
            }
            entries.push(total.unwrap_or_else(|| dag.integer(0)));
        }
    }
    Ok(Val::from_grid(Grid { shape, entries }))
}

/// `Σ entries`, left to right.
fn total(dag: &mut Dag, entries: &[ExprId]) -> ExprId {
    let mut sum = entries[0];
    for &e in &entries[1..] {
        sum = dag.fold(Node::Add(sum, e));
    }
    sum
}

/// A function of vectors and matrices, expanded entry by entry.
pub(crate) fn shaped_fn(dag: &mut Dag, f: ShapeFn, args: &[Val]) -> Shaped<Val> {
    let name = f.name();
    let first = &args[0];
    let n = first.entries().len();
    budget(dag, n.saturating_mul(4))?;
    Ok(match f {
        ShapeFn::Sum => Val::Scalar(total(dag, first.entries())),
        ShapeFn::Transpose => transpose(first),
        ShapeFn::Hadamard => binary(dag, BinaryOp::Hadamard, first, &args[1])?,
        ShapeFn::Norm => {
            let two = dag.integer(2);
            let squares: Vec<ExprId> = first
                .entries()
                .iter()
                .map(|&e| dag.fold(Node::Pow(e, two)))
                .collect();
            let s = total(dag, &squares);
            Val::Scalar(dag.insert(Node::Call(Func::Sqrt, s)))
        }
        ShapeFn::Softmax | ShapeFn::LogSumExp => {
            let exps: Vec<ExprId> = first
                .entries()
                .iter()
                .map(|&e| dag.insert(Node::Call(Func::Exp, e)))
                .collect();
            let s = total(dag, &exps);
            if f == ShapeFn::LogSumExp {
                Val::Scalar(dag.insert(Node::Call(Func::Ln, s)))
            } else {
                let entries = exps.iter().map(|&e| dag.fold(Node::Div(e, s))).collect();
                Val::from_grid(Grid {
                    shape: first.shape(),
                    entries,
                })
            }
        }
        ShapeFn::Dot => {
            let (sa, sb) = (first.shape(), args[1].shape());
            // Two vectors of one length, a column and a row alike: dot ignores
            // orientation, as papers' `u · v` does.
            if sa.len() != sb.len() || (sa.rows > 1 && sa.cols > 1 && sa != sb) {
                let hint = (sa == transposed(sb)).then(|| "a transpose may be missing".to_string());
                return Err(ShapeError::mismatch(
                    format!(
                        "shape mismatch in `{name}(u, v)`: u is {} and v is {}",
                        describe(sa),
                        describe(sb)
                    ),
                    hint,
                ));
            }
            let products: Vec<ExprId> = first
                .entries()
                .iter()
                .zip(args[1].entries())
                .map(|(&x, &y)| dag.fold(Node::Mul(x, y)))
                .collect();
            Val::Scalar(total(dag, &products))
        }
        ShapeFn::Outer => {
            let (sa, sb) = (first.shape(), args[1].shape());
            let vector = |s: Shape| s.rows == 1 || s.cols == 1;
            if !vector(sa) || !vector(sb) {
                return Err(ShapeError::mismatch(
                    format!(
                        "`{name}(u, v)` takes two vectors, but u is {} and v is {}",
                        describe(sa),
                        describe(sb)
                    ),
                    None,
                ));
            }
            let (u, v) = (first.entries().to_vec(), args[1].entries().to_vec());
            budget(dag, u.len().saturating_mul(v.len()))?;
            let mut entries = Vec::with_capacity(u.len() * v.len());
            for &x in &u {
                for &y in &v {
                    entries.push(dag.fold(Node::Mul(x, y)));
                }
            }
            Val::from_grid(Grid {
                shape: Shape {
                    rows: u.len(),
                    cols: v.len(),
                },
                entries,
            })
        }
    })
}

/// Entry `indices` (1-based) of `a`: one index for a vector (or a row), two for a
/// matrix. `what` names the value in errors (`W1`).
pub(crate) fn entry(a: &Val, indices: &[i64], what: &str) -> Shaped<ExprId> {
    let s = a.shape();
    let Val::Grid(g) = a else {
        return Err(ShapeError::mismatch(
            format!("`{what}` is a scalar and has no entries"),
            Some("index a vector `x[i]` or a matrix `W[i, j]`".into()),
        ));
    };
    let (i, j) = match *indices {
        [k] if s.cols == 1 => (k, 1),
        [k] if s.rows == 1 => (1, k),
        [_] => {
            return Err(ShapeError::mismatch(
                format!("`{what}` is a {s} matrix: an entry needs two indices"),
                Some(format!(
                    "write `{what}[i, j]` with i in 1..{} and j in 1..{}",
                    s.rows, s.cols
                )),
            ))
        }
        [i, j] => (i, j),
        _ => {
            return Err(ShapeError::mismatch(
                format!("an entry takes one or two indices, not {}", indices.len()),
                None,
            ))
        }
    };
    let row = usize::try_from(i).ok().filter(|r| (1..=s.rows).contains(r));
    let col = usize::try_from(j).ok().filter(|c| (1..=s.cols).contains(c));
    match (row, col) {
        (Some(r), Some(c)) => Ok(g.get(r - 1, c - 1)),
        _ => {
            Err(ShapeError {
                kind: ErrorKind::IndexOutOfRange,
                message: format!(
                "the entry `{what}[{}]` is outside `{what}`, which is {} (indices count from 1)",
                indices.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
                describe(s)
            ),
                hint: Some(if s.cols == 1 {
                    format!("the indices of `{what}` run 1..{}", s.rows)
                } else {
                    format!("rows run 1..{}, columns 1..{}", s.rows, s.cols)
                }),
            })
        }
    }
}

//! A shaped value as the scalar DAG sees it: a matrix of expression nodes.
//!
//! Vectors and matrices enter the language as a property of declarations and
//! expressions; underneath, every entry is an ordinary node of the one hash-consed
//! DAG, so derivatives, proofs, printing and evaluation stay scalar and shared. A
//! [`Grid`] is how a shaped quantity or claim side holds its entries.

use super::dag::ExprId;

/// The shape of a value: `rows × cols`. A scalar is 1 × 1; a vector of length `n` is
/// a column, `n × 1` (a row vector is `1 × n`, as from a transpose).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
}

impl Shape {
    /// The shape of a scalar.
    pub const SCALAR: Shape = Shape { rows: 1, cols: 1 };

    /// How many entries a value of this shape has.
    pub fn len(self) -> usize {
        self.rows * self.cols
    }

    /// Whether the shape has no entries (never true of a declared value).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether this is the shape of a scalar.
    pub fn is_scalar(self) -> bool {
        self == Shape::SCALAR
    }
}

impl std::fmt::Display for Shape {
    /// `3x3` for a matrix, `3` for a (column) vector, `1x3` for a row, `scalar`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.rows, self.cols) {
            (1, 1) => write!(f, "scalar"),
            (n, 1) => write!(f, "{n}"),
            (r, c) => write!(f, "{r}x{c}"),
        }
    }
}

/// The entries of a shaped value, row-major: entry `(i, j)` (0-based) is
/// `entries[i * cols + j]`. Reports name entries 1-based, as papers do.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Grid {
    pub shape: Shape,
    pub entries: Vec<ExprId>,
}

impl Grid {
    /// A 1 × 1 grid holding one node.
    pub fn scalar(id: ExprId) -> Grid {
        Grid {
            shape: Shape::SCALAR,
            entries: vec![id],
        }
    }

    /// The node of entry `(i, j)`, 0-based.
    pub fn get(&self, i: usize, j: usize) -> ExprId {
        self.entries[i * self.shape.cols + j]
    }

    /// The transposed grid (no new nodes: the same entries, rearranged).
    pub fn transpose(&self) -> Grid {
        let Shape { rows, cols } = self.shape;
        let mut entries = Vec::with_capacity(self.entries.len());
        for j in 0..cols {
            for i in 0..rows {
                entries.push(self.get(i, j));
            }
        }
        Grid {
            shape: Shape {
                rows: cols,
                cols: rows,
            },
            entries,
        }
    }
}

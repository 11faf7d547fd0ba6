//! The matrix structure of a program, kept beside its scalar DAG: which vector or
//! matrix operation made each shaped value.
//!
//! Resolution expands `W1 * x + b1` into scalar nodes (`z1[i] = W1[i, 1]·x[1] + ...`),
//! which is what proofs, printing and symbolic derivatives need. Evaluating a gradient
//! numerically wants the opposite: `W1 * x` as one matrix–vector record on the tape,
//! not 2·rows·cols scalar records. So, while the resolver expands an operation, it
//! also records here one [`MatrixOp`] (`Product(W1, x)`, `Zip(+, …, b1)`, …) with the
//! grid of nodes it produced. `tape_plan.rs` lowers these records onto the tape.
//!
//! Operands are found by value: an operand's grid (the same hash-consed nodes in the
//! same shape) names the operation that produced it, so a shaped definition used
//! later by name, or a value written twice, is one operation. A grid no operation
//! produced (the result of `grad`, `next`, an index `sum`) becomes an
//! [`MatrixOp::Entries`] record: its entries are evaluated from the scalar DAG, which
//! is slower but always right.
//!
//! Each record also notes the DAG's length when the operation began (`start`): the
//! nodes with an index at least `start` among its outputs are the ones this operation
//! created. Only those are attributed to it ([`MatrixOps::producer`]), which keeps the
//! lowering's dependencies acyclic: an operation's operands are all older than
//! `start`, so following "made by" links and "operand of" links always goes back in
//! time.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::ast::{BinaryOp, Item, ShapeFn};
use super::dag::{Dag, ExprId, Node};
use super::func::Func;
use super::grid::Grid;
use super::shape_ops::Val;

/// An operand of a recorded operation: another operation's value, or a scalar node
/// (a broadcast factor, a 1 × 1 value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    Op(u32),
    Scalar(ExprId),
}

/// One operation on vectors and matrices, as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum MatrixOp {
    /// A declared `param` or `input`: its entries are the leaves `first..first + len`
    /// (in [`Program::leaves`](super::Program::leaves) order), row-major.
    Leaves { first: u32 },
    /// A value no operation here produced: each entry from the scalar DAG.
    Entries,
    /// The matrix product `a * b`.
    Product(u32, u32),
    /// `a^T`.
    Transpose(u32),
    /// `-a`.
    Neg(u32),
    /// `f(a)`, entry by entry.
    Call(Func, u32),
    /// `a op b`, entry by entry: equal shapes, or one side a scalar broadcast. `op` is
    /// never `Hadamard` (recorded as `Mul`) nor a matrix product.
    Elementwise(BinaryOp, Operand, Operand),
    /// `sum`, `dot`, `outer`, `norm`, `softmax`, `log_sum_exp` of operations.
    Function(ShapeFn, Vec<u32>),
}

/// A recorded operation and the grid of nodes it produced.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    pub op: MatrixOp,
    /// The result, row-major (a scalar result as 1 × 1).
    pub out: Grid,
    /// The DAG's length when the operation began.
    pub start: usize,
}

/// Every recorded operation, in the order resolution met them (operands first).
#[derive(Clone, Debug, Default)]
pub(crate) struct MatrixOps {
    records: Vec<Record>,
    /// Hash of a grid → the operations that produced a grid with that hash.
    by_value: HashMap<u64, Vec<u32>>,
    /// A node created by an operation → (the operation, the entry).
    producers: HashMap<ExprId, (u32, u32)>,
}

/// What [`MatrixOps::before`] found of an item's operands, for [`MatrixOps::after`].
pub(crate) struct Pending {
    item: PendingItem,
    operands: Vec<Operand>,
    start: usize,
}

enum PendingItem {
    Neg,
    Binary(BinaryOp),
    Call(Func),
    Transpose,
    Function(ShapeFn),
}

fn hash(grid: &Grid) -> u64 {
    let mut h = DefaultHasher::new();
    grid.hash(&mut h);
    h.finish()
}

impl MatrixOps {
    /// The recorded operations, operands before their users.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The operation that created `node`, and which of its entries it is.
    pub fn producer(&self, node: ExprId) -> Option<(u32, u32)> {
        self.producers.get(&node).copied()
    }

    /// The operation whose value is `grid`, if one produced it.
    pub fn find(&self, grid: &Grid) -> Option<u32> {
        self.by_value
            .get(&hash(grid))?
            .iter()
            .copied()
            .find(|&k| self.records[k as usize].out == *grid)
    }

    fn push(&mut self, op: MatrixOp, out: Grid, start: usize) -> u32 {
        let k = self.records.len() as u32;
        // An `Entries` record is evaluated from the DAG: it makes no node of its own.
        let makes = op != MatrixOp::Entries;
        for (e, &id) in out.entries.iter().enumerate() {
            if makes && id.index() >= start {
                self.producers.entry(id).or_insert((k, e as u32));
            }
        }
        self.by_value.entry(hash(&out)).or_default().push(k);
        self.records.push(Record { op, out, start });
        k
    }

    /// The operation whose value is `grid`, recorded as [`MatrixOp::Entries`] if no
    /// operation produced it.
    fn operation(&mut self, grid: &Grid, dag: &Dag) -> u32 {
        match self.find(grid) {
            Some(k) => k,
            None => self.push(MatrixOp::Entries, grid.clone(), dag.len()),
        }
    }

    fn operand(&mut self, val: &Val, dag: &Dag) -> Operand {
        match (val.scalar(), val) {
            (Some(id), _) => Operand::Scalar(id),
            (None, Val::Grid(g)) => Operand::Op(self.operation(g, dag)),
            (None, Val::Scalar(id)) => Operand::Scalar(*id),
        }
    }

    /// A declared vector or matrix of leaves (`param W1: 3x3`); anything else declared
    /// (`data`) is left to be found as [`MatrixOp::Entries`].
    pub fn declared(&mut self, grid: &Grid, dag: &Dag) {
        let leaves: Option<Vec<u32>> = grid
            .entries
            .iter()
            .map(|&e| match dag.node(e) {
                Node::Leaf(l) => Some(l),
                _ => None,
            })
            .collect();
        let Some(leaves) = leaves else { return };
        let first = leaves[0];
        let consecutive = leaves.iter().zip(first..).all(|(&l, k)| l == k);
        if consecutive && self.find(grid).is_none() {
            self.push(MatrixOp::Leaves { first }, grid.clone(), dag.len());
        }
    }

    /// Called with the evaluation stack before `item` runs: the operands of a shaped
    /// operation (an item with at least one vector or matrix operand), `None` for
    /// anything else.
    pub fn before(&mut self, item: &Item, stack: &[&Val], dag: &Dag) -> Option<Pending> {
        let (kind, arity) = match item {
            Item::Neg(_) => (PendingItem::Neg, 1),
            Item::Binary(op, _) => (PendingItem::Binary(*op), 2),
            Item::Call(f, _) => (PendingItem::Call(*f), 1),
            Item::Transpose(_) => (PendingItem::Transpose, 1),
            Item::Shaped(f, _) => (PendingItem::Function(*f), f.arity()),
            _ => return None,
        };
        let at = stack.len().checked_sub(arity)?;
        let vals = &stack[at..];
        if vals.iter().all(|v| v.scalar().is_some()) {
            return None;
        }
        let start = dag.len();
        let operands = vals.iter().map(|v| self.operand(v, dag)).collect();
        Some(Pending {
            item: kind,
            operands,
            start,
        })
    }

    /// Records the operation `pending` described, now that it produced `result`.
    pub fn after(&mut self, pending: Pending, result: &Val) {
        let out = result.clone().into_grid();
        if self.find(&out).is_some() {
            // The same value as an earlier operation's (`W * x` written twice, `x + 0`
            // folded to `x`): one operation, so every use shares its records.
            return;
        }
        let Pending {
            item,
            operands,
            start,
        } = pending;
        let op = |k: usize| match operands.get(k) {
            Some(Operand::Op(o)) => Some(*o),
            _ => None,
        };
        let op = match item {
            PendingItem::Neg => op(0).map(MatrixOp::Neg),
            PendingItem::Call(f) => op(0).map(|a| MatrixOp::Call(f, a)),
            PendingItem::Transpose | PendingItem::Function(ShapeFn::Transpose) => {
                op(0).map(MatrixOp::Transpose)
            }
            PendingItem::Binary(BinaryOp::Mul) => match (op(0), op(1)) {
                (Some(a), Some(b)) => Some(MatrixOp::Product(a, b)),
                _ => Some(MatrixOp::Elementwise(
                    BinaryOp::Mul,
                    operands[0],
                    operands[1],
                )),
            },
            PendingItem::Binary(BinaryOp::Hadamard) | PendingItem::Function(ShapeFn::Hadamard) => {
                Some(MatrixOp::Elementwise(
                    BinaryOp::Mul,
                    operands[0],
                    operands[1],
                ))
            }
            PendingItem::Binary(b) => Some(MatrixOp::Elementwise(b, operands[0], operands[1])),
            PendingItem::Function(f) => operands
                .iter()
                .map(|o| match o {
                    Operand::Op(k) => Some(*k),
                    Operand::Scalar(_) => None,
                })
                .collect::<Option<Vec<u32>>>()
                .map(|args| MatrixOp::Function(f, args)),
        };
        // An operation on 1 × 1 values only (`sum(s)` of a scalar) is scalar already.
        let op = op.unwrap_or(MatrixOp::Entries);
        self.push(op, out, start);
    }
}

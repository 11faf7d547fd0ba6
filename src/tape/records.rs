//! The tape's storage; its reverse sweep is in the `sweep` submodule.
//!
//! # Layout
//!
//! Three kinds of record share one node numbering:
//!
//! - **Scalar nodes**, one per unary or binary op on [`Var`](super::Var)s: a [`Node`]
//!   holds two parent indices and the two local partial derivatives computed when the op
//!   ran. A unary op (or a binary op with one constant operand) marks its second parent
//!   [`NONE`]. Every node has the same size, so recording one updates one length, and
//!   the sweep reads one node per step with no loop over a variable number of edges.
//! - **Fused nodes**, one per sum or dot product of more than two variables
//!   ([`Var::sum`](super::Var::sum), [`Var::dot`](super::Var::dot)) and per ternary op:
//!   a [`Block`] whose edges, each a parent index and a partial packed together (an `f64`
//!   edge takes 12 bytes, not a padded 16), live in `fused`.
//! - **Blocks of leaves and matrix–vector products** ([`Tape::var`], [`Tape::vars`],
//!   [`Tape::var_slice`], [`VarSlice::matvec`], [`VarSlice::matvec_transposed`]): a block covers consecutive node indices
//!   and costs one [`Block`] however many nodes it holds (leaves recorded one after
//!   another extend the same block); a matrix–vector product keeps the values its
//!   backward pass needs in `block_values`.
//!
//! Scalar nodes and blocks interleave; `Block::scalars_before` maps a node index to its
//! position in `nodes`. Adjoints are not stored here but in the caller's buffer
//! ([`Gradient`](super::Gradient)), so one recording can be swept many times.
//!
//! Bytes per recorded node, with the adjoint (`f64`; `f32` in brackets): a leaf 8 (4),
//! plus a 36-byte `Block` for each run of leaves not recorded right after another leaf;
//! a unary or binary op 32 (20); a fused op with n edges 36 + 12n + 8 (36 + 8n + 4); an
//! output of a matrix–vector product 8 (4) plus the kept values (the input vector, and
//! the matrix when the input holds variables).
//!
//! [`Tape::var_slice`]: super::Tape::var_slice
//! [`Tape::var`]: super::Tape::var
//! [`Tape::vars`]: super::Tape::vars
//! [`VarSlice::matvec`]: super::VarSlice::matvec
//! [`VarSlice::matvec_transposed`]: super::VarSlice::matvec_transposed

use num_traits::Float;

use super::kernels::{axpy, dot};

mod sweep;

pub(super) const FULL: &str = "a Tape holds at most u32::MAX nodes and edges: clear it \
                               between independent computations, or split the computation";

/// The second parent of a node with one: no node has this index, since a tape holds at
/// most `u32::MAX` nodes, numbered from 0.
pub(super) const NONE: u32 = u32::MAX;

/// Everything recorded on a tape; see the module documentation for the layout.
pub(super) struct Records<T> {
    /// The scalar nodes, in recording order.
    nodes: Vec<Node<T>>,
    /// The edges of every fused node, node after node.
    fused: Vec<Edge<T>>,
    /// Fused nodes and bulk records, in recording order.
    blocks: Vec<Block>,
    /// Values kept by blocks for their backward pass.
    block_values: Vec<T>,
    /// Nodes recorded in blocks; with `nodes.len()`, the scalar nodes, they make the
    /// node count, so a scalar record updates no counter of its own.
    in_blocks: u32,
    /// Scalar nodes can be pushed without further checks while `nodes.len()` is below
    /// this: it is at most `nodes.capacity()`, and keeps the node count below
    /// `u32::MAX`. Comparing with it is the only test a unary or binary record makes;
    /// the limit itself is checked in [`Records::make_room`], when the room runs out.
    ///
    /// The invariant `room <= nodes.capacity()` is what makes
    /// [`Records::push_unchecked`]'s unchecked write sound. It holds because `room` is
    /// only ever set by [`Records::measure_room`], which is called after every change to
    /// `nodes`' capacity (`with_capacity`, `reserve` in `make_room`) and to the node
    /// count (`clear`, `push_block`); `nodes` is private to this file and its `sweep`
    /// submodule (which only reads it), and nothing shrinks it.
    room: usize,
}

/// A unary or binary op: its parents and the partial derivatives `∂node/∂parent`.
#[derive(Clone, Copy)]
pub(super) struct Node<T> {
    partials: [T; 2],
    /// Both parent indices in one word, the first in the low half, so that recording
    /// writes them with one store: see [`Node::parents`]. The second is [`NONE`] for a
    /// node with one parent (its partial is then unused).
    parents: u64,
}

impl<T> Node<T> {
    #[inline(always)]
    fn new([a, b]: [u32; 2], partials: [T; 2]) -> Self {
        Node {
            partials,
            parents: u64::from(a) | u64::from(b) << 32,
        }
    }

    /// A node with one parent (its second partial unused, zero).
    #[inline(always)]
    pub(super) fn unary(parent: u32, partial: T) -> Self
    where
        T: Float,
    {
        Node::new([parent, NONE], [partial, T::zero()])
    }

    /// A node with two parents.
    #[inline(always)]
    pub(super) fn binary([(a, da), (b, db)]: [(u32, T); 2]) -> Self {
        Node::new([a, b], [da, db])
    }

    /// The two parent indices.
    #[inline(always)]
    fn parents(&self) -> [u32; 2] {
        [self.parents as u32, (self.parents >> 32) as u32]
    }
}

/// An edge of a fused node: the parent node and the local partial derivative.
///
/// Packed, so that a `u32` beside an `f64` takes 12 bytes rather than 16; fields are
/// only ever read by value (never borrowed), as packed fields must be.
#[derive(Clone, Copy)]
#[repr(C, packed)]
pub(super) struct Edge<T> {
    parent: u32,
    partial: T,
}

/// A bulk record: nodes `first..first + len`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Block {
    pub(super) first: u32,
    pub(super) len: u32,
    /// Scalar nodes recorded before this block (`nodes.len()` when it was recorded).
    pub(super) scalars_before: u32,
    pub(super) op: BlockOp,
}

/// What a block computes.
#[derive(Clone, Copy, Debug)]
pub(super) enum BlockOp {
    /// Independent variables: nothing to pass back.
    Leaves,
    /// One node with the `count` edges `fused[start..start + count]`.
    Fused { start: u32, count: u32 },
    /// `yⱼ = Σₖ W[j][k]·xₖ` for the block's `len` rows `j`, `W` row-major with `cols`
    /// columns. Variables `W` and `x` are runs of consecutive nodes starting at `w` and
    /// `x` ([`NONE`] for constants: a plain index, not an `Option`, keeps the block
    /// record at 36 bytes with the two kinds of product).
    MatVec {
        cols: u32,
        w: u32,
        x: u32,
        /// Where `x`'s values start in `block_values` (kept when `W` has variables).
        x_values: u32,
        /// Where `W`'s values start in `block_values` (kept when `x` has variables).
        w_values: u32,
    },
    /// `yⱼ = Σₖ W[k][j]·xₖ` for the block's `len` outputs `j`: `Wᵀ·x` for a `W` stored
    /// input-major, one row of `len` entries per input `k`, `inputs` rows. The other
    /// fields as for `MatVec`.
    MatVecT {
        inputs: u32,
        w: u32,
        x: u32,
        x_values: u32,
        w_values: u32,
    },
}

impl<T: Float> Records<T> {
    /// Room for `nodes` scalar nodes (which hold their own edges) and `edges` edges of
    /// fused nodes.
    pub(super) fn with_capacity(nodes: usize, edges: usize) -> Self {
        let mut records = Records {
            nodes: Vec::with_capacity(nodes),
            fused: Vec::with_capacity(edges),
            blocks: Vec::new(),
            block_values: Vec::new(),
            in_blocks: 0,
            room: 0,
        };
        records.measure_room();
        records
    }

    /// Scalar nodes and edges of fused nodes the tape holds before it allocates, as
    /// [`Records::with_capacity`] takes them.
    pub(super) fn capacity(&self) -> (usize, usize) {
        (self.nodes.capacity(), self.fused.capacity())
    }

    pub(super) fn clear(&mut self) {
        self.nodes.clear();
        self.fused.clear();
        self.blocks.clear();
        self.block_values.clear();
        self.in_blocks = 0;
        self.measure_room();
    }

    /// Nodes recorded, scalar and in blocks. At most `u32::MAX`: every push checks it.
    #[inline(always)]
    pub(super) fn len(&self) -> u32 {
        self.nodes.len() as u32 + self.in_blocks
    }

    /// Recomputes `room`; called whenever `nodes` grows or a block is recorded.
    fn measure_room(&mut self) {
        let nodes_left = (u32::MAX - self.len()) as usize;
        self.room = self.nodes.capacity().min(self.nodes.len() + nodes_left);
    }

    /// Makes room for one more scalar node, or panics when the tape is full (and
    /// aborts when memory runs out, as `Vec` does). Out of the hot path: it runs once
    /// per growth of `nodes` (called through `cell::grow`).
    pub(super) fn make_room(&mut self) {
        self.nodes.reserve(1);
        self.measure_room();
        // Only false when the tape holds `u32::MAX` nodes.
        assert!(self.nodes.len() < self.room, "{FULL}");
    }

    /// Whether one more scalar node can be written without growing: the only test a
    /// unary or binary record makes. One comparison against `room` covers both the
    /// capacity and the `u32` index limit.
    #[inline(always)]
    pub(super) fn has_room(&self) -> bool {
        self.nodes.len() < self.room
    }

    /// Records a scalar node, growing first if needed: for callers that already hold the
    /// records through `RecordsCell::with` (fused ops that turn out to have one or two
    /// edges), so the allocator runs with the flag set. Ops go through
    /// `RecordsCell::push_node`.
    fn push_growing(&mut self, node: Node<T>) -> u32 {
        if !self.has_room() {
            self.make_room();
        }
        self.push_unchecked(node)
    }

    /// Records a scalar node where [`Records::has_room`] holds: the hot path of every
    /// unary and binary op (through `RecordsCell::push_node`).
    ///
    /// Unsafe code, and worth it: `Vec::push` would test the capacity a second time and
    /// hold a call of its own to grow the vector, an ordinary call that makes the
    /// compiler move the caller's floats out of registers across every op (the reason
    /// `cell::grow` uses the Windows convention).
    #[inline(always)]
    #[allow(unsafe_code)]
    pub(super) fn push_unchecked(&mut self, node: Node<T>) -> u32 {
        let index = self.len();
        let at = self.nodes.len();
        // The sweep's unchecked indexing relies on this: a node's parents come before it.
        debug_assert!(
            node.parents()[0] < index && (node.parents()[1] == NONE || node.parents()[1] < index),
            "a node's parents are recorded before it"
        );
        // Callers test `has_room` first; a debug build checks they did.
        debug_assert!(at < self.room && self.room <= self.nodes.capacity());
        // SAFETY: `at < room` (the caller's test of `has_room`), and `room <=
        // nodes.capacity()` (the invariant on `room`), so the write lands inside the
        // allocation, in its first unused slot; `set_len` then covers exactly the
        // entries written so far. `Node<T>` is `Copy`, so nothing is dropped or leaked.
        unsafe {
            self.nodes.as_mut_ptr().add(at).write(node);
            self.nodes.set_len(at + 1);
        }
        index
    }

    /// A node with one edge.
    pub(super) fn push_unary(&mut self, parent: u32, partial: T) -> u32 {
        self.push_growing(Node::unary(parent, partial))
    }

    /// A node with two edges.
    pub(super) fn push_binary(&mut self, edges: [(u32, T); 2]) -> u32 {
        self.push_growing(Node::binary(edges))
    }

    /// A node with any number of edges (at most `max_edges`, reserved up front): a
    /// scalar node for one or two, a fused node for more.
    pub(super) fn push_edges(
        &mut self,
        max_edges: usize,
        edges: impl Iterator<Item = (u32, T)>,
    ) -> u32 {
        let start = self.fused.len();
        self.fused.reserve(max_edges);
        self.fused
            .extend(edges.map(|(parent, partial)| Edge { parent, partial }));
        let edge = |e: Edge<T>| (e.parent, e.partial);
        match self.fused.len() - start {
            1 => {
                let only = edge(self.fused[start]);
                self.fused.truncate(start);
                self.push_unary(only.0, only.1)
            }
            2 => {
                let pair = [edge(self.fused[start]), edge(self.fused[start + 1])];
                self.fused.truncate(start);
                self.push_binary(pair)
            }
            count => {
                let fits = |n: usize| u32::try_from(n).expect(FULL);
                let (start, count) = (fits(start), fits(count));
                fits(self.fused.len());
                self.push_block(1, BlockOp::Fused { start, count })
            }
        }
    }

    /// `count` new nodes as one block; returns the first's index.
    pub(super) fn push_block(&mut self, count: usize, op: BlockOp) -> u32 {
        let first = self.len();
        let count = u32::try_from(count)
            .ok()
            .filter(|&n| n <= u32::MAX - first)
            .expect(FULL);
        if count == 0 {
            return first; // nothing to record, nor to sweep
        }
        // Leaves right after leaves extend the same block: `var` in a loop stays O(1)
        // to sweep per call, not per variable.
        match (self.blocks.last_mut(), op) {
            (Some(last), BlockOp::Leaves)
                if matches!(last.op, BlockOp::Leaves) && last.first + last.len == first =>
            {
                last.len += count;
            }
            _ => self.blocks.push(Block {
                first,
                len: count,
                scalars_before: self.nodes.len() as u32,
                op,
            }),
        }
        self.in_blocks += count;
        self.measure_room();
        first
    }

    /// Keeps `values` for a block's backward pass; returns where they start.
    pub(super) fn keep(&mut self, values: &[T]) -> u32 {
        let start = u32::try_from(self.block_values.len()).expect(FULL);
        self.block_values.extend_from_slice(values);
        start
    }

    /// Edges the recording holds: those of scalar and fused nodes, and for each
    /// matrix–vector product those its rows would have as fused dot products.
    pub(super) fn edges(&self) -> usize {
        let scalar: usize = self
            .nodes
            .iter()
            .map(|node| 1 + usize::from(node.parents()[1] != NONE))
            .sum();
        let implied: usize = self
            .blocks
            .iter()
            .map(|block| match block.op {
                BlockOp::Leaves | BlockOp::Fused { .. } => 0,
                BlockOp::MatVec { cols: n, w, x, .. }
                | BlockOp::MatVecT {
                    inputs: n, w, x, ..
                } => {
                    let per_row = usize::from(w != NONE) + usize::from(x != NONE);
                    block.len as usize * n as usize * per_row
                }
            })
            .sum();
        scalar + self.fused.len() + implied
    }

    /// Bytes of recorded data (not capacity), adjoints excluded.
    pub(super) fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.nodes.len() * size_of::<Node<T>>()
            + self.fused.len() * size_of::<Edge<T>>()
            + self.block_values.len() * size_of::<T>()
            + self.blocks.len() * size_of::<Block>()
    }
}

/// `yⱼ = Σₖ W[j][k]·xₖ` for each row `j` of the row-major `w`, into `y`.
pub(super) fn matvec<T: Float>(w: &[T], x: &[T], y: &mut [T]) {
    if x.is_empty() {
        y.fill(T::zero());
        return;
    }
    for (yj, row) in y.iter_mut().zip(w.chunks_exact(x.len())) {
        *yj = dot(row, x);
    }
}

/// `yⱼ = Σₖ W[k][j]·xₖ` for the input-major `w` (`x.len()` rows of `y.len()` entries),
/// into `y`: one pass over `w`, each `yⱼ` summed left to right over `k`.
pub(super) fn matvec_t<T: Float>(w: &[T], x: &[T], y: &mut [T]) {
    y.fill(T::zero());
    if y.is_empty() {
        return;
    }
    for (&xk, row) in x.iter().zip(w.chunks_exact(y.len())) {
        axpy(xk, row, y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tape with room for two more nodes before the `u32` index runs out, as if
    /// `u32::MAX − 2` variables had been recorded (without the memory they would take).
    fn nearly_full() -> Records<f64> {
        let mut records = Records::with_capacity(0, 0);
        records.in_blocks = u32::MAX - 2;
        records.measure_room();
        records
    }

    #[test]
    fn the_last_two_indices_below_the_limit_are_recorded() {
        let mut records = nearly_full();
        assert_eq!(records.push_unary(0, 1.0), u32::MAX - 2);
        assert_eq!(records.push_binary([(0, 1.0), (1, 2.0)]), u32::MAX - 1);
        assert_eq!(records.len(), u32::MAX);
    }

    /// The invariant `push_unchecked`'s unchecked write rests on, after every kind of
    /// change to the records: growth from empty, blocks between nodes, and clears that
    /// keep the memory.
    #[test]
    fn the_room_for_unchecked_writes_never_exceeds_the_capacity() {
        let mut records = Records::<f64>::with_capacity(3, 0);
        let holds = |r: &Records<f64>| r.nodes.len() <= r.room && r.room <= r.nodes.capacity();
        for round in 0..3 {
            records.push_block(1, BlockOp::Leaves);
            assert!(holds(&records));
            for i in 0..5_000u32 {
                if i % 97 == 0 {
                    records.push_block(3, BlockOp::Leaves);
                } else if i % 2 == 0 {
                    records.push_unary(0, 1.0);
                } else {
                    records.push_binary([(0, 1.0), (records.len() - 1, 2.0)]);
                }
                assert!(holds(&records), "round {round}, step {i}");
            }
            records.clear();
            assert!(holds(&records));
        }
    }

    #[test]
    #[should_panic(expected = "a Tape holds at most u32::MAX nodes")]
    fn a_full_tape_panics_rather_than_wrap_its_indices() {
        let mut records = nearly_full();
        records.push_unary(0, 1.0);
        records.push_unary(0, 1.0);
        records.push_unary(0, 1.0);
    }
}

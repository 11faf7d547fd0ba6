//! The tape's storage and its reverse sweep.
//!
//! # Layout
//!
//! Two kinds of record share one node numbering:
//!
//! - **Scalar nodes**, one per op on [`Var`](super::Var)s: `ends[k]` is one past the
//!   last edge of the `k`-th scalar node, and an [`Edge`] is a parent index and the
//!   local partial derivative computed when the op ran, packed (an `f64` edge takes 12
//!   bytes, not a padded 16). Leaves have no edges, unary ops one, binary ops two, fused
//!   sums and dot products n.
//! - **Blocks**, one per bulk record: a run of leaves ([`Tape::var_slice`]) and a
//!   matrix–vector product ([`VarSlice::matvec`]). A block covers consecutive node
//!   indices and costs one [`Block`] however many nodes it holds; a matrix–vector product
//!   keeps the values its backward pass needs in `block_values`.
//!
//! Scalar nodes and blocks interleave; `Block::scalars_before` maps a node index to its
//! position in `ends`. Adjoints are not stored here but in the caller's buffer
//! ([`Gradient`](super::Gradient)), so one recording can be swept many times.
//!
//! Bytes per recorded node, with the adjoint (`f64`; `f32` in brackets): a leaf from
//! [`Tape::var`] (or [`Tape::vars`] of fewer than 16) 12 (8), a leaf from
//! [`Tape::vars`] of 16 or more or [`Tape::var_slice`] 8 (4), a unary
//! op or an op with one constant operand 24 (16), a binary op 36 (24), a fused op with n
//! edges 4 + 12n + 8 (4 + 8n + 4), an output of a matrix–vector product 8 (4) plus the
//! kept values (the input vector, and the matrix when the input holds variables).
//!
//! [`Tape::var_slice`]: super::Tape::var_slice
//! [`Tape::var`]: super::Tape::var
//! [`Tape::vars`]: super::Tape::vars
//! [`VarSlice::matvec`]: super::VarSlice::matvec

use num_traits::Float;

use super::kernels::{axpy, dot};

pub(super) const FULL: &str = "a Tape holds at most u32::MAX nodes and edges: clear it \
                               between independent computations, or split the computation";

/// From this many leaves on, [`Records::push_leaves`] records a block: a `Block` takes
/// 40 bytes, as much as ten leaves' entries in `ends`.
const LEAVES_PER_BLOCK: usize = 16;

/// Everything recorded on a tape; see the module documentation for the layout.
pub(super) struct Records<T> {
    /// One past the last edge of each scalar node, in recording order.
    pub(super) ends: Vec<u32>,
    /// The edges of every scalar node, node after node.
    pub(super) edges: Vec<Edge<T>>,
    /// Bulk records, in recording order.
    pub(super) blocks: Vec<Block>,
    /// Values kept by blocks for their backward pass.
    pub(super) block_values: Vec<T>,
    /// Nodes recorded in blocks; with `ends.len()`, the scalar nodes, they make the
    /// node count, so a scalar record updates no counter of its own.
    in_blocks: u32,
    /// Unary and binary nodes can be pushed without further checks while `ends.len()`
    /// is below this: there is room in `ends`, room for two edges per node in `edges`,
    /// and the node count and edge count stay below `u32::MAX`. Comparing with it is
    /// the only test a unary or binary record makes; the limits themselves are checked
    /// in [`Records::grow`], when the room runs out.
    room: usize,
}

/// A parent link: the parent node and the local partial derivative `∂node/∂parent`.
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
    /// Scalar nodes recorded before this block (`ends.len()` when it was recorded).
    pub(super) scalars_before: u32,
    pub(super) op: BlockOp,
}

/// What a block computes.
#[derive(Clone, Copy, Debug)]
pub(super) enum BlockOp {
    /// Independent variables: nothing to pass back.
    Leaves,
    /// `yⱼ = Σₖ W[j][k]·xₖ` for the block's `len` rows `j`, `W` row-major with `cols`
    /// columns. Variables `W` and `x` are runs of consecutive nodes starting at `w` and
    /// `x` (`None` for constants).
    MatVec {
        cols: u32,
        w: Option<u32>,
        x: Option<u32>,
        /// Where `x`'s values start in `block_values` (kept when `W` has variables).
        x_values: u32,
        /// Where `W`'s values start in `block_values` (kept when `x` has variables).
        w_values: u32,
    },
}

impl<T: Float> Records<T> {
    pub(super) fn with_capacity(nodes: usize, edges: usize) -> Self {
        let mut records = Records {
            ends: Vec::with_capacity(nodes),
            edges: Vec::with_capacity(edges),
            blocks: Vec::new(),
            block_values: Vec::new(),
            in_blocks: 0,
            room: 0,
        };
        records.measure_room();
        records
    }

    pub(super) fn clear(&mut self) {
        self.ends.clear();
        self.edges.clear();
        self.blocks.clear();
        self.block_values.clear();
        self.in_blocks = 0;
        self.measure_room();
    }

    /// Nodes recorded, scalar and in blocks. Below `u32::MAX`: every push checks it.
    #[inline(always)]
    pub(super) fn len(&self) -> u32 {
        self.ends.len() as u32 + self.in_blocks
    }

    /// Recomputes `room`; called whenever a vector grows or a record other than a
    /// unary or binary node is pushed.
    fn measure_room(&mut self) {
        let nodes_left = (u32::MAX - self.len()) as usize;
        let edges_left = self.edges.capacity().min(u32::MAX as usize) - self.edges.len();
        self.room = self
            .ends
            .capacity()
            .min(self.ends.len() + nodes_left)
            .min(self.ends.len() + edges_left / 2);
    }

    /// Makes room for one more unary or binary node, or panics when the tape is full.
    /// Called through [`grow`], out of line: it runs once per growth of the vectors.
    #[inline(always)]
    fn make_room(&mut self) {
        self.ends.reserve(1);
        self.edges.reserve(2);
        self.measure_room();
        // Only false within two edges or one node of `u32::MAX`.
        assert!(self.ends.len() < self.room, "{FULL}");
    }

    /// Records a scalar node with `N` ≤ 2 edges: the hot path of every op.
    #[inline(always)]
    fn push_scalar<const N: usize>(&mut self, edges: [Edge<T>; N]) -> u32 {
        const { assert!(N <= 2, "the room counts two edges per node") };
        if self.ends.len() >= self.room {
            grow(self);
        }
        let index = self.len();
        let (ends, start) = (self.ends.len(), self.edges.len());
        // SAFETY: the room checked above (and made by `grow`) is within both vectors'
        // capacities (two edges per node), so the writes stay in their allocations;
        // they initialise exactly the entries the new lengths cover. It also keeps the
        // counts below `u32::MAX`, so the casts do not truncate.
        unsafe {
            let to = self.edges.as_mut_ptr().add(start);
            std::ptr::copy_nonoverlapping(edges.as_ptr(), to, N);
            self.edges.set_len(start + N);
            self.ends.as_mut_ptr().add(ends).write((start + N) as u32);
            self.ends.set_len(ends + 1);
        }
        index
    }

    /// A scalar node without edges: a leaf.
    pub(super) fn push_leaf(&mut self) -> u32 {
        self.push_scalar::<0>([])
    }

    /// `count` leaves, in one step; returns the first's index. Many leaves are one
    /// block (one `Block` record, no entry in `ends`, skipped by the sweep in one
    /// step); a few are scalar nodes, smaller than a `Block` of their own.
    pub(super) fn push_leaves(&mut self, count: usize) -> u32 {
        if count >= LEAVES_PER_BLOCK {
            return self.push_block(count, BlockOp::Leaves);
        }
        let first = self.len();
        assert!(count <= (u32::MAX - first) as usize, "{FULL}");
        let end = self.edges.len() as u32;
        self.ends.resize(self.ends.len() + count, end);
        self.measure_room();
        first
    }

    /// A scalar node with one edge.
    #[inline(always)]
    pub(super) fn push_unary(&mut self, parent: u32, partial: T) -> u32 {
        self.push_scalar([Edge { parent, partial }])
    }

    /// A scalar node with two edges.
    #[inline(always)]
    pub(super) fn push_binary(&mut self, edges: [(u32, T); 2]) -> u32 {
        self.push_scalar(edges.map(|(parent, partial)| Edge { parent, partial }))
    }

    /// A scalar node with any number of edges (at most `max_edges`, reserved up front).
    pub(super) fn push_edges(
        &mut self,
        max_edges: usize,
        edges: impl Iterator<Item = (u32, T)>,
    ) -> u32 {
        let index = self.len();
        assert!(
            index < u32::MAX && self.edges.len() + max_edges <= u32::MAX as usize,
            "{FULL}"
        );
        self.edges.reserve(max_edges);
        self.edges
            .extend(edges.map(|(parent, partial)| Edge { parent, partial }));
        // Fits: checked above.
        self.ends.push(self.edges.len() as u32);
        self.measure_room();
        index
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
        // Leaves right after leaves extend the same block: `vars` in a loop stays O(1)
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
                scalars_before: self.ends.len() as u32,
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

    /// Edges the recording holds: those of scalar nodes, and for each matrix–vector
    /// product those its rows would have as fused dot products.
    pub(super) fn edges(&self) -> usize {
        let implied: usize = self
            .blocks
            .iter()
            .map(|block| match block.op {
                BlockOp::Leaves => 0,
                BlockOp::MatVec { cols, w, x, .. } => {
                    let per_row = usize::from(w.is_some()) + usize::from(x.is_some());
                    block.len as usize * cols as usize * per_row
                }
            })
            .sum();
        self.edges.len() + implied
    }

    /// Bytes of recorded data (not capacity), adjoints excluded.
    pub(super) fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.ends.len() * size_of::<u32>()
            + self.edges.len() * size_of::<Edge<T>>()
            + self.block_values.len() * size_of::<T>()
            + self.blocks.len() * size_of::<Block>()
    }

    /// The reverse sweep over nodes `0..adjoints.len()`: each passes its adjoint to its
    /// parents weighted by the partials. Recording order is a topological order, so no
    /// sort and no recursion are needed; blocks split the scalar nodes into runs.
    pub(super) fn sweep(&self, adjoints: &mut [T]) {
        let mut upto = adjoints.len();
        for block in self.blocks.iter().rev() {
            let first = block.first as usize;
            if first >= upto {
                continue; // recorded after the output
            }
            let end = first + block.len as usize;
            if end < upto {
                let offset = end - block.scalars_before as usize;
                self.sweep_scalars(adjoints, end, upto, offset);
            }
            self.sweep_block(block, adjoints, upto.min(end));
            upto = first;
        }
        self.sweep_scalars(adjoints, 0, upto, 0);
    }

    /// Sweeps scalar nodes `lo..hi`, whose positions in `ends` are `node − offset`.
    fn sweep_scalars(&self, adjoints: &mut [T], lo: usize, hi: usize, offset: usize) {
        if lo >= hi {
            return;
        }
        // Walk the edges backwards with one running bound: a node's edges end where the
        // next node's begin, so each node reads one entry of `ends`. The first scalar
        // node (position 0) starts at edge 0 and is swept apart, so that the loop needs
        // no test for it.
        let ends = &self.ends[..hi - offset];
        let mut end = ends[hi - 1 - offset] as usize;
        assert!(end <= self.edges.len() && hi <= adjoints.len());
        for node in (lo.max(offset + 1)..hi).rev() {
            // SAFETY: `0 <= node - offset - 1 < hi - offset = ends.len()`.
            let start = unsafe { *ends.get_unchecked(node - offset - 1) as usize };
            // SAFETY: `start <= end <= edges.len()` (ends never decrease, and `end`
            // was checked above), and `node < hi <= adjoints.len()`.
            unsafe { self.pass_back(adjoints, node, start, end) };
            end = start;
        }
        if lo == offset {
            // SAFETY: as above, with `start = 0`.
            unsafe { self.pass_back(adjoints, lo, 0, end) };
        }
    }

    /// Passes the adjoint of `node` to its parents through its edges `start..end`.
    ///
    /// # Safety
    ///
    /// `start <= end <= self.edges.len()` and `node < adjoints.len()`.
    #[inline(always)]
    unsafe fn pass_back(&self, adjoints: &mut [T], node: usize, start: usize, end: usize) {
        let (adjoint, edges) = unsafe {
            (
                *adjoints.get_unchecked(node),
                self.edges.get_unchecked(start..end),
            )
        };
        // A node whose adjoint is zero contributes nothing, even where its partials
        // are infinite or NaN: an unused branch (the other side of a `max`, a term
        // multiplied by zero) must not poison the gradient with `0 · ∞ = NaN`.
        // `is_zero`, not `== 0`: a dual-number adjoint `0 + bε` compares equal to
        // zero by value yet still carries a derivative.
        if !adjoint.is_zero() {
            for &Edge { parent, partial } in edges {
                let parent = parent as usize;
                // SAFETY: every parent was recorded before its node (the tape module
                // only ever records edges to existing nodes of the same tape), so
                // `parent < node < adjoints.len()`.
                let slot = unsafe { adjoints.get_unchecked_mut(parent) };
                *slot = *slot + adjoint * partial;
            }
        }
    }

    /// Passes back the adjoints of a block's first `live` nodes (those below the
    /// output).
    fn sweep_block(&self, block: &Block, adjoints: &mut [T], live: usize) {
        let BlockOp::MatVec {
            cols,
            w,
            x,
            x_values,
            w_values,
        } = block.op
        else {
            return; // leaves pass nothing on
        };
        let first = block.first as usize;
        let cols = cols as usize;
        // Every parent was recorded before the block, so below `first`.
        let (below, outputs) = adjoints.split_at_mut(first);
        // Rows last to first, as the sweep would visit them as separate nodes.
        for (j, &y_bar) in outputs[..live - first].iter().enumerate().rev() {
            if y_bar.is_zero() {
                continue;
            }
            if let Some(w) = w {
                // ∂yⱼ/∂W[j][k] = xₖ
                let start = w as usize + j * cols;
                let x = &self.block_values[x_values as usize..][..cols];
                axpy(y_bar, x, &mut below[start..start + cols]);
            }
            if let Some(x) = x {
                // ∂yⱼ/∂xₖ = W[j][k]
                let row = &self.block_values[w_values as usize + j * cols..][..cols];
                let x = x as usize;
                axpy(y_bar, row, &mut below[x..x + cols]);
            }
        }
    }
}

/// [`Records::make_room`], out of line, with a calling convention that keeps the
/// caller's floats in registers.
///
/// Every op may have to grow the tape, so every op's inlined code holds a call to this
/// function, rarely taken. Under the System V convention a call clobbers every vector
/// register, and the compiler then keeps the floats of the user's loop around the op
/// (the running sum of `z += w·a`, say) on the stack, for the whole loop, not only
/// around the call: each op waits for a store and a load. The Windows x64 convention
/// preserves `xmm6`–`xmm15` across the call (the callee saves what it uses), so they
/// stay in registers. `-unwind`: the full-tape panic unwinds as before.
#[cfg(target_arch = "x86_64")]
#[cold]
#[inline(never)]
extern "win64-unwind" fn grow<T: Float>(records: &mut Records<T>) {
    records.make_room();
}

/// [`Records::make_room`], out of line (other targets' conventions keep some float
/// registers across calls already).
#[cfg(not(target_arch = "x86_64"))]
#[cold]
#[inline(never)]
fn grow<T: Float>(records: &mut Records<T>) {
    records.make_room();
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

//! The reverse-mode tape: records a computation as it runs and sweeps it backwards once
//! to give the derivative of one output with respect to every recorded variable. Each
//! op's value and partial derivatives come from the rules table (`crate::rules`), which
//! forward mode's `Dual` shares; this module only stores and sweeps them.
//!
//! Storage is laid out for a fast record and a fast sweep: a unary or binary op records
//! one fixed-size node (two parent indices, `u32`, and the two local partial
//! derivatives computed when the op ran; a unary op marks its second parent unused), so
//! recording updates one length and the sweep reads one node per step without a loop
//! over edges. Sums and dot products of more than two variables record one fused node
//! with n edges; variables are recorded in blocks of leaves that the sweep passes over
//! in one step. Values live in the [`Var`] handles, not on the tape, and adjoints in a
//! separate buffer ([`Gradient`]), so one recording can be swept many times. Bulk
//! records — a run of leaves, a matrix–vector product ([`VarSlice`]) — cost one entry
//! each, whatever their size; the layout and its bytes per node are in the `records`
//! module's source.

mod cell;
mod float;
mod gradient;
pub(crate) mod kernels;
mod records;
mod slice;
mod var;

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use num_traits::Float;

pub use gradient::Gradient;
pub use slice::VarSlice;
pub use var::Var;

use cell::RecordsCell;
use records::{BlockOp, Node, Records};

/// A recording of a computation, for reverse-mode differentiation.
///
/// Create variables with [`Tape::var`], compute with them as with plain floats, and ask
/// for [`Tape::gradient`] of a result. A `Var` borrows its tape, so a tape cannot be
/// cleared or dropped while a variable of it is alive: stale variables are a compile
/// error, not a wrong gradient.
///
/// ```
/// use gradproof::prelude::*;
///
/// let tape = Tape::new();
/// let x = tape.var(3.0);
/// let y = tape.var(2.0);
/// let f = x * x * y + y.sin();
/// let grad = tape.gradient(f);
/// assert_eq!(grad.wrt(x), 2.0 * 3.0 * 2.0);
/// assert_eq!(grad.wrt(y), 9.0 + 2.0_f64.cos());
/// ```
///
/// Clearing the tape while one of its variables is alive does not compile, so no
/// variable can outlive the recording it indexes:
///
/// ```compile_fail,E0502
/// use gradproof::prelude::*;
///
/// let mut tape = Tape::new();
/// let x = tape.var(1.0);
/// tape.clear(); // error: `tape` is still borrowed by `x`
/// let y = x * 2.0;
/// ```
///
/// The same lines with the clear after the variables' last use compile (so the example
/// above fails for the borrow alone; stable rustdoc does not check the error code):
///
/// ```
/// use gradproof::prelude::*;
///
/// let mut tape = Tape::new();
/// let x = tape.var(1.0);
/// let y = x * 2.0;
/// tape.clear();
/// assert!(tape.is_empty());
/// ```
pub struct Tape<T> {
    /// Reached through [`Tape::with_records`], or `RecordsCell::push_node` for an op.
    records: RecordsCell<T>,
    /// Unique per tape, so a [`Gradient`] can tell whether a `Var` is one of its tape's.
    id: u64,
    /// Bumped by [`Tape::clear`]: a gradient taken before a clear is stale after it.
    generation: Cell<u64>,
}

/// Counter for tape identities. Only ever incremented; it holds no state the tape's
/// results depend on.
static NEXT_TAPE_ID: AtomicU64 = AtomicU64::new(0);

impl<T: Float> Default for Tape<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Float> Tape<T> {
    /// An empty tape.
    pub fn new() -> Self {
        Self::with_capacity(0, 0)
    }

    /// An empty tape with room, before it allocates, for `nodes` nodes of unary and
    /// binary ops (each holds its own one or two edges) and `edges` edges of fused sums
    /// and dot products ([`Var::sum`], [`Var::dot`], [`VarSlice::dot`] and the like).
    /// Variables take no room here: they are recorded in blocks of their own.
    pub fn with_capacity(nodes: usize, edges: usize) -> Self {
        Tape {
            records: RecordsCell::new(Records::with_capacity(nodes, edges)),
            id: NEXT_TAPE_ID.fetch_add(1, Ordering::Relaxed),
            generation: Cell::new(0),
        }
    }

    /// Runs `f` on the records.
    ///
    /// `f` may run the float type's arithmetic (`T::one()` for a sum's partials, the
    /// sweep's products), and a user's `T` could record on this very tape from inside
    /// it: the cell then panics instead of handing out a second `&mut` to the records.
    /// Unary and binary ops skip this and go through `RecordsCell::push_node`, which
    /// only reads the cell's flag (see the `cell` module). `clear` takes `&mut self` and
    /// goes through `get_mut` instead.
    #[inline(always)]
    fn with_records<R>(&self, f: impl FnOnce(&mut Records<T>) -> R) -> R {
        self.records.with(f)
    }

    /// A new independent variable (a leaf) with value `value`.
    pub fn var(&self, value: T) -> Var<'_, T> {
        let index = self.with_records(|r| r.push_block(1, BlockOp::Leaves));
        Var::recorded(self, index, value)
    }

    /// One new variable per value, in order, recorded in one step as one block of
    /// leaves, which the sweep passes over in one step, as for [`Tape::var_slice`].
    pub fn vars(&self, values: &[T]) -> Vec<Var<'_, T>> {
        let first = self.with_records(|r| r.push_block(values.len(), BlockOp::Leaves));
        (first..)
            .zip(values)
            .map(|(index, &value)| Var::recorded(self, index, value))
            .collect()
    }

    /// One new variable per value, recorded as one block of leaves and returned as a
    /// [`VarSlice`], which borrows `values` instead of copying them: recording `n`
    /// leaves takes constant time and memory on the tape (the sweep passes over them
    /// in one step, and each takes only its adjoint's memory), and no `Vec` of handles.
    pub fn var_slice<'v>(&self, values: &'v [T]) -> VarSlice<'_, 'v, T> {
        let first = self.with_records(|r| r.push_block(values.len(), BlockOp::Leaves));
        VarSlice::recorded(self, first, values)
    }

    /// The number of recorded nodes (variables and results of operations).
    pub fn len(&self) -> usize {
        self.with_records(|r| r.len() as usize)
    }

    /// Whether nothing has been recorded since the tape was made or cleared.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of recorded edges (parent links with their partial derivatives); a
    /// matrix–vector product counts the edges its rows would have as fused dot products.
    pub fn edges(&self) -> usize {
        self.with_records(|r| r.edges())
    }

    /// The bytes the recording takes on the tape (its length, not its capacity), not
    /// counting the adjoints a sweep adds (one `T` per node, in the [`Gradient`]).
    /// Dividing by [`Tape::len`] gives the bytes per node; the layout is documented in
    /// the source of the `records` module.
    pub fn recorded_bytes(&self) -> usize {
        self.with_records(|r| r.bytes())
    }

    /// How many nodes of unary and binary ops and edges of fused ops the tape holds
    /// before it allocates again, as [`Tape::with_capacity`] takes them. [`Tape::clear`]
    /// leaves it unchanged, so a tape reused for recordings of the same size allocates
    /// only the first time. (Bulk
    /// records — blocks of leaves, matrix–vector products — have their own small
    /// buffers, kept by `clear` too.)
    pub fn capacity(&self) -> (usize, usize) {
        self.with_records(|r| r.capacity())
    }

    /// Forgets every recorded node but keeps the memory, so the next recording of the
    /// same size allocates nothing. Needs `&mut self`: no variable of the tape may be
    /// alive. Gradients taken before the clear can no longer be queried with new
    /// variables (that panics rather than answer with stale adjoints).
    pub fn clear(&mut self) {
        self.records.get_mut().clear();
        self.generation.set(self.generation.get() + 1);
    }

    /// The gradient of `output`: the adjoint `∂output/∂v` of every recorded variable `v`.
    ///
    /// One reverse sweep over the nodes recorded up to `output`, iterative and linear in
    /// their number. A constant `output` has a zero gradient.
    pub fn gradient(&self, output: Var<'_, T>) -> Gradient<T> {
        self.vjp(&[(output, T::one())])
    }

    /// A vector–Jacobian product: the gradient of `Σ wₖ·outputₖ` over the seeded pairs
    /// `(outputₖ, wₖ)`, in one sweep. With a single pair of weight 1 it is
    /// [`Tape::gradient`].
    pub fn vjp(&self, seeds: &[(Var<'_, T>, T)]) -> Gradient<T> {
        let mut gradient = Gradient::empty(self);
        self.vjp_into(seeds, &mut gradient);
        gradient
    }

    /// [`Tape::gradient`] into an existing buffer, which keeps its memory between calls.
    pub fn gradient_into(&self, output: Var<'_, T>, gradient: &mut Gradient<T>) {
        self.vjp_into(&[(output, T::one())], gradient);
    }

    /// [`Tape::vjp`] into an existing buffer, which keeps its memory between calls.
    pub fn vjp_into(&self, seeds: &[(Var<'_, T>, T)], gradient: &mut Gradient<T>) {
        gradient.tape_id = self.id;
        gradient.generation = self.generation.get();
        let adjoints = &mut gradient.adjoints;
        adjoints.clear();
        let mut upto = 0;
        for (output, _) in seeds {
            if let Some(index) = self.own_index(output, "take a gradient of") {
                upto = upto.max(index + 1);
            }
        }
        adjoints.resize(upto, T::zero());
        for (output, weight) in seeds {
            if let Some(index) = self.own_index(output, "take a gradient of") {
                adjoints[index] = adjoints[index] + *weight;
            }
        }
        self.with_records(|r| r.sweep(adjoints));
    }

    /// `var`'s index on this tape, `None` for a constant; panics for another tape's var.
    fn own_index(&self, var: &Var<'_, T>, action: &str) -> Option<usize> {
        var.tape().map(|tape| {
            assert!(
                std::ptr::eq(tape, self),
                "cannot {action} a Var recorded on another Tape: record every variable of \
                 one computation on the same Tape"
            );
            var.index() as usize
        })
    }

    /// Records a node with one edge and returns its index.
    #[inline(always)]
    fn push_unary(&self, parent: u32, partial: T) -> u32 {
        self.records.push_node(Node::unary(parent, partial))
    }

    /// Records a node with two edges and returns its index.
    #[inline(always)]
    fn push_binary(&self, edges: [(u32, T); 2]) -> u32 {
        self.records.push_node(Node::binary(edges))
    }

    /// Records a node from at most `max_edges` `(parent, partial)` edges (fused sums and
    /// dot products, ternary ops) and returns its index.
    fn push_edges(&self, max_edges: usize, edges: impl Iterator<Item = (u32, T)>) -> u32 {
        // The iterator reads only the operands' handles, never the tape.
        self.with_records(|r| r.push_edges(max_edges, edges))
    }
}

//! The reverse-mode tape: records a computation as it runs and sweeps it backwards once
//! to give the derivative of one output with respect to every recorded variable.
//!
//! Storage follows the fast scalar tapes: a node is only the end offset of its edges; an
//! edge is a parent index (`u32`) and the local partial derivative computed when the op
//! ran. Leaves have no edges, unary ops one, binary ops two and fused n-ary ops (sums and
//! dot products) n, so nothing stores a dummy parent. Values live in the [`Var`] handles,
//! not on the tape, and adjoints in a separate buffer ([`Gradient`]), so one recording
//! can be swept many times.

mod float;
pub(crate) mod ops;
mod var;

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};

use num_traits::Float;

pub use var::Var;

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
pub struct Tape<T> {
    records: RefCell<Records<T>>,
    /// Unique per tape, so a [`Gradient`] can tell whether a `Var` is one of its tape's.
    id: u64,
    /// Bumped by [`Tape::clear`]: a gradient taken before a clear is stale after it.
    generation: Cell<u64>,
}

struct Records<T> {
    /// `ends[i]` is one past node `i`'s last edge; node `i`'s edges start at `ends[i - 1]`.
    ends: Vec<u32>,
    parents: Vec<u32>,
    partials: Vec<T>,
}

/// Counter for tape identities. Only ever incremented; it holds no state the tape's
/// results depend on.
static NEXT_TAPE_ID: AtomicU64 = AtomicU64::new(0);

const FULL: &str = "a Tape holds at most u32::MAX nodes and edges: clear it between \
                    independent computations, or split the computation";

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

    /// An empty tape with room for `nodes` nodes and `edges` edges (about two per node
    /// for arithmetic) before it allocates.
    pub fn with_capacity(nodes: usize, edges: usize) -> Self {
        Tape {
            records: RefCell::new(Records {
                ends: Vec::with_capacity(nodes),
                parents: Vec::with_capacity(edges),
                partials: Vec::with_capacity(edges),
            }),
            id: NEXT_TAPE_ID.fetch_add(1, Ordering::Relaxed),
            generation: Cell::new(0),
        }
    }

    /// A new independent variable (a leaf) with value `value`.
    pub fn var(&self, value: T) -> Var<'_, T> {
        let index = self.push(&[]);
        Var::recorded(self, index, value)
    }

    /// One new variable per value, in order.
    pub fn vars(&self, values: &[T]) -> Vec<Var<'_, T>> {
        values.iter().map(|&v| self.var(v)).collect()
    }

    /// The number of recorded nodes (variables and results of operations).
    pub fn len(&self) -> usize {
        self.records.borrow().ends.len()
    }

    /// Whether nothing has been recorded since the tape was made or cleared.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of recorded edges (parent links with their partial derivatives).
    pub fn edges(&self) -> usize {
        self.records.borrow().parents.len()
    }

    /// Forgets every recorded node but keeps the memory, so the next recording of the
    /// same size allocates nothing. Needs `&mut self`: no variable of the tape may be
    /// alive. Gradients taken before the clear can no longer be queried with new
    /// variables (that panics rather than answer with stale adjoints).
    pub fn clear(&mut self) {
        let records = self.records.get_mut();
        records.ends.clear();
        records.parents.clear();
        records.partials.clear();
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
        self.sweep(adjoints);
    }

    /// The reverse sweep: nodes in reverse recording order, each passing its adjoint to
    /// its parents weighted by the stored partials. Recording order is a topological
    /// order, so no sort and no recursion are needed.
    fn sweep(&self, adjoints: &mut [T]) {
        let records = self.records.borrow();
        for node in (0..adjoints.len()).rev() {
            let adjoint = adjoints[node];
            // A node whose adjoint is exactly zero contributes nothing, even where its
            // partials are infinite or NaN: an unused branch (the other side of a
            // `max`, a term multiplied by zero) must not poison the gradient with
            // `0 · ∞ = NaN`. `is_zero`, not `== 0`: a dual-number adjoint `0 + bε`
            // compares equal to zero by value yet still carries a derivative.
            if adjoint.is_zero() {
                continue;
            }
            let start = if node == 0 {
                0
            } else {
                records.ends[node - 1] as usize
            };
            let end = records.ends[node] as usize;
            for edge in start..end {
                let parent = records.parents[edge] as usize;
                adjoints[parent] = adjoints[parent] + adjoint * records.partials[edge];
            }
        }
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

    /// Records a node with the given `(parent, partial)` edges and returns its index.
    fn push(&self, edges: &[(u32, T)]) -> u32 {
        self.push_iter(edges.iter().copied())
    }

    /// Records a node from an iterator of `(parent, partial)` edges (fused sums and dot
    /// products take this path directly) and returns its index.
    fn push_iter(&self, edges: impl Iterator<Item = (u32, T)>) -> u32 {
        let mut records = self.records.borrow_mut();
        let index = u32::try_from(records.ends.len()).expect(FULL);
        for (parent, partial) in edges {
            records.parents.push(parent);
            records.partials.push(partial);
        }
        let end = u32::try_from(records.parents.len()).expect(FULL);
        records.ends.push(end);
        index
    }
}

/// The adjoints of one reverse sweep: `∂output/∂v` for every variable `v` recorded
/// before the output.
#[derive(Clone, Debug)]
pub struct Gradient<T> {
    adjoints: Vec<T>,
    tape_id: u64,
    generation: u64,
}

impl<T: Float> Gradient<T> {
    /// An empty gradient buffer for `tape`, to be filled by [`Tape::gradient_into`].
    pub fn empty(tape: &Tape<T>) -> Self {
        Gradient {
            adjoints: Vec::new(),
            tape_id: tape.id,
            generation: tape.generation.get(),
        }
    }

    /// `∂output/∂x`. Zero for a constant and for a variable recorded after the output
    /// (the output cannot depend on it).
    ///
    /// # Panics
    ///
    /// If `x` belongs to another tape, or the tape was cleared after this gradient was
    /// taken: either would answer with another computation's adjoint.
    pub fn wrt(&self, x: Var<'_, T>) -> T {
        match x.tape() {
            None => T::zero(),
            Some(tape) => {
                assert!(
                    tape.id == self.tape_id,
                    "this Gradient was taken on another Tape than the Var's: ask the \
                     gradient of the tape the Var was recorded on"
                );
                assert!(
                    tape.generation.get() == self.generation,
                    "this Gradient was taken before its Tape was cleared: take the \
                     gradient again after recording"
                );
                self.adjoints
                    .get(x.index() as usize)
                    .copied()
                    .unwrap_or_else(T::zero)
            }
        }
    }

    /// `∂output/∂x` for each `x`, in order.
    pub fn wrt_all(&self, xs: &[Var<'_, T>]) -> Vec<T> {
        xs.iter().map(|&x| self.wrt(x)).collect()
    }

    /// Every adjoint by node index, up to the output.
    pub fn adjoints(&self) -> &[T] {
        &self.adjoints
    }
}

//! The reverse sweep: every recorded node passes its adjoint back to its parents.

use num_traits::Float;

use super::{Block, BlockOp, Edge, Node, Records, NONE};
use crate::tape::kernels::{axpy, dot};

impl<T: Float> Records<T> {
    /// The reverse sweep over nodes `0..adjoints.len()`: each passes its adjoint to its
    /// parents weighted by the partials. Recording order is a topological order, so no
    /// sort and no recursion are needed; blocks split the scalar nodes into runs.
    pub(in crate::tape) fn sweep(&self, adjoints: &mut [T]) {
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

    /// Sweeps scalar nodes `lo..hi`, whose positions in `nodes` are `node − offset`.
    ///
    /// The adjoints of the node being swept and of the two below it live in registers
    /// (a [`Window`]), not in memory: a running sum `z += w·a` records each `z` two
    /// nodes after the `z` it adds to, so passing `z`'s adjoint back through memory
    /// makes every link of the chain wait for a store to reach the next load. A parent
    /// one or two nodes below gets its share in a register; any other parent in memory,
    /// which the window reads when that node enters it, three nodes ahead. Each adjoint
    /// still receives the same products in the same order, so the gradient is the same
    /// to the bit as a sweep through memory (the `tests` submodule compares the two on
    /// random recordings). On the peers benchmark's 64-32-10 network the sweep went from
    /// 10.3 to 7.5 µs (fastest of 300 batches), with more instructions (20.8 per node
    /// against 14.9): it waits less.
    ///
    /// Unsafe code: the adjoints are indexed without bounds checks. Measured against
    /// the same loop with checked indexing, the checks cost about 15 % of the f64 sweep
    /// (3-5 % of the scalar path's record and sweep), so the unchecked reads stay, each
    /// with its bound stated and asserted in debug builds.
    #[allow(unsafe_code)]
    fn sweep_scalars(&self, adjoints: &mut [T], lo: usize, hi: usize, offset: usize) {
        if lo >= hi {
            return;
        }
        let nodes = &self.nodes[lo - offset..hi - offset];
        let adjoints = &mut adjoints[..hi];
        let below = |k: usize, by: usize| k.checked_sub(by).map(|j| adjoints[j]);
        let mut window = Window {
            at: adjoints[hi - 1],
            one_below: below(hi - 1, 1).unwrap_or_else(T::zero),
            two_below: below(hi - 1, 2).unwrap_or_else(T::zero),
        };
        // Nodes 3 and above read the node three below into the window; the last (at
        // most three) do not, as no node lies there.
        let split = lo.max(3).min(hi);
        for node in (split..hi).rev() {
            // SAFETY: `node − lo < nodes.len()` (`lo ≤ node < hi`).
            let record = unsafe { nodes.get_unchecked(node - lo) };
            window.pass_back(node, record, adjoints);
            debug_assert!(node - 3 < adjoints.len());
            // SAFETY: `node − 3 < node < hi = adjoints.len()`, and `node ≥ 3`.
            window.shift(unsafe { *adjoints.get_unchecked(node - 3) });
        }
        for node in (lo..split).rev() {
            window.pass_back(node, &nodes[node - lo], adjoints);
            window.shift(T::zero());
        }
        // The window holds the final adjoints of the two nodes below `lo`, if any.
        if let Some(slot) = lo.checked_sub(1) {
            adjoints[slot] = window.at;
        }
        if let Some(slot) = lo.checked_sub(2) {
            adjoints[slot] = window.one_below;
        }
    }

    /// Passes back the adjoints of a block's first `live` nodes (those below the
    /// output).
    fn sweep_block(&self, block: &Block, adjoints: &mut [T], live: usize) {
        let first = block.first as usize;
        // Every parent was recorded before the block, so below `first`.
        let (below, outputs) = adjoints.split_at_mut(first);
        match block.op {
            BlockOp::Leaves => {} // leaves pass nothing on
            BlockOp::Fused { start, count } => {
                let adjoint = outputs[0];
                if adjoint.is_zero() {
                    return; // as for scalar nodes
                }
                let edges = &self.fused[start as usize..][..count as usize];
                for &Edge { parent, partial } in edges {
                    let slot = &mut below[parent as usize];
                    *slot = *slot + adjoint * partial;
                }
            }
            BlockOp::MatVec {
                cols,
                w,
                x,
                x_values,
                w_values,
            } => {
                let (w, x) = (variables(w), variables(x));
                let cols = cols as usize;
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
            BlockOp::MatVecT {
                inputs,
                w,
                x,
                x_values,
                w_values,
            } => {
                let (w, x) = (variables(w), variables(x));
                let outputs = &outputs[..live - first];
                let (n_in, n_out) = (inputs as usize, block.len as usize);
                let x_values = &self.block_values[x_values as usize..];
                let w_values = &self.block_values[w_values as usize..];
                // One pass over W, input row by input row, in storage order. (First to
                // last with the `axpy` kernel: 33 µs for the 256-128-10 gradient,
                // against 49 µs last to first with the loop written out.) The live outputs are a prefix
                // of each row (`outputs.len() ≤ n_out`); the rest of the block lies at or
                // above the output and passes nothing on.
                let live_outputs = outputs.len();
                if outputs.iter().all(|y_bar| y_bar.is_zero()) {
                    return; // as for scalar nodes
                }
                // Outputs whose adjoint is zero pass nothing on, not even a NaN or an
                // infinite partial (`0·∞`), as the sweep treats zero adjoints: the plain
                // loops below run only when no live adjoint is zero.
                let any_zero = outputs.iter().any(|y_bar| y_bar.is_zero());
                for k in 0..n_in {
                    if let Some(w) = w {
                        // ∂yⱼ/∂W[k][j] = xₖ
                        let start = w as usize + k * n_out;
                        let row_bar = &mut below[start..start + live_outputs];
                        let xk = x_values[k];
                        if any_zero {
                            for (slot, &y_bar) in row_bar.iter_mut().zip(outputs) {
                                if !y_bar.is_zero() {
                                    *slot = *slot + y_bar * xk;
                                }
                            }
                        } else {
                            axpy(xk, outputs, row_bar);
                        }
                    }
                    if let Some(x) = x {
                        // ∂yⱼ/∂xₖ = W[k][j], summed over the live outputs
                        let row = &w_values[k * n_out..][..live_outputs];
                        let sum = if any_zero {
                            row.iter()
                                .zip(outputs)
                                .filter(|(_, y_bar)| !y_bar.is_zero())
                                .fold(T::zero(), |acc, (&wkj, &y_bar)| acc + wkj * y_bar)
                        } else {
                            dot(row, outputs)
                        };
                        let slot = &mut below[x as usize + k];
                        *slot = *slot + sum;
                    }
                }
            }
        }
    }
}

/// The adjoints of the node being swept (`at`, final) and of the two nodes below it
/// (complete but for the shares of the nodes between), kept in registers by
/// [`Records::sweep_scalars`].
struct Window<T> {
    at: T,
    one_below: T,
    two_below: T,
}

impl<T: Float> Window<T> {
    /// Stores node `node`'s final adjoint and passes it to its parents, weighted by the
    /// partials: into the window for a parent one or two nodes below, into `adjoints`
    /// for any other.
    #[inline(always)]
    #[allow(unsafe_code)]
    fn pass_back(&mut self, node: usize, record: &Node<T>, adjoints: &mut [T]) {
        debug_assert!(node < adjoints.len());
        // SAFETY: `node < hi = adjoints.len()` (the callers' ranges).
        unsafe { *adjoints.get_unchecked_mut(node) = self.at };
        // A node whose adjoint is zero contributes nothing, even where its partials
        // are infinite or NaN: an unused branch (the other side of a `max`, a term
        // multiplied by zero) must not poison the gradient with `0 · ∞ = NaN`.
        // `is_zero`, not `== 0`: a dual-number adjoint `0 + bε` compares equal to
        // zero by value yet still carries a derivative.
        if self.at.is_zero() {
            return;
        }
        let [first, second] = record.parents();
        self.add(node, first as usize, self.at * record.partials[0], adjoints);
        if second != NONE {
            self.add(
                node,
                second as usize,
                self.at * record.partials[1],
                adjoints,
            );
        }
    }

    /// Adds `share` to the adjoint of `parent`, a parent of `node`.
    #[inline(always)]
    #[allow(unsafe_code)]
    fn add(&mut self, node: usize, parent: usize, share: T, adjoints: &mut [T]) {
        debug_assert!(parent < node, "a node's parents are recorded before it");
        match node - parent {
            1 => self.one_below = self.one_below + share,
            2 => self.two_below = self.two_below + share,
            _ => {
                // SAFETY: every parent was recorded before its node, so `parent < node
                // < adjoints.len()`: a `Var` borrows its tape, so it cannot outlive a
                // `clear`; an op on the `Var`s of two tapes panics before recording;
                // and so every parent index is that of a node already on this tape
                // when the op ran (asserted in `push_unchecked` in debug builds, and
                // here).
                let slot = unsafe { adjoints.get_unchecked_mut(parent) };
                *slot = *slot + share;
            }
        }
    }

    /// Moves the window one node down; `entering` is the adjoint of the node that
    /// becomes `two_below`, as far as memory holds it.
    #[inline(always)]
    fn shift(&mut self, entering: T) {
        self.at = self.one_below;
        self.one_below = self.two_below;
        self.two_below = entering;
    }
}

/// The first node of a product's operand, `None` for constants ([`NONE`]).
fn variables(first: u32) -> Option<u32> {
    (first != NONE).then_some(first)
}

#[cfg(test)]
mod tests;

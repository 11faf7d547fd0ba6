//! `Gradient`: the adjoints of one reverse sweep, and the questions asked of them.

use num_traits::Float;

use super::{Tape, Var, VarSlice};

/// The adjoints of one reverse sweep: `∂output/∂v` for every variable `v` recorded
/// before the output.
#[derive(Clone, Debug)]
pub struct Gradient<T> {
    pub(super) adjoints: Vec<T>,
    pub(super) tape_id: u64,
    pub(super) generation: u64,
}

impl<T: Float> Gradient<T> {
    /// An empty gradient buffer for `tape`, to be filled by [`Tape::gradient_into`].
    pub fn empty(tape: &Tape<T>) -> Self {
        Self::with_buffer(tape, Vec::new())
    }

    /// An empty gradient buffer for `tape` that sweeps into `buffer`'s memory (its
    /// content is discarded). With [`Gradient::into_adjoints`] a caller's own vector
    /// can receive the adjoints without a copy.
    pub fn with_buffer(tape: &Tape<T>, buffer: Vec<T>) -> Self {
        Gradient {
            adjoints: buffer,
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
    #[inline]
    pub fn wrt(&self, x: Var<'_, T>) -> T {
        match x.tape() {
            None => T::zero(),
            Some(tape) => {
                self.check(tape);
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

    /// `∂output/∂xᵢ` for each variable of a [`VarSlice`], in order, with the tape
    /// checked once for the whole slice. To fill a buffer, [`Gradient::copy_wrt_slice`]
    /// is one copy where collecting this iterator goes entry by entry.
    ///
    /// # Panics
    ///
    /// As [`Gradient::wrt`].
    pub fn wrt_slice<'g>(&'g self, xs: &VarSlice<'_, '_, T>) -> impl Iterator<Item = T> + 'g {
        let live = self.live(xs);
        let recorded_later = xs.len() - live.len();
        live.iter()
            .copied()
            .chain(std::iter::repeat_n(T::zero(), recorded_later))
    }

    /// `∂output/∂xᵢ` for each variable of a [`VarSlice`], copied into `out` in order:
    /// [`Gradient::wrt_slice`] as one `memcpy` (and a zero fill for variables recorded
    /// after the output), into a buffer the caller keeps, with nothing allocated.
    ///
    /// ```
    /// use gradproof::prelude::*;
    ///
    /// let tape = Tape::new();
    /// let w = tape.var_slice(&[1.0, 2.0, 3.0]);
    /// let loss = w.dot(w); // Σ wᵢ²
    /// let mut g = vec![0.0; w.len()];
    /// tape.gradient(loss).copy_wrt_slice(&w, &mut g);
    /// assert_eq!(g, [2.0, 4.0, 6.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// If `out.len() != xs.len()` (a programmer's error, as a slice copy's is: pass
    /// `&mut out[..xs.len()]` to fill part of a longer buffer), or as
    /// [`Gradient::wrt`].
    pub fn copy_wrt_slice(&self, xs: &VarSlice<'_, '_, T>, out: &mut [T]) {
        assert!(
            out.len() == xs.len(),
            "copy_wrt_slice needs an output buffer as long as the slice ({} entries, \
             not {}): pass &mut out[..xs.len()] to fill part of a longer buffer",
            xs.len(),
            out.len()
        );
        let live = self.live(xs);
        let (copied, recorded_later) = out.split_at_mut(live.len());
        copied.copy_from_slice(live);
        recorded_later.fill(T::zero());
    }

    /// The adjoints of `xs`'s variables that the sweep reached (those recorded before
    /// the output): a prefix of the slice, empty for constants.
    fn live(&self, xs: &VarSlice<'_, '_, T>) -> &[T] {
        match xs.tape() {
            None => &[],
            Some(tape) => {
                self.check(tape);
                let first = (xs.first() as usize).min(self.adjoints.len());
                let end = (first + xs.len()).min(self.adjoints.len());
                &self.adjoints[first..end]
            }
        }
    }

    /// Every adjoint by node index, up to the output.
    pub fn adjoints(&self) -> &[T] {
        &self.adjoints
    }

    /// The adjoints by node index, up to the output, as a vector (no copy).
    pub fn into_adjoints(self) -> Vec<T> {
        self.adjoints
    }

    /// Panics unless this gradient was taken on `tape` since its last clear.
    #[inline]
    fn check(&self, tape: &Tape<T>) {
        assert!(
            tape.id == self.tape_id,
            "this Gradient was taken on another Tape than the Var's: ask the gradient of \
             the tape the Var was recorded on"
        );
        assert!(
            tape.generation.get() == self.generation,
            "this Gradient was taken before its Tape was cleared: take the gradient again \
             after recording"
        );
    }
}

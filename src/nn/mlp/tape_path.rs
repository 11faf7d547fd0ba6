//! The gradient by the tape: record the forward pass with the parameters as tape
//! variables (inputs and targets as constants) and sweep it backwards. No derivative is
//! written here; it is the reference the closed form is checked against.

use num_traits::Float;

use super::error::{check_finite, MlpError, Part};
use super::forward::{count, loss_unchecked};
use super::network::Mlp;
use crate::tape::{Tape, Var};

impl<T: Float> Mlp<T> {
    /// The loss and its gradient with respect to every parameter, by recording
    /// [`Mlp::loss`] on a new tape; the gradient is in the same flat layout as
    /// [`Mlp::gradient`]'s.
    ///
    /// # Errors
    ///
    /// As [`Mlp::loss`], and for a gradient that overflows.
    pub fn tape_gradient(&self, x: &[T], y: &[T]) -> Result<(T, Vec<T>), MlpError> {
        let mut tape = Tape::new();
        let mut gradient = Vec::new();
        let loss = self.tape_backprop(&mut tape, x, y, &mut gradient)?;
        Ok((loss, gradient))
    }

    /// [`Mlp::tape_gradient`] on a reused tape (cleared first, its memory kept) into a
    /// reused buffer.
    ///
    /// # Errors
    ///
    /// As [`Mlp::tape_gradient`].
    pub fn tape_backprop(
        &self,
        tape: &mut Tape<T>,
        x: &[T],
        y: &[T],
        gradient: &mut Vec<T>,
    ) -> Result<T, MlpError> {
        self.tape_batch_backprop(tape, [(x, y)], gradient)
    }

    /// The mean loss over a batch and its gradient by the tape: every sample recorded on
    /// one tape against the same parameter variables, then one sweep from the mean.
    ///
    /// # Errors
    ///
    /// As [`Mlp::batch_backprop`].
    pub fn tape_batch_gradient<'a, I>(&self, batch: I) -> Result<(T, Vec<T>), MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        let mut tape = Tape::new();
        let mut gradient = Vec::new();
        let loss = self.tape_batch_backprop(&mut tape, batch, &mut gradient)?;
        Ok((loss, gradient))
    }

    /// [`Mlp::tape_batch_gradient`] on a reused tape into a reused buffer.
    ///
    /// # Errors
    ///
    /// As [`Mlp::batch_backprop`].
    pub fn tape_batch_backprop<'a, I>(
        &self,
        tape: &mut Tape<T>,
        batch: I,
        gradient: &mut Vec<T>,
    ) -> Result<T, MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        tape.clear();
        let tape = &*tape;
        let net = self.record(tape);
        let mut losses = Vec::new();
        let mut x = Vec::new();
        let mut y = Vec::new();
        for (sample, (xs, ys)) in batch.into_iter().enumerate() {
            x.clear();
            x.extend(xs.iter().map(|&v| Var::constant(v)));
            y.clear();
            y.extend(ys.iter().map(|&v| Var::constant(v)));
            losses.push(loss_unchecked(net.shape(), net.params(), &x, &y, sample)?);
        }
        if losses.is_empty() {
            return Err(MlpError::EmptyBatch);
        }
        let mean = if losses.len() == 1 {
            losses[0]
        } else {
            Var::sum(&losses) / count::<T>(losses.len())
        };
        if !mean.is_finite() {
            return Err(MlpError::NonFinite {
                what: Part::Loss {
                    sample: losses.len() - 1,
                },
                index: 0,
            });
        }
        let adjoints = tape.gradient(mean);
        gradient.clear();
        gradient.extend(net.params().iter().map(|&p| adjoints.wrt(p)));
        check_finite(Part::Gradient, gradient)?;
        Ok(mean.value())
    }
}

//! Plain gradient descent, the document's update `ω̂ = ω − η ∂L/∂ω` for every
//! parameter at once, with the gradient evaluated at the current parameters.

use num_traits::Float;

use super::error::{check_finite, check_vector, MlpError, Part};
use super::network::Mlp;
use super::workspace::Workspace;
use crate::tape::Tape;

impl<T: Float> Mlp<T> {
    /// `w ← w − η·g` for every parameter `w` and its gradient entry `g` (flat layout).
    ///
    /// All of the update is computed before any parameter is written, so on error the
    /// network is unchanged. A negative `η` climbs the loss instead; that is allowed.
    ///
    /// # Errors
    ///
    /// `gradient` of the wrong length or not finite, `η` not finite, or an update that
    /// overflows.
    pub fn apply_gradient(&mut self, gradient: &[T], eta: T) -> Result<(), MlpError> {
        check_learning_rate(eta)?;
        check_vector(Part::Gradient, gradient, self.params().len())?;
        let overflow = self
            .params()
            .iter()
            .zip(gradient)
            .position(|(&w, &g)| !(w - eta * g).is_finite());
        if let Some(index) = overflow {
            return Err(MlpError::NonFinite {
                what: Part::Params,
                index,
            });
        }
        for (w, &g) in self.params_mut().iter_mut().zip(gradient) {
            *w = *w - eta * g;
        }
        Ok(())
    }

    /// One gradient-descent step on one sample, the gradient by the closed form
    /// ([`Mlp::backprop`]). Returns the loss before the step.
    ///
    /// # Errors
    ///
    /// As [`Mlp::backprop`] and [`Mlp::apply_gradient`]; the network is unchanged on
    /// error.
    pub fn step(
        &mut self,
        x: &[T],
        y: &[T],
        eta: T,
        workspace: &mut Workspace<T>,
    ) -> Result<T, MlpError> {
        check_learning_rate(eta)?;
        let loss = self.backprop(x, y, workspace)?;
        self.apply_gradient(workspace.gradient(), eta)?;
        Ok(loss)
    }

    /// One gradient-descent step on the mean loss of a batch (a mini-batch step), the
    /// gradient by the closed form ([`Mlp::batch_backprop`]). Returns the mean loss
    /// before the step.
    ///
    /// # Errors
    ///
    /// As [`Mlp::batch_backprop`] and [`Mlp::apply_gradient`]; the network is unchanged
    /// on error.
    pub fn batch_step<'a, I>(
        &mut self,
        batch: I,
        eta: T,
        workspace: &mut Workspace<T>,
    ) -> Result<T, MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        check_learning_rate(eta)?;
        let loss = self.batch_backprop(batch, workspace)?;
        self.apply_gradient(workspace.gradient(), eta)?;
        Ok(loss)
    }

    /// [`Mlp::step`] with the gradient by the tape ([`Mlp::tape_gradient`]).
    ///
    /// # Errors
    ///
    /// As [`Mlp::tape_gradient`] and [`Mlp::apply_gradient`].
    pub fn tape_step(&mut self, x: &[T], y: &[T], eta: T) -> Result<T, MlpError> {
        self.tape_batch_step([(x, y)], eta)
    }

    /// [`Mlp::batch_step`] with the gradient by the tape ([`Mlp::tape_batch_gradient`]).
    ///
    /// # Errors
    ///
    /// As [`Mlp::tape_batch_gradient`] and [`Mlp::apply_gradient`].
    pub fn tape_batch_step<'a, I>(&mut self, batch: I, eta: T) -> Result<T, MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        check_learning_rate(eta)?;
        let mut tape = Tape::new();
        let mut workspace = Workspace::new();
        let loss = self.tape_batch_backprop(&mut tape, batch, &mut workspace)?;
        self.apply_gradient(workspace.gradient(), eta)?;
        Ok(loss)
    }
}

fn check_learning_rate<T: Float>(eta: T) -> Result<(), MlpError> {
    check_finite(Part::LearningRate, &[eta])
}

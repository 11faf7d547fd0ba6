//! The gradient by the tape: record the forward pass with the parameters as tape
//! variables (inputs and targets as constants) and sweep it backwards. No derivative is
//! written here; it is the reference the closed form is checked against.
//!
//! The recording is the network's own forward pass in vector form: the parameters are
//! one block of leaves, each layer's `W·a` one matrix–vector record ([`VarSlice::matvec`]),
//! and the bias, the activation and the loss are scalar nodes, one per neuron. Values go to
//! the [`Workspace`]'s buffers and the adjoints are swept straight into its gradient
//! (the parameters are the tape's first nodes), so a warmed workspace and tape allocate
//! nothing.

use num_traits::Float;

use super::backprop::check_gradient_finite;
use super::error::{check_finite, check_vector, MlpError, Part};
use super::forward::{count, half};
use super::network::Mlp;
use super::shape::Shape;
use super::workspace::Workspace;
use crate::tape::{Gradient, Tape, Var, VarSlice};

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
        let mut workspace = Workspace::new();
        let loss = self.tape_backprop(&mut tape, x, y, &mut workspace)?;
        Ok((loss, workspace.into_gradient()))
    }

    /// [`Mlp::tape_gradient`] on a reused tape (cleared first, its memory kept), with
    /// the gradient left in `workspace.gradient()` as [`Mlp::backprop`] leaves it.
    ///
    /// Allocates nothing once `tape` and `workspace` have served a network of this
    /// shape.
    ///
    /// # Errors
    ///
    /// As [`Mlp::tape_gradient`].
    pub fn tape_backprop(
        &self,
        tape: &mut Tape<T>,
        x: &[T],
        y: &[T],
        workspace: &mut Workspace<T>,
    ) -> Result<T, MlpError> {
        self.tape_batch_backprop(tape, [(x, y)], workspace)
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
        let mut workspace = Workspace::new();
        let loss = self.tape_batch_backprop(&mut tape, batch, &mut workspace)?;
        Ok((loss, workspace.into_gradient()))
    }

    /// [`Mlp::tape_batch_gradient`] on a reused tape, with the mean gradient left in
    /// `workspace.gradient()`. Allocates nothing once warmed, as [`Mlp::tape_backprop`].
    ///
    /// # Errors
    ///
    /// As [`Mlp::batch_backprop`].
    pub fn tape_batch_backprop<'a, I>(
        &self,
        tape: &mut Tape<T>,
        batch: I,
        workspace: &mut Workspace<T>,
    ) -> Result<T, MlpError>
    where
        I: IntoIterator<Item = (&'a [T], &'a [T])>,
        T: 'a,
    {
        tape.clear();
        let tape = &*tape;
        workspace.prepare(self.shape());
        let (scratch, layers) = (&mut workspace.tape_values, &mut workspace.tape_layers);
        scratch.resize(tape_values_len(self.shape()), T::zero());
        let params = tape.var_slice(self.params());
        let mut total: Option<Var<'_, T>> = None;
        let mut n = 0;
        let mut last_x: &[T] = &[];
        for (sample, (x, y)) in batch.into_iter().enumerate() {
            let loss = record_loss(self.shape(), params, x, y, sample, scratch, layers)?;
            total = Some(total.map_or(loss, |total| total + loss));
            n += 1;
            last_x = x;
        }
        let total = total.ok_or(MlpError::EmptyBatch)?;
        let mean = if n == 1 { total } else { total / count::<T>(n) };
        if !mean.is_finite() {
            return Err(MlpError::NonFinite {
                what: Part::Loss { sample: n - 1 },
                index: 0,
            });
        }
        // The parameters are nodes 0..param_count, so the first adjoints of the sweep
        // are the gradient: sweep into the workspace's gradient and keep that prefix.
        debug_assert_eq!(params.first(), 0);
        let buffer = std::mem::take(&mut workspace.gradient);
        let mut adjoints = Gradient::with_buffer(tape, buffer);
        tape.gradient_into(mean, &mut adjoints);
        workspace.gradient = adjoints.into_adjoints();
        if n == 1 {
            check_by_deltas(self.shape(), workspace, last_x)?;
            workspace.gradient.resize(self.params().len(), T::zero());
        } else {
            // The samples' gradients are summed in one sweep: scan the sum.
            workspace.gradient.resize(self.params().len(), T::zero());
            check_finite(Part::Gradient, &workspace.gradient)?;
        }
        Ok(mean.value())
    }
}

/// Scratch values one sample's recording needs: per layer the weighted sums, the
/// biased sums (with biases) and the activations; then the output differences.
fn tape_values_len(shape: &Shape) -> usize {
    let per_layer: usize = (0..shape.layers())
        .map(|layer| {
            let n = shape.sizes()[layer + 1];
            n * if shape.bias_range(layer).is_some() {
                3
            } else {
                2
            }
        })
        .sum();
    per_layer + shape.outputs()
}

/// The gradient of one sample's loss checked as the closed form checks it, in
/// `O(neurons)` rather than `O(weights)`: each weight's adjoint is one product `d_j · a_i`
/// of a delta (the adjoint of its row's weighted sum `W·a`) and an input, and each bias's
/// a delta, so [`check_gradient_finite`] on every layer's deltas and input, last layer
/// first, finds the same overflow, reported the same way.
fn check_by_deltas<T: Float>(
    shape: &Shape,
    workspace: &Workspace<T>,
    x: &[T],
) -> Result<(), MlpError> {
    let sizes = shape.sizes();
    for (layer, &(sums, input)) in workspace.tape_layers.iter().enumerate().rev() {
        let d = &workspace.gradient[sums as usize..][..sizes[layer + 1]];
        let a = input.map_or(x, |at| &workspace.tape_values[at..][..sizes[layer]]);
        check_gradient_finite(d, a, layer, 0)?;
    }
    Ok(())
}

/// Records one sample's loss `½ Σ (y − ŷ)²` with the same checks, in the same order, as
/// [`Mlp::loss`]; the values go to `scratch`, and for each layer `layers` gets the first
/// node of its weighted sums `W·a` and where its input's values start in `scratch`
/// (`None` for the sample's input).
fn record_loss<'t, T: Float>(
    shape: &Shape,
    params: VarSlice<'t, '_, T>,
    x: &[T],
    y: &[T],
    sample: usize,
    scratch: &mut [T],
    layers: &mut Vec<(u32, Option<usize>)>,
) -> Result<Var<'t, T>, MlpError> {
    check_vector(Part::Target { sample }, y, shape.outputs())?;
    check_vector(Part::Input { sample }, x, shape.inputs())?;
    layers.clear();
    let mut free = scratch;
    let mut used = 0;
    let mut take = |n: usize| {
        let (taken, rest) = std::mem::take(&mut free).split_at_mut(n);
        free = rest;
        used += n;
        (used - n, taken)
    };
    let mut a = VarSlice::constant(x);
    let mut input = None;
    for layer in 0..shape.layers() {
        let n = shape.sizes()[layer + 1];
        let w = params.slice(shape.weight_range(layer));
        let mut z = w.matvec(a, take(n).1);
        layers.push((z.first(), input));
        if let Some(range) = shape.bias_range(layer) {
            z = z.zip_map(params.slice(range), take(n).1, |z, b| z + b);
        }
        let f = shape.activation(layer);
        let (at, values) = take(n);
        a = z.map(values, |z| f.apply(z));
        input = Some(at);
        // A sigmoid maps ±∞ to 0 or 1 and only `∞ − ∞` inside a weighted sum gives NaN;
        // relu passes an overflow to +∞ on.
        check_finite(
            Part::Activations {
                layer: layer + 1,
                sample,
            },
            a.values(),
        )?;
    }
    let diff = VarSlice::constant(y).zip_map(a, take(shape.outputs()).1, |t, p| t - p);
    let loss = diff.dot(diff) * half::<T>();
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(MlpError::NonFinite {
            what: Part::Loss { sample },
            index: 0,
        })
    }
}

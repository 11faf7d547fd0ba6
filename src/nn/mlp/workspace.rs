//! `Workspace`: the buffers of the closed-form backward pass, kept between calls so a
//! gradient costs no allocation once they have grown to the network's size.

use num_traits::Float;

use super::shape::Shape;

/// Buffers for [`Mlp::backprop`](super::Mlp::backprop) and its batch and step variants:
/// every layer's activations, two delta vectors of the widest layer, and the gradient;
/// and the values [`Mlp::tape_backprop`](super::Mlp::tape_backprop) records.
///
/// Start with [`Workspace::new`]; the first call sizes it to the network, later calls
/// with a network of the same shape allocate nothing. One workspace can serve networks
/// of different shapes (it regrows), though not at the same time.
#[derive(Clone, Debug, Default)]
pub struct Workspace<T> {
    /// The sizes the buffers are laid out for (empty before the first use).
    sizes: Vec<usize>,
    /// `starts[l]..starts[l + 1]` is layer `l`'s slice of `activations`.
    starts: Vec<usize>,
    pub(crate) activations: Vec<T>,
    pub(crate) delta: Vec<T>,
    pub(crate) delta_prev: Vec<T>,
    pub(crate) gradient: Vec<T>,
    /// The tape path's values: weighted sums, activations, output differences.
    pub(crate) tape_values: Vec<T>,
    /// The tape path's layers, as its recording leaves them: the first node of each
    /// layer's weighted sums, and where its input starts in `tape_values`.
    pub(crate) tape_layers: Vec<(u32, Option<usize>)>,
}

impl<T: Float> Workspace<T> {
    /// An empty workspace; it grows on first use.
    pub fn new() -> Self {
        Workspace {
            sizes: Vec::new(),
            starts: Vec::new(),
            activations: Vec::new(),
            delta: Vec::new(),
            delta_prev: Vec::new(),
            gradient: Vec::new(),
            tape_values: Vec::new(),
            tape_layers: Vec::new(),
        }
    }

    /// A workspace already sized for `shape`.
    pub fn for_shape(shape: &Shape) -> Self {
        let mut workspace = Self::new();
        workspace.prepare(shape);
        workspace
    }

    /// The gradient of the last [`backprop`](super::Mlp::backprop) (or the mean
    /// gradient of the last batch), in flat parameter layout; empty before first use.
    pub fn gradient(&self) -> &[T] {
        &self.gradient
    }

    /// The gradient buffer, consuming the workspace.
    pub fn into_gradient(self) -> Vec<T> {
        self.gradient
    }

    /// Layer `layer`'s activations from the last sample's forward pass (layer 0 is the
    /// input, the last layer the predictions).
    ///
    /// # Panics
    ///
    /// If `layer` is not a layer of the last network this workspace served.
    pub fn activations(&self, layer: usize) -> &[T] {
        assert!(
            layer + 1 < self.starts.len(),
            "layer {layer} is not a layer of the network this workspace last served"
        );
        &self.activations[self.starts[layer]..self.starts[layer + 1]]
    }

    /// Lays the buffers out for `shape`; a no-op when they already are.
    pub(crate) fn prepare(&mut self, shape: &Shape) {
        if self.sizes != shape.sizes() {
            self.sizes.clear();
            self.sizes.extend_from_slice(shape.sizes());
            self.starts.clear();
            self.starts.push(0);
            let mut end = 0;
            for &n in shape.sizes() {
                end += n;
                self.starts.push(end);
            }
            self.activations.resize(end, T::zero());
            self.delta.resize(shape.max_width(), T::zero());
            self.delta_prev.resize(shape.max_width(), T::zero());
        }
        self.gradient.resize(shape.param_count(), T::zero());
    }

    /// Where layer `layer`'s activations start in `activations`.
    pub(crate) fn start(&self, layer: usize) -> usize {
        self.starts[layer]
    }
}

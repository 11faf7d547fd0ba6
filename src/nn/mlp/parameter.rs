//! Naming a parameter by its place in the network, for reports that point at one entry
//! of a flat gradient.

use std::fmt;

use super::shape::Shape;

/// Where a flat parameter index sits: a weight `W[row][col]` or a bias `b[row]` of a
/// layer of weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "lowercase"))]
pub enum Parameter {
    /// The weight from neuron `col` of layer `layer` to neuron `row` of layer `layer + 1`.
    Weight {
        /// Layer of weights, from 0.
        layer: usize,
        /// The neuron it feeds, in layer `layer + 1`.
        row: usize,
        /// The neuron it reads, in layer `layer`.
        col: usize,
    },
    /// The bias of neuron `row` of layer `layer + 1`.
    Bias {
        /// Layer of weights, from 0.
        layer: usize,
        /// The neuron, in layer `layer + 1`.
        row: usize,
    },
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Parameter::Weight { layer, row, col } => write!(
                f,
                "W{layer}[{row}][{col}] (the weight from neuron {col} of layer {layer} to \
                 neuron {row} of layer {})",
                layer + 1
            ),
            Parameter::Bias { layer, row } => write!(
                f,
                "b{layer}[{row}] (the bias of neuron {row} of layer {})",
                layer + 1
            ),
        }
    }
}

impl Shape {
    /// The parameter at flat index `index`, `None` past the end.
    ///
    /// ```
    /// use gradproof::nn::mlp::{Parameter, Shape};
    ///
    /// let shape = Shape::with_biases(&[2, 3, 1])?;
    /// assert_eq!(shape.parameter(11), Some(Parameter::Weight { layer: 1, row: 0, col: 2 }));
    /// assert_eq!(shape.parameter(12), Some(Parameter::Bias { layer: 1, row: 0 }));
    /// assert_eq!(shape.parameter(13), None);
    /// # Ok::<(), gradproof::nn::mlp::MlpError>(())
    /// ```
    pub fn parameter(&self, index: usize) -> Option<Parameter> {
        (0..self.layers()).find_map(|layer| {
            let weights = self.weight_range(layer);
            if weights.contains(&index) {
                let ins = self.sizes()[layer];
                let offset = index - weights.start;
                return Some(Parameter::Weight {
                    layer,
                    row: offset / ins,
                    col: offset % ins,
                });
            }
            self.bias_range(layer)
                .filter(|biases| biases.contains(&index))
                .map(|biases| Parameter::Bias {
                    layer,
                    row: index - biases.start,
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_names_the_parameter_that_indexes_back_to_it() {
        for shape in [
            Shape::new(&[3, 3, 3]).unwrap(),
            Shape::with_biases(&[4, 5, 2, 3]).unwrap(),
        ] {
            for index in 0..shape.param_count() {
                let back = match shape.parameter(index).unwrap() {
                    Parameter::Weight { layer, row, col } => shape.weight_index(layer, row, col),
                    Parameter::Bias { layer, row } => shape.bias_index(layer, row).unwrap(),
                };
                assert_eq!(back, index);
            }
            assert_eq!(shape.parameter(shape.param_count()), None);
        }
    }
}

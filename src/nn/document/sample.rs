//! `Sample`: one training example of the document, inputs `x1..x3` and targets `y7..y9`.

use super::{INPUTS, OUTPUTS};

/// One sample: the inputs `x1, x2, x3` and the targets (真实值) `y7, y8, y9`.
///
/// ```
/// use gradproof::nn::document::Sample;
///
/// let s = Sample::new([0.05, 0.10, 0.15], [0.01, 0.99, 0.50]);
/// assert_eq!(s.x(2), 0.10);
/// assert_eq!(s.y(7), 0.01);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample<T> {
    x: [T; 3],
    y: [T; 3],
}

impl<T: Copy> Sample<T> {
    /// The sample with inputs `[x1, x2, x3]` and targets `[y7, y8, y9]`.
    pub fn new(x: [T; 3], y: [T; 3]) -> Self {
        Sample { x, y }
    }

    /// The input `x_i`, `i` in `1..=3`.
    ///
    /// # Panics
    ///
    /// If `i` is not an input neuron (a programming error).
    pub fn x(&self, i: usize) -> T {
        assert!(
            INPUTS.contains(&i),
            "x{i} does not exist: the inputs are x1, x2, x3 (i in 1..=3)"
        );
        self.x[i - 1]
    }

    /// The target `y_k`, `k` in `7..=9`.
    ///
    /// # Panics
    ///
    /// If `k` is not an output neuron (a programming error).
    pub fn y(&self, k: usize) -> T {
        assert!(
            OUTPUTS.contains(&k),
            "y{k} does not exist: the targets are y7, y8, y9 (k in 7..=9)"
        );
        self.y[k - 7]
    }

    /// `[x1, x2, x3]`.
    pub fn inputs(&self) -> [T; 3] {
        self.x
    }

    /// `[y7, y8, y9]`.
    pub fn targets(&self) -> [T; 3] {
        self.y
    }

    /// The sample with `f` applied to every input and target, e.g. to make them tape
    /// constants (`s.map(Var::constant)`).
    pub fn map<U: Copy>(&self, mut f: impl FnMut(T) -> U) -> Sample<U> {
        Sample {
            x: self.x.map(&mut f),
            y: self.y.map(&mut f),
        }
    }
}

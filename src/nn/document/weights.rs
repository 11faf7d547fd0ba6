//! `Weights`: the document's 18 weights `ω_ij`, addressed by the neurons they join.

use std::fmt;
use std::ops::{Index, IndexMut};

use super::{HIDDEN, INPUTS, OUTPUTS};

/// The document's 18 weights `(i, j)` in the order [`Weights`] stores them: input →
/// hidden `ω14, ω15, ω16, ω24, …, ω36`, then hidden → output `ω47, ω48, ω49, ω57, …, ω69`
/// (row by row, `i` then `j`).
///
/// Finite differences and tape variables use this order when the weights are seen as
/// one vector ([`Weights::as_array`], [`Weights::from_array`]).
pub const PAIRS: [(usize, usize); 18] = [
    (1, 4),
    (1, 5),
    (1, 6),
    (2, 4),
    (2, 5),
    (2, 6),
    (3, 4),
    (3, 5),
    (3, 6),
    (4, 7),
    (4, 8),
    (4, 9),
    (5, 7),
    (5, 8),
    (5, 9),
    (6, 7),
    (6, 8),
    (6, 9),
];

/// The position of `ω_ij` in [`PAIRS`], or `None` if no weight joins neuron `i` to
/// neuron `j` (the network is fully connected between consecutive layers only).
pub fn slot(i: usize, j: usize) -> Option<usize> {
    if INPUTS.contains(&i) && HIDDEN.contains(&j) {
        Some((i - 1) * 3 + (j - 4))
    } else if HIDDEN.contains(&i) && OUTPUTS.contains(&j) {
        Some(9 + (i - 4) * 3 + (j - 7))
    } else {
        None
    }
}

/// The weights `ω_ij` of the document's network, indexed by document neuron numbers:
/// `w[(1, 4)]` is `ω14`, `w[(4, 7)]` is `ω47`.
///
/// Generic over the number type, so the same weights can be plain floats, or tape
/// variables (`w.map(|v| tape.var(v))`).
///
/// ```
/// use gradproof::nn::document::Weights;
///
/// let mut w = Weights::from_fn(|i, j| (10 * i + j) as f64);
/// assert_eq!(w[(1, 4)], 14.0);
/// w[(6, 9)] = 0.5;
/// assert_eq!(w.get(6, 9), Some(0.5));
/// // No weight joins input 1 to output 7: `get` says so, `w[(1, 7)]` would panic.
/// assert_eq!(w.get(1, 7), None);
/// ```
#[derive(Clone, Copy, PartialEq)]
pub struct Weights<T> {
    /// In the order of [`PAIRS`].
    values: [T; 18],
}

impl<T: Copy> Weights<T> {
    /// Weights from 18 values in the order of [`PAIRS`].
    pub fn from_array(values: [T; 18]) -> Self {
        Weights { values }
    }

    /// Weights from a slice of 18 values in the order of [`PAIRS`]; `None` for any
    /// other length.
    pub fn from_slice(values: &[T]) -> Option<Self> {
        <[T; 18]>::try_from(values).ok().map(Self::from_array)
    }

    /// Weights with `ω_ij = f(i, j)`.
    pub fn from_fn(mut f: impl FnMut(usize, usize) -> T) -> Self {
        Weights {
            values: PAIRS.map(|(i, j)| f(i, j)),
        }
    }

    /// The input → hidden weights from rows `[ω_i4, ω_i5, ω_i6]` for `i = 1, 2, 3`, and
    /// the hidden → output weights from rows `[ω_i7, ω_i8, ω_i9]` for `i = 4, 5, 6`: the
    /// layout a reader of the document writes them in.
    pub fn from_layers(input_hidden: [[T; 3]; 3], hidden_output: [[T; 3]; 3]) -> Self {
        Self::from_fn(|i, j| {
            if i <= 3 {
                input_hidden[i - 1][j - 4]
            } else {
                hidden_output[i - 4][j - 7]
            }
        })
    }

    /// `ω_ij`, or `None` if no weight joins neuron `i` to neuron `j`.
    pub fn get(&self, i: usize, j: usize) -> Option<T> {
        slot(i, j).map(|s| self.values[s])
    }

    /// A mutable reference to `ω_ij`, or `None` if no weight joins `i` to `j`.
    pub fn get_mut(&mut self, i: usize, j: usize) -> Option<&mut T> {
        slot(i, j).map(move |s| &mut self.values[s])
    }

    /// The 18 values in the order of [`PAIRS`].
    pub fn as_array(&self) -> &[T; 18] {
        &self.values
    }

    /// `((i, j), ω_ij)` for every weight, in the order of [`PAIRS`].
    pub fn iter(&self) -> impl Iterator<Item = ((usize, usize), T)> + '_ {
        PAIRS.iter().copied().zip(self.values.iter().copied())
    }

    /// The weights with `f` applied to each, e.g. to record them on a tape.
    pub fn map<U: Copy>(&self, mut f: impl FnMut(T) -> U) -> Weights<U> {
        Weights {
            values: self.values.map(&mut f),
        }
    }

    /// `f(ω_ij, v_ij)` for each pair of weights of `self` and `other`.
    pub fn zip_map<U: Copy, V: Copy>(
        &self,
        other: &Weights<U>,
        mut f: impl FnMut(T, U) -> V,
    ) -> Weights<V> {
        Weights {
            values: std::array::from_fn(|s| f(self.values[s], other.values[s])),
        }
    }
}

/// The message of a wrong `(i, j)`: which pairs exist.
fn no_such_weight(i: usize, j: usize) -> String {
    format!(
        "ω{i}{j} is not a weight of the document's network: ω_ij joins an input \
         i in 1..=3 to a hidden j in 4..=6, or a hidden i in 4..=6 to an output j in \
         7..=9 (use Weights::get to ask without panicking)"
    )
}

/// `w[(i, j)]` is `ω_ij`.
///
/// # Panics
///
/// If no weight joins neuron `i` to neuron `j`: a wrong index is a programming error.
/// [`Weights::get`] answers `None` instead.
impl<T: Copy> Index<(usize, usize)> for Weights<T> {
    type Output = T;

    fn index(&self, (i, j): (usize, usize)) -> &T {
        match slot(i, j) {
            Some(s) => &self.values[s],
            None => panic!("{}", no_such_weight(i, j)),
        }
    }
}

/// `w[(i, j)] = v` sets `ω_ij`.
///
/// # Panics
///
/// As [`Index`] does, if no weight joins neuron `i` to neuron `j`.
impl<T: Copy> IndexMut<(usize, usize)> for Weights<T> {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut T {
        match slot(i, j) {
            Some(s) => &mut self.values[s],
            None => panic!("{}", no_such_weight(i, j)),
        }
    }
}

/// `{ω14: …, ω15: …, …}`, named as the document names them.
impl<T: fmt::Debug + Copy> fmt::Debug for Weights<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for ((i, j), v) in self.iter() {
            map.entry(&format_args!("ω{i}{j}"), &v);
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_numbers_pairs_in_order() {
        for (s, &(i, j)) in PAIRS.iter().enumerate() {
            assert_eq!(slot(i, j), Some(s));
        }
    }

    #[test]
    fn only_consecutive_layers_are_joined() {
        let joined = (0..12)
            .flat_map(|i| (0..12).map(move |j| (i, j)))
            .filter(|&(i, j)| slot(i, j).is_some())
            .count();
        assert_eq!(joined, 18);
        assert_eq!(slot(1, 7), None);
        assert_eq!(slot(4, 4), None);
        assert_eq!(slot(7, 4), None);
        assert_eq!(slot(0, 4), None);
    }

    #[test]
    #[should_panic(expected = "ω17 is not a weight")]
    fn indexing_a_missing_weight_panics_with_the_rule() {
        let w = Weights::from_array([0.0; 18]);
        let _ = w[(1, 7)];
    }

    #[test]
    fn from_layers_reads_rows_as_the_document_writes_them() {
        let w = Weights::from_layers(
            [[14.0, 15.0, 16.0], [24.0, 25.0, 26.0], [34.0, 35.0, 36.0]],
            [[47.0, 48.0, 49.0], [57.0, 58.0, 59.0], [67.0, 68.0, 69.0]],
        );
        for ((i, j), v) in w.iter() {
            assert_eq!(v, (10 * i + j) as f64);
        }
        assert_eq!(Weights::from_slice(&w.as_array()[..17]), None);
        assert_eq!(Weights::from_slice(w.as_array()), Some(w));
    }
}

//! `VarSlice`: a vector of variables recorded at consecutive nodes, and the bulk ops on
//! it — above all the matrix–vector product a network layer is, recorded as one block.

use std::ops::Range;

use num_traits::Float;

use super::records::{self, BlockOp};
use super::var::same_tape;
use super::{Tape, Var};

/// Consecutive variables of one tape (nodes `first..first + len`), or constants, with
/// their values borrowed from the caller: the vector form of [`Var`].
///
/// A network's parameters are one [`Tape::var_slice`] (a single record, however many),
/// each layer one [`VarSlice::matvec`] (a single record holding only the input vector,
/// plus the matrix when the input has variables; [`VarSlice::matvec_transposed`] for
/// weights stored input-major), and the elementwise steps
/// [`VarSlice::map`] and [`VarSlice::zip_map`] of ordinary [`Var`] ops. The values live
/// in buffers the caller provides and can reuse, so recording a network allocates
/// nothing once those buffers and the tape have grown.
///
/// ```
/// use gradproof::prelude::*;
/// use gradproof::tape::VarSlice;
///
/// let tape = Tape::new();
/// let w = tape.var_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]); // 2 × 3, row-major
/// let x = VarSlice::constant(&[1.0, 0.5, -1.0]);
/// let mut z = [0.0; 2];
/// let z = w.matvec(x, &mut z); // one record for both rows
/// assert_eq!(z.values(), [-1.0, 0.5]);
/// let mut a = [0.0; 2];
/// let a = z.map(&mut a, |z| z.sigmoid()); // one unary node each
/// let loss = a.sum();
///
/// let grad = tape.gradient(loss);
/// // ∂loss/∂W[j][k] = σ'(zⱼ)·xₖ
/// let g: Vec<f64> = grad.wrt_slice(&w).collect();
/// let s0 = a.values()[0] * (1.0 - a.values()[0]);
/// assert_eq!(g[..3], [s0 * 1.0, s0 * 0.5, s0 * -1.0]);
/// ```
#[derive(Clone, Copy)]
pub struct VarSlice<'t, 'v, T> {
    tape: Option<&'t Tape<T>>,
    first: u32,
    values: &'v [T],
}

impl<'t, 'v, T: Float> VarSlice<'t, 'v, T> {
    /// Constants: values on no tape, with zero derivative with respect to everything.
    pub fn constant(values: &'v [T]) -> Self {
        VarSlice {
            tape: None,
            first: 0,
            values,
        }
    }

    pub(crate) fn recorded(tape: &'t Tape<T>, first: u32, values: &'v [T]) -> Self {
        VarSlice {
            tape: Some(tape),
            first,
            values,
        }
    }

    /// The number of variables.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Their values.
    pub fn values(&self) -> &'v [T] {
        self.values
    }

    /// The tape they are recorded on, `None` for constants.
    pub fn tape(&self) -> Option<&'t Tape<T>> {
        self.tape
    }

    /// Whether these are constants (on no tape).
    pub fn is_constant(&self) -> bool {
        self.tape.is_none()
    }

    /// The node index of the first variable (0 for constants).
    pub fn first(&self) -> u32 {
        self.first
    }

    /// Variable `i` as a [`Var`].
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    pub fn get(&self, i: usize) -> Var<'t, T> {
        let value = self.values[i];
        match self.tape {
            None => Var::constant(value),
            // `i < len`, and `first + len` fits in u32 since the tape recorded them.
            Some(tape) => Var::recorded(tape, self.first + i as u32, value),
        }
    }

    /// Each variable as a [`Var`], in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Var<'t, T>> + use<'t, 'v, T> {
        let slice = *self;
        (0..slice.len()).map(move |i| slice.get(i))
    }

    /// The variables `range` of this slice.
    ///
    /// # Panics
    ///
    /// If `range` is out of bounds.
    pub fn slice(&self, range: Range<usize>) -> Self {
        let values = &self.values[range.clone()];
        VarSlice {
            tape: self.tape,
            first: if self.tape.is_some() {
                self.first + range.start as u32
            } else {
                0
            },
            values,
        }
    }

    /// The product `y = W·x` with this slice as the row-major matrix `W` of
    /// `out.len()` rows and `x.len()` columns, recorded as one block of `out.len()`
    /// nodes; their values are written to `out`.
    ///
    /// Each `yⱼ` is the dot product of row `j` and `x` (summed in four lanes, as the
    /// closed-form backprop sums, so its rounding may differ from [`VarSlice::dot`]'s
    /// in the last bits). The block keeps `x`'s values when `W` has variables and `W`'s
    /// when `x` has, and its backward pass is the hand-written one: `∂L/∂W[j][k] +=
    /// ȳⱼ·xₖ`, `∂L/∂xₖ += Σⱼ ȳⱼ·W[j][k]`, rows with a zero adjoint skipped as the sweep
    /// skips zero adjoints. For a matrix stored input-major (one row per input), see
    /// [`VarSlice::matvec_transposed`].
    ///
    /// # Panics
    ///
    /// If this slice's length is not `out.len() · x.len()`, or `W` and `x` are variables
    /// of two different tapes.
    pub fn matvec<'o>(&self, x: VarSlice<'t, '_, T>, out: &'o mut [T]) -> VarSlice<'t, 'o, T> {
        let (rows, cols) = (out.len(), x.len());
        assert!(
            Some(self.len()) == rows.checked_mul(cols),
            "matvec needs a matrix of out.len() × x.len() = {rows} × {cols} entries, \
             not {}: pass an output buffer with one entry per row",
            self.len()
        );
        records::matvec(self.values, x.values, out);
        self.record_product(x, out, |cols, w, x, x_values, w_values| BlockOp::MatVec {
            cols,
            w,
            x,
            x_values,
            w_values,
        })
    }

    /// The transposed product `y = Wᵀ·x` with this slice as the matrix `W` stored
    /// input-major: `x.len()` rows of `out.len()` entries, row `k` holding the weights
    /// from input `k` to every output, so `yⱼ = Σₖ W[k][j]·xₖ`. Recorded, like
    /// [`VarSlice::matvec`], as one block of `out.len()` nodes whose values are written to
    /// `out`, keeping the same values (`x`'s when `W` has variables, `W`'s when `x`
    /// has), and with no copy or transpose of `W`.
    ///
    /// Forward and backward are each one pass over `W`, row by row: `yⱼ` sums its terms
    /// left to right over `k` (as a chain of scalar `+` nodes would, to the bit), and
    /// the backward pass is `∂L/∂W[k][j] += ȳⱼ·xₖ` and `∂L/∂xₖ += Σⱼ W[k][j]·ȳⱼ`, that
    /// sum taken in four lanes (so it may round differently from scalar nodes in the
    /// last bits). Outputs with a zero adjoint pass nothing on, as the sweep skips zero
    /// adjoints, so a NaN or infinite weight to an unused output stays out of the
    /// gradient.
    ///
    /// ```
    /// use gradproof::prelude::*;
    /// use gradproof::tape::VarSlice;
    ///
    /// let tape = Tape::new();
    /// // 3 inputs, 2 outputs, input-major: row k holds W[k][0], W[k][1].
    /// let w = tape.var_slice(&[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    /// let x = VarSlice::constant(&[1.0, 0.5, -1.0]);
    /// let mut y = [0.0; 2];
    /// let y = w.matvec_transposed(x, &mut y); // one record for both outputs
    /// // The same numbers as `matvec` over the row-major [1, 2, 3, 4, 5, 6].
    /// assert_eq!(y.values(), [-1.0, 0.5]);
    /// let loss = y.get(0) * 2.0 + y.get(1);
    ///
    /// let grad = tape.gradient(loss);
    /// let mut g = [0.0; 6];
    /// grad.copy_wrt_slice(&w, &mut g);
    /// // ∂loss/∂W[k][j] = cⱼ·xₖ with c = (2, 1), laid out as W is.
    /// assert_eq!(g, [2.0, 1.0, 1.0, 0.5, -2.0, -1.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// If this slice's length is not `x.len() · out.len()`, or `W` and `x` are
    /// variables of two different tapes.
    pub fn matvec_transposed<'o>(
        &self,
        x: VarSlice<'t, '_, T>,
        out: &'o mut [T],
    ) -> VarSlice<'t, 'o, T> {
        let (inputs, outputs) = (x.len(), out.len());
        assert!(
            Some(self.len()) == inputs.checked_mul(outputs),
            "matvec_transposed needs a matrix of x.len() × out.len() = {inputs} × {outputs} \
             entries, not {}: pass an output buffer with one entry per output (W stored \
             input-major, one row per input)",
            self.len()
        );
        records::matvec_t(self.values, x.values, out);
        self.record_product(x, out, |inputs, w, x, x_values, w_values| {
            BlockOp::MatVecT {
                inputs,
                w,
                x,
                x_values,
                w_values,
            }
        })
    }

    /// Records the product of this matrix and `x` as one block with the values `out`
    /// already holds; `op` makes the block from `x.len()`, the first nodes of the
    /// matrix and of `x` ([`records::NONE`] for constants), and where their kept values
    /// start.
    fn record_product<'o>(
        &self,
        x: VarSlice<'t, '_, T>,
        out: &'o [T],
        op: impl FnOnce(u32, u32, u32, u32, u32) -> BlockOp,
    ) -> VarSlice<'t, 'o, T> {
        let tape = match (self.tape, x.tape) {
            (None, None) => return VarSlice::constant(out),
            (Some(a), Some(b)) => same_tape(a, b),
            (Some(tape), None) | (None, Some(tape)) => tape,
        };
        let first = tape.with_records(|r| {
            let cols = u32::try_from(x.len()).expect(records::FULL);
            // Kept only for the operand whose gradient they give: x's values give W's.
            let x_values = if self.tape.is_some() {
                r.keep(x.values)
            } else {
                0
            };
            let w_values = if x.tape.is_some() {
                r.keep(self.values)
            } else {
                0
            };
            let op = op(
                cols,
                self.tape.map_or(records::NONE, |_| self.first),
                x.tape.map_or(records::NONE, |_| x.first),
                x_values,
                w_values,
            );
            r.push_block(out.len(), op)
        });
        VarSlice::recorded(tape, first, out)
    }

    /// `f` applied to each variable, writing the values to `out`. `f` must record one
    /// new node per element (a unary op such as `sigmoid`, `tanh`, `x * 2.0`), so that
    /// the results are consecutive variables again — or return constants only.
    ///
    /// # Panics
    ///
    /// If `out.len() != len()`, or the results are not consecutive variables of one
    /// tape (nor all constants).
    pub fn map<'o>(
        &self,
        out: &'o mut [T],
        mut f: impl FnMut(Var<'t, T>) -> Var<'t, T>,
    ) -> VarSlice<'t, 'o, T> {
        assert_eq!(
            out.len(),
            self.len(),
            "map needs an output buffer as long as the slice"
        );
        let mut run = Run::default();
        for (i, o) in out.iter_mut().enumerate() {
            let y = f(self.get(i));
            *o = y.value();
            run.push(y);
        }
        run.finish(out)
    }

    /// `f` applied to each pair of variables (`zip_map(b, out, |a, b| a + b)` adds two
    /// vectors), writing the values to `out`; `f` must record one new node per element,
    /// as for [`VarSlice::map`].
    ///
    /// # Panics
    ///
    /// If the lengths differ, or as [`VarSlice::map`].
    pub fn zip_map<'o>(
        &self,
        other: VarSlice<'t, '_, T>,
        out: &'o mut [T],
        mut f: impl FnMut(Var<'t, T>, Var<'t, T>) -> Var<'t, T>,
    ) -> VarSlice<'t, 'o, T> {
        assert!(
            out.len() == self.len() && other.len() == self.len(),
            "zip_map needs two slices and an output buffer of one length"
        );
        let mut run = Run::default();
        for (i, o) in out.iter_mut().enumerate() {
            let y = f(self.get(i), other.get(i));
            *o = y.value();
            run.push(y);
        }
        run.finish(out)
    }

    /// `Σ aₖ·bₖ` recorded as one node, as [`Var::dot`] records it (the same value and
    /// edges), without a vector of handles.
    ///
    /// # Panics
    ///
    /// If the lengths differ, or the slices are variables of two different tapes.
    pub fn dot(&self, other: VarSlice<'t, '_, T>) -> Var<'t, T> {
        assert_eq!(self.len(), other.len(), "dot needs slices of equal length");
        let (a, b) = (*self, other);
        let value = a
            .values
            .iter()
            .zip(b.values)
            .fold(T::zero(), |acc, (&x, &y)| acc + x * y);
        let tape = match (a.tape, b.tape) {
            (None, None) => return Var::constant(value),
            (Some(x), Some(y)) => same_tape(x, y),
            (Some(tape), None) | (None, Some(tape)) => tape,
        };
        let edges = (0..a.len()).flat_map(move |k| {
            let from_a = a.tape.map(|_| (a.first + k as u32, b.values[k]));
            let from_b = b.tape.map(|_| (b.first + k as u32, a.values[k]));
            from_a.into_iter().chain(from_b)
        });
        Var::recorded(tape, tape.push_edges(2 * a.len(), edges), value)
    }

    /// `Σ xₖ` recorded as one node, as [`Var::sum`] records it. The sum of an empty
    /// slice is the constant zero.
    pub fn sum(&self) -> Var<'t, T> {
        let value = self.values.iter().fold(T::zero(), |acc, &x| acc + x);
        match self.tape {
            Some(tape) if !self.is_empty() => {
                let first = self.first;
                let edges = (0..self.len() as u32).map(move |k| (first + k, T::one()));
                Var::recorded(tape, tape.push_edges(self.len(), edges), value)
            }
            _ => Var::constant(value),
        }
    }
}

/// The results of [`VarSlice::map`] and [`VarSlice::zip_map`], checked to be
/// consecutive variables of one tape or constants only.
struct Run<'t, T> {
    tape: Option<&'t Tape<T>>,
    first: u32,
    variables: usize,
    constants: usize,
}

impl<T> Default for Run<'_, T> {
    fn default() -> Self {
        Run {
            tape: None,
            first: 0,
            variables: 0,
            constants: 0,
        }
    }
}

const NOT_A_RUN: &str = "map and zip_map need f to record exactly one new node per element \
                         (or to return constants only), so that the results are consecutive \
                         variables: split f into several maps";

impl<'t, T: Float> Run<'t, T> {
    fn push(&mut self, y: Var<'t, T>) {
        match (y.tape(), self.tape) {
            (None, _) => self.constants += 1,
            (Some(tape), None) => {
                self.tape = Some(tape);
                self.first = y.index();
                self.variables = 1;
            }
            (Some(tape), Some(run)) => {
                same_tape(run, tape);
                assert!(
                    y.index() as usize == self.first as usize + self.variables,
                    "{NOT_A_RUN}"
                );
                self.variables += 1;
            }
        }
    }

    fn finish<'v>(self, values: &'v [T]) -> VarSlice<'t, 'v, T> {
        match self.tape {
            None => VarSlice::constant(values),
            Some(tape) => {
                assert!(self.constants == 0, "{NOT_A_RUN}");
                VarSlice::recorded(tape, self.first, values)
            }
        }
    }
}

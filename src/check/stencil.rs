//! Finite-difference stencils of increasing order: forward, backward, central, and the
//! fourth- and sixth-order central stencils, each with the step that balances its
//! truncation error against rounding.

use num_traits::Float;

/// A finite-difference formula for one partial derivative.
///
/// The order `p` says how the truncation error shrinks with the step: `O(hᵖ)`. A higher
/// order buys accuracy with more evaluations: the error of the best step is about
/// `ε^(p/(p+1))` in units of the function's scale (`ε` the type's epsilon), so
/// `1.5e-8`, `3.7e-11`, `7.6e-14`, `5.4e-14`… in f64 for orders 1, 2, 4, 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stencil {
    /// `(f(x + h) − f(x)) / h`, order 1: two evaluations, one of them shared.
    Forward,
    /// `(f(x) − f(x − h)) / h`, order 1.
    Backward,
    /// `(f(x + h) − f(x − h)) / 2h`, order 2.
    Central,
    /// `(−f(x + 2h) + 8f(x + h) − 8f(x − h) + f(x − 2h)) / 12h`, order 4.
    Central4,
    /// The six-point central stencil, order 6.
    Central6,
}

impl Stencil {
    /// The order `p` of the truncation error `O(hᵖ)`.
    pub fn order(self) -> i32 {
        match self {
            Stencil::Forward | Stencil::Backward => 1,
            Stencil::Central => 2,
            Stencil::Central4 => 4,
            Stencil::Central6 => 6,
        }
    }

    /// The offsets (in units of `h`) and weights (to be divided by `h`) of the stencil.
    fn points(self) -> &'static [(i32, f64)] {
        match self {
            Stencil::Forward => &[(1, 1.0), (0, -1.0)],
            Stencil::Backward => &[(0, 1.0), (-1, -1.0)],
            Stencil::Central => &[(1, 0.5), (-1, -0.5)],
            Stencil::Central4 => &[
                (2, -1.0 / 12.0),
                (1, 8.0 / 12.0),
                (-1, -8.0 / 12.0),
                (-2, 1.0 / 12.0),
            ],
            Stencil::Central6 => &[
                (3, 1.0 / 60.0),
                (2, -9.0 / 60.0),
                (1, 45.0 / 60.0),
                (-1, -45.0 / 60.0),
                (-2, 9.0 / 60.0),
                (-3, -1.0 / 60.0),
            ],
        }
    }

    /// The step for this stencil at a coordinate of value `x`:
    /// `ε^(1/(p+1)) · max(1, |x|)`.
    ///
    /// Truncation error grows like `hᵖ` and rounding error like `ε·|f|/h`; their sum is
    /// smallest near `h = ε^(1/(p+1))` in units of the coordinate's scale. The scale is
    /// `|x|`, but never below 1, so a coordinate at zero still gets a usable step.
    pub fn step<T: Float>(self, x: T) -> T {
        let p = T::from(self.order() + 1).unwrap_or_else(T::one);
        T::epsilon().powf(p.recip()) * x.abs().max(T::one())
    }

    /// The difference quotient of `f` in coordinate `i` at `x` with step `h`.
    ///
    /// The step is first rounded to `(x + h) − x`, a number exactly representable as an
    /// offset of `x`, so that the rounding of `x + h` does not enter the quotient.
    ///
    /// ```
    /// use gradproof::check::Stencil;
    ///
    /// let f = |x: &[f64]| x[0].exp();
    /// let h = Stencil::Central4.step(1.0);
    /// let d = Stencil::Central4.difference(f, &[1.0], 0, h);
    /// assert!((d - 1.0_f64.exp()).abs() < 1e-12);
    /// ```
    ///
    /// # Panics
    ///
    /// If `i` is out of range for `x`.
    pub fn difference<T: Float>(self, f: impl Fn(&[T]) -> T, x: &[T], i: usize, h: T) -> T {
        self.difference_vector(|p| vec![f(p)], x, i, h)[0]
    }

    /// The difference quotient, for every output of a vector function, in coordinate `i`.
    ///
    /// # Panics
    ///
    /// If `i` is out of range for `x`.
    pub fn difference_vector<T: Float>(
        self,
        f: impl Fn(&[T]) -> Vec<T>,
        x: &[T],
        i: usize,
        h: T,
    ) -> Vec<T> {
        let h = (x[i] + h) - x[i];
        let mut point = x.to_vec();
        let mut sum: Vec<T> = Vec::new();
        for &(offset, weight) in self.points() {
            point[i] = x[i] + T::from(offset).unwrap_or_else(T::nan) * h;
            let values = f(&point);
            let weight = T::from(weight).unwrap_or_else(T::nan);
            if sum.is_empty() {
                sum = vec![T::zero(); values.len()];
            }
            for (s, v) in sum.iter_mut().zip(values) {
                *s = *s + weight * v;
            }
        }
        sum.into_iter().map(|s| s / h).collect()
    }

    /// The gradient of `f` at `x` with this stencil, each coordinate with its own
    /// [`Stencil::step`].
    pub fn gradient<T: Float>(self, f: impl Fn(&[T]) -> T, x: &[T]) -> Vec<T> {
        (0..x.len())
            .map(|i| self.difference(&f, x, i, self.step(x[i])))
            .collect()
    }

    /// The Jacobian of a vector function at `x`, one row per output: `J[k][i] = ∂fₖ/∂xᵢ`.
    pub fn jacobian<T: Float>(self, f: impl Fn(&[T]) -> Vec<T>, x: &[T]) -> Vec<Vec<T>> {
        let columns: Vec<Vec<T>> = (0..x.len())
            .map(|i| self.difference_vector(&f, x, i, self.step(x[i])))
            .collect();
        transpose(&columns, || f(x).len())
    }
}

/// Rows of a Jacobian from its columns; `outputs` gives the row count when there are no
/// columns (a function of no inputs).
pub(crate) fn transpose<T: Copy>(
    columns: &[Vec<T>],
    outputs: impl FnOnce() -> usize,
) -> Vec<Vec<T>> {
    let rows = columns.first().map_or_else(outputs, Vec::len);
    (0..rows)
        .map(|k| columns.iter().map(|column| column[k]).collect())
        .collect()
}

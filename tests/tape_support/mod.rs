//! The reference the tape is checked against: a central difference with an error bound
//! derived from its step, and the small helpers the tape tests share.
//!
//! Not every test file uses every helper, hence the `dead_code` allowance.
#![allow(dead_code)]

use gradproof::check::{central_difference, central_step};
use num_traits::Float;

/// How many units of `ε·|f|` one evaluation of an elementary op may be off: library
/// functions are within 1–2 ulp (an ulp of `y` is at most `ε·|y|`), `powi` multiplies
/// repeatedly and `log(b)` divides two logarithms, so 4 covers every single op here.
pub const OP_ULPS: f64 = 4.0;

/// `k·ε` in the float type.
pub fn ulps<T: Float>(k: f64) -> T {
    T::from(k).expect("a small constant") * T::epsilon()
}

/// A central difference in coordinate `i` and a bound on how far it may be from the true
/// derivative.
///
/// With `D(h) = (f(x + h) − f(x − h)) / 2h` (the step as actually taken):
///
/// - truncation: `D(h) − f′(x) = h²·f‴/6 + O(h⁴)`. `f‴` is not known in general, so it
///   is estimated by Richardson's rule: `D(2h) − D(h) = h²·f‴/2 + O(h⁴)`, hence
///   `|D(h) − f′(x)| ≈ |D(2h) − D(h)| / 3`;
/// - rounding: `f` is evaluated with absolute error at most `err(x)` (the caller's bound,
///   e.g. `OP_ULPS·ε·|f|` for one op), so the quotient is off by at most
///   `(err(x + h) + err(x − h)) / 2h`.
///
/// The tape's derivative itself carries a few roundings of its own (`8ε·|g|`: a partial
/// computed from the operands with up to four roundings, times the adjoint). The
/// tolerance is `2·(truncation + rounding) + 8ε·|g|`; the factor 2 covers the `O(h⁴)`
/// remainder of the Richardson estimate and the change of `f‴` across `[x − 2h, x + 2h]`.
/// Nothing in it depends on the tape: a wrong rule is off by `O(|f′|)`, far outside it.
#[derive(Clone, Copy, Debug)]
pub struct Reference<T> {
    pub derivative: T,
    pub truncation: T,
    pub rounding: T,
}

impl<T: Float> Reference<T> {
    /// The reference for `∂f/∂xᵢ` at `x`, with the step [`central_step`] chooses.
    pub fn new(f: impl Fn(&[T]) -> T, err: impl Fn(&[T]) -> T, x: &[T], i: usize) -> Self {
        let h = central_step(x[i]);
        let near = central_difference(&f, x, i, h);
        let far = central_difference(&f, x, i, h + h);
        let three = T::from(3.0).expect("a small constant");
        let mut point = x.to_vec();
        point[i] = x[i] + h;
        let err_plus = err(&point);
        point[i] = x[i] - h;
        let err_minus = err(&point);
        let step = (x[i] + h) - (x[i] - h);
        Reference {
            derivative: near,
            truncation: (far - near).abs() / three,
            rounding: (err_plus + err_minus) / step,
        }
    }

    /// How far a correct derivative `tape` may be from [`Reference::derivative`].
    pub fn tolerance(&self, tape: T) -> T {
        let two = T::one() + T::one();
        two * (self.truncation + self.rounding) + ulps::<T>(8.0) * tape.abs()
    }

    /// Whether `tape` is within the tolerance (false for NaN).
    pub fn agrees(&self, tape: T) -> bool {
        (tape - self.derivative).abs() <= self.tolerance(tape)
    }
}

/// Bit-for-bit equality, so `-0.0 ≠ 0.0`; any NaN equals any NaN, since Rust does not
/// specify the sign and payload of a NaN an operation returns.
pub fn same_bits<T: Float>(a: T, b: T) -> bool {
    (a.is_nan() && b.is_nan()) || (!a.is_nan() && a.integer_decode() == b.integer_decode())
}

/// Maps `unit ∈ [0, 1]` onto `[lo, hi]`, in the float type.
pub fn in_domain<T: Float>(unit: f64, (lo, hi): (f64, f64)) -> T {
    T::from(lo + unit * (hi - lo)).expect("a finite domain")
}

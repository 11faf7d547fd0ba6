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
/// remainder of the Richardson estimate and the change of `f‴` across `[x − 4h, x + 4h]`.
/// Nothing in it depends on the tape: a wrong rule is off by `O(|f′|)`, far outside it.
///
/// The estimate holds only where the step is small against the scale on which `f`
/// changes (the Taylor series converges over the stencil). [`Reference::is_asymptotic`]
/// checks that with a third step: there `D(4h) − D(2h) = 4·(D(2h) − D(h))`.
#[derive(Clone, Copy, Debug)]
pub struct Reference<T> {
    pub derivative: T,
    pub truncation: T,
    pub rounding: T,
    /// `D(2h) − D(h)` and `D(4h) − D(2h)`.
    near_gap: T,
    far_gap: T,
}

impl<T: Float> Reference<T> {
    /// The reference for `∂f/∂xᵢ` at `x`, with the step [`central_step`] chooses.
    pub fn new(f: impl Fn(&[T]) -> T, err: impl Fn(&[T]) -> T, x: &[T], i: usize) -> Self {
        let h = central_step(x[i]);
        let d1 = central_difference(&f, x, i, h);
        let d2 = central_difference(&f, x, i, h + h);
        let d4 = central_difference(&f, x, i, (h + h) + (h + h));
        let mut point = x.to_vec();
        point[i] = x[i] + h;
        let err_plus = err(&point);
        point[i] = x[i] - h;
        let err_minus = err(&point);
        let step = (x[i] + h) - (x[i] - h);
        Reference {
            derivative: d1,
            truncation: (d2 - d1).abs() / constant(3.0),
            rounding: (err_plus + err_minus) / step,
            near_gap: d2 - d1,
            far_gap: d4 - d2,
        }
    }

    /// Whether the step is in the asymptotic regime the truncation estimate assumes:
    /// `D(4h) − D(2h) = 4·(D(2h) − D(h))` within half the gap, plus the rounding noise
    /// the two gaps can carry (`(1 + ½) + 4·(½ + ¼) < 7` times the rounding bound at
    /// `h`).
    pub fn is_asymptotic(&self) -> bool {
        let four = constant::<T>(4.0);
        (self.far_gap - four * self.near_gap).abs()
            <= constant::<T>(2.0) * self.near_gap.abs() + constant::<T>(7.0) * self.rounding
    }

    /// How far a correct derivative `tape` may be from [`Reference::derivative`].
    pub fn tolerance(&self, tape: T) -> T {
        constant::<T>(2.0) * (self.truncation + self.rounding) + ulps::<T>(8.0) * tape.abs()
    }

    /// Whether `tape` is within the tolerance (false for NaN).
    pub fn agrees(&self, tape: T) -> bool {
        (tape - self.derivative).abs() <= self.tolerance(tape)
    }
}

fn constant<T: Float>(v: f64) -> T {
    T::from(v).expect("a small constant")
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

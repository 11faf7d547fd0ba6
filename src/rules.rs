//! The rules table: each elementary operation's value and its local partial derivatives,
//! written side by side, once.
//!
//! Every rule here is a plain function of the operands' values, generic over
//! [`num_traits::Float`], and knows nothing of either mode of differentiation. Both stand
//! on it side by side: the tape ([`Var`](crate::Var)) records the partials these
//! functions return, and forward mode's [`Dual`](crate::dual::Dual) chains them into its
//! derivative part (through the operators `crate::differentiable` generates for both),
//! so the two modes cannot disagree about a derivative or a convention. Adding an op
//! touches this file and one line where the op is exposed.
//!
//! # Conventions where the derivative is not defined
//!
//! These are summarised on [`Var`](crate::Var) for users and tested in
//! `tests/tape_conventions.rs`.
//!
//! - `relu'(0) = 0` and `abs'(0) = 0` (also at `-0.0`): the subgradient PyTorch and JAX
//!   also pick, so a kink contributes nothing rather than an arbitrary side.
//! - `max`/`min` at a tie send the whole derivative to the left operand. A NaN operand
//!   is ignored, as `f64::max` ignores it: the value is the other operand, and so is the
//!   derivative. When both are NaN the value is NaN and the derivative goes left.
//! - `ln x` for `x < 0` is NaN with a NaN partial; `ln 0 = -inf` with partial `+inf`,
//!   also at `-0.0` (the one-sided derivative from inside the domain, not `1/(-0.0)`);
//!   the same for `log2` and `log10`. `sqrt 0 = 0` with partial `+inf`, also at `-0.0`.
//!   Non-finite values flow through and are reported by the checks; they are never
//!   silently replaced.
//! - `x.powf(y)`: `∂/∂x = y·x^(y−1)` (0 where `y = 0`); `∂/∂y = x^y·ln x`, which is NaN
//!   for `x < 0` (the power is not defined along `y` there), while `∂/∂x` stays finite
//!   for an integer `y`. At `x = 0` and `y ≥ 0` the partial `∂/∂y` is `0`, as in PyTorch
//!   and JAX: `0^y = 0` for every `y > 0`, and at `0^0 = 1` the function jumps, so no
//!   side is better than the constant one (rather than `1·ln 0 = -inf`).
//! - `x.powi(0) = 1` with partial `0`, also at `x = 0`.
//! - Outside an op's domain the value is NaN and so is every partial: `sqrt`, `ln`,
//!   `log2`, `log10`, `ln_1p`, `asin`, `acos`, `acosh` (also for `x ≤ −1`, where the
//!   formula `1/√(x² − 1)` would be finite), `atanh` (`|x| > 1`, likewise), `powf` of a
//!   negative base with a non-integer exponent, and `%` by zero or of an infinity.
//! - `hypot(0, 0)` and `atan2(0, 0)` have NaN partials: a cone and a singular point,
//!   not differentiable, so they are reported rather than given a convention.
//! - NaN in gives NaN out, value and partial (`relu(NaN)`, `abs(NaN)` included), except
//!   for `max`/`min` (above) and the piecewise-constant functions (below).
//! - Piecewise-constant functions (`floor`, `ceil`, `round`, `trunc`, `signum`) have
//!   partial `0`, NaN input included; their jumps are not differentiable and are not
//!   flagged by the tape.
//!
//! The sweep skips a node whose adjoint is exactly zero, so a branch the output does not
//! use (the losing side of a `max`, a factor multiplied by a constant zero) passes on
//! nothing, even where its own partials are infinite or NaN (`0·∞` would be NaN). A
//! NaN or infinite partial on a used path does reach the gradient.

use num_traits::Float;

/// A unary rule's result: the value and `d value / d x`.
pub(crate) type Unary<T> = (T, T);
/// A binary rule's result: the value, `∂/∂a` and `∂/∂b`.
pub(crate) type Binary<T> = (T, T, T);
/// A ternary rule's result: the value, `∂/∂a`, `∂/∂b` and `∂/∂c`.
pub(crate) type Ternary<T> = (T, T, T, T);

pub(crate) fn add<T: Float>(a: T, b: T) -> Binary<T> {
    (a + b, T::one(), T::one())
}

pub(crate) fn sub<T: Float>(a: T, b: T) -> Binary<T> {
    (a - b, T::one(), -T::one())
}

pub(crate) fn mul<T: Float>(a: T, b: T) -> Binary<T> {
    (a * b, b, a)
}

pub(crate) fn div<T: Float>(a: T, b: T) -> Binary<T> {
    let q = a / b;
    // ∂(a/b)/∂b = −a/b² written as −q/b, so that a constant numerator (`c / x`) and a
    // variable one take the same path.
    (q, b.recip(), -q / b)
}

/// `a % b` as `a − trunc(a/b)·b`, the definition Rust's `%` on floats follows.
pub(crate) fn rem<T: Float>(a: T, b: T) -> Binary<T> {
    let r = a % b;
    if r.is_nan() {
        // x % 0 and ∞ % y: outside the domain, so no partial either (not ∓∞ from
        // trunc(a/b)).
        (r, r, r)
    } else {
        (r, T::one(), -(a / b).trunc())
    }
}

pub(crate) fn powf<T: Float>(a: T, b: T) -> Binary<T> {
    let v = a.powf(b);
    let da = if b == T::zero() {
        T::zero()
    } else {
        b * a.powf(b - T::one())
    };
    let db = if a == T::zero() && b >= T::zero() {
        T::zero()
    } else {
        v * a.ln()
    };
    (v, da, db)
}

/// `a·b + c` with one rounding, as the plain float's `mul_add` computes it (an unfused
/// `a * b + c` would carry a different value than the same code on plain floats).
pub(crate) fn mul_add<T: Float>(a: T, b: T, c: T) -> Ternary<T> {
    (a.mul_add(b, c), b, a, T::one())
}

pub(crate) fn atan2<T: Float>(a: T, b: T) -> Binary<T> {
    // b/(a² + b²) as (b/h)/h with h = hypot(a, b): a² + b² would overflow or underflow
    // for arguments beyond the square root of the float's range.
    let h = a.hypot(b);
    (a.atan2(b), b / h / h, -a / h / h)
}

pub(crate) fn hypot<T: Float>(a: T, b: T) -> Binary<T> {
    let h = a.hypot(b);
    (h, a / h, b / h)
}

/// The value is the float's own `max` (which may return either zero for `max(-0.0, 0.0)`,
/// depending on the platform), so a `Var` carries the same bits; the derivative follows
/// the tie rule: the left operand takes it unless the right one is strictly larger.
pub(crate) fn max<T: Float>(a: T, b: T) -> Binary<T> {
    if a >= b || b.is_nan() {
        (a.max(b), T::one(), T::zero())
    } else {
        (a.max(b), T::zero(), T::one())
    }
}

/// The float's own `min` for the value; the left operand takes the derivative at a tie.
pub(crate) fn min<T: Float>(a: T, b: T) -> Binary<T> {
    if a <= b || b.is_nan() {
        (a.min(b), T::one(), T::zero())
    } else {
        (a.min(b), T::zero(), T::one())
    }
}

pub(crate) fn neg<T: Float>(x: T) -> Unary<T> {
    (-x, -T::one())
}

pub(crate) fn recip<T: Float>(x: T) -> Unary<T> {
    let r = x.recip();
    (r, -r * r)
}

pub(crate) fn powi<T: Float>(x: T, n: i32) -> Unary<T> {
    let d = if n == 0 {
        T::zero()
    } else {
        // n as T is exact for every i32 in f64 and for |n| < 2^24 in f32.
        T::from(n).unwrap_or_else(T::nan) * x.powi(n - 1)
    };
    (x.powi(n), d)
}

pub(crate) fn exp<T: Float>(x: T) -> Unary<T> {
    let v = x.exp();
    (v, v)
}

pub(crate) fn exp2<T: Float>(x: T) -> Unary<T> {
    let v = x.exp2();
    (
        v,
        v * T::from(std::f64::consts::LN_2).unwrap_or_else(T::nan),
    )
}

pub(crate) fn exp_m1<T: Float>(x: T) -> Unary<T> {
    (x.exp_m1(), x.exp())
}

pub(crate) fn ln<T: Float>(x: T) -> Unary<T> {
    let d = if x < T::zero() {
        T::nan()
    } else if x == T::zero() {
        // Not 1/(-0.0) = -inf at x = -0.0: the derivative from inside the domain.
        T::infinity()
    } else {
        x.recip()
    };
    (x.ln(), d)
}

pub(crate) fn ln_1p<T: Float>(x: T) -> Unary<T> {
    let d = if x < -T::one() {
        T::nan()
    } else {
        (T::one() + x).recip()
    };
    (x.ln_1p(), d)
}

pub(crate) fn log2<T: Float>(x: T) -> Unary<T> {
    let (_, d) = ln(x);
    (
        x.log2(),
        d / T::from(std::f64::consts::LN_2).unwrap_or_else(T::nan),
    )
}

pub(crate) fn log10<T: Float>(x: T) -> Unary<T> {
    let (_, d) = ln(x);
    (
        x.log10(),
        d / T::from(std::f64::consts::LN_10).unwrap_or_else(T::nan),
    )
}

pub(crate) fn sqrt<T: Float>(x: T) -> Unary<T> {
    let s = x.sqrt();
    // sqrt(-0.0) is -0.0, whose 1/(2s) would be -inf: the derivative is +inf from inside
    // the domain either way.
    let d = if s == T::zero() {
        T::infinity()
    } else {
        (s + s).recip()
    };
    (s, d)
}

pub(crate) fn cbrt<T: Float>(x: T) -> Unary<T> {
    let c = x.cbrt();
    let three = T::one() + T::one() + T::one();
    (c, (three * c * c).recip())
}

/// The logistic function `σ(x) = 1 / (1 + e^(−x))`, with `σ' = σ(1 − σ)` as the
/// document derives it. Evaluated without overflow for large `|x|`.
pub(crate) fn sigmoid<T: Float>(x: T) -> Unary<T> {
    let s = if x >= T::zero() {
        (T::one() + (-x).exp()).recip()
    } else {
        let e = x.exp();
        e / (T::one() + e)
    };
    (s, s * (T::one() - s))
}

pub(crate) fn relu<T: Float>(x: T) -> Unary<T> {
    if x > T::zero() {
        (x, T::one())
    } else if x.is_nan() {
        (x, x)
    } else {
        (T::zero(), T::zero())
    }
}

pub(crate) fn abs<T: Float>(x: T) -> Unary<T> {
    let d = if x > T::zero() {
        T::one()
    } else if x < T::zero() {
        -T::one()
    } else if x.is_nan() {
        x
    } else {
        T::zero()
    };
    (x.abs(), d)
}

pub(crate) fn sin<T: Float>(x: T) -> Unary<T> {
    let (s, c) = x.sin_cos();
    (s, c)
}

pub(crate) fn cos<T: Float>(x: T) -> Unary<T> {
    let (s, c) = x.sin_cos();
    (c, -s)
}

pub(crate) fn tan<T: Float>(x: T) -> Unary<T> {
    let t = x.tan();
    (t, T::one() + t * t)
}

/// `1 − x²` as `(1 − x)(1 + x)`: near `|x| = 1` the factor that vanishes is computed
/// exactly (Sterbenz), where `1 − x·x` would cancel the digits of `x·x` away.
fn one_minus_square<T: Float>(x: T) -> T {
    (T::one() - x) * (T::one() + x)
}

pub(crate) fn asin<T: Float>(x: T) -> Unary<T> {
    (x.asin(), one_minus_square(x).sqrt().recip())
}

pub(crate) fn acos<T: Float>(x: T) -> Unary<T> {
    (x.acos(), -one_minus_square(x).sqrt().recip())
}

pub(crate) fn atan<T: Float>(x: T) -> Unary<T> {
    // 1/(1 + x²) as r² with r = 1/hypot(x, 1): no overflow of x² for huge x.
    let r = x.hypot(T::one()).recip();
    (x.atan(), r * r)
}

pub(crate) fn sinh<T: Float>(x: T) -> Unary<T> {
    (x.sinh(), x.cosh())
}

pub(crate) fn cosh<T: Float>(x: T) -> Unary<T> {
    (x.cosh(), x.sinh())
}

pub(crate) fn tanh<T: Float>(x: T) -> Unary<T> {
    let t = x.tanh();
    (t, T::one() - t * t)
}

pub(crate) fn asinh<T: Float>(x: T) -> Unary<T> {
    // hypot(x, 1) = √(x² + 1) without overflowing x² for huge x.
    (x.asinh(), x.hypot(T::one()).recip())
}

pub(crate) fn acosh<T: Float>(x: T) -> Unary<T> {
    // For x ≤ −1 the formula 1/√(x² − 1) is finite, but acosh is not defined there.
    let d = if x < T::one() {
        T::nan()
    } else {
        // √(x − 1)·√(x + 1): exact x − 1 next to 1, no overflowing x² for huge x.
        ((x - T::one()).sqrt() * (x + T::one()).sqrt()).recip()
    };
    (x.acosh(), d)
}

pub(crate) fn atanh<T: Float>(x: T) -> Unary<T> {
    // For |x| > 1 the formula 1/(1 − x²) is finite, but atanh is not defined there.
    let d = if x.abs() > T::one() {
        T::nan()
    } else {
        one_minus_square(x).recip()
    };
    (x.atanh(), d)
}

/// Piecewise-constant functions: the derivative is zero wherever it exists.
pub(crate) fn flat<T: Float>(v: T) -> Unary<T> {
    (v, T::zero())
}

//! What forward mode computes for a user's [`Function`]: directional derivatives,
//! Jacobian-vector products, and (over the tape) Hessian-vector products.

use num_traits::Float;

use super::{Dual, Function, VectorFunction};
use crate::tape::Tape;

/// Seeds `x + v·ε`.
fn seed<T: Float>(x: &[T], v: &[T]) -> Vec<Dual<T>> {
    assert_eq!(
        x.len(),
        v.len(),
        "a direction needs one component per coordinate of the point"
    );
    x.iter().zip(v).map(|(&a, &b)| Dual::new(a, b)).collect()
}

/// `(f(x), ∇f(x)·v)`: the value and the derivative along `v`, exact up to rounding, in
/// one forward evaluation.
///
/// ```
/// use gradproof::dual::directional;
/// use gradproof::prelude::*;
///
/// let f = gradproof::function!(<S> |x| x[0] * x[1].exp());
/// let (value, slope) = directional(&f, &[2.0, 0.0], &[1.0, 1.0]);
/// assert_eq!(value, 2.0);
/// assert_eq!(slope, 1.0 + 2.0); // ∂f/∂x₀ + ∂f/∂x₁
/// ```
///
/// # Panics
///
/// If `x` and `v` differ in length.
pub fn directional<T: Float>(f: &impl Function, x: &[T], v: &[T]) -> (T, T) {
    let y = f.eval(&seed(x, v));
    (y.re, y.eps)
}

/// `(f(x), J(x)·v)` for a vector function: every output's derivative along `v`.
///
/// # Panics
///
/// If `x` and `v` differ in length.
pub fn jvp<T: Float>(f: &impl VectorFunction, x: &[T], v: &[T]) -> (Vec<T>, Vec<T>) {
    f.eval(&seed(x, v))
        .into_iter()
        .map(|y| (y.re, y.eps))
        .unzip()
}

/// The value, gradient and Hessian-vector product of a function at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Hvp<T> {
    /// `f(x)`.
    pub value: T,
    /// `∇f(x)`.
    pub gradient: Vec<T>,
    /// `∇²f(x)·v`.
    pub hessian_vector: Vec<T>,
}

/// The Hessian-vector product `∇²f(x)·v`, by forward-over-reverse: `f` is recorded on a
/// tape whose numbers are duals seeded `x + v·ε`; the reverse sweep's adjoints are then
/// `∇f(x + v·ε) = ∇f(x) + ∇²f(x)·v·ε`. One recording and one sweep, exact up to
/// rounding, without forming the Hessian.
///
/// ```
/// use gradproof::dual::hvp;
/// use gradproof::prelude::*;
///
/// // f = x₀²·x₁: ∇²f = [[2x₁, 2x₀], [2x₀, 0]].
/// let f = gradproof::function!(<S> |x| x[0] * x[0] * x[1]);
/// let h = hvp(&f, &[3.0, 2.0], &[1.0, 0.0]);
/// assert_eq!(h.gradient, vec![12.0, 9.0]);
/// assert_eq!(h.hessian_vector, vec![4.0, 6.0]);
/// ```
///
/// # Panics
///
/// If `x` and `v` differ in length.
pub fn hvp<T: Float>(f: &impl Function, x: &[T], v: &[T]) -> Hvp<T> {
    let tape: Tape<Dual<T>> = Tape::new();
    let vars = tape.vars(&seed(x, v));
    let y = f.eval(&vars);
    let adjoints = tape.gradient(y).wrt_all(&vars);
    Hvp {
        value: y.value().re,
        gradient: adjoints.iter().map(|a| a.re).collect(),
        hessian_vector: adjoints.iter().map(|a| a.eps).collect(),
    }
}

//! How a user's function meets every number type: a trait with one generic method.
//!
//! A checker must run the same code on `f64` (finite differences), on [`Dual`] numbers
//! (forward mode), on tape variables [`Var`](crate::Var) (reverse mode) and on tape
//! variables over dual numbers (Hessian-vector products). A Rust closure has one
//! concrete argument type, and a `fn` item passed as a value is instantiated at one type
//! too, so neither can be handed over once and called at four types. A trait whose
//! method is generic can: the user writes the body once, for every `S: Scalar`, and the
//! checker picks `S`. A unit struct implementing the trait is the whole cost; the
//! [`function!`](crate::function) macro writes it from a generic `fn` or from a
//! closure-like body. A struct with fields carries data (inputs, targets) that is not
//! differentiated.
//!
//! The trait is not object-safe (its method is generic); checks take `&impl Function`.
//!
//! [`Dual`]: super::Dual

use crate::scalar::Scalar;

/// A scalar function of a vector, written once for every number type.
///
/// Data the function closes over lives in the implementing struct; turn an `f64` into
/// the number type with `S::from(v).unwrap()` (never `None` for `f64` data, and a
/// constant, not a variable, on the tape and in forward mode).
///
/// ```
/// use gradproof::dual::Function;
/// use gradproof::prelude::*;
///
/// /// `½ (y − σ(w·x))²` for one sample: the sample is data, the weights are variables.
/// struct Neuron {
///     x: Vec<f64>,
///     y: f64,
/// }
///
/// impl Function for Neuron {
///     fn eval<S: Scalar>(&self, w: &[S]) -> S {
///         let x: Vec<S> = self.x.iter().map(|&v| S::from(v).unwrap()).collect();
///         let e = S::from(self.y).unwrap() - S::dot(w, &x).sigmoid();
///         S::from(0.5).unwrap() * e * e
///     }
/// }
///
/// let loss = Neuron { x: vec![1.0, -2.0], y: 0.25 };
/// // The same code at f64, forward mode and on the tape:
/// let w = [0.5, 0.1];
/// let value = loss.eval(&w);
/// let (_, slope) = gradproof::dual::directional(&loss, &w, &[1.0, 0.0]);
/// let tape = Tape::new();
/// let vars = tape.vars(&w);
/// let grad = tape.gradient(loss.eval(&vars)).wrt_all(&vars);
/// assert_eq!(loss.eval(&vars).value(), value);
/// assert!((slope - grad[0]).abs() < 1e-15);
/// ```
pub trait Function {
    /// The value at `x`, computed in the number type `S`.
    fn eval<S: Scalar>(&self, x: &[S]) -> S;
}

/// A vector function of a vector (a layer, a whole network's outputs), written once for
/// every number type; the Jacobian checks take it.
pub trait VectorFunction {
    /// The outputs at `x`, computed in the number type `S`.
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S>;
}

impl<F: Function + ?Sized> Function for &F {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        (**self).eval(x)
    }
}

impl<F: VectorFunction + ?Sized> VectorFunction for &F {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        (**self).eval(x)
    }
}

/// A [`Function`] from a generic `fn` or from a body generic in a named type.
///
/// - `function!(path)` for `fn path<S: Scalar>(x: &[S]) -> S`;
/// - `function!(<S> |x| body)`, a closure-like body in which `S` is the number type.
///   Like a `fn` item, it cannot capture local variables (the compiler says so); put
///   data in a struct that implements [`Function`] instead.
///
/// Each use makes a new unit struct, so the value costs nothing to build or pass.
///
/// ```
/// use gradproof::prelude::*;
///
/// fn rosenbrock<S: Scalar>(x: &[S]) -> S {
///     let one = S::one();
///     let hundred = S::from(100.0).unwrap();
///     (one - x[0]).powi(2) + hundred * (x[1] - x[0] * x[0]).powi(2)
/// }
///
/// let f = gradproof::function!(rosenbrock);
/// let (_, slope) = gradproof::dual::directional(&f, &[-1.2, 1.0], &[0.0, 1.0]);
/// assert!((slope - 200.0 * (1.0 - 1.44)).abs() < 1e-12);
///
/// let g = gradproof::function!(<S> |x| (x[0] * x[1]).sin() + S::from(2.0).unwrap() * x[1]);
/// let (_, slope) = gradproof::dual::directional(&g, &[0.0, 0.7], &[1.0, 0.0]);
/// assert_eq!(slope, 0.7);
/// ```
#[macro_export]
macro_rules! function {
    (<$S:ident> |$x:ident| $body:expr) => {{
        struct Generic;
        impl $crate::dual::Function for Generic {
            fn eval<$S: $crate::Scalar>(&self, $x: &[$S]) -> $S {
                $body
            }
        }
        Generic
    }};
    ($f:path) => {{
        struct Generic;
        impl $crate::dual::Function for Generic {
            fn eval<S: $crate::Scalar>(&self, x: &[S]) -> S {
                $f(x)
            }
        }
        Generic
    }};
}

/// A [`VectorFunction`] from a generic `fn` or a body generic in a named type, as
/// [`function!`](crate::function) makes a [`Function`].
///
/// ```
/// use gradproof::prelude::*;
///
/// let f = gradproof::vector_function!(<S> |x| vec![x[0] * x[1], x[0].sin()]);
/// let (_, tangent) = gradproof::dual::jvp(&f, &[0.0, 0.7], &[1.0, 0.0]);
/// assert_eq!(tangent, vec![0.7, 1.0]);
/// ```
#[macro_export]
macro_rules! vector_function {
    (<$S:ident> |$x:ident| $body:expr) => {{
        struct Generic;
        impl $crate::dual::VectorFunction for Generic {
            fn eval<$S: $crate::Scalar>(&self, $x: &[$S]) -> Vec<$S> {
                $body
            }
        }
        Generic
    }};
    ($f:path) => {{
        struct Generic;
        impl $crate::dual::VectorFunction for Generic {
            fn eval<S: $crate::Scalar>(&self, x: &[S]) -> Vec<S> {
                $f(x)
            }
        }
        Generic
    }};
}

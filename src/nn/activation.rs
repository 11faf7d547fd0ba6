//! The activation functions a layer applies to its weighted sums: the document's
//! logistic sigmoid, and `tanh` and `relu` for experiments.
//!
//! The closed-form backward pass needs each function's derivative. All three have one
//! that is a function of the activation's *output* alone, so the backward pass needs
//! only the activations the forward pass kept (as the document's `ŷ(1 − ŷ)` does):
//!
//! | activation | `f(z)` | `f′(z)` from `a = f(z)` |
//! |---|---|---|
//! | sigmoid | `1 / (1 + e^(−z))` | `a (1 − a)` |
//! | tanh | `tanh z` | `1 − a²` |
//! | relu | `max(z, 0)` | `1` if `a > 0`, else `0` |
//!
//! relu has a kink at `z = 0`, where it has no derivative; like PyTorch and JAX (and
//! the tape's own rule) the closed form takes `0` there. A gradient check must not pass
//! such a point as agreement: see [`Activation::has_kink_at`].

use std::fmt;
use std::str::FromStr;

use num_traits::Float;

use crate::rules;
use crate::scalar::Scalar;

/// The function a layer of neurons applies to its weighted sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Activation {
    /// The logistic function `σ(z) = 1 / (1 + e^(−z))`, the document's activation; the
    /// default.
    #[default]
    Sigmoid,
    /// The hyperbolic tangent, `σ` rescaled to `(−1, 1)`: `tanh z = 2σ(2z) − 1`.
    Tanh,
    /// The rectified linear unit `max(z, 0)`.
    Relu,
}

impl Activation {
    /// All activations, in the order they are listed to users.
    pub const ALL: [Activation; 3] = [Activation::Sigmoid, Activation::Tanh, Activation::Relu];

    /// `f(z)` on any [`Scalar`]: a value on floats, one recorded node on the tape.
    pub fn apply<S: Scalar>(self, z: S) -> S {
        match self {
            Activation::Sigmoid => z.sigmoid(),
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.relu(),
        }
    }

    /// `f(z)` on plain floats, by the same elementary rule the tape records, so the
    /// closed form and the tape compute bit-identical activations.
    pub fn value<T: Float>(self, z: T) -> T {
        match self {
            Activation::Sigmoid => rules::sigmoid(z).0,
            Activation::Tanh => rules::tanh(z).0,
            Activation::Relu => rules::relu(z).0,
        }
    }

    /// `f′(z)` written in terms of the output `a = f(z)` (see the table in the module
    /// documentation). For relu, `0` at the kink.
    pub fn derivative_from_output<T: Float>(self, a: T) -> T {
        match self {
            Activation::Sigmoid => a * (T::one() - a),
            Activation::Tanh => T::one() - a * a,
            Activation::Relu => {
                if a > T::zero() {
                    T::one()
                } else {
                    T::zero()
                }
            }
        }
    }

    /// Whether `f` is not differentiable at `z` (relu at exactly `0`).
    pub fn has_kink_at<T: Float>(self, z: T) -> bool {
        self == Activation::Relu && z == T::zero()
    }

    /// Whether `f` has kinks at all; only for such an activation can a finite
    /// difference step across one.
    pub fn has_kinks(self) -> bool {
        self == Activation::Relu
    }

    /// The side of the kink `z` is on, for activations with kinks: `true` on the
    /// differentiable side where `f′ = 1` (relu: `z > 0`). Two points on the same side
    /// are joined by a smooth piece of `f`.
    pub fn side<T: Float>(self, z: T) -> bool {
        z > T::zero()
    }

    /// The lowercase name users type: `sigmoid`, `tanh`, `relu`.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Activation::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownActivation(pub String);

impl fmt::Display for UnknownActivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown activation `{}`: use sigmoid, tanh or relu",
            self.0
        )
    }
}

impl std::error::Error for UnknownActivation {}

impl FromStr for Activation {
    type Err = UnknownActivation;

    /// Parses a name of [`Activation::name`], ignoring case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownActivation(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::Activation;
    use crate::prelude::*;

    #[test]
    fn derivative_from_output_equals_the_tape_derivative_away_from_kinks() {
        for activation in Activation::ALL {
            for &z in &[-3.0, -0.7, -1e-3, 1e-3, 0.4, 2.5] {
                let tape = Tape::new();
                let v = tape.var(z);
                let a = activation.apply(v);
                let from_tape = tape.gradient(a).wrt(v);
                let closed = activation.derivative_from_output(activation.value(z));
                assert_eq!(a.value(), activation.value(z), "{activation} at {z}");
                approx::assert_relative_eq!(closed, from_tape, max_relative = 1e-15);
            }
        }
    }

    #[test]
    fn relu_kink_is_at_zero_only_and_takes_derivative_zero() {
        let relu = Activation::Relu;
        assert!(relu.has_kink_at(0.0) && relu.has_kink_at(-0.0));
        assert!(!relu.has_kink_at(1e-300) && !Activation::Sigmoid.has_kink_at(0.0));
        assert_eq!(relu.derivative_from_output(relu.value(0.0)), 0.0);
        assert!(relu.side(1e-300) && !relu.side(0.0) && !relu.side(-1.0));
    }

    #[test]
    fn names_parse_back_ignoring_case_and_others_are_errors() {
        for activation in Activation::ALL {
            assert_eq!(activation.name().parse(), Ok(activation));
            assert_eq!(
                activation.name().to_uppercase().parse::<Activation>(),
                Ok(activation)
            );
        }
        let err = "softmax".parse::<Activation>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown activation `softmax`: use sigmoid, tanh or relu"
        );
        assert_eq!(Activation::default(), Activation::Sigmoid);
    }
}

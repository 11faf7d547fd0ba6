//! The cases: functions users write daily, each at a point that stresses one thing a
//! checker can get wrong, with a right gradient and a plausible wrong one.

use gradproof::prelude::*;

use crate::harness::{Case, Truth};

/// `v` in the number type (data and constants).
pub fn c<S: Scalar>(v: f64) -> S {
    S::from(v).unwrap()
}

/// `σ(z)` written out, as a hand-written backward pass would.
fn sig<S: Scalar>(z: S) -> S {
    S::one() / (S::one() + (-z).exp())
}

/// A case: a unit struct that is a `Function` and a `Case`.
macro_rules! case {
    (
        $(#[$doc:meta])*
        $name:ident, $truth:ident, point = $point:expr,
        |$x:ident| $f:expr,
        right = $right:expr,
        wrong = $wrong:expr
        $(, inconclusive = |$d:ident, $k:ident| $inc:expr)?
        $(, known_wrong_kind = |$d2:ident, $k2:ident| $wk:expr)? $(,)?
    ) => {
        $(#[$doc])*
        pub struct $name;
        impl Function for $name {
            #[allow(unused_variables)]
            fn eval<S: Scalar>(&self, $x: &[S]) -> S {
                $f
            }
        }
        impl Case for $name {
            fn name(&self) -> &'static str {
                stringify!($name)
            }
            fn truth(&self) -> Truth {
                Truth::$truth
            }
            fn point(&self) -> Vec<f64> {
                $point
            }
            #[allow(unused_variables)]
            fn right<S: Scalar>(&self, $x: &[S]) -> Vec<S> {
                $right
            }
            #[allow(unused_variables)]
            fn wrong<S: Scalar>(&self, $x: &[S]) -> Vec<S> {
                $wrong
            }
            $(
                fn inconclusive_ok(&self, $d: &str, $k: &str) -> bool {
                    $inc
                }
            )?
            $(
                fn known_wrong_kind(&self, $d2: &str, $k2: &str) -> bool {
                    $wk
                }
            )?
        }
    };
}

// ---- kinks ----

case!(
    /// `2·relu(x₀) + x₁²` at the kink: relu′(0) = 0 lies in [0, 2]; −1 does not.
    ReluAtZero, Kink, point = vec![0.0, 0.5],
    |x| c::<S>(2.0) * x[0].relu() + x[1] * x[1],
    right = vec![S::zero(), c::<S>(2.0) * x[1]],
    wrong = vec![-S::one(), c::<S>(2.0) * x[1]],
);

case!(
    /// `|x₀| + x₀x₁` at the kink: one-sided derivatives −0.7 and 1.3.
    AbsAtZero, Kink, point = vec![0.0, 0.3],
    |x| x[0].abs() + x[0] * x[1],
    right = vec![x[1], x[0]],
    wrong = vec![x[1] + c::<S>(3.0), x[0]]
);

case!(
    /// `|x₀|·x₁` a hair right of its kink: differentiable, but closer to the kink than
    /// any step a check takes.
    AbsNearZero, NearKink, point = vec![1e-9, 2.0],
    |x| x[0].abs() * x[1],
    right = vec![x[1], x[0].abs()],
    wrong = vec![x[1] * c::<S>(-3.0), x[0].abs()]
);

case!(
    /// `3·relu(x₀) + x₁` just left of the kink.
    ReluNearZero, NearKink, point = vec![-1e-8, 1.0],
    |x| c::<S>(3.0) * x[0].relu() + x[1],
    right = vec![S::zero(), S::one()],
    wrong = vec![c::<S>(-3.0), S::one()]
);

case!(
    /// `max(x₀, x₁)` at a tie: each coordinate's one-sided derivatives are 0 and 1.
    MaxAtTie, Kink, point = vec![1.0, 1.0],
    |x| x[0].max(x[1]),
    right = vec![S::one(), S::zero()],
    wrong = vec![c::<S>(2.0), S::zero()],
);

case!(
    /// A relu layer `Σⱼ relu(wⱼ·a)` with one hidden unit exactly at its kink.
    ReluLayerAtKink, Kink, point = vec![1.0, -1.0, 0.5, 0.25, -2.0, 1.0],
    |x| {
        let a = [c::<S>(1.0), c::<S>(1.0)];
        (0..3).map(|j| (x[2 * j] * a[0] + x[2 * j + 1] * a[1]).relu()).fold(S::zero(), |s, t| s + t)
    },
    right = {
        (0..3).flat_map(|j| {
            let on = if (x[2 * j] + x[2 * j + 1]) > S::zero() { S::one() } else { S::zero() };
            [on, on]
        }).collect()
    },
    wrong = {
        (0..3).flat_map(|j| {
            let on = if (x[2 * j] + x[2 * j + 1]) >= S::zero() { c::<S>(2.0) } else { S::zero() };
            [on, on]
        }).collect()
    }
);

case!(
    /// The hinge loss `max(0, 1 − y·w·a)` exactly at the margin.
    HingeAtMargin, Kink, point = vec![0.5, 0.25],
    |x| (S::one() - (x[0] * c::<S>(1.0) + x[1] * c::<S>(2.0))).max(S::zero()),
    right = vec![S::zero(), S::zero()],
    wrong = vec![c::<S>(1.0), c::<S>(2.0)]
);

// ---- domain edges ----

case!(
    /// `ln x₀ + x₁` at x₀ = 10⁻⁶: steps must stay inside the domain; 1 % off in ∂/∂x₀.
    LogNearZero, Smooth, point = vec![1e-6, 1.0],
    |x| x[0].ln() + x[1],
    right = vec![x[0].recip(), S::one()],
    wrong = vec![c::<S>(1.01) / x[0], S::one()]
);

case!(
    /// `√x₀·x₁` at x₀ = 10⁻⁸; the wrong one forgot the ½.
    SqrtNearZero, Smooth, point = vec![1e-8, 3.0],
    |x| x[0].sqrt() * x[1],
    right = vec![x[1] / (c::<S>(2.0) * x[0].sqrt()), x[0].sqrt()],
    wrong = vec![x[1] / x[0].sqrt(), x[0].sqrt()]
);

case!(
    /// A Gaussian log-likelihood in (μ, variance s) at s = 10⁻⁶; the wrong one forgot
    /// the ½ in the variance's derivative.
    GaussianTinyVariance, Smooth, point = vec![0.0, 1e-6],
    |x| {
        let y = c::<S>(2e-3);
        let r = y - x[0];
        -c::<S>(0.5) * (c::<S>(2.0 * std::f64::consts::PI) * x[1]).ln() - r * r / (c::<S>(2.0) * x[1])
    },
    right = {
        let r = c::<S>(2e-3) - x[0];
        vec![r / x[1], -c::<S>(0.5) / x[1] + r * r / (c::<S>(2.0) * x[1] * x[1])]
    },
    wrong = {
        let r = c::<S>(2e-3) - x[0];
        vec![r / x[1], -c::<S>(0.5) / x[1] + r * r / (x[1] * x[1])]
    }
);

case!(
    /// `acos x₀` a hair inside 1; the wrong one has the sign flipped. In f32 the
    /// gradient itself is only good to about 10⁻³ relative here (the derivative moves
    /// 3.5·10⁵ per unit of x, and x is rounded to 6·10⁻⁸), and the curvature that would
    /// make a Taylor remainder readable above that lies beyond the domain's edge: the
    /// Taylor test says inconclusive, and why.
    AcosNearOne, Smooth, point = vec![1.0 - 1e-4],
    |x| x[0].acos(),
    right = vec![-(S::one() - x[0] * x[0]).sqrt().recip()],
    wrong = vec![(S::one() - x[0] * x[0]).sqrt().recip()],
    inconclusive = |dtype, check| dtype == "f32" && (check.contains("Taylor") || check.starts_with("assert_gradient!(f, x, g)"))
);

case!(
    /// `x₀^1.5` near 0; the wrong one used the exponent 1.5 instead of 0.5.
    PowNearZero, Smooth, point = vec![1e-6, 1.0],
    |x| x[0].powf(c::<S>(1.5)) + x[1],
    right = vec![c::<S>(1.5) * x[0].sqrt(), S::one()],
    wrong = vec![c::<S>(1.5) * x[0].powf(c::<S>(1.5)), S::one()]
);

// ---- scales ----

/// Stable log-sum-exp: `m + ln Σ exp(xᵢ − m)`.
fn lse<S: Scalar>(x: &[S]) -> S {
    let m = x.iter().fold(S::neg_infinity(), |m, &v| m.max(v));
    let m = S::from(m.to_f64().unwrap()).unwrap();
    m + x.iter().fold(S::zero(), |s, &v| s + (v - m).exp()).ln()
}

fn softmax<S: Scalar>(x: &[S]) -> Vec<S> {
    let m = x.iter().fold(S::neg_infinity(), |m, &v| m.max(v));
    let e: Vec<S> = x.iter().map(|&v| (v - m).exp()).collect();
    let z = e.iter().fold(S::zero(), |s, &v| s + v);
    e.into_iter().map(|v| v / z).collect()
}

fn unnormalised<S: Scalar>(x: &[S]) -> Vec<S> {
    let m = x.iter().fold(S::neg_infinity(), |m, &v| m.max(v));
    x.iter().map(|&v| (v - m).exp()).collect()
}

case!(
    /// Log-sum-exp of logits near 1000; the wrong gradient is the unnormalised softmax.
    LseNear1000, Smooth, point = vec![1000.0, 1000.5, 999.3, 1001.2],
    |x| lse(x),
    right = softmax(x),
    wrong = unnormalised(x)
);

case!(
    /// Log-sum-exp of logits of size 10⁻⁸; the wrong one is 1 % off in one coordinate.
    LseTiny, Smooth, point = vec![1e-8, -2e-8, 3e-8],
    |x| lse(x),
    right = softmax(x),
    wrong = { let mut g = softmax(x); g[1] = g[1] * c::<S>(1.01); g }
);

case!(
    /// `x₀·x₁` at inputs 10⁻⁸ apart from 0; the wrong one swapped the entries.
    ProductTiny, Smooth, point = vec![1e-8, 3e-8],
    |x| x[0] * x[1],
    right = vec![x[1], x[0]],
    wrong = vec![x[0], x[1]]
);

case!(
    /// `x₀²/2 + x₁` at x₀ = 10⁶; 0.1 % off.
    SquareHuge, Smooth, point = vec![1e6, 2.0],
    |x| x[0] * x[0] * c::<S>(0.5) + x[1],
    right = vec![x[0], S::one()],
    wrong = vec![x[0] * c::<S>(1.001), S::one()]
);

case!(
    /// `exp(50x₀)`; the wrong one forgot the chain rule's 50.
    SteepExp, Smooth, point = vec![1.0],
    |x| (x[0] * c::<S>(50.0)).exp(),
    right = vec![c::<S>(50.0) * (x[0] * c::<S>(50.0)).exp()],
    wrong = vec![(x[0] * c::<S>(50.0)).exp()]
);

case!(
    /// `exp(20·x₀·x₁)`; the wrong one has the two entries swapped.
    SteepExpProduct, Smooth, point = vec![0.5, 1.5],
    |x| (x[0] * x[1] * c::<S>(20.0)).exp(),
    right = {
        let e = (x[0] * x[1] * c::<S>(20.0)).exp();
        vec![c::<S>(20.0) * x[1] * e, c::<S>(20.0) * x[0] * e]
    },
    wrong = {
        let e = (x[0] * x[1] * c::<S>(20.0)).exp();
        vec![c::<S>(20.0) * x[0] * e, c::<S>(20.0) * x[1] * e]
    }
);

case!(
    /// `σ(30x₀) + x₁` far in saturation; the wrong one forgot σ′.
    SigmoidSaturated, Smooth, point = vec![0.3, 1.0],
    |x| (x[0] * c::<S>(30.0)).sigmoid() + x[1],
    right = {
        let s = sig(x[0] * c::<S>(30.0));
        vec![c::<S>(30.0) * s * (S::one() - s), S::one()]
    },
    wrong = vec![c::<S>(30.0), S::one()]
);

case!(
    /// `tanh(1000x₀)` near 0; the wrong one forgot the 1000.
    SteepTanh, Smooth, point = vec![1e-4],
    |x| (x[0] * c::<S>(1000.0)).tanh(),
    right = {
        let t = (x[0] * c::<S>(1000.0)).tanh();
        vec![c::<S>(1000.0) * (S::one() - t * t)]
    },
    wrong = {
        let t = (x[0] * c::<S>(1000.0)).tanh();
        vec![S::one() - t * t]
    }
);

case!(
    /// `sin x₀` at x₀ = 10⁴; the wrong one has the sign of the cosine flipped.
    SinLargeArgument, Smooth, point = vec![1e4],
    |x| x[0].sin(),
    right = vec![x[0].cos()],
    wrong = vec![-x[0].cos()]
);

case!(
    /// `x₀/x₁` with a small denominator; the wrong one lost the minus sign.
    DivisionSmallDenominator, Smooth, point = vec![0.7, 1e-3],
    |x| x[0] / x[1],
    right = vec![x[1].recip(), -x[0] / (x[1] * x[1])],
    wrong = vec![x[1].recip(), x[0] / (x[1] * x[1])]
);

// ---- not finite ----

case!(
    /// `ln x₀` at x₀ = −1: the value is NaN.
    NanValue, NotFinite, point = vec![-1.0, 2.0],
    |x| x[0].ln() * x[1],
    right = vec![x[1] / x[0], x[0].ln()],
    wrong = vec![x[1], x[0]]
);

case!(
    /// `√x₀` at 0: the value is 0, the derivative infinite.
    SqrtAtZero, NotFinite, point = vec![0.0, 1.0],
    |x| x[0].sqrt() + x[1],
    right = vec![(c::<S>(2.0) * x[0].sqrt()).recip(), S::one()],
    wrong = vec![S::zero(), S::one()]
);

case!(
    /// Naive log-sum-exp `ln Σ exp xᵢ` at 1000: overflows to infinity.
    NaiveLseOverflow, NotFinite, point = vec![1000.0, 999.0],
    |x| (x[0].exp() + x[1].exp()).ln(),
    right = softmax(x),
    wrong = unnormalised(x)
);

case!(
    /// `x₀/x₁` at (0, 0): 0/0.
    ZeroOverZero, NotFinite, point = vec![0.0, 0.0],
    |x| x[0] / x[1],
    right = vec![x[1].recip(), -x[0] / (x[1] * x[1])],
    wrong = vec![S::zero(), S::zero()]
);

// ---- high dimension ----

const N: usize = 1200;

case!(
    /// `½Σ aᵢxᵢ²` in 1200 dimensions; the wrong one is 1 % off in one coordinate.
    QuadraticHighDimension, Smooth, point = (0..N).map(|i| ((i as f64) * 0.37).sin()).collect(),
    |x| x.iter().enumerate().fold(S::zero(), |s, (i, &v)| s + c::<S>(0.5 + (i % 7) as f64) * v * v * c::<S>(0.5)),
    right = x.iter().enumerate().map(|(i, &v)| c::<S>(0.5 + (i % 7) as f64) * v).collect(),
    wrong = {
        let mut g: Vec<S> = x.iter().enumerate().map(|(i, &v)| c::<S>(0.5 + (i % 7) as f64) * v).collect();
        g[777] = g[777] * c::<S>(1.01);
        g
    }
);

case!(
    /// Softmax cross-entropy over 1000 classes (target class 3); the wrong one uses
    /// the unnormalised softmax.
    CrossEntropyThousandClasses, Smooth, point = (0..1000).map(|i| ((i as f64) * 1.3).cos() * 3.0).collect(),
    |x| lse(x) - x[3],
    right = { let mut g = softmax(x); g[3] = g[3] - S::one(); g },
    wrong = { let mut g = unnormalised(x); g[3] = g[3] - S::one(); g }
);

case!(
    /// `Σ sin(xᵢ)·xᵢ₊₁` in 1024 dimensions; the wrong one indexes the neighbour the
    /// wrong way round.
    ChainHighDimension, Smooth, point = (0..1024).map(|i| ((i as f64) * 0.71).sin()).collect(),
    |x| x.windows(2).fold(S::zero(), |s, w| s + w[0].sin() * w[1]),
    right = {
        let n = x.len();
        (0..n).map(|i| {
            let mut g = S::zero();
            if i + 1 < n { g = g + x[i].cos() * x[i + 1]; }
            if i > 0 { g = g + x[i - 1].sin(); }
            g
        }).collect()
    },
    wrong = {
        let n = x.len();
        (0..n).map(|i| {
            let mut g = S::zero();
            if i + 1 < n { g = g + x[i].cos() * x[i + 1]; }
            if i > 0 { g = g + x[i].sin(); }
            g
        }).collect()
    }
);

// ---- dynamic range, piecewise constants, one coordinate in many ----

case!(
    /// Badly scaled parameters, `(10³·x₀ − 1)² + (10⁻³·x₁ − 1)²` at `x₀ = 7·10⁻⁴`,
    /// `x₁ = 400`: inputs six orders apart, gradient entries −600 and −1.2·10⁻³. The
    /// wrong one forgot the inner factor 10⁻³ of the second term (−1.2).
    BadlyScaledParameters, Smooth, point = vec![0.7e-3, 0.4e3],
    |x| {
        let a = c::<S>(1e3) * x[0] - S::one();
        let b = c::<S>(1e-3) * x[1] - S::one();
        a * a + b * b
    },
    right = vec![
        c::<S>(2e3) * (c::<S>(1e3) * x[0] - S::one()),
        c::<S>(2e-3) * (c::<S>(1e-3) * x[1] - S::one()),
    ],
    wrong = vec![
        c::<S>(2e3) * (c::<S>(1e3) * x[0] - S::one()),
        c::<S>(2.0) * (c::<S>(1e-3) * x[1] - S::one()),
    ],
    // In f32 every check decides: the gradient's own rounding is allowed per coordinate
    // (a rounding moves x₀ by an ulp of 7·10⁻⁴, not of 400).
);

case!(
    /// A value spanning 30 orders along one coordinate: `exp(x₀) + x₀·x₁` at x₀ = 60
    /// (`f ≈ 10²⁶`), where ∂/∂x₁ = 60 is 10⁻²⁴ of ∂/∂x₀. The wrong one has ∂/∂x₀
    /// 1 % off.
    HugeValueRange, Smooth, point = vec![60.0, 0.5],
    |x| x[0].exp() + x[0] * x[1],
    right = vec![x[0].exp() + x[1], x[0]],
    wrong = vec![x[0].exp() * c::<S>(1.01) + x[1], x[0]]
);

case!(
    /// A quantised loss, `⌊4·x₀⌋ + x₁²`, between its steps (4·x₀ = 1.6; the steps at
    /// x₀ = 0.25 and 0.5): the derivative in x₀ is 0 there, as almost everywhere. The
    /// wrong one claims the straight-through slope 4.
    FloorBetweenSteps, Smooth, point = vec![0.4, 0.5],
    |x| (c::<S>(4.0) * x[0]).floor() + x[1] * x[1],
    right = vec![S::zero(), c::<S>(2.0) * x[1]],
    wrong = vec![c::<S>(4.0), c::<S>(2.0) * x[1]]
);

case!(
    /// An integer-valued count times a smooth term, `round(3·x₀)·sin(x₁)` (3·x₀ = 1.2,
    /// the count 1): ∂/∂x₀ = 0, ∂/∂x₁ = round(3x₀)·cos x₁. The wrong one differentiates
    /// the count as if it were 3·x₀ (∂/∂x₀ = 3·sin x₁).
    RoundedCount, Smooth, point = vec![0.4, 0.8],
    |x| (c::<S>(3.0) * x[0]).round() * x[1].sin(),
    right = vec![S::zero(), (c::<S>(3.0) * x[0]).round() * x[1].cos()],
    wrong = vec![c::<S>(3.0) * x[1].sin(), (c::<S>(3.0) * x[0]).round() * x[1].cos()]
);

/// `Σ cᵢ·tanh(xᵢ)` with `cᵢ = 1 + (i mod 5)/4`.
fn tanh_sum_gradient<S: Scalar>(x: &[S], wrong_at: Option<usize>) -> Vec<S> {
    x.iter()
        .enumerate()
        .map(|(i, &v)| {
            let t = v.tanh();
            let ci = c::<S>(1.0 + (i % 5) as f64 * 0.25);
            // The wrong coordinate wrote tanh′ as 1 − tanh, the square forgotten.
            if Some(i) == wrong_at {
                ci * (S::one() - t)
            } else {
                ci * (S::one() - t * t)
            }
        })
        .collect()
}

case!(
    /// `Σ cᵢ·tanh(xᵢ)` over 1000 coordinates, right everywhere except coordinate 500,
    /// whose tanh′ forgot its square (off by 45 %).
    TanhOneWrongCoordinateIn1000, Smooth, point = (0..1000).map(|i| ((i as f64) * 0.53).sin() * 1.5).collect(),
    |x| x.iter().enumerate().fold(S::zero(), |s, (i, &v)| s + c::<S>(1.0 + (i % 5) as f64 * 0.25) * v.tanh()),
    right = tanh_sum_gradient(x, None),
    wrong = tanh_sum_gradient(x, Some(500))
);

// ---- the classic mistakes ----

case!(
    /// Softmax cross-entropy over 3 classes; the wrong one skips the normalisation.
    CrossEntropyUnnormalised, Smooth, point = vec![0.2, -1.0, 0.7],
    |x| lse(x) - x[0],
    right = { let mut g = softmax(x); g[0] = g[0] - S::one(); g },
    wrong = { let mut g = unnormalised(x); g[0] = g[0] - S::one(); g }
);

case!(
    /// The first softmax probability `p₀(z)`; the wrong one keeps only the diagonal
    /// `p₀(1 − p₀)` and forgets the cross terms `−p₀pⱼ`.
    SoftmaxProbabilityDiagonalOnly, Smooth, point = vec![0.5, 0.1, -0.4],
    |x| softmax(x)[0],
    right = { let p = softmax(x); (0..3).map(|j| if j == 0 { p[0] * (S::one() - p[0]) } else { -p[0] * p[j] }).collect() },
    wrong = { let p = softmax(x); (0..3).map(|j| if j == 0 { p[0] * (S::one() - p[0]) } else { S::zero() }).collect() }
);

case!(
    /// `½(σ(w·a) − y)²`; the wrong backward pass forgot σ′.
    NeuronMissingSigmaPrime, Smooth, point = vec![0.4, -0.3, 0.2],
    |x| {
        let a = [c::<S>(1.0), c::<S>(-2.0), c::<S>(0.5)];
        let e = S::dot(x, &a).sigmoid() - c::<S>(0.8);
        c::<S>(0.5) * e * e
    },
    right = {
        let a = [c::<S>(1.0), c::<S>(-2.0), c::<S>(0.5)];
        let s = sig(S::dot(x, &a));
        let d = (s - c::<S>(0.8)) * s * (S::one() - s);
        a.iter().map(|&ai| d * ai).collect()
    },
    wrong = {
        let a = [c::<S>(1.0), c::<S>(-2.0), c::<S>(0.5)];
        let s = sig(S::dot(x, &a));
        let d = s - c::<S>(0.8);
        a.iter().map(|&ai| d * ai).collect()
    }
);

case!(
    /// `½‖Wa − b‖²` for a 2×3 matrix W (row-major); the wrong gradient indexes `a`
    /// with the row, `(Wa − b)ⱼaᵢ` for `aⱼ`: a transposed index.
    MatrixTransposedIndex, Smooth, point = vec![0.1, 0.2, -0.3, 0.4, -0.5, 0.6],
    |x| {
        let a = [c::<S>(1.0), c::<S>(2.0), c::<S>(-1.0)];
        let b = [c::<S>(0.5), c::<S>(-0.5)];
        (0..2).fold(S::zero(), |s, i| {
            let r = S::dot(&x[3 * i..3 * i + 3], &a) - b[i];
            s + c::<S>(0.5) * r * r
        })
    },
    right = {
        let a = [c::<S>(1.0), c::<S>(2.0), c::<S>(-1.0)];
        let b = [c::<S>(0.5), c::<S>(-0.5)];
        (0..6).map(|k| {
            let (i, j) = (k / 3, k % 3);
            (S::dot(&x[3 * i..3 * i + 3], &a) - b[i]) * a[j]
        }).collect()
    },
    wrong = {
        let a = [c::<S>(1.0), c::<S>(2.0), c::<S>(-1.0)];
        let b = [c::<S>(0.5), c::<S>(-0.5)];
        (0..6).map(|k| {
            let (i, j) = (k / 3, k % 3);
            (S::dot(&x[3 * i..3 * i + 3], &a) - b[i]) * a[(i + j) % 3]
        }).collect()
    }
);

case!(
    /// `½(y − w·a)²`; the wrong gradient has the sign of the residual flipped.
    LinearRegressionSignError, Smooth, point = vec![0.3, -0.2],
    |x| {
        let e = c::<S>(1.5) - (x[0] * c::<S>(2.0) + x[1] * c::<S>(-1.0));
        c::<S>(0.5) * e * e
    },
    right = {
        let e = c::<S>(1.5) - (x[0] * c::<S>(2.0) + x[1] * c::<S>(-1.0));
        vec![-e * c::<S>(2.0), e]
    },
    wrong = {
        let e = c::<S>(1.5) - (x[0] * c::<S>(2.0) + x[1] * c::<S>(-1.0));
        vec![e * c::<S>(2.0), -e]
    }
);

case!(
    /// A mean squared error over a batch of 5; the wrong one forgot the 1/N.
    BatchMeanForgotOneOverN, Smooth, point = vec![0.7, -0.1],
    |x| {
        let data = [(1.0, 2.0), (-1.0, 0.5), (0.5, 0.0), (2.0, 1.0), (-0.5, -1.0)];
        data.iter().fold(S::zero(), |s, &(a, y)| {
            let e = x[0] * c::<S>(a) + x[1] - c::<S>(y);
            s + e * e
        }) / c::<S>(5.0)
    },
    right = {
        let data = [(1.0, 2.0), (-1.0, 0.5), (0.5, 0.0), (2.0, 1.0), (-0.5, -1.0)];
        data.iter().fold(vec![S::zero(), S::zero()], |g, &(a, y)| {
            let e = x[0] * c::<S>(a) + x[1] - c::<S>(y);
            vec![g[0] + c::<S>(0.4) * e * c::<S>(a), g[1] + c::<S>(0.4) * e]
        })
    },
    wrong = {
        let data = [(1.0, 2.0), (-1.0, 0.5), (0.5, 0.0), (2.0, 1.0), (-0.5, -1.0)];
        data.iter().fold(vec![S::zero(), S::zero()], |g, &(a, y)| {
            let e = x[0] * c::<S>(a) + x[1] - c::<S>(y);
            vec![g[0] + c::<S>(2.0) * e * c::<S>(a), g[1] + c::<S>(2.0) * e]
        })
    }
);

case!(
    /// A loss plus `λ/2·‖w‖²`; the wrong gradient forgot the regulariser.
    RegulariserForgotten, Smooth, point = vec![0.5, -1.5],
    |x| (x[0] - x[1]).powi(2) + c::<S>(0.05) * (x[0] * x[0] + x[1] * x[1]),
    right = vec![c::<S>(2.0) * (x[0] - x[1]) + c::<S>(0.1) * x[0], c::<S>(-2.0) * (x[0] - x[1]) + c::<S>(0.1) * x[1]],
    wrong = vec![c::<S>(2.0) * (x[0] - x[1]), c::<S>(-2.0) * (x[0] - x[1])]
);

case!(
    /// Binary cross-entropy with logits, `softplus(z) − y·z`; the wrong one uses σ′
    /// where σ belongs.
    BceWithLogits, Smooth, point = vec![0.8],
    |x| (S::one() + x[0].exp()).ln() - c::<S>(0.3) * x[0],
    right = vec![sig(x[0]) - c::<S>(0.3)],
    wrong = { let s = sig(x[0]); vec![s * (S::one() - s) - c::<S>(0.3)] }
);

case!(
    /// Rosenbrock's function; the wrong gradient lost a factor 2.
    Rosenbrock, Smooth, point = vec![-1.2, 1.0],
    |x| (S::one() - x[0]).powi(2) + c::<S>(100.0) * (x[1] - x[0] * x[0]).powi(2),
    right = vec![
        c::<S>(-2.0) * (S::one() - x[0]) - c::<S>(400.0) * x[0] * (x[1] - x[0] * x[0]),
        c::<S>(200.0) * (x[1] - x[0] * x[0]),
    ],
    wrong = vec![
        c::<S>(-2.0) * (S::one() - x[0]) - c::<S>(200.0) * x[0] * (x[1] - x[0] * x[0]),
        c::<S>(200.0) * (x[1] - x[0] * x[0]),
    ]
);

case!(
    /// `(x₀ − 1)²` near its minimum; the wrong one lost the 2.
    NearMinimum, Smooth, point = vec![1.0 + 1e-3],
    |x| (x[0] - S::one()).powi(2),
    right = vec![c::<S>(2.0) * (x[0] - S::one())],
    wrong = vec![x[0] - S::one()]
);

case!(
    /// `hypot(x₀, x₁)` at (3, 4); the wrong gradient swapped the entries.
    HypotSwapped, Smooth, point = vec![3.0, 4.0],
    |x| x[0].hypot(x[1]),
    right = { let r = x[0].hypot(x[1]); vec![x[0] / r, x[1] / r] },
    wrong = { let r = x[0].hypot(x[1]); vec![x[1] / r, x[0] / r] }
);

case!(
    /// `x₀^x₁`; the wrong one kept the power x₁ in ∂/∂x₀.
    PowerOfVariables, Smooth, point = vec![2.0, 3.0],
    |x| x[0].powf(x[1]),
    right = vec![x[1] * x[0].powf(x[1] - S::one()), x[0].ln() * x[0].powf(x[1])],
    wrong = vec![x[1] * x[0].powf(x[1]), x[0].ln() * x[0].powf(x[1])]
);

case!(
    /// A constant; the wrong gradient claims a slope of 10⁻³.
    Constant, Smooth, point = vec![0.3, 0.4],
    |x| c::<S>(3.0) + x[0] * S::zero(),
    right = vec![S::zero(), S::zero()],
    wrong = vec![S::zero(), c::<S>(1e-3)]
);

case!(
    /// `a·x`; the wrong gradient is 0.1 % off in one coordinate.
    Linear, Smooth, point = vec![0.3, 0.4, -2.0],
    |x| x[0] * c::<S>(2.0) - x[1] * c::<S>(3.0) + x[2] * c::<S>(0.5),
    right = vec![c::<S>(2.0), c::<S>(-3.0), c::<S>(0.5)],
    wrong = vec![c::<S>(2.0), c::<S>(-3.0), c::<S>(0.5005)]
);

// ---- the 3-3-3 sigmoid network ----

/// The document's network: inputs (1, 2, 3) → 3 sigmoid hidden → 3 sigmoid outputs,
/// loss ½Σ(y − ŷ)²; the 18 weights hidden-major then output-major (no biases).
fn network<S: Scalar>(w: &[S]) -> S {
    let a = [c::<S>(0.35), c::<S>(0.9), c::<S>(-0.4)];
    let y = [c::<S>(0.5), c::<S>(0.1), c::<S>(0.9)];
    let hidden: Vec<S> = (0..3)
        .map(|j| S::dot(&w[3 * j..3 * j + 3], &a).sigmoid())
        .collect();
    (0..3).fold(S::zero(), |s, k| {
        let out = S::dot(&w[9 + 3 * k..9 + 3 * k + 3], &hidden).sigmoid();
        let e = y[k] - out;
        s + c::<S>(0.5) * e * e
    })
}

/// Its closed-form gradient, as the document derives it.
fn network_gradient<S: Scalar>(w: &[S]) -> Vec<S> {
    let a = [c::<S>(0.35), c::<S>(0.9), c::<S>(-0.4)];
    let y = [c::<S>(0.5), c::<S>(0.1), c::<S>(0.9)];
    let hidden: Vec<S> = (0..3)
        .map(|j| sig(S::dot(&w[3 * j..3 * j + 3], &a)))
        .collect();
    let out: Vec<S> = (0..3)
        .map(|k| sig(S::dot(&w[9 + 3 * k..9 + 3 * k + 3], &hidden)))
        .collect();
    let delta_out: Vec<S> = (0..3)
        .map(|k| (out[k] - y[k]) * out[k] * (S::one() - out[k]))
        .collect();
    let mut g = vec![S::zero(); 18];
    for k in 0..3 {
        for j in 0..3 {
            g[9 + 3 * k + j] = delta_out[k] * hidden[j];
        }
    }
    for j in 0..3 {
        let back = (0..3).fold(S::zero(), |s, k| s + delta_out[k] * w[9 + 3 * k + j]);
        let delta = back * hidden[j] * (S::one() - hidden[j]);
        for i in 0..3 {
            g[3 * j + i] = delta * a[i];
        }
    }
    g
}

fn network_weights() -> Vec<f64> {
    vec![
        0.1, 0.8, 0.3, -0.4, 0.6, 0.2, 0.5, -0.7, 0.9, // hidden
        0.3, -0.5, 0.7, 0.6, 0.1, -0.2, -0.9, 0.4, 0.5, // output
    ]
}

case!(
    /// The 3-3-3 network; the wrong gradient is 1 % off in one hidden weight.
    NetworkOnePercent, Smooth, point = network_weights(),
    |x| network(x),
    right = network_gradient(x),
    wrong = { let mut g = network_gradient(x); g[4] = g[4] * c::<S>(1.01); g }
);

case!(
    /// The 3-3-3 network; the wrong backward pass forgot the hidden layer's σ′.
    NetworkMissingHiddenSigmaPrime, Smooth, point = network_weights(),
    |x| network(x),
    right = network_gradient(x),
    wrong = {
        let mut g = network_gradient(x);
        let a = [c::<S>(0.35), c::<S>(0.9), c::<S>(-0.4)];
        let hidden: Vec<S> = (0..3).map(|j| sig(S::dot(&x[3 * j..3 * j + 3], &a))).collect();
        for j in 0..3 {
            let d = hidden[j] * (S::one() - hidden[j]);
            for i in 0..3 {
                g[3 * j + i] = g[3 * j + i] / d;
            }
        }
        g
    }
);

case!(
    /// The 3-3-3 network; the wrong gradient swapped the output weights' indices
    /// (ω_jk for ω_kj).
    NetworkTransposedOutputWeights, Smooth, point = network_weights(),
    |x| network(x),
    right = network_gradient(x),
    wrong = {
        let g = network_gradient(x);
        let mut t = g.clone();
        for k in 0..3 {
            for j in 0..3 {
                t[9 + 3 * k + j] = g[9 + 3 * j + k];
            }
        }
        t
    }
);

//! Random composite expressions: the tape's gradient (the chain rule, fan-out,
//! accumulation over many paths, fused sums and dot products) agrees with central finite
//! differences, and the recorded value is the plain evaluation bit for bit.
//!
//! The expressions are trees over three variables and constants, built from smooth ops
//! that are defined everywhere (no kinks, no poles), so every random point is a fair
//! test point. A `Shared` node uses one subexpression twice, so interior nodes with
//! several consumers are covered, not only shared leaves.

mod common;
mod tape_support;

use std::fmt::Debug;

use gradproof::prelude::*;
use proptest::prelude::*;
use tape_support::{same_bits, ulps, Reference};

const N_VARS: usize = 3;

/// Rounding allowance per node, in units of `ε·|node value|`: a node is at most three
/// library calls (`hypot`, `tanh`, `powf`), each within 1–2 ulp, whose intermediate
/// errors pass through derivatives bounded by one.
const NODE_ULPS: f64 = 8.0;

#[derive(Clone, Copy, Debug)]
enum Unary {
    Neg,
    Sin,
    Cos,
    Tanh,
    Sigmoid,
    Atan,
    /// `√(a² + 1)` as `a.hypot(1)`.
    Hypot1,
    /// `e^tanh(a)`.
    ExpTanh,
    /// `ln(1 + a²)`.
    Ln1pSquare,
    /// `a.powi(2)`.
    Square,
}

#[derive(Clone, Copy, Debug)]
enum Binary {
    Add,
    Sub,
    Mul,
    /// `a / (b² + 1)`.
    DivSoft,
    /// `√(a² + 1)^tanh(b)`: `powf` with both sides variable, base ≥ 1.
    PowSoft,
    /// `a.mul_add(b, a)`.
    MulAdd,
}

#[derive(Clone, Debug)]
enum Expr {
    Var(usize),
    Const(f64),
    Unary(Unary, Box<Expr>),
    Binary(Binary, Box<Expr>, Box<Expr>),
    /// `op(a, a)` with `a` evaluated once: one interior node, two consumers.
    Shared(Binary, Box<Expr>),
    /// `Scalar::sum` of the children: one fused node.
    Sum(Vec<Expr>),
    /// `Scalar::dot` of the pairs: one fused node.
    Dot(Vec<(Expr, Expr)>),
}

fn c<T: Float>(v: f64) -> T {
    T::from(v).expect("a small constant")
}

impl Unary {
    fn apply<T: Scalar>(self, a: T) -> T {
        match self {
            Unary::Neg => -a,
            Unary::Sin => a.sin(),
            Unary::Cos => a.cos(),
            Unary::Tanh => a.tanh(),
            Unary::Sigmoid => a.sigmoid(),
            Unary::Atan => a.atan(),
            Unary::Hypot1 => a.hypot(T::one()),
            Unary::ExpTanh => a.tanh().exp(),
            Unary::Ln1pSquare => (a * a).ln_1p(),
            Unary::Square => a.powi(2),
        }
    }

    /// An upper bound of `|d op/da|` at `a` (written independently of the tape).
    fn slope<P: Float>(self, a: P) -> P {
        match self {
            Unary::Sigmoid => c(0.25),
            Unary::ExpTanh => c(std::f64::consts::E),
            Unary::Square => c::<P>(2.0) * a.abs(),
            _ => P::one(),
        }
    }
}

impl Binary {
    fn apply<T: Scalar>(self, a: T, b: T) -> T {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::DivSoft => a / (b * b + T::one()),
            Binary::PowSoft => a.hypot(T::one()).powf(b.tanh()),
            Binary::MulAdd => a.mul_add(b, a),
        }
    }

    /// Upper bounds of `|∂op/∂a|` and `|∂op/∂b|` at `(a, b)` with value `v`.
    fn slopes<P: Float>(self, a: P, b: P, v: P) -> (P, P) {
        match self {
            Binary::Add | Binary::Sub => (P::one(), P::one()),
            Binary::Mul => (b.abs(), a.abs()),
            // ∂/∂b = −2ab/(b² + 1)², at most 0.65·|a|.
            Binary::DivSoft => ((b * b + P::one()).recip(), a.abs()),
            // B = √(a² + 1) ≥ 1, t = tanh b: ∂/∂a = t·B^(t−1)·a/B, at most 1;
            // ∂/∂b = v·ln B·(1 − t²).
            Binary::PowSoft => (P::one(), v.abs() * a.hypot(P::one()).ln()),
            Binary::MulAdd => (b.abs() + P::one(), a.abs()),
        }
    }
}

/// A node's value with a first-order bound on its evaluation error and on the sum over
/// paths of `|∏ partials|` to each variable (which bounds what rounding can do to the
/// tape's adjoint, cancellation between paths included).
struct Bounds<P> {
    value: P,
    err: P,
    paths: [P; N_VARS],
}

impl Expr {
    fn eval<T: Scalar>(&self, x: &[T]) -> T {
        match self {
            Expr::Var(i) => x[*i],
            Expr::Const(v) => c(*v),
            Expr::Unary(op, a) => op.apply(a.eval(x)),
            Expr::Binary(op, a, b) => op.apply(a.eval(x), b.eval(x)),
            Expr::Shared(op, a) => {
                let a = a.eval(x);
                op.apply(a, a)
            }
            Expr::Sum(terms) => {
                let terms: Vec<T> = terms.iter().map(|t| t.eval(x)).collect();
                T::sum(&terms)
            }
            Expr::Dot(pairs) => {
                let (a, b): (Vec<T>, Vec<T>) =
                    pairs.iter().map(|(a, b)| (a.eval(x), b.eval(x))).unzip();
                T::dot(&a, &b)
            }
        }
    }

    fn depth(&self) -> usize {
        1 + match self {
            Expr::Var(_) | Expr::Const(_) => 0,
            Expr::Unary(_, a) | Expr::Shared(_, a) => a.depth(),
            Expr::Binary(_, a, b) => a.depth().max(b.depth()),
            Expr::Sum(terms) => terms.iter().map(Expr::depth).max().unwrap_or(0),
            Expr::Dot(pairs) => pairs
                .iter()
                .map(|(a, b)| a.depth().max(b.depth()))
                .max()
                .unwrap_or(0),
        }
    }

    /// Running error analysis on plain floats: `err` grows by each node's own rounding
    /// (`NODE_ULPS·ε` times the magnitudes it rounds) plus the children's errors times
    /// the node's slopes.
    fn bounds<P: Scalar>(&self, x: &[P]) -> Bounds<P> {
        let u = ulps::<P>(NODE_ULPS);
        let zero = [P::zero(); N_VARS];
        // Σ slope·child over the children, for the error and for each path sum.
        let combine = |value: P, own: P, parts: &[(P, &Bounds<P>)]| {
            let mut paths = zero;
            let mut err = u * own;
            for (slope, child) in parts {
                err = err + *slope * child.err;
                for (p, q) in paths.iter_mut().zip(&child.paths) {
                    *p = *p + *slope * *q;
                }
            }
            Bounds { value, err, paths }
        };
        match self {
            Expr::Var(i) => {
                let mut paths = zero;
                paths[*i] = P::one();
                Bounds {
                    value: x[*i],
                    err: P::zero(),
                    paths,
                }
            }
            Expr::Const(v) => Bounds {
                value: c(*v),
                err: P::zero(),
                paths: zero,
            },
            Expr::Unary(op, a) => {
                let a = a.bounds(x);
                let v = op.apply(a.value);
                combine(v, v.abs(), &[(op.slope(a.value), &a)])
            }
            Expr::Binary(op, a, b) => {
                let (a, b) = (a.bounds(x), b.bounds(x));
                let v = op.apply(a.value, b.value);
                let (sa, sb) = op.slopes(a.value, b.value, v);
                combine(v, v.abs(), &[(sa, &a), (sb, &b)])
            }
            Expr::Shared(op, a) => {
                let a = a.bounds(x);
                let v = op.apply(a.value, a.value);
                let (sa, sb) = op.slopes(a.value, a.value, v);
                combine(v, v.abs(), &[(sa + sb, &a)])
            }
            Expr::Sum(terms) => {
                let terms: Vec<Bounds<P>> = terms.iter().map(|t| t.bounds(x)).collect();
                let values: Vec<P> = terms.iter().map(|t| t.value).collect();
                let magnitude = values.iter().fold(P::zero(), |s, v| s + v.abs());
                let parts: Vec<(P, &Bounds<P>)> = terms.iter().map(|t| (P::one(), t)).collect();
                combine(P::sum(&values), magnitude, &parts)
            }
            Expr::Dot(pairs) => {
                let pairs: Vec<(Bounds<P>, Bounds<P>)> = pairs
                    .iter()
                    .map(|(a, b)| (a.bounds(x), b.bounds(x)))
                    .collect();
                let (a, b): (Vec<P>, Vec<P>) =
                    pairs.iter().map(|(a, b)| (a.value, b.value)).unzip();
                let magnitude = a
                    .iter()
                    .zip(&b)
                    .fold(P::zero(), |s, (a, b)| s + (*a * *b).abs());
                let parts: Vec<(P, &Bounds<P>)> = pairs
                    .iter()
                    .flat_map(|(a, b)| [(b.value.abs(), a), (a.value.abs(), b)])
                    .collect();
                combine(P::dot(&a, &b), magnitude, &parts)
            }
        }
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    use Binary::*;
    use Unary::*;
    let leaf = prop_oneof![
        3 => (0..N_VARS).prop_map(Expr::Var),
        1 => (-2.0..2.0f64).prop_map(Expr::Const),
    ];
    let unary = prop::sample::select(vec![
        Neg, Sin, Cos, Tanh, Sigmoid, Atan, Hypot1, ExpTanh, Ln1pSquare, Square,
    ]);
    let binary = prop::sample::select(vec![Add, Sub, Mul, DivSoft, PowSoft, MulAdd]);
    leaf.prop_recursive(8, 96, 2, move |inner| {
        prop_oneof![
            3 => (unary.clone(), inner.clone()).prop_map(|(op, a)| Expr::Unary(op, Box::new(a))),
            3 => (binary.clone(), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Expr::Binary(op, Box::new(a), Box::new(b))),
            1 => (binary.clone(), inner.clone()).prop_map(|(op, a)| Expr::Shared(op, Box::new(a))),
            1 => prop::collection::vec(inner.clone(), 1..=4).prop_map(Expr::Sum),
            1 => prop::collection::vec((inner.clone(), inner), 1..=3).prop_map(Expr::Dot),
        ]
    })
}

/// Records `e` at `x` (every variable on the tape, or the variables in `constants` as
/// constants) and compares the value with the plain evaluation.
fn check_value<P: Scalar + Debug>(
    e: &Expr,
    x: [P; N_VARS],
    constants: [bool; N_VARS],
) -> Result<(), TestCaseError> {
    let tape = Tape::new();
    let mut vars = x.map(|xi| tape.var(xi));
    for (var, constant) in vars.iter_mut().zip(constants) {
        if constant {
            *var = Var::constant(var.value());
        }
    }
    let recorded = e.eval(&vars).value();
    let plain = e.eval(&x);
    prop_assert!(
        same_bits(recorded, plain),
        "value {:?} on the tape, {:?} plain",
        recorded,
        plain
    );
    Ok(())
}

/// Records `e` at `x` and compares the gradient with central differences in every
/// variable.
fn check_gradient<P: Scalar + Debug>(e: &Expr, x: [P; N_VARS]) -> Result<(), TestCaseError> {
    let tape = Tape::new();
    let vars = x.map(|xi| tape.var(xi));
    let y = e.eval(&vars);
    let gradient = tape.gradient(y);
    let at = e.bounds(&x);
    let f = |x: &[P]| e.eval(x);
    let err = |x: &[P]| e.bounds(x).err;
    // The adjoint is a sum over paths of products of partials, each partial and product
    // rounded: (depth + 2)·NODE_ULPS·ε relative to the path sum.
    let sweep_ulps = ulps::<P>(NODE_ULPS * (e.depth() + 2) as f64);
    let narrower_than_f64 = P::epsilon().to_f64() != Some(f64::EPSILON);
    let wide: Vec<f64> = x.iter().map(|v| v.to_f64().expect("a float")).collect();
    for (i, &var) in vars.iter().enumerate() {
        let reference = Reference::new(f, err, &x, i);
        prop_assert!(reference.derivative.is_finite());
        // Where the expression oscillates faster than the step resolves (sin(x⁸) at
        // x = 2 in f32), a finite difference is no reference: skip that point.
        prop_assume!(reference.is_asymptotic());
        // Nor where the same difference taken in f64, at the same point, says it is
        // wrong: sin(s⁴) with s⁴ ≈ 1270 in f32 oscillates with a period of 4·10⁻³ in x,
        // below the f32 step, and read 0.77 ± 3.4 where the derivative is −150; the
        // rounding in its bound let the asymptotic test pass (found at 10⁵ cases). The
        // f64 difference asks nothing of the tape.
        // (In f64 it is the same difference: nothing to ask.)
        if narrower_than_f64 {
            let exact =
                Reference::new(|p: &[f64]| e.eval(p), |p: &[f64]| e.bounds(p).err, &wide, i);
            let narrow = reference.derivative.to_f64().expect("a float");
            let slack = 2.0
                * (reference.truncation + reference.rounding)
                    .to_f64()
                    .expect("a float")
                + 2.0 * (exact.truncation + exact.rounding);
            prop_assume!((narrow - exact.derivative).abs() <= slack);
        }
        let g = gradient.wrt(var);
        let tolerance = reference.tolerance(g) + sweep_ulps * at.paths[i];
        prop_assert!(
            (g - reference.derivative).abs() <= tolerance,
            "∂/∂x{} at {:?}: {:?} on the tape, {:?} by central difference (tolerance {:?})",
            i,
            x,
            g,
            reference.derivative,
            tolerance
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_composites.txt"))]

    #[test]
    fn tape_gradient_of_random_expressions_matches_central_differences_f64(
        e in expr(),
        x in prop::array::uniform3(-2.0..2.0f64),
    ) {
        check_gradient(&e, x)?;
    }

    #[test]
    fn tape_gradient_of_random_expressions_matches_central_differences_f32(
        e in expr(),
        x in prop::array::uniform3(-2.0..2.0f32),
    ) {
        check_gradient(&e, x)?;
    }

    #[test]
    fn recorded_value_of_random_expressions_is_the_plain_value_bit_for_bit_f64(
        e in expr(),
        x in prop::array::uniform3(-2.0..2.0f64),
        constants in prop::array::uniform3(any::<bool>()),
    ) {
        check_value(&e, x, constants)?;
    }

    #[test]
    fn recorded_value_of_random_expressions_is_the_plain_value_bit_for_bit_f32(
        e in expr(),
        x in prop::array::uniform3(-2.0..2.0f32),
        constants in prop::array::uniform3(any::<bool>()),
    ) {
        check_value(&e, x, constants)?;
    }
}

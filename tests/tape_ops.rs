//! Every elementary operation of the tape against central finite differences, in f64 and
//! f32, at random points of the op's domain kept away from kinks and poles.
//!
//! The ops are a table of `(name, domain, f)` cases, each `f` written once for
//! `T: Scalar` and run both on plain floats (for the finite difference) and on tape
//! variables. Every case is recorded with every choice of which arguments are variables
//! and which are constants, so a binary op is checked as `var ∘ var`, `var ∘ constant`
//! and `constant ∘ var` (`Var::constant(c) / x`, `Var::constant(c).powf(x)`: where other
//! tapes shipped wrong derivatives). Operators with a primitive float on either side
//! (`c / x`, `x / c`) have their own table. The tolerance is derived from the step in
//! `tape_support::Reference`.

mod common;
mod tape_support;

use std::fmt::Debug;
use std::iter::{Product, Sum};

use gradproof::prelude::*;
use num_traits::NumAssign;
use proptest::prelude::*;
use tape_support::{in_domain, same_bits, ulps, Reference, OP_ULPS};

/// One elementary operation: its arguments' domains and the op written once.
struct Case<T> {
    name: &'static str,
    /// One interval per argument, away from the op's kinks, poles and branch cuts.
    domain: &'static [(f64, f64)],
    f: fn(&[T]) -> T,
    /// A magnitude `M` with evaluation error `≤ OP_ULPS·ε·M`, for ops that round more
    /// than once (sums, dot products); `|f|` when `None`.
    scale: Option<fn(&[T]) -> T>,
}

/// Numbers the cases run on: plain floats and tape variables.
trait Number: Scalar + NumAssign + Sum + Product {}
impl<T: Scalar + NumAssign + Sum + Product> Number for T {}

fn case<T>(name: &'static str, domain: &'static [(f64, f64)], f: fn(&[T]) -> T) -> Case<T> {
    Case {
        name,
        domain,
        f,
        scale: None,
    }
}

fn multi_step<T>(
    name: &'static str,
    domain: &'static [(f64, f64)],
    f: fn(&[T]) -> T,
    scale: fn(&[T]) -> T,
) -> Case<T> {
    Case {
        name,
        domain,
        f,
        scale: Some(scale),
    }
}

fn c<T: Float>(v: f64) -> T {
    T::from(v).expect("a small constant")
}

const R: (f64, f64) = (-4.0, 4.0);
const POS: (f64, f64) = (0.25, 8.0);
const NEG: (f64, f64) = (-8.0, -0.25);
const UNIT: (f64, f64) = (-0.9, 0.9);

/// Every elementary op, with the domain its derivative is checked on.
fn cases<T: Number>() -> Vec<Case<T>> {
    vec![
        case("a + b", &[R, R], |v| v[0] + v[1]),
        case("a - b", &[R, R], |v| v[0] - v[1]),
        case("a * b", &[R, R], |v| v[0] * v[1]),
        case("a / b", &[R, (0.5, 4.0)], |v| v[0] / v[1]),
        case("a / b, b < 0", &[R, (-4.0, -0.5)], |v| v[0] / v[1]),
        case("-a", &[R], |v| -v[0]),
        // a/b stays within (2, 3): away from the jumps of trunc(a/b).
        case("a % b", &[(5.2, 5.8), (2.05, 2.45)], |v| v[0] % v[1]),
        // a/b within (−3, −2): trunc, not floor, sets ∂/∂b = −trunc(a/b) = 2.
        case("a % b, a < 0", &[(-5.8, -5.2), (2.05, 2.45)], |v| {
            v[0] % v[1]
        }),
        case("a.powi(3)", &[R], |v| v[0].powi(3)),
        case("a.powi(-2)", &[(0.5, 3.0)], |v| v[0].powi(-2)),
        case("a.powi(-3), a < 0", &[(-3.0, -0.5)], |v| v[0].powi(-3)),
        case("a.powi(0)", &[R], |v| v[0].powi(0)),
        case("a.powf(b)", &[(0.25, 4.0), (-2.5, 2.5)], |v| {
            v[0].powf(v[1])
        }),
        case("a.powf(3), a < 0", &[(-3.0, -0.5)], |v| v[0].powf(c(3.0))),
        case("a.exp()", &[(-5.0, 5.0)], |v| v[0].exp()),
        case("a.exp2()", &[(-5.0, 5.0)], |v| v[0].exp2()),
        case("a.exp_m1()", &[(-3.0, 3.0)], |v| v[0].exp_m1()),
        case("a.ln()", &[POS], |v| v[0].ln()),
        case("a.ln_1p()", &[(-0.5, 8.0)], |v| v[0].ln_1p()),
        case("a.log2()", &[POS], |v| v[0].log2()),
        case("a.log10()", &[POS], |v| v[0].log10()),
        case("a.log(b)", &[POS, (1.5, 8.0)], |v| v[0].log(v[1])),
        case("a.log(b), b < 1", &[POS, (0.2, 0.7)], |v| v[0].log(v[1])),
        case("a.sqrt()", &[POS], |v| v[0].sqrt()),
        case("a.cbrt()", &[POS], |v| v[0].cbrt()),
        case("a.cbrt(), a < 0", &[NEG], |v| v[0].cbrt()),
        case("a.sigmoid()", &[(-8.0, 8.0)], |v| v[0].sigmoid()),
        case("a.tanh()", &[R], |v| v[0].tanh()),
        case("a.relu(), a > 0", &[POS], |v| v[0].relu()),
        case("a.relu(), a < 0", &[NEG], |v| v[0].relu()),
        case("a.abs(), a > 0", &[POS], |v| v[0].abs()),
        case("a.abs(), a < 0", &[NEG], |v| v[0].abs()),
        case("a.sin()", &[(-6.0, 6.0)], |v| v[0].sin()),
        case("a.cos()", &[(-6.0, 6.0)], |v| v[0].cos()),
        case("a.tan()", &[(-1.3, 1.3)], |v| v[0].tan()),
        case("a.sin_cos()", &[(-6.0, 6.0)], |v| {
            let (s, c) = v[0].sin_cos();
            s * c
        }),
        case("a.asin()", &[UNIT], |v| v[0].asin()),
        case("a.acos()", &[UNIT], |v| v[0].acos()),
        case("a.atan()", &[R], |v| v[0].atan()),
        case("a.atan2(b)", &[(-3.0, 3.0), (0.5, 3.0)], |v| {
            v[0].atan2(v[1])
        }),
        // Left of the origin, on either side of the branch cut along the negative axis.
        case("a.atan2(b), a > 0", &[(0.5, 3.0), (-3.0, 3.0)], |v| {
            v[0].atan2(v[1])
        }),
        case("a.atan2(b), a < 0", &[(-3.0, -0.5), (-3.0, 3.0)], |v| {
            v[0].atan2(v[1])
        }),
        case("a.hypot(b)", &[(-3.0, 3.0), (0.5, 3.0)], |v| {
            v[0].hypot(v[1])
        }),
        case("a.sinh()", &[(-3.0, 3.0)], |v| v[0].sinh()),
        case("a.cosh()", &[(-3.0, 3.0)], |v| v[0].cosh()),
        case("a.asinh()", &[R], |v| v[0].asinh()),
        case("a.acosh()", &[(1.25, 8.0)], |v| v[0].acosh()),
        case("a.atanh()", &[UNIT], |v| v[0].atanh()),
        case("a.recip()", &[POS], |v| v[0].recip()),
        case("a.recip(), a < 0", &[NEG], |v| v[0].recip()),
        case("a.to_degrees()", &[R], |v| v[0].to_degrees()),
        case("a.to_radians()", &[(-360.0, 360.0)], |v| v[0].to_radians()),
        case("a.max(b), a wins", &[(1.0, 2.0), (-1.0, 0.5)], |v| {
            v[0].max(v[1])
        }),
        case("a.max(b), b wins", &[(-1.0, 0.5), (1.0, 2.0)], |v| {
            v[0].max(v[1])
        }),
        case("a.min(b), a wins", &[(-1.0, 0.5), (1.0, 2.0)], |v| {
            v[0].min(v[1])
        }),
        case("a.min(b), b wins", &[(1.0, 2.0), (-1.0, 0.5)], |v| {
            v[0].min(v[1])
        }),
        // Fused: one rounding, like the plain float's.
        case("a.mul_add(b, c)", &[R, R, R], |v| v[0].mul_add(v[1], v[2])),
        multi_step(
            "T::sum(&[a, b, c, d, e, f])",
            &[R, R, R, R, R, R],
            |v| <T as Scalar>::sum(v),
            |v| c::<T>(6.0) * abs_sum(v),
        ),
        multi_step(
            "T::sum(&[a, b, a])",
            &[R, R],
            |v| <T as Scalar>::sum(&[v[0], v[1], v[0]]),
            |v| c::<T>(3.0) * abs_sum(v),
        ),
        multi_step(
            "T::dot(&[a, b, c], &[d, e, f])",
            &[R, R, R, R, R, R],
            |v| T::dot(&v[..3], &v[3..]),
            |v| c::<T>(3.0) * abs_sum(&[v[0] * v[3], v[1] * v[4], v[2] * v[5]]),
        ),
        multi_step(
            "T::dot(&[a, b], &[a, c])",
            &[R, R, R],
            |v| T::dot(&[v[0], v[1]], &[v[0], v[2]]),
            |v| c::<T>(2.0) * abs_sum(&[v[0] * v[0], v[1] * v[2]]),
        ),
        multi_step(
            "[a, b, c, d].iter().sum()",
            &[R, R, R, R],
            |v| v.iter().copied().sum(),
            |v| c::<T>(4.0) * abs_sum(v),
        ),
        multi_step(
            "[a, b, c].iter().product()",
            &[(0.5, 2.0), (-2.0, -0.5), (0.5, 2.0)],
            |v| v.iter().copied().product(),
            |v| c::<T>(3.0) * (v[0] * v[1] * v[2]).abs(),
        ),
        // No cancellation on this domain: (a + b)·b/c ≤ 2 < c.
        multi_step(
            "a += b; a *= b; a /= c; a -= c",
            &[(1.0, 2.0), (1.0, 2.0), (4.0, 5.0)],
            |v| {
                let mut a = v[0];
                a += v[1];
                a *= v[1];
                a /= v[2];
                a -= v[2];
                a
            },
            |v| c::<T>(4.0) * ((v[0] + v[1]) * v[1] / v[2] + v[2]),
        ),
    ]
}

fn abs_sum<T: Float>(v: &[T]) -> T {
    v.iter().fold(T::zero(), |acc, x| acc + x.abs())
}

/// The most arguments any case takes.
const MAX_ARITY: usize = 6;

/// Checks every case at the points `units` picks (`MAX_ARITY` numbers in `[0, 1]` per case),
/// with every non-empty set of its arguments as variables and the rest as constants.
fn check_every_op<P: Number + Debug>(units: &[f64]) -> Result<(), TestCaseError> {
    let plain = cases::<P>();
    let tape = Tape::new();
    let recorded = cases::<Var<'_, P>>();
    for (k, (op, var_op)) in plain.iter().zip(&recorded).enumerate() {
        let arity = op.domain.len();
        let x: Vec<P> = op
            .domain
            .iter()
            .zip(&units[k * MAX_ARITY..])
            .map(|(&domain, &u)| in_domain(u, domain))
            .collect();
        let value = (op.f)(&x);
        let err = |x: &[P]| {
            let scale = op.scale.map_or_else(|| (op.f)(x).abs(), |s| s(x));
            ulps::<P>(OP_ULPS) * scale
        };
        let references: Vec<Reference<P>> = (0..arity)
            .map(|i| Reference::new(op.f, err, &x, i))
            .collect();
        for reference in &references {
            prop_assert!(
                reference.derivative.is_finite() && reference.is_asymptotic(),
                "{}: the domain is too close to a pole or kink at {:?} for the step: {:?}",
                op.name,
                x,
                reference
            );
        }
        for mask in 1..1u32 << arity {
            let args: Vec<Var<'_, P>> = x
                .iter()
                .enumerate()
                .map(|(i, &xi)| {
                    if mask & (1 << i) != 0 {
                        tape.var(xi)
                    } else {
                        Var::constant(xi)
                    }
                })
                .collect();
            let y = (var_op.f)(&args);
            prop_assert!(
                same_bits(y.value(), value),
                "{} with variables {:b}: value {:?} but plain {:?}",
                op.name,
                mask,
                y.value(),
                value
            );
            let gradient = tape.gradient(y);
            for (i, reference) in references.iter().enumerate() {
                if mask & (1 << i) == 0 {
                    continue;
                }
                let g = gradient.wrt(args[i]);
                prop_assert!(
                    reference.agrees(g),
                    "{} at {:?} with variables {:b}: ∂/∂x{} = {:?} on the tape, {:?} by \
                     central difference (tolerance {:?})",
                    op.name,
                    x,
                    mask,
                    i,
                    g,
                    reference.derivative,
                    reference.tolerance(g)
                );
            }
        }
    }
    Ok(())
}

/// An operator with a primitive float on one side: `c ∘ x` and `x ∘ c`.
struct PrimitiveCase<'t, P> {
    name: &'static str,
    domain: [(f64, f64); 2],
    plain: fn(&[P]) -> P,
    /// `a ∘ b` with `a` a primitive float and `b` a variable.
    left: fn(P, Var<'t, P>) -> Var<'t, P>,
    /// `a ∘ b` with `a` a variable and `b` a primitive float.
    right: fn(Var<'t, P>, P) -> Var<'t, P>,
}

/// The operators with a primitive on either side, for one float type (`f64 * Var` is
/// implemented per primitive type, not generically).
macro_rules! primitive_cases {
    ($name:ident, $float:ty) => {
        fn $name<'t>() -> Vec<PrimitiveCase<'t, $float>> {
            vec![
                PrimitiveCase {
                    name: "+",
                    domain: [R, R],
                    plain: |v| v[0] + v[1],
                    left: |a, b| a + b,
                    right: |a, b| a + b,
                },
                PrimitiveCase {
                    name: "-",
                    domain: [R, R],
                    plain: |v| v[0] - v[1],
                    left: |a, b| a - b,
                    right: |a, b| a - b,
                },
                PrimitiveCase {
                    name: "*",
                    domain: [R, R],
                    plain: |v| v[0] * v[1],
                    left: |a, b| a * b,
                    right: |a, b| a * b,
                },
                PrimitiveCase {
                    name: "/",
                    domain: [R, (0.5, 4.0)],
                    plain: |v| v[0] / v[1],
                    left: |a, b| a / b,
                    right: |a, b| a / b,
                },
                PrimitiveCase {
                    name: "%",
                    domain: [(5.2, 5.8), (2.05, 2.45)],
                    plain: |v| v[0] % v[1],
                    left: |a, b| a % b,
                    right: |a, b| a % b,
                },
            ]
        }
    };
}

primitive_cases!(primitive_cases_f64, f64);
primitive_cases!(primitive_cases_f32, f32);

/// Checks `c ∘ x` (∂/∂b) and `x ∘ c` (∂/∂a) for every operator at the points `units` picks.
fn check_primitive_operands<'t, P: Number + Debug>(
    tape: &'t Tape<P>,
    cases: Vec<PrimitiveCase<'t, P>>,
    units: &[f64],
) -> Result<(), TestCaseError> {
    for (k, op) in cases.iter().enumerate() {
        let x: Vec<P> = op
            .domain
            .iter()
            .zip(&units[2 * k..])
            .map(|(&domain, &u)| in_domain(u, domain))
            .collect();
        let value = (op.plain)(&x);
        let err = |x: &[P]| ulps::<P>(OP_ULPS) * (op.plain)(x).abs();
        let b = tape.var(x[1]);
        let a = tape.var(x[0]);
        for (side, y, var, i) in [
            ("c ∘ x", (op.left)(x[0], b), b, 1),
            ("x ∘ c", (op.right)(a, x[1]), a, 0),
        ] {
            prop_assert!(
                same_bits(y.value(), value),
                "{} {}: value {:?} but plain {:?}",
                side,
                op.name,
                y.value(),
                value
            );
            let reference = Reference::new(op.plain, err, &x, i);
            prop_assert!(
                reference.is_asymptotic(),
                "{} {}: {:?}",
                side,
                op.name,
                reference
            );
            let g = tape.gradient(y).wrt(var);
            prop_assert!(
                reference.agrees(g),
                "{} with ∘ = {} at {:?}: derivative {:?} on the tape, {:?} by central \
                 difference",
                side,
                op.name,
                x,
                g,
                reference.derivative
            );
        }
    }
    Ok(())
}

fn units(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0..=1.0f64, n)
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_ops.txt"))]

    #[test]
    fn every_op_matches_central_differences_with_any_operand_constant_f64(
        u in units(MAX_ARITY * cases::<f64>().len()),
    ) {
        check_every_op::<f64>(&u)?;
    }

    #[test]
    fn every_op_matches_central_differences_with_any_operand_constant_f32(
        u in units(MAX_ARITY * cases::<f32>().len()),
    ) {
        check_every_op::<f32>(&u)?;
    }

    #[test]
    fn operators_with_a_primitive_on_either_side_match_central_differences_f64(
        u in units(2 * primitive_cases_f64().len()),
    ) {
        let tape = Tape::new();
        check_primitive_operands(&tape, primitive_cases_f64(), &u)?;
    }

    #[test]
    fn operators_with_a_primitive_on_either_side_match_central_differences_f32(
        u in units(2 * primitive_cases_f32().len()),
    ) {
        let tape = Tape::new();
        check_primitive_operands(&tape, primitive_cases_f32(), &u)?;
    }

    /// The tolerance is tight enough to tell the wrong rules other tapes have shipped
    /// from the right ones, so the tests above could fail.
    #[test]
    fn the_tolerance_rejects_wrong_derivative_rules(
        a in 0.5..4.0f64,
        x in -2.5..2.5f64,
    ) {
        let err = |v: &[f64]| ulps::<f64>(OP_ULPS) * v[0].abs();
        let quotient = |v: &[f64]| a / v[0];
        let xq = [x.abs() + 0.5];
        let reference = Reference::new(quotient, |v: &[f64]| err(&[quotient(v)]), &xq, 0);
        // ∂(c/x)/∂x taken as −1/x² (the constant numerator dropped) or as 1/c.
        let right = -a / (xq[0] * xq[0]);
        prop_assert!(reference.agrees(right));
        if (a - 1.0).abs() > 1e-3 {
            prop_assert!(!reference.agrees(-1.0 / (xq[0] * xq[0])));
        }
        prop_assert!(!reference.agrees(1.0 / a));

        // ∂(cˣ)/∂x taken as x·c^(x−1), the power rule in the wrong argument.
        let power = |v: &[f64]| a.powf(v[0]);
        let reference = Reference::new(power, |v: &[f64]| err(&[power(v)]), &[x], 0);
        let right = a.powf(x) * a.ln();
        prop_assert!(reference.agrees(right));
        let wrong = x * a.powf(x - 1.0);
        if (wrong - right).abs() > 1e-6 * right.abs().max(1.0) {
            prop_assert!(!reference.agrees(wrong));
        }

        // σ′ taken as σ, the factor (1 − σ) missing.
        let sigmoid = |v: &[f64]| v[0].sigmoid();
        let reference = Reference::new(sigmoid, |v: &[f64]| err(&[sigmoid(v)]), &[x], 0);
        let s = x.sigmoid();
        prop_assert!(reference.agrees(s * (1.0 - s)));
        prop_assert!(!reference.agrees(s));
    }
}

//! The value a `Var` carries is the plain float's, bit for bit: for every method of
//! `Float` and `Scalar`, at ordinary numbers and at the special ones (±0, ±∞, NaN,
//! subnormals, huge and tiny), on a variable and on a constant. A function written once
//! for `T: Float` therefore computes the same number on the tape as off it.

mod common;
mod tape_support;

use std::fmt::Debug;
use std::iter::{Product, Sum};

use gradproof::prelude::*;
use proptest::prelude::*;
use tape_support::same_bits;

/// Numbers the methods run on: plain floats and tape variables.
trait Number: Scalar + Sum + Product {}
impl<T: Scalar + Sum + Product> Number for T {}

type Method<T> = (&'static str, fn(&[T]) -> T);

/// Every value-producing method, as a function of its arguments.
fn methods<T: Number>() -> Vec<Method<T>> {
    vec![
        ("a + b", |v| v[0] + v[1]),
        ("a - b", |v| v[0] - v[1]),
        ("a * b", |v| v[0] * v[1]),
        ("a / b", |v| v[0] / v[1]),
        ("a % b", |v| v[0] % v[1]),
        ("-a", |v| -v[0]),
        ("a.floor()", |v| v[0].floor()),
        ("a.ceil()", |v| v[0].ceil()),
        ("a.round()", |v| v[0].round()),
        ("a.trunc()", |v| v[0].trunc()),
        ("a.fract()", |v| v[0].fract()),
        ("a.abs()", |v| v[0].abs()),
        ("a.signum()", |v| v[0].signum()),
        ("a.mul_add(b, c)", |v| v[0].mul_add(v[1], v[2])),
        ("a.recip()", |v| v[0].recip()),
        ("a.powi(3)", |v| v[0].powi(3)),
        ("a.powi(-2)", |v| v[0].powi(-2)),
        ("a.powi(0)", |v| v[0].powi(0)),
        ("a.powf(b)", |v| v[0].powf(v[1])),
        ("a.sqrt()", |v| v[0].sqrt()),
        ("a.exp()", |v| v[0].exp()),
        ("a.exp2()", |v| v[0].exp2()),
        ("a.ln()", |v| v[0].ln()),
        ("a.log(b)", |v| v[0].log(v[1])),
        ("a.log2()", |v| v[0].log2()),
        ("a.log10()", |v| v[0].log10()),
        ("a.to_degrees()", |v| v[0].to_degrees()),
        ("a.to_radians()", |v| v[0].to_radians()),
        ("a.max(b)", |v| v[0].max(v[1])),
        ("a.min(b)", |v| v[0].min(v[1])),
        ("a.clamp(b, c)", |v| {
            // The plain float's clamp panics unless min ≤ max: order them first.
            let (lo, hi) = if v[1] <= v[2] {
                (v[1], v[2])
            } else {
                (v[2], v[1])
            };
            if lo <= hi {
                v[0].clamp(lo, hi)
            } else {
                v[0]
            }
        }),
        #[allow(deprecated)]
        ("a.abs_sub(b)", |v| v[0].abs_sub(v[1])),
        ("a.cbrt()", |v| v[0].cbrt()),
        ("a.hypot(b)", |v| v[0].hypot(v[1])),
        ("a.sin()", |v| v[0].sin()),
        ("a.cos()", |v| v[0].cos()),
        ("a.tan()", |v| v[0].tan()),
        ("a.asin()", |v| v[0].asin()),
        ("a.acos()", |v| v[0].acos()),
        ("a.atan()", |v| v[0].atan()),
        ("a.atan2(b)", |v| v[0].atan2(v[1])),
        ("a.sin_cos().0", |v| v[0].sin_cos().0),
        ("a.sin_cos().1", |v| v[0].sin_cos().1),
        ("a.exp_m1()", |v| v[0].exp_m1()),
        ("a.ln_1p()", |v| v[0].ln_1p()),
        ("a.sinh()", |v| v[0].sinh()),
        ("a.cosh()", |v| v[0].cosh()),
        ("a.tanh()", |v| v[0].tanh()),
        ("a.asinh()", |v| v[0].asinh()),
        ("a.acosh()", |v| v[0].acosh()),
        ("a.atanh()", |v| v[0].atanh()),
        ("a.copysign(b)", |v| v[0].copysign(v[1])),
        ("a.sigmoid()", |v| v[0].sigmoid()),
        ("a.relu()", |v| v[0].relu()),
        ("T::sum(&[a, b, c])", |v| <T as Scalar>::sum(v)),
        ("T::sum(&[])", |_| <T as Scalar>::sum(&[])),
        ("T::dot(&[a, b], &[c, a])", |v| {
            T::dot(&[v[0], v[1]], &[v[2], v[0]])
        }),
        ("[a, b, c].iter().sum()", |v| v.iter().copied().sum()),
        ("[].iter().sum()", |_| std::iter::empty().sum()),
        ("[a, b, c].iter().product()", |v| {
            v.iter().copied().product()
        }),
    ]
}

/// The special numbers of a float type, each also negated.
fn special<P: Float>() -> Vec<P> {
    let base = [
        P::zero(),
        P::one(),
        P::from(0.5).expect("small"),
        P::from(2.0).expect("small"),
        P::from(3.0).expect("small"),
        P::infinity(),
        P::nan(),
        P::epsilon(),
        P::min_positive_value(),
        P::min_positive_value() / P::from(4.0).expect("small"),
        P::max_value(),
    ];
    base.iter().flat_map(|&x| [x, -x]).collect()
}

/// Checks every method at `x` (three arguments; methods use a prefix), with the
/// arguments as variables and as constants.
fn check_methods<P: Number + Debug>(x: [P; 3]) -> Result<(), TestCaseError> {
    let tape = Tape::new();
    let variables = x.map(|xi| tape.var(xi));
    let constants = x.map(Var::constant);
    for ((name, plain), (_, recorded)) in methods::<P>().into_iter().zip(methods()) {
        let expected = plain(&x);
        for (kind, args) in [("variables", &variables), ("constants", &constants)] {
            let got = recorded(args).value();
            prop_assert!(
                same_bits(got, expected),
                "{} on {} {:?}: {:?}, the plain float gives {:?}",
                name,
                kind,
                x,
                got,
                expected
            );
        }
    }
    Ok(())
}

/// A float drawn half the time from the special numbers, half from all finite ones.
fn number_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(special::<f64>()),
        -10.0..10.0f64,
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
    ]
}

fn number_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        prop::sample::select(special::<f32>()),
        -10.0..10.0f32,
        prop::num::f32::NORMAL | prop::num::f32::SUBNORMAL | prop::num::f32::ZERO,
    ]
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_values.txt"))]

    #[test]
    fn every_method_on_a_var_carries_the_plain_value_bit_for_bit_f64(
        a in number_f64(),
        b in number_f64(),
        c in number_f64(),
    ) {
        check_methods([a, b, c])?;
    }

    #[test]
    fn every_method_on_a_var_carries_the_plain_value_bit_for_bit_f32(
        a in number_f32(),
        b in number_f32(),
        c in number_f32(),
    ) {
        check_methods([a, b, c])?;
    }
}

/// Every pair of special numbers, exhaustively (the random search may miss a pair).
#[test]
fn every_method_on_a_var_carries_the_plain_value_at_every_special_pair() {
    for &a in &special::<f64>() {
        for &b in &special::<f64>() {
            check_methods([a, b, a]).unwrap();
            check_methods([a as f32, b as f32, b as f32]).unwrap();
        }
    }
}

//! Partials where a naive formula loses its digits: next to the edge of a domain
//! (`1 − x²` as `x → 1` cancels) and at huge or tiny arguments (`x²` overflows or
//! underflows). Finite differences cannot see these errors (the step is far larger than
//! the scale of the cancellation), so the f32 tape is checked against the same
//! derivative evaluated in f64 from the same f32 input: there the squares of an f32 are
//! exact and the cancellation costs nothing, so the reference is correct to far better
//! than an f32 ulp.

mod common;

use gradproof::prelude::*;
use proptest::prelude::*;

/// How many f32 ulps a partial may be off: a handful of correctly rounded operations.
const ULPS: f32 = 4.0;

/// The tape's derivative of `f` at `x`, in f32.
fn tape_derivative(f: impl for<'t> Fn(Var<'t, f32>) -> Var<'t, f32>, x: f32) -> f32 {
    let tape = Tape::new();
    let v = tape.var(x);
    tape.gradient(f(v)).wrt(v)
}

/// `|got − reference| ≤ ULPS` f32 ulps of the reference (or of the smallest normal f32,
/// where the reference is subnormal).
fn close(got: f32, reference: f64) -> bool {
    let reference32 = reference as f32;
    let ulp = reference32.abs().max(f32::MIN_POSITIVE) * f32::EPSILON;
    (got - reference32).abs() <= ULPS * ulp
}

/// An f32 at most `2^-4` from 1, down to the very next float: `1 − k·2⁻²⁴`.
fn just_below_one() -> impl Strategy<Value = f32> {
    prop_oneof![
        (1u32..1 << 20).prop_map(|k| 1.0 - k as f32 * (f32::EPSILON / 2.0)),
        0.5f32..1.0,
    ]
}

/// An f32 at most `2^-3` above 1, down to the very next float: `1 + k·2⁻²³`.
fn just_above_one() -> impl Strategy<Value = f32> {
    prop_oneof![
        (1u32..1 << 20).prop_map(|k| 1.0 + k as f32 * f32::EPSILON),
        1.0f32..4.0,
    ]
}

/// `±10^e` for `e` uniform in `[lo, hi]`.
fn magnitude(lo: f32, hi: f32) -> impl Strategy<Value = f32> {
    (lo..hi, any::<bool>()).prop_map(|(e, negative)| {
        let x = 10f32.powf(e);
        if negative {
            -x
        } else {
            x
        }
    })
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/tape_accuracy.txt"))]

    #[test]
    fn asin_acos_and_atanh_partials_are_accurate_next_to_plus_minus_one(
        x in just_below_one(),
        negative in any::<bool>(),
    ) {
        let x = if negative { -x } else { x };
        let x64 = f64::from(x);
        let one_minus_square = 1.0 - x64 * x64;
        let asin = tape_derivative(|v| v.asin(), x);
        prop_assert!(close(asin, 1.0 / one_minus_square.sqrt()), "asin'({x}) = {asin}");
        let acos = tape_derivative(|v| v.acos(), x);
        prop_assert!(close(acos, -1.0 / one_minus_square.sqrt()), "acos'({x}) = {acos}");
        let atanh = tape_derivative(|v| v.atanh(), x);
        prop_assert!(close(atanh, 1.0 / one_minus_square), "atanh'({x}) = {atanh}");
    }

    #[test]
    fn acosh_partial_is_accurate_next_to_one_and_at_huge_arguments(
        x in prop_oneof![just_above_one(), magnitude(0.0, 38.0).prop_map(f32::abs)],
    ) {
        let x64 = f64::from(x);
        let acosh = tape_derivative(|v| v.acosh(), x);
        prop_assert!(close(acosh, 1.0 / (x64 * x64 - 1.0).sqrt()), "acosh'({x}) = {acosh}");
    }

    #[test]
    fn asinh_partial_is_accurate_at_huge_and_tiny_arguments(x in magnitude(-30.0, 38.0)) {
        let x64 = f64::from(x);
        let asinh = tape_derivative(|v| v.asinh(), x);
        prop_assert!(close(asinh, 1.0 / (x64 * x64 + 1.0).sqrt()), "asinh'({x}) = {asinh}");
    }

    #[test]
    fn atan_partial_is_accurate_at_huge_arguments(x in magnitude(-30.0, 38.0)) {
        let x64 = f64::from(x);
        let atan = tape_derivative(|v| v.atan(), x);
        prop_assert!(close(atan, 1.0 / (x64 * x64 + 1.0)), "atan'({x}) = {atan}");
    }

    #[test]
    fn atan2_partials_are_accurate_at_huge_and_tiny_arguments(
        a in magnitude(-30.0, 30.0),
        ratio in magnitude(-3.0, 3.0),
    ) {
        let b = a * ratio;
        let tape = Tape::new();
        let (av, bv) = (tape.var(a), tape.var(b));
        let grad = tape.gradient(av.atan2(bv));
        let (a64, b64) = (f64::from(a), f64::from(b));
        let r2 = a64 * a64 + b64 * b64;
        prop_assert!(close(grad.wrt(av), b64 / r2), "∂/∂a at ({a}, {b}): {}", grad.wrt(av));
        prop_assert!(close(grad.wrt(bv), -a64 / r2), "∂/∂b at ({a}, {b}): {}", grad.wrt(bv));
    }
}

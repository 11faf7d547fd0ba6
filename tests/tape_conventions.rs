//! The documented conventions at kinks and at the edges of the domains (the module doc of
//! `src/rules.rs`, summarised on `Var`), each in f64 and f32: what the tape answers
//! where the derivative is not defined, and that an unused branch cannot poison a
//! gradient while a used NaN does reach it.

use std::fmt::Debug;

use gradproof::prelude::*;

/// The float types the conventions are checked on.
trait Real: Float + Debug + 'static {}
impl<P: Float + Debug + 'static> Real for P {}

/// A function of one variable on any tape.
type F1<P> = for<'t> fn(Var<'t, P>) -> Var<'t, P>;
/// A function of two variables on any tape.
type F2<P> = for<'t> fn(Var<'t, P>, Var<'t, P>) -> Var<'t, P>;

/// The value of `f(x)` and its derivative, with `x` a variable.
fn d1<P: Real>(f: impl for<'t> Fn(Var<'t, P>) -> Var<'t, P>, x: P) -> (P, P) {
    let tape = Tape::new();
    let x = tape.var(x);
    let y = f(x);
    (y.value(), tape.gradient(y).wrt(x))
}

/// The value of `f(a, b)` and its two partials, with both variables.
fn d2<P: Real>(f: impl for<'t> Fn(Var<'t, P>, Var<'t, P>) -> Var<'t, P>, a: P, b: P) -> (P, P, P) {
    let tape = Tape::new();
    let (a, b) = (tape.var(a), tape.var(b));
    let y = f(a, b);
    let grad = tape.gradient(y);
    (y.value(), grad.wrt(a), grad.wrt(b))
}

fn c<P: Float>(v: f64) -> P {
    P::from(v).expect("a small constant")
}

/// Runs a generic check on f64 and on f32.
macro_rules! on_both_floats {
    ($check:ident) => {
        $check::<f64>();
        $check::<f32>();
    };
}

fn is_pos_inf<P: Float>(x: P) -> bool {
    x.is_infinite() && x > P::zero()
}

#[test]
fn relu_derivative_at_zero_is_zero() {
    fn check<P: Real>() {
        for zero in [P::zero(), P::neg_zero()] {
            let (value, d) = d1(|x| x.relu(), zero);
            assert_eq!((value, d), (P::zero(), P::zero()));
            assert!(value.is_sign_positive(), "relu(-0.0) is +0.0");
        }
        assert_eq!(d1(|x| x.relu(), c::<P>(0.5)).1, P::one());
        assert_eq!(d1(|x| x.relu(), c::<P>(-0.5)).1, P::zero());
    }
    on_both_floats!(check);
}

#[test]
fn abs_derivative_at_zero_is_zero() {
    fn check<P: Real>() {
        for zero in [P::zero(), P::neg_zero()] {
            assert_eq!(d1(|x| x.abs(), zero), (P::zero(), P::zero()));
        }
        assert_eq!(d1(|x| x.abs(), c::<P>(0.5)).1, P::one());
        assert_eq!(d1(|x| x.abs(), c::<P>(-0.5)).1, -P::one());
    }
    on_both_floats!(check);
}

#[test]
fn max_and_min_at_a_tie_differentiate_the_left_operand() {
    fn check<P: Real>() {
        let t = c::<P>(1.5);
        assert_eq!(d2(|a, b| a.max(b), t, t), (t, P::one(), P::zero()));
        assert_eq!(d2(|a, b| a.min(b), t, t), (t, P::one(), P::zero()));
        // With the same variable on both sides the two edges add up to the derivative 1.
        assert_eq!(d1(|x| x.max(x), t), (t, P::one()));
        assert_eq!(d1(|x| x.min(x), t), (t, P::one()));
        // Away from the tie the larger (smaller) operand takes it all.
        assert_eq!(
            d2(|a, b| a.max(b), t, c::<P>(2.0)),
            (c::<P>(2.0), P::zero(), P::one())
        );
        assert_eq!(
            d2(|a, b| a.min(b), t, c::<P>(2.0)),
            (t, P::one(), P::zero())
        );
    }
    on_both_floats!(check);
}

#[test]
fn max_and_min_ignore_a_nan_operand_like_plain_floats() {
    fn check<P: Real>() {
        let (x, nan) = (c::<P>(1.5), P::nan());
        for (a, b, da, db) in [(x, nan, P::one(), P::zero()), (nan, x, P::zero(), P::one())] {
            assert_eq!(d2(|a, b| a.max(b), a, b), (x, da, db));
            assert_eq!(d2(|a, b| a.min(b), a, b), (x, da, db));
        }
        // Both NaN: the value says so; the derivative goes left, as at a tie.
        let sides: [F2<P>; 2] = [|a, b| a.max(b), |a, b| a.min(b)];
        for f in sides {
            let (value, da, db) = d2(f, nan, nan);
            assert!(value.is_nan() && da == P::one() && db == P::zero());
        }
    }
    on_both_floats!(check);
}

#[test]
fn ln_of_a_negative_number_is_nan_with_a_nan_derivative() {
    fn check<P: Real>() {
        let negative = c::<P>(-2.0);
        for (value, d) in [
            d1(|x| x.ln(), negative),
            d1(|x| x.log2(), negative),
            d1(|x| x.log10(), negative),
            d1(|x| x.ln_1p(), c::<P>(-3.0)),
        ] {
            assert!(value.is_nan() && d.is_nan(), "{value:?}, {d:?}");
        }
    }
    on_both_floats!(check);
}

#[test]
fn ln_of_zero_is_minus_infinity_with_derivative_plus_infinity() {
    fn check<P: Real>() {
        for zero in [P::zero(), P::neg_zero()] {
            for (value, d) in [
                d1(|x| x.ln(), zero),
                d1(|x| x.log2(), zero),
                d1(|x| x.log10(), zero),
                d1(|x| (x - Var::constant(P::one())).ln_1p(), zero),
            ] {
                assert_eq!(value, P::neg_infinity());
                assert!(is_pos_inf(d), "at {zero:?}: derivative {d:?}, not +inf");
            }
        }
    }
    on_both_floats!(check);
}

#[test]
fn sqrt_of_zero_is_zero_with_derivative_plus_infinity() {
    fn check<P: Real>() {
        for zero in [P::zero(), P::neg_zero()] {
            let (value, d) = d1(|x| x.sqrt(), zero);
            assert_eq!(value, P::zero());
            assert!(is_pos_inf(d), "at {zero:?}: derivative {d:?}, not +inf");
        }
    }
    on_both_floats!(check);
}

#[test]
fn powf_of_a_negative_base_has_a_nan_exponent_derivative_and_a_finite_base_derivative() {
    fn check<P: Real>() {
        let (x, three) = (c::<P>(-2.0), c::<P>(3.0));
        // Both variables: ∂/∂x = 3·x² = 12, ∂/∂y = x³·ln x is not defined.
        let (value, dx, dy) = d2(|x, y| x.powf(y), x, three);
        assert_eq!((value, dx), (c::<P>(-8.0), c::<P>(12.0)));
        assert!(dy.is_nan());

        // A constant integer exponent records no ∂/∂y edge: nothing NaN anywhere.
        let tape = Tape::new();
        let xv = tape.var(x);
        let y = xv.powf(Var::constant(three)) + xv.powi(2);
        let grad = tape.gradient(y);
        assert_eq!(grad.wrt(xv), c(12.0 - 4.0));
        assert!(grad.adjoints().iter().all(|a| a.is_finite()));

        // A constant negative base: ∂/∂y is NaN.
        let (value, dy) = d1(|y| Var::constant(x).powf(y), three);
        assert_eq!(value, c::<P>(-8.0));
        assert!(dy.is_nan());

        // A non-integer exponent: the power itself is not defined.
        let (value, dx, dy) = d2(|x, y| x.powf(y), x, c::<P>(0.5));
        assert!(value.is_nan() && dx.is_nan() && dy.is_nan());
    }
    on_both_floats!(check);
}

#[test]
fn zero_to_a_nonnegative_power_has_a_zero_exponent_derivative() {
    fn check<P: Real>() {
        for zero in [P::zero(), P::neg_zero()] {
            // (y, 0^y, ∂/∂x = y·0^(y−1))
            for (y, value, dx) in [
                (0.5, P::zero(), P::infinity()),
                (1.0, zero, P::one()),
                (2.0, P::zero(), P::zero()),
                (3.7, P::zero(), P::zero()),
                (0.0, P::one(), P::zero()),
            ] {
                let (v, dxv, dyv) = d2(|x, y| x.powf(y), zero, c(y));
                assert_eq!((v, dxv, dyv), (value, dx, P::zero()), "{zero:?}^{y}");
                // A constant zero base: the same ∂/∂y.
                assert_eq!(d1(|y| Var::constant(zero).powf(y), c(y)).1, P::zero());
            }
        }
        // A negative exponent: 0^y = +inf, its derivative along y is -inf.
        let (v, _, dy) = d2(|x, y| x.powf(y), P::zero(), c::<P>(-1.5));
        assert!(is_pos_inf(v) && is_pos_inf(-dy));
    }
    on_both_floats!(check);
}

#[test]
fn powf_with_a_zero_exponent_has_a_zero_base_derivative() {
    fn check<P: Real>() {
        for x in [0.0, 2.0, -2.0] {
            let (value, dx, dy) = d2(|x, y| x.powf(y), c::<P>(x), P::zero());
            assert_eq!((value, dx), (P::one(), P::zero()));
            if x > 0.0 {
                assert_eq!(dy, c::<P>(x).ln());
            }
        }
    }
    on_both_floats!(check);
}

#[test]
fn powi_zero_is_one_with_derivative_zero_everywhere() {
    fn check<P: Real>() {
        for x in [
            P::zero(),
            P::neg_zero(),
            c::<P>(2.0),
            c::<P>(-3.0),
            P::infinity(),
        ] {
            assert_eq!(d1(|x| x.powi(0), x), (P::one(), P::zero()), "at {x:?}");
        }
    }
    on_both_floats!(check);
}

#[test]
fn hypot_and_atan2_at_the_origin_have_nan_partials() {
    fn check<P: Real>() {
        let origin: [F2<P>; 2] = [|a, b| a.hypot(b), |a, b| a.atan2(b)];
        for f in origin {
            let (_, da, db) = d2(f, P::zero(), P::zero());
            assert!(da.is_nan() && db.is_nan(), "{da:?}, {db:?}");
        }
    }
    on_both_floats!(check);
}

#[test]
fn nan_in_gives_nan_value_and_derivative() {
    fn check<P: Real>() {
        for (value, d) in [
            d1(|x| x.relu(), P::nan()),
            d1(|x| x.abs(), P::nan()),
            d1(|x| x.sigmoid(), P::nan()),
            d1(|x| x.exp(), P::nan()),
            d1(|x| x * x, P::nan()),
        ] {
            assert!(value.is_nan() && d.is_nan(), "{value:?}, {d:?}");
        }
    }
    on_both_floats!(check);
}

#[test]
fn piecewise_constant_functions_have_zero_derivative() {
    fn check<P: Real>() {
        let x = c::<P>(2.3);
        let flat: [F1<P>; 5] = [
            |x| x.floor(),
            |x| x.ceil(),
            |x| x.round(),
            |x| x.trunc(),
            |x| x.signum(),
        ];
        for f in flat {
            assert_eq!(d1(f, x).1, P::zero());
        }
        assert_eq!(d1(|x| x.fract(), x).1, P::one());
    }
    on_both_floats!(check);
}

#[test]
fn an_unused_branch_does_not_spread_an_infinite_or_nan_partial() {
    fn check<P: Real>() {
        let two = c::<P>(2.0);
        // sqrt'(0) = +inf on the losing side of a max: 0·inf would be NaN.
        let (value, dx, dz) = d2(|x, z| x.max(z.sqrt()), two, P::zero());
        assert_eq!((value, dx, dz), (two, P::one(), P::zero()));
        // ln of a negative number (NaN value and partial), ignored by the max.
        let (value, dx, dz) = d2(|x, z| x.max(z.ln()), two, c::<P>(-1.0));
        assert_eq!((value, dx, dz), (two, P::one(), P::zero()));
        // A min that does not pick the branch.
        let (value, _, dz) = d2(
            |x, z| x.min(z.sqrt() + Var::constant(two)),
            P::one(),
            P::zero(),
        );
        assert_eq!((value, dz), (P::one(), P::zero()));
        // A NaN operand of min is ignored, not used, also deeper down the branch.
        let (value, _, dz) = d2(|x, z| x.min(z.ln()), c::<P>(5.0), c::<P>(-1.0));
        assert_eq!((value, dz), (c::<P>(5.0), P::zero()));
        let (value, dz) = d1(
            |z| (z.ln() * Var::constant(two)).max(Var::constant(c::<P>(-9.0))),
            c::<P>(-1.0),
        );
        assert_eq!((value, dz), (c::<P>(-9.0), P::zero()));
        // A factor multiplied by a constant zero.
        let (_, dz) = d1(|z| z.sqrt() * Var::constant(P::zero()) + z, P::zero());
        assert_eq!(dz, P::one());
    }
    on_both_floats!(check);
}

#[test]
fn a_used_nan_or_infinite_partial_reaches_the_gradient() {
    fn check<P: Real>() {
        let two = c::<P>(2.0);
        // ln of a negative number on the path: the gradient is NaN, as is the value.
        let (value, dx, dz) = d2(|x, z| x * z.ln(), two, c::<P>(-1.0));
        assert!(value.is_nan() && dx.is_nan() && dz.is_nan());
        // When the max picks the ln branch, its derivative 1/z reaches z.
        let (_, _, dz) = d2(|x, z| x.max(z.ln()), c::<P>(-5.0), c::<P>(0.5).exp());
        assert_eq!(dz, c::<P>(0.5).exp().recip());
        // sqrt at 0 on the path: +inf reaches the variable, 0·inf = NaN through a square.
        let (_, dx, dz) = d2(|x, z| x * z.sqrt(), two, P::zero());
        assert!(dx == P::zero() && is_pos_inf(dz));
        let (_, dz) = d1(|z| (z * z).sqrt(), P::zero());
        assert!(
            dz.is_nan(),
            "sqrt(z²) at 0 is a kink: reported as NaN, got {dz:?}"
        );
    }
    on_both_floats!(check);
}

#[test]
fn outside_the_domain_value_and_derivative_are_nan() {
    fn check<P: Real>() {
        let unary: [(F1<P>, f64); 12] = [
            (|x| x.sqrt(), -1.0),
            (|x| x.ln(), -1.0),
            (|x| x.log2(), -1.0),
            (|x| x.log10(), -1.0),
            (|x| x.ln_1p(), -2.0),
            (|x| x.asin(), 1.5),
            (|x| x.acos(), -1.5),
            (|x| x.acosh(), 0.5),
            (|x| x.acosh(), -2.0),
            (|x| x.atanh(), 2.0),
            (|x| x.atanh(), -1.5),
            (|x| x.powf(Var::constant(P::from(0.5).unwrap())), -2.0),
        ];
        for (f, x) in unary {
            let (value, d) = d1(f, c::<P>(x));
            assert!(value.is_nan() && d.is_nan(), "at {x}: {value:?}, {d:?}");
        }
        let binary: [(F2<P>, P, P); 4] = [
            (|a, b| a % b, c::<P>(3.0), P::zero()),
            (|a, b| a % b, P::infinity(), c::<P>(2.0)),
            (|a, b| a.powf(b), c::<P>(-2.0), c::<P>(0.5)),
            (|a, b| a.log(b), c::<P>(-2.0), c::<P>(3.0)),
        ];
        for (f, a, b) in binary {
            let (value, da, db) = d2(f, a, b);
            assert!(
                value.is_nan() && da.is_nan() && db.is_nan(),
                "at ({a:?}, {b:?}): {value:?}, {da:?}, {db:?}"
            );
        }
    }
    on_both_floats!(check);
}

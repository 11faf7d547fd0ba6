//! A tape's record or sweep runs the float type's own arithmetic (`T::one()` for a sum's
//! partials, the sweep's products), so a user's float type could reach the same tape from
//! inside it. The tape's storage is guarded for exactly that case (a flag set while such
//! code runs, tested on every way in, ops included): such a type gets a panic that says
//! what happened, never two live mutable borrows of the records. `Armed` below is that
//! type: an `f64` whose `one()` and `*` record on the tape it is registered with, once
//! armed — a new variable, or an op on a variable recorded before.

use std::cell::Cell;
use std::num::FpCategory;
use std::ops::{Add, Div, Mul, Neg, Rem, Sub};

use gradproof::prelude::*;
use num_traits::{Num, NumCast, One, ToPrimitive, Zero};

/// An `f64` that, once armed, records on its tape from inside its own arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
struct Armed(f64);

thread_local! {
    /// The tape `Armed`'s arithmetic records on while armed.
    static TAPE: Cell<Option<&'static Tape<Armed>>> = const { Cell::new(None) };
}

thread_local! {
    /// A variable of the registered tape, if set: the armed arithmetic then records an
    /// op on it (`+`, the hot path every op takes) instead of a new variable.
    static OPERAND: Cell<Option<Var<'static, Armed>>> = const { Cell::new(None) };
}

thread_local! {
    /// Set while `reach_the_tape` runs: the op it records runs `Armed`'s arithmetic
    /// itself (the rule's `one()`), which must not reach again, or it never would stop.
    static REACHING: Cell<bool> = const { Cell::new(false) };
}

/// Records on the registered tape, if any: what no arithmetic should do.
fn reach_the_tape() {
    if REACHING.with(|r| r.replace(true)) {
        return;
    }
    if let Some(tape) = TAPE.with(Cell::get) {
        match OPERAND.with(Cell::get) {
            Some(operand) => {
                let _ = operand + operand;
            }
            None => {
                tape.var(Armed(0.0));
            }
        }
    }
    REACHING.with(|r| r.set(false));
}

/// A leaked tape (so that `Armed` can hold on to it), with two variables `a` and `b`
/// recorded before the arithmetic is armed.
fn armed_tape() -> (
    &'static Tape<Armed>,
    Var<'static, Armed>,
    Var<'static, Armed>,
) {
    let tape: &'static Tape<Armed> = Box::leak(Box::new(Tape::new()));
    let (a, b) = (tape.var(Armed(2.0)), tape.var(Armed(3.0)));
    (tape, a, b)
}

fn arm(tape: &'static Tape<Armed>) {
    TAPE.with(|t| t.set(Some(tape)));
}

#[test]
#[should_panic(expected = "a Tape was used from inside its own record or sweep")]
fn a_float_type_recording_on_its_tape_mid_record_panics() {
    let (tape, a, b) = armed_tape();
    arm(tape);
    // Three terms make one fused node, whose partials `T::one()` are computed while the
    // records are borrowed.
    Var::sum(&[a, b, a]);
}

#[test]
#[should_panic(expected = "a Tape was used from inside its own record or sweep")]
fn a_float_type_recording_on_its_tape_mid_sweep_panics() {
    let (tape, a, b) = armed_tape();
    let y = a + b;
    arm(tape);
    // The sweep multiplies adjoints by partials while the records are borrowed.
    tape.gradient(y);
}

#[test]
#[should_panic(expected = "a Tape was used from inside its own record or sweep")]
fn a_float_type_recording_an_op_mid_sweep_panics() {
    let (tape, a, b) = armed_tape();
    let y = a + b;
    OPERAND.with(|o| o.set(Some(a)));
    arm(tape);
    tape.gradient(y);
}

#[test]
#[should_panic(expected = "a Tape was used from inside its own record or sweep")]
fn a_float_type_recording_an_op_mid_record_panics() {
    let (tape, a, b) = armed_tape();
    OPERAND.with(|o| o.set(Some(a)));
    arm(tape);
    Var::sum(&[a, b, a]);
}

#[test]
fn the_same_type_unarmed_records_and_sweeps_as_f64() {
    let (tape, a, b) = armed_tape();
    let y = Var::sum(&[a, b, a]) * b;
    let grad = tape.gradient(y);
    assert_eq!(grad.wrt(a), Armed(6.0));
    assert_eq!(grad.wrt(b), Armed(10.0));
}

// ---- `Armed` is an f64 otherwise: the traits `Tape` needs, delegated. ----

impl Mul for Armed {
    type Output = Armed;
    fn mul(self, rhs: Armed) -> Armed {
        reach_the_tape();
        Armed(self.0 * rhs.0)
    }
}

impl One for Armed {
    fn one() -> Armed {
        reach_the_tape();
        Armed(1.0)
    }
}

macro_rules! binary_ops {
    ($($Op:ident $op:ident),*) => {$(
        impl $Op for Armed {
            type Output = Armed;
            fn $op(self, rhs: Armed) -> Armed {
                Armed($Op::$op(self.0, rhs.0))
            }
        }
    )*};
}
binary_ops!(Add add, Sub sub, Div div, Rem rem);

impl Neg for Armed {
    type Output = Armed;
    fn neg(self) -> Armed {
        Armed(-self.0)
    }
}

impl Zero for Armed {
    fn zero() -> Armed {
        Armed(0.0)
    }
    fn is_zero(&self) -> bool {
        self.0 == 0.0
    }
}

impl Num for Armed {
    type FromStrRadixErr = <f64 as Num>::FromStrRadixErr;
    fn from_str_radix(s: &str, radix: u32) -> Result<Armed, Self::FromStrRadixErr> {
        f64::from_str_radix(s, radix).map(Armed)
    }
}

impl ToPrimitive for Armed {
    fn to_i64(&self) -> Option<i64> {
        self.0.to_i64()
    }
    fn to_u64(&self) -> Option<u64> {
        self.0.to_u64()
    }
    fn to_f64(&self) -> Option<f64> {
        Some(self.0)
    }
}

impl NumCast for Armed {
    fn from<N: ToPrimitive>(n: N) -> Option<Armed> {
        n.to_f64().map(Armed)
    }
}

macro_rules! delegate {
    (consts $($c:ident)*) => {$(
        fn $c() -> Armed { Armed(<f64 as Float>::$c()) }
    )*};
    (tests $($t:ident)*) => {$(
        fn $t(self) -> bool { <f64 as Float>::$t(self.0) }
    )*};
    (unary $($u:ident)*) => {$(
        fn $u(self) -> Armed { Armed(<f64 as Float>::$u(self.0)) }
    )*};
    (binary $($b:ident)*) => {$(
        fn $b(self, other: Armed) -> Armed { Armed(<f64 as Float>::$b(self.0, other.0)) }
    )*};
}

impl Float for Armed {
    delegate!(consts nan infinity neg_infinity neg_zero min_value min_positive_value max_value);
    delegate!(tests is_nan is_infinite is_finite is_normal is_sign_positive is_sign_negative);
    delegate!(unary floor ceil round trunc fract abs signum recip sqrt exp exp2 ln log2 log10
        cbrt sin cos tan asin acos atan exp_m1 ln_1p sinh cosh tanh asinh acosh atanh);
    delegate!(binary powf log max min abs_sub hypot atan2);

    fn classify(self) -> FpCategory {
        self.0.classify()
    }
    fn mul_add(self, a: Armed, b: Armed) -> Armed {
        Armed(self.0.mul_add(a.0, b.0))
    }
    fn powi(self, n: i32) -> Armed {
        Armed(self.0.powi(n))
    }
    fn sin_cos(self) -> (Armed, Armed) {
        let (s, c) = self.0.sin_cos();
        (Armed(s), Armed(c))
    }
    fn integer_decode(self) -> (u64, i16, i8) {
        Float::integer_decode(self.0)
    }
}

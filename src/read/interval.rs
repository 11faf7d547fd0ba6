//! Intervals of `f64` with outward rounding: every operation's result contains every
//! value the operation can take on its operands' intervals, whatever `f64` rounds.
//!
//! Each bound is computed in `f64` and then moved one step outward (`next_down` on the
//! lower bound, `next_up` on the upper): a correctly rounded operation is off by at
//! most half a step, so the moved bound is safe. Library functions (`exp`, `ln`, …) are
//! not correctly rounded but are within a few ulp, so their bounds move
//! [`LIBRARY_STEPS`] steps. An operation that is undefined somewhere on its operands
//! (a divisor interval holding 0, a logarithm of an interval reaching 0) gives an
//! invalid interval ([`Interval::is_valid`] is false), never a wrong one.

use crate::expr::Func;

/// How many steps outward a library function's bounds move.
const LIBRARY_STEPS: u32 = 4;

/// A closed interval `[lo, hi]` of reals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The lower bound.
    pub lo: f64,
    /// The upper bound.
    pub hi: f64,
}

fn down(x: f64, steps: u32) -> f64 {
    (0..steps).fold(x, |x, _| x.next_down())
}

fn up(x: f64, steps: u32) -> f64 {
    (0..steps).fold(x, |x, _| x.next_up())
}

/// An interval that says "undefined here".
const INVALID: Interval = Interval {
    lo: f64::NAN,
    hi: f64::NAN,
};

impl Interval {
    /// `[lo, hi]` as given (the caller has rounded outward).
    pub fn new(lo: f64, hi: f64) -> Interval {
        Interval { lo, hi }
    }

    /// `[v − r, v + r]`, rounded outward.
    pub fn around(v: f64, r: f64) -> Interval {
        Interval {
            lo: down(v - r, 1),
            hi: up(v + r, 1),
        }
    }

    /// Whether both bounds are finite and in order (not the result of an operation
    /// undefined on its operands).
    pub fn is_valid(&self) -> bool {
        self.lo.is_finite() && self.hi.is_finite() && self.lo <= self.hi
    }

    /// Whether the two intervals share a point.
    pub fn meets(&self, other: &Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// The midpoint.
    pub fn mid(&self) -> f64 {
        self.lo / 2.0 + self.hi / 2.0
    }

    /// Half the width (rounded up).
    pub fn radius(&self) -> f64 {
        up((self.hi - self.lo) / 2.0, 1)
    }

    fn contains_zero(&self) -> bool {
        self.lo <= 0.0 && 0.0 <= self.hi
    }

    /// `−a`.
    pub fn neg(self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    /// `a + b`.
    pub fn add(self, b: Interval) -> Interval {
        Interval {
            lo: down(self.lo + b.lo, 1),
            hi: up(self.hi + b.hi, 1),
        }
    }

    /// `a − b`.
    pub fn sub(self, b: Interval) -> Interval {
        self.add(b.neg())
    }

    /// `a · b`.
    pub fn mul(self, b: Interval) -> Interval {
        let p = [
            self.lo * b.lo,
            self.lo * b.hi,
            self.hi * b.lo,
            self.hi * b.hi,
        ];
        hull(&p, 1)
    }

    /// `a / b`; invalid when `b` holds 0.
    pub fn div(self, b: Interval) -> Interval {
        if b.contains_zero() {
            return INVALID;
        }
        let q = [
            self.lo / b.lo,
            self.lo / b.hi,
            self.hi / b.lo,
            self.hi / b.hi,
        ];
        hull(&q, 1)
    }

    /// `a ^ b`: a whole-number exponent by repeated products, any other for a
    /// positive base as `exp(b · ln a)`.
    pub fn pow(self, b: Interval) -> Interval {
        if b.lo == b.hi && b.lo.fract() == 0.0 && b.lo.abs() <= 64.0 {
            let n = b.lo as i32;
            let mut r = Interval::new(1.0, 1.0);
            for _ in 0..n.unsigned_abs() {
                r = r.mul(self);
            }
            // An even power is never negative; the products above do not know that.
            if n % 2 == 0 && r.lo < 0.0 {
                r.lo = 0.0;
            }
            return if n < 0 {
                Interval::new(1.0, 1.0).div(r)
            } else {
                r
            };
        }
        if self.lo <= 0.0 {
            return INVALID;
        }
        self.call(Func::Ln).mul(b).call(Func::Exp)
    }

    /// One of the language's functions.
    pub fn call(self, f: Func) -> Interval {
        let increasing = |g: fn(f64) -> f64| Interval {
            lo: down(g(self.lo), LIBRARY_STEPS),
            hi: up(g(self.hi), LIBRARY_STEPS),
        };
        match f {
            Func::Exp => increasing(f64::exp),
            Func::Ln if self.lo > 0.0 => increasing(f64::ln),
            Func::Sqrt if self.lo >= 0.0 => increasing(f64::sqrt),
            Func::Ln | Func::Sqrt => INVALID,
            Func::Tanh => increasing(f64::tanh),
            Func::Sigma => increasing(|x| 1.0 / (1.0 + (-x).exp())),
            Func::Relu => increasing(|x| x.max(0.0)),
            Func::Abs => {
                if self.lo >= 0.0 {
                    self
                } else if self.hi <= 0.0 {
                    self.neg()
                } else {
                    Interval::new(0.0, self.hi.max(-self.lo))
                }
            }
            Func::Step => match (self.lo > 0.0, self.hi <= 0.0) {
                (true, _) => Interval::new(1.0, 1.0),
                (_, true) => Interval::new(0.0, 0.0),
                _ => Interval::new(0.0, 1.0),
            },
            Func::Sign => {
                let s = |x: f64| {
                    if x > 0.0 {
                        1.0
                    } else if x < 0.0 {
                        -1.0
                    } else {
                        0.0
                    }
                };
                Interval::new(s(self.lo), s(self.hi))
            }
            Func::Sin => self.periodic(f64::sin, std::f64::consts::FRAC_PI_2),
            Func::Cos => self.periodic(f64::cos, 0.0),
        }
    }

    /// `sin` or `cos`: the values at the ends, and ±1 where a maximum (at `peak + 2kπ`)
    /// or a minimum (at `peak + π + 2kπ`) may lie inside (judged with a margin, so a
    /// peak near an end counts).
    fn periodic(self, g: fn(f64) -> f64, peak: f64) -> Interval {
        use std::f64::consts::{PI, TAU};
        if !self.is_valid() {
            return INVALID;
        }
        if self.hi - self.lo >= TAU {
            return Interval::new(-1.0, 1.0);
        }
        let ends = [g(self.lo), g(self.hi)];
        let mut r = hull(&ends, LIBRARY_STEPS);
        let margin = 1e-9 * (1.0 + self.lo.abs().max(self.hi.abs()));
        let inside = |at: f64| {
            let k = ((self.lo - margin - at) / TAU).ceil();
            at + k * TAU <= self.hi + margin
        };
        if inside(peak) {
            r.hi = 1.0;
        }
        if inside(peak + PI) {
            r.lo = -1.0;
        }
        Interval::new(r.lo.max(-1.0), r.hi.min(1.0))
    }
}

/// The smallest interval holding every value, moved `steps` outward; invalid if one
/// is NaN.
fn hull(values: &[f64], steps: u32) -> Interval {
    if values.iter().any(|v| v.is_nan()) {
        return INVALID;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Interval {
        lo: down(lo, steps),
        hi: up(hi, steps),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_of_tenths_contains_the_exact_sum() {
        // 0.1 + 0.2 is 0.30000000000000004 in f64; the interval still holds 0.3.
        let a = Interval::new(0.1, 0.1).add(Interval::new(0.2, 0.2));
        assert!(a.lo <= 0.3 && 0.3 <= a.hi && a.lo < a.hi);
    }

    #[test]
    fn products_and_quotients_take_every_corner() {
        let a = Interval::new(-1.0, 2.0);
        let b = Interval::new(-3.0, 0.5);
        let p = a.mul(b);
        assert!(p.lo <= -6.0 && p.hi >= 3.0);
        assert!(!a.div(b).is_valid());
        let q = Interval::new(1.0, 2.0).div(Interval::new(4.0, 8.0));
        assert!(q.lo <= 0.125 && q.hi >= 0.5);
    }

    #[test]
    fn monotone_functions_and_powers_bound_their_values() {
        let x = Interval::new(0.3775, 0.3775);
        let s = x.call(Func::Sigma);
        let v = 1.0 / (1.0 + (-0.3775f64).exp());
        assert!(s.lo < v && v < s.hi);
        let sq = Interval::new(-2.0, 1.0).pow(Interval::new(2.0, 2.0));
        assert!(sq.lo == 0.0 && sq.hi >= 4.0);
        assert!(!Interval::new(-1.0, 1.0).call(Func::Ln).is_valid());
        let sin = Interval::new(1.0, 2.0).call(Func::Sin);
        assert_eq!(sin.hi, 1.0);
        assert!(sin.lo <= 1f64.sin());
    }
}

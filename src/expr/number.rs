//! Numbers of the equation language: exact rationals where the text allows, floats where
//! it does not.
//!
//! A literal such as `0.05` is kept as the exact rational `1/20`, so that constant
//! folding and the normal forms of the claims' proofs compute exactly: "proved" then
//! means an identity over the rationals, not an agreement to some digits. Only numbers
//! whose numerator or denominator would leave `i128` fall back to `f64`.

use std::cmp::Ordering;
use std::fmt;

/// An exact rational `num/den` in lowest terms, `den > 0`. Arithmetic is checked: an
/// overflow gives `None`, never a wrong value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    // Works on magnitudes; callers never pass i128::MIN (construction rejects it).
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// `num/den` in lowest terms; `None` if `den == 0` or a part is `i128::MIN` (whose
    /// magnitude does not fit).
    pub fn new(num: i128, den: i128) -> Option<Rational> {
        if den == 0 || num == i128::MIN || den == i128::MIN {
            return None;
        }
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Some(Rational {
            num: sign * num / g,
            den: sign * den / g,
        })
    }

    /// The integer `n`.
    pub fn integer(n: i128) -> Rational {
        Rational { num: n, den: 1 }
    }

    /// The numerator (carries the sign).
    pub fn numerator(self) -> i128 {
        self.num
    }

    /// The denominator (positive).
    pub fn denominator(self) -> i128 {
        self.den
    }

    /// Whether the denominator is 1.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Whether this is one.
    pub fn is_one(self) -> bool {
        self.num == 1 && self.den == 1
    }

    /// Whether this is negative.
    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// The nearest `f64`, correctly rounded (to nearest, ties to even): the value a
    /// literal such as `1.9999999999999998` has when Rust parses it, so that the text
    /// of a float reads back as the same float.
    pub fn to_f64(self) -> f64 {
        const EXACT: u128 = 1 << 53;
        let (n, d) = (self.num.unsigned_abs(), self.den.unsigned_abs());
        // Both parts exact as floats: one IEEE division, which rounds correctly.
        if n <= EXACT && d <= EXACT {
            return self.num as f64 / self.den as f64;
        }
        // Otherwise long division to a 64-bit significand `q` (top bit set) with the
        // remainder as a sticky bit: value = (q + sticky) · 2^exponent.
        let (mut q, mut r) = (n / d, n % d);
        let mut exponent: i32 = 0;
        let sticky;
        if q >= 1 << 64 {
            let extra = 64 - q.leading_zeros() as i32;
            let dropped = q & ((1u128 << extra) - 1);
            sticky = dropped != 0 || r != 0;
            q >>= extra;
            exponent = extra;
        } else {
            while q < 1 << 63 {
                // r < d <= i128::MAX, so 2r fits.
                r <<= 1;
                q <<= 1;
                if r >= d {
                    r -= d;
                    q |= 1;
                }
                exponent -= 1;
            }
            sticky = r != 0;
        }
        // Jamming the sticky bit into the lowest of the 11 bits the u64 → f64
        // conversion rounds away keeps that rounding correct.
        let significand = (q as u64 | u64::from(sticky)) as f64;
        // |value| is within 2^±200: the power of two is a normal float, the product exact.
        let scale = f64::from_bits(((exponent + 1023) as u64) << 52);
        let magnitude = significand * scale;
        if self.num < 0 {
            -magnitude
        } else {
            magnitude
        }
    }

    /// The exact value of a finite `f64` when it fits (every finite float is a dyadic
    /// rational); `None` for NaN, infinities and magnitudes outside `i128`.
    pub fn from_f64(x: f64) -> Option<Rational> {
        if !x.is_finite() {
            return None;
        }
        if x == 0.0 {
            return Some(Rational::ZERO);
        }
        let bits = x.to_bits();
        let negative = bits >> 63 == 1;
        let exponent = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exp2) = if exponent == 0 {
            (fraction as i128, -1074)
        } else {
            ((fraction | (1 << 52)) as i128, exponent - 1075)
        };
        let signed = if negative { -mantissa } else { mantissa };
        if exp2 >= 0 {
            let scale = 1i128.checked_shl(exp2 as u32).filter(|_| exp2 < 126)?;
            Rational::integer(signed).checked_mul(Rational::integer(scale))
        } else {
            let shift = -exp2;
            if shift >= 126 {
                return None;
            }
            Rational::new(signed, 1i128 << shift)
        }
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Rational) -> Option<Rational> {
        let g = gcd(self.den, other.den);
        let a = self.num.checked_mul(other.den / g)?;
        let b = other.num.checked_mul(self.den / g)?;
        let den = (self.den / g).checked_mul(other.den)?;
        Rational::new(a.checked_add(b)?, den)
    }

    /// `self − other`, or `None` on overflow.
    pub fn checked_sub(self, other: Rational) -> Option<Rational> {
        self.checked_add(other.checked_neg()?)
    }

    /// `self · other`, or `None` on overflow.
    pub fn checked_mul(self, other: Rational) -> Option<Rational> {
        // Cross-cancel first so products of reduced fractions stay small.
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(other.num / g2)?;
        let den = (self.den / g2).checked_mul(other.den / g1)?;
        Rational::new(num, den)
    }

    /// `self / other`, or `None` on overflow or division by zero.
    pub fn checked_div(self, other: Rational) -> Option<Rational> {
        self.checked_mul(other.recip()?)
    }

    /// `−self` (`None` only for the unrepresentable `−i128::MIN`, which never occurs).
    pub fn checked_neg(self) -> Option<Rational> {
        Some(Rational {
            num: self.num.checked_neg()?,
            den: self.den,
        })
    }

    /// `1 / self`, or `None` for zero.
    pub fn recip(self) -> Option<Rational> {
        Rational::new(self.den, self.num)
    }

    /// `self^n` by repeated squaring, or `None` on overflow or `0^negative`.
    pub fn powi(self, n: i64) -> Option<Rational> {
        let base = if n < 0 { self.recip()? } else { self };
        let mut e = n.unsigned_abs();
        let mut result = Rational::ONE;
        let mut square = base;
        while e > 0 {
            if e & 1 == 1 {
                result = result.checked_mul(square)?;
            }
            e >>= 1;
            if e > 0 {
                square = square.checked_mul(square)?;
            }
        }
        Some(result)
    }

    /// The integer value, if this is an integer that fits `i64`.
    pub fn to_i64(self) -> Option<i64> {
        if self.den == 1 {
            i64::try_from(self.num).ok()
        } else {
            None
        }
    }

    /// Whether the decimal expansion terminates (the denominator has no prime factors
    /// but 2 and 5), so it prints exactly as a decimal.
    fn terminates(self) -> bool {
        let mut d = self.den;
        while d % 2 == 0 {
            d /= 2;
        }
        while d % 5 == 0 {
            d /= 5;
        }
        d == 1
    }

    /// The exact decimal text of a terminating rational (`1/20` → `0.05`).
    fn decimal(self) -> Option<String> {
        if !self.terminates() {
            return None;
        }
        let mut digits = 0u32;
        let mut scaled = self;
        while !scaled.is_integer() {
            scaled = scaled.checked_mul(Rational::integer(10))?;
            digits += 1;
        }
        let negative = scaled.num < 0;
        let magnitude = scaled.num.unsigned_abs().to_string();
        let width = digits as usize + 1;
        let padded = format!("{magnitude:0>width$}");
        let (int, frac) = padded.split_at(padded.len() - digits as usize);
        let sign = if negative { "-" } else { "" };
        Some(format!("{sign}{int}.{frac}"))
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        // Compare a/b with c/d as a·d with c·b; fall back to floats on overflow (only
        // ordering for display and canonical order depends on this, never a value).
        match (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

/// Plain text: integers as integers, small fractions as `n/d` (as the document writes
/// `1/2`), other terminating fractions as decimals, the rest as `n/d`.
impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else if self.den <= 12 {
            write!(f, "{}/{}", self.num, self.den)
        } else if let Some(text) = self.decimal() {
            f.write_str(&text)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// A constant: exact when it can be, a finite `f64` otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Number {
    /// An exact rational.
    Exact(Rational),
    /// A finite float (the bits, so that the number can be hashed); made only where an
    /// exact value would overflow `i128`.
    Float(u64),
}

impl Number {
    /// The number `x`: exact if `x` is an integer that fits, else a float. Returns
    /// `None` for NaN and infinities, which are never constants of the language.
    pub fn from_f64(x: f64) -> Option<Number> {
        if !x.is_finite() {
            return None;
        }
        if x.fract() == 0.0 && x.abs() < 1e30 {
            return Some(Number::Exact(Rational::integer(x as i128)));
        }
        // Canonical zero: -0.0 and 0.0 are the same constant.
        let x = if x == 0.0 { 0.0 } else { x };
        Some(Number::Float(x.to_bits()))
    }

    /// The exact integer `n`.
    pub fn integer(n: i128) -> Number {
        Number::Exact(Rational::integer(n))
    }

    /// The value as an `f64`.
    pub fn to_f64(self) -> f64 {
        match self {
            Number::Exact(r) => r.to_f64(),
            Number::Float(bits) => f64::from_bits(bits),
        }
    }

    /// The exact value, if known.
    pub fn exact(self) -> Option<Rational> {
        match self {
            Number::Exact(r) => Some(r),
            Number::Float(_) => None,
        }
    }

    /// Whether the number is exactly `r`.
    pub fn is(self, r: Rational) -> bool {
        self.exact() == Some(r)
    }

    /// Whether the value is negative.
    pub fn is_negative(self) -> bool {
        match self {
            Number::Exact(r) => r.is_negative(),
            Number::Float(bits) => f64::from_bits(bits) < 0.0,
        }
    }

    /// Whether the printed form reads as a quotient (`1/3`), which binds like `/`.
    pub fn prints_as_fraction(self) -> bool {
        match self {
            Number::Exact(r) => !r.is_integer() && format!("{r}").contains('/'),
            Number::Float(_) => false,
        }
    }

    /// An integer exponent, if this is one of moderate size.
    pub fn small_integer(self) -> Option<i64> {
        self.exact()
            .and_then(Rational::to_i64)
            .filter(|n| n.abs() <= 1 << 20)
    }
}

/// Arithmetic on constants: exact where both operands are exact and the result fits,
/// else in `f64`; `None` if the result would not be finite (the caller then keeps the
/// operation unfolded).
impl Number {
    fn combine(
        self,
        other: Number,
        exact: impl Fn(Rational, Rational) -> Option<Rational>,
        float: impl Fn(f64, f64) -> f64,
    ) -> Option<Number> {
        if let (Some(a), Some(b)) = (self.exact(), other.exact()) {
            if let Some(r) = exact(a, b) {
                return Some(Number::Exact(r));
            }
        }
        Number::from_f64(float(self.to_f64(), other.to_f64()))
    }

    /// `self + other`.
    pub fn checked_add(self, other: Number) -> Option<Number> {
        self.combine(other, Rational::checked_add, |a, b| a + b)
    }

    /// `self · other`.
    pub fn checked_mul(self, other: Number) -> Option<Number> {
        self.combine(other, Rational::checked_mul, |a, b| a * b)
    }

    /// `self / other`.
    pub fn checked_div(self, other: Number) -> Option<Number> {
        self.combine(other, Rational::checked_div, |a, b| a / b)
    }

    /// `self^n`.
    pub fn powi(self, n: i64) -> Option<Number> {
        if let Some(r) = self.exact().and_then(|r| r.powi(n)) {
            return Some(Number::Exact(r));
        }
        let n = i32::try_from(n).ok()?;
        Number::from_f64(self.to_f64().powi(n))
    }

    /// Whether the value is exactly zero.
    pub fn is_zero(self) -> bool {
        self.to_f64() == 0.0
    }

    /// Whether the value is exactly one.
    pub fn is_one(self) -> bool {
        match self {
            Number::Exact(r) => r.is_one(),
            Number::Float(bits) => f64::from_bits(bits) == 1.0,
        }
    }
}

impl std::ops::Neg for Number {
    type Output = Number;

    /// `−self` (exact negation never overflows: numerators are never `i128::MIN`).
    fn neg(self) -> Number {
        match self {
            Number::Exact(r) => r.checked_neg().map_or(self, Number::Exact),
            Number::Float(bits) => Number::Float((-f64::from_bits(bits)).to_bits()),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Exact(r) => r.fmt(f),
            // Debug formatting of f64 is the shortest text that parses back to the same
            // float (and uses exponents for large and small magnitudes).
            Number::Float(bits) => write!(f, "{:?}", f64::from_bits(*bits)),
        }
    }
}

/// Parses a decimal literal (`12`, `0.05`, `1.5e-3`) exactly when it fits, else as the
/// nearest float; `None` if the text is not a finite number.
pub fn parse_literal(text: &str) -> Option<Number> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    Some(exact_literal(text).map_or_else(
        || Number::Float(if value == 0.0 { 0 } else { value.to_bits() }),
        Number::Exact,
    ))
}

fn exact_literal(text: &str) -> Option<Rational> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let num: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let scale = exponent - frac.len() as i32;
    if scale >= 0 {
        return Rational::integer(num).checked_mul(Rational::integer(10).powi(scale.into())?);
    }
    // num / 10^k = num / (2^k 5^k): cancel the twos and fives of num first, so that a
    // literal the printer wrote for 1/5^40 (`0.000…01099511627776`, 40 places, whose
    // 10^40 does not fit i128) reads back as that rational, not as a float.
    let (mut num, mut twos, mut fives) = (num, -scale, -scale);
    while twos > 0 && num != 0 && num % 2 == 0 {
        num /= 2;
        twos -= 1;
    }
    while fives > 0 && num != 0 && num % 5 == 0 {
        num /= 5;
        fives -= 1;
    }
    let den = Rational::integer(2)
        .powi(twos.into())?
        .checked_mul(Rational::integer(5).powi(fives.into())?)?;
    Rational::integer(num).checked_div(den)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decimal_printed_for_a_tiny_rational_reads_back_exactly() {
        // 1/5^40 prints with 40 decimal places; 10^40 does not fit i128, 5^40 does.
        let r = Rational::integer(5).powi(-40).unwrap();
        let text = r.to_string();
        assert_eq!(parse_literal(&text), Some(Number::Exact(r)), "{text}");
    }

    #[test]
    fn decimal_literals_are_exact_rationals() {
        assert_eq!(
            parse_literal("0.05"),
            Some(Number::Exact(Rational::new(1, 20).unwrap()))
        );
        assert_eq!(
            parse_literal("1.5e-3"),
            Some(Number::Exact(Rational::new(3, 2000).unwrap()))
        );
        assert_eq!(parse_literal("12"), Some(Number::integer(12)));
        assert_eq!(parse_literal("1e400"), None);
        assert!(matches!(parse_literal("1e60"), Some(Number::Float(_))));
    }

    #[test]
    fn rationals_print_as_the_document_writes_them() {
        assert_eq!(Rational::new(1, 2).unwrap().to_string(), "1/2");
        assert_eq!(Rational::new(1, 20).unwrap().to_string(), "0.05");
        assert_eq!(Rational::new(-3, 1).unwrap().to_string(), "-3");
        assert_eq!(Rational::new(1, 30).unwrap().to_string(), "1/30");
    }

    #[test]
    fn overflow_is_none_not_wrong() {
        let big = Rational::integer(i128::MAX / 2);
        assert_eq!(big.checked_mul(Rational::integer(4)), None);
        assert_eq!(Rational::integer(3).powi(200), None);
    }

    #[test]
    fn rationals_round_to_the_nearest_float() {
        // 17 significant digits: the numerator is beyond 2^53.
        for text in [
            "1.9999999999999998",
            "0.30000000000000004",
            "123456789.12345678",
        ] {
            let value: f64 = text.parse().unwrap();
            let Some(Number::Exact(r)) = parse_literal(text) else {
                panic!("{text} is exact")
            };
            assert_eq!(r.to_f64(), value, "{text}");
            assert_eq!(r.checked_neg().unwrap().to_f64(), -value);
        }
        // Every float's shortest text reads back as that float.
        let mut x = 0.1f64;
        for _ in 0..2000 {
            x = (x * 1.618_033_988_749_895 + 0.577) % 97.0;
            let y = x * 10f64.powi((x as i32 % 40) - 20);
            if let Some(Number::Exact(r)) = parse_literal(&format!("{y:?}")) {
                assert_eq!(r.to_f64(), y, "{y:?}");
            }
        }
        assert_eq!(Rational::new(1, 3).unwrap().to_f64(), 1.0 / 3.0);
        assert_eq!(Rational::integer(i128::MAX).to_f64(), i128::MAX as f64);
    }

    #[test]
    fn floats_convert_exactly() {
        assert_eq!(
            Rational::from_f64(0.375),
            Some(Rational::new(3, 8).unwrap())
        );
        assert_eq!(Rational::from_f64(f64::NAN), None);
    }
}

//! Arithmetic modulo a prime below 2⁶², and the random primes and values the identity
//! test draws.
//!
//! The prime is drawn afresh for every trial, uniformly among the primes in
//! [2⁶¹, 2⁶²): a fixed prime would let a claim whose two sides differ by a multiple of
//! that prime (`x · 2305843009213693951 = 0` for 2⁶¹ − 1) pass every trial, while a
//! random one divides a given non-zero integer `c` with probability at most
//! `log₂|c| / 61` over the number of primes in the range (see [`PRIMES_IN_RANGE`]).

/// The smallest prime the test may draw is above this (2⁶¹).
pub(crate) const LOW: u64 = 1 << 61;

/// A lower bound on the number of primes in [2⁶¹, 2⁶²): with Rosser and Schoenfeld's
/// bounds x/ln x < π(x) < 1.25506·x/ln x (x ≥ 17),
/// π(2⁶²) − π(2⁶¹) > 2⁶²/ln 2⁶² − 1.25506·2⁶¹/ln 2⁶¹ ≈ 3.89·10¹⁶.
pub(crate) const PRIMES_IN_RANGE: f64 = 3.8e16;

/// Arithmetic modulo one prime `p`, 2⁶¹ < p < 2⁶².
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    p: u64,
}

impl Field {
    /// The field of integers modulo `p` (which the caller has checked is prime).
    pub fn new(p: u64) -> Field {
        Field { p }
    }

    /// The modulus.
    pub fn prime(self) -> u64 {
        self.p
    }

    pub fn add(self, a: u64, b: u64) -> u64 {
        // a, b < p < 2⁶², so the sum does not overflow.
        let s = a + b;
        if s >= self.p {
            s - self.p
        } else {
            s
        }
    }

    pub fn neg(self, a: u64) -> u64 {
        if a == 0 {
            0
        } else {
            self.p - a
        }
    }

    pub fn sub(self, a: u64, b: u64) -> u64 {
        self.add(a, self.neg(b))
    }

    pub fn mul(self, a: u64, b: u64) -> u64 {
        mul_mod(a, b, self.p)
    }

    /// `a⁻¹`, or `None` for zero (extended Euclid).
    pub fn inverse(self, a: u64) -> Option<u64> {
        if a == 0 {
            return None;
        }
        let (mut r0, mut r1) = (i128::from(self.p), i128::from(a));
        let (mut t0, mut t1) = (0i128, 1i128);
        while r1 != 0 {
            let q = r0 / r1;
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0 - q * t1);
        }
        // r0 = gcd = 1 for a prime modulus.
        Some(t0.rem_euclid(i128::from(self.p)) as u64)
    }

    pub fn div(self, a: u64, b: u64) -> Option<u64> {
        Some(self.mul(a, self.inverse(b)?))
    }

    /// `aⁿ` for any integer `n` (`None` for a negative power of zero).
    pub fn pow(self, a: u64, n: i64) -> Option<u64> {
        let base = if n < 0 { self.inverse(a)? } else { a };
        Some(pow_mod(base, n.unsigned_abs(), self.p))
    }

    /// The residue of an integer.
    pub fn integer(self, n: i128) -> u64 {
        n.rem_euclid(i128::from(self.p)) as u64
    }

    /// Whether `a` is in the upper half (`p/2, p)`: the residues of negative numbers,
    /// `−u` for `u` in the lower half. Used to pick one of `u` and `−u` as the key of
    /// an even or odd function's value.
    pub fn is_upper(self, a: u64) -> bool {
        a > self.p / 2
    }
}

fn mul_mod(a: u64, b: u64, p: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(p)) as u64
}

fn pow_mod(mut base: u64, mut e: u64, p: u64) -> u64 {
    let mut result = 1 % p;
    base %= p;
    while e > 0 {
        if e & 1 == 1 {
            result = mul_mod(result, base, p);
        }
        base = mul_mod(base, base, p);
        e >>= 1;
    }
    result
}

/// Whether `n` is prime: Miller–Rabin with the first twelve primes as bases, which is
/// exact (not probabilistic) for every `n < 3.3·10²⁴`, so for every `u64`.
pub(crate) fn is_prime(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    for b in BASES {
        if n.is_multiple_of(b) {
            return n == b;
        }
    }
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    'bases: for b in BASES {
        let mut x = pow_mod(b, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// SplitMix64: a small, seedable generator, so verdicts are reproducible without a
/// dependency.
#[derive(Clone, Debug)]
pub(crate) struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)` (rejection sampling, so exactly uniform).
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A prime drawn uniformly from [2⁶¹, 2⁶²): candidates uniform in the range,
    /// rejected until one is prime (about one in 43 is).
    pub fn prime(&mut self) -> u64 {
        loop {
            let candidate = LOW + self.below(LOW);
            if is_prime(candidate) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miller_rabin_agrees_with_trial_division_on_small_numbers() {
        let trial = |n: u64| {
            n >= 2
                && (2..)
                    .take_while(|d| d * d <= n)
                    .all(|d| !n.is_multiple_of(d))
        };
        for n in 0..5_000 {
            assert_eq!(is_prime(n), trial(n), "{n}");
        }
        // 2⁶¹ − 1 is a Mersenne prime; 2⁶¹ + 1 is divisible by 3; a Carmichael number.
        assert!(is_prime((1 << 61) - 1));
        assert!(!is_prime((1 << 61) + 1));
        assert!(!is_prime(3_215_031_751));
    }

    #[test]
    fn drawn_primes_are_prime_and_in_range() {
        let mut random = Random::new(7);
        for _ in 0..20 {
            let p = random.prime();
            assert!((LOW..2 * LOW).contains(&p) && is_prime(p));
        }
    }

    #[test]
    fn inverses_multiply_to_one() {
        let field = Field::new((1 << 61) - 1);
        let mut random = Random::new(3);
        for _ in 0..100 {
            let a = 1 + random.below(field.prime() - 1);
            assert_eq!(field.mul(a, field.inverse(a).unwrap()), 1);
        }
        assert_eq!(field.inverse(0), None);
        assert_eq!(field.pow(3, -2).map(|x| field.mul(x, 9)), Some(1));
    }
}

//! SplitMix64: the small, seeded, reproducible generator behind
//! [`Mlp::seeded`](super::Mlp::seeded).
//!
//! Steele, Lea and Flood, "Fast splittable pseudorandom number generators" (OOPSLA 2014);
//! the constants are those of `java.util.SplittableRandom` and of Vigna's reference C
//! code. It passes BigCrush, needs no dependency, and a given seed gives the same weights
//! on every platform and every release of this crate (a change to this file would change
//! everyone's seeded networks, so it is tested against the reference outputs).

/// A SplitMix64 generator: a 64-bit counter stepped by the golden-ratio increment and
/// scrambled by a fixed mixing function.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose first output is the mix of `seed + 0x9E3779B97F4A7C15`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)`: the top 53 bits over `2^53`, so every value is an
    /// exact `f64` and all are equally likely.
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform number in `[-bound, bound)`.
    pub fn next_symmetric(&mut self, bound: f64) -> f64 {
        (2.0 * self.next_unit() - 1.0) * bound
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn seed_zero_gives_the_reference_outputs() {
        // The first outputs of Vigna's splitmix64.c started from state 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn unit_numbers_lie_in_the_half_open_interval() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..10_000 {
            let u = rng.next_unit();
            assert!((0.0..1.0).contains(&u));
            let s = rng.next_symmetric(0.5);
            assert!((-0.5..0.5).contains(&s));
        }
    }
}

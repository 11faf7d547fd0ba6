//! Reproducible random directions without a dependency: SplitMix64.

/// SplitMix64 (Steele, Lea and Flood): a small generator with good statistical quality,
/// plenty for picking test directions.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[-1, 1)`.
    pub(crate) fn symmetric(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    /// A direction in `n` dimensions with components uniform in `[-1, 1)`, rescaled so
    /// its largest component is ±1 (no direction is degenerate).
    pub(crate) fn direction(&mut self, n: usize) -> Vec<f64> {
        let v: Vec<f64> = (0..n).map(|_| self.symmetric()).collect();
        let norm = v.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        if norm == 0.0 {
            vec![1.0; n]
        } else {
            v.into_iter().map(|x| x / norm).collect()
        }
    }
}

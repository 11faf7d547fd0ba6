//! What the block tests of the tape share: a matrix–vector problem and an entry-by-entry
//! comparison. `tape_blocks.rs` reads the matrix row-major (`rows × cols`),
//! `tape_transposed.rs` input-major (`inputs × outputs`); both take the vector `x`
//! along the dimension of 1 to 8 and the output weights `c` along the one of 1 to 6.

use proptest::prelude::*;

/// A matrix of `n·m` entries, a vector `x` of `m` and output weights `c` of `n`, with
/// `n` in 1..7 and `m` in 1..9.
pub fn problem() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>)> {
    (1usize..7, 1usize..9).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(-1.5..1.5f64, n * m),
            prop::collection::vec(-1.5..1.5f64, m),
            prop::collection::vec(-2.0..2.0f64, n),
        )
    })
}

/// `|a − b| ≤ tol·scale` entry by entry.
pub fn close(a: &[f64], b: &[f64], tol: f64, scale: f64) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.len(), b.len());
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        prop_assert!((x - y).abs() <= tol * scale, "entry {}: {} vs {}", k, x, y);
    }
    Ok(())
}

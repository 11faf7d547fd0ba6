//! Growing the tape, which every op may do, leaves the caller's registers as they were.
//!
//! On x86-64 the growth is called through an assembly routine that saves every register
//! the callee may change (`src/tape/grow.rs`), so the compiler keeps the caller's values
//! in registers across each op. Each test holds values across many ops on a fresh tape
//! (which grows seventeen times on the way, its buffer copied by the allocator, whose
//! `memcpy` uses the vector registers) and checks them and the gradient afterwards.
//!
//! Which registers the allocator touches depends on the machine: on the AVX-512 machine
//! these tests were written on, removing the routine's vector save fails the AVX-512 test
//! (its `memcpy` uses zmm16–31) and not the others; the AVX test stands for machines
//! whose `memcpy` uses ymm0–15. Values stay in registers only in optimised builds, so CI
//! also runs this file with `--release`.

use gradproof::prelude::*;

/// Ops recorded per test: the tape grows from empty to over 2·10⁵ nodes (about 5 MB).
const STEPS: usize = 100_000;

/// Each test records `y ← y·C + 1`, `STEPS` times, from a variable `x`.
const C: f64 = 1.000_001;

/// `dy/dx = C^STEPS`, computed as the sweep computes it: the product of the partials
/// from the output back.
fn chain_derivative() -> f64 {
    (0..STEPS).fold(1.0, |acc, _| acc * C)
}

#[test]
fn floats_held_across_ops_survive_the_tape_growing() {
    let tape = Tape::new();
    let x = tape.var(1.0);
    let mut y = x;
    let mut held = [0.0f64; 12];
    for step in 0..STEPS {
        y = y * C + 1.0;
        for (k, h) in held.iter_mut().enumerate() {
            *h += (step % 7 + k) as f64;
        }
    }
    let per_round: usize = (0..7).sum();
    for (k, h) in held.iter().enumerate() {
        let expected = (STEPS / 7 * per_round + (0..STEPS % 7).sum::<usize>() + k * STEPS) as f64;
        assert_eq!(*h, expected, "held value {k}");
    }
    assert!(tape.len() > 2 * STEPS);
    assert_eq!(tape.gradient(y).wrt(x), chain_derivative());
}

#[cfg(target_arch = "x86_64")]
mod wide_registers {
    use super::*;
    use std::arch::x86_64::*;

    /// Runs `check`, compiled for the instruction set `what`, if the processor has it.
    /// (Each check keeps its recording loop in its own body: values held across ops
    /// stay in registers only within one function.)
    fn if_present(present: bool, what: &str, check: unsafe fn()) {
        if !present {
            eprintln!("no {what} on this processor: nothing to check");
            return;
        }
        // SAFETY: `check` needs only `what`, which the caller found present.
        unsafe { check() }
    }

    #[test]
    fn avx_registers_held_across_ops_survive_the_tape_growing() {
        if_present(std::arch::is_x86_feature_detected!("avx"), "AVX", avx);
    }

    #[target_feature(enable = "avx")]
    fn avx() {
        let tape = Tape::new();
        let x = tape.var(1.0);
        let mut y = x;
        let mut held: [__m256d; 8] = std::array::from_fn(|k| _mm256_set1_pd(k as f64));
        let step = _mm256_set_pd(1.0, 2.0, 3.0, 4.0);
        for _ in 0..STEPS {
            y = y * C + 1.0;
            for h in &mut held {
                *h = _mm256_add_pd(*h, step);
            }
        }
        for (k, h) in held.iter().enumerate() {
            let mut lanes = [0.0f64; 4];
            // SAFETY: `lanes` holds four f64, what an unaligned 256-bit store writes.
            unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), *h) };
            let n = STEPS as f64;
            assert_eq!(
                lanes,
                [
                    k as f64 + 4.0 * n,
                    k as f64 + 3.0 * n,
                    k as f64 + 2.0 * n,
                    k as f64 + n
                ],
                "held vector {k}"
            );
        }
        assert_eq!(tape.gradient(y).wrt(x), chain_derivative());
    }

    #[test]
    fn avx512_registers_held_across_ops_survive_the_tape_growing() {
        if_present(
            std::arch::is_x86_feature_detected!("avx512f"),
            "AVX-512",
            avx512,
        );
    }

    #[target_feature(enable = "avx512f")]
    fn avx512() {
        let tape = Tape::new();
        let x = tape.var(1.0);
        let mut y = x;
        // More vectors than the 16 registers AVX has: some live in zmm16–31.
        let mut held: [__m512d; 24] = std::array::from_fn(|k| _mm512_set1_pd(k as f64));
        let step = _mm512_set1_pd(0.5);
        let mut mask: __mmask8 = 0b1010_0101;
        for _ in 0..STEPS {
            y = y * C + 1.0;
            for h in &mut held {
                *h = _mm512_mask_add_pd(*h, mask, *h, step);
            }
            mask = mask.rotate_left(1);
        }
        for (k, h) in held.iter().enumerate() {
            let mut lanes = [0.0f64; 8];
            // SAFETY: `lanes` holds eight f64, what an unaligned 512-bit store writes.
            unsafe { _mm512_storeu_pd(lanes.as_mut_ptr(), *h) };
            // Each lane is masked in on half the steps: the mask has four bits set
            // and rotates through all eight lanes.
            let expected = k as f64 + 0.5 * (STEPS / 2) as f64;
            assert_eq!(lanes, [expected; 8], "held vector {k}");
        }
        assert_eq!(tape.gradient(y).wrt(x), chain_derivative());
    }
}

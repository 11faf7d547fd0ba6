//! Timing in alternation, for ratios that hold while the machine changes speed.
//!
//! The machine runs a process, or a stretch of one, at one of two speeds about 1.4×
//! apart. Criterion times one function after another, so a slow stretch can fall on a
//! tape path and not on the closed form it is divided by. Here the functions take
//! turns, a batch of iterations each, round after round: both sides of a ratio are
//! timed within the same few milliseconds, and the median over rounds describes the
//! machine's usual state.

use super::cpu_time::now;

/// One round: the CPU time per iteration of each function, in nanoseconds.
pub type Round<const N: usize> = [f64; N];

/// Times `functions` in turn, `rounds` times, each batch taking about `batch_ns` of CPU
/// time (batch sizes are set once, before the first round).
pub fn alternate<const N: usize>(
    functions: &mut [&mut dyn FnMut(); N],
    rounds: usize,
    batch_ns: u64,
) -> Vec<Round<N>> {
    let batches: Vec<u64> = functions
        .iter_mut()
        .map(|f| batch_size(&mut **f, batch_ns))
        .collect();
    (0..rounds)
        .map(|_| {
            let mut round = [0.0; N];
            for (k, f) in functions.iter_mut().enumerate() {
                let start = now();
                for _ in 0..batches[k] {
                    f();
                }
                round[k] = (now() - start) as f64 / batches[k] as f64;
            }
            round
        })
        .collect()
}

/// Iterations of `f` that take about `target_ns`: doubled until a batch takes a
/// quarter of it, then scaled (which also warms `f` up).
fn batch_size(f: &mut dyn FnMut(), target_ns: u64) -> u64 {
    let mut n: u64 = 1;
    loop {
        let start = now();
        for _ in 0..n {
            f();
        }
        let took = (now() - start).max(1);
        if took >= target_ns / 4 {
            return (n * target_ns / took).max(1);
        }
        n *= 2;
    }
}

/// The median of `values` (the upper one of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

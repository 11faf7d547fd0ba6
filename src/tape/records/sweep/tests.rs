//! The sweep keeps the adjoints of the node being swept and of the two below it in
//! registers. These tests hold it to the plain sweep through memory it replaced: on
//! random recordings (runs of leaves, unary, binary and fused nodes, parents mostly one
//! to four nodes back, partials including ±0, ±1, ±∞ and NaN), every adjoint must come
//! out the same to the bit (NaN counting as one value).

use proptest::prelude::*;

use super::super::{BlockOp, Records};

/// One record, its parents given as distances back from the node (resolved against the
/// tape's length, so that every parent is recorded before its node).
#[derive(Clone, Debug)]
enum Step {
    Leaves(usize),
    Unary((usize, f64)),
    Binary((usize, f64), (usize, f64)),
    Fused(Vec<(usize, f64)>),
}

fn partial() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -4.0..4.0f64,
        1 => Just(0.0),
        1 => Just(-0.0),
        2 => Just(1.0),
        1 => Just(-1.0),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NAN),
        1 => any::<f64>(),
    ]
}

/// Mostly the distances the sweep's window treats apart (one and two back) and their
/// neighbours, sometimes anything.
fn back() -> impl Strategy<Value = usize> {
    prop_oneof![4 => 1..=4usize, 1 => 1..=64usize]
}

fn edge() -> impl Strategy<Value = (usize, f64)> {
    (back(), partial())
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (1..4usize).prop_map(Step::Leaves),
        4 => edge().prop_map(Step::Unary),
        6 => (edge(), edge()).prop_map(|(a, b)| Step::Binary(a, b)),
        1 => prop::collection::vec(edge(), 3..6).prop_map(Step::Fused),
    ]
}

/// Records `steps` (after one leaf, so that every node has a parent to point at) and
/// returns the records with each node's edges, in the order the sweep passes them.
fn record(steps: &[Step]) -> (Records<f64>, Vec<Vec<(usize, f64)>>) {
    let mut records = Records::with_capacity(0, 0);
    let mut edges: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    records.push_block(1, BlockOp::Leaves);
    for step in steps {
        let len = records.len() as usize;
        let parent = |(back, d): (usize, f64)| (len - back.min(len), d);
        match step {
            Step::Leaves(n) => {
                records.push_block(*n, BlockOp::Leaves);
                edges.extend((0..*n).map(|_| Vec::new()));
                continue;
            }
            Step::Unary(a) => {
                let (p, d) = parent(*a);
                records.push_unary(p as u32, d);
                edges.push(vec![(p, d)]);
            }
            Step::Binary(a, b) => {
                let (a, b) = (parent(*a), parent(*b));
                records.push_binary([(a.0 as u32, a.1), (b.0 as u32, b.1)]);
                edges.push(vec![a, b]);
            }
            Step::Fused(list) => {
                let list: Vec<_> = list.iter().map(|&e| parent(e)).collect();
                records.push_edges(list.len(), list.iter().map(|&(p, d)| (p as u32, d)));
                edges.push(list);
            }
        }
    }
    assert_eq!(records.len() as usize, edges.len());
    (records, edges)
}

/// The sweep as it was before the window: every adjoint read from and added to memory.
fn plain_sweep(edges: &[Vec<(usize, f64)>], adjoints: &mut [f64]) {
    for node in (0..adjoints.len()).rev() {
        let adjoint = adjoints[node];
        if adjoint == 0.0 {
            continue;
        }
        for &(parent, partial) in &edges[node] {
            adjoints[parent] += adjoint * partial;
        }
    }
}

/// The adjoints' bits, every NaN as one: Rust leaves the sign and payload of a NaN that
/// arithmetic produces unspecified (the compiler may swap the operands of `+`).
fn bits(adjoints: &[f64]) -> Vec<u64> {
    adjoints
        .iter()
        .map(|a| if a.is_nan() { f64::NAN } else { *a }.to_bits())
        .collect()
}

proptest! {
    #![proptest_config(crate::proptest_cases::config(512))]

    #[test]
    fn the_windowed_sweep_gives_the_plain_sweeps_adjoints_to_the_bit(
        steps in prop::collection::vec(step(), 0..60),
        output in any::<prop::sample::Index>(),
        seeds in prop::collection::vec((any::<prop::sample::Index>(), partial()), 1..3),
    ) {
        let (records, edges) = record(&steps);
        let upto = output.index(edges.len()) + 1;
        let mut expected = vec![0.0; upto];
        for (at, weight) in &seeds {
            expected[at.index(upto)] += weight;
        }
        let mut swept = expected.clone();
        plain_sweep(&edges, &mut expected);
        records.sweep(&mut swept);
        prop_assert_eq!(bits(&swept), bits(&expected));
    }
}

/// A running sum `z += w·a` on leaves `w`, `a`: the pattern the window is for, with each
/// node's parents one and two nodes back. Small integers, so the adjoints are exact.
#[test]
fn a_running_sum_passes_its_adjoint_down_the_chain() {
    let mut records = Records::with_capacity(0, 0);
    records.push_block(6, BlockOp::Leaves); // w0 w1 w2, a0 a1 a2: nodes 0..6
    let mut z = records.push_binary([(0, 2.0), (3, 1.0)]); // z0 = w0·a0 (a0 = 2, w0 = 1)
    for k in 1..3u32 {
        let m = records.push_binary([(k, (k + 2) as f64), (3 + k, 1.0)]); // w_k·a_k
        z = records.push_binary([(z, 1.0), (m, 1.0)]);
    }
    assert_eq!(z, 10);
    let mut adjoints = vec![0.0; 11];
    adjoints[10] = 3.0;
    records.sweep(&mut adjoints);
    // ∂z/∂w_k = a_k, ∂z/∂a_k = w_k, times the seed 3; every z and product gets 3.
    assert_eq!(&adjoints[..6], &[6.0, 9.0, 12.0, 3.0, 3.0, 3.0]);
    assert_eq!(&adjoints[6..], &[3.0; 5]);
}

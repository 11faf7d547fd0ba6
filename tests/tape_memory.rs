//! What a recording costs in memory: bytes per node by kind of op (the layout documented
//! in `src/tape/records.rs`), the average over a network recorded op by op, and the
//! peak memory of one gradient of a 256-128-10 network by the network path.

mod allocation_support;
mod scalar_network;

use allocation_support::{peak_during, Counting};
use gradproof::nn::mlp::{Mlp, Shape};
use gradproof::prelude::*;
use scalar_network::scalar_loss;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes per node, adjoint included, of the nodes `record` adds to a tape holding one
/// variable.
fn bytes_per_node<T: Float>(record: impl for<'t> Fn(&'t Tape<T>, Var<'t, T>)) -> f64 {
    let tape = Tape::new();
    let x = tape.var(T::one());
    let (nodes, bytes) = (tape.len(), tape.recorded_bytes());
    record(&tape, x);
    let added = tape.recorded_bytes() - bytes + (tape.len() - nodes) * std::mem::size_of::<T>();
    added as f64 / (tape.len() - nodes) as f64
}

fn sizes_by_kind<T: Float>() -> [f64; 7] {
    [
        bytes_per_node::<T>(|tape, _| {
            tape.var(T::one());
        }),
        bytes_per_node::<T>(|tape, _| {
            tape.var_slice(&[T::one(); 1000]);
        }),
        bytes_per_node::<T>(|_, x| {
            let _ = x.sin();
        }),
        bytes_per_node::<T>(|_, x| {
            let _ = x * T::one();
        }),
        bytes_per_node::<T>(|_, x| {
            let _ = x * x;
        }),
        bytes_per_node::<T>(|tape, x| {
            let _ = Var::sum(&[x, x.sin(), tape.var(T::one())]);
        }),
        bytes_per_node::<T>(|_, x| {
            let _ = Var::sum(&[x, x]);
        }),
    ]
}

#[test]
fn nodes_take_the_bytes_the_layout_says() {
    // A leaf recorded after a leaf (it extends that leaf's block), leaves in a block of
    // their own, unary, binary with a constant (one edge), binary; and a fused sum of
    // three with what it needs: a unary node, a leaf starting a new block (a `Block`
    // record) and the sum (a `Block` and three edges); a sum of two is a binary node.
    let block = BLOCK;
    let [leaf, block_leaf, unary, with_constant, binary, sum, pair] = sizes_by_kind::<f64>();
    assert_eq!(
        (leaf, unary, with_constant, binary, pair),
        (8.0, 32.0, 32.0, 32.0, 32.0)
    );
    assert!((8.0..8.05).contains(&block_leaf), "{block_leaf}");
    assert_eq!(sum * 3.0, 32.0 + (block + 8.0) + (block + 3.0 * 12.0 + 8.0));
    let [leaf, block_leaf, unary, with_constant, binary, sum, pair] = sizes_by_kind::<f32>();
    assert_eq!(
        (leaf, unary, with_constant, binary, pair),
        (4.0, 20.0, 20.0, 20.0, 20.0)
    );
    assert!((4.0..4.05).contains(&block_leaf), "{block_leaf}");
    assert_eq!(sum * 3.0, 20.0 + (block + 4.0) + (block + 3.0 * 8.0 + 4.0));
}

/// Bytes of the tape's record of a block (of leaves, a fused op or a matrix–vector
/// product), as `src/tape/records.rs` documents it.
const BLOCK: f64 = 36.0;

#[test]
fn variables_recorded_together_take_the_bytes_of_a_block_of_leaves() {
    let per_leaf = |n: usize| {
        bytes_per_node::<f64>(|tape, _| {
            tape.vars(&vec![1.0; n]);
        })
    };
    // Leaves recorded after a leaf extend its block: the adjoint's 8 bytes each.
    assert_eq!(per_leaf(3), 8.0);
    assert_eq!(per_leaf(1000), 8.0);
    // Leaves recorded at different times get their gradient.
    let tape = Tape::new();
    let few = tape.vars(&[2.0; 3]);
    let product = few[0] * few[1];
    let many = tape.vars(&[3.0; 20]);
    let y = few[2] * many[19] + many[0] + product;
    let grad = tape.gradient(y);
    assert_eq!(
        (grad.wrt(few[2]), grad.wrt(many[19]), grad.wrt(many[0])),
        (3.0, 2.0, 1.0)
    );
    assert_eq!((grad.wrt(few[0]), grad.wrt(many[1])), (2.0, 0.0));
}

/// A `sizes` network's loss written op by op on the tape (each weighted sum a chain of
/// `*` and `+`), returning the bytes per node, adjoint included.
fn scalar_path_bytes_per_node<T: Float>(sizes: &[usize]) -> f64 {
    let net = Mlp::<T>::seeded(Shape::new(sizes).unwrap(), 3);
    let tape = Tape::new();
    let params = tape.vars(net.params());
    let x: Vec<T> = (0..sizes[0]).map(|i| T::from(i).unwrap()).collect();
    let y = vec![T::one(); sizes[sizes.len() - 1]];
    scalar_loss(net.shape(), &params, &x, &y);
    let bytes = tape.recorded_bytes() + tape.len() * std::mem::size_of::<T>();
    bytes as f64 / tape.len() as f64
}

#[test]
fn a_network_recorded_op_by_op_takes_at_most_25_bytes_per_node_in_f64() {
    for sizes in [[64, 32, 10], [256, 128, 10]] {
        let f64_bytes = scalar_path_bytes_per_node::<f64>(&sizes);
        let f32_bytes = scalar_path_bytes_per_node::<f32>(&sizes);
        eprintln!("{sizes:?}: {f64_bytes:.2} bytes per node in f64, {f32_bytes:.2} in f32");
        assert!(f64_bytes <= 25.0, "{f64_bytes}");
        assert!(f32_bytes <= 17.0, "{f32_bytes}");
    }
}

#[test]
fn one_256_128_10_gradient_by_the_network_path_needs_under_2_mb() {
    let net = Mlp::<f64>::seeded(Shape::new(&[256, 128, 10]).unwrap(), 3);
    let x: Vec<f64> = (0..256).map(|i| (i as f64 / 128.0) - 1.0).collect();
    let y = vec![0.5; 10];
    // Everything the call allocates, from an empty tape and workspace, the returned
    // gradient (0.27 MB) included.
    let (peak, result) = peak_during(|| net.tape_gradient(&x, &y));
    result.unwrap();
    eprintln!("peak memory of one 256-128-10 tape gradient: {peak} bytes");
    assert!(peak < 2 << 20, "{peak} bytes");
    // The weights alone are 34 048 · 8 bytes; the gradient needs as much again.
    assert!(peak >= 2 * 34_048 * 8);
}

//! The document resolved as a whole: `W'` read as the transpose of a declared `W`,
//! and the definitions ordered so each comes after what it uses, cycles found.

use std::collections::{HashMap, HashSet};

use super::{collect, Builder, Ir};
use crate::read::names::Key;
use crate::read::rows::Dims;

impl Builder {
    /// `W'` for the transpose of a declared vector or matrix `W`, where `W'` is no
    /// symbol of its own.
    pub(super) fn primes_as_transposes(&mut self) {
        let mut keys = Vec::new();
        let mut wrt = HashSet::new();
        for d in &self.defs {
            collect(&d.ir, &mut keys, &mut wrt);
        }
        for c in &self.claims {
            collect(&c.lhs, &mut keys, &mut wrt);
            collect(&c.rhs, &mut keys, &mut wrt);
        }
        let transposes: HashMap<Key, Key> = keys
            .into_iter()
            .filter(|key| {
                key.decorations.contains(&"prime")
                    && !self.defined.contains_key(key)
                    && !self.valued.contains_key(key)
                    && !self.shapes.contains_key(key)
                    && !wrt.contains(key)
            })
            .filter_map(|key| {
                let mut bare = key.clone();
                bare.decorations.retain(|d| *d != "prime");
                let shaped = self
                    .shapes
                    .get(&bare)
                    .is_some_and(|s| s.dims != Dims::Scalar);
                shaped.then_some((key, bare))
            })
            .collect();
        if transposes.is_empty() {
            return;
        }
        for d in &mut self.defs {
            transpose_primes(&mut d.ir, &transposes);
        }
        for c in &mut self.claims {
            transpose_primes(&mut c.lhs, &transposes);
            transpose_primes(&mut c.rhs, &transposes);
        }
    }

    /// The definitions in an order where each comes after the definitions it uses
    /// (depth first, in document order), and those on a cycle.
    pub(super) fn order(&self) -> (Vec<usize>, Vec<usize>) {
        let n = self.defs.len();
        let deps = |d: usize| -> Vec<usize> {
            let mut keys = Vec::new();
            collect(&self.defs[d].ir, &mut keys, &mut HashSet::new());
            keys.iter()
                .filter_map(|k| self.defined.get(k).copied())
                .collect()
        };
        let mut state = vec![0u8; n];
        let mut cyclic = vec![false; n];
        let mut order = Vec::with_capacity(n);
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, deps(root), 0usize)];
            while let Some(top) = stack.last_mut() {
                if top.2 < top.1.len() {
                    let d = top.1[top.2];
                    top.2 += 1;
                    match state[d] {
                        0 => {
                            state[d] = 1;
                            stack.push((d, deps(d), 0));
                        }
                        1 => {
                            let from = stack.iter().position(|e| e.0 == d).unwrap_or(0);
                            for e in &stack[from..] {
                                cyclic[e.0] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    let v = top.0;
                    stack.pop();
                    state[v] = 2;
                    order.push(v);
                }
            }
        }
        let cycle: Vec<usize> = (0..n).filter(|&d| cyclic[d]).collect();
        (order, cycle)
    }
}

/// Replaces each symbol `W'` of `transposes` by the transpose of its `W`.
fn transpose_primes(ir: &mut Ir, transposes: &HashMap<Key, Key>) {
    let mut stack = vec![ir];
    while let Some(ir) = stack.pop() {
        match ir {
            Ir::Sym(key) => {
                if let Some(bare) = transposes.get(key) {
                    *ir = Ir::Transpose(Box::new(Ir::Sym(bare.clone())));
                }
            }
            Ir::Num(_) => {}
            Ir::Neg(a) | Ir::Call(_, a) | Ir::Transpose(a) | Ir::Whole(_, a) | Ir::Grad(a, _) => {
                stack.push(a)
            }
            Ir::Bin(_, a, b) => {
                stack.push(a);
                stack.push(b);
            }
            Ir::Sum(terms) => stack.extend(terms.iter_mut()),
        }
    }
}

//! What is wrong with a failed claim between vectors or matrices, in matrix terms.
//!
//! Each diagnosis is a conjecture about the whole grid tested with the identity test
//! (`identity/`), every entry at once, on a rearranged or rescaled right side: it is
//! reported only if every entry of the rearranged claim is proved. In order:
//!
//! - `the factors of the outer product are swapped`: `lhs[i, j] ≡ rhs[j, i]` for every
//!   entry and every `rhs[i, j]` is a product `u_i · v_j` of a row part and a column
//!   part (the rank-one structure of `u vᵀ` in the DAG);
//! - `the right side is the transpose of the left`: the same without the structure;
//! - `an elementwise factor σ′(z2) is missing`: `lhs ≡ rhs ⊙ f′(z)` for a named
//!   vector or matrix of the program whose entries are `f(z_k)` (`a2 = σ(z2)`),
//!   elementwise, or broadcast along the rows or the columns (a gradient `δ aᵀ` whose
//!   `δ` misses the factor); its converse, an extra factor;
//! - `the right side uses W2 where W2ᵀ belongs`: `lhs ≡ rhs` once the entries of a
//!   declared square matrix are transposed wherever the right side uses them (a
//!   missing or extra transpose inside a product, `W2 δ` for `W2ᵀ δ`);
//! - `every entry: left = −1 × right`: one constant relates every entry (found from
//!   the failing entry's values, a fraction with a small denominator).
//!
//! Where none fits, the failing entry's own (scalar) diagnosis stands.

use std::collections::{HashMap, HashSet};

use super::claims::Counterexample;
use super::dag::{Dag, ExprId, Node};
use super::derive;
use super::func::Func;
use super::grid::Grid;
use super::identity::{self, Outcome};
use super::number::Rational;
use super::program::Program;

/// The seed of the diagnoses' identity tests (a diagnosis is a conjecture checked,
/// not a verdict: any fixed seed will do, and keeps reports reproducible).
const SEED: u64 = 0xd1a9_4051_5000_0001;

/// The matrix diagnosis of a claim `lhs = rhs` whose row-major entry `failing` fails
/// with `counterexample`, if one fits.
pub(crate) fn diagnose(
    program: &Program,
    lhs: &Grid,
    rhs: &Grid,
    failing: usize,
    counterexample: &Counterexample,
) -> Option<String> {
    if let Some(d) = transposed(&program.dag, lhs, rhs, failing) {
        return Some(d);
    }
    // The conjectures below build nodes in a copy of the DAG, made only if one is
    // tried (a copy of a large network's DAG is not free).
    let mut scratch: Option<Dag> = None;
    elementwise_factor(program, &mut scratch, lhs, rhs, failing)
        .or_else(|| transposed_inside(program, &mut scratch, lhs, rhs, failing))
        .or_else(|| common_factor(program, &mut scratch, lhs, rhs, failing, counterexample))
}

/// Whether `lhs[k] ≡ rhs[k]` for every pair, tried first on the pair `first` (where
/// most conjectures fail, at the cost of one pass over the DAG).
fn identical(dag: &Dag, pairs: &[[ExprId; 2]], first: usize) -> bool {
    let all = |pairs: &[[ExprId; 2]]| {
        identity::test_claims(dag, pairs, SEED)
            .iter()
            .all(|o| matches!(o, Outcome::Identical { .. }))
    };
    pairs
        .get(first)
        .is_some_and(|p| all(std::slice::from_ref(p)))
        && all(pairs)
}

/// A transposed right side, and an outer product with swapped factors.
fn transposed(dag: &Dag, lhs: &Grid, rhs: &Grid, failing: usize) -> Option<String> {
    let shape = lhs.shape;
    if shape.rows != shape.cols || shape.rows < 2 {
        return None;
    }
    let swapped = rhs.transpose();
    let pairs: Vec<[ExprId; 2]> = lhs
        .entries
        .iter()
        .zip(&swapped.entries)
        .map(|(&l, &r)| [l, r])
        .collect();
    if !identical(dag, &pairs, failing) {
        return None;
    }
    Some(if outer_product(dag, rhs) {
        "the factors of the outer product are swapped: the right side is u vᵀ where the \
         left is v uᵀ (its transpose)"
            .to_string()
    } else {
        "the right side is the transpose of the left".to_string()
    })
}

/// Whether every entry `(i, j)` of `grid` is a product of a part that depends on the
/// row only and a part that depends on the column only, in either order: `u vᵀ` as
/// the DAG holds it.
fn outer_product(dag: &Dag, grid: &Grid) -> bool {
    let (rows, cols) = (grid.shape.rows, grid.shape.cols);
    if rows < 2 || cols < 2 {
        return false;
    }
    let factors = |i: usize, j: usize| match dag.node(grid.get(i, j)) {
        Node::Mul(a, b) => Some((a, b)),
        _ => None,
    };
    let all = |row_first: bool| {
        (0..rows).all(|i| {
            (0..cols).all(|j| {
                let (Some((a, b)), Some((ra, rb)), Some((ca, cb))) =
                    (factors(i, j), factors(i, 0), factors(0, j))
                else {
                    return false;
                };
                if row_first {
                    a == ra && b == cb
                } else {
                    a == ca && b == rb
                }
            })
        })
    };
    all(true) || all(false)
}

/// How a function's derivative is written in a diagnosis: `σ′`, `tanh′`.
fn prime(f: Func) -> String {
    match f {
        Func::Sigma => "σ′".to_string(),
        f => format!("{}′", f.name()),
    }
}

/// A missing (or extra) elementwise factor `f′(z)` for a named vector or matrix
/// `f(z)` of the program.
fn elementwise_factor(
    program: &Program,
    scratch: &mut Option<Dag>,
    lhs: &Grid,
    rhs: &Grid,
    failing: usize,
) -> Option<String> {
    let shape = lhs.shape;
    for (name, grid) in &program.shaped {
        let Some((f, arguments)) = elementwise(&program.dag, grid) else {
            continue;
        };
        let vector = grid.shape.rows == 1 || grid.shape.cols == 1;
        let rows = vector && arguments.len() == shape.rows && shape.cols > 1;
        let cols = vector && arguments.len() == shape.cols && shape.rows > 1;
        if !(grid.shape == shape || rows || cols) {
            continue;
        }
        let scratch = scratch.get_or_insert_with(|| program.dag.clone());
        // f′(z_k), from the derivative rules of `derive.rs`.
        let one = scratch.integer(1);
        let primes: Vec<ExprId> = grid
            .entries
            .iter()
            .zip(&arguments)
            .map(|(&e, &z)| {
                let node = scratch.node(e);
                derive::rule(scratch, e, node, |c| (c == z).then_some(one))
            })
            .collect();
        let mut layouts: Vec<Vec<ExprId>> = Vec::new();
        if grid.shape == shape {
            layouts.push(primes.clone());
        }
        let per_entry = |k: &dyn Fn(usize, usize) -> usize| -> Vec<ExprId> {
            (0..shape.len())
                .map(|e| primes[k(e / shape.cols, e % shape.cols)])
                .collect()
        };
        if rows {
            layouts.push(per_entry(&|i, _| i));
        }
        if cols {
            layouts.push(per_entry(&|_, j| j));
        }
        for factor in layouts {
            let z = argument_name(program, &arguments, name);
            let missing = times(scratch, lhs, rhs, &factor);
            if identical(scratch, &missing, failing) {
                return Some(format!(
                    "an elementwise factor {}({z}) is missing",
                    prime(f)
                ));
            }
            let extra = times(scratch, rhs, lhs, &factor);
            if identical(scratch, &extra, failing) {
                return Some(format!(
                    "the right side has an extra elementwise factor {}({z})",
                    prime(f)
                ));
            }
        }
    }
    None
}

/// The pairs `[a_k, b_k · factor_k]`, entry by entry: the conjecture `a ≡ b ⊙ factor`.
fn times(scratch: &mut Dag, a: &Grid, b: &Grid, factor: &[ExprId]) -> Vec<[ExprId; 2]> {
    (0..a.entries.len())
        .map(|k| {
            [
                a.entries[k],
                scratch.insert(Node::Mul(b.entries[k], factor[k])),
            ]
        })
        .collect()
}

/// The function `f` and the arguments `z_k` if every entry of `grid` is `f(z_k)`, one
/// `f` with a derivative that is not zero.
fn elementwise(dag: &Dag, grid: &Grid) -> Option<(Func, Vec<ExprId>)> {
    let mut f = None;
    let mut arguments = Vec::with_capacity(grid.entries.len());
    for &e in &grid.entries {
        let Node::Call(g, z) = dag.node(e) else {
            return None;
        };
        if matches!(g, Func::Step | Func::Sign) || f.is_some_and(|f| f != g) {
            return None;
        }
        f = Some(g);
        arguments.push(z);
    }
    Some((f?, arguments))
}

/// The name of the vector or matrix whose entries are `arguments` (`z2` for
/// `a2 = σ(z2)`), or a description by `of`, the name of what it is the argument of.
fn argument_name(program: &Program, arguments: &[ExprId], of: &str) -> String {
    program
        .shaped
        .iter()
        .find(|(_, g)| g.entries == arguments)
        .map_or_else(|| format!("the argument of {of}"), |(n, _)| n.clone())
}

/// A declared square matrix used untransposed where its transpose belongs (or the
/// converse): the right side rebuilt with that matrix's entries `M[i, j]` and `M[j, i]`
/// exchanged is identical to the left.
fn transposed_inside(
    program: &Program,
    scratch: &mut Option<Dag>,
    lhs: &Grid,
    rhs: &Grid,
    failing: usize,
) -> Option<String> {
    // Only the right side's own operations are rebuilt: a named vector or matrix it
    // uses (`delta2`, which itself depends on `W2`) stands as computed.
    let named: HashSet<ExprId> = program
        .shaped
        .iter()
        .flat_map(|(_, g)| g.entries.iter().copied())
        .filter(|e| !rhs.entries.contains(e))
        .collect();
    let cone = program
        .dag
        .cone_within(&rhs.entries, |id| !named.contains(&id));
    let operands: HashSet<ExprId> = cone
        .ids()
        .iter()
        .flat_map(|&id| program.dag.node(id).children())
        .collect();
    for (name, grid) in &program.shaped {
        let n = grid.shape.rows;
        let declared = grid
            .entries
            .iter()
            .all(|&e| matches!(program.dag.node(e), Node::Leaf(_)));
        if n < 2 || grid.shape.cols != n || !declared {
            continue;
        }
        if !grid.entries.iter().any(|e| operands.contains(e)) {
            continue;
        }
        let scratch = scratch.get_or_insert_with(|| program.dag.clone());
        // The cone in index order: operands are rebuilt before their users.
        let mut swapped: HashMap<ExprId, ExprId> = HashMap::new();
        for i in 0..n {
            for j in 0..n {
                swapped.insert(grid.get(i, j), grid.get(j, i));
            }
        }
        for &id in cone.ids() {
            if swapped.contains_key(&id) {
                continue;
            }
            let node = program.dag.node(id);
            let at = |c: ExprId| swapped.get(&c).copied().unwrap_or(c);
            let rebuilt = match node {
                Node::Number(_) | Node::Leaf(_) | Node::Pi => continue,
                Node::Neg(a) => Node::Neg(at(a)),
                Node::Call(f, a) => Node::Call(f, at(a)),
                Node::Add(a, b) => Node::Add(at(a), at(b)),
                Node::Sub(a, b) => Node::Sub(at(a), at(b)),
                Node::Mul(a, b) => Node::Mul(at(a), at(b)),
                Node::Div(a, b) => Node::Div(at(a), at(b)),
                Node::Pow(a, b) => Node::Pow(at(a), at(b)),
            };
            if rebuilt != node {
                let new = scratch.insert(rebuilt);
                swapped.insert(id, new);
            }
        }
        let pairs: Vec<[ExprId; 2]> = lhs
            .entries
            .iter()
            .zip(&rhs.entries)
            .map(|(&l, r)| [l, swapped.get(r).copied().unwrap_or(*r)])
            .collect();
        if identical(scratch, &pairs, failing) {
            return Some(format!(
                "the right side uses {name} where {name}ᵀ belongs (a missing or extra \
                 transpose: with {name} transposed it is proved)"
            ));
        }
    }
    None
}

/// One constant `c` with `lhs ≡ c · rhs` at every entry, `c` read from the failing
/// entry's values as a fraction with a small denominator.
fn common_factor(
    program: &Program,
    scratch: &mut Option<Dag>,
    lhs: &Grid,
    rhs: &Grid,
    failing: usize,
    counterexample: &Counterexample,
) -> Option<String> {
    let c = small_fraction(counterexample.lhs / counterexample.rhs)?;
    let scratch = scratch.get_or_insert_with(|| program.dag.clone());
    let constant = scratch.exact(c);
    let pairs: Vec<[ExprId; 2]> = (0..lhs.entries.len())
        .map(|k| {
            [
                lhs.entries[k],
                scratch.insert(Node::Mul(constant, rhs.entries[k])),
            ]
        })
        .collect();
    identical(scratch, &pairs, failing).then(|| format!("every entry: left = {c} × right"))
}

/// `x` as `p/q` with `q ≤ 12` and `|p| ≤ 1000`, if it is one (to 10⁻⁹), and not 0 or 1.
fn small_fraction(x: f64) -> Option<Rational> {
    if !x.is_finite() || x == 0.0 {
        return None;
    }
    (1..=12i128).find_map(|q| {
        let p = (x * q as f64).round();
        let close = (x - p / q as f64).abs() <= 1e-9 * x.abs();
        (close && p.abs() <= 1000.0 && p as i128 != q)
            .then(|| Rational::new(p as i128, q))
            .flatten()
    })
}

//! A sigmoid network `n`-`h`-`m` in index form (`W1_3_5`, `a1_7`), for the claims
//! between matrices that the batched verdict decides: the loss gradient's weight
//! matrices against `δ2 a1ᵀ` and `δ1 xᵀ`, and mistaken ones (`(a2 − y) a1ᵀ`, a missing
//! σ′; `x δ1ᵀ`, an outer product with swapped factors, for a square first layer). Shared by
//! `tests/matrix_claims.rs` and `benches/matrix.rs`.

#![allow(dead_code)] // each user takes what it needs

use gradproof::expr::{parse, Claim, ExprId, Program, Shape};

/// Irregular values in about [−0.5, 0.5], so that no two entries agree by chance.
fn value(k: usize) -> f64 {
    ((k * 7919 + 17) % 1009) as f64 / 1009.0 - 0.5
}

/// The source: inputs `x_j`, targets `y_i`, parameters `W1_i_j` (`h × n`) and `W2_i_j`
/// (`m × h`) with values, then the forward pass, the loss `L`, the document's `delta2`
/// and `delta1`, and the right sides `G2_i_j = delta2_i * a1_j`,
/// `G1_i_j = delta1_i * x_j`, and two mistaken ones: `E2_i_j = (a2_i − y_i) * a1_j`
/// (`delta2` without σ′(z2)) and, if `n = h`, `S1_i_j = x_i * delta1_j`.
pub fn source(n: usize, h: usize, m: usize) -> String {
    let mut s = String::new();
    let mut k = 0;
    let mut next = || {
        k += 1;
        value(k)
    };
    for j in 1..=n {
        s += &format!("input x_{j} = {}\n", next());
    }
    for i in 1..=m {
        s += &format!("input y_{i} = {}\n", next() + 0.5);
    }
    for (layer, rows, cols) in [(1, h, n), (2, m, h)] {
        for i in 1..=rows {
            for j in 1..=cols {
                s += &format!("param W{layer}_{i}_{j} = {}\n", next());
            }
        }
    }
    s += &format!(
        "\
for i in 1..{h}: z1_{{i}} = sum(j in 1..{n}, W1_{{i}}_{{j}} * x_{{j}})
for i in 1..{h}: a1_{{i}} = sigma(z1_{{i}})
for i in 1..{m}: z2_{{i}} = sum(j in 1..{h}, W2_{{i}}_{{j}} * a1_{{j}})
for i in 1..{m}: a2_{{i}} = sigma(z2_{{i}})
loss L = sum(i in 1..{m}, 1/2 * (a2_{{i}} - y_{{i}})^2)
for i in 1..{m}: delta2_{{i}} = (a2_{{i}} - y_{{i}}) * a2_{{i}} * (1 - a2_{{i}})
for i in 1..{h}: delta1_{{i}} = sum(k in 1..{m}, W2_{{k}}_{{i}} * delta2_{{k}}) * a1_{{i}} * (1 - a1_{{i}})
for i in 1..{m}, j in 1..{h}: G2_{{i}}_{{j}} = delta2_{{i}} * a1_{{j}}
for i in 1..{h}, j in 1..{n}: G1_{{i}}_{{j}} = delta1_{{i}} * x_{{j}}
for i in 1..{m}, j in 1..{h}: E2_{{i}}_{{j}} = (a2_{{i}} - y_{{i}}) * a1_{{j}}
"
    );
    if n == h {
        s += &format!("for i in 1..{h}, j in 1..{n}: S1_{{i}}_{{j}} = x_{{i}} * delta1_{{j}}\n");
    }
    s
}

/// The network, parsed.
pub fn program(n: usize, h: usize, m: usize) -> Program {
    parse(&source(n, h, m)).unwrap_or_else(|e| panic!("{e}"))
}

/// The names `PREFIX_i_j` of a `rows × cols` matrix, row-major, 1-based.
pub fn names(prefix: &str, rows: usize, cols: usize) -> Vec<String> {
    (1..=rows)
        .flat_map(|i| (1..=cols).map(move |j| format!("{prefix}_{i}_{j}")))
        .collect()
}

/// The nodes of `names`.
pub fn nodes(program: &Program, names: &[String]) -> Vec<ExprId> {
    names
        .iter()
        .map(|n| program.expr(n).unwrap_or_else(|| panic!("no `{n}`")))
        .collect()
}

/// `∂L/∂W1` and `∂L/∂W2`, every entry, from one reverse sweep.
pub fn weight_gradients(program: &mut Program, n: usize, h: usize, m: usize) -> Vec<ExprId> {
    let mut all = names("W1", h, n);
    all.extend(names("W2", m, h));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    program
        .gradients("L", &all)
        .expect("the weights are declared")
}

/// The claim `grad(L, W2) = (a2 - y) * a1^T`, missing σ′(z2), from the gradients
/// `weight_gradients` returned.
pub fn missing_sigma_prime(
    program: &Program,
    gradients: &[ExprId],
    n: usize,
    h: usize,
    m: usize,
) -> Claim {
    let rhs = nodes(program, &names("E2", m, h));
    let shape = Shape { rows: m, cols: h };
    Claim::between_grids(
        1,
        "claim grad(L, W2) = (a2 - y) * a1^T",
        shape,
        gradients[h * n..].to_vec(),
        rhs,
    )
    .expect("sizes")
}

/// The claims `grad(L, W1) = delta1 * x^T` and `grad(L, W2) = delta2 * a1^T`, from the
/// gradients `weight_gradients` returned.
pub fn claims(program: &Program, gradients: &[ExprId], n: usize, h: usize, m: usize) -> [Claim; 2] {
    let (first, second) = gradients.split_at(h * n);
    let claim = |text: &str, rows, cols, lhs: &[ExprId], rhs: &str| {
        let rhs = nodes(program, &names(rhs, rows, cols));
        Claim::between_grids(1, text, Shape { rows, cols }, lhs.to_vec(), rhs).expect("sizes")
    };
    [
        claim("claim grad(L, W1) = delta1 * x^T", h, n, first, "G1"),
        claim("claim grad(L, W2) = delta2 * a1^T", m, h, second, "G2"),
    ]
}

//! Collecting a derivative as a polynomial, where that is shorter: the last step of
//! [`Program::derivative`](super::Program::derivative).
//!
//! The simplifier collects like terms and factors but does not multiply sums out, so
//! logistic regression's gradient stays `y * (p - 1) * x1 + (1 - y) * p * x1`; expanded
//! over its atoms it is `(p - y) * x1`. This takes the expression's normal form (a
//! quotient of polynomials in atoms, `normal_form.rs`), writes it back with each
//! polynomial's common monomial outside (`(p - y) * x1`, `p * (1 - p)`), and keeps it
//! if it prints shorter than the simplified form. The two are equal as rational
//! functions (the normal form is exact), so only a removable singularity can differ.

use std::collections::HashMap;

use super::dag::{Dag, ExprId, Node};
use super::func::Func;
use super::normal_form::NormalForms;
use super::number::{Number, Rational};
use super::polynomial::{Monomial, Poly, Ratio};

/// The shorter of `root` and its collected normal form, as printed: a node `named`
/// says has a name prints as that name.
pub(crate) fn collect(dag: &mut Dag, root: ExprId, named: &dyn Fn(ExprId) -> bool) -> ExprId {
    let (ratio, atoms) = {
        let mut forms = NormalForms::new(dag);
        let Some(ratio) = forms.of(root) else {
            return root;
        };
        let mut atoms = HashMap::new();
        for p in [&ratio.num, &ratio.den] {
            for m in p.terms.keys() {
                for &(a, _) in &m.0 {
                    atoms.entry(a).or_insert_with(|| forms.atom_node(a));
                }
            }
        }
        ((*ratio).clone(), atoms)
    };
    // A logarithm of part of an argument (`ln(exp(z1) + exp(z2))` out of
    // `ln(exp(z1)/S)`) is an atom with no node of its own: it gets one.
    let atoms: HashMap<u32, ExprId> = atoms
        .into_iter()
        .map(|(a, (node, ln_of))| {
            let node = if ln_of {
                dag.insert(Node::Call(Func::Ln, node))
            } else {
                node
            };
            (a, node)
        })
        .collect();
    let built = build_ratio(dag, &ratio, &atoms);
    if printed_size(dag, built, named) < printed_size(dag, root, named) {
        built
    } else {
        root
    }
}

fn build_ratio(dag: &mut Dag, r: &Ratio, atoms: &HashMap<u32, ExprId>) -> ExprId {
    let num = build_poly(dag, &r.num, atoms, false);
    if r.den.as_constant().is_some_and(|c| c.is_one()) {
        return num;
    }
    let den = build_poly(dag, &r.den, atoms, true);
    dag.div(num, den)
}

/// `Σ c·m` with the common monomial outside: after the sum in a numerator
/// (`(p - y) * x1`), before it in a denominator (`p * (1 - p)`).
fn build_poly(
    dag: &mut Dag,
    p: &Poly,
    atoms: &HashMap<u32, ExprId>,
    monomial_first: bool,
) -> ExprId {
    if p.is_zero() {
        return dag.integer(0);
    }
    let (content, rest) = p.monomial_content();
    if rest.len() == 1 {
        return build_sum(dag, p, atoms);
    }
    let sum = build_sum(dag, &rest, atoms);
    let factor = build_term(dag, Rational::ONE, &content, atoms);
    if monomial_first {
        dag.mul(factor, sum)
    } else {
        dag.mul(sum, factor)
    }
}

/// The terms, a positive one first (`p - y`, `1 - p`), then by degree and atom.
fn build_sum(dag: &mut Dag, p: &Poly, atoms: &HashMap<u32, ExprId>) -> ExprId {
    let mut terms: Vec<(&Monomial, &Rational)> = p.terms.iter().collect();
    terms.sort_by(|a, b| {
        a.1.is_negative()
            .cmp(&b.1.is_negative())
            .then_with(|| a.0.degree().cmp(&b.0.degree()))
            .then_with(|| a.0.cmp(b.0))
    });
    let mut out: Option<ExprId> = None;
    for (m, &c) in terms {
        out = Some(match out {
            None => build_term(dag, c, m, atoms),
            Some(acc) if c.is_negative() => {
                let magnitude = c.checked_neg().unwrap_or(c);
                let t = build_term(dag, magnitude, m, atoms);
                dag.sub(acc, t)
            }
            Some(acc) => {
                let t = build_term(dag, c, m, atoms);
                dag.add(acc, t)
            }
        });
    }
    out.unwrap_or_else(|| dag.integer(0))
}

/// `c · Π atomᵉ`, the sign on the first factor (`-p1 * p2`).
fn build_term(dag: &mut Dag, c: Rational, m: &Monomial, atoms: &HashMap<u32, ExprId>) -> ExprId {
    let mut out = dag.number(Number::Exact(c));
    for &(a, e) in &m.0 {
        let node = atoms[&a];
        let power = if e == 1 {
            node
        } else {
            let exponent = dag.integer(i128::from(e));
            dag.pow(node, exponent)
        };
        out = dag.mul(out, power);
    }
    out
}

/// The size of the expression as printed: nodes counted once per occurrence
/// (saturating), so a shared subexpression counts as often as it is written, and a
/// named one once (its name is what is written). Counted by expansion, the
/// cross-entropy's `p1 - 1` lost to `-exp(z2) / S`.
fn printed_size(dag: &Dag, root: ExprId, named: &dyn Fn(ExprId) -> bool) -> u64 {
    let cone = dag.cone(&[root]);
    let mut size: Vec<u64> = Vec::with_capacity(cone.len());
    for (k, &id) in cone.ids().iter().enumerate() {
        let own: u64 = match dag.node(id) {
            _ if id != root && named(id) => 1,
            Node::Call(..) => 1,
            _ => {
                1 + cone
                    .operands(k)
                    .map(|p| size[p])
                    .fold(0u64, u64::saturating_add)
            }
        };
        size.push(own);
    }
    cone.position(root).map_or(0, |k| size[k])
}

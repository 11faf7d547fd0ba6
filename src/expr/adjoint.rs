//! Symbolic reverse mode: the derivatives of one quantity with respect to many
//! variables, from one sweep.
//!
//! [`derive`](super::derive) accumulates forward, one variable at a time: each
//! derivative costs a pass over the DAG, so the gradient of a loss with respect to the
//! 34,048 weights of a 256-128-10 network would be 34,048 passes over a DAG of 10⁵
//! nodes. Here the adjoint `∂f/∂v` of every node `v` that lies between `f` and a
//! variable is built once, in decreasing index order (users before operands), as the
//! sum over `v`'s users `u` of `∂f/∂u · ∂u/∂v`; every derivative asked for is then an
//! adjoint already built. The local partial derivative `∂u/∂v` is the forward rule of
//! `derive.rs` evaluated with `v′ = 1` and the other operand's derivative zero, so the
//! two modes share one table of rules.
//!
//! The meaning is that of [`derive::derivative`](super::derive::derivative): for a
//! variable that is an interior node (`z2`, `a1`), its derivative with the node held as
//! a variable, every path from it to `f` summed: exactly the adjoint a reverse sweep
//! computes. The results are as the chain rule builds them (only the constructors'
//! local simplifications applied), not simplified: simplifying each of thousands of
//! derivatives would be a pass over its expression each.

use super::dag::{Dag, ExprId, Node};
use super::derive;
use super::error::{Diagnostic, Error, ErrorKind};
use super::program::Program;

/// `∂f/∂wrt[k]` for every `k`, built together in one reverse sweep over the nodes `f`
/// depends on: O(size of the DAG between the variables and `f`) nodes in all, however
/// many variables. A variable `f` does not depend on gets `0`.
pub(crate) fn gradients(dag: &mut Dag, f: ExprId, wrt: &[ExprId]) -> Vec<ExprId> {
    sweep(dag, f, wrt, partial)
}

/// `∂u/∂operand` for the node `u` (at `id`), holding its other operand fixed: the
/// forward rule with the operand's derivative 1 and the other's 0. For a node whose two
/// operands are one node (`x·x`), it is the whole derivative (`x + x`), as it should
/// be: that node is one operand with two uses.
fn partial(dag: &mut Dag, id: ExprId, node: Node, operand: ExprId) -> ExprId {
    let one = dag.integer(1);
    derive::rule(dag, id, node, |c| (c == operand).then_some(one))
}

/// The reverse sweep, with the local partial derivatives from `partial` (a parameter
/// so that the tests can show a wrong rule is caught).
fn sweep(
    dag: &mut Dag,
    f: ExprId,
    wrt: &[ExprId],
    partial: impl Fn(&mut Dag, ExprId, Node, ExprId) -> ExprId,
) -> Vec<ExprId> {
    let zero = dag.integer(0);
    // Operands precede their users: `f` depends on no node after it, and nothing
    // below the lowest variable varies. Both arrays cover only [low, f].
    let Some(low) = wrt.iter().copied().filter(|&w| w <= f).min() else {
        return vec![zero; wrt.len()];
    };
    let (low, n) = (low.index(), f.index() + 1);
    let at = |id: ExprId| id.index().checked_sub(low);
    // Whether each node is a variable or depends on one: adjoints flow only there.
    let mut varies = vec![false; n - low];
    for &w in wrt.iter().filter(|&&w| w <= f) {
        varies[w.index() - low] = true;
    }
    for i in low..n {
        if !varies[i - low] {
            let node = dag.nodes()[i];
            varies[i - low] = node.children().any(|c| at(c).is_some_and(|k| varies[k]));
        }
    }
    // `None` is an adjoint of exactly zero (or a node `f` does not reach).
    let mut adjoint: Vec<Option<ExprId>> = vec![None; n - low];
    if varies[n - 1 - low] {
        adjoint[n - 1 - low] = Some(dag.integer(1));
    }
    for i in (low..n).rev() {
        let Some(bar) = adjoint[i - low] else {
            continue;
        };
        let id = ExprId(i as u32);
        let node = dag.node(id);
        let mut operands = node.children();
        let first = operands.next();
        let second = operands.next().filter(|&b| Some(b) != first);
        for c in first.into_iter().chain(second) {
            let Some(k) = at(c).filter(|&k| varies[k]) else {
                continue;
            };
            let local = partial(dag, id, node, c);
            let contribution = dag.mul(bar, local);
            if dag.constant(contribution).is_some_and(|v| v.is_zero()) {
                continue;
            }
            adjoint[k] = Some(match adjoint[k] {
                None => contribution,
                Some(sum) => dag.add(sum, contribution),
            });
        }
    }
    wrt.iter()
        .map(|&w| {
            at(w)
                .and_then(|k| adjoint.get(k).copied().flatten())
                .unwrap_or(zero)
        })
        .collect()
}

impl Program {
    /// `∂of/∂wrt[k]` for every name in `wrt`, built together by one symbolic reverse
    /// sweep: the whole gradient of a loss with respect to every weight of a network
    /// costs about as much as one derivative does with [`Program::derivative`].
    ///
    /// The derivatives mean what [`Program::derivative`] means (for a defined `wrt`,
    /// the backpropagated adjoint), and are left as the chain rule builds them, like
    /// [`Program::chain_rule`]: simplify one with [`Program::simplify`] to read it.
    /// Adds their nodes to the DAG (hence `&mut`).
    pub fn gradients(&mut self, of: &str, wrt: &[&str]) -> Result<Vec<ExprId>, Error> {
        let f = self.lookup(of, "the quantity")?;
        let mut variables = Vec::with_capacity(wrt.len());
        for &name in wrt {
            let x = self.lookup(name, "the variable")?;
            if matches!(self.dag.node(x), Node::Number(_)) {
                let d = Diagnostic::unlocated(
                    ErrorKind::InvalidDerivative,
                    format!("`{name}` is a constant; differentiate with respect to an input, a parameter or a quantity computed from them"),
                );
                return Err(Error::new(vec![d], self.file.clone()));
            }
            variables.push(x);
        }
        Ok(gradients(&mut self.dag, f, &variables))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::func::Func;
    use crate::expr::parse;

    /// Whether `gradients` with the rules `partial` agrees with the forward
    /// derivative for every leaf of `source`'s `f`, at the file's values.
    fn agrees_with_forward(
        source: &str,
        partial: impl Fn(&mut Dag, ExprId, Node, ExprId) -> ExprId,
    ) -> bool {
        let mut program = parse(source).expect("parses");
        let f = program.expr("f").expect("f");
        let leaves: Vec<ExprId> = program.leaves().iter().map(|l| l.expr).collect();
        let reverse = sweep(&mut program.dag, f, &leaves, partial);
        leaves.iter().zip(reverse).all(|(&x, r)| {
            let forward = derive::raw_derivative(&mut program.dag, f, x);
            let (a, b) = (program.value(forward), program.value(r));
            (a - b).abs() <= 1e-12 * (1.0 + a.abs())
        })
    }

    const NETWORK: &str = "\
param w = 0.3
param v = -1.2
input x = 0.7
z = w * x + v * w
a = sigma(z)
f = a * a / (1 + x ^ w) + tanh(v * a) - ln(2 + w * w)
";

    #[test]
    fn the_reverse_sweep_equals_forward_accumulation() {
        assert!(agrees_with_forward(NETWORK, partial));
    }

    #[test]
    fn a_wrong_rule_in_the_reverse_sweep_is_caught() {
        // σ′ taken as σ instead of σ(1 − σ): the comparison must reject it.
        let wrong = |dag: &mut Dag, id: ExprId, node: Node, operand: ExprId| match node {
            Node::Call(Func::Sigma, _) => id,
            _ => partial(dag, id, node, operand),
        };
        assert!(!agrees_with_forward(NETWORK, wrong));
    }

    #[test]
    fn an_interior_variable_gets_its_adjoint() {
        let mut program = parse(NETWORK).expect("parses");
        let (f, a, w) = (
            program.expr("f").unwrap(),
            program.expr("a").unwrap(),
            program.expr("w").unwrap(),
        );
        let both = gradients(&mut program.dag, f, &[a, w]);
        for (x, g) in [a, w].into_iter().zip(both) {
            let forward = derive::raw_derivative(&mut program.dag, f, x);
            let (p, q) = (program.value(forward), program.value(g));
            assert!((p - q).abs() <= 1e-12 * (1.0 + p.abs()), "{p} vs {q}");
        }
    }

    #[test]
    fn a_variable_the_quantity_does_not_use_has_derivative_zero() {
        let mut program = parse("param w = 1\nparam u = 2\nf = w * w\n").unwrap();
        let g = program.gradients("f", &["u", "w"]).unwrap();
        assert_eq!(program.dag.constant(g[0]).map(|c| c.is_zero()), Some(true));
        assert_eq!(program.value(g[1]), 2.0);
    }
}

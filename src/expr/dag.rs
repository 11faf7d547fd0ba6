//! The expression DAG: every distinct subexpression stored once, in a `Vec`.
//!
//! A node refers to its operands by index, and an operand is always created before the
//! node that uses it, so index order is a topological order: every pass over
//! expressions (evaluation, differentiation, normal forms, printing) is a loop over
//! indices, never a recursion, however deep the expression. Nodes are hash-consed:
//! building a node equal to an existing one returns the existing index, so `a4` used
//! by nine weights' formulas is one node, and equal subexpressions compare equal by
//! index.

use std::collections::HashMap;

use super::func::Func;
use super::number::{Number, Rational};

/// A node of a program's expression DAG (an index; see [`Program::node`](super::Program::node)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub(crate) u32);

impl ExprId {
    /// The node's index in the DAG (operands have smaller indices than their users).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One operation of the DAG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A constant.
    Number(Number),
    /// The `i`-th declared input or parameter (see [`Program::leaves`](super::Program::leaves)).
    Leaf(u32),
    /// `−a`.
    Neg(ExprId),
    /// `a + b`.
    Add(ExprId, ExprId),
    /// `a − b`.
    Sub(ExprId, ExprId),
    /// `a · b`.
    Mul(ExprId, ExprId),
    /// `a / b`.
    Div(ExprId, ExprId),
    /// `a ^ b`.
    Pow(ExprId, ExprId),
    /// `f(a)`.
    Call(Func, ExprId),
}

impl Node {
    /// The operands, in order (none, one or two).
    pub fn children(&self) -> impl Iterator<Item = ExprId> {
        let (a, b) = match *self {
            Node::Number(_) | Node::Leaf(_) => (None, None),
            Node::Neg(a) | Node::Call(_, a) => (Some(a), None),
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Pow(a, b) => (Some(a), Some(b)),
        };
        a.into_iter().chain(b)
    }

    /// The constant, if this is one.
    pub fn number(&self) -> Option<Number> {
        match self {
            Node::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// The hash-consed store of nodes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dag {
    nodes: Vec<Node>,
    index: HashMap<Node, ExprId>,
}

/// The most nodes a program's DAG may hold (a guard against templates and sums that
/// expand beyond anything a person could read; checked by the resolver).
pub const MAX_NODES: usize = 2_000_000;

impl Dag {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn node(&self, id: ExprId) -> Node {
        self.nodes[id.index()]
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The index of `node`, adding it if it is new. Nodes are never removed, so an index
    /// stays valid for the life of the DAG.
    pub fn insert(&mut self, node: Node) -> ExprId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        debug_assert!(node.children().all(|c| c.index() < self.nodes.len()));
        // MAX_NODES is far below u32::MAX; the resolver stops growth long before.
        let id = ExprId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(node);
        self.index.insert(node, id);
        id
    }

    pub fn number(&mut self, n: Number) -> ExprId {
        self.insert(Node::Number(n))
    }

    pub fn exact(&mut self, r: Rational) -> ExprId {
        self.number(Number::Exact(r))
    }

    pub fn integer(&mut self, n: i128) -> ExprId {
        self.number(Number::integer(n))
    }

    /// The constant at `id`, if it is one.
    pub fn constant(&self, id: ExprId) -> Option<Number> {
        self.node(id).number()
    }

    /// Inserts `node`, first folding it to a constant if its operands are exact
    /// constants and the result is exact (`1/2` becomes the number `1/2`). Nothing else
    /// is rewritten: the DAG of a user's formula is the formula as written.
    pub fn fold(&mut self, node: Node) -> ExprId {
        match fold_exact(self, node) {
            Some(r) => self.exact(r),
            None => self.insert(node),
        }
    }

    /// Which nodes the `roots` depend on: `mask[i]` for every `i` up to the largest root.
    /// One backward sweep, no recursion.
    pub fn reachable(&self, roots: &[ExprId]) -> Vec<bool> {
        let upto = roots.iter().map(|r| r.index() + 1).max().unwrap_or(0);
        let mut mask = vec![false; upto];
        for r in roots {
            mask[r.index()] = true;
        }
        for i in (0..upto).rev() {
            if mask[i] {
                for c in self.nodes[i].children() {
                    mask[c.index()] = true;
                }
            }
        }
        mask
    }
}

fn exact_of(dag: &Dag, id: ExprId) -> Option<Rational> {
    dag.constant(id).and_then(Number::exact)
}

fn fold_exact(dag: &Dag, node: Node) -> Option<Rational> {
    match node {
        Node::Neg(a) => exact_of(dag, a)?.checked_neg(),
        Node::Add(a, b) => exact_of(dag, a)?.checked_add(exact_of(dag, b)?),
        Node::Sub(a, b) => exact_of(dag, a)?.checked_sub(exact_of(dag, b)?),
        Node::Mul(a, b) => exact_of(dag, a)?.checked_mul(exact_of(dag, b)?),
        Node::Div(a, b) => exact_of(dag, a)?.checked_div(exact_of(dag, b)?),
        Node::Pow(a, b) => {
            let base = exact_of(dag, a)?;
            let n = exact_of(dag, b)?.to_i64().filter(|n| n.abs() <= 256)?;
            base.powi(n)
        }
        Node::Number(_) | Node::Leaf(_) | Node::Call(..) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_subexpressions_are_one_node() {
        let mut dag = Dag::default();
        let x = dag.insert(Node::Leaf(0));
        let a = dag.insert(Node::Call(Func::Sigma, x));
        let b = dag.insert(Node::Call(Func::Sigma, x));
        assert_eq!(a, b);
        assert_eq!(dag.len(), 2);
    }

    #[test]
    fn exact_constants_fold() {
        let mut dag = Dag::default();
        let one = dag.integer(1);
        let two = dag.integer(2);
        let half = dag.fold(Node::Div(one, two));
        assert_eq!(
            dag.constant(half),
            Some(Number::Exact(Rational::new(1, 2).unwrap()))
        );
        let zero = dag.integer(0);
        let undefined = dag.fold(Node::Div(one, zero));
        assert_eq!(dag.node(undefined), Node::Div(one, zero));
    }
}

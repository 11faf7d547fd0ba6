//! The expression DAG: every distinct subexpression stored once, in a `Vec`.
//!
//! A node refers to its operands by index, and an operand is always created before the
//! node that uses it, so index order is a topological order: every pass over
//! expressions (evaluation, differentiation, normal forms, printing) is a loop over
//! indices, never a recursion, however deep the expression. Nodes are hash-consed:
//! building a node equal to an existing one returns the existing index, so `a4` used
//! by nine weights' formulas is one node, and equal subexpressions compare equal by
//! index.
//!
//! A pass over one claim or one derivative visits only that expression's [`Cone`]: the
//! nodes it depends on, found by walking down from its roots, in index order. Its cost
//! is the size of the expression, not of the DAG, so a document of `n` small claims is
//! checked in time linear in `n` (a dense array over the DAG per claim made it
//! quadratic).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    /// The constant π (`pi`, `π`): exact, an atom of proofs, rounded only when evaluated.
    Pi,
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
            Node::Number(_) | Node::Leaf(_) | Node::Pi => (None, None),
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
    index: HashMap<Node, ExprId, BuildHasherDefault<IdHasher>>,
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

    /// The index of `node`, if it is in the DAG (nothing is added).
    pub fn find(&self, node: Node) -> Option<ExprId> {
        self.index.get(&node).copied()
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

    /// The nodes the `roots` depend on (the roots included), in index order: see
    /// [`Cone`]. Time and memory are linear in the cone's size, whatever the DAG's.
    pub fn cone(&self, roots: &[ExprId]) -> Cone {
        self.cone_within(roots, |_| true)
    }

    /// The nodes the `roots` depend on through nodes that `enter` admits: a node it
    /// refuses is not a member and is not looked through (its operands are members only
    /// if reached another way). For passes that already know part of the answer: the
    /// nodes below the variable of a derivative, the nodes whose normal form is known.
    ///
    /// An explicit-stack walk down from the roots, then a sort into index order, which
    /// is a topological order (operands before users).
    pub fn cone_within(&self, roots: &[ExprId], mut enter: impl FnMut(ExprId) -> bool) -> Cone {
        let mut positions: IdMap<u32> = IdMap::default();
        let mut ids = Vec::new();
        let mut stack: Vec<ExprId> = roots.to_vec();
        while let Some(id) = stack.pop() {
            if positions.contains_key(&id) || !enter(id) {
                continue;
            }
            positions.insert(id, 0);
            ids.push(id);
            stack.extend(self.nodes[id.index()].children());
        }
        ids.sort_unstable();
        for (k, id) in ids.iter().enumerate() {
            // A cone holds at most MAX_NODES nodes, far below u32::MAX.
            positions.insert(*id, k as u32);
        }
        let operands = ids
            .iter()
            .map(|&id| {
                let mut slots = [ABSENT; 2];
                for (slot, c) in slots.iter_mut().zip(self.nodes[id.index()].children()) {
                    *slot = positions.get(&c).copied().unwrap_or(ABSENT);
                }
                slots
            })
            .collect();
        Cone {
            ids,
            operands,
            positions,
        }
    }

    /// Which nodes the `roots` depend on: `mask[i]` for every `i` up to the largest root.
    /// One backward sweep, no recursion; its cost is the DAG's size up to the largest
    /// root, so it is for passes over a whole program (the identity test of every
    /// claim at once), never for one claim among many (use [`Dag::cone`]).
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

/// No operand in a [`Cone`]'s table (a node with fewer than two, or one outside the cone).
const ABSENT: u32 = u32::MAX;

/// The nodes some roots depend on, in index order (operands before users), with each
/// member's position in that order and its operands' positions.
///
/// A pass over one expression keeps its per-node scratch in a `Vec` indexed by
/// position: a member's operands are found from the table ([`Cone::operand`]) without
/// hashing, any other node by one hash lookup ([`Cone::position`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Cone {
    ids: Vec<ExprId>,
    operands: Vec<[u32; 2]>,
    positions: IdMap<u32>,
}

impl Cone {
    /// The members, in index order.
    pub fn ids(&self) -> &[ExprId] {
        &self.ids
    }

    /// How many nodes the cone holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether `id` is a member.
    pub fn contains(&self, id: ExprId) -> bool {
        self.positions.contains_key(&id)
    }

    /// The position of `id` among the members, if it is one.
    pub fn position(&self, id: ExprId) -> Option<usize> {
        self.positions.get(&id).map(|&k| k as usize)
    }

    /// The position of `c`, an operand of the member at position `k`, if `c` is a
    /// member (it always is in a cone built by [`Dag::cone`]).
    pub fn operand(&self, k: usize, c: ExprId) -> Option<usize> {
        self.operands[k]
            .into_iter()
            .find(|&p| p != ABSENT && self.ids[p as usize] == c)
            .map(|p| p as usize)
    }

    /// The positions of the member at position `k`'s operands that are members, once
    /// per operand (`x·x` gives `x`'s twice).
    pub fn operands(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        self.operands[k]
            .into_iter()
            .filter(|&p| p != ABSENT)
            .map(|p| p as usize)
    }
}

/// A map keyed by node, with [`IdHasher`].
pub(crate) type IdMap<V> = HashMap<ExprId, V, BuildHasherDefault<IdHasher>>;

/// A fast hasher for the DAG's own keys (node indices, nodes): a multiply-rotate hash
/// in the manner of rustc's FxHash. Not resistant to chosen collisions, which a DAG
/// built from a person's formulas has no reason to fear; several times faster than
/// the default SipHash on these small keys, which per-claim passes hash constantly.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits and its tag from the high ones:
        // a final rotation brings the product's best-mixed high bits down.
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
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
        Node::Number(_) | Node::Leaf(_) | Node::Pi | Node::Call(..) => None,
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

    /// A chain `x, x+1, (x+1)+1, …` of `n` nodes, with an unrelated node between each
    /// link and the next.
    fn chain_with_noise(n: usize) -> (Dag, Vec<ExprId>) {
        let mut dag = Dag::default();
        let mut links = vec![dag.insert(Node::Leaf(0))];
        for k in 0..n {
            let noise = dag.insert(Node::Leaf(1 + k as u32));
            let one = dag.integer(1);
            let last = *links.last().unwrap();
            dag.insert(Node::Mul(noise, noise));
            links.push(dag.insert(Node::Add(last, one)));
        }
        (dag, links)
    }

    #[test]
    fn a_cone_holds_exactly_what_its_roots_depend_on_in_index_order() {
        let (dag, links) = chain_with_noise(50);
        let root = links[20];
        let cone = dag.cone(&[root]);
        let mask = dag.reachable(&[root]);
        let expected: Vec<ExprId> = (0..mask.len())
            .filter(|&i| mask[i])
            .map(|i| ExprId(i as u32))
            .collect();
        assert_eq!(cone.ids(), expected.as_slice());
        assert!(cone.ids().windows(2).all(|w| w[0] < w[1]));
        // The links, the constant 1, and nothing of the noise.
        assert_eq!(cone.len(), 21 + 1);
        assert!(!cone.contains(links[21]));
        for (k, &id) in cone.ids().iter().enumerate() {
            assert_eq!(cone.position(id), Some(k));
            let operands: Vec<usize> = dag
                .node(id)
                .children()
                .map(|c| cone.operand(k, c).unwrap())
                .collect();
            assert_eq!(cone.operands(k).collect::<Vec<_>>(), operands);
        }
    }

    #[test]
    fn a_square_lists_its_operand_twice() {
        let mut dag = Dag::default();
        let x = dag.insert(Node::Leaf(0));
        let square = dag.insert(Node::Mul(x, x));
        let cone = dag.cone(&[square]);
        assert_eq!(cone.operands(1).collect::<Vec<_>>(), vec![0, 0]);
    }

    #[test]
    fn a_cone_within_stops_at_refused_nodes() {
        let (dag, links) = chain_with_noise(10);
        let floor = links[5];
        let cone = dag.cone_within(&[links[10]], |id| id >= floor);
        assert_eq!(cone.ids(), &links[5..=10]);
        // The refused operands (the constant 1, the link below the floor) are absent.
        let k = cone.position(links[5]).unwrap();
        assert_eq!(cone.operands(k).count(), 0);
    }

    #[test]
    fn a_small_cone_in_a_large_dag_costs_its_own_size() {
        // 19,999 cones of two nodes each (a link and the one below it) in a DAG of
        // 60,000 nodes: a dense array up to each root would touch 6e8 entries in all,
        // the walks touch 5 nodes per cone. Counted, not timed.
        let (dag, links) = chain_with_noise(20_000);
        let mut visited = 0;
        // (The first link is below the constant 1, which its cone then holds.)
        for pair in links.windows(2).skip(1) {
            let mut seen = 0;
            let cone = dag.cone_within(&[pair[1]], |id| {
                seen += 1;
                id >= pair[0]
            });
            visited += seen;
            assert_eq!(cone.len(), 2);
        }
        // Each cone: its two members, and the three operands below the floor it refuses.
        assert!(visited <= 20_000 * 5, "{visited} nodes visited");
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

//! Normal forms: an expression as a quotient of polynomials over atoms.
//!
//! The atoms are the inputs and parameters, and the applications of functions that are
//! not polynomial: `σ(δ7)`, `exp(u)`, `√u`, `u^v` for a non-integer or varying `v`.
//! An atom's argument is itself in normal form, and two atoms are the same when their
//! functions and (normalized) arguments are equal. Derivatives are already expanded
//! into the DAG by the time a normal form is taken, with σ' = σ(1 − σ), exp' = exp and
//! so on, so a derivative claim becomes an identity between polynomials in these
//! atoms — which the document's right claims are.
//!
//! Treating atoms as independent symbols is sound: an identity that holds for every
//! value of every atom holds in particular for the values they take. It is not
//! complete (`σ(−x) = 1 − σ(x)` is true but not found), which is why a differing normal
//! form never fails a claim by itself.
//!
//! Three rules hold only on part of the line, and are used only where the form of the
//! expression proves that part (`sign.rs`), so that the rewritten form equals the
//! expression wherever the expression is defined: `√s^(2m) = s^m` where `s ≥ 0`
//! (without it, `√s` is undefined where `s < 0` and `s` is not); `ln(x·y) = ln x +
//! ln y`, `ln(x/y) = ln x − ln y` and `ln(xⁿ) = n·ln x` where `x, y > 0` (without it,
//! `ln(a/b)` is defined at `a, b < 0` and `ln a` is not); and `ln(exp(u)) = u`, true
//! everywhere.

use std::collections::HashMap;
use std::rc::Rc;

use super::dag::{Dag, ExprId, IdMap, Node};
use super::func::Func;
use super::number::{Number, Rational};
use super::polynomial::{Monomial, Poly, Ratio};
use super::sign::{sign, Sign};

/// The most function and power atoms a set of normal forms may have: beyond it, new
/// ones are refused and the expressions needing them have no normal form (each new
/// atom is looked up among the existing ones, so this bounds memory and search for
/// deep towers like `x^x^…^x`).
const MAX_ATOMS: usize = 20_000;

/// The most terms the normal forms may hold at once (about 100 bytes each): a bound on
/// memory, whatever the program's length. A claim that starts when the store
/// has no room for it starts from an empty one (see [`NormalForms::begin_claim`]).
const MAX_STORED_TERMS: usize = 200_000;

/// Each claim's own budget: the terms its new normal forms may add, and the
/// term-by-term work (products of a multiplication, or of the cross-multiplication of
/// a sum of quotients) they may take. Beyond them the claim's sides have no normal form
/// and it is left to the identity test (`identity/`), which is linear in the DAG: deep
/// networks' claims expand to polynomials too large to be worth holding (a 16-layer
/// sigmoid network's took 7 s and 950 MB before there were budgets). The budget is the
/// claim's, not the program's, so that a claim's proof does not depend on how many
/// claims stand before it (with one budget for a whole program, the last claims of a
/// 40,000-line document fell to the identity test).
const CLAIM_TERMS: usize = MAX_STORED_TERMS / 2;
pub(crate) const CLAIM_WORK: usize = 1_000_000;
/// How deeply nested a product inside a logarithm is split into logarithms.
const MAX_LOG_DEPTH: usize = 64;

/// What an atom stands for.
#[derive(Clone, Debug)]
enum AtomKind {
    /// An input, a parameter, or a non-exact constant kept symbolic: equal only to
    /// itself.
    Symbol,
    Call(Func, Rc<Ratio>),
    Pow(Rc<Ratio>, Rc<Ratio>),
}

#[derive(Clone, Debug)]
struct Atom {
    kind: AtomKind,
    /// A node the atom was first met as, for printing it: the atom itself, or, for a
    /// logarithm of part of a node's argument (see [`NormalForms::logarithm`]), the
    /// part, whose `ln` the atom is.
    node: ExprId,
    /// Whether the atom is `ln(node)` rather than `node`.
    ln_of: bool,
}

#[derive(Clone)]
enum State {
    Failed,
    Done(Rc<Ratio>),
}

/// The normal forms of a DAG's nodes, computed on demand and remembered.
pub(crate) struct NormalForms<'d> {
    dag: &'d Dag,
    atoms: Vec<Atom>,
    leaf_atoms: HashMap<u32, u32>,
    float_atoms: HashMap<u64, u32>,
    /// The atom of π, once it is met.
    pi_atom: Option<u32>,
    /// Atoms by (function, argument node): the fast path before comparing normal forms.
    by_node: HashMap<(Option<Func>, ExprId, ExprId), u32>,
    /// Atoms by fingerprint (see [`fingerprint`]): equal atoms have equal
    /// fingerprints, so only atoms in the same bucket are compared exactly.
    by_fingerprint: HashMap<Fingerprint, Vec<u32>>,
    /// Atoms without a fingerprint (a denominator vanished modulo the prime), compared
    /// with every new atom.
    unprinted: Vec<u32>,
    /// The normal form of every node computed so far (or that it has none); a node
    /// not here is not computed yet. Sparse, so that a set of normal forms costs what
    /// is asked of it, not the size of the DAG.
    states: IdMap<State>,
    /// Whether σ, tanh and exp are written through exp of atoms (see
    /// [`NormalForms::exponential`]).
    exponential: bool,
    /// Terms the store may still take (see [`MAX_STORED_TERMS`]), and the terms and
    /// work the current claim may still add (see [`CLAIM_WORK`]).
    stored_left: usize,
    terms_left: usize,
    work_left: usize,
    /// The current claim's budget ran out: it computes nothing more.
    exhausted: bool,
}

impl<'d> NormalForms<'d> {
    pub fn new(dag: &'d Dag) -> NormalForms<'d> {
        NormalForms {
            dag,
            atoms: Vec::new(),
            leaf_atoms: HashMap::new(),
            float_atoms: HashMap::new(),
            pi_atom: None,
            by_node: HashMap::new(),
            by_fingerprint: HashMap::new(),
            unprinted: Vec::new(),
            states: IdMap::default(),
            exponential: false,
            stored_left: MAX_STORED_TERMS,
            terms_left: CLAIM_TERMS,
            work_left: CLAIM_WORK,
            exhausted: false,
        }
    }

    /// Normal forms in which σ(u) = e/(e + 1), tanh(u) = (e² − 1)/(e² + 1) with
    /// e = exp(u), and exp(a + b) = exp(a)·exp(b): they relate σ, tanh and exp (so
    /// `σ(x) = 1/(1 + exp(−x))` is proved) at the price of denominators everywhere, so
    /// they are tried only when the plain normal forms differ.
    pub fn exponential(dag: &'d Dag) -> NormalForms<'d> {
        let mut forms = NormalForms::new(dag);
        forms.exponential = true;
        forms
    }

    /// Starts a claim: a fresh budget of its own, `work` (at most [`CLAIM_WORK`]), and
    /// as many terms, up to [`CLAIM_TERMS`]. Normal forms already known are kept
    /// (they cost the claim nothing), unless the store has no room for the claim's
    /// terms or the atoms are more than half their limit, when the known forms are
    /// dropped. What is known
    /// to have no normal form in any claim (see [`NormalForms::of`]) is kept always.
    pub fn begin_claim(&mut self, work: usize) {
        self.work_left = work.min(CLAIM_WORK);
        self.terms_left = CLAIM_TERMS.min(self.work_left);
        self.exhausted = false;
        if self.stored_left < self.terms_left || self.atoms.len() > MAX_ATOMS / 2 {
            self.states
                .retain(|_, state| matches!(state, State::Failed));
            self.atoms.clear();
            self.leaf_atoms.clear();
            self.float_atoms.clear();
            self.pi_atom = None;
            self.by_node.clear();
            self.by_fingerprint.clear();
            self.unprinted.clear();
            self.stored_left = MAX_STORED_TERMS;
        }
    }

    /// The normal form of `root`, or `None` if some part is too large for exact
    /// arithmetic (or divides by the zero polynomial), or the claim's budget is spent.
    ///
    /// A node that has no normal form in any claim (its own step takes more work or
    /// terms than a whole claim's budget, or an operand has none) is remembered as
    /// such; a node reached when the claim's budget is spent is left unknown, for a
    /// later claim to try with its own budget.
    pub fn of(&mut self, root: ExprId) -> Option<Rc<Ratio>> {
        if self.exhausted {
            return self.done(root);
        }
        // The nodes the root depends on whose forms are not known yet, and only those:
        // a known node is not looked through, so each node is visited once over all the
        // claims of a program.
        let states = &self.states;
        let cone = self
            .dag
            .cone_within(&[root], |id| !states.contains_key(&id));
        for &id in cone.ids() {
            let work = self.work(id);
            if work > CLAIM_WORK {
                self.states.insert(id, State::Failed);
                continue;
            }
            if work > self.work_left {
                self.exhausted = true;
                return None;
            }
            self.work_left -= work;
            let state = match self.compute(id) {
                Some(r) => {
                    let size = r.num.len() + r.den.len();
                    if size > CLAIM_TERMS {
                        State::Failed
                    } else if size > self.terms_left {
                        self.exhausted = true;
                        return None;
                    } else {
                        self.terms_left -= size;
                        self.stored_left -= size;
                        State::Done(Rc::new(r))
                    }
                }
                None if self.exhausted => return None,
                None => State::Failed,
            };
            self.states.insert(id, state);
        }
        self.done(root)
    }

    /// The node an atom was first met as, and whether the atom is the logarithm of
    /// that node rather than the node (see [`NormalForms::logarithm`]).
    pub fn atom_node(&self, atom: u32) -> (ExprId, bool) {
        let a = &self.atoms[atom as usize];
        (a.node, a.ln_of)
    }

    fn done(&self, id: ExprId) -> Option<Rc<Ratio>> {
        match self.states.get(&id) {
            Some(State::Done(r)) => Some(Rc::clone(r)),
            _ => None,
        }
    }

    /// The work of computing `id` from its operands' normal forms: the term-by-term
    /// products of a multiplication, or of the cross-multiplication of a sum of
    /// quotients. It depends only on the operands' forms, which are canonical, so a
    /// node whose work exceeds a claim's budget has no normal form in any claim.
    fn work(&self, id: ExprId) -> usize {
        let size = |c: ExprId| self.done(c).map_or(1, |r| r.num.len() + r.den.len());
        match self.dag.node(id) {
            Node::Add(a, b) | Node::Sub(a, b) | Node::Mul(a, b) | Node::Div(a, b) => {
                size(a).saturating_mul(size(b))
            }
            Node::Pow(a, _) => size(a).saturating_mul(size(a)).saturating_mul(8),
            _ => 1,
        }
    }

    fn compute(&mut self, id: ExprId) -> Option<Ratio> {
        let node = self.dag.node(id);
        Some(match node {
            Node::Number(Number::Exact(r)) => Ratio::constant(r),
            Node::Number(Number::Float(bits)) => {
                let next = self.atoms.len() as u32;
                let a = *self.float_atoms.entry(bits).or_insert(next);
                if a == next {
                    self.atoms.push(Atom {
                        kind: AtomKind::Symbol,
                        node: id,
                        ln_of: false,
                    });
                }
                Ratio::poly(Poly::atom(a))
            }
            Node::Pi => {
                let next = self.atoms.len() as u32;
                let a = *self.pi_atom.get_or_insert(next);
                if a == next {
                    self.atoms.push(Atom {
                        kind: AtomKind::Symbol,
                        node: id,
                        ln_of: false,
                    });
                }
                Ratio::poly(Poly::atom(a))
            }
            Node::Leaf(l) => {
                let next = self.atoms.len() as u32;
                let a = *self.leaf_atoms.entry(l).or_insert(next);
                if a == next {
                    self.atoms.push(Atom {
                        kind: AtomKind::Symbol,
                        node: id,
                        ln_of: false,
                    });
                }
                Ratio::poly(Poly::atom(a))
            }
            Node::Neg(a) => self.done(a)?.neg()?,
            Node::Add(a, b) => self.done(a)?.add(&*self.done(b)?)?,
            Node::Sub(a, b) => self.done(a)?.sub(&*self.done(b)?)?,
            Node::Mul(a, b) => self.done(a)?.mul(&*self.done(b)?)?,
            Node::Div(a, b) => self.done(a)?.div(&*self.done(b)?)?,
            Node::Pow(a, b) => {
                let exponent = self.done(b)?;
                match exponent.as_constant().and_then(|c| c.to_i64()) {
                    Some(n) if n.abs() <= 64 => match self.square_root_of(a) {
                        // √s^(2m) = s^m, where s ≥ 0 is proved (see `sign.rs`).
                        Some(s) if n % 2 == 0 => self.done(s)?.powi(n / 2)?,
                        _ => self.done(a)?.powi(n)?,
                    },
                    _ => {
                        let kind = AtomKind::Pow(self.done(a)?, exponent);
                        Ratio::poly(Poly::atom(self.intern((None, a, b), kind, id)?))
                    }
                }
            }
            Node::Call(f, a) => {
                let argument = self.done(a)?;
                if let Some(c) = argument.as_constant() {
                    if let Some(value) = exact_value(f, c) {
                        return Some(Ratio::constant(value));
                    }
                }
                if self.exponential {
                    if let Some(r) = self.exponential_form(f, &argument, id) {
                        return Some(r);
                    }
                }
                if f == Func::Ln {
                    return self.logarithm(a, id, 0);
                }
                let kind = if f == Func::Sqrt {
                    // √u is u^(1/2): one atom for both spellings.
                    let half = Rc::new(Ratio::constant(Rational::new(1, 2)?));
                    AtomKind::Pow(argument, half)
                } else {
                    AtomKind::Call(f, argument)
                };
                Ratio::poly(Poly::atom(self.intern((Some(f), a, a), kind, id)?))
            }
        })
    }

    /// `s` where `node` is `√s` or `s^(1/2)` and `s ≥ 0` is proved from its form:
    /// then `node² = s`. Where `s` may be negative, `√s` is undefined there and `s`
    /// is not, so the rule would widen the side's domain; it is not used.
    fn square_root_of(&self, node: ExprId) -> Option<ExprId> {
        let s = match self.dag.node(node) {
            Node::Call(Func::Sqrt, s) => s,
            Node::Pow(s, e) if self.dag.constant(e)?.exact()? == Rational::new(1, 2)? => s,
            _ => return None,
        };
        (sign(self.dag, s) >= Sign::NonNegative).then_some(s)
    }

    /// `ln(a)`, the node `id`: `ln(exp(u)) = u`, and `ln(x·y) = ln x + ln y`,
    /// `ln(x/y) = ln x − ln y`, `ln(xⁿ) = n·ln x` where `x`, `y > 0` is proved from their
    /// form (`sign.rs`: exponentials, σ, and sums and products of positives are). A
    /// part that cannot be split further is an atom `ln(part)`; one whose sign is not
    /// proved is left whole (`ln(a/b)` with `a`, `b` parameters: `a, b < 0` is allowed,
    /// where `ln a` is not defined).
    fn logarithm(&mut self, a: ExprId, id: ExprId, depth: usize) -> Option<Ratio> {
        let dag = self.dag;
        let positive = |x: ExprId| sign(dag, x) == Sign::Positive;
        let part = depth + 1;
        match dag.node(a) {
            Node::Call(Func::Exp, u) => return Some((*self.done(u)?).clone()),
            // Products nested deeper than this are left as they are (a bound on the
            // recursion, not on what is sound).
            _ if depth > MAX_LOG_DEPTH => {}
            Node::Mul(x, y) if positive(x) && positive(y) => {
                let lx = self.logarithm_of_part(x, part)?;
                return lx.add(&self.logarithm_of_part(y, part)?);
            }
            Node::Div(x, y) if positive(x) && positive(y) => {
                let lx = self.logarithm_of_part(x, part)?;
                return lx.sub(&self.logarithm_of_part(y, part)?);
            }
            Node::Pow(x, e) if positive(x) => {
                if let Some(n) = dag.constant(e).and_then(|n| n.exact()) {
                    return self.logarithm_of_part(x, part)?.mul(&Ratio::constant(n));
                }
            }
            _ => {}
        }
        let argument = self.done(a)?;
        let kind = AtomKind::Call(Func::Ln, argument);
        Some(Ratio::poly(Poly::atom(self.intern(
            (Some(Func::Ln), a, a),
            kind,
            id,
        )?)))
    }

    /// `ln(x)` for a part `x` of a logarithm's argument (a node that is not itself a
    /// logarithm): split further, or an atom printed as `ln(x)`.
    fn logarithm_of_part(&mut self, x: ExprId, depth: usize) -> Option<Ratio> {
        let split = matches!(
            self.dag.node(x),
            Node::Call(Func::Exp, _) | Node::Mul(..) | Node::Div(..) | Node::Pow(..)
        );
        if let Some(c) = self.done(x)?.as_constant() {
            if let Some(value) = exact_value(Func::Ln, c) {
                return Some(Ratio::constant(value));
            }
        }
        if split {
            // `logarithm` interns the atom at `x` if it cannot split it; mark it.
            let before = self.atoms.len();
            let r = self.logarithm(x, x, depth)?;
            for atom in &mut self.atoms[before..] {
                if atom.node == x && matches!(atom.kind, AtomKind::Call(Func::Ln, _)) {
                    atom.ln_of = true;
                }
            }
            return Some(r);
        }
        let before = self.atoms.len();
        let kind = AtomKind::Call(Func::Ln, self.done(x)?);
        let atom = self.intern((Some(Func::Ln), x, x), kind, x)?;
        if atom as usize >= before {
            self.atoms[atom as usize].ln_of = true;
        }
        Some(Ratio::poly(Poly::atom(atom)))
    }

    /// In the exponential normal form: σ(u) = E/(E + 1) and tanh(u) = (E² − 1)/(E² + 1)
    /// with E = exp(u), and exp of a sum as a product of exps.
    fn exponential_form(&mut self, f: Func, argument: &Ratio, id: ExprId) -> Option<Ratio> {
        let one = Ratio::constant(Rational::ONE);
        match f {
            Func::Exp => self.exp_of(argument, id),
            Func::Sigma => {
                let e = self.exp_of(argument, id)?;
                e.div(&e.add(&one)?)
            }
            Func::Tanh => {
                let twice = argument.mul(&Ratio::constant(Rational::integer(2)))?;
                let e2 = self.exp_of(&twice, id)?;
                e2.sub(&one)?.div(&e2.add(&one)?)
            }
            _ => None,
        }
    }

    /// `exp(argument)`: for a polynomial with integer coefficients, `Π exp(mᵢ)^cᵢ` over
    /// its monomials (`exp(a − 2b) = exp(a)·exp(b)⁻²`); otherwise one atom, taken for
    /// the sign-normalized argument (`exp(−u) = 1/exp(u)`).
    fn exp_of(&mut self, argument: &Ratio, id: ExprId) -> Option<Ratio> {
        let mut product = Ratio::constant(Rational::ONE);
        let integral = argument.is_polynomial()
            && argument
                .num
                .terms
                .values()
                .all(|c| c.to_i64().is_some_and(|n| n.abs() <= 64));
        if integral {
            for (m, c) in &argument.num.terms {
                let mut p = Poly::zero();
                p.terms.insert(m.clone(), Rational::ONE);
                let atom =
                    self.intern_kind(AtomKind::Call(Func::Exp, Rc::new(Ratio::poly(p))), id)?;
                let power = Ratio::poly(Poly::atom(atom)).powi(c.to_i64()?)?;
                product = product.mul(&power)?;
            }
            return Some(product);
        }
        let negative = argument.leads_negative();
        let normalized = if negative {
            argument.neg()?
        } else {
            argument.clone()
        };
        let atom = Ratio::poly(Poly::atom(
            self.intern_kind(AtomKind::Call(Func::Exp, Rc::new(normalized)), id)?,
        ));
        if negative {
            Ratio::constant(Rational::ONE).div(&atom)
        } else {
            Some(atom)
        }
    }

    /// An atom found by comparing normal forms only.
    fn intern_kind(&mut self, kind: AtomKind, node: ExprId) -> Option<u32> {
        if self.atoms.len() >= MAX_ATOMS {
            // The store's limit, not the node's: a later claim may find room.
            self.exhausted = true;
            return None;
        }
        let print = fingerprint(&kind);
        let candidates = match &print {
            Some(p) => self.by_fingerprint.get(p).map_or(&[][..], Vec::as_slice),
            None => &[][..],
        };
        let found = candidates
            .iter()
            .chain(&self.unprinted)
            .copied()
            .find(|&a| same(&self.atoms[a as usize].kind, &kind));
        if let Some(a) = found {
            return Some(a);
        }
        // Without a fingerprint, the new atom must be compared with every one.
        if print.is_none() {
            if let Some(i) = self.atoms.iter().position(|a| same(&a.kind, &kind)) {
                return Some(i as u32);
            }
        }
        let atom = self.atoms.len() as u32;
        self.atoms.push(Atom {
            kind,
            node,
            ln_of: false,
        });
        match print {
            Some(p) => self.by_fingerprint.entry(p).or_default().push(atom),
            None => self.unprinted.push(atom),
        }
        Some(atom)
    }

    /// The atom for a function application or power: one already met with equal
    /// normal forms, or a new one. `key` (the function and operand nodes) finds an
    /// atom met at the same nodes without comparing normal forms.
    fn intern(
        &mut self,
        key: (Option<Func>, ExprId, ExprId),
        kind: AtomKind,
        node: ExprId,
    ) -> Option<u32> {
        if let Some(&atom) = self.by_node.get(&key) {
            return Some(atom);
        }
        let atom = self.intern_kind(kind, node)?;
        self.by_node.insert(key, atom);
        Some(atom)
    }
}

/// An atom's kind and its operands' values modulo a prime at pseudo-random values of
/// the atoms: a hash under which equal rational functions collide (an evaluation
/// homomorphism), so only colliding atoms need the exact comparison.
type Fingerprint = (u8, Option<Func>, u64, u64);

const PRIME: u64 = (1 << 61) - 1;

fn fingerprint(kind: &AtomKind) -> Option<Fingerprint> {
    match kind {
        AtomKind::Symbol => None,
        AtomKind::Call(f, x) => Some((1, Some(*f), ratio_mod(x)?, 0)),
        AtomKind::Pow(x, e) => Some((2, None, ratio_mod(x)?, ratio_mod(e)?)),
    }
}

fn mul_mod(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn pow_mod(mut base: u64, mut e: u64) -> u64 {
    let mut result = 1;
    while e > 0 {
        if e & 1 == 1 {
            result = mul_mod(result, base);
        }
        base = mul_mod(base, base);
        e >>= 1;
    }
    result
}

fn inverse_mod(a: u64) -> Option<u64> {
    (a != 0).then(|| pow_mod(a, PRIME - 2))
}

fn rational_mod(r: Rational) -> Option<u64> {
    let p = i128::from(PRIME);
    let num = r.numerator().rem_euclid(p) as u64;
    let den = r.denominator().rem_euclid(p) as u64;
    Some(mul_mod(num, inverse_mod(den)?))
}

/// A fixed pseudo-random value for each atom (SplitMix64 of its number).
fn atom_mod(atom: u32) -> u64 {
    let mut z = u64::from(atom).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) % PRIME
}

fn poly_mod(p: &Poly) -> Option<u64> {
    let mut sum = 0;
    for (m, c) in &p.terms {
        let mut term = rational_mod(*c)?;
        for &(a, e) in &m.0 {
            term = mul_mod(term, pow_mod(atom_mod(a), u64::from(e)));
        }
        sum = (sum + term) % PRIME;
    }
    Some(sum)
}

fn ratio_mod(r: &Ratio) -> Option<u64> {
    Some(mul_mod(poly_mod(&r.num)?, inverse_mod(poly_mod(&r.den)?)?))
}

/// Whether two atoms are the same function of equal normal forms.
fn same(a: &AtomKind, b: &AtomKind) -> bool {
    let equal = |x: &Ratio, y: &Ratio| x.equals(y) == Some(true);
    match (a, b) {
        (AtomKind::Call(f, x), AtomKind::Call(g, y)) => f == g && equal(x, y),
        (AtomKind::Pow(x, e), AtomKind::Pow(y, f)) => equal(x, y) && equal(e, f),
        _ => false,
    }
}

/// The exact value of a function at an exact constant, where it is rational.
pub(crate) fn exact_value(f: Func, c: Rational) -> Option<Rational> {
    let zero = Rational::ZERO;
    Some(match f {
        Func::Exp | Func::Cos if c.is_zero() => Rational::ONE,
        Func::Sin | Func::Tanh if c.is_zero() => zero,
        Func::Sigma if c.is_zero() => Rational::new(1, 2)?,
        Func::Ln if c.is_one() => zero,
        Func::Relu => {
            if c.is_negative() {
                zero
            } else {
                c
            }
        }
        Func::Abs => {
            if c.is_negative() {
                c.checked_neg()?
            } else {
                c
            }
        }
        Func::Step => {
            if c > zero {
                Rational::ONE
            } else {
                zero
            }
        }
        Func::Sign => {
            if c > zero {
                Rational::ONE
            } else if c < zero {
                Rational::integer(-1)
            } else {
                zero
            }
        }
        _ => return None,
    })
}

/// A polynomial as text, atoms printed by `atom`: terms of lower degree first, a
/// common monomial factored out (`yhat7 * (1 - yhat7)` rather than
/// `yhat7 - yhat7^2`).
pub(crate) fn poly_text(p: &Poly, atom: &dyn Fn(u32) -> String) -> String {
    if p.is_zero() {
        return "0".into();
    }
    let (content, rest) = p.monomial_content();
    if content.0.is_empty() || rest.len() == 1 {
        return sum_text(p, atom);
    }
    let factor = monomial_text(&content, atom);
    let inner = sum_text(&rest, atom);
    format!("{factor} * ({inner})")
}

fn sum_text(p: &Poly, atom: &dyn Fn(u32) -> String) -> String {
    let mut terms: Vec<(&Monomial, &Rational)> = p.terms.iter().collect();
    terms.sort_by(|a, b| a.0.degree().cmp(&b.0.degree()).then_with(|| a.0.cmp(b.0)));
    let mut out = String::new();
    for (i, (m, c)) in terms.into_iter().enumerate() {
        let negative = c.is_negative();
        let magnitude = if negative {
            c.checked_neg().unwrap_or(*c)
        } else {
            *c
        };
        if i == 0 {
            if negative {
                out.push('-');
            }
        } else {
            out.push_str(if negative { " - " } else { " + " });
        }
        let body = monomial_text(m, atom);
        match (m.0.is_empty(), magnitude.is_one()) {
            (true, _) => out.push_str(&magnitude.to_string()),
            (false, true) => out.push_str(&body),
            (false, false) => out.push_str(&format!("{magnitude} * {body}")),
        }
    }
    out
}

fn monomial_text(m: &Monomial, atom: &dyn Fn(u32) -> String) -> String {
    m.0.iter()
        .map(|&(a, e)| {
            let text = atom(a);
            let simple = text.chars().all(|c| c.is_alphanumeric() || c == '_')
                || entry_name(&text)
                || (text.ends_with(')')
                    && text.find('(').is_some_and(|i| {
                        text[..i].chars().all(|c| c.is_alphanumeric()) && balanced_once(&text[i..])
                    }));
            let base = if simple { text } else { format!("({text})") };
            if e == 1 {
                base
            } else {
                format!("{base}^{e}")
            }
        })
        .collect::<Vec<_>>()
        .join(" * ")
}

/// Whether `s` names one entry of a vector or matrix (`a1[2]`, `W2[1, 3]`): a name
/// and one bracket of whole numbers, which needs no parentheses as a factor.
fn entry_name(s: &str) -> bool {
    let Some((name, rest)) = s.split_once('[') else {
        return false;
    };
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && rest.strip_suffix(']').is_some_and(|inner| {
            inner
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
        })
}

/// Whether `s` is one parenthesized group `( ... )`.
fn balanced_once(s: &str) -> bool {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && i != s.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polynomials_print_with_their_common_factor_outside() {
        let x = Poly::atom(0);
        let p = x.sub(&x.pow(2).unwrap()).unwrap();
        let name = |a: u32| ["yhat7", "y7"][a as usize].to_string();
        assert_eq!(poly_text(&p, &name), "yhat7 * (1 - yhat7)");
        let q = Poly::atom(1).sub(&x).unwrap();
        assert_eq!(poly_text(&q, &name), "-yhat7 + y7");
    }

    #[test]
    fn pi_stays_its_own_atom_after_a_claim_drops_the_known_forms() {
        let mut dag = Dag::default();
        let pi = dag.insert(Node::Pi);
        let w = dag.insert(Node::Leaf(0));
        let mut forms = NormalForms::new(&dag);
        forms.begin_claim(CLAIM_WORK);
        assert!(forms.of(pi).is_some());
        // A store with no room left: the next claim drops every known form and atom.
        forms.stored_left = 0;
        forms.begin_claim(CLAIM_WORK);
        let w_form = forms.of(w).unwrap();
        let pi_after = forms.of(pi).unwrap();
        assert_ne!(w_form, pi_after, "π must not name the parameter's atom");
    }
}

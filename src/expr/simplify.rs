//! Simplification, in two layers.
//!
//! 1. Constructors with local rules (`0 + x = x`, `1·x = x`, `x − x = 0`, constant
//!    folding, `−(a − b) = b − a`), each looking at most one node deep, so building
//!    never recurses.
//! 2. [`simplify`]: a pass over a finished expression that flattens each cluster of
//!    sums (`+ − neg`) and of products (`· /`) into a list of terms or factors, merges
//!    constants, collects like terms (`2·x·y − y·x = x·y`) and like factors
//!    (`x·x = x²`, `x/x = 1`), and writes signs the way the document does: a negative
//!    coefficient is absorbed into a difference factor, `−(y − ŷ)·ŷ` as `(ŷ − y)·ŷ`.
//!
//! The pass visits the DAG's nodes in index order and treats a node shared by several
//! users as one opaque term or factor (its own cluster, simplified once), so it is
//! linear in the expression's size, iterative, and never unfolds sharing.

use std::collections::HashMap;

use super::dag::{Cone, Dag, ExprId, Node};
use super::func::Func;
use super::number::{Number, Rational};

impl Dag {
    fn is_number(&self, id: ExprId, value: i128) -> bool {
        self.constant(id)
            .is_some_and(|n| n.is(Rational::integer(value)))
    }

    fn both_constants(&self, a: ExprId, b: ExprId) -> Option<(Number, Number)> {
        Some((self.constant(a)?, self.constant(b)?))
    }

    /// `−a`.
    pub fn neg(&mut self, a: ExprId) -> ExprId {
        match self.node(a) {
            Node::Number(n) => self.number(-n),
            Node::Neg(x) => x,
            Node::Sub(x, y) => self.insert(Node::Sub(y, x)),
            _ => self.insert(Node::Neg(a)),
        }
    }

    /// `a + b`.
    pub fn add(&mut self, a: ExprId, b: ExprId) -> ExprId {
        if let Some(n) = self
            .both_constants(a, b)
            .and_then(|(x, y)| x.checked_add(y))
        {
            return self.number(n);
        }
        if self.is_number(a, 0) {
            return b;
        }
        if self.is_number(b, 0) {
            return a;
        }
        match (self.node(a), self.node(b)) {
            (_, Node::Neg(y)) => self.insert(Node::Sub(a, y)),
            (Node::Neg(x), _) => self.insert(Node::Sub(b, x)),
            _ => self.insert(Node::Add(a, b)),
        }
    }

    /// `a − b`.
    pub fn sub(&mut self, a: ExprId, b: ExprId) -> ExprId {
        if let Some(n) = self
            .both_constants(a, b)
            .and_then(|(x, y)| x.checked_add(-y))
        {
            return self.number(n);
        }
        if self.is_number(b, 0) {
            return a;
        }
        if self.is_number(a, 0) {
            return self.neg(b);
        }
        if a == b {
            return self.integer(0);
        }
        match self.node(b) {
            Node::Neg(y) => self.insert(Node::Add(a, y)),
            _ => self.insert(Node::Sub(a, b)),
        }
    }

    /// `a · b`, constants first.
    pub fn mul(&mut self, a: ExprId, b: ExprId) -> ExprId {
        if let Some(n) = self
            .both_constants(a, b)
            .and_then(|(x, y)| x.checked_mul(y))
        {
            return self.number(n);
        }
        if self.is_number(a, 0) || self.is_number(b, 0) {
            return self.integer(0);
        }
        if self.is_number(a, 1) {
            return b;
        }
        if self.is_number(b, 1) {
            return a;
        }
        if self.is_number(a, -1) {
            return self.neg(b);
        }
        if self.is_number(b, -1) {
            return self.neg(a);
        }
        if self.constant(b).is_some() && self.constant(a).is_none() {
            return self.insert(Node::Mul(b, a));
        }
        self.insert(Node::Mul(a, b))
    }

    /// `a / b`.
    pub fn div(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let folded = self
            .both_constants(a, b)
            .filter(|(_, y)| !y.is_zero())
            .and_then(|(x, y)| x.checked_div(y));
        if let Some(n) = folded {
            return self.number(n);
        }
        if self.is_number(a, 0) {
            return self.integer(0);
        }
        if self.is_number(b, 1) {
            return a;
        }
        if a == b {
            return self.integer(1);
        }
        self.insert(Node::Div(a, b))
    }

    /// `a ^ b`.
    pub fn pow(&mut self, a: ExprId, b: ExprId) -> ExprId {
        if let (Some(x), Some(n)) = (
            self.constant(a),
            self.constant(b).and_then(Number::small_integer),
        ) {
            if let Some(v) = x.powi(n).filter(|_| n.abs() <= 64) {
                return self.number(v);
            }
        }
        if self.is_number(b, 0) || self.is_number(a, 1) {
            return self.integer(1);
        }
        if self.is_number(b, 1) {
            return a;
        }
        self.insert(Node::Pow(a, b))
    }

    /// `f(a)`, folded where the value is an exact rational: `ln(1) = 0`, `exp(0) = 1`,
    /// and the like (left as a call, `ln(1)` once made `d/da ln(ln(1^a))` print as `1`
    /// for a function that is −∞ everywhere). Other constant arguments stay calls:
    /// `ln(2)` has no exact value.
    pub fn call(&mut self, f: Func, a: ExprId) -> ExprId {
        let value = match f {
            Func::Ln if self.is_number(a, 1) => Some(0),
            Func::Exp | Func::Cos if self.is_number(a, 0) => Some(1),
            Func::Sin
            | Func::Tanh
            | Func::Sqrt
            | Func::Relu
            | Func::Abs
            | Func::Step
            | Func::Sign
                if self.is_number(a, 0) =>
            {
                Some(0)
            }
            Func::Sqrt | Func::Relu | Func::Abs | Func::Step | Func::Sign
                if self.is_number(a, 1) =>
            {
                Some(1)
            }
            _ => None,
        };
        match value {
            Some(v) => self.integer(v),
            None => self.insert(Node::Call(f, a)),
        }
    }
}

/// A product `coefficient · Π factorᵉ` (negative `e` divides).
#[derive(Clone, Debug)]
struct Product {
    coefficient: Number,
    factors: Vec<(ExprId, i64)>,
}

impl Product {
    fn one() -> Product {
        Product {
            coefficient: Number::integer(1),
            factors: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sum,
    Product,
    Atom,
}

fn kind(node: Node) -> Kind {
    match node {
        Node::Add(..) | Node::Sub(..) | Node::Neg(_) => Kind::Sum,
        Node::Mul(..) | Node::Div(..) => Kind::Product,
        Node::Number(_) | Node::Leaf(_) | Node::Pi | Node::Pow(..) | Node::Call(..) => Kind::Atom,
    }
}

/// The collection key of a term: its factors as `(node, u32::MAX, power)`, or for a
/// difference `(lower operand, higher operand, power)`, sorted.
type Key = Vec<(u32, u32, i64)>;

/// The largest exponent collected (beyond it a power stays an opaque factor).
const MAX_EXPONENT: i64 = 1 << 20;

/// Simplifies the expression at `root` (see the module documentation); returns the
/// simplified expression's node. The original nodes are left as they are.
pub(crate) fn simplify(dag: &mut Dag, root: ExprId) -> ExprId {
    simplify_arguments(dag, root, None, &[])
}

/// [`simplify`], and function arguments too, except those `named` says are a
/// definition's (or whose call is): `cos(w * 1)`, built by a template's `k = 1`, is
/// `cos(w)`, while `sigma(z1)` keeps the argument its author named.
///
/// `quotients` are named definitions `q = n / d` (softmax's `p1 = exp(z1) / S`):
/// a product with `n` over `d` is written with `q` (`exp(z1)^2 / S^2` is `p1^2`), and
/// a sum whose every term has `q` as a factor has it outside (`p1 - p1^2` is
/// `p1 * (1 - p1)`), as a textbook writes softmax's derivatives. Both are identities
/// (`q` is `n / d` wherever it is defined), so nothing printed is false.
pub(crate) fn simplify_named(
    dag: &mut Dag,
    root: ExprId,
    named: &dyn Fn(ExprId) -> bool,
    quotients: &[Quotient],
) -> ExprId {
    simplify_arguments(dag, root, Some(named), quotients)
}

/// A named quotient `q = n / d`: (`q`, `n`, `d`).
pub(crate) type Quotient = (ExprId, ExprId, ExprId);

fn simplify_arguments(
    dag: &mut Dag,
    root: ExprId,
    named: Option<&dyn Fn(ExprId) -> bool>,
    quotients: &[Quotient],
) -> ExprId {
    // The pass's scratch is indexed by position in the root's cone, so its cost is the
    // expression's size, not the DAG's.
    let cone = dag.cone(&[root]);
    let n = cone.len();
    let mut uses = vec![0u32; n];
    for k in 0..n {
        for p in cone.operands(k) {
            uses[p] += 1;
        }
    }
    // A member is absorbed into its only user's cluster of the same kind.
    let mut member = vec![false; n];
    for (k, &id) in cone.ids().iter().enumerate() {
        let node = dag.node(id);
        let kind_here = kind(node);
        if kind_here != Kind::Atom {
            for c in node.children() {
                let p = cone.operand(k, c);
                if let Some(p) = p.filter(|&p| uses[p] == 1) {
                    if kind(dag.node(c)) == kind_here {
                        member[p] = true;
                    }
                }
            }
        }
    }
    let mut pass = Pass {
        dag,
        new: vec![None; n],
        member,
        cone: &cone,
        forms: HashMap::new(),
        named,
        quotients,
    };
    for (k, &id) in cone.ids().iter().enumerate() {
        if pass.member[k] {
            continue;
        }
        let node = pass.dag.node(id);
        let result = match kind(node) {
            Kind::Sum => pass.sum(id),
            Kind::Product => pass.product(id),
            Kind::Atom => pass.atom(node, id),
        };
        pass.new[k] = Some(result);
    }
    cone.position(root)
        .and_then(|k| pass.new[k])
        .unwrap_or(root)
}

struct Pass<'d> {
    dag: &'d mut Dag,
    /// The simplified node of each processed (non-member) original node, by position
    /// in `cone`.
    new: Vec<Option<ExprId>>,
    /// Whether each node of `cone` is absorbed into its only user's cluster.
    member: Vec<bool>,
    /// The nodes the root depends on.
    cone: &'d Cone,
    /// The product each built node stands for, before signs were absorbed for
    /// display, so a user of the node merges its factors and coefficient.
    forms: HashMap<ExprId, Product>,
    /// Which nodes are named, where unnamed function arguments are simplified; `None`
    /// keeps every argument as written.
    named: Option<&'d dyn Fn(ExprId) -> bool>,
    /// Named quotients to write products and sums with (see [`simplify_named`]).
    quotients: &'d [Quotient],
}

impl Pass<'_> {
    fn mapped(&self, id: ExprId) -> ExprId {
        self.cone
            .position(id)
            .and_then(|k| self.new[k])
            .unwrap_or(id)
    }

    fn in_cluster(&self, id: ExprId, root: ExprId) -> bool {
        id == root || self.cone.position(id).is_some_and(|k| self.member[k])
    }

    fn atom(&mut self, node: Node, id: ExprId) -> ExprId {
        match node {
            Node::Pow(a, b) => {
                let (a, b) = (self.mapped(a), self.mapped(b));
                self.dag.pow(a, b)
            }
            // An argument the author named (or a call named itself) stays as
            // written: the node keeps its name (`g` for `exp(-x^2 / 2)`, so that g′
            // prints as `-x * g`). An unnamed one is simplified, where names are known.
            Node::Call(f, a) => match self.named {
                Some(named) if !named(id) && !named(a) => {
                    let b = self.mapped(a);
                    if b == a {
                        id
                    } else {
                        self.dag.call(f, b)
                    }
                }
                _ => id,
            },
            _ => id,
        }
    }

    fn product(&mut self, root: ExprId) -> ExprId {
        let mut collector = Factors::default();
        let mut stack = vec![(root, 1i64)];
        while let Some((m, e)) = stack.pop() {
            match self.dag.node(m) {
                Node::Mul(a, b) if self.in_cluster(m, root) => {
                    stack.push((b, e));
                    stack.push((a, e));
                }
                Node::Div(a, b) if self.in_cluster(m, root) => {
                    stack.push((b, -e));
                    stack.push((a, e));
                }
                _ => {
                    let f = self.mapped(m);
                    self.factor_into(&mut collector, f, e);
                }
            }
        }
        let product = self.with_quotients(collector.finish());
        let built = self.build_product(&product, true);
        self.remember(built, product);
        built
    }

    /// Adds `fᵉ` to the product, opening up constants, negations, integer powers and
    /// products built earlier in the pass.
    fn factor_into(&mut self, collector: &mut Factors, mut f: ExprId, mut e: i64) {
        loop {
            if let Some(form) = self.forms.get(&f) {
                let form = form.clone();
                let scaled = form.coefficient.powi(e).is_some_and(|c| collector.scale(c));
                if !scaled {
                    collector.add(f, e);
                    return;
                }
                for (g, k) in form.factors {
                    match k.checked_mul(e).filter(|x| x.abs() <= MAX_EXPONENT) {
                        Some(ke) => collector.add(g, ke),
                        None => {
                            let power = self.dag.pow_of(g, k);
                            collector.add(power, e);
                        }
                    }
                }
                return;
            }
            match self.dag.node(f) {
                Node::Number(n) => {
                    if !n.powi(e).is_some_and(|c| collector.scale(c)) {
                        collector.add(f, e);
                    }
                    return;
                }
                Node::Neg(x) => {
                    // Negating a coefficient never overflows.
                    if e % 2 != 0 {
                        collector.scale(Number::integer(-1));
                    }
                    f = x;
                }
                Node::Pow(x, k) => {
                    let k = self.dag.constant(k).and_then(Number::small_integer);
                    match k
                        .and_then(|k| k.checked_mul(e))
                        .filter(|x| x.abs() <= MAX_EXPONENT)
                    {
                        Some(ke) => {
                            f = x;
                            e = ke;
                        }
                        None => {
                            collector.add(f, e);
                            return;
                        }
                    }
                }
                _ => {
                    collector.add(f, e);
                    return;
                }
            }
        }
    }

    fn remember(&mut self, built: ExprId, product: Product) {
        let trivial = product.coefficient.is_one()
            && matches!(product.factors.as_slice(), [(f, 1)] if *f == built);
        if !trivial {
            self.forms.entry(built).or_insert(product);
        }
    }

    /// The node for a product; with `absorb`, a negative coefficient is written into
    /// the first difference factor of odd power instead of as a leading minus.
    fn build_product(&mut self, product: &Product, absorb: bool) -> ExprId {
        let mut coefficient = product.coefficient;
        if coefficient.is_zero() {
            return self.dag.integer(0);
        }
        let mut factors = product.factors.clone();
        if absorb && coefficient.is_negative() {
            if let Some(flipped) = self.flip_first_difference(&factors) {
                factors = flipped;
                coefficient = -coefficient;
            }
        }
        // The sign goes on the first factor (`-x / y^2`, `-2 * x`, as a textbook
        // writes them, not `-(x / y^2)`), and a fraction's denominator joins the
        // denominator (`1 / (2 * r)`, not `1/2 / r`).
        let has_denominator = factors.iter().any(|&(_, e)| e < 0);
        let split = coefficient
            .exact()
            .filter(|r| has_denominator && !r.is_integer())
            .map(|r| {
                (
                    Number::integer(r.numerator()),
                    Number::integer(r.denominator()),
                )
            });
        let (top, bottom) = match split {
            Some((p, q)) => (p, Some(self.dag.number(q))),
            None => (coefficient, None),
        };
        let mut numerator = self.dag.number(top);
        let mut denominator: Option<ExprId> = bottom;
        for &(f, e) in &factors {
            let power = self.dag.pow_of(f, e.abs());
            if e > 0 {
                numerator = self.dag.mul(numerator, power);
            } else {
                denominator = Some(match denominator {
                    None => power,
                    Some(d) => self.dag.mul(d, power),
                });
            }
        }
        match denominator {
            None => numerator,
            Some(d) => self.dag.div(numerator, d),
        }
    }

    /// The factors with the first difference of odd power flipped (`a − b` to `b − a`),
    /// which negates the product; `None` if there is no such factor.
    fn flip_first_difference(&mut self, factors: &[(ExprId, i64)]) -> Option<Vec<(ExprId, i64)>> {
        let position = factors
            .iter()
            .position(|&(f, e)| e % 2 != 0 && matches!(self.dag.node(f), Node::Sub(..)))?;
        let mut flipped = factors.to_vec();
        if let Node::Sub(a, b) = self.dag.node(flipped[position].0) {
            flipped[position].0 = self.dag.insert(Node::Sub(b, a));
        }
        Some(flipped)
    }

    fn sum(&mut self, root: ExprId) -> ExprId {
        let mut terms: Vec<(ExprId, bool)> = Vec::new();
        let mut stack = vec![(root, false)];
        while let Some((m, negated)) = stack.pop() {
            match self.dag.node(m) {
                Node::Add(a, b) if self.in_cluster(m, root) => {
                    stack.push((b, negated));
                    stack.push((a, negated));
                }
                Node::Sub(a, b) if self.in_cluster(m, root) => {
                    stack.push((b, !negated));
                    stack.push((a, negated));
                }
                Node::Neg(a) if self.in_cluster(m, root) => stack.push((a, !negated)),
                _ => terms.push((self.mapped(m), negated)),
            }
        }
        // Collect like terms under a key that ignores factor order and the orientation
        // of differences: (a − b) and −(b − a) are the same term.
        let mut order: Vec<Key> = Vec::new();
        let mut collected: HashMap<Key, (Number, Product, bool)> = HashMap::new();
        let mut unmergeable: Vec<Product> = Vec::new();
        for (t, negated) in terms {
            let mut form = self.term_form(t);
            if negated {
                form.coefficient = -form.coefficient;
            }
            let (key, flips) = self.key(&form);
            let canonical = if flips {
                -form.coefficient
            } else {
                form.coefficient
            };
            match collected.get_mut(&key) {
                Some((total, _, _)) => match total.checked_add(canonical) {
                    Some(sum) => *total = sum,
                    None => unmergeable.push(form),
                },
                None => {
                    order.push(key.clone());
                    collected.insert(key, (canonical, form, flips));
                }
            }
        }
        let mut products: Vec<Product> = Vec::new();
        for key in &order {
            let (total, first, flips) = &collected[key];
            if total.is_zero() {
                continue;
            }
            products.push(Product {
                coefficient: if *flips { -*total } else { *total },
                factors: first.factors.clone(),
            });
        }
        products.extend(unmergeable);
        if let Some(factored) = self.quotient_outside(&products) {
            return factored;
        }
        self.build_sum(products)
    }

    /// Named quotients written into a product: `n^a · d^-b` with `a, b > 0` becomes
    /// `q^min(a, b)` times what is left (and `n^-a · d^b` becomes `q^-min(a, b)`).
    ///
    /// Only where that leaves no power of the quotients' denominators: `exp(z1)^2 /
    /// S^2` is `p1^2`, but `x / y^2` stays as it is rather than `q / y`.
    fn with_quotients(&self, product: Product) -> Product {
        let original = product.clone();
        let mut product = product;
        let mut used: Vec<ExprId> = Vec::new();
        for &(q, n, d) in self.quotients {
            let exponent = |p: &Product, f: ExprId| {
                p.factors
                    .iter()
                    .find(|&&(g, _)| g == f)
                    .map_or(0, |&(_, e)| e)
            };
            let (a, b) = (exponent(&product, n), exponent(&product, d));
            let k = if a > 0 && b < 0 {
                a.min(-b)
            } else if a < 0 && b > 0 {
                -((-a).min(b))
            } else {
                continue;
            };
            let mut factors: Vec<(ExprId, i64)> = Vec::new();
            let mut placed = false;
            for &(f, e) in &product.factors {
                let e = if f == n {
                    e - k
                } else if f == d {
                    e + k
                } else if f == q {
                    placed = true;
                    e + k
                } else {
                    e
                };
                if e != 0 {
                    factors.push((f, e));
                }
            }
            if !placed {
                factors.push((q, k));
            }
            product.factors = factors;
            used.push(d);
        }
        if product.factors.iter().any(|&(f, _)| used.contains(&f)) {
            return original;
        }
        product
    }

    /// A sum of two or more terms that all have a named quotient `q` as a factor,
    /// written `q^k · (Σ terms / q^k)` (`p1 - p1^2` as `p1 * (1 - p1)`); `None` if
    /// there is no such quotient.
    fn quotient_outside(&mut self, products: &[Product]) -> Option<ExprId> {
        if products.len() < 2 {
            return None;
        }
        let exponent = |p: &Product, q: ExprId| {
            p.factors
                .iter()
                .find(|&&(g, _)| g == q)
                .map_or(0, |&(_, e)| e)
        };
        let (q, k) = self.quotients.iter().find_map(|&(q, _, _)| {
            let k = products.iter().map(|p| exponent(p, q)).min()?;
            (k > 0).then_some((q, k))
        })?;
        let inner: Vec<Product> = products
            .iter()
            .map(|p| Product {
                coefficient: p.coefficient,
                factors: p
                    .factors
                    .iter()
                    .map(|&(f, e)| if f == q { (f, e - k) } else { (f, e) })
                    .filter(|&(_, e)| e != 0)
                    .collect(),
            })
            .collect();
        let sum = self.build_sum(inner);
        let product = Product {
            coefficient: Number::integer(1),
            factors: vec![(q, k), (sum, 1)],
        };
        let built = self.build_product(&product, false);
        self.remember(built, product);
        Some(built)
    }

    /// The node for a sum of products, a positive term first.
    fn build_sum(&mut self, products: Vec<Product>) -> ExprId {
        let mut built: Vec<(ExprId, bool, Product)> = Vec::new();
        for p in &products {
            let mut p = p.clone();
            if p.coefficient.is_negative() {
                if let Some(flipped) = self.flip_first_difference(&p.factors) {
                    p.factors = flipped;
                    p.coefficient = -p.coefficient;
                }
            }
            let negative = p.coefficient.is_negative();
            if negative {
                p.coefficient = -p.coefficient;
            }
            let node = self.build_product(&p, false);
            built.push((node, negative, p));
        }
        if built.first().is_some_and(|b| b.1) {
            if let Some(i) = built.iter().position(|b| !b.1) {
                let positive = built.remove(i);
                built.insert(0, positive);
            }
        }
        let Some((first, first_negative, first_product)) = built.first().cloned() else {
            return self.dag.integer(0);
        };
        let mut acc = if first_negative {
            // The sign on the first factor (`-x / y^2`), as build_product writes it.
            let negated = Product {
                coefficient: -first_product.coefficient,
                factors: first_product.factors,
            };
            self.build_product(&negated, false)
        } else {
            first
        };
        for &(node, negative, _) in &built[1..] {
            acc = if negative {
                self.dag.sub(acc, node)
            } else {
                self.dag.add(acc, node)
            };
        }
        if let [single] = products.as_slice() {
            self.remember(acc, single.clone());
        }
        acc
    }

    /// A term as a product: a product built earlier in the pass, a constant, or a
    /// single factor (negations opened up).
    fn term_form(&self, mut t: ExprId) -> Product {
        let mut sign = Number::integer(1);
        loop {
            if let Some(form) = self.forms.get(&t) {
                let mut form = form.clone();
                if sign.is_negative() {
                    form.coefficient = -form.coefficient;
                }
                return form;
            }
            match self.dag.node(t) {
                Node::Number(n) => {
                    return Product {
                        coefficient: if sign.is_negative() { -n } else { n },
                        factors: Vec::new(),
                    }
                }
                Node::Neg(x) => {
                    sign = -sign;
                    t = x;
                }
                _ => {
                    let mut p = Product::one();
                    p.coefficient = sign;
                    p.factors.push((t, 1));
                    return p;
                }
            }
        }
    }

    /// The collection key of a product (sorted factors, differences oriented by node
    /// index) and whether reorienting flipped the product's sign.
    fn key(&self, p: &Product) -> (Key, bool) {
        let mut flips = false;
        let mut key: Vec<(u32, u32, i64)> = p
            .factors
            .iter()
            .map(|&(f, e)| match self.dag.node(f) {
                Node::Sub(a, b) if a > b => {
                    flips ^= e % 2 != 0;
                    (b.0, a.0, e)
                }
                Node::Sub(a, b) => (a.0, b.0, e),
                _ => (f.0, u32::MAX, e),
            })
            .collect();
        key.sort_unstable();
        (key, flips)
    }
}

impl Dag {
    /// `fᵉ` for a positive integer `e`.
    fn pow_of(&mut self, f: ExprId, e: i64) -> ExprId {
        let exponent = self.integer(e.into());
        self.pow(f, exponent)
    }
}

/// Factors gathered from a product cluster: exponents of equal factors add up, in
/// first-occurrence order.
#[derive(Default)]
struct Factors {
    coefficient: Option<Number>,
    order: Vec<ExprId>,
    exponents: HashMap<ExprId, i64>,
    extra: Vec<(ExprId, i64)>,
}

impl Factors {
    /// Multiplies the coefficient by `c`; `false` (and no change) if that overflows.
    fn scale(&mut self, c: Number) -> bool {
        let current = self.coefficient.unwrap_or(Number::integer(1));
        match current.checked_mul(c) {
            Some(p) => {
                self.coefficient = Some(p);
                true
            }
            None => false,
        }
    }

    fn add(&mut self, f: ExprId, e: i64) {
        match self.exponents.get_mut(&f) {
            Some(x) => match x.checked_add(e).filter(|s| s.abs() <= MAX_EXPONENT) {
                Some(s) => *x = s,
                None => self.extra.push((f, e)),
            },
            None => {
                self.order.push(f);
                self.exponents.insert(f, e);
            }
        }
    }

    fn finish(self) -> Product {
        let mut factors: Vec<(ExprId, i64)> = self
            .order
            .iter()
            .map(|f| (*f, self.exponents[f]))
            .filter(|&(_, e)| e != 0)
            .collect();
        factors.extend(self.extra);
        Product {
            coefficient: self.coefficient.unwrap_or(Number::integer(1)),
            factors,
        }
    }
}

/// The most terms a sum factor may have to be multiplied out by [`distribute`].
const MAX_DISTRIBUTED: usize = 8;

/// Multiplies out, in each term of the simplified sum at `root`, its first factor that
/// is a sum with a product in it (`a·(b + c·d)` to `a·b + a·c·d`), then simplifies
/// again: like terms hidden inside products then cancel. One level only, so the size grows at most
/// [`MAX_DISTRIBUTED`]-fold. Used to show the difference of a claim's sides.
pub(crate) fn distribute(dag: &mut Dag, root: ExprId) -> ExprId {
    let root = simplify(dag, root);
    let mut out = dag.integer(0);
    for (term, negated) in flatten_sum(dag, root) {
        let (negative, numerator, denominator) = flatten_product(dag, term);
        let sign = negated != negative;
        // Differences of plain quantities, like (yhat7 - y7), are the document's own
        // vocabulary and stay; a sum with a product inside is multiplied out.
        let split = numerator.iter().position(|&f| {
            let terms = flatten_sum(dag, f);
            matches!(dag.node(f), Node::Add(..) | Node::Sub(..))
                && terms.len() <= MAX_DISTRIBUTED
                && terms
                    .iter()
                    .any(|&(t, _)| matches!(dag.node(t), Node::Mul(..) | Node::Div(..)))
        });
        let pieces: Vec<(ExprId, bool)> = match split {
            None => vec![(term, negated)],
            Some(i) => flatten_sum(dag, numerator[i])
                .into_iter()
                .map(|(inner, inner_negated)| {
                    let mut product = dag.integer(1);
                    for (j, &f) in numerator.iter().enumerate() {
                        let factor = if j == i { inner } else { f };
                        product = dag.mul(product, factor);
                    }
                    for &d in &denominator {
                        product = dag.div(product, d);
                    }
                    (product, sign != inner_negated)
                })
                .collect(),
        };
        for (piece, negative) in pieces {
            out = if negative {
                dag.sub(out, piece)
            } else {
                dag.add(out, piece)
            };
        }
    }
    simplify(dag, out)
}

/// The terms of a sum with their signs (`true`: subtracted), through `+`, `−` and
/// negation.
fn flatten_sum(dag: &Dag, root: ExprId) -> Vec<(ExprId, bool)> {
    let mut terms = Vec::new();
    let mut stack = vec![(root, false)];
    while let Some((id, negated)) = stack.pop() {
        match dag.node(id) {
            Node::Add(a, b) => {
                stack.push((b, negated));
                stack.push((a, negated));
            }
            Node::Sub(a, b) => {
                stack.push((b, !negated));
                stack.push((a, negated));
            }
            Node::Neg(a) => stack.push((a, !negated)),
            _ => terms.push((id, negated)),
        }
    }
    terms
}

/// The sign, numerator factors and denominator factors of a product.
fn flatten_product(dag: &Dag, root: ExprId) -> (bool, Vec<ExprId>, Vec<ExprId>) {
    let (mut negative, mut numerator, mut denominator) = (false, Vec::new(), Vec::new());
    let mut stack = vec![(root, false)];
    while let Some((id, below)) = stack.pop() {
        match dag.node(id) {
            Node::Mul(a, b) => {
                stack.push((b, below));
                stack.push((a, below));
            }
            Node::Div(a, b) => {
                stack.push((b, !below));
                stack.push((a, below));
            }
            Node::Neg(a) => {
                negative = !negative;
                stack.push((a, below));
            }
            _ if below => denominator.push(id),
            _ => numerator.push(id),
        }
    }
    (negative, numerator, denominator)
}

//! Recording a [`TapePlan`] on a tape: each operation step becomes block records
//! where the tape has them (`matvec`, `matvec_transposed`, fused sums and dot
//! products), scalar records otherwise; each scalar step one node, by the same rule
//! [`Program::evaluate`](super::Program::evaluate) uses.

use super::ast::{BinaryOp, ShapeFn};
use super::dag::{Dag, Node};
use super::eval::node_value;
use super::tape_plan::{LeafRun, Lowering, Source, Step, TapePlan};
use crate::tape::{Tape, Var, VarSlice};
use num_traits::Float;

/// The value of an operation step on the tape.
enum Value<'t> {
    /// Consecutive nodes from `first` (or constants, `None`), with their values.
    Run {
        first: Option<u32>,
        values: Vec<f64>,
    },
    /// Leaves `start..start + len`, recorded at nodes from `first` (or constants),
    /// their values the caller's.
    Leaves {
        first: Option<u32>,
        start: usize,
        len: usize,
    },
    /// Anything else, one handle per entry.
    Vars(Vec<Var<'t, f64>>),
    /// The value of an earlier step.
    Alias(u32),
}

/// The steps' values so far, and what they need to read them.
struct Recording<'t, 'l> {
    tape: &'t Tape<f64>,
    leaves: &'l [f64],
    /// Per leaf: its place among the variables, if it is one.
    variable_of: &'l [Option<u32>],
    /// The first variable's node.
    base: u32,
    values: Vec<Value<'t>>,
    slots: Vec<Var<'t, f64>>,
}

/// Records `plan` on `tape` with the leaves' values `leaves`; returns the quantity.
pub(crate) fn record<'t>(plan: &TapePlan, tape: &'t Tape<f64>, leaves: &[f64]) -> Var<'t, f64> {
    let (variable_of, blocks, steps, output) =
        (&plan.variable_of, &plan.blocks, &plan.steps, plan.output);
    // The variables first, one block of leaves per run of consecutive leaves (each
    // borrows the caller's values), so the `k`-th variable is node `base + k` and
    // their adjoints are the sweep's first.
    let mut base = None;
    for run in blocks {
        let block = tape.var_slice(&leaves[run.clone()]);
        base.get_or_insert(block.first());
    }
    let mut r = Recording {
        tape,
        leaves,
        variable_of,
        base: base.unwrap_or(0),
        values: Vec::new(),
        slots: Vec::new(),
    };
    for step in steps {
        match step {
            Step::Scalar {
                node,
                operands,
                exponent,
            } => {
                let v = r.scalar(*node, operands, *exponent);
                r.slots.push(v);
            }
            Step::Operation(lowering) => {
                let v = r.operation(lowering, plan.faulty_products);
                r.values.push(v);
            }
        }
    }
    r.source(output)
}

/// `a op b` for two handles, as the DAG's node of that operation evaluates.
fn binary<'t>(
    op: BinaryOp,
    a: Var<'t, f64>,
    b: Var<'t, f64>,
    exponent: Option<i32>,
) -> Var<'t, f64> {
    match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul | BinaryOp::Hadamard => a * b,
        BinaryOp::Div => a / b,
        BinaryOp::Pow => match exponent {
            Some(n) => a.powi(n),
            None => a.powf(b),
        },
    }
}

/// The handles as a value: a run where they are consecutive nodes or all constants.
fn from_vars(vars: Vec<Var<'_, f64>>) -> Value<'_> {
    let run = match vars.first() {
        None => Some(None),
        Some(v) if v.is_constant() => vars.iter().all(|v| v.is_constant()).then_some(None),
        Some(v) => {
            let first = v.index();
            vars.iter()
                .zip(first..)
                .all(|(v, k)| !v.is_constant() && v.index() == k)
                .then_some(Some(first))
        }
    };
    match run {
        Some(first) => Value::Run {
            first,
            values: vars.iter().map(|v| v.value()).collect(),
        },
        None => Value::Vars(vars),
    }
}

impl<'t> Recording<'t, '_> {
    fn source(&self, s: Source) -> Var<'t, f64> {
        match s {
            Source::Const(c) => Var::constant(c),
            Source::Leaf(l) => self.leaf(l as usize),
            Source::Out(j, k) => self.get(j, k as usize),
            Source::Slot(j) => self.slots[j as usize],
        }
    }

    fn leaf(&self, l: usize) -> Var<'t, f64> {
        let value = self.leaves[l];
        match self.variable_of[l] {
            Some(k) => Var::recorded(self.tape, self.base + k, value),
            None => Var::constant(value),
        }
    }

    fn value(&self, mut j: u32) -> &Value<'t> {
        while let Value::Alias(a) = self.values[j as usize] {
            j = a;
        }
        &self.values[j as usize]
    }

    fn len(&self, j: u32) -> usize {
        match self.value(j) {
            Value::Run { values, .. } => values.len(),
            Value::Leaves { len, .. } => *len,
            Value::Vars(v) => v.len(),
            Value::Alias(_) => unreachable!("aliases are followed"),
        }
    }

    /// Entry `k` of step `j`'s value.
    fn get(&self, j: u32, k: usize) -> Var<'t, f64> {
        match self.value(j) {
            Value::Run { first, values } => match first {
                Some(f) => Var::recorded(self.tape, f + k as u32, values[k]),
                None => Var::constant(values[k]),
            },
            Value::Leaves { start, .. } => self.leaf(start + k),
            Value::Vars(v) => v[k],
            Value::Alias(_) => unreachable!("aliases are followed"),
        }
    }

    fn handles(&self, j: u32) -> Vec<Var<'t, f64>> {
        (0..self.len(j)).map(|k| self.get(j, k)).collect()
    }

    /// Step `j`'s value as a slice, if it is consecutive nodes or constants.
    fn slice(&self, j: u32) -> Option<VarSlice<'t, '_, f64>> {
        let (first, values) = match self.value(j) {
            Value::Run { first, values } => (*first, values.as_slice()),
            Value::Leaves { first, start, len } => (*first, &self.leaves[*start..start + len]),
            _ => return None,
        };
        Some(match first {
            Some(f) => VarSlice::recorded(self.tape, f, values),
            None => VarSlice::constant(values),
        })
    }

    fn scalar(
        &self,
        node: Node,
        operands: &[Option<Source>; 2],
        exponent: Option<i32>,
    ) -> Var<'t, f64> {
        let [a, b] = operands.map(|o| o.map(|s| self.source(s)));
        let (a, b) = (
            a.unwrap_or_else(|| Var::constant(f64::NAN)),
            b.unwrap_or_else(|| Var::constant(f64::NAN)),
        );
        match node {
            Node::Pow(..) => binary(BinaryOp::Pow, a, b, exponent),
            // The node's rule with its operands' handles: the first child is `a`.
            _ => {
                let first = node.children().next();
                node_value(&Dag::default(), node, &[], |c| {
                    if Some(c) == first {
                        a
                    } else {
                        b
                    }
                })
            }
        }
    }

    fn map(&self, a: u32, f: impl Fn(Var<'t, f64>) -> Var<'t, f64>) -> Value<'t> {
        from_vars((0..self.len(a)).map(|k| f(self.get(a, k))).collect())
    }

    fn operation(&self, lowering: &Lowering, faulty: bool) -> Value<'t> {
        match lowering {
            Lowering::Leaves { first, len, run } => {
                let (start, len) = (*first as usize, *len as usize);
                match run {
                    LeafRun::Variables(k) => Value::Leaves {
                        first: Some(self.base + k),
                        start,
                        len,
                    },
                    LeafRun::Constants => Value::Leaves {
                        first: None,
                        start,
                        len,
                    },
                    LeafRun::Mixed => {
                        Value::Vars((start..start + len).map(|l| self.leaf(l)).collect())
                    }
                }
            }
            Lowering::Gather(sources) => {
                from_vars(sources.iter().map(|&s| self.source(s)).collect())
            }
            Lowering::Alias(j) => Value::Alias(*j),
            Lowering::Product {
                a,
                a_t,
                b,
                b_t,
                m,
                n,
                p,
            } => self.product(*a, *a_t, *b, *b_t, (*m, *n, *p), faulty),
            Lowering::Neg(a) => self.map(*a, |x| -x),
            Lowering::Call(f, a) => self.map(*a, |x| f.apply(x)),
            Lowering::Zip(op, a, b) => from_vars(
                (0..self.len(*a))
                    .map(|k| binary(*op, self.get(*a, k), self.get(*b, k), None))
                    .collect(),
            ),
            Lowering::Left(op, s, b) => {
                let s = self.source(*s);
                self.map(*b, |x| binary(*op, s, x, None))
            }
            Lowering::Right(op, a, s, exponent) => {
                let s = self.source(*s);
                self.map(*a, |x| binary(*op, x, s, *exponent))
            }
            Lowering::Function(f, args) => self.function(*f, args),
        }
    }

    fn sum(&self, a: u32) -> Var<'t, f64> {
        match self.slice(a) {
            Some(s) => s.sum(),
            None => Var::sum(&self.handles(a)),
        }
    }

    fn dot(&self, a: u32, b: u32) -> Var<'t, f64> {
        match (self.slice(a), self.slice(b)) {
            (Some(x), Some(y)) => x.dot(y),
            _ => Var::dot(&self.handles(a), &self.handles(b)),
        }
    }

    fn function(&self, f: ShapeFn, args: &[u32]) -> Value<'t> {
        let one = |v: Var<'t, f64>| Value::Vars(vec![v]);
        match f {
            ShapeFn::Sum => one(self.sum(args[0])),
            ShapeFn::Dot => one(self.dot(args[0], args[1])),
            ShapeFn::Norm => one(self.dot(args[0], args[0]).sqrt()),
            ShapeFn::LogSumExp => {
                let exps = Var::sum(
                    &self
                        .handles(args[0])
                        .into_iter()
                        .map(|x| x.exp())
                        .collect::<Vec<_>>(),
                );
                one(exps.ln())
            }
            ShapeFn::Softmax => {
                let exps: Vec<Var<'t, f64>> =
                    self.handles(args[0]).into_iter().map(|x| x.exp()).collect();
                let total = Var::sum(&exps);
                from_vars(exps.into_iter().map(|e| e / total).collect())
            }
            ShapeFn::Outer => {
                let (u, v) = (self.handles(args[0]), self.handles(args[1]));
                from_vars(
                    u.iter()
                        .flat_map(|&x| v.iter().map(move |&y| x * y))
                        .collect(),
                )
            }
            ShapeFn::Hadamard => from_vars(
                (0..self.len(args[0]))
                    .map(|k| self.get(args[0], k) * self.get(args[1], k))
                    .collect(),
            ),
            ShapeFn::Transpose => Value::Alias(args[0]),
        }
    }

    /// `A · B` with `A` `m × n` and `B` `n × p`, each stored as written or transposed.
    fn product(
        &self,
        a: u32,
        a_t: bool,
        b: u32,
        b_t: bool,
        (m, n, p): (usize, usize, usize),
        faulty: bool,
    ) -> Value<'t> {
        let (sa, sb) = (self.slice(a), self.slice(b));
        if let (Some(sa), Some(sb)) = (sa, sb) {
            let mut out = vec![0.0; m * p];
            if p == 1 {
                // A matrix times a vector: one record. `A` stored transposed is `n`
                // rows of `m`, input-major: the transposed product reads it as it is.
                let y = if a_t != faulty {
                    sa.matvec_transposed(sb, &mut out)
                } else {
                    sa.matvec(sb, &mut out)
                };
                let first = y.tape().map(|_| y.first());
                return Value::Run { first, values: out };
            }
            if m == 1 || !a_t {
                // Row `i` of the result is `Bᵀ·(row i of A)`: `B` as written is `n`
                // rows of `p`, input-major; `B` stored transposed is `p` rows of `n`.
                let mut vars = Vec::with_capacity(m * p);
                for (i, row) in out.chunks_mut(p).enumerate() {
                    let x = sa.slice(i * n..(i + 1) * n);
                    let y = if b_t {
                        sb.matvec(x, row)
                    } else {
                        sb.matvec_transposed(x, row)
                    };
                    vars.extend(y.iter());
                }
                return from_vars(vars);
            }
        }
        // No block record fits (entries scattered, or rows of `A` not stored
        // together): one fused dot product per entry.
        let (ha, hb) = (self.handles(a), self.handles(b));
        let at = |h: &[Var<'t, f64>], t: bool, i: usize, j: usize, cols: usize, rows: usize| {
            if t {
                h[j * rows + i]
            } else {
                h[i * cols + j]
            }
        };
        let mut vars = Vec::with_capacity(m * p);
        for i in 0..m {
            let row: Vec<Var<'t, f64>> = (0..n).map(|k| at(&ha, a_t, i, k, n, m)).collect();
            for j in 0..p {
                let col: Vec<Var<'t, f64>> = (0..n).map(|k| at(&hb, b_t, k, j, p, n)).collect();
                vars.push(Var::dot(&row, &col));
            }
        }
        from_vars(vars)
    }
}

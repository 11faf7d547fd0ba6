//! A program's gradient evaluated on the tape's block records: the plan.
//!
//! [`Program::gradient`] differentiates symbolically, entry by entry of the scalar DAG;
//! that is what proofs and printing need, but as a way to get numbers it records a
//! 256-128-10 network as some 70,000 scalar products and sums. The resolver also keeps
//! the program's matrix structure (`matrix_ops.rs`: `Product(W1, x)`, `Call(σ, …)`,
//! `Function(dot, …)`), and a [`TapePlan`] lowers it onto a [`Tape`]:
//!
//! - the leaves being differentiated are recorded as blocks of leaves, the others are
//!   constants;
//! - a matrix product is one [`VarSlice::matvec`] (or [`VarSlice::matvec_transposed`]
//!   when the matrix is written transposed, `W2^T * delta`, so no transpose is ever
//!   copied), a matrix times a matrix one such record per row;
//! - elementwise operations, broadcasts, `softmax` and the like are scalar records,
//!   one per entry; `sum` and `dot` one fused record;
//! - what has no operation (a scalar formula, an entry `W[i, j]`, the result of
//!   `grad` or of an index `sum`) is evaluated from the scalar DAG, node by node, with
//!   the operations' records standing in for the nodes they made. So every program has a
//!   plan, and the fused records are a speed-up, never a change in meaning.
//!
//! The plan is built once (a walk down from the quantity, with an explicit stack) and
//! recorded as often as wanted ([`TapePlan::gradient_into`] reuses the tape and the
//! gradient's buffer, as [`Mlp::tape_backprop`](crate::nn::mlp::Mlp::tape_backprop)
//! does). Its gradient is checked against the symbolic one on random programs and
//! shapes (`tape_plan_tests.rs`).

use std::collections::HashMap;
use std::ops::Range;

use super::ast::{BinaryOp, ShapeFn};
use super::dag::{ExprId, Node};
use super::error::{Diagnostic, Error, ErrorKind};
use super::eval::integer_exponent;
use super::func::Func;
use super::grid::Shape;
use super::matrix_ops::{MatrixOp, Operand};
use super::program::Program;
use crate::tape::{Gradient, Tape};

/// Where a scalar comes from while a plan records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Source {
    /// Leaf `i` (a variable or a constant, as the plan chose).
    Leaf(u32),
    /// A constant.
    Const(f64),
    /// Entry `k` of the value of the plan's operation step `j` (`Out(j, k)`).
    Out(u32, u32),
    /// The `j`-th scalar step's value.
    Slot(u32),
}

/// An operation lowered: its operands are earlier operation steps or scalars.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lowering {
    /// Leaves `first..first + len`, row-major: all variables (from the `k`-th,
    /// `Some(k)`: the plan records them consecutively), all constants (`None`), or a
    /// mix (`Mixed`).
    Leaves {
        first: u32,
        len: u32,
        run: LeafRun,
    },
    /// Each entry from wherever it comes from (a value with no operation, a transpose
    /// of a matrix).
    Gather(Vec<Source>),
    /// The same value as an earlier step (the transpose of a vector).
    Alias(u32),
    /// `A · B`, `A` being `m × n` and `B` `n × p`, each stored as written or, with its
    /// flag, as its transpose (`W2^T`: `W2`'s own storage).
    Product {
        a: u32,
        a_t: bool,
        b: u32,
        b_t: bool,
        m: usize,
        n: usize,
        p: usize,
    },
    Neg(u32),
    Call(Func, u32),
    /// `a_k op b_k`.
    Zip(BinaryOp, u32, u32),
    /// `s op b_k`.
    Left(BinaryOp, Source, u32),
    /// `a_k op s` (an integer power `a_k^n` by `powi`, as the DAG evaluates it).
    Right(BinaryOp, u32, Source, Option<i32>),
    Function(ShapeFn, Vec<u32>),
}

/// How the leaves of a declared vector or matrix are recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafRun {
    /// Consecutive variables, from the `k`-th.
    Variables(u32),
    /// Constants.
    Constants,
    /// Some of each (a gradient with respect to some entries only).
    Mixed,
}

/// One step of a recording.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    /// A scalar node, its operands' sources in order; its value is the next slot.
    Scalar {
        node: Node,
        operands: [Option<Source>; 2],
        exponent: Option<i32>,
    },
    /// An operation; its value is the next operation step's.
    Operation(Lowering),
}

/// A recipe for recording one quantity of a [`Program`] on a [`Tape`] with its matrix
/// operations as block records, built by [`Program::tape_plan`].
///
/// ```
/// use gradproof::expr::parse;
/// use gradproof::Tape;
///
/// let program = parse("\
/// input x: 3 = [1, 2, 3]
/// param W: 2x3 = [[0.1, 0.2, 0.3], [-0.1, 0.4, 0.2]]
/// a = sigma(W * x)
/// loss L = sum(a)
/// ")?;
/// let plan = program.tape_plan("L", &["W"])?;
/// let mut tape = Tape::new();
/// let mut gradient = Vec::new();
/// let loss = plan.gradient_into(&mut tape, &program.leaf_values(), &mut gradient);
/// // ∂L/∂W[i, j] = σ′(z_i)·x_j, in W's layout.
/// let z0: f64 = 0.1 + 0.4 + 0.9;
/// let s = 1.0 / (1.0 + (-z0).exp());
/// assert!((gradient[2] - s * (1.0 - s) * 3.0).abs() < 1e-15);
/// assert!(loss > 0.0);
/// # Ok::<(), gradproof::expr::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct TapePlan {
    /// The leaves recorded as variables, in leaf order.
    variables: Vec<usize>,
    /// Per leaf: its place among the variables, if it is one.
    pub(crate) variable_of: Vec<Option<u32>>,
    /// The runs of consecutive variable leaves, each recorded as one block.
    pub(crate) blocks: Vec<Range<usize>>,
    pub(crate) steps: Vec<Step>,
    pub(crate) output: Source,
    /// Whether the product lowering is deliberately wrong (tests only: they show that
    /// the comparison with the symbolic gradient catches a wrong lowering).
    pub(crate) faulty_products: bool,
}

impl TapePlan {
    /// The leaves recorded as variables (indices into
    /// [`Program::leaves`](super::Program::leaves)), in the order
    /// [`TapePlan::gradient_into`] writes their derivatives.
    pub fn variables(&self) -> &[usize] {
        &self.variables
    }

    /// How many steps the recording takes: an operation on vectors or matrices is one
    /// step, however many entries it has; each scalar node outside them is one.
    pub fn steps(&self) -> usize {
        self.steps.len()
    }

    /// How many of the steps are scalar nodes evaluated from the DAG.
    pub fn scalar_steps(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Step::Scalar { .. }))
            .count()
    }

    /// Records the quantity on `tape` (cleared first, its memory kept) with the leaves'
    /// values `leaves` (in [`Program::leaves`](super::Program::leaves) order), sweeps it
    /// backwards, and leaves in `gradient` the derivative with respect to each of
    /// [`TapePlan::variables`], in that order. Returns the quantity's value.
    ///
    /// Allocates little once `tape` and `gradient` have served this plan: the
    /// buffers of the operations' values (one per operation).
    ///
    /// # Panics
    ///
    /// If `leaves` has fewer values than the program has leaves.
    pub fn gradient_into(
        &self,
        tape: &mut Tape<f64>,
        leaves: &[f64],
        gradient: &mut Vec<f64>,
    ) -> f64 {
        assert!(
            leaves.len() >= self.variable_of.len(),
            "TapePlan::gradient_into needs one value per leaf ({} leaves, {} values): pass \
             values in the order of Program::leaves",
            self.variable_of.len(),
            leaves.len()
        );
        tape.clear();
        let tape = &*tape;
        let output = super::tape_record::record(self, tape, leaves);
        let mut adjoints = Gradient::with_buffer(tape, std::mem::take(gradient));
        tape.gradient_into(output, &mut adjoints);
        *gradient = adjoints.into_adjoints();
        // The variables are the tape's first nodes: their adjoints are the prefix.
        gradient.resize(self.variables.len(), 0.0);
        output.value()
    }

    /// [`TapePlan::gradient_into`] on a new tape: the value and the derivatives.
    pub fn gradient(&self, leaves: &[f64]) -> (f64, Vec<f64>) {
        let mut tape = Tape::new();
        let mut gradient = Vec::new();
        let value = self.gradient_into(&mut tape, leaves, &mut gradient);
        (value, gradient)
    }
}

/// A unit of the plan's walk: an operation, or a scalar node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Task {
    Op(u32),
    Expr(ExprId),
}

struct Builder<'p> {
    program: &'p Program,
    variable_of: &'p [Option<u32>],
    steps: Vec<Step>,
    /// Per recorded operation: its step among the operation steps, once lowered.
    op_step: Vec<Option<u32>>,
    exprs: HashMap<ExprId, Source>,
    operations: u32,
    slots: u32,
}

impl Builder<'_> {
    fn done(&self, task: Task) -> bool {
        match task {
            Task::Op(k) => self.op_step[k as usize].is_some(),
            Task::Expr(e) => self.exprs.contains_key(&e),
        }
    }

    /// An operation with the transposes in front of it looked through: the
    /// operation stored, and whether it is read transposed.
    fn stored(&self, mut k: u32) -> (u32, bool) {
        let mut t = false;
        while let MatrixOp::Transpose(a) = self.program.matrix_ops.records()[k as usize].op {
            k = a;
            t = !t;
        }
        (k, t)
    }

    fn deps(&self, task: Task, out: &mut Vec<Task>) {
        let records = self.program.matrix_ops.records();
        match task {
            Task::Expr(e) => match self.program.dag.node(e) {
                Node::Number(_) | Node::Leaf(_) => {}
                node => match self.program.matrix_ops.producer(e) {
                    Some((k, _)) => out.push(Task::Op(k)),
                    None => out.extend(node.children().map(Task::Expr)),
                },
            },
            Task::Op(k) => {
                let record = &records[k as usize];
                let operand = |o: Operand| match o {
                    Operand::Op(k) => Task::Op(k),
                    Operand::Scalar(e) => Task::Expr(e),
                };
                match &record.op {
                    MatrixOp::Leaves { .. } => {}
                    MatrixOp::Entries => {
                        out.extend(record.out.entries.iter().map(|&e| Task::Expr(e)))
                    }
                    MatrixOp::Product(a, b) => {
                        out.push(Task::Op(self.stored(*a).0));
                        out.push(Task::Op(self.stored(*b).0));
                    }
                    MatrixOp::Transpose(a) | MatrixOp::Neg(a) | MatrixOp::Call(_, a) => {
                        out.push(Task::Op(*a))
                    }
                    MatrixOp::Elementwise(_, a, b) => {
                        out.push(operand(*a));
                        out.push(operand(*b));
                    }
                    MatrixOp::Function(_, args) => out.extend(args.iter().map(|&a| Task::Op(a))),
                }
            }
        }
    }

    fn source(&self, e: ExprId) -> Source {
        self.exprs[&e]
    }

    fn out(&self, k: u32) -> u32 {
        self.op_step[k as usize].expect("operands are lowered first")
    }

    fn finish(&mut self, task: Task) {
        let dag = &self.program.dag;
        match task {
            Task::Expr(e) => {
                let source = match dag.node(e) {
                    Node::Number(n) => Source::Const(n.to_f64()),
                    Node::Leaf(l) => Source::Leaf(l),
                    node => match self.program.matrix_ops.producer(e) {
                        Some((k, entry)) => Source::Out(self.out(k), entry),
                        None => {
                            let mut children = node.children().map(|c| self.source(c));
                            let operands = [children.next(), children.next()];
                            let exponent = match node {
                                Node::Pow(_, b) => integer_exponent(dag, b),
                                _ => None,
                            };
                            self.steps.push(Step::Scalar {
                                node,
                                operands,
                                exponent,
                            });
                            self.slots += 1;
                            Source::Slot(self.slots - 1)
                        }
                    },
                };
                self.exprs.insert(e, source);
            }
            Task::Op(k) => {
                let lowering = self.lower(k);
                self.steps.push(Step::Operation(lowering));
                self.op_step[k as usize] = Some(self.operations);
                self.operations += 1;
            }
        }
    }

    fn lower(&self, k: u32) -> Lowering {
        let records = self.program.matrix_ops.records();
        let record = &records[k as usize];
        let scalar = |o: Operand| match o {
            Operand::Scalar(e) => Some(self.source(e)),
            Operand::Op(_) => None,
        };
        match &record.op {
            MatrixOp::Leaves { first } => {
                let len = record.out.entries.len();
                let of = &self.variable_of[*first as usize..*first as usize + len];
                let run = match of[0] {
                    Some(k) if of.iter().zip(k..).all(|(v, j)| *v == Some(j)) => {
                        LeafRun::Variables(k)
                    }
                    None if of.iter().all(Option::is_none) => LeafRun::Constants,
                    _ => LeafRun::Mixed,
                };
                Lowering::Leaves {
                    first: *first,
                    len: len as u32,
                    run,
                }
            }
            MatrixOp::Entries => {
                Lowering::Gather(record.out.entries.iter().map(|&e| self.source(e)).collect())
            }
            MatrixOp::Product(a, b) => {
                let ((a, a_t), (b, b_t)) = (self.stored(*a), self.stored(*b));
                let logical = |k: u32, t: bool| {
                    let s = records[k as usize].out.shape;
                    if t {
                        (s.cols, s.rows)
                    } else {
                        (s.rows, s.cols)
                    }
                };
                let ((m, n), (_, p)) = (logical(a, a_t), logical(b, b_t));
                Lowering::Product {
                    a: self.out(a),
                    a_t,
                    b: self.out(b),
                    b_t,
                    m,
                    n,
                    p,
                }
            }
            MatrixOp::Transpose(a) => {
                let Shape { rows, cols } = records[*a as usize].out.shape;
                let at = self.out(*a);
                if rows == 1 || cols == 1 {
                    Lowering::Alias(at)
                } else {
                    // Entry (i, j) of the transpose (cols × rows) is entry (j, i).
                    let sources = (0..cols)
                        .flat_map(|i| {
                            (0..rows).map(move |j| Source::Out(at, (j * cols + i) as u32))
                        })
                        .collect();
                    Lowering::Gather(sources)
                }
            }
            MatrixOp::Neg(a) => Lowering::Neg(self.out(*a)),
            MatrixOp::Call(f, a) => Lowering::Call(*f, self.out(*a)),
            MatrixOp::Elementwise(op, a, b) => match (*a, *b) {
                (Operand::Op(a), Operand::Op(b)) => Lowering::Zip(*op, self.out(a), self.out(b)),
                (s, Operand::Op(b)) => {
                    Lowering::Left(*op, scalar(s).expect("a scalar operand"), self.out(b))
                }
                (Operand::Op(a), s) => {
                    let exponent = match (op, s) {
                        (BinaryOp::Pow, Operand::Scalar(e)) => {
                            integer_exponent(&self.program.dag, e)
                        }
                        _ => None,
                    };
                    Lowering::Right(
                        *op,
                        self.out(a),
                        scalar(s).expect("a scalar operand"),
                        exponent,
                    )
                }
                // Recorded only with a vector or matrix operand.
                (Operand::Scalar(_), Operand::Scalar(_)) => {
                    Lowering::Gather(record.out.entries.iter().map(|&e| self.source(e)).collect())
                }
            },
            MatrixOp::Function(f, args) => {
                Lowering::Function(*f, args.iter().map(|&a| self.out(a)).collect())
            }
        }
    }
}

impl Program {
    /// A plan for recording `of` (a scalar: a declared or defined name, or an entry)
    /// on a tape with the program's vector and matrix operations as block records,
    /// differentiated with respect to the leaves `wrt` names: inputs, parameters,
    /// entries of them (`W1[1, 2]`), or whole declared vectors and matrices (`W1`).
    /// Every other leaf is recorded as a constant.
    ///
    /// # Errors
    ///
    /// If a name is not declared or defined, `of` is a vector or matrix, or a `wrt`
    /// name is not a leaf (a constant or a defined quantity: for the adjoint of an
    /// intermediate, use [`Program::gradient`] or record with [`Program::evaluate`]).
    pub fn tape_plan(&self, of: &str, wrt: &[&str]) -> Result<TapePlan, Error> {
        let root = self.lookup(of, "the quantity")?;
        let mut variable_of = vec![None; self.leaves.len()];
        for &name in wrt {
            for leaf in self.leaves_of(name)? {
                variable_of[leaf] = Some(0);
            }
        }
        let variables: Vec<usize> = (0..self.leaves.len())
            .filter(|&l| variable_of[l].is_some())
            .collect();
        for (k, &l) in variables.iter().enumerate() {
            variable_of[l] = Some(k as u32);
        }
        let mut b = Builder {
            program: self,
            variable_of: &variable_of,
            steps: Vec::new(),
            op_step: vec![None; self.matrix_ops.records().len()],
            exprs: HashMap::new(),
            operations: 0,
            slots: 0,
        };
        // Depth-first, post-order, with an explicit stack: a task is finished once its
        // dependencies are. The dependencies are acyclic (see `matrix_ops.rs`).
        let mut stack = vec![(Task::Expr(root), false)];
        let mut deps = Vec::new();
        while let Some((task, expanded)) = stack.pop() {
            if b.done(task) {
                continue;
            }
            if expanded {
                b.finish(task);
                continue;
            }
            stack.push((task, true));
            deps.clear();
            b.deps(task, &mut deps);
            stack.extend(deps.iter().filter(|&&d| !b.done(d)).map(|&d| (d, false)));
        }
        let (output, steps) = (b.source(root), b.steps);
        let mut blocks: Vec<Range<usize>> = Vec::new();
        for &l in &variables {
            match blocks.last_mut() {
                Some(run) if run.end == l => run.end += 1,
                _ => blocks.push(l..l + 1),
            }
        }
        Ok(TapePlan {
            variables,
            variable_of,
            blocks,
            output,
            steps,
            faulty_products: false,
        })
    }

    /// The leaves a `wrt` name stands for: a leaf, or every entry of a declared vector
    /// or matrix of leaves.
    fn leaves_of(&self, name: &str) -> Result<Vec<usize>, Error> {
        let entries: Vec<ExprId> = match self.grid(name) {
            Some((_, entries)) => entries.to_vec(),
            None => vec![self.lookup(name, "the variable")?],
        };
        entries
            .iter()
            .map(|&e| match self.dag.node(e) {
                Node::Leaf(l) => Ok(l as usize),
                _ => {
                    let d = Diagnostic::unlocated(
                        ErrorKind::InvalidDerivative,
                        format!(
                            "`{name}` is not an input or a parameter: the tape's gradient is \
                             taken with respect to declared inputs and parameters"
                        ),
                    )
                    .with_hint(
                        "for the adjoint of an intermediate quantity, use the symbolic gradient",
                    );
                    Err(Error::new(vec![d], self.file.clone()))
                }
            })
            .collect()
    }

    /// `∂of/∂wrt` for every entry of `wrt` (a declared vector, matrix or scalar: an
    /// input or a parameter), at the file's values, evaluated on the tape with the
    /// program's vector and matrix operations as block records ([`Program::tape_plan`]):
    /// the numbers [`Program::gradient`] gives symbolically, without building a
    /// derivative expression per entry. Returns `wrt`'s shape and the derivatives,
    /// row-major.
    ///
    /// ```
    /// use gradproof::expr::parse;
    ///
    /// let program = parse("\
    /// input x: 2 = [1, -2]
    /// param W: 2x2 = [[0.5, 0.25], [-1, 2]]
    /// loss L = 1/2 * dot(W * x, W * x)
    /// ")?;
    /// let (shape, g) = program.gradient_values("L", "W")?;
    /// // ∂L/∂W = (W x) xᵀ, with W x = (0, -5).
    /// assert_eq!((shape.rows, shape.cols), (2, 2));
    /// assert_eq!(g, [0.0, 0.0, -5.0, 10.0]);
    /// # Ok::<(), gradproof::expr::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Program::tape_plan`].
    pub fn gradient_values(&self, of: &str, wrt: &str) -> Result<(Shape, Vec<f64>), Error> {
        let shape = self.grid(wrt).map_or(Shape::SCALAR, |(s, _)| s);
        let leaves = self.leaves_of(wrt)?;
        let plan = self.tape_plan(of, &[wrt])?;
        let (_, gradient) = plan.gradient(&self.leaf_values());
        // The plan's variables are in leaf order; `wrt`'s entries in its own.
        let at: HashMap<usize, usize> = plan
            .variables()
            .iter()
            .enumerate()
            .map(|(k, &l)| (l, k))
            .collect();
        Ok((shape, leaves.iter().map(|l| gradient[at[l]]).collect()))
    }
}

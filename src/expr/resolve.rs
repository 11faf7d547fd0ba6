//! Name resolution: statements to a [`Program`].
//!
//! `for` templates are expanded into instances first, so every name a file defines is
//! known before any is resolved; then the instances are resolved in source order, each
//! expression by a loop over its postfix items (a `sum` loops back over its body's
//! run). A name must be defined on an earlier line: a later definition is reported as
//! use before definition, or as a cycle when the later definition leads back.
//!
//! One idea per file: this one drives resolution and resolves expressions;
//! `resolve_templates.rs` expands templates and fills names' holes,
//! `resolve_names.rs` looks names up (and explains the ones that fail),
//! `resolve_shaped.rs` handles declared vectors and matrices, and
//! `resolve_literal.rs` literals in expressions.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::ast::{DeclKind, Expr, Item, Statement, StatementKind};
use super::dag::{ExprId, Node, MAX_NODES};
use super::error::{Diagnostic, Error, ErrorKind};
use super::grid::Grid;
use super::lexer::Name;
use super::parser::evaluate_range;
use super::program::{Claim, Program, Symbol};
use super::shape_ops::{self, Val};
use super::span::{Source, Span};

#[path = "resolve_shaped.rs"]
mod shaped;

#[path = "resolve_literal.rs"]
mod literal;

#[path = "resolve_names.rs"]
mod lookup;

#[path = "resolve_templates.rs"]
mod templates;

use templates::{claim_text, interpolate, with_bindings};

/// The most entries one vector or matrix may have (`param W: 100000x100000` is an
/// error, not an attempt to allocate ten billion leaves).
pub const MAX_ENTRIES: usize = 250_000;

/// The most statements `for` templates may expand to.
pub const MAX_INSTANCES: usize = 100_000;

/// The most summands all `sum`s of a file may expand to together.
pub const MAX_SUMMANDS: usize = 100_000;

/// The most errors reported at once (later ones are usually consequences).
const MAX_ERRORS: usize = 20;

/// One expansion of a statement: the statement and its index values.
struct Instance<'a> {
    statement: &'a Statement,
    env: Vec<(String, i64)>,
}

/// A value on the evaluation stack: its node (or a vector's or matrix's nodes), and
/// what it names if it is a bare name or an entry of one (for `grad`'s and `next`'s
/// variable).
#[derive(Clone)]
struct Value {
    val: Val,
    symbol: Option<Symbol>,
    span: Span,
}

/// `Err(None)`: failed because of an error already reported (a name whose definition
/// failed), so nothing more is said.
type Resolved<T> = Result<T, Option<Diagnostic>>;

pub(crate) fn resolve(
    source: &Source,
    file: Option<String>,
    statements: &[Statement],
) -> Result<Program, Error> {
    let mut r = Resolver {
        source,
        program: Program {
            source: source.text.to_string(),
            file: file.clone(),
            dag: Default::default(),
            leaves: Vec::new(),
            definitions: Vec::new(),
            claims: Vec::new(),
            loss: None,
            symbols: HashMap::new(),
            names: HashMap::new(),
            derivatives: HashMap::new(),
            shaped: Vec::new(),
            matrix_ops: Default::default(),
        },
        declared: HashMap::new(),
        shaped_kinds: Vec::new(),
        poisoned: HashSet::new(),
        errors: Vec::new(),
        summands: 0,
        loss_declared: None,
    };
    let instances = r.expand(statements);
    r.declare(&instances);
    for (i, instance) in instances.iter().enumerate() {
        if r.errors.len() >= MAX_ERRORS {
            break;
        }
        r.instance(i, instance, &instances);
        if r.program.dag.len() > MAX_NODES {
            let d = r
                .diagnostic(
                    ErrorKind::TooLarge,
                    instance.statement.span,
                    format!("the program grows beyond {MAX_NODES} expression nodes here"),
                )
                .with_hint("use fewer or smaller templates, sums and derivatives");
            r.errors.push(with_bindings(d, &instance.env));
            break;
        }
    }
    if r.errors.is_empty() {
        Ok(r.program)
    } else {
        Err(Error::new(r.errors, file))
    }
}

struct Resolver<'s> {
    source: &'s Source<'s>,
    program: Program,
    /// Every name the file declares or defines: the instance that does, and where.
    declared: HashMap<String, (usize, Span)>,
    /// For each of `program.shaped`: what declared it (`None`: a definition).
    shaped_kinds: Vec<Option<DeclKind>>,
    /// Names whose definition failed: uses of them say nothing more.
    poisoned: HashSet<String>,
    errors: Vec<Diagnostic>,
    summands: usize,
    /// Where the first `loss` is declared (to say so when it is used too early).
    loss_declared: Option<Span>,
}

impl Resolver<'_> {
    fn diagnostic(&self, kind: ErrorKind, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.source, kind, span, message)
    }

    fn line(&self, span: Span) -> usize {
        self.source.position(span.start).line
    }

    /// Records every declared or defined name; reports duplicates.
    fn declare(&mut self, instances: &[Instance]) {
        for (i, instance) in instances.iter().enumerate() {
            let name = match &instance.statement.kind {
                StatementKind::Declare { name, .. } => name,
                StatementKind::Define { name, loss, .. } => {
                    if *loss && self.loss_declared.is_none() {
                        self.loss_declared = Some(name.span);
                    }
                    name
                }
                StatementKind::Claim { .. } => continue,
            };
            let Ok(text) = interpolate(name, &instance.env, self.source).map(Cow::into_owned)
            else {
                // Reported when the instance is resolved.
                continue;
            };
            match self.declared.get(&text) {
                Some(&(_, first)) => {
                    let line = self.line(first);
                    let d = self
                        .diagnostic(
                            ErrorKind::DuplicateDefinition,
                            name.span,
                            format!("`{text}` is already defined on line {line}"),
                        )
                        .with_hint("a name is defined once; rename one of them");
                    self.errors.push(with_bindings(d, &instance.env));
                }
                None => {
                    self.declared.insert(text, (i, name.span));
                }
            }
        }
    }

    fn instance(&mut self, index: usize, instance: &Instance, all: &[Instance]) {
        let env = &instance.env;
        let result: Resolved<()> = match &instance.statement.kind {
            StatementKind::Declare {
                kind,
                name,
                shape,
                value,
            } => self.declaration(index, *kind, name, *shape, value, env),
            StatementKind::Define { name, expr, loss } => {
                self.definition(index, name, expr, *loss, env, all)
            }
            StatementKind::Claim { lhs, rhs } => self.claim(index, instance, lhs, rhs, all),
        };
        if let Err(Some(d)) = result {
            self.errors.push(with_bindings(d, env));
        }
    }

    /// Whether this instance is the one that defines `text` (duplicates are not).
    fn owns(&self, index: usize, text: &str) -> bool {
        self.declared.get(text).is_some_and(|&(i, _)| i == index)
    }

    fn definition(
        &mut self,
        index: usize,
        name: &Name,
        expr: &Expr,
        loss: bool,
        env: &[(String, i64)],
        all: &[Instance],
    ) -> Resolved<()> {
        let text = interpolate(name, env, self.source)?.into_owned();
        if !self.owns(index, &text) {
            return Ok(());
        }
        let value = match self.expression(expr, env, index, Some(&text), all) {
            Ok(v) => v,
            Err(e) => {
                self.poisoned.insert(text);
                return Err(e);
            }
        };
        if loss && value.val.scalar().is_none() {
            let shape = value.val.shape();
            self.poisoned.insert(text);
            return Err(Some(
                self.diagnostic(
                    ErrorKind::ShapeMismatch,
                    expr.span,
                    format!(
                        "a loss is a scalar, and this is {}",
                        shape_ops::describe(shape)
                    ),
                )
                .with_hint("sum its entries with `sum(...)`, or take a norm `norm(...)^2`"),
            ));
        }
        let value = Value {
            val: value.val.scalar().map_or(value.val, Val::Scalar),
            ..value
        };
        if loss {
            if let Some(first) = self.program.loss {
                let line = self.program.definitions[first].line;
                self.poisoned.insert(text);
                return Err(Some(
                    self.diagnostic(
                        ErrorKind::DuplicateDefinition,
                        name.span,
                        format!(
                            "a file has one loss; `{}` on line {line} is already it",
                            self.program.definitions[first].name
                        ),
                    )
                    .with_hint("define this as a plain definition, or add it into the one loss"),
                ));
            }
            self.program.loss = Some(self.program.definitions.len());
        }
        let line = self.line(name.span);
        let id = match value.val {
            Val::Scalar(id) => id,
            Val::Grid(grid) => {
                self.shaped_definition(text, grid, line);
                return Ok(());
            }
        };
        self.define(text, id, line, loss);
        Ok(())
    }

    fn claim(
        &mut self,
        index: usize,
        instance: &Instance,
        lhs: &Expr,
        rhs: &Expr,
        all: &[Instance],
    ) -> Resolved<()> {
        let env = &instance.env;
        let left = self.expression(lhs, env, index, None, all)?;
        let right = self.expression(rhs, env, index, None, all)?;
        let text = claim_text(self.source.text, lhs, rhs, env);
        let (shape, grids) = match (left.val.scalar(), right.val.scalar()) {
            (Some(l), Some(r)) => (None, [Grid::scalar(l), Grid::scalar(r)]),
            _ => {
                let (sl, sr) = (left.val.shape(), right.val.shape());
                if sl != sr {
                    return Err(Some(self.claim_shapes(sl, sr, lhs.span.to(rhs.span))));
                }
                (Some(sl), [left.val.into_grid(), right.val.into_grid()])
            }
        };
        self.program.claims.push(Claim {
            line: self.line(lhs.span),
            text,
            bindings: env.clone(),
            lhs: grids[0].entries[0],
            rhs: grids[1].entries[0],
            shape,
            grids: shape.map(|_| Box::new(grids)),
        });
        Ok(())
    }

    /// Resolves an expression into the DAG: one loop over its postfix items, with a
    /// value stack and a stack of open sums.
    fn expression(
        &mut self,
        expr: &Expr,
        env: &[(String, i64)],
        index: usize,
        defining: Option<&str>,
        all: &[Instance],
    ) -> Resolved<Value> {
        struct Loop {
            value: i64,
            hi: i64,
            body_start: usize,
            total: Option<Val>,
        }
        let mut env: Vec<(String, i64)> = env.to_vec();
        let mut stack: Vec<Value> = Vec::new();
        let mut loops: Vec<Loop> = Vec::new();
        let mut pc = 0;
        let pop = |stack: &mut Vec<Value>| stack.pop().ok_or(None::<Diagnostic>);
        while let Some(item) = expr.items.get(pc) {
            pc += 1;
            let pending = self.operation_before(item, &stack);
            let dag = &mut self.program.dag;
            let value = match item {
                Item::Number(n, span) => scalar(dag.number(*n), *span),
                Item::Pi(span) => scalar(dag.insert(Node::Pi), *span),
                Item::Name(name) => self.name(name, &env, index, defining, all)?,
                Item::Neg(span) => {
                    let a = pop(&mut stack)?;
                    let span = span.to(a.span);
                    let val = shape_ops::neg(dag, &a.val);
                    self.shaped(val, span)?
                }
                Item::Binary(op, at) => {
                    let b = pop(&mut stack)?;
                    let a = pop(&mut stack)?;
                    // A shape error points at the operator; the value spans both sides.
                    match shape_ops::binary(dag, *op, &a.val, &b.val) {
                        Ok(val) => Value {
                            val,
                            symbol: None,
                            span: a.span.to(b.span),
                        },
                        Err(e) => {
                            let text = |v: &Value| {
                                self.source.text.get(v.span.start..v.span.end).unwrap_or("")
                            };
                            let e = e.with_operands(text(&a), text(&b));
                            return Err(Some(self.shape_error(e, *at)));
                        }
                    }
                }
                Item::Call(f, span) => {
                    let a = pop(&mut stack)?;
                    let val = shape_ops::call(dag, *f, &a.val);
                    self.shaped(val, *span)?
                }
                Item::Transpose(span) => {
                    let a = pop(&mut stack)?;
                    Value {
                        val: shape_ops::transpose(&a.val),
                        symbol: None,
                        span: a.span.to(*span),
                    }
                }
                Item::Shaped(f, span) => {
                    let at = stack.len().checked_sub(f.arity()).ok_or(None)?;
                    let args: Vec<Val> = stack.drain(at..).map(|v| v.val).collect();
                    let val = shape_ops::shaped_fn(dag, *f, &args);
                    self.shaped(val, *span)?
                }
                Item::Vector(count, span) | Item::Matrix(count, span) => {
                    let at = stack.len().checked_sub(*count).ok_or(None)?;
                    let parts: Vec<Value> = stack.drain(at..).collect();
                    if matches!(item, Item::Vector(..)) {
                        self.vector_literal(parts, *span)?
                    } else {
                        self.matrix_literal(parts, *span)?
                    }
                }
                Item::Index(count, span) => {
                    let at = stack.len().checked_sub(*count).ok_or(None)?;
                    let indices: Vec<Value> = stack.drain(at..).collect();
                    let base = pop(&mut stack)?;
                    self.entry(base, &indices, *span)?
                }
                Item::Grad(span) => {
                    let x = pop(&mut stack)?;
                    let f = pop(&mut stack)?;
                    Value {
                        val: self.grad(&f, &x)?,
                        symbol: None,
                        span: *span,
                    }
                }
                Item::Next(span) => {
                    let w = pop(&mut stack)?;
                    Value {
                        val: self.next(&w, *span)?,
                        symbol: None,
                        span: *span,
                    }
                }
                Item::SumStart {
                    index: k,
                    lo,
                    hi,
                    span,
                } => {
                    if env.iter().any(|(name, _)| name == k) {
                        return Err(Some(
                            self.diagnostic(
                                ErrorKind::DuplicateDefinition,
                                *span,
                                format!("the index `{k}` is already bound here"),
                            )
                            .with_hint("give the sum's index another name"),
                        ));
                    }
                    let (lo, hi) = evaluate_range(lo, hi, &env, self.source)?;
                    env.push((k.clone(), lo));
                    loops.push(Loop {
                        value: lo,
                        hi,
                        body_start: pc,
                        total: None,
                    });
                    continue;
                }
                Item::SumEnd(span) => {
                    let body = pop(&mut stack)?;
                    self.summands += 1;
                    if self.summands > MAX_SUMMANDS {
                        return Err(Some(
                            self.diagnostic(
                                ErrorKind::TooLarge,
                                *span,
                                format!("sums expand to more than {MAX_SUMMANDS} terms"),
                            )
                            .with_hint("use smaller index ranges"),
                        ));
                    }
                    let Some(current) = loops.last_mut() else {
                        return Err(None);
                    };
                    let total = match current.total.take() {
                        None => Ok(body.val),
                        Some(t) => shape_ops::binary(
                            &mut self.program.dag,
                            super::ast::BinaryOp::Add,
                            &t,
                            &body.val,
                        ),
                    };
                    let total = match total {
                        Ok(t) => t,
                        Err(e) => return Err(Some(self.shape_error(e, body.span))),
                    };
                    let Some(current) = loops.last_mut() else {
                        return Err(None);
                    };
                    current.total = Some(total);
                    if current.value < current.hi {
                        current.value += 1;
                        if let Some(last) = env.last_mut() {
                            last.1 = current.value;
                        }
                        pc = current.body_start;
                        continue;
                    }
                    // Set just above.
                    let total = current.total.take().ok_or(None)?;
                    loops.pop();
                    env.pop();
                    Value {
                        val: total,
                        symbol: None,
                        span: *span,
                    }
                }
            };
            self.operation_after(pending, &value);
            stack.push(value);
        }
        pop(&mut stack)
    }

    /// The name a symbol was declared or defined with.
    fn symbol_name(&self, symbol: Symbol) -> &str {
        match symbol {
            Symbol::Leaf(i) => &self.program.leaves[i].name,
            Symbol::Definition(i) => &self.program.definitions[i].name,
            Symbol::Shaped(i) => &self.program.shaped[i].0,
        }
    }

    fn declared_loss_line(&self) -> Option<usize> {
        self.loss_declared.map(|span| self.line(span))
    }
}

fn scalar(id: ExprId, span: Span) -> Value {
    Value {
        val: Val::Scalar(id),
        symbol: None,
        span,
    }
}

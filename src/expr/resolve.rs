//! Name resolution: statements to a [`Program`].
//!
//! `for` templates are expanded into instances first, so every name a file defines is
//! known before any is resolved; then the instances are resolved in source order, each
//! expression by a loop over its postfix items (a `sum` loops back over its body's
//! run). A name must be defined on an earlier line: a later definition is reported as
//! use before definition, or as a cycle when the later definition leads back.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};

use super::ast::{Binding, DeclKind, Expr, Item, Statement, StatementKind};
use super::dag::{ExprId, MAX_NODES};
use super::error::{closest, Diagnostic, Error, ErrorKind};
use super::grid::Grid;
use super::lexer::{Name, NamePart};
use super::program::{Claim, Program, Symbol};
use super::shape_ops::{self, Val};
use super::span::{Source, Span};

#[path = "resolve_shaped.rs"]
mod shaped;

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

    /// Every statement's instances, in source order (a template's in odometer order,
    /// last index fastest).
    fn expand<'a>(&mut self, statements: &'a [Statement]) -> Vec<Instance<'a>> {
        let mut instances = Vec::new();
        // Statements made by templates: the limit is on expansion, not on the file's
        // own statements (those are bounded by its size).
        let mut expanded = 0usize;
        for statement in statements {
            let count = statement.bindings.iter().try_fold(1usize, |acc, b| {
                acc.checked_mul(usize::try_from(b.hi - b.lo + 1).unwrap_or(usize::MAX))
            });
            if statement.bindings.is_empty() {
                instances.push(Instance {
                    statement,
                    env: Vec::new(),
                });
                continue;
            }
            expanded = expanded.saturating_add(count.unwrap_or(usize::MAX));
            if expanded > MAX_INSTANCES {
                let span = statement.bindings.iter().map(|b| b.span).reduce(Span::to);
                let d = self
                    .diagnostic(
                        ErrorKind::TooLarge,
                        span.unwrap_or(statement.span),
                        format!("templates expand to more than {MAX_INSTANCES} statements"),
                    )
                    .with_hint("use smaller index ranges");
                self.errors.push(d);
                continue;
            }
            odometer(&statement.bindings, |env| {
                instances.push(Instance {
                    statement,
                    env: env.to_vec(),
                })
            });
        }
        instances
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
                    env.push((k.clone(), *lo));
                    loops.push(Loop {
                        value: *lo,
                        hi: *hi,
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

    /// A name in an expression: a bound index (its value), or a resolved quantity.
    fn name(
        &mut self,
        name: &Name,
        env: &[(String, i64)],
        index: usize,
        defining: Option<&str>,
        all: &[Instance],
    ) -> Resolved<Value> {
        let text = interpolate(name, env, self.source)?;
        let text: &str = &text;
        // `{i}` alone (or `{i}{j}`) interpolates to digits: the number they spell.
        if text.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = text.parse::<i128>() {
                let id = self.program.dag.integer(n);
                return Ok(scalar(id, name.span));
            }
        }
        if let Some(&(_, value)) = env.iter().rev().find(|(k, _)| *k == text) {
            if name.plain().is_some() {
                let id = self.program.dag.integer(value.into());
                return Ok(scalar(id, name.span));
            }
        }
        if let Some(&symbol) = self.program.symbols.get(text) {
            let val = match symbol {
                Symbol::Leaf(i) => Val::Scalar(self.program.leaves[i].expr),
                Symbol::Definition(i) => Val::Scalar(self.program.definitions[i].expr),
                Symbol::Shaped(i) => Val::Grid(self.program.shaped[i].1.clone()),
            };
            return Ok(Value {
                val,
                symbol: Some(symbol),
                span: name.span,
            });
        }
        if self.poisoned.contains(text) {
            return Err(None);
        }
        let interpolated = match name.plain() {
            Some(_) => String::new(),
            None => format!(" (`{}` with {})", name.written(), describe_env(env)),
        };
        if let Some(&(definer, span)) = self.declared.get(text) {
            if let Some(current) = defining {
                if let Some(path) = self.cycle(current, text, all) {
                    return Err(Some(
                        self.diagnostic(
                            ErrorKind::Cycle,
                            name.span,
                            format!("`{current}` depends on itself: {}", path.join(" → ")),
                        )
                        .with_hint("a quantity cannot be computed from itself; break the circle"),
                    ));
                }
            }
            let line = self.line(span);
            let here = self.line(name.span);
            debug_assert!(definer >= index, "earlier definitions are resolved");
            return Err(Some(
                self.diagnostic(
                    ErrorKind::UseBeforeDefinition,
                    name.span,
                    format!("`{text}`{interpolated} is used before its definition on line {line}"),
                )
                .with_hint(format!("move the definition of `{text}` above line {here}")),
            ));
        }
        let mut d = self.diagnostic(
            ErrorKind::UnknownName,
            name.span,
            format!("unknown name `{text}`{interpolated}"),
        );
        let mut indexed: Vec<&str> = self
            .declared
            .keys()
            .map(String::as_str)
            .filter(|k| {
                k.len() > text.len()
                    && k.starts_with(text)
                    && k[text.len()..].bytes().all(|b| b.is_ascii_digit())
            })
            .collect();
        indexed.sort_unstable();
        indexed.truncate(4);
        let known = self.declared.keys().map(String::as_str);
        d = if !indexed.is_empty() {
            d.with_hint(format!("`{text}` needs an index: {}", indexed.join(", ")))
        } else if let Some(c) = closest(text, known) {
            d.with_hint(format!("did you mean `{c}`?"))
        } else {
            d.with_hint(
                "declare it (`input NAME = NUMBER`, `param NAME = NUMBER`) or define it \
                 (`NAME = EXPR`) on a line above",
            )
        };
        Err(Some(d))
    }

    /// The path `current → used → ... → current` if the definition of `used` leads
    /// back to `current`; a breadth-first search over later definitions' references.
    fn cycle(&self, current: &str, used: &str, all: &[Instance]) -> Option<Vec<String>> {
        let mut parent: HashMap<String, String> = HashMap::new();
        let mut queue = VecDeque::from([used.to_string()]);
        parent.insert(used.to_string(), current.to_string());
        while let Some(name) = queue.pop_front() {
            if name == current {
                return Some(cycle_path(current, used, &parent));
            }
            // Only definitions not yet resolved can close a cycle.
            if self.program.symbols.contains_key(&name) {
                continue;
            }
            let Some(&(definer, _)) = self.declared.get(&name) else {
                continue;
            };
            let instance = &all[definer];
            let StatementKind::Define { expr, .. } = &instance.statement.kind else {
                continue;
            };
            for next in references(expr, &instance.env, self.source) {
                if !parent.contains_key(&next) {
                    parent.insert(next.clone(), name.clone());
                    queue.push_back(next);
                }
            }
        }
        None
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

fn cycle_path(current: &str, used: &str, parent: &HashMap<String, String>) -> Vec<String> {
    // parent[x] is the name whose definition mentions x; walk back from `current`
    // (reached last) to `used`, then prepend `current` as the starting point.
    let mut back = vec![current.to_string()];
    let mut at = current.to_string();
    while at != used {
        match parent.get(&at) {
            Some(p) => {
                at = p.clone();
                back.push(at.clone());
            }
            None => break,
        }
    }
    back.push(current.to_string());
    back.reverse();
    back
}

fn scalar(id: ExprId, span: Span) -> Value {
    Value {
        val: Val::Scalar(id),
        symbol: None,
        span,
    }
}

/// Every binding combination, last index fastest (`i=4,j=7`, `i=4,j=8`, ...).
fn odometer(bindings: &[Binding], mut visit: impl FnMut(&[(String, i64)])) {
    let mut env: Vec<(String, i64)> = bindings.iter().map(|b| (b.index.clone(), b.lo)).collect();
    loop {
        visit(&env);
        let mut k = bindings.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            if env[k].1 < bindings[k].hi {
                env[k].1 += 1;
                break;
            }
            env[k].1 = bindings[k].lo;
        }
    }
}

/// The name with its `{i}` holes filled from `env` (innermost binding first).
fn interpolate<'n>(
    name: &'n Name,
    env: &[(String, i64)],
    source: &Source,
) -> Result<Cow<'n, str>, Diagnostic> {
    // Most names have no holes: no copy.
    if let Some(plain) = name.plain() {
        return Ok(Cow::Borrowed(plain));
    }
    let mut text = String::new();
    for part in &name.parts {
        match part {
            NamePart::Text(t) => text.push_str(t),
            NamePart::Hole(h, span) => match h.value(env) {
                Ok(Some(v)) if v >= 0 => text.push_str(&v.to_string()),
                Ok(value) => {
                    return Err(Diagnostic::new(
                        source,
                        ErrorKind::Syntax,
                        *span,
                        match value {
                            Some(v) => format!(
                                "`{{{}}}` is {v} here: a name holds whole numbers from 0",
                                h.text
                            ),
                            None => format!("`{{{}}}` overflows here", h.text),
                        },
                    )
                    .with_hint("check the index arithmetic against the ranges"))
                }
                Err(k) => {
                    return Err(Diagnostic::new(
                        source,
                        ErrorKind::UnknownIndex,
                        *span,
                        format!("no index `{k}` is bound here"),
                    )
                    .with_hint(format!(
                        "bind it with `for {k} in A..B: ...` or inside `sum({k} in A..B, ...)`"
                    )))
                }
            },
        }
    }
    Ok(Cow::Owned(text))
}

/// The names an expression refers to, sums expanded (for finding cycles).
fn references(expr: &Expr, env: &[(String, i64)], source: &Source) -> Vec<String> {
    let mut env = env.to_vec();
    let mut out = Vec::new();
    let mut loops: Vec<(i64, i64, usize)> = Vec::new();
    let mut pc = 0;
    while let Some(item) = expr.items.get(pc) {
        pc += 1;
        match item {
            Item::Name(n) => {
                if let Ok(t) = interpolate(n, &env, source) {
                    out.push(t.into_owned());
                }
            }
            Item::SumStart { index, lo, hi, .. } => {
                env.push((index.clone(), *lo));
                loops.push((*lo, *hi, pc));
            }
            Item::SumEnd(_) => {
                if let Some(l) = loops.last_mut() {
                    if l.0 < l.1 && out.len() < MAX_SUMMANDS {
                        l.0 += 1;
                        if let Some(last) = env.last_mut() {
                            last.1 = l.0;
                        }
                        pc = l.2;
                    } else {
                        loops.pop();
                        env.pop();
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn describe_env(env: &[(String, i64)]) -> String {
    env.iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_bindings(d: Diagnostic, env: &[(String, i64)]) -> Diagnostic {
    if env.is_empty() {
        d
    } else {
        d.with_note(format!("in the expansion with {}", describe_env(env)))
    }
}

/// The claim as written, with the template's indices filled into names and the text
/// put on one line (continuations and comments removed).
fn claim_text(source: &str, lhs: &Expr, rhs: &Expr, env: &[(String, i64)]) -> String {
    let span = lhs.span.to(rhs.span);
    let mut names: Vec<&Name> = Vec::new();
    for item in lhs.items.iter().chain(&rhs.items) {
        if let Item::Name(n) = item {
            // A name with holes, or a bare template index (`x[i]` reads `x[2]`).
            let index = n.plain().is_some_and(|p| env.iter().any(|(k, _)| k == p));
            if n.plain().is_none() || index {
                names.push(n);
            }
        }
    }
    names.sort_by_key(|n| n.span.start);
    let mut text = String::new();
    let mut at = span.start;
    for n in names {
        if n.span.start < at || n.span.end > span.end {
            continue;
        }
        text.push_str(&source[at..n.span.start]);
        if let Some((_, v)) = n
            .plain()
            .and_then(|p| env.iter().rev().find(|(k, _)| k == p))
        {
            text.push_str(&v.to_string());
            at = n.span.end;
            continue;
        }
        for part in &n.parts {
            match part {
                NamePart::Text(t) => text.push_str(t),
                NamePart::Hole(h, _) => match h.value(env) {
                    Ok(Some(v)) => text.push_str(&v.to_string()),
                    _ => text.push_str(&format!("{{{}}}", h.text)),
                },
            }
        }
        at = n.span.end;
    }
    text.push_str(&source[at..span.end]);
    let one_line: Vec<&str> = text
        .split(['\n', '\r'])
        .map(|l| {
            l.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches('\\')
                .trim()
        })
        .filter(|l| !l.is_empty())
        .collect();
    format!("claim {}", one_line.join(" "))
}

//! The resolver's part for vectors and matrices: shaped declarations (each entry a
//! leaf `W1[1, 2]`, or an exact constant for `data`), named shaped definitions,
//! entries `W[i, j]`, and `grad`/`next` of shaped variables.

use std::borrow::Cow;

use super::super::adjoint;
use super::super::ast::{DeclKind, DeclValue, Item, LeafKind};
use super::super::dag::{ExprId, Node, MAX_NODES};
use super::super::error::{Diagnostic, ErrorKind};
use super::super::grid::{Grid, Shape};
use super::super::lexer::Name;
use super::super::matrix_ops::Pending;
use super::super::number::{Number, Rational};
use super::super::program::{Definition, Leaf, Symbol};
use super::super::shape_ops::{self, describe, ShapeError, Val};
use super::super::span::Span;
use super::{interpolate, Resolved, Resolver, Value, MAX_ENTRIES};

/// The name of entry `(i, j)` (0-based) of `name`, as the printer writes it and the
/// parser reads it back: `W1[1, 2]`, `x[3]` for a column vector.
pub(crate) fn entry_name(name: &str, shape: Shape, i: usize, j: usize) -> String {
    if shape.cols == 1 {
        format!("{name}[{}]", i + 1)
    } else {
        format!("{name}[{}, {}]", i + 1, j + 1)
    }
}

/// The value drawn for an entry declared without one: a fixed hash (FNV-1a) of the
/// entry's name to one of the 1000 exact values `±1/2000, ±3/2000, ..., ±999/2000`
/// (in (−0.5, 0.5), never 0, so no product vanishes by accident). Deterministic: the
/// same file has the same values everywhere.
pub(crate) fn drawn_value(entry: &str) -> Number {
    let h = entry.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let k = i128::from((h >> 17) % 1000);
    Rational::new(2 * k - 999, 2000).map_or(Number::integer(0), Number::Exact)
}

impl Resolver<'_> {
    /// `input`/`param`/`data`, scalar or shaped.
    pub(super) fn declaration(
        &mut self,
        index: usize,
        kind: DeclKind,
        name: &Name,
        shape: Option<(Shape, Span)>,
        value: &DeclValue,
        env: &[(String, i64)],
    ) -> Resolved<()> {
        let text = match interpolate(name, env, self.source).map(Cow::into_owned) {
            Ok(t) => t,
            Err(d) => return Err(Some(d)),
        };
        if !self.owns(index, &text) {
            return Ok(());
        }
        let line = self.line(name.span);
        let (shape, values): (Shape, Cow<[Number]>) = match (shape, value) {
            (None, DeclValue::Number(n)) => {
                self.scalar_declaration(kind, text, *n, line);
                return Ok(());
            }
            (Some((s, span)), _) if s.len() > MAX_ENTRIES => {
                self.poisoned.insert(text);
                return Err(Some(
                    self.diagnostic(
                        ErrorKind::TooLarge,
                        span,
                        format!("a {s} declaration has {} entries, more than the {MAX_ENTRIES} a vector or matrix may have", s.rows * s.cols),
                    )
                    .with_hint("declare smaller vectors and matrices"),
                ));
            }
            (Some((s, _)), DeclValue::Drawn) => {
                let values = (0..s.len())
                    .map(|k| drawn_value(&entry_name(&text, s, k / s.cols, k % s.cols)))
                    .collect();
                (s, Cow::Owned(values))
            }
            (Some((s, _)), DeclValue::Number(n)) => (s, Cow::Owned(vec![*n; s.len()])),
            (declared, DeclValue::List(values, listed, span)) => {
                if let Some((s, at)) = declared {
                    if s != *listed {
                        self.poisoned.insert(text.clone());
                        return Err(Some(
                            self.diagnostic(
                                ErrorKind::ShapeMismatch,
                                at.to(*span),
                                format!(
                                    "`{text}` is declared {} but its values are {}",
                                    describe(s),
                                    describe(*listed)
                                ),
                            )
                            .with_hint("a vector's values are `[1, 2, 3]`, a matrix's rows `[[1, 2], [3, 4]]`"),
                        ));
                    }
                }
                (*listed, Cow::Borrowed(values.as_slice()))
            }
            (None, DeclValue::Drawn) => return Err(None),
        };
        // Refused before any leaf is made: a file of many large declarations stops
        // at the node limit without first allocating every name.
        if self.program.dag.len().saturating_add(values.len()) > MAX_NODES {
            self.poisoned.insert(text);
            return Err(Some(
                self.diagnostic(
                    ErrorKind::TooLarge,
                    name.span,
                    format!("the program grows beyond {MAX_NODES} expression nodes here"),
                )
                .with_hint("declare smaller vectors and matrices"),
            ));
        }
        let mut entries = Vec::with_capacity(values.len());
        for (k, &v) in values.iter().enumerate() {
            let entry = entry_name(&text, shape, k / shape.cols, k % shape.cols);
            let id = match kind {
                DeclKind::Data => self.program.dag.number(v),
                DeclKind::Leaf(kind) => self.new_leaf(kind, entry, v, line),
            };
            entries.push(id);
        }
        let grid = Grid { shape, entries };
        self.add_shaped(text, grid, Some(kind));
        Ok(())
    }

    fn scalar_declaration(&mut self, kind: DeclKind, text: String, value: Number, line: usize) {
        match kind {
            DeclKind::Leaf(kind) => {
                let leaf = self.program.leaves.len();
                self.new_leaf(kind, text.clone(), value, line);
                self.program.symbols.insert(text, Symbol::Leaf(leaf));
            }
            // A constant with a name: a definition whose node is a number (so it is
            // never varied, and prints as its value).
            DeclKind::Data => {
                let id = self.program.dag.number(value);
                self.define(text, id, line, false);
            }
        }
    }

    /// A new leaf named `entry` (an entry's name is also a symbol, for lookups by
    /// name such as `Program::derivative("L", "W1[1, 2]")`).
    fn new_leaf(&mut self, kind: LeafKind, entry: String, value: Number, line: usize) -> ExprId {
        let leaf = self.program.leaves.len();
        let expr = self.program.dag.insert(Node::Leaf(leaf as u32));
        self.program.leaves.push(Leaf {
            name: entry.clone(),
            kind,
            value,
            line,
            expr,
        });
        self.program.names.entry(expr).or_insert(entry.clone());
        self.program.symbols.insert(entry, Symbol::Leaf(leaf));
        expr
    }

    /// Records a scalar definition `text = id`.
    pub(super) fn define(&mut self, text: String, id: ExprId, line: usize, loss: bool) {
        let definition = self.program.definitions.len();
        self.program.definitions.push(Definition {
            name: text.clone(),
            expr: id,
            line,
            is_loss: loss,
        });
        // Constants are never named (every `2` would print as the name), and a first
        // name is never replaced (an alias `z = x1` does not rename `x1`).
        if !matches!(self.program.dag.node(id), Node::Number(_)) {
            self.program.names.entry(id).or_insert(text.clone());
        }
        self.program
            .symbols
            .insert(text, Symbol::Definition(definition));
    }

    /// `z1 = W1 * x + b1`: every entry a definition `z1[i]`, the whole a shaped name.
    pub(super) fn shaped_definition(&mut self, text: String, grid: Grid, line: usize) {
        let shape = grid.shape;
        for (k, &id) in grid.entries.iter().enumerate() {
            let entry = entry_name(&text, shape, k / shape.cols, k % shape.cols);
            self.define(entry, id, line, false);
        }
        self.add_shaped(text, grid, None);
    }

    fn add_shaped(&mut self, text: String, grid: Grid, kind: Option<DeclKind>) {
        if let Some(DeclKind::Leaf(_)) = kind {
            self.program.matrix_ops.declared(&grid, &self.program.dag);
        }
        let k = self.program.shaped.len();
        self.program.shaped.push((text.clone(), grid));
        self.shaped_kinds.push(kind);
        self.program.symbols.insert(text, Symbol::Shaped(k));
    }

    /// Before `item` runs on `stack`: its operands, if it is an operation on vectors
    /// or matrices (recorded, with its result, by [`Resolver::operation_after`]).
    pub(super) fn operation_before(&mut self, item: &Item, stack: &[Value]) -> Option<Pending> {
        if !matches!(
            item,
            Item::Neg(_)
                | Item::Binary(..)
                | Item::Call(..)
                | Item::Transpose(_)
                | Item::Shaped(..)
        ) {
            return None;
        }
        // No operation takes more than two operands; a scalar program (every value on
        // top a scalar) records nothing and allocates nothing here.
        let top = &stack[stack.len().saturating_sub(2)..];
        if top.iter().all(|v| v.val.scalar().is_some()) {
            return None;
        }
        let vals: Vec<&Val> = top.iter().map(|v| &v.val).collect();
        self.program
            .matrix_ops
            .before(item, &vals, &self.program.dag)
    }

    /// Records the operation `pending` describes, with its result `value`.
    pub(super) fn operation_after(&mut self, pending: Option<Pending>, value: &Value) {
        if let Some(pending) = pending {
            self.program.matrix_ops.after(pending, &value.val);
        }
    }

    /// The result of a shape operation as a value at `span`, or its error there.
    pub(super) fn shaped(&self, val: Result<Val, ShapeError>, span: Span) -> Resolved<Value> {
        match val {
            Ok(val) => Ok(Value {
                val,
                symbol: None,
                span,
            }),
            Err(e) => Err(Some(self.shape_error(e, span))),
        }
    }

    pub(super) fn shape_error(&self, e: ShapeError, span: Span) -> Diagnostic {
        // Operands not named by the caller read as A and B.
        let e = e.with_operands("A", "B");
        let d = self.diagnostic(e.kind, span, e.message);
        match e.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }

    /// Two sides of a claim whose shapes differ.
    pub(super) fn claim_shapes(&self, left: Shape, right: Shape, span: Span) -> Diagnostic {
        let d = self.diagnostic(
            ErrorKind::ShapeMismatch,
            span,
            format!(
                "shape mismatch between the sides of the claim (`=`): the left side is {} \
                 and the right side is {}",
                describe(left),
                describe(right)
            ),
        );
        if left.rows == right.cols && left.cols == right.rows {
            d.with_hint("the shapes are each other's transpose: a transpose (`^T`) may be missing")
        } else {
            d
        }
    }

    /// `A[i]`, `A[i, j]`: the indices must be whole numbers (from template indices and
    /// constants) inside `A`'s shape.
    pub(super) fn entry(&self, base: Value, indices: &[Value], span: Span) -> Resolved<Value> {
        let mut values = Vec::with_capacity(indices.len());
        for index in indices {
            let whole = index
                .val
                .scalar()
                .and_then(|id| self.program.dag.constant(id))
                .and_then(|n| n.exact())
                .filter(|r| r.is_integer())
                .and_then(|r| r.to_i64());
            match whole {
                Some(v) => values.push(v),
                None => {
                    return Err(Some(
                        self.diagnostic(
                            ErrorKind::Syntax,
                            index.span,
                            "an index must be a whole number (a number, a template index, or arithmetic on them)",
                        )
                        .with_hint("write x[i] inside `for i in 1..3:`, or x[2]"),
                    ))
                }
            }
        }
        // The base as written (`x`, `(W * x)`), for the errors.
        let what = self
            .source
            .text
            .get(base.span.start..base.span.end)
            .unwrap_or("the value");
        match shape_ops::entry(&base.val, &values, what) {
            Ok(id) => Ok(Value {
                val: Val::Scalar(id),
                symbol: base.symbol,
                span: base.span.to(span),
            }),
            Err(e) => Err(Some(self.shape_error(e, base.span.to(span)))),
        }
    }

    /// `grad(F, X)`: `F` a scalar; `X` a name (or an entry of one). For a shaped `X`,
    /// the grid of `∂F/∂X_ij`, of `X`'s shape.
    pub(super) fn grad(&mut self, f: &Value, x: &Value) -> Resolved<Val> {
        let Some(symbol) = x.symbol else {
            return Err(Some(
                self.diagnostic(
                    ErrorKind::InvalidDerivative,
                    x.span,
                    "grad(F, X) differentiates with respect to a declared or defined name, not an index",
                ),
            ));
        };
        let Some(of) = f.val.scalar() else {
            return Err(Some(
                self.diagnostic(
                    ErrorKind::ShapeMismatch,
                    f.span,
                    format!(
                        "grad(F, X) differentiates a scalar F, and this F is {}",
                        describe(f.val.shape())
                    ),
                )
                .with_hint("differentiate one entry, `grad(F[i], X)`, or a scalar made from F (`sum(F)`, `norm(F)`)"),
            ));
        };
        if x.val.entries().iter().any(|&e| self.program.is_constant(e)) {
            let name = self.symbol_name(symbol);
            return Err(Some(
                self.diagnostic(
                    ErrorKind::InvalidDerivative,
                    x.span,
                    format!("`{name}` is a constant: there is nothing to differentiate with respect to"),
                )
                .with_hint("differentiate with respect to an input, a parameter, or a quantity computed from them"),
            ));
        }
        let derivatives = self.derivatives(of, x.val.entries());
        Ok(match &x.val {
            Val::Scalar(_) => Val::Scalar(derivatives[0]),
            Val::Grid(g) => Val::Grid(Grid {
                shape: g.shape,
                entries: derivatives,
            }),
        })
    }

    /// `∂of/∂x` for every `x` of `wrt`: one symbolic reverse sweep for a vector or
    /// matrix (not a pass over the DAG per entry), the cached forward derivative for
    /// a scalar. Every result is cached, so `grad(L, W)` and `grad(L, W[1, 2])` share
    /// their nodes.
    fn derivatives(&mut self, of: ExprId, wrt: &[ExprId]) -> Vec<ExprId> {
        if let [x] = wrt {
            return vec![self.program.derivative_of(of, *x)];
        }
        let missing: Vec<ExprId> = wrt
            .iter()
            .copied()
            .filter(|&x| !self.program.derivatives.contains_key(&(of, x)))
            .collect();
        if !missing.is_empty() {
            let found = adjoint::gradients(&mut self.program.dag, of, &missing);
            for (x, d) in missing.into_iter().zip(found) {
                self.program.derivatives.insert((of, x), d);
            }
        }
        wrt.iter()
            .map(|&x| self.program.derivatives[&(of, x)])
            .collect()
    }

    /// `next(W)` = `W − eta·grad(loss, W)`, entry by entry for a shaped `W`.
    pub(super) fn next(&mut self, w: &Value, span: Span) -> Resolved<Val> {
        // Only an index (a number) has no symbol: say so, never drop the claim silently.
        let Some(symbol) = w.symbol else {
            return Err(Some(self.diagnostic(
                ErrorKind::InvalidDerivative,
                w.span,
                "next(W) updates a declared parameter, not an index",
            )));
        };
        let params = w
            .val
            .entries()
            .iter()
            .all(|&e| match self.program.dag.node(e) {
                Node::Leaf(i) => self.program.leaves[i as usize].kind == LeafKind::Param,
                _ => false,
            });
        if !params {
            let name = self.symbol_name(symbol).to_string();
            let hint = match symbol {
                Symbol::Shaped(k) if self.shaped_kinds[k].is_some() => {
                    format!("declare it as `param {name}: {} = ...`", w.val.shape())
                }
                _ => format!("declare it as `param {name} = VALUE`"),
            };
            return Err(Some(
                self.diagnostic(
                    ErrorKind::InvalidDerivative,
                    w.span,
                    format!("next(W) is the update of a parameter; `{name}` is not declared with `param`"),
                )
                .with_hint(hint),
            ));
        }
        let Some(loss) = self.program.loss else {
            let later = self.declared_loss_line();
            let message = match later {
                Some(line) => {
                    format!("next(W) uses the file's loss, which is defined below, on line {line}")
                }
                None => "next(W) is W − eta·grad(loss, W), and the file has no `loss`".to_string(),
            };
            return Err(Some(
                self.diagnostic(ErrorKind::MissingDeclaration, span, message)
                    .with_hint("declare the loss above this line: `loss L = ...`"),
            ));
        };
        let eta = match ["eta", "η"]
            .iter()
            .find_map(|name| self.program.symbols.get(*name))
        {
            Some(Symbol::Leaf(i)) => self.program.leaves[*i].expr,
            _ => {
                return Err(Some(
                    self.diagnostic(
                        ErrorKind::MissingDeclaration,
                        span,
                        "next(W) is W − eta·grad(loss, W), and the file declares no `eta` above this line",
                    )
                    .with_hint("declare the learning rate: `input eta = 0.5`"),
                ))
            }
        };
        let loss = self.program.definitions[loss].expr;
        let w_val = w.val.clone();
        let gradients = self.derivatives(loss, w_val.entries());
        let mut updated = Vec::with_capacity(w_val.entries().len());
        for (&w_id, &gradient) in w_val.entries().iter().zip(&gradients) {
            let step = self.program.dag.fold(Node::Mul(eta, gradient));
            updated.push(self.program.dag.fold(Node::Sub(w_id, step)));
        }
        Ok(match w_val {
            Val::Scalar(_) => Val::Scalar(updated[0]),
            Val::Grid(g) => Val::Grid(Grid {
                shape: g.shape,
                entries: updated,
            }),
        })
    }
}

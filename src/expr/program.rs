//! A parsed and resolved `.grad` file: its leaves, definitions and claims over one
//! expression DAG.

use std::collections::HashMap;

use super::ast::LeafKind;
use super::collect;
use super::dag::{Dag, ExprId, Node};
use super::derive;
use super::error::{Diagnostic, Error, ErrorKind};
use super::error_model;
use super::eval;
use super::grid::{Grid, Shape};
use super::number::Number;
use super::print::{self, Style, MAX_PRINTED};
use super::simplify;
use crate::scalar::Scalar;

/// A declared input or parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    /// Its name (`x1`, `w14`, `eta`).
    pub name: String,
    /// Data or parameter.
    pub kind: LeafKind,
    /// The value the file gives it.
    pub value: Number,
    /// The line it is declared on.
    pub line: usize,
    /// Its node in the DAG.
    pub expr: ExprId,
}

/// A defined quantity `NAME = EXPR` (or `loss NAME = EXPR`).
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// Its name (`delta4`, `yhat7`, `L`).
    pub name: String,
    /// Its expression's node.
    pub expr: ExprId,
    /// The line it is defined on.
    pub line: usize,
    /// Whether it is the file's `loss`.
    pub is_loss: bool,
}

/// A claim `claim LHS = RHS`, one per expansion of a `for` template.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The line the claim is written on.
    pub line: usize,
    /// The claim as written, with the template's indices filled in
    /// (`claim grad(L, w47) = (yhat7 - y7) * yhat7 * (1 - yhat7) * a4`).
    pub text: String,
    /// The `for` indices of this expansion (`[("i", 4), ("j", 7)]`), empty if none.
    pub bindings: Vec<(String, i64)>,
    /// The left side's node (a `grad(F, X)` is already its derivative).
    pub lhs: ExprId,
    /// The right side's node.
    pub rhs: ExprId,
    /// `None` for a claim between scalars. For a claim between vectors or matrices,
    /// their shape; `lhs` and `rhs` are then entry (1, 1), and the verdict covers
    /// every entry.
    pub shape: Option<Shape>,
    /// The entries of both sides of a shaped claim.
    pub(crate) grids: Option<Box<[Grid; 2]>>,
}

/// A `.grad` program: declarations, definitions and claims, resolved over one
/// hash-consed expression DAG. Made by [`parse`](super::parse).
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) source: String,
    pub(crate) file: Option<String>,
    pub(crate) dag: Dag,
    pub(crate) leaves: Vec<Leaf>,
    pub(crate) definitions: Vec<Definition>,
    pub(crate) claims: Vec<Claim>,
    pub(crate) loss: Option<usize>,
    /// Name → leaf or definition, for lookups by name.
    pub(crate) symbols: HashMap<String, Symbol>,
    /// The display name of each named node (the first name given to it).
    pub(crate) names: HashMap<ExprId, String>,
    /// Derivatives already built: `(of, wrt) → ∂of/∂wrt`.
    pub(crate) derivatives: HashMap<(ExprId, ExprId), ExprId>,
    /// The named vectors and matrices (declared or defined), in file order, with their
    /// entries: what matrix diagnoses look for (`an elementwise factor σ′(z2) is
    /// missing`).
    pub(crate) shaped: Vec<(String, Grid)>,
    /// The vector and matrix operations that made the shaped values, for evaluating
    /// on the tape's block records (see `matrix_ops.rs`).
    pub(crate) matrix_ops: super::matrix_ops::MatrixOps,
}

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Symbol {
    Leaf(usize),
    Definition(usize),
    /// A vector or matrix: its index in `Program::shaped`.
    Shaped(usize),
}

impl Program {
    /// The source text the program was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The inputs and parameters, in declaration order (the order [`Program::evaluate`]
    /// takes their values in).
    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// The names of the `input`s among `(leaf index, value)` whose value is not the
    /// file's: what a counterexample moved that the author may have meant to hold fixed.
    pub(crate) fn moved_inputs(&self, point: impl Iterator<Item = (usize, f64)>) -> Vec<String> {
        point
            .filter(|&(i, v)| {
                let leaf = &self.leaves[i];
                leaf.kind == LeafKind::Input && leaf.value.to_f64() != v
            })
            .map(|(i, _)| self.leaves[i].name.clone())
            .collect()
    }

    /// The leaves' values as the file gives them.
    pub fn leaf_values(&self) -> Vec<f64> {
        self.leaves.iter().map(|l| l.value.to_f64()).collect()
    }

    /// The definitions, in source order.
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    /// The claims, in source order, templates expanded.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// The file's `loss`, if it declares one.
    pub fn loss(&self) -> Option<&Definition> {
        self.loss.map(|i| &self.definitions[i])
    }

    /// The node of a declared or defined scalar name, or of an entry of a vector or
    /// matrix (`W1[1, 2]`, `W1[1,2]`, `x[3]`); `None` for a vector or matrix itself
    /// (see [`Program::grid`]).
    pub fn expr(&self, name: &str) -> Option<ExprId> {
        let name = entry_spelling(name);
        // Names are stored with accents decomposed (`ŷ` as `y` + U+0302).
        Some(
            match *self.symbols.get(super::names::canonical(&name).as_ref())? {
                Symbol::Leaf(i) => self.leaves[i].expr,
                Symbol::Definition(i) => self.definitions[i].expr,
                Symbol::Shaped(_) => return None,
            },
        )
    }

    /// The shape and entries (row-major) of a declared or defined vector or matrix.
    pub fn grid(&self, name: &str) -> Option<(Shape, &[ExprId])> {
        match *self.symbols.get(super::names::canonical(name).as_ref())? {
            Symbol::Shaped(i) => {
                let grid = &self.shaped[i].1;
                Some((grid.shape, &grid.entries))
            }
            _ => None,
        }
    }

    /// The named vectors and matrices, declared or defined, in file order: name, shape
    /// and entries (row-major).
    pub fn shaped(&self) -> impl Iterator<Item = (&str, Shape, &[ExprId])> + '_ {
        self.shaped
            .iter()
            .map(|(name, grid)| (name.as_str(), grid.shape, grid.entries.as_slice()))
    }

    /// `∂of/∂wrt` for every entry of `wrt` (a vector, a matrix or a scalar): the shape
    /// of `wrt` and one simplified derivative per entry, row-major. `of` must be a
    /// scalar (or an entry).
    pub fn gradient(&mut self, of: &str, wrt: &str) -> Result<(Shape, Vec<ExprId>), Error> {
        let f = self.lookup(of, "the quantity")?;
        let (shape, entries) = match self.grid(wrt) {
            Some((shape, entries)) => (shape, entries.to_vec()),
            None => (Shape::SCALAR, vec![self.lookup(wrt, "the variable")?]),
        };
        if entries
            .iter()
            .any(|&x| matches!(self.dag.node(x), Node::Number(_)))
        {
            let d = Diagnostic::unlocated(
                ErrorKind::InvalidDerivative,
                format!("`{wrt}` is a constant; differentiate with respect to an input, a parameter or a quantity computed from them"),
            );
            return Err(Error::new(vec![d], self.file.clone()));
        }
        // One reverse sweep for all the entries, then each simplified for reading.
        let raw = if entries.len() == 1 {
            vec![self.derivative_of(f, entries[0])]
        } else {
            super::adjoint::gradients(&mut self.dag, f, &entries)
        };
        let names = &self.names;
        let derivatives = raw
            .into_iter()
            .map(|d| collect::collect(&mut self.dag, d, &|id| names.contains_key(&id)))
            .collect();
        Ok((shape, derivatives))
    }

    /// The operation at a node.
    pub fn node(&self, id: ExprId) -> Node {
        self.dag.node(id)
    }

    /// The number of nodes in the DAG (shared subexpressions count once).
    pub fn node_count(&self) -> usize {
        self.dag.len()
    }

    /// The name a node prints as, if it has one.
    pub fn name_of(&self, id: ExprId) -> Option<&str> {
        self.names.get(&id).map(String::as_str)
    }

    /// The node of `name`, or an error naming the known quantities.
    pub(crate) fn lookup(&self, name: &str, role: &str) -> Result<ExprId, Error> {
        if let Some((shape, _)) = self.grid(name) {
            let entry = if shape.cols == 1 {
                format!("{name}[1]")
            } else {
                format!("{name}[1, 1]")
            };
            let d = Diagnostic::unlocated(
                ErrorKind::ShapeMismatch,
                format!(
                    "{role} `{name}` is {}: this needs a scalar",
                    super::shape_ops::describe(shape)
                ),
            )
            .with_hint(format!(
                "name one entry (`{entry}`), or take the derivative with respect to every \
                 entry with Program::gradient"
            ));
            return Err(Error::new(vec![d], self.file.clone()));
        }
        self.expr(name).ok_or_else(|| {
            let known: Vec<&str> = self.symbols.keys().map(String::as_str).collect();
            let mut d = Diagnostic::unlocated(
                ErrorKind::UnknownName,
                format!("{role} `{name}` is not declared or defined in the program"),
            );
            if let Some(c) = super::error::closest(name, known) {
                d = d.with_hint(format!("did you mean `{c}`?"));
            }
            Error::new(vec![d], self.file.clone())
        })
    }

    /// `∂of/∂wrt` as a simplified expression: `of` is any defined or declared name,
    /// `wrt` an input, a parameter, or an intermediate quantity (then the derivative
    /// is its backpropagated adjoint: every path from `wrt` to `of`).
    ///
    /// Adds the derivative's nodes to the DAG (hence `&mut`); asking again returns the
    /// same node.
    pub fn derivative(&mut self, of: &str, wrt: &str) -> Result<ExprId, Error> {
        let f = self.lookup(of, "the quantity")?;
        let x = self.lookup(wrt, "the variable")?;
        if self.is_constant(x) {
            let d = Diagnostic::unlocated(
                ErrorKind::InvalidDerivative,
                format!("`{wrt}` is a constant; differentiate with respect to an input, a parameter or a quantity computed from them"),
            );
            return Err(Error::new(vec![d], self.file.clone()));
        }
        let d = self.derivative_of(f, x);
        let names = &self.names;
        Ok(collect::collect(&mut self.dag, d, &|id| {
            names.contains_key(&id)
        }))
    }

    /// Whether a node is a constant (`data t = 1`, `c = 2`, a definition that folds to
    /// a number, `pi`): never varied, so there is nothing to differentiate with respect to.
    pub fn is_constant(&self, id: ExprId) -> bool {
        matches!(self.dag.node(id), Node::Number(_) | Node::Pi)
    }

    /// `∂of/∂wrt` as the chain rule builds it, before simplification (only local
    /// rules such as `0·x = 0` applied): every product of partial derivatives along
    /// every path, as a reverse sweep computes them. Its error bound
    /// ([`Program::evaluate_with_error`]) bounds the rounding of such a sweep.
    pub fn chain_rule(&mut self, of: &str, wrt: &str) -> Result<ExprId, Error> {
        let f = self.lookup(of, "the quantity")?;
        let x = self.lookup(wrt, "the variable")?;
        Ok(derive::raw_derivative(&mut self.dag, f, x))
    }

    /// `∂f/∂x` for nodes, cached.
    pub(crate) fn derivative_of(&mut self, f: ExprId, x: ExprId) -> ExprId {
        if let Some(&d) = self.derivatives.get(&(f, x)) {
            return d;
        }
        let names = &self.names;
        let d = derive::derivative(&mut self.dag, f, x, &|id| names.contains_key(&id));
        self.derivatives.insert((f, x), d);
        d
    }

    /// A simplified form of the expression at `id` (constants folded, like terms and
    /// factors collected); the original is unchanged.
    pub fn simplify(&mut self, id: ExprId) -> ExprId {
        simplify::simplify(&mut self.dag, id)
    }

    fn display_name(&self, id: ExprId, style: Style) -> Option<String> {
        let name = self.names.get(&id)?;
        Some(match style {
            Style::Text => name.clone(),
            Style::Latex => print::latex_name(name),
        })
    }

    fn render(&self, id: ExprId, expand: bool, style: Style) -> Result<String, Error> {
        let name = |n: ExprId| self.display_name(n, style);
        print::render(&self.dag, id, &name, expand, style, MAX_PRINTED)
            .map_err(|e| self.too_long(id, e))
    }

    /// The error for an expression whose text passes the printing limit.
    fn too_long(&self, id: ExprId, e: print::TooLong) -> Error {
        let d = Diagnostic::unlocated(
            ErrorKind::TooLarge,
            format!(
                "the expression is too long to print: its text passes {} MiB, although it \
                 has at most {} distinct nodes (a subexpression shared in the graph is \
                 spelled out wherever it occurs, so the text can grow exponentially with \
                 the depth)",
                e.limit >> 20,
                id.index() + 1
            ),
        )
        .with_hint(
            "name the shared intermediate quantities in the file (`h = ...`), so that they \
             print as their names; or export the graph with `dot`",
        );
        Error::new(vec![d], self.file.clone())
    }

    /// What the infallible printers return for an expression too long to print: a
    /// sentence, which no parser reads as an expression.
    fn unprintable(e: &Error) -> String {
        format!("<not printed: {}>", e.first().message())
    }

    /// The expression at `id` as plain text, which [`parse`](super::parse) reads back
    /// in this program. Named subexpressions (and `id` itself, if named) print as their
    /// names: a derivative reads `(yhat7 - y7) * yhat7 * (1 - yhat7) * a4`.
    ///
    /// Never truncated: an expression whose text would pass
    /// [`MAX_PRINTED`](super::MAX_PRINTED) bytes prints as a `<not printed: ...>` note
    /// saying why ([`Program::try_text`] returns that as an error instead).
    pub fn text(&self, id: ExprId) -> String {
        self.try_text(id).unwrap_or_else(|e| Self::unprintable(&e))
    }

    /// [`Program::text`], or an error ([`ErrorKind::TooLarge`]) when the text would
    /// pass [`MAX_PRINTED`](super::MAX_PRINTED) bytes.
    pub fn try_text(&self, id: ExprId) -> Result<String, Error> {
        self.render(id, false, Style::Text)
    }

    /// The expression at `id` as LaTeX in the document's notation
    /// (`\left(\hat{y}_7 - y_7\right) \cdot \hat{y}_7 \cdots`); too long an expression
    /// prints as a note, as with [`Program::text`].
    pub fn latex(&self, id: ExprId) -> String {
        self.try_latex(id).unwrap_or_else(|e| Self::unprintable(&e))
    }

    /// [`Program::latex`], or an error when the text would pass
    /// [`MAX_PRINTED`](super::MAX_PRINTED) bytes.
    pub fn try_latex(&self, id: ExprId) -> Result<String, Error> {
        self.render(id, false, Style::Latex)
    }

    /// The right-hand side of a definition: like [`Program::text`], but `id` itself is
    /// spelled out one level even if it has a name (`sigma(delta4)` for `a4`).
    pub fn definition_text(&self, id: ExprId) -> String {
        self.render(id, true, Style::Text)
            .unwrap_or_else(|e| Self::unprintable(&e))
    }

    /// [`Program::definition_text`] as LaTeX.
    pub fn definition_latex(&self, id: ExprId) -> String {
        self.render(id, true, Style::Latex)
            .unwrap_or_else(|e| Self::unprintable(&e))
    }

    /// Prints a node of `dag` (a copy of this program's DAG, possibly extended) with
    /// this program's names, if its text is at most `limit` bytes.
    pub(crate) fn render_in(&self, dag: &Dag, id: ExprId, limit: usize) -> Option<String> {
        let name = |n: ExprId| self.display_name(n, Style::Text);
        print::render(dag, id, &name, false, Style::Text, limit).ok()
    }

    /// The expression at `id` as plain text with no names at all: every definition
    /// substituted, only inputs and parameters left. This can be exponentially long for
    /// deeply shared expressions: past [`MAX_PRINTED`](super::MAX_PRINTED) bytes it
    /// prints as a note, as with [`Program::text`].
    pub fn expanded_text(&self, id: ExprId) -> String {
        let leaf_names = |n: ExprId| match self.dag.node(n) {
            Node::Leaf(i) => Some(self.leaves[i as usize].name.clone()),
            _ => None,
        };
        print::render(&self.dag, id, &leaf_names, true, Style::Text, MAX_PRINTED)
            .unwrap_or_else(|e| Self::unprintable(&self.too_long(id, e)))
    }

    /// Evaluates the expressions `roots` with the leaves' values `leaves` (in
    /// [`Program::leaves`] order), on any [`Scalar`]: `f64` for numbers, or
    /// [`Var`](crate::Var) to record them on a tape.
    ///
    /// # Panics
    ///
    /// If `leaves` has fewer values than the program has leaves.
    pub fn evaluate<T: Scalar>(&self, roots: &[ExprId], leaves: &[T]) -> Vec<T> {
        assert!(
            leaves.len() >= self.leaves.len(),
            "Program::evaluate needs one value per leaf ({} leaves, {} values): pass \
             values in the order of Program::leaves",
            self.leaves.len(),
            leaves.len()
        );
        let cone = self.dag.cone(roots);
        let values = eval::evaluate_cone(&self.dag, &cone, leaves);
        roots
            .iter()
            .map(|&r| cone.position(r).map_or_else(T::nan, |k| values[k]))
            .collect()
    }

    /// Evaluates the expressions `roots` in `f64` with, for each, a first-order bound
    /// on its rounding error: `(value, error bound)`. The bound is the error model that
    /// claim tolerances come from (each operation's own rounding plus its operands'
    /// errors propagated through its derivative).
    ///
    /// # Panics
    ///
    /// If `leaves` has fewer values than the program has leaves.
    pub fn evaluate_with_error(&self, roots: &[ExprId], leaves: &[f64]) -> Vec<(f64, f64)> {
        assert!(
            leaves.len() >= self.leaves.len(),
            "Program::evaluate_with_error needs one value per leaf, in the order of Program::leaves"
        );
        error_model::evaluate_with_error(&self.dag, roots, leaves)
    }

    /// The value of the expression at `id` at the file's values.
    pub fn value(&self, id: ExprId) -> f64 {
        self.evaluate(&[id], &self.leaf_values())[0]
    }
}

/// An entry's name as stored: `W1[1,2]` and `W1[ 1 , 2 ]` are `W1[1, 2]`; other names
/// unchanged.
fn entry_spelling(name: &str) -> std::borrow::Cow<'_, str> {
    match name.split_once('[') {
        Some((base, rest)) if rest.ends_with(']') => {
            let indices: Vec<&str> = rest[..rest.len() - 1].split(',').map(str::trim).collect();
            std::borrow::Cow::Owned(format!("{}[{}]", base.trim(), indices.join(", ")))
        }
        _ => std::borrow::Cow::Borrowed(name),
    }
}

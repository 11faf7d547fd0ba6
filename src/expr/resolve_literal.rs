//! The resolver's part for literals in expressions: a vector `[a, b, c]` of scalar
//! entries, and a matrix `[[a, b], [c, d]]` written row by row. Each entry is any
//! scalar expression; the literal is a grid of their nodes, so it takes part in
//! products, claims and derivatives like a declared vector or matrix.

use super::super::dag::ExprId;
use super::super::error::{Diagnostic, ErrorKind};
use super::super::grid::{Grid, Shape};
use super::super::shape_ops::{describe, ragged_row, Val};
use super::super::span::Span;
use super::{Resolved, Resolver, Value, MAX_ENTRIES};

impl Resolver<'_> {
    /// `[a, b, c]`: a column vector of the scalar `entries`.
    pub(super) fn vector_literal(&self, entries: Vec<Value>, span: Span) -> Resolved<Value> {
        let mut nodes = Vec::with_capacity(entries.len());
        for entry in &entries {
            let Some(id) = entry.val.scalar() else {
                return Err(Some(
                    self.diagnostic(
                        ErrorKind::ShapeMismatch,
                        entry.span,
                        format!(
                            "an entry of a vector literal is a scalar, and this is {}",
                            describe(entry.val.shape())
                        ),
                    )
                    .with_hint("a matrix is written as a list of rows: `[[1, 0], [0, 1]]`"),
                ));
            };
            nodes.push(id);
        }
        let shape = Shape {
            rows: nodes.len(),
            cols: 1,
        };
        self.literal(nodes, shape, span)
    }

    /// `[[a, b], [c, d]]`: the rows, each a vector literal (or a one-entry scalar) of
    /// the first row's length.
    pub(super) fn matrix_literal(&self, rows: Vec<Value>, span: Span) -> Resolved<Value> {
        let mut nodes = Vec::new();
        let mut cols = None;
        for row in &rows {
            let shape = row.val.shape();
            if shape.rows != 1 && shape.cols != 1 {
                return Err(Some(self.diagnostic(
                    ErrorKind::ShapeMismatch,
                    row.span,
                    format!(
                        "a row of a matrix literal is a list of scalars, and this is {}",
                        describe(shape)
                    ),
                )));
            }
            let width = shape.len();
            match cols {
                Some(c) if c != width => {
                    let (message, hint) = ragged_row(width, c);
                    return Err(Some(
                        self.diagnostic(ErrorKind::ShapeMismatch, row.span, message)
                            .with_hint(hint),
                    ));
                }
                _ => cols = Some(width),
            }
            if nodes.len() + width > MAX_ENTRIES {
                break;
            }
            nodes.extend_from_slice(row.val.entries());
        }
        let shape = Shape {
            rows: rows.len(),
            cols: cols.unwrap_or(1),
        };
        self.literal(nodes, shape, span)
    }

    fn literal(&self, entries: Vec<ExprId>, shape: Shape, span: Span) -> Resolved<Value> {
        if shape.len() > MAX_ENTRIES || entries.len() != shape.len() {
            return Err(Some(self.too_large(span)));
        }
        Ok(Value {
            val: Val::from_grid(Grid { shape, entries }),
            symbol: None,
            span,
        })
    }

    fn too_large(&self, span: Span) -> Diagnostic {
        self.diagnostic(
            ErrorKind::TooLarge,
            span,
            format!("this literal has more than {MAX_ENTRIES} entries"),
        )
    }
}

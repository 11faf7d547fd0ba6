//! From equations to a `.grad` program: definitions and claims decided, index ranges
//! expanded, definitions ordered, free symbols declared, and every statement mapped
//! back to the document.
//!
//! The rules:
//! - Notes are read first; every relation in them defines its left side.
//! - `:=` always defines its left side, which must be a symbol.
//! - The first relation of an equation defines its left side when that side is a
//!   symbol no earlier equation defines; every other relation is a claim (so a chain
//!   `A = B = C` is `A = B` and `B = C`, and a repeated definition is a claim that the
//!   two agree). `f(x) = …` for a function the language does not have defines that
//!   function, inlined where it is used (`functions.rs`).
//! - The document is resolved as a whole: definitions are ordered so each comes after
//!   what it uses, and a cycle is reported (its definitions, and everything that uses
//!   them, unread).
//! - `symbol = number` (the first relation, or `:=`) gives a symbol no expression
//!   defines its value; if an expression defines it too, anywhere, the number is a
//!   claim about it (see `printed.rs` for how such claims are decided).
//! - A symbol no equation defines is free: a parameter if something is differentiated
//!   with respect to it, an input otherwise, with the value the document gives it or
//!   else one drawn from its name.
//! - `x \in \mathbb{R}^{3}` declares a shape: a free symbol is declared with it (its
//!   entries drawn from its name), a defined one must have it (checked once the
//!   program is parsed). `W'` is the transpose of `W` when `W` is declared a vector
//!   or matrix and `W'` is no symbol of its own (declared, defined or given a value).
//!
//! One idea per file: [`equations`] (an equation's definitions, values and claims,
//! for each value of its index ranges), [`instantiate`] (the syntax tree to [`Ir`]:
//! indices bound, sums expanded, the document's functions inlined), [`order`]
//! (definitions ordered, cycles found, `W'` read as a transpose), [`generate`] (the
//! program's text: the free symbols declared, definitions and claims with their
//! origins) and [`print`] (an expression as `.grad` text).

mod equations;
mod generate;
mod instantiate;
mod order;
mod print;

use std::collections::{HashMap, HashSet};

use crate::expr::Func;

use super::functions::Functions;
use super::names::Key;
use super::parse::{Op, Whole};
use super::rows::{Declaration, Dims, Item, Row};
use super::{Lines, Origin, Unread};

use instantiate::key_of;

/// The most statements index ranges may expand to.
pub const MAX_STATEMENTS: usize = 100_000;

/// The most expression nodes sums may expand to in one equation.
const MAX_NODES: usize = 1_000_000;

/// An expression with its symbols resolved to keys and its sums expanded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ir {
    Num(String),
    Sym(Key),
    Neg(Box<Ir>),
    Bin(Op, Box<Ir>, Box<Ir>),
    Call(Func, Box<Ir>),
    Grad(Box<Ir>, Key),
    Sum(Vec<Ir>),
    Transpose(Box<Ir>),
    Whole(Whole, Box<Ir>),
}

struct Def {
    key: Key,
    ir: Ir,
    origin: Origin,
}

/// `symbol = number`: the value the document gives a free symbol.
struct Value {
    key: Key,
    /// The number (`Num`, or `Neg` of one).
    number: Ir,
    origin: Origin,
    /// Its place among the statements.
    seq: usize,
    /// Whether an expression defines the symbol after all (the value is then a claim).
    withdrawn: bool,
}

/// `x \in \mathbb{R}^{3}`: a declared shape and where it is declared.
pub(crate) struct Declared {
    pub dims: Dims,
    pub origin: Origin,
}

struct ClaimStatement {
    /// Its place among the statements, for the document's order.
    seq: usize,
    lhs: Ir,
    rhs: Ir,
    origin: Origin,
}

/// Where the math comes from: the text, whether it is notes, and its line index.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    pub notes: bool,
    pub lines: &'a Lines,
    /// 0 for the notes file, 1 for the document.
    pub file: u8,
}

/// Collects statements from rows, then writes the program.
#[derive(Default)]
pub(crate) struct Builder {
    defs: Vec<Def>,
    defined: HashMap<Key, usize>,
    values: Vec<Value>,
    valued: HashMap<Key, usize>,
    claims: Vec<ClaimStatement>,
    pub unread: Vec<Unread>,
    statements: usize,
    /// Equations read (before ranges are expanded).
    pub equations: usize,
    /// The functions the document defines (collected from every row first).
    pub functions: Functions,
    /// Declared shapes.
    shapes: HashMap<Key, Declared>,
    /// Symbols whose shape declaration is not read: what uses them is not read.
    undeclared: HashSet<Key>,
}

/// The generated program and, for each of its lines, the origin of the statement there.
pub(crate) struct Generated {
    pub text: String,
    pub line_origin: Vec<Option<usize>>,
    pub origins: Vec<Origin>,
    pub free: Vec<(String, Key, bool)>,
    /// For each claim of the program, in order: its sides if it prints a decimal
    /// number (a claim among printed numbers, see `printed.rs`).
    pub numeric: Vec<Option<(Ir, Ir)>>,
    /// Every symbol's name in the program.
    pub names: HashMap<Key, String>,
    /// The names of the symbols the document gives values.
    pub valued: HashSet<String>,
    /// The defined symbols with a declared shape: name, shape and declaration, to be
    /// compared with the shape their definitions give.
    pub declared: Vec<(String, Declared)>,
}

/// The number of `symbol = number`, as `.grad` text, if the side is one.
fn lone_number(ir: &Ir) -> Option<String> {
    match ir {
        // `\pi` is the constant, not a value a symbol is given.
        Ir::Num(n) if n == "pi" => None,
        Ir::Num(n) => Some(if n.starts_with('.') {
            format!("0{n}")
        } else {
            n.clone()
        }),
        Ir::Neg(a) => lone_number(a).map(|n| format!("-{n}")),
        _ => None,
    }
}

impl Builder {
    fn unread_at(&mut self, source: &Source, start: usize, end: usize, at: usize, why: String) {
        let (line, column) = source.lines.position(source.text, at);
        self.unread.push(Unread {
            line,
            column,
            text: one_line(&source.text[start..end.max(start)]),
            why,
            in_notes: source.notes,
        });
    }

    /// Reads one row's equations.
    pub fn row(&mut self, source: &Source, row: &Row) {
        for item in &row.items {
            match item {
                Item::Unread { start, end, fail } => {
                    self.unread_at(source, *start, *end, fail.start, fail.why.clone())
                }
                Item::Equation(eq) => {
                    self.equations += 1;
                    self.equation(source, row, eq);
                }
                Item::Declaration(d) => self.declaration(source, d),
                Item::Undeclared {
                    sym,
                    start,
                    end,
                    fail,
                } => {
                    self.unread_at(source, *start, *end, fail.start, fail.why.clone());
                    self.undeclared.insert(key_of(sym, &[]));
                }
            }
        }
    }

    /// `x \in \mathbb{R}^{3}`: records the shape (the same shape twice is one
    /// declaration; another shape is not read).
    fn declaration(&mut self, source: &Source, d: &Declaration) {
        let key = key_of(&d.sym, &[]);
        let (line, column) = source.lines.position(source.text, d.at);
        let origin = Origin {
            line,
            column,
            text: one_line(&source.text[d.start..d.end.max(d.start)]),
            bindings: Vec::new(),
            in_notes: source.notes,
        };
        match self.shapes.get(&key) {
            Some(earlier) if earlier.dims != d.dims => self.unread.push(Unread::at(
                &origin,
                format!(
                    "`{}` is declared with another shape on line {}",
                    key.latex(),
                    earlier.origin.line
                ),
            )),
            Some(_) => {}
            None => {
                self.shapes.insert(
                    key,
                    Declared {
                        dims: d.dims,
                        origin,
                    },
                );
            }
        }
    }
}

/// Every key an expression uses, in order; those differentiated against also go into
/// `wrt`.
fn collect(ir: &Ir, out: &mut Vec<Key>, wrt: &mut HashSet<Key>) {
    let mut stack = vec![ir];
    while let Some(ir) = stack.pop() {
        match ir {
            Ir::Num(_) => {}
            Ir::Sym(k) => out.push(k.clone()),
            Ir::Neg(a) | Ir::Call(_, a) | Ir::Transpose(a) | Ir::Whole(_, a) => stack.push(a),
            Ir::Bin(_, a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Ir::Grad(a, k) => {
                wrt.insert(k.clone());
                stack.push(a);
                out.push(k.clone());
            }
            Ir::Sum(terms) => stack.extend(terms.iter().rev()),
        }
    }
}

/// Text on one line: runs of whitespace with a line break become one space.
fn one_line(s: &str) -> String {
    if !s.contains('\n') {
        return s.trim().to_string();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

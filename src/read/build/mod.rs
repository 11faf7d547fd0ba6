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

use std::collections::{HashMap, HashSet};

use crate::expr::Func;

use super::functions::{self, Functions};
use super::names::{Key, Namer};
use super::parse::{Ast, Fail, Op, Sym, Whole};
use super::printed::has_decimal;
use super::rows::{Declaration, Dims, Equation, Item, Row};
use super::{Lines, Origin, Unread};

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
            Some(earlier) if earlier.dims != d.dims => self.unread.push(Unread {
                line,
                column,
                text: origin.text,
                why: format!(
                    "`{}` is declared with another shape on line {}",
                    key.latex(),
                    earlier.origin.line
                ),
                in_notes: source.notes,
            }),
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

    /// `W'` for the transpose of a declared vector or matrix `W`, where `W'` is no
    /// symbol of its own.
    fn primes_as_transposes(&mut self) {
        let mut keys = Vec::new();
        let mut wrt = HashSet::new();
        for d in &self.defs {
            collect(&d.ir, &mut keys, &mut wrt);
        }
        for c in &self.claims {
            collect(&c.lhs, &mut keys, &mut wrt);
            collect(&c.rhs, &mut keys, &mut wrt);
        }
        let transposes: HashMap<Key, Key> = keys
            .into_iter()
            .filter(|key| {
                key.decorations.contains(&"prime")
                    && !self.defined.contains_key(key)
                    && !self.valued.contains_key(key)
                    && !self.shapes.contains_key(key)
                    && !wrt.contains(key)
            })
            .filter_map(|key| {
                let mut bare = key.clone();
                bare.decorations.retain(|d| *d != "prime");
                let shaped = self
                    .shapes
                    .get(&bare)
                    .is_some_and(|s| s.dims != Dims::Scalar);
                shaped.then_some((key, bare))
            })
            .collect();
        if transposes.is_empty() {
            return;
        }
        for d in &mut self.defs {
            transpose_primes(&mut d.ir, &transposes);
        }
        for c in &mut self.claims {
            transpose_primes(&mut c.lhs, &transposes);
            transpose_primes(&mut c.rhs, &transposes);
        }
    }

    fn equation(&mut self, source: &Source, row: &Row, eq: &Equation) {
        let start = eq.sides[0].start;
        let end = eq.sides[eq.sides.len() - 1].end;
        // `f(x) = …`: a function the document defines, inlined where it is used.
        if let Some((f, _)) = functions::head(eq) {
            let key = functions::plain_key(f);
            match self.functions.defined_at(&key, source.file, start) {
                Some(Ok(_)) => {}
                Some(Err(why)) => self.unread_at(source, start, end, start, why),
                None => self.unread_at(
                    source,
                    start,
                    end,
                    start,
                    "this defines a function, which is read only when it stands alone".into(),
                ),
            }
            return;
        }
        // The row's ranges whose index this equation uses.
        let mut used = HashSet::new();
        for side in &eq.sides {
            letters(&side.ast, &mut used);
        }
        let ranges: Vec<_> = row
            .ranges
            .iter()
            .filter(|r| used.contains(&r.index) && !r.values.is_empty())
            .collect();
        let count = ranges
            .iter()
            .try_fold(1usize, |acc, r| acc.checked_mul(r.values.len()));
        let total = count.and_then(|c| c.checked_add(self.statements));
        if total.is_none_or(|t| t > MAX_STATEMENTS) {
            self.unread_at(
                source,
                start,
                end,
                start,
                format!("its index ranges expand to more than {MAX_STATEMENTS} statements"),
            );
            return;
        }
        // Odometer over the ranges, last index fastest.
        let mut digits = vec![0usize; ranges.len()];
        loop {
            let env: Vec<(char, i64)> = ranges
                .iter()
                .zip(&digits)
                .map(|(r, &d)| (r.index, r.values[d]))
                .collect();
            self.instance(source, eq, &env);
            let mut k = ranges.len();
            loop {
                if k == 0 {
                    return;
                }
                k -= 1;
                digits[k] += 1;
                if digits[k] < ranges[k].values.len() {
                    break;
                }
                digits[k] = 0;
            }
        }
    }

    fn instance(&mut self, source: &Source, eq: &Equation, env: &[(char, i64)]) {
        let mut irs = Vec::new();
        for side in &eq.sides {
            let mut cx = Cx {
                budget: MAX_NODES,
                functions: &self.functions,
                param: None,
                active: Vec::new(),
            };
            match instantiate(&side.ast, &mut env.to_vec(), &mut cx) {
                Ok(ir) => irs.push(ir),
                Err(fail) => {
                    let (s, e) = (eq.sides[0].start, eq.sides[eq.sides.len() - 1].end);
                    // A fail with no place (too many terms) points at the equation.
                    let at = if fail.end == 0 { s } else { fail.start };
                    self.unread_at(source, s, e, at, fail.why);
                    return;
                }
            }
        }
        let bindings: Vec<(String, i64)> = env.iter().map(|(c, v)| (c.to_string(), *v)).collect();
        for (k, relation) in eq.relations.iter().enumerate() {
            let (left, right) = (&eq.sides[k], &eq.sides[k + 1]);
            let (line, column) = source.lines.position(source.text, relation.at);
            let origin = Origin {
                line,
                column,
                text: one_line(&source.text[left.start..right.end]),
                bindings: bindings.clone(),
                in_notes: source.notes,
            };
            let lhs = irs[k].clone();
            let rhs = irs[k + 1].clone();
            let symbol = match &lhs {
                Ir::Sym(key) => Some(key.clone()),
                _ => None,
            };
            let defines = relation.define
                || (source.notes && k == 0)
                || (k == 0
                    && symbol.as_ref().is_some_and(|s| {
                        !self.defined.contains_key(s) && !self.valued.contains_key(s)
                    }));
            let seq = self.statements;
            self.statements += 1;
            // `o = 0.6` and then `o = \sigma(v)`: the expression defines `o`, and the
            // value becomes a claim about it, in its place.
            let redefines = !defines
                && !source.notes
                && k == 0
                && lone_number(&rhs).is_none()
                && symbol
                    .as_ref()
                    .is_some_and(|s| !self.defined.contains_key(s) && self.valued.contains_key(s));
            if redefines {
                if let Some(v) = symbol.as_ref().and_then(|s| self.valued.remove(s)) {
                    let value = &mut self.values[v];
                    value.withdrawn = true;
                    self.claims.push(ClaimStatement {
                        seq: value.seq,
                        lhs: Ir::Sym(value.key.clone()),
                        rhs: value.number.clone(),
                        origin: value.origin.clone(),
                    });
                }
            }
            if !defines && !redefines {
                self.claims.push(ClaimStatement {
                    seq,
                    lhs,
                    rhs,
                    origin,
                });
                continue;
            }
            let Some(key) = symbol else {
                self.unread.push(Unread {
                    line,
                    column,
                    text: origin.text,
                    why: "a definition's left side must be one symbol".into(),
                    in_notes: source.notes,
                });
                continue;
            };
            let earlier = match (self.defined.get(&key), self.valued.get(&key)) {
                (Some(&d), _) => Some(self.defs[d].origin.line),
                (None, Some(&v)) => Some(self.values[v].origin.line),
                (None, None) => None,
            };
            if let Some(at) = earlier {
                self.unread.push(Unread {
                    line,
                    column,
                    text: origin.text,
                    why: format!("`{}` is already defined on line {at}", key.latex()),
                    in_notes: source.notes,
                });
                continue;
            }
            if lone_number(&rhs).is_some() {
                // `w_1 = 0.15`: the symbol's value, not a definition.
                self.valued.insert(key.clone(), self.values.len());
                self.values.push(Value {
                    key,
                    number: rhs,
                    origin,
                    seq,
                    withdrawn: false,
                });
                continue;
            }
            self.defined.insert(key.clone(), self.defs.len());
            self.defs.push(Def {
                key,
                ir: rhs,
                origin,
            });
        }
    }

    /// Orders the definitions, declares the free symbols and writes the program.
    pub fn generate(mut self, header: &str) -> (Generated, Vec<Unread>) {
        self.primes_as_transposes();
        let order = self.order();
        let mut namer = Namer::default();
        let mut seen = Seen::default();
        let mut poisoned: HashSet<Key> = HashSet::new();
        let mut body: Vec<(String, Origin)> = Vec::new();
        let mut numeric = Vec::new();
        let (order, cyclic) = order;
        for &d in &cyclic {
            poisoned.insert(self.defs[d].key.clone());
        }
        poisoned.extend(self.undeclared.iter().cloned());
        let cycle_names: Vec<String> = cyclic.iter().map(|&d| self.defs[d].key.latex()).collect();
        for &d in &cyclic {
            let def = &self.defs[d];
            self.unread.push(Unread {
                line: def.origin.line,
                column: def.origin.column,
                text: def.origin.text.clone(),
                why: format!(
                    "a cycle of definitions: {} depend on each other",
                    cycle_names.join(", ")
                ),
                in_notes: def.origin.in_notes,
            });
        }
        let mut on_cycle = vec![false; self.defs.len()];
        for &d in &cyclic {
            on_cycle[d] = true;
        }
        for d in order {
            if on_cycle[d] {
                continue;
            }
            let def = &self.defs[d];
            let mut keys = Vec::new();
            collect(&def.ir, &mut keys, &mut HashSet::new());
            if let Some(bad) = keys.iter().find(|k| poisoned.contains(*k)) {
                self.unread.push(Unread {
                    line: def.origin.line,
                    column: def.origin.column,
                    text: def.origin.text.clone(),
                    why: unread_use(bad, &self.undeclared),
                    in_notes: def.origin.in_notes,
                });
                poisoned.insert(def.key.clone());
                continue;
            }
            let name = namer.name(&def.key);
            seen.seen.insert(def.key.clone());
            let rhs = seen.emit(&def.ir, &mut namer);
            body.push((format!("{name} = {rhs}"), def.origin.clone()));
        }
        // In the document's order (a value that became a claim stands where it was given).
        self.claims.sort_by_key(|c| c.seq);
        for claim in &self.claims {
            let mut keys = Vec::new();
            collect(&claim.lhs, &mut keys, &mut HashSet::new());
            collect(&claim.rhs, &mut keys, &mut HashSet::new());
            if let Some(bad) = keys.iter().find(|k| poisoned.contains(*k)) {
                self.unread.push(Unread {
                    line: claim.origin.line,
                    column: claim.origin.column,
                    text: claim.origin.text.clone(),
                    why: unread_use(bad, &self.undeclared),
                    in_notes: claim.origin.in_notes,
                });
                continue;
            }
            let lhs = seen.emit(&claim.lhs, &mut namer);
            let rhs = seen.emit(&claim.rhs, &mut namer);
            body.push((format!("claim {lhs} = {rhs}"), claim.origin.clone()));
            numeric.push(
                (has_decimal(&claim.lhs) || has_decimal(&claim.rhs))
                    .then(|| (claim.lhs.clone(), claim.rhs.clone())),
            );
        }
        // Free symbols: used, not defined.
        // Free symbols: used, not defined; then values given but not used.
        let mut free: Vec<(String, Key, bool)> = seen
            .used
            .iter()
            .filter(|k| !self.defined.contains_key(*k))
            .map(|k| (namer.name(k), k.clone(), seen.params.contains(k)))
            .collect();
        for v in self.values.iter().filter(|v| !v.withdrawn) {
            if !seen.seen.contains(&v.key) {
                free.push((namer.name(&v.key), v.key.clone(), false));
            }
        }
        let valued: HashSet<String> = self
            .values
            .iter()
            .filter(|v| !v.withdrawn)
            .map(|v| namer.name(&v.key))
            .collect();
        let any_given = !self.values.is_empty();

        let mut text = String::new();
        let mut line_origin = vec![None];
        let mut origins = Vec::new();
        let mut push_line = |text: &mut String, line: &str, origin: Option<usize>| {
            text.push_str(line);
            text.push('\n');
            line_origin.push(origin);
        };
        for l in header.lines() {
            push_line(&mut text, format!("# {l}").trim_end(), None);
        }
        let functions = self.functions.read();
        if !functions.is_empty() {
            push_line(&mut text, "", None);
            push_line(
                &mut text,
                "# Functions the document defines, inlined where they are used.",
                None,
            );
            for f in functions {
                let place = if f.origin.in_notes {
                    "notes line"
                } else {
                    "line"
                };
                let line = format!(
                    "# {place} {}:{}  {}",
                    f.origin.line, f.origin.column, f.origin.text
                );
                push_line(&mut text, &line, None);
            }
        }
        if !free.is_empty() && any_given {
            push_line(&mut text, "", None);
            for l in [
                "# Free symbols (no equation defines them): a parameter if something is",
                "# differentiated with respect to it, else an input; the value the document",
                "# gives it, else one drawn from the name; check also tests random values of",
                "# each.",
            ] {
                push_line(&mut text, l, None);
            }
        } else if !free.is_empty() {
            push_line(&mut text, "", None);
            push_line(
                &mut text,
                "# Free symbols (no equation defines them): a parameter if something is",
                None,
            );
            push_line(
                &mut text,
                "# differentiated with respect to it, else an input; values drawn from the",
                None,
            );
            push_line(
                &mut text,
                "# name, and check also tests random values of each.",
                None,
            );
        }
        for (name, key, param) in &free {
            let kind = if *param { "param" } else { "input" };
            // A declared vector or matrix: its shape, and its entries drawn from its
            // name by the language unless the document gives one value for all.
            let shape = self.shapes.get(key).and_then(|d| {
                let place = if d.origin.in_notes {
                    "notes line"
                } else {
                    "line"
                };
                Some((
                    d.dims.grad()?,
                    format!(", declared on {place} {}", d.origin.line),
                ))
            });
            let (shape, declared) = match shape {
                Some((s, d)) => (format!(": {s}"), d),
                None => (String::new(), String::new()),
            };
            let line = match self.valued.get(key).map(|&v| &self.values[v]) {
                Some(v) => format!(
                    "{kind} {name}{shape} = {}  # {}, given on {}line {}{declared}",
                    lone_number(&v.number).unwrap_or_default(),
                    key.latex(),
                    if v.origin.in_notes { "notes " } else { "" },
                    v.origin.line
                ),
                None if !shape.is_empty() => {
                    format!("{kind} {name}{shape}  # {}{declared}", key.latex())
                }
                None => format!("{kind} {name} = {}  # {}", value_of(name), key.latex()),
            };
            push_line(&mut text, &line, None);
        }
        let mut last_was_def = None;
        let mut claim_index = 0;
        for (statement, origin) in body {
            let is_claim = statement.starts_with("claim ");
            if last_was_def != Some(!is_claim) {
                push_line(&mut text, "", None);
                push_line(
                    &mut text,
                    if is_claim {
                        "# Claims, in the document's order."
                    } else {
                        "# Definitions, each after what it uses."
                    },
                    None,
                );
                last_was_def = Some(!is_claim);
            }
            let place = if origin.in_notes {
                "notes line"
            } else {
                "line"
            };
            let bindings = if origin.bindings.is_empty() {
                String::new()
            } else {
                let b: Vec<String> = origin
                    .bindings
                    .iter()
                    .map(|(i, v)| format!("{i} = {v}"))
                    .collect();
                format!("   [{}]", b.join(", "))
            };
            let rounded = if is_claim && numeric.get(claim_index).is_some_and(Option::is_some) {
                "   (at the document's values, within the rounding of its printed numbers)"
            } else {
                ""
            };
            claim_index += usize::from(is_claim);
            push_line(
                &mut text,
                &format!(
                    "# {place} {}:{}  {}{bindings}{rounded}",
                    origin.line, origin.column, origin.text
                ),
                None,
            );
            push_line(&mut text, &statement, Some(origins.len()));
            origins.push(origin);
        }
        let names = namer.into_names();
        let mut declared: Vec<(String, Declared)> = self
            .shapes
            .into_iter()
            .filter(|(key, _)| self.defined.contains_key(key))
            .filter_map(|(key, d)| Some((names.get(&key)?.clone(), d)))
            .collect();
        declared.sort_by_key(|(_, d)| (d.origin.in_notes, d.origin.line, d.origin.column));
        let generated = Generated {
            text,
            line_origin,
            origins,
            free,
            numeric,
            names,
            valued,
            declared,
        };
        (generated, self.unread)
    }

    /// The definitions in an order where each comes after the definitions it uses
    /// (depth first, in document order), and those on a cycle.
    fn order(&self) -> (Vec<usize>, Vec<usize>) {
        let n = self.defs.len();
        let deps = |d: usize| -> Vec<usize> {
            let mut keys = Vec::new();
            collect(&self.defs[d].ir, &mut keys, &mut HashSet::new());
            keys.iter()
                .filter_map(|k| self.defined.get(k).copied())
                .collect()
        };
        let mut state = vec![0u8; n];
        let mut cyclic = vec![false; n];
        let mut order = Vec::with_capacity(n);
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, deps(root), 0usize)];
            while let Some(top) = stack.last_mut() {
                if top.2 < top.1.len() {
                    let d = top.1[top.2];
                    top.2 += 1;
                    match state[d] {
                        0 => {
                            state[d] = 1;
                            stack.push((d, deps(d), 0));
                        }
                        1 => {
                            let from = stack.iter().position(|e| e.0 == d).unwrap_or(0);
                            for e in &stack[from..] {
                                cyclic[e.0] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    let v = top.0;
                    stack.pop();
                    state[v] = 2;
                    order.push(v);
                }
            }
        }
        let cycle: Vec<usize> = (0..n).filter(|&d| cyclic[d]).collect();
        (order, cycle)
    }
}

/// The symbols the program uses, in order of first use, and those differentiated
/// against.
#[derive(Default)]
struct Seen {
    used: Vec<Key>,
    seen: HashSet<Key>,
    params: HashSet<Key>,
}

impl Seen {
    /// The expression as `.grad` text; its symbols recorded.
    fn emit(&mut self, ir: &Ir, namer: &mut Namer) -> String {
        let mut keys = Vec::new();
        collect(ir, &mut keys, &mut self.params);
        for k in keys {
            if self.seen.insert(k.clone()) {
                self.used.push(k);
            }
        }
        print(ir, namer)
    }
}

/// Why what uses `bad` is not read.
fn unread_use(bad: &Key, undeclared: &HashSet<Key>) -> String {
    let what = if undeclared.contains(bad) {
        "shape declaration"
    } else {
        "definition"
    };
    format!("uses `{}`, whose {what} is not read", bad.latex())
}

/// Replaces each symbol `W'` of `transposes` by the transpose of its `W`.
fn transpose_primes(ir: &mut Ir, transposes: &HashMap<Key, Key>) {
    let mut stack = vec![ir];
    while let Some(ir) = stack.pop() {
        match ir {
            Ir::Sym(key) => {
                if let Some(bare) = transposes.get(key) {
                    *ir = Ir::Transpose(Box::new(Ir::Sym(bare.clone())));
                }
            }
            Ir::Num(_) => {}
            Ir::Neg(a) | Ir::Call(_, a) | Ir::Transpose(a) | Ir::Whole(_, a) | Ir::Grad(a, _) => {
                stack.push(a)
            }
            Ir::Bin(_, a, b) => {
                stack.push(a);
                stack.push(b);
            }
            Ir::Sum(terms) => stack.extend(terms.iter_mut()),
        }
    }
}

/// The letters an expression uses as indices: in subscripts, or alone.
fn letters(ast: &Ast, out: &mut HashSet<char>) {
    match ast {
        Ast::Num(_) => {}
        Ast::Sym(s) => sym_letters(s, out),
        Ast::Neg(a) | Ast::Call(_, a) | Ast::Transpose(a) | Ast::Whole(_, a) => letters(a, out),
        Ast::Bin(_, a, b) | Ast::Apply(a, b) => {
            letters(a, out);
            letters(b, out);
        }
        Ast::Grad(a, s) => {
            letters(a, out);
            sym_letters(s, out);
        }
        Ast::Sum { body, .. } => letters(body, out),
    }
}

fn sym_letters(s: &Sym, out: &mut HashSet<char>) {
    out.extend(s.sub.chars().filter(char::is_ascii_alphabetic));
    out.extend(s.sup.chars().filter(char::is_ascii_alphabetic));
    if s.sub.is_empty()
        && s.sup.is_empty()
        && s.decorations.is_empty()
        && s.base.chars().count() == 1
    {
        out.extend(s.base.chars());
    }
}

fn key_of(s: &Sym, env: &[(char, i64)]) -> Key {
    let bind = |text: &str| {
        let mut out = String::new();
        for c in text.chars() {
            match env.iter().rev().find(|(i, _)| *i == c) {
                Some((_, v)) => out.push_str(&v.to_string()),
                None => out.push(c),
            }
        }
        out
    };
    Key {
        base: s.base.clone(),
        decorations: s.decorations.clone(),
        sub: bind(&s.sub),
        sup: bind(&s.sup),
    }
}

/// A bound index standing alone (`k` in `\sum_{k=1}^{3} k`) is its value.
fn index_value(s: &Sym, env: &[(char, i64)]) -> Option<i64> {
    let mut chars = s.base.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    if !s.sub.is_empty() || !s.sup.is_empty() || !s.decorations.is_empty() {
        return None;
    }
    env.iter().rev().find(|(i, _)| *i == c).map(|(_, v)| *v)
}

/// What instantiating an expression needs besides its index values.
struct Cx<'f> {
    /// Nodes still allowed (sums and inlined functions expand).
    budget: usize,
    functions: &'f Functions,
    /// Inside a function's body: its parameter and the argument it stands for.
    param: Option<(Key, Ir)>,
    /// The functions being inlined, innermost last.
    active: Vec<Key>,
}

fn instantiate(ast: &Ast, env: &mut Vec<(char, i64)>, cx: &mut Cx) -> Result<Ir, Fail> {
    if cx.budget == 0 {
        return Err(Fail {
            start: 0,
            end: 0,
            why: format!("its sums expand to more than {MAX_NODES} terms"),
        });
    }
    cx.budget -= 1;
    Ok(match ast {
        Ast::Num(n) => Ir::Num(n.clone()),
        Ast::Sym(s) => match (&cx.param, index_value(s, env)) {
            (Some((param, argument)), _) if key_of(s, env) == *param => argument.clone(),
            (_, Some(v)) => Ir::Num(v.to_string()),
            _ => Ir::Sym(key_of(s, env)),
        },
        Ast::Neg(a) => Ir::Neg(Box::new(instantiate(a, env, cx)?)),
        // `s(a)^e`: the function `s` applied, then the power; or, when `s` is no
        // function, the product `s·a^e` (`y(1-y)^2`).
        Ast::Bin(Op::Pow, base, e) => match &**base {
            Ast::Apply(s, a) if function_of(s, env, cx).is_none() => Ir::Bin(
                Op::Mul,
                Box::new(instantiate(s, env, cx)?),
                Box::new(Ir::Bin(
                    Op::Pow,
                    Box::new(instantiate(a, env, cx)?),
                    Box::new(instantiate(e, env, cx)?),
                )),
            ),
            _ => Ir::Bin(
                Op::Pow,
                Box::new(instantiate(base, env, cx)?),
                Box::new(instantiate(e, env, cx)?),
            ),
        },
        Ast::Bin(op, a, b) => Ir::Bin(
            *op,
            Box::new(instantiate(a, env, cx)?),
            Box::new(instantiate(b, env, cx)?),
        ),
        Ast::Apply(a, b) => match function_of(a, env, cx) {
            Some(key) => inline(a, key, b, env, cx)?,
            None => Ir::Bin(
                Op::Mul,
                Box::new(instantiate(a, env, cx)?),
                Box::new(instantiate(b, env, cx)?),
            ),
        },
        Ast::Call(f, a) => Ir::Call(*f, Box::new(instantiate(a, env, cx)?)),
        Ast::Transpose(a) => Ir::Transpose(Box::new(instantiate(a, env, cx)?)),
        Ast::Whole(f, a) => Ir::Whole(*f, Box::new(instantiate(a, env, cx)?)),
        Ast::Grad(a, s) => {
            if index_value(s, env).is_some() {
                return Err(Fail {
                    start: s.start,
                    end: s.end,
                    why: "differentiates with respect to an index, which is a number".into(),
                });
            }
            let wrt = match &cx.param {
                Some((param, argument)) if key_of(s, env) == *param => match argument {
                    Ir::Sym(k) => k.clone(),
                    _ => {
                        return Err(Fail {
                            start: s.start,
                            end: s.end,
                            why: "differentiates with respect to a function's parameter \
                                  where its argument is not a symbol"
                                .into(),
                        })
                    }
                },
                _ => key_of(s, env),
            };
            Ir::Grad(Box::new(instantiate(a, env, cx)?), wrt)
        }
        Ast::Sum {
            index,
            values,
            body,
        } => {
            let mut terms = Vec::with_capacity(values.len());
            for v in values {
                env.push((*index, *v));
                let t = instantiate(body, env, cx);
                env.pop();
                terms.push(t?);
            }
            Ir::Sum(terms)
        }
    })
}

/// The key of the function the document defines that `ast` names, if it names one.
/// A function's name with a prime (`g'(u)`) is a derivative of it, which [`inline`]
/// reports as not read.
fn function_of(ast: &Ast, env: &[(char, i64)], cx: &Cx) -> Option<Key> {
    let Ast::Sym(s) = ast else { return None };
    let key = key_of(s, env);
    if cx.functions.get(&key).is_some() {
        return Some(key);
    }
    let primed = key.decorations.contains(&"prime");
    (primed && cx.functions.get(&functions::bare(&key)).is_some()).then_some(key)
}

/// The body of the function `key` (named by `name`) with its parameter replaced by
/// `argument`.
fn inline(
    name: &Ast,
    key: Key,
    argument: &Ast,
    env: &mut Vec<(char, i64)>,
    cx: &mut Cx,
) -> Result<Ir, Fail> {
    let (start, end) = match name {
        Ast::Sym(s) => (s.start, s.end),
        _ => (0, 0),
    };
    let fail = |why: String| Err(Fail { start, end, why });
    let Some(function) = cx.functions.get(&key) else {
        return fail(functions::derivative_why(&key));
    };
    if let Some(why) = &function.problem {
        return fail(why.clone());
    }
    if cx.active.contains(&key) {
        return fail(format!("`{}` is defined through itself", key.latex()));
    }
    let (param, body) = (function.param.clone(), function.body.clone());
    let argument = instantiate(argument, env, cx)?;
    let outer = cx.param.replace((param, argument));
    cx.active.push(key);
    // The body is the definition's: no index of the use is bound in it.
    let inlined = instantiate(&body, &mut Vec::new(), cx);
    cx.active.pop();
    cx.param = outer;
    inlined
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

fn precedence(ir: &Ir) -> u8 {
    match ir {
        Ir::Bin(Op::Add | Op::Sub, ..) => 1,
        // `⊙` is parenthesized wherever it meets another operator (below), so that
        // the program never depends on how the language ranks it against `*`.
        Ir::Bin(Op::Mul | Op::Div | Op::Hadamard, ..) => 2,
        Ir::Neg(_) => 3,
        Ir::Bin(Op::Pow, ..) | Ir::Transpose(_) => 4,
        _ => 5,
    }
}

fn is_hadamard(ir: &Ir) -> bool {
    matches!(ir, Ir::Bin(Op::Hadamard, ..))
}

/// The expression as `.grad` text, parenthesized where the language needs it.
fn print(ir: &Ir, namer: &mut Namer) -> String {
    let mut out = String::new();
    write(ir, namer, &mut out);
    out
}

fn write(ir: &Ir, namer: &mut Namer, out: &mut String) {
    let paren = |child: &Ir, need: bool, namer: &mut Namer, out: &mut String| {
        if need {
            out.push('(');
            write(child, namer, out);
            out.push(')');
        } else {
            write(child, namer, out);
        }
    };
    match ir {
        Ir::Num(n) => {
            if n.starts_with('.') {
                out.push('0');
            }
            out.push_str(n);
        }
        Ir::Sym(k) => out.push_str(&namer.name(k)),
        Ir::Neg(a) => {
            out.push('-');
            paren(a, precedence(a) <= 3, namer, out);
        }
        Ir::Bin(op, a, b) => {
            let p = precedence(ir);
            let (sym, left, right) = match op {
                Op::Add => (
                    " + ",
                    precedence(a) < p,
                    precedence(b) <= 3 && precedence(b) != 2,
                ),
                Op::Sub => (
                    " - ",
                    precedence(a) < p,
                    precedence(b) <= 3 && precedence(b) != 2,
                ),
                Op::Mul => (
                    " * ",
                    precedence(a) < p || is_hadamard(a),
                    precedence(b) <= 3,
                ),
                Op::Div => (
                    " / ",
                    precedence(a) < p || is_hadamard(a),
                    precedence(b) <= 3,
                ),
                Op::Pow => ("^", precedence(a) <= 4, precedence(b) < 5),
                // Left to right among `⊙` alone; any other product inside is grouped.
                Op::Hadamard => (
                    " ⊙ ",
                    precedence(a) < p || (precedence(a) == p && !is_hadamard(a)),
                    precedence(b) <= 3,
                ),
                Op::Outer => {
                    out.push_str("outer(");
                    write(a, namer, out);
                    out.push_str(", ");
                    write(b, namer, out);
                    out.push(')');
                    return;
                }
            };
            paren(a, left, namer, out);
            out.push_str(sym);
            paren(b, right, namer, out);
        }
        Ir::Call(f, a) => {
            out.push_str(f.name());
            out.push('(');
            write(a, namer, out);
            out.push(')');
        }
        Ir::Transpose(a) => {
            paren(a, precedence(a) <= 4, namer, out);
            out.push_str("^T");
        }
        Ir::Whole(f, a) => {
            out.push_str(f.name());
            out.push('(');
            write(a, namer, out);
            out.push(')');
        }
        Ir::Grad(a, k) => {
            out.push_str("grad(");
            write(a, namer, out);
            out.push_str(", ");
            out.push_str(&namer.name(k));
            out.push(')');
        }
        Ir::Sum(terms) => {
            if terms.is_empty() {
                out.push('0');
                return;
            }
            out.push('(');
            for (i, t) in terms.iter().enumerate() {
                if i > 0 {
                    out.push_str(" + ");
                }
                paren(t, precedence(t) <= 1 || precedence(t) == 3, namer, out);
            }
            out.push(')');
        }
    }
}

/// A value for a free symbol, drawn from its name: 0.05 to 0.94, reproducible.
fn value_of(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("0.{:02}", 5 + h % 90)
}

/// Text on one line: runs of whitespace with a line break become one space.
fn one_line(s: &str) -> String {
    if !s.contains('\n') {
        return s.trim().to_string();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

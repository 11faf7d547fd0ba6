//! The program written: definitions in order and claims in the document's order, each
//! under a comment saying where it comes from, what uses an unread definition left
//! out, and the free symbols declared with their values or shapes.

use std::collections::HashSet;

use super::print::print;
use super::{collect, lone_number, Builder, Declared, Generated, Ir};
use crate::read::names::{Key, Namer};
use crate::read::printed::has_decimal;
use crate::read::{Origin, Unread};

/// The program's statements, each with the relation it comes from, in the order they
/// are written.
struct Statements {
    body: Vec<(String, Origin)>,
    /// Per claim: its sides, if they print a decimal number.
    numeric: Vec<Option<(Ir, Ir)>>,
    seen: Seen,
}

/// The program's text, and for each of its lines the statement it writes, if any.
struct Lines {
    text: String,
    line_origin: Vec<Option<usize>>,
}

impl Lines {
    fn push(&mut self, line: &str, origin: Option<usize>) {
        self.text.push_str(line);
        self.text.push('\n');
        self.line_origin.push(origin);
    }

    /// A blank line, then comment lines.
    fn section(&mut self, comments: &[&str]) {
        self.push("", None);
        for c in comments {
            self.push(c, None);
        }
    }
}

impl Builder {
    /// Orders the definitions, declares the free symbols and writes the program.
    pub fn generate(mut self, header: &str) -> (Generated, Vec<Unread>) {
        self.primes_as_transposes();
        let mut namer = Namer::default();
        let Statements {
            body,
            numeric,
            seen,
        } = self.statements(&mut namer);
        let free = self.free_symbols(&seen, &mut namer);
        let valued: HashSet<String> = self
            .values
            .iter()
            .filter(|v| !v.withdrawn)
            .map(|v| namer.name(&v.key))
            .collect();
        let mut out = Lines {
            text: String::new(),
            line_origin: vec![None],
        };
        for l in header.lines() {
            out.push(format!("# {l}").trim_end(), None);
        }
        self.write_functions(&mut out);
        self.write_free(&mut out, &free);
        let origins = write_body(&mut out, body, &numeric);
        let names = namer.into_names();
        let mut declared: Vec<(String, Declared)> = self
            .shapes
            .into_iter()
            .filter(|(key, _)| self.defined.contains_key(key))
            .filter_map(|(key, d)| Some((names.get(&key)?.clone(), d)))
            .collect();
        declared.sort_by_key(|(_, d)| (d.origin.in_notes, d.origin.line, d.origin.column));
        let generated = Generated {
            text: out.text,
            line_origin: out.line_origin,
            origins,
            free,
            numeric,
            names,
            valued,
            declared,
        };
        (generated, self.unread)
    }

    /// The definitions in order and the claims in the document's order. A definition on
    /// a cycle, or using an undeclared symbol or a definition left out, is left out in
    /// turn and said to be unread, as is a claim using one.
    fn statements(&mut self, namer: &mut Namer) -> Statements {
        let (order, cyclic) = self.order();
        let mut seen = Seen::default();
        let mut body: Vec<(String, Origin)> = Vec::new();
        let mut numeric = Vec::new();
        let mut poisoned: HashSet<Key> = self.undeclared.iter().cloned().collect();
        let mut on_cycle = vec![false; self.defs.len()];
        let cycle_names: Vec<String> = cyclic.iter().map(|&d| self.defs[d].key.latex()).collect();
        for &d in &cyclic {
            let def = &self.defs[d];
            poisoned.insert(def.key.clone());
            on_cycle[d] = true;
            let why = format!(
                "a cycle of definitions: {} depend on each other",
                cycle_names.join(", ")
            );
            self.unread.push(Unread::at(&def.origin, why));
        }
        for d in order.into_iter().filter(|&d| !on_cycle[d]) {
            let def = &self.defs[d];
            let mut keys = Vec::new();
            collect(&def.ir, &mut keys, &mut HashSet::new());
            if let Some(bad) = keys.iter().find(|k| poisoned.contains(*k)) {
                let why = unread_use(bad, &self.undeclared);
                self.unread.push(Unread::at(&def.origin, why));
                poisoned.insert(def.key.clone());
                continue;
            }
            let name = namer.name(&def.key);
            seen.seen.insert(def.key.clone());
            let rhs = seen.emit(&def.ir, namer);
            body.push((format!("{name} = {rhs}"), def.origin.clone()));
        }
        // In the document's order (a value that became a claim stands where it was given).
        self.claims.sort_by_key(|c| c.seq);
        for claim in &self.claims {
            let mut keys = Vec::new();
            collect(&claim.lhs, &mut keys, &mut HashSet::new());
            collect(&claim.rhs, &mut keys, &mut HashSet::new());
            if let Some(bad) = keys.iter().find(|k| poisoned.contains(*k)) {
                let why = unread_use(bad, &self.undeclared);
                self.unread.push(Unread::at(&claim.origin, why));
                continue;
            }
            let lhs = seen.emit(&claim.lhs, namer);
            let rhs = seen.emit(&claim.rhs, namer);
            body.push((format!("claim {lhs} = {rhs}"), claim.origin.clone()));
            numeric.push(
                (has_decimal(&claim.lhs) || has_decimal(&claim.rhs))
                    .then(|| (claim.lhs.clone(), claim.rhs.clone())),
            );
        }
        Statements {
            body,
            numeric,
            seen,
        }
    }

    /// The free symbols, `(name, key, is a parameter)`: used and not defined, then those
    /// the document gives values but nothing uses.
    fn free_symbols(&self, seen: &Seen, namer: &mut Namer) -> Vec<(String, Key, bool)> {
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
        free
    }

    /// The functions the document defines, as comments (they are inlined).
    fn write_functions(&self, out: &mut Lines) {
        let functions = self.functions.read();
        if functions.is_empty() {
            return;
        }
        out.section(&["# Functions the document defines, inlined where they are used."]);
        for f in functions {
            let o = &f.origin;
            let line = format!("# {} {}:{}  {}", o.place(), o.line, o.column, o.text);
            out.push(&line, None);
        }
    }

    /// The free symbols' declarations: kind, shape, and the value the document gives
    /// or one drawn from the name.
    fn write_free(&self, out: &mut Lines, free: &[(String, Key, bool)]) {
        if !free.is_empty() {
            out.section(if self.values.is_empty() {
                &[
                    "# Free symbols (no equation defines them): a parameter if something is",
                    "# differentiated with respect to it, else an input; values drawn from the",
                    "# name, and check also tests random values of each.",
                ]
            } else {
                &[
                    "# Free symbols (no equation defines them): a parameter if something is",
                    "# differentiated with respect to it, else an input; the value the document",
                    "# gives it, else one drawn from the name; check also tests random values of",
                    "# each.",
                ]
            });
        }
        for (name, key, param) in free {
            let kind = if *param { "param" } else { "input" };
            // A declared vector or matrix: its shape, and its entries drawn from its
            // name by the language unless the document gives one value for all.
            let shape = self.shapes.get(key).and_then(|d| {
                let declared = format!(", declared on {} {}", d.origin.place(), d.origin.line);
                Some((d.dims.grad()?, declared))
            });
            let (shape, declared) = match shape {
                Some((s, d)) => (format!(": {s}"), d),
                None => (String::new(), String::new()),
            };
            let line = match self.valued.get(key).map(|&v| &self.values[v]) {
                Some(v) => format!(
                    "{kind} {name}{shape} = {}  # {}, given on {} {}{declared}",
                    lone_number(&v.number).unwrap_or_default(),
                    key.latex(),
                    v.origin.place(),
                    v.origin.line
                ),
                None if !shape.is_empty() => {
                    format!("{kind} {name}{shape}  # {}{declared}", key.latex())
                }
                None => format!("{kind} {name} = {}  # {}", value_of(name), key.latex()),
            };
            out.push(&line, None);
        }
    }
}

/// The definitions and claims, each under a comment with where it comes from (and its
/// index values, and for a claim among printed numbers, that it holds within their
/// rounding); returns their origins, indexed by `line_origin`.
fn write_body(
    out: &mut Lines,
    body: Vec<(String, Origin)>,
    numeric: &[Option<(Ir, Ir)>],
) -> Vec<Origin> {
    let mut origins = Vec::with_capacity(body.len());
    let mut last_was_def = None;
    let mut claim_index = 0;
    for (statement, origin) in body {
        let is_claim = statement.starts_with("claim ");
        if last_was_def != Some(!is_claim) {
            out.section(&[if is_claim {
                "# Claims, in the document's order."
            } else {
                "# Definitions, each after what it uses."
            }]);
            last_was_def = Some(!is_claim);
        }
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
        let comment = format!(
            "# {} {}:{}  {}{bindings}{rounded}",
            origin.place(),
            origin.line,
            origin.column,
            origin.text
        );
        out.push(&comment, None);
        out.push(&statement, Some(origins.len()));
        origins.push(origin);
    }
    origins
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

/// A value for a free symbol, drawn from its name: 0.05 to 0.94, reproducible.
fn value_of(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("0.{:02}", 5 + h % 90)
}

//! The program written: definitions in order and claims in the document's order, each
//! under a comment saying where it comes from, what uses an unread definition left
//! out, and the free symbols declared with their values or shapes.

use std::collections::HashSet;

use super::print::print;
use super::{collect, lone_number, Builder, Declared, Generated, Ir};
use crate::read::names::{Key, Namer};
use crate::read::printed::has_decimal;
use crate::read::{Origin, Unread};

impl Builder {
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

//! The resolver's part for names in expressions: a bound index or a resolved
//! quantity, and the errors for the others (unknown, used before its definition, on a
//! cycle, found by following later definitions' references).

use std::collections::{HashMap, VecDeque};

use super::super::ast::{Expr, Item, StatementKind};
use super::super::error::{closest, ErrorKind};
use super::super::lexer::Name;
use super::super::parser::evaluate_range;
use super::super::program::Symbol;
use super::super::shape_ops::Val;
use super::super::span::Source;
use super::templates::{describe_env, interpolate};
use super::{scalar, Instance, Resolved, Resolver, Value, MAX_SUMMANDS};

impl Resolver<'_> {
    /// A name in an expression: a bound index (its value), or a resolved quantity.
    pub(super) fn name(
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
    pub(super) fn cycle(&self, current: &str, used: &str, all: &[Instance]) -> Option<Vec<String>> {
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
}

pub(super) fn cycle_path(
    current: &str,
    used: &str,
    parent: &HashMap<String, String>,
) -> Vec<String> {
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

/// The names an expression refers to, sums expanded (for finding cycles).
pub(super) fn references(expr: &Expr, env: &[(String, i64)], source: &Source) -> Vec<String> {
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
                // A range that cannot be evaluated is reported when its definition is
                // resolved; here its body is visited once, for the names it can give.
                let (lo, hi) = evaluate_range(lo, hi, &env, source).unwrap_or((0, 0));
                env.push((index.clone(), lo));
                loops.push((lo, hi, pc));
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

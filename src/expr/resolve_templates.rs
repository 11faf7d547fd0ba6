//! The resolver's part for `for` templates: expanding a statement's bindings into
//! instances (bounds evaluated per expansion), filling `{i}` holes in names, and the
//! text of an expanded claim.

use std::borrow::Cow;

use super::super::ast::{Binding, Expr, Item, Statement};
use super::super::error::{Diagnostic, ErrorKind};
use super::super::lexer::{Name, NamePart};
use super::super::parser::evaluate_range;
use super::super::span::{Source, Span};
use super::{Instance, Resolver, MAX_INSTANCES};

impl Resolver<'_> {
    /// Every statement's instances, in source order (a template's in odometer order,
    /// last index fastest).
    pub(super) fn expand<'a>(&mut self, statements: &'a [Statement]) -> Vec<Instance<'a>> {
        let mut instances = Vec::new();
        // Statements made by templates: the limit is on expansion, not on the file's
        // own statements (those are bounded by its size).
        let mut expanded = 0usize;
        for statement in statements {
            if statement.bindings.is_empty() {
                instances.push(Instance {
                    statement,
                    env: Vec::new(),
                });
                continue;
            }
            let before = instances.len();
            let made = odometer(&statement.bindings, self.source, |env| {
                if expanded >= MAX_INSTANCES {
                    return false;
                }
                expanded += 1;
                instances.push(Instance {
                    statement,
                    env: env.to_vec(),
                });
                true
            });
            match made {
                Ok(()) => {}
                Err(stop) => {
                    // A template that cannot be expanded whole adds no statements.
                    instances.truncate(before);
                    let d = stop.unwrap_or_else(|| {
                        let span = statement.bindings.iter().map(|b| b.span).reduce(Span::to);
                        self.diagnostic(
                            ErrorKind::TooLarge,
                            span.unwrap_or(statement.span),
                            format!("templates expand to more than {MAX_INSTANCES} statements"),
                        )
                        .with_hint("use smaller index ranges")
                    });
                    self.errors.push(d);
                }
            }
        }
        instances
    }
}

/// Every binding combination, last index fastest (`i=4,j=7`, `i=4,j=8`, ...). A
/// binding's bounds are evaluated with the bindings before it (`for i in 1..3, j in
/// i..3`). Stops when `visit` returns false (`Err(None)`: too many) or at a bound that
/// cannot be evaluated (`Err(Some(_))`, with the bindings it was evaluated under).
pub(super) fn odometer(
    bindings: &[Binding],
    source: &Source,
    mut visit: impl FnMut(&[(String, i64)]) -> bool,
) -> Result<(), Option<Diagnostic>> {
    let mut env: Vec<(String, i64)> = Vec::with_capacity(bindings.len());
    let mut highs: Vec<i64> = Vec::with_capacity(bindings.len());
    loop {
        while let Some(b) = bindings.get(env.len()) {
            let (lo, hi) = evaluate_range(&b.lo, &b.hi, &env, source)
                .map_err(|d| Some(with_bindings(d, &env)))?;
            env.push((b.index.clone(), lo));
            highs.push(hi);
        }
        if !visit(&env) {
            return Err(None);
        }
        loop {
            let (Some(last), Some(&hi)) = (env.last_mut(), highs.last()) else {
                return Ok(());
            };
            if last.1 < hi {
                last.1 += 1;
                break;
            }
            env.pop();
            highs.pop();
        }
    }
}

/// The name with its `{i}` holes filled from `env` (innermost binding first).
pub(super) fn interpolate<'n>(
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

pub(super) fn describe_env(env: &[(String, i64)]) -> String {
    env.iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn with_bindings(d: Diagnostic, env: &[(String, i64)]) -> Diagnostic {
    if env.is_empty() {
        d
    } else {
        d.with_note(format!("in the expansion with {}", describe_env(env)))
    }
}

/// The claim as written, with the template's indices filled into names and the text
/// put on one line (continuations and comments removed).
pub(super) fn claim_text(source: &str, lhs: &Expr, rhs: &Expr, env: &[(String, i64)]) -> String {
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

//! Functions a document defines: `g(u) = u^2` makes `g(w_1)` stand for `w_1^2`.
//!
//! An equation `f(x) = …` (or `:=`) whose left side is a symbol applied to a symbol,
//! with two sides, defines the one-argument function `f`, wherever it stands in the
//! document (the document is resolved as a whole, as its definitions are). A use
//! `f(a)` is the body with the parameter replaced by `a`, inlined: the `.grad`
//! language has no functions of its own, and derivatives of the inlined expression are
//! the chain rule's. What is not read, and says why: a function defined twice or in a
//! chain (`f(x) = x^2 = x \cdot x`), one defined through itself, a derivative written
//! on the function's name (`f'(x)`), and a derivative with respect to the parameter
//! where the argument is not a symbol. The language's own functions (`\sigma(x) = …`)
//! are not these: their definitions are claims.

use std::collections::HashMap;

use super::names::Key;
use super::parse::{Ast, Sym};
use super::rows::{Equation, Item, Row};
use super::{Lines, Origin};

/// One function the document defines.
#[derive(Clone, Debug)]
pub(crate) struct Function {
    /// The parameter, as a key (no index substituted).
    pub param: Key,
    /// The right side.
    pub body: Ast,
    /// Where the definition stands (the relation sign), with its text.
    pub origin: Origin,
    /// The file (0 the notes, 1 the document) and byte where the definition's left
    /// side starts, which identify it.
    pub at: (u8, usize),
    /// Why it is not read, if it is not (defined twice, or in a chain).
    pub problem: Option<String>,
}

/// The functions a document (and its notes) define, by name.
#[derive(Debug, Default)]
pub(crate) struct Functions {
    by_key: HashMap<Key, Function>,
    /// Definitions of a name already defined, by file and byte: why they are not read.
    again: HashMap<(u8, usize), String>,
}

/// The key of a symbol as written at a definition (no index bound).
pub(crate) fn plain_key(s: &Sym) -> Key {
    Key {
        base: s.base.clone(),
        decorations: s.decorations.clone(),
        sub: s.sub.clone(),
        sup: s.sup.clone(),
    }
}

/// The name and parameter of `f(x) = …`, if the equation's left side is one.
pub(crate) fn head(eq: &Equation) -> Option<(&Sym, &Sym)> {
    match &eq.sides[0].ast {
        Ast::Apply(f, x) => match (&**f, &**x) {
            (Ast::Sym(f), Ast::Sym(x)) => Some((f, x)),
            _ => None,
        },
        _ => None,
    }
}

/// The key without its prime: `f` for `f'`.
pub(crate) fn bare(key: &Key) -> Key {
    Key {
        decorations: key
            .decorations
            .iter()
            .copied()
            .filter(|&d| d != "prime")
            .collect(),
        ..key.clone()
    }
}

/// Why `f'(x)` is not read where the document defines `f`.
pub(crate) fn derivative_why(key: &Key) -> String {
    format!(
        "`{}(…)` is a derivative of a function the document defines, which is not read \
         in this notation; write `\\frac{{d}}{{dx}}` of the function applied to `x`",
        key.latex()
    )
}

impl Functions {
    /// Records the functions the row's equations define; `file` is 0 for the notes
    /// file, 1 for the document.
    pub fn collect(&mut self, file: u8, text: &str, notes: bool, lines: &Lines, row: &Row) {
        for item in &row.items {
            let Item::Equation(eq) = item else { continue };
            let Some((f, x)) = head(eq) else { continue };
            let key = plain_key(f);
            let start = eq.sides[0].start;
            let end = eq.sides[1].end;
            let (line, column) = lines.position(text, eq.relations[0].at);
            let place = |notes: bool, line: usize| {
                format!("{}line {line}", if notes { "notes " } else { "" })
            };
            match self.by_key.get_mut(&key) {
                Some(first) => {
                    let why = format!(
                        "`{}` is defined as a function twice (on {} and {})",
                        key.latex(),
                        place(first.origin.in_notes, first.origin.line),
                        place(notes, line)
                    );
                    first.problem.get_or_insert_with(|| why.clone());
                    self.again.insert((file, start), why);
                }
                None => {
                    let function = Function {
                        param: plain_key(x),
                        body: eq.sides[1].ast.clone(),
                        origin: Origin {
                            line,
                            column,
                            text: text[start..end]
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                            bindings: Vec::new(),
                            in_notes: notes,
                        },
                        at: (file, start),
                        problem: (eq.sides.len() > 2).then(|| {
                            "this defines a function in a chain of equations; define it \
                             alone (`f(x) = …`) and state the rest as claims"
                                .to_string()
                        }),
                    };
                    self.by_key.insert(key, function);
                }
            }
        }
    }

    /// After every row is collected: `f'(x) = …` where the document defines `f` is a
    /// claim about `f`'s derivative, which is not read, rather than a new function.
    pub fn finish(&mut self) {
        let primed: Vec<Key> = self
            .by_key
            .keys()
            .filter(|k| k.decorations.contains(&"prime"))
            .filter(|k| self.by_key.contains_key(&bare(k)))
            .cloned()
            .collect();
        for key in primed {
            if let Some(f) = self.by_key.get_mut(&key) {
                f.problem.get_or_insert_with(|| derivative_why(&key));
            }
        }
    }

    /// The function named `key`, if the document defines one.
    pub fn get(&self, key: &Key) -> Option<&Function> {
        self.by_key.get(key)
    }

    /// Whether the equation whose left side starts at byte `at` of `file` is the
    /// definition of the function `key`: `Ok` if it is read, `Err` with why not.
    pub fn defined_at(&self, key: &Key, file: u8, at: usize) -> Option<Result<&Function, String>> {
        if let Some(why) = self.again.get(&(file, at)) {
            return Some(Err(why.clone()));
        }
        let function = self.by_key.get(key).filter(|f| f.at == (file, at))?;
        Some(match &function.problem {
            Some(why) => Err(why.clone()),
            None => Ok(function),
        })
    }

    /// Every function read, in the order of their definitions.
    pub fn read(&self) -> Vec<&Function> {
        let mut read: Vec<&Function> = self
            .by_key
            .values()
            .filter(|f| f.problem.is_none())
            .collect();
        read.sort_by_key(|f| f.at);
        read
    }
}

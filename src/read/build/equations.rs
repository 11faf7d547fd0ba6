//! One equation read: for each value of the index ranges it uses, its sides
//! instantiated and each relation decided as a definition, a value given to a symbol,
//! or a claim.

use std::collections::HashSet;

use super::instantiate::{instantiate, Cx};
use super::{
    lone_number, one_line, Builder, ClaimStatement, Def, Ir, Source, Value, MAX_NODES,
    MAX_STATEMENTS,
};
use crate::read::functions;
use crate::read::parse::{Ast, Sym};
use crate::read::rows::{Equation, Row};
use crate::read::{Origin, Unread};

impl Builder {
    pub(super) fn equation(&mut self, source: &Source, row: &Row, eq: &Equation) {
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
                self.unread.push(Unread::at(
                    &origin,
                    "a definition's left side must be one symbol".into(),
                ));
                continue;
            };
            let earlier = match (self.defined.get(&key), self.valued.get(&key)) {
                (Some(&d), _) => Some(self.defs[d].origin.line),
                (None, Some(&v)) => Some(self.values[v].origin.line),
                (None, None) => None,
            };
            if let Some(at) = earlier {
                self.unread.push(Unread::at(
                    &origin,
                    format!("`{}` is already defined on line {at}", key.latex()),
                ));
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

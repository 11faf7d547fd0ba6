//! The syntax tree to [`Ir`]: symbols resolved to keys with the bound indices
//! substituted, sums expanded, and the functions the document defines inlined, all
//! within a budget of nodes.

use super::{Ir, MAX_NODES};
use crate::read::functions::{self, Functions};
use crate::read::names::Key;
use crate::read::parse::{Ast, Fail, Op, Sym};

pub(super) fn key_of(s: &Sym, env: &[(char, i64)]) -> Key {
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
pub(super) struct Cx<'f> {
    /// Nodes still allowed (sums and inlined functions expand).
    pub(super) budget: usize,
    pub(super) functions: &'f Functions,
    /// Inside a function's body: its parameter and the argument it stands for.
    pub(super) param: Option<(Key, Ir)>,
    /// The functions being inlined, innermost last.
    pub(super) active: Vec<Key>,
}

pub(super) fn instantiate(ast: &Ast, env: &mut Vec<(char, i64)>, cx: &mut Cx) -> Result<Ir, Fail> {
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

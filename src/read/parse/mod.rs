//! The LaTeX subset's expressions: tokens to a small syntax tree ([`Ast`]).
//!
//! Recursive descent with a depth limit ([`MAX_DEPTH`]): a deeply nested formula is a
//! clear "too deeply nested" instead of a stack overflow. Products by juxtaposition and
//! chains of `+`/`-` are loops, so a long formula costs no depth.
//!
//! One idea per file: [`symbols`] (the name tables and reading one symbol),
//! [`operators`] (sums, products, signs, powers and transposes), [`primary`] (one
//! value: numbers, `e`, words, norms, brackets and groups) and [`commands`] (`\frac`,
//! `\sqrt`, `\sum`, `\nabla`, `\partial` and the functions); the unit tests are in
//! `tests.rs`.
//!
//! The stated readings of ambiguous notation:
//! - `\sigma(…)`, `\exp`, `\ln`, `\log`, `\tanh`, `\sin`, `\cos`, `\sqrt{…}` and
//!   `\operatorname{relu}`-style words are the language's functions; `\sigma` without
//!   a parenthesis is a symbol named sigma.
//! - Any other symbol followed by a parenthesis is a product (`\hat{y}_7(1-\hat{y}_7)`),
//!   unless the document defines it as a function (`g(u) = u^2`); the tree keeps it as
//!   [`Ast::Apply`] (with a power after the parenthesis on the whole) so that the
//!   builder, which knows the document's functions, can tell them apart.
//! - `e` is Euler's number (`e^{-x}` is `exp(-x)`); `e_1` is a symbol.
//! - `x_12` is `x_{12}` (a whole number as the subscript).
//! - `\frac{\partial A}{\partial B}`, `\frac{dA}{dB}` and `\partial A / \partial B` are
//!   `grad(A, B)`; `B` must be a symbol, `A` may be any expression.
//! - Matrix notation: `^T`, `^\top`, `^\intercal`, `^{\mathsf{T}}` are always the
//!   transpose (as `^T` in the language); `\odot` and `\circ` the entrywise product,
//!   `\otimes` the outer product; `\|v\|` the norm; bold and arrow faces
//!   (`\mathbf{W}`, `\boldsymbol{\delta}`, `\bm`, `\vec`) do not change which symbol
//!   it is; `\sigma'(z)` is σ's derivative `σ(z) ⊙ (1 − σ(z))`. `W'` stays a symbol
//!   here: the builder makes it a transpose where `W` is a declared matrix.
//! - A parenthesized superscript holding a whole number or a letter (`W^{(2)}`,
//!   `a^{(l)}`) is a layer label, part of the symbol, never a power; `\nabla_{W} L` is
//!   `grad(L, W)`.

mod commands;
mod operators;
mod primary;
mod symbols;
#[cfg(test)]
mod tests;

use crate::expr::Func;
use crate::read::tokens::{Tok, Token};

use symbols::glued_letters;

/// The deepest nesting of groups, parentheses and fractions read.
pub const MAX_DEPTH: usize = 64;

/// The most values a `\sum` may run over.
pub const MAX_SUM: i64 = 1000;

/// A symbol as written: its base letter, command or word, its decorations and its
/// subscript (flattened: `L_{s_7}` and `L_{s7}` both have subscript `s7`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sym {
    /// `y`, `\omega`, or a word (`net`).
    pub base: String,
    /// `hat`, `bar`, `tilde`, `prime`, `plus`, `star`, sorted.
    pub decorations: Vec<&'static str>,
    /// The subscript's letters and digits, before bound indices are substituted.
    pub sub: String,
    /// A layer label written as a parenthesized superscript: `2` in `W^{(2)}`, `l` in
    /// `\mathbf{a}^{(l)}` (before bound indices are substituted), or empty.
    pub sup: String,
    /// Where it is written: first byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

impl Sym {
    /// A symbol with no decorations, subscript or layer label, written at `start..end`.
    pub fn plain(base: String, start: usize, end: usize) -> Sym {
        Sym {
            base,
            decorations: Vec::new(),
            sub: String::new(),
            sup: String::new(),
            start,
            end,
        }
    }
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `\cdot`, `\times`, `*`, juxtaposition
    Mul,
    /// `/`, `\frac`
    Div,
    /// `^`
    Pow,
    /// `\odot`, `\circ`: entry by entry.
    Hadamard,
    /// `\otimes`: the outer product `u vᵀ`.
    Outer,
}

/// A function of a whole vector or matrix (not entry by entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whole {
    /// `\|v\|`: the Euclidean norm.
    Norm,
    /// `\operatorname{softmax}(z)`.
    Softmax,
}

impl Whole {
    /// The `.grad` language's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Whole::Norm => "norm",
            Whole::Softmax => "softmax",
        }
    }
}

/// An expression as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    /// A number as written (`2`, `0.5`).
    Num(String),
    /// A symbol.
    Sym(Sym),
    /// `-a`
    Neg(Box<Ast>),
    /// `a op b`
    Bin(Op, Box<Ast>, Box<Ast>),
    /// A symbol followed by a parenthesis: a function the document defines applied to
    /// the parenthesis's content, or else a product by the stated rule. A power written
    /// after the parenthesis is a [`Ast::Bin`] `Pow` around the `Apply`.
    Apply(Box<Ast>, Box<Ast>),
    /// One of the language's functions (entry by entry on a vector or matrix).
    Call(Func, Box<Ast>),
    /// `W^\top`, `W^T`, `W^{\mathsf{T}}`, `W^{\intercal}`: the transpose.
    Transpose(Box<Ast>),
    /// A function of a whole vector or matrix.
    Whole(Whole, Box<Ast>),
    /// `∂A/∂B`.
    Grad(Box<Ast>, Sym),
    /// `\sum_{k=lo}^{hi} body`.
    Sum {
        /// The bound index.
        index: char,
        /// Its values.
        values: Vec<i64>,
        /// What is summed (a product-level term).
        body: Box<Ast>,
    },
}

/// Why a piece of math could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fail {
    /// First byte of the offending text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Why, in words.
    pub why: String,
}

type R<T> = Result<T, Fail>;

/// Parses all of `tokens` as one expression. `end` is where the text ends (for "ends
/// too early" messages).
pub fn expression(tokens: &[Token], end: usize) -> R<Ast> {
    glued_letters(tokens)?;
    let mut p = Parser {
        toks: tokens,
        pos: 0,
        depth: 0,
        end,
        norms: 0,
    };
    let ast = p.expr()?;
    p.finish()?;
    Ok(ast)
}

/// Parses all of `tokens` as one symbol (`\hat{y}_{7}`).
pub fn symbol(tokens: &[Token], end: usize) -> R<Sym> {
    symbol_at_depth(tokens, end, 0)
}

fn symbol_at_depth(tokens: &[Token], end: usize, depth: usize) -> R<Sym> {
    let mut p = Parser::new(tokens, end, depth);
    let s = p.symbol()?;
    p.finish()?;
    Ok(s)
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
    depth: usize,
    end: usize,
    /// Norm bars open (`\|`): inside one, a bar closes it rather than opening another.
    norms: usize,
}

impl<'a> Parser<'a> {
    /// A parser of `toks[..end]` from its start, at nesting `depth`.
    fn new(toks: &'a [Token], end: usize, depth: usize) -> Self {
        Parser {
            toks,
            pos: 0,
            depth,
            end,
            norms: 0,
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Tok> {
        self.toks.get(self.pos + ahead).map(|t| &t.tok)
    }

    fn here(&self) -> (usize, usize) {
        match self.toks.get(self.pos) {
            Some(t) => (t.start, t.end),
            None => (self.end, self.end),
        }
    }

    fn fail<T>(&self, why: impl Into<String>) -> R<T> {
        let (start, end) = self.here();
        Err(Fail {
            start,
            end,
            why: why.into(),
        })
    }

    fn finish(&self) -> R<()> {
        match self.peek() {
            None => Ok(()),
            Some(t) => self.fail(format!("cannot read {} here", describe(t))),
        }
    }

    fn expect(&mut self, want: Tok, what: &str) -> R<()> {
        if self.peek() == Some(&want) {
            self.pos += 1;
            Ok(())
        } else {
            match self.peek() {
                Some(t) => self.fail(format!("expected {what}, found {}", describe(t))),
                None => self.fail(format!("expected {what}, but the formula ends")),
            }
        }
    }

    fn deeper(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        Ok(())
    }
}

/// A group's tokens as an expression, one level deeper than `depth`.
fn sub_expression(tokens: &[Token], end: usize, depth: usize) -> R<Ast> {
    if tokens.is_empty() {
        return Err(Fail {
            start: end,
            end,
            why: "an empty `{}` where a value is expected".into(),
        });
    }
    let mut p = Parser::new(tokens, end, depth);
    let ast = p.expr()?;
    p.finish()?;
    Ok(ast)
}

/// A whole number that fits the reader's index values.
pub fn integer(text: &str) -> Option<i64> {
    if text.contains('.') || text.len() > 9 {
        return None;
    }
    text.parse().ok()
}

/// How a token reads in a message.
pub fn describe(t: &Tok) -> String {
    match t {
        Tok::Cmd(c) => format!("`\\{c}`"),
        Tok::Letter(c) => format!("`{c}`"),
        Tok::Number(n) => format!("the number {n}"),
        Tok::Word(w) => format!("`{w}`"),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBracket => "`[`".into(),
        Tok::RBracket => "`]`".into(),
        Tok::LSet => "`\\{`".into(),
        Tok::RSet => "`\\}`".into(),
        Tok::Caret => "`^`".into(),
        Tok::Underscore => "`_`".into(),
        Tok::Plus => "`+`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Times => "a product sign".into(),
        Tok::Hadamard => "`\\odot`".into(),
        Tok::Outer => "`\\otimes`".into(),
        Tok::Reals => "`\\mathbb{R}`".into(),
        Tok::Norm => "`\\|`".into(),
        Tok::Slash => "`/`".into(),
        Tok::Equals => "`=`".into(),
        Tok::Define => "`:=`".into(),
        Tok::OtherRelation(r) => format!("the relation `{r}`"),
        Tok::Colon => "`:`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Prime => "`'`".into(),
        Tok::RowBreak => "`\\\\`".into(),
        Tok::Environment(e) => format!("`\\{e}`"),
        Tok::Other(c) => format!("`{c}`"),
        Tok::MacroWithArguments(name, _) => format!("`\\{name}`"),
    }
}

//! The LaTeX subset's expressions: tokens to a small syntax tree ([`Ast`]).
//!
//! Recursive descent with a depth limit ([`MAX_DEPTH`]): a deeply nested formula is a
//! clear "too deeply nested" instead of a stack overflow. Products by juxtaposition and
//! chains of `+`/`-` are loops, so a long formula costs no depth.
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

use crate::expr::Func;

use super::tokens::{Tok, Token};

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

const GREEK: [&str; 36] = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "rho",
    "varrho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
];

const DECORATIONS: [(&str, &str); 7] = [
    ("hat", "hat"),
    ("widehat", "hat"),
    ("bar", "bar"),
    ("overline", "bar"),
    ("tilde", "tilde"),
    ("widetilde", "tilde"),
    ("dot", "dot"),
];

/// Bold and arrow type faces: they say a symbol is a vector or matrix, not which
/// symbol it is, so `\mathbf{W}_1`, `\boldsymbol{W}_1` and `W_1` are one symbol.
const FACES: [&str; 7] = [
    "mathbf",
    "boldsymbol",
    "bm",
    "pmb",
    "mathbfit",
    "vec",
    "overrightarrow",
];

/// Whether `name` (without backslash) is a bold or arrow face ([`FACES`]).
pub fn is_face(name: &str) -> bool {
    FACES.contains(&name)
}

/// Whether `name` (without backslash) is a Greek letter command.
pub fn is_greek(name: &str) -> bool {
    GREEK.contains(&name)
}

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
    let mut p = Parser {
        toks: tokens,
        pos: 0,
        depth,
        end,
        norms: 0,
    };
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

    fn expr(&mut self) -> R<Ast> {
        self.deeper()?;
        let mut left = self.term()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => Op::Add,
                Some(Tok::Minus) => Op::Sub,
                _ => break,
            };
            self.pos += 1;
            let right = self.term()?;
            left = Ast::Bin(op, Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    /// A product: factors joined by `\cdot`, `*`, `/` or juxtaposition.
    fn term(&mut self) -> R<Ast> {
        let mut left = self.factor()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Times) => Op::Mul,
                Some(Tok::Slash) => Op::Div,
                Some(Tok::Hadamard) => Op::Hadamard,
                Some(Tok::Outer) => Op::Outer,
                Some(Tok::LParen) if matches!(left, Ast::Sym(_)) => {
                    // A symbol right before a parenthesis is kept as Apply, and a power
                    // after the parenthesis applies to the whole (`g(w)^2`): the builder
                    // knows whether the symbol is a function the document defines, and
                    // otherwise reads a product with the power on the parenthesis
                    // (`y(1-y)^2` is `y·(1-y)²`).
                    let group = self.primary()?;
                    if let Some(len) = self.transpose_mark() {
                        // `x (W x)^\top`: never a function's value, always a product.
                        self.pos += len;
                        let transposed = Ast::Transpose(Box::new(group));
                        left = Ast::Bin(Op::Mul, Box::new(left), Box::new(transposed));
                        continue;
                    }
                    left = Ast::Apply(Box::new(left), Box::new(group));
                    if self.peek() == Some(&Tok::Caret) {
                        self.pos += 1;
                        let exponent = self.script_expr()?;
                        left = Ast::Bin(Op::Pow, Box::new(left), Box::new(exponent));
                    }
                    continue;
                }
                Some(Tok::Norm) if self.norms == 0 => {
                    // `\frac{1}{2} \|y - t\|^2`: a norm juxtaposed.
                    let right = self.factor()?;
                    left = Ast::Bin(Op::Mul, Box::new(left), Box::new(right));
                    continue;
                }
                Some(t) if starts_primary(t) => {
                    // Juxtaposition.
                    let right = self.factor()?;
                    left = Ast::Bin(Op::Mul, Box::new(left), Box::new(right));
                    continue;
                }
                _ => break,
            };
            self.pos += 1;
            let right = self.factor()?;
            left = Ast::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// A leading sign, then a power.
    fn factor(&mut self) -> R<Ast> {
        let mut negate = false;
        loop {
            match self.peek() {
                Some(Tok::Minus) => negate = !negate,
                Some(Tok::Plus) => {}
                _ => break,
            }
            self.pos += 1;
        }
        let p = self.power()?;
        Ok(if negate { Ast::Neg(Box::new(p)) } else { p })
    }

    fn power(&mut self) -> R<Ast> {
        let mut base = self.primary()?;
        if let Some(len) = self.transpose_mark() {
            self.pos += len;
            base = Ast::Transpose(Box::new(base));
        }
        if self.peek() == Some(&Tok::Caret) {
            self.pos += 1;
            let exponent = self.script_expr()?;
            return Ok(Ast::Bin(Op::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    /// How many tokens the transpose mark at the cursor takes, if one stands there:
    /// `^T`, `^\top`, `^\intercal`, `^{\mathsf{T}}` (and the same in braces). `^T` is
    /// always the transpose, as in the `.grad` language: a power of a quantity named
    /// `T` is written `^{(T)}`.
    fn transpose_mark(&self) -> Option<usize> {
        if self.peek() != Some(&Tok::Caret) {
            return None;
        }
        // `\mathsf{T}` and `\mathrm{T}` are the word `T`.
        let is_mark = |t: Option<&Tok>| match t {
            Some(Tok::Letter('T')) => true,
            Some(Tok::Word(w)) => w == "T",
            Some(Tok::Cmd(c)) => c == "top" || c == "intercal",
            _ => false,
        };
        if is_mark(self.peek_at(1)) {
            return Some(2);
        }
        if self.peek_at(1) == Some(&Tok::LBrace)
            && is_mark(self.peek_at(2))
            && self.peek_at(3) == Some(&Tok::RBrace)
        {
            return Some(4);
        }
        None
    }

    /// The argument of `^`: a group, or one token.
    fn script_expr(&mut self) -> R<Ast> {
        match self.peek() {
            Some(Tok::LBrace) => self.group(),
            Some(Tok::Number(n)) => {
                let n = n.clone();
                self.pos += 1;
                Ok(Ast::Num(n))
            }
            Some(Tok::Letter(_)) | Some(Tok::Cmd(_)) => self.primary(),
            Some(Tok::Minus) => {
                self.pos += 1;
                Ok(Ast::Neg(Box::new(self.script_expr()?)))
            }
            _ => self.fail("expected an exponent after `^`"),
        }
    }

    /// `{ expr }`
    fn group(&mut self) -> R<Ast> {
        self.expect(Tok::LBrace, "`{`")?;
        let e = self.expr()?;
        self.expect(Tok::RBrace, "`}`")?;
        Ok(e)
    }

    /// The tokens of the `{…}` group at the cursor (without its braces); the cursor
    /// moves past it.
    fn group_tokens(&mut self) -> R<&'a [Token]> {
        if self.peek() != Some(&Tok::LBrace) {
            return self.fail("expected `{`");
        }
        let toks: &'a [Token] = self.toks;
        let open = self.pos;
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < self.toks.len() {
            match self.toks[i].tok {
                Tok::LBrace => depth += 1,
                Tok::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = i + 1;
                        return Ok(&toks[open + 1..i]);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.fail("this `{` is never closed")
    }

    fn primary(&mut self) -> R<Ast> {
        let Some(tok) = self.peek().cloned() else {
            return self.fail("the formula ends where a value is expected");
        };
        match tok {
            Tok::Number(n) => {
                self.pos += 1;
                Ok(Ast::Num(n))
            }
            Tok::Letter('e') if !matches!(self.peek_at(1), Some(Tok::Underscore | Tok::Prime)) => {
                self.pos += 1;
                self.euler()
            }
            Tok::Word(w) if w == "e" => {
                self.pos += 1;
                self.euler()
            }
            Tok::Letter(_) => Ok(Ast::Sym(self.symbol()?)),
            Tok::Word(w) => {
                if let Some(f) = Func::from_name(&w) {
                    self.pos += 1;
                    return self.call(f);
                }
                if w == "softmax" && self.peek_at(1) == Some(&Tok::LParen) {
                    self.pos += 1;
                    let Ast::Call(_, x) = self.call(Func::Exp)? else {
                        return self.fail("expected `(` after softmax");
                    };
                    return Ok(Ast::Whole(Whole::Softmax, x));
                }
                Ok(Ast::Sym(self.symbol()?))
            }
            Tok::Norm if self.norms == 0 => {
                // `\|v\|` and `\|v\|_2`: the Euclidean norm.
                self.pos += 1;
                self.deeper()?;
                self.norms += 1;
                let e = self.expr();
                self.norms -= 1;
                let e = e?;
                self.depth -= 1;
                self.expect(Tok::Norm, "the closing `\\|`")?;
                if self.peek() == Some(&Tok::Underscore)
                    && matches!(self.peek_at(1), Some(Tok::Number(n)) if n == "2")
                {
                    self.pos += 2;
                }
                Ok(Ast::Whole(Whole::Norm, Box::new(e)))
            }
            Tok::LParen => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Tok::MacroWithArguments(name, line) => self.fail(format!(
                "`\\{name}` is a macro with arguments (defined on line {line}); only macros \
                 without arguments are expanded"
            )),
            Tok::LBracket => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(Tok::RBracket, "`]`")?;
                Ok(e)
            }
            Tok::LBrace => self.group(),
            Tok::Other('|') => {
                // `|x|` or `\left|x\right|`: the absolute value.
                self.pos += 1;
                self.deeper()?;
                let e = self.expr()?;
                self.depth -= 1;
                self.expect(Tok::Other('|'), "the closing `|`")?;
                Ok(Ast::Call(Func::Abs, Box::new(e)))
            }
            Tok::Cmd(name) => self.command(&name),
            t => self.fail(format!("cannot read {} here", describe(&t))),
        }
    }

    /// How many tokens a prime written `ahead` tokens from the cursor takes: `'`,
    /// `^\prime` or `^{\prime}`.
    fn prime_mark(&self, ahead: usize) -> Option<usize> {
        let prime = |t: Option<&Tok>| matches!(t, Some(Tok::Cmd(c)) if c == "prime");
        match self.peek_at(ahead) {
            Some(Tok::Prime) => Some(1),
            Some(Tok::Caret) if prime(self.peek_at(ahead + 1)) => Some(2),
            Some(Tok::Caret)
                if self.peek_at(ahead + 1) == Some(&Tok::LBrace)
                    && prime(self.peek_at(ahead + 2))
                    && self.peek_at(ahead + 3) == Some(&Tok::RBrace) =>
            {
                Some(4)
            }
            _ => None,
        }
    }

    /// After `e`: `e^{x}` is `exp(x)`, a bare `e` is `exp(1)`.
    fn euler(&mut self) -> R<Ast> {
        if self.peek() == Some(&Tok::Caret) {
            self.pos += 1;
            let x = self.script_expr()?;
            return Ok(Ast::Call(Func::Exp, Box::new(x)));
        }
        Ok(Ast::Call(Func::Exp, Box::new(Ast::Num("1".into()))))
    }

    fn command(&mut self, name: &str) -> R<Ast> {
        if name == "sigma" {
            if let Some(len) = self.prime_mark(1) {
                if self.peek_at(1 + len) == Some(&Tok::LParen) {
                    // `\sigma'(z)`: the logistic function's derivative σ(z)(1 − σ(z)),
                    // entry by entry.
                    self.pos += 1 + len;
                    let s = self.call(Func::Sigma)?;
                    let one_minus =
                        Ast::Bin(Op::Sub, Box::new(Ast::Num("1".into())), Box::new(s.clone()));
                    return Ok(Ast::Bin(Op::Hadamard, Box::new(s), Box::new(one_minus)));
                }
            }
        }
        let func = match name {
            "sigma" if matches!(self.peek_at(1), Some(Tok::LParen)) => Some(Func::Sigma),
            "exp" => Some(Func::Exp),
            "ln" | "log" => Some(Func::Ln),
            "tanh" => Some(Func::Tanh),
            "sin" => Some(Func::Sin),
            "cos" => Some(Func::Cos),
            _ => None,
        };
        if let Some(f) = func {
            self.pos += 1;
            return self.call(f);
        }
        match name {
            "frac" | "dfrac" | "tfrac" | "cfrac" => {
                self.pos += 1;
                self.fraction()
            }
            "sqrt" => {
                self.pos += 1;
                if self.peek() == Some(&Tok::LBracket) {
                    return self.fail("`\\sqrt[n]{…}` (an n-th root) is not read yet");
                }
                let x = self.group()?;
                Ok(Ast::Call(Func::Sqrt, Box::new(x)))
            }
            "sum" => {
                self.pos += 1;
                self.sum()
            }
            "nabla" => {
                // `\nabla_{\mathbf{W}} L`: the gradient of what follows, as
                // `\frac{\partial}{\partial W}` applied to it.
                self.pos += 1;
                self.expect(Tok::Underscore, "`_{…}` after `\\nabla` (the variable)")?;
                let wrt = self.symbol_or_group()?;
                self.deeper()?;
                let of = self.power()?;
                self.depth -= 1;
                Ok(Ast::Grad(Box::new(of), wrt))
            }
            "partial" => {
                self.pos += 1;
                self.deeper()?;
                let of = self.power()?;
                self.depth -= 1;
                self.expect(Tok::Slash, "`/ \\partial …` after `\\partial …`")?;
                self.expect(Tok::Cmd("partial".into()), "`\\partial` after `/`")?;
                let wrt = self.symbol()?;
                Ok(Ast::Grad(Box::new(of), wrt))
            }
            n if is_greek(n) || is_face(n) || DECORATIONS.iter().any(|(d, _)| *d == n) => {
                Ok(Ast::Sym(self.symbol()?))
            }
            // The language's constant π, exact in proofs.
            "pi" => {
                self.pos += 1;
                Ok(Ast::Num("pi".into()))
            }
            _ => self.fail(format!("the command `\\{name}` is not read")),
        }
    }

    /// A function's argument: a parenthesis, or (for `\ln x`) the power that follows.
    fn call(&mut self, f: Func) -> R<Ast> {
        if self.peek() == Some(&Tok::Caret) {
            return self.fail("a power of a function (`\\sin^2 x`) is not read; write (\\sin x)^2");
        }
        self.deeper()?;
        let x = if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let e = self.expr()?;
            self.expect(Tok::RParen, "`)`")?;
            e
        } else {
            self.power()?
        };
        self.depth -= 1;
        Ok(Ast::Call(f, Box::new(x)))
    }

    /// After `\frac`: a fraction, or a derivative `\frac{\partial A}{\partial B}`.
    fn fraction(&mut self) -> R<Ast> {
        self.deeper()?;
        let numerator = self.group_tokens()?;
        let num_end = self.toks.get(self.pos - 1).map_or(self.end, |t| t.start);
        let denominator = self.group_tokens()?;
        let den_end = self.toks.get(self.pos - 1).map_or(self.end, |t| t.start);
        // `\partial` always marks a derivative; a `d` does when it is followed by
        // something in the denominator (`dx`), and in the numerator either is followed
        // by something (`dy`) or stands alone as the operator `\frac{d}{dx}`.
        let d_of = |ts: &[Token], alone: bool| match ts.first().map(|t| &t.tok) {
            Some(Tok::Cmd(c)) if c == "partial" => Some("partial"),
            Some(Tok::Letter('d')) if ts.len() > 1 || alone => Some("d"),
            Some(Tok::Word(w)) if w == "d" && (ts.len() > 1 || alone) => Some("d"),
            _ => None,
        };
        let below = d_of(denominator, false);
        let above = d_of(numerator, below == Some("d"));
        let result = match (above, below) {
            (Some(a), Some(b)) if a == b || (a == "d" && b == "d") => {
                if numerator.get(1).map(|t| &t.tok) == Some(&Tok::Caret)
                    || denominator.get(1).map(|t| &t.tok) == Some(&Tok::Caret)
                {
                    let t = &numerator[1];
                    return Err(Fail {
                        start: t.start,
                        end: t.end,
                        why: "higher derivatives are not read yet".into(),
                    });
                }
                let wrt = symbol(&denominator[1..], den_end)?;
                let of = if numerator.len() == 1 {
                    // `\frac{\partial}{\partial x} f`: the operator applied to what follows.
                    self.power()?
                } else {
                    expression(&numerator[1..], num_end)?
                };
                Ast::Grad(Box::new(of), wrt)
            }
            _ => {
                let a = sub_expression(numerator, num_end, self.depth)?;
                let b = sub_expression(denominator, den_end, self.depth)?;
                Ast::Bin(Op::Div, Box::new(a), Box::new(b))
            }
        };
        self.depth -= 1;
        Ok(result)
    }

    /// After `\sum`: `_{k=lo}^{hi}` and the summed term.
    fn sum(&mut self) -> R<Ast> {
        if self.peek() != Some(&Tok::Underscore) {
            return self.fail("a sum needs its range: `\\sum_{k=1}^{3}`");
        }
        self.pos += 1;
        let lower = self.group_tokens()?;
        let (index, lo) = match lower {
            [Token {
                tok: Tok::Letter(k),
                ..
            }, Token {
                tok: Tok::Equals, ..
            }, Token {
                tok: Tok::Number(n),
                ..
            }] => (*k, integer(n)),
            _ => ('?', None),
        };
        let Some(lo) = lo else {
            return self.fail("a sum's range is read as `_{k=LOW}^{HIGH}` with whole numbers");
        };
        self.expect(Tok::Caret, "`^{HIGH}` after the sum's `_{k=LOW}`")?;
        let hi = match self.peek().cloned() {
            Some(Tok::Number(n)) => {
                self.pos += 1;
                integer(&n)
            }
            Some(Tok::LBrace) => match self.group_tokens()? {
                [Token {
                    tok: Tok::Number(n),
                    ..
                }] => integer(n),
                _ => None,
            },
            _ => None,
        };
        let Some(hi) = hi else {
            return self.fail("a sum's upper limit is read as a whole number");
        };
        if hi < lo || hi - lo >= MAX_SUM {
            return self.fail(format!(
                "a sum runs over 1 to {MAX_SUM} values; this one runs from {lo} to {hi}"
            ));
        }
        self.deeper()?;
        let body = self.term()?;
        self.depth -= 1;
        Ok(Ast::Sum {
            index,
            values: (lo..=hi).collect(),
            body: Box::new(body),
        })
    }

    /// The symbol a face or decoration command (at the cursor) marks.
    fn marked_symbol(&mut self) -> R<Sym> {
        self.pos += 1;
        self.deeper()?;
        let inner = self.symbol_or_group()?;
        self.depth -= 1;
        Ok(inner)
    }

    /// A braced group read as one symbol (`{\mathbf{W}_1}`), or the next symbol.
    fn symbol_or_group(&mut self) -> R<Sym> {
        match self.peek() {
            Some(Tok::LBrace) => {
                let end = self.end;
                let depth = self.depth;
                let ts = self.group_tokens()?;
                symbol_at_depth(ts, end, depth)
            }
            _ => self.symbol(),
        }
    }

    /// A symbol: a letter, Greek letter or word, decorated or not, with its subscript,
    /// primes and `^{+}`-style marks.
    fn symbol(&mut self) -> R<Sym> {
        let Some(first) = self.toks.get(self.pos).cloned() else {
            return self.fail("expected a symbol, but the formula ends");
        };
        let start = first.start;
        let mut sym = match &first.tok {
            Tok::Letter(c) => {
                self.pos += 1;
                Sym {
                    base: c.to_string(),
                    decorations: Vec::new(),
                    sub: String::new(),
                    sup: String::new(),
                    start,
                    end: first.end,
                }
            }
            Tok::Word(w) => {
                self.pos += 1;
                Sym {
                    base: w.clone(),
                    decorations: Vec::new(),
                    sub: String::new(),
                    sup: String::new(),
                    start,
                    end: first.end,
                }
            }
            Tok::Cmd(c) if is_greek(c) => {
                self.pos += 1;
                Sym {
                    base: format!("\\{c}"),
                    decorations: Vec::new(),
                    sub: String::new(),
                    sup: String::new(),
                    start,
                    end: first.end,
                }
            }
            Tok::Cmd(c) if is_face(c) => {
                // A face marks the symbol's kind, not which symbol it is.
                let mut inner = self.marked_symbol()?;
                inner.start = start;
                inner
            }
            Tok::Cmd(c) if DECORATIONS.iter().any(|(d, _)| d == c) => {
                let mark = DECORATIONS
                    .iter()
                    .find(|(d, _)| d == c)
                    .map_or("hat", |(_, m)| m);
                let mut inner = self.marked_symbol()?;
                inner.decorations.push(mark);
                inner.start = start;
                inner
            }
            t => return self.fail(format!("expected a symbol, found {}", describe(t))),
        };
        loop {
            match self.peek() {
                Some(Tok::Underscore) => {
                    if !sym.sub.is_empty() {
                        return self.fail("a second subscript on one symbol is not read");
                    }
                    self.pos += 1;
                    sym.sub = self.subscript()?;
                }
                Some(Tok::Prime) => {
                    self.pos += 1;
                    sym.decorations.push("prime");
                }
                Some(Tok::Caret) if sym.sup.is_empty() && self.layer_label().is_some() => {
                    // `W^{(2)}`: a label, part of the name (never a power).
                    sym.sup = self.layer_label().unwrap_or_default();
                    self.pos += 6;
                }
                Some(Tok::Caret) => {
                    let mark = match (self.peek_at(1), self.peek_at(2), self.peek_at(3)) {
                        (Some(Tok::LBrace), Some(Tok::Plus), Some(Tok::RBrace)) => {
                            Some(("plus", 4))
                        }
                        (Some(Tok::LBrace), Some(Tok::Times), Some(Tok::RBrace)) => {
                            Some(("star", 4))
                        }
                        (Some(Tok::Cmd(p)), _, _) if p == "prime" => Some(("prime", 2)),
                        (Some(Tok::LBrace), Some(Tok::Cmd(p)), Some(Tok::RBrace))
                            if p == "prime" =>
                        {
                            Some(("prime", 4))
                        }
                        _ => None,
                    };
                    let Some((mark, len)) = mark else { break };
                    self.pos += len;
                    sym.decorations.push(mark);
                }
                _ => break,
            }
        }
        sym.decorations.sort_unstable();
        sym.end = self.toks[self.pos - 1].end;
        Ok(sym)
    }

    /// The label of `^{(2)}` or `^{(l)}` at the cursor (six tokens: `^ { ( 2 ) }`): a
    /// whole number or one letter in parentheses.
    fn layer_label(&self) -> Option<String> {
        let label = match (
            self.peek_at(0),
            self.peek_at(1),
            self.peek_at(2),
            self.peek_at(3),
            self.peek_at(4),
            self.peek_at(5),
        ) {
            (
                Some(Tok::Caret),
                Some(Tok::LBrace),
                Some(Tok::LParen),
                Some(label),
                Some(Tok::RParen),
                Some(Tok::RBrace),
            ) => label,
            _ => return None,
        };
        match label {
            Tok::Letter(c) => Some(c.to_string()),
            Tok::Number(n) => integer(n).map(|v| v.to_string()),
            _ => None,
        }
    }

    /// A subscript's text: one token, or a group flattened (`{s_7}` is `s7`).
    fn subscript(&mut self) -> R<String> {
        let tokens: Vec<Token> = match self.peek() {
            Some(Tok::LBrace) => self.group_tokens()?.to_vec(),
            Some(_) => {
                self.pos += 1;
                vec![self.toks[self.pos - 1].clone()]
            }
            None => return self.fail("a subscript is missing after `_`"),
        };
        let mut out = String::new();
        for t in &tokens {
            match &t.tok {
                Tok::Letter(c) => out.push(*c),
                Tok::Number(n) if !n.contains('.') => out.push_str(n),
                Tok::Word(w) => out.push_str(w),
                Tok::Cmd(c) if is_greek(c) => out.push_str(c),
                Tok::Underscore | Tok::LBrace | Tok::RBrace => {}
                other => {
                    return Err(Fail {
                        start: t.start,
                        end: t.end,
                        why: format!("cannot read {} in a subscript", describe(other)),
                    })
                }
            }
        }
        if out.is_empty() {
            return self.fail("an empty subscript");
        }
        Ok(out)
    }
}

/// Letters written together right before a subscript (`net_{h1}`, `out_{o1}`) could be
/// a word or a product: not guessed, reported with the two ways to write it.
fn glued_letters(tokens: &[Token]) -> R<()> {
    let mut run_start = None;
    for (i, t) in tokens.iter().enumerate() {
        let glued = i > 0 && tokens[i - 1].end == t.start;
        match t.tok {
            Tok::Letter(_) if glued && matches!(tokens[i - 1].tok, Tok::Letter(_)) => {}
            Tok::Letter(_) => run_start = Some(i),
            Tok::Underscore => {
                // `\frac{dy_7}{dx_1}`: a `d` opening a group is the differential.
                let differential = |s: usize| {
                    i == s + 2
                        && tokens[s].tok == Tok::Letter('d')
                        && s > 0
                        && tokens[s - 1].tok == Tok::LBrace
                };
                if let Some(s) = run_start.filter(|&s| i >= s + 2 && glued && !differential(s)) {
                    let word: String = tokens[s..i]
                        .iter()
                        .map(|t| match t.tok {
                            Tok::Letter(c) => c,
                            _ => '?',
                        })
                        .collect();
                    return Err(Fail {
                        start: tokens[s].start,
                        end: tokens[i - 1].end,
                        why: format!(
                            "`{word}` before a subscript could be a name or a product: write \\text{{{word}}} for a name, or put spaces between the letters"
                        ),
                    });
                }
                run_start = None;
            }
            _ => run_start = None,
        }
    }
    Ok(())
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
    let mut p = Parser {
        toks: tokens,
        pos: 0,
        depth,
        end,
        norms: 0,
    };
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

/// Whether a token can begin a factor written right after another (juxtaposition).
fn starts_primary(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Letter(_)
            | Tok::Number(_)
            | Tok::Word(_)
            | Tok::LParen
            | Tok::LBracket
            | Tok::LBrace
            | Tok::Cmd(_)
            | Tok::MacroWithArguments(..)
    )
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

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn parse(s: &str) -> R<Ast> {
        expression(&tokenize(s, 0, s.len()), s.len())
    }

    fn sym(s: &str) -> (String, Vec<&'static str>, String) {
        let t = tokenize(s, 0, s.len());
        let y = symbol(&t, s.len()).unwrap();
        (y.base, y.decorations, y.sub)
    }

    #[test]
    fn one_symbol_is_written_many_ways() {
        let hat_y7 = ("y".to_string(), vec!["hat"], "7".to_string());
        for s in ["\\hat{y}_7", "\\hat{y_7}", "\\hat{y}_{7}", "\\hat{y_{7}}"] {
            assert_eq!(sym(s), hat_y7, "{s}");
        }
        assert_eq!(sym("L_{s7}"), sym("L_{s_7}"));
        assert_eq!(sym("\\hat{\\omega_{47}}"), sym("\\hat{\\omega}_{47}"));
        assert_ne!(sym("\\omega_{47}"), sym("w_{47}"));
    }

    #[test]
    fn juxtaposition_is_a_product_and_a_symbol_before_a_parenthesis_is_kept_apart() {
        let ast = parse("\\hat{y}_7(1-\\hat{y}_7)").unwrap();
        assert!(matches!(ast, Ast::Apply(..)));
        let ast = parse("\\omega_{14} x_1").unwrap();
        assert!(matches!(ast, Ast::Bin(Op::Mul, ..)));
    }

    #[test]
    fn sigma_with_a_parenthesis_is_the_function() {
        let ast = parse("\\sigma(\\delta_7)(1-\\sigma(\\delta_7))").unwrap();
        let Ast::Bin(Op::Mul, a, _) = ast else {
            panic!()
        };
        assert!(matches!(*a, Ast::Call(Func::Sigma, _)));
    }

    #[test]
    fn derivatives_in_three_notations() {
        for s in [
            "\\frac{\\partial L}{\\partial w}",
            "\\partial L / \\partial w",
            "\\frac{dL}{dw}",
        ] {
            let Ast::Grad(of, wrt) = parse(s).unwrap() else {
                panic!("{s}")
            };
            assert!(matches!(*of, Ast::Sym(_)));
            assert_eq!(wrt.base, "w");
        }
        let Ast::Grad(of, _) =
            parse("\\frac{\\partial  \\frac{1}{2}(y_7 - \\hat{y_7})^2}{\\partial \\hat{y}_{7}}")
                .unwrap()
        else {
            panic!()
        };
        assert!(matches!(*of, Ast::Bin(Op::Mul, ..)));
    }

    #[test]
    fn a_sum_takes_the_product_that_follows() {
        let Ast::Bin(Op::Mul, _, sum) =
            parse("\\eta\\sum\\limits_{k=7}^{9}\\frac{\\partial L_{sk}}{\\partial w} x").unwrap()
        else {
            panic!()
        };
        let Ast::Sum {
            index,
            values,
            body,
        } = *sum
        else {
            panic!()
        };
        assert_eq!((index, values), ('k', vec![7, 8, 9]));
        assert!(matches!(*body, Ast::Bin(Op::Mul, ..)));
    }

    #[test]
    fn unary_minus_after_an_operator_and_euler() {
        assert!(parse("a \\cdot -1").is_ok());
        let Ast::Bin(Op::Div, _, den) = parse("\\frac{1}{1+e^{-x}}").unwrap() else {
            panic!()
        };
        let Ast::Bin(Op::Add, _, e) = *den else {
            panic!()
        };
        assert!(matches!(*e, Ast::Call(Func::Exp, _)));
    }

    #[test]
    fn letters_glued_before_a_subscript_are_not_guessed() {
        let s = "net_{h1} + 1";
        let f = parse(s).unwrap_err();
        assert_eq!(&s[f.start..f.end], "net");
        assert!(f.why.contains("\\text{net}"), "{}", f.why);
        assert!(parse("\\text{net}_{h1}").is_ok());
        assert!(parse("n e t_{h1}").is_ok());
        assert!(parse("2wx").is_ok());
        assert!(parse("\\frac{dy_7}{dx_1}").is_ok());
    }

    #[test]
    fn unreadable_math_says_where_and_why() {
        let s = "a + \\infty";
        let f = parse(s).unwrap_err();
        assert_eq!(&s[f.start..f.end], "\\infty");
        let deep = format!("{}x{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).unwrap_err().why.contains("nested"));
    }
}

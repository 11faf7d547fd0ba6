//! Operators: sums and differences, products (written or by juxtaposition), leading
//! signs, powers and transpose marks. Chains are loops, so a long formula costs no
//! depth.

use super::{Ast, Op, Parser, R};
use crate::read::tokens::Tok;

impl Parser<'_> {
    pub(super) fn expr(&mut self) -> R<Ast> {
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
    pub(super) fn term(&mut self) -> R<Ast> {
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

    pub(super) fn power(&mut self) -> R<Ast> {
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
    pub(super) fn script_expr(&mut self) -> R<Ast> {
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

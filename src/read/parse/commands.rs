//! Commands: the language's functions (`\sigma(…)`, `\exp`, `\ln`, …, and
//! `\sigma'(z)`) and their arguments, `\frac` (a fraction or a derivative), `\sqrt`,
//! `\sum`, `\nabla`, `\partial`, `\pi`, and the symbol commands.

use super::symbols::{is_face, is_greek, DECORATIONS};
use super::{expression, integer, sub_expression, symbol, Ast, Fail, Op, Parser, MAX_SUM, R};
use crate::expr::Func;
use crate::read::tokens::{Tok, Token};

impl Parser<'_> {
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

    pub(super) fn command(&mut self, name: &str) -> R<Ast> {
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
    pub(super) fn call(&mut self, f: Func) -> R<Ast> {
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
}

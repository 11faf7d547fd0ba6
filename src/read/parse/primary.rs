//! One value: a number, Euler's `e`, a letter or word, a norm `\|v\|`, an absolute
//! value `|x|`, a parenthesis, bracket or braced group; commands go to `commands.rs`.

use super::{describe, Ast, Parser, Whole, R};
use crate::expr::Func;
use crate::read::tokens::{Tok, Token};

impl<'a> Parser<'a> {
    /// `{ expr }`
    pub(super) fn group(&mut self) -> R<Ast> {
        self.expect(Tok::LBrace, "`{`")?;
        let e = self.expr()?;
        self.expect(Tok::RBrace, "`}`")?;
        Ok(e)
    }

    /// The tokens of the `{…}` group at the cursor (without its braces); the cursor
    /// moves past it.
    pub(super) fn group_tokens(&mut self) -> R<&'a [Token]> {
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

    pub(super) fn primary(&mut self) -> R<Ast> {
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

    /// After `e`: `e^{x}` is `exp(x)`, a bare `e` is `exp(1)`.
    fn euler(&mut self) -> R<Ast> {
        if self.peek() == Some(&Tok::Caret) {
            self.pos += 1;
            let x = self.script_expr()?;
            return Ok(Ast::Call(Func::Exp, Box::new(x)));
        }
        Ok(Ast::Call(Func::Exp, Box::new(Ast::Num("1".into()))))
    }
}

//! Symbols: the name tables (Greek letters, decorations, bold and arrow faces), one
//! symbol read with its decorations, subscript, primes and layer label, and the check
//! that letters glued before a subscript are not guessed to be a word or a product.

use super::{describe, integer, symbol_at_depth, Fail, Parser, Sym, R};
use crate::read::tokens::{Tok, Token};

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

pub(super) const DECORATIONS: [(&str, &str); 7] = [
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

impl Parser<'_> {
    /// The symbol a face or decoration command (at the cursor) marks.
    fn marked_symbol(&mut self) -> R<Sym> {
        self.pos += 1;
        self.deeper()?;
        let inner = self.symbol_or_group()?;
        self.depth -= 1;
        Ok(inner)
    }

    /// A braced group read as one symbol (`{\mathbf{W}_1}`), or the next symbol.
    pub(super) fn symbol_or_group(&mut self) -> R<Sym> {
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
    pub(super) fn symbol(&mut self) -> R<Sym> {
        let Some(first) = self.toks.get(self.pos).cloned() else {
            return self.fail("expected a symbol, but the formula ends");
        };
        let start = first.start;
        let mut sym = match &first.tok {
            Tok::Letter(c) => {
                self.pos += 1;
                Sym::plain(c.to_string(), start, first.end)
            }
            Tok::Word(w) => {
                self.pos += 1;
                Sym::plain(w.clone(), start, first.end)
            }
            Tok::Cmd(c) if is_greek(c) => {
                self.pos += 1;
                Sym::plain(format!("\\{c}"), start, first.end)
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
pub(super) fn glued_letters(tokens: &[Token]) -> R<()> {
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

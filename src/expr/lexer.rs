//! The lexer: source text to tokens, grouped into logical lines (a statement per line;
//! a `\` at the end of a line continues it on the next). A line ends at `\n`, `\r\n`
//! or a lone `\r`.

use super::error::{Diagnostic, ErrorKind};
use super::names;
use super::number::{self, Number};
use super::span::{line_break_at, Source, Span};

/// One piece of a name: literal text, or a `{i}` hole filled with an index value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NamePart {
    Text(String),
    Hole(IndexSum, Span),
}

/// What a hole holds: an index, or whole-number arithmetic on indices
/// (`{2*k+3}`, `{i-1}`): a sum of terms `c` or `c·k`, as written between the braces.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IndexSum {
    /// The text between the braces, spaces removed (`2*k+3`).
    pub text: String,
    /// The terms: a coefficient and the index it multiplies (`None`: a constant).
    pub terms: Vec<(i64, Option<String>)>,
}

impl IndexSum {
    /// The value with the indices bound in `env` (innermost binding first), or the
    /// first index that is not bound; `Ok(None)` if the arithmetic overflows.
    pub fn value(&self, env: &[(String, i64)]) -> Result<Option<i64>, &str> {
        let mut total: Option<i64> = Some(0);
        for (c, index) in &self.terms {
            let v = match index {
                None => Some(*c),
                Some(k) => match env.iter().rev().find(|(name, _)| name == k) {
                    Some((_, v)) => c.checked_mul(*v),
                    None => return Err(k),
                },
            };
            total = total.zip(v).and_then(|(t, v)| t.checked_add(v));
        }
        Ok(total)
    }
}

/// A name as written, possibly with `{i}` holes (`w{i}{j}`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Name {
    pub parts: Vec<NamePart>,
    pub span: Span,
}

impl Name {
    /// The name's text if it has no holes.
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [NamePart::Text(t)] => Some(t),
            _ => None,
        }
    }

    /// The name as written, holes included (`w{i}{j}`).
    pub fn written(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                NamePart::Text(t) => t.clone(),
                NamePart::Hole(h, _) => format!("{{{}}}", h.text),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    Number(Number),
    Name(Name),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    Equals,
    Colon,
    DotDot,
    /// `[`: a declaration's value list, or an entry `W[i, j]`.
    LBracket,
    /// `]`.
    RBracket,
    /// The elementwise product: `⊙` (also `∘`) or `.*`.
    Hadamard,
    /// `'`: the transpose, postfix (`W'`).
    Tick,
}

impl TokenKind {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Number(n) => format!("the number {n}"),
            TokenKind::Name(n) => format!("`{}`", n.written()),
            TokenKind::Plus => "'+'".into(),
            TokenKind::Minus => "'-'".into(),
            TokenKind::Star => "'*'".into(),
            TokenKind::Slash => "'/'".into(),
            TokenKind::Caret => "'^'".into(),
            TokenKind::LParen => "'('".into(),
            TokenKind::RParen => "')'".into(),
            TokenKind::Comma => "','".into(),
            TokenKind::Equals => "'='".into(),
            TokenKind::Colon => "':'".into(),
            TokenKind::DotDot => "'..'".into(),
            TokenKind::LBracket => "'['".into(),
            TokenKind::RBracket => "']'".into(),
            TokenKind::Hadamard => "'⊙'".into(),
            TokenKind::Tick => "'''".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// A logical line: its tokens, or the first lexical error in it. `span` covers the whole
/// line (for "expected more" errors at its end).
pub(crate) struct Line {
    pub tokens: Result<Vec<Token>, Diagnostic>,
    pub span: Span,
}

/// Splits `source` into logical lines of tokens, one at a time (the parser takes each
/// as it comes, so no list of every line is built). Never fails as a whole: a line
/// with a lexical error carries the error and the lexer resumes at the next line.
pub(crate) fn lex<'s>(source: &'s Source<'s>) -> impl Iterator<Item = Line> + 's {
    let mut lexer = Lexer {
        source: source.text,
        index: source,
        bytes: source.text.as_bytes(),
        pos: 0,
    };
    std::iter::from_fn(move || {
        while lexer.pos < lexer.bytes.len() {
            let start = lexer.pos;
            let tokens = lexer.line();
            if tokens.is_err() {
                lexer.skip_line();
            }
            let end = lexer.pos;
            lexer.eat_newline();
            let span = Span::new(start, end);
            match &tokens {
                Ok(t) if t.is_empty() => {}
                _ => return Some(Line { tokens, span }),
            }
        }
        None
    })
}

struct Lexer<'s> {
    source: &'s str,
    /// The same text with its lines indexed, for the errors' lines and columns.
    index: &'s Source<'s>,
    bytes: &'s [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn error(&self, kind: ErrorKind, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.index, kind, span, message)
    }

    /// Moves to the end of the current logical line (its newline not consumed).
    fn skip_line(&mut self) {
        while self.pos < self.bytes.len() {
            if let Some(width) = self.line_break() {
                if self.continues_before(self.pos) {
                    self.pos += width;
                    continue;
                }
                return;
            }
            self.pos += 1;
        }
    }

    /// The width of the line break at the current position, if there is one.
    fn line_break(&self) -> Option<usize> {
        line_break_at(self.bytes, self.pos)
    }

    /// Whether the newline at `newline` is escaped by a `\` (with only spaces or a
    /// comment between them) — used when skipping a line with an error.
    fn continues_before(&self, newline: usize) -> bool {
        // Back to the previous line break only: linear in the line, not the file.
        let line_start = self.source[..newline]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let line = &self.source[line_start..newline];
        let code = line.split('#').next().unwrap_or("");
        code.trim_end().ends_with('\\')
    }

    fn eat_newline(&mut self) {
        self.pos += self.line_break().unwrap_or(0);
    }

    fn skip_comment(&mut self) {
        while self.pos < self.bytes.len() && self.line_break().is_none() {
            self.pos += 1;
        }
    }

    /// The tokens of one logical line; stops before the newline that ends it.
    fn line(&mut self) -> Result<Vec<Token>, Diagnostic> {
        let mut tokens = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Ok(tokens);
            };
            let start = self.pos;
            let single = |kind| Some((kind, 1));
            let simple = match b {
                b' ' | b'\t' => {
                    self.pos += 1;
                    continue;
                }
                b'\n' | b'\r' => return Ok(tokens),
                b'#' => {
                    self.skip_comment();
                    continue;
                }
                b'\\' => {
                    self.continuation()?;
                    continue;
                }
                b'+' => single(TokenKind::Plus),
                b'-' => single(TokenKind::Minus),
                b'*' => single(TokenKind::Star),
                b'/' => single(TokenKind::Slash),
                b'^' => single(TokenKind::Caret),
                b'(' => single(TokenKind::LParen),
                b')' => single(TokenKind::RParen),
                b',' => single(TokenKind::Comma),
                b'=' => single(TokenKind::Equals),
                b':' => single(TokenKind::Colon),
                b'.' if self.peek_at(1) == Some(b'.') => Some((TokenKind::DotDot, 2)),
                b'.' if self.peek_at(1) == Some(b'*') => Some((TokenKind::Hadamard, 2)),
                b'[' => single(TokenKind::LBracket),
                b']' => single(TokenKind::RBracket),
                b'\'' => single(TokenKind::Tick),
                // `⊙` (U+2299) and `∘` (U+2218), three bytes each in UTF-8.
                _ if self.source[self.pos..].starts_with(['⊙', '∘']) => {
                    Some((TokenKind::Hadamard, 3))
                }
                _ => None,
            };
            if let Some((kind, width)) = simple {
                self.pos += width;
                tokens.push(Token {
                    kind,
                    span: Span::new(start, self.pos),
                });
                continue;
            }
            let kind = if b.is_ascii_digit() || (b == b'.' && self.digit_at(1)) {
                self.number()?
            } else if b == b'{' || self.peek_char().is_some_and(names::starts_name) {
                // A name may start with a hole: `{i}` alone is the index's value.
                self.name()?
            } else {
                return Err(self.unexpected_character());
            };
            tokens.push(Token {
                kind,
                span: Span::new(start, self.pos),
            });
        }
    }

    /// The character at the current position.
    fn peek_char(&self) -> Option<char> {
        self.source[self.pos..].chars().next()
    }

    /// The characters of a name (or an index name) from the current position.
    fn name_text(&mut self) -> &str {
        let start = self.pos;
        while let Some(c) = self.peek_char().filter(|&c| names::continues_name(c)) {
            self.pos += c.len_utf8();
        }
        &self.source[start..self.pos]
    }

    fn digit_at(&self, ahead: usize) -> bool {
        self.peek_at(ahead).is_some_and(|b| b.is_ascii_digit())
    }

    /// A `\` must end its line (spaces and a comment may follow); the newline after it
    /// is skipped.
    fn continuation(&mut self) -> Result<(), Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
        if self.peek() == Some(b'#') {
            self.skip_comment();
        }
        match self.line_break() {
            Some(width) => {
                self.pos += width;
                Ok(())
            }
            None if self.pos == self.bytes.len() => Ok(()),
            None => Err(self
                .error(
                    ErrorKind::UnexpectedCharacter,
                    Span::new(start, start + 1),
                    "'\\' continues a statement on the next line and must end its line",
                )
                .with_hint("remove the '\\' or break the line after it")),
        }
    }

    fn number(&mut self) -> Result<TokenKind, Diagnostic> {
        let start = self.pos;
        while self.digit_at(0) {
            self.pos += 1;
        }
        // A '.' belongs to the number only if a digit follows: `4..6` is a range.
        if self.peek() == Some(b'.') && self.digit_at(1) {
            self.pos += 1;
            while self.digit_at(0) {
                self.pos += 1;
            }
        } else if self.peek() == Some(b'.') && !matches!(self.peek_at(1), Some(b'.' | b'*')) {
            return Err(self
                .error(
                    ErrorKind::InvalidNumber,
                    Span::new(start, self.pos + 1),
                    "a decimal point must be followed by digits",
                )
                .with_hint(format!("write {}.0", &self.source[start..self.pos])));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some(b'+' | b'-')));
            if self.digit_at(1 + sign) {
                self.pos += 1 + sign;
                while self.digit_at(0) {
                    self.pos += 1;
                }
            }
        }
        let text = &self.source[start..self.pos];
        number::parse_literal(text)
            .map(TokenKind::Number)
            .ok_or_else(|| {
                self.error(
                    ErrorKind::InvalidNumber,
                    Span::new(start, self.pos),
                    format!("the number {text} is too large for a 64-bit float"),
                )
            })
    }

    fn name(&mut self) -> Result<TokenKind, Diagnostic> {
        let start = self.pos;
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            match self.peek() {
                Some(b'{') => {
                    if !text.is_empty() {
                        parts.push(NamePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(self.hole()?);
                }
                _ => {
                    let more = self.name_text();
                    if more.is_empty() {
                        break;
                    }
                    text.push_str(more);
                }
            }
        }
        if !text.is_empty() {
            let text = match names::canonical(&text) {
                std::borrow::Cow::Owned(composed) => composed,
                std::borrow::Cow::Borrowed(_) => text,
            };
            parts.push(NamePart::Text(text));
        }
        Ok(TokenKind::Name(Name {
            parts,
            span: Span::new(start, self.pos),
        }))
    }

    /// `{i}`: an index name between braces, or arithmetic on indices and whole
    /// numbers with `+`, `-` and `*` (`{2*k+3}`; no parentheses, no division).
    fn hole(&mut self) -> Result<NamePart, Diagnostic> {
        let open = self.pos;
        self.pos += 1;
        let mut terms: Vec<(i64, Option<String>)> = Vec::new();
        let mut text = String::new();
        let mut sign = 1i64;
        let valid = loop {
            self.skip_blanks();
            // One term: factors joined by `*`, at most one of them an index.
            let mut coefficient = sign;
            let mut index: Option<String> = None;
            let mut ok = true;
            loop {
                self.skip_blanks();
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    let start = self.pos;
                    while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    let digits = &self.source[start..self.pos];
                    text.push_str(digits);
                    match digits
                        .parse::<i64>()
                        .ok()
                        .and_then(|d| coefficient.checked_mul(d))
                    {
                        Some(c) => coefficient = c,
                        None => ok = false,
                    }
                } else {
                    let name = names::canonical(self.name_text()).into_owned();
                    let starts = name.chars().next().is_some_and(names::starts_name);
                    if !starts || index.is_some() {
                        ok = false;
                    }
                    text.push_str(&name);
                    index = Some(name);
                }
                self.skip_blanks();
                if !ok || self.peek() != Some(b'*') {
                    break;
                }
                self.pos += 1;
                text.push('*');
            }
            if !ok {
                break false;
            }
            terms.push((coefficient, index));
            match self.peek() {
                Some(b'+') => sign = 1,
                Some(b'-') => sign = -1,
                Some(b'}') => break true,
                _ => break false,
            }
            text.push(char::from(self.source.as_bytes()[self.pos]));
            self.pos += 1;
        };
        if !valid {
            let end = self.pos + usize::from(self.peek().is_some() && self.line_break().is_none());
            return Err(self
                .error(
                    ErrorKind::Syntax,
                    Span::new(open, end.max(open + 1)),
                    "a '{' in a name must hold an index (or whole-number arithmetic on \
                     indices: +, -, *) and a '}'",
                )
                .with_hint("write an index between braces, e.g. w{i}{j} inside `for i in 4..6, j in 7..9:`, or w{2*k+1}"));
        }
        self.pos += 1;
        Ok(NamePart::Hole(
            IndexSum { text, terms },
            Span::new(open, self.pos),
        ))
    }

    fn skip_blanks(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn unexpected_character(&self) -> Diagnostic {
        let c = self.source[self.pos..].chars().next().unwrap_or('?');
        let span = Span::new(self.pos, self.pos + c.len_utf8());
        let d = self.error(
            ErrorKind::UnexpectedCharacter,
            span,
            format!("unexpected character '{c}'"),
        );
        match ascii_for(c) {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }
}

/// The language's spelling of symbols people paste from typeset formulas.
fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '∂' => "write grad(F, X) for ∂F/∂X",
        'Σ' | '∑' => "write sum(k in 7..9, EXPR) for Σ",
        '·' | '×' | '⋅' => "write * for multiplication",
        '−' | '–' => "this is a typographic dash: write '-'",
        '²' => "write ^2 for a square",
        '³' => "write ^3 for a cube",
        '√' => "write sqrt(x)",
        'ᵀ' | '⊤' => "write W^T (or W') for the transpose",
        '}' => "braces enclose an index in a name, e.g. w{i}{j}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(src: &str) -> Vec<Line> {
        lex(&Source::new(src)).collect()
    }

    fn kinds(src: &str) -> Vec<TokenKind> {
        let lines = lines(src);
        assert_eq!(lines.len(), 1);
        lines
            .into_iter()
            .next()
            .unwrap()
            .tokens
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn a_range_is_not_a_decimal_point() {
        let k = kinds("4..6");
        assert_eq!(k.len(), 3);
        assert_eq!(k[1], TokenKind::DotDot);
    }

    #[test]
    fn names_carry_index_holes() {
        let k = kinds("w{i}{j}x");
        let TokenKind::Name(name) = &k[0] else {
            panic!("{k:?}")
        };
        assert_eq!(name.written(), "w{i}{j}x");
        assert_eq!(name.parts.len(), 4);
    }

    #[test]
    fn the_elementwise_product_has_three_spellings_and_a_number_keeps_its_point() {
        let k = kinds("a ⊙ b ∘ c .* 2.*d'");
        let hadamards = k.iter().filter(|t| **t == TokenKind::Hadamard).count();
        assert_eq!(hadamards, 4);
        assert_eq!(k.last(), Some(&TokenKind::Tick));
        assert_eq!(
            kinds("[1.5]")[1],
            TokenKind::Number(number::parse_literal("1.5").unwrap())
        );
    }

    #[test]
    fn backslash_continues_a_line_and_comments_end_it() {
        let lines = lines("a = 1 + \\ # more\n 2 # two\nb = 3");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].tokens.as_ref().unwrap().len(), 5);
    }

    #[test]
    fn greek_letters_and_accents_make_names() {
        let k = kinds("ω47 = λ * y\u{302} + ŷ2");
        let names: Vec<String> = k
            .iter()
            .filter_map(|t| match t {
                TokenKind::Name(n) => Some(n.written()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["ω47", "λ", "\u{177}", "\u{177}2"]);
    }

    #[test]
    fn symbols_pasted_from_typeset_formulas_get_a_hint() {
        let lines = lines("a = ∂L/∂w");
        let e = lines[0].tokens.as_ref().unwrap_err();
        assert_eq!(e.hint(), Some("write grad(F, X) for ∂F/∂X"));
    }
}

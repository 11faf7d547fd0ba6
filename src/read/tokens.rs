//! The LaTeX subset's tokens: a piece of math cut into commands, letters, numbers and
//! symbols, each with its byte range in the document. Layout (spaces, `~`, `\quad`,
//! `\,`, `\limits`, `\displaystyle`, `&`) is dropped here, so the parser never sees it.

/// One token of math.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A command by its name without the backslash (`frac`, `alpha`, `partial`).
    Cmd(String),
    /// One Latin letter.
    Letter(char),
    /// Digits with at most one decimal point (`7`, `0.5`).
    Number(String),
    /// `\text{…}`, `\mathrm{…}`, `\operatorname{…}` (and kin) whose content is a word
    /// of ASCII letters and digits: a name (`\text{net}`) or a function's name.
    Word(String),
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(` or `\left(`
    LParen,
    /// `)` or `\right)`
    RParen,
    /// `[` or `\left[`
    LBracket,
    /// `]` or `\right]`
    RBracket,
    /// `\{`
    LSet,
    /// `\}`
    RSet,
    /// `^`
    Caret,
    /// `_`
    Underscore,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`, `\cdot`, `\times`
    Times,
    /// `\odot`, `\circ`: the elementwise (Hadamard) product.
    Hadamard,
    /// `\otimes`: the outer product of two vectors.
    Outer,
    /// `\mathbb{R}`: the real numbers, in a shape declaration (`x \in \mathbb{R}^{3}`).
    Reals,
    /// `\|`, `\lVert`, `\rVert`, `\Vert`: a norm's bar.
    Norm,
    /// `/`
    Slash,
    /// `=`
    Equals,
    /// `:=` or `\coloneqq`
    Define,
    /// Another relation (`<`, `\le`, `\approx`, `\neq`, …): read as a relation the
    /// reader does not check.
    OtherRelation(String),
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// `'`
    Prime,
    /// `\\`: the end of a row.
    RowBreak,
    /// `\begin{NAME}` or `\end{NAME}`
    Environment(String),
    /// Any other character (`.`, `;`, `|`, `!`, a non-ASCII letter outside `\text`).
    Other(char),
    /// A use of a `.tex` file's macro that takes arguments (its name and the line of
    /// its definition), which is not expanded (see `macros.rs`).
    MacroWithArguments(String, usize),
}

/// A token and the bytes `start..end` of the document it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Commands that only space or style math: dropped.
const LAYOUT: [&str; 16] = [
    "quad",
    "qquad",
    "enspace",
    "thinspace",
    "medspace",
    "thickspace",
    "limits",
    "nolimits",
    "displaystyle",
    "textstyle",
    "scriptstyle",
    "nonumber",
    "notag",
    "big",
    "Big",
    "middle",
];

/// Relations other than `=` and `:=`.
const RELATIONS: [&str; 12] = [
    "approx", "neq", "ne", "le", "leq", "ge", "geq", "sim", "simeq", "equiv", "propto", "to",
];

/// Commands whose `{…}` argument is text.
const TEXT: [&str; 8] = [
    "text",
    "mathrm",
    "operatorname",
    "textrm",
    "mathit",
    "textit",
    "mathsf",
    "mbox",
];

/// Cuts the document's bytes `start..end` (inside math delimiters) into tokens. Never
/// fails: what it does not know becomes [`Tok::Other`] or an unknown [`Tok::Cmd`], and
/// the parser says why it cannot read it.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = start;
    while i < end {
        let b = bytes[i];
        let from = i;
        let mut push = |tok: Tok, to: usize| {
            tokens.push(Token {
                tok,
                start: from,
                end: to,
            })
        };
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b'~' | b'&' => i += 1,
            // A TeX comment runs to the end of the line (`\%` is a command, read below).
            b'%' => {
                i = text[i..end].find('\n').map_or(end, |k| i + k);
            }
            b'0'..=b'9' | b'.' if b != b'.' || bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let mut j = i;
                let mut dot = false;
                while j < end
                    && (bytes[j].is_ascii_digit()
                        || (bytes[j] == b'.'
                            && !dot
                            && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
                            && j + 1 < end))
                {
                    dot |= bytes[j] == b'.';
                    j += 1;
                }
                push(Tok::Number(text[i..j].to_string()), j);
                i = j;
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                push(Tok::Letter(b as char), i + 1);
                i += 1;
            }
            b'\\' => i = command(text, i, end, &mut tokens),
            b':' if bytes.get(i + 1) == Some(&b'=') && i + 1 < end => {
                push(Tok::Define, i + 2);
                i += 2;
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                let tok = match c {
                    '{' => Tok::LBrace,
                    '}' => Tok::RBrace,
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    '[' => Tok::LBracket,
                    ']' => Tok::RBracket,
                    '^' => Tok::Caret,
                    '_' => Tok::Underscore,
                    '+' => Tok::Plus,
                    '-' => Tok::Minus,
                    '*' => Tok::Times,
                    '/' => Tok::Slash,
                    '=' => Tok::Equals,
                    ':' => Tok::Colon,
                    ',' => Tok::Comma,
                    '\'' => Tok::Prime,
                    '<' | '>' => Tok::OtherRelation(c.to_string()),
                    c => Tok::Other(c),
                };
                let to = (i + c.len_utf8()).min(end);
                push(tok, to);
                i = to;
            }
        }
    }
    tokens
}

/// Reads the command at `i` (a backslash) and pushes its token(s); returns where the
/// next token starts.
fn command(text: &str, i: usize, end: usize, tokens: &mut Vec<Token>) -> usize {
    let bytes = text.as_bytes();
    let Some(&next) = bytes.get(i + 1).filter(|_| i + 1 < end) else {
        tokens.push(Token {
            tok: Tok::Other('\\'),
            start: i,
            end: i + 1,
        });
        return i + 1;
    };
    let push = |tokens: &mut Vec<Token>, tok: Tok, to: usize| {
        tokens.push(Token {
            tok,
            start: i,
            end: to,
        })
    };
    if !next.is_ascii_alphabetic() {
        // A one-character command: `\\`, `\{`, `\,` ...
        let c = text[i + 1..].chars().next().unwrap_or('\u{fffd}');
        let to = (i + 1 + c.len_utf8()).min(end);
        match c {
            '\\' => push(tokens, Tok::RowBreak, to),
            '|' => push(tokens, Tok::Norm, to),
            '{' => push(tokens, Tok::LSet, to),
            '}' => push(tokens, Tok::RSet, to),
            ',' | ';' | ':' | '!' | ' ' | '>' => {}
            c => push(tokens, Tok::Other(c), to),
        }
        return to;
    }
    let mut j = i + 1;
    while j < end && bytes[j].is_ascii_alphabetic() {
        j += 1;
    }
    let name = &text[i + 1..j];
    if LAYOUT.contains(&name) {
        return j;
    }
    if RELATIONS.contains(&name) {
        push(tokens, Tok::OtherRelation(format!("\\{name}")), j);
        return j;
    }
    match name {
        "cdot" | "times" | "ast" => push(tokens, Tok::Times, j),
        "odot" | "circ" => push(tokens, Tok::Hadamard, j),
        "otimes" => push(tokens, Tok::Outer, j),
        "lVert" | "rVert" | "Vert" => push(tokens, Tok::Norm, j),
        "mathbb" => {
            // `\mathbb{R}` is the reals; another blackboard letter is not read.
            match braced(text, j, end) {
                Some((content, to)) if content.trim() == "R" => {
                    push(tokens, Tok::Reals, to);
                    return to;
                }
                _ => push(tokens, Tok::Cmd(name.to_string()), j),
            }
        }
        "coloneqq" | "coloneq" => push(tokens, Tok::Define, j),
        "left" | "right" | "bigl" | "bigr" | "Bigl" | "Bigr" => {
            // The delimiter that follows, read as the plain one; `\left.` is nothing.
            let mut k = j;
            while k < end && bytes[k] == b' ' {
                k += 1;
            }
            if k >= end {
                return k;
            }
            let (tok, to) = match bytes[k] {
                b'(' => (Some(Tok::LParen), k + 1),
                b')' => (Some(Tok::RParen), k + 1),
                b'[' => (Some(Tok::LBracket), k + 1),
                b']' => (Some(Tok::RBracket), k + 1),
                b'.' => (None, k + 1),
                b'|' => (Some(Tok::Other('|')), k + 1),
                b'\\' if bytes.get(k + 1) == Some(&b'|') => (Some(Tok::Norm), k + 2),
                b'\\' if text[k + 1..end].starts_with("Vert") => (Some(Tok::Norm), k + 5),
                b'\\' if text[k + 1..end].starts_with("lVert") => (Some(Tok::Norm), k + 6),
                b'\\' if text[k + 1..end].starts_with("rVert") => (Some(Tok::Norm), k + 6),
                b'\\' if bytes.get(k + 1) == Some(&b'{') => (Some(Tok::LSet), k + 2),
                b'\\' if bytes.get(k + 1) == Some(&b'}') => (Some(Tok::RSet), k + 2),
                _ => return j,
            };
            let to = to.min(end);
            if let Some(tok) = tok {
                push(tokens, tok, to);
            }
            return to;
        }
        "begin" | "end" => {
            if let Some((content, to)) = braced(text, j, end) {
                push(tokens, Tok::Environment(format!("{name}{{{content}}}")), to);
                return to;
            }
            push(tokens, Tok::Cmd(name.to_string()), j);
        }
        _ if TEXT.contains(&name) => {
            if let Some((content, to)) = braced(text, j, end) {
                let word = content.trim();
                if !word.is_empty()
                    && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && word.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    push(tokens, Tok::Word(word.to_string()), to);
                }
                // Other text (`\text{同理: }`, `\text{ for all }`) is prose: dropped.
                return to;
            }
            push(tokens, Tok::Cmd(name.to_string()), j);
        }
        _ => push(tokens, Tok::Cmd(name.to_string()), j),
    }
    j
}

/// The content of the `{…}` group at `at` (after spaces), balanced, and the byte after
/// its closing brace.
pub(super) fn braced(text: &str, at: usize, end: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut k = at;
    while k < end && bytes[k] == b' ' {
        k += 1;
    }
    if bytes.get(k) != Some(&b'{') || k >= end {
        return None;
    }
    let mut depth = 0usize;
    let mut m = k;
    while m < end {
        match bytes[m] {
            b'\\' => m += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&text[k + 1..m], m + 1));
                }
            }
            _ => {}
        }
        m += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s, 0, s.len()).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn layout_is_dropped_and_delimiters_are_plain() {
        assert_eq!(
            toks("\\left( a \\right)~~\\quad\\,&\\cdot"),
            [Tok::LParen, Tok::Letter('a'), Tok::RParen, Tok::Times]
        );
    }

    #[test]
    fn prose_in_text_is_dropped_and_words_are_kept() {
        assert_eq!(toks("\\text{同理: }x"), [Tok::Letter('x')]);
        assert_eq!(toks("\\text{net}"), [Tok::Word("net".into())]);
    }

    #[test]
    fn numbers_defines_and_row_breaks() {
        assert_eq!(
            toks("0.5 := 12\\\\"),
            [
                Tok::Number("0.5".into()),
                Tok::Define,
                Tok::Number("12".into()),
                Tok::RowBreak
            ]
        );
    }

    #[test]
    fn matrix_notation_has_its_tokens() {
        assert_eq!(
            toks("\\odot \\circ \\otimes \\mathbb{R} \\| \\left\\| \\rVert"),
            [
                Tok::Hadamard,
                Tok::Hadamard,
                Tok::Outer,
                Tok::Reals,
                Tok::Norm,
                Tok::Norm,
                Tok::Norm
            ]
        );
    }

    #[test]
    fn spans_point_into_the_document() {
        let s = "ab $\\alpha_4$";
        let t = tokenize(s, 4, 12);
        assert_eq!(&s[t[0].start..t[0].end], "\\alpha");
        assert_eq!(&s[t[2].start..t[2].end], "4");
    }
}

//! A `.tex` file's own commands: `\newcommand{\yhat}{\hat{y}}` makes `\yhat` stand for
//! `\hat{y}` in the math that follows it.
//!
//! Only macros without arguments are expanded: `\newcommand`, `\renewcommand`,
//! `\providecommand` (starred or not, the name braced or not), `\def\name{…}`, and
//! `\DeclareMathOperator{\name}{text}` (which stands for `\operatorname{text}`). A
//! macro with arguments (`\newcommand{\pd}[2]{…}`, `\def\pd#1#2{…}`) is not expanded:
//! where it is used, the equation is not read, and the reason names the macro, so
//! nothing is silently altered. A macro is expanded only after its definition (a later
//! definition of the same name takes over from there), its expansion carries the place
//! of its use (so an equation's text and column are the document's), and expansions
//! of expansions stop at a depth of [`MAX_DEPTH`], leaving the command unread (a macro
//! defined through itself).
//!
//! Definitions are found by one forward pass over the file outside `%` comments:
//! linear in its length.

use std::collections::HashMap;

use super::tokens::{braced, tokenize, Tok, Token};

/// How deep expansions of expansions go before the command is left unread.
pub const MAX_DEPTH: usize = 16;

/// The most tokens one piece of math may expand to (`\def\a{\b\b}`, `\def\b{\c\c}`,
/// … double at every level): beyond it, commands are left unexpanded, and unread.
const MAX_TOKENS: usize = 10_000;

/// The longest macro body read, in bytes (an unclosed brace is not searched for to
/// the end of a long file at every definition).
const MAX_BODY: usize = 1 << 16;

/// What a name is defined as, from byte `at` of the document on.
#[derive(Clone, Debug)]
struct Definition {
    /// Where the definition ends: uses after it are expanded.
    at: usize,
    /// 1-based line of the definition, for messages.
    line: usize,
    body: Body,
}

#[derive(Clone, Debug)]
enum Body {
    /// The bytes of the document the macro stands for.
    Text(usize, usize),
    /// `\operatorname{…}` of the document's bytes (`\DeclareMathOperator`).
    Operator(usize, usize),
    /// A macro with arguments: not expanded.
    WithArguments,
}

/// The macros a `.tex` file defines.
#[derive(Clone, Debug, Default)]
pub struct Macros {
    /// By name (without the backslash), in the order defined.
    by_name: HashMap<String, Vec<Definition>>,
}

impl Macros {
    /// The macros `text` defines (a `.tex` file).
    pub fn of(text: &str) -> Macros {
        let mut macros = Macros::default();
        let bytes = text.as_bytes();
        let mut line = 1;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'%' => {
                    // A comment, to the end of the line.
                    i = text[i..].find('\n').map_or(bytes.len(), |k| i + k);
                    continue;
                }
                b'\\' => {
                    let name_end = command_end(bytes, i + 1);
                    if name_end == i + 1 {
                        // `\%`, `\\`, `\{`: a one-character command, skipped whole.
                        i += 2;
                        continue;
                    }
                    let command = &text[i + 1..name_end];
                    if let Some((name, definition, to)) = definition(text, command, name_end) {
                        let lines = text[i..to].bytes().filter(|&b| b == b'\n').count();
                        macros.by_name.entry(name).or_default().push(Definition {
                            at: to,
                            line,
                            body: definition,
                        });
                        line += lines;
                        i = to;
                        continue;
                    }
                    i = name_end;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        macros
    }

    /// Whether no macro is defined.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The definition of `name` in force at byte `at`.
    fn at(&self, name: &str, at: usize) -> Option<&Definition> {
        self.by_name.get(name)?.iter().rev().find(|d| d.at <= at)
    }

    /// The tokens with every macro without arguments expanded (each expanded token
    /// placed where the macro was used); a use of a macro with arguments becomes
    /// [`Tok::MacroWithArguments`], which the parser reports.
    pub fn expand(&self, text: &str, tokens: Vec<Token>) -> Vec<Token> {
        if self.is_empty() {
            return tokens;
        }
        let mut out = Vec::with_capacity(tokens.len());
        for token in tokens {
            self.push(text, token, 0, &mut out);
        }
        out
    }

    fn push(&self, text: &str, token: Token, depth: usize, out: &mut Vec<Token>) {
        let definition = match &token.tok {
            Tok::Cmd(name) => self.at(name, token.start).map(|d| (name, d)),
            _ => None,
        };
        let Some((name, definition)) = definition else {
            out.push(token);
            return;
        };
        if depth >= MAX_DEPTH || out.len() >= MAX_TOKENS {
            out.push(token);
            return;
        }
        let body = match definition.body {
            Body::Text(start, end) => tokenize(text, start, end),
            Body::Operator(start, end) => vec![Token {
                tok: Tok::Word(text[start..end].trim().to_string()),
                start,
                end,
            }],
            Body::WithArguments => {
                out.push(Token {
                    tok: Tok::MacroWithArguments(name.clone(), definition.line),
                    start: token.start,
                    end: token.end,
                });
                return;
            }
        };
        for t in body {
            let placed = Token {
                tok: t.tok,
                start: token.start,
                end: token.end,
            };
            self.push(text, placed, depth + 1, out);
        }
    }
}

/// One past the letters of a command's name starting at `at` (`at` if there are none).
fn command_end(bytes: &[u8], at: usize) -> usize {
    let mut j = at;
    while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
        j += 1;
    }
    j
}

/// Spaces skipped from `at`.
fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The balanced `{…}` group at `at` (after spaces, line breaks included, as TeX reads
/// a definition): its content's bytes and the byte after its closing brace. A body
/// longer than `MAX_BODY` is not a group.
fn group(text: &str, at: usize) -> Option<(usize, usize, usize)> {
    let k = skip_spaces(text.as_bytes(), at);
    let (content, to) = braced(text, k, text.len().min(k + MAX_BODY))?;
    let start = k + 1;
    Some((start, start + content.len(), to))
}

/// The name defined (without the backslash) at `at`: `{\name}` or `\name`, and the
/// byte after it.
fn defined_name(text: &str, at: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let k = skip_spaces(bytes, at);
    if let Some((start, end, to)) = group(text, k) {
        let inner = text[start..end].trim();
        let name = inner.strip_prefix('\\')?;
        return (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic()))
            .then(|| (name.to_string(), to));
    }
    if bytes.get(k) != Some(&b'\\') {
        return None;
    }
    let end = command_end(bytes, k + 1);
    (end > k + 1).then(|| (text[k + 1..end].to_string(), end))
}

/// If the command `command` whose name ends at `at` defines a macro: its name, body and
/// the byte after the definition.
fn definition(text: &str, command: &str, at: usize) -> Option<(String, Body, usize)> {
    let bytes = text.as_bytes();
    match command {
        "newcommand" | "renewcommand" | "providecommand" => {
            let at = if bytes.get(at) == Some(&b'*') {
                at + 1
            } else {
                at
            };
            let (name, after) = defined_name(text, at)?;
            let k = skip_spaces(bytes, after);
            if bytes.get(k) == Some(&b'[') {
                // `[n]` arguments (and perhaps `[default]`): not expanded; the body
                // is skipped so that nothing in it is read as a definition.
                let mut to = k;
                while bytes.get(skip_spaces(bytes, to)) == Some(&b'[') {
                    let open = skip_spaces(bytes, to);
                    let window = &bytes[open..bytes.len().min(open + MAX_BODY)];
                    to = open + window.iter().position(|&b| b == b']')? + 1;
                }
                let (_, _, to) = group(text, to)?;
                return Some((name, Body::WithArguments, to));
            }
            let (start, end, to) = group(text, after)?;
            Some((name, Body::Text(start, end), to))
        }
        "def" => {
            let k = skip_spaces(bytes, at);
            if bytes.get(k) != Some(&b'\\') {
                return None;
            }
            let end = command_end(bytes, k + 1);
            if end == k + 1 {
                return None;
            }
            let name = text[k + 1..end].to_string();
            // The parameter text (`#1#2`) runs to the body's brace.
            let parameters = bytes[end..]
                .iter()
                .take_while(|&&b| b == b'#' || b.is_ascii_digit() || b == b' ')
                .count();
            let brace = end + parameters;
            let parameters = &text[end..brace];
            let (start, body_end, to) = group(text, brace)?;
            if parameters.trim().is_empty() {
                Some((name, Body::Text(start, body_end), to))
            } else {
                Some((name, Body::WithArguments, to))
            }
        }
        "DeclareMathOperator" => {
            let at = if bytes.get(at) == Some(&b'*') {
                at + 1
            } else {
                at
            };
            let (name, after) = defined_name(text, at)?;
            let (start, end, to) = group(text, after)?;
            Some((name, Body::Operator(start, end), to))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(text: &str, from: &str) -> Vec<Tok> {
        let macros = Macros::of(text);
        let start = text.find(from).unwrap();
        let tokens = macros.expand(text, tokenize(text, start, text.len()));
        tokens.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn a_macro_without_arguments_stands_for_its_body_after_its_definition() {
        let text = "$\\yhat$ \\newcommand{\\yhat}{\\hat{y}} $\\yhat_7$";
        let after = expanded(text, "$\\yhat_7");
        assert_eq!(after[1], Tok::Cmd("hat".into()));
        assert_eq!(after[3], Tok::Letter('y'));
        let before = expanded(text, "$\\yhat$");
        assert_eq!(before[1], Tok::Cmd("yhat".into()));
    }

    #[test]
    fn a_macro_with_arguments_is_named_not_expanded() {
        let text = "\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n$\\pd{y}{x}$";
        let tokens = expanded(text, "$");
        assert_eq!(tokens[1], Tok::MacroWithArguments("pd".into(), 1));
    }

    #[test]
    fn a_macro_defined_through_itself_stops() {
        let text = "\\def\\loop{\\loop x} $\\loop$";
        let tokens = expanded(text, "$");
        assert_eq!(tokens.len(), 2 + MAX_DEPTH + 1);
    }

    #[test]
    fn a_doubling_macro_stops_at_the_token_budget() {
        let mut text = String::new();
        let names: Vec<String> = (0..20)
            .map(|k| format!("m{}", "abcdefghijklmnopqrst".as_bytes()[k] as char))
            .collect();
        for pair in names.windows(2) {
            text.push_str(&format!(
                "\\def\\{}{{\\{}\\{}}}\n",
                pair[0], pair[1], pair[1]
            ));
        }
        text.push_str(&format!("$\\{}$", names[0]));
        let tokens = expanded(&text, "$");
        assert!(
            tokens.len() <= MAX_TOKENS + 2 * MAX_DEPTH + 4,
            "{}",
            tokens.len()
        );
    }

    #[test]
    fn definitions_in_comments_are_not_definitions() {
        let text = "% \\newcommand{\\R}{x}\n$\\R$";
        assert!(Macros::of(text).is_empty());
    }
}

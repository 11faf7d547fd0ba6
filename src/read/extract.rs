//! Finding the math in a document: the byte ranges of every `$…$`, `$$…$$`, `\(…\)`,
//! `\[…\]` and top-level `equation`/`align`/`gather`/`multline` environment, with code
//! (fenced blocks, inline code spans), HTML comments, YAML front matter and escaped
//! dollars skipped.
//!
//! A hand-written scanner rather than a Markdown parser: the reader needs the math
//! exactly as it stands in the file, byte for byte, to point at a line and column,
//! and a Markdown parser hands back math with its container's markers (`> `, list
//! indentation) removed. The scanner is one forward pass over the bytes: linear in
//! the document's length, no recursion.

/// How a piece of math was delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// `$…$` or `\(…\)`: math inside a sentence.
    Inline,
    /// `$$…$$`, `\[…\]` or an environment: displayed math.
    Display,
    /// One line of a fenced ```` ```gradproof ```` block: notes inside the document.
    Notes,
}

/// One piece of math: the bytes `start..end` of the document between its delimiters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MathSpan {
    /// First byte of the math (after the opening delimiter).
    pub start: usize,
    /// One past its last byte (before the closing delimiter).
    pub end: usize,
    /// How it was delimited.
    pub delimiter: Delimiter,
}

/// The document's structure is broken: a delimiter opened and never closed. `at` is the
/// byte offset of the opening delimiter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unclosed {
    /// Where the opening delimiter stands.
    pub at: usize,
    /// What is missing, in words (`` `$$` opened here is never closed ``).
    pub message: String,
}

/// The environments read as displayed math (each also starred).
pub const ENVIRONMENTS: [&str; 4] = ["equation", "align", "gather", "multline"];

/// Whether the source is LaTeX (`%` comments) or Markdown (code fences and spans).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Markdown with `$` math (`.md`, `.txt`).
    Markdown,
    /// A LaTeX file (`.tex`).
    Latex,
}

/// Every piece of math in `text`, in document order.
pub fn math_spans(text: &str, flavor: Flavor) -> Result<Vec<MathSpan>, Unclosed> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        spans: Vec::new(),
        flavor,
    };
    scanner.front_matter();
    scanner.run()?;
    Ok(scanner.spans)
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    spans: Vec<MathSpan>,
    flavor: Flavor,
}

impl Scanner<'_> {
    fn at(&self, s: &str) -> bool {
        self.bytes[self.pos..].starts_with(s.as_bytes())
    }

    fn at_line_start(&self) -> bool {
        self.pos == 0 || self.bytes[self.pos - 1] == b'\n'
    }

    /// YAML front matter (`---` on the first line up to the next `---` line) is not
    /// prose: dollars in it are not math.
    fn front_matter(&mut self) {
        if self.flavor != Flavor::Markdown || !self.text.starts_with("---") {
            return;
        }
        let first_end = self.text.find('\n').unwrap_or(self.text.len());
        if self.text[..first_end].trim_end() != "---" {
            return;
        }
        let mut line_start = first_end + 1;
        while line_start < self.text.len() {
            let end = self.text[line_start..]
                .find('\n')
                .map_or(self.text.len(), |i| line_start + i);
            let line = self.text[line_start..end].trim_end();
            if line == "---" || line == "..." {
                self.pos = end;
                return;
            }
            line_start = end + 1;
        }
    }

    fn run(&mut self) -> Result<(), Unclosed> {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            if self.flavor == Flavor::Markdown && self.at_line_start() {
                if let Some(()) = self.fence()? {
                    continue;
                }
            }
            match b {
                b'\\' => self.backslash()?,
                b'$' => self.dollar()?,
                b'`' if self.flavor == Flavor::Markdown => self.code_span(),
                b'<' if self.at("<!--") => {
                    self.pos = self.text[self.pos..]
                        .find("-->")
                        .map_or(self.bytes.len(), |i| self.pos + i + 3);
                }
                b'%' if self.flavor == Flavor::Latex => self.skip_to_line_end(),
                _ => self.pos += 1,
            }
        }
        Ok(())
    }

    fn skip_to_line_end(&mut self) {
        self.pos = self.text[self.pos..]
            .find('\n')
            .map_or(self.bytes.len(), |i| self.pos + i);
    }

    /// A fenced code block (```` ``` ```` or `~~~`, after up to three spaces and any
    /// `>` quote markers): skipped, except a ```` ```gradproof ```` block, whose lines
    /// are notes. `Some(())` when a fence was consumed.
    fn fence(&mut self) -> Result<Option<()>, Unclosed> {
        let line_end = self.text[self.pos..]
            .find('\n')
            .map_or(self.bytes.len(), |i| self.pos + i);
        let line = &self.text[self.pos..line_end];
        let stripped = line.trim_start_matches([' ', '>']);
        let indent = line.len() - stripped.len();
        let fence_char = match stripped.as_bytes().first() {
            Some(&c @ (b'`' | b'~')) => c,
            _ => return Ok(None),
        };
        let run = stripped.bytes().take_while(|&c| c == fence_char).count();
        if run < 3 {
            return Ok(None);
        }
        let info = stripped[run..].trim();
        if fence_char == b'`' && info.contains('`') {
            return Ok(None);
        }
        let notes = info.split_whitespace().next() == Some("gradproof");
        let open = self.pos + indent;
        // Find the closing fence: a line of at least `run` fence characters.
        let mut line_start = line_end + 1;
        while line_start < self.bytes.len() {
            let end = self.text[line_start..]
                .find('\n')
                .map_or(self.bytes.len(), |i| line_start + i);
            let l = &self.text[line_start..end];
            let s = l.trim_start_matches([' ', '>']).trim_end();
            if s.len() >= run && s.bytes().all(|c| c == fence_char) {
                self.pos = end;
                return Ok(Some(()));
            }
            if notes {
                let content_start = line_start + (l.len() - l.trim_start_matches([' ', '>']).len());
                let (start, end) = strip_dollars(self.text, content_start, end);
                if self.text[start..end].trim().is_empty() {
                    // blank line
                } else {
                    self.spans.push(MathSpan {
                        start,
                        end,
                        delimiter: Delimiter::Notes,
                    });
                }
            }
            line_start = end + 1;
        }
        if notes {
            return Err(Unclosed {
                at: open,
                message: "the ```gradproof block opened here is never closed".into(),
            });
        }
        // An unclosed fence runs to the end of the document, as in CommonMark.
        self.pos = self.bytes.len();
        Ok(Some(()))
    }

    /// An inline code span: a run of backticks up to the same run on the same line;
    /// without one, the backticks are literal.
    fn code_span(&mut self) {
        let run = self.bytes[self.pos..]
            .iter()
            .take_while(|&&c| c == b'`')
            .count();
        let ticks = &self.text[self.pos..self.pos + run];
        let after = self.pos + run;
        let line_end = self.text[after..]
            .find('\n')
            .map_or(self.bytes.len(), |i| after + i);
        let mut search = after;
        while let Some(i) = self.text[search..line_end].find(ticks) {
            let close = search + i;
            let close_run = self.bytes[close..]
                .iter()
                .take_while(|&&c| c == b'`')
                .count();
            if close_run == run {
                self.pos = close + run;
                return;
            }
            search = close + close_run;
        }
        self.pos = after;
    }

    fn backslash(&mut self) -> Result<(), Unclosed> {
        let open = self.pos;
        if self.at("\\[") || self.at("\\(") {
            let close = if self.at("\\[") { "\\]" } else { "\\)" };
            let delimiter = if close == "\\]" {
                Delimiter::Display
            } else {
                Delimiter::Inline
            };
            let start = self.pos + 2;
            let end = find_unescaped(self.text, start, close).ok_or_else(|| Unclosed {
                at: open,
                message: format!(
                    "`{}` opened here is never closed by `{close}`",
                    &self.text[open..start]
                ),
            })?;
            self.spans.push(MathSpan {
                start,
                end,
                delimiter,
            });
            self.pos = end + 2;
            return Ok(());
        }
        if self.at("\\begin{") {
            let name_start = self.pos + 7;
            if let Some(len) = self.text[name_start..].find('}') {
                let name = &self.text[name_start..name_start + len];
                let base = name.strip_suffix('*').unwrap_or(name);
                if ENVIRONMENTS.contains(&base) {
                    let start = name_start + len + 1;
                    let end_marker = format!("\\end{{{name}}}");
                    let end = self.text[start..]
                        .find(&end_marker)
                        .map(|i| start + i)
                        .ok_or_else(|| Unclosed {
                            at: open,
                            message: format!(
                                "`\\begin{{{name}}}` opened here has no `{end_marker}`"
                            ),
                        })?;
                    self.spans.push(MathSpan {
                        start,
                        end,
                        delimiter: Delimiter::Display,
                    });
                    self.pos = end + end_marker.len();
                    return Ok(());
                }
            }
        }
        // Any other escape (`\$`, `\\`, a command in prose) is two characters of text.
        self.pos += 1;
        if self.pos < self.bytes.len() {
            self.pos += utf8_len(self.bytes[self.pos]);
        }
        Ok(())
    }

    fn dollar(&mut self) -> Result<(), Unclosed> {
        let open = self.pos;
        if self.at("$$") {
            let start = self.pos + 2;
            let end = find_unescaped(self.text, start, "$$").ok_or_else(|| Unclosed {
                at: open,
                message: "`$$` opened here is never closed".into(),
            })?;
            self.spans.push(MathSpan {
                start,
                end,
                delimiter: Delimiter::Display,
            });
            self.pos = end + 2;
            return Ok(());
        }
        // Inline math, as pandoc reads it: the opening `$` is followed by a non-space,
        // the closing `$` (on the same line) follows a non-space and is not followed
        // by a digit. Otherwise the `$` is a dollar sign.
        let start = self.pos + 1;
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.bytes.len(), |i| start + i);
        let opens = self
            .text
            .get(start..)
            .and_then(|s| s.chars().next())
            .is_some_and(|c| !c.is_whitespace());
        if opens {
            let mut i = start;
            while i < line_end {
                match self.bytes[i] {
                    b'\\' => i += 2,
                    b'$' => {
                        let before_space = self.bytes[i - 1].is_ascii_whitespace();
                        let digit_after = self.bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                        if i > start && !before_space && !digit_after {
                            self.spans.push(MathSpan {
                                start,
                                end: i,
                                delimiter: Delimiter::Inline,
                            });
                            self.pos = i + 1;
                            return Ok(());
                        }
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
        }
        self.pos += 1;
        Ok(())
    }
}

/// The first `close` at or after `from` that is not escaped by a backslash (in math,
/// `\$` is a dollar sign and `\\` a line break, so the scan steps over every escape).
fn find_unescaped(text: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i..].starts_with(close.as_bytes()) {
            return Some(i);
        }
        if bytes[i] == b'\\' && !close.starts_with('\\') {
            i += 2;
            continue;
        }
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'\\') {
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}

/// A notes line may still wrap its math in `$…$` or `$$…$$`: the bytes inside them.
fn strip_dollars(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line = &text[start..end];
    let trimmed = line.trim();
    let lead = line.len() - line.trim_start().len();
    for d in ["$$", "$"] {
        if trimmed.len() >= 2 * d.len() && trimmed.starts_with(d) && trimmed.ends_with(d) {
            let s = start + lead + d.len();
            return (s, s + trimmed.len() - 2 * d.len());
        }
    }
    (start, end)
}

/// The length of the UTF-8 character starting with byte `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn math(text: &str) -> Vec<&str> {
        math_spans(text, Flavor::Markdown)
            .unwrap()
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn inline_display_and_environment_math_are_found_with_their_exact_bytes() {
        let text =
            "a $x=1$ b $$\ny=2\n$$ c \\[z=3\\] d \\(u=4\\)\n\\begin{align*}v&=5\\end{align*}";
        assert_eq!(math(text), ["x=1", "\ny=2\n", "z=3", "u=4", "v&=5"]);
    }

    #[test]
    fn code_front_matter_comments_and_dollar_signs_are_not_math() {
        let text = "---\ntitle: $a=1$\n---\n`$b=2$` costs $5 and $6\n```\n$c=3$\n```\n<!-- $d=4$ -->\n\\$e=5\\$ $f=6$";
        assert_eq!(math(text), ["f=6"]);
    }

    #[test]
    fn a_gradproof_fence_is_notes_one_line_each() {
        let text = "```gradproof\nL := a + b\n$c := 2$\n\n```\n";
        let spans = math_spans(text, Flavor::Markdown).unwrap();
        assert!(spans.iter().all(|s| s.delimiter == Delimiter::Notes));
        assert_eq!(math(text), ["L := a + b", "c := 2"]);
    }

    #[test]
    fn an_unclosed_display_is_an_error_at_its_opening() {
        let err = math_spans("text\n$$ x = 1\n", Flavor::Markdown).unwrap_err();
        assert_eq!(err.at, 5);
        let err = math_spans("\\begin{gather} x", Flavor::Markdown).unwrap_err();
        assert_eq!(err.at, 0);
    }

    #[test]
    fn latex_comments_are_skipped() {
        assert_eq!(
            math_spans("% $a=1$\n$b=2$", Flavor::Latex).unwrap().len(),
            1
        );
    }
}

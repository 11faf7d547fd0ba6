//! Where a piece of source text is: byte offsets, and the line and column a person reads.
//!
//! A line ends at a line feed (`\n`, Unix), a carriage return and line feed (`\r\n`,
//! Windows) or a carriage return alone (`\r`, classic Mac OS). [`Source`] finds every
//! line start once, in one pass, so that the line of any offset is a binary search:
//! loading stays linear in the size of the file however many statements and errors it
//! has.

/// A range of bytes `start..end` in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A position as an editor shows it: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters (not bytes) from the start of the line.
    pub column: usize,
}

impl Position {
    /// The line and column of byte `offset` of `text` (lines end at `\n`, `\r\n` or a
    /// lone `\r`). Linear in the text; to locate many offsets in one text, the parser
    /// indexes its lines once.
    ///
    /// ```
    /// use gradproof::expr::Position;
    /// let text = "a = 1\rb = 2\r\nσc = 3";
    /// let at = text.find('c').unwrap();
    /// assert_eq!(Position::of(text, at), Position { line: 3, column: 2 });
    /// ```
    pub fn of(text: &str, offset: usize) -> Position {
        Source::new(text).position(offset)
    }
}

/// The length of the line break starting at byte `i` of `bytes`, if one does: 2 for
/// `\r\n`, 1 for `\n` or a lone `\r`.
pub(crate) fn line_break_at(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i) {
        Some(b'\n') => Some(1),
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => Some(2),
        Some(b'\r') => Some(1),
        _ => None,
    }
}

/// A source text with the byte offset of every line's start, found once.
pub(crate) struct Source<'s> {
    /// The text.
    pub text: &'s str,
    /// Where each line starts; `starts[0] == 0`, increasing.
    starts: Vec<usize>,
}

impl<'s> Source<'s> {
    /// Indexes the lines of `text`: one pass over its bytes.
    pub fn new(text: &'s str) -> Source<'s> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match line_break_at(bytes, i) {
                Some(width) => {
                    i += width;
                    starts.push(i);
                }
                None => i += 1,
            }
        }
        Source { text, starts }
    }

    /// The line containing byte `offset`: its number, its text (without the line
    /// break) and the byte offset where it starts. A binary search.
    pub fn line_of(&self, offset: usize) -> (usize, &'s str, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        // The last line start at or before `offset` (starts[0] = 0 is always one).
        let number = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[number - 1];
        let end = match self.starts.get(number) {
            Some(&next) => {
                let line = &self.text[start..next];
                next - if line.ends_with("\r\n") { 2 } else { 1 }
            }
            None => self.text.len(),
        };
        (number, &self.text[start..end], start)
    }

    /// Every line's text, without its line break, in order (line `n` at index `n − 1`).
    pub fn lines(&self) -> Vec<&'s str> {
        (0..self.starts.len())
            .map(|i| self.line_of(self.starts[i]).1)
            .collect()
    }

    /// The line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (line, text, start) = self.line_of(offset);
        // An offset inside the line break counts as just past the line's text.
        let within = (offset - start).min(text.len());
        Position {
            line,
            column: text[..floor_char_boundary(text, within)].chars().count() + 1,
        }
    }
}

/// The largest char boundary at or below `i` (spans are always on boundaries; this
/// keeps a stray offset from panicking in slicing).
pub(crate) fn floor_char_boundary(source: &str, mut i: usize) -> usize {
    while i > 0 && !source.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "a = 1\nσb = 2";
        let offset = src.find('b').unwrap();
        let source = Source::new(src);
        assert_eq!(source.position(offset), Position { line: 2, column: 2 });
        assert_eq!(source.line_of(offset).1, "σb = 2");
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let src = "a\nbb\r\nccc\rdddd\r\r\ne";
        let source = Source::new(src);
        let lines: Vec<(usize, &str)> = ['a', 'b', 'c', 'd', 'e']
            .iter()
            .map(|&c| {
                let (n, text, _) = source.line_of(src.find(c).unwrap());
                (n, text)
            })
            .collect();
        assert_eq!(
            lines,
            [(1, "a"), (2, "bb"), (3, "ccc"), (4, "dddd"), (6, "e")]
        );
        // The empty line between `\r` and `\r\n`.
        assert_eq!(source.line_of(src.find("\r\r").unwrap() + 1).0, 5);
        assert_eq!(source.line_of(src.find("\r\r").unwrap() + 1).1, "");
        // The end of the text is on the last line.
        assert_eq!(source.position(src.len()), Position { line: 6, column: 2 });
        assert_eq!(source.lines(), ["a", "bb", "ccc", "dddd", "", "e"]);
    }

    #[test]
    fn an_offset_in_a_line_break_is_at_the_end_of_its_line() {
        let src = "ab\r\ncd";
        let source = Source::new(src);
        assert_eq!(source.position(3), Position { line: 1, column: 3 });
        assert_eq!(Position::of(src, 4), Position { line: 2, column: 1 });
    }
}

//! Where a piece of source text is: byte offsets, and the line and column a person reads.

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

/// The line of `source` containing byte `offset`: its number, its text (without the
/// newline) and the byte offset where it starts.
pub(crate) fn line_of(source: &str, offset: usize) -> (usize, &str, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let number = source[..start].matches('\n').count() + 1;
    let text = source[start..end]
        .strip_suffix('\r')
        .unwrap_or(&source[start..end]);
    (number, text, start)
}

/// The line and column of byte `offset`.
pub(crate) fn position(source: &str, offset: usize) -> Position {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let (line, _, start) = line_of(source, offset);
    Position {
        line,
        column: source[start..offset].chars().count() + 1,
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
        assert_eq!(position(src, offset), Position { line: 2, column: 2 });
        assert_eq!(line_of(src, offset).1, "σb = 2");
    }
}

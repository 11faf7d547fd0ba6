//! Errors of the equation language: each one names what is wrong, where (line and
//! column), shows the line with a caret under the offending text, and gives a hint where
//! one helps.

use std::fmt;

use super::span::{self, Position, Source, Span};

/// The most diagnostics an [`Error`] displays; the rest are counted ("and 3 more
/// errors"): later errors are often consequences of the first, and a file of junk
/// must not flood a terminal. [`Error::diagnostics`] has them all.
pub const MAX_DISPLAYED_ERRORS: usize = 20;

/// The most characters of a source line a diagnostic shows: a longer line is shown
/// as a window around the error, its cut ends marked `…`.
const MAX_SHOWN_LINE: usize = 160;

/// What kind of mistake a [`Diagnostic`] reports (tests and tools match on this; people
/// read the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A character that starts no token (`σ`, `$`, ...).
    UnexpectedCharacter,
    /// A malformed or non-finite number literal.
    InvalidNumber,
    /// Tokens in an order the grammar does not allow.
    Syntax,
    /// A `(` without its `)`, or a `)` without its `(`.
    UnbalancedParenthesis,
    /// Parentheses or function calls nested deeper than [`MAX_NESTING`](super::MAX_NESTING).
    NestingTooDeep,
    /// A name that is neither declared nor defined.
    UnknownName,
    /// A call of a function the language does not have.
    UnknownFunction,
    /// A function called with the wrong number of arguments.
    WrongArity,
    /// A `{i}` in a name with no `for` or `sum` index `i` around it.
    UnknownIndex,
    /// A name used on a line above its definition.
    UseBeforeDefinition,
    /// Definitions that depend on each other in a circle.
    Cycle,
    /// A name declared or defined twice.
    DuplicateDefinition,
    /// A keyword or function name used as a quantity's name.
    ReservedName,
    /// `grad(F, X)` or `next(W)` whose `X` or `W` is not something to differentiate by.
    InvalidDerivative,
    /// `next(W)` in a file without a `loss`, or without an `eta`.
    MissingDeclaration,
    /// Index ranges or sums that expand beyond the size limits.
    TooLarge,
    /// Vectors or matrices whose shapes an operation or a claim cannot combine.
    ShapeMismatch,
    /// An entry `W[i, j]` outside its vector's or matrix's shape.
    IndexOutOfRange,
}

/// One error: kind, message, place in the source, and an optional hint.
///
/// Boxed inside, so that `Result<T, Diagnostic>` stays one pointer wide.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic(Box<Inner>);

#[derive(Clone, Debug, PartialEq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    span: Span,
    position: Position,
    hint: Option<String>,
    note: Option<String>,
    line_text: String,
    caret_width: usize,
    /// False for errors about a request (e.g. a derivative asked for by name) rather
    /// than about a place in the source: they print without a line.
    located: bool,
}

impl Diagnostic {
    /// A diagnostic at `span` of `source`.
    pub(crate) fn new(
        source: &Source,
        kind: ErrorKind,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        let text = source.text;
        let position = source.position(span.start);
        let (_, line_text, line_start) = source.line_of(span.start);
        let end = span::floor_char_boundary(text, span.end.min(line_start + line_text.len()));
        let start = span::floor_char_boundary(text, span.start.min(end));
        let caret_width = text[start..end].chars().count().max(1);
        Diagnostic(Box::new(Inner {
            kind,
            message: message.into(),
            span,
            position,
            hint: None,
            note: None,
            line_text: line_text.to_string(),
            caret_width,
            located: true,
        }))
    }

    /// A diagnostic about no particular place in the source.
    pub(crate) fn unlocated(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(&Source::new(""), kind, Span::default(), message);
        d.0.located = false;
        d
    }

    /// Adds a hint.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.0.hint = Some(hint.into());
        self
    }

    /// Adds a note.
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.0.note = Some(note.into());
        self
    }

    /// What kind of mistake this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// What is wrong, in a sentence.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The offending text.
    pub fn span(&self) -> Span {
        self.0.span
    }

    /// Line and column of the start of the offending text.
    pub fn position(&self) -> Position {
        self.0.position
    }

    /// How to fix it, where there is something useful to say.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// Context, e.g. which expansion of a `for` template the error happened in.
    pub fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The source line the error is on, as written.
    pub fn line_text(&self) -> &str {
        &self.0.line_text
    }

    fn render(&self, f: &mut fmt::Formatter<'_>, file: Option<&str>) -> fmt::Result {
        let d = &self.0;
        let Position { line, column } = d.position;
        if !d.located {
            write!(f, "error: {}", d.message)?;
            if let Some(hint) = &d.hint {
                write!(f, "\n = hint: {hint}")?;
            }
            return Ok(());
        }
        writeln!(f, "error: {}", d.message)?;
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        match file {
            Some(name) => writeln!(f, "{pad}--> {name}:{line}:{column}")?,
            None => writeln!(f, "{pad}--> line {line}, column {column}")?,
        }
        writeln!(f, "{pad} |")?;
        let (shown, caret_column, caret_width) = excerpt(&d.line_text, column, d.caret_width);
        writeln!(f, "{line} | {shown}")?;
        write!(
            f,
            "{pad} | {}{}",
            " ".repeat(caret_column - 1),
            "^".repeat(caret_width)
        )?;
        if let Some(note) = &d.note {
            write!(f, "\n{pad} = note: {note}")?;
        }
        if let Some(hint) = &d.hint {
            write!(f, "\n{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The line as shown under an error: tabs as one space each (so the caret lines up with
/// the character count), and a line longer than [`MAX_SHOWN_LINE`] characters cut to
/// a window around the error, each cut end marked `…`. Returns the text, and the
/// caret's column and width in it.
fn excerpt(line: &str, column: usize, caret_width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    if chars.len() <= MAX_SHOWN_LINE {
        return (chars.into_iter().collect(), column, caret_width);
    }
    // A third of the window before the error, the rest after it.
    let first = (column - 1)
        .saturating_sub(MAX_SHOWN_LINE / 3)
        .min(chars.len() - MAX_SHOWN_LINE);
    let last = first + MAX_SHOWN_LINE;
    let mut shown = String::new();
    let mut caret_column = column - first;
    if first > 0 {
        shown.push('…');
        caret_column += 1;
    }
    shown.extend(&chars[first..last]);
    if last < chars.len() {
        shown.push('…');
    }
    let caret_width = caret_width.min(last + 1 - column).max(1);
    (shown, caret_column, caret_width)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, None)
    }
}

/// Why a source text is not a valid program: one or more [`Diagnostic`]s, in source
/// order of discovery. Displays each with its line and caret, the first
/// [`MAX_DISPLAYED_ERRORS`] of them, then how many more there are.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
    file: Option<String>,
}

impl Error {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>, file: Option<String>) -> Error {
        debug_assert!(!diagnostics.is_empty());
        Error { diagnostics, file }
    }

    /// Every diagnostic (at least one).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The first diagnostic: the one to fix first.
    pub fn first(&self) -> &Diagnostic {
        &self.diagnostics[0]
    }

    /// The kind of the first diagnostic.
    pub fn kind(&self) -> ErrorKind {
        self.first().kind()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self
            .diagnostics
            .iter()
            .take(MAX_DISPLAYED_ERRORS)
            .enumerate()
        {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            d.render(f, self.file.as_deref())?;
        }
        match self.diagnostics.len().saturating_sub(MAX_DISPLAYED_ERRORS) {
            0 => Ok(()),
            1 => write!(f, "\n\nand 1 more error"),
            more => write!(f, "\n\nand {more} more errors"),
        }
    }
}

impl std::error::Error for Error {}

/// The closest of `candidates` to `name` by edit distance, if close enough to be a
/// plausible typo (for "did you mean" hints): at most one edit per three characters,
/// an edit being an insertion, deletion, substitution or swap of neighbours.
///
/// ```
/// use gradproof::expr::closest;
/// assert_eq!(closest("w74", ["w47", "w48", "yhat7"]), Some("w47"));
/// assert_eq!(closest("loss", ["w47", "yhat7"]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance counting insertions, deletions, substitutions and swaps of adjacent
/// characters (the usual typos) as one edit each.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1)
                .min(row[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_offending_text() {
        let src = "a = 1\nb = yhat10 + 1";
        let at = src.find("yhat10").unwrap();
        let d = Diagnostic::new(
            &Source::new(src),
            ErrorKind::UnknownName,
            Span::new(at, at + 6),
            "unknown name `yhat10`",
        )
        .with_hint("did you mean `yhat1`?");
        let text = d.to_string();
        assert!(
            text.contains("2 | b = yhat10 + 1\n  |     ^^^^^^"),
            "{text}"
        );
        assert!(text.ends_with("= hint: did you mean `yhat1`?"), "{text}");
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("sigam", ["sigma", "exp"]), Some("sigma"));
        assert_eq!(closest("foo", ["sigma", "exp"]), None);
    }
}

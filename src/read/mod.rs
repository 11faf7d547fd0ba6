//! Reading a derivation as written: the math of a Markdown or LaTeX document turned
//! into a `.grad` program, so that its claims are checked where the document states
//! them.
//!
//! The reader is a second front end to [`expr`]: it writes a `.grad`
//! program (one statement per equation, index ranges expanded) and a source map from
//! each statement to the document's line, column and text, and parses the program
//! with [`expr::parse`]. Symbolic derivatives, claims, verdicts
//! and reports are the language's own; [`Reading::verify_with`] reports each claim at
//! the document's line with its text as written.
//!
//! The stages, one file each: `extract` (where the math is), `tokens` (LaTeX to
//! tokens), `parse` (tokens to expressions), `rows` (rows, ranges, equations), `names`
//! (notation to names), `build` (definitions, claims, order, the program).
//! `docs/reading.md` states what is read and every rule.
//!
//! ```
//! use gradproof::read::{read, Flavor};
//!
//! let document = "\
//! The net input and the activation: $a = \\sigma(\\delta)$, $\\delta = w x$.
//!
//! Their derivative: $\\frac{\\partial a}{\\partial w} = a(1-a) x$.
//! ";
//! let reading = read(document, None, Flavor::Markdown)?;
//! let reports = reading.verify();
//! assert_eq!(reports.len(), 1);
//! assert!(reports[0].verdict.holds());
//! assert_eq!(reports[0].claim.line, 3);
//! assert_eq!(reports[0].claim.text, "\\frac{\\partial a}{\\partial w} = a(1-a) x");
//! # Ok::<(), gradproof::read::ReadError>(())
//! ```

mod build;
mod extract;
mod functions;
mod interval;
mod macros;
mod names;
mod parse;
mod printed;
mod rows;
mod tokens;

use std::fmt;

use crate::expr::{self, ClaimReport, Program, VerifyOptions};

pub use extract::Flavor;

/// Where a statement of the generated program was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// 1-based line of the relation sign (`=`, `:=`).
    pub line: usize,
    /// 1-based column of the relation sign, in characters.
    pub column: usize,
    /// The relation as written (`\alpha_4=\sigma(\delta_4)`), on one line.
    pub text: String,
    /// The index values of this expansion (`[("i", 4), ("j", 7)]`).
    pub bindings: Vec<(String, i64)>,
    /// Whether it is in the notes rather than the document.
    pub in_notes: bool,
}

/// A relation the reader could not read, and why. Nothing is skipped silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    /// 1-based line of what could not be read.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The equation as written, on one line.
    pub text: String,
    /// Why it was not read.
    pub why: String,
    /// Whether it is in the notes.
    pub in_notes: bool,
}

/// Where a line is, as reports and the program's comments say it.
fn place(in_notes: bool) -> &'static str {
    if in_notes {
        "notes line"
    } else {
        "line"
    }
}

impl Origin {
    /// `line` or `notes line`.
    pub(crate) fn place(&self) -> &'static str {
        place(self.in_notes)
    }
}

impl Unread {
    /// The relation at `origin`, not read for the reason `why`.
    pub(crate) fn at(origin: &Origin, why: String) -> Unread {
        Unread {
            line: origin.line,
            column: origin.column,
            text: origin.text.clone(),
            why,
            in_notes: origin.in_notes,
        }
    }
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = place(self.in_notes);
        write!(
            f,
            "{place} {}:{}: {}\n  not read: {}",
            self.line, self.column, self.text, self.why
        )
    }
}

/// A document the reader cannot use at all: a delimiter never closed, or a program
/// the checker rejects. Located in the document (or the notes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// Whether it is in the notes.
    pub in_notes: bool,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = if self.in_notes { "notes " } else { "" };
        write!(f, "{place}{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ReadError {}

/// A document read: the `.grad` program, its source map and what was not read.
#[derive(Clone, Debug)]
pub struct Reading {
    /// The program, parsed and resolved by [`expr::parse`].
    pub program: Program,
    /// The program's text, each statement after a comment with the line it was read
    /// from (what `gradproof read` prints).
    pub grad: String,
    /// Everything the reader could not read.
    pub unread: Vec<Unread>,
    /// How many equations were read (before index ranges are expanded).
    pub equations: usize,
    /// The free symbols: `.grad` name, LaTeX, and whether it is a parameter.
    pub free: Vec<(String, String, bool)>,
    origins: Vec<Origin>,
    line_origin: Vec<Option<usize>>,
    /// For each claim of the program: its sides in intervals, if it prints a decimal
    /// number.
    numeric: Vec<Option<printed::NumericClaim>>,
}

impl Reading {
    /// Where the statement on line `line` of [`Reading::grad`] was read from.
    pub fn origin(&self, line: usize) -> Option<&Origin> {
        self.origins.get((*self.line_origin.get(line)?)?)
    }

    /// Where each claim of [`Reading::program`] was read from, in the program's order.
    pub fn claim_origins(&self) -> Vec<&Origin> {
        self.program
            .claims()
            .iter()
            .filter_map(|c| self.origin(c.line))
            .collect()
    }

    /// Verifies every claim with the default options.
    pub fn verify(&self) -> Vec<ClaimReport> {
        self.verify_with(VerifyOptions::default())
    }

    /// Verifies every claim; each report's claim carries the document's line, the
    /// relation as written and the index values of its expansion.
    pub fn verify_with(&self, options: VerifyOptions) -> Vec<ClaimReport> {
        self.verify_marking_rounding(options).reports
    }

    /// Verifies every claim as [`Reading::verify_with`] does, and says which claims
    /// hold only within the rounding of the document's printed numbers: their verdict
    /// is [`Verdict::Holds`](crate::expr::Verdict::Holds) (the sides' intervals meet at
    /// the document's values), which is neither a proof nor a test at random points,
    /// so a report gives them their own word.
    pub fn verify_marking_rounding(&self, options: VerifyOptions) -> Verified {
        let mut reports = self.program.verify_with(options);
        let within_rounding = printed::decide(&self.program, &self.numeric, &mut reports);
        for report in &mut reports {
            if let Some(origin) = self.origin(report.claim.line) {
                report.claim.line = origin.line;
                report.claim.text = origin.text.clone();
                report.claim.bindings = origin.bindings.clone();
            }
        }
        Verified {
            reports,
            within_rounding,
        }
    }
}

/// A document's claims verified: one report per claim, and which of them hold only
/// within the rounding of the document's printed numbers.
#[derive(Clone, Debug)]
pub struct Verified {
    /// One report per claim of the program, in its order.
    pub reports: Vec<ClaimReport>,
    /// `within_rounding[i]`: `reports[i]` holds because the intervals of every value
    /// its printed numbers may be rounded from meet, not as an identity.
    pub within_rounding: Vec<bool>,
}

/// Byte offsets of line starts, for line and column in time logarithmic in the
/// document's length.
#[derive(Debug)]
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 1-based line and column (in characters) of byte `at`.
    pub(crate) fn position(&self, text: &str, at: usize) -> (usize, usize) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line - 1];
        (line, text[start..at].chars().count() + 1)
    }
}

fn stages(
    document: &str,
    notes: Option<&str>,
    flavor: Flavor,
) -> Result<(build::Generated, Vec<Unread>, usize), ReadError> {
    let document = document.strip_prefix('\u{feff}').unwrap_or(document);
    let doc_lines = Lines::new(document);
    let doc_spans = extract::math_spans(document, flavor).map_err(|e| {
        let (line, column) = doc_lines.position(document, e.at);
        ReadError {
            line,
            column,
            message: e.message,
            in_notes: false,
        }
    })?;
    let notes = notes.map(|n| n.strip_prefix('\u{feff}').unwrap_or(n));
    let notes_lines = Lines::new(notes.unwrap_or(""));
    let notes_spans = match notes {
        Some(n) => extract::math_spans(n, Flavor::Markdown).map_err(|e| {
            let (line, column) = notes_lines.position(n, e.at);
            ReadError {
                line,
                column,
                message: e.message,
                in_notes: true,
            }
        })?,
        None => Vec::new(),
    };
    // A `.tex` file's own macros without arguments stand for their bodies in its math.
    let macros = match flavor {
        Flavor::Latex => macros::Macros::of(document),
        Flavor::Markdown => macros::Macros::default(),
    };
    let mut builder = build::Builder::default();
    // Every row first: functions the document defines are known before any equation
    // is read (a function may be used before its definition, as a quantity may).
    // Notes first (the notes file, then the document's ```gradproof blocks), so that
    // their definitions stand before the document's equations are decided.
    let mut rows: Vec<(build::Source, rows::Row)> = Vec::new();
    if let Some(n) = notes {
        for span in &notes_spans {
            for row in rows::rows(&tokens::tokenize(n, span.start, span.end)) {
                let source = build::Source {
                    text: n,
                    notes: true,
                    lines: &notes_lines,
                    file: 0,
                };
                rows.push((source, row));
            }
        }
    }
    for pass_notes in [true, false] {
        for span in doc_spans
            .iter()
            .filter(|s| (s.delimiter == extract::Delimiter::Notes) == pass_notes)
        {
            let tokens = macros.expand(document, tokens::tokenize(document, span.start, span.end));
            for row in rows::rows(&tokens) {
                let source = build::Source {
                    text: document,
                    notes: pass_notes,
                    lines: &doc_lines,
                    file: 1,
                };
                rows.push((source, row));
            }
        }
    }
    for (source, row) in &rows {
        builder
            .functions
            .collect(source.file, source.text, source.notes, source.lines, row);
    }
    builder.functions.finish();
    for (source, row) in &rows {
        builder.row(source, row);
    }
    let equations = builder.equations;
    let header = "The .grad program gradproof read from the document: each statement follows \
                  a comment\nwith the line and column of its relation sign and the relation \
                  as written.";
    let (generated, unread) = builder.generate(header);
    Ok((generated, unread, equations))
}

/// The reader's own stages, without the checker: the `.grad` program's text (what
/// [`Reading::grad`] holds) and what was not read. [`read`] is this, then
/// [`expr::parse`] of the text; the stages take time linear in the document's length.
pub fn program_text(
    document: &str,
    notes: Option<&str>,
    flavor: Flavor,
) -> Result<(String, Vec<Unread>), ReadError> {
    let (generated, unread, _) = stages(document, notes, flavor)?;
    Ok((generated.text, unread))
}

/// Reads `document` (and `notes`, Markdown whose every relation is a definition) into
/// a `.grad` program.
///
/// Errors only for a document that cannot be read at all (a `$$` or environment never
/// closed, an equation that the checker rejects); an equation that cannot be read is
/// listed in [`Reading::unread`].
pub fn read(document: &str, notes: Option<&str>, flavor: Flavor) -> Result<Reading, ReadError> {
    let (generated, unread, equations) = stages(document, notes, flavor)?;
    let mut program = expr::parse(&generated.text).map_err(|e| {
        let d = e.first();
        let line = d.position().line;
        let origin = generated
            .line_origin
            .get(line)
            .copied()
            .flatten()
            .and_then(|o| generated.origins.get(o));
        let statement = generated
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("");
        match origin {
            Some(o) => ReadError {
                line: o.line,
                column: o.column,
                message: format!(
                    "`{}` reads as `{statement}`, which cannot be checked: {}{}",
                    o.text,
                    d.message(),
                    d.hint()
                        .map(|h| format!(" (hint: {h})"))
                        .unwrap_or_default()
                ),
                in_notes: o.in_notes,
            },
            None => ReadError {
                line: 1,
                column: 1,
                message: format!(
                    "the program read from the document does not parse: {}",
                    d.message()
                ),
                in_notes: false,
            },
        }
    })?;
    declared_shapes_hold(&program, &generated.declared)?;
    let numeric = if generated.numeric.iter().any(Option::is_some) {
        let valued_leaf: Vec<bool> = program
            .leaves()
            .iter()
            .map(|l| generated.valued.contains(&l.name))
            .collect();
        let known = printed::known_values(&program, &valued_leaf);
        let mut builder = printed::Builder {
            program: &mut program,
            names: &generated.names,
            given: &known,
            unvalued: Vec::new(),
            valued_leaf,
        };
        generated
            .numeric
            .iter()
            .map(|n| n.as_ref().and_then(|(l, r)| builder.claim(l, r)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Reading {
        program,
        numeric,
        grad: generated.text,
        unread,
        equations,
        free: generated
            .free
            .into_iter()
            .map(|(name, key, param)| (name, key.latex(), param))
            .collect(),
        origins: generated.origins,
        line_origin: generated.line_origin,
    })
}

/// Every defined symbol declared with a shape (`z \in \mathbb{R}^{3}`) has that shape
/// by its definition; otherwise an error at the declaration.
fn declared_shapes_hold(
    program: &Program,
    declared: &[(String, build::Declared)],
) -> Result<(), ReadError> {
    if declared.is_empty() {
        return Ok(());
    }
    let shapes: std::collections::HashMap<&str, expr::Shape> = program
        .shaped()
        .map(|(name, shape, _)| (name, shape))
        .collect();
    for (name, d) in declared {
        let (rows, cols) = d.dims.rows_cols();
        let has = shapes
            .get(name.as_str())
            .copied()
            .unwrap_or(expr::Shape::SCALAR);
        if (has.rows, has.cols) != (rows, cols) {
            let what = |rows: usize, cols: usize| match (rows, cols) {
                (1, 1) => "a scalar".to_string(),
                (n, 1) => format!("a vector of {n}"),
                (m, n) => format!("a {m}x{n} matrix"),
            };
            return Err(ReadError {
                line: d.origin.line,
                column: d.origin.column,
                message: format!(
                    "`{}` declares {}, but its definition makes it {}",
                    d.origin.text,
                    what(rows, cols),
                    what(has.rows, has.cols)
                ),
                in_notes: d.origin.in_notes,
            });
        }
    }
    Ok(())
}

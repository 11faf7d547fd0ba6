//! Documents: `gradproof read DOC [--with NOTES]` prints the `.grad` program the reader
//! builds from a Markdown or LaTeX document, and `gradproof check DOC` (chosen by the
//! file's extension, or `--format doc`) verifies it, reporting each claim at the
//! document's line with its text as written, and every relation not read.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use gradproof::expr::VerifyOptions;
use gradproof::read::{self, Flavor, Reading, Unread};
use serde_json::Value;

use crate::commands::check::report::{self, Checked, Totals};
use crate::error::{CliError, Outcome, EXIT_CHECK_FAILED};
use crate::grad_file::{self, GradFile};

/// The examples under `gradproof read --help`.
pub const EXAMPLES: &str = "\
Examples:
  gradproof read examples/document.md --with examples/document-notes.md
  gradproof read notes.md > notes.grad        keep the program, edit it, check it

Each statement of the program follows a comment with the document's line and column
and the relation as written; free symbols are declared first, with values drawn from
their names. Relations the reader cannot read are listed at the end, and make the exit
code 1.

Exit codes: 0 every relation read, 1 some not read, 2 bad input.";

/// How to read a file: as the `.grad` language or as a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The `.grad` equation language.
    Grad,
    /// A Markdown (`$…$`) or LaTeX document.
    Doc,
}

/// Print the .grad program read from a Markdown or LaTeX document.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The document (.md, .txt, .tex).
    #[arg(value_name = "DOC")]
    pub document: PathBuf,

    /// Notes: Markdown whose every relation is a definition (`L := L_{s7}+L_{s8}`),
    /// for what the document leaves to its prose.
    #[arg(long = "with", value_name = "NOTES")]
    pub with: Option<PathBuf>,
}

/// Whether `path` is read as a document: by `format`, or else by its extension.
pub fn is_document(path: &Path, format: Option<Format>) -> bool {
    match format {
        Some(f) => f == Format::Doc,
        None => matches!(extension(path).as_str(), "md" | "markdown" | "txt" | "tex"),
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A document read, with the file it came from.
pub struct Document {
    /// The program and the path, as `check` reports a `.grad` file.
    pub file: GradFile,
    /// The reading: source map and unread relations.
    pub reading: Reading,
}

/// Reads a text file for the reader: UTF-8, BOM stripped.
fn text(path: &Path, what: &str) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::input(format!("cannot read `{shown}`: {e}"))
            .hint(format!("give the path of {what}"))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let line = 1 + before.matches('\n').count();
        let column = 1 + before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count();
        CliError::input(format!(
            "{shown}:{line}:{column}: byte {valid} is not UTF-8 text; {what} is text (is this a binary file?)"
        ))
    })
}

/// Reads the document at `path` with the notes at `notes`.
pub fn load(path: &Path, notes: Option<&Path>) -> Result<Document, CliError> {
    let shown = path.display().to_string();
    let source = text(path, "a Markdown or LaTeX document")?;
    let notes_text = notes
        .map(|n| text(n, "a notes file (Markdown)"))
        .transpose()?;
    let flavor = if extension(path) == "tex" {
        Flavor::Latex
    } else {
        Flavor::Markdown
    };
    let reading = read::read(&source, notes_text.as_deref(), flavor).map_err(|e| {
        let file = match (e.in_notes, notes) {
            (true, Some(n)) => n.display().to_string(),
            _ => shown.clone(),
        };
        CliError::input(format!("{file}:{}:{}: {}", e.line, e.column, e.message))
    })?;
    Ok(Document {
        file: GradFile {
            path: shown,
            program: reading.program.clone(),
        },
        reading,
    })
}

/// Runs `gradproof read`: the program on stdout, exit 1 if anything was not read.
pub fn run(args: ReadArgs) -> Outcome {
    let doc = load(&args.document, args.with.as_deref())?;
    out!("{}", doc.reading.grad);
    if !doc.reading.unread.is_empty() {
        outln!();
        outln!("# Not read ({}):", doc.reading.unread.len());
        for u in &doc.reading.unread {
            for line in u.to_string().lines() {
                outln!("#   {line}");
            }
        }
        return Ok(EXIT_CHECK_FAILED);
    }
    Ok(0)
}

/// `gradproof check` when a file is a document (or notes are given): every file
/// checked, documents through the reader; the report of `check`, each document's
/// unread relations after it, exit 1 when any claim fails or any relation is not read.
pub fn check(
    files: &[PathBuf],
    notes: Option<&Path>,
    format: Option<Format>,
    options: VerifyOptions,
    json: bool,
) -> Outcome {
    let mut loaded: Vec<(GradFile, Option<Reading>)> = Vec::new();
    for path in files {
        if is_document(path, format) {
            let doc = load(path, notes)?;
            loaded.push((doc.file, Some(doc.reading)));
        } else {
            loaded.push((grad_file::load(path)?, None));
        }
    }
    let claims: usize = loaded.iter().map(|(f, _)| f.program.claims().len()).sum();
    let unread: usize = loaded
        .iter()
        .filter_map(|(_, r)| r.as_ref())
        .map(|r| r.unread.len())
        .sum();
    if claims == 0 && unread == 0 {
        let paths: Vec<&str> = loaded.iter().map(|(f, _)| f.path.as_str()).collect();
        return Err(CliError::input(format!(
            "{} states no claims: there is nothing to check",
            paths.join(", ")
        ))
        .hint("in a document, a claim is an equation between two expressions whose left side is not a new symbol, e.g. $\\frac{\\partial L}{\\partial w} = (y - t) x$"));
    }
    let mut checked: Vec<Checked<'_>> = loaded
        .iter()
        .map(|(file, reading)| match reading {
            Some(r) => {
                let verified = r.verify_marking_rounding(options);
                Checked {
                    file,
                    reports: verified.reports,
                    rounded: verified.within_rounding,
                }
            }
            None => Checked {
                file,
                reports: file.program.verify_with(options),
                rounded: Vec::new(),
            },
        })
        .collect();
    let totals = Totals::of(&checked);
    if json {
        print_json(&checked, &loaded, &totals, unread)?;
    } else {
        // One line per expansion: the relation as written, then its index values.
        for (c, (_, reading)) in checked.iter_mut().zip(&loaded) {
            if reading.is_none() {
                continue;
            }
            for r in &mut c.reports {
                if !r.claim.bindings.is_empty() {
                    let b: Vec<String> = r
                        .claim
                        .bindings
                        .iter()
                        .map(|(i, v)| format!("{i} = {v}"))
                        .collect();
                    r.claim.text = format!("{}   [{}]", r.claim.text, b.join(", "));
                }
            }
        }
        report::print_human(&checked, &totals);
        for (file, reading) in &loaded {
            let Some(r) = reading else { continue };
            if r.unread.is_empty() {
                continue;
            }
            outln!();
            outln!("{}: {} relations not read", file.path, r.unread.len());
            for u in &r.unread {
                print_unread(u);
            }
        }
    }
    Ok(if totals.all_hold() && unread == 0 {
        0
    } else {
        EXIT_CHECK_FAILED
    })
}

fn print_unread(u: &Unread) {
    let place = if u.in_notes { "notes line" } else { "line" };
    outln!("  NOT READ  {place} {}:{}  {}", u.line, u.column, u.text);
    outln!("            {}", u.why);
}

/// The `--json` document: `check`'s, each claim with the document's `column` too, and
/// `unread`.
fn print_json(
    checked: &[Checked<'_>],
    loaded: &[(GradFile, Option<Reading>)],
    totals: &Totals,
    unread: usize,
) -> Result<(), CliError> {
    let mut claims = Vec::new();
    let mut unread_list = Vec::new();
    for (c, (_, reading)) in checked.iter().zip(loaded) {
        let origins = reading.as_ref().map(Reading::claim_origins);
        for (i, r) in c.reports.iter().enumerate() {
            let mut json = report::claim_json(&c.file.path, r);
            if c.rounded.get(i).copied().unwrap_or(false) {
                json = json.within_rounding();
            }
            let mut value = serde_json::to_value(json)
                .map_err(|e| CliError::input(format!("cannot write the JSON report: {e}")))?;
            if let (Some(origin), Value::Object(map)) =
                (origins.as_ref().and_then(|o| o.get(i)), &mut value)
            {
                // `column` right after `line`, where a reader of the JSON looks for it.
                let fields = std::mem::take(map);
                for (key, field) in fields {
                    let is_line = key == "line";
                    map.insert(key, field);
                    if is_line {
                        map.insert("column".into(), Value::from(origin.column));
                    }
                }
            }
            claims.push(value);
        }
        for u in reading.iter().flat_map(|r| &r.unread) {
            unread_list.push(serde_json::json!({
                "file": c.file.path,
                "line": u.line,
                "column": u.column,
                "text": u.text,
                "why": u.why,
                "in_notes": u.in_notes,
            }));
        }
    }
    let mut document = serde_json::json!({ "claims": claims, "unread": unread_list });
    if let (Value::Object(map), Ok(Value::Object(t))) =
        (&mut document, serde_json::to_value(totals))
    {
        map.extend(t);
        map.insert("not_read".into(), Value::from(unread));
    }
    crate::output::print_json(&document)
}

//! Reading a `.grad` file for the commands that take one (`check`, `grad`, `diff`,
//! `dot`, `fit`), and finding the quantities their flags name: every failure becomes a
//! [`CliError`] that says which file, line and column, shows the line with a caret, and
//! what to do.

use std::path::Path;

use gradproof::expr::{self, ExprId, LeafKind, Position, Program};

use crate::error::CliError;

/// What a `.grad` file's help points to.
const SEE_SEED: &str = "a .grad file declares inputs and parameters (`input x = 0.5`, \
                        `param w = 0.8`), defines quantities (`loss L = 1/2 * (y - w * x)^2`) \
                        and states claims; examples/seed.grad is a complete one";

/// A parsed `.grad` file and the path it was read from, as the user wrote it.
pub struct GradFile {
    /// The path, as given on the command line (for messages and reports).
    pub path: String,
    /// The program.
    pub program: Program,
}

/// Reads and parses the `.grad` file at `path`.
pub fn load(path: &Path) -> Result<GradFile, CliError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::input(format!("cannot read `{shown}`: {e}"))
            .hint("give the path of a .grad file, like examples/seed.grad")
    })?;
    let source = match std::str::from_utf8(&bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(e) => return Err(not_text(&shown, &bytes, e.valid_up_to())),
    };
    if let Some(error) = control_character(&shown, source) {
        return Err(error);
    }
    let program = expr::parse_named(&shown, source).map_err(|e| parse_error(&e))?;
    if program.leaves().is_empty()
        && program.definitions().is_empty()
        && program.claims().is_empty()
    {
        return Err(CliError::input(format!(
            "{shown}:1:1: the file has no statements (it is empty, or only blank lines and comments)"
        ))
        .hint(SEE_SEED));
    }
    Ok(GradFile {
        path: shown,
        program,
    })
}

/// The error for bytes that are not UTF-8 text, at the line and column of the first
/// bad byte (the column counts the characters before it on its line, plus one).
fn not_text(path: &str, bytes: &[u8], byte: usize) -> CliError {
    // The bytes are valid UTF-8 up to `byte` (so the lossy conversion changes nothing).
    let before = String::from_utf8_lossy(&bytes[..byte]);
    let Position { line, column } = Position::of(&before, byte);
    CliError::input(format!(
        "{path}:{line}:{column}: byte {byte} is not UTF-8 text; a .grad file is text \
         (is this a binary file?)"
    ))
    .hint(SEE_SEED)
}

/// The error for text with a control character other than tab, line feed, carriage
/// return or form feed (a NUL, an escape, ...): UTF-8 that is not text, as a binary
/// file's bytes may be.
fn control_character(path: &str, source: &str) -> Option<CliError> {
    let (at, c) = source
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))?;
    let Position { line, column } = Position::of(source, at);
    Some(
        CliError::input(format!(
            "{path}:{line}:{column}: byte {at} is the control character U+{:04X}; a .grad \
             file is text (is this a binary file?)",
            u32::from(c)
        ))
        .hint(SEE_SEED),
    )
}

/// The command-line error for a program that does not parse: the library's message
/// with the file, line, column and caret, under the command line's `gradproof: error:`.
pub fn parse_error(e: &expr::Error) -> CliError {
    let text = e.to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    CliError::input(text)
}

impl GradFile {
    /// Every name the file declares or defines with its node, leaves first, in
    /// source order.
    pub fn named(&self) -> impl Iterator<Item = (&str, ExprId)> {
        let leaves = self
            .program
            .leaves()
            .iter()
            .map(|l| (l.name.as_str(), l.expr));
        let definitions = self
            .program
            .definitions()
            .iter()
            .map(|d| (d.name.as_str(), d.expr));
        leaves.chain(definitions)
    }

    /// Every name the file declares or defines, leaves first, in source order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.named().map(|(name, _)| name)
    }

    /// The node of `name`, given to `flag`; an unknown name is an error with the
    /// closest known name as a hint, or the list of names when none is close.
    pub fn quantity(&self, flag: &str, name: &str) -> Result<ExprId, CliError> {
        if name.is_empty() {
            // `--wrt w47,` or `--wrt ""`: no name is close to nothing.
            let error = CliError::input(format!("{flag}: an empty name"));
            return Err(if flag == "--wrt" {
                error.hint("separate names with single commas, none at the end: --wrt w47,w14")
            } else {
                error.hint(format!(
                    "the names in {} are {}",
                    self.path,
                    self.name_list()
                ))
            });
        }
        if let Some(id) = self.program.expr(name) {
            return Ok(id);
        }
        if let Some((shape, _)) = self.program.grid(name) {
            let entry = if shape.cols == 1 { "[1]" } else { "[1, 1]" };
            return Err(CliError::input(format!(
                "{flag} {name}: `{name}` is a vector or matrix ({shape}), and this needs a scalar"
            ))
            .hint(format!("name one entry, e.g. `{name}{entry}`")));
        }
        let error = CliError::input(format!(
            "{flag} {name}: `{name}` is not declared or defined in {}",
            self.path
        ));
        Err(match expr::closest(name, self.names()) {
            Some(close) => error.hint(format!("did you mean `{close}`?")),
            None => error.hint(format!(
                "the names in {} are {}",
                self.path,
                self.name_list()
            )),
        })
    }

    /// The `--wrt` names with every vector or matrix expanded into its entries
    /// (`W1` → `W1[1, 1]`, `W1[1, 2]`, ...), each name once, in the order given; every
    /// name checked.
    pub fn wrt_entries(&self, names: &[String]) -> Result<Vec<(String, ExprId)>, CliError> {
        let mut out: Vec<(String, ExprId)> = Vec::new();
        let program = &self.program;
        let mut push = |name: String, id: ExprId| -> Result<(), CliError> {
            // A constant (`data t = 1`, `c = 2`) is not a variable: the tape would
            // report 0, which is not ∂/∂t of anything (the language refuses it too).
            if program.is_constant(id) {
                return Err(CliError::input(format!(
                    "--wrt {name}: `{name}` is a constant: there is nothing to differentiate \
                     with respect to"
                ))
                .hint(
                    "differentiate with respect to an input, a parameter, or a quantity \
                       computed from them (declare data as `input` to vary it)",
                ));
            }
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, id));
            }
            Ok(())
        };
        for name in names {
            if let Some((shape, entries)) = self.program.grid(name) {
                for (k, &id) in entries.iter().enumerate() {
                    let (i, j) = (k / shape.cols + 1, k % shape.cols + 1);
                    let entry = if shape.cols == 1 {
                        format!("{name}[{i}]")
                    } else {
                        format!("{name}[{i}, {j}]")
                    };
                    push(entry, id)?;
                }
            } else {
                let id = self.quantity("--wrt", name)?;
                push(name.clone(), id)?;
            }
        }
        Ok(out)
    }

    /// The quantity `--of` names, or the file's `loss` when it names none: its name and
    /// node.
    pub fn of_or_loss(&self, of: Option<&str>) -> Result<(String, ExprId), CliError> {
        match of {
            Some(name) => Ok((name.to_string(), self.quantity("--of", name)?)),
            None => match self.program.loss() {
                Some(loss) => Ok((loss.name.clone(), loss.expr)),
                None => Err(CliError::input(format!(
                    "{} declares no `loss`, and no --of NAME says which quantity to take",
                    self.path
                ))
                .hint(format!(
                    "add --of NAME (one of {}), or mark a definition as the loss: `loss L = ...`",
                    self.definition_list()
                ))),
            },
        }
    }

    /// The parameters (`param` leaves) by index in [`Program::leaves`].
    pub fn parameters(&self) -> Vec<usize> {
        self.program
            .leaves()
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LeafKind::Param)
            .map(|(i, _)| i)
            .collect()
    }

    fn name_list(&self) -> String {
        quoted(self.names())
    }

    fn definition_list(&self) -> String {
        let names = self.program.definitions().iter().map(|d| d.name.as_str());
        let list = quoted(names);
        if list.is_empty() {
            "none: the file defines nothing".into()
        } else {
            list
        }
    }
}

/// `` `a`, `b`, `c` ``, at most twelve names and then how many more.
fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let mut list: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    if names.len() > 12 {
        list.push(format!("and {} more", names.len() - 12));
    }
    list.join(", ")
}

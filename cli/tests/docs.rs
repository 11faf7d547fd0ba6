//! Every code block of the README and of `docs/` runs in a test, so that no example can
//! rot silently. A block's kind is its fence's language, and each kind has one runner:
//!
//! - ```` ```rust ````: a doctest. `src/lib.rs` includes every document that has one
//!   (`#[doc = include_str!(...)]`); [`every_document_with_rust_blocks_is_a_doctest`]
//!   holds that, so a new document cannot add Rust that never compiles.
//! - ```` ```grad ````: an equation file. Unnamed, it must parse, and each claim's line
//!   states the verdict `check` gives it in a comment (`# proved`, `# tested`,
//!   `# fails`, `# undecided`); named (```` ```grad model.grad ````), it is a file
//!   that a console example of the same document reads (it may be bad input on
//!   purpose), and it must be read by one.
//! - ```` ```console ````: a session. Each `$ gradproof ARGS` (or `$ cargo run
//!   --release -- ARGS`) runs the real binary in a folder holding copies of
//!   `examples/*.grad` and the document's named blocks, and what it prints (stdout,
//!   then stderr) must be what the block shows: a line `...` stands for any number of
//!   lines left out, `[..]` in a line for any text (timings). A trailing `# exit N`
//!   states the exit code (0 otherwise); `| head -N` keeps the first N lines;
//!   `$ printf '...' > FILE` writes a file.
//! - ```` ```csv NAME ````: a data file that a console example reads.
//! - ```` ```sh ````: commands to type that take minutes (builds, benchmarks, the deep
//!   run); not run here, so a `gradproof` command with arguments may not hide in one.
//! - ```` ```ebnf ````: only in `docs/language.md`, the grammar; it must name every
//!   function and keyword the parser knows.
//! - ```` ```text ````: only in `docs/check.md`, the check engine's reports, compared
//!   with the reports themselves by `tests/check_reports_in_docs.rs`.
//!
//! Any other kind of block fails [`every_block_is_of_a_kind_that_runs`].

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::root;
use gradproof::expr::{
    parse, Func, Verdict, DEFAULT_POINTS, MAX_DISPLAYED_ERRORS, MAX_ENTRIES, MAX_INDEX,
    MAX_INSTANCES, MAX_NESTING, MAX_NODES, MAX_PRINTED, MAX_SUMMANDS,
};

/// Every document with code blocks. `docs/` may hold no other Markdown file.
const DOCUMENTS: [&str; 10] = [
    "README.md",
    "docs/document.md",
    "docs/language.md",
    "docs/cli.md",
    "docs/check.md",
    "docs/verdicts.md",
    "docs/performance.md",
    "docs/testing.md",
    "docs/layout.md",
    "docs/reading.md",
];

/// A fenced code block.
#[derive(Clone, Debug)]
struct Block {
    /// The document it is in and the line its fence opens on, for messages.
    file: &'static str,
    line: usize,
    /// The fence's language, and the word after it (a file name) if any.
    kind: String,
    name: Option<String>,
    body: String,
}

impl Block {
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

fn read(file: &str) -> String {
    std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The fenced blocks of a document, in order. A fence is three backticks or more, and
/// closes at a line of the same backticks alone: `docs/reading.md` shows documents that
/// hold fenced blocks of their own inside four-backtick fences.
fn blocks(file: &'static str) -> Vec<Block> {
    let text = read(file);
    let mut blocks = Vec::new();
    let mut open: Option<(&str, Block)> = None;
    for (n, line) in text.lines().enumerate() {
        let ticks = line.bytes().take_while(|&b| b == b'`').count();
        match &mut open {
            None if ticks >= 3 => {
                let mut words = line[ticks..].split_whitespace();
                let block = Block {
                    file,
                    line: n + 1,
                    kind: words.next().unwrap_or("").to_string(),
                    name: words.next().map(str::to_string),
                    body: String::new(),
                };
                open = Some((&line[..ticks], block));
            }
            Some((fence, _)) if line == *fence => blocks.extend(open.take().map(|(_, b)| b)),
            Some((_, block)) => {
                block.body.push_str(line);
                block.body.push('\n');
            }
            None => {}
        }
    }
    assert!(open.is_none(), "{file}: a code block is never closed");
    blocks
}

fn all_blocks() -> Vec<Block> {
    DOCUMENTS.iter().flat_map(|file| blocks(file)).collect()
}

#[test]
fn every_markdown_file_in_docs_is_one_this_test_reads() {
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/") {
        let path = entry.expect("a docs/ entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = format!("docs/{}", path.file_name().unwrap().to_string_lossy());
            assert!(
                DOCUMENTS.contains(&name.as_str()),
                "{name} is not in cli/tests/docs.rs's DOCUMENTS: its blocks would run nowhere"
            );
        }
    }
}

#[test]
fn every_block_is_of_a_kind_that_runs() {
    for block in all_blocks() {
        match block.kind.as_str() {
            "rust" | "grad" | "console" | "csv" => {}
            "text" if block.file == "docs/check.md" => {}
            // A document and the reader's output on it, run by
            // `reading_examples_print_what_the_page_shows`.
            "markdown" | "text" if block.file == "docs/reading.md" => {}
            // The grammar, held to the parser by
            // `the_language_reference_states_every_function_and_limit_the_code_has`.
            "ebnf" if block.file == "docs/language.md" => {}
            "sh" => {
                for line in block.body.lines() {
                    let hidden = line.trim_start().starts_with("gradproof ")
                        || line.contains("cargo run --release -- ");
                    assert!(
                        !hidden,
                        "{}: `{line}` runs gradproof in a ```sh block, which no test runs; \
                         show it in a ```console block with its output",
                        block.at()
                    );
                }
            }
            other => panic!(
                "{}: a ```{other} block runs in no test (see cli/tests/docs.rs for the kinds)",
                block.at()
            ),
        }
    }
}

#[test]
fn every_document_with_rust_blocks_is_a_doctest() {
    let lib = read("src/lib.rs");
    for file in DOCUMENTS {
        let blocks = blocks(file);
        if blocks.iter().any(|b| b.kind == "rust") {
            let include = format!("#[doc = include_str!(\"../{file}\")]");
            assert!(
                lib.contains(&include),
                "{file} has Rust blocks, but src/lib.rs has no `{include}` under #[cfg(doctest)]"
            );
        }
        for b in blocks.iter().filter(|b| b.kind.starts_with("rust")) {
            assert!(
                b.kind == "rust" && b.name.is_none(),
                "{}: `{}` blocks are not run as they are written; write ```rust",
                b.at(),
                b.kind
            );
        }
    }
}

/// The verdict a claim's line states in its comment, if any.
fn stated_verdict(line: &str) -> Option<&str> {
    let comment = line.split_once('#')?.1;
    let word = comment.split_whitespace().next()?;
    let word = word.trim_end_matches([':', ',', ';', '.']);
    ["proved", "tested", "fails", "undecided"]
        .into_iter()
        .find(|v| *v == word)
}

fn verdict_word(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Proved { .. } => "proved",
        Verdict::Holds { .. } => "tested",
        Verdict::Fails(_) => "fails",
        Verdict::Undecided { .. } => "undecided",
    }
}

#[test]
fn grad_blocks_parse_and_their_claims_get_the_verdicts_the_docs_state() {
    let mut checked = 0;
    for block in all_blocks().iter().filter(|b| b.kind == "grad") {
        if block.name.is_some() {
            continue; // A file for a console example: checked there.
        }
        let program = parse(&block.body)
            .unwrap_or_else(|e| panic!("{}: the block does not parse:\n{e}", block.at()));
        let lines: Vec<&str> = block.body.lines().collect();
        let mut claim_lines = BTreeSet::new();
        for report in program.verify() {
            let line = report.claim.line;
            claim_lines.insert(line);
            let stated = stated_verdict(lines[line - 1]).unwrap_or_else(|| {
                panic!(
                    "{}, line {line} of the block: the claim states no verdict \
                     (`# proved`, `# tested`, `# fails` or `# undecided`)",
                    block.at()
                )
            });
            assert_eq!(
                verdict_word(&report.verdict),
                stated,
                "{}, line {line} of the block: `{}`\n{report}",
                block.at(),
                report.claim.text
            );
            checked += 1;
        }
        for (n, line) in lines.iter().enumerate() {
            if stated_verdict(line).is_some() && !line.trim_start().starts_with('#') {
                assert!(
                    claim_lines.contains(&(n + 1)),
                    "{}, line {} of the block: a verdict on a line with no claim",
                    block.at(),
                    n + 1
                );
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} claims in the docs' grad blocks"
    );
}

/// A folder for one document's console examples: `examples/*` copied in, and the
/// document's named blocks written as files.
fn workspace(file: &'static str, blocks: &[Block]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gradproof-docs-{}-{}",
        std::process::id(),
        file.replace(['/', '.'], "-")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("examples")).expect("a temporary folder");
    std::fs::create_dir_all(dir.join("docs/img")).expect("a temporary folder");
    for entry in std::fs::read_dir(root().join("examples")).expect("the examples folder") {
        let path = entry.expect("an example").path();
        if path.is_file() {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, dir.join("examples").join(name)).expect("copy an example");
        }
    }
    for block in blocks {
        let Some(name) = &block.name else { continue };
        match std::fs::read_to_string(root().join(name)) {
            // A file of the repository, shown: it must be what the repository has.
            Ok(file) => assert!(
                matches(&block.body, &file),
                "{}: the block differs from the repository's {name}",
                block.at()
            ),
            Err(_) => std::fs::write(dir.join(name), &block.body).expect("write a named block"),
        }
    }
    dir
}

/// Splits a command line into words: spaces separate, quotes group (no escapes).
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ') => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

/// `printf`'s escapes: `\n`, `\r`, `\t`, `\\` and octal `\NNN` (for bytes that are
/// not text).
fn unescape(format: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut rest = format.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let octal = rest
            .iter()
            .take(3)
            .take_while(|d| (b'0'..=b'7').contains(d))
            .count();
        if octal > 0 {
            let digits = std::str::from_utf8(&rest[..octal]).expect("digits");
            bytes.push(u8::from_str_radix(digits, 8).expect("an octal byte"));
            rest = &rest[octal..];
            continue;
        }
        let (&c, tail) = rest.split_first().expect("an escape after \\");
        rest = tail;
        bytes.push(match c {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            other => other,
        });
    }
    bytes
}

/// Whether `actual` is what `expected` shows: `...` lines skip any lines, `[..]`
/// matches any text within a line. Trailing spaces and blank lines do not count.
fn matches(expected: &str, actual: &str) -> bool {
    let trim = |s: &str| -> Vec<String> {
        let mut lines: Vec<String> = s.lines().map(|l| l.trim_end().to_string()).collect();
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines
    };
    let (expected, actual) = (trim(expected), trim(actual));
    // Positions reachable in `actual` after each expected line: a small NFA, since a
    // `...` may stand for any number of lines.
    let mut states = BTreeSet::from([0usize]);
    for pattern in &expected {
        let mut next = BTreeSet::new();
        for &at in &states {
            if pattern == "..." {
                next.extend(at..=actual.len());
            } else if at < actual.len() && line_matches(pattern, &actual[at]) {
                next.insert(at + 1);
            }
        }
        states = next;
    }
    states.contains(&actual.len())
}

fn line_matches(pattern: &str, line: &str) -> bool {
    let mut pieces = pattern.split("[..]");
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    for (i, piece) in pieces.iter().enumerate() {
        if i + 1 == pieces.len() {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// One `$` command of a session, what it shows, and where.
struct Step {
    command: String,
    expected: String,
}

fn steps(block: &Block) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in block.body.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                expected: String::new(),
            });
        } else {
            let step = steps
                .last_mut()
                .unwrap_or_else(|| panic!("{}: output before any `$` command", block.at()));
            step.expected.push_str(line);
            step.expected.push('\n');
        }
    }
    steps
}

/// Runs one command in `dir`; returns what it prints and its exit code.
fn run(block: &Block, dir: &Path, command: &str) -> (String, i32) {
    let (command, exit) = match command.rsplit_once("# exit ") {
        Some((c, code)) => (c.trim_end(), code.trim().parse().expect("an exit code")),
        None => (command, 0),
    };
    let (command, head) = match command.split_once(" | head -") {
        Some((c, n)) => (c, Some(n.trim().parse::<usize>().expect("head -N"))),
        None => (command, None),
    };
    let words = words(command);
    if words.first().map(String::as_str) == Some("printf") {
        let [_, format, arrow, file] = words.as_slice() else {
            panic!("{}: write `$ printf 'TEXT' > FILE`", block.at());
        };
        assert_eq!(arrow, ">", "{}: `{command}`", block.at());
        std::fs::write(dir.join(file), unescape(format)).expect("write the file");
        return (String::new(), exit);
    }
    let args: &[String] = match words.as_slice() {
        [program, args @ ..] if program == "gradproof" => args,
        [cargo, run, release, args @ ..] if [cargo, run, release] == ["cargo", "run", "--release"] => {
            match args {
                [] => args,
                [dashes, rest @ ..] if dashes == "--" => rest,
                _ => panic!("{}: `{command}`: arguments go after `--`", block.at()),
            }
        }
        _ => panic!(
            "{}: `{command}` is not a command this test runs (gradproof, cargo run --release, printf)",
            block.at()
        ),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gradproof"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gradproof");
    let mut printed = String::from_utf8_lossy(&out.stdout).into_owned();
    if let Some(n) = head {
        printed = printed.lines().take(n).map(|l| format!("{l}\n")).collect();
    }
    printed.push_str(&String::from_utf8_lossy(&out.stderr));
    let code = out.status.code().unwrap_or(-1);
    assert_eq!(
        code,
        exit,
        "{}: `{command}` exited with {code}, the doc says {exit}:\n{printed}",
        block.at()
    );
    (printed, code)
}

/// Runs every console block of `file` and compares what each command prints with
/// what the block shows.
fn console_examples_of(file: &'static str) {
    let blocks = blocks(file);
    let dir = workspace(file, &blocks);
    let mut commands = String::new();
    for block in blocks.iter().filter(|b| b.kind == "console") {
        for step in steps(block) {
            commands.push_str(&step.command);
            commands.push('\n');
            let (printed, _) = run(block, &dir, &step.command);
            assert!(
                matches(&step.expected, &printed),
                "{}: `{}` printed\n{printed}\nbut the doc shows\n{}",
                block.at(),
                step.command,
                step.expected
            );
        }
    }
    for block in blocks.iter() {
        if let Some(name) = &block.name {
            assert!(
                commands.contains(name.as_str()),
                "{}: the file {name} is read by no console example of {file}",
                block.at()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn readme_console_examples_print_what_it_shows() {
    console_examples_of("README.md");
}

#[test]
fn language_console_examples_print_what_it_shows() {
    console_examples_of("docs/language.md");
}

#[test]
fn cli_console_examples_print_what_it_shows() {
    console_examples_of("docs/cli.md");
}

#[test]
fn document_console_examples_print_what_it_shows() {
    console_examples_of("docs/document.md");
}

#[test]
fn check_and_performance_console_examples_print_what_they_show() {
    console_examples_of("docs/check.md");
    console_examples_of("docs/performance.md");
}

/// Every example of docs/reading.md run as printed there: each ```markdown block is
/// written to `example.md` and the command of the ```text block after it is run on it;
/// its output must be the block's, line for line. The one ```markdown block without a
/// ```text block after it is examples/document-notes.md.
#[test]
fn reading_examples_print_what_the_page_shows() {
    let blocks = blocks("docs/reading.md");
    let dir = workspace("docs/reading.md", &[]);
    let (mut run, mut notes) = (0, 0);
    for (i, block) in blocks.iter().enumerate() {
        if block.kind != "markdown" {
            continue;
        }
        let Some(expected) = blocks.get(i + 1).filter(|b| b.kind == "text") else {
            assert_eq!(
                block.body,
                read("examples/document-notes.md"),
                "{}: the page's notes block is not examples/document-notes.md",
                block.at()
            );
            notes += 1;
            continue;
        };
        std::fs::write(dir.join("example.md"), &block.body).unwrap();
        let (command, output) = expected.body.split_once('\n').unwrap();
        let args: Vec<&str> = command
            .strip_prefix("$ gradproof ")
            .unwrap_or_else(|| {
                panic!(
                    "{}: a text block starts with `$ gradproof …`",
                    expected.at()
                )
            })
            .split_whitespace()
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_gradproof"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout, output, "{}: `{command}`", expected.at());
        let clean = !output.contains("FAILED") && !output.contains("NOT READ");
        assert_eq!(
            out.status.code(),
            Some(if clean { 0 } else { 1 }),
            "{command}"
        );
        run += 1;
    }
    assert_eq!((run, notes), (8, 1));
}

#[test]
fn the_matcher_rejects_what_a_doc_does_not_show() {
    // The comparison itself can fail: a changed line, a missing line, an extra line.
    let actual = "a\nb 0.10 s\nc\n";
    assert!(matches("a\nb [..] s\nc\n", actual));
    assert!(matches("a\n...\nc\n", actual));
    assert!(matches("...\n", actual));
    assert!(!matches("a\nb 0.11 s\nc\n", actual));
    assert!(!matches("a\nc\n", actual));
    assert!(!matches("a\nb [..] s\n", actual));
    assert!(!matches("a\nb [..] s\nc\nd\n", actual));
    assert_eq!(
        stated_verdict("claim x = x  # proved by normal forms"),
        Some("proved")
    );
    assert_eq!(stated_verdict("claim x = x"), None);
    assert_eq!(words("printf 'a b\\n' > f"), ["printf", "a b\\n", ">", "f"]);
    assert_eq!(unescape("\\211PNG\\r\\n"), b"\x89PNG\r\n");
}

/// `1000000` as `1,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_language_reference_states_every_function_and_limit_the_code_has() {
    let doc = read("docs/language.md");
    let limits: [(&str, usize); 9] = [
        ("MAX_NESTING", MAX_NESTING),
        ("MAX_INDEX", MAX_INDEX as usize),
        ("MAX_INSTANCES", MAX_INSTANCES),
        ("MAX_SUMMANDS", MAX_SUMMANDS),
        ("MAX_NODES", MAX_NODES),
        ("DEFAULT_POINTS", DEFAULT_POINTS),
        ("MAX_PRINTED", MAX_PRINTED),
        ("MAX_DISPLAYED_ERRORS", MAX_DISPLAYED_ERRORS),
        ("MAX_ENTRIES", MAX_ENTRIES),
    ];
    for (name, value) in limits {
        let row = doc
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("docs/language.md's limits table has no row for {name}"));
        let value = thousands(value as u64);
        assert!(
            row.contains(&format!("| {value} ")) || row.contains(&format!(" to {value} ")),
            "docs/language.md gives {name} another value than {value}: {row}"
        );
    }
    let grammar = blocks("docs/language.md")
        .into_iter()
        .find(|b| b.kind == "ebnf")
        .expect("the grammar");
    for f in Func::ALL {
        let name = f.name();
        assert!(
            doc.contains(&format!("`{name}(x)`")),
            "docs/language.md's table of functions has no `{name}(x)`"
        );
        assert!(
            grammar.body.contains(&format!("\"{name}\"")),
            "the grammar lacks {name}"
        );
        // Every name the function goes by parses (aliases included).
        let source = format!("param w = 0.5\nz = {name}(w)\n");
        assert!(parse(&source).is_ok(), "{name}");
    }
    for alias in ["sigmoid", "log"] {
        assert!(
            grammar.body.contains(&format!("\"{alias}\"")),
            "the grammar lacks {alias}"
        );
        assert!(
            Func::from_name(alias).is_some(),
            "{alias} is no longer a function"
        );
    }
    for keyword in [
        "input", "param", "loss", "claim", "for", "in", "sum", "grad", "next",
    ] {
        assert!(
            grammar.body.contains(&format!("\"{keyword}\"")),
            "the grammar lacks {keyword}"
        );
        // A keyword cannot name a quantity: the parser rejects it.
        assert!(
            parse(&format!("param {keyword} = 1\n")).is_err(),
            "{keyword}"
        );
    }
}

#[test]
fn check_help_points_to_the_language_reference() {
    let out = common::gradproof(&["check", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = common::stdout(&out);
    assert!(help.contains("docs/language.md"), "{help}");
    assert!(root().join("docs/language.md").is_file());
}

#[test]
fn the_tests_and_seed_grad_lines_the_docs_name_exist() {
    // `tests/FILE.rs::NAME` names a test: the file must define it.
    let mut named = 0;
    for file in DOCUMENTS {
        let text = read(file);
        for (at, _) in text.match_indices("`tests/") {
            let reference = &text[at + 1..];
            let reference = &reference[..reference.find('`').expect("a closing backtick")];
            let Some((path, test)) = reference.split_once("::") else {
                continue;
            };
            let source = read(path);
            assert!(
                source.contains(&format!("fn {test}(")),
                "{file} names {reference}, which {path} does not define"
            );
            named += 1;
        }
    }
    assert!(named >= 10, "only {named} tests named");
    // docs/document.md's table gives the lines of examples/seed.grad that state each
    // equation: claims, or the definitions it says.
    let seed = read("examples/seed.grad");
    let seed: Vec<&str> = seed.lines().collect();
    let doc = read("docs/document.md");
    let rows = doc
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" line"));
    let mut lines = 0;
    for row in rows {
        let cell = row.split('|').nth(2).expect("a second cell").trim();
        let numbers: Vec<usize> = cell
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        assert!(!numbers.is_empty(), "{row}");
        for n in numbers {
            let line = seed.get(n - 1).copied().unwrap_or("");
            let expected = if cell.starts_with("definitions") {
                " = "
            } else {
                "claim "
            };
            assert!(
                line.contains(expected) && !line.trim_start().starts_with('#'),
                "docs/document.md: examples/seed.grad line {n} is `{line}`, not what `{cell}` says"
            );
            lines += 1;
        }
    }
    assert!(lines >= 14, "only {lines} lines of seed.grad named");
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn every_link_between_the_docs_reaches_a_file_and_heading() {
    let mut checked = 0;
    for file in DOCUMENTS {
        let text = read(file);
        let dir = Path::new(file).parent().unwrap_or(Path::new(""));
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').expect("a closing parenthesis")];
            if target.starts_with("http") {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let linked = if path.is_empty() {
                file.to_string()
            } else {
                dir.join(path).to_string_lossy().into_owned()
            };
            let resolved = root().join(&linked);
            assert!(
                resolved.exists(),
                "{file} links to {target}, which does not exist"
            );
            if let Some(fragment) = fragment {
                let headings = headings(&read_path(&resolved));
                assert!(
                    headings.iter().any(|h| h == fragment),
                    "{file} links to {target}, but {linked} has no such heading: {headings:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} links");
}

fn read_path(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The anchors of a Markdown text's headings (lines in code blocks are not headings).
fn headings(text: &str) -> Vec<String> {
    let mut in_block = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
        } else if !in_block {
            if let Some(heading) = line.strip_prefix('#') {
                anchors.push(anchor(heading.trim_start_matches('#')));
            }
        }
    }
    anchors
}

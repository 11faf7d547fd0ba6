//! Every example of docs/reading.md run as printed there: each ```markdown block is
//! written to `example.md` and the command of the ```text block after it is run on it;
//! its output must be the block's, line for line. The notes block is
//! examples/document-notes.md.

mod common;

use std::process::Command;

use common::root;

/// The page's fenced blocks: (info string, content).
fn blocks(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let ticks = line.bytes().take_while(|&b| b == b'`').count();
        if ticks < 3 {
            continue;
        }
        let fence = &line[..ticks];
        let info = line[ticks..].trim().to_string();
        let mut content = String::new();
        for l in lines.by_ref() {
            if l == fence {
                break;
            }
            content.push_str(l);
            content.push('\n');
        }
        out.push((info, content));
    }
    out
}

#[test]
fn every_example_of_the_reading_page_prints_what_the_page_shows() {
    let page = std::fs::read_to_string(root().join("docs/reading.md")).unwrap();
    let blocks = blocks(&page);
    let dir = std::env::temp_dir().join(format!("gradproof-read-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut run = 0;
    let mut notes = 0;
    for (i, (info, content)) in blocks.iter().enumerate() {
        if info != "markdown" {
            continue;
        }
        let Some((next_info, expected)) = blocks.get(i + 1).filter(|(n, _)| n == "text") else {
            // The notes of the seed, as the page shows them.
            let file = std::fs::read_to_string(root().join("examples/document-notes.md")).unwrap();
            assert_eq!(
                content, &file,
                "the page's notes block is not examples/document-notes.md"
            );
            notes += 1;
            continue;
        };
        assert_eq!(next_info, "text");
        std::fs::write(dir.join("example.md"), content).unwrap();
        let (command, output) = expected.split_once('\n').unwrap();
        let args: Vec<&str> = command
            .strip_prefix("$ gradproof ")
            .expect("a text block starts with `$ gradproof …`")
            .split_whitespace()
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_gradproof"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout, output, "`{command}` on:\n{content}");
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

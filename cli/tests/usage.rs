//! The command line as a new user meets it: the help's examples, the defaults it
//! shows, what a mistyped command line is told, and the limits of the numeric flags.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout, temp_path};
use gradproof::expr::VerifyOptions;

/// Every `Examples:` section of `text`: its example lines, indented by two spaces.
fn example_lines(text: &str) -> Vec<Vec<&str>> {
    text.split("Examples:\n")
        .skip(1)
        .map(|section| {
            section
                .lines()
                .take_while(|l| l.starts_with("  gradproof"))
                .collect()
        })
        .collect()
}

/// The column where an example's description starts (after the command and a gap of at
/// least two spaces), and the command; `None` for an example without a description.
fn description_column(line: &str) -> Option<(usize, &str)> {
    let body = &line[2..];
    let gap = body.find("  ")?;
    let after = body[gap..].trim_start();
    let column = line.chars().count() - after.chars().count();
    Some((column, &body[..gap]))
}

#[test]
fn every_help_aligns_its_examples_descriptions_in_one_column() {
    let mut helps = vec![stdout(&gradproof(&["--help"]))];
    for command in ["check", "grad", "diff", "dot", "fit", "train"] {
        helps.push(stdout(&gradproof(&[command, "--help"])));
    }
    let mut described = 0;
    for help in &helps {
        for section in example_lines(help) {
            assert!(!section.is_empty(), "{help}");
            let columns: Vec<(usize, &str)> = section
                .iter()
                .filter_map(|l| description_column(l))
                .collect();
            described += columns.len();
            for (column, command) in &columns {
                assert_eq!(*column, columns[0].0, "misaligned: {command}\n{help}");
            }
        }
    }
    // The top-level section describes seven of its examples; fit's among them.
    assert!(described >= 7, "{described}");
    let top = &helps[0];
    let fit = top
        .lines()
        .find(|l| l.starts_with("  gradproof fit"))
        .expect("a fit example");
    let (_, command) = description_column(fit).expect("fit's example is described");
    assert_eq!(command, "gradproof fit examples/seed.grad --steps 50");
}

#[test]
fn the_top_level_examples_run_as_written() {
    // The command part of each described example, run as a user would type it (the
    // ones that train or pipe are covered by their own commands' tests).
    let top = stdout(&gradproof(&["--help"]));
    let mut ran = 0;
    for line in &example_lines(&top)[0] {
        let Some((_, command)) = description_column(line) else {
            continue;
        };
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        if args.first() == Some(&"train") {
            continue;
        }
        let out = gradproof(&args);
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        ran += 1;
    }
    assert_eq!(ran, 6);
}

#[test]
fn check_help_shows_the_default_seed_and_the_default_is_what_runs() {
    let help = stdout(&gradproof(&["check", "--help"]));
    let seed = VerifyOptions::default().seed;
    let at = help.find("--seed <N>").expect("--seed in the help");
    let next = help[at + 2..]
        .find("\n      --")
        .map_or(help.len(), |n| at + 2 + n);
    assert!(
        help[at..next].contains(&format!("[default: {seed}]")),
        "{}",
        &help[at..next]
    );
    // Giving the default explicitly gives the same report as leaving it out. The claim
    // holds at the file's value only, so its counterexample is a random point.
    let file = temp_path("seeded.grad", b"input x = 0.05\nclaim grad(x^2, x) = 0.1\n");
    let point = |seed: Option<&str>| {
        let mut args = vec!["check", file.as_str(), "--json"];
        args.extend(seed.map(|s| ["--seed", s]).iter().flatten());
        let out = gradproof(&args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        json(&out)["claims"][0]["counterexample"]["point"]["x"].clone()
    };
    let default = seed.to_string();
    assert_eq!(point(None), point(Some(&default)));
    assert_ne!(point(None), point(Some("1")), "the seed changes the points");
}

#[test]
fn a_file_where_the_command_belongs_is_told_the_command() {
    for (word, tip) in [
        ("examples/seed.grad", "gradproof check examples/seed.grad"),
        ("paper.md", "gradproof check paper.md"),
        ("notes.TEX", "gradproof check notes.TEX"),
        ("flowers.csv", "gradproof train --data flowers.csv"),
        // No extension, but a file that exists.
        ("Cargo.lock", "gradproof check Cargo.lock"),
    ] {
        let out = gradproof(&[word]);
        assert_bad_input(&out, &["usage: gradproof", "unrecognized subcommand", tip]);
    }
    // A mistyped command is not taken for a file.
    let out = gradproof(&["chek"]);
    assert_bad_input(&out, &["a similar subcommand exists: 'check'"]);
    assert!(
        !stderr(&out).contains("gradproof check chek"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn negative_and_zero_counts_are_range_errors_not_flag_tips() {
    for (args, expected) in [
        (
            &["fit", "examples/seed.grad", "--steps", "-1"][..],
            "`-1` is not a positive whole number",
        ),
        (
            &["fit", "examples/seed.grad", "--steps", "0"],
            "`0` is not a positive whole number",
        ),
        (
            &["fit", "examples/seed.grad", "--report-every", "-5"],
            "`-5` is not a positive whole number",
        ),
        (
            &["train", "--epochs", "-3"],
            "`-3` is not a positive whole number",
        ),
        (
            &["train", "--batch-size", "-1"],
            "`-1` is not a positive whole number",
        ),
        (
            &["train", "--check-every", "-1"],
            "`-1` is not a positive whole number",
        ),
        (
            &["train", "--spot-checks", "-1"],
            "`-1` is not a whole number (0 or more)",
        ),
        (&["train", "--seed", "-1"], "`-1` is not a seed"),
        (&["train", "--layers", "-8"], "`-8` is not a layer size"),
        (
            &["check", "examples/seed.grad", "--points", "-1"],
            "`-1` is not a whole number (0 or more)",
        ),
        (
            &["check", "examples/seed.grad", "--seed", "-7"],
            "`-7` is not a seed",
        ),
    ] {
        let out = gradproof(args);
        assert_bad_input(&out, &[&format!("usage: gradproof {}", args[0]), expected]);
        assert!(
            !stderr(&out).contains("-- -"),
            "clap's tip: {}",
            stderr(&out)
        );
    }
}

#[test]
fn steps_beyond_the_limit_are_refused_with_the_reason() {
    let out = gradproof(&["fit", "examples/seed.grad", "--steps", "100000001"]);
    assert_bad_input(
        &out,
        &[
            "`100000001` is more than 100000000",
            "keeps every step's loss",
        ],
    );
    // Past usize, the same message rather than "invalid digit".
    let out = gradproof(&[
        "fit",
        "examples/seed.grad",
        "--steps",
        "99999999999999999999999",
    ]);
    assert_bad_input(&out, &["is more than 100000000"]);
    assert!(stdout(&gradproof(&["fit", "--help"])).contains("at most 100000000"));
}

#[test]
fn points_has_the_limit_its_help_states() {
    let help = stdout(&gradproof(&["check", "--help"]));
    assert!(help.contains("(at most 100000)"), "{help}");
    let file = temp_path("points.grad", b"input x = 0.5\nclaim x * x = x^2\n");
    let out = gradproof(&["check", &file, "--points", "100000", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for too_many in ["100001", "18446744073709551615", "99999999999999999999999"] {
        let out = gradproof(&["check", &file, "--points", too_many]);
        assert_bad_input(
            &out,
            &[
                "usage: gradproof check",
                &format!("`{too_many}` is more than 100000"),
            ],
        );
    }
}

/// The lines of `flag` in a command's `--help`: its name, and its description up to
/// the next flag.
fn flag_help(command: &str, flag: &str) -> String {
    let help = stdout(&gradproof(&[command, "--help"]));
    let mut lines = help.lines().skip_while(|l| l.trim_start() != flag);
    let name = lines
        .next()
        .unwrap_or_else(|| panic!("{flag} in {command} --help:\n{help}"));
    let description: Vec<&str> = lines
        .take_while(|l| !l.trim_start().starts_with('-') && !l.ends_with(':'))
        .collect();
    format!("{name}\n{}", description.join("\n").trim_end())
}

#[test]
fn the_output_flags_are_one_definition_across_commands() {
    let json_help = flag_help("grad", "--json");
    assert!(
        json_help.contains("one JSON document on stdout"),
        "{json_help}"
    );
    for command in ["check", "diff", "dot", "fit", "train"] {
        assert_eq!(flag_help(command, "--json"), json_help, "{command}");
    }
    for flag in ["--quiet", "--plot <FILE.svg>"] {
        assert_eq!(flag_help("fit", flag), flag_help("train", flag), "{flag}");
    }
    // Commands that print one result take no flags they could not honour.
    for command in ["grad", "diff", "dot"] {
        let out = gradproof(&[command, "examples/seed.grad", "--plot", "x.svg"]);
        assert_bad_input(&out, &["unexpected argument '--plot'"]);
    }
}

#[test]
fn huge_values_print_in_scientific_notation_not_hundreds_of_digits() {
    let file = temp_path(
        "huge-values.grad",
        b"input x = 1e300\nparam w = 2\nloss L = w * x\n",
    );
    let out = gradproof(&["grad", &file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.contains("  x = 1e300\n") && text.contains("  L = 2e300\n"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.len() < 80), "{text}");
    // Exactly: the JSON carries the same numbers.
    let doc = json(&gradproof(&["grad", &file, "--json"]));
    assert_eq!(doc["values"]["L"], 2e300);
}

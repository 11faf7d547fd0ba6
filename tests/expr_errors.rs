//! One test per kind of error in a `.grad` file: each shows the message a person reads
//! (line, column, the line with a caret, and the hint).

use gradproof::expr::{parse, parse_named, Error, ErrorKind, MAX_NESTING};

fn error(source: &str) -> Error {
    match parse(source) {
        Ok(_) => panic!("expected an error for:\n{source}"),
        Err(e) => e,
    }
}

/// The error's kind, and its rendering (printed so a failing test shows it).
fn report(source: &str) -> (ErrorKind, String) {
    let e = error(source);
    let text = e.to_string();
    println!("{text}");
    (e.kind(), text)
}

#[test]
fn unexpected_character_points_at_it_and_names_the_ascii_spelling() {
    // Greek letters are names (σ the sigmoid); a typeset operator is not.
    let (kind, text) = report("input x = 1\na = σ(2·x)");
    assert_eq!(kind, ErrorKind::UnexpectedCharacter);
    assert_eq!(
        text,
        "error: unexpected character '·'\n \
         --> line 2, column 8\n  \
         |\n\
         2 | a = σ(2·x)\n  \
         |        ^\n  \
         = hint: write * for multiplication"
    );
}

#[test]
fn file_name_appears_in_the_location() {
    let e = parse_named("net.grad", "input x = 1\na = σ(2·x)").unwrap_err();
    assert!(e.to_string().contains("--> net.grad:2:8"), "{e}");
}

#[test]
fn invalid_number_is_reported_with_its_text() {
    let (kind, text) = report("input x = 1e999");
    assert_eq!(kind, ErrorKind::InvalidNumber);
    assert!(text.contains("the number 1e999 is too large"), "{text}");
    let (kind, text) = report("input x = 1.");
    assert_eq!(kind, ErrorKind::InvalidNumber);
    assert!(text.contains("hint: write 1.0"), "{text}");
}

#[test]
fn juxtaposition_is_a_syntax_error_with_a_hint_to_multiply() {
    let (kind, text) = report("input x = 1\na = 2 x");
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(text.contains("expected an operator before `x`"), "{text}");
    assert!(text.contains("2 | a = 2 x\n  |       ^"), "{text}");
    assert!(
        text.contains("hint: write '*' for multiplication"),
        "{text}"
    );
}

#[test]
fn a_claim_has_exactly_one_equals_sign() {
    let (kind, text) = report("input x = 1\nclaim x = x = x");
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(
        text.contains("a claim has one '=' between its two sides"),
        "{text}"
    );
}

#[test]
fn a_line_that_is_no_statement_lists_the_statement_forms() {
    let (kind, text) = report("input x = 1\nx + 1");
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(text.contains("expected a statement, found `x`"), "{text}");
    assert!(text.contains("`claim LHS = EXPR`"), "{text}");
}

#[test]
fn unclosed_parenthesis_points_at_the_open_one() {
    let (kind, text) = report("input x = 1\na = sigma((x + 1)");
    assert_eq!(kind, ErrorKind::UnbalancedParenthesis);
    assert!(text.contains("this '(' is never closed"), "{text}");
    assert!(
        text.contains("2 | a = sigma((x + 1)\n  |     ^^^^^^"),
        "{text}"
    );
    let (kind, text) = report("input x = 1\na = x + 1)");
    assert_eq!(kind, ErrorKind::UnbalancedParenthesis);
    assert!(text.contains("this ')' has no '(' to close"), "{text}");
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_not_a_stack_overflow() {
    let deep = 100_000;
    let source = format!("input x = 1\na = {}x{}", "(".repeat(deep), ")".repeat(deep));
    let (kind, text) = report(&source);
    assert_eq!(kind, ErrorKind::NestingTooDeep);
    assert!(
        text.contains(&format!("nested deeper than {MAX_NESTING}")),
        "{}",
        &text[..200]
    );
    // Just under the limit parses; prefix minus and power chains have no depth limit
    // and are handled without recursion too.
    let ok = format!(
        "input x = 1\na = {}x{}\nb = {}x\nc = x{}",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING),
        "-".repeat(deep),
        "^x".repeat(deep)
    );
    let program = parse(&ok).unwrap();
    assert_eq!(program.value(program.expr("a").unwrap()), 1.0);
    assert_eq!(program.value(program.expr("b").unwrap()), 1.0);
    assert_eq!(program.value(program.expr("c").unwrap()), 1.0);
}

#[test]
fn unknown_name_suggests_the_closest_defined_name() {
    let (kind, text) = report("input yhat7 = 1\nL = yaht7 * 2");
    assert_eq!(kind, ErrorKind::UnknownName);
    assert!(text.contains("unknown name `yaht7`"), "{text}");
    assert!(text.contains("hint: did you mean `yhat7`?"), "{text}");
}

#[test]
fn unknown_name_without_its_index_lists_the_indexed_names() {
    let (kind, text) = report("input yhat7 = 1\ninput yhat8 = 1\nL = yhat * 2");
    assert_eq!(kind, ErrorKind::UnknownName);
    assert!(
        text.contains("hint: `yhat` needs an index: yhat7, yhat8"),
        "{text}"
    );
}

#[test]
fn unknown_name_from_a_template_says_which_expansion() {
    let (kind, text) = report("input w47 = 1\nfor j in 7..8: claim w4{j} = 1");
    assert_eq!(kind, ErrorKind::UnknownName);
    assert!(
        text.contains("unknown name `w48` (`w4{j}` with j = 8)"),
        "{text}"
    );
    assert!(text.contains("note: in the expansion with j = 8"), "{text}");
}

#[test]
fn unknown_function_suggests_the_closest_function() {
    let (kind, text) = report("input x = 1\na = sigam(x)");
    assert_eq!(kind, ErrorKind::UnknownFunction);
    assert!(text.contains("unknown function `sigam`"), "{text}");
    assert!(text.contains("hint: did you mean `sigma`?"), "{text}");
}

#[test]
fn wrong_arity_names_the_function_and_its_usage() {
    let (kind, text) = report("input x = 1\na = sigma(x, x)");
    assert_eq!(kind, ErrorKind::WrongArity);
    assert!(
        text.contains("`sigma` takes 1 argument, got more"),
        "{text}"
    );
    let (kind, text) = report("input x = 1\nclaim grad(x) = 1");
    assert_eq!(kind, ErrorKind::WrongArity);
    assert!(text.contains("`grad` takes 2 arguments, got 1"), "{text}");
    assert!(text.contains("hint: write grad(F, X)"), "{text}");
}

#[test]
fn an_index_outside_its_template_is_unknown() {
    let (kind, text) = report("input w47 = 1\na = w4{j}");
    assert_eq!(kind, ErrorKind::UnknownIndex);
    assert!(text.contains("no index `j` is bound here"), "{text}");
    assert!(text.contains("2 | a = w4{j}\n  |       ^^^"), "{text}");
}

#[test]
fn use_before_definition_names_the_line_to_move_above() {
    let (kind, text) = report("input x = 1\nb = a + 1\na = 2 * x");
    assert_eq!(kind, ErrorKind::UseBeforeDefinition);
    assert!(
        text.contains("`a` is used before its definition on line 3"),
        "{text}"
    );
    assert!(
        text.contains("hint: move the definition of `a` above line 2"),
        "{text}"
    );
}

#[test]
fn a_cycle_is_reported_with_its_path() {
    let (kind, text) = report("input x = 1\na = b + x\nb = c * 2\nc = a - 1");
    assert_eq!(kind, ErrorKind::Cycle);
    assert!(
        text.contains("`a` depends on itself: a → b → c → a"),
        "{text}"
    );
    let (kind, text) = report("input x = 1\na = a + x");
    assert_eq!(kind, ErrorKind::Cycle);
    assert!(text.contains("`a` depends on itself: a → a"), "{text}");
}

#[test]
fn a_name_defined_twice_points_at_the_second_and_names_the_first() {
    let (kind, text) = report("input x = 1\nparam w = 2\nw = x * 3");
    assert_eq!(kind, ErrorKind::DuplicateDefinition);
    assert!(text.contains("`w` is already defined on line 2"), "{text}");
    assert!(text.contains("3 | w = x * 3\n  | ^"), "{text}");
    let (kind, text) = report("input x = 1\nfor i in 1..2: z = x * 3");
    assert_eq!(kind, ErrorKind::DuplicateDefinition);
    assert!(text.contains("note: in the expansion with i = 2"), "{text}");
    let (kind, _) = report("input x = 1\nloss A = x\nloss B = x");
    assert_eq!(kind, ErrorKind::DuplicateDefinition);
}

#[test]
fn keywords_and_function_names_cannot_name_quantities() {
    let (kind, text) = report("input x = 1\nexp = x");
    assert_eq!(kind, ErrorKind::ReservedName);
    assert!(
        text.contains("`exp` is a function and cannot name a quantity"),
        "{text}"
    );
    let (kind, _) = report("input claim = 1");
    assert_eq!(kind, ErrorKind::ReservedName);
}

#[test]
fn derivatives_need_a_name_that_varies() {
    let (kind, text) = report("input x = 1\nclaim grad(x * x, 2) = 2 * x");
    assert_eq!(kind, ErrorKind::InvalidDerivative);
    assert!(
        text.contains("in grad(F, X), X must be a single name"),
        "{text}"
    );
    let (kind, text) = report("input x = 1\nc = 2\nclaim grad(x * c, c) = x");
    assert_eq!(kind, ErrorKind::InvalidDerivative);
    assert!(text.contains("`c` is a constant"), "{text}");
    let (kind, text) =
        report("input x = 1\ninput eta = 0.1\nparam w = 1\nloss L = w * x\nclaim next(x) = x");
    assert_eq!(kind, ErrorKind::InvalidDerivative);
    assert!(text.contains("`x` is not declared with `param`"), "{text}");
}

#[test]
fn next_needs_a_loss_and_an_eta() {
    let (kind, text) = report("input eta = 0.1\nparam w = 1\nclaim next(w) = w");
    assert_eq!(kind, ErrorKind::MissingDeclaration);
    assert!(text.contains("the file has no `loss`"), "{text}");
    let (kind, text) = report("param w = 1\nloss L = w * w\nclaim next(w) = w");
    assert_eq!(kind, ErrorKind::MissingDeclaration);
    assert!(
        text.contains("hint: declare the learning rate: `input eta = 0.5`"),
        "{text}"
    );
}

#[test]
fn templates_that_expand_too_far_are_refused() {
    let (kind, text) = report("input x = 1\nfor i in 0..1000000: z{i} = x");
    assert_eq!(kind, ErrorKind::TooLarge);
    assert!(text.contains("templates expand to more than"), "{text}");
    let (kind, _) = report("input x = 1\nz = sum(i in 0..1000000, sum(j in 0..1000000, x))");
    assert_eq!(kind, ErrorKind::TooLarge);
}

#[test]
fn several_independent_errors_are_all_reported() {
    let e = error("input x = 1\na = σ\nb = (x\nc = 2 x");
    assert_eq!(e.diagnostics().len(), 3);
    let lines: Vec<usize> = e.diagnostics().iter().map(|d| d.position().line).collect();
    assert_eq!(lines, [2, 3, 4]);
}

#[test]
fn a_failed_definition_does_not_cascade_into_its_users() {
    let e = error("input x = 1\na = sigam(x)\nb = a + 1\nc = b * 2");
    assert_eq!(e.diagnostics().len(), 1);
    let e = error("input x = 1\na = y + 1\nb = a + 1\nc = b * 2");
    assert_eq!(e.diagnostics().len(), 1);
    assert_eq!(e.kind(), ErrorKind::UnknownName);
}

#[test]
fn next_of_an_index_is_an_error_not_a_claim_dropped_silently() {
    let e =
        parse("param w = 1\nfor i in 1..2: claim next(i) = 1\nclaim w = w\n").expect_err("next(i)");
    let d = &e.diagnostics()[0];
    assert_eq!(d.kind(), ErrorKind::InvalidDerivative, "{d}");
    assert!(d.message().contains("not an index"), "{d}");
    assert_eq!((d.position().line, d.position().column), (2, 27), "{d}");
}

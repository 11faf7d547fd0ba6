//! A `.tex` file's own macros: those without arguments are expanded in its math (after
//! their definition), those with arguments make the equation that uses them unread,
//! with the macro named; nothing is altered silently.

mod common;

use gradproof::expr::Verdict;
use gradproof::read::{read, Flavor, Reading};

fn tex(text: &str) -> Reading {
    read(text, None, Flavor::Latex).unwrap_or_else(|e| panic!("{e}"))
}

/// A neuron in a paper's notation: `\yhat` for `\hat{y}`, `\relu` an operator, and a
/// derivative written with the two-argument macro `\pd`.
const NEURON: &str = r"\documentclass{article}
\newcommand{\yhat}{\hat{y}}
\newcommand\net{\text{net}}
\def\loss{L}
\DeclareMathOperator{\relu}{relu}
\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}
% \newcommand{\x}{this is a comment, not a definition}
\begin{document}
\begin{equation}
\net = w x + b, \quad \yhat = \sigma(\net), \quad \loss = \frac{1}{2}(y - \yhat)^2
\end{equation}
\begin{align}
\frac{\partial \loss}{\partial w} &= (\yhat - y) \yhat (1 - \yhat) x \\
\frac{\partial \relu(\net)}{\partial b} &= \operatorname{step}(\net) \\
\pd{\loss}{w} &= (\yhat - y) x
\end{align}
\end{document}
";

#[test]
fn macros_without_arguments_stand_for_their_bodies() {
    let reading = tex(NEURON);
    // The definitions read `\yhat`, `\net` and `\loss` as the symbols they stand for.
    assert!(
        reading.grad.contains("yhat = sigma(net)"),
        "{}",
        reading.grad
    );
    assert!(
        reading.grad.contains("L = 1 / 2 * (y - yhat)^2"),
        "{}",
        reading.grad
    );
    let reports = reading.verify();
    let lines: Vec<(usize, bool)> = reports
        .iter()
        .map(|r| (r.claim.line, r.verdict.holds()))
        .collect();
    assert_eq!(lines, vec![(13, true), (14, true)], "{}", reading.grad);
    assert!(reports
        .iter()
        .all(|r| matches!(r.verdict, Verdict::Proved { .. })));
    // The claim's text is the document's, macros and all.
    assert_eq!(
        reports[0].claim.text,
        r"\frac{\partial \loss}{\partial w} &= (\yhat - y) \yhat (1 - \yhat) x"
    );
}

#[test]
fn a_wrong_claim_written_with_macros_fails_at_its_line() {
    let wrong = NEURON.replace(
        r"&= (\yhat - y) \yhat (1 - \yhat) x \\",
        r"&= (\yhat - y) \yhat x \\",
    );
    let reports = tex(&wrong).verify();
    let failed: Vec<usize> = reports
        .iter()
        .filter(|r| !r.verdict.holds())
        .map(|r| r.claim.line)
        .collect();
    assert_eq!(failed, vec![13]);
}

#[test]
fn a_macro_with_arguments_leaves_its_equation_unread_and_named() {
    let reading = tex(NEURON);
    assert_eq!(reading.unread.len(), 1, "{:#?}", reading.unread);
    let unread = &reading.unread[0];
    assert_eq!(unread.line, 15);
    assert_eq!(unread.text, r"\pd{\loss}{w} &= (\yhat - y) x");
    assert!(
        unread
            .why
            .contains(r"`\pd` is a macro with arguments (defined on line 6)"),
        "{}",
        unread.why
    );
}

#[test]
fn a_macro_is_expanded_only_after_its_definition() {
    let text = r"\begin{equation}
\yhat = \sigma(z)
\end{equation}
\newcommand{\yhat}{\hat{y}}
\begin{equation}
\frac{\partial \yhat}{\partial z} = \yhat(1 - \yhat)
\end{equation}
";
    let reading = tex(text);
    assert_eq!(reading.unread.len(), 1, "{:#?}", reading.unread);
    assert_eq!(reading.unread[0].line, 2);
    assert!(
        reading.unread[0].why.contains(r"`\yhat`"),
        "{}",
        reading.unread[0].why
    );
}

#[test]
fn markdown_is_not_searched_for_macros() {
    let text = "\\newcommand{\\yhat}{\\hat{y}}\n\n$\\yhat = \\sigma(z)$\n";
    let reading = read(text, None, Flavor::Markdown).unwrap();
    assert_eq!(reading.unread.len(), 1, "{:#?}", reading.unread);
}

#[test]
fn a_macro_defined_through_itself_is_unread_not_a_hang() {
    let text = "\\def\\loop{\\loop + 1}\n\\[ x = \\loop \\]\n";
    let reading = tex(text);
    assert_eq!(reading.unread.len(), 1, "{:#?}", reading.unread);
    assert!(
        reading.unread[0].why.contains(r"`\loop`"),
        "{}",
        reading.unread[0].why
    );
}

proptest::proptest! {
    #![proptest_config(common::config_with_cases("proptest-regressions/read_macros.txt", 200))]

    /// Any mix of macro definitions, function definitions, their uses and broken
    /// pieces of them reads without a panic, in LaTeX and in Markdown.
    #[test]
    fn macros_and_functions_in_any_order_never_panic(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                r"\newcommand{\a}{\hat{y}}", r"\newcommand\b{\a + \b}", r"\def\c{\c\c}",
                r"\def\d#1{#1}", r"\newcommand{\e}[1][x]{#1}", r"\DeclareMathOperator{\r}{relu}",
                r"\renewcommand{\a}{z}", r"\newcommand{", r"\def\", "{", "}", "%", "\n",
                "$", "$$", r"\[", r"\]", r"\begin{equation}", r"\end{equation}",
                r"\a", r"\b", r"\c", r"\d{x}", r"\e", r"\r(w)", "g(u) = u^2", "g(w)^2",
                "h(v) = g(v) + h(v)", "g'(u) = 2u", " = ", "x", r"\frac{\partial g(w)}{\partial w}",
                "é", "∂",
            ]),
            0..40,
        )
    ) {
        let text: String = pieces.concat();
        let _ = read(&text, None, Flavor::Latex);
        let _ = read(&text, None, Flavor::Markdown);
    }
}

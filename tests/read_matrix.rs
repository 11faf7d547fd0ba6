//! Matrix notation in documents (issue #14, the reader's side): shapes declared as
//! documents declare them, bold and arrow faces, transposes, `\odot`, `\otimes`,
//! `\sigma'`, norms. `examples/matrix.md` (the seed's 3-3-3 network in matrix form)
//! is proved claim by claim, and each classic matrix mistake planted in a copy fails at
//! its own line, with the entry and the diagnosis the language gives.

mod common;
mod read_support;

use gradproof::expr::Verdict;
use gradproof::read::{read, Flavor, Reading};
use read_support::{md, verdicts};

fn example() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/matrix.md")).unwrap()
}

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle}"))
}

/// The example with `from` (once in it) replaced by `to`.
fn planted(from: &str, to: &str) -> String {
    let text = example();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replacen(from, to, 1)
}

/// A failed claim: its line, the entry that fails and the diagnosis.
type Failure = (usize, Option<(usize, usize)>, String);

/// Every claim that fails.
fn failures(reading: &Reading) -> Vec<Failure> {
    reading
        .verify()
        .into_iter()
        .filter_map(|r| match r.verdict {
            Verdict::Fails(c) => Some((r.claim.line, c.entry, c.diagnosis.unwrap_or_default())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_network_in_matrix_notation_is_read_whole_and_every_claim_proved() {
    let reading = md(&example());
    assert!(reading.unread.is_empty(), "{:#?}", reading.unread);
    let reports = reading.verify();
    assert_eq!(reports.len(), 10, "{}", reading.grad);
    for r in &reports {
        assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
        assert!(
            r.claim.shape.is_some(),
            "every claim is about a vector or matrix: {r}"
        );
    }
    // The free symbols are declared with the document's shapes, entries from the name.
    for declaration in ["param W1: 3x3", "param W2: 3x3", "param x: 3", "input y: 3"] {
        assert!(reading.grad.contains(declaration), "{}", reading.grad);
    }
}

#[test]
fn a_missing_transpose_fails_at_its_line_naming_the_matrix() {
    let text = planted(
        "\\partial \\mathbf{a}_1} = \\mathbf{W}_2^\\top \\boldsymbol",
        "\\partial \\mathbf{a}_1} = \\mathbf{W}_2 \\boldsymbol",
    );
    let line = line_of(&text, "\\partial \\mathbf{a}_1} = ");
    let failed = failures(&md(&text));
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].0, line);
    assert!(failed[0].1.is_some());
    assert!(
        failed[0]
            .2
            .contains("the right side uses W2 where W2ᵀ belongs"),
        "{}",
        failed[0].2
    );
}

#[test]
fn a_swapped_outer_product_fails_at_its_line_as_the_transpose() {
    let text = planted(
        "\\partial \\mathbf{W}_2} = \\boldsymbol{\\delta}_2 \\mathbf{a}_1^T",
        "\\partial \\mathbf{W}_2} = \\mathbf{a}_1 \\boldsymbol{\\delta}_2^T",
    );
    let line = line_of(&text, "\\partial \\mathbf{W}_2} = \\mathbf{a}_1");
    let failed = failures(&md(&text));
    // Both links of the chain on that line are wrong: `a δᵀ` is neither `∂L/∂W₂`
    // nor `δ ⊗ a`; nothing else fails.
    assert_eq!(failed.len(), 2, "{failed:#?}");
    for (at, entry, diagnosis) in &failed {
        assert_eq!(*at, line);
        assert!(entry.is_some_and(|(i, j)| i != j), "{entry:?}");
        assert!(
            diagnosis.contains("the factors of the outer product are swapped")
                && diagnosis.contains("its transpose"),
            "{diagnosis}"
        );
    }
}

#[test]
fn a_missing_sigma_prime_fails_at_its_line_naming_the_factor() {
    let text = planted(
        "= (\\hat{\\mathbf{y}} - \\mathbf{y}) \\odot \\sigma'(\\mathbf{z}_2)$$",
        "= \\hat{\\mathbf{y}} - \\mathbf{y}$$",
    );
    let line = line_of(&text, "\\partial \\mathbf{z}_2} = \\hat");
    let failed = failures(&md(&text));
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].0, line);
    assert!(
        failed[0]
            .2
            .contains("an elementwise factor σ′(z2) is missing"),
        "{}",
        failed[0].2
    );
}

#[test]
fn a_matrix_product_in_the_wrong_order_is_a_shape_error_at_its_line() {
    let text = planted(
        "\\mathbf{z}_1 &= \\mathbf{W}_1 \\mathbf{x},",
        "\\mathbf{z}_1 &= \\mathbf{x} \\mathbf{W}_1,",
    );
    let e = read(&text, None, Flavor::Markdown).unwrap_err();
    assert_eq!(e.line, line_of(&text, "\\mathbf{z}_1 &= "));
    assert!(
        e.message.contains("shape mismatch in the matrix product")
            && e.message.contains("a vector of 3")
            && e.message.contains("a 3x3 matrix")
            && e.message.contains("hint: a transpose may be missing"),
        "{}",
        e.message
    );
}

#[test]
fn a_definition_must_have_the_shape_its_symbol_is_declared_with() {
    let text = planted(
        "- The learning rate $\\eta$, a number.",
        "- The learning rate $\\eta$, a number.\n- The net input $\\mathbf{z}_1 \\in \\mathbb{R}^{2}$.",
    );
    let e = read(&text, None, Flavor::Markdown).unwrap_err();
    assert_eq!(
        (e.line, e.column),
        (line_of(&text, "The net input"), 31),
        "{e}"
    );
    assert!(
        e.message
            .contains("declares a vector of 2, but its definition makes it a vector of 3"),
        "{e}"
    );
    // Declared with the shape it has, it reads.
    let right = text.replace("\\mathbb{R}^{2}$.", "\\mathbb{R}^{3}$.");
    assert!(read(&right, None, Flavor::Markdown).is_ok());
}

#[test]
fn a_shape_in_letters_is_not_read_and_neither_is_what_uses_the_symbol() {
    let r = md(
        "$\\mathbf{v} \\in \\mathbb{R}^{n}$, $s = \\mathbf{v}^\\top \\mathbf{v}$, \
                $\\frac{\\partial s}{\\partial \\mathbf{v}} = 2 \\mathbf{v}$",
    );
    let why: Vec<&str> = r.unread.iter().map(|u| u.why.as_str()).collect();
    assert_eq!(r.unread.len(), 3, "{why:#?}");
    assert!(why[0].contains("whole numbers"), "{}", why[0]);
    assert!(why[1..]
        .iter()
        .all(|w| w.contains("whose shape declaration is not read")
            || w.contains("whose definition is not read")));
    assert!(r.program.claims().is_empty());
}

#[test]
fn shapes_are_declared_the_ways_documents_declare_them() {
    let r = md(
        "$\\mathbf{u}, \\mathbf{v} \\in \\mathbb{R}^{3}$, $A \\in \\mathbb{R}^{2\\times 3}$, \
                $B \\in \\mathbb{R}^{3 x 2}$, $c \\in \\mathbb{R}^4$, $\\eta \\in \\mathbb{R}$, \
                $s = \\eta\\, \\mathbf{u}^\\top B A \\mathbf{v} + \\mathbf{c}^\\top \\mathbf{c}$, \
                $\\frac{\\partial s}{\\partial \\mathbf{u}} = \\eta B A \\mathbf{v}$",
    );
    assert!(r.unread.is_empty(), "{:#?}", r.unread);
    for declaration in [
        "param u: 3",
        "input v: 3",
        "input A: 2x3",
        "input B: 3x2",
        "input c: 4",
        "input eta = ",
    ] {
        assert!(r.grad.contains(declaration), "{declaration}\n{}", r.grad);
    }
    assert!(r.verify().iter().all(|c| c.verdict.holds()));
}

#[test]
fn bold_and_arrow_faces_name_the_same_symbol() {
    for face in [
        "\\mathbf{W}_1",
        "\\boldsymbol{W}_1",
        "\\bm{W}_1",
        "\\vec{W}_1",
        "W_1",
    ] {
        let r = md(&format!(
            "$\\mathbf{{W}}_1 \\in \\mathbb{{R}}^{{2 \\times 2}}$, $M = {face} {face}$"
        ));
        assert!(r.grad.contains("M = W1 * W1"), "{face}\n{}", r.grad);
    }
}

#[test]
fn every_transpose_mark_is_the_transpose() {
    for mark in [
        "^T",
        "^\\top",
        "^{\\top}",
        "^{T}",
        "^{\\mathsf{T}}",
        "^{\\intercal}",
        "^\\intercal",
        "^{\\mathrm{T}}",
    ] {
        let r = md(&format!(
            "$W \\in \\mathbb{{R}}^{{2 \\times 3}}$, $M = W{mark} W$, $M = W^T W$"
        ));
        assert!(r.grad.contains("M = W^T * W"), "{mark}\n{}", r.grad);
        let reports = r.verify();
        assert_eq!(reports.len(), 1);
        assert!(
            matches!(reports[0].verdict, Verdict::Proved { .. }),
            "{}",
            reports[0]
        );
    }
}

#[test]
fn a_prime_is_a_transpose_only_where_it_can_be_nothing_else() {
    // `W` a declared matrix and `W'` nothing of its own: the transpose.
    let r = md("$W \\in \\mathbb{R}^{2 \\times 3}$, $M = W' W$, $M = W^\\top W$");
    assert!(r.grad.contains("M = W^T * W"), "{}", r.grad);
    assert_eq!(verdicts(&r), [(1, true)]);
    // `W'` defined by the document: its own symbol.
    let r = md("$W \\in \\mathbb{R}^{2 \\times 2}$, $W' = 2 W$, $M = W' W$");
    assert!(r.grad.contains("M = W_prime * W"), "{}", r.grad);
    // `w` a scalar (no shape declared): `w'` is a symbol, as everywhere else.
    let r = md("$m = w' w$");
    assert!(r.grad.contains("m = w_prime * w"), "{}", r.grad);
}

#[test]
fn odot_circ_otimes_and_norms_read_as_the_language_writes_them() {
    let r = md("$\\mathbf{u}, \\mathbf{v} \\in \\mathbb{R}^{3}$, \
                $\\mathbf{u} \\odot \\mathbf{v} = \\mathbf{v} \\circ \\mathbf{u}$, \
                $\\mathbf{u} \\otimes \\mathbf{v} = \\mathbf{u} \\mathbf{v}^\\top$, \
                $\\|\\mathbf{u}\\|_2 = \\sqrt{\\mathbf{u}^\\top \\mathbf{u}}$, \
                $\\frac{1}{2} \\left\\| \\mathbf{u} \\right\\| = \\frac{1}{2} \\lVert \\mathbf{u} \\rVert$");
    assert!(r.unread.is_empty(), "{:#?}", r.unread);
    for text in ["u ⊙ v", "v ⊙ u", "outer(u, v)", "norm(u)"] {
        assert!(r.grad.contains(text), "{text}\n{}", r.grad);
    }
    let reports = r.verify();
    assert_eq!(reports.len(), 4);
    assert!(reports.iter().all(|c| c.verdict.holds()), "{:#?}", reports);
    // And a wrong one fails: `u ⊗ v` is not `v uᵀ`.
    let r = md("$\\mathbf{u}, \\mathbf{v} \\in \\mathbb{R}^{3}$, \
                $\\mathbf{u} \\otimes \\mathbf{v} = \\mathbf{v} \\mathbf{u}^\\top$");
    assert!(!r.verify()[0].verdict.holds());
}

#[test]
fn sigma_prime_is_the_logistic_derivative_entry_by_entry() {
    let r = md(
        "$\\mathbf{z} \\in \\mathbb{R}^{3}$, $\\mathbf{a} = \\sigma(\\mathbf{z})$, \
                $\\sigma'(\\mathbf{z}) = \\mathbf{a} \\odot (1 - \\mathbf{a})$, \
                $\\sigma^{\\prime}(\\mathbf{z}) = \\sigma^\\prime(\\mathbf{z})$",
    );
    assert!(r.unread.is_empty(), "{:#?}", r.unread);
    let reports = r.verify();
    assert_eq!(reports.len(), 2);
    assert!(reports
        .iter()
        .all(|c| matches!(c.verdict, Verdict::Proved { .. })));
    // σ′ is not σ: the claim that it is fails.
    let r = md("$z \\in \\mathbb{R}^{3}$, $\\sigma'(z) = \\sigma(z)$");
    assert!(!r.verify()[0].verdict.holds());
}

/// A well-shaped expression over `A, B` (3x3) and `u, v` (3): written as LaTeX the
/// ways documents write it, and as the `.grad` language writes it, fully grouped.
struct Shaped {
    latex: String,
    grad: String,
}

/// A small deterministic generator (the test's randomness comes from proptest's seed).
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const TRANSPOSES: [&str; 6] = [
    "^\\top",
    "^T",
    "^{\\mathsf{T}}",
    "^{\\intercal}",
    "^{T}",
    "^\\intercal",
];

/// A matrix (`matrix`) or a vector expression of at most `depth` levels.
fn shaped(d: &mut Draw, depth: u32, matrix: bool) -> Shaped {
    let group = |s: &Shaped| Shaped {
        latex: format!("\\left({}\\right)", s.latex),
        grad: format!("({})", s.grad),
    };
    if depth == 0 || d.next(4) == 0 {
        let (latex, grad) = match (matrix, d.next(2)) {
            (true, 0) => ("\\mathbf{A}", "A"),
            (true, _) => ("B", "B"),
            (false, 0) => ("\\mathbf{u}", "u"),
            (false, _) => ("\\vec{v}", "v"),
        };
        return Shaped {
            latex: latex.into(),
            grad: grad.into(),
        };
    }
    let choice = d.next(if matrix { 8 } else { 6 });
    let sub = |matrix: bool, d: &mut Draw| group(&shaped(d, depth - 1, matrix));
    match choice {
        0 | 1 => {
            let (a, b) = (sub(matrix, d), sub(matrix, d));
            let (l, g) = if choice == 0 { ("+", "+") } else { ("-", "-") };
            Shaped {
                latex: format!("{} {l} {}", a.latex, b.latex),
                grad: format!("{} {g} {}", a.grad, b.grad),
            }
        }
        2 => {
            // A matrix product by juxtaposition (or `\cdot`): matrix times this kind.
            let (a, b) = (sub(true, d), sub(matrix, d));
            let op = if d.next(2) == 0 { " " } else { " \\cdot " };
            Shaped {
                latex: format!("{}{op}{}", a.latex, b.latex),
                grad: format!("{} * {}", a.grad, b.grad),
            }
        }
        3 => {
            let (a, b) = (sub(matrix, d), sub(matrix, d));
            let op = if d.next(2) == 0 { "\\odot" } else { "\\circ" };
            Shaped {
                latex: format!("{} {op} {}", a.latex, b.latex),
                grad: format!("{} ⊙ {}", a.grad, b.grad),
            }
        }
        4 => {
            let a = sub(matrix, d);
            Shaped {
                latex: format!("\\sigma{}", a.latex),
                grad: format!("sigma{}", a.grad),
            }
        }
        5 => {
            let a = sub(matrix, d);
            Shaped {
                latex: format!("2 {}", a.latex),
                grad: format!("2 * {}", a.grad),
            }
        }
        6 => {
            let a = sub(true, d);
            let mark = TRANSPOSES[d.next(TRANSPOSES.len() as u64) as usize];
            Shaped {
                latex: format!("{}{mark}", a.latex),
                grad: format!("{}^T", a.grad),
            }
        }
        _ => {
            // An outer product: `u \otimes v` or `u v^\top`.
            let (a, b) = (sub(false, d), sub(false, d));
            let latex = if d.next(2) == 0 {
                format!("{} \\otimes {}", a.latex, b.latex)
            } else {
                format!("{} {}^\\top", a.latex, b.latex)
            };
            Shaped {
                latex,
                grad: format!("outer({}, {})", a.grad, b.grad),
            }
        }
    }
}

/// Tokens of matrix notation, for random formulas.
const NOTATION: [&str; 30] = [
    "\\mathbf{W}",
    "_1",
    "^\\top",
    "^T",
    "\\odot",
    "\\otimes",
    "\\circ",
    "\\|",
    "\\in",
    "\\mathbb{R}",
    "^{3 \\times 3}",
    "^{3}",
    "x",
    "(",
    ")",
    "{",
    "}",
    "=",
    "'",
    "\\sigma",
    "\\frac{\\partial L}{\\partial ",
    "\\boldsymbol{",
    "\\lVert",
    "\\rVert",
    ",",
    "\\\\",
    "\\sigma'",
    "^{\\prime}",
    "2",
    " ",
];

proptest::proptest! {
    #![proptest_config(common::config_with_cases("proptest-regressions/read_matrix.txt", 48))]

    /// The LaTeX of a random well-shaped expression reads as the expression: the
    /// claim that the reader's `M` equals the `.grad` language's writing of it is
    /// proved (entry by entry, for every value of `A, B, u, v`).
    #[test]
    fn shaped_expressions_read_as_the_language_writes_them(
        seed in proptest::prelude::any::<u64>(),
        depth in 1u32..4,
        matrix in proptest::prelude::any::<bool>(),
    ) {
        let e = shaped(&mut Draw(seed), depth, matrix);
        let document = format!(
            "$\\mathbf{{A}}, B \\in \\mathbb{{R}}^{{3 \\times 3}}$, \
             $\\mathbf{{u}}, \\mathbf{{v}} \\in \\mathbb{{R}}^{{3}}$, $M = {}$",
            e.latex
        );
        let reading = md(&document);
        proptest::prop_assert!(reading.unread.is_empty(), "{:#?}", reading.unread);
        let program = format!("{}claim M = {}\n", reading.grad, e.grad);
        let program = gradproof::expr::parse(&program)
            .unwrap_or_else(|err| panic!("{err}\n{program}"));
        let reports = program.verify();
        proptest::prop_assert_eq!(reports.len(), 1);
        proptest::prop_assert!(
            matches!(reports[0].verdict, Verdict::Proved { .. }),
            "{}\n{}",
            reports[0],
            document
        );
    }

    /// Random formulas in matrix notation are read, listed as unread or refused with a
    /// place: never a panic.
    #[test]
    fn random_matrix_notation_never_panics(
        picks in proptest::collection::vec(0usize..NOTATION.len(), 0..40),
    ) {
        let formula: String = picks.iter().map(|&i| NOTATION[i]).collect();
        for document in [format!("$${formula}$$"), format!("$W \\in \\mathbb{{R}}^{{3 \\times 3}}$, $x \\in \\mathbb{{R}}^{{3}}$ ${formula}$")] {
            if let Ok(reading) = read(&document, None, Flavor::Markdown) {
                let _ = reading.verify();
            }
        }
    }
}

#[test]
fn layer_labels_are_part_of_the_name_and_nabla_is_the_gradient() {
    let r = md("$\\mathbf{x}, \\mathbf{y} \\in \\mathbb{R}^{3}$, \
                $\\mathbf{W}^{(1)}, \\mathbf{W}^{(2)} \\in \\mathbb{R}^{3 \\times 3}$, \
                $\\mathbf{z}^{(1)} = \\mathbf{W}^{(1)} \\mathbf{x}$, \
                $\\mathbf{z}^{(2)} = \\mathbf{W}^{(2)} \\mathbf{a}^{(1)}$, \
                $\\mathbf{a}^{(l)} = \\sigma(\\mathbf{z}^{(l)}),~~l = 1, 2$, \
                $L = \\frac{1}{2} \\|\\mathbf{a}^{(2)} - \\mathbf{y}\\|^2$, \
                $\\boldsymbol{\\delta}^{(2)} := \\nabla_{\\mathbf{z}^{(2)}} L$, \
                $\\nabla_{\\mathbf{W}^{(2)}} L = \\boldsymbol{\\delta}^{(2)} {\\mathbf{a}^{(1)}}^\\top$, \
                $\\nabla_{\\mathbf{a}^{(1)}} L = {\\mathbf{W}^{(2)}}^\\top \\boldsymbol{\\delta}^{(2)}$, \
                $\\nabla_{\\mathbf{a}^{(1)}} L = \\mathbf{W}^{(2)} \\boldsymbol{\\delta}^{(2)}$");
    assert!(r.unread.is_empty(), "{:#?}", r.unread);
    // `W^{(2)}` is one symbol, never `W` squared; the range binds the label.
    for text in [
        "param W_l2: 3x3",
        "a_l1 = sigma(z_l1)",
        "a_l2 = sigma(z_l2)",
    ] {
        assert!(r.grad.contains(text), "{text}\n{}", r.grad);
    }
    assert_eq!(verdicts(&r), [(1, true), (1, true), (1, false)]);
}

//! The symbolic reverse sweep ([`Program::gradients`]) against forward
//! differentiation ([`Program::derivative`]) on random expressions from the language's
//! grammar: for every leaf and for an intermediate quantity, the two derivatives are
//! one function (never refuted; proved where the machinery can), and a wrong gradient
//! is refuted by the same comparison.

mod common;

mod expr_support;

use gradproof::expr::{parse, Claim, ExprId, Program, Shape, Verdict, VerifyOptions};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

const FUNCTIONS: [&str; 11] = [
    "sigma", "exp", "ln", "sqrt", "tanh", "relu", "abs", "sin", "cos", "step", "sign",
];

/// The variables every case differentiates by: the three leaves and `g`, a quantity
/// computed from them that `f` uses.
const WRT: [&str; 4] = ["a", "b", "c", "g"];

fn expression(leaves: Vec<&'static str>) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => select(leaves).prop_map(String::from),
        1 => (1u32..10).prop_map(|n| n.to_string()),
        1 => (1u32..100).prop_map(|n| format!("{}.{}", n / 10, n % 10)),
    ];
    expr_support::compose(leaf, &FUNCTIONS)
}

/// `(g, f, values)`: `g` over `a, b, c` (the program adds `a`, so that `g` is never a
/// constant); `f` over `a, b, c, g`.
fn case() -> impl Strategy<Value = (String, String, [f64; 3])> {
    (
        expression(vec!["a", "b", "c"]),
        expression(vec!["a", "b", "c", "g", "g"]),
        [-2.0..2.0f64, -2.0..2.0f64, -2.0..2.0f64],
    )
}

fn program(g: &str, f: &str, v: &[f64; 3]) -> Program {
    let source = format!(
        "param a = {:?}\nparam b = {:?}\nparam c = {:?}\ng = a + ({g})\nf = {f}\n",
        v[0], v[1], v[2]
    );
    parse(&source).unwrap_or_else(|e| panic!("generated source does not parse:\n{source}\n{e}"))
}

/// The claim `[reverse] = [forward]` over the four variables, as one 1 × 4 claim.
fn compare(p: &Program, reverse: Vec<ExprId>, forward: Vec<ExprId>) -> Verdict {
    let shape = Shape {
        rows: 1,
        cols: WRT.len(),
    };
    let claim = Claim::between_grids(1, "gradients = derivatives", shape, reverse, forward)
        .expect("one node per variable");
    let options = VerifyOptions {
        points: 8,
        ..VerifyOptions::default()
    };
    p.verify_one(&claim, options).verdict
}

/// Both derivatives of `f` for every variable, and the verdict on their equality.
fn gradients_against_derivatives(g: &str, f: &str, v: &[f64; 3]) -> Verdict {
    let mut p = program(g, f, v);
    let reverse = p.gradients("f", &WRT).expect("declared");
    let forward: Vec<ExprId> = WRT
        .iter()
        .map(|x| p.derivative("f", x).expect("declared"))
        .collect();
    compare(&p, reverse, forward)
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/expr_gradients.txt"))]

    /// Where `f` itself is not finite it has no derivative, and the two modes may
    /// write different non-numbers: `ln(ln(1^a))` is −∞ everywhere, its reverse
    /// derivative NaN, and forward mode's simplifier cancels `ln(1^a) / ln(1^a)` to 1
    /// (found at 10⁵ cases). Such points are no case of the property.
    #[test]
    fn the_reverse_sweep_gives_the_forward_derivatives((g, f, v) in case()) {
        let p = program(&g, &f, &v);
        prop_assume!(p.value(p.expr("f").expect("declared")).is_finite());
        let verdict = gradients_against_derivatives(&g, &f, &v);
        prop_assert!(!matches!(verdict, Verdict::Fails(_)), "g = {g}, f = {f} at {v:?}: {verdict:?}");
    }
}

/// The property must mostly prove, not merely fail to refute: a generator whose cases
/// were all undecided would show nothing.
#[test]
fn most_generated_gradient_cases_are_proved() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let (mut proved, total) = (0, 100);
    for _ in 0..total {
        let (g, f, v) = strategy.new_tree(&mut runner).unwrap().current();
        if matches!(
            gradients_against_derivatives(&g, &f, &v),
            Verdict::Proved { .. }
        ) {
            proved += 1;
        }
    }
    println!("{proved} of {total} cases proved");
    assert!(proved * 2 > total, "only {proved} of {total} cases proved");
}

/// The comparison is not vacuous: gradients taken in the wrong order (each variable's
/// derivative compared with the next one's) are refuted, at the entry where they first
/// differ.
#[test]
fn the_comparison_refutes_gradients_of_the_wrong_variables() {
    let mut p = program("a * b", "sigma(g) * c + a^2 * g", &[0.3, -0.7, 1.1]);
    let mut reverse = p.gradients("f", &WRT).expect("declared");
    let forward: Vec<ExprId> = WRT.iter().map(|x| p.derivative("f", x).unwrap()).collect();
    assert!(matches!(
        compare(&p, reverse.clone(), forward.clone()),
        Verdict::Proved { .. }
    ));
    reverse.rotate_left(1);
    let Verdict::Fails(c) = compare(&p, reverse, forward) else {
        panic!("wrong gradients not refuted")
    };
    assert_eq!(c.entry, Some((1, 1)));
}

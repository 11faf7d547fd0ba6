//! Unit tests of the math parser: symbols written many ways, products, functions,
//! derivatives, sums, and the messages of what is not read.

use super::super::tokens::tokenize;
use super::*;

fn parse(s: &str) -> R<Ast> {
    expression(&tokenize(s, 0, s.len()), s.len())
}

fn sym(s: &str) -> (String, Vec<&'static str>, String) {
    let t = tokenize(s, 0, s.len());
    let y = symbol(&t, s.len()).unwrap();
    (y.base, y.decorations, y.sub)
}

#[test]
fn one_symbol_is_written_many_ways() {
    let hat_y7 = ("y".to_string(), vec!["hat"], "7".to_string());
    for s in ["\\hat{y}_7", "\\hat{y_7}", "\\hat{y}_{7}", "\\hat{y_{7}}"] {
        assert_eq!(sym(s), hat_y7, "{s}");
    }
    assert_eq!(sym("L_{s7}"), sym("L_{s_7}"));
    assert_eq!(sym("\\hat{\\omega_{47}}"), sym("\\hat{\\omega}_{47}"));
    assert_ne!(sym("\\omega_{47}"), sym("w_{47}"));
}

#[test]
fn juxtaposition_is_a_product_and_a_symbol_before_a_parenthesis_is_kept_apart() {
    let ast = parse("\\hat{y}_7(1-\\hat{y}_7)").unwrap();
    assert!(matches!(ast, Ast::Apply(..)));
    let ast = parse("\\omega_{14} x_1").unwrap();
    assert!(matches!(ast, Ast::Bin(Op::Mul, ..)));
}

#[test]
fn sigma_with_a_parenthesis_is_the_function() {
    let ast = parse("\\sigma(\\delta_7)(1-\\sigma(\\delta_7))").unwrap();
    let Ast::Bin(Op::Mul, a, _) = ast else {
        panic!()
    };
    assert!(matches!(*a, Ast::Call(Func::Sigma, _)));
}

#[test]
fn derivatives_in_three_notations() {
    for s in [
        "\\frac{\\partial L}{\\partial w}",
        "\\partial L / \\partial w",
        "\\frac{dL}{dw}",
    ] {
        let Ast::Grad(of, wrt) = parse(s).unwrap() else {
            panic!("{s}")
        };
        assert!(matches!(*of, Ast::Sym(_)));
        assert_eq!(wrt.base, "w");
    }
    let Ast::Grad(of, _) =
        parse("\\frac{\\partial  \\frac{1}{2}(y_7 - \\hat{y_7})^2}{\\partial \\hat{y}_{7}}")
            .unwrap()
    else {
        panic!()
    };
    assert!(matches!(*of, Ast::Bin(Op::Mul, ..)));
}

#[test]
fn a_sum_takes_the_product_that_follows() {
    let Ast::Bin(Op::Mul, _, sum) =
        parse("\\eta\\sum\\limits_{k=7}^{9}\\frac{\\partial L_{sk}}{\\partial w} x").unwrap()
    else {
        panic!()
    };
    let Ast::Sum {
        index,
        values,
        body,
    } = *sum
    else {
        panic!()
    };
    assert_eq!((index, values), ('k', vec![7, 8, 9]));
    assert!(matches!(*body, Ast::Bin(Op::Mul, ..)));
}

#[test]
fn unary_minus_after_an_operator_and_euler() {
    assert!(parse("a \\cdot -1").is_ok());
    let Ast::Bin(Op::Div, _, den) = parse("\\frac{1}{1+e^{-x}}").unwrap() else {
        panic!()
    };
    let Ast::Bin(Op::Add, _, e) = *den else {
        panic!()
    };
    assert!(matches!(*e, Ast::Call(Func::Exp, _)));
}

#[test]
fn letters_glued_before_a_subscript_are_not_guessed() {
    let s = "net_{h1} + 1";
    let f = parse(s).unwrap_err();
    assert_eq!(&s[f.start..f.end], "net");
    assert!(f.why.contains("\\text{net}"), "{}", f.why);
    assert!(parse("\\text{net}_{h1}").is_ok());
    assert!(parse("n e t_{h1}").is_ok());
    assert!(parse("2wx").is_ok());
    assert!(parse("\\frac{dy_7}{dx_1}").is_ok());
}

#[test]
fn unreadable_math_says_where_and_why() {
    let s = "a + \\infty";
    let f = parse(s).unwrap_err();
    assert_eq!(&s[f.start..f.end], "\\infty");
    let deep = format!("{}x{}", "(".repeat(200), ")".repeat(200));
    assert!(parse(&deep).unwrap_err().why.contains("nested"));
}

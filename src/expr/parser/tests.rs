//! Unit tests of the parser: precedence, calls, declarations, errors.

use super::*;
use crate::expr::ast::{DeclKind, DeclValue, Item, StatementKind};
use crate::expr::grid::Shape;

fn parse_one(src: &str) -> Result<Statement, Diagnostic> {
    let (mut s, mut e) = parse_statements(&Source::new(src));
    if let Some(e) = e.pop() {
        return Err(e);
    }
    Ok(s.remove(0))
}

fn postfix(src: &str) -> String {
    let s = parse_one(&format!("z = {src}")).unwrap();
    let StatementKind::Define { expr, .. } = s.kind else {
        panic!()
    };
    expr.items
        .iter()
        .map(|i| match i {
            Item::Number(n, _) => n.to_string(),
            Item::Name(n) => n.written(),
            Item::Pi(_) => "pi".into(),
            Item::Vector(n, _) => format!("vec{n}"),
            Item::Matrix(n, _) => format!("mat{n}"),
            Item::Neg(_) => "neg".into(),
            Item::Binary(op, _) => format!("{op:?}"),
            Item::Call(f, _) => f.to_string(),
            Item::Grad(_) => "grad".into(),
            Item::Next(_) => "next".into(),
            Item::Index(n, _) => format!("index{n}"),
            Item::Transpose(_) => "T".into(),
            Item::Shaped(f, _) => f.name().into(),
            Item::SumStart { index, .. } => format!("sum[{index}"),
            Item::SumEnd(_) => "]".into(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn power_is_right_associative_and_binds_tighter_than_minus() {
    assert_eq!(postfix("2^3^2"), "2 3 2 Pow Pow");
    assert_eq!(postfix("-x^2"), "x 2 Pow neg");
    assert_eq!(postfix("2^-x"), "2 x neg Pow");
    assert_eq!(postfix("a - b - c"), "a b Sub c Sub");
    assert_eq!(postfix("-a * b"), "a neg b Mul");
}

#[test]
fn calls_sums_and_grads_are_postfix_runs() {
    assert_eq!(
        postfix("sum(k in 7..9, y{k} * 2) + grad(L, w47)"),
        "sum[k y{k} 2 Mul ] L w47 grad Add"
    );
    assert_eq!(postfix("sigma(a + b)"), "a b Add sigma");
}

#[test]
fn wrong_arity_is_reported_at_the_call() {
    let e = parse_one("z = sigma(a, b)").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongArity);
    let e = parse_one("z = grad(L)").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongArity);
    let e = parse_one("z = exp()").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongArity);
}

#[test]
fn transposes_and_entries_are_postfix_and_bind_tightest() {
    assert_eq!(postfix("W^T * x"), "W T x Mul");
    assert_eq!(postfix("-x' * y"), "x T neg y Mul");
    assert_eq!(postfix("a^2^T"), "a 2 T Pow");
    assert_eq!(
        postfix("W[i, j + 1] * x[2]"),
        "W i j 1 Add index2 x 2 index1 Mul"
    );
    assert_eq!(postfix("a ⊙ b .* c + d"), "a b Hadamard c Hadamard d Add");
}

#[test]
fn sum_of_a_vector_and_sum_over_an_index_are_told_apart() {
    assert_eq!(
        postfix("sum(v) + sum(k in 1..3, v[k])"),
        "v sum sum[k v k index1 ] Add"
    );
    assert_eq!(postfix("dot(u, v) * outer(u, v)"), "u v dot u v outer Mul");
}

#[test]
fn shaped_declarations_read_their_shape_and_values() {
    let s = parse_one("param W: 2x3 = [[1, 2, 3], [-4, 5, 6]]").unwrap();
    let StatementKind::Declare { shape, value, .. } = s.kind else {
        panic!()
    };
    assert_eq!(shape.map(|s| s.0), Some(Shape { rows: 2, cols: 3 }));
    let DeclValue::List(values, listed, _) = value else {
        panic!()
    };
    assert_eq!(listed, Shape { rows: 2, cols: 3 });
    assert_eq!(values[3].to_f64(), -4.0);
    let s = parse_one("input x: 3").unwrap();
    assert!(matches!(
        s.kind,
        StatementKind::Declare {
            value: DeclValue::Drawn,
            ..
        }
    ));
    let s = parse_one("data y: 3 x 1 = [0, 1, 0]").unwrap();
    assert!(matches!(
        s.kind,
        StatementKind::Declare {
            kind: DeclKind::Data,
            ..
        }
    ));
    // `data` is a keyword only where a declaration starts.
    assert!(parse_one("data = 2").is_ok());
    assert!(parse_one("param W: 0x3").is_err());
    assert!(parse_one("param w").is_err());
}

#[test]
fn a_bracket_closes_only_a_bracket() {
    let e = parse_one("z = W[1, 2)").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnbalancedParenthesis);
    let e = parse_one("z = (a]").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnbalancedParenthesis);
    let e = parse_one("z = W[1, 2, 3]").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongArity);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let src = format!("z = {}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = parse_one(&src).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NestingTooDeep);
}

//! An expression as `.grad` text, parenthesized where the language needs it.

use super::Ir;
use crate::read::names::Namer;
use crate::read::parse::Op;

fn precedence(ir: &Ir) -> u8 {
    match ir {
        Ir::Bin(Op::Add | Op::Sub, ..) => 1,
        // `⊙` is parenthesized wherever it meets another operator (below), so that
        // the program never depends on how the language ranks it against `*`.
        Ir::Bin(Op::Mul | Op::Div | Op::Hadamard, ..) => 2,
        Ir::Neg(_) => 3,
        Ir::Bin(Op::Pow, ..) | Ir::Transpose(_) => 4,
        _ => 5,
    }
}

fn is_hadamard(ir: &Ir) -> bool {
    matches!(ir, Ir::Bin(Op::Hadamard, ..))
}

/// The expression as `.grad` text, parenthesized where the language needs it.
pub(super) fn print(ir: &Ir, namer: &mut Namer) -> String {
    let mut out = String::new();
    write(ir, namer, &mut out);
    out
}

fn write(ir: &Ir, namer: &mut Namer, out: &mut String) {
    let paren = |child: &Ir, need: bool, namer: &mut Namer, out: &mut String| {
        if need {
            out.push('(');
            write(child, namer, out);
            out.push(')');
        } else {
            write(child, namer, out);
        }
    };
    match ir {
        Ir::Num(n) => {
            if n.starts_with('.') {
                out.push('0');
            }
            out.push_str(n);
        }
        Ir::Sym(k) => out.push_str(&namer.name(k)),
        Ir::Neg(a) => {
            out.push('-');
            paren(a, precedence(a) <= 3, namer, out);
        }
        Ir::Bin(op, a, b) => {
            let p = precedence(ir);
            let (sym, left, right) = match op {
                Op::Add => (
                    " + ",
                    precedence(a) < p,
                    precedence(b) <= 3 && precedence(b) != 2,
                ),
                Op::Sub => (
                    " - ",
                    precedence(a) < p,
                    precedence(b) <= 3 && precedence(b) != 2,
                ),
                Op::Mul => (
                    " * ",
                    precedence(a) < p || is_hadamard(a),
                    precedence(b) <= 3,
                ),
                Op::Div => (
                    " / ",
                    precedence(a) < p || is_hadamard(a),
                    precedence(b) <= 3,
                ),
                Op::Pow => ("^", precedence(a) <= 4, precedence(b) < 5),
                // Left to right among `⊙` alone; any other product inside is grouped.
                Op::Hadamard => (
                    " ⊙ ",
                    precedence(a) < p || (precedence(a) == p && !is_hadamard(a)),
                    precedence(b) <= 3,
                ),
                Op::Outer => {
                    out.push_str("outer(");
                    write(a, namer, out);
                    out.push_str(", ");
                    write(b, namer, out);
                    out.push(')');
                    return;
                }
            };
            paren(a, left, namer, out);
            out.push_str(sym);
            paren(b, right, namer, out);
        }
        Ir::Call(f, a) => {
            out.push_str(f.name());
            out.push('(');
            write(a, namer, out);
            out.push(')');
        }
        Ir::Transpose(a) => {
            paren(a, precedence(a) <= 4, namer, out);
            out.push_str("^T");
        }
        Ir::Whole(f, a) => {
            out.push_str(f.name());
            out.push('(');
            write(a, namer, out);
            out.push(')');
        }
        Ir::Grad(a, k) => {
            out.push_str("grad(");
            write(a, namer, out);
            out.push_str(", ");
            out.push_str(&namer.name(k));
            out.push(')');
        }
        Ir::Sum(terms) => {
            if terms.is_empty() {
                out.push('0');
                return;
            }
            out.push('(');
            for (i, t) in terms.iter().enumerate() {
                if i > 0 {
                    out.push_str(" + ");
                }
                paren(t, precedence(t) <= 1 || precedence(t) == 3, namer, out);
            }
            out.push(')');
        }
    }
}

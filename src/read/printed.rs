//! Numbers printed in a document, taken as rounded to their last digit.
//!
//! The rule (stated in `docs/reading.md`):
//! - `symbol = number` for a symbol no other equation defines gives the symbol its
//!   value (a leaf of the program with that value, exactly as printed); if an
//!   expression defines the symbol too, the number is a claim about it.
//! - A claim in which a number with a decimal point is printed is a claim about the
//!   document's values. It holds if it is an identity (the program proves it, or tests
//!   it at random points, with the numbers exact), or else if it holds at the values
//!   the document gives within the rounding of its printed numbers: a number with `k`
//!   decimals stands for `[d − ½·10^−k, d + ½·10^−k]`, unless it is a whole number or
//!   equal to a value the document gives a symbol (then it is that value, exactly);
//!   both sides are evaluated in interval arithmetic with outward rounding
//!   ([`Interval`]), and the claim holds when the two intervals meet.
//!
//! Why a verdict of the reader's own rather than a tolerance handed to the checker:
//! the checker's numbers are exact rationals and its tolerances are `f64` rounding, so
//! `0.74136507 · 0.186815602 = 0.138498562` is false there, and a tolerance wide
//! enough for it would be a guess about how far the document rounds. The printed
//! digits say exactly how far: interval arithmetic over them decides the claim with no
//! guess, and every bound is rounded outward, so a claim whose printed numbers are
//! honest roundings of true values never fails, and one whose intervals do not meet is
//! false for every value the printed numbers could stand for. The parts of a side with
//! no printed decimal (symbols, derivatives) are evaluated by the program at the
//! document's values, with the error model's bound as their interval.

use std::collections::HashMap;

use crate::expr::{
    ClaimReport, Counterexample, ExprId, Func, Node, Number, Program, Rational, Verdict,
};

use super::build::Ir;
use super::interval::Interval;
use super::names::Key;
use super::parse::Op;

/// The factor on the error model's bound for a symbolic part's interval (the same
/// safety factor as the checker's tolerances: the bounds are first order).
const SAFETY: f64 = 4.0;

/// A side of a claim among printed numbers, ready to evaluate in intervals.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Printed {
    /// A printed number: the values it stands for.
    Number(Interval),
    /// A part with no printed decimal: its node in the program.
    Value(ExprId),
    Neg(Box<Printed>),
    Bin(Op, Box<Printed>, Box<Printed>),
    Call(Func, Box<Printed>),
    Sum(Vec<Printed>),
}

/// A claim among printed numbers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NumericClaim {
    lhs: Printed,
    rhs: Printed,
    /// A symbol the claim depends on whose value the document does not give (LaTeX).
    missing: Option<String>,
}

/// Whether a number is written with a decimal point.
fn is_decimal(text: &str) -> bool {
    text.contains('.')
}

/// Whether an expression prints a number with a decimal point.
pub(crate) fn has_decimal(ir: &Ir) -> bool {
    match ir {
        Ir::Num(n) => is_decimal(n),
        Ir::Sym(_) => false,
        Ir::Neg(a) | Ir::Call(_, a) | Ir::Grad(a, _) | Ir::Transpose(a) | Ir::Whole(_, a) => {
            has_decimal(a)
        }
        Ir::Bin(_, a, b) => has_decimal(a) || has_decimal(b),
        Ir::Sum(t) => t.iter().any(has_decimal),
    }
}

/// A number as written, exactly: `0.593269992` is `593269992/10^9`; `None` if it does
/// not fit.
pub(crate) fn exact(text: &str) -> Option<Rational> {
    let (whole, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{decimals}");
    if digits.is_empty() || digits.len() > 36 {
        return None;
    }
    let n: i128 = digits.parse().ok()?;
    Rational::new(n, 10i128.checked_pow(u32::try_from(decimals.len()).ok()?)?)
}

/// A rational as an interval of `f64` holding it (the conversion is off by at most a
/// few ulp; the bounds move three steps outward).
fn enclose(r: Rational) -> Interval {
    let v = r.to_f64();
    Interval::new(
        v.next_down().next_down().next_down(),
        v.next_up().next_up().next_up(),
    )
}

/// What a printed number stands for: itself when it is whole or a value the document
/// gives, else every value that rounds to it.
fn number_interval(text: &str, given: &[Rational]) -> Interval {
    let Some(value) = exact(text) else {
        // Too many digits for i128: the float, widened by its last digit and a little.
        let v: f64 = text.parse().unwrap_or(f64::NAN);
        let k = text.split_once('.').map_or(0, |(_, d)| d.len());
        let half = 0.5 * 10f64.powi(-(k.min(300) as i32));
        return Interval::around(v, half * (1.0 + 1e-12));
    };
    if !is_decimal(text) || given.contains(&value) {
        let v = value.to_f64();
        // A whole number f64 holds exactly is a point (so `x^2` is a square, also
        // of a negative x).
        if value.is_integer() && v.abs() < 9.0e15 {
            return Interval::new(v, v);
        }
        return enclose(value);
    }
    let k = text.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
    // [(2n − 1)/(2·10^k), (2n + 1)/(2·10^k)], exactly, then enclosed.
    let bound = |sign: i128| {
        let scale = 10i128.checked_pow(k)?.checked_mul(2)?;
        let n = value.numerator().checked_mul(scale / value.denominator())?;
        Rational::new(n.checked_add(sign)?, scale)
    };
    match (bound(-1), bound(1)) {
        (Some(lo), Some(hi)) => Interval::new(enclose(lo).lo, enclose(hi).hi),
        _ => Interval::around(
            value.to_f64(),
            0.5 * 10f64.powi(-(k as i32)) * (1.0 + 1e-12),
        ),
    }
}

/// Builds the numeric claims' sides at read time: the parts with no printed decimal
/// become nodes of `program` (derivatives built as the checker builds them).
pub(crate) struct Builder<'a> {
    pub program: &'a mut Program,
    pub names: &'a HashMap<Key, String>,
    /// The values the document knows exactly ([`known_values`]).
    pub given: &'a [Rational],
    /// For each node, a leaf it depends on whose value is not given (filled lazily).
    pub unvalued: Vec<Option<u32>>,
    pub valued_leaf: Vec<bool>,
}

impl Builder<'_> {
    /// The claim `lhs = rhs`, or `None` if a part of it cannot be built (a symbol the
    /// program lacks).
    pub fn claim(&mut self, lhs: &Ir, rhs: &Ir) -> Option<NumericClaim> {
        let mut roots = Vec::new();
        let lhs = self.side(lhs, &mut roots)?;
        let rhs = self.side(rhs, &mut roots)?;
        let missing = roots
            .iter()
            .find_map(|&r| self.unvalued_leaf(r))
            .map(|leaf| {
                let name = &self.program.leaves[leaf as usize].name;
                self.names
                    .iter()
                    .find(|(_, n)| *n == name)
                    .map_or(name.clone(), |(k, _)| k.latex())
            });
        Some(NumericClaim { lhs, rhs, missing })
    }

    /// A leaf without a given value that the node depends on: one forward sweep over
    /// the nodes not yet seen (nodes only ever refer to earlier ones).
    fn unvalued_leaf(&mut self, id: ExprId) -> Option<u32> {
        let nodes = self.program.dag.nodes();
        for node in nodes.iter().skip(self.unvalued.len()) {
            let found = match *node {
                Node::Leaf(l) => {
                    (!self.valued_leaf.get(l as usize).copied().unwrap_or(false)).then_some(l)
                }
                node => node
                    .children()
                    .find_map(|c| self.unvalued.get(c.index()).copied().flatten()),
            };
            self.unvalued.push(found);
        }
        self.unvalued.get(id.index()).copied().flatten()
    }

    /// A side: a number standing alone is a result, always taken as rounded (a
    /// result printed `0.6` is not the weight `w = 0.6`); anything else is read by
    /// [`Builder::printed`].
    fn side(&mut self, ir: &Ir, roots: &mut Vec<ExprId>) -> Option<Printed> {
        match ir {
            Ir::Num(n) if n != "pi" => Some(Printed::Number(number_interval(n, &[]))),
            Ir::Neg(a) if matches!(**a, Ir::Num(_)) => {
                Some(Printed::Neg(Box::new(self.side(a, roots)?)))
            }
            _ => self.printed(ir, roots),
        }
    }

    fn printed(&mut self, ir: &Ir, roots: &mut Vec<ExprId>) -> Option<Printed> {
        if let Ir::Num(n) = ir {
            if n != "pi" {
                return Some(Printed::Number(number_interval(n, self.given)));
            }
        }
        if is_shaped_notation(ir) {
            // Printed numbers are read for scalars only: a claim written with
            // matrix operations keeps the checker's verdict.
            return None;
        }
        if !has_decimal(ir) || matches!(ir, Ir::Grad(..)) {
            let id = self.node(ir)?;
            roots.push(id);
            return Some(Printed::Value(id));
        }
        Some(match ir {
            Ir::Num(n) => Printed::Number(number_interval(n, self.given)),
            Ir::Neg(a) => Printed::Neg(Box::new(self.printed(a, roots)?)),
            Ir::Bin(op, a, b) => Printed::Bin(
                *op,
                Box::new(self.printed(a, roots)?),
                Box::new(self.printed(b, roots)?),
            ),
            Ir::Call(f, a) => Printed::Call(*f, Box::new(self.printed(a, roots)?)),
            Ir::Sum(t) => Printed::Sum(
                t.iter()
                    .map(|t| self.printed(t, roots))
                    .collect::<Option<_>>()?,
            ),
            Ir::Sym(_) | Ir::Grad(..) => {
                let id = self.node(ir)?;
                roots.push(id);
                Printed::Value(id)
            }
            Ir::Transpose(_) | Ir::Whole(..) => return None,
        })
    }

    /// The expression as a node of the program, as the checker would build it.
    fn node(&mut self, ir: &Ir) -> Option<ExprId> {
        let program = &mut *self.program;
        Some(match ir {
            Ir::Num(n) if n == "pi" => program.dag.insert(Node::Pi),
            Ir::Num(n) => {
                let number = match exact(n) {
                    Some(r) => Number::Exact(r),
                    None => Number::from_f64(n.parse().ok()?)?,
                };
                program.dag.number(number)
            }
            Ir::Sym(k) => program.expr(self.names.get(k)?)?,
            Ir::Neg(a) => {
                let a = self.node(a)?;
                self.program.dag.fold(Node::Neg(a))
            }
            Ir::Bin(op, a, b) => {
                let (a, b) = (self.node(a)?, self.node(b)?);
                let node = match op {
                    Op::Add => Node::Add(a, b),
                    Op::Sub => Node::Sub(a, b),
                    Op::Mul => Node::Mul(a, b),
                    Op::Div => Node::Div(a, b),
                    Op::Pow => Node::Pow(a, b),
                    Op::Hadamard | Op::Outer => return None,
                };
                self.program.dag.fold(node)
            }
            Ir::Call(f, a) => {
                let a = self.node(a)?;
                self.program.dag.insert(Node::Call(*f, a))
            }
            Ir::Grad(a, k) => {
                let f = self.node(a)?;
                let x = self.program.expr(self.names.get(k)?)?;
                self.program.derivative_of(f, x)
            }
            Ir::Sum(terms) => {
                let mut sum: Option<ExprId> = None;
                for t in terms {
                    let t = self.node(t)?;
                    sum = Some(match sum {
                        Some(s) => self.program.dag.fold(Node::Add(s, t)),
                        None => t,
                    });
                }
                match sum {
                    Some(s) => s,
                    None => self.program.dag.integer(0),
                }
            }
            Ir::Transpose(_) | Ir::Whole(..) => return None,
        })
    }
}

/// The values the document knows exactly: every leaf's given value and every
/// definition's value at those values where `+ − · /` and whole powers compute it as a
/// rational (`\text{net}_{h1} = 0.595`); a printed operand equal to one of them is
/// read as that value.
pub(crate) fn known_values(program: &Program, valued_leaf: &[bool]) -> Vec<Rational> {
    let nodes = program.dag.nodes();
    let mut exact: Vec<Option<Rational>> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let x = |id: &ExprId| exact.get(id.index()).copied().flatten();
        let value = match node {
            Node::Number(n) => n.exact(),
            Node::Pi => None,
            Node::Leaf(l) => {
                let l = *l as usize;
                if valued_leaf.get(l).copied().unwrap_or(false) {
                    program.leaves[l].value.exact()
                } else {
                    None
                }
            }
            Node::Neg(a) => x(a).and_then(Rational::checked_neg),
            Node::Add(a, b) => x(a).zip(x(b)).and_then(|(a, b)| a.checked_add(b)),
            Node::Sub(a, b) => x(a).zip(x(b)).and_then(|(a, b)| a.checked_sub(b)),
            Node::Mul(a, b) => x(a).zip(x(b)).and_then(|(a, b)| a.checked_mul(b)),
            Node::Div(a, b) => x(a).zip(x(b)).and_then(|(a, b)| a.checked_div(b)),
            Node::Pow(a, b) => x(a)
                .zip(x(b).and_then(Rational::to_i64).filter(|n| n.abs() <= 64))
                .and_then(|(a, n)| a.powi(n)),
            Node::Call(..) => None,
        };
        exact.push(value);
    }
    let mut known: Vec<Rational> = program
        .leaves()
        .iter()
        .filter_map(|l| exact[l.expr.index()])
        .chain(
            program
                .definitions()
                .iter()
                .filter_map(|d| exact[d.expr.index()]),
        )
        .collect();
    known.sort_unstable();
    known.dedup();
    known
}

fn roots_of(p: &Printed, out: &mut Vec<ExprId>) {
    match p {
        Printed::Number(_) => {}
        Printed::Value(id) => out.push(*id),
        Printed::Neg(a) | Printed::Call(_, a) => roots_of(a, out),
        Printed::Bin(_, a, b) => {
            roots_of(a, out);
            roots_of(b, out);
        }
        Printed::Sum(t) => t.iter().for_each(|t| roots_of(t, out)),
    }
}

fn evaluate(p: &Printed, values: &HashMap<ExprId, Interval>) -> Interval {
    match p {
        Printed::Number(i) => *i,
        Printed::Value(id) => values
            .get(id)
            .copied()
            .unwrap_or(Interval::new(f64::NAN, f64::NAN)),
        Printed::Neg(a) => evaluate(a, values).neg(),
        Printed::Call(f, a) => evaluate(a, values).call(*f),
        Printed::Bin(op, a, b) => {
            let (a, b) = (evaluate(a, values), evaluate(b, values));
            match op {
                Op::Add => a.add(b),
                Op::Sub => a.sub(b),
                Op::Mul => a.mul(b),
                Op::Div => a.div(b),
                Op::Pow => a.pow(b),
                // Never built (`is_shaped_notation`): no interval.
                Op::Hadamard | Op::Outer => Interval::new(f64::NAN, f64::NAN),
            }
        }
        Printed::Sum(t) => t
            .iter()
            .fold(Interval::new(0.0, 0.0), |s, t| s.add(evaluate(t, values))),
    }
}

/// Whether an expression uses the notation of vectors and matrices (`⊙`, `⊗`, a
/// transpose, a norm), whose printed numbers are not read.
fn is_shaped_notation(ir: &Ir) -> bool {
    let mut stack = vec![ir];
    while let Some(ir) = stack.pop() {
        match ir {
            Ir::Transpose(_) | Ir::Whole(..) | Ir::Bin(Op::Hadamard | Op::Outer, ..) => {
                return true
            }
            Ir::Num(_) | Ir::Sym(_) => {}
            Ir::Neg(a) | Ir::Call(_, a) | Ir::Grad(a, _) => stack.push(a),
            Ir::Bin(_, a, b) => stack.extend([&**a, &**b]),
            Ir::Sum(t) => stack.extend(t),
        }
    }
    false
}

/// An interval in as many digits as tell its ends apart.
fn show(i: &Interval) -> String {
    let width = (i.hi - i.lo).abs().max(f64::MIN_POSITIVE);
    let decimals = (2.0 - width.log10().floor()).clamp(0.0, 17.0) as usize;
    format!("[{:.decimals$}, {:.decimals$}]", i.lo, i.hi)
}

/// Replaces the verdicts of claims among printed numbers: an identity keeps the
/// checker's verdict; otherwise the claim is decided at the document's values in
/// interval arithmetic. `numeric[i]` belongs to `reports[i]`. Returns, for each
/// report, whether it holds only within the rounding of the printed numbers (so that a
/// report can give such a claim its own word rather than `tested`).
pub(crate) fn decide(
    program: &Program,
    numeric: &[Option<NumericClaim>],
    reports: &mut [ClaimReport],
) -> Vec<bool> {
    let mut rounded = vec![false; reports.len()];
    // Every symbolic part of every claim, evaluated once at the document's values.
    let mut roots = Vec::new();
    for n in numeric.iter().flatten() {
        roots_of(&n.lhs, &mut roots);
        roots_of(&n.rhs, &mut roots);
    }
    roots.sort_unstable();
    roots.dedup();
    let file = program.leaf_values();
    let evaluated = program.evaluate_with_error(&roots, &file);
    let values: HashMap<ExprId, Interval> = roots
        .iter()
        .zip(evaluated)
        .map(|(&id, (v, e))| (id, Interval::around(v, SAFETY * e)))
        .collect();
    for ((report, n), rounded) in reports.iter_mut().zip(numeric).zip(&mut rounded) {
        let Some(n) = n else { continue };
        if matches!(
            report.verdict,
            Verdict::Proved { .. } | Verdict::Holds { .. }
        ) {
            continue;
        }
        if let Some(symbol) = &n.missing {
            let note = format!(
                "the document gives no value for `{symbol}` (`{symbol} = …`), so this claim \
                 among printed numbers is not checked at the document's values"
            );
            match &mut report.verdict {
                Verdict::Fails(c) => {
                    c.diagnosis = Some(match c.diagnosis.take() {
                        Some(d) => format!("{d}\n{note}"),
                        None => note,
                    })
                }
                Verdict::Undecided { reason } => *reason = format!("{reason}; {note}"),
                _ => {}
            }
            continue;
        }
        let (l, r) = (evaluate(&n.lhs, &values), evaluate(&n.rhs, &values));
        report.verdict = if !l.is_valid() || !r.is_valid() {
            Verdict::Undecided {
                reason: format!(
                    "at the document's values, within the rounding of its printed numbers, a \
                     side is undefined somewhere (a division by an interval holding 0, or a \
                     logarithm or root reaching below 0): left {}, right {}",
                    show(&l),
                    show(&r)
                ),
            }
        } else if l.meets(&r) {
            *rounded = true;
            Verdict::Holds {
                points: 1,
                reason: format!(
                    "it holds at the document's values within the rounding of its printed \
                     numbers: left ∈ {}, right ∈ {}",
                    show(&l),
                    show(&r)
                ),
            }
        } else {
            let used: Vec<(String, f64)> = {
                let mut ids = Vec::new();
                roots_of(&n.lhs, &mut ids);
                roots_of(&n.rhs, &mut ids);
                // The claim's own leaves, in declaration order: its cone, not the
                // program's leaves, so that a failing claim costs its own size.
                let mut leaves: Vec<usize> = program
                    .dag
                    .cone(&ids)
                    .ids()
                    .iter()
                    .filter_map(|&id| match program.dag.node(id) {
                        Node::Leaf(l) if (l as usize) < file.len() => Some(l as usize),
                        _ => None,
                    })
                    .collect();
                leaves.sort_unstable();
                leaves
                    .into_iter()
                    .map(|l| (program.leaves()[l].name.clone(), file[l]))
                    .collect()
            };
            Verdict::Fails(Box::new(Counterexample {
                point: used,
                at_file_values: true,
                holds_at_file_values: false,
                lhs: l.mid(),
                rhs: r.mid(),
                tolerance: l.radius() + r.radius(),
                exact: false,
                diagnosis: Some(format!(
                    "left ∈ {} and right ∈ {}: the intervals of every value the printed \
                     numbers may be rounded from do not meet",
                    show(&l),
                    show(&r)
                )),
                entry: None,
                moved_inputs: Vec::new(),
            }))
        };
    }
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_number_stands_for_what_rounds_to_it() {
        let i = number_interval("0.3775", &[]);
        assert!(i.lo <= 0.37745 && 0.37755 <= i.hi);
        assert!(i.lo > 0.37744 && i.hi < 0.37756);
        // Whole numbers and given values are exact.
        let two = number_interval("2", &[]);
        assert!(two.hi - two.lo < 1e-14);
        let given = number_interval("0.4", &[exact("0.40").unwrap()]);
        assert!(given.hi - given.lo < 1e-15 && given.lo <= 0.4 && 0.4 <= given.hi);
    }

    #[test]
    fn exact_reads_the_digits() {
        assert_eq!(exact("0.05"), Rational::new(1, 20));
        assert_eq!(exact("12"), Some(Rational::integer(12)));
        assert_eq!(exact(&"9".repeat(40)), None);
    }
}

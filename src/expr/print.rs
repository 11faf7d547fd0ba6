//! Printing expressions as plain text (which parses back to the same expression) and as
//! LaTeX in the document's notation (`\hat{y}_7`, `\omega_{47}`, `\sigma`, `\alpha_4`).
//!
//! A node that has a name in the program prints as the name, so a derivative reads
//! `(yhat7 - y7) * yhat7 * (1 - yhat7) * a4` rather than spelling out `σ(δ7)` and
//! `δ7` in full. The printer walks with an explicit stack: deep expressions print
//! without recursion.
//!
//! Nothing is cut short: an expression prints in full, or, when its text would pass
//! [`MAX_PRINTED`] bytes, not at all (an unnamed subexpression shared in the DAG is
//! spelled out wherever it occurs, so the text of a small DAG can be exponentially
//! long). The printer stops as soon as the limit is passed, so the refusal costs at
//! most the limit's worth of work.

use std::collections::HashMap;

use super::dag::{Dag, ExprId, Node};
use super::func::Func;
use super::number::Number;

/// Output style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Text,
    Latex,
}

/// The longest text an expression prints as, in bytes (64 MiB): a longer one is not
/// printed (see [`Program::try_text`](super::Program::try_text)).
pub const MAX_PRINTED: usize = 1 << 26;

/// An expression whose text would be longer than the limit it was printed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooLong {
    /// The limit, in bytes.
    pub limit: usize,
}

/// Where an operand sits, for deciding parentheses.
#[derive(Clone, Copy)]
enum Position {
    Top,
    Left(u8),
    Right(u8),
    PowBase,
    PowExponent,
    NegOperand,
}

enum Task {
    Node(ExprId, Position),
    Str(&'static str),
}

/// Prints `root`, or says it is longer than `limit` bytes. `name(id)` gives the display
/// name of a named node; with `expand_root`, the root itself is printed as its
/// expression even if it has a name (to print a definition's right-hand side).
pub(crate) fn render(
    dag: &Dag,
    root: ExprId,
    name: &dyn Fn(ExprId) -> Option<String>,
    expand_root: bool,
    style: Style,
    limit: usize,
) -> Result<String, TooLong> {
    let mut out = String::new();
    let mut stack = vec![Task::Node(root, Position::Top)];
    let printer = Printer {
        dag,
        name,
        style,
        root,
        expand_root,
    };
    // Every node of the expanded tree prints at least one byte: a tree larger than the
    // limit is refused at once, in time linear in the distinct nodes, rather than after
    // printing the limit's worth.
    if printer.tree_size(root) > limit {
        return Err(TooLong { limit });
    }
    while let Some(task) = stack.pop() {
        if out.len() > limit {
            return Err(TooLong { limit });
        }
        match task {
            Task::Str(s) => out.push_str(s),
            Task::Node(id, position) => {
                if printer.needs_parens(id, position) {
                    out.push_str(if style == Style::Latex {
                        "\\left("
                    } else {
                        "("
                    });
                    stack.push(Task::Str(if style == Style::Latex {
                        "\\right)"
                    } else {
                        ")"
                    }));
                }
                printer.node(id, &mut out, &mut stack);
            }
        }
    }
    if out.len() > limit {
        return Err(TooLong { limit });
    }
    Ok(out)
}

struct Printer<'a> {
    dag: &'a Dag,
    name: &'a dyn Fn(ExprId) -> Option<String>,
    style: Style,
    root: ExprId,
    expand_root: bool,
}

impl Printer<'_> {
    fn named(&self, id: ExprId) -> Option<String> {
        // A leaf is its name even as the root; another root is spelled out if asked.
        if self.expand_root && id == self.root && !matches!(self.dag.node(id), Node::Leaf(_)) {
            return None;
        }
        (self.name)(id)
    }

    /// The number of nodes in the tree `root` prints as (named nodes are one node
    /// each), saturating: an iterative post-order over the distinct nodes, each sized
    /// once.
    fn tree_size(&self, root: ExprId) -> usize {
        let mut size: HashMap<ExprId, usize> = HashMap::new();
        let mut stack = vec![(root, false)];
        while let Some((id, ready)) = stack.pop() {
            if size.contains_key(&id) {
                continue;
            }
            let children: Vec<ExprId> = if self.named(id).is_some() {
                Vec::new()
            } else {
                self.dag.node(id).children().collect()
            };
            if ready || children.is_empty() {
                let total = children
                    .iter()
                    .fold(1usize, |acc, c| acc.saturating_add(size[c]));
                size.insert(id, total);
            } else {
                stack.push((id, true));
                stack.extend(
                    children
                        .into_iter()
                        .filter(|c| !size.contains_key(c))
                        .map(|c| (c, false)),
                );
            }
        }
        size[&root]
    }

    /// Binding strength of the printed node: 1 sums, 2 products, 3 a leading minus,
    /// 4 powers, 5 atoms.
    fn precedence(&self, id: ExprId) -> u8 {
        if self.named(id).is_some() {
            return 5;
        }
        match self.dag.node(id) {
            // Negative zero too: `-0.0` reads as a minus applied to `0.0`.
            Node::Number(n) if n.is_negative() || n.to_f64().is_sign_negative() => 3,
            Node::Number(n) if n.prints_as_fraction() && self.style == Style::Text => 2,
            // `1.5 \cdot 10^{-7}` in LaTeX is a product.
            Node::Number(n) if self.style == Style::Latex && scientific(n).is_some() => 2,
            Node::Number(_) | Node::Leaf(_) | Node::Pi | Node::Call(..) => 5,
            Node::Neg(_) => 3,
            Node::Add(..) | Node::Sub(..) => 1,
            Node::Mul(..) => 2,
            Node::Div(..) => match self.style {
                Style::Text => 2,
                Style::Latex => 5,
            },
            Node::Pow(..) => 4,
        }
    }

    fn needs_parens(&self, id: ExprId, position: Position) -> bool {
        let p = self.precedence(id);
        let leading_minus = p == 3;
        match position {
            Position::Top => false,
            Position::Left(op) => p < op,
            Position::Right(op) => p <= op || leading_minus,
            Position::PowBase => {
                // In LaTeX a base that ends in a superscript of its own (`e^{x}`) or is
                // a fraction needs parentheses: `e^{x}^{2}` is a double superscript,
                // an error in TeX.
                p <= 4
                    || (self.style == Style::Latex
                        && self.named(id).is_none()
                        && matches!(self.dag.node(id), Node::Div(..) | Node::Call(Func::Exp, _)))
            }
            Position::PowExponent => self.style == Style::Text && p < 5,
            Position::NegOperand => p <= 3,
        }
    }

    fn node(&self, id: ExprId, out: &mut String, stack: &mut Vec<Task>) {
        if let Some(name) = self.named(id) {
            out.push_str(&name);
            return;
        }
        let latex = self.style == Style::Latex;
        let mut binary = |a, b, op: &'static str, precedence: u8| {
            stack.push(Task::Node(b, Position::Right(precedence)));
            stack.push(Task::Str(op));
            stack.push(Task::Node(a, Position::Left(precedence)));
        };
        match self.dag.node(id) {
            Node::Number(n) => out.push_str(&number(n, self.style)),
            // Every leaf is named; this is only reached for a DAG printed without a
            // program's names.
            Node::Leaf(i) => out.push_str(&format!("leaf{i}")),
            Node::Pi => out.push_str(if latex { "\\pi" } else { "pi" }),
            Node::Neg(a) => {
                out.push('-');
                stack.push(Task::Node(a, Position::NegOperand));
            }
            Node::Add(a, b) => binary(a, b, " + ", 1),
            Node::Sub(a, b) => binary(a, b, " - ", 1),
            Node::Mul(a, b) => binary(a, b, if latex { " \\cdot " } else { " * " }, 2),
            Node::Div(a, b) if latex => {
                out.push_str("\\frac{");
                stack.push(Task::Str("}"));
                stack.push(Task::Node(b, Position::Top));
                stack.push(Task::Str("}{"));
                stack.push(Task::Node(a, Position::Top));
            }
            Node::Div(a, b) => binary(a, b, " / ", 2),
            Node::Pow(a, b) => {
                if latex {
                    stack.push(Task::Str("}"));
                    stack.push(Task::Node(b, Position::Top));
                    stack.push(Task::Str("^{"));
                } else {
                    stack.push(Task::Node(b, Position::PowExponent));
                    stack.push(Task::Str("^"));
                }
                stack.push(Task::Node(a, Position::PowBase));
            }
            Node::Call(f, a) => {
                let (open, close) = match (latex, f) {
                    (false, _) => {
                        out.push_str(f.name());
                        ("(", ")")
                    }
                    (true, Func::Exp) => ("e^{", "}"),
                    (true, Func::Sqrt) => ("\\sqrt{", "}"),
                    (true, Func::Abs) => ("\\left|", "\\right|"),
                    (true, _) => {
                        out.push_str(f.latex());
                        ("\\left(", "\\right)")
                    }
                };
                out.push_str(open);
                stack.push(Task::Str(close));
                stack.push(Task::Node(a, Position::Top));
            }
        }
    }
}

/// A float that prints with an exponent (`1.5e-7`): its mantissa and exponent.
fn scientific(n: Number) -> Option<(String, String)> {
    let text = n.to_string();
    let (mantissa, exponent) = text.split_once('e')?;
    Some((mantissa.to_string(), exponent.to_string()))
}

fn number(n: Number, style: Style) -> String {
    if style == Style::Latex {
        if let Some((mantissa, exponent)) = scientific(n) {
            return format!("{mantissa} \\cdot 10^{{{exponent}}}");
        }
    }
    match (style, n.exact()) {
        (Style::Latex, Some(r)) if !r.is_integer() && n.prints_as_fraction() => {
            let sign = if r.is_negative() { "-" } else { "" };
            format!(
                "{sign}\\frac{{{}}}{{{}}}",
                r.numerator().unsigned_abs(),
                r.denominator()
            )
        }
        _ => n.to_string(),
    }
}

/// The LaTeX for a name, in the document's notation: `yhat7` → `\hat{y}_7`, `w47` →
/// `\omega_{47}`, `a4` → `\alpha_4`, `delta4` → `\delta_4`, `L7` → `L_{s7}`, `eta` →
/// `\eta`, `x1` → `x_1`; Greek letters and accents written as such become commands
/// (`ω47` → `\omega_{47}`, `ŷ7` → `\hat{y}_7`, `λ` → `\lambda`); other names keep their
/// letters (in `\mathrm` when longer than one letter) with trailing digits as a
/// subscript. An entry of a vector or matrix (`W1[1, 2]`, `x[3]`) is its name's LaTeX
/// with the indices as a subscript, the name braced so that a subscript of its own
/// stays valid TeX: `{W_1}_{1,2}`, `{x}_{3}`.
pub fn latex_name(name: &str) -> String {
    if let Some((base, rest)) = name.split_once('[') {
        let indices: String = rest
            .trim_end_matches(']')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        return format!("{{{}}}_{{{indices}}}", latex_name(base));
    }
    let digits_at = name
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(name.len(), |(i, _)| i);
    let (stem, digits) = name.split_at(digits_at);
    let stem = stem.trim_end_matches('_');
    let subscript = |s: &str| {
        if s.is_empty() {
            String::new()
        } else if s.chars().count() == 1 {
            format!("_{s}")
        } else {
            format!("_{{{s}}}")
        }
    };
    if let Some(letters) = super::names::latex_letters(stem) {
        return format!("{letters}{}", subscript(digits));
    }
    if stem == "L" && !digits.is_empty() {
        return format!("L_{{s{digits}}}");
    }
    let letters = match stem {
        "w" | "omega" => "\\omega".to_string(),
        "a" | "alpha" => "\\alpha".to_string(),
        "" => return digits.to_string(),
        s if GREEK.contains(&s) => format!("\\{s}"),
        s if s.len() > 3 && s.ends_with("hat") => {
            format!("\\hat{{{}}}", latex_letters(&s[..s.len() - 3]))
        }
        s => latex_letters(s),
    };
    format!("{letters}{}", subscript(digits))
}

fn latex_letters(s: &str) -> String {
    if GREEK.contains(&s) {
        format!("\\{s}")
    } else if s.chars().count() == 1 {
        s.to_string()
    } else {
        format!("\\mathrm{{{}}}", s.replace('_', "\\_"))
    }
}

const GREEK: [&str; 23] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `x_k = x_{k-1} · x_{k-1}`, unnamed: 61 distinct nodes whose text is 2⁶⁰ leaves
    /// long.
    fn doubling(depth: usize) -> (Dag, ExprId) {
        let mut dag = Dag::default();
        let mut x = dag.insert(Node::Leaf(0));
        for _ in 0..depth {
            x = dag.insert(Node::Mul(x, x));
        }
        (dag, x)
    }

    #[test]
    fn an_exponentially_long_text_is_refused_at_once_not_cut() {
        let leaf = |_: ExprId| None;
        let (dag, root) = doubling(60);
        let start = std::time::Instant::now();
        let result = render(&dag, root, &leaf, false, Style::Text, MAX_PRINTED);
        assert_eq!(result, Err(TooLong { limit: MAX_PRINTED }));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        // Within the limit, all of it.
        let (dag, root) = doubling(3);
        let text = render(&dag, root, &leaf, false, Style::Text, MAX_PRINTED).unwrap();
        assert_eq!(
            text,
            "leaf0 * leaf0 * (leaf0 * leaf0) * (leaf0 * leaf0 * (leaf0 * leaf0))"
        );
        // Past a small limit, nothing.
        assert!(render(&dag, root, &leaf, false, Style::Text, 20).is_err());
    }

    #[test]
    fn names_follow_the_documents_notation() {
        assert_eq!(latex_name("yhat7"), "\\hat{y}_7");
        assert_eq!(latex_name("w47"), "\\omega_{47}");
        assert_eq!(latex_name("a4"), "\\alpha_4");
        assert_eq!(latex_name("delta4"), "\\delta_4");
        assert_eq!(latex_name("L7"), "L_{s7}");
        assert_eq!(latex_name("L"), "L");
        assert_eq!(latex_name("eta"), "\\eta");
        assert_eq!(latex_name("x1"), "x_1");
        assert_eq!(latex_name("loss_total"), "\\mathrm{loss\\_total}");
        assert_eq!(latex_name("ω47"), "\\omega_{47}");
        assert_eq!(latex_name("y\u{302}7"), "\\hat{y}_7");
        assert_eq!(latex_name("λ"), "\\lambda");
        assert_eq!(latex_name("δ4"), "\\delta_4");
    }
}

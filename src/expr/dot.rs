//! Export of the computation graph as Graphviz DOT, with each node's value and its
//! gradient: `∂output/∂node`, the adjoint the tape's reverse sweep computes.

use std::fmt::Write;

use super::ast::LeafKind;
use super::dag::{ExprId, Node};
use super::eval::evaluate;
use super::program::Program;
use crate::tape::{Tape, Var};

impl Program {
    /// The graph `output` is computed by, as Graphviz DOT: one node per operation
    /// (shared subexpressions once), labelled with its name if it has one, its
    /// operation, its value at the file's values and `∂output/∂node` from a reverse
    /// sweep of the tape. Parameters are boxes, inputs ellipses, named quantities
    /// filled, the output doubled. Edges run from operands to the operation (`1`/`2`
    /// mark the operands of `−`, `/` and `^`).
    ///
    /// Constants, and nodes computed from constants only (including `step` and
    /// `sign`, which are piecewise constant), are not variables of the sweep and show no
    /// gradient.
    pub fn dot(&self, output: ExprId) -> String {
        let values = self.leaf_values();
        let tape = Tape::new();
        let leaves = tape.vars(&values);
        let recorded: Vec<Option<Var<'_, f64>>> = evaluate(&self.dag, &[output], &leaves);
        let out = recorded[output.index()].unwrap_or_else(|| Var::constant(f64::NAN));
        let gradient = tape.gradient(out);

        let mut dot = String::new();
        let title = self.name_of(output).unwrap_or("output");
        let _ = writeln!(dot, "digraph \"{}\" {{", escape(title));
        let _ = writeln!(dot, "  rankdir=BT;");
        let _ = writeln!(dot, "  node [fontname=\"Helvetica\", fontsize=10];");
        for (i, var) in recorded.iter().enumerate() {
            let Some(var) = var else { continue };
            let id = ExprId(i as u32);
            let node = self.dag.node(id);
            let name = self.name_of(id);
            let operation = operation(self, node);
            let mut label = match name {
                Some(n) if !matches!(node, Node::Leaf(_)) => format!("{n} = {operation}"),
                Some(n) => n.to_string(),
                None => operation,
            };
            if !matches!(node, Node::Number(_)) {
                let _ = write!(label, "\nvalue {}", number(var.value()));
            }
            if !var.is_constant() {
                // The adjoint ∂output/∂(this node), named after the node where it has a name.
                let wrt = name.unwrap_or("(node)");
                let _ = write!(label, "\n∂{title}/∂{wrt} = {}", number(gradient.wrt(*var)));
            }
            let shape = match node {
                Node::Leaf(l) if self.leaves[l as usize].kind == LeafKind::Param => "box",
                Node::Leaf(_) => "ellipse",
                Node::Number(_) => "plaintext",
                _ => "ellipse",
            };
            let mut style = Vec::new();
            if name.is_some() && !matches!(node, Node::Leaf(_)) {
                style.push("filled");
            }
            let peripheries = if id == output { ", peripheries=2" } else { "" };
            let _ = writeln!(
                dot,
                "  n{i} [label=\"{}\", shape={shape}{}{peripheries}];",
                escape(&label),
                if style.is_empty() {
                    String::new()
                } else {
                    format!(", style=\"{}\", fillcolor=\"#e8f0fe\"", style.join(","))
                }
            );
        }
        for (i, var) in recorded.iter().enumerate() {
            if var.is_none() {
                continue;
            }
            let node = self.dag.node(ExprId(i as u32));
            let ordered = matches!(node, Node::Sub(..) | Node::Div(..) | Node::Pow(..));
            for (k, child) in node.children().enumerate() {
                let label = if ordered {
                    format!(" [label=\"{}\"]", k + 1)
                } else {
                    String::new()
                };
                let _ = writeln!(dot, "  n{} -> n{i}{label};", child.index());
            }
        }
        dot.push_str("}\n");
        dot
    }
}

fn operation(program: &Program, node: Node) -> String {
    match node {
        Node::Number(n) => n.to_string(),
        Node::Leaf(l) => program.leaves[l as usize].name.clone(),
        Node::Pi => "π".into(),
        Node::Neg(_) => "−".into(),
        Node::Add(..) => "+".into(),
        Node::Sub(..) => "−".into(),
        Node::Mul(..) => "×".into(),
        Node::Div(..) => "÷".into(),
        Node::Pow(..) => "^".into(),
        Node::Call(f, _) => f.name().into(),
    }
}

/// Six significant digits, in scientific notation outside [10⁻³, 10⁵).
fn number(x: f64) -> String {
    if x == 0.0 || (1e-3..1e5).contains(&x.abs()) {
        let digits = (5 - x.abs().log10().floor().max(-3.0) as i32).max(0) as usize;
        let text = format!("{x:.digits$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    } else {
        format!("{x:.5e}")
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_six_significant_digits() {
        assert_eq!(number(0.0711456856), "0.0711457");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(-2.0e-7), "-2.00000e-7");
        assert_eq!(number(0.0), "0");
    }
}

//! The computation graph as Graphviz DOT: every node of the loss once, with its value
//! and its gradient from the tape's reverse sweep.

use gradproof::expr::{parse_named, Program};

fn seed() -> Program {
    let source = std::fs::read_to_string("examples/seed.grad").unwrap();
    parse_named("examples/seed.grad", &source).unwrap()
}

/// The label of the DOT node whose label starts with `prefix`.
fn label<'a>(dot: &'a str, prefix: &str) -> &'a str {
    let needle = format!("[label=\"{prefix}");
    let start = dot
        .find(&needle)
        .unwrap_or_else(|| panic!("no node {prefix}"))
        + 8;
    let end = start + dot[start..].find("\", shape").unwrap();
    &dot[start..end]
}

#[test]
fn every_weight_shows_its_value_and_the_loss_gradient_of_the_symbolic_derivative() {
    let mut program = seed();
    let loss = program.expr("L").unwrap();
    let dot = program.dot(loss);
    assert!(dot.starts_with("digraph \"L\" {"));
    assert!(dot.trim_end().ends_with('}'));
    for w in ["w14", "w47", "w69"] {
        let d = program.derivative("L", w).unwrap();
        let g = program.value(d);
        let text = label(&dot, &format!("{w}\\n"));
        let shown: f64 = text.rsplit("= ").next().unwrap().parse().unwrap();
        // Six significant digits are shown.
        assert!((shown - g).abs() <= 5e-6 * g.abs(), "{w}: {text} vs {g}");
        assert!(text.contains("\\nvalue "), "{text}");
    }
    // Named intermediates show their definition's operation and their adjoint.
    let a4 = label(&dot, "a4 = sigma");
    assert!(a4.contains("∂L/∂a4 = "), "{a4}");
    // The output is doubled; parameters are boxes, inputs ellipses.
    assert!(dot.contains("peripheries=2"));
    assert!(dot.contains("label=\"w47\\nvalue 0.4\\n"));
    assert!(dot.contains("shape=box"));
}

#[test]
fn every_edge_joins_declared_nodes_and_shared_nodes_appear_once() {
    let program = seed();
    let dot = program.dot(program.expr("L").unwrap());
    let declared: std::collections::HashSet<&str> = dot
        .lines()
        .filter(|l| l.contains("[label=") && !l.contains("->"))
        .map(|l| l.trim().split(' ').next().unwrap())
        .collect();
    let edges: Vec<&str> = dot.lines().filter(|l| l.contains("->")).collect();
    assert!(!edges.is_empty());
    for e in &edges {
        let parts: Vec<&str> = e.trim().trim_end_matches(';').split(' ').collect();
        assert!(
            declared.contains(parts[0]) && declared.contains(parts[2]),
            "{e}"
        );
    }
    // a4 feeds three output deltas but is one node.
    assert_eq!(dot.matches("[label=\"a4 = sigma").count(), 1);
}

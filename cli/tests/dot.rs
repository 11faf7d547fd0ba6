//! `gradproof dot`: the graph as Graphviz DOT.

mod common;

use common::{assert_bad_input, gradproof, json, stderr, stdout};

#[test]
fn dot_prints_a_digraph_with_values_and_tape_gradients() {
    let out = gradproof(&["dot", "examples/seed.grad"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dot = stdout(&out);
    assert!(dot.starts_with("digraph \"L\" {\n"), "{dot}");
    assert!(dot.ends_with("}\n"));
    assert_eq!(dot.matches('{').count(), dot.matches('}').count());
    // ω47 is a parameter box with its value and ∂L/∂ω47 = 0.0760251.
    let w47 = dot
        .lines()
        .find(|l| l.contains("label=\"w47\\n"))
        .expect("a node for w47");
    assert!(w47.contains("value 0.4\\n∂L/∂w47 = 0.0760251"), "{w47}");
    assert!(w47.contains("shape=box"));
    assert!(dot.contains(" -> "), "edges");
}

#[test]
fn dot_of_a_named_quantity_and_as_json() {
    let out = gradproof(&["dot", "examples/seed.grad", "--of", "L7"]);
    let text = stdout(&out);
    assert!(text.starts_with("digraph \"L7\" {"));
    // L7 does not depend on ŷ8's weights.
    assert!(!text.contains("label=\"w48\\n"));
    let report = json(&gradproof(&[
        "dot",
        "examples/seed.grad",
        "--of",
        "L7",
        "--json",
    ]));
    assert_eq!(report["of"], "L7");
    assert_eq!(report["dot"].as_str().unwrap(), text);
}

#[test]
fn dot_of_an_unknown_name_is_an_error() {
    let out = gradproof(&["dot", "examples/seed.grad", "--of", "L77"]);
    assert_bad_input(&out, &["--of L77", "did you mean `L7`?"]);
}

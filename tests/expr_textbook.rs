//! A table of textbook derivatives: `diff` (the simplified symbolic derivative) prints
//! each in the form a textbook writes it.

use gradproof::expr::parse;

/// (declarations and definitions, of, with respect to, the textbook form).
///
/// Softmax's derivatives are written with its named quotients (`p1 = exp(z1) / S`):
/// `p1 * (1 - p1)` and `-p1 * p2`, not `p1 - exp(z1)^2 / S^2` and
/// `-exp(z2) * exp(z1) / S^2`; the cross-entropy's with a one-hot target as `p1 - 1`,
/// not `-exp(z2) / S` (equal, as `1 - p1 = p2`, but a name is shorter than what it
/// names).
const TABLE: &[(&str, &str, &str, &str)] = &[
    ("param x = 0.3\ns = sigma(x)", "s", "x", "s * (1 - s)"),
    ("param x = 0.3\nt = tanh(x)", "t", "x", "1 - t^2"),
    ("param x = 0.3\ne = exp(x)", "e", "x", "e"),
    ("param x = 0.3\nl = ln(x)", "l", "x", "1 / x"),
    ("param x = 0.3\nr = sqrt(x)", "r", "x", "1 / (2 * r)"),
    ("param x = 0.3\np = x^3", "p", "x", "3 * x^2"),
    ("param x = 0.3\nr = relu(x)", "r", "x", "step(x)"),
    ("param x = 0.3\nm = abs(x)", "m", "x", "sign(x)"),
    ("param x = 0.3\ns = sin(x)", "s", "x", "cos(x)"),
    ("param x = 0.3\nc = cos(x)", "c", "x", "-sin(x)"),
    (
        "param x = 0.3\nparam y = 2\nq = x / y",
        "q",
        "y",
        "-x / y^2",
    ),
    (
        "input x = 0.3\nparam w = 2\nparam b = 1\nz = w * x + b",
        "z",
        "w",
        "x",
    ),
    (
        "input x = 0.3\nparam w = 2\nf = sigma(w * x)",
        "f",
        "w",
        "f * (1 - f) * x",
    ),
    (
        "input x = 0.3\nparam w = 2\nh = tanh(w * x)",
        "h",
        "w",
        "(1 - h^2) * x",
    ),
    (
        "input y = 1\nparam yhat = 0.3\nloss L = 1/2 * (yhat - y)^2",
        "L",
        "yhat",
        "yhat - y",
    ),
    (
        "input x1 = 0.5\ninput x2 = 1\ninput y = 1\nparam w1 = 0.1\nparam w2 = 0.2\nparam b = 0\n\
         p = sigma(w1 * x1 + w2 * x2 + b)\nloss L = -(y * ln(p) + (1 - y) * ln(1 - p))",
        "L",
        "w1",
        "(p - y) * x1",
    ),
    (
        "input x1 = 0.5\ninput y = 1\nparam w1 = 0.1\nparam b = 0\n\
         p = sigma(w1 * x1 + b)\nloss L = -(y * ln(p) + (1 - y) * ln(1 - p))",
        "L",
        "b",
        "p - y",
    ),
    (
        "input y = 1\nparam p = 0.3\nloss L = -(y * ln(p) + (1 - y) * ln(1 - p))",
        "L",
        "p",
        "(p - y) / (p * (1 - p))",
    ),
    (
        "input x = 2\ninput y = 1\ninput lambda = 0.1\nparam w = 0.3\n\
         loss L = 1/2 * (w * x - y)^2 + lambda / 2 * w^2",
        "L",
        "w",
        "(w * x - y) * x + lambda * w",
    ),
    (
        "param z1 = 0.1\nparam z2 = 0.2\nS = exp(z1) + exp(z2)\nlse = ln(S)",
        "lse",
        "z1",
        "exp(z1) / S",
    ),
    (
        "input z = 2\ninput y = 1\nparam w = 0.3\nh = relu(1 - y * w * z)",
        "h",
        "w",
        "-step(1 - y * w * z) * y * z",
    ),
    ("param x = 0.3\ng = exp(-x^2 / 2)", "g", "x", "-g * x"),
    (
        "param z1 = 0.1\nparam z2 = 0.2\nS = exp(z1) + exp(z2)\np1 = exp(z1) / S\np2 = exp(z2) / S",
        "p1",
        "z1",
        "p1 * (1 - p1)",
    ),
    (
        "param z1 = 0.1\nparam z2 = 0.2\nS = exp(z1) + exp(z2)\np1 = exp(z1) / S\np2 = exp(z2) / S",
        "p2",
        "z1",
        "-p1 * p2",
    ),
    (
        "param z1 = 0.1\nparam z2 = 0.2\nS = exp(z1) + exp(z2)\np1 = exp(z1) / S\np2 = exp(z2) / S",
        "p1",
        "z2",
        "-p1 * p2",
    ),
    // Cross-entropy after softmax: `p1 - y1` with the one-hot target `y1 = 1` held
    // fixed as data, and `p2` for the class it is not.
    (
        "param z1 = 0.5\nparam z2 = -0.3\ndata y1 = 1\ndata y2 = 0\nS = exp(z1) + exp(z2)\n\
         p1 = exp(z1) / S\np2 = exp(z2) / S\nL = -(y1 * ln(p1) + y2 * ln(p2))",
        "L",
        "z1",
        "p1 - 1",
    ),
    (
        "param z1 = 0.5\nparam z2 = -0.3\ndata y1 = 1\ndata y2 = 0\nS = exp(z1) + exp(z2)\n\
         p1 = exp(z1) / S\np2 = exp(z2) / S\nL = -(y1 * ln(p1) + y2 * ln(p2))",
        "L",
        "z2",
        "p2",
    ),
    // A template's `k = 1` builds the argument `w * 1`: an unnamed argument is
    // simplified (`cos(w)`), a named one is kept (`a`, not `sigma(w * x + b)`).
    (
        "param w = 0.3\nf = sum(k in 1..3, sin(w * k))",
        "f",
        "w",
        "cos(w) + 2 * cos(2 * w) + 3 * cos(3 * w)",
    ),
    (
        "input x = 0.5\nparam w = 0.3\nparam b = 0.1\nz = w * x + b\na = sigma(z)\nf = exp(w * 1) * a",
        "f",
        "w",
        "(1 + x - x * a) * (a * exp(w))",
    ),
];

#[test]
fn textbook_derivatives_print_in_their_textbook_form() {
    let mut wrong = Vec::new();
    for (i, &(source, of, wrt, expected)) in TABLE.iter().enumerate() {
        let mut program = parse(source).unwrap_or_else(|e| panic!("{source}\n{e}"));
        let d = program
            .derivative(of, wrt)
            .unwrap_or_else(|e| panic!("{e}"));
        let text = program.text(d);
        if text != expected {
            wrong.push(format!(
                "{i}: d{of}/d{wrt} = {text}\n   textbook: {expected}"
            ));
        }
        // The printed form is the derivative: it agrees with the chain rule's value.
        let chain = program
            .chain_rule(of, wrt)
            .unwrap_or_else(|e| panic!("{e}"));
        let values = program.evaluate(&[d, chain], &program.leaf_values());
        let scale = 1.0 + values[1].abs();
        assert!(
            (values[0] - values[1]).abs() <= 1e-12 * scale,
            "{i}: {text}: {values:?}"
        );
    }
    assert!(TABLE.len() >= 20);
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        TABLE.len(),
        wrong.join("\n")
    );
}

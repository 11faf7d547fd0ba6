//! The random `.grad` expressions the language's property tests share: leaves (each test
//! chooses its own) combined by the five operators, with and without parentheses (so
//! precedence is exercised), powers, unary minus and calls of `functions`.

use proptest::prelude::*;
use proptest::sample::select;

/// Expressions built on `leaf`, up to depth 5.
pub fn compose(
    leaf: impl Strategy<Value = String> + 'static,
    functions: &'static [&'static str],
) -> impl Strategy<Value = String> {
    leaf.prop_recursive(5, 32, 2, move |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone(), select(vec!["+", "-", "*", "/"]), any::<bool>())
                .prop_map(|(a, b, op, bare)| if bare {
                    format!("{a} {op} {b}")
                } else {
                    format!("({a}) {op} ({b})")
                }),
            1 => (inner.clone(), 0u32..4).prop_map(|(a, n)| format!("({a})^{n}")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})^({b})")),
            1 => inner.clone().prop_map(|a| format!("-({a})")),
            3 => (select(functions.to_vec()), inner).prop_map(|(f, a)| format!("{f}({a})")),
        ]
    })
}

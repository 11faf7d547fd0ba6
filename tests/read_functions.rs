//! Functions a document defines (`g(u) = u^2`) are applied where it uses them
//! (`g(w_1)` is `w_1^2`), derivatives included; what cannot be read that way is listed
//! with why, never misread as a product.

#[path = "read_support/mod.rs"]
mod read_support;

use read_support::{md, verdicts};

#[test]
fn a_function_is_its_body_at_the_argument() {
    let r = md("Let $g(u) = u^2$ and $L = g(w x - t)$. Then \
                $\\frac{\\partial L}{\\partial w} = 2 (w x - t) x$ and \
                $\\frac{\\partial L}{\\partial w} = (w x - t) x$.\n");
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert!(r.grad.contains("\nL = (w * x - t)^2\n"), "{}", r.grad);
    // The right derivative holds and the one missing the factor 2 fails.
    assert_eq!(verdicts(&r), [(1, true), (1, false)]);
}

#[test]
fn a_power_after_the_parenthesis_is_on_the_function_and_on_a_product_the_parenthesis() {
    let r = md("$g(u) = 3u$, $a = g(w)^2$, $a = 9 w^2$, $b = y(1-y)^2$, $b = y (1 - y) (1 - y)$\n");
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(1, true), (1, true)]);
    let wrong = md("$g(u) = 3u$, $a = g(w)^2$, $a = 3 w^2$\n");
    assert_eq!(verdicts(&wrong), [(1, false)]);
}

#[test]
fn a_function_may_be_used_before_its_definition_and_through_another() {
    let r = md(
        "$$\\frac{d h(z)}{d z} = \\sigma(z)(1 - \\sigma(z)) + 2 z$$\n\
                where $h(v) = \\sigma(v) + g(v)$ and $g(u) = u^2$.\n",
    );
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(verdicts(&r), [(1, true)]);
    // `read` lists the functions, with their lines, before the program.
    assert!(
        r.grad.contains(
            "# Functions the document defines, inlined where they are used.\n\
             # line 2:13  h(v) = \\sigma(v) + g(v)\n\
             # line 2:43  g(u) = u^2\n"
        ),
        "{}",
        r.grad
    );
}

#[test]
fn a_function_defined_twice_is_unread_with_its_uses() {
    let r = md("$g(u) = u^2$\n$g(u) = u^3$\n$a = g(2)$\n");
    let lines: Vec<usize> = r.unread.iter().map(|u| u.line).collect();
    assert_eq!(lines, [1, 2, 3], "{:?}", r.unread);
    assert!(r
        .unread
        .iter()
        .all(|u| u.why.contains("defined as a function twice")));
}

#[test]
fn a_function_in_a_chain_or_through_itself_is_unread() {
    let chain = md("$g(u) = u^2 = u \\cdot u$, $a = g(3)$\n");
    assert_eq!(chain.unread.len(), 2, "{:?}", chain.unread);
    assert!(chain.unread[0].why.contains("chain"));
    let itself = md("$g(u) = g(u) + 1$, $a = g(3)$\n");
    assert_eq!(itself.unread.len(), 1, "{:?}", itself.unread);
    assert!(itself.unread[0].why.contains("defined through itself"));
}

#[test]
fn a_primed_function_is_a_derivative_not_read_in_that_notation() {
    let r = md("$g(u) = u^2$, $g'(u) = 2u$, $a = g'(3)$\n");
    let whys: Vec<&str> = r.unread.iter().map(|u| u.why.as_str()).collect();
    assert_eq!(whys.len(), 2, "{whys:?}");
    assert!(whys.iter().all(|w| w.contains("derivative of a function")));
}

#[test]
fn differentiating_inside_a_function_with_respect_to_its_parameter_follows_the_argument() {
    // s(v) is the slope of v², written with a derivative in its body.
    let r = md(
        "$s(v) = \\frac{\\partial v^2}{\\partial v}$, $a = s(w)$, $a = 2w$, \
                $b = s(w + 1)$\n",
    );
    assert_eq!(verdicts(&r), [(1, true)]);
    assert_eq!(r.unread.len(), 1, "{:?}", r.unread);
    assert!(r.unread[0].why.contains("parameter"), "{}", r.unread[0].why);
}

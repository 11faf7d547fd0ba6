//! Rules that hold only on part of the line, used only where the form proves the
//! part: `√s² = s` where `s ≥ 0` (a sum of squares is), `ln(a/b) = ln a − ln b` and
//! `ln(a·b) = ln a + ln b` where `a, b > 0` (exponentials, σ and sums of positives
//! are), and `ln(exp(u)) = u` everywhere. A claim that needs a rule where its
//! condition cannot be shown is tested at points, as before, never proved.

use gradproof::expr::{parse, ClaimReport, Proof, Verdict};

fn verify(source: &str) -> Vec<ClaimReport> {
    let reports = parse(source).unwrap_or_else(|e| panic!("{e}")).verify();
    for r in &reports {
        println!("{r}");
    }
    reports
}

fn proved_exactly(r: &ClaimReport) -> bool {
    matches!(
        r.verdict,
        Verdict::Proved {
            proof: Proof::NormalForm,
            ..
        }
    )
}

fn tested_not_proved(r: &ClaimReport) -> bool {
    matches!(r.verdict, Verdict::Holds { .. })
}

fn fails(r: &ClaimReport) -> bool {
    matches!(r.verdict, Verdict::Fails(_))
}

#[test]
fn half_the_squared_norm_is_half_the_sum_of_squares() {
    let reports = verify(
        "param v: 3\n\
         claim 1/2*norm(v)^2 = 1/2*sum(v^2)\n\
         claim 1/2*norm(v)^2 = 1/2*sum(v)^2\n\
         claim norm(v)^2 = 1/2*sum(v^2)\n",
    );
    assert!(proved_exactly(&reports[0]));
    assert!(fails(&reports[1]) && fails(&reports[2]));
}

#[test]
fn a_square_root_of_a_free_parameter_squared_is_not_proved() {
    // √w² = w only where w ≥ 0; w may be negative, where the left side is undefined.
    let reports = verify(
        "param w = 0.7\n\
         param u = 0.3\n\
         claim sqrt(w)^2 = w\n\
         claim sqrt(w^2 + u^2)^2 = w^2 + u^2\n\
         claim sqrt(exp(w) - 1)^2 = exp(w) - 1\n",
    );
    assert!(tested_not_proved(&reports[0]));
    assert!(proved_exactly(&reports[1]));
    // exp(w) − 1 is negative for w < 0: a difference of positives proves nothing.
    assert!(!proved_exactly(&reports[2]));
}

#[test]
fn softmax_cross_entropy_with_a_one_hot_target_is_log_sum_exp_minus_the_target_score() {
    let reports = verify(
        "param s: 3\n\
         data t: 3 = [0, 1, 0]\n\
         claim -dot(t, ln(softmax(s))) = log_sum_exp(s) - dot(t, s)\n\
         claim -dot(t, ln(softmax(s))) = log_sum_exp(s) + dot(t, s)\n\
         claim -dot(t, ln(softmax(s))) = log_sum_exp(s) - s[2] + 1e-9\n",
    );
    assert!(proved_exactly(&reports[0]));
    assert!(fails(&reports[1]) && fails(&reports[2]));
}

#[test]
fn softmax_cross_entropy_with_a_target_that_does_not_sum_to_one_fails() {
    // The identity needs Σt = 1: with t = [0, 1, 1] the left side has 2 log_sum_exp.
    let reports = verify(
        "param s: 3\n\
         data t: 3 = [0, 1, 1]\n\
         claim -dot(t, ln(softmax(s))) = log_sum_exp(s) - dot(t, s)\n",
    );
    assert!(fails(&reports[0]));
}

#[test]
fn logarithms_split_only_where_the_parts_are_positive() {
    let reports = verify(
        "param a = 0.5\n\
         param b = 0.25\n\
         claim ln(exp(a)) = a\n\
         claim ln(exp(a)/exp(b)) = a - b\n\
         claim ln(sigma(a) * (exp(a) + exp(b))) = ln(sigma(a)) + ln(exp(b) + exp(a))\n\
         claim ln((exp(a) + 1)^3) = 3*ln(1 + exp(a))\n\
         claim ln(a/b) = ln(a) - ln(b)\n\
         claim ln(exp(a)*exp(b)) = a - b\n",
    );
    for r in &reports[..4] {
        assert!(proved_exactly(r), "{r}");
    }
    // a and b may both be negative, where ln(a/b) is defined and ln a is not.
    assert!(tested_not_proved(&reports[4]));
    assert!(fails(&reports[5]));
}

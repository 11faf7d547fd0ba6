//! The identity test on claims: what it proves, and what it must not.

use super::field::is_prime;
use super::{test_claims, Outcome, MAX_ERROR};
use crate::expr::parse;

/// The outcome for each claim of `source`.
fn outcomes(source: &str) -> Vec<Outcome> {
    let program = parse(source).unwrap_or_else(|e| panic!("{e}"));
    let sides: Vec<_> = program.claims.iter().map(|c| [c.lhs, c.rhs]).collect();
    test_claims(&program.dag, &sides, 1)
}

fn identical(o: &Outcome) -> bool {
    matches!(o, Outcome::Identical { error, .. } if *error <= MAX_ERROR && *error > 0.0)
}

#[test]
fn sigma_prime_written_through_sigma_is_an_identity() {
    let o = outcomes("param x = 0.3\ns = sigma(x)\nclaim grad(s, x) = s * (1 - s)\n");
    assert!(identical(&o[0]), "{o:?}");
}

#[test]
fn a_missing_factor_is_not_an_identity() {
    let o = outcomes("param x = 0.3\ns = sigma(x)\nclaim grad(s, x) = s\n");
    assert_eq!(o[0], Outcome::Different);
}

#[test]
fn the_relations_of_exp_sigma_and_tanh_are_built_in() {
    let o = outcomes(
        "param x = 0.3\n\
         claim sigma(-x) = 1 - sigma(x)\n\
         claim sigma(x) = 1 / (1 + exp(-x))\n\
         claim tanh(x) = 2 * sigma(2 * x) - 1\n\
         claim exp(x) * exp(-x) = 1\n\
         claim relu(x) - relu(-x) = x\n\
         claim abs(x) = 2 * relu(x) - x\n\
         claim relu(x) = (x + abs(x)) / 2\n\
         claim abs(-x) * sign(-x) = -x * abs(x) / x * sign(x)\n\
         claim sqrt(x) = x^(1/2)\n",
    );
    for (i, o) in o.iter().enumerate() {
        assert!(identical(o), "claim {i}: {o:?}");
    }
}

#[test]
fn identities_outside_the_model_are_not_proved() {
    // True, but exp of a sum has no counterpart modulo a prime: not proved here (the
    // exponential normal form proves it).
    let o = outcomes("param a = 1\nparam b = 2\nclaim exp(a + b) = exp(a) * exp(b)\n");
    assert_eq!(o[0], Outcome::Different);
}

#[test]
fn a_claim_false_only_at_a_kink_is_not_proved() {
    // step(0) = 0 but (1 + sign(0))/2 = 1/2: false at one point, so no identity.
    let o = outcomes("param x = 1\nclaim step(x) = (1 + sign(x)) / 2\n");
    assert_eq!(o[0], Outcome::Different);
}

#[test]
fn a_multiple_of_a_prime_in_the_range_does_not_vanish() {
    // Two primes from [2⁶¹, 2⁶²): a fixed prime among them would call x·p·q = 0 true.
    let mut primes = ((1u64 << 61) + 1..).step_by(2).filter(|&n| is_prime(n));
    let (p, q) = (primes.next().unwrap(), primes.next().unwrap());
    let c = i128::from(p) * i128::from(q);
    let o = outcomes(&format!("param x = 1\nclaim x * {c} = 0\n"));
    assert_eq!(o[0], Outcome::Different);
}

#[test]
fn a_side_dividing_by_zero_everywhere_is_not_decided() {
    let o = outcomes("param x = 1\nclaim x / (x - x) = 1\n");
    assert_eq!(o[0], Outcome::Unknown);
}

#[test]
fn a_tower_of_powers_too_high_for_the_bound_is_not_called_proved() {
    // Degree 64⁹ ≈ 1.8·10¹⁶: the bound exceeds MAX_ERROR, so no verdict.
    let tower = "(".repeat(9) + "x" + &")^64".repeat(9);
    let o = outcomes(&format!("param x = 1\nclaim {tower} + 1 = 1 + {tower}\n"));
    assert_eq!(o[0], Outcome::Unknown);
}

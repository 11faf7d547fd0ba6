//! A claim's proof is its own business: how a claim is proved, and the error bound of
//! an identity-test proof, do not depend on how many other claims stand in the file.
//!
//! Before each claim had its own budget, the normal forms of a whole program shared
//! one: the last claims of a 40,000-line document fell to the identity test, and here
//! the last 149 of the 601 claims (the probe among them) were proved by the identity
//! test instead of exactly. Before the identity test's bound counted each claim's own atoms, it counted
//! every claim's, and the probe's bound grew with the file.

use gradproof::expr::{parse, ClaimReport, Proof, Verdict};

fn verify(source: &str) -> Vec<ClaimReport> {
    parse(source).unwrap_or_else(|e| panic!("{e}")).verify()
}

/// `claims` claims alike, in parameters of their own so that no work is shared: the
/// product of the cubes of two sums of four parameters, a normal form of 400 terms,
/// once for each order of the factors. Then `probe`.
fn products_then(claims: usize, probe: &str) -> String {
    let mut text = String::new();
    for k in 0..claims {
        let names: Vec<String> = "abcdefgh".chars().map(|c| format!("{c}{k}")).collect();
        for (i, n) in names.iter().enumerate() {
            text.push_str(&format!("param {n} = 0.{}\n", i + 1));
        }
        let (s, t) = (names[..4].join(" + "), names[4..].join(" + "));
        text.push_str(&format!("claim ({s})^3 * ({t})^3 = ({t})^3 * ({s})^3\n"));
    }
    text.push_str("param x = 0.4\nparam y = -0.3\n");
    text.push_str(probe);
    text.push('\n');
    text
}

/// Claims with an atom each (the crowd an error bound over the whole program would
/// count), followed by `probe`.
fn atoms_then(claims: usize, probe: &str) -> String {
    let mut text = String::new();
    for k in 0..claims {
        text.push_str(&format!(
            "param a{k} = 0.{}\nclaim 2 * sigma(a{k}) * exp(a{k}) = sigma(a{k}) * exp(a{k}) + exp(a{k}) * sigma(a{k})\n",
            k % 9 + 1
        ));
    }
    text.push_str("param x = 0.4\nparam y = -0.3\n");
    text.push_str(probe);
    text.push('\n');
    text
}

/// Enough such claims to have spent the program-wide budgets the plain and the
/// exponential normal forms had before (200,000 stored terms each).
const CROWD: usize = 600;

fn last(reports: &[ClaimReport]) -> &ClaimReport {
    let report = reports.last().expect("a claim");
    println!("{report}");
    report
}

#[test]
fn a_claim_is_proved_exactly_however_many_claims_stand_before_it() {
    let probe = "claim grad(x * sigma(x * y), x) = sigma(x * y) + x * y * sigma(x * y) * (1 - sigma(x * y))";
    let alone = verify(&products_then(0, probe));
    assert!(matches!(
        last(&alone).verdict,
        Verdict::Proved {
            proof: Proof::NormalForm,
            ..
        }
    ));
    // After the crowd, the probe, and the probe with the factor x missing from its
    // second term, which still fails: a budget of its own is no licence to pass.
    let wrong =
        "claim grad(x * sigma(x * y), x) = sigma(x * y) + y * sigma(x * y) * (1 - sigma(x * y))";
    let crowded = verify(&products_then(CROWD, &format!("{probe}\n{wrong}")));
    let (crowd, probes) = crowded.split_at(CROWD);
    for report in crowd {
        assert!(matches!(report.verdict, Verdict::Proved { .. }), "{report}");
    }
    println!("{}", probes[0]);
    assert!(matches!(
        probes[0].verdict,
        Verdict::Proved {
            proof: Proof::NormalForm,
            ..
        }
    ));
    assert!(matches!(last(&crowded).verdict, Verdict::Fails(_)));
}

/// The error bound of an identity-test proof of the last claim.
fn identity_error(source: &str) -> f64 {
    match last(&verify(source)).verdict {
        Verdict::Proved {
            proof: Proof::IdentityTest { error, .. },
            ..
        } => error,
        ref other => panic!("expected a proof by the identity test, got {other:?}"),
    }
}

#[test]
fn the_identity_tests_error_bound_counts_only_the_claims_own_atoms() {
    // |u| = |−u| is known to the identity test (|u| = 2 relu(u) − u, relu(−u) =
    // relu(u) − u), not to the normal forms, which see two unrelated atoms.
    let probe = "claim abs(x - y) * sigma(x) = abs(y - x) * sigma(x)";
    let alone = identity_error(&atoms_then(0, probe));
    let crowded = identity_error(&atoms_then(200, probe));
    assert!(alone > 0.0 && alone < 1e-15);
    assert_eq!(alone, crowded);
    // And it is a test: the claim with one sign changed inside is not proved.
    let wrong = verify(&atoms_then(
        200,
        "claim abs(x - y) * sigma(x) = abs(y + x) * sigma(x)",
    ));
    assert!(matches!(last(&wrong).verdict, Verdict::Fails(_)));
}

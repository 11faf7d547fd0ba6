//! Proofs at depth: every claim of a 16-layer sigmoid network is proved (most by the
//! randomised identity test, whose normal forms would be far too large), and plausible
//! mistakes planted in its deepest layers fail.

mod deep_network;

use deep_network::{planted_errors, sigmoid_network};
use gradproof::expr::{parse, Proof, Verdict};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/deep16.grad");

/// One verification serves both claims below: the suite runs in a debug build, where
/// parsing and verifying 16 layers takes seconds.
#[test]
fn every_right_claim_of_a_16_layer_network_is_proved_and_planted_mistakes_fail() {
    let mut source = sigmoid_network(16);
    for claim in planted_errors() {
        source.push_str(claim);
        source.push('\n');
    }
    let program = parse(&source).unwrap_or_else(|e| panic!("{e}"));
    let reports = program.verify();
    let (right, wrong) = reports.split_at(16 * 9);
    for r in right {
        assert!(matches!(r.verdict, Verdict::Proved { .. }), "{r}");
    }
    // The first layer's proofs are the identity test's, each with its error bound.
    let first_layer = right.last().expect("claims");
    match first_layer.verdict {
        Verdict::Proved {
            proof: Proof::IdentityTest { trials, error },
            ..
        } => assert!(trials >= 3 && error > 0.0 && error < 1e-15, "{first_layer}"),
        _ => panic!("{first_layer}"),
    }
    assert!(first_layer
        .to_string()
        .contains("a false claim passes with probability below"));
    assert_eq!(wrong.len(), planted_errors().len());
    for r in wrong {
        assert!(matches!(r.verdict, Verdict::Fails(_)), "{r}");
    }
}

#[test]
fn the_deep16_example_is_the_generated_network() {
    let committed = std::fs::read_to_string(EXAMPLE).unwrap_or_default();
    if std::env::var_os("GRADPROOF_WRITE_EXAMPLES").is_some() {
        std::fs::write(EXAMPLE, sigmoid_network(16)).expect(EXAMPLE);
        return;
    }
    assert!(
        committed == sigmoid_network(16),
        "examples/deep16.grad differs from tests/deep_network: regenerate it with \
         GRADPROOF_WRITE_EXAMPLES=1 cargo test --test expr_depth"
    );
}

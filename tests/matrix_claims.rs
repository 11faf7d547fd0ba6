//! Claims between the weight matrices of a 16-16-5 sigmoid network written in index
//! form (the generator `benches/matrix.rs` times at 256-128-10): large enough that both
//! weight claims (256 and 80 entries) take the batched path. The right weight gradients are
//! proved; an outer product with swapped factors fails at its first wrong entry with
//! the diagnosis.

#[path = "matrix_network/mod.rs"]
mod matrix_network;

use gradproof::expr::{Claim, Proof, Shape, Verdict, VerifyOptions};

#[test]
fn the_weight_gradients_are_deltas_times_inputs_transposed() {
    let (n, h, m) = (16, 16, 5);
    let mut program = matrix_network::program(n, h, m);
    let gradients = matrix_network::weight_gradients(&mut program, n, h, m);
    for claim in matrix_network::claims(&program, &gradients, n, h, m) {
        let report = program.verify_one(&claim, VerifyOptions::default());
        println!("{report}");
        assert!(
            matches!(
                report.verdict,
                Verdict::Proved {
                    proof: Proof::IdentityTest { .. },
                    ..
                }
            ),
            "{report}"
        );
    }
}

#[test]
fn x_times_delta1_transposed_fails_at_entry_1_2_as_a_swapped_outer_product() {
    let (n, h, m) = (16, 16, 5);
    let mut program = matrix_network::program(n, h, m);
    let gradients = matrix_network::weight_gradients(&mut program, n, h, m);
    let rhs = matrix_network::nodes(&program, &matrix_network::names("S1", h, n));
    let shape = Shape { rows: h, cols: n };
    let claim = Claim::between_grids(
        1,
        "claim grad(L, W1) = x * delta1^T",
        shape,
        gradients[..h * n].to_vec(),
        rhs,
    )
    .expect("sizes");
    let report = program.verify_one(&claim, VerifyOptions::default());
    println!("{report}");
    let Verdict::Fails(c) = &report.verdict else {
        panic!("expected a failure: {report}")
    };
    assert_eq!(c.entry, Some((1, 2)));
    assert!(report.to_string().contains("FAILS at entry (1, 2)"));
    assert!(
        c.diagnosis
            .as_deref()
            .is_some_and(|d| d.starts_with("the factors of the outer product are swapped")),
        "{report}"
    );
}

#[test]
fn a2_minus_y_times_a1_transposed_fails_at_entry_1_1_missing_the_factor_sigma_prime() {
    let (n, h, m) = (16, 16, 5);
    let mut program = matrix_network::program(n, h, m);
    let gradients = matrix_network::weight_gradients(&mut program, n, h, m);
    let claim = matrix_network::missing_sigma_prime(&program, &gradients, n, h, m);
    let report = program.verify_one(&claim, VerifyOptions::default());
    println!("{report}");
    let Verdict::Fails(c) = &report.verdict else {
        panic!("expected a failure: {report}")
    };
    assert_eq!(c.entry, Some((1, 1)));
    // In index form no vector is named `z2`: the failing entry's own diagnosis.
    assert_eq!(
        c.diagnosis.as_deref(),
        Some("left = right × a2_1 * (1 - a2_1): the right side misses this factor")
    );
}

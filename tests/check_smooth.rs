//! No false failures: on smooth functions — the document's 3-3-3 network and general
//! networks — every check passes across random weights, inputs and targets, in f64 and
//! f32, with tolerances the engine chose itself.

mod check_network;
mod common;

use check_network::{Document, Mistake, Mlp, MlpOutputs};
use gradproof::check::{self, Checker, Real};
use proptest::prelude::*;

fn document() -> impl Strategy<Value = (Document, Vec<f64>)> {
    (
        prop::array::uniform3(-2.0..2.0f64),
        prop::array::uniform3(0.0..1.0f64),
        prop::collection::vec(-2.0..2.0f64, 18),
    )
        .prop_map(|(x, y, w)| (Document { x, y }, w))
}

fn mlp() -> impl Strategy<Value = (Mlp, Vec<f64>)> {
    prop::collection::vec(1..4usize, 2..4)
        .prop_flat_map(|hidden| {
            let mut sizes = vec![2];
            sizes.extend(hidden);
            sizes.push(2);
            let n = Mlp::parameters(&sizes);
            (
                Just(sizes),
                prop::collection::vec(-1.5..1.5f64, 2),
                prop::collection::vec(0.0..1.0f64, 2),
                prop::collection::vec(-1.5..1.5f64, n),
            )
        })
        .prop_map(|(sizes, x, y, w)| (Mlp { sizes, x, y }, w))
}

fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&a| a as f32).collect()
}

/// Every check of the engine, with the tolerances it chooses itself, on the document's
/// network at `w`: against finite differences, the hand-written backward pass against
/// the tape, forward against reverse mode, the Taylor test, and one update step.
fn every_check_passes<T: Real>(net: &Document, w: &[T], eta: T) -> Result<(), TestCaseError> {
    let report = check::tape_vs_differences(net, w).unwrap();
    prop_assert!(report.passed(), "{}", report);
    let report = check::yours_vs_tape(net, w, &net.backward(w, Mistake::None)).unwrap();
    prop_assert!(report.passed(), "{}", report);
    let report = check::forward_vs_reverse(net, w).unwrap();
    prop_assert!(report.passed(), "{}", report);
    let taylor = check::taylor_of_tape(net, w).unwrap();
    prop_assert!(taylor.passed(), "{}", taylor);
    let g = net.backward(w, Mistake::None);
    let updated: Vec<T> = w.iter().zip(&g).map(|(&wi, &gi)| wi - eta * gi).collect();
    let report = check::update(net, w, eta, &updated).unwrap();
    prop_assert!(report.passed(), "{}", report);
    Ok(())
}

proptest! {
    #![proptest_config(common::config("proptest-regressions/check_smooth.txt"))]

    #[test]
    fn document_network_passes_every_check_in_f64((net, w) in document(), eta in 0.01..2.0f64) {
        every_check_passes(&net, &w, eta)?;
    }

    #[test]
    fn document_network_passes_every_check_in_f32((net, w) in document(), eta in 0.01..2.0f32) {
        every_check_passes(&net, &to_f32(&w), eta)?;
    }

    #[test]
    fn general_networks_pass_gradient_jacobian_and_taylor_checks_in_f64((net, w) in mlp()) {
        let report = check::tape_vs_differences(&net, &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let report = check::jacobian(&MlpOutputs(net.clone()), &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let report = Checker::default().forward_reverse_vector(&MlpOutputs(net.clone()), &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let taylor = check::taylor_of_tape(&net, &w).unwrap();
        prop_assert!(taylor.passed(), "{}", taylor);
    }

    #[test]
    fn general_networks_pass_gradient_jacobian_and_taylor_checks_in_f32((net, w) in mlp()) {
        let w = to_f32(&w);
        let report = check::tape_vs_differences(&net, &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let report = check::jacobian(&MlpOutputs(net.clone()), &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let report = Checker::default().forward_reverse_vector(&MlpOutputs(net.clone()), &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let taylor = check::taylor_of_tape(&net, &w).unwrap();
        prop_assert!(taylor.passed(), "{}", taylor);
    }

    /// Other seeds give other directions: the forward/reverse check holds for all.
    #[test]
    fn forward_and_reverse_agree_along_any_seeded_direction((net, w) in mlp(), seed in any::<u64>()) {
        let checker = Checker { seed, directions: 2, ..Checker::default() };
        let report = checker.forward_vs_reverse(&net, &w).unwrap();
        prop_assert!(report.passed(), "{}", report);
        let taylor = checker.taylor_of_tape(&net, &w).unwrap();
        prop_assert!(taylor.passed(), "{}", taylor);
    }
}

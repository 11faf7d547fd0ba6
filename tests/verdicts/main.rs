//! Every check the crate offers, at its default settings, on 51 functions users write
//! daily (kinks, domain edges, huge and tiny scales, steep exponentials, NaN and
//! infinity, 1000+ coordinates, the classic softmax / log-sum-exp / sigmoid-network
//! mistakes), each with a right and a plausible wrong gradient, in f64 and in f32. Every
//! verdict is asserted against what is true at the point: no wrong gradient passes, no
//! right one fails, a kink is a kink and a NaN is not finite.
//!
//! `cargo test --test verdicts -- --ignored --nocapture verdict_table` prints the
//! counts of false verdicts per check.

mod cases;
mod harness;
mod messages;
mod sensitivity;

use cases::*;
use harness::{assert_verdicts, judge, run, Case, Judgement};

macro_rules! claims {
    ($($case:ident => $f64:ident, $f32:ident;)*) => {
        $(
            #[test]
            fn $f64() {
                assert_verdicts::<f64, _>(&$case);
            }

            #[test]
            fn $f32() {
                assert_verdicts::<f32, _>(&$case);
            }
        )*

        /// Counts of false verdicts per check over every case, both types.
        #[test]
        #[ignore = "prints the table; run with --ignored --nocapture"]
        fn verdict_table() {
            let mut table = Table::default();
            $(
                table.add::<f64, _>(&$case);
                table.add::<f32, _>(&$case);
            )*
            table.print();
        }

        /// The reports behind every verdict that is not right, for the cases whose name
        /// contains `$VERDICT_CASE` (all when unset).
        #[test]
        #[ignore = "prints reports; run with --ignored --nocapture"]
        fn verdict_reports() {
            let only = std::env::var("VERDICT_CASE").unwrap_or_default();
            $(
                if $case.name().contains(only.as_str()) {
                    show::<f64, _>(&$case);
                    show::<f32, _>(&$case);
                }
            )*
        }
    };
}

fn show<T: gradproof::check::Real, C: Case>(case: &C) {
    for o in run::<T, C>(case) {
        let j = judge(case, T::NAME, &o);
        if j != Judgement::Right {
            println!(
                "=== {} ({}) {:?}, {}: {} — {:?}\n{}",
                case.name(),
                T::NAME,
                o.given,
                o.check,
                o.verdict,
                j,
                o.message
            );
        }
    }
}

#[derive(Default)]
struct Table {
    /// (check, total, false passes, false failures, wrong kind, inconclusive, passed
    /// below the stated sensitivity).
    rows: Vec<(&'static str, usize, usize, usize, usize, usize, usize)>,
    lines: Vec<String>,
}

impl Table {
    fn add<T: gradproof::check::Real, C: Case>(&mut self, case: &C) {
        for o in run::<T, C>(case) {
            let j = judge(case, T::NAME, &o);
            let row = match self.rows.iter_mut().find(|r| r.0 == o.check) {
                Some(row) => row,
                None => {
                    self.rows.push((o.check, 0, 0, 0, 0, 0, 0));
                    self.rows.last_mut().unwrap()
                }
            };
            row.1 += 1;
            match j {
                Judgement::FalsePass => row.2 += 1,
                Judgement::FalseFailure => row.3 += 1,
                Judgement::WrongKind | Judgement::KnownWrongKind => row.4 += 1,
                Judgement::Inconclusive | Judgement::InconclusiveAllowed => row.5 += 1,
                Judgement::BelowStatedSensitivity => row.6 += 1,
                Judgement::Right => {}
            }
            if j != Judgement::Right {
                self.lines.push(format!(
                    "{:<32} {:<4} {:<6} {:<26} {:<15} {:?}",
                    case.name(),
                    T::NAME,
                    format!("{:?}", o.given),
                    o.check,
                    o.verdict.to_string(),
                    j
                ));
            }
        }
    }

    fn print(&self) {
        for l in &self.lines {
            println!("{l}");
        }
        println!(
            "\n| check | verdicts | false passes | false failures | wrong kind | inconclusive | passed below stated sensitivity |"
        );
        println!("|---|---|---|---|---|---|---|");
        let mut total = [0; 6];
        for r in &self.rows {
            let counts = [r.1, r.2, r.3, r.4, r.5, r.6];
            println!(
                "| {} | {} |",
                r.0,
                counts.map(|c| c.to_string()).join(" | ")
            );
            for (t, c) in total.iter_mut().zip(counts) {
                *t += c;
            }
        }
        println!("| all | {} |", total.map(|c| c.to_string()).join(" | "));
    }
}

claims! {
    ReluAtZero => relu_at_its_kink_is_a_kink_in_f64, relu_at_its_kink_is_a_kink_in_f32;
    AbsAtZero => abs_at_its_kink_is_a_kink_in_f64, abs_at_its_kink_is_a_kink_in_f32;
    AbsNearZero => abs_near_its_kink_is_never_a_false_verdict_in_f64, abs_near_its_kink_is_never_a_false_verdict_in_f32;
    ReluNearZero => relu_near_its_kink_is_never_a_false_verdict_in_f64, relu_near_its_kink_is_never_a_false_verdict_in_f32;
    MaxAtTie => max_at_a_tie_is_a_kink_in_f64, max_at_a_tie_is_a_kink_in_f32;
    ReluLayerAtKink => a_relu_layer_with_one_unit_at_its_kink_is_a_kink_in_f64, a_relu_layer_with_one_unit_at_its_kink_is_a_kink_in_f32;
    HingeAtMargin => the_hinge_loss_at_its_margin_is_a_kink_in_f64, the_hinge_loss_at_its_margin_is_a_kink_in_f32;
    LogNearZero => log_near_zero_is_checked_inside_its_domain_in_f64, log_near_zero_is_checked_inside_its_domain_in_f32;
    SqrtNearZero => sqrt_near_zero_is_checked_inside_its_domain_in_f64, sqrt_near_zero_is_checked_inside_its_domain_in_f32;
    GaussianTinyVariance => a_gaussian_likelihood_with_variance_1e_6_is_checked_in_f64, a_gaussian_likelihood_with_variance_1e_6_is_checked_in_f32;
    AcosNearOne => acos_near_one_is_checked_in_f64, acos_near_one_is_checked_in_f32;
    PowNearZero => a_power_near_zero_is_checked_in_f64, a_power_near_zero_is_checked_in_f32;
    LseNear1000 => an_unnormalised_softmax_fails_for_logits_near_1000_in_f64, an_unnormalised_softmax_fails_for_logits_near_1000_in_f32;
    LseTiny => log_sum_exp_of_tiny_logits_is_checked_in_f64, log_sum_exp_of_tiny_logits_is_checked_in_f32;
    ProductTiny => a_product_of_tiny_inputs_is_checked_in_f64, a_product_of_tiny_inputs_is_checked_in_f32;
    SquareHuge => a_square_at_1e6_is_checked_in_f64, a_square_at_1e6_is_checked_in_f32;
    SteepExp => a_steep_exponential_is_checked_in_f64, a_steep_exponential_is_checked_in_f32;
    SteepExpProduct => a_steep_exponential_of_a_product_is_checked_in_f64, a_steep_exponential_of_a_product_is_checked_in_f32;
    SigmoidSaturated => a_saturated_sigmoid_is_checked_in_f64, a_saturated_sigmoid_is_checked_in_f32;
    SteepTanh => a_steep_tanh_is_checked_in_f64, a_steep_tanh_is_checked_in_f32;
    SinLargeArgument => sin_of_a_large_argument_is_checked_in_f64, sin_of_a_large_argument_is_checked_in_f32;
    DivisionSmallDenominator => a_division_by_a_small_denominator_is_checked_in_f64, a_division_by_a_small_denominator_is_checked_in_f32;
    NanValue => a_nan_value_is_never_passed_in_f64, a_nan_value_is_never_passed_in_f32;
    SqrtAtZero => an_infinite_derivative_is_never_passed_in_f64, an_infinite_derivative_is_never_passed_in_f32;
    NaiveLseOverflow => an_overflowing_log_sum_exp_is_never_passed_in_f64, an_overflowing_log_sum_exp_is_never_passed_in_f32;
    ZeroOverZero => zero_over_zero_is_never_passed_in_f64, zero_over_zero_is_never_passed_in_f32;
    QuadraticHighDimension => one_wrong_coordinate_in_1200_is_found_in_f64, one_wrong_coordinate_in_1200_is_found_in_f32;
    CrossEntropyThousandClasses => cross_entropy_over_1000_classes_is_checked_in_f64, cross_entropy_over_1000_classes_is_checked_in_f32;
    ChainHighDimension => a_wrong_neighbour_index_in_1024_dimensions_is_found_in_f64, a_wrong_neighbour_index_in_1024_dimensions_is_found_in_f32;
    BadlyScaledParameters => badly_scaled_parameters_are_checked_in_f64, badly_scaled_parameters_are_checked_in_f32;
    HugeValueRange => a_value_spanning_30_orders_is_checked_in_f64, a_value_spanning_30_orders_is_checked_in_f32;
    FloorBetweenSteps => a_quantised_loss_between_its_steps_has_slope_0_in_f64, a_quantised_loss_between_its_steps_has_slope_0_in_f32;
    RoundedCount => an_integer_valued_count_has_slope_0_in_f64, an_integer_valued_count_has_slope_0_in_f32;
    TanhOneWrongCoordinateIn1000 => one_wrong_tanh_prime_in_1000_coordinates_is_found_in_f64, one_wrong_tanh_prime_in_1000_coordinates_is_found_in_f32;
    CrossEntropyUnnormalised => an_unnormalised_softmax_fails_in_f64, an_unnormalised_softmax_fails_in_f32;
    SoftmaxProbabilityDiagonalOnly => a_softmax_jacobian_without_cross_terms_fails_in_f64, a_softmax_jacobian_without_cross_terms_fails_in_f32;
    NeuronMissingSigmaPrime => a_missing_sigma_prime_fails_in_f64, a_missing_sigma_prime_fails_in_f32;
    MatrixTransposedIndex => a_transposed_index_fails_in_f64, a_transposed_index_fails_in_f32;
    LinearRegressionSignError => a_sign_error_fails_in_f64, a_sign_error_fails_in_f32;
    BatchMeanForgotOneOverN => a_forgotten_one_over_n_fails_in_f64, a_forgotten_one_over_n_fails_in_f32;
    RegulariserForgotten => a_forgotten_regulariser_fails_in_f64, a_forgotten_regulariser_fails_in_f32;
    BceWithLogits => sigma_prime_for_sigma_fails_in_f64, sigma_prime_for_sigma_fails_in_f32;
    Rosenbrock => rosenbrock_with_a_lost_factor_fails_in_f64, rosenbrock_with_a_lost_factor_fails_in_f32;
    NearMinimum => a_loss_near_its_minimum_is_checked_in_f64, a_loss_near_its_minimum_is_checked_in_f32;
    HypotSwapped => swapped_entries_fail_in_f64, swapped_entries_fail_in_f32;
    PowerOfVariables => a_power_of_variables_is_checked_in_f64, a_power_of_variables_is_checked_in_f32;
    Constant => a_slope_claimed_for_a_constant_fails_in_f64, a_slope_claimed_for_a_constant_fails_in_f32;
    Linear => a_linear_function_is_checked_to_a_tenth_of_a_percent_in_f64, a_linear_function_is_checked_to_a_tenth_of_a_percent_in_f32;
    NetworkOnePercent => one_percent_off_in_one_network_weight_fails_in_f64, one_percent_off_in_one_network_weight_fails_in_f32;
    NetworkMissingHiddenSigmaPrime => a_network_without_the_hidden_sigma_prime_fails_in_f64, a_network_without_the_hidden_sigma_prime_fails_in_f32;
    NetworkTransposedOutputWeights => transposed_output_weights_fail_in_f64, transposed_output_weights_fail_in_f32;
}

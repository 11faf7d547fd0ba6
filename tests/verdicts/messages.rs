//! What the reports say: one wording, no claims that are not true of the run.

use gradproof::check::{self, Verdict};

use crate::cases::{NanValue, ReluAtZero, Rosenbrock};
use crate::harness::Case;

#[test]
fn a_taylor_report_read_on_its_first_direction_does_not_mention_earlier_ones() {
    let x = Rosenbrock.point();
    let report = check::taylor_of_tape(&Rosenbrock, &x).unwrap();
    assert_eq!(report.directions_tried, 1);
    let text = report.to_string();
    assert!(!text.contains("earlier"), "{text}");
}

#[test]
fn one_disagreeing_entry_is_one_entry() {
    let x = Rosenbrock.point();
    let mut wrong = Rosenbrock.right(&x);
    wrong[0] += 1.0;
    let text = check::yours_vs_tape(&Rosenbrock, &x, &wrong)
        .unwrap()
        .to_string();
    assert!(!text.contains("1 entries"), "{text}");
    assert!(text.contains("1 disagree"), "{text}");
}

#[test]
fn no_report_line_runs_past_160_characters() {
    let x = Rosenbrock.point();
    let g = Rosenbrock.right(&x);
    let texts = [
        check::tape_vs_differences(&Rosenbrock, &x)
            .unwrap()
            .to_string(),
        check::yours_vs_differences(&Rosenbrock, &x, &g)
            .unwrap()
            .to_string(),
        check::yours_vs_tape(&Rosenbrock, &x, &g)
            .unwrap()
            .to_string(),
        check::forward_vs_reverse(&Rosenbrock, &x)
            .unwrap()
            .to_string(),
        check::taylor_of_yours(&Rosenbrock, &x, &g)
            .unwrap()
            .to_string(),
    ];
    for text in texts {
        for line in text.lines() {
            assert!(
                line.chars().count() <= 160,
                "{} characters:\n{line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn every_check_of_a_gradient_you_give_calls_it_your_gradient() {
    let x = Rosenbrock.point();
    let g = Rosenbrock.right(&x);
    let texts = [
        check::yours_vs_differences(&Rosenbrock, &x, &g)
            .unwrap()
            .to_string(),
        check::yours_vs_differences_of(
            |p: &[f64]| gradproof::dual::Function::eval(&Rosenbrock, p),
            &x,
            &g,
        )
        .unwrap()
        .to_string(),
        check::yours_vs_tape(&Rosenbrock, &x, &g)
            .unwrap()
            .to_string(),
        check::taylor_of_yours(&Rosenbrock, &x, &g)
            .unwrap()
            .to_string(),
    ];
    for text in texts {
        assert!(
            text.lines().next().unwrap().contains("your gradient"),
            "{text}"
        );
    }
}

#[test]
fn the_first_line_of_a_report_states_its_verdict() {
    let x = NanValue.point();
    let nan = check::yours_vs_tape(&NanValue, &x, &NanValue.right(&x)).unwrap();
    assert_eq!(nan.verdict(), Verdict::NotFinite);
    assert!(
        nan.to_string()
            .lines()
            .next()
            .unwrap()
            .ends_with("NOT FINITE"),
        "{nan}"
    );
    let x = ReluAtZero.point();
    let kink = check::taylor_of_yours(&ReluAtZero, &x, &ReluAtZero.right(&x)).unwrap();
    assert_eq!(kink.verdict(), Verdict::Kink { between: true });
    assert!(
        kink.to_string().lines().next().unwrap().contains("KINK"),
        "{kink}"
    );
}

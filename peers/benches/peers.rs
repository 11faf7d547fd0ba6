//! gradproof's scalar path beside easy-ml's reverse-mode tape, on the same network.
//!
//! `cargo bench -p gradproof-peers` records the sigmoid network's ½(y − ŷ)² loss op by
//! op on each tape (the weights leaves, the input and target constants, one sample) and
//! sweeps it once for the whole gradient, at 64-32-10 and 256-128-10, f64. gradproof
//! records [`scalar_network::scalar_loss`], the very workload `benches/tape.rs` times;
//! easy-ml records the same expression in the same order with its `Record`s on a
//! `WengertList` ([`easy_ml_loss`]). Before anything is timed, both gradients must agree
//! with each other and with the closed form (`Mlp::backprop`) to 1e-10.
//!
//! Per node means per node of gradproof's tape for the workload (`Tape::len` after
//! recording: leaves, and one node per `*`, `+`, `-`, sigmoid); easy-ml's list holds
//! the same count (checked: its loss's index + 1), so the two divide by one number.
//!
//! Criterion times each tape's record + sweep, then the two take turns outside
//! criterion ([`support::alternate`]) for a ratio a change of the machine's speed
//! between two benchmarks cannot skew. Times are the thread's CPU time.
//!
//! With `PEERS_RUN=gradproof:N` (or `easy_ml:N`) the binary computes `N` gradients on
//! one tape and stops: for counting instructions under callgrind (docs/performance.md).

#[path = "../../benches/support"]
mod support {
    pub mod alternate;
    pub mod cpu_time;
}
#[path = "../../tests/scalar_network/mod.rs"]
mod scalar_network;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use easy_ml::differentiation::{Record, WengertList};
use gradproof::nn::mlp::{Mlp, Shape, SplitMix64, Workspace};
use gradproof::prelude::*;
use support::alternate;
use support::cpu_time::CpuTime;

type Criterion = criterion::Criterion<CpuTime>;

const SIZES: [[usize; 3]; 2] = [[64, 32, 10], [256, 128, 10]];

/// A seeded network, input and target of one size (as `benches/tape.rs` draws them).
struct Case {
    net: Mlp<f64>,
    x: Vec<f64>,
    y: Vec<f64>,
}

fn case(sizes: &[usize]) -> Case {
    let net = Mlp::seeded(Shape::new(sizes).expect("a valid shape"), 2024);
    let mut rng = SplitMix64::new(7);
    let mut draw = |n: usize| -> Vec<f64> { (0..n).map(|_| rng.next_symmetric(1.0)).collect() };
    let x = draw(sizes[0]);
    let y = draw(sizes[sizes.len() - 1])
        .into_iter()
        .map(|v| (v + 1.0) / 2.0)
        .collect();
    Case { net, x, y }
}

/// The logistic function.
fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// [`scalar_network::scalar_loss`] on easy-ml's tape: the same ops in the same order.
/// The sigmoid is one node (easy-ml's `unary`, value and derivative given), as it is
/// one node on gradproof's tape.
fn easy_ml_loss<'l>(
    shape: &Shape,
    params: &[Record<'l, f64>],
    x: &[f64],
    y: &[f64],
) -> Record<'l, f64> {
    let mut a: Vec<Record<'l, f64>> = x.iter().map(|&v| Record::constant(v)).collect();
    for layer in 0..shape.layers() {
        let w = &params[shape.weight_range(layer)];
        a = w
            .chunks_exact(a.len())
            .map(|row| {
                let mut z = row[0] * a[0];
                for k in 1..a.len() {
                    z = z + row[k] * a[k];
                }
                let s = z.unary(sigmoid, |z| {
                    let s = sigmoid(z);
                    s * (1.0 - s)
                });
                // `unary` ties its result to the borrow of `z`; the same record under
                // the list's own lifetime.
                Record::from_existing((s.number, s.index), z.history())
            })
            .collect();
    }
    let mut loss = Record::constant(0.0);
    for (&p, &t) in a.iter().zip(y) {
        let d = p - t;
        loss = loss + d * d;
    }
    loss * 0.5
}

/// Nodes gradproof's tape holds after recording the workload.
fn gradproof_nodes(case: &Case) -> usize {
    let tape = Tape::new();
    let params = tape.vars(case.net.params());
    scalar_network::scalar_loss(case.net.shape(), &params, &case.x, &case.y);
    tape.len()
}

/// Panics unless both tapes give the closed form's gradient to 1e-10, and easy-ml's
/// list holds as many nodes as gradproof's tape. Returns the node count.
fn check(case: &Case) -> usize {
    let mut workspace = Workspace::new();
    case.net.backprop(&case.x, &case.y, &mut workspace).unwrap();
    let closed = workspace.gradient().to_vec();
    let ours = {
        let tape = Tape::new();
        let params = tape.vars(case.net.params());
        let loss = scalar_network::scalar_loss(case.net.shape(), &params, &case.x, &case.y);
        tape.gradient(loss).wrt_all(&params)
    };
    let list = WengertList::new();
    let params: Vec<_> = case
        .net
        .params()
        .iter()
        .map(|&w| list.variable(w))
        .collect();
    let loss = easy_ml_loss(case.net.shape(), &params, &case.x, &case.y);
    let derivatives = loss.derivatives();
    let theirs: Vec<f64> = params.iter().map(|p| derivatives.at(p)).collect();
    assert_eq!(ours.len(), closed.len());
    assert_eq!(theirs.len(), closed.len());
    for (k, ((o, t), c)) in ours.iter().zip(&theirs).zip(&closed).enumerate() {
        assert!(
            (o - t).abs() <= 1e-10 && (o - c).abs() <= 1e-10,
            "gradient entry {k}: gradproof {o}, easy-ml {t}, closed form {c}"
        );
    }
    let nodes = gradproof_nodes(case);
    assert_eq!(
        loss.index + 1,
        nodes,
        "easy-ml recorded a different node count"
    );
    nodes
}

/// One gradient on gradproof's tape: clear, record, sweep into reused adjoints.
fn gradproof_gradient(case: &Case, tape: &mut Tape<f64>, adjoints: &mut Gradient<f64>) {
    tape.clear();
    let params = tape.vars(case.net.params());
    let loss = scalar_network::scalar_loss(case.net.shape(), &params, &case.x, &case.y);
    tape.gradient_into(loss, adjoints);
    black_box(adjoints.adjoints().len());
}

/// One gradient on easy-ml's tape: clear, record, sweep (`derivatives`, which
/// allocates its result: easy-ml has no sweep into a reused buffer).
fn easy_ml_gradient(case: &Case, list: &WengertList<f64>) {
    list.clear();
    let params: Vec<_> = case
        .net
        .params()
        .iter()
        .map(|&w| list.variable(w))
        .collect();
    let loss = easy_ml_loss(case.net.shape(), &params, &case.x, &case.y);
    black_box(loss.derivatives().at(&params[0]));
}

fn label(sizes: &[usize]) -> String {
    sizes
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join("x")
}

fn bench(c: &mut Criterion, sizes: &[usize]) {
    let case = case(sizes);
    check(&case);
    let mut group = c.benchmark_group(format!("peers_f64_{}", label(sizes)));
    let mut tape = Tape::new();
    let mut adjoints = Gradient::empty(&tape);
    group.bench_function("gradproof", |b| {
        b.iter(|| gradproof_gradient(&case, &mut tape, &mut adjoints))
    });
    let list = WengertList::new();
    group.bench_function("easy_ml", |b| b.iter(|| easy_ml_gradient(&case, &list)));
    group.finish();
}

/// The median of a finished benchmark, in nanoseconds, from criterion's estimates.
fn median(dir: &Path, group: &str, function: &str) -> Option<f64> {
    let path = dir.join(group).join(function).join("new/estimates.json");
    let json = std::fs::read_to_string(path).ok()?;
    let after = &json[json.find("\"median\"")?..];
    let value = &after[after.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = value.find([',', '}'])?;
    value[..end].trim().parse().ok()
}

const ROUNDS: usize = 101;
const BATCH_NS: u64 = 2_000_000;

fn report(dir: &Path) {
    println!("\n## Criterion medians (this run), record + sweep, f64\n");
    println!("| network | nodes | gradproof | ns/node | easy-ml | ns/node | easy-ml ÷ gradproof |");
    println!("|---|---|---|---|---|---|---|");
    for sizes in SIZES {
        let case = case(&sizes);
        let nodes = gradproof_nodes(&case) as f64;
        let group = format!("peers_f64_{}", label(&sizes));
        let (Some(ours), Some(theirs)) = (
            median(dir, &group, "gradproof"),
            median(dir, &group, "easy_ml"),
        ) else {
            continue;
        };
        println!(
            "| {} | {nodes} | {:.1} µs | {:.2} | {:.1} µs | {:.2} | {:.2}× |",
            sizes.map(|s| s.to_string()).join("-"),
            ours / 1e3,
            ours / nodes,
            theirs / 1e3,
            theirs / nodes,
            theirs / ours,
        );
    }
    println!("\n## In alternation: medians over {ROUNDS} rounds\n");
    println!("| network | gradproof ns/node | easy-ml ns/node | easy-ml ÷ gradproof | range of the per-round ratio |");
    println!("|---|---|---|---|---|");
    for sizes in SIZES {
        let case = case(&sizes);
        let nodes = check(&case) as f64;
        let mut tape = Tape::new();
        let mut adjoints = Gradient::empty(&tape);
        let list = WengertList::new();
        let rounds = alternate::alternate(
            &mut [
                &mut || gradproof_gradient(&case, &mut tape, &mut adjoints),
                &mut || easy_ml_gradient(&case, &list),
            ],
            ROUNDS,
            BATCH_NS,
        );
        let column = |k: usize| rounds.iter().map(|r| r[k] / nodes).collect::<Vec<_>>();
        let ratios: Vec<f64> = rounds.iter().map(|r| r[1] / r[0]).collect();
        let (low, high) = ratios
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(l, h), &r| (l.min(r), h.max(r)));
        println!(
            "| {} | {:.2} | {:.2} | {:.2}× | {low:.2}–{high:.2}× |",
            sizes.map(|s| s.to_string()).join("-"),
            alternate::median(column(0)),
            alternate::median(column(1)),
            alternate::median(ratios),
        );
    }
}

/// `PEERS_RUN=gradproof:N` or `PEERS_RUN=easy_ml:N`: `N` gradients of the 64-32-10
/// case on one tape and nothing else, so that an instruction count (callgrind) of two
/// values of `N` gives the instructions per gradient, free of setup and of the machine's
/// noise. Returns whether it ran.
fn run_only() -> bool {
    let Ok(spec) = std::env::var("PEERS_RUN") else {
        return false;
    };
    let (tape_name, count) = spec
        .split_once(':')
        .expect("PEERS_RUN=gradproof:N or easy_ml:N");
    let count: usize = count.parse().expect("a number of gradients");
    let case = case(&SIZES[0]);
    println!("{} nodes per gradient", check(&case));
    match tape_name {
        "gradproof" => {
            let mut tape = Tape::new();
            let mut adjoints = Gradient::empty(&tape);
            for _ in 0..count {
                gradproof_gradient(&case, &mut tape, &mut adjoints);
            }
        }
        "easy_ml" => {
            let list = WengertList::new();
            for _ in 0..count {
                easy_ml_gradient(&case, &list);
            }
        }
        other => panic!("PEERS_RUN names gradproof or easy_ml, not {other}"),
    }
    true
}

fn main() {
    if run_only() {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("criterion");
    let mut c = criterion::Criterion::default()
        .with_measurement(CpuTime)
        .output_directory(&dir)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for sizes in SIZES {
        bench(&mut c, &sizes);
    }
    c.final_summary();
    report(&dir);
}

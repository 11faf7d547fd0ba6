//! The tape against hand-written backprop, with the tables `docs/performance.md` quotes.
//!
//! `cargo bench --bench tape` runs every benchmark, then prints medians, ratios (all
//! from this one run) and bytes per node. For each network size and float type:
//!
//! - `closed_form`: [`Mlp::backprop`], the hand-written backward pass (the baseline);
//! - `network`: [`Mlp::tape_backprop`], recording with one block per layer
//!   ([`VarSlice::matvec`]) and sweeping into the workspace; `network_record` and
//!   `network_sweep` time its two halves apart (same recording, public API);
//! - `scalar`: the same network written op by op with plain `*` and `+` on [`Var`]s
//!   (what any user function records), record and sweep; `scalar_record` and
//!   `scalar_sweep` apart.
//!
//! Every gradient is checked against the closed form before anything is timed. Then
//! chains and wide sums of 10⁵, 10⁶ and 10⁷ nodes, for linear growth, and a network
//! with weights stored input-major ([`input_major`]). Last, outside
//! criterion, the closed form and both tape paths are timed in alternation
//! ([`support::alternate`]), for ratios that a change of the machine's speed between
//! two criterion benchmarks cannot skew.
//!
//! Times are the benchmark thread's CPU time ([`support::cpu_time`]), not wall time,
//! so that other processes on a shared machine count less.

mod support {
    pub mod alternate;
    pub mod cpu_time;
}
mod input_major;
#[path = "../tests/scalar_network/mod.rs"]
mod scalar_network;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::alternate::{alternate, median as median_of};
use support::cpu_time::CpuTime;

type Criterion = criterion::Criterion<CpuTime>;
use gradproof::nn::mlp::{Mlp, Shape, SplitMix64, Workspace};
use gradproof::prelude::*;
use gradproof::tape::VarSlice;

const SIZES: [[usize; 3]; 4] = [[3, 3, 3], [16, 16, 4], [64, 32, 10], [256, 128, 10]];

/// A float type under test, with the tolerance its gradients must meet.
trait Bench: Float + Scalar + std::fmt::Debug + 'static {
    const NAME: &'static str;
    /// Largest difference from the closed form, relative to the largest entry.
    const TOLERANCE: f64;
}

impl Bench for f64 {
    const NAME: &'static str = "f64";
    const TOLERANCE: f64 = 1e-12;
}

impl Bench for f32 {
    const NAME: &'static str = "f32";
    const TOLERANCE: f64 = 1e-4;
}

/// A seeded network, input and target of one size.
struct Case<T> {
    net: Mlp<T>,
    x: Vec<T>,
    y: Vec<T>,
}

fn case<T: Bench>(sizes: &[usize]) -> Case<T> {
    let net = Mlp::seeded(Shape::new(sizes).expect("a valid shape"), 2024);
    let mut rng = SplitMix64::new(7);
    let mut draw = |n: usize| -> Vec<T> {
        (0..n)
            .map(|_| T::from(rng.next_symmetric(1.0)).unwrap())
            .collect()
    };
    let x = draw(sizes[0]);
    let y = draw(sizes[sizes.len() - 1])
        .into_iter()
        .map(|v| (v + T::one()) / T::from(2.0).unwrap())
        .collect();
    Case { net, x, y }
}

/// [`scalar_network::scalar_loss`] for a case.
fn scalar_loss<'t, T: Bench>(case: &Case<T>, params: &[Var<'t, T>]) -> Var<'t, T> {
    scalar_network::scalar_loss(case.net.shape(), params, &case.x, &case.y)
}

/// The network path by the public API, as `Mlp::tape_backprop` records it.
fn network_loss<'t, T: Bench>(
    case: &Case<T>,
    params: VarSlice<'t, '_, T>,
    scratch: &mut [T],
) -> Var<'t, T> {
    let shape = case.net.shape();
    let mut free = scratch;
    let mut take = |n: usize| {
        let (taken, rest) = std::mem::take(&mut free).split_at_mut(n);
        free = rest;
        taken
    };
    let mut a = VarSlice::constant(&case.x);
    for layer in 0..shape.layers() {
        let z = params
            .slice(shape.weight_range(layer))
            .matvec(a, take(shape.sizes()[layer + 1]));
        a = z.map(take(z.len()), Scalar::sigmoid);
    }
    let diff = VarSlice::constant(&case.y).zip_map(a, take(a.len()), |t, p| t - p);
    diff.dot(diff) * T::from(0.5).unwrap()
}

/// Panics unless `got` is the closed form's gradient to the type's tolerance.
fn assert_close<T: Bench>(what: &str, got: &[T], closed: &[T]) {
    assert_eq!(got.len(), closed.len(), "{what}: wrong length");
    let scale = closed
        .iter()
        .fold(0.0f64, |m, c| m.max(c.to_f64().unwrap().abs()));
    for (k, (g, c)) in got.iter().zip(closed).enumerate() {
        let diff = (g.to_f64().unwrap() - c.to_f64().unwrap()).abs();
        assert!(
            diff <= T::TOLERANCE * scale,
            "{what}: gradient entry {k} is {g:?}, the closed form says {c:?}"
        );
    }
}

/// Panics unless every tape path gives the closed form's loss and gradient: run before
/// anything is timed.
fn check_paths<T: Bench>(case: &Case<T>) {
    let mut workspace = Workspace::new();
    let closed_loss = case.net.backprop(&case.x, &case.y, &mut workspace).unwrap();
    let closed = workspace.gradient().to_vec();
    let mut tape_workspace = Workspace::new();
    let loss = case
        .net
        .tape_backprop(&mut Tape::new(), &case.x, &case.y, &mut tape_workspace)
        .unwrap();
    assert!((loss - closed_loss).abs() <= T::epsilon() * T::from(64).unwrap() * closed_loss);
    assert_close("network path", tape_workspace.gradient(), &closed);
    let scalar = {
        let tape = Tape::new();
        let params = tape.vars(case.net.params());
        let loss = scalar_loss(case, &params);
        tape.gradient(loss).wrt_all(&params)
    };
    assert_close("scalar path", &scalar, &closed);
    let sizes = case.net.shape().sizes();
    let mut scratch = vec![T::zero(); 2 * sizes.iter().sum::<usize>()];
    let by_slices = {
        let tape = Tape::new();
        let params = tape.var_slice(case.net.params());
        let loss = network_loss(case, params, &mut scratch);
        tape.gradient(loss).wrt_slice(&params).collect::<Vec<_>>()
    };
    assert_close("network path by VarSlice", &by_slices, &closed);
}

fn bench_network<T: Bench>(c: &mut Criterion, sizes: &[usize]) {
    let case = case::<T>(sizes);
    let label = sizes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("x");
    check_paths(&case);
    let mut group = c.benchmark_group(format!("mlp_{}_{label}", T::NAME));
    let mut workspace = Workspace::new();
    let mut tape = Tape::new();
    let mut tape_workspace = Workspace::new();
    let mut scratch = vec![T::zero(); 2 * sizes.iter().sum::<usize>()];

    group.bench_function("closed_form", |b| {
        b.iter(|| black_box(case.net.backprop(&case.x, &case.y, &mut workspace).unwrap()))
    });
    group.bench_function("network", |b| {
        b.iter(|| {
            black_box(
                case.net
                    .tape_backprop(&mut tape, &case.x, &case.y, &mut tape_workspace)
                    .unwrap(),
            )
        })
    });
    group.bench_function("network_record", |b| {
        b.iter(|| {
            tape.clear();
            let params = tape.var_slice(case.net.params());
            black_box(network_loss(&case, params, &mut scratch).value())
        })
    });
    {
        tape.clear();
        let params = tape.var_slice(case.net.params());
        let loss = network_loss(&case, params, &mut scratch);
        let mut adjoints = Gradient::empty(&tape);
        group.bench_function("network_sweep", |b| {
            b.iter(|| {
                tape.gradient_into(loss, &mut adjoints);
                black_box(adjoints.adjoints().len())
            })
        });
    }
    group.bench_function("scalar", |b| {
        let mut adjoints = Gradient::empty(&tape);
        b.iter(|| {
            tape.clear();
            let params = tape.vars(case.net.params());
            let loss = scalar_loss(&case, &params);
            tape.gradient_into(loss, &mut adjoints);
            black_box(adjoints.adjoints().len())
        })
    });
    group.bench_function("scalar_record", |b| {
        b.iter(|| {
            tape.clear();
            let params = tape.vars(case.net.params());
            black_box(scalar_loss(&case, &params).value())
        })
    });
    tape.clear();
    let params = tape.vars(case.net.params());
    let loss = scalar_loss(&case, &params);
    let mut adjoints = Gradient::empty(&tape);
    group.bench_function("scalar_sweep", |b| {
        b.iter(|| {
            tape.gradient_into(loss, &mut adjoints);
            black_box(adjoints.adjoints().len())
        })
    });
    group.finish();
}

/// Record and sweep a chain `y ← y·c` and a wide sum `Σ xᵢ` (one node, n edges) of `n`
/// nodes, on a tape reused between iterations.
fn bench_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_f64");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    for n in [100_000, 1_000_000, 10_000_000] {
        let mut tape = Tape::with_capacity(n + 1, n);
        let mut adjoints = Gradient::empty(&tape);
        group.bench_function(format!("chain_{n}"), |b| {
            b.iter(|| {
                tape.clear();
                let x = tape.var(1.0f64);
                let mut y = x;
                for _ in 0..n {
                    y *= 0.999_999_9;
                }
                tape.gradient_into(y, &mut adjoints);
                black_box(adjoints.wrt(x))
            })
        });
        let values: Vec<f64> = (0..n).map(|i| i as f64).collect();
        group.bench_function(format!("sum_{n}"), |b| {
            b.iter(|| {
                tape.clear();
                let xs = tape.var_slice(&values);
                let s = xs.sum();
                tape.gradient_into(s, &mut adjoints);
                black_box(adjoints.adjoints().len())
            })
        });
    }
    group.finish();
}

/// Rounds of alternation per network and type; a round times each path for about
/// `BATCH_NS` of CPU time.
const ROUNDS: usize = 101;
const BATCH_NS: u64 = 2_000_000;

/// The closed form, the network path and the scalar path of one case timed in
/// alternation ([`support::alternate`]): per round, the time per gradient of each.
fn alternated<T: Bench>(sizes: &[usize]) -> Vec<[f64; 3]> {
    let case = case::<T>(sizes);
    check_paths(&case);
    let mut workspace = Workspace::new();
    let mut closed_form = || {
        black_box(case.net.backprop(&case.x, &case.y, &mut workspace).unwrap());
    };
    let (mut tape, mut tape_workspace) = (Tape::new(), Workspace::new());
    let mut network = || {
        let loss = case
            .net
            .tape_backprop(&mut tape, &case.x, &case.y, &mut tape_workspace);
        black_box(loss.unwrap());
    };
    let mut scalar_tape = Tape::new();
    let mut adjoints = Gradient::empty(&scalar_tape);
    let mut scalar = || {
        scalar_tape.clear();
        let params = scalar_tape.vars(case.net.params());
        let loss = scalar_loss(&case, &params);
        scalar_tape.gradient_into(loss, &mut adjoints);
        black_box(adjoints.adjoints().len());
    };
    alternate(
        &mut [&mut closed_form, &mut network, &mut scalar],
        ROUNDS,
        BATCH_NS,
    )
}

/// The table of [`alternated`] runs: ratios per round, then their medians.
fn report_alternated() {
    println!(
        "\n## In alternation: medians over {ROUNDS} rounds of the per-round ratios and times\n"
    );
    println!(
        "| type | network | network path ÷ closed form | scalar path ÷ closed form | scalar ns/node | scalar ns/node, fastest round |"
    );
    println!("|---|---|---|---|---|---|");
    fn rows<T: Bench>() {
        for sizes in SIZES {
            let rounds = alternated::<T>(&sizes);
            let nodes = scalar_nodes(&sizes) as f64;
            let column = |f: &dyn Fn(&[f64; 3]) -> f64| rounds.iter().map(f).collect::<Vec<_>>();
            let per_node = column(&|r| r[2] / nodes);
            println!(
                "| {} | {} | {:.2}× | {:.1}× | {:.2} | {:.2} |",
                T::NAME,
                sizes.map(|s| s.to_string()).join("-"),
                median_of(column(&|r| r[1] / r[0])),
                median_of(column(&|r| r[2] / r[0])),
                median_of(per_node.clone()),
                per_node.iter().copied().fold(f64::INFINITY, f64::min),
            );
        }
    }
    rows::<f64>();
    rows::<f32>();
}

/// Recorded bytes per node with the adjoint, for the scalar and network paths.
fn bytes_per_node<T: Bench>(sizes: &[usize]) -> (f64, f64) {
    let case = case::<T>(sizes);
    let per_node = |tape: &Tape<T>| {
        (tape.recorded_bytes() + tape.len() * std::mem::size_of::<T>()) as f64 / tape.len() as f64
    };
    let tape = Tape::new();
    let params = tape.vars(case.net.params());
    scalar_loss(&case, &params);
    let scalar = per_node(&tape);
    let tape = Tape::new();
    let mut scratch = vec![T::zero(); 2 * sizes.iter().sum::<usize>()];
    network_loss(&case, tape.var_slice(case.net.params()), &mut scratch);
    (scalar, per_node(&tape))
}

/// Nodes the scalar path records for a network of `sizes`.
fn scalar_nodes(sizes: &[usize]) -> usize {
    let case = case::<f64>(sizes);
    let tape = Tape::new();
    let params = tape.vars(case.net.params());
    scalar_loss(&case, &params);
    tape.len()
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

fn report(dir: &Path) {
    let fmt = |ns: f64| {
        if ns >= 1e6 {
            format!("{:.2} ms", ns / 1e6)
        } else if ns >= 1e3 {
            format!("{:.1} µs", ns / 1e3)
        } else {
            format!("{ns:.0} ns")
        }
    };
    println!("\n## Medians (this run), ratios to the closed form of the same run\n");
    println!(
        "| type | network | closed form | tape, network path | ratio | tape, scalar path | ratio | ns/node (scalar) | network: sweep/record | scalar: sweep/record |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for name in ["f64", "f32"] {
        for sizes in SIZES {
            let label = sizes.map(|s| s.to_string()).join("x");
            let group = format!("mlp_{name}_{label}");
            let get = |f: &str| median(dir, &group, f);
            let (Some(closed), Some(network), Some(scalar)) =
                (get("closed_form"), get("network"), get("scalar"))
            else {
                continue;
            };
            let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => format!("{:.2}", a / b),
                _ => "–".into(),
            };
            println!(
                "| {name} | {} | {} | {} | {:.2}× | {} | {:.1}× | {:.2} | {} | {} |",
                sizes.map(|s| s.to_string()).join("-"),
                fmt(closed),
                fmt(network),
                network / closed,
                fmt(scalar),
                scalar / closed,
                scalar / scalar_nodes(&sizes) as f64,
                ratio(get("network_sweep"), get("network_record")),
                ratio(get("scalar_sweep"), get("scalar_record")),
            );
        }
    }
    println!("\n## Chains and wide sums (f64, record + sweep)\n");
    println!("| n | chain | ns/node | wide sum | ns/node |");
    println!("|---|---|---|---|---|");
    for n in [100_000usize, 1_000_000, 10_000_000] {
        let chain = median(dir, "scale_f64", &format!("chain_{n}"));
        let sum = median(dir, "scale_f64", &format!("sum_{n}"));
        if let (Some(chain), Some(sum)) = (chain, sum) {
            println!(
                "| {n} | {} | {:.2} | {} | {:.2} |",
                fmt(chain),
                chain / (n + 1) as f64,
                fmt(sum),
                sum / (n + 1) as f64
            );
        }
    }
    println!("\n## Weights stored input-major, f64 256-128-10\n");
    println!("| path | median | ÷ closed form |");
    println!("|---|---|---|");
    let group = "input_major_f64_256x128x10";
    if let Some(closed) = median(dir, group, "closed_form") {
        for path in [
            "closed_form",
            "transposed_product",
            "row_major_matvec",
            "transpose_per_gradient",
        ] {
            if let Some(t) = median(dir, group, path) {
                println!("| {path} | {} | {:.2}× |", fmt(t), t / closed);
            }
        }
    }
    let group = "gradient_copy_f64_256x128x10";
    if let (Some(copy), Some(collect)) = (
        median(dir, group, "copy_wrt_slice"),
        median(dir, group, "wrt_slice_collect"),
    ) {
        println!(
            "\nThe gradient of 34,048 weights: copy_wrt_slice {}, wrt_slice().collect() {} \
             ({:.1}×)",
            fmt(copy),
            fmt(collect),
            collect / copy
        );
    }
    println!("\n## Bytes per recorded node, adjoint included\n");
    println!(
        "| network | f64 scalar path | f64 network path | f32 scalar path | f32 network path |"
    );
    println!("|---|---|---|---|---|");
    for sizes in SIZES {
        let (s64, n64) = bytes_per_node::<f64>(&sizes);
        let (s32, n32) = bytes_per_node::<f32>(&sizes);
        println!(
            "| {} | {s64:.1} | {n64:.1} | {s32:.1} | {n32:.1} |",
            sizes.map(|s| s.to_string()).join("-")
        );
    }
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("criterion");
    let mut c = criterion::Criterion::default()
        .with_measurement(CpuTime)
        .output_directory(&dir)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    for sizes in SIZES {
        bench_network::<f64>(&mut c, &sizes);
        bench_network::<f32>(&mut c, &sizes);
    }
    bench_scale(&mut c);
    input_major::bench(&mut c);
    c.final_summary();
    report(&dir);
    // The alternated table times every network again (about 15 s): only for a full
    // run, not when a filter picks some benchmarks (a plain argument is a filter; an
    // option's value, as in `--save-baseline NAME`, skips the table too).
    let filtered = std::env::args().skip(1).any(|a| !a.starts_with('-'));
    if !filtered {
        report_alternated();
    }
}

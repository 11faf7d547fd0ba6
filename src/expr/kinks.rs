//! Points on both sides of every breakpoint: where a claim's piecewise functions
//! (`relu`, `abs`, `step`, `sign`) change branch.
//!
//! Random points near the file's values and in [−3, 3] never reach a kink far from
//! them: `relu(w − 10) = 0` holds at every such point and is false for `w > 10`. So for
//! each piecewise function's argument `u`, and each leaf `x` it depends on, `u` is
//! scanned along `x` (the other leaves at the file's values) over the file's value and
//! a log-spread grid `±10^(k/4)`, `k = −12 … 24` (10⁻³ to 10⁶), every sign change is
//! located by bisection, and the claim is tested just before and just after it (at a
//! relative distance of 10⁻⁶) and a little further out (a quarter of the root's size,
//! or of 1). An argument linear in `x` changes sign once, and the scan finds that root
//! exactly; a non-linear one (`step(w² − 100)`, `sign(eʷ − 10⁴)`) is found wherever
//! the grid brackets it.
//!
//! The work is capped ([`MAX_KINKS`], [`MAX_ROOTS`]): a claim with hundreds of kinks
//! (a deep relu network) has the first ones' breakpoints tested.

use super::dag::{Cone, Dag, ExprId, Node};
use super::error_model::Evaluator;
use super::func::Func;

/// The most piecewise-function nodes scanned per claim.
pub(crate) const MAX_KINKS: usize = 12;
/// The most leaves scanned per piecewise function.
const MAX_LEAVES: usize = 4;
/// The most breakpoints located per claim (each gives four points).
pub(crate) const MAX_ROOTS: usize = 16;

/// Test points around the breakpoints of the piecewise functions among `cone` (the
/// nodes a claim depends on). `used` lists the leaves the claim depends on (index and
/// node); `point` holds every leaf's file value, and is left so. Each test point
/// differs from the file's values in one leaf: it is returned as `(leaf, value)`, so
/// the work is the claim's size, not the program's.
pub(crate) fn breakpoint_points(
    dag: &Dag,
    cone: &Cone,
    used: &[(usize, ExprId)],
    point: &mut [f64],
) -> Vec<(usize, f64)> {
    let arguments: Vec<ExprId> = cone
        .ids()
        .iter()
        .filter_map(|&id| match dag.node(id) {
            Node::Call(Func::Relu | Func::Abs | Func::Step | Func::Sign, u)
                if dag.constant(u).is_none() =>
            {
                Some(u)
            }
            _ => None,
        })
        .take(MAX_KINKS)
        .collect();
    let mut points = Vec::new();
    let mut roots = 0;
    for u in arguments {
        let scope = dag.cone(&[u]);
        let mut evaluator = Evaluator::new(&scope);
        let depends: Vec<usize> = used
            .iter()
            .filter(|&&(_, node)| scope.contains(node))
            .map(|&(i, _)| i)
            .take(MAX_LEAVES)
            .collect();
        for leaf in depends {
            let file = point[leaf];
            let mut at = |x: f64| {
                point[leaf] = x;
                evaluator.evaluate(dag, point);
                evaluator.get(u).0
            };
            let found = sign_changes(&mut at, file);
            point[leaf] = file;
            for root in found {
                if roots == MAX_ROOTS {
                    return points;
                }
                roots += 1;
                let near = 1e-6 * root.abs().max(1.0);
                let far = 0.25 * root.abs().max(1.0);
                for x in [root - near, root + near, root - far, root + far] {
                    points.push((leaf, x));
                }
            }
        }
    }
    points
}

/// Where `u` changes sign along the grid (the file's value `x0`, 0 and
/// `±10^(k/4)`), each located by bisection.
fn sign_changes(u: &mut impl FnMut(f64) -> f64, x0: f64) -> Vec<f64> {
    let mut grid: Vec<f64> = (-12..=24)
        .map(|k| 10f64.powf(f64::from(k) / 4.0))
        .flat_map(|m| [m, -m])
        .chain([0.0, x0])
        .collect();
    grid.sort_by(f64::total_cmp);
    grid.dedup();
    let values: Vec<f64> = grid.iter().map(|&x| u(x)).collect();
    let mut roots = Vec::new();
    for i in 0..grid.len() {
        if values[i] == 0.0 {
            roots.push(grid[i]);
        }
        if i + 1 < grid.len() {
            let (a, b) = (values[i], values[i + 1]);
            if a.is_finite() && b.is_finite() && a * b < 0.0 {
                roots.push(bisect(u, grid[i], grid[i + 1], a < 0.0));
            }
        }
        if roots.len() >= MAX_ROOTS {
            break;
        }
    }
    roots
}

/// A point of [lo, hi] where `u` changes sign (`rising`: negative at `lo`).
fn bisect(u: &mut impl FnMut(f64) -> f64, mut lo: f64, mut hi: f64, rising: bool) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let v = u(mid);
        if v == 0.0 {
            return mid;
        }
        if (v < 0.0) == rising {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_argument_changes_sign_once_at_its_root() {
        let roots = sign_changes(&mut |x| x - 10.0, 0.5);
        assert_eq!(roots.len(), 1);
        assert!((roots[0] - 10.0).abs() < 1e-12, "{roots:?}");
    }

    #[test]
    fn a_quadratic_argument_has_both_roots_found() {
        let roots = sign_changes(&mut |x| x * x - 100.0, 0.5);
        assert_eq!(roots.len(), 2);
        assert!(
            roots.iter().all(|r| (r.abs() - 10.0).abs() < 1e-9),
            "{roots:?}"
        );
    }
}

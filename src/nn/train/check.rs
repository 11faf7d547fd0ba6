//! The gradient check run during training: the gradient the steps follow, compared on
//! every coordinate with the tape's and on a few with central differences, each with a
//! tolerance from an error model; relu kinks reported, never compared.

use crate::check::{central_difference, central_step};
use crate::nn::mlp::{KinkSite, Mlp, MlpError, Parameter};

/// What a closed-form entry was compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Reference {
    /// The tape's gradient of the same loss; tolerance `4·e_g` from
    /// [`Mlp::batch_rounding_bounds`].
    Tape,
    /// A central difference `D(h)` of the loss; tolerance `4·|D(h) − D(2h)|/3` (a
    /// Richardson estimate of its `O(h²)` truncation error, four times over) plus
    /// `2·e_loss/h` (the loss's rounding, divided by the step) plus `4·e_g`.
    CentralDifference,
}

/// One gradient entry compared with a reference value.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Comparison {
    /// The flat index of the parameter.
    pub coordinate: usize,
    /// The parameter it is.
    pub parameter: Parameter,
    /// What it was compared with.
    pub reference: Reference,
    /// The entry of the gradient under test.
    pub closed_form: f64,
    /// The reference's value.
    pub value: f64,
    /// How far apart the two may be.
    pub tolerance: f64,
}

impl Comparison {
    /// `|closed_form − value|`.
    pub fn distance(&self) -> f64 {
        (self.closed_form - self.value).abs()
    }

    /// Whether the two agree within the tolerance (never, when either is NaN).
    pub fn holds(&self) -> bool {
        self.distance() <= self.tolerance
    }

    /// `distance / tolerance`: at most 1 when it holds; how close to failing it came.
    /// Infinite when either value is NaN.
    pub fn ratio(&self) -> f64 {
        if self.distance().is_nan() {
            f64::INFINITY
        } else if self.tolerance > 0.0 {
            self.distance() / self.tolerance
        } else if self.distance() == 0.0 {
            0.0
        } else {
            f64::INFINITY
        }
    }
}

/// The result of one gradient check.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GradientCheck {
    /// The batch's mean loss.
    pub loss: f64,
    /// How many coordinates the tape comparison covered (all, or 0 when kinks made it
    /// meaningless).
    pub tape_compared: usize,
    /// The tape comparison's closest call (largest [`Comparison::ratio`]).
    pub tape_worst: Option<Comparison>,
    /// Every central-difference comparison made.
    pub spots: Vec<Comparison>,
    /// relu units within rounding of their kink: where they are, the tape comparison is
    /// skipped (the two paths may legitimately take different one-sided derivatives).
    pub kinks: Vec<KinkSite>,
    /// Coordinates chosen for a central difference whose steps cross a relu kink, where
    /// a difference measures no derivative: skipped.
    pub kinked_spots: Vec<usize>,
    /// Every comparison that does not hold, the worst (largest ratio) first.
    pub failures: Vec<Comparison>,
}

impl GradientCheck {
    /// Whether every comparison made holds.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// Whether a kink made a comparison impossible.
    pub fn hit_kinks(&self) -> bool {
        !self.kinks.is_empty() || !self.kinked_spots.is_empty()
    }
}

/// Checks `gradient`, claimed to be the gradient of `net`'s mean loss over `batch`,
/// against the tape on every coordinate and against central differences at
/// `coordinates`.
///
/// ```
/// use gradproof::nn::mlp::{Mlp, Shape};
/// use gradproof::nn::train::check_gradient;
///
/// let net = Mlp::<f64>::seeded(Shape::with_biases(&[2, 3, 2])?, 5);
/// let (x, y) = ([0.3, -0.8], [1.0, 0.0]);
/// let batch = [(&x[..], &y[..])];
/// let (_, mut gradient) = net.batch_gradient(batch)?;
/// assert!(check_gradient(&net, &batch, &gradient, &[0, 4, 12])?.passed());
///
/// gradient[4] *= 1.001; // a 0.1 % error in one weight's gradient
/// let check = check_gradient(&net, &batch, &gradient, &[])?;
/// assert_eq!(check.failures[0].coordinate, 4);
/// # Ok::<(), gradproof::nn::mlp::MlpError>(())
/// ```
///
/// # Errors
///
/// As [`Mlp::batch_gradient`]; `gradient` of the wrong length is
/// [`MlpError::WrongLength`].
///
/// # Panics
///
/// If a coordinate is out of range.
pub fn check_gradient(
    net: &Mlp<f64>,
    batch: &[(&[f64], &[f64])],
    gradient: &[f64],
    coordinates: &[usize],
) -> Result<GradientCheck, MlpError> {
    let shape = net.shape();
    if gradient.len() != shape.param_count() {
        return Err(MlpError::WrongLength {
            what: crate::nn::mlp::Part::Gradient,
            expected: shape.param_count(),
            found: gradient.len(),
        });
    }
    let bounds = net.batch_rounding_bounds(batch.iter().copied(), f64::EPSILON)?;
    let (loss, taped) = net.tape_batch_gradient(batch.iter().copied())?;
    let name = |k: usize| shape.parameter(k).expect("k is a coordinate of the shape");

    let mut failures = Vec::new();
    let mut tape_worst: Option<Comparison> = None;
    let tape_compared = if bounds.kinks.is_empty() {
        for (k, (&closed, &value)) in gradient.iter().zip(&taped).enumerate() {
            let c = Comparison {
                coordinate: k,
                parameter: name(k),
                reference: Reference::Tape,
                closed_form: closed,
                value,
                tolerance: 4.0 * bounds.gradient[k],
            };
            if !c.holds() {
                failures.push(c);
            }
            if tape_worst.is_none_or(|w| c.ratio() > w.ratio()) {
                tape_worst = Some(c);
            }
        }
        gradient.len()
    } else {
        0
    };

    let mean_loss = |p: &[f64]| {
        let total: f64 = batch
            .iter()
            .map(|&(x, y)| net.loss_at(p, x, y).unwrap_or(f64::NAN))
            .sum();
        total / batch.len() as f64
    };
    let mut spots = Vec::new();
    let mut kinked_spots = Vec::new();
    for &k in coordinates {
        let h = central_step(net.params()[k]);
        if crosses_kink(net, batch, k, 2.0 * h)? {
            kinked_spots.push(k);
            continue;
        }
        let d1 = central_difference(mean_loss, net.params(), k, h);
        let d2 = central_difference(mean_loss, net.params(), k, 2.0 * h);
        let tolerance =
            4.0 * (d1 - d2).abs() / 3.0 + 2.0 * bounds.loss / h + 4.0 * bounds.gradient[k];
        let c = Comparison {
            coordinate: k,
            parameter: name(k),
            reference: Reference::CentralDifference,
            closed_form: gradient[k],
            value: d1,
            tolerance,
        };
        if !c.holds() {
            failures.push(c);
        }
        spots.push(c);
    }
    failures.sort_by(|a, b| b.ratio().total_cmp(&a.ratio()));
    Ok(GradientCheck {
        loss,
        tape_compared,
        tape_worst,
        spots,
        kinks: bounds.kinks,
        kinked_spots,
        failures,
    })
}

/// Whether moving parameter `k` by up to `±reach` moves some relu unit's weighted sum
/// across (or onto) the kink, for some sample of the batch: then the loss is not smooth
/// on the difference's stencil.
fn crosses_kink(
    net: &Mlp<f64>,
    batch: &[(&[f64], &[f64])],
    k: usize,
    reach: f64,
) -> Result<bool, MlpError> {
    let shape = net.shape();
    let relu: Vec<usize> = (0..shape.layers())
        .filter(|&l| shape.activation(l).has_kinks())
        .collect();
    if relu.is_empty() {
        return Ok(false);
    }
    let sides = |delta: f64, x: &[f64]| -> Result<(Vec<bool>, bool), MlpError> {
        let mut p = net.params().to_vec();
        p[k] += delta;
        let z = net.net_inputs_at(&p, x)?;
        let at_kink = relu.iter().any(|&l| z[l].contains(&0.0));
        let side = relu
            .iter()
            .flat_map(|&l| z[l].iter().map(|&z| z > 0.0).collect::<Vec<_>>())
            .collect();
        Ok((side, at_kink))
    };
    for &(x, _) in batch {
        let (here, at_kink) = sides(0.0, x)?;
        if at_kink {
            return Ok(true);
        }
        // Both ends of the stencil and the half steps: a weighted sum is linear in one
        // weight below it only up to the activations in between, so look inside too.
        for delta in [-reach, -0.5 * reach, 0.5 * reach, reach] {
            if sides(delta, x)?.0 != here {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

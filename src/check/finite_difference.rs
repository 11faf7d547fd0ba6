//! Finite differences: derivatives from function values alone, the reference every
//! other derivative in the crate is checked against.

use num_traits::Float;

/// The step for a central difference at `x`: `ε^(1/3) · max(1, |x|)`.
///
/// A central difference has truncation error `h²·|f'''|/6` and rounding error about
/// `ε·|f|/h`; their sum is smallest near `h = ε^(1/3)` in units of the value's scale.
pub fn central_step<T: Float>(x: T) -> T {
    T::epsilon().cbrt() * x.abs().max(T::one())
}

/// `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h`: the central difference of `f` in coordinate `i`
/// with step `h`, exact for quadratics, with error `O(h²)`.
///
/// The step actually taken is `(x + h) − (x − h)` as rounded, not `2h`, so the
/// representation error of `x ± h` does not enter the quotient.
///
/// ```
/// use gradproof::check::central_difference;
///
/// let f = |x: &[f64]| x[0] * x[0] * x[1];
/// let d = central_difference(f, &[3.0, 2.0], 0, 1e-5);
/// assert!((d - 12.0).abs() < 1e-8);
/// ```
///
/// # Panics
///
/// If `i` is out of range for `x`.
pub fn central_difference<T: Float>(f: impl Fn(&[T]) -> T, x: &[T], i: usize, h: T) -> T {
    let mut point = x.to_vec();
    let plus = x[i] + h;
    let minus = x[i] - h;
    point[i] = plus;
    let f_plus = f(&point);
    point[i] = minus;
    let f_minus = f(&point);
    (f_plus - f_minus) / (plus - minus)
}

/// The central-difference gradient of `f` at `x`, each coordinate with its own
/// [`central_step`].
pub fn central_gradient<T: Float>(f: impl Fn(&[T]) -> T, x: &[T]) -> Vec<T> {
    (0..x.len())
        .map(|i| central_difference(&f, x, i, central_step(x[i])))
        .collect()
}

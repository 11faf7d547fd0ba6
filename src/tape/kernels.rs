//! The two loops dense products are made of, shared by the tape's matrix–vector product
//! and the closed-form backprop so that both round alike.

use num_traits::Float;

/// `Σ aₖ·bₖ` with four running sums, so the additions of neighbouring terms do not wait
/// on each other (and can share a vector register). Below four terms it is the plain
/// left-to-right sum of [`Scalar::dot`](crate::Scalar::dot); above, its rounding differs
/// from that sum's in the last bits.
#[inline]
pub(crate) fn dot<T: Float>(a: &[T], b: &[T]) -> T {
    let a4 = a.chunks_exact(4);
    let b4 = b.chunks_exact(4);
    let mut tail = T::zero();
    for (&x, &y) in a4.remainder().iter().zip(b4.remainder()) {
        tail = tail + x * y;
    }
    let mut lanes = [T::zero(); 4];
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            lanes[k] = lanes[k] + x[k] * y[k];
        }
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

/// `y ← y + a·x`, element by element (each `y` gets one rounded product added, in the
/// order a separate node per element would add it).
#[inline]
pub(crate) fn axpy<T: Float>(a: T, x: &[T], y: &mut [T]) {
    for (yk, &xk) in y.iter_mut().zip(x) {
        *yk = *yk + a * xk;
    }
}

//! The three matrix products of a dense layer, written into buffers the caller keeps:
//! a = h W^T + b (forward), dW = da^T h with db = column sums of da, and dh = da W
//! (backward). Layers with at most [`SMALL_LAYER`] weights use direct loops over the
//! column-major buffers, free of the setup cost of a general matrix product; larger layers
//! go through the portable product of [`gemm`](super::gemm) (each element one chain of
//! fused multiply-adds in increasing k), which blocks for the cache.
//!
//! The direct loops fix their order of summation and never fuse, so their results do not
//! depend on the vector width or the CPU: an axpy is element-wise, and `dot` and `sum`
//! keep `LANES` (16) partial sums, combined in a fixed tree.

use ndarray::{Array1, Array2};

use super::dispatch::vectorized_fn;
use super::gemm::gemm_into;
use super::layout::{col, col_mut, ensure};

/// Layers with at most this many weights use the direct loops.
pub const SMALL_LAYER: usize = 64;

/// Partial sums of [`dot`] and [`sum`]: enough independent additions in flight to
/// keep the adders busy, whatever the vector width.
const LANES: usize = 16;

/// Combine the partial sums pairwise, in a fixed tree.
#[inline(always)]
fn combine(mut acc: [f64; LANES]) -> f64 {
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for l in 0..width {
            acc[l] += acc[l + width];
        }
    }
    acc[0]
}

/// sum_i a_i b_i with [`LANES`] partial sums combined in a fixed order, so that the
/// result does not depend on the vector width.
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..LANES {
            acc[l] += x[l] * y[l];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    combine(acc) + tail
}

/// sum_i a_i with [`LANES`] partial sums, as [`dot`].
#[inline(always)]
fn sum(a: &[f64]) -> f64 {
    let mut acc = [0.0; LANES];
    let chunks = a.chunks_exact(LANES);
    let rest = chunks.remainder();
    for x in chunks {
        for l in 0..LANES {
            acc[l] += x[l];
        }
    }
    combine(acc) + rest.iter().fold(0.0, |s, x| s + x)
}

#[inline(always)]
fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += alpha * x;
    }
}

/// a = h W^T + b for a batch h (batch x n_in, column-major) into `a` (batch x n_out).
pub(crate) fn affine(h: &Array2<f64>, w: &Array2<f64>, b: &Array1<f64>, a: &mut Array2<f64>) {
    let (n_out, n_in) = w.dim();
    ensure(a, (h.nrows(), n_out));
    if n_out * n_in <= SMALL_LAYER && h.t().is_standard_layout() {
        affine_small(h, w, b, a);
    } else {
        gemm_into(h.view(), w.t(), a);
        for j in 0..n_out {
            let bj = b[j];
            col_mut(a, j).iter_mut().for_each(|v| *v += bj);
        }
    }
}

/// dW = da^T h (n_out x n_in, row-major) and db = column sums of da.
pub(crate) fn weight_grads(
    da: &Array2<f64>,
    h: &Array2<f64>,
    dw: &mut Array2<f64>,
    db: &mut Array1<f64>,
) {
    let (n_out, n_in) = (da.ncols(), h.ncols());
    if dw.dim() != (n_out, n_in) {
        *dw = Array2::zeros((n_out, n_in));
    }
    if db.len() != n_out {
        *db = Array1::zeros(n_out);
    }
    if n_out * n_in <= SMALL_LAYER && h.t().is_standard_layout() {
        weight_grads_small(da, h, dw);
    } else {
        gemm_into(da.t(), h.view(), dw);
    }
    column_sums(da, db);
}

/// dh = da W (batch x n_in, column-major): the gradient passed to the layer below.
pub(crate) fn back_prop(da: &Array2<f64>, w: &Array2<f64>, dh: &mut Array2<f64>) {
    let (n_out, n_in) = w.dim();
    ensure(dh, (da.nrows(), n_in));
    if n_out * n_in <= SMALL_LAYER {
        back_prop_small(da, w, dh);
    } else {
        gemm_into(da.view(), w.view(), dh);
    }
}

vectorized_fn!(
    /// [`affine`] for a small layer: a column of a per unit, b_j + sum_k W_jk h_k.
    fn affine_small(h: &Array2<f64>, w: &Array2<f64>, b: &Array1<f64>, a: &mut Array2<f64>) {
        for j in 0..w.nrows() {
            let aj = col_mut(a, j);
            aj.fill(b[j]);
            for k in 0..w.ncols() {
                axpy(w[[j, k]], col(h, k), aj);
            }
        }
    }
);

vectorized_fn!(
    /// dW of [`weight_grads`] for a small layer: one [`dot`] of two columns per weight.
    fn weight_grads_small(da: &Array2<f64>, h: &Array2<f64>, dw: &mut Array2<f64>) {
        for j in 0..da.ncols() {
            for k in 0..h.ncols() {
                dw[[j, k]] = dot(col(da, j), col(h, k));
            }
        }
    }
);

vectorized_fn!(
    /// db of [`weight_grads`]: the [`sum`] of each column.
    fn column_sums(da: &Array2<f64>, db: &mut Array1<f64>) {
        for j in 0..da.ncols() {
            db[j] = sum(col(da, j));
        }
    }
);

vectorized_fn!(
    /// [`back_prop`] for a small layer: a column of dh per input, sum_j W_jk da_j.
    fn back_prop_small(da: &Array2<f64>, w: &Array2<f64>, dh: &mut Array2<f64>) {
        for k in 0..w.ncols() {
            let dk = col_mut(dh, k);
            dk.fill(0.0);
            for j in 0..w.nrows() {
                axpy(w[[j, k]], col(da, j), dk);
            }
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::column_major;
    use crate::random::{Distribution, Normal};

    fn random(shape: (usize, usize), seed: u64) -> Array2<f64> {
        let mut g = crate::rng(seed);
        let law = Normal::new(0.0, 1.0).unwrap();
        column_major(&Array2::from_shape_simple_fn(shape, || law.sample(&mut g)))
    }

    /// Both paths (direct loops and the portable product) agree with ndarray's `dot` to within
    /// rounding: |error| <= n eps sum |terms| for a sum of n products.
    #[test]
    // ndarray's `dot` is the independent reference here, on purpose.
    #[allow(clippy::disallowed_methods)]
    fn products_match_ndarray_dot() {
        let eps = f64::EPSILON;
        for (batch, n_in, n_out) in [(7, 2, 2), (400, 2, 4), (33, 8, 8), (50, 30, 20)] {
            let h = random((batch, n_in), 1);
            let w = random((n_out, n_in), 2);
            let b = random((1, n_out), 3).row(0).to_owned();
            let da = random((batch, n_out), 4);
            let mut a = Array2::zeros((0, 0));
            affine(&h, &w, &b, &mut a);
            let want = h.dot(&w.t()) + &b;
            let bound = (h.mapv(f64::abs).dot(&w.t().mapv(f64::abs)) + b.mapv(f64::abs))
                * ((n_in + 1) as f64 * eps);
            assert!(
                a.iter()
                    .zip(&want)
                    .zip(&bound)
                    .all(|((x, y), e)| (x - y).abs() <= *e)
            );
            let (mut dw, mut db) = (Array2::zeros((0, 0)), Array1::zeros(0));
            weight_grads(&da, &h, &mut dw, &mut db);
            let want = da.t().dot(&h);
            let bound = da.t().mapv(f64::abs).dot(&h.mapv(f64::abs)) * (batch as f64 * eps);
            assert!(
                dw.iter()
                    .zip(&want)
                    .zip(&bound)
                    .all(|((x, y), e)| (x - y).abs() <= *e)
            );
            let want = da.sum_axis(ndarray::Axis(0));
            let bound = da.mapv(f64::abs).sum_axis(ndarray::Axis(0)) * (batch as f64 * eps);
            assert!(
                db.iter()
                    .zip(&want)
                    .zip(&bound)
                    .all(|((x, y), e)| (x - y).abs() <= *e)
            );
            let mut dh = Array2::zeros((0, 0));
            back_prop(&da, &w, &mut dh);
            let want = da.dot(&w);
            let bound = da.mapv(f64::abs).dot(&w.mapv(f64::abs)) * (n_out as f64 * eps);
            assert!(
                dh.iter()
                    .zip(&want)
                    .zip(&bound)
                    .all(|((x, y), e)| (x - y).abs() <= *e)
            );
        }
    }

    #[test]
    fn dot_and_sum_fix_their_order() {
        // Partial sums l = i mod 16, combined as a tree ((0+8)+(4+12))+... then the tail:
        // 1e16 and -1e16 meet first in the tree, after 1 has joined 1e16 and been lost.
        let mut a = vec![0.0; 17];
        a[0] = 1e16;
        a[8] = 1.0;
        a[4] = -1e16;
        a[16] = 2.0;
        assert_eq!(sum(&a), 2.0);
        assert_eq!(dot(&a, &[1.0; 17]), sum(&a));
        let left_to_right: f64 = a.iter().sum();
        assert_eq!(left_to_right, 3.0);
    }
}

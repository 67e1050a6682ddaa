//! Column-major batch buffers: each unit's values over the batch are contiguous, so every
//! element-wise step and every small product runs over long contiguous columns. The
//! buffers are kept by the caller and reused while their shape fits.

use ndarray::{Array2, ShapeBuilder};

/// Make `buf` a column-major array of `shape`, reusing its memory when it already is one.
pub(crate) fn ensure(buf: &mut Array2<f64>, shape: (usize, usize)) {
    if buf.dim() != shape || !buf.t().is_standard_layout() {
        *buf = Array2::zeros(shape.f());
    }
}

/// `dst = src` for two arrays of one shape, `dst` column-major: a straight copy when
/// `src` is column-major too.
pub(crate) fn copy(src: &Array2<f64>, dst: &mut Array2<f64>) {
    ensure(dst, src.dim());
    match (src.t().as_slice(), dst.as_slice_memory_order_mut()) {
        (Some(s), Some(d)) => d.copy_from_slice(s),
        _ => dst.assign(src),
    }
}

/// A column-major copy of `x`.
pub(crate) fn column_major(x: &Array2<f64>) -> Array2<f64> {
    let mut c = Array2::zeros(x.dim().f());
    c.assign(x);
    c
}

/// A column of a column-major array as a slice.
#[inline(always)]
pub(crate) fn col(x: &Array2<f64>, j: usize) -> &[f64] {
    x.column(j)
        .to_slice()
        .expect("kernel buffers are column-major")
}

/// A column of a column-major array as a mutable slice.
#[inline(always)]
pub(crate) fn col_mut(x: &mut Array2<f64>, j: usize) -> &mut [f64] {
    x.column_mut(j)
        .into_slice()
        .expect("kernel buffers are column-major")
}

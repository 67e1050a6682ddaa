//! Helpers shared by the zero chapter's claims tests (`claims.rs`, `rounding.rs`).

/// A rounding-level measurement stated as the power of ten it does not exceed, so that
/// the text says what is robust (its order) rather than the last bits of one platform's
/// summation order.
pub fn at_most(x: f64) -> String {
    assert!(x > 0.0 && x.is_finite(), "{x}");
    claims::power_of_ten(zero::initnet::math::log10(x).ceil() as i32)
}

/// The largest of `values` (−∞ for none).
pub fn max(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(f64::NEG_INFINITY, f64::max)
}

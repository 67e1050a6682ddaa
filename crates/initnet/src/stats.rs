//! Statistics behind the book's arguments: moments, histograms, saturation, dead units.

use ndarray::Array2;

use crate::activation::Activation;
use crate::network::{Gradients, Trace};

/// Mean and population standard deviation of some values ((NaN, NaN) for none).
pub fn mean_std<'a>(values: impl IntoIterator<Item = &'a f64>) -> (f64, f64) {
    // Welford's algorithm: one pass, no catastrophic cancellation.
    let (mut n, mut mean, mut m2) = (0.0, 0.0, 0.0);
    for &v in values {
        n += 1.0;
        let d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
    }
    if n == 0.0 {
        (f64::NAN, f64::NAN)
    } else {
        (mean, (m2 / n).sqrt())
    }
}

/// Counts of values in `bins` equal-width bins over [lo, hi]; values outside are clamped
/// into the first or last bin so that nothing is silently dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// The bins + 1 bin edges.
    pub edges: Vec<f64>,
    /// Count per bin.
    pub counts: Vec<usize>,
}

impl Histogram {
    /// Build a histogram; `bins` >= 1 and lo < hi, else all values fall in one bin [lo, hi].
    pub fn new<'a>(
        values: impl IntoIterator<Item = &'a f64>,
        bins: usize,
        lo: f64,
        hi: f64,
    ) -> Self {
        let bins = bins.max(1);
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0; bins];
        for &v in values {
            if v.is_nan() {
                continue;
            }
            let i = ((v - lo) / width).floor();
            let i = if i < 0.0 {
                0
            } else {
                (i as usize).min(bins - 1)
            };
            counts[i] += 1;
        }
        let edges = (0..=bins).map(|i| lo + width * i as f64).collect();
        Histogram { edges, counts }
    }
    /// Total count.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
    /// Bin centres.
    pub fn centres(&self) -> Vec<f64> {
        self.edges.windows(2).map(|e| 0.5 * (e[0] + e[1])).collect()
    }
}

/// The fraction of activations that sit on a flat part of their activation function:
/// for tanh |h| > threshold; for the logistic sigmoid h < 1 - threshold or h > threshold.
/// ReLU, leaky ReLU and identity do not saturate: 0. The book's threshold is the theory
/// crate's `SATURATION_THRESHOLD`.
pub fn saturated_fraction(activation: Activation, h: &Array2<f64>, threshold: f64) -> f64 {
    let saturated = |v: f64| match activation {
        Activation::Tanh => v.abs() > threshold,
        Activation::Sigmoid => v > threshold || v < 1.0 - threshold,
        _ => false,
    };
    fraction(h, saturated)
}

/// The fraction of units (columns) whose pre-activation is <= 0 for every sample (row):
/// a ReLU unit that is dead on this batch passes no gradient to its weights.
pub fn dead_fraction(a: &Array2<f64>) -> f64 {
    if a.ncols() == 0 {
        return 0.0;
    }
    let dead = a
        .columns()
        .into_iter()
        .filter(|col| col.iter().all(|&v| v <= 0.0))
        .count();
    dead as f64 / a.ncols() as f64
}

/// The fraction of entries that are exactly zero.
pub fn zero_fraction(h: &Array2<f64>) -> f64 {
    fraction(h, |v| v == 0.0)
}

fn fraction(x: &Array2<f64>, pred: impl Fn(f64) -> bool) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().filter(|&&v| pred(v)).count() as f64 / x.len() as f64
    }
}

/// The statistics of one layer for one batch.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerStats {
    /// Layer number l (1-based).
    pub layer: usize,
    /// Mean of a^l.
    pub pre_mean: f64,
    /// Standard deviation of a^l.
    pub pre_std: f64,
    /// Mean of h^l.
    pub act_mean: f64,
    /// Standard deviation of h^l.
    pub act_std: f64,
    /// [`saturated_fraction`] of h^l.
    pub saturated_fraction: f64,
    /// [`dead_fraction`] of a^l.
    pub dead_fraction: f64,
    /// [`zero_fraction`] of h^l.
    pub zero_fraction: f64,
    /// Standard deviation of the back-propagated gradient dL/da^l (None without gradients).
    pub grad_std: Option<f64>,
}

/// Per-layer statistics of a forward trace, with the gradients of a backward pass if given.
pub fn layer_stats(
    trace: &Trace,
    activations: &[Activation],
    grads: Option<&Gradients>,
    threshold: f64,
) -> Vec<LayerStats> {
    (1..=trace.depth())
        .map(|l| {
            let (pre_mean, pre_std) = mean_std(trace.a(l));
            let (act_mean, act_std) = mean_std(trace.h(l));
            LayerStats {
                layer: l,
                pre_mean,
                pre_std,
                act_mean,
                act_std,
                saturated_fraction: saturated_fraction(activations[l - 1], trace.h(l), threshold),
                dead_fraction: dead_fraction(trace.a(l)),
                zero_fraction: zero_fraction(trace.h(l)),
                grad_std: grads.map(|g| mean_std(&g.da[l - 1]).1),
            }
        })
        .collect()
}

/// The standard normal cumulative distribution function Φ(x): [`crate::math::normal_cdf`],
/// the library's one definition, re-exported here beside the other statistics.
pub use crate::math::normal_cdf;

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn moments_histograms_fractions() {
        let (m, s) = mean_std(&[1.0, 2.0, 3.0, 4.0]);
        assert!((m - 2.5).abs() < 1e-15 && (s - 1.25f64.sqrt()).abs() < 1e-15);
        let h = Histogram::new(&[-5.0, 0.1, 0.2, 0.9, 7.0], 2, 0.0, 1.0);
        assert_eq!(h.counts, vec![3, 2]);
        assert_eq!(h.edges, vec![0.0, 0.5, 1.0]);
        let x = array![[0.995, -0.2], [-0.999, 0.5]];
        assert_eq!(saturated_fraction(Activation::Tanh, &x, 0.99), 0.5);
        assert_eq!(saturated_fraction(Activation::Relu, &x, 0.99), 0.0);
        let s = array![[0.005, 0.5], [0.995, 0.5]];
        assert_eq!(saturated_fraction(Activation::Sigmoid, &s, 0.99), 0.5);
        let a = array![[-1.0, 2.0, 0.0], [-3.0, -1.0, 0.0]];
        assert!((dead_fraction(&a) - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(zero_fraction(&a), 2.0 / 6.0);
        assert!((normal_cdf(1.959963984540054) - 0.975).abs() < 1e-12);
    }
}

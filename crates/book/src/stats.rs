//! Statistics over seeds: the mean and the sample standard deviation of a result repeated
//! over many seeds, which is how the book states every random claim.
//!
//! `initnet::mean_std` is a different statistic: the mean and *population* standard
//! deviation of the entries of one network's array (a layer's activations, its gradients),
//! which the network library reports about a network. What the book does with repeated
//! experiments (estimate a mean and its spread from a sample of seeds, with the n - 1 of an
//! unbiased variance) belongs to the book, here.

use std::borrow::Borrow;

/// The arithmetic mean of `values` (a slice, or any iterator of numbers), summed in order
/// (NaN for none).
pub fn mean<T: Borrow<f64>>(values: impl IntoIterator<Item = T>) -> f64 {
    let (mut n, mut sum) = (0usize, 0.0);
    for v in values {
        n += 1;
        sum += *v.borrow();
    }
    sum / n as f64
}

/// The mean and the sample standard deviation (divisor n - 1) of `values`: a statistic's
/// value and its spread over seeds. One pass, by Welford's algorithm (`initnet::mean_std`,
/// corrected by sqrt(n / (n - 1))), so its mean can differ from [`mean`]'s in the last
/// bit: use one of the two throughout a computation. One value or none has spread 0;
/// none has mean NaN.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let (mean, population_sd) = initnet::mean_std(values);
    let n = values.len() as f64;
    if n < 2.0 {
        (mean, 0.0)
    } else {
        (mean, population_sd * (n / (n - 1.0)).sqrt())
    }
}

/// The sample standard deviation (divisor n - 1) of `values`, as [`mean_sd`] computes it.
pub fn sample_sd(values: &[f64]) -> f64 {
    mean_sd(values).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sample_sd() {
        assert_eq!(mean([1.0, 2.0, 6.0]), 3.0);
        assert_eq!(mean([1.0, 2.0].iter().map(|x| x * 2.0)), 3.0);
        // Deviations -2, -1, 3: squares sum to 14, over n - 1 = 2.
        assert!((sample_sd(&[1.0, 2.0, 6.0]) - 7f64.sqrt()).abs() < 1e-15);
        assert_eq!(mean_sd(&[5.0]), (5.0, 0.0));
        assert!(mean(&[] as &[f64]).is_nan() && mean_sd(&[]).0.is_nan());
    }
}

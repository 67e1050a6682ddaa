//! Statistics over seeds: the mean and the sample standard deviation of a result repeated
//! over many seeds, which is how the book states every random claim.
//!
//! `initnet::mean_std` is a different statistic: the mean and *population* standard
//! deviation of the entries of one network's array (a layer's activations, its gradients),
//! which the network library reports about a network. What the book does with repeated
//! experiments (estimate a mean and its spread from a sample of seeds, with the n - 1 of an
//! unbiased variance) belongs to the book, here.

/// The arithmetic mean of `values`, summed in order (NaN for none).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The sample standard deviation of `values` (divisor n - 1), in two passes about
/// [`mean`]. One value has spread 0; none has spread NaN.
pub fn sample_sd(values: &[f64]) -> f64 {
    match values.len() {
        0 => f64::NAN,
        1 => 0.0,
        n => {
            let m = mean(values);
            (values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        }
    }
}

/// [`mean`] and [`sample_sd`] together: a statistic's value and spread over seeds.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    (mean(values), sample_sd(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sample_sd() {
        assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
        // Deviations -2, -1, 3: squares sum to 14, over n - 1 = 2.
        assert_eq!(sample_sd(&[1.0, 2.0, 6.0]), 7f64.sqrt());
        assert_eq!(mean_sd(&[5.0]), (5.0, 0.0));
        assert!(mean(&[]).is_nan() && sample_sd(&[]).is_nan());
    }
}

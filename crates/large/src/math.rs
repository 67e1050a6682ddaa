//! The closed forms of the chapter: thresholds of saturation, expectations over the
//! length of a Gaussian vector (the chi law), and the exact mean and variance of
//! log chi-square. The shared special functions (Simpson's rule, Gaussian expectations
//! and tails, digamma, trigamma) live in [`initnet::special`]; `gaussian_tail`, which the
//! chapter's exercises name as `large::math::gaussian_tail`, is re-exported here.

use initnet::special::{digamma, simpson, trigamma};
use initnet::{Activation, Error};

pub use initnet::special::gaussian_tail;

/// The book's saturation threshold on the activation: |tanh a| > 0.99, or a sigmoid
/// output above 0.99 or below 0.01.
pub const THRESHOLD: f64 = 0.99;

/// The pre-activation |a| beyond which a unit is saturated: atanh(0.99) = ln(199)/2 for
/// tanh, logit(0.99) = ln 99 for the logistic sigmoid. Activations that do not saturate
/// (identity, ReLU, leaky ReLU) are an error that names them.
pub fn saturation_cutoff(activation: Activation) -> Result<f64, Error> {
    match activation {
        Activation::Tanh => Ok(THRESHOLD.atanh()),
        Activation::Sigmoid => Ok((THRESHOLD / (1.0 - THRESHOLD)).ln()),
        other => Err(Error::Parse {
            what: "saturating activation",
            text: other.to_string(),
            reason: "only tanh and sigmoid saturate".to_string(),
        }),
    }
}

/// The density of the chi law with `n` degrees of freedom: the length R = |x| of a
/// standard normal vector x in n dimensions.
pub fn chi_density(n: usize, r: f64) -> f64 {
    if r <= 0.0 {
        // r^(n-1) at 0: 1 for n = 1 (the half-normal density sqrt(2/pi)), else 0.
        return if n == 1 {
            (2.0 / std::f64::consts::PI).sqrt()
        } else {
            0.0
        };
    }
    let k = n as f64;
    ((k - 1.0) * r.ln()
        - 0.5 * r * r
        - (0.5 * k - 1.0) * std::f64::consts::LN_2
        - libm::lgamma(0.5 * k))
    .exp()
}

/// E[g(R)] for R ~ chi(n), by Simpson's rule over R's bulk: R has mean about sqrt(n)
/// and standard deviation below 1/sqrt(2) + 0.01, so [sqrt(n) - 14, sqrt(n) + 14]
/// (cut at 0) leaves out less than 1e-40 of the mass.
pub fn chi_expectation(n: usize, g: impl Fn(f64) -> f64) -> f64 {
    let centre = (n as f64).sqrt();
    let (lo, hi) = ((centre - 14.0).max(0.0), centre + 14.0);
    simpson(
        |r| match chi_density(n, r) {
            0.0 => 0.0,
            d => g(r) * d,
        },
        lo,
        hi,
        8000,
    )
}

/// Mean and variance of ln(X) for X ~ chi-square(k): psi(k/2) + ln 2 and psi'(k/2).
pub fn log_chi_square_moments(k: usize) -> (f64, f64) {
    let half = 0.5 * k as f64;
    (digamma(half) + std::f64::consts::LN_2, trigamma(half))
}

/// Mean and variance of ln(S) where S = sum of relu(g_j)^2 over n iid standard normal g_j:
/// S is chi-square with K degrees of freedom, K ~ Binomial(n, 1/2) (the units that are
/// positive). The event K = 0 (probability 2^-n) is left out and its mass renormalized.
pub fn log_relu_square_moments(n: usize) -> (f64, f64) {
    let ln_half_n = n as f64 * -std::f64::consts::LN_2;
    let ln_choose = |k: usize| {
        libm::lgamma(n as f64 + 1.0)
            - libm::lgamma(k as f64 + 1.0)
            - libm::lgamma((n - k) as f64 + 1.0)
    };
    let weights: Vec<(f64, f64, f64)> = (1..=n)
        .map(|k| {
            let (m, v) = log_chi_square_moments(k);
            ((ln_choose(k) + ln_half_n).exp(), m, v)
        })
        .collect();
    let total: f64 = weights.iter().map(|w| w.0).sum();
    let mean = weights.iter().map(|(p, m, _)| p * m).sum::<f64>() / total;
    let var = weights
        .iter()
        .map(|(p, m, v)| p * (v + (m - mean).powi(2)))
        .sum::<f64>()
        / total;
    (mean, var)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_are_the_inverse_of_the_threshold() {
        let t = saturation_cutoff(Activation::Tanh).unwrap();
        assert!((t.tanh() - 0.99).abs() < 1e-15 && (t - 0.5 * 199f64.ln()).abs() < 1e-14);
        let s = saturation_cutoff(Activation::Sigmoid).unwrap();
        assert!((initnet::sigmoid(s) - 0.99).abs() < 1e-15 && (s - 99f64.ln()).abs() < 1e-14);
        let e = saturation_cutoff(Activation::Relu).unwrap_err().to_string();
        assert!(e.contains("relu"), "{e}");
    }

    #[test]
    fn quadratures_reproduce_known_moments() {
        // E[R^2] = n for R ~ chi(n); the density integrates to 1.
        for n in [1, 2, 5, 100, 400] {
            assert!((chi_expectation(n, |_| 1.0) - 1.0).abs() < 1e-9, "n = {n}");
            assert!(
                (chi_expectation(n, |r| r * r) / n as f64 - 1.0).abs() < 1e-9,
                "n = {n}"
            );
        }
    }

    #[test]
    fn log_chi_square_moments_match_quadrature() {
        // E[ln chi2(k)] against quadrature: ln r^2 under chi(k) (the log singularity at
        // r = 0 limits Simpson to about 1e-8 for small k).
        for k in [3, 50, 100] {
            let (m, v) = log_chi_square_moments(k);
            let q = chi_expectation(k, |r| (r * r).ln());
            let q2 = chi_expectation(k, |r| ((r * r).ln() - q).powi(2));
            assert!(
                (m - q).abs() < 1e-7 && (v - q2).abs() < 1e-7,
                "k = {k}: {m} {q} {v} {q2}"
            );
        }
    }

    #[test]
    fn relu_square_moments_match_the_delta_method_for_large_n() {
        // E[relu(g)^2] = 1/2, Var = 5/4, so ln S has mean ~ ln(n/2) - 2.5/n, var ~ 5/n.
        let n = 400;
        let (m, v) = log_relu_square_moments(n);
        assert!(
            (m - ((n as f64 / 2.0).ln() - 2.5 / n as f64)).abs() < 1e-4,
            "{m}"
        );
        assert!((v * n as f64 / 5.0 - 1.0).abs() < 0.02, "{v}");
    }
}

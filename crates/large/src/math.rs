//! The closed forms of the chapter: thresholds of saturation, expectations over a
//! Gaussian and over the length of a Gaussian vector (the chi law), and the digamma
//! and trigamma functions that give the exact mean and variance of log chi-square.

use initnet::{Activation, Error, normal_cdf};

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

/// P(|a| > cutoff) for a ~ N(0, sigma^2): 2 Phi(-cutoff / sigma) (1 if sigma is infinite,
/// 0 if sigma is 0).
pub fn gaussian_tail(cutoff: f64, sigma: f64) -> f64 {
    if sigma <= 0.0 {
        0.0
    } else {
        2.0 * normal_cdf(-cutoff / sigma)
    }
}

/// Composite Simpson's rule for the integral of `f` over [lo, hi] with `intervals`
/// (rounded up to even) intervals.
pub fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, intervals: usize) -> f64 {
    let n = intervals.max(2).next_multiple_of(2);
    let h = (hi - lo) / n as f64;
    let inner: f64 = (1..n)
        .map(|i| f(lo + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(lo) + f(hi) + inner) * h / 3.0
}

/// E[g(Z)] for Z ~ N(0, 1), by Simpson's rule over [-12, 12] (the mass outside is
/// below 1e-32) with 4800 intervals: exact to about 1e-12 for smooth bounded g.
pub fn gaussian_expectation(g: impl Fn(f64) -> f64) -> f64 {
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    simpson(|z| g(z) * phi(z), -12.0, 12.0, 4800)
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

/// The digamma function psi(x) = d/dx ln Gamma(x), for x > 0: recurrence up to x >= 20,
/// then the asymptotic series (error below 1e-15 there).
pub fn digamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 20.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    acc + x.ln()
        - 0.5 / x
        - inv2 * (1.0 / 12.0 - inv2 * (1.0 / 120.0 - inv2 * (1.0 / 252.0 - inv2 / 240.0)))
}

/// The trigamma function psi'(x), for x > 0: recurrence up to x >= 20, then the
/// asymptotic series.
pub fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 20.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    acc + inv
        + 0.5 * inv2
        + inv * inv2 * (1.0 / 6.0 - inv2 * (1.0 / 30.0 - inv2 * (1.0 / 42.0 - inv2 / 30.0)))
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
        // E[Z^2] = 1, E[Z^4] = 3; E[R^2] = n for R ~ chi(n); the density integrates to 1.
        assert!((gaussian_expectation(|z| z * z) - 1.0).abs() < 1e-12);
        assert!((gaussian_expectation(|z| z.powi(4)) - 3.0).abs() < 1e-11);
        for n in [1, 2, 5, 100, 400] {
            assert!((chi_expectation(n, |_| 1.0) - 1.0).abs() < 1e-9, "n = {n}");
            assert!(
                (chi_expectation(n, |r| r * r) / n as f64 - 1.0).abs() < 1e-9,
                "n = {n}"
            );
        }
        // E[|Z| > 1.96] = 0.05.
        assert!(
            (gaussian_expectation(|z| f64::from(u8::from(z.abs() > 1.959963984540054))) - 0.05)
                .abs()
                < 1e-3
        );
    }

    #[test]
    fn digamma_and_trigamma_match_known_values() {
        let gamma = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + gamma).abs() < 1e-14);
        assert!((digamma(0.5) + gamma + 2.0 * std::f64::consts::LN_2).abs() < 1e-14);
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-13);
        assert!((trigamma(0.5) - std::f64::consts::PI.powi(2) / 2.0).abs() < 1e-13);
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

//! The length of a Gaussian vector and of its image through a random layer: the chi law,
//! and the exact mean and variance of the log of a (scaled) chi-square, which make the log
//! of a signal's norm through a deep random network a random walk with known steps.
//!
//! For a fixed unit vector u and W with iid N(0, s²) entries, |W u|² = s² χ²_n, whatever u
//! is; through ReLU only the K ~ Binomial(n, 1/2) positive units pass, and
//! |relu(W u)|² = s² χ²_K. Successive layers draw independent W, so ln |h^L| / |h^0| is a
//! sum of L independent steps whose moments are below.

use initnet::{Error, Result};

use crate::special::{digamma, simpson, trigamma};
use initnet::math;

fn at_least_one(what: &str, n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::Zero { what: what.into() });
    }
    Ok(())
}

/// The density of the chi law with `n` degrees of freedom at r, the law of the length
/// R = |x| of a standard normal vector x in n dimensions:
/// r^(n-1) e^(-r²/2) / (2^(n/2 - 1) Γ(n/2)) for r > 0, 0 for r < 0 (and at r = 0 unless
/// n = 1, where it is √(2/π)). `n` = 0 is an error.
pub fn chi_density(n: usize, r: f64) -> Result<f64> {
    at_least_one("degrees of freedom of the chi law", n)?;
    Ok(density(n, r))
}

/// [`chi_density`] for n >= 1.
fn density(n: usize, r: f64) -> f64 {
    if r <= 0.0 {
        return if n == 1 && r == 0.0 {
            (2.0 / std::f64::consts::PI).sqrt()
        } else {
            0.0
        };
    }
    let k = n as f64;
    math::exp(
        (k - 1.0) * math::ln(r)
            - 0.5 * r * r
            - (0.5 * k - 1.0) * std::f64::consts::LN_2
            - libm::lgamma(0.5 * k),
    )
}

/// E[g(R)] for R ~ chi(n), by Simpson's rule (8000 intervals) over R's bulk: R has mean
/// about √n and standard deviation below 1/√2 + 0.01, so [√n - 14, √n + 14] (cut at 0)
/// leaves out less than 1e-40 of the mass. `n` = 0 is an error.
pub fn chi_expectation(n: usize, g: impl Fn(f64) -> f64) -> Result<f64> {
    at_least_one("degrees of freedom of the chi law", n)?;
    let centre = (n as f64).sqrt();
    let (lo, hi) = ((centre - 14.0).max(0.0), centre + 14.0);
    Ok(simpson(
        |r| match density(n, r) {
            0.0 => 0.0,
            d => g(r) * d,
        },
        lo,
        hi,
        8000,
    ))
}

/// Mean and variance of ln(s² X) for X ~ χ²_k: ln(2 s²) + ψ(k/2) and ψ'(k/2), with ψ the
/// [`digamma`] and ψ' the [`trigamma`] function. With s² = Var(W) this is one step
/// ln |W u|² of the log-norm's random walk through a linear layer of k units; the mean sits
/// below ln(k s²), the log of the mean, by about 1/k (Jensen). `k` = 0 or an s² that is
/// not finite and > 0 is an error naming it.
pub fn log_chi_square_moments(k: usize, scale2: f64) -> Result<(f64, f64)> {
    at_least_one("degrees of freedom of the chi-square", k)?;
    let scale2 = initnet::error::positive("scale s^2 of the chi-square", scale2)?;
    let half = 0.5 * k as f64;
    Ok((math::ln(2.0 * scale2) + digamma(half)?, trigamma(half)?))
}

/// Mean and variance of ln S, S = Σ_j relu(g_j)² over n iid standard normal g_j: one step
/// of the log-norm's random walk through a ReLU layer. S is χ²_K with K ~ Binomial(n, 1/2)
/// degrees of freedom (the units that are positive), so the moments are the binomial
/// mixture of [`log_chi_square_moments`]. The event K = 0 (probability 2^-n, where ln S is
/// -∞) is left out and its mass renormalized. `n` = 0 is an error.
pub fn log_relu_square_moments(n: usize) -> Result<(f64, f64)> {
    at_least_one("width of the ReLU layer", n)?;
    let ln_half_n = n as f64 * -std::f64::consts::LN_2;
    let ln_choose = |k: usize| {
        libm::lgamma(n as f64 + 1.0)
            - libm::lgamma(k as f64 + 1.0)
            - libm::lgamma((n - k) as f64 + 1.0)
    };
    let weights = (1..=n)
        .map(|k| {
            let (m, v) = log_chi_square_moments(k, 1.0)?;
            Ok((math::exp(ln_choose(k) + ln_half_n), m, v))
        })
        .collect::<Result<Vec<(f64, f64, f64)>>>()?;
    let total: f64 = weights.iter().map(|w| w.0).sum();
    let mean = weights.iter().map(|(p, m, _)| p * m).sum::<f64>() / total;
    let var = weights
        .iter()
        .map(|(p, m, v)| p * (v + math::powi(m - mean, 2)))
        .sum::<f64>()
        / total;
    Ok((mean, var))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chi_law_integrates_to_one_with_mean_square_n() {
        for n in [1, 2, 5, 100, 400] {
            let one = chi_expectation(n, |_| 1.0).unwrap();
            assert!((one - 1.0).abs() < 1e-9, "n = {n}: {one}");
            let m2 = chi_expectation(n, |r| r * r).unwrap() / n as f64;
            assert!((m2 - 1.0).abs() < 1e-9, "n = {n}: {m2}");
        }
        // chi(2) is the Rayleigh law r e^(-r^2/2); chi(1) the half-normal.
        let r = 1.3f64;
        assert!((chi_density(2, r).unwrap() - r * math::exp(-r * r / 2.0)).abs() < 1e-15);
        let half_normal = 2.0 * crate::normal_pdf(r);
        assert!((chi_density(1, r).unwrap() - half_normal).abs() < 1e-15);
        assert_eq!(chi_density(3, 0.0).unwrap(), 0.0);
        assert_eq!(chi_density(3, -1.0).unwrap(), 0.0);
        assert!(chi_density(0, 1.0).is_err());
        assert!(chi_expectation(0, |_| 1.0).is_err());
    }

    #[test]
    fn log_chi_square_moments_match_quadrature() {
        // E[ln chi2(k)] against quadrature of ln r^2 under chi(k) (the log singularity at
        // r = 0 limits Simpson to about 1e-8 for small k).
        for k in [3, 50, 100] {
            let (m, v) = log_chi_square_moments(k, 1.0).unwrap();
            let q = chi_expectation(k, |r| math::ln(r * r)).unwrap();
            let q2 = chi_expectation(k, |r| math::powi(math::ln(r * r) - q, 2)).unwrap();
            assert!((m - q).abs() < 1e-7 && (v - q2).abs() < 1e-7, "k = {k}");
        }
        // The scale shifts the mean by ln s^2 and leaves the variance.
        let (m1, v1) = log_chi_square_moments(10, 1.0).unwrap();
        let (m2, v2) = log_chi_square_moments(10, 0.25).unwrap();
        assert!((m2 - m1 - math::ln(0.25)).abs() < 1e-14 && v1 == v2);
        // ln 2 + psi(k/2) = ln k - 1/k + O(k^-2).
        let (m, _) = log_chi_square_moments(1000, 1.0).unwrap();
        assert!((m - (math::ln(1000.0) - 1e-3)).abs() < 1e-6, "{m}");
        assert!(log_chi_square_moments(0, 1.0).is_err());
        let e = log_chi_square_moments(4, -1.0).unwrap_err();
        assert!(e.to_string().contains("-1"), "{e}");
    }

    #[test]
    fn relu_square_moments() {
        // Large n, delta method: E[relu(g)^2] = 1/2, Var = 5/4, so ln S has mean
        // ln(n/2) - 2.5/n and variance 5/n to leading order.
        let n = 400;
        let (m, v) = log_relu_square_moments(n).unwrap();
        let nf = n as f64;
        assert!((m - (math::ln(nf / 2.0) - 2.5 / nf)).abs() < 1e-4, "{m}");
        assert!((v * nf / 5.0 - 1.0).abs() < 0.02, "{v}");
        // n = 1: K = 1 always once K = 0 is left out, so ln S = ln chi2(1).
        let (m1, v1) = log_relu_square_moments(1).unwrap();
        let (m, v) = log_chi_square_moments(1, 1.0).unwrap();
        assert!((m1 - m).abs() < 1e-15 && (v1 - v).abs() < 1e-15);
        assert!(log_relu_square_moments(0).is_err());
    }
}

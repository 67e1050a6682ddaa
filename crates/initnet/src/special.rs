//! Special functions and quadratures shared by the chapters: the normal density and
//! tail, Simpson's rule, Gauss–Hermite quadrature, expectations over a Gaussian, and the
//! digamma and trigamma functions (exact mean and variance of the log of a chi-square).

use crate::{Error, normal_cdf};

/// A Gauss–Hermite rule with `n` nodes, in the probabilists' form: for Z ~ N(0, 1),
/// E[g(Z)] ≈ Σ_i `weights[i] * g(nodes[i])`. The rule is exact when g is a polynomial of
/// degree below 2n, and converges fast for g analytic in a wide strip around the real
/// axis. The weights are non-negative and sum to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussHermite {
    /// The nodes z_i, in decreasing order, symmetric about 0.
    pub nodes: Vec<f64>,
    /// The weights, summing to 1.
    pub weights: Vec<f64>,
}

impl GaussHermite {
    /// The rule with `n` nodes (1 <= n <= 150; beyond, the recurrence below underflows): the roots of the Hermite polynomial
    /// H_n, found by Newton's method on the normalized three-term recurrence, from the
    /// asymptotic first guesses of Numerical Recipes (`gauher`).
    pub fn new(n: usize) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::Zero {
                what: "number of Gauss–Hermite nodes".into(),
            });
        }
        if n > 150 {
            return Err(Error::OutOfRange {
                name: "number of Gauss–Hermite nodes",
                expected: "at most 150",
                value: n as f64,
            });
        }
        // Physicists' rule first: integral of exp(-x^2) f(x) ≈ Σ w_i f(x_i).
        let pim4 = libm::pow(std::f64::consts::PI, -0.25);
        let nf = n as f64;
        let (mut x, mut w) = (vec![0.0; n], vec![0.0; n]);
        let mut z = 0.0;
        for i in 0..n.div_ceil(2) {
            z = match i {
                0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * libm::pow(2.0 * nf + 1.0, -1.0 / 6.0),
                1 => z - 1.14 * libm::pow(nf, 0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            let mut pp = 0.0;
            for _ in 0..100 {
                // p1 = the normalized H_n(z), p2 = H_{n-1}(z).
                let (mut p1, mut p2) = (pim4, 0.0);
                for j in 0..n {
                    let jf = j as f64;
                    let p3 = p2;
                    p2 = p1;
                    p1 = z * (2.0 / (jf + 1.0)).sqrt() * p2 - (jf / (jf + 1.0)).sqrt() * p3;
                }
                pp = (2.0 * nf).sqrt() * p2;
                let step = p1 / pp;
                z -= step;
                if step.abs() <= 1e-15 * z.abs().max(1.0) {
                    break;
                }
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        // Probabilists' form: z = sqrt(2) x, weight w / sqrt(pi).
        let sqrt_pi = std::f64::consts::PI.sqrt();
        Ok(GaussHermite {
            nodes: x.iter().map(|x| std::f64::consts::SQRT_2 * x).collect(),
            weights: w.iter().map(|w| w / sqrt_pi).collect(),
        })
    }

    /// E[g(Z)] for Z ~ N(0, 1) by this rule.
    pub fn expect(&self, g: impl Fn(f64) -> f64) -> f64 {
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(&z, &w)| w * g(z))
            .sum()
    }
}

/// Composite Simpson's rule for the integral of `f` over [lo, hi] with `intervals`
/// (rounded up to an even number, at least 2) equal intervals.
pub fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, intervals: usize) -> f64 {
    let n = intervals.max(2).next_multiple_of(2);
    let h = (hi - lo) / n as f64;
    let inner: f64 = (1..n)
        .map(|i| f(lo + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(lo) + f(hi) + inner) * h / 3.0
}

/// The standard normal density.
pub fn normal_pdf(z: f64) -> f64 {
    crate::math::exp(-0.5 * z * z) / (2.0 * std::f64::consts::PI).sqrt()
}

/// Number of Gauss–Hermite nodes [`gaussian_expectation`] uses for small variances.
pub const HERMITE_NODES: usize = 64;

/// E[g(a)] for a ~ N(0, q), for a g that is smooth on the scale of 1 (tanh, tanh^2,
/// sech^4 and the like).
///
/// For q <= 1 this is Gauss–Hermite with [`HERMITE_NODES`] nodes on g(sqrt(q) z): the
/// integrand is analytic in a strip of half-width at least pi/2 around the real axis
/// (tanh's poles sit at ±i pi/2), and the rule's error is below 1e-8 (about 3e-9 for
/// tanh^2 at q = 1, far less for smaller q). For q > 1 the integrand g(sqrt(q) z) changes on a
/// scale 1/sqrt(q) in z, narrower than the spacing of Hermite nodes near 0 (about
/// pi/sqrt(2n) in z), and the rule fails; there we integrate in a itself,
/// ∫ g(a) φ(a/√q)/√q da, by Simpson's rule over ±12√q (the mass outside is below
/// 1e-32) with a step of 1/64 in a, which resolves both g and the Gaussian (error about
/// 1e-10 for tanh^2).
/// A q that is negative or not finite is an error naming it.
pub fn gaussian_expectation(g: impl Fn(f64) -> f64, q: f64) -> Result<f64, Error> {
    if !(q.is_finite() && q >= 0.0) {
        return Err(Error::OutOfRange {
            name: "variance of a Gaussian",
            expected: "finite and >= 0",
            value: q,
        });
    }
    if q <= 1.0 {
        let rule = GaussHermite::new(HERMITE_NODES)?;
        let s = q.sqrt();
        return Ok(rule.expect(|z| g(s * z)));
    }
    let s = q.sqrt();
    let half_width = 12.0 * s;
    let intervals = (2.0 * half_width * 64.0).ceil() as usize;
    Ok(simpson(
        |a| g(a) * normal_pdf(a / s) / s,
        -half_width,
        half_width,
        intervals,
    ))
}

/// E[g(Z)] for Z ~ N(0, 1) by a fixed rule: Simpson's rule over [-12, 12] (the mass
/// outside is below 1e-32) with 4800 intervals, a step of 1/200.
///
/// Unlike [`gaussian_expectation`], this makes no smoothness assumption beyond the one of
/// Simpson's rule: z = 0 is a node, so a kink or jump there (ReLU, its derivative) splits
/// the rule into two smooth halves and costs no accuracy; error about 1e-12 for smooth,
/// bounded-growth g. Callers scale the argument themselves, e.g.
/// `standard_normal_expectation(|z| f(sigma * z))` for E[f(a)], a ~ N(0, sigma^2); for a
/// large sigma and a g that varies on the scale of 1, use [`gaussian_expectation`].
pub fn standard_normal_expectation(g: impl Fn(f64) -> f64) -> f64 {
    simpson(|z| g(z) * normal_pdf(z), -12.0, 12.0, 4800)
}

/// The probability that a ~ N(0, sigma^2) lands beyond ±cutoff: 2 Φ(-cutoff/sigma), for a
/// standard deviation `sigma` (not a variance); 0 if sigma <= 0, 1 if sigma is infinite.
pub fn gaussian_tail(cutoff: f64, sigma: f64) -> f64 {
    if sigma <= 0.0 {
        0.0
    } else {
        2.0 * normal_cdf(-cutoff / sigma)
    }
}

/// The digamma function ψ(x) = d/dx ln Γ(x), for x > 0: the recurrence
/// ψ(x) = ψ(x+1) - 1/x up to x >= 20, then the asymptotic series (error below 1e-15).
pub fn digamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 20.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    acc + crate::math::ln(x)
        - 0.5 / x
        - x2 * (1.0 / 12.0
            - x2 * (1.0 / 120.0 - x2 * (1.0 / 252.0 - x2 * (1.0 / 240.0 - x2 / 132.0))))
}

/// The trigamma function ψ'(x), for x > 0: ψ'(x) = ψ'(x+1) + 1/x^2 up to x >= 20, then
/// the asymptotic series.
pub fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 20.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    acc + 1.0 / x
        + 0.5 * x2
        + (1.0 / x) * x2 * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hermite_is_exact_for_polynomials() {
        for n in [1, 2, 5, 20, 64, 100, 150] {
            let rule = GaussHermite::new(n).unwrap();
            assert!(
                (rule.weights.iter().sum::<f64>() - 1.0).abs() < 1e-13,
                "n = {n}"
            );
            // E[Z^(2k)] = (2k-1)!!, exact while 2k < 2n.
            let mut double_factorial = 1.0;
            for k in 1..n.min(12) {
                double_factorial *= (2 * k - 1) as f64;
                let m = rule.expect(|z| z.powi(2 * k as i32));
                assert!(
                    (m / double_factorial - 1.0).abs() < 1e-11,
                    "n = {n}, k = {k}: {m}"
                );
                // Odd moments cancel between symmetric nodes, up to rounding of terms as large as the even moment.
                assert!(
                    rule.expect(|z| z.powi(2 * k as i32 - 1)).abs()
                        < 1e-12 * double_factorial * 10.0
                );
            }
        }
        // An analytic, non-polynomial check: E[cos Z] = exp(-1/2).
        let rule = GaussHermite::new(64).unwrap();
        assert!((rule.expect(f64::cos) - (-0.5f64).exp()).abs() < 1e-14);
        assert!(GaussHermite::new(0).is_err());
        assert!(GaussHermite::new(151).is_err());
    }

    #[test]
    fn gaussian_expectation_agrees_with_closed_forms() {
        // E[a^2] = q on both branches.
        for q in [0.0, 1e-6, 0.3, 1.0, 2.0, 50.0, 500.0] {
            let m = gaussian_expectation(|a| a * a, q).unwrap();
            assert!((m - q).abs() < 1e-10 * q.max(1.0), "q = {q}: {m}");
        }
        // Small q: E[tanh^2 a] = q - 2 q^2 + 17/3 q^3 - ... (from tanh^2 a = a^2 - 2a^4/3 + 17a^6/45).
        let q: f64 = 1e-3;
        let series = q - 2.0 * q * q + 17.0 / 3.0 * q.powi(3);
        assert!((gaussian_expectation(|a| a.tanh().powi(2), q).unwrap() - series).abs() < 1e-10);
        // Large q: E[sech^2 a] = (2 φ(0)/√q)(1 - π²/(24 q) + O(q^-2)).
        let q: f64 = 2500.0;
        let asymptotic =
            2.0 * normal_pdf(0.0) / q.sqrt() * (1.0 - std::f64::consts::PI.powi(2) / (24.0 * q));
        let e = gaussian_expectation(|a| 1.0 / a.cosh().powi(2), q).unwrap();
        assert!((e - asymptotic).abs() < 1e-8, "{e} vs {asymptotic}");
        // The two branches meet: at q = 1 a fine Simpson rule and Hermite agree to Hermite's
        // error there (tanh's poles at ±i pi/2 limit its convergence).
        let g = |a: f64| a.tanh().powi(2);
        let s = simpson(|a| g(a) * normal_pdf(a), -12.0, 12.0, 24 * 256);
        let d = (gaussian_expectation(g, 1.0).unwrap() - s).abs();
        assert!(d < 1e-8, "{d}");
        assert!(gaussian_expectation(g, -1.0).is_err());
        assert!(gaussian_expectation(g, f64::NAN).is_err());
    }

    #[test]
    fn digamma_and_trigamma() {
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-14);
        assert!((digamma(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-14);
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-14);
        assert!((digamma(1.0) + 0.577_215_664_901_532_9).abs() < 1e-15);
        // psi(x + 1) = psi(x) + 1/x across the switch to the series.
        for x in [0.3, 7.5, 19.5, 25.0] {
            assert!(
                (digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-13,
                "{x}"
            );
            assert!(
                (trigamma(x) - trigamma(x + 1.0) - 1.0 / (x * x)).abs() < 1e-13,
                "{x}"
            );
        }
        assert!((trigamma(0.5) - std::f64::consts::PI.powi(2) / 2.0).abs() < 1e-13);
    }

    #[test]
    fn simpson_is_exact_on_cubics() {
        // ∫_{-1}^{2} (x^3 - 2x^2 + 3) dx = 15/4 - 6 + 9 = 6.75, with any even count.
        for n in [2, 4, 10] {
            let v = simpson(|x| x.powi(3) - 2.0 * x * x + 3.0, -1.0, 2.0, n);
            assert!((v - 6.75).abs() < 1e-13, "n = {n}: {v}");
        }
        // An odd count is rounded up to even, 0 to 2.
        assert_eq!(
            simpson(|x| x * x, 0.0, 1.0, 3),
            simpson(|x| x * x, 0.0, 1.0, 4)
        );
        assert!((simpson(|x| x * x, 0.0, 3.0, 0) - 9.0).abs() < 1e-14);
    }

    #[test]
    fn standard_normal_expectation_reproduces_moments_and_kinks() {
        assert!((standard_normal_expectation(|_| 1.0) - 1.0).abs() < 1e-12);
        assert!((standard_normal_expectation(|z| z * z) - 1.0).abs() < 1e-12);
        assert!((standard_normal_expectation(|z| z.powi(4)) - 3.0).abs() < 1e-11);
        assert!(standard_normal_expectation(|z| z.powi(3)).abs() < 1e-13);
        // Kinks at 0 cost nothing: E[relu(Z)^2] = 1/2, P(Z > 0) = 1/2 (half weight at 0).
        assert!((standard_normal_expectation(|z| z.max(0.0).powi(2)) - 0.5).abs() < 1e-12);
        // E[Z^2] = q, E[Z^4] = 3 q^2 after scaling, as in gaussian_expectation.
        for q in [0.25f64, 4.0] {
            let s = q.sqrt();
            assert!((standard_normal_expectation(|z| (s * z).powi(2)) - q).abs() < 1e-12 * q);
            let m4 = standard_normal_expectation(|z| (s * z).powi(4));
            assert!((m4 - 3.0 * q * q).abs() < 1e-11 * q * q);
            let m4 = gaussian_expectation(|a| a.powi(4), q).unwrap();
            assert!((m4 - 3.0 * q * q).abs() < 1e-10 * q * q, "q = {q}: {m4}");
        }
    }

    #[test]
    fn tail_matches_the_normal_cdf() {
        // P(|a| > 1.96 sigma) = 0.05 whatever sigma is.
        for sigma in [0.1, 1.0, 7.0] {
            let p = gaussian_tail(1.959_963_984_540_054 * sigma, sigma);
            assert!((p - 0.05).abs() < 1e-9, "sigma = {sigma}: {p}");
        }
        assert!((gaussian_tail(1.0, 2.0) - 2.0 * (1.0 - normal_cdf(0.5))).abs() < 1e-15);
        assert_eq!(gaussian_tail(1.0, 0.0), 0.0);
        assert_eq!(gaussian_tail(1.0, f64::INFINITY), 1.0);
        // Against quadrature of the density.
        let q = simpson(|a| normal_pdf(a / 3.0) / 3.0, 2.0, 60.0, 20_000);
        assert!((gaussian_tail(2.0, 3.0) - 2.0 * q).abs() < 1e-12);
    }
}

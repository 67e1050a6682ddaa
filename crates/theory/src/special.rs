//! Special functions and quadrature rules: the normal density and tail, Simpson's rule,
//! Gauss–Hermite quadrature, and the digamma and trigamma functions (the exact mean and
//! variance of the log of a chi-square). The expectations over a Gaussian built on them
//! are in [`crate::gaussian`].

use initnet::math;
use initnet::{Error, Result, normal_cdf};

/// A Gauss–Hermite rule with `n` nodes, in the probabilists' form: for Z ~ N(0, 1),
/// E[g(Z)] ≈ Σ_i `weights[i] * g(nodes[i])`. The rule is exact when g is a polynomial of
/// degree below 2n, and converges fast for g analytic in a wide strip around the real
/// axis. The weights are non-negative and sum to 1. Near z = 0 the nodes are about
/// π/√n apart (the physicists' nodes x = z/√2 are π/√(2n) apart there), so a g that
/// changes on a scale much narrower than π/√n around 0, like tanh(√q z)² for large q,
/// falls between two nodes and the rule misses it.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussHermite {
    /// The nodes z_i, in decreasing order, symmetric about 0.
    pub nodes: Vec<f64>,
    /// The weights, summing to 1.
    pub weights: Vec<f64>,
}

impl GaussHermite {
    /// The rule with `n` nodes (1 <= n <= 150; beyond, the recurrence below underflows):
    /// the roots of the Hermite polynomial H_n, found by Newton's method on the normalized
    /// three-term recurrence, from the asymptotic first guesses of Numerical Recipes
    /// (Press et al., 2007, `gauher`). `n` = 0 or above 150 is an error naming it.
    pub fn new(n: usize) -> Result<Self> {
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

/// A Gauss–Legendre rule with `n` nodes on [-1, 1]: ∫ f ≈ Σ_i `weights[i] * f(nodes[i])`,
/// exact when f is a polynomial of degree below 2n. On a panel [lo, hi] it converges like
/// ρ^(-2n) for an f analytic inside the ellipse with foci lo, hi and semi-axis sum
/// ρ (hi - lo)/2. It never evaluates f at the ends of a panel, so a kink or jump placed at
/// a panel boundary costs no accuracy.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussLegendre {
    /// The nodes x_i in (-1, 1), increasing, symmetric about 0.
    pub nodes: Vec<f64>,
    /// The weights, summing to 2.
    pub weights: Vec<f64>,
}

impl GaussLegendre {
    /// The rule with `n` nodes (1 <= n <= 200): the roots of the Legendre polynomial P_n,
    /// by Newton's method on the three-term recurrence from the first guesses
    /// cos(π (i + 3/4) / (n + 1/2)) (Press et al., 2007, `gauleg`). `n` = 0 or above 200 is
    /// an error naming it.
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::Zero {
                what: "number of Gauss–Legendre nodes".into(),
            });
        }
        if n > 200 {
            return Err(Error::OutOfRange {
                name: "number of Gauss–Legendre nodes",
                expected: "at most 200",
                value: n as f64,
            });
        }
        let nf = n as f64;
        let (mut x, mut w) = (vec![0.0; n], vec![0.0; n]);
        for i in 0..n.div_ceil(2) {
            let mut z = math::cos(std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5));
            let mut pp = 1.0;
            for _ in 0..100 {
                // p1 = P_n(z), p2 = P_{n-1}(z).
                let (mut p1, mut p2) = (1.0, 0.0);
                for j in 0..n {
                    let jf = j as f64;
                    let p3 = p2;
                    p2 = p1;
                    p1 = ((2.0 * jf + 1.0) * z * p2 - jf * p3) / (jf + 1.0);
                }
                pp = nf * (z * p1 - p2) / (z * z - 1.0);
                let step = p1 / pp;
                z -= step;
                if step.abs() <= 1e-16 {
                    break;
                }
            }
            x[i] = -z;
            x[n - 1 - i] = z;
            w[i] = 2.0 / ((1.0 - z * z) * pp * pp);
            w[n - 1 - i] = w[i];
        }
        Ok(GaussLegendre {
            nodes: x,
            weights: w,
        })
    }

    /// ∫ f over [lo, hi] by this rule: (hi - lo)/2 Σ_i w_i f((lo + hi)/2 + (hi - lo)/2 x_i).
    pub fn integrate(&self, f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
        let (mid, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
        half * self
            .nodes
            .iter()
            .zip(&self.weights)
            .map(|(&x, &w)| w * f(mid + half * x))
            .sum::<f64>()
    }
}

/// Composite Simpson's rule for the integral of `f` over [lo, hi] with `intervals`
/// (rounded up to an even number, at least 2) equal intervals of width h:
/// (h/3) [f(x_0) + 4 f(x_1) + 2 f(x_2) + ... + 4 f(x_{n-1}) + f(x_n)], x_i = lo + i h.
/// Exact for cubics; the error is O(h^4) for smooth f, and exponentially small for an f
/// analytic in a strip that vanishes with all its derivatives at both ends (a Gaussian
/// tail). A bound or an `f` value that is not finite makes the result NaN or infinite, as
/// in any arithmetic: the functions of this crate check their input before they call it.
pub fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, intervals: usize) -> f64 {
    let n = intervals.max(2).next_multiple_of(2);
    let h = (hi - lo) / n as f64;
    let inner: f64 = (1..n)
        .map(|i| f(lo + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(lo) + f(hi) + inner) * h / 3.0
}

/// The standard normal density φ(z) = exp(-z²/2) / √(2π).
pub fn normal_pdf(z: f64) -> f64 {
    initnet::math::exp(-0.5 * z * z) / (2.0 * std::f64::consts::PI).sqrt()
}

/// The probability that a ~ N(0, sigma^2) lands beyond ±cutoff: 2 Φ(-cutoff/sigma), for a
/// standard deviation `sigma` (not a variance); 0 if sigma <= 0, 1 if sigma is infinite.
/// Φ is [`initnet::normal_cdf`]. With a saturation cutoff (see [`crate::saturation`]) this
/// is the fraction of saturated units in a layer whose pre-activations are N(0, sigma^2).
/// A NaN argument gives NaN.
pub fn gaussian_tail(cutoff: f64, sigma: f64) -> f64 {
    if sigma <= 0.0 {
        0.0
    } else {
        2.0 * normal_cdf(-cutoff / sigma)
    }
}

/// The digamma function ψ(x) = d/dx ln Γ(x), for x > 0: the recurrence
/// ψ(x) = ψ(x+1) - 1/x up to x >= 20, then the asymptotic series
/// ψ(x) ~ ln x - 1/(2x) - Σ_k B_{2k} / (2k x^{2k}) (Abramowitz and Stegun 6.3.18), error
/// below 1e-15. E[ln X] = ψ(k/2) + ln 2 for X ~ χ²_k. An x that is not finite and > 0 is an
/// error naming it.
pub fn digamma(x: f64) -> Result<f64> {
    let mut x = initnet::error::positive("argument of digamma", x)?;
    let mut acc = 0.0;
    while x < 20.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    Ok(acc + initnet::math::ln(x)
        - 0.5 / x
        - x2 * (1.0 / 12.0
            - x2 * (1.0 / 120.0 - x2 * (1.0 / 252.0 - x2 * (1.0 / 240.0 - x2 / 132.0)))))
}

/// The trigamma function ψ'(x), for x > 0: ψ'(x) = ψ'(x+1) + 1/x² up to x >= 20, then the
/// asymptotic series ψ'(x) ~ 1/x + 1/(2x²) + Σ_k B_{2k} / x^{2k+1} (Abramowitz and Stegun
/// 6.4.12). Var[ln X] = ψ'(k/2) for X ~ χ²_k. An x that is not finite and > 0 is an error
/// naming it.
pub fn trigamma(x: f64) -> Result<f64> {
    let mut x = initnet::error::positive("argument of trigamma", x)?;
    let mut acc = 0.0;
    while x < 20.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    Ok(acc
        + 1.0 / x
        + 0.5 * x2
        + (1.0 / x) * x2 * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0))))
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
                let m = rule.expect(|z| math::powi(z, 2 * k as i32));
                assert!(
                    (m / double_factorial - 1.0).abs() < 1e-11,
                    "n = {n}, k = {k}: {m}"
                );
                // Odd moments cancel between symmetric nodes, up to rounding of terms as large as the even moment.
                assert!(
                    rule.expect(|z| math::powi(z, 2 * k as i32 - 1)).abs()
                        < 1e-12 * double_factorial * 10.0
                );
            }
        }
        // An analytic, non-polynomial check: E[cos Z] = exp(-1/2).
        let rule = GaussHermite::new(64).unwrap();
        assert!((rule.expect(math::cos) - math::exp(-0.5)).abs() < 1e-14);
        assert!(GaussHermite::new(0).is_err());
        assert!(GaussHermite::new(151).is_err());
    }

    #[test]
    fn hermite_nodes_near_zero_are_pi_over_root_n_apart() {
        for n in [16, 64, 150] {
            let rule = GaussHermite::new(n).unwrap();
            // The nodes decrease; the gap between the two around 0 (n even).
            let gap = rule.nodes[n / 2 - 1] - rule.nodes[n / 2];
            let asymptotic = std::f64::consts::PI / (n as f64).sqrt();
            assert!((gap / asymptotic - 1.0).abs() < 0.02, "n = {n}: {gap}");
            // Not π/√(2n): that is the physicists' spacing.
            assert!(gap > 1.3 * std::f64::consts::PI / (2.0 * n as f64).sqrt());
        }
    }

    #[test]
    fn digamma_and_trigamma() {
        let (psi, psi1) = (|x| digamma(x).unwrap(), |x| trigamma(x).unwrap());
        let euler = 0.577_215_664_901_532_9;
        assert!((psi(1.0) + euler).abs() < 1e-15);
        assert!((psi(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-14);
        assert!((psi1(1.0) - math::powi(std::f64::consts::PI, 2) / 6.0).abs() < 1e-14);
        assert!((psi1(0.5) - math::powi(std::f64::consts::PI, 2) / 2.0).abs() < 1e-13);
        // psi(x + 1) = psi(x) + 1/x across the switch to the series.
        for x in [0.3, 7.5, 19.5, 25.0] {
            assert!((psi(x + 1.0) - psi(x) - 1.0 / x).abs() < 1e-13, "{x}");
            assert!(
                (psi1(x) - psi1(x + 1.0) - 1.0 / (x * x)).abs() < 1e-13,
                "{x}"
            );
        }
        // Large x: psi(x) = ln x - 1/(2x) - 1/(12 x^2) + O(x^-4).
        let x = 1e6;
        assert!((psi(x) - (math::ln(x) - 0.5 / x - 1.0 / (12.0 * x * x))).abs() < 1e-15);
        // Outside the domain, an error that names the value (the recurrence would loop
        // forever on -inf).
        for bad in [0.0, -1.5, f64::NAN, f64::NEG_INFINITY, f64::INFINITY] {
            let e = digamma(bad).unwrap_err().to_string();
            assert!(e.contains("digamma") && e.contains(&bad.to_string()), "{e}");
            assert!(trigamma(bad).is_err());
        }
    }

    #[test]
    fn legendre_is_exact_for_polynomials() {
        for n in [1, 2, 5, 10, 40, 200] {
            let rule = GaussLegendre::new(n).unwrap();
            assert!(
                (rule.weights.iter().sum::<f64>() - 2.0).abs() < 1e-13,
                "n = {n}"
            );
            assert!(rule.nodes.windows(2).all(|p| p[0] < p[1]), "n = {n}");
            // ∫_0^3 x^k dx = 3^(k+1)/(k+1), exact while k < 2n.
            for k in 0..(2 * n).min(20) {
                let exact = math::powi(3.0, k as i32 + 1) / (k + 1) as f64;
                let v = rule.integrate(|x| math::powi(x, k as i32), 0.0, 3.0);
                assert!((v / exact - 1.0).abs() < 1e-13, "n = {n}, k = {k}: {v}");
            }
        }
        // Degree 2n is not exact: the rule is Gauss's, not a higher one.
        let two = GaussLegendre::new(2).unwrap();
        assert!((two.integrate(|x| math::powi(x, 4), -1.0, 1.0) - 0.4).abs() > 1e-3);
        // An analytic, non-polynomial check: ∫_0^π sin = 2.
        let ten = GaussLegendre::new(10).unwrap();
        assert!((ten.integrate(math::sin, 0.0, std::f64::consts::PI) - 2.0).abs() < 1e-14);
        assert!(GaussLegendre::new(0).is_err());
        assert_eq!(
            GaussLegendre::new(201).unwrap_err().to_string(),
            "number of Gauss–Legendre nodes must be at most 200, got 201"
        );
    }

    #[test]
    fn simpson_is_exact_on_cubics() {
        // ∫_{-1}^{2} (x^3 - 2x^2 + 3) dx = 15/4 - 6 + 9 = 6.75, with any even count.
        for n in [2, 4, 10] {
            let v = simpson(|x| math::powi(x, 3) - 2.0 * x * x + 3.0, -1.0, 2.0, n);
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

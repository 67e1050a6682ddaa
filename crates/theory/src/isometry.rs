//! Products of random matrices, deep linear networks and dynamical isometry: the closed
//! forms of the orthogonal chapter.
//!
//! - The spectrum of a product M = W_L ⋯ W_1 of L independent n × n Gaussian matrices with
//!   Var(W_ij) = 1/n: the exact finite-n moments [`gaussian_product_sigma4`] and
//!   [`gaussian_product_mean_log_sigma`], and the n → ∞ law of its squared singular values,
//!   the Fuss–Catalan law ([`fuss_catalan_expectation`], [`fuss_catalan_log_sigma_density`]).
//!   An orthogonal product has every singular value 1.
//! - The learning dynamics of one mode of a deep linear network, from Saxe, McClelland and
//!   Ganguli (2014): [`deep_linear_time`] and [`deep_linear_mode`].
//! - The mean and relative variance of the squared singular values of a deep network's
//!   input-output Jacobian in the large-width limit, from Pennington, Schoenholz and
//!   Ganguli (2017): [`jacobian_spectrum`].

use initnet::math::{cos, ln, pow, sin};
use initnet::{Activation, Error, Result};

use crate::gaussian::gaussian_expectation;
use crate::special::{GaussLegendre, digamma};

fn nonzero(what: &str, k: usize) -> Result<usize> {
    if k == 0 {
        Err(Error::Zero { what: what.into() })
    } else {
        Ok(k)
    }
}

/// E[(1/n) Σ_i σ_i⁴] for the singular values σ_i of a product of `depth` independent
/// n × n matrices with independent N(0, 1/n) entries: exact at every n.
///
/// Write m2 = E[tr((MᵀM)²)]/n and m11 = E[(tr(MᵀM)/n)²] for the product of l factors.
/// Multiplying by one more factor W (Wick's theorem on the four entries of W in each
/// trace) gives
///
/// m2 ← (1 + 1/n) m2 + m11,   m11 ← m11 + 2 m2 / n²,
///
/// from m2 = m11 = 1 for the identity. One factor gives 2 + 1/n, the Wishart moment; as
/// n → ∞ the recursion gives L + 1, the second Fuss–Catalan number. (The mean of σ² is
/// exactly 1 at every depth: E[tr(MᵀM)]/n = 1.)
pub fn gaussian_product_sigma4(n: usize, depth: usize) -> Result<f64> {
    let nf = nonzero("width n of the product", n)? as f64;
    let (mut m2, mut m11) = (1.0, 1.0);
    for _ in 0..depth {
        let next = (1.0 + 1.0 / nf) * m2 + m11;
        m11 += 2.0 * m2 / (nf * nf);
        m2 = next;
    }
    Ok(m2)
}

/// E[(1/n) Σ_i ln σ_i] for the singular values of the same product: exact at every n.
///
/// Σ_i ln σ_i = ½ ln det(MᵀM) = ½ Σ_l ln det(W_lᵀW_l), and for W with N(0, 1/n) entries
/// n W has a Wishart Gram matrix whose determinant is a product of independent χ²
/// variables with n, n-1, ..., 1 degrees of freedom (Bartlett's decomposition), with
/// E[ln χ²_k] = ψ(k/2) + ln 2. So the mean log singular value is
///
/// (L / 2n) Σ_{k=1}^{n} [ψ(k/2) + ln 2 - ln n],
///
/// which tends to -L/2 as n → ∞ (ln of the Marchenko–Pastur law has mean -1).
pub fn gaussian_product_mean_log_sigma(n: usize, depth: usize) -> Result<f64> {
    let nf = nonzero("width n of the product", n)? as f64;
    let mut sum = 0.0;
    for k in 1..=n {
        sum += digamma(k as f64 / 2.0)? + ln(2.0) - ln(nf);
    }
    Ok(depth as f64 * sum / (2.0 * nf))
}

/// The Fuss–Catalan law of x = σ² for a product of `depth` = L ≥ 1 Gaussian factors as
/// n → ∞, in the parametrization of Haagerup and Möller (2012) and Neuschel (2014): for
/// φ in (0, π/(L+1)),
///
/// x(φ) = sin((L+1)φ)^(L+1) / (sin φ sin(Lφ)^L),
/// ρ(x(φ)) = sin(φ)² sin(Lφ)^(L-1) / (π sin((L+1)φ)^L),
///
/// x running from (L+1)^(L+1)/L^L down to 0. Returns (x, ρ(x), dx/dφ) at φ.
fn fuss_catalan_at(l: f64, phi: f64) -> (f64, f64, f64) {
    let (s1, sl, sl1) = (sin(phi), sin(l * phi), sin((l + 1.0) * phi));
    let x = pow(sl1, l + 1.0) / (s1 * pow(sl, l));
    let rho = s1 * s1 * pow(sl, l - 1.0) / (std::f64::consts::PI * pow(sl1, l));
    let cot = |t: f64| cos(t) / sin(t);
    let dlnx = (l + 1.0) * (l + 1.0) * cot((l + 1.0) * phi) - cot(phi) - l * l * cot(l * phi);
    (x, rho, x * dlnx)
}

/// E[g(x)] under the Fuss–Catalan law of x = σ² for `depth` Gaussian factors as n → ∞
/// (see `fuss_catalan_at` for the law), by composite Gauss–Legendre quadrature in φ
/// (16 nodes per panel): 128 equal panels, and panels shrinking geometrically toward
/// φ = π/(L+1), where x → 0 and ln x has a logarithmic singularity. Its moments are the
/// Fuss–Catalan numbers, E\[x\] = 1, E\[x²\] = L + 1 (tested to 1e-9); E[ln x] = -L.
pub fn fuss_catalan_expectation(depth: usize, g: impl Fn(f64) -> f64) -> Result<f64> {
    let l = nonzero("depth L of the product", depth)? as f64;
    let rule = GaussLegendre::new(16)?;
    let end = std::f64::consts::PI / (l + 1.0);
    let f = |phi: f64| {
        let (x, rho, dx) = fuss_catalan_at(l, phi);
        if x > 0.0 { g(x) * rho * dx.abs() } else { 0.0 }
    };
    let half = 0.5 * end;
    let h = half / 128.0;
    let mut total = 0.0;
    for p in 0..128 {
        total += rule.integrate(f, p as f64 * h, (p + 1) as f64 * h);
    }
    // [end - half 2^-k, end - half 2^-(k+1)] for k = 0, 1, ..., 59.
    let mut width = half;
    for _ in 0..60 {
        total += rule.integrate(f, end - width, end - 0.5 * width);
        width *= 0.5;
    }
    Ok(total)
}

/// The density of y = ln σ under the Fuss–Catalan law of σ² for `depth` factors, at
/// `points` values of φ evenly spaced inside (0, π/(L+1)): pairs (y, p(y)) with
/// p(y) = 2 x ρ(x), in increasing y. `points` = 0 or `depth` = 0 is an error.
pub fn fuss_catalan_log_sigma_density(depth: usize, points: usize) -> Result<Vec<(f64, f64)>> {
    let l = nonzero("depth L of the product", depth)? as f64;
    nonzero("number of points", points)?;
    let end = std::f64::consts::PI / (l + 1.0);
    let mut out: Vec<(f64, f64)> = (0..points)
        .map(|i| {
            let phi = end * (i as f64 + 0.5) / points as f64;
            let (x, rho, _) = fuss_catalan_at(l, phi);
            (0.5 * ln(x), 2.0 * x * rho)
        })
        .collect();
    out.reverse();
    Ok(out)
}

fn mode_args(depth: usize, s: f64, u0: f64, eta: f64) -> Result<f64> {
    let l = nonzero("depth L of the linear network", depth)? as f64;
    initnet::error::positive("target singular value s", s)?;
    initnet::error::positive("initial mode strength u0", u0)?;
    initnet::error::positive("learning rate", eta)?;
    Ok(2.0 - 2.0 / l)
}

/// The time (in epochs) for one mode of a deep linear network to go from strength `u0` to
/// `u1` (Saxe, McClelland and Ganguli, 2014).
///
/// A network W_L ⋯ W_1 of `depth` = L square layers is trained by gradient descent with
/// learning rate η/L on ½‖A - W_L ⋯ W_1‖²_F (whitened inputs). If it starts *balanced and
/// aligned*, W_l = R_l diag(a) R_{l-1}ᵀ with R_0 = V, R_L = U, A = U diag(s) Vᵀ, it stays so,
/// each a_α following da/dt = (η/L) a^(L-1) (s - a^L) per epoch; the mode's strength
/// u = a^L obeys
///
/// du/dt = η u^(2 - 2/L) (s - u),   t(u0 → u1) = (1/η) ∫ du / (u^(2-2/L) (s - u)).
///
/// For L = 2 this is Saxe's closed form t = ln(u1 (s - u0) / (u0 (s - u1))) / (η s).
/// Computed as (1/η)[∫ (u^-p - s^-p)/(s - u) du + s^-p ln((s - u0)/(s - u1))], p = 2 - 2/L,
/// whose first integrand is smooth, by Gauss–Legendre in ln u. `u1` must lie strictly
/// between `u0` and `s` (or equal u0): otherwise an error naming it.
pub fn deep_linear_time(depth: usize, s: f64, u0: f64, u1: f64, eta: f64) -> Result<f64> {
    let p = mode_args(depth, s, u0, eta)?;
    let inside = (u0 <= u1 && u1 < s) || (s < u1 && u1 <= u0);
    if !inside || !u1.is_finite() {
        return Err(Error::OutOfRange {
            name: "final mode strength u1",
            expected: "between u0 and the target s (s excluded)",
            value: u1,
        });
    }
    let sp = pow(s, -p);
    // In v = ln u (du = u dv), on panels of 32 nodes at most 1/4 wide in v: smooth even
    // when u0 is tiny.
    let rule = GaussLegendre::new(32)?;
    let (v0, v1) = (ln(u0), ln(u1));
    let panels = ((v1 - v0).abs() * 4.0).ceil().max(1.0) as usize;
    let h = (v1 - v0) / panels as f64;
    let mut smooth = 0.0;
    for k in 0..panels {
        smooth += rule.integrate(
            |v| {
                let u = initnet::math::exp(v);
                u * (pow(u, -p) - sp) / (s - u)
            },
            v0 + k as f64 * h,
            v0 + (k + 1) as f64 * h,
        );
    }
    Ok((smooth + sp * ln((s - u0) / (s - u1))) / eta)
}

/// The strength u(t) of one mode after time `t` (epochs), the inverse of
/// [`deep_linear_time`]: bisection to 1e-12 relative. t = 0 gives u0, and u(t) → s.
pub fn deep_linear_mode(depth: usize, s: f64, u0: f64, eta: f64, t: f64) -> Result<f64> {
    mode_args(depth, s, u0, eta)?;
    initnet::error::non_negative("time t", t)?;
    if u0 == s || t == 0.0 {
        return Ok(u0);
    }
    let (mut lo, mut hi) = (u0, s);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid == lo || mid == hi {
            break;
        }
        if deep_linear_time(depth, s, u0, mid, eta)? < t {
            lo = mid;
        } else {
            hi = mid;
        }
        if (hi - lo).abs() <= 1e-12 * s {
            break;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// The squared singular values λ of a deep network's input-output Jacobian
/// J = D_L W_L ⋯ D_1 W_1 (D_l = diag f'(a^l)) in the large-width limit, for one input
/// whose layer l has pre-activation variance `q[l-1]`, weights with σ_w² = n Var(W), and
/// either Gaussian or Haar orthogonal weights (`orthogonal`): returns (mean of λ,
/// relative variance Var(λ)/mean²).
///
/// The mean is Π_l χ_l with χ_l = σ_w² μ₁(q_l), μ_k(q) = E[f'(√q z)^(2k)] (the mean field's
/// χ₁ layer by layer). The relative variance follows from free probability: for freely
/// independent factors the relative variances of a product add (τ(abab) = τ(a²)τ(b)² +
/// τ(a)²τ(b²) - τ(a)²τ(b)²). Each D_l² contributes μ₂/μ₁² - 1, each W_l W_lᵀ contributes
/// 1 if Gaussian (Marchenko–Pastur) and 0 if orthogonal, so
///
/// Var(λ)/mean² = Σ_l [μ₂(q_l)/μ₁(q_l)² - 1 + (1 if Gaussian)],
///
/// Pennington, Schoenholz and Ganguli (2017)'s σ²_JJᵀ with s₁ = -1 (Gaussian) or 0
/// (orthogonal). For ReLU, μ₂/μ₁² = 2 at every q: relative variance 2L (Gaussian) or L
/// (orthogonal), never 0; for tanh it tends to 0 with q for orthogonal weights.
pub fn jacobian_spectrum(
    activation: Activation,
    sigma_w2: f64,
    q: &[f64],
    orthogonal: bool,
) -> Result<(f64, f64)> {
    initnet::error::positive("sigma_w^2", sigma_w2)?;
    let (mut mean, mut rel) = (1.0, 0.0);
    for &ql in q {
        if !(ql.is_finite() && ql >= 0.0) {
            return Err(Error::OutOfRange {
                name: "pre-activation variance q_l",
                expected: "finite and >= 0",
                value: ql,
            });
        }
        let mu1 = gaussian_expectation(
            |a| {
                let d = activation.df(a);
                d * d
            },
            ql,
        )?;
        let mu2 = gaussian_expectation(
            |a| {
                let d = activation.df(a);
                d * d * d * d
            },
            ql,
        )?;
        mean *= sigma_w2 * mu1;
        rel += mu2 / (mu1 * mu1) - 1.0 + if orthogonal { 0.0 } else { 1.0 };
    }
    Ok((mean, rel))
}

/// The exact finite-width moments of the Jacobian J = D_L W_L ⋯ D_1 W_1 of a ReLU network
/// of `depth` square layers of width `n` with Gaussian weights at He's scale,
/// Var(W) = 2/n, zero biases, at one nonzero input: (E\[m₁\], E\[m₁²\], E\[m₂\]) with
/// m₁ = tr(JᵀJ)/n and m₂ = tr((JᵀJ)²)/n, the first two moments of λ = σ².
///
/// Write A = tr(JᵀJ), B = tr((JᵀJ)²) and G = JJᵀ for the Jacobian of l layers. One more
/// layer gives A' = Σ_i d_i w_iᵀ G w_i and B' = Σ_ij d_i d_j (w_iᵀ G w_j)², with w_i the
/// rows of W and d_i = 1[w_i · h > 0] (p = ½). Given the earlier layers, the rows are
/// independent, and conditioning a row on the sign of its component along h leaves its
/// moments up to the fourth unchanged (every mixed moment with an odd power of that
/// component vanishes either way). Wick's theorem, E[(wᵀGw)²] = v²(A² + 2B) and
/// E[(w_iᵀGw_j)²] = v²B, then gives, with v = 2/n,
///
/// E[A'] = npv A,  E[A'²] = npv²(A² + 2B) + n(n-1)p²v² A²,
/// E[B'] = npv²(A² + 2B) + n(n-1)p²v² B,
///
/// linear in (A, A², B), from A = B = n for the identity. As n → ∞, E\[m₂\]/E\[m₁²\] - 1 tends
/// to 2L, the free-probability value of [`jacobian_spectrum`]; at finite n it exceeds it
/// by a term of relative order L/n.
pub fn relu_jacobian_moments(n: usize, depth: usize) -> Result<(f64, f64, f64)> {
    let nf = nonzero("width n of the network", n)? as f64;
    let (p, v) = (0.5, 2.0 / nf);
    let (mut a, mut a2, mut b) = (nf, nf * nf, nf);
    for _ in 0..depth {
        let diag = nf * p * v * v * (a2 + 2.0 * b);
        let off = nf * (nf - 1.0) * p * p * v * v;
        (a, a2, b) = (nf * p * v * a, diag + off * a2, diag + off * b);
    }
    Ok((a / nf, a2 / (nf * nf), b / nf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_moments() {
        // One factor: the Wishart moment 2 + 1/n; deep and wide: L + 1.
        assert!((gaussian_product_sigma4(10, 1).unwrap() - 2.1).abs() < 1e-14);
        assert!((gaussian_product_sigma4(100_000, 7).unwrap() - 8.0).abs() < 1e-3);
        assert_eq!(gaussian_product_sigma4(5, 0).unwrap(), 1.0);
        // n = 1: a product of L N(0, 1) numbers, E[x^4] = 3^L.
        assert!((gaussian_product_sigma4(1, 3).unwrap() - 27.0).abs() < 1e-12);
        // n = 1: E[ln |z|] = (ψ(1/2) + ln 2)/2 per factor.
        let e = (digamma(0.5).unwrap() + ln(2.0)) / 2.0;
        assert!((gaussian_product_mean_log_sigma(1, 4).unwrap() - 4.0 * e).abs() < 1e-13);
        assert!((gaussian_product_mean_log_sigma(20_000, 3).unwrap() + 1.5).abs() < 1e-3);
        assert!(gaussian_product_sigma4(0, 3).is_err());
    }

    #[test]
    fn relu_jacobian_moments_tend_to_free_probability() {
        // One layer: E[m₂] = (1 + 3/n) + 2, E[m₁²] = 1 + 1/n + 4/n².
        let (m1, m11, m2) = relu_jacobian_moments(64, 1).unwrap();
        assert!((m1 - 1.0).abs() < 1e-15);
        assert!((m2 - (3.0 + 3.0 / 64.0)).abs() < 1e-13);
        assert!((m11 - (1.0 + 1.0 / 64.0 + 4.0 / 4096.0)).abs() < 1e-13);
        for l in [1usize, 4, 16] {
            let (_, m11, m2) = relu_jacobian_moments(1 << 20, l).unwrap();
            let q = vec![1.0; l];
            let (_, rel) = jacobian_spectrum(Activation::Relu, 2.0, &q, false).unwrap();
            assert!((m2 / m11 - 1.0 - rel).abs() < 1e-3 * rel, "{l}");
        }
        assert!(relu_jacobian_moments(0, 3).is_err());
    }

    #[test]
    fn fuss_catalan_moments() {
        for l in [1usize, 2, 3, 8, 32] {
            let lf = l as f64;
            let mass = fuss_catalan_expectation(l, |_| 1.0).unwrap();
            let m1 = fuss_catalan_expectation(l, |x| x).unwrap();
            let m2 = fuss_catalan_expectation(l, |x| x * x).unwrap();
            let lnx = fuss_catalan_expectation(l, ln).unwrap();
            assert!((mass - 1.0).abs() < 1e-8, "{l}: {mass}");
            assert!((m1 - 1.0).abs() < 1e-9, "{l}: {m1}");
            assert!((m2 - (lf + 1.0)).abs() < 1e-9 * lf, "{l}: {m2}");
            assert!((lnx + lf).abs() < 1e-4 * lf, "{l}: {lnx}");
        }
        // L = 1 is Marchenko–Pastur: density of x is sqrt((4 - x)/x)/(2π).
        let (x, rho, _) = fuss_catalan_at(1.0, 0.7);
        assert!((rho - ((4.0 - x) / x).sqrt() / (2.0 * std::f64::consts::PI)).abs() < 1e-14);
        let d = fuss_catalan_log_sigma_density(4, 50).unwrap();
        assert!(d.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn saxe_dynamics() {
        // L = 2: Saxe's closed form.
        let (s, u0, u1, eta) = (2.0, 0.01, 1.9, 0.1);
        let t = deep_linear_time(2, s, u0, u1, eta).unwrap();
        let closed = ln(u1 * (s - u0) / (u0 * (s - u1))) / (eta * s);
        assert!((t - closed).abs() < 1e-10 * closed, "{t} {closed}");
        // L = 1: exponential approach, t = ln((s - u0)/(s - u1)) / eta.
        let t1 = deep_linear_time(1, s, u0, u1, eta).unwrap();
        assert!((t1 - ln((s - u0) / (s - u1)) / eta).abs() < 1e-12);
        // Decreasing modes, and the inverse.
        let t3 = deep_linear_time(5, 0.5, 1.0, 0.6, 0.2).unwrap();
        let u = deep_linear_mode(5, 0.5, 1.0, 0.2, t3).unwrap();
        assert!((u - 0.6).abs() < 1e-11, "{u}");
        assert!(deep_linear_time(3, 1.0, 0.5, 1.5, 0.1).is_err());
        // Against a fine Euler integration of du/dt = eta u^p (s - u), L = 6.
        let (l, s, u0, eta) = (6usize, 1.5, 1.0, 0.3);
        let p = 2.0 - 2.0 / l as f64;
        let (mut u, dt) = (u0, 1e-4);
        for _ in 0..(10.0 / dt) as usize {
            u += dt * eta * pow(u, p) * (s - u);
        }
        let predicted = deep_linear_mode(l, s, u0, eta, 10.0).unwrap();
        assert!((u - predicted).abs() < 1e-4, "{u} {predicted}");
    }

    #[test]
    fn jacobian_spectrum_limits() {
        // ReLU at He's sigma_w^2 = 2: mean 1, relative variance 2L or L.
        let q = vec![2.0; 10];
        let (m, r) = jacobian_spectrum(Activation::Relu, 2.0, &q, false).unwrap();
        assert!(
            (m - 1.0).abs() < 1e-12 && (r - 20.0).abs() < 1e-9,
            "{m} {r}"
        );
        let (_, r) = jacobian_spectrum(Activation::Relu, 2.0, &q, true).unwrap();
        assert!((r - 10.0).abs() < 1e-9);
        // Linear network: Gaussian L (Fuss–Catalan: E x^2 - 1 = L), orthogonal 0.
        let (m, r) = jacobian_spectrum(Activation::Identity, 1.0, &q, false).unwrap();
        assert!((m - 1.0).abs() < 1e-12 && (r - 10.0).abs() < 1e-9);
        let (_, r) = jacobian_spectrum(Activation::Identity, 1.0, &q, true).unwrap();
        assert!(r.abs() < 1e-12);
        // tanh with tiny q: almost linear.
        let (m, r) = jacobian_spectrum(Activation::Tanh, 1.0, &[1e-6; 10], true).unwrap();
        assert!((m - 1.0).abs() < 1e-4 && r < 1e-4, "{m} {r}");
        assert!(jacobian_spectrum(Activation::Tanh, 1.0, &[f64::NAN], true).is_err());
    }
}

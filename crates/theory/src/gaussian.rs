//! Expectations over a Gaussian, the integrals every mean-field formula is made of, and
//! their closed forms for the piecewise-linear activations.
//!
//! [`gaussian_expectation`] is the book's one rule for E[g(a)], a ~ N(0, q), and
//! [`correlated_expectation`] its two-dimensional sibling for E[g(u1, u2)] with u1, u2
//! jointly Gaussian. Both split the integral where the book's activations have their kink,
//! at 0: 0 is always a boundary of the rule's panels, and g is taken there as its one-sided
//! limits, so a jump of g (ReLU's derivative) or a kink of g (ReLU) costs no more than
//! the rule's error on a smooth half. [`kept_fraction`], [`kappa`] and [`piecewise_linear_covariance`] give
//! the same integrals in closed form for the identity, ReLU and leaky ReLU.

use initnet::error::non_negative;
use initnet::{Activation, Error, Result};

use crate::special::{GaussLegendre, normal_pdf, simpson};
use initnet::math;

/// The rules integrate z = a/√q over [-12, 12]: the Gaussian mass outside is 2Φ(-12),
/// below 4e-33.
pub const HALF_WIDTH: f64 = 12.0;

/// Simpson intervals over [-12, 12] in z for q <= [`WIDE`]: a step of 1/200.
pub const INTERVALS: usize = 4800;

/// The largest variance [`gaussian_expectation`] integrates by Simpson's rule in z. Above
/// it, a g that changes on the scale of 1 in a (tanh, the sigmoid, their derivatives)
/// changes on the scale 1/√q < 0.041 in z, a few steps of 1/200, and the rule loses
/// digits: for sech⁴ the relative error is 1e-14 at q = 600, 4e-12 at 800, 1e-10 at 1000,
/// and 7e-4 for sech² at q = 10^4.
pub const WIDE: f64 = 600.0;

/// Half-width, in units of a, of the band around a kink where the panelled rules use fine
/// panels: beyond |a| = 40, tanh and sech² are constant and the sigmoid's slope is below
/// 5e-18, so what is left varies on the scale of the Gaussian.
pub const BAND: f64 = 40.0;

/// Width, in units of a, of the fine panels inside the band: tanh's poles at ±iπ/2 lie
/// far enough outside a panel of width 1 for [`PANEL_NODES`] nodes to reach 1e-14, even
/// for sech⁴ (a pole of order 4).
const FINE: f64 = 1.0;

/// Width, in units of z, of the panels outside the band (and of all panels when the
/// Gaussian is narrower than the band).
const COARSE: f64 = 0.5;

/// Width of the outer panels of [`correlated_expectation`], in units of the inner
/// kink's position, while that kink sweeps through the inner Gaussian.
const SWEEP: f64 = 1.0;

/// Gauss–Legendre nodes per panel of the panelled rules.
pub const PANEL_NODES: usize = 10;

/// g's one-sided limits at 0, g(0-) and g(0+), taken at the smallest normal numbers.
fn one_sided(g: &impl Fn(f64) -> f64) -> (f64, f64) {
    (g(-f64::MIN_POSITIVE), g(f64::MIN_POSITIVE))
}

/// E[g(a)] for a ~ N(0, q): ∫ g(√q z) φ(z) dz, for a g that is smooth except perhaps for a
/// kink or a jump at a = 0.
///
/// - q = 0: g(0), since a is 0.
/// - 0 < q <= [`WIDE`]: composite Simpson's rule in z over [-12, 12] with [`INTERVALS`]
///   intervals (a step h = 1/200). z = 0 is a node between two Simpson panels, so the rule
///   is the sum of the rules on the two halves; there g takes the mean of its one-sided
///   limits, which makes a jump at 0 (ReLU's derivative) cost no accuracy. The error is
///   below 1e-12 relative for tanh, the sigmoid, their squares and derivatives, and for
///   ReLU squared and its derivative (the tests check closed forms and asymptotics). A g
///   whose slope jumps at 0 (|a|, relu(a) itself) leaves Simpson's end correction
///   h⁴/60 ≈ 1e-11 relative.
/// - q > [`WIDE`]: composite Gauss–Legendre ([`PANEL_NODES`] nodes a panel) in z, on
///   panels 1/√q wide (1 in a) within |a| <= [`BAND`] of the kink at 0 and 0.5 wide
///   beyond: accurate to about 1e-12 at any q for a g that changes on the scale of 1 near
///   0 and slowly beyond (tanh, the sigmoid, piecewise-linear functions), with about a
///   thousand evaluations of g.
///
/// This is the integral of the mean-field recursion of Poole et al. (2016); its closed
/// forms for piecewise-linear activations are [`kept_fraction`] and the like. A q that is
/// negative or not finite is an error naming it.
pub fn gaussian_expectation(g: impl Fn(f64) -> f64, q: f64) -> Result<f64> {
    let q = non_negative("variance q of a Gaussian", q)?;
    if q == 0.0 {
        return Ok(g(0.0));
    }
    let s = q.sqrt();
    let (below, above) = one_sided(&g);
    if q <= WIDE {
        // Node 2400 of 4800 is z = -12 + 2400 * (24 / 4800) = 0 exactly.
        let at_zero = 0.5 * (below + above);
        return Ok(simpson(
            |z| {
                if z == 0.0 {
                    at_zero * normal_pdf(z)
                } else {
                    g(s * z) * normal_pdf(z)
                }
            },
            -HALF_WIDTH,
            HALF_WIDTH,
            INTERVALS,
        ));
    }
    let rule = GaussLegendre::new(PANEL_NODES)?;
    Ok(panelled(
        &rule,
        |z| g(s * z) * normal_pdf(z),
        0.0,
        &[Zone::around(s)],
    ))
}

/// Fine panels near a kink: within `half_width` of it (in z), panels at most `width` wide.
#[derive(Debug, Clone, Copy)]
struct Zone {
    half_width: f64,
    width: f64,
}

impl Zone {
    /// The zone where a function of `scale` z (scale = da/dz) changes on the scale of 1 in
    /// a: fine panels of [`FINE`] in a within [`BAND`] in a of the kink.
    fn around(scale: f64) -> Zone {
        Zone {
            half_width: BAND / scale,
            width: FINE / scale,
        }
    }
}

/// ∫ h(z) over [-12, 12] by composite Gauss–Legendre on panels that meet at `kink`
/// (clamped to the range): at distance d from it a panel is at most the `width` of every
/// zone with d < its `half_width`, and at most 0.5 wide.
fn panelled(rule: &GaussLegendre, h: impl Fn(f64) -> f64, kink: f64, zones: &[Zone]) -> f64 {
    let kink = kink.clamp(-HALF_WIDTH, HALF_WIDTH);
    let mut total = 0.0;
    for direction in [-1.0, 1.0] {
        let end = direction * HALF_WIDTH;
        let mut lo = kink;
        while lo != end {
            let d = (lo - kink).abs();
            let width = zones
                .iter()
                .filter(|z| d < z.half_width)
                .fold(COARSE, |w, z| w.min(z.width));
            let hi = if (end - lo).abs() <= width {
                end
            } else {
                lo + direction * width
            };
            total += rule.integrate(&h, lo.min(hi), lo.max(hi));
            lo = hi;
        }
    }
    total
}

/// `c` if it is a correlation (in [-1, 1]; NaN is not), else an error naming it.
fn correlation(c: f64) -> Result<f64> {
    if (-1.0..=1.0).contains(&c) {
        Ok(c)
    } else {
        Err(Error::OutOfRange {
            name: "correlation c of two Gaussians",
            expected: "in [-1, 1]",
            value: c,
        })
    }
}

/// E[g(u1, u2)] for (u1, u2) jointly Gaussian with mean 0, variances q and correlation c:
/// u1 = √q z1, u2 = √q (c z1 + √(1 - c²) z2) with z1, z2 independent N(0, 1).
///
/// The integral over z2 for each z1 and the one over z1 are both panelled Gauss–Legendre
/// rules (as in [`gaussian_expectation`] above [`WIDE`]) whose panels meet where u2 = 0 and
/// where u1 = 0, so kinks and jumps of g on the axes cost no accuracy; the panels are fine
/// (1 in units of u) within 40 of them, and, over z1, fine also where the kink of the
/// inner integral sweeps through its Gaussian (narrow when c is near ±1). That is about
/// 2·10^5 evaluations of g for q near 1 and up to 2·10^6 for large q. The error is about
/// 1e-12 for products f(u1) f(u2) of the book's activations at any q. At c = ±1 the
/// pair is degenerate (u2 = ±u1) and this is [`gaussian_expectation`] of g(a, ±a).
///
/// This is the integral of the correlation map ([`crate::c_map`]). A q that is negative or
/// not finite, or a c outside [-1, 1], is an error naming it.
pub fn correlated_expectation(g: impl Fn(f64, f64) -> f64, q: f64, c: f64) -> Result<f64> {
    let q = non_negative("variance q of a Gaussian", q)?;
    let c = correlation(c)?;
    if c == 1.0 {
        return gaussian_expectation(|a| g(a, a), q);
    }
    if c == -1.0 || q == 0.0 {
        return gaussian_expectation(|a| g(a, -a), q);
    }
    let s = q.sqrt();
    let sc = (1.0 - c * c).sqrt();
    let rule = GaussLegendre::new(PANEL_NODES)?;
    // The inner integral, over z2 for one z1: g's kink in u2 sits at z2 = -c z1 / sc, and
    // u2 changes by s sc per unit of z2.
    let inner_zones = [Zone::around(s * sc)];
    let outer = |z1: f64| {
        let u1 = s * z1;
        let inner = panelled(
            &rule,
            |z2| g(u1, s * (c * z1 + sc * z2)) * normal_pdf(z2),
            -c * z1 / sc,
            &inner_zones,
        );
        inner * normal_pdf(z1)
    };
    // The outer integral, over z1: g changes with u1 = s z1, and the inner integral
    // changes as its kink -c z1 / sc sweeps through the inner Gaussian, on the scale
    // sc / |c| in z1 (narrow when c is near ±1), until it leaves [-12, 12].
    let sweep = c.abs() / sc;
    let outer_zones = [
        Zone::around(s),
        Zone {
            half_width: HALF_WIDTH / sweep,
            width: SWEEP / sweep,
        },
    ];
    Ok(panelled(&rule, outer, 0.0, &outer_zones))
}

/// The slopes (below 0, above 0) of a piecewise-linear activation: (1, 1) for the
/// identity, (0, 1) for ReLU, (alpha, 1) for a leaky ReLU; None for the others.
pub fn slopes(activation: Activation) -> Option<(f64, f64)> {
    match activation {
        Activation::Identity => Some((1.0, 1.0)),
        Activation::Relu => Some((0.0, 1.0)),
        Activation::LeakyRelu(alpha) => Some((alpha, 1.0)),
        Activation::Tanh
        | Activation::Sigmoid
        | Activation::Gelu
        | Activation::GeluTanh
        | Activation::Silu
        | Activation::Elu(_)
        | Activation::Selu => None,
    }
}

/// E[f(a)²] / E\[a²\] for a symmetric a, the share of the second moment a layer lets through:
/// 1/2 for ReLU, (1 + alpha²)/2 for a leaky ReLU of slope alpha, 1 for the identity
/// (He et al., 2015). For these positively homogeneous f it holds at every scale, so
/// E[f(√q z)²] = q times it and E[f'(√q z)²] is it too. Tanh and the sigmoid are not
/// homogeneous (the share depends on q, see [`crate::q_map`]): None, as for GELU, SiLU,
/// ELU and SELU.
pub fn kept_fraction(activation: Activation) -> Option<f64> {
    match activation {
        Activation::Relu => Some(0.5),
        Activation::LeakyRelu(alpha) => Some((1.0 + alpha * alpha) / 2.0),
        Activation::Identity => Some(1.0),
        Activation::Tanh
        | Activation::Sigmoid
        | Activation::Gelu
        | Activation::GeluTanh
        | Activation::Silu
        | Activation::Elu(_)
        | Activation::Selu => None,
    }
}

/// The excess kurtosis-like constant κ = E[f(z)^4] / E[f(z)²]² - 1 of a piecewise-linear
/// f fed z ~ N(0, 1): with slopes alpha below 0 and 1 above, E[f(z)²] = (1 + alpha²)/2 and
/// E[f(z)^4] = 3 (1 + alpha^4)/2, so κ = 6 (1 + alpha^4)/(1 + alpha²)² - 1: 5 for ReLU,
/// 2 for the identity (a chi-square). κ/n is the relative variance of one layer's factor
/// |h^l|² / |h^(l-1)|² in a layer of width n (see [`crate::relative_variance`]). None for
/// tanh and the sigmoid.
pub fn kappa(activation: Activation) -> Option<f64> {
    let (alpha, _) = slopes(activation)?;
    let a2 = alpha * alpha;
    Some(6.0 * (1.0 + a2 * a2) / math::powi(1.0 + a2, 2) - 1.0)
}

/// E[relu(u1) relu(u2)] for (u1, u2) jointly Gaussian with variances q and correlation c:
/// the arc-cosine kernel of degree 1 (Cho and Saul, 2009),
/// (q / 2π) (√(1 - c²) + (π - arccos c) c). Arguments outside q >= 0, c in [-1, 1] give
/// NaN; [`piecewise_linear_covariance`] checks them.
pub fn arc_cosine_kernel(q: f64, c: f64) -> f64 {
    let pi = std::f64::consts::PI;
    q / (2.0 * pi) * ((1.0 - c * c).sqrt() + (pi - math::acos(c)) * c)
}

/// E[f(u1) f(u2)] in closed form for a piecewise-linear f, (u1, u2) as in
/// [`correlated_expectation`]. Writing a leaky ReLU of slope alpha as
/// f(u) = alpha u + (1 - alpha) relu(u), and using E[u1 relu(u2)] = c q / 2:
/// alpha q c + (1 - alpha)² k(q, c) with k the [`arc_cosine_kernel`]; q c for the
/// identity, k for ReLU. Ok(None) for tanh and the sigmoid. A q that is negative or not
/// finite, or a c outside [-1, 1], is an error naming it.
pub fn piecewise_linear_covariance(activation: Activation, q: f64, c: f64) -> Result<Option<f64>> {
    let q = non_negative("variance q of a Gaussian", q)?;
    let c = correlation(c)?;
    Ok(slopes(activation)
        .map(|(alpha, _)| alpha * q * c + math::powi(1.0 - alpha, 2) * arc_cosine_kernel(q, c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn e(g: impl Fn(f64) -> f64, q: f64) -> f64 {
        gaussian_expectation(g, q).unwrap()
    }

    fn relu(a: f64) -> f64 {
        Activation::Relu.f(a)
    }

    /// Relative difference, with an absolute floor for values near 0.
    fn close(x: f64, y: f64, tol: f64) -> bool {
        (x - y).abs() <= tol * y.abs().max(1e-300)
    }

    /// The variances the tests sweep: both rules, from tiny to huge.
    const QS: [f64; 12] = [
        1e-12, 1e-3, 0.3, 1.0, 2.0, 50.0, 500.0, 600.0, 600.5, 1e4, 1e8, 1e16,
    ];

    /// Simpson's end correction at a jump of g' at 0: h^4/60 relative, h = 1/200.
    const CORNER: f64 = 1.1e-11;

    #[test]
    fn moments_of_a_gaussian() {
        for q in QS {
            assert!(close(e(|_| 1.0, q), 1.0, 1e-13), "q = {q}");
            assert!(close(e(|a| a * a, q), q, 1e-12), "q = {q}");
            assert!(
                close(e(|a| math::powi(a, 4), q), 3.0 * q * q, 1e-12),
                "q = {q}"
            );
            // E|a| = sqrt(2q/pi): a kink at 0.
            assert!(
                close(e(f64::abs, q), (2.0 * q / PI).sqrt(), CORNER),
                "q = {q}"
            );
            // Odd moments vanish by symmetry, up to rounding of terms of size q^(3/2).
            assert!(
                e(|a| math::powi(a, 3), q).abs() < 1e-13 * math::pow(q, 1.5),
                "q = {q}"
            );
        }
        // The characteristic function: E[cos a] = exp(-q/2), analytic in q.
        for q in [0.1, 1.0, 4.0, 30.0] {
            assert!(
                (e(math::cos, q) - math::exp(-q / 2.0)).abs() < 1e-13,
                "q = {q}"
            );
        }
    }

    #[test]
    fn relu_and_leaky_relu_have_their_closed_forms() {
        for q in QS {
            // E[relu(a)^2] = q/2, E[relu(a)] = sqrt(q/(2 pi)).
            assert!(
                close(e(|a| math::powi(relu(a), 2), q), q / 2.0, 1e-12),
                "q = {q}"
            );
            assert!(
                close(e(relu, q), (q / (2.0 * PI)).sqrt(), CORNER),
                "q = {q}"
            );
            // The derivative jumps at 0: E[relu'(a)^2] = P(a > 0) = 1/2 exactly, which a rule
            // that took relu'(0) = 0 at its middle node would miss by (h/3) phi(0) = 7e-4.
            assert!(
                close(e(|a| Activation::Relu.df(a), q), 0.5, 1e-12),
                "q = {q}"
            );
            for alpha in [0.01, 0.3] {
                let f = Activation::LeakyRelu(alpha);
                let keep = kept_fraction(f).unwrap();
                assert!(
                    close(e(|a| math::powi(f.f(a), 2), q), keep * q, 1e-12),
                    "q = {q}"
                );
                assert!(
                    close(e(|a| math::powi(f.df(a), 2), q), keep, 1e-12),
                    "q = {q}"
                );
            }
        }
        // kept_fraction against the rule for every piecewise-linear activation.
        for f in [
            Activation::Identity,
            Activation::Relu,
            Activation::LeakyRelu(0.2),
        ] {
            let keep = kept_fraction(f).unwrap();
            assert!(
                close(e(|a| math::powi(f.f(a), 2), 3.0), 3.0 * keep, 1e-12),
                "{f}"
            );
        }
        assert_eq!(kept_fraction(Activation::Tanh), None);
        assert_eq!(kept_fraction(Activation::Sigmoid), None);
    }

    #[test]
    fn tanh_and_sigmoid_against_series_and_asymptotics() {
        let t = |a: f64| Activation::Tanh.f(a);
        let sech2 = |a: f64| Activation::Tanh.df(a);
        let sig1 = |a: f64| Activation::Sigmoid.df(a);
        // Small q: E[tanh^2 a] = q - 2 q^2 + 17/3 q^3 + O(q^4) (tanh^2 a = a^2 - 2a^4/3 + 17a^6/45).
        let q: f64 = 1e-3;
        let series = q - 2.0 * q * q + 17.0 / 3.0 * math::powi(q, 3);
        assert!((e(|a| math::powi(t(a), 2), q) - series).abs() < 1e-10);
        // Large q, both rules: E[sech^2 a] = (2 phi(0)/sqrt q)(1 - pi^2/(24 q) + O(q^-2)),
        // since sech^2 integrates to 2 and its second moment to pi^2/6; likewise
        // E[sigmoid'(a)] = (phi(0)/sqrt q)(1 - pi^2/(6 q) + O(q^-2)).
        for q in [300.0, 600.0, 600.5, 3000.0, 1e4, 1e6, 1e12] {
            let sq = f64::sqrt(q);
            let lead = normal_pdf(0.0) / sq;
            let want = 2.0 * lead * (1.0 - PI * PI / (24.0 * q));
            // The O(q^-2) term bounds the tolerance: 7 pi^4/(1920 q^2) relative, or so.
            let tol = 1e-12 + 1.0 / (q * q);
            assert!(close(e(sech2, q), want, tol), "q = {q}: {}", e(sech2, q));
            let want = lead * (1.0 - PI * PI / (6.0 * q));
            assert!(
                close(e(sig1, q), want, tol * 10.0),
                "q = {q}: {}",
                e(sig1, q)
            );
            // tanh^2 = 1 - sech^2.
            assert!(
                (e(|a| math::powi(t(a), 2), q) + e(sech2, q) - 1.0).abs() < 1e-13,
                "q = {q}"
            );
        }
        // The sigmoid's mean is 1/2 by symmetry at every q.
        for q in QS {
            assert!(
                close(e(|a| Activation::Sigmoid.f(a), q), 0.5, 1e-13),
                "q = {q}"
            );
        }
    }

    /// Up to WIDE the rule is composite Simpson in z over [-12, 12] with 4800 intervals,
    /// the rule the book's figures were computed with: for a g continuous at 0 the mean
    /// of its one-sided limits is g(0) and the result is the same to the last bit.
    #[test]
    fn below_wide_the_rule_is_simpsons_bit_for_bit() {
        let fs = [
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::Relu,
            Activation::Identity,
        ];
        for q in [1e-9, 0.05, 1.0, 2.5, 123.0, WIDE] {
            let s = f64::sqrt(q);
            for f in fs {
                for g in [
                    &(|a: f64| math::powi(f.f(a), 2)) as &dyn Fn(f64) -> f64,
                    &|a: f64| f.f(a),
                ] {
                    let simpson_in_z = simpson(|z| g(s * z) * normal_pdf(z), -12.0, 12.0, 4800);
                    assert_eq!(e(g, q), simpson_in_z, "{f}, q = {q}");
                }
                if f != Activation::Relu {
                    let g = |a: f64| math::powi(f.df(a), 2);
                    let simpson_in_z = simpson(|z| g(s * z) * normal_pdf(z), -12.0, 12.0, 4800);
                    assert_eq!(e(g, q), simpson_in_z, "{f}', q = {q}");
                }
            }
        }
    }

    #[test]
    fn the_two_rules_meet_at_wide() {
        // Just below and just above WIDE the two rules agree to their accuracy.
        for g in [
            |a: f64| math::powi(Activation::Tanh.f(a), 2),
            |a: f64| math::powi(Activation::Tanh.df(a), 2),
            |a: f64| math::powi(Activation::Sigmoid.f(a), 2),
        ] {
            let below = e(g, WIDE);
            let above = e(g, WIDE * (1.0 + 1e-15));
            assert!(close(above, below, 1e-11), "{below} vs {above}");
        }
    }

    #[test]
    fn bad_variances_are_errors_naming_them() {
        for q in [-1.0, f64::NAN, f64::INFINITY] {
            let err = gaussian_expectation(|a| a, q).unwrap_err().to_string();
            assert!(
                err.contains("variance q") && err.contains(&q.to_string()),
                "{err}"
            );
            assert!(correlated_expectation(|a, b| a * b, q, 0.5).is_err());
            assert!(piecewise_linear_covariance(Activation::Relu, q, 0.5).is_err());
        }
        for c in [1.5, -1.01, f64::NAN] {
            let err = correlated_expectation(|a, b| a * b, 1.0, c)
                .unwrap_err()
                .to_string();
            assert!(err.contains("correlation"), "{err}");
            assert!(piecewise_linear_covariance(Activation::Relu, 1.0, c).is_err());
        }
        // q = 0 is a point mass: g(0), whatever the rule would say.
        assert_eq!(e(|a| a + 2.0, 0.0), 2.0);
        assert_eq!(e(|a| Activation::Relu.df(a), 0.0), 0.0);
    }

    #[test]
    fn correlated_expectation_matches_the_closed_forms() {
        let cs = [-1.0, -0.999, -0.5, 0.0, 0.3, 0.9, 0.999_999, 1.0];
        for q in [0.5, 2.0, 1e3, 1e8] {
            for c in cs {
                for f in [
                    Activation::Identity,
                    Activation::Relu,
                    Activation::LeakyRelu(0.2),
                ] {
                    let got = correlated_expectation(|a, b| f.f(a) * f.f(b), q, c).unwrap();
                    let want = piecewise_linear_covariance(f, q, c).unwrap().unwrap();
                    assert!(
                        (got - want).abs() < 1e-12 * q,
                        "{f}, q = {q}, c = {c}: {got} vs {want}"
                    );
                }
                // Jumps on both axes: P(u1 > 0, u2 > 0) = 1/4 + arcsin(c)/(2 pi) (Sheppard).
                let both = correlated_expectation(
                    |a, b| Activation::Relu.df(a) * Activation::Relu.df(b),
                    q,
                    c,
                )
                .unwrap();
                let want = 0.25 + math::asin(c) / (2.0 * PI);
                assert!((both - want).abs() < 1e-12, "q = {q}, c = {c}: {both}");
            }
        }
        // Independence (c = 0) factorizes: E[tanh(u1)^2 cos(u2)] = E[tanh^2] E[cos].
        for q in [0.7, 5.0] {
            let got = correlated_expectation(
                |a, b| math::powi(Activation::Tanh.f(a), 2) * math::cos(b),
                q,
                0.0,
            )
            .unwrap();
            let want = e(|a| math::powi(Activation::Tanh.f(a), 2), q) * math::exp(-q / 2.0);
            assert!((got - want).abs() < 1e-12, "q = {q}: {got} vs {want}");
        }
        // The rule integrates over u2 inside and u1 outside; swapping the arguments of a
        // g that is not symmetric swaps those roles, and the two results agree to the
        // rule's accuracy, also at large q where tanh and the sigmoid are steps.
        let t = |a: f64| Activation::Tanh.f(a);
        let sig = |a: f64| Activation::Sigmoid.f(a);
        for q in [0.7, 30.0, 1e3, 1e8] {
            for c in [-0.8, 0.3, 0.99] {
                let ab = correlated_expectation(|a, b| math::powi(t(a), 2) * sig(b), q, c).unwrap();
                let ba = correlated_expectation(|a, b| math::powi(t(b), 2) * sig(a), q, c).unwrap();
                assert!((ab - ba).abs() < 1e-12, "q = {q}, c = {c}: {ab} vs {ba}");
            }
        }
        // Continuity at c = 1 for a smooth g: the 2-D rule tends to the 1-D one.
        let t = |a: f64| Activation::Tanh.f(a);
        let at_one = correlated_expectation(|a, b| t(a) * t(b), 1.5, 1.0).unwrap();
        let near = correlated_expectation(|a, b| t(a) * t(b), 1.5, 1.0 - 1e-10).unwrap();
        assert!((at_one - near).abs() < 1e-9, "{at_one} vs {near}");
    }

    #[test]
    fn the_arc_cosine_kernel_at_its_ends() {
        // c = 1: E[relu(u)^2] = q/2; c = 0: E[relu]^2 = q/(2 pi); c = -1: 0.
        assert!((arc_cosine_kernel(2.0, 1.0) - 1.0).abs() < 1e-15);
        assert!((arc_cosine_kernel(2.0, 0.0) - 1.0 / PI).abs() < 1e-15);
        assert!(arc_cosine_kernel(2.0, -1.0).abs() < 1e-15);
        assert_eq!(
            piecewise_linear_covariance(Activation::Tanh, 1.0, 0.5).unwrap(),
            None
        );
    }

    #[test]
    fn kappa_closed_forms() {
        assert_eq!(kappa(Activation::Relu), Some(5.0));
        assert_eq!(kappa(Activation::Identity), Some(2.0));
        assert_eq!(kappa(Activation::Tanh), None);
        // Against the rule: kappa = E[f^4]/E[f^2]^2 - 1.
        let f = Activation::LeakyRelu(0.3);
        let m2 = e(|a| math::powi(f.f(a), 2), 1.0);
        let m4 = e(|a| math::powi(f.f(a), 4), 1.0);
        assert!((m4 / (m2 * m2) - 1.0 - kappa(f).unwrap()).abs() < 1e-12);
        assert_eq!(slopes(Activation::Sigmoid), None);
    }
}

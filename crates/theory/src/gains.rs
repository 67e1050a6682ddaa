//! Gains for today's activations: the weight scale that keeps the signal's variance fixed.
//!
//! With zero biases and weights of variance Var(W) = g²/n_in, the q-map of one layer is
//! q_out = g² E[f(√q z)²], z ~ N(0, 1) ([`crate::q_map`]). For a positively homogeneous f
//! (ReLU, leaky ReLU, the identity) E[f(√q z)²] = q E[f(z)²], so one gain
//! g = 1/√E[f(z)²] keeps every q fixed (He et al., 2015). GELU, SiLU, ELU, SELU, tanh and
//! the sigmoid are not homogeneous: the gain that keeps q fixed,
//!
//! g(q) = √(q / E[f(√q z)²]),
//!
//! depends on the scale q of the signal ([`fixed_point_gain`]). Read the other way, a
//! network with a constant gain g has a fixed point q* of its length map where g(q*) = g
//! ([`gain_fixed_point`]); whether it is reached depends on the slope of the map there.
//!
//! SELU is built so that its fixed point with LeCun weights (g = 1) is q* = 1 with a mean
//! of 0 (Klambauer et al., 2017): E[selu(z)] = 0 and E[selu(z)²] = 1 for z ~ N(0, 1)
//! ([`selu_moments`]).

use initnet::error::positive;
use initnet::{Activation, Error, Result, math};

use crate::gaussian::gaussian_expectation;

/// g(q) = √(q / E[f(√q z)²]), z ~ N(0, 1): the gain (Var(W) = g²/n_in, zero biases) whose
/// layer maps a pre-activation variance q to itself. √2 for ReLU and 1 for the identity at
/// every q; √(1/E[tanh(z)²]) ≈ 1.59 for tanh at q = 1 (not PyTorch's 5/3, which is a
/// rounder number from the same idea); 1 for SELU at q = 1. A q that is not finite and
/// positive is an error naming it; an activation that is zero almost everywhere would
/// give an infinite gain, also an error.
pub fn fixed_point_gain(activation: Activation, q: f64) -> Result<f64> {
    let q = positive("variance q of the pre-activation", q)?;
    let second = gaussian_expectation(|a| math::powi(activation.f(a), 2), q)?;
    if second.is_nan() || second <= 0.0 {
        return Err(Error::OutOfRange {
            name: "E[f(a)^2] of the activation (zero: no gain keeps q)",
            expected: "> 0",
            value: second,
        });
    }
    Ok((q / second).sqrt())
}

/// The fixed point q* > 0 of the length map q ↦ g² E[f(√q z)²] for a gain g, searched
/// for by bisection on ln q in [`lo`, `hi`] where g(q) - g changes sign (g(q) is
/// [`fixed_point_gain`]): Ok(None) when it does not change sign there. For GELU and SiLU
/// g(q) falls from 2 (q → 0: f(a) ≈ a/2) toward √2 (q → ∞: f ≈ ReLU), so every g between
/// them has one fixed point. A gain or a bracket that is not finite and positive, or
/// lo >= hi, is an error naming it.
pub fn gain_fixed_point(
    activation: Activation,
    gain: f64,
    lo: f64,
    hi: f64,
) -> Result<Option<f64>> {
    positive("gain g", gain)?;
    positive("lower end of the q bracket", lo)?;
    positive("upper end of the q bracket", hi)?;
    if lo >= hi {
        return Err(Error::OutOfRange {
            name: "lower end of the q bracket (must be below the upper end)",
            expected: "< the upper end",
            value: lo,
        });
    }
    let excess = |q: f64| fixed_point_gain(activation, q).map(|g| g - gain);
    let (mut a, mut b) = (math::ln(lo), math::ln(hi));
    let (fa, fb) = (excess(lo)?, excess(hi)?);
    if fa == 0.0 {
        return Ok(Some(lo));
    }
    if fb == 0.0 {
        return Ok(Some(hi));
    }
    if (fa > 0.0) == (fb > 0.0) {
        return Ok(None);
    }
    for _ in 0..80 {
        let m = 0.5 * (a + b);
        let fm = excess(math::exp(m))?;
        if (fm > 0.0) == (fa > 0.0) {
            a = m;
        } else {
            b = m;
        }
    }
    Ok(Some(math::exp(0.5 * (a + b))))
}

/// The slope of the length map q ↦ g² E[f(√q z)²] at q, for the gain g = g(q) of
/// [`fixed_point_gain`] that makes q its fixed point: g² E[a f(a) f'(a)] / q with
/// a ~ N(0, q) (differentiate under the expectation: d/dq E[f(√q z)²] = E[f f'(a) a] / q).
/// Below 1 the fixed point attracts (tanh, SELU: a deviation of q shrinks layer after
/// layer); above 1 it repels (GELU, SiLU: q runs away from it, down toward 0 or up); ReLU
/// and every positively homogeneous f give exactly 1, neutral. A q that is not finite and
/// positive is an error naming it.
pub fn fixed_point_slope(activation: Activation, q: f64) -> Result<f64> {
    let g = fixed_point_gain(activation, q)?;
    let moment = gaussian_expectation(|a| a * activation.f(a) * activation.df(a), q)?;
    Ok(g * g * moment / q)
}

/// The mean E[f(z)] and second moment E[f(z)²] of an activation fed z ~ N(0, q): for
/// SELU at q = 1 both are Klambauer et al.'s fixed point (mean 0, variance 1), to the
/// digits of λ and α.
pub fn selu_moments(q: f64) -> Result<(f64, f64)> {
    let f = Activation::Selu;
    Ok((
        gaussian_expectation(|a| f.f(a), q)?,
        gaussian_expectation(|a| math::powi(f.f(a), 2), q)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homogeneous_activations_have_one_gain_at_every_scale() {
        for q in [0.01, 1.0, 100.0] {
            let relu = fixed_point_gain(Activation::Relu, q).unwrap();
            assert!(
                (relu - std::f64::consts::SQRT_2).abs() < 1e-10,
                "{q}: {relu}"
            );
            let id = fixed_point_gain(Activation::Identity, q).unwrap();
            assert!((id - 1.0).abs() < 1e-10);
        }
    }

    /// SELU's fixed point: E[selu(z)] = 0 and E[selu(z)²] = 1, both to about 1e-9 (λ and α
    /// are given to 17 digits; the quadrature is accurate to 1e-12).
    #[test]
    fn selu_has_mean_zero_and_variance_one_at_q_one() {
        let (m, s) = selu_moments(1.0).unwrap();
        assert!(m.abs() < 1e-9 && (s - 1.0).abs() < 1e-9, "{m} {s}");
        let g = fixed_point_gain(Activation::Selu, 1.0).unwrap();
        assert!((g - 1.0).abs() < 1e-9);
        let q = gain_fixed_point(Activation::Selu, 1.0, 0.1, 10.0)
            .unwrap()
            .unwrap();
        assert!((q - 1.0).abs() < 1e-8, "{q}");
    }

    /// GELU and SiLU behave like a/2 near 0 and like ReLU far out: the gain runs from 2
    /// down toward √2. Independent check at q = 1 for SiLU by a plain Simpson sum.
    #[test]
    fn gelu_and_silu_gains_fall_from_two_toward_root_two() {
        for f in [Activation::Gelu, Activation::Silu, Activation::GeluTanh] {
            let small = fixed_point_gain(f, 1e-6).unwrap();
            let large = fixed_point_gain(f, 1e6).unwrap();
            assert!((small - 2.0).abs() < 1e-3, "{f}: {small}");
            assert!(
                (large - std::f64::consts::SQRT_2).abs() < 1e-2,
                "{f}: {large}"
            );
            let mut last = small;
            for q in [0.01, 0.1, 1.0, 10.0, 100.0] {
                let g = fixed_point_gain(f, q).unwrap();
                assert!(g < last, "{f} at {q}: {g} !< {last}");
                last = g;
            }
        }
        let second = crate::special::simpson(
            |z| math::powi(Activation::Silu.f(z), 2) * crate::special::normal_pdf(z),
            -14.0,
            14.0,
            20_000,
        );
        let g = fixed_point_gain(Activation::Silu, 1.0).unwrap();
        assert!((g - (1.0 / second).sqrt()).abs() < 1e-10);
        // A gain's fixed point lands where g(q) equals it.
        let q = gain_fixed_point(Activation::Gelu, 1.7, 1e-4, 1e4)
            .unwrap()
            .unwrap();
        assert!((fixed_point_gain(Activation::Gelu, q).unwrap() - 1.7).abs() < 1e-9);
        assert_eq!(
            gain_fixed_point(Activation::Gelu, 3.0, 1e-4, 1e4).unwrap(),
            None
        );
    }

    /// Stability of the fixed point: neutral for ReLU, attracting for tanh and SELU,
    /// repelling for GELU and SiLU; checked against a finite difference of the map.
    #[test]
    fn fixed_points_attract_or_repel() {
        let relu = fixed_point_slope(Activation::Relu, 1.0).unwrap();
        assert!((relu - 1.0).abs() < 1e-10);
        for (f, attracts) in [
            (Activation::Tanh, true),
            (Activation::Selu, true),
            (Activation::Gelu, false),
            (Activation::Silu, false),
        ] {
            let s = fixed_point_slope(f, 1.0).unwrap();
            assert_eq!(s < 1.0, attracts, "{f}: {s}");
            let g2 = math::powi(fixed_point_gain(f, 1.0).unwrap(), 2);
            let h = 1e-5;
            let map = |q: f64| crate::q_map(f, g2, 0.0, q).unwrap();
            let numeric = (map(1.0 + h) - map(1.0 - h)) / (2.0 * h);
            assert!((numeric - s).abs() < 1e-6, "{f}: {numeric} vs {s}");
        }
    }

    #[test]
    fn tanh_gain_at_one_is_below_five_thirds() {
        let g = fixed_point_gain(Activation::Tanh, 1.0).unwrap();
        assert!((g - 1.592_5).abs() < 1e-3, "{g}");
    }

    #[test]
    fn bad_input_is_an_error_naming_it() {
        let e = fixed_point_gain(Activation::Gelu, -1.0).unwrap_err();
        assert!(e.to_string().contains("-1"), "{e}");
        let e = gain_fixed_point(Activation::Gelu, 1.5, 2.0, 1.0).unwrap_err();
        assert!(e.to_string().contains('2'), "{e}");
        let e = gain_fixed_point(Activation::Gelu, f64::NAN, 1.0, 2.0).unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
    }
}

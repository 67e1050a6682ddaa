//! When a unit counts as saturated: the book's one threshold, the pre-activation cutoffs
//! it implies, and the fraction of saturated units a Gaussian pre-activation predicts.

use initnet::{Activation, Error, Result};

use crate::gaussian_tail;
use initnet::math;

/// The book's saturation threshold on the activation h = f(a): a tanh unit is saturated
/// when |h| > 0.99, a logistic-sigmoid unit when h > 0.99 or h < 0.01. Pass it to
/// [`initnet::saturated_fraction`] to measure, and see [`saturation_cutoff`] for the
/// matching pre-activation.
pub const SATURATION_THRESHOLD: f64 = 0.99;

/// The pre-activation |a| beyond which f(a) passes `threshold` θ: atanh θ for tanh
/// (θ in (0, 1)), logit θ = ln(θ / (1 - θ)) for the logistic sigmoid (θ in (1/2, 1), the
/// unit being saturated above θ or below 1 - θ). Ok(None) for the identity, ReLU and
/// leaky ReLU, which do not saturate. A θ outside the range is an error naming it.
pub fn saturation_cutoff_at(activation: Activation, threshold: f64) -> Result<Option<f64>> {
    let (lowest, expected) = match activation {
        Activation::Tanh => (0.0, "in (0, 1) for tanh"),
        Activation::Sigmoid => (0.5, "in (0.5, 1) for the sigmoid"),
        _ => return Ok(None),
    };
    if !(threshold > lowest && threshold < 1.0) {
        return Err(Error::OutOfRange {
            name: "saturation threshold",
            expected,
            value: threshold,
        });
    }
    Ok(Some(match activation {
        Activation::Tanh => math::atanh(threshold),
        _ => math::ln(threshold / (1.0 - threshold)),
    }))
}

/// The pre-activation |a| beyond which a unit is saturated at the book's
/// [`SATURATION_THRESHOLD`]: [`tanh_cutoff`] for tanh, [`sigmoid_cutoff`] for the
/// logistic sigmoid. None for the identity, ReLU and leaky ReLU, which do not saturate.
pub fn saturation_cutoff(activation: Activation) -> Option<f64> {
    match activation {
        Activation::Tanh => Some(tanh_cutoff()),
        Activation::Sigmoid => Some(sigmoid_cutoff()),
        _ => None,
    }
}

/// atanh(0.99) = ln(199)/2 ≈ 2.647: |tanh a| > 0.99 exactly when |a| exceeds it.
pub fn tanh_cutoff() -> f64 {
    math::atanh(SATURATION_THRESHOLD)
}

/// logit(0.99) = ln 99 ≈ 4.595: the sigmoid of a is above 0.99 or below 0.01 exactly when
/// |a| exceeds it.
pub fn sigmoid_cutoff() -> f64 {
    math::ln(SATURATION_THRESHOLD / (1.0 - SATURATION_THRESHOLD))
}

/// The slope f'(a) at the saturation cutoff, from the threshold θ = 0.99 alone:
/// 1 - θ² = 0.0199 for tanh (tanh' = 1 - tanh²) and θ (1 - θ) = 0.0099 for the sigmoid
/// (σ' = σ (1 - σ)). None for activations that do not saturate.
pub fn saturation_slope(activation: Activation) -> Option<f64> {
    let t = SATURATION_THRESHOLD;
    match activation {
        Activation::Tanh => Some(1.0 - t * t),
        Activation::Sigmoid => Some(t * (1.0 - t)),
        _ => None,
    }
}

/// The fraction of saturated units when every pre-activation is N(0, q):
/// P(|a| > cutoff) = 2 Φ(-cutoff / √q) ([`gaussian_tail`]) for tanh and the sigmoid, 0 for
/// activations that do not saturate. A q that is negative or not finite is an error
/// naming it.
pub fn saturation_probability(activation: Activation, q: f64) -> Result<f64> {
    let q = initnet::error::non_negative("variance q of the pre-activation", q)?;
    Ok(saturation_cutoff(activation).map_or(0.0, |t| gaussian_tail(t, q.sqrt())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_invert_the_threshold() {
        let t = saturation_cutoff(Activation::Tanh).unwrap();
        assert!((Activation::Tanh.f(t) - 0.99).abs() < 1e-15);
        assert!((t - 0.5 * math::ln(199.0)).abs() < 1e-14);
        let s = saturation_cutoff(Activation::Sigmoid).unwrap();
        assert!((initnet::sigmoid(s) - 0.99).abs() < 1e-15);
        assert!((s - math::ln(99.0)).abs() < 1e-14);
        for f in [
            Activation::Identity,
            Activation::Relu,
            Activation::LeakyRelu(0.1),
        ] {
            assert_eq!(saturation_cutoff(f), None);
            assert_eq!(saturation_slope(f), None);
            assert_eq!(saturation_cutoff_at(f, 0.9).unwrap(), None);
            assert_eq!(saturation_probability(f, 100.0).unwrap(), 0.0);
        }
        // The general form at the book's threshold is the same number, bit for bit.
        for f in [Activation::Tanh, Activation::Sigmoid] {
            assert_eq!(
                saturation_cutoff_at(f, SATURATION_THRESHOLD).unwrap(),
                saturation_cutoff(f)
            );
        }
        // Another threshold: |tanh a| > 0.9 beyond atanh 0.9 = ln(19)/2.
        let t9 = saturation_cutoff_at(Activation::Tanh, 0.9)
            .unwrap()
            .unwrap();
        assert!((t9 - 0.5 * math::ln(19.0)).abs() < 1e-15);
    }

    #[test]
    fn slopes_at_the_cutoff() {
        for f in [Activation::Tanh, Activation::Sigmoid] {
            let at_cutoff = f.df(saturation_cutoff(f).unwrap());
            assert!(
                (at_cutoff - saturation_slope(f).unwrap()).abs() < 1e-15,
                "{f}"
            );
        }
        assert!((saturation_slope(Activation::Tanh).unwrap() - 0.0199).abs() < 1e-15);
        assert!((saturation_slope(Activation::Sigmoid).unwrap() - 0.0099).abs() < 1e-15);
    }

    #[test]
    fn saturation_probability_is_a_gaussian_tail() {
        // q = cutoff^2 / 1.96^2 puts the cutoff at 1.96 standard deviations: 5%.
        for f in [Activation::Tanh, Activation::Sigmoid] {
            let t = saturation_cutoff(f).unwrap();
            let q = math::powi(t / 1.959_963_984_540_054, 2);
            let p = saturation_probability(f, q).unwrap();
            assert!((p - 0.05).abs() < 1e-9, "{f}: {p}");
            // Against quadrature of the density of a ~ N(0, 4) beyond the cutoff.
            let tail = crate::simpson(|a| crate::normal_pdf(a / 2.0) / 2.0, t, 24.0, 20_000);
            let p = saturation_probability(f, 4.0).unwrap();
            assert!((p - 2.0 * tail).abs() < 1e-12, "{f}: {p} vs {tail}");
        }
        assert_eq!(saturation_probability(Activation::Tanh, 0.0).unwrap(), 0.0);
    }

    #[test]
    fn bad_thresholds_and_variances_are_errors() {
        for bad in [0.0, 1.0, -0.5, f64::NAN] {
            let e = saturation_cutoff_at(Activation::Tanh, bad).unwrap_err();
            assert!(e.to_string().contains(&bad.to_string()), "{e}");
        }
        assert!(saturation_cutoff_at(Activation::Sigmoid, 0.4).is_err());
        let e = saturation_probability(Activation::Tanh, -1.0).unwrap_err();
        assert!(e.to_string().contains("-1"), "{e}");
        assert!(saturation_probability(Activation::Tanh, f64::NAN).is_err());
    }
}

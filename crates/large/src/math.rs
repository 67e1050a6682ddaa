//! The closed forms of the chapter: thresholds of saturation, expectations over the
//! length of a Gaussian vector (the chi law), and the exact mean and variance of
//! log chi-square. They are the [`theory`] crate's, re-exported under the names the
//! chapter uses (its exercises name `large::math::gaussian_tail`); only the chapter's
//! error for an activation that does not saturate is defined here.

use initnet::{Activation, Error};

pub use theory::{
    SATURATION_THRESHOLD as THRESHOLD, chi_density, chi_expectation, gaussian_tail,
    log_chi_square_moments, log_relu_square_moments,
};

/// The pre-activation |a| beyond which a unit is saturated: atanh(0.99) = ln(199)/2 for
/// tanh, logit(0.99) = ln 99 for the logistic sigmoid ([`theory::saturation_cutoff`]).
/// Activations that do not saturate (identity, ReLU, leaky ReLU) are an error that names
/// them.
pub fn saturation_cutoff(activation: Activation) -> Result<f64, Error> {
    theory::saturation_cutoff(activation).ok_or_else(|| Error::Parse {
        what: "saturating activation",
        text: activation.to_string(),
        reason: "only tanh and sigmoid saturate".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_are_the_theorys_and_others_are_named() {
        let t = saturation_cutoff(Activation::Tanh).unwrap();
        assert!((t - 0.5 * initnet::math::ln(199.0)).abs() < 1e-14);
        let e = saturation_cutoff(Activation::Relu).unwrap_err().to_string();
        assert!(e.contains("relu"), "{e}");
    }
}

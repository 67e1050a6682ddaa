//! The chapter's closed forms and mean-field predictions. The mean field itself (the
//! q-map, chi_1, the per-layer [`mean_field`] prediction) is the [`theory`] crate's,
//! re-exported here under the names the chapter uses; see its `mean_field` module for the
//! notation and the recursions.

use initnet::{Init, Result};

pub use theory::{Prediction, activation_mean, chi, input_share, mean_field, q_map};

/// The non-zero fixed point q* = g^2 E[tanh(sqrt(q*) z)^2] of a deep tanh network whose
/// weights have Var(W) = g^2 / n_in and zero biases, or `None` when 0 is the only one
/// (g <= 1): [`theory::tanh_fixed_point`] with sigma_w^2 = g^2. A gain that is not finite
/// and > 0 is an error naming it.
pub fn tanh_fixed_point(gain: f64) -> Result<Option<f64>> {
    let gain = initnet::error::positive("tanh gain", gain)?;
    theory::tanh_fixed_point(gain * gain, 0.0)
}

/// Var(W) of the two rules the chapter compares, for a layer with `n_in` inputs and
/// `n_out` outputs: (LeCun 1/n_in, Glorot 2/(n_in + n_out)).
pub fn lecun_and_glorot(n_in: usize, n_out: usize) -> (f64, f64) {
    (
        Init::lecun_normal().variance(n_in, n_out),
        Init::xavier_normal().variance(n_in, n_out),
    )
}

/// The per-layer factors by which a linear network multiplies the second moment of the
/// signal forward, n_{l-1} Var(W^l), and of the gradient backward, n_l Var(W^l).
/// Glorot's rule makes their arithmetic mean 1 in every layer of any shape (the two add up
/// to 2(n_in + n_out)/(n_in + n_out) = 2); their geometric mean
/// sqrt(n_in n_out) * 2/(n_in + n_out) is at most 1, with equality when n_in = n_out.
/// LeCun's rule makes the forward factor 1 and the backward one n_out/n_in, so the backward
/// product over layers 2..=L telescopes to n_L/n_1 ([`backward_product`]).
pub fn drift_factors(widths: &[usize], init: Init) -> Vec<(f64, f64)> {
    widths
        .windows(2)
        .map(|p| {
            let v = init.variance(p[0], p[1]);
            (p[0] as f64 * v, p[1] as f64 * v)
        })
        .collect()
}

/// The factor by which a linear network multiplies the second moment of the gradient from
/// the top layer L down to layer 1: the product of the backward factors n_l Var(W^l) of
/// layers 2..=L (see [`drift_factors`]). With any fan-in rule Var(W^l) = g²/n_{l-1} the
/// product telescopes to g^(2(L-1)) n_L/n_1 (He et al., 2015, Section 2.2); for LeCun's
/// rule (g = 1) it is the ratio of widths n_L/n_1 however deep the network. Fewer than
/// three widths (one layer) give 1.
pub fn backward_product(widths: &[usize], init: Init) -> f64 {
    drift_factors(widths, init)
        .iter()
        .skip(1)
        .map(|p| p.1)
        .product()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_points() {
        assert_eq!(tanh_fixed_point(1.0).unwrap(), None);
        let q = tanh_fixed_point(5.0 / 3.0).unwrap().unwrap();
        let m = q_map(initnet::Activation::Tanh, 25.0 / 9.0, 0.0, q).unwrap();
        assert!((m - q).abs() < 1e-11);
        assert!(tanh_fixed_point(0.0).is_err());
        assert!(tanh_fixed_point(f64::NAN).is_err());
    }

    #[test]
    fn the_fan_in_backward_product_telescopes() {
        // Any widths: LeCun's backward product is n_L / n_1, whatever happens in between.
        for widths in [
            vec![512, 256, 128, 64, 32, 16],
            vec![7, 300, 5, 90, 1000, 3, 40],
            vec![16, 32, 64, 128, 256, 512],
        ] {
            let (first, top) = (widths[1] as f64, *widths.last().unwrap() as f64);
            let p = backward_product(&widths, Init::lecun_normal());
            assert!((p / (top / first) - 1.0).abs() < 1e-12, "{widths:?}: {p}");
        }
        assert_eq!(backward_product(&[3, 4], Init::lecun_normal()), 1.0);
    }

    #[test]
    fn glorot_balances_forward_and_backward() {
        for (f, b) in drift_factors(&[1000, 500, 250, 125], Init::xavier_normal()) {
            assert!((f - 4.0 / 3.0).abs() < 1e-12 && (b - 2.0 / 3.0).abs() < 1e-12);
            assert!((f * b).sqrt() <= 1.0);
            assert!(((f + b) / 2.0 - 1.0).abs() < 1e-12);
        }
        for (f, b) in drift_factors(&[1000, 500, 250], Init::lecun_normal()) {
            assert!((f - 1.0).abs() < 1e-12 && (b - 0.5).abs() < 1e-12);
        }
    }
}

//! The chapter's closed forms and mean-field predictions. The mean field itself (the
//! q-map, chi_1, the per-layer [`mean_field`] prediction) is the [`theory`] crate's,
//! re-exported here under the names the chapter uses; see its `mean_field` module for the
//! notation and the recursions.

use initnet::{Init, Result};

pub use theory::{Prediction, activation_mean, chi, mean_field, q_map};

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
/// Glorot's rule makes their geometric mean 1 in every layer of any shape:
/// sqrt(n_in n_out) * 2/(n_in + n_out) <= 1, with equality when n_in = n_out.
pub fn drift_factors(widths: &[usize], init: Init) -> Vec<(f64, f64)> {
    widths
        .windows(2)
        .map(|p| {
            let v = init.variance(p[0], p[1]);
            (p[0] as f64 * v, p[1] as f64 * v)
        })
        .collect()
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
    fn glorot_balances_forward_and_backward() {
        for (f, b) in drift_factors(&[1000, 500, 250, 125], Init::xavier_normal()) {
            assert!((f - 4.0 / 3.0).abs() < 1e-12 && (b - 2.0 / 3.0).abs() < 1e-12);
            assert!((f * b).sqrt() <= 1.0);
        }
        for (f, b) in drift_factors(&[1000, 500, 250], Init::lecun_normal()) {
            assert!((f - 1.0).abs() < 1e-12 && (b - 0.5).abs() < 1e-12);
        }
    }
}

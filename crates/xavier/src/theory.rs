//! Closed forms and mean-field predictions: what the variance of every layer should be.
//!
//! Notation (the book's): layer l has n_{l-1} inputs, n_l units, weights W^l with
//! Var(W^l) = v_l, pre-activation a^l and activation h^l = f(a^l). In a wide network at
//! initialization each a^l_j is close to a Gaussian N(0, q_l) (Poole et al., 2016), with
//!
//! q_l = n_{l-1} v_l E[f(sqrt(q_{l-1}) z)^2],   z ~ N(0, 1),
//!
//! and the back-propagated gradient delta^l = dL/da^l has second moment
//!
//! r_l = n_{l+1} v_{l+1} E[f'(sqrt(q_l) z)^2] r_{l+1}.
//!
//! For f(a) = a both are exact in expectation: q_l = n_{l-1} v_l q_{l-1} and
//! r_l = n_{l+1} v_{l+1} r_{l+1}.

use initnet::special::standard_normal_expectation;
use initnet::{Activation, Error, Init, Result};

/// The mean-field map of one layer: q_out = sigma_w2 E[f(sqrt(q) z)^2], where
/// sigma_w2 = n_in Var(W) (1 for LeCun, g^2 for LeCun with gain g).
pub fn q_map(activation: Activation, sigma_w2: f64, q: f64) -> f64 {
    let s = q.max(0.0).sqrt();
    sigma_w2 * standard_normal_expectation(|z| activation.f(s * z).powi(2))
}

/// The per-layer factor of the back-propagated gradient's second moment at variance q:
/// chi = sigma_w2 E[f'(sqrt(q) z)^2]. Gradients grow going down when chi > 1.
pub fn chi(activation: Activation, sigma_w2: f64, q: f64) -> f64 {
    let s = q.max(0.0).sqrt();
    sigma_w2 * standard_normal_expectation(|z| activation.df(s * z).powi(2))
}

/// The mean E[f(sqrt(q) z)] of an activation fed N(0, q): 0 for tanh, 1/2 for the
/// logistic sigmoid (both by symmetry), whatever q is.
pub fn activation_mean(activation: Activation, q: f64) -> f64 {
    let s = q.max(0.0).sqrt();
    standard_normal_expectation(|z| activation.f(s * z))
}

/// The non-zero fixed point q* = g^2 E[tanh(sqrt(q*) z)^2] of a deep tanh network whose
/// weights have Var(W) = g^2 / n_in, or `None` when 0 is the only one (g <= 1).
///
/// For g <= 1 the map lies below the diagonal for every q > 0 (tanh(x)^2 < x^2), so q
/// decays to 0. For g > 1 its slope at 0 is g^2 > 1 and it is bounded by g^2, so it
/// crosses the diagonal once; bisection on q_map(q) - q over (0, g^2] finds the crossing
/// to 1e-13.
pub fn tanh_fixed_point(gain: f64) -> Result<Option<f64>> {
    if !(gain.is_finite() && gain > 0.0) {
        return Err(Error::OutOfRange {
            name: "tanh gain",
            expected: "finite and > 0",
            value: gain,
        });
    }
    if gain <= 1.0 {
        return Ok(None);
    }
    let g2 = gain * gain;
    let excess = |q: f64| q_map(Activation::Tanh, g2, q) - q;
    let (mut lo, mut hi) = (1e-9, g2);
    debug_assert!(excess(lo) > 0.0 && excess(hi) < 0.0);
    while hi - lo > 1e-13 {
        let mid = 0.5 * (lo + hi);
        if excess(mid) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    Ok(Some(0.5 * (lo + hi)))
}

/// What the mean field predicts for every layer of a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// q_l = E[(a^l)^2] for l = 1..=L (index l-1).
    pub q: Vec<f64>,
    /// r_l = E[(dL/da^l)^2] for l = 1..=L (index l-1), given r_L.
    pub r: Vec<f64>,
}

impl Prediction {
    /// sqrt(q_l): the predicted standard deviation of a^l.
    pub fn pre_std(&self) -> Vec<f64> {
        self.q.iter().map(|q| q.sqrt()).collect()
    }
    /// sqrt(r_l): the predicted standard deviation of dL/da^l.
    pub fn grad_std(&self) -> Vec<f64> {
        self.r.iter().map(|r| r.sqrt()).collect()
    }
}

/// The mean-field prediction for a network of `widths` n_0..n_L whose layer l has
/// activation `activations[l-1]` and weights drawn by `init`, fed inputs with second
/// moment `q0`, and whose top layer receives gradients dL/da^L of second moment `r_top`.
///
/// Passing [`Activation::Identity`] for every layer gives the linear-regime prediction.
pub fn mean_field(
    widths: &[usize],
    activations: &[Activation],
    init: Init,
    q0: f64,
    r_top: f64,
) -> Result<Prediction> {
    if widths.len() < 2 || activations.len() + 1 != widths.len() {
        return Err(Error::Shape {
            what: "activations for the widths of a network".into(),
            expected: vec![widths.len().saturating_sub(1)],
            got: vec![activations.len()],
        });
    }
    if let Some(i) = widths.iter().position(|&n| n == 0) {
        return Err(Error::Zero {
            what: format!("width n_{i}"),
        });
    }
    for (name, v) in [
        ("input second moment q0", q0),
        ("top gradient second moment", r_top),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::OutOfRange {
                name,
                expected: "finite and >= 0",
                value: v,
            });
        }
    }
    let depth = activations.len();
    // sigma_w2[l-1] = n_{l-1} Var(W^l)
    let sigma_w2: Vec<f64> = widths
        .windows(2)
        .map(|p| p[0] as f64 * init.variance(p[0], p[1]))
        .collect();
    let mut q = Vec::with_capacity(depth);
    let mut prev = q0;
    for l in 0..depth {
        // The input h^0 enters as it is; every later layer sees f(a^{l-1}).
        let second_moment = if l == 0 {
            prev
        } else {
            q_map(activations[l - 1], 1.0, prev)
        };
        prev = sigma_w2[l] * second_moment;
        q.push(prev);
    }
    let mut r = vec![0.0; depth];
    r[depth - 1] = r_top;
    for l in (0..depth - 1).rev() {
        // delta^l = f'(a^l) (W^{l+1})^T delta^{l+1}: n_l Var(W^{l+1}) = sigma_w2[l+1] n_{l+1}/n_l.
        let back = widths[l + 2] as f64 * init.variance(widths[l + 1], widths[l + 2]);
        r[l] = back * chi(activations[l], 1.0, q[l]) * r[l + 1];
    }
    Ok(Prediction { q, r })
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
    fn sigmoid_mean_is_one_half() {
        // E[sigmoid(sqrt(q) z)] = 1/2 by symmetry.
        assert!((activation_mean(Activation::Sigmoid, 4.0) - 0.5).abs() < 1e-13);
    }

    #[test]
    fn linear_maps_are_the_identity_of_sigma_w2() {
        assert!((q_map(Activation::Identity, 2.0, 0.7) - 1.4).abs() < 1e-12);
        assert!((chi(Activation::Identity, 2.0, 0.7) - 2.0).abs() < 1e-12);
        // tanh is linear near 0: E[tanh(sqrt(q) z)^2] = q - 2 q^2 + O(q^3).
        let q = 1e-3;
        assert!((q_map(Activation::Tanh, 1.0, q) - (q - 2.0 * q * q)).abs() < 20.0 * q * q * q);
    }

    #[test]
    fn fixed_points() {
        assert_eq!(tanh_fixed_point(1.0).unwrap(), None);
        let q = tanh_fixed_point(5.0 / 3.0).unwrap().unwrap();
        assert!((q_map(Activation::Tanh, 25.0 / 9.0, q) - q).abs() < 1e-11);
        assert!(tanh_fixed_point(0.0).is_err());
        assert!(tanh_fixed_point(f64::NAN).is_err());
    }

    #[test]
    fn mean_field_checks_its_input() {
        let w = [4, 3, 2];
        assert!(mean_field(&w, &[Activation::Tanh], Init::lecun_normal(), 1.0, 1.0).is_err());
        assert!(
            mean_field(
                &[4, 0, 2],
                &[Activation::Tanh; 2],
                Init::lecun_normal(),
                1.0,
                1.0
            )
            .is_err()
        );
        let e = mean_field(
            &w,
            &[Activation::Tanh; 2],
            Init::lecun_normal(),
            f64::NAN,
            1.0,
        )
        .unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
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

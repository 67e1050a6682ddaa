//! The mean field: what the variance of every layer should be in a wide network at
//! initialization.
//!
//! Notation (the book's): layer l has n_{l-1} inputs, n_l units, weights W^l with
//! Var(W^l) = v_l, biases of variance σ_b², pre-activation a^l and activation h^l = f(a^l).
//! In a wide network at initialization each a^l_j is close to a Gaussian N(0, q_l) (Poole
//! et al., 2016; Schoenholz et al., 2017), with the **q-map**
//!
//! q_l = σ_w² E[f(√q_{l-1} z)²] + σ_b²,   z ~ N(0, 1),   σ_w² = n_{l-1} v_l,
//!
//! and the back-propagated gradient δ^l = ∂L/∂a^l has second moment
//!
//! r_l = n_{l+1} v_{l+1} E[f'(√q_l z)²] r_{l+1},
//!
//! whose per-layer factor in a square network is **χ₁** = σ_w² E[f'(√q z)²]. Two inputs
//! whose pre-activations have correlation c_l are mapped by the **c-map**
//!
//! c_{l+1} = (σ_w² E[f(u1) f(u2)] + σ_b²) / q*,   (u1, u2) ~ N(0, q* [[1, c_l], [c_l, 1]]),
//!
//! at a fixed point q* of the q-map; its slope at c = 1 is χ₁. For f(a) = a the first two
//! are exact in expectation: q_l = σ_w² q_{l-1} + σ_b² and r_l = n_{l+1} v_{l+1} r_{l+1}.

use initnet::error::non_negative;
use initnet::{Activation, Error, Init, Result};

use crate::gaussian::{correlated_expectation, gaussian_expectation, kept_fraction};
use initnet::math;

/// Check that σ_w² and σ_b² are finite and >= 0.
fn variances(sigma_w2: f64, sigma_b2: f64) -> Result<()> {
    non_negative("weight variance sigma_w^2 (n_in Var(W))", sigma_w2)?;
    non_negative("bias variance sigma_b^2", sigma_b2)?;
    Ok(())
}

/// The q-map of one layer: q_out = σ_w² E[f(√q z)²] + σ_b², z ~ N(0, 1), where
/// σ_w² = n_in Var(W) (1 for LeCun, g² for LeCun with gain g) and σ_b² = Var(b)
/// (Poole et al., 2016, eq. 3). The expectation is [`gaussian_expectation`]. A variance
/// that is negative or not finite, or a result that overflows, is an error naming it.
pub fn q_map(activation: Activation, sigma_w2: f64, sigma_b2: f64, q: f64) -> Result<f64> {
    variances(sigma_w2, sigma_b2)?;
    let out = sigma_w2 * gaussian_expectation(|a| math::powi(activation.f(a), 2), q)? + sigma_b2;
    initnet::error::finite("q-map (it overflowed)", out)
}

/// χ₁ = σ_w² E[f'(√q z)²], z ~ N(0, 1): the factor by which one layer multiplies the
/// second moment of the back-propagated gradient when its pre-activations have variance q
/// (Poole et al., 2016; Schoenholz et al., 2017, eq. 5). Gradients grow going down when
/// χ₁ > 1 and vanish when χ₁ < 1; at a fixed point q* of the q-map it is also the slope of
/// the [`c_map`] at c = 1. A variance that is negative or not finite is an error naming it.
pub fn chi(activation: Activation, sigma_w2: f64, q: f64) -> Result<f64> {
    variances(sigma_w2, 0.0)?;
    Ok(sigma_w2 * gaussian_expectation(|a| math::powi(activation.df(a), 2), q)?)
}

/// The mean E[f(√q z)] of an activation fed N(0, q): 0 for tanh and odd f, 1/2 for the
/// logistic sigmoid (both by symmetry), √(q/2π) for ReLU. A q that is negative or not
/// finite is an error naming it.
pub fn activation_mean(activation: Activation, q: f64) -> Result<f64> {
    gaussian_expectation(|a| activation.f(a), q)
}

/// The q-map iterated: q_1 = `q1`, q_{l+1} = [`q_map`] of q_l, for l = 1..=`layers` (an
/// empty list for none). The variances of a^1..a^L in a deep stack of equal layers.
pub fn q_trajectory(
    activation: Activation,
    sigma_w2: f64,
    sigma_b2: f64,
    q1: f64,
    layers: usize,
) -> Result<Vec<f64>> {
    let mut q = Vec::with_capacity(layers);
    let mut prev = non_negative("variance q_1 of the first layer", q1)?;
    for l in 0..layers {
        if l > 0 {
            prev = q_map(activation, sigma_w2, sigma_b2, prev)?;
        }
        q.push(prev);
    }
    Ok(q)
}

/// [`q_trajectory`] in closed form for a piecewise-linear activation, where
/// E[f(√q z)²] = κ q with κ the [`kept_fraction`]: q_{l+1} = (σ_w² κ) q_l + σ_b². With
/// He's σ_w² = 1/κ and no bias every layer keeps q_1. Ok(None) for tanh and the sigmoid.
pub fn q_trajectory_closed_form(
    activation: Activation,
    sigma_w2: f64,
    sigma_b2: f64,
    q1: f64,
    layers: usize,
) -> Result<Option<Vec<f64>>> {
    variances(sigma_w2, sigma_b2)?;
    let Some(keep) = kept_fraction(activation) else {
        return Ok(None);
    };
    let mut q = Vec::with_capacity(layers);
    let mut prev = non_negative("variance q_1 of the first layer", q1)?;
    for l in 0..layers {
        if l > 0 {
            prev = initnet::error::finite(
                "q-map (it overflowed)",
                prev * (sigma_w2 * keep) + sigma_b2,
            )?;
        }
        q.push(prev);
    }
    Ok(Some(q))
}

/// The non-zero fixed point q* = σ_w² E[tanh(√q* z)²] + σ_b² of a deep tanh network, or
/// None when 0 is the only one (σ_b² = 0 and σ_w² <= 1).
///
/// tanh(x)² < x², so without bias and with σ_w² <= 1 the map lies below the diagonal for
/// every q > 0 and q decays to 0. Otherwise the map is increasing and concave, above the
/// diagonal at q = max(σ_b², 1e-9) (its slope at 0 is σ_w² > 1 when σ_b² = 0) and below
/// it at σ_w² + σ_b² (tanh² < 1), so it crosses the diagonal once in between; bisection
/// finds the crossing to 1e-13. A variance that is negative or not finite is an error
/// naming it.
pub fn tanh_fixed_point(sigma_w2: f64, sigma_b2: f64) -> Result<Option<f64>> {
    variances(sigma_w2, sigma_b2)?;
    if sigma_b2 == 0.0 && sigma_w2 <= 1.0 {
        return Ok(None);
    }
    let excess = |q: f64| q_map(Activation::Tanh, sigma_w2, sigma_b2, q).map(|m| m - q);
    let (mut lo, mut hi) = (sigma_b2.max(1e-9), sigma_w2 + sigma_b2);
    while hi - lo > 1e-13 {
        let mid = 0.5 * (lo + hi);
        if excess(mid)? > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    Ok(Some(0.5 * (lo + hi)))
}

/// The correlation map of one layer (Poole et al., 2016, eq. 5; Schoenholz et al., 2017):
/// two inputs whose pre-activations have variance q and correlation c come out with
/// correlation (σ_w² E[f(u1) f(u2)] + σ_b²) / q, (u1, u2) ~ N(0, q [[1, c], [c, 1]]),
/// computed by [`correlated_expectation`].
///
/// At a fixed point q = q* of the [`q_map`], c = 1 is a fixed point (at c = 1 this is
/// q_map(q)/q, so exactly 1 when q is), and the map's slope there is [`chi`]: for χ₁ < 1
/// nearby inputs converge (order), for χ₁ > 1 they decorrelate (chaos); χ₁ = 1 is the edge
/// of chaos. At other q it is the covariance map divided by q. A q that is not finite and
/// > 0, a c outside [-1, 1] or a negative variance is an error naming it.
pub fn c_map(activation: Activation, sigma_w2: f64, sigma_b2: f64, q: f64, c: f64) -> Result<f64> {
    variances(sigma_w2, sigma_b2)?;
    let q = initnet::error::positive("variance q of the c-map", q)?;
    if c == 1.0 {
        return Ok(q_map(activation, sigma_w2, sigma_b2, q)? / q);
    }
    let e = correlated_expectation(|u1, u2| activation.f(u1) * activation.f(u2), q, c)?;
    Ok((sigma_w2 * e + sigma_b2) / q)
}

/// What the mean field predicts for every layer of a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// q_l = E[(a^l)²] for l = 1..=L (index l-1).
    pub q: Vec<f64>,
    /// r_l = E[(∂L/∂a^l)²] for l = 1..=L (index l-1), given r_L.
    pub r: Vec<f64>,
}

impl Prediction {
    /// √q_l: the predicted standard deviation of a^l.
    pub fn pre_std(&self) -> Vec<f64> {
        self.q.iter().map(|q| q.sqrt()).collect()
    }
    /// √r_l: the predicted standard deviation of ∂L/∂a^l.
    pub fn grad_std(&self) -> Vec<f64> {
        self.r.iter().map(|r| r.sqrt()).collect()
    }
}

/// The mean-field prediction for a network of `widths` n_0..n_L with zero biases whose
/// layer l has activation `activations[l-1]` and weights drawn by `init`, fed inputs with
/// second moment `q0`, and whose top layer receives gradients ∂L/∂a^L of second moment
/// `r_top`:
///
/// q_1 = n_0 E\[w²\] q0,   q_l = n_{l-1} v_l E[f_{l-1}(√q_{l-1} z)²],
/// r_L = r_top,          r_l = n_{l+1} v_{l+1} E[f_l'(√q_l z)²] r_{l+1}.
///
/// Layer 1 is exact in expectation for any weights; the later layers assume the Gaussian
/// picture, which needs zero-mean weights, so a network of more than one layer with an
/// `init` of non-zero mean (a constant) is an error naming the mean. Passing
/// [`Activation::Identity`] for every layer gives the linear-regime prediction. Mismatched
/// lengths, a zero width or a bad second moment are errors naming them.
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
    non_negative("input second moment q0", q0)?;
    non_negative("top gradient second moment", r_top)?;
    let depth = activations.len();
    let mean = init.mean();
    if mean != 0.0 && depth > 1 {
        return Err(Error::OutOfRange {
            name: "mean of the weights (the mean field beyond layer 1)",
            expected: "0",
            value: mean,
        });
    }
    // E[w²] of layer l (index l-1), and sigma_w2[l-1] = n_{l-1} E[w²].
    let second_moment = |n_in: usize, n_out: usize| init.variance(n_in, n_out) + mean * mean;
    let sigma_w2: Vec<f64> = widths
        .windows(2)
        .map(|p| p[0] as f64 * second_moment(p[0], p[1]))
        .collect();
    let mut q = Vec::with_capacity(depth);
    let mut prev = q0;
    for l in 0..depth {
        // The input h^0 enters as it is; every later layer sees f(a^{l-1}).
        let h_second_moment = if l == 0 {
            prev
        } else {
            q_map(activations[l - 1], 1.0, 0.0, prev)?
        };
        prev = initnet::error::finite(
            "mean-field variance q_l (it overflowed)",
            sigma_w2[l] * h_second_moment,
        )?;
        q.push(prev);
    }
    let mut r = vec![0.0; depth];
    r[depth - 1] = r_top;
    for l in (0..depth - 1).rev() {
        // δ^l = f'(a^l) (W^{l+1})^T δ^{l+1}: n_{l+1} Var(W^{l+1}) backward.
        let back = widths[l + 2] as f64 * second_moment(widths[l + 1], widths[l + 2]);
        r[l] = back * chi(activations[l], 1.0, q[l])? * r[l + 1];
    }
    Ok(Prediction { q, r })
}

/// The share of the second moment of a pre-activation that depends on the input, after
/// each of `layers` layers of `activation` with σ_w² = n_in Var(W) and zero biases, for two
/// inputs whose first-layer pre-activations have variance `q1` and are uncorrelated (as for
/// independent inputs of mean 0): element k-1 is 1 − c of a^{k+1}, the pre-activation fed by
/// k layers of `activation`.
///
/// Across inputs, unit j of a layer has an offset, the same for every input, and a part that
/// varies; the offset's second moment (over the weights) is the covariance of two different
/// inputs, so the varying share is 1 − c with c = q₁₂ / q their correlation. The recursion
/// is the [`q_map`] for q and the covariance map q₁₂ ← σ_w² E[f(u1) f(u2)] (the [`c_map`]
/// times q). For an odd activation E[f(u1) f(u2)] = 0 at c = 0, so every share is exactly 1;
/// for the logistic sigmoid 𝔼\[σ\] = 1/2 makes c grow toward 1 at any σ_w². A bad variance is
/// an error naming it.
pub fn input_share(
    activation: Activation,
    sigma_w2: f64,
    q1: f64,
    layers: usize,
) -> Result<Vec<f64>> {
    variances(sigma_w2, 0.0)?;
    let mut q = initnet::error::positive("variance q_1 of the first layer", q1)?;
    let mut c: f64 = 0.0;
    let mut shares = Vec::with_capacity(layers);
    for _ in 0..layers {
        let next = q_map(activation, sigma_w2, 0.0, q)?;
        let covariance = c_map(activation, sigma_w2, 0.0, q, c)? * q;
        // Rounding may carry c a hair past 1 once the input-dependent part is gone.
        c = (covariance / next).min(1.0);
        q = next;
        shares.push(1.0 - c);
    }
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaussian::{arc_cosine_kernel, kappa};

    #[test]
    fn input_share_of_odd_and_offset_activations() {
        // tanh is odd: two uncorrelated inputs stay uncorrelated, the share stays 1.
        for s in input_share(Activation::Tanh, 1.0, 1.0, 3).unwrap() {
            assert!((s - 1.0).abs() < 1e-12, "{s}");
        }
        // Sigmoid, one layer from independent inputs: covariance σ_w² (1/2)², second
        // moment σ_w² E[σ²], so the share is 1 − 1/(4 E[σ(z)²]).
        let e2 = q_map(Activation::Sigmoid, 1.0, 0.0, 1.0).unwrap();
        let s = input_share(Activation::Sigmoid, 1.0, 1.0, 2).unwrap();
        assert!((s[0] - (1.0 - 0.25 / e2)).abs() < 1e-10, "{s:?}");
        assert!(s[1] < s[0] / 10.0);
        assert!(input_share(Activation::Sigmoid, -1.0, 1.0, 2).is_err());
        assert!(input_share(Activation::Sigmoid, 1.0, 0.0, 2).is_err());
    }

    #[test]
    fn linear_maps_are_exact() {
        // Identity: q_map = sigma_w2 q + sigma_b2, chi = sigma_w2.
        assert!((q_map(Activation::Identity, 2.0, 0.0, 0.7).unwrap() - 1.4).abs() < 1e-12);
        assert!((q_map(Activation::Identity, 2.0, 0.1, 0.7).unwrap() - 1.5).abs() < 1e-12);
        assert!((chi(Activation::Identity, 2.0, 0.7).unwrap() - 2.0).abs() < 1e-12);
        // tanh is linear near 0: E[tanh(sqrt(q) z)^2] = q - 2 q^2 + O(q^3).
        let q = 1e-3;
        let m = q_map(Activation::Tanh, 1.0, 0.0, q).unwrap();
        assert!((m - (q - 2.0 * q * q)).abs() < 20.0 * q * q * q);
        // ReLU with He's sigma_w2 = 2 keeps q; chi = 2 * 1/2 = 1 at every q.
        for q in [1e-6, 1.0, 1e6] {
            let m = q_map(Activation::Relu, 2.0, 0.0, q).unwrap();
            assert!((m / q - 1.0).abs() < 1e-12, "q = {q}: {m}");
            assert!((chi(Activation::Relu, 2.0, q).unwrap() - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn activation_means() {
        assert!((activation_mean(Activation::Sigmoid, 4.0).unwrap() - 0.5).abs() < 1e-13);
        assert!(activation_mean(Activation::Tanh, 4.0).unwrap().abs() < 1e-15);
        let relu = activation_mean(Activation::Relu, 2.0).unwrap();
        assert!((relu - (1.0 / std::f64::consts::PI).sqrt()).abs() < 1e-10);
    }

    #[test]
    fn trajectories_agree_with_their_closed_form() {
        // PyTorch's ReLU weights: sigma_w2 = 1/3, q <- q/6 + sigma_b2.
        for (f, sw2, sb2) in [
            (Activation::Relu, 1.0 / 3.0, 0.0),
            (Activation::Relu, 1.0 / 3.0, 1.0 / 192.0),
            (Activation::LeakyRelu(0.1), 2.0 / 1.01, 0.0),
            (Activation::Identity, 0.9, 0.05),
        ] {
            let quad = q_trajectory(f, sw2, sb2, 1.0, 12).unwrap();
            let closed = q_trajectory_closed_form(f, sw2, sb2, 1.0, 12)
                .unwrap()
                .unwrap();
            assert_eq!(quad.len(), 12);
            for (a, b) in quad.iter().zip(&closed) {
                assert!((a / b - 1.0).abs() < 1e-12, "{f}: {a} vs {b}");
            }
        }
        // With the bias, q <- q/6 + b tends to 6b/5.
        let b = 1.0 / 192.0;
        let q = q_trajectory_closed_form(Activation::Relu, 1.0 / 3.0, b, 1.0, 40)
            .unwrap()
            .unwrap();
        assert!((q[39] - 6.0 * b / 5.0).abs() < 1e-15);
        assert_eq!(
            q_trajectory_closed_form(Activation::Tanh, 1.0, 0.0, 1.0, 3).unwrap(),
            None
        );
        assert!(
            q_trajectory(Activation::Tanh, 1.0, 0.0, 1.0, 0)
                .unwrap()
                .is_empty()
        );
        // tanh without bias and sigma_w2 < 1 decays towards 0.
        let q = q_trajectory(Activation::Tanh, 0.9, 0.0, 1.0, 30).unwrap();
        assert!(q.windows(2).all(|p| p[1] < p[0]) && q[29] < 0.02, "{q:?}");
    }

    #[test]
    fn fixed_points() {
        assert_eq!(tanh_fixed_point(1.0, 0.0).unwrap(), None);
        assert_eq!(tanh_fixed_point(0.5, 0.0).unwrap(), None);
        for (sw2, sb2) in [(25.0 / 9.0, 0.0), (1.0, 0.05), (0.5, 0.3), (4.0, 1.0)] {
            let q = tanh_fixed_point(sw2, sb2).unwrap().unwrap();
            let m = q_map(Activation::Tanh, sw2, sb2, q).unwrap();
            assert!((m - q).abs() < 1e-12, "{sw2}, {sb2}: {q} -> {m}");
            assert!(q > 0.0 && q <= sw2 + sb2);
        }
        // Just above the transition, q* is small: q* ≈ (sigma_w2 - 1)/2 for sigma_w2 -> 1+
        // (from q - 2q^2 = q/sigma_w2).
        let q = tanh_fixed_point(1.01, 0.0).unwrap().unwrap();
        assert!((q / (0.01 / 1.01 / 2.0) - 1.0).abs() < 0.05, "{q}");
    }

    #[test]
    fn c_map_fixed_point_linearity_and_arc_cosine() {
        // c = 1 is a fixed point at q = q*.
        for (sw2, sb2) in [(25.0 / 9.0, 0.0), (1.5, 0.05)] {
            let q = tanh_fixed_point(sw2, sb2).unwrap().unwrap();
            let one = c_map(Activation::Tanh, sw2, sb2, q, 1.0).unwrap();
            assert!((one - 1.0).abs() < 1e-12, "{one}");
            // The 2-D rule agrees just below c = 1.
            let near = c_map(Activation::Tanh, sw2, sb2, q, 1.0 - 1e-12).unwrap();
            assert!((near - 1.0).abs() < 1e-10, "{near}");
            // Its slope at c = 1 is chi_1 (Richardson on one-sided differences).
            let d = |h: f64| (one - c_map(Activation::Tanh, sw2, sb2, q, 1.0 - h).unwrap()) / h;
            let slope = 2.0 * d(1e-3) - d(2e-3);
            let chi1 = chi(Activation::Tanh, sw2, q).unwrap();
            assert!((slope / chi1 - 1.0).abs() < 1e-5, "{slope} vs {chi1}");
        }
        // Identity: (sigma_w2 q c + sigma_b2) / q, a straight line in c.
        let (sw2, sb2, q) = (1.3, 0.2, 0.8);
        for c in [-1.0, -0.6, 0.0, 0.25, 0.99, 1.0] {
            let got = c_map(Activation::Identity, sw2, sb2, q, c).unwrap();
            assert!((got - (sw2 * c + sb2 / q)).abs() < 1e-12, "c = {c}: {got}");
        }
        // ReLU: the arc-cosine kernel of Cho and Saul (2009); He's sigma_w2 = 2 and no bias
        // keep every q, so q can be any value.
        for q in [0.3, 4.0] {
            for c in [-0.9, 0.0, 0.5, 0.95] {
                let got = c_map(Activation::Relu, 2.0, 0.0, q, c).unwrap();
                let want = 2.0 * arc_cosine_kernel(q, c) / q;
                assert!(
                    (got - want).abs() < 1e-12,
                    "q = {q}, c = {c}: {got} vs {want}"
                );
            }
        }
        // Correlations grow towards 1 under ReLU: the map lies above the diagonal below 1.
        assert!(c_map(Activation::Relu, 2.0, 0.0, 1.0, 0.5).unwrap() > 0.5);
        assert!(c_map(Activation::Tanh, 1.0, 0.0, 0.0, 0.5).is_err());
        assert!(c_map(Activation::Tanh, 1.0, 0.0, 1.0, 1.5).is_err());
        assert!(c_map(Activation::Tanh, -1.0, 0.0, 1.0, 0.5).is_err());
    }

    #[test]
    fn mean_field_of_linear_and_relu_networks() {
        // Identity layers with LeCun's Var(W) = 1/n_in keep q; backward, n_l Var(W^l) =
        // n_l / n_{l-1}.
        let widths = [100, 50, 50, 25];
        let p = mean_field(
            &widths,
            &[Activation::Identity; 3],
            Init::lecun_normal(),
            2.0,
            1.0,
        )
        .unwrap();
        for q in &p.q {
            assert!((q - 2.0).abs() < 1e-12, "{q}");
        }
        // r_3 = 1, r_2 = (25/50) r_3, r_1 = (50/50) r_2.
        for (r, want) in p.r.iter().zip([0.5, 0.5, 1.0]) {
            assert!((r - want).abs() < 1e-12, "{r}");
        }
        // He for ReLU: q_1 = 2 q0, then kept: q_l = 2 q0 everywhere; r constant.
        let p = mean_field(
            &[64; 6],
            &[Activation::Relu; 5],
            Init::he_normal(),
            1.0,
            3.0,
        )
        .unwrap();
        for (q, r) in p.q.iter().zip(&p.r) {
            assert!(
                (q - 2.0).abs() < 1e-12 && (r - 3.0).abs() < 1e-12,
                "{q} {r}"
            );
        }
        assert!((p.pre_std()[4] - 2f64.sqrt()).abs() < 1e-12);
        assert!((p.grad_std()[0] - 3f64.sqrt()).abs() < 1e-12);
        // A constant weight has a mean field for layer 1 only: E[(a^1)^2] = n_0 c^2 q0.
        let constant = Init::constant(0.5).unwrap();
        let p = mean_field(&[4, 3], &[Activation::Tanh], constant, 1.0, 1.0).unwrap();
        assert!((p.q[0] - 1.0).abs() < 1e-15);
        let e = mean_field(&[4, 3, 3], &[Activation::Tanh; 2], constant, 1.0, 1.0).unwrap_err();
        assert!(e.to_string().contains("0.5"), "{e}");
        // kappa is used by the finite-width corrections; it must exist for these.
        assert!(kappa(Activation::Relu).is_some());
    }

    #[test]
    fn bad_input_is_an_error_naming_it() {
        let w = [4, 3, 2];
        let lecun = Init::lecun_normal();
        assert!(mean_field(&w, &[Activation::Tanh], lecun, 1.0, 1.0).is_err());
        assert!(mean_field(&[4], &[], lecun, 1.0, 1.0).is_err());
        let e = mean_field(&[4, 0, 2], &[Activation::Tanh; 2], lecun, 1.0, 1.0).unwrap_err();
        assert_eq!(e.to_string(), "width n_1 must be at least 1, got 0");
        let e = mean_field(&w, &[Activation::Tanh; 2], lecun, f64::NAN, 1.0).unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
        let e = mean_field(&w, &[Activation::Tanh; 2], lecun, 1.0, -2.0).unwrap_err();
        assert!(e.to_string().contains("-2"), "{e}");
        let huge = Init::normal(1e120).unwrap();
        let e = mean_field(&[10; 3], &[Activation::Relu; 2], huge, 1.0, 1.0).unwrap_err();
        assert!(e.to_string().contains("overflowed"), "{e}");
        let e = q_map(Activation::Tanh, 1.0, 0.0, -0.5).unwrap_err();
        assert!(e.to_string().contains("-0.5"), "{e}");
        let e = q_map(Activation::Tanh, f64::INFINITY, 0.0, 1.0).unwrap_err();
        assert!(e.to_string().contains("sigma_w^2"), "{e}");
        let e = q_map(Activation::Tanh, 1.0, -0.1, 1.0).unwrap_err();
        assert!(e.to_string().contains("sigma_b^2"), "{e}");
        assert!(chi(Activation::Tanh, 1.0, f64::NAN).is_err());
        assert!(q_trajectory(Activation::Tanh, 1.0, 0.0, -1.0, 3).is_err());
        assert!(tanh_fixed_point(f64::NAN, 0.0).is_err());
        assert!(tanh_fixed_point(2.0, -1.0).is_err());
        // A q-map that overflows is an error, not an infinity.
        let e = q_trajectory(Activation::Identity, 1e200, 0.0, 1e200, 3).unwrap_err();
        assert!(e.to_string().contains("overflowed"), "{e}");
        let e = q_trajectory_closed_form(Activation::Relu, 1e200, 0.0, 1e200, 3).unwrap_err();
        assert!(e.to_string().contains("overflowed"), "{e}");
    }
}

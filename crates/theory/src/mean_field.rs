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

/// The slope of the [`q_map`] at q: d q_out / d q = σ_w² d/dq E[f(√q z)²]
/// = σ_w² E[f(a) f'(a) a] / q for a ~ N(0, q) (differentiating under the integral), which
/// by Gaussian integration by parts is σ_w² E[f'(a)² + f(a) f''(a)], the form of
/// Schoenholz et al. (2017, eq. 4). At a fixed point q* it says how fast the length of a
/// signal settles there: |q_l − q*| ∝ slope^l (see [`depth_scale`]). For ReLU it is σ_w²/2
/// at every q. A q that is not finite and > 0 or a bad σ_w² is an error naming it.
pub fn q_map_slope(activation: Activation, sigma_w2: f64, q: f64) -> Result<f64> {
    variances(sigma_w2, 0.0)?;
    let q = initnet::error::positive("variance q of the q-map's slope", q)?;
    let e = gaussian_expectation(|a| activation.f(a) * activation.df(a) * a, q)?;
    Ok(sigma_w2 * e / q)
}

/// χ_c = σ_w² E[f'(u1) f'(u2)], (u1, u2) ~ N(0, q [[1, c], [c, 1]]): the slope of the
/// [`c_map`] at correlation c (the derivative of E[f(u1) f(u2)] in c is q E[f'(u1) f'(u2)]),
/// evaluated at q* and c* by [`Criticality`]. At c = 1 it is [`chi`]. Schoenholz et al.
/// (2017, eq. 9). A bad q, c or σ_w² is an error naming it.
pub fn chi_c(activation: Activation, sigma_w2: f64, q: f64, c: f64) -> Result<f64> {
    variances(sigma_w2, 0.0)?;
    let e = correlated_expectation(|u1, u2| activation.df(u1) * activation.df(u2), q, c)?;
    Ok(sigma_w2 * e)
}

/// The stable fixed point c* of the [`c_map`] at the length q* (a fixed point of the
/// [`q_map`]) of an activation whose c-map is increasing and convex on [0, 1], as tanh's
/// and ReLU's are (their Hermite coefficients enter squared): c* = 1 when χ₁ = [`chi`] <= 1
/// (the ordered phase: all inputs end up as one), else the root of c_map(c) = c below 1
/// (the chaotic phase), found by Newton's method from c = 0 with the slope [`chi_c`]. On a
/// convex decreasing c_map(c) − c Newton's steps from the left rise monotonically to the
/// root, never past it; they stop when a step is below 1e-13. The map at 0 is
/// σ_b²/q* + σ_w² E[f(u1)] E[f(u2)]/q* >= 0, so the root is in [0, 1). For an odd
/// activation and σ_b² = 0 it is 0. A bad q* or variance is an error naming it.
pub fn c_fixed_point(
    activation: Activation,
    sigma_w2: f64,
    sigma_b2: f64,
    q_star: f64,
) -> Result<f64> {
    if chi(activation, sigma_w2, q_star)? <= 1.0 {
        return Ok(1.0);
    }
    let mut c: f64 = 0.0;
    for _ in 0..200 {
        let excess = c_map(activation, sigma_w2, sigma_b2, q_star, c)? - c;
        let slope = chi_c(activation, sigma_w2, q_star, c)? - 1.0;
        if excess <= 0.0 || slope >= 0.0 {
            return Ok(c);
        }
        let step = -excess / slope;
        c = (c + step).min(1.0);
        if step < 1e-13 {
            break;
        }
    }
    Ok(c)
}

/// The depth over which a deviation that shrinks by `slope` per layer shrinks by e:
/// ξ = −1/ln(slope) (Schoenholz et al., 2017, eqs. 6 and 10), so |x_l − x*| ∝ e^(−l/ξ).
/// None when the deviation does not shrink (slope >= 1: the depth scale has diverged) or
/// vanishes in one layer (slope <= 0). A slope that is not finite is an error naming it.
pub fn depth_scale(slope: f64) -> Result<Option<f64>> {
    let slope = initnet::error::finite("slope of a map at its fixed point", slope)?;
    if slope <= 0.0 || slope >= 1.0 {
        return Ok(None);
    }
    Ok(Some(-1.0 / math::ln(slope)))
}

/// The mean-field state of a deep tanh network with σ_w² and σ_b² (Poole et al., 2016;
/// Schoenholz et al., 2017), from [`Criticality::tanh`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criticality {
    /// σ_w² = n_in Var(W).
    pub sigma_w2: f64,
    /// σ_b² = Var(b).
    pub sigma_b2: f64,
    /// The fixed point q* of the [`q_map`]; 0 when the signal dies out (σ_b² = 0, σ_w² <= 1).
    pub q_star: f64,
    /// The stable fixed point c* of the [`c_map`] (1 in the ordered phase); None when
    /// q* = 0, where the c-map is not defined.
    pub c_star: Option<f64>,
    /// χ₁ = σ_w² E[f'(√q* z)²]: below 1 ordered, above 1 chaotic.
    pub chi1: f64,
    /// χ_c = [`chi_c`] at (q*, c*), the c-map's slope there; None when q* = 0.
    pub chi_c: Option<f64>,
    /// ξ_q = −1/ln([`q_map_slope`] at q*); None where it diverges.
    pub xi_q: Option<f64>,
    /// ξ_c = −1/ln χ_c, the depth over which correlations reach c*; None where it diverges
    /// (χ₁ = 1, the critical line) or q* = 0.
    pub xi_c: Option<f64>,
}

impl Criticality {
    /// q*, c*, χ₁, χ_c, ξ_q and ξ_c of tanh at (σ_w², σ_b²). With σ_b² = 0 and σ_w² <= 1
    /// the signal dies out: q* = 0, χ₁ = σ_w² (tanh'(0) = 1), ξ_q = −1/ln σ_w², and c* and
    /// ξ_c are None. Bad variances are errors naming them.
    pub fn tanh(sigma_w2: f64, sigma_b2: f64) -> Result<Criticality> {
        let f = Activation::Tanh;
        let Some(q_star) = tanh_fixed_point(sigma_w2, sigma_b2)? else {
            return Ok(Criticality {
                sigma_w2,
                sigma_b2,
                q_star: 0.0,
                c_star: None,
                chi1: sigma_w2,
                chi_c: None,
                xi_q: depth_scale(sigma_w2)?,
                xi_c: None,
            });
        };
        let chi1 = chi(f, sigma_w2, q_star)?;
        let c_star = c_fixed_point(f, sigma_w2, sigma_b2, q_star)?;
        let chi_c = if c_star == 1.0 {
            chi1
        } else {
            chi_c(f, sigma_w2, q_star, c_star)?
        };
        Ok(Criticality {
            sigma_w2,
            sigma_b2,
            q_star,
            c_star: Some(c_star),
            chi1,
            chi_c: Some(chi_c),
            xi_q: depth_scale(q_map_slope(f, sigma_w2, q_star)?)?,
            xi_c: depth_scale(chi_c)?,
        })
    }
}

/// The point of tanh's critical line (χ₁ = 1) whose fixed point is q*: σ_w² = 1 /
/// E[tanh'(√q* z)²] makes χ₁ = 1, and σ_b² = q* − σ_w² E[tanh(√q* z)²] makes q* the
/// fixed point of the [`q_map`] (Pennington et al., 2017, who pick critical points by q*).
/// As q* → 0 it tends to (1, 0), Xavier/LeCun without bias: σ_w² = 1 + 2q* + O(q*²) and
/// σ_b² = O(q*³). A q* that is not finite and > 0 is an error naming it.
pub fn tanh_critical_point(q_star: f64) -> Result<(f64, f64)> {
    let q = initnet::error::positive("fixed point q* of a critical point", q_star)?;
    let sigma_w2 = 1.0 / chi(Activation::Tanh, 1.0, q)?;
    let sigma_b2 = q - q_map(Activation::Tanh, sigma_w2, 0.0, q)?;
    Ok((sigma_w2, sigma_b2.max(0.0)))
}

/// The σ_w² on tanh's critical line for a given σ_b²: the [`tanh_critical_point`] whose
/// σ_b² is `sigma_b2`, found by bisection on ln q* over [1e-6, 1e6] (σ_b² grows with q*
/// along the line) to 1e-12 relative; 1 for σ_b² = 0. A σ_b² that is negative, not finite
/// or beyond the line's at q* = 1e6 is an error naming it.
pub fn tanh_critical_sigma_w2(sigma_b2: f64) -> Result<f64> {
    non_negative("bias variance sigma_b^2", sigma_b2)?;
    if sigma_b2 == 0.0 {
        return Ok(1.0);
    }
    let (mut lo, mut hi) = (math::ln(1e-6), math::ln(1e6));
    let top = tanh_critical_point(1e6)?.1;
    if sigma_b2 > top {
        return Err(Error::OutOfRange {
            name: "bias variance sigma_b^2 of a critical point",
            expected: "at most that of the critical line at q* = 1e6",
            value: sigma_b2,
        });
    }
    while hi - lo > 1e-12 {
        let mid = 0.5 * (lo + hi);
        if tanh_critical_point(math::exp(mid))?.1 < sigma_b2 {
            lo = mid
        } else {
            hi = mid
        }
    }
    Ok(tanh_critical_point(math::exp(0.5 * (lo + hi)))?.0)
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
    fn slopes_depth_scales_and_fixed_points() {
        // The q-map's slope against a central difference, and ReLU's sigma_w2 / 2.
        for (sw2, q) in [(1.5, 0.4), (3.0, 2.0)] {
            let h = 1e-4;
            let fd = (q_map(Activation::Tanh, sw2, 0.0, q + h).unwrap()
                - q_map(Activation::Tanh, sw2, 0.0, q - h).unwrap())
                / (2.0 * h);
            let s = q_map_slope(Activation::Tanh, sw2, q).unwrap();
            assert!((s - fd).abs() < 1e-7, "{s} vs {fd}");
            // Stein: sigma_w2 E[f'^2 + f f''] with tanh'' = -2 tanh sech^2.
            let stein = sw2
                * gaussian_expectation(
                    |a| {
                        let (t, d) = (math::tanh(a), 1.0 - math::powi(math::tanh(a), 2));
                        d * d - 2.0 * t * t * d
                    },
                    q,
                )
                .unwrap();
            assert!((s - stein).abs() < 1e-10, "{s} vs {stein}");
        }
        assert!((q_map_slope(Activation::Relu, 2.0, 3.0).unwrap() - 1.0).abs() < 1e-12);
        // chi_c at c = 1 is chi; below, the c-map's slope (central difference).
        let (sw2, q) = (3.0, 1.2);
        let at_one = chi_c(Activation::Tanh, sw2, q, 1.0).unwrap();
        assert!((at_one - chi(Activation::Tanh, sw2, q).unwrap()).abs() < 1e-12);
        let c = 0.4;
        let h = 1e-4;
        let fd = (c_map(Activation::Tanh, sw2, 0.1, q, c + h).unwrap()
            - c_map(Activation::Tanh, sw2, 0.1, q, c - h).unwrap())
            / (2.0 * h);
        let s = chi_c(Activation::Tanh, sw2, q, c).unwrap();
        assert!((s - fd).abs() < 1e-7, "{s} vs {fd}");
        // Depth scales.
        assert!((depth_scale(math::exp(-0.25)).unwrap().unwrap() - 4.0).abs() < 1e-12);
        assert_eq!(depth_scale(1.0).unwrap(), None);
        assert_eq!(depth_scale(0.0).unwrap(), None);
        assert!(depth_scale(f64::NAN).is_err());
        // c* is a fixed point of the c-map in the chaotic phase, 1 in the ordered one, 0
        // for tanh without bias.
        for (sw2, sb2) in [(2.0, 0.05), (4.0, 0.3), (3.0, 0.0)] {
            let k = Criticality::tanh(sw2, sb2).unwrap();
            let c = k.c_star.unwrap();
            assert!(k.chi1 > 1.0 && c < 1.0, "{k:?}");
            let back = c_map(Activation::Tanh, sw2, sb2, k.q_star, c).unwrap();
            assert!((back - c).abs() < 1e-12, "{c} -> {back}");
            if sb2 == 0.0 {
                assert!(c.abs() < 1e-12);
            }
            let chi_c = k.chi_c.unwrap();
            assert!(chi_c < 1.0);
            assert!((k.xi_c.unwrap() + 1.0 / math::ln(chi_c)).abs() < 1e-9);
        }
        let k = Criticality::tanh(1.0, 0.05).unwrap();
        assert_eq!(k.c_star, Some(1.0));
        assert_eq!(k.chi_c, Some(k.chi1));
        // The signal dies out without bias below sigma_w2 = 1: q* = 0, chi1 = sigma_w2.
        let k = Criticality::tanh(0.5, 0.0).unwrap();
        assert_eq!((k.q_star, k.c_star, k.xi_c), (0.0, None, None));
        assert!((k.xi_q.unwrap() - 1.0 / math::ln(2.0)).abs() < 1e-12);
        assert!(Criticality::tanh(-1.0, 0.0).is_err());
    }

    #[test]
    fn tanh_critical_line() {
        // Every point of the line has chi1 = 1 at its own q*.
        for q in [0.01, 0.3, 1.0, 5.0] {
            let (sw2, sb2) = tanh_critical_point(q).unwrap();
            let back = tanh_fixed_point(sw2, sb2).unwrap().unwrap();
            assert!((back / q - 1.0).abs() < 1e-9, "{q}: {back}");
            assert!((chi(Activation::Tanh, sw2, q).unwrap() - 1.0).abs() < 1e-12);
        }
        // Near the origin: sigma_w2 = 1 + 2 q* + O(q*^2), sigma_b2 = O(q*^3).
        let q = 1e-3;
        let (sw2, sb2) = tanh_critical_point(q).unwrap();
        assert!((sw2 - 1.0 - 2.0 * q).abs() < 20.0 * q * q, "{sw2}");
        assert!(sb2 < 20.0 * q * q * q, "{sb2}");
        // Schoenholz et al. (2017) train tanh networks with sigma_b2 = 0.05, whose
        // critical point they put at sigma_w2 ≈ 1.76.
        let sw2 = tanh_critical_sigma_w2(0.05).unwrap();
        assert!((sw2 - 1.76).abs() < 0.005, "{sw2}");
        assert_eq!(tanh_critical_sigma_w2(0.0).unwrap(), 1.0);
        // The depth scale of correlations diverges there from both sides.
        let xi = |w: f64| Criticality::tanh(w, 0.05).unwrap().xi_c.unwrap();
        assert!(xi(sw2 - 0.05) > 20.0 && xi(sw2 + 0.05) > 20.0);
        assert!(xi(sw2 - 0.05) > 3.0 * xi(1.0) && xi(sw2 + 0.05) > 2.0 * xi(4.0));
        assert!(tanh_critical_point(0.0).is_err());
        assert!(tanh_critical_sigma_w2(-0.1).is_err());
        assert!(tanh_critical_sigma_w2(1e9).is_err());
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

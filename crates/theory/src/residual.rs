//! The mean field of residual networks x^l = x^{l-1} + α F(x^{l-1}).
//!
//! Write q^l for the mean square per unit of x^l. When the branch's last weights W are
//! drawn independently with mean zero, 𝔼[x · F(x)] = 0 (flipping the sign of W flips F), so
//! the skip and the branch add their mean squares:
//!
//! q^l = q^{l-1} + α² 𝔼[F(x^{l-1})²].
//!
//! - **Without normalization**, for a branch of layers with a piecewise-linear activation
//!   (ReLU, leaky ReLU, identity), 𝔼[F(x)²] = r q^{l-1} with the branch gain r of
//!   [`branch_gain`], so q^l = (1 + α² r) q^{l-1} and q^L = (1 + α² r)^L q^0: geometric
//!   growth, 3^L for two He-initialized ReLU layers per branch (r = 2) and α = 1. With
//!   α² = 1/L the product is (1 + r/L)^L < e^r, bounded in L. For Gaussian weights and zero
//!   biases these are exact expectations at every width (given x^{l-1}, each unit of the
//!   branch is a Gaussian sum).
//! - **With a normalization as the branch's last layer** (scale γ, shift 0), F has mean
//!   square γ² σ²/(σ² + ε) ≤ γ² per unit whatever q^{l-1}, so q^l = q^{l-1} + α² γ²: linear
//!   growth, q^L = q^0 + L α² γ² (ε ignored). This is why a normalized branch is worth
//!   1/√L of the skip after L blocks (De and Smith, 2020, *Batch normalization biases
//!   residual blocks towards the identity function in deep networks*, NeurIPS).
//!
//! - **With a normalization at the branch's input** ("pre-norm", x + α F(N(x)) with γ = 1,
//!   β = 0, as in GPT-2), N(x) has mean square σ²/(σ² + ε) ≈ 1 per unit whatever q^{l-1},
//!   and the unnormalized branch multiplies it by r: q^l = q^{l-1} + α² r, linear growth
//!   again, q^L = q^0 + L α² r (ε ignored). The branch's share of the stream, α² r / q^l,
//!   falls as 1/l.
//!
//! Backward, in the mean field (weights independent of the back-propagated gradient), the
//! gradient's mean square obeys the same recursion from the top: 𝔼|∂L/∂x^{l-1}|² =
//! (1 + α² r) 𝔼|∂L/∂x^l|² for the unnormalized branch.
//!
//! Sources: Yang and Schoenholz (2017), *Mean field residual networks: on the edge of
//! chaos*; De and Smith (2020); Hanin and Rolnick (2018), *How to start training: the
//! effect of initialization and architecture*.

use initnet::error::{Result, non_negative};
use initnet::{Activation, Error};

use crate::gaussian::kept_fraction;

/// The gain r = 𝔼[F(x)²] / q of a branch of `layers` dense layers with weight variance
/// σ_w²/n each and a piecewise-linear activation after every layer but the last (one
/// layer: F = f(W x), r = σ_w² κ; two layers: F = W² f(W¹ x), r = σ_w⁴ κ), with κ the
/// [`kept_fraction`] of the activation. He's σ_w² = 2 for ReLU gives r = 1 and r = 2.
/// Ok(None) for activations without a closed form (tanh, the sigmoid).
pub fn branch_gain(activation: Activation, sigma_w2: f64, layers: usize) -> Result<Option<f64>> {
    non_negative("weight variance sigma_w^2", sigma_w2)?;
    let Some(kappa) = kept_fraction(activation) else {
        return Ok(None);
    };
    match layers {
        1 => Ok(Some(sigma_w2 * kappa)),
        2 => Ok(Some(sigma_w2 * kappa * sigma_w2)),
        _ => Err(Error::OutOfRange {
            name: "layers per branch",
            expected: "1 or 2",
            value: layers as f64,
        }),
    }
}

/// q^0, ..., q^L of an unnormalized residual network: q^l = (1 + α² r) q^{l-1}.
pub fn residual_q(q0: f64, alpha: f64, gain: f64, blocks: usize) -> Result<Vec<f64>> {
    non_negative("mean square q^0", q0)?;
    non_negative("branch gain r", gain)?;
    initnet::error::finite("branch scale alpha", alpha)?;
    let factor = 1.0 + alpha * alpha * gain;
    let mut q = Vec::with_capacity(blocks + 1);
    q.push(q0);
    for l in 0..blocks {
        q.push(q[l] * factor);
    }
    Ok(q)
}

/// q^0, ..., q^L of a residual network whose branches end in a normalization with scale γ:
/// q^l = q^{l-1} + α² γ² (ε neglected: the exact increment is α² γ² σ²/(σ² + ε)).
pub fn normalized_residual_q(q0: f64, alpha: f64, gamma: f64, blocks: usize) -> Result<Vec<f64>> {
    non_negative("mean square q^0", q0)?;
    initnet::error::finite("branch scale alpha", alpha)?;
    initnet::error::finite("normalization scale gamma", gamma)?;
    let step = alpha * alpha * gamma * gamma;
    Ok((0..=blocks).map(|l| q0 + l as f64 * step).collect())
}

/// q^0, ..., q^L of a residual network with a normalization (γ = 1, β = 0) at each branch's
/// input and a branch of gain r after it: q^l = q^{l-1} + α² r (ε neglected: the exact
/// increment is α² r σ²/(σ² + ε), σ² the variance the normalization divides by).
pub fn pre_norm_residual_q(q0: f64, alpha: f64, gain: f64, blocks: usize) -> Result<Vec<f64>> {
    non_negative("mean square q^0", q0)?;
    non_negative("branch gain r", gain)?;
    initnet::error::finite("branch scale alpha", alpha)?;
    let step = alpha * alpha * gain;
    Ok((0..=blocks).map(|l| q0 + l as f64 * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(branch_gain(Activation::Relu, 2.0, 1).unwrap(), Some(1.0));
        assert_eq!(branch_gain(Activation::Relu, 2.0, 2).unwrap(), Some(2.0));
        assert_eq!(
            branch_gain(Activation::Identity, 1.0, 2).unwrap(),
            Some(1.0)
        );
        assert_eq!(branch_gain(Activation::Tanh, 1.0, 2).unwrap(), None);
        assert!(branch_gain(Activation::Relu, 2.0, 3).is_err());
        let q = residual_q(1.0, 1.0, 2.0, 4).unwrap();
        assert_eq!(q, vec![1.0, 3.0, 9.0, 27.0, 81.0]);
        // α² = 1/L: (1 + r/L)^L approaches e^r from below.
        let l = 1000;
        let q = residual_q(1.0, 1.0 / (l as f64).sqrt(), 2.0, l).unwrap();
        let e2 = initnet::math::exp(2.0);
        assert!(q[l] < e2 && q[l] > e2 * (1.0 - 2.0 / l as f64));
        assert_eq!(
            normalized_residual_q(0.5, 1.0, 1.0, 3).unwrap(),
            vec![0.5, 1.5, 2.5, 3.5]
        );
        assert_eq!(
            pre_norm_residual_q(1.0, 1.0, 2.0, 3).unwrap(),
            vec![1.0, 3.0, 5.0, 7.0]
        );
        assert!(pre_norm_residual_q(1.0, 1.0, -2.0, 3).is_err());
        assert!(residual_q(-1.0, 1.0, 2.0, 3).is_err());
        assert!(residual_q(1.0, f64::NAN, 2.0, 3).is_err());
        assert!(normalized_residual_q(1.0, 1.0, f64::INFINITY, 3).is_err());
    }
}

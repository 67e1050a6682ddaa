//! Tanh's gain, 1 or 5/3, as depth grows: the mean field of a deep tanh stack with zero
//! biases and weights of variance g²/n, forward (the std of the last layer's
//! pre-activations) and backward (how much larger the gradient is at the first layer than
//! at the last).

use initnet::{Activation, Init};

use crate::{Error, Result};

/// The gains the chapter compares: LeCun's and Glorot's 1, and PyTorch's 5/3 for tanh.
pub const GAINS: [f64; 2] = [1.0, 5.0 / 3.0];

/// The depths the chapter's table shows.
pub const DEPTHS: [usize; 3] = [10, 30, 100];

/// One gain at one depth, by the mean field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GainRow {
    /// The gain g: Var(W) = g²/n.
    pub gain: f64,
    /// The number of tanh layers L.
    pub depth: usize,
    /// sqrt(q^L): the std of a^L for inputs of unit variance.
    pub top_std: f64,
    /// std(∂L/∂a¹) / std(∂L/∂a^L): above 1 the gradient grows toward the input.
    pub grad_ratio: f64,
}

/// The mean-field prediction for a tanh stack of `depth` layers of equal width with gain
/// `gain` and zero biases (width-independent: the widths cancel). A zero depth or a gain
/// that is not finite and positive is an error naming it.
pub fn tanh_gain(gain: f64, depth: usize) -> Result<GainRow> {
    if depth == 0 {
        return Err(Error::Zero("depth"));
    }
    let init = Init::lecun_normal().with_gain(gain)?;
    let width = 100;
    let p = theory::mean_field(
        &vec![width; depth + 1],
        &vec![Activation::Tanh; depth],
        init,
        1.0,
        1.0,
    )?;
    Ok(GainRow {
        gain,
        depth,
        top_std: p.q[depth - 1].sqrt(),
        grad_ratio: p.r[0].sqrt(),
    })
}

/// Every gain of [`GAINS`] at every depth of `depths`, gain by gain.
pub fn tanh_gain_table(depths: &[usize]) -> Result<Vec<GainRow>> {
    GAINS
        .iter()
        .flat_map(|&g| depths.iter().map(move |&d| tanh_gain(g, d)))
        .collect()
}

/// The fixed point q* of the tanh variance map with zero biases for gain `gain`, and χ₁
/// there (None for g <= 1, where q* = 0 and χ₁ = g²).
pub fn fixed_point(gain: f64) -> Result<Option<(f64, f64)>> {
    let sigma_w2 = gain * gain;
    Ok(match theory::tanh_fixed_point(sigma_w2, 0.0)? {
        Some(q) if q > 0.0 => Some((q, theory::chi(Activation::Tanh, sigma_w2, q)?)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gain_one_decays_slowly_and_five_thirds_settles() {
        let (q, chi) = fixed_point(5.0 / 3.0).unwrap().unwrap();
        assert!(
            (q - 1.1785).abs() < 1e-3 && (chi - 1.21).abs() < 5e-3,
            "{q} {chi}"
        );
        assert_eq!(fixed_point(1.0).unwrap(), None);
        let deep = tanh_gain(5.0 / 3.0, 100).unwrap();
        assert!((deep.top_std - q.sqrt()).abs() < 1e-6);
        // q_l ~ 1/(2l) for g = 1.
        let one = tanh_gain(1.0, 100).unwrap();
        assert!(
            (one.top_std * 200f64.sqrt() - 1.0).abs() < 0.1,
            "{}",
            one.top_std
        );
        assert_eq!(tanh_gain(1.0, 0).unwrap_err(), Error::Zero("depth"));
    }
}

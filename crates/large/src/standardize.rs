//! The article's advice to standardize inputs, measured: the toy problem (4 blobs in
//! 2 features, centres drawn in the box (-10, 10), so |x| is about 10) fed raw or
//! standardized to the same 2-2-4 tanh network with the same initial weights.

use initnet::ndarray::Array2;
use initnet::{
    Activation, Blobs, Error, History, Init, MlpSpec, Standardizer, TrainConfig,
    saturated_fraction, train,
};

use crate::math::{THRESHOLD, gaussian_tail, saturation_cutoff};

/// The article's toy network: 2 inputs, 2 tanh hidden units, 4 outputs.
pub const WIDTHS: [usize; 3] = [2, 2, 4];

/// The initial weights both runs share: Glorot/Xavier normal, Var(W^1) = 2 / (2 + 2).
pub fn init() -> Init {
    Init::xavier_normal()
}

/// The toy problem's features for `seed`, raw (as drawn) or standardized, and its labels.
pub fn features(seed: u64, standardized: bool) -> Result<(Array2<f64>, Vec<usize>), Error> {
    let data = Blobs::new(400, 4).generate(seed)?;
    let x = if standardized {
        Standardizer::fit(&data.x)?.transform(&data.x)?
    } else {
        data.x
    };
    Ok((x, data.y))
}

/// The expected saturated fraction of the first layer given the inputs, averaged over the
/// weights: with w ~ N(0, s^2 I), a = w.x ~ N(0, s^2 |x|^2), so the fraction is the mean
/// over samples of 2 Phi(-atanh(0.99) / (s |x_i|)).
pub fn predicted_saturation(x: &Array2<f64>, weight_std: f64) -> Result<f64, Error> {
    let t = saturation_cutoff(Activation::Tanh)?;
    Ok(x.rows()
        .into_iter()
        .map(|r| gaussian_tail(t, weight_std * initnet::kernels::dot(&r, &r).sqrt()))
        .sum::<f64>()
        / x.nrows() as f64)
}

/// One seed's comparison: the same initial network trained on raw and on standardized inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Mean input norm |x|.
    pub mean_norm: f64,
    /// Saturated fraction of the hidden layer at initialization, measured.
    pub saturated: f64,
    /// Its prediction given the inputs.
    pub predicted: f64,
    /// The training run.
    pub history: History,
}

/// Train the toy network from `seed` (data and weights) on raw and standardized inputs:
/// full batch, learning rate `lr`, `epochs` epochs. Returns (raw, standardized).
pub fn compare(seed: u64, lr: f64, epochs: usize) -> Result<(Side, Side), Error> {
    let spec = MlpSpec::new(&WIDTHS, Activation::Tanh, init());
    let weight_std = init().variance(WIDTHS[0], WIDTHS[1]).sqrt();
    let run = |standardized: bool| -> Result<Side, Error> {
        let (x, y) = features(seed, standardized)?;
        let mut net = spec.build(seed)?;
        let h1 = net.forward(&x)?.h(1).clone();
        let mean_norm = x
            .rows()
            .into_iter()
            .map(|r| initnet::kernels::dot(&r, &r).sqrt())
            .sum::<f64>()
            / x.nrows() as f64;
        Ok(Side {
            mean_norm,
            saturated: saturated_fraction(Activation::Tanh, &h1, THRESHOLD),
            predicted: predicted_saturation(&x, weight_std)?,
            history: train(&mut net, &x, &y, &TrainConfig::new(lr, epochs))?,
        })
    };
    Ok((run(false)?, run(true)?))
}

/// The chapter's comparison over many seeds: learning rate 0.1, 300 epochs.
pub fn compare_seeds(seeds: &[u64]) -> Result<Vec<(Side, Side)>, Error> {
    seeds.iter().map(|&s| compare(s, 0.1, 300)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardized_inputs_have_unit_scale() {
        let (x, _) = features(0, true).unwrap();
        let p = predicted_saturation(&x, 0.0).unwrap();
        assert_eq!(p, 0.0);
        let (raw, _) = features(0, false).unwrap();
        assert!(predicted_saturation(&raw, 1.0).unwrap() > predicted_saturation(&x, 1.0).unwrap());
    }
}

//! The post's toy problem: four Gaussian blobs in two features, and a 2-2-4 network.

use initnet::{Activation, Blobs, Dataset, Init, Mlp, MlpSpec};

/// Samples in the toy data set.
pub const SAMPLES: usize = 400;
/// Classes (blobs) of the toy data set.
pub const CLASSES: usize = 4;
/// The seed the book draws the toy data set with.
pub const SEED: u64 = 0;
/// The post's network: 2 inputs, a hidden layer of 2 units, 4 outputs.
pub const WIDTHS: [usize; 3] = [2, 2, 4];

/// The toy data set: `SAMPLES` points around `CLASSES` centres in two features
/// (scikit-learn's `make_blobs` with its defaults: blob std 1, centres in [-10, 10]²).
pub fn toy_data(seed: u64) -> initnet::Result<Dataset> {
    Blobs::new(SAMPLES, CLASSES).features(2).generate(seed)
}

/// The post's 2-2-4 network with tanh hidden units and the given initialization.
pub fn toy_network(init: Init, seed: u64) -> initnet::Result<Mlp> {
    MlpSpec::new(&WIDTHS, Activation::Tanh, init).build(seed)
}

/// The number of weights and biases of a fully connected network with these widths:
/// the sum over layers of n_l n_{l-1} + n_l.
pub fn parameter_count(widths: &[usize]) -> usize {
    widths.windows(2).map(|w| w[1] * w[0] + w[1]).sum()
}

/// The fraction of the toy data set (drawn with `seed`) that the nearest true centre
/// classifies correctly. For blobs of equal, isotropic spread and equal size this is the
/// Bayes-optimal classifier, so no network can do better on average.
pub fn nearest_centre_accuracy(seed: u64) -> initnet::Result<f64> {
    let blobs = Blobs::new(SAMPLES, CLASSES).features(2);
    let centres = blobs.centers(seed)?;
    let data = blobs.generate(seed)?;
    let correct = data
        .x
        .rows()
        .into_iter()
        .zip(&data.y)
        .filter(|(x, y)| {
            let distance = |c: usize| {
                initnet::math::powi(x[0] - centres[[c, 0]], 2)
                    + initnet::math::powi(x[1] - centres[[c, 1]], 2)
            };
            (0..CLASSES).min_by(|&a, &b| distance(a).total_cmp(&distance(b))) == Some(**y)
        })
        .count();
    Ok(correct as f64 / data.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_posts_network_has_its_shapes() {
        let net = toy_network(Init::xavier_normal(), 1).unwrap();
        assert_eq!(net.layer(1).w.dim(), (2, 2));
        assert_eq!(net.layer(2).w.dim(), (4, 2));
        assert_eq!(parameter_count(&WIDTHS), 2 * 2 + 2 + 4 * 2 + 4);
    }
}

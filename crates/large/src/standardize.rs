//! The advice to standardize inputs, measured with controls: the toy problem (4 blobs in
//! 2 features, centres drawn uniformly in the box (-10, 10)^2 and points around them with
//! standard deviation 1, so each raw feature has standard deviation sqrt(100/3 + 1), about
//! 5.9, over draws of the centres) fed to the same 2-2-4 tanh network with the same
//! initial weights, in four versions: raw, centred only, scaled only, and standardized
//! (centred and scaled). Raw inputs differ from standardized ones in two ways, their
//! scale and their offset from 0 (LeCun et al., 1998, section 4.3, give centring as the
//! first reason); the two middle versions separate them.

use book::memo::{Memo, per_seed};
use initnet::math::exp;
use initnet::ndarray::Array2;
use initnet::{
    Activation, Blobs, Error, History, Init, MlpSpec, Standardizer, TrainConfig,
    saturated_fraction, train,
};

use crate::math::{THRESHOLD, gaussian_tail, saturation_cutoff};

/// The post's toy network: 2 inputs, 2 tanh hidden units, 4 outputs.
pub const WIDTHS: [usize; 3] = [2, 2, 4];

/// The initial weights every run shares: Glorot/Xavier normal, Var(W^1) = 2 / (2 + 2).
pub fn init() -> Init {
    Init::xavier_normal()
}

/// How the raw features are prepared before training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inputs {
    /// As drawn.
    Raw,
    /// Each feature minus its mean: centred, raw scale.
    Centred,
    /// Each feature divided by its standard deviation: unit scale, not centred.
    Scaled,
    /// Centred and scaled: mean 0 and standard deviation 1 per feature.
    Standardized,
}

impl Inputs {
    /// The four versions, raw first and standardized last.
    pub const ALL: [Inputs; 4] = [
        Inputs::Raw,
        Inputs::Centred,
        Inputs::Scaled,
        Inputs::Standardized,
    ];

    /// The version's name, as the charts and the text write it.
    pub fn label(self) -> &'static str {
        match self {
            Inputs::Raw => "raw",
            Inputs::Centred => "centred only",
            Inputs::Scaled => "scaled only",
            Inputs::Standardized => "standardized",
        }
    }
}

/// The standard deviation of one raw feature over draws of the data: a centre uniform in
/// (-10, 10) (variance 20^2 / 12 = 100/3) plus a standard-normal offset, sqrt(100/3 + 1).
pub fn raw_feature_sd() -> f64 {
    (100.0 / 3.0 + 1.0_f64).sqrt()
}

/// The expected standard deviation of one raw feature *within* one data set, the scale
/// that standardizing (or "scaled only") divides by: the population variance of the 4
/// equally large classes' centres has the expectation (1 - 1/4) 100/3 = 25, plus the
/// unit spread around them, so sqrt(26) (the root of the expected variance).
pub fn within_feature_sd() -> f64 {
    (0.75 * 100.0 / 3.0 + 1.0_f64).sqrt()
}

/// The toy problem's features for `seed`, prepared as `inputs`, and its labels.
pub fn features(seed: u64, inputs: Inputs) -> Result<(Array2<f64>, Vec<usize>), Error> {
    let data = Blobs::new(400, 4).generate(seed)?;
    let fit = Standardizer::fit(&data.x)?;
    let x = match inputs {
        Inputs::Raw => data.x,
        Inputs::Centred => &data.x - &fit.mean,
        Inputs::Scaled => &data.x / &fit.std,
        Inputs::Standardized => fit.transform(&data.x)?,
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

/// Angles of the rule over the half-turn in [`saturation_moments`].
pub const ANGLES: usize = 720;

/// The exact mean and variance, over the weights w ~ N(0, s^2 I_2) of one hidden unit, of
/// the fraction F of the samples (rows of `x`, two features) on which the unit is saturated
/// (|w.x_i| > atanh 0.99), given the inputs.
///
/// Write w = s R (cos θ, sin θ) with θ uniform and P(R > r) = exp(-r^2 / 2) (the chi law
/// with 2 degrees of freedom). Given θ, sample i is saturated when R exceeds
/// τ_i = t / (s |x_i . u_θ|), so with the τ_i sorted increasingly,
/// E[F | θ] = (1/N) Σ_i e^{-τ_i²/2} and E[F² | θ] = (1/N²) Σ_k (2k - 1) e^{-τ_(k)²/2}
/// (the pairs whose larger threshold is τ_(k)). Both are averaged over θ in [0, π) by the
/// midpoint rule with [`ANGLES`] angles; the mean agrees with [`predicted_saturation`]
/// (the test checks it). A `x` without two columns or a `weight_std` that is not finite and
/// positive is an error naming it.
pub fn saturation_moments(x: &Array2<f64>, weight_std: f64) -> Result<(f64, f64), Error> {
    if x.ncols() != 2 || x.nrows() == 0 {
        return Err(Error::Shape {
            what: "inputs of the saturation moments".into(),
            expected: vec![x.nrows().max(1), 2],
            got: vec![x.nrows(), x.ncols()],
        });
    }
    if !(weight_std.is_finite() && weight_std > 0.0) {
        return Err(Error::OutOfRange {
            name: "weight standard deviation",
            expected: "finite and > 0",
            value: weight_std,
        });
    }
    let t = saturation_cutoff(Activation::Tanh)?;
    let n = x.nrows() as f64;
    let mut tails = Vec::with_capacity(x.nrows());
    let (mut m1, mut m2) = (0.0, 0.0);
    for k in 0..ANGLES {
        let theta = std::f64::consts::PI * (k as f64 + 0.5) / ANGLES as f64;
        let (sin, cos) = (libm::sin(theta), libm::cos(theta));
        tails.clear();
        tails.extend(x.rows().into_iter().map(|r| {
            let proj = (r[0] * cos + r[1] * sin).abs() * weight_std;
            if proj > 0.0 {
                let tau = t / proj;
                exp(-0.5 * tau * tau)
            } else {
                0.0
            }
        }));
        // e^{-τ²/2} decreases in τ: sorting the tails decreasingly sorts τ increasingly.
        tails.sort_by(|a, b| b.total_cmp(a));
        m1 += tails.iter().sum::<f64>() / n;
        m2 += tails
            .iter()
            .enumerate()
            .map(|(k, e)| (2 * k + 1) as f64 * e)
            .sum::<f64>()
            / (n * n);
    }
    let (m1, m2) = (m1 / ANGLES as f64, m2 / ANGLES as f64);
    Ok((m1, (m2 - m1 * m1).max(0.0)))
}

/// One seed's run of the toy network on one version of the inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// How the inputs were prepared.
    pub inputs: Inputs,
    /// Mean input norm |x|.
    pub mean_norm: f64,
    /// Saturated fraction of the hidden layer at initialization, measured.
    pub saturated: f64,
    /// Its expectation over the weights, given the inputs ([`saturation_moments`]).
    pub predicted: f64,
    /// The variance of one hidden unit's saturated fraction over the weights, given the
    /// inputs ([`saturation_moments`]).
    pub unit_variance: f64,
    /// The training run.
    pub history: History,
}

/// Train the toy network from `seed` (data and weights) on every version of the inputs
/// ([`Inputs::ALL`], in that order): full batch, learning rate `lr`, `epochs` epochs.
pub fn compare(seed: u64, lr: f64, epochs: usize) -> Result<Vec<Side>, Error> {
    let spec = MlpSpec::new(&WIDTHS, Activation::Tanh, init());
    let weight_std = init().variance(WIDTHS[0], WIDTHS[1]).sqrt();
    Inputs::ALL
        .iter()
        .map(|&inputs| {
            let (x, y) = features(seed, inputs)?;
            let mut net = spec.build(seed)?;
            let h1 = net.forward(&x)?.h(1).clone();
            let mean_norm = x
                .rows()
                .into_iter()
                .map(|r| initnet::kernels::dot(&r, &r).sqrt())
                .sum::<f64>()
                / x.nrows() as f64;
            let (predicted, unit_variance) = saturation_moments(&x, weight_std)?;
            Ok(Side {
                inputs,
                mean_norm,
                saturated: saturated_fraction(Activation::Tanh, &h1, THRESHOLD),
                predicted,
                unit_variance,
                history: train(&mut net, &x, &y, &TrainConfig::new(lr, epochs))?,
            })
        })
        .collect()
}

/// One version of the inputs over many seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// How the inputs were prepared.
    pub inputs: Inputs,
    /// One run per seed, in the order of the seeds.
    pub runs: Vec<Side>,
}

impl Comparison {
    /// The final accuracy of every run.
    pub fn accuracies(&self) -> Vec<f64> {
        self.runs
            .iter()
            .map(|r| r.history.last().accuracy)
            .collect()
    }
    /// The mean training loss over the runs, epoch by epoch (epoch 0 first).
    pub fn mean_losses(&self) -> Vec<f64> {
        let epochs = self.runs[0].history.records.len();
        (0..epochs)
            .map(|e| book::mean(self.runs.iter().map(|r| r.history.records[e].loss)))
            .collect()
    }
}

/// The chapter's comparison over many seeds: learning rate 0.1, 300 epochs, one
/// [`Comparison`] per version of the inputs, in the order of [`Inputs::ALL`]. No seeds is
/// an error.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn compare_seeds(seeds: &[u64]) -> Result<Vec<Comparison>, Error> {
    static COMPARISONS: Memo<Vec<u64>, Vec<Comparison>> = Memo::new();
    COMPARISONS.get_or_run(seeds.to_vec(), || compute_compare_seeds(seeds))
}

fn compute_compare_seeds(seeds: &[u64]) -> Result<Vec<Comparison>, Error> {
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".to_string(),
        });
    }
    let by_seed = per_seed(seeds, |s| compare(s, 0.1, 300))?;
    Ok(Inputs::ALL
        .iter()
        .enumerate()
        .map(|(k, &inputs)| Comparison {
            inputs,
            runs: by_seed.iter().map(|sides| sides[k].clone()).collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardized_inputs_have_unit_scale() {
        let (x, _) = features(0, Inputs::Standardized).unwrap();
        let fit = Standardizer::fit(&x).unwrap();
        assert!(fit.mean.iter().all(|m| m.abs() < 1e-12));
        assert!(fit.std.iter().all(|s| (s - 1.0).abs() < 1e-12));
        let (c, _) = features(0, Inputs::Centred).unwrap();
        assert!(
            Standardizer::fit(&c)
                .unwrap()
                .mean
                .iter()
                .all(|m| m.abs() < 1e-12)
        );
        let (raw, _) = features(0, Inputs::Raw).unwrap();
        assert!(predicted_saturation(&raw, 1.0).unwrap() > predicted_saturation(&x, 1.0).unwrap());
    }

    #[test]
    fn the_moments_mean_is_the_closed_form() {
        for inputs in Inputs::ALL {
            let (x, _) = features(3, inputs).unwrap();
            let (m, v) = saturation_moments(&x, 0.5f64.sqrt()).unwrap();
            let p = predicted_saturation(&x, 0.5f64.sqrt()).unwrap();
            assert!((m - p).abs() < 1e-4, "{inputs:?}: {m} against {p}");
            // A fraction in [0, 1] has variance at most p (1 - p).
            assert!(v <= p * (1.0 - p) + 1e-9, "{inputs:?}: {v}");
        }
    }

    #[test]
    fn bad_moments_inputs_are_named() {
        let (x, _) = features(0, Inputs::Raw).unwrap();
        let e = saturation_moments(&x, -1.0).unwrap_err().to_string();
        assert!(e.contains("-1"), "{e}");
        let wide = Array2::<f64>::zeros((3, 4));
        let e = saturation_moments(&wide, 1.0).unwrap_err().to_string();
        assert!(e.contains('4'), "{e}");
        assert!(compare_seeds(&[]).is_err());
    }
}

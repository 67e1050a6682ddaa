//! Glorot and Bengio's Table 1 in miniature, on scikit-learn's 8×8 digits: five hidden
//! layers, tanh with the standard and the normalized initialization, and the logistic
//! sigmoid with the standard one; test error over seeds.

use initnet::data::load_digits;
use initnet::{Activation, Dataset, Init, MlpSpec, TrainConfig, stratified_split, train};

use book::Result;

/// One column of the miniature table: an activation and an initialization.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    /// The logistic sigmoid with the standard initialization U(±1/√n_in).
    SigmoidStandard,
    /// tanh with the standard initialization U(±1/√n_in).
    TanhStandard,
    /// tanh with the normalized initialization U(±√(6/(n_in + n_out))).
    TanhNormalized,
}

impl Setting {
    /// The three settings, in Glorot and Bengio's order.
    pub const ALL: [Setting; 3] = [
        Setting::SigmoidStandard,
        Setting::TanhStandard,
        Setting::TanhNormalized,
    ];

    /// The name the table uses.
    pub fn name(self) -> &'static str {
        match self {
            Setting::SigmoidStandard => "sigmoid, standard",
            Setting::TanhStandard => "tanh, standard",
            Setting::TanhNormalized => "tanh, normalized",
        }
    }

    fn activation(self) -> Activation {
        match self {
            Setting::SigmoidStandard => Activation::Sigmoid,
            _ => Activation::Tanh,
        }
    }

    /// Glorot and Bengio's MNIST test error in percent for this setting, their Table 1
    /// ("Test error with different activation functions and initialization schemes for
    /// deep networks with 5 hidden layers"; rows Sigmoid, Tanh and Tanh N of the MNIST
    /// column), networks of 1,000 units a layer with the learning rate chosen for each
    /// network on a validation set.
    pub fn glorot_bengio_mnist(self) -> f64 {
        match self {
            Setting::SigmoidStandard => 2.21,
            Setting::TanhStandard => 1.76,
            Setting::TanhNormalized => 1.64,
        }
    }

    /// The initializer: Glorot and Bengio's standard U(±1/√n_in) is LeCun's uniform law with
    /// gain 1/√3; their normalized one is Xavier's uniform law.
    pub fn init(self) -> Result<Init> {
        Ok(match self {
            Setting::TanhNormalized => Init::xavier_uniform(),
            _ => Init::lecun_uniform().with_gain(1.0 / 3.0f64.sqrt())?,
        })
    }
}

/// The miniature's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DigitsSettings {
    /// Units in each of the five hidden layers.
    pub hidden: usize,
    /// Epochs of mini-batch gradient descent.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch: usize,
    /// Learning rate.
    pub lr: f64,
    /// Share of the images held out for the test error.
    pub test_fraction: f64,
}

impl Default for DigitsSettings {
    fn default() -> Self {
        DigitsSettings {
            hidden: 32,
            epochs: 6,
            batch: 64,
            lr: 0.2,
            test_fraction: 0.25,
        }
    }
}

/// The digits with pixels scaled to [0, 1] (the raw counts are 0..16).
pub fn digits() -> Result<Dataset> {
    let d = load_digits()?;
    Ok(Dataset::new(d.x.mapv(|v| v / 16.0), d.y, d.classes)?)
}

/// Test error (fraction misclassified) of each setting, one per seed; each seed draws its
/// own stratified split, network and mini-batch order, shared by the three settings.
pub fn table(s: &DigitsSettings, seeds: &[u64]) -> Result<Vec<(Setting, Vec<f64>)>> {
    if seeds.is_empty() {
        return Err(book::Error::NoSeeds);
    }
    let data = digits()?;
    Setting::ALL
        .iter()
        .map(|&setting| {
            let errors = seeds
                .iter()
                .map(|&seed| {
                    let (train_set, test_set) = stratified_split(&data, s.test_fraction, seed)?;
                    let widths = [64, s.hidden, s.hidden, s.hidden, s.hidden, s.hidden, 10];
                    let mut net =
                        MlpSpec::new(&widths, setting.activation(), setting.init()?).build(seed)?;
                    let cfg = TrainConfig::new(s.lr, s.epochs).mini_batch(s.batch, seed);
                    train(&mut net, &train_set.x, &train_set.y, &cfg)?;
                    let out = net.predict(&test_set.x)?;
                    let wrong =
                        out.rows()
                            .into_iter()
                            .zip(&test_set.y)
                            .filter(|(row, y)| {
                                let best =
                                    row.iter()
                                        .enumerate()
                                        .fold((0, f64::NEG_INFINITY), |b, (i, &v)| {
                                            if v > b.1 { (i, v) } else { b }
                                        })
                                        .0;
                                best != **y
                            })
                            .count();
                    Ok(wrong as f64 / test_set.len() as f64)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((setting, errors))
        })
        .collect()
}

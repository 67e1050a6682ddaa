//! Training a deep, narrow ReLU network, in the spirit of He et al. (2015)'s 30-layer
//! model: the same network and data, initialized by Glorot/Xavier or by He.

use initnet::{
    Activation, Dataset, History, Init, Mlp, MlpSpec, Standardizer, TrainConfig, make_circles,
    train,
};

use crate::Error;
use crate::dying::{LayerActivity, hidden_activity};
use book::memo::{Memo, per_seed};

/// The deep-training experiment: `depth` hidden ReLU layers of `width` units on the
/// two-circles problem, full-batch gradient descent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeepTraining {
    /// Units per hidden layer.
    pub width: usize,
    /// Number of hidden ReLU layers (the output layer is one more, linear).
    pub depth: usize,
    /// Number of training points.
    pub samples: usize,
    /// Noise of `make_circles`.
    pub noise: f64,
    /// Learning rate.
    pub lr: f64,
    /// Epochs of full-batch gradient descent.
    pub epochs: usize,
    /// Classical momentum (0 for plain gradient descent).
    pub momentum: f64,
}

impl DeepTraining {
    /// The chapter's setting: 30 hidden layers of 32 units, 100 points of two circles (noise
    /// 0.1), learning rate 0.005 with momentum 0.8, 150 epochs.
    pub fn chapter() -> Self {
        DeepTraining {
            width: 32,
            depth: 30,
            samples: 100,
            noise: 0.1,
            lr: 0.005,
            epochs: 150,
            momentum: 0.8,
        }
    }

    /// The widths n_0 = 2, depth times `width`, n_L = 2.
    pub fn widths(&self) -> Vec<usize> {
        let mut w = vec![2];
        w.extend(std::iter::repeat_n(self.width, self.depth));
        w.push(2);
        w
    }

    /// The standardized two-circles data set of `seed`.
    pub fn data(&self, seed: u64) -> Result<Dataset, Error> {
        let d = make_circles(self.samples, self.noise, 0.5, seed)?;
        Ok(d.standardized(&Standardizer::fit(&d.x)?)?)
    }

    /// The network drawn by `init` from `seed` (zero biases).
    pub fn network(&self, init: Init, seed: u64) -> Result<Mlp, Error> {
        if self.width == 0 || self.depth == 0 {
            return Err(Error::Zero("width and depth of the deep network"));
        }
        Ok(MlpSpec::new(&self.widths(), Activation::Relu, init).build(seed)?)
    }

    /// The factor by which the output of the network drawn by `to` differs from that of the
    /// network drawn by `from` with the same seed, for every input: the product over layers
    /// of sqrt(Var_to(W^l) / Var_from(W^l)). It holds exactly when both schemes draw the same
    /// standard normals scaled per layer (two normal schemes), the biases are zero and the
    /// activation is positively homogeneous (ReLU): then every layer of one network is a
    /// positive multiple of the same layer of the other.
    pub fn output_scale(&self, from: Init, to: Init) -> f64 {
        self.widths()
            .windows(2)
            .map(|w| (to.variance(w[0], w[1]) / from.variance(w[0], w[1])).sqrt())
            .product()
    }

    /// Train the network drawn by `init` from `seed` on the data of `seed`: the history,
    /// and the activity of every hidden layer on the training set before and after.
    pub fn run(&self, init: Init, seed: u64) -> Result<Run, Error> {
        let data = self.data(seed)?;
        let mut net = self.network(init, seed)?;
        let before = hidden_activity(&net, &data.x)?;
        let history = train(
            &mut net,
            &data.x,
            &data.y,
            &TrainConfig::new(self.lr, self.epochs).momentum(self.momentum),
        )?;
        let after = if history.diverged.is_some() {
            None
        } else {
            Some(hidden_activity(&net, &data.x)?)
        };
        Ok(Run {
            history,
            before,
            after,
        })
    }
}

/// The activity of every hidden layer of the untrained network drawn by `init`, on the
/// data, for each seed (no training: cheap).
pub fn activity_at_init(
    setting: &DeepTraining,
    init: Init,
    seeds: &[u64],
) -> Result<Vec<Vec<LayerActivity>>, Error> {
    if seeds.is_empty() {
        return Err(Error::NoSeeds);
    }
    seeds
        .iter()
        .map(|&s| hidden_activity(&setting.network(init, s)?, &setting.data(s)?.x))
        .collect()
}

/// One training run of the deep network.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Loss, accuracy and gradient norms of every epoch.
    pub history: History,
    /// Activity of each hidden layer on the training set at initialization.
    pub before: Vec<LayerActivity>,
    /// The same after training (None if the run diverged).
    pub after: Option<Vec<LayerActivity>>,
}

impl std::ops::Deref for Run {
    type Target = History;
    fn deref(&self) -> &History {
        &self.history
    }
}

/// One initializer's runs over many seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingStudy {
    /// The initializer.
    pub init: Init,
    /// The seeds.
    pub seeds: Vec<u64>,
    /// One run per seed.
    pub histories: Vec<Run>,
}

impl TrainingStudy {
    /// Train once per seed. A process computes each study once: a second call with the
    /// same arguments returns a copy of the first result (the `speed` module).
    pub fn run(setting: &DeepTraining, init: Init, seeds: &[u64]) -> Result<Self, Error> {
        static RUNS: Memo<(DeepTraining, Init, Vec<u64>), TrainingStudy> = Memo::new();
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        RUNS.get_or_run((*setting, init, seeds.to_vec()), || {
            Self::compute(setting, init, seeds)
        })
    }

    fn compute(setting: &DeepTraining, init: Init, seeds: &[u64]) -> Result<Self, Error> {
        let histories = per_seed(seeds, |s| setting.run(init, s))?;
        Ok(TrainingStudy {
            init,
            seeds: seeds.to_vec(),
            histories,
        })
    }
    /// The final training accuracy of each run.
    pub fn final_accuracies(&self) -> Vec<f64> {
        self.histories.iter().map(|h| h.last().accuracy).collect()
    }
    /// The final training loss of each run.
    pub fn final_losses(&self) -> Vec<f64> {
        self.histories.iter().map(|h| h.last().loss).collect()
    }
    /// The number of runs that diverged.
    pub fn diverged(&self) -> usize {
        self.histories
            .iter()
            .filter(|h| h.diverged.is_some())
            .count()
    }
    /// The mean over runs of each hidden layer's [`LayerActivity`] at initialization
    /// (`after = false`) or after training (runs that diverged are left out).
    pub fn mean_activity(&self, after: bool) -> Vec<LayerActivity> {
        let runs: Vec<&Vec<LayerActivity>> = self
            .histories
            .iter()
            .filter_map(|r| {
                if after {
                    r.after.as_ref()
                } else {
                    Some(&r.before)
                }
            })
            .collect();
        let depth = runs.first().map_or(0, |r| r.len());
        let k = runs.len() as f64;
        (0..depth)
            .map(|l| LayerActivity {
                zero_fraction: runs.iter().map(|r| r[l].zero_fraction).sum::<f64>() / k,
                dead_fraction: runs.iter().map(|r| r[l].dead_fraction).sum::<f64>() / k,
                rms: runs.iter().map(|r| r[l].rms).sum::<f64>() / k,
            })
            .collect()
    }
    /// The mean loss over seeds at every epoch (runs that stopped early are excluded from
    /// the epochs they did not reach).
    pub fn mean_loss_curve(&self) -> Vec<f64> {
        self.mean_curve(|r| r.loss)
    }
    /// The mean training accuracy over seeds at every epoch (as [`Self::mean_loss_curve`]).
    pub fn mean_accuracy_curve(&self) -> Vec<f64> {
        self.mean_curve(|r| r.accuracy)
    }
    fn mean_curve(&self, f: impl Fn(&initnet::EpochRecord) -> f64) -> Vec<f64> {
        let epochs = self
            .histories
            .iter()
            .map(|h| h.records.len())
            .max()
            .unwrap_or(0);
        (0..epochs)
            .map(|e| {
                let v: Vec<f64> = self
                    .histories
                    .iter()
                    .filter_map(|h| h.records.get(e).map(&f))
                    .collect();
                v.iter().sum::<f64>() / v.len() as f64
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_errors_that_name_the_value() {
        let bad = DeepTraining {
            width: 0,
            ..DeepTraining::chapter()
        };
        assert!(matches!(bad.run(Init::he_normal(), 0), Err(Error::Zero(_))));
        let bad = DeepTraining {
            lr: -1.0,
            depth: 2,
            ..DeepTraining::chapter()
        };
        assert_eq!(
            bad.run(Init::he_normal(), 0).unwrap_err().to_string(),
            "learning rate must be finite and > 0, got -1"
        );
        assert_eq!(
            TrainingStudy::run(&DeepTraining::chapter(), Init::he_normal(), &[]).unwrap_err(),
            Error::NoSeeds
        );
    }

    #[test]
    fn output_scale_is_exact_for_scaled_normal_schemes() {
        let setting = DeepTraining {
            depth: 4,
            ..DeepTraining::chapter()
        };
        let scale = setting.output_scale(Init::he_normal(), Init::lecun_normal());
        // LeCun's variance is half of He's in every layer (also the first, with n_in = 2),
        // so each of the five layers contributes 1/sqrt(2).
        assert!((scale - initnet::math::powi(0.5f64.sqrt(), 5)).abs() < 1e-15);
        let x = setting.data(0).unwrap().x;
        let a = setting
            .network(Init::he_normal(), 0)
            .unwrap()
            .predict(&x)
            .unwrap();
        let b = setting
            .network(Init::lecun_normal(), 0)
            .unwrap()
            .predict(&x)
            .unwrap();
        for (p, q) in a.iter().zip(&b) {
            assert!((q - scale * p).abs() <= 1e-12 * p.abs());
        }
    }
}

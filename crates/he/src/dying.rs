//! Dying ReLU, with evidence: zero activations versus dead units, dead units after
//! training at several learning rates, networks that are born dead, and remedies.
//!
//! Two different things are easily confused:
//! - a *zero activation*: h^l_i = 0 for one input. At initialization about half of all
//!   activations are zero, for every input; that is how a ReLU works, not death.
//! - a *dead unit*: a^l_i <= 0 for every input of the data set. Its weights get no
//!   gradient from any input, so gradient descent cannot revive it (only a change in the
//!   layers below can).

use initnet::ndarray::{Array2, array};
use initnet::{
    Activation, BiasInit, Dataset, Init, Mlp, MlpSpec, Standardizer, TrainConfig, dead_fraction,
    make_moons, zero_fraction,
};

use crate::Error;
use book::memo::{Memo, per_seed};

/// The chapter's learning rates for the dying-ReLU sweep.
pub const LEARNING_RATES: [f64; 7] = [0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 1.0];

/// The chapter's born-dead trials: one network per seed 0..1000.
pub fn trials() -> Vec<u64> {
    (0..1000).collect()
}

/// How active one hidden layer is on a data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerActivity {
    /// Fraction of entries of h^l (samples x units) that are zero.
    pub zero_fraction: f64,
    /// Fraction of units whose pre-activation is <= 0 for every sample.
    pub dead_fraction: f64,
    /// Root mean square of the pre-activation a^l over the samples and the units: the
    /// size of the layer's signal.
    pub rms: f64,
}

/// [`LayerActivity`] of every hidden layer (all layers but the last) of `net` on `x`.
pub fn hidden_activity(net: &Mlp, x: &Array2<f64>) -> Result<Vec<LayerActivity>, Error> {
    let trace = net.forward(x)?;
    Ok((1..trace.depth())
        .map(|l| {
            let a = trace.a(l);
            LayerActivity {
                zero_fraction: zero_fraction(trace.h(l)),
                dead_fraction: dead_fraction(a),
                rms: (a.iter().map(|v| v * v).sum::<f64>() / a.len().max(1) as f64).sqrt(),
            }
        })
        .collect())
}

/// The fraction of all hidden units of `net` that are dead on `x` (every layer but the last).
pub fn dead_hidden_units(net: &Mlp, x: &Array2<f64>) -> Result<f64, Error> {
    let dead = dead_units(net, x)?;
    Ok(if dead.is_empty() {
        0.0
    } else {
        dead.iter().filter(|&&d| d).count() as f64 / dead.len() as f64
    })
}

/// For every hidden unit of `net` (layer by layer, every layer but the last), whether its
/// pre-activation is <= 0 on every row of `x`.
pub fn dead_units(net: &Mlp, x: &Array2<f64>) -> Result<Vec<bool>, Error> {
    let trace = net.forward(x)?;
    Ok((1..trace.depth())
        .flat_map(|l| {
            trace
                .a(l)
                .columns()
                .into_iter()
                .map(|col| col.iter().all(|&v| v <= 0.0))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The learning-rate experiment: a ReLU network trained by mini-batch gradient descent on
/// the two-moons problem; after training, how many hidden units are dead on the whole
/// training set.
#[derive(Debug, Clone, PartialEq)]
pub struct LrSetting {
    /// Widths n_0 = 2, hidden widths, n_L = 2.
    pub widths: Vec<usize>,
    /// Hidden activation.
    pub activation: Activation,
    /// Weight initializer.
    pub init: Init,
    /// Bias initializer.
    pub bias: BiasInit,
    /// Number of training points.
    pub samples: usize,
    /// Mini-batch size.
    pub batch: usize,
    /// Epochs.
    pub epochs: usize,
}

impl LrSetting {
    /// The chapter's setting: 2-64-64-64-2 ReLU, He normal, zero biases, 200 points of
    /// two moons, mini-batches of 20, 50 epochs.
    pub fn chapter() -> Self {
        LrSetting {
            widths: vec![2, 64, 64, 64, 2],
            activation: Activation::Relu,
            init: Init::he_normal(),
            bias: BiasInit::Zeros,
            samples: 200,
            batch: 20,
            epochs: 50,
        }
    }

    /// The standardized two-moons data set of `seed` (noise 0.1).
    pub fn data(&self, seed: u64) -> Result<Dataset, Error> {
        let d = make_moons(self.samples, 0.1, seed)?;
        Ok(d.standardized(&Standardizer::fit(&d.x)?)?)
    }

    /// Train once at learning rate `lr` from `seed`. A run that diverges stops; its last
    /// finite state is what it reports.
    pub fn run(&self, lr: f64, seed: u64) -> Result<LrRun, Error> {
        let data = self.data(seed)?;
        let spec = MlpSpec::new(&self.widths, self.activation, self.init).bias(self.bias);
        let mut net = spec.build(seed)?;
        let before = dead_units(&net, &data.x)?;
        let mut last_finite = net.clone();
        let cfg = TrainConfig::new(lr, self.epochs).mini_batch(self.batch, seed);
        let history = initnet::train_with(&mut net, &data.x, &data.y, &cfg, |_, net| {
            last_finite.clone_from(net)
        })?;
        let after = dead_units(&last_finite, &data.x)?;
        let count = |d: &[bool]| d.iter().filter(|&&d| d).count();
        let units = before.len().max(1) as f64;
        Ok(LrRun {
            lr,
            seed,
            dead_at_init: count(&before) as f64 / units,
            dead_after: count(&after) as f64 / units,
            dead_units_at_init: count(&before),
            revived: before
                .iter()
                .zip(&after)
                .filter(|(b, a)| **b && !**a)
                .count(),
            accuracy: history.last().accuracy,
            diverged_at: history.diverged.map(|d| d.epoch),
        })
    }

    /// Train once per learning rate and seed ([`Self::point`] for each learning rate).
    pub fn sweep(&self, lrs: &[f64], seeds: &[u64]) -> Result<Vec<LrPoint>, Error> {
        lrs.iter().map(|&lr| self.point(lr, seeds)).collect()
    }

    /// Train once per seed at learning rate `lr`. A process computes each point once: a
    /// second call with the same arguments (from a sweep or from the remedies) returns a
    /// copy of the first result (the `speed` module).
    pub fn point(&self, lr: f64, seeds: &[u64]) -> Result<LrPoint, Error> {
        static POINTS: Memo<(LrSetting, f64, Vec<u64>), LrPoint> = Memo::new();
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        POINTS.get_or_run((self.clone(), lr, seeds.to_vec()), || {
            Ok(LrPoint {
                lr,
                runs: per_seed(seeds, |s| self.run(lr, s))?,
            })
        })
    }
}

/// One training run of the learning-rate experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct LrRun {
    /// Learning rate.
    pub lr: f64,
    /// Seed of data, weights and mini-batches.
    pub seed: u64,
    /// Fraction of hidden units dead on the training set at initialization.
    pub dead_at_init: f64,
    /// The same for the last finite state of the network.
    pub dead_after: f64,
    /// How many hidden units were dead at initialization.
    pub dead_units_at_init: usize,
    /// How many of those are no longer dead in the last finite state: they are positive on
    /// some input again.
    pub revived: usize,
    /// Training accuracy of the last finite state.
    pub accuracy: f64,
    /// The epoch in which the run diverged, if it did.
    pub diverged_at: Option<usize>,
}

/// All runs at one learning rate.
#[derive(Debug, Clone, PartialEq)]
pub struct LrPoint {
    /// Learning rate.
    pub lr: f64,
    /// One run per seed.
    pub runs: Vec<LrRun>,
}

impl LrPoint {
    /// Dead fraction after training (last finite state) of every run.
    pub fn dead_after(&self) -> Vec<f64> {
        self.runs.iter().map(|r| r.dead_after).collect()
    }
    /// Dead fraction after training of the runs that did not diverge (`finished`) or of
    /// those that did, in their last finite state (`!finished`).
    pub fn dead_after_runs(&self, finished: bool) -> Vec<f64> {
        self.runs
            .iter()
            .filter(|r| r.diverged_at.is_none() == finished)
            .map(|r| r.dead_after)
            .collect()
    }
    /// Dead fraction at initialization of every run.
    pub fn dead_at_init(&self) -> Vec<f64> {
        self.runs.iter().map(|r| r.dead_at_init).collect()
    }
    /// Final accuracies of the runs that did not diverge.
    pub fn accuracies(&self) -> Vec<f64> {
        self.runs
            .iter()
            .filter(|r| r.diverged_at.is_none())
            .map(|r| r.accuracy)
            .collect()
    }
    /// Number of runs that diverged.
    pub fn diverged(&self) -> usize {
        self.runs.iter().filter(|r| r.diverged_at.is_some()).count()
    }
}

/// P(a network of ReLU layers of `width` units is still alive after layer l), for
/// l = 1..=depth, by iterating the Markov chain of the number of live units: the born-dead
/// law (1 - 2^-width)^l, from the [`theory`] crate, which derives it.
pub use theory::born_alive_probability;

/// The born-dead experiment for one network: `depth` hidden layers of `width` units with
/// `activation`, weights `init`, biases `bias`, fed the single input x = 1. Returns the
/// first layer l whose activations h^l are all zero (after which no gradient reaches the
/// layers below and the output no longer depends on x), or None.
pub fn first_dead_layer(
    width: usize,
    depth: usize,
    activation: Activation,
    init: Init,
    bias: BiasInit,
    seed: u64,
) -> Result<Option<usize>, Error> {
    let widths: Vec<usize> = std::iter::once(1)
        .chain(std::iter::repeat_n(width, depth))
        .collect();
    let net = MlpSpec::new(&widths, activation, init)
        .output(activation)
        .bias(bias)
        .build(seed)?;
    let trace = net.forward(&array![[1.0]])?;
    Ok((1..=depth).find(|&l| trace.h(l).iter().all(|&v| v == 0.0)))
}

/// Monte Carlo estimate of the born-dead probability by depth.
#[derive(Debug, Clone, PartialEq)]
pub struct BornDead {
    /// Units per layer.
    pub width: usize,
    /// Number of networks (one per seed).
    pub trials: usize,
    /// `dead[l-1]`: how many networks are dead at or before layer l.
    pub dead: Vec<usize>,
}

impl BornDead {
    /// Build one network of `depth` layers per seed and record where it dies. The first l
    /// layers of a deeper network are a network of depth l, so one run gives every depth.
    pub fn run(
        width: usize,
        depth: usize,
        activation: Activation,
        init: Init,
        bias: BiasInit,
        seeds: &[u64],
    ) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let mut dead = vec![0; depth];
        for &s in seeds {
            if let Some(l) = first_dead_layer(width, depth, activation, init, bias, s)? {
                for d in &mut dead[l - 1..] {
                    *d += 1;
                }
            }
        }
        Ok(BornDead {
            width,
            trials: seeds.len(),
            dead,
        })
    }

    /// The estimated probability of being dead by layer l, l = 1..=depth.
    pub fn fraction(&self) -> Vec<f64> {
        self.dead
            .iter()
            .map(|&d| d as f64 / self.trials as f64)
            .collect()
    }

    /// The binomial standard error sqrt(p (1 - p) / trials) of the estimate of a
    /// probability p (pass the closed-form p to test against it).
    pub fn standard_error(&self, p: f64) -> f64 {
        (p * (1.0 - p) / self.trials as f64).sqrt()
    }
}

/// The remedies compared at one (large) learning rate, each a change of the chapter's
/// [`LrSetting`]: (name, setting, learning rate).
pub fn remedies(
    large_lr: f64,
    small_lr: f64,
) -> Result<Vec<(&'static str, LrSetting, f64)>, Error> {
    let base = LrSetting::chapter();
    Ok(vec![
        ("ReLU", base.clone(), large_lr),
        (
            "leaky ReLU 0.1",
            LrSetting {
                activation: Activation::leaky_relu(0.1)?,
                init: Init::he_normal_leaky(0.1)?,
                ..base.clone()
            },
            large_lr,
        ),
        (
            "bias 0.1",
            LrSetting {
                bias: BiasInit::Constant(0.1),
                ..base.clone()
            },
            large_lr,
        ),
        ("smaller lr", base, small_lr),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_layer_is_found_and_leaky_layers_never_die() {
        // Width 1: layer 1 is dead exactly when its one weight is negative.
        for seed in 0..20 {
            let net = MlpSpec::new(&[1, 1], Activation::Relu, Init::he_normal())
                .output(Activation::Relu)
                .build(seed)
                .unwrap();
            let expected = (net.layer(1).w[[0, 0]] <= 0.0).then_some(1);
            assert_eq!(
                first_dead_layer(
                    1,
                    1,
                    Activation::Relu,
                    Init::he_normal(),
                    BiasInit::Zeros,
                    seed
                )
                .unwrap(),
                expected
            );
            assert_eq!(
                first_dead_layer(
                    2,
                    30,
                    Activation::LeakyRelu(0.1),
                    Init::he_normal(),
                    BiasInit::Zeros,
                    seed
                )
                .unwrap(),
                None
            );
        }
        assert!(
            BornDead::run(
                2,
                3,
                Activation::Relu,
                Init::he_normal(),
                BiasInit::Zeros,
                &[]
            )
            .is_err()
        );
    }

    #[test]
    fn dead_units_are_counted_over_the_whole_data_set() {
        use initnet::Dense;
        use initnet::ndarray::array;
        // Unit 1 of layer 1 is negative for both inputs (dead), unit 2 is not.
        let l1 = Dense::new(
            array![[-1.0, 0.0], [1.0, 0.0]],
            array![0.0, 0.0],
            Activation::Relu,
        )
        .unwrap();
        let l2 = Dense::new(array![[1.0, 1.0]], array![0.0], Activation::Identity).unwrap();
        let net = Mlp::from_layers(vec![l1, l2]).unwrap();
        let x = array![[1.0, 0.0], [2.0, 5.0]];
        assert_eq!(dead_hidden_units(&net, &x).unwrap(), 0.5);
        assert_eq!(dead_units(&net, &x).unwrap(), vec![true, false]);
        let act = hidden_activity(&net, &x).unwrap();
        assert_eq!(act.len(), 1);
        assert_eq!(
            act[0],
            LayerActivity {
                zero_fraction: 0.5,
                dead_fraction: 0.5,
                // a^1 = [[-1, 1], [-2, 2]]: mean square 10 / 4.
                rms: 2.5f64.sqrt(),
            }
        );
    }
}

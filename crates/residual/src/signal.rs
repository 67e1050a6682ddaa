//! The deep residual MLP of the chapter: its signal and gradient per block at
//! initialization, under each recipe, beside the mean field; and its training over seeds.

use book::Error;
use initnet::ndarray::Array2;
use initnet::random::{Distribution, Normal};
use initnet::residual::mean_square;
use initnet::{
    Activation, Dataset, Loss, NormKind, Recipe, ResNet, ResidualSpec, Standardizer, TrainConfig,
    make_moons, rng, train_residual,
};

use crate::speed::{Memo, per_seed};

/// One way to start the blocks: a recipe and a normalization.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    /// The name the chapter's tables and charts use.
    pub name: &'static str,
    /// How the blocks start.
    pub recipe: Recipe,
    /// The normalization after each dense layer of a branch.
    pub norm: Option<NormKind>,
}

/// The setups the chapter compares, in its order.
pub const SETUPS: [Setup; 6] = [
    Setup {
        name: "plain",
        recipe: Recipe::Plain,
        norm: None,
    },
    Setup {
        name: "α = 1/√L",
        recipe: Recipe::Scaled,
        norm: None,
    },
    Setup {
        name: "Fixup",
        recipe: Recipe::Fixup,
        norm: None,
    },
    Setup {
        name: "ReZero",
        recipe: Recipe::ReZero,
        norm: None,
    },
    Setup {
        name: "BatchNorm",
        recipe: Recipe::Plain,
        norm: Some(NormKind::Batch),
    },
    Setup {
        name: "BatchNorm, zero γ",
        recipe: Recipe::ZeroGamma,
        norm: Some(NormKind::Batch),
    },
];

/// The deep residual MLP and its task.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeepResidual {
    /// Width n of every block.
    pub width: usize,
    /// Number of blocks L.
    pub blocks: usize,
    /// Training points of two moons.
    pub samples: usize,
    /// Noise of `make_moons`.
    pub noise: f64,
    /// Learning rate of gradient descent with momentum.
    pub lr: f64,
    /// Momentum.
    pub momentum: f64,
    /// Full-batch epochs.
    pub epochs: usize,
}

impl DeepResidual {
    /// The chapter's network: 50 blocks of two ReLU layers of 8 units; 32 points of two
    /// moons (noise 0.15), 20 epochs of gradient descent at 0.02 with momentum 0.9.
    pub const fn chapter() -> Self {
        DeepResidual {
            width: 8,
            blocks: 50,
            samples: 32,
            noise: 0.15,
            lr: 0.02,
            momentum: 0.9,
            epochs: 20,
        }
    }

    /// The network of `setup`, with two inputs and two outputs.
    pub fn spec(&self, setup: &Setup) -> ResidualSpec {
        ResidualSpec::new(2, self.width, 2, self.blocks)
            .recipe(setup.recipe)
            .norm(setup.norm)
    }

    /// The standardized two-moons data of `seed`.
    pub fn data(&self, seed: u64) -> Result<Dataset, Error> {
        let d = make_moons(self.samples, self.noise, seed)?;
        Ok(d.standardized(&Standardizer::fit(&d.x)?)?)
    }

    /// The training run.
    pub fn config(&self) -> TrainConfig {
        TrainConfig::new(self.lr, self.epochs).momentum(self.momentum)
    }
}

/// One network at initialization: q^l = mean square of x^l, and the mean square of
/// ∂L/∂x^l, for l = 0..=L, with L = Σ c ⊙ logits for standard normal c (a random
/// direction, the same for every setup of a seed).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// q^0..q^L.
    pub q: Vec<f64>,
    /// Mean square of ∂L/∂x^l, l = 0..=L.
    pub grad: Vec<f64>,
}

/// The profile of `setup`'s network drawn from `seed`, on the data of `seed`.
pub fn profile(setting: &DeepResidual, setup: &Setup, seed: u64) -> Result<Profile, Error> {
    let data = setting.data(seed)?;
    let net: ResNet = setting.spec(setup).build(seed)?;
    let trace = net.forward(&data.x)?;
    let law = Normal::new(0.0, 1.0).map_err(Error::from)?;
    let mut g = rng(seed ^ 0x5eed);
    let c = Array2::from_shape_simple_fn(trace.logits.dim(), || law.sample(&mut g));
    let grads = net.backward(&trace, &c)?;
    Ok(Profile {
        q: trace.x.iter().map(mean_square).collect(),
        grad: grads.dx.iter().map(mean_square).collect(),
    })
}

/// The profiles of every setup over seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileStudy {
    /// The network.
    pub setting: DeepResidual,
    /// Per setup (in [`SETUPS`] order), one profile per seed.
    pub profiles: Vec<Vec<Profile>>,
}

impl ProfileStudy {
    /// Run it.
    pub fn run(setting: DeepResidual, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let profiles = SETUPS
            .iter()
            .map(|setup| per_seed(seeds, |s| profile(&setting, setup, s)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ProfileStudy { setting, profiles })
    }

    /// The chapter's study over `seeds`, computed once per process.
    pub fn chapter(seeds: &[u64]) -> Result<Self, Error> {
        static MEMO: Memo<Vec<u64>, ProfileStudy> = Memo::new();
        MEMO.get_or_run(seeds.to_vec(), || Self::run(DeepResidual::chapter(), seeds))
    }

    /// Mean over seeds of q^l (or of the gradient's mean square), per block, for setup `i`.
    pub fn mean_by_block(&self, i: usize, grad: bool) -> Vec<f64> {
        let runs = &self.profiles[i];
        let len = runs[0].q.len();
        (0..len)
            .map(|l| {
                runs.iter()
                    .map(|p| if grad { p.grad[l] } else { p.q[l] })
                    .sum::<f64>()
                    / runs.len() as f64
            })
            .collect()
    }

    /// The per-block ratios q^l / q^{l-1} (or the gradient's ∂x^{l-1} / ∂x^l) of setup `i`,
    /// every block of every seed, with their mean and standard error.
    pub fn block_ratio(&self, i: usize, grad: bool) -> (f64, f64) {
        let ratios: Vec<f64> = self.profiles[i]
            .iter()
            .flat_map(|p| {
                let v = if grad { &p.grad } else { &p.q };
                v.windows(2)
                    .map(|w| if grad { w[0] / w[1] } else { w[1] / w[0] })
                    .collect::<Vec<_>>()
            })
            .collect();
        let (mean, sd) = book::mean_sd(&ratios);
        (mean, sd / (ratios.len() as f64).sqrt())
    }

    /// The per-block increments q^l - q^{l-1} of setup `i`: mean and standard error.
    pub fn block_increment(&self, i: usize) -> (f64, f64) {
        let steps: Vec<f64> = self.profiles[i]
            .iter()
            .flat_map(|p| p.q.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>())
            .collect();
        let (mean, sd) = book::mean_sd(&steps);
        (mean, sd / (steps.len() as f64).sqrt())
    }
}

/// The outcome of training one network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Training accuracy at the end (NaN if the run diverged).
    pub accuracy: f64,
    /// Training loss at the start.
    pub initial_loss: f64,
    /// Training loss at the end (NaN if the run diverged).
    pub loss: f64,
    /// Whether the run diverged.
    pub diverged: bool,
}

/// Train `setup`'s network of `seed` on the data of `seed`.
pub fn train_one(setting: &DeepResidual, setup: &Setup, seed: u64) -> Result<Outcome, Error> {
    let data = setting.data(seed)?;
    let mut net = setting.spec(setup).build(seed)?;
    let initial_loss = net.evaluate(&data.x, &data.y, Loss::SoftmaxCrossEntropy)?.0;
    let h = train_residual(&mut net, &data.x, &data.y, &setting.config())?;
    let diverged = h.diverged.is_some();
    Ok(Outcome {
        accuracy: if diverged {
            f64::NAN
        } else {
            h.last().accuracy
        },
        initial_loss,
        loss: if diverged { f64::NAN } else { h.last().loss },
        diverged,
    })
}

/// Every setup trained over seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingStudy {
    /// Per setup (in [`SETUPS`] order), one outcome per seed.
    pub outcomes: Vec<Vec<Outcome>>,
}

impl TrainingStudy {
    /// Run it.
    pub fn run(setting: DeepResidual, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let outcomes = SETUPS
            .iter()
            .map(|setup| per_seed(seeds, |s| train_one(&setting, setup, s)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrainingStudy { outcomes })
    }

    /// The chapter's study over `seeds`, computed once per process.
    pub fn chapter(seeds: &[u64]) -> Result<Self, Error> {
        static MEMO: Memo<Vec<u64>, TrainingStudy> = Memo::new();
        MEMO.get_or_run(seeds.to_vec(), || Self::run(DeepResidual::chapter(), seeds))
    }

    /// Runs of setup `i` that diverged.
    pub fn diverged(&self, i: usize) -> usize {
        self.outcomes[i].iter().filter(|o| o.diverged).count()
    }

    /// Final accuracies of setup `i`'s runs that did not diverge.
    pub fn accuracies(&self, i: usize) -> Vec<f64> {
        self.outcomes[i]
            .iter()
            .filter(|o| !o.diverged)
            .map(|o| o.accuracy)
            .collect()
    }
}

/// The activation of the chapter's branches.
pub const ACTIVATION: Activation = Activation::Relu;

/// The plain network's per-block growth q^l / q^{l-1} (mean and standard error over every
/// block and seed) with `branch_layers` dense layers per branch (exercise 2 uses one).
pub fn plain_growth(
    setting: &DeepResidual,
    branch_layers: usize,
    seeds: &[u64],
) -> Result<(f64, f64), Error> {
    if seeds.is_empty() {
        return Err(Error::NoSeeds);
    }
    let ratios = per_seed(seeds, |seed| {
        let data = setting.data(seed)?;
        let net = setting
            .spec(&SETUPS[0])
            .branch_layers(branch_layers)
            .build(seed)?;
        let q: Vec<f64> = net.forward(&data.x)?.x.iter().map(mean_square).collect();
        Ok(q.windows(2).map(|w| w[1] / w[0]).collect::<Vec<_>>())
    })?
    .concat();
    let (mean, sd) = book::mean_sd(&ratios);
    Ok((mean, sd / (ratios.len() as f64).sqrt()))
}

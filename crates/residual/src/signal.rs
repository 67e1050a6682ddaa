//! The deep residual MLP of the chapter: its signal and gradient per block at
//! initialization, under each recipe, beside the mean field; and its training over seeds.

use book::Error;
use initnet::ndarray::Array2;
use initnet::random::{Distribution, Normal};
use initnet::residual::mean_square;
use initnet::{
    Activation, Dataset, Init, Loss, MlpSpec, NormKind, NormPosition, Recipe, ResNet, ResidualSpec,
    Standardizer, TrainConfig, make_moons, rng, train, train_residual,
};

use book::memo::{Memo, per_seed};

/// One way to start the blocks: a recipe and a normalization.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    /// The name the chapter's tables and charts use.
    pub name: &'static str,
    /// How the blocks start.
    pub recipe: Recipe,
    /// The normalization of each branch.
    pub norm: Option<NormKind>,
    /// Where it sits: after each dense layer, or once at the branch's input.
    pub position: NormPosition,
}

impl Setup {
    const fn new(name: &'static str, recipe: Recipe, norm: Option<NormKind>) -> Self {
        Setup {
            name,
            recipe,
            norm,
            position: NormPosition::Post,
        }
    }
}

/// The setups the chapter trains and compares, in its order.
pub const SETUPS: [Setup; 6] = [
    Setup::new("plain", Recipe::Plain, None),
    Setup::new("α = 1/√L", Recipe::Scaled, None),
    Setup::new("Fixup", Recipe::Fixup, None),
    Setup::new("ReZero", Recipe::ReZero, None),
    Setup::new("BatchNorm", Recipe::Plain, Some(NormKind::Batch)),
    Setup::new(
        "BatchNorm, zero γ",
        Recipe::ZeroGamma,
        Some(NormKind::Batch),
    ),
];

/// GPT-2's layout: one layer normalization at each branch's input, x + F(LN(x)), α = 1.
/// Profiled at initialization beside [`SETUPS`], not trained.
pub const PRE_LN: Setup = Setup {
    name: "pre-LN",
    recipe: Recipe::Plain,
    norm: Some(NormKind::Layer),
    position: NormPosition::Pre,
};

/// Every setup profiled at initialization: [`SETUPS`], then [`PRE_LN`].
pub const PROFILED: [Setup; 7] = [
    SETUPS[0], SETUPS[1], SETUPS[2], SETUPS[3], SETUPS[4], SETUPS[5], PRE_LN,
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
            .norm_position(setup.position)
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
    /// Per setup (in [`PROFILED`] order), one profile per seed.
    pub profiles: Vec<Vec<Profile>>,
}

impl ProfileStudy {
    /// Run it.
    pub fn run(setting: DeepResidual, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let profiles = PROFILED
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

    /// exp of the mean over seeds of ln q^l (or of the gradient's mean square), per block,
    /// for setup `i`: the geometric mean, the typical network's value.
    pub fn geometric_mean_by_block(&self, i: usize, grad: bool) -> Vec<f64> {
        let runs = &self.profiles[i];
        let len = runs[0].q.len();
        (0..len)
            .map(|l| {
                let logs: f64 = runs
                    .iter()
                    .map(|p| initnet::math::ln(if grad { p.grad[l] } else { p.q[l] }))
                    .sum();
                initnet::math::exp(logs / runs.len() as f64)
            })
            .collect()
    }

    /// The geometric mean of the per-block ratios q^l / q^{l-1} of setup `i` over every
    /// block of every seed, exp(mean ln ratio), with the standard error of the mean log.
    pub fn block_log_ratio(&self, i: usize) -> (f64, f64) {
        let logs: Vec<f64> = self.profiles[i]
            .iter()
            .flat_map(|p| {
                p.q.windows(2)
                    .map(|w| initnet::math::ln(w[1] / w[0]))
                    .collect::<Vec<_>>()
            })
            .collect();
        let (mean, sd) = book::mean_sd(&logs);
        (initnet::math::exp(mean), sd / (logs.len() as f64).sqrt())
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
    /// The epoch at which it diverged, if it did.
    pub diverged_at: Option<usize>,
}

/// Train `setup`'s network of `seed` on the data of `seed`.
pub fn train_one(setting: &DeepResidual, setup: &Setup, seed: u64) -> Result<Outcome, Error> {
    let data = setting.data(seed)?;
    let mut net = setting.spec(setup).build(seed)?;
    let initial_loss = net.evaluate(&data.x, &data.y, Loss::SoftmaxCrossEntropy)?.0;
    let h = train_residual(&mut net, &data.x, &data.y, &setting.config())?;
    let diverged = h.diverged.is_some();
    Ok(Outcome {
        diverged_at: h.diverged.as_ref().map(|d| d.epoch),
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

/// Full-batch epochs of the linear baseline (gradient descent at 0.5 with momentum 0.9):
/// enough for its training accuracy to stop changing (the tests check it against twice as
/// many).
pub const LINEAR_EPOCHS: usize = 1000;

/// The linear baseline of `seed`: the stem and the head with no block between them
/// compose to one linear map from the two inputs to the two logits, so the best a network
/// whose blocks do nothing can reach is logistic regression's. This trains that map
/// (a 2-2 softmax layer, LeCun-normal) for `epochs` epochs on the data of `seed` and
/// returns its training accuracy.
pub fn linear_baseline(setting: &DeepResidual, seed: u64, epochs: usize) -> Result<f64, Error> {
    let data = setting.data(seed)?;
    let mut net = MlpSpec::new(&[2, 2], Activation::Identity, Init::lecun_normal()).build(seed)?;
    let cfg = TrainConfig::new(0.5, epochs).momentum(0.9);
    let h = train(&mut net, &data.x, &data.y, &cfg)?;
    Ok(h.last().accuracy)
}

/// Every setup trained over seeds, and the linear baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingStudy {
    /// Per setup (in [`SETUPS`] order), one outcome per seed.
    pub outcomes: Vec<Vec<Outcome>>,
    /// The linear baseline's training accuracy per seed ([`linear_baseline`]).
    pub linear: Vec<f64>,
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
        let linear = per_seed(seeds, |s| linear_baseline(&setting, s, LINEAR_EPOCHS))?;
        Ok(TrainingStudy { outcomes, linear })
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

    /// The epoch at which each diverged run of setup `i` stopped (1 for the first step).
    pub fn divergence_epochs(&self, i: usize) -> Vec<usize> {
        self.outcomes[i]
            .iter()
            .filter_map(|o| o.diverged_at)
            .collect()
    }

    /// The paired difference, setup `i`'s final accuracy minus the linear baseline's on
    /// the same seed: mean and standard error over seeds; None if a run diverged.
    pub fn minus_linear(&self, i: usize) -> Option<(f64, f64)> {
        if self.diverged(i) > 0 {
            return None;
        }
        let d: Vec<f64> = self.outcomes[i]
            .iter()
            .zip(&self.linear)
            .map(|(o, b)| o.accuracy - b)
            .collect();
        let (mean, sd) = book::mean_sd(&d);
        Some((mean, sd / (d.len() as f64).sqrt()))
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
        Ok::<_, book::Error>(q.windows(2).map(|w| w[1] / w[0]).collect::<Vec<_>>())
    })?
    .concat();
    let (mean, sd) = book::mean_sd(&ratios);
    Ok((mean, sd / (ratios.len() as f64).sqrt()))
}

//! What the initial scale of the weights still changes under normalization: the deep
//! residual MLP with a layer normalization after every branch layer, its branch weights
//! drawn at s times He's standard deviation.

use book::Error;
use initnet::residual::ResGrads;
use initnet::{Loss, NormKind, NormPosition, Recipe, ResNet, TrainConfig, train_residual};

use crate::signal::DeepResidual;
use book::memo::{Memo, per_seed};

/// The scales s the chapter compares: 0.1, 1 and 10 times He's standard deviation.
pub const SCALES: [f64; 3] = [0.1, 1.0, 10.0];

/// What one seed gives at one scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtScale {
    /// The largest |logit(s) - logit(1)| over the batch, relative to the largest |logit(1)|.
    pub logit_change: f64,
    /// ‖∂L/∂W‖ of the branch weights at s, times s, over the same at s = 1.
    pub grad_ratio: f64,
    /// ‖ΔW‖/‖W‖ of the branch weights after one step of plain gradient descent.
    pub sgd_step: f64,
    /// ‖ΔW‖/‖W‖ of the branch weights after one step of Adam.
    pub adam_step: f64,
}

/// Settings of the study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleStudySettings {
    /// The network (its recipe is plain, with layer normalization).
    pub setting: DeepResidual,
    /// Learning rate of gradient descent.
    pub sgd_lr: f64,
    /// Learning rate of Adam.
    pub adam_lr: f64,
}

impl Default for ScaleStudySettings {
    /// The chapter's deep residual MLP at width 16, one step of gradient descent at 0.02
    /// or of Adam at 0.001 (PyTorch's default).
    fn default() -> Self {
        ScaleStudySettings {
            setting: DeepResidual {
                width: 16,
                ..DeepResidual::chapter()
            },
            sgd_lr: 0.02,
            adam_lr: 0.001,
        }
    }
}

fn branch_norm(net: &ResNet) -> f64 {
    net.blocks
        .iter()
        .flat_map(|b| &b.layers)
        .map(|l| l.w.iter().map(|v| v * v).sum::<f64>())
        .sum::<f64>()
        .sqrt()
}

fn branch_grad_norm(g: &ResGrads) -> f64 {
    g.block_weight_norms()
        .iter()
        .map(|v| v * v)
        .sum::<f64>()
        .sqrt()
}

fn branch_distance(a: &ResNet, b: &ResNet) -> f64 {
    a.blocks
        .iter()
        .flat_map(|b| &b.layers)
        .zip(b.blocks.iter().flat_map(|b| &b.layers))
        .map(|(x, y)| {
            x.w.iter()
                .zip(&y.w)
                .map(|(p, q)| (p - q) * (p - q))
                .sum::<f64>()
        })
        .sum::<f64>()
        .sqrt()
}

impl ScaleStudySettings {
    fn network(&self, scale: f64, seed: u64) -> Result<ResNet, Error> {
        Ok(self
            .setting
            .spec(&crate::signal::Setup {
                name: "LayerNorm",
                recipe: Recipe::Plain,
                norm: Some(NormKind::Layer),
                position: NormPosition::Post,
            })
            .weight_scale(scale)
            .build(seed)?)
    }

    /// Every scale of [`SCALES`] for one seed (the networks of one seed draw the same
    /// normals, scaled).
    pub fn run(&self, seed: u64) -> Result<Vec<AtScale>, Error> {
        let data = self.setting.data(seed)?;
        let loss = Loss::SoftmaxCrossEntropy;
        let reference = self.network(1.0, seed)?;
        let (_, _, ref_trace, ref_grads) = reference.evaluate(&data.x, &data.y, loss)?;
        let ref_max = ref_trace.logits.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let ref_grad = branch_grad_norm(&ref_grads);
        SCALES
            .iter()
            .map(|&s| {
                let net = self.network(s, seed)?;
                let (_, _, trace, grads) = net.evaluate(&data.x, &data.y, loss)?;
                let change = trace
                    .logits
                    .iter()
                    .zip(&ref_trace.logits)
                    .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
                    / ref_max;
                let step = |cfg: TrainConfig| -> Result<f64, Error> {
                    let mut moved = net.clone();
                    train_residual(&mut moved, &data.x, &data.y, &cfg)?;
                    Ok(branch_distance(&moved, &net) / branch_norm(&net))
                };
                Ok(AtScale {
                    logit_change: change,
                    grad_ratio: branch_grad_norm(&grads) * s / ref_grad,
                    sgd_step: step(TrainConfig::new(self.sgd_lr, 1))?,
                    adam_step: step(TrainConfig::new(self.adam_lr, 1).adam())?,
                })
            })
            .collect()
    }
}

/// The study over seeds: per seed, one [`AtScale`] per scale.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleStudy {
    /// The settings.
    pub settings: ScaleStudySettings,
    /// Per seed, per scale.
    pub runs: Vec<Vec<AtScale>>,
    /// The training loss at initialization per seed (the same at every scale, up to ε).
    pub initial_loss: Vec<f64>,
}

impl ScaleStudy {
    /// Run it.
    pub fn run(settings: ScaleStudySettings, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let both = per_seed(seeds, |s| {
            let runs = settings.run(s)?;
            let data = settings.setting.data(s)?;
            let initial = settings
                .network(1.0, s)?
                .evaluate(&data.x, &data.y, Loss::SoftmaxCrossEntropy)?
                .0;
            Ok::<_, book::Error>((runs, initial))
        })?;
        let (runs, initial_loss) = both.into_iter().unzip();
        Ok(ScaleStudy {
            settings,
            runs,
            initial_loss,
        })
    }

    /// The chapter's study over `seeds`, computed once per process.
    pub fn chapter(seeds: &[u64]) -> Result<Self, Error> {
        static MEMO: Memo<Vec<u64>, ScaleStudy> = Memo::new();
        MEMO.get_or_run(seeds.to_vec(), || {
            Self::run(ScaleStudySettings::default(), seeds)
        })
    }

    /// One field of every seed at scale index `k`.
    pub fn at(&self, k: usize, field: impl Fn(&AtScale) -> f64) -> Vec<f64> {
        self.runs.iter().map(|r| field(&r[k])).collect()
    }
}

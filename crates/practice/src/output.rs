//! The output layer: the loss at initialization and the "hockey stick" of the first
//! epochs. The hidden layers are He-initialized; only the output layer's scale changes.

use initnet::{Activation, Blobs, Dataset, Init, Mlp, MlpSpec, Standardizer, TrainConfig, train};

use book::Result;

/// How the output layer starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutputStart {
    /// N(0, 1) weights, the post's `randn`.
    Randn,
    /// He's N(0, 2/n_in), the rule of the hidden layers applied to the last one too.
    He,
    /// Zero weights: every logit is 0 and the softmax is uniform.
    Zero,
}

impl OutputStart {
    /// The three starts, in the chapter's order.
    pub const ALL: [OutputStart; 3] = [OutputStart::Randn, OutputStart::He, OutputStart::Zero];

    /// The name the chapter and the charts use.
    pub fn name(self) -> &'static str {
        match self {
            OutputStart::Randn => "N(0, 1)",
            OutputStart::He => "He",
            OutputStart::Zero => "zero",
        }
    }

    fn init(self) -> Init {
        match self {
            OutputStart::Randn => Init::normal(1.0).expect("1 is a valid standard deviation"),
            OutputStart::He => Init::he_normal(),
            OutputStart::Zero => Init::zeros(),
        }
    }
}

/// The output-layer experiment's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutputSettings {
    /// Classes K (blobs).
    pub classes: usize,
    /// Features of the blobs.
    pub features: usize,
    /// Samples.
    pub samples: usize,
    /// Standard deviation of each blob (centers in a box of ±10).
    pub cluster_std: f64,
    /// Hidden width (two hidden ReLU layers).
    pub hidden: usize,
    /// Learning rate of full-batch gradient descent.
    pub lr: f64,
    /// Epochs.
    pub epochs: usize,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            classes: 10,
            features: 20,
            samples: 300,
            cluster_std: 6.0,
            hidden: 32,
            lr: 0.05,
            epochs: 40,
        }
    }
}

/// The data set of one seed: blobs, standardized.
pub fn data(s: &OutputSettings, seed: u64) -> Result<Dataset> {
    let raw = Blobs::new(s.samples, s.classes)
        .features(s.features)
        .cluster_std(s.cluster_std)
        .generate(seed)?;
    let scaler = Standardizer::fit(&raw.x)?;
    Ok(raw.standardized(&scaler)?)
}

/// The network of one seed: He hidden layers and the output layer `start`.
pub fn network(s: &OutputSettings, start: OutputStart, seed: u64) -> Result<Mlp> {
    let mut net = MlpSpec::new(
        &[s.features, s.hidden, s.hidden, s.classes],
        Activation::Relu,
        Init::he_normal(),
    )
    .build(seed)?;
    let mut rng = initnet::rng(seed ^ 0x0075_9e37);
    let out = net.layer_mut(3);
    out.w = start.init().sample(s.hidden, s.classes, &mut rng)?;
    Ok(net)
}

/// The loss curves of one start, one per seed (epoch 0 first).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputStudy {
    /// The output layer's start.
    pub start: OutputStart,
    /// Loss by epoch, one curve per seed.
    pub losses: Vec<Vec<f64>>,
}

impl OutputStudy {
    /// The mean loss over seeds at each epoch.
    pub fn mean_curve(&self) -> Vec<f64> {
        let epochs = self.losses[0].len();
        (0..epochs)
            .map(|e| book::mean(self.losses.iter().map(|c| c[e])))
            .collect()
    }
}

/// Train every start on every seed's data set (the same data and hidden layers for every
/// start).
pub fn output_studies(s: &OutputSettings, seeds: &[u64]) -> Result<Vec<OutputStudy>> {
    if seeds.is_empty() {
        return Err(book::Error::NoSeeds);
    }
    OutputStart::ALL
        .iter()
        .map(|&start| {
            let losses = seeds
                .iter()
                .map(|&seed| {
                    let d = data(s, seed)?;
                    let mut net = network(s, start, seed)?;
                    let h = train(&mut net, &d.x, &d.y, &TrainConfig::new(s.lr, s.epochs))?;
                    Ok(h.losses())
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(OutputStudy { start, losses })
        })
        .collect()
}

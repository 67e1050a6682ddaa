//! The output layer: the loss at initialization and the "hockey stick" of the first
//! epochs. The hidden layers are He-initialized; only the output layer's scale changes.

use initnet::{Activation, Blobs, Dataset, Init, Mlp, MlpSpec, Standardizer, TrainConfig, train};

use book::Result;

/// The factor of the small start: its weights are He's times this.
pub const SMALL_GAIN: f64 = 0.01;

/// The learning rates of the sweep: the chapter's 0.05 first, then up by factors of four
/// and three, past the rate where the N(0, 1) start breaks down.
pub const SWEEP_RATES: [f64; 4] = [0.05, 0.2, 0.8, 2.4];

/// How the output layer starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutputStart {
    /// N(0, 1) weights, the post's `randn`.
    Randn,
    /// He's N(0, 2/n_in), the rule of the hidden layers applied to the last one too.
    He,
    /// He's rule times [`SMALL_GAIN`]: a small, not zero, last layer.
    Small,
    /// Zero weights: every logit is 0 and the softmax is uniform.
    Zero,
}

impl OutputStart {
    /// The four starts, in the chapter's order.
    pub const ALL: [OutputStart; 4] = [
        OutputStart::Randn,
        OutputStart::He,
        OutputStart::Small,
        OutputStart::Zero,
    ];

    /// The name the chapter and the charts use.
    pub fn name(self) -> &'static str {
        match self {
            OutputStart::Randn => "N(0, 1)",
            OutputStart::He => "He",
            OutputStart::Small => "0.01 × He",
            OutputStart::Zero => "zero",
        }
    }

    fn init(self) -> Result<Init> {
        Ok(match self {
            OutputStart::Randn => Init::normal(1.0)?,
            OutputStart::He => Init::he_normal(),
            OutputStart::Small => Init::he_normal().with_gain(SMALL_GAIN)?,
            OutputStart::Zero => Init::zeros(),
        })
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
    out.w = start.init()?.sample(s.hidden, s.classes, &mut rng)?;
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

/// The loss curve of one start and one seed, at the learning rate of `s`.
fn run(s: &OutputSettings, start: OutputStart, seed: u64) -> Result<Vec<f64>> {
    let d = data(s, seed)?;
    let mut net = network(s, start, seed)?;
    let h = train(&mut net, &d.x, &d.y, &TrainConfig::new(s.lr, s.epochs))?;
    Ok(h.losses())
}

/// Train every start on every seed's data set (the same data and hidden layers for every
/// start). The runs are independent: two threads share them, and the results come back in
/// the order of `seeds`, so the result does not depend on the threads.
pub fn output_studies(s: &OutputSettings, seeds: &[u64]) -> Result<Vec<OutputStudy>> {
    if seeds.is_empty() {
        return Err(book::Error::NoSeeds);
    }
    let jobs: Vec<(OutputStart, u64)> = OutputStart::ALL
        .iter()
        .flat_map(|&start| seeds.iter().map(move |&seed| (start, seed)))
        .collect();
    let half = jobs.len().div_ceil(2);
    let (a, b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            jobs[half..]
                .iter()
                .map(|&(start, seed)| run(s, start, seed))
                .collect::<Vec<_>>()
        });
        let first: Vec<_> = jobs[..half]
            .iter()
            .map(|&(start, seed)| run(s, start, seed))
            .collect();
        // A panic in the second thread is a bug: pass it on as it is.
        let rest = second
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (first, rest)
    });
    let mut curves = a.into_iter().chain(b);
    OutputStart::ALL
        .iter()
        .map(|&start| {
            let losses = seeds
                .iter()
                .map(|_| curves.next().expect("one curve per job"))
                .collect::<Result<Vec<_>>>()?;
            Ok(OutputStudy { start, losses })
        })
        .collect()
}

/// The learning-rate sweep: the studies of every start at each rate of `rates`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateSweep {
    /// The learning rates.
    pub rates: Vec<f64>,
    /// The studies at each rate, in the order of `rates`.
    pub studies: Vec<Vec<OutputStudy>>,
}

impl RateSweep {
    /// The mean final loss over seeds of `start` at each rate.
    pub fn final_losses(&self, start: OutputStart) -> Vec<f64> {
        self.studies
            .iter()
            .map(|at| {
                let st = at.iter().find(|x| x.start == start).expect("every start");
                book::mean(
                    st.losses
                        .iter()
                        .map(|l| *l.last().expect("epoch 0 at least")),
                )
            })
            .collect()
    }

    /// The rate with the lowest mean final loss for `start`, and that loss.
    pub fn best(&self, start: OutputStart) -> (f64, f64) {
        self.rates
            .iter()
            .copied()
            .zip(self.final_losses(start))
            .fold(
                (f64::NAN, f64::INFINITY),
                |b, r| if r.1 < b.1 { r } else { b },
            )
    }
}

/// Train every start at every rate of `rates` (the other settings from `s`).
pub fn rate_sweep(s: &OutputSettings, rates: &[f64], seeds: &[u64]) -> Result<RateSweep> {
    let studies = rates
        .iter()
        .map(|&lr| output_studies(&OutputSettings { lr, ..*s }, seeds))
        .collect::<Result<Vec<_>>>()?;
    Ok(RateSweep {
        rates: rates.to_vec(),
        studies,
    })
}

//! The chapter's experiments. Each takes explicit seeds and returns plain data; the
//! chapter's code blocks, its claims test, its figures and its notebook all call these.
//!
//! The setting is the article's: `make_blobs` with 4 classes in 2 features
//! (standardized), a 2-2-4 network, softmax cross-entropy, full-batch gradient descent.

use initnet::ndarray::Array2;
use initnet::{
    Activation, Dataset, Error, Gradients, History, Init, Loss, Mlp, MlpSpec, Result, Scheme,
    Standardizer, Trace, TrainConfig, mean_std, train_with,
};

/// The article's network: 2 inputs, 2 hidden units, 4 outputs.
pub const WIDTHS: [usize; 3] = [2, 2, 4];
/// Number of classes (blobs).
pub const CLASSES: usize = 4;
/// Samples of the balanced data set, 100 per class.
pub const SAMPLES: usize = 400;
/// Samples of the nearly balanced data set: 101, 101, 100, 100 per class.
pub const NEARLY_BALANCED: usize = 402;
/// Learning rate of full-batch gradient descent.
pub const LR: f64 = 0.5;
/// Gradient steps of the runs that compare starts.
pub const EPOCHS: usize = 500;
/// Gradient steps of the zero-initialization runs.
pub const ZERO_EPOCHS: usize = 200;
/// Gradient steps of the runs that watch the sigmoid network leave zero.
pub const ESCAPE_EPOCHS: usize = 1000;
/// A run has left the zero start once its loss is this far below ln 4.
pub const ESCAPE_DROP: f64 = 0.01;
/// Directions tried by the search for the best strip classifier.
pub const DIRECTIONS: usize = 180;
/// The seeds every random claim of the chapter is made over (data and weights).
pub const SEEDS: [u64; 20] = book::seeds(0);
/// The hidden activations the chapter tries.
pub const ACTIVATIONS: [Activation; 3] = [Activation::Sigmoid, Activation::Tanh, Activation::Relu];

/// Every weight 0.
pub const ZERO: Init = Init {
    scheme: Scheme::Zeros,
    gain: 1.0,
};
/// Every weight 0.5.
pub const CONSTANT: Init = Init {
    scheme: Scheme::Constant(0.5),
    gain: 1.0,
};
/// Small random weights, N(0, 0.1^2).
pub const RANDOM: Init = Init {
    scheme: Scheme::Normal { std: 0.1 },
    gain: 1.0,
};
/// The three starts the chapter compares, with their names.
pub const STARTS: [(&str, Init); 3] = [("zero", ZERO), ("constant", CONSTANT), ("random", RANDOM)];

/// The article's data: `make_blobs(n_samples, centers = 4)` in 2 features, standardized
/// to mean 0 and standard deviation 1 per feature.
pub fn blobs(n_samples: usize, seed: u64) -> Result<Dataset> {
    let raw = initnet::Blobs::new(n_samples, CLASSES).generate(seed)?;
    raw.standardized(&Standardizer::fit(&raw.x)?)
}

/// The 2-2-4 network with hidden activation `activation` and weights from `init`
/// (biases 0), drawn from `seed`.
pub fn network(activation: Activation, init: Init, seed: u64) -> Result<Mlp> {
    MlpSpec::new(&WIDTHS, activation, init).build(seed)
}

/// Everything that belongs to hidden unit j: its incoming weights W^1[j, :], its bias
/// `b^1[j]` and its outgoing weights `W^2[:, j]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// W^1[j, :].
    pub w_in: Vec<f64>,
    /// `b^1[j]`.
    pub b: f64,
    /// W^2[:, j].
    pub w_out: Vec<f64>,
}

impl Unit {
    /// Every parameter of the unit, incoming weights, bias, outgoing weights.
    pub fn parameters(&self) -> Vec<f64> {
        self.w_in
            .iter()
            .chain([&self.b])
            .chain(&self.w_out)
            .copied()
            .collect()
    }
}

/// Check that `net` has exactly one hidden layer (two layers of weights).
fn check_one_hidden_layer(net: &Mlp) -> Result<()> {
    if net.depth() == 2 {
        Ok(())
    } else {
        Err(Error::Shape {
            what: "layers of a network with one hidden layer".into(),
            expected: vec![2],
            got: vec![net.depth()],
        })
    }
}

/// The hidden units of `net`, which must have exactly one hidden layer.
pub fn units(net: &Mlp) -> Result<Vec<Unit>> {
    check_one_hidden_layer(net)?;
    Ok(units_unchecked(net))
}

fn units_unchecked(net: &Mlp) -> Vec<Unit> {
    let (l1, l2) = (net.layer(1), net.layer(2));
    (0..l1.n_out())
        .map(|j| Unit {
            w_in: l1.w.row(j).to_vec(),
            b: l1.b[j],
            w_out: l2.w.column(j).to_vec(),
        })
        .collect()
}

/// Whether all units have the same parameters, bit for bit (`f64::to_bits`, so that
/// 0.0 and -0.0 count as different and nothing is forgiven by a tolerance).
pub fn same_bits(units: &[Unit]) -> bool {
    let bits = |u: &Unit| {
        u.parameters()
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    units
        .windows(2)
        .all(|pair| bits(&pair[0]) == bits(&pair[1]))
}

/// Whether the columns of an array are equal, bit for bit.
pub fn columns_equal(a: &Array2<f64>) -> bool {
    a.rows()
        .into_iter()
        .all(|row| row.iter().all(|v| v.to_bits() == row[0].to_bits()))
}

/// Whether the rows of an array are equal, bit for bit.
pub fn rows_equal(a: &Array2<f64>) -> bool {
    a.columns()
        .into_iter()
        .all(|col| col.iter().all(|v| v.to_bits() == col[0].to_bits()))
}

/// One forward and one backward pass of `net` on the data set: a^l, h^l and every gradient.
pub fn first_pass(net: &Mlp, data: &Dataset) -> Result<(Trace, Gradients)> {
    let trace = net.forward(&data.x)?;
    let (_, d_out) = Loss::SoftmaxCrossEntropy.evaluate(trace.output(), &data.y)?;
    let grads = net.backward(&trace, &d_out)?;
    Ok((trace, grads))
}

/// How far each group of parameters moved between two networks of the same shape:
/// the largest absolute change of an entry of W^1, b^1, W^2 and b^2.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moved {
    /// max |ΔW^1|.
    pub w1: f64,
    /// max |Δb^1|.
    pub b1: f64,
    /// max |ΔW^2|.
    pub w2: f64,
    /// max |Δb^2|.
    pub b2: f64,
}

impl Moved {
    /// The changes between `start` and `end`, two networks with one hidden layer and the
    /// same widths.
    pub fn between(start: &Mlp, end: &Mlp) -> Result<Self> {
        check_one_hidden_layer(start)?;
        check_one_hidden_layer(end)?;
        if start.widths() != end.widths() {
            return Err(Error::Shape {
                what: "widths of the network after training".into(),
                expected: start.widths(),
                got: end.widths(),
            });
        }
        fn dist<'a>(a: impl Iterator<Item = &'a f64>, b: impl Iterator<Item = &'a f64>) -> f64 {
            a.zip(b).fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
        }
        let (s1, s2, e1, e2) = (start.layer(1), start.layer(2), end.layer(1), end.layer(2));
        Ok(Moved {
            w1: dist(s1.w.iter(), e1.w.iter()),
            b1: dist(s1.b.iter(), e1.b.iter()),
            w2: dist(s2.w.iter(), e2.w.iter()),
            b2: dist(s2.b.iter(), e2.b.iter()),
        })
    }
    /// The entry-wise maximum of two records.
    pub fn max(self, other: Moved) -> Moved {
        Moved {
            w1: self.w1.max(other.w1),
            b1: self.b1.max(other.b1),
            w2: self.w2.max(other.w2),
            b2: self.b2.max(other.b2),
        }
    }
    /// The entry-wise minimum of two records.
    pub fn min(self, other: Moved) -> Moved {
        Moved {
            w1: self.w1.min(other.w1),
            b1: self.b1.min(other.b1),
            w2: self.w2.min(other.w2),
            b2: self.b2.min(other.b2),
        }
    }
}

/// A training run of the 2-2-4 network, with its hidden units recorded at every epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Loss, accuracy and gradient norms, epoch 0 (initialization) first.
    pub history: History,
    /// The hidden units at every epoch, epoch 0 first.
    pub units: Vec<Vec<Unit>>,
    /// Whether the hidden units were bit-identical at every epoch.
    pub identical_every_epoch: bool,
    /// The network at initialization.
    pub start: Mlp,
    /// The trained network.
    pub end: Mlp,
}

impl Run {
    /// How far each group of parameters moved during training.
    pub fn moved(&self) -> Result<Moved> {
        Moved::between(&self.start, &self.end)
    }
}

/// Train `net` on `data` for `epochs` full-batch steps of learning rate `lr`, recording
/// its hidden units at every epoch.
pub fn train_net(net: Mlp, data: &Dataset, lr: f64, epochs: usize) -> Result<Run> {
    train_net_with(net, data, &TrainConfig::new(lr, epochs))
}

/// [`train_net`] with any training configuration, for example mini-batches:
/// `train_net_with(net, &data, &TrainConfig::new(LR, 200).mini_batch(32, seed))`.
pub fn train_net_with(mut net: Mlp, data: &Dataset, config: &TrainConfig) -> Result<Run> {
    check_one_hidden_layer(&net)?;
    let start = net.clone();
    let mut units_by_epoch = Vec::new();
    let history = train_with(&mut net, &data.x, &data.y, config, |_, n| {
        units_by_epoch.push(units_unchecked(n));
    })?;
    let identical_every_epoch = units_by_epoch.iter().all(|u| same_bits(u));
    Ok(Run {
        history,
        units: units_by_epoch,
        identical_every_epoch,
        start,
        end: net,
    })
}

/// The chapter's standard run: the 2-2-4 network with `activation` and `init` drawn from
/// `seed`, trained on `data` with learning rate `lr` (the chapter's is [`LR`]) for `epochs`
/// steps.
pub fn run(
    data: &Dataset,
    activation: Activation,
    init: Init,
    seed: u64,
    lr: f64,
    epochs: usize,
) -> Result<Run> {
    train_net(network(activation, init, seed)?, data, lr, epochs)
}

/// Mean and population standard deviation of a list of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Population standard deviation.
    pub std: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (NaN for none).
    pub fn of(values: &[f64]) -> Self {
        let (mean, std) = mean_std(values);
        let min = values.iter().copied().fold(f64::NAN, f64::min);
        let max = values.iter().copied().fold(f64::NAN, f64::max);
        Spread {
            mean,
            std,
            min,
            max,
        }
    }
}

/// One activation and one start, run over many seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The hidden activation.
    pub activation: Activation,
    /// The start's name (`zero`, `constant`, `random`).
    pub start: &'static str,
    /// The weight initializer.
    pub init: Init,
    /// Number of seeds.
    pub seeds: usize,
    /// The learning rate of every run.
    pub lr: f64,
    /// Whether the two hidden units were bit-identical at every epoch of every seed.
    pub identical_in_every_run: bool,
    /// The largest change of each parameter group over the seeds.
    pub moved_max: Moved,
    /// The smallest change of each parameter group over the seeds.
    pub moved_min: Moved,
    /// Final loss of each seed.
    pub final_loss: Vec<f64>,
    /// Final training accuracy of each seed.
    pub final_accuracy: Vec<f64>,
    /// Loss at initialization of each seed.
    pub initial_loss: Vec<f64>,
    /// Accuracy at initialization of each seed.
    pub initial_accuracy: Vec<f64>,
    /// The largest |loss - loss at initialization| over every epoch of every seed.
    pub max_loss_change: f64,
    /// The seeds, in order.
    pub seed_list: Vec<u64>,
    /// The trained network of each seed.
    pub ends: Vec<Mlp>,
}

impl Outcome {
    /// Mean, spread and range of the final loss.
    pub fn loss(&self) -> Spread {
        Spread::of(&self.final_loss)
    }
    /// Mean, spread and range of the final accuracy.
    pub fn accuracy(&self) -> Spread {
        Spread::of(&self.final_accuracy)
    }
}

/// Train the 2-2-4 network with `activation` from `init` on `blobs(n_samples, seed)` for
/// every seed, with learning rate `lr` for `epochs` steps, and summarize.
pub fn outcome(
    activation: Activation,
    start: &'static str,
    init: Init,
    n_samples: usize,
    seeds: &[u64],
    lr: f64,
    epochs: usize,
) -> Result<Outcome> {
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".to_string(),
        });
    }
    let mut o = Outcome {
        activation,
        start,
        init,
        seeds: seeds.len(),
        lr,
        identical_in_every_run: true,
        moved_max: Moved::default(),
        moved_min: Moved {
            w1: f64::INFINITY,
            b1: f64::INFINITY,
            w2: f64::INFINITY,
            b2: f64::INFINITY,
        },
        final_loss: Vec::new(),
        final_accuracy: Vec::new(),
        initial_loss: Vec::new(),
        initial_accuracy: Vec::new(),
        max_loss_change: 0.0,
        seed_list: seeds.to_vec(),
        ends: Vec::new(),
    };
    for &seed in seeds {
        let data = blobs(n_samples, seed)?;
        let r = run(&data, activation, init, seed, lr, epochs)?;
        o.identical_in_every_run &= r.identical_every_epoch;
        let moved = r.moved()?;
        o.moved_max = o.moved_max.max(moved);
        o.moved_min = o.moved_min.min(moved);
        let loss0 = r.history.records[0].loss;
        o.initial_loss.push(loss0);
        o.initial_accuracy.push(r.history.records[0].accuracy);
        o.max_loss_change = r
            .history
            .records
            .iter()
            .fold(o.max_loss_change, |m, rec| m.max((rec.loss - loss0).abs()));
        o.final_loss.push(r.history.last().loss);
        o.final_accuracy.push(r.history.last().accuracy);
        o.ends.push(r.end);
    }
    Ok(o)
}

/// Zero initialization with each of [`ACTIVATIONS`], on `blobs(n_samples, seed)` for every
/// seed, learning rate `lr`, `epochs` steps.
pub fn zero_table(n_samples: usize, seeds: &[u64], lr: f64, epochs: usize) -> Result<Vec<Outcome>> {
    ACTIVATIONS
        .iter()
        .map(|&act| outcome(act, "zero", ZERO, n_samples, seeds, lr, epochs))
        .collect()
}

/// How a zero-initialized sigmoid network leaves the stationary point on balanced data.
#[derive(Debug, Clone, PartialEq)]
pub struct Escape {
    /// max_k |dL/db^2_k| at initialization, per seed (0 in exact arithmetic).
    pub first_gradient: Vec<f64>,
    /// The first epoch whose loss is [`ESCAPE_DROP`] below ln 4, per seed (None if never).
    pub escape_epoch: Vec<Option<usize>>,
    /// Final loss per seed.
    pub final_loss: Vec<f64>,
    /// Final accuracy per seed.
    pub final_accuracy: Vec<f64>,
    /// Whether the two hidden units stayed bit-identical at every epoch of every seed.
    pub identical_in_every_run: bool,
    /// The factor by which a hidden unit's distance from zero (its incoming weights, bias
    /// and outgoing weights) grew per step, per seed, measured while that distance rose
    /// from [`GROWTH_WINDOW`]`.0` to `.1` (None if it never did).
    pub growth: Vec<Option<f64>>,
    /// The same factor predicted by [`saddle_growth`] from the seed's data, per seed
    /// (for the sigmoid; empty for other activations).
    pub predicted_growth: Vec<f64>,
    /// The trained network of each seed.
    pub ends: Vec<Mlp>,
}

/// The distances from zero between which [`Escape::growth`] is measured: far above the
/// rounding residue (1e-16 and below) that starts the escape, and far below the order-one
/// distances where the loss starts to move and the linearization stops holding.
pub const GROWTH_WINDOW: (f64, f64) = (1e-12, 1e-4);

/// The per-step growth factor of gradient descent with step `lr` away from the zero point
/// of the sigmoid 2-2-4 network on `data` (balanced classes): the largest eigenvalue of
/// one step linearized at zero, in the subspace where the two hidden units are equal.
///
/// At zero, p = 1/4, h = σ(0) = 1/2 and σ'(0) = 1/4. With m_k the mean of class k minus
/// the mean of all inputs, a unit's incoming weights w, outgoing weights v = W²'s column
/// and the output biases b² obey, to first order,
/// dL/dw = -(1/16) Σ_k v_k m_k, dL/dv = -(1/16) (m_k · w)_k + (1/8) P(v + b²),
/// dL/db² = (1/4) P(v + b²), where P removes the mean over the four classes (the
/// hidden bias's gradient is second order). The cross term couples w and v through the
/// class means: that is the saddle's downhill direction. The factor is found by power
/// iteration of the linear step. `data` must hold all four classes.
pub fn saddle_growth(data: &Dataset, lr: f64) -> Result<f64> {
    if !(lr > 0.0 && lr.is_finite()) {
        return Err(Error::OutOfRange {
            name: "learning rate",
            expected: "finite and > 0",
            value: lr,
        });
    }
    if data.x.ncols() != 2 {
        return Err(Error::OutOfRange {
            name: "number of input features",
            expected: "2",
            value: data.x.ncols() as f64,
        });
    }
    let counts = data.class_counts();
    if counts.len() != CLASSES || counts.contains(&0) {
        return Err(Error::OutOfRange {
            name: "number of classes present",
            expected: "all four",
            value: counts.iter().filter(|&&c| c > 0).count() as f64,
        });
    }
    let n = data.len() as f64;
    let mut mean_all = [0.0; 2];
    let mut m = [[0.0; 2]; CLASSES];
    for (row, &y) in data.x.rows().into_iter().zip(&data.y) {
        for d in 0..2 {
            mean_all[d] += row[d] / n;
            m[y][d] += row[d] / counts[y] as f64;
        }
    }
    for mk in &mut m {
        for d in 0..2 {
            mk[d] -= mean_all[d];
        }
    }
    let centre = |u: [f64; CLASSES]| {
        let mean = u.iter().sum::<f64>() / CLASSES as f64;
        u.map(|x| x - mean)
    };
    // The state (w, v, b²), started off every eigenvector's null set.
    let (mut w, mut v, mut b) = ([1.0, 0.5], [0.3, -0.7, 0.2, 0.9], [0.1, 0.4, -0.3, 0.6]);
    let mut factor = 0.0;
    for _ in 0..20_000 {
        let ps = centre(std::array::from_fn(|k| v[k] + b[k]));
        let mtv: [f64; 2] = std::array::from_fn(|d| (0..CLASSES).map(|k| m[k][d] * v[k]).sum());
        let mw: [f64; CLASSES] = std::array::from_fn(|k| m[k][0] * w[0] + m[k][1] * w[1]);
        let w1: [f64; 2] = std::array::from_fn(|d| w[d] + lr / 16.0 * mtv[d]);
        let v1: [f64; CLASSES] = std::array::from_fn(|k| v[k] + lr * (mw[k] / 16.0 - ps[k] / 8.0));
        let b1: [f64; CLASSES] = std::array::from_fn(|k| b[k] - lr / 4.0 * ps[k]);
        let norm = w1
            .iter()
            .chain(&v1)
            .chain(&b1)
            .map(|x| x * x)
            .sum::<f64>()
            .sqrt();
        factor = norm;
        w = w1.map(|x| x / norm);
        v = v1.map(|x| x / norm);
        b = b1.map(|x| x / norm);
    }
    Ok(factor)
}

/// The per-step factor by which a hidden unit's distance from zero grew in `run`, while
/// it rose through [`GROWTH_WINDOW`] (None if it never got there).
pub fn measured_growth(run: &Run) -> Option<f64> {
    let distance: Vec<f64> = run
        .units
        .iter()
        .map(|u| u[0].parameters().iter().map(|p| p * p).sum::<f64>().sqrt())
        .collect();
    let (lo, hi) = GROWTH_WINDOW;
    let a = distance.iter().position(|&d| d >= lo)?;
    let b = distance.iter().position(|&d| d >= hi)?;
    (b > a).then(|| {
        initnet::math::exp(
            (initnet::math::ln(distance[b]) - initnet::math::ln(distance[a])) / (b - a) as f64,
        )
    })
}

/// Train the zero-initialized network with `activation` on `blobs(n_samples, seed)` for
/// every seed (learning rate `lr`, `epochs` steps) and record when (if ever) its loss
/// leaves ln 4.
pub fn escape(
    activation: Activation,
    n_samples: usize,
    seeds: &[u64],
    lr: f64,
    epochs: usize,
) -> Result<Escape> {
    let mut e = Escape {
        first_gradient: vec![],
        escape_epoch: vec![],
        final_loss: vec![],
        final_accuracy: vec![],
        identical_in_every_run: true,
        growth: vec![],
        predicted_growth: vec![],
        ends: vec![],
    };
    let ln_k = initnet::math::ln(CLASSES as f64);
    for &seed in seeds {
        let data = blobs(n_samples, seed)?;
        let net = network(activation, ZERO, seed)?;
        let (_, grads) = first_pass(&net, &data)?;
        e.first_gradient
            .push(grads.db[1].iter().fold(0.0, |m: f64, g| m.max(g.abs())));
        let r = train_net(net, &data, lr, epochs)?;
        e.growth.push(measured_growth(&r));
        if activation == Activation::Sigmoid {
            e.predicted_growth.push(saddle_growth(&data, lr)?);
        }
        e.escape_epoch.push(
            r.history
                .records
                .iter()
                .position(|rec| rec.loss < ln_k - ESCAPE_DROP),
        );
        e.final_loss.push(r.history.last().loss);
        e.final_accuracy.push(r.history.last().accuracy);
        e.identical_in_every_run &= r.identical_every_epoch;
        e.ends.push(r.end);
    }
    Ok(e)
}

/// The fraction of samples in each class.
pub fn frequencies(data: &Dataset) -> Vec<f64> {
    let n = data.len() as f64;
    data.class_counts().iter().map(|&c| c as f64 / n).collect()
}

/// The entropy H(π) = -Σ π_k ln π_k of class frequencies π (classes with π_k = 0 add 0).
pub fn entropy(pi: &[f64]) -> f64 {
    -pi.iter()
        .filter(|&&p| p > 0.0)
        .map(|p| p * initnet::math::ln(*p))
        .sum::<f64>()
}

/// Where full-batch descent drives the output biases of a network whose hidden layer
/// is silent: b2_k = ln π_k minus the mean of ln π (the mean of b2 starts at 0 and its
/// gradient sums to 0 over k, so it stays 0). Every π_k must be > 0.
pub fn log_frequency_bias(pi: &[f64]) -> Result<Vec<f64>> {
    if let Some(&p) = pi.iter().find(|&&p| !(p > 0.0 && p <= 1.0)) {
        return Err(Error::OutOfRange {
            name: "class frequency",
            expected: "in (0, 1]",
            value: p,
        });
    }
    let logs: Vec<f64> = pi.iter().map(|&p| initnet::math::ln(p)).collect();
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    Ok(logs.iter().map(|l| l - mean).collect())
}

/// Where zero initialization ends when the hidden layer stays silent (tanh, ReLU: h = 0,
/// so only b^2 moves), beside the closed forms, over the seeds of an [`Outcome`].
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// Samples per class (the same for every seed: `make_blobs` splits evenly).
    pub counts: Vec<usize>,
    /// Class frequencies π.
    pub frequencies: Vec<f64>,
    /// The closed-form limit of the loss, H(π).
    pub entropy: f64,
    /// The closed-form limit of b^2, ln π_k minus the mean of ln π.
    pub b2_target: Vec<f64>,
    /// The predicted distance max_k |b^2_k - target_k| after the run: near the start the
    /// loss's curvature in b^2 is 1/4 on the directions that change the softmax, so each
    /// step shrinks the distance by the factor 1 - lr/4.
    pub b2_distance_predicted: f64,
    /// The measured distance, largest over the seeds.
    pub b2_distance: f64,
    /// The largest |final loss - H(π)| over the seeds.
    pub loss_error: f64,
    /// The largest |final accuracy - max π| over the seeds.
    pub accuracy_error: f64,
}

/// Compare the trained networks of `outcome` (zero init, data `blobs(n_samples, seed)`,
/// its learning rate, `epochs` steps) with the closed forms.
pub fn limit(outcome: &Outcome, n_samples: usize, epochs: usize) -> Result<Limit> {
    let mut counts = None;
    let mut l = Limit {
        counts: vec![],
        frequencies: vec![],
        entropy: 0.0,
        b2_target: vec![],
        b2_distance_predicted: 0.0,
        b2_distance: 0.0,
        loss_error: 0.0,
        accuracy_error: 0.0,
    };
    for ((&seed, net), (&loss, &accuracy)) in outcome
        .seed_list
        .iter()
        .zip(&outcome.ends)
        .zip(outcome.final_loss.iter().zip(&outcome.final_accuracy))
    {
        let data = blobs(n_samples, seed)?;
        if counts.is_none() {
            let pi = frequencies(&data);
            l.entropy = entropy(&pi);
            l.b2_target = log_frequency_bias(&pi)?;
            let start = l.b2_target.iter().fold(0.0, |m: f64, t| m.max(t.abs()));
            l.b2_distance_predicted =
                start * initnet::math::powi(1.0 - outcome.lr / 4.0, epochs as i32);
            l.frequencies = pi;
            counts = Some(data.class_counts());
        }
        let max_pi = l.frequencies.iter().copied().fold(0.0, f64::max);
        let b2 = &net.layer(2).b;
        let dist = b2
            .iter()
            .zip(&l.b2_target)
            .fold(0.0, |m: f64, (b, t)| m.max((b - t).abs()));
        l.b2_distance = l.b2_distance.max(dist);
        l.loss_error = l.loss_error.max((loss - l.entropy).abs());
        l.accuracy_error = l.accuracy_error.max((accuracy - max_pi).abs());
    }
    l.counts = counts.ok_or_else(|| Error::Zero {
        what: "number of seeds".to_string(),
    })?;
    Ok(l)
}

/// The best training accuracy a classifier of the form "class = g(u · x)" with g taking
/// each class on at most one interval can reach when u points at angle θ. With tanh or
/// sigmoid units, a network whose hidden units are all identical is such a classifier:
/// its logits z_k = (Σ_j W^2[k, j]) f(u · x + b) + b^2_k are affine in one monotone
/// feature, so each class wins on one interval of u · x (the upper envelope of 4 lines).
/// Samples with equal u · x fall in the same interval. The data must have two features.
pub fn strip_accuracy(data: &Dataset, theta: f64) -> Result<f64> {
    if data.features() != 2 {
        return Err(Error::Shape {
            what: "features of a strip classifier's data".into(),
            expected: vec![2],
            got: vec![data.features()],
        });
    }
    let (c, s) = (initnet::math::cos(theta), initnet::math::sin(theta));
    let mut order: Vec<(f64, usize)> = data
        .x
        .rows()
        .into_iter()
        .zip(&data.y)
        .map(|(x, &y)| (c * x[0] + s * x[1], y))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let k = data.classes;
    // Samples with the same projection, as class counts, in order along u.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, &(t, y)) in order.iter().enumerate() {
        if i == 0 || t != order[i - 1].0 {
            groups.push(vec![0; k]);
        }
        groups.last_mut().expect("pushed above")[y] += 1;
    }
    let mut best = 0usize;
    // Every order of the classes along u; a class may also take an empty interval.
    for perm in permutations(k) {
        // dp[s]: most samples classified right so far with the current group in interval s.
        let mut dp = vec![0usize; k];
        for counts in &groups {
            let mut run_max = 0;
            for s in 0..k {
                run_max = run_max.max(dp[s]);
                dp[s] = run_max + counts[perm[s]];
            }
        }
        best = best.max(dp.iter().copied().max().unwrap_or(0));
    }
    Ok(best as f64 / data.len() as f64)
}

/// The best [`strip_accuracy`] over `directions` angles evenly spaced in [0, π).
pub fn best_strip_accuracy(data: &Dataset, directions: usize) -> Result<f64> {
    if directions == 0 {
        return Err(Error::Zero {
            what: "number of directions".to_string(),
        });
    }
    let mut best = 0.0f64;
    for i in 0..directions {
        best = best.max(strip_accuracy(
            data,
            std::f64::consts::PI * i as f64 / directions as f64,
        )?);
    }
    Ok(best)
}

fn permutations(k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(k - 1) {
        for i in 0..=p.len() {
            let mut q = p.clone();
            q.insert(i, k - 1);
            out.push(q);
        }
    }
    out
}

/// What the trained networks of an [`Outcome`] could have reached as strip classifiers,
/// seed by seed: the best strip accuracy along each network's own direction
/// u = W^1[0, :] (an upper bound on its accuracy when its hidden units are identical and
/// monotone), and the best strip accuracy over `directions` directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Strips {
    /// Best strip accuracy along the trained u.
    pub along_u: Vec<f64>,
    /// Best strip accuracy over the directions tried.
    pub best: Vec<f64>,
}

/// The strip accuracies of the trained networks of `outcome`, whose data sets were
/// `blobs(n_samples, seed)`.
pub fn strips(outcome: &Outcome, n_samples: usize, directions: usize) -> Result<Strips> {
    let mut s = Strips {
        along_u: vec![],
        best: vec![],
    };
    for (&seed, net) in outcome.seed_list.iter().zip(&outcome.ends) {
        let data = blobs(n_samples, seed)?;
        let u = net.layer(1).w.row(0).to_owned();
        s.along_u
            .push(strip_accuracy(&data, initnet::math::atan2(u[1], u[0]))?);
        s.best.push(best_strip_accuracy(&data, directions)?);
    }
    Ok(s)
}

/// The class `net` predicts at each point of `points`, given flat as [x, y, x, y, ...].
pub fn predict_classes(net: &Mlp, points: &[f64]) -> Result<Vec<usize>> {
    let n = net.n_inputs();
    if !points.len().is_multiple_of(n) {
        return Err(Error::Shape {
            what: "flat list of points".into(),
            expected: vec![points.len() / n * n],
            got: vec![points.len()],
        });
    }
    let x = Array2::from_shape_vec((points.len() / n, n), points.to_vec()).expect("length checked");
    Ok(Loss::SoftmaxCrossEntropy.predict(&net.predict(&x)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saddle_growth_is_above_one_and_names_bad_input() {
        let data = blobs(SAMPLES, 0).unwrap();
        let mu = saddle_growth(&data, LR).unwrap();
        assert!(mu > 1.0 && mu < 1.0 + LR, "{mu}");
        // A smaller step grows less per step.
        assert!(saddle_growth(&data, LR / 2.0).unwrap() < mu);
        let e = saddle_growth(&data, -1.0).unwrap_err().to_string();
        assert!(e.contains("learning rate") && e.contains("-1"), "{e}");
        let first_class: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == 0).collect();
        let one = data.select(&first_class);
        let e = saddle_growth(&one, LR).unwrap_err().to_string();
        assert!(e.contains("classes present") && e.contains('1'), "{e}");
    }

    #[test]
    fn entropy_and_log_frequencies() {
        assert!((entropy(&[0.25; 4]) - initnet::math::ln(4.0)).abs() < 1e-15);
        assert_eq!(entropy(&[1.0, 0.0]), 0.0);
        let b = log_frequency_bias(&[0.5, 0.25, 0.25]).unwrap();
        assert!((b[0] - b[1] - initnet::math::ln(2.0)).abs() < 1e-15);
        assert!(b.iter().sum::<f64>().abs() < 1e-15);
        let e = log_frequency_bias(&[1.0, 0.0]).unwrap_err();
        assert_eq!(e.to_string(), "class frequency must be in (0, 1], got 0");
    }

    #[test]
    fn train_net_is_train_net_with_full_batches_and_mini_batches_differ() {
        let data = blobs(SAMPLES, 0).unwrap();
        let net = network(Activation::Sigmoid, ZERO, 0).unwrap();
        let full = train_net(net.clone(), &data, LR, 5).unwrap();
        let same = train_net_with(net.clone(), &data, &TrainConfig::new(LR, 5)).unwrap();
        assert_eq!(full, same);
        let mini = train_net_with(net, &data, &TrainConfig::new(LR, 5).mini_batch(32, 0)).unwrap();
        assert_eq!(mini.units.len(), 6);
        assert!(mini.identical_every_epoch);
        assert_ne!(mini.history.losses(), full.history.losses());
    }

    #[test]
    fn strips_separate_what_lies_in_order() {
        // Four classes in order along feature 2: a strip classifier along it gets all of them.
        let x = Array2::from_shape_fn(
            (8, 2),
            |(i, j)| if j == 1 { i as f64 } else { (i % 2) as f64 },
        );
        let y = vec![2, 2, 0, 0, 3, 3, 1, 1];
        let data = Dataset::new(x, y, 4).unwrap();
        assert_eq!(
            strip_accuracy(&data, std::f64::consts::FRAC_PI_2).unwrap(),
            1.0
        );
        // Along feature 1 (sin 0 = 0 exactly) only the parity is seen, and samples with equal
        // projections share an interval: two groups with one of each class, 2 of 8 right.
        assert_eq!(strip_accuracy(&data, 0.0).unwrap(), 0.25);
        assert_eq!(best_strip_accuracy(&data, 4).unwrap(), 1.0);
        assert!(best_strip_accuracy(&data, 0).is_err());
        assert_eq!(permutations(4).len(), 24);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(blobs(3, 0).is_err());
        let data = blobs(40, 0).unwrap();
        assert!(run(&data, Activation::Tanh, ZERO, 0, LR, 5).is_ok());
        let net = network(Activation::Tanh, RANDOM, 0).unwrap();
        let e = train_net(net.clone(), &data, -1.0, 5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "learning rate must be finite and > 0, got -1"
        );
        assert!(predict_classes(&net, &[1.0, 2.0, 3.0]).is_err());
        assert!(outcome(Activation::Tanh, "zero", ZERO, 40, &[], LR, 5).is_err());
        let deep = MlpSpec::new(&[2, 2, 2, 4], Activation::Tanh, ZERO)
            .build(0)
            .unwrap();
        let e = units(&deep).unwrap_err().to_string();
        assert_eq!(
            e,
            "shape mismatch in layers of a network with one hidden layer: expected [2], got [3]"
        );
        assert!(train_net(deep.clone(), &data, 0.1, 1).is_err());
        assert!(Moved::between(&net, &deep).is_err());
        let wide = network(Activation::Tanh, ZERO, 0).unwrap();
        let wider = MlpSpec::new(&[2, 3, 4], Activation::Tanh, ZERO)
            .build(0)
            .unwrap();
        assert!(Moved::between(&wide, &wider).is_err());
        let one_feature = Dataset::new(Array2::zeros((3, 1)), vec![0, 1, 0], 2).unwrap();
        assert!(strip_accuracy(&one_feature, 0.0).is_err());
    }

    #[test]
    fn zero_network_predicts_the_first_class_everywhere() {
        let net = network(Activation::Tanh, ZERO, 1).unwrap();
        assert_eq!(
            predict_classes(&net, &[1.0, 2.0, -3.0, 0.5]).unwrap(),
            vec![0, 0]
        );
    }
}

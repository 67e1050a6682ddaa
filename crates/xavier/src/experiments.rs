//! The chapter's experiments: each takes explicit seeds and returns plain data.
//!
//! The probes, the training runs and the sigmoid shares are computed once per process for
//! each setting and seed ([`book::memo`]): the chapter's claims, figures and code blocks
//! ask for the same ones. The runs of different seeds share out over the cores.

use book::memo::{Memo, per_seed};
use initnet::ndarray::Array2;
use initnet::random::{Distribution, StandardNormal, Uniform};
use initnet::{Activation, Init, Loss, MlpSpec, Result, TrainConfig, mean_std, saturated_fraction};

use crate::theory::{Prediction, mean_field};

/// The seeds every random claim of the chapter is made over: 0, 1, ..., 19.
pub const SEEDS: [u64; 20] = book::seeds(0);

/// Glorot and Bengio's "standard" initialization, U[-1/sqrt(n_in), 1/sqrt(n_in)], of
/// variance 1/(3 n_in): LeCun's uniform rule (limit sqrt(3/n_in)) with gain 1/sqrt(3).
pub fn standard_init() -> Init {
    Init::lecun_uniform()
        .with_gain(1.0 / 3f64.sqrt())
        .expect("1/sqrt(3) is a valid gain")
}

/// Glorot and Bengio's "normalized" initialization, U[-sqrt(6/(n_in+n_out)), +sqrt(...)].
pub fn normalized_init() -> Init {
    Init::xavier_uniform()
}

/// The seed of the data a probe feeds a network built from `seed`: a separate stream,
/// so that the weights and the data never share random numbers.
pub fn data_seed(seed: u64) -> u64 {
    seed ^ 0x9E37_79B9_7F4A_7C15
}

/// One network, one batch: everything measured in a forward and a backward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// n_0..n_L.
    pub widths: Vec<usize>,
    /// The activation of each layer 1..=L (the last is the identity: logits).
    pub activations: Vec<Activation>,
    /// The initializer.
    pub init: Init,
    /// Second moment E[(h^0)^2] of the input batch.
    pub q0: f64,
    /// Standard deviation of a^l, l = 1..=L (index l-1).
    pub pre_std: Vec<f64>,
    /// Root mean square of a^l.
    pub pre_rms: Vec<f64>,
    /// Mean of h^l.
    pub act_mean: Vec<f64>,
    /// Standard deviation of h^l.
    pub act_std: Vec<f64>,
    /// Fraction of h^l on a flat part of f (|tanh| > 0.99; sigmoid < 0.01 or > 0.99).
    pub saturated: Vec<f64>,
    /// Share of the second moment of a^l that varies from sample to sample:
    /// mean over units of the variance across the batch, over E[(a^l)^2]. The rest is a
    /// per-unit offset that is the same for every input, and so carries no information.
    pub signal_share: Vec<f64>,
    /// Standard deviation of the back-propagated gradient dL/da^l.
    pub grad_std: Vec<f64>,
    /// Root mean square of dL/da^l.
    pub grad_rms: Vec<f64>,
    /// Standard deviation of the weight gradient dL/dW^l.
    pub dw_std: Vec<f64>,
    /// Up to [`KEPT_VALUES`] values of h^l (every k-th entry), for histograms.
    pub act_values: Vec<Vec<f64>>,
    /// Up to [`KEPT_VALUES`] values of dL/da^l (every k-th entry), for histograms.
    pub grad_values: Vec<Vec<f64>>,
    /// The mean-field prediction, fed the measured input second moment and the measured
    /// second moment of dL/da^L at the top.
    pub predicted: Prediction,
    /// The linear-regime prediction (every f taken as the identity), fed the same.
    pub linear: Prediction,
}

/// How many values of each layer a [`Probe`] keeps for its histograms.
pub const KEPT_VALUES: usize = 20_000;

/// Every k-th entry of `x` (row by row), k chosen to keep at most [`KEPT_VALUES`].
fn every_kth(x: &Array2<f64>) -> Vec<f64> {
    let k = x.len().div_ceil(KEPT_VALUES).max(1);
    x.iter().step_by(k).copied().collect()
}

fn rms(x: &Array2<f64>) -> f64 {
    (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()
}

/// Mean over columns of the variance of each column, over the mean square of all entries.
fn signal_share(a: &Array2<f64>) -> f64 {
    let within: f64 = a
        .columns()
        .into_iter()
        .map(|c| initnet::math::powi(mean_std(c.iter()).1, 2))
        .sum::<f64>()
        / a.ncols() as f64;
    within / initnet::math::powi(rms(a), 2)
}

/// What a probe back-propagates from the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Top {
    /// The gradient of the mean softmax cross-entropy with uniformly random labels, as in
    /// training. It depends (weakly) on the weights through the softmax.
    SoftmaxRandomLabels,
    /// dL/dh^L with independent N(0, 1) entries, independent of the weights: the backward
    /// closed forms of a linear network then hold exactly in expectation.
    Gaussian,
}

/// Build the network of `widths` (hidden activation `hidden`, identity output) from
/// `seed`, feed it `batch` inputs with independent N(0, 1) entries, back-propagate the
/// gradient `top` (its random numbers, like the inputs', come from [`data_seed`]), and
/// measure every layer.
pub fn probe(
    widths: &[usize],
    hidden: Activation,
    init: Init,
    batch: usize,
    top: Top,
    seed: u64,
) -> Result<Probe> {
    /// Widths, hidden activation, init, batch, top gradient, seed.
    type Setting = (Vec<usize>, Activation, Init, usize, Top, u64);
    static PROBES: Memo<Setting, Probe> = Memo::new();
    PROBES.get_or_run((widths.to_vec(), hidden, init, batch, top, seed), || {
        compute_probe(widths, hidden, init, batch, top, seed)
    })
}

fn compute_probe(
    widths: &[usize],
    hidden: Activation,
    init: Init,
    batch: usize,
    top: Top,
    seed: u64,
) -> Result<Probe> {
    let net = MlpSpec::new(widths, hidden, init).build(seed)?;
    if batch == 0 {
        return Err(initnet::Error::Zero {
            what: "batch size".to_string(),
        });
    }
    let classes = *widths.last().expect("build checked the widths");
    let mut rng = initnet::rng(data_seed(seed));
    let x = Array2::from_shape_simple_fn((batch, widths[0]), || StandardNormal.sample(&mut rng));
    let trace = net.forward(&x)?;
    let d_out = match top {
        Top::SoftmaxRandomLabels => {
            let label = Uniform::new(0, classes).expect("classes >= 1");
            let y: Vec<usize> = (0..batch).map(|_| label.sample(&mut rng)).collect();
            Loss::SoftmaxCrossEntropy.evaluate(trace.output(), &y)?.1
        }
        Top::Gaussian => {
            Array2::from_shape_simple_fn((batch, classes), || StandardNormal.sample(&mut rng))
        }
    };
    let grads = net.backward(&trace, &d_out)?;

    let depth = net.depth();
    let activations: Vec<Activation> = net.layers.iter().map(|d| d.activation).collect();
    let mut p = Probe {
        widths: widths.to_vec(),
        activations: activations.clone(),
        init,
        q0: initnet::math::powi(rms(&x), 2),
        pre_std: vec![],
        pre_rms: vec![],
        act_mean: vec![],
        act_std: vec![],
        saturated: vec![],
        signal_share: vec![],
        grad_std: vec![],
        grad_rms: vec![],
        dw_std: vec![],
        act_values: vec![],
        grad_values: vec![],
        predicted: Prediction {
            q: vec![],
            r: vec![],
        },
        linear: Prediction {
            q: vec![],
            r: vec![],
        },
    };
    for l in 1..=depth {
        let (a, h, da) = (trace.a(l), trace.h(l), &grads.da[l - 1]);
        p.pre_std.push(mean_std(a).1);
        p.pre_rms.push(rms(a));
        let (m, s) = mean_std(h);
        p.act_mean.push(m);
        p.act_std.push(s);
        p.saturated.push(saturated_fraction(
            activations[l - 1],
            h,
            theory::SATURATION_THRESHOLD,
        ));
        p.signal_share.push(signal_share(a));
        p.grad_std.push(mean_std(da).1);
        p.grad_rms.push(rms(da));
        p.dw_std.push(mean_std(&grads.dw[l - 1]).1);
        p.act_values.push(every_kth(h));
        p.grad_values.push(every_kth(da));
    }
    let q0 = p.q0;
    let r_top = initnet::math::powi(p.grad_rms[depth - 1], 2);
    p.predicted = mean_field(widths, &activations, init, q0, r_top)?;
    p.linear = mean_field(widths, &vec![Activation::Identity; depth], init, q0, r_top)?;
    Ok(p)
}

/// Glorot and Bengio's setting at a size this machine handles: inputs of 300 features,
/// five tanh layers of 300 units, ten outputs, a batch of 1000.
pub const GB_WIDTHS: [usize; 7] = [300, 300, 300, 300, 300, 300, 10];
/// The batch of the Glorot-Bengio probe.
pub const GB_BATCH: usize = 1000;

/// The Glorot-Bengio probe for one seed: (standard, normalized), same seed for both.
pub fn glorot_bengio(hidden: Activation, seed: u64) -> Result<(Probe, Probe)> {
    Ok((
        probe(
            &GB_WIDTHS,
            hidden,
            standard_init(),
            GB_BATCH,
            Top::SoftmaxRandomLabels,
            seed,
        )?,
        probe(
            &GB_WIDTHS,
            hidden,
            normalized_init(),
            GB_BATCH,
            Top::SoftmaxRandomLabels,
            seed,
        )?,
    ))
}

/// A funnel: every layer halves the width. Linear layers, so the closed forms are exact.
pub const FUNNEL_WIDTHS: [usize; 6] = [512, 256, 128, 64, 32, 16];
/// The batch of the funnel probe.
pub const FUNNEL_BATCH: usize = 500;

/// The funnel probe for one seed: (LeCun normal, Glorot normal), identity activations,
/// widths [`FUNNEL_WIDTHS`]. [`funnel_with`] takes any widths.
pub fn funnel(seed: u64) -> Result<(Probe, Probe)> {
    funnel_with(&FUNNEL_WIDTHS, seed)
}

/// The linear probe of [`funnel`] with any `widths` (n_0, n_1, ..., n_L; at least two):
/// (LeCun normal, Glorot normal), identity activations, a batch of [`FUNNEL_BATCH`].
pub fn funnel_with(widths: &[usize], seed: u64) -> Result<(Probe, Probe)> {
    Ok((
        probe(
            widths,
            Activation::Identity,
            Init::lecun_normal(),
            FUNNEL_BATCH,
            Top::Gaussian,
            seed,
        )?,
        probe(
            widths,
            Activation::Identity,
            Init::xavier_normal(),
            FUNNEL_BATCH,
            Top::Gaussian,
            seed,
        )?,
    ))
}

/// A deep tanh network: 30 layers of 200 units, LeCun normal with a gain.
pub fn deep_tanh_widths() -> Vec<usize> {
    vec![200; 31]
}
/// The batch of the deep tanh probe.
pub const DEEP_BATCH: usize = 200;

/// The deep tanh probe for one seed and gain g (Var(W) = g^2 / n_in).
pub fn deep_tanh(gain: f64, seed: u64) -> Result<Probe> {
    probe(
        &deep_tanh_widths(),
        Activation::Tanh,
        Init::lecun_normal().with_gain(gain)?,
        DEEP_BATCH,
        Top::SoftmaxRandomLabels,
        seed,
    )
}

/// Loss and accuracy curves of one training run.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// The seed of the network (and of the data and the batches).
    pub seed: u64,
    /// Training loss, epoch 0 first.
    pub loss: Vec<f64>,
    /// Training accuracy, epoch 0 first.
    pub accuracy: Vec<f64>,
    /// Mean of the top hidden layer's activation h^{L-1} on the training set, epoch 0 first.
    pub top_mean: Vec<f64>,
    /// Saturated fraction of h^{L-1} on the training set, epoch 0 first.
    pub top_saturated: Vec<f64>,
}

/// A training comparison: one curve per seed for each of two networks.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    /// Widths of the networks trained.
    pub widths: Vec<usize>,
    /// The first network's curves (standard init, or the sigmoid net).
    pub first: Vec<Curve>,
    /// The second network's curves (normalized init, or the tanh net).
    pub second: Vec<Curve>,
}

/// Points in the circles task.
pub const CIRCLES_SAMPLES: usize = 200;
/// Learning rate of the training comparisons.
pub const LEARNING_RATE: f64 = 0.1;
/// Mini-batch size of the training comparisons.
pub const BATCH_SIZE: usize = 20;

/// The task: two circles ([`CIRCLES_SAMPLES`] points, radius ratio 0.5, noise 0.08),
/// standardized.
pub fn circles(seed: u64) -> Result<initnet::Dataset> {
    let data = initnet::make_circles(CIRCLES_SAMPLES, 0.08, 0.5, seed)?;
    let scaler = initnet::Standardizer::fit(&data.x)?;
    data.standardized(&scaler)
}

/// Train the network `spec` on [`circles`] of `seed` by mini-batch gradient descent
/// ([`BATCH_SIZE`], [`LEARNING_RATE`], no momentum) for `epochs`, recording loss,
/// accuracy and the top hidden layer.
pub fn train_curve(spec: &MlpSpec, epochs: usize, seed: u64) -> Result<Curve> {
    static CURVES: Memo<(MlpSpec, usize, u64), Curve> = Memo::new();
    CURVES.get_or_run((spec.clone(), epochs, seed), || {
        train_curve_on(spec, &circles(seed)?, LEARNING_RATE, epochs, seed)
    })
}

/// [`train_curve`] on any data set and with any learning rate `lr` (mini-batches of
/// [`BATCH_SIZE`] shuffled by `seed`, weights drawn from `seed`): for the exercises, e.g.
/// `train_curve_on(&spec, &initnet::make_moons(200, 0.1, seed)?, 0.1, 50, seed)`.
pub fn train_curve_on(
    spec: &MlpSpec,
    data: &initnet::Dataset,
    lr: f64,
    epochs: usize,
    seed: u64,
) -> Result<Curve> {
    let mut net = spec.build(seed)?;
    let cfg = TrainConfig::new(lr, epochs).mini_batch(BATCH_SIZE, seed);
    let top = spec.widths.len() - 2;
    let (mut top_mean, mut top_saturated) = (vec![], vec![]);
    let history = initnet::train_with(&mut net, &data.x, &data.y, &cfg, |_, net| {
        // h^{L-1}: the forward pass up to the top hidden layer.
        let h = net.layers[..top].iter().fold(data.x.clone(), |h, layer| {
            layer.activation.apply(&layer.pre_activation(&h))
        });
        top_mean.push(mean_std(&h).0);
        top_saturated.push(saturated_fraction(
            spec.hidden,
            &h,
            theory::SATURATION_THRESHOLD,
        ));
    })?;
    Ok(Curve {
        seed,
        loss: history.losses(),
        accuracy: history.accuracies(),
        top_mean,
        top_saturated,
    })
}

/// The deep tanh network of the training comparison: 8 hidden layers of 16 units.
pub const DEEP_TRAIN_WIDTHS: [usize; 10] = [2, 16, 16, 16, 16, 16, 16, 16, 16, 2];
/// Epochs of the training comparison.
pub const DEEP_TRAIN_EPOCHS: usize = 50;

/// Standard (first) against normalized (second) initialization of the deep tanh network,
/// trained on the circles of each seed.
pub fn training(seeds: &[u64]) -> Result<Training> {
    let curves = |init| {
        per_seed(seeds, |seed| {
            train_curve(
                &MlpSpec::new(&DEEP_TRAIN_WIDTHS, Activation::Tanh, init),
                DEEP_TRAIN_EPOCHS,
                seed,
            )
        })
    };
    Ok(Training {
        widths: DEEP_TRAIN_WIDTHS.to_vec(),
        first: curves(standard_init())?,
        second: curves(normalized_init())?,
    })
}

/// The network of the sigmoid-against-tanh comparison: 4 hidden layers of 16 units.
pub const SIGMOID_WIDTHS: [usize; 6] = [2, 16, 16, 16, 16, 2];
/// Epochs of the sigmoid-against-tanh comparison.
pub const SIGMOID_EPOCHS: usize = 100;

/// The logistic sigmoid (first) against tanh (second), both with normalized
/// initialization, trained on the circles of each seed.
pub fn sigmoid_vs_tanh(seeds: &[u64]) -> Result<Training> {
    let curves = |act| {
        per_seed(seeds, |seed| {
            train_curve(
                &MlpSpec::new(&SIGMOID_WIDTHS, act, normalized_init()),
                SIGMOID_EPOCHS,
                seed,
            )
        })
    };
    Ok(Training {
        widths: SIGMOID_WIDTHS.to_vec(),
        first: curves(Activation::Sigmoid)?,
        second: curves(Activation::Tanh)?,
    })
}

/// The input-dependent share of the pre-activations after each sigmoid layer of Glorot and
/// Bengio's network, for the logistic sigmoid and for the centred sigmoid σ(a) − 1/2, with
/// the same weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Shares {
    /// The gain g: Var(W) = g² · 2/(n_in + n_out) (Glorot's normalized law times g²).
    pub gain: f64,
    /// Element k-1: the share of the second moment of a^{k+1} that varies from input to
    /// input (as [`Probe::signal_share`]), after k logistic sigmoid layers, k = 1..=5.
    pub sigmoid: Vec<f64>,
    /// The same after k centred sigmoid layers, h = σ(a) − 1/2 = tanh(a/2)/2.
    pub centred: Vec<f64>,
    /// The mean field's share for the logistic sigmoid ([`theory::input_share`]), for
    /// inputs of second moment 1; for the centred sigmoid it is exactly 1.
    pub sigmoid_mean_field: Vec<f64>,
    /// Element k-1: the input-dependent variance itself (share times second moment) of
    /// a^{k+1} after k logistic sigmoid layers.
    pub sigmoid_signal: Vec<f64>,
    /// The same after k centred sigmoid layers.
    pub centred_signal: Vec<f64>,
    /// Element k-1: the fraction of the sigmoid activations h^k (batch times units) below
    /// 0.01 or above 0.99.
    pub saturated: Vec<f64>,
}

/// [`Shares`] for one seed and gain: the network of [`GB_WIDTHS`] with weights
/// `normalized_init().with_gain(gain)` drawn from `seed`, fed the probe's batch of
/// [`GB_BATCH`] standard normal inputs (from [`data_seed`]); the pre-activations of layers
/// 2..=6 are measured once with σ and once with σ − 1/2 between the layers. A gain that is
/// not finite and > 0 is an error naming it.
pub fn sigmoid_shares(gain: f64, seed: u64) -> Result<Shares> {
    static SHARES: Memo<(f64, u64), Shares> = Memo::new();
    SHARES.get_or_run((gain, seed), || compute_sigmoid_shares(gain, seed))
}

fn compute_sigmoid_shares(gain: f64, seed: u64) -> Result<Shares> {
    let init = normalized_init().with_gain(gain)?;
    let net = MlpSpec::new(&GB_WIDTHS, Activation::Sigmoid, init).build(seed)?;
    let mut rng = initnet::rng(data_seed(seed));
    let x =
        Array2::from_shape_simple_fn((GB_BATCH, GB_WIDTHS[0]), || StandardNormal.sample(&mut rng));
    // Per layer after the first: (share, input-dependent variance); and the saturated
    // fraction of each hidden layer's sigmoid activations.
    let shares = |offset: f64| -> (Vec<(f64, f64)>, Vec<f64>) {
        let mut h = x.clone();
        let (mut out, mut sat) = (vec![], vec![]);
        let hidden = net.layers.len() - 1;
        for (l, layer) in net.layers.iter().enumerate() {
            let a = layer.pre_activation(&h);
            if l > 0 {
                let share = signal_share(&a);
                out.push((share, share * initnet::math::powi(rms(&a), 2)));
            }
            h = a.mapv(|v| initnet::math::sigmoid(v) - offset);
            if l < hidden {
                sat.push(saturated_fraction(
                    Activation::Sigmoid,
                    &h.mapv(|v| v + offset),
                    theory::SATURATION_THRESHOLD,
                ));
            }
        }
        (out, sat)
    };
    let layers = GB_WIDTHS.len() - 2;
    let ((sig, saturated), (cen, _)) = (shares(0.0), shares(0.5));
    Ok(Shares {
        gain,
        sigmoid: sig.iter().map(|p| p.0).collect(),
        centred: cen.iter().map(|p| p.0).collect(),
        sigmoid_mean_field: sigmoid_share_mean_field(gain, layers)?,
        sigmoid_signal: sig.iter().map(|p| p.1).collect(),
        centred_signal: cen.iter().map(|p| p.1).collect(),
        saturated,
    })
}

/// [`crate::theory::input_share`] of the logistic sigmoid at σ_w² = gain² from q_1 = gain²,
/// remembered per gain for the process: each is a few million evaluations of the sigmoid,
/// the same for every seed.
fn sigmoid_share_mean_field(gain: f64, layers: usize) -> Result<Vec<f64>> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    /// Shares by (gain's bits, layers).
    type Memo = Mutex<HashMap<(u64, usize), Vec<f64>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (gain.to_bits(), layers);
    if let Some(v) = memo.lock().expect("no panic holds the lock").get(&key) {
        return Ok(v.clone());
    }
    let v = crate::theory::input_share(Activation::Sigmoid, gain * gain, gain * gain, layers)?;
    memo.lock()
        .expect("no panic holds the lock")
        .insert(key, v.clone());
    Ok(v)
}

/// The logistic sigmoid network of [`sigmoid_vs_tanh`] with Glorot and Bengio's standard
/// init instead of the normalized one, trained the same way on the circles of each seed.
pub fn sigmoid_standard(seeds: &[u64]) -> Result<Vec<Curve>> {
    per_seed(seeds, |seed| {
        train_curve(
            &MlpSpec::new(&SIGMOID_WIDTHS, Activation::Sigmoid, standard_init()),
            SIGMOID_EPOCHS,
            seed,
        )
    })
}

/// How linear the untrained deep tanh network of [`training`] is under the standard init.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearFit {
    /// The smallest, over the two logits, share of a logit's variance over the training
    /// points that the best affine function of the two inputs explains (R²).
    pub r2: f64,
    /// Root mean square of the logits on the training points.
    pub logit_rms: f64,
}

/// Fit each logit of the untrained network (standard init, [`DEEP_TRAIN_WIDTHS`], weights
/// from `seed`) on the circles of `seed` by least squares on (1, x₁, x₂).
pub fn linear_fit(seed: u64) -> Result<LinearFit> {
    let data = circles(seed)?;
    let net = MlpSpec::new(&DEEP_TRAIN_WIDTHS, Activation::Tanh, standard_init()).build(seed)?;
    let logits = net.predict(&data.x)?;
    let n = data.x.nrows() as f64;
    // Centred inputs and the 2x2 normal equations: the intercept takes the means.
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n;
    let x1: Vec<f64> = data.x.column(0).to_vec();
    let x2: Vec<f64> = data.x.column(1).to_vec();
    let (m1, m2) = (mean(&x1), mean(&x2));
    let dot = |a: &[f64], ma: f64, b: &[f64], mb: f64| -> f64 {
        a.iter().zip(b).map(|(u, v)| (u - ma) * (v - mb)).sum()
    };
    let (s11, s22, s12) = (
        dot(&x1, m1, &x1, m1),
        dot(&x2, m2, &x2, m2),
        dot(&x1, m1, &x2, m2),
    );
    let det = s11 * s22 - s12 * s12;
    let mut r2 = f64::INFINITY;
    for k in 0..logits.ncols() {
        let y: Vec<f64> = logits.column(k).to_vec();
        let my = mean(&y);
        let (s1y, s2y, syy) = (
            dot(&x1, m1, &y, my),
            dot(&x2, m2, &y, my),
            dot(&y, my, &y, my),
        );
        let (b1, b2) = ((s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det);
        // Explained sum of squares over the total.
        r2 = r2.min((b1 * s1y + b2 * s2y) / syy);
    }
    let logit_rms = (logits.iter().map(|v| v * v).sum::<f64>() / logits.len() as f64).sqrt();
    Ok(LinearFit { r2, logit_rms })
}

/// The best a linear model can do on the circles: logistic regression (a 2-2 network with
/// the identity, LeCun normal weights from `seed`) trained like the deep networks of
/// [`training`], for [`DEEP_TRAIN_EPOCHS`].
pub fn logistic_regression(seed: u64) -> Result<Curve> {
    train_curve(
        &MlpSpec::new(&[2, 2], Activation::Identity, Init::lecun_normal()),
        DEEP_TRAIN_EPOCHS,
        seed,
    )
}

/// Two moons ([`CIRCLES_SAMPLES`] points, noise 0.1), standardized like [`circles`]: a task
/// whose classes a linear map separates for the most part (the fifth exercise).
pub fn moons(seed: u64) -> Result<initnet::Dataset> {
    let data = initnet::make_moons(CIRCLES_SAMPLES, 0.1, seed)?;
    let scaler = initnet::Standardizer::fit(&data.x)?;
    data.standardized(&scaler)
}

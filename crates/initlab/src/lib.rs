//! # initlab: the book's explorer on the command line
//!
//! The library part of the `initlab` binary: each verb is a configuration struct that a
//! function turns into a report struct. Reports serialize to JSON (`--json`) and print as
//! a readable table or summary. `main.rs` only parses flags and prints.
//!
//! - [`layers`]: push a batch of standard-normal inputs through a deep MLP at
//!   initialization, back-propagate a standard-normal gradient from the top, and report
//!   per-layer statistics beside their mean-field (closed-form) predictions.
//! - [`jacobian::jacobian`] (`layers --jacobian`): the singular values of the network's
//!   input-output Jacobian at one input, beside the mean field's prediction.
//! - [`train`]: train an MLP on a generated data set and report losses, accuracies,
//!   divergence, dead and saturated units.
//!
//! ```
//! use initlab::{LayersConfig, layers};
//! use initnet::{Activation, Init};
//!
//! let cfg = LayersConfig { depth: 3, width: 50, batch: 100, ..LayersConfig::default() };
//! let report = layers(&cfg)?;
//! assert_eq!(report.layers.len(), 3);
//! # Ok::<(), initlab::Error>(())
//! ```

pub mod correlation;

use std::fmt::{self, Display, Write as _};
use std::str::FromStr;

use initnet::ndarray::Array2;
use initnet::random::{Distribution, StandardNormal};
use initnet::{
    Activation, Blobs, Init, Loss, Mlp, MlpSpec, Standardizer, TrainConfig, dead_fraction,
    layer_stats, make_circles, make_moons, saturated_fraction, stratified_split, train_with,
};
use serde::{Serialize, Serializer};

/// |tanh(a)| above this (or a sigmoid above it or below 1 minus it) counts as saturated:
/// the book's threshold, [`theory::SATURATION_THRESHOLD`].
pub use theory::SATURATION_THRESHOLD;

pub mod jacobian;

/// The largest number of floating-point values a run may hold at once (2^28, 2 GiB):
/// a larger request is an error that names the size, not an allocation failure.
pub const MAX_FLOATS: f64 = (1u64 << 28) as f64;

/// Everything that can go wrong in a run: the library's typed errors and bad combinations
/// of options.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An error from the network library (it names the bad value).
    #[error(transparent)]
    Net(#[from] initnet::Error),
    /// An option that does not fit the others.
    #[error("{0}")]
    Invalid(String),
}

fn as_text<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

fn check_size(what: &str, floats: f64) -> Result<(), Error> {
    if floats > MAX_FLOATS {
        return Err(Error::Invalid(format!(
            "{what} would hold {floats:.3e} numbers ({:.1} GiB), more than the limit of {MAX_FLOATS:.3e}",
            floats * 8.0 / (1u64 << 30) as f64
        )));
    }
    Ok(())
}

/// A `rows x cols` matrix of independent standard-normal draws from stream `stream` of the
/// ChaCha8 generator seeded with `seed` (stream 0 is the one [`initnet::rng`] uses).
pub fn standard_normal(rows: usize, cols: usize, seed: u64, stream: u64) -> Array2<f64> {
    let mut rng = initnet::rng(seed);
    rng.set_stream(stream);
    Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(&mut rng))
}

/// The stream of `initnet::rng(seed)` the `layers` inputs h^0 are drawn from.
pub const INPUT_STREAM: u64 = 1;
/// The stream the standard-normal top gradient dL/dh^L of `layers` is drawn from.
pub const GRADIENT_STREAM: u64 = 2;

// ---------------------------------------------------------------------------------------
// layers
// ---------------------------------------------------------------------------------------

/// The `layers` experiment: `depth` layers of `width` units, all with the same activation
/// (the output layer too) and zero biases, weights drawn by `init` times `gain`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayersConfig {
    /// Weight initializer (without the gain).
    #[serde(serialize_with = "as_text")]
    pub init: Init,
    /// Activation of every layer.
    #[serde(serialize_with = "as_text")]
    pub activation: Activation,
    /// Number of layers L.
    pub depth: usize,
    /// Units per layer n_1 = ... = n_L.
    pub width: usize,
    /// Inputs n_0 (`None`: the width).
    pub inputs: Option<usize>,
    /// Samples in the batch.
    pub batch: usize,
    /// Seed: the network is drawn from stream 0, inputs from [`INPUT_STREAM`], the top
    /// gradient from [`GRADIENT_STREAM`].
    pub seed: u64,
    /// Every weight is multiplied by this.
    pub gain: f64,
    /// The inputs h^0 are this times standard-normal draws (so E[(h^0)^2] = its square).
    pub input_scale: f64,
}

impl Default for LayersConfig {
    /// The CS231n setup: 10 tanh layers of 500 units, a batch of 1000, Xavier (Glorot) normal.
    fn default() -> Self {
        LayersConfig {
            init: Init::xavier_normal(),
            activation: Activation::Tanh,
            depth: 10,
            width: 500,
            inputs: None,
            batch: 1000,
            seed: 0,
            gain: 1.0,
            input_scale: 1.0,
        }
    }
}

/// Statistics of one layer l, measured and predicted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerReport {
    /// Layer number l (1-based).
    pub layer: usize,
    /// Mean of the pre-activations a^l.
    pub pre_mean: f64,
    /// Standard deviation of a^l.
    pub pre_std: f64,
    /// Mean of the activations h^l.
    pub act_mean: f64,
    /// Standard deviation of h^l.
    pub act_std: f64,
    /// Fraction of h^l on a flat part of the activation (see [`SATURATION_THRESHOLD`]).
    pub saturated_fraction: f64,
    /// Fraction of units whose a^l <= 0 for every sample of the batch.
    pub dead_fraction: f64,
    /// Standard deviation of the back-propagated gradient dL/da^l.
    pub grad_std: f64,
    /// Mean-field prediction of the standard deviation of a^l (None where it does not apply).
    pub predicted_pre_std: Option<f64>,
    /// Mean-field prediction of the saturated fraction.
    pub predicted_saturated_fraction: Option<f64>,
    /// Mean-field prediction of the standard deviation of dL/da^l.
    pub predicted_grad_std: Option<f64>,
}

impl LayerReport {
    /// One layer's report: the measured statistics `s` (of [`initnet::layer_stats`]), the
    /// standard deviation of dL/da^l, and the mean field's `[pre_std, saturated fraction,
    /// grad_std]` for the layer (as [`mean_field`] returns them).
    pub fn new(s: &initnet::LayerStats, grad_std: f64, predicted: [Option<f64>; 3]) -> Self {
        let [pre, sat, grad] = predicted;
        LayerReport {
            layer: s.layer,
            pre_mean: s.pre_mean,
            pre_std: s.pre_std,
            act_mean: s.act_mean,
            act_std: s.act_std,
            saturated_fraction: s.saturated_fraction,
            dead_fraction: s.dead_fraction,
            grad_std,
            predicted_pre_std: pre,
            predicted_saturated_fraction: sat,
            predicted_grad_std: grad,
        }
    }
}

/// The result of [`layers`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayersReport {
    /// The configuration that was run (with `inputs` resolved).
    pub config: LayersConfig,
    /// One entry per layer, layer 1 first.
    pub layers: Vec<LayerReport>,
    /// Whether some pre-activation, activation or gradient overflowed to infinity or NaN:
    /// its statistics are then NaN (`null` in JSON).
    pub overflowed: bool,
}

/// Mean-field predictions (wide-layer limit, zero biases, inputs with E[x^2] = `q0`) of the
/// standard deviations of a^l and dL/da^l and of the saturated fraction, layer by layer,
/// from [`theory::mean_field()`] and [`theory::saturation_probability`]:
///
/// Var(a^1) = n_0 E[w^2] q0;  Var(a^(l+1)) = n_l E[w^2] E[f(a^l)^2];
/// Var(dL/da^L) = E[f'(a^L)^2];  Var(dL/da^l) = E[f'(a^l)^2] n_(l+1) E[w^2] Var(dL/da^(l+1)).
///
/// Beyond layer 1 they need zero-mean weights; with a constant init only layer 1 is given.
/// The configuration is checked before this runs, so the mean field can only fail by
/// overflowing f64 in an exploding network: then the layers below the overflow are still
/// predicted, and no gradient is (it would pass through the overflow).
///
/// One entry per layer: the predicted standard deviation of a^l, the saturated fraction and
/// the standard deviation of dL/da^l when a standard-normal dL/dh^L enters at the top.
pub fn mean_field(
    widths: &[usize],
    init: &Init,
    activation: Activation,
    q0: f64,
) -> Result<Vec<[Option<f64>; 3]>, Error> {
    let depth = widths.len() - 1;
    let zero_mean = init.mean() == 0.0;
    let predict =
        |k: usize| theory::mean_field(&widths[..=k], &vec![activation; k], *init, q0, 1.0);
    let known = if zero_mean { depth } else { 1 };
    let (p, with_gradients) = match predict(known) {
        Ok(p) => (p, zero_mean),
        Err(_) => match (1..known).rev().find_map(|k| predict(k).ok()) {
            Some(p) => (p, false),
            None => return Ok(vec![[None, None, None]; depth]),
        },
    };
    let known = p.q.len();
    // The top gradient dL/dh^L is standard normal, so E[(dL/da^L)^2] = E[f'(a^L)^2], and
    // every r_l is proportional to the top one.
    let top = theory::chi(activation, 1.0, p.q[known - 1])?;
    (0..depth)
        .map(|l| {
            if l >= known {
                return Ok([None, None, None]);
            }
            let q = p.q[l];
            Ok([
                Some(q.sqrt()),
                Some(theory::saturation_probability(activation, q)?),
                with_gradients.then(|| (top * p.r[l]).sqrt()),
            ])
        })
        .collect()
}

/// The inputs h^0 of `layers`: `scale` times a `batch x n0` standard-normal matrix from
/// [`INPUT_STREAM`] of `seed`. A scale that is not finite and positive is an error naming it.
pub fn scaled_inputs(batch: usize, n0: usize, seed: u64, scale: f64) -> Result<Array2<f64>, Error> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(initnet::Error::OutOfRange {
            name: "input scale",
            expected: "finite and > 0",
            value: scale,
        }
        .into());
    }
    let mut x = standard_normal(batch, n0, seed, INPUT_STREAM);
    x.mapv_inplace(|v| scale * v);
    Ok(x)
}

/// Run the `layers` experiment: forward a standard-normal batch through the network at
/// initialization, backward a standard-normal gradient dL/dh^L from the top, and report
/// per-layer statistics.
pub fn layers(cfg: &LayersConfig) -> Result<LayersReport, Error> {
    if cfg.depth == 0 {
        return Err(initnet::Error::Zero {
            what: "depth".to_string(),
        }
        .into());
    }
    if cfg.width == 0 {
        return Err(initnet::Error::Zero {
            what: "width".to_string(),
        }
        .into());
    }
    if cfg.batch == 0 {
        return Err(initnet::Error::Zero {
            what: "batch size".to_string(),
        }
        .into());
    }
    let n0 = cfg.inputs.unwrap_or(cfg.width);
    let (b, w, d) = (cfg.batch as f64, cfg.width as f64, cfg.depth as f64);
    // h^0, a^l, h^l, dL/da^l, dL/dh^l and the weights.
    check_size(
        "this network and batch",
        b * n0 as f64 + 4.0 * b * w * d + w * (n0 as f64 + w * d),
    )?;
    let init = cfg.init.with_gain(cfg.gain)?;
    let mut widths = vec![n0];
    widths.extend(std::iter::repeat_n(cfg.width, cfg.depth));
    let net = MlpSpec::new(&widths, cfg.activation, init)
        .output(cfg.activation)
        .build(cfg.seed)?;
    let x = scaled_inputs(cfg.batch, n0, cfg.seed, cfg.input_scale)?;
    let trace = net.forward(&x)?;
    let top = standard_normal(cfg.batch, cfg.width, cfg.seed, GRADIENT_STREAM);
    let grads = net.backward(&trace, &top)?;
    let activations = vec![cfg.activation; cfg.depth];
    let stats = layer_stats(&trace, &activations, Some(&grads), SATURATION_THRESHOLD);
    let predictions = mean_field(
        &widths,
        &init,
        cfg.activation,
        cfg.input_scale * cfg.input_scale,
    )?;
    let layers = stats
        .into_iter()
        .zip(predictions)
        .map(|(s, predicted)| LayerReport::new(&s, s.grad_std.unwrap_or(f64::NAN), predicted))
        .collect();
    let overflowed = !(trace.pre.iter().chain(&trace.post).chain(&grads.da))
        .all(|m| m.iter().all(|v| v.is_finite()));
    Ok(LayersReport {
        config: LayersConfig {
            inputs: Some(n0),
            ..cfg.clone()
        },
        layers,
        overflowed,
    })
}

fn or_dash(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.digits$}"))
}

/// Six decimals, or scientific notation for values of 1e4 and more (diverging losses).
fn fixed6(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e4 {
        format!("{x:.6e}")
    } else {
        format!("{x:.6}")
    }
}

/// Which of the two counts mean something for `act`, as the book's explorer shows them:
/// the saturated fraction for the saturating activations (tanh, the logistic sigmoid),
/// and the fraction of units off for the whole batch for ReLU and leaky ReLU, whose
/// negative side passes nothing or almost nothing. The tables print "-" for the others
/// (GELU, SiLU, ELU and SELU pass a gradient on their negative side; the identity
/// neither saturates nor switches off). The JSON keeps every number.
fn counts(act: Activation) -> (bool, bool) {
    (
        matches!(act, Activation::Tanh | Activation::Sigmoid),
        matches!(act, Activation::Relu | Activation::LeakyRelu(_)),
    )
}

fn sig(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-3..1e4).contains(&x.abs()) {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}

impl LayersReport {
    /// A readable, aligned table (the default output of `initlab layers`).
    pub fn to_text(&self) -> String {
        let c = &self.config;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} layers of {} {} units, {} inputs, init {}{}, batch {}, seed {}",
            c.depth,
            c.width,
            c.activation,
            c.inputs.unwrap_or(c.width),
            c.init,
            if c.gain != 1.0 {
                format!(" x gain {}", c.gain)
            } else {
                String::new()
            },
            c.batch,
            c.seed
        );
        let _ = writeln!(
            out,
            "inputs and top gradient dL/dh^L are standard normal; (mf) = mean-field prediction\n"
        );
        let header = [
            "layer",
            "pre_mean",
            "pre_std",
            "(mf)",
            "act_mean",
            "act_std",
            "saturated",
            "(mf)",
            "dead",
            "grad_std",
            "(mf)",
        ];
        let (saturates, dies) = counts(c.activation);
        let rows: Vec<[String; 11]> = self
            .layers
            .iter()
            .map(|l| {
                [
                    l.layer.to_string(),
                    sig(l.pre_mean),
                    sig(l.pre_std),
                    l.predicted_pre_std.map_or("-".to_string(), sig),
                    sig(l.act_mean),
                    sig(l.act_std),
                    if saturates {
                        format!("{:.4}", l.saturated_fraction)
                    } else {
                        "-".to_string()
                    },
                    or_dash(l.predicted_saturated_fraction.filter(|_| saturates), 4),
                    if dies {
                        format!("{:.3}", l.dead_fraction)
                    } else {
                        "-".to_string()
                    },
                    sig(l.grad_std),
                    l.predicted_grad_std.map_or("-".to_string(), sig),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|j| {
                rows.iter()
                    .map(|r| r[j].len())
                    .chain([header[j].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(s, w)| format!("{s:>w$}"))
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(header.to_vec()));
        for r in &rows {
            let _ = writeln!(out, "{}", line(r.iter().map(String::as_str).collect()));
        }
        if self.overflowed {
            let _ = writeln!(
                out,
                "\nsome values overflowed to infinity or NaN: their statistics are NaN (null in JSON)"
            );
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// layers over several seeds (`initlab layers --seeds N`, the numbers the book's explorer shows)
// ---------------------------------------------------------------------------------------

/// The mean and the spread (sample standard deviation, divisor n - 1; 0 for one seed) of a
/// statistic over seeds. A non-finite value (an overflowed network) makes both NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean over the seeds.
    pub mean: f64,
    /// Sample standard deviation over the seeds.
    pub sd: f64,
}

impl Spread {
    /// The spread of `values` (NaN, NaN for none).
    pub fn of(values: &[f64]) -> Spread {
        let n = values.len() as f64;
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return Spread {
                mean: f64::NAN,
                sd: f64::NAN,
            };
        }
        let mean = values.iter().sum::<f64>() / n;
        let sd = if values.len() < 2 {
            0.0
        } else {
            (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
        };
        Spread { mean, sd }
    }
}

/// One layer's statistics over seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerSpread {
    /// Layer number l (1-based).
    pub layer: usize,
    /// Standard deviation of a^l.
    pub pre_std: Spread,
    /// Standard deviation of dL/da^l.
    pub grad_std: Spread,
    /// Saturated fraction of h^l.
    pub saturated_fraction: Spread,
    /// Dead fraction of layer l.
    pub dead_fraction: Spread,
    /// Mean-field prediction of the standard deviation of a^l.
    pub predicted_pre_std: Option<f64>,
    /// Mean-field prediction of the saturated fraction.
    pub predicted_saturated_fraction: Option<f64>,
    /// Mean-field prediction of the standard deviation of dL/da^l.
    pub predicted_grad_std: Option<f64>,
}

/// The result of [`layers_over_seeds`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedsReport {
    /// The configuration of the first seed (the others differ only in `seed`).
    pub config: LayersConfig,
    /// The seeds, `config.seed` first.
    pub seeds: Vec<u64>,
    /// One entry per layer.
    pub layers: Vec<LayerSpread>,
}

/// Mean and spread over seeds of per-seed [`LayersReport`]s of one setting (as
/// [`layers_over_seeds`] computes them; the book's explorer computes its reports faster, and
/// summarizes them with this same function).
pub fn summarize(reports: &[LayersReport]) -> Result<Vec<LayerSpread>, Error> {
    let first = reports
        .first()
        .ok_or_else(|| Error::Invalid("no seeds to summarize".to_string()))?;
    Ok((0..first.layers.len())
        .map(|i| {
            let over = |f: fn(&LayerReport) -> f64| {
                Spread::of(&reports.iter().map(|r| f(&r.layers[i])).collect::<Vec<_>>())
            };
            let l = &first.layers[i];
            LayerSpread {
                layer: l.layer,
                pre_std: over(|l| l.pre_std),
                grad_std: over(|l| l.grad_std),
                saturated_fraction: over(|l| l.saturated_fraction),
                dead_fraction: over(|l| l.dead_fraction),
                predicted_pre_std: l.predicted_pre_std,
                predicted_saturated_fraction: l.predicted_saturated_fraction,
                predicted_grad_std: l.predicted_grad_std,
            }
        })
        .collect())
}

/// [`layers`] for `count` seeds `cfg.seed, cfg.seed + 1, ...`, summarized by [`summarize`].
pub fn layers_over_seeds(cfg: &LayersConfig, count: usize) -> Result<SeedsReport, Error> {
    if count == 0 {
        return Err(initnet::Error::Zero {
            what: "number of seeds".to_string(),
        }
        .into());
    }
    let seeds: Vec<u64> = (0..count as u64)
        .map(|i| cfg.seed.wrapping_add(i))
        .collect();
    let reports = seeds
        .iter()
        .map(|&seed| {
            layers(&LayersConfig {
                seed,
                ..cfg.clone()
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(SeedsReport {
        config: reports[0].config.clone(),
        layers: summarize(&reports)?,
        seeds,
    })
}

/// Four significant digits, the precision the book's explorer shows.
pub fn four_digits(x: f64) -> String {
    if !x.is_finite() {
        return "nan".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = initnet::math::log10(x.abs()).floor();
    if (-3.0..5.0).contains(&magnitude) {
        let decimals = (3.0 - magnitude).max(0.0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

impl SeedsReport {
    /// A readable table: mean and spread of each statistic over the seeds.
    pub fn to_text(&self) -> String {
        let c = &self.config;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} layers of {} {} units, init {}{}, inputs {} x N(0, 1), batch {}, seeds {}..={}",
            c.depth,
            c.width,
            c.activation,
            c.init,
            if c.gain != 1.0 {
                format!(" x gain {}", c.gain)
            } else {
                String::new()
            },
            c.input_scale,
            c.batch,
            self.seeds[0],
            self.seeds[self.seeds.len() - 1],
        );
        let _ = writeln!(
            out,
            "mean +- sd over the seeds (four significant digits); (mf) = mean-field prediction\n"
        );
        let pm = |s: Spread| format!("{} +- {}", four_digits(s.mean), four_digits(s.sd));
        let opt = |x: Option<f64>| x.map_or("-".to_string(), four_digits);
        let header = [
            "layer",
            "sd(a)",
            "(mf)",
            "sd(dL/da)",
            "(mf)",
            "saturated",
            "dead",
        ];
        let (saturates, dies) = counts(c.activation);
        let dash = |shown: bool, s: Spread| if shown { pm(s) } else { "-".to_string() };
        let rows: Vec<[String; 7]> = self
            .layers
            .iter()
            .map(|l| {
                [
                    l.layer.to_string(),
                    pm(l.pre_std),
                    opt(l.predicted_pre_std),
                    pm(l.grad_std),
                    opt(l.predicted_grad_std),
                    dash(saturates, l.saturated_fraction),
                    dash(dies, l.dead_fraction),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|j| {
                rows.iter()
                    .map(|r| r[j].len())
                    .chain([header[j].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<&str>| {
            cells
                .iter()
                .zip(&widths)
                .map(|(s, w)| format!("{s:>w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        let _ = writeln!(out, "{}", line(header.to_vec()));
        for r in &rows {
            let _ = writeln!(out, "{}", line(r.iter().map(String::as_str).collect()));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// train
// ---------------------------------------------------------------------------------------

/// The `residual` experiment: a residual network of `blocks` blocks of `width` units
/// (two ReLU layers per branch), started by `recipe`, with an optional normalization after
/// each branch layer, fed a batch of standard-normal inputs of width `width` (stream 1
/// of the seed; the gradient of the logits from stream 2, the network from stream 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidualConfig {
    /// Number of blocks L.
    pub blocks: usize,
    /// Width n.
    pub width: usize,
    /// How the blocks start: plain, scaled, fixup, rezero or zero-gamma.
    #[serde(serialize_with = "as_debug")]
    pub recipe: initnet::Recipe,
    /// Normalization after each branch layer: none, batch or layer.
    #[serde(serialize_with = "as_debug")]
    pub norm: Option<initnet::NormKind>,
    /// Samples in the batch.
    pub batch: usize,
    /// Seed of the network, the inputs and the top gradient.
    pub seed: u64,
}

fn as_debug<T: fmt::Debug, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{value:?}"))
}

/// Per block l = 0..=L: the mean square q^l of x^l and of dL/dx^l (for a standard-normal
/// gradient of the logits), and the mean field's q^l where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidualReport {
    /// The configuration.
    pub config: ResidualConfig,
    /// q^l, l = 0..=L.
    pub q: Vec<f64>,
    /// Mean square of dL/dx^l, l = 0..=L.
    pub grad: Vec<f64>,
    /// The mean field's q^l (from the measured q^0), when it has one.
    pub q_mean_field: Option<Vec<f64>>,
}

/// Run the `residual` experiment.
pub fn residual(cfg: &ResidualConfig) -> Result<ResidualReport, Error> {
    use initnet::{Recipe, ResidualSpec};
    if cfg.batch == 0 {
        return Err(initnet::Error::Zero {
            what: "batch size".to_string(),
        }
        .into());
    }
    if cfg.recipe == Recipe::ZeroGamma && cfg.norm.is_none() {
        return Err(Error::Invalid(
            "the zero-gamma recipe sets the scale of each branch's last normalization to 0: \
             it needs --norm batch or --norm layer"
                .to_string(),
        ));
    }
    let net = ResidualSpec::new(cfg.width, cfg.width, cfg.width, cfg.blocks)
        .recipe(cfg.recipe)
        .norm(cfg.norm)
        .build(cfg.seed)?;
    let x = standard_normal(cfg.batch, cfg.width, cfg.seed, 1);
    let trace = net.forward(&x)?;
    let top = standard_normal(cfg.batch, cfg.width, cfg.seed, 2);
    let grads = net.backward(&trace, &top)?;
    let ms = initnet::residual::mean_square;
    let q: Vec<f64> = trace.x.iter().map(ms).collect();
    let l = cfg.blocks;
    let q_mean_field = match (cfg.recipe, cfg.norm) {
        (Recipe::Plain, None) => Some(theory_residual_q(q[0], 1.0, l)),
        (Recipe::Scaled, None) => Some(theory_residual_q(q[0], 1.0 / l as f64, l)),
        (Recipe::Plain, Some(_)) => Some((0..=l).map(|i| q[0] + i as f64).collect()),
        (Recipe::Fixup | Recipe::ReZero | Recipe::ZeroGamma, _) => Some(vec![q[0]; l + 1]),
        _ => None,
    };
    Ok(ResidualReport {
        config: cfg.clone(),
        q,
        grad: grads.dx.iter().map(ms).collect(),
        q_mean_field,
    })
}

/// q^l = (1 + 2 alpha^2) q^(l-1) for two He-initialized ReLU layers per branch (gain 2).
fn theory_residual_q(q0: f64, alpha2: f64, blocks: usize) -> Vec<f64> {
    let mut q = vec![q0];
    for i in 0..blocks {
        q.push(q[i] * (1.0 + 2.0 * alpha2));
    }
    q
}

impl ResidualReport {
    /// The report as a table, one line per block.
    pub fn to_text(&self) -> String {
        let c = &self.config;
        let mut out = format!(
            "residual network: {} blocks of width {}, recipe {:?}, norm {:?}, batch {}, seed {}\n",
            c.blocks, c.width, c.recipe, c.norm, c.batch, c.seed
        );
        out += "block        q^l   q^l (mf)   mean sq dL/dx^l\n";
        for (l, (q, g)) in self.q.iter().zip(&self.grad).enumerate() {
            let mf = self
                .q_mean_field
                .as_ref()
                .map_or("-".to_string(), |m| format!("{:.3e}", m[l]));
            out += &format!("{l:>5} {q:>10.3e} {mf:>10} {g:>17.3e}\n");
        }
        out
    }
}

/// Which generated data set to train on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetKind {
    /// Isotropic Gaussian blobs (scikit-learn's `make_blobs`), the article's data set.
    Blobs,
    /// Two concentric circles (`make_circles`, factor 0.5).
    Circles,
    /// Two interleaving half circles (`make_moons`).
    Moons,
}

impl Display for DatasetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DatasetKind::Blobs => "blobs",
            DatasetKind::Circles => "circles",
            DatasetKind::Moons => "moons",
        })
    }
}

impl FromStr for DatasetKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "blobs" => Ok(DatasetKind::Blobs),
            "circles" => Ok(DatasetKind::Circles),
            "moons" => Ok(DatasetKind::Moons),
            _ => Err(format!(
                "unknown data set {s:?}: expected blobs, circles or moons"
            )),
        }
    }
}

impl Serialize for DatasetKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The update rule of a training run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OptimizerKind {
    /// Gradient descent, with `momentum`.
    #[default]
    Sgd,
    /// Adam with PyTorch's defaults (beta1 0.9, beta2 0.999, eps 1e-8); `lr` is its
    /// learning rate, and momentum must be 0.
    Adam,
}

impl Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Adam => "adam",
        })
    }
}

impl FromStr for OptimizerKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sgd" => Ok(OptimizerKind::Sgd),
            "adam" => Ok(OptimizerKind::Adam),
            _ => Err(format!("unknown optimizer {s:?}: expected sgd or adam")),
        }
    }
}

impl Serialize for OptimizerKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A training run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainOptions {
    /// The data set.
    pub dataset: DatasetKind,
    /// Number of samples, before the train/test split.
    pub samples: usize,
    /// Blobs: cluster_std (default 1); circles and moons: Gaussian noise (default 0.1).
    pub noise: Option<f64>,
    /// Number of classes, for blobs only (default 4).
    pub classes: Option<usize>,
    /// Hidden widths n_1..n_(L-1); the output layer has one unit per class.
    pub hidden: Vec<usize>,
    /// Activation of the hidden layers (the output gives logits to a softmax).
    #[serde(serialize_with = "as_text")]
    pub activation: Activation,
    /// Weight initializer of every layer (biases are zero).
    #[serde(serialize_with = "as_text")]
    pub init: Init,
    /// Every weight is multiplied by this.
    pub gain: f64,
    /// Learning rate.
    pub lr: f64,
    /// Number of epochs.
    pub epochs: usize,
    /// Mini-batch size (`None`: full batch).
    pub batch_size: Option<usize>,
    /// Classical momentum in [0, 1).
    pub momentum: f64,
    /// Gradient descent or Adam.
    pub optimizer: OptimizerKind,
    /// The seed every random choice derives from (see [`Seeds`]).
    pub seed: u64,
    /// Standardize the features with the training part's means and deviations.
    pub standardize: bool,
    /// Fraction of each class held out for testing, in (0, 1).
    pub test_fraction: f64,
}

impl Default for TrainOptions {
    /// The article's toy problem: 400 points in 4 blobs, a 2-2-4 tanh network, Xavier normal,
    /// full-batch gradient descent with learning rate 0.1 for 1000 epochs.
    fn default() -> Self {
        TrainOptions {
            dataset: DatasetKind::Blobs,
            samples: 400,
            noise: None,
            classes: None,
            hidden: vec![2],
            activation: Activation::Tanh,
            init: Init::xavier_normal(),
            gain: 1.0,
            lr: 0.1,
            epochs: 1000,
            batch_size: None,
            momentum: 0.0,
            optimizer: OptimizerKind::Sgd,
            seed: 0,
            standardize: false,
            test_fraction: 0.25,
        }
    }
}

/// The seeds a training run uses, all derived from its one `seed` s so that they differ:
/// data 4s, split 4s + 1, network 4s + 2, mini-batch shuffling 4s + 3 (wrapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seeds {
    /// Seed of the data set.
    pub data: u64,
    /// Seed of the stratified train/test split.
    pub split: u64,
    /// Seed of the network's weights.
    pub network: u64,
    /// Seed of the mini-batch shuffling.
    pub shuffle: u64,
}

impl Seeds {
    /// The seeds derived from `seed`.
    pub fn from_seed(seed: u64) -> Self {
        let base = seed.wrapping_mul(4);
        Seeds {
            data: base,
            split: base.wrapping_add(1),
            network: base.wrapping_add(2),
            shuffle: base.wrapping_add(3),
        }
    }
}

/// The state of training after one epoch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPoint {
    /// Epochs done (0: at initialization).
    pub epoch: usize,
    /// Mean loss over the training set.
    pub loss: f64,
    /// Fraction of the training set classified correctly.
    pub accuracy: f64,
}

/// The resolved configuration of a run, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainRunConfig {
    /// The options as given, with defaults resolved.
    #[serde(flatten)]
    pub options: TrainOptions,
    /// The widths n_0..n_L of the network.
    pub widths: Vec<usize>,
    /// The seeds derived from `seed`.
    pub seeds: Seeds,
}

/// The result of [`train`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainReport {
    /// The configuration that was run.
    pub config: TrainRunConfig,
    /// Samples in the training part.
    pub train_samples: usize,
    /// Samples in the test part.
    pub test_samples: usize,
    /// Samples per class in the training part.
    pub train_class_counts: Vec<usize>,
    /// The loss of a network that always predicts the training class frequencies: their
    /// entropy, ln(classes) when the classes are balanced. A network that learns nothing
    /// but the output biases ends here.
    pub chance_loss: f64,
    /// The epoch the final figures come from (the last one, or the last before divergence).
    pub final_epoch: usize,
    /// Mean training loss at `final_epoch`.
    pub final_train_loss: f64,
    /// Training accuracy at `final_epoch`.
    pub final_train_accuracy: f64,
    /// Accuracy on the held-out test part, of the network at `final_epoch`.
    pub test_accuracy: f64,
    /// Whether a weight or the loss stopped being finite.
    pub diverged: bool,
    /// The epoch during which the run diverged.
    pub diverged_at_epoch: Option<usize>,
    /// What became non-finite.
    pub divergence_reason: Option<String>,
    /// Fraction of hidden units with a <= 0 on every training sample, at `final_epoch`.
    pub dead_fraction: f64,
    /// Fraction of hidden activations on the training set that are saturated.
    pub saturated_fraction: f64,
    /// Hidden layers (1-based) with at least two units whose units are all identical (same
    /// incoming weights and bias): they compute one function, the symmetry problem.
    pub symmetric_layers: Vec<usize>,
    /// Every epoch, 0 first.
    pub history: Vec<HistoryPoint>,
}

/// Whether all units of a layer share their incoming weights and bias (exactly).
fn units_identical(net: &Mlp, l: usize) -> bool {
    let layer = net.layer(l);
    let first = layer.w.row(0);
    layer.n_out() >= 2
        && layer.w.rows().into_iter().all(|row| row == first)
        && layer.b.iter().all(|&b| b == layer.b[0])
}

/// Train a network on a generated data set. `on_epoch` is called with each epoch done
/// (0 first), for a progress bar.
pub fn train(opts: &TrainOptions, mut on_epoch: impl FnMut(usize)) -> Result<TrainReport, Error> {
    train_observed(opts, |epoch, _, _| on_epoch(epoch))
}

/// [`train`], calling `on_epoch` with each epoch done (0 first), the network after it and
/// the scaler of the features (`None` without `standardize`): the book's explorer draws
/// decision regions from it.
pub fn train_observed(
    opts: &TrainOptions,
    mut on_epoch: impl FnMut(usize, &Mlp, Option<&Standardizer>),
) -> Result<TrainReport, Error> {
    let seeds = Seeds::from_seed(opts.seed);
    let data = match opts.dataset {
        DatasetKind::Blobs => Blobs::new(opts.samples, opts.classes.unwrap_or(4))
            .cluster_std(opts.noise.unwrap_or(1.0))
            .generate(seeds.data)?,
        kind => {
            if let Some(classes) = opts.classes {
                return Err(Error::Invalid(format!(
                    "the number of classes applies to blobs only ({kind} has 2), got {classes}"
                )));
            }
            let noise = opts.noise.unwrap_or(0.1);
            if kind == DatasetKind::Circles {
                make_circles(opts.samples, noise, 0.5, seeds.data)?
            } else {
                make_moons(opts.samples, noise, seeds.data)?
            }
        }
    };
    let mut widths = vec![data.features()];
    widths.extend(&opts.hidden);
    widths.push(data.classes);
    let per_sample: usize = widths.iter().sum();
    check_size(
        "this data set and network",
        4.0 * opts.samples as f64 * per_sample as f64,
    )?;
    let (mut train_set, mut test_set) = stratified_split(&data, opts.test_fraction, seeds.split)?;
    let mut scaler = None;
    if opts.standardize {
        let fitted = Standardizer::fit(&train_set.x)?;
        train_set = train_set.standardized(&fitted)?;
        test_set = test_set.standardized(&fitted)?;
        scaler = Some(fitted);
    }
    let init = opts.init.with_gain(opts.gain)?;
    let mut net = MlpSpec::new(&widths, opts.activation, init).build(seeds.network)?;
    let mut cfg = TrainConfig::new(opts.lr, opts.epochs).momentum(opts.momentum);
    if opts.optimizer == OptimizerKind::Adam {
        cfg = cfg.adam();
    }
    if let Some(size) = opts.batch_size {
        cfg = cfg.mini_batch(size, seeds.shuffle);
    }
    let mut last_good = net.clone();
    let history = train_with(
        &mut net,
        &train_set.x,
        &train_set.y,
        &cfg,
        |record, state| {
            last_good.clone_from(state);
            on_epoch(record.epoch, state, scaler.as_ref());
        },
    )?;
    let loss = Loss::SoftmaxCrossEntropy;
    let last = history.last();
    let test_logits = last_good.predict(&test_set.x)?;
    let test_accuracy = loss.accuracy(&test_logits, &test_set.y);

    let trace = last_good.forward(&train_set.x)?;
    let hidden_layers = 1..last_good.depth();
    let (mut saturated, mut entries, mut dead, mut units) = (0.0, 0usize, 0.0, 0usize);
    for l in hidden_layers.clone() {
        let (a, h) = (trace.a(l), trace.h(l));
        saturated += saturated_fraction(opts.activation, h, SATURATION_THRESHOLD) * h.len() as f64;
        entries += h.len();
        dead += dead_fraction(a) * a.ncols() as f64;
        units += a.ncols();
    }
    let ratio = |x: f64, n: usize| if n == 0 { 0.0 } else { x / n as f64 };
    let counts = train_set.class_counts();
    let n_train = train_set.len() as f64;
    let chance_loss = -counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n_train;
            p * initnet::math::ln(p)
        })
        .sum::<f64>();
    Ok(TrainReport {
        config: TrainRunConfig {
            options: TrainOptions {
                classes: Some(data.classes),
                ..opts.clone()
            },
            widths,
            seeds,
        },
        train_samples: train_set.len(),
        test_samples: test_set.len(),
        train_class_counts: counts,
        chance_loss,
        final_epoch: last.epoch,
        final_train_loss: last.loss,
        final_train_accuracy: last.accuracy,
        test_accuracy,
        diverged: history.diverged.is_some(),
        diverged_at_epoch: history.diverged.as_ref().map(|d| d.epoch),
        divergence_reason: history.diverged.as_ref().map(|d| d.reason.clone()),
        dead_fraction: ratio(dead, units),
        saturated_fraction: ratio(saturated, entries),
        symmetric_layers: hidden_layers
            .filter(|&l| units_identical(&last_good, l))
            .collect(),
        history: history
            .records
            .iter()
            .map(|r| HistoryPoint {
                epoch: r.epoch,
                loss: r.loss,
                accuracy: r.accuracy,
            })
            .collect(),
    })
}

impl TrainReport {
    /// A short readable report (the default output of `initlab train`).
    pub fn to_text(&self) -> String {
        let o = &self.config.options;
        let widths: Vec<String> = self.config.widths.iter().map(|w| w.to_string()).collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({} samples, {} classes), network {} ({}, init {}{}), lr {}{}, {} epochs, {}, seed {}",
            o.dataset,
            o.samples,
            o.classes.unwrap_or(0),
            widths.join("-"),
            o.activation,
            o.init,
            if o.gain != 1.0 {
                format!(" x gain {}", o.gain)
            } else {
                String::new()
            },
            o.lr,
            if o.momentum > 0.0 {
                format!(", momentum {}", o.momentum)
            } else if o.optimizer == OptimizerKind::Adam {
                ", Adam".to_string()
            } else {
                String::new()
            },
            o.epochs,
            o.batch_size
                .map_or("full batch".to_string(), |b| format!("mini-batches of {b}")),
            o.seed,
        );
        let _ = writeln!(
            out,
            "split: {} training / {} test samples (stratified){}\n",
            self.train_samples,
            self.test_samples,
            if o.standardize { ", standardized" } else { "" }
        );
        let _ = writeln!(out, "{:>7}  {:>12}  {:>8}", "epoch", "loss", "accuracy");
        let n = self.history.len();
        let step = (n / 10).max(1);
        for (i, p) in self.history.iter().enumerate() {
            if i % step == 0 || i + 1 == n {
                let _ = writeln!(
                    out,
                    "{:>7}  {:>12}  {:>8.4}",
                    p.epoch,
                    fixed6(p.loss),
                    p.accuracy
                );
            }
        }
        let _ = writeln!(out);
        if let (Some(epoch), Some(reason)) = (self.diverged_at_epoch, &self.divergence_reason) {
            let _ = writeln!(
                out,
                "DIVERGED at epoch {epoch}: {reason}. The figures below are from epoch {}, the last finite state.",
                self.final_epoch
            );
        }
        let _ = writeln!(
            out,
            "final training loss {} (chance level {:.6}), training accuracy {:.4}, test accuracy {:.4}",
            fixed6(self.final_train_loss),
            self.chance_loss,
            self.final_train_accuracy,
            self.test_accuracy
        );
        let _ = writeln!(
            out,
            "hidden layers on the training set: {:.1}% of units with a <= 0 on every sample (dead, for a ReLU), \
             {:.1}% saturated activations",
            100.0 * self.dead_fraction,
            100.0 * self.saturated_fraction
        );
        if !self.symmetric_layers.is_empty() {
            let layers: Vec<String> = self
                .symmetric_layers
                .iter()
                .map(|l| l.to_string())
                .collect();
            let _ = writeln!(
                out,
                "symmetry: every unit of hidden layer(s) {} has the same weights and bias, so they \
                 compute one function",
                layers.join(", ")
            );
        }
        if !self.diverged && (self.final_train_loss - self.chance_loss).abs() < 1e-9 {
            let _ = writeln!(
                out,
                "the loss is stuck at the chance level: the network learned nothing beyond the class frequencies"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_field_of_identity_is_the_variance_product() {
        // Identity layers with Var(w) = 1/n_in keep Var(a) = 1 and Var(dL/da) = 1.
        let widths = [100, 100, 100, 100];
        let p = mean_field(&widths, &Init::lecun_normal(), Activation::Identity, 1.0).unwrap();
        for [pre, sat, grad] in p {
            assert!((pre.unwrap() - 1.0).abs() < 1e-12);
            assert_eq!(sat, Some(0.0));
            assert!((grad.unwrap() - 1.0).abs() < 1e-12);
        }
        // A constant init has a closed form for layer 1 only: Var(a^1) = n_0 c^2.
        let p = mean_field(
            &[4, 3, 3],
            &Init::constant(0.5).unwrap(),
            Activation::Tanh,
            1.0,
        )
        .unwrap();
        assert!((p[0][0].unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(p[1], [None, None, None]);
        // An exploding ReLU stack overflows f64 at layer 2: layer 1 is still predicted,
        // no gradient is.
        let huge = Init::normal(1e120).unwrap();
        let p = mean_field(&[10, 10, 10, 10], &huge, Activation::Relu, 1.0).unwrap();
        // Var(a^1) = n_0 Var(W) = 10 * 1e240.
        assert!(
            (p[0][0].unwrap() / (10f64.sqrt() * 1e120) - 1.0).abs() < 1e-12,
            "{:?}",
            p[0]
        );
        assert_eq!(p[0][2], None);
        assert_eq!(p[1], [None, None, None]);
    }

    #[test]
    fn seeds_differ() {
        let s = Seeds::from_seed(7);
        assert_eq!((s.data, s.split, s.network, s.shuffle), (28, 29, 30, 31));
        let s = Seeds::from_seed(u64::MAX);
        assert_ne!(s.data, s.split);
    }

    #[test]
    fn bad_options_are_typed_errors() {
        let e = layers(&LayersConfig {
            width: 0,
            ..LayersConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "width must be at least 1, got 0");
        let e = layers(&LayersConfig {
            inputs: Some(0),
            ..LayersConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "number of inputs must be at least 1, got 0");
        let e = layers(&LayersConfig {
            depth: 0,
            ..LayersConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "depth must be at least 1, got 0");
        let e = layers(&LayersConfig {
            batch: 0,
            ..LayersConfig::default()
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "batch size must be at least 1, got 0");
        let e = layers(&LayersConfig {
            width: 1 << 20,
            ..LayersConfig::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("GiB"), "{e}");
        let e = train(
            &TrainOptions {
                lr: 0.0,
                epochs: 1,
                ..TrainOptions::default()
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "learning rate must be finite and > 0, got 0");
        let e = train(
            &TrainOptions {
                samples: 3,
                ..TrainOptions::default()
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "make_blobs: 3 samples is fewer than the 4 needed"
        );
        let opts = TrainOptions {
            dataset: DatasetKind::Moons,
            classes: Some(3),
            ..TrainOptions::default()
        };
        assert!(
            train(&opts, |_| {})
                .unwrap_err()
                .to_string()
                .contains("blobs only")
        );
        let e = train(
            &TrainOptions {
                hidden: vec![3, 0],
                ..TrainOptions::default()
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "width of layer 2 must be at least 1, got 0");
    }

    /// `--optimizer adam`: Adam trains the article's problem, and momentum with Adam is an
    /// error naming the value.
    #[test]
    fn adam_trains_and_rejects_momentum() {
        let opts = TrainOptions {
            optimizer: OptimizerKind::Adam,
            lr: 0.05,
            epochs: 200,
            ..TrainOptions::default()
        };
        let r = train(&opts, |_| {}).unwrap();
        assert!(
            r.final_train_loss < 0.5 * r.chance_loss,
            "{}",
            r.final_train_loss
        );
        assert!(r.to_text().contains(", Adam"));
        let e = train(
            &TrainOptions {
                momentum: 0.5,
                ..opts
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "momentum with Adam must be 0 (Adam's momentum is beta1), got 0.5"
        );
        assert_eq!("ADAM".parse::<OptimizerKind>(), Ok(OptimizerKind::Adam));
        assert!("rmsprop".parse::<OptimizerKind>().is_err());
    }

    /// `residual`: the plain network's signal grows by about 3 per block; ReZero's is flat;
    /// bad values are typed errors.
    #[test]
    fn residual_blocks_follow_the_mean_field() {
        let cfg = ResidualConfig {
            blocks: 20,
            width: 64,
            recipe: initnet::Recipe::Plain,
            norm: None,
            batch: 64,
            seed: 1,
        };
        let r = residual(&cfg).unwrap();
        let growth = initnet::math::pow(r.q[20] / r.q[0], 1.0 / 20.0);
        assert!((growth - 3.0).abs() < 0.3, "{growth}");
        assert!(r.to_text().lines().count() == 23);
        let flat = residual(&ResidualConfig {
            recipe: initnet::Recipe::ReZero,
            norm: Some(initnet::NormKind::Layer),
            ..cfg.clone()
        })
        .unwrap();
        assert_eq!(flat.q[20], flat.q[0]);
        assert!(
            residual(&ResidualConfig {
                batch: 0,
                ..cfg.clone()
            })
            .is_err()
        );
        assert!(
            residual(&ResidualConfig {
                blocks: 0,
                ..cfg.clone()
            })
            .is_err()
        );
        let zero_gamma_without_norm = ResidualConfig {
            recipe: initnet::Recipe::ZeroGamma,
            ..cfg
        };
        assert!(
            residual(&zero_gamma_without_norm)
                .unwrap_err()
                .to_string()
                .contains("needs --norm batch or --norm layer")
        );
    }
}

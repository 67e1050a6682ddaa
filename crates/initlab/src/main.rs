//! `initlab`: explore weight initialization from the command line. The logic lives in the
//! library part (`initlab::layers`, `initlab::train`); this file parses flags and prints.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use initlab::{DatasetKind, LayersConfig, OptimizerKind, TrainOptions};
use initnet::{Activation, Init};

const EXAMPLES: &str = "\
Examples:
  initlab layers --init xavier --activation tanh --depth 10 --width 500
  initlab layers --init normal:1.0 --activation tanh        # saturation
  initlab layers --init normal:0.01 --activation tanh       # activations collapse to 0
  initlab layers --init he --activation relu --json
  initlab layers --init orthogonal --activation tanh --depth 16 --width 64 \\
      --batch 1 --jacobian --input-scale 0.1        # near dynamical isometry
  initlab layers --init xavier --activation tanh --depth 30 --seeds 3   # as the book's explorer
  initlab train --dataset blobs --init zeros                # the symmetry problem
  initlab train --dataset moons --hidden 10,5 --activation relu --init he --standardize
  initlab correlation --sigma-w2 4 --sigma-b2 0.05          # the chaotic phase
  initlab train --dataset moons --hidden 16,16,16 --activation relu --optimizer adam --lr 0.01
  initlab residual --blocks 50 --recipe plain               # the signal grows 3x per block
  initlab residual --blocks 50 --recipe zero-gamma --norm batch

Initializers (--init): zeros, constant:C, normal:STD, uniform:LIMIT, lecun-normal,
lecun-uniform, xavier-normal, xavier-uniform, he-normal, he-uniform, orthogonal (also
xavier, he, lecun, glorot-*, kaiming-*, he-normal:ALPHA for a leaky ReLU of slope ALPHA).
Activations (--activation): identity, sigmoid, tanh, relu, leaky-relu:ALPHA, gelu,
gelu-tanh, silu (or swish), elu, elu:ALPHA, selu (with --init lecun: self-normalizing).

Exit status: 0 on success, 2 for a bad flag or unparsable value, 1 for a value the
library rejects (it names the value).";

const LAYERS_ABOUT: &str = "\
Push a batch of standard-normal inputs through a deep MLP at initialization and print
per-layer statistics. Every layer has the same width and activation, biases are zero.
A standard-normal gradient dL/dh^L is then back-propagated from the top, and grad_std is
the standard deviation of dL/da^l in each layer. Beside the measurements, the (mf) columns
give the mean-field predictions (wide-layer limit): Var(a^1) = n_0 Var(W),
Var(a^(l+1)) = n_l Var(W) E[f(a^l)^2], and the matching backward recursion.
The network is drawn from ChaCha8 stream 0 of the seed, the inputs from stream 1, the top
gradient from stream 2. A unit counts as saturated when |tanh| > 0.99 (sigmoid outside
[0.01, 0.99]); a unit is dead when its pre-activation is <= 0 for the whole batch.";

const TRAIN_ABOUT: &str = "\
Train an MLP on a generated data set and report. The output layer is a softmax over the
data set's classes (cross-entropy loss). A stratified test part (--test-fraction of each
class) is held out; --standardize fits the scaler on the training part only. Seeds derive
from --seed s: data 4s, split 4s+1, network 4s+2, mini-batch shuffling 4s+3. A run whose
weights or loss stop being finite stops and reports the epoch; its final figures are from
the last finite epoch.";

/// Explore why weight initialization matters: per-layer statistics of deep networks at
/// initialization, and training runs on toy data sets.
#[derive(Debug, Parser)]
#[command(name = "initlab", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Per-layer statistics of a deep MLP at initialization (forward and backward).
    #[command(long_about = LAYERS_ABOUT, after_help = EXAMPLES)]
    Layers(LayersArgs),
    /// Train on a generated data set (blobs, circles, moons) and report.
    #[command(long_about = TRAIN_ABOUT, after_help = EXAMPLES)]
    Train(TrainArgs),
    /// Two inputs through a deep MLP: their correlation by layer, measured and from the
    /// mean field, and q*, c*, chi_1, xi_q, xi_c of the setting.
    #[command(long_about = CORRELATION_ABOUT, after_help = EXAMPLES)]
    Correlation(CorrelationArgs),
    /// Per-block statistics of a residual network at initialization (two ReLU layers per
    /// branch), with the mean field's prediction.
    #[command(after_help = EXAMPLES)]
    Residual(ResidualArgs),
}

const CORRELATION_ABOUT: &str = "\
Feed two inputs of correlation --c0 (unit second moment per feature) through one network
of --depth layers of --width units, weights N(0, sigma_w^2/n_in), biases N(0, sigma_b^2),
and print, per layer, the second moment q and the correlation c of the two
pre-activations, measured over the units and from the mean field's length and
correlation maps (Poole et al. 2016, Schoenholz et al. 2017). For tanh it also prints the
fixed points q* and c*, chi_1 (below 1 ordered, above 1 chaotic), the depth scales xi_q and
xi_c, and the critical sigma_w^2 at this sigma_b^2.";

#[derive(Debug, Args)]
struct CorrelationArgs {
    /// sigma_w^2 = n_in Var(W) (the gain squared).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    sigma_w2: f64,
    /// sigma_b^2 = Var(b).
    #[arg(long, default_value_t = 0.05, allow_negative_numbers = true)]
    sigma_b2: f64,
    /// Activation of every layer.
    #[arg(long, default_value = "tanh", value_parser = parse_activation)]
    activation: Activation,
    /// Number of layers.
    #[arg(long, default_value_t = 30)]
    depth: usize,
    /// Units per layer (and input features).
    #[arg(long, default_value_t = 200)]
    width: usize,
    /// Correlation of the two inputs, in [-1, 1].
    #[arg(long, default_value_t = 0.5, allow_negative_numbers = true)]
    c0: f64,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ResidualArgs {
    /// Number of blocks L.
    #[arg(long, default_value_t = 50)]
    blocks: usize,
    /// Width of every block.
    #[arg(long, default_value_t = 64)]
    width: usize,
    /// How the blocks start: plain, scaled (alpha = 1/sqrt(L)), fixup, rezero, zero-gamma.
    #[arg(long, default_value = "plain", value_parser = |s: &str| s.parse::<initnet::Recipe>())]
    recipe: initnet::Recipe,
    /// Normalization after each branch layer: batch or layer [default: none].
    #[arg(long, value_parser = |s: &str| s.parse::<initnet::NormKind>())]
    norm: Option<initnet::NormKind>,
    /// Samples in the batch.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn parse_init(s: &str) -> Result<Init, initnet::Error> {
    s.parse()
}

fn parse_activation(s: &str) -> Result<Activation, initnet::Error> {
    s.parse()
}

#[derive(Debug, Args)]
struct LayersArgs {
    /// Weight initializer.
    #[arg(long, default_value = "xavier-normal", value_parser = parse_init)]
    init: Init,
    /// Activation of every layer.
    #[arg(long, default_value = "tanh", value_parser = parse_activation)]
    activation: Activation,
    /// Number of layers L.
    #[arg(long, default_value_t = 10)]
    depth: usize,
    /// Units per layer.
    #[arg(long, default_value_t = 500)]
    width: usize,
    /// Number of inputs n_0 [default: the width].
    #[arg(long)]
    inputs: Option<usize>,
    /// Samples in the batch.
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Seed of the weights, inputs and top gradient.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Multiply every weight by this.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    gain: f64,
    /// The inputs are this times standard-normal draws.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    input_scale: f64,
    /// Run this many seeds (--seed, --seed + 1, ...) and print the mean and spread of each
    /// statistic over them, as the book's explorer shows them.
    #[arg(long)]
    seeds: Option<usize>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also print the input-output Jacobian's singular-value summary at one input (the
    /// batch's first, times --input-scale) beside the mean field's prediction.
    #[arg(long)]
    jacobian: bool,
}

#[derive(Debug, Args)]
struct TrainArgs {
    /// Data set: blobs, circles or moons.
    #[arg(long, default_value = "blobs", value_parser = |s: &str| s.parse::<DatasetKind>())]
    dataset: DatasetKind,
    /// Number of samples before the split.
    #[arg(long, default_value_t = 400)]
    samples: usize,
    /// cluster_std for blobs [default: 1]; Gaussian noise for circles and moons [default: 0.1].
    #[arg(long, allow_negative_numbers = true)]
    noise: Option<f64>,
    /// Number of classes (blobs only) [default: 4].
    #[arg(long)]
    classes: Option<usize>,
    /// Hidden widths, comma-separated: the article's network has one hidden layer of 2.
    #[arg(long, value_delimiter = ',', default_value = "2")]
    hidden: Vec<usize>,
    /// Activation of the hidden layers.
    #[arg(long, default_value = "tanh", value_parser = parse_activation)]
    activation: Activation,
    /// Weight initializer of every layer.
    #[arg(long, default_value = "xavier-normal", value_parser = parse_init)]
    init: Init,
    /// Multiply every weight by this.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    gain: f64,
    /// Learning rate.
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    lr: f64,
    /// Number of epochs.
    #[arg(long, default_value_t = 1000)]
    epochs: usize,
    /// Mini-batch size [default: full batch].
    #[arg(long)]
    batch_size: Option<usize>,
    /// Classical momentum, in [0, 1).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    momentum: f64,
    /// Update rule: sgd (gradient descent, with --momentum) or adam (PyTorch's defaults,
    /// learning rate --lr).
    #[arg(long, default_value = "sgd", value_parser = |s: &str| s.parse::<OptimizerKind>())]
    optimizer: OptimizerKind,
    /// Seed every random choice derives from.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Standardize the features (fitted on the training part).
    #[arg(long)]
    standardize: bool,
    /// Fraction of each class held out for testing, in (0, 1).
    #[arg(long, default_value_t = 0.25, allow_negative_numbers = true)]
    test_fraction: f64,
    /// Print JSON instead of a report.
    #[arg(long)]
    json: bool,
}

fn run(cli: Cli) -> Result<String, Box<dyn std::error::Error>> {
    Ok(match cli.command {
        Command::Layers(a) => {
            let cfg = LayersConfig {
                init: a.init,
                activation: a.activation,
                depth: a.depth,
                width: a.width,
                inputs: a.inputs,
                batch: a.batch,
                seed: a.seed,
                gain: a.gain,
                input_scale: a.input_scale,
            };
            if let Some(count) = a.seeds {
                let report = initlab::layers_over_seeds(&cfg, count)?;
                return Ok(if a.json {
                    serde_json::to_string_pretty(&report)? + "\n"
                } else {
                    report.to_text()
                });
            }
            let report = initlab::layers(&cfg)?;
            let jacobian = if a.jacobian {
                Some(initlab::jacobian::jacobian(&cfg, a.input_scale)?)
            } else {
                None
            };
            match (a.json, jacobian) {
                (true, None) => serde_json::to_string_pretty(&report)? + "\n",
                (true, Some(j)) => {
                    let both = serde_json::json!({ "layers": report, "jacobian": j });
                    serde_json::to_string_pretty(&both)? + "\n"
                }
                (false, None) => report.to_text(),
                (false, Some(j)) => report.to_text() + "\n" + &j.to_text(),
            }
        }
        Command::Correlation(a) => {
            let cfg = initlab::correlation::CorrelationConfig {
                sigma_w2: a.sigma_w2,
                sigma_b2: a.sigma_b2,
                activation: a.activation,
                depth: a.depth,
                width: a.width,
                c0: a.c0,
                seed: a.seed,
            };
            let report = initlab::correlation::correlation(&cfg)?;
            if a.json {
                serde_json::to_string_pretty(&report)? + "\n"
            } else {
                report.to_text()
            }
        }
        Command::Residual(a) => {
            let report = initlab::residual(&initlab::ResidualConfig {
                blocks: a.blocks,
                width: a.width,
                recipe: a.recipe,
                norm: a.norm,
                batch: a.batch,
                seed: a.seed,
            })?;
            if a.json {
                serde_json::to_string_pretty(&report)? + "\n"
            } else {
                report.to_text()
            }
        }
        Command::Train(a) => {
            let opts = TrainOptions {
                dataset: a.dataset,
                samples: a.samples,
                noise: a.noise,
                classes: a.classes,
                hidden: a.hidden,
                activation: a.activation,
                init: a.init,
                gain: a.gain,
                lr: a.lr,
                epochs: a.epochs,
                batch_size: a.batch_size,
                momentum: a.momentum,
                optimizer: a.optimizer,
                seed: a.seed,
                standardize: a.standardize,
                test_fraction: a.test_fraction,
            };
            let bar = if std::io::stderr().is_terminal() {
                let bar = ProgressBar::new(opts.epochs as u64);
                if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} epochs {eta}")
                {
                    bar.set_style(style);
                }
                bar
            } else {
                ProgressBar::hidden()
            };
            let report = initlab::train(&opts, |epoch| bar.set_position(epoch as u64));
            bar.finish_and_clear();
            let report = report?;
            if a.json {
                serde_json::to_string_pretty(&report)? + "\n"
            } else {
                report.to_text()
            }
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (initlab ... | head) is not an error worth a message.
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

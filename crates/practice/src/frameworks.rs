//! What the frameworks do by default, as variances: each framework's documented law,
//! its variance in closed form, initnet's closed form for the same law, and the variance
//! of a large sample drawn by initnet.

use initnet::{BiasInit, Init};

use book::Result;

/// One framework default.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkRow {
    /// Framework and layer, e.g. "PyTorch nn.Linear W".
    pub what: &'static str,
    /// The documented law, as the table prints it.
    pub law: &'static str,
    /// (fan-in, fan-out) of the example layer.
    pub fans: (usize, usize),
    /// The variance from the documented formula.
    pub documented: f64,
    /// initnet's closed form for the law it samples.
    pub closed_form: f64,
    /// Variance of a sample of `samples` values drawn by initnet.
    pub sampled: f64,
    /// How many values were drawn.
    pub samples: usize,
    /// Excess kurtosis of the law (-1.2 uniform, 0 normal): the sampled variance has
    /// relative standard deviation √((2 + kurtosis) / samples).
    pub kurtosis: f64,
}

impl FrameworkRow {
    /// The sampled variance's deviation from the documented one, in units of its
    /// standard deviation.
    pub fn z(&self) -> f64 {
        let sd = self.documented * ((2.0 + self.kurtosis) / self.samples as f64).sqrt();
        (self.sampled - self.documented) / sd
    }
}

/// The example layer: 256 inputs, 256 outputs; the convolution has 16 input and 64
/// output channels and a 3×3 kernel (fan-in 16·9 = 144, fan-out 64·9 = 576).
pub const DENSE: (usize, usize) = (256, 256);
/// (C_in, C_out, k) of the example convolution.
pub const CONV: (usize, usize, usize) = (16, 64, 3);

enum Law {
    Weights(Init),
    Bias(BiasInit),
}

fn sampled(law: &Law, fans: (usize, usize), seed: u64) -> Result<(f64, usize)> {
    let mut rng = initnet::rng(seed);
    let values: Vec<f64> = match law {
        // Rows n_out, columns n_in; 256 independent matrices for the bias.
        Law::Weights(init) => {
            let mut v = vec![];
            for _ in 0..4 {
                v.extend(init.sample(fans.0, fans.1, &mut rng)?.iter().copied());
            }
            v
        }
        Law::Bias(b) => {
            let mut v = vec![];
            for _ in 0..256 {
                v.extend(b.sample(fans.0, fans.1, &mut rng)?.iter().copied());
            }
            v
        }
    };
    let n = values.len();
    // Every law here has mean 0: the second moment is the variance.
    Ok((values.iter().map(|v| v * v).sum::<f64>() / n as f64, n))
}

/// The variance of U(-bound, bound): bound²/3.
fn uniform_variance(bound: f64) -> f64 {
    bound * bound / 3.0
}

/// The variance of PyTorch's `kaiming_uniform_(w, a)` with the default
/// `nonlinearity="leaky_relu"`, from its documented formula: gain √(2/(1+a²)) (the
/// `calculate_gain` row of the leaky ReLU), bound gain·√(3/fan_in). `nn.Linear` and
/// `nn.Conv2d` call it with `a = √5`.
fn kaiming_uniform_variance(a: f64, fan_in: usize) -> f64 {
    let gain = (2.0 / (1.0 + a * a)).sqrt();
    uniform_variance(gain * (3.0 / fan_in as f64).sqrt())
}

/// (name, law, fans, documented variance, sampler, excess kurtosis).
type RowSpec = (&'static str, &'static str, (usize, usize), f64, Law, f64);

/// The framework table, sampled from `seed`.
pub fn framework_table(seed: u64) -> Result<Vec<FrameworkRow>> {
    let (n, m) = DENSE;
    let (c_in, c_out, k) = CONV;
    let (conv_in, conv_out) = (c_in * k * k, c_out * k * k);
    let third = 1.0 / 3.0f64.sqrt();
    let u = r"$\mathcal U(\pm 1/\sqrt{n_\text{in}})$";
    let rows: Vec<RowSpec> = vec![
        (
            "PyTorch nn.Linear, W",
            u,
            (n, m),
            kaiming_uniform_variance(5.0f64.sqrt(), n),
            Law::Weights(Init::lecun_uniform().with_gain(third)?),
            -1.2,
        ),
        (
            "PyTorch nn.Linear, b",
            u,
            (n, m),
            uniform_variance(1.0 / (n as f64).sqrt()),
            Law::Bias(BiasInit::FanInUniform),
            -1.2,
        ),
        (
            "PyTorch nn.Conv2d, W",
            r"$\mathcal U(\pm 1/\sqrt{C_\text{in} k^2})$",
            (conv_in, conv_out),
            kaiming_uniform_variance(5.0f64.sqrt(), conv_in),
            Law::Weights(Init::lecun_uniform().with_gain(third)?),
            -1.2,
        ),
        (
            "PyTorch nn.Embedding",
            r"$\mathcal N(0, 1)$",
            (n, m),
            1.0,
            Law::Weights(Init::normal(1.0)?),
            0.0,
        ),
        (
            "Keras Dense, W",
            "`glorot_uniform`",
            (n, m),
            2.0 / (n + m) as f64,
            Law::Weights(Init::xavier_uniform()),
            -1.2,
        ),
        (
            "Keras Conv2D, W",
            "`glorot_uniform`",
            (conv_in, conv_out),
            2.0 / (conv_in + conv_out) as f64,
            Law::Weights(Init::xavier_uniform()),
            -1.2,
        ),
        (
            "Keras Embedding",
            r"$\mathcal U(\pm 0.05)$",
            (n, m),
            uniform_variance(0.05),
            Law::Weights(Init::uniform(0.05)?),
            -1.2,
        ),
        (
            "Flax Dense, W",
            "`lecun_normal`",
            (n, m),
            1.0 / n as f64,
            Law::Weights(Init::lecun_normal()),
            0.0,
        ),
        (
            "GPT-2, most weights",
            r"$\mathcal N(0, 0.02^2)$",
            (n, m),
            0.02 * 0.02,
            Law::Weights(Init::normal(0.02)?),
            0.0,
        ),
    ];
    rows.into_iter()
        .enumerate()
        .map(|(i, (what, law, fans, documented, sampler, kurtosis))| {
            let closed_form = match &sampler {
                Law::Weights(init) => init.variance(fans.0, fans.1),
                Law::Bias(b) => b.variance(fans.0),
            };
            let (sampled, samples) = sampled(&sampler, fans, seed.wrapping_add(i as u64))?;
            Ok(FrameworkRow {
                what,
                law,
                fans,
                documented,
                closed_form,
                sampled,
                samples,
                kurtosis,
            })
        })
        .collect()
}

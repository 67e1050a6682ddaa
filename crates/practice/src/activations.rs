//! Today's activations: the gain that keeps the signal's variance q fixed, how it moves
//! with q, whether that fixed point attracts, and SELU's self-normalizing fixed point
//! measured in a deep stack.

use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, Init, MlpSpec, ndarray::Array2};

use book::Result;

/// The activations of the chapter's gain table, in its order.
pub const ACTIVATIONS: [Activation; 7] = [
    Activation::Tanh,
    Activation::Relu,
    Activation::Gelu,
    Activation::GeluTanh,
    Activation::Silu,
    Activation::Elu(1.0),
    Activation::Selu,
];

/// The scales q of the gain table.
pub const TABLE_QS: [f64; 3] = [0.1, 1.0, 10.0];

/// PyTorch's `torch.nn.init.calculate_gain` for an activation, as its documentation's
/// table gives it (`linear` and the sigmoid 1, `tanh` 5/3, `relu` √2, `leaky_relu`
/// √(2/(1 + slope²)), `selu` 3/4); None where the table has no row (GELU, SiLU, ELU).
pub fn pytorch_gain(activation: Activation) -> Option<f64> {
    match activation {
        Activation::Identity | Activation::Sigmoid => Some(1.0),
        Activation::Tanh => Some(5.0 / 3.0),
        Activation::Relu => Some(std::f64::consts::SQRT_2),
        Activation::LeakyRelu(a) => Some((2.0 / (1.0 + a * a)).sqrt()),
        Activation::Selu => Some(0.75),
        Activation::Gelu | Activation::GeluTanh | Activation::Silu | Activation::Elu(_) => None,
    }
}

/// One row of the gain table.
#[derive(Debug, Clone, PartialEq)]
pub struct GainRow {
    /// The activation.
    pub activation: Activation,
    /// The gain g(q) that keeps q fixed, at each of [`TABLE_QS`].
    pub gains: Vec<f64>,
    /// The slope of the length map at its fixed point q = 1: below 1 attracts.
    pub slope: f64,
    /// What PyTorch's `calculate_gain` returns, if it knows the activation.
    pub pytorch: Option<f64>,
}

/// The gain table: for each of [`ACTIVATIONS`], g(q) at [`TABLE_QS`] ([`theory::fixed_point_gain`]),
/// the slope at q = 1 ([`theory::fixed_point_slope`]) and PyTorch's value.
pub fn gain_table() -> Result<Vec<GainRow>> {
    ACTIVATIONS
        .iter()
        .map(|&activation| {
            Ok(GainRow {
                activation,
                gains: TABLE_QS
                    .iter()
                    .map(|&q| theory::fixed_point_gain(activation, q))
                    .collect::<initnet::Result<_>>()?,
                slope: theory::fixed_point_slope(activation, 1.0)?,
                pytorch: pytorch_gain(activation),
            })
        })
        .collect()
}

/// The scales of the gain chart: `points` values of q spaced evenly in log between 10⁻²
/// and 10².
pub fn chart_qs(points: usize) -> Vec<f64> {
    (0..points)
        .map(|i| {
            let t = -2.0 + 4.0 * i as f64 / (points - 1).max(1) as f64;
            initnet::math::pow(10.0, t)
        })
        .collect()
}

/// g(q) for one activation at each q.
pub fn gain_curve(activation: Activation, qs: &[f64]) -> Result<Vec<f64>> {
    Ok(qs
        .iter()
        .map(|&q| theory::fixed_point_gain(activation, q))
        .collect::<initnet::Result<_>>()?)
}

/// A deep stack of equal width with zero biases, fed N(0, 1) inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stack {
    /// Units per layer (and input features).
    pub width: usize,
    /// Layers.
    pub depth: usize,
    /// Inputs in the batch.
    pub batch: usize,
    /// The variance q¹ of the first layer's pre-activations: the inputs are N(0, q¹/g²)
    /// for a gain g.
    pub q1: f64,
}

impl Stack {
    /// The chapter's stack: 96 wide, 16 deep, a batch of 96, q¹ = 1.
    pub const fn chapter() -> Self {
        Stack {
            width: 96,
            depth: 16,
            batch: 96,
            q1: 1.0,
        }
    }

    /// The same stack started at q¹ = `q1`.
    pub const fn with_q1(self, q1: f64) -> Self {
        Stack { q1, ..self }
    }
}

/// One network's activations, layer by layer.
#[derive(Debug, Clone, PartialEq)]
pub struct StackRun {
    /// Mean of hˡ over the batch and the units, l = 1..L.
    pub mean: Vec<f64>,
    /// Variance of aˡ (the pre-activations, mean removed) over the batch and the units.
    pub q: Vec<f64>,
    /// Variance of hˡ (mean removed) over the batch and the units.
    pub var: Vec<f64>,
}

/// One run per seed: `activation` with weights N(0, g²/n_in) (g = `gain`, LeCun normal
/// for g = 1) and zero biases, fed a batch of N(0, q¹/g²) inputs drawn from the seed, so
/// that the first layer's pre-activations have variance q¹ in expectation.
pub fn stack_runs(
    stack: Stack,
    activation: Activation,
    gain: f64,
    seeds: &[u64],
) -> Result<Vec<StackRun>> {
    if seeds.is_empty() {
        return Err(book::Error::NoSeeds);
    }
    let init = Init::lecun_normal().with_gain(gain)?;
    let widths = vec![stack.width; stack.depth + 1];
    let input_std = stack.q1.sqrt() / gain;
    seeds
        .iter()
        .map(|&seed| {
            let net = MlpSpec::new(&widths, activation, init)
                .output(activation)
                .build(seed)?;
            let mut rng = initnet::rng(seed ^ 0x5eed_da7a);
            let x = Array2::from_shape_simple_fn((stack.batch, stack.width), || {
                input_std * StandardNormal.sample(&mut rng)
            });
            let trace = net.forward(&x)?;
            let (mut mean, mut q, mut var) = (vec![], vec![], vec![]);
            for l in 1..=stack.depth {
                let (m, s) = initnet::mean_std(trace.h(l));
                let (_, sa) = initnet::mean_std(trace.a(l));
                mean.push(m);
                var.push(s * s);
                q.push(sa * sa);
            }
            Ok(StackRun { mean, q, var })
        })
        .collect()
}

/// The mean field's q¹, ..., q^L for a stack: q¹, then the q-map with σ_w² = g²
/// ([`theory::q_trajectory`]).
pub fn predicted_q(stack: Stack, activation: Activation, gain: f64) -> Result<Vec<f64>> {
    let g2 = gain * gain;
    Ok(theory::q_trajectory(
        activation,
        g2,
        0.0,
        stack.q1,
        stack.depth,
    )?)
}

/// One case of the fixed-point experiment: (activation, gain, q¹, runs over seeds,
/// predicted q by layer).
pub type FixedPointCase = (Activation, f64, f64, Vec<StackRun>, Vec<f64>);

/// The fixed-point experiment: SELU with LeCun weights and GELU with its gain g(1), each
/// from a small, unit and large input scale.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedPointStudy {
    /// (activation, gain, q¹, runs over seeds, predicted q by layer).
    pub cases: Vec<FixedPointCase>,
}

/// The starting variances q¹ of the fixed-point experiment.
pub const Q1S: [f64; 3] = [0.25, 1.0, 4.0];

/// Run the fixed-point experiment over `seeds`.
pub fn fixed_point_study(stack: Stack, seeds: &[u64]) -> Result<FixedPointStudy> {
    let gelu_gain = theory::fixed_point_gain(Activation::Gelu, 1.0)?;
    let mut cases = vec![];
    for (activation, gain) in [(Activation::Selu, 1.0), (Activation::Gelu, gelu_gain)] {
        for s in Q1S {
            let st = stack.with_q1(s);
            cases.push((
                activation,
                gain,
                s,
                stack_runs(st, activation, gain, seeds)?,
                predicted_q(st, activation, gain)?,
            ));
        }
    }
    Ok(FixedPointStudy { cases })
}

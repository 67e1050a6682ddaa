//! LSUV (Mishkin and Matas, 2016) on a deep stack with Gaussian pre-init, against the
//! mean field's gain g(1) that keeps a unit variance fixed.

use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, Init, MlpSpec, ndarray::Array2};

use book::Result;

use crate::activations::Stack;

/// The activations LSUV is run for, in the chapter's order.
pub const LSUV_ACTIVATIONS: [Activation; 4] = [
    Activation::Tanh,
    Activation::Relu,
    Activation::Gelu,
    Activation::Selu,
];

/// LSUV's tolerance on the variance (Mishkin and Matas use 0.1; a tight one makes the
/// factors comparable with the mean field to three digits).
pub const TOL: f64 = 1e-3;

/// LSUV's iteration cap per layer (theirs is 10).
pub const MAX_ITER: usize = 20;

/// LSUV's factors for one activation over seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct LsuvStudy {
    /// The activation.
    pub activation: Activation,
    /// Per seed, the total factor of each hidden layer (layer 1 first).
    pub factors: Vec<Vec<f64>>,
    /// The most rescalings any layer needed.
    pub max_iterations: usize,
    /// The mean field's g(1) ([`theory::fixed_point_gain`]): LSUV's factor for layers 2 and up.
    pub predicted: f64,
}

impl LsuvStudy {
    /// The factors of layers 2 and up, every seed.
    pub fn deep_factors(&self) -> Vec<f64> {
        self.factors.iter().flat_map(|f| f[1..].to_vec()).collect()
    }
}

/// Run LSUV on a `stack` (LeCun normal pre-init, N(0, 1) inputs, zero biases; the hidden
/// layers are layers 1..depth, a linear output layer of 10 units sits on top) for each
/// seed.
pub fn lsuv_study(stack: Stack, activation: Activation, seeds: &[u64]) -> Result<LsuvStudy> {
    if seeds.is_empty() {
        return Err(book::Error::NoSeeds);
    }
    let mut widths = vec![stack.width; stack.depth + 1];
    widths.push(10);
    let mut factors = vec![];
    let mut max_iterations = 0;
    for &seed in seeds {
        let mut net = MlpSpec::new(&widths, activation, Init::lecun_normal()).build(seed)?;
        let mut rng = initnet::rng(seed ^ 0x1503_0001);
        let x = Array2::from_shape_simple_fn((stack.batch, stack.width), || {
            StandardNormal.sample(&mut rng)
        });
        let layers = initnet::lsuv(&mut net, &x, TOL, MAX_ITER)?;
        max_iterations = layers
            .iter()
            .map(|l| l.iterations)
            .fold(max_iterations, usize::max);
        factors.push(layers.iter().map(|l| l.factor).collect());
    }
    Ok(LsuvStudy {
        activation,
        factors,
        max_iterations,
        predicted: theory::fixed_point_gain(activation, 1.0)?,
    })
}

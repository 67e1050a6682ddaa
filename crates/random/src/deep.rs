//! The activation-statistics experiment of CS231n: a batch of standard-normal inputs
//! through a deep stack of wide tanh layers, with small and with N(0, 1) weights, beside
//! the mean-field prediction of every layer's variance, forward and backward.

use initnet::kernels::matmul;
use initnet::ndarray::Array2;
use initnet::{
    Activation, BiasInit, Dense, Error, Histogram, Init, Mlp, mean_std, rng, saturated_fraction,
};

use book::memo::{Memo, per_seed};

use crate::width::THRESHOLD;

/// The shape of the experiment: `depth` tanh layers of `width` units, weights
/// N(0, s^2), zero biases, a batch of `batch` standard-normal inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stack {
    /// Units per layer n (also the input dimension).
    pub width: usize,
    /// Number of layers L.
    pub depth: usize,
    /// Number of inputs in the batch.
    pub batch: usize,
    /// Standard deviation of every weight.
    pub weight_std: f64,
}

impl Stack {
    /// CS231n's setting: 10 layers of 500 tanh units, a batch of 1000, weights N(0, s^2).
    pub fn cs231n(weight_std: f64) -> Self {
        Stack {
            width: 500,
            depth: 10,
            batch: 1000,
            weight_std,
        }
    }

    fn check(&self) -> Result<(), Error> {
        for (what, v) in [
            ("width of a layer", self.width),
            ("number of layers", self.depth),
            ("batch size", self.batch),
        ] {
            if v == 0 {
                return Err(Error::Zero { what: what.into() });
            }
        }
        Init::normal(self.weight_std)?;
        Ok(())
    }
}

/// Number of histogram bins over [-1, 1] for the activations h^l.
pub const BINS: usize = 40;

/// What one layer of one run looks like.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerRecord {
    /// Layer number l (1-based).
    pub layer: usize,
    /// Standard deviation of the pre-activation a^l.
    pub a_std: f64,
    /// Mean of the activation h^l.
    pub h_mean: f64,
    /// Standard deviation of h^l.
    pub h_std: f64,
    /// Fraction of units with |h| > 0.99.
    pub saturated: f64,
    /// Standard deviation of the back-propagated gradient dL/da^l.
    pub grad_a_std: f64,
    /// Standard deviation of the back-propagated gradient dL/dh^l.
    pub grad_h_std: f64,
    /// Histogram of h^l over [-1, 1] with [`BINS`] bins.
    pub histogram: Histogram,
}

/// One run of the experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The setting.
    pub stack: Stack,
    /// The seed of the inputs, the weights and the injected gradient.
    pub seed: u64,
    /// Layers 1..=L.
    pub layers: Vec<LayerRecord>,
}

/// Run the experiment once. One generator seeded with `seed` draws, in order, the
/// inputs x (batch x n, N(0, 1)), the weights W^1..W^L (N(0, s^2), row by row),
/// and the gradient injected at the top: dL/dh^L with entries N(0, 1), independent of
/// everything else. (A standard-normal gradient rather than a real loss: it isolates
/// what the layers do to a gradient from what a loss happens to send down.)
///
/// Computed once per process for each (stack, seed) ([`book::memo`]): the chapter's claims,
/// figures and code blocks ask for the same runs.
pub fn run(stack: Stack, seed: u64) -> Result<Run, Error> {
    static RUNS: Memo<(Stack, u64), Run> = Memo::new();
    RUNS.get_or_run((stack, seed), || Ok(compute(stack, seed)?.0))
}

/// [`run`] for every seed, in their order, the seeds on every core ([`per_seed`]).
pub fn runs(stack: Stack, seeds: &[u64]) -> Result<Vec<Run>, Error> {
    per_seed(seeds, |seed| run(stack, seed))
}

/// [`run`], also returning the activations h^1..h^L themselves (each batch x n), for
/// drawing their histograms (also computed once per process for each stack and seed).
pub fn run_with_activations(stack: Stack, seed: u64) -> Result<(Run, Vec<Array2<f64>>), Error> {
    type WithActivations = (Run, Vec<Array2<f64>>);
    static RUNS: Memo<(Stack, u64), WithActivations> = Memo::new();
    RUNS.get_or_run((stack, seed), || compute(stack, seed))
}

fn compute(stack: Stack, seed: u64) -> Result<(Run, Vec<Array2<f64>>), Error> {
    let (mut r, x, net) = build(stack, seed)?;
    let trace = net.forward(&x)?;
    let top = initnet::random::normal_matrix((stack.batch, stack.width), 1.0, &mut r)?;
    // The gradients da and dh of every layer (not the weights' gradients: no step is taken).
    let (da, dh) = net.signals_from(&trace, stack.depth, &top)?;
    let layers = (1..=stack.depth)
        .map(|l| {
            let (h_mean, h_std) = mean_std(trace.h(l));
            LayerRecord {
                layer: l,
                a_std: mean_std(trace.a(l)).1,
                h_mean,
                h_std,
                saturated: saturated_fraction(Activation::Tanh, trace.h(l), THRESHOLD),
                grad_a_std: mean_std(&da[l - 1]).1,
                grad_h_std: mean_std(&dh[l - 1]).1,
                histogram: Histogram::new(trace.h(l), BINS, -1.0, 1.0),
            }
        })
        .collect();
    Ok((
        Run {
            stack,
            seed,
            layers,
        },
        trace.post,
    ))
}

/// The generator after its draws, the inputs and the network of one run (see [`run`]).
fn build(stack: Stack, seed: u64) -> Result<(initnet::Rng, Array2<f64>, Mlp), Error> {
    stack.check()?;
    let mut r = rng(seed);
    let x = initnet::random::normal_matrix((stack.batch, stack.width), 1.0, &mut r)?;
    let init = Init::normal(stack.weight_std)?;
    let layers = (0..stack.depth)
        .map(|_| {
            Dense::init(
                stack.width,
                stack.width,
                Activation::Tanh,
                init,
                BiasInit::Zeros,
                &mut r,
            )
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok((r, x, Mlp::from_layers(layers)?))
}

/// How far the stack of one run (the same inputs and weights as [`run`]) is from the
/// linear map it would be without tanh: the relative Frobenius distance
/// |h^L - x (W^1)^T ... (W^L)^T| / |x (W^1)^T ... (W^L)^T| over the batch. With tiny
/// weights tanh(a) = a - a^3/3 + ..., so the distance is of the order of the first layer's
/// q^1 (the later layers are smaller still): the stack is a small, nearly linear map of
/// full rank (a product of Gaussian matrices is invertible with probability one), not a
/// map that forgets its input.
pub fn linear_deviation(stack: Stack, seed: u64) -> Result<f64, Error> {
    let (_, x, net) = build(stack, seed)?;
    let trace = net.forward(&x)?;
    let mut linear = x;
    for l in 1..=net.depth() {
        linear = matmul(&linear, &net.layer(l).w.t());
    }
    let top = trace.h(stack.depth);
    let gap: f64 = top
        .iter()
        .zip(&linear)
        .map(|(h, y)| (h - y) * (h - y))
        .sum();
    let size: f64 = linear.iter().map(|y| y * y).sum();
    Ok((gap / size).sqrt())
}

/// The mean-field prediction of every layer, for an infinitely wide stack.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanField {
    /// q^l = Var(a^l), l = 1..=L.
    pub q: Vec<f64>,
    /// E[h^2] = E[tanh(a^l)^2], l = 1..=L.
    pub h_second_moment: Vec<f64>,
    /// Var(dL/da^l), l = 1..=L, for a gradient of variance 1 injected at dL/dh^L.
    pub grad_a_var: Vec<f64>,
    /// Var(dL/dh^l), l = 1..=L.
    pub grad_h_var: Vec<f64>,
    /// χ₁ of every layer, the factor on the gradient's variance,
    /// g^2 E[tanh'(a^l)^2] = n v E[tanh'(a^l)^2] (v = s^2 the weights' variance), l = 1..=L.
    pub chi: Vec<f64>,
}

/// The mean-field recursion, with fan-in n = `stack.width`, bias variance `sigma_b2`
/// and inputs of second moment `q0` = E[x^2] (1 for standard-normal inputs):
///
/// q^1 = g^2 q0 + sigma_b^2,  q^l = g^2 E[tanh(sqrt(q^{l-1}) Z)^2] + sigma_b^2,  g^2 = n v,
///
/// and backward, under the gradient-independence assumption (the W^l of the backward pass
/// behaves as if drawn independently of the forward pass),
///
/// Var(dL/da^l) = E[tanh'(a^l)^2] Var(dL/dh^l),  Var(dL/dh^{l-1}) = g^2 Var(dL/da^l),
///
/// so Var(dL/da^{l-1}) = chi_1 Var(dL/da^l) with chi_1 = g^2 E[tanh'(a^{l-1})^2]
///
/// starting from Var(dL/dh^L) = 1. The q-map, chi and their Gaussian expectations are the
/// [`theory`] crate's ([`theory::q_trajectory`], [`theory::chi`]).
pub fn mean_field(stack: Stack, sigma_b2: f64, q0: f64) -> Result<MeanField, Error> {
    stack.check()?;
    for (name, v) in [("bias variance", sigma_b2), ("input second moment", q0)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::OutOfRange {
                name,
                expected: "finite and >= 0",
                value: v,
            });
        }
    }
    let tanh = Activation::Tanh;
    // The gain squared, g^2 = n v.
    let g2 = stack.weight_std * stack.weight_std * stack.width as f64;
    let q = theory::q_trajectory(tanh, g2, sigma_b2, g2 * q0 + sigma_b2, stack.depth)?;
    // E[tanh(a)^2] is the q-map at gain 1 and no bias; E[tanh'(a)^2] is chi's.
    let h2 = q
        .iter()
        .map(|&q| theory::q_map(tanh, 1.0, 0.0, q))
        .collect::<Result<Vec<f64>, Error>>()?;
    let d2 = q
        .iter()
        .map(|&q| theory::chi(tanh, 1.0, q))
        .collect::<Result<Vec<f64>, Error>>()?;
    let chi: Vec<f64> = d2.iter().map(|d| g2 * d).collect();
    let (mut grad_a_var, mut grad_h_var) = (vec![0.0; stack.depth], vec![0.0; stack.depth]);
    let mut dh = 1.0;
    for l in (0..stack.depth).rev() {
        grad_h_var[l] = dh;
        grad_a_var[l] = d2[l] * dh;
        dh = g2 * grad_a_var[l];
    }
    Ok(MeanField {
        q,
        h_second_moment: h2,
        grad_a_var,
        grad_h_var,
        chi,
    })
}

/// The standard deviation, over draws of inputs and weights, of the ratio
/// measured std(a^l) / sqrt(q^l) in a stack of `layers` layers that behave linearly, with
/// fan-in n = `stack.width` and a batch of B = `stack.batch`:
///
/// sd ≈ (1/2) sqrt(l (l+1) / n^2 + 2 (l+1) / (n B)),
///
/// derived in [`theory::linear_stack_rms_sd`] (a Fuss–Catalan sum over the matrix product
/// and a quadratic form over the batch). For l = 1 it agrees with the closed form of
/// [`crate::width::ratio_sd`] with n units to leading order in 1/n (within 1 % here). For tanh stacks it is an upper bound (nearly
/// attained when weight_std is small). The same formula, with l replaced by the number of
/// layers a gradient has crossed, describes the back-propagated gradient in the linear
/// regime; in the saturated regime the gradient's fluctuations are larger (the factor
/// tanh'(a)^2 is heavy-tailed), and the chapter compares the mean over seeds instead.
pub fn linear_ratio_sd(stack: Stack, l: usize) -> Result<f64, Error> {
    theory::linear_stack_rms_sd(stack.width, stack.batch, l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_field_is_linear_for_tiny_weights() {
        // For tiny q, tanh(a) ≈ a, so q^l ≈ (n weight_std^2)^l exactly as for a linear stack.
        let stack = Stack {
            width: 500,
            depth: 4,
            batch: 1,
            weight_std: 1e-4,
        };
        let mf = mean_field(stack, 0.0, 1.0).unwrap();
        for (l, q) in mf.q.iter().enumerate() {
            let linear = initnet::math::powi(500.0 * 1e-8f64, l as i32 + 1);
            assert!(
                (q / linear - 1.0).abs() < 1e-5,
                "layer {}: {q} vs {linear}",
                l + 1
            );
        }
        assert!(
            mf.grad_a_var
                .iter()
                .zip(&mf.grad_h_var)
                .all(|(a, h)| (a / h - 1.0).abs() < 1e-5)
        );
    }

    #[test]
    fn linear_sd_at_layer_one_is_the_closed_form_to_leading_order() {
        let stack = Stack::cs231n(1.0);
        let exact = crate::width::ratio_sd(stack.width, stack.width, stack.batch).unwrap();
        assert!((linear_ratio_sd(stack, 1).unwrap() / exact - 1.0).abs() < 0.01);
    }

    #[test]
    fn bad_settings_are_errors() {
        assert!(
            run(
                Stack {
                    width: 0,
                    ..Stack::cs231n(1.0)
                },
                0
            )
            .is_err()
        );
        assert!(run(Stack::cs231n(-1.0), 0).is_err());
        assert!(mean_field(Stack::cs231n(1.0), -1.0, 1.0).is_err());
        assert!(mean_field(Stack::cs231n(1.0), 0.0, f64::NAN).is_err());
    }
}

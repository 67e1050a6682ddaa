//! The exercises' solutions, as functions the claims test checks.

use initnet::Activation;

use book::Result;

use crate::activations::{Stack, stack_runs};

/// Exercise 1: |g_GELU(q) - g_GELU-tanh(q)| at q = 1 and q = 100.
pub fn gelu_forms() -> Result<(f64, f64)> {
    let diff = |q: f64| -> Result<f64> {
        Ok((theory::fixed_point_gain(Activation::Gelu, q)?
            - theory::fixed_point_gain(Activation::GeluTanh, q)?)
        .abs())
    };
    Ok((diff(1.0)?, diff(100.0)?))
}

/// Exercise 2: SELU with He's gain √2 on the chapter's stack: the last layer's variance
/// of the pre-activations, one value per seed, and the large-q limit √2/λ of SELU's g(q).
pub fn selu_he(seeds: &[u64]) -> Result<(Vec<f64>, f64)> {
    let runs = stack_runs(
        Stack::chapter(),
        Activation::Selu,
        std::f64::consts::SQRT_2,
        seeds,
    )?;
    let last = runs
        .iter()
        .map(|r| r.q.last().copied().unwrap_or(f64::NAN))
        .collect();
    Ok((
        last,
        std::f64::consts::SQRT_2 / initnet::activation::SELU_LAMBDA,
    ))
}

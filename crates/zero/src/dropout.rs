//! Dropout on the hidden layer, for the chapter's exercise: does it break the symmetry
//! of identical hidden units?
//!
//! Inverted dropout with rate p: in every step each sample keeps each hidden unit with
//! probability 1 - p, independently, and a kept unit's output is divided by 1 - p. The
//! masks are drawn from a seeded generator, so a run is a pure function of its seed.

use initnet::kernels::matmul;
use initnet::ndarray::{Array2, Axis};
use initnet::random::{Distribution, Uniform};
use initnet::{Dataset, Error, Loss, Mlp, Result};

use crate::experiments::{Unit, same_bits, units};

/// The dropout rate of the exercise.
pub const DROPOUT_RATE: f64 = 0.5;

/// A run with dropout: whether the hidden units stayed identical, and the trained network.
#[derive(Debug, Clone, PartialEq)]
pub struct DropoutRun {
    /// Whether the hidden units were bit-identical after every step.
    pub identical_every_step: bool,
    /// The hidden units after the last step.
    pub units: Vec<Unit>,
    /// The largest change of any entry of W¹ or W² over the run.
    pub weights_moved: f64,
    /// The accuracy of the trained network (without dropout) on the training data.
    pub accuracy: f64,
    /// The trained network.
    pub end: Mlp,
}

/// Train `net` (one hidden layer) on `data` by full-batch gradient descent with dropout of
/// rate `rate` on the hidden layer, `epochs` steps of learning rate `lr`, masks from `seed`.
pub fn train_dropout(
    mut net: Mlp,
    data: &Dataset,
    lr: f64,
    epochs: usize,
    rate: f64,
    seed: u64,
) -> Result<DropoutRun> {
    if !(rate.is_finite() && (0.0..1.0).contains(&rate)) {
        return Err(Error::OutOfRange {
            name: "dropout rate",
            expected: "in [0, 1)",
            value: rate,
        });
    }
    if !(lr.is_finite() && lr > 0.0) {
        return Err(Error::OutOfRange {
            name: "learning rate",
            expected: "finite and > 0",
            value: lr,
        });
    }
    let start_units = units(&net)?;
    let start = net.clone();
    net.check_input(&data.x)?;
    let mut rng = initnet::rng(seed);
    let coin = Uniform::new(0.0, 1.0).expect("bounds are ordered");
    let keep = 1.0 / (1.0 - rate);
    let n_hidden = net.layer(1).n_out();
    let mut identical = same_bits(&start_units);
    for _ in 0..epochs {
        let (l1, l2) = (net.layer(1).clone(), net.layer(2).clone());
        let a = &matmul(&data.x, &l1.w.t()) + &l1.b;
        let h = l1.activation.apply(&a);
        let mask = Array2::from_shape_simple_fn((data.len(), n_hidden), || {
            if coin.sample(&mut rng) < rate {
                0.0
            } else {
                keep
            }
        });
        let hm = &h * &mask;
        let z = &matmul(&hm, &l2.w.t()) + &l2.b;
        let (_, d2) = Loss::SoftmaxCrossEntropy.evaluate(&z, &data.y)?;
        let dw2 = matmul(&d2.t(), &hm);
        let db2 = d2.sum_axis(Axis(0));
        let d1 = &(&matmul(&d2, &l2.w) * &mask) * &l1.activation.derivative_given(&a, &h);
        let dw1 = matmul(&d1.t(), &data.x);
        let db1 = d1.sum_axis(Axis(0));
        let hidden = net.layer_mut(1);
        hidden.w.scaled_add(-lr, &dw1);
        hidden.b.scaled_add(-lr, &db1);
        let out = net.layer_mut(2);
        out.w.scaled_add(-lr, &dw2);
        out.b.scaled_add(-lr, &db2);
        identical &= same_bits(&units(&net)?);
    }
    let moved = start
        .layer(1)
        .w
        .iter()
        .zip(net.layer(1).w.iter())
        .chain(start.layer(2).w.iter().zip(net.layer(2).w.iter()))
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    let accuracy = Loss::SoftmaxCrossEntropy.accuracy(&net.predict(&data.x)?, &data.y);
    Ok(DropoutRun {
        identical_every_step: identical,
        units: units(&net)?,
        weights_moved: moved,
        accuracy,
        end: net,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CONSTANT, LR, ZERO, blobs, network};
    use initnet::Activation;

    #[test]
    fn dropout_splits_units_that_carry_a_signal_and_names_bad_input() {
        let data = blobs(40, 0).unwrap();
        let zero = network(Activation::Tanh, ZERO, 0).unwrap();
        let r = train_dropout(zero.clone(), &data, LR, 5, DROPOUT_RATE, 0).unwrap();
        assert!(r.identical_every_step && r.weights_moved == 0.0);
        let constant = network(Activation::Tanh, CONSTANT, 0).unwrap();
        let r = train_dropout(constant.clone(), &data, LR, 5, DROPOUT_RATE, 0).unwrap();
        assert!(!r.identical_every_step);
        // Rate 0 is plain gradient descent: the units stay identical.
        let r = train_dropout(constant, &data, LR, 5, 0.0, 0).unwrap();
        assert!(r.identical_every_step);
        let e = train_dropout(zero.clone(), &data, LR, 5, 1.0, 0).unwrap_err();
        assert_eq!(e.to_string(), "dropout rate must be in [0, 1), got 1");
        let e = train_dropout(zero, &data, f64::NAN, 5, 0.5, 0).unwrap_err();
        assert!(e.to_string().contains("learning rate"), "{e}");
    }
}

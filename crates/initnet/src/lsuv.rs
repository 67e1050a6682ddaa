//! Layer-sequential unit-variance initialization (LSUV; Mishkin and Matas, 2016): a
//! data-dependent rescaling of a network's weights after a random start.
//!
//! Their algorithm: pre-initialize every layer (they use orthonormal matrices), then, from
//! the first layer to the last, feed a batch of data through and divide the layer's
//! weights by the standard deviation of its output, repeating until the variance is within
//! a tolerance of 1 or an iteration cap is hit. Two differences here: the pre-init is
//! whatever the network was built with (the book uses Gaussian weights), and the output
//! layer is left as it is (how to start the output layer is a question of its own, the
//! initial loss), so only the hidden layers 1..L-1 are rescaled.

use ndarray::Array2;

use crate::error::{Error, Result, positive};
use crate::network::Mlp;

/// What [`lsuv`] did to one hidden layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LsuvLayer {
    /// The product of the factors the layer's weights were multiplied by.
    pub factor: f64,
    /// The variance of the layer's pre-activations on the batch after the last rescaling.
    pub variance: f64,
    /// How many rescalings it took (at least 1).
    pub iterations: usize,
}

/// Rescale the hidden layers of `net` in place, first to last, until the variance of each
/// layer's pre-activations a^l on the batch `x` (over all samples and units, mean removed)
/// is within `tol` of 1, at most `max_iter` rescalings a layer. Biases are left as they
/// are. Returns one [`LsuvLayer`] per hidden layer. A `tol` that is not finite and
/// positive, `max_iter` = 0, an input that does not fit the network, or a layer whose
/// pre-activations are all equal (variance 0, nothing to rescale) is an error naming it.
pub fn lsuv(net: &mut Mlp, x: &Array2<f64>, tol: f64, max_iter: usize) -> Result<Vec<LsuvLayer>> {
    positive("LSUV tolerance", tol)?;
    if max_iter == 0 {
        return Err(Error::Zero {
            what: "LSUV iteration cap".into(),
        });
    }
    net.check_input(x)?;
    let hidden = net.depth() - 1;
    let mut h = x.clone();
    let mut out = Vec::with_capacity(hidden);
    for l in 0..hidden {
        let layer = net.layer_mut(l + 1);
        let mut factor = 1.0;
        let mut iterations = 0;
        let variance = loop {
            let a = layer.pre_activation(&h);
            let v = variance(&a);
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::OutOfRange {
                    name: "variance of a layer's pre-activations in LSUV",
                    expected: "finite and > 0",
                    value: v,
                });
            }
            if (v - 1.0).abs() <= tol || iterations == max_iter {
                h = layer.activation.apply(&a);
                break v;
            }
            let s = 1.0 / v.sqrt();
            layer.w.mapv_inplace(|w| w * s);
            factor *= s;
            iterations += 1;
        };
        out.push(LsuvLayer {
            factor,
            variance,
            iterations,
        });
    }
    Ok(out)
}

/// Population variance of every entry of `a`: the mean of (a - mean)².
fn variance(a: &Array2<f64>) -> f64 {
    let n = a.len() as f64;
    let mean = a.sum() / n;
    a.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{Distribution, StandardNormal};
    use crate::{Activation, Init, MlpSpec};

    fn batch(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let mut g = crate::rng(seed);
        Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(&mut g))
    }

    /// A linear network: one rescaling lands exactly (the variance is quadratic in the
    /// scale), and after LSUV every hidden layer's variance is 1 to rounding.
    #[test]
    fn lsuv_gives_unit_variance() {
        let x = batch(200, 20, 1);
        for act in [Activation::Identity, Activation::Relu, Activation::Tanh] {
            let mut net = MlpSpec::new(&[20, 64, 64, 64, 3], act, Init::normal(0.3).unwrap())
                .build(2)
                .unwrap();
            let layers = lsuv(&mut net, &x, 1e-3, 20).unwrap();
            assert_eq!(layers.len(), 3);
            let trace = net.forward(&x).unwrap();
            for (l, r) in layers.iter().enumerate() {
                assert!((r.variance - 1.0).abs() <= 1e-3, "{act} {l}: {r:?}");
                assert!((variance(trace.a(l + 1)) - r.variance).abs() < 1e-12);
                if act == Activation::Identity {
                    assert_eq!(r.iterations, 1, "{r:?}");
                }
            }
        }
    }

    #[test]
    fn bad_settings_are_errors() {
        let x = batch(10, 4, 1);
        let mut net = MlpSpec::new(&[4, 8, 2], Activation::Tanh, Init::lecun_normal())
            .build(1)
            .unwrap();
        assert!(
            lsuv(&mut net, &x, 0.0, 5)
                .unwrap_err()
                .to_string()
                .contains('0')
        );
        assert!(lsuv(&mut net, &x, 0.1, 0).is_err());
        assert!(lsuv(&mut net, &batch(10, 3, 1), 0.1, 5).is_err());
        let mut zero = MlpSpec::new(&[4, 8, 2], Activation::Tanh, Init::zeros())
            .build(1)
            .unwrap();
        let e = lsuv(&mut zero, &x, 0.1, 5).unwrap_err();
        assert!(e.to_string().contains("LSUV"), "{e}");
    }
}

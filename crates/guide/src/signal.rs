//! How the scale of the signal travels through a deep stack: the mean-field prediction
//! q_{l+1} = n Var(W) E[f(sqrt(q_l) z)^2] + E[b^2] (the q-map of [`theory::q_map`]) beside
//! the measured Var(a^l).

use initnet::ndarray::Array2;
use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, BiasInit, Init, MlpSpec, mean_std};

use crate::{Error, Result, mean_sd};

/// A deep stack of equal width fed with standard normal inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stack {
    /// The activation of every layer.
    pub activation: Activation,
    /// The weight initializer.
    pub init: Init,
    /// The bias initializer.
    pub bias: BiasInit,
    /// n_0 = n_1 = ... = n_L.
    pub width: usize,
    /// Number of layers L.
    pub depth: usize,
    /// Number of input samples the statistics are taken over.
    pub batch: usize,
}

impl Stack {
    /// A stack with zero biases.
    pub fn new(
        activation: Activation,
        init: Init,
        width: usize,
        depth: usize,
        batch: usize,
    ) -> Self {
        Stack {
            activation,
            init,
            bias: BiasInit::Zeros,
            width,
            depth,
            batch,
        }
    }

    /// The same stack with another bias initializer.
    pub fn bias(mut self, bias: BiasInit) -> Self {
        self.bias = bias;
        self
    }

    fn check(&self) -> Result<()> {
        for (what, value) in [
            ("width", self.width),
            ("depth", self.depth),
            ("batch", self.batch),
        ] {
            if value == 0 {
                return Err(Error::Zero(what));
            }
        }
        Ok(())
    }

    /// n Var(W): the factor by which a layer multiplies the second moment of its input.
    pub fn weight_gain(&self) -> f64 {
        self.width as f64 * self.init.variance(self.width, self.width)
    }

    /// The mean-field prediction of Var(a^l) for l = 1..=L: with inputs of unit variance
    /// q_1 = n Var(W) + E[b^2], then q_{l+1} = n Var(W) E[f(sqrt(q_l) z)^2] + E[b^2]
    /// ([`theory::q_trajectory`]).
    pub fn predicted_variance(&self) -> Result<Vec<f64>> {
        self.check()?;
        let (gain, bias_var) = (self.weight_gain(), self.bias.variance(self.width));
        Ok(theory::q_trajectory(
            self.activation,
            gain,
            bias_var,
            gain + bias_var,
            self.depth,
        )?)
    }

    /// The mean-field shrink per layer of the input-dependent part of a^l, deep in the stack:
    /// 1/sqrt(χ₁). Two inputs whose pre-activations differ by a small δ come out of a layer
    /// differing by W f'(a) δ, whose second moment is σ_w² E[f'(a)²] E[δ²] = χ₁ E[δ²]
    /// (Poole et al., 2016; Schoenholz et al., 2017): the factor on the gradient's variance
    /// is also the factor on the variance of a small difference between inputs. Evaluated
    /// at the last layer's predicted q (the fixed point, once the stack has reached it); for
    /// ReLU it is σ_w²/2 at every q.
    pub fn predicted_deep_input_factor(&self) -> Result<f64> {
        let q = self.predicted_variance()?;
        let last = *q.last().ok_or(Error::Zero("depth"))?;
        let chi = theory::chi(self.activation, self.weight_gain(), last)?;
        Ok(1.0 / chi.sqrt())
    }

    /// The measured standard deviation of a^l (over batch and units) for l = 1..=L, for one
    /// seed: the network is drawn from `seed`, the inputs from a second stream of it.
    pub fn measure(&self, seed: u64) -> Result<Vec<f64>> {
        Ok(self.measure_parts(seed)?.0)
    }

    /// For one seed, per layer l = 1..=L: the standard deviation of a^l over batch and units
    /// (what [`Stack::measure`] returns), and the standard deviation of its input-dependent
    /// part: the root of the mean over units of each unit's variance over the batch
    /// (divisor batch - 1, so that it estimates the variance across inputs without bias).
    /// The rest of a^l is a per-unit constant, the same for every input. A batch of one
    /// has no spread across inputs: an error naming it.
    pub fn measure_parts(&self, seed: u64) -> Result<(Vec<f64>, Vec<f64>)> {
        self.check()?;
        if self.batch < 2 {
            return Err(Error::Zero(
                "batch - 1 (the spread across inputs needs two)",
            ));
        }
        let spec = MlpSpec::new(
            &vec![self.width; self.depth + 1],
            self.activation,
            self.init,
        )
        .output(self.activation)
        .bias(self.bias);
        let net = spec.build(seed)?;
        let mut rng = initnet::rng(seed ^ INPUT_STREAM);
        let x = Array2::from_shape_simple_fn((self.batch, self.width), || {
            StandardNormal.sample(&mut rng)
        });
        let trace = net.forward(&x)?;
        let total = (1..=self.depth).map(|l| mean_std(trace.a(l)).1).collect();
        let input = (1..=self.depth)
            .map(|l| {
                let a = trace.a(l);
                let per_unit: f64 = a
                    .columns()
                    .into_iter()
                    .map(|col| {
                        let m = col.sum() / col.len() as f64;
                        col.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (col.len() - 1) as f64
                    })
                    .sum();
                (per_unit / a.ncols() as f64).sqrt()
            })
            .collect();
        Ok((total, input))
    }

    /// The stack measured over `seeds`, beside its prediction.
    pub fn over_seeds(&self, seeds: &[u64]) -> Result<Propagation> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let predicted_std: Vec<f64> = self
            .predicted_variance()?
            .iter()
            .map(|q| q.sqrt())
            .collect();
        let (runs, inputs): (Vec<Vec<f64>>, Vec<Vec<f64>>) =
            book::memo::per_seed(seeds, |s| self.measure_parts(s))?
                .into_iter()
                .unzip();
        let per_layer = |l: usize| mean_sd(&runs.iter().map(|r| r[l]).collect::<Vec<_>>());
        let (mean_std, sd_std) = (0..self.depth).map(per_layer).unzip();
        let per_layer = |l: usize| mean_sd(&inputs.iter().map(|r| r[l]).collect::<Vec<_>>());
        let (input_std, input_sd) = (0..self.depth).map(per_layer).unzip();
        let factors = runs
            .iter()
            .map(|r| shrink_factor(r))
            .collect::<Result<Vec<f64>>>()?;
        let deep = self.depth / 2;
        let deep_input_factors = inputs
            .iter()
            .map(|r| shrink_factor(&r[deep..]))
            .collect::<Result<Vec<f64>>>()?;
        Ok(Propagation {
            stack: *self,
            seeds: seeds.len(),
            predicted_factor: shrink_factor(&predicted_std)?,
            predicted_std,
            mean_std,
            sd_std,
            factor: mean_sd(&factors),
            factors,
            input_std,
            input_sd,
            deep_input_factor: mean_sd(&deep_input_factors),
            predicted_deep_input_factor: self.predicted_deep_input_factor()?,
        })
    }
}

/// Seeds of the input batches are the network's seeds xor this, so the two streams differ.
const INPUT_STREAM: u64 = 0x5eed_1a7a;

/// The mean factor by which the standard deviation shrinks per layer from layer 1 to L:
/// (std_1 / std_L)^(1/(L-1)); above 1 the signal shrinks, below 1 it grows. One layer: 1.
/// A standard deviation that is 0 or not finite (all-zero weights and biases, say) leaves
/// the factor undefined: [`Error::NoSignal`] names the layer.
pub fn shrink_factor(stds: &[f64]) -> Result<f64> {
    if let Some(l) = stds.iter().position(|s| !(s.is_finite() && *s > 0.0)) {
        return Err(Error::NoSignal {
            layer: l + 1,
            std: stds[l],
        });
    }
    Ok(match stds {
        [] | [_] => 1.0,
        [first, .., last] => initnet::math::pow(first / last, 1.0 / (stds.len() - 1) as f64),
    })
}

/// A stack's signal over many seeds: per layer, the predicted and the measured std of a^l.
#[derive(Debug, Clone, PartialEq)]
pub struct Propagation {
    /// What was measured.
    pub stack: Stack,
    /// How many seeds.
    pub seeds: usize,
    /// Mean-field prediction of std(a^l), l = 1..=L.
    pub predicted_std: Vec<f64>,
    /// Mean over seeds of the measured std(a^l).
    pub mean_std: Vec<f64>,
    /// Spread (sample standard deviation) over seeds of the measured std(a^l).
    pub sd_std: Vec<f64>,
    /// Per-layer shrink factor of the prediction.
    pub predicted_factor: f64,
    /// Per-layer shrink factor of each seed.
    pub factors: Vec<f64>,
    /// Mean and spread over seeds of the measured shrink factor.
    pub factor: (f64, f64),
    /// Mean over seeds of the measured std of the input-dependent part of a^l.
    pub input_std: Vec<f64>,
    /// Spread over seeds of the measured std of the input-dependent part of a^l.
    pub input_sd: Vec<f64>,
    /// Mean and spread over seeds of the per-layer shrink of the input-dependent std over
    /// the deep half of the stack, from layer L/2 + 1 to L.
    pub deep_input_factor: (f64, f64),
    /// Its mean-field value, 1/sqrt(χ₁) at the last layer's q ([`Stack::predicted_deep_input_factor`]).
    pub predicted_deep_input_factor: f64,
}

impl Propagation {
    /// The standard error of the mean shrink factor: its spread over sqrt(seeds).
    pub fn factor_standard_error(&self) -> f64 {
        self.factor.1 / (self.seeds as f64).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relu_prediction_is_the_closed_form() {
        // PyTorch's weights: n Var(W) = 1/3, so q_{l+1} = q_l / 6 exactly.
        let init = Init::lecun_uniform().with_gain(1.0 / 3f64.sqrt()).unwrap();
        let q = Stack::new(Activation::Relu, init, 64, 5, 8)
            .predicted_variance()
            .unwrap();
        assert!((q[0] - 1.0 / 3.0).abs() < 1e-12);
        for pair in q.windows(2) {
            assert!((pair[0] / pair[1] - 6.0).abs() < 1e-9, "{pair:?}");
        }
        let p = Stack::new(Activation::Relu, init, 64, 5, 8).bias(BiasInit::FanInUniform);
        let q = p.predicted_variance().unwrap();
        // With the bias the recursion q <- q/6 + 1/(3n) tends to 2/(5n).
        let floor = 2.0 / (5.0 * 64.0);
        assert!(
            q.windows(2)
                .all(|w| (w[1] - floor).abs() < (w[0] - floor).abs())
        );
    }

    #[test]
    fn bad_sizes_are_errors() {
        let s = Stack::new(Activation::Relu, Init::he_normal(), 0, 3, 4);
        assert_eq!(
            s.measure(0).unwrap_err().to_string(),
            "width must be at least 1, got 0"
        );
        let s = Stack::new(Activation::Relu, Init::he_normal(), 4, 3, 4);
        assert_eq!(s.over_seeds(&[]).unwrap_err(), Error::NoSeeds);
    }

    #[test]
    fn shrink_factor_of_a_geometric_sequence() {
        assert!((shrink_factor(&[8.0, 4.0, 2.0, 1.0]).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(shrink_factor(&[3.0]).unwrap(), 1.0);
        assert_eq!(
            shrink_factor(&[1.0, 0.0]).unwrap_err(),
            Error::NoSignal { layer: 2, std: 0.0 }
        );
        // Zero weights and biases: no signal past the input, an error rather than a NaN.
        let zeros = Stack::new(Activation::Tanh, Init::zeros(), 4, 3, 4);
        let err = zeros.over_seeds(&[0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the std of a^1 is 0, so the per-layer shrink factor is undefined"
        );
    }
}

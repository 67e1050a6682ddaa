//! Why saturation stops learning: the derivative at saturation, the per-layer gradients
//! of a deep sigmoid stack against the 1/4 bound, and large against moderate
//! initialization on the same task.

use book::memo::{Memo, per_seed};
use initnet::ndarray::Array2;
use initnet::{
    Activation, Blobs, Error, Init, Loss, MlpSpec, Standardizer, TrainConfig, layer_stats, train,
};

use crate::math::{THRESHOLD, saturation_cutoff};

/// f'(a) at the pre-activation where f saturates (|a| = atanh 0.99 for tanh, ln 99 for the
/// sigmoid): 1 - 0.99^2 = 0.0199 for tanh and 0.99 (1 - 0.99) = 0.0099 for the sigmoid.
pub fn derivative_at_saturation(activation: Activation) -> Result<f64, Error> {
    Ok(activation.df(saturation_cutoff(activation)?))
}

/// The same derivatives from the activation's value h = 0.99: 1 - h^2 for tanh, h (1 - h)
/// for the sigmoid ([`theory::saturation_slope`]). (The closed form the text states beside
/// the computed one.)
pub fn derivative_from_threshold(activation: Activation) -> Result<f64, Error> {
    match theory::saturation_slope(activation) {
        Some(slope) => Ok(slope),
        None => saturation_cutoff(activation).map(|_| f64::NAN),
    }
}

/// f'(a) on an even grid of `points` pre-activations over [-limit, limit].
pub fn derivative_curve(activation: Activation, limit: f64, points: usize) -> Vec<(f64, f64)> {
    let step = 2.0 * limit / (points.max(2) - 1) as f64;
    (0..points.max(2))
        .map(|i| -limit + step * i as f64)
        .map(|a| (a, activation.df(a)))
        .collect()
}

/// E[f'(a)] for a ~ N(0, q), q = std^2: the mean slope a unit offers its gradient
/// ([`theory::gaussian_expectation`]). A std that is not finite is an error naming it.
pub fn mean_derivative(activation: Activation, std: f64) -> Result<f64, Error> {
    theory::gaussian_expectation(|a| activation.df(a), std * std)
}

/// For large std, E[f'(a)] ~ (integral of f') phi(0) / std: 2 / (std sqrt(2 pi)) for
/// tanh (f' integrates to 2), 1 / (std sqrt(2 pi)) for the sigmoid (to 1).
pub fn mean_derivative_asymptote(activation: Activation, std: f64) -> Result<f64, Error> {
    let area = match activation {
        Activation::Tanh => 2.0,
        Activation::Sigmoid => 1.0,
        other => return saturation_cutoff(other).map(|_| f64::NAN),
    };
    Ok(area / (std * (2.0 * std::f64::consts::PI).sqrt()))
}

/// The root-mean-square slope sqrt(E[f'(a)^2]) for a ~ N(0, q), q = std^2: what a layer's slopes
/// do to the back-propagated gradient's size (the square root of [`theory::chi`] at a gain of
/// 1). A std that is not finite is an error naming it.
pub fn rms_derivative(activation: Activation, std: f64) -> Result<f64, Error> {
    Ok(theory::chi(activation, 1.0, std * std)?.sqrt())
}

/// The integral of f'(a)^2 over the line: 4/3 for tanh (of sech^4 a), 1/6 for the sigmoid
/// (of sigmoid(a)^2 (1 - sigmoid(a))^2, which is the integral of u (1 - u) over u in (0, 1)).
pub fn squared_slope_area(activation: Activation) -> Result<f64, Error> {
    match activation {
        Activation::Tanh => Ok(4.0 / 3.0),
        Activation::Sigmoid => Ok(1.0 / 6.0),
        other => saturation_cutoff(other).map(|_| f64::NAN),
    }
}

/// For large std, E[f'(a)^2] ~ (integral of f'^2) phi(0) / std, so the root-mean-square
/// slope falls like std^(-1/2) = q^(-1/4): sqrt(4 / (3 std sqrt(2 pi))) for tanh and
/// sqrt(1 / (6 std sqrt(2 pi))) for the sigmoid.
pub fn rms_derivative_asymptote(activation: Activation, std: f64) -> Result<f64, Error> {
    let area = squared_slope_area(activation)?;
    Ok((area / (std * (2.0 * std::f64::consts::PI).sqrt())).sqrt())
}

/// A deep stack: `depth` hidden layers of `width` units fed `width` standard-normal
/// inputs, then `classes` outputs, weights N(0, (gain^2) / width).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stack {
    /// Hidden activation.
    pub activation: Activation,
    /// Units per hidden layer (and inputs).
    pub width: usize,
    /// Number of hidden layers.
    pub depth: usize,
    /// Output classes (softmax cross-entropy, random labels).
    pub classes: usize,
    /// Samples in the batch.
    pub batch: usize,
    /// Weight std times sqrt(width): 1 is LeCun's rule.
    pub gain: f64,
}

impl Stack {
    /// The chapter's deep sigmoid stack: 10 hidden layers of 100 units, LeCun weights
    /// (gain 1, the best case for the weight factor), 10 classes, 200 samples.
    pub fn deep_sigmoid() -> Self {
        Stack {
            activation: Activation::Sigmoid,
            width: 100,
            depth: 10,
            classes: 10,
            batch: 200,
            gain: 1.0,
        }
    }
    fn spec(&self) -> Result<MlpSpec, Error> {
        for (what, v) in [
            ("number of hidden layers", self.depth),
            ("stack width", self.width),
            ("number of classes", self.classes),
            ("batch size", self.batch),
        ] {
            if v == 0 {
                return Err(Error::Zero {
                    what: what.to_string(),
                });
            }
        }
        let mut widths = vec![self.width; self.depth + 1];
        widths.push(self.classes);
        let init = Init::normal(self.gain / (self.width as f64).sqrt())?;
        Ok(MlpSpec::new(&widths, self.activation, init))
    }
}

/// The standard deviation of dL/da^l for every layer l = 1..=L+1 of a freshly drawn
/// stack (seed: weights, inputs and labels), on one batch, and the saturated fraction of
/// its hidden units.
pub fn gradient_std_per_layer(stack: &Stack, seed: u64) -> Result<(Vec<f64>, f64), Error> {
    let net = stack.spec()?.build(seed)?;
    let mut rng = initnet::rng(seed.wrapping_add(1 << 32));
    let x = initnet::random::normal_matrix((stack.batch, stack.width), 1.0, &mut rng)?;
    let labels: Vec<usize> = (0..stack.batch)
        .map(|i| (i * 7 + seed as usize) % stack.classes)
        .collect();
    let trace = net.forward(&x)?;
    let (_, d_out) = Loss::SoftmaxCrossEntropy.evaluate(trace.output(), &labels)?;
    let grads = net.backward(&trace, &d_out)?;
    let acts: Vec<Activation> = net.layers.iter().map(|l| l.activation).collect();
    let stats = layer_stats(&trace, &acts, Some(&grads), THRESHOLD);
    let hidden = &stats[..stack.depth];
    let saturated = hidden.iter().map(|s| s.saturated_fraction).sum::<f64>() / stack.depth as f64;
    Ok((
        stats
            .iter()
            .map(|s| s.grad_std.unwrap_or(f64::NAN))
            .collect(),
        saturated,
    ))
}

/// The mean-field prediction of the per-layer shrink factor of the back-propagated
/// gradient in a stack: with q^l = Var(a^l), q^1 = gain^2 (standard-normal inputs) and
/// q^{l+1} = gain^2 E[f(sqrt(q^l) Z)^2] ([`theory::q_trajectory`]), the gradient's std is
/// multiplied going from layer l+1 down to layer l by gain sqrt(E[f'(sqrt(q^l) Z)^2])
/// <= gain max|f'| (the square root of [`theory::chi`]). Returns the factor for
/// l = 1..L-1 (hidden to hidden). A gain that is not finite is an error naming it.
pub fn mean_field_factors(stack: &Stack) -> Result<Vec<f64>, Error> {
    let f = stack.activation;
    let g2 = stack.gain * stack.gain;
    let q = theory::q_trajectory(f, g2, 0.0, g2, stack.depth)?;
    q.iter()
        .take(stack.depth.saturating_sub(1))
        .map(|&q| Ok(stack.gain * theory::chi(f, 1.0, q)?.sqrt()))
        .collect()
}

/// Per-layer gradient std of the stack over many seeds, with the mean-field prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct StackGradients {
    /// The stack.
    pub stack: Stack,
    /// grad_std[seed][l-1] for l = 1..=L+1.
    pub per_seed: Vec<Vec<f64>>,
    /// Saturated fraction of the hidden units, per seed.
    pub saturated: Vec<f64>,
    /// Mean-field factor, hidden layer l+1 -> l, for l = 1..L-1.
    pub predicted_factors: Vec<f64>,
}

impl StackGradients {
    /// For each seed, the geometric mean over hidden layers of std(l+1) / std(l)
    /// (l = 1..L-1): the measured per-layer shrink, as a factor above 1.
    pub fn shrink_per_seed(&self) -> Vec<f64> {
        let hidden = self.stack.depth;
        self.per_seed
            .iter()
            .map(|g| initnet::math::pow(g[hidden - 1] / g[0], 1.0 / (hidden - 1) as f64))
            .collect()
    }
    /// The mean-field per-layer shrink (geometric mean of 1 / factor).
    pub fn predicted_shrink(&self) -> f64 {
        let k = self.predicted_factors.len() as f64;
        initnet::math::exp(
            -self
                .predicted_factors
                .iter()
                .map(|f| initnet::math::ln(*f))
                .sum::<f64>()
                / k,
        )
    }
}

/// Measure [`gradient_std_per_layer`] over `seeds`.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn stack_gradients(stack: Stack, seeds: &[u64]) -> Result<StackGradients, Error> {
    static SWEEPS: Memo<(Stack, Vec<u64>), StackGradients> = Memo::new();
    SWEEPS.get_or_run((stack, seeds.to_vec()), || {
        compute_stack_gradients(stack, seeds)
    })
}

fn compute_stack_gradients(stack: Stack, seeds: &[u64]) -> Result<StackGradients, Error> {
    if stack.depth < 2 {
        return Err(Error::OutOfRange {
            name: "number of hidden layers",
            expected: "at least 2",
            value: stack.depth as f64,
        });
    }
    let runs = per_seed(seeds, |s| gradient_std_per_layer(&stack, s))?;
    let (per_seed, saturated) = runs.into_iter().unzip();
    Ok(StackGradients {
        stack,
        per_seed,
        saturated,
        predicted_factors: mean_field_factors(&stack)?,
    })
}

/// The task of the training comparison: 4 blobs in 2 features, standardized.
pub fn blobs_task(seed: u64) -> Result<(Array2<f64>, Vec<usize>), Error> {
    let data = Blobs::new(400, 4).generate(seed)?;
    let x = Standardizer::fit(&data.x)?.transform(&data.x)?;
    Ok((x, data.y))
}

/// One training run of the post's toy network (2-2-4, tanh) on [`blobs_task`].
#[derive(Debug, Clone, PartialEq)]
pub struct ToyRun {
    /// Saturated fraction of the hidden layer at initialization.
    pub saturated: f64,
    /// Loss per epoch, epoch 0 first.
    pub losses: Vec<f64>,
    /// Accuracy after training.
    pub accuracy: f64,
    /// |W^1 (trained) - W^1 (initial)| / |W^1 (initial)| (Frobenius norms): how far the
    /// first layer moved.
    pub w1_change: f64,
    /// |(dL/dW^l, dL/db^l)| at initialization, l = 1, 2.
    pub grad_norms: Vec<f64>,
    /// |W^1| at initialization (Frobenius).
    pub w1_norm: f64,
}

/// Train the toy network with weights `init` on [`blobs_task`] from `seed` (data and
/// weights), full batch, learning rate `lr`, `epochs` epochs.
pub fn toy_run(init: Init, lr: f64, epochs: usize, seed: u64) -> Result<ToyRun, Error> {
    let (x, y) = blobs_task(seed)?;
    let mut net = MlpSpec::new(&[2, 2, 4], Activation::Tanh, init).build(seed)?;
    let w1 = net.layer(1).w.clone();
    let saturated = initnet::saturated_fraction(Activation::Tanh, net.forward(&x)?.h(1), THRESHOLD);
    let history = train(&mut net, &x, &y, &TrainConfig::new(lr, epochs))?;
    let norm = |m: &Array2<f64>| m.iter().map(|v| v * v).sum::<f64>().sqrt();
    Ok(ToyRun {
        saturated,
        losses: history.losses(),
        accuracy: history.last().accuracy,
        w1_change: norm(&(&net.layer(1).w - &w1)) / norm(&w1),
        grad_norms: history.records[0].grad_norms.clone(),
        w1_norm: norm(&w1),
    })
}

/// The chapter's comparison: the toy network from [`toy_run`] with learning rate 0.1 for
/// 300 epochs, for every seed.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn toy_runs(init: Init, seeds: &[u64]) -> Result<Vec<ToyRun>, Error> {
    static RUNS: Memo<(Init, Vec<u64>), Vec<ToyRun>> = Memo::new();
    RUNS.get_or_run((init, seeds.to_vec()), || {
        per_seed(seeds, |s| toy_run(init, 0.1, 300, s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_at_saturation() {
        for f in [Activation::Tanh, Activation::Sigmoid] {
            let d = derivative_at_saturation(f).unwrap();
            assert!((d - derivative_from_threshold(f).unwrap()).abs() < 1e-15);
        }
        assert!(derivative_at_saturation(Activation::Relu).is_err());
    }

    #[test]
    fn mean_derivative_approaches_its_asymptote() {
        for f in [Activation::Tanh, Activation::Sigmoid] {
            let r =
                mean_derivative(f, 100.0).unwrap() / mean_derivative_asymptote(f, 100.0).unwrap();
            assert!((r - 1.0).abs() < 1e-3, "{f}: {r}");
            assert!((mean_derivative(f, 1e-6).unwrap() - f.df(0.0)).abs() < 1e-9);
            let r = rms_derivative(f, 100.0).unwrap() / rms_derivative_asymptote(f, 100.0).unwrap();
            assert!((r - 1.0).abs() < 1e-3, "{f}: {r}");
            assert!((rms_derivative(f, 1e-6).unwrap() - f.df(0.0)).abs() < 1e-9);
            // The area of f'^2, by quadrature.
            let area = theory::simpson(|a| f.df(a) * f.df(a), -40.0, 40.0, 8000);
            assert!(
                (area - squared_slope_area(f).unwrap()).abs() < 1e-10,
                "{f}: {area}"
            );
        }
        assert!(rms_derivative_asymptote(Activation::Relu, 1.0).is_err());
    }

    #[test]
    fn bad_stacks_are_errors_naming_the_value() {
        let base = Stack::deep_sigmoid();
        for bad in [
            Stack { classes: 0, ..base },
            Stack { width: 0, ..base },
            Stack { batch: 0, ..base },
        ] {
            assert!(
                matches!(gradient_std_per_layer(&bad, 0), Err(Error::Zero { .. })),
                "{bad:?}"
            );
        }
        let e = gradient_std_per_layer(
            &Stack {
                gain: f64::NAN,
                ..base
            },
            0,
        )
        .unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
        assert!(stack_gradients(Stack { depth: 1, ..base }, &[0]).is_err());
        let e = toy_run(Init::xavier_normal(), -0.1, 10, 0).unwrap_err();
        assert!(e.to_string().contains("-0.1"), "{e}");
    }

    #[test]
    fn sigmoid_factors_never_beat_one_quarter() {
        let stack = Stack::deep_sigmoid();
        let f = mean_field_factors(&stack).unwrap();
        assert_eq!(f.len(), stack.depth - 1);
        assert!(f.iter().all(|&x| x < 0.25 && x > 0.2), "{f:?}");
    }
}

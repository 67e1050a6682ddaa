//! Gradient descent: full-batch or mini-batch, with optional momentum, or Adam; and a
//! history of every epoch. A run whose loss or parameters stop being finite stops and says so.

use ndarray::{Array, Array1, Array2, Axis, Dimension, Zip};
use rand::seq::SliceRandom;

use crate::error::{Error, Result, all_finite, positive};
use crate::kernels::{self, fused};
use crate::loss::Loss;
use crate::math;
use crate::network::{Gradients, Mlp, Trace};
use crate::random::rng;

/// How to train.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// The loss (softmax cross-entropy by default).
    pub loss: Loss,
    /// Learning rate, finite and > 0.
    pub lr: f64,
    /// Number of passes over the data.
    pub epochs: usize,
    /// Mini-batch size; `None` for full-batch gradient descent.
    pub batch_size: Option<usize>,
    /// Classical momentum mu in [0, 1): v <- mu v - lr g, p <- p + v.
    pub momentum: f64,
    /// Seed of the mini-batch shuffling (unused for full batch).
    pub seed: u64,
    /// The update rule: gradient descent (with `momentum`) or Adam.
    pub optimizer: Optimizer,
}

/// The update rule of a run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Optimizer {
    /// Gradient descent, with the classical momentum of [`TrainConfig::momentum`].
    #[default]
    Sgd,
    /// Adam with these hyperparameters (the learning rate is [`TrainConfig::lr`]).
    Adam(Adam),
}

/// Adam's hyperparameters besides the learning rate (Kingma and Ba, 2015), in the form
/// PyTorch documents for `torch.optim.Adam` (no weight decay, no AMSGrad). For each
/// parameter p with gradient g, at step t = 1, 2, ...:
///
/// ```text
/// m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g²      (m = v = 0 at t = 0)
/// m̂ = m / (1 - beta1^t)                 v̂ = v / (1 - beta2^t)
/// p <- p - lr m̂ / (√v̂ + eps)
/// ```
///
/// ε is added to √v̂, outside the root, as in PyTorch (and Kingma and Ba's Algorithm 1).
/// The first step moves every parameter by lr g / (|g| + ε), about lr against the sign of
/// its gradient, whatever the gradient's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adam {
    /// Decay of the first moment m, in [0, 1).
    pub beta1: f64,
    /// Decay of the second moment v, in [0, 1).
    pub beta2: f64,
    /// ε, added to √v̂; finite and > 0.
    pub eps: f64,
}

impl Default for Adam {
    /// PyTorch's defaults: beta1 = 0.9, beta2 = 0.999, ε = 1e-8.
    fn default() -> Self {
        Adam::PYTORCH
    }
}

impl Adam {
    /// PyTorch's defaults: beta1 = 0.9, beta2 = 0.999, ε = 1e-8.
    pub const PYTORCH: Adam = Adam {
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };

    /// Adam with these hyperparameters, checked.
    pub fn new(beta1: f64, beta2: f64, eps: f64) -> Result<Self> {
        let adam = Adam { beta1, beta2, eps };
        adam.validate()?;
        Ok(adam)
    }

    /// Check beta1 and beta2 in [0, 1) and ε finite and > 0.
    pub fn validate(&self) -> Result<()> {
        for (name, beta) in [("Adam's beta1", self.beta1), ("Adam's beta2", self.beta2)] {
            if !(beta.is_finite() && (0.0..1.0).contains(&beta)) {
                return Err(Error::OutOfRange {
                    name,
                    expected: "in [0, 1)",
                    value: beta,
                });
            }
        }
        positive("Adam's epsilon", self.eps)?;
        Ok(())
    }

    /// One Adam update at step `t` (1 for the first) of the parameters `p`, given their
    /// gradient `g` and the moments `m` and `v` of the previous steps (zeros before the
    /// first), which it updates. Every array must have `p`'s shape; `lr` must be finite
    /// and > 0, and `t` at least 1.
    pub fn update<D: Dimension>(
        &self,
        lr: f64,
        t: u32,
        p: &mut Array<f64, D>,
        g: &Array<f64, D>,
        m: &mut Array<f64, D>,
        v: &mut Array<f64, D>,
    ) -> Result<()> {
        self.validate()?;
        positive("learning rate", lr)?;
        if t == 0 {
            return Err(Error::Zero {
                what: "Adam's step number t".to_string(),
            });
        }
        for (what, shape) in [("gradient", g.shape()), ("m", m.shape()), ("v", v.shape())] {
            if shape != p.shape() {
                return Err(Error::Shape {
                    what: format!("Adam's {what}"),
                    expected: p.shape().to_vec(),
                    got: shape.to_vec(),
                });
            }
        }
        self.update_unchecked(lr, t, p, g, m, v);
        Ok(())
    }

    /// [`Adam::update`] without the checks.
    pub(crate) fn update_unchecked<D: Dimension>(
        &self,
        lr: f64,
        t: u32,
        p: &mut Array<f64, D>,
        g: &Array<f64, D>,
        m: &mut Array<f64, D>,
        v: &mut Array<f64, D>,
    ) {
        let t = i32::try_from(t).unwrap_or(i32::MAX);
        // The bias corrections 1 - beta^t.
        let c1 = 1.0 - math::powi(self.beta1, t);
        let c2 = 1.0 - math::powi(self.beta2, t);
        let (b1, b2, eps) = (self.beta1, self.beta2, self.eps);
        Zip::from(p).and(g).and(m).and(v).for_each(|p, &g, m, v| {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * (g * g);
            let m_hat = *m / c1;
            let v_hat = *v / c2;
            *p -= lr * m_hat / (v_hat.sqrt() + eps);
        });
    }
}

impl TrainConfig {
    /// Full-batch gradient descent with softmax cross-entropy and no momentum.
    pub fn new(lr: f64, epochs: usize) -> Self {
        TrainConfig {
            loss: Loss::SoftmaxCrossEntropy,
            lr,
            epochs,
            batch_size: None,
            momentum: 0.0,
            seed: 0,
            optimizer: Optimizer::Sgd,
        }
    }
    /// Use Adam with PyTorch's defaults (beta1 = 0.9, beta2 = 0.999, ε = 1e-8).
    pub fn adam(self) -> Self {
        self.optimizer(Optimizer::Adam(Adam::PYTORCH))
    }
    /// Use this update rule.
    pub fn optimizer(mut self, optimizer: Optimizer) -> Self {
        self.optimizer = optimizer;
        self
    }
    /// Use this loss.
    pub fn loss(mut self, loss: Loss) -> Self {
        self.loss = loss;
        self
    }
    /// Use mini-batches of this size, shuffled each epoch from `seed`.
    pub fn mini_batch(mut self, size: usize, seed: u64) -> Self {
        self.batch_size = Some(size);
        self.seed = seed;
        self
    }
    /// Use classical momentum.
    pub fn momentum(mut self, momentum: f64) -> Self {
        self.momentum = momentum;
        self
    }
    fn validate(&self) -> Result<()> {
        positive("learning rate", self.lr)?;
        if !(self.momentum.is_finite() && (0.0..1.0).contains(&self.momentum)) {
            return Err(Error::OutOfRange {
                name: "momentum",
                expected: "in [0, 1)",
                value: self.momentum,
            });
        }
        if let Optimizer::Adam(adam) = self.optimizer {
            adam.validate()?;
            if self.momentum != 0.0 {
                return Err(Error::OutOfRange {
                    name: "momentum with Adam",
                    expected: "0 (Adam's momentum is beta1)",
                    value: self.momentum,
                });
            }
        }
        if self.batch_size == Some(0) {
            return Err(Error::Zero {
                what: "batch size".to_string(),
            });
        }
        Ok(())
    }
}

/// The state of training after some number of epochs, measured on the whole training set.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochRecord {
    /// Epochs done (0 is the network at initialization).
    pub epoch: usize,
    /// Mean loss over the training set.
    pub loss: f64,
    /// Fraction of the training set classified correctly.
    pub accuracy: f64,
    /// Norm of the full-batch gradient of (W^l, b^l), per layer.
    pub grad_norms: Vec<f64>,
}

/// Why and when a run stopped early.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// The epoch during which the run diverged.
    pub epoch: usize,
    /// What became non-finite.
    pub reason: String,
}

/// Every epoch of a run, from epoch 0 (at initialization) on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// One record per epoch reached, epoch 0 first.
    pub records: Vec<EpochRecord>,
    /// Set when the run diverged; the records stop before that epoch.
    pub diverged: Option<Divergence>,
}

impl History {
    /// The last record (the trained network's state).
    pub fn last(&self) -> &EpochRecord {
        self.records
            .last()
            .expect("a history has the record of epoch 0")
    }
    /// The losses, epoch 0 first.
    pub fn losses(&self) -> Vec<f64> {
        self.records.iter().map(|r| r.loss).collect()
    }
    /// The accuracies, epoch 0 first.
    pub fn accuracies(&self) -> Vec<f64> {
        self.records.iter().map(|r| r.accuracy).collect()
    }
}

/// Check that a data set fits a network and a loss.
pub fn check_data(net: &Mlp, x: &Array2<f64>, labels: &[usize], loss: Loss) -> Result<()> {
    net.check_input(x)?;
    if labels.len() != x.nrows() {
        return Err(Error::Shape {
            what: "labels".into(),
            expected: vec![x.nrows()],
            got: vec![labels.len()],
        });
    }
    loss.check_labels(net.n_outputs(), labels)
}

/// Loss, accuracy and full-batch gradients of `net` on a data set.
pub fn evaluate(
    net: &Mlp,
    x: &Array2<f64>,
    labels: &[usize],
    loss: Loss,
) -> Result<(EpochRecord, Gradients)> {
    check_data(net, x, labels, loss)?;
    let mut ws = Workspace::new();
    let record = ws.evaluate(net, x, labels, loss, 0);
    Ok((record, ws.grads))
}

/// The buffers of one evaluation (forward pass, loss gradient, backward pass), kept
/// across the epochs of a run so that an epoch allocates nothing but its record.
struct Workspace {
    trace: Trace,
    d_out: Array2<f64>,
    scratch: fused::Scratch,
    grads: Gradients,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            trace: Trace::empty(),
            d_out: Array2::zeros((0, 0)),
            scratch: fused::Scratch::default(),
            grads: Gradients::empty(),
        }
    }

    /// Forward, loss and backward on (x, labels): loss and accuracy; the gradients stay in
    /// `self.grads`.
    fn gradients(
        &mut self,
        net: &Mlp,
        x: &Array2<f64>,
        labels: &[usize],
        loss: Loss,
    ) -> (f64, f64) {
        net.forward_into(x, &mut self.trace);
        let value_and_accuracy = fused::loss_and_gradient(
            loss,
            self.trace.output(),
            labels,
            &mut self.d_out,
            &mut self.scratch,
        );
        net.backward_into(&self.trace, &self.d_out, &mut self.grads);
        value_and_accuracy
    }

    /// [`Workspace::gradients`] on the whole training set, as the record of `epoch`.
    fn evaluate(
        &mut self,
        net: &Mlp,
        x: &Array2<f64>,
        labels: &[usize],
        loss: Loss,
        epoch: usize,
    ) -> EpochRecord {
        let (value, accuracy) = self.gradients(net, x, labels, loss);
        EpochRecord {
            epoch,
            loss: value,
            accuracy,
            grad_norms: self.grads.norms(),
        }
    }
}

/// The optimizer's memory: a buffer per parameter array (velocity for momentum, Adam's m
/// and v) and Adam's step count.
struct OptimizerState {
    /// Momentum's velocity, or Adam's first moment m; one (W, b) pair per layer.
    first: Vec<(Array2<f64>, Array1<f64>)>,
    /// Adam's second moment v (unused by gradient descent).
    second: Vec<(Array2<f64>, Array1<f64>)>,
    /// Steps taken.
    t: u32,
}

impl OptimizerState {
    fn new(net: &Mlp) -> Self {
        let zeros = || -> Vec<(Array2<f64>, Array1<f64>)> {
            net.layers
                .iter()
                .map(|d| (Array2::zeros(d.w.dim()), Array1::zeros(d.b.len())))
                .collect()
        };
        OptimizerState {
            first: zeros(),
            second: zeros(),
            t: 0,
        }
    }
}

/// One step of the configured optimizer.
fn step(net: &mut Mlp, grads: &Gradients, state: &mut OptimizerState, cfg: &TrainConfig) {
    state.t = state.t.saturating_add(1);
    for (((layer, (vw, vb)), (sw, sb)), (dw, db)) in net
        .layers
        .iter_mut()
        .zip(state.first.iter_mut())
        .zip(state.second.iter_mut())
        .zip(grads.dw.iter().zip(&grads.db))
    {
        match cfg.optimizer {
            Optimizer::Adam(adam) => {
                adam.update_unchecked(cfg.lr, state.t, &mut layer.w, dw, vw, sw);
                adam.update_unchecked(cfg.lr, state.t, &mut layer.b, db, vb, sb);
            }
            Optimizer::Sgd if cfg.momentum == 0.0 => {
                layer.w.scaled_add(-cfg.lr, dw);
                layer.b.scaled_add(-cfg.lr, db);
            }
            Optimizer::Sgd => {
                *vw *= cfg.momentum;
                vw.scaled_add(-cfg.lr, dw);
                *vb *= cfg.momentum;
                vb.scaled_add(-cfg.lr, db);
                layer.w += &*vw;
                layer.b += &*vb;
            }
        }
    }
}

/// Train `net` on (x, labels) and return the history.
pub fn train(
    net: &mut Mlp,
    x: &Array2<f64>,
    labels: &[usize],
    cfg: &TrainConfig,
) -> Result<History> {
    train_with(net, x, labels, cfg, |_, _| {})
}

/// Train, calling `observe` with each epoch's record and the network in that state
/// (epoch 0 included), for example to follow the weights or drive a progress bar.
pub fn train_with(
    net: &mut Mlp,
    x: &Array2<f64>,
    labels: &[usize],
    cfg: &TrainConfig,
    mut observe: impl FnMut(&EpochRecord, &Mlp),
) -> Result<History> {
    cfg.validate()?;
    check_data(net, x, labels, cfg.loss)?;
    all_finite("inputs", x)?;
    // Column-major once, so that each epoch's forward pass copies it straight.
    let x = &kernels::column_major(x);
    let mut state = OptimizerState::new(net);
    let mut shuffle_rng = rng(cfg.seed);
    let mut order: Vec<usize> = (0..x.nrows()).collect();
    let mut history = History::default();
    let mut ws = Workspace::new();
    let mut batch_ws = Workspace::new();

    let record = ws.evaluate(net, x, labels, cfg.loss, 0);
    observe(&record, net);
    history.records.push(record);
    for epoch in 1..=cfg.epochs {
        match cfg.batch_size {
            Some(size) if size < x.nrows() => {
                order.shuffle(&mut shuffle_rng);
                for chunk in order.chunks(size) {
                    let xb = x.select(Axis(0), chunk);
                    let yb: Vec<usize> = chunk.iter().map(|&i| labels[i]).collect();
                    batch_ws.gradients(net, &xb, &yb, cfg.loss);
                    step(net, &batch_ws.grads, &mut state, cfg);
                }
            }
            _ => step(net, &ws.grads, &mut state, cfg),
        }
        if !net.is_finite() {
            history.diverged = Some(Divergence {
                epoch,
                reason: "a weight or bias became non-finite".to_string(),
            });
            break;
        }
        let record = ws.evaluate(net, x, labels, cfg.loss, epoch);
        if !record.loss.is_finite() || record.grad_norms.iter().any(|n| !n.is_finite()) {
            history.diverged = Some(Divergence {
                epoch,
                reason: format!("the loss became {}", record.loss),
            });
            break;
        }
        observe(&record, net);
        history.records.push(record);
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activation, Init, MlpSpec};
    use ndarray::array;

    fn xor() -> (Array2<f64>, Vec<usize>) {
        (
            array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
            vec![0, 1, 1, 0],
        )
    }

    #[test]
    fn learns_xor() {
        let (x, y) = xor();
        let mut net = MlpSpec::new(&[2, 8, 2], Activation::Tanh, Init::xavier_normal())
            .build(3)
            .unwrap();
        let h = train(&mut net, &x, &y, &TrainConfig::new(0.5, 2000).momentum(0.5)).unwrap();
        assert_eq!(h.records.len(), 2001);
        assert_eq!(h.last().accuracy, 1.0);
        assert!(h.last().loss < 0.05, "{}", h.last().loss);
    }

    #[test]
    fn mini_batches_are_reproducible() {
        let (x, y) = xor();
        let spec = MlpSpec::new(&[2, 4, 2], Activation::Relu, Init::he_normal());
        let cfg = TrainConfig::new(0.1, 50).mini_batch(3, 9);
        let run = || {
            let mut net = spec.build(1).unwrap();
            (train(&mut net, &x, &y, &cfg).unwrap(), net)
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn a_diverging_run_says_when() {
        let x = array![[1.0, 2.0], [2.0, 1.0], [-1.0, -3.0]];
        let y = vec![0, 1, 0];
        let mut net = MlpSpec::new(
            &[2, 16, 16, 2],
            Activation::Identity,
            Init::normal(3.0).unwrap(),
        )
        .build(0)
        .unwrap();
        let h = train(&mut net, &x, &y, &TrainConfig::new(50.0, 200)).unwrap();
        let d = h
            .diverged
            .expect("a learning rate of 50 on large identity layers diverges");
        assert_eq!(h.records.len(), d.epoch);
    }

    #[test]
    fn bad_configs_are_errors() {
        let (x, y) = xor();
        let mut net = MlpSpec::new(&[2, 2, 2], Activation::Tanh, Init::xavier_normal())
            .build(0)
            .unwrap();
        let e = train(&mut net, &x, &y, &TrainConfig::new(0.0, 10)).unwrap_err();
        assert_eq!(e.to_string(), "learning rate must be finite and > 0, got 0");
        assert!(train(&mut net, &x, &y, &TrainConfig::new(-1.0, 10)).is_err());
        assert!(train(&mut net, &x, &y, &TrainConfig::new(0.1, 10).momentum(1.0)).is_err());
        assert!(
            train(
                &mut net,
                &x,
                &y,
                &TrainConfig::new(0.1, 10).mini_batch(0, 0)
            )
            .is_err()
        );
        assert!(train(&mut net, &x, &y[..3], &TrainConfig::new(0.1, 10)).is_err());
        assert!(train(&mut net, &x, &[0, 1, 2, 0], &TrainConfig::new(0.1, 10)).is_err());
    }

    /// Adam against PyTorch's documented algorithm (`torch.optim.Adam`, no weight decay,
    /// no AMSGrad), worked by hand on f(θ) = θ²/2, so g = θ, from θ₀ = 1 with
    /// lr = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8:
    ///
    /// - t = 1: g = 1, m = 0.1, v = 0.001, m̂ = 0.1/0.1 = 1, v̂ = 0.001/0.001 = 1,
    ///   θ₁ = 1 - 0.1·1/(1 + 1e-8) = 0.900000000999999990...
    /// - t = 2: g = θ₁, m = 0.9·0.1 + 0.1·θ₁, v = 0.999·0.001 + 0.001·θ₁²,
    ///   m̂ = m/(1 - 0.9²), v̂ = v/(1 - 0.999²), θ₂ = θ₁ - 0.1·m̂/(√v̂ + ε) = 0.800412229712337391...
    /// - t = 3: the same with θ₂ and the corrections 1 - 0.9³, 1 - 0.999³:
    ///   θ₃ = 0.701586274504414214...
    ///
    /// The values were carried out in 50-digit decimal arithmetic. The f64 run agrees to
    /// 1e-14: the bias correction 1 - 0.999^t ≈ 0.001·t cancels, so its rounding error
    /// (half an ulp of 1, 1.1e-16) is a relative error of up to 1.1e-13/t in v̂, half of that
    /// in √v̂, on a step of about 0.1: at most 6e-15.
    #[test]
    // The reference values keep the digits of the decimal derivation.
    #[allow(clippy::excessive_precision)]
    fn adam_matches_pytorchs_algorithm_worked_by_hand() {
        let adam = Adam::new(0.9, 0.999, 1e-8).unwrap();
        let (mut p, mut m, mut v) = (array![1.0], array![0.0], array![0.0]);
        let reference = [
            0.900_000_000_999_999_99,
            0.800_412_229_712_337_391,
            0.701_586_274_504_414_214,
        ];
        for (t, want) in (1..=3).zip(reference) {
            let g = p.clone();
            adam.update(0.1, t, &mut p, &g, &mut m, &mut v).unwrap();
            assert!((p[0] - want).abs() < 1e-14, "step {t}: {} vs {want}", p[0]);
        }
    }

    /// Where ε goes: on f(θ) = θ², g = 2θ, from θ₀ = 1 with lr = 0.25, β₁ = 0.5,
    /// β₂ = 0.75 and a large ε = 0.5, the first step is
    /// θ₁ = 1 - 0.25·2/(√4 + 0.5) = 0.8 exactly (PyTorch's m̂/(√v̂ + ε)); ε inside the root,
    /// m̂/√(v̂ + ε), would give 1 - 0.5/√4.5 = 0.7643. Steps 2 and 3, in 50-digit decimal
    /// arithmetic as above: 0.610145877356409457..., 0.435736455480053448...
    #[test]
    // The reference values keep the digits of the decimal derivation.
    #[allow(clippy::excessive_precision)]
    fn adam_adds_epsilon_outside_the_root() {
        let adam = Adam::new(0.5, 0.75, 0.5).unwrap();
        let (mut p, mut m, mut v) = (array![1.0], array![0.0], array![0.0]);
        let reference = [0.8, 0.610_145_877_356_409_458, 0.435_736_455_480_053_448];
        for (t, want) in (1..=3).zip(reference) {
            let g = 2.0 * &p;
            adam.update(0.25, t, &mut p, &g, &mut m, &mut v).unwrap();
            assert!((p[0] - want).abs() < 4e-16, "step {t}: {} vs {want}", p[0]);
        }
    }

    /// Training with Adam: the first step moves every parameter by lr·g/(|g| + ε), the
    /// full-batch gradient g at initialization.
    #[test]
    fn adams_first_training_step_is_lr_times_the_sign() {
        let (x, y) = xor();
        let spec = MlpSpec::new(&[2, 3, 2], Activation::Tanh, Init::xavier_normal());
        let mut net = spec.build(4).unwrap();
        let start = net.clone();
        let (_, g) = evaluate(&start, &x, &y, Loss::SoftmaxCrossEntropy).unwrap();
        let lr = 0.01;
        train(&mut net, &x, &y, &TrainConfig::new(lr, 1).adam()).unwrap();
        for l in 0..2 {
            let moved = &start.layers[l].w - &net.layers[l].w;
            for (d, g) in moved.iter().zip(&g.dw[l]) {
                let want = lr * g / (g.abs() + 1e-8);
                assert!((d - want).abs() < 1e-15, "{d} vs {want}");
            }
            let moved = &start.layers[l].b - &net.layers[l].b;
            for (d, g) in moved.iter().zip(&g.db[l]) {
                assert!((d - lr * g / (g.abs() + 1e-8)).abs() < 1e-15);
            }
        }
        // And it learns XOR.
        let mut net = MlpSpec::new(&[2, 8, 2], Activation::Tanh, Init::xavier_normal())
            .build(3)
            .unwrap();
        let h = train(&mut net, &x, &y, &TrainConfig::new(0.05, 300).adam()).unwrap();
        assert_eq!(h.last().accuracy, 1.0);
        // Mini-batch Adam is reproducible.
        let cfg = TrainConfig::new(0.01, 20).adam().mini_batch(3, 5);
        let run = || {
            let mut net = spec.build(1).unwrap();
            (train(&mut net, &x, &y, &cfg).unwrap(), net)
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn bad_adam_hyperparameters_are_errors() {
        assert_eq!(
            Adam::new(1.0, 0.999, 1e-8).unwrap_err().to_string(),
            "Adam's beta1 must be in [0, 1), got 1"
        );
        assert_eq!(
            Adam::new(0.9, -0.1, 1e-8).unwrap_err().to_string(),
            "Adam's beta2 must be in [0, 1), got -0.1"
        );
        assert_eq!(
            Adam::new(0.9, 0.999, 0.0).unwrap_err().to_string(),
            "Adam's epsilon must be finite and > 0, got 0"
        );
        assert!(Adam::new(f64::NAN, 0.999, 1e-8).is_err());
        assert!(Adam::new(0.9, 0.999, f64::INFINITY).is_err());
        assert!(Adam::new(0.0, 0.0, 1e-8).is_ok());
        let adam = Adam::PYTORCH;
        let (mut p, g, mut m, mut v) = (array![1.0], array![1.0], array![0.0], array![0.0]);
        for lr in [0.0, -0.1, f64::NAN] {
            assert!(matches!(
                adam.update(lr, 1, &mut p, &g, &mut m, &mut v),
                Err(Error::OutOfRange {
                    name: "learning rate",
                    ..
                })
            ));
        }
        assert!(matches!(
            adam.update(0.1, 0, &mut p, &g, &mut m, &mut v),
            Err(Error::Zero { .. })
        ));
        let mut short = array![0.0, 0.0];
        assert!(matches!(
            adam.update(0.1, 1, &mut p, &g, &mut short, &mut v),
            Err(Error::Shape { .. })
        ));
        assert_eq!(p, array![1.0], "a rejected update changes nothing");
        let (x, y) = xor();
        let mut net = MlpSpec::new(&[2, 2, 2], Activation::Tanh, Init::xavier_normal())
            .build(0)
            .unwrap();
        let bad = Optimizer::Adam(Adam {
            beta1: 0.9,
            beta2: 1.5,
            eps: 1e-8,
        });
        let cfg = TrainConfig::new(0.1, 10).optimizer(bad);
        assert!(train(&mut net, &x, &y, &cfg).is_err());
        let cfg = TrainConfig::new(0.1, 10).adam().momentum(0.5);
        assert!(train(&mut net, &x, &y, &cfg).is_err());
        assert!(train(&mut net, &x, &y, &TrainConfig::new(0.0, 10).adam()).is_err());
    }
}

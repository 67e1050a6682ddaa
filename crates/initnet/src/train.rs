//! Gradient descent: full-batch or mini-batch, with optional momentum, and a history
//! of every epoch. A run whose loss or parameters stop being finite stops and says so.

use ndarray::{Array1, Array2, Axis};
use rand::seq::SliceRandom;

use crate::error::{Error, Result, all_finite, positive};
use crate::kernels::{self, fused};
use crate::loss::Loss;
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
        }
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

/// One gradient step with momentum buffers `velocity` (one (dW, db) pair per layer).
fn step(
    net: &mut Mlp,
    grads: &Gradients,
    velocity: &mut [(Array2<f64>, Array1<f64>)],
    cfg: &TrainConfig,
) {
    for ((layer, (vw, vb)), (dw, db)) in net
        .layers
        .iter_mut()
        .zip(velocity.iter_mut())
        .zip(grads.dw.iter().zip(&grads.db))
    {
        if cfg.momentum == 0.0 {
            layer.w.scaled_add(-cfg.lr, dw);
            layer.b.scaled_add(-cfg.lr, db);
        } else {
            *vw *= cfg.momentum;
            vw.scaled_add(-cfg.lr, dw);
            *vb *= cfg.momentum;
            vb.scaled_add(-cfg.lr, db);
            layer.w += &*vw;
            layer.b += &*vb;
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
    let mut velocity: Vec<_> = net
        .layers
        .iter()
        .map(|d| (Array2::zeros(d.w.dim()), Array1::zeros(d.b.len())))
        .collect();
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
                    step(net, &batch_ws.grads, &mut velocity, cfg);
                }
            }
            _ => step(net, &ws.grads, &mut velocity, cfg),
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
}

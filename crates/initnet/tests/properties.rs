//! Invariants that hold for all inputs, checked with proptest.

use initnet::ndarray::{Array1, Array2};
use initnet::{Activation, Blobs, Dense, Init, Loss, Mlp, MlpSpec, TrainConfig, train};
use proptest::prelude::*;

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Relu),
        (0.0..0.5f64).prop_map(Activation::LeakyRelu),
    ]
}

/// A 2-layer network whose hidden units 0 and 1 have identical incoming weights, biases
/// and outgoing weights; the other hidden units are arbitrary.
fn symmetric_net(n_in: usize, hidden: usize, n_out: usize, values: &[f64], act: Activation) -> Mlp {
    let mut it = values.iter().copied().cycle();
    let mut w1 = Array2::from_shape_simple_fn((hidden, n_in), || it.next().unwrap());
    let mut b1 = Array1::from_shape_simple_fn(hidden, || it.next().unwrap());
    let mut w2 = Array2::from_shape_simple_fn((n_out, hidden), || it.next().unwrap());
    let b2 = Array1::from_shape_simple_fn(n_out, || it.next().unwrap());
    let row0 = w1.row(0).to_owned();
    w1.row_mut(1).assign(&row0);
    b1[1] = b1[0];
    let col0 = w2.column(0).to_owned();
    w2.column_mut(1).assign(&col0);
    Mlp::from_layers(vec![
        Dense::new(w1, b1, act).unwrap(),
        Dense::new(w2, b2, Activation::Identity).unwrap(),
    ])
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Two hidden units with identical incoming and outgoing weights receive identical
    /// gradients, so they stay identical, bit for bit, after any number of steps, for any
    /// data, activation, learning rate, momentum and batch size.
    #[test]
    fn identical_hidden_units_stay_identical(
        n_in in 1usize..4,
        hidden in 2usize..5,
        n_out in 2usize..5,
        values in prop::collection::vec(-2.0..2.0f64, 8..40),
        data in prop::collection::vec(-3.0..3.0f64, 8..60),
        act in activation(),
        steps in 0usize..25,
        lr in 0.001..1.0f64,
        momentum in prop_oneof![Just(0.0), 0.0..0.9f64],
        batch in prop_oneof![Just(None), (1usize..6).prop_map(Some)],
    ) {
        let samples = data.len() / n_in;
        prop_assume!(samples >= 1);
        let x = Array2::from_shape_vec((samples, n_in), data[..samples * n_in].to_vec()).unwrap();
        let y: Vec<usize> = (0..samples).map(|i| i % n_out).collect();
        let mut net = symmetric_net(n_in, hidden, n_out, &values, act);
        let mut cfg = TrainConfig::new(lr, steps).momentum(momentum);
        if let Some(b) = batch {
            cfg = cfg.mini_batch(b, 3);
        }
        let history = train(&mut net, &x, &y, &cfg).unwrap();
        prop_assume!(history.diverged.is_none());
        let (w1, b1, w2) = (&net.layer(1).w, &net.layer(1).b, &net.layer(2).w);
        for j in 0..n_in {
            prop_assert_eq!(w1[[0, j]].to_bits(), w1[[1, j]].to_bits());
        }
        prop_assert_eq!(b1[0].to_bits(), b1[1].to_bits());
        for k in 0..n_out {
            prop_assert_eq!(w2[[k, 0]].to_bits(), w2[[k, 1]].to_bits());
        }
    }

    /// Softmax cross-entropy is finite and non-negative for any finite logits, and its
    /// gradient rows sum to zero (the softmax is shift-invariant).
    #[test]
    fn softmax_cross_entropy_is_stable(
        logits in prop::collection::vec(-1e6..1e6f64, 3..30),
    ) {
        let rows = logits.len() / 3;
        let z = Array2::from_shape_vec((rows, 3), logits[..rows * 3].to_vec()).unwrap();
        let y: Vec<usize> = (0..rows).map(|i| i % 3).collect();
        let (loss, grad) = Loss::SoftmaxCrossEntropy.evaluate(&z, &y).unwrap();
        prop_assert!(loss.is_finite() && loss >= 0.0);
        for row in grad.rows() {
            prop_assert!(row.sum().abs() < 1e-12);
        }
    }

    /// The same seed gives the same data, network and training history.
    #[test]
    fn same_seed_same_run(seed in 0u64..1000, act in activation()) {
        let run = || {
            let data = Blobs::new(40, 4).generate(seed).unwrap();
            let mut net = MlpSpec::new(&[2, 3, 4], act, Init::he_uniform()).build(seed).unwrap();
            let h = train(&mut net, &data.x, &data.y, &TrainConfig::new(0.05, 5).mini_batch(7, seed)).unwrap();
            (data, net, h)
        };
        prop_assert_eq!(run(), run());
    }
}

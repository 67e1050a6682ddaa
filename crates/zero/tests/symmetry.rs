//! The chapter's claim as a property: two hidden units that start with the same incoming
//! weights, bias and outgoing weights stay the same, bit for bit, through full-batch
//! gradient steps, on any data, with any activation; and while they are the same, the
//! 2-2-4 network computes exactly what a 2-1-4 network does. Each case runs 0 to 59 steps
//! (drawn at random); the chapter's argument is an induction over steps, and its runs keep
//! the units identical for up to 1000 steps (tests/claims.rs).

use proptest::prelude::*;
use zero::initnet::ndarray::{Array1, Array2, array};
use zero::initnet::{Activation, Dataset, Dense, Mlp};
use zero::{same_bits, train_net, units};

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Relu),
        Just(Activation::Identity),
        (0.0..0.5f64).prop_map(Activation::LeakyRelu),
    ]
}

/// A weight: often exactly 0 (the zero start and ReLU's kink at 0), otherwise anything
/// in [-2, 2].
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 4 => -2.0..2.0f64]
}

/// The 2-2-4 network whose two hidden units share incoming weights `w_in`, bias `b` and
/// outgoing weights `w_out`.
fn symmetric(w_in: [f64; 2], b: f64, w_out: [f64; 4], b2: [f64; 4], act: Activation) -> Mlp {
    let w1 = array![[w_in[0], w_in[1]], [w_in[0], w_in[1]]];
    let w2 = Array2::from_shape_fn((4, 2), |(k, _)| w_out[k]);
    Mlp::from_layers(vec![
        Dense::new(w1, array![b, b], act).unwrap(),
        Dense::new(w2, Array1::from(b2.to_vec()), Activation::Identity).unwrap(),
    ])
    .unwrap()
}

fn data() -> impl Strategy<Value = Dataset> {
    (1usize..40)
        .prop_flat_map(|n| {
            (
                prop::collection::vec(-3.0..3.0f64, 2 * n),
                prop::collection::vec(0usize..4, n),
            )
        })
        .prop_map(|(x, y)| {
            Dataset::new(Array2::from_shape_vec((y.len(), 2), x).unwrap(), y, 4).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn identical_units_stay_identical_bit_for_bit(
        data in data(),
        w_in in [weight(), weight()],
        b in weight(),
        w_out in [weight(), weight(), weight(), weight()],
        b2 in [weight(), weight(), weight(), weight()],
        act in activation(),
        steps in 0usize..60,
        lr in 0.001..2.0f64,
    ) {
        let net = symmetric(w_in, b, w_out, b2, act);
        prop_assert!(same_bits(&units(&net).unwrap()));
        let run = train_net(net, &data, lr, steps).unwrap();
        // Every recorded epoch (all of them unless the run diverged and stopped early).
        prop_assert!(run.identical_every_epoch);
        prop_assert!(run.units.iter().all(|u| same_bits(u)));
        prop_assert_eq!(run.units.len(), run.history.records.len());
    }

    #[test]
    fn identical_units_are_one_unit(
        data in data(),
        w_in in [weight(), weight()],
        b in weight(),
        w_out in [weight(), weight(), weight(), weight()],
        b2 in [weight(), weight(), weight(), weight()],
        act in activation(),
    ) {
        let two = symmetric(w_in, b, w_out, b2, act);
        // One hidden unit whose outgoing weights are the sum of the two units' weights.
        let one = Mlp::from_layers(vec![
            Dense::new(array![[w_in[0], w_in[1]]], array![b], act).unwrap(),
            Dense::new(Array2::from_shape_fn((4, 1), |(k, _)| 2.0 * w_out[k]), Array1::from(b2.to_vec()), Activation::Identity).unwrap(),
        ]).unwrap();
        let (z2, z1) = (two.predict(&data.x).unwrap(), one.predict(&data.x).unwrap());
        // v h + v h and (2 v) h agree up to one rounding of a sum of at most three terms
        // each below 2 * 2 * max(|h|) + 2; a relative bound of 1e-12 is far above that.
        for (a, c) in z2.iter().zip(&z1) {
            prop_assert!((a - c).abs() <= 1e-12 * (1.0 + a.abs()), "{} vs {}", a, c);
        }
    }
}

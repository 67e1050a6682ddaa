//! The chapter's rounding-level claims alone: the first gradient's residue, the sigmoid's
//! escape from the zero saddle (its step range and growth factors), and the zero-initialized
//! tanh and ReLU networks that never move (which class a rounding error favours). These are
//! the numbers a last-bit difference between CPUs would change first, so `cargo xtask
//! portable` runs this test under an emulated CPU without AVX or FMA; the full claims test
//! (`claims.rs`) computes them too, beside every other number of the chapter.

use zero::initnet::Activation;
use zero::*;

mod common;
use common::{at_most, max};

#[test]
fn the_rounding_level_claims_hold() {
    let mut c = claims::Claims::new();

    let esc = escape(Activation::Sigmoid, SAMPLES, &SEEDS, LR, ESCAPE_EPOCHS).unwrap();
    assert!(esc.first_gradient.iter().all(|&g| g > 0.0));
    c.add(
        "first_gradient_max",
        at_most(max(esc.first_gradient.iter().copied())),
    );
    assert!(esc.identical_in_every_run);
    let steps: Vec<usize> = esc
        .escape_epoch
        .iter()
        .map(|e| e.expect("every seed escapes"))
        .collect();
    c.add("escape_first", steps.iter().min().unwrap())
        .add("escape_last", steps.iter().max().unwrap());
    let lowest = esc
        .predicted_growth
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    c.add("growth_min", format!("{lowest:.3}")).add(
        "growth_max",
        format!("{:.3}", max(esc.predicted_growth.iter().copied())),
    );
    let acc = Spread::of(&esc.final_accuracy);
    c.add("escape_acc_mean", format!("{:.3}", acc.mean));

    let table = zero_table(SAMPLES, &SEEDS, LR, ZERO_EPOCHS).unwrap();
    let (tanh, relu) = (&table[1], &table[2]);
    assert_eq!(
        (tanh.activation, relu.activation),
        (Activation::Tanh, Activation::Relu)
    );
    let silent = [tanh, relu];
    c.add(
        "tanh_w_moved",
        max(silent
            .iter()
            .flat_map(|o| [o.moved_max.w1, o.moved_max.b1, o.moved_max.w2])),
    );
    c.add(
        "tanh_b2_moved",
        at_most(max(silent.iter().map(|o| o.moved_max.b2))),
    );
    c.add(
        "tanh_loss_change",
        at_most(max(silent.iter().map(|o| o.max_loss_change))),
    );
    let class0 = tanh
        .ends
        .iter()
        .filter(|net| predict_classes(net, &[0.0, 0.0]).unwrap()[0] == 0)
        .count();
    c.add("class0_seeds", class0);

    if let Err(problems) = claims::check_some(CHAPTER.markdown, &c) {
        panic!("the chapter and its rounding-level experiments disagree:\n{problems}");
    }
}

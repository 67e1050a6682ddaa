//! Every number the chapter states, recomputed, and the assertions behind its sentences.

use residual::SEEDS;
use residual::adam::Reruns;
use residual::scale::{SCALES, ScaleStudy};
use residual::signal::{DeepResidual, ProfileStudy, SETUPS, TrainingStudy, plain_growth};

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn index(name: &str) -> usize {
    SETUPS.iter().position(|s| s.name == name).unwrap()
}

/// `measured` lies within five standard errors `se` of `predicted` (Chebyshev: a chance of
/// at most 1/25 for a mean of uncorrelated increments, whatever their law).
fn within_five_se(what: &str, measured: f64, se: f64, predicted: f64) {
    assert!(
        (measured - predicted).abs() < 5.0 * se,
        "{what}: {measured} ± {se} vs {predicted}"
    );
}

#[test]
fn the_chapter_states_what_the_experiments_give() {
    let mut c = claims::Claims::new();
    let setting = DeepResidual::chapter();
    c.add("seeds", SEEDS.len())
        .add("blocks", setting.blocks)
        .add("width", setting.width)
        .add("samples", setting.samples)
        .add("epochs", setting.epochs)
        .add("lr", setting.lr)
        .add("momentum", setting.momentum);

    // ---- Signal growth at initialization ------------------------------------------------
    let study = ProfileStudy::chapter(&SEEDS).unwrap();
    let l = setting.blocks;
    let r = theory::branch_gain(initnet::Activation::Relu, 2.0, 2)
        .unwrap()
        .unwrap();
    let plain = index("plain");
    let (growth, se) = study.block_ratio(plain, false);
    within_five_se("plain q growth", growth, se, 1.0 + r);
    c.add("plain.growth", format!("{growth:.2}"))
        .add("plain.predicted", 1.0 + r);
    let (g_growth, g_se) = study.block_ratio(plain, true);
    within_five_se("plain gradient growth", g_growth, g_se, 1.0 + r);
    c.add("plain.grad_growth", format!("{g_growth:.2}"));

    let scaled = index("α = 1/√L");
    let (s_growth, s_se) = study.block_ratio(scaled, false);
    let s_pred = 1.0 + r / l as f64;
    within_five_se("scaled q growth", s_growth, s_se, s_pred);
    c.add("scaled.growth", format!("{s_growth:.3}"))
        .add("scaled.predicted", format!("{s_pred:.3}"));

    // BatchNorm: the increment's expectation is 1 minus the ε share, mean of
    // σ²/(σ² + ε) ≤ 1; the ε share is below 1e-3 here (σ² of a branch unit is of order q).
    let bn = index("BatchNorm");
    let (inc, inc_se) = study.block_increment(bn);
    within_five_se("BatchNorm increment", inc, inc_se, 1.0);
    c.add("bn.increment", format!("{inc:.2}"))
        .add("bn.predicted", 1);
    // The gradient of the batch-normalized network grows toward the input.
    let bn_grad = study.mean_by_block(bn, true);
    assert!(bn_grad[0] > 10.0 * bn_grad[l]);

    // Fixup, ReZero and zero γ start as the identity: x^L = x^0 on every seed, exactly.
    for name in ["Fixup", "ReZero", "BatchNorm, zero γ"] {
        for p in &study.profiles[index(name)] {
            assert_eq!(p.q[l], p.q[0], "{name}");
        }
    }
    // ReZero and zero γ pass the top gradient down unchanged; Fixup's zero head passes none.
    for name in ["ReZero", "BatchNorm, zero γ"] {
        for p in &study.profiles[index(name)] {
            assert_eq!(p.grad[0], p.grad[l], "{name}");
        }
    }
    for p in &study.profiles[index("Fixup")] {
        assert!(p.grad.iter().all(|&g| g == 0.0));
    }

    // ---- Training ------------------------------------------------------------------------
    let training = TrainingStudy::chapter(&SEEDS).unwrap();
    assert_eq!(
        training.diverged(plain),
        SEEDS.len(),
        "the plain network diverges"
    );
    for (i, s) in SETUPS.iter().enumerate().skip(1) {
        // "Every fix trains": no divergence, and every seed well above chance (1/2).
        assert_eq!(training.diverged(i), 0, "{}", s.name);
        assert!(min(&training.accuracies(i)) > 0.75, "{}", s.name);
    }

    // ---- Scale under layer normalization ---------------------------------------------------
    // ε = 1e-5 against branch variances of order s² q ≥ 1e-2 here: relative effects below
    // 1e-2 on the logits and on s times the gradient, and on the steps' ratios (5%).
    let scale = ScaleStudy::chapter(&SEEDS).unwrap();
    for (k, s) in SCALES.iter().enumerate() {
        assert!(min(&scale.at(k, |a| -a.logit_change)) > -1e-2);
        let g = book::mean(scale.at(k, |a| a.grad_ratio));
        assert!((g - 1.0).abs() < 1e-2, "s = {s}: {g}");
    }
    let sgd: Vec<f64> = (0..3)
        .map(|k| book::mean(scale.at(k, |a| a.sgd_step)))
        .collect();
    let adam: Vec<f64> = (0..3)
        .map(|k| book::mean(scale.at(k, |a| a.adam_step)))
        .collect();
    for k in 0..2 {
        assert!((sgd[k] / sgd[k + 1] / 100.0 - 1.0).abs() < 0.05, "{sgd:?}");
        assert!(
            (adam[k] / adam[k + 1] / 10.0 - 1.0).abs() < 0.05,
            "{adam:?}"
        );
    }

    // ---- Adam reruns -----------------------------------------------------------------------
    let reruns = Reruns::chapter(&SEEDS).unwrap();
    let (pytorch, xavier) = (&reruns.acc[0], &reruns.acc[1]);
    // Thirty Xavier layers train under Adam on every seed.
    assert!(min(&xavier[0]) >= 0.9, "{xavier:?}");
    // PyTorch's default: far above majority on average, its lowest seed near chance.
    assert!(
        book::mean(&pytorch[0]) > 0.8 && min(&pytorch[0]) < 0.6,
        "{pytorch:?}"
    );

    // ---- Exercises -------------------------------------------------------------------------
    let q = theory::residual_q(1.0, 1.0 / (2.0 * l as f64).sqrt(), 2.0, l).unwrap();
    c.add("ex1.ratio", format!("{:.2}", q[l]));
    let (g1, se1) = plain_growth(&setting, 1, &SEEDS).unwrap();
    // The one-layer branch's positive drift makes the growth exceed the mean field's 2 by
    // far more than five standard errors.
    assert!(g1 > 2.0 + 5.0 * se1 + 0.5, "{g1} ± {se1}");
    c.add("ex2.growth", format!("{g1:.2}"));

    claims::check(residual::CHAPTER.markdown, &c).unwrap();
}

//! Every number the chapter states, recomputed, and the assertions behind its sentences.

use residual::SEEDS;
use residual::adam::Reruns;
use residual::scale::{SCALES, ScaleStudy};
use residual::signal::{
    DeepResidual, LINEAR_EPOCHS, PRE_LN, PROFILED, ProfileStudy, SETUPS, TrainingStudy,
    linear_baseline, plain_growth,
};

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn index(name: &str) -> usize {
    PROFILED.iter().position(|s| s.name == name).unwrap()
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
    // The model's name, GPT-2: the check counts every digit of the prose.
    c.add("gpt", 2);
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
    // The typical growth: the geometric mean of the per-block factors lies below the mean
    // field's 3 (Jensen), by more than five standard errors of the mean log.
    let (typical, se_log) = study.block_log_ratio(plain);
    assert!(
        initnet::math::ln(1.0 + r) - initnet::math::ln(typical) > 5.0 * se_log,
        "{typical} ± {se_log}"
    );
    c.add("plain.typical", format!("{typical:.2}"));
    // The typical network's q^L (geometric mean over seeds) and the mean field's 3^L q^0,
    // as powers of ten.
    let order = |v: f64| claims::power_of_ten(initnet::math::log10(v).round() as i32);
    let typical_q = study.geometric_mean_by_block(plain, false)[l];
    let q0 = study.mean_by_block(plain, false)[0];
    let predicted_q = theory::residual_q(q0, 1.0, r, l).unwrap()[l];
    c.add("plain.typical.pow", order(typical_q))
        .add("plain.predicted.pow", order(predicted_q));

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
    // Pre-LN: the increment's expectation is α² r = 2 less the ε share (below 1e-3: the
    // normalized samples have variance of order q ≥ 1); the increments less their
    // expectation are martingale increments as above.
    let pre = index(PRE_LN.name);
    let (p_inc, p_se) = study.block_increment(pre);
    within_five_se("pre-LN increment", p_inc, p_se, r);
    c.add("pre.increment", format!("{p_inc:.2}"))
        .add("pre.predicted", r);
    // Pre-LN's branch output is not normalized: with zero biases, weights κ = 3 times
    // larger make every branch's output κ² = 9 times larger (ReLU is homogeneous).
    {
        let data = setting.data(0).unwrap();
        let spec = setting.spec(&PRE_LN);
        let one = spec.build(0).unwrap().forward(&data.x).unwrap();
        let three = spec
            .weight_scale(3.0)
            .build(0)
            .unwrap()
            .forward(&data.x)
            .unwrap();
        for (a, b) in one.branch.iter().zip(&three.branch).take(1) {
            for (u, v) in a.iter().zip(b) {
                assert!((v - 9.0 * u).abs() <= 1e-12 * (1.0 + v.abs()), "{u} {v}");
            }
        }
    }
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
    // ... at its first epoch: the first step overflows.
    assert!(training.divergence_epochs(plain).iter().all(|&e| e == 1));
    for (i, s) in SETUPS.iter().enumerate().skip(1) {
        assert_eq!(training.diverged(i), 0, "{}", s.name);
    }
    // The linear baseline has converged: twice the epochs give the same accuracy.
    for (&seed, &acc) in SEEDS.iter().zip(&training.linear).take(5) {
        assert_eq!(
            linear_baseline(&setting, seed, 2 * LINEAR_EPOCHS).unwrap(),
            acc
        );
    }
    // α = 1/√L, Fixup and ReZero end within 0.02 of the baseline on average; the two
    // batch-normalized networks beat it by more than five standard errors, BatchNorm on
    // every seed.
    let close = 0.02;
    for name in ["α = 1/√L", "Fixup", "ReZero"] {
        let (d, _) = training.minus_linear(index(name)).unwrap();
        assert!(d.abs() < close, "{name}: {d}");
    }
    for name in ["BatchNorm", "BatchNorm, zero γ"] {
        let (d, se) = training.minus_linear(index(name)).unwrap();
        assert!(d > 5.0 * se, "{name}: {d} ± {se}");
    }
    let bn_train = training.accuracies(bn);
    assert!(bn_train.iter().zip(&training.linear).all(|(a, b)| a > b));
    let (bn_d, _) = training.minus_linear(bn).unwrap();
    c.add("linear.close", close)
        .add("bn.minus_linear", format!("{bn_d:.3}"));

    // ---- Scale under layer normalization ---------------------------------------------------
    // ε = 1e-5 against branch variances of order s² q ≥ 1e-2 here: relative effects below
    // 1e-2 on the logits and on s times the gradient, and on the steps' ratios (5%).
    let scale = ScaleStudy::chapter(&SEEDS).unwrap();
    c.add("scale.width", scale.settings.setting.width);
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

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures residual` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&residual::CHAPTER);
}

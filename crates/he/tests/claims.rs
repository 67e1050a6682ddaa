//! Every number the chapter states, recomputed, and the closed forms it is checked against.

use he::dying::{BornDead, LrSetting, born_alive_probability, remedies};
use he::signal::{DeepStack, StackStudy, kappa};
use he::training::{DeepTraining, TrainingStudy};
use initnet::{Activation, BiasInit, Init, mean_std};

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn the_chapter_states_what_the_experiments_give() {
    let mut c = claims::Claims::new();

    // ---- Thirty layers deep: the signal at initialization --------------------------------
    let stack = DeepStack::chapter();
    let s = he::SEEDS;
    c.add("stack_width", stack.width)
        .add("stack_depth", stack.depth)
        .add("stack_batch", stack.batch)
        .add("stack_seeds", s.len());
    let studies = he::figures::stack_studies().unwrap();
    let (he, lecun, leaky) = (&studies[0].1, &studies[1].1, &studies[2].1);
    assert_eq!(he.stack, stack);
    assert_eq!(
        (lecun.init, he.init),
        (Init::lecun_normal(), Init::he_normal())
    );
    let Activation::LeakyRelu(alpha) = leaky.activation else {
        panic!("the third study is the leaky one")
    };
    let last = stack.depth - 1;

    // The batch-and-seed mean of m^l / q^l has expectation exactly 1 and standard deviation
    // at most sqrt(v_l / seeds) (see DeepStack::relative_variance). By Chebyshev, a deviation
    // of 5 such deviations has probability at most 1/25 per layer even without normality;
    // with 20 seeds the mean is close to normal, where 5 deviations have probability 6e-7.
    for study in [he, lecun, leaky] {
        for (l, (r, sd)) in study
            .mean_square_ratio()
            .iter()
            .zip(study.mean_square_ratio_sd())
            .enumerate()
        {
            assert!(
                (r - 1.0).abs() < 5.0 * sd,
                "{} layer {}: ratio {r}, sd bound {sd}",
                study.init,
                l + 1
            );
        }
    }
    // The LeCun network is the He network with every weight divided by sqrt 2 (same normal
    // draws), and ReLU is positively homogeneous, so rms^l differs by exactly 2^(-l/2).
    for (a, b) in he.rms.iter().zip(&lecun.rms) {
        for (l, (x, y)) in a.iter().zip(b).enumerate() {
            let expected = x * initnet::math::pow(0.5, (l + 1) as f64 / 2.0);
            assert!(
                (y / expected - 1.0).abs() < 1e-9,
                "layer {}: {y} vs {expected}",
                l + 1
            );
        }
    }
    c.add(
        "he_ratio_last",
        format!("{:.2}", he.mean_square_ratio()[last]),
    );
    c.add(
        "leaky_ratio_last",
        format!("{:.2}", leaky.mean_square_ratio()[last]),
    );
    c.add("ratio_sd_last", up(he.mean_square_ratio_sd()[last], 2));
    c.add("leaky_alpha", alpha);

    // Per-layer factor of the rms, (rms^L / rms^1)^(1/(L-1)): in the log, the mean of L-1
    // per-layer steps. For one input each step of ln m has mean ln(factor^2) - kappa/(2n) + O(1/n^2)
    // (Jensen: E ln R = ln E R - Var R / 2) and variance kappa / n; the batch average can
    // only shrink both. So the mean over seeds of the log of the rms factor lies between
    // ln(predicted) - kappa/(4n) and ln(predicted), up to its standard error
    // sqrt(kappa/n) / 2 / sqrt((L-1) seeds); we allow 5 of those.
    let n = stack.width as f64;
    let k = kappa(Activation::Relu).unwrap();
    let se = (k / n).sqrt() / 2.0 / ((last as f64) * s.len() as f64).sqrt();
    for (study, predicted) in [(he, 1.0f64), (lecun, 0.5f64.sqrt())] {
        let f = study.per_layer_factor();
        let mean_log = f.iter().map(|v| initnet::math::ln(*v)).sum::<f64>() / f.len() as f64;
        let lo = initnet::math::ln(predicted) - k / (4.0 * n) - 5.0 * se;
        let hi = initnet::math::ln(predicted) + 5.0 * se;
        assert!(
            lo < mean_log && mean_log < hi,
            "{}: {mean_log} not in ({lo}, {hi})",
            study.init
        );
    }
    let geo = |f: Vec<f64>| {
        initnet::math::exp(f.iter().map(|v| initnet::math::ln(*v)).sum::<f64>() / f.len() as f64)
    };
    c.add("he_factor", format!("{:.3}", geo(he.per_layer_factor())));
    c.add(
        "lecun_factor",
        format!("{:.3}", geo(lecun.per_layer_factor())),
    );
    c.add("lecun_factor_pred", format!("{:.3}", 0.5f64.sqrt()));
    c.add(
        "lecun_rms_last",
        claims::times_power_of_ten(lecun.geometric_mean_rms()[last], 1),
    );
    c.add(
        "lecun_rms_pred_last",
        claims::times_power_of_ten(lecun.predicted[last], 1),
    );
    c.add("he_rms_pred", format!("{:.2}", he.predicted[last]));
    c.add(
        "he_rms_last",
        format!("{:.2}", he.geometric_mean_rms()[last]),
    );

    // The random walk of ln(rms^L): for one input its variance is ln(1 + v_L) / 4 in the
    // lognormal approximation; averaging over a batch can only lower it. The sample
    // standard deviation of 20 seeds has a relative standard error of about
    // 1/sqrt(2 * 19) = 0.16; we allow 4 of them above the single-input value.
    let allowance = 1.0 + 4.0 / (2.0 * (s.len() as f64 - 1.0)).sqrt();
    for study in [he, leaky] {
        for (l, (v, measured)) in study
            .relative_variance
            .iter()
            .zip(study.log_rms_sd())
            .enumerate()
        {
            let single = initnet::math::ln(1.0 + v).sqrt() / 2.0;
            assert!(
                measured < single * allowance,
                "{} layer {}: {measured} vs {single}",
                study.init,
                l + 1
            );
        }
    }
    // The exact single-input spread for ReLU (trigamma sum), which the lognormal value above
    // approximates; the batch can only lower it too.
    let single_sd = |st: &he::signal::StackStudy, l: usize| {
        he::signal::relu_log_rms_sd(st.stack.width, st.stack.depth).unwrap()[l]
    };
    for (l, measured) in he.log_rms_sd().iter().enumerate() {
        assert!(
            *measured < single_sd(he, l) * allowance,
            "layer {}: {measured}",
            l + 1
        );
    }
    // Far below the single-input spread in the first layer (the batch averages over nearly
    // independent inputs: a quarter is generous), closer at the last.
    let first_ratio = he.log_rms_sd()[0] / single_sd(he, 0);
    let last_ratio = he.log_rms_sd()[last] / single_sd(he, last);
    assert!(first_ratio < 0.25, "{first_ratio}");
    assert!(last_ratio > first_ratio, "{first_ratio} {last_ratio}");
    c.add("log_sd_first", format!("{:.3}", he.log_rms_sd()[0]));
    c.add("log_sd_single_first", format!("{:.3}", single_sd(he, 0)));
    let single = single_sd(he, last);
    let measured = he.log_rms_sd()[last];
    c.add("log_sd_last", format!("{:.2}", measured));
    c.add("log_sd_single", format!("{:.2}", single));
    c.add("step_sd", format!("{:.3}", (k / n).sqrt() / 2.0));
    c.add("kappa", k);

    // ---- Training thirty layers ----------------------------------------------------------
    let setting = DeepTraining::chapter();
    c.add("train_width", setting.width)
        .add("train_depth", setting.depth)
        .add("train_samples", setting.samples);
    c.add("train_lr", setting.lr)
        .add("train_momentum", setting.momentum)
        .add("train_epochs", setting.epochs);
    c.add("train_seeds", s.len());
    // At initialization the Xavier network is the He network scaled layer by layer: its
    // logits are exactly output_scale times He's, for every seed and input.
    let scale = setting.output_scale(Init::he_normal(), Init::xavier_normal());
    for &seed in &s {
        let x = setting.data(seed).unwrap().x;
        let he_out = setting
            .network(Init::he_normal(), seed)
            .unwrap()
            .predict(&x)
            .unwrap();
        let xa_out = setting
            .network(Init::xavier_normal(), seed)
            .unwrap()
            .predict(&x)
            .unwrap();
        for (h, x) in he_out.iter().zip(&xa_out) {
            assert!(
                (x - scale * h).abs() <= 1e-9 * (scale * h).abs(),
                "seed {seed}: {x} vs {}",
                scale * h
            );
        }
    }
    c.add("xavier_scale", claims::times_power_of_ten(scale, 1));
    let he_runs = TrainingStudy::run(&setting, Init::he_normal(), &s).unwrap();
    let xavier_runs = TrainingStudy::run(&setting, Init::xavier_normal(), &s).unwrap();
    assert_eq!(he_runs.diverged() + xavier_runs.diverged(), 0);
    let he_acc = he_runs.final_accuracies();
    let xa_acc = xavier_runs.final_accuracies();
    // What holds for every seed: each He run ends above the best Xavier run.
    assert!(min(&he_acc) > max(&xa_acc), "{he_acc:?} vs {xa_acc:?}");
    c.add("he_acc_min", format!("{:.2}", min(&he_acc)));
    c.add("he_acc_mean", format!("{:.3}", mean_std(&he_acc).0));
    c.add("xavier_acc_mean", format!("{:.2}", mean_std(&xa_acc).0));
    c.add("xavier_acc_sd", format!("{:.2}", mean_std(&xa_acc).1));
    c.add("xavier_acc_max", format!("{:.2}", max(&xa_acc)));
    c.add("he_acc_max", format!("{:.2}", max(&he_acc)));
    c.add("xavier_acc_min", format!("{:.2}", min(&xa_acc)));
    c.add("he_acc_sd", format!("{:.3}", mean_std(&he_acc).1));
    // The budget: every He run first reaches 0.95 by this epoch.
    let fit = 0.95;
    let fit_epoch = he_runs
        .histories
        .iter()
        .map(|r| r.accuracies().iter().position(|&a| a >= fit).unwrap())
        .max()
        .unwrap();
    assert!(2 * fit_epoch < setting.epochs);
    c.add("he_fit_acc", fit).add("he_fit_epoch", fit_epoch);
    // Chance on balanced circles is 1/2; a guessing classifier's accuracy on N points has
    // standard deviation sqrt(1/4 / N).
    let chance_sd = (0.25 / setting.samples as f64).sqrt();
    c.add("chance_level", 0.5)
        .add("chance_sd", format!("{chance_sd:.2}"));
    let chance = 0.5 + chance_sd;
    c.add("chance_acc", format!("{chance:.2}"));
    // Slow, not frozen: the top hidden layer's signal grows more than tenfold in every
    // Xavier run, the first layer's by less than 10 %.
    for r in &xavier_runs.histories {
        let after = r.after.as_ref().unwrap();
        let top = after[last].rms / r.before[last].rms;
        let first = after[0].rms / r.before[0].rms;
        assert!(top > 10.0, "{top}");
        assert!((first - 1.0).abs() < 0.1, "{first}");
    }
    c.add("xavier_top_growth", "tenfold")
        .add("xavier_first_growth", "10 %");
    c.add(
        "xavier_at_chance",
        xa_acc.iter().filter(|&&a| a <= chance).count(),
    );
    let xa_loss = xavier_runs.final_losses();
    c.add("xavier_loss_mean", format!("{:.2}", mean_std(&xa_loss).0));
    c.add("ln2", format!("{:.3}", initnet::math::ln(2.0)));
    // Gradient norm of layer 1 at initialization, median over seeds.
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2])
    };
    let g1 = |st: &TrainingStudy| {
        median(
            st.histories
                .iter()
                .map(|r| r.records[0].grad_norms[0])
                .collect(),
        )
    };
    c.add("he_grad1", claims::times_power_of_ten(g1(&he_runs), 1));
    c.add(
        "xavier_grad1",
        claims::times_power_of_ten(g1(&xavier_runs), 1),
    );

    // ---- Zero is not dead ----------------------------------------------------------------
    // Given layer l-1, each unit's fraction of zero outputs f_i has mean exactly 1/2 (a is
    // symmetric) and variance at most 1/4, independently over the units, so the mean over
    // n units, L layers and S seeds has standard deviation at most 1/sqrt(4 n L S)
    // (the layer deviations are martingale differences). We allow 5 of those.
    let act0 = he_runs.mean_activity(false);
    let zero_mean = act0.iter().map(|a| a.zero_fraction).sum::<f64>() / act0.len() as f64;
    let zero_sd = 1.0 / (4.0 * setting.width as f64 * setting.depth as f64 * s.len() as f64).sqrt();
    assert!((zero_mean - 0.5).abs() < 5.0 * zero_sd, "{zero_mean}");
    c.add("zero_mean", format!("{:.3}", zero_mean));
    c.add("zero_sd", up(zero_sd, 4));
    c.add("dead_init_first", format!("{:.2}", act0[0].dead_fraction));
    c.add("dead_init_last", format!("{:.2}", act0[last].dead_fraction));
    let act1 = he_runs.mean_activity(true);
    c.add("dead_after_first", format!("{:.2}", act1[0].dead_fraction));
    c.add(
        "dead_after_last",
        format!("{:.2}", act1[last].dead_fraction),
    );
    let mean_dead = |a: &[he::dying::LayerActivity]| {
        a.iter().map(|x| x.dead_fraction).sum::<f64>() / a.len() as f64
    };
    c.add("dead_init_all", format!("{:.2}", mean_dead(&act0)));
    c.add("dead_after_all", format!("{:.2}", mean_dead(&act1)));
    // Training did not kill units: per seed, the all-layer dead fraction after training
    // minus the one at initialization; its mean is at most two standard errors above zero.
    let diffs: Vec<f64> = he_runs
        .histories
        .iter()
        .map(|r| mean_dead(r.after.as_ref().expect("every He run finishes")) - mean_dead(&r.before))
        .collect();
    let (dm, dsd) = mean_std(&diffs);
    assert!(dm <= 2.0 * dsd / (diffs.len() as f64).sqrt(), "{dm} {dsd}");
    // The factor of two changes no sign: LeCun and He networks have the same dead units.
    for &seed in &s {
        let data = setting.data(seed).unwrap();
        let a =
            he::dying::hidden_activity(&setting.network(Init::he_normal(), seed).unwrap(), &data.x)
                .unwrap();
        let b = he::dying::hidden_activity(
            &setting.network(Init::lecun_normal(), seed).unwrap(),
            &data.x,
        )
        .unwrap();
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (x.zero_fraction, x.dead_fraction),
                (y.zero_fraction, y.dead_fraction)
            );
        }
    }

    // ---- A large learning rate kills units -----------------------------------------------
    let lr_setting = LrSetting::chapter();
    c.add("lr_width", lr_setting.widths[1])
        .add("lr_layers", lr_setting.widths.len() - 2);
    c.add("lr_samples", lr_setting.samples)
        .add("lr_batch", lr_setting.batch)
        .add("lr_epochs", lr_setting.epochs);
    let lrs = he::dying::LEARNING_RATES;
    let sweep = lr_setting.sweep(&lrs, &s).unwrap();
    let finished = |i: usize| sweep[i].dead_after_runs(true);
    let dead_mean = |i: usize| mean_std(&finished(i)).0;
    c.add(
        "lr_dead_init",
        format!("{:.3}", mean_std(&sweep[0].dead_at_init()).0),
    );
    c.add("lr_small", lrs[0])
        .add("lr_dead_small", format!("{:.3}", dead_mean(0)));
    c.add("lr_mid", lrs[3])
        .add("lr_dead_mid", format!("{:.3}", dead_mean(3)));
    c.add("lr_big", lrs[4])
        .add("lr_dead_big", format!("{:.2}", dead_mean(4)));
    c.add("lr_bigger", lrs[5])
        .add("lr_dead_bigger", format!("{:.2}", dead_mean(5)));
    c.add("lr_huge", lrs[6])
        .add("lr_dead_huge", format!("{:.2}", dead_mean(6)));
    for (i, name) in [
        (0, "small"),
        (3, "mid"),
        (4, "big"),
        (5, "bigger"),
        (6, "huge"),
    ] {
        c.add(&format!("lr_done_{name}"), finished(i).len());
        c.add(&format!("lr_div_{name}"), sweep[i].diverged());
    }
    for (i, name) in [(5, "bigger"), (6, "huge")] {
        let failed = sweep[i].dead_after_runs(false);
        c.add(
            &format!("lr_failed_{name}"),
            format!("{:.2}", mean_std(&failed).0),
        );
    }
    let div_epochs = sweep
        .iter()
        .flat_map(|p| p.runs.iter().filter_map(|r| r.diverged_at))
        .max()
        .unwrap();
    c.add("lr_div_epochs", div_epochs);
    // Up to lr_big no run diverges; from lr_bigger on some do.
    assert!(sweep[..5].iter().all(|p| p.diverged() == 0));
    // The finished runs' dead fraction grows with the learning rate from lr_mid to
    // lr_bigger, by more than two standard errors of the difference at every step.
    for w in sweep[3..6].windows(2) {
        let (a, b) = (w[0].dead_after_runs(true), w[1].dead_after_runs(true));
        let (m0, s0) = mean_std(&a);
        let (m1, s1) = mean_std(&b);
        let se = (s0 * s0 / a.len() as f64 + s1 * s1 / b.len() as f64).sqrt();
        assert!(
            m1 - m0 > 2.0 * se,
            "lr {} -> {}: {m0} -> {m1}",
            w[0].lr,
            w[1].lr
        );
    }

    // ---- Remedies ------------------------------------------------------------------------
    let remedy_runs = he::figures::remedy_runs().unwrap();
    let key = ["rem_relu", "rem_leaky", "rem_bias", "rem_small"];
    for ((name, point), key) in remedy_runs.iter().zip(key) {
        let (m, sd) = mean_std(&point.dead_after_runs(true));
        c.add(&format!("{key}_dead"), format!("{m:.3}"));
        c.add(&format!("{key}_sd"), format!("{sd:.3}"));
        c.add(&format!("{key}_div"), point.diverged());
        if key == "rem_leaky" {
            c.add("rem_leaky_done", point.runs.len() - point.diverged());
        }
        let _ = name;
    }
    // Differences of means in units of their standard error sqrt((s1^2 + s2^2) / S).
    let z = |a: &he::dying::LrPoint, b: &he::dying::LrPoint| {
        let (x, y) = (a.dead_after_runs(true), b.dead_after_runs(true));
        let (m0, s0) = mean_std(&x);
        let (m1, s1) = mean_std(&y);
        (m1 - m0) / (s0 * s0 / x.len() as f64 + s1 * s1 / y.len() as f64).sqrt()
    };
    let relu = &remedy_runs[0].1;
    // Leaky ReLU and the smaller learning rate leave fewer dead units, by more than two
    // standard errors; the positive bias does not (its mean is not lower by two).
    assert!(z(relu, &remedy_runs[1].1) < -2.0);
    assert!(z(relu, &remedy_runs[3].1) < -2.0);
    assert!(z(relu, &remedy_runs[2].1) > -2.0);
    c.add("rem_bias_z", format!("{:.1}", z(relu, &remedy_runs[2].1)));
    // The bias does not make every ReLU fire at the start: the dead fraction at
    // initialization with the biases is above zero by more than five standard errors.
    let init_dead = |p: &he::dying::LrPoint| mean_std(&p.dead_at_init());
    let (bias_init, bias_init_sd) = init_dead(&remedy_runs[2].1);
    assert!(
        bias_init > 5.0 * bias_init_sd / (remedy_runs[2].1.runs.len() as f64).sqrt(),
        "{bias_init}"
    );
    c.add("rem_bias_dead_init", format!("{:.3}", bias_init));
    c.add("rem_relu_dead_init", format!("{:.3}", init_dead(relu).0));
    c.add("rem_lr", relu.lr)
        .add("rem_small_lr", remedy_runs[3].1.lr);
    let BiasInit::Constant(bias) = remedies(relu.lr, remedy_runs[3].1.lr).unwrap()[2].1.bias else {
        panic!("the third remedy is a bias")
    };
    c.add("rem_bias_value", bias);

    // ---- Born dead ------------------------------------------------------------------------
    let trials = he::dying::trials();
    c.add("born_trials", trials.len());
    let depth = 30;
    c.add("born_depth", depth);
    let mut worst: f64 = 0.0;
    for width in [2, 3, 4] {
        let mc = BornDead::run(
            width,
            depth,
            Activation::Relu,
            Init::he_normal(),
            BiasInit::Zeros,
            &trials,
        )
        .unwrap();
        let alive = born_alive_probability(width, depth).unwrap();
        for (l, (f, a)) in mc.fraction().iter().zip(&alive).enumerate() {
            let p = 1.0 - a;
            let se = mc.standard_error(p);
            // 5 binomial standard errors (about 6e-7 two-sided for a normal), checked
            // against the closed form's p, not the estimate.
            assert!(
                (f - p).abs() <= 5.0 * se,
                "width {width}, depth {}: {f} vs {p}",
                l + 1
            );
            worst = worst.max((f - p).abs() / se);
        }
        if width == 2 {
            c.add("born_w2_l10", format!("{:.3}", 1.0 - alive[9]));
            c.add("born_w2_l10_mc", format!("{:.3}", mc.fraction()[9]));
        }
        if width == 3 {
            c.add("born_w3_l10", format!("{:.3}", 1.0 - alive[9]));
            c.add("born_w3_l10_mc", format!("{:.3}", mc.fraction()[9]));
            let bias = BornDead::run(
                width,
                depth,
                Activation::Relu,
                Init::he_normal(),
                BiasInit::Constant(0.1),
                &trials,
            )
            .unwrap();
            // The biases make a network born dead less often than the closed form for zero
            // biases, by more than five standard errors at every depth from ten on.
            for (l, (f, a)) in bias.fraction().iter().zip(&alive).enumerate().skip(9) {
                let p = 1.0 - a;
                let se = bias.standard_error(p);
                assert!(*f < p - 5.0 * se, "depth {}: {f} vs {p}", l + 1);
            }
            c.add("born_w3_l10_bias", format!("{:.3}", bias.fraction()[9]));
            c.add(
                "born_w3_l30_bias",
                format!("{:.3}", bias.fraction()[depth - 1]),
            );
            c.add("born_w3_l30", format!("{:.3}", 1.0 - alive[depth - 1]));
            let leaky = BornDead::run(
                width,
                depth,
                Activation::LeakyRelu(alpha),
                Init::he_normal_leaky(alpha).unwrap(),
                BiasInit::Zeros,
                &trials,
            )
            .unwrap();
            assert_eq!(leaky.dead[depth - 1], 0);
        }
    }
    c.add("born_worst_z", format!("{:.1}", worst));

    // ---- Exercises ------------------------------------------------------------------------
    // 1. Uniform weights: the ratio within five of its sd bound for both laws; the spreads
    // differ by less than the sampling error of two standard deviations of 20 seeds allows.
    let small = DeepStack::new(64, 30, 100).unwrap();
    let uni = StackStudy::run(small, Activation::Relu, Init::he_uniform(), &s).unwrap();
    let nor = StackStudy::run(small, Activation::Relu, Init::he_normal(), &s).unwrap();
    let rel_se = 1.0 / (2.0 * (s.len() as f64 - 1.0)).sqrt();
    for st in [&uni, &nor] {
        for (r, sd) in st.mean_square_ratio().iter().zip(st.mean_square_ratio_sd()) {
            assert!((r - 1.0).abs() < 5.0 * sd, "{}: {r} {sd}", st.init);
        }
    }
    let (su, sn) = (uni.log_rms_sd()[last], nor.log_rms_sd()[last]);
    let log_gap = initnet::math::ln(su / sn).abs();
    assert!(log_gap < 4.0 * rel_se * 2f64.sqrt(), "{su} vs {sn}");
    c.add(
        "ex1_ratio_uniform",
        format!("{:.2}", uni.mean_square_ratio()[last]),
    );
    c.add(
        "ex1_ratio_normal",
        format!("{:.2}", nor.mean_square_ratio()[last]),
    );
    c.add("ex1_ratio_sd", up(uni.mean_square_ratio_sd()[last], 2));
    c.add("ex1_sd_uniform", format!("{su:.2}"));
    c.add("ex1_sd_normal", format!("{sn:.2}"));
    c.add("ex1_sd_rel_se", format!("{rel_se:.2}"));
    // The exact single-input spread for normal weights at this width: a batch can only
    // lower it, so the normal stack's spread stays below it (within the allowance).
    let pred1 = he::signal::relu_log_rms_sd(64, 30).unwrap()[last];
    assert!(sn < pred1 * allowance, "{sn} {pred1}");
    c.add("ex1_sd_pred", format!("{pred1:.2}"));

    // 2. The cosine of two orthogonal inputs follows the arc-cosine map.
    let depth2 = stack.depth;
    let mut mean_cos = vec![0.0; depth2];
    for &seed in &s {
        let cos = he::signal::input_cosines(stack.width, depth2, Init::he_normal(), seed).unwrap();
        for (m, x) in mean_cos.iter_mut().zip(cos) {
            *m += x / s.len() as f64;
        }
    }
    let mut map = Vec::with_capacity(depth2);
    let mut cm = 0.0;
    for _ in 0..depth2 {
        cm = he::signal::relu_cosine_map(cm).unwrap();
        map.push(cm);
    }
    let gap = mean_cos
        .iter()
        .zip(&map)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(gap <= 0.02, "{gap}");
    c.add("ex2_seeds", s.len());
    c.add("ex2_max_gap", up(gap, 2));
    for l in [1, 10, 30] {
        c.add(&format!("ex2_c{l}"), format!("{:.2}", mean_cos[l - 1]));
        c.add(&format!("ex2_m{l}"), format!("{:.2}", map[l - 1]));
    }

    // 3. Only symmetry matters: LeCun's count is He's, the two uniform laws' are equal
    // (the same draws, scaled), and all agree with the closed form.
    let run3 = |init: Init| {
        BornDead::run(3, depth, Activation::Relu, init, BiasInit::Zeros, &trials).unwrap()
    };
    let (he3, lecun3) = (run3(Init::he_normal()), run3(Init::lecun_normal()));
    let (uni3, heu3) = (run3(Init::uniform(5.0).unwrap()), run3(Init::he_uniform()));
    assert_eq!(he3.dead, lecun3.dead);
    assert_eq!(uni3.dead, heu3.dead);
    let alive3 = born_alive_probability(3, depth).unwrap();
    let mut worst3: f64 = 0.0;
    for mc in [&he3, &uni3] {
        for (f, a) in mc.fraction().iter().zip(&alive3) {
            let p = 1.0 - a;
            let z = (f - p).abs() / mc.standard_error(p);
            assert!(z <= 5.0, "{f} vs {p}");
            worst3 = worst3.max(z);
        }
    }
    c.add("ex3_normal", format!("{:.3}", lecun3.fraction()[9]));
    c.add("ex3_uniform", format!("{:.3}", uni3.fraction()[9]));
    c.add("ex3_max_z", up(worst3, 1));

    // 4. A narrow stack: the predicted spread of ln rms^30 and the measured one (within
    // the allowance of the spread checks above, both ways); the depth where it reaches 1.
    let narrow = DeepStack::new(32, 30, 500).unwrap();
    let nst = StackStudy::run(narrow, Activation::Relu, Init::he_normal(), &s).unwrap();
    let pred4 = single_sd(&nst, last);
    let meas4 = nst.log_rms_sd()[last];
    assert!(
        (initnet::math::ln(meas4 / pred4)).abs() < 4.0 * rel_se,
        "{meas4} {pred4}"
    );
    let exact = he::signal::relu_log_rms_sd(32, 100).unwrap();
    let reach = exact.iter().position(|sd| *sd >= 1.0).unwrap() + 1;
    // The lognormal approximation sqrt(ln(1 + v_L))/2 understates it.
    let approx4 = initnet::math::ln(1.0 + nst.relative_variance[last]).sqrt() / 2.0;
    assert!(approx4 < pred4, "{approx4} {pred4}");
    c.add("ex4_approx", format!("{approx4:.2}"));
    c.add("ex4_v30", format!("{:.0}", nst.relative_variance[last]));
    c.add("ex4_pred", format!("{pred4:.2}"));
    c.add("ex4_measured", format!("{meas4:.2}"));
    c.add("ex4_depth", reach);

    // 5. Dead units come back: more than half of those dead at initialization, for ReLU
    // and for the leaky ReLU at the large learning rate.
    for (i, name) in [(0, "relu"), (1, "leaky")] {
        let runs = &remedy_runs[i].1.runs;
        let dead: usize = runs.iter().map(|r| r.dead_units_at_init).sum();
        let revived: usize = runs.iter().map(|r| r.revived).sum();
        assert!(2 * revived > dead, "{name}: {revived} of {dead}");
        c.add(&format!("ex5_{name}_dead"), dead);
        c.add(&format!("ex5_{name}_revived"), revived);
    }

    if std::env::var_os("HE_PRINT_CLAIMS").is_some() {
        eprintln!("{c:#?}");
    }
    if let Err(e) = claims::check(he::CHAPTER.markdown, &c) {
        panic!("{e}");
    }
}

/// Bounds are rounded up, never down: x to `digits` decimals, towards +infinity.
fn up(x: f64, digits: i32) -> String {
    let f = initnet::math::powi(10.0, digits);
    format!("{:.*}", digits as usize, (x * f).ceil() / f)
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures he` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&he::CHAPTER);
}

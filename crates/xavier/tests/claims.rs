//! Every number the chapter states, recomputed. Random claims run over the SEEDS and
//! are stated as mean and spread (population standard deviation over the seeds) or as
//! what holds for every seed; the assertions' tolerances are derived in the comments.

use claims::Claims;
use initnet::{Activation, mean_std};

use xavier::*;

/// Mean, population standard deviation, and standard error of the mean
/// (sample standard deviation over sqrt(n)).
fn summary(values: &[f64]) -> (f64, f64, f64) {
    let (m, sd) = mean_std(values);
    let n = values.len() as f64;
    (m, sd, sd * (n / (n - 1.0)).sqrt() / n.sqrt())
}

/// A measured mean must lie within 4 standard errors of a prediction that is exact in
/// expectation: for 20 roughly normal draws the t statistic exceeds 4 with probability
/// below 0.001.
fn assert_unbiased(what: &str, values: &[f64], predicted: f64) {
    let (m, _, se) = summary(values);
    assert!(
        (m - predicted).abs() < 4.0 * se,
        "{what}: mean {m} is more than 4 standard errors ({se}) from {predicted}"
    );
}

fn f3(x: f64) -> String {
    format!("{x:.3}")
}

fn pm(values: &[f64], digits: usize) -> (String, String) {
    let (m, sd, _) = summary(values);
    (format!("{m:.digits$}"), format!("{sd:.digits$}"))
}

fn derivation(c: &mut Claims) {
    let (l1, g1) = lecun_and_glorot(2, 2);
    assert_eq!(l1, g1);
    c.add("w1_var", l1);
    let (l2, g2) = lecun_and_glorot(2, 4);
    c.add("w2_lecun", f3(l2)).add("w2_glorot", f3(g2));
    c.add("w2_lecun_std", f3(l2.sqrt()))
        .add("w2_glorot_std", f3(g2.sqrt()));
    // The two uniform laws of Glorot and Bengio for the 300-unit layers.
    let n = GB_WIDTHS[1] as f64;
    c.add("gb_width", GB_WIDTHS[1])
        .add("gb_batch", GB_BATCH)
        .add("gb_outputs", GB_WIDTHS[6]);
    c.add("gb_limit_std", format!("{:.4}", 1.0 / n.sqrt()));
    c.add("gb_limit_norm", f3((6.0 / (2.0 * n)).sqrt()));
}

fn funnel_claims(c: &mut Claims) {
    let w = FUNNEL_WIDTHS;
    c.add("funnel_first", w[0])
        .add("funnel_last", w[w.len() - 1])
        .add("funnel_batch", FUNNEL_BATCH);
    let lecun = drift_factors(&w, initnet::Init::lecun_normal());
    let glorot = drift_factors(&w, initnet::Init::xavier_normal());
    c.add("funnel_lecun_fwd", f3(lecun[0].0))
        .add("funnel_lecun_bwd", f3(lecun[0].1));
    c.add("funnel_glorot_fwd", f3(glorot[0].0))
        .add("funnel_glorot_bwd", f3(glorot[0].1));
    let depth = w.len() - 1;
    // Cumulative: q_L / q_0 is the product of all forward factors; r_1 / r_L the product
    // of the backward factors of layers 2..=L.
    let fwd = |d: &[(f64, f64)]| d.iter().map(|p| p.0).product::<f64>();
    let bwd = |d: &[(f64, f64)]| d[1..].iter().map(|p| p.1).product::<f64>();
    c.add("funnel_layers", depth);
    c.add("funnel_lecun_q", f3(fwd(&lecun)))
        .add("funnel_glorot_q", f3(fwd(&glorot)));
    c.add("funnel_lecun_r", format!("{:.4}", bwd(&lecun)))
        .add("funnel_glorot_r", f3(bwd(&glorot)));
    let (mut lq, mut gq, mut lr, mut gr) = (vec![], vec![], vec![], vec![]);
    for seed in SEEDS {
        let (l, g) = funnel(seed).unwrap();
        for (p, q, r) in [(&l, &mut lq, &mut lr), (&g, &mut gq, &mut gr)] {
            // Measured q_L / q_0 and r_1 / r_L (second moments), whose expectations are the
            // closed forms exactly: the network is linear and the top gradient independent.
            q.push(initnet::math::powi(p.pre_rms[depth - 1], 2) / p.q0);
            r.push(initnet::math::powi(
                p.grad_rms[0] / p.grad_rms[depth - 1],
                2,
            ));
        }
    }
    assert_unbiased("LeCun funnel forward", &lq, fwd(&lecun));
    assert_unbiased("Glorot funnel forward", &gq, fwd(&glorot));
    assert_unbiased("LeCun funnel backward", &lr, bwd(&lecun));
    assert_unbiased("Glorot funnel backward", &gr, bwd(&glorot));
    for (key, v) in [
        ("funnel_lecun_q_meas", &lq),
        ("funnel_glorot_q_meas", &gq),
        ("funnel_lecun_r_meas", &lr),
        ("funnel_glorot_r_meas", &gr),
    ] {
        let (m, sd) = pm(
            v,
            if key.starts_with("funnel_lecun_r") {
                4
            } else {
                3
            },
        );
        c.add(key, m).add(&format!("{key}_sd"), sd);
    }
}

/// The mean-field prediction may differ from a finite network's measurement by more than
/// the seed-to-seed noise: at width n the per-sample variance of a^l is itself a random
/// quantity (relative variance about 2/n from the weights' row norms plus 2/n from the
/// previous layer's sample norms), and E[f^2] is not linear in it (Jensen). A
/// second-order expansion bounds the relative bias of q_l by the relative variance, 4/n,
/// per layer; on a standard deviation half that, 2/n per layer, accumulated over l layers.
fn finite_width_allowance(l: usize, n: usize) -> f64 {
    2.0 * l as f64 / n as f64
}

/// Assert that the per-seed measurements of a layer's std match a mean-field prediction.
fn assert_mean_field(what: &str, values: &[f64], predicted: f64, l: usize, n: usize) {
    let (m, _, se) = summary(values);
    let tol = 4.0 * se + finite_width_allowance(l, n) * predicted;
    assert!(
        (m - predicted).abs() < tol,
        "{what}, layer {l}: mean {m}, predicted {predicted}, tolerance {tol}"
    );
}

fn column(probes: &[Probe], f: impl Fn(&Probe) -> f64) -> Vec<f64> {
    probes.iter().map(f).collect()
}

fn glorot_bengio_claims(c: &mut Claims) {
    let (mut standard, mut normalized) = (vec![], vec![]);
    for seed in SEEDS {
        let (s, n) = glorot_bengio(Activation::Tanh, seed).unwrap();
        standard.push(s);
        normalized.push(n);
    }
    let hidden = GB_WIDTHS.len() - 2;
    let n = GB_WIDTHS[1];
    let acts = [vec![Activation::Tanh; hidden], vec![Activation::Identity]].concat();
    for (name, probes, init) in [
        ("std", &standard, standard_init()),
        ("norm", &normalized, normalized_init()),
    ] {
        // Predictions for inputs of second moment exactly 1 (the measured q0 is 1 up to
        // sampling noise of relative size sqrt(2 / (1000 * 300))).
        let mf = mean_field(&GB_WIDTHS, &acts, init, 1.0, 1.0).unwrap();
        let lin = mean_field(
            &GB_WIDTHS,
            &vec![Activation::Identity; hidden + 1],
            init,
            1.0,
            1.0,
        )
        .unwrap();
        for l in 1..=hidden {
            let values = column(probes, |p| p.pre_std[l - 1]);
            assert_mean_field(
                &format!("{name} pre-activation std"),
                &values,
                mf.pre_std()[l - 1],
                l,
                n,
            );
            // Gradient: each seed's own prediction (it starts from that seed's top gradient),
            // through hidden + 1 - l layers.
            let ratio = column(probes, |p| {
                p.grad_std[l - 1] / p.predicted.grad_std()[l - 1]
            });
            assert_mean_field(
                &format!("{name} gradient std / prediction"),
                &ratio,
                1.0,
                hidden + 1 - l,
                n,
            );
        }
        let l = hidden;
        let (m, sd) = pm(&column(probes, |p| p.pre_std[l - 1]), 4);
        c.add(&format!("gb_{name}_top_std"), m)
            .add(&format!("gb_{name}_top_std_sd"), sd);
        c.add(
            &format!("gb_{name}_top_mf"),
            format!("{:.4}", mf.pre_std()[l - 1]),
        )
        .add(&format!("gb_{name}_top_lin"), f3(lin.pre_std()[l - 1]));
        let (m, sd) = pm(&column(probes, |p| p.pre_std[0]), 3);
        c.add(&format!("gb_{name}_l1_std"), m)
            .add(&format!("gb_{name}_l1_std_sd"), sd);
        // Back-propagated gradient: std at layer 1 over std at the top hidden layer.
        let g = column(probes, |p| p.grad_std[0] / p.grad_std[hidden - 1]);
        let gp = column(probes, |p| {
            p.predicted.grad_std()[0] / p.predicted.grad_std()[hidden - 1]
        });
        let (m, sd) = pm(&g, 3);
        c.add(&format!("gb_{name}_grad_ratio"), m)
            .add(&format!("gb_{name}_grad_ratio_sd"), sd);
        c.add(&format!("gb_{name}_grad_ratio_mf"), f3(summary(&gp).0));
        // Weight gradients: largest over smallest std across the hidden layers.
        let spread = column(probes, |p| {
            let v = &p.dw_std[..hidden];
            v.iter().cloned().fold(0.0, f64::max) / v.iter().cloned().fold(f64::INFINITY, f64::min)
        });
        let worst = spread.iter().cloned().fold(0.0, f64::max);
        c.add(&format!("gb_{name}_dw_spread"), format!("{worst:.2}"));
        let dw = column(probes, |p| p.dw_std[0]);
        c.add(&format!("gb_{name}_dw1"), format!("{:.1e}", summary(&dw).0));
    }
    c.add("gb_lin_factor", f3((1.0f64 / 3.0).sqrt()));
    c.add("gb_hidden", hidden);
    // tanh keeps the signal: the share of a^l's second moment that varies across inputs.
    let share = column(&normalized, |p| p.signal_share[hidden - 1]);
    c.add("tanh_share_top", f3(summary(&share).0));
}

fn sigmoid_claims(c: &mut Claims) {
    let probes: Vec<Probe> = SEEDS
        .into_iter()
        .map(|s| glorot_bengio(Activation::Sigmoid, s).unwrap().1)
        .collect();
    let hidden = GB_WIDTHS.len() - 2;
    let means: Vec<f64> = probes
        .iter()
        .flat_map(|p| p.act_mean[..hidden].to_vec())
        .collect();
    let lo = means.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = means.iter().cloned().fold(0.0, f64::max);
    c.add("sig_mean_lo", f3(lo)).add("sig_mean_hi", f3(hi));
    let sat = probes
        .iter()
        .flat_map(|p| p.saturated[..hidden].to_vec())
        .fold(0.0, f64::max);
    c.add("sig_init_sat", format!("{sat:.5}"));
    for l in 1..=hidden {
        let (m, _, _) = summary(&column(&probes, |p| p.signal_share[l - 1]));
        c.add(
            &format!("sig_share_{l}"),
            if m >= 0.001 {
                f3(m)
            } else {
                format!("{m:.1e}")
            },
        );
        if l > 1 {
            // sigma is 1/4-Lipschitz, so Var_x(h_i) <= Var_x(a_i) / 16 for every unit, and
            // E_W[signal of a^l] = n Var(W) mean_i Var_x(h_i) <= signal of a^{l-1} / 16 when
            // n Var(W) = 1 (the 300 -> 300 layers). Mean over seeds within 4 standard errors.
            let ratio = column(&probes, |p| {
                (p.signal_share[l - 1] * initnet::math::powi(p.pre_rms[l - 1], 2))
                    / (p.signal_share[l - 2] * initnet::math::powi(p.pre_rms[l - 2], 2))
            });
            let (m, _, se) = summary(&ratio);
            assert!(
                m < 1.0 / 16.0 + 4.0 * se,
                "layer {l}: signal shrinks by {m}"
            );
        }
    }
    c.add("sig_lipschitz", 0.25).add("sig_bound", 0.0625);

    let t = sigmoid_vs_tanh(&SEEDS).unwrap();
    c.add("sig_epochs", SIGMOID_EPOCHS)
        .add("sig_hidden", SIGMOID_WIDTHS.len() - 2)
        .add("sig_width", SIGMOID_WIDTHS[1]);
    let ln2 = initnet::math::ln(2.0);
    let dev = t
        .first
        .iter()
        .map(|c| (c.loss.last().unwrap() - ln2).abs())
        .fold(0.0, f64::max);
    c.add("sig_loss_dev", format!("{dev:.3}"));
    let acc = t
        .first
        .iter()
        .map(|c| *c.accuracy.last().unwrap())
        .fold(0.0, f64::max);
    c.add("sig_acc_max", f3(acc));
    let tanh_acc = t
        .second
        .iter()
        .map(|c| *c.accuracy.last().unwrap())
        .fold(1.0, f64::min);
    c.add("sig_tanh_acc_min", f3(tanh_acc));
    let (m0, _, _) = summary(&t.first.iter().map(|c| c.top_mean[0]).collect::<Vec<_>>());
    let (m1, _, _) = summary(
        &t.first
            .iter()
            .map(|c| *c.top_mean.last().unwrap())
            .collect::<Vec<_>>(),
    );
    c.add("sig_top_mean_0", f3(m0))
        .add("sig_top_mean_end", f3(m1));
    let drop = t
        .first
        .iter()
        .filter(|c| c.top_mean.last().unwrap() < &c.top_mean[0])
        .count();
    // Robust, not a fact of the last bits: every seed's top-layer mean falls by far more
    // than a last-bit change of the arithmetic could move it (these sigmoid runs do not
    // learn, so nothing amplifies such a change; 1e-6 leaves nine orders of margin).
    let smallest_fall = t
        .first
        .iter()
        .map(|c| c.top_mean[0] - c.top_mean.last().unwrap())
        .fold(f64::INFINITY, f64::min);
    assert!(smallest_fall > 1e-6, "smallest fall {smallest_fall}");
    c.add("sig_top_drop_count", drop);
    let sat = t
        .first
        .iter()
        .flat_map(|c| c.top_saturated.clone())
        .fold(0.0, f64::max);
    c.add("sig_train_sat", format!("{sat:.5}"));
}

fn gain_claims(c: &mut Claims) {
    let e = q_map(Activation::Tanh, 1.0, 0.0, 1.0).unwrap();
    c.add("etanh2", f3(e)).add("g_exact", f3(1.0 / e.sqrt()));
    let g = 5.0 / 3.0;
    c.add(
        "map53",
        f3(q_map(Activation::Tanh, g * g, 0.0, 1.0).unwrap()),
    );
    let q = tanh_fixed_point(g).unwrap().unwrap();
    let chi_star = chi(Activation::Tanh, g * g, q).unwrap();
    c.add("qstar", f3(q))
        .add("sstar", f3(q.sqrt()))
        .add("chistar", f3(chi_star));
    c.add("chistar_std", f3(chi_star.sqrt()));
    c.add(
        "chi_ten",
        format!("{:.1}", initnet::math::powi(chi_star.sqrt(), 10)),
    );
    let widths = deep_tanh_widths();
    let depth = widths.len() - 1;
    c.add("deep_layers", depth)
        .add("deep_width", widths[1])
        .add("deep_batch", DEEP_BATCH);
    let acts = [
        vec![Activation::Tanh; depth - 1],
        vec![Activation::Identity],
    ]
    .concat();
    for (name, gain) in [("g1", 1.0), ("g53", g)] {
        let init = initnet::Init::lecun_normal().with_gain(gain).unwrap();
        let mf = mean_field(&widths, &acts, init, 1.0, 1.0).unwrap();
        let probes: Vec<Probe> = SEEDS
            .into_iter()
            .map(|s| deep_tanh(gain, s).unwrap())
            .collect();
        for l in [1, depth / 2, depth - 1] {
            assert_mean_field(
                &format!("{name} deep std"),
                &column(&probes, |p| p.pre_std[l - 1]),
                mf.pre_std()[l - 1],
                l,
                widths[1],
            );
        }
        let top = depth - 1;
        let (m, sd) = pm(&column(&probes, |p| p.pre_std[top - 1]), 3);
        c.add(&format!("deep_{name}_std"), m)
            .add(&format!("deep_{name}_std_sd"), sd);
        c.add(&format!("deep_{name}_mf"), f3(mf.pre_std()[top - 1]));
        // Back-propagated gradient std, layer 1 over layer `top` (the last tanh layer).
        let ratio = column(&probes, |p| p.grad_std[0] / p.grad_std[top - 1]);
        let pred = column(&probes, |p| {
            p.predicted.grad_std()[0] / p.predicted.grad_std()[top - 1]
        });
        let (pm_, _, _) = summary(&pred);
        assert_mean_field(
            &format!("{name} deep gradient ratio"),
            &ratio,
            pm_,
            top,
            widths[1],
        );
        let (m, sd) = pm(&ratio, 2);
        c.add(&format!("deep_{name}_grad"), m)
            .add(&format!("deep_{name}_grad_sd"), sd);
        c.add(&format!("deep_{name}_grad_mf"), format!("{pm_:.2}"));
    }
    c.add("deep_top", depth - 1);
    c.add("deep_g1_asym", f3(1.0 / (2.0 * (depth - 1) as f64).sqrt()));
}

fn training_claims(c: &mut Claims) {
    let t = training(&SEEDS).unwrap();
    c.add("train_epochs", DEEP_TRAIN_EPOCHS)
        .add("train_hidden", DEEP_TRAIN_WIDTHS.len() - 2);
    c.add("train_width", DEEP_TRAIN_WIDTHS[1]);
    c.add("train_samples", CIRCLES_SAMPLES)
        .add("train_lr", LEARNING_RATE)
        .add("train_batch", BATCH_SIZE);
    let ln2 = initnet::math::ln(2.0);
    c.add("ln2", f3(ln2));
    let dev = t
        .first
        .iter()
        .map(|c| (c.loss.last().unwrap() - ln2).abs())
        .fold(0.0, f64::max);
    c.add("train_std_dev", format!("{dev:.1e}"));
    let acc: Vec<f64> = t
        .first
        .iter()
        .map(|c| *c.accuracy.last().unwrap())
        .collect();
    let (m, sd) = pm(&acc, 2);
    c.add("train_std_acc", m).add("train_std_acc_sd", sd);
    let loss: Vec<f64> = t.second.iter().map(|c| *c.loss.last().unwrap()).collect();
    let (m, sd) = pm(&loss, 3);
    c.add("train_norm_loss", m).add("train_norm_loss_sd", sd);
    let perfect = t
        .second
        .iter()
        .filter(|c| *c.accuracy.last().unwrap() == 1.0)
        .count();
    c.add("train_norm_perfect", perfect);
    let worst = t
        .second
        .iter()
        .map(|c| *c.accuracy.last().unwrap())
        .fold(1.0, f64::min);
    c.add("train_norm_worst", f3(worst));
}

#[test]
fn every_number_in_the_chapter_is_computed() {
    let mut c = Claims::new();
    c.add("seeds", SEEDS.len());
    derivation(&mut c);
    funnel_claims(&mut c);
    glorot_bengio_claims(&mut c);
    sigmoid_claims(&mut c);
    gain_claims(&mut c);
    training_claims(&mut c);
    if let Err(e) = claims::check(CHAPTER.markdown, &c) {
        // List the computed value of every key the check mentions, to make fixing easy.
        let values: Vec<String> = e
            .lines()
            .filter_map(|line| line.split('"').nth(1))
            .filter_map(|key| c.get(key).map(|v| format!("{key} = {v}")))
            .collect();
        panic!("{e}\n\ncomputed:\n{}", values.join("\n"));
    }
}

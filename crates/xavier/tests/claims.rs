//! Every number the chapter states, recomputed. Random claims run over the SEEDS and
//! are stated as mean and spread (population standard deviation over the seeds) or as
//! what holds for every seed; the assertions' tolerances are derived in the comments.

use book::memo::per_seed;
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

/// A bound stated in the prose, rounded up (never down) to one significant digit: 3.4e-4
/// becomes "4×10⁻⁴".
fn ceil_1sig(x: f64) -> String {
    let e = initnet::math::log10(x).floor() as i32;
    let unit = initnet::math::powi(10.0, e);
    let d = (x / unit).ceil();
    if d >= 10.0 {
        claims::power_of_ten(e + 1)
    } else {
        format!("{d}×{}", claims::power_of_ten(e))
    }
}

/// The largest relative deviation of a seed mean from the mean field, over every layer an
/// `assert_mean_field` checked; stated rounded up to a whole percent.
#[derive(Default)]
struct Deviation(f64);

impl Deviation {
    fn percent(&self) -> String {
        format!("{}", (self.0 * 100.0).ceil())
    }
}

/// A bound ("at most", "within") rounded up to `d` decimals.
fn ceil_dp(x: f64, d: usize) -> String {
    let m = initnet::math::powi(10.0, d as i32);
    format!("{:.d$}", (x * m).ceil() / m)
}

/// A bound rounded up to two significant digits, in the form 3.7×10⁻⁴.
fn ceil_2sig(x: f64) -> String {
    let e = initnet::math::log10(x).floor() as i32;
    let unit = initnet::math::powi(10.0, e - 1);
    let d = (x / unit).ceil() / 10.0;
    format!("{d:.1}×{}", claims::power_of_ten(e))
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
    // He et al.'s telescoping: LeCun's backward product is exactly n_L / n_1.
    let telescoped = w[w.len() - 1] as f64 / w[1] as f64;
    assert!((backward_product(&w, initnet::Init::lecun_normal()) / telescoped - 1.0).abs() < 1e-12);
    assert!((bwd(&lecun) / telescoped - 1.0).abs() < 1e-12);
    c.add("funnel_second", w[1]);
    // Exercise 1: the expanding network 16 -> 512.
    let up = [16, 32, 64, 128, 256, 512];
    let (l_up, g_up) = (
        drift_factors(&up, initnet::Init::lecun_normal()),
        drift_factors(&up, initnet::Init::xavier_normal()),
    );
    assert!(
        l_up.iter()
            .all(|p| (p.0 - 1.0).abs() < 1e-12 && (p.1 - 2.0).abs() < 1e-12)
    );
    c.add("ex1_first", up[0]).add("ex1_last", up[5]);
    c.add(
        "ex1_lecun_bwd",
        format!("{}", backward_product(&up, initnet::Init::lecun_normal())),
    );
    c.add("ex1_glorot_fwd", f3(fwd(&g_up)))
        .add("ex1_glorot_bwd", f3(bwd(&g_up)));
    assert_eq!(bwd(&l_up), 16.0);
    c.add("funnel_lecun_r", format!("{:.4}", bwd(&lecun)))
        .add("funnel_glorot_r", f3(bwd(&glorot)));
    let (mut lq, mut gq, mut lr, mut gr) = (vec![], vec![], vec![], vec![]);
    for (l, g) in per_seed(&SEEDS, funnel).unwrap() {
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

/// Assert that the per-seed measurements of a layer match a mean-field prediction at the
/// standard-error level: the seed mean within 4 standard errors (for 20 roughly normal
/// draws a larger deviation has a probability below 0.001). The mean field is exact as the
/// width grows; at the chapter's widths its finite-width bias (relative order 1/n per layer)
/// stays below that. Records the relative deviation for the stated bound.
fn assert_mean_field(what: &str, values: &[f64], predicted: f64, l: usize, dev: &mut Deviation) {
    let (m, _, se) = summary(values);
    let tol = 4.0 * se;
    assert!(
        (m - predicted).abs() < tol,
        "{what}, layer {l}: mean {m}, predicted {predicted}, tolerance {tol}"
    );
    dev.0 = dev.0.max(((m - predicted) / predicted).abs());
}

fn column(probes: &[Probe], f: impl Fn(&Probe) -> f64) -> Vec<f64> {
    probes.iter().map(f).collect()
}

fn glorot_bengio_claims(c: &mut Claims) {
    let (standard, normalized): (Vec<Probe>, Vec<Probe>) =
        per_seed(&SEEDS, |seed| glorot_bengio(Activation::Tanh, seed))
            .unwrap()
            .into_iter()
            .unzip();
    let hidden = GB_WIDTHS.len() - 2;
    let mut dev = Deviation::default();
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
                &mut dev,
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
                l,
                &mut dev,
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
        c.add(&format!("gb_{name}_dw_spread"), ceil_dp(worst, 2));
        let dw = column(probes, |p| p.dw_std[0]);
        c.add(
            &format!("gb_{name}_dw1"),
            claims::times_power_of_ten(summary(&dw).0, 1),
        );
    }
    c.add("gb_mf_dev", dev.percent());
    // chi_1 of the normalized law's layers 1 and 4 (n Var(W) = 1), at the mean field's q.
    let mf = mean_field(&GB_WIDTHS, &acts, normalized_init(), 1.0, 1.0).unwrap();
    c.add(
        "gb_chi_1",
        format!("{:.2}", chi(Activation::Tanh, 1.0, mf.q[0]).unwrap()),
    );
    c.add(
        "gb_chi_4",
        format!("{:.2}", chi(Activation::Tanh, 1.0, mf.q[3]).unwrap()),
    );
    c.add("gb_lin_factor", f3((1.0f64 / 3.0).sqrt()));
    c.add("gb_hidden", hidden);
    // tanh keeps the signal: the share of a^l's second moment that varies across inputs.
    let share = column(&normalized, |p| p.signal_share[hidden - 1]);
    c.add("tanh_share_top", f3(summary(&share).0));
}

fn sigmoid_claims(c: &mut Claims) {
    // The normalized sigmoid probe alone (glorot_bengio would also build the standard one).
    let probes: Vec<Probe> = per_seed(&SEEDS, |s| {
        probe(
            &GB_WIDTHS,
            Activation::Sigmoid,
            normalized_init(),
            GB_BATCH,
            Top::SoftmaxRandomLabels,
            s,
        )
    })
    .unwrap();
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
    c.add("sig_init_sat", ceil_dp(sat, 5));
    for l in 2..=hidden {
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
    c.add("sig_lipschitz", 0.25).add("sig_bound", 0.0625);
    // Exercise 3: the mean field of the second moment (offsets included) against pre_rms.
    let acts = [
        vec![Activation::Sigmoid; hidden],
        vec![Activation::Identity],
    ]
    .concat();
    let mf = mean_field(&GB_WIDTHS, &acts, normalized_init(), 1.0, 1.0).unwrap();
    let mut dev = Deviation::default();
    for l in 1..=hidden {
        assert_mean_field(
            "sigmoid pre-activation rms",
            &column(&probes, |p| p.pre_rms[l - 1]),
            mf.pre_std()[l - 1],
            l,
            &mut dev,
        );
    }
    c.add(
        "ex3_meas",
        f3(summary(&column(&probes, |p| p.pre_rms[hidden - 1])).0),
    )
    .add("ex3_mf", f3(mf.pre_std()[hidden - 1]));

    // The input-dependent share after k sigmoid layers, gains 1 and 4, and the centred
    // sigmoid at gain 4.
    let shares =
        |gain: f64| -> Vec<Shares> { per_seed(&SEEDS, |s| sigmoid_shares(gain, s)).unwrap() };
    let (g1, g4) = (shares(1.0), shares(4.0));
    let k = hidden;
    let share_mean = |v: &[Shares], f: fn(&Shares) -> &Vec<f64>| {
        summary(&v.iter().map(|s| f(s)[k - 1]).collect::<Vec<_>>())
    };
    let (m1, _, _) = share_mean(&g1, |s| &s.sigmoid);
    let (m4, _, _) = share_mean(&g4, |s| &s.sigmoid);
    let (mf1, mf4) = (
        g1[0].sigmoid_mean_field[k - 1],
        g4[0].sigmoid_mean_field[k - 1],
    );
    c.add("sig1_share_5", claims::times_power_of_ten(m1, 1))
        .add("sig1_share_5_mf", claims::times_power_of_ten(mf1, 1));
    c.add("sig4_share_5", f3(m4))
        .add("sig4_share_5_mf", f3(mf4));
    // The measured share carries the batch factor 1 - 1/B (a batch mean absorbs 1/B of the
    // variance); the gain-4 mean after five layers agrees with the mean field within 4
    // standard errors plus that factor.
    let batch = 1.0 - 1.0 / GB_BATCH as f64;
    // Every layer, both gains: the seed mean within 4 standard errors of the mean field
    // times that factor (layers 1 to 4 are the 300-unit pre-activations a^2..a^5; layer 5
    // is the 10-unit output a^6, whose share scatters more, which the standard error
    // carries).
    for (gain, v) in [(1.0, &g1), (4.0, &g4)] {
        for j in 0..k {
            let (m, _, se) = summary(&v.iter().map(|s| s.sigmoid[j]).collect::<Vec<_>>());
            let p = batch * v[0].sigmoid_mean_field[j];
            assert!(
                (m - p).abs() < 4.0 * se,
                "gain {gain}, layer {}: share {m} against {p}",
                j + 1
            );
        }
    }
    // Gain 4 repairs the slope at 0 only: a^1 has variance 16, so a quarter of layer 1's
    // units are saturated (the mean field: P(|a| > ln 99) for a ~ N(0, 16), 0.2506).
    let col = |v: &[Shares], f: fn(&Shares) -> &Vec<f64>, j: usize| {
        summary(&v.iter().map(|s| f(s)[j]).collect::<Vec<_>>())
    };
    let (sat1, _, sat1_se) = col(&g4, |s| &s.saturated, 0);
    let sat_pred = 2.0 * (1.0 - initnet::normal_cdf(initnet::math::ln(99.0) / 4.0));
    assert!(
        (sat1 - sat_pred).abs() < 4.0 * sat1_se + 1e-3,
        "saturated {sat1} against {sat_pred}"
    );
    c.add("sig4_sat_1", format!("{:.0}", sat1 * 100.0));
    let sat_later = (1..k)
        .map(|j| col(&g4, |s| &s.saturated, j).0)
        .fold(0.0, f64::max);
    c.add("sig4_sat_later", format!("{}", (sat_later * 100.0).ceil()));
    // The mean costs the backward pass too: chi_1 = 16 E[sigma'(a)^2] at the mean field's
    // q of each layer, against the centred sigmoid (tanh with gain 1 on a/2, q0 = 4).
    let sig_acts = [vec![Activation::Sigmoid; k], vec![Activation::Identity]].concat();
    let tanh_acts = [vec![Activation::Tanh; k], vec![Activation::Identity]].concat();
    let mfs = mean_field(
        &GB_WIDTHS,
        &sig_acts,
        normalized_init().with_gain(4.0).unwrap(),
        1.0,
        1.0,
    )
    .unwrap();
    let mfc = mean_field(&GB_WIDTHS, &tanh_acts, normalized_init(), 4.0, 1.0).unwrap();
    let chi_s = |j: usize| chi(Activation::Sigmoid, 16.0, mfs.q[j]).unwrap();
    let chi_c = |j: usize| chi(Activation::Tanh, 1.0, mfc.q[j]).unwrap();
    assert!((chi_s(0) - chi_c(0)).abs() < 1e-12);
    c.add("sig4_chi_1", format!("{:.2}", chi_s(0)))
        .add("sig4_chi_5", format!("{:.2}", chi_s(k - 1)))
        .add("cen4_chi_5", format!("{:.2}", chi_c(k - 1)));
    c.add("sig4_chi_5_std", f3(chi_s(k - 1).sqrt()))
        .add("cen4_chi_5_std", f3(chi_c(k - 1).sqrt()));
    // The input-dependent variance itself at a^6: the centred network keeps several times
    // more, in every seed.
    for s in &g4 {
        assert!(s.sigmoid_signal[k - 1] < s.centred_signal[k - 1] / 4.0);
    }
    c.add(
        "sig4_signal_5",
        format!("{:.2}", col(&g4, |s| &s.sigmoid_signal, k - 1).0),
    )
    .add(
        "cen4_signal_5",
        format!("{:.2}", col(&g4, |s| &s.centred_signal, k - 1).0),
    );
    // Both gains fall geometrically; the gain-4 fall per layer, the mean field's geometric
    // mean over layers 1 to 5.
    let fall = initnet::math::pow(g4[0].sigmoid_mean_field[0] / mf4, 1.0 / (k - 1) as f64);
    c.add("sig4_fall", format!("{fall:.1}"));
    assert!(m1 < m4 / 100.0);
    // The centred sigmoid (an odd function: mean field exactly 1) keeps 1 - 1/B up to the
    // batch's sampling noise, in every layer and seed.
    let (mc, _, _) = share_mean(&g4, |s| &s.centred);
    for s in &g4 {
        for &v in &s.centred {
            assert!((v - batch).abs() < 0.002, "centred share {v}");
        }
    }
    c.add("centred_share_5", f3(mc));

    let t = sigmoid_vs_tanh(&SEEDS).unwrap();
    let standard = sigmoid_standard(&SEEDS).unwrap();
    // Glorot and Bengio's hidden layers had 1000 units each (their section 2.3).
    c.add("gb_paper_width", 1000)
        .add("sig_steps", SIGMOID_EPOCHS * CIRCLES_SAMPLES / BATCH_SIZE);
    c.add("sig_epochs", SIGMOID_EPOCHS)
        .add("sig_hidden", SIGMOID_WIDTHS.len() - 2)
        .add("sig_width", SIGMOID_WIDTHS[1]);
    let ln2 = initnet::math::ln(2.0);
    let dev = |curves: &[Curve]| {
        curves
            .iter()
            .map(|c| (c.loss.last().unwrap() - ln2).abs())
            .fold(0.0, f64::max)
    };
    c.add("sig_loss_dev", ceil_dp(dev(&t.first), 3))
        .add("sig_std_loss_dev", ceil_dp(dev(&standard), 3));
    let acc = t
        .first
        .iter()
        .chain(&standard)
        .map(|c| *c.accuracy.last().unwrap())
        .fold(0.0, f64::max);
    c.add("sig_acc_max", f3(acc));
    let tanh_acc = t
        .second
        .iter()
        .map(|c| *c.accuracy.last().unwrap())
        .fold(1.0, f64::min);
    c.add("sig_tanh_acc_min", f3(tanh_acc));
    for (prefix, curves) in [("sig", &t.first), ("sig_std", &standard)] {
        let (m0, _, _) = summary(&curves.iter().map(|c| c.top_mean[0]).collect::<Vec<_>>());
        let (m1, _, _) = summary(
            &curves
                .iter()
                .map(|c| *c.top_mean.last().unwrap())
                .collect::<Vec<_>>(),
        );
        c.add(&format!("{prefix}_top_mean_0"), f3(m0))
            .add(&format!("{prefix}_top_mean_end"), f3(m1));
        let drop = curves
            .iter()
            .filter(|c| c.top_mean.last().unwrap() < &c.top_mean[0])
            .count();
        // Robust, not a fact of the last bits: every seed's top-layer mean falls by far more
        // than a last-bit change of the arithmetic could move it (these sigmoid runs do not
        // learn, so nothing amplifies such a change; 1e-6 leaves nine orders of margin).
        let smallest_fall = curves
            .iter()
            .map(|c| c.top_mean[0] - c.top_mean.last().unwrap())
            .fold(f64::INFINITY, f64::min);
        assert!(
            smallest_fall > 1e-6,
            "{prefix}: smallest fall {smallest_fall}"
        );
        assert_eq!(drop, SEEDS.len(), "{prefix}");
        c.add("sig_top_drop_count", drop);
    }
    let sat = t
        .first
        .iter()
        .chain(&standard)
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
    let mut dev = Deviation::default();
    for (name, gain) in [("g1", 1.0), ("g53", g)] {
        let init = initnet::Init::lecun_normal().with_gain(gain).unwrap();
        let mf = mean_field(&widths, &acts, init, 1.0, 1.0).unwrap();
        let probes: Vec<Probe> = per_seed(&SEEDS, |s| deep_tanh(gain, s)).unwrap();
        for l in 1..depth {
            assert_mean_field(
                &format!("{name} deep std"),
                &column(&probes, |p| p.pre_std[l - 1]),
                mf.pre_std()[l - 1],
                l,
                &mut dev,
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
            &mut dev,
        );
        let (m, sd) = pm(&ratio, 2);
        c.add(&format!("deep_{name}_grad"), m)
            .add(&format!("deep_{name}_grad_sd"), sd);
        c.add(&format!("deep_{name}_grad_mf"), format!("{pm_:.2}"));
        if name == "g53" {
            // Exercise 4: layers down from `top` until the gradient's std first reaches ten
            // times its value there, interpolated in the logarithm between whole layers.
            let k = column(&probes, |p| {
                let base = p.grad_std[top - 1];
                let ln = |l: usize| initnet::math::ln(p.grad_std[l - 1] / base);
                let target = initnet::math::ln(10.0);
                let l = (1..top)
                    .rev()
                    .find(|&l| ln(l) >= target)
                    .expect("reaches tenfold");
                let (below, above) = (ln(l + 1), ln(l));
                (top - l - 1) as f64 + (target - below) / (above - below)
            });
            let pred = initnet::math::ln(10.0) / initnet::math::ln(chi_star.sqrt());
            // The count agrees with the fixed point's prediction within 4 standard errors
            // plus the mean field's finite-width bias (within `deep_mf_dev`, 3 %, per layer).
            let (km, _, kse) = summary(&k);
            assert!(
                (km - pred).abs() < 4.0 * kse + 0.03 * pred,
                "exercise 4: {km} layers against {pred}"
            );
            c.add("ex4_meas", format!("{km:.1}"));
            c.add("ex4_pred", format!("{pred:.1}"));
        }
    }
    c.add("deep_mf_dev", dev.percent());
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
    c.add("train_std_dev", ceil_2sig(dev));
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
    c.add(
        "train_steps",
        DEEP_TRAIN_EPOCHS * CIRCLES_SAMPLES / BATCH_SIZE,
    );

    // The plateau's mechanism: the untrained stack is a tiny, mostly linear map, and the
    // best linear model of the circles is the constant one.
    let fits: Vec<LinearFit> = per_seed(&SEEDS, linear_fit).unwrap();
    let mut r2: Vec<f64> = fits.iter().map(|f| f.r2).collect();
    r2.sort_by(f64::total_cmp);
    let median = (r2[9] + r2[10]) / 2.0;
    c.add("lin_r2_median", format!("{median:.2}"));
    c.add(
        "lin_logit_rms",
        f3(summary(&fits.iter().map(|f| f.logit_rms).collect::<Vec<_>>()).0),
    );
    let logreg = per_seed(&SEEDS, logistic_regression)
        .unwrap()
        .iter()
        .map(|c| (c.loss.last().unwrap() - ln2).abs())
        .fold(0.0, f64::max);
    c.add("logreg_dev", ceil_1sig(logreg));

    // Exercise 2: the plateau's length for three seeds (facts of the book's arithmetic).
    let epochs = 250;
    c.add("ex2_epochs", epochs);
    let spec = initnet::MlpSpec::new(&DEEP_TRAIN_WIDTHS, Activation::Tanh, standard_init());
    let escape: Vec<Option<usize>> = [0, 1, 2]
        .into_iter()
        .map(|s| {
            train_curve(&spec, epochs, s)
                .unwrap()
                .loss
                .iter()
                .position(|&l| l < 0.5)
        })
        .collect();
    c.add("ex2_seed0", escape[0].unwrap())
        .add("ex2_seed1", escape[1].unwrap());
    assert_eq!(escape[2], None);

    // Exercise 5: the moons (seeds 0 to 4, facts of the book's arithmetic).
    let spec = initnet::MlpSpec::new(&DEEP_TRAIN_WIDTHS, Activation::Tanh, standard_init());
    let (mut std_acc, mut logreg_acc) = (1.0f64, vec![]);
    for seed in 0..5 {
        let data = moons(seed).unwrap();
        let curve = train_curve_on(&spec, &data, LEARNING_RATE, DEEP_TRAIN_EPOCHS, seed).unwrap();
        std_acc = std_acc.min(*curve.accuracy.last().unwrap());
        let linear =
            initnet::MlpSpec::new(&[2, 2], Activation::Identity, initnet::Init::lecun_normal());
        let curve = train_curve_on(&linear, &data, LEARNING_RATE, DEEP_TRAIN_EPOCHS, seed).unwrap();
        logreg_acc.push(*curve.accuracy.last().unwrap());
    }
    c.add("ex5_std_acc", f3(std_acc))
        .add("ex5_logreg_acc", format!("{:.2}", summary(&logreg_acc).0));
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

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures xavier` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&xavier::CHAPTER);
}

//! Every number the chapter states, computed by the chapter's experiments over the seeds
//! the text names, with the tolerances the math gives.

use book::memo::{per_item, per_seed};
use book::{mean, sample_sd};
use claims::Claims;
use large::exploding::{Tower, tower_sweep};
use large::initnet::math::{exp, ln};
use large::initnet::{Activation, mean_std};
use large::math::{gaussian_tail, saturation_cutoff};
use large::saturation::{
    Layer, Point, input_scale_sweep, predict, std_for_fraction, weight_std_sweep,
};
use large::standardize::{Inputs, compare_seeds, raw_feature_sd, within_feature_sd};
use large::vanishing::{
    Stack, derivative_at_saturation, derivative_from_threshold, mean_derivative,
    mean_derivative_asymptote, rms_derivative, rms_derivative_asymptote, stack_gradients, toy_runs,
};
use large::{CHAPTER, INPUT_SEEDS, SEEDS, divergence_runs, stacks, toy_inits};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn at(points: &[Point], f: Activation, s: f64) -> &Point {
    points
        .iter()
        .find(|p| p.activation == f && (p.weight_std / s - 1.0).abs() < 1e-9)
        .expect("grid point")
}

fn saturation(c: &mut Claims) {
    let layer = Layer::default();
    let seeds = SEEDS;
    c.add("seeds", seeds.len());
    c.add("n_in", layer.n_in)
        .add("units", layer.units)
        .add("batch", layer.batch);
    c.add(
        "cut_tanh",
        format!("{:.3}", saturation_cutoff(Activation::Tanh).unwrap()),
    );
    c.add(
        "cut_sigmoid",
        format!("{:.3}", saturation_cutoff(Activation::Sigmoid).unwrap()),
    );
    let ws = weight_std_sweep(layer, &seeds).unwrap();
    let is = input_scale_sweep(layer, &INPUT_SEEDS).unwrap();
    c.add("grid_points", ws.len() / 2);
    // The largest weight std at which no unit saturates in any seed (either activation).
    let zero_upto = ws
        .iter()
        .filter(|p| {
            ws.iter()
                .filter(|q| q.weight_std <= p.weight_std)
                .all(|q| q.measured.iter().all(|&m| m == 0.0))
        })
        .map(|p| p.weight_std)
        .fold(0.0, f64::max);
    // A bound stated for the grid point itself: three significant digits, not rounded up.
    c.add("sat_zero_upto", format!("{zero_upto:.4}"));
    // The shortcut |x| = c sqrt(n) against the exact average over the chi law.
    let t = |f| saturation_cutoff(f).unwrap();
    let gap = ws
        .iter()
        .map(|p| {
            (p.predicted.p
                - gaussian_tail(t(p.activation), p.weight_std * (layer.n_in as f64).sqrt()))
            .abs()
        })
        .fold(0.0, f64::max);
    assert!(gap < 0.01);
    // "At most": a bound, so rounded up.
    c.add(
        "naive_gap",
        format!("{:.3}", (gap * 1000.0).ceil() / 1000.0),
    );
    for (f, name) in [(Activation::Tanh, "tanh"), (Activation::Sigmoid, "sigmoid")] {
        let p = at(&ws, f, 1.0);
        c.add(
            &format!("sat_randn_{name}_pred"),
            format!("{:.3}", p.predicted.p),
        );
        c.add(
            &format!("sat_randn_{name}_meas"),
            format!("{:.3}", p.mean()),
        );
        c.add(
            &format!("half_{name}"),
            format!("{:.2}", std_for_fraction(layer, f, 0.5, 1.0).unwrap()),
        );
        // LeCun's weights in the 100-input layer fed inputs at the raw blobs' scale.
        let blobs = predict(layer, f, 1.0 / (layer.n_in as f64).sqrt(), raw_feature_sd()).unwrap();
        c.add(&format!("sat_blobs_{name}"), format!("{:.2}", blobs.p));
    }
    c.add("raw_sd", format!("{:.1}", raw_feature_sd()));
    c.add("within_sd", format!("{:.1}", within_feature_sd()));
    // Every measurement against its closed form. A check counts only where it is
    // informative: where the closed form expects at least one saturated and one
    // unsaturated pre-activation among the N m of the layer (otherwise a measured 0 against
    // p = 1e-9 agrees trivially). Where it expects many of both, the fraction (an average
    // of 40 000 indicators) is nearly normal, with the design-effect sd of
    // `saturation::predict`: a correct prediction puts a measurement beyond 4 sd with
    // probability about 6e-5. Where it expects fewer than a hundred of the rarer outcome,
    // the count is far from normal (at s = 0.063, about 1.9 saturated pre-activations are
    // expected); there the design effect is negligible (the shared inputs and weights
    // add (N + m - 2) V to p (1 - p), asserted below a tenth of it) and the count is a
    // Poisson variable, so the test uses its exact two-sided tail, against the same 6e-5.
    let cells = (layer.batch * layer.units) as f64;
    let informative: Vec<&Point> = ws
        .iter()
        .chain(&is)
        .filter(|p| cells * p.predicted.p >= 1.0 && cells * (1.0 - p.predicted.p) >= 1.0)
        .collect();
    let all = ws.len() + is.len();
    let rare = |p: &Point| cells * p.predicted.p.min(1.0 - p.predicted.p);
    let (poisson, normal): (Vec<&Point>, Vec<&Point>) =
        informative.iter().partition(|p| rare(p) < 100.0);
    let checks = informative.iter().map(|p| p.measured.len()).sum::<usize>();
    let max_z = normal.iter().map(|p| p.max_z()).fold(0.0, f64::max);
    assert!(
        max_z < 4.0,
        "a saturated fraction is {max_z} sd from the closed form"
    );
    // The two-sided tail of a Poisson(lambda) count k: twice the smaller one-sided tail.
    let poisson_tail = |lambda: f64, k: u64| {
        let mut pmf = exp(-lambda);
        let mut below = 0.0;
        for j in 0..k {
            below += pmf;
            pmf *= lambda / (j + 1) as f64;
        }
        // below = P(X < k), pmf = P(X = k)
        (2.0 * (below + pmf).min(1.0 - below)).min(1.0)
    };
    for p in &poisson {
        let pq = p.predicted.p * (1.0 - p.predicted.p);
        let excess = p.predicted.sd * p.predicted.sd * cells / pq - 1.0;
        assert!(
            excess < 0.1,
            "design effect {excess} where a Poisson count is assumed"
        );
    }
    let mut min_tail: f64 = 1.0;
    for p in &poisson {
        let lambda = rare(p);
        for &m in &p.measured {
            let m = if p.predicted.p < 0.5 { m } else { 1.0 - m };
            let k = (m * cells).round() as u64;
            min_tail = min_tail.min(poisson_tail(lambda, k));
        }
    }
    assert!(min_tail > 6.3e-5, "a Poisson tail of {min_tail}");
    let poisson_checks = poisson.iter().map(|p| p.measured.len()).sum::<usize>();
    c.add("sat_checks", checks)
        .add("sat_checks_all", all * seeds.len())
        .add("sat_checks_poisson", poisson_checks)
        .add("sat_min_tail", format!("{min_tail:.2}"))
        .add(
            "sat_fewest",
            format!(
                "{:.1}",
                poisson.iter().map(|p| rare(p)).fold(f64::MAX, f64::min)
            ),
        )
        .add("sat_max_z", format!("{max_z:.1}"));
}

fn derivatives(c: &mut Claims) {
    // The comparable cut for the sigmoid: the same fraction (0.5 %) of its range as tanh's
    // 0.99 leaves of (-1, 1), sigma(a) > 0.995, at a = ln 199 = 2 atanh(0.99) (sigma(a) =
    // (1 + tanh(a/2)) / 2); there the slope relative to the peak equals tanh's at its cut.
    let same = large::theory::saturation_cutoff_at(Activation::Sigmoid, 0.995)
        .unwrap()
        .unwrap();
    let tanh_cut = saturation_cutoff(Activation::Tanh).unwrap();
    assert!((same - 2.0 * tanh_cut).abs() < 1e-12);
    let d_same = Activation::Sigmoid.df(same);
    let d_tanh = Activation::Tanh.df(tanh_cut);
    assert!((d_same / 0.25 - d_tanh).abs() < 1e-12);
    c.add("cut_sigmoid_same", format!("{same:.3}"));
    c.add("d_sigmoid_same", format!("{d_same:.4}"));
    c.add("d_sigmoid_same_ratio", format!("{:.0}", 0.25 / d_same));
    // f' / (its integral) is a probability density (the logistic law, scaled by 1/2 for
    // tanh) with variance m2 = pi^2/3 (sigmoid) or pi^2/12 (tanh); expanding phi(a / sigma)
    // gives E[f'(a)] = asymptote (1 - m2 / (2 sigma^2) + O(sigma^-4)).
    let pi2 = initnet::math::powi(std::f64::consts::PI, 2);
    for (f, name, max, m2) in [
        (Activation::Tanh, "tanh", 1.0, pi2 / 12.0),
        (Activation::Sigmoid, "sigmoid", 0.25, pi2 / 3.0),
    ] {
        let d = derivative_at_saturation(f).unwrap();
        assert!((d - derivative_from_threshold(f).unwrap()).abs() < 1e-15);
        assert_eq!(f.df(0.0), max);
        c.add(&format!("d_{name}_sat"), format!("{d:.4}"));
        c.add(&format!("d_{name}_ratio"), format!("{:.0}", max / d));
        let m = mean_derivative(f, 10.0).unwrap();
        // The O(sigma^-4) remainder at sigma = 10 is below 3 m4 / (8 sigma^4) < 0.002.
        let ratio = m / mean_derivative_asymptote(f, 10.0).unwrap();
        assert!((ratio - (1.0 - m2 / 200.0)).abs() < 0.002, "{f}: {ratio}");
        c.add(&format!("slope10_{name}"), format!("{m:.3}"));
        // The root-mean-square slope: E[f'^2] has the same expansion with the variance m2'
        // of the density proportional to f'^2, so its square root approaches its asymptote
        // as 1 - m2' / (4 sigma^2); m2' < m2 (f'^2 is narrower than f'), so within m2 / 400.
        let r = rms_derivative(f, 10.0).unwrap();
        let ratio = r / rms_derivative_asymptote(f, 10.0).unwrap();
        assert!(
            ratio < 1.0 && ratio > 1.0 - m2 / 400.0 - 0.002,
            "{f}: {ratio}"
        );
        c.add(&format!("rms10_{name}"), format!("{r:.3}"));
        c.add(
            &format!("rms10_asym_{name}"),
            format!("{:.3}", rms_derivative_asymptote(f, 10.0).unwrap()),
        );
        c.add(
            &format!("slope10_asym_{name}"),
            format!("{:.3}", mean_derivative_asymptote(f, 10.0).unwrap()),
        );
    }
}

/// The per-layer shrink that a mean-slope argument would predict: gain E[f'(a)] per layer
/// in place of gain sqrt(E[f'(a)^2]), on the same q trajectory.
fn mean_slope_shrink(stack: Stack) -> f64 {
    let g2 = stack.gain * stack.gain;
    let q = large::theory::q_trajectory(stack.activation, g2, 0.0, g2, stack.depth).unwrap();
    let logs: Vec<f64> = q
        .iter()
        .take(stack.depth - 1)
        .map(|&q| ln(stack.gain * mean_derivative(stack.activation, q.sqrt()).unwrap()))
        .collect();
    exp(-mean(logs.iter().copied()))
}

/// The sigmoid stack at larger gains: the per-layer factor sqrt(chi_1) on the gradient's
/// standard deviation and the saturated fraction, at the fixed point q* of the q-map
/// (reached within a few layers; q_1 = g^2 for standard-normal inputs).
fn sigmoid_gains(c: &mut Claims) {
    let f = Activation::Sigmoid;
    let mut last = 0.0;
    for (k, g) in [1.0f64, 4.0, 10.0].into_iter().enumerate() {
        let q = large::theory::q_trajectory(f, g * g, 0.0, g * g, 200).unwrap();
        let (q_star, q_prev) = (q[199], q[198]);
        assert!(
            (q_star - q_prev).abs() < 1e-12 * q_star,
            "gain {g}: q not settled"
        );
        let factor = large::theory::chi(f, g * g, q_star).unwrap().sqrt();
        let sat = large::theory::saturation_probability(f, q_star).unwrap();
        assert!(factor > last && factor < 1.0, "gain {g}: {factor}");
        last = factor;
        c.add(&format!("sig_gain{k}"), g);
        c.add(&format!("sig_gain{k}_factor"), format!("{factor:.3}"));
        c.add(&format!("sig_gain{k}_sat"), format!("{:.2}", sat));
    }
}

fn stacks_claims(c: &mut Claims) {
    let seeds = SEEDS;
    let [sigmoid, tanh1, tanh10] = stacks().try_into().expect("three stacks");
    c.add("stack_depth", sigmoid.depth)
        .add("stack_width", sigmoid.width);
    for (stack, name) in [(sigmoid, "sig"), (tanh1, "tanh1"), (tanh10, "tanh10")] {
        let g = stack_gradients(stack, &seeds).unwrap();
        let shrink = g.shrink_per_seed();
        let pred = g.predicted_shrink();
        // The mean over the seeds of ln(shrink) against the mean field, at the level of its
        // standard error (the seeds are independent): 4 standard errors. The mean field's
        // finite-width error, of order 1/n per layer, is evidently below that resolution.
        // For the tanh stacks the same test rejects the prediction built on the mean slope
        // E[f'] instead of sqrt(E[f'^2]): the test can tell the two apart.
        let logs: Vec<f64> = shrink.iter().map(|&s| ln(s)).collect();
        let se = sample_sd(&logs) / (logs.len() as f64).sqrt();
        let gap = (mean(logs.iter().copied()) - ln(pred)).abs();
        assert!(
            gap < 4.0 * se,
            "{name}: mean log shrink {gap} from the mean field, standard error {se}"
        );
        if stack.activation == Activation::Tanh {
            let alt = mean_slope_shrink(stack);
            let alt_gap = (mean(logs.iter().copied()) - ln(alt)).abs();
            assert!(
                alt_gap > 4.0 * se,
                "{name}: E[f'] fits too: {alt_gap} ({se})"
            );
        }
        let (lo, hi) = shrink
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &s| (a.min(s), b.max(s)));
        if name == "tanh10" {
            // Shown as growth toward the input: 1 / shrink.
            c.add("tanh10_growth_pred", format!("{:.2}", 1.0 / pred));
            c.add(
                "tanh10_growth_mean",
                format!("{:.2}", mean(shrink.iter().map(|s| 1.0 / s))),
            );
            c.add("tanh10_growth_min", format!("{:.2}", 1.0 / hi))
                .add("tanh10_growth_max", format!("{:.2}", 1.0 / lo));
            c.add(
                "tanh10_saturated",
                format!("{:.2}", mean(g.saturated.iter().copied())),
            );
        } else {
            c.add(&format!("{name}_shrink_pred"), format!("{pred:.2}"));
            c.add(
                &format!("{name}_shrink_mean"),
                format!("{:.2}", mean(shrink.iter().copied())),
            );
        }
        if name == "sig" {
            // The 1/4 bound: every seed shrinks by more than 4 per layer.
            assert!(lo > 4.0, "a sigmoid stack shrank by only {lo}");
            c.add("sig_shrink_min", format!("{lo:.2}"))
                .add("sig_shrink_max", format!("{hi:.2}"));
            let total = exp(mean(
                g.per_seed.iter().map(|s| ln(s[stack.depth - 1] / s[0])),
            ));
            c.add("sig_total", claims::times_power_of_ten(total, 1));
        }
    }
}

fn toy(c: &mut Claims) {
    let seeds = SEEDS;
    let inits = toy_inits().unwrap();
    let runs: Vec<_> = inits
        .iter()
        .map(|(_, init)| toy_runs(*init, &seeds).unwrap())
        .collect();
    for (rs, name) in runs.iter().zip(["xavier", "large"]) {
        c.add(
            &format!("toy_sat_{name}"),
            format!("{:.2}", mean(rs.iter().map(|r| r.saturated))),
        );
        c.add(
            &format!("toy_loss0_{name}"),
            format!("{:.1}", mean(rs.iter().map(|r| r.losses[0]))),
        );
        c.add(
            &format!("toy_loss_end_{name}"),
            format!("{:.2}", mean(rs.iter().map(|r| *r.losses.last().unwrap()))),
        );
        c.add(
            &format!("toy_acc_{name}"),
            format!("{:.2}", mean(rs.iter().map(|r| r.accuracy))),
        );
        c.add(
            &format!("toy_reach90_{name}"),
            rs.iter().filter(|r| r.accuracy >= 0.9).count(),
        );
        c.add(
            &format!("toy_grad_{name}"),
            format!("{:.2}", mean(rs.iter().map(|r| r.grad_norms[0]))),
        );
        c.add(
            &format!("toy_relgrad_{name}"),
            format!(
                "{:.3}",
                mean(rs.iter().map(|r| r.grad_norms[0] / r.w1_norm))
            ),
        );
        c.add(
            &format!("toy_move_{name}"),
            format!("{:.2}", median(rs.iter().map(|r| r.w1_change).collect())),
        );
    }
    c.add("toy_epochs", runs[0][0].losses.len() - 1);
    // The loss figure: the mean large-weight curve starts about ten times higher than the
    // Glorot curve and stays above it at every epoch.
    let curve = |rs: &[large::vanishing::ToyRun]| -> Vec<f64> {
        (0..rs[0].losses.len())
            .map(|e| mean(rs.iter().map(|r| r.losses[e])))
            .collect()
    };
    let (xavier, big) = (curve(&runs[0]), curve(&runs[1]));
    assert!(big.iter().zip(&xavier).all(|(b, x)| b > x));
    c.add("toy_loss0_ratio", format!("{:.0}", big[0] / xavier[0]));
}

fn standardize(c: &mut Claims) {
    let versions = compare_seeds(&SEEDS).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.inputs).collect::<Vec<_>>(),
        Inputs::ALL
    );
    // The mean norm of a centre drawn uniformly in the square (-10, 10)^2: 10 times the mean
    // distance from the centre of the unit-half-width square, (sqrt 2 + ln(1 + sqrt 2)) / 3.
    let box_mean = 10.0 * (2f64.sqrt() + ln(1.0 + 2f64.sqrt())) / 3.0;
    c.add("box_norm", format!("{box_mean:.2}"));
    let norm = |k: usize| mean(versions[k].runs.iter().map(|r| r.mean_norm));
    c.add("norm_ratio", format!("{:.1}", norm(0) / norm(3)));
    let accs: Vec<Vec<f64>> = versions.iter().map(|v| v.accuracies()).collect();
    for (k, (v, name)) in versions
        .iter()
        .zip(["raw", "cen", "sca", "std"])
        .enumerate()
    {
        c.add(&format!("{name}_norm"), format!("{:.2}", norm(k)));
        let meas: Vec<f64> = v.runs.iter().map(|r| r.saturated).collect();
        let pred: Vec<f64> = v.runs.iter().map(|r| r.predicted).collect();
        // Given the inputs, the 2 hidden units draw independent weights, so each seed's
        // measured fraction (the mean of the two units) has variance unit_variance / 2
        // about its prediction, computed exactly by `saturation_moments`; the mean over
        // the seeds of (measured - predicted) has sd sqrt(sum of those) / seeds.
        let seeds = meas.len() as f64;
        let sd = v
            .runs
            .iter()
            .map(|r| r.unit_variance / 2.0)
            .sum::<f64>()
            .sqrt()
            / seeds;
        let (m, p) = (mean(meas.iter().copied()), mean(pred.iter().copied()));
        assert!(
            (m - p).abs() < 4.0 * sd + 1e-12,
            "{name}: measured {m}, predicted {p}, sd {sd}"
        );
        c.add(&format!("{name}_sat_meas"), format!("{m:.2}"));
        c.add(&format!("{name}_sat_pred"), format!("{p:.2}"));
        if k == 0 {
            c.add("raw_sat_sd", format!("{sd:.3}"));
        }
        c.add(
            &format!("{name}_loss"),
            format!("{:.2}", mean(v.runs.iter().map(|r| r.history.last().loss))),
        );
        let (am, asd) = mean_std(&accs[k]);
        c.add(&format!("{name}_acc"), format!("{am:.2}"))
            .add(&format!("{name}_acc_sd"), format!("{asd:.2}"));
        // Runs ahead of the raw run from the same seed.
        if k > 0 {
            let better = accs[k].iter().zip(&accs[0]).filter(|(a, r)| a > r).count();
            c.add(&format!("{name}_better"), better);
        }
    }
    // Paired over the shared seeds: how many standard errors the standardized runs' accuracy
    // leads each other version's.
    for (k, name) in [(0, "raw"), (1, "cen"), (2, "sca")] {
        let d: Vec<f64> = accs[3].iter().zip(&accs[k]).map(|(s, o)| s - o).collect();
        let z = mean(d.iter().copied()) / (sample_sd(&d) / (d.len() as f64).sqrt());
        c.add(&format!("{name}_lead_z"), format!("{z:.1}"));
    }
    // Paired against raw: how many standard errors each half's accuracy leads raw's.
    for (k, name) in [(1, "cen"), (2, "sca")] {
        let d: Vec<f64> = accs[k].iter().zip(&accs[0]).map(|(a, r)| a - r).collect();
        let z = mean(d.iter().copied()) / (sample_sd(&d) / (d.len() as f64).sqrt());
        c.add(&format!("{name}_vs_raw_z"), format!("{z:.1}"));
    }
    let stuck = versions[0]
        .runs
        .iter()
        .filter(|r| r.saturated == 1.0)
        .count();
    c.add("raw_all_saturated", stuck);
    // The loss figure: the first epoch from which the standardized mean loss stays below
    // the raw one (it is above it early on, where raw inputs take larger steps).
    let (raw, std) = (versions[0].mean_losses(), versions[3].mean_losses());
    let ahead_from = (0..raw.len())
        .rev()
        .take_while(|&e| std[e] < raw[e])
        .last()
        .expect("standardized ends below raw");
    assert!(ahead_from > 0 && std[ahead_from - 1] >= raw[ahead_from - 1]);
    c.add("std_ahead_from", ahead_from);
    // The centred inputs' loss falls fastest: the lowest of the four over epochs 10 to 100.
    let curves: Vec<Vec<f64>> = versions.iter().map(|v| v.mean_losses()).collect();
    let lowest = |e: usize| (0..curves.len()).all(|k| k == 1 || curves[1][e] < curves[k][e]);
    assert!(
        (10..=100).all(lowest),
        "the centred inputs' loss is not the lowest over epochs 10 to 100"
    );
}

fn exploding(c: &mut Claims) {
    let seeds = SEEDS;
    let mut max_z: f64 = 0.0;
    for (f, name) in [(Activation::Identity, "id"), (Activation::Relu, "relu")] {
        let t = tower_sweep(Tower::new(f), &seeds).unwrap();
        c.add(
            &format!("{name}_rms"),
            format!("{:.2}", t.tower.rms_factor().unwrap()),
        );
        c.add(
            &format!("{name}_pred"),
            format!("{:.2}", exp(t.log_factor.0)),
        );
        c.add(
            &format!("{name}_meas_act"),
            format!("{:.2}", mean(t.act_factors())),
        );
        c.add(
            &format!("{name}_meas_grad"),
            format!("{:.2}", mean(t.grad_factors())),
        );
        c.add(
            &format!("{name}_total"),
            claims::times_power_of_ten(exp(t.log_factor.0 * t.tower.depth as f64), 1),
        );
        // The measured factor is the batch's mean: its sd is `batch_sd` (one sample's exact
        // sd times the batch's averaging, to leading order in 1/n), well below one sample's.
        // The spread over the seeds agrees with it: with 20 seeds, the sample sd lies
        // within a factor 1 +- 0.45 of the true one (about 3 of its standard errors, which
        // are 1/sqrt(2 * 19) relative).
        let (fwd, bwd) = t.batch_sd;
        assert!(fwd < 0.8 * t.log_factor.1 && bwd < 0.8 * t.log_factor.1);
        for (factors, sd) in [(t.act_factors(), fwd), (t.grad_factors(), bwd)] {
            let logs: Vec<f64> = factors.iter().map(|&f| ln(f)).collect();
            let ratio = sample_sd(&logs) / sd;
            assert!(
                (ratio - 1.0).abs() < 0.45,
                "{name}: spread {ratio} of the model's"
            );
        }
        c.add(&format!("{name}_batch_sd"), format!("{fwd:.4}"));
        c.add(&format!("{name}_batch_sd_grad"), format!("{bwd:.4}"));
        c.add(
            &format!("{name}_single_sd"),
            format!("{:.4}", t.log_factor.1),
        );
        // A seed beyond 4 of these sd would be a 6e-5 event for each of the 80 values.
        assert!(t.max_z() < 4.0, "{name}: {}", t.max_z());
        max_z = max_z.max(t.max_z());
    }
    // "No seed is more than ...": a bound, so rounded up.
    c.add(
        "tower_max_z",
        format!("{:.1}", (max_z * 10.0).ceil() / 10.0),
    );
    let t = Tower::new(Activation::Identity);
    c.add("tower_batch", t.batch);
    c.add("tower_width", t.width)
        .add("tower_depth", t.depth)
        .add("tower_s", t.weight_std);

    let runs: Vec<_> = seeds.iter().map(|&s| divergence_runs(s).unwrap()).collect();
    let large: Vec<_> = runs.iter().map(|r| &r[0].1).collect();
    let he: Vec<_> = runs.iter().map(|r| &r[1].1).collect();
    let epochs: Vec<usize> = large
        .iter()
        .filter_map(|o| o.diverged.as_ref().map(|d| d.epoch))
        .collect();
    c.add("div_count", epochs.len());
    c.add("div_first", epochs.iter().min().unwrap())
        .add("div_last", epochs.iter().max().unwrap());
    let rest: Vec<_> = large.iter().filter(|o| o.diverged.is_none()).collect();
    // The runs that did not diverge have a hidden layer whose units are all dead, so every
    // sample gets the same output and the loss can at best reach ln 4 (balanced classes).
    for o in &rest {
        assert!(o.dead.contains(&1.0), "{:?}", o.dead);
    }
    c.add("div_rest", rest.len())
        .add("ln4", format!("{:.3}", ln(4.0)));
    c.add(
        "div_rest_loss",
        format!(
            "{:.3}",
            mean(rest.iter().map(|o| *o.losses.last().unwrap()))
        ),
    );
    let d0 = large[0].diverged.as_ref().expect("seed 0 diverges");
    c.add("div_report", format!("epoch {}: {}", d0.epoch, d0.reason));
    c.add("div_loss0", format!("{:.1}", large[0].losses[0]));
    c.add("he_div", he.iter().filter(|o| o.diverged.is_some()).count());
    c.add(
        "he_loss",
        format!("{:.2}", mean(he.iter().map(|o| *o.losses.last().unwrap()))),
    );
    c.add("div_epochs", he[0].losses.len() - 1);
}

/// The worked solutions of the exercises.
fn exercises(c: &mut Claims) {
    // 1. The shortcut |x| = s_x sqrt(n) against the exact average over the chi law, on the
    // weight sweep's grid (s_x = 1), for two and for a hundred inputs.
    let grid = large::saturation::log_grid(0.01, 10.0, 5).unwrap();
    for (n, name) in [(2usize, "ex1_n2"), (100, "ex1_n100")] {
        let layer = Layer {
            n_in: n,
            ..Layer::default()
        };
        let (mut gap, mut at_s, mut at_f) = (0.0f64, 0.0, Activation::Tanh);
        let mut few = 0;
        for f in [Activation::Tanh, Activation::Sigmoid] {
            let t = saturation_cutoff(f).unwrap();
            for &s in &grid {
                let exact = predict(layer, f, s, 1.0).unwrap().p;
                let naive = gaussian_tail(t, s * (n as f64).sqrt());
                if n == 2 && exact > 1e-6 && exact < 0.1 {
                    // Few units saturate: the shortcut underestimates (long inputs do).
                    assert!(naive < exact, "{f} at s = {s}: {naive} >= {exact}");
                    few += 1;
                }
                if (exact - naive).abs() > gap {
                    (gap, at_s, at_f) = ((exact - naive).abs(), s, f);
                }
            }
        }
        assert!(
            n != 2 || few >= 4,
            "only {few} points with few saturated units"
        );
        c.add(&format!("{name}_gap"), format!("{gap:.3}"));
        if n == 2 {
            // At the largest gap the shortcut overestimates (short inputs stay unsaturated).
            let exact = predict(layer, at_f, at_s, 1.0).unwrap().p;
            let naive = gaussian_tail(saturation_cutoff(at_f).unwrap(), at_s * 2f64.sqrt());
            assert!(naive > exact, "{naive} <= {exact}");
            c.add("ex1_n2_s", format!("{at_s:.2}"));
            c.add("ex1_n2_f", at_f.to_string());
        }
    }
    // 2. A threshold of 0.9: the cutoffs, and the half-saturation scales, which move in
    // proportion to the cutoff because p depends on s only through s / t. Checked by
    // evaluating p with the new cutoff at the moved scale.
    let layer = Layer::default();
    for (f, name) in [(Activation::Tanh, "tanh"), (Activation::Sigmoid, "sigmoid")] {
        let t = saturation_cutoff(f).unwrap();
        let t9 = large::theory::saturation_cutoff_at(f, 0.9)
            .unwrap()
            .unwrap();
        let half = std_for_fraction(layer, f, 0.5, 1.0).unwrap();
        let moved = half * t9 / t;
        let p = large::math::chi_expectation(layer.n_in, |r| gaussian_tail(t9, moved * r)).unwrap();
        assert!((p - 0.5).abs() < 1e-9, "{f}: {p}");
        c.add(&format!("ex2_cut_{name}"), format!("{t9:.3}"));
        c.add(&format!("ex2_half_{name}"), format!("{moved:.2}"));
    }
    // 3. The sigmoid gain at which sqrt(chi_1) = 0.9 at the fixed point, by bisection (the
    // factor grows with the gain: see `sigmoid_gains`), and the saturated fraction there.
    let f = Activation::Sigmoid;
    let at_fixed_point = |g: f64| {
        let q = large::theory::q_trajectory(f, g * g, 0.0, g * g, 200).unwrap()[199];
        (
            large::theory::chi(f, g * g, q).unwrap().sqrt(),
            large::theory::saturation_probability(f, q).unwrap(),
        )
    };
    let (mut lo, mut hi) = (4.0, 10.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if at_fixed_point(mid).0 < 0.9 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (factor, sat) = at_fixed_point(0.5 * (lo + hi));
    assert!((factor - 0.9).abs() < 1e-9);
    c.add("ex3_gain", format!("{:.2}", 0.5 * (lo + hi)));
    c.add("ex3_sat", format!("{sat:.2}"));
    // 4. The largest learning rate on a grid of halvings from 0.1 at which no seed of the
    // large ReLU network (s = 0.5) diverges within 30 epochs, for s = 0.5 and s = 0.4.
    // The two weight scales search at once, and each learning rate runs its seeds on every
    // core; a setting is stable when no seed diverges.
    let settings = [(0.5, "ex4_lr_05"), (0.4, "ex4_lr_04")];
    let stable = per_item(&settings, |&(s, _)| -> Result<f64, large::initnet::Error> {
        let init = large::initnet::Init::normal(s)?;
        for k in 0..16 {
            let lr = 0.1 * initnet::math::powi(0.5, k);
            let runs = per_seed(&SEEDS, |seed| {
                large::exploding::train_relu(&large::RELU_WIDTHS, init, lr, 30, seed)
            })?;
            if runs.iter().all(|r| r.diverged.is_none()) {
                return Ok(lr);
            }
        }
        panic!("no stable learning rate on the grid for s = {s}")
    })
    .unwrap();
    for ((_, name), lr) in settings.iter().zip(stable) {
        // 0.1 / 2^k: the double nearest the decimal, which prints as written.
        c.add(name, format!("{lr}"));
    }
}

#[test]
fn every_number_in_the_chapter_is_computed() {
    let mut c = Claims::new();
    saturation(&mut c);
    derivatives(&mut c);
    stacks_claims(&mut c);
    sigmoid_gains(&mut c);
    exercises(&mut c);
    toy(&mut c);
    standardize(&mut c);
    exploding(&mut c);
    if let Err(e) = claims::check(CHAPTER.markdown, &c) {
        panic!("{e}");
    }
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures large` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&large::CHAPTER);
}

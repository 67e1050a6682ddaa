//! Every number the chapter states, computed by the chapter's experiments over the seeds
//! the text names, with the tolerances the math gives.

use book::mean;
use claims::Claims;
use large::exploding::{Tower, tower_sweep};
use large::initnet::{Activation, mean_std};
use large::math::{gaussian_tail, saturation_cutoff};
use large::saturation::{Layer, Point, input_scale_sweep, std_for_fraction, weight_std_sweep};
use large::standardize::compare_seeds;
use large::vanishing::{
    derivative_at_saturation, derivative_from_threshold, mean_derivative,
    mean_derivative_asymptote, stack_gradients, toy_runs,
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

fn at(points: &[Point], f: Activation, x: f64, by_input: bool) -> &Point {
    points
        .iter()
        .find(|p| {
            p.activation == f
                && ((if by_input {
                    p.input_scale
                } else {
                    p.weight_std
                }) / x
                    - 1.0)
                    .abs()
                    < 1e-9
        })
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
    c.add("sat_zero_upto", format!("{zero_upto:.2}"));
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
    c.add("naive_gap", format!("{gap:.3}"));
    for (f, name) in [(Activation::Tanh, "tanh"), (Activation::Sigmoid, "sigmoid")] {
        let p = at(&ws, f, 1.0, false);
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
        let q = at(&is, f, 10.0, true);
        c.add(&format!("sat_c10_{name}_meas"), format!("{:.3}", q.mean()));
    }
    // Every measurement against its closed form, in units of its own standard deviation
    // (the design-effect formula of `saturation::predict`). A correct prediction puts a
    // measurement beyond 4 sd with probability about 6e-5, so among 1280 measurements
    // (nearly normal, since each averages 40 000 indicators) we expect none.
    let all: Vec<&Point> = ws.iter().chain(&is).collect();
    let checks = all.iter().map(|p| p.measured.len()).sum::<usize>();
    let max_z = all.iter().map(|p| p.max_z()).fold(0.0, f64::max);
    assert!(
        max_z < 4.0,
        "a saturated fraction is {max_z} sd from the closed form"
    );
    c.add("sat_checks", checks)
        .add("sat_max_z", format!("{max_z:.1}"));
}

fn derivatives(c: &mut Claims) {
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
        // Tolerance: given the layer above, the squared gradient norm of a layer is, like
        // the towers' norms, a weighted chi-square with about n degrees of freedom, so
        // ln(shrink) averaged over L - 1 layers has sd at most (1/2) sqrt(2 / (n (L - 1)));
        // 4 such sd, plus 1/n for the mean-field approximation's finite-width error.
        let n = stack.width as f64;
        let tol = 4.0 * 0.5 * (2.0 / (n * (stack.depth - 1) as f64)).sqrt() + 1.0 / n;
        for s in &shrink {
            assert!(
                (initnet::math::ln(*s) - initnet::math::ln(pred)).abs() < tol,
                "{name}: shrink {s} against mean field {pred}"
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
            let total = initnet::math::exp(mean(
                g.per_seed
                    .iter()
                    .map(|s| initnet::math::ln(s[stack.depth - 1] / s[0])),
            ));
            c.add("sig_total", format!("{:.1e}", total));
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
}

fn standardize(c: &mut Claims) {
    let pairs = compare_seeds(&SEEDS).unwrap();
    // The mean norm of a centre drawn uniformly in the square (-10, 10)^2: 10 times the mean
    // distance from the centre of the unit-half-width square, (sqrt 2 + ln(1 + sqrt 2)) / 3.
    let box_mean = 10.0 * (2f64.sqrt() + initnet::math::ln(1.0 + 2f64.sqrt())) / 3.0;
    c.add("box_norm", format!("{box_mean:.2}"));
    c.add(
        "raw_norm",
        format!("{:.1}", mean(pairs.iter().map(|p| p.0.mean_norm))),
    );
    c.add(
        "std_norm",
        format!("{:.2}", mean(pairs.iter().map(|p| p.1.mean_norm))),
    );
    c.add(
        "norm_ratio",
        format!(
            "{:.1}",
            mean(pairs.iter().map(|p| p.0.mean_norm)) / mean(pairs.iter().map(|p| p.1.mean_norm))
        ),
    );
    for (k, name) in [(0, "raw"), (1, "std")] {
        let side = |p: &(large::standardize::Side, large::standardize::Side)| {
            if k == 0 { p.0.clone() } else { p.1.clone() }
        };
        let meas: Vec<f64> = pairs.iter().map(|p| side(p).saturated).collect();
        let pred: Vec<f64> = pairs.iter().map(|p| side(p).predicted).collect();
        // Given the inputs, the 2 hidden units are independent draws, each saturating a
        // fraction with mean p_k and variance at most p_k (1 - p_k); so the mean over 20
        // seeds of (measured - p_k) has sd at most sqrt(mean p_k (1 - p_k) / (2 * 20)).
        let bound = (mean(pred.iter().map(|p| p * (1.0 - p))) / (2.0 * meas.len() as f64)).sqrt();
        let (m, p) = (mean(meas.iter().copied()), mean(pred.iter().copied()));
        assert!(
            (m - p).abs() < 4.0 * bound + 1e-12,
            "{name}: measured {m}, predicted {p}, sd bound {bound}"
        );
        c.add(&format!("{name}_sat_meas"), format!("{m:.2}"));
        c.add(&format!("{name}_sat_pred"), format!("{p:.2}"));
        let acc: Vec<f64> = pairs
            .iter()
            .map(|p| side(p).history.last().accuracy)
            .collect();
        let (am, asd) = mean_std(&acc);
        c.add(&format!("{name}_acc"), format!("{am:.2}"))
            .add(&format!("{name}_acc_sd"), format!("{asd:.2}"));
    }
    let better = pairs
        .iter()
        .filter(|p| p.1.history.last().accuracy > p.0.history.last().accuracy)
        .count();
    let stuck = pairs.iter().filter(|p| p.0.saturated == 1.0).count();
    c.add("std_better", better).add("raw_all_saturated", stuck);
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
            format!("{:.2}", initnet::math::exp(t.log_factor.0)),
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
            format!(
                "{:.1e}",
                initnet::math::exp(t.log_factor.0 * t.tower.depth as f64)
            ),
        );
        // The per-layer log factor of one sample has exactly the sd `log_factor.1`
        // (independent layers; the batch mean can only be less variable), so a seed beyond
        // 4 sd would be a 6e-5 event.
        assert!(t.max_z() < 4.0, "{name}: {}", t.max_z());
        max_z = max_z.max(t.max_z());
    }
    c.add("tower_max_z", format!("{max_z:.1}"));
    let t = Tower::new(Activation::Identity);
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
        .add("ln4", format!("{:.3}", initnet::math::ln(4.0)));
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

#[test]
fn every_number_in_the_chapter_is_computed() {
    let mut c = Claims::new();
    saturation(&mut c);
    derivatives(&mut c);
    stacks_claims(&mut c);
    toy(&mut c);
    standardize(&mut c);
    exploding(&mut c);
    if let Err(e) = claims::check(CHAPTER.markdown, &c) {
        panic!("{e}");
    }
}

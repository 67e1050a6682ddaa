//! Every number the chapter states, computed by the experiments and checked against the
//! text; and the statistical checks that back the prose (each tolerance is explained where
//! it is used).

use book::{mean, sample_sd};
use random::deep::{MeanField, Run, Stack, linear_deviation, linear_ratio_sd, mean_field, runs};
use random::initnet::Activation;
use random::math::{GaussHermite, HERMITE_NODES, gaussian_expectation};
use random::products::product_norms;
use random::theory::{digamma, gaussian_tail, tanh_cutoff};
use random::width::{ratio_sd, toy_saturation, width_scaling};
use random::{
    CHAPTER, PRODUCT_DEPTH, PRODUCT_GAINS, PRODUCT_N, SIGMA_SMALL, SIGMA_STANDARD, TOY_BATCH,
    TOY_UNITS, WIDTH_BATCH, WIDTH_UNITS, widths,
};

/// Five standard deviations: a correct experiment fails one such check with probability
/// below 6e-7 (for Gaussian fluctuations), so even the thousands of checks below pass
/// together with probability above 0.99.
const Z: f64 = 5.0;

fn max_abs(v: impl IntoIterator<Item = f64>) -> f64 {
    v.into_iter().map(f64::abs).fold(0.0, f64::max)
}

/// `x` rounded up to `digits` decimals: the text's "within" and "at most" bounds.
fn up(x: f64, digits: usize) -> String {
    let scale = initnet::math::powi(10.0, digits as i32);
    format!("{:.*}", digits, (x * scale).ceil() / scale)
}

/// `x` rounded down to `digits` decimals: the lower end of a "between" range.
fn down(x: f64, digits: usize) -> String {
    let scale = initnet::math::powi(10.0, digits as i32);
    format!("{:.*}", digits, (x * scale).floor() / scale)
}

#[test]
fn the_chapter_states_what_the_experiments_give() {
    let seeds = random::SEEDS;
    let mut claims = claims::Claims::new();
    claims.add("seeds", seeds.len());

    // --- Width: std(a) against sqrt(n) -------------------------------------------------
    let points = width_scaling(&widths(), WIDTH_UNITS, WIDTH_BATCH, &seeds).unwrap();
    let mut worst_z: f64 = 0.0;
    for p in &points {
        for r in &p.rms {
            // Each seed's ratio is within Z closed-form standard deviations (see ratio_sd).
            let z = (r / p.predicted - 1.0) / p.ratio_sd;
            assert!(
                z.abs() < Z,
                "n = {}: ratio {} is {z:.2} sd from 1",
                p.n,
                r / p.predicted
            );
            worst_z = worst_z.max(z.abs());
        }
        // The mean of the seeds' independent ratios has sd ratio_sd / sqrt(seeds).
        let z_mean = (p.mean_ratio() - 1.0) / (p.ratio_sd / (seeds.len() as f64).sqrt());
        assert!(
            z_mean.abs() < Z,
            "n = {}: mean ratio {} is {z_mean:.2} standard errors from 1",
            p.n,
            p.mean_ratio()
        );
    }
    let first = &points[0];
    let last = points.last().unwrap();
    claims.add("width_min", first.n);
    claims.add("width_max", last.n);
    claims.add("width_units", WIDTH_UNITS);
    claims.add("width_batch", WIDTH_BATCH);
    claims.add("width_std_max", format!("{:.1}", last.mean_rms()));
    let ratios: Vec<f64> = points.iter().map(|p| p.mean_ratio()).collect();
    claims.add(
        "width_ratio_lo",
        down(ratios.iter().cloned().fold(f64::INFINITY, f64::min), 3),
    );
    claims.add(
        "width_ratio_hi",
        up(ratios.iter().cloned().fold(0.0, f64::max), 3),
    );
    claims.add("width_sd_small", format!("{:.1}", 100.0 * first.ratio_sd));
    claims.add("width_sd_large", format!("{:.2}", 100.0 * last.ratio_sd));
    claims.add("width_worst_z", up(worst_z, 1));

    // --- Fan-in 2: saturation ----------------------------------------------------------
    let cutoff = tanh_cutoff();
    claims.add("cutoff", format!("{cutoff:.3}"));
    let toy = toy_saturation(TOY_UNITS, TOY_BATCH, &seeds).unwrap();
    // The exact law: a is Laplace, so P(|a| > t) = e^-t = 1/sqrt(199).
    assert!((toy.predicted - 1.0 / 199f64.sqrt()).abs() < 1e-9);
    for m in &toy.measured {
        // sd_bound is a rigorous upper bound on a seed's standard deviation (Cauchy–Schwarz
        // on the covariances of indicators sharing a unit or an input).
        assert!(
            (m - toy.predicted).abs() < Z * toy.sd_bound,
            "fraction {m} vs {}",
            toy.predicted
        );
    }
    let toy_mean = mean(&toy.measured);
    assert!((toy_mean - toy.predicted).abs() < Z * toy.sd_bound / (seeds.len() as f64).sqrt());
    claims.add("toy_gaussian", format!("{:.2}", 100.0 * toy.gaussian_guess));
    claims.add("toy_predicted", format!("{:.2}", 100.0 * toy.predicted));
    claims.add("toy_units", TOY_UNITS);
    claims.add("toy_batch", TOY_BATCH);
    claims.add("toy_mean", format!("{:.2}", 100.0 * toy_mean));
    claims.add(
        "toy_min",
        format!(
            "{:.1}",
            100.0 * toy.measured.iter().cloned().fold(1.0, f64::min)
        ),
    );
    claims.add(
        "toy_max",
        format!(
            "{:.1}",
            100.0 * toy.measured.iter().cloned().fold(0.0, f64::max)
        ),
    );
    let n = Stack::cs231n(1.0).width;
    claims.add("sqrt_500", format!("{:.1}", (n as f64).sqrt()));
    claims.add(
        "sat_500",
        format!("{:.1}", 100.0 * gaussian_tail(cutoff, (n as f64).sqrt())),
    );

    // --- The deep stack ----------------------------------------------------------------
    let small_stack = Stack::cs231n(SIGMA_SMALL);
    let standard_stack = Stack::cs231n(SIGMA_STANDARD);
    claims.add("deep_width", small_stack.width);
    claims.add("deep_depth", small_stack.depth);
    claims.add("deep_batch", small_stack.batch);
    let small_runs: Vec<Run> = runs(small_stack, &seeds).unwrap();
    let standard_runs: Vec<Run> = runs(standard_stack, &seeds).unwrap();
    let mf_small = mean_field(small_stack, 0.0, 1.0).unwrap();
    let mf_standard = mean_field(standard_stack, 0.0, 1.0).unwrap();
    let depth = small_stack.depth;

    claims.add(
        "small_gain",
        format!("{:.3}", SIGMA_SMALL * (small_stack.width as f64).sqrt()),
    );
    let h10: Vec<f64> = small_runs
        .iter()
        .map(|r| r.layers[depth - 1].h_std)
        .collect();
    claims.add(
        "small_h10_measured",
        claims::times_power_of_ten(mean(&h10), 1),
    );
    let sat: Vec<f64> = standard_runs
        .iter()
        .flat_map(|r| r.layers.iter().map(|l| l.saturated))
        .collect();
    claims.add(
        "sat_min",
        down(100.0 * sat.iter().cloned().fold(1.0, f64::min), 1),
    );
    claims.add(
        "sat_max",
        up(100.0 * sat.iter().cloned().fold(0.0, f64::max), 1),
    );
    let h_std: Vec<f64> = standard_runs
        .iter()
        .flat_map(|r| r.layers.iter().map(|l| l.h_std))
        .collect();
    let h_std_text = format!("{:.3}", mean(&h_std));
    // The one value stands for every layer and seed: all round to it within 0.001.
    assert!(
        h_std.iter().all(|s| (s - mean(&h_std)).abs() < 1e-3),
        "{h_std:?}"
    );
    claims.add("h_std_standard", h_std_text);
    // Symmetry at both scales: the mean of h in units of its own standard deviation, which
    // is informative at s = 0.01 too (where h itself is below 1e-2 from layer one on). Given
    // the layer's input, the B n values share a row (an input) or a column (a unit), so by
    // Cauchy–Schwarz Var(mean) <= Var(h) (1/(B n) + 1/B + 1/n); a shifted distribution (a
    // sigmoid's, mean/std above one) fails the bound by far.
    let stack_n = small_stack.width as f64;
    let stack_b = small_stack.batch as f64;
    let mean_sd_bound = (1.0 / (stack_b * stack_n) + 1.0 / stack_b + 1.0 / stack_n).sqrt();
    let h_mean_ratio = max_abs(
        small_runs
            .iter()
            .chain(&standard_runs)
            .flat_map(|r| r.layers.iter().map(|l| l.h_mean / l.h_std)),
    );
    assert!(
        h_mean_ratio < Z * mean_sd_bound,
        "{h_mean_ratio} vs {mean_sd_bound}"
    );
    claims.add("h_mean_ratio", up(h_mean_ratio, 2));

    // The small stack is a nearly linear map: its top layer against x (W^1)^T...(W^10)^T.
    // To leading order the distance is the first layer's: the relative size of
    // tanh(a) - a for a ~ N(0, q^1), which the later layers (q^l ever smaller) barely add
    // to and their matrices nearly preserve. Each seed within 10 % of it.
    let q1 = mf_small.q[0];
    let cubic = (gaussian_expectation(|a| initnet::math::powi(initnet::math::tanh(a) - a, 2), q1)
        .unwrap()
        / q1)
        .sqrt();
    let linear_devs: Vec<f64> = seeds
        .iter()
        .map(|&s| linear_deviation(small_stack, s).unwrap())
        .collect();
    for d in &linear_devs {
        assert!((d / cubic - 1.0).abs() < 0.1, "{d} vs {cubic}");
    }
    // The text's leading term: with tanh(a) - a = -a^3/3 + 2a^5/15 - ..., the Gaussian
    // moments give cubic = (sqrt(15)/3) q (1 - 2.8 q + O(q^2)); at q^1 = 0.05 the O(q^2)
    // term is about +0.03.
    let leading = 15f64.sqrt() / 3.0 * q1;
    assert!(
        (cubic / leading - (1.0 - 2.8 * q1)).abs() < 0.05,
        "{cubic} vs {leading}"
    );
    claims.add(
        "small_linear_dev",
        up(100.0 * linear_devs.iter().cloned().fold(0.0, f64::max), 1),
    );
    claims.add("small_cubic", format!("{:.1}", 100.0 * cubic));

    // Mean field.
    let q_star = *mf_standard.q.last().unwrap();
    claims.add("q_star", format!("{q_star:.1}"));
    claims.add("std_star", format!("{:.2}", q_star.sqrt()));
    claims.add(
        "sat_star",
        format!("{:.1}", 100.0 * gaussian_tail(cutoff, q_star.sqrt())),
    );
    let accurate =
        gaussian_expectation(|a| initnet::math::powi(initnet::math::tanh(a), 2), q_star).unwrap();
    let hermite = GaussHermite::new(HERMITE_NODES)
        .unwrap()
        .expect(|z| initnet::math::powi(initnet::math::tanh(q_star.sqrt() * z), 2));
    claims.add("gh_nodes", HERMITE_NODES);
    claims.add(
        "gh_error",
        claims::times_power_of_ten((hermite - accurate).abs(), 1),
    );
    let factors: Vec<f64> = mf_small.q.windows(2).map(|w| w[1] / w[0]).collect();
    let gain2 = SIGMA_SMALL * SIGMA_SMALL * small_stack.width as f64;
    claims.add("small_factor2", format!("{:.4}", factors[0]));
    claims.add(
        "small_factor_dev",
        up(
            100.0 * max_abs(factors[2..].iter().map(|f| f / gain2 - 1.0)),
            2,
        ),
    );
    claims.add(
        "small_a10_predicted",
        claims::times_power_of_ten(mf_small.q[depth - 1].sqrt(), 1),
    );

    // Forward agreement: every layer of every seed within Z linear-regime standard
    // deviations (an upper bound for tanh, see linear_ratio_sd) plus 1/n for the O(1/n)
    // finite-width correction of the mean.
    let mut forward_worst: f64 = 0.0;
    for (runs, mf) in [(&small_runs, &mf_small), (&standard_runs, &mf_standard)] {
        for r in runs {
            for (l, rec) in r.layers.iter().enumerate() {
                let dev = rec.a_std / mf.q[l].sqrt() - 1.0;
                let tol = Z * linear_ratio_sd(r.stack, l + 1).unwrap() + 1.0 / r.stack.width as f64;
                assert!(
                    dev.abs() < tol,
                    "weight_std {} seed {} layer {}: {dev:+.4} vs {tol:.4}",
                    r.stack.weight_std,
                    r.seed,
                    l + 1
                );
                forward_worst = forward_worst.max(dev.abs());
            }
        }
    }
    claims.add("forward_worst", up(100.0 * forward_worst, 1));
    claims.add(
        "sd_layer10",
        format!(
            "{:.1}",
            100.0 * linear_ratio_sd(small_stack, depth).unwrap()
        ),
    );
    let dev10: Vec<f64> = small_runs
        .iter()
        .map(|r| r.layers[depth - 1].a_std / mf_small.q[depth - 1].sqrt() - 1.0)
        .collect();
    claims.add(
        "spread_layer10",
        format!("{:.1}", 100.0 * sample_sd(&dev10)),
    );
    // The formula describes the linear regime: the measured spread at the last layer is
    // within the sampling error of a standard deviation estimated from 20 seeds (relative
    // sd about 1/sqrt(2 * 19) = 16%; we allow a factor of 2 either way).
    let ratio = sample_sd(&dev10) / linear_ratio_sd(small_stack, depth).unwrap();
    assert!((0.5..2.0).contains(&ratio), "{ratio}");

    // Gradients.
    claims.add("chi_small", format!("{:.3}", mf_small.chi[depth - 1]));
    claims.add("chi_standard", format!("{:.2}", mf_standard.chi[depth - 1]));
    claims.add(
        "sqrt_chi_standard",
        format!("{:.1}", mf_standard.chi[depth - 1].sqrt()),
    );
    claims.add(
        "grad1_standard",
        claims::times_power_of_ten(mf_standard.grad_a_var[0].sqrt(), 1),
    );
    claims.add(
        "grad1_small",
        claims::times_power_of_ten(mf_small.grad_a_var[0].sqrt(), 1),
    );
    let (mean_worst, seed_worst) =
        gradient_agreement(&[(&small_runs, &mf_small), (&standard_runs, &mf_standard)]);
    claims.add("grad_mean_worst", up(100.0 * mean_worst, 1));
    claims.add("grad_seed_worst", up(100.0 * seed_worst, 1));

    // --- Products of random matrices ------------------------------------------------------
    let curves = product_norms(PRODUCT_N, PRODUCT_DEPTH, &PRODUCT_GAINS, &seeds).unwrap();
    let mut product_worst: f64 = 0.0;
    for curve in &curves {
        for l in 1..=PRODUCT_DEPTH {
            // ln|x_L| is a sum of L iid terms with known mean and sd (see product_norms).
            for k in &curve.log_norm {
                let z = (k[l] - curve.mean[l]) / curve.sd[l];
                assert!(z.abs() < Z, "g = {} L = {l}: z = {z:.2}", curve.gain);
                product_worst = product_worst.max(z.abs());
            }
            let se = curve.sd[l] / (seeds.len() as f64).sqrt();
            assert!(
                (curve.measured_mean(l) - curve.mean[l]).abs() < Z * se,
                "g = {} L = {l}",
                curve.gain
            );
        }
    }
    let at = |gain: f64| curves.iter().find(|c| c.gain == gain).unwrap();
    let (low, unit, high) = (at(0.8), at(1.0), at(1.25));
    let l = PRODUCT_DEPTH;
    claims.add("product_n", PRODUCT_N);
    claims.add("product_depth", PRODUCT_DEPTH);
    claims.add("gain_low", low.gain);
    claims.add("gain_high", high.gain);
    claims.add("low_exact", format!("{:.2}", low.mean[l]));
    claims.add("low_measured", format!("{:.2}", low.measured_mean(l)));
    claims.add("high_exact", format!("{:.2}", high.mean[l]));
    claims.add("high_measured", format!("{:.2}", high.measured_mean(l)));
    claims.add(
        "unit_typical",
        format!("{:.2}", initnet::math::exp(unit.mean[l])),
    );
    claims.add("unit_exact", format!("{:.3}", unit.mean[l]));
    claims.add("unit_measured", format!("{:.3}", unit.measured_mean(l)));
    let unit_se = unit.sd[l] / (seeds.len() as f64).sqrt();
    claims.add("unit_se", format!("{unit_se:.3}"));
    claims.add(
        "unit_z",
        format!(
            "{:.1}",
            (unit.measured_mean(l) - unit.mean[l]).abs() / unit_se
        ),
    );
    // The post's s = 1 is g = sqrt(n): the exact mean of log10 |x_L|.
    let nf = PRODUCT_N as f64;
    let per_factor = 0.5 * (initnet::math::ln(2.0) + digamma(nf / 2.0).unwrap());
    claims.add(
        "standard_log10",
        format!("{:.2}", l as f64 * per_factor / std::f64::consts::LN_10),
    );
    claims.add("product_worst_z", up(product_worst, 1));

    exercises(&mut claims, q_star);

    if let Err(e) = claims::check(CHAPTER.markdown, &claims) {
        panic!("the chapter and the experiments disagree:\n{e}");
    }
}

/// Back-propagated gradients against the mean field. Single seeds fluctuate more than in the
/// forward pass (tanh'(a)^2 is heavy-tailed in the saturated stack, so each layer's gain is
/// averaged over fewer effective samples), and we have no closed form for that spread. So we
/// test the mean over the seeds: the seeds are independent, so the mean relative deviation
/// has standard error sd/sqrt(seeds), with sd the sample standard deviation over the seeds.
/// It must lie within Z standard errors (Student's t with 19 degrees of freedom exceeds 5
/// with probability below 1e-4) plus 1/n for the finite-width correction. Returns the
/// largest |mean deviation| and the largest single-seed |deviation|.
fn gradient_agreement(cases: &[(&Vec<Run>, &MeanField)]) -> (f64, f64) {
    let (mut mean_worst, mut seed_worst): (f64, f64) = (0.0, 0.0);
    let mut seed_worst_at = (0.0, 0);
    for (runs, mf) in cases {
        let stack = runs[0].stack;
        for l in 0..stack.depth {
            let devs: Vec<f64> = runs
                .iter()
                .map(|r| r.layers[l].grad_a_std / mf.grad_a_var[l].sqrt() - 1.0)
                .collect();
            let se = sample_sd(&devs) / (devs.len() as f64).sqrt();
            let m = mean(&devs);
            assert!(
                m.abs() < Z * se + 1.0 / stack.width as f64,
                "weight_std {} layer {}: mean {m:+.4}, se {se:.4}",
                stack.weight_std,
                l + 1
            );
            mean_worst = mean_worst.max(m.abs());
            let worst_here = max_abs(devs);
            if worst_here > seed_worst {
                seed_worst = worst_here;
                seed_worst_at = (stack.weight_std, l + 1);
            }
        }
    }
    // The text says the single-seed scatter is largest at the bottom of the saturated stack.
    assert_eq!(
        seed_worst_at,
        (SIGMA_STANDARD, 1),
        "largest single-seed deviation at {seed_worst_at:?}"
    );
    (mean_worst, seed_worst)
}

/// The worked solutions of the exercises.
fn exercises(claims: &mut claims::Claims, q_star: f64) {
    // 1. ReLU: v = 2/n (a gain of sqrt 2) keeps q: the q-map with weight_std^2 = 2 is the identity.
    for q in [0.25, 1.0, 4.0, 30.0] {
        let next = random::theory::q_map(Activation::Relu, 2.0, 0.0, q).unwrap();
        assert!((next / q - 1.0).abs() < 1e-9, "q = {q}: {next}");
    }

    // 2. The edge of chaos: chi_1 at the fixed point, for gains around 1.
    let tanh = Activation::Tanh;
    for (i, g) in [0.9f64, 1.1, 1.5].into_iter().enumerate() {
        let g2 = g * g;
        let fixed = random::theory::tanh_fixed_point(g2, 0.0).unwrap();
        let q = fixed.unwrap_or(0.0);
        let chi = random::theory::chi(tanh, g2, q).unwrap();
        // Below the edge the fixed point is 0 and chi_1 = g^2 < 1; above, chi_1 > 1.
        assert_eq!(fixed.is_none(), g <= 1.0, "g = {g}");
        assert_eq!(chi > 1.0, g > 1.0, "g = {g}: {chi}");
        claims.add(&format!("ex2_g{i}"), g);
        claims.add(&format!("ex2_chi{i}"), format!("{chi:.2}"));
        if let Some(q) = fixed {
            claims.add(&format!("ex2_q{i}"), format!("{q:.2}"));
        }
    }

    // 3. A batch of 10 at n = 2: the closed form against the spread over the seeds (an sd
    // estimated from 20 seeds has a relative sd of about 1/sqrt(2 * 19) = 16 %, more with
    // the ratio's skew at n = 2; a factor of 1.5 either way).
    let small_batch = 10;
    let predicted = ratio_sd(2, WIDTH_UNITS, small_batch).unwrap();
    let point = &width_scaling(&[2], WIDTH_UNITS, small_batch, &random::SEEDS).unwrap()[0];
    let ratios: Vec<f64> = point.rms.iter().map(|r| r / point.predicted).collect();
    let measured = sample_sd(&ratios);
    assert!(
        (1.0 / 1.5..1.5).contains(&(measured / predicted)),
        "{measured} vs {predicted}"
    );
    claims.add("ex3_pred", format!("{:.1}", 100.0 * predicted));
    claims.add("ex3_meas", format!("{:.1}", 100.0 * measured));

    // 4. The Gauss–Hermite trap: the first q on a log grid from 0.01 to 1000 where the
    // rule's error exceeds 1e-6, and the error at q*.
    let grid: Vec<f64> = (0..=250)
        .map(|i| initnet::math::exp(std::f64::consts::LN_10 * (-2.0 + 5.0 * i as f64 / 250.0)))
        .collect();
    let reference: Vec<f64> = grid
        .iter()
        .map(|&q| {
            gaussian_expectation(|a| initnet::math::powi(initnet::math::tanh(a), 2), q).unwrap()
        })
        .collect();
    let (mut firsts, mut errors) = (Vec::new(), Vec::new());
    for (i, k) in [16usize, 64, 150].into_iter().enumerate() {
        let rule = GaussHermite::new(k).unwrap();
        let error = |q: f64, exact: f64| {
            (rule.expect(|z| initnet::math::powi(initnet::math::tanh(q.sqrt() * z), 2)) - exact)
                .abs()
        };
        let first = grid
            .iter()
            .zip(&reference)
            .position(|(&q, &e)| error(q, e) > 1e-6)
            .expect("the rule fails somewhere on the grid");
        assert!(first > 0, "k = {k} fails at the grid's first q");
        let q = grid[first];
        // The spacing of the two nodes around 0 (k even), about π/√k.
        let spacing = rule.nodes[k / 2 - 1] - rule.nodes[k / 2];
        let exact_star =
            gaussian_expectation(|a| initnet::math::powi(initnet::math::tanh(a), 2), q_star)
                .unwrap();
        let signed_star = rule
            .expect(|z| initnet::math::powi(initnet::math::tanh(q_star.sqrt() * z), 2))
            - exact_star;
        claims.add(&format!("ex4_k{i}"), k);
        claims.add(&format!("ex4_q{i}"), format!("{q:.1}"));
        claims.add(
            &format!("ex4_r{i}"),
            format!("{:.2}", std::f64::consts::PI / (k as f64).sqrt()),
        );
        assert!((spacing * (k as f64).sqrt() / std::f64::consts::PI - 1.0).abs() < 0.02);
        // The text: every rule overestimates at q*, by a few hundredths.
        assert!(
            signed_star > 0.01 && signed_star < 0.1,
            "k = {k}: {signed_star}"
        );
        claims.add(
            &format!("ex4_e{i}"),
            claims::times_power_of_ten(signed_star, 1),
        );
        // tanh's step at q* is narrower than this rule's spacing.
        assert!(1.0 / q_star.sqrt() < spacing);
        firsts.push(q);
        errors.push(signed_star);
    }
    // More nodes push the failure to larger q, and hardly help at q*.
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}");
    assert!(errors.iter().all(|e| *e > 0.5 * errors[0]), "{errors:?}");
    claims.add("ex4_step", format!("{:.3}", 1.0 / q_star.sqrt()));
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures random` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&random::CHAPTER);
}

//! Every number the chapter states, recomputed, and the closed forms it is checked against.

use initnet::Activation;
use orthogonal::figures::jacobian_networks;
use orthogonal::jacobian::JacobianStudy;
use orthogonal::linear::{self, ProductStudy, Weights, fuss_catalan_log_variance};
use orthogonal::saxe::{self, SaxeStudy, Setting, Start};
use orthogonal::spectrum::haar_entry_ks;
use orthogonal::speed::{RATES, SWEEP_SEEDS, Speed, SpeedStudy};
use orthogonal::{CHAPTER, SEEDS};

/// Mean and standard error of the mean.
fn mean_se(v: &[f64]) -> (f64, f64) {
    let (m, sd) = book::mean_sd(v);
    (m, book::sample_sd(v).max(sd) / (v.len() as f64).sqrt())
}

/// E[sech(√q z)^k] for z ~ N(0, 1), by Simpson's rule with 4800 intervals on [-12, 12]
/// (the Gaussian tail beyond is below 1e-32): an independent check of the theory crate.
fn sech_moment(q: f64, k: i32) -> f64 {
    let (lo, hi, m) = (-12.0f64, 12.0f64, 4800usize);
    let h = (hi - lo) / m as f64;
    let f = |z: f64| {
        let a = q.sqrt() * z;
        let sech = 2.0 / (initnet::math::exp(a) + initnet::math::exp(-a));
        let phi = initnet::math::exp(-0.5 * z * z) / (2.0 * std::f64::consts::PI).sqrt();
        initnet::math::powi(sech, k) * phi
    };
    let inner: f64 = (1..m)
        .map(|i| {
            let w = if i % 2 == 1 { 4.0 } else { 2.0 };
            w * f(lo + i as f64 * h)
        })
        .sum();
    (f(lo) + f(hi) + inner) * h / 3.0
}

#[test]
fn the_chapter_states_what_the_experiments_give() {
    let mut c = claims::Claims::new();

    // ---- The orthogonal initializer: Archimedes -----------------------------------------
    let draws = 4000;
    c.add("haar_draws", draws);
    let critical = 1.95 / (draws as f64).sqrt();
    assert_eq!(format!("{critical:.4}"), "0.0308");
    for n in [2, 3, 5] {
        let ks = haar_entry_ks(n, draws, 7).unwrap();
        assert!(ks < critical, "n = {n}: KS {ks}");
    }
    assert!(haar_entry_ks(4, 10, 0).is_err());

    // ---- Products of random matrices -----------------------------------------------------
    let gaussian =
        ProductStudy::run(linear::WIDTH, &linear::DEPTHS, Weights::Gaussian, &SEEDS).unwrap();
    let orth =
        ProductStudy::run(linear::WIDTH, &linear::DEPTHS, Weights::Orthogonal, &SEEDS).unwrap();
    c.add("product_seeds", SEEDS.len())
        .add("product_width", linear::WIDTH);
    for (d, &l) in linear::DEPTHS.iter().enumerate() {
        // Mean σ² is 1 in expectation, mean σ⁴ and mean ln σ have exact finite-n values:
        // within five standard errors over the seeds.
        let s2: Vec<f64> = gaussian.moments[d].iter().map(|m| m.0).collect();
        let s4: Vec<f64> = gaussian.moments[d].iter().map(|m| m.1).collect();
        let (m2, se2) = mean_se(&s2);
        let (m4, se4) = mean_se(&s4);
        let (ml, sel) = mean_se(&gaussian.mean_log_sigma(d));
        assert!((m2 - 1.0).abs() < 5.0 * se2, "L {l}: mean σ² {m2}");
        let e4 = theory::gaussian_product_sigma4(linear::WIDTH, l).unwrap();
        assert!((m4 - e4).abs() < 5.0 * se4, "L {l}: mean σ⁴ {m4} vs {e4}");
        let el = theory::gaussian_product_mean_log_sigma(linear::WIDTH, l).unwrap();
        assert!((ml - el).abs() < 5.0 * sel, "L {l}: mean ln σ {ml} vs {el}");
        // The quadrature of the Fuss–Catalan density agrees with the closed form.
        let (v, limit) = (gaussian.var_log(d), fuss_catalan_log_variance(l).unwrap());
        let closed = linear::fuss_catalan_log_variance_closed(l).unwrap();
        assert!(
            (limit - closed).abs() < 1e-3 * closed,
            "L {l}: {limit} vs {closed}"
        );
        // The spread of ln σ exceeds the n → ∞ limit at this width at every depth, by one
        // to five standard errors over the seeds: a finite-width excess with no closed
        // form here, so the chapter states its sign for these seeds (the SVD's last bits
        // cannot move a gap of a standard error), not its size.
        let (_, se_v) = mean_se(&gaussian.var_log_sigma(d));
        assert!(v - se_v > limit, "L {l}: var ln σ {v} ± {se_v} vs {limit}");
        // Orthogonal moments are exactly 1 to rounding.
        assert!(orth.moments[d].iter().all(|m| (m.0 - 1.0).abs() < 1e-12));
    }
    assert!(orth.max_distance_from_one() < 1e-12);
    let last = linear::DEPTHS.len() - 1;
    c.add("var_log_8", format!("{:.1}", gaussian.var_log(last)))
        .add(
            "var_log_8_limit",
            format!(
                "{:.1}",
                fuss_catalan_log_variance(linear::DEPTHS[last]).unwrap()
            ),
        );

    // ---- Saxe et al. ---------------------------------------------------------------------
    let setting = Setting::chapter();
    c.add("saxe_n", setting.n)
        .add("saxe_eta", setting.eta)
        .add("saxe_threshold", setting.threshold)
        .add("saxe_budget", setting.max_epochs)
        .add("saxe_seeds", SEEDS.len());
    let study = SaxeStudy::run(&setting, &saxe::DEPTHS, &SEEDS).unwrap();
    let dl = saxe::DEPTHS.len() - 1;
    let aligned = |d: usize| {
        let e: Vec<usize> = study.epochs[0][d].iter().map(|e| e.unwrap()).collect();
        assert!(e.iter().all(|&x| x == e[0]), "aligned runs differ: {e:?}");
        e[0]
    };
    c.add("aligned_first", aligned(0))
        .add("aligned_last", aligned(dl))
        .add("pred_first", format!("{:.1}", study.predicted[0]))
        .add("pred_last", format!("{:.1}", study.predicted[dl]));
    // The continuous-time prediction is within one epoch plus 5% of gradient descent.
    for d in 0..saxe::DEPTHS.len() {
        let gap = (aligned(d) as f64 - study.predicted[d]).abs();
        assert!(gap < 1.0 + 0.05 * study.predicted[d], "{d}: {gap}");
    }
    // The scalar map of each mode is matrix training, to rounding.
    for &l in &saxe::DEPTHS {
        let map = saxe::aligned_mode_map(&setting, l);
        let run = saxe::train(&setting, l, Start::Aligned, 3).unwrap();
        assert_eq!(map.len(), run.len());
        for (a, b) in map.iter().zip(&run) {
            assert!((a - b).abs() < 1e-12, "L {l}: {a} {b}");
        }
    }
    c.add("gauss_two", study.median(2, 1))
        .add("gauss_unfinished_last", study.unfinished(2, dl));
    // Random orthogonal: every run in the wrong component at depth >= 2 fails; the count
    // that arrives at the last depth.
    for d in 1..saxe::DEPTHS.len() {
        for (e, same) in study.epochs[1][d].iter().zip(&study.same[1][d]) {
            if !same {
                assert!(e.is_none(), "depth index {d}: a wrong-side run arrived");
            }
        }
    }
    let wrong = study.same[1][dl].iter().filter(|s| !**s).count();
    let done = study.epochs[1][dl].iter().filter(|e| e.is_some()).count();
    c.add("orth_wrong_last", wrong).add("orth_done_last", done);
    // The bound ½ s_min² on a wrong-side product's loss lies between the two thresholds.
    let floor = saxe::wrong_side_floor(&setting);
    assert!(setting.threshold < floor && floor < saxe::LOOSE_THRESHOLD);
    c.add("wrong_side_floor", format!("{floor:.3}"))
        .add("saxe_loose", saxe::LOOSE_THRESHOLD);
    // At two layers: every wrong-side orthogonal run reaches the loose threshold and none
    // the chapter's; every wrong-side Gaussian run reaches the chapter's.
    let (w_o, done_o, loose_o) = study.wrong_side(1, 1);
    assert!(
        w_o > 0 && done_o == 0 && loose_o == w_o,
        "{w_o} {done_o} {loose_o}"
    );
    let (w_g, done_g, _) = study.wrong_side(2, 1);
    assert!(w_g > 0 && done_g == w_g, "{w_g} {done_g}");
    c.add("orth_loose_two", loose_o)
        .add("gauss_done_two", done_g);
    // With one layer every start arrives, the random ones within 40% of the aligned time.
    let within = 40;
    for i in [1, 2] {
        assert_eq!(study.unfinished(i, 0), 0);
        assert!(study.median(i, 0) <= (1.0 + within as f64 / 100.0) * study.median(0, 0));
    }
    c.add("first_within", within);
    // Depth-independence of the aligned start, and the Gaussian start slowing down.
    assert!(study.median(0, dl) < 2.5 * study.median(0, 0));
    assert!(study.median(2, 1) > 2.0 * study.median(2, 0));

    // ---- Jacobians -----------------------------------------------------------------------
    let nets = jacobian_networks();
    c.add("jac_depth", nets[0].depth)
        .add("jac_width", nets[0].width)
        .add("jac_seeds", SEEDS.len());
    let studies: Vec<JacobianStudy> = nets
        .iter()
        .map(|&n| JacobianStudy::run(n, &SEEDS).unwrap())
        .collect();
    for s in &studies {
        let l = s.network.depth;
        let finite = l as f64 / s.network.width as f64;
        for k in 0..l {
            let means: Vec<f64> = s.moments.iter().map(|m| m[k].0).collect();
            let (m, mut se) = mean_se(&means);
            // ReLU with Gaussian weights: the standard error from the exact finite-width
            // variance of m₁ = tr(JᵀJ)/n, E[m₁²] - E[m₁]², not from the heavy-tailed sample.
            if s.network.activation == Activation::Relu && s.network.weights == Weights::Gaussian {
                let (e1, e11, _) = theory::relu_jacobian_moments(s.network.width, k + 1).unwrap();
                se = ((e11 - e1 * e1) / SEEDS.len() as f64).sqrt();
            }
            assert!(
                (m - s.predicted[k].0).abs() < 5.0 * se + 1e-12,
                "{} layer {}: mean λ {m} vs {}",
                s.network.name(),
                k + 1,
                s.predicted[k].0
            );
            let spreads: Vec<f64> = s
                .moments
                .iter()
                .map(|m| m[k].1 / (m[k].0 * m[k].0) - 1.0)
                .collect();
            // The finite-width correction to the spread is not derived here (except for
            // ReLU with Gaussian weights, below): the band of (L/n)·p is a bound we assume
            // on it, on top of five standard errors over the seeds.
            let (r, se) = mean_se(&spreads);
            let p = s.predicted[k].1;
            assert!(
                (r - p).abs() < 5.0 * se + finite * p,
                "{} layer {}: spread {r} vs {p}",
                s.network.name(),
                k + 1
            );
        }
    }
    // ReLU: more than half of the singular values are zero or below 10⁻⁴ (the first bin).
    for s in &studies[2..] {
        let v = s.log10_sigma();
        let low = v.iter().filter(|&&x| x < -4.0).count();
        assert!(
            2 * low > v.len(),
            "{}: {low} of {}",
            s.network.name(),
            v.len()
        );
    }
    c.add(
        "jac_tanh_mean_pred",
        format!("{:.3}", studies[1].predicted[nets[1].depth - 1].0),
    );
    let last = |i: usize| studies[i].relative_variance()[studies[i].network.depth - 1];
    let pred = |i: usize| studies[i].predicted[studies[i].network.depth - 1].1;
    c.add("spread_tanh_gauss", format!("{:.1}", last(0)))
        .add("spread_tanh_orth", format!("{:.2}", last(1)))
        .add("spread_tanh_gauss_pred", format!("{:.1}", pred(0)))
        .add("spread_tanh_orth_pred", format!("{:.2}", pred(1)))
        .add("spread_relu_gauss", format!("{:.1}", last(2)))
        .add("spread_relu_orth", format!("{:.1}", last(3)));
    // ReLU with Gaussian weights: the exact finite-width moments. The pooled ratio over the
    // seeds estimates E[m₂]/E[m₁²] - 1, which theory gives at n = 64; within five
    // jackknife standard errors.
    let relu = &studies[2];
    let (_, m11, m2) =
        theory::relu_jacobian_moments(relu.network.width, relu.network.depth).unwrap();
    let exact = m2 / m11 - 1.0;
    let k = relu.network.depth - 1;
    let pooled = relu.pooled_relative_variance()[k];
    let jack: Vec<f64> = (0..SEEDS.len())
        .map(|i| {
            let others = relu.moments.iter().enumerate().filter(|(j, _)| *j != i);
            let (a, b): (Vec<f64>, Vec<f64>) =
                others.map(|(_, m)| (m[k].1, m[k].0 * m[k].0)).unzip();
            book::mean(a) / book::mean(b) - 1.0
        })
        .collect();
    let jm = book::mean(jack.iter().copied());
    let s = SEEDS.len() as f64;
    let jse = ((s - 1.0) / s * jack.iter().map(|x| (x - jm) * (x - jm)).sum::<f64>()).sqrt();
    assert!(
        (pooled - exact).abs() < 5.0 * jse,
        "{pooled} ± {jse} vs {exact}"
    );
    assert!(exact > pred(2) && last(2) < pred(2));
    c.add("relu_exact", format!("{exact:.1}"))
        .add("relu_pooled", format!("{pooled:.1}"));
    assert!((pred(2) - 2.0 * nets[2].depth as f64).abs() < 1e-9);
    assert!((pred(3) - nets[3].depth as f64).abs() < 1e-9);

    // ---- Training speed ------------------------------------------------------------------
    let sp = Speed::chapter();
    let study = SpeedStudy::run(sp, &SEEDS).unwrap();
    c.add("speed_depth", sp.depth)
        .add("speed_width", sp.width)
        .add("speed_batch", sp.batch)
        .add("speed_q_in", sp.q_in)
        .add("speed_steps", sp.steps)
        .add("speed_seeds", SEEDS.len())
        .add("speed_sweep_seeds", SWEEP_SEEDS.len())
        .add("speed_rate_gauss", study.best[0])
        .add("speed_rate_orth", study.best[1]);
    // Each best rate lies inside the grid, not at one of its ends.
    for b in study.best {
        assert!(b > RATES[0] && b < RATES[RATES.len() - 1], "best rate {b}");
    }
    // From 0.2 on, some Gaussian sweep runs end above their start; below, none; no
    // orthogonal run does at any rate of the sweep.
    let unstable = 0.2;
    c.add("speed_gauss_unstable", unstable);
    for (r, &rate) in RATES.iter().enumerate() {
        assert_eq!(study.grew[0][r] > 0, rate >= unstable, "rate {rate}");
        assert_eq!(study.grew[1][r], 0, "rate {rate}");
    }
    // "For most runs at the largest rate".
    assert!(2 * study.grew[0][RATES.len() - 1] > SWEEP_SEEDS.len());
    // The Gaussian optimum sits at the edge of stability: the next rate up is the first
    // unstable one, and its median is within a tenth in ln(loss) of the stable best's.
    let k = RATES.iter().position(|&r| r == study.best[0]).unwrap();
    assert_eq!(RATES[k + 1], unstable);
    assert!((study.sweep[0][k + 1] - study.sweep[0][k]).abs() < 0.1);
    c.add("speed_gauss_edge_grew", study.grew[0][k + 1]);
    // The Gaussian networks are measured at the orthogonal rate too.
    assert!(study.best[0] != study.best[1]);
    assert!(study.tied.iter().zip(&study.losses[0]).all(|(a, b)| a != b));
    let (within, threshold) = (30, 0.1);
    c.add("speed_orth_steps", within)
        .add("speed_threshold", threshold);
    for s in 0..SEEDS.len() {
        assert!(
            study.steps_to(1, s, threshold).is_some_and(|t| t <= within),
            "seed {s}"
        );
        assert!(study.steps_to(0, s, threshold).is_none(), "seed {s}");
        assert!(study.tied[s].iter().all(|&l| l > threshold), "seed {s}");
    }
    // Every Gaussian run (at both rates) ends above the floor, every orthogonal run below
    // the ceiling: so every pair differs by more than floor / ceiling.
    let (floor, ceiling) = (0.25, 0.05);
    c.add("speed_gauss_floor", floor)
        .add("speed_orth_ceiling", ceiling)
        .add("speed_pair_factor", format!("{:.0}", floor / ceiling));
    assert!(study.losses[0].iter().all(|l| l[sp.steps] > floor));
    assert!(study.tied.iter().all(|l| l[sp.steps] > floor));
    assert!(study.losses[1].iter().all(|l| l[sp.steps] < ceiling));
    // The ratio of the medians (which a few blown-up runs do not move).
    let (mg, mt, mo) = (
        study.median(0)[sp.steps],
        study.median_tied()[sp.steps],
        study.median(1)[sp.steps],
    );
    assert!(mg / mo > floor / ceiling && mt / mo > floor / ceiling);
    c.add("speed_median_ratio", format!("{:.0}", mg / mo))
        .add("speed_median_ratio_tied", format!("{:.0}", mt / mo));
    // Runs of the chapter's seeds that end above their start (facts about these seeds).
    let blowups = |runs: &[Vec<f64>]| runs.iter().filter(|l| l[sp.steps] > l[0]).count();
    c.add("speed_blowup_best", blowups(&study.losses[0]))
        .add("speed_blowup_tied", blowups(&study.tied));
    let early = 10;
    c.add("speed_early_steps", early);
    assert!(study.paired_log_ratio(early).iter().all(|&x| x > 0.0));
    assert!(study.median(1)[0] > study.median(0)[0]);
    assert!(
        Speed { depth: 0, ..sp }
            .train(Weights::Gaussian, 0.1, 0)
            .is_err()
    );
    assert!(sp.train(Weights::Gaussian, f64::NAN, 0).is_err());
    assert!(sp.train(Weights::Gaussian, -1.0, 0).is_err());
    assert!(SpeedStudy::run(sp, &[]).is_err());

    // ---- Exercises -----------------------------------------------------------------------
    assert!(haar_entry_ks(2, draws, 7).unwrap() < critical);
    for l in [1usize, 5, 16] {
        for q in [0.1, 1.0, 7.0] {
            let (_, r) =
                theory::jacobian_spectrum(Activation::Relu, 2.0, &vec![q; l], true).unwrap();
            assert!((r - l as f64).abs() < 1e-9);
        }
    }
    let q = 0.01;
    let (_, r) = theory::jacobian_spectrum(Activation::Tanh, 1.0, &[q; 16], true).unwrap();
    // Against an independent quadrature (Simpson's rule on [-12, 12] in z), to 1e-9.
    let (m1, m2) = (sech_moment(q, 4), sech_moment(q, 8));
    let per_layer = m2 / (m1 * m1) - 1.0;
    assert!(
        (r - 16.0 * per_layer).abs() < 1e-9 * r,
        "{r} vs {}",
        16.0 * per_layer
    );
    // Against the series 8q² - 80q³ + (2432/3)q⁴ - ... per layer: its terms alternate and
    // shrink (by about 10q each), so the remainder after the q³ term lies between zero
    // and the q⁴ term.
    let rest = r / 16.0 - (8.0 * q * q - 80.0 * q * q * q);
    assert!(
        rest > 0.0 && rest < 2432.0 / 3.0 * initnet::math::powi(q, 4),
        "{rest}"
    );
    c.add("exercise_tanh_spread", format!("{r:.4}"));

    claims::check(CHAPTER.markdown, &c).unwrap();
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures orthogonal` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&orthogonal::CHAPTER);
}

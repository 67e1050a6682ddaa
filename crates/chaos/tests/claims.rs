//! Every number the chapter states, recomputed, with the tolerances that make each robust.

use chaos::propagation::{
    C0, CORRELATION_DEPTH, CORRELATION_WIDTH, PhaseStudy, SIGMA_B2, correlation_studies,
};
use chaos::trainability::Grid;
use theory::Criticality;

/// Bounds are rounded up, never down: x to `digits` decimals, towards +infinity.
fn up(x: f64, digits: i32) -> String {
    let f = initnet::math::powi(10.0, digits);
    format!("{:.*}", digits as usize, (x * f).ceil() / f)
}

#[test]
fn the_chapter_states_what_the_experiments_give() {
    let mut c = claims::Claims::new();
    let seeds = chaos::SEEDS;
    c.add("seeds", seeds.len()).add("sigma_b2", SIGMA_B2);

    // ---- The maps ----------------------------------------------------------------------
    let critical = theory::tanh_critical_sigma_w2(SIGMA_B2).unwrap();
    c.add("critical", format!("{critical:.3}"))
        .add("critical_2", format!("{critical:.2}"));
    let k = Criticality::tanh(critical, SIGMA_B2).unwrap();
    assert!((k.chi1 - 1.0).abs() < 1e-9);
    assert!(k.xi_c.is_none_or(|x| x > 1e3));
    // xi_q stays within two layers in all three networks.
    for w in chaos::propagation::correlation_sigma_w2().unwrap() {
        let k = Criticality::tanh(w, SIGMA_B2).unwrap();
        assert!(k.xi_q.unwrap() <= 2.0, "{k:?}");
    }

    // ---- Two inputs through many layers ---------------------------------------------------
    c.add("corr_width", CORRELATION_WIDTH)
        .add("corr_depth", CORRELATION_DEPTH)
        .add("c0", C0);
    let studies = correlation_studies(&seeds).unwrap();
    let chaotic = &studies[2];
    c.add(
        "c_star_chaotic",
        format!("{:.3}", chaotic.criticality.c_star.unwrap()),
    );
    let crit = &studies[1];
    let last = CORRELATION_DEPTH - 1;
    c.add("critical_last", format!("{:.2}", crit.mean_c()[last]))
        .add("critical_last_pred", format!("{:.2}", crit.predicted[last]));
    // Every layer's gap below five standard errors of the mean over seeds plus 2/n.
    let n = CORRELATION_WIDTH as f64;
    let mut worst: f64 = 0.0;
    for s in &studies {
        let mean = s.mean_c();
        for (l, m) in mean.iter().enumerate() {
            let values: Vec<f64> = s.runs.iter().map(|r| r.c[l]).collect();
            let se = book::sample_sd(&values) / (values.len() as f64).sqrt();
            let gap = (m - s.predicted[l]).abs();
            assert!(
                gap < 5.0 * se + 2.0 / n,
                "σ_w² {} layer {l}: {gap} vs se {se}",
                s.stack.sigma_w2
            );
        }
        worst = worst.max(s.worst_gap());
    }
    c.add("corr_gap", up(worst, 2));

    // ---- Depth scales -------------------------------------------------------------------------
    let low = Criticality::tanh(0.5, SIGMA_B2).unwrap();
    let high = Criticality::tanh(6.0, SIGMA_B2).unwrap();
    c.add("xi_low_w", 0.5)
        .add("xi_low", format!("{:.2}", low.xi_c.unwrap()))
        .add("xi_high_w", 6)
        .add("xi_high", format!("{:.2}", high.xi_c.unwrap()));
    c.add("depth_top", chaos::figures::DEPTH_SCALE_TOP);
    let scales = chaos::figures::chapter_depth_scales().unwrap();
    // The chart's ξ_c reaches its top on both sides of the critical point.
    let near_top = |side: f64| {
        scales.iter().any(|p| {
            (p.sigma_w2 - critical) * side > 0.0
                && p.xi_c.is_some_and(|x| {
                    (0.3 * chaos::figures::DEPTH_SCALE_TOP..=chaos::figures::DEPTH_SCALE_TOP)
                        .contains(&x)
                })
        })
    };
    assert!(near_top(-1.0) && near_top(1.0));
    assert!(scales.iter().all(|p| p.xi_q.is_some_and(|x| x < 2.0)));
    assert!(scales.iter().any(|p| p.sigma_w2 == 0.5) && scales.iter().any(|p| p.sigma_w2 == 6.0));

    // ---- Phase diagram ------------------------------------------------------------------------
    let phase = PhaseStudy::chapter(&seeds).unwrap();
    c.add("phase_b_count", phase.sigma_b2.len())
        .add("phase_width", phase.width)
        .add("phase_depth", phase.depth);
    let mut worst_rel: f64 = 0.0;
    // Relative errors: of the grid's interpolation of the exact ln χ₁ (signed), and of
    // the measured crossing against that interpolation (|.|), per bias.
    let (mut interp, mut gap) = (Vec::new(), Vec::new());
    let bound = 0.05;
    for b in 0..phase.sigma_b2.len() {
        let measured = phase.measured_critical(b).expect("every bias crosses");
        let theory = theory::tanh_critical_sigma_w2(phase.sigma_b2[b]).unwrap();
        let interpolated = phase.interpolated_critical(b).unwrap().unwrap();
        let rel = (measured / theory - 1.0).abs();
        // An observed bound (the chapter says so): the grid's interpolation, up to 1.6%,
        // and a finite-width gap that shrinks with width but is not derived.
        assert!(
            rel < bound,
            "σ_b² {}: {measured} vs {theory}",
            phase.sigma_b2[b]
        );
        worst_rel = worst_rel.max(rel);
        interp.push(interpolated / theory - 1.0);
        gap.push((measured / interpolated - 1.0).abs());
    }
    assert_eq!(phase.sigma_b2, vec![0.05, 0.2, 0.5, 1.0]);
    // The interpolation overshoots at every bias.
    assert!(interp.iter().all(|&e| e > 0.0), "{interp:?}");
    c.add("phase_rel", format!("{}%", up(100.0 * worst_rel, 0)))
        .add("phase_bound", format!("{:.0}%", 100.0 * bound))
        .add(
            "phase_interp",
            format!(
                "{}%",
                up(100.0 * interp.iter().fold(0.0, |a: f64, &b| a.max(b)), 1)
            ),
        )
        .add(
            "phase_small_gap",
            format!("{}%", up(100.0 * gap[0].max(gap[1]), 1)),
        );
    let gap_100 = gap[2].max(gap[3]);
    c.add("phase_gap_100", format!("{}%", up(100.0 * gap_100, 1)));
    // The two largest biases at twice the width, on the grid points around the crossing.
    let wide = PhaseStudy::run(
        &phase.sigma_w2[4..8],
        &phase.sigma_b2[2..],
        2 * phase.width,
        phase.depth,
        &seeds,
    )
    .unwrap();
    let mut gap_200: f64 = 0.0;
    for b in 0..wide.sigma_b2.len() {
        let m = wide
            .measured_critical(b)
            .expect("crosses inside the narrower grid");
        let i = wide.interpolated_critical(b).unwrap().unwrap();
        gap_200 = gap_200.max((m / i - 1.0).abs());
    }
    assert!(gap_200 < gap_100, "{gap_200} vs {gap_100}");
    c.add("phase_wide", wide.width)
        .add("phase_gap_200", format!("{}%", up(100.0 * gap_200, 1)));

    // ---- Trainability -------------------------------------------------------------------------
    let grid = Grid::chapter(&seeds).unwrap();
    let task = grid.task;
    let images = task.per_class * 10;
    assert_eq!(images % task.batch, 0);
    let per_epoch = images / task.batch;
    c.add("train_images", images)
        .add("steps_per_epoch", per_epoch)
        .add("steps", per_epoch * task.epochs);
    c.add("per_class", task.per_class)
        .add("train_width", task.width)
        .add("epochs", task.epochs)
        .add("batch", task.batch)
        .add("threshold", format!("{:.0}%", 100.0 * task.threshold));
    assert_eq!(grid.depths, vec![4, 10, 20]);
    assert_eq!(grid.sigma_w2[0], 0.5);
    assert_eq!(grid.sigma_w2[1], 1.0);
    assert_eq!(grid.sigma_w2[2], critical);
    assert_eq!(grid.sigma_w2[3], 3.0);
    c.add("depth_shallow", grid.depths[0])
        .add("depth_mid", grid.depths[1])
        .add("depth_deep", grid.depths[2]);
    c.add("six_xi_low", format!("{:.1}", 6.0 * low.xi_c.unwrap()));
    let fraction = grid.trained_fraction();
    let count = |d: usize, w: usize| {
        grid.accuracy[d][w]
            .iter()
            .filter(|&&a| a >= task.threshold)
            .count()
    };
    // The ordered side: depth 4 trains on at least half the seeds, depth 10 on none.
    assert!(fraction[0][0] >= 0.5);
    assert_eq!(count(1, 0), 0);
    // The critical point has the best mean accuracy at depth 20.
    let acc = grid.mean_accuracy();
    let row = &acc[2];
    assert!(row.iter().all(|&a| a <= row[2]), "{row:?}");
    c.add("acc_deep_critical", format!("{:.2}", row[2]));
    // σ_w² = 1: 6 ξ_c lies just beyond depth 20, and few seeds train there.
    let one = Criticality::tanh(1.0, SIGMA_B2).unwrap();
    let six_one = 6.0 * one.xi_c.unwrap();
    assert!(six_one > grid.depths[2] as f64);
    c.add("six_xi_one", format!("{six_one:.1}"))
        .add("one_deep_trained", count(2, 1));
    let chaotic3 = Criticality::tanh(3.0, SIGMA_B2).unwrap();
    c.add("chaotic_w", 3)
        .add(
            "six_xi_chaotic",
            format!("{:.0}", 6.0 * chaotic3.xi_c.unwrap()),
        )
        .add("critical_deep_trained", count(2, 2));
    // "None of the seeds trains at depth 20" at σ_w² = 3 (a fact about these seeds).
    assert_eq!(count(2, 3), 0);
    assert!(6.0 * chaotic3.xi_c.unwrap() > 20.0);

    // ---- Exercises ----------------------------------------------------------------------------
    let w = theory::tanh_critical_sigma_w2(0.2).unwrap();
    let k = Criticality::tanh(w, 0.2).unwrap();
    assert!((k.chi1 - 1.0).abs() < 1e-9);
    c.add("ex1_w", format!("{w:.3}"))
        .add("ex1_q", format!("{:.3}", k.q_star))
        .add("ex1_chi", format!("{:.3}", k.chi1));
    let b = phase.sigma_b2.iter().position(|&b| b == 0.2).unwrap();
    c.add(
        "ex1_measured",
        format!("{:.2}", phase.measured_critical(b).unwrap()),
    );
    // Exercise 2: He is ReLU's critical point, both depth scales diverge.
    for q in [0.1, 1.0, 10.0] {
        let chi = theory::chi(initnet::Activation::Relu, 2.0, q).unwrap();
        let slope = theory::q_map_slope(initnet::Activation::Relu, 2.0, q).unwrap();
        assert!((chi - 1.0).abs() < 1e-12 && (slope - 1.0).abs() < 1e-12);
    }
    let keep = theory::kept_fraction(initnet::Activation::Relu).unwrap();
    assert_eq!(keep, 0.5);
    assert_eq!(theory::depth_scale(2.0 * keep).unwrap(), None);

    if std::env::var_os("CHAOS_PRINT_CLAIMS").is_some() {
        eprintln!("{c:#?}");
    }
    if let Err(e) = claims::check(chaos::CHAPTER.markdown, &c) {
        panic!("{e}");
    }
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures chaos` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&chaos::CHAPTER);
}

//! Every number the chapter states, computed by the chapter's experiments.
//!
//! All runs are deterministic (explicit seeds, ChaCha8), so each claim is the exact
//! formatted value over the seeds the text names. Where the text compares a measurement
//! with a closed form, the test also asserts that they agree within a tolerance derived
//! in a comment.

use zero::initnet::Activation;
use zero::*;

/// A rounding-level measurement stated as the power of ten it does not exceed, so that
/// the text says what is robust (its order) rather than the last bits of one platform's
/// summation order.
fn at_most(x: f64) -> String {
    assert!(x > 0.0 && x.is_finite(), "{x}");
    format!("1e{}", initnet::math::log10(x).ceil() as i32)
}

fn max(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn every_number_in_the_chapter_is_computed() {
    let mut c = claims::Claims::new();
    let n_seeds = SEEDS.len();
    assert!(n_seeds >= 20);

    // The setup.
    let data = blobs(SAMPLES, 0).unwrap();
    let counts = data.class_counts();
    assert!(counts.iter().all(|&k| k == counts[0]));
    c.add("samples", SAMPLES)
        .add("per_class", counts[0])
        .add("lr", LR)
        .add("seeds", n_seeds);

    // Zero init, balanced data: the loss ln 4, the tie broken to class 0.
    let ln4 = initnet::math::ln(CLASSES as f64);
    c.add("ln4", format!("{ln4:.4}"));
    let table = zero_table(SAMPLES, &SEEDS, LR, ZERO_EPOCHS).unwrap();
    let pi0 = frequencies(&data)[0];
    for o in &table {
        assert!(o.identical_in_every_run, "{}", o.activation);
        assert!(
            o.initial_accuracy.iter().all(|&a| a == pi0),
            "{}",
            o.activation
        );
        // The mean of n copies of ln 4 carries at most n rounding errors of ln 4 * 2^-53:
        // 400 * 1.4 * 1.1e-16 < 1e-13.
        assert!(
            o.initial_loss.iter().all(|&l| (l - ln4).abs() < 1e-13),
            "{} {:?}",
            o.activation,
            o.initial_loss
        );
    }
    c.add("acc_start", format!("{pi0:.2}"));

    // The first gradient: rounding residue on balanced data, 1/4 - π on 402 samples.
    let esc = escape(Activation::Sigmoid, SAMPLES, &SEEDS, LR, ESCAPE_EPOCHS).unwrap();
    assert!(
        esc.first_gradient.iter().all(|&g| g > 0.0),
        "some residue is exactly zero"
    );
    c.add(
        "first_gradient_max",
        at_most(max(esc.first_gradient.iter().copied())),
    );
    c.add("nearly", NEARLY_BALANCED);
    let nearly = blobs(NEARLY_BALANCED, 0).unwrap().class_counts();
    for (k, count) in nearly.iter().enumerate() {
        c.add(&format!("count_{k}"), count);
    }
    let mut db2 = 0.0f64;
    for seed in SEEDS {
        let d = blobs(NEARLY_BALANCED, seed).unwrap();
        assert_eq!(d.class_counts(), nearly);
        for act in ACTIVATIONS {
            let (_, g) = first_pass(&network(act, ZERO, seed).unwrap(), &d).unwrap();
            // The closed form 1/4 - π_k = ∓1/804, up to the rounding of a sum of 402 terms
            // each below 1/402 in size: 402 * 2^-53 / 402 * a few ≈ 1e-16, so 1e-15 is safe.
            for (k, gk) in g.db[1].iter().enumerate() {
                let exact = 0.25 - nearly[k] as f64 / NEARLY_BALANCED as f64;
                assert!(
                    (gk - exact).abs() < 1e-15,
                    "{act} seed {seed}: {gk} vs {exact}"
                );
            }
            db2 = db2.max(max(g.db[1].iter().map(|g| g.abs())));
        }
    }
    c.add("db2_402", format!("{db2:.6}"));

    // Training from zero on balanced data.
    c.add("zero_epochs", ZERO_EPOCHS);
    let (sig, tanh, relu) = (&table[0], &table[1], &table[2]);
    assert_eq!(
        (sig.activation, tanh.activation, relu.activation),
        (Activation::Sigmoid, Activation::Tanh, Activation::Relu)
    );
    let silent = [tanh, relu];
    let hidden_moved = max(silent
        .iter()
        .flat_map(|o| [o.moved_max.w1, o.moved_max.b1, o.moved_max.w2]));
    c.add("tanh_w_moved", hidden_moved);
    c.add(
        "tanh_b2_moved",
        at_most(max(silent.iter().map(|o| o.moved_max.b2))),
    );
    c.add(
        "tanh_loss_change",
        at_most(max(silent.iter().map(|o| o.max_loss_change))),
    );
    let accs: Vec<f64> = silent
        .iter()
        .flat_map(|o| o.final_accuracy.iter().copied())
        .collect();
    assert!(accs.iter().all(|&a| a == accs[0]));
    c.add("tanh_acc", format!("{:.2}", accs[0]));
    let class0 = tanh
        .ends
        .iter()
        .filter(|net| predict_classes(net, &[0.0, 0.0]).unwrap()[0] == 0)
        .count();
    c.add("class0_seeds", class0);
    assert!(sig.moved_min.w1 > 0.0);
    c.add("sig_w1_min", format!("{:.0e}", sig.moved_min.w1));
    c.add("sig_w1_max", format!("{:.0e}", sig.moved_max.w1));

    // The sigmoid escape.
    c.add("escape_epochs", ESCAPE_EPOCHS)
        .add("escape_drop", ESCAPE_DROP);
    assert!(esc.identical_in_every_run);
    let steps: Vec<usize> = esc
        .escape_epoch
        .iter()
        .map(|e| e.expect("every seed escapes"))
        .collect();
    // The rate of the escape, from the mathematics: the linearized step at zero
    // (`saddle_growth`) predicts each seed's per-step growth factor from its class means.
    // The measured factor is a ratio of distances 1e-12 and 1e-4 from zero, where the
    // rounding residue (below 1e-16) adds at most 1e-4 relative and the quadratic terms
    // at most about 1e-4 relative (distance 1e-4 squared over distance): 1e-4 in all.
    assert_eq!(esc.growth.len(), n_seeds);
    for (s, (g, p)) in esc.growth.iter().zip(&esc.predicted_growth).enumerate() {
        let g = g.expect("the distance from zero passes through the window");
        assert!((g / p - 1.0).abs() < 1e-4, "seed {s}: {g} vs {p}");
    }
    c.add("growth_tolerance", "0.01");
    let lowest = esc
        .predicted_growth
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let highest = max(esc.predicted_growth.iter().copied());
    c.add("growth_min", format!("{lowest:.3}"))
        .add("growth_max", format!("{highest:.3}"));
    // At factor μ a residue of 1e-17 reaches order one after ln(1e17) / ln μ steps.
    let steps_to_one = |mu: f64| initnet::math::ln(1e17) / initnet::math::ln(mu);
    // A range, so rounded outward.
    c.add("escape_scale_min", steps_to_one(highest).floor())
        .add("escape_scale_max", steps_to_one(lowest).ceil());
    // What holds whatever the arithmetic: a residue is at most a few times 1e-16 (the
    // first one, claimed above, is below 1e-16), so no seed can reach order one before
    // μ^t >= 1e15.
    for (s, (&t, &mu)) in steps.iter().zip(&esc.predicted_growth).enumerate() {
        assert!(
            t as f64 * initnet::math::ln(mu) >= initnet::math::ln(1e15),
            "seed {s} escaped at step {t}, earlier than a residue of 1e-15 could grow"
        );
    }
    c.add("escape_first", steps.iter().min().unwrap());
    c.add("escape_last", steps.iter().max().unwrap());
    let acc = Spread::of(&esc.final_accuracy);
    c.add("escape_acc_mean", format!("{:.3}", acc.mean))
        .add("escape_acc_std", format!("{:.3}", acc.std));

    // Nearly balanced classes: the closed-form limit.
    let near = zero_table(NEARLY_BALANCED, &SEEDS, LR, ZERO_EPOCHS).unwrap();
    let b2 = |o: &Outcome| {
        o.ends
            .iter()
            .map(|net| net.layer(2).b.to_vec())
            .collect::<Vec<_>>()
    };
    assert_eq!(b2(&near[2]), b2(&near[1]), "ReLU and tanh runs differ");
    assert_eq!(near[2].final_loss, near[1].final_loss);
    let l = limit(&near[1], NEARLY_BALANCED, ZERO_EPOCHS).unwrap();
    c.add("entropy", format!("{:.6}", l.entropy))
        .add("ln4_long", format!("{ln4:.6}"));
    c.add("entropy_gap", format!("{:.2e}", ln4 - l.entropy));
    c.add(
        "b2_target",
        format!("{:.6}", max(l.b2_target.iter().map(|b| b.abs()))),
    );
    // The loss at the limit is H(π) up to the rounding of a mean of 402 terms near ln 4,
    // each carrying an error of about ln 4 * 2^-53: at worst 402 * 1.4 * 1.1e-16 ≈ 6e-14.
    assert!(l.loss_error < 1e-13, "{}", l.loss_error);
    c.add("loss_error", at_most(l.loss_error));
    c.add("b2_distance", format!("{:.1e}", l.b2_distance));
    c.add("b2_predicted", format!("{:.1e}", l.b2_distance_predicted));
    // The prediction uses the curvature 1/4 at the start. At the target the Hessian is
    // diag(π) - ππᵀ, whose eigenvalues on the sum-zero subspace differ from 1/4 by at
    // most about 2 max_k |π_k - 1/4| = 2/804. Over T = 200 steps of size η that changes
    // the contraction (1 - η λ)^T by a factor exp(± T η 2/804 / (1 - η/4)) ≈ exp(±0.29),
    // so measured / predicted must lie in [0.74, 1.34].
    let ratio = l.b2_distance / l.b2_distance_predicted;
    assert!(
        (0.74..=1.34).contains(&ratio),
        "measured / predicted = {ratio}"
    );
    c.add(
        "max_pi",
        format!("{:.4}", max(l.frequencies.iter().copied())),
    );
    assert!(
        l.accuracy_error == 0.0,
        "accuracy is not max π on every seed"
    );
    assert!(near[0].identical_in_every_run && near[0].moved_min.w1 > 0.0);
    c.add("sig_nearly_acc", format!("{:.3}", near[0].accuracy().mean));

    // Constant start.
    c.add("epochs", EPOCHS);
    let constant = outcome(
        Activation::Tanh,
        "constant",
        CONSTANT,
        SAMPLES,
        &SEEDS,
        LR,
        EPOCHS,
    )
    .unwrap();
    assert!(constant.identical_in_every_run);
    let (loss, acc) = (constant.loss(), constant.accuracy());
    c.add("const_loss_mean", format!("{:.3}", loss.mean))
        .add("const_loss_std", format!("{:.3}", loss.std));
    c.add("const_acc_mean", format!("{:.3}", acc.mean))
        .add("const_acc_std", format!("{:.3}", acc.std));
    c.add("const_acc_min", format!("{:.3}", acc.min));
    let s = strips(&constant, SAMPLES, DIRECTIONS).unwrap();
    let gaps: Vec<f64> = s
        .along_u
        .iter()
        .zip(&constant.final_accuracy)
        .map(|(u, t)| u - t)
        .collect();
    // A theorem, not a statistic: a network of identical monotone units is a strip classifier.
    assert!(gaps.iter().all(|&g| g >= 0.0), "{gaps:?}");
    c.add("strip_gap_mean", format!("{:.3}", Spread::of(&gaps).mean));
    c.add("directions", DIRECTIONS);
    c.add(
        "best_strip_mean",
        format!("{:.3}", Spread::of(&s.best).mean),
    );

    // Random start.
    let random = outcome(
        Activation::Tanh,
        "random",
        RANDOM,
        SAMPLES,
        &SEEDS,
        LR,
        EPOCHS,
    )
    .unwrap();
    assert!(random.different_in_every_run);
    let (loss, acc) = (random.loss(), random.accuracy());
    c.add("random_loss_mean", format!("{:.3}", loss.mean))
        .add("random_loss_std", format!("{:.3}", loss.std));
    c.add("random_acc_mean", format!("{:.3}", acc.mean))
        .add("random_acc_std", format!("{:.3}", acc.std));
    c.add("random_acc_min", format!("{:.3}", acc.min))
        .add("random_acc_max", format!("{:.3}", acc.max));
    let gains: Vec<f64> = random
        .final_accuracy
        .iter()
        .zip(&constant.final_accuracy)
        .map(|(r, k)| r - k)
        .collect();
    c.add("random_wins", gains.iter().filter(|&&g| g > 0.0).count());
    c.add("random_gain", format!("{:.3}", Spread::of(&gains).mean));

    // "Seeing it": the charted runs of seed 0 say what the text says about them.
    let seed0 = zero::figures::runs(&zero::figures::Settings::default()).unwrap();
    let final_loss = |name: &str| {
        seed0
            .runs
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .history
            .last()
            .loss
    };
    let zero_run = &seed0.runs.iter().find(|(n, _)| *n == "zero").unwrap().1;
    assert_eq!(zero_run.history.records.len(), EPOCHS + 1);
    // On ln 4 up to the rounding bound of a mean of 400 terms (see above).
    assert!(
        zero_run
            .history
            .losses()
            .iter()
            .all(|l| (l - ln4).abs() < 1e-13)
    );
    assert!(final_loss("constant") > final_loss("random"));

    if let Err(problems) = claims::check(CHAPTER.markdown, &c) {
        panic!("the chapter and its experiments disagree:\n{problems}");
    }
}

#[test]
fn no_bare_numbers_in_the_prose() {
    assert_eq!(claims::bare_numbers(CHAPTER.markdown), vec![]);
}

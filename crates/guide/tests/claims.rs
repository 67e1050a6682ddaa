//! Every number the chapter states, recomputed; and the statements about them, checked.

use claims::Claims;
use guide::compare::{Summary, TEST_FRACTION, Task};
use guide::figures::{STACK, comparison, propagation, signal_chart};
use guide::initnet::{Activation, train_test_split};
use guide::render::{self, Rendered};
use guide::signal::Propagation;
use guide::table::{EXAMPLE_LAYER, framework_table, recommendation_table};
use guide::{CHAPTER, SEEDS};

/// The cells of a generated table that the prose quotes as claims. The tables themselves
/// are generated blocks of the chapter (`cargo xtask figures` writes them, the workspace
/// test checks them), so their numbers need no claim; a cell the prose repeats does.
fn quote(claims: &mut Claims, t: &Rendered, keys: &[&str]) {
    for key in keys {
        let value = t
            .get(key)
            .unwrap_or_else(|| panic!("the table has no cell {key}"));
        claims.add(key, value);
    }
}

/// |mean - predicted| within 4 standard errors of the mean over the seeds (the standard
/// error estimated from their spread). The measured factor is a smooth function of sample
/// variances over 128 x 128 values per layer, so its bias is of order the square of its
/// relative spread (below 1e-3 here), far inside this band. With the spread estimated from
/// 20 seeds the statistic follows Student's t with 19 degrees of freedom, so a correct
/// prediction fails the check with probability below 1e-3.
fn agrees(p: &Propagation) -> bool {
    (p.factor.0 - p.predicted_factor).abs() < 4.0 * p.factor_standard_error()
}

fn by<'a>(runs: &'a [(&'static str, Propagation)], name: &str) -> &'a Propagation {
    &runs
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no stack {name}"))
        .1
}

fn measured(p: &Propagation) -> String {
    format!("{:.3} ± {:.3}", p.factor.0, p.factor.1)
}

/// The fraction of the training set (of `seed`'s split) in its most frequent class: what a
/// network that predicts one class for everything scores, at best.
fn majority(task: Task, seed: u64) -> f64 {
    let data = task.data(seed).unwrap();
    let (train, _) = train_test_split(&data, TEST_FRACTION, seed).unwrap();
    *train.class_counts().iter().max().unwrap() as f64 / train.len() as f64
}

fn summary<'a>(tasks: &'a [Vec<Summary>], task: Task, key: &str) -> &'a Summary {
    tasks
        .iter()
        .flatten()
        .find(|s| s.task == task && s.candidate.key() == key)
        .unwrap()
}

/// How many runs of `key` on `task` end exactly at the majority-class accuracy.
fn at_majority(tasks: &[Vec<Summary>], task: Task, key: &str) -> usize {
    let s = summary(tasks, task, key);
    s.runs
        .iter()
        .zip(SEEDS)
        .filter(|(r, seed)| r.train_accuracy == majority(task, *seed))
        .count()
}

/// Mean difference of test accuracy a - b over its standard error.
fn z_test(a: &Summary, b: &Summary) -> f64 {
    (a.test_accuracy.0 - b.test_accuracy.0)
        / (initnet::math::powi(a.test_standard_error(), 2)
            + initnet::math::powi(b.test_standard_error(), 2))
        .sqrt()
}

fn z_train(a: &Summary, b: &Summary) -> f64 {
    let se = |s: &Summary| s.train_accuracy.1 / ((s.runs.len() - s.diverged) as f64).sqrt();
    (a.train_accuracy.0 - b.train_accuracy.0)
        / (initnet::math::powi(se(a), 2) + initnet::math::powi(se(b), 2)).sqrt()
}

#[test]
fn the_chapter_states_what_the_code_computes() {
    let mut c = Claims::new();
    let seeds = SEEDS;
    c.add("seeds", seeds.len());

    // The recommendation table, and the gains behind it.
    let (n_in, n_out) = EXAMPLE_LAYER;
    c.add("n-in", n_in).add("n-out", n_out);
    quote(
        &mut c,
        &render::recommendation_table(&recommendation_table(n_in, n_out).unwrap()),
        &["rec.identity.var", "rec.tanh.var"],
    );

    // The frameworks.
    let fw = framework_table(STACK.0).unwrap();
    quote(
        &mut c,
        &render::framework_table(&fw),
        &["fw.pytorch.tanh-shrink"],
    );
    assert!(
        (fw[0].relu_shrink - 6f64.sqrt()).abs() < 1e-12,
        "PyTorch loses sqrt(6) per ReLU layer"
    );

    // Signal propagation, ReLU.
    let (width, depth, batch) = STACK;
    c.add("stack.width", width)
        .add("stack.depth", depth)
        .add("stack.batch", batch);
    let relu = propagation(Activation::Relu, &seeds).unwrap();
    for (key, name) in [
        ("he", "He"),
        ("keras", "Keras"),
        ("pytorch", "PyTorch weights, zero bias"),
    ] {
        let p = by(&relu, name);
        assert!(
            agrees(p),
            "{name}: measured {:?}, predicted {}",
            p.factor,
            p.predicted_factor
        );
        c.add(
            &format!("relu.{key}.predicted"),
            format!("{:.3}", p.predicted_factor),
        );
        c.add(&format!("relu.{key}.measured"), measured(p));
    }
    let pytorch = by(&relu, "PyTorch weights, zero bias");
    c.add("relu.pytorch.first", format!("{:.2}", pytorch.mean_std[0]));
    c.add(
        "relu.pytorch.last",
        format!("{:.1e}", pytorch.mean_std[depth - 1]),
    );
    // The bias floor: the fixed point of q <- q/6 + 1/(3n) is 2/(5n).
    let floor = (2.0 / (5.0 * width as f64)).sqrt();
    let biased = by(&relu, "PyTorch weights and bias");
    let last = (biased.mean_std[depth - 1], biased.sd_std[depth - 1]);
    assert!(
        (biased.predicted_std[depth - 1] / floor - 1.0).abs() < 0.01,
        "layer {depth} is at the floor"
    );
    // The measured last-layer std agrees with the floor within 4 standard errors over seeds.
    assert!(
        (last.0 - floor).abs() < 4.0 * last.1 / (seeds.len() as f64).sqrt(),
        "{last:?} vs {floor}"
    );
    c.add("relu.floor.predicted", format!("{floor:.4}"));
    c.add(
        "relu.floor.measured",
        format!("{:.4} ± {:.4}", last.0, last.1),
    );

    // Signal propagation, tanh.
    let tanh = propagation(Activation::Tanh, &seeds).unwrap();
    let p = by(&tanh, "PyTorch weights, zero bias");
    assert!(
        agrees(p),
        "tanh PyTorch: {:?} vs {}",
        p.factor,
        p.predicted_factor
    );
    assert!(
        p.predicted_factor > fw[0].tanh_shrink,
        "the first layers shrink more than the linear range"
    );
    c.add(
        "tanh.pytorch.predicted",
        format!("{:.3}", p.predicted_factor),
    );
    c.add("tanh.pytorch.measured", measured(p));
    let xavier = by(&tanh, "Xavier");
    assert!(
        xavier.mean_std.windows(2).all(|w| w[1] < w[0]),
        "Xavier's tanh signal drifts down"
    );
    // Each layer's measured std within 4 standard errors of the recursion's (t with 19
    // degrees of freedom, as for the factors).
    for l in 0..depth {
        let se = xavier.sd_std[l] / (seeds.len() as f64).sqrt();
        assert!(
            (xavier.mean_std[l] - xavier.predicted_std[l]).abs() < 4.0 * se,
            "layer {}",
            l + 1
        );
    }
    c.add("tanh.xavier.first", format!("{:.2}", xavier.mean_std[0]));
    c.add(
        "tanh.xavier.last",
        format!("{:.2}", xavier.mean_std[depth - 1]),
    );

    // The comparison.
    let tasks = comparison(&seeds).unwrap();
    quote(
        &mut c,
        &render::comparison_table(&tasks),
        &[
            "cmp.blobs.small.train",
            "cmp.circles.small.train",
            "cmp.deep-tanh.unit.train",
            "cmp.deep-tanh.xavier.train",
            "cmp.deep-relu.unit.diverged",
            "cmp.deep-tanh.pytorch.train",
        ],
    );

    // Zeros end at the majority class on every run of every task.
    let zeros: usize = Task::ALL
        .iter()
        .map(|&t| at_majority(&tasks, t, "zeros"))
        .sum();
    assert_eq!(
        zeros,
        Task::ALL.len() * seeds.len(),
        "zeros at the majority class on every run"
    );
    c.add("zeros.runs", zeros);
    // Small weights: fine on blobs, barely above chance on circles, zeros' result on deep nets.
    for task in [Task::DeepTanh, Task::DeepRelu] {
        assert_eq!(at_majority(&tasks, task, "small"), seeds.len(), "{task:?}");
    }
    assert!(summary(&tasks, Task::Blobs, "small").train_accuracy.0 > 0.9);
    assert!(summary(&tasks, Task::Circles, "small").train_accuracy.0 < 0.6);
    // N(0, 1): saturates the deep tanh net (worse than Xavier by more than 3 standard
    // errors); on deep ReLU the runs that do not diverge do not learn.
    let tanh_unit = summary(&tasks, Task::DeepTanh, "unit");
    assert!(z_train(summary(&tasks, Task::DeepTanh, "xavier"), tanh_unit) > 3.0);
    let relu_unit = summary(&tasks, Task::DeepRelu, "unit");
    assert!(relu_unit.diverged > 0);
    assert!(
        relu_unit
            .runs
            .iter()
            .filter(|r| !r.diverged)
            .all(|r| r.train_accuracy < 0.6)
    );
    // PyTorch: deep ReLU at the majority class; deep tanh worse and more spread than Xavier.
    let stuck = at_majority(&tasks, Task::DeepRelu, "pytorch");
    assert_eq!(stuck, seeds.len());
    c.add("pytorch.majority", stuck);
    let (pt, xv) = (
        summary(&tasks, Task::DeepTanh, "pytorch"),
        summary(&tasks, Task::DeepTanh, "xavier"),
    );
    assert!(z_train(xv, pt) > 3.0 && pt.train_accuracy.1 > xv.train_accuracy.1);
    assert!(z_test(xv, pt) > 2.0);
    // LeCun, Xavier, He, Keras: on every task their mean test accuracies differ by less than
    // the spread over seeds of each.
    for task in Task::ALL {
        let group: Vec<&Summary> = ["lecun", "xavier", "he", "keras"]
            .iter()
            .map(|k| summary(&tasks, task, k))
            .collect();
        for a in &group {
            for b in &group {
                let gap = (a.test_accuracy.0 - b.test_accuracy.0).abs();
                assert!(
                    gap < a.test_accuracy.1.min(b.test_accuracy.1),
                    "{task:?}: {} vs {}",
                    a.candidate.name,
                    b.candidate.name
                );
            }
        }
    }

    claims::check(CHAPTER.markdown, &c).unwrap_or_else(|e| panic!("{e}"));
}

/// Charts are byte-identical when drawn twice.
#[test]
fn charts_are_deterministic() {
    let seeds = [0, 1];
    let draw = || {
        signal_chart(
            Activation::Relu,
            &propagation(Activation::Relu, &seeds).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(draw(), draw());
}

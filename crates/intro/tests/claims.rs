//! Every number the introduction states, computed.

use intro::initnet::Init;
use intro::{
    CHAPTER, CLASSES, SAMPLES, SEED, SEEDS, WIDTHS, nearest_centre_accuracy, parameter_count,
    toy_data, toy_network,
};

fn percent(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

#[test]
fn introduction_claims() {
    let mut claims = claims::Claims::new();

    let net = toy_network(Init::xavier_normal(), SEED).unwrap();
    let counted: usize = (1..=net.depth())
        .map(|l| net.layer(l).w.len() + net.layer(l).b.len())
        .sum();
    assert_eq!(counted, parameter_count(&WIDTHS));
    claims.add("parameters", parameter_count(&WIDTHS));

    let data = toy_data(SEED).unwrap();
    assert_eq!(data.len(), SAMPLES);
    let counts = data.class_counts();
    assert!(counts.iter().all(|&c| c == SAMPLES / CLASSES), "{counts:?}");
    claims.add("samples", data.len());
    claims.add("per_class", counts[0]);

    let accuracies: Vec<f64> = SEEDS
        .iter()
        .map(|&s| nearest_centre_accuracy(s).unwrap())
        .collect();
    let min = accuracies.iter().copied().fold(f64::INFINITY, f64::min);
    let max = accuracies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    claims.add("seeds", SEEDS.len());
    claims.add("nearest_min", percent(min));
    claims.add("nearest_max", percent(max));
    claims.add("nearest_book", percent(accuracies[SEED as usize]));

    claims::check(CHAPTER.markdown, &claims).unwrap_or_else(|e| panic!("{e}"));
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures intro` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&intro::CHAPTER);
}

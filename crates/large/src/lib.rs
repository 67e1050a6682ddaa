#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod exploding;
pub mod figures;
pub mod math;
pub mod saturation;
pub mod standardize;
pub mod vanishing;

pub use charts;
pub use initnet;
pub use theory;

use initnet::{Error, Init};

/// The seeds every random claim of the chapter is made over.
pub const SEEDS: [u64; 20] = book::seeds(0);

/// The seeds of the input-scale sweep: 20 others, so that it is an independent measurement
/// (with the same seeds, a = (s c) g g'^T would repeat the weight-std sweep exactly).
pub const INPUT_SEEDS: [u64; 20] = book::seeds(1000);

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: book::nothing_generated,
};

/// The stacks of the per-layer gradient comparison: the sigmoid at LeCun's scale (its best
/// case), tanh at LeCun's scale, and tanh with s = 1 (plain `randn`, gain 10 at width 100).
pub fn stacks() -> Vec<vanishing::Stack> {
    let sigmoid = vanishing::Stack::deep_sigmoid();
    let tanh = vanishing::Stack {
        activation: initnet::Activation::Tanh,
        ..sigmoid
    };
    vec![sigmoid, tanh, vanishing::Stack { gain: 10.0, ..tanh }]
}

/// The initializations of the toy comparison: Glorot/Xavier normal (moderate) and
/// N(0, 10^2) (large), labelled as the chart shows them.
pub fn toy_inits() -> Result<Vec<(String, Init)>, Error> {
    Ok(vec![
        (
            "Xavier normal (s = 0.71)".to_string(),
            Init::xavier_normal(),
        ),
        ("large, s = 10".to_string(), Init::normal(10.0)?),
    ])
}

/// The network of the divergence runs: ReLU, 2 inputs, 4 hidden layers of 100, 4 outputs.
pub const RELU_WIDTHS: [usize; 6] = [2, 100, 100, 100, 100, 4];

/// The initializations of the divergence runs: N(0, 0.5^2) (large: sqrt(100/2) 0.5 = 3.5
/// per layer) and He normal (1 per layer), labelled.
pub fn relu_inits() -> Result<Vec<(String, Init)>, Error> {
    Ok(vec![
        ("large, s = 0.5".to_string(), Init::normal(0.5)?),
        ("He normal".to_string(), Init::he_normal()),
    ])
}

/// One training run per initialization of [`relu_inits`] from `seed`: learning rate 0.1,
/// at most 30 epochs.
pub fn divergence_runs(seed: u64) -> Result<Vec<(String, exploding::Outcome)>, Error> {
    static RUNS: book::memo::Memo<u64, Vec<(String, exploding::Outcome)>> = book::memo::Memo::new();
    RUNS.get_or_run(seed, || {
        book::memo::per_item(&relu_inits()?, |(label, init)| {
            exploding::train_relu(&RELU_WIDTHS, *init, 0.1, 30, seed).map(|o| (label.clone(), o))
        })
    })
}

#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod deep;
pub mod figures;
pub mod math;
pub mod products;
pub mod width;

pub use charts;
pub use initnet;
pub use theory;

/// The seeds every random claim of the chapter is made over: 0, 1, ..., 19.
pub const SEEDS: [u64; 20] = book::seeds(0);

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: book::nothing_generated,
};

/// The fan-ins of the width experiment: 2, 4, 8, ..., 4096.
pub fn widths() -> Vec<usize> {
    (1..=12).map(|k| 1usize << k).collect()
}

/// Units (rows of W) and inputs (batch) of the width experiment.
pub const WIDTH_UNITS: usize = 100;
/// See [`WIDTH_UNITS`].
pub const WIDTH_BATCH: usize = 100;

/// Units and batch of the fan-in-2 saturation measurement.
pub const TOY_UNITS: usize = 500;
/// See [`TOY_UNITS`].
pub const TOY_BATCH: usize = 1000;

/// Size n of the random matrices in the product experiment.
pub const PRODUCT_N: usize = 100;
/// Number of factors L in the product experiment.
pub const PRODUCT_DEPTH: usize = 50;
/// The gains g (entries N(0, (g/√n)^2)) of the product experiment.
pub const PRODUCT_GAINS: [f64; 3] = [0.8, 1.0, 1.25];

/// The two weight scales of the CS231n experiment: N(0, 0.01^2) and N(0, 1).
pub const SIGMA_SMALL: f64 = 0.01;
/// See [`SIGMA_SMALL`].
pub const SIGMA_STANDARD: f64 = 1.0;

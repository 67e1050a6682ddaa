#![doc = include_str!("../../../src/guide.md")]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod compare;
pub mod figures;
pub mod render;
pub mod signal;
pub mod table;

pub use charts;
pub use initnet;
pub use theory;

/// What can go wrong in this chapter's experiments: a bad size or setting, named.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The network library refused a setting or a data set.
    #[error(transparent)]
    Net(#[from] initnet::Error),
    /// A size that must be at least 1.
    #[error("{0} must be at least 1, got 0")]
    Zero(&'static str),
    /// No seeds to average over.
    #[error("an experiment over seeds needs at least one seed")]
    NoSeeds,
    /// A layer whose signal is exactly zero (or not finite), where a ratio of scales is undefined.
    #[error("the std of a^{layer} is {std}, so the per-layer shrink factor is undefined")]
    NoSignal {
        /// The layer l (1-based).
        layer: usize,
        /// Its standard deviation.
        std: f64,
    },
    /// An initializer this chapter has no fan for (a constant has no variance to scale).
    #[error("initializer {0} has no fan-based variance")]
    NoFan(initnet::Init),
}

/// The chapter's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Mean and sample standard deviation (divisor n - 1) of some values; the spread of a
/// statistic across seeds. One value has spread 0.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let (mean, pop_sd) = initnet::mean_std(values);
    let n = values.len() as f64;
    if n < 2.0 {
        (mean, 0.0)
    } else {
        (mean, pop_sd * (n / (n - 1.0)).sqrt())
    }
}

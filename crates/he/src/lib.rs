#![doc = include_str!("../../../src/he.md")]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod dying;
pub mod figures;
pub mod signal;
pub mod training;

pub use charts;
pub use initnet;
pub use theory;

use initnet::Activation;

/// The seeds of every experiment over seeds in the chapter: 0..20.
pub fn seeds() -> Vec<u64> {
    (0..20).collect()
}

/// What can go wrong in this chapter's experiments: bad sizes or settings, named.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The network library refused a setting or a data set.
    #[error(transparent)]
    Net(#[from] initnet::Error),
    /// A size that must be at least 1.
    #[error("{0} must be at least 1, got 0")]
    Zero(&'static str),
    /// A closed form that holds only for ReLU, leaky ReLU and the identity.
    #[error(
        "the closed form needs a piecewise-linear activation (ReLU, leaky ReLU, identity), got {0}"
    )]
    NotPiecewiseLinear(Activation),
    /// No seeds to average over.
    #[error("an experiment over seeds needs at least one seed")]
    NoSeeds,
}

#![doc = include_str!("../../../src/introduction.md")]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]
//!
//! ---
//!
//! The crate behind the introduction: the article's toy problem and its chart.

pub mod figures;

pub use charts;
pub use figures::*;
pub use initnet;

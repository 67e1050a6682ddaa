#![doc = include_str!("../../../src/zero.md")]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod experiments;
pub mod figures;

pub use charts;
pub use experiments::*;
pub use figures::{BoxError, figures};
pub use initnet;

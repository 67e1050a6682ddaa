#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]
//!
//! ---
//!
//! The crate behind the introduction: the post's toy problem and its chart.

pub mod figures;
pub mod toy;

pub use charts;
pub use initnet;
pub use toy::*;

/// The seeds of the chapter's random claim (the nearest-centre classifier's accuracy).
pub const SEEDS: [u64; 20] = book::seeds(0);

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: book::nothing_generated,
};

#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]
//!
//! ---
//!
//! The chapter's crate: [`theory`] holds the closed forms and the mean-field predictions,
//! [`experiments`] the measurements (each returns plain data), [`figures`] the charts.

pub mod experiments;
pub mod figures;
pub mod theory;

pub use experiments::*;
pub use theory::*;

pub use charts;
pub use initnet;

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: book::nothing_generated,
};

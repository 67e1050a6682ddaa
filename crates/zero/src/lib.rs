#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod breaking;
pub mod dropout;
pub mod experiments;
pub mod figures;
pub mod wide;

pub use breaking::*;
pub use charts;
pub use dropout::*;
pub use experiments::*;
pub use initnet;
pub use wide::*;

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: book::nothing_generated,
};

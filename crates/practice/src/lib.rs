#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod activations;
pub mod digits;
pub mod exercises;
pub mod figures;
pub mod frameworks;
pub mod lsuv;
pub mod output;
pub mod render;
pub mod width;

pub use charts;
pub use initnet;
pub use theory;

/// The seeds of every experiment over seeds in the chapter: 0, 1, ..., 19.
pub const SEEDS: [u64; 20] = book::seeds(0);

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: render::generated,
};

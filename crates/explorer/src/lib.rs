#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]
//!
//! ---
//!
//! The crate behind the explorer page: [`grid`] lists the settings the page offers,
//! [`sweep`] runs every setting at initialization (the numbers `initlab layers --seeds`
//! prints), [`training`] trains the toy problems for every initializer, and [`data`] writes
//! what the page draws (`cargo xtask figures explorer` writes `src/explorer/data/`, and the
//! settings into the page's head, [`render::head_blocks`]).

pub mod data;
pub mod figures;
pub mod grid;
pub mod render;
pub mod sweep;
pub mod training;

pub use charts;
pub use initlab;
pub use initnet;

/// The seeds of the chapter's claims. The page itself shows [`grid::RUN_SEEDS`] seeds of
/// every setting (0, 1, 2); the claims test checks its worked examples on all of these.
pub const SEEDS: [u64; 20] = book::seeds(0);

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated: render::generated,
};

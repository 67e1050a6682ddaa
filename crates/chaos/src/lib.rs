#![doc = book::chapter_doc!()]
// The crate's documentation is the chapter, written for mdBook and KaTeX, where
// `$\mathbb E[X]$` is math, not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod figures;
pub mod propagation;
pub mod trainability;

pub use charts;
pub use initnet;
pub use theory;

use book::Error;

/// The seeds of every experiment over seeds in the chapter: 0, 1, ..., 19.
pub const SEEDS: [u64; 20] = book::seeds(0);

/// The chapter, for the book's registry.
pub const CHAPTER: book::Chapter = book::Chapter {
    name: env!("CARGO_PKG_NAME"),
    markdown: book::include_chapter!(),
    seeds: &SEEDS,
    figures: figures::figures,
    generated,
};

/// The chapter's generated block: the trainability grid as a table, the text the chapter's
/// code prints (`grid.table()?`).
pub fn generated() -> book::Result<Vec<book::Generated>> {
    let grid = trainability::Grid::chapter(&SEEDS)?;
    Ok(vec![book::Generated::new("trainability", grid.table()?)])
}

//! What every chapter crate exports: one [`Chapter`] constant.

use charts::Figure;

use crate::{Generated, Result};

/// One chapter of the book, as its crate exports it (`pub const CHAPTER: book::Chapter`).
///
/// The registry (`crates/chapters`) lists these constants; `cargo xtask figures` calls
/// [`figures`](Chapter::figures) and [`generated`](Chapter::generated) and writes what they
/// return, the notebook generator reads [`markdown`](Chapter::markdown), and the workspace
/// tests check that everything written is what the code computes now.
///
/// ```
/// /// The seeds of the chapter's random claims.
/// pub const SEEDS: [u64; 20] = book::seeds(0);
///
/// pub fn figures() -> book::Result<Vec<charts::Figure>> {
///     Ok(Vec::new())
/// }
///
/// // In a chapter crate, `name: env!("CARGO_PKG_NAME")` and `markdown: book::include_chapter!()`.
/// pub const CHAPTER: book::Chapter = book::Chapter {
///     name: "demo",
///     markdown: "# Demo\n",
///     seeds: &SEEDS,
///     figures,
///     generated: book::nothing_generated,
/// };
/// assert_eq!(CHAPTER.seeds.len(), 20);
/// ```
#[derive(Clone, Copy)]
pub struct Chapter {
    /// The chapter's crate name, also its text `src/<name>.md`, its figure folder
    /// `src/figures/<name>/` and its notebook `notebooks/<name>.ipynb`.
    pub name: &'static str,
    /// The chapter's text, `src/<name>.md` ([`include_chapter!`](crate::include_chapter!)).
    pub markdown: &'static str,
    /// The seeds every random claim of the chapter is made over ([`seeds`]).
    pub seeds: &'static [u64],
    /// Draws every chart of the chapter.
    pub figures: fn() -> Result<Vec<Figure>>,
    /// Computes every generated block of the chapter's text (see [`crate::generated`]);
    /// [`nothing_generated`] for a chapter without one.
    pub generated: fn() -> Result<Vec<Generated>>,
}

impl std::fmt::Debug for Chapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chapter")
            .field("name", &self.name)
            .field("seeds", &self.seeds)
            .finish_non_exhaustive()
    }
}

/// [`Chapter::generated`] of a chapter whose text has no generated block.
pub fn nothing_generated() -> Result<Vec<Generated>> {
    Ok(Vec::new())
}

/// The seeds `first, first + 1, ..., first + N - 1`: how a chapter declares the seeds of
/// its random claims, `pub const SEEDS: [u64; 20] = book::seeds(0);`. Experiments take
/// `seeds: &[u64]`, so the chapter's code passes `&SEEDS` (and a test may pass any list).
///
/// ```
/// const SEEDS: [u64; 3] = book::seeds(1000);
/// assert_eq!(SEEDS, [1000, 1001, 1002]);
/// ```
pub const fn seeds<const N: usize>(first: u64) -> [u64; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = first + i as u64;
        i += 1;
    }
    out
}

/// The text of the chapter whose crate calls it: `src/<crate name>.md`, included at
/// compile time, as [`Chapter::markdown`] in the crate's `lib.rs`. The file's name is the
/// crate's, so no chapter spells a path.
#[macro_export]
macro_rules! include_chapter {
    () => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../src/",
            env!("CARGO_PKG_NAME"),
            ".md"
        ))
    };
}

/// The chapter's text as rustdoc reads it, for the crate's documentation:
/// `#![doc = book::chapter_doc!()]` at the top of its `lib.rs`. It is the file the crate's
/// build script writes (`fn main() { booktext::chapter_doc(); }`): the text of
/// [`include_chapter!`] with every Rust block marked `no_run`
/// ([`crate::markdown::compile_only`]), so `cargo test` compiles each block as a doctest,
/// and the chapter's claims test runs each once (the `outputs` crate), beside the claims
/// and figures whose studies it shares.
#[macro_export]
macro_rules! chapter_doc {
    () => {
        include_str!(concat!(env!("OUT_DIR"), "/chapter.md"))
    };
}

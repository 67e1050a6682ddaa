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
/// compile time. A chapter crate uses it twice, both times in its `lib.rs`: as the crate's
/// documentation, `#![doc = book::include_chapter!()]` (so that every Rust block of the
/// chapter is a doctest), and as [`Chapter::markdown`]. The file's name is the crate's, so
/// neither place spells a path, and both are the same file. (Two includes, because an
/// attribute's value must be a literal or a macro call, not a constant, and a constant
/// cannot read the crate's documentation.)
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

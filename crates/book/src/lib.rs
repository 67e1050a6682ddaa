//! # book: the chapter contract and the markdown reader
//!
//! Every chapter crate exports one [`Chapter`], `pub const CHAPTER: book::Chapter`: its
//! name, its text, its seeds, the function that draws its figures and the one that
//! computes its [`generated`] blocks. The registry (`crates/chapters`) is a list of these
//! constants. What a chapter crate shares with the others comes from here:
//!
//! - [`Error`] and [`Result`]: the one error type of the chapter crates.
//! - [`seeds`]: how a chapter declares the seeds of its random claims,
//!   `pub const SEEDS: [u64; 20] = book::seeds(0);` (experiments take `&[u64]`).
//! - [`include_chapter!`]: the chapter's text `src/<crate>.md`, for [`Chapter::markdown`];
//!   [`chapter_doc!`]: the same text as rustdoc reads it, for the crate's documentation
//!   (every Rust block compiled, and run by the claims test instead, [`outputs`]).
//! - [`mean`], [`sample_sd`], [`mean_sd`]: statistics over seeds.
//! - [`generated`]: text the code computes, written into the chapter between markers.
//! - [`crossref`]: citations linked to the bibliography, charts numbered with captions.
//! - [`outputs`]: what a chapter's code blocks print, written beneath them.
//! - [`memo`]: a chapter's studies computed once per process ([`memo::Memo`]) and its seeds
//!   on every core ([`memo::per_seed`]).
//! - [`markdown`]: the one reader of the chapters' markdown (pulldown-cmark, math on,
//!   byte offsets kept), used by the claims check, the notebook generator and the
//!   workspace tests; it is the crate `booktext`, re-exported.

mod chapter;
pub mod crossref;
mod error;
pub mod generated;
pub mod memo;
pub mod outputs;
mod stats;

/// The one reader of the chapters' markdown: the [`booktext`] crate, which a build script
/// can depend on without the network and chart libraries.
pub use booktext as markdown;

pub use chapter::{Chapter, nothing_generated, seeds};
pub use error::{Error, Result};
pub use generated::Generated;
pub use stats::{mean, mean_sd, sample_sd};

//! # outputs: what the chapters' code blocks print
//!
//! The build script compiles every printing code block of every chapter (a Rust block
//! that runs as a doctest and calls `print!` or `println!`, found by
//! `book::outputs::printing_blocks`) into a function of its own, with `print!` and
//! `println!` writing into a string instead of stdout; the block's code is the chapter's,
//! hidden lines included, unchanged. [`run`] runs a chapter's blocks in order and returns
//! what each printed: `cargo xtask figures` writes it under the blocks, and the workspace
//! test checks that the book shows what the blocks print now.
//!
//! ```no_run
//! let printed = outputs::run("intro")?;
//! assert!(printed[0].ends_with(" parameters\n"));
//! # Ok::<(), outputs::Error>(())
//! ```

/// What a block returns: its `?` errors, boxed, as in a doctest.
pub type BlockResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// One printing code block, compiled.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    /// The 1-based line of its opening fence in `src/<chapter>.md`.
    pub line: usize,
    /// The block's code: runs it, appending what it prints to the string.
    pub run: fn(&mut String) -> BlockResult,
}

#[allow(warnings, clippy::all, clippy::pedantic)]
mod blocks {
    use super::{Block, BlockResult};
    include!(concat!(env!("OUT_DIR"), "/blocks.rs"));
}

/// A block that failed when it ran.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The block returned an error.
    #[error("src/{chapter}.md, the code block on line {line}: {message}")]
    Failed {
        /// The chapter.
        chapter: String,
        /// The 1-based line of the block.
        line: usize,
        /// The error it returned.
        message: String,
    },
}

/// The printing blocks of `chapter` (none for a chapter without any, or no such chapter).
pub fn blocks(chapter: &str) -> &'static [Block] {
    blocks::CHAPTERS
        .iter()
        .find(|(name, _)| *name == chapter)
        .map_or(&[], |(_, b)| b)
}

/// Run every printing block of `chapter`, in order; returns what each printed.
pub fn run(chapter: &str) -> Result<Vec<String>, Error> {
    blocks(chapter)
        .iter()
        .map(|b| {
            let mut out = String::new();
            (b.run)(&mut out).map_err(|e| Error::Failed {
                chapter: chapter.to_string(),
                line: b.line,
                message: e.to_string(),
            })?;
            Ok(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_intro_prints_its_parameter_count() {
        let printed = super::run("intro").unwrap();
        assert_eq!(printed.len(), super::blocks("intro").len());
        assert!(printed[0].ends_with(" parameters\n"), "{printed:?}");
        assert!(super::blocks("no-such-chapter").is_empty());
    }
}

//! # outputs: what the chapters' code blocks print
//!
//! The build script compiles every code block of every chapter that rustdoc would run
//! into a function of its own, with `print!` and `println!` writing into a string instead
//! of stdout; the block's code is the chapter's, hidden lines included, unchanged. [`run`]
//! runs a chapter's blocks in order and returns what each printing block printed (a block
//! that calls `print!` or `println!` and has an output block, found by
//! `book::outputs::printing_blocks`): `cargo xtask figures` writes it under the blocks.
//!
//! This is where the chapters' code runs under `cargo test`: the chapter crates give
//! rustdoc their text with every block marked `no_run` (`book::chapter_doc!`), so the
//! doctests check that each block compiles, and the chapter's claims test runs each block
//! here, once, in the process whose memoized studies the claims and figures share. A block
//! that fails or panics fails that test.
//!
//! [`stale`] compares all of a chapter's committed, computed files with what its code
//! computes now (figures, generated blocks, outputs); [`assert_fresh`] is the test each
//! chapter's `tests/claims.rs` runs with it.
//!
//! ```no_run
//! let printed = outputs::run("intro")?;
//! assert!(printed[0].ends_with(" parameters\n"));
//! # Ok::<(), outputs::Error>(())
//! ```

/// What a block returns: its `?` errors, boxed, as in a doctest.
pub type BlockResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// One code block, compiled.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    /// The 1-based line of its opening fence in `src/<chapter>.md`.
    pub line: usize,
    /// Whether what it prints is shown under it (an output block follows it).
    pub prints: bool,
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

/// The code blocks of `chapter` that run, in order (none for a chapter without any, or no
/// such chapter).
pub fn blocks(chapter: &str) -> &'static [Block] {
    blocks::CHAPTERS
        .iter()
        .find(|(name, _)| *name == chapter)
        .map_or(&[], |(_, b)| b)
}

/// Run every code block of `chapter`, in order; returns what each printing block printed
/// (in their order: the `k`-th is `book::outputs::printing_blocks`' `k`-th).
pub fn run(chapter: &str) -> Result<Vec<String>, Error> {
    let mut printed = Vec::new();
    for b in blocks(chapter) {
        let mut out = String::new();
        (b.run)(&mut out).map_err(|e| Error::Failed {
            chapter: chapter.to_string(),
            line: b.line,
            message: e.to_string(),
        })?;
        if b.prints {
            printed.push(out);
        }
    }
    Ok(printed)
}

/// What is stale among `chapter`'s committed files, each against what its code computes
/// now: its figures (every SVG and CSV under `src/figures/<ch>/`, none missing and none
/// drawn by nothing), its generated blocks, and the outputs under its printing code blocks;
/// it runs every code block of the chapter for that (this crate's [`run`]), and a block
/// that fails is a problem too. Empty when all are fresh.
///
/// Every chapter's claims test calls [`assert_fresh`], so the check runs in the process that
/// computes the chapter's claims: the studies a chapter memoizes are computed once for its
/// claims, figures and code blocks together.
pub fn stale(chapter: &book::Chapter) -> Vec<String> {
    let name = chapter.name;
    let mut problems = Vec::new();

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../src/figures")
        .join(name);
    match (chapter.figures)() {
        Ok(figures) => {
            let mut expected = std::collections::BTreeSet::new();
            for figure in &figures {
                for (file, data) in figure.files() {
                    if expected.contains(&file) {
                        problems.push(format!("{name}: two figures are named {file}"));
                    }
                    match std::fs::read(dir.join(&file)) {
                        Ok(bytes) if bytes == data.as_bytes() => {}
                        Ok(_) => problems.push(format!(
                            "src/figures/{name}/{file} differs from what figures() draws"
                        )),
                        Err(_) => problems.push(format!("src/figures/{name}/{file} is missing")),
                    }
                    expected.insert(file);
                }
            }
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.flatten() {
                    let file = entry.file_name().to_string_lossy().into_owned();
                    if !expected.contains(&file) {
                        problems.push(format!("src/figures/{name}/{file} is drawn by nothing"));
                    }
                }
            }
        }
        Err(e) => problems.push(format!("{name}: figures() failed: {e}")),
    }

    match (chapter.generated)() {
        Ok(blocks) => match book::generated::stale(chapter.markdown, &blocks) {
            Ok(stale) => problems.extend(stale.iter().map(|block| {
                format!(
                    "src/{name}.md: generated block {block:?} differs from what the code computes"
                )
            })),
            Err(e) => problems.push(format!("src/{name}.md: {e}")),
        },
        Err(e) => problems.push(format!("{name}: generated() failed: {e}")),
    }

    match run(name) {
        Ok(printed) => match book::outputs::stale(chapter.markdown, &printed) {
            Ok(stale) => problems.extend(stale.iter().map(|line| {
                format!(
                    "src/{name}.md: the output under the code block on line {line} differs from what it prints"
                )
            })),
            Err(e) => problems.push(format!("src/{name}.md: {e}")),
        },
        Err(e) => problems.push(e.to_string()),
    }
    problems
}

/// Panic, naming every stale file and `cargo xtask figures <ch>`, when [`stale`] finds any:
/// the test every chapter's `tests/claims.rs` runs beside its claims.
///
/// # Panics
///
/// When a figure, a generated block or an output of `chapter` is stale.
pub fn assert_fresh(chapter: &book::Chapter) {
    let problems = stale(chapter);
    assert!(
        problems.is_empty(),
        "run `cargo xtask figures {}`:\n{}",
        chapter.name,
        problems.join("\n")
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_intro_prints_its_parameter_count() {
        let printed = super::run("intro").unwrap();
        let blocks = super::blocks("intro");
        assert_eq!(printed.len(), blocks.iter().filter(|b| b.prints).count());
        assert!(
            blocks.len() > printed.len(),
            "the intro has a block that does not print"
        );
        assert!(printed[0].ends_with(" parameters\n"), "{printed:?}");
        assert!(super::blocks("no-such-chapter").is_empty());
    }
}

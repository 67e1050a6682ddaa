//! # chapters: the registry of the book's chapters, and their notebooks
//!
//! [`all`] lists every chapter's [`Chapter`] constant (the contract is in the `book`
//! crate): its name (the crate, the text `src/<name>.md`, the figure folder
//! `src/figures/<name>/` and the notebook `notebooks/<name>.ipynb`), its markdown, its
//! seeds, and the functions that draw its figures and compute its generated blocks.
//! `xtask` and the workspace tests go through this list, so a chapter that is registered
//! here is built, drawn, tested and turned into a notebook.
//!
//! [`notebook`] turns a chapter's markdown into a Jupyter notebook (see [`cells`] for
//! the rules).

mod notebook;

pub use book::Chapter;
pub use notebook::{
    Cell, CellKind, cells, chapter_cells, for_jupyter, notebook, notebook_json, setup_note,
};

/// Every chapter of the book, in reading order.
///
/// CHAPTER AUTHORS: register your chapter with ONE line here, in book order, and ONE line
/// in `crates/chapters/Cargo.toml` under `[dependencies]` (`zero = { path = "../zero" }`).
/// AUTHORING.md has every step.
const CHAPTERS: &[Chapter] = &[
    intro::CHAPTER,
    zero::CHAPTER,
    large::CHAPTER,
    random::CHAPTER,
    xavier::CHAPTER,
    he::CHAPTER,
    guide::CHAPTER,
    orthogonal::CHAPTER,
    chaos::CHAPTER,
    residual::CHAPTER,
    practice::CHAPTER,
    explorer::CHAPTER,
];

/// Every chapter of the book, in reading order.
pub fn all() -> Vec<Chapter> {
    CHAPTERS.to_vec()
}

/// The chapter called `name`.
pub fn find(name: &str) -> Option<Chapter> {
    CHAPTERS.iter().find(|c| c.name == name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_usable_as_file_names() {
        let chapters = all();
        for (i, c) in chapters.iter().enumerate() {
            assert!(
                !c.name.is_empty()
                    && c.name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                "{}",
                c.name
            );
            assert!(
                chapters[..i].iter().all(|d| d.name != c.name),
                "{} twice",
                c.name
            );
            assert!(
                c.markdown.starts_with("# "),
                "{} does not start with a heading",
                c.name
            );
        }
        assert_eq!(chapters[0].name, "intro");
        assert!(find("intro").is_some());
        assert!(find("nope").is_none());
    }

    /// The design's rule for random claims: at least 20 seeds, all different.
    #[test]
    fn every_chapter_makes_its_random_claims_over_at_least_20_seeds() {
        for c in all() {
            let mut seeds = c.seeds.to_vec();
            seeds.sort_unstable();
            seeds.dedup();
            assert!(
                seeds.len() == c.seeds.len() && seeds.len() >= 20,
                "{}: {:?}",
                c.name,
                c.seeds
            );
        }
    }
}

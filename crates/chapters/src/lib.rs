//! # chapters: the registry of the book's chapters, and their notebooks
//!
//! [`all`] lists every chapter: its name (the crate, the figure folder
//! `src/figures/<name>/` and the notebook `notebooks/<name>.ipynb`), its markdown and the
//! function that draws its figures. `xtask` and the workspace tests go through this list,
//! so a chapter that is registered here is built, drawn, tested and turned into a notebook.
//!
//! [`notebook`] turns a chapter's markdown into a Jupyter notebook (see [`cells`] for
//! the rules).

use std::error::Error;

mod notebook;

pub use notebook::{Cell, CellKind, cells, notebook, notebook_json};

/// What a chapter's `figures()` returns.
pub type Figures = Result<Vec<charts::Figure>, Box<dyn Error + Send + Sync>>;

/// One chapter of the book.
#[derive(Clone, Copy)]
pub struct Chapter {
    /// The chapter's crate name, also its figure folder and notebook name.
    pub name: &'static str,
    /// The chapter's text (its `src/<file>.md`).
    pub markdown: &'static str,
    /// Draws every chart of the chapter.
    pub figures: fn() -> Figures,
}

impl std::fmt::Debug for Chapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chapter")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Every chapter of the book, in reading order.
pub fn all() -> Vec<Chapter> {
    vec![
        Chapter {
            name: "intro",
            markdown: include_str!("../../../src/introduction.md"),
            figures: intro::figures,
        },
        // CHAPTER AUTHORS: register your chapter with ONE line here, in book order, e.g.
        //   Chapter { name: "zero", markdown: include_str!("../../../src/zero.md"), figures: zero::figures },
        // and ONE line in crates/chapters/Cargo.toml under [dependencies]:
        //   zero = { path = "../zero" }
        // Then run `cargo xtask figures` and `cargo xtask notebooks` and commit the results.
        Chapter {
            name: "zero",
            markdown: include_str!("../../../src/zero.md"),
            figures: zero::figures,
        },
        Chapter {
            name: "large",
            markdown: include_str!("../../../src/large.md"),
            figures: large::figures::figures,
        },
        Chapter {
            name: "random",
            markdown: include_str!("../../../src/random.md"),
            figures: random::figures::figures,
        },
        Chapter {
            name: "xavier",
            markdown: include_str!("../../../src/xavier.md"),
            figures: xavier::figures,
        },
        Chapter {
            name: "he",
            markdown: include_str!("../../../src/he.md"),
            figures: he::figures::figures,
        },
        Chapter {
            name: "guide",
            markdown: include_str!("../../../src/guide.md"),
            figures: guide::figures::figures,
        },
    ]
}

/// The chapter called `name`.
pub fn find(name: &str) -> Option<Chapter> {
    all().into_iter().find(|c| c.name == name)
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
}

//! Workspace-level checks that tie the book together: the notebooks, figures, generated
//! blocks and images the chapters refer to are all in sync with the chapters themselves.
//!
//! Regenerate with `cargo xtask notebooks` and `cargo xtask figures` when these fail.

use std::collections::BTreeSet;
use std::path::Path;

use book::markdown::Document;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

#[test]
fn every_notebook_is_what_the_generator_makes_now() {
    let mut stale = Vec::new();
    let mut expected = BTreeSet::new();
    for chapter in chapters::all() {
        let file = format!("{}.ipynb", chapter.name);
        let path = root().join("notebooks").join(&file);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == chapters::notebook(&chapter) => {}
            Ok(_) => stale.push(format!("notebooks/{file} differs from its chapter")),
            Err(_) => stale.push(format!("notebooks/{file} is missing")),
        }
        expected.insert(file);
    }
    for file in files_in(&root().join("notebooks")) {
        if file.ends_with(".ipynb") && !expected.contains(&file) {
            stale.push(format!("notebooks/{file} belongs to no chapter"));
        }
    }
    assert!(
        stale.is_empty(),
        "run `cargo xtask notebooks`:\n{}",
        stale.join("\n")
    );
}

/// The targets of `![alt](target)` and `<img src="target">` in a markdown text, outside
/// code, with their lines (read by `book::markdown`, which tests the cases).
fn image_targets(markdown: &str) -> Vec<(usize, String)> {
    Document::parse(markdown)
        .images()
        .iter()
        .map(|i| (i.span.line, i.target.clone()))
        .collect()
}

#[test]
fn every_image_a_chapter_shows_exists() {
    let mut missing = Vec::new();
    for chapter in chapters::all() {
        for (line, target) in image_targets(chapter.markdown) {
            if target.contains("://") {
                missing.push(format!(
                    "{} line {line}: {target} is not a local file (the book must work offline)",
                    chapter.name
                ));
            } else if !root().join("src").join(&target).is_file() {
                missing.push(format!(
                    "{} line {line}: {target} does not exist",
                    chapter.name
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "run `cargo xtask figures`?\n{}",
        missing.join("\n")
    );
}

/// Every chapter's claims test checks that its committed figures, generated blocks and
/// outputs are fresh (`outputs::assert_fresh`, run in the process that computes the
/// chapter's claims, so memoized studies are computed once for both).
#[test]
fn every_chapter_checks_its_figures_and_outputs_are_fresh() {
    let mut missing = Vec::new();
    for chapter in chapters::all() {
        let name = chapter.name;
        let path = root().join("crates").join(name).join("tests/claims.rs");
        let call = format!("outputs::assert_fresh(&{name}::CHAPTER)");
        let calls = std::fs::read_to_string(&path).is_ok_and(|text| {
            text.lines()
                .any(|l| !l.trim_start().starts_with("//") && l.contains(&call))
        });
        if !calls {
            missing.push(format!(
                "crates/{name}/tests/claims.rs does not call {call}"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every chapter crate gives rustdoc its text with the blocks compile-only
/// (`#![doc = book::chapter_doc!()]`, written by its build script's
/// `booktext::chapter_doc()`), so `cargo test` runs each block once, in the claims test's
/// process (`outputs`), and not a second time as a doctest in a process of its own.
#[test]
fn every_chapter_runs_its_code_blocks_once() {
    let mut wrong = Vec::new();
    for chapter in chapters::all() {
        let name = chapter.name;
        let dir = root().join("crates").join(name);
        let first = std::fs::read_to_string(dir.join("src/lib.rs"))
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        if first != "#![doc = book::chapter_doc!()]" {
            wrong.push(format!(
                "crates/{name}/src/lib.rs must start with #![doc = book::chapter_doc!()], not {first:?}"
            ));
        }
        let build = std::fs::read_to_string(dir.join("build.rs")).unwrap_or_default();
        if !build.contains("booktext::chapter_doc();") {
            wrong.push(format!(
                "crates/{name}/build.rs must call booktext::chapter_doc()"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The longest code line a block shows without scrolling in the book's column at a
/// 1280 px window: mdBook's 750 px column, less the block's padding, in its 14 px
/// monospace font (8.4 px a character).
const MAX_CODE_LINE: usize = 86;

#[test]
fn no_code_line_is_wider_than_its_block() {
    let mut long = Vec::new();
    for chapter in chapters::all() {
        let doc = Document::parse(chapter.markdown);
        for block in doc.code_blocks() {
            // What the reader sees: a Rust block without its hidden lines; any other block
            // (outputs among them) whole.
            let lines = if block.info.is_rust() {
                block.shown_lines()
            } else {
                block.body.lines().map(str::to_string).collect()
            };
            for (i, line) in lines.iter().enumerate() {
                let width = line.chars().count();
                if width > MAX_CODE_LINE {
                    long.push(format!(
                        "src/{}.md, the code block on line {}, its line {}: {width} characters",
                        chapter.name,
                        block.span.line,
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "code lines longer than the {MAX_CODE_LINE} characters a block shows (break them as rustfmt would, or print less):\n{}",
        long.join("\n")
    );
}

/// The anchors of the bibliography's entries, `<a id="key"></a>` in `src/references.md`.
fn bibliography_keys() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("src/references.md")).unwrap();
    text.split("<a id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(key, _)| key.to_string()))
        .collect()
}

#[test]
fn every_citation_has_its_entry_and_every_entry_is_cited() {
    let entries = bibliography_keys();
    let mut cited = BTreeSet::new();
    let mut problems = Vec::new();
    for chapter in chapters::all() {
        let doc = Document::parse(chapter.markdown);
        for c in doc.citations() {
            let whole = doc.text(&c.range);
            let text = whole
                .trim_start_matches("<cite>")
                .trim_end_matches("</cite>");
            match book::crossref::key(text) {
                Some(key) if entries.contains(&key) => {
                    cited.insert(key);
                }
                Some(key) => problems.push(format!(
                    "src/{}.md line {}: {whole} has no entry {key:?} in src/references.md",
                    chapter.name, c.line
                )),
                None => problems.push(format!(
                    "src/{}.md line {}: {whole} is not \"Author, year\"",
                    chapter.name, c.line
                )),
            }
        }
    }
    for key in entries.difference(&cited) {
        problems.push(format!(
            "src/references.md: the entry {key:?} is cited by no chapter"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_chart_is_a_numbered_figure_and_every_figure_reference_resolves() {
    let mut problems = Vec::new();
    for chapter in chapters::all() {
        // The chapter number does not change what can fail.
        if let Err(e) = book::crossref::number_figures(chapter.markdown, Some(1)) {
            problems.push(format!("src/{}.md: {e}", chapter.name));
        }
        for chart in book::crossref::charts(chapter.markdown) {
            if chart.alt.contains('\n') || chart.alt.chars().count() > 200 {
                problems.push(format!(
                    "src/{}.md line {}: the caption of {} must be one line of at most 200 characters",
                    chapter.name, chart.line, chart.target
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_chapter_text_is_src_name_md() {
    for chapter in chapters::all() {
        let path = root().join("src").join(format!("{}.md", chapter.name));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text == chapter.markdown,
            "{} is not chapter {}'s text",
            path.display(),
            chapter.name
        );
    }
}

#[test]
fn no_chapter_states_a_number_that_is_not_a_claim() {
    let mut bare = Vec::new();
    for chapter in chapters::all() {
        for (line, number) in claims::bare_numbers(chapter.markdown) {
            bare.push(format!("{} line {line}: {number}", chapter.name));
        }
    }
    assert!(
        bare.is_empty(),
        "numbers in the prose that no claim covers:\n{}",
        bare.join("\n")
    );
}

#[test]
fn summary_lists_existing_files_and_every_chapter() {
    let summary = std::fs::read_to_string(root().join("src/SUMMARY.md")).unwrap();
    // Every link of SUMMARY.md (those in comments are not links).
    let listed: Vec<String> = Document::parse(&summary)
        .links()
        .iter()
        .map(|l| l.target.clone())
        .collect();
    for target in &listed {
        assert!(
            root().join("src").join(target).is_file(),
            "SUMMARY.md lists {target}, which does not exist"
        );
    }
    // Every registered chapter's text is one of the listed files.
    for chapter in chapters::all() {
        let found = listed.iter().any(|t| {
            std::fs::read_to_string(root().join("src").join(t))
                .is_ok_and(|text| text == chapter.markdown)
        });
        assert!(
            found,
            "chapter {} is registered but not listed in src/SUMMARY.md",
            chapter.name
        );
    }
}

// The explorer's data files (`src/explorer/data/`) are checked for freshness once, by the
// explorer crate's own test (`crates/explorer/tests/data.rs`), on a sample of the grid; so
// are its settings in the pages' head (`theme/head.hbs`).

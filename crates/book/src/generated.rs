//! Generated blocks: text that a chapter's code computes (a table today, the printed output
//! of a code block later), written into the chapter's markdown between two marker comments
//! and checked for freshness like the figures.
//!
//! In `src/<chapter>.md` a block reads
//!
//! ```markdown
//! <!-- generated: comparison -->
//!
//! | task | initializer | ... |
//! | --- | --- | ... |
//!
//! <!-- /generated -->
//! ```
//!
//! Each marker is a line of its own (write one nowhere else, not even in a code block).
//! Between them is a blank line, the block's text, and a blank line, so that the text is a
//! markdown block of its own (a table needs the blank line to end before the closing
//! comment). A chapter's [`Chapter::generated`](crate::Chapter::generated) returns its
//! blocks by name; `cargo xtask figures` writes them with [`fill`], and the workspace test
//! names every block that [`stale`] finds. Numbers inside a block are computed, so the
//! claims check needs no `<var data-claim>` for them (and allows none there).
//!
//! ```
//! use book::Generated;
//! use book::generated::{fill, stale};
//!
//! let text = "# A chapter\n\n<!-- generated: squares -->\n<!-- /generated -->\n\nProse.\n";
//! let blocks = [Generated::new("squares", "| n | n² |\n| ---: | ---: |\n| 3 | 9 |")];
//! assert_eq!(stale(text, &blocks)?, ["squares"]);
//! let filled = fill(text, &blocks)?;
//! assert!(filled.contains("<!-- generated: squares -->\n\n| n | n² |\n"));
//! assert!(filled.contains("| 3 | 9 |\n\n<!-- /generated -->\n\nProse.\n"));
//! assert!(stale(&filled, &blocks)?.is_empty());
//! # Ok::<(), book::Error>(())
//! ```

use std::ops::Range;

use crate::{Error, Result};

/// The line that opens the block `name`.
pub fn open_marker(name: &str) -> String {
    format!("<!-- generated: {name} -->")
}

/// The line that closes a block.
pub const CLOSE_MARKER: &str = "<!-- /generated -->";

const OPEN_START: &str = "<!-- generated:";
const COMMENT_END: &str = "-->";

/// One block of text a chapter's code computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The name in its markers: lower-case letters, digits and `-`.
    pub name: String,
    /// The text, as markdown (a trailing newline is optional).
    pub text: String,
}

impl Generated {
    /// The block `name` with `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Generated {
            name: name.into(),
            text: text.into(),
        }
    }

    /// What stands between the block's marker lines: a blank line, the text ending in a
    /// newline, and a blank line.
    pub fn body(&self) -> String {
        let text = self.text.trim_end_matches('\n');
        format!("\n{text}\n\n")
    }
}

/// Where one block stands in a chapter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region<'a> {
    /// The block's name.
    pub name: &'a str,
    /// The 1-based line of its opening marker.
    pub line: usize,
    /// The bytes between the opening marker's line and the closing marker's line.
    pub body: Range<usize>,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn marker_error(line: usize, problem: String) -> Error {
    Error::Markers { line, problem }
}

/// Every generated block of `markdown`, in order. Fails on a marker that does not pair up
/// (an opening marker inside a block, a block that is never closed, a closing marker
/// outside a block), on a name used twice and on a name that is not lower-case letters,
/// digits and `-`.
pub fn regions(markdown: &str) -> Result<Vec<Region<'_>>> {
    let mut out: Vec<Region<'_>> = Vec::new();
    let mut open: Option<(&str, usize, usize)> = None; // name, line, body start
    let mut offset = 0;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let start = offset;
        offset += line.len();
        let t = line.trim();
        if let Some(rest) = t.strip_prefix(OPEN_START) {
            let Some(name) = rest.strip_suffix(COMMENT_END).map(str::trim) else {
                return Err(marker_error(
                    number,
                    format!(
                        "an opening marker must be one line, {:?}",
                        open_marker("name")
                    ),
                ));
            };
            if let Some((outer, outer_line, _)) = open {
                return Err(marker_error(
                    number,
                    format!(
                        "block {name:?} opens inside block {outer:?} (opened on line {outer_line})"
                    ),
                ));
            }
            if !valid_name(name) {
                return Err(marker_error(
                    number,
                    format!("block name {name:?} must be lower-case letters, digits and -"),
                ));
            }
            if let Some(first) = out.iter().find(|r| r.name == name) {
                return Err(marker_error(
                    number,
                    format!(
                        "block {name:?} appears twice (first on line {})",
                        first.line
                    ),
                ));
            }
            open = Some((name, number, offset));
        } else if t == CLOSE_MARKER {
            let Some((name, line, body_start)) = open.take() else {
                return Err(marker_error(
                    number,
                    format!("{CLOSE_MARKER} closes no block"),
                ));
            };
            out.push(Region {
                name,
                line,
                body: body_start..start,
            });
        }
    }
    if let Some((name, line, _)) = open {
        return Err(marker_error(
            line,
            format!("block {name:?} is never closed by {CLOSE_MARKER}"),
        ));
    }
    Ok(out)
}

/// Check that the blocks and the text's markers name the same blocks, each once.
fn matched<'a>(regions: &[Region<'a>], blocks: &[Generated]) -> Result<()> {
    for (i, b) in blocks.iter().enumerate() {
        if !valid_name(&b.name) {
            return Err(marker_error(
                0,
                format!(
                    "block name {:?} must be lower-case letters, digits and -",
                    b.name
                ),
            ));
        }
        if blocks[..i].iter().any(|a| a.name == b.name) {
            return Err(marker_error(
                0,
                format!("the chapter generates block {:?} twice", b.name),
            ));
        }
        if !regions.iter().any(|r| r.name == b.name) {
            return Err(marker_error(
                0,
                format!(
                    "the text has no place for block {:?}: add the lines {:?} and {CLOSE_MARKER:?} where it goes",
                    b.name,
                    open_marker(&b.name)
                ),
            ));
        }
    }
    if let Some(r) = regions
        .iter()
        .find(|r| !blocks.iter().any(|b| b.name == r.name))
    {
        return Err(marker_error(
            r.line,
            format!("the chapter generates no block {:?}", r.name),
        ));
    }
    Ok(())
}

/// `markdown` with the text between each block's markers replaced by the block's
/// [`body`](Generated::body). Every block must have its markers in the text, and every
/// pair of markers a block.
pub fn fill(markdown: &str, blocks: &[Generated]) -> Result<String> {
    let regions = regions(markdown)?;
    matched(&regions, blocks)?;
    let mut out = String::with_capacity(markdown.len());
    let mut done = 0;
    for r in &regions {
        let block = blocks
            .iter()
            .find(|b| b.name == r.name)
            .expect("matched: every region has a block");
        out.push_str(&markdown[done..r.body.start]);
        out.push_str(&block.body());
        done = r.body.end;
    }
    out.push_str(&markdown[done..]);
    Ok(out)
}

/// The names of the blocks whose text in `markdown` is not what they hold now, in the
/// text's order. Fails as [`fill`] does.
pub fn stale<'b>(markdown: &str, blocks: &'b [Generated]) -> Result<Vec<&'b str>> {
    let regions = regions(markdown)?;
    matched(&regions, blocks)?;
    Ok(regions
        .iter()
        .filter_map(|r| {
            let block = blocks.iter().find(|b| b.name == r.name)?;
            (markdown[r.body.clone()] != block.body()).then_some(block.name.as_str())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# T\n\n<!-- generated: a -->\nold\n<!-- /generated -->\n\nMid.\n\n<!-- generated: b -->\n\nsame\n\n<!-- /generated -->\nEnd.\n";

    fn blocks() -> Vec<Generated> {
        vec![Generated::new("a", "new\n"), Generated::new("b", "same")]
    }

    #[test]
    fn regions_are_found_with_their_lines() {
        let r = regions(TEXT).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].name, r[0].line), ("a", 3));
        assert_eq!(&TEXT[r[0].body.clone()], "old\n");
        assert_eq!((r[1].name, r[1].line), ("b", 9));
        assert_eq!(&TEXT[r[1].body.clone()], "\nsame\n\n");
    }

    #[test]
    fn fill_replaces_only_the_bodies_and_stale_names_what_moved() {
        assert_eq!(stale(TEXT, &blocks()).unwrap(), ["a"]);
        let filled = fill(TEXT, &blocks()).unwrap();
        assert_eq!(filled, TEXT.replace("-->\nold\n", "-->\n\nnew\n\n"));
        assert!(stale(&filled, &blocks()).unwrap().is_empty());
        assert_eq!(fill(&filled, &blocks()).unwrap(), filled);
    }

    fn problem(result: Result<impl std::fmt::Debug>) -> (usize, String) {
        match result {
            Err(Error::Markers { line, problem }) => (line, problem),
            other => panic!("expected a marker error, got {other:?}"),
        }
    }

    #[test]
    fn markers_that_do_not_pair_are_errors_naming_the_line() {
        let (line, p) = problem(regions("x\n<!-- generated: a -->\ny\n"));
        assert_eq!(line, 2);
        assert!(p.contains("\"a\" is never closed"), "{p}");
        let (line, p) = problem(regions("<!-- /generated -->\n"));
        assert_eq!(line, 1);
        assert!(p.contains("closes no block"), "{p}");
        let (line, p) = problem(regions(
            "<!-- generated: a -->\n<!-- generated: b -->\n<!-- /generated -->\n",
        ));
        assert_eq!(line, 2);
        assert!(p.contains("\"b\" opens inside block \"a\""), "{p}");
        let (_, p) = problem(regions(
            "<!-- generated: a -->\n<!-- /generated -->\n<!-- generated: a -->\n<!-- /generated -->\n",
        ));
        assert!(p.contains("\"a\" appears twice"), "{p}");
        let (_, p) = problem(regions("<!-- generated: A b -->\n<!-- /generated -->\n"));
        assert!(p.contains("\"A b\""), "{p}");
    }

    #[test]
    fn blocks_and_markers_must_name_the_same_blocks() {
        let (_, p) = problem(fill(TEXT, &[Generated::new("a", "x")]));
        assert!(p.contains("generates no block \"b\""), "{p}");
        let mut more = blocks();
        more.push(Generated::new("c", "x"));
        let (_, p) = problem(stale(TEXT, &more));
        assert!(p.contains("no place for block \"c\""), "{p}");
        assert!(p.contains("<!-- generated: c -->"), "{p}");
        let mut twice = blocks();
        twice.push(Generated::new("a", "x"));
        let (_, p) = problem(fill(TEXT, &twice));
        assert!(p.contains("block \"a\" twice"), "{p}");
    }
}

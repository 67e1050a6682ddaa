//! Outputs under code: what a chapter's code block prints, shown beneath it in the book.
//!
//! A Rust block that runs as a doctest and calls `print!` or `println!` is a *printing
//! block* ([`printing_blocks`]). Right after it (blank lines between are fine) the chapter
//! holds its output between two marker lines:
//!
//! ````markdown
//! ```rust
//! println!("{} parameters", 2 * 3 + 4 * 3);
//! ```
//!
//! <!-- output -->
//!
//! <div class="output">
//!
//! ```text
//! 18 parameters
//! ```
//!
//! </div>
//!
//! <!-- /output -->
//! ````
//!
//! The text is never typed: the `outputs` crate compiles every printing block of every
//! chapter (its build script reads them with [`printing_blocks`]), runs it with `print!`
//! and `println!` writing into a string, and `cargo xtask figures` writes what it printed
//! with [`fill`]; the workspace test fails, naming the block, when [`stale`] finds an
//! output that is not what the block prints now. A printing block that is directly
//! followed by a generated block (a table it prints, see [`crate::generated`]) shows its
//! output there instead and has no output block.
//!
//! The output is a ```` ```text ```` block inside `<div class="output">`: mdBook styles it
//! apart from the code (`theme/book.css`), the claims check reads no numbers in it (it is
//! code), and the notebook generator leaves the whole region out (a notebook shows the
//! real output when its cell runs).
//!
//! ```
//! use book::outputs::{fill, printing_blocks, stale};
//!
//! let text = "# A chapter\n\n```rust\nprintln!(\"{}\", 6 * 7);\n```\n\n<!-- output -->\n<!-- /output -->\n\nProse.\n";
//! let blocks = printing_blocks(text)?;
//! assert_eq!(blocks.len(), 1);
//! assert_eq!(blocks[0].code_lines(), ["println!(\"{}\", 6 * 7);"]);
//! let printed = vec!["42\n".to_string()];
//! assert_eq!(stale(text, &printed)?, [3]);
//! let filled = fill(text, &printed)?;
//! assert!(filled.contains("<!-- output -->\n\n<div class=\"output\">\n\n```text\n42\n```\n\n</div>\n\n<!-- /output -->\n"));
//! assert!(stale(&filled, &printed)?.is_empty());
//! # Ok::<(), book::Error>(())
//! ```

use std::ops::Range;

use crate::markdown::{CodeBlock, Doctest, Document};
use crate::{Error, Result};

/// The line that opens an output block.
pub const OPEN_MARKER: &str = "<!-- output -->";

/// The line that closes an output block.
pub const CLOSE_MARKER: &str = "<!-- /output -->";

/// Whether a line of code calls `print!` or `println!` (a comment does not count).
fn prints(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or_default();
    ["print!(", "println!("].iter().any(|m| {
        code.match_indices(m).any(|(i, _)| {
            // Not `eprint!(`, `eprintln!(` or a longer name ending in print.
            !code[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// One output block of a chapter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The 1-based line of its opening marker.
    pub line: usize,
    /// The bytes between the opening marker's line and the closing marker's line.
    pub body: Range<usize>,
    /// The bytes from the opening marker's line through the closing marker's line.
    pub whole: Range<usize>,
    /// The 1-based line of the code block it belongs to.
    pub code_line: usize,
}

fn marker_error(line: usize, problem: String) -> Error {
    Error::Markers { line, problem }
}

/// The next line after `offset` that is not blank: its 1-based number and its text,
/// trimmed (None at the end of the text).
fn next_line(markdown: &str, offset: usize) -> Option<(usize, &str)> {
    let first = markdown[..offset].matches('\n').count() + 1;
    markdown[offset..]
        .split_inclusive('\n')
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (first + i, line.trim()))
}

/// The Rust blocks of `markdown` that run as doctests and call `print!` or `println!`, in
/// order, except those followed by a generated block before the next code block (whose
/// text is what they print). Each must be followed by an output block; fails, naming the line, on a pair of
/// output markers that does not follow a printing block (or does not pair up).
pub fn printing_blocks(markdown: &str) -> Result<Vec<CodeBlock>> {
    Ok(blocks_and_regions(markdown)?.0)
}

/// Every output block of `markdown`, in order, each after its printing block; fails as
/// [`printing_blocks`] does, and on a printing block that has no output block.
pub fn regions(markdown: &str) -> Result<Vec<Region>> {
    let (blocks, regions) = blocks_and_regions(markdown)?;
    if let Some(b) = blocks
        .iter()
        .find(|b| !regions.iter().any(|r| r.code_line == b.span.line))
    {
        return Err(marker_error(
            b.span.line,
            format!(
                "the code block on line {} prints, so the lines {OPEN_MARKER:?} and {CLOSE_MARKER:?} must follow it (then run `cargo xtask figures`)",
                b.span.line
            ),
        ));
    }
    Ok(regions)
}

fn blocks_and_regions(markdown: &str) -> Result<(Vec<CodeBlock>, Vec<Region>)> {
    let doc = Document::parse(markdown);
    let mut blocks = Vec::new();
    let mut regions = Vec::new();
    let codes: Vec<&CodeBlock> = doc.code_blocks().collect();
    for (i, code) in codes.iter().enumerate() {
        let printing =
            code.info.doctest() == Doctest::Runs && code.code_lines().iter().any(|l| prints(l));
        let next = next_line(markdown, code.span.range.end);
        // A generated block before the next code block shows what this one prints.
        let until = codes
            .get(i + 1)
            .map_or(markdown.len(), |c| c.span.range.start);
        let shown_as_generated = markdown[code.span.range.end..until]
            .lines()
            .any(|l| l.trim().starts_with("<!-- generated:"));
        if printing && !shown_as_generated {
            blocks.push((*code).clone());
        }
        if let Some((line, OPEN_MARKER)) = next {
            if !printing {
                return Err(marker_error(
                    line,
                    format!(
                        "an output block follows the code block on line {}, which does not print",
                        code.span.line
                    ),
                ));
            }
            regions.push((line, code.span.line));
        }
    }
    // Pair the markers, and check that each opening marker is one found after a block.
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None; // line, whole start, body start
    let mut offset = 0;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let start = offset;
        offset += line.len();
        match line.trim() {
            OPEN_MARKER => {
                if let Some((outer, _, _)) = open {
                    return Err(marker_error(
                        number,
                        format!("an output block opens inside the one opened on line {outer}"),
                    ));
                }
                open = Some((number, start, offset));
            }
            CLOSE_MARKER => {
                let Some((line, whole_start, body_start)) = open.take() else {
                    return Err(marker_error(
                        number,
                        format!("{CLOSE_MARKER} closes no output block"),
                    ));
                };
                let Some(&(_, code_line)) = regions.iter().find(|(l, _)| *l == line) else {
                    return Err(marker_error(
                        line,
                        "an output block must follow the code block whose output it is".to_string(),
                    ));
                };
                out.push(Region {
                    line,
                    body: body_start..start,
                    whole: whole_start..offset,
                    code_line,
                });
            }
            _ => {}
        }
    }
    if let Some((line, _, _)) = open {
        return Err(marker_error(
            line,
            format!("the output block is never closed by {CLOSE_MARKER}"),
        ));
    }
    Ok((blocks, out))
}

/// What stands between an output block's marker lines for the printed text `printed`,
/// every non-blank line indented by `indent` (the opening marker's own indentation, so an
/// output inside a list item or a collapsed solution stays inside it).
pub fn body(printed: &str, indent: &str) -> String {
    let text = printed.trim_end_matches('\n');
    let plain = format!("\n<div class=\"output\">\n\n```text\n{text}\n```\n\n</div>\n\n");
    plain
        .split_inclusive('\n')
        .map(|line| {
            if line.trim().is_empty() {
                line.to_string()
            } else {
                format!("{indent}{line}")
            }
        })
        .collect()
}

/// The indentation (leading spaces) of the opening marker of region `r`.
fn indent_of<'a>(markdown: &'a str, r: &Region) -> &'a str {
    let line = &markdown[r.whole.start..r.body.start];
    &line[..line.len() - line.trim_start().len()]
}

fn check_count(regions: &[Region], printed: &[String]) -> Result<()> {
    if regions.len() != printed.len() {
        return Err(marker_error(
            0,
            format!(
                "the text has {} output blocks, but {} outputs were given",
                regions.len(),
                printed.len()
            ),
        ));
    }
    Ok(())
}

/// `markdown` with each output block holding the text its printing block printed:
/// `printed[k]` is the output of the `k`-th of [`printing_blocks`].
pub fn fill(markdown: &str, printed: &[String]) -> Result<String> {
    let regions = regions(markdown)?;
    check_count(&regions, printed)?;
    let mut out = String::with_capacity(markdown.len());
    let mut done = 0;
    for (r, text) in regions.iter().zip(printed) {
        out.push_str(&markdown[done..r.body.start]);
        out.push_str(&body(text, indent_of(markdown, r)));
        done = r.body.end;
    }
    out.push_str(&markdown[done..]);
    Ok(out)
}

/// The lines of the code blocks whose output block in `markdown` is not what they print
/// now (`printed` as in [`fill`]).
pub fn stale(markdown: &str, printed: &[String]) -> Result<Vec<usize>> {
    let regions = regions(markdown)?;
    check_count(&regions, printed)?;
    Ok(regions
        .iter()
        .zip(printed)
        .filter(|(r, text)| markdown[r.body.clone()] != body(text, indent_of(markdown, r)))
        .map(|(r, _)| r.code_line)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# T\n\n```rust\nlet x = 1;\nprintln!(\"{x}\");\n```\n\n<!-- output -->\nold\n<!-- /output -->\n\n```rust\nlet y = 2;\n```\n\n```rust\n# let z = 3;\n# print!(\"{z}\");\n```\n<!-- output -->\n<!-- /output -->\n\n```rust\nprint!(\"table\");\n```\n\nIt prints:\n\n<!-- generated: t -->\n<!-- /generated -->\n";

    #[test]
    fn printing_blocks_are_found_and_paired_with_their_outputs() {
        let blocks = printing_blocks(TEXT).unwrap();
        assert_eq!(
            blocks.iter().map(|b| b.span.line).collect::<Vec<_>>(),
            [3, 16]
        );
        let r = regions(TEXT).unwrap();
        assert_eq!(
            r.iter().map(|r| (r.line, r.code_line)).collect::<Vec<_>>(),
            [(8, 3), (20, 16)]
        );
        assert_eq!(&TEXT[r[0].body.clone()], "old\n");
        let printed = ["1\n".to_string(), "3".to_string()];
        assert_eq!(stale(TEXT, &printed).unwrap(), [3, 16]);
        let filled = fill(TEXT, &printed).unwrap();
        assert!(stale(&filled, &printed).unwrap().is_empty());
        assert_eq!(fill(&filled, &printed).unwrap(), filled);
        assert!(filled.contains("```text\n3\n```"));
    }

    #[test]
    fn an_indented_output_block_stays_in_its_list_item() {
        let text = "1. Item.\n\n   ```rust\n   println!(\"hi\");\n   ```\n   <!-- output -->\n   <!-- /output -->\n";
        let filled = fill(text, &["hi\n".to_string()]).unwrap();
        assert!(
            filled.contains("   <!-- output -->\n\n   <div class=\"output\">\n\n   ```text\n   hi\n   ```\n\n   </div>\n\n   <!-- /output -->\n"),
            "{filled}"
        );
        assert!(stale(&filled, &["hi\n".to_string()]).unwrap().is_empty());
        assert_eq!(stale(text, &["hi\n".to_string()]).unwrap().len(), 1);
    }

    #[test]
    fn only_print_calls_count() {
        assert!(prints("println!(\"x\");"));
        assert!(prints("    print!(\"{}\", y)"));
        assert!(!prints("eprintln!(\"x\");"));
        assert!(!prints("let s = format!(\"x\"); // println!(..)"));
        assert!(!prints("my_print!(\"x\");"));
    }

    fn problem(result: Result<impl std::fmt::Debug>) -> (usize, String) {
        match result {
            Err(Error::Markers { line, problem }) => (line, problem),
            other => panic!("expected a marker error, got {other:?}"),
        }
    }

    #[test]
    fn misplaced_or_missing_outputs_are_errors_naming_the_line() {
        let (line, p) = problem(regions("```rust\nprintln!(\"x\");\n```\n\nProse.\n"));
        assert_eq!(line, 1);
        assert!(p.contains("prints"), "{p}");
        let (line, p) = problem(regions(
            "```rust\nlet x = 1;\n```\n\n<!-- output -->\n<!-- /output -->\n",
        ));
        assert_eq!(line, 5);
        assert!(p.contains("does not print"), "{p}");
        let (line, p) = problem(regions("Prose.\n\n<!-- output -->\n<!-- /output -->\n"));
        assert_eq!(line, 3);
        assert!(p.contains("must follow"), "{p}");
        let (line, p) = problem(regions("```rust\nprint!(\"x\");\n```\n<!-- output -->\n"));
        assert_eq!(line, 4);
        assert!(p.contains("never closed"), "{p}");
        let (_, p) = problem(fill(TEXT, &["1".to_string()]));
        assert!(p.contains("2 output blocks, but 1"), "{p}");
    }
}

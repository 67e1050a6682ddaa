//! Chapter markdown -> Jupyter notebook (nbformat 4.5, Rust kernel evcxr).

use std::collections::BTreeSet;

use book::markdown::{Block, CodeBlock, Doctest, Document, RustLine, rust_line};
use serde_json::{Value, json};

use crate::Chapter;

/// Whether a cell is prose or code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A markdown cell.
    Markdown,
    /// A Rust code cell.
    Code,
}

/// One notebook cell, before it becomes JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Prose or code.
    pub kind: CellKind,
    /// The cell's text, without a trailing newline.
    pub source: String,
    /// For a code cell, how many charts it draws: the book's `![..](figures/..)` image
    /// lines between this code block and the next, which the notebook drops because the
    /// cell draws them. Always 0 for a markdown cell.
    pub charts: usize,
}

impl Cell {
    fn markdown(source: impl Into<String>) -> Self {
        Cell {
            kind: CellKind::Markdown,
            source: source.into(),
            charts: 0,
        }
    }
    fn code(source: impl Into<String>) -> Self {
        Cell {
            kind: CellKind::Code,
            source: source.into(),
            charts: 0,
        }
    }
}

/// The doctest trailer `Ok::<(), E>(())` that lets a block use `?` under rustdoc; evcxr
/// handles `?` in a cell itself, so the notebook drops it.
fn is_trailer(hidden: &str) -> bool {
    let t = hidden.trim();
    t.starts_with("Ok::<") && t.ends_with(">(())")
}

fn trim_blank_lines(lines: &[String]) -> String {
    let start = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |e| e + 1);
    lines[start..end].join("\n")
}

/// A cell that ends with a loop or an `if` (its closing `}` at column 0) gets a `;` after
/// it: evcxr prints the value of a cell's last expression, and a loop's is a bare `()`.
fn quiet_final_loop(code: String) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let Some((last, before)) = lines.split_last() else {
        return code;
    };
    let opener = before
        .iter()
        .rev()
        .find(|l| !l.starts_with(char::is_whitespace) && !l.starts_with('}') && !l.is_empty());
    let is_loop = opener.is_some_and(|l| {
        ["for ", "while ", "loop ", "if "]
            .iter()
            .any(|k| l.starts_with(k))
    });
    if *last == "}" && is_loop {
        format!("{code};")
    } else {
        code
    }
}

struct Builder {
    cells: Vec<Cell>,
    prose: Vec<String>,
}

impl Builder {
    fn prose_line(&mut self, line: &str) {
        // No runs of blank lines (a dropped figure line leaves one behind).
        if line.trim().is_empty() && self.prose.last().is_none_or(|l| l.trim().is_empty()) {
            return;
        }
        self.prose.push(line.to_string());
    }
    fn flush(&mut self) {
        let text = trim_blank_lines(&self.prose);
        if !text.is_empty() {
            self.cells.push(Cell::markdown(text));
        }
        self.prose.clear();
    }
    fn block(&mut self, block: &CodeBlock, source: &str) {
        match block.info.doctest() {
            Doctest::Runs => {
                let code: Vec<String> = block
                    .body
                    .lines()
                    .filter_map(|l| match rust_line(l) {
                        RustLine::Shown(s) => Some(s),
                        RustLine::Hidden(s) if is_trailer(&s) => None,
                        RustLine::Hidden(s) => Some(s),
                    })
                    .collect();
                let code = quiet_final_loop(trim_blank_lines(&code));
                if !code.is_empty() {
                    self.flush();
                    self.cells.push(Cell::code(code));
                }
            }
            Doctest::ShownOnly => {
                self.prose.push("```rust".to_string());
                self.prose.extend(block.shown_lines());
                self.prose.push("```".to_string());
            }
            Doctest::NotRust => {
                self.prose.extend(source.lines().map(str::to_string));
            }
        }
    }
}

/// Split a chapter's markdown into notebook cells. The markdown is read by
/// [`book::markdown`], so a code block is what CommonMark (and so rustdoc and mdBook)
/// calls one, in a list or a quote too:
///
/// - Blocks that rustdoc runs as doctests (```` ```rust ````, a bare fence, an indented
///   block, or `rust` with `no_run`/`edition...` attributes; see [`Doctest`]) become code
///   cells, with hidden lines shown ([`rust_line`]: `# x` -> `x`, `#` -> empty, `##x` ->
///   `#x`) and the doctest trailer `# Ok::<(), ...>(())` dropped.
/// - Rust blocks that rustdoc does not run (`ignore`, `should_panic`, `compile_fail`)
///   stay in the prose as ```` ```rust ```` listings the way mdBook shows them: hidden
///   lines removed. A notebook must run top to bottom, so it never executes them.
/// - Blocks in other languages (```` ```text ````, ```` ```console ````, ...) stay in the
///   prose verbatim.
/// - Everything else is prose: the markdown between two code cells becomes one markdown
///   cell, with `![..](figures/..)` images on a line of their own replaced by their caption
///   (the code draws those charts; each counts one chart of the code cell before it, in
///   [`Cell::charts`]; see [`chapter_cells`] for the numbering), runs of blank lines collapsed, and outputs under code
///   ([`book::outputs`]) left out. Math (`$..$`, `$$..$$`) is kept:
///   Jupyter renders it with MathJax, using the same delimiters as mdbook-katex. Claims,
///   citations and hints are first rewritten for JupyterLab by [`for_jupyter`].
/// - A code cell that ends with a loop gets a `;` after it, so that evcxr prints no `()`.
pub fn cells(markdown: &str) -> Vec<Cell> {
    chapter_cells(markdown, 0)
}

/// The charts of a chapter, in order: `![..](figures/..)` images on a line of their own,
/// as `(name, alt text)` with the name the file's stem (the book's `#fig-<name>` anchor).
fn charts(doc: &Document) -> Vec<(String, String)> {
    doc.images()
        .iter()
        .filter(|i| i.own_line && !i.html && i.target.starts_with("figures/"))
        .map(|i| {
            let file = i.target.rsplit('/').next().unwrap_or(&i.target);
            let name = file.strip_suffix(".svg").unwrap_or(file).to_string();
            let syntax = doc.text(&i.span.range);
            let alt = syntax
                .strip_prefix("![")
                .and_then(|rest| rest.split("](").next())
                .unwrap_or("")
                .to_string();
            (name, alt)
        })
        .collect()
}

/// [`cells`] for chapter `number` of the book (the introduction is 0): the cells of
/// `markdown`, with each dropped chart's caption set under the cell that draws it as
/// "*Figure n.k.* caption", the way the book numbers and captions its charts, and every
/// reference `[Figure](#fig-<name>)` written as "Figure n.k".
pub fn chapter_cells(markdown: &str, number: u32) -> Vec<Cell> {
    let markdown = for_jupyter(markdown, number);
    let doc = Document::parse(&markdown);
    let captions: Vec<String> = charts(&doc)
        .iter()
        .enumerate()
        .map(|(k, (_, alt))| format!("*Figure {number}.{}.* {alt}", k + 1))
        .collect();
    let mut next_caption = captions.iter();
    // `![..](figures/..)` on a line of its own: the committed chart, which the notebook
    // draws by running the code instead.
    let figure_lines: BTreeSet<usize> = doc
        .images()
        .iter()
        .filter(|i| i.own_line && !i.html && i.target.starts_with("figures/"))
        .map(|i| i.span.line)
        .collect();
    // Outputs under code (`book::outputs`): the notebook shows the real output when its
    // cell runs, so their lines, markers included, are left out.
    let output_lines: BTreeSet<usize> = book::outputs::regions(&markdown)
        .unwrap_or_default()
        .iter()
        .flat_map(|r| doc.line(r.whole.start)..doc.line(r.whole.end))
        .collect();
    let mut b = Builder {
        cells: Vec::new(),
        prose: Vec::new(),
    };
    for block in doc.blocks() {
        match block {
            Block::Code(code) if output_lines.contains(&code.span.line) => {}
            Block::Code(code) => b.block(code, doc.text(&code.span.range)),
            Block::Prose(span) => {
                for (i, line) in doc.text(&span.range).lines().enumerate() {
                    let line_number = span.line + i;
                    if output_lines.contains(&line_number) {
                        continue;
                    }
                    if !figure_lines.contains(&line_number) {
                        b.prose_line(line);
                        continue;
                    }
                    if let Some(cell) = b.cells.iter_mut().rev().find(|c| c.kind == CellKind::Code)
                    {
                        cell.charts += 1;
                    }
                    if let Some(caption) = next_caption.next() {
                        b.prose_line(caption);
                    }
                }
            }
        }
    }
    b.flush();
    b.cells
}

/// The chapter's markdown as JupyterLab should read it (its renderer is not mdBook's):
///
/// - a claim `<var data-claim="k">0.25</var>` becomes its text `0.25` (JupyterLab drops
///   the attribute and would show the number in italics);
/// - a citation `<cite>Author, 2010</cite>` becomes `([Author, 2010](../src/references.md#author2010))`,
///   a link to its entry in the bibliography's source, which JupyterLab opens (tags inside
///   the citation removed);
/// - a `<summary>` line of a `<details>` hint gets a blank line after it, and `</details>`
///   one before it: markdown (code spans, emphasis) in an HTML block is only read after a
///   blank line ends the block.
pub fn for_jupyter(markdown: &str, number: u32) -> String {
    let doc = Document::parse(markdown);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = doc
        .claims()
        .iter()
        .map(|c| (c.range.clone(), c.text.clone()))
        .collect();
    // `[Figure](#fig-<name>)`: the book's preprocessor numbers it; a notebook has no
    // anchors, so it becomes the plain "Figure n.k" of the caption under the chart.
    let charts = charts(&doc);
    for link in doc.links() {
        let Some(name) = link.target.strip_prefix("#fig-") else {
            continue;
        };
        if let Some(k) = charts.iter().position(|(n, _)| n == name) {
            edits.push((
                link.span.range.clone(),
                format!("Figure {number}.{}", k + 1),
            ));
        }
    }
    for cite in doc.citations() {
        let inner = without_tags(doc.text(&cite.range));
        let inner = inner.trim();
        let text = match book::crossref::key(inner) {
            // The bibliography's source, which JupyterLab opens (its server's root is the
            // project folder, where the README starts it).
            Some(key) => format!("([{inner}](../src/references.md#{key}))"),
            None => format!("({inner})"),
        };
        edits.push((cite.range.clone(), text));
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for (range, text) in edits {
        // A claim inside a citation (never written) would overlap: the outer edit wins.
        if range.start < at {
            continue;
        }
        out.push_str(&markdown[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&markdown[at..]);
    let lines: Vec<&str> = out.lines().collect();
    let mut spaced = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t == "</details>" && spaced.last().is_some_and(|l: &&str| !l.trim().is_empty()) {
            spaced.push("");
        }
        spaced.push(line);
        let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
        if t.starts_with("<details") && t.ends_with("</summary>") && !next_blank {
            spaced.push("");
        }
    }
    let mut text = spaced.join("\n");
    if markdown.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The text of a citation without its tags (`<cite><a href="..">A, 2010</a></cite>` ->
/// `A, 2010`), read as inline markdown.
fn without_tags(html: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    Parser::new(html)
        .filter_map(|event| match event {
            Event::Text(text) | Event::Code(text) => Some(text.to_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
            _ => None,
        })
        .collect()
}

/// The markdown cell before the setup cell: what it does and how long it takes.
pub fn setup_note(chapter: &str) -> Cell {
    Cell::markdown(format!(
        "**Run the cells in order, from the top.** The next cell compiles this chapter's crate \
         `{chapter}` and its dependencies (the network library `initnet` and the `charts`), \
         optimized: about a minute on two cores the first time (longer on a machine that has \
         never built them), during which the cell shows nothing. If Jupyter was started with \
         `EVCXR_TMPDIR` set to a folder of your own (see the book's README), a restarted \
         kernel reuses that build and the cell takes seconds. Every chart is drawn by the cell \
         that computes it. If the kernel dies (\"Broken pipe\", or cells that stay queued), \
         restart it and run again from the top."
    ))
}

/// The first code cell of a chapter's notebook: load the chapter's crate (by its path
/// from `notebooks/`) at evcxr's optimization level 2, so the experiments run fast.
pub fn setup_cell(chapter: &str) -> Cell {
    Cell::code(format!(
        ":opt 2\n:dep {chapter} = {{ path = \"../crates/{chapter}\" }}"
    ))
}

fn source_lines(text: &str) -> Value {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    json!(lines)
}

/// The notebook of a chapter as JSON (nbformat 4.5): its cells from [`cells`], with the
/// setup note and the setup cell before the first code cell, cell ids `<chapter>-<index>`,
/// no outputs, and the evcxr kernel (`rust`) as kernelspec. Each code cell's metadata
/// holds `why_init.charts`, the charts it must display ([`Cell::charts`]), and the
/// notebook's metadata `why_init.charts`, their sum: the headless runner and the
/// JupyterLab test count the charts shown against them.
pub fn notebook_json(chapter: &Chapter) -> Value {
    // The chapter's number in the book: its place in the registry (the introduction, an
    // unnumbered chapter, is 0, as in the book's figure numbers).
    let number = crate::all()
        .iter()
        .position(|c| c.name == chapter.name)
        .map_or(0, |i| i as u32);
    let mut all = chapter_cells(chapter.markdown, number);
    let first_code = all
        .iter()
        .position(|c| c.kind == CellKind::Code)
        .unwrap_or(all.len().min(1));
    all.insert(first_code, setup_cell(chapter.name));
    all.insert(first_code, setup_note(chapter.name));
    let charts: usize = all.iter().map(|c| c.charts).sum();
    let cells: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let id = format!("{}-{i:02}", chapter.name);
            match cell.kind {
                CellKind::Markdown => json!({"cell_type": "markdown", "id": id, "metadata": {}, "source": source_lines(&cell.source)}),
                CellKind::Code => json!({
                    "cell_type": "code",
                    "execution_count": null,
                    "id": id,
                    "metadata": {"why_init": {"charts": cell.charts}},
                    "outputs": [],
                    "source": source_lines(&cell.source),
                }),
            }
        })
        .collect();
    json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Rust", "language": "rust", "name": "rust"},
            "language_info": {
                "codemirror_mode": "rust",
                "file_extension": ".rs",
                "mimetype": "text/rust",
                "name": "Rust",
                "pygment_lexer": "rust",
                "version": ""
            },
            "why_init": {"chapter": chapter.name, "charts": charts}
        },
        "nbformat": 4,
        "nbformat_minor": 5
    })
}

/// The notebook file of a chapter, byte for byte: [`notebook_json`] with sorted keys and
/// a one-space indent, as Jupyter writes notebooks, and a trailing newline.
pub fn notebook(chapter: &Chapter) -> String {
    let value = notebook_json(chapter);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&value, &mut ser).expect("a JSON value always serializes");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Cell {
        Cell::code(s)
    }
    fn md(s: &str) -> Cell {
        Cell::markdown(s)
    }

    #[test]
    fn hidden_lines_are_shown_and_the_trailer_dropped() {
        let text = "# Title\n\nSome prose.\n\n```rust\n# use x::y;\nlet a = 1;\n    # let indented = 2;\n#\n##[derive(Debug)]\nstruct S;\n#not_hidden\n# Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())\n```\n\nMore.\n";
        assert_eq!(
            cells(text),
            vec![
                md("# Title\n\nSome prose."),
                code(
                    "use x::y;\nlet a = 1;\n    let indented = 2;\n\n#[derive(Debug)]\nstruct S;\n#not_hidden"
                ),
                md("More.")
            ]
        );
    }

    #[test]
    fn charts_become_numbered_captions_and_blank_runs_collapse() {
        let text = "A, see [Figure](#fig-loss).\n\n![chart](figures/zero/loss.svg)\n\nB\n\n\n\nC ![inline](figures/x.svg) stays\n![other](https://example.org/a.png)\n";
        assert_eq!(
            chapter_cells(text, 1),
            vec![md(
                "A, see Figure 1.1.\n\n*Figure 1.1.* chart\n\nB\n\nC ![inline](figures/x.svg) stays\n![other](https://example.org/a.png)"
            )]
        );
        // A reference to no chart of the page is left as it is (the book's build rejects it).
        assert_eq!(
            chapter_cells("See [Figure](#fig-none).\n", 2),
            vec![md("See [Figure](#fig-none).")]
        );
    }

    #[test]
    fn outputs_under_code_are_left_out() {
        let text = "A\n\n```rust\nprintln!(\"7\");\n```\n\n<!-- output -->\n\n<div class=\"output\">\n\n```text\n7\n```\n\n</div>\n\n<!-- /output -->\n\nB\n";
        assert_eq!(
            cells(text),
            vec![md("A"), code("println!(\"7\");"), md("B")]
        );
    }

    #[test]
    fn fences_by_info_string() {
        let text = "P\n```rust,ignore\n# hidden\nshown();\n```\n```text\n# not hidden\n```\n```\nbare();\n```\n````rust\n```\ninner();\n````\n~~~toml\n[x]\n~~~\n```rust,no_run\nnorun();\n```\n```rust,should_panic\npanic!();\n```\n";
        assert_eq!(
            cells(text),
            vec![
                md("P\n```rust\nshown();\n```\n```text\n# not hidden\n```"),
                code("bare();"),
                code("```\ninner();"),
                md("~~~toml\n[x]\n~~~"),
                code("norun();"),
                md("```rust\npanic!();\n```"),
            ]
        );
    }

    #[test]
    fn code_blocks_are_what_commonmark_calls_code() {
        // A fence in a list item is a code block (its indentation is the list's); an
        // indented block is a doctest too; a fence inside a longer one is text.
        let text = "1. Step:\n   ```rust\n   # let a = 1;\n   step(a);\n   ```\n\nThen\n\n    indented();\n\n`````markdown\n```rust\nnot_code();\n```\n`````\n";
        assert_eq!(
            cells(text),
            vec![
                md("1. Step:"),
                code("let a = 1;\nstep(a);"),
                md("Then"),
                code("indented();"),
                md("`````markdown\n```rust\nnot_code();\n```\n`````"),
            ]
        );
    }

    #[test]
    fn math_claims_and_unclosed_fences() {
        let text = "Math $W^l$ and $$a = b$$ and <var data-claim=\"k\">0.5</var>.\n```rust\nlet open = 1;\n";
        assert_eq!(
            cells(text),
            vec![
                md("Math $W^l$ and $$a = b$$ and 0.5."),
                code("let open = 1;")
            ]
        );
    }

    /// What JupyterLab would show wrongly, in every chapter's notebook: claim and citation
    /// markup (italics), a hint whose markdown is not read (no blank line after its summary).
    #[test]
    fn every_chapter_reads_in_jupyterlab_as_in_the_book() {
        for chapter in crate::all() {
            for cell in cells(chapter.markdown) {
                if cell.kind != CellKind::Markdown {
                    continue;
                }
                for tag in ["<var", "<cite"] {
                    assert!(
                        !cell.source.contains(tag),
                        "{}: {tag} in a markdown cell",
                        chapter.name
                    );
                }
                let lines: Vec<&str> = cell.source.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    if line.trim_end().ends_with("</summary>") {
                        assert!(
                            lines.get(i + 1).is_some_and(|l| l.trim().is_empty()),
                            "{}: no blank line after {line:?}",
                            chapter.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_final_loop_is_quiet_and_other_endings_stay() {
        let looped = "let v = [1, 2];\nfor x in v {\n    println!(\"{x}\");\n}\n# Ok::<(), E>(())";
        assert_eq!(
            cells(&format!("```rust\n{looped}\n```\n")),
            vec![code(
                "let v = [1, 2];\nfor x in v {\n    println!(\"{x}\");\n};"
            )]
        );
        for kept in [
            "fn f() {\n    g();\n}",
            "let s = S {\n    a: 1,\n};",
            "for x in v {\n    f(x);\n}\nx + 1",
        ] {
            assert_eq!(cells(&format!("```rust\n{kept}\n```\n")), vec![code(kept)]);
        }
    }

    #[test]
    fn claims_become_plain_text_and_citations_links_to_the_bibliography() {
        let text = "We ran <var data-claim=\"seeds\">20</var> seeds, as in <cite>Glorot and Bengio, 2010</cite>\nand <cite><a href=\"references.md#he2015\">He et al., 2015</a></cite>; `<var>` in code stays.\n";
        assert_eq!(
            for_jupyter(text, 0),
            "We ran 20 seeds, as in ([Glorot and Bengio, 2010](../src/references.md#glorot2010))\nand ([He et al., 2015](../src/references.md#he2015)); `<var>` in code stays.\n"
        );
    }

    #[test]
    fn hints_get_the_blank_lines_that_let_markdown_be_read_inside() {
        let text = "1. Question?\n\n   <details><summary>Hint</summary>\n   Use `f`.\n   </details>\n\n2. Next.\n   <details><summary>Hint</summary>\n\n   Already `fine`.\n\n   </details>\n";
        assert_eq!(
            for_jupyter(text, 0),
            "1. Question?\n\n   <details><summary>Hint</summary>\n\n   Use `f`.\n\n   </details>\n\n2. Next.\n   <details><summary>Hint</summary>\n\n   Already `fine`.\n\n   </details>\n"
        );
    }

    #[test]
    fn each_code_cell_counts_the_charts_it_draws() {
        let text = "A\n```rust\nlet a = 1;\n```\n\n![one](figures/c/one.svg)\n\n![two](figures/c/two.svg)\n\nB\n```rust\nlet b = 2;\n```\nC\n```rust\nlet c = 3;\n```\n![three](figures/c/three.svg)\n";
        let charts: Vec<usize> = cells(text)
            .iter()
            .filter(|c| c.kind == CellKind::Code)
            .map(|c| c.charts)
            .collect();
        assert_eq!(charts, [2, 0, 1]);
        let nb = notebook_json(&chapter(Box::leak(text.to_string().into_boxed_str())));
        assert_eq!(nb["metadata"]["why_init"]["charts"], 3);
        let per_cell: Vec<Value> = nb["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["cell_type"] == "code")
            .map(|c| c["metadata"]["why_init"]["charts"].clone())
            .collect();
        assert_eq!(per_cell, [json!(0), json!(2), json!(0), json!(1)]);
    }

    #[test]
    fn an_empty_rust_block_makes_no_cell() {
        assert_eq!(
            cells("A\n```rust\n# Ok::<(), E>(())\n```\nB"),
            vec![md("A\nB")]
        );
    }

    fn chapter(markdown: &'static str) -> Chapter {
        Chapter {
            name: "demo",
            markdown,
            seeds: &[],
            figures: || Ok(Vec::new()),
            generated: book::nothing_generated,
        }
    }

    #[test]
    fn notebook_is_nbformat_4_5_with_the_setup_cell_first() {
        let nb = notebook_json(&chapter(
            "# Demo\n\nText.\n\n```rust\nlet x = 1;\nx + 1\n```\n",
        ));
        assert_eq!(nb["nbformat"], 4);
        assert_eq!(nb["nbformat_minor"], 5);
        assert_eq!(nb["metadata"]["kernelspec"]["name"], "rust");
        assert_eq!(nb["metadata"]["kernelspec"]["display_name"], "Rust");
        assert_eq!(nb["metadata"]["kernelspec"]["language"], "rust");
        assert_eq!(nb["metadata"]["language_info"]["name"], "Rust");
        let cells = nb["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0]["cell_type"], "markdown");
        assert_eq!(cells[0]["source"], json!(["# Demo\n", "\n", "Text."]));
        assert_eq!(cells[1]["cell_type"], "markdown");
        let note = cells[1]["source"][0].as_str().unwrap();
        assert!(
            note.contains("compiles this chapter's crate `demo`"),
            "{note}"
        );
        assert!(
            note.contains("EVCXR_TMPDIR") && note.contains("Broken pipe"),
            "{note}"
        );
        assert_eq!(
            cells[2]["source"],
            json!([":opt 2\n", ":dep demo = { path = \"../crates/demo\" }"])
        );
        assert_eq!(cells[3]["source"], json!(["let x = 1;\n", "x + 1"]));
        for (i, c) in cells.iter().enumerate() {
            assert_eq!(c["id"], format!("demo-{i:02}"));
            if c["cell_type"] == "code" {
                assert_eq!(c["execution_count"], Value::Null);
                assert_eq!(c["outputs"], json!([]));
            }
        }
    }

    #[test]
    fn notebook_bytes_are_deterministic_and_jupyter_shaped() {
        let ch = chapter("# Demo\n\n```rust\nlet x = 1;\n```\n");
        let text = notebook(&ch);
        assert_eq!(text, notebook(&ch));
        assert!(
            text.starts_with("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n"),
            "{text}"
        );
        assert!(text.ends_with("\n \"nbformat_minor\": 5\n}\n"), "{text}");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, notebook_json(&ch));
    }

    #[test]
    fn a_chapter_without_code_still_gets_its_setup_cell_after_the_title() {
        let nb = notebook_json(&chapter("# Only prose\n"));
        let cells = nb["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 3);
        assert_eq!(cells[1]["cell_type"], "markdown");
        assert_eq!(cells[2]["cell_type"], "code");
    }
}

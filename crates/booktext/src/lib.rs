//! # booktext: the chapters' markdown, read once with pulldown-cmark
//!
//! The `book` crate re-exports this crate as `book::markdown`; it depends on pulldown-cmark
//! alone, so that a chapter crate's build script can use it ([`chapter_doc`]).
//!
//! [`Document::parse`] reads a chapter (or `SUMMARY.md`) the way the book's tools do:
//! CommonMark with the extensions mdBook turns on (tables, footnotes, strikethrough, task
//! lists, heading attributes) plus math (`$...$` and `$$...$$`, which mdbook-katex
//! renders). Every item it reports keeps its byte range in the source and its 1-based
//! line, so that a problem can name where it is.
//!
//! What the consumers need:
//!
//! - [`Document::blocks`]: the source cut into code blocks and the prose between them,
//!   whole lines each (the notebook generator);
//! - [`CodeBlock`]: a code block's [`Info`] string (language and rustdoc attributes, with
//!   rustdoc's reading of which blocks are Rust and which run, [`Doctest`]) and its code;
//!   [`rust_line`] applies rustdoc's hidden-line rules, here and nowhere else;
//! - [`Document::prose`]: the source ranges of the text a reader reads as prose, that is
//!   outside code, math, HTML tags and comments, claims, citations and link targets
//!   (the claims check looks for numbers there);
//! - [`Document::claims`] (`<var data-claim="key">text</var>`), [`Document::citations`]
//!   (`<cite>...</cite>`), [`Document::math`], [`Document::images`] (`![alt](target)` and
//!   `<img src="...">`), [`Document::links`] (with their list depth, for `SUMMARY.md`);
//! - [`Document::problems`]: malformed markup the reader met (a `<var>` without a key, an
//!   element not closed where its paragraph ends), each with its line.
//!
//! Raw HTML is not markdown: pulldown-cmark hands an HTML block over as text. The reader
//! reads the tags in it itself (so a claim or a citation inside a `<details>` hint counts)
//! and the math in it, because mdbook-katex renders `$...$` wherever it stands. It also
//! takes a backtick span in raw HTML for code, as mdbook-katex does when it looks for
//! math, although the rendered page shows its backticks: an HTML block (a `<details>`
//! line not followed by a blank line) runs to the next blank line, and markdown in it is
//! not rendered.
//!
//! ```
//! use booktext::{Doctest, Document};
//!
//! let md = "# Title\n\nIt takes <var data-claim=\"steps\">12</var> steps, $O(n^2)$ each.\n\n\
//!           ```rust\n# let n = 3;\nassert_eq!(n, 3);\n```\n";
//! let doc = Document::parse(md);
//! assert_eq!(doc.claims()[0].key, "steps");
//! assert_eq!(doc.claims()[0].text, "12");
//! assert_eq!(doc.claims()[0].line, 3);
//! let code = doc.code_blocks().next().unwrap();
//! assert_eq!(code.info.doctest(), Doctest::Runs);
//! assert_eq!(code.code_lines(), ["let n = 3;", "assert_eq!(n, 3);"]);
//! assert_eq!(code.shown_lines(), ["assert_eq!(n, 3);"]);
//! assert!(doc.problems().is_empty());
//! ```

use std::fmt;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The pulldown-cmark options the book is written for: mdBook's (tables, footnotes,
/// strikethrough, task lists, heading attributes) and math, which mdbook-katex renders.
/// Smart punctuation only changes the text of quotes and dashes, never where things are,
/// so the reader leaves it off.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
}

/// A stretch of the source: its byte range and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in the source.
    pub range: Range<usize>,
    /// 1-based line of `range.start`.
    pub line: usize,
}

/// One piece of a chapter: a code block, or the markdown between two code blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Markdown that is not a code block: whole source lines, verbatim.
    Prose(Span),
    /// A fenced or indented code block.
    Code(CodeBlock),
}

/// A code block, fenced (```` ``` ```` or `~~~`) or indented by four spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// Its whole source lines: from the opening fence's line through the closing fence's
    /// (to the end of the text if the fence is never closed), line ending included.
    pub span: Span,
    /// Whether it is fenced (an indented block has an empty info string).
    pub fenced: bool,
    /// The info string after the opening fence.
    pub info: Info,
    /// The code as the block holds it: without the fences and without the indentation of
    /// the list item or quote it sits in. Each line ends with a newline.
    pub body: String,
}

impl CodeBlock {
    /// The code a compiler sees (rustdoc's reading): every line, hidden ones with their
    /// `# ` marker removed, `##` unescaped. See [`rust_line`].
    pub fn code_lines(&self) -> Vec<String> {
        self.body
            .lines()
            .map(|l| match rust_line(l) {
                RustLine::Shown(s) | RustLine::Hidden(s) => s,
            })
            .collect()
    }

    /// The lines a reader of the rendered page sees: hidden lines left out, `##`
    /// unescaped. See [`rust_line`].
    pub fn shown_lines(&self) -> Vec<String> {
        self.body
            .lines()
            .filter_map(|l| match rust_line(l) {
                RustLine::Shown(s) => Some(s),
                RustLine::Hidden(_) => None,
            })
            .collect()
    }
}

/// A code block's info string, read as rustdoc reads it: tokens separated by commas,
/// spaces or tabs; the first token that is not a rustdoc attribute is the language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    /// The info string as written, trimmed.
    pub raw: String,
    /// The language (`rust`, `text`, `toml`, ...): the first token that is not a rustdoc
    /// attribute. None for a bare fence, an indented block or attributes only (`ignore`).
    pub language: Option<String>,
    /// Every other token, in order (`ignore`, `no_run`, `edition2021`, ...).
    pub attributes: Vec<String>,
}

/// What rustdoc does with a code block, and so what a notebook may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doctest {
    /// Rust that rustdoc compiles and expects to succeed: `rust`, a bare fence, an
    /// indented block, `no_run`, `edition...`, `test_harness`, `standalone_crate`.
    Runs,
    /// Rust that rustdoc skips or expects to fail (`ignore`, `ignore-<target>`,
    /// `should_panic`, `compile_fail`): the book shows it, a notebook must not run it.
    ShownOnly,
    /// Not Rust (`text`, `console`, `toml`, `custom`, ...).
    NotRust,
}

impl Info {
    /// Read an info string.
    pub fn parse(info: &str) -> Info {
        let raw = info.trim();
        let mut language = None;
        let mut attributes = Vec::new();
        for token in tokens(raw) {
            if language.is_none() && !is_rustdoc_attribute(token) {
                language = Some(token.to_string());
            } else {
                attributes.push(token.to_string());
            }
        }
        Info {
            raw: raw.to_string(),
            language,
            attributes,
        }
    }

    /// Whether rustdoc reads the block as Rust: rustdoc's `LangString::parse` (in
    /// `src/librustdoc/html/markdown.rs`). A block is Rust unless it says `custom`, or it
    /// names a token rustdoc does not know (a language) and no Rust token (`rust`, or a
    /// rustdoc attribute written before the unknown token) goes with it.
    pub fn is_rust(&self) -> bool {
        let (mut rust, mut other) = (false, false);
        for token in tokens(&self.raw) {
            match token {
                "custom" => return false,
                "rust" => rust = true,
                "should_panic" | "no_run" | "ignore" => rust = !other,
                "test_harness" | "compile_fail" | "standalone_crate" => rust = !other || rust,
                t if t.starts_with("ignore-") => rust = !other,
                t if t.starts_with("edition") => {}
                t if is_error_code(t) => rust = !other || rust,
                _ => other = true,
            }
        }
        !other || rust
    }

    /// What rustdoc does with the block.
    pub fn doctest(&self) -> Doctest {
        if !self.is_rust() {
            Doctest::NotRust
        } else if tokens(&self.raw).any(|t| {
            t == "ignore" || t.starts_with("ignore-") || t == "should_panic" || t == "compile_fail"
        }) {
            Doctest::ShownOnly
        } else {
            Doctest::Runs
        }
    }

    /// Whether rustdoc runs the block, not only compiles it: [`Doctest::Runs`] without
    /// `no_run`.
    pub fn executes(&self) -> bool {
        self.doctest() == Doctest::Runs && !tokens(&self.raw).any(|t| t == "no_run")
    }
}

fn tokens(info: &str) -> impl Iterator<Item = &str> {
    info.split([',', ' ', '\t']).filter(|t| !t.is_empty())
}

fn is_rustdoc_attribute(token: &str) -> bool {
    matches!(
        token,
        "should_panic" | "no_run" | "ignore" | "test_harness" | "compile_fail" | "standalone_crate"
    ) || token.starts_with("ignore-")
        || token.starts_with("edition")
        || is_error_code(token)
}

/// `E0277` and the like: rustdoc's error-code attribute.
fn is_error_code(token: &str) -> bool {
    token.len() == 5 && token.starts_with('E') && token[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A line of a Rust code block, read with rustdoc's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustLine {
    /// A line the rendered page shows: the line itself, or with its leading `##` turned
    /// into `#`.
    Shown(String),
    /// A line the page hides but the compiler sees: the code after the `# ` marker, with
    /// the line's indentation kept (rustdoc drops it, which changes nothing for the
    /// compiler and keeps a notebook's code aligned). Empty for a lone `#`.
    Hidden(String),
}

/// Read one line of a Rust code block with rustdoc's hidden-line rules (the rustdoc book,
/// "Documentation tests": "Hiding portions of the example"; rustdoc's `map_line`). After
/// trimming the line of surrounding whitespace:
///
/// - it starts with `##`: shown, with the first `##` written as `#` (the escape for a line
///   that starts with `#`, such as `#[derive(Debug)]` written `##[derive(Debug)]`, or a
///   string literal's line);
/// - it starts with `# ` (a hash and a space): hidden, and the compiler sees what follows;
/// - it is a lone `#`: hidden, an empty line;
/// - anything else is shown, `#text` included (it could be an attribute `#[attr]`).
///
/// ```
/// use booktext::{RustLine, rust_line};
///
/// assert_eq!(rust_line("# let x = 1;"), RustLine::Hidden("let x = 1;".into()));
/// assert_eq!(rust_line("    # indented();"), RustLine::Hidden("    indented();".into()));
/// assert_eq!(rust_line("#"), RustLine::Hidden(String::new()));
/// assert_eq!(rust_line("##[derive(Debug)]"), RustLine::Shown("#[derive(Debug)]".into()));
/// assert_eq!(rust_line("#[derive(Debug)]"), RustLine::Shown("#[derive(Debug)]".into()));
/// assert_eq!(rust_line("let y = 2;"), RustLine::Shown("let y = 2;".into()));
/// ```
pub fn rust_line(line: &str) -> RustLine {
    let trimmed = line.trim();
    let indent = &line[..line.len() - line.trim_start().len()];
    if trimmed.starts_with("##") {
        RustLine::Shown(line.replacen("##", "#", 1))
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        RustLine::Hidden(format!("{indent}{rest}"))
    } else if trimmed == "#" {
        RustLine::Hidden(String::new())
    } else {
        RustLine::Shown(line.to_string())
    }
}

/// `<var data-claim="key">text</var>`: a number the prose states and a test computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The claim's key.
    pub key: String,
    /// The text between the tags, as written in the source.
    pub text: String,
    /// The whole element, from `<var` to `</var>`.
    pub range: Range<usize>,
    /// 1-based line of the opening tag.
    pub line: usize,
}

/// Math: `$...$` (inline) or `$$...$$` (display), delimiters included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Math {
    /// Where it is, delimiters included.
    pub span: Span,
    /// `$$...$$`.
    pub display: bool,
}

/// An image: `![alt](target "title")` or `<img src="target">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The target, without its title.
    pub target: String,
    /// The whole image syntax (`![..](..)`, or the `<img>` tag).
    pub span: Span,
    /// Whether it stands alone on its line (nothing but whitespace around it).
    pub own_line: bool,
    /// Written as an HTML `<img>` tag.
    pub html: bool,
}

/// A markdown link `[text](target)` (or `<target>`, or a reference link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Where it points.
    pub target: String,
    /// The whole link syntax.
    pub span: Span,
    /// How many lists it sits in (0 outside lists); in `SUMMARY.md`, 1 for a chapter.
    pub list_depth: usize,
}

/// Markup the reader could not make sense of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A markdown text, read once.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    blocks: Vec<Block>,
    prose: Vec<Span>,
    math: Vec<Math>,
    claims: Vec<Claim>,
    citations: Vec<Span>,
    images: Vec<Image>,
    links: Vec<Link>,
    problems: Vec<Problem>,
}

impl<'a> Document<'a> {
    /// Read a markdown text. Never fails: markup it cannot read is prose, and malformed
    /// claims or citations are reported in [`Document::problems`].
    pub fn parse(source: &'a str) -> Document<'a> {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut doc = Document {
            source,
            line_starts,
            blocks: Vec::new(),
            prose: Vec::new(),
            math: Vec::new(),
            claims: Vec::new(),
            citations: Vec::new(),
            images: Vec::new(),
            links: Vec::new(),
            problems: Vec::new(),
        };
        Reader::default().read(&mut doc);
        doc.blocks = doc.cut_blocks();
        doc
    }

    /// The text that was read.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// The text of a source range.
    pub fn text(&self, range: &Range<usize>) -> &'a str {
        &self.source[range.clone()]
    }

    /// The source cut into code blocks and the prose between them, in order, whole lines
    /// each; together they are the whole source.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The code blocks, in order (also those inside lists and quotes).
    pub fn code_blocks(&self) -> impl Iterator<Item = &CodeBlock> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Code(c) => Some(c),
            Block::Prose(_) => None,
        })
    }

    /// The prose a reader reads, as source ranges in order. Left out: code blocks, inline
    /// code (and backtick spans in raw HTML), math, HTML tags and comments, the content
    /// of `<var>`, `<cite>` and `<code>` elements, link targets (and autolinks, whose
    /// text is their target), list markers and the rest of markdown's syntax.
    /// Neighbouring ranges may touch.
    pub fn prose(&self) -> &[Span] {
        &self.prose
    }

    /// Inline and display math, in order.
    pub fn math(&self) -> &[Math] {
        &self.math
    }

    /// Every `<var data-claim="key">text</var>`, in order.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// Every `<cite>...</cite>` (the element's whole range), in order.
    pub fn citations(&self) -> &[Span] {
        &self.citations
    }

    /// Every image, markdown or `<img>`, outside code, in order.
    pub fn images(&self) -> &[Image] {
        &self.images
    }

    /// Every markdown link outside code, in order.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Malformed markup, in order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    fn span(&self, range: Range<usize>) -> Span {
        Span {
            line: self.line(range.start),
            range,
        }
    }

    /// Extend a range to whole lines, the end's line ending included.
    fn whole_lines(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.line_starts[self.line(range.start) - 1];
        let end = if range.end > range.start && self.source.as_bytes()[range.end - 1] == b'\n' {
            range.end
        } else {
            let from = range.end.max(range.start);
            self.source[from..]
                .find('\n')
                .map_or(self.source.len(), |p| from + p + 1)
        };
        start..end
    }

    fn cut_blocks(&mut self) -> Vec<Block> {
        let code = std::mem::take(&mut self.blocks);
        let mut out = Vec::new();
        let mut at = 0;
        for block in code {
            if let Block::Code(c) = &block {
                if c.span.range.start > at {
                    out.push(Block::Prose(self.span(at..c.span.range.start)));
                }
                at = at.max(c.span.range.end);
            }
            out.push(block);
        }
        if at < self.source.len() {
            out.push(Block::Prose(self.span(at..self.source.len())));
        }
        out
    }
}

/// An HTML element whose content is not prose, open at `content`.
#[derive(Debug)]
struct Open {
    kind: Element,
    tag: Range<usize>,
    content: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Element {
    Claim(String),
    Cite,
    Code,
}

impl Element {
    fn name(&self) -> &'static str {
        match self {
            Element::Claim(_) => "var",
            Element::Cite => "cite",
            Element::Code => "code",
        }
    }
}

/// The reader's state while it walks pulldown-cmark's events.
#[derive(Default)]
struct Reader {
    /// The code block being read; its span is the block's raw range until it ends.
    code: Option<CodeBlock>,
    open: Vec<Open>,
    html_block: Option<Range<usize>>,
    list_depth: usize,
    autolinks: usize,
}

impl Reader {
    fn read(mut self, doc: &mut Document<'_>) {
        let source = doc.source;
        for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    self.block_boundary(doc);
                    let (fenced, info) = match kind {
                        CodeBlockKind::Fenced(info) => (true, Info::parse(&info)),
                        CodeBlockKind::Indented => (false, Info::default()),
                    };
                    let span = doc.span(range);
                    self.code = Some(CodeBlock {
                        span,
                        fenced,
                        info,
                        body: String::new(),
                    });
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(mut code) = self.code.take() {
                        code.span = doc.span(doc.whole_lines(&code.span.range));
                        doc.blocks.push(Block::Code(code));
                    }
                }
                Event::Text(text) => {
                    if let Some(code) = &mut self.code {
                        code.body.push_str(&text);
                    } else if self.html_block.is_none() {
                        self.text(doc, range);
                    }
                }
                Event::InlineMath(_) | Event::DisplayMath(_) => {
                    let display = matches!(event, Event::DisplayMath(_));
                    let span = doc.span(range);
                    doc.math.push(Math { span, display });
                }
                Event::InlineHtml(_) => self.html(doc, range),
                Event::Start(Tag::HtmlBlock) => {
                    self.block_boundary(doc);
                    self.html_block = Some(range);
                }
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some(block) = self.html_block.take() {
                        self.html(doc, block);
                    }
                    self.block_boundary(doc);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                        self.autolinks += 1;
                    }
                    let span = doc.span(range);
                    doc.links.push(Link {
                        target: dest_url.to_string(),
                        span,
                        list_depth: self.list_depth,
                    });
                }
                Event::End(TagEnd::Link) => {
                    // Links do not nest, so any open autolink is this one.
                    self.autolinks = 0;
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let image = image(doc, dest_url.to_string(), range, false);
                    doc.images.push(image);
                }
                Event::Start(Tag::List(_)) => {
                    self.block_boundary(doc);
                    self.list_depth += 1;
                }
                Event::End(TagEnd::List(_)) => {
                    self.block_boundary(doc);
                    self.list_depth = self.list_depth.saturating_sub(1);
                }
                Event::Start(tag) if !is_inline(&tag) => self.block_boundary(doc),
                Event::End(tag) if !is_inline_end(&tag) => self.block_boundary(doc),
                _ => {}
            }
        }
        self.block_boundary(doc);
    }

    /// Text in a paragraph, heading, table cell or list item.
    fn text(&mut self, doc: &mut Document<'_>, range: Range<usize>) {
        if self.open.is_empty() && self.autolinks == 0 && !range.is_empty() {
            doc.prose.push(doc.span(range));
        }
    }

    /// Elements do not continue past the block they open in: report and forget them.
    fn block_boundary(&mut self, doc: &mut Document<'_>) {
        for open in self.open.drain(..) {
            doc.problems.push(Problem {
                line: doc.line(open.tag.start),
                message: format!(
                    "<{}> is not closed before its paragraph ends",
                    open.kind.name()
                ),
            });
        }
    }

    /// Raw HTML: one inline tag or comment, or a whole HTML block. Tags and comments are
    /// not prose; `<var>`, `<cite>` and `<code>` elements open and close here; the text
    /// between tags is prose or math (mdbook-katex renders `$` math in HTML too).
    fn html(&mut self, doc: &mut Document<'_>, range: Range<usize>) {
        let source = doc.source;
        let mut at = range.start;
        let mut text_start = at;
        while at < range.end {
            let rest = &source[at..range.end];
            // In a `<code>` element only its closing tag matters.
            let in_code = self.open.iter().any(|o| o.kind == Element::Code);
            let found = if in_code {
                rest.find('<')
            } else {
                rest.find(['<', '$', '`'])
            };
            let Some(p) = found else {
                break;
            };
            let here = at + p;
            if rest[p..].starts_with('`') {
                let run = rest[p..].len() - rest[p..].trim_start_matches('`').len();
                match html_code(&source[here..range.end], run) {
                    Some(len) => {
                        self.html_text(doc, text_start..here);
                        at = here + len;
                        text_start = at;
                    }
                    None => at = here + run,
                }
                continue;
            }
            if rest[p..].starts_with('$') {
                if source[..here].ends_with('\\') {
                    at = here + 1;
                    continue;
                }
                match html_math(&source[here..range.end]) {
                    Some((len, display)) => {
                        self.html_text(doc, text_start..here);
                        let span = doc.span(here..here + len);
                        doc.math.push(Math { span, display });
                        at = here + len;
                        text_start = at;
                    }
                    None => at = here + 1,
                }
                continue;
            }
            match html_tag(&source[here..range.end]) {
                Some(tag) => {
                    self.html_text(doc, text_start..here);
                    let tag_range = here..here + tag.len;
                    self.tag(doc, &tag, tag_range);
                    at = here + tag.len;
                    text_start = at;
                }
                None => at = here + 1,
            }
        }
        self.html_text(doc, text_start..range.end);
    }

    fn html_text(&mut self, doc: &mut Document<'_>, range: Range<usize>) {
        if !range.is_empty() && self.open.is_empty() {
            doc.prose.push(doc.span(range));
        }
    }

    fn tag(&mut self, doc: &mut Document<'_>, tag: &HtmlTag<'_>, range: Range<usize>) {
        let element = match tag.name.to_ascii_lowercase().as_str() {
            "var" => Some(Element::Claim(String::new())),
            "cite" => Some(Element::Cite),
            "code" => Some(Element::Code),
            "img" if !tag.closing => {
                if let Some(src) = tag.attribute("src") {
                    let image = image(doc, src.to_string(), range.clone(), true);
                    doc.images.push(image);
                }
                None
            }
            _ => None,
        };
        let Some(element) = element else { return };
        let line = doc.line(range.start);
        if !tag.closing {
            let kind = match element {
                Element::Claim(_) => match tag.attribute("data-claim") {
                    Some(key) if !key.is_empty() => Element::Claim(key.to_string()),
                    _ => {
                        doc.problems.push(Problem {
                            line,
                            message: "<var> without a data-claim key: a number in it is \
                                      checked by nothing"
                                .to_string(),
                        });
                        Element::Claim(String::new())
                    }
                },
                other => other,
            };
            self.open.push(Open {
                kind,
                content: range.end,
                tag: range,
            });
            return;
        }
        let Some(i) = self
            .open
            .iter()
            .rposition(|o| o.kind.name() == element.name())
        else {
            doc.problems.push(Problem {
                line,
                message: format!("</{}> closes nothing", element.name()),
            });
            return;
        };
        // Elements opened inside this one and never closed end with it.
        for inner in self.open.drain(i + 1..).collect::<Vec<_>>() {
            doc.problems.push(Problem {
                line: doc.line(inner.tag.start),
                message: format!("<{}> is not closed", inner.kind.name()),
            });
        }
        let Some(open) = self.open.pop() else { return };
        let whole = open.tag.start..range.end;
        match open.kind {
            Element::Claim(key) if !key.is_empty() => doc.claims.push(Claim {
                key,
                text: doc.source[open.content..range.start].to_string(),
                line: doc.line(whole.start),
                range: whole,
            }),
            Element::Cite => {
                let span = doc.span(whole);
                doc.citations.push(span);
            }
            _ => {}
        }
    }
}

fn image(doc: &Document<'_>, target: String, range: Range<usize>, html: bool) -> Image {
    let lines = doc.whole_lines(&range);
    let own_line = doc.source[lines].trim() == doc.source[range.clone()].trim();
    Image {
        target,
        span: doc.span(range),
        own_line,
        html,
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// A code span in raw HTML, at a run of `run` backticks: up to the next run of exactly
/// as many. Returns its length.
fn html_code(text: &str, run: usize) -> Option<usize> {
    let mut at = run;
    while let Some(p) = text[at..].find('`') {
        let start = at + p;
        let len = text[start..].len() - text[start..].trim_start_matches('`').len();
        if len == run {
            return Some(start + len);
        }
        at = start + len;
    }
    None
}

/// Math in raw HTML, at a `$`: `$$...$$` or `$...$` closed later in the same text, the
/// opening `$` not escaped. Returns its length and whether it is display math.
fn html_math(text: &str) -> Option<(usize, bool)> {
    if let Some(body) = text.strip_prefix("$$") {
        return body.find("$$").map(|p| (p + 4, true));
    }
    let body = &text[1..];
    let p = body.find('$')?;
    (p > 0).then_some((p + 2, false))
}

/// One tag or comment at the start of a text.
struct HtmlTag<'a> {
    /// Lowercase or not, as written; empty for a comment or declaration.
    name: &'a str,
    closing: bool,
    attributes: Vec<(&'a str, &'a str)>,
    len: usize,
}

impl HtmlTag<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, v)| v)
    }
}

/// Read a tag (`<name attr="v">`, `</name>`), comment (`<!-- -->`) or declaration
/// (`<!...>`, `<?...?>`) at the start of `text`; None if `text` does not start with one.
fn html_tag(text: &str) -> Option<HtmlTag<'_>> {
    let other = |len| HtmlTag {
        name: "",
        closing: false,
        attributes: Vec::new(),
        len,
    };
    if let Some(rest) = text.strip_prefix("<!--") {
        return rest.find("-->").map(|p| other(p + 7));
    }
    if text.starts_with("<!") || text.starts_with("<?") {
        return text.find('>').map(|p| other(p + 1));
    }
    let (closing, rest) = match text[1..].strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, &text[1..]),
    };
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = &rest[..name_len];
    let mut attributes = Vec::new();
    let mut at = &rest[name_len..];
    loop {
        at = at.trim_start();
        if let Some(after) = at.strip_prefix("/>").or_else(|| at.strip_prefix('>')) {
            let len = text.len() - after.len();
            return Some(HtmlTag {
                name,
                closing,
                attributes,
                len,
            });
        }
        let attr_len = at
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/' | '"' | '\''))
            .unwrap_or(at.len());
        if attr_len == 0 {
            return None;
        }
        let attr = &at[..attr_len];
        at = at[attr_len..].trim_start();
        let mut value = "";
        if let Some(v) = at.strip_prefix('=') {
            let v = v.trim_start();
            let (val, after) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = v[1..].find(q)?;
                    (&v[1..end + 1], &v[end + 2..])
                }
                _ => {
                    let end = v
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(v.len());
                    (&v[..end], &v[end..])
                }
            };
            value = val;
            at = after;
        }
        attributes.push((attr, value));
    }
}

// ---------------------------------------------------------------------------------------
// The chapter as rustdoc reads it.

/// A chapter's Rust block that cannot be marked `no_run`: an indented block has no info
/// string to hold the mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indented {
    /// The 1-based line of the block.
    pub line: usize,
}

impl fmt::Display for Indented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the Rust code block on line {} is indented: fence it (```rust) so that its doctest can be marked no_run",
            self.line
        )
    }
}

impl std::error::Error for Indented {}

/// `markdown` with every block rustdoc would run ([`Info::executes`]) marked `no_run`
/// (`rust` becomes `rust,no_run`, a bare fence `no_run`), and nothing else changed: the
/// text a chapter crate gives rustdoc, so that `cargo test` compiles each of its code
/// blocks as a doctest and runs none of them. The chapter's claims test runs every one of
/// them instead (the `outputs` crate), in the process that computes the chapter's studies
/// once for its claims, figures and outputs; a doctest would compute them again in a
/// process of its own.
///
/// ```
/// let text = "# T\n\n```rust\nlet x = 1;\n```\n\n```\nlet y = 2;\n```\n\n```text\nout\n```\n\n```rust,ignore\nnot Rust\n```\n";
/// let marked = booktext::compile_only(text)?;
/// assert_eq!(marked, text.replacen("```rust\n", "```rust,no_run\n", 1).replacen("```\nlet y", "```no_run\nlet y", 1));
/// # Ok::<(), booktext::Indented>(())
/// ```
pub fn compile_only(markdown: &str) -> Result<String, Indented> {
    let doc = Document::parse(markdown);
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut done = 0;
    for code in doc.code_blocks().filter(|c| c.info.executes()) {
        if !code.fenced {
            return Err(Indented {
                line: code.span.line,
            });
        }
        let start = code.span.range.start;
        let fence_line = markdown[start..].split('\n').next().unwrap_or_default();
        let end = start + fence_line.trim_end().len();
        out.push_str(&markdown[done..end]);
        out.push_str(if code.info.raw.is_empty() {
            "no_run"
        } else {
            ",no_run"
        });
        done = end;
    }
    out.push_str(&markdown[done..]);
    Ok(out)
}

/// For a chapter crate's build script (`fn main() { booktext::chapter_doc(); }`): writes
/// `$OUT_DIR/chapter.md`, the chapter's text `src/<crate name>.md` with its blocks
/// compile-only ([`compile_only`]), which the crate's `lib.rs` makes its documentation
/// with `#![doc = book::chapter_doc!()]`; and tells Cargo to run again when the text
/// changes.
///
/// # Panics
///
/// When Cargo's variables are missing, the text cannot be read or written, or it holds an
/// indented Rust block: a build script reports a failure by panicking, with the reason.
pub fn chapter_doc() {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run from a build script"))
    };
    let text = std::path::Path::new(&var("CARGO_MANIFEST_DIR"))
        .join("../../src")
        .join(format!("{}.md", var("CARGO_PKG_NAME")));
    println!("cargo:rerun-if-changed={}", text.display());
    let markdown = std::fs::read_to_string(&text)
        .unwrap_or_else(|e| panic!("reading {}: {e}", text.display()));
    let doc = compile_only(&markdown).unwrap_or_else(|e| panic!("{}: {e}", text.display()));
    let out = std::path::Path::new(&var("OUT_DIR")).join("chapter.md");
    std::fs::write(&out, doc).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(doc: &Document<'a>, spans: impl IntoIterator<Item = &'a Span>) -> Vec<&'a str> {
        spans.into_iter().map(|s| doc.text(&s.range)).collect()
    }

    fn prose(md: &str) -> String {
        let doc = Document::parse(md);
        doc.prose()
            .iter()
            .map(|s| doc.text(&s.range))
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn blocks_cover_the_source_in_whole_lines() {
        let md = "Intro\n\n```rust\nlet a = 1;\n```\nMiddle\n- item\n  ~~~text\n  x\n  ~~~\n\nAfter\n\n    indented();\nEnd";
        let doc = Document::parse(md);
        let mut joined = String::new();
        let mut kinds = Vec::new();
        for block in doc.blocks() {
            let span = match block {
                Block::Prose(s) => {
                    kinds.push("prose".to_string());
                    s
                }
                Block::Code(c) => {
                    kinds.push(format!("{:?}", c.info.doctest()));
                    &c.span
                }
            };
            joined.push_str(doc.text(&span.range));
        }
        assert_eq!(joined, md);
        assert_eq!(
            kinds,
            [
                "prose", "Runs", "prose", "NotRust", "prose", "Runs", "prose"
            ]
        );
        let code: Vec<_> = doc.code_blocks().collect();
        assert_eq!(code[0].span.line, 3);
        assert_eq!(doc.text(&code[0].span.range), "```rust\nlet a = 1;\n```\n");
        assert_eq!(code[0].body, "let a = 1;\n");
        // A fence inside a list item: whole lines, and the body without the indentation.
        assert_eq!(doc.text(&code[1].span.range), "  ~~~text\n  x\n  ~~~\n");
        assert_eq!(code[1].body, "x\n");
        assert!(code[1].fenced);
        assert!(!code[2].fenced);
        assert_eq!(code[2].body, "indented();\n");
    }

    #[test]
    fn an_unclosed_fence_runs_to_the_end() {
        let doc = Document::parse("Text\n```rust\nlet open = 1;");
        let code: Vec<_> = doc.code_blocks().collect();
        assert_eq!(code.len(), 1);
        assert_eq!(code[0].body.trim_end(), "let open = 1;");
        assert_eq!(doc.text(&code[0].span.range), "```rust\nlet open = 1;");
    }

    #[test]
    fn info_strings_read_as_rustdoc_reads_them() {
        let cases = [
            ("", None, Doctest::Runs),
            ("rust", Some("rust"), Doctest::Runs),
            ("rust,no_run", Some("rust"), Doctest::Runs),
            ("rust edition2021", Some("rust"), Doctest::Runs),
            ("ignore", None, Doctest::ShownOnly),
            ("rust,ignore", Some("rust"), Doctest::ShownOnly),
            ("rust,should_panic", Some("rust"), Doctest::ShownOnly),
            ("compile_fail,E0277", None, Doctest::ShownOnly),
            ("rust,ignore-wasm32", Some("rust"), Doctest::ShownOnly),
            ("text", Some("text"), Doctest::NotRust),
            ("console", Some("console"), Doctest::NotRust),
            ("toml", Some("toml"), Doctest::NotRust),
            ("rust,custom", Some("rust"), Doctest::NotRust),
            // rustdoc: an attribute after an unknown token does not make it Rust, but
            // `rust` does.
            ("text,ignore", Some("text"), Doctest::NotRust),
            ("ignore,text", Some("text"), Doctest::ShownOnly),
            ("rust,foo", Some("rust"), Doctest::Runs),
        ];
        for (info, language, doctest) in cases {
            let i = Info::parse(info);
            assert_eq!(i.language.as_deref(), language, "{info:?}");
            assert_eq!(i.doctest(), doctest, "{info:?}");
        }
        let i = Info::parse(" rust, no_run ");
        assert_eq!(i.raw, "rust, no_run");
        assert_eq!(i.attributes, ["no_run"]);
    }

    /// The rustdoc book, "Documentation tests", "Hiding portions of the example": lines
    /// starting `# ` are hidden but compiled; `##` escapes a line that starts with `#`;
    /// rustdoc's `map_line` also hides a lone `#` and shows `#text` (an attribute).
    #[test]
    fn hidden_lines_follow_rustdoc() {
        let block = CodeBlock {
            span: Span {
                range: 0..0,
                line: 1,
            },
            fenced: true,
            info: Info::parse("rust"),
            body: "# use x::y;\nlet a = 1;\n    # let indented = 2;\n#\n  #  \n##[derive(Debug)]\nstruct S;\n#not_hidden\nlet s = \"foo\n## bar # baz\";\n#\tno\n".to_string(),
        };
        assert_eq!(
            block.code_lines(),
            [
                "use x::y;",
                "let a = 1;",
                "    let indented = 2;",
                "",
                "",
                "#[derive(Debug)]",
                "struct S;",
                "#not_hidden",
                "let s = \"foo",
                "# bar # baz\";",
                "#\tno",
            ]
        );
        assert_eq!(
            block.shown_lines(),
            [
                "let a = 1;",
                "#[derive(Debug)]",
                "struct S;",
                "#not_hidden",
                "let s = \"foo",
                "# bar # baz\";",
                "#\tno",
            ]
        );
    }

    #[test]
    fn claims_and_citations() {
        let md = "A <var data-claim=\"a\">0.5</var> and <var data-claim=\"b\">12.5 %</var>\n\
                  by <cite>Glorot and Bengio, 2010</cite>.\n\n| x | <var data-claim=\"c\">3</var> |\n|---|---|\n";
        let doc = Document::parse(md);
        let claims: Vec<_> = doc
            .claims()
            .iter()
            .map(|c| (c.key.as_str(), c.text.as_str(), c.line))
            .collect();
        assert_eq!(claims, [("a", "0.5", 1), ("b", "12.5 %", 1), ("c", "3", 4)]);
        assert_eq!(
            texts(&doc, doc.citations()),
            ["<cite>Glorot and Bengio, 2010</cite>"]
        );
        assert_eq!(doc.citations()[0].line, 2);
        assert!(doc.problems().is_empty(), "{:?}", doc.problems());
        assert_eq!(prose(md), "A | and |by |.|x");
    }

    #[test]
    fn claims_and_math_inside_html_blocks() {
        let md = "1. **Q.** Ask.\n   <details><summary>Hint</summary>The $q^l$ and\n   <var data-claim=\"k\">7</var> <code>x2 $y$</code> $$a = 1$$ `f(3)` cost $5.</details>\n2. Next\n";
        let doc = Document::parse(md);
        assert_eq!(doc.claims().len(), 1);
        assert_eq!(doc.claims()[0].text, "7");
        assert_eq!(doc.claims()[0].line, 3);
        assert_eq!(
            texts(&doc, doc.math().iter().map(|m| &m.span)),
            ["$q^l$", "$$a = 1$$"]
        );
        assert_eq!(
            prose(md),
            "Q.| Ask.|Hint|The | and\n   | | | | cost $5.|\n|Next"
        );
    }

    #[test]
    fn math_code_and_escapes() {
        let md = "Math $W^1 = 2$ and $$x = 7$$, code `a $3$ b` and ``x`4``, \\$5 not math.\n\n$$\ny = 8\n$$\n";
        let doc = Document::parse(md);
        assert_eq!(
            texts(&doc, doc.math().iter().map(|m| &m.span)),
            ["$W^1 = 2$", "$$x = 7$$", "$$\ny = 8\n$$"]
        );
        assert_eq!(
            doc.math().iter().map(|m| m.display).collect::<Vec<_>>(),
            [false, true, true]
        );
        assert_eq!(prose(md), "Math | and |, code | and |, |$5 not math.");
    }

    #[test]
    fn images_links_and_summary_lists() {
        let md = "[Intro](intro.md)\n\n<!-- comment\n- [Hidden](hidden.md)\n-->\n- [Zero](zero.md)\n  - [Sub](sub.md)\n\n![a](figures/x/a.svg)\n\n```\n![no](b.svg)\n```\n<img src=\"c.png\" width=\"3\"> ![t](d.svg \"title\") <https://example.org/2>\n";
        let doc = Document::parse(md);
        let links: Vec<_> = doc
            .links()
            .iter()
            .map(|l| (l.target.as_str(), l.list_depth, l.span.line))
            .collect();
        assert_eq!(
            links,
            [
                ("intro.md", 0, 1),
                ("zero.md", 1, 6),
                ("sub.md", 2, 7),
                ("https://example.org/2", 0, 14)
            ]
        );
        let images: Vec<_> = doc
            .images()
            .iter()
            .map(|i| (i.target.as_str(), i.own_line, i.html, i.span.line))
            .collect();
        assert_eq!(
            images,
            [
                ("figures/x/a.svg", true, false, 9),
                ("c.png", false, true, 14),
                ("d.svg", false, false, 14)
            ]
        );
        // The autolink's digits are its target, not prose.
        assert!(!prose(md).contains('2'), "{}", prose(md));
    }

    #[test]
    fn malformed_markup_is_reported_with_its_line() {
        let md = "Fine.\n\nA <var data-claim=\"k\">1\n\nlater</var> and <var>2</var> <cite>x\n";
        let doc = Document::parse(md);
        let problems: Vec<String> = doc.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "line 3: <var> is not closed before its paragraph ends",
                "line 5: </var> closes nothing",
                "line 5: <var> without a data-claim key: a number in it is checked by nothing",
                "line 5: <cite> is not closed before its paragraph ends",
            ]
        );
        assert!(doc.claims().is_empty());
    }

    #[test]
    fn odd_markdown_does_not_panic() {
        for md in [
            "",
            "\n",
            "```",
            "~~~~\n",
            "<",
            "<var",
            "<var data-claim=\"",
            "<var data-claim='k'>",
            "</var>",
            "$",
            "$$",
            "<!--",
            "<details>\n$",
            "<details>\n$$ x",
            "<img src=>",
            "<img src=\"a",
            "> ```rust\n> # x\n",
            "- ```\n  a\n- b",
            "é<var data-claim=\"é\">ü</var>\u{a0}",
            "\r\n```rust\r\n# a\r\n```\r\n",
            "[a]: b\n![x][a]",
            "| a |\n|---|\n| `1` |",
        ] {
            let doc = Document::parse(md);
            let mut joined = String::new();
            for block in doc.blocks() {
                let span = match block {
                    Block::Prose(s) => s,
                    Block::Code(c) => &c.span,
                };
                joined.push_str(doc.text(&span.range));
            }
            assert_eq!(joined, md, "blocks of {md:?}");
            for span in doc.prose() {
                assert!(span.line >= 1 && span.line <= md.lines().count().max(1));
            }
        }
    }

    #[test]
    fn lines_are_one_based() {
        let doc = Document::parse("a\nb\n\nc");
        assert_eq!(doc.line(0), 1);
        assert_eq!(doc.line(1), 1);
        assert_eq!(doc.line(2), 2);
        assert_eq!(doc.line(5), 4);
        assert_eq!(doc.line(6), 4);
    }
}

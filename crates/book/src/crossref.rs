//! Citations, figure numbers and captions: what the book's mdBook preprocessor
//! (`cargo xtask book-preprocessor`) does to a chapter's markdown before it is rendered.
//!
//! - **Citations.** `<cite>He et al., 2015</cite>` links to its entry in the bibliography,
//!   `references.md`, whose anchor is the citation's [`key`] (`he2015`: the first author's
//!   name in lower case and the year). Every citation is set in square brackets, and
//!   citations that stand side by side share one pair: `[Poole et al., 2016; Schoenholz et
//!   al., 2017]`. The chapters keep the plain `<cite>` (the claims check allows digits
//!   there); [`link_citations`] writes the links.
//! - **Figures.** A chart (`![caption](figures/<chapter>/<name>.svg)` on a line of its own)
//!   becomes a numbered figure with its alt text as a one-line caption beneath it: the
//!   `k`-th chart of chapter `n` is Figure n.k (the introduction, which mdBook does not
//!   number, is chapter 0), with the anchor `#fig-<name>`. The image is a `<picture>`:
//!   where the window is at most [`PHONE_MAX_WIDTH_PX`] wide (too narrow for the 600 px
//!   chart at full size) the browser shows the chart's phone variant,
//!   `<name>.phone.svg`, drawn 350 px wide by the charts crate from the same data, so
//!   that its text stays at least 12 px; elsewhere the 600 px chart. The text refers to it by
//!   number with the link `[Figure](#fig-<name>)`, which [`number_figures`] completes to
//!   `[Figure 4.2](#fig-<name>)`; a reference to no figure of the page is an error.
//!
//! ```
//! use book::crossref::{key, link_citations, number_figures};
//!
//! assert_eq!(key("Li, Johnson and Yeung, 2017").as_deref(), Some("li2017"));
//! let md = "As <cite>He et al., 2015</cite> show.\n";
//! assert!(link_citations(md).contains("<a href=\"references.html#he2015\">He et al., 2015</a>"));
//! let md = "See [Figure](#fig-loss).\n\n![Loss by epoch](figures/zero/loss.svg)\n";
//! let out = number_figures(md, Some(1))?;
//! assert!(out.starts_with("See [Figure 1.1](#fig-loss)."));
//! assert!(out.contains("<figure class=\"chart\" id=\"fig-loss\">"));
//! assert!(out.contains("<figcaption><span class=\"figure-number\">Figure 1.1</span> Loss by epoch</figcaption>"));
//! # Ok::<(), book::Error>(())
//! ```

use crate::markdown::Document;
use crate::{Error, Result};

/// The widest window, in CSS px, that shows a chart's phone variant: the 600 px chart needs
/// a 640 px window (mdBook's page and content padding take 40 px) to be shown at its size.
pub const PHONE_MAX_WIDTH_PX: u32 = 639;

/// The file of a chart's phone variant: `figures/x/a.phone.svg` for `figures/x/a.svg`.
pub fn phone_variant(target: &str) -> String {
    match target.strip_suffix(".svg") {
        Some(stem) => format!("{stem}.phone.svg"),
        None => target.to_string(),
    }
}

/// The page of the bibliography, as mdBook names it in the built book.
pub const REFERENCES_PAGE: &str = "references.html";

/// The bibliography key of a citation's text: the first author's surname in lower-case
/// ASCII letters and the year (`"He et al., 2015"` -> `he2015`). None when the text does
/// not end in a four-digit year or does not start with a name.
pub fn key(citation: &str) -> Option<String> {
    let text = citation.trim();
    let year = text.get(text.len().checked_sub(4)?..)?;
    if !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let name: String = text
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '\'')
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!name.is_empty()).then(|| format!("{name}{year}"))
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `markdown` with every `<cite>` linked to its bibliography entry and set in square
/// brackets, citations side by side sharing one pair. A citation without a [`key`] keeps
/// its brackets but no link (the workspace test fails on it).
pub fn link_citations(markdown: &str) -> String {
    let doc = Document::parse(markdown);
    let mut groups: Vec<(usize, usize, Vec<String>)> = Vec::new(); // start, end, texts
    for c in doc.citations() {
        let whole = doc.text(&c.range);
        let inner = whole
            .strip_prefix("<cite>")
            .and_then(|s| s.strip_suffix("</cite>"))
            .unwrap_or(whole);
        let link = match key(inner) {
            Some(k) => format!("<a href=\"{REFERENCES_PAGE}#{k}\">{}</a>", inner.trim()),
            None => inner.trim().to_string(),
        };
        match groups.last_mut() {
            Some((_, end, links)) if markdown[*end..c.range.start].trim().is_empty() => {
                links.push(link);
                *end = c.range.end;
            }
            _ => groups.push((c.range.start, c.range.end, vec![link])),
        }
    }
    let mut out = String::with_capacity(markdown.len() + groups.len() * 48);
    let mut done = 0;
    for (start, end, links) in groups {
        out.push_str(&markdown[done..start]);
        out.push_str(&format!("<cite>&#91;{}&#93;</cite>", links.join("; ")));
        done = end;
    }
    out.push_str(&markdown[done..]);
    out
}

/// A chart the text shows: its name (the file stem), its alt text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// The file stem, `signal-depth` for `figures/he/signal-depth.svg`.
    pub name: String,
    /// The alt text, also the caption.
    pub alt: String,
    /// The target as written.
    pub target: String,
    /// The `![..](..)` syntax's byte range.
    pub range: std::ops::Range<usize>,
    /// Its 1-based line.
    pub line: usize,
}

/// The charts of a chapter, in order: every `![alt](figures/...)` on a line of its own.
pub fn charts(markdown: &str) -> Vec<Chart> {
    let doc = Document::parse(markdown);
    doc.images()
        .iter()
        .filter(|i| i.own_line && !i.html && i.target.starts_with("figures/"))
        .map(|i| {
            let syntax = doc.text(&i.span.range);
            let alt = syntax
                .strip_prefix("![")
                .and_then(|s| s.rfind("](").map(|e| &s[..e]))
                .unwrap_or_default()
                .to_string();
            let file = i.target.rsplit('/').next().unwrap_or(&i.target);
            let name = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
            Chart {
                name: name.to_string(),
                alt,
                target: i.target.clone(),
                range: i.span.range.clone(),
                line: i.span.line,
            }
        })
        .collect()
}

/// `markdown` with every chart a numbered figure with its caption, and every link
/// `[Figure](#fig-<name>)` completed with the figure's number. `chapter` is mdBook's
/// number of the chapter (None for an unnumbered one, whose figures are 0.k). Fails,
/// naming the line, on a chart without alt text, two charts of one name, and a
/// reference to no chart of the page.
pub fn number_figures(markdown: &str, chapter: Option<u32>) -> Result<String> {
    let charts = charts(markdown);
    let n = chapter.unwrap_or(0);
    let numbers: Vec<String> = (1..=charts.len()).map(|k| format!("{n}.{k}")).collect();
    for (i, c) in charts.iter().enumerate() {
        if c.alt.trim().is_empty() {
            return Err(Error::Markers {
                line: c.line,
                problem: format!("the chart {} has no alt text for its caption", c.target),
            });
        }
        if charts[..i].iter().any(|d| d.name == c.name) {
            return Err(Error::Markers {
                line: c.line,
                problem: format!("two charts are named {:?}", c.name),
            });
        }
    }
    let doc = Document::parse(markdown);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for link in doc.links() {
        let Some(name) = link.target.strip_prefix("#fig-") else {
            continue;
        };
        let Some(k) = charts.iter().position(|c| c.name == name) else {
            return Err(Error::Markers {
                line: link.span.line,
                problem: format!("{} refers to no chart of this page", link.target),
            });
        };
        let syntax = doc.text(&link.span.range);
        if let Some(rest) = syntax.strip_prefix("[Figure]") {
            edits.push((
                link.span.range.clone(),
                format!("[Figure {}]{rest}", numbers[k]),
            ));
        }
    }
    for (c, number) in charts.iter().zip(&numbers) {
        let alt = escape_html(c.alt.trim());
        edits.push((
            c.range.clone(),
            format!(
                "<figure class=\"chart\" id=\"fig-{}\">\n<picture><source media=\"(max-width: {PHONE_MAX_WIDTH_PX}px)\" srcset=\"{}\"><img src=\"{}\" alt=\"{alt}\"></picture>\n<figcaption><span class=\"figure-number\">Figure {number}</span> {alt}</figcaption>\n</figure>",
                c.name,
                escape_html(&phone_variant(&c.target)),
                escape_html(&c.target)
            ),
        ));
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(markdown.len() + edits.len() * 120);
    let mut done = 0;
    for (range, text) in edits {
        out.push_str(&markdown[done..range.start]);
        out.push_str(&text);
        done = range.end;
    }
    out.push_str(&markdown[done..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_first_surname_and_the_year() {
        assert_eq!(key("He et al., 2015").as_deref(), Some("he2015"));
        assert_eq!(key("LeCun et al., 1998").as_deref(), Some("lecun1998"));
        assert_eq!(
            key("Glorot and Bengio, 2010").as_deref(),
            Some("glorot2010")
        );
        assert_eq!(key("Yang, 2019").as_deref(), Some("yang2019"));
        assert_eq!(key("He et al."), None);
        assert_eq!(key("2015"), None);
    }

    #[test]
    fn side_by_side_citations_share_one_pair_of_brackets() {
        let md = "theory <cite>Poole et al., 2016</cite> <cite>Schoenholz et al., 2017</cite> gives; (<cite>Cho and Saul, 2009</cite>; see)\n";
        let out = link_citations(md);
        assert_eq!(
            out,
            "theory <cite>&#91;<a href=\"references.html#poole2016\">Poole et al., 2016</a>; <a href=\"references.html#schoenholz2017\">Schoenholz et al., 2017</a>&#93;</cite> gives; (<cite>&#91;<a href=\"references.html#cho2009\">Cho and Saul, 2009</a>&#93;</cite>; see)\n"
        );
    }

    #[test]
    fn figures_are_numbered_in_order_and_references_resolve() {
        let md = "![A & B](figures/x/a.svg)\n\nText [Figure](#fig-b) and [Figure](#fig-a).\n\n![B](figures/x/b.svg)\n";
        let out = number_figures(md, None).unwrap();
        assert!(out.contains("Text [Figure 0.2](#fig-b) and [Figure 0.1](#fig-a)."));
        assert!(out.contains(
            "id=\"fig-a\">\n<picture><source media=\"(max-width: 639px)\" srcset=\"figures/x/a.phone.svg\"><img src=\"figures/x/a.svg\" alt=\"A &amp; B\"></picture>"
        ));
        assert!(out.contains("Figure 0.2</span> B</figcaption>"));
        let err = number_figures("[Figure](#fig-nope)\n", Some(2)).unwrap_err();
        assert!(
            err.to_string().contains("#fig-nope refers to no chart"),
            "{err}"
        );
        let err = number_figures("![](figures/x/a.svg)\n", Some(2)).unwrap_err();
        assert!(err.to_string().contains("no alt text"), "{err}");
    }
}

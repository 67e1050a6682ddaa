//! Reading a chart back from its SVG to check that it reads at the size it is shown:
//! every text at least [`MIN_TEXT_PX`] when the chart is displayed in the book's column,
//! no legend over data, no text over text or off the canvas.
//!
//! Every chart this crate renders passes [`Audit::problems`] (rendering fails otherwise),
//! and the same check can be run on committed files by anyone, with [`Audit::of`].

use crate::frame::Obstacle;
use crate::svg::{Anchor, Font, Rect, text_box};
use crate::{COLUMN_WIDTH_PX, Error, MIN_TEXT_PX};

/// One `<text>` element of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    /// What it says.
    pub text: String,
    /// Its smallest font size in SVG px (a sub- or superscript may be set smaller than
    /// the rest).
    pub size: f64,
    bounds: Rect,
}

impl TextItem {
    /// The top left corner of its estimated extent.
    #[cfg(test)]
    pub(crate) fn position(&self) -> (f64, f64) {
        (self.bounds.x0, self.bounds.y0)
    }
}

/// What a chart's SVG shows, read back from the SVG this crate writes: its size, its
/// texts, its legend boxes and the extent of its data marks.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Width of the SVG in px (its `width` attribute).
    pub width: f64,
    /// Height of the SVG in px.
    pub height: f64,
    /// Every text element.
    pub texts: Vec<TextItem>,
    legends: Vec<Rect>,
    marks: Vec<Obstacle>,
}

impl Audit {
    /// Read an SVG written by this crate.
    pub fn of(svg: &str) -> Result<Audit, Error> {
        parse(svg)
    }

    /// The smallest text, in CSS px, when the chart is shown `display_width` px wide at
    /// most (an `<img>` at most as wide as the column: a narrower chart is shown at its
    /// own size).
    pub fn smallest_text_px(&self, display_width: f64) -> f64 {
        let scale = display_width.min(self.width) / self.width;
        self.texts
            .iter()
            .map(|t| t.size * scale)
            .fold(f64::INFINITY, f64::min)
    }

    /// Number of legends.
    pub fn legends(&self) -> usize {
        self.legends.len()
    }

    /// Number of data marks (points, line segments, boxes) drawn.
    pub fn marks(&self) -> usize {
        self.marks.len()
    }

    /// What keeps the chart from reading well, in words; empty when it reads well: text
    /// under [`MIN_TEXT_PX`] at the book's column width ([`COLUMN_WIDTH_PX`]), a legend
    /// box that any data mark meets, text off the canvas, and texts that overlap (by
    /// their estimated extent).
    pub fn problems(&self) -> Vec<String> {
        self.problems_at(COLUMN_WIDTH_PX)
    }

    /// What keeps the chart from reading well when the book shows it at most
    /// `display_width` px wide: [`Audit::problems`] for the desktop column, and for a
    /// chart's phone variant at [`crate::PHONE_WIDTH_PX`].
    pub fn problems_at(&self, display_width: f64) -> Vec<String> {
        let mut out = Vec::new();
        let scale = display_width.min(self.width) / self.width;
        for t in &self.texts {
            if t.size * scale < MIN_TEXT_PX - 1e-9 {
                out.push(format!(
                    "text {:?} is {:.1} px when shown {display_width} px wide, under the minimum {MIN_TEXT_PX} px",
                    t.text,
                    t.size * scale
                ));
            }
            let canvas = Rect {
                x0: 0.0,
                y0: 0.0,
                x1: self.width,
                y1: self.height,
            };
            if !canvas.contains(&t.bounds, 1.0) {
                out.push(format!("text {:?} runs off the canvas", t.text));
            }
        }
        for (i, a) in self.texts.iter().enumerate() {
            for b in &self.texts[i + 1..] {
                if a.bounds.inflate(-1.0).overlaps(&b.bounds.inflate(-1.0)) {
                    out.push(format!("texts {:?} and {:?} overlap", a.text, b.text));
                }
            }
        }
        for (i, legend) in self.legends.iter().enumerate() {
            if let Some(m) = self.marks.iter().find(|m| m.meets(legend)) {
                out.push(format!("legend {i} covers data: {m:?}"));
            }
        }
        out
    }
}

/// The attributes of a start tag, in order.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].split_whitespace().last().unwrap_or("");
        let value_start = eq + 2;
        let Some(end) = rest[value_start..].find('"') else {
            break;
        };
        out.push((name, &rest[value_start..value_start + end]));
        rest = &rest[value_start + end + 1..];
    }
    out
}

fn attr<'a>(attrs: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn number(attrs: &[(&str, &str)], name: &str, tag: &str) -> Result<f64, Error> {
    attr(attrs, name)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Error::Draw(format!("<{tag}> without a numeric {name}")))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Numbers in a list such as `points` or path data (commands dropped).
fn numbers(s: &str) -> Vec<f64> {
    s.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// The subpaths of absolute path data (M, L, H, V, Z), as point lists.
fn subpaths(d: &str) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut pos = (0.0, 0.0);
    let mut chars = d.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_ascii_alphabetic() {
            continue;
        }
        let end = d[i + 1..]
            .find(|ch: char| ch.is_ascii_alphabetic() && ch != 'e')
            .map_or(d.len(), |e| i + 1 + e);
        let args = numbers(&d[i + 1..end]);
        match c {
            'M' if args.len() >= 2 => {
                pos = (args[0], args[1]);
                out.push(vec![pos]);
            }
            'L' if args.len() >= 2 => {
                for p in args.chunks(2) {
                    if p.len() == 2 {
                        pos = (p[0], p[1]);
                        if let Some(last) = out.last_mut() {
                            last.push(pos);
                        }
                    }
                }
            }
            'H' if !args.is_empty() => {
                pos.0 = args[0];
                if let Some(last) = out.last_mut() {
                    last.push(pos);
                }
            }
            'V' if !args.is_empty() => {
                pos.1 = args[0];
                if let Some(last) = out.last_mut() {
                    last.push(pos);
                }
            }
            _ => {}
        }
        while chars.peek().is_some_and(|(j, _)| *j < end) {
            chars.next();
        }
    }
    out
}

fn bounding(points: &[(f64, f64)]) -> Rect {
    points.iter().fold(
        Rect {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        },
        |r, &(x, y)| Rect {
            x0: r.x0.min(x),
            y0: r.y0.min(y),
            x1: r.x1.max(x),
            y1: r.y1.max(y),
        },
    )
}

fn parse(svg: &str) -> Result<Audit, Error> {
    let mut audit = Audit {
        width: 0.0,
        height: 0.0,
        texts: Vec::new(),
        legends: Vec::new(),
        marks: Vec::new(),
    };
    // The class of every open group, innermost last.
    let mut groups: Vec<Option<String>> = Vec::new();
    let mut legend_box_pending = false;
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after
            .find('>')
            .ok_or_else(|| Error::Draw("unterminated tag".into()))?;
        let tag = &after[..close];
        rest = &after[close + 1..];
        let name = tag.split_whitespace().next().unwrap_or("");
        let attrs = attributes(tag);
        let in_class = |class: &str| groups.iter().any(|g| g.as_deref() == Some(class));
        match name {
            "svg" => {
                audit.width = number(&attrs, "width", "svg")?;
                audit.height = number(&attrs, "height", "svg")?;
            }
            "g" => {
                let class = attr(&attrs, "class").map(str::to_string);
                if class.as_deref() == Some("legend") {
                    legend_box_pending = true;
                }
                groups.push(class);
            }
            "/g" => {
                groups.pop();
            }
            "text" => {
                let end = rest
                    .find("</text>")
                    .ok_or_else(|| Error::Draw("unterminated <text>".into()))?;
                let inner = &rest[..end];
                rest = &rest[end + 7..];
                let mut size = number(&attrs, "font-size", "text")?;
                let mut content = String::new();
                let mut body = inner;
                while let Some(lt) = body.find('<') {
                    content.push_str(&body[..lt]);
                    let gt = body[lt..]
                        .find('>')
                        .ok_or_else(|| Error::Draw("unterminated <tspan>".into()))?;
                    let inner_tag = &body[lt + 1..lt + gt];
                    if let Some(s) = attr(&attributes(inner_tag), "font-size") {
                        let s: f64 = s
                            .parse()
                            .map_err(|_| Error::Draw(format!("bad tspan font-size {s}")))?;
                        size = size.min(s);
                    }
                    body = &body[lt + gt + 1..];
                }
                content.push_str(body);
                let content = unescape(&content);
                let anchor = match attr(&attrs, "text-anchor") {
                    Some("middle") => Anchor::Middle,
                    Some("end") => Anchor::End,
                    _ => Anchor::Start,
                };
                let base = number(&attrs, "font-size", "text")?;
                let mut font = Font::new(base).anchor(anchor);
                font.bold = attr(&attrs, "font-weight") == Some("bold");
                font.vertical = attr(&attrs, "transform").is_some_and(|t| t.contains("rotate(-90"));
                let x = number(&attrs, "x", "text")?;
                let y = number(&attrs, "y", "text")?;
                audit.texts.push(TextItem {
                    bounds: text_box(&content, &font, x, y),
                    text: content,
                    size,
                });
            }
            "rect" if legend_box_pending && in_class("legend") => {
                legend_box_pending = false;
                let x = number(&attrs, "x", "rect")?;
                let y = number(&attrs, "y", "rect")?;
                audit.legends.push(Rect {
                    x0: x,
                    y0: y,
                    x1: x + number(&attrs, "width", "rect")?,
                    y1: y + number(&attrs, "height", "rect")?,
                });
            }
            "rect" if in_class("data") => {
                let x = number(&attrs, "x", "rect")?;
                let y = number(&attrs, "y", "rect")?;
                audit.marks.push(Obstacle::Box(Rect {
                    x0: x,
                    y0: y,
                    x1: x + number(&attrs, "width", "rect")?,
                    y1: y + number(&attrs, "height", "rect")?,
                }));
            }
            "circle" if in_class("data") => {
                let (x, y) = (
                    number(&attrs, "cx", "circle")?,
                    number(&attrs, "cy", "circle")?,
                );
                let r = number(&attrs, "r", "circle")?;
                audit
                    .marks
                    .push(Obstacle::Box(Rect::spanning((x, y), (x, y)).inflate(r)));
            }
            "line" if in_class("data") => {
                audit.marks.push(Obstacle::Segment(
                    (number(&attrs, "x1", "line")?, number(&attrs, "y1", "line")?),
                    (number(&attrs, "x2", "line")?, number(&attrs, "y2", "line")?),
                ));
            }
            "polyline" if in_class("data") => {
                let v = numbers(attr(&attrs, "points").unwrap_or(""));
                let pts: Vec<(f64, f64)> = v.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                audit
                    .marks
                    .extend(pts.windows(2).map(|w| Obstacle::Segment(w[0], w[1])));
                if pts.len() == 1 {
                    audit.marks.push(Obstacle::Box(bounding(&pts)));
                }
            }
            "path" if in_class("data") => {
                for sub in subpaths(attr(&attrs, "d").unwrap_or("")) {
                    if sub.len() == 2 {
                        audit.marks.push(Obstacle::Segment(sub[0], sub[1]));
                    } else if !sub.is_empty() {
                        audit.marks.push(Obstacle::Box(bounding(&sub)));
                    }
                }
            }
            _ => {}
        }
    }
    if audit.width <= 0.0 || audit.height <= 0.0 {
        return Err(Error::Draw("an SVG without a width and height".into()));
    }
    Ok(audit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_reads_back_as_subpaths() {
        assert_eq!(
            subpaths("M1 2H5V7H1ZM10 10L12 14"),
            vec![
                vec![(1.0, 2.0), (5.0, 2.0), (5.0, 7.0), (1.0, 7.0)],
                vec![(10.0, 10.0), (12.0, 14.0)]
            ]
        );
        assert_eq!(numbers("1,2 -3.5,4e-1"), vec![1.0, 2.0, -3.5, 0.4]);
    }

    #[test]
    fn a_legend_over_data_small_text_and_overlaps_are_problems() {
        let svg = "<svg width=\"1000\" height=\"400\">\
            <text x=\"10\" y=\"20\" font-size=\"14\">tiny at 750</text>\
            <text x=\"12\" y=\"22\" font-size=\"20\">over it</text>\
            <g class=\"data\"><circle cx=\"100\" cy=\"100\" r=\"4\"/></g>\
            <g class=\"legend\"><rect x=\"90\" y=\"90\" width=\"50\" height=\"30\"/></g>\
            <text x=\"990\" y=\"200\" font-size=\"20\">off the edge</text>\
            </svg>";
        let audit = Audit::of(svg).unwrap();
        assert_eq!(audit.texts.len(), 3);
        assert_eq!(audit.legends(), 1);
        assert_eq!(audit.marks(), 1);
        assert!((audit.smallest_text_px(750.0) - 10.5).abs() < 1e-9);
        let problems = audit.problems().join("\n");
        assert!(
            problems.contains("\"tiny at 750\" is 10.5 px"),
            "{problems}"
        );
        assert!(problems.contains("legend 0 covers data"), "{problems}");
        assert!(problems.contains("overlap"), "{problems}");
        assert!(problems.contains("\"off the edge\" runs off"), "{problems}");
    }
}

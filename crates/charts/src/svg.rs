//! A small SVG writer: the few elements the charts use, with coordinates rounded to a
//! tenth of a pixel so that output is compact and the same on every platform.

use std::fmt::Write as _;

use crate::style::{FONT_FAMILY, TEXT};
use crate::text::{self, Shift};

/// An axis-aligned rectangle in pixels (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
}

impl Rect {
    /// The rectangle spanned by two corners in any order.
    pub(crate) fn spanning((ax, ay): (f64, f64), (bx, by): (f64, f64)) -> Self {
        Rect {
            x0: ax.min(bx),
            y0: ay.min(by),
            x1: ax.max(bx),
            y1: ay.max(by),
        }
    }
    pub(crate) fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub(crate) fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    /// Grown by `d` on every side.
    pub(crate) fn inflate(&self, d: f64) -> Self {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
    /// Whether the two rectangles share interior points.
    pub(crate) fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    /// Whether `o` lies inside this rectangle (edges included, with a tolerance of
    /// `slack` px).
    pub(crate) fn contains(&self, o: &Rect, slack: f64) -> bool {
        o.x0 >= self.x0 - slack
            && o.y0 >= self.y0 - slack
            && o.x1 <= self.x1 + slack
            && o.y1 <= self.y1 + slack
    }
    /// Whether the segment from `a` to `b` passes through the rectangle's interior
    /// (Liang–Barsky clipping).
    pub(crate) fn meets_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 >= t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// A coordinate as the SVG writes it: rounded to 0.1 px, without a trailing `.0`.
pub(crate) fn px(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// How a line of text is placed and set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub(crate) size: f64,
    pub(crate) bold: bool,
    pub(crate) anchor: Anchor,
    /// Rotated a quarter turn counter-clockwise about its anchor point (a y axis label).
    pub(crate) vertical: bool,
}

impl Font {
    pub(crate) fn new(size: f64) -> Self {
        Font {
            size,
            bold: false,
            anchor: Anchor::Start,
            vertical: false,
        }
    }
    pub(crate) fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub(crate) fn anchor(mut self, anchor: Anchor) -> Self {
        self.anchor = anchor;
        self
    }
    pub(crate) fn vertical(mut self) -> Self {
        self.vertical = true;
        self
    }
    /// Distance from the baseline up to the top of the tallest glyphs.
    pub(crate) fn ascent(&self) -> f64 {
        0.78 * self.size
    }
    /// Distance from the baseline down to the bottom of descenders.
    pub(crate) fn descent(&self) -> f64 {
        0.24 * self.size
    }
    /// Baseline to baseline.
    pub(crate) fn line_height(&self) -> f64 {
        (1.25 * self.size).round()
    }
}

/// Horizontal alignment of text on its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// The box estimated for `label` set in `font` with its anchor point at (x, y), y being the
/// baseline (before any rotation; for vertical text, the rotated box).
pub(crate) fn text_box(label: &str, font: &Font, x: f64, y: f64) -> Rect {
    let w = text::width(label, font.size, font.bold);
    let (before, after) = match font.anchor {
        Anchor::Start => (0.0, w),
        Anchor::Middle => (w / 2.0, w / 2.0),
        Anchor::End => (w, 0.0),
    };
    if font.vertical {
        // Rotated by -90 degrees about (x, y): the text runs upwards, its top to the left.
        Rect {
            x0: x - font.ascent(),
            y0: y - after,
            x1: x + font.descent(),
            y1: y + before,
        }
    } else {
        Rect {
            x0: x - before,
            y0: y - font.ascent(),
            x1: x + after,
            y1: y + font.descent(),
        }
    }
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// A document of `width` x `height` px with an opaque white background, the book's
    /// font and text colour, and `title` as its accessible name.
    pub(crate) fn new(width: f64, height: f64, title: &str) -> Self {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" fill=\"{TEXT}\" role=\"img\">",
            w = px(width),
            h = px(height),
        );
        let _ = writeln!(out, "<title>{}</title>", text::escape(&text::plain(title)));
        let _ = writeln!(
            out,
            "<rect width=\"{}\" height=\"{}\" fill=\"#FFFFFF\"/>",
            px(width),
            px(height)
        );
        Svg { out }
    }

    /// Open a group with the given attributes (already formatted, may be empty).
    pub(crate) fn open(&mut self, attrs: &str) {
        if attrs.is_empty() {
            self.out.push_str("<g>\n");
        } else {
            let _ = writeln!(self.out, "<g {attrs}>");
        }
    }

    pub(crate) fn close(&mut self) {
        self.out.push_str("</g>\n");
    }

    pub(crate) fn rect(&mut self, r: Rect, attrs: &str) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            px(r.x0),
            px(r.y0),
            px(r.width()),
            px(r.height())
        );
        self.end(attrs);
    }

    pub(crate) fn line(&mut self, a: (f64, f64), b: (f64, f64), attrs: &str) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"",
            px(a.0),
            px(a.1),
            px(b.0),
            px(b.1)
        );
        self.end(attrs);
    }

    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], attrs: &str) {
        self.out.push_str("<polyline points=\"");
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            let _ = write!(self.out, "{},{}", px(p.0), px(p.1));
        }
        self.out.push('"');
        self.end(attrs);
    }

    pub(crate) fn circle(&mut self, c: (f64, f64), r: f64, attrs: &str) {
        let _ = write!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
            px(c.0),
            px(c.1),
            px(r)
        );
        self.end(attrs);
    }

    /// A path of absolute commands: `d` as written by [`PathData`].
    pub(crate) fn path(&mut self, d: &str, attrs: &str) {
        let _ = write!(self.out, "<path d=\"{d}\"");
        self.end(attrs);
    }

    fn end(&mut self, attrs: &str) {
        if !attrs.is_empty() {
            self.out.push(' ');
            self.out.push_str(attrs);
        }
        self.out.push_str("/>\n");
    }

    /// One line of text with its anchor point at (x, y), y being the baseline.
    pub(crate) fn text(&mut self, x: f64, y: f64, label: &str, font: &Font) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"",
            px(x),
            px(y),
            px(font.size)
        );
        if font.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        match font.anchor {
            Anchor::Start => {}
            Anchor::Middle => self.out.push_str(" text-anchor=\"middle\""),
            Anchor::End => self.out.push_str(" text-anchor=\"end\""),
        }
        if font.vertical {
            let _ = write!(self.out, " transform=\"rotate(-90 {} {})\"", px(x), px(y));
        }
        self.out.push('>');
        let mut offset = 0.0;
        for span in text::typeset(label) {
            let shift = text::script_offset(span.shift, font.size);
            let escaped = text::escape(&span.text);
            if shift == offset {
                self.out.push_str(&escaped);
                continue;
            }
            let _ = write!(self.out, "<tspan dy=\"{}\"", px(shift - offset));
            if span.shift != Shift::Base {
                let _ = write!(
                    self.out,
                    " font-size=\"{}\"",
                    px(text::script_size(font.size))
                );
            }
            let _ = write!(self.out, ">{escaped}</tspan>");
            offset = shift;
        }
        self.out.push_str("</text>\n");
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Path data built from absolute moves and lines.
#[derive(Debug, Default)]
pub(crate) struct PathData(String);

impl PathData {
    pub(crate) fn move_to(&mut self, p: (f64, f64)) {
        let _ = write!(self.0, "M{} {}", px(p.0), px(p.1));
    }
    pub(crate) fn line_to(&mut self, p: (f64, f64)) {
        let _ = write!(self.0, "L{} {}", px(p.0), px(p.1));
    }
    pub(crate) fn close(&mut self) {
        self.0.push('Z');
    }
    /// A closed rectangle.
    pub(crate) fn rect(&mut self, r: Rect) {
        let _ = write!(
            self.0,
            "M{} {}H{}V{}H{}Z",
            px(r.x0),
            px(r.y0),
            px(r.x1),
            px(r.y1),
            px(r.x0)
        );
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_rounded_and_trimmed() {
        assert_eq!(px(1.0), "1");
        assert_eq!(px(1.04), "1");
        assert_eq!(px(1.05 + 1e-9), "1.1");
        assert_eq!(px(-0.01), "0");
        assert_eq!(px(-2.5), "-2.5");
    }

    #[test]
    fn segments_meet_rectangles_only_when_they_cross_them() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(r.meets_segment((-5.0, 5.0), (15.0, 5.0)));
        assert!(r.meets_segment((5.0, 5.0), (6.0, 6.0)));
        assert!(!r.meets_segment((-5.0, -5.0), (15.0, -1.0)));
        assert!(!r.meets_segment((-5.0, 20.0), (20.0, 12.0)));
        assert!(r.meets_segment((-5.0, 20.0), (20.0, -5.0)));
        assert!(!r.meets_segment((11.0, 0.0), (11.0, 10.0)));
    }

    #[test]
    fn text_writes_scripts_as_tspans_and_returns_to_the_baseline() {
        let mut svg = Svg::new(100.0, 50.0, "t");
        svg.text(10.0, 20.0, "σ_w = 1, a^l", &Font::new(14.0));
        let out = svg.finish();
        assert!(
            out.contains(
                "<text x=\"10\" y=\"20\" font-size=\"14\">σ<tspan dy=\"3\" font-size=\"12\">w</tspan><tspan dy=\"-3\"> = 1, aˡ</tspan></text>"
            ),
            "{out}"
        );
    }
}

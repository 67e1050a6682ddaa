//! The one visual style of the book: palette, font, sizes and number format.

use crate::axis::pow10;
use std::fmt;

/// A colour: red, green and blue from 0 to 255.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl fmt::Display for Rgb {
    /// `#RRGGBB`, as SVG writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// The Okabe–Ito palette (Okabe and Ito, 2008), ordered for contrast on white: blue,
/// orange, bluish green, vermillion, reddish purple, sky blue, black, yellow. Its colours
/// stay distinct for the common forms of colour blindness.
pub const PALETTE: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0x00, 0x00, 0x00),
    Rgb(0xF0, 0xE4, 0x42),
];

/// The colour of series or class `i` (the palette repeats after eight).
pub fn color(i: usize) -> Rgb {
    PALETTE[i % PALETTE.len()]
}

/// A light, opaque tint of colour `i`: the colour mixed with `white` parts of white.
pub(crate) fn tint(i: usize, white: f64) -> Rgb {
    let Rgb(r, g, b) = color(i);
    let mix = |c: u8| (f64::from(c) * (1.0 - white) + 255.0 * white).round() as u8;
    Rgb(mix(r), mix(g), mix(b))
}

/// Text, axes and tick marks.
pub(crate) const TEXT: Rgb = Rgb(0x22, 0x22, 0x22);
/// Axis lines.
pub(crate) const AXIS: Rgb = Rgb(0x55, 0x55, 0x55);
/// Grid lines at labelled ticks.
pub(crate) const GRID: Rgb = Rgb(0xE2, 0xE2, 0xE2);
/// Grid lines at unlabelled ticks of a log axis.
pub(crate) const MINOR_GRID: Rgb = Rgb(0xF1, 0xF1, 0xF1);
/// The frame of a legend inside the plot.
pub(crate) const LEGEND_BORDER: Rgb = Rgb(0xB8, 0xB8, 0xB8);

/// The fonts the charts ask for, widest first: DejaVu Sans and Verdana are drawn for
/// legibility at small sizes and cover every glyph the labels use (sub- and superscripts,
/// Greek, ∂, √, ×); a system without either falls back to its own sans-serif face, which
/// is narrower, so text never runs wider than the layout estimated. No font file is
/// read or embedded.
pub(crate) const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, sans-serif";
/// The chart title (bold).
pub(crate) const TITLE_SIZE: f64 = 16.0;
/// Axis descriptions.
pub(crate) const DESC_SIZE: f64 = 15.0;
/// Tick labels, legend entries, panel titles.
pub(crate) const LABEL_SIZE: f64 = 14.0;
/// Width of every chart: shown at its own size in the book's 750 px column.
pub(crate) const WIDTH: f64 = 600.0;
/// Height of the plotting area of a single chart.
pub(crate) const PLOT_HEIGHT: f64 = 300.0;
/// Width of every chart's phone variant: shown at its own size on a 390 px phone, whose
/// content column is [`crate::PHONE_WIDTH_PX`] wide.
pub(crate) const PHONE_WIDTH: f64 = 350.0;

/// The two sizes a chart is drawn at from one specification: the desktop canvas the book's
/// column shows (and the notebooks), and a narrower phone canvas with a lower plot,
/// panels stacked one per row and, since ticks are spaced by pixels, fewer ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Canvas {
    Desktop,
    Phone,
}

impl Canvas {
    /// The canvas width in px.
    pub(crate) fn width(self) -> f64 {
        match self {
            Canvas::Desktop => WIDTH,
            Canvas::Phone => PHONE_WIDTH,
        }
    }
    /// The plot height for a plot `desktop` px high on the desktop canvas.
    pub(crate) fn plot_height(self, desktop: f64) -> f64 {
        match self {
            Canvas::Desktop => desktop,
            Canvas::Phone => (0.8 * desktop).round(),
        }
    }
    /// The width at which the book shows this variant at most (see [`crate::Audit`]).
    pub(crate) fn display_width(self) -> f64 {
        match self {
            Canvas::Desktop => crate::COLUMN_WIDTH_PX,
            Canvas::Phone => crate::PHONE_WIDTH_PX,
        }
    }
}

/// Format an axis tick or a label value for people: at most ten significant digits,
/// trailing zeros dropped, so 0.1 + 0.2 prints as `0.3`, never `0.30000000000000004`;
/// very large or small magnitudes in scientific form with three digits (`1.5e-4`);
/// zero (also -0) as `0`.
///
/// ```
/// assert_eq!(charts::format_number(0.1 + 0.2), "0.3");
/// assert_eq!(charts::format_number(-0.0), "0");
/// assert_eq!(charts::format_number(2.0), "2");
/// assert_eq!(charts::format_number(1234.5), "1234.5");
/// assert_eq!(charts::format_number(0.00015), "1.5e-4");
/// assert_eq!(charts::format_number(2.5e6), "2.5e6");
/// ```
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.2e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        return format!("{mantissa}e{exponent}");
    }
    let rounded: f64 = format!("{v:.9e}").parse().unwrap_or(v);
    format!("{rounded}")
}

/// A linear axis range around values: their span plus 5 % on each side, or a unit-wide
/// range around a constant.
pub(crate) fn linear_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = min_max(values);
    if hi > lo {
        let pad = 0.05 * (hi - lo);
        (lo - pad, hi + pad)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        (lo - pad, hi + pad)
    }
}

/// A log axis range around positive values: 5 % of their span (in decades) beyond each
/// side, or half a decade around a constant. On a range holding fewer than three powers
/// of ten (labelled 1-2-5), an end within a tenth of a decade of the next 1, 2 or 5
/// multiple beyond it is moved out onto it, so the axis ends on a label instead of a
/// stretch of a third of a decade that no label reads.
pub(crate) fn log_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = min_max(values);
    if hi > lo {
        let pad = libm::pow(10.0, 0.05 * libm::log10(hi / lo));
        snap_to_labels(lo / pad, hi * pad)
    } else {
        (lo / 10f64.sqrt(), hi * 10f64.sqrt())
    }
}

/// The ends of a log range moved out onto a neighbouring 1-2-5 label (see [`log_range`]).
fn snap_to_labels(lo: f64, hi: f64) -> (f64, f64) {
    const REACH: f64 = 0.1;
    let d0 = (libm::log10(lo) - 1e-9).ceil() as i32;
    let d1 = (libm::log10(hi) + 1e-9).floor() as i32;
    if d1 - d0 + 1 >= 3 {
        return (lo, hi);
    }
    let labels = (d0 - 2..=d1 + 1).flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * pow10(k)));
    let below = labels.clone().filter(|&v| v <= lo).fold(f64::NAN, f64::max);
    let above = labels.filter(|&v| v >= hi).fold(f64::NAN, f64::min);
    let lo = if libm::log10(lo / below) <= REACH {
        below
    } else {
        lo
    };
    let hi = if libm::log10(above / hi) <= REACH {
        above
    } else {
        hi
    };
    (lo, hi)
}

pub(crate) fn min_max(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ranges_end_on_a_near_label() {
        // The deep tanh network's std, 0.12 to 1.7: padded to 0.108 and 1.93, which left
        // a quarter of the axis below the label 0.2 unread; now it ends on 0.1 and 2.
        assert_eq!(log_range([0.123, 1.69]), (0.1, 2.0));
        // An end farther than a tenth of a decade from a label stays where it was.
        let (lo, hi) = log_range([0.3, 1.3]);
        assert!(lo > 0.27 && lo < 0.3 && hi > 1.3 && hi < 1.4, "{lo} {hi}");
        // Three or more powers of ten get decade labels and keep their padding.
        let (lo, hi) = log_range([0.0021, 9.5]);
        assert!(
            lo < 0.0021 && lo > 0.0013 && hi > 14.0 && hi < 15.0,
            "{lo} {hi}"
        );
    }
}

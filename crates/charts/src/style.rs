//! The one visual style of the book: palette, fonts, sizes and number format.

use plotters::chart::{ChartBuilder, ChartContext, SeriesLabelPosition};
use plotters::coord::{CoordTranslate, Shift};
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::prelude::{DrawingBackend, IntoFont, WHITE};
use plotters::style::RGBColor;

/// The Okabe–Ito palette (Okabe and Ito, 2008), ordered for contrast on white: blue,
/// orange, bluish green, vermillion, reddish purple, sky blue, black, yellow. Its colours
/// stay distinct for the common forms of colour blindness.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// The colour of series or class `i` (the palette repeats after eight).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A light, opaque tint of colour `i`: the colour mixed with `white` parts of white.
pub(crate) fn tint(i: usize, white: f64) -> RGBColor {
    let RGBColor(r, g, b) = color(i);
    let mix = |c: u8| (f64::from(c) * (1.0 - white) + 255.0 * white).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

/// Dark text and axes.
pub(crate) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// The font family: generic, so the reader's system picks a sans-serif face and no font
/// file is needed to draw.
pub(crate) const FONT: &str = "sans-serif";
pub(crate) const TITLE_SIZE: u32 = 20;
pub(crate) const DESC_SIZE: u32 = 15;
pub(crate) const LABEL_SIZE: u32 = 13;
/// Width and height of a single chart.
pub(crate) const SIZE: (u32, u32) = (720, 440);

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

/// A log axis range around positive values: a tenth of a decade beyond each side, or a
/// decade around a constant; widened to whole decades when fewer than two powers of ten
/// would fall inside, so that the axis always carries at least two labelled ticks.
pub(crate) fn log_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = min_max(values);
    let (lo, hi) = if hi > lo {
        let pad = 10f64.powf(0.05 * (hi / lo).log10());
        (lo / pad, hi * pad)
    } else {
        (lo / 10f64.sqrt(), hi * 10f64.sqrt())
    };
    if hi.log10().floor() - lo.log10().ceil() < 1.0 {
        (
            10f64.powf(lo.log10().floor()),
            10f64.powf(hi.log10().ceil()),
        )
    } else {
        (lo, hi)
    }
}

pub(crate) fn min_max(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// The frame of a full-size chart in the book's style: title, margins and label areas
/// (the y label area is wider where tick labels are long).
pub(crate) fn frame<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &'b str,
    y_label_area: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, (FONT, TITLE_SIZE).into_font().color(&TEXT))
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(y_label_area);
    builder
}

/// The book's legend box: white, framed, in the label font, at `position`.
pub(crate) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE)
        .border_style(TEXT)
        .label_font((FONT, LABEL_SIZE).into_font().color(&TEXT))
        .draw()
}

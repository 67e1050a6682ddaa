//! # charts: the book's figures
//!
//! Every chart of *Why Weight Initialization Matters* is drawn by this crate, so the whole
//! book has one visual style: an opaque white card with dark text, labelled axes, a
//! legend, a title, and the Okabe–Ito palette that colour-blind readers can tell apart.
//! A chart builder returns a [`Figure`]: the SVG and, beside it, a CSV holding exactly
//! the data that was drawn, so a reader can check or re-plot it.
//!
//! ```
//! use charts::{LineChart, Series};
//!
//! let squares = Series::new("x²", (0..5).map(|x| (x as f64, (x * x) as f64)).collect());
//! let figure = LineChart::new("squares", "Squares")
//!     .x_label("x")
//!     .y_label("x² (no unit)")
//!     .series(squares)
//!     .render()?;
//! assert!(figure.svg.starts_with("<svg"));
//! assert_eq!(figure.csv.lines().next(), Some("series,x,y"));
//! assert_eq!(figure.csv.lines().nth(3), Some("x²,2,4"));
//! figure.show(); // draws inline in a notebook, does nothing elsewhere
//! # Ok::<(), charts::Error>(())
//! ```
//!
//! ## Read at the size it is shown
//!
//! The book shows a chart as an image at most as wide as its content column
//! ([`COLUMN_WIDTH_PX`]). Every chart is 600 px wide, so the column shows it at its own
//! size, and no text in it is smaller than 14 px (a subscript without a Unicode form,
//! such as the w of σ_w, 12 px); a chart of several panels stacks them two to a row
//! rather than widening. Every chart is drawn a second time from the same specification
//! for a phone ([`Figure::phone_svg`]): [`PHONE_WIDTH_PX`] wide, so a 390 px phone shows it
//! at its own size with the same text sizes, with a lower plot, fewer ticks (ticks are
//! spaced by pixels), legends below the plot where the narrower plot has no free corner,
//! and panels one to a row. Legends sit inside the plot
//! only where no data lies, and below it otherwise. Labels are typeset: write `a^l`,
//! `16^(l-1)` or `σ_w` and the chart shows aˡ, 16ˡ⁻¹ and σ with a subscript w (the CSV
//! keeps the label as written). Every rendered chart, and its phone variant, is checked by
//! [`Audit`] before it is returned: text at least [`MIN_TEXT_PX`] in the column (on a phone,
//! at [`PHONE_WIDTH_PX`]), no legend over a data mark, no
//! text over text or off the canvas; a chart that fails is an [`Error::Layout`].
//!
//! Rendering is deterministic: the same input gives the same bytes, on every run and
//! platform. Text is written as SVG `<text>` in the family `'DejaVu Sans', Verdana,
//! sans-serif`; no font file is read or embedded, and layout estimates text widths from
//! DejaVu Sans, wider than the common fallbacks. Empty data, NaN or infinite values, and
//! values a log axis cannot show are reported as an [`Error`] naming the value.

mod audit;
mod axis;
mod bar;
mod frame;
mod hist;
mod line;
mod scatter;
mod style;
mod svg;
mod text;

use std::fmt::Write as _;
use std::path::Path;

pub use audit::{Audit, TextItem};
pub use bar::BarChart;
pub use frame::SeriesLabelPosition;
pub use hist::{Bins, HistogramPanel};
pub use line::{LineChart, Mark};
pub use scatter::{DecisionMap, Grid, ScatterChart};
pub use style::{PALETTE, Rgb, color, format_number};

/// Width of the book's content column in CSS px (mdBook's default
/// `--content-max-width` at a desktop window): a chart wider than this is scaled down.
pub const COLUMN_WIDTH_PX: f64 = 750.0;
/// The width a phone 390 px wide gives an image in the book (mdBook's page and content
/// padding take 40 px), and the width of every chart's phone variant.
pub const PHONE_WIDTH_PX: f64 = 350.0;
/// The smallest text, in CSS px, a chart may show in the book's column.
pub const MIN_TEXT_PX: f64 = 12.0;

/// A drawn chart: `name` is the file stem, `svg` the picture, `phone_svg` the same chart
/// drawn for a phone, `csv` the data they show (a header row, then one row per drawn value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// File stem, for example `"loss-curves"`.
    pub name: String,
    /// The chart as a standalone SVG document, 600 px wide: what the book's column and
    /// the notebooks show.
    pub svg: String,
    /// The same chart from the same data and specification, drawn 350 px wide for a phone:
    /// a lower plot, panels stacked one per row, fewer ticks, text as large as on the
    /// desktop. The book shows it on narrow screens (see [`PHONE_WIDTH_PX`]).
    pub phone_svg: String,
    /// Exactly the drawn data, in long format with a header row.
    pub csv: String,
}

impl Figure {
    /// A figure whose desktop SVG passed [`Audit::problems`] at the column width and whose
    /// phone SVG passed it at [`PHONE_WIDTH_PX`], or [`Error::Layout`] naming what fails.
    pub(crate) fn checked(
        name: String,
        svg: String,
        phone_svg: String,
        csv: String,
    ) -> Result<Figure, Error> {
        let mut problems = Audit::of(&svg)?.problems_at(style::Canvas::Desktop.display_width());
        problems.extend(
            Audit::of(&phone_svg)?
                .problems_at(style::Canvas::Phone.display_width())
                .into_iter()
                .map(|p| format!("phone variant: {p}")),
        );
        if !problems.is_empty() {
            return Err(Error::Layout {
                chart: name,
                problems,
            });
        }
        Ok(Figure {
            name,
            svg,
            phone_svg,
            csv,
        })
    }

    /// The files of the figure: `<name>.svg`, `<name>.phone.svg` and `<name>.csv`, each
    /// with its contents, as [`Figure::save`] writes them.
    pub fn files(&self) -> [(String, &str); 3] {
        [
            (format!("{}.svg", self.name), self.svg.as_str()),
            (format!("{}.phone.svg", self.name), self.phone_svg.as_str()),
            (format!("{}.csv", self.name), self.csv.as_str()),
        ]
    }

    /// Read the chart back from its SVG: its size, texts, legend and data marks (see
    /// [`Audit`]).
    pub fn audit(&self) -> Result<Audit, Error> {
        Audit::of(&self.svg)
    }

    /// Write `dir/<name>.svg`, `dir/<name>.phone.svg` and `dir/<name>.csv` (the folder
    /// must exist).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        for (file, data) in self.files() {
            std::fs::write(dir.join(file), data)?;
        }
        Ok(())
    }

    /// Display the chart inline when running under evcxr (a Jupyter notebook with the
    /// Rust kernel, which sets `EVCXR_IS_RUNTIME`); do nothing elsewhere, so doctests
    /// and tests stay quiet.
    pub fn show(&self) {
        if std::env::var_os("EVCXR_IS_RUNTIME").is_some() {
            self.evcxr_display();
        }
    }

    /// Print the chart in evcxr's display protocol. evcxr calls this for a cell whose
    /// last expression is a `Figure`.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }

    /// The text [`Figure::evcxr_display`] prints: the SVG framed as `image/svg+xml` content.
    pub fn evcxr_content(&self) -> String {
        format!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT",
            self.svg.trim_end()
        )
    }
}

/// Display several charts as one output when running under evcxr, side by side as far
/// as the notebook's width allows (several per row, each at most its own 600 px); do
/// nothing elsewhere. Use it where a cell draws more than one chart: evcxr keeps one
/// output of each kind per cell, so a second [`Figure::show`] in the same cell replaces
/// the first.
///
/// ```
/// use charts::{LineChart, Series};
///
/// let line = |name: &str, k: f64| {
///     LineChart::new(name, name)
///         .x_label("x")
///         .y_label("y")
///         .series(Series::new("k·x", vec![(0.0, 0.0), (1.0, k)]))
///         .render()
/// };
/// charts::show_all(&[line("one", 1.0)?, line("two", 2.0)?]); // one output, two charts
/// # Ok::<(), charts::Error>(())
/// ```
pub fn show_all(figures: &[Figure]) {
    if std::env::var_os("EVCXR_IS_RUNTIME").is_some() && !figures.is_empty() {
        println!("{}", evcxr_content_all(figures));
    }
}

/// The text [`show_all`] prints: one `text/html` output holding each chart as an
/// `<img data-chart="<name>">` with the SVG as a base64 `data:` address (so that the
/// charts' SVG stays self-contained and an HTML sanitizer keeps it), in a wrapping row.
pub fn evcxr_content_all(figures: &[Figure]) -> String {
    use base64::Engine as _;
    let mut html = String::from(
        "<div class=\"why-init-charts\" style=\"display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start\">",
    );
    for figure in figures {
        let data = base64::engine::general_purpose::STANDARD.encode(figure.svg.trim_end());
        let name = text::escape(&figure.name);
        let _ = write!(
            html,
            "<img data-chart=\"{name}\" alt=\"chart {name}\" style=\"flex:1 1 300px;max-width:600px;min-width:0;height:auto\" src=\"data:image/svg+xml;base64,{data}\">"
        );
    }
    html.push_str("</div>");
    format!("EVCXR_BEGIN_CONTENT text/html\n{html}\nEVCXR_END_CONTENT")
}

/// What can go wrong when drawing a chart.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Nothing to draw.
    #[error("{what} is empty: nothing to draw")]
    Empty {
        /// What was empty, for example `"series \"loss\""`.
        what: String,
    },
    /// A NaN or infinite value in the data.
    #[error("{what} has a non-finite value {value} at index {index}")]
    NonFinite {
        /// Which data, for example `"series \"loss\", y"`.
        what: String,
        /// Position of the first bad value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A value that a logarithmic axis cannot show.
    #[error(
        "{what} has the value {value} at index {index}, which a log-scale axis cannot show (it must be > 0)"
    )]
    NotPositive {
        /// Which data.
        what: String,
        /// Position of the first bad value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// Inputs whose sizes do not fit together.
    #[error("{what}: expected {expected}, got {got}")]
    Mismatch {
        /// Where the sizes met.
        what: String,
        /// The size needed.
        expected: usize,
        /// The size given.
        got: usize,
    },
    /// A parameter outside its valid range.
    #[error("{name} must be {expected}, got {value}")]
    OutOfRange {
        /// The parameter.
        name: &'static str,
        /// The valid range, in words.
        expected: &'static str,
        /// The value given.
        value: f64,
    },
    /// Drawing failed, or an SVG could not be read back.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// The drawn chart would not read well (see [`Audit::problems`]).
    #[error("chart {chart:?} does not read well: {}", problems.join("; "))]
    Layout {
        /// The chart's name.
        chart: String,
        /// What fails, in words.
        problems: Vec<String>,
    },
}

/// One labelled line or set of points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// The (x, y) points, drawn in this order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series from (x, y) points.
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            label: label.into(),
            points,
        }
    }
    /// A series from y values at x = 0, 1, 2, ...
    pub fn from_ys(label: impl Into<String>, ys: &[f64]) -> Self {
        Series::new(
            label,
            ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect(),
        )
    }
    /// A series from y values at x = 1, 2, 3, ... (layers, epochs counted from 1).
    pub fn from_ys_1(label: impl Into<String>, ys: &[f64]) -> Self {
        Series::new(
            label,
            ys.iter()
                .enumerate()
                .map(|(i, &y)| ((i + 1) as f64, y))
                .collect(),
        )
    }
    /// A series from separate x and y values of the same length.
    pub fn from_xy(label: impl Into<String>, xs: &[f64], ys: &[f64]) -> Result<Self, Error> {
        if xs.len() != ys.len() {
            return Err(Error::Mismatch {
                what: "x and y values of a series".into(),
                expected: xs.len(),
                got: ys.len(),
            });
        }
        Ok(Series::new(
            label,
            xs.iter().copied().zip(ys.iter().copied()).collect(),
        ))
    }
}

/// A CSV document built row by row; fields are quoted when they need to be.
#[derive(Debug, Clone)]
pub(crate) struct Csv(String);

impl Csv {
    pub(crate) fn new(header: &[&str]) -> Self {
        let mut csv = Csv(String::new());
        csv.row(header.iter().map(|h| h.to_string()));
        csv
    }
    pub(crate) fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        let mut first = true;
        for field in fields {
            if !first {
                self.0.push(',');
            }
            first = false;
            if field.contains([',', '"', '\n', '\r']) {
                let _ = write!(self.0, "\"{}\"", field.replace('"', "\"\""));
            } else {
                self.0.push_str(&field);
            }
        }
        self.0.push('\n');
    }
    pub(crate) fn finish(self) -> String {
        self.0
    }
}

/// A number as the CSV writes it: the shortest text that reads back as the same f64.
pub(crate) fn csv_num(v: f64) -> String {
    format!("{v}")
}

pub(crate) fn check_finite(what: &str, values: impl IntoIterator<Item = f64>) -> Result<(), Error> {
    for (index, value) in values.into_iter().enumerate() {
        if !value.is_finite() {
            return Err(Error::NonFinite {
                what: what.to_string(),
                index,
                value,
            });
        }
    }
    Ok(())
}

pub(crate) fn check_positive(
    what: &str,
    values: impl IntoIterator<Item = f64>,
) -> Result<(), Error> {
    for (index, value) in values.into_iter().enumerate() {
        if value <= 0.0 {
            return Err(Error::NotPositive {
                what: what.to_string(),
                index,
                value,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

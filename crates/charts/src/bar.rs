//! Bar charts with error bars: a mean and its spread over seeds, per category and series.

use crate::axis::Scale;
use crate::frame::{Axis, Entry, Frame, Mark, SeriesLabelPosition, Swatch};
use crate::style::{self, Canvas, PLOT_HEIGHT, TEXT};
use crate::{Csv, Error, Figure, check_finite, csv_num};

/// Grouped bars with error bars: for each category (x), one bar per series showing a
/// mean, with a whisker of ± the given spread (a standard deviation or standard error:
/// say which in the y label). CSV: `category,series,mean,spread`.
#[derive(Debug, Clone)]
pub struct BarChart {
    name: String,
    title: String,
    x_label: String,
    y_label: String,
    categories: Vec<String>,
    series: Vec<String>,
    bars: Vec<(usize, usize, f64, f64)>,
}

impl BarChart {
    /// A chart to be saved as `name` with `title` above it.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        BarChart {
            name: name.into(),
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            categories: Vec::new(),
            series: Vec::new(),
            bars: Vec::new(),
        }
    }
    /// The x axis description (what the categories are).
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }
    /// The y axis description, with its unit and what the error bars show.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }
    /// Add the bar of `series` in `category`: `mean` ± `spread`. Categories and series
    /// appear in the order they are first named.
    pub fn bar(mut self, category: &str, series: &str, mean: f64, spread: f64) -> Self {
        let c = index_of(&mut self.categories, category);
        let s = index_of(&mut self.series, series);
        self.bars.push((c, s, mean, spread));
        self
    }

    /// Draw the chart.
    pub fn render(&self) -> Result<Figure, Error> {
        if self.bars.is_empty() {
            return Err(Error::Empty {
                what: format!("bar chart {:?}", self.name),
            });
        }
        check_finite("bar means", self.bars.iter().map(|b| b.2))?;
        check_finite("bar spreads", self.bars.iter().map(|b| b.3))?;
        if let Some(b) = self.bars.iter().find(|b| b.3 < 0.0) {
            return Err(Error::OutOfRange {
                name: "bar spread",
                expected: ">= 0",
                value: b.3,
            });
        }
        let lows = self.bars.iter().map(|b| (b.2 - b.3).min(0.0));
        let highs = self.bars.iter().map(|b| (b.2 + b.3).max(0.0));
        let (y0, y1) = style::linear_range(lows.chain(highs));
        let y0 = if self.bars.iter().all(|b| b.2 - b.3 >= 0.0) {
            0.0
        } else {
            y0
        };
        let nc = self.categories.len();
        let ns = self.series.len();
        let group = 0.8 / ns as f64;
        let left = |c: usize, s: usize| c as f64 - 0.4 + group * s as f64;
        let mut marks = Vec::new();
        let mut legend = Vec::new();
        for (s, label) in self.series.iter().enumerate() {
            let color = style::color(s);
            let bars: Vec<_> = self.bars.iter().filter(|b| b.1 == s).collect();
            marks.push(Mark::Boxes {
                boxes: bars
                    .iter()
                    .map(|b| {
                        [
                            (left(b.0, s) + 0.1 * group, 0.0),
                            (left(b.0, s) + 0.9 * group, b.2),
                        ]
                    })
                    .collect(),
                color,
                crisp: false,
            });
            legend.push(Entry {
                label: label.clone(),
                swatch: Swatch::Box { color },
            });
        }
        // Whiskers (mean - spread to mean + spread, with caps) on top of every bar.
        marks.push(Mark::Whiskers {
            bars: self
                .bars
                .iter()
                .filter(|b| b.3 > 0.0)
                .map(|b| (left(b.0, b.1) + 0.5 * group, b.2 - b.3, b.2 + b.3))
                .collect(),
            color: TEXT,
        });
        if ns == 1 && self.series[0].is_empty() {
            legend.clear();
        }
        let frame = Frame {
            title: self.title.clone(),
            x: Axis {
                label: self.x_label.clone(),
                scale: Scale {
                    lo: -0.5,
                    hi: nc as f64 - 0.5,
                    log: false,
                },
                integer: false,
            },
            y: Axis {
                label: self.y_label.clone(),
                scale: Scale {
                    lo: y0,
                    hi: y1,
                    log: false,
                },
                integer: false,
            },
            categories: Some(self.categories.clone()),
            marks,
            legend,
            position: SeriesLabelPosition::UpperRight,
            plot_height: PLOT_HEIGHT,
            filled: false,
        };
        let (svg, phone) = (frame.render(Canvas::Desktop), frame.render(Canvas::Phone));
        let mut csv = Csv::new(&["category", "series", "mean", "spread"]);
        for &(c, s, mean, spread) in &self.bars {
            csv.row([
                self.categories[c].clone(),
                self.series[s].clone(),
                csv_num(mean),
                csv_num(spread),
            ]);
        }
        Figure::checked(self.name.clone(), svg, phone, csv.finish())
    }
}

fn index_of(names: &mut Vec<String>, name: &str) -> usize {
    names.iter().position(|n| n == name).unwrap_or_else(|| {
        names.push(name.to_string());
        names.len() - 1
    })
}

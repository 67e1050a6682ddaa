//! Bar charts with error bars: a mean and its spread over seeds, per category and series.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::style::{self, FONT, GRID, TEXT};
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
        // Headroom above the tallest bar for the legend: at least a sixth of the plot, more
        // when the legend (about 17 px a row plus its border, in a plot about 330 px
        // high) needs it, so that no legend row covers a bar.
        let legend = ((17.0 * self.series.len() as f64 + 16.0) / 330.0).clamp(1.0 / 6.0, 0.6);
        let y1 = y1 + (y1 - y0) * legend / (1.0 - legend);
        let y0 = if self.bars.iter().all(|b| b.2 - b.3 >= 0.0) {
            0.0
        } else {
            y0
        };
        let nc = self.categories.len();
        let ns = self.series.len();
        let group = 0.8 / ns as f64;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, style::SIZE).into_drawing_area();
            root.fill(&WHITE)?;
            let mut chart = style::frame(&root, &self.title, 72)
                .build_cartesian_2d(-0.5..nc as f64 - 0.5, y0..y1)?;
            chart
                .configure_mesh()
                .x_desc(&self.x_label)
                .y_desc(&self.y_label)
                .x_labels(0)
                .y_label_formatter(&|v| style::format_number(*v))
                .disable_x_mesh()
                .axis_desc_style((FONT, style::DESC_SIZE).into_font().color(&TEXT))
                .label_style((FONT, style::LABEL_SIZE).into_font().color(&TEXT))
                .axis_style(TEXT)
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .draw()?;
            // Category names under the axis, centred on their group of bars.
            let font = (FONT, style::LABEL_SIZE)
                .into_font()
                .color(&TEXT)
                .pos(Pos::new(HPos::Center, VPos::Top));
            chart.draw_series(self.categories.iter().enumerate().map(|(c, name)| {
                EmptyElement::at((c as f64, y0)) + Text::new(name.clone(), (0, 8), font.clone())
            }))?;
            let left = |c: usize, s: usize| c as f64 - 0.4 + group * s as f64;
            for (s, label) in self.series.iter().enumerate() {
                let col = style::color(s);
                let bars: Vec<_> = self.bars.iter().filter(|b| b.1 == s).collect();
                chart
                    .draw_series(bars.iter().map(|b| {
                        Rectangle::new(
                            [
                                (left(b.0, s) + 0.1 * group, 0.0),
                                (left(b.0, s) + 0.9 * group, b.2),
                            ],
                            col.filled(),
                        )
                    }))?
                    .label(label.as_str())
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 14, y + 5)], col.filled())
                    });
                // Whiskers: mean - spread to mean + spread, with caps.
                chart.draw_series(bars.iter().filter(|b| b.3 > 0.0).map(|b| {
                    let x = left(b.0, s) + 0.5 * group;
                    let cap = 0.15 * group;
                    PathElement::new(
                        vec![
                            (x - cap, b.2 - b.3),
                            (x + cap, b.2 - b.3),
                            (x, b.2 - b.3),
                            (x, b.2 + b.3),
                            (x - cap, b.2 + b.3),
                            (x + cap, b.2 + b.3),
                        ],
                        TEXT.stroke_width(2),
                    )
                }))?;
            }
            if ns > 1 || !self.series[0].is_empty() {
                style::legend(&mut chart, SeriesLabelPosition::UpperRight)?;
            }
            root.present()?;
        }
        let mut csv = Csv::new(&["category", "series", "mean", "spread"]);
        for &(c, s, mean, spread) in &self.bars {
            csv.row([
                self.categories[c].clone(),
                self.series[s].clone(),
                csv_num(mean),
                csv_num(spread),
            ]);
        }
        Ok(Figure {
            name: self.name.clone(),
            svg,
            csv: csv.finish(),
        })
    }
}

fn index_of(names: &mut Vec<String>, name: &str) -> usize {
    names.iter().position(|n| n == name).unwrap_or_else(|| {
        names.push(name.to_string());
        names.len() - 1
    })
}

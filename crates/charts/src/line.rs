//! Line charts: several series against one x axis, optionally on log scales.

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use crate::style::{self, FONT, GRID, TEXT};
use crate::{Csv, Error, Figure, Series, check_finite, check_positive, csv_num};

/// How one series of a [`LineChart`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A solid line (with dots if the chart has [`LineChart::markers`]).
    Line,
    /// A dashed line, for a prediction or a bound drawn beside measurements.
    Dashed,
    /// Dots only, for measurements drawn beside a curve.
    Points,
}

/// Several series drawn as lines (with point markers if asked), dashed lines or dots, on
/// linear or logarithmic axes; dots may carry vertical error bars
/// ([`LineChart::points_with_errors`]). CSV: `series,x,y`, one row per point, series in
/// the order added; with error bars a fourth column `error` holds each half-width (empty
/// for series without).
#[derive(Debug, Clone)]
pub struct LineChart {
    name: String,
    title: String,
    x_label: String,
    y_label: String,
    series: Vec<Series>,
    marks: Vec<Mark>,
    colors: Vec<usize>,
    errors: Vec<Option<Vec<f64>>>,
    log_x: bool,
    log_y: bool,
    markers: bool,
    legend: SeriesLabelPosition,
}

impl LineChart {
    /// A chart to be saved as `name` with `title` above it.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        LineChart {
            name: name.into(),
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            series: Vec::new(),
            marks: Vec::new(),
            colors: Vec::new(),
            errors: Vec::new(),
            log_x: false,
            log_y: false,
            markers: false,
            legend: SeriesLabelPosition::UpperRight,
        }
    }
    /// The x axis description, with its unit.
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }
    /// The y axis description, with its unit.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }
    /// Add a series (drawn in the next palette colour) as a solid line.
    pub fn series(self, series: Series) -> Self {
        self.series_as(series, Mark::Line)
    }
    /// Add a series drawn as `mark`: a solid line, a dashed line or dots only.
    pub fn series_as(self, series: Series, mark: Mark) -> Self {
        let next = self.series.len();
        self.series_in(series, mark, next)
    }
    /// Add a series drawn as `mark` in palette colour `color` (see [`crate::color`]), so
    /// that a measurement and its prediction can share a colour and differ by mark.
    pub fn series_in(mut self, series: Series, mark: Mark, color: usize) -> Self {
        self.series.push(series);
        self.marks.push(mark);
        self.colors.push(color);
        self.errors.push(None);
        self
    }
    /// Add a measurement (dots) and its prediction (dashed) in one palette colour `color`.
    pub fn measured_and_predicted(self, measured: Series, predicted: Series, color: usize) -> Self {
        self.series_in(measured, Mark::Points, color)
            .series_in(predicted, Mark::Dashed, color)
    }
    /// Add a series drawn as dots in palette colour `color`, each with a vertical error bar
    /// from y - e to y + e, where `errors` holds one half-width e >= 0 per point (for
    /// example two standard errors of a Monte Carlo estimate: say which in the legend).
    pub fn points_with_errors(mut self, series: Series, errors: Vec<f64>, color: usize) -> Self {
        self = self.series_in(series, Mark::Points, color);
        *self.errors.last_mut().expect("a series was just added") = Some(errors);
        self
    }
    /// Logarithmic x axis (all x must be > 0).
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }
    /// Logarithmic y axis (all y must be > 0).
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }
    /// Mark every point with a dot as well as joining them.
    pub fn markers(mut self) -> Self {
        self.markers = true;
        self
    }
    /// Where the legend sits (default: upper right).
    pub fn legend(mut self, position: SeriesLabelPosition) -> Self {
        self.legend = position;
        self
    }

    fn check(&self) -> Result<(), Error> {
        if self.series.is_empty() {
            return Err(Error::Empty {
                what: format!("line chart {:?}", self.name),
            });
        }
        for s in &self.series {
            if s.points.is_empty() {
                return Err(Error::Empty {
                    what: format!("series {:?}", s.label),
                });
            }
            check_finite(
                &format!("series {:?}, x", s.label),
                s.points.iter().map(|p| p.0),
            )?;
            check_finite(
                &format!("series {:?}, y", s.label),
                s.points.iter().map(|p| p.1),
            )?;
            if self.log_x {
                check_positive(
                    &format!("series {:?}, x", s.label),
                    s.points.iter().map(|p| p.0),
                )?;
            }
            if self.log_y {
                check_positive(
                    &format!("series {:?}, y", s.label),
                    s.points.iter().map(|p| p.1),
                )?;
            }
        }
        for (s, errors) in self.series.iter().zip(&self.errors) {
            let Some(errors) = errors else { continue };
            let what = format!("error bars of series {:?}", s.label);
            if errors.len() != s.points.len() {
                return Err(Error::Mismatch {
                    what,
                    expected: s.points.len(),
                    got: errors.len(),
                });
            }
            check_finite(&what, errors.iter().copied())?;
            if let Some(&e) = errors.iter().find(|&&e| e < 0.0) {
                return Err(Error::OutOfRange {
                    name: "error bar half-width",
                    expected: ">= 0",
                    value: e,
                });
            }
            if self.log_y {
                check_positive(
                    &format!("lower ends of the {what}"),
                    s.points.iter().zip(errors).map(|(p, e)| p.1 - e),
                )?;
            }
        }
        Ok(())
    }

    /// Draw the chart.
    pub fn render(&self) -> Result<Figure, Error> {
        self.check()?;
        let xs = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        let ys = self
            .series
            .iter()
            .zip(&self.errors)
            .flat_map(|(s, errors)| {
                s.points.iter().enumerate().flat_map(move |(i, p)| {
                    let e = errors.as_ref().map_or(0.0, |e| e[i]);
                    [p.1 - e, p.1 + e]
                })
            });
        let (x0, x1) = if self.log_x {
            style::log_range(xs)
        } else {
            style::linear_range(xs)
        };
        let (y0, y1) = if self.log_y {
            style::log_range(ys)
        } else {
            style::linear_range(ys)
        };
        let mut svg = String::new();
        match (self.log_x, self.log_y) {
            (false, false) => self.draw(&mut svg, x0..x1, y0..y1)?,
            (true, false) => self.draw(&mut svg, (x0..x1).log_scale(), y0..y1)?,
            (false, true) => self.draw(&mut svg, x0..x1, (y0..y1).log_scale())?,
            (true, true) => self.draw(&mut svg, (x0..x1).log_scale(), (y0..y1).log_scale())?,
        }
        let csv = if self.errors.iter().all(Option::is_none) {
            let mut csv = Csv::new(&["series", "x", "y"]);
            for s in &self.series {
                for &(x, y) in &s.points {
                    csv.row([s.label.clone(), csv_num(x), csv_num(y)]);
                }
            }
            csv
        } else {
            let mut csv = Csv::new(&["series", "x", "y", "error"]);
            for (s, errors) in self.series.iter().zip(&self.errors) {
                for (i, &(x, y)) in s.points.iter().enumerate() {
                    let e = errors.as_ref().map_or(String::new(), |e| csv_num(e[i]));
                    csv.row([s.label.clone(), csv_num(x), csv_num(y), e]);
                }
            }
            csv
        };
        Ok(Figure {
            name: self.name.clone(),
            svg,
            csv: csv.finish(),
        })
    }

    fn draw<X, Y>(&self, svg: &mut String, x: X, y: Y) -> Result<(), Error>
    where
        X: AsRangedCoord<Value = f64>,
        Y: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let root = SVGBackend::with_string(svg, style::SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = style::frame(&root, &self.title, 72).build_cartesian_2d(x, y)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_labels(10)
            .y_labels(10)
            .x_label_formatter(&|v| style::format_number(*v))
            .y_label_formatter(&|v| style::format_number(*v))
            .axis_desc_style((FONT, style::DESC_SIZE).into_font().color(&TEXT))
            .label_style((FONT, style::LABEL_SIZE).into_font().color(&TEXT))
            .axis_style(TEXT)
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()?;
        for (((s, mark), &color), errors) in self
            .series
            .iter()
            .zip(&self.marks)
            .zip(&self.colors)
            .zip(&self.errors)
        {
            let c = style::color(color);
            if let Some(errors) = errors {
                chart.draw_series(s.points.iter().zip(errors).map(|(&(x, y), &e)| {
                    ErrorBar::new_vertical(x, y - e, y, y + e, c.stroke_width(1), 6)
                }))?;
            }
            match mark {
                Mark::Line => {
                    chart
                        .draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(2)))?
                        .label(s.label.as_str())
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(3))
                        });
                    if self.markers {
                        chart
                            .draw_series(s.points.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
                    }
                }
                Mark::Dashed => {
                    chart
                        .draw_series(DashedLineSeries::new(
                            s.points.iter().copied(),
                            7,
                            5,
                            c.stroke_width(2),
                        ))?
                        .label(s.label.as_str())
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 9, y)], c.stroke_width(3))
                        });
                }
                Mark::Points => {
                    chart
                        .draw_series(s.points.iter().map(|&p| Circle::new(p, 4, c.filled())))?
                        .label(s.label.as_str())
                        .legend(move |(x, y)| Circle::new((x + 11, y), 4, c.filled()));
                }
            }
        }
        style::legend(&mut chart, self.legend.clone())?;
        root.present()?;
        Ok(())
    }
}

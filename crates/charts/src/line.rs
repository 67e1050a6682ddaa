//! Line charts: several series against one x axis, optionally on log scales.

use crate::axis::Scale;
use crate::frame::{Axis, Entry, Frame, Mark as Drawn, SeriesLabelPosition, Shape, Swatch};
use crate::style::{self, Canvas, PLOT_HEIGHT};
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
    /// Where the legend should sit (default: upper right). The legend goes there only
    /// if it covers no data there; otherwise to the first free place, or below the plot
    /// (see [`SeriesLabelPosition`]).
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
        let integral = |v: f64| v.fract() == 0.0;
        let points = || self.series.iter().flat_map(|s| s.points.iter());
        let mut marks = Vec::new();
        let mut legend = Vec::new();
        for (((s, mark), &color), errors) in self
            .series
            .iter()
            .zip(&self.marks)
            .zip(&self.colors)
            .zip(&self.errors)
        {
            let c = style::color(color);
            if let Some(errors) = errors {
                marks.push(Drawn::Whiskers {
                    bars: s
                        .points
                        .iter()
                        .zip(errors)
                        .map(|(&(x, y), &e)| (x, y - e, y + e))
                        .collect(),
                    color: c,
                });
            }
            let dots = |r: f64| Drawn::Dots {
                points: s.points.clone(),
                color: c,
                shape: Shape::Circle,
                r,
                outline: style::Rgb(0xFF, 0xFF, 0xFF),
            };
            let swatch = match mark {
                Mark::Line => {
                    marks.push(Drawn::Line {
                        points: s.points.clone(),
                        color: c,
                        dashed: false,
                    });
                    if self.markers {
                        marks.push(dots(3.5));
                        Swatch::LineDot { color: c }
                    } else {
                        Swatch::Line {
                            color: c,
                            dashed: false,
                        }
                    }
                }
                Mark::Dashed => {
                    marks.push(Drawn::Line {
                        points: s.points.clone(),
                        color: c,
                        dashed: true,
                    });
                    Swatch::Line {
                        color: c,
                        dashed: true,
                    }
                }
                Mark::Points => {
                    marks.push(dots(4.5));
                    if errors.is_some() {
                        Swatch::DotWhisker { color: c }
                    } else {
                        Swatch::Dot {
                            color: c,
                            shape: Shape::Circle,
                            outline: style::Rgb(0xFF, 0xFF, 0xFF),
                        }
                    }
                }
            };
            if !s.label.is_empty() {
                legend.push(Entry {
                    label: s.label.clone(),
                    swatch,
                });
            }
        }
        let frame = Frame {
            title: self.title.clone(),
            x: Axis {
                label: self.x_label.clone(),
                scale: Scale {
                    lo: x0,
                    hi: x1,
                    log: self.log_x,
                },
                integer: points().all(|p| integral(p.0)),
            },
            y: Axis {
                label: self.y_label.clone(),
                scale: Scale {
                    lo: y0,
                    hi: y1,
                    log: self.log_y,
                },
                integer: points().all(|p| integral(p.1)),
            },
            categories: None,
            marks,
            legend,
            position: self.legend,
            plot_height: PLOT_HEIGHT,
            filled: false,
        };
        let (svg, phone) = (frame.render(Canvas::Desktop), frame.render(Canvas::Phone));
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
        Figure::checked(self.name.clone(), svg, phone, csv.finish())
    }
}

//! Labelled 2-D points, and the decision regions of a classifier under them.

use crate::axis::Scale;
use crate::frame::{Axis, Entry, Frame, Mark, SeriesLabelPosition, Shape, Swatch};
use crate::style::{self, Canvas, PLOT_HEIGHT, TEXT};
use crate::{Csv, Error, Figure, check_finite, csv_num};

/// Labelled 2-D points, one colour and marker shape per class. CSV: `class,x,y`.
#[derive(Debug, Clone)]
pub struct ScatterChart {
    name: String,
    title: String,
    x_label: String,
    y_label: String,
    points: Vec<(f64, f64)>,
    classes: Vec<usize>,
    class_names: Vec<String>,
}

impl ScatterChart {
    /// A chart to be saved as `name` with `title` above it.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        ScatterChart {
            name: name.into(),
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            points: Vec::new(),
            classes: Vec::new(),
            class_names: Vec::new(),
        }
    }
    /// The axis descriptions, with units.
    pub fn axes(mut self, x_label: impl Into<String>, y_label: impl Into<String>) -> Self {
        self.x_label = x_label.into();
        self.y_label = y_label.into();
        self
    }
    /// The points and the class of each (classes count from 0).
    pub fn points(mut self, points: Vec<(f64, f64)>, classes: Vec<usize>) -> Self {
        self.points = points;
        self.classes = classes;
        self
    }
    /// Legend names of the classes (default: `class 0`, `class 1`, ...).
    pub fn class_names(mut self, names: &[&str]) -> Self {
        self.class_names = names.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Draw the chart.
    pub fn render(&self) -> Result<Figure, Error> {
        check_points(&self.points, &self.classes)?;
        let (x0, x1) = style::linear_range(self.points.iter().map(|p| p.0));
        let (y0, y1) = style::linear_range(self.points.iter().map(|p| p.1));
        let frame = self.frame((x0, x1), (y0, y1), Vec::new());
        let (svg, phone) = (frame.render(Canvas::Desktop), frame.render(Canvas::Phone));
        let mut csv = Csv::new(&["class", "x", "y"]);
        for (&(x, y), &c) in self.points.iter().zip(&self.classes) {
            csv.row([c.to_string(), csv_num(x), csv_num(y)]);
        }
        Figure::checked(self.name.clone(), svg, phone, csv.finish())
    }

    /// The frame of the chart over the given ranges: `under` (decision regions) first,
    /// then one marker shape and colour per class, with a legend entry each.
    fn frame(&self, x: (f64, f64), y: (f64, f64), under: Vec<Mark>) -> Frame {
        let filled = !under.is_empty();
        let mut marks = under;
        let mut legend = Vec::new();
        let mut present: Vec<usize> = self.classes.clone();
        present.sort_unstable();
        present.dedup();
        for class in present {
            // One marker shape per class (circle, square, triangle, diamond), so classes
            // stay apart even without colour; the legend shows the same shape.
            let shape = [
                Shape::Circle,
                Shape::Square,
                Shape::Triangle,
                Shape::Diamond,
            ][class % 4];
            let color = style::color(class);
            marks.push(Mark::Dots {
                points: self
                    .points
                    .iter()
                    .zip(&self.classes)
                    .filter(|(_, k)| **k == class)
                    .map(|(p, _)| *p)
                    .collect(),
                color,
                shape,
                r: 4.0,
                outline: TEXT,
            });
            legend.push(Entry {
                label: self.class_name(class),
                swatch: Swatch::Dot {
                    color,
                    shape,
                    outline: TEXT,
                },
            });
        }
        let axis = |label: &str, (lo, hi): (f64, f64)| Axis {
            label: label.to_string(),
            scale: Scale { lo, hi, log: false },
            integer: false,
        };
        Frame {
            title: self.title.clone(),
            x: axis(&self.x_label, x),
            y: axis(&self.y_label, y),
            categories: None,
            marks,
            legend,
            position: SeriesLabelPosition::UpperRight,
            plot_height: PLOT_HEIGHT,
            filled,
        }
    }

    fn class_name(&self, class: usize) -> String {
        self.class_names
            .get(class)
            .cloned()
            .unwrap_or_else(|| format!("class {class}"))
    }
}

fn check_points(points: &[(f64, f64)], classes: &[usize]) -> Result<(), Error> {
    if points.is_empty() {
        return Err(Error::Empty {
            what: "points".into(),
        });
    }
    if classes.len() != points.len() {
        return Err(Error::Mismatch {
            what: "one class per point".into(),
            expected: points.len(),
            got: classes.len(),
        });
    }
    check_finite("points, x", points.iter().map(|p| p.0))?;
    check_finite("points, y", points.iter().map(|p| p.1))
}

/// A rectangular grid of `nx` x `ny` cells over [x0, x1] x [y0, y1], on which a
/// classifier's predictions are drawn as regions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Left edge.
    pub x0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y0: f64,
    /// Top edge.
    pub y1: f64,
    /// Cells across.
    pub nx: usize,
    /// Cells up.
    pub ny: usize,
}

impl Grid {
    /// A grid over the given box.
    pub fn new(x: (f64, f64), y: (f64, f64), nx: usize, ny: usize) -> Result<Self, Error> {
        for (name, v) in [
            ("grid x0", x.0),
            ("grid x1", x.1),
            ("grid y0", y.0),
            ("grid y1", y.1),
        ] {
            if !v.is_finite() {
                return Err(Error::OutOfRange {
                    name,
                    expected: "finite",
                    value: v,
                });
            }
        }
        if x.1 <= x.0 {
            return Err(Error::OutOfRange {
                name: "grid x1",
                expected: "above x0",
                value: x.1,
            });
        }
        if y.1 <= y.0 {
            return Err(Error::OutOfRange {
                name: "grid y1",
                expected: "above y0",
                value: y.1,
            });
        }
        if nx == 0 || ny == 0 {
            return Err(Error::Empty {
                what: format!("grid of {nx} x {ny} cells"),
            });
        }
        Ok(Grid {
            x0: x.0,
            x1: x.1,
            y0: y.0,
            y1: y.1,
            nx,
            ny,
        })
    }
    /// A grid over the points' bounding box widened by `margin` on every side.
    pub fn around(points: &[(f64, f64)], margin: f64, nx: usize, ny: usize) -> Result<Self, Error> {
        if points.is_empty() {
            return Err(Error::Empty {
                what: "points".into(),
            });
        }
        check_finite("points, x", points.iter().map(|p| p.0))?;
        check_finite("points, y", points.iter().map(|p| p.1))?;
        if !(margin.is_finite() && margin > 0.0) {
            return Err(Error::OutOfRange {
                name: "margin",
                expected: "finite and > 0",
                value: margin,
            });
        }
        let (x0, x1) = style::min_max(points.iter().map(|p| p.0));
        let (y0, y1) = style::min_max(points.iter().map(|p| p.1));
        Grid::new(
            (x0 - margin, x1 + margin),
            (y0 - margin, y1 + margin),
            nx,
            ny,
        )
    }
    /// Width and height of a cell.
    pub fn cell(&self) -> (f64, f64) {
        (
            (self.x1 - self.x0) / self.nx as f64,
            (self.y1 - self.y0) / self.ny as f64,
        )
    }
    /// The centres of all cells, row by row from the bottom (y outer, x inner): the
    /// inputs at which to evaluate a classifier, in the order [`DecisionMap::regions`] expects.
    pub fn centres(&self) -> Vec<(f64, f64)> {
        let (dx, dy) = self.cell();
        (0..self.ny)
            .flat_map(|j| {
                (0..self.nx).map(move |i| {
                    (
                        self.x0 + dx * (i as f64 + 0.5),
                        self.y0 + dy * (j as f64 + 0.5),
                    )
                })
            })
            .collect()
    }
    /// The same centres as one flat row-major list [x, y, x, y, ...], ready for
    /// `Array2::from_shape_vec((n, 2), ...)`.
    pub fn centres_flat(&self) -> Vec<f64> {
        self.centres()
            .into_iter()
            .flat_map(|(x, y)| [x, y])
            .collect()
    }
}

/// A classifier's decision regions (one light tint per predicted class on a grid) with
/// labelled points on top. CSV: `layer,class,x,y`, where layer is `region` for a grid
/// cell centre and its predicted class, and `point` for a data point and its true class.
#[derive(Debug, Clone)]
pub struct DecisionMap {
    scatter: ScatterChart,
    grid: Option<Grid>,
    predicted: Vec<usize>,
}

impl DecisionMap {
    /// A chart to be saved as `name` with `title` above it.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        DecisionMap {
            scatter: ScatterChart::new(name, title),
            grid: None,
            predicted: Vec::new(),
        }
    }
    /// The axis descriptions, with units.
    pub fn axes(mut self, x_label: impl Into<String>, y_label: impl Into<String>) -> Self {
        self.scatter = self.scatter.axes(x_label, y_label);
        self
    }
    /// The predicted class of every cell of `grid`, in the order of [`Grid::centres`].
    pub fn regions(mut self, grid: Grid, predicted: Vec<usize>) -> Self {
        self.grid = Some(grid);
        self.predicted = predicted;
        self
    }
    /// The data points and their true classes.
    pub fn points(mut self, points: Vec<(f64, f64)>, classes: Vec<usize>) -> Self {
        self.scatter = self.scatter.points(points, classes);
        self
    }
    /// Legend names of the classes.
    pub fn class_names(mut self, names: &[&str]) -> Self {
        self.scatter = self.scatter.class_names(names);
        self
    }

    /// Draw the chart.
    pub fn render(&self) -> Result<Figure, Error> {
        let Some(grid) = self.grid else {
            return Err(Error::Empty {
                what: "decision regions (call regions first)".into(),
            });
        };
        if self.predicted.len() != grid.nx * grid.ny {
            return Err(Error::Mismatch {
                what: "one prediction per grid cell".into(),
                expected: grid.nx * grid.ny,
                got: self.predicted.len(),
            });
        }
        check_points(&self.scatter.points, &self.scatter.classes)?;
        let (px0, px1) = style::min_max(self.scatter.points.iter().map(|p| p.0));
        let (py0, py1) = style::min_max(self.scatter.points.iter().map(|p| p.1));
        let range = (
            grid.x0.min(px0)..grid.x1.max(px1),
            grid.y0.min(py0)..grid.y1.max(py1),
        );
        let s = &self.scatter;
        let frame = s.frame(
            (range.0.start, range.0.end),
            (range.1.start, range.1.end),
            regions(&grid, &self.predicted),
        );
        let (svg, phone) = (frame.render(Canvas::Desktop), frame.render(Canvas::Phone));
        let mut csv = Csv::new(&["layer", "class", "x", "y"]);
        for ((x, y), c) in grid.centres().into_iter().zip(&self.predicted) {
            csv.row(["region".to_string(), c.to_string(), csv_num(x), csv_num(y)]);
        }
        for (&(x, y), &c) in s.points.iter().zip(&s.classes) {
            csv.row(["point".to_string(), c.to_string(), csv_num(x), csv_num(y)]);
        }
        Figure::checked(s.name.clone(), svg, phone, csv.finish())
    }
}

/// The predicted classes of a grid as tinted boxes, one path per class: each row's runs
/// of equal cells are merged into one box, so a 60 x 60 grid takes a few hundred boxes
/// rather than 3600 (and the SVG a few kilobytes rather than hundreds).
fn regions(grid: &Grid, predicted: &[usize]) -> Vec<Mark> {
    let (dx, dy) = grid.cell();
    let mut by_class: Vec<Vec<[(f64, f64); 2]>> = Vec::new();
    for j in 0..grid.ny {
        let row = &predicted[j * grid.nx..(j + 1) * grid.nx];
        let mut i0 = 0;
        while i0 < row.len() {
            let class = row[i0];
            let i1 = (i0..row.len())
                .find(|&i| row[i] != class)
                .unwrap_or(row.len());
            if by_class.len() <= class {
                by_class.resize(class + 1, Vec::new());
            }
            by_class[class].push([
                (grid.x0 + dx * i0 as f64, grid.y0 + dy * j as f64),
                (grid.x0 + dx * i1 as f64, grid.y0 + dy * (j + 1) as f64),
            ]);
            i0 = i1;
        }
    }
    by_class
        .into_iter()
        .enumerate()
        .filter(|(_, boxes)| !boxes.is_empty())
        .map(|(class, boxes)| Mark::Boxes {
            boxes,
            color: style::tint(class, 0.78),
            crisp: true,
        })
        .collect()
}

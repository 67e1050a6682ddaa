//! Labelled 2-D points, and the decision regions of a classifier under them.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::style::{self, FONT, GRID, TEXT};
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
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, style::SIZE).into_drawing_area();
            root.fill(&WHITE)?;
            draw_classes(
                &root,
                &self.title,
                (&self.x_label, &self.y_label),
                (x0..x1, y0..y1),
                None,
                self,
            )?;
            root.present()?;
        }
        let mut csv = Csv::new(&["class", "x", "y"]);
        for (&(x, y), &c) in self.points.iter().zip(&self.classes) {
            csv.row([c.to_string(), csv_num(x), csv_num(y)]);
        }
        Ok(Figure {
            name: self.name.clone(),
            svg,
            csv: csv.finish(),
        })
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
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, style::SIZE).into_drawing_area();
            root.fill(&WHITE)?;
            draw_classes(
                &root,
                &s.title,
                (&s.x_label, &s.y_label),
                range,
                Some((&grid, &self.predicted)),
                s,
            )?;
            root.present()?;
        }
        let mut csv = Csv::new(&["layer", "class", "x", "y"]);
        for ((x, y), c) in grid.centres().into_iter().zip(&self.predicted) {
            csv.row(["region".to_string(), c.to_string(), csv_num(x), csv_num(y)]);
        }
        for (&(x, y), &c) in s.points.iter().zip(&s.classes) {
            csv.row(["point".to_string(), c.to_string(), csv_num(x), csv_num(y)]);
        }
        Ok(Figure {
            name: s.name.clone(),
            svg,
            csv: csv.finish(),
        })
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn draw_classes(
    root: &Area<'_>,
    title: &str,
    (x_label, y_label): (&str, &str),
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    regions: Option<(&Grid, &[usize])>,
    s: &ScatterChart,
) -> Result<(), Error> {
    let mut chart = style::frame(root, title, 64).build_cartesian_2d(x, y)?;
    if let Some((grid, predicted)) = regions {
        let (dx, dy) = grid.cell();
        chart.draw_series(
            grid.centres()
                .into_iter()
                .zip(predicted)
                .map(|((cx, cy), &c)| {
                    Rectangle::new(
                        [
                            (cx - dx / 2.0, cy - dy / 2.0),
                            (cx + dx / 2.0, cy + dy / 2.0),
                        ],
                        style::tint(c, 0.78).filled(),
                    )
                }),
        )?;
    }
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&|v| style::format_number(*v))
        .y_label_formatter(&|v| style::format_number(*v))
        .axis_desc_style((FONT, style::DESC_SIZE).into_font().color(&TEXT))
        .label_style((FONT, style::LABEL_SIZE).into_font().color(&TEXT))
        .axis_style(TEXT)
        .bold_line_style(if regions.is_some() {
            TRANSPARENT
        } else {
            GRID.into()
        })
        .light_line_style(TRANSPARENT)
        .draw()?;
    let mut present: Vec<usize> = s.classes.clone();
    present.sort_unstable();
    present.dedup();
    for class in present {
        let c = style::color(class);
        let pts = s
            .points
            .iter()
            .zip(&s.classes)
            .filter(|(_, k)| **k == class)
            .map(|(p, _)| *p);
        let outline = TEXT.stroke_width(1);
        let name = s.class_name(class);
        // One marker shape per class (circle, square, triangle, diamond), so classes stay
        // apart even without colour; the legend shows the same shape.
        macro_rules! marker {
            ($fill:expr, $line:expr) => {{
                chart
                    .draw_series(
                        pts.map(|p| EmptyElement::at(p) + $fill(c.filled()) + $line(outline)),
                    )?
                    .label(name)
                    .legend(move |(x, y)| {
                        EmptyElement::at((x + 8, y)) + $fill(c.filled()) + $line(outline)
                    });
            }};
        }
        match class % 4 {
            0 => marker!(
                |st: ShapeStyle| Circle::new((0, 0), 4, st),
                |st: ShapeStyle| Circle::new((0, 0), 4, st)
            ),
            1 => marker!(
                |st: ShapeStyle| Rectangle::new([(-4, -4), (4, 4)], st),
                |st: ShapeStyle| Rectangle::new([(-4, -4), (4, 4)], st)
            ),
            2 => {
                const TRIANGLE: [(i32, i32); 3] = [(0, -5), (5, 4), (-5, 4)];
                marker!(
                    |st: ShapeStyle| Polygon::new(TRIANGLE.to_vec(), st),
                    |st: ShapeStyle| PathElement::new([&TRIANGLE[..], &TRIANGLE[..1]].concat(), st)
                )
            }
            _ => {
                const DIAMOND: [(i32, i32); 4] = [(0, -5), (5, 0), (0, 5), (-5, 0)];
                marker!(
                    |st: ShapeStyle| Polygon::new(DIAMOND.to_vec(), st),
                    |st: ShapeStyle| PathElement::new([&DIAMOND[..], &DIAMOND[..1]].concat(), st)
                )
            }
        }
    }
    style::legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

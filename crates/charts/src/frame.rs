//! The frame all charts share: title, axes with ticks and grid, the data marks, and a
//! legend that never covers data. A chart type turns its data into [`Mark`]s in data
//! coordinates; [`Frame`] lays out one plot, and the pieces ([`draw_axes`],
//! [`draw_marks`]) also serve multi-panel figures.

use crate::axis::{self, Direction, Scale, Ticks};
use crate::style::{
    AXIS, Canvas, DESC_SIZE, GRID, LABEL_SIZE, LEGEND_BORDER, MINOR_GRID, Rgb, TITLE_SIZE,
};
use crate::svg::{Anchor, Font, PathData, Rect, Svg, px};
use crate::text;

/// Outer margin of a chart.
pub(crate) const MARGIN: f64 = 12.0;
/// Length of a tick mark, and the gap between it and its label.
pub(crate) const TICK: f64 = 5.0;
pub(crate) const TICK_GAP: f64 = 4.0;

/// Where a chart's legend goes. The legend never covers data: the chart draws it at the
/// preferred corner or side of the plot if no point, line or bar lies there, otherwise at
/// the first free one of the others (upper right, upper left, lower right, lower left,
/// upper middle, lower middle, middle right, middle left), and otherwise below the plot.
/// `Below` puts it below the plot in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesLabelPosition {
    /// Inside the plot, top left.
    UpperLeft,
    /// Inside the plot, top centre.
    UpperMiddle,
    /// Inside the plot, top right (the default).
    #[default]
    UpperRight,
    /// Inside the plot, left, halfway up.
    MiddleLeft,
    /// Inside the plot, right, halfway up.
    MiddleRight,
    /// Inside the plot, bottom left.
    LowerLeft,
    /// Inside the plot, bottom centre.
    LowerMiddle,
    /// Inside the plot, bottom right.
    LowerRight,
    /// Below the plot, outside it.
    Below,
}

/// A linear or log axis of a frame, with its description.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub(crate) label: String,
    pub(crate) scale: Scale,
    /// Only whole-number ticks (layers, epochs, counts).
    pub(crate) integer: bool,
}

/// A point marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// Something drawn from data, in data coordinates.
#[derive(Debug, Clone)]
pub(crate) enum Mark {
    /// A polyline.
    Line {
        points: Vec<(f64, f64)>,
        color: Rgb,
        dashed: bool,
    },
    /// Markers of radius `r` px, filled with `color` and outlined in `outline`.
    Dots {
        points: Vec<(f64, f64)>,
        color: Rgb,
        shape: Shape,
        r: f64,
        outline: Rgb,
    },
    /// Vertical error bars (x, low, high) with caps.
    Whiskers {
        bars: Vec<(f64, f64, f64)>,
        color: Rgb,
    },
    /// Filled boxes given by two corners (bars, histogram bins, decision regions), drawn
    /// as one path; `crisp` snaps their edges to pixels so that neighbours leave no seam.
    Boxes {
        boxes: Vec<[(f64, f64); 2]>,
        color: Rgb,
        crisp: bool,
    },
}

/// What a legend entry shows beside its label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    Line {
        color: Rgb,
        dashed: bool,
    },
    LineDot {
        color: Rgb,
    },
    Dot {
        color: Rgb,
        shape: Shape,
        outline: Rgb,
    },
    DotWhisker {
        color: Rgb,
    },
    Box {
        color: Rgb,
    },
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) label: String,
    pub(crate) swatch: Swatch,
}

/// A plotting area: a pixel rectangle and the scales that map data into it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plot {
    pub(crate) rect: Rect,
    pub(crate) x: Scale,
    pub(crate) y: Scale,
}

impl Plot {
    /// The pixel position of a data point.
    pub(crate) fn at(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            self.rect.x0 + self.x.unit(x) * self.rect.width(),
            self.rect.y1 - self.y.unit(y) * self.rect.height(),
        )
    }
}

/// A drawn piece of data, in pixels, that a legend must not cover.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Obstacle {
    Box(Rect),
    Segment((f64, f64), (f64, f64)),
}

impl Obstacle {
    pub(crate) fn meets(&self, r: &Rect) -> bool {
        match *self {
            Obstacle::Box(b) => b.overlaps(r),
            Obstacle::Segment(a, b) => r.meets_segment(a, b),
        }
    }
}

fn label_font() -> Font {
    Font::new(LABEL_SIZE)
}

/// Grid lines, axis lines, tick marks and (where asked) tick labels of a plot.
pub(crate) fn draw_axes(
    svg: &mut Svg,
    plot: &Plot,
    xt: &Ticks,
    yt: &Ticks,
    x_labels: bool,
    y_labels: bool,
) {
    let r = plot.rect;
    let xpx = |v: f64| plot.at((v, plot.y.lo)).0;
    let ypx = |v: f64| plot.at((plot.x.lo, v)).1;
    let mut minor = PathData::default();
    for &v in &xt.minor {
        minor.move_to((xpx(v), r.y0));
        minor.line_to((xpx(v), r.y1));
    }
    for &v in &yt.minor {
        minor.move_to((r.x0, ypx(v)));
        minor.line_to((r.x1, ypx(v)));
    }
    svg.open("class=\"axes\" fill=\"none\"");
    if !minor.is_empty() {
        svg.path(minor.as_str(), &format!("stroke=\"{MINOR_GRID}\""));
    }
    let mut grid = PathData::default();
    for (v, _) in &xt.major {
        grid.move_to((xpx(*v), r.y0));
        grid.line_to((xpx(*v), r.y1));
    }
    for (v, _) in &yt.major {
        grid.move_to((r.x0, ypx(*v)));
        grid.line_to((r.x1, ypx(*v)));
    }
    if !grid.is_empty() {
        svg.path(grid.as_str(), &format!("stroke=\"{GRID}\""));
    }
    let mut axes = PathData::default();
    axes.move_to((r.x0, r.y0));
    axes.line_to((r.x0, r.y1));
    axes.line_to((r.x1, r.y1));
    for (v, _) in &xt.major {
        axes.move_to((xpx(*v), r.y1));
        axes.line_to((xpx(*v), r.y1 + TICK));
    }
    for (v, _) in &yt.major {
        axes.move_to((r.x0 - TICK, ypx(*v)));
        axes.line_to((r.x0, ypx(*v)));
    }
    svg.path(axes.as_str(), &format!("stroke=\"{AXIS}\""));
    svg.close();
    if x_labels {
        let font = label_font().anchor(Anchor::Middle);
        for (v, label) in &xt.major {
            svg.text(xpx(*v), x_label_baseline(&r), label, &font);
        }
    }
    if y_labels {
        let font = label_font().anchor(Anchor::End);
        for (v, label) in &yt.major {
            svg.text(
                r.x0 - TICK - TICK_GAP,
                ypx(*v) + 0.35 * LABEL_SIZE,
                label,
                &font,
            );
        }
    }
}

/// Baseline of the x tick labels under a plot.
pub(crate) fn x_label_baseline(plot: &Rect) -> f64 {
    plot.y1 + TICK + TICK_GAP + 1.0 + label_font().ascent()
}

/// Width of the widest y tick label.
pub(crate) fn tick_label_width(t: &Ticks) -> f64 {
    t.major
        .iter()
        .map(|(_, s)| text::width(s, LABEL_SIZE, false))
        .fold(0.0, f64::max)
}

/// Draw the marks into `plot` (in a `data` group) and return what a legend must avoid.
pub(crate) fn draw_marks(svg: &mut Svg, plot: &Plot, marks: &[Mark]) -> Vec<Obstacle> {
    let mut obstacles = Vec::new();
    svg.open("class=\"data\"");
    for mark in marks {
        match mark {
            Mark::Line {
                points,
                color,
                dashed,
            } => {
                let pts: Vec<(f64, f64)> = points.iter().map(|&p| plot.at(p)).collect();
                let dash = if *dashed {
                    " stroke-dasharray=\"7 4\""
                } else {
                    ""
                };
                svg.polyline(
                    &pts,
                    &format!(
                        "fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\"{dash}"
                    ),
                );
                obstacles.extend(pts.windows(2).map(|w| Obstacle::Segment(w[0], w[1])));
                if pts.len() == 1 {
                    obstacles.push(Obstacle::Box(Rect::spanning(pts[0], pts[0]).inflate(1.0)));
                }
            }
            Mark::Dots {
                points,
                color,
                shape,
                r,
                outline,
            } => {
                svg.open(&format!(
                    "fill=\"{color}\" stroke=\"{outline}\" stroke-width=\"1\""
                ));
                for &p in points {
                    let c = plot.at(p);
                    draw_shape(svg, *shape, c, *r);
                    obstacles.push(Obstacle::Box(
                        Rect::spanning(c, c).inflate(shape_extent(*shape, *r) + 0.5),
                    ));
                }
                svg.close();
            }
            Mark::Whiskers { bars, color } => {
                let mut d = PathData::default();
                for &(x, lo, hi) in bars {
                    let (cx, y_lo) = plot.at((x, lo));
                    let y_hi = plot.at((x, hi)).1;
                    for (a, b) in [
                        ((cx, y_lo), (cx, y_hi)),
                        ((cx - 4.0, y_lo), (cx + 4.0, y_lo)),
                        ((cx - 4.0, y_hi), (cx + 4.0, y_hi)),
                    ] {
                        d.move_to(a);
                        d.line_to(b);
                        obstacles.push(Obstacle::Segment(a, b));
                    }
                }
                if !d.is_empty() {
                    svg.path(
                        d.as_str(),
                        &format!("fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\""),
                    );
                }
            }
            Mark::Boxes {
                boxes,
                color,
                crisp,
            } => {
                let mut d = PathData::default();
                for &[a, b] in boxes {
                    let r = Rect::spanning(plot.at(a), plot.at(b));
                    d.rect(r);
                    obstacles.push(Obstacle::Box(r));
                }
                if !d.is_empty() {
                    let crisp = if *crisp {
                        " shape-rendering=\"crispEdges\""
                    } else {
                        ""
                    };
                    svg.path(d.as_str(), &format!("fill=\"{color}\"{crisp}"));
                }
            }
        }
    }
    svg.close();
    obstacles
}

/// Half the width of a marker of radius `r`.
fn shape_extent(shape: Shape, r: f64) -> f64 {
    match shape {
        Shape::Circle | Shape::Square => r,
        Shape::Triangle | Shape::Diamond => 1.25 * r,
    }
}

/// A marker centred at `c` (fill and stroke come from the enclosing group).
fn draw_shape(svg: &mut Svg, shape: Shape, (x, y): (f64, f64), r: f64) {
    match shape {
        Shape::Circle => svg.circle((x, y), r, ""),
        Shape::Square => svg.rect(Rect::spanning((x - r, y - r), (x + r, y + r)), ""),
        Shape::Triangle => {
            let s = 1.25 * r;
            let mut d = PathData::default();
            d.move_to((x, y - s));
            d.line_to((x + s, y + 0.8 * s));
            d.line_to((x - s, y + 0.8 * s));
            d.close();
            svg.path(d.as_str(), "");
        }
        Shape::Diamond => {
            let s = 1.25 * r;
            let mut d = PathData::default();
            d.move_to((x, y - s));
            d.line_to((x + s, y));
            d.line_to((x, y + s));
            d.line_to((x - s, y));
            d.close();
            svg.path(d.as_str(), "");
        }
    }
}

/// Legend geometry: a swatch this wide, then a gap, then the label; rows this tall.
const SWATCH: f64 = 28.0;
const SWATCH_GAP: f64 = 7.0;
const ROW: f64 = 21.0;
const PAD: f64 = 8.0;
/// Horizontal space between columns of a legend below the plot.
const COLUMN_GAP: f64 = 22.0;

fn entry_width(e: &Entry) -> f64 {
    SWATCH + SWATCH_GAP + text::width(&e.label, LABEL_SIZE, false)
}

/// Where the legend's entries go: its box and, per entry, the left end of the swatch and
/// the vertical centre of its row.
#[derive(Debug, Clone)]
pub(crate) struct LegendLayout {
    pub(crate) bounds: Rect,
    pub(crate) slots: Vec<(f64, f64)>,
    pub(crate) inside: bool,
}

/// A legend inside the plot at the first free place (the preferred one first), or
/// `None` if every place would cover data.
pub(crate) fn legend_inside(
    entries: &[Entry],
    plot: &Rect,
    obstacles: &[Obstacle],
    preferred: SeriesLabelPosition,
) -> Option<LegendLayout> {
    use SeriesLabelPosition::*;
    if preferred == Below || entries.is_empty() {
        return None;
    }
    let w = 2.0 * PAD + entries.iter().map(entry_width).fold(0.0, f64::max);
    let h = 2.0 * PAD + ROW * entries.len() as f64 - (ROW - LABEL_SIZE);
    let inset = 8.0;
    let (left, right) = (plot.x0 + inset, plot.x1 - inset - w);
    let (top, bottom) = (plot.y0 + inset, plot.y1 - inset - h);
    let (centre, middle) = ((plot.x0 + plot.x1 - w) / 2.0, (plot.y0 + plot.y1 - h) / 2.0);
    if right < left || bottom < top {
        return None;
    }
    let order = [
        preferred,
        UpperRight,
        UpperLeft,
        LowerRight,
        LowerLeft,
        UpperMiddle,
        LowerMiddle,
        MiddleRight,
        MiddleLeft,
    ];
    for position in order {
        let (x, y) = match position {
            UpperLeft => (left, top),
            UpperMiddle => (centre, top),
            UpperRight => (right, top),
            MiddleLeft => (left, middle),
            MiddleRight => (right, middle),
            LowerLeft => (left, bottom),
            LowerMiddle => (centre, bottom),
            LowerRight => (right, bottom),
            Below => continue,
        };
        let bounds = Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        };
        let guard = bounds.inflate(3.0);
        if obstacles.iter().all(|o| !o.meets(&guard)) {
            let slots = (0..entries.len())
                .map(|i| (x + PAD, y + PAD + LABEL_SIZE / 2.0 + ROW * i as f64))
                .collect();
            return Some(LegendLayout {
                bounds,
                slots,
                inside: true,
            });
        }
    }
    None
}

/// A legend below the plot, from `left` to at most `right`, its top at `top`, in as many
/// columns as fit. Entries that belong together (runs of one colour, such as a
/// measurement and its prediction) stay together: a column per group if the groups fit
/// side by side, otherwise a row per group; other legends fill their columns in turn.
pub(crate) fn legend_below(entries: &[Entry], left: f64, right: f64, top: f64) -> LegendLayout {
    let n = entries.len().max(1);
    let col = entries.iter().map(entry_width).fold(0.0, f64::max) + COLUMN_GAP;
    let fit = (((right - left + COLUMN_GAP) / col).floor() as usize).clamp(1, n);
    let colors: Vec<Rgb> = entries.iter().map(|e| swatch_color(&e.swatch)).collect();
    let runs: Vec<usize> = colors.chunk_by(|a, b| a == b).map(<[Rgb]>::len).collect();
    let equal = runs.len() > 1 && runs[0] > 1 && runs.iter().all(|&r| r == runs[0]);
    // (column, row) of every entry.
    let cells: Vec<(usize, usize)> = if equal && runs.len() <= fit {
        // A column per group.
        (0..n).map(|i| (i / runs[0], i % runs[0])).collect()
    } else if equal && runs[0] <= fit {
        // A row per group.
        (0..n).map(|i| (i % runs[0], i / runs[0])).collect()
    } else {
        // Whole runs into at most `fit` columns, as few rows as that allows.
        (n.div_ceil(fit)..=n)
            .find_map(|rows| pack(&runs, rows, fit))
            .unwrap_or_else(|| (0..n).map(|i| (0, i)).collect())
    };
    let cols = cells.iter().map(|c| c.0 + 1).max().unwrap_or(1);
    let rows = cells.iter().map(|c| c.1 + 1).max().unwrap_or(1);
    let slots = cells
        .iter()
        .map(|&(c, r)| {
            (
                left + col * c as f64,
                top + LABEL_SIZE / 2.0 + ROW * r as f64,
            )
        })
        .collect();
    LegendLayout {
        bounds: Rect {
            x0: left,
            y0: top,
            x1: left + col * cols as f64 - COLUMN_GAP,
            y1: top + ROW * rows as f64 - (ROW - LABEL_SIZE),
        },
        slots,
        inside: false,
    }
}

/// The colour of a swatch.
fn swatch_color(s: &Swatch) -> Rgb {
    match *s {
        Swatch::Line { color, .. }
        | Swatch::LineDot { color }
        | Swatch::Dot { color, .. }
        | Swatch::DotWhisker { color }
        | Swatch::Box { color } => color,
    }
}

/// Cells for runs of entries filled column by column, `rows` to a column, a run moved
/// whole to the next column when it does not fit in what is left of one (a run longer
/// than a column is split); `None` if that takes more than `cols` columns.
fn pack(runs: &[usize], rows: usize, cols: usize) -> Option<Vec<(usize, usize)>> {
    let mut cells = Vec::new();
    let (mut c, mut r) = (0, 0);
    for &run in runs {
        if r > 0 && r + run > rows && run <= rows {
            c += 1;
            r = 0;
        }
        for _ in 0..run {
            if r == rows {
                c += 1;
                r = 0;
            }
            cells.push((c, r));
            r += 1;
        }
    }
    (c < cols).then_some(cells)
}

/// Draw a legend laid out by [`legend_inside`] or [`legend_below`]: a `legend` group whose
/// first element is its box (framed when inside the plot).
pub(crate) fn draw_legend(svg: &mut Svg, entries: &[Entry], layout: &LegendLayout) {
    svg.open("class=\"legend\"");
    let frame = if layout.inside {
        format!("fill=\"#FFFFFF\" stroke=\"{LEGEND_BORDER}\"")
    } else {
        "fill=\"none\"".to_string()
    };
    svg.rect(layout.bounds, &frame);
    let font = label_font();
    for (e, &(x, yc)) in entries.iter().zip(&layout.slots) {
        draw_swatch(svg, e.swatch, x, yc);
        svg.text(
            x + SWATCH + SWATCH_GAP,
            yc + 0.35 * LABEL_SIZE,
            &e.label,
            &font,
        );
    }
    svg.close();
}

fn draw_swatch(svg: &mut Svg, swatch: Swatch, x: f64, y: f64) {
    let mid = x + SWATCH / 2.0;
    match swatch {
        Swatch::Line { color, dashed } => {
            let dash = if dashed {
                " stroke-dasharray=\"7 4\""
            } else {
                ""
            };
            svg.line(
                (x + 1.0, y),
                (x + SWATCH - 1.0, y),
                &format!("stroke=\"{color}\" stroke-width=\"2.5\"{dash}"),
            );
        }
        Swatch::LineDot { color } => {
            svg.line(
                (x + 1.0, y),
                (x + SWATCH - 1.0, y),
                &format!("stroke=\"{color}\" stroke-width=\"2.5\""),
            );
            svg.circle((mid, y), 3.5, &format!("fill=\"{color}\""));
        }
        Swatch::Dot {
            color,
            shape,
            outline,
        } => {
            svg.open(&format!(
                "fill=\"{color}\" stroke=\"{outline}\" stroke-width=\"1\""
            ));
            draw_shape(svg, shape, (mid, y), 4.5);
            svg.close();
        }
        Swatch::DotWhisker { color } => {
            svg.path(
                &format!(
                    "M{m} {a}L{m} {b}M{l} {a}L{r} {a}M{l} {b}L{r} {b}",
                    m = px(mid),
                    l = px(mid - 4.0),
                    r = px(mid + 4.0),
                    a = px(y - 7.0),
                    b = px(y + 7.0)
                ),
                &format!("fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\""),
            );
            svg.circle((mid, y), 4.0, &format!("fill=\"{color}\""));
        }
        Swatch::Box { color } => {
            svg.rect(
                Rect::spanning((x + 6.0, y - 6.0), (x + SWATCH - 6.0, y + 6.0)),
                &format!("fill=\"{color}\""),
            );
        }
    }
}

/// Title lines of a chart `width` px wide.
pub(crate) fn title_lines(title: &str, width: f64) -> Vec<String> {
    if title.trim().is_empty() {
        return Vec::new();
    }
    text::wrap_balanced(title, TITLE_SIZE, true, width - 2.0 * MARGIN)
}

/// Draw title lines from the top margin (they take [`title_height`]).
pub(crate) fn draw_title(svg: &mut Svg, lines: &[String]) {
    let font = Font::new(TITLE_SIZE).bold();
    for (i, line) in lines.iter().enumerate() {
        svg.text(
            MARGIN,
            MARGIN + font.ascent() + font.line_height() * i as f64,
            line,
            &font,
        );
    }
}

/// The height the title takes (see [`draw_title`]).
pub(crate) fn title_height(lines: &[String]) -> f64 {
    let font = Font::new(TITLE_SIZE).bold();
    if lines.is_empty() {
        MARGIN
    } else {
        MARGIN + font.line_height() * lines.len() as f64 + 10.0
    }
}

/// One plot with its title, axes and legend: what a line, scatter or bar chart draws.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub(crate) title: String,
    pub(crate) x: Axis,
    pub(crate) y: Axis,
    /// A categorical x axis: one label per category, centred on 0, 1, 2, ...; no x ticks.
    pub(crate) categories: Option<Vec<String>>,
    pub(crate) marks: Vec<Mark>,
    pub(crate) legend: Vec<Entry>,
    pub(crate) position: SeriesLabelPosition,
    pub(crate) plot_height: f64,
    /// Marks that fill the plot (decision regions): the legend never goes inside.
    pub(crate) filled: bool,
}

impl Frame {
    /// Lay out and draw the chart on `canvas`.
    pub(crate) fn render(&self, canvas: Canvas) -> String {
        let width = canvas.width();
        let desc = Font::new(DESC_SIZE);
        let title = title_lines(&self.title, width);
        let top = title_height(&title);
        let plot_h = canvas.plot_height(self.plot_height);
        let y_ticks = axis::ticks(&self.y.scale, self.y.integer, plot_h, Direction::Vertical);
        let y_desc = if self.y.label.is_empty() {
            Vec::new()
        } else {
            // The description may reach 10 px past either end of the plot.
            text::wrap_balanced(&self.y.label, DESC_SIZE, false, plot_h + 20.0)
        };
        let desc_w = if y_desc.is_empty() {
            0.0
        } else {
            desc.ascent() + desc.descent() + desc.line_height() * (y_desc.len() - 1) as f64 + 8.0
        };
        let x0 = MARGIN + desc_w + tick_label_width(&y_ticks) + TICK_GAP + TICK;
        // Narrow the plot until the last x label fits inside the right margin.
        let mut x1 = width - MARGIN - 4.0;
        let mut x_ticks = Ticks {
            major: Vec::new(),
            minor: Vec::new(),
        };
        for _ in 0..3 {
            if self.categories.is_some() {
                break;
            }
            let scale = self.x.scale;
            x_ticks = axis::ticks(&scale, self.x.integer, x1 - x0, Direction::Horizontal);
            let overflow = x_ticks
                .major
                .iter()
                .map(|(v, s)| {
                    x0 + scale.unit(*v) * (x1 - x0) + text::width(s, LABEL_SIZE, false) / 2.0
                        - (width - 6.0)
                })
                .fold(0.0, f64::max);
            if overflow <= 0.0 {
                break;
            }
            x1 -= overflow;
        }
        let rect = Rect {
            x0,
            y0: top,
            x1,
            y1: top + plot_h,
        };
        let plot = Plot {
            rect,
            x: self.x.scale,
            y: self.y.scale,
        };
        let label_font = label_font();
        // Category labels, wrapped to their slot; where a word is wider than its slot (a
        // phone), every other label moves down below the first ones and may take two slots.
        let widest = |lines: &[Vec<String>]| {
            lines
                .iter()
                .flatten()
                .map(|l| text::width(l, LABEL_SIZE, false))
                .fold(0.0, f64::max)
        };
        let (cat_lines, cat_offsets): (Vec<Vec<String>>, Vec<usize>) = match &self.categories {
            None => (Vec::new(), Vec::new()),
            Some(cats) => {
                let pitch = rect.width() / cats.len().max(1) as f64;
                let wrap = |w: f64| -> Vec<Vec<String>> {
                    cats.iter()
                        .map(|c| text::wrap_balanced(c, LABEL_SIZE, false, w))
                        .collect()
                };
                let lines = wrap(pitch - 8.0);
                if widest(&lines) <= pitch - 4.0 {
                    let n = lines.len();
                    (lines, vec![0; n])
                } else {
                    let lines = wrap(2.0 * pitch - 8.0);
                    let first = lines.iter().step_by(2).map(Vec::len).max().unwrap_or(1);
                    let offsets = (0..lines.len()).map(|i| (i % 2) * first).collect();
                    (lines, offsets)
                }
            }
        };
        let tick_rows = cat_lines
            .iter()
            .zip(&cat_offsets)
            .map(|(l, o)| l.len() + o)
            .max()
            .unwrap_or(1)
            .max(1);
        let ticks_bottom = x_label_baseline(&rect)
            + label_font.line_height() * (tick_rows - 1) as f64
            + label_font.descent();
        let x_desc_base = ticks_bottom + 8.0 + desc.ascent();
        let x_desc = if self.x.label.is_empty() {
            Vec::new()
        } else {
            text::wrap_balanced(&self.x.label, DESC_SIZE, false, width - 2.0 * MARGIN)
        };
        let below_axis = if x_desc.is_empty() {
            ticks_bottom
        } else {
            x_desc_base + desc.line_height() * (x_desc.len() - 1) as f64 + desc.descent()
        };

        // Draw into a scratch document first to learn where the data lies, then place the
        // legend and size the real one.
        let mut scratch = Svg::new(width, 1.0, "");
        let obstacles = draw_marks(&mut scratch, &plot, &self.marks);
        let mut obstacles_all = obstacles;
        if self.filled {
            obstacles_all.push(Obstacle::Box(rect));
        }
        let legend = if self.legend.is_empty() {
            None
        } else {
            Some(
                legend_inside(&self.legend, &rect, &obstacles_all, self.position).unwrap_or_else(
                    || legend_below(&self.legend, MARGIN, width - MARGIN, below_axis + 14.0),
                ),
            )
        };
        let bottom = match &legend {
            Some(l) if !l.inside => l.bounds.y1,
            _ => below_axis,
        };
        let height = (bottom + MARGIN).ceil();

        let mut svg = Svg::new(width, height, &self.title);
        draw_title(&mut svg, &title);
        draw_axes(&mut svg, &plot, &x_ticks, &y_ticks, true, true);
        for (i, lines) in cat_lines.iter().enumerate() {
            let x = plot.at((i as f64, self.y.scale.lo)).0;
            for (k, line) in lines.iter().enumerate() {
                svg.text(
                    x,
                    x_label_baseline(&rect)
                        + label_font.line_height() * (k + cat_offsets[i]) as f64,
                    line,
                    &label_font.anchor(Anchor::Middle),
                );
            }
        }
        for (k, line) in x_desc.iter().enumerate() {
            // Centred under the plot, or under the canvas when that keeps it inside.
            let half = text::width(line, DESC_SIZE, false) / 2.0;
            let (lo, hi) = (MARGIN + half, width - MARGIN - half);
            let centre = (rect.x0 + rect.x1) / 2.0;
            svg.text(
                if lo <= hi {
                    centre.clamp(lo, hi)
                } else {
                    width / 2.0
                },
                x_desc_base + desc.line_height() * k as f64,
                line,
                &desc.anchor(Anchor::Middle),
            );
        }
        for (k, line) in y_desc.iter().enumerate() {
            svg.text(
                MARGIN + desc.ascent() + desc.line_height() * k as f64,
                (rect.y0 + rect.y1) / 2.0,
                line,
                &desc.anchor(Anchor::Middle).vertical(),
            );
        }
        draw_marks(&mut svg, &plot, &self.marks);
        if let Some(l) = &legend {
            draw_legend(&mut svg, &self.legend, l);
        }
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::color;

    fn entries(colors: &[usize]) -> Vec<Entry> {
        colors
            .iter()
            .map(|&c| Entry {
                label: format!("series in colour {c}"),
                swatch: Swatch::Line {
                    color: color(c),
                    dashed: false,
                },
            })
            .collect()
    }

    fn cells(layout: &LegendLayout) -> Vec<(usize, usize)> {
        let x0 = layout.slots[0].0;
        let y0 = layout.slots[0].1;
        let col = layout
            .slots
            .iter()
            .map(|s| s.0 - x0)
            .find(|&d| d > 0.0)
            .unwrap_or(1.0);
        layout
            .slots
            .iter()
            .map(|s| {
                (
                    ((s.0 - x0) / col).round() as usize,
                    ((s.1 - y0) / ROW).round() as usize,
                )
            })
            .collect()
    }

    #[test]
    fn legends_below_keep_runs_of_one_colour_together() {
        // Pairs (a measurement and its prediction) that fit side by side: a column each.
        let l = legend_below(&entries(&[0, 0, 1, 1]), 0.0, 600.0, 0.0);
        assert_eq!(cells(&l), [(0, 0), (0, 1), (1, 0), (1, 1)]);
        // Three pairs in two columns: a row each.
        let l = legend_below(&entries(&[0, 0, 1, 1, 2, 2]), 0.0, 500.0, 0.0);
        assert_eq!(cells(&l), [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (1, 2)]);
        // Runs of unequal length are packed whole into the columns.
        let l = legend_below(&entries(&[0, 0, 6, 1, 1, 2, 2]), 0.0, 500.0, 0.0);
        assert_eq!(
            cells(&l),
            [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (1, 3)]
        );
        // Distinct colours fill columns in turn.
        let l = legend_below(&entries(&[0, 1, 2, 3]), 0.0, 500.0, 0.0);
        assert_eq!(cells(&l), [(0, 0), (0, 1), (1, 0), (1, 1)]);
        // One column when only one fits.
        let l = legend_below(&entries(&[0, 0, 1, 1]), 0.0, 200.0, 0.0);
        assert_eq!(cells(&l), [(0, 0), (0, 1), (0, 2), (0, 3)]);
    }
}

//! A panel of small histograms, one per layer, on a shared x range: the picture of how
//! activations spread (or collapse) as they pass through a deep network.

use crate::axis::{self, Direction, Scale};
use crate::frame::{
    self, MARGIN, Mark, Plot, TICK, TICK_GAP, draw_axes, draw_marks, tick_label_width,
};
use crate::style::{self, Canvas, DESC_SIZE, LABEL_SIZE};
use crate::svg::{Anchor, Font, Rect, Svg};
use crate::text;
use crate::{Csv, Error, Figure, check_finite, csv_num};

/// Height of the plotting area of one histogram, the gap between columns of panels and
/// between rows.
const PANEL_HEIGHT: f64 = 105.0;
const COLUMN_GAP: f64 = 26.0;
const ROW_GAP: f64 = 14.0;

/// The binned values of a [`HistogramPanel`]: counts per panel and bin, over [lo, hi].
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    /// Count of each bin, one list per panel.
    pub counts: Vec<Vec<usize>>,
    /// Left edge of the first bin.
    pub lo: f64,
    /// Right edge of the last bin.
    pub hi: f64,
}

/// One small histogram per panel (for example per layer), all over the same range and
/// bins, in rows of [`HistogramPanel::columns`] panels (default 2, so that a phone shows
/// them legibly) under one title. Bars show the fraction of a panel's values in each bin; values outside the
/// range are counted in the first or last bin, so nothing is dropped silently.
/// CSV: `panel,bin_low,bin_high,count,fraction`.
#[derive(Debug, Clone)]
pub struct HistogramPanel {
    name: String,
    title: String,
    x_label: String,
    range: Option<(f64, f64)>,
    bins: usize,
    columns: usize,
    shared_y: bool,
    panels: Vec<(String, Vec<f64>)>,
}

impl HistogramPanel {
    /// A panel to be saved as `name` with `title` above it: 40 bins, 2 histograms per
    /// row, one y scale for all.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        HistogramPanel {
            name: name.into(),
            title: title.into(),
            x_label: String::new(),
            range: None,
            bins: 40,
            columns: 2,
            shared_y: true,
            panels: Vec::new(),
        }
    }
    /// The x axis description, with its unit, under every histogram.
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }
    /// The x range of every histogram (default: the span of all values).
    pub fn range(mut self, lo: f64, hi: f64) -> Self {
        self.range = Some((lo, hi));
        self
    }
    /// Number of equal-width bins.
    pub fn bins(mut self, bins: usize) -> Self {
        self.bins = bins;
        self
    }
    /// Histograms per row.
    pub fn columns(mut self, columns: usize) -> Self {
        self.columns = columns;
        self
    }
    /// Give each histogram its own y scale (default: one scale for all, to compare).
    pub fn own_y_scales(mut self) -> Self {
        self.shared_y = false;
        self
    }
    /// Add a histogram of `values` titled `label`.
    pub fn panel(mut self, label: impl Into<String>, values: &[f64]) -> Self {
        self.panels.push((label.into(), values.to_vec()));
        self
    }

    /// The bin counts of every panel (what [`HistogramPanel::render`] draws) and the range.
    pub fn counts(&self) -> Result<Bins, Error> {
        if self.panels.is_empty() {
            return Err(Error::Empty {
                what: format!("histogram panel {:?}", self.name),
            });
        }
        if self.bins == 0 {
            return Err(Error::Empty {
                what: "histogram with 0 bins".into(),
            });
        }
        if self.columns == 0 {
            return Err(Error::Empty {
                what: "histogram panel with 0 columns".into(),
            });
        }
        for (label, values) in &self.panels {
            if values.is_empty() {
                return Err(Error::Empty {
                    what: format!("histogram {label:?}"),
                });
            }
            check_finite(&format!("histogram {label:?}"), values.iter().copied())?;
        }
        let (lo, hi) = match self.range {
            Some((lo, hi)) => {
                for (name, v) in [("histogram range low", lo), ("histogram range high", hi)] {
                    if !v.is_finite() {
                        return Err(Error::OutOfRange {
                            name,
                            expected: "finite",
                            value: v,
                        });
                    }
                }
                if hi <= lo {
                    return Err(Error::OutOfRange {
                        name: "histogram range high",
                        expected: "above the low end",
                        value: hi,
                    });
                }
                (lo, hi)
            }
            None => {
                let (lo, hi) =
                    style::min_max(self.panels.iter().flat_map(|(_, v)| v.iter().copied()));
                if hi > lo {
                    (lo, hi)
                } else {
                    (lo - 0.5, hi + 0.5)
                }
            }
        };
        let width = (hi - lo) / self.bins as f64;
        let counts = self
            .panels
            .iter()
            .map(|(_, values)| {
                let mut counts = vec![0; self.bins];
                for &v in values {
                    let i = ((v - lo) / width).floor();
                    let i = if i < 0.0 {
                        0
                    } else {
                        (i as usize).min(self.bins - 1)
                    };
                    counts[i] += 1;
                }
                counts
            })
            .collect();
        Ok(Bins { counts, lo, hi })
    }

    /// Draw the panel (on a phone, one histogram per row).
    pub fn render(&self) -> Result<Figure, Error> {
        let Bins { counts, lo, hi } = self.counts()?;
        let svg = self.draw(&counts, lo, hi, Canvas::Desktop);
        let phone = self.draw(&counts, lo, hi, Canvas::Phone);
        let width = (hi - lo) / self.bins as f64;
        let edge = |i: usize| {
            if i == self.bins {
                hi
            } else {
                lo + width * i as f64
            }
        };
        let mut csv = Csv::new(&["panel", "bin_low", "bin_high", "count", "fraction"]);
        for ((label, values), c) in self.panels.iter().zip(&counts) {
            for (i, &k) in c.iter().enumerate() {
                csv.row([
                    label.clone(),
                    csv_num(edge(i)),
                    csv_num(edge(i + 1)),
                    k.to_string(),
                    csv_num(k as f64 / values.len() as f64),
                ]);
            }
        }
        Figure::checked(self.name.clone(), svg, phone, csv.finish())
    }

    /// The SVG of the panel on `canvas`.
    fn draw(&self, counts: &[Vec<usize>], lo: f64, hi: f64, canvas: Canvas) -> String {
        let canvas_width = canvas.width();
        let width = (hi - lo) / self.bins as f64;
        let edge = |i: usize| {
            if i == self.bins {
                hi
            } else {
                lo + width * i as f64
            }
        };
        let fractions: Vec<Vec<f64>> = counts
            .iter()
            .zip(&self.panels)
            .map(|(c, (_, values))| c.iter().map(|&k| k as f64 / values.len() as f64).collect())
            .collect();
        let top = |f: &[f64]| f.iter().copied().fold(0.0, f64::max).max(1e-12) * 1.08;
        let shared_top = fractions.iter().map(|f| top(f)).fold(0.0, f64::max);
        let n = self.panels.len();
        let cols = match canvas {
            Canvas::Desktop => self.columns.min(n),
            Canvas::Phone => 1,
        };
        let rows = n.div_ceil(cols);
        let x_scale = Scale { lo, hi, log: false };
        let y_scales: Vec<Scale> = (0..n)
            .map(|k| Scale {
                lo: 0.0,
                hi: if self.shared_y {
                    shared_top
                } else {
                    top(&fractions[k])
                },
                log: false,
            })
            .collect();
        let y_ticks: Vec<_> = y_scales
            .iter()
            .map(|s| axis::ticks(s, false, PANEL_HEIGHT, Direction::Vertical))
            .collect();
        // Space for y tick labels: the first column only when the panels share a scale.
        let label_space = |col: usize| -> f64 {
            let widest = (0..n)
                .filter(|k| k % cols == col && (col == 0 || !self.shared_y))
                .map(|k| tick_label_width(&y_ticks[k]))
                .fold(0.0, f64::max);
            if widest > 0.0 {
                widest + TICK_GAP + TICK
            } else {
                0.0
            }
        };
        let desc = Font::new(DESC_SIZE);
        let y_desc_w = desc.ascent() + desc.descent() + 8.0;
        let title = frame::title_lines(&self.title, canvas_width);
        // The panels' width, and a gap between columns wide enough that the last x label
        // of one panel and the first of the next stay apart.
        let panel_width = |gap: f64| {
            let used: f64 = MARGIN
                + y_desc_w
                + (0..cols).map(label_space).sum::<f64>()
                + gap * (cols - 1) as f64
                + MARGIN
                + 8.0;
            (canvas_width - used) / cols as f64
        };
        let mut gap = COLUMN_GAP;
        let mut pw = panel_width(gap);
        let mut x_ticks = axis::ticks(&x_scale, false, pw, Direction::Horizontal);
        for _ in 0..2 {
            let reach = |(v, s): &(f64, String), from_left: bool| {
                let off = x_scale.unit(*v) * pw;
                let half = text::width(s, LABEL_SIZE, false) / 2.0;
                (half - if from_left { off } else { pw - off }).max(0.0)
            };
            let left = x_ticks.major.first().map_or(0.0, |t| reach(t, true));
            let right = x_ticks.major.last().map_or(0.0, |t| reach(t, false));
            let needed = left + right + 18.0;
            if needed <= gap {
                break;
            }
            gap = needed;
            pw = panel_width(gap);
            x_ticks = axis::ticks(&x_scale, false, pw, Direction::Horizontal);
        }
        let caption = Font::new(LABEL_SIZE).anchor(Anchor::Middle);
        let row_height = caption.line_height()
            + 4.0
            + PANEL_HEIGHT
            + (frame::x_label_baseline(&Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 0.0,
                y1: 0.0,
            }) + caption.descent());
        let grid_top = frame::title_height(&title);
        let grid_bottom = grid_top + row_height * rows as f64 + ROW_GAP * (rows - 1) as f64;
        let x_desc_base = grid_bottom + 8.0 + desc.ascent();
        let height = (x_desc_base + desc.descent() + MARGIN).ceil();

        let mut svg = Svg::new(canvas_width, height, &self.title);
        frame::draw_title(&mut svg, &title);
        let mut left_of_grid = f64::INFINITY;
        let mut right_of_grid: f64 = 0.0;
        for (k, (label, _)) in self.panels.iter().enumerate() {
            let (row, col) = (k / cols, k % cols);
            let x0 = MARGIN
                + y_desc_w
                + (0..=col).map(label_space).sum::<f64>()
                + (pw + gap) * col as f64;
            let row_top = grid_top + (row_height + ROW_GAP) * row as f64;
            let rect = Rect {
                x0,
                y0: row_top + caption.line_height() + 4.0,
                x1: x0 + pw,
                y1: row_top + caption.line_height() + 4.0 + PANEL_HEIGHT,
            };
            left_of_grid = left_of_grid.min(rect.x0);
            right_of_grid = right_of_grid.max(rect.x1);
            svg.text(
                (rect.x0 + rect.x1) / 2.0,
                row_top + caption.ascent(),
                label,
                &caption,
            );
            let plot = Plot {
                rect,
                x: x_scale,
                y: y_scales[k],
            };
            let show_y = col == 0 || !self.shared_y;
            draw_axes(&mut svg, &plot, &x_ticks, &y_ticks[k], true, show_y);
            let c = style::color(0);
            let bins = fractions[k]
                .iter()
                .enumerate()
                .filter(|(_, f)| **f > 0.0)
                .map(|(i, &f)| [(edge(i), 0.0), (edge(i + 1), f)])
                .collect();
            draw_marks(
                &mut svg,
                &plot,
                &[Mark::Boxes {
                    boxes: bins,
                    color: c,
                    crisp: false,
                }],
            );
        }
        if !self.x_label.is_empty() {
            svg.text(
                (left_of_grid + right_of_grid) / 2.0,
                x_desc_base,
                &self.x_label,
                &desc.anchor(Anchor::Middle),
            );
        }
        let y_desc = if self.shared_y {
            "fraction of values"
        } else {
            "fraction of values (own scale per panel)"
        };
        let y_desc = if text::width(y_desc, DESC_SIZE, false) > grid_bottom - grid_top {
            "fraction"
        } else {
            y_desc
        };
        svg.text(
            MARGIN + desc.ascent(),
            (grid_top + grid_bottom) / 2.0,
            y_desc,
            &desc.anchor(Anchor::Middle).vertical(),
        );
        svg.finish()
    }
}

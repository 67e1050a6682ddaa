//! A panel of small histograms, one per layer, on a shared x range: the picture of how
//! activations spread (or collapse) as they pass through a deep network.

use plotters::prelude::*;

use crate::style::{self, FONT, GRID, TEXT};
use crate::{Csv, Error, Figure, check_finite, csv_num};

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
/// bins. Bars show the fraction of a panel's values in each bin; values outside the
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
    /// A panel to be saved as `name` with `title` above it: 40 bins, up to 5 histograms
    /// per row, one y scale for all.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        HistogramPanel {
            name: name.into(),
            title: title.into(),
            x_label: String::new(),
            range: None,
            bins: 40,
            columns: 5,
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

    /// Draw the panel.
    pub fn render(&self) -> Result<Figure, Error> {
        let Bins { counts, lo, hi } = self.counts()?;
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
        let cols = self.columns.min(n);
        let rows = n.div_ceil(cols);
        let size = (cols as u32 * 200 + 20, rows as u32 * 190 + 50);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            root.fill(&WHITE)?;
            let root = root.titled(
                &self.title,
                (FONT, style::TITLE_SIZE).into_font().color(&TEXT),
            )?;
            let root = root.margin(0, 8, 4, 12);
            for (k, area) in root
                .split_evenly((rows, cols))
                .into_iter()
                .enumerate()
                .take(n)
            {
                let (label, _) = &self.panels[k];
                let y_top = if self.shared_y {
                    shared_top
                } else {
                    top(&fractions[k])
                };
                let mut chart = ChartBuilder::on(&area)
                    .caption(
                        label,
                        (FONT, style::LABEL_SIZE + 1).into_font().color(&TEXT),
                    )
                    .margin(4)
                    .x_label_area_size(38)
                    .y_label_area_size(if k % cols == 0 { 46 } else { 30 })
                    .build_cartesian_2d(lo..hi, 0.0..y_top)?;
                chart
                    .configure_mesh()
                    .x_desc(&self.x_label)
                    .y_desc(if k % cols == 0 { "fraction" } else { "" })
                    .x_labels(4)
                    .y_labels(4)
                    .x_label_formatter(&|v| style::format_number(*v))
                    .y_label_formatter(&|v| style::format_number(*v))
                    .axis_desc_style((FONT, style::LABEL_SIZE - 1).into_font().color(&TEXT))
                    .label_style((FONT, style::LABEL_SIZE - 2).into_font().color(&TEXT))
                    .axis_style(TEXT)
                    .bold_line_style(GRID)
                    .light_line_style(TRANSPARENT)
                    .draw()?;
                let c = style::color(0);
                chart.draw_series(
                    fractions[k]
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| **f > 0.0)
                        .map(|(i, &f)| {
                            Rectangle::new([(edge(i), 0.0), (edge(i + 1), f)], c.filled())
                        }),
                )?;
            }
            root.present()?;
        }
        let mut csv = Csv::new(&["panel", "bin_low", "bin_high", "count", "fraction"]);
        for ((label, _), (c, f)) in self.panels.iter().zip(counts.iter().zip(&fractions)) {
            for i in 0..self.bins {
                csv.row([
                    label.clone(),
                    csv_num(edge(i)),
                    csv_num(edge(i + 1)),
                    c[i].to_string(),
                    csv_num(f[i]),
                ]);
            }
        }
        Ok(Figure {
            name: self.name.clone(),
            svg,
            csv: csv.finish(),
        })
    }
}

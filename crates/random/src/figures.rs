//! Every chart of the chapter, each an SVG with its CSV, and the per-chart functions
//! the chapter's code blocks call.

use charts::SeriesLabelPosition;
use charts::{Figure, HistogramPanel, LineChart, Mark, Series};
use initnet::ndarray::Array2;

use crate::deep::{MeanField, Run, Stack, mean_field, run_with_activations};
use crate::products::{ProductCurve, product_norms};
use crate::width::{WidthPoint, width_scaling};
use crate::{
    PRODUCT_DEPTH, PRODUCT_GAINS, PRODUCT_N, SEEDS, SIGMA_SMALL, SIGMA_STANDARD, WIDTH_BATCH,
    WIDTH_UNITS, widths,
};

use book::Result;

/// Measured std(a) (mean over seeds) against the prediction sqrt(n), log-log.
pub fn width_figure(points: &[WidthPoint]) -> Result<Figure> {
    let measured = points.iter().map(|p| (p.n as f64, p.mean_rms())).collect();
    let predicted = points.iter().map(|p| (p.n as f64, p.predicted)).collect();
    Ok(LineChart::new(
        "std-vs-width",
        "Pre-activation spread grows like √n with N(0, 1) weights",
    )
    .x_label("fan-in n (log scale)")
    .y_label("std of a (log scale)")
    .series_in(Series::new("prediction √n", predicted), Mark::Dashed, 1)
    .series_in(
        Series::new("measured (mean over seeds)", measured),
        Mark::Points,
        0,
    )
    .log_x()
    .log_y()
    .legend(SeriesLabelPosition::UpperLeft)
    .render()?)
}

/// One histogram of h^l per layer, over [-1, 1], for the activations of one run with
/// weights N(0, s^2). Saved as `histograms-small` for weight_std = 0.01,
/// `histograms-standard` for weight_std = 1, `histograms-sigma-<weight_std>` otherwise.
pub fn histogram_figure(weight_std: f64, activations: &[Array2<f64>]) -> Result<Figure> {
    let name = if weight_std == SIGMA_SMALL {
        "histograms-small".to_string()
    } else if weight_std == SIGMA_STANDARD {
        "histograms-standard".to_string()
    } else {
        format!("histograms-sigma-{weight_std}")
    };
    let title = format!("Activations h per layer, weights N(0, s²), s = {weight_std}");
    let mut panel = HistogramPanel::new(name, title)
        .x_label("activation h")
        .range(-1.0, 1.0)
        .bins(crate::deep::BINS)
        .columns(2);
    for (l, h) in activations.iter().enumerate() {
        let values: Vec<f64> = h.iter().copied().collect();
        panel = panel.panel(format!("layer {}", l + 1), &values);
    }
    Ok(panel.render()?)
}

/// Add, for each run, its mean-field prediction (dashed) and its measurement (dots) in one
/// colour; `pick` returns (measured, predicted) per layer.
fn with_mean_field(
    mut chart: LineChart,
    runs: &[(&Run, &MeanField)],
    pick: impl Fn(&Run, &MeanField) -> (Vec<f64>, Vec<f64>),
) -> LineChart {
    for (i, (r, mf)) in runs.iter().enumerate() {
        let s = r.stack.weight_std;
        let (measured, predicted) = pick(r, mf);
        chart = chart
            .series_in(
                Series::from_ys_1(format!("mean field, s = {s}"), &predicted),
                Mark::Dashed,
                i,
            )
            .series_in(
                Series::from_ys_1(format!("measured, s = {s}"), &measured),
                Mark::Points,
                i,
            );
    }
    chart
}

/// Per-layer std of a^l, measured in `runs` (dots) and predicted by the mean field
/// (dashed, same colour), log y.
pub fn layer_std_figure(runs: &[(&Run, &MeanField)]) -> Result<Figure> {
    let chart = LineChart::new(
        "std-per-layer",
        "Std of the pre-activation per layer: measured and mean field",
    )
    .x_label("layer l")
    .y_label("std of aˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerLeft);
    let chart = with_mean_field(chart, runs, |r, mf| {
        (
            r.layers.iter().map(|l| l.a_std).collect(),
            mf.q.iter().map(|q| q.sqrt()).collect(),
        )
    });
    Ok(chart.render()?)
}

/// Per-layer std of the back-propagated gradient dL/da^l, measured (dots) and mean field
/// (dashed, same colour), log y.
pub fn gradient_figure(runs: &[(&Run, &MeanField)]) -> Result<Figure> {
    let chart = LineChart::new(
        "gradient-per-layer",
        "Std of the back-propagated gradient ∂L/∂a per layer",
    )
    .x_label("layer l (the gradient enters at the top layer)")
    .y_label("std of ∂L/∂aˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperRight);
    let chart = with_mean_field(chart, runs, |r, mf| {
        (
            r.layers.iter().map(|l| l.grad_a_std).collect(),
            mf.grad_a_var.iter().map(|v| v.sqrt()).collect(),
        )
    });
    Ok(chart.render()?)
}

/// ln |x_L| against L for each gain g: the exact mean (dashed) and, every fifth L, the
/// mean over seeds (dots, same colour).
pub fn product_figure(curves: &[ProductCurve]) -> Result<Figure> {
    let n = curves.first().map_or(0, |c| c.n);
    let title = format!("Length of a unit vector after L random n×n matrices, n = {n}");
    let mut chart = LineChart::new("product-norms", title)
        .x_label("number of factors L")
        .y_label("ln |x_L|, entries N(0, g²/n)")
        .legend(SeriesLabelPosition::UpperLeft);
    for (i, c) in curves.iter().enumerate() {
        let depth = c.mean.len() - 1;
        let measured: Vec<(f64, f64)> = (0..=depth)
            .step_by(5)
            .map(|l| (l as f64, c.measured_mean(l)))
            .collect();
        chart = chart
            .series_in(
                Series::from_ys(format!("g = {}, exact mean", c.gain), &c.mean),
                Mark::Dashed,
                i,
            )
            .series_in(
                Series::new(format!("g = {}, measured mean", c.gain), measured),
                Mark::Points,
                i,
            );
    }
    Ok(chart.render()?)
}

/// Every chart of the chapter, from the chapter's settings (seed 0 for the single-run
/// charts of the deep stack).
pub fn figures() -> Result<Vec<Figure>> {
    let seeds = SEEDS;
    let mut out = vec![width_figure(&width_scaling(
        &widths(),
        WIDTH_UNITS,
        WIDTH_BATCH,
        &seeds,
    )?)?];
    let (small, h_small) = run_with_activations(Stack::cs231n(SIGMA_SMALL), 0)?;
    out.push(histogram_figure(SIGMA_SMALL, &h_small)?);
    drop(h_small);
    let (standard, h_standard) = run_with_activations(Stack::cs231n(SIGMA_STANDARD), 0)?;
    out.push(histogram_figure(SIGMA_STANDARD, &h_standard)?);
    drop(h_standard);
    let mf_small = mean_field(Stack::cs231n(SIGMA_SMALL), 0.0, 1.0)?;
    let mf_standard = mean_field(Stack::cs231n(SIGMA_STANDARD), 0.0, 1.0)?;
    let pairs = [(&small, &mf_small), (&standard, &mf_standard)];
    out.push(layer_std_figure(&pairs)?);
    out.push(gradient_figure(&pairs)?);
    out.push(product_figure(&product_norms(
        PRODUCT_N,
        PRODUCT_DEPTH,
        &PRODUCT_GAINS,
        &seeds,
    )?)?);
    Ok(out)
}

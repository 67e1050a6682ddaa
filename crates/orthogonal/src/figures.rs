//! Every chart of the chapter, each drawn from an experiment's result, and [`figures`],
//! which runs the experiments with the chapter's settings and draws them all.
//!
//! Values that come from nalgebra's SVD (singular values, and densities binned from them)
//! are rounded to four significant digits before they are drawn, so that a last-bit
//! difference between CPUs does not change a chart (see [`crate::spectrum`]).

use charts::{Figure, HistogramPanel, LineChart, Mark, Series, SeriesLabelPosition};

use crate::SEEDS;
use crate::jacobian::{JacobianStudy, Network};
use crate::linear::{self, ProductStudy, Weights};
use crate::saxe::{self, SaxeStudy, Setting};
use crate::spectrum::round_to;
use crate::speed::{Speed, SpeedStudy};

/// The density of `values` (each rounded to eight significant digits) over `bins` equal
/// bins of [lo, hi]: (bin centre, fraction per
/// unit of x), rounded to four significant digits; empty bins left out.
pub fn density(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<(f64, f64)> {
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for &v in values {
        // Rounded first, so that a last-bit difference cannot move a value across an edge.
        let v = round_to(v, 8);
        if v >= lo && v < hi {
            counts[((v - lo) / width) as usize] += 1;
        }
    }
    counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(i, &c)| {
            let x = lo + (i as f64 + 0.5) * width;
            (
                round_to(x, 6),
                round_to(c as f64 / (values.len() as f64 * width), 4),
            )
        })
        .collect()
}

/// The spectra of Gaussian products: the density of ln σ over all singular values of all
/// seeds (dots) beside the Fuss–Catalan density of the n → ∞ limit (dashed), per depth.
pub fn product_spectra(gaussian: &ProductStudy) -> book::Result<Figure> {
    // Down to ln σ = -16: the deepest product still has a tenth of its mass below -8.
    let (lo, hi) = (-16.0, 2.0);
    let mut chart = LineChart::new(
        "product-spectra",
        format!(
            "Singular values of a product of L Gaussian {0}×{0} matrices",
            gaussian.n
        ),
    )
    .x_label("ln σ")
    .y_label("density")
    .legend(SeriesLabelPosition::UpperLeft);
    for (d, &l) in gaussian.depths.iter().enumerate() {
        let measured = density(&gaussian.log_sigma(d), lo, hi, 72);
        let theory: Vec<(f64, f64)> = theory::fuss_catalan_log_sigma_density(l, 400)?
            .into_iter()
            .filter(|(y, _)| *y >= lo && *y <= hi)
            .map(|(y, p)| (round_to(y, 6), round_to(p, 6)))
            .collect();
        chart = chart.measured_and_predicted(
            Series::new(format!("L = {l}: measured"), measured),
            Series::new(format!("L = {l}: n → ∞"), theory),
            d,
        );
    }
    Ok(chart.render()?)
}

/// Epochs to reach the loss threshold against depth, median over seeds, for the three
/// starts, with Saxe's prediction for the aligned start and the budget. A median above the
/// budget is drawn as a dot on the budget line ("> budget"). The random orthogonal and
/// Gaussian starts are drawn at L − 0.1 and L + 0.1, so that neither hides the other.
pub fn saxe_epochs(study: &SaxeStudy) -> book::Result<Figure> {
    let xs: Vec<f64> = study.depths.iter().map(|&l| l as f64).collect();
    let max = study.setting.max_epochs as f64;
    let mut chart = LineChart::new(
        "saxe-epochs",
        "Epochs to learn a linear map, by depth (median of 20 runs)",
    )
    .x_label("depth L (layers)")
    .y_label("epochs to loss ≤ 0.01")
    .legend(SeriesLabelPosition::UpperLeft);
    chart = chart.series_in(
        Series::new(
            format!("budget ({} epochs)", study.setting.max_epochs),
            vec![(xs[0] - 0.1, max), (xs[xs.len() - 1] + 0.1, max)],
        ),
        Mark::Dashed,
        4,
    );
    for (i, start) in saxe::Start::ALL.iter().enumerate() {
        let ys: Vec<f64> = (0..xs.len()).map(|d| study.median(i, d)).collect();
        if i == 0 {
            let series = Series::from_xy(format!("{}: measured", start.name()), &xs, &ys)?;
            let pred = Series::from_xy(
                "aligned: Saxe et al.'s prediction",
                &xs,
                &study
                    .predicted
                    .iter()
                    .map(|&p| round_to(p, 6))
                    .collect::<Vec<_>>(),
            )?;
            chart = chart.measured_and_predicted(series, pred, 0);
        } else {
            let dx = if i == 1 { -0.1 } else { 0.1 };
            let points: Vec<(f64, f64)> = xs.iter().map(|&x| x + dx).zip(ys).collect();
            let (arrived, over): (Vec<_>, Vec<_>) = points.iter().partition(|p| p.1 <= max);
            let mark = if i == 1 { Mark::Line } else { Mark::Dashed };
            chart = chart.series_in(
                Series::new(format!("{}: median", start.name()), arrived),
                mark,
                i,
            );
            if !over.is_empty() {
                let on_budget = over.iter().map(|p| (p.0, max)).collect();
                chart = chart.series_in(
                    Series::new(
                        format!("{}: median > {}", start.name(), study.setting.max_epochs),
                        on_budget,
                    ),
                    Mark::Points,
                    i,
                );
            }
        }
    }
    Ok(chart.markers().render()?)
}

/// The relative variance of the squared singular values of the Jacobian, by depth, for
/// each network: measured (mean over seeds) and predicted (dashed).
pub fn jacobian_spread(studies: &[&JacobianStudy]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "jacobian-spread",
        "Spread of the Jacobian's squared singular values",
    )
    .x_label("layer l")
    .y_label("Var(λ) / mean(λ)², λ = σ²")
    .legend(SeriesLabelPosition::UpperLeft);
    for (i, s) in studies.iter().enumerate() {
        let pred: Vec<f64> = s.predicted.iter().map(|p| round_to(p.1, 6)).collect();
        chart = chart.measured_and_predicted(
            Series::from_ys_1(
                format!("{}: measured", s.network.name()),
                &s.relative_variance(),
            ),
            Series::from_ys_1(format!("{}: predicted", s.network.name()), &pred),
            i,
        );
    }
    Ok(chart.render()?)
}

/// The mean squared singular value of the Jacobian by depth, measured (mean over seeds;
/// Gaussian weights drawn a quarter layer left of l, orthogonal ones a quarter right)
/// beside the mean field's product of χ₁ (dashed), log scale.
pub fn jacobian_mean(studies: &[&JacobianStudy]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "jacobian-mean",
        "Mean squared singular value of the Jacobian",
    )
    .x_label("layer l")
    .y_label("mean of σ² (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerLeft);
    // The χ₁ product does not depend on the weights: one prediction per activation, in
    // the colour of its first network (two identical lines would hide each other).
    let mut predicted_for = Vec::new();
    for (i, s) in studies.iter().enumerate() {
        let name = s.network.name();
        // Gaussian dots a quarter layer left, orthogonal ones a quarter right: the two
        // kinds of weights have nearly the same mean, and neither may hide the other.
        let dx = match s.network.weights {
            Weights::Gaussian => -0.25,
            Weights::Orthogonal => 0.25,
        };
        let points = s
            .mean_lambda()
            .iter()
            .enumerate()
            .map(|(k, &m)| (k as f64 + 1.0 + dx, m))
            .collect();
        chart = chart.series_in(
            Series::new(format!("{name}: measured"), points),
            Mark::Points,
            i,
        );
        let act = name.split(',').next().unwrap_or_default().to_string();
        if !predicted_for.contains(&act) {
            let pred: Vec<f64> = s.predicted.iter().map(|p| round_to(p.0, 6)).collect();
            chart = chart.series_in(
                Series::from_ys_1(format!("{act}: χ₁ product"), &pred),
                Mark::Dashed,
                i,
            );
            predicted_for.push(act);
        }
    }
    Ok(chart.render()?)
}

/// Histograms of log10 σ of the Jacobian at the last layer, one panel per network;
/// singular values below 10⁻⁴ (for ReLU many are exactly zero) are counted in the first
/// bin, whose lower edge the CSV gives as -inf.
pub fn jacobian_spectra(studies: &[&JacobianStudy]) -> book::Result<Figure> {
    let depth = studies.first().map_or(0, |s| s.network.depth);
    let mut chart = HistogramPanel::new(
        "jacobian-spectra",
        format!("Singular values of the Jacobian after {depth} layers, 20 networks"),
    )
    .x_label("log₁₀ σ (first bin ≤ −4, incl. 0)")
    .range(-4.0, 1.0)
    .bins(25);
    for s in studies {
        let v: Vec<f64> = s
            .log10_sigma()
            .iter()
            .map(|&x| round_to(x.clamp(-4.0, 1.0), 4))
            .collect();
        chart = chart.panel(s.network.name(), &v);
    }
    let mut figure = chart.render()?;
    // The first bin holds everything below its upper edge: its lower edge is -∞.
    figure.csv = figure
        .csv
        .lines()
        .map(|row| match row.split_once("\",-4,") {
            Some((panel, rest)) => format!("{panel}\",-inf,{rest}\n"),
            None => format!("{row}\n"),
        })
        .collect();
    Ok(figure)
}

/// The loss of the deep tanh network by step, Gaussian and orthogonal weights each at its
/// best rate: the median over seeds (solid) and the seed nearest the other curve (dashed:
/// the fastest Gaussian run, the slowest orthogonal one), and the Gaussian median at the
/// orthogonal rate (dots), log scale.
pub fn speed_curves(study: &SpeedStudy) -> book::Result<Figure> {
    let sp = &study.speed;
    let mut chart = LineChart::new(
        "speed-curves",
        format!(
            "Training a {}-layer tanh network, {} seeds",
            sp.depth,
            study.losses[0].len()
        ),
    )
    .x_label("step of gradient descent")
    .y_label("loss ‖H − Y‖² / ‖Y‖² (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerLeft);
    // The Gaussian networks at the orthogonal networks' rate: their median, every fifth
    // step, as dots.
    let tied: Vec<(f64, f64)> = study
        .median_tied()
        .iter()
        .enumerate()
        .filter(|(t, _)| t % 5 == 0)
        .map(|(t, &l)| (t as f64, l))
        .collect();
    chart = chart.series_in(
        Series::new(format!("Gaussian (η = {}): median", study.best[1]), tied),
        Mark::Points,
        2,
    );
    let names = ["Gaussian", "orthogonal"];
    for (w, name) in names.iter().enumerate() {
        let median = study.median(w);
        chart = chart.series_in(
            Series::from_ys(format!("{name} (η = {}): median", study.best[w]), &median),
            Mark::Line,
            w,
        );
        // The extreme seed on the side of the other initializer, by final loss.
        let pick = |a: &&Vec<f64>, b: &&Vec<f64>| a[sp.steps].total_cmp(&b[sp.steps]);
        let runs = study.losses[w].iter();
        let edge = if w == 0 {
            runs.min_by(pick)
        } else {
            runs.max_by(pick)
        };
        if let Some(run) = edge {
            let label = if w == 0 { "fastest" } else { "slowest" };
            chart = chart.series_in(
                Series::from_ys(format!("{name}: {label} seed"), run),
                Mark::Dashed,
                w,
            );
        }
    }
    Ok(chart.render()?)
}

/// The four networks of the chapter's Jacobian study, in chart order.
pub fn jacobian_networks() -> [Network; 4] {
    [
        Network::tanh(Weights::Gaussian),
        Network::tanh(Weights::Orthogonal),
        Network::relu(Weights::Gaussian),
        Network::relu(Weights::Orthogonal),
    ]
}

/// Every chart of the chapter, with the chapter's settings.
pub fn figures() -> book::Result<Vec<Figure>> {
    let gaussian = ProductStudy::run(linear::WIDTH, &linear::DEPTHS, Weights::Gaussian, &SEEDS)?;
    let saxe = SaxeStudy::run(&Setting::chapter(), &saxe::DEPTHS, &SEEDS)?;
    let jac = jacobian_networks()
        .iter()
        .map(|&n| JacobianStudy::run(n, &SEEDS))
        .collect::<book::Result<Vec<_>>>()?;
    let refs: Vec<&JacobianStudy> = jac.iter().collect();
    let speed = SpeedStudy::run(Speed::chapter(), &SEEDS)?;
    Ok(vec![
        product_spectra(&gaussian)?,
        saxe_epochs(&saxe)?,
        jacobian_mean(&refs)?,
        jacobian_spread(&refs)?,
        jacobian_spectra(&refs)?,
        speed_curves(&speed)?,
    ])
}

//! Every chart of the chapter, each drawn from an experiment's result. The chapter's code
//! blocks call the per-chart functions; [`figures`] runs the experiments and draws them all.

use book::mean;
use charts::SeriesLabelPosition;
use charts::{BarChart, Figure, LineChart, Mark, Series};
use initnet::Activation;

use crate::exploding::{Outcome, Tower, TowerSweep, tower_sweep};
use crate::saturation::{
    Layer, Point, SATURATING, input_scale_sweep, log_grid, predict, weight_std_sweep,
};
use crate::standardize::{Comparison, compare_seeds};
use crate::vanishing::{
    Stack, StackGradients, ToyRun, derivative_curve, mean_derivative, rms_derivative,
    stack_gradients, toy_runs,
};
use crate::{INPUT_SEEDS, SEEDS, divergence_runs, stacks, toy_inits};

/// `x_of` is the swept setting of a point; `setting(x, p)` the (s, c) pair at x.
fn saturation_chart(
    name: &str,
    title: &str,
    x_label: &str,
    points: &[Point],
    x_of: fn(&Point) -> f64,
    setting: fn(f64, &Point) -> (f64, f64),
) -> book::Result<Figure> {
    let layer = Layer::default();
    let mut chart = LineChart::new(name, title)
        .x_label(x_label)
        .y_label("fraction of units saturated")
        .log_x()
        .legend(SeriesLabelPosition::UpperLeft);
    for (k, f) in SATURATING.into_iter().enumerate() {
        let mine: Vec<&Point> = points.iter().filter(|p| p.activation == f).collect();
        let measured = mine.iter().map(|p| (x_of(p), p.mean())).collect();
        chart = chart.series_in(
            Series::new(
                format!("{f}, measured (mean of {} seeds)", SEEDS.len()),
                measured,
            ),
            Mark::Points,
            k,
        );
        // The closed form on a grid 4 times finer than the measurements.
        let (lo, hi) = (x_of(mine[0]), x_of(mine[mine.len() - 1]));
        let fine = log_grid(lo, hi, 20)?;
        let curve = fine
            .iter()
            .map(|&x| {
                let (s, c) = setting(x, mine[0]);
                predict(layer, f, s, c).map(|p| (x, p.p))
            })
            .collect::<Result<Vec<_>, _>>()?;
        chart = chart.series_in(
            Series::new(format!("{f}, closed form"), curve),
            Mark::Line,
            k,
        );
    }
    Ok(chart.render()?)
}

/// Saturated fraction against the weight std (standard-normal inputs): the mean measured
/// over the seeds beside the closed form.
pub fn saturation_vs_weight_std(points: &[Point]) -> book::Result<Figure> {
    saturation_chart(
        "saturation-vs-weight-std",
        "Saturated units against the weight scale",
        "weight standard deviation s (log scale)",
        points,
        |p| p.weight_std,
        |x, p| (x, p.input_scale),
    )
}

/// Saturated fraction against the input scale, with LeCun weights s = 1/sqrt(n).
pub fn saturation_vs_input_scale(points: &[Point]) -> book::Result<Figure> {
    saturation_chart(
        "saturation-vs-input-scale",
        "Saturated units against the input scale (s = 1/√n)",
        "input standard deviation s_x (log scale)",
        points,
        |p| p.input_scale,
        |x, p| (p.weight_std, x),
    )
}

/// f'(a) for tanh and the sigmoid over [-6, 6].
pub fn derivatives() -> book::Result<Figure> {
    let mut chart = LineChart::new("derivatives", "The slope f'(a) of tanh and of the sigmoid")
        .x_label("pre-activation a")
        .y_label("f'(a)");
    for f in SATURATING {
        chart = chart.series(Series::new(format!("{f}'"), derivative_curve(f, 6.0, 241)));
    }
    Ok(chart.render()?)
}

/// The root-mean-square slope sqrt(E[f'(a)^2]) for a ~ N(0, q), which sets the
/// gradient's size, with the mean slope E[f'(a)] dashed beside it, log-log.
pub fn mean_slope() -> book::Result<Figure> {
    let sigmas = log_grid(0.1, 100.0, 20)?;
    let mut chart = LineChart::new("mean-slope", "Slopes of a layer fed a ~ N(0, q)")
        .x_label("pre-activation std √q (log scale)")
        .y_label("slope (log scale)")
        .log_x()
        .log_y()
        .legend(SeriesLabelPosition::LowerLeft);
    for (k, f) in SATURATING.into_iter().enumerate() {
        let curve = |g: fn(Activation, f64) -> Result<f64, initnet::Error>| {
            sigmas
                .iter()
                .map(|&s| Ok((s, g(f, s)?)))
                .collect::<Result<Vec<_>, initnet::Error>>()
        };
        chart = chart
            .series_in(
                Series::new(format!("{f}, √E[f'(a)²]"), curve(rms_derivative)?),
                Mark::Line,
                k,
            )
            .series_in(
                Series::new(format!("{f}, E[f'(a)]"), curve(mean_derivative)?),
                Mark::Dashed,
                k,
            );
    }
    Ok(chart.render()?)
}

/// The label of a stack in charts and tables.
pub fn stack_label(stack: &Stack) -> String {
    format!("{}, g = {}", stack.activation, stack.gain)
}

/// The gradient's std per layer, geometric mean over the seeds, for each stack, with the
/// mean-field prediction anchored at the top hidden layer, and the 4^-k bound of the sigmoid.
pub fn gradient_per_layer(sweeps: &[StackGradients]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "gradient-per-layer",
        "Back-propagated gradient per layer (10 hidden layers of 100)",
    )
    .x_label("layer l")
    .y_label("std of ∂L/∂aˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerRight);
    for (k, g) in sweeps.iter().enumerate() {
        // Hidden layers only: per_seed also holds the output layer (L + 1), which has no
        // mean-field prediction and is not one of the stack's layers.
        let depth = g.stack.depth;
        let measured: Vec<f64> = (0..depth)
            .map(|l| initnet::math::exp(mean(g.per_seed.iter().map(|s| initnet::math::ln(s[l])))))
            .collect();
        chart = chart.series_in(
            Series::from_ys_1(format!("{}, measured", stack_label(&g.stack)), &measured),
            Mark::Points,
            k,
        );
        // Predicted: start from the measured top hidden layer and apply the factors downward.
        let mut predicted = vec![measured[depth - 1]; depth];
        for l in (0..depth - 1).rev() {
            predicted[l] = predicted[l + 1] * g.predicted_factors[l];
        }
        chart = chart.series_in(
            Series::from_ys_1(format!("{}, mean field", stack_label(&g.stack)), &predicted),
            Mark::Line,
            k,
        );
        if g.stack.activation == Activation::Sigmoid {
            let bound: Vec<f64> = (0..depth)
                .map(|l| measured[depth - 1] * initnet::math::powi(0.25, (depth - 1 - l) as i32))
                .collect();
            chart = chart.series_in(
                Series::from_ys_1("sigmoid bound, 1/4 per layer", &bound),
                Mark::Dashed,
                6,
            );
        }
    }
    Ok(chart.render()?)
}

/// Mean loss per epoch over the seeds for each labelled set of toy runs (log scale).
pub fn toy_loss_curves(runs: &[(String, Vec<ToyRun>)]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "toy-loss-curves",
        "The post's 2-2-4 tanh network: large against moderate weights",
    )
    .x_label("epoch")
    .y_label("training loss, mean of 20 seeds (log scale)")
    .log_y();
    for (label, rs) in runs {
        let epochs = rs[0].losses.len();
        let curve: Vec<f64> = (0..epochs)
            .map(|e| mean(rs.iter().map(|r| r.losses[e])))
            .collect();
        chart = chart.series(Series::from_ys(label.clone(), &curve));
    }
    Ok(chart.render()?)
}

/// The four versions of the inputs: saturated fraction at initialization and accuracy
/// after training, mean and standard deviation over the seeds.
pub fn raw_vs_standardized(versions: &[Comparison]) -> book::Result<Figure> {
    let mut chart = BarChart::new(
        "raw-vs-standardized",
        "Same weights, four versions of the inputs",
    )
    .x_label("")
    .y_label("mean over 20 seeds (bars: ± one standard deviation)");
    for v in versions {
        let sat: Vec<f64> = v.runs.iter().map(|r| r.saturated).collect();
        let (m, s) = initnet::mean_std(&sat);
        chart = chart.bar("hidden units saturated at init", v.inputs.label(), m, s);
        let (m, s) = initnet::mean_std(&v.accuracies());
        chart = chart.bar("accuracy after 300 epochs", v.inputs.label(), m, s);
    }
    Ok(chart.render()?)
}

/// The four versions of the inputs: mean loss per epoch.
pub fn raw_vs_standardized_loss(versions: &[Comparison]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "raw-vs-standardized-loss",
        "Training loss for four versions of the inputs",
    )
    .x_label("epoch")
    .y_label("training loss, mean of 20 seeds");
    for v in versions {
        chart = chart.series(Series::from_ys(v.inputs.label(), &v.mean_losses()));
    }
    Ok(chart.render()?)
}

/// Activation and gradient norms against depth, geometric mean over seeds, with the
/// geometric prediction exp(mean log factor)^l from the measured input norm.
pub fn depth_norms(sweeps: &[TowerSweep]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "depth-norms",
        "Norms through 10 layers of 100 units, s = 0.5",
    )
    .x_label("layer l (gradients: counted from the output, L − l)")
    .y_label("norm, geometric mean of 20 seeds (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperLeft);
    for (k, t) in sweeps.iter().enumerate() {
        let name = t.tower.activation;
        let depth = t.tower.depth;
        let act: Vec<(f64, f64)> = (0..=depth)
            .map(|l| {
                (
                    l as f64,
                    initnet::math::exp(mean(t.runs.iter().map(|r| r.log_act_norm[l]))),
                )
            })
            .collect();
        let grad: Vec<(f64, f64)> = (0..=depth)
            .map(|k| {
                (
                    k as f64,
                    initnet::math::exp(mean(t.runs.iter().map(|r| r.log_grad_norm[depth - k]))),
                )
            })
            .collect();
        let factor = t.log_factor.0;
        let pred: Vec<(f64, f64)> = (0..=depth)
            .map(|l| (l as f64, act[0].1 * initnet::math::exp(factor * l as f64)))
            .collect();
        // The three series of a tower lie on one another (that is the finding), so each is
        // drawn so that it shows: the gradients as a solid line in a light companion colour
        // underneath, the prediction dashed in the tower's colour over it (the light line
        // shows in its gaps), and the activations as dots on top.
        // (blue / sky blue, orange / vermillion)
        let (act_color, grad_color) = [(0, 5), (1, 3)][k % 2];
        chart = chart
            .series_in(
                Series::new(format!("{name}: |∂L/∂h| at layer L − l (line)"), grad),
                Mark::Line,
                grad_color,
            )
            .series_in(
                Series::new(
                    format!(
                        "{name}: prediction, ×{:.2} per layer",
                        initnet::math::exp(factor)
                    ),
                    pred,
                ),
                Mark::Dashed,
                act_color,
            )
            .series_in(
                Series::new(format!("{name}: |hˡ| (dots)"), act),
                Mark::Points,
                act_color,
            );
    }
    Ok(chart.render()?)
}

/// Loss curves of the ReLU training runs: each stops where initnet reported divergence.
pub fn divergence_loss(runs: &[(String, Outcome)]) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "divergence-loss",
        "ReLU 2-100-100-100-100-4, learning rate 0.1",
    )
    .x_label("epoch")
    .y_label("training loss (log scale)")
    .log_y()
    .markers();
    for (label, o) in runs {
        chart = chart.series(Series::from_ys(label.clone(), &o.losses));
    }
    Ok(chart.render()?)
}

/// Every chart of the chapter.
pub fn figures() -> book::Result<Vec<Figure>> {
    let layer = Layer::default();
    let seeds = SEEDS;
    let toy = toy_inits()?
        .into_iter()
        .map(|(label, init)| toy_runs(init, &seeds).map(|r| (label, r)))
        .collect::<Result<Vec<_>, _>>()?;
    let grads = stacks()
        .into_iter()
        .map(|s| stack_gradients(s, &seeds))
        .collect::<Result<Vec<_>, _>>()?;
    let towers =
        [Activation::Identity, Activation::Relu].map(|a| tower_sweep(Tower::new(a), &seeds));
    let towers = towers.into_iter().collect::<Result<Vec<_>, _>>()?;
    let versions = compare_seeds(&seeds)?;
    Ok(vec![
        saturation_vs_weight_std(&weight_std_sweep(layer, &seeds)?)?,
        saturation_vs_input_scale(&input_scale_sweep(layer, &INPUT_SEEDS)?)?,
        derivatives()?,
        mean_slope()?,
        gradient_per_layer(&grads)?,
        toy_loss_curves(&toy)?,
        raw_vs_standardized(&versions)?,
        raw_vs_standardized_loss(&versions)?,
        depth_norms(&towers)?,
        divergence_loss(&divergence_runs(0)?)?,
    ])
}

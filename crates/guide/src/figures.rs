//! The chapter's charts, and the experiments they draw, with the settings the text states.

use std::sync::OnceLock;

use charts::SeriesLabelPosition;
use charts::{BarChart, Figure, LineChart, Mark, Series};
use initnet::{Activation, BiasInit, Init};

use crate::compare::{Summary, Task, compare};
use crate::signal::{Propagation, Stack};
use crate::table::{keras_dense, pytorch_linear};
use crate::{Result, SEEDS};

/// Width, depth and batch of the signal-propagation stacks.
pub const STACK: (usize, usize, usize) = (128, 12, 128);

/// The stacks whose signal the chapter follows for one activation: the book's choice for
/// it (He for ReLU, Xavier for tanh), Keras's default, and PyTorch's weights without and
/// with PyTorch's bias. Each with a display name.
pub fn stacks(activation: Activation) -> Vec<(&'static str, Stack)> {
    let (width, depth, batch) = STACK;
    let stack = |init: Init| Stack::new(activation, init, width, depth, batch);
    let (pytorch, keras) = (pytorch_linear(), keras_dense());
    let book = match activation {
        Activation::Relu | Activation::LeakyRelu(_) => ("He", Init::he_normal()),
        _ => ("Xavier", Init::xavier_normal()),
    };
    vec![
        (book.0, stack(book.1)),
        ("Keras", stack(keras.init)),
        ("PyTorch weights, zero bias", stack(pytorch.init)),
        (
            "PyTorch weights and bias",
            stack(pytorch.init).bias(BiasInit::FanInUniform),
        ),
    ]
}

/// Every stack of [`stacks`] measured over `seeds`. Over the chapter's [`SEEDS`] the
/// result is computed once per process and cloned, so the text's code, the figures and
/// the claims test share one run.
pub fn propagation(
    activation: Activation,
    seeds: &[u64],
) -> Result<Vec<(&'static str, Propagation)>> {
    type Runs = Result<Vec<(&'static str, Propagation)>>;
    static RELU: OnceLock<Runs> = OnceLock::new();
    static TANH: OnceLock<Runs> = OnceLock::new();
    let run = || -> Runs {
        stacks(activation)
            .into_iter()
            .map(|(name, s)| Ok((name, s.over_seeds(seeds)?)))
            .collect()
    };
    match activation {
        Activation::Relu if seeds == SEEDS => RELU.get_or_init(run).clone(),
        Activation::Tanh if seeds == SEEDS => TANH.get_or_init(run).clone(),
        _ => run(),
    }
}

/// A stack's name shortened for printed output that fits a phone (at most 14 characters).
pub fn short_name(name: &str) -> &str {
    match name {
        "PyTorch weights, zero bias" => "PyTorch, b = 0",
        "PyTorch weights and bias" => "PyTorch + bias",
        name => name,
    }
}

/// The per-layer shrink factors of `runs` as a small table, predicted beside measured
/// (mean ± spread over the seeds), at most 34 characters a line (a phone's code block).
pub fn factor_table(runs: &[(&'static str, Propagation)]) -> String {
    let mut out = format!("{:<12} {:>5}  {}\n", "stack", "pred.", "measured");
    for (name, p) in runs {
        let name = match *name {
            "PyTorch weights, zero bias" => "PyTorch, b=0",
            "PyTorch weights and bias" => "PyTorch+bias",
            name => name,
        };
        out.push_str(&format!(
            "{:<12} {:>5.3}  {:.3} ± {:.3}\n",
            name, p.predicted_factor, p.factor.0, p.factor.1
        ));
    }
    out
}

/// The std of a^l against the layer l: the prediction as a dashed line, the measurement
/// (mean over seeds) as dots of the same colour. Stacks with the same prediction (Xavier's
/// normal and Keras's uniform law in a tanh stack of equal widths) share one dashed line,
/// labelled with both names, and the later one's measurement is drawn first, as a solid
/// line, so that the earlier one's dots on top of it leave both visible. In a ReLU stack
/// the input-dependent part of PyTorch's biased stack is drawn too, as a solid line.
pub fn signal_chart(
    activation: Activation,
    runs: &[(&'static str, Propagation)],
) -> std::result::Result<Figure, charts::Error> {
    let seeds = runs.first().map_or(0, |r| r.1.seeds);
    let mut chart = LineChart::new(
        format!("signal-{activation}"),
        format!(
            "Std of the pre-activations, {activation} stack (width {}, mean of {seeds} seeds)",
            STACK.0
        ),
    )
    .x_label("layer l")
    .y_label("std of aˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerLeft);
    // The first run with the same prediction as run i, if it is not i itself.
    let twin = |i: usize| {
        runs[..i]
            .iter()
            .position(|(_, p)| p.predicted_std == runs[i].1.predicted_std)
    };
    for (i, (name, p)) in runs.iter().enumerate() {
        if twin(i).is_some() {
            chart = chart.series_in(
                Series::from_ys_1(format!("{}: measured", short_name(name)), &p.mean_std),
                Mark::Line,
                i,
            );
        }
    }
    for (i, (name, p)) in runs.iter().enumerate() {
        if twin(i).is_some() {
            continue;
        }
        let names: Vec<&str> = runs
            .iter()
            .enumerate()
            .filter(|&(j, _)| j == i || twin(j) == Some(i))
            .map(|(_, (n, _))| short_name(n))
            .collect();
        chart = chart
            .series_in(
                Series::from_ys_1(
                    format!("{}: predicted", names.join(" = ")),
                    &p.predicted_std,
                ),
                Mark::Dashed,
                i,
            )
            .series_in(
                Series::from_ys_1(format!("{}: measured", short_name(name)), &p.mean_std),
                Mark::Points,
                i,
            );
    }
    // Under PyTorch's bias the total levels off at a floor; its input-dependent part does
    // not. Drawn as its own solid line, so the chart shows the collapse the total hides.
    if activation == Activation::Relu {
        for (name, p) in runs {
            if *name == "PyTorch weights and bias" && !p.input_std.is_empty() {
                chart = chart.series_in(
                    Series::from_ys_1(
                        format!("{}: input-dependent", short_name(name)),
                        &p.input_std,
                    ),
                    Mark::Line,
                    runs.len(),
                );
            }
        }
    }
    chart.render()
}

/// Every initializer on every task over `seeds`, in the order of [`Task::ALL`]. Over the
/// chapter's [`SEEDS`] the comparison (the chapter's longest experiment) runs once per
/// process and is cloned, so the text's code, the generated table, the chart and the
/// claims test share one run.
pub fn comparison(seeds: &[u64]) -> Result<Vec<Vec<Summary>>> {
    static DEFAULT: OnceLock<Result<Vec<Vec<Summary>>>> = OnceLock::new();
    let run = || Task::ALL.iter().map(|&t| compare(t, seeds)).collect();
    if seeds == SEEDS {
        DEFAULT.get_or_init(run).clone()
    } else {
        run()
    }
}

/// Test accuracy per initializer and task: mean over seeds, error bars ± one standard
/// deviation. A task's initializer that diverged on every seed gets no bar.
pub fn accuracy_chart(tasks: &[Vec<Summary>]) -> std::result::Result<Figure, charts::Error> {
    let seeds = tasks
        .first()
        .and_then(|t| t.first())
        .map_or(0, |s| s.runs.len());
    let mut chart = BarChart::new(
        "accuracy",
        format!("Test accuracy after training, mean ± std over {seeds} seeds"),
    )
    .x_label("initializer")
    .y_label("test accuracy (fraction), ± 1 std");
    let candidates = tasks
        .first()
        .map(|t| t.iter().map(|s| s.candidate).collect::<Vec<_>>())
        .unwrap_or_default();
    for (i, c) in candidates.iter().enumerate() {
        for s in tasks.iter().filter_map(|t| t.get(i)) {
            if s.diverged < s.runs.len() {
                chart = chart.bar(
                    c.chart_label(),
                    s.task.title(),
                    s.test_accuracy.0,
                    s.test_accuracy.1,
                );
            }
        }
    }
    chart.render()
}

/// Every chart of the chapter.
pub fn figures() -> Result<Vec<Figure>> {
    let seeds = SEEDS;
    let mut out = Vec::new();
    for activation in [Activation::Relu, Activation::Tanh] {
        out.push(signal_chart(activation, &propagation(activation, &seeds)?)?);
    }
    out.push(accuracy_chart(&comparison(&seeds)?)?);
    Ok(out)
}

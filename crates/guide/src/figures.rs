//! The chapter's charts, and the experiments they draw, with the settings the text states.

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

/// Every stack of [`stacks`] measured over `seeds`.
pub fn propagation(
    activation: Activation,
    seeds: &[u64],
) -> Result<Vec<(&'static str, Propagation)>> {
    stacks(activation)
        .into_iter()
        .map(|(name, s)| Ok((name, s.over_seeds(seeds)?)))
        .collect()
}

/// The std of a^l against the layer l: the prediction as a dashed line, the measurement
/// (mean over seeds) as dots of the same colour.
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
    for (i, (name, p)) in runs.iter().enumerate() {
        chart = chart
            .series_in(
                Series::from_ys_1(format!("{name}: predicted"), &p.predicted_std),
                Mark::Dashed,
                i,
            )
            .series_in(
                Series::from_ys_1(format!("{name}: measured"), &p.mean_std),
                Mark::Points,
                i,
            );
    }
    chart.render()
}

/// Every initializer on every task over `seeds`, in the order of [`Task::ALL`].
pub fn comparison(seeds: &[u64]) -> Result<Vec<Vec<Summary>>> {
    Task::ALL.iter().map(|&t| compare(t, seeds)).collect()
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
                chart = chart.bar(c.name, s.task.title(), s.test_accuracy.0, s.test_accuracy.1);
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

//! The chapter's charts. Each chart function takes the runs it draws, so that the code
//! block that shows a chart in the chapter and [`figures`] (which `cargo xtask figures`
//! saves) draw the same thing.

use book::{Error, Result};
use charts::{DecisionMap, Figure, Grid, LineChart, Series};
use initnet::{Activation, Dataset};

use crate::experiments::{CLASSES, EPOCHS, Run, SAMPLES, STARTS, blobs, predict_classes, run};

/// The activation of the charted runs.
pub const FIGURE_ACTIVATION: Activation = Activation::Tanh;
/// The seed (data and weights) of the charted runs.
pub const FIGURE_SEED: u64 = 0;
/// Cells across and up of a decision-region grid.
const GRID_CELLS: usize = 60;

/// The data set and the three runs (zero, constant, random start) the charts show.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    /// The data set.
    pub data: Dataset,
    /// (start name, run) for each of [`STARTS`].
    pub runs: Vec<(&'static str, Run)>,
}

/// Train the network with `activation` from each of the three starts on `blobs(SAMPLES, seed)`
/// for [`EPOCHS`] steps.
pub fn runs(activation: Activation, seed: u64) -> Result<Runs> {
    let data = blobs(SAMPLES, seed)?;
    let runs = STARTS
        .iter()
        .map(|&(name, init)| Ok((name, run(&data, activation, init, seed, EPOCHS)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Runs { data, runs })
}

fn unknown_run(name: &str) -> Error {
    Error::Unknown {
        what: "run",
        name: name.to_string(),
        expected: "zero, constant or random",
    }
}

fn label(name: &str) -> &'static str {
    match name {
        "zero" => "zero init",
        "constant" => "constant init (0.5)",
        _ => "random init N(0, 0.1²)",
    }
}

/// The training loss of the three runs, with the level ln 4 of a network that predicts
/// all classes with equal probability.
pub fn loss_curves(runs: &Runs) -> Result<Figure> {
    let mut chart = LineChart::new("loss-curves", "Training loss of the 2-2-4 tanh network")
        .x_label("gradient step (full batch)")
        .y_label("cross-entropy loss (nats)");
    // ln 4 first, so that the zero-init curve, which lies on it, is drawn on top.
    let steps = runs.runs[0].1.history.records.len() - 1;
    let ln_k = initnet::math::ln(CLASSES as f64);
    chart = chart.series(Series::new(
        "ln 4 (equal odds)",
        vec![(0.0, ln_k), (steps as f64, ln_k)],
    ));
    for (name, r) in &runs.runs {
        chart = chart.series(Series::from_ys(label(name), &r.history.losses()));
    }
    Ok(chart.render()?)
}

/// The incoming weights of both hidden units over training, for the run started by `name`.
pub fn hidden_weights(runs: &Runs, name: &str) -> Result<Figure> {
    let (_, r) = runs
        .runs
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| unknown_run(name))?;
    let mut chart = LineChart::new(
        format!("hidden-weights-{name}"),
        format!("Hidden units' incoming weights, {}", label(name)),
    )
    .x_label("gradient step (full batch)")
    .y_label("weight (no unit)");
    for input in 0..2 {
        for unit in 0..2 {
            let ys: Vec<f64> = r.units.iter().map(|u| u[unit].w_in[input]).collect();
            chart = chart.series(Series::from_ys(
                format!("W¹[{}, {}], unit {}", unit + 1, input + 1, unit + 1),
                &ys,
            ));
        }
    }
    Ok(chart.render()?)
}

/// The trained network's decision regions with the data on top, for the run started by `name`.
pub fn decision_regions(runs: &Runs, name: &str) -> Result<Figure> {
    let (_, r) = runs
        .runs
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| unknown_run(name))?;
    let points: Vec<(f64, f64)> = runs
        .data
        .x
        .rows()
        .into_iter()
        .map(|row| (row[0], row[1]))
        .collect();
    let grid = Grid::around(&points, 0.5, GRID_CELLS, GRID_CELLS)?;
    let predicted = predict_classes(&r.end, &grid.centres_flat())?;
    let accuracy = r.history.last().accuracy;
    let figure = DecisionMap::new(
        format!("regions-{name}"),
        format!(
            "Decision regions, {} (accuracy {:.3})",
            label(name),
            accuracy
        ),
    )
    .axes("feature 1 (standardized)", "feature 2 (standardized)")
    .regions(grid, predicted)
    .points(points, runs.data.y.clone())
    .class_names(&["class 0", "class 1", "class 2", "class 3"])
    .render()?;
    Ok(figure)
}

/// Every chart of the chapter.
pub fn figures() -> Result<Vec<Figure>> {
    let runs = runs(FIGURE_ACTIVATION, FIGURE_SEED)?;
    let mut out = vec![loss_curves(&runs)?];
    for (name, _) in STARTS {
        out.push(hidden_weights(&runs, name)?);
    }
    for (name, _) in STARTS {
        out.push(decision_regions(&runs, name)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_deterministic_and_carry_their_data() {
        let a = figures().unwrap();
        assert_eq!(a.len(), 7);
        assert_eq!(a, figures().unwrap());
        for f in &a {
            assert!(f.svg.starts_with("<svg"), "{}", f.name);
            assert!(f.csv.lines().count() > 1, "{}", f.name);
        }
        let runs = runs(FIGURE_ACTIVATION, FIGURE_SEED).unwrap();
        let err = hidden_weights(&runs, "ones").unwrap_err().to_string();
        assert!(err.contains("\"ones\""), "{err}");
    }
}

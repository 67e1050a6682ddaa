//! The chapter's charts. Each chart function takes the runs it draws, so that the code
//! block that shows a chart in the chapter and [`figures`] (which `cargo xtask figures`
//! saves) draw the same thing.

use book::{Error, Result};
use charts::{DecisionMap, Figure, Grid, LineChart, Mark, Series};
use initnet::{Activation, Dataset};

use crate::experiments::{
    CLASSES, EPOCHS, LR, Run, SAMPLES, STARTS, blobs, network, predict_classes, train_net,
};
use crate::wide::{SHOWCASE, ShowcaseRuns, showcase_runs};

/// The activation of the charted runs.
pub const FIGURE_ACTIVATION: Activation = Activation::Tanh;
/// The seed (data and weights) of the charted runs.
pub const FIGURE_SEED: u64 = 0;
/// Cells across and up of a decision-region grid.
const GRID_CELLS: usize = 60;

/// What the charted runs are: the knobs a reader can turn in the notebook. The default is
/// the chapter's: the tanh network, learning rate [`LR`], [`EPOCHS`] steps on
/// [`SAMPLES`] samples, seed [`FIGURE_SEED`] for both the data and the weights.
///
/// ```
/// use zero::figures::Settings;
/// use zero::initnet::Activation;
///
/// let sigmoid = Settings::default().activation(Activation::Sigmoid).lr(0.1).epochs(50);
/// assert_eq!(sigmoid.title("Training loss"), "Training loss of the 2-2-4 sigmoid network, η = 0.1, 50 steps");
/// assert_eq!(Settings::default().title("Training loss"), "Training loss of the 2-2-4 tanh network");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The hidden layer's activation.
    pub activation: Activation,
    /// The learning rate η of full-batch gradient descent.
    pub lr: f64,
    /// The number of gradient steps.
    pub epochs: usize,
    /// The number of samples of the blobs (four classes).
    pub samples: usize,
    /// The seed of the data set and of the random start's weights.
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            activation: FIGURE_ACTIVATION,
            lr: LR,
            epochs: EPOCHS,
            samples: SAMPLES,
            seed: FIGURE_SEED,
        }
    }
}

impl Settings {
    /// These settings with another activation.
    pub fn activation(self, activation: Activation) -> Self {
        Settings { activation, ..self }
    }
    /// These settings with another learning rate.
    pub fn lr(self, lr: f64) -> Self {
        Settings { lr, ..self }
    }
    /// These settings with another number of steps.
    pub fn epochs(self, epochs: usize) -> Self {
        Settings { epochs, ..self }
    }
    /// These settings with another number of samples.
    pub fn samples(self, samples: usize) -> Self {
        Settings { samples, ..self }
    }
    /// These settings with another seed.
    pub fn seed(self, seed: u64) -> Self {
        Settings { seed, ..self }
    }
    /// A chart title for these settings: `what` of the 2-2-4 network with its activation,
    /// followed by whatever differs from the chapter's learning rate, steps, samples and seed.
    pub fn title(&self, what: &str) -> String {
        let chapter = Settings::default();
        let mut title = format!("{what} of the 2-2-4 {} network", self.activation);
        if self.lr != chapter.lr {
            title.push_str(&format!(", η = {}", self.lr));
        }
        if self.epochs != chapter.epochs {
            title.push_str(&format!(", {} steps", self.epochs));
        }
        if self.samples != chapter.samples {
            title.push_str(&format!(", {} samples", self.samples));
        }
        if self.seed != chapter.seed {
            title.push_str(&format!(", seed {}", self.seed));
        }
        title
    }
}

/// The data set and the three runs (zero, constant, random start) the charts show.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    /// What was run.
    pub settings: Settings,
    /// The data set.
    pub data: Dataset,
    /// (start name, run) for each of [`STARTS`].
    pub runs: Vec<(&'static str, Run)>,
}

/// Train the 2-2-4 network from each of the three starts with `settings`: on
/// `blobs(settings.samples, settings.seed)`, for `settings.epochs` steps of learning rate
/// `settings.lr`.
pub fn runs(settings: &Settings) -> Result<Runs> {
    let data = blobs(settings.samples, settings.seed)?;
    let runs = STARTS
        .iter()
        .map(|&(name, init)| {
            let net = network(settings.activation, init, settings.seed)?;
            Ok((name, train_net(net, &data, settings.lr, settings.epochs)?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Runs {
        settings: *settings,
        data,
        runs,
    })
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
/// all classes with equal probability. The zero start's loss lies on ln 4, so ln 4 is
/// drawn last, dashed: the zero-init line shows through the gaps.
pub fn loss_curves(runs: &Runs) -> Result<Figure> {
    let mut chart = LineChart::new("loss-curves", runs.settings.title("Training loss"))
        .x_label("gradient step (full batch)")
        .y_label("cross-entropy loss (nats)");
    for (name, r) in &runs.runs {
        chart = chart.series(Series::from_ys(label(name), &r.history.losses()));
    }
    let steps = runs.runs[0].1.history.records.len() - 1;
    let ln_k = initnet::math::ln(CLASSES as f64);
    chart = chart.series_as(
        Series::new("ln 4 (equal odds)", vec![(0.0, ln_k), (steps as f64, ln_k)]),
        Mark::Dashed,
    );
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
    // Series that are equal at every step are drawn once, with every name they stand
    // for, so that no legend entry hides under another.
    let mut groups: Vec<(Vec<String>, Vec<f64>)> = Vec::new();
    for input in 0..2 {
        for unit in 0..2 {
            let ys: Vec<f64> = r.units.iter().map(|u| u[unit].w_in[input]).collect();
            let name = format!("W¹[{}, {}]", unit + 1, input + 1);
            let same = |g: &(Vec<String>, Vec<f64>)| {
                g.1.iter().zip(&ys).all(|(a, b)| a.to_bits() == b.to_bits())
            };
            match groups.iter_mut().find(|g| same(g)) {
                Some(g) => g.0.push(name),
                None => groups.push((vec![name], ys)),
            }
        }
    }
    for (names, ys) in groups {
        // "every W¹[j, m]" when all four coincide, otherwise the equal entries in full
        // ("W¹[1, 1] = W¹[2, 1]": an abbreviated "W¹[1, 1] = [2, 1]" read as a matrix
        // entry equal to a vector).
        let label = if names.len() == 4 {
            "every W¹[j, m]".to_string()
        } else {
            names.join(" = ")
        };
        chart = chart.series(Series::from_ys(label, &ys));
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
    regions(
        format!("regions-{name}"),
        format!(
            "Decision regions, {} (accuracy {:.3})",
            label(name),
            r.history.last().accuracy
        ),
        &runs.data,
        &r.end,
        "standardized",
    )
}

fn regions(
    name: String,
    title: String,
    data: &Dataset,
    net: &initnet::Mlp,
    unit: &str,
) -> Result<Figure> {
    let points: Vec<(f64, f64)> = data
        .x
        .rows()
        .into_iter()
        .map(|row| (row[0], row[1]))
        .collect();
    let grid = Grid::around(&points, 0.5, GRID_CELLS, GRID_CELLS)?;
    let predicted = predict_classes(net, &grid.centres_flat())?;
    let figure = DecisionMap::new(name, title)
        .axes(format!("feature 1 ({unit})"), format!("feature 2 ({unit})"))
        .regions(grid, predicted)
        .points(points, data.y.clone())
        .class_names(&["class 0", "class 1", "class 2", "class 3"])
        .render()?;
    Ok(figure)
}

fn showcase_label(name: &str) -> Result<&'static str> {
    match name {
        "zero-16" => Ok("2-16-4 from zero"),
        "random-1" => Ok("2-1-4 from N(0, 0.1²)"),
        "random-16" => Ok("2-16-4 from N(0, 0.1²)"),
        _ => Err(Error::Unknown {
            what: "showcase network",
            name: name.to_string(),
            expected: "zero-16, random-1 or random-16",
        }),
    }
}

/// The decision regions of one of the showcase's sigmoid networks on the four quadrants:
/// `name` is one of [`SHOWCASE`].
pub fn quadrant_regions(runs: &ShowcaseRuns, name: &str) -> Result<Figure> {
    let label = showcase_label(name)?;
    let (_, r) = runs
        .runs
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| showcase_label("").unwrap_err())?;
    regions(
        format!("quadrants-{name}"),
        format!(
            "Four quadrants, sigmoid {label} (accuracy {:.3})",
            r.accuracy
        ),
        &runs.data,
        &r.end,
        "no unit",
    )
}

/// Every chart of the chapter.
pub fn figures() -> Result<Vec<Figure>> {
    let runs = runs(&Settings::default())?;
    let mut out = vec![loss_curves(&runs)?];
    for (name, _) in STARTS {
        out.push(hidden_weights(&runs, name)?);
    }
    for (name, _) in STARTS {
        out.push(decision_regions(&runs, name)?);
    }
    let showcase = showcase_runs(FIGURE_SEED, LR, EPOCHS)?;
    for name in SHOWCASE {
        out.push(quadrant_regions(&showcase, name)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_deterministic_and_carry_their_data() {
        let a = figures().unwrap();
        assert_eq!(a.len(), 10);
        assert_eq!(a, figures().unwrap());
        for f in &a {
            assert!(f.svg.starts_with("<svg"), "{}", f.name);
            assert!(f.csv.lines().count() > 1, "{}", f.name);
        }
        let runs = runs(&Settings::default()).unwrap();
        let err = hidden_weights(&runs, "ones").unwrap_err().to_string();
        assert!(err.contains("\"ones\""), "{err}");
        let showcase = showcase_runs(0, LR, 2).unwrap();
        let err = quadrant_regions(&showcase, "zero-2")
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"zero-2\""), "{err}");
    }

    #[test]
    fn the_settings_reach_the_runs_and_the_title() {
        let s = Settings::default()
            .activation(Activation::Sigmoid)
            .lr(0.1)
            .epochs(20)
            .samples(80)
            .seed(3);
        let r = runs(&s).unwrap();
        assert_eq!(r.data.len(), 80);
        assert_eq!(r.data, blobs(80, 3).unwrap());
        for (_, run) in &r.runs {
            assert_eq!(run.history.records.len(), 21);
            assert_eq!(run.start.layer(1).activation, Activation::Sigmoid);
        }
        let svg = loss_curves(&r).unwrap().svg;
        let title =
            "Training loss of the 2-2-4 sigmoid network, η = 0.1, 20 steps, 80 samples, seed 3";
        assert!(svg.contains(&format!("<title>{title}</title>")), "{svg}");
    }
}

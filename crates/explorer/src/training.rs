//! The second view: training on the book's toy problems, for every initializer and
//! activation, with `initlab train` (the same numbers it prints for the same options).

use initlab::{DatasetKind, Error, TrainOptions};
use initnet::ndarray::Array2;

use crate::grid::{ActivationChoice, InitChoice};

/// The data sets of the view.
pub const DATASETS: [DatasetKind; 3] =
    [DatasetKind::Blobs, DatasetKind::Circles, DatasetKind::Moons];
/// Hidden widths of the network trained (a 2-16-16-K network).
pub const HIDDEN: [usize; 2] = [16, 16];
/// Learning rate of full-batch gradient descent.
pub const LR: f64 = 0.1;
/// Epochs trained.
pub const EPOCHS: usize = 300;
/// The epochs at which the decision regions are drawn.
pub const SNAPSHOTS: [usize; 4] = [0, 30, 100, 300];
/// Loss and accuracy are kept every this many epochs.
pub const EVERY: usize = 5;
/// Points per side of the grid the decision regions are evaluated on.
pub const GRID: usize = 30;
/// The grid spans [-RANGE, RANGE] in both standardized features.
pub const RANGE: f64 = 2.5;

/// The options of one run (seed 0, standardized features).
pub fn options(dataset: DatasetKind, init: &InitChoice, act: &ActivationChoice) -> TrainOptions {
    let i = (init.init)();
    TrainOptions {
        dataset,
        hidden: HIDDEN.to_vec(),
        activation: act.activation,
        init: initnet::Init { gain: 1.0, ..i },
        gain: i.gain,
        lr: LR,
        epochs: EPOCHS,
        standardize: true,
        ..TrainOptions::default()
    }
}

/// The `initlab train` command of one run.
pub fn command(dataset: DatasetKind, init: &InitChoice, act: &ActivationChoice) -> String {
    let o = options(dataset, init, act);
    let gain = if o.gain != 1.0 {
        format!(" --gain {}", o.gain)
    } else {
        String::new()
    };
    format!(
        "initlab train --dataset {dataset} --hidden 16,16 --activation {} --init {} --lr {LR} --epochs {EPOCHS} --standardize{gain}",
        o.activation, o.init
    )
}

/// One training run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Epoch, loss and training accuracy every [`EVERY`] epochs (and the last).
    pub history: Vec<(usize, f64, f64)>,
    /// Test accuracy at the end.
    pub test_accuracy: f64,
    /// The epoch it diverged at, if it did.
    pub diverged_at: Option<usize>,
    /// The predicted class on the grid at each of [`SNAPSHOTS`], row by row from the top
    /// (largest second feature) and left to right; `None` after a divergence.
    pub regions: Vec<Option<Vec<usize>>>,
}

/// The grid's points in standardized features, row by row from the top.
pub fn grid_points() -> Array2<f64> {
    let step = 2.0 * RANGE / (GRID - 1) as f64;
    Array2::from_shape_fn((GRID * GRID, 2), |(k, j)| {
        let (row, col) = (k / GRID, k % GRID);
        if j == 0 {
            -RANGE + step * col as f64
        } else {
            RANGE - step * row as f64
        }
    })
}

/// Train one run and read its regions.
pub fn run(dataset: DatasetKind, init: &InitChoice, act: &ActivationChoice) -> Result<Run, Error> {
    let opts = options(dataset, init, act);
    let points = grid_points();
    let mut regions = vec![None; SNAPSHOTS.len()];
    let report = initlab::train_observed(&opts, |epoch, net, _| {
        if let Some(i) = SNAPSHOTS.iter().position(|&e| e == epoch)
            && let Ok(logits) = net.predict(&points)
        {
            regions[i] = Some(
                logits
                    .rows()
                    .into_iter()
                    .map(|r| {
                        let mut best = 0;
                        for (k, &v) in r.iter().enumerate() {
                            if v > r[best] {
                                best = k;
                            }
                        }
                        best
                    })
                    .collect(),
            );
        }
    })?;
    let n = report.history.len();
    let history = report
        .history
        .iter()
        .enumerate()
        .filter(|(i, p)| p.epoch % EVERY == 0 || i + 1 == n)
        .map(|(_, p)| (p.epoch, p.loss, p.accuracy))
        .collect();
    Ok(Run {
        history,
        test_accuracy: report.test_accuracy,
        diverged_at: report.diverged_at_epoch,
        regions,
    })
}

/// The training points of a data set in standardized features, with their classes (as
/// `initlab train --standardize` sees them).
pub fn points(dataset: DatasetKind) -> Result<(Array2<f64>, Vec<usize>), Error> {
    let opts = TrainOptions {
        dataset,
        epochs: 1,
        standardize: true,
        ..TrainOptions::default()
    };
    // The training part is not in the report; rebuild it as train does.
    let seeds = initlab::Seeds::from_seed(opts.seed);
    let data = match dataset {
        DatasetKind::Blobs => initnet::Blobs::new(opts.samples, 4).generate(seeds.data)?,
        DatasetKind::Circles => initnet::make_circles(opts.samples, 0.1, 0.5, seeds.data)?,
        DatasetKind::Moons => initnet::make_moons(opts.samples, 0.1, seeds.data)?,
    };
    let (train, _) = initnet::stratified_split(&data, opts.test_fraction, seeds.split)?;
    let scaler = initnet::Standardizer::fit(&train.x)?;
    let train = train.standardized(&scaler)?;
    Ok((train.x, train.y))
}

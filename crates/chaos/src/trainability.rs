//! Which deep tanh networks train on the 8×8 digits in a fixed budget: a grid of σ_w² and
//! depth, each cell trained from many seeds, beside Schoenholz et al.'s 6 ξ_c.

use initnet::ndarray::{Array1, Array2};
use initnet::random::{Distribution, StandardNormal, rng};
use initnet::{Activation, Dense, Mlp, Standardizer, TrainConfig, data, stratified_split, train};

use crate::Error;
use book::memo::{Memo, per_seed};

/// The fixed task and budget of every cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Task {
    /// Units per hidden layer.
    pub width: usize,
    /// σ_b² of the hidden layers.
    pub sigma_b2: f64,
    /// Training images per class (taken from the 1,797 digits, stratified).
    pub per_class: usize,
    /// Mini-batch size.
    pub batch: usize,
    /// Passes over the training images.
    pub epochs: usize,
    /// Learning rate (with momentum 0.9).
    pub lr: f64,
    /// Training accuracy at which a run counts as trained.
    pub threshold: f64,
}

impl Task {
    /// The chapter's task: width 16, σ_b² = 0.05, 10 images per class, batches of 10,
    /// 10 epochs (100 steps), learning rate 0.01 with momentum 0.9, trained at 50%
    /// training accuracy (chance is 10%).
    pub fn chapter() -> Task {
        Task {
            width: 16,
            sigma_b2: crate::propagation::SIGMA_B2,
            per_class: 10,
            batch: 10,
            epochs: 10,
            lr: 0.01,
            threshold: 0.5,
        }
    }

    /// The standardized training images (the same for every seed): `per_class` of each
    /// digit, by a stratified split with seed 0.
    pub fn data(&self) -> Result<data::Dataset, Error> {
        let digits = data::load_digits()?;
        let fraction = (self.per_class * 10) as f64 / digits.len() as f64;
        let (_, picked) = stratified_split(&digits, fraction, 0)?;
        let scaler = Standardizer::fit(&picked.x)?;
        Ok(picked.standardized(&scaler)?)
    }

    /// The final training accuracy of one network of `depth` tanh layers with σ_w²,
    /// initialized and trained with `seed`; 0 for a run that diverged.
    pub fn accuracy(
        &self,
        train_set: &data::Dataset,
        sigma_w2: f64,
        depth: usize,
        seed: u64,
    ) -> Result<f64, Error> {
        if depth == 0 {
            return Err(Error::Zero("depth"));
        }
        let mut rng = rng(seed);
        let law = StandardNormal;
        let mut layers = Vec::with_capacity(depth + 1);
        let mut n_in = train_set.features();
        for _ in 0..depth {
            let sw = (sigma_w2 / n_in as f64).sqrt();
            let w = Array2::from_shape_fn((self.width, n_in), |_| sw * law.sample(&mut rng));
            let sb = self.sigma_b2.sqrt();
            let b = Array1::from_shape_fn(self.width, |_| sb * law.sample(&mut rng));
            layers.push(Dense::new(w, b, Activation::Tanh)?);
            n_in = self.width;
        }
        let sw = (1.0 / n_in as f64).sqrt();
        let w = Array2::from_shape_fn((train_set.classes, n_in), |_| sw * law.sample(&mut rng));
        layers.push(Dense::new(
            w,
            Array1::zeros(train_set.classes),
            Activation::Identity,
        )?);
        let mut net = Mlp::from_layers(layers)?;
        let cfg = TrainConfig::new(self.lr, self.epochs)
            .mini_batch(self.batch, seed)
            .momentum(0.9);
        let history = train(&mut net, &train_set.x, &train_set.y, &cfg)?;
        Ok(if history.diverged.is_some() {
            0.0
        } else {
            history.last().accuracy
        })
    }
}

/// The grid: for each σ_w² and depth, the final training accuracy of every seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The task.
    pub task: Task,
    /// σ_w² of the columns.
    pub sigma_w2: Vec<f64>,
    /// Depths of the rows.
    pub depths: Vec<usize>,
    /// `accuracy[d][w][seed]`.
    pub accuracy: Vec<Vec<Vec<f64>>>,
}

impl Grid {
    /// Trains every cell over `seeds`.
    pub fn run(
        task: Task,
        sigma_w2: &[f64],
        depths: &[usize],
        seeds: &[u64],
    ) -> Result<Grid, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let data = task.data()?;
        let mut accuracy = Vec::new();
        for &depth in depths {
            let mut row = Vec::new();
            for &w in sigma_w2 {
                row.push(per_seed(seeds, |seed| {
                    task.accuracy(&data, w, depth, seed)
                })?);
            }
            accuracy.push(row);
        }
        Ok(Grid {
            task,
            sigma_w2: sigma_w2.to_vec(),
            depths: depths.to_vec(),
            accuracy,
        })
    }

    /// The chapter's grid (memoized per process): σ_w² = 0.5, 1, 1.76 (critical), 3, 6
    /// and depths 4, 10, 20.
    pub fn chapter(seeds: &[u64]) -> Result<Grid, Error> {
        static GRID: Memo<Vec<u64>, Grid> = Memo::new();
        GRID.get_or_run(seeds.to_vec(), || {
            let critical = theory::tanh_critical_sigma_w2(crate::propagation::SIGMA_B2)?;
            Grid::run(
                Task::chapter(),
                &[0.5, 1.0, critical, 3.0, 6.0],
                &[4, 10, 20],
                seeds,
            )
        })
    }

    /// The fraction of seeds that reached the threshold, `[d][w]`.
    pub fn trained_fraction(&self) -> Vec<Vec<f64>> {
        self.accuracy
            .iter()
            .map(|row| {
                row.iter()
                    .map(|runs| {
                        let ok = runs.iter().filter(|&&a| a >= self.task.threshold).count();
                        ok as f64 / runs.len() as f64
                    })
                    .collect()
            })
            .collect()
    }

    /// The mean final accuracy, `[d][w]`.
    pub fn mean_accuracy(&self) -> Vec<Vec<f64>> {
        self.accuracy
            .iter()
            .map(|row| row.iter().map(book::mean).collect())
            .collect()
    }

    /// The grid as a markdown table, a row per σ_w²: its 6 ξ_c from the mean field (at the
    /// task's σ_b²), then per depth the mean final training accuracy and how many seeds
    /// reached the threshold. A σ_w² whose ξ_c diverges (the critical point) shows "∞".
    pub fn table(&self) -> Result<String, Error> {
        let mut out = String::from("| $\\sigma_w^2$ | $6\\,\\xi_c$ |");
        for d in &self.depths {
            out += &format!(" depth {d} |");
        }
        out += "\n| ---: | ---: |";
        for _ in &self.depths {
            out += " ---: |";
        }
        out.push('\n');
        let acc = self.mean_accuracy();
        for (w, &sigma_w2) in self.sigma_w2.iter().enumerate() {
            let k = theory::Criticality::tanh(sigma_w2, self.task.sigma_b2)?;
            let six = k
                .xi_c
                .filter(|x| *x < 1e3)
                .map_or("∞".to_string(), |x| format!("{:.1}", 6.0 * x));
            out += &format!("| {sigma_w2:.2} | {six} |");
            for (d, row) in self.accuracy.iter().enumerate() {
                let runs = &row[w];
                let ok = runs.iter().filter(|&&a| a >= self.task.threshold).count();
                out += &format!(" {:.2} ({ok}/{}) |", acc[d][w], runs.len());
            }
            out.push('\n');
        }
        Ok(out)
    }
}

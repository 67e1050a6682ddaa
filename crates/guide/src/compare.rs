//! Every initializer of the book on the same tasks, over many seeds.
//!
//! Each seed draws a new data set, a new train/test split and new initial weights; the
//! features are standardized with the training set's mean and std. Training is full-batch
//! gradient descent with momentum on the softmax cross-entropy, the same for every
//! initializer of a task, so the initializer is the only thing that changes.

use initnet::{
    Activation, BiasInit, Blobs, Dataset, Init, Loss, MlpSpec, Standardizer, TrainConfig, evaluate,
    make_circles, make_moons, train, train_test_split,
};

use crate::table::{keras_dense, pytorch_linear};
use crate::{Error, Result, mean_sd};

/// The fraction of each data set held out as the test set.
pub const TEST_FRACTION: f64 = 0.25;

/// An initializer of the book, with the bias it comes with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Short name, used in tables, charts and claim keys.
    pub name: &'static str,
    /// Weight initializer.
    pub init: Init,
    /// Bias initializer.
    pub bias: BiasInit,
}

/// The book's initializers, in the order the chapters meet them, and two framework defaults
/// (PyTorch's also with its weights alone, biases at zero).
pub fn candidates() -> Vec<Candidate> {
    let zero = BiasInit::Zeros;
    let fixed = |std: f64| Init::normal(std).expect("a positive std");
    let pytorch = pytorch_linear();
    let keras = keras_dense();
    vec![
        Candidate {
            name: "zeros",
            init: Init::zeros(),
            bias: zero,
        },
        Candidate {
            name: "N(0, 0.01²)",
            init: fixed(0.01),
            bias: zero,
        },
        Candidate {
            name: "N(0, 1)",
            init: fixed(1.0),
            bias: zero,
        },
        Candidate {
            name: "LeCun",
            init: Init::lecun_normal(),
            bias: zero,
        },
        Candidate {
            name: "Xavier",
            init: Init::xavier_normal(),
            bias: zero,
        },
        Candidate {
            name: "He",
            init: Init::he_normal(),
            bias: zero,
        },
        Candidate {
            name: "PyTorch",
            init: pytorch.init,
            bias: pytorch.bias,
        },
        Candidate {
            name: "PyTorch, zero bias",
            init: pytorch.init,
            bias: zero,
        },
        Candidate {
            name: "Keras",
            init: keras.init,
            bias: keras.bias,
        },
    ]
}

impl Candidate {
    /// The name as the chapter's tables show it (numbers as math).
    pub fn label(&self) -> &'static str {
        match self.name {
            "N(0, 0.01²)" => "$\\mathcal N(0, 0.01^2)$",
            "N(0, 1)" => "$\\mathcal N(0, 1)$",
            name => name,
        }
    }

    /// The name as the accuracy chart's category (short words, to fit a ninth of its width).
    pub fn chart_label(&self) -> &'static str {
        match self.name {
            "PyTorch, zero bias" => "PyTorch b = 0",
            name => name,
        }
    }

    /// The name as a claim key: lower case, letters and digits only.
    pub fn key(&self) -> String {
        match self.name {
            "N(0, 0.01²)" => "small".to_string(),
            "N(0, 1)" => "unit".to_string(),
            "PyTorch, zero bias" => "pytorchw".to_string(),
            name => name.to_ascii_lowercase(),
        }
    }
}

/// The tasks every initializer is tried on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// The post's problem: four Gaussian blobs in two features, a 2-2-4 tanh network.
    Blobs,
    /// Two concentric circles, a small 2-8-8-2 ReLU network.
    Circles,
    /// Two moons, a deep tanh network: ten hidden layers of sixteen units.
    DeepTanh,
    /// Two moons, the same deep network with ReLU.
    DeepRelu,
}

/// Everything that defines a task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    /// The task.
    pub task: Task,
    /// Samples drawn per seed (a quarter of them are the test set).
    pub samples: usize,
    /// Widths n_0..n_L.
    pub widths: Vec<usize>,
    /// Hidden activation.
    pub activation: Activation,
    /// The training run.
    pub config: TrainConfig,
}

impl Task {
    /// All tasks, in the order of the chapter's table.
    pub const ALL: [Task; 4] = [Task::Blobs, Task::Circles, Task::DeepTanh, Task::DeepRelu];

    /// Short name, used in tables, charts and claim keys.
    pub fn key(self) -> &'static str {
        match self {
            Task::Blobs => "blobs",
            Task::Circles => "circles",
            Task::DeepTanh => "deep-tanh",
            Task::DeepRelu => "deep-relu",
        }
    }

    /// A longer description for tables and charts.
    pub fn title(self) -> &'static str {
        match self {
            Task::Blobs => "blobs, 2-2-4 tanh",
            Task::Circles => "circles, 2-8-8-2 ReLU",
            Task::DeepTanh => "moons, 10 x 16 tanh",
            Task::DeepRelu => "moons, 10 x 16 ReLU",
        }
    }

    /// The task's data size, network and training run.
    pub fn spec(self) -> TaskSpec {
        let deep = |activation| TaskSpec {
            task: self,
            samples: 100,
            widths: [2].into_iter().chain([16; 10]).chain([2]).collect(),
            activation,
            config: TrainConfig::new(0.05, 100).momentum(0.9),
        };
        match self {
            Task::Blobs => TaskSpec {
                task: self,
                samples: 200,
                widths: vec![2, 2, 4],
                activation: Activation::Tanh,
                config: TrainConfig::new(0.1, 100).momentum(0.9),
            },
            Task::Circles => TaskSpec {
                task: self,
                samples: 200,
                widths: vec![2, 8, 8, 2],
                activation: Activation::Relu,
                config: TrainConfig::new(0.1, 100).momentum(0.9),
            },
            Task::DeepTanh => deep(Activation::Tanh),
            Task::DeepRelu => deep(Activation::Relu),
        }
    }

    /// The data set of `seed`, before splitting.
    pub fn data(self, seed: u64) -> Result<Dataset> {
        self.data_of_size(self.spec().samples, seed)
    }

    /// The task's kind of data set with `n` samples.
    pub fn data_of_size(self, n: usize, seed: u64) -> Result<Dataset> {
        Ok(match self {
            Task::Blobs => Blobs::new(n, 4).generate(seed)?,
            Task::Circles => make_circles(n, 0.1, 0.5, seed)?,
            Task::DeepTanh | Task::DeepRelu => make_moons(n, 0.15, seed)?,
        })
    }
}

/// The outcome of training one network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    /// Accuracy on the training set after training.
    pub train_accuracy: f64,
    /// Accuracy on the held-out quarter.
    pub test_accuracy: f64,
    /// Mean cross-entropy on the training set after training.
    pub loss: f64,
    /// Whether the weights or the loss stopped being finite (then the other fields are NaN).
    pub diverged: bool,
}

impl TaskSpec {
    /// Train `candidate` on this task for one seed: the seed draws the data, the split
    /// and the initial weights.
    pub fn run(&self, candidate: &Candidate, seed: u64) -> Result<Run> {
        let data = self.task.data_of_size(self.samples, seed)?;
        let (train_set, test_set) = train_test_split(&data, TEST_FRACTION, seed)?;
        let scaler = Standardizer::fit(&train_set.x)?;
        let (train_set, test_set) = (
            train_set.standardized(&scaler)?,
            test_set.standardized(&scaler)?,
        );
        let mut net = MlpSpec::new(&self.widths, self.activation, candidate.init)
            .bias(candidate.bias)
            .build(seed)?;
        let history = train(&mut net, &train_set.x, &train_set.y, &self.config)?;
        if history.diverged.is_some() {
            return Ok(Run {
                train_accuracy: f64::NAN,
                test_accuracy: f64::NAN,
                loss: f64::NAN,
                diverged: true,
            });
        }
        let (test, _) = evaluate(&net, &test_set.x, &test_set.y, Loss::SoftmaxCrossEntropy)?;
        let last = history.last();
        Ok(Run {
            train_accuracy: last.accuracy,
            test_accuracy: test.accuracy,
            loss: last.loss,
            diverged: false,
        })
    }

    /// Every candidate on this task over `seeds`.
    pub fn compare(&self, seeds: &[u64]) -> Result<Vec<Summary>> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        candidates()
            .into_iter()
            .map(|c| {
                let runs = book::memo::per_seed(seeds, |s| self.run(&c, s))?;
                Ok(Summary::new(self.task, c, runs))
            })
            .collect()
    }
}

/// Train `candidate` on `task` (with its standard [`TaskSpec`]) for one seed.
pub fn run(task: Task, candidate: &Candidate, seed: u64) -> Result<Run> {
    task.spec().run(candidate, seed)
}

/// One initializer on one task over many seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The task.
    pub task: Task,
    /// The initializer.
    pub candidate: Candidate,
    /// One run per seed.
    pub runs: Vec<Run>,
    /// Mean and spread of the training accuracy over the runs that did not diverge.
    pub train_accuracy: (f64, f64),
    /// Mean and spread of the test accuracy over the runs that did not diverge.
    pub test_accuracy: (f64, f64),
    /// Mean and spread of the final training loss over the runs that did not diverge.
    pub loss: (f64, f64),
    /// How many runs diverged.
    pub diverged: usize,
}

impl Summary {
    /// Summarize runs (NaN means when every run diverged).
    pub fn new(task: Task, candidate: Candidate, runs: Vec<Run>) -> Self {
        let ok: Vec<&Run> = runs.iter().filter(|r| !r.diverged).collect();
        let stat = |f: fn(&Run) -> f64| mean_sd(&ok.iter().map(|r| f(r)).collect::<Vec<_>>());
        Summary {
            task,
            candidate,
            train_accuracy: stat(|r| r.train_accuracy),
            test_accuracy: stat(|r| r.test_accuracy),
            loss: stat(|r| r.loss),
            diverged: runs.len() - ok.len(),
            runs,
        }
    }

    /// The standard error of the mean test accuracy: spread over sqrt(runs that finished).
    pub fn test_standard_error(&self) -> f64 {
        self.test_accuracy.1 / ((self.runs.len() - self.diverged).max(1) as f64).sqrt()
    }
}

/// A paired comparison of two initializers' test accuracies on one task. Both are trained
/// on the same data set, split and seed for each seed, so the difference per seed cancels
/// what the seed does to both, and its spread is what the comparison has to beat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paired {
    /// Seeds on which neither run diverged.
    pub n: usize,
    /// Mean over those seeds of (test accuracy of a) - (test accuracy of b).
    pub mean: f64,
    /// Sample standard deviation of the per-seed differences.
    pub sd: f64,
    /// Student's t statistic, mean / (sd / sqrt(n)); 0 when every difference is 0.
    pub t: f64,
    /// The smallest true mean difference this design detects with probability 0.8 in a
    /// two-sided test at level 0.05: (t_{0.975, n-1} + t_{0.8, n-1}) sd / sqrt(n).
    pub detectable: f64,
}

impl Paired {
    /// Whether the difference is significant at level 0.05, two-sided.
    pub fn significant(&self) -> bool {
        self.t.abs() > student_t_quantile(0.975, self.n - 1)
    }
}

/// The paired comparison of `a` and `b` (which must be runs over the same seeds, in the
/// same order). Seeds where either diverged are left out; fewer than two left is
/// [`Error::NoSeeds`], and runs of different lengths are [`Error::Unknown`] naming both.
pub fn paired(a: &Summary, b: &Summary) -> Result<Paired> {
    if a.runs.len() != b.runs.len() {
        return Err(Error::Unknown {
            what: "pairing of runs",
            name: format!("{} over {} seeds", b.candidate.name, b.runs.len()),
            expected: "the same seeds as the first",
        });
    }
    let d: Vec<f64> = a
        .runs
        .iter()
        .zip(&b.runs)
        .filter(|(x, y)| !x.diverged && !y.diverged)
        .map(|(x, y)| x.test_accuracy - y.test_accuracy)
        .collect();
    if d.len() < 2 {
        return Err(Error::NoSeeds);
    }
    let n = d.len();
    let (mean, sd) = mean_sd(&d);
    let se = sd / (n as f64).sqrt();
    let t = if se > 0.0 { mean / se } else { 0.0 };
    let df = n - 1;
    Ok(Paired {
        n,
        mean,
        sd,
        t,
        detectable: (student_t_quantile(0.975, df) + student_t_quantile(0.8, df)) * se,
    })
}

/// The quantile of Student's t distribution with `df` degrees of freedom at p = 0.975 or
/// p = 0.8 (the two a paired test and its power need), by the Cornish-Fisher expansion of
/// Abramowitz and Stegun, 26.7.5, from the normal quantile z_p: exact to 1e-4 for df >= 5,
/// and tending to z_p as df grows. Another p is not needed here and gives NaN.
pub fn student_t_quantile(p: f64, df: usize) -> f64 {
    let z = if p == 0.975 {
        1.959_963_984_540_054
    } else if p == 0.8 {
        0.841_621_233_572_914_3
    } else {
        return f64::NAN;
    };
    let v = df.max(1) as f64;
    let z2 = z * z;
    let g1 = z * (z2 + 1.0) / 4.0;
    let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
    z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
}

/// Every candidate on `task` (with its standard [`TaskSpec`]) over `seeds`.
pub fn compare(task: Task, seeds: &[u64]) -> Result<Vec<Summary>> {
    task.spec().compare(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_deterministic() {
        let c = candidates()[5];
        assert_eq!(
            run(Task::Circles, &c, 3).unwrap(),
            run(Task::Circles, &c, 3).unwrap()
        );
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        // Student's t tables: t_{0.975} and t_{0.8} for 19 and 10 degrees of freedom.
        for (p, df, table) in [
            (0.975, 19, 2.093_024),
            (0.8, 19, 0.860_951),
            (0.975, 10, 2.228_139),
            (0.8, 10, 0.879_058),
        ] {
            let t = student_t_quantile(p, df);
            assert!((t - table).abs() < 1e-3, "{p} {df}: {t}");
        }
        assert!(student_t_quantile(0.5, 3).is_nan());
    }

    #[test]
    fn no_seeds_is_an_error() {
        assert_eq!(compare(Task::Blobs, &[]).unwrap_err(), Error::NoSeeds);
    }

    #[test]
    fn keys_are_plain() {
        for c in candidates() {
            assert!(
                c.key().chars().all(|ch| ch.is_ascii_alphanumeric()),
                "{}",
                c.key()
            );
        }
    }
}

//! The book's two headline failures rerun under Adam: PyTorch's `nn.Linear` default on the
//! closing guide's deep ReLU task, and thirty ReLU layers with Xavier weights (the He
//! chapter's deep network). Each is rebuilt here from its chapter's settings.

use book::Error;
use initnet::{
    Activation, BiasInit, Dataset, Init, MlpSpec, Standardizer, TrainConfig, make_circles,
    make_moons, train, train_test_split,
};

use book::memo::{Memo, per_seed};

/// Which failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The guide's `deep-relu` task: two moons (100 points, noise 0.15, a quarter held
    /// out), 2-16×10-2 ReLU, trained full-batch for 100 epochs (gradient descent at 0.05
    /// with momentum 0.9 in the guide).
    PytorchDeepRelu,
    /// The He chapter's network: two circles (100 points, noise 0.1, factor 0.5),
    /// 2-32×30-2 ReLU, 150 full-batch epochs (gradient descent at 0.005 with momentum 0.8
    /// in the He chapter).
    XavierThirtyRelu,
}

/// PyTorch's `nn.Linear` default: U(±1/√n_in) weights (LeCun's uniform law with gain
/// 1/√3) and U(±1/√n_in) biases.
pub fn pytorch_linear() -> (Init, BiasInit) {
    (
        Init::lecun_uniform()
            .with_gain(1.0 / 3f64.sqrt())
            .expect("1/sqrt(3) is a valid gain"),
        BiasInit::FanInUniform,
    )
}

impl Failure {
    /// Both, in the chapter's order.
    pub const ALL: [Failure; 2] = [Failure::PytorchDeepRelu, Failure::XavierThirtyRelu];

    /// The widths n_0..n_L.
    pub fn widths(self) -> Vec<usize> {
        let (width, depth) = match self {
            Failure::PytorchDeepRelu => (16, 10),
            Failure::XavierThirtyRelu => (32, 30),
        };
        [2].into_iter()
            .chain(std::iter::repeat_n(width, depth))
            .chain([2])
            .collect()
    }

    /// The failing initialization and the working one (He's, zero biases).
    pub fn inits(self) -> [(Init, BiasInit); 2] {
        let he = (Init::he_normal(), BiasInit::Zeros);
        match self {
            Failure::PytorchDeepRelu => [pytorch_linear(), he],
            Failure::XavierThirtyRelu => [(Init::xavier_normal(), BiasInit::Zeros), he],
        }
    }

    /// The failing initialization's name.
    pub fn name(self) -> &'static str {
        match self {
            Failure::PytorchDeepRelu => "PyTorch default",
            Failure::XavierThirtyRelu => "Xavier",
        }
    }

    /// The chapter's gradient-descent run and epochs.
    pub fn sgd(self) -> TrainConfig {
        match self {
            Failure::PytorchDeepRelu => TrainConfig::new(0.05, 100).momentum(0.9),
            Failure::XavierThirtyRelu => TrainConfig::new(0.005, 150).momentum(0.8),
        }
    }

    /// Adam with PyTorch's defaults (learning rate 0.001): 100 epochs on the guide's
    /// task, 50 on the He chapter's network.
    pub fn adam(self) -> TrainConfig {
        let epochs = match self {
            Failure::PytorchDeepRelu => 100,
            Failure::XavierThirtyRelu => 50,
        };
        TrainConfig::new(0.001, epochs).adam()
    }

    /// The training set of `seed` (the guide trains on three quarters of its points).
    pub fn data(self, seed: u64) -> Result<Dataset, Error> {
        match self {
            Failure::PytorchDeepRelu => {
                let d = make_moons(100, 0.15, seed)?;
                let (train_set, _) = train_test_split(&d, 0.25, seed)?;
                Ok(train_set.standardized(&Standardizer::fit(&train_set.x)?)?)
            }
            Failure::XavierThirtyRelu => {
                let d = make_circles(100, 0.1, 0.5, seed)?;
                Ok(d.standardized(&Standardizer::fit(&d.x)?)?)
            }
        }
    }

    /// Final training accuracy of the initialization `which` (0: failing, 1: He) trained
    /// by `cfg` on the data of `seed`; NaN if the run diverged.
    pub fn run(self, which: usize, cfg: &TrainConfig, seed: u64) -> Result<f64, Error> {
        let data = self.data(seed)?;
        let (init, bias) = self.inits()[which];
        let mut net = MlpSpec::new(&self.widths(), Activation::Relu, init)
            .bias(bias)
            .build(seed)?;
        let h = train(&mut net, &data.x, &data.y, cfg)?;
        Ok(if h.diverged.is_some() {
            f64::NAN
        } else {
            h.last().accuracy
        })
    }
}

/// Final training accuracies under Adam over seeds: per failure, per initialization
/// (the failing one, then He's on the guide's task, where the guide's He runs are not
/// all at full accuracy), one per seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reruns {
    /// `acc[f][i][seed]`.
    pub acc: Vec<Vec<Vec<f64>>>,
}

impl Reruns {
    /// Run them.
    pub fn run(seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let acc = Failure::ALL
            .iter()
            .map(|&f| -> Result<Vec<Vec<f64>>, Error> {
                let one = |i: usize| per_seed(seeds, |s| f.run(i, &f.adam(), s));
                match f {
                    Failure::PytorchDeepRelu => Ok(vec![one(0)?, one(1)?]),
                    Failure::XavierThirtyRelu => Ok(vec![one(0)?]),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Reruns { acc })
    }

    /// The chapter's reruns over `seeds`, computed once per process.
    pub fn chapter(seeds: &[u64]) -> Result<Self, Error> {
        static MEMO: Memo<Vec<u64>, Reruns> = Memo::new();
        MEMO.get_or_run(seeds.to_vec(), || Self::run(seeds))
    }
}

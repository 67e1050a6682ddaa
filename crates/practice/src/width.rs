//! Width and μP: the coordinate check of Yang et al. (2022, Tensor Programs V) in Rust.
//! A ReLU network with two hidden layers of width n takes a few Adam steps on a fixed
//! batch; the check reads the size of the coordinates (the rms of the entries) of the last
//! hidden layer and of the logits after those steps, against n, under the standard
//! parametrization (SP) and under μP.
//!
//! SP: every layer N(0, 2/n_in) (He) and one Adam learning rate η. μP for Adam (their
//! Table 3, with a base width n_base where the two coincide): the input layer as in SP; the
//! hidden layer's learning rate η n_base/n; the output layer's weights N(0, 2 n_base/n²),
//! SP's He draw scaled by √(n_base/n), and learning rate η n_base/n. At n = n_base every
//! setting is SP's, so the two runs are the same run. Biases (zero at the start) keep η in
//! both.

use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, Adam, Init, Loss, MlpSpec, ndarray::Array2};

use book::Result;

/// The parametrization of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parametrization {
    /// The standard parametrization: fan-in init, one learning rate.
    Standard,
    /// μP for Adam.
    MuP,
}

impl Parametrization {
    /// The name in charts and tables.
    pub fn name(self) -> &'static str {
        match self {
            Parametrization::Standard => "standard",
            Parametrization::MuP => "μP",
        }
    }
}

/// The coordinate check's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CoordCheck {
    /// The widths n.
    pub widths: Vec<usize>,
    /// The base width n_base, where μP and SP coincide.
    pub base: usize,
    /// Input features.
    pub inputs: usize,
    /// Classes.
    pub classes: usize,
    /// Samples in the fixed batch.
    pub batch: usize,
    /// Adam steps.
    pub steps: u32,
    /// Adam's base learning rate η.
    pub lr: f64,
}

impl Default for CoordCheck {
    fn default() -> Self {
        CoordCheck {
            widths: vec![32, 64, 128, 256, 512],
            base: 32,
            inputs: 16,
            classes: 10,
            batch: 16,
            steps: 4,
            lr: 0.01,
        }
    }
}

/// The rms of the entries of the last hidden layer's activations and of the logits after
/// the steps, for one width, parametrization and seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coords {
    /// rms of h² (the last hidden layer) after the steps.
    pub hidden: f64,
    /// rms of the logits after the steps.
    pub logits: f64,
}

fn rms(a: &Array2<f64>) -> f64 {
    (a.iter().map(|v| v * v).sum::<f64>() / a.len() as f64).sqrt()
}

/// One run of the check.
pub fn coords(c: &CoordCheck, n: usize, p: Parametrization, seed: u64) -> Result<Coords> {
    let he = Init::he_normal();
    let mut net = MlpSpec::new(&[c.inputs, n, n, c.classes], Activation::Relu, he).build(seed)?;
    let ratio = c.base as f64 / n as f64;
    let mut rng = initnet::rng(seed ^ 0x00c0_0d5e);
    if p == Parametrization::MuP {
        // Output weights: He's draw, variance 2/n, scaled to 2 n_base/n², which is He's
        // at n = n_base.
        let out = net.layer_mut(3);
        out.w.mapv_inplace(|w| w * ratio.sqrt());
    }
    let x = Array2::from_shape_simple_fn((c.batch, c.inputs), || StandardNormal.sample(&mut rng));
    let y: Vec<usize> = (0..c.batch).map(|i| i % c.classes).collect();
    let lrs = match p {
        Parametrization::Standard => [c.lr, c.lr, c.lr],
        Parametrization::MuP => [c.lr, c.lr * ratio, c.lr * ratio],
    };
    let adam = Adam::PYTORCH;
    let mut mw: Vec<Array2<f64>> = net
        .layers
        .iter()
        .map(|l| Array2::zeros(l.w.dim()))
        .collect();
    let mut vw = mw.clone();
    let mut mb: Vec<_> = net.layers.iter().map(|l| l.b.mapv(|_| 0.0)).collect();
    let mut vb = mb.clone();
    for t in 1..=c.steps {
        let trace = net.forward(&x)?;
        let (_, d) = Loss::SoftmaxCrossEntropy.evaluate(trace.output(), &y)?;
        let g = net.backward(&trace, &d)?;
        for (l, layer) in net.layers.iter_mut().enumerate() {
            adam.update(lrs[l], t, &mut layer.w, &g.dw[l], &mut mw[l], &mut vw[l])?;
            adam.update(c.lr, t, &mut layer.b, &g.db[l], &mut mb[l], &mut vb[l])?;
        }
    }
    let trace = net.forward(&x)?;
    Ok(Coords {
        hidden: rms(trace.h(2)),
        logits: rms(trace.output()),
    })
}

/// The check over widths and seeds: for each width, the mean over seeds of the rms of
/// the last hidden layer and of the logits.
#[derive(Debug, Clone, PartialEq)]
pub struct CoordStudy {
    /// The parametrization.
    pub parametrization: Parametrization,
    /// The widths.
    pub widths: Vec<usize>,
    /// Mean over seeds of [`Coords::hidden`], by width.
    pub hidden: Vec<f64>,
    /// Mean over seeds of [`Coords::logits`], by width.
    pub logits: Vec<f64>,
}

/// Run the check for one parametrization over `seeds`.
pub fn coord_study(c: &CoordCheck, p: Parametrization, seeds: &[u64]) -> Result<CoordStudy> {
    if seeds.is_empty() {
        return Err(book::Error::NoSeeds);
    }
    let mut hidden = vec![];
    let mut logits = vec![];
    for &n in &c.widths {
        let runs = seeds
            .iter()
            .map(|&s| coords(c, n, p, s))
            .collect::<Result<Vec<_>>>()?;
        hidden.push(book::mean(runs.iter().map(|r| r.hidden)));
        logits.push(book::mean(runs.iter().map(|r| r.logits)));
    }
    Ok(CoordStudy {
        parametrization: p,
        widths: c.widths.clone(),
        hidden,
        logits,
    })
}

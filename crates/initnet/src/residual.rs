//! Residual networks: a stem, L residual blocks x ← x + α F(x), and a linear head.
//!
//! Shapes: the stem maps the n_0 inputs to the width n (a linear layer, no activation);
//! every block keeps the width n; the head maps n to the K outputs (logits). A batch holds
//! one sample per row, as in [`crate::network`].
//!
//! The branch F of a block has one or two dense layers, each optionally followed by a
//! normalization ([`Norm`]):
//!
//! ```text
//! one layer:   F(x) = f(N₁(W¹ x + b¹))
//! two layers:  F(x) = N₂(W² f(N₁(W¹ x + b¹)) + b²)
//! ```
//!
//! (N is the identity without normalization), and the block returns x + α F(x), with the
//! branch scale α fixed or trained. This is the layout of He et al.'s residual blocks
//! (normalization after each product, the last one before the addition), on vectors:
//! [`NormPosition::Post`]. With [`NormPosition::Pre`] the branch has one normalization,
//! at its input, and no other: the block returns x + α F(N(x)) with
//!
//! ```text
//! pre-norm:    F(h) = W² f(W¹ h + b¹) + b²,  h = N(x)
//! ```
//!
//! the layout of GPT-2 and most Transformers since ("pre-LN"): the branch's output is not
//! normalized, so the skip path x grows with the blocks. [`Recipe`] names the
//! initializations the book compares.

use ndarray::{Array1, Array2, Axis};

use crate::activation::Activation;
use crate::error::{Error, Result, all_finite, positive};
use crate::init::Init;
use crate::kernels::matmul;
use crate::loss::Loss;
use crate::norm::{Norm, NormCache, NormKind};
use crate::random::rng;
use crate::train::{Divergence, EpochRecord, History, Optimizer, TrainConfig};

/// How the blocks of a residual network start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Recipe {
    /// He-normal weights in every branch, α = 1: the signal's variance grows with depth.
    Plain,
    /// He-normal weights, α = `1/√L` fixed (GPT-2 scales its residual output projections
    /// by 1/√N, N the number of residual layers).
    Scaled,
    /// Fixup (Zhang, Dauphin and Ma, 2019), for two-layer branches: W¹ He-normal times
    /// L^(-1/(2m-2)) = L^(-1/2) (m = 2 layers per branch), W² = 0, the head's weights 0,
    /// and a trained multiplier α starting at 1 (the biases, 0 at the start, play the
    /// part of Fixup's scalar biases).
    Fixup,
    /// SkipInit / ReZero (De and Smith, 2020; Bachlechner et al., 2020): a trained α per
    /// block starting at 0, so every block starts as the identity.
    ReZero,
    /// Zero-γ (Goyal et al., 2017): the scale γ of the last normalization of every branch
    /// (with [`NormPosition::Pre`], of its only one) starts at 0, α = 1. Needs a
    /// normalization.
    ZeroGamma,
}

impl std::str::FromStr for Recipe {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "plain" => Ok(Recipe::Plain),
            "scaled" => Ok(Recipe::Scaled),
            "fixup" => Ok(Recipe::Fixup),
            "rezero" | "skipinit" => Ok(Recipe::ReZero),
            "zero-gamma" => Ok(Recipe::ZeroGamma),
            _ => Err(Error::Parse {
                what: "residual recipe",
                text: s.to_string(),
                reason: "expected plain, scaled, fixup, rezero or zero-gamma".to_string(),
            }),
        }
    }
}

/// Where a branch's normalization sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NormPosition {
    /// After each dense layer of the branch, the last one before the addition:
    /// x + α N₂(W² f(N₁(W¹ x))) (He et al.'s ResNets).
    #[default]
    Post,
    /// Once, at the branch's input: x + α F(N(x)) (GPT-2's "pre-LN" blocks). The branch's
    /// output is not normalized.
    Pre,
}

impl std::str::FromStr for NormPosition {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "post" => Ok(NormPosition::Post),
            "pre" => Ok(NormPosition::Pre),
            _ => Err(Error::Parse {
                what: "normalization position",
                text: s.to_string(),
                reason: "expected post or pre".to_string(),
            }),
        }
    }
}

/// Everything needed to build a residual network.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidualSpec {
    /// Inputs n_0.
    pub n_in: usize,
    /// Width n of the stem and every block.
    pub width: usize,
    /// Outputs K.
    pub n_out: usize,
    /// Number of blocks L.
    pub blocks: usize,
    /// Dense layers per branch, 1 or 2.
    pub branch_layers: usize,
    /// The activation f inside the branches.
    pub activation: Activation,
    /// A normalization in every branch (where: [`ResidualSpec::norm_position`]), or none.
    pub norm: Option<NormKind>,
    /// After each dense layer of a branch, or once at its input.
    pub norm_position: NormPosition,
    /// How the blocks start.
    pub recipe: Recipe,
    /// Multiplies the standard deviation of every branch weight drawn (1 for the recipe's
    /// own); the stem (LeCun-normal) and the head (LeCun-normal, or 0 for Fixup) keep theirs.
    pub weight_scale: f64,
}

impl ResidualSpec {
    /// `blocks` blocks of width `width`, two ReLU layers per branch, no normalization,
    /// [`Recipe::Plain`].
    pub fn new(n_in: usize, width: usize, n_out: usize, blocks: usize) -> Self {
        ResidualSpec {
            n_in,
            width,
            n_out,
            blocks,
            branch_layers: 2,
            activation: Activation::Relu,
            norm: None,
            norm_position: NormPosition::Post,
            recipe: Recipe::Plain,
            weight_scale: 1.0,
        }
    }
    /// With this recipe.
    pub fn recipe(mut self, recipe: Recipe) -> Self {
        self.recipe = recipe;
        self
    }
    /// With this normalization after each dense layer of a branch.
    pub fn norm(mut self, norm: Option<NormKind>) -> Self {
        self.norm = norm;
        self
    }
    /// With the normalization at this position (after each layer, the default, or once
    /// at the branch's input).
    pub fn norm_position(mut self, position: NormPosition) -> Self {
        self.norm_position = position;
        self
    }
    /// With this many dense layers per branch (1 or 2).
    pub fn branch_layers(mut self, layers: usize) -> Self {
        self.branch_layers = layers;
        self
    }
    /// With this activation in the branches.
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }
    /// Every branch weight's standard deviation multiplied by `scale`.
    pub fn weight_scale(mut self, scale: f64) -> Self {
        self.weight_scale = scale;
        self
    }
    /// Draw the parameters from `seed`.
    pub fn build(&self, seed: u64) -> Result<ResNet> {
        ResNet::new(self, seed)
    }
}

/// One dense layer of a branch with its optional normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchLayer {
    /// Weights, shape (n, n).
    pub w: Array2<f64>,
    /// Biases, length n.
    pub b: Array1<f64>,
    /// The normalization after the product, if any.
    pub norm: Option<Norm>,
}

/// One residual block x ← x + α F(x), or x ← x + α F(N(x)) with a pre-normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The normalization N at the branch's input ([`NormPosition::Pre`]), if any.
    pub pre_norm: Option<Norm>,
    /// The branch's dense layers (one or two).
    pub layers: Vec<BranchLayer>,
    /// The branch scale α.
    pub alpha: f64,
    /// Whether α is trained.
    pub train_alpha: bool,
}

/// A residual network: stem, blocks, head.
#[derive(Debug, Clone, PartialEq)]
pub struct ResNet {
    /// The stem's weights (n, n_0) and biases.
    pub stem_w: Array2<f64>,
    /// The stem's biases.
    pub stem_b: Array1<f64>,
    /// The blocks 1..=L (index l-1 holds block l).
    pub blocks: Vec<Block>,
    /// The head's weights (K, n).
    pub head_w: Array2<f64>,
    /// The head's biases.
    pub head_b: Array1<f64>,
    /// The branch activation f.
    pub activation: Activation,
}

/// What the forward pass of one branch layer keeps.
#[derive(Debug, Clone, PartialEq)]
struct LayerCache {
    /// The layer's input.
    input: Array2<f64>,
    /// The normalization's cache, if any.
    norm: Option<NormCache>,
    /// N(W x + b), before the activation.
    pre: Array2<f64>,
    /// The activation's output (equal to `pre` for the last of two layers).
    post: Array2<f64>,
}

/// What a forward pass keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct ResTrace {
    /// The input batch.
    pub input: Array2<f64>,
    /// x^0 (the stem's output), x^1, ..., x^L (after each block).
    pub x: Vec<Array2<f64>>,
    /// F(x^{l-1}) of block l (index l-1).
    pub branch: Vec<Array2<f64>>,
    /// The logits.
    pub logits: Array2<f64>,
    caches: Vec<Vec<LayerCache>>,
    pre_caches: Vec<Option<NormCache>>,
}

/// The gradients of every parameter, and dL/dx^l of every block.
#[derive(Debug, Clone, PartialEq)]
pub struct ResGrads {
    /// dL/dW of the stem.
    pub stem_w: Array2<f64>,
    /// dL/db of the stem.
    pub stem_b: Array1<f64>,
    /// Per block, per branch layer: (dW, db, dγ, dβ) (the last two empty without a norm).
    pub layers: Vec<Vec<LayerGrads>>,
    /// Per block, (dγ, dβ) of its pre-normalization (both empty without one).
    pub pre_norm: Vec<(Array1<f64>, Array1<f64>)>,
    /// dL/dα per block.
    pub alpha: Vec<f64>,
    /// dL/dW of the head.
    pub head_w: Array2<f64>,
    /// dL/db of the head.
    pub head_b: Array1<f64>,
    /// dL/dx^l for l = 0..=L.
    pub dx: Vec<Array2<f64>>,
}

/// The gradients of one branch layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerGrads {
    /// dL/dW.
    pub w: Array2<f64>,
    /// dL/db.
    pub b: Array1<f64>,
    /// dL/dγ (empty without a normalization).
    pub gamma: Array1<f64>,
    /// dL/dβ (empty without a normalization).
    pub beta: Array1<f64>,
}

/// h W^T + b for a batch h.
fn affine(h: &Array2<f64>, w: &Array2<f64>, b: &Array1<f64>) -> Array2<f64> {
    matmul(h, &w.t()) + b
}

/// The mean of the squares of an array's entries: a layer's q (second moment per unit).
pub fn mean_square(a: &Array2<f64>) -> f64 {
    a.iter().map(|v| v * v).sum::<f64>() / a.len() as f64
}

impl ResNet {
    /// Build a network from a spec, with parameters drawn from `seed` (stem, then each
    /// block's layers in order, then the head).
    pub fn new(spec: &ResidualSpec, seed: u64) -> Result<Self> {
        for (what, n) in [
            ("number of inputs", spec.n_in),
            ("width", spec.width),
            ("number of outputs", spec.n_out),
            ("number of blocks", spec.blocks),
        ] {
            if n == 0 {
                return Err(Error::Zero {
                    what: what.to_string(),
                });
            }
        }
        if !(1..=2).contains(&spec.branch_layers) {
            return Err(Error::OutOfRange {
                name: "layers per branch",
                expected: "1 or 2",
                value: spec.branch_layers as f64,
            });
        }
        positive("weight scale", spec.weight_scale)?;
        if spec.recipe == Recipe::Fixup && spec.branch_layers != 2 {
            return Err(Error::OutOfRange {
                name: "layers per branch with Fixup",
                expected: "2 (Fixup's rescaling L^(-1/(2m-2)) needs m >= 2)",
                value: spec.branch_layers as f64,
            });
        }
        if spec.recipe == Recipe::ZeroGamma && spec.norm.is_none() {
            return Err(Error::Missing {
                what: "normalization (batch or layer) for the zero-gamma recipe",
            });
        }
        let pre = spec.norm_position == NormPosition::Pre;
        let n = spec.width;
        let blocks_f = spec.blocks as f64;
        let mut g = rng(seed);
        let he = |scale: f64| Init::normal(scale * spec.weight_scale * (2.0 / n as f64).sqrt());
        let stem_w = Init::normal((1.0 / spec.n_in as f64).sqrt())?.sample(spec.n_in, n, &mut g)?;
        let mut blocks = Vec::with_capacity(spec.blocks);
        for _ in 0..spec.blocks {
            let mut layers = Vec::with_capacity(spec.branch_layers);
            for i in 0..spec.branch_layers {
                let last = i + 1 == spec.branch_layers;
                let w = match (spec.recipe, i) {
                    (Recipe::Fixup, 0) => he(1.0 / blocks_f.sqrt())?.sample(n, n, &mut g)?,
                    (Recipe::Fixup, _) => Array2::zeros((n, n)),
                    _ => he(1.0)?.sample(n, n, &mut g)?,
                };
                let norm = match spec.norm {
                    None => None,
                    Some(_) if pre => None,
                    Some(kind) => {
                        let norm = Norm::new(kind, n)?;
                        Some(if last && spec.recipe == Recipe::ZeroGamma {
                            norm.with_gamma(0.0)
                        } else {
                            norm
                        })
                    }
                };
                layers.push(BranchLayer {
                    w,
                    b: Array1::zeros(n),
                    norm,
                });
            }
            let (alpha, train_alpha) = match spec.recipe {
                Recipe::Plain | Recipe::ZeroGamma => (1.0, false),
                Recipe::Scaled => (1.0 / blocks_f.sqrt(), false),
                Recipe::Fixup => (1.0, true),
                Recipe::ReZero => (0.0, true),
            };
            let pre_norm = match spec.norm {
                Some(kind) if pre => {
                    let norm = Norm::new(kind, n)?;
                    Some(if spec.recipe == Recipe::ZeroGamma {
                        norm.with_gamma(0.0)
                    } else {
                        norm
                    })
                }
                _ => None,
            };
            blocks.push(Block {
                pre_norm,
                layers,
                alpha,
                train_alpha,
            });
        }
        let head_w = if spec.recipe == Recipe::Fixup {
            Array2::zeros((spec.n_out, n))
        } else {
            Init::normal((1.0 / n as f64).sqrt())?.sample(n, spec.n_out, &mut g)?
        };
        Ok(ResNet {
            stem_w,
            stem_b: Array1::zeros(n),
            blocks,
            head_w,
            head_b: Array1::zeros(spec.n_out),
            activation: spec.activation,
        })
    }

    /// Number of blocks L.
    pub fn depth(&self) -> usize {
        self.blocks.len()
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        let fin = |a: &[f64]| a.iter().all(|v| v.is_finite());
        self.stem_w.iter().all(|v| v.is_finite())
            && fin(self.stem_b.as_slice().unwrap_or(&[]))
            && self.head_w.iter().all(|v| v.is_finite())
            && self.head_b.iter().all(|v| v.is_finite())
            && self.blocks.iter().all(|b| {
                b.alpha.is_finite()
                    && b.pre_norm.as_ref().is_none_or(|n| {
                        n.gamma.iter().all(|v| v.is_finite())
                            && n.beta.iter().all(|v| v.is_finite())
                    })
                    && b.layers.iter().all(|l| {
                        l.w.iter().all(|v| v.is_finite())
                            && l.b.iter().all(|v| v.is_finite())
                            && l.norm.as_ref().is_none_or(|n| {
                                n.gamma.iter().all(|v| v.is_finite())
                                    && n.beta.iter().all(|v| v.is_finite())
                            })
                    })
            })
    }

    fn check_input(&self, x: &Array2<f64>) -> Result<()> {
        if x.nrows() == 0 {
            return Err(Error::Zero {
                what: "batch size".to_string(),
            });
        }
        if x.ncols() != self.stem_w.ncols() {
            return Err(Error::Shape {
                what: "network input".into(),
                expected: vec![x.nrows(), self.stem_w.ncols()],
                got: vec![x.nrows(), x.ncols()],
            });
        }
        let is_batch = |n: &Option<Norm>| n.as_ref().is_some_and(|n| n.kind == NormKind::Batch);
        let batch_norm = self
            .blocks
            .iter()
            .any(|b| is_batch(&b.pre_norm) || b.layers.iter().any(|l| is_batch(&l.norm)));
        if batch_norm && x.nrows() < 2 {
            return Err(Error::TooFewSamples {
                what: "batch normalization",
                samples: x.nrows(),
                needed: 2,
            });
        }
        all_finite("inputs", x)
    }

    /// The forward pass, keeping every block's input, branch output and caches.
    pub fn forward(&self, x: &Array2<f64>) -> Result<ResTrace> {
        self.check_input(x)?;
        let mut xs = vec![affine(x, &self.stem_w, &self.stem_b)];
        let mut branches = Vec::with_capacity(self.depth());
        let mut caches = Vec::with_capacity(self.depth());
        let mut pre_caches = Vec::with_capacity(self.depth());
        for block in &self.blocks {
            let x_prev = xs.last().expect("the stem's output");
            let mut h = match &block.pre_norm {
                Some(n) => {
                    let (y, c) = n.forward_unchecked(x_prev);
                    pre_caches.push(Some(c));
                    y
                }
                None => {
                    pre_caches.push(None);
                    x_prev.clone()
                }
            };
            let mut block_caches = Vec::with_capacity(block.layers.len());
            let count = block.layers.len();
            for (i, layer) in block.layers.iter().enumerate() {
                let u = affine(&h, &layer.w, &layer.b);
                let (pre, norm) = match &layer.norm {
                    Some(n) => {
                        let (y, c) = n.forward_unchecked(&u);
                        (y, Some(c))
                    }
                    None => (u, None),
                };
                // The activation follows every layer but the second of two.
                let post = if i + 1 < count || count == 1 {
                    self.activation.apply(&pre)
                } else {
                    pre.clone()
                };
                block_caches.push(LayerCache {
                    input: h,
                    norm,
                    pre,
                    post: post.clone(),
                });
                h = post;
            }
            let next = x_prev + &(&h * block.alpha);
            branches.push(h);
            caches.push(block_caches);
            xs.push(next);
        }
        let logits = affine(xs.last().expect("x^L"), &self.head_w, &self.head_b);
        Ok(ResTrace {
            input: x.clone(),
            x: xs,
            branch: branches,
            logits,
            caches,
            pre_caches,
        })
    }

    /// The backward pass from dL/dlogits.
    pub fn backward(&self, trace: &ResTrace, d_logits: &Array2<f64>) -> Result<ResGrads> {
        if d_logits.dim() != trace.logits.dim() || trace.caches.len() != self.depth() {
            return Err(Error::Shape {
                what: "gradient of the logits".into(),
                expected: vec![trace.logits.nrows(), trace.logits.ncols()],
                got: vec![d_logits.nrows(), d_logits.ncols()],
            });
        }
        let depth = self.depth();
        let x_last = &trace.x[depth];
        let head_w = matmul(&d_logits.t(), x_last);
        let head_b = d_logits.sum_axis(Axis(0));
        let mut dx = vec![Array2::zeros((0, 0)); depth + 1];
        dx[depth] = matmul(d_logits, &self.head_w);
        let mut layers = vec![Vec::new(); depth];
        let mut pre_norm = vec![(Array1::zeros(0), Array1::zeros(0)); depth];
        let mut alpha = vec![0.0; depth];
        for l in (0..depth).rev() {
            let block = &self.blocks[l];
            let d_out = &dx[l + 1];
            alpha[l] = (d_out * &trace.branch[l]).sum();
            let mut d_h = d_out * block.alpha;
            let count = block.layers.len();
            let mut grads = Vec::with_capacity(count);
            for (i, (layer, cache)) in block.layers.iter().zip(&trace.caches[l]).enumerate().rev() {
                let mut d_pre = d_h;
                if i + 1 < count || count == 1 {
                    d_pre = self.activation.derivative_given(&cache.pre, &cache.post) * &d_pre;
                }
                let (d_u, gamma, beta) = match (&layer.norm, &cache.norm) {
                    (Some(n), Some(c)) => {
                        let g = n.backward_unchecked(c, &d_pre);
                        (g.du, g.dgamma, g.dbeta)
                    }
                    _ => (d_pre, Array1::zeros(0), Array1::zeros(0)),
                };
                grads.push(LayerGrads {
                    w: matmul(&d_u.t(), &cache.input),
                    b: d_u.sum_axis(Axis(0)),
                    gamma,
                    beta,
                });
                d_h = matmul(&d_u, &layer.w);
            }
            grads.reverse();
            layers[l] = grads;
            if let (Some(n), Some(c)) = (&block.pre_norm, &trace.pre_caches[l]) {
                let g = n.backward_unchecked(c, &d_h);
                pre_norm[l] = (g.dgamma, g.dbeta);
                d_h = g.du;
            }
            dx[l] = d_out + &d_h;
        }
        let stem_w = matmul(&dx[0].t(), &trace.input);
        let stem_b = dx[0].sum_axis(Axis(0));
        Ok(ResGrads {
            stem_w,
            stem_b,
            layers,
            pre_norm,
            alpha,
            head_w,
            head_b,
            dx,
        })
    }

    /// Every parameter with its gradient, in a fixed order, for an optimizer.
    fn for_each_param(&mut self, g: &ResGrads, mut f: impl FnMut(usize, &mut f64, f64)) {
        let mut k = 0;
        let mut each = |p: &mut dyn Iterator<Item = &mut f64>,
                        g: &mut dyn Iterator<Item = &f64>| {
            for (p, &g) in p.zip(g) {
                f(k, p, g);
                k += 1;
            }
        };
        each(&mut self.stem_w.iter_mut(), &mut g.stem_w.iter());
        each(&mut self.stem_b.iter_mut(), &mut g.stem_b.iter());
        for (((block, lg), &da), (dgamma, dbeta)) in self
            .blocks
            .iter_mut()
            .zip(&g.layers)
            .zip(&g.alpha)
            .zip(&g.pre_norm)
        {
            if let Some(n) = &mut block.pre_norm {
                each(&mut n.gamma.iter_mut(), &mut dgamma.iter());
                each(&mut n.beta.iter_mut(), &mut dbeta.iter());
            }
            for (layer, lg) in block.layers.iter_mut().zip(lg) {
                each(&mut layer.w.iter_mut(), &mut lg.w.iter());
                each(&mut layer.b.iter_mut(), &mut lg.b.iter());
                if let Some(n) = &mut layer.norm {
                    each(&mut n.gamma.iter_mut(), &mut lg.gamma.iter());
                    each(&mut n.beta.iter_mut(), &mut lg.beta.iter());
                }
            }
            if block.train_alpha {
                each(
                    &mut std::iter::once(&mut block.alpha),
                    &mut std::iter::once(&da),
                );
            }
        }
        each(&mut self.head_w.iter_mut(), &mut g.head_w.iter());
        each(&mut self.head_b.iter_mut(), &mut g.head_b.iter());
    }

    /// Loss, accuracy and gradients on a batch.
    pub fn evaluate(
        &self,
        x: &Array2<f64>,
        labels: &[usize],
        loss: Loss,
    ) -> Result<(f64, f64, ResTrace, ResGrads)> {
        loss.check_labels(self.head_w.nrows(), labels)?;
        let trace = self.forward(x)?;
        let (value, d_logits) = loss.evaluate(&trace.logits, labels)?;
        let accuracy = accuracy(&trace.logits, labels, loss);
        let grads = self.backward(&trace, &d_logits)?;
        Ok((value, accuracy, trace, grads))
    }
}

/// Fraction of correct predictions.
fn accuracy(logits: &Array2<f64>, labels: &[usize], loss: Loss) -> f64 {
    let correct = logits
        .rows()
        .into_iter()
        .zip(labels)
        .filter(|(row, y)| match loss {
            Loss::BinaryCrossEntropy => usize::from(row[0] > 0.0) == **y,
            Loss::SoftmaxCrossEntropy => {
                let mut best = 0;
                for (j, &v) in row.iter().enumerate() {
                    if v > row[best] {
                        best = j;
                    }
                }
                best == **y
            }
        })
        .count();
    correct as f64 / labels.len() as f64
}

impl ResGrads {
    /// The norm of dL/dW of each block's branch layers (all layers of the block together).
    pub fn block_weight_norms(&self) -> Vec<f64> {
        self.layers
            .iter()
            .map(|ls| {
                ls.iter()
                    .map(|g| g.w.iter().map(|v| v * v).sum::<f64>())
                    .sum::<f64>()
                    .sqrt()
            })
            .collect()
    }
}

/// Train a residual network with the learning rate, epochs, mini-batches and optimizer of
/// `cfg` (gradient descent with momentum, or Adam); each record's `grad_norms` holds the
/// norms of dL/dW of each block's branch.
pub fn train_residual(
    net: &mut ResNet,
    x: &Array2<f64>,
    labels: &[usize],
    cfg: &TrainConfig,
) -> Result<History> {
    cfg.validate()?;
    net.check_input(x)?;
    cfg.loss.check_labels(net.head_w.nrows(), labels)?;
    if labels.len() != x.nrows() {
        return Err(Error::Shape {
            what: "labels".into(),
            expected: vec![x.nrows()],
            got: vec![labels.len()],
        });
    }
    let record = |net: &ResNet, epoch| -> Result<(EpochRecord, ResGrads)> {
        let (loss, accuracy, _, grads) = net.evaluate(x, labels, cfg.loss)?;
        Ok((
            EpochRecord {
                epoch,
                loss,
                accuracy,
                grad_norms: grads.block_weight_norms(),
            },
            grads,
        ))
    };
    let mut history = History::default();
    let (first, mut grads) = record(net, 0)?;
    history.records.push(first);
    let mut first_moment: Vec<f64> = Vec::new();
    let mut second_moment: Vec<f64> = Vec::new();
    let mut t = 0u32;
    let mut order: Vec<usize> = (0..x.nrows()).collect();
    let mut shuffle = rng(cfg.seed);
    for epoch in 1..=cfg.epochs {
        let batches: Vec<Vec<usize>> = match cfg.batch_size {
            Some(size) if size < x.nrows() => {
                use rand::seq::SliceRandom;
                order.shuffle(&mut shuffle);
                order.chunks(size).map(<[usize]>::to_vec).collect()
            }
            _ => vec![],
        };
        let mut steps: Vec<ResGrads> = Vec::new();
        if batches.is_empty() {
            steps.push(grads.clone());
        }
        let mut batch_iter = batches.iter();
        loop {
            let g = if let Some(g) = steps.pop() {
                g
            } else if let Some(chunk) = batch_iter.next() {
                let xb = x.select(Axis(0), chunk);
                let yb: Vec<usize> = chunk.iter().map(|&i| labels[i]).collect();
                if net.check_input(&xb).is_err() {
                    // A last batch of one sample cannot be batch-normalized: skip it.
                    continue;
                }
                net.evaluate(&xb, &yb, cfg.loss)?.3
            } else {
                break;
            };
            t = t.saturating_add(1);
            match cfg.optimizer {
                Optimizer::Adam(adam) => {
                    let c = adam.corrections(t);
                    net.for_each_param(&g, |k, p, g| {
                        if k >= first_moment.len() {
                            first_moment.resize(k + 1, 0.0);
                            second_moment.resize(k + 1, 0.0);
                        }
                        adam.update_one(
                            cfg.lr,
                            c,
                            p,
                            g,
                            &mut first_moment[k],
                            &mut second_moment[k],
                        );
                    });
                }
                Optimizer::Sgd => {
                    let (lr, mu) = (cfg.lr, cfg.momentum);
                    net.for_each_param(&g, |k, p, g| {
                        if k >= first_moment.len() {
                            first_moment.resize(k + 1, 0.0);
                        }
                        let v = &mut first_moment[k];
                        *v = mu * *v - lr * g;
                        *p += *v;
                    });
                }
            }
            if !net.is_finite() {
                break;
            }
        }
        if !net.is_finite() {
            history.diverged = Some(Divergence {
                epoch,
                reason: "a parameter became non-finite".to_string(),
            });
            break;
        }
        let (rec, g) = match record(net, epoch) {
            Ok(r) => r,
            Err(_) => {
                history.diverged = Some(Divergence {
                    epoch,
                    reason: "the forward pass stopped being finite".to_string(),
                });
                break;
            }
        };
        if !rec.loss.is_finite() || rec.grad_norms.iter().any(|v| !v.is_finite()) {
            history.diverged = Some(Divergence {
                epoch,
                reason: format!("the loss became {}", rec.loss),
            });
            break;
        }
        grads = g;
        history.records.push(rec);
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{Distribution, Normal};

    fn batch(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let law = Normal::new(0.0, 1.0).unwrap();
        let mut g = rng(seed);
        Array2::from_shape_simple_fn((rows, cols), || law.sample(&mut g))
    }

    /// Perturb every parameter of the network in turn (a few of each kind) and compare
    /// the loss's central difference with the backward pass.
    fn check_gradients(mut net: ResNet, tanh: bool) {
        if tanh {
            net.activation = Activation::Tanh;
        }
        // Move every parameter off its special start (zeros, α = 0) so that no gradient
        // is trivially zero.
        let mut wiggle = rng(77);
        let law = Normal::new(0.0, 0.3).unwrap();
        let zero = net.clone();
        let (_, _, _, g0) = zero
            .evaluate(
                &batch(6, 3, 1),
                &[0, 1, 2, 0, 1, 2],
                Loss::SoftmaxCrossEntropy,
            )
            .unwrap();
        net.for_each_param(&g0, |_, p, _| *p += law.sample(&mut wiggle));
        let x = batch(6, 3, 1);
        let y = [0, 1, 2, 0, 1, 2];
        let (_, _, _, g) = net.evaluate(&x, &y, Loss::SoftmaxCrossEntropy).unwrap();
        let mut analytic = Vec::new();
        net.clone().for_each_param(&g, |_, _, g| analytic.push(g));
        let count = analytic.len();
        let h = 1e-6;
        let mut checked = 0;
        for k in (0..count).step_by(7).chain([count - 1]) {
            let loss_at = |delta: f64| {
                let mut n = net.clone();
                n.for_each_param(&g, |i, p, _| {
                    if i == k {
                        *p += delta;
                    }
                });
                n.evaluate(&x, &y, Loss::SoftmaxCrossEntropy).unwrap().0
            };
            let numeric = (loss_at(h) - loss_at(-h)) / (2.0 * h);
            let tol = 1e-6 * (1.0 + analytic[k].abs());
            assert!(
                (numeric - analytic[k]).abs() < tol,
                "parameter {k}: numeric {numeric}, backward {}",
                analytic[k]
            );
            checked += 1;
        }
        assert!(checked > 10);
    }

    #[test]
    fn gradients_match_finite_differences() {
        for (layers, norm, recipe) in [
            (2, None, Recipe::Plain),
            (1, None, Recipe::Scaled),
            (2, Some(NormKind::Batch), Recipe::ZeroGamma),
            (2, Some(NormKind::Layer), Recipe::Plain),
            (1, Some(NormKind::Layer), Recipe::ReZero),
            (2, None, Recipe::Fixup),
            (1, Some(NormKind::Batch), Recipe::ReZero),
        ] {
            let spec = ResidualSpec::new(3, 5, 3, 3)
                .branch_layers(layers)
                .norm(norm)
                .recipe(recipe);
            check_gradients(spec.build(2).unwrap(), false);
            check_gradients(spec.build(3).unwrap(), true);
        }
        for (layers, norm, recipe) in [
            (2, NormKind::Layer, Recipe::Plain),
            (2, NormKind::Batch, Recipe::ZeroGamma),
            (1, NormKind::Layer, Recipe::Scaled),
        ] {
            let spec = ResidualSpec::new(3, 5, 3, 3)
                .branch_layers(layers)
                .norm(Some(norm))
                .norm_position(NormPosition::Pre)
                .recipe(recipe);
            check_gradients(spec.build(4).unwrap(), false);
            check_gradients(spec.build(5).unwrap(), true);
        }
    }

    #[test]
    fn recipes_start_as_documented() {
        let x = batch(8, 3, 4);
        let l = 16;
        let spec = ResidualSpec::new(3, 8, 2, l);
        // ReZero and zero-γ blocks start as the identity: x^L = x^0.
        for spec in [
            spec.clone().recipe(Recipe::ReZero),
            spec.clone()
                .norm(Some(NormKind::Batch))
                .recipe(Recipe::ZeroGamma),
            spec.clone().recipe(Recipe::Fixup),
        ] {
            let t = spec.build(0).unwrap().forward(&x).unwrap();
            assert_eq!(t.x[l], t.x[0], "{:?}", spec.recipe);
        }
        let fixup = spec.clone().recipe(Recipe::Fixup).build(0).unwrap();
        assert!(fixup.head_w.iter().all(|&w| w == 0.0));
        let scaled = spec.clone().recipe(Recipe::Scaled).build(0).unwrap();
        assert!((scaled.blocks[0].alpha - 0.25).abs() < 1e-15);
        assert_eq!(
            spec.clone()
                .recipe(Recipe::ZeroGamma)
                .build(0)
                .unwrap_err()
                .to_string(),
            "missing normalization (batch or layer) for the zero-gamma recipe"
        );
        // Pre-normalization: one norm at each branch's input, none after the layers; with
        // zero γ the blocks start as the identity too.
        let pre = spec
            .clone()
            .norm(Some(NormKind::Layer))
            .norm_position(NormPosition::Pre);
        let net = pre.build(0).unwrap();
        assert!(
            net.blocks
                .iter()
                .all(|b| b.pre_norm.is_some() && b.layers.iter().all(|l| l.norm.is_none()))
        );
        let t = pre
            .clone()
            .recipe(Recipe::ZeroGamma)
            .build(0)
            .unwrap()
            .forward(&x)
            .unwrap();
        assert_eq!(t.x[l], t.x[0]);
        assert!(spec.clone().build(0).unwrap().blocks[0].pre_norm.is_none());
        assert_eq!("pre".parse::<NormPosition>(), Ok(NormPosition::Pre));
        assert!("middle".parse::<NormPosition>().is_err());
        assert!(
            spec.clone()
                .branch_layers(1)
                .recipe(Recipe::Fixup)
                .build(0)
                .is_err()
        );
        assert!(spec.clone().branch_layers(3).build(0).is_err());
        assert!(ResidualSpec::new(3, 0, 2, 4).build(0).is_err());
        assert!(spec.clone().weight_scale(-1.0).build(0).is_err());
        assert!("fixup".parse::<Recipe>().is_ok());
        assert!("bogus".parse::<Recipe>().is_err());
        let net = spec.norm(Some(NormKind::Batch)).build(0).unwrap();
        assert!(matches!(
            net.forward(&batch(1, 3, 0)),
            Err(Error::TooFewSamples { .. })
        ));
        assert!(matches!(
            net.forward(&batch(4, 2, 0)),
            Err(Error::Shape { .. })
        ));
    }

    #[test]
    fn training_lowers_the_loss() {
        let x = batch(64, 3, 5);
        let y: Vec<usize> = x
            .rows()
            .into_iter()
            .map(|r| usize::from(r[0] + r[1] > 0.0))
            .collect();
        for (recipe, norm) in [
            (Recipe::Scaled, None),
            (Recipe::ReZero, None),
            (Recipe::Fixup, None),
            (Recipe::ZeroGamma, Some(NormKind::Batch)),
        ] {
            let spec = ResidualSpec::new(3, 8, 2, 8).recipe(recipe).norm(norm);
            for cfg in [
                TrainConfig::new(0.05, 30),
                TrainConfig::new(0.01, 30).adam(),
                TrainConfig::new(0.02, 5).mini_batch(16, 1).momentum(0.9),
            ] {
                let mut net = spec.build(1).unwrap();
                let h = train_residual(&mut net, &x, &y, &cfg).unwrap();
                assert!(h.diverged.is_none());
                assert!(h.last().loss < h.records[0].loss, "{recipe:?} {cfg:?}");
            }
        }
        let mut net = ResidualSpec::new(3, 8, 2, 2).build(0).unwrap();
        assert!(train_residual(&mut net, &x, &y[..3], &TrainConfig::new(0.1, 1)).is_err());
        assert!(train_residual(&mut net, &x, &y, &TrainConfig::new(0.0, 1)).is_err());
    }
}

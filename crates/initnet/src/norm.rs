//! Normalization layers: batch normalization (Ioffe and Szegedy, 2015) and layer
//! normalization (Ba, Kiros and Hinton, 2016), forward and backward.
//!
//! Both standardize u and then scale and shift it: y = γ x̂ + β with
//! x̂ = (u - μ) / √(σ² + ε). They differ in what μ and σ² average over. Batch
//! normalization averages each unit over the batch (the batch's statistics: this library
//! keeps no running averages, so a batch is always normalized by its own statistics, as
//! in training). Layer normalization averages each sample over its units. σ² is the
//! biased variance (divisor: the number of values averaged), as in PyTorch.
//!
//! The backward pass of one standardized group of m values, with dx̂ = γ dy:
//! du = (1/√(σ² + ε)) (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂)); dγ = Σ dy x̂; dβ = Σ dy
//! (the sums over the batch).

use ndarray::{Array1, Array2, ArrayView2, Axis};

use crate::error::{Error, Result, positive};

/// What a normalization layer averages over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormKind {
    /// Each unit over the batch (batch normalization).
    Batch,
    /// Each sample over its units (layer normalization).
    Layer,
}

impl std::str::FromStr for NormKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "batch" => Ok(NormKind::Batch),
            "layer" => Ok(NormKind::Layer),
            _ => Err(Error::Parse {
                what: "normalization",
                text: s.to_string(),
                reason: "expected batch or layer".to_string(),
            }),
        }
    }
}

/// A normalization layer of n units: y = γ x̂ + β.
#[derive(Debug, Clone, PartialEq)]
pub struct Norm {
    /// Batch or layer normalization.
    pub kind: NormKind,
    /// The scale γ, one per unit (1 at initialization, or 0 for zero-γ).
    pub gamma: Array1<f64>,
    /// The shift β, one per unit (0 at initialization).
    pub beta: Array1<f64>,
    /// ε, added to σ² (PyTorch's default, 1e-5).
    pub eps: f64,
}

/// What a normalization's forward pass keeps for its backward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct NormCache {
    /// x̂, the standardized input, shape (batch, n).
    pub x_hat: Array2<f64>,
    /// 1/√(σ² + ε) of each group: per unit (batch) or per sample (layer).
    pub inv_std: Array1<f64>,
}

/// The gradients of a normalization layer.
#[derive(Debug, Clone, PartialEq)]
pub struct NormGrads {
    /// dL/du, shape (batch, n).
    pub du: Array2<f64>,
    /// dL/dγ.
    pub dgamma: Array1<f64>,
    /// dL/dβ.
    pub dbeta: Array1<f64>,
}

/// Standardize each column of `u`: (x̂, 1/√(σ² + ε) per column).
fn standardize_columns(u: ArrayView2<f64>, eps: f64) -> (Array2<f64>, Array1<f64>) {
    let m = u.nrows() as f64;
    let mut x_hat = u.to_owned();
    let mut inv = Array1::zeros(u.ncols());
    for (mut col, s) in x_hat.columns_mut().into_iter().zip(inv.iter_mut()) {
        let mean = col.iter().sum::<f64>() / m;
        col.mapv_inplace(|x| x - mean);
        let var = col.iter().map(|x| x * x).sum::<f64>() / m;
        *s = 1.0 / (var + eps).sqrt();
        let s = *s;
        col.mapv_inplace(|x| x * s);
    }
    (x_hat, inv)
}

/// The backward pass of [`standardize_columns`]: du from dx̂, column by column.
fn standardize_columns_backward(
    x_hat: ArrayView2<f64>,
    inv: &Array1<f64>,
    dx_hat: ArrayView2<f64>,
) -> Array2<f64> {
    let m = x_hat.nrows() as f64;
    let mut du = dx_hat.to_owned();
    for ((mut col, xh), &s) in du
        .columns_mut()
        .into_iter()
        .zip(x_hat.columns())
        .zip(inv.iter())
    {
        let mean_d = col.iter().sum::<f64>() / m;
        let mean_dx = col.iter().zip(xh.iter()).map(|(d, x)| d * x).sum::<f64>() / m;
        col.zip_mut_with(&xh, |d, &x| *d = s * (*d - mean_d - x * mean_dx));
    }
    du
}

impl Norm {
    /// A normalization layer of `n` units with γ = 1, β = 0 and ε = 1e-5.
    pub fn new(kind: NormKind, n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::Zero {
                what: "units of a normalization layer".to_string(),
            });
        }
        Ok(Norm {
            kind,
            gamma: Array1::ones(n),
            beta: Array1::zeros(n),
            eps: 1e-5,
        })
    }

    /// The same layer with every γ set to `gamma` (0 for zero-γ initialization).
    pub fn with_gamma(mut self, gamma: f64) -> Self {
        self.gamma.fill(gamma);
        self
    }

    /// Number of units n.
    pub fn n(&self) -> usize {
        self.gamma.len()
    }

    /// Check a batch: n columns, finite; batch normalization needs at least 2 samples
    /// (one sample has no spread to divide by).
    fn check(&self, u: &Array2<f64>) -> Result<()> {
        positive("normalization epsilon", self.eps)?;
        if u.ncols() != self.n() {
            return Err(Error::Shape {
                what: "input of a normalization layer".into(),
                expected: vec![u.nrows(), self.n()],
                got: vec![u.nrows(), u.ncols()],
            });
        }
        let needed = match self.kind {
            NormKind::Batch => 2,
            NormKind::Layer => 1,
        };
        if u.nrows() < needed {
            return Err(Error::TooFewSamples {
                what: "batch normalization",
                samples: u.nrows(),
                needed,
            });
        }
        crate::error::all_finite("input of a normalization layer", u)
    }

    /// The forward pass on a batch (one sample per row): y and what the backward pass needs.
    pub fn forward(&self, u: &Array2<f64>) -> Result<(Array2<f64>, NormCache)> {
        self.check(u)?;
        Ok(self.forward_unchecked(u))
    }

    pub(crate) fn forward_unchecked(&self, u: &Array2<f64>) -> (Array2<f64>, NormCache) {
        let (x_hat, inv_std) = match self.kind {
            NormKind::Batch => standardize_columns(u.view(), self.eps),
            NormKind::Layer => {
                let (t, inv) = standardize_columns(u.t(), self.eps);
                (t.reversed_axes(), inv)
            }
        };
        let y = &x_hat * &self.gamma + &self.beta;
        (y, NormCache { x_hat, inv_std })
    }

    /// The backward pass: given the cache of a forward pass and dL/dy, the gradients.
    pub fn backward(&self, cache: &NormCache, dy: &Array2<f64>) -> Result<NormGrads> {
        if dy.dim() != cache.x_hat.dim() {
            return Err(Error::Shape {
                what: "gradient of a normalization layer".into(),
                expected: vec![cache.x_hat.nrows(), cache.x_hat.ncols()],
                got: vec![dy.nrows(), dy.ncols()],
            });
        }
        Ok(self.backward_unchecked(cache, dy))
    }

    pub(crate) fn backward_unchecked(&self, cache: &NormCache, dy: &Array2<f64>) -> NormGrads {
        let dgamma = (dy * &cache.x_hat).sum_axis(Axis(0));
        let dbeta = dy.sum_axis(Axis(0));
        let dx_hat = dy * &self.gamma;
        let du = match self.kind {
            NormKind::Batch => {
                standardize_columns_backward(cache.x_hat.view(), &cache.inv_std, dx_hat.view())
            }
            NormKind::Layer => {
                standardize_columns_backward(cache.x_hat.t(), &cache.inv_std, dx_hat.t())
                    .reversed_axes()
            }
        };
        NormGrads { du, dgamma, dbeta }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{Distribution, Normal, rng};

    fn random(rows: usize, cols: usize, scale: f64, seed: u64) -> Array2<f64> {
        let law = Normal::new(0.5, scale).unwrap();
        let mut g = rng(seed);
        Array2::from_shape_simple_fn((rows, cols), || law.sample(&mut g))
    }

    #[test]
    fn outputs_are_standardized_whatever_the_input_scale() {
        for kind in [NormKind::Batch, NormKind::Layer] {
            let norm = Norm::new(kind, 6).unwrap();
            for scale in [1.0, 30.0, 1e3] {
                let (y, _) = norm.forward(&random(50, 6, scale, 1)).unwrap();
                let axis = if kind == NormKind::Batch { 0 } else { 1 };
                for lane in y.lanes(Axis(axis)) {
                    let m = lane.len() as f64;
                    let mean = lane.sum() / m;
                    let var = lane.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / m;
                    assert!(mean.abs() < 1e-12);
                    // σ²/(σ² + ε): the sample σ² of these lanes is above scale²/100.
                    assert!((var - 1.0).abs() < 1e-3 / (scale * scale), "{var}");
                }
            }
        }
    }

    /// Every gradient against central differences of L = Σ c ⊙ y (c fixed, random).
    ///
    /// The tolerance: L sums 20 terms c·y, each of order 1 to 10 here (|γ| ≤ 2, |x̂| ≤ 2,
    /// |c| ≲ 3), so one evaluation of L is rounded by at most about 20 · 10 · 2⁻⁵³ ≈ 2e-14
    /// in absolute terms; the central difference divides the difference of two such
    /// evaluations by 2h = 2e-6, a rounding error of at most 2e-14/1e-6 = 2e-8. Its
    /// truncation error is h²/6 times a third derivative of order 10: below 1e-11. The
    /// bound 1e-7 leaves a factor of five above the worst case (typical errors are near
    /// 1e-9, the rounding of terms of order one).
    #[test]
    fn gradients_match_finite_differences() {
        for kind in [NormKind::Batch, NormKind::Layer] {
            let mut norm = Norm::new(kind, 4).unwrap();
            norm.gamma = Array1::from(vec![0.5, -1.5, 2.0, 1.0]);
            norm.beta = Array1::from(vec![0.1, 0.0, -0.3, 0.7]);
            let u = random(5, 4, 2.0, 2);
            let c = random(5, 4, 1.0, 3);
            let loss = |n: &Norm, u: &Array2<f64>| (&n.forward(u).unwrap().0 * &c).sum();
            let (_, cache) = norm.forward(&u).unwrap();
            let g = norm.backward(&cache, &c).unwrap();
            let h = 1e-6;
            for idx in [(0, 0), (2, 1), (4, 3), (3, 2)] {
                let (mut up, mut down) = (u.clone(), u.clone());
                up[idx] += h;
                down[idx] -= h;
                let numeric = (loss(&norm, &up) - loss(&norm, &down)) / (2.0 * h);
                assert!((numeric - g.du[idx]).abs() < 1e-7, "{kind:?} du{idx:?}");
            }
            for j in 0..4 {
                let (mut up, mut down) = (norm.clone(), norm.clone());
                up.gamma[j] += h;
                down.gamma[j] -= h;
                let numeric = (loss(&up, &u) - loss(&down, &u)) / (2.0 * h);
                assert!((numeric - g.dgamma[j]).abs() < 1e-7);
                let (mut up, mut down) = (norm.clone(), norm.clone());
                up.beta[j] += h;
                down.beta[j] -= h;
                let numeric = (loss(&up, &u) - loss(&down, &u)) / (2.0 * h);
                assert!((numeric - g.dbeta[j]).abs() < 1e-7);
            }
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(Norm::new(NormKind::Batch, 0).is_err());
        let norm = Norm::new(NormKind::Batch, 3).unwrap();
        assert!(matches!(
            norm.forward(&Array2::zeros((1, 3))),
            Err(Error::TooFewSamples { needed: 2, .. })
        ));
        assert!(
            Norm::new(NormKind::Layer, 3)
                .unwrap()
                .forward(&Array2::zeros((1, 3)))
                .is_ok()
        );
        assert!(matches!(
            norm.forward(&Array2::zeros((4, 2))),
            Err(Error::Shape { .. })
        ));
        let mut x = Array2::zeros((4, 3));
        x[[1, 2]] = f64::NAN;
        assert!(matches!(norm.forward(&x), Err(Error::NonFinite { .. })));
        let (_, cache) = norm.forward(&Array2::ones((4, 3))).unwrap();
        assert!(norm.backward(&cache, &Array2::zeros((3, 3))).is_err());
        assert_eq!(
            "group".parse::<NormKind>().unwrap_err().to_string(),
            "cannot parse normalization \"group\": expected batch or layer"
        );
    }
}

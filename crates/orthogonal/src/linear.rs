//! Deep linear networks at initialization: the singular values of a product of L
//! independent n × n weight matrices, Gaussian with Var(W) = 1/n or Haar orthogonal.

use initnet::kernels::matmul;
use initnet::ndarray::Array2;
use initnet::{Init, rng};

use crate::Error;
use crate::spectrum::{lambda_moments, singular_values};
use book::memo::per_item;

/// How the weights of a deep linear network are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Independent N(0, 1/n) entries (LeCun's scaled Gaussian; Xavier's for square layers).
    Gaussian,
    /// Haar orthogonal ([`Init::orthogonal`]).
    Orthogonal,
}

impl Weights {
    /// The initializer, with gain `gain`.
    pub fn init(self, gain: f64) -> Result<Init, Error> {
        let base = match self {
            Weights::Gaussian => Init::lecun_normal(),
            Weights::Orthogonal => Init::orthogonal(),
        };
        Ok(base.with_gain(gain)?)
    }

    /// "Gaussian" or "orthogonal".
    pub fn name(self) -> &'static str {
        match self {
            Weights::Gaussian => "Gaussian",
            Weights::Orthogonal => "orthogonal",
        }
    }
}

/// The products W_l ⋯ W_1 of one draw for every depth in `depths` (increasing): layer
/// after layer from `rng(seed)`, so the product at depth 4 is the first four layers of the
/// product at depth 16.
pub fn products(
    n: usize,
    depths: &[usize],
    weights: Weights,
    seed: u64,
) -> Result<Vec<Array2<f64>>, Error> {
    if n == 0 {
        return Err(Error::Zero("width n"));
    }
    let init = weights.init(1.0)?;
    let mut g = rng(seed);
    let mut m = Array2::eye(n);
    let mut out = Vec::with_capacity(depths.len());
    let deepest = depths.iter().copied().max().unwrap_or(0);
    for l in 1..=deepest {
        let w = init.sample(n, n, &mut g)?;
        m = matmul(&w, &m);
        if depths.contains(&l) {
            out.push(m.clone());
        }
    }
    Ok(out)
}

/// The spectra of products of one kind over seeds, at several depths.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductStudy {
    /// Width n of every factor.
    pub n: usize,
    /// The depths L.
    pub depths: Vec<usize>,
    /// The kind of weights.
    pub weights: Weights,
    /// `sigma[d][s]`: the singular values of the product at depth `depths[d]`, seed
    /// `seeds[s]` (nalgebra's SVD), largest first.
    pub sigma: Vec<Vec<Vec<f64>>>,
    /// `moments[d][s]`: (mean σ², mean σ⁴) from traces, in portable arithmetic.
    pub moments: Vec<Vec<(f64, f64)>>,
}

impl ProductStudy {
    /// Draws the products for every seed and measures them.
    pub fn run(n: usize, depths: &[usize], weights: Weights, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let mut sigma = vec![Vec::new(); depths.len()];
        let mut moments = vec![Vec::new(); depths.len()];
        let measured = per_item(seeds, |&seed| {
            Ok::<_, book::Error>(
                products(n, depths, weights, seed)?
                    .iter()
                    .map(|m| (singular_values(m), lambda_moments(m)))
                    .collect::<Vec<_>>(),
            )
        })?;
        for per_depth in measured {
            for (d, (s, m)) in per_depth.into_iter().enumerate() {
                sigma[d].push(s);
                moments[d].push(m);
            }
        }
        Ok(ProductStudy {
            n,
            depths: depths.to_vec(),
            weights,
            sigma,
            moments,
        })
    }

    /// ln σ of every singular value of every seed at depth index `d`.
    pub fn log_sigma(&self, d: usize) -> Vec<f64> {
        self.sigma[d]
            .iter()
            .flatten()
            .map(|&s| initnet::math::ln(s))
            .collect()
    }

    /// Per seed, the mean of ln σ over the spectrum at depth index `d`.
    pub fn mean_log_sigma(&self, d: usize) -> Vec<f64> {
        self.sigma[d]
            .iter()
            .map(|s| s.iter().map(|&x| initnet::math::ln(x)).sum::<f64>() / s.len() as f64)
            .collect()
    }

    /// Per seed, the variance of ln σ over the spectrum at depth index `d`.
    pub fn var_log_sigma(&self, d: usize) -> Vec<f64> {
        self.sigma[d]
            .iter()
            .map(|s| {
                let l: Vec<f64> = s.iter().map(|&x| initnet::math::ln(x)).collect();
                let m = l.iter().sum::<f64>() / l.len() as f64;
                l.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / l.len() as f64
            })
            .collect()
    }

    /// The mean over seeds of the mean σ² at depth index `d` (from traces).
    pub fn mean_sigma2(&self, d: usize) -> f64 {
        book::mean(self.moments[d].iter().map(|m| m.0))
    }

    /// The mean over seeds of the mean σ⁴ at depth index `d` (from traces).
    pub fn mean_sigma4(&self, d: usize) -> f64 {
        book::mean(self.moments[d].iter().map(|m| m.1))
    }

    /// The mean over seeds of the mean ln σ at depth index `d`.
    pub fn mean_log(&self, d: usize) -> f64 {
        book::mean(self.mean_log_sigma(d))
    }

    /// The mean over seeds of the variance of ln σ at depth index `d`.
    pub fn var_log(&self, d: usize) -> f64 {
        book::mean(self.var_log_sigma(d))
    }

    /// The largest |σ - 1| over every singular value of every seed and depth.
    pub fn max_distance_from_one(&self) -> f64 {
        self.sigma
            .iter()
            .flatten()
            .flatten()
            .map(|s| (s - 1.0).abs())
            .fold(0.0, f64::max)
    }
}

/// The chapter's setting: width 64, depths 1, 2, 4 and 8.
pub const WIDTH: usize = 64;
/// The depths of the chapter's products.
pub const DEPTHS: [usize; 4] = [1, 2, 4, 8];

/// The variance of ln σ under the Fuss–Catalan law of `depth` factors (n → ∞):
/// [`theory::fuss_catalan_expectation`] of (ln x / 2)² minus its mean squared.
pub fn fuss_catalan_log_variance(depth: usize) -> Result<f64, Error> {
    let half_ln = |x: f64| 0.5 * initnet::math::ln(x);
    let m = theory::fuss_catalan_expectation(depth, half_ln)?;
    let m2 = theory::fuss_catalan_expectation(depth, |x| half_ln(x) * half_ln(x))?;
    Ok(m2 - m * m)
}

/// The closed form of [`fuss_catalan_log_variance`]: L²/4 + π²L/12. The Fuss–Catalan law
/// of L factors has the moments E[x^s] = Γ((L+1)s+1) / (Γ(s+1) Γ(Ls+2)); the second
/// derivative of their logarithm at s = 0 is Var ln x = (L+1)²ψ'(1) - ψ'(1) - L²ψ'(2)
/// = L² + Lπ²/3 (with ψ'(1) = π²/6, ψ'(2) = π²/6 - 1), and ln σ = ln x / 2.
///
/// ```
/// let closed = orthogonal::linear::fuss_catalan_log_variance_closed(8)?;
/// let quadrature = orthogonal::linear::fuss_catalan_log_variance(8)?;
/// assert!((closed - quadrature).abs() < 1e-3 * closed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn fuss_catalan_log_variance_closed(depth: usize) -> Result<f64, Error> {
    if depth == 0 {
        return Err(Error::Zero("depth"));
    }
    let l = depth as f64;
    let pi2 = std::f64::consts::PI * std::f64::consts::PI;
    Ok(l * l / 4.0 + pi2 * l / 12.0)
}

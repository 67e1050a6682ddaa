//! The input-output Jacobian J = ∂h^L/∂h^0 = D_L W_L ⋯ D_1 W_1 of a deep network at
//! initialization, D_l = diag f'(a^l), for one input: its squared singular values λ.

use initnet::kernels::matmul;
use initnet::ndarray::{Array1, Array2};
use initnet::{Activation, rng};

use crate::Error;
use crate::linear::Weights;
use crate::spectrum::{lambda_moments, singular_values};
use book::memo::{Memo, per_item};

/// One network's Jacobian: (mean λ, mean λ²) after every layer, and the singular values of
/// the whole J.
pub type Measured = (Vec<(f64, f64)>, Vec<f64>);

/// A Jacobian's (mean λ, mean λ²) after every layer, and the whole Jacobian.
pub type Traced = (Vec<(f64, f64)>, Array2<f64>);

/// A deep network to measure: `depth` square layers of `width` units, zero biases,
/// Var(W) = σ_w²/n (Gaussian, or orthogonal times σ_w), fed one input with
/// ‖x‖² = n q_in, so that q¹ = σ_w² q_in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Network {
    /// The activation f.
    pub activation: Activation,
    /// σ_w² = n Var(W).
    pub sigma_w2: f64,
    /// How the weights are drawn.
    pub weights: Weights,
    /// Units per layer, n.
    pub width: usize,
    /// Layers, L.
    pub depth: usize,
    /// The input's mean square, q_in.
    pub q_in: f64,
}

impl Network {
    /// tanh at σ_w² = 1 (LeCun's and Glorot's rule for square layers, the critical point of
    /// tanh without bias), n = 64, L = 16, q_in = 1.
    pub fn tanh(weights: Weights) -> Self {
        Network {
            activation: Activation::Tanh,
            sigma_w2: 1.0,
            weights,
            width: 64,
            depth: 16,
            q_in: 1.0,
        }
    }

    /// ReLU at He's σ_w² = 2, otherwise as [`Network::tanh`].
    pub fn relu(weights: Weights) -> Self {
        Network {
            activation: Activation::Relu,
            sigma_w2: 2.0,
            ..Self::tanh(weights)
        }
    }

    /// A name for charts: "tanh, orthogonal", "ReLU, Gaussian".
    pub fn name(&self) -> String {
        let act = match self.activation {
            Activation::Relu => "ReLU".to_string(),
            a => a.to_string(),
        };
        format!("{act}, {}", self.weights.name())
    }

    /// The mean field's q_l for l = 1..=L and the predicted (mean λ, Var λ / mean²) after
    /// every layer ([`theory::jacobian_spectrum`]).
    pub fn predicted(&self) -> Result<Vec<(f64, f64)>, Error> {
        let q = theory::q_trajectory(
            self.activation,
            self.sigma_w2,
            0.0,
            self.sigma_w2 * self.q_in,
            self.depth,
        )?;
        (1..=self.depth)
            .map(|l| {
                Ok(theory::jacobian_spectrum(
                    self.activation,
                    self.sigma_w2,
                    &q[..l],
                    self.weights == Weights::Orthogonal,
                )?)
            })
            .collect()
    }

    /// The Jacobian of the network of `seed` at its input, after every layer: the moments
    /// (mean λ, mean λ²) from traces (portable) for l = 1..=L, and the singular values of
    /// the whole J (nalgebra's SVD).
    pub fn measure(&self, seed: u64) -> Result<Measured, Error> {
        if self.width == 0 || self.depth == 0 {
            return Err(Error::Zero("width and depth of the network"));
        }
        let n = self.width;
        let init = self.weights.init(self.sigma_w2.sqrt())?;
        let mut g = rng(seed);
        // x with ‖x‖² = n q_in exactly: a Gaussian direction, rescaled.
        let z = initnet::random::normal_matrix((n, 1), 1.0, &mut g)?;
        let norm2: f64 = z.iter().map(|v| v * v).sum();
        let x: Vec<f64> = z
            .iter()
            .map(|v| v * (n as f64 * self.q_in / norm2).sqrt())
            .collect();
        let weights = (0..self.depth)
            .map(|_| init.sample(n, n, &mut g))
            .collect::<Result<Vec<_>, _>>()?;
        let (moments, j) = jacobian_at(&weights, self.activation, &x)?;
        Ok((moments, singular_values(&j)))
    }
}

/// The input-output Jacobian J = ∂h^L/∂h^0 = D_L W_L ⋯ D_1 W_1 of the layers `weights`
/// (W^l of shape n_l × n_{l-1}, zero biases, activation f in every layer) at the input
/// `x` (length n_0), and after every layer the moments (mean λ, mean λ²) of the Jacobian
/// so far, from traces in portable arithmetic (λ over its n_0 columns). Shapes that do not
/// chain are an error naming the layer.
pub fn jacobian_at(
    weights: &[Array2<f64>],
    activation: Activation,
    x: &[f64],
) -> Result<Traced, Error> {
    if x.is_empty() {
        return Err(Error::Zero("length of the input x"));
    }
    let mut h = Array2::from_shape_vec((x.len(), 1), x.to_vec())
        .map_err(|_| Error::Zero("length of the input x"))?;
    let mut j = Array2::eye(x.len());
    let mut moments = Vec::with_capacity(weights.len());
    for (l, w) in weights.iter().enumerate() {
        if w.ncols() != h.nrows() || w.nrows() == 0 {
            return Err(initnet::Error::Shape {
                what: format!("W of layer {} (columns: the units below it)", l + 1),
                expected: vec![w.nrows().max(1), h.nrows()],
                got: vec![w.nrows(), w.ncols()],
            }
            .into());
        }
        let a = matmul(w, &h);
        let d: Array1<f64> = a.column(0).mapv(|v| activation.df(v));
        let mut wj = matmul(w, &j);
        for (mut row, di) in wj.rows_mut().into_iter().zip(&d) {
            row.mapv_inplace(|v| v * di);
        }
        j = wj;
        h = activation.apply(&a);
        moments.push(lambda_moments(&j));
    }
    Ok((moments, j))
}

/// The mean field's prediction for the Jacobian of `depth` square layers at σ_w² = n Var(W),
/// zero biases, fed an input of mean square `q_in` (so q¹ = σ_w² q_in): (mean λ, relative
/// variance of λ) after the last layer, from [`theory::q_trajectory`] and
/// [`theory::jacobian_spectrum`], for Gaussian (or other i.i.d.) weights or orthogonal ones.
pub fn predicted_at(
    activation: Activation,
    sigma_w2: f64,
    q_in: f64,
    depth: usize,
    orthogonal: bool,
) -> Result<(f64, f64), Error> {
    if depth == 0 {
        return Err(Error::Zero("depth"));
    }
    let q = theory::q_trajectory(activation, sigma_w2, 0.0, sigma_w2 * q_in, depth)?;
    Ok(theory::jacobian_spectrum(
        activation, sigma_w2, &q, orthogonal,
    )?)
}

/// What one Jacobian's singular values say, for a summary: from [`jacobian_at`] and
/// nalgebra's SVD.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Mean of λ = σ² (tr JᵀJ over the input count).
    pub mean_lambda: f64,
    /// Relative variance of λ, mean λ² / (mean λ)² - 1 (`None` when J is zero).
    pub spread: Option<f64>,
    /// The smallest and the largest singular value.
    pub sigma_min: f64,
    /// The largest singular value.
    pub sigma_max: f64,
    /// σ_max / σ_min (`None` when σ_min is zero).
    pub condition: Option<f64>,
}

/// The [`Summary`] of the Jacobian of `weights` at `x` (see [`jacobian_at`]).
pub fn summary_at(
    weights: &[Array2<f64>],
    activation: Activation,
    x: &[f64],
) -> Result<Summary, Error> {
    let (moments, j) = jacobian_at(weights, activation, x)?;
    let (m1, m2) = moments.last().copied().unwrap_or((1.0, 1.0));
    let sigma = singular_values(&j);
    let sigma_min = sigma.last().copied().unwrap_or(0.0);
    let sigma_max = sigma.first().copied().unwrap_or(0.0);
    Ok(Summary {
        mean_lambda: m1,
        spread: (m1 > 0.0).then(|| m2 / (m1 * m1) - 1.0),
        sigma_min,
        sigma_max,
        condition: (sigma_min > 0.0).then(|| sigma_max / sigma_min),
    })
}

/// One network kind over seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct JacobianStudy {
    /// The network.
    pub network: Network,
    /// `moments[s][l-1]`: (mean λ, mean λ²) of seed s after layer l.
    pub moments: Vec<Vec<(f64, f64)>>,
    /// `sigma[s]`: the singular values of J at depth L, seed s.
    pub sigma: Vec<Vec<f64>>,
    /// The prediction after every layer: (mean λ, relative variance).
    pub predicted: Vec<(f64, f64)>,
}

impl JacobianStudy {
    /// Measures the network for every seed.
    pub fn run(network: Network, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        static MEMO: Memo<(Network, Vec<u64>), JacobianStudy> = Memo::new();
        MEMO.get_or_run((network, seeds.to_vec()), || {
            let (moments, sigma) = per_item(seeds, |&seed| network.measure(seed))?
                .into_iter()
                .unzip();
            Self::measured(network, moments, sigma)
        })
    }

    fn measured(
        network: Network,
        moments: Vec<Vec<(f64, f64)>>,
        sigma: Vec<Vec<f64>>,
    ) -> Result<Self, Error> {
        Ok(JacobianStudy {
            network,
            moments,
            sigma,
            predicted: network.predicted()?,
        })
    }

    /// After every layer, the mean over seeds of mean λ (the mean squared singular value).
    pub fn mean_lambda(&self) -> Vec<f64> {
        (0..self.network.depth)
            .map(|l| book::mean(self.moments.iter().map(|m| m[l].0)))
            .collect()
    }

    /// After every layer, the mean over seeds of each network's relative variance of λ,
    /// mean λ² / (mean λ)² - 1.
    pub fn relative_variance(&self) -> Vec<f64> {
        (0..self.network.depth)
            .map(|l| {
                book::mean(
                    self.moments
                        .iter()
                        .map(|m| m[l].1 / (m[l].0 * m[l].0) - 1.0),
                )
            })
            .collect()
    }

    /// After every layer, the pooled relative variance over the seeds: the mean of m₂
    /// divided by the mean of m₁², minus one (m₁ = mean λ, m₂ = mean λ² of one network),
    /// the estimate of E[m₂]/E[m₁²] - 1 that [`theory::relu_jacobian_moments`] gives
    /// exactly at finite width.
    pub fn pooled_relative_variance(&self) -> Vec<f64> {
        (0..self.network.depth)
            .map(|l| {
                let m2 = book::mean(self.moments.iter().map(|m| m[l].1));
                let m11 = book::mean(self.moments.iter().map(|m| m[l].0 * m[l].0));
                m2 / m11 - 1.0
            })
            .collect()
    }

    /// log10 σ of every singular value of every seed, at depth L.
    pub fn log10_sigma(&self) -> Vec<f64> {
        self.sigma
            .iter()
            .flatten()
            .map(|&s| initnet::math::log10(s))
            .collect()
    }
}

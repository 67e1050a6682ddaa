//! The signal through a deep stack of ReLU (or leaky ReLU) layers at initialization:
//! the mean square of the pre-activations a^l, layer by layer, measured beside the
//! closed-form prediction.
//!
//! The argument, for one input: given h^{l-1}, each a^l_i = sum_j W_ij h^{l-1}_j is
//! N(0, sigma^2 ||h^{l-1}||^2) when the weights are N(0, sigma^2). It is symmetric, so a
//! ReLU keeps exactly half of its second moment, a leaky ReLU of slope alpha keeps
//! (1 + alpha^2)/2 of it. With q^l = E[(a^l_i)^2]:
//!
//! q^1 = n_0 sigma^2 E[x^2],   q^l = n_{l-1} sigma^2 (1 + alpha^2)/2 q^{l-1}.
//!
//! He's sigma^2 = 2/((1 + alpha^2) n) makes the factor exactly 1; LeCun's 1/n (and
//! Glorot's 2/(n_in + n_out), the same when n_in = n_out) makes it (1 + alpha^2)/2.
//!
//! The closed forms (the kept fraction, kappa, the finite-width relative variance) are
//! the [`theory`] crate's; this module wraps them in the chapter's error type.

use initnet::ndarray::Array2;
use initnet::rand::SeedableRng;
use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, Init, MlpSpec};

use crate::Error;
use book::memo::{Memo, per_seed};

/// A deep stack of equally wide layers fed with standard normal inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeepStack {
    /// Width n of the input and of every layer.
    pub width: usize,
    /// Number of layers L.
    pub depth: usize,
    /// Number of inputs in the batch.
    pub batch: usize,
}

impl DeepStack {
    /// A stack of `depth` layers of `width` units fed `batch` inputs.
    pub fn new(width: usize, depth: usize, batch: usize) -> Result<Self, Error> {
        for (what, v) in [("width", width), ("depth", depth), ("batch", batch)] {
            if v == 0 {
                return Err(Error::Zero(what));
            }
        }
        Ok(DeepStack {
            width,
            depth,
            batch,
        })
    }

    /// The chapter's stack: 30 layers of 256 units, a batch of 500 inputs.
    pub fn chapter() -> Self {
        DeepStack {
            width: 256,
            depth: 30,
            batch: 500,
        }
    }

    /// The batch of inputs for `seed`: `batch` rows of iid N(0, 1), drawn from stream 1 of
    /// the seed's generator (the network's weights come from stream 0).
    pub fn inputs(&self, seed: u64) -> Array2<f64> {
        let mut rng = initnet::Rng::seed_from_u64(seed);
        rng.set_stream(1);
        Array2::from_shape_simple_fn((self.batch, self.width), || StandardNormal.sample(&mut rng))
    }

    /// The root mean square of a^l over the batch and the units, for l = 1..=L, of one
    /// network drawn from `seed` (every layer uses `activation` and `init`, zero biases).
    pub fn rms(&self, activation: Activation, init: Init, seed: u64) -> Result<Vec<f64>, Error> {
        let widths = vec![self.width; self.depth + 1];
        let net = MlpSpec::new(&widths, activation, init)
            .output(activation)
            .build(seed)?;
        let mut h = self.inputs(seed);
        let mut out = Vec::with_capacity(self.depth);
        for layer in &net.layers {
            let a = layer.pre_activation(&h);
            out.push((a.iter().map(|v| v * v).sum::<f64>() / a.len() as f64).sqrt());
            h = layer.activation.apply(&a);
        }
        Ok(out)
    }

    /// The predicted q^l = E[(a^l)^2] for l = 1..=L (inputs have E[x^2] = 1): the q-map
    /// in closed form, q^{l+1} = n Var(W) (1 + alpha^2)/2 q^l
    /// ([`theory::q_trajectory_closed_form`]).
    pub fn predicted_second_moment(
        &self,
        activation: Activation,
        init: Init,
    ) -> Result<Vec<f64>, Error> {
        let factor = self.width as f64 * init.variance(self.width, self.width);
        theory::q_trajectory_closed_form(activation, factor, 0.0, factor, self.depth)?
            .ok_or(Error::NotPiecewiseLinear(activation))
    }

    /// The relative variance v_l = Var(m^l)/E[m^l]^2 of the mean square m^l of a^l for
    /// one input, l = 1..=L (exact for Gaussian weights and inputs):
    /// v_l = (1 + 2/n)^2 (1 + kappa/n)^(l-1) - 1 ([`theory::relative_variance`]), where
    /// the two (1 + 2/n) come from the chi-square norms of the input and of the last
    /// layer's pre-activation, and kappa/n is the relative variance of the per-layer ratio
    /// ||h^l||^2 / ||h^{l-1}||^2 (see [`kappa`]). The batch mean of m^l has a relative
    /// variance at most v_l.
    pub fn relative_variance(&self, activation: Activation) -> Result<Vec<f64>, Error> {
        Ok(theory::relative_variance(
            kappa(activation)?,
            self.width,
            self.depth,
        )?)
    }
}

/// The exact standard deviation over networks of ln(rms of a^l) for one Gaussian input,
/// ReLU layers of this width with Gaussian weights, l = 1..=L. For one input,
/// ||a^L||^2 = c * X_in * prod_{l<L} chi2_{K_l} * chi2_n: the input's norm (chi2_n), the
/// positive part of each of the first L - 1 layers (given K_l ~ Bin(n, 1/2) positive
/// units, a chi2_{K_l} independent of the direction) and the last pre-activation (chi2_n),
/// all independent. With Var ln chi2_k = trigamma(k/2) and, by total variance,
/// Var ln chi2_K = E[trigamma(K/2)] + Var[digamma(K/2)] (K >= 1: a layer with K = 0,
/// probability 2^-n, is dead and has no log),
/// Var ln rms^l = [2 trigamma(n/2) + (l - 1) Var ln chi2_K] / 4.
/// The lognormal value sqrt(ln(1 + v_l))/2 from [`DeepStack::relative_variance`] is an
/// approximation to it, close for wide layers.
pub fn relu_log_rms_sd(width: usize, depth: usize) -> Result<Vec<f64>, Error> {
    let stack = DeepStack::new(width, depth, 1)?;
    let n = stack.width;
    // Binomial(n, 1/2) weights for k = 1..=n, renormalized without k = 0.
    let mut w = vec![0.0f64; n + 1];
    let mut c = 1.0f64;
    for (k, wk) in w.iter_mut().enumerate().skip(1) {
        c = c * (n + 1 - k) as f64 / k as f64;
        *wk = c;
    }
    let total: f64 = w.iter().sum();
    let (mut e_tri, mut e_di, mut e_di2) = (0.0, 0.0, 0.0);
    for (k, wk) in w.iter().enumerate().skip(1) {
        let p = wk / total;
        let d = theory::special::digamma(k as f64 / 2.0)?;
        e_tri += p * theory::special::trigamma(k as f64 / 2.0)?;
        e_di += p * d;
        e_di2 += p * d * d;
    }
    let var_k = e_tri + (e_di2 - e_di * e_di);
    let ends = 2.0 * theory::special::trigamma(n as f64 / 2.0)?;
    Ok((1..=stack.depth)
        .map(|l| ((ends + (l - 1) as f64 * var_k) / 4.0).sqrt())
        .collect())
}

/// The cosine between h^l(x) and h^l(y), l = 1..=depth, for two orthogonal inputs
/// x = sqrt(n) e_1 and y = sqrt(n) e_2 fed through `depth` ReLU layers of `width` units
/// (zero biases) drawn by `init` from `seed`. As the width grows it follows
/// [`relu_cosine_map`] from c = 0. (A layer that is all zero for an input has no
/// direction; the cosine is then taken to be 1: the two inputs are no longer told apart.)
pub fn input_cosines(width: usize, depth: usize, init: Init, seed: u64) -> Result<Vec<f64>, Error> {
    let stack = DeepStack::new(width, depth, 2)?;
    let widths = vec![width; depth + 1];
    let net = MlpSpec::new(&widths, Activation::Relu, init)
        .output(Activation::Relu)
        .build(seed)?;
    let mut x = Array2::zeros((2, stack.width));
    x[[0, 0]] = (width as f64).sqrt();
    x[[1, 1]] = (width as f64).sqrt();
    let trace = net.forward(&x)?;
    Ok((1..=depth)
        .map(|l| {
            let h = trace.h(l);
            let (u, v) = (h.row(0), h.row(1));
            let dot = |p: &initnet::ndarray::ArrayView1<f64>,
                       q: &initnet::ndarray::ArrayView1<f64>| {
                p.iter().zip(q).map(|(a, b)| a * b).sum::<f64>()
            };
            let norms = (dot(&u, &u) * dot(&v, &v)).sqrt();
            if norms == 0.0 {
                1.0
            } else {
                dot(&u, &v) / norms
            }
        })
        .collect())
}

/// The arc-cosine map of a wide ReLU layer with zero biases: if the pre-activations of two
/// inputs have correlation c, their activations have cosine
/// (sqrt(1 - c^2) + (pi - arccos c) c) / pi (Cho and Saul, 2009), which is also the
/// correlation of the next layer's pre-activations. A c outside [-1, 1] is an error.
pub fn relu_cosine_map(c: f64) -> Result<f64, Error> {
    let k = theory::piecewise_linear_covariance(Activation::Relu, 1.0, c)?
        .ok_or(Error::NotPiecewiseLinear(Activation::Relu))?;
    // E[relu(u)^2] = 1/2 for q = 1.
    Ok(k / 0.5)
}

/// E[f(a)^2] / E[a^2] for a symmetric a: 1/2 for ReLU, (1 + alpha^2)/2 for a leaky ReLU,
/// 1 for the identity ([`theory::kept_fraction`]). Other activations are not positively
/// homogeneous, and the ratio depends on the scale of a: an error.
pub fn kept_fraction(activation: Activation) -> Result<f64, Error> {
    theory::kept_fraction(activation).ok_or(Error::NotPiecewiseLinear(activation))
}

/// n times the relative variance of one layer's ratio R = ||h^l||^2 / ||h^{l-1}||^2 for
/// one input: R is sigma^2 sum_i f(z_i)^2 over n iid standard normal z_i (times a
/// constant), and with s = 1 for z > 0 and alpha otherwise, E[z^2 s^2] = (1 + alpha^2)/2,
/// E[z^4 s^4] = 3 (1 + alpha^4)/2, so kappa = 6 (1 + alpha^4)/(1 + alpha^2)^2 - 1:
/// 5 for ReLU, 2 for the identity (a chi-square) ([`theory::kappa`]). Other activations:
/// an error.
pub fn kappa(activation: Activation) -> Result<f64, Error> {
    theory::kappa(activation).ok_or(Error::NotPiecewiseLinear(activation))
}

/// The deep-stack study over many seeds: per scheme, the rms of a^l for each seed.
#[derive(Debug, Clone, PartialEq)]
pub struct StackStudy {
    /// The stack.
    pub stack: DeepStack,
    /// The activation of every layer.
    pub activation: Activation,
    /// The initializer.
    pub init: Init,
    /// `rms[s][l-1]`: rms of a^l for seed `seeds[s]`.
    pub rms: Vec<Vec<f64>>,
    /// The seeds.
    pub seeds: Vec<u64>,
    /// sqrt(q^l), the predicted rms.
    pub predicted: Vec<f64>,
    /// v_l, the single-input relative variance of the mean square (an upper bound for the batch).
    pub relative_variance: Vec<f64>,
}

impl StackStudy {
    /// Run the stack for every seed. A process computes each study once: a second call
    /// with the same arguments returns a copy of the first result (the `speed` module).
    pub fn run(
        stack: DeepStack,
        activation: Activation,
        init: Init,
        seeds: &[u64],
    ) -> Result<Self, Error> {
        static RUNS: Memo<(DeepStack, Activation, Init, Vec<u64>), StackStudy> = Memo::new();
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        RUNS.get_or_run((stack, activation, init, seeds.to_vec()), || {
            Self::compute(stack, activation, init, seeds)
        })
    }

    fn compute(
        stack: DeepStack,
        activation: Activation,
        init: Init,
        seeds: &[u64],
    ) -> Result<Self, Error> {
        let predicted = stack
            .predicted_second_moment(activation, init)?
            .iter()
            .map(|q| q.sqrt())
            .collect();
        let relative_variance = stack.relative_variance(activation)?;
        let rms = per_seed(seeds, |s| stack.rms(activation, init, s))?;
        Ok(StackStudy {
            stack,
            activation,
            init,
            rms,
            seeds: seeds.to_vec(),
            predicted,
            relative_variance,
        })
    }

    /// For each layer, the mean over seeds of the measured mean square divided by q^l.
    /// Its expectation is exactly 1.
    pub fn mean_square_ratio(&self) -> Vec<f64> {
        (0..self.stack.depth)
            .map(|l| {
                let q = initnet::math::powi(self.predicted[l], 2);
                self.rms.iter().map(|r| r[l] * r[l] / q).sum::<f64>() / self.rms.len() as f64
            })
            .collect()
    }

    /// An upper bound on the standard deviation of [`Self::mean_square_ratio`]:
    /// sqrt(v_l / seeds).
    pub fn mean_square_ratio_sd(&self) -> Vec<f64> {
        let s = self.rms.len() as f64;
        self.relative_variance
            .iter()
            .map(|v| (v / s).sqrt())
            .collect()
    }

    /// The geometric mean over seeds of the rms of a^l, for each layer.
    pub fn geometric_mean_rms(&self) -> Vec<f64> {
        (0..self.stack.depth)
            .map(|l| {
                initnet::math::exp(
                    self.rms
                        .iter()
                        .map(|r| initnet::math::ln(r[l]))
                        .sum::<f64>()
                        / self.rms.len() as f64,
                )
            })
            .collect()
    }

    /// The factor by which the rms changes per layer, (rms^L / rms^1)^(1/(L-1)), for each seed.
    pub fn per_layer_factor(&self) -> Vec<f64> {
        let last = self.stack.depth - 1;
        self.rms
            .iter()
            .map(|r| initnet::math::pow(r[last] / r[0], 1.0 / last as f64))
            .collect()
    }

    /// The standard deviation over seeds of ln(rms^l), for each layer: the spread of the
    /// random walk of the log.
    pub fn log_rms_sd(&self) -> Vec<f64> {
        (0..self.stack.depth)
            .map(|l| {
                initnet::mean_std(
                    &self
                        .rms
                        .iter()
                        .map(|r| initnet::math::ln(r[l]))
                        .collect::<Vec<_>>(),
                )
                .1
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_log_spread_beside_the_lognormal_value() {
        // n = 32, L = 30: exact 1.15 (a Monte Carlo of one-input networks gives the same),
        // lognormal 1.04; at n = 256 the two are close (0.384 against 0.380).
        let exact = relu_log_rms_sd(32, 30).unwrap();
        assert!((exact[29] - 1.15).abs() < 0.005, "{}", exact[29]);
        let v = DeepStack::new(32, 30, 1)
            .unwrap()
            .relative_variance(Activation::Relu)
            .unwrap();
        let approx = initnet::math::ln(1.0 + v[29]).sqrt() / 2.0;
        assert!((approx - 1.04).abs() < 0.005, "{approx}");
        let wide = relu_log_rms_sd(256, 30).unwrap();
        assert!((wide[29] - 0.384).abs() < 0.001, "{}", wide[29]);
        assert_eq!(relu_log_rms_sd(0, 3).unwrap_err(), Error::Zero("width"));
    }

    #[test]
    fn kappa_and_kept_fraction_closed_forms() {
        assert_eq!(kept_fraction(Activation::Relu).unwrap(), 0.5);
        assert_eq!(kappa(Activation::Relu).unwrap(), 5.0);
        assert_eq!(kappa(Activation::Identity).unwrap(), 2.0);
        assert!(matches!(
            kappa(Activation::Tanh),
            Err(Error::NotPiecewiseLinear(Activation::Tanh))
        ));
        assert!(kept_fraction(Activation::Sigmoid).is_err());
        assert_eq!(DeepStack::new(0, 3, 4).unwrap_err(), Error::Zero("width"));
        assert_eq!(
            DeepStack::new(4, 3, 0).unwrap_err().to_string(),
            "batch must be at least 1, got 0"
        );
        let stack = DeepStack::new(4, 3, 2).unwrap();
        assert_eq!(
            StackStudy::run(stack, Activation::Relu, Init::he_normal(), &[]).unwrap_err(),
            Error::NoSeeds
        );
        let e = StackStudy::run(stack, Activation::Tanh, Init::he_normal(), &[0]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the closed form needs a piecewise-linear activation (ReLU, leaky ReLU, identity), got tanh"
        );
    }

    /// kept_fraction and kappa against a sample of 10^6 standard normals: the sample mean of
    /// f(z)^2 has standard error sqrt(Var(f(z)^2)/N) <= sqrt(3/N) ~ 0.0017; allow 5 of them.
    #[test]
    fn closed_forms_match_a_sample() {
        let mut rng = initnet::rng(3);
        let z: Vec<f64> = (0..1_000_000)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        for act in [
            Activation::Relu,
            Activation::LeakyRelu(0.3),
            Activation::Identity,
        ] {
            let n = z.len() as f64;
            let m2 = z
                .iter()
                .map(|&v| initnet::math::powi(act.f(v), 2))
                .sum::<f64>()
                / n;
            let m4 = z
                .iter()
                .map(|&v| initnet::math::powi(act.f(v), 4))
                .sum::<f64>()
                / n;
            let keep = kept_fraction(act).unwrap();
            assert!((m2 - keep).abs() < 5.0 * (3.0 / n).sqrt(), "{act}: {m2}");
            let k = m4 / (m2 * m2) - 1.0;
            assert!((k / kappa(act).unwrap() - 1.0).abs() < 0.05, "{act}: {k}");
        }
    }

    #[test]
    fn predictions_follow_the_recursion() {
        let stack = DeepStack::new(100, 4, 10).unwrap();
        let he = stack
            .predicted_second_moment(Activation::Relu, Init::he_normal())
            .unwrap();
        assert!(he.iter().all(|q| (q - 2.0).abs() < 1e-12));
        let lecun = stack
            .predicted_second_moment(Activation::Relu, Init::lecun_normal())
            .unwrap();
        for (l, q) in lecun.iter().enumerate() {
            assert!((q - initnet::math::powi(0.5, l as i32)).abs() < 1e-12);
        }
    }
}

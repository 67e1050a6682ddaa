//! Exploding: with identity or ReLU layers and large weights, activations and gradients
//! grow geometrically with depth, and training diverges.
//!
//! For one layer a = W h with W_ij ~ N(0, s^2) (n rows), given h each a_j ~ N(0, s^2 |h|^2)
//! independently, so |a|^2 / |h|^2 = s^2 chi^2_n exactly: the norm grows by sqrt(n) s per
//! identity layer in root mean square. Through ReLU only the positive units pass:
//! |relu(a)|^2 / |h|^2 = s^2 chi^2_K with K ~ Binomial(n, 1/2), root mean square factor
//! sqrt(n/2) s. Successive layers draw independent W, so ln |h^L| / |h^0| is a sum of L
//! independent terms whose mean and variance are known exactly (digamma, trigamma).

use book::memo::{Memo, per_seed};
use initnet::ndarray::Array2;
use initnet::{
    Activation, Blobs, Divergence, Error, Init, Loss, MlpSpec, Standardizer, TrainConfig,
    dead_fraction, train,
};

use crate::math::{log_chi_square_moments, log_relu_square_moments};

/// A deep stack of `depth` square layers of `width` units with weights N(0, weight_std^2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tower {
    /// Identity or ReLU.
    pub activation: Activation,
    /// Units per layer (and inputs).
    pub width: usize,
    /// Number of layers.
    pub depth: usize,
    /// The weights' standard deviation s.
    pub weight_std: f64,
    /// Samples in the batch.
    pub batch: usize,
}

impl Tower {
    /// The chapter's tower: 10 layers of 100 units, s = 0.5, batch of 50.
    pub fn new(activation: Activation) -> Self {
        Tower {
            activation,
            width: 100,
            depth: 10,
            weight_std: 0.5,
            batch: 50,
        }
    }

    /// The root-mean-square growth factor per layer: sqrt(n) s for identity, sqrt(n/2) s for ReLU.
    pub fn rms_factor(&self) -> Result<f64, Error> {
        let n = self.width as f64;
        match self.activation {
            Activation::Identity => Ok(n.sqrt() * self.weight_std),
            Activation::Relu => Ok((n / 2.0).sqrt() * self.weight_std),
            other => Err(Error::Parse {
                what: "tower activation",
                text: other.to_string(),
                reason: "expected identity or relu".to_string(),
            }),
        }
    }

    /// Mean and standard deviation of the per-layer log growth of the norm,
    /// (1/L) ln(|h^L| / |h^0|), exactly: half the mean of ln(s^2 chi^2) and
    /// sqrt(Var / L) / 2 (independent layers).
    pub fn log_factor_moments(&self) -> Result<(f64, f64), Error> {
        self.rms_factor()?;
        let (m, v) = match self.activation {
            Activation::Relu => log_relu_square_moments(self.width)?,
            _ => log_chi_square_moments(self.width, 1.0)?,
        };
        let mean = 0.5 * (m + initnet::math::ln(self.weight_std * self.weight_std));
        Ok((mean, 0.5 * (v / self.depth as f64).sqrt()))
    }

    /// The standard deviation of the *measured* per-layer log factor, forward and backward:
    /// the mean over the batch's B samples, which share the weights. To leading order in
    /// 1/n, one layer's log factors of two samples have the correlation rho_l, so the batch
    /// mean has the variance of one sample (`log_factor_moments`) times
    /// mean over l of [1/B + (1 - 1/B) rho_l]:
    ///
    /// - identity, both ways: |W u|^2 and |W u'|^2 for unit vectors at cosine c are sums of
    ///   n pairs of normals with correlation c, so rho = c^2 (delta method); independent
    ///   standard-normal samples start at E[c^2] = 1/n and each layer adds about 1/n, so
    ///   rho_l = l/n forward (and (L - l + 1)/n backward, the same average (L + 1)/(2n)).
    /// - ReLU forward: the pre-activations of two samples at layer l have the correlation
    ///   c_{l-1}, the cosine of their activations below, which follows the arc-cosine kernel
    ///   of degree 1 (Cho and Saul, 2009) from c_0 = 0, c_l = J_1(theta)/pi,
    ///   J_1 = sin theta + (pi - theta) cos theta, theta = acos c_{l-1}; then
    ///   rho_l = (E[relu(x)^2 relu(y)^2] - 1/4) / (5/4), with E[relu(x)^2 relu(y)^2] =
    ///   J_2(theta) / (2 pi), J_2 = 3 sin theta cos theta + (pi - theta)(1 + 2 cos^2 theta)
    ///   (degree 2), and 5/4 = Var(relu(x)^2) the one-sample term.
    /// - ReLU backward: the two samples' gradients are independent at the top and nearly
    ///   orthogonal below, but their masks agree more often than chance:
    ///   P(both on) = 1/4 + asin(c_{l-1})/(2 pi), so
    ///   rho_l = (asin(c_{l-1})/(2 pi) + (L - l + 1)/(2n)) / (5/4).
    pub fn batch_log_factor_sd(&self) -> Result<(f64, f64), Error> {
        use initnet::math::{acos, asin, cos, sin};
        use std::f64::consts::PI;
        let (_, sd) = self.log_factor_moments()?;
        let (n, b, depth) = (self.width as f64, self.batch as f64, self.depth);
        let mut c: f64 = 0.0;
        let (mut fwd, mut bwd) = (0.0, 0.0);
        for l in 1..=depth {
            let (rho_f, rho_b) = match self.activation {
                Activation::Relu => {
                    let theta = acos(c.min(1.0));
                    let (st, ct) = (sin(theta), cos(theta));
                    let j2 = 3.0 * st * ct + (PI - theta) * (1.0 + 2.0 * ct * ct);
                    let forward = (j2 / (2.0 * PI) - 0.25) / 1.25;
                    let above = (depth - l + 1) as f64 / (2.0 * n);
                    let backward = (asin(c) / (2.0 * PI) + above) / 1.25;
                    c = (st + (PI - theta) * ct) / PI;
                    (forward, backward)
                }
                _ => (l as f64 / n, (depth - l + 1) as f64 / n),
            };
            fwd += 1.0 / b + (1.0 - 1.0 / b) * rho_f;
            bwd += 1.0 / b + (1.0 - 1.0 / b) * rho_b;
        }
        let l = depth as f64;
        Ok((sd * (fwd / l).sqrt(), sd * (bwd / l).sqrt()))
    }

    fn spec(&self) -> Result<MlpSpec, Error> {
        if self.depth == 0 || self.width == 0 || self.batch == 0 {
            return Err(Error::Zero {
                what: format!(
                    "tower shape (depth {}, width {}, batch {})",
                    self.depth, self.width, self.batch
                ),
            });
        }
        self.rms_factor()?;
        let widths = vec![self.width; self.depth + 1];
        Ok(
            MlpSpec::new(&widths, self.activation, Init::normal(self.weight_std)?)
                .output(self.activation),
        )
    }
}

/// Norms through the tower on one draw, averaged over the batch's samples.
#[derive(Debug, Clone, PartialEq)]
pub struct TowerRun {
    /// Mean over the batch of ln |h^l|, l = 0..=L.
    pub log_act_norm: Vec<f64>,
    /// Mean over the batch of ln |dL/dh^l|, l = 0..=L (l = 0: the gradient at the input).
    pub log_grad_norm: Vec<f64>,
}

fn mean_log_row_norm(m: &Array2<f64>) -> f64 {
    m.rows()
        .into_iter()
        .map(|r| 0.5 * initnet::math::ln(initnet::kernels::dot(&r, &r)))
        .sum::<f64>()
        / m.nrows() as f64
}

/// Forward a standard-normal batch through the tower drawn from `seed`, and back-propagate
/// an output gradient of independent standard-normal entries (as a loss's gradient would be,
/// but independent of the weights, so that the exact law above holds backward too:
/// dL/dh^{l-1} = (W^l)^T (f'(a^l) * dL/dh^l)).
pub fn tower_run(tower: &Tower, seed: u64) -> Result<TowerRun, Error> {
    let net = tower.spec()?.build(seed)?;
    let mut rng = initnet::rng(seed.wrapping_add(1 << 32));
    let shape = (tower.batch, tower.width);
    let x = initnet::random::normal_matrix(shape, 1.0, &mut rng)?;
    let d_out = initnet::random::normal_matrix(shape, 1.0, &mut rng)?;
    let trace = net.forward(&x)?;
    let grads = net.backward(&trace, &d_out)?;
    let log_act_norm = (0..=tower.depth)
        .map(|l| mean_log_row_norm(trace.h(l)))
        .collect();
    // dh[l-1] holds dL/dh^l; dL/dh^0 = dL/da^1 W^1.
    let d_in = initnet::kernels::matmul(&grads.da[0], &net.layer(1).w);
    let log_grad_norm = std::iter::once(mean_log_row_norm(&d_in))
        .chain(grads.dh.iter().map(mean_log_row_norm))
        .collect();
    Ok(TowerRun {
        log_act_norm,
        log_grad_norm,
    })
}

/// The tower over many seeds, with the prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct TowerSweep {
    /// The tower.
    pub tower: Tower,
    /// One run per seed.
    pub runs: Vec<TowerRun>,
    /// Exact mean and standard deviation of the per-layer log factor of one sample.
    pub log_factor: (f64, f64),
    /// The standard deviation of the measured factor, the batch's mean, forward and
    /// backward ([`Tower::batch_log_factor_sd`]).
    pub batch_sd: (f64, f64),
}

impl TowerSweep {
    /// Per seed, the measured per-layer growth factor of the activations,
    /// exp((ln|h^L| - ln|h^0|) / L).
    pub fn act_factors(&self) -> Vec<f64> {
        let l = self.tower.depth;
        self.runs
            .iter()
            .map(|r| initnet::math::exp((r.log_act_norm[l] - r.log_act_norm[0]) / l as f64))
            .collect()
    }
    /// Per seed, the measured per-layer growth factor of the gradients, from the output
    /// back to the input, exp((ln|dL/dh^0| - ln|dL/dh^L|) / L).
    pub fn grad_factors(&self) -> Vec<f64> {
        let l = self.tower.depth;
        self.runs
            .iter()
            .map(|r| initnet::math::exp((r.log_grad_norm[0] - r.log_grad_norm[l]) / l as f64))
            .collect()
    }
    /// The largest |ln factor - mean| / sd over seeds, activations and gradients, in units
    /// of the batch mean's standard deviation (`batch_sd`).
    pub fn max_z(&self) -> f64 {
        let (m, _) = self.log_factor;
        let (fwd, bwd) = self.batch_sd;
        let z = |f: &f64, sd: f64| (initnet::math::ln(*f) - m).abs() / sd;
        self.act_factors()
            .iter()
            .map(|f| z(f, fwd))
            .chain(self.grad_factors().iter().map(|f| z(f, bwd)))
            .fold(0.0, f64::max)
    }
}

/// Run the tower for every seed.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn tower_sweep(tower: Tower, seeds: &[u64]) -> Result<TowerSweep, Error> {
    static SWEEPS: Memo<(Tower, Vec<u64>), TowerSweep> = Memo::new();
    SWEEPS.get_or_run((tower, seeds.to_vec()), || {
        Ok(TowerSweep {
            tower,
            runs: per_seed(seeds, |s| tower_run(&tower, s))?,
            log_factor: tower.log_factor_moments()?,
            batch_sd: tower.batch_log_factor_sd()?,
        })
    })
}

/// What became of one training run: the epoch it diverged at (with initnet's reason), or
/// its final loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// initnet's report, if the run diverged.
    pub diverged: Option<Divergence>,
    /// The losses of the epochs reached, epoch 0 first.
    pub losses: Vec<f64>,
    /// After training (if the run did not diverge): per hidden layer, the fraction of units
    /// that are dead (pre-activation <= 0 on every training sample).
    pub dead: Vec<f64>,
}

/// Train a ReLU network `widths` with weights `init` on standardized blobs (4 classes,
/// 2 features, 400 samples; data and weights from `seed`), full batch, learning rate
/// `lr`, at most `epochs` epochs.
pub fn train_relu(
    widths: &[usize],
    init: Init,
    lr: f64,
    epochs: usize,
    seed: u64,
) -> Result<Outcome, Error> {
    let data = Blobs::new(400, 4).generate(seed)?;
    let x = Standardizer::fit(&data.x)?.transform(&data.x)?;
    let mut net = MlpSpec::new(widths, Activation::Relu, init).build(seed)?;
    let history = train(
        &mut net,
        &x,
        &data.y,
        &TrainConfig::new(lr, epochs).loss(Loss::SoftmaxCrossEntropy),
    )?;
    let dead = if history.diverged.is_some() {
        Vec::new()
    } else {
        let trace = net.forward(&x)?;
        (1..net.depth())
            .map(|l| dead_fraction(trace.a(l)))
            .collect()
    };
    Ok(Outcome {
        losses: history.losses(),
        diverged: history.diverged,
        dead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_follow_the_closed_form() {
        assert!((Tower::new(Activation::Identity).rms_factor().unwrap() - 5.0).abs() < 1e-12);
        assert!(
            (Tower::new(Activation::Relu).rms_factor().unwrap() - 50f64.sqrt() * 0.5).abs() < 1e-12
        );
        assert!(Tower::new(Activation::Tanh).rms_factor().is_err());
        // The mean log factor lies just below ln of the rms factor (Jensen).
        let t = Tower::new(Activation::Identity);
        let (m, sd) = t.log_factor_moments().unwrap();
        assert!(m < initnet::math::ln(5.0) && m > initnet::math::ln(5.0) - 0.02 && sd > 0.0);
    }

    #[test]
    fn bad_towers_are_errors() {
        let t = Tower {
            depth: 0,
            ..Tower::new(Activation::Relu)
        };
        assert!(tower_run(&t, 0).is_err());
        let t = Tower {
            weight_std: -1.0,
            ..Tower::new(Activation::Relu)
        };
        assert!(tower_run(&t, 0).unwrap_err().to_string().contains("-1"));
    }
}

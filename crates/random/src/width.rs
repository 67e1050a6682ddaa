//! How the pre-activation of one layer grows with its fan-in n when the weights are
//! N(0, 1): Var(a) = n Var(w) E[h^2], so std(a) = sqrt(n) for standard-normal inputs.

use book::memo::{Memo, per_seed};
use initnet::kernels::matmul;
use initnet::{Error, Init, rng, saturated_fraction};

use theory::{gaussian_tail, normal_pdf, simpson, tanh_cutoff};

/// The book's saturation threshold ([`theory::SATURATION_THRESHOLD`]): a tanh unit is
/// saturated when |h| > 0.99.
pub use theory::SATURATION_THRESHOLD as THRESHOLD;

/// The standard deviation of sqrt(m / n), the measured std(a) over its prediction sqrt(n),
/// for one layer of `units` units with N(0, 1) weights fed a batch of `batch`
/// standard-normal inputs in n dimensions: [`theory::one_layer_rms_sd`], which derives it.
pub use theory::one_layer_rms_sd as ratio_sd;

/// One layer measured at one fan-in.
#[derive(Debug, Clone, PartialEq)]
pub struct WidthPoint {
    /// The fan-in n.
    pub n: usize,
    /// Root mean square of a (its standard deviation about the known mean 0), one per seed.
    pub rms: Vec<f64>,
    /// The prediction sqrt(n Var(w) E[h^2]) = sqrt(n).
    pub predicted: f64,
    /// The standard deviation of rms/predicted over draws of inputs and weights
    /// (delta method on the closed-form variance of the mean of a^2).
    pub ratio_sd: f64,
}

impl WidthPoint {
    /// Mean over seeds of the measured std(a).
    pub fn mean_rms(&self) -> f64 {
        self.rms.iter().sum::<f64>() / self.rms.len() as f64
    }
    /// Mean over seeds of rms / predicted.
    pub fn mean_ratio(&self) -> f64 {
        self.rms.iter().map(|r| r / self.predicted).sum::<f64>() / self.rms.len() as f64
    }
}

/// Measure std(a) for one layer of `units` units with N(0, 1) weights, fed a batch of
/// `batch` standard-normal inputs, at every fan-in of `widths` and for every seed.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn width_scaling(
    widths: &[usize],
    units: usize,
    batch: usize,
    seeds: &[u64],
) -> Result<Vec<WidthPoint>, Error> {
    /// Widths, units, batch, seeds.
    type Setting = (Vec<usize>, usize, usize, Vec<u64>);
    static POINTS: Memo<Setting, Vec<WidthPoint>> = Memo::new();
    POINTS.get_or_run((widths.to_vec(), units, batch, seeds.to_vec()), || {
        compute_width_scaling(widths, units, batch, seeds)
    })
}

fn compute_width_scaling(
    widths: &[usize],
    units: usize,
    batch: usize,
    seeds: &[u64],
) -> Result<Vec<WidthPoint>, Error> {
    check_sizes(units, batch, seeds)?;
    let standard = Init::normal(1.0)?;
    widths
        .iter()
        .map(|&n| {
            if n == 0 {
                return Err(Error::Zero {
                    what: "fan-in n".into(),
                });
            }
            let rms = per_seed(seeds, |seed| {
                let mut r = rng(seed);
                let x = initnet::random::normal_matrix((batch, n), 1.0, &mut r)?;
                let w = standard.sample(n, units, &mut r)?;
                let a = matmul(&x, &w.t());
                Ok::<_, Error>((a.iter().map(|v| v * v).sum::<f64>() / a.len() as f64).sqrt())
            })?;
            Ok(WidthPoint {
                n,
                rms,
                predicted: (n as f64).sqrt(),
                ratio_sd: ratio_sd(n, units, batch)?,
            })
        })
        .collect()
}

fn check_sizes(units: usize, batch: usize, seeds: &[u64]) -> Result<(), Error> {
    if units == 0 {
        return Err(Error::Zero {
            what: "number of units".into(),
        });
    }
    if batch == 0 {
        return Err(Error::Zero {
            what: "batch size".into(),
        });
    }
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".into(),
        });
    }
    Ok(())
}

/// The post's toy width: fan-in 2, N(0, 1) weights, standard-normal inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct ToySaturation {
    /// Fraction of tanh units with |h| > 0.99, one per seed.
    pub measured: Vec<f64>,
    /// The exact prediction for fan-in 2 (see [`toy_saturation_prediction`]).
    pub predicted: f64,
    /// What one would predict by treating a as N(0, 2): 2 Φ(-atanh(0.99)/√2).
    pub gaussian_guess: f64,
    /// An upper bound on the standard deviation of one seed's fraction.
    pub sd_bound: f64,
}

/// P(|tanh(x · w)| > 0.99) for x, w independent N(0, I_2).
///
/// Given w, a = x · w ~ N(0, R) with R = |w|^2, and R ~ chi-square(2), an exponential law
/// of mean 2: P = ∫_0^∞ 2Φ(-t/√r) e^{-r/2}/2 dr, t = atanh(0.99). With r = u^2 the
/// integrand u e^{-u²/2} 2Φ(-t/u) (`gaussian_tail(t, u)`) is smooth; Simpson's rule over u in [0, 40].
pub fn toy_saturation_prediction() -> f64 {
    let t = tanh_cutoff();
    simpson(
        |u| {
            if u == 0.0 {
                0.0
            } else {
                u * initnet::math::exp(-0.5 * u * u) * gaussian_tail(t, u)
            }
        },
        0.0,
        40.0,
        40_000,
    )
}

/// Measure the saturated fraction of `units` tanh units of fan-in 2 with N(0, 1)
/// weights on `batch` standard-normal inputs, for every seed.
///
/// The bound on the standard deviation of one seed's fraction f = mean of the indicators
/// I_ij = 1[|a_ij| > c]: each has variance p(1-p); two indicators sharing a unit or a
/// sample have covariance at most p(1-p) (Cauchy–Schwarz); others are independent. So
/// Var(f) <= p(1-p)(1/(units batch) + 1/units + 1/batch).
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn toy_saturation(units: usize, batch: usize, seeds: &[u64]) -> Result<ToySaturation, Error> {
    static TOY: Memo<(usize, usize, Vec<u64>), ToySaturation> = Memo::new();
    TOY.get_or_run((units, batch, seeds.to_vec()), || {
        compute_toy_saturation(units, batch, seeds)
    })
}

fn compute_toy_saturation(
    units: usize,
    batch: usize,
    seeds: &[u64],
) -> Result<ToySaturation, Error> {
    check_sizes(units, batch, seeds)?;
    let standard = Init::normal(1.0)?;
    let measured = per_seed(seeds, |seed| {
        let mut r = rng(seed);
        let x = initnet::random::normal_matrix((batch, 2), 1.0, &mut r)?;
        let w = standard.sample(2, units, &mut r)?;
        let h = matmul(&x, &w.t()).mapv(initnet::math::tanh);
        Ok::<_, Error>(saturated_fraction(initnet::Activation::Tanh, &h, THRESHOLD))
    })?;
    let p = toy_saturation_prediction();
    let (u, b) = (units as f64, batch as f64);
    Ok(ToySaturation {
        measured,
        predicted: p,
        gaussian_guess: gaussian_tail(tanh_cutoff(), 2f64.sqrt()),
        sd_bound: (p * (1.0 - p) * (1.0 / (u * b) + 1.0 / u + 1.0 / b)).sqrt(),
    })
}

/// The density of a = x · w for x, w independent N(0, I_2), the mixture
/// ∫ φ(a/√r)/√r e^{-r/2}/2 dr over r = |w|^2 (evaluated as in [`toy_saturation_prediction`]).
/// In closed form it is e^{-|a|}/2, the Laplace density: the inner product of two
/// 2-dimensional Gaussians has heavier tails than a Gaussian of the same variance.
pub fn toy_density(a: f64) -> f64 {
    simpson(
        |t| {
            if t == 0.0 {
                0.0
            } else {
                initnet::math::exp(-0.5 * t * t) * normal_pdf(a / t)
            }
        },
        0.0,
        40.0,
        40_000,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toy_density_is_laplace() {
        for a in [0.3, 1.0, 2.5, 6.0] {
            assert!(
                (toy_density(a) - 0.5 * initnet::math::exp(-a)).abs() < 1e-9,
                "{a}"
            );
        }
        // Hence P(|a| > t) = e^{-t}, and with t = atanh(0.99) = ln(199)/2 that is 1/sqrt(199).
        assert!((toy_saturation_prediction() - 1.0 / 199f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn bad_sizes_are_errors() {
        assert!(width_scaling(&[0], 2, 2, &[0]).is_err());
        assert!(width_scaling(&[2], 0, 2, &[0]).is_err());
        assert!(width_scaling(&[2], 2, 2, &[]).is_err());
        assert!(toy_saturation(2, 0, &[0]).is_err());
    }
}

//! How many units saturate, measured and predicted.
//!
//! One layer a = W x with W_ij ~ N(0, s^2) and inputs x ~ N(0, s_x^2 I_n). Given x,
//! a_j ~ N(0, s^2 |x|^2), so P(saturated | x) = 2 Phi(-t / (s |x|)) with t the cutoff
//! (atanh 0.99 for tanh, ln 99 for the sigmoid). |x| = s_x R with R ~ chi(n), so
//! p = E_R[2 Phi(-t / (s s_x R))]: it depends on s and s_x only through s s_x.

use book::memo::{Memo, per_seed};
use initnet::error::non_negative;
use initnet::ndarray::Array2;
use initnet::{Activation, BiasInit, Dense, Error, Init, saturated_fraction};

use crate::math::{THRESHOLD, chi_expectation, gaussian_tail, saturation_cutoff};

/// The two activations that saturate, in the order the chapter shows them.
pub const SATURATING: [Activation; 2] = [Activation::Tanh, Activation::Sigmoid];

/// The shape of the measurement: `units` units, each fed `n_in` inputs, on a batch of
/// `batch` samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layer {
    /// Inputs per unit, n.
    pub n_in: usize,
    /// Units, m.
    pub units: usize,
    /// Samples in the batch, N.
    pub batch: usize,
}

impl Default for Layer {
    /// n = 100 inputs, m = 200 units, N = 200 samples: 40 000 pre-activations.
    fn default() -> Self {
        Layer {
            n_in: 100,
            units: 200,
            batch: 200,
        }
    }
}

impl Layer {
    fn check(&self) -> Result<(), Error> {
        for (what, v) in [
            ("inputs per unit", self.n_in),
            ("number of units", self.units),
            ("batch size", self.batch),
        ] {
            if v == 0 {
                return Err(Error::Zero {
                    what: what.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// The prediction for one setting: the expected saturated fraction `p` and the standard
/// deviation `sd` of the fraction measured on one draw of W and x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// E[fraction saturated].
    pub p: f64,
    /// Standard deviation of the measured fraction over draws.
    pub sd: f64,
}

/// The closed form. The N m indicators 1[|a_ij| > t] are not independent: two in the same
/// row share x_i, two in the same column share w_j, two that share neither are
/// independent. By symmetry both shared cases have covariance V = Var_R[g(R)] with
/// g(r) = 2 Phi(-t / (s s_x r)) (the variance of P(saturated | |x|), and the same for |w|),
/// so the variance of the measured fraction is the binomial one with a design effect:
///
/// Var = [p(1 - p) + (N - 1) V + (m - 1) V] / (N m).
pub fn predict(
    layer: Layer,
    activation: Activation,
    weight_std: f64,
    input_scale: f64,
) -> Result<Prediction, Error> {
    layer.check()?;
    let t = saturation_cutoff(activation)?;
    let sc = non_negative("weight standard deviation", weight_std)?
        * non_negative("input scale", input_scale)?;
    let g = |r: f64| gaussian_tail(t, sc * r);
    let p = chi_expectation(layer.n_in, g)?;
    let v = (chi_expectation(layer.n_in, |r| g(r) * g(r))? - p * p).max(0.0);
    let (n, m) = (layer.batch as f64, layer.units as f64);
    let var = (p * (1.0 - p) + (n - 1.0) * v + (m - 1.0) * v) / (n * m);
    Ok(Prediction {
        p,
        sd: var.max(0.0).sqrt(),
    })
}

/// The pre-activations a = x W^T of one draw: x ~ N(0, s_x^2) (N x n), W ~ N(0, s^2) (m x n),
/// both from `seed`, through initnet's [`Dense`] layer (identity activation, zero bias).
pub fn pre_activations(
    layer: Layer,
    weight_std: f64,
    input_scale: f64,
    seed: u64,
) -> Result<Array2<f64>, Error> {
    layer.check()?;
    let mut rng = initnet::rng(seed);
    let x = initnet::random::normal_matrix(
        (layer.batch, layer.n_in),
        non_negative("input scale", input_scale)?,
        &mut rng,
    )?;
    let init = Init::normal(non_negative("weight standard deviation", weight_std)?)?;
    let dense = Dense::init(
        layer.n_in,
        layer.units,
        Activation::Identity,
        init,
        BiasInit::Zeros,
        &mut rng,
    )?;
    Ok(dense.pre_activation(&x))
}

/// The fraction of the units that one draw saturates, for each activation of [`SATURATING`]
/// (the same pre-activations go through tanh and through the sigmoid).
pub fn measure(
    layer: Layer,
    weight_std: f64,
    input_scale: f64,
    seed: u64,
) -> Result<[f64; 2], Error> {
    let a = pre_activations(layer, weight_std, input_scale, seed)?;
    Ok(SATURATING.map(|f| saturated_fraction(f, &f.apply(&a), THRESHOLD)))
}

/// One setting (weight std s, input scale s_x, activation) measured over many seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The activation.
    pub activation: Activation,
    /// s.
    pub weight_std: f64,
    /// s_x.
    pub input_scale: f64,
    /// The fraction saturated, one per seed.
    pub measured: Vec<f64>,
    /// The closed form.
    pub predicted: Prediction,
}

impl Point {
    /// Mean of the measured fractions over the seeds.
    pub fn mean(&self) -> f64 {
        self.measured.iter().sum::<f64>() / self.measured.len().max(1) as f64
    }
    /// The largest |measured - p| / sd over the seeds (0 where sd is 0 and they agree).
    pub fn max_z(&self) -> f64 {
        let Prediction { p, sd } = self.predicted;
        self.measured
            .iter()
            .map(|m| {
                let d = (m - p).abs();
                if d == 0.0 { 0.0 } else { d / sd }
            })
            .fold(0.0, f64::max)
    }
}

/// `per_decade` points per factor of ten from `lo` to `hi` (both included), evenly on a
/// log scale; `lo` and `hi` finite with 0 < lo < hi.
pub fn log_grid(lo: f64, hi: f64, per_decade: usize) -> Result<Vec<f64>, Error> {
    if !(lo.is_finite() && lo > 0.0) {
        return Err(Error::OutOfRange {
            name: "grid start",
            expected: "finite and > 0",
            value: lo,
        });
    }
    if !(hi.is_finite() && hi > lo) {
        return Err(Error::OutOfRange {
            name: "grid end",
            expected: "finite and above the start",
            value: hi,
        });
    }
    if per_decade == 0 {
        return Err(Error::Zero {
            what: "points per decade".to_string(),
        });
    }
    let steps = (initnet::math::log10(hi / lo) * per_decade as f64).round() as usize;
    Ok((0..=steps)
        .map(|i| lo * initnet::math::pow(hi / lo, i as f64 / steps.max(1) as f64))
        .collect())
}

/// Measure and predict the saturated fraction for every (weight std, input scale) pair
/// given, both activations, seeds `seeds`.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn sweep(layer: Layer, settings: &[(f64, f64)], seeds: &[u64]) -> Result<Vec<Point>, Error> {
    /// The layer, the (s, s_x) settings, the seeds.
    type Setting = (Layer, Vec<(f64, f64)>, Vec<u64>);
    static SWEEPS: Memo<Setting, Vec<Point>> = Memo::new();
    SWEEPS.get_or_run((layer, settings.to_vec(), seeds.to_vec()), || {
        compute_sweep(layer, settings, seeds)
    })
}

fn compute_sweep(
    layer: Layer,
    settings: &[(f64, f64)],
    seeds: &[u64],
) -> Result<Vec<Point>, Error> {
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".to_string(),
        });
    }
    let mut points = Vec::with_capacity(2 * settings.len());
    for &(s, c) in settings {
        let runs = per_seed(seeds, |seed| measure(layer, s, c, seed))?;
        for (k, &activation) in SATURATING.iter().enumerate() {
            points.push(Point {
                activation,
                weight_std: s,
                input_scale: c,
                measured: runs.iter().map(|r| r[k]).collect(),
                predicted: predict(layer, activation, s, c)?,
            });
        }
    }
    Ok(points)
}

/// The chapter's sweep over the weight std: s from 0.01 to 10, five points per decade,
/// standard normal inputs (s_x = 1).
pub fn weight_std_sweep(layer: Layer, seeds: &[u64]) -> Result<Vec<Point>, Error> {
    let settings: Vec<(f64, f64)> = log_grid(0.01, 10.0, 5)?
        .into_iter()
        .map(|s| (s, 1.0))
        .collect();
    sweep(layer, &settings, seeds)
}

/// The chapter's sweep over the input scale: s_x from 0.1 to 100, five points per decade,
/// with LeCun's weight std s = 1/sqrt(n) (the post's "Xavier" code).
pub fn input_scale_sweep(layer: Layer, seeds: &[u64]) -> Result<Vec<Point>, Error> {
    let s = 1.0 / (layer.n_in as f64).sqrt();
    let settings: Vec<(f64, f64)> = log_grid(0.1, 100.0, 5)?
        .into_iter()
        .map(|c| (s, c))
        .collect();
    sweep(layer, &settings, seeds)
}

/// The weight std at which the expected saturated fraction is `fraction` (in (0, 1)),
/// found by bisection on log s (the fraction grows with s).
pub fn std_for_fraction(
    layer: Layer,
    activation: Activation,
    fraction: f64,
    input_scale: f64,
) -> Result<f64, Error> {
    if !(fraction > 0.0 && fraction < 1.0) {
        return Err(Error::OutOfRange {
            name: "saturated fraction",
            expected: "in (0, 1)",
            value: fraction,
        });
    }
    let (mut lo, mut hi) = (initnet::math::ln(1e-6), initnet::math::ln(1e6));
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if predict(layer, activation, initnet::math::exp(mid), input_scale)?.p < fraction {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(initnet::math::exp(0.5 * (lo + hi)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prediction_limits() {
        let layer = Layer::default();
        assert_eq!(predict(layer, Activation::Tanh, 0.0, 1.0).unwrap().p, 0.0);
        let big = predict(layer, Activation::Tanh, 1e6, 1.0).unwrap();
        assert!(big.p > 0.9999 && big.sd < 1e-3);
        // The naive prediction with |x|^2 = n is close for n = 100.
        let p = predict(layer, Activation::Sigmoid, 0.5, 1.0).unwrap().p;
        assert!((p - gaussian_tail(initnet::math::ln(99.0), 5.0)).abs() < 0.01);
    }

    #[test]
    fn bad_settings_are_errors_naming_the_value() {
        let layer = Layer::default();
        let e = predict(layer, Activation::Tanh, -1.0, 1.0)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "weight standard deviation must be finite and >= 0, got -1"
        );
        let e = measure(layer, 1.0, f64::NAN, 0).unwrap_err().to_string();
        assert!(e.contains("input scale") && e.contains("NaN"), "{e}");
        assert!(predict(Layer { units: 0, ..layer }, Activation::Tanh, 1.0, 1.0).is_err());
        assert!(predict(layer, Activation::Relu, 1.0, 1.0).is_err());
        assert!(log_grid(0.0, 1.0, 3).is_err());
        assert!(sweep(layer, &[(1.0, 1.0)], &[]).is_err());
    }

    #[test]
    fn grid_has_the_endpoints() {
        let g = log_grid(0.01, 10.0, 5).unwrap();
        assert_eq!(g.len(), 16);
        assert!(
            (g[0] - 0.01).abs() < 1e-15
                && (g[15] - 10.0).abs() < 1e-12
                && (g[5] - 0.1).abs() < 1e-12
        );
    }
}

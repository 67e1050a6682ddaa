//! Products of random matrices: the length of W^L ... W^1 x for L independent n x n
//! matrices with entries N(0, s^2).

use book::memo::{Memo, per_seed};
use initnet::kernels::dot;
use initnet::{Error, Init, rng};

/// ln |W^L ... W^1 x| for every L, for one gain g (s = g/sqrt(n)).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductCurve {
    /// The size n of the matrices.
    pub n: usize,
    /// The gain g: entries have standard deviation s = g / sqrt(n).
    pub gain: f64,
    /// `log_norm[k][L]` = ln |x_L| / |x_0| for seed k, L = 0..=depth.
    pub log_norm: Vec<Vec<f64>>,
    /// ln of the root mean square, (L/2) ln(n s^2) = L ln g: what E|W x|^2 = n s^2 |x|^2 gives.
    pub log_rms: Vec<f64>,
    /// The exact mean E[ln |x_L|] = (L/2)(ln(2 s^2) + ψ(n/2)).
    pub mean: Vec<f64>,
    /// The exact standard deviation of ln |x_L|: sqrt(L ψ'(n/2)) / 2.
    pub sd: Vec<f64>,
}

impl ProductCurve {
    /// Mean over seeds of ln |x_L|.
    pub fn measured_mean(&self, depth: usize) -> f64 {
        self.log_norm.iter().map(|c| c[depth]).sum::<f64>() / self.log_norm.len() as f64
    }
}

/// Multiply a unit vector by `depth` independent n x n matrices with N(0, (g/√n)^2)
/// entries, for each gain g and seed, and record ln of its length after each factor.
///
/// Why the exact law is known: for a fixed unit vector u and W with iid N(0, s^2) entries,
/// W u ~ N(0, s^2 I), so |W u|^2 = s^2 χ²_n, independent of u. The factors of
/// |x_L| = Π_k |W^k u_{k-1}| are therefore iid, and ln |x_L| is a sum of L iid terms
/// (1/2) ln(s^2 χ²_n) with mean (1/2)(ln(2 s^2) + ψ(n/2)) and variance ψ'(n/2)/4.
/// The vector is renormalized after every factor, so nothing overflows.
///
/// Computed once per process for each setting, the seeds on every core ([`book::memo`]).
pub fn product_norms(
    n: usize,
    depth: usize,
    gains: &[f64],
    seeds: &[u64],
) -> Result<Vec<ProductCurve>, Error> {
    /// n, depth, gains, seeds.
    type Setting = (usize, usize, Vec<f64>, Vec<u64>);
    static CURVES: Memo<Setting, Vec<ProductCurve>> = Memo::new();
    CURVES.get_or_run((n, depth, gains.to_vec(), seeds.to_vec()), || {
        compute_product_norms(n, depth, gains, seeds)
    })
}

fn compute_product_norms(
    n: usize,
    depth: usize,
    gains: &[f64],
    seeds: &[u64],
) -> Result<Vec<ProductCurve>, Error> {
    if n == 0 {
        return Err(Error::Zero {
            what: "matrix size n".into(),
        });
    }
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".into(),
        });
    }
    let nf = n as f64;
    gains
        .iter()
        .enumerate()
        .map(|(gi, &gain)| {
            if !(gain.is_finite() && gain > 0.0) {
                return Err(Error::OutOfRange {
                    name: "gain g",
                    expected: "finite and > 0",
                    value: gain,
                });
            }
            let s = gain / nf.sqrt();
            let init = Init::normal(s)?;
            let log_norm = per_seed(seeds, |seed| {
                // One stream per (gain, seed): the gains are independent experiments.
                let mut r = rng(seed.wrapping_mul(1_000_003).wrapping_add(gi as u64));
                let mut u = initnet::ndarray::Array1::<f64>::zeros(n);
                u[0] = 1.0;
                let mut acc = 0.0;
                let mut curve = vec![0.0];
                for _ in 0..depth {
                    let w = init.sample(n, n, &mut r)?;
                    let v: initnet::ndarray::Array1<f64> =
                        w.rows().into_iter().map(|row| dot(&row, &u)).collect();
                    let len = dot(&v, &v).sqrt();
                    acc += initnet::math::ln(len);
                    curve.push(acc);
                    u = v / len;
                }
                Ok::<_, Error>(curve)
            })?;
            // ln |W u| = ln(s^2 chi^2_n) / 2: half the mean, a quarter of the variance.
            let (step_mean, step_var) = theory::log_chi_square_moments(n, s * s)?;
            let per_factor_mean = 0.5 * step_mean;
            let per_factor_var = step_var / 4.0;
            let ls = 0..=depth;
            Ok(ProductCurve {
                n,
                gain,
                log_norm,
                log_rms: ls
                    .clone()
                    .map(|l| l as f64 * initnet::math::ln(gain))
                    .collect(),
                mean: ls.clone().map(|l| l as f64 * per_factor_mean).collect(),
                sd: ls.map(|l| (l as f64 * per_factor_var).sqrt()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_inputs_are_errors() {
        assert!(product_norms(0, 3, &[1.0], &[0]).is_err());
        assert!(product_norms(4, 3, &[0.0], &[0]).is_err());
        assert!(product_norms(4, 3, &[1.0], &[]).is_err());
    }

    #[test]
    fn per_factor_law() {
        // E[ln χ²_n] = ln 2 + ψ(n/2) -> ln n - 1/n + ...; at g = 1 the typical log-norm
        // drifts down by about 1/(2n) per factor.
        let curve = &product_norms(100, 1, &[1.0], &[0]).unwrap()[0];
        assert!(
            (curve.mean[1] + 0.5 / 100.0).abs() < 1e-4,
            "{}",
            curve.mean[1]
        );
    }
}

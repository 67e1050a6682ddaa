//! What the infinitely wide mean field leaves out: the fluctuations of a layer of finite
//! width n around it, which add up over depth like a random walk, and the chance that a
//! narrow ReLU network is born dead.

use initnet::math;
use initnet::{Error, Result};

fn at_least_one(what: &str, n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::Zero { what: what.into() });
    }
    Ok(())
}

/// The relative variance v_l = Var(m^l) / E[m^l]² of the mean square m^l of a^l over the
/// n units of layer l, for one standard-normal input to a stack of square layers of width
/// n with Gaussian weights, l = 1..=`layers`:
///
/// v_l = (1 + 2/n)² (1 + κ/n)^(l-1) - 1,
///
/// where κ/n is the relative variance of each layer's factor |h^l|² / |h^(l-1)|² (κ is
/// [`crate::kappa`]: 5 for ReLU, 2 for the identity) and the two factors (1 + 2/n) are the
/// chi-square norms of the input and of the last pre-activation given h^(l-1). The factors
/// are independent, so ln m^l is a random walk: its spread grows like √(κ l / n), and the
/// mean-field picture of one network needs l ≪ n/κ. The mean of m^l over a batch has a
/// relative variance at most v_l. A zero width or a κ that is not finite and >= 0 is an
/// error naming it.
pub fn relative_variance(kappa: f64, n: usize, layers: usize) -> Result<Vec<f64>> {
    at_least_one("width n of the layers", n)?;
    let k = initnet::error::non_negative("kappa", kappa)?;
    let n = n as f64;
    Ok((1..=layers)
        .map(|l| math::powi(1.0 + 2.0 / n, 2) * math::powi(1.0 + k / n, l as i32 - 1) - 1.0)
        .collect())
}

/// The standard deviation of √(m / n), the measured root mean square of a over its
/// prediction √n, where m is the mean of a_ij² over a batch of `batch` standard-normal
/// inputs x_i in n dimensions and `units` rows w_j of N(0, 1) weights, a_ij = x_i · w_j.
///
/// Given x, a_ij ~ N(0, |x_i|²), so E\[a⁴\] = 3 E|x|⁴ = 3n(n+2) and Var(a²) = 2n² + 6n.
/// Two entries that share a sample (or a unit) have Cov(a_ij², a_ik²) = Var|x_i|² = 2n;
/// entries sharing neither are independent. Hence
/// Var(m) = (2n² + 6n + 2n(units + batch - 2)) / (units batch), and by the delta method
/// sd(√(m/n)) = sd(m) / (2n). A zero size is an error naming it.
pub fn one_layer_rms_sd(n: usize, units: usize, batch: usize) -> Result<f64> {
    at_least_one("fan-in n", n)?;
    at_least_one("number of units", units)?;
    at_least_one("batch size", batch)?;
    let (n, u, b) = (n as f64, units as f64, batch as f64);
    let var_m = (2.0 * n * n + 6.0 * n + 2.0 * n * (u + b - 2.0)) / (u * b);
    Ok(var_m.sqrt() / (2.0 * n))
}

/// The standard deviation, over draws of inputs and weights, of the ratio measured
/// std(a^l) / √q^l in a stack of l layers of width n that behave linearly, fed a batch of
/// B = `batch` standard-normal inputs:
///
/// sd ≈ (1/2) √(l (l+1) / n² + 2 (l+1) / (n B)).
///
/// Where it comes from: in the linear regime a^l = P x with P = W^l ... W^1 (times the
/// gains), and the batch mean of |a|² is x^T P^T P x averaged over the batch. Two sources
/// fluctuate. (1) The matrix: |W^k P_{k-1}|_F² given P_{k-1} is a weighted chi-square
/// whose relative variance is 2 tr((P^T P)²) / (n (tr P^T P)²) = 2k/n², because the
/// second moment of the squared singular values of a product of k-1 square Gaussian
/// matrices is the Fuss–Catalan number k; summed over k = 1..l this gives l(l+1)/n².
/// (2) The batch: for x ~ N(0, I), Var(x^T A x) = 2 tr(A²), so the batch mean has
/// relative variance 2 tr(A²)/(B (tr A)²) = 2(l+1)/(n B). Halve the relative standard
/// deviation of the second moment to get that of the std. For l = 1 this is
/// [`one_layer_rms_sd`] with n units, to first order.
///
/// A tanh layer is a contraction: the fresh fluctuation it adds per layer is at most that
/// of a linear layer, and d ln E[tanh(√q Z)²] / d ln q <= 1 damps what it inherits, so for
/// tanh stacks this is an upper bound. A zero width or batch is an error naming it.
pub fn linear_stack_rms_sd(n: usize, batch: usize, l: usize) -> Result<f64> {
    at_least_one("width n of the layers", n)?;
    at_least_one("batch size", batch)?;
    let (n, b, l) = (n as f64, batch as f64, l as f64);
    Ok(0.5 * (l * (l + 1.0) / (n * n) + 2.0 * (l + 1.0) / (n * b)).sqrt())
}

/// P(a network of ReLU layers of `width` units is still alive after layer l), for
/// l = 1..=depth, with zero biases, weights drawn from any law symmetric about zero, and
/// one scalar input x > 0, computed by iterating the Markov chain of the number K_l of
/// live units (K_0 = 1: the input).
///
/// Given K_{l-1} = k >= 1 live units with values h_j > 0, each a^l_i = Σ_j W_ij h_j is
/// symmetric about zero and continuous, and the rows of W^l are independent, so
/// K_l ~ Binomial(width, 1/2) whatever k is; given k = 0, a^l = 0 and K_l = 0. So the
/// chain's transition from any k >= 1 is the same, the layer dies with probability
/// 2^-width, and P(alive after l layers) = (1 - 2^-width)^l (the born-dead law; the
/// phenomenon is Lu et al., 2019); this function iterates the full chain and the tests check it against that
/// closed form. A zero width is an error.
pub fn born_alive_probability(width: usize, depth: usize) -> Result<Vec<f64>> {
    at_least_one("width", width)?;
    // Binomial(width, 1/2) probabilities, by the recurrence C(n, j+1) = C(n, j) (n-j)/(j+1).
    let mut binom = vec![math::powi(0.5, width as i32); width + 1];
    for j in 0..width {
        binom[j + 1] = binom[j] * (width - j) as f64 / (j + 1) as f64;
    }
    // p[k] = P(K_l = k); the input is one live "unit".
    let mut p = vec![0.0; width + 1];
    p[1.min(width)] = 1.0;
    let mut alive = Vec::with_capacity(depth);
    for _ in 0..depth {
        let mut next = vec![0.0; width + 1];
        next[0] = p[0];
        for &pk in p.iter().skip(1) {
            for (j, &b) in binom.iter().enumerate() {
                next[j] += pk * b;
            }
        }
        p = next;
        alive.push(1.0 - p[0]);
    }
    Ok(alive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use initnet::random::{Distribution, StandardNormal};

    #[test]
    fn the_chain_gives_the_closed_form() {
        for width in 1..=6 {
            let alive = born_alive_probability(width, 40).unwrap();
            for (l, p) in alive.iter().enumerate() {
                let closed = math::powi(1.0 - math::powi(0.5, width as i32), l as i32 + 1);
                assert!((p - closed).abs() < 1e-12, "width {width}, layer {}", l + 1);
            }
        }
        assert!(born_alive_probability(3, 0).unwrap().is_empty());
        let e = born_alive_probability(0, 3).unwrap_err();
        assert_eq!(e.to_string(), "width must be at least 1, got 0");
    }

    #[test]
    fn relative_variance_closed_form() {
        // One layer: only the two chi-square norms, (1 + 2/n)^2 - 1.
        let v = relative_variance(5.0, 100, 3).unwrap();
        assert!((v[0] - (math::powi(1.02, 2) - 1.0)).abs() < 1e-15);
        // Each further layer multiplies 1 + v by 1 + kappa/n.
        assert!(((1.0 + v[2]) / (1.0 + v[1]) - 1.05).abs() < 1e-14);
        assert!(relative_variance(5.0, 0, 3).is_err());
        assert!(relative_variance(f64::NAN, 10, 3).is_err());
    }

    /// The one-layer sd against a simulation: 400 draws of a 20-unit layer of fan-in 8 on
    /// a batch of 10. The sample sd of 400 draws is within 4 of its standard errors
    /// (about sd / sqrt(2 * 400), up to the kurtosis) of the truth.
    #[test]
    fn one_layer_rms_sd_matches_a_simulation() {
        let (n, units, batch, draws) = (8, 20, 10, 400);
        let mut rng = initnet::rng(5);
        let mut ratios = Vec::with_capacity(draws);
        for _ in 0..draws {
            let mut draw = |len: usize| -> Vec<f64> {
                (0..len).map(|_| StandardNormal.sample(&mut rng)).collect()
            };
            let (x, w) = (draw(batch * n), draw(units * n));
            let mut m = 0.0;
            for i in 0..batch {
                for j in 0..units {
                    let a: f64 = (0..n).map(|k| x[i * n + k] * w[j * n + k]).sum();
                    m += a * a;
                }
            }
            ratios.push((m / (batch * units) as f64 / n as f64).sqrt());
        }
        let (_, sd) = initnet::mean_std(&ratios);
        let want = one_layer_rms_sd(n, units, batch).unwrap();
        let se = want / (2.0 * draws as f64).sqrt();
        assert!((sd - want).abs() < 4.0 * se * 1.5, "{sd} vs {want}");
        assert!(one_layer_rms_sd(0, 1, 1).is_err());
        assert!(one_layer_rms_sd(1, 0, 1).is_err());
        assert!(one_layer_rms_sd(1, 1, 0).is_err());
    }

    #[test]
    fn linear_stack_sd_reduces_to_one_layer() {
        // At l = 1 the two formulas agree to first order in 1/n.
        let (n, batch) = (500, 1000);
        let one = one_layer_rms_sd(n, n, batch).unwrap();
        let lin = linear_stack_rms_sd(n, batch, 1).unwrap();
        assert!((lin / one - 1.0).abs() < 0.01, "{lin} vs {one}");
        // The matrix part grows like l / n, the batch part like sqrt(l).
        let deep = linear_stack_rms_sd(100, 1_000_000, 50).unwrap();
        assert!((deep - 0.5 * (50.0 * 51.0f64).sqrt() / 100.0).abs() < 1e-3);
        assert!(linear_stack_rms_sd(0, 1, 1).is_err());
        assert!(linear_stack_rms_sd(1, 0, 1).is_err());
    }
}

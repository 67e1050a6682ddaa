//! Singular values, from nalgebra's SVD, and the moments of a spectrum.
//!
//! nalgebra's SVD is pure Rust, but its products go through matrixmultiply, whose kernel
//! depends on the CPU (FMA or not): its singular values may differ in the last bits from
//! one CPU to another. The chapter therefore states only tolerances about them (far wider
//! than rounding) and rounds what it charts ([`round_to`]). Everything the chapter states
//! exactly (the weights, the products, the moments computed from traces) uses initnet's
//! portable arithmetic and never the SVD.

use initnet::kernels::matmul;
use initnet::ndarray::Array2;
use initnet::{Init, rng};

use crate::Error;

/// The singular values of `m`, largest first (nalgebra's SVD).
pub fn singular_values(m: &Array2<f64>) -> Vec<f64> {
    let (r, c) = m.dim();
    let mat = nalgebra::DMatrix::from_fn(r, c, |i, j| m[[i, j]]);
    let mut s: Vec<f64> = mat.singular_values().iter().copied().collect();
    s.sort_by(|a, b| b.total_cmp(a));
    s
}

/// `x` rounded to `digits` significant digits: what the chapter's charts draw from values
/// that may differ in their last bits between CPUs.
pub fn round_to(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let e = initnet::math::log10(x.abs()).floor() as i32 - digits + 1;
    let scale = initnet::math::powi(10.0, -e);
    (x * scale).round() / scale
}

/// The first two moments of the squared singular values λ of `m` (n columns), from
/// traces, in portable arithmetic: (tr(MᵀM)/n, tr((MᵀM)²)/n). No SVD needed.
pub fn lambda_moments(m: &Array2<f64>) -> (f64, f64) {
    let n = m.ncols() as f64;
    let gram = matmul(&m.t(), m);
    let m1 = gram.diag().sum() / n;
    let m2 = gram.iter().map(|x| x * x).sum::<f64>() / n;
    (m1, m2)
}

/// The Kolmogorov–Smirnov distance between the law of W₁₁ over `draws` Haar orthogonal
/// n × n matrices (from `rng(seed)`, one after another) and its exact law, for n = 2 (the
/// arcsine law, CDF 1 - arccos(t)/π), n = 3 (uniform on [-1, 1]) or n = 5 (CDF
/// 1/2 + (3t - t³)/4). Independent draws from the right law exceed 1.95/√draws with
/// probability 0.001. Another n is an error naming it.
pub fn haar_entry_ks(n: usize, draws: usize, seed: u64) -> Result<f64, Error> {
    let cdf: fn(f64) -> f64 = match n {
        2 => |t| 1.0 - initnet::math::acos(t.clamp(-1.0, 1.0)) / std::f64::consts::PI,
        3 => |t| (1.0 + t) / 2.0,
        5 => |t| 0.5 + (3.0 * t - t * t * t) / 4.0,
        _ => {
            return Err(Error::Unknown {
                what: "closed-form Haar entry law",
                name: n.to_string(),
                expected: "n = 2, 3 or 5",
            });
        }
    };
    if draws == 0 {
        return Err(Error::Zero("number of draws"));
    }
    let mut g = rng(seed);
    let mut x = Vec::with_capacity(draws);
    for _ in 0..draws {
        x.push(Init::orthogonal().sample(n, n, &mut g)?[[0, 0]]);
    }
    x.sort_by(f64::total_cmp);
    let m = draws as f64;
    Ok(x.iter()
        .enumerate()
        .map(|(i, &xi)| {
            let f = cdf(xi);
            (f - i as f64 / m).abs().max((f - (i + 1) as f64 / m).abs())
        })
        .fold(0.0, f64::max))
}

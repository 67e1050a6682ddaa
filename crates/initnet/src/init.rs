//! Weight and bias initializers.
//!
//! A weight matrix W has shape (n_out, n_in). Each scheme fixes the variance of
//! its entries; an optional `gain` multiplies every entry (so the variance by gain^2).
//!
//! Every function here that concerns a layer takes its sizes in one order, n_in then
//! n_out, as in the formulas below and in [`Dense::init`](crate::Dense::init): a layer maps
//! n_in inputs to n_out units. Matrices come back with shape (n_out, n_in).
//!
//! | scheme | Var(W) | normal std | uniform limit |
//! |---|---|---|---|
//! | LeCun | 1/n_in | sqrt(1/n_in) | sqrt(3/n_in) |
//! | Glorot / Xavier | 2/(n_in+n_out) | sqrt(2/(n_in+n_out)) | sqrt(6/(n_in+n_out)) |
//! | He / Kaiming | 2/((1+alpha^2) n_in) | sqrt(2/((1+alpha^2) n_in)) | sqrt(6/((1+alpha^2) n_in)) |
//!
//! The article's "Xavier" code, `randn * sqrt(1/n_in)`, is [`Scheme::LecunNormal`].
//!
//! [`Scheme::Orthogonal`] is not a law per entry but a law on the whole matrix: W is
//! drawn from the Haar (uniform) law on the (semi-)orthogonal matrices of its shape and
//! multiplied by the gain g, so W^T W = g^2 I when n_out >= n_in and W W^T = g^2 I when
//! n_out <= n_in (Saxe et al. 2014). Each entry then has variance g^2 / max(n_in, n_out).
//! [`haar_orthogonal`] draws it: the QR factorization of a Gaussian matrix by Householder
//! reflections, with the sign correction that makes the law exactly Haar (Mezzadri 2007).

use std::fmt;
use std::str::FromStr;

use crate::random::{Distribution, Normal, Uniform};
use ndarray::{Array1, Array2};
use rand::Rng;

use crate::error::{Error, Result, finite, non_negative, positive};

/// How the entries of a weight matrix are drawn, before the gain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scheme {
    /// Every weight 0.
    Zeros,
    /// Every weight equal to the constant.
    Constant(f64),
    /// N(0, std^2).
    Normal {
        /// Standard deviation.
        std: f64,
    },
    /// U(-limit, limit), variance limit^2 / 3.
    Uniform {
        /// Half-width of the interval.
        limit: f64,
    },
    /// N(0, 1/n_in) (LeCun 1998; the article's "Xavier" code).
    LecunNormal,
    /// U(-sqrt(3/n_in), sqrt(3/n_in)), variance 1/n_in.
    LecunUniform,
    /// N(0, 2/(n_in+n_out)) (Glorot and Bengio 2010).
    XavierNormal,
    /// U(-sqrt(6/(n_in+n_out)), sqrt(6/(n_in+n_out))), variance 2/(n_in+n_out).
    XavierUniform,
    /// N(0, 2/((1+alpha^2) n_in)) (He et al. 2015); alpha = 0 for ReLU.
    HeNormal {
        /// Negative slope of the leaky ReLU the scheme is for (0 for ReLU).
        alpha: f64,
    },
    /// Uniform with variance 2/((1+alpha^2) n_in).
    HeUniform {
        /// Negative slope of the leaky ReLU the scheme is for (0 for ReLU).
        alpha: f64,
    },
    /// Haar-distributed (semi-)orthogonal (Saxe et al. 2014): W^T W = I (n_out >= n_in)
    /// or W W^T = I (n_out <= n_in) before the gain; see [`haar_orthogonal`].
    Orthogonal,
}

/// A weight initializer: a [`Scheme`] and a gain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Init {
    /// How the weights are drawn.
    pub scheme: Scheme,
    /// Every weight is multiplied by this (default 1).
    pub gain: f64,
}

impl Init {
    fn of(scheme: Scheme) -> Self {
        Init { scheme, gain: 1.0 }
    }
    /// All weights zero.
    pub fn zeros() -> Self {
        Self::of(Scheme::Zeros)
    }
    /// All weights `c`.
    pub fn constant(c: f64) -> Result<Self> {
        finite("constant", c)?;
        Ok(Self::of(Scheme::Constant(c)))
    }
    /// N(0, std^2); `std` must be finite and >= 0.
    pub fn normal(std: f64) -> Result<Self> {
        non_negative("standard deviation", std)?;
        Ok(Self::of(Scheme::Normal { std }))
    }
    /// U(-limit, limit); `limit` must be finite and >= 0.
    pub fn uniform(limit: f64) -> Result<Self> {
        non_negative("uniform limit", limit)?;
        Ok(Self::of(Scheme::Uniform { limit }))
    }
    /// LeCun normal, Var = 1/n_in.
    pub fn lecun_normal() -> Self {
        Self::of(Scheme::LecunNormal)
    }
    /// LeCun uniform, Var = 1/n_in.
    pub fn lecun_uniform() -> Self {
        Self::of(Scheme::LecunUniform)
    }
    /// Glorot/Xavier normal, Var = 2/(n_in+n_out).
    pub fn xavier_normal() -> Self {
        Self::of(Scheme::XavierNormal)
    }
    /// Glorot/Xavier uniform, Var = 2/(n_in+n_out).
    pub fn xavier_uniform() -> Self {
        Self::of(Scheme::XavierUniform)
    }
    /// He/Kaiming normal for ReLU, Var = 2/n_in.
    pub fn he_normal() -> Self {
        Self::of(Scheme::HeNormal { alpha: 0.0 })
    }
    /// He/Kaiming uniform for ReLU, Var = 2/n_in.
    pub fn he_uniform() -> Self {
        Self::of(Scheme::HeUniform { alpha: 0.0 })
    }
    /// He normal for a leaky ReLU of slope `alpha`, Var = 2/((1+alpha^2) n_in).
    pub fn he_normal_leaky(alpha: f64) -> Result<Self> {
        non_negative("leaky ReLU alpha", alpha)?;
        Ok(Self::of(Scheme::HeNormal { alpha }))
    }
    /// He uniform for a leaky ReLU of slope `alpha`.
    pub fn he_uniform_leaky(alpha: f64) -> Result<Self> {
        non_negative("leaky ReLU alpha", alpha)?;
        Ok(Self::of(Scheme::HeUniform { alpha }))
    }
    /// Haar-distributed (semi-)orthogonal weights, W^T W = I or W W^T = I: Var =
    /// 1/max(n_in, n_out). With a gain g (`Init::orthogonal().with_gain(g)`), W^T W = g^2 I.
    pub fn orthogonal() -> Self {
        Self::of(Scheme::Orthogonal)
    }
    /// The same scheme with every weight multiplied by `gain` (finite, > 0).
    pub fn with_gain(self, gain: f64) -> Result<Self> {
        positive("gain", gain)?;
        Ok(Init { gain, ..self })
    }

    /// Var(W_ij) for a layer with `n_in` inputs and `n_out` outputs, gain included.
    /// For `Zeros` and `Constant` it is 0.
    pub fn variance(&self, n_in: usize, n_out: usize) -> f64 {
        let (n_in, n_out) = (n_in as f64, n_out as f64);
        let base = match self.scheme {
            Scheme::Zeros | Scheme::Constant(_) => 0.0,
            Scheme::Normal { std } => std * std,
            Scheme::Uniform { limit } => limit * limit / 3.0,
            Scheme::LecunNormal | Scheme::LecunUniform => 1.0 / n_in,
            Scheme::XavierNormal | Scheme::XavierUniform => 2.0 / (n_in + n_out),
            Scheme::HeNormal { alpha } | Scheme::HeUniform { alpha } => {
                2.0 / ((1.0 + alpha * alpha) * n_in)
            }
            // Every column (n_out >= n_in) or row (n_out <= n_in) is a unit vector of
            // length max(n_in, n_out) whose entries share the same law.
            Scheme::Orthogonal => 1.0 / n_in.max(n_out),
        };
        // Written so that a huge gain on a zero variance stays 0 (not inf * 0 = NaN).
        if base == 0.0 {
            0.0
        } else {
            self.gain * self.gain * base
        }
    }

    /// `E[W_ij]`: zero except for a constant.
    pub fn mean(&self) -> f64 {
        match self.scheme {
            Scheme::Constant(c) => self.gain * c,
            _ => 0.0,
        }
    }

    /// Whether the scheme draws from a normal (as opposed to uniform or constant) law.
    fn is_normal(&self) -> bool {
        matches!(
            self.scheme,
            Scheme::Normal { .. }
                | Scheme::LecunNormal
                | Scheme::XavierNormal
                | Scheme::HeNormal { .. }
        )
    }

    /// Draw the weight matrix of a layer with `n_in` inputs and `n_out` units: shape
    /// (n_out, n_in), drawn row by row, entries of variance [`Init::variance`]`(n_in, n_out)`.
    pub fn sample<R: Rng + ?Sized>(
        &self,
        n_in: usize,
        n_out: usize,
        rng: &mut R,
    ) -> Result<Array2<f64>> {
        if n_out == 0 || n_in == 0 {
            return Err(Error::Zero {
                what: format!("weight matrix shape ({n_out}, {n_in})"),
            });
        }
        let var = self.variance(n_in, n_out);
        // A finite std, limit, constant or gain can still overflow once squared or multiplied
        // (normal:1e200 has variance 1e400 = inf): an error, not a panic or infinite weights.
        match self.scheme {
            Scheme::Zeros | Scheme::Constant(_) if !self.mean().is_finite() => {
                return Err(Error::OutOfRange {
                    name: "constant weight",
                    expected: "finite",
                    value: self.mean(),
                });
            }
            Scheme::Zeros | Scheme::Constant(_) => {}
            _ if !var.is_finite() => {
                return Err(Error::OutOfRange {
                    name: "weight variance",
                    expected: "finite",
                    value: var,
                });
            }
            _ => {}
        }
        let w = match self.scheme {
            Scheme::Zeros => Array2::zeros((n_out, n_in)),
            Scheme::Constant(c) => Array2::from_elem((n_out, n_in), self.gain * c),
            _ if var == 0.0 => Array2::zeros((n_out, n_in)),
            Scheme::Orthogonal => haar_orthogonal(n_in, n_out, rng)?.mapv(|x| self.gain * x),
            _ if self.is_normal() => {
                let normal = Normal::new(0.0, var.sqrt())?;
                Array2::from_shape_simple_fn((n_out, n_in), || normal.sample(rng))
            }
            _ => {
                let limit = (3.0 * var).sqrt();
                let uniform = Uniform::new_inclusive(-limit, limit).expect("limit checked finite");
                Array2::from_shape_simple_fn((n_out, n_in), || uniform.sample(rng))
            }
        };
        Ok(w)
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::Zeros => write!(f, "zeros")?,
            Scheme::Constant(c) => write!(f, "constant:{c}")?,
            Scheme::Normal { std } => write!(f, "normal:{std}")?,
            Scheme::Uniform { limit } => write!(f, "uniform:{limit}")?,
            Scheme::LecunNormal => write!(f, "lecun-normal")?,
            Scheme::LecunUniform => write!(f, "lecun-uniform")?,
            Scheme::XavierNormal => write!(f, "xavier-normal")?,
            Scheme::XavierUniform => write!(f, "xavier-uniform")?,
            Scheme::HeNormal { alpha: 0.0 } => write!(f, "he-normal")?,
            Scheme::HeUniform { alpha: 0.0 } => write!(f, "he-uniform")?,
            Scheme::HeNormal { alpha } => write!(f, "he-normal:{alpha}")?,
            Scheme::HeUniform { alpha } => write!(f, "he-uniform:{alpha}")?,
            Scheme::Orthogonal => write!(f, "orthogonal")?,
        }
        if self.gain != 1.0 {
            write!(f, " (gain {})", self.gain)?;
        }
        Ok(())
    }
}

impl FromStr for Init {
    type Err = Error;

    /// Parses `zeros`, `constant:C`, `normal:STD`, `uniform:LIMIT`, `lecun-normal`,
    /// `lecun-uniform`, `xavier-normal`, `xavier-uniform`, `he-normal`, `he-uniform`,
    /// `orthogonal`, and `he-normal:ALPHA` / `he-uniform:ALPHA` for leaky ReLU. `xavier`, `glorot`,
    /// `lecun` and `he` (or `kaiming`) alone mean the normal variant; `glorot-*` and
    /// `kaiming-*` are accepted for `xavier-*` and `he-*`.
    fn from_str(text: &str) -> Result<Self> {
        let err = |reason: String| Error::Parse {
            what: "initializer",
            text: text.to_string(),
            reason,
        };
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n.trim().to_ascii_lowercase(), Some(a.trim())),
            None => (text.trim().to_ascii_lowercase(), None),
        };
        let number = |a: &str| -> Result<f64> {
            a.parse::<f64>()
                .map_err(|_| err(format!("{a:?} is not a number")))
        };
        let name = name
            .replace('_', "-")
            .replace("glorot", "xavier")
            .replace("kaiming", "he");
        let wrap = |r: Result<Init>| r.map_err(|e| err(e.to_string()));
        match (name.as_str(), arg) {
            ("zeros" | "zero", None) => Ok(Init::zeros()),
            ("constant", Some(a)) => wrap(Init::constant(number(a)?)),
            ("normal", Some(a)) => wrap(Init::normal(number(a)?)),
            ("uniform", Some(a)) => wrap(Init::uniform(number(a)?)),
            ("lecun" | "lecun-normal", None) => Ok(Init::lecun_normal()),
            ("lecun-uniform", None) => Ok(Init::lecun_uniform()),
            ("xavier" | "xavier-normal", None) => Ok(Init::xavier_normal()),
            ("xavier-uniform", None) => Ok(Init::xavier_uniform()),
            ("he" | "he-normal", None) => Ok(Init::he_normal()),
            ("he-uniform", None) => Ok(Init::he_uniform()),
            ("he" | "he-normal", Some(a)) => wrap(Init::he_normal_leaky(number(a)?)),
            ("he-uniform", Some(a)) => wrap(Init::he_uniform_leaky(number(a)?)),
            ("orthogonal" | "orth", None) => Ok(Init::orthogonal()),
            ("constant" | "normal" | "uniform", None) => {
                Err(err(format!("{name} needs a value, as in {name}:0.5")))
            }
            _ => Err(err(
                "expected zeros, constant:C, normal:STD, uniform:LIMIT, lecun-normal, lecun-uniform, \
                 xavier-normal, xavier-uniform, he-normal, he-uniform, orthogonal"
                    .to_string(),
            )),
        }
    }
}

/// A Haar-distributed (semi-)orthogonal matrix of shape (n_out, n_in), before any gain:
/// orthonormal columns (W^T W = I) when n_out >= n_in, orthonormal rows (W W^T = I) when
/// n_out < n_in.
///
/// The recipe (Mezzadri 2007): draw a Gaussian matrix G of shape (m, k), m = max(n_in,
/// n_out) >= k = min(n_in, n_out), with independent N(0, 1) entries (row by row); factor
/// G = QR by Householder reflections; multiply column j of Q by the sign of R_jj. The
/// sign correction matters: a QR routine fixes the signs of R's diagonal by its own
/// convention (Householder makes R_00 = -sign(G_00) |G_{.0}|, so Q_00 would never be
/// positive), and only Q diag(sign R_jj), the factor with a positive diagonal in R, has
/// the Haar law. W is Q (tall or square) or Q^T (wide).
///
/// Only +, -, *, / and sqrt in a fixed order: the same bits on every CPU.
///
/// ```
/// let w = initnet::init::haar_orthogonal(3, 5, &mut initnet::rng(0))?;
/// assert_eq!(w.dim(), (5, 3));
/// // W^T W = I to rounding.
/// let wtw = w.t().to_owned();
/// for i in 0..3 {
///     for j in 0..3 {
///         let dot: f64 = (0..5).map(|k| wtw[[i, k]] * w[[k, j]]).sum();
///         assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-14);
///     }
/// }
/// # Ok::<(), initnet::Error>(())
/// ```
pub fn haar_orthogonal<R: Rng + ?Sized>(
    n_in: usize,
    n_out: usize,
    rng: &mut R,
) -> Result<Array2<f64>> {
    if n_out == 0 || n_in == 0 {
        return Err(Error::Zero {
            what: format!("weight matrix shape ({n_out}, {n_in})"),
        });
    }
    let (m, k) = (n_in.max(n_out), n_in.min(n_out));
    let normal = Normal::new(0.0, 1.0)?;
    let mut a = Array2::from_shape_simple_fn((m, k), || normal.sample(rng));
    let q = householder_q(&mut a);
    Ok(if n_out >= n_in { q } else { q.t().to_owned() })
}

/// The thin factor Q (m x k) of A = QR, m >= k, by Householder reflections, with its
/// columns' signs chosen so that R's diagonal is positive. `a` is overwritten by R (in its
/// upper triangle) and scratch.
fn householder_q(a: &mut Array2<f64>) -> Array2<f64> {
    householder_q_signs(a, true)
}

/// [`householder_q`], with the sign correction optional (`correct = false` keeps
/// Householder's own signs: only the tests use it, to show the correction matters).
fn householder_q_signs(a: &mut Array2<f64>, correct: bool) -> Array2<f64> {
    let (m, k) = a.dim();
    // The columns, each contiguous: the same operations in the same order as on `a`'s
    // columns (the same bits), without striding through a row-major matrix.
    let mut cols: Vec<Vec<f64>> = (0..k).map(|c| a.column(c).to_vec()).collect();
    let mut reflectors: Vec<Vec<f64>> = Vec::with_capacity(k);
    let mut signs = vec![1.0; k];
    for j in 0..k {
        // x = A[j.., j]; the reflection H = I - 2 v v^T / (v^T v) maps x to alpha e_1.
        let norm = cols[j][j..].iter().map(|x| x * x).sum::<f64>().sqrt();
        let x0 = cols[j][j];
        let alpha = if x0 > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = cols[j][j..].to_vec();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|x| x * x).sum();
        if vv > 0.0 {
            for col in &mut cols[j..k] {
                reflect(&v, vv, &mut col[j..]);
            }
        }
        // R_jj = alpha after the reflection (alpha = 0 only for a zero column).
        signs[j] = if alpha < 0.0 { -1.0 } else { 1.0 };
        reflectors.push(if vv > 0.0 { v } else { Vec::new() });
    }
    for (c, col) in cols.iter().enumerate() {
        for (i, &x) in col.iter().enumerate() {
            a[[i, c]] = x;
        }
    }
    // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity, last first.
    let mut q: Vec<Vec<f64>> = (0..k)
        .map(|c| {
            let mut e = vec![0.0; m];
            e[c] = 1.0;
            e
        })
        .collect();
    for j in (0..k).rev() {
        let v = &reflectors[j];
        if v.is_empty() {
            continue;
        }
        let vv: f64 = v.iter().map(|x| x * x).sum();
        for col in &mut q {
            reflect(v, vv, &mut col[j..]);
        }
    }
    Array2::from_shape_fn(
        (m, k),
        |(i, c)| {
            if correct { signs[c] * q[c][i] } else { q[c][i] }
        },
    )
}

/// x <- x - (2 v.x / vv) v: one Householder reflection of the column part `x`.
fn reflect(v: &[f64], vv: f64, x: &mut [f64]) {
    let dot: f64 = v.iter().zip(x.iter()).map(|(vi, xi)| vi * xi).sum();
    let f = 2.0 * dot / vv;
    for (vi, xi) in v.iter().zip(x.iter_mut()) {
        *xi -= f * vi;
    }
}

/// How the biases are initialized: zeros by default.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum BiasInit {
    /// Every bias 0.
    #[default]
    Zeros,
    /// Every bias equal to the constant (a small positive value is one remedy for dying ReLU).
    Constant(f64),
    /// U(-1/sqrt(n_in), 1/sqrt(n_in)), variance 1/(3 n_in): PyTorch's `nn.Linear` default.
    FanInUniform,
}

impl BiasInit {
    /// Var(b_j) for a layer with `n_in` inputs: 0 for constants, 1/(3 n_in) for [`BiasInit::FanInUniform`].
    pub fn variance(&self, n_in: usize) -> f64 {
        match *self {
            BiasInit::Zeros | BiasInit::Constant(_) => 0.0,
            BiasInit::FanInUniform => 1.0 / (3.0 * n_in as f64),
        }
    }

    /// A bias vector of length `n_out` for a layer with `n_in` inputs. Only
    /// [`BiasInit::FanInUniform`] draws from `rng`; the constant variants leave it untouched.
    pub fn sample<R: Rng + ?Sized>(
        &self,
        n_in: usize,
        n_out: usize,
        rng: &mut R,
    ) -> Result<Array1<f64>> {
        if n_out == 0 || n_in == 0 {
            return Err(Error::Zero {
                what: format!("bias of a layer with shape ({n_out}, {n_in})"),
            });
        }
        Ok(match *self {
            BiasInit::Zeros => Array1::zeros(n_out),
            BiasInit::Constant(c) => Array1::from_elem(n_out, finite("bias constant", c)?),
            BiasInit::FanInUniform => {
                let limit = 1.0 / (n_in as f64).sqrt();
                let uniform = Uniform::new_inclusive(-limit, limit).expect("limit is finite");
                Array1::from_shape_simple_fn(n_out, || uniform.sample(rng))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    /// Every initializer's sample variance agrees with its stated variance.
    ///
    /// For N iid draws, the sample variance s^2 has standard deviation
    /// sqrt((mu4 - sigma^4)/N): sqrt(2/N) sigma^2 for a normal law (kurtosis 3) and
    /// sqrt(0.8/N) sigma^2 for a uniform one (kurtosis 9/5). We allow 5 such standard
    /// deviations, so a correct initializer fails with probability below 1e-6 per check.
    #[test]
    fn sampled_variance_matches_the_formula() {
        let (n_out, n_in) = (300, 200);
        let n = (n_out * n_in) as f64;
        let inits = [
            Init::normal(0.5).unwrap(),
            Init::uniform(0.3).unwrap(),
            Init::lecun_normal(),
            Init::lecun_uniform(),
            Init::xavier_normal(),
            Init::xavier_uniform(),
            Init::he_normal(),
            Init::he_uniform(),
            Init::he_normal_leaky(0.2).unwrap(),
            Init::he_uniform_leaky(0.2).unwrap(),
            Init::xavier_normal().with_gain(5.0 / 3.0).unwrap(),
        ];
        for seed in 0..5 {
            for init in inits {
                let w = init.sample(n_in, n_out, &mut rng(seed)).unwrap();
                let mean = w.mean().unwrap();
                let var = w.mapv(|x| (x - mean) * (x - mean)).sum() / (n - 1.0);
                let expected = init.variance(n_in, n_out);
                let rel_sd = if init.is_normal() {
                    (2.0 / n).sqrt()
                } else {
                    (0.8 / n).sqrt()
                };
                assert!(
                    (var / expected - 1.0).abs() < 5.0 * rel_sd,
                    "{init}: sampled {var}, expected {expected}"
                );
                // The mean is 0 within 5 standard errors sqrt(var / n).
                assert!(
                    mean.abs() < 5.0 * (expected / n).sqrt(),
                    "{init}: mean {mean}"
                );
            }
        }
    }

    #[test]
    fn variances_follow_the_table() {
        assert_eq!(Init::lecun_normal().variance(4, 7), 0.25);
        assert_eq!(Init::xavier_uniform().variance(3, 5), 0.25);
        assert_eq!(Init::he_normal().variance(8, 1), 0.25);
        assert!((Init::he_normal_leaky(1.0).unwrap().variance(4, 1) - 0.25).abs() < 1e-15);
        assert_eq!(Init::uniform(3.0).unwrap().variance(1, 1), 3.0);
        assert_eq!(
            Init::normal(2.0)
                .unwrap()
                .with_gain(0.5)
                .unwrap()
                .variance(9, 9),
            1.0
        );
    }

    #[test]
    fn uniform_schemes_stay_inside_their_limit() {
        let init = Init::xavier_uniform();
        let w = init.sample(30, 50, &mut rng(1)).unwrap();
        assert_eq!(w.dim(), (50, 30));
        let limit = (6.0 / 80.0f64).sqrt();
        assert!(w.iter().all(|x| x.abs() <= limit));
    }

    /// PyTorch's bias: inside +-1/sqrt(n_in), sample variance 1/(3 n_in) within 5 standard
    /// errors (relative sd of a uniform law's sample variance is sqrt(0.8/N)).
    #[test]
    fn fan_in_uniform_bias_has_its_variance() {
        let (n_in, n_out) = (16, 20_000);
        let b = BiasInit::FanInUniform
            .sample(n_in, n_out, &mut rng(3))
            .unwrap();
        assert!(b.iter().all(|x| x.abs() <= 0.25));
        let var = b.mapv(|x| x * x).sum() / n_out as f64;
        let expected = BiasInit::FanInUniform.variance(n_in);
        assert_eq!(expected, 1.0 / 48.0);
        assert!(
            (var / expected - 1.0).abs() < 5.0 * (0.8 / n_out as f64).sqrt(),
            "{var}"
        );
        // The constant variants draw nothing, so they leave a generator's stream as it was.
        let mut r = rng(5);
        BiasInit::Constant(0.1).sample(2, 3, &mut r).unwrap();
        assert_eq!(
            Init::lecun_normal().sample(2, 2, &mut r).unwrap(),
            Init::lecun_normal().sample(2, 2, &mut rng(5)).unwrap()
        );
    }

    #[test]
    fn constant_and_zeros_are_exact() {
        let w = Init::constant(0.5)
            .unwrap()
            .sample(3, 2, &mut rng(0))
            .unwrap();
        assert!(w.iter().all(|&x| x == 0.5));
        let w = Init::zeros().sample(3, 2, &mut rng(0)).unwrap();
        assert!(w.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn bad_values_are_errors_that_name_the_value() {
        let e = Init::normal(-1.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "standard deviation must be finite and >= 0, got -1"
        );
        assert!(Init::normal(f64::NAN).is_err());
        assert!(Init::uniform(f64::INFINITY).is_err());
        assert!(Init::he_normal().with_gain(0.0).is_err());
        assert!(Init::he_normal_leaky(-0.1).is_err());
        assert!(Init::constant(f64::NAN).is_err());
        assert!(
            BiasInit::Constant(f64::NAN)
                .sample(2, 3, &mut rng(0))
                .is_err()
        );
        assert!(matches!(
            BiasInit::FanInUniform.sample(0, 3, &mut rng(0)),
            Err(Error::Zero { .. })
        ));
        assert!(matches!(
            Init::zeros().sample(3, 0, &mut rng(0)),
            Err(Error::Zero { .. })
        ));
        let e = "normal:-2".parse::<Init>().unwrap_err().to_string();
        assert!(e.contains("-2"), "{e}");
    }

    #[test]
    fn overflowing_variances_are_errors() {
        let huge = [
            Init::normal(1e200).unwrap(),
            Init::uniform(1e200).unwrap(),
            Init::xavier_normal().with_gain(1e300).unwrap(),
            Init::he_uniform().with_gain(1e300).unwrap(),
        ];
        for init in huge {
            let e = init.sample(2, 3, &mut rng(0)).unwrap_err();
            assert_eq!(
                e.to_string(),
                "weight variance must be finite, got inf",
                "{init}"
            );
        }
        let e = Init::constant(1e200)
            .unwrap()
            .with_gain(1e200)
            .unwrap()
            .sample(2, 3, &mut rng(0))
            .unwrap_err();
        assert_eq!(e.to_string(), "constant weight must be finite, got inf");
        assert!(
            Init::normal(1e150)
                .unwrap()
                .sample(2, 3, &mut rng(0))
                .is_ok()
        );
        assert_eq!(Init::zeros().with_gain(1e300).unwrap().variance(2, 3), 0.0);
    }

    /// The largest |(W^T W)_ij - g^2 delta_ij| (tall or square W) or the same for W W^T
    /// (wide W).
    fn orthogonality_error(w: &Array2<f64>, g: f64) -> f64 {
        let (n_out, n_in) = w.dim();
        let (gram, k) = if n_out >= n_in {
            (w.t().to_owned(), n_in)
        } else {
            (w.to_owned(), n_out)
        };
        let other = if n_out >= n_in {
            w.to_owned()
        } else {
            w.t().to_owned()
        };
        let mut worst: f64 = 0.0;
        for i in 0..k {
            for j in 0..k {
                let dot: f64 = (0..gram.ncols())
                    .map(|t| gram[[i, t]] * other[[t, j]])
                    .sum();
                let target = if i == j { g * g } else { 0.0 };
                worst = worst.max((dot - target).abs());
            }
        }
        worst
    }

    /// W^T W = g^2 I (or W W^T for wide layers) to rounding: a few ulps per entry of a
    /// sum of n products, so we allow 1e-14 n g^2.
    #[test]
    fn orthogonal_weights_are_orthogonal_to_rounding() {
        for (n_in, n_out) in [(1, 1), (7, 7), (64, 64), (10, 40), (40, 10), (200, 200)] {
            for g in [1.0, 0.5, 1.3] {
                let init = Init::orthogonal().with_gain(g).unwrap();
                let w = init.sample(n_in, n_out, &mut rng(11)).unwrap();
                assert_eq!(w.dim(), (n_out, n_in));
                let err = orthogonality_error(&w, g);
                let tol = 1e-14 * n_in.max(n_out) as f64 * g * g;
                assert!(err < tol, "{n_in}x{n_out} g {g}: {err:e}");
                // Var(W_ij) = g^2 / max(n_in, n_out) exactly in the mean over all entries.
                let mean_square = w.mapv(|x| x * x).sum() / (n_in * n_out) as f64;
                let predicted = init.variance(n_in, n_out);
                assert!((mean_square - predicted).abs() < tol / n_in.min(n_out) as f64);
            }
        }
        // The same seed, the same bits; another seed, another matrix.
        let a = Init::orthogonal().sample(5, 5, &mut rng(1)).unwrap();
        assert_eq!(a, Init::orthogonal().sample(5, 5, &mut rng(1)).unwrap());
        assert_ne!(a, Init::orthogonal().sample(5, 5, &mut rng(2)).unwrap());
        assert_eq!(Init::orthogonal().to_string(), "orthogonal");
        assert!(Init::orthogonal().sample(0, 3, &mut rng(0)).is_err());
    }

    /// The Kolmogorov–Smirnov distance between the sorted sample `x` and the CDF `cdf`.
    fn ks_distance(mut x: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
        x.sort_by(f64::total_cmp);
        let n = x.len() as f64;
        x.iter()
            .enumerate()
            .map(|(i, &xi)| {
                let f = cdf(xi);
                (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
            })
            .fold(0.0, f64::max)
    }

    /// The Haar law, checked on single entries. A column of a Haar orthogonal matrix is
    /// uniform on the unit sphere of R^n, so every entry has the density proportional to
    /// (1 - t^2)^((n-3)/2) on [-1, 1]: for n = 3 the uniform law on [-1, 1] (Archimedes'
    /// hat-box theorem), for n = 5 the CDF 1/2 + (3t - t^3)/4. One entry per matrix,
    /// 4000 matrices: independent draws, so the KS distance of a correct sampler exceeds
    /// 1.95 / sqrt(4000) with probability 0.001. Every position is tested, including
    /// W_00, which without the sign correction would never be positive.
    #[test]
    fn orthogonal_entries_follow_the_haar_law() {
        let draws = 4000;
        let critical = 1.95 / (draws as f64).sqrt();
        for (n, cdf) in [
            (
                3,
                Box::new(|t: f64| (1.0 + t) / 2.0) as Box<dyn Fn(f64) -> f64>,
            ),
            (5, Box::new(|t: f64| 0.5 + (3.0 * t - t * t * t) / 4.0)),
        ] {
            let mut r = rng(2024 + n as u64);
            let ws: Vec<Array2<f64>> = (0..draws)
                .map(|_| Init::orthogonal().sample(n, n, &mut r).unwrap())
                .collect();
            for (i, j) in [(0, 0), (n - 1, n - 1), (0, n - 1), (n - 1, 0), (1, 2)] {
                let x: Vec<f64> = ws.iter().map(|w| w[[i, j]]).collect();
                let d = ks_distance(x, &cdf);
                assert!(d < critical, "n {n}, W[{i},{j}]: KS {d} >= {critical}");
            }
        }
    }

    /// Without the sign correction the law is wrong: Householder's Q_00 = -|G_00| / |G_.0|
    /// is never positive, so the empirical CDF of W_00 is 1 at t = 0 where the uniform
    /// law's is 1/2, and the KS distance is at least 1/2 whatever the seed.
    #[test]
    fn the_sign_correction_is_needed() {
        let mut r = rng(2027);
        let normal = Normal::new(0.0, 1.0).unwrap();
        let x: Vec<f64> = (0..4000)
            .map(|_| {
                let mut g = Array2::from_shape_simple_fn((3, 3), || normal.sample(&mut r));
                householder_q_signs(&mut g, false)[[0, 0]]
            })
            .collect();
        let d = ks_distance(x, |t: f64| (1.0 + t) / 2.0);
        assert!(d >= 0.5, "KS {d}");
    }

    /// Moments of n W_ij^2 for a wider layer: W_ij^2 ~ Beta(1/2, (n-1)/2), so
    /// E[n W^2] = 1 and E[(n W^2)^2] = 3n/(n+2). The mean of n W_00^2 over 2000 matrices
    /// has standard error sqrt((3n/(n+2) - 1) / 2000); we allow 5 of them, and as many for
    /// the second moment with its sd sqrt(E[(nW^2)^4] - E[(nW^2)^2]^2) / sqrt(2000),
    /// E[(nW^2)^4] = 105 n^3 / ((n+2)(n+4)(n+6)).
    #[test]
    fn orthogonal_entries_have_the_haar_moments() {
        let (n, draws) = (16usize, 2000);
        let nf = n as f64;
        let mut r = rng(7);
        let y: Vec<f64> = (0..draws)
            .map(|_| {
                let w = Init::orthogonal().sample(n, n, &mut r).unwrap();
                nf * w[[3, 5]] * w[[3, 5]]
            })
            .collect();
        let m1 = y.iter().sum::<f64>() / draws as f64;
        let m2 = y.iter().map(|v| v * v).sum::<f64>() / draws as f64;
        let e2 = 3.0 * nf / (nf + 2.0);
        let e4 = 105.0 * nf * nf * nf / ((nf + 2.0) * (nf + 4.0) * (nf + 6.0));
        let se1 = ((e2 - 1.0) / draws as f64).sqrt();
        let se2 = ((e4 - e2 * e2) / draws as f64).sqrt();
        assert!((m1 - 1.0).abs() < 5.0 * se1, "{m1}");
        assert!((m2 - e2).abs() < 5.0 * se2, "{m2} vs {e2}");
    }

    /// A joint statistic of the whole matrix: for Haar W in O(n), the trace has the first
    /// moments of a standard normal (Diaconis and Shahshahani 1994): E[tr W] = 0,
    /// E[(tr W)^2] = 1 for n >= 2 and E[(tr W)^4] = 3 for n >= 4. Over 2000 draws of n = 8
    /// we allow five standard errors: 1/sqrt(2000) for the mean, sqrt(2/2000) for the
    /// mean square.
    #[test]
    fn orthogonal_trace_has_the_haar_moments() {
        let (n, draws) = (8usize, 2000);
        let mut r = rng(11);
        let t: Vec<f64> = (0..draws)
            .map(|_| {
                let w = Init::orthogonal().sample(n, n, &mut r).unwrap();
                (0..n).map(|i| w[[i, i]]).sum::<f64>()
            })
            .collect();
        let d = draws as f64;
        let m1 = t.iter().sum::<f64>() / d;
        let m2 = t.iter().map(|v| v * v).sum::<f64>() / d;
        assert!(m1.abs() < 5.0 / d.sqrt(), "mean trace {m1}");
        assert!(
            (m2 - 1.0).abs() < 5.0 * (2.0 / d).sqrt(),
            "mean square trace {m2}"
        );
    }

    #[test]
    fn parses_every_documented_name() {
        for (text, init) in [
            ("zeros", Init::zeros()),
            ("constant:0.5", Init::constant(0.5).unwrap()),
            ("normal:0.01", Init::normal(0.01).unwrap()),
            ("uniform:1", Init::uniform(1.0).unwrap()),
            ("lecun-normal", Init::lecun_normal()),
            ("lecun-uniform", Init::lecun_uniform()),
            ("xavier-normal", Init::xavier_normal()),
            ("xavier-uniform", Init::xavier_uniform()),
            ("xavier", Init::xavier_normal()),
            ("glorot-uniform", Init::xavier_uniform()),
            ("he-normal", Init::he_normal()),
            ("he-uniform", Init::he_uniform()),
            ("kaiming", Init::he_normal()),
            ("he-normal:0.1", Init::he_normal_leaky(0.1).unwrap()),
            ("orthogonal", Init::orthogonal()),
        ] {
            assert_eq!(text.parse::<Init>().unwrap(), init, "{text}");
        }
        assert!("normal".parse::<Init>().is_err());
        assert!("orthogonal:2".parse::<Init>().is_err());
        // What Display prints, FromStr reads back (without a gain).
        let o = Init::orthogonal();
        assert_eq!(o.to_string().parse::<Init>().unwrap(), o);
    }
}

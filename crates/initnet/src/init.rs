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
    /// and `he-normal:ALPHA` / `he-uniform:ALPHA` for leaky ReLU. `xavier`, `glorot`,
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
            ("constant" | "normal" | "uniform", None) => {
                Err(err(format!("{name} needs a value, as in {name}:0.5")))
            }
            _ => Err(err(
                "expected zeros, constant:C, normal:STD, uniform:LIMIT, lecun-normal, lecun-uniform, \
                 xavier-normal, xavier-uniform, he-normal, he-uniform"
                    .to_string(),
            )),
        }
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
        ] {
            assert_eq!(text.parse::<Init>().unwrap(), init, "{text}");
        }
        assert!("normal".parse::<Init>().is_err());
        assert!("orthogonal".parse::<Init>().is_err());
    }
}

//! Activation functions h = f(a) and their derivatives f'(a).
//!
//! The classic ones (identity, the logistic sigmoid, tanh, ReLU, leaky ReLU) and today's
//! smooth ones: GELU (Hendrycks and Gimpel, 2016), exact and in the tanh approximation
//! PyTorch offers as `approximate="tanh"`; SiLU or Swish-1 (Elfwing et al., 2018;
//! Ramachandran et al., 2017); ELU (Clevert et al., 2016); and SELU (Klambauer et al.,
//! 2017) with its two fixed constants [`SELU_LAMBDA`] and [`SELU_ALPHA`]. Every f' is
//! checked against finite differences (`tests/gradients.rs`).

use std::fmt;
use std::str::FromStr;

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::kernels;

/// An element-wise activation function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// f(a) = a.
    Identity,
    /// The logistic sigmoid f(a) = 1 / (1 + e^(-a)); f'(a) = f(a)(1 - f(a)) <= 1/4.
    Sigmoid,
    /// f(a) = tanh(a); f'(a) = 1 - tanh(a)^2.
    Tanh,
    /// f(a) = max(0, a); f'(a) = 1 for a > 0, else 0.
    Relu,
    /// f(a) = a for a > 0, alpha * a otherwise.
    LeakyRelu(f64),
    /// The exact GELU f(a) = a Φ(a), Φ the standard normal distribution function;
    /// f'(a) = Φ(a) + a φ(a) (Hendrycks and Gimpel, 2016).
    Gelu,
    /// GELU's tanh approximation f(a) = a (1 + tanh(√(2/π) (a + 0.044715 a³))) / 2
    /// (Hendrycks and Gimpel, 2016; PyTorch's `GELU(approximate="tanh")`, GPT-2's `gelu`).
    GeluTanh,
    /// SiLU, also Swish-1: f(a) = a σ(a), σ the logistic sigmoid;
    /// f'(a) = σ(a) (1 + a (1 - σ(a))) (Elfwing et al., 2018; Ramachandran et al., 2017).
    Silu,
    /// ELU: f(a) = a for a > 0, alpha (e^a - 1) otherwise; f'(a) = 1 for a > 0, else
    /// alpha e^a (Clevert et al., 2016). Build it with [`Activation::elu`].
    Elu(f64),
    /// SELU: λ times ELU with α, for the fixed [`SELU_LAMBDA`] λ and [`SELU_ALPHA`] α that
    /// make N(0, 1) the fixed point of mean 0 and variance 1 under LeCun normal weights
    /// (Klambauer et al., 2017).
    Selu,
}

/// SELU's scale λ (Klambauer et al., 2017, eq. 14, to the digits of their code and of
/// PyTorch's `torch.nn.SELU`).
pub const SELU_LAMBDA: f64 = 1.050_700_987_355_480_5;

/// SELU's α (Klambauer et al., 2017, eq. 14, to the digits of their code and of PyTorch's
/// `torch.nn.SELU`).
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;

/// √(2/π), the slope of GELU's tanh approximation.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;

/// The cubic coefficient of GELU's tanh approximation.
const GELU_CUBIC: f64 = 0.044_715;

/// 1/√(2π), the standard normal density at 0.
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// ELU with α: a for a > 0, α (e^a - 1) otherwise.
fn elu(alpha: f64, a: f64) -> f64 {
    if a > 0.0 {
        a
    } else {
        alpha * crate::math::expm1(a)
    }
}

/// ELU's derivative: 1 for a > 0, α e^a otherwise.
fn elu_derivative(alpha: f64, a: f64) -> f64 {
    if a > 0.0 {
        1.0
    } else {
        alpha * crate::math::exp(a)
    }
}

/// The logistic sigmoid, written so that it never overflows ([`crate::math::sigmoid`]).
pub fn sigmoid(a: f64) -> f64 {
    crate::math::sigmoid(a)
}

impl Activation {
    /// A leaky ReLU with slope `alpha` for negative inputs; `alpha` must be finite and >= 0.
    pub fn leaky_relu(alpha: f64) -> Result<Self> {
        crate::error::non_negative("leaky ReLU alpha", alpha)?;
        Ok(Activation::LeakyRelu(alpha))
    }

    /// An ELU with scale `alpha` on its negative branch (saturating at -alpha); `alpha`
    /// must be finite and >= 0 (alpha = 0 is ReLU). The usual value is 1.
    pub fn elu(alpha: f64) -> Result<Self> {
        crate::error::non_negative("ELU alpha", alpha)?;
        Ok(Activation::Elu(alpha))
    }

    /// f(a) for one value.
    pub fn f(self, a: f64) -> f64 {
        match self {
            Activation::Identity => a,
            Activation::Sigmoid => sigmoid(a),
            Activation::Tanh => crate::math::tanh(a),
            Activation::Relu => a.max(0.0),
            Activation::LeakyRelu(alpha) => {
                if a > 0.0 {
                    a
                } else {
                    alpha * a
                }
            }
            Activation::Gelu => a * crate::math::normal_cdf(a),
            Activation::GeluTanh => {
                let u = SQRT_2_OVER_PI * (a + GELU_CUBIC * a * a * a);
                0.5 * a * (1.0 + crate::math::tanh(u))
            }
            Activation::Silu => a * sigmoid(a),
            Activation::Elu(alpha) => elu(alpha, a),
            Activation::Selu => SELU_LAMBDA * elu(SELU_ALPHA, a),
        }
    }

    /// f'(a) for one value. At a = 0 ReLU's derivative is taken as 0 (the usual convention).
    pub fn df(self, a: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid => {
                let s = sigmoid(a);
                s * (1.0 - s)
            }
            Activation::Tanh => {
                let t = crate::math::tanh(a);
                1.0 - t * t
            }
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu(alpha) => {
                if a > 0.0 {
                    1.0
                } else {
                    alpha
                }
            }
            Activation::Gelu => {
                let density = FRAC_1_SQRT_2PI * crate::math::exp(-0.5 * a * a);
                crate::math::normal_cdf(a) + a * density
            }
            Activation::GeluTanh => {
                let u = SQRT_2_OVER_PI * (a + GELU_CUBIC * a * a * a);
                let t = crate::math::tanh(u);
                let du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * a * a);
                0.5 * (1.0 + t) + 0.5 * a * (1.0 - t * t) * du
            }
            Activation::Silu => {
                let s = sigmoid(a);
                s * (1.0 + a * (1.0 - s))
            }
            Activation::Elu(alpha) => elu_derivative(alpha, a),
            Activation::Selu => SELU_LAMBDA * elu_derivative(SELU_ALPHA, a),
        }
    }

    /// f'(a) for one value, given also h = f(a): tanh and the sigmoid read their derivative
    /// off h (1 - h^2 and h (1 - h)) instead of evaluating f again. Exactly `df(a)`.
    pub fn df_given(self, a: f64, h: f64) -> f64 {
        match self {
            Activation::Tanh => 1.0 - h * h,
            Activation::Sigmoid => h * (1.0 - h),
            _ => self.df(a),
        }
    }

    /// h = f(a), element-wise (see [`Activation::apply_in_place`]).
    pub fn apply(self, a: &Array2<f64>) -> Array2<f64> {
        let mut h = a.to_owned();
        self.apply_in_place(&mut h);
        h
    }

    /// h = f(h), element-wise, in place: the same bits as `f` on every entry, computed by
    /// vectorized loops, on several threads for large arrays (see [`crate::kernels`]).
    pub fn apply_in_place(self, h: &mut Array2<f64>) {
        kernels::apply(self, h);
    }

    /// f'(a), element-wise.
    pub fn derivative(self, a: &Array2<f64>) -> Array2<f64> {
        a.mapv(|v| self.df(v))
    }

    /// f'(a), element-wise, given also h = f(a) (as a forward pass keeps it); equals
    /// [`Activation::derivative`] bit for bit, at half the cost for tanh and the sigmoid.
    pub fn derivative_given(self, a: &Array2<f64>, h: &Array2<f64>) -> Array2<f64> {
        let mut d = a.clone();
        d.zip_mut_with(h, |a, &h| *a = self.df_given(*a, h));
        d
    }

    /// g *= f'(a), element-wise, given also h = f(a): the step dL/da = f'(a) dL/dh of a
    /// backward pass, in place. The same bits as `g * derivative_given(a, h)`, computed
    /// by a vectorized loop (see [`crate::kernels`]).
    pub fn mul_derivative_given(self, a: &Array2<f64>, h: &Array2<f64>, g: &mut Array2<f64>) {
        kernels::mul_derivative(self, a, h, g);
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activation::Identity => write!(f, "identity"),
            Activation::Sigmoid => write!(f, "sigmoid"),
            Activation::Tanh => write!(f, "tanh"),
            Activation::Relu => write!(f, "relu"),
            Activation::LeakyRelu(alpha) => write!(f, "leaky-relu:{alpha}"),
            Activation::Gelu => write!(f, "gelu"),
            Activation::GeluTanh => write!(f, "gelu-tanh"),
            Activation::Silu => write!(f, "silu"),
            Activation::Elu(alpha) => write!(f, "elu:{alpha}"),
            Activation::Selu => write!(f, "selu"),
        }
    }
}

impl FromStr for Activation {
    type Err = Error;

    /// Parses `identity`, `sigmoid` (or `logistic`), `tanh`, `relu`, `leaky-relu` (alpha 0.01),
    /// `leaky-relu:ALPHA`, `gelu`, `gelu-tanh`, `silu` (or `swish`), `elu` (alpha 1),
    /// `elu:ALPHA` and `selu`.
    fn from_str(text: &str) -> Result<Self> {
        let err = |reason: String| Error::Parse {
            what: "activation",
            text: text.to_string(),
            reason,
        };
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (text, None),
        };
        let act = match (name.trim().to_ascii_lowercase().as_str(), arg) {
            ("identity" | "linear", None) => Activation::Identity,
            ("sigmoid" | "logistic", None) => Activation::Sigmoid,
            ("tanh", None) => Activation::Tanh,
            ("relu", None) => Activation::Relu,
            ("leaky-relu" | "leaky_relu" | "leakyrelu", None) => Activation::LeakyRelu(0.01),
            ("leaky-relu" | "leaky_relu" | "leakyrelu", Some(a)) => {
                let alpha: f64 = a
                    .trim()
                    .parse()
                    .map_err(|_| err(format!("alpha {a:?} is not a number")))?;
                Activation::leaky_relu(alpha).map_err(|e| err(e.to_string()))?
            }
            ("gelu", None) => Activation::Gelu,
            ("gelu-tanh" | "gelu_tanh", None) => Activation::GeluTanh,
            ("silu" | "swish", None) => Activation::Silu,
            ("selu", None) => Activation::Selu,
            ("elu", None) => Activation::Elu(1.0),
            ("elu", Some(a)) => {
                let alpha: f64 = a
                    .trim()
                    .parse()
                    .map_err(|_| err(format!("alpha {a:?} is not a number")))?;
                Activation::elu(alpha).map_err(|e| err(e.to_string()))?
            }
            (_, Some(_)) => return Err(err(format!("{name} takes no parameter"))),
            _ => {
                return Err(err(
                    "expected identity, sigmoid, tanh, relu, leaky-relu:ALPHA, gelu, gelu-tanh, \
                     silu, elu:ALPHA or selu"
                        .to_string(),
                ));
            }
        };
        Ok(act)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_stable_at_extremes() {
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
    }

    /// One of each kind, for the tests of every activation.
    pub(crate) const ALL: [Activation; 10] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.1),
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Silu,
        Activation::Elu(1.0),
        Activation::Selu,
    ];

    #[test]
    fn derivative_given_h_is_the_derivative_bit_for_bit() {
        let a = ndarray::Array2::from_shape_fn((7, 9), |(i, j)| {
            (i as f64 - 3.0) * 1.7 + j as f64 * 0.31 - 1.2
        });
        for act in ALL {
            let h = act.apply(&a);
            assert_eq!(act.derivative_given(&a, &h), act.derivative(&a), "{act}");
        }
    }

    #[test]
    fn parses_and_prints_round_trip() {
        for text in [
            "identity",
            "sigmoid",
            "tanh",
            "relu",
            "leaky-relu:0.2",
            "gelu",
            "gelu-tanh",
            "silu",
            "elu:0.5",
            "selu",
        ] {
            let act: Activation = text.parse().unwrap();
            assert_eq!(act.to_string(), text);
        }
        assert_eq!(
            "logistic".parse::<Activation>().unwrap(),
            Activation::Sigmoid
        );
        assert!("softplus".parse::<Activation>().is_err());
        let err = "leaky-relu:-1".parse::<Activation>().unwrap_err();
        assert!(err.to_string().contains("-1"), "{err}");
        assert_eq!("swish".parse::<Activation>().unwrap(), Activation::Silu);
        assert_eq!("elu".parse::<Activation>().unwrap(), Activation::Elu(1.0));
        let err = "elu:-2".parse::<Activation>().unwrap_err();
        assert!(err.to_string().contains("-2"), "{err}");
        assert!("selu:1".parse::<Activation>().is_err());
        let err = Activation::elu(f64::NAN).unwrap_err();
        assert!(err.to_string().contains("NaN"), "{err}");
    }

    /// Known values: GELU(1) = Φ(1) = 0.841344746068543, GELU(-1) = -Φ(-1); the tanh form
    /// within 1e-3 of it everywhere (Hendrycks and Gimpel, 2016); SiLU(1) = σ(1);
    /// ELU(-∞) = -α; SELU's constants and slope λ on the positive side.
    #[test]
    fn todays_activations_take_their_known_values() {
        let phi1 = 0.841_344_746_068_542_9;
        assert!((Activation::Gelu.f(1.0) - phi1).abs() < 1e-15);
        assert!((Activation::Gelu.f(-1.0) + (1.0 - phi1)).abs() < 1e-15);
        assert_eq!(Activation::Gelu.f(0.0), 0.0);
        assert!((Activation::Gelu.df(0.0) - 0.5).abs() < 1e-16);
        for i in -600..=600 {
            let a = i as f64 / 100.0;
            let gap = (Activation::GeluTanh.f(a) - Activation::Gelu.f(a)).abs();
            assert!(gap < 1e-3, "{a}: {gap}");
        }
        assert!((Activation::Silu.f(1.0) - sigmoid(1.0)).abs() < 1e-16);
        assert!((Activation::Silu.df(0.0) - 0.5).abs() < 1e-16);
        assert!((Activation::Elu(1.0).f(-50.0) + 1.0).abs() < 1e-15);
        assert_eq!(Activation::Elu(1.0).f(2.0), 2.0);
        assert_eq!(Activation::Selu.f(2.0), 2.0 * SELU_LAMBDA);
        assert!((Activation::Selu.f(-50.0) + SELU_LAMBDA * SELU_ALPHA).abs() < 1e-14);
        assert!((SELU_LAMBDA * SELU_ALPHA - 1.758_099_340_847_376_9).abs() < 1e-15);
    }
}

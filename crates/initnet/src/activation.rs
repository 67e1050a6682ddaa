//! Activation functions h = f(a) and their derivatives f'(a).

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
        }
    }
}

impl FromStr for Activation {
    type Err = Error;

    /// Parses `identity`, `sigmoid` (or `logistic`), `tanh`, `relu`, `leaky-relu` (alpha 0.01)
    /// and `leaky-relu:ALPHA`.
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
            (_, Some(_)) => return Err(err(format!("{name} takes no parameter"))),
            _ => {
                return Err(err(
                    "expected identity, sigmoid, tanh, relu or leaky-relu:ALPHA".to_string(),
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
    pub(crate) const ALL: [Activation; 5] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.1),
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
        for text in ["identity", "sigmoid", "tanh", "relu", "leaky-relu:0.2"] {
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
    }
}

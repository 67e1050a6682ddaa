//! Which initializer for which activation, and what two popular frameworks do by default.
//! Every number comes from [`Init::variance`]; the chapter's tables are rendered from here.

use initnet::{Activation, BiasInit, Init, Scheme};

use crate::{Error, Result};

/// The layer the chapter's recommendation table is computed for: (n_in, n_out).
pub const EXAMPLE_LAYER: (usize, usize) = (100, 50);

/// The initializer the book recommends for an activation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recommendation {
    /// The hidden layers' activation.
    pub activation: Activation,
    /// The weight initializer for it.
    pub init: Init,
}

/// The book's recommendations: LeCun for linear layers, Glorot/Xavier for tanh, He for
/// ReLU and (with its alpha) leaky ReLU.
pub fn recommendations() -> Result<Vec<Recommendation>> {
    let leaky = 0.01;
    Ok(vec![
        Recommendation {
            activation: Activation::Identity,
            init: Init::lecun_normal(),
        },
        Recommendation {
            activation: Activation::Tanh,
            init: Init::xavier_normal(),
        },
        Recommendation {
            activation: Activation::Relu,
            init: Init::he_normal(),
        },
        Recommendation {
            activation: Activation::leaky_relu(leaky)?,
            init: Init::he_normal_leaky(leaky)?,
        },
    ])
}

/// The fan a scheme divides by: n_in for LeCun and He, (n_in + n_out)/2 for Glorot/Xavier.
/// Fixed-scale schemes (zeros, constants, a given std or limit) have none.
pub fn fan(init: &Init, n_in: usize, n_out: usize) -> Result<f64> {
    match init.scheme {
        Scheme::LecunNormal
        | Scheme::LecunUniform
        | Scheme::HeNormal { .. }
        | Scheme::HeUniform { .. } => Ok(n_in as f64),
        Scheme::XavierNormal | Scheme::XavierUniform => Ok((n_in + n_out) as f64 / 2.0),
        _ => Err(Error::NoFan(*init)),
    }
}

/// The gain of an initializer: its std over 1/sqrt(fan), so Var(W) = gain^2 / fan.
pub fn gain(init: &Init, n_in: usize, n_out: usize) -> Result<f64> {
    Ok((init.variance(n_in, n_out) * fan(init, n_in, n_out)?).sqrt())
}

/// The gain an activation needs so that a layer keeps the second moment of its input.
///
/// For a positively homogeneous f (identity, ReLU, leaky ReLU), E[f(sqrt(q) z)^2] =
/// q E[f(z)^2] at every scale q, so the gain is 1/sqrt(E[f(z)^2]) exactly, with
/// E[f(z)^2] = (1 + alpha^2)/2 in closed form ([`theory::kept_fraction`]). For tanh and
/// the logistic sigmoid this holds only near 0, where f(a) ~ f(0) + f'(0) a: 1/f'(0).
pub fn activation_gain(activation: Activation) -> f64 {
    match theory::kept_fraction(activation) {
        Some(kept) => 1.0 / kept.sqrt(),
        None => 1.0 / activation.df(0.0),
    }
}

/// One row of the recommendation table for a layer of n_in inputs and n_out outputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// The activation.
    pub activation: Activation,
    /// Its initializer.
    pub init: Init,
    /// Var(W_ij).
    pub variance: f64,
    /// The std of the normal variant, sqrt(Var).
    pub normal_std: f64,
    /// The limit of the uniform variant, sqrt(3 Var).
    pub uniform_limit: f64,
    /// The initializer's gain (std over 1/sqrt(fan)).
    pub gain: f64,
}

impl Row {
    /// The row of `init` for a layer with `n_in` inputs and `n_out` outputs.
    pub fn new(activation: Activation, init: Init, n_in: usize, n_out: usize) -> Result<Self> {
        if n_in == 0 || n_out == 0 {
            return Err(Error::Zero(if n_in == 0 { "n_in" } else { "n_out" }));
        }
        let variance = init.variance(n_in, n_out);
        Ok(Row {
            activation,
            init,
            variance,
            normal_std: variance.sqrt(),
            uniform_limit: (3.0 * variance).sqrt(),
            gain: gain(&init, n_in, n_out)?,
        })
    }
}

/// The recommendation table for a layer with `n_in` inputs and `n_out` outputs.
pub fn recommendation_table(n_in: usize, n_out: usize) -> Result<Vec<Row>> {
    recommendations()?
        .into_iter()
        .map(|r| Row::new(r.activation, r.init, n_in, n_out))
        .collect()
}

/// A framework's default for a dense layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Framework {
    /// Its name.
    pub name: &'static str,
    /// How the default is written with initnet.
    pub code: &'static str,
    /// Its weight initializer.
    pub init: Init,
    /// Its bias initializer.
    pub bias: BiasInit,
}

/// PyTorch's `nn.Linear`: weights `kaiming_uniform_(a = sqrt(5))`, that is
/// U(-1/sqrt(n_in), 1/sqrt(n_in)) with variance 1/(3 n_in), and biases U(-1/sqrt(n_in), 1/sqrt(n_in)).
/// In initnet: LeCun uniform (limit sqrt(3/n_in)) with gain 1/sqrt(3).
pub fn pytorch_linear() -> Framework {
    let init = Init::lecun_uniform()
        .with_gain(1.0 / 3f64.sqrt())
        .expect("1/sqrt(3) is a valid gain");
    Framework {
        name: "PyTorch nn.Linear",
        code: "Init::lecun_uniform().with_gain(1/√3), BiasInit::FanInUniform",
        init,
        bias: BiasInit::FanInUniform,
    }
}

/// Keras's `Dense`: Glorot uniform weights and zero biases.
pub fn keras_dense() -> Framework {
    Framework {
        name: "Keras Dense",
        code: "Init::xavier_uniform(), BiasInit::Zeros",
        init: Init::xavier_uniform(),
        bias: BiasInit::Zeros,
    }
}

/// A framework default in a stack of equal width n, compared with LeCun and He.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameworkRow {
    /// The framework.
    pub framework: Framework,
    /// n Var(W) for n_in = n_out = n (independent of n for both frameworks).
    pub weight_gain: f64,
    /// Var(W) over LeCun's 1/n.
    pub vs_lecun: f64,
    /// Var(W) over He's 2/n.
    pub vs_he: f64,
    /// Predicted per-layer shrink of std(a^l) in a deep ReLU stack without biases:
    /// 1/sqrt(n Var(W) / 2).
    pub relu_shrink: f64,
    /// Predicted per-layer shrink of std(a^l) in a tanh stack while the signal is small
    /// (tanh ~ identity): 1/sqrt(n Var(W)).
    pub tanh_shrink: f64,
}

impl FrameworkRow {
    /// The row of `framework` in a stack of width `n`.
    pub fn new(framework: Framework, n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::Zero("n"));
        }
        let var = framework.init.variance(n, n);
        let weight_gain = n as f64 * var;
        Ok(FrameworkRow {
            framework,
            weight_gain,
            vs_lecun: var / Init::lecun_normal().variance(n, n),
            vs_he: var / Init::he_normal().variance(n, n),
            relu_shrink: 1.0
                / (weight_gain / initnet::math::powi(activation_gain(Activation::Relu), 2)).sqrt(),
            tanh_shrink: 1.0
                / (weight_gain / initnet::math::powi(activation_gain(Activation::Tanh), 2)).sqrt(),
        })
    }
}

/// PyTorch's and Keras's defaults in a stack of width `n`.
pub fn framework_table(n: usize) -> Result<Vec<FrameworkRow>> {
    [pytorch_linear(), keras_dense()]
        .into_iter()
        .map(|f| FrameworkRow::new(f, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gains_of_the_recommendations_are_the_activation_gains() {
        for r in recommendation_table(100, 50).unwrap() {
            let needed = activation_gain(r.activation);
            assert!(
                (r.gain - needed).abs() < 1e-9,
                "{}: {} vs {needed}",
                r.activation,
                r.gain
            );
        }
        assert!((activation_gain(Activation::Relu) - 2f64.sqrt()).abs() < 1e-12);
        assert!((activation_gain(Activation::Sigmoid) - 4.0).abs() < 1e-12);
    }

    #[test]
    fn framework_defaults_against_lecun_and_he() {
        let rows = framework_table(64).unwrap();
        assert!((rows[0].vs_lecun - 1.0 / 3.0).abs() < 1e-12);
        assert!((rows[0].vs_he - 1.0 / 6.0).abs() < 1e-12);
        assert!((rows[0].relu_shrink - 6f64.sqrt()).abs() < 1e-9);
        assert!((rows[1].vs_lecun - 1.0).abs() < 1e-12);
        assert!((rows[1].relu_shrink - 2f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn fixed_scales_have_no_fan() {
        let init = Init::normal(1.0).unwrap();
        assert_eq!(gain(&init, 3, 3).unwrap_err(), Error::NoFan(init));
        assert_eq!(
            Row::new(Activation::Relu, Init::he_normal(), 0, 3).unwrap_err(),
            Error::Zero("n_in")
        );
    }
}

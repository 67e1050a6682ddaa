//! Dense layers and the multi-layer perceptron.
//!
//! Notation (the book's): layer l = 1..=L has weights W^l of shape (n_l, n_{l-1}),
//! biases b^l of length n_l, pre-activation a^l = W^l h^{l-1} + b^l and activation
//! h^l = f(a^l); h^0 is the input. A batch holds one sample per row, so in code
//! a^l = h^{l-1} (W^l)^T + b^l with shape (batch, n_l).

use ndarray::{Array1, Array2, Axis};
use rand::Rng;

use crate::activation::Activation;
use crate::error::{Error, Result, all_finite};
use crate::init::{BiasInit, Init};
use crate::rng;

/// One fully connected layer: h = f(W h_prev + b).
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// Weights, shape (n_out, n_in).
    pub w: Array2<f64>,
    /// Biases, length n_out.
    pub b: Array1<f64>,
    /// The activation f.
    pub activation: Activation,
}

impl Dense {
    /// A layer from explicit weights and biases, checked for shape and finiteness.
    pub fn new(w: Array2<f64>, b: Array1<f64>, activation: Activation) -> Result<Self> {
        let (n_out, n_in) = w.dim();
        if n_out == 0 || n_in == 0 {
            return Err(Error::Zero {
                what: format!("weight matrix shape ({n_out}, {n_in})"),
            });
        }
        if b.len() != n_out {
            return Err(Error::Shape {
                what: "bias of a layer".into(),
                expected: vec![n_out],
                got: vec![b.len()],
            });
        }
        all_finite("weights", &w)?;
        all_finite("biases", &b.clone().insert_axis(Axis(0)))?;
        Ok(Dense { w, b, activation })
    }

    /// A layer with weights drawn by `init` and biases set by `bias`.
    pub fn init<R: Rng + ?Sized>(
        n_in: usize,
        n_out: usize,
        activation: Activation,
        init: Init,
        bias: BiasInit,
        rng: &mut R,
    ) -> Result<Self> {
        let w = init.sample(n_out, n_in, rng)?;
        let b = bias.sample(n_in, n_out, rng)?;
        Ok(Dense { w, b, activation })
    }

    /// Number of inputs n_in.
    pub fn n_in(&self) -> usize {
        self.w.ncols()
    }

    /// Number of units n_out.
    pub fn n_out(&self) -> usize {
        self.w.nrows()
    }

    /// The pre-activation a = h_prev W^T + b for a batch (one sample per row).
    pub fn pre_activation(&self, h_prev: &Array2<f64>) -> Array2<f64> {
        h_prev.dot(&self.w.t()) + &self.b
    }
}

/// What a forward pass keeps: a^l and h^l for every layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// h^0, the input batch.
    pub input: Array2<f64>,
    /// a^1..a^L (index l-1 holds layer l).
    pub pre: Vec<Array2<f64>>,
    /// h^1..h^L (index l-1 holds layer l).
    pub post: Vec<Array2<f64>>,
}

impl Trace {
    /// a^l, for l in 1..=L.
    pub fn a(&self, l: usize) -> &Array2<f64> {
        &self.pre[l - 1]
    }
    /// h^l, for l in 0..=L (h^0 is the input).
    pub fn h(&self, l: usize) -> &Array2<f64> {
        if l == 0 {
            &self.input
        } else {
            &self.post[l - 1]
        }
    }
    /// The network's output h^L.
    pub fn output(&self) -> &Array2<f64> {
        self.post.last().expect("a network has at least one layer")
    }
    /// Number of layers L.
    pub fn depth(&self) -> usize {
        self.pre.len()
    }
}

/// What a backward pass gives: dL/dW^l, dL/db^l, and the back-propagated
/// gradients dL/da^l and dL/dh^l of every layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// dL/dW^l (index l-1 holds layer l), same shape as W^l.
    pub dw: Vec<Array2<f64>>,
    /// dL/db^l.
    pub db: Vec<Array1<f64>>,
    /// dL/da^l, shape (batch, n_l).
    pub da: Vec<Array2<f64>>,
    /// dL/dh^l, shape (batch, n_l); dh[L-1] is the loss gradient that was passed in.
    pub dh: Vec<Array2<f64>>,
}

impl Gradients {
    /// The Frobenius norm of (dW^l, db^l) for each layer.
    pub fn norms(&self) -> Vec<f64> {
        self.dw
            .iter()
            .zip(&self.db)
            .map(|(dw, db)| {
                (dw.iter().map(|x| x * x).sum::<f64>() + db.iter().map(|x| x * x).sum::<f64>())
                    .sqrt()
            })
            .collect()
    }
}

/// The sum over the batch (the rows) of `x`, bit-identical to `x.sum_axis(Axis(0))`.
///
/// For a row-major array with more than one column, ndarray's `sum_axis(Axis(0))` starts from
/// zeros and adds the rows one after the other, allocating a new array per row; this does the
/// same additions in the same order in place. Other layouts go to `sum_axis` itself.
fn batch_sum(x: &Array2<f64>) -> Array1<f64> {
    match x.as_slice() {
        Some(data) if x.ncols() > 1 => {
            let mut sums = vec![0.0; x.ncols()];
            for row in data.chunks_exact(x.ncols()) {
                for (s, v) in sums.iter_mut().zip(row) {
                    *s += v;
                }
            }
            Array1::from(sums)
        }
        _ => x.sum_axis(Axis(0)),
    }
}

/// A multi-layer perceptron: a stack of [`Dense`] layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// Layers 1..=L (index l-1 holds layer l).
    pub layers: Vec<Dense>,
}

/// Everything needed to build an MLP: widths n_0..n_L, activations, initializers.
#[derive(Debug, Clone, PartialEq)]
pub struct MlpSpec {
    /// n_0 (inputs), n_1, ..., n_L (outputs).
    pub widths: Vec<usize>,
    /// Activation of every hidden layer.
    pub hidden: Activation,
    /// Activation of the output layer (identity when a loss takes logits).
    pub output: Activation,
    /// Weight initializer of every layer.
    pub init: Init,
    /// Bias initializer of every layer.
    pub bias: BiasInit,
}

impl MlpSpec {
    /// A spec with identity output and zero biases.
    pub fn new(widths: &[usize], hidden: Activation, init: Init) -> Self {
        MlpSpec {
            widths: widths.to_vec(),
            hidden,
            output: Activation::Identity,
            init,
            bias: BiasInit::Zeros,
        }
    }
    /// The same spec with another output activation.
    pub fn output(mut self, output: Activation) -> Self {
        self.output = output;
        self
    }
    /// The same spec with another bias initializer.
    pub fn bias(mut self, bias: BiasInit) -> Self {
        self.bias = bias;
        self
    }
    /// Draw the network's parameters from `seed`.
    pub fn build(&self, seed: u64) -> Result<Mlp> {
        Mlp::new(self, seed)
    }
}

impl Mlp {
    /// Build a network from a spec, with parameters drawn from `seed`
    /// (layer 1 first, each weight matrix row by row).
    pub fn new(spec: &MlpSpec, seed: u64) -> Result<Self> {
        if spec.widths.len() < 2 {
            return Err(Error::TooFewSamples {
                what: "an MLP's list of widths",
                samples: spec.widths.len(),
                needed: 2,
            });
        }
        if let Some(i) = spec.widths.iter().position(|&w| w == 0) {
            let what = if i == 0 {
                "number of inputs".to_string()
            } else {
                format!("width of layer {i}")
            };
            return Err(Error::Zero { what });
        }
        let mut rng = rng(seed);
        let last = spec.widths.len() - 1;
        let layers = spec
            .widths
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                let act = if i + 1 == last {
                    spec.output
                } else {
                    spec.hidden
                };
                Dense::init(pair[0], pair[1], act, spec.init, spec.bias, &mut rng)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Mlp { layers })
    }

    /// A network from explicit layers, checked so that each layer's n_in is the previous n_out.
    pub fn from_layers(layers: Vec<Dense>) -> Result<Self> {
        if layers.is_empty() {
            return Err(Error::Zero {
                what: "number of layers".to_string(),
            });
        }
        for (i, pair) in layers.windows(2).enumerate() {
            if pair[1].n_in() != pair[0].n_out() {
                return Err(Error::Shape {
                    what: format!("inputs of layer {}", i + 2),
                    expected: vec![pair[0].n_out()],
                    got: vec![pair[1].n_in()],
                });
            }
        }
        Ok(Mlp { layers })
    }

    /// Number of layers L.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Layer l (1-based, as in the book).
    pub fn layer(&self, l: usize) -> &Dense {
        &self.layers[l - 1]
    }

    /// Layer l, mutable.
    pub fn layer_mut(&mut self, l: usize) -> &mut Dense {
        &mut self.layers[l - 1]
    }

    /// The widths n_0..n_L.
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(self.layers[0].n_in())
            .chain(self.layers.iter().map(Dense::n_out))
            .collect()
    }

    /// Number of inputs n_0.
    pub fn n_inputs(&self) -> usize {
        self.layers[0].n_in()
    }

    /// Number of outputs n_L.
    pub fn n_outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out()
    }

    /// Number of trainable parameters.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|d| d.w.len() + d.b.len()).sum()
    }

    /// Whether every weight and bias is finite.
    pub fn is_finite(&self) -> bool {
        self.layers
            .iter()
            .all(|d| d.w.iter().all(|x| x.is_finite()) && d.b.iter().all(|x| x.is_finite()))
    }

    /// Check that `x` is a non-empty, finite batch with n_0 columns.
    pub fn check_input(&self, x: &Array2<f64>) -> Result<()> {
        if x.nrows() == 0 {
            return Err(Error::Zero {
                what: "batch size".to_string(),
            });
        }
        if x.ncols() != self.n_inputs() {
            return Err(Error::Shape {
                what: "network input".into(),
                expected: vec![x.nrows(), self.n_inputs()],
                got: vec![x.nrows(), x.ncols()],
            });
        }
        all_finite("inputs", x)
    }

    /// The forward pass, keeping a^l and h^l of every layer.
    pub fn forward(&self, x: &Array2<f64>) -> Result<Trace> {
        self.check_input(x)?;
        Ok(self.forward_unchecked(x))
    }

    pub(crate) fn forward_unchecked(&self, x: &Array2<f64>) -> Trace {
        let mut pre = Vec::with_capacity(self.depth());
        let mut post: Vec<Array2<f64>> = Vec::with_capacity(self.depth());
        for layer in &self.layers {
            let a = layer.pre_activation(post.last().unwrap_or(x));
            post.push(layer.activation.apply(&a));
            pre.push(a);
        }
        Trace {
            input: x.clone(),
            pre,
            post,
        }
    }

    /// The network's output h^L for a batch.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        self.check_input(x)?;
        let mut h = x.clone();
        for layer in &self.layers {
            h = layer.activation.apply(&layer.pre_activation(&h));
        }
        Ok(h)
    }

    /// The backward pass: given a forward `trace` and dL/dh^L (`d_output`, same shape as
    /// the output), the gradients of every parameter and of every a^l and h^l.
    pub fn backward(&self, trace: &Trace, d_output: &Array2<f64>) -> Result<Gradients> {
        let out = trace.output();
        if trace.depth() != self.depth() || d_output.dim() != out.dim() {
            return Err(Error::Shape {
                what: "output gradient".into(),
                expected: vec![out.nrows(), out.ncols()],
                got: vec![d_output.nrows(), d_output.ncols()],
            });
        }
        Ok(self.backward_unchecked(trace, d_output))
    }

    pub(crate) fn backward_unchecked(&self, trace: &Trace, d_output: &Array2<f64>) -> Gradients {
        let depth = self.depth();
        let (mut dw, mut db, mut da, mut dh) = (
            Vec::with_capacity(depth),
            Vec::with_capacity(depth),
            Vec::with_capacity(depth),
            Vec::with_capacity(depth),
        );
        let mut g = d_output.clone();
        for l in (1..=depth).rev() {
            let layer = self.layer(l);
            // dL/da^l = dL/dh^l * f'(a^l)
            let mut d_a = layer.activation.derivative_given(trace.a(l), trace.h(l));
            d_a *= &g;
            // dL/dW^l = (dL/da^l)^T h^{l-1};  dL/db^l = sum over the batch of dL/da^l
            dw.push(d_a.t().dot(trace.h(l - 1)));
            db.push(batch_sum(&d_a));
            dh.push(g);
            // dL/dh^{l-1} = dL/da^l W^l
            g = d_a.dot(&layer.w);
            da.push(d_a);
        }
        dw.reverse();
        db.reverse();
        da.reverse();
        dh.reverse();
        Gradients { dw, db, da, dh }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn widths_and_shapes_follow_the_notation() {
        let net = MlpSpec::new(&[2, 2, 4], Activation::Tanh, Init::xavier_normal())
            .build(0)
            .unwrap();
        assert_eq!(net.widths(), vec![2, 2, 4]);
        assert_eq!(net.layer(1).w.dim(), (2, 2));
        assert_eq!(net.layer(2).w.dim(), (4, 2));
        assert_eq!(net.parameter_count(), 2 * 2 + 2 + 4 * 2 + 4);
        let x = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
        let t = net.forward(&x).unwrap();
        assert_eq!(t.a(2).dim(), (3, 4));
        assert_eq!(t.h(0), &x);
    }

    #[test]
    fn bad_shapes_are_errors() {
        let spec = MlpSpec::new(&[2, 0, 4], Activation::Tanh, Init::zeros());
        assert_eq!(
            spec.build(0).unwrap_err().to_string(),
            "width of layer 1 must be at least 1, got 0"
        );
        let net = MlpSpec::new(&[2, 3], Activation::Tanh, Init::zeros())
            .build(0)
            .unwrap();
        assert!(matches!(
            net.forward(&Array2::zeros((5, 3))),
            Err(Error::Shape { .. })
        ));
        assert!(matches!(
            net.forward(&Array2::zeros((0, 2))),
            Err(Error::Zero { .. })
        ));
        let x = array![[1.0, f64::NAN]];
        let err = net.forward(&x).unwrap_err();
        assert!(
            matches!(err, Error::NonFinite { what: "inputs", row: 0, col: 1, value } if value.is_nan())
        );
        assert_eq!(
            err.to_string(),
            "inputs contains a non-finite value NaN at row 0, column 1"
        );
        let t = net.forward(&array![[1.0, 2.0]]).unwrap();
        assert!(net.backward(&t, &Array2::zeros((1, 2))).is_err());
        let l1 = Dense::new(Array2::zeros((3, 2)), Array1::zeros(3), Activation::Relu).unwrap();
        let l2 = Dense::new(Array2::zeros((1, 4)), Array1::zeros(1), Activation::Relu).unwrap();
        assert!(Mlp::from_layers(vec![l1, l2]).is_err());
        assert!(Dense::new(Array2::zeros((3, 2)), Array1::zeros(2), Activation::Relu).is_err());
    }

    #[test]
    fn batch_sum_is_bit_identical_to_sum_axis() {
        use rand_distr::{Distribution, Normal};
        let law = Normal::new(0.0, 1e3).unwrap();
        let mut g = rng(5);
        for (rows, cols) in [(1, 1), (7, 1), (1, 5), (400, 2), (1000, 37)] {
            let x = Array2::from_shape_simple_fn((rows, cols), || law.sample(&mut g));
            for view in [
                x.clone(),
                x.t().to_owned(),
                x.t().as_standard_layout().t().to_owned(),
            ] {
                let (fast, slow) = (batch_sum(&view), view.sum_axis(Axis(0)));
                assert!(
                    fast.iter()
                        .zip(&slow)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{rows}x{cols}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_network() {
        let spec = MlpSpec::new(&[3, 8, 8, 2], Activation::Relu, Init::he_uniform());
        assert_eq!(spec.build(7).unwrap(), spec.build(7).unwrap());
        assert_ne!(spec.build(7).unwrap(), spec.build(8).unwrap());
    }
}

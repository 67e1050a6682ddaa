//! Dense layers and the multi-layer perceptron.
//!
//! Notation (the book's): layer l = 1..=L has weights W^l of shape (n_l, n_{l-1}),
//! biases b^l of length n_l, pre-activation a^l = W^l h^{l-1} + b^l and activation
//! h^l = f(a^l); h^0 is the input. A batch holds one sample per row, so in code
//! a^l = h^{l-1} (W^l)^T + b^l with shape (batch, n_l).
//!
//! The arrays of a [`Trace`] and of [`Gradients`] (a^l, h^l, dL/da^l, dL/dh^l) are stored
//! column-major, and the products and element-wise steps run in [`crate::kernels`]; the
//! passes below read as the book's equations. Indexing is unaffected:
//! `trace.a(l)[[i, j]]` is sample i, unit j.

use ndarray::{Array1, Array2, Axis};
use rand::Rng;

use crate::activation::Activation;
use crate::error::{Error, Result, all_finite};
use crate::init::{BiasInit, Init};
use crate::kernels;
use crate::random::rng;

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
        let w = init.sample(n_in, n_out, rng)?;
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
    /// Computed as in [`Mlp::forward`], bit for bit.
    pub fn pre_activation(&self, h_prev: &Array2<f64>) -> Array2<f64> {
        let mut a = Array2::zeros((0, 0));
        if h_prev.t().is_standard_layout() {
            kernels::affine(h_prev, &self.w, &self.b, &mut a);
        } else {
            kernels::affine(&kernels::column_major(h_prev), &self.w, &self.b, &mut a);
        }
        a
    }
}

/// What a forward pass keeps: a^l and h^l for every layer, each of shape (batch, n_l) and
/// stored column-major (see the module documentation).
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
    /// An empty trace, for `forward_into` to fill.
    pub(crate) fn empty() -> Self {
        Trace {
            input: Array2::zeros((0, 0)),
            pre: Vec::new(),
            post: Vec::new(),
        }
    }
}

/// One gradient array per layer, index l-1 holding layer l's (dL/da or dL/dh).
pub type Deltas = Vec<Array2<f64>>;

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
    /// Empty gradients, for `backward_into` to fill.
    pub(crate) fn empty() -> Self {
        Gradients {
            dw: Vec::new(),
            db: Vec::new(),
            da: Vec::new(),
            dh: Vec::new(),
        }
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
            return Err(Error::TooFewWidths {
                widths: spec.widths.clone(),
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
        let mut trace = Trace::empty();
        self.forward_into(x, &mut trace);
        trace
    }

    /// The forward pass into the buffers of `trace`, reused when their shapes fit.
    pub(crate) fn forward_into(&self, x: &Array2<f64>, trace: &mut Trace) {
        let depth = self.depth();
        kernels::copy(x, &mut trace.input);
        let empty = || Array2::zeros((0, 0));
        trace.pre.resize_with(depth, empty);
        trace.post.resize_with(depth, empty);
        for (l, layer) in self.layers.iter().enumerate() {
            let (below, rest) = trace.post.split_at_mut(l);
            let h_prev = below.last().unwrap_or(&trace.input);
            let a = &mut trace.pre[l];
            kernels::affine(h_prev, &layer.w, &layer.b, a);
            let h = &mut rest[0];
            kernels::copy(a, h);
            layer.activation.apply_in_place(h);
        }
    }

    /// The network's output h^L for a batch (the output of [`Mlp::forward`], bit for bit).
    pub fn predict(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        self.check_input(x)?;
        let mut trace = self.forward_unchecked(x);
        Ok(trace.post.pop().expect("a network has at least one layer"))
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

    /// dL/da^l for l = 1..=k (index l-1) of a loss that reads h^k, given dL/dh^k (`d_top`):
    /// the backward pass of the network cut after layer `k`, without the parameter
    /// gradients, bit for bit the `da` of [`Mlp::backward`] on that cut network. One forward
    /// `trace` of the whole network serves every cut (the book's explorer reads the gradients
    /// of every depth from one pass). `k` must lie in 1..=L and `d_top` have h^k's shape.
    pub fn deltas_from(
        &self,
        trace: &Trace,
        k: usize,
        d_top: &Array2<f64>,
    ) -> Result<Vec<Array2<f64>>> {
        self.back_from(trace, k, d_top, None)
    }

    /// [`Mlp::deltas_from`] and dL/dh^l for l = 1..=k too (index l-1; the last is `d_top`):
    /// `(da, dh)`, bit for bit the `da` and `dh` of [`Mlp::backward`] on the network cut
    /// after layer `k`, without its parameter gradients (a third of its work). For a study
    /// of how a gradient travels through the layers, not of the step it would take.
    pub fn signals_from(
        &self,
        trace: &Trace,
        k: usize,
        d_top: &Array2<f64>,
    ) -> Result<(Deltas, Deltas)> {
        let mut dh = Vec::with_capacity(k);
        let da = self.back_from(trace, k, d_top, Some(&mut dh))?;
        dh.reverse();
        Ok((da, dh))
    }

    /// The pass of [`Mlp::deltas_from`], pushing each dL/dh^l (from l = k down to 1) onto
    /// `keep` when given.
    fn back_from(
        &self,
        trace: &Trace,
        k: usize,
        d_top: &Array2<f64>,
        mut keep: Option<&mut Vec<Array2<f64>>>,
    ) -> Result<Vec<Array2<f64>>> {
        if k == 0 || k > self.depth() || trace.depth() != self.depth() {
            return Err(Error::Shape {
                what: "layer to back-propagate from (1..=L) of a trace of this network".into(),
                expected: vec![self.depth()],
                got: vec![k, trace.depth()],
            });
        }
        let top = trace.h(k);
        if d_top.dim() != top.dim() {
            return Err(Error::Shape {
                what: "gradient at the cut".into(),
                expected: vec![top.nrows(), top.ncols()],
                got: vec![d_top.nrows(), d_top.ncols()],
            });
        }
        let empty = || Array2::zeros((0, 0));
        let mut da: Vec<Array2<f64>> = (0..k).map(|_| empty()).collect();
        let mut dh = empty();
        kernels::copy(d_top, &mut dh);
        for l in (1..=k).rev() {
            if let Some(keep) = keep.as_deref_mut() {
                keep.push(dh.clone());
            }
            let layer = self.layer(l);
            let d_a = &mut da[l - 1];
            kernels::copy(&dh, d_a);
            layer
                .activation
                .mul_derivative_given(trace.a(l), trace.h(l), d_a);
            if l > 1 {
                kernels::back_prop(&da[l - 1], &layer.w, &mut dh);
            }
        }
        Ok(da)
    }

    pub(crate) fn backward_unchecked(&self, trace: &Trace, d_output: &Array2<f64>) -> Gradients {
        let mut grads = Gradients::empty();
        self.backward_into(trace, d_output, &mut grads);
        grads
    }

    /// The backward pass into the buffers of `grads`, reused when their shapes fit.
    /// dL/dh^0 (the gradient with respect to the input) is not formed: no caller needs it.
    pub(crate) fn backward_into(
        &self,
        trace: &Trace,
        d_output: &Array2<f64>,
        grads: &mut Gradients,
    ) {
        let depth = self.depth();
        let empty = || Array2::zeros((0, 0));
        grads.dw.resize_with(depth, empty);
        grads.db.resize_with(depth, || Array1::zeros(0));
        grads.da.resize_with(depth, empty);
        grads.dh.resize_with(depth, empty);
        kernels::copy(d_output, &mut grads.dh[depth - 1]);
        for l in (1..=depth).rev() {
            let layer = self.layer(l);
            // dL/da^l = f'(a^l) * dL/dh^l
            let d_a = &mut grads.da[l - 1];
            kernels::copy(&grads.dh[l - 1], d_a);
            layer
                .activation
                .mul_derivative_given(trace.a(l), trace.h(l), d_a);
            // dL/dW^l = (dL/da^l)^T h^{l-1};  dL/db^l = sum over the batch of dL/da^l
            kernels::weight_grads(
                &grads.da[l - 1],
                trace.h(l - 1),
                &mut grads.dw[l - 1],
                &mut grads.db[l - 1],
            );
            // dL/dh^{l-1} = dL/da^l W^l
            if l > 1 {
                kernels::back_prop(&grads.da[l - 1], &layer.w, &mut grads.dh[l - 2]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// The deltas from a cut are the backward pass of the cut network, to the bit.
    #[test]
    fn deltas_from_a_cut_are_the_cut_networks_backward() {
        let net = MlpSpec::new(
            &[30, 40, 40, 40, 40],
            Activation::Tanh,
            Init::xavier_normal(),
        )
        .output(Activation::Tanh)
        .build(3)
        .unwrap();
        let x = crate::random::normal_matrix((7, 30), 1.0, &mut rng(4)).unwrap();
        let trace = net.forward(&x).unwrap();
        let top = crate::random::normal_matrix((7, 40), 1.0, &mut rng(5)).unwrap();
        for k in 1..=4 {
            let cut = Mlp::from_layers((1..=k).map(|l| net.layer(l).clone()).collect()).unwrap();
            let grads = cut.backward(&cut.forward(&x).unwrap(), &top).unwrap();
            assert_eq!(
                net.deltas_from(&trace, k, &top).unwrap(),
                grads.da,
                "cut after {k}"
            );
            let (da, dh) = net.signals_from(&trace, k, &top).unwrap();
            assert_eq!((da, dh), (grads.da, grads.dh), "cut after {k}");
        }
        assert!(net.signals_from(&trace, 5, &top).is_err());
        assert!(net.deltas_from(&trace, 0, &top).is_err());
        assert!(net.deltas_from(&trace, 5, &top).is_err());
        assert!(net.deltas_from(&trace, 2, &x).is_err());
    }

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
        let spec = MlpSpec::new(&[4], Activation::Tanh, Init::zeros());
        assert_eq!(
            spec.build(0).unwrap_err().to_string(),
            "a network's widths must list at least n_0 (inputs) and n_L (outputs), got [4]"
        );
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

    /// predict, pre_activation and a reused trace give forward's bits, for small layers
    /// (direct loops) and large ones (general_mat_mul), whatever the input's layout.
    #[test]
    fn every_path_gives_the_forward_pass_bits() {
        use crate::random::{Distribution, Normal};
        let law = Normal::new(0.0, 1.0).unwrap();
        let mut g = rng(9);
        for widths in [vec![2, 2, 4], vec![3, 40, 30, 2]] {
            let net = MlpSpec::new(&widths, Activation::Tanh, Init::xavier_normal())
                .build(1)
                .unwrap();
            let x = Array2::from_shape_simple_fn((37, widths[0]), || law.sample(&mut g));
            let t = net.forward(&x).unwrap();
            let bits = |a: &Array2<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&net.predict(&x).unwrap()), bits(t.output()));
            assert_eq!(
                bits(&net.predict(&x.t().to_owned().t().to_owned()).unwrap()),
                bits(t.output())
            );
            assert_eq!(bits(&net.layer(1).pre_activation(&x)), bits(t.a(1)));
            let mut reused = Trace::empty();
            for rows in [5, 37] {
                net.forward_into(&x.slice(ndarray::s![..rows, ..]).to_owned(), &mut reused);
            }
            assert_eq!(reused, t);
            let d_out = Array2::from_shape_simple_fn(t.output().dim(), || law.sample(&mut g));
            let grads = net.backward(&t, &d_out).unwrap();
            let mut reused = Gradients::empty();
            net.backward_into(
                &net.forward(&x.slice(ndarray::s![..5, ..]).to_owned())
                    .unwrap(),
                &d_out.slice(ndarray::s![..5, ..]).to_owned(),
                &mut reused,
            );
            net.backward_into(&t, &d_out, &mut reused);
            assert_eq!(reused, grads);
        }
    }

    #[test]
    fn same_seed_same_network() {
        let spec = MlpSpec::new(&[3, 8, 8, 2], Activation::Relu, Init::he_uniform());
        assert_eq!(spec.build(7).unwrap(), spec.build(7).unwrap());
        assert_ne!(spec.build(7).unwrap(), spec.build(8).unwrap());
    }
}

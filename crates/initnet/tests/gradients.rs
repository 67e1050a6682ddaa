//! Finite-difference checks of every derivative in the library: each activation's f',
//! and the full backward pass (every dW, db) for every activation and both losses.
//!
//! Central differences have truncation error O(eps^2 f''') and round-off error
//! O(ulp(f) / eps); with eps = 1e-5 in f64 both are below 1e-9 relative, so a relative
//! error below 1e-6 separates a correct gradient from a wrong one by orders of magnitude.

use initnet::ndarray::{Array2, array};
use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, BiasInit, Init, Loss, Mlp, MlpSpec};

const EPS: f64 = 1e-5;
const TOL: f64 = 1e-6;

fn activations() -> Vec<Activation> {
    vec![
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.1),
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Silu,
        Activation::Elu(1.0),
        Activation::Elu(0.5),
        Activation::Selu,
    ]
}

/// |a - b| relative to the larger of |a|, |b| and 1e-3: an entry of a gradient far below
/// the loss (a few 1e-6 against a loss of order 1) is compared absolutely, within 1e-9,
/// since the central difference's round-off ulp(L)/eps ≈ 2e-11 is then a visible part of
/// it; a wrong derivative still misses by the size of the entry, 1e-6 or more.
fn relative_error(a: f64, b: f64) -> f64 {
    let scale = a.abs().max(b.abs()).max(1e-3);
    (a - b).abs() / scale
}

#[test]
fn every_activation_derivative_matches_finite_differences() {
    // Points away from ReLU's kink at 0, where f' is not defined.
    let points = [-3.1, -1.2, -0.4, 0.3, 0.9, 2.5];
    for act in activations() {
        for &a in &points {
            let numeric = (act.f(a + EPS) - act.f(a - EPS)) / (2.0 * EPS);
            let err = relative_error(act.df(a), numeric);
            assert!(
                err < TOL,
                "{act} at {a}: analytic {}, numeric {numeric}",
                act.df(a)
            );
        }
    }
}

fn random_batch(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut rng = initnet::rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(&mut rng))
}

fn loss_of(net: &Mlp, x: &Array2<f64>, y: &[usize], loss: Loss) -> f64 {
    loss.evaluate(&net.predict(x).unwrap(), y).unwrap().0
}

/// Compare every entry of every dW and db with a central difference of the loss.
fn check_network(mut net: Mlp, x: &Array2<f64>, y: &[usize], loss: Loss) {
    let trace = net.forward(x).unwrap();
    // No pre-activation may sit within EPS-reach of ReLU's kink; with continuous random
    // data this holds with probability 1, and we assert it so the check stays honest.
    // A perturbation of EPS in one weight moves any pre-activation by far less than 1e-4
    // here (weights and inputs are of order 1), so a margin of 1e-4 suffices.
    for l in 1..=trace.depth() {
        let kinked = matches!(
            net.layers[l - 1].activation,
            Activation::Relu | Activation::LeakyRelu(_) | Activation::Elu(_) | Activation::Selu
        );
        let closest = trace.a(l).iter().fold(f64::INFINITY, |m, v| m.min(v.abs()));
        assert!(
            !kinked || closest > 1e-4,
            "layer {l}: a pre-activation {closest} is too close to ReLU's kink"
        );
    }
    let (_, d_out) = loss.evaluate(trace.output(), y).unwrap();
    let grads = net.backward(&trace, &d_out).unwrap();
    for l in 0..net.depth() {
        let (rows, cols) = net.layers[l].w.dim();
        for i in 0..rows {
            for j in 0..cols {
                let orig = net.layers[l].w[[i, j]];
                net.layers[l].w[[i, j]] = orig + EPS;
                let up = loss_of(&net, x, y, loss);
                net.layers[l].w[[i, j]] = orig - EPS;
                let down = loss_of(&net, x, y, loss);
                net.layers[l].w[[i, j]] = orig;
                let numeric = (up - down) / (2.0 * EPS);
                let err = relative_error(grads.dw[l][[i, j]], numeric);
                assert!(
                    err < TOL,
                    "{loss:?}, {}: dW{} [{i},{j}] rel. error {err} ({} vs {numeric})",
                    net.layers[l].activation,
                    l + 1,
                    grads.dw[l][[i, j]]
                );
            }
            let orig = net.layers[l].b[i];
            net.layers[l].b[i] = orig + EPS;
            let up = loss_of(&net, x, y, loss);
            net.layers[l].b[i] = orig - EPS;
            let down = loss_of(&net, x, y, loss);
            net.layers[l].b[i] = orig;
            let numeric = (up - down) / (2.0 * EPS);
            let err = relative_error(grads.db[l][i], numeric);
            assert!(err < TOL, "{loss:?}: db{} [{i}] rel. error {err}", l + 1);
        }
    }
}

#[test]
fn backward_matches_finite_differences_for_softmax_cross_entropy() {
    let x = random_batch(6, 3, 11);
    let y = [0, 1, 2, 3, 1, 0];
    for (k, act) in activations().into_iter().enumerate() {
        // Non-zero biases, so that a ReLU unit whose inputs are all zero is not exactly at its kink.
        let spec = MlpSpec::new(&[3, 5, 4, 4], act, Init::normal(0.7).unwrap())
            .bias(BiasInit::Constant(0.05));
        let net = spec.build(100 + k as u64).unwrap();
        check_network(net, &x, &y, Loss::SoftmaxCrossEntropy);
    }
}

#[test]
fn backward_matches_finite_differences_for_binary_cross_entropy() {
    let x = random_batch(5, 2, 12);
    let y = [0, 1, 1, 0, 1];
    for (k, act) in activations().into_iter().enumerate() {
        let spec = MlpSpec::new(&[2, 4, 3, 1], act, Init::normal(0.8).unwrap())
            .bias(BiasInit::Constant(0.05));
        let net = spec.build(200 + k as u64).unwrap();
        check_network(net, &x, &y, Loss::BinaryCrossEntropy);
    }
}

#[test]
fn backward_through_a_non_identity_output_layer() {
    // A sigmoid output layer feeding softmax cross-entropy: the chain rule runs through
    // f'(a^L) too.
    let x = random_batch(4, 2, 13);
    let spec = MlpSpec::new(&[2, 3, 3], Activation::Tanh, Init::normal(0.9).unwrap())
        .output(Activation::Sigmoid);
    check_network(
        spec.build(7).unwrap(),
        &x,
        &[0, 2, 1, 2],
        Loss::SoftmaxCrossEntropy,
    );
}

#[test]
fn loss_gradients_match_finite_differences() {
    let z = array![[0.3, -1.2, 2.0], [1.5, 0.1, -0.7]];
    let labels = [2, 0];
    let (_, grad) = Loss::SoftmaxCrossEntropy.evaluate(&z, &labels).unwrap();
    for i in 0..2 {
        for j in 0..3 {
            let mut up = z.clone();
            up[[i, j]] += EPS;
            let mut down = z.clone();
            down[[i, j]] -= EPS;
            let numeric = (Loss::SoftmaxCrossEntropy.evaluate(&up, &labels).unwrap().0
                - Loss::SoftmaxCrossEntropy
                    .evaluate(&down, &labels)
                    .unwrap()
                    .0)
                / (2.0 * EPS);
            assert!(relative_error(grad[[i, j]], numeric) < TOL);
        }
    }
    let z = array![[0.3], [-2.2], [4.0]];
    let labels = [1, 0, 0];
    let (_, grad) = Loss::BinaryCrossEntropy.evaluate(&z, &labels).unwrap();
    for i in 0..3 {
        let mut up = z.clone();
        up[[i, 0]] += EPS;
        let mut down = z.clone();
        down[[i, 0]] -= EPS;
        let numeric = (Loss::BinaryCrossEntropy.evaluate(&up, &labels).unwrap().0
            - Loss::BinaryCrossEntropy.evaluate(&down, &labels).unwrap().0)
            / (2.0 * EPS);
        assert!(relative_error(grad[[i, 0]], numeric) < TOL);
    }
}

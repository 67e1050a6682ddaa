//! # initnet: a small, exact multi-layer perceptron
//!
//! The network library behind *Why Weight Initialization Matters*. It is written to be
//! read beside the book: its names are the book's symbols. Layer l has weights `w`
//! (W^l, shape n_l x n_{l-1}), biases `b` (b^l), pre-activation a^l = W^l h^{l-1} + b^l
//! and activation h^l = f(a^l). A batch holds one sample per row.
//!
//! ```
//! use initnet::{Activation, Blobs, Init, MlpSpec, TrainConfig, train};
//!
//! // The article's toy problem: 4 blobs in 2 features, a 2-2-4 network.
//! let data = Blobs::new(400, 4).generate(0)?;
//! let mut net = MlpSpec::new(&[2, 2, 4], Activation::Tanh, Init::xavier_normal()).build(0)?;
//! assert_eq!(net.layer(1).w.dim(), (2, 2));
//! assert_eq!(net.layer(2).w.dim(), (4, 2));
//! let history = train(&mut net, &data.x, &data.y, &TrainConfig::new(0.1, 100))?;
//! assert!(history.last().loss < history.records[0].loss);
//! # Ok::<(), initnet::Error>(())
//! ```
//!
//! Everything random takes an explicit seed and draws from ChaCha8 ([`random`]), so
//! results are the same on every platform. Invalid input returns an [`Error`] that names
//! the value.
//!
//! ## Where things are
//!
//! The modules a reader of the book studies hold the mathematics in its symbols, one value
//! at a time where the book does: [`activation`] (f, f' and f' read off h), [`init`] (the
//! schemes and their variances), [`loss`] (softmax and binary cross-entropy), [`network`]
//! (a^l = W^l h^{l-1} + b^l, h^l = f(a^l), and back-propagation), [`norm`] (batch and
//! layer normalization), [`residual`] (residual networks x + α F(x)),
//! [`train`](mod@train) (gradient descent and Adam), [`data`], [`stats`], [`error`], [`random`]
//! (seeded generators and the normal law) and [`math`] (exp, ln and tanh, portable to the
//! last bit). How all this runs fast over whole batches (CPU dispatch, vector loops, a
//! fused loss, threads) is in [`kernels`], whose documentation says why each piece exists
//! and what it guarantees: above all, the same bits as the definitions, at every vector
//! width.

pub mod activation;
pub mod data;
pub mod error;
pub mod init;
pub mod loss;
pub mod lsuv;
pub mod math;
pub mod network;
pub mod norm;
pub mod residual;
pub mod stats;
pub mod train;

// The speed machinery, and seeded randomness: both used by the modules above.
pub mod kernels;
pub mod random;

pub use activation::{Activation, sigmoid};
pub use data::{
    Blobs, Dataset, Standardizer, load_digits, make_circles, make_moons, stratified_split,
    train_test_split,
};
pub use error::{Error, Result};
pub use init::{BiasInit, Init, Scheme};
pub use loss::{Loss, log_sum_exp, softmax};
pub use lsuv::{LsuvLayer, lsuv};
pub use network::{Dense, Gradients, Mlp, MlpSpec, Trace};
pub use norm::{Norm, NormKind};
pub use residual::{NormPosition, Recipe, ResNet, ResidualSpec, train_residual};
pub use stats::{
    Histogram, LayerStats, dead_fraction, layer_stats, mean_std, normal_cdf, saturated_fraction,
    zero_fraction,
};
pub use train::{
    Adam, Divergence, EpochRecord, History, Optimizer, TrainConfig, check_data, evaluate, train,
    train_with,
};

/// Re-exported so that chapters and notebooks use the same ndarray as the library.
pub use ndarray;
/// Re-exported for the same reason.
pub use rand;
/// At the root too, because every experiment starts with a seeded generator.
pub use random::{Rng, rng};

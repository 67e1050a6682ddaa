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
//! Everything random takes an explicit seed and draws from ChaCha8, so results are the
//! same on every platform. Invalid input returns an [`Error`] that names the value.

pub mod activation;
pub mod data;
pub mod error;
pub mod init;
mod kernels;
pub mod loss;
pub mod math;
pub mod network;
pub mod stats;
pub mod train;

pub use activation::{Activation, sigmoid};
pub use data::{
    Blobs, Dataset, Standardizer, make_circles, make_moons, stratified_split, train_test_split,
};
pub use error::{Error, Result};
pub use init::{BiasInit, Init, Scheme};
pub use loss::{Loss, log_sum_exp, softmax};
pub use network::{Dense, Gradients, Mlp, MlpSpec, Trace};
pub use stats::{
    Histogram, LayerStats, dead_fraction, layer_stats, mean_std, normal_cdf, saturated_fraction,
    zero_fraction,
};
pub use train::{
    Divergence, EpochRecord, History, TrainConfig, check_data, evaluate, train, train_with,
};

/// Re-exported so that chapters and notebooks use the same ndarray as the library.
pub use ndarray;
/// Re-exported for the same reason.
pub use rand;

/// The seeded, portable random number generator every function of the library uses.
pub type Rng = rand_chacha::ChaCha8Rng;

/// A generator seeded with `seed`: the same stream on every platform.
pub fn rng(seed: u64) -> Rng {
    use rand::SeedableRng;
    Rng::seed_from_u64(seed)
}

//! The settings the explorer offers: every list is data, so a new initializer or
//! activation is one line here (the page builds its controls from these lists).

use initnet::{Activation, Init};

/// One initializer of the explorer's menu.
#[derive(Debug, Clone, Copy)]
pub struct InitChoice {
    /// Its key in the page's address (`?init=xavier`) and in the data file names.
    pub key: &'static str,
    /// Its name in the menu.
    pub label: &'static str,
    /// The initializer.
    pub init: fn() -> Init,
    /// The key whose data file this initializer reads: its own, or that of an initializer
    /// that draws the very same networks in this grid (LeCun's Var = 1/n_in and Glorot's
    /// 2/(n_in + n_out) are the same number when n_in = n_out, to the bit; a test checks it).
    pub data: &'static str,
}

fn pytorch() -> Init {
    // PyTorch's nn.Linear weights: U(-1/sqrt(n_in), 1/sqrt(n_in)), variance 1/(3 n_in).
    Init::lecun_uniform()
        .with_gain(1.0 / 3f64.sqrt())
        .expect("1/sqrt(3) is a valid gain")
}

/// The initializers, in menu order.
pub const INITS: &[InitChoice] = &[
    InitChoice {
        key: "normal",
        label: "N(0, 1): the post's randn",
        init: || Init::normal(1.0).expect("1 is a valid std"),
        data: "normal",
    },
    InitChoice {
        key: "small",
        label: "N(0, 0.01²): small",
        init: || Init::normal(0.01).expect("0.01 is a valid std"),
        data: "small",
    },
    InitChoice {
        key: "zeros",
        label: "zeros",
        init: Init::zeros,
        data: "zeros",
    },
    InitChoice {
        key: "lecun",
        label: "LeCun normal, Var = 1/n_in",
        init: Init::lecun_normal,
        data: "xavier",
    },
    InitChoice {
        key: "xavier",
        label: "Xavier/Glorot normal",
        init: Init::xavier_normal,
        data: "xavier",
    },
    InitChoice {
        key: "xavier-uniform",
        label: "Xavier/Glorot uniform (Keras default)",
        init: Init::xavier_uniform,
        data: "xavier-uniform",
    },
    InitChoice {
        key: "he",
        label: "He/Kaiming normal, Var = 2/n_in",
        init: Init::he_normal,
        data: "he",
    },
    InitChoice {
        key: "pytorch",
        label: "PyTorch default, Var = 1/(3 n_in)",
        init: pytorch,
        data: "pytorch",
    },
    InitChoice {
        key: "orthogonal",
        label: "orthogonal (Haar), gain 1",
        init: Init::orthogonal,
        data: "orthogonal",
    },
];

/// One activation of the explorer's menu.
#[derive(Debug, Clone, Copy)]
pub struct ActivationChoice {
    /// Its key in the page's address (`?act=tanh`).
    pub key: &'static str,
    /// Its name in the menu.
    pub label: &'static str,
    /// The activation.
    pub activation: Activation,
    /// The widths of [`WIDTHS`] the page offers with it.
    pub widths: &'static [usize],
    /// The input scales of [`INPUT_SCALES`] the page offers with it.
    pub scales: &'static [f64],
}

impl ActivationChoice {
    /// Every (width, input scale) the page offers with this activation.
    pub fn cases(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.widths
            .iter()
            .flat_map(|&w| self.scales.iter().map(move |&s| (w, s)))
    }
}

/// The widths the newer activations (GELU, SiLU, ELU, SELU) are offered at: the full grid
/// for every activation would be twice the data the page should load (the test's cap).
pub const NEWER_WIDTHS: [usize; 3] = [10, 100, 500];
/// The input scales the newer activations are offered at.
pub const NEWER_SCALES: [f64; 1] = [1.0];

/// The activations, in menu order.
pub const ACTIVATIONS: &[ActivationChoice] = &[
    ActivationChoice {
        key: "identity",
        label: "identity",
        activation: Activation::Identity,
        widths: &WIDTHS,
        scales: &INPUT_SCALES,
    },
    ActivationChoice {
        key: "sigmoid",
        label: "logistic sigmoid",
        activation: Activation::Sigmoid,
        widths: &WIDTHS,
        scales: &INPUT_SCALES,
    },
    ActivationChoice {
        key: "tanh",
        label: "tanh",
        activation: Activation::Tanh,
        widths: &WIDTHS,
        scales: &INPUT_SCALES,
    },
    ActivationChoice {
        key: "relu",
        label: "ReLU",
        activation: Activation::Relu,
        widths: &WIDTHS,
        scales: &INPUT_SCALES,
    },
    ActivationChoice {
        key: "leaky",
        label: "leaky ReLU (slope 0.01)",
        activation: Activation::LeakyRelu(0.01),
        widths: &WIDTHS,
        scales: &INPUT_SCALES,
    },
    ActivationChoice {
        key: "gelu",
        label: "GELU (exact)",
        activation: Activation::Gelu,
        widths: &NEWER_WIDTHS,
        scales: &NEWER_SCALES,
    },
    ActivationChoice {
        key: "silu",
        label: "SiLU (swish)",
        activation: Activation::Silu,
        widths: &NEWER_WIDTHS,
        scales: &NEWER_SCALES,
    },
    ActivationChoice {
        key: "elu",
        label: "ELU (α = 1)",
        activation: Activation::Elu(1.0),
        widths: &NEWER_WIDTHS,
        scales: &NEWER_SCALES,
    },
    ActivationChoice {
        key: "selu",
        label: "SELU",
        activation: Activation::Selu,
        widths: &NEWER_WIDTHS,
        scales: &NEWER_SCALES,
    },
];

/// The depths the page offers; the network is run once at the largest.
pub const DEPTHS: [usize; 7] = [1, 2, 3, 5, 10, 20, 30];
/// The widths n_0 = n_1 = ... = n_L the page offers.
pub const WIDTHS: [usize; 8] = [2, 5, 10, 20, 50, 100, 200, 500];
/// The input scales s (inputs s z, z standard normal) the page offers.
pub const INPUT_SCALES: [f64; 2] = [1.0, 10.0];
/// How many seeds (0, 1, ...) each setting is run with.
pub const RUN_SEEDS: usize = 3;
/// Bins of each histogram.
pub const BINS: usize = 24;

/// The batch at width `n`: at least 2000 values per layer, and at least 16 samples (a unit
/// counts as dead when it is off for every sample; a live unit is off for all 16 with
/// probability 2^-16).
pub fn batch(width: usize) -> usize {
    (2000usize.div_ceil(width.max(1))).max(16)
}

/// The initializer called `key`.
pub fn init(key: &str) -> Option<&'static InitChoice> {
    INITS.iter().find(|c| c.key == key)
}

/// The activation called `key`.
pub fn activation(key: &str) -> Option<&'static ActivationChoice> {
    ACTIVATIONS.iter().find(|c| c.key == key)
}

/// The `initlab layers` command that prints the page's numbers for one setting.
pub fn command(
    init: &InitChoice,
    act: &ActivationChoice,
    depth: usize,
    width: usize,
    scale: f64,
) -> String {
    let i = (init.init)();
    let base = initnet::Init { gain: 1.0, ..i };
    let gain = if i.gain != 1.0 {
        format!(" --gain {}", i.gain)
    } else {
        String::new()
    };
    format!(
        "initlab layers --init {base} --activation {} --depth {depth} --width {width} --batch {} --input-scale {scale} --seeds {RUN_SEEDS}{gain}",
        act.activation,
        batch(width)
    )
}

/// The `initlab layers --seeds` configuration of one setting: the initializer without its
/// gain, and the gain apart (initlab multiplies the weights by `gain` itself).
pub fn layers_config(
    init: &InitChoice,
    act: &ActivationChoice,
    depth: usize,
    width: usize,
    scale: f64,
) -> initlab::LayersConfig {
    let i = (init.init)();
    initlab::LayersConfig {
        init: Init { gain: 1.0, ..i },
        activation: act.activation,
        depth,
        width,
        inputs: None,
        batch: batch(width),
        seed: 0,
        gain: i.gain,
        input_scale: scale,
    }
}

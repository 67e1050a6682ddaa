//! The one error type of the chapter crates.

use initnet::{Activation, Init};

/// What can go wrong in a chapter's experiments, charts and generated text: the network
/// library's and the chart library's errors, and the few settings a chapter checks itself,
/// each naming the value that was wrong. Chapter functions return [`Result`]; a function
/// that only calls one library may return that library's error instead, which `?` converts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The network library refused a setting or a data set.
    #[error(transparent)]
    Net(#[from] initnet::Error),
    /// The chart library refused the data of a chart.
    #[error(transparent)]
    Chart(#[from] charts::Error),
    /// A size that must be at least 1.
    #[error("{0} must be at least 1, got 0")]
    Zero(&'static str),
    /// No seeds to average over.
    #[error("an experiment over seeds needs at least one seed")]
    NoSeeds,
    /// A name that is not one of a fixed list, for example a run of a chart.
    #[error("no {what} named {name:?}; expected {expected}")]
    Unknown {
        /// What was named, for example `"run"`.
        what: &'static str,
        /// The name given.
        name: String,
        /// The names there are, in words.
        expected: &'static str,
    },
    /// A closed form that holds only for ReLU, leaky ReLU and the identity.
    #[error(
        "the closed form needs a piecewise-linear activation (ReLU, leaky ReLU, identity), got {0}"
    )]
    NotPiecewiseLinear(Activation),
    /// A layer whose signal is exactly zero (or not finite), where a ratio of scales is undefined.
    #[error("the std of a^{layer} is {std}, so the per-layer shrink factor is undefined")]
    NoSignal {
        /// The layer l (1-based).
        layer: usize,
        /// Its standard deviation.
        std: f64,
    },
    /// An initializer that has no fan to scale by (a constant has no variance to scale).
    #[error("initializer {0} has no fan-based variance")]
    NoFan(Init),
    /// The marker comments of generated blocks in a chapter's text do not pair up, or do
    /// not match the blocks the chapter generates (see [`crate::generated`]).
    #[error("generated blocks, line {line}: {problem}")]
    Markers {
        /// The 1-based line of the text where the problem is (0: the whole text).
        line: usize,
        /// What is wrong, naming the block.
        problem: String,
    },
}

/// The chapter crates' result type.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_value() {
        assert_eq!(
            Error::Zero("width").to_string(),
            "width must be at least 1, got 0"
        );
        let unknown = Error::Unknown {
            what: "run",
            name: "ones".into(),
            expected: "zero, constant or random",
        };
        assert_eq!(
            unknown.to_string(),
            "no run named \"ones\"; expected zero, constant or random"
        );
        let net: Error = initnet::Error::Zero {
            what: "batch".into(),
        }
        .into();
        assert_eq!(net.to_string(), "batch must be at least 1, got 0");
        let chart: Error = charts::Error::Draw("x".into()).into();
        assert_eq!(chart.to_string(), "drawing failed: x");
    }
}

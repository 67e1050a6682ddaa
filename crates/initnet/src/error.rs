//! The one error type of the library: every invalid configuration or data set is
//! reported with the value that was wrong, never by a panic.

use thiserror::Error;

/// Everything that can be wrong with what a caller passes in.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// A layer, a data set or a batch with no units, features or samples.
    #[error("{what} must be at least 1, got 0")]
    Zero {
        /// What had size zero, for example `"width of layer 2"`.
        what: String,
    },
    /// A parameter outside its valid range.
    #[error("{name} must be {expected}, got {value}")]
    OutOfRange {
        /// The parameter, for example `"standard deviation"`.
        name: &'static str,
        /// The range it must lie in, in words, for example `"finite and >= 0"`.
        expected: &'static str,
        /// The value that was given.
        value: f64,
    },
    /// Two arrays whose shapes do not fit together.
    #[error("shape mismatch in {what}: expected {expected:?}, got {got:?}")]
    Shape {
        /// Where the shapes met.
        what: String,
        /// The shape that was needed.
        expected: Vec<usize>,
        /// The shape that was given.
        got: Vec<usize>,
    },
    /// A NaN or infinity in input data.
    #[error("{what} contains a non-finite value {value} at row {row}, column {col}")]
    NonFinite {
        /// Which array, for example `"inputs"`.
        what: &'static str,
        /// Row of the first non-finite value.
        row: usize,
        /// Column of the first non-finite value.
        col: usize,
        /// The value itself.
        value: f64,
    },
    /// A class label that is not below the number of classes.
    #[error("label {label} at sample {index} is out of range for {classes} classes")]
    Label {
        /// Position of the label.
        index: usize,
        /// The label.
        label: usize,
        /// Number of classes (outputs) of the network or data set.
        classes: usize,
    },
    /// A data set too small for what was asked of it.
    #[error("{what}: {samples} samples is fewer than the {needed} needed")]
    TooFewSamples {
        /// What needed the samples.
        what: &'static str,
        /// How many there were.
        samples: usize,
        /// How many are needed.
        needed: usize,
    },
    /// A network's list of widths n_0, ..., n_L with fewer than two entries: a network
    /// needs at least its inputs n_0 and its outputs n_L.
    #[error("a network's widths must list at least n_0 (inputs) and n_L (outputs), got {widths:?}")]
    TooFewWidths {
        /// The widths that were given.
        widths: Vec<usize>,
    },
    /// A setting that another setting needs and that was not given, for example a
    /// normalization for the zero-γ recipe.
    #[error("missing {what}")]
    Missing {
        /// What is missing, and what needs it.
        what: &'static str,
    },
    /// A textual specification (an initializer or activation name) that does not parse.
    #[error("cannot parse {what} {text:?}: {reason}")]
    Parse {
        /// What was being parsed.
        what: &'static str,
        /// The text given.
        text: String,
        /// Why it failed, with the accepted forms.
        reason: String,
    },
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Check that `value` is finite and strictly positive.
pub fn positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::OutOfRange {
            name,
            expected: "finite and > 0",
            value,
        })
    }
}

/// Check that `value` is finite and not negative.
pub fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::OutOfRange {
            name,
            expected: "finite and >= 0",
            value,
        })
    }
}

/// Check that `value` is finite.
pub fn finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::OutOfRange {
            name,
            expected: "finite",
            value,
        })
    }
}

/// Check that every entry of `array` is finite.
pub fn all_finite(what: &'static str, array: &ndarray::Array2<f64>) -> Result<()> {
    match array.indexed_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some(((row, col), &value)) => Err(Error::NonFinite {
            what,
            row,
            col,
            value,
        }),
    }
}

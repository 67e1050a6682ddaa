//! Chapter crate: zero initialization and the symmetry problem.

pub mod experiments;
pub mod figures;

pub use charts;
pub use experiments::*;
pub use figures::{BoxError, figures};
pub use initnet;

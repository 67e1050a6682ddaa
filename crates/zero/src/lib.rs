#![doc = include_str!("../../../src/zero.md")]

pub mod experiments;
pub mod figures;

pub use charts;
pub use experiments::*;
pub use figures::{BoxError, figures};
pub use initnet;

#![doc = include_str!("../../../src/introduction.md")]
//!
//! ---
//!
//! The crate behind the introduction: the article's toy problem and its chart.

pub mod figures;

pub use charts;
pub use figures::*;
pub use initnet;

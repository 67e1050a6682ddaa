#![doc = include_str!("../../../src/large.md")]

pub mod math;
pub mod exploding;
pub mod saturation;
pub mod standardize;
pub mod vanishing;

pub use initnet;

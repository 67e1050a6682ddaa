#![doc = include_str!("../../../src/xavier.md")]
//!
//! The chapter's crate: [`theory`] holds the closed forms and the mean-field predictions,
//! [`experiments`] the measurements; each experiment returns plain data.

pub mod experiments;
pub mod theory;

pub use experiments::*;
pub use theory::*;

pub use initnet;

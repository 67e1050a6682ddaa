//! The quadratures the chapter's text names, `random::math::GaussHermite` and
//! `random::math::gaussian_expectation`: re-exported from the [`theory`] crate, where the
//! book's expectations and special functions live (with `simpson`, `gaussian_tail`,
//! `digamma` and `trigamma`, which this chapter also uses).

pub use theory::{GaussHermite, gaussian_expectation};

/// The number of Gauss–Hermite nodes of the rule the chapter shows failing at large q.
pub const HERMITE_NODES: usize = 64;

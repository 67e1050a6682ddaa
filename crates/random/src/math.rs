//! The quadratures the chapter's text names, `random::math::GaussHermite` and
//! `random::math::gaussian_expectation`: re-exported from [`initnet::special`], where the
//! book's shared special functions live (with `simpson`, `gaussian_tail`, `digamma` and
//! `trigamma`, which this chapter also uses).

pub use initnet::special::{GaussHermite, HERMITE_NODES, gaussian_expectation};

//! `initlab correlation`: two inputs through a deep MLP at initialization, their measured
//! correlation layer by layer beside the mean field's correlation map, and the mean-field
//! state of the setting: q*, c*, χ₁, ξ_q and ξ_c (Poole et al., 2016; Schoenholz et al.,
//! 2017; the book's chapter "The edge of chaos").
//!
//! ```
//! use initlab::correlation::{CorrelationConfig, correlation};
//!
//! let cfg = CorrelationConfig { sigma_w2: 4.0, sigma_b2: 0.05, ..Default::default() };
//! let report = correlation(&cfg)?;
//! // Chaotic: two inputs of correlation 0.5 decorrelate towards c* ≈ 0.165.
//! let last = report.layers.last().unwrap();
//! assert!((last.c_mean_field - 0.165).abs() < 0.01);
//! // One network's measured correlation scatters around the map: in the chaotic phase by
//! // about 0.15 at this width, which averaging over networks (the chapter) removes.
//! assert!((-1.0..=1.0).contains(&last.c_measured));
//! # Ok::<(), initlab::Error>(())
//! ```

use std::fmt::Write as _;

use initnet::ndarray::Array2;
use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, kernels};
use serde::Serialize;

use crate::{Error, as_text, check_size};

/// The setting: a stack of `depth` layers of `width` units with activation `activation`,
/// weights N(0, σ_w²/n_in) and biases N(0, σ_b²), fed two inputs of `width` features with
/// unit second moment and correlation `c0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CorrelationConfig {
    /// σ_w² = n_in Var(W) (the gain squared).
    pub sigma_w2: f64,
    /// σ_b² = Var(b).
    pub sigma_b2: f64,
    /// The activation of every layer.
    #[serde(serialize_with = "as_text")]
    pub activation: Activation,
    /// Layers.
    pub depth: usize,
    /// Units per layer (and input features).
    pub width: usize,
    /// Correlation of the two inputs, in [-1, 1].
    pub c0: f64,
    /// Seed (ChaCha8 stream 0 of it draws the inputs, then every layer in turn).
    pub seed: u64,
}

impl Default for CorrelationConfig {
    /// Tanh, σ_w² = 1, σ_b² = 0.05, 30 layers of 200 units, c₀ = 0.5, seed 0.
    fn default() -> Self {
        CorrelationConfig {
            sigma_w2: 1.0,
            sigma_b2: 0.05,
            activation: Activation::Tanh,
            depth: 30,
            width: 200,
            c0: 0.5,
            seed: 0,
        }
    }
}

/// One layer: measured and mean-field variance and correlation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationLayer {
    /// Layer l (1-based).
    pub layer: usize,
    /// Mean square of the first input's pre-activation over the units.
    pub q_measured: f64,
    /// The length map's q^l.
    pub q_mean_field: f64,
    /// Correlation of the two pre-activations over the units.
    pub c_measured: f64,
    /// The correlation map's c^l.
    pub c_mean_field: f64,
}

/// The mean-field state of the setting (tanh only: elsewhere these are None).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The fixed point q* of the length map.
    pub q_star: Option<f64>,
    /// The stable fixed point c* of the correlation map.
    pub c_star: Option<f64>,
    /// χ₁ at q* (for tanh) or at the last layer's q (otherwise).
    pub chi1: f64,
    /// ξ_q = −1/ln(slope of the length map at q*); None where it diverges.
    pub xi_q: Option<f64>,
    /// ξ_c = −1/ln χ_c; None where it diverges.
    pub xi_c: Option<f64>,
    /// σ_w² on tanh's critical line at this σ_b².
    pub critical_sigma_w2: Option<f64>,
}

/// What `initlab correlation` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationReport {
    /// The setting.
    pub config: CorrelationConfig,
    /// The mean-field state.
    pub summary: Summary,
    /// Layer by layer.
    pub layers: Vec<CorrelationLayer>,
}

/// Runs the setting: the two inputs through one network, the length and correlation maps
/// beside them (c^l = covariance map / q^l, computed by `theory::c_map` at q^(l-1)), and
/// for tanh `theory::Criticality`. A zero width or depth, a bad variance or a c₀ outside
/// [-1, 1] is an error naming it.
pub fn correlation(cfg: &CorrelationConfig) -> Result<CorrelationReport, Error> {
    let (n, depth) = (cfg.width, cfg.depth);
    if n == 0 || depth == 0 {
        return Err(Error::Invalid(format!(
            "width and depth must be at least 1, got width {n} and depth {depth}"
        )));
    }
    if !(-1.0..=1.0).contains(&cfg.c0) {
        return Err(Error::Invalid(format!(
            "the inputs' correlation c0 must be in [-1, 1], got {}",
            cfg.c0
        )));
    }
    initnet::error::non_negative("weight variance sigma_w^2", cfg.sigma_w2)?;
    initnet::error::non_negative("bias variance sigma_b^2", cfg.sigma_b2)?;
    check_size("the network", n as f64 * n as f64)?;
    let f = cfg.activation;

    // The mean field: layer 1 exactly, then the maps.
    let mut q = cfg.sigma_w2 + cfg.sigma_b2;
    let mut c = if q > 0.0 {
        (cfg.sigma_w2 * cfg.c0 + cfg.sigma_b2) / q
    } else {
        1.0
    };
    let mut mean_field = vec![(q, c)];
    for _ in 1..depth {
        let next = theory::q_map(f, cfg.sigma_w2, cfg.sigma_b2, q)?;
        c = if q > 0.0 && next > 0.0 {
            (theory::c_map(f, cfg.sigma_w2, cfg.sigma_b2, q, c)? * q / next).clamp(-1.0, 1.0)
        } else {
            1.0
        };
        q = next;
        mean_field.push((q, c));
    }

    // One network.
    let mut rng = initnet::rng(cfg.seed);
    let law = StandardNormal;
    let other = (1.0 - cfg.c0 * cfg.c0).max(0.0).sqrt();
    let mut h = Array2::<f64>::zeros((n, 2));
    for i in 0..n {
        let (z1, z2): (f64, f64) = (law.sample(&mut rng), law.sample(&mut rng));
        h[[i, 0]] = z1;
        h[[i, 1]] = cfg.c0 * z1 + other * z2;
    }
    let (sw, sb) = ((cfg.sigma_w2 / n as f64).sqrt(), cfg.sigma_b2.sqrt());
    let mut layers = Vec::with_capacity(depth);
    for (l, &(q_mf, c_mf)) in mean_field.iter().enumerate() {
        let w = Array2::from_shape_fn((n, n), |_| sw * law.sample(&mut rng));
        let mut a = kernels::matmul(&w, &h);
        for i in 0..n {
            let b = sb * law.sample(&mut rng);
            a[[i, 0]] += b;
            a[[i, 1]] += b;
        }
        let (mut q1, mut q2, mut q12) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let (u, v) = (a[[i, 0]], a[[i, 1]]);
            q1 += u * u;
            q2 += v * v;
            q12 += u * v;
        }
        let denominator = (q1 * q2).sqrt();
        layers.push(CorrelationLayer {
            layer: l + 1,
            q_measured: q1 / n as f64,
            q_mean_field: q_mf,
            c_measured: if denominator > 0.0 {
                q12 / denominator
            } else {
                1.0
            },
            c_mean_field: c_mf,
        });
        h = a.mapv(|x| f.f(x));
    }

    let summary = if f == Activation::Tanh {
        let k = theory::Criticality::tanh(cfg.sigma_w2, cfg.sigma_b2)?;
        Summary {
            q_star: Some(k.q_star),
            c_star: k.c_star,
            chi1: k.chi1,
            xi_q: k.xi_q,
            xi_c: k.xi_c,
            critical_sigma_w2: theory::tanh_critical_sigma_w2(cfg.sigma_b2).ok(),
        }
    } else {
        Summary {
            q_star: None,
            c_star: None,
            chi1: theory::chi(f, cfg.sigma_w2, q)?,
            xi_q: None,
            xi_c: None,
            critical_sigma_w2: None,
        }
    };
    Ok(CorrelationReport {
        config: *cfg,
        summary,
        layers,
    })
}

impl CorrelationReport {
    /// The report as a table.
    pub fn to_text(&self) -> String {
        let c = &self.config;
        let s = &self.summary;
        let opt = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.4}"));
        let scale = |x: Option<f64>| x.map_or("diverges".to_string(), |x| format!("{x:.2}"));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} layers of {} {} units, sigma_w^2 {}, sigma_b^2 {}, inputs of correlation {}, seed {}",
            c.depth, c.width, c.activation, c.sigma_w2, c.sigma_b2, c.c0, c.seed
        );
        if c.activation == Activation::Tanh {
            let phase = if s.chi1 < 1.0 - 1e-9 {
                "ordered"
            } else if s.chi1 > 1.0 + 1e-9 {
                "chaotic"
            } else {
                "critical"
            };
            let _ = writeln!(
                out,
                "mean field: q* = {}, c* = {}, chi_1 = {:.4} ({phase}), xi_q = {}, xi_c = {}",
                opt(s.q_star),
                opt(s.c_star),
                s.chi1,
                scale(s.xi_q),
                if s.q_star == Some(0.0) {
                    "- (q* = 0)".to_string()
                } else {
                    scale(s.xi_c)
                }
            );
            let _ = writeln!(
                out,
                "critical sigma_w^2 at this sigma_b^2: {}",
                opt(s.critical_sigma_w2)
            );
        } else {
            let _ = writeln!(
                out,
                "mean field: chi_1 = {:.4} at the last layer's q (q*, c*, xi: tanh only)",
                s.chi1
            );
        }
        let _ = writeln!(out, "layer  q (measured)  q (mf)  c (measured)  c (mf)");
        for l in &self.layers {
            let _ = writeln!(
                out,
                "{:5}  {:12.4}  {:6.4}  {:12.4}  {:6.4}",
                l.layer, l.q_measured, l.q_mean_field, l.c_measured, l.c_mean_field
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measured_follows_the_maps_and_the_summary_is_the_theory() {
        // Ordered: the two inputs become one; measured close to the map at width 400.
        let cfg = CorrelationConfig {
            width: 400,
            ..Default::default()
        };
        let r = correlation(&cfg).unwrap();
        assert_eq!(r.layers.len(), 30);
        let last = r.layers.last().unwrap();
        assert!(
            last.c_mean_field > 0.999 && last.c_measured > 0.99,
            "{last:?}"
        );
        assert!(r.summary.chi1 < 1.0 && r.summary.c_star == Some(1.0));
        let k = theory::Criticality::tanh(1.0, 0.05).unwrap();
        assert_eq!(r.summary.xi_c, k.xi_c);
        // Layer 1 is exact in expectation: q = sigma_w2 + sigma_b2.
        assert!((r.layers[0].q_mean_field - 1.05).abs() < 1e-12);
        assert!((r.layers[0].q_measured / 1.05 - 1.0).abs() < 0.2);
        // The text names the phase.
        assert!(r.to_text().contains("(ordered)"));
        // ReLU with He's sigma_w2: chi_1 = 1, no tanh summary.
        let relu = CorrelationConfig {
            activation: Activation::Relu,
            sigma_w2: 2.0,
            sigma_b2: 0.0,
            depth: 5,
            ..Default::default()
        };
        let r = correlation(&relu).unwrap();
        assert!((r.summary.chi1 - 1.0).abs() < 1e-12 && r.summary.q_star.is_none());
        assert!(r.to_text().contains("tanh only"));
    }

    #[test]
    fn bad_settings_are_errors_naming_them() {
        let bad = |cfg: CorrelationConfig| correlation(&cfg).unwrap_err().to_string();
        let d = CorrelationConfig::default();
        assert!(bad(CorrelationConfig { width: 0, ..d }).contains("width 0"));
        assert!(bad(CorrelationConfig { c0: 1.5, ..d }).contains("1.5"));
        assert!(
            bad(CorrelationConfig {
                sigma_w2: -1.0,
                ..d
            })
            .contains("sigma_w^2")
        );
        assert!(
            bad(CorrelationConfig {
                sigma_b2: f64::NAN,
                ..d
            })
            .contains("sigma_b^2")
        );
    }
}

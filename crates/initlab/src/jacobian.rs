//! `initlab layers --jacobian`: the singular values of the network's input-output
//! Jacobian J = ∂h^L/∂h^0 at one input, summarized beside the mean field's prediction.
//!
//! The measurement and the prediction are the orthogonal chapter's
//! ([`orthogonal::jacobian::summary_at`], [`orthogonal::jacobian::predicted_at`], which
//! call `theory::q_trajectory` and `theory::jacobian_spectrum`); this module only builds
//! the same network as [`crate::layers`] and reports.

use std::fmt::Write as _;

use initnet::MlpSpec;
use initnet::init::Scheme;
use serde::Serialize;

use crate::{Error, INPUT_STREAM, LayersConfig, check_size, standard_normal};

/// The Jacobian summary of one network: measured at one input, and predicted by the mean
/// field where the prediction applies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JacobianReport {
    /// The standard deviation of the input's entries (the first input of the batch of
    /// `layers`, times this).
    pub input_scale: f64,
    /// The input's mean square q_in = ‖x‖²/n_0.
    pub q_in: f64,
    /// Mean of λ = σ² over the Jacobian's spectrum (tr JᵀJ / n_0).
    pub mean_sigma2: f64,
    /// The mean field's prediction of it, the product of χ₁ over the layers (square layers
    /// with zero-mean weights only).
    pub predicted_mean_sigma2: Option<f64>,
    /// Relative variance of λ, Var(λ)/mean(λ)² (absent when J is zero).
    pub spread: Option<f64>,
    /// Its free-probability prediction (square layers with zero-mean weights only).
    pub predicted_spread: Option<f64>,
    /// The smallest singular value.
    pub sigma_min: f64,
    /// The largest singular value.
    pub sigma_max: f64,
    /// σ_max / σ_min (absent when σ_min is zero).
    pub condition: Option<f64>,
}

/// The Jacobian of the network of `layers` (same weights, from the same seed) at the
/// first input of its batch times `input_scale`. A scale that is not finite and positive
/// is an error naming it.
pub fn jacobian(cfg: &LayersConfig, input_scale: f64) -> Result<JacobianReport, Error> {
    initnet::error::positive("input scale", input_scale)?;
    if cfg.depth == 0 || cfg.width == 0 {
        return Err(initnet::Error::Zero {
            what: "depth and width".to_string(),
        }
        .into());
    }
    let n0 = cfg.inputs.unwrap_or(cfg.width);
    let (w, d) = (cfg.width as f64, cfg.depth as f64);
    // The weights, and the Jacobian with its product (two matrices of n x n_0).
    check_size(
        "this network's Jacobian",
        w * (n0 as f64 + w * d) + 3.0 * w * n0 as f64,
    )?;
    let init = cfg.init.with_gain(cfg.gain)?;
    let mut widths = vec![n0];
    widths.extend(std::iter::repeat_n(cfg.width, cfg.depth));
    let net = MlpSpec::new(&widths, cfg.activation, init)
        .output(cfg.activation)
        .build(cfg.seed)?;
    let weights: Vec<_> = (1..=cfg.depth).map(|l| net.layer(l).w.clone()).collect();
    let x: Vec<f64> = standard_normal(1, n0, cfg.seed, INPUT_STREAM)
        .iter()
        .map(|v| v * input_scale)
        .collect();
    let q_in = x.iter().map(|v| v * v).sum::<f64>() / n0 as f64;
    let chapter = |e: book::Error| Error::Invalid(e.to_string());
    let s = orthogonal::jacobian::summary_at(&weights, cfg.activation, &x).map_err(chapter)?;
    let prediction = if n0 == cfg.width && init.mean() == 0.0 {
        let sigma_w2 = w * init.variance(cfg.width, cfg.width);
        let orthogonal = init.scheme == Scheme::Orthogonal;
        orthogonal::jacobian::predicted_at(cfg.activation, sigma_w2, q_in, cfg.depth, orthogonal)
            .ok()
    } else {
        None
    };
    Ok(JacobianReport {
        input_scale,
        q_in,
        mean_sigma2: s.mean_lambda,
        predicted_mean_sigma2: prediction.map(|p| p.0),
        spread: s.spread,
        predicted_spread: prediction.map(|p| p.1),
        sigma_min: s.sigma_min,
        sigma_max: s.sigma_max,
        condition: s.condition,
    })
}

impl JacobianReport {
    /// A short readable summary (printed after the table of `initlab layers --jacobian`).
    pub fn to_text(&self) -> String {
        let num = |v: Option<f64>| v.map_or("n/a".to_string(), tidy);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "input-output Jacobian at one input (entries' std {}, q_in {:.4}):",
            self.input_scale, self.q_in
        );
        let _ = writeln!(
            out,
            "  mean of sigma^2         {}   (mf: chi_1 product {})",
            tidy(self.mean_sigma2),
            num(self.predicted_mean_sigma2)
        );
        let _ = writeln!(
            out,
            "  Var(sigma^2)/mean^2     {}   (mf: free probability {})",
            num(self.spread),
            num(self.predicted_spread)
        );
        let _ = writeln!(
            out,
            "  sigma min, max          {}, {}; max/min {}",
            tidy(self.sigma_min),
            tidy(self.sigma_max),
            self.condition
                .map_or("inf (a zero singular value)".to_string(), tidy)
        );
        if self.predicted_mean_sigma2.is_none() {
            let _ = writeln!(
                out,
                "  (the mean field predicts square layers with zero-mean weights only)"
            );
        }
        out
    }
}

/// Four decimals for values of ordinary size, scientific notation otherwise.
fn tidy(v: f64) -> String {
    if v == 0.0 || (1e-3..1e4).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}

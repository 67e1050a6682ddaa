//! Two inputs through a deep tanh network at initialization: their correlation layer by
//! layer, measured in finite networks beside the mean field's c-map, and the growth of a
//! small difference between them, whose square grows by a factor χ₁ per layer.

use initnet::ndarray::Array2;
use initnet::random::{Distribution, StandardNormal, rng};
use initnet::{Activation, kernels, math};
use theory::Criticality;

use crate::Error;
use book::memo::{Memo, per_seed};

/// A deep tanh network: `depth` layers of `width` units, weights N(0, σ_w²/width), biases
/// N(0, σ_b²), fed two inputs of `width` features.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stack {
    /// σ_w² = n_in Var(W).
    pub sigma_w2: f64,
    /// σ_b² = Var(b).
    pub sigma_b2: f64,
    /// Units per layer (and input features).
    pub width: usize,
    /// Layers.
    pub depth: usize,
}

impl Stack {
    /// A stack with these settings; a zero width or depth, or a bad variance, is an error
    /// naming it.
    pub fn new(sigma_w2: f64, sigma_b2: f64, width: usize, depth: usize) -> Result<Stack, Error> {
        initnet::error::non_negative("weight variance sigma_w^2", sigma_w2)?;
        initnet::error::non_negative("bias variance sigma_b^2", sigma_b2)?;
        if width == 0 {
            return Err(Error::Zero("width"));
        }
        if depth == 0 {
            return Err(Error::Zero("depth"));
        }
        Ok(Stack {
            sigma_w2,
            sigma_b2,
            width,
            depth,
        })
    }

    /// The mean-field state of this stack's (σ_w², σ_b²): q*, c*, χ₁, ξ_q, ξ_c.
    pub fn criticality(&self) -> Result<Criticality, Error> {
        Ok(Criticality::tanh(self.sigma_w2, self.sigma_b2)?)
    }

    /// The input's per-feature second moment s that puts layer 1 at the fixed point:
    /// q¹ = σ_w² s + σ_b² = q* (s = 1 when q* = 0 or q* <= σ_b²).
    fn input_scale(&self, q_star: f64) -> f64 {
        if q_star > self.sigma_b2 && self.sigma_w2 > 0.0 {
            (q_star - self.sigma_b2) / self.sigma_w2
        } else {
            1.0
        }
    }

    /// One network (seed `seed`) fed two inputs x₁ = √s z₁ and x₂ = √s (c₀ z₁ + √(1−c₀²) z₂)
    /// (z independent standard normal vectors, s from q*), as per layer l = 1..=depth: the
    /// mean square of a¹ (the first input's pre-activation), the correlation of a¹ and a²
    /// over the units, and the mean squared difference |a¹ − a²|²/n.
    pub fn run(&self, c0: f64, seed: u64) -> Result<Trajectory, Error> {
        let q_star = theory::tanh_fixed_point(self.sigma_w2, self.sigma_b2)?.unwrap_or(0.0);
        let s = self.input_scale(q_star).sqrt();
        let n = self.width;
        let mut rng = rng(seed);
        let law = StandardNormal;
        let mut h = Array2::<f64>::zeros((n, 2));
        let other = (1.0 - c0 * c0).max(0.0).sqrt();
        for i in 0..n {
            let (z1, z2): (f64, f64) = (law.sample(&mut rng), law.sample(&mut rng));
            h[[i, 0]] = s * z1;
            h[[i, 1]] = s * (c0 * z1 + other * z2);
        }
        let (sw, sb) = ((self.sigma_w2 / n as f64).sqrt(), self.sigma_b2.sqrt());
        let mut t = Trajectory::default();
        for _ in 0..self.depth {
            let w = Array2::from_shape_fn((n, n), |_| sw * law.sample(&mut rng));
            let mut a = kernels::matmul(&w, &h);
            for i in 0..n {
                let b = sb * law.sample(&mut rng);
                a[[i, 0]] += b;
                a[[i, 1]] += b;
            }
            let (mut q1, mut q2, mut q12, mut d) = (0.0, 0.0, 0.0, 0.0);
            for i in 0..n {
                let (u, v) = (a[[i, 0]], a[[i, 1]]);
                q1 += u * u;
                q2 += v * v;
                q12 += u * v;
                d += (u - v) * (u - v);
            }
            t.q.push(q1 / n as f64);
            t.c.push(q12 / (q1 * q2).sqrt());
            t.distance2.push(d / n as f64);
            h = a.mapv(|x| Activation::Tanh.f(x));
        }
        Ok(t)
    }
}

/// One network's two inputs, layer by layer (index l−1 for layer l).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trajectory {
    /// Mean square of the first input's pre-activation over the units.
    pub q: Vec<f64>,
    /// Correlation of the two inputs' pre-activations over the units.
    pub c: Vec<f64>,
    /// Mean squared difference of the two pre-activations, |a¹ − a²|²/n.
    pub distance2: Vec<f64>,
}

/// The correlation of two inputs through one stack, over seeds, and its mean-field
/// prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationStudy {
    /// The network.
    pub stack: Stack,
    /// The inputs' correlation c₀.
    pub c0: f64,
    /// The mean-field state.
    pub criticality: Criticality,
    /// One trajectory per seed.
    pub runs: Vec<Trajectory>,
    /// The mean field: c¹ = (σ_w² s c₀ + σ_b²)/q*, then cˡ⁺¹ = c-map(cˡ) at q*.
    pub predicted: Vec<f64>,
}

impl CorrelationStudy {
    /// Runs the stack over `seeds` from inputs of correlation `c0` (in [-1, 1]).
    pub fn run(stack: Stack, c0: f64, seeds: &[u64]) -> Result<CorrelationStudy, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        if !(-1.0..=1.0).contains(&c0) {
            return Err(initnet::Error::OutOfRange {
                name: "input correlation c0",
                expected: "in [-1, 1]",
                value: c0,
            }
            .into());
        }
        let criticality = stack.criticality()?;
        let q = criticality.q_star;
        if q == 0.0 {
            return Err(initnet::Error::OutOfRange {
                name: "fixed point q* (the signal dies out: give sigma_b^2 > 0 or sigma_w^2 > 1)",
                expected: "> 0",
                value: q,
            }
            .into());
        }
        let s = stack.input_scale(q);
        let mut c = ((stack.sigma_w2 * s * c0 + stack.sigma_b2) / q).clamp(-1.0, 1.0);
        let mut predicted = vec![c];
        for _ in 1..stack.depth {
            c = theory::c_map(Activation::Tanh, stack.sigma_w2, stack.sigma_b2, q, c)?
                .clamp(-1.0, 1.0);
            predicted.push(c);
        }
        let runs = per_seed(seeds, |seed| stack.run(c0, seed))?;
        Ok(CorrelationStudy {
            stack,
            c0,
            criticality,
            runs,
            predicted,
        })
    }

    /// The correlation by layer, averaged over seeds.
    pub fn mean_c(&self) -> Vec<f64> {
        (0..self.stack.depth)
            .map(|l| book::mean(self.runs.iter().map(|r| r.c[l]).collect::<Vec<_>>()))
            .collect()
    }

    /// The largest |mean measured − predicted| correlation over the layers.
    pub fn worst_gap(&self) -> f64 {
        self.mean_c()
            .iter()
            .zip(&self.predicted)
            .map(|(m, p)| (m - p).abs())
            .fold(0.0, f64::max)
    }
}

/// The chapter's correlation settings: width 200, depth 30, σ_b² = 0.05 (the bias of
/// Schoenholz et al.'s experiments), inputs of correlation 0.5, and σ_w² in the ordered
/// phase (1), at the critical point (≈ 1.76, computed by `theory::tanh_critical_sigma_w2`)
/// and in the chaotic phase (4).
pub const CORRELATION_WIDTH: usize = 200;
/// Depth of the correlation study.
pub const CORRELATION_DEPTH: usize = 30;
/// σ_b² of every study of the chapter but the phase diagram's.
pub const SIGMA_B2: f64 = 0.05;
/// Correlation of the two inputs.
pub const C0: f64 = 0.5;

/// The three σ_w² of the correlation study: ordered, critical, chaotic.
pub fn correlation_sigma_w2() -> Result<[f64; 3], Error> {
    Ok([1.0, theory::tanh_critical_sigma_w2(SIGMA_B2)?, 4.0])
}

static CORRELATIONS: Memo<Vec<u64>, Vec<CorrelationStudy>> = Memo::new();

/// The chapter's three correlation studies (memoized per process).
pub fn correlation_studies(seeds: &[u64]) -> Result<Vec<CorrelationStudy>, Error> {
    CORRELATIONS.get_or_run(seeds.to_vec(), || {
        correlation_sigma_w2()?
            .iter()
            .map(|&w| {
                let stack = Stack::new(w, SIGMA_B2, CORRELATION_WIDTH, CORRELATION_DEPTH)?;
                CorrelationStudy::run(stack, C0, seeds)
            })
            .collect()
    })
}

/// ln χ₁ measured in one stack: two inputs a hair apart (c₀ = 1 − 2·10⁻⁸, a relative
/// distance of 10⁻⁴) whose squared distance |a¹ − a²|²/n grows by the c-map's slope at
/// c = 1, χ₁, per layer in the mean field; ln of its growth from layer 1 to the last,
/// averaged over seeds, per layer. Returned with the standard deviation over seeds of the
/// per-seed value (the mean of the growth, not of its log: the log of a noisy growth is
/// biased low by half its variance).
pub fn measured_chi1(stack: Stack, seeds: &[u64]) -> Result<(f64, f64), Error> {
    if seeds.is_empty() {
        return Err(Error::NoSeeds);
    }
    let ratios = per_seed(seeds, |seed| {
        let t = stack.run(1.0 - 2e-8, seed)?;
        let d = &t.distance2;
        Ok::<_, book::Error>(d[d.len() - 1] / d[0])
    })?;
    let layers = (stack.depth - 1).max(1) as f64;
    let logs: Vec<f64> = ratios.iter().map(|r| math::ln(*r) / layers).collect();
    Ok((
        math::ln(book::mean(&ratios)) / layers,
        book::sample_sd(&logs),
    ))
}

/// The phase-diagram study: the grid of σ_w² and σ_b², and its network.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseStudy {
    /// σ_w² of the grid.
    pub sigma_w2: Vec<f64>,
    /// σ_b² of the grid.
    pub sigma_b2: Vec<f64>,
    /// Width of every network.
    pub width: usize,
    /// Depth of every network.
    pub depth: usize,
    /// ln χ₁ measured (mean over seeds), `[b][w]`.
    pub log_chi1: Vec<Vec<f64>>,
    /// Its standard deviation over seeds, `[b][w]`.
    pub log_chi1_sd: Vec<Vec<f64>>,
}

impl PhaseStudy {
    /// The chapter's grid: σ_w² = 0.5, 1, …, 4.5 and σ_b² = 0.05, 0.2, 0.5, 1, width
    /// 100, depth 16.
    pub fn chapter(seeds: &[u64]) -> Result<PhaseStudy, Error> {
        static PHASE: Memo<Vec<u64>, PhaseStudy> = Memo::new();
        PHASE.get_or_run(seeds.to_vec(), || {
            let sigma_w2: Vec<f64> = (0..9).map(|i| 0.5 + 0.5 * i as f64).collect();
            PhaseStudy::run(&sigma_w2, &[0.05, 0.2, 0.5, 1.0], 100, 16, seeds)
        })
    }

    /// Measures χ₁ over the grid.
    pub fn run(
        sigma_w2: &[f64],
        sigma_b2: &[f64],
        width: usize,
        depth: usize,
        seeds: &[u64],
    ) -> Result<PhaseStudy, Error> {
        let (mut log_chi1, mut log_chi1_sd) = (Vec::new(), Vec::new());
        for &b in sigma_b2 {
            let (mut m, mut s) = (Vec::new(), Vec::new());
            for &w in sigma_w2 {
                let (mean, sd) = measured_chi1(Stack::new(w, b, width, depth)?, seeds)?;
                m.push(mean);
                s.push(sd);
            }
            log_chi1.push(m);
            log_chi1_sd.push(s);
        }
        Ok(PhaseStudy {
            sigma_w2: sigma_w2.to_vec(),
            sigma_b2: sigma_b2.to_vec(),
            width,
            depth,
            log_chi1,
            log_chi1_sd,
        })
    }

    /// The measured critical σ_w² for σ_b² index `b`: where the measured ln χ₁ first
    /// crosses 0, by linear interpolation between the grid's points; None if it does not.
    pub fn measured_critical(&self, b: usize) -> Option<f64> {
        first_crossing(&self.sigma_w2, self.log_chi1.get(b)?)
    }

    /// What the same interpolation finds from the mean field's exact ln χ₁ on the same
    /// grid, for σ_b² index `b`: the part of the measured crossing's error that comes from
    /// the grid alone; None if it does not cross.
    pub fn interpolated_critical(&self, b: usize) -> Result<Option<f64>, Error> {
        let Some(&sigma_b2) = self.sigma_b2.get(b) else {
            return Ok(None);
        };
        let exact = self
            .sigma_w2
            .iter()
            .map(|&w| Ok(math::ln(Criticality::tanh(w, sigma_b2)?.chi1)))
            .collect::<Result<Vec<f64>, Error>>()?;
        Ok(first_crossing(&self.sigma_w2, &exact))
    }
}

/// Where `ys` (over the increasing `xs`) first crosses 0 from below, by linear
/// interpolation between the two points around the crossing; None if it does not.
pub fn first_crossing(xs: &[f64], ys: &[f64]) -> Option<f64> {
    (1..ys.len().min(xs.len())).find_map(|i| {
        (ys[i - 1] < 0.0 && ys[i] >= 0.0).then(|| {
            let t = -ys[i - 1] / (ys[i] - ys[i - 1]);
            xs[i - 1] + t * (xs[i] - xs[i - 1])
        })
    })
}

//! Training speed of a deep tanh network near q* → 0 from scaled Gaussian or orthogonal
//! weights: full-batch gradient descent on a linear teacher with small inputs, each
//! initializer at its best learning rate of a short sweep.

use initnet::Activation;
use initnet::rng;

use crate::Error;
use crate::linear::Weights;

/// The task and the network: `depth` square tanh layers of `width` units, zero biases,
/// Var(W) = σ_w²/n, fed `batch` inputs with N(0, q_in) entries, trained to map them to
/// A x for a Haar orthogonal A (a linear teacher), on the relative loss ‖H − Y‖²/‖Y‖².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speed {
    /// The activation.
    pub activation: Activation,
    /// σ_w².
    pub sigma_w2: f64,
    /// Width n.
    pub width: usize,
    /// Depth L.
    pub depth: usize,
    /// Batch (training points).
    pub batch: usize,
    /// Input mean square.
    pub q_in: f64,
    /// Steps of gradient descent.
    pub steps: usize,
}

/// C (m×p) = A (m×k) B (k×p) with optional transposes, row-major, fma chains.
#[allow(clippy::too_many_arguments)]
fn mm(a: &[f64], ta: bool, b: &[f64], tb: bool, m: usize, k: usize, p: usize, c: &mut [f64]) {
    for i in 0..m {
        for j in 0..p {
            let mut acc = 0.0f64;
            for r in 0..k {
                let x = if ta { a[r * m + i] } else { a[i * k + r] };
                let y = if tb { b[j * k + r] } else { b[r * p + j] };
                acc = x.mul_add(y, acc);
            }
            c[i * p + j] = acc;
        }
    }
}

/// The learning rates of the sweep: 0.0125 × 2^k, k = 0..4.
pub const RATES: [f64; 5] = [0.0125, 0.025, 0.05, 0.1, 0.2];

/// The seeds of the sweep, apart from the chapter's seeds 0..19 that measure.
pub const SWEEP_SEEDS: [u64; 20] = book::seeds(100);

impl Speed {
    /// The chapter's: tanh at σ_w² = 1, n = 16, L = 32, 16 inputs with q_in = 0.01, 100
    /// steps.
    pub fn chapter() -> Self {
        Speed {
            activation: Activation::Tanh,
            sigma_w2: 1.0,
            width: 16,
            depth: 32,
            batch: 16,
            q_in: 0.01,
            steps: 100,
        }
    }

    /// Relative loss ‖H−Y‖²/‖Y‖² before each step (steps + 1 entries).
    pub fn train(&self, weights: Weights, eta: f64, seed: u64) -> Result<Vec<f64>, Error> {
        let (n, b, depth) = (self.width, self.batch, self.depth);
        if n == 0 || b == 0 || depth == 0 {
            return Err(Error::Zero("width, batch and depth"));
        }
        if !(eta.is_finite() && eta > 0.0) {
            return Err(initnet::Error::OutOfRange {
                name: "learning rate",
                expected: "finite and > 0",
                value: eta,
            }
            .into());
        }
        let mut g = rng(seed);
        let x = initnet::random::normal_matrix((n, b), self.q_in.sqrt(), &mut g)?;
        let a = initnet::Init::orthogonal().sample(n, n, &mut g)?;
        let x: Vec<f64> = x.iter().copied().collect();
        let a: Vec<f64> = a.iter().copied().collect();
        let mut y = vec![0.0; n * b];
        mm(&a, false, &x, false, n, n, b, &mut y);
        let yy: f64 = y.iter().map(|v| v * v).sum();
        let init = weights.init(self.sigma_w2.sqrt())?;
        let mut w: Vec<Vec<f64>> = (0..depth)
            .map(|_| {
                init.sample(n, n, &mut g)
                    .map(|m| m.iter().copied().collect())
            })
            .collect::<Result<_, _>>()?;
        let f = self.activation;
        let mut h = vec![x; depth + 1];
        let mut losses = Vec::with_capacity(self.steps + 1);
        let (mut delta, mut next, mut grad) =
            (vec![0.0; n * b], vec![0.0; n * b], vec![0.0; n * n]);
        for step in 0..=self.steps {
            for l in 1..=depth {
                let (done, rest) = h.split_at_mut(l);
                mm(&w[l - 1], false, &done[l - 1], false, n, n, b, &mut rest[0]);
                for v in rest[0].iter_mut() {
                    *v = f.f(*v);
                }
            }
            let mut loss = 0.0;
            for ((d, o), t) in delta.iter_mut().zip(&h[depth]).zip(&y) {
                let e = o - t;
                loss += e * e;
                *d = 2.0 * e / yy;
            }
            losses.push(loss / yy);
            if step == self.steps || !loss.is_finite() {
                break;
            }
            for l in (1..=depth).rev() {
                // dA = δ ⊙ f'(a), from h = f(a): tanh' = 1 - h².
                for (d, o) in delta.iter_mut().zip(&h[l]) {
                    *d *= match f {
                        Activation::Tanh => 1.0 - o * o,
                        _ => {
                            if *o > 0.0 {
                                1.0
                            } else {
                                0.0
                            }
                        }
                    };
                }
                mm(&delta, false, &h[l - 1], true, n, b, n, &mut grad);
                mm(&w[l - 1], true, &delta, false, n, n, b, &mut next);
                for (wi, gi) in w[l - 1].iter_mut().zip(&grad) {
                    *wi -= eta * gi;
                }
                std::mem::swap(&mut delta, &mut next);
            }
        }
        Ok(losses)
    }
}

/// The sweep and the measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeedStudy {
    /// The experiment.
    pub speed: Speed,
    /// `sweep[w][r]`: median over [`SWEEP_SEEDS`] of ln(final loss), w in [Gaussian,
    /// orthogonal] order, r in [`RATES`] order (a diverged run counts as +∞).
    pub sweep: Vec<Vec<f64>>,
    /// `grew[w][r]`: how many sweep runs end above their initial loss (or diverge).
    pub grew: Vec<Vec<usize>>,
    /// Each initializer's best rate (lowest `sweep`).
    pub best: [f64; 2],
    /// `losses[w][s][t]`: the loss of seed s before step t at the best rate.
    pub losses: Vec<Vec<Vec<f64>>>,
}

/// The two initializers, in the study's order.
pub const WEIGHTS: [Weights; 2] = [Weights::Gaussian, Weights::Orthogonal];

impl SpeedStudy {
    /// Sweeps the rates on [`SWEEP_SEEDS`], then trains every seed at each best rate.
    pub fn run(speed: Speed, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        let (mut sweep, mut grew) = (Vec::new(), Vec::new());
        let mut best = [0.0; 2];
        let mut losses = Vec::new();
        for (i, w) in WEIGHTS.into_iter().enumerate() {
            let mut grew_row = Vec::new();
            let row = RATES
                .iter()
                .map(|&eta| {
                    let mut lns = Vec::new();
                    let mut up = 0;
                    for &s in &SWEEP_SEEDS {
                        let run = speed.train(w, eta, s)?;
                        let last = run[speed.steps];
                        // A NaN (diverged) final loss counts as grown.
                        up += usize::from(last > run[0] || last.is_nan());
                        lns.push(if last.is_finite() {
                            initnet::math::ln(last)
                        } else {
                            f64::INFINITY
                        });
                    }
                    grew_row.push(up);
                    Ok(median(lns))
                })
                .collect::<Result<Vec<f64>, Error>>()?;
            grew.push(grew_row);
            let k = (0..RATES.len())
                .min_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(0);
            best[i] = RATES[k];
            sweep.push(row);
            losses.push(
                seeds
                    .iter()
                    .map(|&s| speed.train(w, best[i], s))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(SpeedStudy {
            speed,
            sweep,
            grew,
            best,
            losses,
        })
    }

    /// ln(loss) at step t of every seed, Gaussian minus orthogonal (paired by seed).
    pub fn paired_log_ratio(&self, t: usize) -> Vec<f64> {
        self.losses[0]
            .iter()
            .zip(&self.losses[1])
            .map(|(g, o)| initnet::math::ln(g[t]) - initnet::math::ln(o[t]))
            .collect()
    }

    /// The median over seeds of the loss before every step, for initializer w (each step's
    /// own median).
    pub fn median(&self, w: usize) -> Vec<f64> {
        (0..=self.speed.steps)
            .map(|t| median(self.losses[w].iter().map(|l| l[t]).collect()))
            .collect()
    }

    /// The first step at which the loss of seed s of initializer w is at most `threshold`.
    pub fn steps_to(&self, w: usize, s: usize, threshold: f64) -> Option<usize> {
        self.losses[w][s].iter().position(|&l| l <= threshold)
    }
}

/// The median of `v` (the mean of the middle two for an even count).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let k = v.len();
    if k % 2 == 1 {
        v[k / 2]
    } else {
        0.5 * (v[k / 2 - 1] + v[k / 2])
    }
}

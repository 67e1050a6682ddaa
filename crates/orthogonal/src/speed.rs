//! Training speed of a deep tanh network near q* → 0 from scaled Gaussian or orthogonal
//! weights: full-batch gradient descent on a linear teacher with small inputs, each
//! initializer at its best learning rate of a short sweep.

use std::cmp::Ordering;

use initnet::kernels::matmul;
use initnet::ndarray::Array2;
use initnet::{Activation, rng};

use crate::Error;
use crate::linear::Weights;
use book::memo::{Memo, per_item};

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

/// The learning rates of the sweep: 0.05 × 2^k, k = 0..3.
pub const RATES: [f64; 4] = [0.05, 0.1, 0.2, 0.4];

/// The seeds of the sweep, apart from the chapter's seeds 0..19 that measure.
pub const SWEEP_SEEDS: [u64; 20] = book::seeds(100);

impl Speed {
    /// The chapter's: tanh at σ_w² = 1, n = 16, L = 16, 16 inputs with q_in = 0.01, 60
    /// steps.
    pub fn chapter() -> Self {
        Speed {
            activation: Activation::Tanh,
            sigma_w2: 1.0,
            width: 16,
            depth: 16,
            batch: 16,
            q_in: 0.01,
            steps: 60,
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
        let y = matmul(&a, &x);
        let yy: f64 = y.iter().map(|v| v * v).sum();
        let init = weights.init(self.sigma_w2.sqrt())?;
        let mut w: Vec<Array2<f64>> = (0..depth)
            .map(|_| init.sample(n, n, &mut g))
            .collect::<Result<_, _>>()?;
        let f = self.activation;
        let mut h = vec![x; depth + 1];
        let mut losses = Vec::with_capacity(self.steps + 1);
        for step in 0..=self.steps {
            for l in 1..=depth {
                h[l] = f.apply(&matmul(&w[l - 1], &h[l - 1]));
            }
            let mut loss = 0.0;
            let mut delta = Array2::zeros((n, b));
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
                // dA = δ ⊙ f'(a), read off h = f(a) (tanh' = 1 - h²; h > 0 where a > 0).
                delta.zip_mut_with(&h[l], |d, &o| *d *= f.df_given(o, o));
                let grad = matmul(&delta, &h[l - 1].t());
                let next = matmul(&w[l - 1].t(), &delta);
                w[l - 1].zip_mut_with(&grad, |wi, gi| *wi -= eta * gi);
                delta = next;
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
    /// Each initializer's best stable rate: the lowest `sweep` among the rates at which no
    /// sweep run ends above its start.
    pub best: [f64; 2],
    /// `losses[w][s][t]`: the loss of seed s before step t at the best rate.
    pub losses: Vec<Vec<Vec<f64>>>,
    /// `tied[s][t]`: the Gaussian network of seed s trained at the orthogonal one's best
    /// rate, the comparison at one rate for both (the same runs as `losses[0]` when both
    /// best rates agree).
    pub tied: Vec<Vec<f64>>,
}

/// The two initializers, in the study's order.
pub const WEIGHTS: [Weights; 2] = [Weights::Gaussian, Weights::Orthogonal];

impl SpeedStudy {
    /// Sweeps the rates on [`SWEEP_SEEDS`], then trains every seed at each best rate, and
    /// the Gaussian networks also at the orthogonal networks' best rate. Computed once per
    /// process for given arguments, the runs shared out over the cores.
    pub fn run(speed: Speed, seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        static MEMO: Memo<(Speed, Vec<u64>), SpeedStudy> = Memo::new();
        MEMO.get_or_run((speed, seeds.to_vec()), || Self::compute(speed, seeds))
    }

    fn compute(speed: Speed, seeds: &[u64]) -> Result<Self, Error> {
        let jobs: Vec<(Weights, f64, u64)> = WEIGHTS
            .iter()
            .flat_map(|&w| {
                RATES
                    .iter()
                    .flat_map(move |&eta| SWEEP_SEEDS.iter().map(move |&s| (w, eta, s)))
            })
            .collect();
        // (initial loss, final loss), a run that stopped early (diverged) ending at +∞.
        let ends = per_item(&jobs, |&(w, eta, s)| {
            let run = speed.train(w, eta, s)?;
            let last = if run.len() == speed.steps + 1 {
                run[speed.steps]
            } else {
                f64::INFINITY
            };
            Ok::<_, book::Error>((run[0], last))
        })?;
        let (mut sweep, mut grew) = (Vec::new(), Vec::new());
        let mut best = [0.0; 2];
        for (i, per_weights) in ends.chunks(RATES.len() * SWEEP_SEEDS.len()).enumerate() {
            let mut row = Vec::new();
            let mut grew_row = Vec::new();
            for per_rate in per_weights.chunks(SWEEP_SEEDS.len()) {
                // A NaN or infinite final loss counts as grown.
                grew_row.push(
                    per_rate
                        .iter()
                        .filter(|(first, last)| {
                            matches!(last.partial_cmp(first), Some(Ordering::Greater) | None)
                        })
                        .count(),
                );
                let lns = per_rate
                    .iter()
                    .map(|&(_, last)| {
                        if last.is_finite() {
                            initnet::math::ln(last)
                        } else {
                            f64::INFINITY
                        }
                    })
                    .collect();
                row.push(median(lns));
            }
            // The best stable rate: the lowest median among the rates at which no sweep
            // run ends above its start (all rates if none is stable). A median alone would
            // pick a rate at the edge of instability, where some runs blow up.
            let stable: Vec<usize> = (0..RATES.len()).filter(|&r| grew_row[r] == 0).collect();
            let candidates = if stable.is_empty() {
                (0..RATES.len()).collect()
            } else {
                stable
            };
            let k = candidates
                .into_iter()
                .min_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(0);
            best[i] = RATES[k];
            sweep.push(row);
            grew.push(grew_row);
        }
        // The Gaussian networks at the orthogonal ones' rate only if that is another rate.
        let tied_rate = (best[1] != best[0]).then_some(best[1]);
        let measure: Vec<(Weights, f64)> =
            [(Weights::Gaussian, best[0]), (Weights::Orthogonal, best[1])]
                .into_iter()
                .chain(tied_rate.map(|eta| (Weights::Gaussian, eta)))
                .collect();
        let jobs: Vec<(Weights, f64, u64)> = measure
            .iter()
            .flat_map(|&(w, eta)| seeds.iter().map(move |&s| (w, eta, s)))
            .collect();
        let mut runs = per_item(&jobs, |&(w, eta, s)| speed.train(w, eta, s))?;
        let mut tied = runs.split_off(2 * seeds.len());
        let orth = runs.split_off(seeds.len());
        if tied.is_empty() {
            tied = runs.clone();
        }
        Ok(SpeedStudy {
            speed,
            sweep,
            grew,
            best,
            losses: vec![runs, orth],
            tied,
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

    /// The median over seeds of the loss before every step of the Gaussian networks
    /// trained at the orthogonal ones' best rate ([`SpeedStudy::tied`]).
    pub fn median_tied(&self) -> Vec<f64> {
        (0..=self.speed.steps)
            .map(|t| median(self.tied.iter().map(|l| l[t]).collect()))
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

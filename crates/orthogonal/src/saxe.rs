//! Learning in deep linear networks (Saxe, McClelland and Ganguli, 2014), in miniature:
//! a network W_L ⋯ W_1 of L square layers learns a linear map A from whitened inputs, by
//! full-batch gradient descent on the population loss ½‖A - W_L ⋯ W_1‖²_F with learning
//! rate η/L, from three starts: balanced and aligned with the task (where Saxe's
//! closed-form trajectory holds exactly), random orthogonal, and scaled Gaussian.

use initnet::kernels::matmul;
use initnet::ndarray::Array2;
use initnet::{Init, rng};

use crate::Error;
use book::memo::{Memo, per_item};

/// How the network starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// W_l = R_l R_{l-1}ᵀ with R_0 = V, R_L = U, A = U diag(s) Vᵀ and the other R_l Haar:
    /// every layer orthogonal, every mode of the product at strength 1 and aligned with the
    /// task's singular vectors, so the modes learn independently.
    Aligned,
    /// Every W_l Haar orthogonal, independent of the task.
    Orthogonal,
    /// Every W_l with N(0, 1/n) entries.
    Gaussian,
}

impl Start {
    /// The three starts, in the order of the chapter's charts.
    pub const ALL: [Start; 3] = [Start::Aligned, Start::Orthogonal, Start::Gaussian];

    /// A short name for charts and printouts.
    pub fn name(self) -> &'static str {
        match self {
            Start::Aligned => "aligned orthogonal",
            Start::Orthogonal => "random orthogonal",
            Start::Gaussian => "Gaussian",
        }
    }
}

/// A task: the target A and its singular vectors U and V.
pub type Task = (Array2<f64>, Array2<f64>, Array2<f64>);

/// The task and the training.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// Width n of every layer (inputs and outputs too).
    pub n: usize,
    /// The singular values s_α of the target map A (length n).
    pub targets: Vec<f64>,
    /// The learning rate η; each layer moves by η/L times its gradient.
    pub eta: f64,
    /// Training stops once the loss is at most this.
    pub threshold: f64,
    /// And after this many epochs at most.
    pub max_epochs: usize,
}

impl Setting {
    /// The chapter's: n = 8, targets 2, 1.75, ..., 0.25, η = 0.1, threshold 0.01, at most
    /// 400 epochs.
    pub fn chapter() -> Self {
        let n = 8;
        Setting {
            n,
            targets: (0..n).map(|a| 2.0 - 0.25 * a as f64).collect(),
            eta: 0.1,
            threshold: 0.01,
            max_epochs: 400,
        }
    }

    /// The target A = U diag(s) Vᵀ of `seed`, with U and V Haar, and U, V.
    pub fn task(&self, seed: u64) -> Result<Task, Error> {
        let mut g = rng(seed ^ 0x5A5E);
        let u = Init::orthogonal().sample(self.n, self.n, &mut g)?;
        let v = Init::orthogonal().sample(self.n, self.n, &mut g)?;
        let mut us = u.clone();
        for (mut col, s) in us.columns_mut().into_iter().zip(&self.targets) {
            col.mapv_inplace(|x| x * s);
        }
        Ok((matmul(&us, &v.t()), u, v))
    }

    /// The layers W_1, ..., W_L of `start` for the task of `seed`.
    pub fn layers(&self, depth: usize, start: Start, seed: u64) -> Result<Vec<Array2<f64>>, Error> {
        if depth == 0 {
            return Err(Error::Zero("depth L"));
        }
        let n = self.n;
        let mut g = rng(seed);
        Ok(match start {
            Start::Gaussian => (0..depth)
                .map(|_| Init::lecun_normal().sample(n, n, &mut g))
                .collect::<Result<_, _>>()?,
            Start::Orthogonal => (0..depth)
                .map(|_| Init::orthogonal().sample(n, n, &mut g))
                .collect::<Result<_, _>>()?,
            Start::Aligned => {
                let (_, u, v) = self.task(seed)?;
                let mut r = vec![v];
                for _ in 1..depth {
                    r.push(Init::orthogonal().sample(n, n, &mut g)?);
                }
                r.push(u);
                (1..=depth).map(|l| matmul(&r[l], &r[l - 1].t())).collect()
            }
        })
    }
}

/// Whether the start's product W_L ⋯ W_1 and the target A have determinants of the same
/// sign: only then can gradient descent reach A without passing through a singular
/// product (the invertible matrices form two components, det > 0 and det < 0). The sign
/// of a determinant that is far from zero is robust to rounding (nalgebra's LU).
pub fn same_component(
    setting: &Setting,
    depth: usize,
    start: Start,
    seed: u64,
) -> Result<bool, Error> {
    let (a, _, _) = setting.task(seed)?;
    let n = setting.n;
    let mut p = Array2::eye(n);
    for w in setting.layers(depth, start, seed)? {
        p = matmul(&w, &p);
    }
    let det = |m: &Array2<f64>| nalgebra::DMatrix::from_fn(n, n, |i, j| m[[i, j]]).determinant();
    Ok(det(&a) * det(&p) > 0.0)
}

/// C = op(A) op(B) for n × n row-major matrices, each element one chain
/// c = fma(a_ik, b_kj, c) over k = 0, 1, ... from 0, as initnet's products compute it
/// (portable to the last bit), without their dispatch overhead, which dominates at n = 8.
/// `ta`/`tb`: use the transpose of A/B.
fn mm(a: &[f64], ta: bool, b: &[f64], tb: bool, n: usize, c: &mut [f64]) {
    for i in 0..n {
        for j in 0..n {
            let mut acc = 0.0f64;
            for k in 0..n {
                let x = if ta { a[k * n + i] } else { a[i * n + k] };
                let y = if tb { b[j * n + k] } else { b[k * n + j] };
                acc = x.mul_add(y, acc);
            }
            c[i * n + j] = acc;
        }
    }
}

/// One training run: the loss before every epoch, until it reaches the threshold (the last
/// entry is then at most the threshold) or the epochs run out.
pub fn train(setting: &Setting, depth: usize, start: Start, seed: u64) -> Result<Vec<f64>, Error> {
    let (a, _, _) = setting.task(seed)?;
    let n = setting.n;
    let flat = |m: &Array2<f64>| m.iter().copied().collect::<Vec<f64>>();
    let a = flat(&a);
    let mut w: Vec<Vec<f64>> = setting
        .layers(depth, start, seed)?
        .iter()
        .map(flat)
        .collect();
    let step = setting.eta / depth as f64;
    let mut eye = vec![0.0; n * n];
    for i in 0..n {
        eye[i * n + i] = 1.0;
    }
    // prefix[l] = W_l ⋯ W_1 (prefix[0] = I).
    let mut prefix = vec![eye; depth + 1];
    let (mut back, mut next_back, mut grad) =
        (vec![0.0; n * n], vec![0.0; n * n], vec![0.0; n * n]);
    let mut losses = Vec::new();
    loop {
        for l in 1..=depth {
            let (done, rest) = prefix.split_at_mut(l);
            mm(&w[l - 1], false, &done[l - 1], false, n, &mut rest[0]);
        }
        let mut current = 0.0;
        for (e, (p, t)) in back.iter_mut().zip(prefix[depth].iter().zip(&a)) {
            *e = p - t;
            current += *e * *e;
        }
        current *= 0.5;
        losses.push(current);
        if current <= setting.threshold || !current.is_finite() || losses.len() > setting.max_epochs
        {
            break;
        }
        // Going down, back = (W_L ⋯ W_{l+1})ᵀ E; grad_l = back prefix[l-1]ᵀ.
        for l in (1..=depth).rev() {
            mm(&back, false, &prefix[l - 1], true, n, &mut grad);
            mm(&w[l - 1], true, &back, false, n, &mut next_back);
            for (x, g) in w[l - 1].iter_mut().zip(&grad) {
                *x -= step * g;
            }
            std::mem::swap(&mut back, &mut next_back);
        }
    }
    Ok(losses)
}

/// The epochs to reach the threshold (the number of updates), or None within the budget.
pub fn epochs_to_threshold(losses: &[f64], threshold: f64) -> Option<usize> {
    losses.iter().position(|&l| l <= threshold)
}

/// Saxe's continuous-time prediction for the aligned start: each mode follows
/// [`theory::deep_linear_mode`] from u0 = 1; the loss ½ Σ_α (s_α - u_α(t))² at time t.
pub fn predicted_loss(setting: &Setting, depth: usize, t: f64) -> Result<f64, Error> {
    let mut total = 0.0;
    for &s in &setting.targets {
        let u = theory::deep_linear_mode(depth, s, 1.0, setting.eta, t)?;
        total += 0.5 * (s - u) * (s - u);
    }
    Ok(total)
}

/// The predicted time to reach the threshold from the aligned start: bisection on
/// [`predicted_loss`], which decreases in t.
pub fn predicted_epochs(setting: &Setting, depth: usize) -> Result<f64, Error> {
    let (mut lo, mut hi) = (0.0, 1.0);
    while predicted_loss(setting, depth, hi)? > setting.threshold {
        hi *= 2.0;
    }
    for _ in 0..20 {
        let mid = 0.5 * (lo + hi);
        if predicted_loss(setting, depth, mid)? > setting.threshold {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(hi)
}

/// The discrete map of one mode from the aligned start, exactly as gradient descent moves
/// it: a ← a + (η/L) a^(L-1) (s - a^L), from a = 1. The losses until the threshold, as
/// [`train`] records them.
pub fn aligned_mode_map(setting: &Setting, depth: usize) -> Vec<f64> {
    let step = setting.eta / depth as f64;
    let mut a = vec![1.0; setting.targets.len()];
    let mut losses = Vec::new();
    for _ in 0..=setting.max_epochs {
        let pow_l = |x: f64| initnet::math::powi(x, depth as i32);
        let current = 0.5
            * a.iter()
                .zip(&setting.targets)
                .map(|(x, s)| (s - pow_l(*x)) * (s - pow_l(*x)))
                .sum::<f64>();
        losses.push(current);
        if current <= setting.threshold || losses.len() > setting.max_epochs {
            break;
        }
        for (x, s) in a.iter_mut().zip(&setting.targets) {
            *x += step * initnet::math::powi(*x, depth as i32 - 1) * (s - pow_l(*x));
        }
    }
    losses
}

/// Epochs to threshold for every depth, start and seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SaxeStudy {
    /// The setting.
    pub setting: Setting,
    /// The depths L.
    pub depths: Vec<usize>,
    /// `epochs[start][d][s]`, starts in [`Start::ALL`] order; None: not within the budget.
    pub epochs: Vec<Vec<Vec<Option<usize>>>>,
    /// The continuous-time prediction for the aligned start, per depth.
    pub predicted: Vec<f64>,
    /// `same[start][d][s]`: [`same_component`] of that run.
    pub same: Vec<Vec<Vec<bool>>>,
    /// `loose[start][d][s]`: the epochs to the looser threshold [`LOOSE_THRESHOLD`], read
    /// from the same runs (a run that reaches the chapter's threshold passed it first).
    pub loose: Vec<Vec<Vec<Option<usize>>>>,
}

/// A looser loss threshold, above the bound [`wrong_side_floor`]: a product on the wrong
/// side can reach it without crossing a singular matrix.
pub const LOOSE_THRESHOLD: f64 = 0.05;

/// The smallest loss ½‖A − M‖²_F of a product M whose determinant does not have the sign
/// of A's: ½ s_min², since the nearest singular matrix to A is s_min away (Eckart–Young).
pub fn wrong_side_floor(setting: &Setting) -> f64 {
    let s = setting
        .targets
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    0.5 * s * s
}

impl SaxeStudy {
    /// Trains every start at every depth for every seed.
    pub fn run(setting: &Setting, depths: &[usize], seeds: &[u64]) -> Result<Self, Error> {
        if seeds.is_empty() {
            return Err(Error::NoSeeds);
        }
        static MEMO: Memo<(Setting, Vec<usize>, Vec<u64>), SaxeStudy> = Memo::new();
        let key = (setting.clone(), depths.to_vec(), seeds.to_vec());
        MEMO.get_or_run(key, || Self::compute(setting, depths, seeds))
    }

    fn compute(setting: &Setting, depths: &[usize], seeds: &[u64]) -> Result<Self, Error> {
        // Every (start, depth, seed) run on its own, shared out over the cores.
        let jobs: Vec<(Start, usize, u64)> = Start::ALL
            .iter()
            .flat_map(|&start| {
                depths
                    .iter()
                    .flat_map(move |&l| seeds.iter().map(move |&seed| (start, l, seed)))
            })
            .collect();
        let runs = per_item(&jobs, |&(start, l, seed)| {
            let losses = train(setting, l, start, seed)?;
            Ok::<_, book::Error>((
                epochs_to_threshold(&losses, setting.threshold),
                epochs_to_threshold(&losses, LOOSE_THRESHOLD),
                same_component(setting, l, start, seed)?,
            ))
        })?;
        let mut runs = runs.into_iter();
        let (mut epochs, mut same, mut loose) = (Vec::new(), Vec::new(), Vec::new());
        for _ in Start::ALL {
            let (mut per_depth, mut same_depth, mut loose_depth) =
                (Vec::new(), Vec::new(), Vec::new());
            for _ in depths {
                let (mut e, mut sides, mut looser) = (Vec::new(), Vec::new(), Vec::new());
                for (done, loosely, side) in runs.by_ref().take(seeds.len()) {
                    e.push(done);
                    looser.push(loosely);
                    sides.push(side);
                }
                per_depth.push(e);
                same_depth.push(sides);
                loose_depth.push(looser);
            }
            epochs.push(per_depth);
            same.push(same_depth);
            loose.push(loose_depth);
        }
        let predicted = depths
            .iter()
            .map(|&l| predicted_epochs(setting, l))
            .collect::<Result<_, _>>()?;
        Ok(SaxeStudy {
            setting: setting.clone(),
            depths: depths.to_vec(),
            epochs,
            predicted,
            same,
            loose,
        })
    }

    /// The median over seeds of the epochs (budget + 1 for runs that did not finish).
    pub fn median(&self, start: usize, d: usize) -> f64 {
        let mut v: Vec<f64> = self.epochs[start][d]
            .iter()
            .map(|e| e.map_or(self.setting.max_epochs as f64 + 1.0, |x| x as f64))
            .collect();
        v.sort_by(f64::total_cmp);
        let k = v.len();
        if k % 2 == 1 {
            v[k / 2]
        } else {
            0.5 * (v[k / 2 - 1] + v[k / 2])
        }
    }

    /// Of the runs of `start` at depth index `d` that start on the wrong side of A: how
    /// many there are, how many reach the chapter's threshold, how many the loose one.
    pub fn wrong_side(&self, start: usize, d: usize) -> (usize, usize, usize) {
        let mut r = (0, 0, 0);
        for s in 0..self.same[start][d].len() {
            if !self.same[start][d][s] {
                r.0 += 1;
                r.1 += usize::from(self.epochs[start][d][s].is_some());
                r.2 += usize::from(self.loose[start][d][s].is_some());
            }
        }
        r
    }

    /// How many runs did not reach the threshold within the budget.
    pub fn unfinished(&self, start: usize, d: usize) -> usize {
        self.epochs[start][d].iter().filter(|e| e.is_none()).count()
    }
}

/// The chapter's depths.
pub const DEPTHS: [usize; 4] = [1, 2, 4, 8];

//! What the page draws, as JSON files under `src/explorer/data/` (written by `cargo xtask
//! figures explorer`, checked for freshness by this crate's tests):
//! `layers/<init>-<activation>.json` (every width and input scale of one initializer and
//! activation) and `train/<data set>.json`. The settings themselves ([`index`]) are not a
//! file: they are a generated block of the page's `<head>` (`render::index_block`), so
//! that the page's script asks for the two files it draws as soon as it starts. Numbers are rounded to four
//! significant digits, the precision the page and `initlab layers --seeds` show; the
//! histograms keep the heights of their bars ([`heights`]) and the decision regions are
//! stored as runs ([`runs`]), to keep the whole grid within a few megabytes.

use std::sync::Mutex;

use initlab::{Error, LayerSpread, Spread};
use serde_json::{Map, Value, json};

use crate::grid::{
    ACTIVATIONS, ActivationChoice, BINS, DEPTHS, INITS, INPUT_SCALES, InitChoice, RUN_SEEDS,
    WIDTHS, batch,
};
use crate::sweep::{Counts, Setting, sweep_init, sweep_offered, sweep_width};
use crate::training::{self, DATASETS};
use initlab::DatasetKind;

/// Where the files go, from the workspace root.
pub const DIR: &str = "src/explorer/data";

/// `x` to four significant digits (NaN and infinities become `null`).
pub fn r4(x: f64) -> Value {
    if !x.is_finite() {
        return Value::Null;
    }
    let rounded: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    json!(rounded)
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, r4)
}

fn counts(c: &Option<Counts>) -> Value {
    c.as_ref().map_or(Value::Null, |c| {
        json!([r4(c.lo), r4(c.hi), heights(&c.counts)])
    })
}

/// The heights of a histogram's bars as the page draws them: each count in 35ths of the
/// largest, rounded up (a bin with any value shows), one base-36 digit per bin (`0`-`9`,
/// `a`-`z`). The page's bars are 64 px tall, so this is the drawing's precision, in a
/// quarter of the bytes of the counts.
pub fn heights(counts: &[usize]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    counts
        .iter()
        .map(|&n| {
            let h = (n * 35).div_ceil(max) as u32;
            char::from_digit(h.min(35), 36).unwrap_or('z')
        })
        .collect()
}

/// Decision regions as runs: the class as a letter (`a` for class 0) followed by how many
/// grid points in a row (row by row from the top) have it, `"a31b5..."`.
pub fn runs(classes: &[usize]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < classes.len() {
        let c = classes[i];
        let n = classes[i..].iter().take_while(|&&k| k == c).count();
        out.push(char::from(b'a' + c.min(25) as u8));
        out.push_str(&n.to_string());
        i += n;
    }
    out
}

/// The spread over the seeds of a standard deviation or a fraction: `[mean, sd]`, the sd
/// set to 0 where it is only rounding (below 1e-12 of the mean: three seeds that agree to
/// the last bits give 3e-17, not a spread).
fn spread(s: &Spread) -> Value {
    json!([r4(s.mean), r2(clean_sd(s))])
}

/// The sd of `s`, 0 where it is below 1e-12 of the mean.
pub fn clean_sd(s: &Spread) -> f64 {
    if s.sd < 1e-12 * s.mean.abs() {
        0.0
    } else {
        s.sd
    }
}

/// A positive measurement over the seeds, as the log-scale plots draw it:
/// `[mean, sd, smallest, largest]` (the bar spans the seeds, which the mean ± sd of three
/// seeds need not: it can reach below zero).
fn spread_range(s: &Spread, (lo, hi): (f64, f64)) -> Value {
    if lo.is_finite() && hi.is_finite() {
        json!([r4(s.mean), r2(clean_sd(s)), r4(lo), r4(hi)])
    } else {
        json!([r4(s.mean), r2(clean_sd(s)), null, null])
    }
}

fn saturates(key: &str) -> bool {
    matches!(key, "tanh" | "sigmoid")
}

fn dies(key: &str) -> bool {
    matches!(key, "relu" | "leaky")
}

/// One setting as the page reads it.
pub fn setting_json(s: &Setting) -> Value {
    let full: &[LayerSpread] = &s.by_depth[DEPTHS.len() - 1];
    let mut grad = Map::new();
    let mut mfgrad = Map::new();
    for ((&d, layers), ranges) in DEPTHS.iter().zip(&s.by_depth).zip(&s.ranges) {
        grad.insert(
            d.to_string(),
            json!(
                layers
                    .iter()
                    .zip(ranges)
                    .map(|(l, r)| spread_range(&l.grad_std, r[1]))
                    .collect::<Vec<_>>()
            ),
        );
        mfgrad.insert(
            d.to_string(),
            json!(
                layers
                    .iter()
                    .map(|l| opt(l.predicted_grad_std))
                    .collect::<Vec<_>>()
            ),
        );
    }
    let full_ranges = &s.ranges[DEPTHS.len() - 1];
    let per_layer =
        |f: &dyn Fn(&LayerSpread) -> Value| json!(full.iter().map(f).collect::<Vec<_>>());
    json!({
        "sd": full.iter().zip(full_ranges).map(|(l, r)| spread_range(&l.pre_std, r[0])).collect::<Vec<_>>(),
        "mf": per_layer(&|l| opt(l.predicted_pre_std)),
        "sat": if saturates(s.activation) { per_layer(&|l| spread(&l.saturated_fraction)) } else { Value::Null },
        "mfsat": if saturates(s.activation) { per_layer(&|l| opt(l.predicted_saturated_fraction)) } else { Value::Null },
        "dead": if dies(s.activation) { per_layer(&|l| spread(&l.dead_fraction)) } else { Value::Null },
        "grad": grad,
        "mfgrad": mfgrad,
        "hist": s.histograms.iter().map(|(a, h)| json!([counts(a), counts(h)])).collect::<Vec<_>>(),
        "shist": s.shared.iter().map(|(a, h)| json!([counts(a), counts(h)])).collect::<Vec<_>>(),
    })
}

/// The key of a width and an input scale in a layers file.
pub fn case_key(width: usize, scale: f64) -> String {
    format!("{width}/{scale}")
}

/// The index: every setting the page offers (written into the page's `<head>`,
/// `render::index_block`).
pub fn index() -> Value {
    json!({
        "inits": INITS.iter().map(|c| json!({"key": c.key, "label": c.label, "init": ((c.init)()).to_string(), "data": c.data})).collect::<Vec<_>>(),
        "activations": ACTIVATIONS.iter().map(|c| json!({"key": c.key, "label": c.label, "name": c.activation.to_string(), "widths": c.widths, "scales": c.scales})).collect::<Vec<_>>(),
        "depths": DEPTHS,
        "widths": WIDTHS,
        "scales": INPUT_SCALES,
        "batches": WIDTHS.iter().map(|&w| batch(w)).collect::<Vec<_>>(),
        "seeds": RUN_SEEDS,
        "bins": BINS,
        "threshold": initlab::SATURATION_THRESHOLD,
        "train": {
            "datasets": DATASETS.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            "hidden": training::HIDDEN,
            "lr": training::LR,
            "epochs": training::EPOCHS,
            "snapshots": training::SNAPSHOTS,
            "grid": training::GRID,
            "range": training::RANGE,
        },
    })
}

/// `x` to two significant digits: the spread over seeds.
pub fn r2(x: f64) -> Value {
    if !x.is_finite() {
        return Value::Null;
    }
    let rounded: f64 = format!("{x:.1e}").parse().unwrap_or(x);
    json!(rounded)
}

/// The initializers that have a layers file of their own (the others read one of these).
pub fn data_inits() -> impl Iterator<Item = &'static InitChoice> {
    INITS.iter().filter(|c| c.data == c.key)
}

/// The name of the layers file of an initializer and an activation.
pub fn layers_name(init: &InitChoice, act: &ActivationChoice) -> String {
    format!("layers/{}-{}.json", init.data, act.key)
}

/// The name of the training file of a data set.
pub fn train_name(dataset: DatasetKind) -> String {
    format!("train/{dataset}.json")
}

/// The name of every data file, under [`DIR`].
pub fn file_names() -> Vec<String> {
    let mut names: Vec<String> = DATASETS.iter().map(|&d| train_name(d)).collect();
    for init in data_inits() {
        names.extend(ACTIVATIONS.iter().map(|act| layers_name(init, act)));
    }
    names
}

/// One entry of a layers file's `cases`: the setting at `width` and input `scale`, as
/// [`layers_files`] writes it (computed alone, to the same bits).
pub fn case_json(
    init: &InitChoice,
    act: &ActivationChoice,
    width: usize,
    scale: f64,
) -> Result<Value, Error> {
    let settings = sweep_width(init, width, std::slice::from_ref(act), &[scale])?;
    Ok(setting_json(&settings[0]))
}

fn layers_json(init: &InitChoice, act: &ActivationChoice, settings: &[Setting]) -> String {
    let mut cases = Map::new();
    for s in settings.iter().filter(|s| s.activation == act.key) {
        cases.insert(case_key(s.width, s.scale), setting_json(s));
    }
    json!({"init": init.key, "act": act.key, "cases": cases}).to_string()
}

/// The layers files of one initializer: `(file name, JSON)` for each activation (none for
/// an initializer that reads another's data).
pub fn layers_files(init: usize) -> Result<Vec<(String, String)>, Error> {
    let choice = &INITS[init];
    if choice.data != choice.key {
        return Ok(Vec::new());
    }
    let settings = sweep_init(choice, &WIDTHS)?;
    Ok(ACTIVATIONS
        .iter()
        .map(|act| {
            (
                layers_name(choice, act),
                layers_json(choice, act, &settings),
            )
        })
        .collect())
}

/// One run of a training file's `runs`.
pub fn run_json(run: &training::Run) -> Value {
    json!({
        "history": run.history.iter().map(|&(e, l, a)| json!([e, r4(l), r4(a)])).collect::<Vec<_>>(),
        "test": r4(run.test_accuracy),
        "diverged": run.diverged_at,
        "regions": run.regions.iter().map(|r| r.as_ref().map_or(Value::Null, |r| json!(runs(r)))).collect::<Vec<_>>(),
    })
}

/// The key of a run in a training file.
pub fn run_key(init: &InitChoice, act: &ActivationChoice) -> String {
    format!("{}-{}", init.key, act.key)
}

/// The training points of a data set as a training file lists them.
pub fn points_json(kind: DatasetKind) -> Result<Value, Error> {
    let (x, y) = training::points(kind)?;
    Ok(json!(
        x.rows()
            .into_iter()
            .zip(&y)
            .map(|(p, &c)| json!([r4(p[0]), r4(p[1]), c]))
            .collect::<Vec<_>>()
    ))
}

/// The training file of one data set.
pub fn train_file(dataset: usize) -> Result<(String, String), Error> {
    let kind = DATASETS[dataset];
    let mut runs = Map::new();
    for init in INITS {
        for act in ACTIVATIONS {
            let run = training::run(kind, init, act)?;
            runs.insert(run_key(init, act), run_json(&run));
        }
    }
    let body = json!({"dataset": kind.to_string(), "points": points_json(kind)?, "runs": runs});
    Ok((train_name(kind), body.to_string()))
}

/// One job of [`files_with`].
enum Job {
    /// A training file (a data set).
    Train(usize),
    /// One initializer (with a file of its own) at one width: every activation and scale.
    Layers(&'static InitChoice, usize),
}

enum Done {
    Train((String, String)),
    Layers(&'static InitChoice, Vec<Setting>),
}

/// Every data file, `(path under [`DIR`], contents)`, computed on `threads` threads.
pub fn files_with(threads: usize) -> Result<Vec<(String, String)>, Error> {
    // Jobs, the longest first so that the threads finish together: the widest networks
    // (the cost grows as the width squared), then the training files, then the rest.
    let mut jobs: Vec<(usize, Job)> = Vec::new();
    for init in data_inits() {
        for &w in &WIDTHS {
            let cases = ACTIVATIONS
                .iter()
                .filter(|a| a.widths.contains(&w))
                .map(|a| a.scales.len())
                .sum::<usize>();
            jobs.push((w * w * cases, Job::Layers(init, w)));
        }
    }
    for d in 0..DATASETS.len() {
        jobs.push((100_000, Job::Train(d)));
    }
    jobs.sort_by_key(|(cost, _)| std::cmp::Reverse(*cost));
    let queue = Mutex::new(jobs.into_iter().map(|(_, j)| j));
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let job = queue.lock().map(|mut q| q.next()).ok().flatten();
                    let Some(job) = job else { break };
                    let out = match job {
                        Job::Train(d) => train_file(d).map(Done::Train),
                        Job::Layers(init, w) => {
                            sweep_offered(init, w).map(|s| Done::Layers(init, s))
                        }
                    };
                    if let Ok(mut r) = results.lock() {
                        r.push(out);
                    }
                }
            });
        }
    });
    let results = results
        .into_inner()
        .map_err(|_| Error::Invalid("a worker panicked".into()))?;
    let mut files = Vec::new();
    let mut settings: Vec<(&InitChoice, Vec<Setting>)> = Vec::new();
    for done in results {
        match done? {
            Done::Train(file) => files.push(file),
            Done::Layers(init, s) => match settings.iter_mut().find(|(i, _)| i.key == init.key) {
                Some((_, all)) => all.extend(s),
                None => settings.push((init, s)),
            },
        }
    }
    for (init, all) in &settings {
        for act in ACTIVATIONS {
            files.push((layers_name(init, act), layers_json(init, act, all)));
        }
    }
    files.sort_by_key(|(name, _)| {
        file_names()
            .iter()
            .position(|n| n == name)
            .unwrap_or(usize::MAX)
    });
    Ok(files)
}

/// Every data file, on as many threads as the machine has cores.
pub fn files() -> Result<Vec<(String, String)>, Error> {
    files_with(std::thread::available_parallelism().map_or(2, |n| n.get()))
}

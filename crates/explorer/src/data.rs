//! What the page draws, as JSON files under `src/explorer/data/` (written by `cargo xtask
//! figures explorer`, checked for freshness by this crate's tests): `index.json` (the
//! settings), `layers/<init>-<activation>.json` (every width and input scale of one
//! initializer and activation) and `train/<data set>.json`. Numbers are rounded to four
//! significant digits, the precision the page and `initlab layers --seeds` show.

use std::sync::Mutex;

use initlab::{Error, LayerSpread};
use serde_json::{Map, Value, json};

use crate::grid::{ACTIVATIONS, BINS, DEPTHS, INITS, INPUT_SCALES, RUN_SEEDS, WIDTHS, batch};
use crate::sweep::{Counts, Setting, sweep_init};
use crate::training::{self, DATASETS};

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
    c.as_ref()
        .map_or(Value::Null, |c| json!([r4(c.lo), r4(c.hi), c.counts]))
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
    for (&d, layers) in DEPTHS.iter().zip(&s.by_depth) {
        grad.insert(
            d.to_string(),
            json!(
                layers
                    .iter()
                    .map(|l| json!([r4(l.grad_std.mean), r2(l.grad_std.sd)]))
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
    let per_layer =
        |f: &dyn Fn(&LayerSpread) -> Value| json!(full.iter().map(f).collect::<Vec<_>>());
    json!({
        "sd": per_layer(&|l| json!([r4(l.pre_std.mean), r2(l.pre_std.sd)])),
        "mf": per_layer(&|l| opt(l.predicted_pre_std)),
        "sat": if saturates(s.activation) { per_layer(&|l| json!([r4(l.saturated_fraction.mean), r2(l.saturated_fraction.sd)])) } else { Value::Null },
        "mfsat": if saturates(s.activation) { per_layer(&|l| opt(l.predicted_saturated_fraction)) } else { Value::Null },
        "dead": if dies(s.activation) { per_layer(&|l| json!([r4(l.dead_fraction.mean), r2(l.dead_fraction.sd)])) } else { Value::Null },
        "grad": grad,
        "mfgrad": mfgrad,
        "hist": s.histograms.iter().map(|(a, h)| json!([counts(a), counts(h)])).collect::<Vec<_>>(),
    })
}

/// The key of a width and an input scale in a layers file.
pub fn case_key(width: usize, scale: f64) -> String {
    format!("{width}/{scale}")
}

/// The index: every setting the page offers.
pub fn index() -> Value {
    json!({
        "inits": INITS.iter().map(|c| json!({"key": c.key, "label": c.label, "init": ((c.init)()).to_string(), "data": c.data})).collect::<Vec<_>>(),
        "activations": ACTIVATIONS.iter().map(|c| json!({"key": c.key, "label": c.label, "name": c.activation.to_string()})).collect::<Vec<_>>(),
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
            let mut cases = Map::new();
            for s in settings.iter().filter(|s| s.activation == act.key) {
                cases.insert(case_key(s.width, s.scale), setting_json(s));
            }
            let body = json!({"init": choice.key, "act": act.key, "cases": cases});
            (
                format!("layers/{}-{}.json", choice.key, act.key),
                body.to_string(),
            )
        })
        .collect())
}

/// The training file of one data set.
pub fn train_file(dataset: usize) -> Result<(String, String), Error> {
    let kind = DATASETS[dataset];
    let (x, y) = training::points(kind)?;
    let mut runs = Map::new();
    for init in INITS {
        for act in ACTIVATIONS {
            let run = training::run(kind, init, act)?;
            runs.insert(
                format!("{}-{}", init.key, act.key),
                json!({
                    "history": run.history.iter().map(|&(e, l, a)| json!([e, r4(l), r4(a)])).collect::<Vec<_>>(),
                    "test": r4(run.test_accuracy),
                    "diverged": run.diverged_at,
                    "regions": run.regions.iter().map(|r| r.as_ref().map_or(Value::Null, |r| json!(r.iter().map(|c| char::from(b'0' + *c as u8)).collect::<String>()))).collect::<Vec<_>>(),
                }),
            );
        }
    }
    let points: Vec<Value> = x
        .rows()
        .into_iter()
        .zip(&y)
        .map(|(p, &c)| json!([r4(p[0]), r4(p[1]), c]))
        .collect();
    let body = json!({"dataset": kind.to_string(), "points": points, "runs": runs});
    Ok((format!("train/{kind}.json"), body.to_string()))
}

/// Every data file, `(path under [`DIR`], contents)`, computed on `threads` threads.
pub fn files_with(threads: usize) -> Result<Vec<(String, String)>, Error> {
    // Jobs: the training files first (small), then the initializers, largest last.
    let jobs: Vec<usize> = (0..DATASETS.len() + INITS.len()).collect();
    let queue = Mutex::new(jobs.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let job = queue.lock().map(|mut q| q.next()).ok().flatten();
                    let Some(job) = job else { break };
                    let out = if job < DATASETS.len() {
                        train_file(job).map(|f| vec![f])
                    } else {
                        layers_files(job - DATASETS.len())
                    };
                    if let Ok(mut r) = results.lock() {
                        r.push((job, out));
                    }
                }
            });
        }
    });
    let mut results = results
        .into_inner()
        .map_err(|_| Error::Invalid("a worker panicked".into()))?;
    results.sort_by_key(|(job, _)| *job);
    let mut files = vec![("index.json".to_string(), index().to_string())];
    for (_, out) in results {
        files.extend(out?);
    }
    Ok(files)
}

/// Every data file, on two threads (the machines this book is built on have two cores).
pub fn files() -> Result<Vec<(String, String)>, Error> {
    files_with(2)
}

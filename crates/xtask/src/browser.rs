//! `cargo xtask browser`: the built book in a real browser. `browser/check.cjs` serves
//! `book/` on loopback and loads every page in headless Chromium (Debian's, driven by
//! playwright-core), in a light and a dark theme, at 1280 px and 390 px; screenshots and
//! `report.json` go to `target/browser/`.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;

use crate::tools;

/// Whether a check fails the run or is only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Severity {
    /// Report, but pass.
    Warn,
    /// Fail the run.
    Fatal,
}

impl Severity {
    fn as_arg(self) -> &'static str {
        match self {
            Severity::Warn => "warn",
            Severity::Fatal => "fatal",
        }
    }
}

/// Chart text under the minimum: 12 CSS px as shown, at 1280 px and at 390 px
/// (`MIN_CHART_TEXT_PX` in `browser/check.cjs`). Fatal: every chart is drawn for the
/// content column and a second time for a phone (the charts crate checks the minimum at
/// both display widths when it renders); a phone is served the phone variant by the
/// `<picture>` the `crossref` preprocessor writes.
pub const CHART_TEXT: Severity = Severity::Fatal;

/// `<cite>`s that do not link to their entry in the bibliography (`src/references.md`,
/// linked by the `crossref` preprocessor). Fatal.
pub const CITATIONS: Severity = Severity::Fatal;

/// What [`check`] is asked to do.
pub struct Options {
    pub chart_text: Severity,
    pub citations: Severity,
    /// Only these pages (paths inside `book/`, like `zero.html`); all when empty.
    pub only: Vec<String>,
}

/// Run the browser test on the built book in `root/book`; returns a one-line summary.
pub fn check(root: &Path, options: &Options) -> Result<String> {
    let book = root.join("book");
    if !book.join("index.html").is_file() {
        bail!("no built book in {}: run cargo xtask book", book.display());
    }
    if !Path::new(tools::CHROMIUM).is_file() {
        bail!(
            "{} is missing: install Debian's chromium package (apt-get install chromium; .ci/run does this)",
            tools::CHROMIUM
        );
    }
    let modules = tools::playwright(root)?;
    let out = root.join("target").join("browser");
    std::fs::create_dir_all(&out)?;
    let expect = out.join("explorer-expect.json");
    std::fs::write(&expect, explorer_expectations()?)?;
    let node = std::env::var_os("WHY_INIT_NODE").unwrap_or_else(|| "node".into());
    let mut cmd = Command::new(&node);
    cmd.arg(root.join("browser").join("check.cjs"))
        .arg("--book")
        .arg(&book)
        .arg("--out")
        .arg(&out)
        .args(["--chart-text", options.chart_text.as_arg()])
        .args(["--citations", options.citations.as_arg()])
        .arg("--explorer-expect")
        .arg(&expect);
    for page in &options.only {
        cmd.args(["--only", page]);
    }
    cmd.env("NODE_PATH", &modules)
        // playwright-core must never fetch a browser of its own.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env("PLAYWRIGHT_BROWSERS_PATH", "0")
        .stdin(Stdio::null());
    let status = cmd
        .status()
        .with_context(|| format!("could not run {node:?} (Node.js 20 or later is needed)"))?;
    let report: serde_json::Value = std::fs::read_to_string(out.join("report.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    if !status.success() {
        let fatal = report["fatal"].as_array().map_or(0, Vec::len);
        bail!(
            "the browser test failed ({status}): {fatal} problem{}; screenshots in {}",
            if fatal == 1 { "" } else { "s" },
            out.join("screenshots").display()
        );
    }
    let count = |key: &str| report[key].as_array().map_or(0, Vec::len);
    let loads = count("pages") * count("themes") * count("widths");
    let mut note = format!("{loads} page loads");
    for (width, px) in [("desktop", 1280), ("phone", 390)] {
        let Some(min) = report["charts"][width]["min"].as_f64() else {
            continue;
        };
        let under = report["charts"][width]["under"].as_u64().unwrap_or(0);
        note.push_str(&format!(
            "; chart text min {min:.1} px at {px} px ({under} charts under the minimum{})",
            if options.chart_text == Severity::Warn && under > 0 {
                ", not fatal"
            } else {
                ""
            }
        ));
    }
    let unlinked = report["citations"]["unlinked"].as_u64().unwrap_or(0);
    if unlinked > 0 {
        note.push_str(&format!("; {unlinked} citations unlinked"));
    }
    Ok(note)
}

/// What the explorer must show for a few settings, computed by the library as
/// `initlab layers --seeds 3` computes it, in the page's four significant digits: the
/// standard deviations of a^l and dL/da^l of the layer read, their mean-field predictions,
/// the saturated or dead fraction where the activation has one, and the test accuracy of
/// the training view (`initlab train` with the view's options).
///
/// The settings marked with an answer are questions a reader answers on the page alone;
/// the browser test saves a screenshot of each at 1280 px
/// (`screenshots/explorer-answer-<n>.png`) and at 390 px (`<n>.phone.png`).
fn explorer_expectations() -> Result<String> {
    use explorer::grid::{RUN_SEEDS, activation, init, layers_config};
    use explorer::initlab::{four_digits, layers_over_seeds};
    let mut all = Vec::new();
    for (i, a, depth, width, scale, layer, data, answer) in [
        ("xavier", "tanh", 10, 500, 1.0, 5, "circles", None),
        ("he", "relu", 30, 500, 1.0, 30, "moons", None),
        ("normal", "tanh", 10, 10, 1.0, 5, "blobs", None),
        ("pytorch", "sigmoid", 5, 50, 10.0, 2, "circles", None),
        ("small", "leaky", 5, 20, 1.0, 3, "moons", None),
        ("he", "gelu", 20, 100, 1.0, 20, "moons", None),
        // Does Xavier's rule keep the signal through thirty ReLU layers? No: sd(a^30).
        ("xavier", "relu", 30, 500, 1.0, 30, "blobs", Some(1)),
        // At which width does N(0, 1) saturate tanh? From 20 on, more than half of layer 5.
        ("normal", "tanh", 10, 20, 1.0, 5, "circles", Some(2)),
        // Does orthogonal keep tanh's gradient through thirty layers? No better than
        // Xavier's Gaussian: sd(dL/da^1) as the mean field, a sixth of the top layer's.
        ("orthogonal", "tanh", 30, 500, 1.0, 1, "circles", Some(3)),
        // Does SELU with LeCun's normal law keep sd(a) at 1 through thirty layers? Yes.
        ("lecun", "selu", 30, 500, 1.0, 30, "blobs", Some(4)),
    ] {
        let choice = init(i).context("explorer init")?;
        let act = activation(a).context("explorer activation")?;
        let cfg = layers_config(choice, act, depth, width, scale);
        let report = layers_over_seeds(&cfg, RUN_SEEDS).map_err(|e| anyhow::anyhow!("{e}"))?;
        let l = &report.layers[layer - 1];
        let mut values = serde_json::Map::new();
        values.insert("sd".into(), four_digits(l.pre_std.mean).into());
        values.insert("grad".into(), four_digits(l.grad_std.mean).into());
        if let Some(p) = l.predicted_pre_std {
            values.insert("sd-mf".into(), four_digits(p).into());
        }
        if let Some(p) = l.predicted_grad_std {
            values.insert("grad-mf".into(), four_digits(p).into());
        }
        if matches!(a, "tanh" | "sigmoid") {
            values.insert("sat".into(), four_digits(l.saturated_fraction.mean).into());
        }
        if matches!(a, "relu" | "leaky") {
            values.insert("dead".into(), four_digits(l.dead_fraction.mean).into());
        }
        let kind: explorer::initlab::DatasetKind = data
            .parse()
            .map_err(|e| anyhow::anyhow!("explorer data set: {e}"))?;
        let run = explorer::training::run(kind, choice, act).map_err(|e| anyhow::anyhow!("{e}"))?;
        all.push(serde_json::json!({
            "query": format!("init={i}&act={a}&depth={depth}&width={width}&scale={scale}&layer={layer}&data={data}"),
            "values": values,
            "test": four_digits(run.test_accuracy),
            "answer": answer,
        }));
    }
    Ok(serde_json::to_string_pretty(&all)?)
}

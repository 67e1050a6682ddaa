//! `cargo xtask <verb>`: the workspace tool of *Why Weight Initialization Matters*.
//!
//! - `figures`: run every chapter's `figures()` and write `src/figures/<chapter>/`, its
//!   `generated()` blocks into `src/<chapter>.md` between their marker comments, and what
//!   its printing code blocks print beneath them (the `outputs` crate).
//! - `outputs`: only the outputs under the printing code blocks (`figures` writes them too).
//! - `notebooks`: write `notebooks/<chapter>.ipynb` from each chapter's markdown.
//! - `book`: build the book into `book/` and check its links and that it is offline.
//! - `serve`: build the book and serve it at <http://localhost:3000>.
//! - `browser`: build the book and check every page in headless Chromium (light and dark
//!   themes, desktop and phone widths).
//! - `test`: every test of the workspace, the book and its links, the browser test, every
//!   notebook headless.
//! - `jupyterlab`: run notebooks in JupyterLab in headless Chromium (Run All) and check
//!   that every cell runs and every chart appears.
//! - `portable`: run `initlab`, two chapters' figures and the zero chapter's rounding-level
//!   claims under an emulated CPU without AVX or FMA (`qemu-x86_64 -cpu Nehalem-v2`) and
//!   check they are byte for byte the native ones (the claims: that they hold).
//!
//! Tools are installed on first use, pinned, into `$XDG_CACHE_HOME/why-init/tools/`
//! (default `~/.cache/why-init/tools/`), outside the checkout so that fresh clones reuse them.

mod browser;
mod crossref;
mod jupyterlab;
mod links;
mod mathml;
mod portable;
mod tools;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "Build, draw, serve and test the book",
    version
)]
struct Cli {
    #[command(subcommand)]
    verb: Verb,
}

#[derive(Subcommand)]
enum Verb {
    /// Draw every chapter's charts into `src/figures/<chapter>/` (SVG + CSV) and write its generated blocks into `src/<chapter>.md`.
    Figures {
        /// Only these chapters (default: all).
        chapters: Vec<String>,
    },
    /// Write what each chapter's printing code blocks print beneath them in `src/<chapter>.md` (also done by `figures`).
    Outputs {
        /// Only these chapters (default: all).
        chapters: Vec<String>,
    },
    /// Write `notebooks/<chapter>.ipynb` for every chapter.
    Notebooks,
    /// Build the book into book/ with mdBook, then check its links and that it loads nothing from the network.
    Book,
    /// Build the book and serve it at `http://localhost:<port>`, rebuilding on changes.
    Serve {
        /// The port to serve on.
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Build the book, then load every page in headless Chromium (light and dark theme, 1280 and 390 px) and check what a reader sees.
    Browser {
        /// Check the book already in book/ instead of building it.
        #[arg(long)]
        no_build: bool,
        /// Whether chart text under the minimum fails the run.
        #[arg(long, value_enum, default_value_t = browser::CHART_TEXT)]
        chart_text: browser::Severity,
        /// Whether a `<cite>` that does not link fails the run.
        #[arg(long, value_enum, default_value_t = browser::CITATIONS)]
        citations: browser::Severity,
        /// Only these pages (paths inside book/, like zero.html).
        #[arg(long)]
        only: Vec<String>,
    },
    /// Run notebooks headless with the evcxr kernel (default: all), failing on any cell error.
    Execute {
        /// Only these chapters' notebooks.
        chapters: Vec<String>,
        /// Time limit per notebook, in seconds.
        #[arg(long, default_value_t = 1200)]
        notebook_timeout: u64,
    },
    /// Open notebooks in JupyterLab (on loopback, evcxr kernel) in headless Chromium, Run All, and check that every cell runs and every chart appears (default: zero).
    Jupyterlab {
        /// The chapters whose notebooks are run.
        #[arg(default_values_t = [String::from("zero")])]
        chapters: Vec<String>,
    },
    /// Check that results do not depend on the CPU: run `initlab`, the figures of cheap
    /// chapters and the zero chapter's rounding-level claims under `qemu-x86_64 -cpu <cpu>` (no AVX,
    /// no FMA by default) and compare them byte for byte with the native output and the
    /// committed figures (the claims must hold).
    Portable {
        /// The emulated CPU model (`qemu-x86_64 -cpu help` lists them).
        #[arg(long, default_value = "Nehalem-v2")]
        cpu: String,
        /// The chapters whose figures are drawn under emulation.
        #[arg(default_values_t = [String::from("intro"), String::from("zero")])]
        chapters: Vec<String>,
    },
    /// Draw the chapters' figures and compare them with the committed ones, writing
    /// nothing (what `portable` runs under emulation).
    #[command(hide = true)]
    CheckFigures {
        /// The chapters to draw.
        chapters: Vec<String>,
    },
    /// The mdBook preprocessor that links citations and numbers figures (run by mdBook, see book.toml).
    #[command(hide = true, name = "crossref-preprocessor")]
    CrossrefPreprocessor {
        /// `supports <renderer>`, or nothing (then the book comes on stdin).
        args: Vec<String>,
    },
    /// The mdBook preprocessor that escapes KaTeX's MathML for Markdown (run by mdBook, see book.toml).
    #[command(hide = true, name = "mathml-preprocessor")]
    MathmlPreprocessor {
        /// `supports <renderer>`, or nothing (then the book comes on stdin).
        args: Vec<String>,
    },
    /// Run everything: cargo test (all targets and doctests), the book with its links, the browser test, every notebook headless.
    Test {
        /// Skip running the notebooks.
        #[arg(long)]
        no_notebooks: bool,
        /// Time limit per notebook, in seconds.
        #[arg(long, default_value_t = 1200)]
        notebook_timeout: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Verb::MathmlPreprocessor { args } = &cli.verb {
        return match mathml::run(args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: mathml preprocessor: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    if let Verb::CrossrefPreprocessor { args } = &cli.verb {
        return match crossref::run(args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: crossref preprocessor: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let result = match cli.verb {
        Verb::MathmlPreprocessor { .. } | Verb::CrossrefPreprocessor { .. } => {
            unreachable!("handled above")
        }
        Verb::Figures { chapters } => figures(&chapters),
        Verb::Outputs { chapters } => outputs_verb(&chapters),
        Verb::Notebooks => notebooks().map(|_| ()),
        Verb::Book => book().map(|_| ()),
        Verb::Serve { port } => serve(port),
        Verb::Browser {
            no_build,
            chart_text,
            citations,
            only,
        } => browser_verb(
            no_build,
            &browser::Options {
                chart_text,
                citations,
                only,
            },
        ),
        Verb::Execute {
            chapters,
            notebook_timeout,
        } => execute(&chapters, Duration::from_secs(notebook_timeout)).map(|_| ()),
        Verb::Test {
            no_notebooks,
            notebook_timeout,
        } => test(!no_notebooks, Duration::from_secs(notebook_timeout)),
        Verb::Jupyterlab { chapters } => jupyterlab_verb(&chapters),
        Verb::Portable { cpu, chapters } => portable::check(&cpu, &chapters),
        Verb::CheckFigures { chapters } => portable::check_figures(&chapters),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (this crate lives in crates/xtask).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the root")
        .to_path_buf()
}

/// Write `contents` to `path` unless it already holds exactly that; true if written.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}

/// The chapters named in `only` (all if it is empty), in book order; fails on a name
/// that is no chapter.
fn select(only: &[String]) -> Result<Vec<chapters::Chapter>> {
    let all = chapters::all();
    for name in only {
        if !all.iter().any(|c| c.name == name) {
            bail!(
                "no chapter {name:?}; the chapters are {:?}",
                all.iter().map(|c| c.name).collect::<Vec<_>>()
            );
        }
    }
    Ok(all
        .into_iter()
        .filter(|c| only.is_empty() || only.iter().any(|n| n == c.name))
        .collect())
}

/// `cargo xtask outputs`: write the outputs under the printing code blocks, nothing else.
fn outputs_verb(only: &[String]) -> Result<()> {
    for chapter in select(only)? {
        let start = Instant::now();
        let (count, written) = write_outputs(chapter.name)?;
        println!(
            "outputs   {:<8} {count} outputs{}, {:.1} s",
            chapter.name,
            if written { " (text written)" } else { "" },
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Run a chapter's printing blocks and write what they print beneath them in
/// `src/<name>.md`; returns how many there are and whether the file changed. The blocks
/// were compiled from the text on disk (the outputs crate's build script), so they are
/// this text's blocks.
fn write_outputs(name: &str) -> Result<(usize, bool)> {
    let printed = outputs::run(name)?;
    let path = root().join("src").join(format!("{name}.md"));
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let filled =
        book::outputs::fill(&text, &printed).map_err(|e| anyhow::anyhow!("src/{name}.md: {e}"))?;
    Ok((printed.len(), write_if_changed(&path, filled.as_bytes())?))
}

fn figures(only: &[String]) -> Result<()> {
    let selected = select(only)?;
    let bar = ProgressBar::new(selected.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>9} [{bar:30}] {pos}/{len} chapters, {elapsed}  {msg}",
        )?
        .progress_chars("=> "),
    );
    bar.set_prefix("figures");
    for chapter in &selected {
        bar.set_message(format!("drawing {}", chapter.name));
        let start = Instant::now();
        let figures =
            (chapter.figures)().map_err(|e| anyhow::anyhow!("chapter {}: {e}", chapter.name))?;
        let dir = root().join("src/figures").join(chapter.name);
        std::fs::create_dir_all(&dir)?;
        let mut wanted = BTreeSet::new();
        let mut written = 0;
        for figure in &figures {
            for (file, data) in figure.files() {
                if !wanted.insert(file.clone()) {
                    bail!(
                        "chapter {}: two figures are named {:?}",
                        chapter.name,
                        figure.name
                    );
                }
                written += usize::from(write_if_changed(&dir.join(&file), data.as_bytes())?);
            }
        }
        let mut removed = 0;
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            if !wanted.contains(entry.file_name().to_string_lossy().as_ref()) {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        let (blocks, blocks_written) = generated(chapter)?;
        if chapter.name == "explorer" {
            let (data_written, data_removed) = explorer_data()?;
            written += data_written;
            removed += data_removed;
            written += usize::from(explorer_head()?);
        }
        let line = format!(
            "figures   {:<8} {} figures, {written} files written, {removed} stale removed, {blocks} generated blocks{}, {:.1} s",
            chapter.name,
            figures.len(),
            if blocks_written {
                " (text written)"
            } else {
                ""
            },
            start.elapsed().as_secs_f64()
        );
        // Printed above the bar on a terminal, and printed at all when there is none (CI).
        bar.suspend(|| println!("{line}"));
        bar.inc(1);
    }
    bar.finish_with_message("done");
    Ok(())
}

/// The explorer's data files (`explorer::data`), written under `src/explorer/data/`;
/// returns how many were written and how many stale ones removed.
fn explorer_data() -> Result<(usize, usize)> {
    let files = explorer::data::files().map_err(|e| anyhow::anyhow!("explorer data: {e}"))?;
    let dir = root().join(explorer::data::DIR);
    let mut wanted = BTreeSet::new();
    let mut written = 0;
    for (name, text) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        wanted.insert(path.clone());
        written += usize::from(write_if_changed(&path, text.as_bytes())?);
    }
    let mut removed = 0;
    for sub in ["", "layers", "train"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_file() && !wanted.contains(&path) {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
    }
    Ok((written, removed))
}

/// The explorer's settings in the page's `<head>` (`explorer::render::head_blocks`, in
/// `theme/head.hbs`); returns whether the file changed.
fn explorer_head() -> Result<bool> {
    let path = root().join(explorer::render::HEAD);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let filled = explorer::render::fill_head(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", explorer::render::HEAD))?;
    write_if_changed(&path, filled.as_bytes())
}

/// Write a chapter's generated blocks and the outputs of its printing code blocks into its
/// text `src/<name>.md`; returns how many blocks it has and whether the file changed.
fn generated(chapter: &chapters::Chapter) -> Result<(usize, bool)> {
    let blocks =
        (chapter.generated)().map_err(|e| anyhow::anyhow!("chapter {}: {e}", chapter.name))?;
    let path = root().join("src").join(format!("{}.md", chapter.name));
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let filled = book::generated::fill(&text, &blocks)
        .map_err(|e| anyhow::anyhow!("src/{}.md: {e}", chapter.name))?;
    let written = write_if_changed(&path, filled.as_bytes())?;
    let (printed, outputs_written) = write_outputs(chapter.name)?;
    Ok((blocks.len() + printed, written || outputs_written))
}

/// Write every notebook; returns how many changed.
fn notebooks() -> Result<usize> {
    let dir = root().join("notebooks");
    std::fs::create_dir_all(&dir)?;
    let all = chapters::all();
    let mut changed = 0;
    for chapter in &all {
        let path = dir.join(format!("{}.ipynb", chapter.name));
        let wrote = write_if_changed(&path, chapters::notebook(chapter).as_bytes())?;
        println!(
            "notebook  {:<8} {}",
            chapter.name,
            if wrote { "written" } else { "up to date" }
        );
        changed += usize::from(wrote);
    }
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if path.extension().is_some_and(|e| e == "ipynb") && !all.iter().any(|c| c.name == stem) {
            std::fs::remove_file(&path)?;
            println!("notebook  {stem:<8} removed (no such chapter)");
            changed += 1;
        }
    }
    Ok(changed)
}

/// Run the notebooks of `only` (default: all chapters); returns a one-line summary.
fn execute(only: &[String], timeout: Duration) -> Result<String> {
    let all = chapters::all();
    for name in only {
        if !all.iter().any(|c| c.name == name) {
            bail!(
                "no chapter {name:?}; the chapters are {:?}",
                all.iter().map(|c| c.name).collect::<Vec<_>>()
            );
        }
    }
    let names: Vec<&str> = all
        .iter()
        .map(|c| c.name)
        .filter(|n| only.is_empty() || only.iter().any(|o| o == n))
        .collect();
    let results = tools::run_notebooks(&root(), &names, timeout)?;
    let failed: Vec<_> = results
        .iter()
        .filter(|r| !r.ok)
        .map(|r| r.name.clone())
        .collect();
    let detail = results
        .iter()
        .map(|r| format!("{} {:.0} s", r.name, r.seconds))
        .collect::<Vec<_>>()
        .join(", ");
    if failed.is_empty() {
        Ok(detail)
    } else {
        bail!(
            "{} of {} notebooks failed: {}",
            failed.len(),
            results.len(),
            failed.join(", ")
        )
    }
}

/// `cargo xtask jupyterlab`: the named chapters' notebooks in JupyterLab.
fn jupyterlab_verb(only: &[String]) -> Result<()> {
    let all = chapters::all();
    let names: Vec<&str> = only
        .iter()
        .map(|name| {
            all.iter()
                .find(|c| c.name == name)
                .map(|c| c.name)
                .with_context(|| {
                    format!(
                        "no chapter {name:?}; the chapters are {:?}",
                        all.iter().map(|c| c.name).collect::<Vec<_>>()
                    )
                })
        })
        .collect::<Result<_>>()?;
    let note = jupyterlab::check(&root(), &names)?;
    println!("jupyterlab {note}");
    Ok(())
}

fn mdbook(args: &[&str]) -> Result<Command> {
    let mdbook = tools::ensure(&tools::MDBOOK)?;
    let katex = tools::ensure(&tools::MDBOOK_KATEX)?;
    // This binary is on the PATH too: book.toml runs it as the `mathml` preprocessor.
    let this = std::env::current_exe().context("locating the xtask binary")?;
    let mut cmd = Command::new(mdbook);
    cmd.args(args).current_dir(root()).env(
        "PATH",
        tools::path_with(&[
            katex.parent().expect("bin dir"),
            this.parent().expect("bin dir"),
        ])?,
    );
    Ok(cmd)
}

/// Build the book and check it; returns the number of pages checked.
fn book() -> Result<usize> {
    println!(
        "book      building with mdBook {} and mdbook-katex {} into book/",
        tools::MDBOOK.version,
        tools::MDBOOK_KATEX.version
    );
    run(mdbook(&["build"])?).context("mdbook build failed")?;
    println!("book      checking links, anchors and that nothing loads from the network");
    let report = links::check(&root().join("book"))?;
    if !report.problems.is_empty() {
        for p in &report.problems {
            eprintln!("  {p}");
        }
        bail!("{} problems in the built book", report.problems.len());
    }
    println!(
        "book      {} pages, {} links and resources checked: all resolve, none off-host",
        report.pages, report.links
    );
    Ok(report.pages)
}

/// `cargo xtask browser`: build the book (unless `no_build`), then the browser test.
fn browser_verb(no_build: bool, options: &browser::Options) -> Result<()> {
    if !no_build {
        book()?;
    }
    let note = browser::check(&root(), options)?;
    println!("browser   {note}");
    Ok(())
}

fn serve(port: u16) -> Result<()> {
    println!("serve     building and serving the book at http://localhost:{port} (Ctrl-C to stop)");
    let port = port.to_string();
    run(mdbook(&["serve", "--port", &port])?)
}

fn run(mut cmd: Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {:?}", cmd.get_program()))?;
    if !status.success() {
        bail!("{:?} failed with {status}", cmd.get_program());
    }
    Ok(())
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(args).current_dir(root());
    cmd
}

struct Step {
    name: String,
    ok: bool,
    took: Duration,
    note: String,
}

fn step(steps: &mut Vec<Step>, name: &str, f: impl FnOnce() -> Result<String>) {
    println!("\n==> {name}");
    let start = Instant::now();
    let result = f();
    let took = start.elapsed();
    let (ok, note) = match result {
        Ok(note) => (true, note),
        Err(e) => {
            eprintln!("FAILED: {name}: {e:#}");
            (false, format!("{e:#}"))
        }
    };
    steps.push(Step {
        name: name.to_string(),
        ok,
        took,
        note,
    });
}

fn test(with_notebooks: bool, notebook_timeout: Duration) -> Result<()> {
    let started = Instant::now();
    let mut steps = Vec::new();
    step(&mut steps, "cargo test --workspace --all-targets", || {
        run(cargo(&["test", "--workspace", "--all-targets"])).map(|_| String::new())
    });
    step(&mut steps, "cargo test --workspace --doc", || {
        run(cargo(&["test", "--workspace", "--doc"])).map(|_| String::new())
    });
    step(&mut steps, "book: build, links, offline", || {
        book().map(|pages| format!("{pages} pages"))
    });
    if steps.last().is_some_and(|s| s.ok) {
        step(&mut steps, "browser: every page in Chromium", || {
            browser::check(
                &root(),
                &browser::Options {
                    chart_text: browser::CHART_TEXT,
                    citations: browser::CITATIONS,
                    only: Vec::new(),
                },
            )
        });
    }
    if with_notebooks {
        step(&mut steps, "notebooks: run headless", || {
            execute(&[], notebook_timeout)
        });
        step(&mut steps, "jupyterlab: zero, Run All in Chromium", || {
            jupyterlab::check(&root(), &["zero"])
        });
    }
    println!("\n==> summary");
    for s in &steps {
        let note: String = s
            .note
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(100)
            .collect();
        println!(
            "  {}  {:<38} {:>7.1} s  {note}",
            if s.ok { "ok  " } else { "FAIL" },
            s.name,
            s.took.as_secs_f64()
        );
    }
    let failed = steps.iter().filter(|s| !s.ok).count();
    println!(
        "  total {:.1} min; {} of {} steps passed",
        started.elapsed().as_secs_f64() / 60.0,
        steps.len() - failed,
        steps.len()
    );
    if failed > 0 {
        bail!("{failed} steps failed");
    }
    Ok(())
}

//! `cargo xtask portable`: the book's results are the same bits on every CPU. This runs
//! what a reader's CPU could change under an emulated one (by default `qemu-x86_64 -cpu
//! Nehalem-v2`: SSE4.2, no AVX, no FMA, so initnet's two-lane baseline loops and the C
//! library's software `fma`) and checks it byte for byte against the native run:
//!
//! 1. `initlab layers` (tanh, 4 layers of 300, batch 200, seed 1: the portable matrix
//!    product forward and backward, tanh and the statistics), the same for a sigmoid and
//!    a ReLU stack at He's scale (3 layers of 100: the theory crate's mean field, Gaussian
//!    expectations, split at ReLU's kink, and the sigmoid's saturation cutoff, which every
//!    `layers` run predicts beside what it measures), `initlab train` on the moons (libm's
//!    sin and cos, standardized inputs, a 2-10-5-2 ReLU network) and on the blobs (the
//!    article's 2-2-4 network, 300 epochs: the small-layer loops, exp, ln and the fused
//!    loss), as JSON;
//! 2. the figures (SVG and CSV) of a few cheap chapters, drawn by this very binary under
//!    emulation and compared with the committed files;
//! 3. the zero chapter's claims test (its rounding-level claims: the sigmoid's escape from
//!    the zero saddle, which class a rounding error favours), which must pass under
//!    emulation too.
//!
//! The binaries are the workspace's own dev build, compiled for the x86-64 baseline
//! (rustc's default `target-cpu`; the wider instruction sets are chosen at run time), so
//! the emulated CPU runs the same machine code a reader's CPU without AVX would.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{cargo, root, run};

/// The `initlab` runs compared, as argument lists.
const INITLAB_RUNS: [&[&str]; 5] = [
    &[
        "layers",
        "--init",
        "xavier",
        "--activation",
        "tanh",
        "--depth",
        "4",
        "--width",
        "300",
        "--batch",
        "200",
        "--seed",
        "1",
        "--json",
    ],
    &[
        "layers",
        "--init",
        "he",
        "--activation",
        "sigmoid",
        "--depth",
        "3",
        "--width",
        "100",
        "--batch",
        "100",
        "--seed",
        "2",
        "--json",
    ],
    &[
        "layers",
        "--init",
        "he",
        "--activation",
        "relu",
        "--depth",
        "3",
        "--width",
        "100",
        "--batch",
        "100",
        "--seed",
        "2",
        "--json",
    ],
    &[
        "train",
        "--dataset",
        "moons",
        "--hidden",
        "10,5",
        "--activation",
        "relu",
        "--init",
        "he",
        "--standardize",
        "--epochs",
        "100",
        "--seed",
        "3",
        "--json",
    ],
    &[
        "train",
        "--dataset",
        "blobs",
        "--hidden",
        "2",
        "--activation",
        "tanh",
        "--init",
        "xavier",
        "--epochs",
        "300",
        "--seed",
        "1",
        "--json",
    ],
];

pub(crate) fn check(cpu: &str, chapters: &[String]) -> Result<()> {
    for var in [
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
    ] {
        if std::env::var(var)
            .is_ok_and(|v| v.contains("target-cpu") || v.contains("target-feature"))
        {
            bail!("{var} sets a target CPU or feature; the check needs the x86-64 baseline build");
        }
    }
    let qemu = qemu()?;
    let mut build = cargo(&["build", "--quiet", "-p", "initlab"]);
    build.current_dir(root());
    run(build)?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let initlab = target.join("debug/initlab");
    let xtask = std::env::current_exe().context("the path of this xtask binary")?;
    for args in INITLAB_RUNS {
        let native = output(Command::new(&initlab).args(args))?;
        let start = Instant::now();
        let emulated = output(
            Command::new(&qemu)
                .args(["-cpu", cpu])
                .arg(&initlab)
                .args(args),
        )?;
        if native != emulated {
            let (n, e) = (
                String::from_utf8_lossy(&native),
                String::from_utf8_lossy(&emulated),
            );
            let first = n.lines().zip(e.lines()).find(|(a, b)| a != b);
            bail!(
                "initlab {} differs under -cpu {cpu}; first differing line:\n  native:   {:?}\n  emulated: {:?}",
                args.join(" "),
                first.map(|f| f.0),
                first.map(|f| f.1)
            );
        }
        println!(
            "portable  initlab {:<28} same bytes under -cpu {cpu} ({} bytes, {:.0} s emulated)",
            args[..5].join(" "),
            native.len(),
            start.elapsed().as_secs_f64()
        );
    }
    let start = Instant::now();
    let mut check = Command::new(&qemu);
    check
        .args(["-cpu", cpu])
        .arg(&xtask)
        .arg("check-figures")
        .args(chapters)
        .current_dir(root());
    run(check).with_context(|| format!("figures under -cpu {cpu}"))?;
    println!(
        "portable  figures of {} the committed bytes under -cpu {cpu} ({:.0} s emulated)",
        chapters.join(", "),
        start.elapsed().as_secs_f64()
    );
    for chapter in CLAIMS_UNDER_EMULATION {
        let test = claims_test_binary(chapter)?;
        let start = Instant::now();
        let mut claims = Command::new(&qemu);
        claims
            .args(["-cpu", cpu])
            .arg(&test)
            .arg("--quiet")
            .current_dir(root().join("crates").join(chapter));
        run(claims).with_context(|| format!("{chapter}'s claims under -cpu {cpu}"))?;
        println!(
            "portable  {chapter}'s claims hold under -cpu {cpu} ({:.0} s emulated)",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The chapters whose claims test runs under emulation: zero's states the rounding-level
/// facts (the escape from the saddle at steps 572 to 808, the class-0 count), the claims
/// most sensitive to a last-bit difference, and runs in about two minutes emulated.
const CLAIMS_UNDER_EMULATION: [&str; 1] = ["zero"];

/// Build `chapter`'s claims test (`crates/<chapter>/tests/claims.rs`) and return the path
/// of its executable, read from cargo's JSON messages.
fn claims_test_binary(chapter: &str) -> Result<PathBuf> {
    let out = output(&mut cargo(&[
        "test",
        "-p",
        chapter,
        "--test",
        "claims",
        "--no-run",
        "--message-format=json",
    ]))?;
    String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "claims")
        .filter(|m| {
            m["package_id"]
                .as_str()
                .is_some_and(|id| id.contains(&format!("/{chapter}#")))
        })
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .with_context(|| format!("cargo built no claims test for {chapter}"))
}

/// Draw the chapters' figures and compare them with the committed files, byte for byte.
pub(crate) fn check_figures(only: &[String]) -> Result<()> {
    let mut differ = Vec::new();
    for name in only {
        let chapter = chapters::find(name).with_context(|| format!("no chapter {name:?}"))?;
        let figures = (chapter.figures)().map_err(|e| anyhow::anyhow!("chapter {name}: {e}"))?;
        let dir = root().join("src/figures").join(name);
        for figure in &figures {
            for (file, data) in figure.files() {
                let path = dir.join(file);
                if std::fs::read(&path).ok().as_deref() != Some(data.as_bytes()) {
                    differ.push(
                        path.strip_prefix(root())
                            .unwrap_or(&path)
                            .display()
                            .to_string(),
                    );
                }
            }
        }
        println!("check     {name}: {} figures drawn", figures.len());
    }
    if !differ.is_empty() {
        bail!(
            "{} files differ from the committed ones: {}",
            differ.len(),
            differ.join(", ")
        );
    }
    Ok(())
}

/// `qemu-x86_64`, or an error saying how to install it.
fn qemu() -> Result<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("qemu-x86_64"))
            .find(|p| p.is_file())
    });
    found
        .context("qemu-x86_64 not found: install Debian's qemu-user (apt-get install -y qemu-user)")
}

/// A command's standard output, failing on a non-zero exit.
fn output(cmd: &mut Command) -> Result<Vec<u8>> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out.stdout)
}

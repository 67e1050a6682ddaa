//! `cargo xtask portable`: the book's results are the same bits on every CPU. This runs
//! what a reader's CPU could change under an emulated one (by default `qemu-x86_64 -cpu
//! Nehalem-v2`: SSE4.2, no AVX, no FMA, so initnet's two-lane baseline loops and the C
//! library's software `fma`) and checks it byte for byte against the native run:
//!
//! 1. `initlab layers` (tanh, 4 layers of 300, batch 200, seed 1: the portable matrix
//!    product forward and backward, tanh and the statistics) and `initlab train` (the
//!    article's 2-2-4 network on the blobs, 300 epochs: the small-layer loops, exp, ln and
//!    the fused loss), as JSON;
//! 2. the figures (SVG and CSV) of a few cheap chapters, drawn by this very binary under
//!    emulation and compared with the committed files.
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
const INITLAB_RUNS: [&[&str]; 2] = [
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
            "portable  initlab {:<6} same bytes under -cpu {cpu} ({} bytes, {:.0} s emulated)",
            args[0],
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
    Ok(())
}

/// Draw the chapters' figures and compare them with the committed files, byte for byte.
pub(crate) fn check_figures(only: &[String]) -> Result<()> {
    let mut differ = Vec::new();
    for name in only {
        let chapter = chapters::find(name).with_context(|| format!("no chapter {name:?}"))?;
        let figures = (chapter.figures)().map_err(|e| anyhow::anyhow!("chapter {name}: {e}"))?;
        let dir = root().join("src/figures").join(name);
        for figure in &figures {
            for (ext, data) in [("svg", &figure.svg), ("csv", &figure.csv)] {
                let path = dir.join(format!("{}.{ext}", figure.name));
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

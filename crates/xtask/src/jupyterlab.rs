//! `cargo xtask jupyterlab`: a notebook the way a reader runs it. Starts JupyterLab (pinned,
//! [`tools::JUPYTERLAB_PACKAGES`]) on loopback with the evcxr kernel, and drives it with
//! `browser/jupyterlab.cjs` in headless Chromium: open the notebook, Run All, check that
//! every cell ran without error and that every chart the chapter shows appeared. Screenshots
//! go to `target/jupyterlab/`. Autosave is off and the notebooks are compared before and
//! after, so the committed notebooks never receive outputs.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::tools;

/// How long JupyterLab may take to answer on its port.
const SERVER_START: Duration = Duration::from_secs(90);
/// How long JupyterLab may take to shut its kernels down and exit after SIGTERM.
const SERVER_STOP: Duration = Duration::from_secs(30);

/// Run the JupyterLab test on `notebooks/<name>.ipynb` for each name; returns a summary.
pub fn check(root: &Path, names: &[&str]) -> Result<String> {
    let python = tools::python_with_jupyterlab()?;
    // The settings and workspaces below are shared by every checkout on the machine too.
    let _lock = tools::lock_kernel_build()?;
    let modules = tools::playwright(root)?;
    let cache = tools::cache_dir()?;
    let out = root.join("target").join("jupyterlab");
    std::fs::create_dir_all(&out)?;
    // JupyterLab's own settings, in the cache: no autosave, so outputs never reach the
    // committed notebooks; no workspace from an earlier run.
    let settings = cache.join("jupyterlab-settings");
    let docmanager = settings.join("@jupyterlab").join("docmanager-extension");
    std::fs::create_dir_all(&docmanager)?;
    crate::write_if_changed(
        &docmanager.join("plugin.jupyterlab-settings"),
        b"{\n  \"autosave\": false\n}\n",
    )?;
    // Every cell in the page, not only those in view (JupyterLab 4 draws a long notebook
    // lazily), so that the test sees every output.
    let notebook = settings.join("@jupyterlab").join("notebook-extension");
    std::fs::create_dir_all(&notebook)?;
    crate::write_if_changed(
        &notebook.join("tracker.jupyterlab-settings"),
        b"{\n  \"windowingMode\": \"none\"\n}\n",
    )?;
    // No offer to fetch Jupyter news (a pop-up over the notebook).
    let apputils = settings.join("@jupyterlab").join("apputils-extension");
    std::fs::create_dir_all(&apputils)?;
    crate::write_if_changed(
        &apputils.join("notification.jupyterlab-settings"),
        b"{\n  \"fetchNews\": \"false\"\n}\n",
    )?;
    let workspaces = cache.join("jupyterlab-workspaces");
    if workspaces.exists() {
        std::fs::remove_dir_all(&workspaces)?;
    }
    std::fs::create_dir_all(&workspaces)?;
    let paths: Vec<String> = names
        .iter()
        .map(|n| format!("notebooks/{n}.ipynb"))
        .collect();
    let before: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(root.join(p)).with_context(|| format!("reading {p}")))
        .collect::<Result<_>>()?;

    // A new kernel session must not find the previous session's `ctx` build (see
    // `forget_last_session` in run_notebooks.py).
    let script = cache.join("run_notebooks.py");
    crate::write_if_changed(&script, include_str!("run_notebooks.py").as_bytes())?;
    let mut forget = Command::new(&python);
    tools::kernel_environment(&mut forget)?;
    forget.arg(&script).arg("--forget");
    crate::run(forget)?;

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let token = format!(
        "{:x}{:x}",
        std::process::id(),
        SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos()
    );
    let log = std::fs::File::create(out.join("server.log"))?;
    let mut server = Command::new(&python);
    tools::kernel_environment(&mut server)?;
    server
        .args([
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
        ])
        .arg(format!("--ServerApp.port={port}"))
        .arg("--ServerApp.port_retries=0")
        .arg(format!("--IdentityProvider.token={token}"))
        .arg(format!("--ServerApp.root_dir={}", root.display()))
        .arg(format!("--LabApp.user_settings_dir={}", settings.display()))
        .arg(format!("--LabApp.workspaces_dir={}", workspaces.display()))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    println!(
        "jupyterlab starting JupyterLab on 127.0.0.1:{port} (log in target/jupyterlab/server.log)"
    );
    let started = Instant::now();
    let mut child = server.spawn().context("could not start JupyterLab")?;
    let result = (|| {
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = child.try_wait()? {
                bail!("JupyterLab exited ({status}); see target/jupyterlab/server.log");
            }
            if started.elapsed() > SERVER_START {
                bail!("JupyterLab did not listen within {SERVER_START:?}");
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let node = std::env::var_os("WHY_INIT_NODE").unwrap_or_else(|| "node".into());
        let mut cmd = Command::new(&node);
        cmd.arg(root.join("browser").join("jupyterlab.cjs"))
            .arg("--url")
            .arg(format!("http://127.0.0.1:{port}/"))
            .arg("--token")
            .arg(&token)
            .arg("--out")
            .arg(&out);
        for p in &paths {
            cmd.arg("--notebook").arg(p);
        }
        cmd.current_dir(root)
            .env("NODE_PATH", &modules)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .env("PLAYWRIGHT_BROWSERS_PATH", "0");
        crate::run(cmd).context("the JupyterLab test failed")
    })();
    stop_server(python.as_os_str(), &mut child);
    let mut touched = Vec::new();
    for (p, old) in paths.iter().zip(&before) {
        if std::fs::read(root.join(p)).ok().as_ref() != Some(old) {
            std::fs::write(root.join(p), old)?;
            touched.push(p.clone());
        }
    }
    result?;
    if !touched.is_empty() {
        bail!(
            "JupyterLab wrote to {} (restored): autosave should be off",
            touched.join(", ")
        );
    }
    Ok(format!(
        "{} in JupyterLab in {:.0} s; screenshots in target/jupyterlab/",
        names.join(", "),
        started.elapsed().as_secs_f64()
    ))
}

/// Stop JupyterLab with SIGTERM, on which it shuts its kernels down before it exits
/// (SIGKILL would leave each kernel running on its own), sent by the tools' Python (no
/// `kill` binary needed); SIGKILL only if it is still running after [`SERVER_STOP`].
fn stop_server(python: &std::ffi::OsStr, child: &mut std::process::Child) {
    let term = Command::new(python)
        .arg("-c")
        .arg(format!(
            "import os, signal; os.kill({}, signal.SIGTERM)",
            child.id()
        ))
        .status();
    let started = Instant::now();
    if term.is_ok_and(|s| s.success()) {
        while started.elapsed() < SERVER_STOP {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        println!(
            "jupyterlab JupyterLab did not stop within {SERVER_STOP:?} of SIGTERM; killing it"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

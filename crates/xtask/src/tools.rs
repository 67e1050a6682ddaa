//! The tools the book needs, installed on first use, pinned, into a per-user cache
//! folder outside the checkout: `$XDG_CACHE_HOME/why-init/` (default `~/.cache/why-init/`).

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// A binary installed with `cargo install --locked`.
pub struct Tool {
    /// The crate.
    pub name: &'static str,
    /// The pinned version.
    pub version: &'static str,
    /// The binary it provides.
    pub bin: &'static str,
    /// Roughly how long `cargo install` takes on two cores, to tell the reader.
    pub minutes: u32,
}

pub const MDBOOK: Tool = Tool {
    name: "mdbook",
    version: "0.5.4",
    bin: "mdbook",
    minutes: 3,
};
pub const MDBOOK_KATEX: Tool = Tool {
    name: "mdbook-katex",
    version: "0.10.0",
    bin: "mdbook-katex",
    minutes: 3,
};
pub const EVCXR_JUPYTER: Tool = Tool {
    name: "evcxr_jupyter",
    version: "0.22.0",
    bin: "evcxr_jupyter",
    minutes: 12,
};

/// The Python packages that run notebooks headless (nbclient and what it pulls in),
/// pinned to the versions this book was tested with. No ipykernel: the kernel is evcxr.
pub const PYTHON_PACKAGES: &[&str] = &[
    "attrs==26.1.0",
    "fastjsonschema==2.22.3",
    "jsonschema==4.26.0",
    "jsonschema-specifications==2025.9.1",
    "jupyter_client==8.10.0",
    "jupyter_core==5.9.1",
    "nbclient==0.11.0",
    "nbformat==5.11.1",
    "platformdirs==4.14.8",
    "python-dateutil==4.0.0",
    "pyzmq==27.3.0",
    "referencing==0.37.0",
    "rpds-py==2026.9.1",
    "tornado==6.6.1",
    "traitlets==5.16.1",
    "typing_extensions==4.16.0",
    "tzdata==2026.6",
];

/// JupyterLab, for the test that runs a notebook the way a reader does (`cargo xtask
/// jupyterlab`), and what it pulls in beyond [`PYTHON_PACKAGES`], pinned; installed into the
/// same virtualenv, whose pins it leaves as they are.
pub const JUPYTERLAB_PACKAGES: &[&str] = &[
    "anyio==4.16.0",
    "argon2-cffi-bindings==26.2.0",
    "argon2-cffi==25.1.0",
    "arrow==1.4.0",
    "asttokens==3.0.2",
    "async-lru==2.4.0",
    "babel==2.19.0",
    "beautifulsoup4==4.15.0",
    "bleach==6.4.0",
    "certifi==2026.10.19.post1",
    "cffi==2.1.1",
    "charset-normalizer==3.5.3",
    "comm==0.2.3",
    "debugpy==1.8.22",
    "defusedxml==0.7.1",
    "executing==2.3.0",
    "fqdn==1.6.0",
    "h11==0.16.0",
    "httpcore==1.0.9",
    "httpx==0.28.1",
    "idna==3.20",
    "ipykernel==7.4.0",
    "ipython==9.18.1",
    "ipython_pygments_lexers==1.1.1",
    "isoduration==20.11.0",
    "jedi==0.20.1",
    "Jinja2==3.1.6",
    "json5==0.17.3",
    "jsonpointer==3.12",
    "jupyter-events==0.12.1",
    "jupyter-lsp==2.3.1",
    "jupyter_builder==1.3.0",
    "jupyter_server==2.21.1",
    "jupyter_server_terminals==0.5.4",
    "jupyterlab==4.6.6",
    "jupyterlab_pygments==0.3.0",
    "jupyterlab_server==2.28.1",
    "lark==1.3.1",
    "MarkupSafe==3.0.4",
    "matplotlib-inline==0.2.2",
    "mistune==3.4.0",
    "nbconvert==7.17.2",
    "nest-asyncio2==1.7.4",
    "notebook_shim==0.2.4",
    "overrides==7.7.0",
    "packaging==26.4",
    "pandocfilters==1.5.1",
    "parso==0.8.7",
    "pexpect==4.9.0",
    "prometheus_client==0.26.0",
    "prompt_toolkit==3.0.53",
    "psutil==7.2.2",
    "ptyprocess==0.7.0",
    "pure_eval==0.2.4",
    "pycparser==3.12",
    "Pygments==2.21.0",
    "python-json-logger==4.2.0",
    "PyYAML==6.0.4",
    "requests==2.34.2",
    "rfc3339-validator==0.1.4",
    "rfc3986-validator==0.1.1",
    "rfc3987-syntax==1.1.0",
    "Send2Trash==2.2.0",
    "six==1.17.0",
    "soupsieve==4.1.3",
    "stack-data==0.6.3",
    "terminado==0.18.1",
    "tinycss2==1.5.1",
    "uri-template==1.3.0",
    "urllib3==2.8.0",
    "wcwidth==0.9.4",
    "webcolors==25.10.0",
    "webencodings==0.6.1",
    "websocket-client==1.9.2",
];

/// `$XDG_CACHE_HOME/why-init`, or `~/.cache/why-init`.
pub fn cache_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(
            std::env::var_os("HOME").context("neither XDG_CACHE_HOME nor HOME is set")?,
        )
        .join(".cache"),
    };
    Ok(base.join("why-init"))
}

/// The path to `tool`'s binary, installing it first if it is not there.
pub fn ensure(tool: &Tool) -> Result<PathBuf> {
    let dir = cache_dir()?
        .join("tools")
        .join(format!("{}-{}", tool.name, tool.version));
    let bin = dir.join("bin").join(tool.bin);
    if bin.is_file() {
        return Ok(bin);
    }
    println!(
        "tools     installing {} {} into {} (first use only; about {} min on two cores)",
        tool.name,
        tool.version,
        dir.display(),
        tool.minutes
    );
    // Install beside the final folder and move it in place when complete, so that an
    // interrupted install is never mistaken for a finished one.
    let partial = dir.with_extension("partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["install", "--locked", "--version", tool.version, "--root"])
        .arg(&partial)
        .arg(tool.name)
        .stdin(Stdio::null())
        .status()
        .context("could not run cargo install")?;
    if !status.success() {
        bail!(
            "cargo install {} {} failed ({status})",
            tool.name,
            tool.version
        );
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&partial, &dir)?;
    Ok(bin)
}

/// `PATH` with `dirs` in front.
pub fn path_with(dirs: &[&Path]) -> Result<OsString> {
    let old = std::env::var_os("PATH").unwrap_or_default();
    let all = dirs
        .iter()
        .map(|d| d.to_path_buf())
        .chain(std::env::split_paths(&old));
    Ok(std::env::join_paths(all)?)
}

/// FNV-1a, to name the virtualenv after its pins (a changed pin makes a new one).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The Python of a virtualenv holding [`PYTHON_PACKAGES`], created on first use.
pub fn python() -> Result<PathBuf> {
    let tag = format!("{:08x}", fnv(&PYTHON_PACKAGES.join("\n")) as u32);
    let dir = cache_dir()?
        .join("tools")
        .join(format!("jupyter-venv-{tag}"));
    let python = dir.join("bin").join("python");
    let done = dir.join(".complete");
    if done.is_file() && python.is_file() {
        return Ok(python);
    }
    println!(
        "tools     creating a Python virtualenv with nbclient in {} (first use only)",
        dir.display()
    );
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let system = std::env::var_os("WHY_INIT_PYTHON").unwrap_or_else(|| "python3".into());
    let status = Command::new(&system)
        .args(["-m", "venv"])
        .arg(&dir)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("could not run {system:?} (set WHY_INIT_PYTHON to a Python 3)"))?;
    if !status.success() {
        bail!("{system:?} -m venv failed ({status})");
    }
    pip_install(&python, &[PYTHON_PACKAGES], "the notebook runner")?;
    std::fs::write(&done, PYTHON_PACKAGES.join("\n"))?;
    Ok(python)
}

/// `python -m pip install` of the pinned `packages`, quietly and without prompts; fails
/// naming `what` was being installed.
fn pip_install(python: &Path, packages: &[&[&str]], what: &str) -> Result<()> {
    let status = Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
        ])
        .args(packages.iter().flat_map(|p| p.iter()))
        .stdin(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("pip install of {what} failed ({status})");
    }
    Ok(())
}

/// The Python of the notebook virtualenv ([`python`]) with [`JUPYTERLAB_PACKAGES`] added,
/// installed on first use (about half a minute).
pub fn python_with_jupyterlab() -> Result<PathBuf> {
    let python = python()?;
    let venv = python
        .parent()
        .and_then(Path::parent)
        .context("the virtualenv's python has no folder")?;
    let done = venv.join(".jupyterlab-complete");
    let pins = JUPYTERLAB_PACKAGES.join("\n");
    if std::fs::read_to_string(&done).is_ok_and(|d| d == pins) {
        return Ok(python);
    }
    println!(
        "tools     installing JupyterLab into {} (first use only, about half a minute)",
        venv.display()
    );
    // The notebook runner's pins again, so that pip keeps them while resolving JupyterLab's.
    pip_install(
        &python,
        &[JUPYTERLAB_PACKAGES, PYTHON_PACKAGES],
        "JupyterLab",
    )?;
    std::fs::write(&done, pins)?;
    Ok(python)
}

/// Debian's Chromium, which the browser test drives (never a browser that Playwright downloads).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser test's npm packages (playwright-core alone, pinned by `browser/package-lock.json`),
/// installed once with `npm ci` into the tool cache, in a folder named after the lockfile's
/// hash so that a changed pin installs afresh; returns its `node_modules`, for `NODE_PATH`.
pub fn playwright(root: &Path) -> Result<PathBuf> {
    let manifest = std::fs::read_to_string(root.join("browser/package.json"))?;
    let lock = std::fs::read_to_string(root.join("browser/package-lock.json"))?;
    let tag = format!("{:08x}", fnv(&format!("{manifest}\n{lock}")) as u32);
    let dir = cache_dir()?.join("tools").join(format!("playwright-{tag}"));
    let modules = dir.join("node_modules");
    let done = dir.join(".complete");
    if done.is_file() && modules.join("playwright-core").is_dir() {
        return Ok(modules);
    }
    println!(
        "tools     installing playwright-core with npm ci into {} (first use only; no browser is downloaded)",
        dir.display()
    );
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("package.json"), &manifest)?;
    std::fs::write(dir.join("package-lock.json"), &lock)?;
    let npm = std::env::var_os("WHY_INIT_NPM").unwrap_or_else(|| "npm".into());
    let status = Command::new(&npm)
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(&dir)
        // playwright-core downloads nothing by itself; say so anyway, should a pin change.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .status()
        .with_context(|| {
            format!("could not run {npm:?} (Node.js and npm are needed for the browser test)")
        })?;
    if !status.success() {
        bail!("npm ci of the browser test's packages failed ({status})");
    }
    std::fs::write(&done, &lock)?;
    Ok(modules)
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Register the evcxr kernel as `rust` in a Jupyter data folder inside the cache (never
/// the user's own Jupyter folders); returns that folder, for `JUPYTER_PATH`.
pub fn kernel_spec(evcxr: &Path) -> Result<PathBuf> {
    let jupyter = cache_dir()?.join("jupyter");
    let kernel = jupyter.join("kernels").join("rust");
    std::fs::create_dir_all(&kernel)?;
    let evcxr = evcxr
        .to_str()
        .context("the evcxr_jupyter path is not UTF-8")?;
    let spec = format!(
        "{{\n \"argv\": [{}, \"--control_file\", \"{{connection_file}}\"],\n \"display_name\": \"Rust\",\n \"language\": \"rust\",\n \"interrupt_mode\": \"message\"\n}}\n",
        json_string(evcxr)
    );
    crate::write_if_changed(&kernel.join("kernel.json"), spec.as_bytes())?;
    Ok(jupyter)
}

/// How one notebook ran.
pub struct NotebookRun {
    pub name: String,
    pub ok: bool,
    pub seconds: f64,
}

/// Execute `notebooks/<name>.ipynb` for every name, one after the other, with the evcxr
/// kernel, failing a notebook on any cell error or when it runs longer than `timeout`.
/// All notebooks share one evcxr build folder and compile cache in the cache folder, so
/// the chapter crates' dependencies are compiled once.
pub fn run_notebooks(root: &Path, names: &[&str], timeout: Duration) -> Result<Vec<NotebookRun>> {
    let _lock = lock_kernel_build()?;
    let python = python()?;
    let mut cmd = Command::new(&python);
    kernel_environment(&mut cmd)?;
    let cache = cache_dir()?;
    let script = cache.join("run_notebooks.py");
    crate::write_if_changed(&script, include_str!("run_notebooks.py").as_bytes())?;
    cmd.arg(&script)
        .arg("--timeout")
        .arg(timeout.as_secs().to_string())
        // The executed notebooks, outputs and all, for a look (target/ is not committed).
        .arg("--out")
        .arg(root.join("target").join("notebooks"));
    for name in names {
        cmd.arg(root.join("notebooks").join(format!("{name}.ipynb")));
    }
    cmd.env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    println!(
        "notebooks running {} notebooks with evcxr_jupyter {} (the first run compiles the dependencies, several minutes)",
        names.len(),
        EVCXR_JUPYTER.version
    );
    let mut child = cmd.spawn().context("could not start the notebook runner")?;
    let mut runs = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix("RESULT ") {
            let parts: Vec<&str> = rest.split_whitespace().collect();
            if let [name, status, seconds] = parts[..] {
                // A retried notebook reports twice: its last run counts.
                runs.retain(|r: &NotebookRun| r.name != name);
                runs.push(NotebookRun {
                    name: name.to_string(),
                    ok: status == "ok",
                    seconds: seconds.parse().unwrap_or(f64::NAN),
                });
            }
        }
    }
    let status = child.wait()?;
    if runs.len() != names.len() {
        bail!(
            "the notebook runner reported {} of {} notebooks ({status})",
            runs.len(),
            names.len()
        );
    }
    Ok(runs)
}

/// While held, no other `xtask` process on this machine runs notebooks: they all share the
/// evcxr build folder in the cache, and two kernels compiling different checkouts' crates
/// there at once break each other ("cannot find crate", "dlsym failed").
pub struct KernelBuildLock(#[allow(dead_code)] std::fs::File);

/// Take the kernel build lock, waiting (and saying so) while another run holds it.
pub fn lock_kernel_build() -> Result<KernelBuildLock> {
    let cache = cache_dir()?;
    std::fs::create_dir_all(&cache)?;
    let path = cache.join("evcxr-build.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another notebook run to finish (it holds {})",
                path.display()
            );
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
    }
    Ok(KernelBuildLock(file))
}

/// Set up `cmd`'s environment for the evcxr kernel (installed first if missing): its
/// kernel spec in a Jupyter folder of the cache, a shared evcxr build folder, and the
/// toolchain's library folder on the loader's path. Shared by the headless runner and the
/// JupyterLab test.
pub fn kernel_environment(cmd: &mut Command) -> Result<()> {
    let evcxr = ensure(&EVCXR_JUPYTER)?;
    let jupyter = kernel_spec(&evcxr)?;
    let cache = cache_dir()?;
    let evcxr_tmp = cache.join("evcxr-build");
    let evcxr_config = cache.join("evcxr-config");
    for dir in [
        &evcxr_tmp,
        &evcxr_config,
        &jupyter.join("runtime"),
        &jupyter.join("config"),
    ] {
        std::fs::create_dir_all(dir)?;
    }
    // No init.evcxr: evcxr's `:cache` of compiled cells made kernels fail to start
    // ("dlsym failed") when a later session reused the build folder.
    // evcxr links each cell against the shared libstd and sets a relative rpath that is
    // right for target/<triple>/debug/deps but not for the copy it loads one folder up,
    // so the kernel only starts when the toolchain's target libdir is on the search path.
    let libdir = Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .context("could not run rustc")?;
    let libdir = PathBuf::from(String::from_utf8(libdir.stdout)?.trim());
    let library_path = {
        let old = std::env::var_os("LD_LIBRARY_PATH").unwrap_or_default();
        std::env::join_paths(std::iter::once(libdir).chain(std::env::split_paths(&old)))?
    };
    cmd.env("JUPYTER_PATH", &jupyter)
        .env("JUPYTER_DATA_DIR", &jupyter)
        .env("JUPYTER_CONFIG_DIR", jupyter.join("config"))
        .env("JUPYTER_RUNTIME_DIR", jupyter.join("runtime"))
        .env("JUPYTER_PLATFORM_DIRS", "1")
        .env("LD_LIBRARY_PATH", library_path)
        .env("EVCXR_TMPDIR", &evcxr_tmp)
        // evcxr runs cargo in its own folder and looks for the library it built there:
        // a target folder set for the workspace (as `.ci/run` does) would hide it.
        .env_remove("CARGO_TARGET_DIR")
        .env("EVCXR_CONFIG_DIR", &evcxr_config)
        // evcxr keeps its compile cache in $XDG_CACHE_HOME/evcxr: put it in ours.
        .env("XDG_CACHE_HOME", cache.join("xdg"));
    Ok(())
}

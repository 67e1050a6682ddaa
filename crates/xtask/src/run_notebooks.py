"""Execute notebooks headless with nbclient and report, per notebook, which cell failed.

Usage: run_notebooks.py --timeout SECONDS [--out DIR] NOTEBOOK...
       run_notebooks.py --forget   (only clear the last kernel session's build, see below)

Each notebook runs in its own folder (so `:dep x = { path = "../crates/x" }` resolves),
cell by cell, within SECONDS in total. The last line for each notebook is
`RESULT <name> ok|fail <seconds>`. Outputs are never written back; with `--out DIR` the
executed notebook, outputs and all, is written to DIR/<name>.ipynb for a look.

A notebook fails unless every code cell displays exactly the charts the book shows after
its code block (the count the generator writes into the cell's metadata, `why_init.charts`,
from the chapter's `![..](figures/..)` image lines): a chart is an `image/svg+xml` output
or an `<img data-chart=..>` in a `text/html` output (`charts::show_all`). It also fails on
a bare `()` printed as a cell's value.

A cell fails when it reports an error (evcxr does so for compile errors) or writes to
stderr: evcxr_jupyter 0.22 answers "ok" for a cell that panics or whose `?` returns an
error, and only prints the message to stderr. Its stderr can reach the client after the
cell's "idle" status, so after each cell the runner also drains late stderr messages.
"""

import glob
import os
import queue
import re
import shutil
import sys
import time

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cell_error_text(cell):
    """The error outputs of a cell, as plain text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}")
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
    return ANSI.sub("", "\n".join(parts)).strip()


def late_stderr(client, cell):
    """Stderr text that arrived after the cell finished, attributed to it."""
    text = []
    while True:
        try:
            msg = run_sync(client.kc.get_iopub_msg)(timeout=0.25)
        except queue.Empty:
            return "".join(text)
        if msg["msg_type"] == "stream" and msg["content"].get("name") == "stderr":
            text.append(msg["content"].get("text", ""))


def stderr_of(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")


def forget_last_session():
    """Remove what the previous kernel session compiled of evcxr's own `ctx` crate.

    evcxr builds each cell as the crate `ctx` in EVCXR_TMPDIR and renames the library it
    gets to libcode_<n>.so. When a new session's first build has the same inputs as an
    old one, cargo finds `ctx` fresh, writes no library, and the rename kills the kernel.
    The compiled dependencies stay, which is what sharing the folder is for.
    """
    tmp = os.environ.get("EVCXR_TMPDIR")
    if not tmp:
        return
    for pattern in ["libcode_*", "libctx*", "ctx.d", "deps/libctx*", "deps/ctx-*", "deps/libcode_*", ".fingerprint/ctx-*", "incremental/ctx-*"]:
        for found in glob.glob(os.path.join(tmp, "target", "*", "debug", pattern)):
            if os.path.isdir(found):
                shutil.rmtree(found, ignore_errors=True)
            else:
                os.remove(found)


CHART_IMG = re.compile(r"<img\b[^>]*\bdata-chart=")


def charts_shown(cell):
    """How many charts a cell displays: SVG outputs, and the charts of an HTML gallery."""
    n = 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/svg+xml" in data:
            n += 1
        html = data.get("text/html", "")
        n += len(CHART_IMG.findall(html if isinstance(html, str) else "".join(html)))
    return n


def untidy(cell):
    """A complaint about a cell's output that no reader wants, or None."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "execute_result":
            text = out.get("data", {}).get("text/plain", "")
            if (text if isinstance(text, str) else "".join(text)).strip() == "()":
                return "printed a bare `()` (end the cell with `;`)"
    return None


def run(path, timeout, out_dir=None):
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="rust",
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    forget_last_session()
    start = time.monotonic()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    print(f"notebook  {name}: {len(code_cells)} code cells", flush=True)
    failure = None
    charts_total = 0
    try:
        with client.setup_kernel():
            for n, index in enumerate(code_cells, 1):
                cell = nb.cells[index]
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    raise CellTimeoutError(f"notebook time limit of {timeout} s reached before cell {index}")
                client.timeout = int(left) + 1
                t = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError:
                    failure = (index, cell, cell_error_text(cell) or "error (no message)")
                    break
                stderr = stderr_of(cell) + late_stderr(client, cell)
                if stderr.strip():
                    failure = (index, cell, "wrote to stderr (a panic or an error returned by `?`):\n" + ANSI.sub("", stderr).strip())
                    break
                wanted = cell.get("metadata", {}).get("why_init", {}).get("charts", 0)
                shown = charts_shown(cell)
                charts_total += shown
                if shown != wanted:
                    failure = (index, cell, f"displayed {shown} charts; the book shows {wanted} after this code (one output per kind per cell: use charts::show_all)")
                    break
                complaint = untidy(cell)
                if complaint:
                    failure = (index, cell, complaint)
                    break
                print(f"notebook  {name}: cell {n}/{len(code_cells)} ({cell.get('id')}) ok, {time.monotonic() - t:.1f} s" + (f", {shown} charts" if shown else ""), flush=True)
    except Exception as e:  # a dead kernel, a timeout, or anything else: report, go on
        failure = failure or (None, None, f"{type(e).__name__}: {e}")
    seconds = time.monotonic() - start
    book_charts = nb.metadata.get("why_init", {}).get("charts")
    if not failure and book_charts is None:
        failure = (None, None, "the notebook has no why_init.charts in its metadata (run `cargo xtask notebooks`)")
    elif not failure and charts_total != book_charts:
        failure = (None, None, f"displayed {charts_total} charts; the chapter shows {book_charts}")
    if not failure:
        print(f"notebook  {name}: {charts_total} charts displayed, as many as the chapter shows", flush=True)
    if failure:
        index, cell, text = failure
        where = f"cell {index} ({cell.get('id')})" if cell is not None else "the notebook"
        print(f"FAILED    {name}: {where} failed:", flush=True)
        if cell is not None:
            print("  source:\n    " + "\n    ".join(cell.source.splitlines()[:12]), flush=True)
        print("  error:\n    " + "\n    ".join(text.splitlines()[:40]), flush=True)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, os.path.join(out_dir, f"{name}.ipynb"))
    print(f"RESULT {name} {'fail' if failure else 'ok'} {seconds:.1f}", flush=True)
    return failure is None, (failure[2] if failure else "")


INFRASTRUCTURE = ("Error renaming", "dlopen failed", "dlsym failed", "Kernel died")


def run_with_retry(path, timeout, out_dir):
    """Run a notebook; rerun it once if evcxr itself (not the notebook's code) failed."""
    ok, text = run(path, timeout, out_dir)
    if not ok and any(marker in text for marker in INFRASTRUCTURE):
        print("notebook  the kernel failed for a reason outside the notebook; retrying once", flush=True)
        ok, text = run(path, timeout, out_dir)
    return ok


def main(argv):
    if argv == ["--forget"]:
        forget_last_session()
        return 0
    if len(argv) < 3 or argv[0] != "--timeout":
        print(__doc__, file=sys.stderr)
        return 2
    timeout = int(argv[1])
    paths = argv[2:]
    out_dir = None
    if paths[:1] == ["--out"] and len(paths) >= 2:
        out_dir, paths = paths[1], paths[2:]
    ok = [run_with_retry(path, timeout, out_dir) for path in paths]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Execute notebooks headless with nbclient and report, per notebook, which cell failed.

Usage: run_notebooks.py --timeout SECONDS NOTEBOOK...

Each notebook runs in its own folder (so `:dep x = { path = "../crates/x" }` resolves),
cell by cell, within SECONDS in total. Any cell error fails the notebook. The last line
for each notebook is `RESULT <name> ok|fail <seconds>`. Outputs are never written back.
"""

import os
import re
import sys
import time

import nbformat
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


def run(path, timeout):
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
    start = time.monotonic()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    print(f"notebook  {name}: {len(code_cells)} code cells", flush=True)
    failure = None
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
                print(f"notebook  {name}: cell {n}/{len(code_cells)} ({cell.get('id')}) ok, {time.monotonic() - t:.1f} s", flush=True)
    except (CellTimeoutError, DeadKernelError, RuntimeError, TimeoutError) as e:
        failure = failure or (None, None, f"{type(e).__name__}: {e}")
    seconds = time.monotonic() - start
    if failure:
        index, cell, text = failure
        where = f"cell {index} ({cell.get('id')})" if cell is not None else "the kernel"
        print(f"FAILED    {name}: {where} failed:", flush=True)
        if cell is not None:
            print("  source:\n    " + "\n    ".join(cell.source.splitlines()[:12]), flush=True)
        print("  error:\n    " + "\n    ".join(text.splitlines()[:40]), flush=True)
    print(f"RESULT {name} {'fail' if failure else 'ok'} {seconds:.1f}", flush=True)
    return failure is None


def main(argv):
    if len(argv) < 3 or argv[0] != "--timeout":
        print(__doc__, file=sys.stderr)
        return 2
    timeout = int(argv[1])
    ok = [run(path, timeout) for path in argv[2:]]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Recorded notebook runs: `golfkit run NOTEBOOK -p name value ...` through papermill's Python API.

Each run gets a folder and one line in the index:

    runs/<run_id>/params.yaml      the parameters the notebook ran with (defaults + overrides)
                  executed.ipynb   the executed notebook (saved even when a cell fails)
                  executed.html    nbconvert HTML, figures embedded as base64 PNG
                  metrics.json     the notebook's summary (written by golfkit.lab.workbook.record)
                  figures/*.png    every figure, also saved outside the notebook
                  train/<name>/    one folder per training run: train.log, console.log, metrics.json(l)
                  env.json         git commit + dirty flag, package versions, accelerator
    runs/index.jsonl               run_id, notebook, parameters, status, val_bpb, bytes_total, duration

Status: "ok"; "failed" (a cell raised; papermill's PapermillExecutionError); "killed"
(interrupted, timed out, the kernel died, or training was stopped by a signal).
Unknown parameter names are an error here (papermill itself only logs a warning).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.runlog import git_info

INDEX = "index.jsonl"
KILLED_ENAMES = {"KeyboardInterrupt", "TrainingKilled", "CellTimeoutError", "DeadKernelError"}
PACKAGES = ("torch", "numpy", "sentencepiece", "papermill", "nbclient", "nbconvert", "ipykernel", "jupytext",
            "matplotlib", "scipy", "golfkit")


# ----------------------------------------------------------------------------------
# notebooks and their parameters
# ----------------------------------------------------------------------------------
def load_notebook(path: str | Path):
    """An .ipynb, or a jupytext py:percent twin (papermill accepts the NotebookNode directly)."""
    path = Path(path)
    if not path.is_file():
        raise GolfkitError(f"notebook {path} not found")
    if path.suffix == ".py":
        import jupytext

        nb = jupytext.read(path)
    elif path.suffix == ".ipynb":
        import nbformat

        nb = nbformat.read(path, as_version=4)
    else:
        raise GolfkitError(f"notebook {path} must be .ipynb or a py:percent .py")
    for cell in nb.cells:  # as papermill's load_notebook_node: its tag lookups expect the key
        cell.metadata.setdefault("tags", [])
    return nb


def notebook_parameters(nb) -> dict[str, dict[str, Any]]:
    """{name: {default, type, help}} of the `parameters` cell, as `papermill --help-notebook` shows them."""
    from papermill.inspection import _infer_parameters  # what pm.inspect_notebook runs, on a node

    out = {}
    for p in _infer_parameters(nb):
        out[p.name] = {"default": _literal(p.default), "type": p.inferred_type_name, "help": p.help}
    return out


def _literal(source: str) -> Any:
    """A parameter default's source text as a value (the cell holds literals only)."""
    import ast

    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return source


def parse_param(text: str) -> Any:
    """A `-p` value: True/False/None, numbers, YAML lists/dicts ("[1337, 42]"), else the string."""
    import yaml

    if text in ("None", "none", "null"):
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(value, str):
        try:  # YAML 1.1 reads "1e-3" as a string
            return float(value) if re.fullmatch(r"[-+]?\d*\.?\d+(e[-+]?\d+)?", value, re.I) else value
        except ValueError:
            return value
    return value if value is not None else text


def check_parameters(nb, params: dict[str, Any], where: str) -> dict[str, Any]:
    """Refuse names the parameters cell does not declare; return the declared defaults."""
    declared = notebook_parameters(nb)
    if not declared:
        raise GolfkitError(f"{where} has no cell tagged 'parameters'")
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise GolfkitError(f"unknown parameter '{unknown[0]}' for {where} (declared: {', '.join(declared)})")
    return {k: v["default"] for k, v in declared.items()}


# ----------------------------------------------------------------------------------
# one run
# ----------------------------------------------------------------------------------
def new_run_id(notebook: Path, params: dict[str, Any]) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    tag = "_smoke" if params.get("smoke") else ""
    return f"{stamp}_{notebook.stem}{tag}"


def run_notebook(notebook: str | Path, params: dict[str, Any] | None = None, run_id: str | None = None,
                 runs_root: str | Path = "runs", timeout: float | None = None, log_output: bool = False,
                 kernel_name: str = "python3") -> dict[str, Any]:
    """Execute `notebook` into runs_root/<run_id>/ and return its index record.

    `timeout` is per cell (papermill's execution_timeout) and interrupts the kernel, so the
    training cell's `finally` kills its process group. A failing cell is recorded, not raised.
    """
    import papermill as pm

    notebook, params = Path(notebook), dict(params or {})
    nb = load_notebook(notebook)
    defaults = check_parameters(nb, params, str(notebook))
    run_id = run_id or new_run_id(notebook, params)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", run_id):
        raise GolfkitError(f"run id {run_id!r} may hold only letters, digits and . _ + -")
    run_dir = Path(runs_root) / run_id
    if "run_dir" in defaults:
        params["run_dir"] = str(run_dir)
    if run_dir.exists():
        # The same notebook with the same parameters resumes its run: its finished trainings are
        # reused by config hash (golfkit.lab.workbook); anything else would mix two runs in one folder.
        prev = _read_yaml(run_dir / "params.yaml")
        if not (isinstance(prev, dict) and prev.get("notebook") == str(notebook) and prev.get("overrides") == params):
            raise GolfkitError(f"run folder {run_dir} already exists with other parameters "
                               f"(pick another --run-id; the same notebook and parameters resume it)")
        print(f"resuming run {run_id}: finished trainings are reused")
    (run_dir / "figures").mkdir(parents=True, exist_ok=True)
    write_yaml(run_dir / "params.yaml", {"notebook": str(notebook), "overrides": params,
                                         "parameters": {**defaults, **params}})
    write_env(run_dir / "env.json")
    started, t0 = datetime.now(timezone.utc), time.monotonic()
    status, error = "ok", None
    out = run_dir / "executed.ipynb"
    try:
        with _sigterm_as_interrupt():
            pm.execute_notebook(nb, str(out), parameters=params, kernel_name=kernel_name, cwd=os.getcwd(),
                                log_output=log_output, progress_bar=False, execution_timeout=timeout,
                                interrupt_on_timeout=True, coalesce_streams=True)
    except pm.PapermillExecutionError as e:
        status = "killed" if e.ename in KILLED_ENAMES else "failed"
        error = f"{e.ename}: {str(e.evalue).splitlines()[0] if e.evalue else ''}"
    except KeyboardInterrupt:
        status, error = "killed", "KeyboardInterrupt: the runner was interrupted"
    except Exception as e:  # DeadKernelError, kernel start failures: infra, not the notebook
        status = "killed" if type(e).__name__ in KILLED_ENAMES else "failed"
        error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    finally:
        _cleanup(run_dir)
    record = finish(run_dir, notebook, params, status, error, started, time.monotonic() - t0)
    append_index(Path(runs_root), record)
    return record


class _sigterm_as_interrupt:
    """In the main thread, SIGTERM raises KeyboardInterrupt (so `kill` and Ctrl-C both record "killed")."""

    def __enter__(self):
        self.old = None
        if sys.platform != "win32" and _main_thread():
            self.old = signal.signal(signal.SIGTERM, _raise_interrupt)

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _cleanup(run_dir: Path) -> None:
    """Backstop after the kernel is gone: kill recorded training groups and kernels we started."""
    from golfkit.lab.launch import kill_recorded

    kill_recorded(run_dir)
    for pid in _child_kernels():
        try:
            os.kill(pid, signal.SIGKILL)  # its own PR_SET_PDEATHSIG children get SIGTERM
        except ProcessLookupError:
            pass


def _child_kernels() -> list[int]:
    """ipykernel processes whose parent is this process (an interrupted nbclient leaves them)."""
    me, found = os.getpid(), []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == me and b"ipykernel" in (stat.parent / "cmdline").read_bytes():
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def finish(run_dir: Path, notebook: Path, params: dict, status: str, error: str | None,
           started: datetime, duration: float) -> dict[str, Any]:
    """Render HTML, read metrics.json, store a summary in the notebook; return the index record."""
    metrics = read_json(run_dir / "metrics.json") or {}
    record = {
        "run_id": run_dir.name, "notebook": str(notebook), "parameters": params, "status": status,
        "val_bpb": metrics.get("val_bpb"), "bytes_total": metrics.get("bytes_total"),
        "duration_s": round(duration, 2), "started": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "train_seconds": metrics.get("train_seconds"), "error": error,
    }
    out = run_dir / "executed.ipynb"
    if out.is_file():
        _annotate(out, record)
        try:
            render_html(out, run_dir / "executed.html")
        except Exception as e:  # a broken render must not lose the run record
            record["error"] = (error or "") + f" [html: {type(e).__name__}: {e}]"
    return record


def _annotate(path: Path, record: dict) -> None:
    # The kernel cannot safely edit its own output file while papermill autosaves it, so the
    # summary goes into the notebook's metadata afterwards (notebooks.md, section 4).
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata["golfkit"] = record
    atomic_write(path, nbformat.writes(nb))


def render_html(ipynb: Path, html: Path) -> None:
    """nbconvert's HTML exporter; outputs' PNGs stay embedded as base64 data URIs."""
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(ipynb, as_version=4))
    atomic_write(html, body)


# ----------------------------------------------------------------------------------
# records
# ----------------------------------------------------------------------------------
def write_yaml(path: Path, obj: Any) -> None:
    import yaml

    atomic_write(path, yaml.safe_dump(obj, sort_keys=False))


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def append_index(root: Path, record: dict) -> None:
    # One write() of one line in append mode: concurrent runners cannot interleave inside a line.
    root.mkdir(parents=True, exist_ok=True)
    with open(root / INDEX, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, default=str) + "\n")


def write_env(path: Path) -> None:
    """What a reader needs to reproduce the run; no torch import (it costs seconds)."""
    env: dict[str, Any] = {"python": sys.version.split()[0], "platform": platform.platform(),
                           "cpu_count": os.cpu_count(), **git_info(Path(__file__).resolve().parent)}
    env["packages"] = {p: _version(p) for p in PACKAGES}
    env["pip_freeze"] = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()
                               if d.metadata["Name"])
    smi = shutil.which("nvidia-smi")
    if smi:
        r = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=20)
        env["nvidia_smi"] = r.stdout.strip().splitlines()
    atomic_write(path, json.dumps(env, indent=2) + "\n")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def read_index(root: str | Path = "runs") -> list[dict[str, Any]]:
    path = Path(root) / INDEX
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a crash; the rest of the index still reads
    return rows


def format_list(rows: list[dict[str, Any]]) -> str:
    head = f"{'run_id':44} {'status':7} {'val_bpb':>8} {'bytes_total':>12} {'duration':>9}  notebook"
    lines = [head]
    for r in rows:
        bpb = f"{r['val_bpb']:.4f}" if isinstance(r.get("val_bpb"), (int, float)) else "-"
        nbytes = str(r.get("bytes_total") or "-")
        lines.append(f"{r['run_id']:44} {r['status']:7} {bpb:>8} {nbytes:>12} {r.get('duration_s', 0):>8.1f}s  "
                     f"{Path(r['notebook']).name}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------
# sweeps and comparisons
# ----------------------------------------------------------------------------------
def sweep(notebook: str | Path, grid: list[dict[str, Any]], seeds: list[int], base: dict[str, Any] | None = None,
          sweep_id: str | None = None, runs_root: str | Path = "runs", **kwargs) -> list[dict[str, Any]]:
    """Every override set x every seed as its own recorded run `<sweep_id>_<i>_s<seed>`.

    Each run gets `seeds=[seed]`; `golfkit runs compare '<sweep_id>_0_*' '<sweep_id>_1_*'` then
    compares the override sets across seeds. Parameter names are checked before anything runs.
    """
    nb = load_notebook(notebook)
    for overrides in grid:
        check_parameters(nb, {**(base or {}), **overrides, "seeds": seeds}, str(notebook))
    sweep_id = sweep_id or new_run_id(Path(notebook), base or {}) + "_sweep"
    records = []
    for i, overrides in enumerate(grid):
        for seed in seeds:
            params = {**(base or {}), **overrides, "seeds": [seed]}
            records.append(run_notebook(notebook, params, f"{sweep_id}_{i}_s{seed}", runs_root, **kwargs))
    return records

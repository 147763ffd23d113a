"""Recorded notebook runs: `golfkit run NOTEBOOK -p name value ...` through papermill's Python API.

Each run gets a folder and one line in the index:

    runs/<run_id>/params.yaml      the parameters the notebook ran with (defaults + overrides)
                  executed.ipynb   the executed notebook (saved even when a cell fails)
                  executed.html    nbconvert HTML: title, commit, the command to reproduce, a code-hidden
                                   reading mode; figures embedded as base64 PNG
                  kernel.log       the kernel's own stdout/stderr (start-up warnings, a crash's last words)
                  metrics.json     the notebook's summary (written by golfkit.lab.workbook.record)
                  figures/*.png    every figure, also saved outside the notebook
                  train/<name>/    one folder per training run: train.log, console.log, metrics.json(l)
                  env.json         git commit + dirty flag, package versions, accelerator
    runs/index.jsonl               run_id, notebook, parameters, status, val_bpb, bytes_total, duration

Status: "ok"; "failed" (a cell raised, or a write of the run's own files failed: disk full,
permissions); "killed" (SIGINT/SIGTERM to the runner, Ctrl-C, a cell timeout, the kernel died, or
training was stopped by a signal).

Before anything is written: parameter names must be declared by the notebook's `parameters` cell
(papermill itself only logs a warning) and values must have the declared type (`# type:` comments,
as `papermill --help-notebook` reads them); the runs folder must be a folder and its index a file.
While the notebook runs, papermill saves into `executing.ipynb`; the finished, annotated notebook
is then written to `executed.ipynb` by rename, so no reader ever sees half a notebook.
"""

from __future__ import annotations

import ctypes
import errno
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.lab import runinfo
from golfkit.lab.runinfo import read_json
from golfkit.runlog import git_info

INDEX = "index.jsonl"
STAGING = "executing.ipynb"  # papermill's autosaves while the notebook runs
STATUSES = ("ok", "failed", "killed")
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
KILLED_ENAMES = {"KeyboardInterrupt", "TrainingKilled", "CellTimeoutError", "DeadKernelError"}
PACKAGES = ("torch", "numpy", "sentencepiece", "papermill", "nbclient", "nbconvert", "ipykernel", "jupytext",
            "matplotlib", "scipy", "golfkit")
INDEX_LINE_MAX = 1 << 20  # an index record is ~1-3 KB; a longer line is not one of ours
INDEX_RESERVE = 64 << 10  # space kept for the run's index line, so a full disk still records the failure
STOP_GRACE = 30.0  # seconds an interrupted kernel gets to run its cell's `finally` before it is killed
TEMPLATES = Path(__file__).resolve().parent / "templates"


# ----------------------------------------------------------------------------------
# notebooks and their parameters
# ----------------------------------------------------------------------------------
def load_notebook(path: str | Path):
    """An .ipynb, or a jupytext py:percent twin (papermill accepts the NotebookNode directly)."""
    path = Path(path)
    if not path.is_file():
        raise GolfkitError(f"notebook {path} not found")
    try:
        if path.suffix == ".py":
            import jupytext

            nb = jupytext.read(path)
        elif path.suffix == ".ipynb":
            import nbformat

            nb = nbformat.read(path, as_version=4)
        else:
            raise GolfkitError(f"notebook {path} must be .ipynb or a py:percent .py")
    except GolfkitError:
        raise
    except Exception as e:  # nbformat/jupytext raise many types for a broken file
        raise GolfkitError(f"cannot read notebook {path}: {type(e).__name__}: {str(e).splitlines()[0][:200]}") from None
    for cell in nb.cells:  # as papermill's load_notebook_node: its tag lookups expect the key
        cell.metadata.setdefault("tags", [])
    return nb


_NOT_LITERAL = object()


def notebook_parameters(nb) -> dict[str, dict[str, Any]]:
    """{name: {default, type, help}} of the `parameters` cell, as `papermill --help-notebook` shows them."""
    from papermill.inspection import _infer_parameters  # what pm.inspect_notebook runs, on a node

    out = {}
    for p in _infer_parameters(nb):
        value = _literal(p.default)
        out[p.name] = {"default": p.default if value is _NOT_LITERAL else value, "type": p.inferred_type_name,
                       "help": p.help, "literal": value is not _NOT_LITERAL}
    return out


def _literal(source: str) -> Any:
    """A parameter default's source text as a value (the cell holds literals only)."""
    import ast

    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, RecursionError):
        return _NOT_LITERAL


def parse_param(text: str) -> Any:
    """A `-p` value: True/False/None, numbers, YAML lists/dicts ("[1337, 42]"), else the string."""
    import yaml

    if text in ("None", "none", "null"):
        return None
    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return text
    if isinstance(value, str):
        try:  # YAML 1.1 reads "1e-3" as a string
            return float(value) if re.fullmatch(r"[-+]?\d*\.?\d+(e[-+]?\d+)?", value, re.I) else value
        except ValueError:
            return value
    return value if value is not None else text


_TYPE_NAMES = {"bool": "bool", "boolean": "bool", "int": "int", "integer": "int", "float": "float",
               "number": "float", "str": "str", "string": "str", "list": "list", "tuple": "list", "dict": "dict"}
_PY_TYPES = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict"}
_SAY = {"bool": "True or False", "int": "an integer", "float": "a number", "str": "a string", "list": "a list",
        "dict": "a mapping"}


def declared_type(info: dict[str, Any]) -> tuple[str | None, str | None]:
    """(type, element type) from a `# type:` comment (`list[int]` -> ("list", "int")), else from the literal
    default; (None, None) when neither says (e.g. `# type: Optional[int]`, a default of None)."""
    text = (info.get("type") or "").strip()
    if text and text != "None":
        m = re.fullmatch(r"(\w+)\s*(?:\[\s*(\w+)\s*(?:,[^\]]*)?\])?", text)
        if not m or m.group(1).lower() not in _TYPE_NAMES:
            return None, None
        inner = _TYPE_NAMES.get((m.group(2) or "").lower())
        return _TYPE_NAMES[m.group(1).lower()], inner
    if info.get("literal"):
        return _PY_TYPES.get(type(info["default"])), None
    return None, None


def _is(value: Any, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, {"str": str, "list": list, "dict": dict}[kind])


def coerce_parameter(name: str, value: Any, info: dict[str, Any], where: str, raw: str | None = None) -> Any:
    """`value` as the declared type of parameter `name`, or a GolfkitError naming the type and the value.

    `raw` is the text given on the command line: a string parameter takes it as written (`-p tag 2025`).
    An int is accepted where a float is declared; NaN and infinities are refused.
    """
    kind, inner = declared_type(info)
    if kind is None:
        return value
    if kind == "str" and not isinstance(value, str) and raw is not None:
        return raw
    if kind == "list" and isinstance(value, tuple):
        value = list(value)
    shown = raw if raw is not None else repr(value)
    if not _is(value, kind):
        raise GolfkitError(f"parameter '{name}' of {where} is declared {info.get('type') or kind} "
                           f"({_SAY[kind]}); got {shown!r}"[:400])
    if kind == "float":
        value = float(value)
    if kind == "list" and inner and not all(_is(v, inner) for v in value):
        raise GolfkitError(f"parameter '{name}' of {where} is declared {info.get('type')}; got {shown!r}"[:400])
    return value


def validate_parameters(nb, params: dict[str, Any], where: str,
                        raw: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(declared defaults, `params` checked and coerced): unknown names and wrong types are refused."""
    declared = notebook_parameters(nb)
    if not declared:
        raise GolfkitError(f"{where} has no cell tagged 'parameters'")
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise GolfkitError(f"unknown parameter '{unknown[0]}' for {where} (declared: {', '.join(declared)})")
    checked = {k: coerce_parameter(k, v, declared[k], where, (raw or {}).get(k)) for k, v in params.items()}
    return {k: v["default"] for k, v in declared.items()}, checked


def check_plan_parameters(values: dict[str, Any], where: str) -> None:
    """A workbook notebook's parameters checked for meaning as `workbook.plan` will check them, before the run
    folder exists (types alone let `-p seeds []` or an unknown protocol through to a recorded failed run)."""
    from golfkit.lab import workbook

    if not {"smoke", "preset", "seeds", "data_dir"} <= set(values):
        return  # not a notebook that plans trainings
    try:
        workbook.check_plan(**{k: values[k] for k in workbook.PLAN_PARAMETERS if k in values})
    except GolfkitError as e:
        raise GolfkitError(f"{where}: {e}") from None


def check_parameters(nb, params: dict[str, Any], where: str) -> dict[str, Any]:
    """Refuse undeclared names and wrongly typed values; return the declared defaults."""
    return validate_parameters(nb, params, where)[0]


# ----------------------------------------------------------------------------------
# the runs folder
# ----------------------------------------------------------------------------------
def check_runs_root(root: str | Path, write: bool = False) -> Path:
    """The runs folder must be a folder (or not exist yet, when writing) and its index a regular file."""
    import stat

    root = Path(root)
    if root.exists() and not root.is_dir():
        raise GolfkitError(f"runs folder {root} is not a folder (--runs-dir)")
    index = root / INDEX
    if index.exists() or index.is_symlink():
        try:
            mode = os.stat(index).st_mode
        except OSError as e:
            raise GolfkitError(f"cannot read the run index {index}: {e.strerror}") from None
        if not stat.S_ISREG(mode):
            raise GolfkitError(f"the run index {index} is not a regular file")
    if write:
        existing = next(p for p in (root, *root.absolute().parents) if p.exists())
        if not existing.is_dir():
            raise GolfkitError(f"runs folder {root}: {existing} is not a folder (--runs-dir)")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise GolfkitError(f"cannot write to the runs folder {root} ({existing}: permission denied or read-only)")
        if index.exists() and not os.access(index, os.W_OK):
            raise GolfkitError(f"cannot write to the run index {index} (permission denied or read-only)")
    return root


def check_run_id(run_id: str) -> None:
    if not RUN_ID.fullmatch(run_id):
        raise GolfkitError(f"run id {run_id!r} may hold only letters, digits and . _ + -")


# ----------------------------------------------------------------------------------
# one run
# ----------------------------------------------------------------------------------
def new_run_id(notebook: Path, params: dict[str, Any]) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    tag = "_smoke" if params.get("smoke") else ""
    return f"{stamp}_{notebook.stem}{tag}"


class RunStopped(Exception):
    """Raised from nbclient's cell hook after a signal: no further cell is started."""


def run_notebook(notebook: str | Path, params: dict[str, Any] | None = None, run_id: str | None = None,
                 runs_root: str | Path = "runs", timeout: float | None = None, log_output: bool = False,
                 kernel_name: str = "python3", raw: dict[str, str] | None = None) -> dict[str, Any]:
    """Execute `notebook` into runs_root/<run_id>/ and return its index record.

    `timeout` is per cell (papermill's execution_timeout) and interrupts the kernel, so the
    training cell's `finally` kills its process group. A failing cell is recorded, not raised.
    SIGINT/SIGTERM interrupt the kernel as Ctrl-C in Lab does (a second signal stops at once);
    the run is recorded "killed". An OSError writing the run's own files (disk full, permissions)
    is recorded "failed" and then raised as one GolfkitError line. `raw`: the command-line texts
    of `params` (a string parameter takes its text as written).
    """
    notebook, params = Path(notebook), dict(params or {})
    nb = load_notebook(notebook)
    defaults, params = validate_parameters(nb, params, str(notebook), raw)
    check_plan_parameters({**defaults, **params}, str(notebook))
    run_id = run_id or new_run_id(notebook, params)
    check_run_id(run_id)
    root = check_runs_root(runs_root, write=True)
    run_dir = root / run_id
    if "run_dir" in defaults:
        params["run_dir"] = str(run_dir)
    resuming = False
    if run_dir.exists() or run_dir.is_symlink():
        # The same notebook with the same parameters resumes its run: its finished trainings are
        # reused by config hash (golfkit.lab.workbook); anything else would mix two runs in one folder.
        prev = _read_yaml(run_dir / "params.yaml") if run_dir.is_dir() and not run_dir.is_symlink() else None
        if not (isinstance(prev, dict) and prev.get("notebook") == str(notebook) and prev.get("overrides") == params):
            raise GolfkitError(f"run folder {run_dir} already exists with other parameters "
                               f"(pick another --run-id; the same notebook and parameters resume it)")
        resuming = True
    title = runinfo.notebook_title(nb.cells, notebook.stem)

    index = _IndexWriter(root)  # the last refusal point: from here on the run is recorded
    if resuming:
        print(f"resuming run {run_id}: finished trainings are reused")
    started, t0 = datetime.now(timezone.utc), time.monotonic()
    status, error, io_error = "ok", None, None
    stopper = _Stopper(run_dir)
    try:
        (run_dir / "figures").mkdir(parents=True, exist_ok=resuming)
        write_yaml(run_dir / "params.yaml", {"notebook": str(notebook), "overrides": params,
                                             "parameters": {**defaults, **params}})
        write_env(run_dir / "env.json")
        import papermill as pm

        try:
            with stopper:
                pm.execute_notebook(nb, str(run_dir / STAGING), parameters=params, kernel_name=kernel_name,
                                    cwd=os.getcwd(), log_output=log_output, progress_bar=False,
                                    execution_timeout=timeout, interrupt_on_timeout=True, coalesce_streams=True,
                                    kernel_manager_class=stopper.kernel_manager_class(run_dir / "kernel.log"),
                                    on_cell_execute=stopper.before_cell)
        except pm.PapermillExecutionError as e:
            status = "killed" if e.ename in KILLED_ENAMES else "failed"
            error = f"{e.ename}: {str(e.evalue).splitlines()[0] if e.evalue else ''}"
    except (KeyboardInterrupt, RunStopped):
        status, error = "killed", "KeyboardInterrupt: the runner was interrupted"
    except OSError as e:  # our own writes (papermill's saves included): disk full, permissions, read-only
        status, error, io_error = "failed", f"OSError: {describe_oserror(e)}", e
    except Exception as e:  # DeadKernelError, kernel start failures: infra, not the notebook
        status = "killed" if type(e).__name__ in KILLED_ENAMES else "failed"
        error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    finally:
        _cleanup(run_dir, stopper)
    if stopper.signal is not None:
        status, error = "killed", f"{signal.Signals(stopper.signal).name}: the run was stopped by a signal"
    record, finish_error = finish(run_dir, notebook, params, status, error, started, time.monotonic() - t0, title)
    io_error = io_error or finish_error
    if finish_error is not None:
        record["status"], record["error"] = "failed", record["error"] or f"OSError: {describe_oserror(finish_error)}"
    recorded = index.append(record)
    if io_error is not None:
        where = f"recorded failed in {root / INDEX}" if recorded is None else \
            f"and could not be recorded in {root / INDEX} ({describe_oserror(recorded)})"
        raise GolfkitError(f"run {run_id} failed: {describe_oserror(io_error)}; {where}")
    if recorded is not None:
        raise GolfkitError(f"run {run_id} finished {record['status']} but could not be recorded in "
                           f"{root / INDEX}: {describe_oserror(recorded)}")
    return record


def describe_oserror(e: OSError) -> str:
    text = e.strerror or str(e) or type(e).__name__
    return f"{text} ({e.filename})" if e.filename else text


class _IndexWriter:
    """The index, opened before the run starts, with INDEX_RESERVE bytes allocated past its end.

    On Linux, fallocate(FALLOC_FL_KEEP_SIZE) reserves the blocks without changing the file: when the
    notebook fills the disk, the run's "failed" line still fits. The line is one write() in append
    mode, so concurrent runners cannot interleave inside a line.
    """

    def __init__(self, root: Path) -> None:
        created = not root.exists()
        try:
            root.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(root / INDEX, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as e:
            if created:
                shutil.rmtree(root, ignore_errors=True)
            raise GolfkitError(f"cannot write to the runs folder {root}: {describe_oserror(e)}") from None
        _reserve(self.fd, INDEX_RESERVE)

    def append(self, record: dict[str, Any]) -> OSError | None:
        """Write the record's line; the error instead of raising it (the caller says it in one line)."""
        line = (json.dumps(record, default=str) + "\n").encode("utf-8")
        try:
            n = os.write(self.fd, line)
            if n != len(line):
                raise OSError(errno.ENOSPC, f"only {n} of {len(line)} bytes of the index line were written")
            return None
        except OSError as e:
            return e
        finally:
            os.close(self.fd)


def _reserve(fd: int, nbytes: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.fallocate(fd, 1, ctypes.c_longlong(os.fstat(fd).st_size), ctypes.c_longlong(nbytes))  # 1: KEEP_SIZE
    except (OSError, AttributeError):
        pass  # no reservation where the file system or libc cannot; the append is still one write


class _Stopper:
    """SIGINT/SIGTERM during a run: interrupt the kernel like Lab's stop button, then stop.

    Python leaves SIGINT ignored when the runner was started in the background of a script (`golfkit
    run ... &`), so both handlers are installed here explicitly. The first signal sends SIGINT to the
    kernel (the training cell's `finally` kills its process group), refuses to start another cell, and
    after STOP_GRACE seconds kills the kernel and any recorded training group; a second signal raises
    KeyboardInterrupt at once.
    """

    def __init__(self, run_dir: Path) -> None:
        self.run_dir, self.signal, self.kernel_pid = run_dir, None, None
        self.old: dict[int, Any] = {}
        self.timer: threading.Timer | None = None

    def __enter__(self):
        if sys.platform != "win32" and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, old in self.old.items():
            signal.signal(sig, old)
        if self.timer is not None:
            self.timer.cancel()

    def _handle(self, signum, frame) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = signum
        name = signal.Signals(signum).name
        if self.kernel_pid is None or not _alive(self.kernel_pid):
            raise KeyboardInterrupt  # no kernel yet: nothing to interrupt gently
        print(f"golfkit: {name}: interrupting the notebook (again to stop at once)", file=sys.stderr, flush=True)
        try:
            os.kill(self.kernel_pid, signal.SIGINT)
        except ProcessLookupError:
            raise KeyboardInterrupt from None
        self.timer = threading.Timer(STOP_GRACE, self._hard_stop)
        self.timer.daemon = True
        self.timer.start()

    def _hard_stop(self) -> None:
        from golfkit.lab.launch import kill_recorded

        kill_recorded(self.run_dir)
        if self.kernel_pid is not None:
            try:
                os.kill(self.kernel_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def before_cell(self, **_) -> None:
        if self.signal is not None:
            raise RunStopped(f"{signal.Signals(self.signal).name} received")

    def kernel_manager_class(self, log_path: Path):
        """jupyter_client's manager, recording the kernel's pid and sending its own output to kernel.log."""
        from jupyter_client import AsyncKernelManager

        stopper = self

        class _KernelManager(AsyncKernelManager):
            async def _async_launch_kernel(self, kernel_cmd, **kw):
                with open(log_path, "ab") as log:  # the kernel keeps its own copy of the descriptor
                    kw.setdefault("stdout", log)
                    kw.setdefault("stderr", subprocess.STDOUT)
                    await super()._async_launch_kernel(kernel_cmd, **kw)
                process = getattr(self.provisioner, "process", None)
                stopper.kernel_pid = getattr(process, "pid", None)

        return _KernelManager


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _cleanup(run_dir: Path, stopper: _Stopper | None = None) -> None:
    """Backstop after the kernel is gone: kill recorded training groups and kernels we started."""
    from golfkit.lab.launch import kill_recorded

    kill_recorded(run_dir)
    pids = set(_child_kernels())
    if stopper is not None and stopper.kernel_pid is not None and _alive(stopper.kernel_pid):
        pids.add(stopper.kernel_pid)
    for pid in pids:
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


def finish(run_dir: Path, notebook: Path, params: dict, status: str, error: str | None, started: datetime,
           duration: float, title: str | None = None) -> tuple[dict[str, Any], OSError | None]:
    """Promote the staged notebook, render HTML, read metrics.json; (index record, first OSError or None).

    Nothing is left half-written: a staged notebook that does not parse (its save hit a full disk)
    is removed; the annotated notebook and the HTML are written to a temp file and renamed.
    """
    metrics = read_json(run_dir / "metrics.json") or {}
    metrics = metrics if isinstance(metrics, dict) else {}
    record = {
        "run_id": run_dir.name, "notebook": str(notebook), "parameters": params, "status": status,
        "val_bpb": metrics.get("val_bpb"), "bytes_total": metrics.get("bytes_total"),
        "duration_s": round(duration, 2), "started": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "train_seconds": metrics.get("train_seconds"), "error": error,
    }
    io_error = None
    staged, out = run_dir / STAGING, run_dir / "executed.ipynb"
    if staged.is_file():
        import nbformat

        try:
            nb = nbformat.read(staged, as_version=4)
        except Exception:  # a save cut short: not a notebook, and not ours to keep
            staged.unlink(missing_ok=True)
            record["error"] = (error or "") + " [the executed notebook could not be saved]"
            nb = None
        if nb is not None:
            nb.metadata["golfkit"] = {**record, "title": title}
            try:
                atomic_write(out, nbformat.writes(nb))
                staged.unlink(missing_ok=True)
            except OSError as e:
                io_error = e
                try:
                    os.replace(staged, out)  # complete, unannotated: a rename needs no space
                except OSError:
                    pass  # a read-only folder: the complete staged notebook stays where it is
    if out.is_file():
        try:
            render_run(run_dir, record)
        except OSError as e:
            io_error = io_error or e
        except Exception as e:  # a broken render must not lose the run record
            record["error"] = (record["error"] or "") + f" [html: {type(e).__name__}: {e}]"
    return record, io_error


# ----------------------------------------------------------------------------------
# HTML pages
# ----------------------------------------------------------------------------------
def page_info(run_dir: Path, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the page header shows: title, status, date, commit, protocol, val targets, command."""
    record = dict(record or {})
    record.setdefault("run_id", run_dir.name)
    if "notebook" not in record:
        params = runinfo.read_yaml(run_dir / "params.yaml")
        record["notebook"] = params.get("notebook", "") if isinstance(params, dict) else ""
    info = runinfo.summary(run_dir.parent, record)
    for key in ("status", "started"):  # an old run re-rendered without its index record
        info[key] = info[key] or _meta(run_dir).get(key)
    return info


def _meta(run_dir: Path) -> dict:
    nb = read_json(run_dir / "executed.ipynb")
    meta = nb.get("metadata", {}).get("golfkit") if isinstance(nb, dict) and isinstance(nb.get("metadata"), dict) \
        else None
    return meta if isinstance(meta, dict) else {}


def render_run(run_dir: Path, record: dict[str, Any] | None = None) -> Path:
    """executed.ipynb -> executed.html with the run's header; used after a run and by `golfkit runs render`."""
    return render_html(run_dir / "executed.ipynb", run_dir / "executed.html", page_info(run_dir, record))


def render_html(ipynb: Path, html: Path, info: dict[str, Any] | None = None) -> Path:
    """nbconvert's HTML exporter with golfkit's template (golfkit/lab/templates/golfkit-run).

    The template extends nbconvert's `lab` template: a header with the title, status, date, commit,
    protocol, validation targets and the command to reproduce, and a "show code" switch (reading
    mode, code hidden, by default). Cells tagged `remove-cell` are dropped and `hide-input` lose their
    code (nbconvert's TagRemovePreprocessor). PNG outputs stay embedded as base64 data URIs.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = nbformat.read(ipynb, as_version=4)
    info = dict(info or {})
    info.setdefault("title", runinfo.notebook_title(nb.cells, ipynb.parent.name))
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    c.TagRemovePreprocessor.remove_input_tags = {"hide-input"}
    exporter = HTMLExporter(config=c, template_name="golfkit-run", extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": info["title"]}, "golfkit": info})
    atomic_write(html, body)
    return html


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


def _warn(message: str) -> None:
    print(f"golfkit: warning: {message}", file=sys.stderr)


def record_problem(rec: Any) -> str | None:
    """Why an index line is not a run record, or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    rid = rec.get("run_id")
    if not isinstance(rid, str) or not RUN_ID.fullmatch(rid):
        return "no valid run_id"
    if rec.get("status") not in STATUSES:
        return f"status is not one of {', '.join(STATUSES)}"
    if not isinstance(rec.get("notebook", ""), str) or not isinstance(rec.get("parameters", {}), dict):
        return "notebook or parameters of the wrong type"
    if not all(isinstance(rec.get(key), (str, type(None))) for key in ("started", "error")):
        return "started or error is not a string"  # the site slices and truncates them as text
    for key in ("val_bpb", "bytes_total", "duration_s", "train_seconds"):
        v = rec.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            return f"{key} is not a number"
    return None


def _index_lines(f):
    """(line number, bytes or None when longer than INDEX_LINE_MAX) without holding a long line in memory."""
    n = 0
    while True:
        line = f.readline(INDEX_LINE_MAX + 1)
        if not line:
            return
        n += 1
        if len(line) > INDEX_LINE_MAX and not line.endswith(b"\n"):
            while (rest := f.readline(INDEX_LINE_MAX)) and not rest.endswith(b"\n"):
                pass
            yield n, None
        else:
            yield n, line


def read_index(root: str | Path = "runs", warn=_warn) -> list[dict[str, Any]]:
    """The index records, in order. Bad lines (cut by a crash, edited, not ours) are skipped with one warning."""
    from golfkit import safeio

    root = check_runs_root(root)
    path = root / INDEX
    if not path.is_file():
        return []
    rows, bad = [], []
    try:
        f = open(path, "rb")
    except OSError as e:
        raise GolfkitError(f"cannot read the run index {path}: {describe_oserror(e)}") from None
    with f:
        for n, line in _index_lines(f):
            if line is None:
                bad.append((n, f"longer than {INDEX_LINE_MAX:,} bytes"))
                continue
            if not line.strip():
                continue
            try:
                rec = safeio.loads(line, f"line {n}")
            except GolfkitError:
                bad.append((n, "not JSON"))
                continue
            problem = record_problem(rec)
            if problem:
                bad.append((n, problem))
            else:
                rows.append(rec)
    if bad and warn is not None:
        more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
        warn(f"{path}: skipped line {bad[0][0]} ({bad[0][1]}){more}")
    return rows


def format_list(rows: list[dict[str, Any]], root: str | Path | None = None) -> str:
    """One line per record; with `root`, each run's protocol, steps, plateau (the largest fall of validation loss
    over the last 20% of a training's constant-learning-rate phase) and validation targets from its folder."""
    head = (f"{'run_id':44} {'status':7} {'protocol':11} {'steps':>9} {'plateau':>8} {'val tgts':>9} {'val_bpb':>8} "
            f"{'bytes_total':>12} {'duration':>9}  notebook")
    lines = [head]
    for r in rows:
        s = runinfo.summary(Path(root), r, with_title=False) if root is not None else {}
        bpb = f"{r['val_bpb']:.4f}" if isinstance(r.get("val_bpb"), (int, float)) else "-"
        nbytes = str(r.get("bytes_total") or "-")
        dur = r.get("duration_s") if isinstance(r.get("duration_s"), (int, float)) else 0.0
        targets = f"{s['val_targets']:,}" if s.get("val_targets") else "-"
        steps = "/".join(map(str, s.get("steps") or [])) or "-"
        plateau = f"{s['plateau_max_pct']:.2f}%" if s.get("plateau_max_pct") is not None else "-"
        lines.append(f"{r['run_id']:44} {r['status']:7} {s.get('protocol') or '-':11} {steps:>9} {plateau:>8} "
                     f"{targets:>9} {bpb:>8} {nbytes:>12} {dur:>8.1f}s  {Path(r.get('notebook') or '-').name}")
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
        validate_parameters(nb, {**(base or {}), **overrides, "seeds": seeds}, str(notebook), kwargs.get("raw"))
    sweep_id = sweep_id or new_run_id(Path(notebook), base or {}) + "_sweep"
    records = []
    for i, overrides in enumerate(grid):
        for seed in seeds:
            params = {**(base or {}), **overrides, "seeds": [seed]}
            records.append(run_notebook(notebook, params, f"{sweep_id}_{i}_s{seed}", runs_root, **kwargs))
    return records

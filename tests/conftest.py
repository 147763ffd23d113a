"""Shared fixtures: where the real challenge data is, and a trained smoke run.

Tests that need real data read its folder from the GOLFKIT_TEST_DATA environment
variable (set by .ci/run), falling back to ../shared/data beside the checkout.
golfkit itself never looks there: it takes the folder as an option.

Parallel runs (`pytest -n auto`, pytest-xdist, what the README and CI use): `-n auto` starts one
worker per usable core, at most MAX_AUTO_WORKERS and one per AUTO_WORKER_GIB of memory, and each
worker (and every process it starts) gets its share of the cores as its thread count, so that
workers do not oversubscribe the machine (two 2-thread torch jobs on 2 cores run ~10x slower
than one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

MAX_AUTO_WORKERS = 4  # beyond this the shared session fixtures and slow single tests dominate
AUTO_WORKER_GIB = 4  # peak memory of the heaviest test files (records' models, notebooks), with margin


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one worker per core, capped by MAX_AUTO_WORKERS and by memory."""
    n = min(_usable_cores(), MAX_AUTO_WORKERS)
    mem = _memory_gib()
    if mem is not None:
        n = min(n, max(1, int(mem // AUTO_WORKER_GIB)))
    return max(1, n)


def _share_cores_between_workers() -> None:
    """Under xdist, give this worker (and its subprocesses, through the environment) its share of the
    cores as threads, unless the caller set OMP_NUM_THREADS."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers <= 1 or "OMP_NUM_THREADS" in os.environ:
        return
    threads = str(max(1, _usable_cores() // workers))
    os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = threads
    if "torch" in sys.modules:  # imported before this file: the environment is read at import
        sys.modules["torch"].set_num_threads(int(threads))


_share_cores_between_workers()


def _data_dir() -> Path:
    return Path(os.environ.get("GOLFKIT_TEST_DATA", REPO.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    d = _data_dir()
    if not (d / "datasets" / "fineweb10B_sp1024").is_dir():
        pytest.skip(f"challenge data not found at {d} (set GOLFKIT_TEST_DATA)")
    return d


@pytest.fixture(scope="session")
def tokenizer_path(data_dir) -> Path:
    return data_dir / "tokenizers" / "fineweb_1024_bpe.model"


def smoke_config(data_dir, **overrides):
    """The smoke preset pointed at the test data, with optional dotted-key overrides."""
    from golfkit.presets import get_preset

    return get_preset("smoke").override({"data.dir": str(data_dir), **overrides})


def golfkit_cli(*args: str, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    """Run `python -m golfkit ARGS` in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "golfkit", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=kw.pop("cwd", REPO), **kw)


@pytest.fixture(scope="session")
def smoke_run(data_dir, tmp_path_factory):
    """One smoke run through the CLI (artifact + checkpoint + metrics), shared by every test that needs a model."""
    run_dir = tmp_path_factory.mktemp("smoke_run")
    r = golfkit_cli("train", "--preset", "smoke", "--data", str(data_dir), "--run-dir", str(run_dir),
                    "--set", "schedule.save_checkpoint=true", "--set", "schedule.train_log_every=1")
    assert r.returncode == 0, r.stderr[-3000:]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    return run_dir, metrics


def make_notebook(path: Path, *cells: str, params: str = 'run_dir = ""\ndata_dir = ""\nsteps = 3') -> Path:
    """A tiny notebook for the runner's tests: a cell tagged `parameters`, then code cells."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    pc = nbformat.v4.new_code_cell(params)
    pc.metadata["tags"] = ["parameters"]
    nb.cells = [pc] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path

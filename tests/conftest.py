"""Shared fixtures: where the real challenge data is, and a trained smoke run.

Tests that need real data read its folder from the GOLFKIT_TEST_DATA environment
variable (set by .ci/run), falling back to ../shared/data beside the checkout.
golfkit itself never looks there: it takes the folder as an option.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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

"""The workbook's notebooks: committed clean, twins in sync, and each one executes in smoke mode.

Every notebook runs through the same runner as `golfkit run` (papermill, kernel python3)
with smoke=True on the test data: status ok, a finite val_bpb in metrics.json, its figures
as PNG files and embedded in executed.html, each once and with alt text.
"""

from __future__ import annotations

import ast
import html
import json
import math
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from golfkit.lab import findings, notebook_runs

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REQUIRED = {"smoke", "nproc", "preset", "protocol", "seeds", "data_dir", "run_dir", "overrides", "val_tokens"}
RULE_CONSTANTS = {"0.005", "0.01"}  # the challenge's bar, which the notebooks state in words


def ids(paths):
    return [p.stem for p in paths]


def test_the_numbered_notebooks_exist():
    names = [p.stem[:2] for p in NOTEBOOKS]
    assert {"00", "01", "05"} <= set(names), names
    assert len(set(names)) == len(names), "two notebooks share a number"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} cell {i} has outputs"
    assert "papermill" not in nb.metadata and "widgets" not in nb.metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_py_percent_twin_in_sync(path):
    twin = path.with_suffix(".py")
    assert twin.is_file(), f"{twin.name} missing: jupytext --to py:percent {path.name}"
    a, b = jupytext.read(path), jupytext.read(twin)

    def cells(nb):
        return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]

    assert cells(a) == cells(b), f"{path.name} and {twin.name} differ: run `jupytext --sync {path}`"


def test_every_twin_has_a_notebook():
    for py in (REPO / "notebooks").glob("[0-9][0-9]_*.py"):
        assert py.with_suffix(".ipynb").is_file(), f"{py.name} has no .ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_parameters_and_story(path):
    nb = notebook_runs.load_notebook(path)
    params = notebook_runs.notebook_parameters(nb)
    assert REQUIRED <= set(params), f"{path.name} lacks {REQUIRED - set(params)}"
    assert all(p["type"] != "None" and p["help"] for p in params.values()), "every parameter needs # type: and help"
    # papermill silently drops a line it cannot parse (e.g. '=' in the help text): then `-p NAME` is refused
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = [t.id for node in ast.parse(cell.source).body for t in getattr(node, "targets", [])]
    assert list(params) == assigned, f"papermill sees {list(params)}, the cell assigns {assigned}"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for part in ("**Question.**", "**Method.**", "## Result"):
        assert part in text, f"{path.name} does not state its {part}"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code, "library code belongs in golfkit, not in a notebook"
    assert "MPLBACKEND" not in code and "matplotlib.use" not in code
    assert "findings.show(" in nb.cells[-1].source, "the last cell shows the findings computed by the run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_result_numbers_in_the_source(path):
    """A notebook's text states no results: those come from the run (its findings section)."""
    nb = notebook_runs.load_notebook(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Recorded run" not in text
    decimals = set(re.findall(r"(?<![\w.])\d+\.\d+", text)) - RULE_CONSTANTS
    assert not decimals, f"{path.name} states numbers in its text: {sorted(decimals)}"
    params = notebook_runs.notebook_parameters(nb)
    assert params["data_dir"]["default"] == "data" and params["protocol"]["default"] == "cpu-trained"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_executes_in_smoke_mode(path, data_dir, tmp_path):
    rec = notebook_runs.run_notebook(path, {"smoke": True, "data_dir": str(data_dir)}, run_id="smoke",
                            runs_root=tmp_path / "runs", timeout=600)
    d = tmp_path / "runs" / "smoke"
    assert rec["status"] == "ok", rec.get("error")
    metrics = json.loads((d / "metrics.json").read_text())
    assert isinstance(metrics["val_bpb"], float) and math.isfinite(metrics["val_bpb"])
    assert rec["val_bpb"] == metrics["val_bpb"] and rec["bytes_total"] == metrics["bytes_total"]
    figures = sorted((d / "figures").glob("*.png"))
    assert figures and all(f.stat().st_size > 2000 for f in figures)
    page = (d / "executed.html").read_text()
    assert page.count("data:image/png;base64") >= len(figures)  # the inline figures, embedded
    # each figure is shown once, with alt text made from its titles and labels (Plan.figure, the page template)
    imgs = re.findall(r"<img [^>]*>", page)
    assert len(imgs) == len(figures), "a figure shown twice (or not at all) on the page"
    alts = [m.group(1) for i in imgs if (m := re.search(r'alt="([^"]*)"', i))]
    assert len(alts) == len(imgs) and all(html.unescape(a).startswith("Figure ") for a in alts), alts
    assert "PosixPath(" not in html.unescape(page), "a cell's Out[] shows a path"
    for name in ("params.yaml", "env.json", "executed.ipynb"):
        assert (d / name).is_file()
    assert list((d / "train").glob("*/train.log")), "no training log"
    assert notebook_runs.read_index(tmp_path / "runs")[-1]["status"] == "ok"
    # the findings: generated by this run, every number one its metrics hold, shown on the page
    lines = metrics["findings"]
    assert lines and lines[0].startswith("SMOKE run") and "Scale (smoke protocol)" in lines[0]
    assert findings.unmatched_numbers(lines, metrics) == [], "a finding states a number the run did not compute"
    text = html.unescape(page)
    assert "Findings (computed from this run" in text
    assert all(line[:60] in text for line in lines)
    assert "train_loss:" not in text, "training logs belong in train/*/train.log, not on the page"
    assert (tmp_path / "runs" / ".cache").is_dir(), "trainings are kept in the cache beside the run folders"

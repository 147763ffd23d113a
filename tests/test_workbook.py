"""golfkit.lab.workbook: paths from the repository root, the training cache, resuming a killed run, tables, curves."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from conftest import make_notebook
from golfkit.errors import GolfkitError
from golfkit.lab import notebook_runs, pages, workbook


def fake_checkout(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for d in ("golfkit", "notebooks"):
        (root / d).mkdir(parents=True)
    (root / "pyproject.toml").write_text("")
    return root


def test_relative_paths_resolve_from_the_repository_root(tmp_path, monkeypatch):
    root = fake_checkout(tmp_path)
    monkeypatch.chdir(root / "notebooks")  # where JupyterLab starts a notebook's kernel
    assert workbook.resolve_path("data") == root / "data"
    assert workbook.resolve_path("runs/scratch/x") == root / "runs" / "scratch" / "x"
    (root / "notebooks" / "runs" / "r1").mkdir(parents=True)  # a run folder a runner made from this directory
    assert workbook.resolve_path("runs/r1") == root / "notebooks" / "runs" / "r1"
    assert workbook.resolve_path(tmp_path / "abs") == tmp_path / "abs"
    monkeypatch.chdir(tmp_path)  # outside a checkout: the working directory
    assert workbook.resolve_path("data") == tmp_path / "data"


def test_a_kernel_in_notebooks_writes_only_under_runs(tmp_path, monkeypatch, data_dir):
    root = fake_checkout(tmp_path)
    (root / "data").symlink_to(data_dir)
    monkeypatch.chdir(root / "notebooks")
    with pytest.raises(GolfkitError, match="data_dir.*golfkit data fetch --dir data"):
        workbook.plan(True, "smoke", [1], "nodata", "runs/scratch/t")
    p = workbook.plan(True, "smoke", [1], "data", "runs/scratch/t")
    assert p.run_dir == root / "runs" / "scratch" / "t" and p.cache_dir == root / "runs" / "scratch" / ".cache"
    assert list((root / "notebooks").iterdir()) == []  # no stray notebooks/runs/
    with pytest.raises(GolfkitError, match="protocol cpu-trained is defined on preset cpu-small"):
        workbook.plan(False, "baseline", [1], "data", "runs/scratch/t", protocol="cpu-trained")


def test_protocol_applies_under_the_notebook_overrides(tmp_path, data_dir):
    p = workbook.plan(False, "cpu-small", [1], data_dir, tmp_path / "runs" / "a", protocol="cpu-trained",
                      overrides={"schedule.iterations": 7})
    proto = workbook.PROTOCOLS["cpu-trained"]
    assert p.base["model.model_dim"] == proto.overrides["model.model_dim"] and p.base["schedule.iterations"] == 7
    assert p.val_tokens == proto.val_tokens and p.protocol == "cpu-trained"
    cfg = p.config_for({"model.mlp_mult": 3}, 42)
    assert cfg.seed == 42 and cfg.model.mlp_mult == 3 and cfg.schedule.save_checkpoint
    # the key is the config, not the names or paths: another run folder gets the same key
    q = workbook.plan(False, "cpu-small", [1], data_dir, tmp_path / "runs" / "b", protocol="cpu-trained",
                      overrides={"schedule.iterations": 7})
    assert p.training_key({}, 1) == q.training_key({}, 1) != q.training_key({}, 2)
    assert p.training_key({}, 1) != p.training_key({"model.mlp_mult": 3}, 1)


def test_side_by_side_trainings_are_refused_where_they_could_change_results(tmp_path, data_dir):
    run = tmp_path / "runs" / "a"
    for jobs in (0, 65, True, 1.5, "2"):
        with pytest.raises(GolfkitError, match="jobs must be an integer from 1 to 64"):
            workbook.plan(True, "smoke", [1], data_dir, run, jobs=jobs)
    with pytest.raises(GolfkitError, match="nproc 2: a torchrun training already takes the machine"):
        workbook.plan(False, "cpu-small", [1], data_dir, run, nproc=2, jobs=2, protocol="cpu-trained")
    with pytest.raises(GolfkitError, match="under a 30 s wall-clock cap"):
        workbook.plan(False, "cpu-small", [1], data_dir, run, wallclock_seconds=30.0, jobs=2, protocol="cpu-trained")
    with pytest.raises(GolfkitError, match="wall-clock cap"):  # cpu-small alone is capped by time
        workbook.plan(False, "cpu-small", [1], data_dir, run, jobs=2)
    assert workbook.plan(False, "cpu-small", [1], data_dir, run, jobs=2, protocol="cpu-trained").jobs == 2


@pytest.mark.slow
def test_side_by_side_trainings_equal_one_at_a_time(tmp_path, data_dir, capsys):
    """jobs=2 fills the cache two trainings at a time; the results are those of a one-at-a-time run."""
    variants = {"a": {}, "b": {"model.mlp_mult": 3}, "c": {"model.logit_softcap": 15.0}}
    par = workbook.plan(True, "smoke", [1], data_dir, tmp_path / "par" / "r", jobs=2)
    res = par.train_variants(variants)
    out = capsys.readouterr().out
    assert "3 trainings to run, 2 at a time" in out and out.count("side by side): training") == 3
    assert [r["name"] for r in res] == list(variants) and not any(r["reused"] for r in res)
    seconds = [json.loads((Path(r["dir"]) / workbook.TRAINING_RECORD).read_text())["seconds"] for r in res]
    assert par.train_seconds == pytest.approx(sum(seconds))
    one = workbook.plan(True, "smoke", [1], data_dir, tmp_path / "one" / "r")
    ref = one.train_variants(variants)
    for a, b in zip(res, ref):
        assert a["key"] == b["key"] and a["val_loss"] == b["val_loss"] and a["val_bpb"] == b["val_bpb"]
        assert a["pre_quant_val_loss"] == b["pre_quant_val_loss"]
    again = workbook.plan(True, "smoke", [1], data_dir, tmp_path / "par" / "r2", jobs=2).train_variants(variants)
    assert all(r["reused"] for r in again)  # a later run of the same cache trains nothing


@pytest.mark.slow
def test_a_killed_run_resumes_with_its_finished_trainings(tmp_path, data_dir):
    """Kill the kernel after the first training; the rerun with the same id trains only what is missing."""
    marker = tmp_path / "killed-once"
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        "from golfkit.lab import workbook\np = workbook.plan(True, 'smoke', [1], data_dir, run_dir)\n"
        "first = p.train('a', {})",
        f"import os, pathlib, signal\nm = pathlib.Path({str(marker)!r})\n"
        "if not m.exists():\n    m.touch()\n    os.kill(os.getpid(), signal.SIGKILL)",
        "res = p.train_variants({'a': {}, 'b': {'model.mlp_mult': 3}})\n"
        "print('REUSED', [r['reused'] for r in res], first['reused'])",
        params='run_dir = ""\ndata_dir = ""')
    runs = tmp_path / "runs"
    params = {"data_dir": str(data_dir)}
    rec = notebook_runs.run_notebook(nb, params, run_id="r", runs_root=runs, timeout=600)
    assert rec["status"] == "killed", rec
    a = runs / "r" / "train" / "a_s1" / workbook.TRAINING_RECORD
    finished = json.loads(a.read_text())["finished"]
    assert not (runs / "r" / "train" / "b_s1").exists()
    rec = notebook_runs.run_notebook(nb, params, run_id="r", runs_root=runs, timeout=600)
    assert rec["status"] == "ok", rec.get("error")
    out = nbformat.read(runs / "r" / "executed.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert "REUSED [True, False] True" in text  # a: from the killed run; b: trained now
    assert "training 1/2 (a, seed 1): reused" in text and "training 2/2 (b, seed 1): trained" in text
    assert json.loads(a.read_text())["finished"] == finished
    # another run id with the same configs trains nothing: the cache beside the run folders serves it
    rec = notebook_runs.run_notebook(nb, params, run_id="r2", runs_root=runs, timeout=600)
    out = nbformat.read(runs / "r2" / "executed.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert rec["status"] == "ok" and "REUSED [True, True] True" in text
    assert json.loads((runs / "r2" / "train" / "b_s1" / workbook.TRAINING_RECORD).read_text())["run_dir"].endswith("r")


def test_tables_escape_pipes_and_curves_report_flattening(tmp_path):
    text = pages.markdown_table([{"check": "a | b", "n": 12345, "x": [1.0, 2.0]}])
    assert "a \\| b" in text and "12,345" in text and "1.0000, 2.0000" in text
    d = tmp_path / "t"
    d.mkdir()
    rows = [{"step": s, "kind": "train", "train_loss": 4.0 - s / 1000} for s in range(10, 1001, 10)]
    rows += [{"step": s, "kind": "val", "val_loss": v} for s, v in ((0, 7.0), (400, 4.0), (560, 3.98), (700, 3.97),
                                                                     (800, 3.9), (1000, 3.8))]
    (d / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (d / "config.json").write_text(json.dumps({"schedule": {"warmdown_kind": "fraction", "warmdown_frac": 0.3,
                                                            "max_wallclock_seconds": 0.0}}))
    c = pages.curve_summary(d, {"steps": 1000, "pre_quant_val_loss": 3.8})
    assert c["val_last20_pct"] == pytest.approx(100 * (3.9 - 3.8) / 3.9)
    assert c["warmdown_start"] == 700 and c["val_plateau_pct"] == pytest.approx(100 * (3.98 - 3.97) / 3.98)
    assert c["train_loss_end"] == pytest.approx(sum(4.0 - s / 1000 for s in range(910, 1001, 10)) / 10)
    assert c["train_val_gap"] == pytest.approx(3.8 - c["train_loss_end"]) and c["val_best_step"] == 1000


def test_figures_are_saved_and_described_for_the_page(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2)
    for i in range(15):
        a.plot([0, 1], [i, i + 1], label=f"seed {i}")
    a.legend()
    a.set_title("loss | per seed")
    a.set_xlabel("step")
    a.set_ylabel("nats")
    b.bar(["x"], [1.0])
    fig.suptitle("every training")
    alt = pages.figure_alt(fig, "loss_curves")
    assert alt == ("Figure loss_curves: every training. loss | per seed (x step, y nats); legend: seed 0, seed 1, "
                   "seed 2, seed 3, seed 4, seed 5, seed 6, seed 7, seed 8, seed 9, seed 10, seed 11 and 3 more. "
                   "panel 2.")
    fig2, _ = plt.subplots()  # an empty panel is not described
    assert pages.figure_alt(fig2) == "Figure."
    p = workbook.Plan(smoke=True, preset="smoke", seeds=[1337], data_dir=tmp_path, run_dir=tmp_path)
    assert p.figure(fig, "loss_curves") is None  # no Out[] line when it ends a cell
    path = tmp_path / "figures" / "loss_curves.png"  # outside a notebook: saved, not shown, left open
    assert path.stat().st_size > 2000
    assert plt.fignum_exists(fig.number)
    plt.close("all")

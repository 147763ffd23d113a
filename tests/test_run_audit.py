"""`golfkit audit RUN_DIR ...` (golfkit/lab/run_audit.py) on the smoke run and on deliberately broken runs
built from it in tmp folders: each broken run fails the check it breaks, and no other."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import golfkit_cli
from golfkit.lab import run_audit

CHECKS = ["run record", "C1 strict causal dependence", "C2 full normalised distribution", "C3 score before update",
          "C4 one pass, each target once", "bytes <= 16,000,000", "training <= 600 s", "evaluation <= 600 s",
          "data guard during training", "train/val overlap (recomputed)", "validation split canonical", "one config",
          "seeds >= 3", "beats previous by 0.005 nats, p<0.01"]
ALWAYS = {"seeds >= 3", "beats previous by 0.005 nats, p<0.01", "validation split canonical"}  # 1 seed, mini data


def statuses(folders, **kw) -> dict:
    return {c.name: c for c in run_audit.audit_runs([str(f) for f in folders], **kw)}


def copy_run(src: Path, dest: Path, seed: int | None = None, loss_shift: float = 0.0) -> Path:
    shutil.copytree(src, dest)
    if seed is not None:
        edit_json(dest / "config.json", lambda c: c.update(seed=seed))
    if loss_shift:
        edit_json(dest / "metrics.json", lambda m: m.update(val_loss=m["val_loss"] + loss_shift))
    return dest


def edit_json(path: Path, fn) -> None:
    d = json.loads(path.read_text())
    fn(d)
    path.write_text(json.dumps(d))


def test_smoke_run_prints_every_check(smoke_run):
    run_dir, _ = smoke_run
    r = golfkit_cli("audit", str(run_dir))
    assert r.returncode == 1, r.stderr  # one seed: the seed count fails
    rows = {ln.split("  ")[0].strip(): ln for ln in r.stdout.splitlines()[2:-1]}
    assert list(rows) == CHECKS, r.stdout
    for name in CHECKS[:10]:
        assert " pass " in rows[name], rows[name]
    assert " unknown " in rows["validation split canonical"] and "head of the canonical split" in r.stdout
    assert " fail " in rows["seeds >= 3"]
    assert "flat C1 boundary" in rows["C1 strict causal dependence"] or "C1 content" in rows["C1 strict causal dependence"]
    assert "data_guard" not in rows["data guard during training"] and "index_" in rows["data guard during training"]
    log = (run_dir / "train.log").read_text()
    assert "data_guard:on checked 1 training shard(s)" in log and "train_budget: loop:" in log
    assert "score_book: method:flat" in log


def test_three_seeds_and_the_significance_bar(smoke_run, tmp_path):
    run_dir, _ = smoke_run
    new = [copy_run(run_dir, tmp_path / f"new{s}", seed=s, loss_shift=d) for s, d in ((1, 0.0), (2, 0.001), (3, -0.001))]
    base = [copy_run(run_dir, tmp_path / f"base{s}", seed=s, loss_shift=d) for s, d in
            ((1, 0.020), (2, 0.021), (3, 0.019))]
    got = statuses(new, baseline=base, probe=False)
    assert got["seeds >= 3"].status == "pass" and got["one config"].status == "pass"
    sig = got["beats previous by 0.005 nats, p<0.01"]
    assert sig.status == "pass" and "Welch" in sig.evidence and "baseline runs base1" in sig.evidence, sig
    close = [copy_run(run_dir, tmp_path / f"close{s}", seed=s, loss_shift=d) for s, d in
             ((1, 0.004), (2, 0.006), (3, 0.005))]
    assert statuses(new, baseline=close, probe=False)["beats previous by 0.005 nats, p<0.01"].status == "fail"
    m = json.loads((run_dir / "metrics.json").read_text())
    named = statuses(new, previous=str(m["val_loss"] + 0.05), probe=False)["beats previous by 0.005 nats, p<0.01"]
    assert named.status == "pass" and "one-sample" in named.evidence
    other = copy_run(run_dir, tmp_path / "other", seed=4)
    edit_json(other / "config.json", lambda c: c["optim"].update(matrix_lr=0.05))
    mixed = statuses([*new, other], probe=False)
    assert mixed["one config"].status == "fail" and "optim.matrix_lr" in mixed["one config"].evidence
    assert mixed["seeds >= 3"].status == "fail"
    diverged = copy_run(run_dir, tmp_path / "diverged", seed=4)  # golfkit writes a NaN score as null
    edit_json(diverged / "metrics.json", lambda m: m.update(val_loss=None, val_bpb=None))
    four = statuses([*new, diverged], probe=False)["seeds >= 3"]
    assert four.status == "pass" and "3 distinct scored seed(s): 1, 2, 3, 4" in four.evidence, four
    assert "no score in diverged (seed 4): metrics.json val_loss is null" in four.evidence, four


def _val_in_training(d: Path, data_dir: Path) -> None:
    """The run's data folder: its train shard is the validation split plus one token (trained with data.guard=off)."""
    from golfkit.data import read_shard, write_shard

    root = d.parent / (d.name + "_data")
    ds = root / "datasets" / "fineweb10B_sp1024"
    ds.mkdir(parents=True)
    val = read_shard(data_dir / "datasets" / "fineweb10B_sp1024" / "fineweb_val_000000.bin")
    write_shard(ds / "fineweb_train_000000.bin", np.append(val, 5))
    write_shard(ds / "fineweb_val_000000.bin", val)
    (root / "tokenizers").symlink_to(data_dir / "tokenizers")
    edit_json(d / "config.json", lambda c: c["data"].update(dir=str(root), guard="off"))
    edit_json(d / "metrics.json", lambda m: m.update(data_guard={"guard": "off", "what": "training", "shards": 1,
                                                                 "reason": "(data.guard=off)"}))


BROKEN = [  # (what, how, the checks it must fail)
    ("val in training", "data", {"data guard during training", "train/val overlap (recomputed)"}),
    ("over the time budget", lambda d: edit_json(d / "metrics.json", lambda m: m["timing"].update(
        train_total_ms=612_345.0)), {"training <= 600 s"}),
    ("eval over budget", lambda d: edit_json(d / "metrics.json", lambda m: m.update(eval_seconds=700.0)),
     {"evaluation <= 600 s"}),
    ("the eval method over budget", lambda d: edit_json(d / "metrics.json", lambda m: m.update(
        eval_method="sliding", method_eval_seconds=700.0, method_score_book={
            "method": "sliding", "scored_targets": m["score_book"]["split_targets"],
            "split_targets": m["score_book"]["split_targets"], "legality_note": "", "eval_seconds": 700.0})),
     {"evaluation <= 600 s"}),  # the scored evaluation is the method's, not the flat roundtrip's
    ("over the byte budget", lambda d: edit_json(d / "metrics.json", lambda m: m.update(bytes_code=15_999_000)),
     {"bytes <= 16,000,000"}),
    ("edited artifact", lambda d: (d / "final_model.int8.golf").open("ab").write(b"x"),
     {"run record", "bytes <= 16,000,000"}),
    ("a target scored twice", lambda d: edit_json(d / "metrics.json", lambda m: m["score_book"].update(
        scored_targets=m["score_book"]["split_targets"] + 1)), {"C4 one pass, each target once"}),
]


@pytest.mark.parametrize("what, how, fails", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_run_fails_the_right_checks(smoke_run, data_dir, tmp_path, what, how, fails):
    run_dir, _ = smoke_run
    d = copy_run(run_dir, tmp_path / "run")
    _val_in_training(d, data_dir) if how == "data" else how(d)
    got = statuses([d], probe=what == "a target scored twice")
    failed = {k for k, c in got.items() if c.status == "fail"} - ALWAYS
    assert failed == fails, {k: got[k].evidence for k in failed ^ fails}
    if what == "val in training":
        ev = got["train/val overlap (recomputed)"].evidence
        assert "100.0000%" in ev or "99." in ev, ev
        assert "OFF during training" in got["data guard during training"].evidence


def test_a_non_causal_eval_config_fails_c1(smoke_run, tmp_path):
    """A run configured for phased TTT over the records' longest-first queue with warm adapters: the probe on
    its own artifact and the queue rule both fail C1."""
    run_dir, _ = smoke_run
    d = copy_run(run_dir, tmp_path / "run")
    edit_json(d / "config.json", lambda c: c["eval"].update(method="ttt-phased") or c["eval"]["lora"].update(
        doc_order="longest_first", a_init="warm"))
    got = statuses([d])
    c1 = got["C1 strict causal dependence"]
    # the queue rule (not C1-legal) and the probe (a perturbation at/after t moved a score before t) both fail
    assert c1.status == "fail" and "not C1-legal" in c1.evidence and "ttt-phased C1" in c1.evidence, c1
    assert {k for k, c in got.items() if c.status == "fail"} - ALWAYS == {"C1 strict causal dependence"}


@pytest.mark.slow
def test_a_real_run_on_validation_data_with_the_guard_off(data_dir, tmp_path):
    """Trained for real: data.guard=off lets the run read the validation split as training data, the log says
    the guard was off, and the audit recomputes the overlap from the run's own data folder."""
    d = tmp_path / "run"
    d.mkdir()
    _val_in_training_folder = tmp_path / "run_data"
    from golfkit.data import read_shard, write_shard

    ds = _val_in_training_folder / "datasets" / "fineweb10B_sp1024"
    ds.mkdir(parents=True)
    val = read_shard(data_dir / "datasets" / "fineweb10B_sp1024" / "fineweb_val_000000.bin")
    write_shard(ds / "fineweb_train_000000.bin", val)
    write_shard(ds / "fineweb_val_000000.bin", val)
    (_val_in_training_folder / "tokenizers").symlink_to(data_dir / "tokenizers")
    r = golfkit_cli("train", "--preset", "smoke", "--data", str(_val_in_training_folder), "--run-dir", str(d),
                    "--set", "data.guard=off", "--set", "schedule.iterations=4")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "data_guard:off" in (d / "train.log").read_text()
    r = golfkit_cli("audit", "--no-probe", str(d))
    assert r.returncode == 1
    rows = {ln.split("  ")[0].strip(): ln for ln in r.stdout.splitlines()[2:-1]}
    assert " fail " in rows["data guard during training"] and " fail " in rows["train/val overlap (recomputed)"]


def test_folders_must_all_be_runs_or_one_submission(smoke_run, tmp_path):
    run_dir, _ = smoke_run
    r = golfkit_cli("audit", str(run_dir), str(tmp_path))
    assert r.returncode == 2 and "must all be golfkit run folders" in r.stderr and r.stderr.count("\n") == 1
    r = golfkit_cli("audit", "--no-probe", str(tmp_path))
    assert r.returncode == 2 and "run folders" in r.stderr

"""End to end: the smoke run through the CLI, reproducibility, DDP equivalence, eval, user errors."""

import json
import math
import os
import subprocess
import sys

import pytest

from conftest import REPO, golfkit_cli, smoke_config

REQUIRED_METRICS = {
    "val_loss", "val_bpb", "pre_quant_val_loss", "pre_quant_val_bpb", "val_tokens", "val_bytes", "bytes_model",
    "bytes_code", "bytes_total", "over_budget", "steps", "train_time_ms", "step_avg_ms", "tokens_per_s",
    "peak_memory_mib", "seed", "preset",
}


def test_pre_quant_scoring_can_be_skipped(data_dir, tmp_path):
    """eval.pre_quant=false (sweeps, ablations): no last-step val line, the roundtrip is still scored."""
    from golfkit.train import train

    m = train(smoke_config(data_dir, **{"eval.pre_quant": False, "schedule.iterations": 4}), tmp_path, echo=False)
    assert m["pre_quant_val_bpb"] is None and m["quant_gap_bpb"] is None and math.isfinite(m["val_bpb"])
    assert m["steps"] == 4 and m["train_time_ms"] > 0
    log = (tmp_path / "train.log").read_text()
    assert "val_loss:" not in log.split("final_int8")[0] and "final_int8_zlib_roundtrip_exact" in log


def test_smoke_run_writes_every_file(smoke_run):
    run_dir, m = smoke_run
    for name in ("train.log", "metrics.jsonl", "config.json", "env.json", "metrics.json", "final_model.int8.golf"):
        assert (run_dir / name).is_file(), name
    assert not list(run_dir.glob("*.tmp")) and not list(run_dir.glob(".*.golfkit-tmp"))
    # the run's record: its id in the marker, env.json, train.log and metrics.json; the sha256 of config.json
    run_id = m["run_id"]
    assert json.loads((run_dir / ".golfkit-run.json").read_text())["run_id"] == run_id
    assert json.loads((run_dir / "env.json").read_text())["run_id"] == run_id
    assert f"run_id:{run_id}\n" in (run_dir / "train.log").read_text()
    import hashlib

    assert m["config_sha256"] == hashlib.sha256((run_dir / "config.json").read_bytes()).hexdigest()
    assert REQUIRED_METRICS <= m.keys()
    assert m["preset"] == "smoke" and m["seed"] == 1337 and m["steps"] == 20 and m["peak_memory_mib"] is None
    assert m["val_tokens"] == 262_144 and m["val_bytes"] == 638_652  # the whole split, every target once
    assert m["bytes_total"] == m["bytes_model"] + m["bytes_code"] and m["over_budget"] is False
    assert m["bytes_model"] == (run_dir / "final_model.int8.golf").stat().st_size
    assert math.isfinite(m["val_bpb"]) and m["val_bpb"] < m["pre_quant_val_bpb"] + 0.05
    assert m["val_loss"] < math.log(1024) - 1.0  # it learned something in 20 steps
    env = json.loads((run_dir / "env.json").read_text())
    assert {"git_commit", "git_dirty", "python", "torch", "cuda", "device", "world_size"} <= env.keys()
    log = (run_dir / "train.log").read_text()
    assert "step:20/20 train_loss:" in log and "step:20/20 val_loss:" in log
    assert f"final_int8_zlib_roundtrip_exact val_loss:{m['val_loss']:.8f} val_bpb:{m['val_bpb']:.8f}" in log
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows if r["kind"] == "train"] == list(range(1, 21))


def test_config_json_reproduces_the_run_config(smoke_run, data_dir):
    from golfkit.config import RunConfig

    run_dir, _ = smoke_run
    cfg = RunConfig.from_json((run_dir / "config.json").read_text())
    assert cfg == smoke_config(data_dir, **{"schedule.save_checkpoint": True, "schedule.train_log_every": 1})


def test_eval_of_the_artifact_reproduces_the_final_score(smoke_run):
    run_dir, m = smoke_run
    r = golfkit_cli("eval", "--artifact", str(run_dir / "final_model.int8.golf"), "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["val_bpb"] == m["val_bpb"] and res["val_loss"] == m["val_loss"]
    assert res["val_tokens"] == m["val_tokens"]


def test_same_seed_gives_identical_val_loss(data_dir, tmp_path):
    from golfkit.train import train

    cfg = smoke_config(data_dir, **{"schedule.iterations": 4})
    a = train(cfg, tmp_path / "a", echo=False)
    b = train(cfg, tmp_path / "b", echo=False)
    assert a["pre_quant_val_loss"] == b["pre_quant_val_loss"] and a["val_loss"] == b["val_loss"]
    c = train(cfg.override({"seed": 7}), tmp_path / "c", echo=False)
    assert c["pre_quant_val_loss"] != a["pre_quant_val_loss"]


def _train_losses(run_dir):
    rows = [json.loads(x) for x in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return [r["train_loss"] for r in rows if r["kind"] == "train"], [r["val_loss"] for r in rows if r["kind"] == "val"]


def test_torchrun_two_ranks_matches_one_process(data_dir, tmp_path):
    """gloo on CPU: the same global batch split over 2 ranks gives the same losses as 1 process."""
    args = ["train", "--preset", "smoke", "--data", str(data_dir), "--set", "schedule.iterations=6",
            "--set", "schedule.train_log_every=1"]
    # torchrun gives each rank one thread; give the single process one too, so both run the same
    # CPU kernels (a different thread count changes summation order, which Muon's bf16 step amplifies).
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    one = golfkit_cli(*args, "--run-dir", str(tmp_path / "one"), env=env)
    assert one.returncode == 0, one.stderr[-2000:]
    two = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                          "-m", "golfkit", *args, "--run-dir", str(tmp_path / "two")],
                         capture_output=True, text=True, timeout=600, cwd=REPO, env=env)
    assert two.returncode == 0, two.stderr[-3000:]
    (t1, v1), (t2, v2) = _train_losses(tmp_path / "one"), _train_losses(tmp_path / "two")
    assert len(t1) == len(t2) == 6
    for a, b in zip(t1 + v1, t2 + v2):
        assert abs(a - b) < 1e-4, (t1, t2, v1, v2)
    assert json.loads((tmp_path / "two" / "metrics.json").read_text())["world_size"] == 2


@pytest.mark.parametrize("args,needle", [
    (["train", "--preset", "nope"], "unknown preset 'nope'"),
    (["train", "--preset", "smoke", "--set", "model.nope=1"], "unknown config key 'model.nope'"),
    (["train", "--preset", "smoke", "--set", "model.num_layers=x"], "must be int"),
    (["train", "--preset", "smoke", "--data", "/nonexistent"], "no dataset folder"),
    (["eval", "--artifact", "/nonexistent.golf"], "cannot read artifact"),
])
def test_user_errors_are_one_clear_line(args, needle, tmp_path):
    r = golfkit_cli(*args, "--run-dir", str(tmp_path / "r")) if args[0] == "train" else golfkit_cli(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0 and needle in r.stderr
    assert not (tmp_path / "r").exists()  # nothing half-written


def test_vocab_mismatch_and_corrupt_artifact(data_dir, smoke_run, tmp_path):
    r = golfkit_cli("train", "--preset", "smoke", "--data", str(data_dir), "--set", "data.variant=sp4096",
                    "--run-dir", str(tmp_path / "r"))
    assert r.returncode == 2 and "vocab 4096 but model.vocab_size=1024" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "r").exists()
    blob = bytearray((smoke_run[0] / "final_model.int8.golf").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (tmp_path / "bad.golf").write_bytes(bytes(blob))
    r = golfkit_cli("eval", "--artifact", str(tmp_path / "bad.golf"))
    assert r.returncode == 2 and "checksum mismatch" in r.stderr and "Traceback" not in r.stderr


def test_help_documents_every_command():
    r = golfkit_cli("--help")
    assert r.returncode == 0 and all(c in r.stdout for c in ("train", "eval", "data"))
    r = golfkit_cli("train", "--help")
    assert all(o in r.stdout for o in ("--preset", "--set", "--data", "--run-dir"))
    r = golfkit_cli("data", "build", "--help")
    assert all(o in r.stdout for o in ("--text", "--tokenizer", "--out", "--val-docs"))


def test_packed_document_rows_train(data_dir, tmp_path):
    """data.packing=documents (PR #1787 lineage): each micro-step trains on one packed (1, 2048) row whose documents
    attend in 128-token pieces, through priming and the loop; refused without model.doc_mask, and when no shard
    holds one packed span (before anything is written)."""
    from golfkit.errors import GolfkitError
    from golfkit.train import train

    over = {"schedule.iterations": 3, "schedule.warmup_steps": 1, "schedule.train_log_every": 1, "model.doc_mask": True,
            "data.packing": "documents", "eval.pre_quant": False}
    packed = train(smoke_config(data_dir, **over), tmp_path / "p", echo=False)
    assert packed["steps"] == 3 and math.isfinite(packed["val_bpb"])
    assert "packing:documents" in (tmp_path / "p" / "train.log").read_text()
    losses = _train_losses(tmp_path / "p")[0]
    assert len(losses) == 3 and all(map(math.isfinite, losses))
    with pytest.raises(GolfkitError, match="data.packing"):
        train(smoke_config(data_dir, **{**over, "model.doc_mask": False}), tmp_path / "x", echo=False)
    with pytest.raises(GolfkitError, match="longest training shard"):
        train(smoke_config(data_dir, **{**over, "schedule.train_batch_tokens": 2 ** 22, "schedule.micro_batches": 1}),
              tmp_path / "y", echo=False)
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()

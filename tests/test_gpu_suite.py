"""benchmarks/gpu_suite.py on CPU: prepare, a dry run (tiny models, reference scripts checked not run), the parsers
on the records' own logs, and the FA3 stub against SDPA: so the one prepared GPU measurement does not rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import gpu_suite  # noqa: E402

from records_harness import records_root  # noqa: E402


def test_log_parsers_read_the_records_logs():
    root = records_root()
    if not root.is_dir():
        pytest.skip("record fixtures not found")
    cases = {"baseline/naive_baseline_train.log": 524_288, "pr1290/train_seed42.log": 786_432,
             "pr2135/train_seed42.log": 786_432, "pr1855/train_seed42.log": 786_432}
    for rel, tokens in cases.items():
        parsed = gpu_suite.parse_log((root / rel).read_text().splitlines(), tokens)
        assert len(parsed["steps"]) >= 5 and parsed["peak_mib"], rel
        s = gpu_suite.summarize(parsed, tokens, 1e8, 8 * 989.0)  # 8xH100 logs, ~17-35M params
        assert 10 < s["ms_per_step"] < 2000 and 0 < s["mfu"] < 1, (rel, s)
    # PR #1290's log: step 2 at 153 ms; PR #2135's: tok/s turned back into milliseconds
    p = gpu_suite.parse_log(["step:2/20000 train_loss:8.7605 train_time:153ms step_avg:76.70ms"], 786_432)
    assert p["steps"][2] == (8.7605, 153.0)
    p = gpu_suite.parse_log(["2/20000 train_loss: 12.8267 train_time: 0.0m tok/s: 11457637"], 786_432)
    assert p["steps"][2][1] == pytest.approx(1000 * 2 * 786_432 / 11457637)


def test_fa3_stub_equals_sdpa():
    ns: dict = {}
    exec(gpu_suite.FA3_STUB, ns)
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 16, 4, 8), torch.randn(2, 16, 2, 8), torch.randn(2, 16, 2, 8)
    ref = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=True,
                                         enable_gqa=True).transpose(1, 2)
    assert torch.allclose(ns["flash_attn_func"](q, k, v, causal=True), ref, atol=1e-6)
    flat = ns["flash_attn_varlen_func"](q.reshape(32, 4, 8), k.reshape(32, 2, 8), v.reshape(32, 2, 8),
                                        max_seqlen_q=16, max_seqlen_k=16, causal=True)
    assert torch.allclose(flat.view(2, 16, 4, 8), ref, atol=1e-6)  # rows of max_seqlen tokens


@pytest.mark.slow
def test_dry_run(tmp_path, data_dir):
    root = records_root()
    if not root.is_dir():
        pytest.skip("record fixtures not found")
    prep, out = tmp_path / "suite", tmp_path / "out"
    gpu_suite.prepare(data_dir, root, prep)
    assert (prep / "data" / "datasets" / "fineweb10B_sp1024" / "fineweb_train_000000.bin").is_file()
    assert sum(f.stat().st_size for f in prep.rglob("*") if f.is_file()) < 8 * 2**20  # travels easily
    r = subprocess.run([sys.executable, str(REPO / "benchmarks" / "gpu_suite.py"), "run", "--root", str(prep),
                        "--out", str(out), "--dry-run", "--only", "baseline,record-2135", "--budget-s", "900",
                        "--stages", "preflight,checks,pairs,native,switches", "--native", "record-2135"],
                       cwd=REPO, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads((out / "gpu_suite.json").read_text())
    assert [p["preset"] for p in res["pairs"]] == ["baseline", "record-2135"] and not res["skipped"]
    assert set(res["preflight"]) == {"baseline", "record-2135"} and all(v["ok"] for v in res["preflight"].values())
    for p in res["pairs"]:
        assert p["golfkit"]["status"] == "done" and p["golfkit"]["ms_per_step"] > 0, p
        assert "reference_unread_env" not in p, p  # every knob the suite sets is one the script reads
        assert p["flops_per_token"] > 0
        prof = p["golfkit"]["profile"]  # the last 2 steps, profiled through the sitecustomize hook
        assert prof["steps"] == 2 and prof["ms_per_step"] > 0 and any("aten::" in o["name"] for o in prof["ops"]), prof
        assert p["golfkit"]["window"][1] == 12  # timed steps end before the profiled ones
    assert all(v["equal"] for k, v in res["checks"].items() if k.startswith("ns_"))
    assert res["checks"]["sdpa_math"]["out_max_diff"] == 0.0
    assert [r["arm"] for r in res["switches"]["rows"]] == ["default", "cudnn", "fused_ce", "batched_ns"]
    nat = res["native"][0]  # record-2135 as configured: packed rows with document masking, trained
    assert nat["status"] == "done" and nat["packing"] == "documents" and nat["doc_mask"], nat
    md = (out / "gpu_suite.md").read_text()
    assert "| record-2135 | pr2135 |" in md and (out / "logs.txt").is_file()
    assert "Profile of baseline's last steps" in md


def test_both_sides_of_a_pair_loop_from_the_same_step(tmp_path):
    """record-1290 starts its loop at a step: golfkit's side and the script's RECUR_START_STEP must agree (the
    first GPU run timed golfkit unlooped against a looped script), and document masking is off on both."""
    import argparse

    a = argparse.Namespace(iterations=60, warmup=5, record_batch=196_608, dry_run=False)
    sets = gpu_suite.golfkit_overrides("record-1290", a, tmp_path)
    script = tmp_path / "train_gpt.py"
    script.write_text('os.environ.get("RECUR_START_STEP"); os.environ.get("TRAIN_BATCH_TOKENS")')
    env, _ = gpu_suite.reference_env("record-1290", {"env": {}}, a, script, tmp_path)
    assert sets["model.enable_looping_at_step"] == env["RECUR_START_STEP"] == "26"
    sets = gpu_suite.golfkit_overrides("record-2135", a, tmp_path)
    assert sets["model.doc_mask"] == "false" and sets["data.packing"] == "rows"


def test_a_reference_run_ends_at_its_last_training_step():
    """The records validate (and compile for it) after their last step whatever VAL_LOSS_EVERY says: the suite
    stops a reference at its last training line, in either log dialect, or at its peak-memory line."""
    done = gpu_suite.ref_done(60)
    for line in ("step:60/60 train_loss:5.5735 train_time:61058ms step_avg:1017.63ms",
                 "60/60 train_loss: 5.5735 train_time: 1.0m tok/s: 778645", "peak memory allocated: 7278 MiB"):
        assert done.search(line), line
    for line in ("step:6/60 train_loss:6.1 train_time:1ms", "step:60/60 val_loss:5.27 val_bpb:3.12", "160/600 train_loss: 5"):
        assert not done.search(line), line


def test_profile_site_runs_the_sitecustomize_it_shadows(tmp_path):
    """The profiling sitecustomize goes first on PYTHONPATH; the image's own must still run after it."""
    ours, image = tmp_path / "ours", tmp_path / "image"
    ours.mkdir(), image.mkdir()
    (ours / "sitecustomize.py").write_text(gpu_suite.PROFILE_SITE)
    marker = tmp_path / "image_site_ran"
    (image / "sitecustomize.py").write_text(f"open({str(marker)!r}, 'w').write('yes')\n")
    env = {k: v for k, v in os.environ.items() if k != "GKS_PROFILE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ours), str(image)])
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True, timeout=60)
    assert marker.read_text() == "yes"

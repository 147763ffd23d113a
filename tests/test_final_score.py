"""`golfkit train` reports the score of the config's eval method, as the records print theirs.

After the flat roundtrip (`final_int8_zlib_roundtrip_exact`, unchanged) a non-flat eval.method runs
on the artifact reloaded from disk and is logged in the records' own line names (PR #1290:
`final_int6_sliding_window_exact`, PR #1855 / #2135: `quantized_ttt_phased`, `final_ttt_exact`),
with `total_eval_time` against eval.time_budget_seconds; metrics.json holds both scores. The
exported train_gpt.py, run alone, prints the same method score.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import golfkit_cli, smoke_config

SLIDING = {"eval.method": "sliding", "eval.stride": 64, "eval.tilt.enabled": True, "eval.tilt.order": 4,
           "schedule.iterations": 6}


@pytest.fixture(scope="module")
def sliding_run(data_dir, tmp_path_factory):
    from golfkit.train import train

    run_dir = tmp_path_factory.mktemp("sliding_run")
    m = train(smoke_config(data_dir, **SLIDING), run_dir, echo=False)
    return run_dir, m


def test_train_logs_and_records_the_method_score(sliding_run, data_dir):
    from golfkit import dist
    from golfkit.data import find_dataset, load_tokenizer, load_val_tokens, val_byte_counts
    from golfkit.eval import evaluate
    from golfkit.reload import model_from_artifact

    run_dir, m = sliding_run
    log = (run_dir / "train.log").read_text()
    assert f"final_int8_zlib_roundtrip_exact val_loss:{m['val_loss']:.8f} val_bpb:{m['val_bpb']:.8f}" in log
    line = f"final_int8_sliding_window_exact val_loss:{m['method_val_loss']:.8f} val_bpb:{m['method_val_bpb']:.8f}"
    assert line in log and log.index("final_int8_zlib_roundtrip_exact") < log.index(line)
    assert re.search(r"final_int8_sliding_window val_loss:\S+ val_bpb:\S+ stride:64 eval_time:\d+ms", log)
    assert re.search(r"total_eval_time:\S+s budget:600s over_budget:False", log)
    assert m["eval_method"] == "sliding" and m["method_over_budget"] is False and m["eval_budget_seconds"] == 600.0
    assert m["method_val_bpb"] != m["val_bpb"] and m["method_eval_seconds"] > 0
    # each score has its ledger: the flat roundtrip's and the method's (what `golfkit audit` checks C4 and the
    # evaluation time against)
    flat, book = m["score_book"], m["method_score_book"]
    assert flat["method"] == "flat" and book["method"] == "sliding"
    assert book["scored_targets"] == book["split_targets"] == flat["split_targets"]
    assert book["eval_seconds"] == m["method_eval_seconds"]
    assert f"score_book: method:sliding scored_targets:{book['scored_targets']}" in log
    # the same score from the artifact on disk, scored again
    cfg = smoke_config(data_dir, **SLIDING)
    ctx = dist.init("cpu")
    ds = find_dataset(cfg.data.dir, cfg.data.variant, cfg.data.tokenizer, need_train=False)
    val = load_val_tokens(ds, cfg.model.vocab_size)
    luts = val_byte_counts(ds, load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size, val)
    _, model = model_from_artifact(run_dir / "final_model.int8.golf", cfg)
    res = evaluate(model, val, luts, cfg, ctx)
    assert (res.val_loss, res.val_bpb) == (m["method_val_loss"], m["method_val_bpb"])


def test_flat_runs_report_the_flat_score_once(smoke_run):
    run_dir, m = smoke_run
    log = (run_dir / "train.log").read_text()
    assert m["eval_method"] == "flat" and (m["method_val_bpb"], m["method_val_loss"]) == (m["val_bpb"], m["val_loss"])
    assert "total_eval_time" not in log and "sliding_window" not in log


@pytest.mark.slow
def test_exported_script_prints_the_method_score(sliding_run, data_dir, tmp_path):
    run_dir, m = sliding_run
    out = tmp_path / "sub"
    r = golfkit_cli("export", str(run_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    env = {**os.environ, "RUN_ID": "check",
           "DATA_PATH": str(data_dir / "datasets" / "fineweb10B_sp1024"),
           "TOKENIZER_PATH": str(data_dir / "tokenizers" / "fineweb_1024_bpe.model")}
    p = subprocess.run([sys.executable, "-I", str(out / "train_gpt.py")], cwd=out, env=env, capture_output=True,
                       text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    got = re.search(r"final_int8_sliding_window_exact val_loss:(\S+) val_bpb:(\S+)", p.stdout)
    assert got and float(got.group(2)) == pytest.approx(m["method_val_bpb"], abs=1e-8)
    again = json.loads((out / "logs" / "check" / "metrics.json").read_text())
    assert again["eval_method"] == "sliding" and again["method_val_bpb"] == pytest.approx(m["method_val_bpb"], abs=1e-8)


def test_a_method_that_gives_no_score_leaves_the_run_whole(data_dir, tmp_path):
    """eval.over_budget=stop past the budget: a warning line, null method scores, the flat score and files stand."""
    from golfkit.train import train

    m = train(smoke_config(data_dir, **{**SLIDING, "eval.tilt.enabled": False, "schedule.iterations": 2,
                                        "eval.time_budget_seconds": 1e-6, "eval.over_budget": "stop"}),
              tmp_path, echo=False)
    log = (tmp_path / "train.log").read_text()
    assert "WARNING eval_method:sliding gave no score: eval method sliding exceeded its time budget" in log
    assert m["method_val_bpb"] is None and m["method_over_budget"] is True and m["val_bpb"] > 0
    assert json.loads((tmp_path / "metrics.json").read_text())["method_val_bpb"] is None

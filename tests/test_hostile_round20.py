"""Hostile input, round 20: a diverged training, torchrun's variables set by hand, non-ASCII digits in a
challenge variable, a guard cache that is a file, and a system error whose file name holds a newline.

Each test says what happened before its fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from golfkit import cli, dist, overlap, submission
from golfkit.config import RunConfig
from golfkit.errors import GolfkitError
from golfkit.presets import get_preset
from hostile_helpers import tiny_data

EXPLODING = {f"optim.{k}": 1e6 for k in ("matrix_lr", "scalar_lr", "tied_embed_lr", "embed_lr", "head_lr")}


@pytest.fixture(scope="module")
def tiny(data_dir, tmp_path_factory) -> Path:
    return tiny_data(data_dir, tmp_path_factory.mktemp("tiny_data"))


def test_a_diverged_training_stops_and_exits_non_zero(tiny, tmp_path, capsys):
    """Before: the loop spent every remaining step on NaNs, exported them, and `golfkit train` exited 0."""
    sets = [f"{k}={v}" for k, v in {**EXPLODING, "schedule.iterations": 30, "schedule.train_log_every": 1}.items()]
    run = tmp_path / "run"
    args = ["train", "--preset", "smoke", "--data", str(tiny), "--run-dir", str(run)]
    rc = cli.main(args + [a for s in sets for a in ("--set", s)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and len(err) == 1 and err[0].startswith("golfkit: error: training diverged"), err
    m = json.loads((run / "metrics.json").read_text())
    assert m["diverged_step"] == m["steps"] < 30 and m["val_loss"] is None and m["pre_quant_val_loss"] is None
    assert f"stopping_early: diverged train_loss:nan step:{m['steps']}/30" in (run / "train.log").read_text()
    # the audit names the step (before: "the run diverged or its eval failed")
    cli.main(["audit", str(run)])
    assert f"diverged at step {m['steps']}" in capsys.readouterr().out


def test_a_record_with_a_forged_diverged_step_is_malformed(tmp_path):
    from golfkit.lab.run_audit import check_record

    with pytest.raises(GolfkitError, match="'diverged_step' must be a finite number"):
        check_record({"diverged_step": "4"}, tmp_path / "metrics.json")
    check_record({"diverged_step": None}, tmp_path / "metrics.json")


@pytest.mark.parametrize("env, pattern", [
    ({"RANK": "abc", "WORLD_SIZE": "2"}, "RANK='abc' is not a non-negative integer"),
    ({"RANK": "0", "WORLD_SIZE": "\u0662"}, "WORLD_SIZE="),
    ({"RANK": "2", "WORLD_SIZE": "2"}, "0 <= RANK < WORLD_SIZE"),
    ({"RANK": "0", "WORLD_SIZE": "0"}, "0 <= RANK < WORLD_SIZE"),
    ({"LOCAL_RANK": "-1"}, "LOCAL_RANK='-1'"),
])
def test_torchrun_variables_set_by_hand_are_one_line(monkeypatch, env, pattern):
    """Before: int("abc") was a ValueError traceback; RANK=2 of WORLD_SIZE=2 reached init_process_group."""
    for var in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(GolfkitError, match=pattern):
        dist.init("cpu")


@pytest.mark.parametrize("var, value", [("SEED", "\u0661\u0662"), ("ITERATIONS", "\uff15"), ("ITERATIONS", "1__0"),
                                        ("ITERATIONS", "_5"), ("VAL_LOSS_EVERY", "\u0969")])
def test_challenge_variables_take_ascii_numbers_only(var, value):
    """Before: Python's int() read Arabic-Indic and full-width digits (SEED=١٢ ran seed 12), and every `_` was
    dropped (ITERATIONS=_5 ran 5)."""
    cfg_json = get_preset("smoke").to_json()
    with pytest.raises(GolfkitError, match=f"environment variable {var}"):
        submission.config_from_env(cfg_json, {var: value})


def test_python_digit_grouping_still_reads():
    cfg = submission.config_from_env(get_preset("smoke").to_json(), {"ITERATIONS": "1_000", "SEED": " 7 "})
    assert cfg.schedule.iterations == 1000 and cfg.seed == 7
    assert RunConfig.from_json(get_preset("smoke").to_json()).override({"seed": "42"}).seed == 42


def test_a_guard_cache_that_is_a_file_is_reported_unused(tmp_path):
    """Before: `data verify --guard-cache FILE` ran with the cache silently off and named nothing; train.log's
    `data_guard:` line listed the file as the cache."""
    f = tmp_path / "cache.txt"
    f.write_text("mine\n")
    assert overlap.cache_label(overlap.Policy(cache=str(f))).endswith("(not a writable folder: unused, memory only)")
    assert overlap.cache_label(overlap.Policy(cache="")) == "(memory only)"
    ok = tmp_path / "cache"
    assert overlap.cache_label(overlap.Policy(cache=str(ok))) == str(ok)
    assert f.read_text() == "mine\n"


def test_a_guard_cache_file_is_named_by_data_verify(tiny, tmp_path, capsys):
    f = tmp_path / "cache.txt"
    f.write_text("mine\n")
    assert cli.main(["data", "verify", str(tiny), "--variant", "sp1024", "--guard-cache", str(f)]) == 0
    out = capsys.readouterr().out
    assert f"overlap cache: {f} (not a writable folder: unused, memory only)" in out
    assert f.read_text() == "mine\n"


def test_an_exported_scripts_system_error_is_one_line(monkeypatch, capsys):
    """Before: an OSError's file name went out unescaped, so a name holding a newline split the error line."""
    import golfkit.train

    def refuse(cfg, run_dir):
        raise PermissionError(13, "Permission denied", "/data/evil\nname")

    monkeypatch.setattr(golfkit.train, "train", refuse)
    monkeypatch.chdir(Path(__file__).parent)  # run_id_from_env only names logs/; nothing is written
    assert submission.main(get_preset("smoke").to_json(), {"RUN_ID": "r1"}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "evil\\nname" in err


@pytest.mark.parametrize("method, overrides", [
    ("ttt-sgd", {"eval.sgd.epochs": 10_000, "eval.sgd.chunk_tokens": 240, "eval.sgd.batch_seqs": 1}),
    ("ttt-phased", {"eval.phased.epochs": 10_000, "eval.phased.batch_seqs": 1, "eval.lora.doc_order": "stream",
                    "eval.lora.steps_per_chunk": 0}),
    ("ttt-lora", {"eval.lora.steps_per_chunk": 10_000}),
])
def test_a_chunks_adaptation_stops_at_the_budget(method, overrides):
    """Before: the clock was read between chunks only, so one chunk's 10,000 SGD epochs (or LoRA steps) ran to
    their end before `eval.over_budget=stop` could act: 71 s (LoRA) to over 100 s (SGD) here against a 5 s budget,
    and without bound on 10**12 epochs, now out of range. The budget leaves time to score the first chunk, so the
    stop comes from inside its adaptation."""
    import time

    from eval_helpers import run, tiny_cfg, tiny_model, tiny_tokens

    cfg = tiny_cfg(**{"eval.method": method, "eval.time_budget_seconds": 5.0, "eval.over_budget": "stop", **overrides})
    t0 = time.perf_counter()
    with pytest.raises(GolfkitError, match="exceeded its time budget of 5 s"):
        run(tiny_model(), tiny_tokens(), cfg)
    assert time.perf_counter() - t0 < 60


@pytest.mark.parametrize("key", ["eval.sgd.epochs", "eval.phased.epochs"])
def test_sgd_epochs_are_capped(key):
    with pytest.raises(GolfkitError, match=key.replace(".", r"\.")):
        RunConfig().override({key: 10_001})
    assert RunConfig().override({key: 10_000}).to_dict()

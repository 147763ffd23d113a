"""Schedules (baseline warmdown, fraction warmdown + MIN_LR floor, reserve, WD taper/ramp), batch
geometry, and the structural refusal of training on validation data."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest
import torch

from golfkit.config import RunConfig
from golfkit.data import TokenStream, refuse_non_train
from golfkit.errors import GolfkitError
from golfkit.optim import (Muon, install_wd_schedule, lr_multiplier, training_fraction, warmdown_progress,
                           wd_multiplier)
from golfkit.train import check_batch_geometry, progress

from conftest import smoke_config


def sched(**kw):
    return RunConfig().override({f"schedule.{k}": v for k, v in kw.items()}).schedule


def approx(x):
    return pytest.approx(x, abs=1e-9)


def test_baseline_iters_warmdown_unchanged():
    s = sched(iterations=100, warmdown_iters=20, max_wallclock_seconds=0.0)
    assert [lr_multiplier(k, 0.0, s) for k in (0, 79, 80, 90, 99)] == [1.0, 1.0, 1.0, approx(0.5), approx(0.05)]
    # with a cap: warmdown = 1200 x the mean step time (5 ms) = 6 s before the 600 s cap
    s = sched(warmdown_iters=1200, max_wallclock_seconds=600.0)
    assert lr_multiplier(100, 5.0 * 100, s) == 1.0  # 5 ms/step: 599.5 s left
    assert lr_multiplier(100_000, 597_000.0, s) == approx((600_000 - 597_000) / (1200 * 5.97))
    # "always-decaying LR" (rec 03-19_WarmdownQuantization): warmdown_iters >> iterations
    s = sched(iterations=1000, warmdown_iters=20000, max_wallclock_seconds=0.0)
    assert lr_multiplier(0, 0.0, s) == approx(1000 / 20000)


def test_fraction_warmdown_and_min_lr_floor():
    """lr_mul = max((1 - frac)/WARMDOWN_FRAC, MIN_LR) once frac >= 1 - WARMDOWN_FRAC; frac = elapsed/cap."""
    s = sched(warmdown_kind="fraction", warmdown_frac=0.72, min_lr=0.1, max_wallclock_seconds=600.0)
    at = lambda f: lr_multiplier(123, f * 600_000.0, s)  # noqa: E731  (the step count does not matter)
    assert at(0.0) == 1.0 and at(0.2) == 1.0 and at(0.28) == approx(1.0)
    assert at(0.64) == approx(0.5)  # (1 - 0.64)/0.72
    assert at(0.9) == approx(0.1 / 0.72)  # 0.139 > floor
    assert at(0.95) == approx(0.1) and at(1.0) == approx(0.1)  # the floor, not 0
    assert warmdown_progress(0, 0.64 * 600_000.0, s) == approx(0.5)
    # no cap: frac = step/iterations; MIN_LR also floors the baseline's iteration warmdown
    s = sched(warmdown_kind="fraction", warmdown_frac=0.5, min_lr=0.0, max_wallclock_seconds=0.0, iterations=100)
    assert [lr_multiplier(k, 0.0, s) for k in (40, 50, 75, 100)] == [1.0, 1.0, approx(0.5), approx(0.0)]
    s = sched(iterations=100, warmdown_iters=20, max_wallclock_seconds=0.0, min_lr=0.25)
    assert lr_multiplier(95, 0.0, s) == approx(0.25)


def test_reserve_shrinks_the_training_budget():
    s = sched(max_wallclock_seconds=600.0, wallclock_reserve_seconds=100.0)
    assert training_fraction(0, 250_000.0, s) == approx(0.5)
    assert training_fraction(0, 550_000.0, s) == 1.0
    assert progress(0, 250_000.0, s) == approx(0.5)  # the loop's hooks see the same fraction


def test_wd_taper_and_ramp_values():
    o = RunConfig().override({"optim.wd_schedule": "taper"}).optim  # 0.70 -> 0.50 (PR #1729)
    assert [wd_multiplier(f, 0.0, o) for f in (0.0, 0.5, 0.7, 0.85, 1.0)] == [1.0, 1.0, 1.0, approx(0.75), approx(0.5)]
    o = RunConfig().override({"optim.wd_schedule": "ramp", "optim.muon_wd": 0.02}).optim  # 0.02 -> 0.08
    assert [o.muon_wd * wd_multiplier(0.99, w, o) for w in (0.0, 0.5, 1.0)] == [0.02, approx(0.05), approx(0.08)]
    o = RunConfig().optim
    assert wd_multiplier(0.9, 0.9, o) == 1.0  # constant


def test_wd_schedule_hook_sets_muon_decay():
    cfg = RunConfig().override({"optim.wd_schedule": "taper", "optim.muon_wd": 0.04,
                                "schedule.max_wallclock_seconds": 600.0})
    p = torch.zeros(4, 4, requires_grad=True)
    muon = Muon([p], lr=0.02, momentum=0.95, weight_decay=0.04)
    muon.param_groups[0]["base_wd"] = 0.04
    sess = SimpleNamespace(cfg=cfg, optimizers=[muon], step_hooks=[])
    install_wd_schedule(sess)
    assert len(sess.step_hooks) == 1
    sess.step_hooks[0](sess, 10, 0.85)
    assert muon.param_groups[0]["weight_decay"] == approx(0.03)
    off = SimpleNamespace(cfg=RunConfig(), optimizers=[muon], step_hooks=[])
    install_wd_schedule(off)
    assert off.step_hooks == []  # identity when off: no hook at all


def test_batch_geometry_seq2048_786k():
    cfg = RunConfig().override({"schedule.train_seq_len": 2048, "schedule.train_batch_tokens": 786_432})
    assert check_batch_geometry(cfg, 8) == 1  # 8 x 48 sequences of 2048 on 8 GPUs
    assert check_batch_geometry(cfg, 1) == 8  # 1 GPU: 8 micro-steps of 98,304 tokens
    with pytest.raises(GolfkitError, match="whole 3000-token"):
        check_batch_geometry(cfg.override({"schedule.train_seq_len": 3000}), 1)


def test_smoke_model_trains_at_other_batch_and_length(data_dir):
    """A real step through train_step at seq 256 / 8192 tokens (the geometry is not hard-wired to 1024)."""
    from golfkit import dist
    from golfkit.data import DistributedTokenLoader
    from golfkit.runlog import RunLog
    from golfkit.train import build_session, preflight, train_step

    cfg = smoke_config(data_dir, **{"schedule.train_seq_len": 256, "schedule.train_batch_tokens": 8192})
    ctx = dist.init("cpu")
    sess = build_session(cfg, ctx, RunLog(None, False), preflight(cfg, ctx))
    loader = DistributedTokenLoader(sess.ds.train_files, 0, 1, ctx.device)
    x, y = loader.next_batch(4096, 256)
    assert x.shape == (16, 256)
    loader = DistributedTokenLoader(sess.ds.train_files, 0, 1, ctx.device)
    assert torch.isfinite(train_step(sess, loader, 0, 1.0))


# ----------------------------------------------------------------------------------
# training on validation data is refused (README rule; PR #675 broke it)
# ----------------------------------------------------------------------------------
def _fake_dataset(tmp_path, data_dir, make_train):
    ds = tmp_path / "datasets" / "fineweb10B_sp1024"
    ds.mkdir(parents=True)
    src = data_dir / "datasets" / "fineweb10B_sp1024"
    shutil.copy(src / "fineweb_val_000000.bin", ds / "fineweb_val_000000.bin")
    make_train(ds / "fineweb_val_000000.bin", ds / "fineweb_train_000000.bin")
    (tmp_path / "tokenizers").symlink_to(data_dir / "tokenizers")
    return tmp_path


def test_token_stream_refuses_val_shards_and_cites_the_rule(data_dir):
    val = data_dir / "datasets" / "fineweb10B_sp1024" / "fineweb_val_000000.bin"
    with pytest.raises(GolfkitError, match="PR #675") as e:
        TokenStream([val])
    assert "validation data" in str(e.value)


@pytest.mark.parametrize("how", ["symlink", "copy"])
def test_training_on_renamed_val_shards_is_refused_before_anything_runs(tmp_path, data_dir, how):
    """A 'train' shard that is a symlink to, or a copy of, a validation shard: preflight refuses it."""
    from golfkit.train import train

    make = (lambda v, t: t.symlink_to(v)) if how == "symlink" else shutil.copy
    root = _fake_dataset(tmp_path, data_dir, make)
    with pytest.raises(GolfkitError, match="forbid training on validation data"):
        train(smoke_config(root), tmp_path / "run", echo=False)
    assert not (tmp_path / "run").exists()  # refused before the run folder was written
    train_files = sorted((root / "datasets" / "fineweb10B_sp1024").glob("fineweb_train_*.bin"))
    val_files = sorted((root / "datasets" / "fineweb10B_sp1024").glob("fineweb_val_*.bin"))
    with pytest.raises(GolfkitError, match="PR #675"):
        refuse_non_train(train_files, val_files)

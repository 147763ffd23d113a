"""EMA / SWA / LAWA: the averages themselves (unit level, known weight sequences), identity when
off, and one real smoke run showing the averaged weights are what the artifact holds."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from golfkit import averaging
from golfkit.config import RunConfig

from conftest import smoke_config


class _Log:
    def __init__(self):
        self.lines, self.metrics = [], []

    def line(self, msg):
        self.lines.append(msg)

    def metric(self, **row):
        self.metrics.append(row)


def _session(lr_scale: float = 1.0, **optim):
    """A model with one 2x2 weight, and a Session stand-in with what the hooks read."""
    model = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        model.weight.fill_(0.0)  # the EMA shadow starts from the weights at install time
    cfg = RunConfig().override({f"optim.{k}": v for k, v in optim.items()})
    opt = SimpleNamespace(param_groups=[{"lr": 0.04 * lr_scale, "base_lr": 0.04}])
    sess = SimpleNamespace(cfg=cfg, base=model, optimizers=[opt], step_hooks=[], final_hooks=[], log=_Log())
    return sess, model


def _run(sess, model, steps: int, total: int | None = None):
    """Weights = step number after each step; returns the raw final weight value."""
    total = total or steps
    for step in range(1, steps + 1):
        with torch.no_grad():
            model.weight.fill_(float(step))
        for hook in sess.step_hooks:
            hook(sess, step, step / total)
    for hook in sess.final_hooks:
        hook(sess)
    return float(steps)


def test_off_installs_nothing():
    sess, model = _session()
    assert averaging.install_hooks(sess) is None
    assert sess.step_hooks == [] and sess.final_hooks == [] and sess.log.lines == []


def test_ema_values_and_export():
    sess, model = _session(weight_averaging="ema", ema_decay=0.5)
    averaging.install_hooks(sess)
    _run(sess, model, 3)
    # shadow starts at the initial weights (0 here): 0 -> 0.5 -> 1.25 -> 2.125
    assert torch.allclose(model.weight, torch.full((2, 2), 2.125))
    assert any("exported:ema" in line and "updates=3" in line for line in sess.log.lines)
    assert sess.log.metrics[-1]["exported"] == "ema"


def test_ema_decay_zero_is_identity():
    sess, model = _session(weight_averaging="ema", ema_decay=0.0)
    averaging.install_hooks(sess)
    raw = _run(sess, model, 4)
    assert torch.equal(model.weight, torch.full((2, 2), raw))


def test_swa_lr_threshold_and_last_fraction():
    sess, model = _session(lr_scale=0.1, weight_averaging="swa", swa_every=2, swa_lr_scale_below=0.2)
    averaging.install_hooks(sess)
    _run(sess, model, 10)  # snapshots at 2,4,...,10 -> mean 6
    assert torch.allclose(model.weight, torch.full((2, 2), 6.0))
    # LR scale above the threshold: only the last 40% of training counts (steps 6..10 of 10: 6, 8, 10)
    sess, model = _session(lr_scale=1.0, weight_averaging="swa", swa_every=2, swa_lr_scale_below=0.2, swa_last_frac=0.4)
    averaging.install_hooks(sess)
    _run(sess, model, 10)
    assert torch.allclose(model.weight, torch.full((2, 2), 8.0))


def test_swa_without_snapshots_exports_raw_and_says_so():
    sess, model = _session(lr_scale=1.0, weight_averaging="swa", swa_every=2)
    averaging.install_hooks(sess)
    raw = _run(sess, model, 6)
    assert torch.equal(model.weight, torch.full((2, 2), raw))
    assert "exported:raw" in sess.log.lines[-1] and sess.log.metrics[-1]["exported"] == "raw"


def test_lawa_keeps_the_last_k():
    sess, model = _session(weight_averaging="lawa", lawa_k=3, lawa_every=2)
    averaging.install_hooks(sess)
    _run(sess, model, 11)  # snapshots 2,4,6,8,10 -> last 3 = 6,8,10 -> 8
    assert torch.allclose(model.weight, torch.full((2, 2), 8.0))


@pytest.fixture(scope="module")
def ema_run(data_dir, tmp_path_factory):
    """One smoke run with EMA and the other optimizer/schedule switches on; captures the state the
    final hook swapped in, and the raw weights it replaced."""
    from golfkit.train import train

    seen = {}
    orig = averaging.Averager.apply

    def spy(self, sess):
        seen["raw"] = {k: p.detach().clone() for k, p in sess.base.named_parameters()}
        seen["avg"] = {k: v.clone() for k, v in self.averaged().items()}
        orig(self, sess)

    run_dir = tmp_path_factory.mktemp("ema_run")
    cfg = smoke_config(data_dir, **{
        "schedule.iterations": 6, "schedule.train_log_every": 1, "schedule.save_checkpoint": True,
        "optim.weight_averaging": "ema", "optim.ema_decay": 0.6,
        "optim.muon_row_normalize": True, "optim.muon_ns": "polar_express", "optim.grad_clip_norm": 0.3,
        "optim.muon_wd": 0.04, "optim.embed_wd": 0.01, "optim.scalar_wd": 0.01, "optim.wd_schedule": "taper",
        "schedule.warmdown_kind": "fraction", "schedule.warmdown_frac": 0.5, "schedule.min_lr": 0.4})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(averaging.Averager, "apply", spy)
        metrics = train(cfg, run_dir, echo=False)
    return run_dir, metrics, seen


def test_exported_artifact_holds_the_ema_weights(ema_run):
    from golfkit.reload import model_from_artifact
    from golfkit.train import ARTIFACT_NAME, CHECKPOINT_NAME

    run_dir, metrics, seen = ema_run
    assert any((seen["avg"][k] - seen["raw"][k]).abs().max() > 1e-3 for k in seen["avg"])  # EMA != raw
    _, ckpt = model_from_artifact(run_dir / CHECKPOINT_NAME)
    for k, p in ckpt.named_parameters():
        assert torch.equal(p.detach(), seen["avg"][k].to(p.dtype)), k  # the exported state is the EMA
    _, art = model_from_artifact(run_dir / ARTIFACT_NAME)
    for k, p in art.named_parameters():  # int8 roundtrip: closer to the EMA than to the raw weights
        err_avg = (p.detach() - seen["avg"][k]).abs().max()
        err_raw = (p.detach() - seen["raw"][k]).abs().max()
        assert err_avg <= err_raw + 1e-6, k
    log = (run_dir / "train.log").read_text()
    assert "exported:ema weights" in log and "updates=6" in log
    assert "muon_ns:polar_express " in log and " row_normalize:True " in log
    rows = [json.loads(x) for x in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert any(r.get("kind") == "averaging" and r["exported"] == "ema" for r in rows)
    scales = [r["lr_scale"] for r in rows if r.get("kind") == "train"]
    assert scales[0] == 1.0 and min(scales) == pytest.approx(0.4)  # fraction warmdown hits the MIN_LR floor
    # the pre-quant score is re-taken on the EMA weights (after the final hook), then exported
    vals = [r for r in rows if r.get("kind") == "val"]
    assert metrics["pre_quant_val_bpb"] == pytest.approx(vals[-1]["val_bpb"])
    assert math.isfinite(metrics["val_bpb"])

"""golfkit's training step next to the challenge reference's, op by op and sync by sync, on CPU.

Used by tests/test_step_parity.py and benchmarks/step_ops.py (issue #16: golfkit's baseline step was 1.08x
the reference script's on one H200). Both sides hold the same weights (the reference's `GPT`, randomised, mapped
under golfkit's names by records_harness.to_golfkit) and read the same token stream; each side's step is its own:

* golfkit: `golfkit.train.train_step` on a session built as `golfkit train` builds it;
* reference: its training loop's step (main(), the lines under "MAIN TRAINING LOOP": zero_grad_all, the
  micro-steps with `loss * grad_scale`, the momentum warmup, the LR scale, opt.step, zero_grad_all) driving its
  own model, Muon, Adam and loader; main() itself needs CUDA, so the loop is replayed here around its objects.

Adam is fused on both sides, as both run it on CUDA (golfkit builds it fused on CUDA only).

OpCounter counts aten ops (TorchDispatchMode: every op the dispatcher runs, backward included) per phase:
forward (the model call), backward (Tensor.backward), optimizer (each opt.step) and other (the rest of the step).
`_local_scalar_dense` is a host read of a tensor (.item(), float(t), bool(t), `if t`): on CUDA, a sync.
"""

from __future__ import annotations

import collections
import contextlib
from dataclasses import dataclass

import torch
from torch.utils._python_dispatch import TorchDispatchMode

import records_harness as rh

PHASES = ("forward", "backward", "optimizer", "other")
# aten ops that read a tensor's value on the host (on CUDA each waits for the queued work)
HOST_READS = ("_local_scalar_dense", "is_nonzero", "nonzero", "item", "equal")

# the tiny baseline both sides build: the baseline's 9 layers, GQA and U-Net skips at width 64
TINY = {"layers": 9, "dim": 64, "heads": 4, "kv_heads": 2, "seq": 64, "rows": 4, "accum": 2}


class OpCounter(TorchDispatchMode):
    """aten op names per phase; `phase` is set by the wrappers of `tagged`."""

    def __init__(self):
        super().__init__()
        self.phase = "other"
        self.counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.enabled = True

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if self.enabled:
            self.counts[self.phase][func.overloadpacket.__name__] += 1
        return func(*args, **(kwargs or {}))

    def total(self, phase: str) -> int:
        return sum(self.counts[phase].values())

    def host_reads(self) -> int:
        return sum(c[name] for c in self.counts.values() for name in HOST_READS)

    @contextlib.contextmanager
    def in_phase(self, name: str):
        old, self.phase = self.phase, name
        try:
            yield
        finally:
            self.phase = old


@contextlib.contextmanager
def tagged(counter: OpCounter, model: torch.nn.Module, optimizers):
    """Count the model call as forward, Tensor.backward as backward, each opt.step as optimizer."""
    fwd = model.forward
    steps = [o.step for o in optimizers]

    def forward(*a, **k):
        with counter.in_phase("forward"):
            return fwd(*a, **k)

    def wrap(step):
        def s(*a, **k):
            with counter.in_phase("optimizer"):
                return step(*a, **k)
        return s

    backward = torch.Tensor.backward

    def tagged_backward(self, *a, **k):
        with counter.in_phase("backward"):
            return backward(self, *a, **k)

    model.forward = forward
    for o, s in zip(optimizers, steps):
        o.step = wrap(s)
    torch.Tensor.backward = tagged_backward
    try:
        yield counter
    finally:
        torch.Tensor.backward = backward
        del model.forward
        for o in optimizers:
            del o.step


@dataclass
class Pair:
    rec: rh.Record
    ref_model: torch.nn.Module
    ref_opts: list
    ref_loader: object
    sess: object  # golfkit.session.Session
    loader: object  # golfkit's DistributedTokenLoader


def tiny_env(t: dict = TINY) -> dict[str, str]:
    return {"NUM_LAYERS": str(t["layers"]), "MODEL_DIM": str(t["dim"]), "NUM_HEADS": str(t["heads"]),
            "NUM_KV_HEADS": str(t["kv_heads"]), "TRAIN_SEQ_LEN": str(t["seq"]),
            "TRAIN_BATCH_TOKENS": str(t["seq"] * t["rows"] * t["accum"])}


def tiny_config(data_dir, t: dict = TINY):
    from golfkit.presets import get_preset

    return get_preset("baseline").override({
        "model.num_layers": t["layers"], "model.model_dim": t["dim"], "model.num_heads": t["heads"],
        "model.num_kv_heads": t["kv_heads"], "schedule.train_seq_len": t["seq"],
        "schedule.train_batch_tokens": t["seq"] * t["rows"] * t["accum"], "schedule.micro_batches": t["accum"],
        "schedule.warmup_steps": 0, "device": "cpu", "compile": "off", "data.dir": str(data_dir),
        "data.guard": "off"})


def fused_adam(sess) -> None:
    """Rebuild the session's optimizers with Adam fused, as build_session does on CUDA."""
    from golfkit.optim import build_optimizers

    cfg = sess.cfg
    sess.optimizers = build_optimizers(sess.base.param_groups(), cfg.optim, cfg.model.tie_embeddings, fused=True,
                                       device=sess.ctx.device)


def build_pair(data_dir, t: dict = TINY, seed: int = 0) -> Pair:
    from golfkit import dist, train
    from golfkit.runlog import RunLog

    rec = rh.Record.load("baseline", extra_env=tiny_env(t))
    m = rec.build_model(seed=seed)
    rec.randomize(m, seed=seed + 1)
    m.train()
    cfg = tiny_config(data_dir, t)
    ctx = dist.DistContext()
    sess = train.build_session(cfg, ctx, RunLog(None, False), train.preflight(cfg, ctx))
    mapping = rh.to_golfkit(rec, m, sess.base)
    assert not mapping.golfkit_only and not mapping.record_only, (mapping.golfkit_only, mapping.record_only)
    sess.base.load_state_dict(mapping.state, strict=True)
    sess.base.train()
    fused_adam(sess)
    opts = rh.record_optimizers(rec, m)
    for o in opts:
        for g in o.param_groups:
            g["base_lr"] = g["lr"]  # main() builds its groups with base_lr = lr
    with rec.active():
        ref_loader = rec.mod.DistributedTokenLoader(rec.h.train_files, 0, 1, torch.device("cpu"))
    loader = train.train_loader(cfg.data, sess.ds.train_files, 0, 1, ctx.device, cfg.model.vocab_size)
    return Pair(rec, m, opts, ref_loader, sess, loader)


def reference_step(p: Pair, step: int, scale: float = 1.0) -> torch.Tensor:
    """One step of the reference's training loop (main(), one process: no DDP), around its own objects."""
    h, m, opts = p.rec.h, p.ref_model, p.ref_opts
    accum = p.sess.accum  # 8 // world_size in main(); the tiny pair's accum on both sides
    grad_scale = 1.0 / accum
    with p.rec.active():
        for o in opts:
            o.zero_grad(set_to_none=True)
        train_loss = torch.zeros(())
        for _ in range(accum):
            x, y = p.ref_loader.next_batch(h.train_batch_tokens, h.train_seq_len, accum)
            loss = m(x, y)
            train_loss += loss.detach()
            (loss * grad_scale).backward()
        train_loss /= accum
        frac = min(step / h.muon_momentum_warmup_steps, 1.0) if h.muon_momentum_warmup_steps > 0 else 1.0
        muon = [o for o in opts if type(o).__name__ == "Muon"][0]
        for g in muon.param_groups:
            g["momentum"] = (1 - frac) * h.muon_momentum_warmup_start + frac * h.muon_momentum
        for o in opts:
            for g in o.param_groups:
                g["lr"] = g["base_lr"] * scale
        for o in opts:
            o.step()
        for o in opts:
            o.zero_grad(set_to_none=True)
    return train_loss


def golfkit_step(p: Pair, step: int, scale: float = 1.0) -> torch.Tensor:
    from golfkit import train

    return train.train_step(p.sess, p.loader, step, scale)


def count_step(p: Pair, side: str, step: int) -> tuple[OpCounter, torch.Tensor]:
    """One step of `side` ("golfkit" or "reference") under an OpCounter, phases tagged."""
    counter = OpCounter()
    model, opts = (p.sess.base, p.sess.optimizers) if side == "golfkit" else (p.ref_model, p.ref_opts)
    with tagged(counter, model, opts), counter:
        loss = (golfkit_step if side == "golfkit" else reference_step)(p, step)
    return counter, loss


def op_table(g: OpCounter, r: OpCounter) -> list[tuple[str, str, int, int]]:
    """(phase, op, golfkit count, reference count) for every op whose counts differ, and a total per phase."""
    rows = []
    for ph in PHASES:
        a, b = g.counts[ph], r.counts[ph]
        rows.append((ph, "(all ops)", sum(a.values()), sum(b.values())))
        for k in sorted(set(a) | set(b), key=lambda k: (-(a[k] + b[k]), k)):
            if a[k] != b[k]:
                rows.append((ph, k, a[k], b[k]))
    return rows

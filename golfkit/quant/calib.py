"""Calibration inputs for GPTQ / Hessian-aware clipping. Never validation data.

Two sources, as the records calibrate:

* "train": batches of the training stream, read inside a slice of the training time
  budget reserved for it: the loop stops at cap - `schedule.wallclock_reserve_seconds`
  (golfkit.optim), and collection stops when that reserve is spent (rec 04-05's
  GPTQ_RESERVE_SECONDS; reading training data after the 600 s is illegal: the challenge's
  rules allow no training-data access outside the training time);
* "selfgen": sequences the trained model samples itself, from one random start token,
  softmax(logits / T), no KV cache (rec 03-25 / PR #1019 / PR #1290): no data touched.

The refusal of validation data is structural: `train_batches` takes shard files and
accepts only `fineweb_train_*.bin`, and nothing here takes a token tensor.
"""

from __future__ import annotations

import time
from pathlib import Path

import torch
from torch import Tensor

from golfkit.data import DistributedTokenLoader, refuse_non_train
from golfkit.errors import GolfkitError
from golfkit.eval.score import autocast_for
from golfkit.quant.gptq import collect_hessians

def check_train_files(files, guard=None) -> list[Path]:
    """Refuse anything that is not a list of training shard files, naming the offender.

    The shard-name check is the training stream's own (`golfkit.data.refuse_non_train`); `guard` is
    the run's DataConfig (data.guard selects the content check; None = its defaults).
    """
    if isinstance(files, Tensor):
        raise GolfkitError("calibration takes training shard files, not a token tensor "
                           "(validation tokens must never calibrate a quantizer)")
    files = [Path(f) for f in files]
    if not files:
        raise GolfkitError("calibration needs at least one training shard fineweb_train_*.bin")
    for f in files:
        if f.name.startswith("fineweb_val_"):
            raise GolfkitError(f"calibration refuses validation data {f.name}: only fineweb_train_*.bin may calibrate")
    refuse_non_train(files, what="calibration", guard=guard)  # names, and content against validation data
    return files


def train_batches(files, n_batches: int, batch_tokens: int, seq_len: int, device: torch.device,
                  rank: int = 0, world_size: int = 1, deadline: float | None = None, guard=None):
    """Yield up to `n_batches` input-id batches from the training stream, stopping at `deadline`.

    A fresh stream from the start of the training shards (the record re-reads training
    data the same way); at least one batch is yielded even if the deadline has passed.
    `guard`: the run's DataConfig (`check_train_files`).
    """
    loader = DistributedTokenLoader(check_train_files(files, guard), rank, world_size, device, guard=guard)
    for i in range(n_batches):
        if i > 0 and deadline is not None and time.perf_counter() >= deadline:
            return
        x, _ = loader.next_batch(batch_tokens, seq_len)
        yield x


@torch.no_grad()
def selfgen_batches(model, n_seqs: int, seq_len: int, temperature: float, batch: int, vocab: int,
                    device: torch.device, seed: int):
    """Yield batches of sequences sampled from `model` (each from one random token)."""
    if temperature <= 0:
        raise GolfkitError(f"quant.selfgen_temperature must be positive, got {temperature}")
    gen = torch.Generator(device=device).manual_seed(seed)
    was = model.training
    model.eval()
    try:
        for start in range(0, n_seqs, batch):
            b = min(batch, n_seqs - start)
            seq = torch.randint(0, vocab, (b, 1), generator=gen, device=device)
            for _ in range(seq_len - 1):  # full forward per token, no KV cache (as the record)
                with autocast_for(device):
                    logits = model.logits(model.hidden(seq)[:, -1:]).float()[:, -1]
                probs = torch.softmax(logits / temperature, dim=-1)
                seq = torch.cat([seq, torch.multinomial(probs, 1, generator=gen)], dim=1)
            yield seq
    finally:
        model.train(was)


def calibrate(sess, names: set[str] | None) -> tuple[dict[str, Tensor], dict]:
    """Hessians of the weights `names` (None = all) from the source `quant.calib` names, and a record for the log.

    With "train", reading batches *and* their forward passes happen before the reserve's
    deadline, since both count against the training budget (records that calibrated after the
    cap on training data trained past it).
    """
    cfg, q, ctx = sess.cfg, sess.cfg.quant, sess.ctx
    if q.calib == "none":
        raise GolfkitError("a tensor policy needs a Hessian (method gptq or clip hsdclip): "
                           "set quant.calib=train or quant.calib=selfgen")
    t0 = time.perf_counter()
    seen: list[int] = []
    if q.calib == "train":
        per_rank = cfg.schedule.train_batch_tokens // cfg.schedule.micro_batches
        reserve = cfg.schedule.wallclock_reserve_seconds
        deadline = t0 + reserve if reserve > 0 and cfg.schedule.max_wallclock_seconds > 0 else None
        batches = train_batches(sess.ds.train_files, q.calib_batches, per_rank, cfg.schedule.train_seq_len,
                                ctx.device, ctx.rank, ctx.world_size, deadline, guard=cfg.data)
    else:
        batches = selfgen_batches(sess.base, q.selfgen_seqs, q.selfgen_len or cfg.schedule.train_seq_len,
                                  q.selfgen_temperature, q.selfgen_batch, cfg.model.vocab_size, ctx.device, cfg.seed)
    counted = (seen.append(x.numel()) or x for x in batches)
    model = sess.base
    looped = getattr(model, "looping_active", False)
    if not q.calib_looped:  # PR #1290: Hessians from a non-looped copy (_HessianGPT); selfgen above still loops
        batches_list = list(counted)  # sample first (with the loop, as the record), then collect without it
        model.looping_active = False
        counted = iter(batches_list)
    try:
        hess = collect_hessians(model, counted, names)
    finally:
        if hasattr(model, "looping_active"):
            model.looping_active = looped
    info = {"calib": q.calib, "batches": len(seen), "tokens": sum(seen), "seconds": time.perf_counter() - t0}
    return hess, info

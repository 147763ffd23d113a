"""The flat evaluation: the baseline's `eval_val`, every target of the whole split scored exactly once.

The (N - 1) targets are cut into sequences of `seq_len` (each sequence's context starts
fresh, as in the baseline), and a shorter last sequence covers the tail instead of dropping
it. On the official split (N - 1 divisible by 1024) this is the baseline's computation
exactly. It is what `golfkit train` reports for the reloaded artifact.
"""

from __future__ import annotations

import time

import torch
from torch import Tensor, nn

import torch.nn.functional as F

from golfkit.data import ByteLUTs
from golfkit.dist import DistContext, sync
from golfkit.eval.score import BpbAccumulator, EvalResult, Probe, autocast_for, token_nll


def sequence_spans(n_targets: int, seq_len: int) -> list[tuple[int, int]]:
    """(start, length) of the scoring sequences: full seq_len pieces, then the tail."""
    spans = [(s, seq_len) for s in range(0, n_targets - seq_len + 1, seq_len)]
    done = len(spans) * seq_len
    if done < n_targets:
        spans.append((done, n_targets - done))
    return spans


def _nll(model: nn.Module, x: Tensor, y: Tensor, pos: Tensor, probe: Probe | None) -> Tensor:
    """token_nll; with a probe, the same logits also go to it as a full-vocabulary log-softmax (the
    committed NLL is computed exactly as without one, so a probed run scores what an unprobed run does)."""
    if probe is None:
        return token_nll(model, x, y)
    logits = model(x)
    z = logits.float().reshape(-1, logits.size(-1))
    probe(F.log_softmax(z, dim=-1), pos.reshape(-1), y.reshape(-1))
    return F.cross_entropy(z, y.reshape(-1), reduction="none").view_as(y)


def evaluate_flat(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, seq_len: int,
                  batch_tokens: int, ctx: DistContext, probe: Probe | None = None) -> EvalResult:
    """Score the whole split in non-overlapping sequences of `seq_len`; sequences split over ranks.
    `probe(logp, pos, tgt)` sees every scored distribution (golfkit/causality.py)."""
    t0 = time.perf_counter()
    spans = sequence_spans(val_tokens.numel() - 1, seq_len)
    lo, hi = len(spans) * ctx.rank // ctx.world_size, len(spans) * (ctx.rank + 1) // ctx.world_size
    mine = spans[lo:hi]
    per_batch = max(1, batch_tokens // (ctx.world_size * seq_len))
    acc = BpbAccumulator(luts, ctx.device)
    was_training = model.training
    model.eval()
    with torch.inference_mode(), autocast_for(ctx.device):
        full = [s for s in mine if s[1] == seq_len]
        for i in range(0, len(full), per_batch):
            starts = torch.tensor([s for s, _ in full[i: i + per_batch]])
            idx = starts[:, None] + torch.arange(seq_len + 1)[None, :]
            chunk = val_tokens[idx].to(ctx.device, dtype=torch.int64)
            x, y = chunk[:, :-1], chunk[:, 1:]
            acc.add(_nll(model, x, y, idx[:, 1:], probe), x, y, idx[:, 1:])
        for s, n in (s for s in mine if s[1] != seq_len):  # the tail, at most one
            chunk = val_tokens[s: s + n + 1].to(ctx.device, dtype=torch.int64)[None]
            x, y = chunk[:, :-1], chunk[:, 1:]
            pos = torch.arange(s + 1, s + n + 1)[None]
            acc.add(_nll(model, x, y, pos, probe), x, y, pos)
    sync(ctx.device)
    model.train(was_training)
    return acc.result(time.perf_counter() - t0)

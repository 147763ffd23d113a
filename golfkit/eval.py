"""val_loss and val_bpb, exactly as the challenge computes them.

    val_loss = sum_t NLL_t / N_targets                      (nats per token)
    val_bpb  = sum_t NLL_t / (ln 2 * sum_t bytes_t)

with bytes_t from the SentencePiece tables in `golfkit.data.ByteLUTs`, or for transformed text
(CaseOps) from the byte sidecar by target position (`golfkit.data.SidecarBytes`). Sums are float64,
all-reduced across ranks, divided once at the end (reference/techniques.md, 2.2).

The flat evaluation scores every target of the whole split exactly once: the
(N - 1) targets are cut into sequences of `seq_len` (each sequence's context starts
fresh, as in the baseline's `eval_val`), and a shorter last sequence covers the tail
instead of dropping it. On the official split (N - 1 divisible by 1024) this is the
baseline's computation exactly.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import asdict, dataclass, replace

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.data import ByteLUTs
from golfkit.dist import DistContext, all_reduce_sum, sync


@dataclass
class EvalResult:
    val_loss: float  # nats per token
    val_bpb: float
    val_tokens: int  # scored targets
    val_bytes: int
    eval_seconds: float
    method: str = "flat"  # eval.method that produced it
    over_budget: bool = False  # eval_seconds exceeded eval.time_budget_seconds

    def to_dict(self) -> dict:
        return asdict(self)


class BpbAccumulator:
    """Float64 sums of NLL, targets and bytes; the single place a score is committed."""

    def __init__(self, luts: ByteLUTs, device: torch.device):
        self.luts = luts.to(device)
        self.sums = torch.zeros(3, dtype=torch.float64, device=device)  # nll, tokens, bytes

    def add(self, nll: Tensor, prev_ids: Tensor, tgt_ids: Tensor, pos: Tensor | None = None) -> None:
        """Commit per-target NLLs (nats) with the ids (piece tables) or the validation positions of the
        targets (byte sidecar, golfkit.data.SidecarBytes) that define their byte counts."""
        self.sums[0] += nll.to(torch.float64).sum()
        self.sums[1] += nll.numel()
        self.sums[2] += self.luts.token_bytes(prev_ids, tgt_ids, pos).to(torch.float64).sum()

    def result(self, seconds: float) -> EvalResult:
        s = all_reduce_sum(self.sums.clone())
        nll, tokens, nbytes = (float(x) for x in s.tolist())
        loss = nll / max(tokens, 1.0)
        return EvalResult(loss, nll / (math.log(2.0) * max(nbytes, 1.0)), int(tokens), int(nbytes), seconds)


def token_nll(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    """Per-target NLL in nats (B, T), from the model's normalised softmax in fp32."""
    logits = model(x)
    return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), y.reshape(-1), reduction="none").view_as(y)


def autocast_for(device: torch.device):
    """bf16 autocast on CUDA (as the baseline); plain fp32 on CPU."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def sequence_spans(n_targets: int, seq_len: int) -> list[tuple[int, int]]:
    """(start, length) of the scoring sequences: full seq_len pieces, then the tail."""
    spans = [(s, seq_len) for s in range(0, n_targets - seq_len + 1, seq_len)]
    done = len(spans) * seq_len
    if done < n_targets:
        spans.append((done, n_targets - done))
    return spans


def evaluate_flat(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, seq_len: int,
                  batch_tokens: int, ctx: DistContext) -> EvalResult:
    """Score the whole split in non-overlapping sequences of `seq_len`; sequences split over ranks."""
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
            acc.add(token_nll(model, x, y), x, y, idx[:, 1:])
        for s, n in (s for s in mine if s[1] != seq_len):  # the tail, at most one
            chunk = val_tokens[s: s + n + 1].to(ctx.device, dtype=torch.int64)[None]
            x, y = chunk[:, :-1], chunk[:, 1:]
            acc.add(token_nll(model, x, y), x, y, torch.arange(s + 1, s + n + 1)[None])
    sync(ctx.device)
    model.train(was_training)
    return acc.result(time.perf_counter() - t0)


def evaluate(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, cfg, ctx: DistContext, probe=None) -> EvalResult:
    """Score with `cfg.eval.method` (flat | sliding | doc | ttt-sgd | ttt-lora | ttt-phased), timed against the budget.

    flat without temperature/RoPE scaling/probe is `evaluate_flat` itself; otherwise flat is the
    window plan with stride = window (golfkit/evalwin.py). `probe(logp, pos, tgt)` sees every
    scored distribution (tests). TTT modes work on a copy: `model` is left as it was.
    """
    from golfkit import evalwin, ttt

    e, train_len = cfg.eval, cfg.schedule.train_seq_len
    L = e.seq_len or train_len
    window = e.lora.context if e.method in ("ttt-lora", "ttt-phased") else L
    scale = evalwin.ntk_scale(window, train_len, e.rope_scaling)
    clock = evalwin.Clock(e.time_budget_seconds, e.over_budget, e.method, ctx.device)
    scorer = evalwin.Scorer(cfg.model.vocab_size, e.temperature, probe)
    bt = max(1, e.batch_tokens // ctx.world_size)  # per rank
    plain = e.temperature == 1.0 and scale == 1.0 and probe is None
    with evalwin.rope_scaled(model, scale):
        if e.method == "flat" and plain:
            res = evaluate_flat(model, val_tokens, luts, L, e.batch_tokens, ctx)
        elif e.method in ("flat", "sliding"):
            stride = L if e.method == "flat" else e.stride
            res = evalwin.evaluate_sliding(model, val_tokens, luts, ctx, L, stride, scorer, bt, clock)
        elif e.method == "doc":
            res = evalwin.evaluate_docs(model, val_tokens, luts, ctx, L, e.stride, scorer, bt, clock)
        elif e.method == "ttt-sgd":
            res = ttt.ttt_sgd(model, val_tokens, luts, ctx, e, L, scorer, bt, clock)
        else:
            res = ttt.ttt_lora(model, val_tokens, luts, ctx, e, scorer, clock, phased=e.method == "ttt-phased")
    clock.check()
    return replace(res, method=e.method, over_budget=clock.over, eval_seconds=clock.elapsed())

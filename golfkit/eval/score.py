"""Scoring: val_loss and val_bpb exactly as the challenge computes them, and the checks every method obeys.

    val_loss = sum_t NLL_t / N_targets                      (nats per token)
    val_bpb  = sum_t NLL_t / (ln 2 * sum_t bytes_t)

with bytes_t from the SentencePiece tables in `golfkit.data.ByteLUTs`, or for transformed text
(CaseOps) from the byte sidecar by target position (`golfkit.data.SidecarBytes`). Sums are float64,
all-reduced across ranks, divided once at the end (the challenge's own accounting).

* `BpbAccumulator`: the single place a score is committed;
* `Scorer`: the only place logits become an NLL in the window and TTT methods: a log-softmax
  over the whole vocabulary (a distribution over part of the vocabulary is no score), with
  temperature scaling; an optional probe sees every scored distribution (the tests sum it to 1);
* `ScoreBook`: the accumulator plus a ledger of scored target positions. It refuses a second
  score for a position (each target is scored once, in a single pass) and, for TTT, any
  adaptation input not yet scored (score before update);
* `Clock`: the eval time budget (600 s on 8xH100, the challenge's separate eval limit).

This is the legality core of evaluation: a leaf of golfkit.eval (flat, windows and ttt build on it).
"""

from __future__ import annotations

import contextlib
import importlib
import math
import sys
import time
from dataclasses import asdict, dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.data import ByteLUTs
from golfkit.dist import DistContext, all_reduce_sum, sync
from golfkit.errors import GolfkitError

# (log-probs (n, V), target positions (n,), targets (n,)); a probe object may also have `adapted(pos)`,
# which the TTT driver calls with every position it hands to an adaptation step (golfkit/causality.py)
Probe = Callable[[Tensor, Tensor, Tensor], None]


@dataclass
class EvalResult:
    val_loss: float  # nats per token
    val_bpb: float
    val_tokens: int  # scored targets
    val_bytes: int
    eval_seconds: float
    method: str = "flat"  # eval.method that produced it
    over_budget: bool = False  # eval_seconds exceeded eval.time_budget_seconds
    legality_note: str = ""  # why this score is not C1-legal as configured ("" = no known reason; eval/ttt.py)

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


# ----------------------------------------------------------------------------------
class Scorer:
    """Per-target NLL from a full-vocabulary log-softmax of the model's (softcapped) logits / T."""

    def __init__(self, vocab_size: int, temperature: float = 1.0, probe: Probe | None = None, hints=None):
        if not temperature > 0:
            raise GolfkitError(f"eval.temperature must be > 0, got {temperature}")
        self.vocab_size, self.temperature, self.probe = vocab_size, temperature, probe
        # n-gram tilt hints by target position (golfkit/eval/tilt.py, PR #2135); None = no tilt
        self.hints = hints
        self._tilt = importlib.import_module("golfkit.eval.tilt") if hints is not None else None

    def nll(self, model: nn.Module, x: Tensor, y: Tensor, mask: Tensor, pos: Tensor) -> Tensor:
        """NLL (nats) of y[mask] given x; the LM head runs on scored rows only unless a head adapter needs (B, T)."""
        with autocast_for(x.device):
            h = model.hidden(x)
            z = model.logits(h[mask]) if model.head_adapter is None else model.logits(h)[mask]
        if z.size(-1) != self.vocab_size:  # a distribution over part of the vocabulary is no score
            raise GolfkitError(f"scorer needs logits over all {self.vocab_size} tokens, got {z.size(-1)}")
        logp = F.log_softmax(z.float() / self.temperature, dim=-1)
        tgt = y[mask]
        if self._tilt is not None:  # the tilted distribution is the one scored (and probed)
            nll, extra = self._tilt.tilted_nll(logp, tgt, pos[mask], self.hints)
            if self.probe is not None:
                self.probe(logp if extra is None else self._tilt.tilted_logp(logp, extra), pos[mask], tgt)
            return nll
        if self.probe is not None:
            self.probe(logp, pos[mask], tgt)
        return -logp.gather(-1, tgt[:, None]).squeeze(-1)


class ScoreBook:
    """BpbAccumulator + a ledger of scored target positions (CPU bool per token)."""

    def __init__(self, luts: ByteLUTs, device: torch.device, n_tokens: int):
        self.acc = BpbAccumulator(luts, device)
        self.scored = torch.zeros(n_tokens, dtype=torch.bool)
        self.n_targets = n_tokens - 1

    def commit(self, nll: Tensor, prev: Tensor, tgt: Tensor, pos: Tensor) -> None:
        p = pos.cpu()
        if self.scored[p].any() or p.unique().numel() != p.numel():
            raise AssertionError("a validation target would be scored twice (condition 4: single pass)")
        self.scored[p] = True
        self.acc.add(nll, prev, tgt, pos)

    def require_scored(self, pos: Tensor) -> None:
        """Refuse adaptation data whose targets are not all committed (condition 3: score before update)."""
        if not self.scored[pos.cpu()].all():
            raise AssertionError("adaptation would see a validation token before it is scored")

    def sync(self, lo: int, hi: int) -> None:
        """Under DDP, share which targets in (lo, hi] any rank scored (ranks split a chunk's windows)."""
        import torch.distributed as tdist

        if tdist.is_available() and tdist.is_initialized():
            seg = self.scored[lo + 1: hi + 1].to(torch.int32).to(self.acc.sums.device)
            tdist.all_reduce(seg)
            self.scored[lo + 1: hi + 1] = seg.cpu() > 0

    def result(self, seconds: float) -> EvalResult:
        res = self.acc.result(seconds)
        if res.val_tokens != self.n_targets:  # all-reduced: every rank's share counted once
            raise AssertionError(f"scored {res.val_tokens} targets, the split has {self.n_targets}")
        return res


class Clock:
    """Eval wall time against a budget: warn once, or stop with an error, when it is exceeded."""

    def __init__(self, budget_s: float, action: str, label: str, device: torch.device):
        self.budget_s, self.action, self.label, self.device = budget_s, action, label, device
        self.t0, self.over = time.perf_counter(), False

    def elapsed(self, sync_device: bool = True) -> float:
        if sync_device:
            sync(self.device)
        return time.perf_counter() - self.t0

    def check(self, sync_device: bool = True) -> None:
        """`sync_device=False` for checks inside a loop of steps: the host's time, without waiting on the GPU."""
        if self.budget_s <= 0 or self.over or self.elapsed(sync_device) <= self.budget_s:
            return
        self.over = True
        msg = f"eval method {self.label} exceeded its time budget of {self.budget_s:.0f} s"
        if self.action == "stop":
            raise GolfkitError(msg + " (eval.over_budget=stop)")
        print(f"WARNING over_budget: {msg}", file=sys.stderr)


def rank_slice(n: int, ctx: DistContext) -> slice:
    return slice(n * ctx.rank // ctx.world_size, n * (ctx.rank + 1) // ctx.world_size)

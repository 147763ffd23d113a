"""Evaluation: every target of the validation split scored once, by one method.

    score     EvalResult, BpbAccumulator, Scorer, ScoreBook, Clock: the legality core (a leaf)
    flat      the baseline's non-overlapping sequences (what `golfkit train` reports)
    windows   sliding and document-isolated windows, NTK RoPE scaling
    ttt       score-first test-time training: one driver, ttt-sgd / ttt-lora / ttt-phased
    ttt_lora  batched per-document LoRA adapters for ttt-lora
    tilt      token-only causal n-gram tilt of the scored distribution (eval.tilt, PR #2135)

`evaluate()` dispatches on `eval.method`. It imports a method's module only when the config
selects it (METHODS), so a flat-scored run loads only score and flat.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import Callable

from torch import Tensor, nn

from golfkit.data import ByteLUTs
from golfkit.dist import DistContext
from golfkit.eval.flat import evaluate_flat, sequence_spans
from golfkit.eval.score import BpbAccumulator, Clock, EvalResult, ScoreBook, Scorer, autocast_for, token_nll

__all__ = ["evaluate", "evaluate_flat", "sequence_spans", "EvalResult", "BpbAccumulator", "Scorer", "ScoreBook",
           "Clock", "autocast_for", "token_nll", "ntk_scale", "METHODS"]


def ntk_scale(window: int, train_seq_len: int, kind: str) -> float:
    """s = window / train length when NTK scaling is on and the window is longer; else 1 (off)."""
    return max(1.0, window / train_seq_len) if kind == "ntk" else 1.0


def _window(cfg) -> int:
    e = cfg.eval
    return e.lora.context if e.method in ("ttt-lora", "ttt-phased") else (e.seq_len or cfg.schedule.train_seq_len)


def plain_flat(cfg) -> bool:
    """flat without temperature or RoPE scaling, at the training length: `evaluate_flat` itself, as `golfkit train`
    scores (its roundtrip scores sequences of schedule.train_seq_len: an eval.seq_len of 1 was ignored there and in
    `golfkit eval`, which printed the train-length score for it)."""
    e = cfg.eval
    return e.method == "flat" and e.temperature == 1.0 and not e.tilt.enabled and \
        e.seq_len in (0, cfg.schedule.train_seq_len) and \
        ntk_scale(_window(cfg), cfg.schedule.train_seq_len, e.rope_scaling) == 1.0


# Method module -> whether a run config's eval.method needs it; evaluate() imports them from here and
# `golfkit export` bundles what this table selects.
METHODS: dict[str, Callable[..., bool]] = {
    "golfkit.eval.windows": lambda c: not plain_flat(c),
    "golfkit.eval.ttt": lambda c: c.eval.method.startswith("ttt"),
    "golfkit.eval.tilt": lambda c: c.eval.tilt.enabled,
}


def evaluate(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, cfg, ctx: DistContext, probe=None) -> EvalResult:
    """Score with `cfg.eval.method` (flat | sliding | doc | ttt-sgd | ttt-lora | ttt-phased), timed against the budget.

    flat without temperature/RoPE scaling is `evaluate_flat` itself (with or without a probe: a probe
    must see the path that scores); otherwise flat is the window plan with stride = window
    (golfkit/eval/windows.py). `probe(logp, pos, tgt)` sees every scored distribution, and with an
    `adapted(pos)` method every TTT hand-over (golfkit/causality.py). TTT modes work on a copy: `model`
    is left as it was.
    """
    e, train_len = cfg.eval, cfg.schedule.train_seq_len
    L = e.seq_len or train_len
    scale = ntk_scale(_window(cfg), train_len, e.rope_scaling)
    clock = Clock(e.time_budget_seconds, e.over_budget, e.method, ctx.device)
    hints = None
    if e.tilt.enabled:  # one causal pass over the stream, inside the eval clock (as PR #2135 times it)
        t = e.tilt
        hints = importlib.import_module("golfkit.eval.tilt").ngram_hints(val_tokens, t.order, t.threshold, t.boost)
    scorer = Scorer(cfg.model.vocab_size, e.temperature, probe, hints)
    bt = max(1, e.batch_tokens // ctx.world_size)  # per rank
    if plain_flat(cfg):
        res = evaluate_flat(model, val_tokens, luts, L, e.batch_tokens, ctx, probe)
    else:
        windows = importlib.import_module("golfkit.eval.windows")
        with windows.rope_scaled(model, scale):
            if e.method in ("flat", "sliding"):
                stride = L if e.method == "flat" else e.stride
                res = windows.evaluate_sliding(model, val_tokens, luts, ctx, L, stride, scorer, bt, clock)
            elif e.method == "doc":
                res = windows.evaluate_docs(model, val_tokens, luts, ctx, L, e.stride, scorer, bt, clock)
            else:
                ttt = importlib.import_module("golfkit.eval.ttt")
                if e.method == "ttt-sgd":
                    res = ttt.ttt_sgd(model, val_tokens, luts, ctx, e, L, scorer, bt, clock)
                else:
                    res = ttt.ttt_lora(model, val_tokens, luts, ctx, e, scorer, clock, phased=e.method == "ttt-phased")
    clock.check()
    return replace(res, method=e.method, over_budget=clock.over, eval_seconds=clock.elapsed())

"""Sliding-window and document-isolated evaluation: window plans and their scoring.

* `plan_windows(n, L, s)`: windows over n targets. The first window scores all its
  positions, every later one its last s (rec 03-19_SlidingWindowEval, PR by @mattqlf), and
  the tail is one right-aligned window that scores only what is left: no target twice
  (rec 04-01 fixed a double-counted tail), and the tail keeps a full L context.
* `doc_segments(tokens)`: documents at BOS; a document's targets run up to and including
  the next BOS, so the target count is that of the continuous stream.
* `prefix_windows(n, L, s)`: the plan inside a document. Windows start at 0, s, 2s, ... and the last
  one is cut at the document's end instead of right-aligned to it, so the window of every target is
  the same whatever follows it: where the next BOS falls is a statistic of later tokens, which a
  score may not depend on (condition 1 of openai/parameter-golf issue #1017). `plan_windows` keeps
  the right-aligned tail for the whole stream, whose length is the split's, fixed and public (every
  log prints it as val_tokens).
* `score_windows`: windows scored through golfkit.eval.score's Scorer into its ScoreBook.
* `rope_scaled`: NTK RoPE scaling for windows longer than training (rec 03-19_WarmdownQuantization).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from golfkit.data import BOS_ID, ByteLUTs
from golfkit.dist import DistContext
from golfkit.errors import GolfkitError
from golfkit.eval.score import Clock, EvalResult, ScoreBook, Scorer, rank_slice
from golfkit.model.base import Rotary

# A window is a row (start, length, score_from): inputs tokens[start : start+length], targets
# tokens[start+1 : start+length+1]; offsets j >= score_from are scored (target position start+1+j).


def _short_plan(n: int, L: int, s: int) -> np.ndarray | None:
    """The arguments checked; the plan when n targets need at most one window, else None."""
    if L < 1 or not 1 <= s <= L:
        raise GolfkitError(f"sliding window needs 1 <= stride <= window, got window {L} stride {s}")
    if n <= 0:
        return np.zeros((0, 3), dtype=np.int64)
    if n <= L:
        return np.array([[0, n, 0]], dtype=np.int64)
    return None


def plan_windows(n: int, L: int, s: int) -> np.ndarray:
    """Windows (W, 3) that score each of n targets exactly once, each with >= L - s context."""
    short = _short_plan(n, L, s)
    if short is not None:
        return short
    starts = np.arange(0, n - L + 1, s, dtype=np.int64)  # full windows: start + L <= n
    wins = np.stack([starts, np.full_like(starts, L), np.full_like(starts, L - s)], axis=1)
    wins[0, 2] = 0  # the first window scores all its positions
    end = int(starts[-1]) + L
    if end < n:  # right-aligned tail: scores only targets past `end`
        wins = np.concatenate([wins, np.array([[n - L, L, L - (n - end)]], dtype=np.int64)])
    return wins


def prefix_windows(n: int, L: int, s: int) -> np.ndarray:
    """Windows (W, 3) scoring each of n targets once, each window a function of its own start only.

    Window j >= 1 starts at j*s and scores its targets past L - s (so >= L - s context); the first
    scores all its targets; the last is cut at n. On n targets it agrees with `plan_windows` except
    for the tail, which here keeps at least L - s context instead of a right-aligned full L.
    """
    short = _short_plan(n, L, s)
    if short is not None:
        return short
    starts = np.arange(0, n - (L - s), s, dtype=np.int64)  # window j scores (j*s + L - s, j*s + L]
    lens = np.minimum(L, n - starts)
    wins = np.stack([starts, lens, np.full_like(starts, L - s)], axis=1)
    wins[0, 2] = 0
    return wins


def doc_segments(tokens: Tensor) -> list[tuple[int, int]]:
    """(a, b) per document: inputs from tokens[a] (its BOS), targets a+1 .. b (b = next BOS or the end)."""
    n = tokens.numel()
    bos = (tokens == BOS_ID).nonzero().flatten().tolist()
    starts = sorted(set([0] + bos))  # a stream that does not open with BOS: its head is a document too
    ends = starts[1:] + [n - 1]
    return [(a, b) for a, b in zip(starts, ends) if b > a]


def stream_windows(n_tokens: int, L: int, s: int) -> np.ndarray:
    return plan_windows(n_tokens - 1, L, s)


def doc_windows(segs: list[tuple[int, int]], L: int, s: int) -> np.ndarray:
    """Sliding windows inside each document: no window crosses a BOS, and none depends on where the
    document ends (`prefix_windows`)."""
    parts = []
    for a, b in segs:
        w = prefix_windows(b - a, L, s)
        w[:, 0] += a
        parts.append(w)
    return np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)


def fixed_length(model: nn.Module, L: int) -> int:
    """The length every window batch is right-padded to: `L` for a model whose RoPE base follows the
    sequence length (model.rope_train_len, PR #1290's NTK rescale), else 0 (the batch's longest window).
    Windows that end at a document's end are shorter than L; with a length-dependent RoPE base their
    scores would depend on where the next document starts (a C1 leak golfkit.causality found). Causal
    attention makes right padding inert, so a fixed length keeps every score a function of its past."""
    cfg = getattr(model, "cfg", None)
    return L if getattr(cfg, "rope_train_len", 0) > 0 else 0


def window_batch(tokens: Tensor, wins: Tensor, lo: int, hi: int, pad_to: int = 0) -> tuple[Tensor, ...]:
    """x, y, scored mask, target positions and real-token mask (B, T) for windows; scores only targets in (lo, hi].
    T is the longest window, or `pad_to` when that is longer (`fixed_length`)."""
    T = max(int(wins[:, 1].max()), pad_to)
    off = torch.arange(T)
    pos = wins[:, :1] + 1 + off  # target positions
    valid = off < wins[:, 1:2]
    mask = valid & (off >= wins[:, 2:3]) & (pos > lo) & (pos <= hi)
    pos = torch.where(valid, pos, wins[:, :1] + 1)  # padding repeats a real position; it is never scored
    return tokens[pos - 1].long(), tokens[pos].long(), mask, pos, valid


def score_windows(model: nn.Module, tokens: Tensor, wins: np.ndarray, book: ScoreBook, scorer: Scorer,
                  batch_tokens: int, device: torch.device, lo: int = 0, hi: int | None = None,
                  clock: Clock | None = None, pad_to: int = 0) -> None:
    """Score windows in batches of ~batch_tokens (similar lengths together; causal, so right padding is inert)."""
    if len(wins) == 0:
        return
    hi = tokens.numel() - 1 if hi is None else hi
    wins = wins[np.argsort(-wins[:, 1], kind="stable")]
    per = max(1, batch_tokens // max(int(wins[0, 1]), pad_to))
    for i in range(0, len(wins), per):
        x, y, mask, pos, _ = window_batch(tokens, torch.from_numpy(wins[i: i + per]), lo, hi, pad_to)
        if not mask.any():
            continue
        x, y, mask = x.to(device), y.to(device), mask.to(device)
        nll = scorer.nll(model, x, y, mask, pos.to(device))
        book.commit(nll, x[mask], y[mask], pos[mask.cpu()])
        if clock is not None:
            clock.check()


@contextlib.contextmanager
def rope_scaled(model: nn.Module, scale: float):
    """NTK RoPE scaling for the duration of an evaluation; restores the trained tables after."""
    rots = [m for m in model.modules() if isinstance(m, Rotary)]
    try:
        for r in rots:
            r.set_ntk_scale(scale)
        yield
    finally:
        for r in rots:
            r.set_ntk_scale(1.0)


@dataclass
class WindowSetup:
    """What a window-based method needs, resolved from the config."""

    L: int
    stride: int
    batch_tokens: int  # per rank


def evaluate_windows(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, ctx: DistContext, wins: np.ndarray,
                     scorer: Scorer, batch_tokens: int, clock: Clock) -> EvalResult:
    """Score a window plan (stream or per document); windows split over ranks, sums all-reduced."""
    book = ScoreBook(luts, ctx.device, val_tokens.numel())
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        score_windows(model, val_tokens, wins[rank_slice(len(wins), ctx)], book, scorer, batch_tokens,
                      ctx.device, clock=clock, pad_to=fixed_length(model, int(wins[:, 1].max()) if len(wins) else 0))
    model.train(was_training)
    return book.result(clock.elapsed())


def evaluate_sliding(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, ctx: DistContext, L: int, stride: int,
                     scorer: Scorer, batch_tokens: int, clock: Clock) -> EvalResult:
    """Sliding-window eval over the whole stream (rec 03-19_SlidingWindowEval): -0.032 bpb at L 1024, s 64."""
    return evaluate_windows(model, val_tokens, luts, ctx, stream_windows(val_tokens.numel(), L, stride),
                            scorer, batch_tokens, clock)


def evaluate_docs(model: nn.Module, val_tokens: Tensor, luts: ByteLUTs, ctx: DistContext, L: int, stride: int,
                  scorer: Scorer, batch_tokens: int, clock: Clock) -> EvalResult:
    """Document-isolated sliding eval: context never crosses a BOS (rec 03-17_LoRA_TTT ablation: -0.011)."""
    wins = doc_windows(doc_segments(val_tokens), L, stride)
    return evaluate_windows(model, val_tokens, luts, ctx, wins, scorer, batch_tokens, clock)

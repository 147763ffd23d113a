"""Legal score-first test-time training: one driver, three modes.

`score_then_adapt` is the only loop: for each chunk it scores under `torch.inference_mode()`
(the scorer cannot change weights), commits NLL and bytes to the ScoreBook, and then, unless
it is the last chunk, hands the adapt step exactly what the scoring returned: the inputs and
targets of the chunk just scored. The book checks that every target in that hand-over is
already committed (score before update: condition 3 of openai/parameter-golf issue #1017) before
adapt runs.

Condition 1 of the same issue (strict causal dependence: the distribution at t is a function of the
artifact and the tokens before t, not "of any statistic computed from future validation tokens")
shapes the rest: a chunk's window does not depend on where its document ends (`lora_windows`;
eval.lora.last_window=doc_end, the records' form, does, and is labelled), the phases do not depend on how many documents the split holds (`Phases`), and the document queue keeps
stream order whenever state is carried across documents (`stream_causal`). golfkit/causality.py
checks all of it by changing the stream after t and comparing.

Modes (off by default: eval.method = flat):
* ttt-sgd: full-weight chunked SGD on the stream (PR #461 -> rec 03-23 / PR #549, 5.2):
  sliding windows scored chunk by chunk, then SGD epochs on that chunk, cosine across chunks.
* ttt-lora: per-document batched LoRA (rec 03-17_LoRA_TTT, rec 04-10, PR #1767; 5.3): per
  doc, chunks of C targets with a window of `context` prefix tokens; score, then one step.
* ttt-phased: ttt-lora plus global SGD on the documents already scored, at phase
  boundaries of the queue (PR #1610 -> rec 04-13; PR #1626 -> rec 04-14).
"""

from __future__ import annotations

import copy
import math
import sys
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from golfkit.config import EvalConfig, LoRATTTConfig, PhasedTTTConfig
from golfkit.data import BOS_ID, ByteLUTs
from golfkit.dist import DistContext, all_reduce_sum
from golfkit.errors import GolfkitError
from golfkit.eval.score import Clock, EvalResult, ScoreBook, Scorer, autocast_for, rank_slice
from golfkit.eval.ttt_lora import LoRASet
from golfkit.eval.windows import doc_segments, fixed_length, score_windows, stream_windows, window_batch


def cosine(c: int, n: int) -> float:
    """½(1 + cos(π c / (n - 1))): the records' per-chunk learning-rate factor."""
    return 0.5 * (1.0 + math.cos(math.pi * c / max(n - 1, 1)))


@dataclass
class Scored:
    """One scored chunk, as handed to adapt: x, y, mask (targets just committed), pos, valid: (B, T)."""

    x: Tensor
    y: Tensor
    mask: Tensor
    pos: Tensor  # global target positions (CPU)
    valid: Tensor  # real tokens (not padding) (CPU)
    rows: Tensor | None = None  # adapter rows (ttt-lora)
    docs: list[int] = field(default_factory=list)  # document ids per row (ttt-lora)
    last: list[bool] = field(default_factory=list)  # this was the row's last chunk (ttt-lora)

    def detached(self) -> Scored:
        """Copies made outside inference mode (inference tensors cannot enter autograd)."""
        c = lambda t: None if t is None else t.clone()
        return Scored(c(self.x), c(self.y), c(self.mask), c(self.pos), c(self.valid), c(self.rows), self.docs, self.last)


def score_then_adapt(n_chunks: int, score: Callable[[int, ScoreBook], Scored], adapt: Callable[[int, Scored], None],
                     book: ScoreBook, clock: Clock, watch: Callable[[Tensor], None] | None = None) -> None:
    """The TTT loop: score chunk i (inference mode, committed), then adapt on chunk i only, never after the last.

    `watch` (the causality probe's `adapted`, golfkit/causality.py) sees the positions of every
    hand-over, so that a second ledger, kept outside the ScoreBook, can check condition 3 too.
    """
    for i in range(n_chunks):
        with torch.inference_mode():
            sc = score(i, book)
        clock.check()
        if i == n_chunks - 1:
            break
        targets = sc.pos[sc.valid]
        book.require_scored(targets)  # every target adapt can see is committed...
        # ...and each row's first input is the stream start, a document's BOS (the boundary the
        # document split already reveals) or a committed target.
        first = sc.pos[:, 0] - 1
        first = first[(first > 0) & (sc.x[:, 0].cpu() != BOS_ID)]
        book.require_scored(first)
        if watch is not None:
            watch(torch.cat([targets, first]))
        adapt(i, sc.detached())


# ----------------------------------------------------------------------------------
# full-weight SGD (shared by ttt-sgd and the phases of ttt-phased)
# ----------------------------------------------------------------------------------
def sequences_from(tokens: Tensor, S: int) -> list[Tensor]:
    """Contiguous training pieces of <= S+1 tokens (inputs + shifted targets), sharing one token at the seams."""
    return [tokens[i: i + S + 1] for i in range(0, tokens.numel() - 1, S)]


def pad_batch(seqs: list[Tensor], device: torch.device) -> tuple[Tensor, Tensor]:
    """Right-padded x and y (y = -100 at padding, ignored by the loss; causal, so padding is inert)."""
    T = max(s.numel() for s in seqs) - 1
    x = torch.zeros(len(seqs), T, dtype=torch.long)
    y = torch.full((len(seqs), T), -100, dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, : s.numel() - 1], y[i, : s.numel() - 1] = s[:-1], s[1:]
    return x.to(device), y.to(device)


def sgd_steps(model: nn.Module, opt: torch.optim.Optimizer, params: list[nn.Parameter], seqs: list[Tensor],
              lr: float, epochs: int, batch_seqs: int, clip: float, ctx: DistContext,
              clock: Clock | None = None) -> None:
    """`epochs` passes over seqs in mini-batches: mean CE -> all-reduce (average) -> clip -> SGD step.

    `clock` is checked after each step, without a device sync (a chunk's epochs could outlast the whole budget
    between the driver's checks); a rank that stops ends the torchrun group."""
    for g in opt.param_groups:
        g["lr"] = lr
    mine = seqs[ctx.rank:: ctx.world_size]
    per = max(1, batch_seqs // ctx.world_size)
    steps = math.ceil(math.ceil(len(seqs) / ctx.world_size) / per)  # equal on every rank (collectives match)
    for _ in range(epochs):
        for b in range(steps):
            part = mine[b * per: (b + 1) * per]
            opt.zero_grad(set_to_none=True)
            if part:
                x, y = pad_batch(part, ctx.device)
                with autocast_for(ctx.device):
                    logits = model(x)  # the training forward, unchanged
                F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), y.reshape(-1), ignore_index=-100).backward()
            for p in params:
                if p.grad is None:
                    p.grad = torch.zeros_like(p)
                if ctx.world_size > 1:
                    all_reduce_sum(p.grad).div_(ctx.world_size)
            if clip > 0:
                torch.nn.utils.clip_grad_norm_(params, clip)
            opt.step()
            if clock is not None:
                clock.check(sync_device=False)


def trainable(model: nn.Module, freeze_blocks: int) -> list[nn.Parameter]:
    """All parameters but those of the first `freeze_blocks` blocks; sets requires_grad accordingly."""
    if not 0 <= freeze_blocks <= len(model.blocks):
        raise GolfkitError(f"eval.sgd.freeze_blocks must be in [0, {len(model.blocks)}], got {freeze_blocks}")
    frozen = {id(p) for blk in model.blocks[:freeze_blocks] for p in blk.parameters()}
    params = []
    for p in model.parameters():
        p.requires_grad_(id(p) not in frozen)
        if id(p) not in frozen:
            params.append(p)
    return params


# ----------------------------------------------------------------------------------
# ttt-sgd
# ----------------------------------------------------------------------------------
def ttt_sgd(model: nn.Module, val: Tensor, luts: ByteLUTs, ctx: DistContext, e: EvalConfig, L: int,
            scorer: Scorer, batch_tokens: int, clock: Clock) -> EvalResult:
    """Score-first full-weight TTT over the stream (rec 03-23: sliding 1.1218 -> 1.1194, 410 s on 8xH100)."""
    c = e.sgd
    if c.chunk_tokens < 1 or c.epochs < 0 or c.batch_seqs < 1:
        raise GolfkitError("eval.sgd needs chunk_tokens >= 1, epochs >= 0 and batch_seqs >= 1")
    N = val.numel()
    wins = stream_windows(N, L, e.stride)
    first, last = wins[:, 0] + 1 + wins[:, 2], wins[:, 0] + wins[:, 1]  # scored target range per window
    bounds = list(range(0, N - 1, c.chunk_tokens)) + [N - 1]  # chunk i: targets (bounds[i], bounds[i+1]]
    work = copy.deepcopy(model).eval()
    params = trainable(work, c.freeze_blocks)
    opt = torch.optim.SGD(params, lr=c.lr, momentum=c.momentum)
    book = ScoreBook(luts, ctx.device, N)

    def score(i: int, book: ScoreBook) -> Scored:
        lo, hi = bounds[i], bounds[i + 1]
        sel = wins[np.searchsorted(last, lo, side="right"): np.searchsorted(first, hi, side="right")]
        score_windows(work, val, sel[rank_slice(len(sel), ctx)], book, scorer, batch_tokens, ctx.device, lo, hi,
                      clock=clock, pad_to=fixed_length(work, L))
        book.sync(lo, hi)
        pos = torch.arange(lo + 1, hi + 1)[None]
        ones = torch.ones_like(pos, dtype=torch.bool)
        return Scored(val[lo:hi].long()[None].to(ctx.device), val[lo + 1: hi + 1].long()[None].to(ctx.device),
                      ones.to(ctx.device), pos, ones)

    def adapt(i: int, sc: Scored) -> None:
        lr = c.lr * (cosine(i, len(bounds) - 1) if c.lr_schedule == "cosine" else 1.0)
        seqs = sequences_from(torch.cat([sc.x[0, :1], sc.y[0]]), c.seq_len or L)
        sgd_steps(work, opt, params, seqs, lr, c.epochs, c.batch_seqs, c.grad_clip_norm, ctx, clock)

    score_then_adapt(len(bounds) - 1, score, adapt, book, clock, getattr(scorer.probe, "adapted", None))
    return book.result(clock.elapsed())


# ----------------------------------------------------------------------------------
# ttt-lora and ttt-phased
# ----------------------------------------------------------------------------------
def check_lora(c: LoRATTTConfig) -> None:
    if not 1 <= c.chunk_tokens <= c.context:
        raise GolfkitError(f"eval.lora needs 1 <= chunk_tokens <= context, got {c.chunk_tokens} and {c.context}")
    if c.rank < 1 or c.batch_docs < 1 or c.steps_per_chunk < 0 or not c.targets:
        raise GolfkitError("eval.lora needs rank >= 1, batch_docs >= 1, steps_per_chunk >= 0 and a target")
    if c.init == "normal" and c.a_init == "warm":
        raise GolfkitError("eval.lora.init=normal re-draws A and B per document: it needs eval.lora.a_init=reset")


def make_lora_opt(c: LoRATTTConfig, params: list[nn.Parameter]) -> torch.optim.Optimizer:
    cls = torch.optim.AdamW if c.optimizer == "adamw" else torch.optim.Adam
    return cls(params, lr=c.lr, betas=(c.beta1, c.beta2), eps=c.eps, weight_decay=c.weight_decay)


class Phases:
    """Global SGD on the first N*p/P documents of the queue once they are all scored (rec 04-13/04-14)."""

    def __init__(self, p: PhasedTTTConfig, n_docs: int, S: int, ctx: DistContext, clock: Clock | None = None):
        if p.docs < 0 or p.phases < 1 or p.epochs < 0 or p.chunk_tokens < 1:
            raise GolfkitError("eval.phased needs docs >= 0, phases >= 1, epochs >= 0 and chunk_tokens >= 1")
        if ctx.world_size > 1:
            raise GolfkitError("ttt-phased runs in one process in golfkit so far (use ttt-lora under torchrun)")
        # The phase boundaries are fractions of eval.phased.docs, not of the split's document count: that
        # count is a statistic of later tokens (condition 1, module docstring). A split with fewer
        # documents never reaches the last boundaries (the warning at the end of ttt_lora says so).
        N = p.docs
        self.p, self.S, self.ctx, self.clock = p, S, ctx, clock
        # PR #1855 / #2135: boundary q = N * q // P (floor), e.g. 2,500 documents in 3 phases: 833, 1666, 2500
        self.bounds = sorted({N * q // p.phases for q in range(1, p.phases + 1)} - {0})
        self.parts: dict[int, list[Tensor]] = {}
        self.done: dict[int, Tensor] = {}  # doc id -> its tokens (BOS .. next BOS), all scored

    def collect(self, sc: Scored, k: int) -> None:
        """Rebuild documents from the scored chunks handed over (the only tokens the phases ever train on)."""
        for r, d in enumerate(sc.docs):
            parts = self.parts.setdefault(d, [])
            if k == 0:
                parts.append(sc.x[r, :1].cpu())  # the doc's BOS: chunk <= context, so window 0 starts at it
            parts.append(sc.y[r][sc.mask[r]].cpu())
            if sc.last[r]:
                self.done[d] = torch.cat(self.parts.pop(d))

    def after_batch(self, queue_done: list[int], model: nn.Module, lora: LoRASet) -> None:
        while self.bounds and self.bounds[0] <= len(queue_done):
            n = self.bounds.pop(0)
            if self.p.epochs > 0:
                self.train([self.done[d] for d in queue_done[:n]], model, lora)

    def train(self, docs: list[Tensor], model: nn.Module, lora: LoRASet) -> None:
        p = self.p
        lora.detach()  # plain base model for the global step
        params = list(model.parameters())
        for q in params:
            q.requires_grad_(True)
        seqs = [s for t in docs for s in sequences_from(t, self.S)]  # never across a document boundary
        per = max(1, p.chunk_tokens // self.S)
        chunks = [seqs[i: i + per] for i in range(0, len(seqs), per)]
        opt = torch.optim.SGD(params, lr=p.lr, momentum=p.momentum)
        for ci, ch in enumerate(chunks):
            sgd_steps(model, opt, params, ch, p.lr * cosine(ci, len(chunks)), p.epochs, p.batch_seqs,
                      p.grad_clip_norm, self.ctx, self.clock)
        for q in params:
            q.requires_grad_(False)
        lora.attach()


def stream_causal(e: EvalConfig) -> str:
    """"" when the document queue and the chunk windows of `e` keep stream causality; otherwise why not.

    Condition 1 (module docstring): a score may depend on the documents before it in the validation
    stream, never on later ones. Which orders keep it:
    * stream (the default): documents in validation order; any state carried from batch to batch
      comes from earlier documents only;
    * longest_first (the records' queue: PR #1767 -> #1855/#2135 sort documents by length so that a
      batch holds similar lengths) keeps it only when no state passes between documents: per-document
      adapters re-drawn at every batch (a_init=reset) and no phases. Rows are independent (one adapter
      and one Adam state per row), so a document's score depends on itself alone, whatever its queue
      position (the argument PR #1530 gave for its document-independent TTT).
    With carried state (a_init=warm keeps A from batch to batch, PR #1767; ttt-phased trains the base
    model on the queue's first documents, PR #1610) state flows in queue order: under longest_first an
    early document is scored after adapting on long documents that come later in the stream, and the
    queue itself is built from every document's length. Such a score is computed and labelled as not
    C1-legal (EvalResult.legality_note, a WARNING line, `golfkit audit`), not refused: it is how the
    accepted records PR #1855 and #2135 scored, which the record presets reproduce.
    The windows: eval.lora.last_window=doc_end (the records' _compute_chunk_window) ends a document's
    last chunk's window at the document's end, so that chunk's context depends on where the next BOS
    falls; labelled the same way, with or without carried state.
    """
    if e.method not in ("ttt-lora", "ttt-phased"):
        return ""
    why = []
    carried = [what for what, on in (("eval.lora.a_init=warm", e.lora.a_init == "warm"),
                                     ("ttt-phased's global SGD", e.method == "ttt-phased")) if on]
    if e.lora.doc_order != "stream" and carried:
        why.append(f"eval.lora.doc_order={e.lora.doc_order} with {' and '.join(carried)}: adapted state flows in "
                   f"queue order, not stream order, so earlier documents' scores depend on later documents (not "
                   f"C1-legal, openai/parameter-golf issue #1017 condition 1); eval.lora.doc_order=stream keeps it")
    if e.lora.last_window == "doc_end":
        why.append("eval.lora.last_window=doc_end: a document's last chunk is scored in a window that ends at the "
                   "document's end, so its context depends on where the next BOS falls, a later token (not "
                   "C1-legal, openai/parameter-golf issue #1017 condition 1); eval.lora.last_window=chunk keeps it")
    return "; ".join(why)


def lora_queue(segs: list[tuple[int, int]], c: LoRATTTConfig, ctx: DistContext) -> tuple[list[int], list[list[int]]]:
    """Chunks per doc and this rank's batches: stream order, or longest first (similar lengths per batch,
    as the records; see `stream_causal` for when that keeps condition 1)."""
    nck = [math.ceil((b - a) / c.chunk_tokens) for a, b in segs]
    order = list(range(len(segs)))
    if c.doc_order == "longest_first":
        order.sort(key=lambda d: -nck[d])  # stable: ties stay in stream order
    batches = [order[i: i + c.batch_docs] for i in range(0, len(order), c.batch_docs)]
    return nck, batches[ctx.rank:: ctx.world_size]


def lora_windows(segs, docs: list[int], k: int, c: LoRATTTConfig) -> Tensor:
    """Window (start, length, score_from) of chunk k of each doc: up to `context` prefix tokens, scoring chunk k.

    The window starts at the chunk's nominal end minus `context`, also for a document's last, shorter
    chunk: starting it at the document's end minus `context` (the records' _compute_chunk_window,
    PR #1855/#2135) gives the last chunk's targets a context that depends on where the next BOS falls,
    a statistic of later tokens (condition 1). The last chunk keeps at least context - chunk_tokens.
    eval.lora.last_window=doc_end is the records' form, for the record presets, and is labelled
    (`stream_causal`).
    """
    rows = []
    for d in docs:
        a, b = segs[d]
        lo = a + k * c.chunk_tokens
        hi = min(lo + c.chunk_tokens, b)
        end = hi if c.last_window == "doc_end" else lo + c.chunk_tokens  # equal but for a last, shorter chunk
        start = max(a, end - c.context)
        rows.append((start, hi - start, lo - start))
    return torch.tensor(rows, dtype=torch.int64)


def ttt_lora(model: nn.Module, val: Tensor, luts: ByteLUTs, ctx: DistContext, e: EvalConfig,
             scorer: Scorer, clock: Clock, phased: bool = False) -> EvalResult:
    """Per-document batched LoRA TTT (v1: flat 1.2278 -> doc 1.2168 -> strided 1.1941 -> LoRA 1.1910)."""
    c = e.lora
    check_lora(c)
    segs = doc_segments(val)
    nck, mine = lora_queue(segs, c, ctx)
    steps = [(j, k) for j, batch in enumerate(mine) for k in range(max(nck[d] for d in batch))]
    work = copy.deepcopy(model).eval()
    for q in work.parameters():
        q.requires_grad_(False)
    lora = LoRASet(work, list(c.targets), c.batch_docs, c.rank, c.alpha, (c.init, c.init_std_a, c.init_std_b))
    lora.attach()
    if mine:
        lora.reset(mine[0], reset_a=True)
    state = {"opt": make_lora_opt(c, lora.parameters())}
    phases = Phases(e.phased, len(segs), e.phased.seq_len or c.context, ctx, clock) if phased else None
    book = ScoreBook(luts, ctx.device, val.numel())

    def score(i: int, book: ScoreBook) -> Scored:
        j, k = steps[i]
        act = [r for r, d in enumerate(mine[j]) if nck[d] > k]
        docs = [mine[j][r] for r in act]
        x, y, mask, pos, valid = window_batch(val, lora_windows(segs, docs, k, c), 0, val.numel() - 1,
                                              fixed_length(work, c.context))
        rows = torch.tensor(act, device=ctx.device)
        lora.select(rows)
        x, y, mask = x.to(ctx.device), y.to(ctx.device), mask.to(ctx.device)
        book.commit(scorer.nll(work, x, y, mask, pos.to(ctx.device)), x[mask], y[mask], pos[mask.cpu()])
        return Scored(x, y, mask, pos, valid, rows, docs, [nck[d] == k + 1 for d in docs])

    def adapt(i: int, sc: Scored) -> None:
        j, k = steps[i]
        later = torch.tensor([not l for l in sc.last], device=ctx.device)
        if c.steps_per_chunk and later.any():
            lora.select(sc.rows)
            for _ in range(c.steps_per_chunk):
                with autocast_for(ctx.device):
                    logits = work(sc.x)  # same forward as training, adapters through the hooks
                ce = F.cross_entropy(logits.float().transpose(1, 2), sc.y, reduction="none")
                m = sc.mask & later[:, None]  # only docs that still have chunks to score
                loss = ((ce * m).sum(1) / m.sum(1).clamp(min=1)).sum()  # per-doc mean, summed: docs independent
                state["opt"].zero_grad(set_to_none=True)
                loss.backward()
                state["opt"].step()
                clock.check(sync_device=False)  # steps_per_chunk may be 10,000: read the clock inside them too
        if phases is not None:
            phases.collect(sc, k)
        if i + 1 < len(steps) and steps[i + 1][0] != j:  # batch end: phases, then fresh adapters
            if phases is not None:
                phases.after_batch([d for batch in mine[: j + 1] for d in batch], work, lora)
            lora.reset(mine[j + 1], reset_a=c.a_init == "reset")
            state["opt"] = make_lora_opt(c, lora.parameters())

    note = stream_causal(e)
    if note and ctx.rank == 0:
        print(f"WARNING not_c1_legal: {note}", file=sys.stderr)
    score_then_adapt(len(steps), score, adapt, book, clock, getattr(scorer.probe, "adapted", None))
    missed = [b for b in (phases.bounds if phases is not None else []) if b < len(segs)]  # the last one is moot
    if missed and ctx.rank == 0:
        # phases fire only at batch ends: a short split (or batch_docs >= the doc count) never reaches one,
        # and the score silently equals ttt-lora's (seen in the 03 notebook run on 13 documents)
        print(f"WARNING ttt-phased: {len(missed)} of {e.phased.phases} phase(s) never ran: {len(segs)} documents "
              f"in batches of eval.lora.batch_docs={c.batch_docs}; lower batch_docs or eval.phased.docs",
              file=sys.stderr)
    return replace(book.result(clock.elapsed()), legality_note=note)

"""Token-only causal n-gram tilt of the scored distribution (PR #2135; the experts of PR #1145 via PR #1967).

One left-to-right pass over the validation stream keeps, for every context of the previous
`order - 1` tokens (a 64-bit rolling hash), how often each next token followed it. For the target
at position p the expert proposes the most frequent follower h_p of its context, counted over the
targets *before* p only, with probability c_top / c_total; where that probability reaches
`threshold` the scored distribution is tilted towards h_p and renormalised in closed form:

    p'(a) = exp(beta [a = h]) p(a) / Z,   Z = 1 + q_h (e^beta - 1),   q_h = p(h)
    -log p'(y) = -log p(y) - beta [y = h] + log1p(q_h (e^beta - 1))

so the score stays a full normalised distribution (every token keeps mass) and each hint uses only
tokens < p: causal, score-first (nothing is trained on it), one pass. The record's within-word and
word-start experts are off in its run (boost 0, threshold 99) and are not here.

The hash, the context (the first target is pushed twice: the record seeds its ring with it and then
processes it) and the tie rule (the top follower changes only when a count exceeds the top count)
are the record's `online_ngram_state.c`; the counting is vectorised with stable sorts instead of its
open-addressing table (same keys, same counts). tests/test_records_eval.py compares the hints with
the record's own build_hints_for_targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from golfkit.errors import GolfkitError

# online_ngram_state.c (PR #2135): rolling coefficients and the pair mix
ROLLING_COEFFS = np.array([
    36313, 27191, 51647, 81929, 131071, 196613, 262147, 393241, 524309, 655373, 786433, 917521,
    1048583, 1179653, 1310729, 1441801, 1572869, 1703941, 1835017, 1966087, 2097169, 2228243, 2359319,
    2490389, 2621471, 2752549, 2883617, 3014687, 3145757, 3276833, 3407903, 3538973], dtype=np.uint64)
PAIR_MIX = np.uint64(1000003)
MAX_ORDER = len(ROLLING_COEFFS) + 1


@dataclass
class Hints:
    """Per validation position p (the target tokens[p]; index 0 unused): the hinted token, whether the
    tilt applies, and its boost beta."""

    hint: Tensor  # int64 (N,)
    gate: Tensor  # bool (N,)
    boost: Tensor  # float32 (N,)

    @property
    def gated(self) -> int:
        return int(self.gate.sum())


def _group_rank(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stable order of `keys`, the group id of each sorted element, and its rank inside its group."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    start = np.ones(k.size, dtype=bool)
    start[1:] = k[1:] != k[:-1]
    gid = np.cumsum(start) - 1
    first = np.flatnonzero(start)
    rank = np.arange(k.size) - first[gid]
    return order, gid, rank


def ngram_hints(tokens: Tensor | np.ndarray, order: int = 16, threshold: float = 0.8, boost: float = 2.625) -> Hints:
    """The token expert's hints for every target of the stream `tokens` (N tokens, targets 1..N-1)."""
    if not 2 <= order <= MAX_ORDER:
        raise GolfkitError(f"eval.tilt.order must be in [2, {MAX_ORDER}], got {order}")
    toks = tokens.cpu().numpy() if isinstance(tokens, Tensor) else np.asarray(tokens)
    N = toks.size
    hint = np.zeros(N, dtype=np.int64)
    gate = np.zeros(N, dtype=bool)
    M = N - 1  # targets
    C = order - 1  # context length
    if M < C:
        return Hints(torch.from_numpy(hint), torch.from_numpy(gate), torch.zeros(N, dtype=torch.float32))
    t = toks[1:].astype(np.uint64)
    pushes = np.concatenate([t[:1], t])  # the record seeds its ring with the first target, then processes it
    n = M - (C - 1)  # targets i = C-1 .. M-1 have a full context pushes[i-C+1 .. i]
    with np.errstate(over="ignore"):
        ctx = np.zeros(n, dtype=np.uint64)
        for j in range(C):  # oldest first, coefficient j
            ctx ^= pushes[j: j + n] * ROLLING_COEFFS[j]
        tgt = t[C - 1:]
        pair = (ctx * PAIR_MIX) ^ (tgt * ROLLING_COEFFS[C % len(ROLLING_COEFFS)])
    # occurrences of (context, token) so far, this one included
    po, _, prank = _group_rank(pair)
    pc = np.empty(n, dtype=np.int64)
    pc[po] = prank + 1
    # per context, in stream order: the state before element k is (total k, top count = max pair count of
    # elements < k, top token = where that max was first reached)
    co, cgid, crank = _group_rank(ctx)
    pcs = pc[co]
    big = n + 1
    cm = np.maximum.accumulate(pcs + cgid * big) - cgid * big  # running max inside each context
    record = np.ones(n, dtype=bool)
    record[1:] = (cm[1:] > cm[:-1]) | (cgid[1:] != cgid[:-1])
    last_rec = np.maximum.accumulate(np.where(record, np.arange(n), -1))
    seen = crank > 0
    prev = np.arange(n) - 1
    top_count = np.where(seen, cm[np.maximum(prev, 0)], 0)
    top_tok = np.where(seen, tgt[co][last_rec[np.maximum(prev, 0)]].astype(np.int64), 0)
    prob = np.where(seen, top_count.astype(np.float32) / np.maximum(crank, 1).astype(np.float32), np.float32(0))
    g = seen & (prob >= np.float32(threshold))
    pos = co + C  # sorted element -> target index i = co + C - 1 -> position p = i + 1
    hint[pos] = np.where(g, top_tok, 0)
    gate[pos] = g
    b = np.where(gate, np.float32(boost), np.float32(0)).astype(np.float32)
    return Hints(torch.from_numpy(hint), torch.from_numpy(gate), torch.from_numpy(b))


def tilted_nll(logp: Tensor, tgt: Tensor, pos: Tensor, hints: Hints) -> tuple[Tensor, Tensor | None]:
    """NLL of `tgt` under the tilted distribution, from log-probs (n, V) at target positions `pos` (n,),
    in fp32 as the record's `apply_tilt_to_ptl_torch_fast`; also the tilted log-probs' correction
    (n, 2): (log Z, boost) per row, for a probe that wants the whole distribution (None = no gated row)."""
    p = pos.cpu()
    gate = hints.gate[p].to(logp.device)
    ptl = -logp.gather(-1, tgt[:, None]).squeeze(-1)
    if not bool(gate.any()):
        return ptl, None
    h = hints.hint[p].to(logp.device)
    b = hints.boost[p].to(logp.device)
    q = logp.gather(-1, h[:, None]).squeeze(-1).float().clamp(max=0.0).exp()
    hit = (tgt == h).to(torch.float32)
    log_z = torch.log1p(q * torch.expm1(b))
    ptl32 = ptl.float()
    return torch.where(gate, ptl32 - b * hit + log_z, ptl32).to(ptl.dtype), torch.stack([log_z, b, h.float(), gate.float()], 1)


def tilted_logp(logp: Tensor, extra: Tensor) -> Tensor:
    """The whole tilted distribution (for probes): log p + beta [a = h] - log Z on gated rows."""
    log_z, b, h, gate = extra.unbind(1)
    out = logp - torch.where(gate > 0, log_z, torch.zeros_like(log_z))[:, None]
    rows = torch.nonzero(gate > 0).flatten()
    out[rows, h[rows].long()] += b[rows]
    return out

"""The causality and normalisation probe: an eval method's score, checked against the four conditions.

The conditions are those of openai/parameter-golf issue #1017 ("A Field Guide to Valid Submissions"):

* C1 strict causal dependence: the distribution p_t at position t is a function of the artifact and
  x_1..x_{t-1} only; not of x_t, any later token, or any statistic of later tokens (a document's
  length, where the next BOS falls, how many documents follow);
* C2 a full normalised distribution over the vocabulary, fixed before x_t is looked at;
* C3 score before update: adaptation only ever sees tokens already scored;
* C4 one left-to-right pass: every target is scored exactly once.

How they are checked, for one model and one eval config (`probe_eval`):

* a base run over a token stream records, through the scorer's probe hook (`golfkit.eval.evaluate(...,
  probe=)`), the NLL of every target, the whole distribution at a few cut positions t, the largest
  |log sum_v p(v)| of any scored row, and (TTT) every position the driver hands to an adaptation step;
* C1: for each cut t, the stream is changed from t on and evaluated again, and the NLLs at positions < t
  and the whole distribution p_t must be unchanged. Changes: every token from t on (content; the BOS
  positions kept), a BOS inserted at t and a few tokens later (a document boundary that appears), the
  next BOS at or after t removed (one that disappears). A distribution that depends on x_t itself (an
  adaptation that saw the target before scoring it) fails the p_t comparison;
* C2: every scored row has V entries and log sum exp = 0, and the committed mean NLL equals the mean of
  -log p_t(x_t) the probe saw (the score is the normalised distribution, not something beside it);
* C3: every position handed to adaptation was scored before (a ledger kept here, independent of the
  method's own ScoreBook, which refuses it on its own as well);
* C4: the scored positions are exactly 1..N-1, each once, and the result counts N-1 targets.

The matrix (`matrix`) is every architecture switch of golfkit.techniques (SWITCHES, and the RUN_SWITCHES
that change `model.*`) x every `eval.method` the config accepts (read from EvalConfig, so a method or
switch added later is covered without editing this file) plus the carried-state variants of the TTT
methods, on tiny random-weight models and a short synthetic stream. `golfkit audit RUN_DIR` runs
`probe_eval` on a run's own artifact and eval config (sizes scaled down by `probe_config`).

Core module; imports the model and eval, never the training loop (tests/test_layering.py).
"""

from __future__ import annotations

import math
import time
import typing
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor, nn

from golfkit.config import EvalConfig, RunConfig
from golfkit.data import BOS_ID, ByteLUTs
from golfkit.dist import DistContext

# The probe runs the model in float64: in float32 a different batch composition (a moved BOS regroups
# windows and TTT rows) changes results by rounding, and iterative layers amplify it (the DEQ solver's
# per-position exit: 2.2e-5 nats in float32, exactly 0 in float64, BENCHMARKS.md). The scorer still takes
# its log-softmax in float32, so one float32 ulp of a log-probability is the noise floor.
TOL = 1e-6  # nats
CPU = DistContext(device=torch.device("cpu"))


def eval_methods() -> tuple[str, ...]:
    """Every value `eval.method` accepts (the Literal of EvalConfig.method)."""
    return typing.get_args(typing.get_type_hints(EvalConfig)["method"])


# TTT variants whose state is carried across documents or batches: the cases where queue order matters.
CARRIED: dict[str, dict[str, Any]] = {
    "ttt-lora+warm": {"eval.method": "ttt-lora", "eval.lora.a_init": "warm"},
    "ttt-phased+warm": {"eval.method": "ttt-phased", "eval.lora.a_init": "warm"},
}


def method_cases() -> dict[str, dict[str, Any]]:
    """label -> eval overrides: every eval.method with its defaults, then the carried-state variants."""
    return {**{m: {"eval.method": m} for m in eval_methods()}, **CARRIED}


def architecture_switches(base: RunConfig) -> dict[str, dict[str, Any]]:
    """name -> overrides: "baseline", every SWITCHES entry, and every RUN_SWITCHES entry that changes model.*."""
    from golfkit import techniques

    out: dict[str, dict[str, Any]] = {"baseline": {}}
    for name, fn in techniques.SWITCHES.items():
        out[name] = fn(base.model)
    for name, fn in techniques.RUN_SWITCHES.items():
        o = fn(base)
        if any(k.startswith("model.") for k in o):
            out[name] = o
    return out


def tiny_config(**overrides: Any) -> RunConfig:
    """The matrix's base: 2 layers x 32 dims, vocab 64, windows of 32, TTT chunks of 16 in contexts of 32,
    3 documents per LoRA batch, 2 phases over the first 6 documents (so that every mechanism fires on the
    320-token stream of `synthetic_tokens`, ~8 documents: both phases run before the last batch)."""
    base = {"device": "cpu", "model.vocab_size": 64, "model.num_layers": 2, "model.model_dim": 32,
            "model.num_heads": 2, "model.num_kv_heads": 1, "schedule.train_seq_len": 32,
            "eval.batch_tokens": 512, "eval.stride": 8, "eval.time_budget_seconds": 0.0,
            "eval.sgd.chunk_tokens": 96, "eval.sgd.lr": 0.05, "eval.lora.chunk_tokens": 16,
            "eval.lora.context": 32, "eval.lora.batch_docs": 3, "eval.lora.lr": 0.02, "eval.sgd.epochs": 1,
            "eval.phased.docs": 6, "eval.phased.phases": 2, "eval.phased.lr": 0.05}
    return RunConfig().override({**base, **overrides})


@torch.no_grad()
def random_model(cfg: RunConfig, seed: int = 0, std: float = 0.3) -> nn.Module:
    """A model of `cfg` with random weights everywhere: zero-init projections, tables and gates would make
    context (and so any leak) invisible."""
    from golfkit.model import GPT

    torch.manual_seed(seed)
    m = GPT(cfg.model)
    g = torch.Generator().manual_seed(seed + 1)
    for p in m.parameters():
        if p.dim() > 1 or not p.any():
            p.copy_(torch.randn(p.shape, generator=g) * std + (0 if p.dim() > 1 else 0.5))
    return m.eval()


def synthetic_tokens(vocab: int, n: int = 320, doc_len: tuple[int, int] = (20, 56), seed: int = 0) -> Tensor:
    """A stream of n random tokens (ids 2..vocab-1) in documents of doc_len[0]..doc_len[1] tokens, each
    opening with BOS (the last one cut at n). Lengths around the probe's windows and TTT contexts (32)
    give every document a last chunk and a last window, where a boundary lookahead would show."""
    g = torch.Generator().manual_seed(seed)
    t = torch.randint(2, vocab, (n,), generator=g, dtype=torch.int32)
    p = 0
    while p < n:
        t[p] = BOS_ID
        p += int(torch.randint(doc_len[0], doc_len[1] + 1, (1,), generator=g))
    return t


def unit_bytes(vocab: int) -> ByteLUTs:
    """One byte per token, BOS a boundary: byte counts do not enter any causality check."""
    return ByteLUTs(torch.ones(vocab, dtype=torch.int16), torch.zeros(vocab, dtype=torch.bool),
                    torch.arange(vocab) == BOS_ID)


def default_cuts(tokens: Tensor) -> list[int]:
    """Three cut positions: early (a quarter in), 3 tokens before the end of the longest document past
    that (its last chunk and last window, where a boundary lookahead shows), and late (state carried
    over most of the stream)."""
    n = tokens.numel()
    starts = [int(b) for b in (tokens == BOS_ID).nonzero().flatten()] + [n]
    docs = [(b - a, b) for a, b in zip(starts, starts[1:]) if a >= n // 4 and b < n - 3]
    cuts = {n // 4, max(docs)[1] - 3 if docs else n // 2, n - n // 8}
    return sorted(c for c in cuts if 1 < c < n - 1)


# ----------------------------------------------------------------------------------
# one evaluation, observed
# ----------------------------------------------------------------------------------
class _Observer:
    """The probe hook: NLL per target position, rows at the watched positions, normalisation, hand-overs."""

    def __init__(self, watch: set[int], vocab: int):
        self.watch, self.vocab = watch, vocab
        self.nll: dict[int, float] = {}
        self.rows: dict[int, Tensor] = {}
        self.twice: list[int] = []
        self.norm_err = 0.0
        self.width_bad: int | None = None
        self.unscored_handover: list[int] = []
        self.handovers = 0

    def __call__(self, logp: Tensor, pos: Tensor, tgt: Tensor) -> None:
        if logp.size(-1) != self.vocab:
            self.width_bad = int(logp.size(-1))
        lse = torch.logsumexp(logp.float(), dim=-1)
        if lse.numel():
            self.norm_err = max(self.norm_err, float(lse.abs().max()))
        vals = (-logp.gather(-1, tgt[:, None].long()).squeeze(-1)).tolist()
        for i, (p, v) in enumerate(zip(pos.tolist(), vals)):
            if p in self.nll:
                self.twice.append(p)
            self.nll[p] = v
            if p in self.watch:
                self.rows[p] = logp[i].detach().float().cpu().clone()

    def adapted(self, pos: Tensor) -> None:
        self.handovers += 1
        bad = [p for p in pos.tolist() if p not in self.nll]
        self.unscored_handover += bad[:8]


@dataclass
class _Run:
    obs: _Observer
    result: Any  # EvalResult
    error: str = ""


def _evaluate(model: nn.Module, tokens: Tensor, cfg: RunConfig, luts: ByteLUTs, watch: set[int]) -> _Run:
    from golfkit.eval import evaluate

    obs = _Observer(watch, cfg.model.vocab_size)
    try:
        res = evaluate(model, tokens, luts, cfg, CPU, probe=obs)
    except AssertionError as e:  # the ScoreBook's own refusals (C3, C4)
        return _Run(obs, None, f"{type(e).__name__}: {e}")
    return _Run(obs, res)


# ----------------------------------------------------------------------------------
# the probe
# ----------------------------------------------------------------------------------
@dataclass
class Check:
    name: str
    ok: bool
    evidence: str


@dataclass
class ProbeReport:
    label: str
    checks: list[Check] = field(default_factory=list)
    runs: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.ok]

    def summary(self) -> str:
        head = f"{self.label}: {'pass' if self.ok else 'FAIL ' + ', '.join(self.failed())}"
        return head + f" ({self.runs} evaluations, {self.seconds:.2f} s)"


def perturbations(tokens: Tensor, t: int, seed: int) -> dict[str, Tensor]:
    """The changed streams for cut t: content from t on (BOS kept); a BOS inserted at t; the next BOS at or
    after t removed. A BOS at t moves the end of the document holding t - 1 to t, inside its last chunk
    and window, which is where a boundary lookahead shows."""
    g = torch.Generator().manual_seed(seed)
    n = tokens.numel()
    bos = tokens == BOS_ID
    out: dict[str, Tensor] = {}
    c = tokens.clone()
    fresh = torch.randint(2, int(tokens.max()) + 1 if tokens.max() > 2 else 3, (n - t,), generator=g,
                          dtype=tokens.dtype)
    same = fresh == tokens[t:]
    fresh[same] = torch.where(fresh[same] > 2, fresh[same] - 1, fresh[same] + 1)  # really different
    c[t:] = torch.where(bos[t:], tokens[t:], fresh)
    out["content"] = c
    if not bos[t]:
        b = tokens.clone()
        b[t] = BOS_ID
        out["bos+@t"] = b
    nxt = [int(u) for u in bos.nonzero().flatten() if u >= t]
    if nxt:
        r = tokens.clone()
        r[nxt[0]] = 2 + (int(tokens[nxt[0] - 1]) % 7)
        out[f"bos-@t+{nxt[0] - t}"] = r
    return out


def probe_eval(model: nn.Module, cfg: RunConfig, tokens: Tensor | None = None, luts: ByteLUTs | None = None,
               cuts: list[int] | None = None, label: str | None = None, seed: int = 0,
               dtype: torch.dtype = torch.float64) -> ProbeReport:
    """Check C1-C4 for `cfg.eval` on `model` (see the module docstring); CPU, the model converted in place to
    `dtype` (float64: see TOL)."""
    t0 = time.perf_counter()
    V = cfg.model.vocab_size
    tokens = synthetic_tokens(V, seed=seed) if tokens is None else tokens
    luts = unit_bytes(V) if luts is None else luts
    cuts = default_cuts(tokens) if cuts is None else cuts
    model = model.to(device="cpu", dtype=dtype).eval()
    rep = ProbeReport(label or cfg.eval.method)
    base = _evaluate(model, tokens, cfg, luts, set(cuts))
    rep.runs = 1
    N = tokens.numel()
    if base.error:
        c3 = "before it is scored" in base.error
        rep.checks.append(Check("C3 score before update" if c3 else "C4 each target once", False,
                                f"the method's own ScoreBook refused: {base.error}"))
        rep.seconds = time.perf_counter() - t0
        return rep
    o, res = base.obs, base.result
    finite = all(math.isfinite(v) for v in o.nll.values())

    # -- C4 --
    got = sorted(o.nll)
    missing = sorted(set(range(1, N)) - set(got))
    extra = sorted(set(got) - set(range(1, N)))
    ok4 = not o.twice and not missing and not extra and res.val_tokens == N - 1
    rep.checks.append(Check("C4 each target once", ok4,
                            f"{len(got)} positions scored of {N - 1}, result counts {res.val_tokens}"
                            + (f"; twice: {o.twice[:5]}" if o.twice else "") + (f"; missing: {missing[:5]}" if missing
                                                                                 else "")
                            + (f"; outside the split: {extra[:5]}" if extra else "")))
    # -- C2 --
    seen = sum(o.nll.values()) / max(len(o.nll), 1)
    tie = abs(seen - res.val_loss)
    ok2 = o.width_bad is None and o.norm_err < 1e-4 and tie < 1e-5 * max(1.0, abs(res.val_loss)) and finite
    rep.checks.append(Check("C2 normalised distribution", ok2,
                            (f"rows of {o.width_bad} entries, vocabulary {V}; " if o.width_bad is not None else "")
                            + f"max |log sum p| {o.norm_err:.1e} over every scored row; committed val_loss "
                              f"{res.val_loss:.6f} vs mean -log p(target) {seen:.6f}"
                            + ("" if finite else "; non-finite NLL")))
    # -- C3 --
    rep.checks.append(Check("C3 score before update", not o.unscored_handover,
                            f"{o.handovers} adaptation hand-overs, every position scored before"
                            if not o.unscored_handover else
                            f"adaptation saw unscored positions {o.unscored_handover[:5]}"))
    # -- C1 --
    worst = {"content": (0.0, None), "boundary": (0.0, None)}
    future_moved = 0.0
    for k, t in enumerate(cuts):
        for kind, changed in perturbations(tokens, t, seed + 17 * (k + 1)).items():
            r = _evaluate(model, changed, cfg, luts, {t})
            rep.runs += 1
            if r.error:
                d = math.inf
            else:
                d = max((abs(o.nll[p] - r.obs.nll.get(p, math.inf)) for p in range(1, t)), default=0.0)
                if t in o.rows and t in r.obs.rows:
                    d = max(d, float((o.rows[t] - r.obs.rows[t]).abs().max()))
                if kind == "content":
                    future_moved = max(future_moved, max((abs(o.nll[p] - r.obs.nll[p]) for p in range(t + 1, N)),
                                                         default=0.0))
            group = "content" if kind == "content" else "boundary"
            if d > worst[group][0] or (math.isnan(d)):
                worst[group] = (d, f"{kind} at t={t}" + (f" ({r.error})" if r.error else ""))
    for group, what in (("content", "tokens from t on changed"), ("boundary", "a BOS inserted or removed at/after t")):
        d, where = worst[group]
        ok = d <= TOL
        ev = (f"{what}: max change of the NLL before t and of p_t {d:.1e} (tolerance {TOL:.0e}, "
              f"{str(dtype).removeprefix('torch.')}) over cuts {cuts}" + (f"; worst: {where}" if where and not ok else ""))
        if group == "content":
            ev += f"; later scores moved by up to {future_moved:.1e} (the change was seen)"
        rep.checks.append(Check(f"C1 {group}", ok and finite, ev))
    rep.seconds = time.perf_counter() - t0
    return rep


# ----------------------------------------------------------------------------------
# the matrix, and a run's own config
# ----------------------------------------------------------------------------------
def matrix(switches: list[str] | None = None, methods: list[str] | None = None,
           base: RunConfig | None = None, seed: int = 0) -> list[tuple[str, str, ProbeReport]]:
    """(switch, method label, report) for every architecture switch x eval method case (tiny, CPU)."""
    base = base or tiny_config()
    sw = architecture_switches(base)
    cases = method_cases()
    out = []
    for s in switches or list(sw):
        scfg = base.override(sw[s])
        model = random_model(scfg, seed)
        for m in methods or list(cases):
            cfg = scfg.override(cases[m])
            out.append((s, m, probe_eval(model, cfg, label=f"{s} x {m}", seed=seed)))
    return out


def probe_config(cfg: RunConfig) -> tuple[RunConfig, str]:
    """A run's eval config at probe scale, and what was changed.

    Every setting that decides *what* the method does (method, targets, optimizer, a_init, doc_order,
    last_window, phases, temperature, RoPE scaling) is kept; sizes shrink so that several documents,
    batches, chunks and phases fit in a stream of a few hundred tokens on a CPU, and learning rates are
    raised to at least 0.01 so that a leak through adapted state stands above float noise. The probe
    tests structure: its scores are not the run's.
    """
    e = cfg.eval
    L = e.seq_len or cfg.schedule.train_seq_len
    W = min(L, 64)
    ctx_len = min(e.lora.context, 64)
    chunk = max(1, min(e.lora.chunk_tokens, ctx_len // 2))
    over: dict[str, Any] = {
        "device": "cpu", "compile": "off", "eval.time_budget_seconds": 0.0, "eval.batch_tokens": 2048,
        "eval.seq_len": W, "eval.stride": max(1, min(e.stride, W // 4)),
        "eval.sgd.chunk_tokens": min(e.sgd.chunk_tokens, 192), "eval.sgd.lr": max(e.sgd.lr, 0.01),
        "eval.sgd.batch_seqs": min(e.sgd.batch_seqs, 4),
        "eval.lora.context": ctx_len, "eval.lora.chunk_tokens": chunk, "eval.lora.batch_docs": min(e.lora.batch_docs, 4),
        "eval.lora.lr": max(e.lora.lr, 0.01), "eval.lora.rank": min(e.lora.rank, 8),
        "eval.phased.docs": min(e.phased.docs, 4), "eval.phased.phases": min(e.phased.phases, 2),
        "eval.phased.lr": max(e.phased.lr, 0.01), "eval.phased.chunk_tokens": min(e.phased.chunk_tokens, 256),
        "eval.phased.batch_seqs": min(e.phased.batch_seqs, 4),
        "eval.phased.seq_len": min(e.phased.seq_len, 64) if e.phased.seq_len else 0,
    }
    out = cfg.override(over)
    changed = [f"{k}={_show(getattr_dotted(out, k))}" for k in over
               if getattr_dotted(out, k) != getattr_dotted(cfg, k) and not k.startswith(("device", "compile"))]
    return out, ", ".join(changed) or "none"


def getattr_dotted(obj: Any, key: str) -> Any:
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _show(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def probe_artifact(path, cfg: RunConfig | None = None, methods: list[str] | None = None,
                   max_params: int | None = None) -> list[ProbeReport]:
    """The probe on an artifact's own weights, for its eval method (and `methods`), at probe scale.
    Raises GolfkitError for an artifact that cannot be loaded (golfkit.reload)."""
    from golfkit.config import DEFAULT_MAX_PARAMS
    from golfkit.reload import model_from_artifact

    stored, model = model_from_artifact(path, cfg, torch.device("cpu"), max_params or DEFAULT_MAX_PARAMS)
    base = cfg or stored
    reports = []
    for m in dict.fromkeys(methods or [base.eval.method]):
        pcfg, changed = probe_config(base.override({"eval.method": m}))
        span = max(pcfg.eval.lora.context, pcfg.eval.seq_len)
        n = 10 * span
        tokens = synthetic_tokens(pcfg.model.vocab_size, n=n, doc_len=(span // 2, 2 * span))
        rep = probe_eval(model, pcfg, tokens, label=m)
        rep.checks.append(Check("probe scale", True, f"synthetic stream of {n} tokens; changed for the probe: "
                                                     f"{changed}"))
        reports.append(rep)
    return reports


__all__ = ["Check", "ProbeReport", "probe_eval", "probe_artifact", "probe_config", "matrix", "method_cases",
           "architecture_switches", "eval_methods", "tiny_config", "random_model", "synthetic_tokens", "CARRIED"]

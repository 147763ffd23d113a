"""Record eval features against the records' own code: PR #2135's n-gram tilt, the TTT queue logic.

* hints: golfkit/eval/tilt.py against PR #2135's build_hints_for_targets (its online_ngram_tilt.py
  and the C state it compiles, copied to a temporary folder: the fixture folder stays untouched), on
  the CaseOps validation head and on a repetitive synthetic stream (many gated positions, ties);
* the tilted NLL against its apply_tilt_to_ptl_torch_fast, and the whole tilted distribution sums to 1;
* causality: hints (and tilted scores) at positions <= p do not change when tokens after p do;
* TTT shared logic (PR #1855 / #2135): chunk windows (_compute_chunk_window), documents (_find_docs),
  the longest-first queue (_build_ttt_global_batches), phase boundaries;
* CaseOps val_bpb: the record's TTT accounting (its chunks, tilt, sidecar bytes, _accumulate_bpb) on a
  model whose logits depend only on the input token equals golfkit's tilted sliding eval.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from records_harness import Record, data_root, have_record, records_root, val_tokens

from golfkit.eval.tilt import ngram_hints, tilted_logp, tilted_nll

pytestmark = pytest.mark.skipif(not records_root().is_dir(),
                                reason=f"record fixtures not found at {records_root()} (set GOLFKIT_TEST_RECORDS)")

TOKENIZER = "tokenizers/fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model"


def _needs(name: str) -> None:
    if not have_record(name):
        pytest.skip(f"record {name} not in {records_root()}")


@functools.lru_cache(maxsize=None)
def _record(name: str) -> Record:
    return Record.load(name)


@pytest.fixture(scope="module")
def tilt_mod(tmp_path_factory):
    """PR #2135's online_ngram_tilt.py, imported from a temporary copy (it compiles its C helper beside itself)."""
    _needs("pr2135")
    if shutil.which("gcc") is None:
        pytest.skip("the record's n-gram state is C, compiled with gcc")
    d = tmp_path_factory.mktemp("pr2135_tilt")
    for f in ("online_ngram_tilt.py", "online_ngram_state.c"):
        shutil.copy(records_root() / "pr2135" / f, d / f)
    spec = importlib.util.spec_from_file_location("pr2135_online_ngram_tilt", d / "online_ngram_tilt.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _record_hints(tilt_mod, tokens: torch.Tensor):
    h = _record("pr2135").h
    tok = data_root() / TOKENIZER
    if not tok.is_file():
        pytest.skip("CaseOps tokenizer not found (set GOLFKIT_TEST_DATA)")
    return tilt_mod.build_hints_for_targets(
        target_token_ids_np=tokens.numpy().astype("uint16")[1:], tokenizer_path=str(tok), vocab_size=h.vocab_size,
        log0=lambda *a: None, token_order=h.token_order, token_threshold=h.token_threshold, token_boost=h.token_boost,
        within_tau=h.within_tau, within_boost=h.within_boost, word_order=h.word_order,
        word_normalize=h.word_normalize, word_tau=h.word_tau, word_boost=h.word_boost,
        agree_add_boost=h.agree_add_boost)


def _golfkit_hints(tokens: torch.Tensor):
    h = _record("pr2135").h
    return ngram_hints(tokens, h.token_order, h.token_threshold, h.token_boost)


def _synthetic(n: int = 60_000, seed: int = 0) -> torch.Tensor:
    """Random tokens with many repeated spans (phrases recur, sometimes with a different next token)."""
    g = np.random.default_rng(seed)
    phrases = [g.integers(2, 8192, size=g.integers(18, 40)) for _ in range(60)]
    out = [np.array([1])]
    while sum(a.size for a in out) < n:
        r = g.random()
        out.append(phrases[g.integers(len(phrases))] if r < 0.6 else g.integers(2, 8192, size=g.integers(1, 30)))
        if r > 0.97:
            out.append(np.array([1]))  # a BOS now and then
    return torch.from_numpy(np.concatenate(out)[:n].astype(np.int64))


def test_tilt_hints_equal_the_records_on_caseops_val(tilt_mod):
    """The record's run settings: only the token expert fires (within/word thresholds above 1)."""
    toks = val_tokens(8192, 200_000)
    if toks is None:
        pytest.skip("CaseOps validation head not found (set GOLFKIT_TEST_DATA)")
    rec = _record_hints(tilt_mod, toks)
    gk = _golfkit_hints(toks)
    assert np.array_equal(gk.gate[1:].numpy(), rec["gate_mask"])
    assert np.array_equal(gk.hint[1:].numpy(), rec["hint_ids"])
    assert np.array_equal(gk.boost[1:].numpy(), rec["boost"])
    assert gk.gated > 100  # the head has repeated n-grams (boilerplate): the comparison is not vacuous


def test_tilt_hints_equal_the_records_on_a_repetitive_stream(tilt_mod):
    toks = _synthetic()
    rec = _record_hints(tilt_mod, toks)
    gk = _golfkit_hints(toks)
    assert np.array_equal(gk.gate[1:].numpy(), rec["gate_mask"])
    assert np.array_equal(gk.hint[1:].numpy(), rec["hint_ids"])
    assert np.array_equal(gk.boost[1:].numpy(), rec["boost"])
    assert gk.gated > 5_000


def test_tilted_nll_equals_the_records_formula(tilt_mod):
    toks = _synthetic(4_000, seed=1)
    hints = _golfkit_hints(toks)
    n, V = toks.numel() - 1, 8192
    logp = F.log_softmax(torch.randn(n, V, generator=torch.Generator().manual_seed(0)) * 3, -1)
    pos = torch.arange(1, n + 1)
    tgt = toks[1:]
    ours, extra = tilted_nll(logp, tgt, pos, hints)
    ptl = -logp.gather(-1, tgt[:, None]).squeeze(-1)
    h = hints.hint[pos]
    theirs = tilt_mod.apply_tilt_to_ptl_torch_fast(ptl=ptl, log_q_hint=logp.gather(-1, h[:, None]).squeeze(-1),
                                                   target_ids=tgt, hint_ids=h, gate_mask=hints.gate[pos],
                                                   boost=hints.boost[pos])
    assert torch.equal(ours, theirs) and hints.gate[pos].any()
    full = tilted_logp(logp, extra)  # the distribution that is scored: normalised, and it gives the same NLL
    assert torch.allclose(full.exp().sum(-1), torch.ones(n, dtype=torch.float32), atol=1e-5)
    assert torch.allclose(-full.gather(-1, tgt[:, None]).squeeze(-1), ours, atol=1e-5)


def test_tilt_hints_are_causal():
    """Changing tokens after position p changes no hint at a position <= p (the hint of target p reads
    tokens < p only)."""
    toks = _synthetic(20_000, seed=2)
    base = ngram_hints(toks)
    for p in (500, 7_777, 15_000):
        t2 = toks.clone()
        t2[p:] = torch.from_numpy(np.random.default_rng(p).integers(2, 8192, size=toks.numel() - p))
        h2 = ngram_hints(t2)
        assert torch.equal(base.hint[: p + 1], h2.hint[: p + 1]) and torch.equal(base.gate[: p + 1], h2.gate[: p + 1])
        assert not torch.equal(base.gate[p + 1:], h2.gate[p + 1:])  # the future did change something


# ----------------------------------------------------------------------------------
# TTT: the records' queue logic against golfkit's
# ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["pr1801", "pr1855", "pr2135"])
def test_lora_chunk_windows_are_the_records(name):
    """The record preset's window per (document, chunk) = the record's _compute_chunk_window at its settings
    (eval.lora.last_window=doc_end: a last chunk's window ends at the document's end, labelled not C1-legal)."""
    _needs(name)
    from golfkit.eval.ttt import lora_windows
    from golfkit.presets import get_preset

    rec = _record(name)
    h = rec.h
    c = get_preset({"pr1801": "record-1801", "pr1855": "record-1855", "pr2135": "record-2135"}[name]).eval.lora
    assert (c.chunk_tokens, c.context, c.last_window) == (h.ttt_chunk_size, h.ttt_eval_seq_len, "doc_end")
    for doc_len in (2, 47, 48, 49, 1000, 2560, 2561, 5000, 12_345):
        a = 1000  # the document's BOS position in the stream
        pred_len = doc_len - 1  # targets
        n = -(-pred_len // c.chunk_tokens)
        for k in range(n):
            ws, wl, off, cl = rec.mod._compute_chunk_window(k, pred_len, n, h.ttt_chunk_size, h.ttt_eval_seq_len)
            start, length, score_from = lora_windows([(a, a + pred_len)], [0], k, c)[0].tolist()
            assert (start - a, length, score_from) == (ws, wl, off), (doc_len, k)
            assert min(c.chunk_tokens, pred_len - k * c.chunk_tokens) == cl


@pytest.mark.parametrize("name", ["pr1855", "pr2135"])
def test_documents_and_queue_are_the_records(name):
    """Documents split at BOS like _find_docs; batches of ttt_batch_size by length, longest first."""
    _needs(name)
    from golfkit.config import LoRATTTConfig
    from golfkit.dist import DistContext
    from golfkit.eval.ttt import lora_queue
    from golfkit.eval.windows import doc_segments

    rec = _record(name)
    toks = _synthetic(30_000, seed=3)
    toks[0] = 1
    with rec.active():
        docs = rec.mod._find_docs(toks)
        batches = rec.mod._build_ttt_global_batches(list(enumerate(docs)), rec.h)
    segs = doc_segments(toks)
    assert [(a, b - a + 1) for a, b in segs] == docs  # (start, length incl. the next BOS)
    c = LoRATTTConfig(batch_docs=rec.h.ttt_batch_size, chunk_tokens=rec.h.ttt_chunk_size)
    nck, mine = lora_queue(segs, c, DistContext())
    ours = [sorted(b) for b in mine]
    theirs = [sorted(i for i, _ in b) for _, b in batches]
    # the record sorts by length before batching; golfkit by chunk count: the same batches up to ties
    # inside one chunk count, and the same longest-first order of batches
    assert [max(nck[d] for d in b) for b in ours] == [max(nck[d] for d in b) for b in theirs]


@pytest.mark.parametrize("name,docs", [("pr1855", 2500), ("pr2135", 2500), ("pr1855", 2000), ("pr1855", 7)])
def test_phase_boundaries_are_the_records(name, docs):
    """PR #1855 / #2135: boundary p = prefix_docs * p // phases (floor), e.g. [833, 1666, 2500]."""
    _needs(name)
    from golfkit.config import PhasedTTTConfig
    from golfkit.dist import DistContext
    from golfkit.eval.ttt import Phases

    rec = _record(name)
    P = rec.h.phased_ttt_num_phases
    want = [docs * (pi + 1) // P for pi in range(P)]
    got = Phases(PhasedTTTConfig(docs=docs, phases=P), 10 ** 6, 64, DistContext()).bounds
    assert got == sorted(set(want) - {0})


# ----------------------------------------------------------------------------------
# CaseOps val_bpb through the records' TTT accounting, with the tilt
# ----------------------------------------------------------------------------------
class _TokenLM(torch.nn.Module):
    """Logits that depend only on the input token, so that any window plan scores a target the same:
    the comparison is then about which targets are scored, the tilt and the bytes charged."""

    head_adapter = None

    def __init__(self, vocab: int = 8192, dim: int = 16):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.emb = torch.nn.Parameter(torch.randn(vocab, dim, generator=g))
        self.out = torch.nn.Parameter(torch.randn(vocab, dim, generator=g) * 1.5)

    def hidden(self, x):
        return self.emb[x]

    def logits(self, h):
        return h @ self.out.T

    def forward(self, x):
        return self.logits(self.hidden(x))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:CUDA is not available")
def test_caseops_tilted_bpb_equals_the_records_ttt_accounting(tilt_mod):
    """PR #2135's scoring path (documents by _find_docs, chunks by _compute_chunk_window, tilt by
    apply_tilt_to_ptl_torch_fast, bytes from the sidecar by position, sums by _accumulate_bpb) against
    golfkit's sliding eval with eval.tilt on the CaseOps head: same val_loss and val_bpb."""
    from golfkit.config import RunConfig
    from golfkit.data import find_dataset, load_tokenizer, load_val_tokens, val_byte_counts
    from golfkit.dist import DistContext
    from golfkit.eval import evaluate

    rec = _record("pr2135")
    mod, h = rec.mod, rec.h
    try:
        d = find_dataset(data_root(), "sp8192_lossless_caps_caseops_v1_reserved", need_train=False)
    except Exception:
        pytest.skip("CaseOps data not found (set GOLFKIT_TEST_DATA)")
    full = load_val_tokens(d)
    side = val_byte_counts(d, load_tokenizer(d.tokenizer, 8192), 8192, full)
    bos = (full == 1).nonzero().flatten()
    n = int(bos[bos > 20_000][0])  # whole documents: cut the stream at a BOS
    val = full[:n]
    luts = side.__class__(side.counts[:n])
    model = _TokenLM()
    cfg = RunConfig(device="cpu").override({
        "model.vocab_size": 8192, "schedule.train_seq_len": 64, "eval.method": "sliding", "eval.seq_len": 64,
        "eval.stride": 32, "eval.batch_tokens": 4096, "eval.tilt.enabled": True,
        "eval.tilt.order": h.token_order, "eval.tilt.threshold": h.token_threshold, "eval.tilt.boost": h.token_boost})
    with torch.no_grad():
        mine = evaluate(model, val, luts, cfg, DistContext())

    hints = _record_hints(tilt_mod, val)
    hint_g = torch.from_numpy(hints["hint_ids"])
    gate_g = torch.from_numpy(hints["gate_mask"])
    boost_g = torch.from_numpy(hints["boost"])
    sums = [torch.zeros((), dtype=torch.float64) for _ in range(3)]
    zeros = torch.zeros(8192, dtype=torch.int16)
    with rec.active(), torch.no_grad():
        mod.BOS_ID = 1
        for start, L in mod._find_docs(val):
            pred_len = L - 1
            nc = -(-pred_len // h.ttt_chunk_size)
            for ci in range(nc):
                ws, wl, off, cl = mod._compute_chunk_window(ci, pred_len, nc, h.ttt_chunk_size, h.ttt_eval_seq_len)
                a = start + ws
                x, y = val[a: a + wl][None].long(), val[a + 1: a + wl + 1][None].long()
                if y.size(1) < x.size(1):  # the stream's last target: the record pads y with 0 (masked)
                    x = x[:, : y.size(1)]
                logp = torch.log_softmax(model(x).float(), -1)
                ptl = -logp.gather(-1, y[..., None]).squeeze(-1)
                idx = torch.arange(a, a + x.size(1))  # hint index i predicts val[i + 1]
                hint = hint_g[idx][None]
                tilted = tilt_mod.apply_tilt_to_ptl_torch_fast(
                    ptl=ptl, log_q_hint=logp.gather(-1, hint[..., None]).squeeze(-1), target_ids=y, hint_ids=hint,
                    gate_mask=gate_g[idx][None], boost=boost_g[idx][None])
                y_bytes = side.counts[idx + 1][None]
                mod._accumulate_bpb(tilted, x, y, torch.tensor([off]), torch.tensor([cl]), torch.arange(x.size(1)),
                                    zeros, zeros.bool(), zeros.bool(), sums[0], sums[1], sums[2], y_bytes=y_bytes)
        rec_loss, rec_bpb = mod._loss_bpb_from_sums(sums[0], sums[2], sums[1])
    assert int(sums[2]) == mine.val_tokens == n - 1
    assert int(sums[1]) == mine.val_bytes
    assert mine.val_loss == pytest.approx(rec_loss, rel=1e-9)
    assert mine.val_bpb == pytest.approx(rec_bpb, rel=1e-9)
    assert int(gate_g.sum()) > 10

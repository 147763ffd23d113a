"""The causality and normalisation probe (golfkit/causality.py): every architecture switch x every eval method
passes C1-C4, and the probe fails each kind of leak it exists to catch.

The matrix iterates techniques.SWITCHES, the RUN_SWITCHES that change model.*, and every eval.method the
config accepts (plus the carried-state TTT variants), so a switch or method added later is covered here
without editing this file. Tiny random-weight models, a 320-token synthetic stream; CPU.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from golfkit import causality
from golfkit.eval import ttt, windows
from golfkit.model import GPT

BASE = causality.tiny_config()
SWITCHES = list(causality.architecture_switches(BASE))
CASES = list(causality.method_cases())
CHEAP = [m for m in CASES if not m.startswith("ttt")]


@pytest.fixture(scope="module")
def models():
    cache: dict[str, torch.nn.Module] = {}

    def get(switch: str):
        if switch not in cache:
            cache[switch] = causality.random_model(BASE.override(causality.architecture_switches(BASE)[switch]))
        return cache[switch]
    return get


def probe(model, **overrides):
    cfg = BASE.override(overrides)
    return causality.probe_eval(model, cfg)


def assert_passes(rep):
    assert rep.ok, "\n".join(f"{c.name}: {c.evidence}" for c in rep.checks if not c.ok)


def test_the_matrix_covers_every_switch_and_method():
    from golfkit import techniques

    assert set(techniques.SWITCHES) <= set(SWITCHES) and {"deq", "loop_carry", "mod", "seed_lora"} <= set(SWITCHES)
    assert "muon_wd" not in SWITCHES  # optimizer switches do not change the forward
    assert {"flat", "sliding", "doc", "ttt-sgd", "ttt-lora", "ttt-phased"} <= set(CASES)
    assert {"ttt-lora+warm", "ttt-phased+warm"} <= set(CASES)


@pytest.mark.parametrize("method", CASES)
def test_baseline_passes_every_method(models, method):
    rep = causality.probe_eval(models("baseline"), BASE.override(causality.method_cases()[method]))
    assert_passes(rep)
    assert len([c for c in rep.checks if c.name.startswith("C1")]) == 2 and rep.runs >= 8
    content = next(c for c in rep.checks if c.name == "C1 content")
    moved = float(content.evidence.split("moved by up to ")[1].split(" ")[0])
    assert moved > 1e-2  # the changed future really changed later scores: the check could fail


@pytest.mark.parametrize("switch", SWITCHES)
def test_every_switch_passes_the_window_methods(models, switch):
    for m in CHEAP:
        assert_passes(causality.probe_eval(models(switch), BASE.override(causality.method_cases()[m]),
                                           label=f"{switch} x {m}"))


@pytest.mark.slow
@pytest.mark.parametrize("switch", [s for s in SWITCHES if s != "baseline"])
def test_every_switch_passes_the_ttt_methods(models, switch):
    for m in (m for m in CASES if m.startswith("ttt")):
        assert_passes(causality.probe_eval(models(switch), BASE.override(causality.method_cases()[m]),
                                           label=f"{switch} x {m}"))


# ---------------------------------------------------------------------------------- the probe can fail
def test_longest_first_with_carried_state_fails_and_is_labelled(models, capsys):
    for method in ("ttt-lora+warm", "ttt-phased"):
        over = {**causality.method_cases()[method], "eval.lora.doc_order": "longest_first"}
        rep = probe(models("baseline"), **over)
        assert not rep.ok and "C1 content" in rep.failed(), rep.summary()
        assert "WARNING not_c1_legal: eval.lora.doc_order=longest_first" in capsys.readouterr().err
        assert ttt.stream_causal(BASE.override(over).eval)
    # without carried state, a document depends on itself only: any order keeps C1 (PR #1530's argument)
    rep = probe(models("baseline"), **{"eval.method": "ttt-lora", "eval.lora.doc_order": "longest_first"})
    assert_passes(rep)
    assert not ttt.stream_causal(BASE.override({"eval.method": "ttt-lora", "eval.lora.doc_order": "longest_first"}).eval)


def test_the_default_queue_is_the_stream():
    from golfkit.config import RunConfig

    assert RunConfig().eval.lora.doc_order == "stream" and RunConfig().eval.lora.last_window == "chunk"
    from golfkit.presets import get_preset

    for name in ("record-1801", "record-1855", "record-2135"):  # the records' own queue and windows, labelled
        e = get_preset(name).eval
        assert e.lora.doc_order == "longest_first" and "not C1-legal" in ttt.stream_causal(e)
        assert e.lora.last_window == "doc_end" and "eval.lora.last_window=doc_end" in ttt.stream_causal(e)


@pytest.mark.parametrize("method", ["ttt-lora", "ttt-phased"])
def test_the_records_last_window_fails_c1_and_is_labelled(models, capsys, method):
    """eval.lora.last_window=doc_end (the records' _compute_chunk_window, PR #1855/#2135): a moved BOS moves
    the last chunk's window; the probe sees it, and the score carries the label."""
    over = {"eval.method": method, "eval.lora.last_window": "doc_end"}
    rep = probe(models("baseline"), **over)
    assert rep.failed() == ["C1 boundary"], rep.summary()
    assert "WARNING not_c1_legal: eval.lora.last_window=doc_end" in capsys.readouterr().err
    assert "not C1-legal" in ttt.stream_causal(BASE.override(over).eval)


def _old_lora_windows(segs, docs, k, c):
    """The pre-fix window: the last chunk's window started at the document's end minus the context."""
    rows = []
    for d in docs:
        a, b = segs[d]
        lo = a + k * c.chunk_tokens
        hi = min(lo + c.chunk_tokens, b)
        start = max(a, hi - c.context)
        rows.append((start, hi - start, lo - start))
    return torch.tensor(rows, dtype=torch.int64)


@pytest.mark.parametrize("method", ["doc", "ttt-lora", "ttt-phased"])
def test_a_document_boundary_lookahead_fails_c1(models, monkeypatch, method):
    """The windows before this change (right-aligned to the document's end) fail; the content check alone
    would not have seen it: only a moved BOS does."""
    monkeypatch.setattr(windows, "prefix_windows", windows.plan_windows)
    monkeypatch.setattr(ttt, "lora_windows", _old_lora_windows)
    rep = probe(models("baseline"), **{"eval.method": method})
    assert rep.failed() == ["C1 boundary"], rep.summary()


def test_phase_boundaries_do_not_read_the_document_count(models, monkeypatch):
    """eval.phased.docs above the split's document count: the phases used to be placed at fractions of
    min(docs, document count), a statistic of the whole split; a removed BOS after t moved them."""
    over = {"eval.method": "ttt-phased", "eval.phased.docs": 12, "eval.phased.phases": 3, "eval.lora.batch_docs": 2}
    assert_passes(probe(models("baseline"), **over))
    real = ttt.Phases.__init__

    def clamped(self, p, n_docs, S, ctx, clock=None):
        from dataclasses import replace

        real(self, replace(p, docs=min(p.docs, n_docs)), n_docs, S, ctx, clock)

    monkeypatch.setattr(ttt.Phases, "__init__", clamped)
    rep = probe(models("baseline"), **over)
    assert rep.failed() == ["C1 boundary"], rep.summary()


def test_a_model_that_reads_the_future_fails_c1(models, monkeypatch):
    real = GPT.hidden

    def leaky(self, ids):
        h = real(self, ids)
        return h + 0.1 * h.flip(1).cumsum(1).flip(1) / h.size(1)  # a suffix sum: every position sees later ones
    monkeypatch.setattr(GPT, "hidden", leaky)
    monkeypatch.setattr(GPT, "forward", lambda self, ids, tgt=None: self.logits(self.hidden(ids)))
    for m in ("flat", "sliding"):
        rep = probe(models("baseline"), **{"eval.method": m})
        assert "C1 content" in rep.failed(), rep.summary()


def test_an_unnormalised_score_fails_c2(models, monkeypatch):
    from golfkit.eval import score

    real = score.F.log_softmax
    monkeypatch.setattr(score.F, "log_softmax", lambda z, dim: real(z, dim) + 0.05)  # sums to e^0.05
    rep = probe(models("baseline"), **{"eval.method": "sliding"})
    assert rep.failed() == ["C2 normalised distribution"], rep.summary()


def test_rescoring_after_an_update_fails_c1_and_c4(models, monkeypatch):
    """A driver that scores a chunk, adapts on it, then scores it again for the record (the PR #991 pattern
    that issue #1017 rules out): the second score saw its own target; the target is scored twice."""
    from golfkit.eval.score import ScoreBook

    def rescoring(n, score, adapt, book, clock, watch=None):
        for i in range(n):
            with torch.inference_mode():
                sc = score(i, ScoreBook(book.acc.luts, book.acc.sums.device, book.scored.numel()))
            adapt(i, sc.detached())
            with torch.inference_mode():
                score(i, book)

    monkeypatch.setattr(ttt, "score_then_adapt", rescoring)
    rep = probe(models("baseline"), **{"eval.method": "ttt-sgd"})
    assert {"C1 content", "C4 each target once"} <= set(rep.failed()), rep.summary()


def test_adaptation_on_unscored_tokens_fails_c3(models, monkeypatch):
    """The probe's own ledger (independent of the method's ScoreBook) sees a hand-over of unscored positions;
    and the ScoreBook's refusal, when a driver skips the commit, is reported as C3."""
    real = ttt.score_then_adapt

    def peeking(n, score, adapt, book, clock, watch=None):
        def watch_ahead(pos):
            watch(torch.cat([pos, pos.max() + torch.arange(1, 9)]))  # reads 8 tokens past what it scored
        return real(n, score, adapt, book, clock, watch_ahead)

    monkeypatch.setattr(ttt, "score_then_adapt", peeking)
    rep = probe(models("baseline"), **{"eval.method": "ttt-lora"})
    assert rep.failed() == ["C3 score before update"], rep.summary()
    monkeypatch.setattr(ttt, "score_then_adapt", real)
    monkeypatch.setattr("golfkit.eval.score.ScoreBook.commit", lambda self, nll, prev, tgt, pos: None)
    rep = probe(models("baseline"), **{"eval.method": "ttt-sgd"})
    assert rep.failed() == ["C3 score before update"] and "ScoreBook refused" in rep.checks[0].evidence


def test_prefix_windows_do_not_depend_on_the_documents_end():
    rng = np.random.default_rng(0)
    for _ in range(300):
        L = int(rng.integers(1, 40))
        s, n = int(rng.integers(1, L + 1)), int(rng.integers(1, 300))
        w = windows.prefix_windows(n, L, s)
        got = sorted(a + j for a, ln, f in w.tolist() for j in range(f, ln))
        assert got == list(range(n))  # every target once
        longer = windows.prefix_windows(n + int(rng.integers(1, 60)), L, s)
        for (a, _, f), (b, _, g) in zip(w.tolist(), longer.tolist()):
            assert (a, f) == (b, g)  # the same windows, the last one cut where the document ends
        assert (w[1:, 2] >= L - s).all()  # at least L - s context for every later window


def test_probe_config_keeps_what_the_method_does_and_shrinks_sizes():
    from golfkit.presets import get_preset

    cfg = get_preset("record-2135")
    pcfg, changed = causality.probe_config(cfg)
    keep = ("method", "lora.targets", "lora.optimizer", "lora.a_init", "lora.doc_order", "lora.last_window",
            "temperature")
    for k in keep:
        assert causality.getattr_dotted(pcfg.eval, k) == causality.getattr_dotted(cfg.eval, k), k
    assert pcfg.eval.lora.context <= 64 and pcfg.eval.lora.chunk_tokens <= 32 and "eval.lora.context=64" in changed

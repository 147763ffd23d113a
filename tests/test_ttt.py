"""Score-first TTT: the driver's ordering, LoRA hooks, and the acceptance checks of issue #5."""

from __future__ import annotations

import pytest
import torch

from eval_helpers import CTX, perturb_after, run, tiny_cfg, tiny_luts, tiny_model, tiny_tokens
from golfkit.errors import GolfkitError
from golfkit.eval.score import Clock, ScoreBook
from golfkit.eval.ttt import Scored, score_then_adapt
from golfkit.eval.ttt_lora import BatchedLoRA, LoRASet

MODES = {  # mode -> (overrides with adaptation on, the same with zero adaptation, the plain eval it must equal)
    "ttt-sgd": ({"eval.method": "ttt-sgd"}, {"eval.method": "ttt-sgd", "eval.sgd.epochs": 0},
                {"eval.method": "sliding"}),
    "ttt-lora": ({"eval.method": "ttt-lora"}, {"eval.method": "ttt-lora", "eval.lora.steps_per_chunk": 0},
                 {"eval.method": "doc", "eval.seq_len": 32, "eval.stride": 16}),
    "ttt-lora-warm": ({"eval.method": "ttt-lora", "eval.lora.a_init": "warm", "eval.lora.doc_order": "stream",
                       "eval.lora.targets": "k,o,mlp,head", "eval.lora.alpha": 16.0, "eval.lora.optimizer": "adamw",
                       "eval.lora.weight_decay": 0.5}, None, None),
    # swapp1990#2's init: A and B small normals per document, so a document starts near the base model
    "ttt-lora-normal": ({"eval.method": "ttt-lora", "eval.lora.init": "normal"}, None, None),
    "ttt-phased": ({"eval.method": "ttt-phased", "eval.lora.doc_order": "stream"},
                   {"eval.method": "ttt-phased", "eval.lora.steps_per_chunk": 0, "eval.phased.epochs": 0},
                   {"eval.method": "doc", "eval.seq_len": 32, "eval.stride": 16}),
}


def test_zero_lora_leaves_the_forward_unchanged():
    model, x = tiny_model(), torch.randint(0, 64, (3, 20))
    ref = model(x)
    lora = LoRASet(model, ["q", "k", "v", "o", "mlp", "head"], batch=3, rank=4, alpha=8.0)
    lora.attach()
    assert torch.equal(model(x), ref)  # B = 0: same module path, bit-identical (pitfall 6.5)
    with torch.no_grad():
        lora.adapters()[0].B.normal_()
    assert not torch.equal(model(x), ref)
    lora.detach()
    assert torch.equal(model(x), ref)


def test_normal_init_is_drawn_per_document():
    """eval.lora.init=normal (swapp1990#2): A ~ N(0, 0.01^2), B ~ N(0, 0.001^2), the same draws for a document
    whatever batch slot it lands in, so its score does not depend on its neighbours."""
    model = tiny_model()
    lora = LoRASet(model, ["q", "v"], batch=2, rank=4, alpha=4.0, init=("normal", 0.01, 0.001))
    lora.reset([5, 9])
    first = [(a.A[1].clone(), a.B[1].clone()) for a in lora.adapters()]
    lora.reset([9, 5])
    for (a0, b0), ad in zip(first, lora.adapters()):
        assert torch.equal(ad.A[0], a0) and torch.equal(ad.B[0], b0)
    A = torch.cat([ad.A.flatten() for ad in lora.adapters()])
    B = torch.cat([ad.B.flatten() for ad in lora.adapters()])
    assert 0.008 < A.std().item() < 0.012 and 0.0008 < B.std().item() < 0.0012
    with pytest.raises(GolfkitError, match="a_init=reset"):
        run(model, tiny_tokens(), tiny_cfg(**{"eval.method": "ttt-lora", "eval.lora.init": "normal",
                                              "eval.lora.a_init": "warm"}))


def test_batched_lora_rows_are_independent():
    ad = BatchedLoRA(batch=4, in_features=8, out_features=5, rank=2, alpha=0.0)
    with torch.no_grad():
        ad.B.normal_()
    ad.rows = torch.tensor([3, 1])
    x = torch.randn(2, 7, 8)
    out = ad(x)
    assert out.shape == (2, 7, 5)
    assert torch.allclose(out[0], x[0] @ ad.A[3].T @ ad.B[3].T, atol=1e-6)
    out[0].sum().backward()  # row 0's loss touches only adapter row 3
    assert ad.B.grad[3].abs().sum() > 0 and ad.B.grad[[0, 1, 2]].abs().sum() == 0
    with pytest.raises(ValueError):
        ad(torch.randn(3, 7, 8))


@pytest.mark.parametrize("mode", ["ttt-sgd", "ttt-lora", "ttt-phased"])
def test_zero_adaptation_equals_plain_eval(mode):
    _, zero, plain = MODES[mode]
    tokens, model = tiny_tokens(), tiny_model()
    r0, _, _ = run(model, tokens, tiny_cfg(**zero))
    rp, _, _ = run(model, tokens, tiny_cfg(**plain))
    assert abs(r0.val_bpb - rp.val_bpb) < 1e-6 and r0.val_bytes == rp.val_bytes


@pytest.mark.parametrize("mode", list(MODES))
def test_causality_trap_with_adaptation(mode):
    """Tokens after t never change a score at <= t; adaptation is on and does change later scores."""
    on, zero, _ = MODES[mode]
    tokens, model = tiny_tokens(), tiny_model()
    cfg = tiny_cfg(**on)
    res, a, rows = run(model, tokens, cfg)
    assert sorted(a) == list(range(1, tokens.numel())) and res.val_tokens == tokens.numel() - 1  # exactly once
    for r in rows:  # a normalized distribution over the whole vocabulary
        assert torch.allclose(r.exp().sum(-1), torch.ones(r.size(0), dtype=r.dtype), atol=1e-5)
    if zero is not None:
        _, z, _ = run(model, tokens, tiny_cfg(**zero))
        assert max(abs(a[p] - z[p]) for p in a) > 1e-3  # the adaptation really ran
    t = 250
    _, b, _ = run(model, perturb_after(tokens, t), cfg)
    diff = max(abs(a[p] - b[p]) for p in range(1, t + 1))
    assert diff < 1e-5, (mode, diff)


def test_lora_longest_first_is_stream_causal_per_document():
    # With adapters reset per batch, a document depends only on itself, whatever the queue order.
    tokens, model = tiny_tokens(), tiny_model()
    cfg = tiny_cfg(**{"eval.method": "ttt-lora", "eval.lora.doc_order": "longest_first"})
    _, a, _ = run(model, tokens, cfg)
    _, b, _ = run(model, perturb_after(tokens, 200), cfg)
    assert max(abs(a[p] - b[p]) for p in range(1, 201)) < 1e-5


def _book(n=50):
    return ScoreBook(tiny_luts(), CTX.device, n), Clock(0, "warn", "test", CTX.device)


def test_driver_refuses_to_adapt_on_unscored_tokens():
    book, clock = _book()
    pos = torch.arange(1, 11)[None]
    ones = torch.ones_like(pos, dtype=torch.bool)

    def score(i, book):  # "forgets" to commit: the hand-over is not scored
        return Scored(torch.zeros_like(pos), torch.zeros_like(pos), ones, pos, ones)

    with pytest.raises(AssertionError, match="before it is scored"):
        score_then_adapt(2, score, lambda i, sc: None, book, clock)


def test_book_refuses_double_scoring_and_incomplete_splits():
    book, _ = _book()
    pos = torch.arange(1, 6)
    y = torch.full((5,), 5)
    book.commit(torch.ones(5), y, y, pos)
    with pytest.raises(AssertionError, match="twice"):
        book.commit(torch.ones(1), y[:1], y[:1], pos[2:3])
    with pytest.raises(AssertionError, match="targets"):
        book.result(1.0)


def test_driver_adapts_after_scoring_and_never_after_the_last_chunk():
    book, clock = _book(30)
    events = []

    def score(i, book):
        pos = torch.arange(10 * i + 1, 10 * i + 11)[None][:, : 29 - 10 * i]
        ones = torch.ones_like(pos, dtype=torch.bool)
        book.commit(torch.ones(pos.numel()), pos[0], pos[0], pos[0])
        events.append(("score", i, torch.is_inference_mode_enabled()))
        return Scored(pos, pos, ones, pos, ones)

    score_then_adapt(3, score, lambda i, sc: events.append(("adapt", i, torch.is_inference_mode_enabled())), book, clock)
    assert events == [("score", 0, True), ("adapt", 0, False), ("score", 1, True), ("adapt", 1, False),
                      ("score", 2, True)]


def test_bad_ttt_settings_are_user_errors():
    with pytest.raises(GolfkitError, match="chunk_tokens <= context"):
        run(tiny_model(), tiny_tokens(), tiny_cfg(**{"eval.method": "ttt-lora", "eval.lora.chunk_tokens": 64}))
    with pytest.raises(GolfkitError, match="freeze_blocks"):
        run(tiny_model(), tiny_tokens(), tiny_cfg(**{"eval.method": "ttt-sgd", "eval.sgd.freeze_blocks": 3}))


def test_phased_warns_when_no_phase_can_fire(capsys):
    """Phases fire at batch ends: one batch holding every document never reaches one (notebook 03's first run)."""
    tokens, model = tiny_tokens(), tiny_model()
    on = {"eval.method": "ttt-phased", "eval.lora.doc_order": "stream"}
    r_fire, _, _ = run(model, tokens, tiny_cfg(**on))  # batches of 4 docs, bounds at 3 and 6 docs
    assert "WARNING ttt-phased" not in capsys.readouterr().err
    r_none, _, _ = run(model, tokens, tiny_cfg(**on, **{"eval.lora.batch_docs": 64}))
    assert "phase(s) never ran" in capsys.readouterr().err
    r_lora, _, _ = run(model, tokens, tiny_cfg(**{**on, "eval.method": "ttt-lora", "eval.lora.batch_docs": 64}))
    assert r_none.val_bpb == pytest.approx(r_lora.val_bpb, abs=1e-7)  # what the warning is about

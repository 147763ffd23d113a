"""Sliding-window, document-isolated, temperature and NTK evaluation (issue #5)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import torch

from eval_helpers import CTX, perturb_after, run, tiny_cfg, tiny_luts, tiny_model, tiny_tokens
from golfkit.errors import GolfkitError
from golfkit.eval import evaluate, evaluate_flat
from golfkit.eval.windows import doc_segments, doc_windows, plan_windows, rope_scaled


def scored_targets(wins: np.ndarray) -> list[int]:
    """Target indices (0-based, relative to the plan) each window scores."""
    out = []
    for start, length, frm in wins.tolist():
        out += [start + j for j in range(frm, length)]
    return out


def test_plan_windows_scores_every_target_exactly_once():
    rng = random.Random(0)
    for _ in range(400):
        n, L = rng.randint(1, 600), rng.randint(1, 80)
        s = rng.randint(1, L)
        wins = plan_windows(n, L, s)
        assert sorted(scored_targets(wins)) == list(range(n)), (n, L, s)
        assert (wins[:, 1] <= L).all() and (wins[:, 0] >= 0).all() and (wins[:, 0] + wins[:, 1] <= n).all()
        later = wins[1:]  # every later window gives its scored targets >= L - s context
        assert (later[:, 2] >= L - s).all() or n <= L


def test_tail_is_not_double_counted():
    # pitfall 6.3: `range(0, T, stride) if min(ws+L, T) - ws >= 1` re-scores the tail; ours must not.
    n, L, s = 1000, 256, 64
    buggy = min(L, n) + sum(min(min(ws + L, n) - ws, s) for ws in range(s, n, s))  # last s of each
    assert buggy == 1192
    assert len(scored_targets(plan_windows(n, L, s))) == n


def test_doc_segments_and_windows_cover_the_stream():
    rng = random.Random(1)
    for trial in range(50):
        n = rng.randint(2, 400)
        t = torch.randint(2, 50, (n,), dtype=torch.int32)
        for p in rng.sample(range(n), rng.randint(0, 12)):
            t[p] = 1
        segs = doc_segments(t)
        L = rng.randint(1, 40)
        wins = doc_windows(segs, L, rng.randint(1, L))
        pos = [p + 1 for p in scored_targets(wins)]
        assert sorted(pos) == list(range(1, n)), trial
        for start, length, _ in wins.tolist():  # no window's inputs contain a BOS except at its start
            inner = t[start + 1: start + length]
            assert not (inner == 1).any()


@pytest.mark.parametrize("method,extra", [("sliding", {}), ("doc", {}), ("flat", {"eval.temperature": 0.9}),
                                          ("sliding", {"eval.seq_len": 48, "eval.rope_scaling": "ntk"})])
def test_exactly_once_and_normalized(method, extra):
    tokens = tiny_tokens()
    res, nll, rows = run(tiny_model(), tokens, tiny_cfg(**{"eval.method": method, **extra}))
    assert sorted(nll) == list(range(1, tokens.numel())) and res.val_tokens == tokens.numel() - 1
    for r in rows:
        assert torch.allclose(r.exp().sum(-1), torch.ones(r.size(0), dtype=r.dtype), atol=1e-5)


@pytest.mark.parametrize("method", ["sliding", "doc"])
def test_causality_trap(method):
    tokens, model = tiny_tokens(), tiny_model()
    cfg = tiny_cfg(**{"eval.method": method})
    _, a, _ = run(model, tokens, cfg)
    for t in (50, 333):
        _, b, _ = run(model, perturb_after(tokens, t), cfg)
        diff = max(abs(a[p] - b[p]) for p in range(1, t + 1))
        assert diff < 1e-5, (t, diff)
        assert max(abs(a[p] - b[p]) for p in range(t + 1, tokens.numel())) > 1e-3  # the trap can spring


def test_doc_context_never_crosses_a_bos():
    tokens, model = tiny_tokens(), tiny_model()
    cfg = tiny_cfg(**{"eval.method": "doc"})
    segs = doc_segments(tokens)
    a0, b0 = segs[2]
    changed = tokens.clone()
    changed[a0 + 1: b0] = torch.randint(2, 64, (b0 - a0 - 1,), dtype=changed.dtype)  # doc 2's body, BOS kept
    _, a, _ = run(model, tokens, cfg)
    _, b, _ = run(model, changed, cfg)
    outside = [p for p in a if not a0 < p <= b0]
    assert max(abs(a[p] - b[p]) for p in outside) < 1e-6
    # the plain sliding window does carry doc 2 into doc 3's context
    _, c, _ = run(model, tokens, tiny_cfg(**{"eval.method": "sliding"}))
    _, d, _ = run(model, changed, tiny_cfg(**{"eval.method": "sliding"}))
    assert max(abs(c[p] - d[p]) for p in outside) > 1e-4


def test_stride_equal_window_is_the_flat_eval():
    tokens = tiny_tokens(n=32 * 20 + 1)  # no tail: both plans are the same sequences
    model, cfg = tiny_model(), tiny_cfg(**{"eval.method": "sliding", "eval.stride": 32})
    flat = evaluate_flat(model, tokens, tiny_luts(), 32, 512, CTX)
    res, _, _ = run(model, tokens, cfg)
    assert abs(res.val_bpb - flat.val_bpb) < 1e-9 and res.val_bytes == flat.val_bytes
    plain = evaluate(model, tokens, tiny_luts(), tiny_cfg(), CTX)  # method flat = evaluate_flat
    assert plain.val_bpb == flat.val_bpb and plain.method == "flat"


def test_temperature_changes_scores_and_is_checked():
    tokens, model = tiny_tokens(), tiny_model()
    r1, _, _ = run(model, tokens, tiny_cfg(**{"eval.method": "sliding"}))
    r2, _, _ = run(model, tokens, tiny_cfg(**{"eval.method": "sliding", "eval.temperature": 1.3}))
    assert abs(r1.val_bpb - r2.val_bpb) > 1e-3
    with pytest.raises(GolfkitError, match="temperature"):
        run(model, tokens, tiny_cfg(**{"eval.method": "sliding", "eval.temperature": 0.0}))


def test_ntk_rope_scale_formula_and_restore():
    model = tiny_model()
    rot = model.blocks[0].attn.rotary
    before = rot.inv_freq.clone()
    d = rot.dim
    with rope_scaled(model, 2.0):
        base = rot.base * 2.0 ** (d / (d - 2))
        expect = 1.0 / base ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
        assert torch.allclose(rot.inv_freq, expect)
    assert torch.equal(rot.inv_freq, before)
    with rope_scaled(model, 1.0):
        assert torch.equal(rot.inv_freq, before)  # off = exactly the trained tables
    tokens = tiny_tokens()
    r_ntk, _, _ = run(model, tokens, tiny_cfg(**{"eval.method": "sliding", "eval.seq_len": 64, "eval.rope_scaling": "ntk"}))
    r_raw, _, _ = run(model, tokens, tiny_cfg(**{"eval.method": "sliding", "eval.seq_len": 64}))
    assert r_ntk.val_bpb != r_raw.val_bpb


def test_time_budget_warns_or_stops():
    tokens, model = tiny_tokens(), tiny_model()
    r, _, _ = run(model, tokens, tiny_cfg(**{"eval.method": "sliding", "eval.time_budget_seconds": 1e-9}))
    assert r.over_budget and r.eval_seconds > 0
    with pytest.raises(GolfkitError, match="time budget"):
        run(model, tokens, tiny_cfg(**{"eval.method": "doc", "eval.time_budget_seconds": 1e-9,
                                       "eval.over_budget": "stop"}))


def test_bad_window_is_a_user_error():
    with pytest.raises(GolfkitError, match="stride"):
        run(tiny_model(), tiny_tokens(), tiny_cfg(**{"eval.method": "sliding", "eval.stride": 33}))


def test_sliding_beats_flat_on_a_trained_model(smoke_run, data_dir):
    from golfkit.data import build_byte_luts, find_dataset, load_tokenizer, load_val_tokens
    from golfkit.reload import model_from_artifact

    run_dir, _ = smoke_run
    cfg, model = model_from_artifact(run_dir / "final_model.int8.golf")
    ds = find_dataset(data_dir, cfg.data.variant, cfg.data.tokenizer, need_train=False)
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size)
    val = load_val_tokens(ds)[: 65_537]  # a prefix keeps the test fast
    flat = evaluate(model, val, luts, cfg, CTX)
    sl = evaluate(model, val, luts, cfg.override({"eval.method": "sliding", "eval.stride": 32}), CTX)
    print(f"smoke model, 65,536 val targets: flat {flat.val_bpb:.4f} sliding(128/32) {sl.val_bpb:.4f}")
    assert sl.val_tokens == flat.val_tokens and sl.val_bytes == flat.val_bytes
    assert sl.val_bpb < flat.val_bpb


def test_cli_eval_method(smoke_run):
    from conftest import golfkit_cli

    run_dir, metrics = smoke_run
    r = golfkit_cli("eval", "--artifact", str(run_dir / "final_model.int8.golf"), "--method", "sliding",
                    "--set", "eval.stride=64", "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["method"] == "sliding" and res["val_tokens"] == metrics["val_tokens"]
    bad = golfkit_cli("eval", "--artifact", str(run_dir / "final_model.int8.golf"), "--method", "sliding",
                      "--set", "eval.stride=0")
    assert bad.returncode == 2 and "stride" in bad.stderr and "Traceback" not in bad.stderr

"""Evaluation methods side by side, and the legality checks made visible (notebook 03).

    rows = eval_methods.compare_methods(artifact, data_dir, {"flat": {}, "sliding": {"eval.stride": 64}, ...})
    checks = eval_methods.legality_checks(artifact, data_dir)

Every method is `golfkit.eval.evaluate` with `eval.method` and its knobs set by dotted-key
overrides; the model is rebuilt from the artifact on disk for each method, so a TTT method
cannot leak its adapted weights into the next row. The legality checks call the guards the
methods themselves run through (`score.ScoreBook`, `score.Scorer`, `ttt.score_then_adapt` in
golfkit.eval) and record whether each forbidden action was refused (the four conditions of
openai/parameter-golf issue #1017: causality, a full normalized distribution, score before
update, a single pass).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch



def _setup(artifact_path: str | Path, data_dir: str | Path, overrides: dict[str, Any], device: str | None = None):
    from golfkit import dist
    from golfkit.data import build_byte_luts, find_dataset, load_tokenizer, load_val_tokens
    from golfkit.reload import model_from_artifact

    cfg, _ = model_from_artifact(artifact_path)
    # a challenge-scale run scores on its GPU; the legality demonstration stays on the CPU (small tensors)
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    cfg = cfg.override({"data.dir": str(data_dir), "device": device.type, **overrides})
    _, model = model_from_artifact(artifact_path, cfg)
    ds = find_dataset(cfg.data.dir, cfg.data.variant, cfg.data.tokenizer, need_train=False)
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size).to(device)
    ctx = dist.DistContext(rank=0, world_size=1, local_rank=0, device=device)
    return cfg, model.to(device).eval(), load_val_tokens(ds), luts, ctx


def evaluate_with(artifact_path: str | Path, data_dir: str | Path, overrides: dict[str, Any], probe=None):
    """(cfg, EvalResult) of the artifact under the eval overrides (e.g. {"eval.method": "sliding"})."""
    from golfkit.eval import evaluate

    cfg, model, val, luts, ctx = _setup(artifact_path, data_dir, overrides)
    return cfg, evaluate(model, val, luts, cfg, ctx, probe=probe)


def compare_methods(artifact_path: str | Path, data_dir: str | Path,
                    methods: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per named method: val_bpb, val_loss, eval seconds, and the gain over the first row."""
    rows = []
    for name, ov in methods.items():
        cfg, res = evaluate_with(artifact_path, data_dir, ov)
        rows.append({"method": name, "eval.method": cfg.eval.method, "val_bpb": res.val_bpb, "val_loss": res.val_loss,
                     "eval seconds": res.eval_seconds, "targets scored": res.val_tokens})
    for r in rows:
        r["gain vs first (bpb)"] = rows[0]["val_bpb"] - r["val_bpb"]
    return rows


def legality_checks(artifact_path: str | Path, data_dir: str | Path) -> list[dict[str, Any]]:
    """Each forbidden action, attempted against the real guards; `refused` must be True for all but the probe."""
    from golfkit.eval.score import ScoreBook

    cfg, model, val, luts, ctx = _setup(artifact_path, data_dir, {"eval.method": "sliding"}, device="cpu")
    n = 64
    book = ScoreBook(luts, ctx.device, n)
    pos = torch.arange(1, 9)
    book.commit(torch.ones(8), val[pos - 1].long(), val[pos].long(), pos)
    rows = [
        _attempt("score a target twice (single pass)",
                 lambda: book.commit(torch.ones(1), val[3:4].long(), val[4:5].long(), torch.tensor([4]))),
        _attempt("adapt on a target not yet scored (score before update)",
                 lambda: book.require_scored(torch.tensor([9, 10]))),
        _attempt("adapt only on scored targets (allowed)", lambda: book.require_scored(pos), expect_refusal=False),
    ]
    sums = []

    def probe(logp, positions, tgt):
        sums.append(float((logp.exp().sum(-1) - 1).abs().max()))

    small = val[: 2 * cfg.schedule.train_seq_len + 1]
    from golfkit.eval import evaluate

    evaluate(model, small, luts, cfg, ctx, probe=probe)
    rows.append({"check": "every scored distribution sums to 1 over the full vocabulary",
                 "refused": None, "detail": f"max |sum p - 1| = {max(sums):.2e} over {len(sums)} batches",
                 "ok": max(sums) < 1e-3})
    return rows


def _attempt(what: str, fn, expect_refusal: bool = True) -> dict[str, Any]:
    try:
        fn()
    except Exception as e:  # the guards raise AssertionError: the bug class they exist to stop
        return {"check": what, "refused": True, "detail": f"{type(e).__name__}: {e}", "ok": expect_refusal}
    return {"check": what, "refused": False, "detail": "accepted", "ok": not expect_refusal}


def plot_methods(comparisons: list[dict[str, Any]], seconds: dict[str, float], margin: float | None = None):
    """Left: each method's val_loss difference vs the first (mean ± 95% interval, bars from zero);
    right: mean evaluation seconds per method (bars from zero)."""
    import matplotlib.pyplot as plt

    from golfkit.lab.pages import plot_differences

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 0.8 + 0.5 * max(len(comparisons), 2)),
                                 gridspec_kw={"width_ratios": [3, 2], "wspace": 0.8})
    plot_differences(comparisons, "nats", margin, ax=a1)
    names = list(seconds)
    a2.barh(names, [seconds[n] for n in names], color="C7")
    a2.invert_yaxis()
    a2.set_xlabel("eval seconds (mean over seeds)")
    return fig

"""Quantization error through depth: per-virtual-layer hidden-state error and val_bpb gaps (notebooks 02, 04).

    cfg, model = quant_depth.load_float(train_dir)                 # checkpoint.golf (schedule.save_checkpoint)
    H = quant_depth.hessians(model, cfg, data_dir)                   # GPTQ calibration on *training* shards
    qm, qts = quant_depth.quantized(model, cfg, bits=6, method="gptq", hessians=H)
    errs = quant_depth.layer_errors(model, qm, tokens)              # ||h_q - h|| / ||h|| per virtual position

The question (PR #363, NR 03-21): weights shared across loop passes carry the *same*
quantization error into every pass, so the error of the residual stream may grow with each
pass instead of once per layer. `layer_errors` measures it directly: both models run the same
inputs, and the residual stream is recorded after every virtual position (every call of
`GPT.run_block`, loop passes included, after the recurrent carry).

Quantization goes through the export pipeline's own code (`golfkit.quant.policy.quantize_policy`,
per-row int<bits> with the percentile clip, RTN or GPTQ), so what is measured here is what an
artifact with that policy would hold. Only attention and MLP matrices change format. `analyze`
keeps the embedding in fp16 (its error would enter every layer through x0 and mask the growth
through the blocks); `format_sweep` (notebook 04) keeps the baseline's int8 embedding.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from golfkit.config import QuantConfig, RunConfig, TensorPolicy

CHECKPOINT = "checkpoint.golf"


def load_float(train_dir: str | Path) -> tuple[RunConfig, Any]:
    """The trained full-precision model of a run folder (needs schedule.save_checkpoint=true)."""
    from golfkit.errors import GolfkitError
    from golfkit.reload import model_from_artifact

    path = Path(train_dir) / CHECKPOINT
    if not path.is_file():
        raise GolfkitError(f"{path} not found: train with --set schedule.save_checkpoint=true")
    cfg, model = model_from_artifact(path)
    return cfg, model.eval()


def policy(bits: int, method: str = "rtn", embedding_bits: int = 8, clip: str = "percentile",
           all_matrices: bool = True) -> QuantConfig:
    """A quant.scheme=policy config: attention + MLP at `bits` by `method`, the embedding at `embedding_bits`.

    all_matrices: quantize every matrix. The export keeps float tensors of <= 65,536 elements in
    fp16 (the baseline's rule), which at cpu-small width (d=256) leaves all of attention in fp16.
    """
    q = QuantConfig(scheme="policy", passthrough_max_numel=0 if all_matrices else 65_536)
    q.attention = TensorPolicy(bits=bits, method=method, clip=clip)
    q.mlp = TensorPolicy(bits=bits, method=method, clip=clip)
    # embedding_bits=0 keeps the embedding in fp16, so only the block matrices carry quantization error
    q.embedding = TensorPolicy(bits=embedding_bits) if embedding_bits else TensorPolicy(format="fp16")
    return q


def hessians(model, cfg: RunConfig, data_dir: str | Path, n_batches: int = 8, batch_tokens: int = 0) -> dict[str, Tensor]:
    """GPTQ Hessians from the start of the training stream (never validation data: golfkit.quant.calib)."""
    from golfkit.data import find_dataset
    from golfkit.quant import calib, gptq

    ds = find_dataset(data_dir, cfg.data.variant, cfg.data.tokenizer)
    seq = cfg.schedule.train_seq_len
    bt = batch_tokens or 8 * seq
    batches = calib.train_batches(ds.train_files, n_batches, bt, seq, torch.device("cpu"))
    return gptq.collect_hessians(model, batches)


def quantized(model, cfg: RunConfig, bits: int, method: str = "rtn", hessians: dict[str, Tensor] | None = None,
              embedding_bits: int = 8, all_matrices: bool = True) -> tuple[Any, list]:
    """A copy of `model` holding the dequantized weights of a `bits`-bit export, and the stored tensors."""
    from golfkit import quant
    from golfkit.quant.policy import quantize_policy

    q = policy(bits, method, embedding_bits, all_matrices=all_matrices)
    sd = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    qts = quantize_policy(model, sd, q, hessians or {})
    qm = copy.deepcopy(model)
    qm.load_state_dict(quant.dequantize(qts), strict=True)
    return qm.eval(), qts


@torch.no_grad()
def trace(model, tokens: Tensor) -> list[Tensor]:
    """The residual stream after every virtual position (loop passes included), for input ids `tokens`."""
    states: list[Tensor] = []
    original = model.run_block

    def recording(*args, **kwargs):
        out = original(*args, **kwargs)
        states.append(out.detach().float().clone())
        return out

    model.run_block = recording  # instance attribute: GPT.hidden_aux calls self.run_block
    try:
        model.hidden(tokens)
    finally:
        del model.run_block
    return states


def layer_errors(float_model, q_model, tokens: Tensor) -> list[float]:
    """Relative error ||h_q - h|| / ||h|| of the residual stream after each virtual position."""
    ref, got = trace(float_model, tokens), trace(q_model, tokens)
    return [float((g - r).norm() / r.norm().clamp_min(1e-12)) for r, g in zip(ref, got)]


def weight_errors(model, qts: list) -> float:
    """Mean relative weight error ||W_q - W|| / ||W|| over the quantized matrices (the input error)."""
    from golfkit import quant

    sd = model.state_dict()
    restored = quant.dequantize(qts)
    errs = [float((restored[qt.name].float() - sd[qt.name].float()).norm() / sd[qt.name].float().norm().clamp_min(1e-12))
            for qt in qts if qt.format.startswith("int") and qt.meta.get("family") in ("attention", "mlp")]
    return sum(errs) / max(len(errs), 1)


def val_tokens(data_dir: str | Path, cfg: RunConfig, n_seqs: int = 8) -> Tensor:
    """The first `n_seqs` validation sequences as a batch of input ids (analysis only, never training)."""
    from golfkit.data import find_dataset, load_val_tokens

    ds = find_dataset(data_dir, cfg.data.variant, cfg.data.tokenizer, need_train=False)
    seq = cfg.schedule.train_seq_len
    toks = load_val_tokens(ds)[: n_seqs * seq].long()
    return toks.view(-1, seq)


def score(model, cfg: RunConfig, data_dir: str | Path) -> dict[str, float]:
    """val_loss / val_bpb of `model` on the whole validation split (flat, as the training roundtrip)."""
    from golfkit import dist
    from golfkit.data import build_byte_luts, find_dataset, load_tokenizer, load_val_tokens
    from golfkit.eval import evaluate_flat

    ds = find_dataset(data_dir, cfg.data.variant, cfg.data.tokenizer, need_train=False)
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size)
    ctx = dist.DistContext(rank=0, world_size=1, local_rank=0, device=torch.device("cpu"))
    res = evaluate_flat(model, load_val_tokens(ds), luts, cfg.schedule.train_seq_len, cfg.eval.batch_tokens, ctx)
    return {"val_loss": res.val_loss, "val_bpb": res.val_bpb, "eval_seconds": res.eval_seconds}


def pass_ends(cfg: RunConfig) -> list[int]:
    """Virtual positions (0-based) where each loop pass over the band ends; [] without recurrence."""
    m = cfg.model
    if m.num_loops <= 0:
        return []
    band = m.loop_end - m.loop_start + 1
    return [m.loop_start + band * (p + 1) - 1 for p in range(m.num_loops + 1)]


# ----------------------------------------------------------------------------------
# one trained run, every format; summaries and plots for the notebook
# ----------------------------------------------------------------------------------
def analyze(result: dict[str, Any], data_dir: str | Path, bits: list[int], methods: list[str],
            n_seqs: int = 8, calib_batches: int = 8) -> list[dict[str, Any]]:
    """Per format: hidden-state errors per virtual position, weight error, quantized val_bpb and its gap.

    `result` is a workbook training result (its folder must hold checkpoint.golf).
    """
    cfg, model = load_float(result["dir"])
    toks = val_tokens(data_dir, cfg, n_seqs)
    H = hessians(model, cfg, data_dir, calib_batches) if "gptq" in methods else {}
    rows = []
    for b in bits:
        for method in methods:
            qm, qts = quantized(model, cfg, b, method, H, embedding_bits=0)
            sc = score(qm, cfg, data_dir)
            errs = layer_errors(model, qm, toks)
            rows.append({"variant": result["name"], "seed": result["seed"], "bits": b, "method": method,
                         "virtual_layers": len(errs), "physical_layers": cfg.model.num_layers,
                         "params": result.get("model_params"), "weight_error": weight_errors(model, qts),
                         "layer_errors": errs, "pass_ends": pass_ends(cfg),
                         "float_val_bpb": result["pre_quant_val_bpb"], "q_val_bpb": sc["val_bpb"],
                         "gap_bpb": sc["val_bpb"] - result["pre_quant_val_bpb"]})
    return rows


def summary_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mean over seeds per (variant, bits, method): output error, amplification, val_bpb gap."""
    from golfkit.lab import stats

    keys = list(dict.fromkeys((r["variant"], r["bits"], r["method"]) for r in rows))
    out = []
    for v, b, m in keys:
        rs = [r for r in rows if (r["variant"], r["bits"], r["method"]) == (v, b, m)]
        gap = stats.summarize([r["gap_bpb"] for r in rs])
        out.append({"variant": v, "bits": b, "method": m, "seeds": len(rs), "virtual layers": rs[0]["virtual_layers"],
                    "weight rel err": _mean(r["weight_error"] for r in rs),
                    "first-layer rel err": _mean(r["layer_errors"][0] for r in rs),
                    "output rel err": _mean(r["layer_errors"][-1] for r in rs),
                    "output / weight err": _mean(r["layer_errors"][-1] / max(r["weight_error"], 1e-12) for r in rs),
                    "output / first-layer": _mean(r["layer_errors"][-1] / max(r["layer_errors"][0], 1e-12) for r in rs),
                    "gap val_bpb": gap.mean, "gap std": gap.std})
    return out


def pass_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Looped runs only: the hidden-state error at the end of each loop pass, mean over seeds."""
    out = []
    for v, b, m in dict.fromkeys((r["variant"], r["bits"], r["method"]) for r in rows if r["pass_ends"]):
        rs = [r for r in rows if (r["variant"], r["bits"], r["method"]) == (v, b, m)]
        row = {"variant": v, "bits": b, "method": m}
        for i, pos in enumerate(rs[0]["pass_ends"]):
            row[f"pass {i + 1}"] = _mean(r["layer_errors"][pos] for r in rs)
        out.append(row)
    return out


def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / max(len(xs), 1)


def plot_layer_errors(rows: list[dict[str, Any]], method: str = "rtn", ax=None):
    """Relative hidden-state error after each virtual position; one panel line per variant and bit width."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4))
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    bits = sorted({r["bits"] for r in rows}, reverse=True)
    styles = ["-", "--", ":", "-."]
    for vi, v in enumerate(variants):
        for bi, b in enumerate(bits):
            rs = [r for r in rows if r["variant"] == v and r["bits"] == b and r["method"] == method]
            if not rs:
                continue
            n = len(rs[0]["layer_errors"])
            mean = [_mean(r["layer_errors"][i] for r in rs) for i in range(n)]
            ax.plot(range(1, n + 1), mean, styles[bi % 4], color=f"C{vi}", marker="o", ms=3, label=f"{v} int{b}")
    ax.set_yscale("log")
    ax.set_xlabel("virtual layer (loop passes unrolled)")
    ax.set_ylabel("relative hidden-state error")
    ax.set_title(f"quantization error through depth ({method.upper()})")
    ax.legend(fontsize=7, ncol=2)
    return fig


def plot_gaps(summary: list[dict[str, Any]], ax=None):
    """val_bpb gap (quantized - float) per variant, grouped by format."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4))
    fmts = list(dict.fromkeys(f"int{r['bits']} {r['method']}" for r in summary))
    variants = list(dict.fromkeys(r["variant"] for r in summary))
    width = 0.8 / max(len(variants), 1)
    for vi, v in enumerate(variants):
        ys = [next((r["gap val_bpb"] for r in summary if r["variant"] == v and f"int{r['bits']} {r['method']}" == f),
                   float("nan")) for f in fmts]
        ax.bar([i + vi * width for i in range(len(fmts))], ys, width, color=f"C{vi}", label=v)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(fmts))], fmts, rotation=30)
    ax.set_ylabel("val_bpb gap (quantized - float)")
    ax.legend(fontsize=8)
    return fig


# ----------------------------------------------------------------------------------
# notebook 04: formats x methods x compressors -> bytes and val_bpb
# ----------------------------------------------------------------------------------
def artifact_bytes(qts: list, cfg: RunConfig, compressor: str) -> int:
    """Size of the artifact file these tensors would make with `compressor` (golfkit.artifact.pack)."""
    from golfkit import artifact

    return len(artifact.pack(artifact.Artifact(qts, cfg.to_dict(), {}, compressor)))


def available_compressors(names: list[str]) -> list[str]:
    """The names whose codec is installed (zstd and brotli are optional extras)."""
    from golfkit.compress import get_codec

    ok = []
    for n in names:
        try:
            get_codec(n)
            ok.append(n)
        except Exception:  # GolfkitError: the optional package is missing
            continue
    return ok


def format_sweep(result: dict[str, Any], data_dir: str | Path, bits: list[int], methods: list[str],
                 compressors: list[str], calib_batches: int = 8) -> list[dict[str, Any]]:
    """One row per (bits, method, compressor): artifact bytes, quantized val_bpb and its gap.

    Quantization follows the export rule (small matrices stay fp16), so bytes are an artifact's.
    """
    cfg, model = load_float(result["dir"])
    H = hessians(model, cfg, data_dir, calib_batches) if "gptq" in methods else {}
    rows = []
    for b in bits:
        for method in methods:
            qm, qts = quantized(model, cfg, b, method, H, all_matrices=False)
            sc = score(qm, cfg, data_dir)
            for comp in compressors:
                nbytes = artifact_bytes(qts, cfg, comp)
                rows.append({"seed": result["seed"], "format": f"int{b} {method}", "bits": b, "method": method,
                             "compressor": comp, "model bytes": nbytes,
                             "total bytes": nbytes + result["bytes_code"], "val_bpb": sc["val_bpb"],
                             "gap vs float": sc["val_bpb"] - result["pre_quant_val_bpb"]})
    return rows


def plot_frontier(rows: list[dict[str, Any]], ax=None):
    """Model bytes vs val_bpb, one point per format (its smallest compressor), mean over seeds."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4.2))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    for mi, m in enumerate(methods):
        pts = []
        for b in sorted({r["bits"] for r in rows if r["method"] == m}):
            rs = [r for r in rows if r["method"] == m and r["bits"] == b]
            best = min(_mean(r["model bytes"] for r in rs if r["compressor"] == c) for c in {r["compressor"] for r in rs})
            pts.append((best, _mean(r["val_bpb"] for r in rs), b))
        ax.plot([x for x, _, _ in pts], [y for _, y, _ in pts], "o-", color=f"C{mi}", label=m.upper())
        for x, y, b in pts:
            ax.annotate(f"int{b}", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("model bytes (best compressor)")
    ax.set_ylabel("val_bpb after quantization")
    ax.set_title("size vs val_bpb frontier")
    ax.legend()
    return fig


def budget_fit(rows: list[dict[str, Any]], result: dict[str, Any], compressor: str,
               budget_bytes: int = 16_000_000) -> list[dict[str, Any]]:
    """Per format: measured model bytes per parameter, and the parameters that would fit the budget."""
    out = []
    for x in rows:
        if x["seed"] == result["seed"] and x["compressor"] == compressor:
            per = x["model bytes"] / result["model_params"]
            out.append({"format": x["format"], "bytes/param": per,
                        "params that fit": int((budget_bytes - result["bytes_code"]) / per)})
    return out

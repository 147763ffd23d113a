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
    device = _device()
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size).to(device)
    ctx = dist.DistContext(rank=0, world_size=1, local_rank=0, device=device)
    model.to(device)
    try:
        res = evaluate_flat(model, load_val_tokens(ds), luts, cfg.schedule.train_seq_len, cfg.eval.batch_tokens, ctx)
    finally:
        model.to("cpu")
    return {"val_loss": res.val_loss, "val_bpb": res.val_bpb, "eval_seconds": res.eval_seconds}


def _device() -> torch.device:
    """The analysis scores on CUDA when the machine has it (a challenge-scale run), else on the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


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
# PR #363 (NR 03-21, DepthRecurrence_MixedPrecisionQuant), its README: a 512x512 weight applied through
# 3 cycles took the per-weight error 0.133 -> 119.6 (int8), "~900x"; measured on 8xH100 with int8 on the
# shared blocks, the val_bpb gap over 3 seeds averaged 0.369, and Noisy QAT collapsed it to 0.002.
PR363 = {"amplification": 119.6 / 0.133, "cycles": 3, "int8_gap_bpb": 0.369, "noisy_qat_gap_bpb": 0.002}


def recurrence_variants(num_layers: int = 4, noise_bits: int = 6) -> dict[str, dict[str, Any]]:
    """Notebook 02's trained models, as config overrides on a preset.

    flat: `num_layers` blocks; looped: the same physical blocks, stem 1 + core (num_layers - 2) re-run
    3 times + tail 1 (NR 03-21's middle cycle); looped_noisyqat: the same with uniform noise of one
    int<noise_bits> step on the core blocks (PR #363's Noisy QAT); core3x3 / core2x5: full recurrence,
    3 unique blocks x 3 passes and 2 x 5 (PR #363's comparison).
    """
    loop = {"model.num_layers": num_layers, "model.loop_start": 1, "model.loop_end": num_layers - 2,
            "model.num_loops": 2, "model.enable_looping_at": 0.0}
    return {
        "flat": {"model.num_layers": num_layers},
        "looped": dict(loop),
        "looped_noisyqat": {**loop, "quant.scheme": "policy", "quant.attention.bits": noise_bits,
                            "quant.mlp.bits": noise_bits, "quant.qat": "noisy",
                            "quant.qat_layers": list(range(1, num_layers - 1))},
        "core3x3": {"model.num_layers": 3, "model.loop_start": 0, "model.loop_end": 2, "model.num_loops": 2,
                    "model.enable_looping_at": 0.0},
        "core2x5": {"model.num_layers": 2, "model.loop_start": 0, "model.loop_end": 1, "model.num_loops": 4,
                    "model.enable_looping_at": 0.0},
    }


def analyze(result: dict[str, Any], data_dir: str | Path, bits: list[int], methods: list[str],
            n_seqs: int = 8, calib_batches: int = 8) -> list[dict[str, Any]]:
    """Per format: hidden-state errors per virtual position, weight error, quantized val loss/bpb and the gaps.

    `result` is a workbook training result (its folder must hold checkpoint.golf).
    """
    import time

    t0 = time.monotonic()
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
                         "gap_bpb": sc["val_bpb"] - result["pre_quant_val_bpb"],
                         "float_val_loss": result["pre_quant_val_loss"], "q_val_loss": sc["val_loss"],
                         "gap_loss": sc["val_loss"] - result["pre_quant_val_loss"]})
    print(f"analysed {result['name']} seed {result['seed']}: {len(rows)} formats in {time.monotonic() - t0:.0f} s",
          flush=True)
    return rows


def growth(row: dict[str, Any]) -> dict[str, float]:
    """How one model's error grows through depth.

    output/first: error after the last virtual layer over the error after the first;
    output/weight: over the relative weight error that caused it (PR #363's "amplification" compares
    a per-weight error with the error it becomes); last pass/first pass (looped models): the error at
    the end of the last loop pass over the end of the first; per pass: its geometric mean per pass.
    """
    e = row["layer_errors"]
    out = {"output/first": e[-1] / max(e[0], 1e-12), "output/weight": e[-1] / max(row["weight_error"], 1e-12)}
    ends = row["pass_ends"]
    if ends:
        first, last = e[ends[0]], e[ends[-1]]
        out["last pass/first pass"] = last / max(first, 1e-12)
        out["per pass"] = out["last pass/first pass"] ** (1.0 / max(len(ends) - 1, 1))
    return out


def summary_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per (variant, bits, method), over seeds: errors, growth factors (mean ± 95% interval), val gaps."""
    from golfkit.lab import stats

    keys = list(dict.fromkeys((r["variant"], r["bits"], r["method"]) for r in rows))
    out = []
    for v, b, m in keys:
        rs = [r for r in rows if (r["variant"], r["bits"], r["method"]) == (v, b, m)]
        g = [growth(r) for r in rs]
        gap, gap_loss = stats.summarize([r["gap_bpb"] for r in rs]), stats.summarize([r["gap_loss"] for r in rs])
        row = {"variant": v, "bits": b, "method": m, "seeds": len(rs), "virtual layers": rs[0]["virtual_layers"],
               "weight rel err": _mean(r["weight_error"] for r in rs),
               "first-layer rel err": _mean(r["layer_errors"][0] for r in rs),
               "output rel err": _mean(r["layer_errors"][-1] for r in rs)}
        for k in ("output/first", "output/weight", "last pass/first pass", "per pass"):
            vals = [x[k] for x in g if k in x]
            if vals:
                sk = stats.summarize(vals)
                row[k], row[f"{k} ±"] = sk.mean, sk.ci95
        row.update({"gap val_bpb": gap.mean, "gap val_bpb ±": gap.ci95, "gap val_loss": gap_loss.mean,
                    "gap val_loss ±": gap_loss.ci95, "gap values": [r["gap_bpb"] for r in rs]})
        out.append(row)
    return out


def pass_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Looped runs only: the hidden-state error at the end of each loop pass, mean over seeds (± 95% interval)."""
    from golfkit.lab import stats

    out = []
    for v, b, m in dict.fromkeys((r["variant"], r["bits"], r["method"]) for r in rows if r["pass_ends"]):
        rs = [r for r in rows if (r["variant"], r["bits"], r["method"]) == (v, b, m)]
        row = {"variant": v, "bits": b, "method": m}
        for i, pos in enumerate(rs[0]["pass_ends"]):
            sm = stats.summarize([r["layer_errors"][pos] for r in rs])
            row[f"pass {i + 1}"], row[f"pass {i + 1} ±"] = sm.mean, sm.ci95
        out.append(row)
    return out


def layer_rows(rows: list[dict[str, Any]], bits: int) -> list[dict[str, Any]]:
    """The relative hidden-state error after every virtual layer at one bit width, mean over seeds."""
    out = []
    for v, m in dict.fromkeys((r["variant"], r["method"]) for r in rows if r["bits"] == bits):
        rs = [r for r in rows if (r["variant"], r["bits"], r["method"]) == (v, bits, m)]
        row: dict[str, Any] = {"variant": v, "format": f"int{bits} {m.upper()}"}
        for i in range(len(rs[0]["layer_errors"])):
            mark = " end" if i in rs[0]["pass_ends"] else ""
            row[f"L{i + 1}{mark}"] = _mean(r["layer_errors"][i] for r in rs)
        out.append(row)
    return out


def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / max(len(xs), 1)


def gap_results(rows: list[dict[str, Any]], bits: int, method: str) -> list[dict[str, Any]]:
    """One format's quantization gaps as workbook-style results (name, seed, val_loss, val_bpb = the gaps),
    for `golfkit.lab.findings.compare` (e.g. Noisy QAT's gap against the plain looped model's)."""
    return [{"name": r["variant"], "seed": r["seed"], "val_loss": r["gap_loss"], "val_bpb": r["gap_bpb"]}
            for r in rows if r["bits"] == bits and r["method"] == method]


def direction(mean: float, ci: float) -> str:
    """'grows' / 'shrinks' when the 95% interval of a ratio excludes 1, else 'no clear change'."""
    if ci != ci:  # one seed: no interval
        return "grows" if mean > 1 else "shrinks"
    if mean - ci > 1:
        return "grows"
    if mean + ci < 1:
        return "shrinks"
    return "no clear change"


def amplification_sentences(summary: list[dict[str, Any]], bits: list[int], methods: list[str]) -> list[str]:
    """Per variant and format: how the relative hidden-state error grows through passes (looped) or layers (flat)."""
    out = []
    for r in summary:
        if r["bits"] not in bits or r["method"] not in methods:
            continue
        ci = lambda k: f" ± {r[k + ' ±']:.2f}" if r.get(k + " ±") == r.get(k + " ±") else ""  # noqa: E731
        if "last pass/first pass" in r:
            k = "last pass/first pass"
            out.append(f"{r['variant']} int{r['bits']} {r['method'].upper()}: the error at the end of the last loop pass is "
                       f"{r[k]:.2f}{ci(k)} times the error at the end of the first ({direction(r[k], r[k + ' ±'])}); "
                       f"final error / weight error {r['output/weight']:.2f}{ci('output/weight')}.")
        else:
            k = "output/first"
            out.append(f"{r['variant']} int{r['bits']} {r['method'].upper()}: the error after the last layer is "
                       f"{r[k]:.2f}{ci(k)} times the error after the first ({direction(r[k], r[k + ' ±'])}); "
                       f"final error / weight error {r['output/weight']:.2f}{ci('output/weight')}.")
    return out


def pr363_sentence(summary: list[dict[str, Any]], looped: str = "looped", noisy: str = "looped_noisyqat") -> tuple[dict, str]:
    """This run's numbers set against PR #363's (its ~900x amplification, its 0.37 -> 0.002 bpb int8 gap)."""
    pick = lambda v, b, m: next((r for r in summary if (r["variant"], r["bits"], r["method"]) == (v, b, m)), None)  # noqa: E731
    loops = [r for r in summary if "last pass/first pass" in r]
    worst = max(loops, key=lambda r: r["last pass/first pass"]) if loops else None
    a8, n8 = pick(looped, 8, "rtn"), pick(noisy, 8, "rtn")
    info = {"pr363": PR363, "largest_pass_growth": worst and {k: worst[k] for k in ("variant", "bits", "method",
                                                                                    "last pass/first pass")},
            "looped_int8_gap_bpb": a8 and a8["gap val_bpb"], "noisy_int8_gap_bpb": n8 and n8["gap val_bpb"]}
    text = (f"Against PR #363: it reports the error amplified about {PR363['amplification']:.0f}x through "
            f"{PR363['cycles']} cycles and an "
            f"int8 gap of {PR363['int8_gap_bpb']:.3f} bpb that Noisy QAT cut to {PR363['noisy_qat_gap_bpb']:.3f}. ")
    if worst:
        text += (f"Here the largest growth from the first to the last loop pass is {worst['last pass/first pass']:.2f}x "
                 f"({worst['variant']} int{worst['bits']} {worst['method'].upper()}). ")
    if a8:
        text += f"The looped model's int8 RTN gap is {a8['gap val_bpb']:.4f} bpb"
        text += f" and with Noisy QAT {n8['gap val_bpb']:.4f} bpb." if n8 else "."
    return info, text


def plot_layer_errors(rows: list[dict[str, Any]], method: str = "rtn", bits: int | None = None, ax=None):
    """Relative hidden-state error after each virtual layer, mean over seeds with a 95% band; loop-pass ends marked."""
    import matplotlib.pyplot as plt

    from golfkit.lab import stats

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4))
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    all_bits = sorted({r["bits"] for r in rows}, reverse=True) if bits is None else [bits]
    styles = ["-", "--", ":", "-."]
    for vi, v in enumerate(variants):
        for bi, b in enumerate(all_bits):
            rs = [r for r in rows if r["variant"] == v and r["bits"] == b and r["method"] == method]
            if not rs:
                continue
            n = len(rs[0]["layer_errors"])
            sm = [stats.summarize([r["layer_errors"][i] for r in rs]) for i in range(n)]
            mean = [x.mean for x in sm]
            ci = [x.ci95 if x.ci95 == x.ci95 else 0.0 for x in sm]
            xs = list(range(1, n + 1))
            ax.plot(xs, mean, styles[bi % 4], color=f"C{vi % 10}", marker="o", ms=3, label=f"{v} int{b}")
            ax.fill_between(xs, [max(m - c, 1e-9) for m, c in zip(mean, ci)], [m + c for m, c in zip(mean, ci)],
                            color=f"C{vi % 10}", alpha=0.15)
            ends = rs[0]["pass_ends"]
            ax.plot([e + 1 for e in ends], [mean[e] for e in ends], "s", color=f"C{vi % 10}", ms=6, mfc="none")
    ax.set_yscale("log")
    ax.set_xlabel("virtual layer (loop passes unrolled; squares: end of a loop pass)")
    ax.set_ylabel("relative hidden-state error")
    ax.set_title(f"quantization error through depth ({method.upper()}), mean ± 95% interval over seeds")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return fig


def plot_gaps(summary: list[dict[str, Any]], key: str = "gap val_bpb", ax=None):
    """Quantized minus float val_bpb per variant, grouped by format: bars from zero, 95% intervals over seeds."""
    import matplotlib.pyplot as plt

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(8, 4))
    fmts = list(dict.fromkeys(f"int{r['bits']} {r['method']}" for r in summary))
    variants = list(dict.fromkeys(r["variant"] for r in summary))
    width = 0.8 / max(len(variants), 1)
    for vi, v in enumerate(variants):
        pick = [next((r for r in summary if r["variant"] == v and f"int{r['bits']} {r['method']}" == f), None)
                for f in fmts]
        ys = [r[key] if r else float("nan") for r in pick]
        es = [r[f"{key} ±"] if r and r[f"{key} ±"] == r[f"{key} ±"] else 0.0 for r in pick]
        ax.bar([i + vi * width for i in range(len(fmts))], ys, width, yerr=es, capsize=2, color=f"C{vi % 10}",
               label=v)
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(fmts))], fmts, rotation=30)
    ax.set_ylabel(f"{key} (quantized - float), mean ± 95% interval")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
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

    Every attention and MLP matrix is stored at `bits` (the embedding at int8, as the records keep it):
    the export's default keeps float tensors of <= 65,536 elements in fp16, which at CPU widths would
    leave every block matrix unquantized. Bytes are those of the artifact file these tensors make.
    """
    cfg, model = load_float(result["dir"])
    H = hessians(model, cfg, data_dir, calib_batches) if "gptq" in methods else {}
    rows = []
    for b in bits:
        for method in methods:
            qm, qts = quantized(model, cfg, b, method, H, all_matrices=True)
            sc = score(qm, cfg, data_dir)
            for comp in compressors:
                nbytes = artifact_bytes(qts, cfg, comp)
                rows.append({"seed": result["seed"], "format": f"int{b} {method}", "bits": b, "method": method,
                             "compressor": comp, "model bytes": nbytes,
                             "total bytes": nbytes + result["bytes_code"], "val_bpb": sc["val_bpb"],
                             "val_loss": sc["val_loss"], "gap vs float": sc["val_bpb"] - result["pre_quant_val_bpb"],
                             "gap val_loss": sc["val_loss"] - result["pre_quant_val_loss"]})
    return rows


def plot_frontier(rows: list[dict[str, Any]], ax=None):
    """Model bytes vs val_bpb, one point per format (its smallest compressor): mean ± 95% interval over seeds."""
    import matplotlib.pyplot as plt

    from golfkit.lab import stats

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4.2))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    for mi, m in enumerate(methods):
        pts = []
        for b in sorted({r["bits"] for r in rows if r["method"] == m}):
            rs = [r for r in rows if r["method"] == m and r["bits"] == b]
            best = min(_mean(r["model bytes"] for r in rs if r["compressor"] == c) for c in {r["compressor"] for r in rs})
            sm = stats.summarize([r["val_bpb"] for r in rs if r["compressor"] == rs[0]["compressor"]])
            pts.append((best, sm.mean, sm.ci95 if sm.ci95 == sm.ci95 else 0.0, b))
        ax.errorbar([x for x, *_ in pts], [y for _, y, _, _ in pts], yerr=[e for *_, e, _ in pts], fmt="o-",
                    color=f"C{mi}", capsize=3, label=m.upper())
        for x, y, _, b in pts:
            ax.annotate(f"int{b}", (x, y), textcoords="offset points", xytext=(4, 4 + 8 * mi), fontsize=8)
    ax.ticklabel_format(useOffset=False)
    ax.set_xlabel("model bytes (best compressor)")
    ax.set_ylabel("val_bpb after quantization (mean ± 95% interval)")
    ax.set_title("size vs val_bpb frontier")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return fig

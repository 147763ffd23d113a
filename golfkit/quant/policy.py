"""The export pipeline: policy routing -> (calibration, GPTQ) -> LQER -> compressor -> +-1 pruning -> artifact.

    quant.scheme = "int8"   the baseline's export, byte for byte (golfkit/quant/int8.py)
    quant.scheme = "policy" each tensor by its family (GPT.tensor_family) and that family's TensorPolicy:
        non-float -> raw; control -> fp32; <= passthrough_max_numel elements -> fp16;
        else the family's format: fp16/fp32, or int<bits> per row/group by RTN or GPTQ with its clip rule.

Every stored tensor names its format and bits in the artifact header, so reloading needs
no config (golfkit.quant.int8.dequantize). `golfkit.quant.export_artifact` sends every
non-baseline quant config here (compressors, byte shuffle, QAT-trained int8 included).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from golfkit import artifact, compress, dist
from golfkit.artifact import QTensor
from golfkit.config import QuantConfig, TensorPolicy
from golfkit.errors import GolfkitError
from golfkit.quant import formats, gptq, int8
from golfkit.quant.formats import families, label, needs_hessian
from golfkit.quant.report import REPORT_NAME, build_report

def check_config(cfg) -> None:
    """Mistakes a user can make in the quant section, caught before training starts."""
    q, s = cfg.quant, cfg.schedule
    for fam, pol in families(q).items():
        if pol.format == "int":
            formats.qmax_for(pol.bits)  # raises for bits outside 2..8
        if q.scheme == "policy" and needs_hessian(pol) and q.calib == "none":
            raise GolfkitError(f"quant.{fam} uses {pol.method}/{pol.clip}, which needs a Hessian: "
                               f"set quant.calib=train or quant.calib=selfgen")
    if q.calib == "train" and s.max_wallclock_seconds > 0 and s.wallclock_reserve_seconds <= 0:
        raise GolfkitError("quant.calib=train reads training data after the loop: it must happen inside "
                           "schedule.wallclock_reserve_seconds (set it > 0, e.g. 4), or use quant.calib=selfgen")
    if q.compressor == "pergroup":
        compress._lrzip_exe()  # refuse before training, not at export: the lrzip program is missing
    bad = sorted(set(q.prune_families) - set(families(q)))
    if bad:
        raise GolfkitError(f"quant.prune_families has unknown family '{bad[0]}' (known: {', '.join(families(q))})")


def is_gate(name: str, t: Tensor) -> bool:
    """The attention-output gate of PR #1855's int8 route: a 2-D `gate_w` of 32..8192 elements."""
    return name.endswith(".gate_w") and t.ndim == 2 and 32 <= t.numel() <= 8192


def baseline_int8(pol: TensorPolicy) -> bool:
    """A family the baseline's int8 rows can store as it is: int8, per row, percentile RTN at its percentile."""
    return (pol.format == "int" and pol.bits == 8 and pol.group_size == 0 and pol.method == "rtn"
            and pol.clip == "percentile" and abs(pol.clip_percentile - int8.INT8_CLIP_Q) < 1e-12)


# ----------------------------------------------------------------------------------
# one matrix, one state dict
# ----------------------------------------------------------------------------------
def quantize_matrix(name: str, t: Tensor, pol: TensorPolicy, q: QuantConfig, h: Tensor | None) -> QTensor:
    """int<bits> per row/group by RTN or GPTQ; GPTQ + "search" scores each candidate clip by GPTQ's MSE (rec 03-25)."""
    w = t.detach().float().to(h.device if h is not None else "cpu")  # GPTQ runs where the Hessian is (CUDA)
    group = pol.group_size if formats.group_ok(w.shape[1], pol.group_size) else 0
    kw = dict(q=pol.clip_percentile, k=pol.clip_sigmas, lam=pol.hsd_lambda,
              h_diag=torch.diag(h) if h is not None else None, floor=q.scale_floor,
              unbiased=q.sdclip_std == "unbiased")
    if pol.method == "rtn" or h is None:
        qt = formats.quantize_rtn(name, t, pol.bits, group, pol.clip, **kw)
        if pol.method == "gptq":
            qt.meta["note"] = "no Hessian for this tensor: round-to-nearest"
        return qt
    gopts = dict(damp=q.gptq_damp, block=q.gptq_block, act_order=q.gptq_act_order)
    if q.gptq_damp_twice:  # PR #1290: damped once when collected, again inside GPTQ
        h = gptq.damp_hessian(h, q.gptq_damp)
    if pol.clip == "search":
        best = None
        for p in formats.SEARCH_PERCENTILES:
            scale = formats.choose_scale(w, pol.bits, group, "percentile", q=p, floor=q.scale_floor)
            codes = gptq.gptq_codes(w, h, scale, pol.bits, **gopts)
            mse = float(((codes.to(w.device) * formats.expand_scale(scale, w.shape[1]) - w) ** 2).mean())
            if best is None or mse < best[0]:
                best = (mse, codes, scale)
        _, codes, scale = best
    else:
        scale = formats.choose_scale(w, pol.bits, group, pol.clip, **kw)
        codes = gptq.gptq_codes(w, h, scale, pol.bits, **gopts)
    return formats.int_qtensor(name, t, codes.cpu(), scale.cpu(), pol.bits, group, method="gptq", clip=pol.clip)


def quantize_policy(model, sd: dict[str, Tensor], q: QuantConfig, hessians: dict[str, Tensor]) -> list[QTensor]:
    control = set(model.tensor_names("scalar"))
    fams = families(q)
    out = []
    for name, t in sd.items():
        dev_t, t = t.detach(), t.detach().cpu().contiguous()
        fam = model.tensor_family(name, control)
        if not t.is_floating_point():
            qt = int8.passthrough(name, t, "raw")
        elif q.gate_int8 and is_gate(name, t):  # PR #1855: before the small-tensor rule, as the record
            qt = formats.quantize_gate_int8(name, t)
        elif fam == "control":
            qt = int8.passthrough(name, t, q.control_format)
        elif t.numel() <= q.passthrough_max_numel:
            qt = int8.passthrough(name, t, "fp16")
        elif fams[fam].format != "int":
            qt = int8.passthrough(name, t, fams[fam].format)
        elif t.ndim != 2:
            qt = int8.quantize_int8_tensor(name, t)  # no row structure: the baseline's per-tensor int8
        elif q.int8_rows == "baseline" and baseline_int8(fams[fam]):
            qt = int8.quantize_int8_row(name, t)  # PR #1290's quantize_float_tensor = the baseline's rows
        else:
            qt = quantize_matrix(name, dev_t, fams[fam], q, hessians.get(name))
        qt.meta["family"] = fam
        out.append(qt)
    return out


def apply_lqer(qts: list[QTensor], sd: dict[str, Tensor], q: QuantConfig) -> list[str]:
    """LQER on the top-k int tensors by ||W - Q*s||_F; returns the names that kept a correction.

    lqer_select "records" (PR #1855 / #2135): candidates are the GPTQ tensors only, and the top k
    always get their correction (fp32 SVD); "improving": any int tensor, kept only if it helps.
    """
    always = q.lqer_select == "records"
    ints = [qt for qt in qts if qt.format in formats.DEQUANTIZERS and (not always or qt.meta.get("method") == "gptq")]
    errs = sorted(ints, key=lambda qt: -float((sd[qt.name].float().cpu() - formats.dequantize_int(qt)).norm()))
    return [qt.name for qt in errs[: q.lqer_top_k]
            if formats.add_lqer(qt, sd[qt.name].float().cpu(), q.lqer_rank, q.lqer_a_bits, q.lqer_b_bits, q.lqer_group,
                                always)]


# ----------------------------------------------------------------------------------
# selective +-1 pruning (PR #609, rec 03-25), to a target in decimal bytes (the challenge's 16,000,000,
# not 16 MiB: PR #1290 pruned to 15.9 MiB, over the cap)
# ----------------------------------------------------------------------------------
def prune_pm1(qts: list[QTensor], fams: list[str], size_fn, target: int) -> dict[str, Any]:
    """Zero the cheapest +-1 codes (cost = scale^2) until size_fn() <= target; binary search on the count."""
    cands = []  # (cost, tensor index, flat index)
    for i, qt in enumerate(qts):
        if qt.format in formats.DEQUANTIZERS and qt.meta.get("family") in fams:
            qv = qt.parts["q"]
            s = formats.expand_scale(torch.from_numpy(qt.parts["scale"].astype(np.float32)), qv.shape[1]).numpy()
            flat = np.flatnonzero(np.abs(qv) == 1)
            cands.append((s.reshape(-1)[flat] ** 2, np.full(flat.size, i), flat))
    if not cands:
        cands = [(np.zeros(0), np.zeros(0, dtype=int), np.zeros(0, dtype=int))]
    cost, tidx, fidx = (np.concatenate(c) for c in zip(*cands))
    order = np.argsort(cost, kind="stable")
    tidx, fidx = tidx[order], fidx[order]
    originals = {i: qts[i].parts["q"].copy() for i in set(tidx.tolist())}

    def apply(n: int) -> int:
        for i, orig in originals.items():
            qts[i].parts["q"] = orig.copy()
        for i in originals:
            sel = fidx[:n][tidx[:n] == i]
            qts[i].parts["q"].reshape(-1)[sel] = 0
        return size_fn()

    start = apply(0)
    info = {"target_bytes": target, "candidates": int(order.size), "bytes_before": start}
    if start <= target:
        return {**info, "pruned": 0, "bytes_after": start, "reached": True}
    full = apply(order.size)
    if full > target:
        return {**info, "pruned": int(order.size), "bytes_after": full, "reached": False}
    lo, hi = 0, order.size  # size(lo) > target >= size(hi)
    while hi - lo > max(1, order.size // 2000):
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if apply(mid) <= target else (mid, hi)
    return {**info, "pruned": int(hi), "bytes_after": apply(hi), "reached": True}


# ----------------------------------------------------------------------------------
# the pipeline
# ----------------------------------------------------------------------------------
def build_tensors(sess) -> tuple[list[QTensor], dict[str, Tensor], dict[str, Any]]:
    """Quantized tensors for sess.base, the Hessians used, and what happened (for log and report)."""
    from golfkit.quant import calib

    q, base = sess.cfg.quant, sess.base
    if q.scheme == "int8":
        return int8.quantize_state_dict_int8(base.state_dict(), set(base.tensor_names("scalar"))), {}, {}
    sd = {k: v.detach() for k, v in base.state_dict().items()}
    control = set(base.tensor_names("scalar"))
    fams = families(q)
    wanted = {n for n, t in sd.items() if t.ndim == 2 and t.numel() > q.passthrough_max_numel
              and (f := base.tensor_family(n, control)) in fams and needs_hessian(fams[f])}
    info: dict[str, Any] = {}
    hess = {}
    if wanted:  # every linear's H comes almost free once calibrating: the report's Hessian errors use them
        hess, info["calib"] = calib.calibrate(sess, None)
    t0 = time.perf_counter()
    qts = quantize_policy(base, sd, q, hess)
    info["quantize_seconds"] = time.perf_counter() - t0
    if q.lqer_rank > 0:
        info["lqer"] = apply_lqer(qts, sd, q)
    return qts, hess, info


def export_artifact(sess, path: Path) -> dict[str, Any]:
    """Quantize sess.base, choose the compressor, prune to size, write (rank 0); returns sizes and details."""
    from golfkit.runlog import submitted_code_bytes, write_json

    cfg, log = sess.cfg, sess.log
    q = cfg.quant
    qts, hess, info = build_tensors(sess)
    extra = {"format": "int8_clean_per_row_v1"} if q.scheme == "int8" else {"format": "golfkit_policy_v1"}
    art = artifact.Artifact(qts, cfg.portable().to_dict(), extra, q.compressor)
    names = compress.candidates(q.compressor, q.byte_shuffle)
    art.compressor = names[0] if len(names) == 1 else compress.smallest(artifact.encode_body(art), names)
    if q.prune:
        target = q.prune_target_bytes or q.budget_bytes - submitted_code_bytes(cfg)[0]
        info["prune"] = prune_pm1(qts, list(q.prune_families), lambda: len(artifact.pack(art)), target)
    for key, val in info.items():
        log.line(f"quant:{key} {val}")
    nbytes = artifact.save(art, path) if sess.ctx.is_main else 0
    if sess.ctx.is_main and q.scheme == "policy":
        write_json(path.parent / REPORT_NAME, build_report(art, sess.base.state_dict(), hess, nbytes))
    dist.barrier()
    return {"bytes_model": nbytes, "payload_bytes": int8.payload_bytes(qts), "label": label(q),
            "compressor": art.compressor, **info}


def roundtrip_state(model, q: QuantConfig, hessians: dict[str, Tensor]) -> tuple[dict[str, Tensor], list[QTensor]]:
    """quantize -> dequantize of model's weights under policy `q` (no file): for ablations and tests."""
    sd = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    qts = quantize_policy(model, sd, q, hessians)
    return int8.dequantize(qts), qts

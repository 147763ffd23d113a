"""Symmetric integer formats (int2..int8, per row or per group), clip rules, RTN and LQER.

A quantized matrix is `q` (int8 container, values in [-qmax, qmax], qmax = 2^(b-1) - 1)
and fp16 scales, one per row ("int_row") or per row and group of `group` input columns
("int_group"); dequantization is `q * scale`. The scale is rounded to fp16 *before*
rounding the weights, so what GPTQ and the report see is exactly what reloads.

Clip rules pick the per-row (per-group) clip c, then scale = c / qmax:

* percentile: the baseline's rule, c = quantile(|w|, q);
* search ("GPTQ-lite", PR #414): try percentiles {0.999, 0.9995, 0.9999, 0.99999, 1.0}
  and keep the one with the lowest round-to-nearest MSE (chosen per row here, which is
  never worse than the record's per-matrix choice);
* sdclip (PR #1394): c = k * std(row);
* hsdclip (PR #1412): c_i = k * std_i * (1 + lam * (r_i - 1)), r_i = mean_j |W_ij| H_jj /
  mean(diag H), normalised to mean 1 over rows.

LQER (PR #1797): E = W - Q*s; rank-r SVD factors A = U_r S_r, B = V_r^T stored in low bits
(A per-matrix, B per group); dequantization adds A @ B.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from golfkit.artifact import QTensor, numpy_to_torch
from golfkit.config import QuantConfig, TensorPolicy
from golfkit.errors import GolfkitError

SEARCH_PERCENTILES = (0.999, 0.9995, 0.9999, 0.99999, 1.0)
SCALE_FLOOR = 2.0 ** -24  # fp16's smallest subnormal: a zero row must not divide by zero
CLIP_RULES = ("percentile", "search", "sdclip", "hsdclip")


def families(q: QuantConfig) -> dict[str, TensorPolicy]:
    """The tensor families a policy names (GPT.tensor_family), each with its TensorPolicy."""
    return {"embedding": q.embedding, "attention": q.attention, "mlp": q.mlp, "other": q.other}


def needs_hessian(pol: TensorPolicy) -> bool:
    return pol.format == "int" and (pol.method == "gptq" or pol.clip == "hsdclip")


def label(q: QuantConfig) -> str:
    """Short name for log lines: int8 (baseline), int<b> when attention and MLP agree, else mixed."""
    if q.scheme == "int8":
        return "int8"
    a, m = q.attention, q.mlp
    return f"int{a.bits}" if a.format == m.format == "int" and a.bits == m.bits else "mixed"


def qmax_for(bits: int) -> int:
    if not 2 <= bits <= 8:
        raise GolfkitError(f"integer formats have 2 to 8 bits, got {bits}")
    return 2 ** (bits - 1) - 1


def as_groups(w: Tensor, group: int) -> Tensor:
    """(rows, cols) -> (rows, cols // group, group); group 0 = one group per row."""
    rows, cols = w.shape
    g = cols if group <= 0 else group
    return w.reshape(rows, cols // g, g)


def group_ok(cols: int, group: int) -> bool:
    return group <= 0 or (group < cols and cols % group == 0)


def fp16_scale(clip: Tensor, qmax: int, floor: str = "fp16_min") -> Tensor:
    """Scales as stored (fp16), returned in fp32.

    floor "inv_qmax": no scale below 1/qmax (PR #1290: `(clip / 31).clamp_min(1 / 31)`, which decides
    every row whose clip is under 1.0); "fp16_min": only a zero row is floored.
    """
    lo = 1.0 / qmax if floor == "inv_qmax" else SCALE_FLOOR
    return (clip / qmax).clamp_min(lo).to(torch.float16).float()


def rtn_codes(w: Tensor, scale: Tensor, qmax: int) -> Tensor:
    """Round to nearest on the grid; `scale` broadcasts against `w`."""
    return torch.clamp(torch.round(w / scale), -qmax, qmax)


def row_importance(w: Tensor, h_diag: Tensor) -> Tensor:
    """r_i of Hessian-aware SDClip, mean 1 over rows (PR #1412)."""
    d = h_diag.float().to(w.device)
    d = d / d.mean().clamp_min(1e-12)
    r = (w.abs() * d[None, :]).mean(dim=1)
    return r / r.mean().clamp_min(1e-12)


def choose_scale(w: Tensor, bits: int, group: int, clip: str, *, q: float = 0.9999984, k: float = 12.85,
                 lam: float = 0.175, h_diag: Tensor | None = None, floor: str = "fp16_min",
                 unbiased: bool = False) -> Tensor:
    """Per-group fp16-exact scales (rows, ngroups) for clip rule `clip`.

    `unbiased`: SDClip's std with Bessel's correction (the PR #1787 lineage's `W.std(dim=1)`).
    """
    qmax = qmax_for(bits)
    wg = as_groups(w.float(), group)
    if clip == "percentile":
        c = torch.quantile(wg.abs(), q, dim=-1) if q < 1.0 else wg.abs().amax(dim=-1)
    elif clip in ("sdclip", "hsdclip"):
        c = k * wg.std(dim=-1, unbiased=unbiased)
        if clip == "hsdclip":
            if h_diag is None:
                raise GolfkitError("clip rule 'hsdclip' needs a Hessian: set quant.calib to 'train' or 'selfgen'")
            c = c * (1.0 + lam * (row_importance(w.float(), h_diag) - 1.0))[:, None]
    elif clip == "search":
        return search_scale(wg, qmax, floor)
    else:
        raise GolfkitError(f"unknown clip rule '{clip}' (known: {', '.join(CLIP_RULES)})")
    return fp16_scale(c, qmax, floor)


def search_scale(wg: Tensor, qmax: int, floor: str = "fp16_min") -> Tensor:
    """GPTQ-lite: per row/group, the candidate percentile clip with the lowest RTN MSE."""
    a = wg.abs()
    best_s, best_err = None, None
    for p in SEARCH_PERCENTILES:
        c = torch.quantile(a, p, dim=-1) if p < 1.0 else a.amax(dim=-1)
        s = fp16_scale(c, qmax, floor)
        err = ((rtn_codes(wg, s[..., None], qmax) * s[..., None] - wg) ** 2).sum(dim=-1)
        if best_s is None:
            best_s, best_err = s, err
        else:
            better = err < best_err
            best_s, best_err = torch.where(better, s, best_s), torch.minimum(err, best_err)
    return best_s


def expand_scale(scale: Tensor, cols: int) -> Tensor:
    """(rows, ngroups) -> (rows, cols): the scale of every weight."""
    return scale.repeat_interleave(cols // scale.shape[1], dim=1)


# ----------------------------------------------------------------------------------
# QTensor encoding
# ----------------------------------------------------------------------------------
def int_qtensor(name: str, t: Tensor, codes: Tensor, scale: Tensor, bits: int, group: int, **meta) -> QTensor:
    """Pack codes (rows, cols) and scales (rows, ngroups) as an int_row / int_group tensor."""
    fmt = "int_row" if scale.shape[1] == 1 else "int_group"
    m = {"bits": bits, "group": int(group) if fmt == "int_group" else 0, **meta}
    parts = {"q": codes.to(torch.int8).numpy(), "scale": scale.to(torch.float16).numpy()}
    return QTensor(name, fmt, tuple(t.shape), str(t.dtype).removeprefix("torch."), parts, m)


def quantize_rtn(name: str, t: Tensor, bits: int, group: int = 0, clip: str = "percentile", **kw) -> QTensor:
    """Round-to-nearest of a 2-D tensor with clip rule `clip` (a group that does not divide cols -> per row)."""
    w = t.detach().float().cpu()
    group = group if group_ok(w.shape[1], group) else 0
    scale = choose_scale(w, bits, group, clip, **kw)
    codes = rtn_codes(w, expand_scale(scale, w.shape[1]), qmax_for(bits))
    return int_qtensor(name, t, codes, scale, bits, group, method="rtn", clip=clip)


def quantize_gate_int8(name: str, t: Tensor) -> QTensor:
    """int8 per row with scale row max / 127 in fp16 (PR #1855's `_quantize_gate_int8_row` for the
    attention-output gate); stored as the baseline's int8_row format, so it reloads without a config."""
    w = t.detach().float().cpu().contiguous()
    s = (w.abs().amax(dim=1).clamp_min(1e-10) / 127.0).to(torch.float16)
    q = torch.clamp(torch.round(w / s.float().view(-1, 1)), -127, 127).to(torch.int8)
    return QTensor(name, "int8_row", tuple(t.shape), str(t.dtype).removeprefix("torch."), {"q": q.numpy(), "scale": s.numpy()},
                   {"method": "rowmax"})


def _part(qt: QTensor, key: str) -> Tensor:
    return numpy_to_torch(qt.parts[key], qt.meta.get("part_dtypes", {}).get(key, qt.parts[key].dtype.name))


def dequantize_int(qt: QTensor) -> Tensor:
    q, s = _part(qt, "q").float(), _part(qt, "scale").float()
    w = q * expand_scale(s, q.shape[1])
    if "lqer" in qt.meta:
        w = w + lqer_product(qt)
    return w


DEQUANTIZERS = {"int_row": dequantize_int, "int_group": dequantize_int}
LQER_PARTS = ("lqer_a", "lqer_sa", "lqer_b", "lqer_sb")


def check_int_spec(name: str, fmt: str, shape: tuple, dtype: str, meta: dict, parts: dict[str, tuple]) -> None:
    """int_row / int_group (+ LQER) parts against the tensor shape, before anything is allocated.

    q (rows, cols) int8; scale (rows, g) with g >= 1 dividing cols (1 for int_row); LQER: A (rows, r),
    its scale (1,), B (r, cols), B's scales (r, gb) with gb >= 1 dividing cols, 1 <= r <= min(rows, cols).
    """
    def bad(msg: str) -> GolfkitError:
        return GolfkitError(f"artifact tensor '{name}' ({fmt}) {msg}")

    lqer = "lqer" in meta
    keys = {"q", "scale", *(LQER_PARTS if lqer else ())}
    if set(parts) != keys:
        missing, extra = sorted(keys - set(parts)), sorted(set(parts) - keys)
        raise bad(f"{'lacks part ' + repr(missing[0]) if missing else 'has unexpected part ' + repr(extra[0])}"
                  f"{' (LQER needs ' + ', '.join(LQER_PARTS) + ')' if lqer or set(LQER_PARTS) & set(parts) else ''}")
    if len(shape) != 2:
        raise bad(f"must be 2-D, has shape {list(shape)}")
    rows, cols = shape
    bits = meta.get("bits")
    if not (isinstance(bits, int) and not isinstance(bits, bool) and 2 <= bits <= 8):
        raise bad(f"has bits={bits!r:.20}; integer formats have 2 to 8")

    def part(key: str, tags: tuple, want: tuple) -> None:
        tag, got = parts[key]
        if tag not in tags or got != want:
            raise bad(f"part '{key}' is {tag} {list(got)}, expected {tags[0]} {list(want)}")

    def groups(key: str, lead: int) -> None:
        tag, got = parts[key]
        if len(got) != 2 or got[0] != lead or got[1] < 1 or cols % got[1] or (fmt == "int_row" and key == "scale" and got[1] != 1):
            raise bad(f"part '{key}' has shape {list(got)}: expected ({lead}, groups) with groups >= 1 dividing {cols} columns"
                      f"{' (1 for int_row)' if key == 'scale' else ''}")
        if tag not in ("float16", "float32"):
            raise bad(f"part '{key}' is {tag}, expected float16")

    part("q", ("int8",), (rows, cols))
    groups("scale", rows)
    if lqer:
        a_shape = parts["lqer_a"][1]
        r = a_shape[1] if len(a_shape) == 2 else 0
        if not 1 <= r <= min(rows, cols):
            raise bad(f"part 'lqer_a' has shape {list(a_shape)}: expected ({rows}, r) with 1 <= r <= {min(rows, cols)}")
        part("lqer_a", ("int8",), (rows, r))
        part("lqer_sa", ("float16", "float32"), (1,))
        part("lqer_b", ("int8",), (r, cols))
        groups("lqer_sb", r)


CHECKERS = {"int_row": check_int_spec, "int_group": check_int_spec}


# ----------------------------------------------------------------------------------
# LQER: low-rank correction of the quantization error (PR #1797)
# ----------------------------------------------------------------------------------
def asym_quant(x: Tensor, bits: int) -> tuple[Tensor, Tensor]:
    """Codes in [-2^(b-1), 2^(b-1)-1] with scale max|x| / (2^(b-1) - 0.5), per last-dim group row."""
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    s = (x.abs().amax(dim=-1, keepdim=True) / (hi + 0.5)).clamp_min(SCALE_FLOOR).to(torch.float16).float()
    return torch.clamp(torch.round(x / s), lo, hi), s


def lqer_factors(err: Tensor, rank: int, a_bits: int, b_bits: int, group: int,
                 svd_dtype: torch.dtype = torch.float64) -> dict[str, np.ndarray]:
    """Quantized A (rows, r) per matrix and B (r, cols) per group of `group` columns.

    The SVD runs in `svd_dtype` (PR #1855 / #2135 take it in fp32: `torch.linalg.svd(E)`).
    """
    u, sv, vh = torch.linalg.svd(err.to(svd_dtype), full_matrices=False)
    a = (u[:, :rank] * sv[:rank]).float()
    b = vh[:rank].float()
    qa, sa = asym_quant(a.reshape(1, -1), a_bits)
    g = group if group_ok(b.shape[1], group) else b.shape[1]
    qb, sb = asym_quant(b.reshape(rank, -1, g), b_bits)
    return {"lqer_a": qa.reshape(a.shape).to(torch.int8).numpy(), "lqer_sa": sa.reshape(1).half().numpy(),
            "lqer_b": qb.reshape(b.shape).to(torch.int8).numpy(), "lqer_sb": sb.reshape(rank, -1).half().numpy()}


def lqer_product(qt: QTensor) -> Tensor:
    a = _part(qt, "lqer_a").float() * _part(qt, "lqer_sa").float()
    qb, sb = _part(qt, "lqer_b").float(), _part(qt, "lqer_sb").float()
    return a @ (qb * expand_scale(sb, qb.shape[1]))


def add_lqer(qt: QTensor, w: Tensor, rank: int, a_bits: int, b_bits: int, group: int, always: bool = False) -> bool:
    """Attach the correction to `qt` if it lowers the plain error (or `always`, with an fp32 SVD, as
    PR #1855's gptq_mixed_quantize does); returns whether it did."""
    base = dequantize_int(qt)
    err = w.float() - base
    parts = lqer_factors(err, min(rank, *err.shape), a_bits, b_bits, group,
                         torch.float32 if always else torch.float64)
    trial = QTensor(qt.name, qt.format, qt.shape, qt.dtype, {**qt.parts, **parts},
                    {**qt.meta, "lqer": {"rank": rank, "a_bits": a_bits, "b_bits": b_bits}})
    if not always and (w.float() - dequantize_int(trial)).pow(2).sum() >= err.pow(2).sum():
        return False  # coarse factors can make it worse: keep the tensor as it was
    qt.parts.update(parts)
    qt.meta["lqer"] = trial.meta["lqer"]
    return True


def on_grid(qt: QTensor) -> bool:
    """Whether q lies in [-qmax, qmax] for the tensor's bit width (a test helper)."""
    q = qt.parts["q"].astype(np.int32)
    return bool(np.all(np.abs(q) <= qmax_for(qt.meta["bits"])))


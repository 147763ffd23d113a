"""Quantize a state dict into artifact tensors, and back.

The baseline's int8 export (openai/parameter-golf `quantize_state_dict_int8`):

* 2-D float tensors with more than 65,536 elements: per-row int8, each row clipped at
  the 99.99984th percentile of |w|, scale = clip/127 stored as fp16 (floor 1/127);
* other float tensors of that size: per-tensor int8 with one fp32 scale;
* float tensors of at most 65,536 elements: kept as fp16, except control tensors
  (scales, gates, mixes: the model's `control` family), kept fp32;
* non-float tensors: stored as they are.

Each stored tensor names its format, so `dequantize` needs no config. The policy
formats (int2..int8 per row/group, LQER) live in golfkit/quant/formats.py; the pipeline that
routes tensors to them is golfkit/quant/policy.py.
"""

from __future__ import annotations

import importlib

import numpy as np
import torch
from torch import Tensor

from golfkit.artifact import QTensor, numpy_to_torch, torch_to_numpy
from golfkit.errors import GolfkitError

KEEP_FLOAT_MAX_NUMEL = 65_536
INT8_CLIP_Q = 99.99984 / 100.0


def _dtype_name(t: Tensor) -> str:
    return str(t.dtype).removeprefix("torch.")


def passthrough(name: str, t: Tensor, fmt: str) -> QTensor:
    """Store `t` as fp16, fp32 or unchanged ("raw")."""
    if fmt == "fp16":
        arr, tag = torch_to_numpy(t.to(torch.float16))
    elif fmt == "fp32":
        arr, tag = torch_to_numpy(t.to(torch.float32))
    else:
        arr, tag = torch_to_numpy(t)
    return QTensor(name, fmt, tuple(t.shape), _dtype_name(t), {"w": arr}, {"part_dtypes": {"w": tag}})


def quantize_int8_row(name: str, t: Tensor) -> QTensor:
    """Per-row int8 with a percentile clip and fp16 scales (the baseline's matrix format)."""
    t32 = t.float()
    clip = torch.quantile(t32.abs(), INT8_CLIP_Q, dim=1)
    clipped = torch.maximum(torch.minimum(t32, clip[:, None]), -clip[:, None])
    scale = (clip / 127.0).clamp_min(1.0 / 127.0)
    q = torch.clamp(torch.round(clipped / scale[:, None]), -127, 127).to(torch.int8)
    # As the baseline: round with the fp32 scale, store the scale in fp16.
    return QTensor(name, "int8_row", tuple(t.shape), _dtype_name(t),
                   {"q": q.numpy(), "scale": scale.to(torch.float16).numpy()})


def quantize_int8_tensor(name: str, t: Tensor) -> QTensor:
    """Per-tensor int8 with one fp32 scale (the baseline's format for non-matrix tensors)."""
    t32 = t.float()
    clip = float(torch.quantile(t32.abs().flatten(), INT8_CLIP_Q)) if t32.numel() else 0.0
    scale = clip / 127.0 if clip > 0 else 1.0
    q = torch.clamp(torch.round(torch.clamp(t32, -clip, clip) / scale), -127, 127).to(torch.int8)
    return QTensor(name, "int8_tensor", tuple(t.shape), _dtype_name(t),
                   {"q": q.numpy(), "scale": np.array([scale], dtype=np.float32)})


def quantize_state_dict_int8(sd: dict[str, Tensor], control: set[str]) -> list[QTensor]:
    """The baseline's export; `control` names the tensors kept in fp32."""
    out = []
    for name, t in sd.items():
        t = t.detach().cpu().contiguous()
        if not t.is_floating_point():
            out.append(passthrough(name, t, "raw"))
        elif t.numel() <= KEEP_FLOAT_MAX_NUMEL:
            out.append(passthrough(name, t, "fp32" if name in control else "fp16"))
        elif t.ndim == 2:
            out.append(quantize_int8_row(name, t))
        else:
            out.append(quantize_int8_tensor(name, t))
    return out


# ----------------------------------------------------------------------------------
# dequantization, by stored format
# ----------------------------------------------------------------------------------
def _part(qt: QTensor, key: str) -> Tensor:
    return numpy_to_torch(qt.parts[key], qt.meta.get("part_dtypes", {}).get(key, qt.parts[key].dtype.name))


def _dequantize_int8_row(qt: QTensor) -> Tensor:
    q, s = _part(qt, "q").float(), _part(qt, "scale").float()
    return q * s.view(q.shape[0], *([1] * (q.ndim - 1)))


def _dequantize_int8_tensor(qt: QTensor) -> Tensor:
    return _part(qt, "q").float() * float(_part(qt, "scale")[0])


DEQUANTIZERS = {
    "int8_row": _dequantize_int8_row,
    "int8_tensor": _dequantize_int8_tensor,
    "fp16": lambda qt: _part(qt, "w"),
    "fp32": lambda qt: _part(qt, "w"),
    "raw": lambda qt: _part(qt, "w"),
}


def _dequantizer(fmt: str):
    """Built-in formats here; the policy formats (int_row, int_group) from golfkit/quant/formats.py.

    Imported on first use (golfkit.quant.SCHEMES), so a baseline run loads (and a baseline
    submission bundles) only this module.
    """
    if fmt in DEQUANTIZERS:
        return DEQUANTIZERS[fmt]
    return importlib.import_module("golfkit.quant.formats").DEQUANTIZERS.get(fmt)


_FLOAT_PARTS = {"fp16": ("float16",), "fp32": ("float32",)}
_SCALE_DTYPES = ("float16", "float32")


def check_spec(name: str, fmt: str, shape: tuple, dtype: str, meta: dict, parts: dict[str, tuple]) -> None:
    """Refuse a stored tensor whose parts do not fit its format, from shapes alone (before any dequantization).

    `parts` maps each part key to (dtype tag, shape), as in the artifact's tensor table.
    """
    def bad(msg: str) -> GolfkitError:
        return GolfkitError(f"artifact tensor '{name}' ({fmt}) {msg}")

    def need(keys: set[str]) -> None:
        if set(parts) != keys:
            missing, extra = sorted(keys - set(parts)), sorted(set(parts) - keys)
            raise bad(f"{'lacks part ' + repr(missing[0]) if missing else 'has unexpected part ' + repr(extra[0])} "
                      f"(this format stores {sorted(keys)})")

    if fmt in ("fp16", "fp32", "raw"):
        need({"w"})
        tag, wshape = parts["w"]
        ok = _FLOAT_PARTS.get(fmt, (dtype,))
        if tag not in ok or wshape != shape:
            raise bad(f"part 'w' is {tag} {list(wshape)}, expected {ok[0]} {list(shape)}")
    elif fmt in ("int8_row", "int8_tensor"):
        need({"q", "scale"})
        (qtag, qshape), (stag, sshape) = parts["q"], parts["scale"]
        rows = shape[0] if shape else 0
        want_s = (rows,) if fmt == "int8_row" else (1,)
        if qtag != "int8" or qshape != shape or (fmt == "int8_row" and len(shape) < 1):
            raise bad(f"part 'q' is {qtag} {list(qshape)}, expected int8 {list(shape)}")
        if stag not in _SCALE_DTYPES or sshape != want_s:
            raise bad(f"part 'scale' is {stag} {list(sshape)}, expected float16/float32 {list(want_s)}")
    else:
        fn = _checker(fmt)
        if fn is None:
            raise GolfkitError(f"artifact tensor {name} has unknown format '{fmt}' (newer golfkit?)")
        fn(name, fmt, shape, dtype, meta, parts)


def _checker(fmt: str):
    """The policy formats' spec checkers, imported on first use as `_dequantizer` does."""
    return importlib.import_module("golfkit.quant.formats").CHECKERS.get(fmt)


def check_specs(specs: list[tuple]) -> None:
    for spec in specs:
        check_spec(*spec)


def _spec_of(qt: QTensor) -> tuple:
    tags = qt.meta.get("part_dtypes", {})
    return (qt.name, qt.format, tuple(qt.shape), qt.dtype, qt.meta,
            {k: (tags.get(k, a.dtype.name), tuple(a.shape)) for k, a in qt.parts.items()})


def dequantize(tensors: list[QTensor]) -> dict[str, Tensor]:
    """Rebuild a state dict (original dtypes and shapes) from stored tensors, all checked first."""
    check_specs([_spec_of(qt) for qt in tensors])
    out = {}
    for qt in tensors:
        fn = _dequantizer(qt.format)
        if fn is None:
            raise GolfkitError(f"artifact tensor {qt.name} has unknown format '{qt.format}' (newer golfkit?)")
        t = fn(qt)
        if tuple(t.shape) != tuple(qt.shape):
            t = t.reshape(qt.shape)
        out[qt.name] = t.to(getattr(torch, qt.dtype)).contiguous()
    return out


def payload_bytes(tensors: list[QTensor]) -> int:
    """Raw bytes before compression (the baseline's `int8_payload_bytes`)."""
    return sum(qt.nbytes() for qt in tensors)

"""Weights -> artifact: the baseline's int8 export, the policy pipeline, and QAT.

    int8     the baseline's export (quantize_state_dict_int8) and `dequantize` by stored format
    formats  int2..int8 per row/group, clip rules, RTN, LQER; the tensor families of a policy
    gptq     Hessian collection and full-Hessian GPTQ
    calib    calibration batches for GPTQ: training stream (inside the reserve) or self-generated
    qat      quantization-aware training (weight transforms + a step hook)
    report   per-tensor size/error report (`golfkit quant report`)
    policy   the export pipeline for every non-baseline quant config

`export_artifact` and `check_config` dispatch here: the baseline quant config stays in int8,
anything else goes to policy, imported only then (SCHEMES).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

from golfkit import artifact, dist
from golfkit.config import QuantConfig
from golfkit.quant.int8 import (DEQUANTIZERS, INT8_CLIP_Q, KEEP_FLOAT_MAX_NUMEL, dequantize, passthrough,
                                payload_bytes, quantize_int8_row, quantize_int8_tensor, quantize_state_dict_int8)

__all__ = ["DEQUANTIZERS", "INT8_CLIP_Q", "KEEP_FLOAT_MAX_NUMEL", "dequantize", "passthrough", "payload_bytes",
           "quantize_int8_row", "quantize_int8_tensor", "quantize_state_dict_int8", "is_baseline", "check_config",
           "export_artifact", "SCHEMES"]


def is_baseline(q: QuantConfig) -> bool:
    return q == QuantConfig()


# Module -> whether a quant config needs it; the dispatch below imports them only then, and
# `golfkit export` bundles what this table selects. (QAT's module is a training hook: golfkit.train.)
SCHEMES: dict[str, Callable[[QuantConfig], bool]] = {
    "golfkit.quant.policy": lambda q: not is_baseline(q),
    "golfkit.quant.formats": lambda q: not is_baseline(q),  # the policy formats' dequantizers
}


def check_config(cfg) -> None:
    """Quant-section mistakes, raised before a run writes anything (golfkit/quant/policy.py)."""
    if not is_baseline(cfg.quant):
        importlib.import_module("golfkit.quant.policy").check_config(cfg)


def export_artifact(sess, path: Path) -> dict[str, Any]:
    """Quantize the trained weights and write the artifact (rank 0); returns byte counts."""
    cfg = sess.cfg
    if not is_baseline(cfg.quant):  # policies, GPTQ, LQER, pruning, other codecs
        return importlib.import_module("golfkit.quant.policy").export_artifact(sess, path)
    control = set(sess.base.tensor_names("scalar"))
    qts = quantize_state_dict_int8(sess.base.state_dict(), control)
    art = artifact.Artifact(qts, cfg.portable().to_dict(), {"format": "int8_clean_per_row_v1"}, cfg.quant.compressor)
    nbytes = artifact.save(art, path) if sess.ctx.is_main else 0
    dist.barrier()
    return {"bytes_model": nbytes, "payload_bytes": payload_bytes(qts)}

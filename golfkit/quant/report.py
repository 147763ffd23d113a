"""Per-tensor size and error report: `golfkit quant report RUN_DIR`.

For each stored tensor: name, shape, family, format, bits, raw bytes, its share of the
compressed artifact (each tensor's bytes compressed alone with the artifact's codec, the
artifact's size split in proportion), and the relative reconstruction error
||W - W_hat||_F / ||W||_F, plain and Hessian-weighted (sqrt(tr(E H E^T) / tr(W H W^T)),
where a Hessian was collected). Export writes it as RUN_DIR/quant_report.json; the
command prints that file (checked against the run's record and for its shape), or builds the
table from the artifact and checkpoint.golf the record names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from torch import Tensor

from golfkit import artifact, compress
from golfkit.errors import GolfkitError
from golfkit.quant.gptq import hessian_error
from golfkit.quant.int8 import dequantize

REPORT_NAME = "quant_report.json"  # written beside the artifact by a policy export


def format_name(qt) -> str:
    if qt.format in ("int_row", "int_group"):
        tail = "row" if qt.format == "int_row" else f"g{qt.meta['group']}"
        return f"int{qt.meta['bits']}_{tail}" + ("+lqer" if "lqer" in qt.meta else "")
    return qt.format


def bits_of(qt) -> int:
    if qt.format in ("int_row", "int_group"):
        return int(qt.meta["bits"])
    fixed = {"int8_row": 8, "int8_tensor": 8, "fp16": 16, "fp32": 32}
    # (not dict.get(fmt, default): the default would be evaluated for every format, and only
    # passthrough formats have a "w" part)
    return fixed[qt.format] if qt.format in fixed else 8 * qt.parts["w"].itemsize


def build_report(art: artifact.Artifact, sd: dict[str, Tensor], hess: dict[str, Tensor], nbytes: int) -> dict[str, Any]:
    # shares from each tensor compressed alone; the pergroup frame is an artifact body's layout (one lrzip
    # stream over every code matrix), so its shares use brotli, the codec of the frame's other part
    comp, _ = compress.get_codec("brotli" if art.compressor == "pergroup" else art.compressor)
    restored = dequantize(art.tensors)
    alone = [len(comp(b"".join(np.ascontiguousarray(a).tobytes() for a in qt.parts.values()))) for qt in art.tensors]
    total_alone = max(sum(alone), 1)
    rows = []
    for qt, c in zip(art.tensors, alone):
        w = sd.get(qt.name)
        row = {"name": qt.name, "shape": list(qt.shape), "family": qt.meta.get("family", ""),
               "format": format_name(qt), "bits": bits_of(qt), "method": qt.meta.get("method", ""),
               "bytes_raw": qt.nbytes(), "bytes_compressed_share": round(nbytes * c / total_alone),
               "rel_err": None, "rel_err_hessian": None}
        if w is not None and w.is_floating_point():
            wf, wh = w.detach().float().cpu(), restored[qt.name].float()
            row["rel_err"] = float((wf - wh).norm() / wf.norm().clamp_min(1e-12))
            if qt.name in hess and wf.ndim == 2:
                row["rel_err_hessian"] = hessian_error(wf, wh, hess[qt.name])
        rows.append(row)
    return {"compressor": art.compressor, "bytes_model": nbytes, "bytes_raw": sum(r["bytes_raw"] for r in rows),
            "tensors": rows}


def format_table(rep: dict[str, Any]) -> str:
    def err(x):
        return "-" if x is None else f"{x:.4f}"

    lines = [f"{'name':<28} {'shape':>11} {'family':<9} {'format':<13} {'bits':>4} {'raw B':>9} "
             f"{'compr B':>9} {'share':>6} {'rel_err':>8} {'rel_err_H':>9}"]
    total = max(rep["bytes_model"], 1)
    for r in rep["tensors"]:
        shape = "x".join(str(d) for d in r["shape"])
        lines.append(f"{r['name']:<28} {shape:>11} {r['family']:<9} {r['format']:<13} {r['bits']:>4} "
                     f"{r['bytes_raw']:>9} {r['bytes_compressed_share']:>9} {r['bytes_compressed_share'] / total:>6.1%} "
                     f"{err(r['rel_err']):>8} {err(r['rel_err_hessian']):>9}")
    lines.append(f"total: {len(rep['tensors'])} tensors, raw {rep['bytes_raw']} B, artifact {rep['bytes_model']} B "
                 f"({rep['compressor']})")
    return "\n".join(lines)


# what a quant_report.json row holds, by JSON type (None allowed for the errors)
_ROW = {"name": str, "shape": list, "family": str, "format": str, "bits": int, "method": str, "bytes_raw": int,
        "bytes_compressed_share": int}


def check_report(rep: Any, where: str) -> dict[str, Any]:
    """A quant_report.json's content, refused in one line unless it has the shape build_report writes."""
    def bad(msg: str) -> GolfkitError:
        return GolfkitError(f"quant report {where} is malformed: {msg}")

    def num(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if not isinstance(rep, dict):
        raise bad(f"expected a JSON object, got {type(rep).__name__}")
    for key, typ in (("compressor", str), ("bytes_model", int), ("bytes_raw", int), ("tensors", list)):
        if not isinstance(rep.get(key), typ) or isinstance(rep.get(key), bool):
            raise bad(f"'{key}' must be a {typ.__name__}, got {rep.get(key)!r:.60}")
    for i, row in enumerate(rep["tensors"]):
        if not isinstance(row, dict):
            raise bad(f"tensor row #{i} must be an object")
        for key, typ in _ROW.items():
            if not isinstance(row.get(key), typ) or isinstance(row.get(key), bool):
                raise bad(f"tensor row #{i}: '{key}' must be a {typ.__name__}, got {row.get(key)!r:.60}")
        if not all(isinstance(d, int) and not isinstance(d, bool) for d in row["shape"]):
            raise bad(f"tensor row #{i}: 'shape' must be a list of integers")
        for key in ("rel_err", "rel_err_hessian"):
            if row.get(key) is not None and not num(row[key]):
                raise bad(f"tensor row #{i}: '{key}' must be a number or null, got {row[key]!r:.60}")
    return rep


def report_for_run(run_dir: str | Path) -> dict[str, Any]:
    """The run's quant_report.json, or one built from its artifact (+ checkpoint.golf for errors).

    Every file is the one the run's record (metrics.json) names, by sha256 (golfkit/runrecord.py).
    """
    from golfkit import runrecord

    rec = runrecord.load(run_dir)
    if rec.metrics.get("quant_report_sha256"):
        path = rec.file(REPORT_NAME, "quant_report_sha256")
        return check_report(runrecord.read_json(path, "quant report")[0], str(path))
    if (rec.dir / REPORT_NAME).exists():
        raise GolfkitError(f"{rec.dir / REPORT_NAME} is not in the run record: run {rec.run_id} wrote no quant report "
                           f"(a file from another run?)")
    art_path = rec.artifact()
    art = artifact.load(art_path)
    sd = {}
    if rec.metrics.get("checkpoint_sha256"):
        sd = dequantize(artifact.load(rec.file("checkpoint.golf", "checkpoint_sha256")).tensors)
    return build_report(art, sd, {}, art_path.stat().st_size)


# ----------------------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------------------
def add_parsers(sub) -> None:
    p = sub.add_parser("quant", help="quantization tools: per-tensor size and error report")
    qsub = p.add_subparsers(dest="quant_cmd", required=True)
    r = qsub.add_parser("report", help="per tensor: format, bits, bytes, relative error (plain and Hessian)")
    r.add_argument("run_dir", help="a run folder (with quant_report.json or a final_model*.golf artifact)")
    r.add_argument("--json", action="store_true", help="print the report as JSON")


def cmd_quant(args) -> int:
    rep = report_for_run(args.run_dir)
    print(json.dumps(rep, indent=2) if args.json else format_table(rep))
    return 0

"""Data and byte accounting for the workbook: shards, bytes per token, where the 16 MB go.

Used by notebooks 00 (data and bpb) and 01 (architecture). Everything here reads the
challenge layout or a model config; nothing trains.

* bytes per token: the challenge's score is bits per *byte*, so a tokenizer that packs more
  bytes into a token spends its per-token loss over more bytes (reference: the README's
  "tokenizer-agnostic" metric and `build_sentencepiece_luts` in train_gpt.py);
* the accounting check: summing the byte tables over a document must give the UTF-8 length
  of its decoded text, else val_bpb is mis-scaled (a real bug class: openai/parameter-golf #1705);
* component bytes: what each part of the model costs in the int8 payload and after zlib.
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import torch

from golfkit.data import BOS_ID, HEADER_WORDS, build_byte_luts, find_dataset, load_tokenizer, read_shard

BUDGET_BYTES = 16_000_000  # decimal: the challenge's cap on code + compressed model


def _vocab(variant: str) -> int:
    return int(variant.removeprefix("sp"))


def shard_header(path: str | Path) -> dict[str, int]:
    """The 256-word header's used fields and the file size (2 bytes per token after 1,024 header bytes)."""
    words = np.fromfile(path, dtype="<i4", count=HEADER_WORDS)
    return {"magic": int(words[0]), "version": int(words[1]), "tokens": int(words[2]),
            "file_bytes": Path(path).stat().st_size, "header_bytes": 4 * HEADER_WORDS}


def token_rows(data_dir: str | Path, variant: str = "sp1024", n: int = 24) -> list[dict[str, Any]]:
    """The first `n` validation tokens with the bytes the score charges for each."""
    ds = find_dataset(data_dir, variant, need_train=False)
    sp = load_tokenizer(ds.tokenizer, _vocab(variant))
    luts = build_byte_luts(sp, _vocab(variant))
    toks = torch.from_numpy(read_shard(ds.val_files[0])[: n + 1].astype(np.int64))
    charged = luts.token_bytes(toks[:-1], toks[1:])
    rows = [{"id": int(toks[0]), "piece": sp.id_to_piece(int(toks[0])), "bytes charged": 0}]
    for i in range(1, n + 1):
        t = int(toks[i])
        rows.append({"id": t, "piece": sp.id_to_piece(t), "bytes charged": int(charged[i - 1])})
    return rows


def bytes_per_token(data_dir: str | Path, variants: list[str]) -> list[dict[str, Any]]:
    """Tokens, documents, bytes and bytes/token of each split (dataprep.verify's numbers)."""
    from golfkit.dataprep import verify

    rows = []
    for v in variants:
        rep = verify(data_dir, v)
        for split, s in rep["splits"].items():
            rows.append({"variant": v, "split": split, "tokens": s["tokens"], "documents": s["documents"],
                         "bytes": s["bytes"], "bytes/token": s["bytes_per_token"]})
    return rows


def same_text(data_dir: str | Path, variants: list[str], docs_file: str = "text/fineweb_docs_200_raw.jsonl",
              limit: int = 200) -> list[dict[str, Any]]:
    """Tokenize the same raw documents with each tokenizer: tokens and bytes/token on identical text."""
    path = Path(data_dir) / docs_file
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:limit]]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    rows = []
    for v in variants:
        sp = load_tokenizer(Path(data_dir) / "tokenizers" / f"fineweb_{_vocab(v)}_bpe.model", _vocab(v))
        ntok = sum(len(ids) for ids in sp.encode(texts))
        rows.append({"variant": v, "documents": len(texts), "utf8 bytes": nbytes, "tokens": ntok,
                     "bytes/token": nbytes / ntok})
    return rows


def accounting_check(data_dir: str | Path, variant: str = "sp1024", docs: int = 50) -> dict[str, Any]:
    """Byte-table sum vs UTF-8 bytes of the decoded text, over the first `docs` validation documents."""
    ds = find_dataset(data_dir, variant, need_train=False)
    sp = load_tokenizer(ds.tokenizer, _vocab(variant))
    luts = build_byte_luts(sp, _vocab(variant))
    toks = read_shard(ds.val_files[0]).astype(np.int64)
    starts = np.flatnonzero(toks == BOS_ID)[: docs + 1]
    end = int(starts[docs]) if len(starts) > docs else len(toks)
    t = torch.from_numpy(toks[:end])
    table = int(luts.token_bytes(t[:-1], t[1:]).sum())
    pieces = np.split(toks[:end], starts[1:docs] if len(starts) > 1 else [])
    utf8 = sum(len(sp.decode([int(x) for x in d if x != BOS_ID]).encode("utf-8")) for d in pieces)
    return {"documents": len(pieces), "tokens": int(end), "table bytes": table, "utf8 bytes": utf8,
            "match": table == utf8}


def unigram_bpb(data_dir: str | Path, variant: str = "sp1024") -> dict[str, float]:
    """val_bpb of a model that ignores context: train-split token frequencies (add-one smoothed).

    A floor every trained model must beat; also shows the score's unit: nats/token over bytes/token.
    """
    ds = find_dataset(data_dir, variant)
    v = _vocab(variant)
    luts = build_byte_luts(load_tokenizer(ds.tokenizer, v), v)
    counts = np.bincount(np.concatenate([read_shard(f) for f in ds.train_files]), minlength=v) + 1.0
    logp = np.log(counts / counts.sum())
    val = torch.from_numpy(np.concatenate([read_shard(f) for f in ds.val_files]).astype(np.int64))
    nll = float(-logp[val[1:].numpy()].sum())
    nbytes = float(luts.token_bytes(val[:-1], val[1:]).sum())
    n = val.numel() - 1
    return {"val_loss": nll / n, "val_bpb": nll / (math.log(2) * nbytes), "bytes_per_token": nbytes / n}


# ----------------------------------------------------------------------------------
# model bytes
# ----------------------------------------------------------------------------------
def component_of(name: str) -> str:
    """`blocks.3.attn.c_q.weight` -> `attn.c_q`; 1-D/scalar tensors of blocks -> `block controls`."""
    parts = name.split(".")
    if parts[0] == "blocks":
        rest = [p for p in parts[2:] if p != "weight"]
        return ".".join(rest) if len(rest) > 1 or name.endswith(".weight") else "block controls"
    return parts[0]


def component_table(model_cfg) -> list[dict[str, Any]]:
    """Parameters and int8-payload bytes per component of a freshly built model (no training)."""
    from golfkit.model import GPT
    from golfkit.quant import quantize_state_dict_int8

    model = GPT(model_cfg)
    sd = model.state_dict()
    qts = quantize_state_dict_int8(sd, set(model.tensor_names("scalar")))
    rows: dict[str, dict[str, Any]] = {}
    for qt in qts:
        row = rows.setdefault(component_of(qt.name), {"component": component_of(qt.name), "tensors": 0,
                                                      "params": 0, "int8 payload bytes": 0, "format": set()})
        row["tensors"] += 1
        row["params"] += int(sd[qt.name].numel())
        row["int8 payload bytes"] += qt.nbytes()
        row["format"].add(qt.format)
    total = sum(r["params"] for r in rows.values())
    out = []
    for r in rows.values():
        out.append({**r, "format": "+".join(sorted(r["format"])), "share of params": r["params"] / total})
    return out


def artifact_components(path: str | Path) -> list[dict[str, Any]]:
    """Payload and zlib-9 bytes per component of a written artifact (each tensor compressed alone,
    so the column sums slightly exceed the artifact's one-stream size)."""
    from golfkit import artifact

    rows: dict[str, dict[str, Any]] = {}
    for qt in artifact.load(path).tensors:
        raw = b"".join(np.ascontiguousarray(a).tobytes() for a in qt.parts.values())
        r = rows.setdefault(component_of(qt.name), {"component": component_of(qt.name), "payload bytes": 0,
                                                    "zlib bytes": 0})
        r["payload bytes"] += len(raw)
        r["zlib bytes"] += len(zlib.compress(raw, 9))
    for r in rows.values():
        r["zlib/payload"] = r["zlib bytes"] / max(r["payload bytes"], 1)
    return list(rows.values())


# The NaiveBaseline record's own numbers (openai/parameter-golf records/track_10min_16mb/2026-03-17_NaiveBaseline,
# its train log): model_params, "Serialized model int8+zlib: 15815847 bytes (payload:17178912 ...)", "Code size: 47642".
BASELINE_RECORD = {"params": 17_059_912, "bytes_model": 15_815_847, "payload_bytes": 17_178_912, "bytes_code": 47_642}


def matrix_ratios(result: dict[str, Any], bits: list[int], method: str = "rtn") -> list[dict[str, Any]]:
    """Measured on one trained model: zlib-9 bytes over payload bytes of its matrices at each bit width.

    Every 2-D matrix (embedding included) is stored at `bits` per row with fp16 scales by the export's
    own quantizer (`golfkit.lab.quant_depth.quantized`, RTN by default), packed into int8 containers as the
    artifact holds them, and compressed as one stream. Low-bit codes in int8 containers compress
    better; how much is what this measures on trained weights.
    """
    from golfkit.lab import quant_depth

    cfg, model = quant_depth.load_float(result["dir"])
    rows = []
    for b in bits:
        _, qts = quant_depth.quantized(model, cfg, b, method, embedding_bits=b, all_matrices=True)
        ints = [qt for qt in qts if qt.format.startswith("int")]
        raw = b"".join(np.ascontiguousarray(a).tobytes() for qt in ints for a in qt.parts.values())
        z = len(zlib.compress(raw, 9))
        n = sum(int(np.prod(qt.shape)) for qt in ints)
        rows.append({"bits": b, "method": method, "matrix params": n, "payload bytes": len(raw), "zlib bytes": z,
                     "zlib/payload": z / len(raw), "bytes/param": z / n})
    return rows


def baseline_layout(model_cfg=None) -> dict[str, int]:
    """The baseline-shaped model's int8 export, uncompressed: int payload (matrices + scales) and float bytes.

    Uses the export's own rule (golfkit.quant.quantize_state_dict_int8): matrices above 65,536
    elements as int8 per row, smaller tensors fp16, control tensors fp32.
    """
    from golfkit.model import GPT
    from golfkit.presets import get_preset
    from golfkit.quant import quantize_state_dict_int8

    model = GPT(model_cfg or get_preset("baseline").model)
    sd = model.state_dict()
    qts = quantize_state_dict_int8(sd, set(model.tensor_names("scalar")))
    out = {"params": 0, "int params": 0, "int payload bytes": 0, "float params": 0, "float bytes": 0}
    for qt in qts:
        n = int(sd[qt.name].numel())
        out["params"] += n
        if qt.format.startswith("int"):
            out["int params"] += n
            out["int payload bytes"] += qt.nbytes()
        else:
            out["float params"] += n
            out["float bytes"] += qt.nbytes()
    return out


def fit_table(ratios: list[dict[str, Any]], bytes_code: int, budget: int = BUDGET_BYTES,
              layout: dict[str, int] | None = None, record: dict[str, int] = BASELINE_RECORD) -> list[dict[str, Any]]:
    """Parameters of a baseline-shaped model that fit the budget at each measured bit width.

    One function for notebooks 00 and 04. The int8 rate is the NaiveBaseline record's own
    (its int8+zlib model bytes over the baseline's int payload, float tensors counted uncompressed),
    so the int8 row reproduces the real baseline; each lower width scales that rate by how much better
    it compressed than int8 on the trained model measured here (`matrix_ratios`). bytes per matrix
    parameter = the baseline's int payload per matrix parameter (scales included) x that rate.
    """
    lay = layout or baseline_layout()
    per_payload = lay["int payload bytes"] / lay["int params"]
    anchor = (record["bytes_model"] - lay["float bytes"]) / lay["int payload bytes"]
    r8 = next((r["zlib/payload"] for r in ratios if r["bits"] == 8), None)
    if r8 is None:
        raise ValueError("fit_table needs the int8 row of matrix_ratios (the rate is anchored on the record's int8)")
    rows = []
    for r in ratios:
        rate = anchor * r["zlib/payload"] / r8
        bpp = per_payload * rate
        fit = int((budget - bytes_code - lay["float bytes"]) / bpp) + lay["float params"]
        rows.append({"bits": r["bits"], "method": r["method"], "zlib/payload here": r["zlib/payload"],
                     "rate vs int8 here": r["zlib/payload"] / r8, "baseline rate": rate,
                     "bytes per matrix param": bpp, "params that fit": fit,
                     "baseline model bytes": int(lay["int payload bytes"] * rate + lay["float bytes"]),
                     "x baseline params": fit / lay["params"]})
    return rows

"""The artifact file: a self-describing, pickle-free container of quantized tensors.

Layout (all integers little-endian):

    b"GOLFKIT\\0"                 8 bytes  magic
    u32 format version            4 bytes  (FORMAT_VERSION)
    u8  n + n bytes               compressor name (ascii), e.g. "zlib"
    u64 payload length            8 bytes
    32 bytes                      sha256 of the payload (detects truncation and edits)
    payload                       compressor(body)

    body = u32 header length | header (UTF-8 JSON) | raw array bytes

The JSON header holds the run config (so an artifact rebuilds its model with no run
folder), free-form `extra` metadata, and a tensor table: for each tensor its name,
quantization format, original shape and dtype, format metadata, and its parts (named
raw arrays with dtype, shape, offset and length into the array bytes). Reading never
executes code: it is JSON plus `numpy.frombuffer` on whitelisted dtypes, unlike the
baseline's `torch.load` of a pickle.

`save` writes to a temp file, re-reads and verifies it, then renames: no half-written
artifact is ever left behind.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from golfkit.atomic import atomic_write
from golfkit.compress import get_codec
from golfkit.errors import GolfkitError

MAGIC = b"GOLFKIT\0"
FORMAT_VERSION = 1
# dtypes a part may have; bfloat16 travels as its raw 16-bit pattern
_NP_DTYPES = {"int8": "<i1", "uint8": "<u1", "int16": "<i2", "uint16": "<u2", "int32": "<i4",
              "int64": "<i8", "float16": "<f2", "float32": "<f4", "float64": "<f8", "bool": "|b1",
              "bfloat16": "<u2"}


@dataclass
class QTensor:
    """One stored tensor: a format name, the original shape/dtype, and raw parts."""

    name: str
    format: str  # e.g. "int8_row", "fp16"; golfkit.quant knows how to dequantize each
    shape: tuple[int, ...]
    dtype: str  # original torch dtype name, restored on dequantization
    parts: dict[str, np.ndarray]
    meta: dict[str, Any] = field(default_factory=dict)

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.parts.values())


@dataclass
class Artifact:
    tensors: list[QTensor]
    config: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    compressor: str = "zlib"


def torch_to_numpy(t: torch.Tensor) -> tuple[np.ndarray, str]:
    """A CPU numpy copy and the dtype tag to store (bf16 as its raw bits)."""
    t = t.detach().cpu().contiguous()
    name = str(t.dtype).removeprefix("torch.")
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().view(np.uint16).copy(), "bfloat16"
    if name not in _NP_DTYPES:
        raise GolfkitError(f"cannot store tensor of dtype {name} in an artifact")
    return t.numpy().copy(), name


def numpy_to_torch(a: np.ndarray, tag: str) -> torch.Tensor:
    if tag == "bfloat16":
        return torch.from_numpy(a.view(np.int16).copy()).view(torch.bfloat16)
    return torch.from_numpy(a.copy())


# ----------------------------------------------------------------------------------
# encode / decode
# ----------------------------------------------------------------------------------
def encode_body(art: Artifact) -> bytes:
    table, blobs, offset = [], [], 0
    for qt in art.tensors:
        parts = []
        for key, arr in qt.parts.items():
            tag = arr.dtype.name if arr.dtype.name in _NP_DTYPES else None
            tag = qt.meta.get("part_dtypes", {}).get(key, tag)
            if tag not in _NP_DTYPES:
                raise GolfkitError(f"tensor {qt.name}: part '{key}' has unsupported dtype {arr.dtype}")
            raw = np.ascontiguousarray(arr).astype(_NP_DTYPES[tag], copy=False).tobytes()
            parts.append({"key": key, "dtype": tag, "shape": list(arr.shape), "offset": offset, "nbytes": len(raw)})
            blobs.append(raw)
            offset += len(raw)
        meta = {k: v for k, v in qt.meta.items() if k != "part_dtypes"}
        table.append({"name": qt.name, "format": qt.format, "shape": list(qt.shape), "dtype": qt.dtype,
                      "meta": meta, "parts": parts})
    header = json.dumps({"format_version": FORMAT_VERSION, "config": art.config, "extra": art.extra,
                         "tensors": table}, separators=(",", ":")).encode("utf-8")
    return struct.pack("<I", len(header)) + header + b"".join(blobs)


def decode_body(body: bytes, where: str) -> tuple[dict, list[QTensor]]:
    try:
        (hlen,) = struct.unpack_from("<I", body, 0)
        header = json.loads(body[4: 4 + hlen].decode("utf-8"))
        data = memoryview(body)[4 + hlen:]
        tensors = []
        for e in header["tensors"]:
            parts = {}
            for p in e["parts"]:
                if p["dtype"] not in _NP_DTYPES or p["offset"] + p["nbytes"] > len(data):
                    raise ValueError(f"bad part {p['key']} of {e['name']}")
                arr = np.frombuffer(data[p["offset"]: p["offset"] + p["nbytes"]], dtype=_NP_DTYPES[p["dtype"]])
                parts[p["key"]] = arr.reshape(p["shape"])
            meta = dict(e.get("meta", {}))
            meta["part_dtypes"] = {p["key"]: p["dtype"] for p in e["parts"]}
            tensors.append(QTensor(e["name"], e["format"], tuple(e["shape"]), e["dtype"], parts, meta))
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError) as exc:
        raise GolfkitError(f"artifact {where} is corrupt: malformed tensor table ({exc})") from None
    return header, tensors


def pack(art: Artifact) -> bytes:
    compress, _ = get_codec(art.compressor)
    payload = compress(encode_body(art))
    name = art.compressor.encode("ascii")
    return (MAGIC + struct.pack("<I", FORMAT_VERSION) + struct.pack("<B", len(name)) + name
            + struct.pack("<Q", len(payload)) + hashlib.sha256(payload).digest() + payload)


def unpack(blob: bytes, where: str = "<bytes>") -> Artifact:
    if len(blob) < 8 or blob[:8] != MAGIC:
        raise GolfkitError(f"{where} is not a golfkit artifact (bad magic)")
    try:
        (version,) = struct.unpack_from("<I", blob, 8)
        (nlen,) = struct.unpack_from("<B", blob, 12)
        name = blob[13: 13 + nlen].decode("ascii")
        (plen,) = struct.unpack_from("<Q", blob, 13 + nlen)
    except (struct.error, UnicodeDecodeError):
        raise GolfkitError(f"artifact {where} is truncated (header incomplete)") from None
    if version != FORMAT_VERSION:
        raise GolfkitError(f"artifact {where} has format version {version}; this golfkit reads {FORMAT_VERSION}")
    start = 13 + nlen + 8 + 32
    digest, payload = blob[start - 32: start], blob[start:]
    if len(payload) != plen:
        raise GolfkitError(f"artifact {where} is truncated or padded: payload is {len(payload)} bytes, header says {plen}")
    if hashlib.sha256(payload).digest() != digest:
        raise GolfkitError(f"artifact {where} is corrupt: checksum mismatch (the file was altered)")
    _, decompress = get_codec(name)
    try:
        body = decompress(payload)
    except Exception as exc:  # each codec raises its own error type
        raise GolfkitError(f"artifact {where} is corrupt: {name} decompression failed ({exc})") from None
    header, tensors = decode_body(body, where)
    return Artifact(tensors, header.get("config", {}), header.get("extra", {}), name)


# ----------------------------------------------------------------------------------
# files
# ----------------------------------------------------------------------------------
def save(art: Artifact, path: str | Path) -> int:
    """Write atomically, verify the round trip, return the file size in bytes."""
    path = Path(path)
    blob = pack(art)
    back = unpack(blob, str(path))  # decompress and check before anything is reported
    if [t.name for t in back.tensors] != [t.name for t in art.tensors]:
        raise AssertionError("artifact round trip lost tensors")
    atomic_write(path, blob)
    return len(blob)


def load(path: str | Path) -> Artifact:
    path = Path(path)
    try:
        blob = path.read_bytes()
    except OSError as e:
        raise GolfkitError(f"cannot read artifact {path}: {e.strerror}") from None
    return unpack(blob, str(path))

"""The artifact file: a self-describing, pickle-free container of quantized tensors.

Layout (all integers little-endian):

    b"GOLFKIT\\0"                 8 bytes  magic
    u32 format version            4 bytes  (FORMAT_VERSION)
    u8  n + n bytes               compressor name (ascii), e.g. "zlib"
    u64 payload length            8 bytes
    32 bytes                      sha256 of the payload (detects corruption, not edits: see below)
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

Integrity: the stored sha256 detects damage (a flipped bit, a truncated copy), not edits: whoever
edits the payload can recompute it. What ties an artifact to the run that wrote it is the run's
own record: `metrics.json` holds the sha256 of the whole file (`artifact_sha256`), which
`golfkit eval` compares when the artifact sits in its run folder and anyone can check with
`sha256sum`.

Reading is one validation pass before anything is allocated: the file must be a regular file
whose size is what its prefix declares; the payload is inflated as a stream, the JSON header
(at most MAX_HEADER_BYTES, nesting at most safeio.MAX_JSON_DEPTH) first; every tensor and part
is checked (names unique, dtypes known, shapes lists of bounded ints, parts laid end to end from
offset 0 with nbytes = prod(shape) * itemsize, at most PART_ELEMS_PER_ELEM elements of parts per
tensor element); a caller's `check(header)` runs next (the model built from the config must
match the table: golfkit/limits.py); only then are the declared data bytes inflated, and
output beyond them is refused. The body may not exceed `body_limit(max_params)`.
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

from golfkit import artifact_table, safeio
from golfkit.atomic import atomic_write
from golfkit.compress import BytesReader, CorruptStream, get_codec
from golfkit.config import DEFAULT_MAX_PARAMS
from golfkit.errors import GolfkitError
from golfkit.inflate import Inflater

MAGIC = b"GOLFKIT\0"
FORMAT_VERSION = 1
# dtypes a part may have; bfloat16 travels as its raw 16-bit pattern
_NP_DTYPES = {"int8": "<i1", "uint8": "<u1", "int16": "<i2", "uint16": "<u2", "int32": "<i4",
              "int64": "<i8", "float16": "<f2", "float32": "<f4", "float64": "<f8", "bool": "|b1",
              "bfloat16": "<u2"}
PREFIX_MAX = 8 + 4 + 1 + 255 + 8 + 32  # magic, version, codec name, payload length, sha256
MAX_HEADER_BYTES = 16 << 20  # the JSON header of a baseline artifact is ~10 KB
BYTES_PER_PARAM = 8  # a float64 copy of every parameter: more than any export or checkpoint stores


def body_limit(max_params: int) -> int:
    """The most bytes an artifact body may inflate to when its model may have `max_params` parameters."""
    return BYTES_PER_PARAM * max_params + MAX_HEADER_BYTES + 4


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


def check_header(header: Any, where: str, max_data: int) -> int:
    """Validate the header and its tensor table without touching tensor data; returns the data length.

    (golfkit/artifact_table.py: parts end to end from offset 0, nbytes = prod(shape) * itemsize, ...)
    """
    return artifact_table.check_table(header, where, max_data, _NP_DTYPES, FORMAT_VERSION)


def decode_table(header: dict, data: memoryview) -> list[QTensor]:
    """QTensors over the data bytes of a header that passed `check_header` (views, no copies)."""
    tensors = []
    for e in header["tensors"]:
        parts = {}
        for p in e["parts"]:
            arr = np.frombuffer(data[p["offset"]: p["offset"] + p["nbytes"]], dtype=_NP_DTYPES[p["dtype"]])
            parts[p["key"]] = arr.reshape(p["shape"])
        meta = dict(e.get("meta", {}))
        meta["part_dtypes"] = {p["key"]: p["dtype"] for p in e["parts"]}
        tensors.append(QTensor(e["name"], e["format"], tuple(e["shape"]), e["dtype"], parts, meta))
    return tensors


def inflate(name: str, payload: bytes, where: str, limit: int, check=None) -> tuple[dict, list[QTensor]]:
    """Decompress and decode a payload, never inflating more than the header declares (at most `limit`).

    Plain codecs stream: the header first, then exactly the declared data, then a check that the
    stream ends. "+shuffle" interleaves the whole body, so its length is counted first without
    keeping the output (refused over `limit`), then it is inflated.
    """
    base, _, shuffled = name.partition("+")
    try:
        if shuffled:
            n = Inflater(base, payload).skip(limit + 1)
            if n > limit:
                raise GolfkitError(f"artifact {where} inflates to over {limit:,} bytes, more than a model under the "
                                   f"--max-params ceiling can have (a decompression bomb?)")
            from golfkit.compress import unshuffle

            src: Any = BytesReader(unshuffle(Inflater(base, payload).read(n)))
        else:
            src = Inflater(base, payload)
        head = src.read(4)
        if len(head) < 4:
            raise GolfkitError(f"artifact {where} is corrupt: its body ends before the header length")
        (hlen,) = struct.unpack("<I", head)
        if hlen > MAX_HEADER_BYTES:
            raise GolfkitError(f"artifact {where} is malformed: its JSON header is {hlen:,} bytes, over the "
                               f"{MAX_HEADER_BYTES:,}-byte limit")
        raw = src.read(hlen)
        if len(raw) < hlen:
            raise GolfkitError(f"artifact {where} is corrupt: its body ends inside the header")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise GolfkitError(f"artifact {where} is malformed: its header is not UTF-8 ({e.reason} at byte {e.start})") from None
        header = safeio.loads(raw, f"artifact {where} header")
        dlen = check_header(header, where, limit - 4 - hlen)
        if check is not None:
            check(header)  # e.g. the model the config declares must match the table (golfkit/limits.py)
        data = src.read(dlen)
        if len(data) < dlen:
            raise GolfkitError(f"artifact {where} is corrupt: its body holds {len(data):,} bytes of tensor data, "
                               f"the header declares {dlen:,}")
        if not src.at_end():
            raise GolfkitError(f"artifact {where} is corrupt: its payload inflates past the {dlen:,} bytes of tensor "
                               f"data its header declares (refused without inflating the rest)")
    except CorruptStream as exc:
        raise GolfkitError(f"artifact {where} is corrupt: {name} decompression failed ({exc})") from None
    return header, decode_table(header, memoryview(data))


def decode_body(body: bytes, where: str, max_params: int = DEFAULT_MAX_PARAMS) -> tuple[dict, list[QTensor]]:
    """Header and tensors of an uncompressed body (validated as `inflate` does)."""
    if len(body) < 4:
        raise GolfkitError(f"artifact {where} is corrupt: its body ends before the header length")
    (hlen,) = struct.unpack_from("<I", body, 0)
    if hlen > min(MAX_HEADER_BYTES, len(body) - 4):
        raise GolfkitError(f"artifact {where} is malformed: header length {hlen:,} does not fit")
    try:
        body[4: 4 + hlen].decode("utf-8")
    except UnicodeDecodeError as e:
        raise GolfkitError(f"artifact {where} is malformed: its header is not UTF-8 ({e.reason})") from None
    header = safeio.loads(body[4: 4 + hlen], f"artifact {where} header")
    dlen = check_header(header, where, body_limit(max_params))
    if dlen != len(body) - 4 - hlen:
        raise GolfkitError(f"artifact {where} is corrupt: {len(body) - 4 - hlen:,} bytes of tensor data, header declares {dlen:,}")
    return header, decode_table(header, memoryview(body)[4 + hlen:])


def pack(art: Artifact) -> bytes:
    compress, _ = get_codec(art.compressor)
    payload = compress(encode_body(art))
    name = art.compressor.encode("ascii")
    return (MAGIC + struct.pack("<I", FORMAT_VERSION) + struct.pack("<B", len(name)) + name
            + struct.pack("<Q", len(payload)) + hashlib.sha256(payload).digest() + payload)


def _prefix(blob: bytes, where: str) -> tuple[str, int, int]:
    """Codec name, payload length and payload start from the container prefix."""
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
    get_codec(name)  # an unknown codec is refused before anything is read
    return name, plen, 13 + nlen + 8 + 32


def payload_limit(max_params: int) -> int:
    # incompressible data grows by well under 1/64 in every codec here
    return body_limit(max_params) + body_limit(max_params) // 64 + (1 << 20)


def unpack(blob: bytes, where: str = "<bytes>", max_params: int = DEFAULT_MAX_PARAMS, check=None) -> Artifact:
    """Decode a container; `check(header)` runs after the header is validated, before tensor data is inflated."""
    name, plen, start = _prefix(blob, where)
    digest, payload = blob[start - 32: start], blob[start:]
    if len(payload) != plen:
        raise GolfkitError(f"artifact {where} is truncated or padded: payload is {len(payload)} bytes, header says {plen}")
    if plen > payload_limit(max_params):
        raise GolfkitError(f"artifact {where} has a {plen:,}-byte payload, more than a model under the --max-params "
                           f"ceiling ({max_params:,}) can need")
    if hashlib.sha256(payload).digest() != digest:
        raise GolfkitError(f"artifact {where} is corrupt: checksum mismatch (the payload was damaged; the checksum "
                           f"detects corruption, not deliberate edits)")
    header, tensors = inflate(name, payload, where, body_limit(max_params), check)
    return Artifact(tensors, header["config"], header["extra"], name)


# ----------------------------------------------------------------------------------
# files
# ----------------------------------------------------------------------------------
def save(art: Artifact, path: str | Path) -> int:
    """Write atomically, verify the round trip, return the file size in bytes."""
    path = Path(path)
    blob = pack(art)
    # decompress and check before anything is reported (a ceiling that fits what is being written)
    back = unpack(blob, str(path), max(DEFAULT_MAX_PARAMS, sum(qt.nbytes() for qt in art.tensors)))
    if [t.name for t in back.tensors] != [t.name for t in art.tensors]:
        raise AssertionError("artifact round trip lost tensors")
    atomic_write(path, blob)
    return len(blob)


def load(path: str | Path, max_params: int = DEFAULT_MAX_PARAMS, check=None) -> Artifact:
    """Read and validate an artifact file (see the module docstring); `check(header)` as in `unpack`."""
    path = Path(path)
    head = safeio.read_head(path, "artifact", PREFIX_MAX)  # refuses FIFOs, devices, directories
    name, plen, start = _prefix(head, str(path))
    size = safeio.regular_file(path, "artifact")
    if size != start + plen:
        kind = "truncated" if size < start + plen else "padded (longer than its header says)"
        raise GolfkitError(f"artifact {path} is {kind}: the file is {size:,} bytes, its header says {start + plen:,}")
    if plen > payload_limit(max_params):
        raise GolfkitError(f"artifact {path} has a {plen:,}-byte payload, more than a model under the --max-params "
                           f"ceiling ({max_params:,}) can need")
    blob = safeio.read_bytes(path, "artifact", start + plen, size=start + plen)
    return unpack(blob, str(path), max_params, check)


class _HeaderRead(Exception):
    pass


def read_header(path: str | Path, max_params: int = DEFAULT_MAX_PARAMS) -> dict:
    """The validated JSON header (config, extra, tensor table) without inflating the tensor data."""
    box: dict[str, dict] = {}

    def grab(header: dict) -> None:
        box["header"] = header
        raise _HeaderRead

    try:
        load(path, max_params, grab)
    except _HeaderRead:
        pass
    return box["header"]


def file_sha256(path: str | Path) -> str:
    """sha256 of the whole file, as `sha256sum` prints it (what a run records in metrics.json)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

"""Byte compressors for the artifact payload, by name.

    zlib (level 9, the baseline), lzma (preset 9, PR #160), zstd (level 22, rec 03-19_MLP3x_QAT),
    brotli (quality 11, PR #1089); any of them as "NAME+shuffle": a stride-2 byte
    de-interleave first (all even bytes, then all odd bytes; PR #1089), which lines up the
    high and low bytes of fp16 data; pergroup (PR #2135): the int8 code matrices of the artifact
    body row-sorted and transposed into one lrzip ZPAQ stream (the `lrzip` program), the rest brotli.

Every compressor here is lossless and deterministic; `artifact.save` decompresses what
it wrote and compares before reporting a size, and `smallest` checks each candidate too.
zstandard and brotli are the optional extra `golfkit[compress]`, imported only when used.

Reading a payload from outside goes through golfkit/inflate.py's `Inflater`: streaming
decompression that never produces more than the caller asks for, so a bomb (a small payload that
inflates to gigabytes) is refused after the bytes its header declares, not after it filled memory.
"""

from __future__ import annotations

import io
import lzma
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from typing import Callable

import numpy as np

from golfkit.errors import GolfkitError

Codec = tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]
BASE_NAMES = ("zlib", "lzma", "zstd", "brotli")


def optional_module(module: str):
    try:
        return __import__(module)
    except ImportError:
        raise GolfkitError(f"compressor needs the '{module}' package: pip install 'golfkit[compress]'") from None


def _zstd() -> Codec:
    zstd = optional_module("zstandard")
    return (lambda b: zstd.ZstdCompressor(level=22).compress(b),
            lambda b: zstd.ZstdDecompressor().decompress(b))


def _brotli() -> Codec:
    brotli = optional_module("brotli")
    return (lambda b: brotli.compress(b, quality=11), brotli.decompress)


class CorruptStream(Exception):
    """The compressed bytes are not a valid stream of their codec (the caller names the file)."""


CHUNK = 1 << 20  # the most output one decompression step makes (golfkit/inflate.py)


class BytesReader:
    """read/at_end over bytes already in memory: the interface of golfkit/inflate.py's `Inflater`."""

    def __init__(self, b: bytes):
        self.b, self.pos = b, 0

    def read(self, n: int) -> bytes:
        out = self.b[self.pos: self.pos + n]
        self.pos += len(out)
        return out

    def at_end(self) -> bool:
        return self.pos >= len(self.b)


# ----------------------------------------------------------------------------------
# pergroup: PR #2135's `_pack_pergroup` (from PR #1586 via #1667/#1729/#1855) over golfkit's artifact body
# ----------------------------------------------------------------------------------
PERGROUP_MAGIC = b"GKPG"
_Q_FORMATS = ("int_row", "int_group", "int8_row")  # formats whose "q" part is a 2-D int8 code matrix


def _lrzip_exe() -> str:
    exe = shutil.which("lrzip")
    if exe is None:
        raise GolfkitError("compressor 'pergroup' needs the lrzip program (PR #1855 / #2135 call it too): "
                           "apt-get install lrzip")
    return exe


def lrzip(data: bytes, decompress: bool = False, limit: int = 0) -> bytes:
    """lrzip -z -L 9 (ZPAQ, the records' settings) or lrzip -d through temporary files; a decompression
    may write at most `limit` bytes (the process is stopped past it: RLIMIT_FSIZE)."""
    exe = _lrzip_exe()
    with tempfile.TemporaryDirectory(prefix="golfkit_lrzip_") as d:
        src, out = Path(d) / ("in.lrz" if decompress else "in.bin"), Path(d) / "out"
        src.write_bytes(data)
        args = [exe, "-q", "-f", *(["-d"] if decompress else ["-z", "-L", "9"]), "-o", str(out), str(src)]

        def cap() -> None:  # runs in the child only
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (limit + 1, limit + 1))

        r = subprocess.run(args, capture_output=True, preexec_fn=cap if decompress and limit else None)
        if r.returncode != 0 or not out.is_file():
            msg = r.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {r.returncode}"]
            if decompress:
                raise CorruptStream(f"lrzip -d failed: {msg[0]}")
            raise GolfkitError(f"lrzip failed: {msg[0]}")
        return out.read_bytes()


def lrzip_declared_size(blob: bytes) -> int:
    """The expanded size an lrzip file declares (magic "LRZI", version bytes, then u64 little-endian)."""
    if len(blob) < 14 or blob[:4] != b"LRZI":
        raise CorruptStream("not an lrzip stream")
    return struct.unpack_from("<Q", blob, 6)[0]


def similarity_order(w: np.ndarray) -> np.ndarray:
    """Greedy nearest-neighbour row order by L1 distance from row 0 (PR #1855 / #2135 `_similarity_sort_l1`;
    ties go to the lowest row index): neighbouring rows of similar codes compress better."""
    n = w.shape[0]
    x = w.astype(np.int32)
    rest = np.arange(1, n)
    order = [0]
    cur = x[0]
    for _ in range(n - 1):
        k = int(np.argmin(np.abs(x[rest] - cur).sum(axis=1)))
        order.append(int(rest[k]))
        cur = x[rest[k]]
        rest = np.delete(rest, k)
    return np.asarray(order, dtype=np.int64)


def _q_layout(header: dict) -> list[tuple[int, int, int, int]]:
    """(offset, nbytes, rows, cols) of every 2-D int8 code part, in data order."""
    out = []
    for t in header.get("tensors", []):
        if t.get("format") not in _Q_FORMATS:
            continue
        for p in t.get("parts", []):
            shape = p.get("shape")
            if p.get("key") == "q" and p.get("dtype") == "int8" and isinstance(shape, list) and len(shape) == 2:
                out.append((int(p["offset"]), int(p["nbytes"]), int(shape[0]), int(shape[1])))
    out.sort()
    return out


def _perm_dtype(rows: int) -> str:
    return "<u2" if rows <= 1 << 16 else "<u4"


def pergroup_compress(body: bytes) -> bytes:
    """Artifact body -> frame: every int8 code matrix rows similarity-sorted, transposed, all of them one
    lrzip stream; the rest of the body (header, scales, float tensors) brotli 11; the row orders raw.

    Frame: b"GKPG" | u64 rest | u64 orders | u64 codes | brotli(rest) | orders | lrzip(codes).
    """
    import json

    brotli = optional_module("brotli")
    (hlen,) = struct.unpack_from("<I", body, 0)
    header = json.loads(body[4: 4 + hlen])
    data = memoryview(body)[4 + hlen:]
    rest, codes, orders, pos = [body[: 4 + hlen]], [], [], 0
    for off, n, rows, cols in _q_layout(header):
        rest.append(bytes(data[pos:off]))
        pos = off + n
        w = np.frombuffer(data[off: off + n], dtype=np.int8).reshape(rows, cols)
        perm = similarity_order(w)
        orders.append(perm.astype(_perm_dtype(rows)).tobytes())
        codes.append(np.ascontiguousarray(w[perm].T).tobytes())
    rest.append(bytes(data[pos:]))
    rest_c = brotli.compress(b"".join(rest), quality=11)
    order_b = b"".join(orders)
    q = b"".join(codes)
    q_c = lrzip(q) if q else b""
    return PERGROUP_MAGIC + struct.pack("<QQQ", len(rest_c), len(order_b), len(q_c)) + rest_c + order_b + q_c


def pergroup_chunks(payload: bytes, open_rest: Callable[[bytes], BytesReader]):
    """The body back from a pergroup frame, in order: the header first (as its own chunk, so a bounded
    reader's caller checks it before any code matrix is inflated), then the data with the codes put back.

    open_rest: a reader of the brotli part (golfkit/inflate.py passes its bounded reader; whole
    decompression here)."""
    from golfkit import safeio

    if len(payload) < 28 or payload[:4] != PERGROUP_MAGIC:
        raise CorruptStream("not a pergroup frame")
    n_rest, n_order, n_q = struct.unpack_from("<QQQ", payload, 4)
    if 28 + n_rest + n_order + n_q != len(payload):
        raise CorruptStream("pergroup frame lengths do not add up to the payload")
    rest = open_rest(payload[28: 28 + n_rest])
    order_b = payload[28 + n_rest: 28 + n_rest + n_order]
    q_c = payload[28 + n_rest + n_order:]
    head = rest.read(4)
    if len(head) < 4:
        raise CorruptStream("pergroup body ends before the header length")
    (hlen,) = struct.unpack("<I", head)
    if hlen > 16 << 20:
        raise CorruptStream(f"pergroup header of {hlen:,} bytes")
    raw = rest.read(hlen)
    yield head + raw
    header = safeio.loads(raw, "pergroup header")  # (the caller has checked it by the time we get here)
    layout = _q_layout(header)
    total = sum(n for _, n, _, _ in layout)
    if n_order != sum(r * np.dtype(_perm_dtype(r)).itemsize for _, _, r, _ in layout):
        raise CorruptStream("pergroup row orders do not match the header's code matrices")
    q = b""
    if total:
        if lrzip_declared_size(q_c) != total:
            raise CorruptStream(f"lrzip stream declares {lrzip_declared_size(q_c):,} bytes, the header "
                                f"{total:,} of codes")
        q = lrzip(q_c, decompress=True, limit=total)
        if len(q) != total:
            raise CorruptStream("lrzip output differs from its declared size")
    elif q_c:
        raise CorruptStream("pergroup frame has codes but the header no code matrix")
    pos = qpos = opos = 0
    for off, n, rows, cols in layout:
        if off < pos:
            raise CorruptStream("pergroup code matrices overlap")
        gap = rest.read(off - pos)
        if len(gap) != off - pos:
            raise CorruptStream("pergroup body is truncated")
        if gap:
            yield gap
        dt = np.dtype(_perm_dtype(rows))
        perm = np.frombuffer(order_b, dtype=dt, count=rows, offset=opos).astype(np.int64)
        opos += rows * dt.itemsize
        if not np.array_equal(np.sort(perm), np.arange(rows)):
            raise CorruptStream("pergroup row order is not a permutation")
        w = np.empty((rows, cols), dtype=np.int8)
        w[perm] = np.frombuffer(q, dtype=np.int8, count=n, offset=qpos).reshape(cols, rows).T
        qpos += n
        pos = off + n
        yield w.tobytes()
    while out := rest.read(CHUNK):
        yield out


def pergroup_decompress(payload: bytes) -> bytes:
    return b"".join(pergroup_chunks(payload, lambda b: BytesReader(optional_module("brotli").decompress(b))))


COMPRESSORS: dict[str, Callable[[], Codec]] = {
    "zlib": lambda: (lambda b: zlib.compress(b, 9), zlib.decompress),
    "lzma": lambda: (lambda b: lzma.compress(b, preset=9), lzma.decompress),
    "zstd": _zstd,
    "brotli": _brotli,
    "pergroup": lambda: (pergroup_compress, pergroup_decompress),
}


def shuffle(b: bytes) -> bytes:
    a = np.frombuffer(b, dtype=np.uint8)
    return a[0::2].tobytes() + a[1::2].tobytes()


def unshuffle(b: bytes) -> bytes:
    a = np.frombuffer(b, dtype=np.uint8)
    half = (a.size + 1) // 2  # the even bytes come first; there is one more of them when the length is odd
    out = np.empty_like(a)
    out[0::2], out[1::2] = a[:half], a[half:]
    return out.tobytes()


def get_codec(name: str) -> Codec:
    base, plus, extra = name.partition("+")
    if base not in COMPRESSORS or (plus and (extra != "shuffle" or base == "pergroup")):
        raise GolfkitError(f"unknown compressor '{name}' (known: {', '.join(BASE_NAMES)}, each optionally +shuffle)")
    comp, decomp = COMPRESSORS[base]()
    if not plus:
        return comp, decomp
    return (lambda b: comp(shuffle(b))), (lambda b: unshuffle(decomp(b)))


def candidates(choice: str, byte_shuffle: bool) -> list[str]:
    """Codec names a config asks for: one, or every base name for "auto" (with and without shuffle).
    pergroup arranges its own bytes (byte_shuffle does not apply) and is never tried by "auto"."""
    if choice == "pergroup":
        return [choice]
    bases = list(BASE_NAMES) if choice == "auto" else [choice]
    if not byte_shuffle:
        return bases
    return [n for b in bases for n in ((b, b + "+shuffle") if choice == "auto" else (b + "+shuffle",))]


def measure(data: bytes, names: list[str]) -> list[dict]:
    """Compress `data` with each codec, check the round trip, and report bytes and seconds."""
    rows = []
    for name in names:
        comp, decomp = get_codec(name)
        t0 = time.perf_counter()
        blob = comp(data)
        t1 = time.perf_counter()
        if decomp(blob) != data:
            raise AssertionError(f"compressor {name} did not round-trip")
        rows.append({"name": name, "bytes": len(blob), "compress_s": t1 - t0, "decompress_s": time.perf_counter() - t1})
    return rows


def smallest(data: bytes, names: list[str]) -> str:
    """The codec that makes `data` smallest (each one verified); ties keep the first listed."""
    return min(measure(data, names), key=lambda r: r["bytes"])["name"]

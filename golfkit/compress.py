"""Byte compressors for the artifact payload, by name.

    zlib (level 9, the baseline), lzma (preset 9, PR #160), zstd (level 22, rec 03-19_MLP3x_QAT),
    brotli (quality 11, PR #1089); any of them as "NAME+shuffle": a stride-2 byte
    de-interleave first (all even bytes, then all odd bytes; PR #1089), which lines up the
    high and low bytes of fp16 data.

Every compressor here is lossless and deterministic; `artifact.save` decompresses what
it wrote and compares before reporting a size, and `smallest` checks each candidate too.
zstandard and brotli are the optional extra `golfkit[compress]`, imported only when used.

Reading a payload from outside goes through `Inflater`: streaming decompression that never
produces more than the caller asks for, so a bomb (a small payload that inflates to gigabytes)
is refused after the bytes its header declares, not after it filled memory.
"""

from __future__ import annotations

import io
import lzma
import time
import zlib
from typing import Callable

import numpy as np

from golfkit.errors import GolfkitError

Codec = tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]
BASE_NAMES = ("zlib", "lzma", "zstd", "brotli")


def _optional(module: str):
    try:
        return __import__(module)
    except ImportError:
        raise GolfkitError(f"compressor needs the '{module}' package: pip install 'golfkit[compress]'") from None


def _zstd() -> Codec:
    zstd = _optional("zstandard")
    return (lambda b: zstd.ZstdCompressor(level=22).compress(b),
            lambda b: zstd.ZstdDecompressor().decompress(b))


def _brotli() -> Codec:
    brotli = _optional("brotli")
    return (lambda b: brotli.compress(b, quality=11), brotli.decompress)


COMPRESSORS: dict[str, Callable[[], Codec]] = {
    "zlib": lambda: (lambda b: zlib.compress(b, 9), zlib.decompress),
    "lzma": lambda: (lambda b: lzma.compress(b, preset=9), lzma.decompress),
    "zstd": _zstd,
    "brotli": _brotli,
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
    if base not in COMPRESSORS or (plus and extra != "shuffle"):
        raise GolfkitError(f"unknown compressor '{name}' (known: {', '.join(BASE_NAMES)}, each optionally +shuffle)")
    comp, decomp = COMPRESSORS[base]()
    if not plus:
        return comp, decomp
    return (lambda b: comp(shuffle(b))), (lambda b: unshuffle(decomp(b)))


# ----------------------------------------------------------------------------------
# bounded streaming decompression
# ----------------------------------------------------------------------------------
class CorruptStream(Exception):
    """The compressed bytes are not a valid stream of their codec (the caller names the file)."""


_CHUNK = 1 << 20


class Inflater:
    """Decompress `payload` with base codec `name` (no +shuffle) on demand, at most _CHUNK bytes per step.

    `read(n)` returns exactly n bytes unless the stream ends first; `at_end()` says whether any
    output is left. Data after the end of the stream is an error (golfkit writes one stream).
    """

    def __init__(self, name: str, payload: bytes):
        if name not in COMPRESSORS:
            raise GolfkitError(f"unknown compressor '{name}' (known: {', '.join(BASE_NAMES)})")
        self.pending, self.done = b"", False
        self.step = getattr(self, f"_{name}")(payload)

    # each codec: a generator of output chunks of bounded size
    def _zlib(self, payload: bytes):
        d, buf = zlib.decompressobj(), payload
        while not d.eof:
            out = d.decompress(buf, _CHUNK)
            buf = d.unconsumed_tail
            if out:
                yield out
            elif not buf:
                raise CorruptStream("zlib stream is truncated")
        if d.unused_data:
            raise CorruptStream(f"{len(d.unused_data)} bytes after the end of the zlib stream")

    def _lzma(self, payload: bytes):
        d, buf = lzma.LZMADecompressor(), payload
        while not d.eof:
            out = d.decompress(buf, _CHUNK)
            buf = b""
            if out:
                yield out
            elif d.needs_input:
                raise CorruptStream("lzma stream is truncated")
        if d.unused_data:
            raise CorruptStream(f"{len(d.unused_data)} bytes after the end of the lzma stream")

    def _zstd(self, payload: bytes):
        zstd = _optional("zstandard")
        # read_across_frames: more frames are more output (caught by the caller's limit), garbage is an error
        reader = zstd.ZstdDecompressor().stream_reader(io.BytesIO(payload), read_across_frames=True)
        while out := reader.read(_CHUNK):
            yield out

    def _brotli(self, payload: bytes):
        brotli = _optional("brotli")
        d, buf = brotli.Decompressor(), payload
        while not d.is_finished():
            out = d.process(buf, output_buffer_limit=_CHUNK)
            buf = b""
            if out:
                yield out
            elif d.can_accept_more_data():
                raise CorruptStream("brotli stream is truncated")

    def _next(self) -> bytes:
        if self.done:
            return b""
        try:
            return next(self.step)
        except StopIteration:
            self.done = True
            return b""
        except CorruptStream:
            raise
        except Exception as exc:  # each codec raises its own error type
            raise CorruptStream(f"{type(exc).__name__}: {exc}") from None

    def read(self, n: int) -> bytes:
        parts, have = [self.pending], len(self.pending)
        while have < n:
            out = self._next()
            if not out:
                break
            parts.append(out)
            have += len(out)
        over = have - n
        if over > 0:  # split only the last chunk: the result is copied once, by join
            last = parts.pop()
            parts.append(last[: len(last) - over])
            self.pending = last[len(last) - over:]
        else:
            self.pending = b""
        return b"".join(parts)

    def skip(self, n: int) -> int:
        """Discard up to n bytes of output without keeping them; returns how many there were."""
        done = 0
        while done < n:
            got = len(self.read(min(_CHUNK, n - done)))
            if not got:
                break
            done += got
        return done

    def at_end(self) -> bool:
        if not self.pending:
            self.pending = self._next()
        return not self.pending


def candidates(choice: str, byte_shuffle: bool) -> list[str]:
    """Codec names a config asks for: one, or every base name for "auto" (with and without shuffle)."""
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

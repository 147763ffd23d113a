"""Bounded streaming decompression of a payload from outside (an artifact file): `Inflater`.

`read(n)` never inflates more than it returns plus one step of at most CHUNK bytes, so a bomb (a small
payload that inflates to gigabytes) is refused by golfkit/artifact.py after the bytes its header
declares, not after it filled memory. An exported train_gpt.py reads only the artifact it wrote itself
and ships golfkit/shipped/inflate.py instead (golfkit/export.py SHIPPED_TWINS).
"""

from __future__ import annotations

import io
import lzma
import zlib

from golfkit.compress import BASE_NAMES, CHUNK, COMPRESSORS, CorruptStream, optional_module, pergroup_chunks
from golfkit.errors import GolfkitError


class Inflater:
    """Decompress `payload` with base codec `name` (no +shuffle) on demand, at most CHUNK bytes per step.

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
            out = d.decompress(buf, CHUNK)
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
            out = d.decompress(buf, CHUNK)
            buf = b""
            if out:
                yield out
            elif d.needs_input:
                raise CorruptStream("lzma stream is truncated")
        if d.unused_data:
            raise CorruptStream(f"{len(d.unused_data)} bytes after the end of the lzma stream")

    def _zstd(self, payload: bytes):
        zstd = optional_module("zstandard")
        # read_across_frames: more frames are more output (caught by the caller's limit), garbage is an error
        reader = zstd.ZstdDecompressor().stream_reader(io.BytesIO(payload), read_across_frames=True)
        while out := reader.read(CHUNK):
            yield out

    def _brotli(self, payload: bytes):
        brotli = optional_module("brotli")
        d, buf = brotli.Decompressor(), payload
        while not d.is_finished():
            out = d.process(buf, output_buffer_limit=CHUNK)
            buf = b""
            if out:
                yield out
            elif d.can_accept_more_data():
                raise CorruptStream("brotli stream is truncated")

    def _pergroup(self, payload: bytes):
        return pergroup_chunks(payload, lambda b: Inflater("brotli", b))

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
            got = len(self.read(min(CHUNK, n - done)))
            if not got:
                break
            done += got
        return done

    def at_end(self) -> bool:
        if not self.pending:
            self.pending = self._next()
        return not self.pending

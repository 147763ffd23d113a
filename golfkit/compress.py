"""Byte compressors for the artifact payload, by name.

The baseline uses zlib level 9. Every compressor here is lossless and deterministic;
`artifact.save` decompresses what it wrote and compares before reporting a size.
"""

from __future__ import annotations

import lzma
import zlib
from typing import Callable

from golfkit.errors import GolfkitError

Codec = tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]

COMPRESSORS: dict[str, Codec] = {
    "zlib": (lambda b: zlib.compress(b, 9), zlib.decompress),
    "lzma": (lambda b: lzma.compress(b, preset=9), lzma.decompress),
}


def get_codec(name: str) -> Codec:
    if name not in COMPRESSORS:
        raise GolfkitError(f"unknown compressor '{name}' (known: {', '.join(COMPRESSORS)})")
    return COMPRESSORS[name]

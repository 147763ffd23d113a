"""The challenge's shard format: the leaf every reader of token files imports.

openai/parameter-golf `data/`: 256 little-endian int32 header words (magic 20240520, version 1,
token count, zeros), then the tokens as little-endian uint16. Every document starts with BOS
(id 1); there is no EOS. Kept apart from golfkit/data.py (the layout and loaders) so that the
validation guard (golfkit/overlap.py), which data.py calls, can read shards without importing it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError

MAGIC, VERSION, HEADER_WORDS = 20240520, 1, 256
HEADER_BYTES = HEADER_WORDS * 4
BOS_ID = 1


# ----------------------------------------------------------------------------------
# shard format
# ----------------------------------------------------------------------------------
def shard_token_count(path: str | Path) -> int:
    """Check a shard's file type, magic, version and size from its header alone; returns its token count."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise GolfkitError(f"cannot read shard {path}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero never ends, a directory is no shard
        raise GolfkitError(f"shard {path} is not a regular file")
    size = st.st_size
    if size < HEADER_BYTES:
        raise GolfkitError(f"shard {path} is truncated: {size} bytes, shorter than the {HEADER_BYTES}-byte header")
    header = np.fromfile(path, dtype="<i4", count=HEADER_WORDS)
    if int(header[0]) != MAGIC:
        raise GolfkitError(f"shard {path} has wrong magic {int(header[0])} (expected {MAGIC}): not a challenge shard")
    if int(header[1]) != VERSION:
        raise GolfkitError(f"shard {path} has unsupported version {int(header[1])} (expected {VERSION})")
    n = int(header[2])
    expected = HEADER_BYTES + 2 * n
    if size != expected:
        kind = "truncated" if size < expected else "longer than its header says"
        raise GolfkitError(f"shard {path} is {kind}: {size} bytes, header promises {n} tokens = {expected} bytes")
    return n


def read_shard(path: str | Path, vocab_size: int | None = None) -> np.ndarray:
    """Tokens of one shard as uint16, after checking magic, version and file size.

    With `vocab_size`, every id must be below it (one vectorised max per shard): an id past the
    embedding is an IndexError deep in a forward pass, or a wrong tokenizer, otherwise.
    """
    n = shard_token_count(path)
    tokens = np.fromfile(path, dtype="<u2", count=n, offset=HEADER_BYTES)
    if vocab_size is not None and tokens.size and int(tokens.max()) >= vocab_size:
        raise GolfkitError(f"shard {path} holds token id {int(tokens.max())}, outside model.vocab_size={vocab_size}: "
                           f"it was tokenized with another vocabulary (check data.variant and model.vocab_size)")
    return tokens


def write_shard(path: str | Path, tokens: np.ndarray) -> None:
    """Write a shard atomically (temp file, then rename)."""
    tokens = np.asarray(tokens)
    if tokens.size and (tokens.min() < 0 or tokens.max() > 65535):
        raise GolfkitError(f"token ids must fit uint16 to be written to {path}")
    header = np.zeros(HEADER_WORDS, dtype="<i4")
    header[:3] = (MAGIC, VERSION, tokens.size)
    atomic_write(path, header.tobytes() + tokens.astype("<u2").tobytes())

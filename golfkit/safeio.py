"""Reading external files so that a hostile one costs neither memory nor a hang.

* `regular_file(path, what)`: the path must name a regular file (FIFOs hang a reader, `/dev/zero`
  never ends, a directory is no file); returns its size from `stat`, before anything is read.
* `read_bytes(path, what, max_bytes)`: the whole file, refused before reading when its stat size is
  over `max_bytes` (a 4 GiB sparse file costs one `stat`), opened non-blocking so a FIFO swapped in
  after the check cannot block either.
* `loads(text, what)`: `json.loads` after a bounded scan of the nesting depth; the C scanner recurses
  once per level and a few thousand `[` end in RecursionError. Integers longer than MAX_INT_DIGITS are
  refused: past a float's range every float() of one overflows.

Every refusal is one GolfkitError line naming the file.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import numpy as np

from golfkit.errors import GolfkitError

MAX_JSON_DEPTH = 64  # a run config nests 4 levels, an artifact header 6
CONFIG_MAX_BYTES = 16 << 20  # a config.json is a few KB
MAX_INT_DIGITS = 308  # below float's largest finite value (1.8e308): every JSON integer golfkit reads converts

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def regular_file(path: str | Path, what: str) -> int:
    """The size of `path` if it is a regular file (symlinks followed), else a GolfkitError."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise GolfkitError(f"cannot read {what} {path}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise GolfkitError(f"{what} {path} is {_kind(st.st_mode)}, not a regular file")
    return st.st_size


def read_bytes(path: str | Path, what: str, max_bytes: int, size: int | None = None) -> bytes:
    """Read a regular file of at most `max_bytes` bytes (or exactly `size`, when given) without blocking."""
    n = regular_file(path, what)
    if size is not None and n != size:
        raise GolfkitError(f"{what} {path} is {n:,} bytes, its header says {size:,}")
    if n > max_bytes:
        raise GolfkitError(f"{what} {path} is {n:,} bytes, over the {max_bytes:,}-byte limit for a {what}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise GolfkitError(f"cannot read {what} {path}: {e.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise GolfkitError(f"{what} {path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(n + 1)
    except OSError as e:
        raise GolfkitError(f"cannot read {what} {path}: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(data) != n:  # grew or shrank while being read
        raise GolfkitError(f"{what} {path} changed size while being read ({n:,} -> {len(data):,} bytes)")
    return data


def read_head(path: str | Path, what: str, n: int) -> bytes:
    """The first `n` bytes of a regular file (fewer if it is shorter)."""
    regular_file(path, what)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            return os.read(fd, n)
        finally:
            os.close(fd)
    except OSError as e:
        raise GolfkitError(f"cannot read {what} {path}: {e.strerror}") from None


_STEP = np.zeros(256, dtype=np.int64)  # +1 for an opening bracket, -1 for a closing one, 0 for any other byte
_STEP[list(b"[{")], _STEP[list(b"]}")] = 1, -1


def json_depth(raw: bytes, limit: int) -> int:
    """Deepest bracket nesting outside strings, counted up to `limit` + 1 (stops there).

    numpy over blocks of 256 KiB, a few arrays of one block at a time: a quote opens or closes a string
    unless an odd run of backslashes precedes it (JSON's escape inside a string; outside one a backslash ends
    json.loads there, before any bracket after it). A regex over the strings kept a backtracking frame per
    character (~100 bytes each: a 15 MB string in a config cost 1.6 GB and a MemoryError).
    """
    data, block = np.frombuffer(raw, dtype=np.uint8), 1 << 18
    depth = deepest = 0
    slashes, quotes = 0, 0  # parities carried over a block boundary: trailing backslashes, quotes so far
    for i in range(0, data.size, block):
        a = data[i: i + block]
        pos = np.arange(a.size)
        last = np.maximum.accumulate(np.where(a == ord("\\"), -1, pos))  # the last non-backslash up to j
        before = np.empty(a.size, dtype=np.int64)  # backslashes right before each byte
        before[0] = slashes
        before[1:] = pos[:-1] - last[:-1] + np.where(last[:-1] < 0, slashes, 0)
        q = quotes + np.cumsum((a == ord('"')) & (before % 2 == 0))  # quotes up to each byte: odd = in a string
        run = depth + np.cumsum(np.where(q % 2 == 0, _STEP[a], 0))
        deepest = max(deepest, int(run.max()))
        if deepest > limit:
            return limit + 1
        depth, quotes = int(run[-1]), int(q[-1]) % 2
        slashes = (slashes + a.size if last[-1] < 0 else a.size - 1 - int(last[-1])) % 2
    return deepest


class _LongInteger(ValueError):
    pass


def _int(digits: str) -> int:
    # JSON integers are unbounded: one past a float's range breaks every float() and isfinite() that reads it
    # (OverflowError), and past 4,300 digits int() itself refuses it (ValueError); no golfkit field holds one
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInteger(f"an integer of {len(digits.lstrip('-')):,} digits (at most {MAX_INT_DIGITS})")
    return int(digits)


def loads(text: str | bytes, what: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads` refusing input nested deeper than `max_depth` (checked first, without recursion) and integers
    of more than MAX_INT_DIGITS digits."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if json_depth(raw, max_depth) > max_depth:
        raise GolfkitError(f"{what} nests deeper than {max_depth} levels of JSON arrays/objects")
    try:
        return json.loads(raw, parse_int=_int)
    except _LongInteger as e:
        raise GolfkitError(f"{what} holds {e}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise GolfkitError(f"{what} is not valid JSON: {e}") from None
    except RecursionError:  # unreachable after the depth scan; kept so no input can reach a traceback
        raise GolfkitError(f"{what} nests too deeply") from None

"""The artifact's JSON header and tensor table, checked before any tensor data is inflated.

`check_table` is the table half of golfkit/artifact.py's validation pass: the header's keys and
types, tensor names unique, dtypes known, shapes lists of bounded ints, parts laid end to end from
offset 0 with nbytes = prod(shape) * itemsize, at most PART_ELEMS_PER_ELEM elements of parts per
tensor element, the data within `max_data`. Every refusal is one GolfkitError line.

A module of its own so that an exported train_gpt.py, which reads only the artifact it wrote
itself, can ship it without the checks (golfkit/export.py SHIPPED_TWINS; golfkit users always run them).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from golfkit.errors import GolfkitError

MAX_NDIM = 8
MAX_DIM = 1 << 31
# parts of one stored tensor hold at most this many elements per tensor element (+ 16): int codes 1,
# scales <= 1, LQER factors A, B and B's scales <= 1 each at rank <= min(rows, cols)
PART_ELEMS_PER_ELEM = 6


def _is_int(v: Any, lo: int, hi: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _shape(v: Any, what: str, bad) -> tuple[int, ...]:
    if not (isinstance(v, list) and len(v) <= MAX_NDIM and all(_is_int(d, 0, MAX_DIM) for d in v)):
        raise bad(f"{what} shape must be a list of at most {MAX_NDIM} integers in [0, 2^31], got {v!r:.80}")
    return tuple(v)


_TOP = {"format_version", "config", "extra", "tensors"}
_ENTRY = {"name", "format", "shape", "dtype", "meta", "parts"}
_PART = {"key", "dtype", "shape", "offset", "nbytes"}


def check_table(header: Any, where: str, max_data: int, dtypes: dict[str, str], version: int) -> int:
    """Validate the header and its tensor table without touching tensor data; returns the data length.

    Parts must lie end to end from offset 0 in table order (as `encode_body` writes them): no
    negative offset, no overlap, no gap, nbytes = prod(shape) * itemsize, the total within `max_data`.
    """
    def bad(msg: str) -> GolfkitError:
        return GolfkitError(f"artifact {where} is malformed: {msg}")

    if not isinstance(header, dict) or set(header) != _TOP:
        got = sorted(header) if isinstance(header, dict) else type(header).__name__
        raise bad(f"the header must be an object with keys {sorted(_TOP)}, got {got}")
    if header["format_version"] != version:
        raise bad(f"header format_version is {header['format_version']!r:.40}, expected {version}")
    for key, typ in (("config", dict), ("extra", dict), ("tensors", list)):
        if not isinstance(header[key], typ):
            raise bad(f"header '{key}' must be a JSON {'object' if typ is dict else 'array'}")
    names: set[str] = set()
    offset = 0
    for i, e in enumerate(header["tensors"]):
        if not isinstance(e, dict) or not set(e) <= _ENTRY or not {"name", "format", "shape", "dtype", "parts"} <= set(e):
            raise bad(f"tensor #{i} must be an object with keys {sorted(_ENTRY)}")
        name = e["name"]
        if not isinstance(name, str) or not 0 < len(name) <= 1024:
            raise bad(f"tensor #{i} has no valid name ({name!r:.60})")
        label = f"tensor '{name}'"
        if name in names:
            raise bad(f"tensor name '{name}' appears twice")
        names.add(name)
        if not isinstance(e["format"], str):
            raise bad(f"{label} format must be a string")
        numel = math.prod(_shape(e["shape"], label, bad))
        if e["dtype"] not in dtypes:
            raise bad(f"{label} has unknown dtype {e['dtype']!r:.40} (known: {', '.join(dtypes)})")
        if not isinstance(e.get("meta", {}), dict):
            raise bad(f"{label} meta must be an object")
        if not isinstance(e["parts"], list) or not e["parts"]:
            raise bad(f"{label} must have a non-empty list of parts")
        keys: set[str] = set()
        elems = 0
        for p in e["parts"]:
            if not isinstance(p, dict) or set(p) != _PART:
                raise bad(f"every part of {label} must be an object with keys {sorted(_PART)}")
            key = p["key"]
            if not isinstance(key, str) or key in keys:
                raise bad(f"{label} has a missing or repeated part key {key!r:.40}")
            keys.add(key)
            what = f"part '{key}' of {label}"
            if p["dtype"] not in dtypes:
                raise bad(f"{what} has unknown dtype {p['dtype']!r:.40} (known: {', '.join(dtypes)})")
            n = math.prod(_shape(p["shape"], what, bad))
            if p["offset"] != offset or not _is_int(p["offset"], 0, max_data):
                raise bad(f"{what} starts at byte {p['offset']!r:.40}; parts lie end to end, so it must start at {offset}")
            size = n * np.dtype(dtypes[p["dtype"]]).itemsize
            if p["nbytes"] != size or not _is_int(p["nbytes"], 0, max_data):
                raise bad(f"{what} says nbytes={p['nbytes']!r:.40}, but shape {list(p['shape'])} of {p['dtype']} is {size} bytes")
            elems += n
            offset += size
            if offset > max_data:
                raise GolfkitError(f"artifact {where} declares over {max_data:,} bytes of tensor data, more than "
                                   f"a model under the --max-params ceiling can have")
        if elems > PART_ELEMS_PER_ELEM * numel + 16:
            raise bad(f"{label} has {elems:,} elements of parts for a tensor of {numel:,} elements")
    return offset

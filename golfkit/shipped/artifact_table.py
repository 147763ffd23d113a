"""golfkit.artifact_table inside an exported train_gpt.py: the data length of its own artifact (no checks)."""

from __future__ import annotations

from typing import Any

MAX_NDIM = 8
MAX_DIM = 1 << 31
PART_ELEMS_PER_ELEM = 6


def check_table(header: Any, where: str, max_data: int, dtypes: dict[str, str], version: int) -> int:
    return sum(p["nbytes"] for e in header["tensors"] for p in e["parts"])

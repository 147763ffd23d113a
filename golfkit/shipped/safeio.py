"""golfkit.safeio inside an exported train_gpt.py: plain reads of the script's own files (no checks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MAX_JSON_DEPTH = 64
CONFIG_MAX_BYTES = 16 << 20
MAX_INT_DIGITS = 308


def regular_file(path: str | Path, what: str) -> int:
    return Path(path).stat().st_size


def read_bytes(path: str | Path, what: str, max_bytes: int, size: int | None = None) -> bytes:
    return Path(path).read_bytes()


def read_head(path: str | Path, what: str, n: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def json_depth(raw: bytes, limit: int) -> int:
    return 0


def loads(text: str | bytes, what: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    return json.loads(text)

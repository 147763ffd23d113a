"""golfkit.inflate inside an exported train_gpt.py: its own artifact decompressed whole (no streaming bound)."""

from __future__ import annotations

from golfkit.compress import CHUNK, BytesReader, get_codec  # noqa: F401  (CHUNK: the original's names)


class Inflater(BytesReader):
    def __init__(self, name: str, payload: bytes):
        super().__init__(get_codec(name)[1](payload))

    def skip(self, n: int) -> int:
        return len(self.read(n))

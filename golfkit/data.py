"""Challenge shards, the data folder layout, the training loader and the byte tables.

Shard format (openai/parameter-golf `data/`): 256 little-endian int32 header words
(magic 20240520, version 1, token count, zeros), then the tokens as little-endian
uint16. Every document starts with BOS (id 1); there is no EOS.

Folder layout (the challenge's `data/`, also `../shared/data`):
    DIR/datasets/fineweb10B_<variant>/fineweb_{train,val}_NNNNNN.bin
    DIR/tokenizers/fineweb_<vocab>_bpe.model

Training reads train shards only: `TokenStream` takes a glob of `fineweb_train_*`, and
the validation split is loaded by a separate function used only by evaluation.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

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


# ----------------------------------------------------------------------------------
# folder layout
# ----------------------------------------------------------------------------------
@dataclass
class Dataset:
    root: Path
    variant: str
    train_files: list[Path]
    val_files: list[Path]
    tokenizer: Path

    @property
    def vocab_size_hint(self) -> int | None:
        m = re.fullmatch(r"sp(\d+)", self.variant)
        return int(m.group(1)) if m else None


def find_dataset(data_dir: str | Path, variant: str, tokenizer: str = "", need_train: bool = True) -> Dataset:
    """Locate shards and tokenizer under a challenge-layout data folder, with clear errors."""
    root = Path(data_dir)
    ds = root / "datasets" / f"fineweb10B_{variant}"
    if not ds.is_dir():
        raise GolfkitError(f"no dataset folder {ds} (pass --data DIR pointing at a folder with datasets/ and tokenizers/; "
                           f"'golfkit data fetch' downloads one)")
    train = sorted(ds.glob("fineweb_train_*.bin"))
    val = sorted(ds.glob("fineweb_val_*.bin"))
    if need_train and not train:
        raise GolfkitError(f"no training shards fineweb_train_*.bin in {ds}")
    if not val:
        raise GolfkitError(f"no validation shards fineweb_val_*.bin in {ds}")
    if tokenizer:
        tok = Path(tokenizer)
    else:
        m = re.fullmatch(r"sp(\d+)", variant)
        tok = root / "tokenizers" / f"fineweb_{m.group(1) if m else variant}_bpe.model"
    if not tok.is_file():
        raise GolfkitError(f"tokenizer {tok} not found (set data.tokenizer=PATH)")
    return Dataset(root, variant, train, val, tok)


def load_tokens(files: list[Path], vocab_size: int | None = None) -> Tensor:
    """Concatenate shards in sorted order (the canonical order of the split)."""
    return torch.from_numpy(np.concatenate([read_shard(f, vocab_size) for f in files]).astype(np.int32))


def load_val_tokens(ds: Dataset, vocab_size: int | None = None) -> Tensor:
    """The whole validation split (at least one target). Used by evaluation only, never by a training path."""
    tokens = load_tokens(ds.val_files, vocab_size)
    if tokens.numel() < 2:  # otherwise val_bpb prints as 0.0 from 0 nats over 0 bytes
        raise GolfkitError(f"the validation split in {ds.val_files[0].parent} has {tokens.numel()} token(s): nothing to "
                           f"score (it needs a context token and at least one target)")
    return tokens


def check_train_stream(files: list[Path], vocab_size: int) -> None:
    """Before a run writes anything: the train shards hold tokens (an empty stream would loop forever)
    and the first one the stream reads has ids below the vocab (later shards are checked as they load)."""
    counts = [shard_token_count(f) for f in files]
    if not sum(counts):
        raise GolfkitError(f"the training shards in {Path(files[0]).parent} hold no tokens ({len(files)} shard(s))")
    read_shard(files[next(i for i, c in enumerate(counts) if c)], vocab_size)


# ----------------------------------------------------------------------------------
# training loader (the baseline's semantics)
# ----------------------------------------------------------------------------------
TRAIN_SHARD = re.compile(r"fineweb_train_\d+\.bin")


def _same_bytes(a: Path, b: Path, probe: int = 1 << 20) -> bool:
    # Same size and same first MiB: a copied (renamed) shard, without reading whole files.
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read(probe) == fb.read(probe)


def refuse_non_train(files: list[Path], val_files: list[Path] | None = None) -> None:
    """Refuse any training file that is not a train shard: by name, by symlink target, or
    (when `val_files` is given) by being a renamed copy of a validation shard.

    The challenge README: "You CANNOT access validation data during training". PR #675
    trained on the validation split (its 1.2302 is therefore not a usable anchor); golfkit
    makes that impossible by construction, not by convention.
    """
    for f in files:
        f = Path(f)
        try:
            target = f.resolve()
        except (OSError, RuntimeError) as e:  # 3.11 raises RuntimeError for a symlink loop
            raise GolfkitError(f"cannot read shard {f}: {e}") from None
        if not (TRAIN_SHARD.fullmatch(f.name) and TRAIN_SHARD.fullmatch(target.name)):
            raise GolfkitError(
                f"training refuses {f}{' -> ' + str(target) if target.name != f.name else ''}: only "
                f"fineweb_train_*.bin shards are training data. The challenge rules forbid training on validation "
                f"data (README: \"You CANNOT access validation data during training\"; PR #675 did it and its "
                f"score is not valid). Validation shards are read by evaluation only.")
        for v in val_files or []:
            try:
                same = _same_bytes(f, Path(v))
            except OSError as e:
                raise GolfkitError(f"cannot read shard {f} or {v}: {e.strerror}") from None
            if same:
                raise GolfkitError(f"training refuses {f}: it has the same bytes as validation shard {v}. The challenge "
                                   f"rules forbid training on validation data (PR #675 did it; its score is not valid).")


class TokenStream:
    """One contiguous stream over the sorted train shards, wrapping around forever."""

    def __init__(self, files: list[Path], vocab_size: int | None = None):
        if not files:
            raise GolfkitError("no training shards to stream")
        refuse_non_train(files)  # structural guard: the training stream only ever opens train shards
        self.files, self.idx, self.vocab_size = files, 0, vocab_size
        self.tokens, self.pos = read_shard(files[0], vocab_size), 0

    def take(self, n: int) -> np.ndarray:
        chunks, remaining, empty = [], n, 0
        while remaining > 0:
            avail = self.tokens.size - self.pos
            if avail <= 0:
                empty += 1
                if empty > len(self.files):  # a whole cycle without a token: never loop forever
                    raise GolfkitError(f"the training shards in {Path(self.files[0]).parent} hold no tokens")
                self.idx = (self.idx + 1) % len(self.files)
                self.tokens, self.pos = read_shard(self.files[self.idx], self.vocab_size), 0
                continue
            empty = 0
            k = min(remaining, avail)
            chunks.append(self.tokens[self.pos: self.pos + k])
            self.pos += k
            remaining -= k
        return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)


class DistributedTokenLoader:
    """Each call takes one contiguous chunk of the stream; rank r gets the r-th disjoint span.

    The "+1" token per span lets (x, y) be built by shifting. Spans of consecutive
    calls are consecutive, so single-process micro-steps and multi-rank micro-steps see
    the same micro-batches (the DDP-equivalence test relies on it).
    """

    def __init__(self, files: list[Path], rank: int, world_size: int, device: torch.device,
                 vocab_size: int | None = None):
        self.rank, self.world_size, self.device = rank, world_size, device
        self.stream = TokenStream(files, vocab_size)

    def next_batch(self, local_tokens: int, seq_len: int) -> tuple[Tensor, Tensor]:
        span = local_tokens + 1
        chunk = self.stream.take(span * self.world_size)
        local = torch.from_numpy(chunk[self.rank * span: (self.rank + 1) * span].astype(np.int64))
        x = local[:-1].reshape(-1, seq_len)
        y = local[1:].reshape(-1, seq_len)
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)


# ----------------------------------------------------------------------------------
# tokenizer and byte tables
# ----------------------------------------------------------------------------------
@dataclass
class ByteLUTs:
    """Per-token byte accounting tables of the challenge (`build_sentencepiece_luts`)."""

    base_bytes: Tensor  # int16: UTF-8 bytes of the piece without a leading "▁"; 1 for <0xNN>; 0 for control
    has_leading_space: Tensor  # bool: piece starts with "▁" (costs one space byte)
    is_boundary: Tensor  # bool: control/unknown/unused pieces (BOS...) after which "▁" costs nothing

    def to(self, device: torch.device) -> ByteLUTs:
        return ByteLUTs(self.base_bytes.to(device), self.has_leading_space.to(device), self.is_boundary.to(device))

    def token_bytes(self, prev_ids: Tensor, tgt_ids: Tensor) -> Tensor:
        """Bytes charged for predicting `tgt_ids` after `prev_ids` (same shapes), int32."""
        b = self.base_bytes[tgt_ids].to(torch.int32)
        return b + (self.has_leading_space[tgt_ids] & ~self.is_boundary[prev_ids]).to(torch.int32)


def load_tokenizer(path: str | Path, vocab_size: int):
    """A SentencePiece processor whose vocab must match the model's."""
    import sentencepiece as spm

    path = Path(path)
    if path.suffix != ".model":
        raise GolfkitError(f"tokenizer {path} is not a SentencePiece .model file")
    try:
        sp = spm.SentencePieceProcessor(model_file=str(path))
    except Exception as e:  # sentencepiece raises OSError/RuntimeError on bad files
        raise GolfkitError(f"cannot load tokenizer {path}: {e}") from None
    if int(sp.vocab_size()) != vocab_size:
        raise GolfkitError(f"tokenizer {path} has vocab {int(sp.vocab_size())} but model.vocab_size={vocab_size}; "
                           f"use the matching data.variant or set model.vocab_size")
    return sp


def build_byte_luts(sp, vocab_size: int) -> ByteLUTs:
    """The challenge's tables, built once over the vocab (reference: train_gpt.py)."""
    n = max(int(sp.vocab_size()), vocab_size)
    base = np.zeros(n, dtype=np.int16)
    space = np.zeros(n, dtype=np.bool_)
    boundary = np.ones(n, dtype=np.bool_)  # ids beyond the tokenizer count as boundaries, 0 bytes
    for i in range(int(sp.vocab_size())):
        if sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i):
            continue
        boundary[i] = False
        if sp.is_byte(i):
            base[i] = 1
            continue
        piece = sp.id_to_piece(i)
        if piece.startswith("\u2581"):
            space[i] = True
            piece = piece[1:]
        base[i] = len(piece.encode("utf-8"))
    return ByteLUTs(torch.from_numpy(base), torch.from_numpy(space), torch.from_numpy(boundary))

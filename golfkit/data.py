"""Challenge shards, the data folder layout, the training loader and the byte tables.

Shards are in the challenge's format (golfkit/shards.py, re-exported here). Every document starts
with BOS (id 1); there is no EOS.

Folder layout (the challenge's `data/`):
    DIR/datasets/fineweb10B_<variant>/fineweb_{train,val}_NNNNNN.bin
    DIR/tokenizers/fineweb_<vocab>_bpe.model
with variant `sp<vocab>` (sp1024, sp4096, ...). A variant may carry a suffix naming a
transformed text and its tokenizer, `sp<vocab><suffix>` -> `fineweb_<vocab>_bpe<suffix>.model`:
the CaseOps records (PR #1855, PR #2135) use `sp8192_lossless_caps_caseops_v1_reserved`, whose
folder also holds the validation byte sidecar `fineweb_val_bytes_NNNNNN.bin` (shard format, one
uint16 per validation token: the UTF-8 bytes of the text before the case transform that the token
stands for; golfkit/caseops.py). `fineweb_val_*.bin` also matches the sidecar, so shards are picked
by exact name patterns, never by that glob.

Training reads train shards only: `TokenStream` (rows) and `PackedDocumentLoader` (data.packing=documents,
the PR #1787 lineage's packed rows) take a glob of `fineweb_train_*`, and
the validation split is loaded by a separate function used only by evaluation. Their content is
checked against validation data by the guard `DATA_GUARDS` selects (`data.guard`, golfkit/overlap.py).

val_bpb's byte counts come from one of two sources: the challenge's per-piece tables
(`ByteLUTs`, `build_sentencepiece_luts`) or, for transformed text, the sidecar
(`SidecarBytes`, indexed by target position). `val_byte_counts` picks the one the dataset needs.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torch import Tensor

from golfkit.errors import GolfkitError
from golfkit.shards import (BOS_ID, HEADER_BYTES, HEADER_WORDS, MAGIC, VERSION, read_shard,  # noqa: F401 (re-exported)
                             shard_token_count, write_shard)

VAL_SHARD = re.compile(r"fineweb_val_\d+\.bin")
VAL_BYTES_SHARD = re.compile(r"fineweb_val_bytes_\d+\.bin")  # the CaseOps byte sidecar (PR #1855, #2135)
VARIANT = re.compile(r"sp(\d+)(_[A-Za-z0-9_]+)?")  # sp<vocab>[<suffix>]
# The CaseOps operators TITLE, ALLCAPS, CAPNEXT, ESC (PR #1729 -> #1855 -> #2135; golfkit/caseops.py
# defines the transform, kept out of this module so that training code does not import it).
CASE_OPERATORS = ("\ue001", "\ue002", "\ue003", "\ue004")


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
    val_bytes_files: list[Path] = field(default_factory=list)  # the byte sidecar, one per val shard
    byte_source: str = "pieces"  # resolved data.byte_source: "pieces" or "sidecar"
    guard: dict | None = None  # what the validation guard checked (`refuse_non_train`), for the run's log and record

    @property
    def vocab_size_hint(self) -> int | None:
        m = VARIANT.fullmatch(self.variant)
        return int(m.group(1)) if m else None


def check_variant(variant: str) -> None:
    """A variant names one folder under datasets/: no path separators, no '..'."""
    if not re.fullmatch(r"\w[\w.-]*", variant or "", re.ASCII) or ".." in variant:
        raise GolfkitError(f"data.variant {variant!r} is not a dataset name (letters, digits, _ - .)")


def tokenizer_path(data_dir: str | Path, variant: str) -> Path:
    """tokenizers/fineweb_<vocab>_bpe<suffix>.model for variant sp<vocab><suffix> (the challenge's and records' names)."""
    m = VARIANT.fullmatch(variant)
    name = f"fineweb_{m.group(1)}_bpe{m.group(2) or ''}.model" if m else f"fineweb_{variant}_bpe.model"
    return Path(data_dir) / "tokenizers" / name


def dataset_files(ds_dir: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(train, val, val byte sidecar) shards of a dataset folder, each sorted.

    Validation shards and sidecar by exact name; training files by the challenge's glob, so that a
    misnamed file there is refused by `refuse_non_train` rather than skipped.
    """
    names = sorted(ds_dir.glob("fineweb_*.bin"))
    train = [f for f in names if f.name.startswith("fineweb_train_")]
    val = [f for f in names if VAL_SHARD.fullmatch(f.name)]
    side = [f for f in names if VAL_BYTES_SHARD.fullmatch(f.name)]
    return train, val, side


def find_dataset(data_dir: str | Path, variant: str, tokenizer: str = "", need_train: bool = True,
                 byte_source: str = "auto") -> Dataset:
    """Locate shards, byte sidecar and tokenizer under a challenge-layout data folder, with clear errors.

    byte_source (data.byte_source): "auto" = the sidecar when the folder has one, else the tokenizer's
    pieces; "sidecar" requires one; "pieces" ignores it (refused later for a CaseOps tokenizer).
    """
    check_variant(variant)
    root = Path(data_dir)
    ds = root / "datasets" / f"fineweb10B_{variant}"
    if not ds.is_dir():
        raise GolfkitError(f"no dataset folder {ds} (pass --data DIR pointing at a folder with datasets/ and tokenizers/; "
                           f"'golfkit data fetch' downloads one)")
    train, val, side = dataset_files(ds)
    if need_train and not train:
        raise GolfkitError(f"no training shards fineweb_train_*.bin in {ds}")
    if not val:
        raise GolfkitError(f"no validation shards fineweb_val_N.bin in {ds}")
    if byte_source == "sidecar" and not side:
        raise GolfkitError(f"data.byte_source=sidecar but {ds} has no fineweb_val_bytes_N.bin")
    source = "sidecar" if side and byte_source != "pieces" else "pieces"
    tok = Path(tokenizer) if tokenizer else tokenizer_path(root, variant)
    if not tok.is_file():
        raise GolfkitError(f"tokenizer {tok} not found (set data.tokenizer=PATH)")
    return Dataset(root, variant, train, val, tok, side, source)


def load_tokens(files: list[Path], vocab_size: int | None = None) -> Tensor:
    """Concatenate shards in sorted order (the canonical order of the split)."""
    return torch.from_numpy(np.concatenate([read_shard(f, vocab_size) for f in files]).astype(np.int32))


def load_val_tokens(ds: Dataset, vocab_size: int | None = None) -> Tensor:
    """The whole validation split (at least one target). Used by evaluation only, never by a training path."""
    tokens = load_tokens(ds.val_files, vocab_size)
    if tokens.numel() < 2:  # otherwise val_bpb prints as 0.0 from 0 nats over 0 bytes
        raise GolfkitError(f"the validation split in {ds.val_files[0].parent} has {tokens.numel()} token(s): nothing to "
                           f"score (it needs a context token and at least one target)")
    if not bool((tokens[1:] != BOS_ID).any()):  # every target a document start: 0 bytes, a val_bpb in the thousands
        raise GolfkitError(f"the validation split in {ds.val_files[0].parent} holds only document starts (BOS): "
                           f"nothing to score")
    return tokens


def check_train_stream(files: list[Path], vocab_size: int) -> None:
    """Before a run writes anything: the train shards hold tokens (an empty stream would loop forever)
    and the first one the stream reads has ids below the vocab (later shards are checked as they load)."""
    counts = [shard_token_count(f) for f in files]
    if not sum(counts):
        raise GolfkitError(f"the training shards in {Path(files[0]).parent} hold no tokens ({len(files)} shard(s))")
    read_shard(files[next(i for i, c in enumerate(counts) if c)], vocab_size)


def load_val_bytes(ds: Dataset, val_tokens: Tensor) -> Tensor:
    """The byte sidecar as int32, one count per validation token, checked against the validation split.

    Checks: one sidecar shard per validation shard with the same number (fineweb_val_bytes_N beside
    fineweb_val_N), each in the shard format (magic, version, size: `read_shard`) and as long as its
    validation shard, and 0 bytes at every BOS (a misaligned sidecar charges bytes to document starts).
    The counts are uint16 on disk, so never negative. The records' loader only requires the sidecar to
    be at least as long and cuts it (PR #2135 load_validation_byte_sidecar); golfkit wants it exact.
    """
    side, val = ds.val_bytes_files, ds.val_files
    if [f.name.replace("_bytes", "") for f in side] != [f.name for f in val]:
        raise GolfkitError(f"byte sidecar {[f.name for f in side]} does not pair with validation shards "
                           f"{[f.name for f in val]}")
    parts = []
    for v, b in zip(val, side):
        parts.append(read_shard(b))
        n = int(np.fromfile(v, dtype="<i4", count=3)[2])
        if parts[-1].size != n:
            raise GolfkitError(f"byte sidecar {b} has {parts[-1].size} counts but {v.name} has {n} tokens")
    full = np.concatenate(parts)
    bad = np.flatnonzero((val_tokens == BOS_ID).numpy() & (full != 0)) if full.size == val_tokens.numel() else [0]
    if len(bad):  # a shifted or foreign sidecar charges bytes to document starts
        raise GolfkitError(f"byte sidecar is not aligned with the validation tokens (position {bad[0]})")
    if not full[1:].any():  # val_bpb divides by these bytes (at least 1): zeros gave a 4,096-token split 52,554
        raise GolfkitError(f"byte sidecar {side[0]} counts 0 bytes for every validation target: nothing to score")
    return torch.from_numpy(full.astype(np.int32))


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


# The content checks of training and calibration data against validation data: module -> wanted(the
# run's DataConfig). Selected like the model's TECHNIQUES and read by the exporter (golfkit/export.py
# SWITCH_TABLES). golfkit.overlap is tooling that a submission never ships: `golfkit export` bakes
# data.guard=off into the submission's config and its README says why (the graders train on the
# challenge's canonical data, whose train shards hold no validation document).
DATA_GUARDS: dict[str, Callable[[Any], bool]] = {
    "golfkit.overlap": lambda d: d.guard == "on",
}


def refuse_non_train(files: list[Path], val_files: list[Path] | None = None, what: str = "training",
                     guard=None, accepted_ok: bool = False) -> dict | None:
    """Refuse any training file that is not a train shard: by name, by symlink target,
    (when `val_files` is given) by being a renamed copy of a validation shard, and by content
    through the guards DATA_GUARDS selects (golfkit.overlap: windows and documents shared with any
    validation data it knows). `guard` is the run's DataConfig: `data.guard` selects the content
    check and its `guard_*` fields set the policy; None = no run config, the content check with the
    default policy. `accepted_ok`: shards a run's preflight accepted in this process stay accepted
    (a loader re-opening them). Returns what the content check found (GuardReport.summary), or the
    record of why it did not run.

    The challenge README: "You CANNOT access validation data during training". PR #675
    trained on the validation split (its 1.2302 is therefore not a usable anchor); golfkit
    makes that impossible by construction, not by convention.
    """
    chosen = [m for m, wanted in DATA_GUARDS.items() if guard is None or wanted(guard)]
    content = bool(chosen)
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
        for v in (val_files or []) if content else []:  # data.guard=off: names and link targets only
            try:
                same = _same_bytes(f, Path(v))
            except OSError as e:
                raise GolfkitError(f"cannot read shard {f} or {v}: {e.strerror}") from None
            if same:
                raise GolfkitError(f"training refuses {f}: it has the same bytes as validation shard {v}. The challenge "
                                   f"rules forbid training on validation data (PR #675 did it; its score is not valid).")
    if not chosen:
        return {"guard": "off", "what": what, "shards": len(files),
                "reason": "(data.guard=off: file names and symlink targets checked, content not)"}
    summary = None
    for module in chosen:  # by content: a changed token, a shifted copy, a holdout, another folder's val
        report = importlib.import_module(module).check_data(files, val_files, None if accepted_ok else guard, what)
        summary = report.summary(what)
    return summary


class TokenStream:
    """One contiguous stream over the sorted train shards, wrapping around forever."""

    def __init__(self, files: list[Path], vocab_size: int | None = None, guard=None):
        if not files:
            raise GolfkitError("no training shards to stream")
        # structural guard: the training stream only ever opens train shards; `guard` is the run's
        # DataConfig (None = the content check at its defaults), whose preflight already checked them
        refuse_non_train(files, guard=guard, accepted_ok=True)
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
                 vocab_size: int | None = None, guard=None):
        self.rank, self.world_size, self.device = rank, world_size, device
        self.stream = TokenStream(files, vocab_size, guard)

    def next_batch(self, local_tokens: int, seq_len: int) -> tuple[Tensor, Tensor]:
        span = local_tokens + 1
        chunk = self.stream.take(span * self.world_size)
        local = torch.from_numpy(chunk[self.rank * span: (self.rank + 1) * span].astype(np.int64))
        x = local[:-1].reshape(-1, seq_len)
        y = local[1:].reshape(-1, seq_len)
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)


class PackedDocumentLoader:
    """One packed row per rank and micro-step (data.packing=documents): PR #1787 -> #1801/#1855/#2135's
    DocumentPackingLoader, without its prefetch threads.

    The train shards are read in sorted order, cyclically. In each shard a cursor starts at its first BOS (at 0
    when it has none, as PR #1801; PR #1855/#2135 stop there with an IndexError). A call takes the global span
    of world_size * (local_tokens + 1) tokens at the cursor: rank r's row is the r-th (local_tokens + 1) of it,
    (x, y) its shift by one, each (1, local_tokens); then the cursor moves on by the global span. A span that
    does not fit in the rest of the shard is taken from the next shard's first BOS instead (that tail is never
    trained on), after the last shard from the first. Attention within the row's document pieces is the
    model's (`GPT.forward(..., piece_len=)`): a function of the ids, so this loader hands out tokens only.
    The same train-only guards as TokenStream.
    """

    def __init__(self, files: list[Path], rank: int, world_size: int, device: torch.device,
                 vocab_size: int | None = None, guard=None):
        if not files:
            raise GolfkitError("no training shards to stream")
        refuse_non_train(files, guard=guard, accepted_ok=True)  # as TokenStream: train shards only
        self.files, self.rank, self.world_size, self.device = list(files), rank, world_size, device
        self.vocab_size = vocab_size
        self._open(0)

    def _open(self, idx: int) -> None:
        self.idx = idx
        self.tokens = read_shard(self.files[idx], self.vocab_size)
        bos = np.flatnonzero(self.tokens == BOS_ID)
        self.cursor = int(bos[0]) if bos.size else 0

    def next_batch(self, local_tokens: int, seq_len: int = 0) -> tuple[Tensor, Tensor]:
        """(x, y), each (1, local_tokens). `seq_len` is unused (the pieces are the model's), as the records'."""
        span = local_tokens + 1
        global_span = span * self.world_size
        opened = 0
        while self.cursor + global_span > self.tokens.size:
            opened += 1
            if opened > len(self.files):  # a whole cycle without room: never loop forever
                raise GolfkitError(f"no training shard in {Path(self.files[0]).parent} holds a packed span of "
                                   f"{global_span} tokens after its first BOS (world_size x (local tokens + 1)); "
                                   f"lower schedule.train_batch_tokens or use data.packing=rows")
            self._open((self.idx + 1) % len(self.files))
        start = self.cursor + self.rank * span
        local = torch.from_numpy(self.tokens[start: start + span].astype(np.int64))
        self.cursor += global_span
        x, y = local[:-1][None], local[1:][None]
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)


def train_loader(data_cfg, files: list[Path], rank: int, world_size: int, device: torch.device,
                 vocab_size: int | None = None) -> DistributedTokenLoader | PackedDocumentLoader:
    """The training loader `data.packing` selects: rows of one stream (the baseline) or packed documents."""
    cls = PackedDocumentLoader if data_cfg.packing == "documents" else DistributedTokenLoader
    return cls(files, rank, world_size, device, vocab_size, guard=data_cfg)


def _packed_room(path: Path) -> int:
    """Tokens of a shard from where PackedDocumentLoader starts in it: its first BOS (0 without one), found by
    reading 1M-token blocks until the first BOS (a real shard starts with one: one block)."""
    n, pos = shard_token_count(path), 0
    while pos < n:
        block = np.fromfile(path, dtype="<u2", count=min(1 << 20, n - pos), offset=HEADER_BYTES + 2 * pos)
        hit = np.flatnonzero(block == BOS_ID)
        if hit.size:
            return n - pos - int(hit[0])
        pos += block.size
    return n


def check_packed_span(files: list[Path], global_span: int) -> None:
    """Before a run writes anything (data.packing=documents): some shard holds one packed global span after its
    first BOS, where the loader starts; counting whole shards let a shard with its only BOS near the end pass
    here and stop the run in the loader, after its folder was written."""
    longest = 0
    for f in files:
        longest = max(longest, _packed_room(f))
        if longest >= global_span:
            return
    raise GolfkitError(f"data.packing=documents takes {global_span} tokens per micro-step from one shard "
                       f"(world_size x (local tokens + 1)), but the longest training shard holds {longest} from its "
                       f"first BOS; lower schedule.train_batch_tokens or use data.packing=rows")


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

    def token_bytes(self, prev_ids: Tensor, tgt_ids: Tensor, pos: Tensor | None = None) -> Tensor:
        """Bytes charged for predicting `tgt_ids` after `prev_ids` (same shapes), int32. `pos` is unused
        (the tables depend on the ids only); it is there so that callers treat both byte sources alike."""
        b = self.base_bytes[tgt_ids].to(torch.int32)
        return b + (self.has_leading_space[tgt_ids] & ~self.is_boundary[prev_ids]).to(torch.int32)


@dataclass
class SidecarBytes:
    """Byte counts by position (the CaseOps sidecar, PR #1855 / #2135): the target at position p of the
    validation split is charged counts[p], the UTF-8 bytes it stands for in the untransformed text."""

    counts: Tensor  # int32, one per validation token
    spelling: dict | None = None  # check_sidecar_spelling's numbers, for the log

    def to(self, device: torch.device) -> SidecarBytes:
        return SidecarBytes(self.counts.to(device), self.spelling)

    def token_bytes(self, prev_ids: Tensor, tgt_ids: Tensor, pos: Tensor | None = None) -> Tensor:
        """Bytes charged for the targets at positions `pos` (same shape as `tgt_ids`), int32."""
        if pos is None or pos.shape != tgt_ids.shape:
            raise ValueError("sidecar byte counts need each target's position in the validation split")
        return self.counts[pos.to(self.counts.device, torch.long)]


ByteCounts = ByteLUTs | SidecarBytes


def has_case_operators(sp) -> bool:
    """Whether a SentencePiece model has the CaseOps operators as pieces (a CaseOps tokenizer)."""
    ops = set(CASE_OPERATORS)
    return any(sp.id_to_piece(i) in ops for i in range(int(sp.vocab_size())))


def check_tokenizer_variant(sp, variant: str, path: str | Path) -> None:
    """A dataset named sp<N>... is tokenized with an N-piece vocab: a tokenizer of another size under its name (the
    sp4096 model saved as the sp1024 one) scores the sp1024 ids with the other vocab's piece bytes (3.16 bytes per
    token where the split has 2.44), and nothing else notices."""
    m = VARIANT.fullmatch(variant or "")
    if m and int(m.group(1)) != int(sp.vocab_size()):
        raise GolfkitError(f"tokenizer {path} has vocab {int(sp.vocab_size())} but the dataset {variant} was "
                           f"tokenized with {int(m.group(1))} pieces: not its tokenizer")


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
    """The challenge's tables, built once over the vocab (reference: train_gpt.py).

    Refused for a CaseOps tokenizer: its pieces spell the transformed text (an operator piece would
    count 3 bytes, a capital 0 extra), so piece lengths are not the bytes of the scored text.
    """
    if has_case_operators(sp):
        raise GolfkitError("a CaseOps tokenizer (pieces U+E001..U+E004) does not spell the scored bytes: val_bpb "
                           "needs the byte sidecar fineweb_val_bytes_N.bin (data.byte_source=auto|sidecar)")
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


def val_byte_counts(ds: Dataset, sp, vocab_size: int, val_tokens: Tensor) -> ByteCounts:
    """What val_bpb divides by, for this dataset: the sidecar when `ds.byte_source` says so, else the
    tokenizer's tables (refused for a CaseOps tokenizer, see `build_byte_luts`)."""
    check_tokenizer_variant(sp, ds.variant, ds.tokenizer)
    if ds.byte_source == "sidecar":
        counts = load_val_bytes(ds, val_tokens)
        return SidecarBytes(counts, check_sidecar_spelling(sp, val_tokens, counts,
                                                           f"byte sidecar {ds.val_bytes_files[0]}"))
    return build_byte_luts(sp, vocab_size)


SIDECAR_SPELLING_TOLERANCE = 0.001


def spelled_bytes(sp) -> np.ndarray:
    """Bytes each piece spells in the untransformed text: its UTF-8 length with U+2581 as one space; 0 for a CaseOps
    operator (it only changes case) and for control pieces; 1 for a byte piece."""
    n = int(sp.vocab_size())
    out = np.zeros(n, dtype=np.int64)
    for i in range(n):
        piece = sp.id_to_piece(i)
        if sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i) or piece in CASE_OPERATORS:
            continue
        out[i] = 1 if sp.is_byte(i) else len(piece.replace("\u2581", " ").encode("utf-8"))
    return out


def check_sidecar_spelling(sp, val_tokens: Tensor, counts: Tensor, what: str) -> dict:
    """The sidecar's bytes against what the tokenizer's pieces spell for the same targets; refused beyond 0.1%.

    The sidecar is val_bpb's denominator and nothing else checks its values: one of all-65,535s passed every
    alignment check and scored val_bpb 0.0002. On the CaseOps validation head (201,269 targets, 638,651 bytes)
    every target but byte pieces and operators charges exactly its piece's spelling, and the totals are equal.
    Unicode normalisation (NFKC: a no-break space spelled as a space) and whitespace runs folded into one piece
    can make a target charge more; none occurs in the head, so at 0.1% the margin is wide, and a forgery inside
    it moves val_bpb by at most 0.1% (~0.001 at the record's 1.0565, under half the challenge's 0.005-nat bar).
    """
    table = torch.from_numpy(spelled_bytes(sp))
    ids = val_tokens[1:].long().clamp(0, table.numel() - 1)
    spelled = int(table[ids].sum())
    charged = int(counts[1:].long().sum())
    differ = int((counts[1:].long() != table[ids]).sum())
    excess = charged / max(spelled, 1) - 1.0
    if abs(excess) > SIDECAR_SPELLING_TOLERANCE:
        raise GolfkitError(f"{what} charges {charged:,} bytes where the tokenizer's pieces spell {spelled:,} "
                           f"({100 * excess:+.2f}%, over the {100 * SIDECAR_SPELLING_TOLERANCE:.1f}% Unicode "
                           f"normalisation and whitespace folding allow): a sidecar like it would move val_bpb by "
                           f"{100 * (1 / (1 + excess) - 1):+.2f}%, so golfkit refuses it")
    return {"charged": charged, "spelled": spelled, "excess": round(excess, 6), "targets_differ": differ}

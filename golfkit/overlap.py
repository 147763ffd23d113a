"""The validation guard: training and calibration data are checked against validation data by content.

The challenge README: "You CANNOT access validation data during training" (PR #675 trained on the
validation split; its score is not valid). Checking file names catches a renamed or linked val shard;
it does not catch a val shard with one token changed, val plus one token, a truncated or shifted copy,
the tail of the split kept aside as a holdout, or another folder's val shard (a copy or a hard link).
This module catches all of those by content, and `golfkit data verify` reports the same numbers for a
whole folder (the data-prep bug of openai/parameter-golf issue #2127 put validation documents into the
training shards of 15 PRs; it was visible only as `train_shards: 1499` in their logs).

What is compared: 32-token windows. Every window of a token stream gets a 64-bit rolling hash
(a polynomial over a fixed random table of token ids, built by doubling: h_2k(i) = h_k(i) B^k +
h_k(i+k), then a splitmix64 finaliser). A window is *sampled* when the top 4 bits of its hash are 0
(one in 16, chosen by content, so a shifted copy samples the same windows: "winnowing"-style content-
defined sampling, Schleimer et al. 2003). The index of a validation source holds the sampled window
hashes with the document each comes from, and one exact hash per document (for documents shorter than
a window). A training shard's overlap with a source is the fraction of its sampled windows whose hash
the source holds. One changed token destroys the 32 windows that cover it and leaves the rest; edits
denser than one every 32 tokens are not caught (the honest limit of any n-gram test).

Why 32 and 1%: measured on the challenge's data by benchmarks/bench_overlap.py --sweep (every window
of the train head, 1,048,576 tokens, looked up in the validation head, 262,145 tokens, and in the
validation tail, 2,021,846 tokens): 16-token windows match boilerplate ("the U.S. Environmental
Protection Agency", e-mail placeholders) at 2.8e-5 (head) and 2.6e-4 (tail) of the train windows,
32-token windows at 0 and 1.4e-5 (one shared newsletter footer), 48 at 0. A copy of validation data
matches at ~1. The default threshold (`data.guard_max_overlap`, 1% of a shard's windows) sits far
above natural overlap even if it grew linearly with the 27x larger full validation split (~4e-4),
and far below any copy. Training also refuses
when the union of its shards contains more than `data.guard_max_val_docs` (1%) of the documents of a
source (a document counts when half of its sampled windows, or its exact hash, occur in one shard):
this is the #2127 case, validation documents spread thinly over many shards.

What is "validation data": the guard can only recognise what it has indexed. Sources, in order:
1. the validation split beside each training shard (`fineweb_val_*.bin` in its folder, also in the
   folder a symlinked shard resolves to; `_bytes_` sidecars are not tokens and are skipped);
2. the data folder's `holdout/*_<variant>.bin` (the tail of the same split kept for scoring);
3. `data.guard_extra`: shard files, dataset folders or data roots the user names (another export,
   a folder whose val shard might be hard-linked into this one).
A validation split that is none of these (a folder the guard was never told about) is not known to
it; `golfkit audit` checks the logged `val_tokens`/`train_shards` against the canonical counts.

Cost and cache: hashing is a few numpy passes per chunk (threads release the GIL); an index is built
once per source content and a shard's result once per (shard identity, source). Both are cached in
`data.guard_cache` (default `~/.cache/golfkit/valguard`, a folder golfkit owns; golfkit never writes
into the data folder unless the user points the cache there; "" keeps everything in memory). Cache
keys are content hashes of the sources and (device, inode, size, mtime) of a shard; files are written
to a temp name and renamed; nothing is pickled.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.shards import BOS_ID, read_shard

WINDOW = 32  # tokens per window (a power of two: hashes are built by doubling)
SAMPLE_BITS = 4  # a window is sampled when the top SAMPLE_BITS bits of its hash are zero (1 in 16)
ALGO = f"golfkit-valguard-2-w{WINDOW}-s{SAMPLE_BITS}"
CHUNK_TOKENS = 1 << 22  # tokens hashed at once: bounds the temporaries to ~40 bytes x this per thread
CONTAINED = 0.5  # a validation document counts as contained when this share of its sampled windows is hit
MIN_DOC_SAMPLES = 4  # ...and it has at least this many sampled windows (shorter ones: exact hash only)
SHORT_DOC = 512  # checked shards hash documents up to this length exactly (P(< 4 samples | 512 tokens) ~ 1e-9)
DEFAULT_CACHE = "~/.cache/golfkit/valguard"
DEFAULT_MAX_OVERLAP = 0.01
DEFAULT_MAX_VAL_DOCS = 0.01

_GOLDEN = 0x9E3779B97F4A7C15
_BASE = 0xD6E8FEB86659FD93  # odd multiplier of the polynomial hash
_SHIFT = np.uint64(64 - SAMPLE_BITS)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (Steele et al. 2014), in place on a uint64 array (wraps mod 2^64)."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


# a fixed random odd 64-bit value per token id, from arithmetic only (stable across numpy versions)
_TABLE = _mix(np.arange(1, 65537, dtype=np.uint64) * np.uint64(_GOLDEN)) | np.uint64(1)
_POW = {k: np.uint64(pow(_BASE, k, 1 << 64)) for k in (1 << i for i in range(16))}


def window_hashes(tokens: np.ndarray) -> np.ndarray:
    """Hash of every WINDOW-token window of `tokens` (len(tokens) - WINDOW + 1 values, uint64)."""
    if tokens.size < WINDOW:
        return np.zeros(0, dtype=np.uint64)
    h = _TABLE[tokens.astype(np.int64, copy=False)]
    span = 1
    while span < WINDOW:
        h = h[:-span] * _POW[span] + h[span:]  # h_2k(i) = h_k(i) B^k + h_k(i + k)
        span *= 2
    return _mix(h)


def sampled_windows(tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, start positions) of the content-sampled windows of `tokens`."""
    h = window_hashes(tokens)
    pos = np.flatnonzero((h >> _SHIFT) == 0)
    return h[pos], pos


def doc_hashes(tokens: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """One order-sensitive 64-bit hash per document [starts[i], starts[i+1]) (the last runs to the end)."""
    if starts.size == 0:
        return np.zeros(0, dtype=np.uint64)
    lens = np.diff(np.append(starts, tokens.size))
    pos = np.arange(tokens.size, dtype=np.uint64) - np.repeat(starts.astype(np.uint64), lens)
    v = _mix(_TABLE[tokens.astype(np.int64, copy=False)] + (pos + np.uint64(1)) * np.uint64(_GOLDEN))
    return _mix(np.add.reduceat(v, starts) ^ (lens.astype(np.uint64) * np.uint64(_BASE)))


def doc_starts(tokens: np.ndarray) -> np.ndarray:
    """Document starts (BOS positions; a stream that does not start with BOS opens with a partial one)."""
    s = np.flatnonzero(tokens == BOS_ID)
    return s if (s.size and s[0] == 0) or tokens.size == 0 else np.concatenate([[0], s])


def _chunks(tokens: np.ndarray, starts: np.ndarray) -> list[tuple[int, int]]:
    """[a, b) spans of about CHUNK_TOKENS that end on document starts. A document longer than
    4 x CHUNK_TOKENS (or a stream without BOS) is cut anyway, to bound memory: its pieces count as
    documents of their own, the same way in an index and in a checked shard."""
    out, a, n = [], 0, tokens.size
    while a < n:
        i = np.searchsorted(starts, a + CHUNK_TOKENS)
        b = int(starts[i]) if i < starts.size else n
        if b - a > 4 * CHUNK_TOKENS:
            b = a + CHUNK_TOKENS
        out.append((a, b))
        a = b
    return out


def _short(piece: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact hashes and lengths of the documents of at most SHORT_DOC tokens (gathered, then hashed)."""
    sel = np.flatnonzero(lens <= SHORT_DOC)
    if sel.size == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    ln = lens[sel]
    new_starts = np.concatenate([[0], np.cumsum(ln)[:-1]]).astype(np.int64)
    offs = np.repeat(starts[sel] - new_starts, ln) + np.arange(int(ln.sum()))
    return doc_hashes(piece[offs], new_starts), ln


def _scan(tokens: np.ndarray, index: bool = False):
    """Per chunk: (sampled hashes, their absolute positions, doc starts, doc hashes, doc lengths).

    For an index every document is hashed (in order); for a checked shard only documents of at most
    SHORT_DOC tokens are (longer ones hold >= ~30 sampled windows, which decide them), and the sampled
    hashes come sorted (looking sorted keys up is ~7x faster) without positions.
    """
    starts = doc_starts(tokens)
    for a, b in _chunks(tokens, starts):
        h, pos = sampled_windows(tokens[a: min(b + WINDOW - 1, tokens.size)])
        s = starts[(starts >= a) & (starts < b)] - a
        if s.size == 0 or s[0] != 0:
            s = np.concatenate([[0], s]).astype(np.int64)
        piece = tokens[a:b]
        lens = np.diff(np.append(s, piece.size))
        if index:
            yield h, pos + a, s + a, doc_hashes(piece, s), lens
        else:
            d, ln = _short(piece, s, lens)
            yield np.sort(h), None, s + a, d, ln


# ----------------------------------------------------------------------------------
# validation sources and their index
# ----------------------------------------------------------------------------------
@dataclass
class Source:
    """One piece of validation data: the shards of a split (in order) or one holdout file."""

    label: str
    files: list[Path]


def _file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            h.update(block)
    return h.hexdigest()


_DIGESTS: dict[tuple, str] = {}
_LOCK = threading.Lock()


def identity(path: Path) -> tuple:
    """What a cached result is keyed by: the file's device, inode, size and modification time."""
    st = Path(path).stat()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def source_key(src: Source) -> str:
    """A content key of a source (algorithm + the bytes of its files, in order)."""
    h = hashlib.blake2b(ALGO.encode(), digest_size=16)
    for f in src.files:
        ident = identity(f)
        with _LOCK:
            d = _DIGESTS.get(ident)
        if d is None:
            d = _file_digest(f)
            with _LOCK:
                _DIGESTS[ident] = d
        h.update(d.encode())
    return h.hexdigest()


@dataclass
class ValIndex:
    key: str
    label: str
    tokens: int
    hashes: np.ndarray  # sampled window hashes, sorted (uint64)
    doc_of: np.ndarray  # the document of each (int32)
    doc_hash: np.ndarray  # one exact hash per document, in document order (uint64)
    doc_len: np.ndarray  # tokens per document (int64)
    doc_samples: np.ndarray = field(init=False)  # sampled windows per document
    _doc_sorted: np.ndarray = field(init=False)

    def __post_init__(self):
        self.doc_samples = np.bincount(self.doc_of, minlength=self.docs).astype(np.int64)
        self._doc_sorted = np.argsort(self.doc_hash, kind="stable")

    @property
    def docs(self) -> int:
        return int(self.doc_hash.size)

    @property
    def windows(self) -> int:
        return int(self.hashes.size)

    @classmethod
    def build(cls, src: Source, key: str) -> ValIndex:
        tokens = np.concatenate([read_shard(f) for f in src.files]) if src.files else np.zeros(0, np.uint16)
        hs, ps, dh, dl, st = [], [], [], [], []
        for h, pos, starts, d, lens in _scan(tokens, index=True):
            hs.append(h), ps.append(pos), dh.append(d), dl.append(lens), st.append(starts)
        cat = lambda xs, dt: np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)  # noqa: E731
        h, pos, starts = cat(hs, np.uint64), cat(ps, np.int64), cat(st, np.int64)
        doc_of = (np.searchsorted(starts, pos, side="right") - 1).astype(np.int32)
        order = np.argsort(h, kind="stable")
        return cls(key, src.label, int(tokens.size), h[order], doc_of[order], cat(dh, np.uint64), cat(dl, np.int64))

    # -- cache (npz without pickles) --
    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        meta = json.dumps({"algo": ALGO, "key": self.key, "label": self.label, "tokens": self.tokens})
        np.savez(buf, meta=np.frombuffer(meta.encode(), dtype=np.uint8), hashes=self.hashes, doc_of=self.doc_of,
                 doc_hash=self.doc_hash, doc_len=self.doc_len)
        return buf.getvalue()

    @classmethod
    def from_file(cls, path: Path, key: str) -> ValIndex | None:
        """The cached index, or None when it is missing, unreadable or for another key/algorithm."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(bytes(z["meta"]).decode())
                if meta.get("algo") != ALGO or meta.get("key") != key:
                    return None
                arrays = {k: z[k] for k in ("hashes", "doc_of", "doc_hash", "doc_len")}
        except (OSError, ValueError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        dt = {"hashes": np.uint64, "doc_of": np.int32, "doc_hash": np.uint64, "doc_len": np.int64}
        if any(arrays[k].dtype != d or arrays[k].ndim != 1 for k, d in dt.items()) \
                or arrays["hashes"].size != arrays["doc_of"].size or arrays["doc_hash"].size != arrays["doc_len"].size:
            return None
        n = arrays["doc_hash"].size
        if arrays["doc_of"].size and (arrays["doc_of"].min() < 0 or arrays["doc_of"].max() >= n):
            return None
        return cls(key, meta["label"], int(meta["tokens"]), **arrays)

    # -- lookups --
    def hit(self, h: np.ndarray) -> np.ndarray:
        """Which of the hashes `h` the index holds (bool array)."""
        if self.hashes.size == 0 or h.size == 0:
            return np.zeros(h.size, dtype=bool)
        i = np.minimum(np.searchsorted(self.hashes, h), self.hashes.size - 1)
        return self.hashes[i] == h

    def docs_with_hashes(self, uniq: np.ndarray) -> np.ndarray:
        """Per document: how many of its sampled windows have a hash in the sorted unique array `uniq`."""
        if uniq.size == 0 or self.hashes.size == 0:
            return np.zeros(self.docs, dtype=np.int64)
        i = np.minimum(np.searchsorted(uniq, self.hashes), uniq.size - 1)
        return np.bincount(self.doc_of[uniq[i] == self.hashes], minlength=self.docs)

    def exact_docs(self, d: np.ndarray) -> np.ndarray:
        """Index of the validation document whose exact hash equals each of `d`, or -1."""
        if self.docs == 0 or d.size == 0:
            return np.full(d.size, -1, dtype=np.int64)
        sorted_h = self.doc_hash[self._doc_sorted]
        i = np.minimum(np.searchsorted(sorted_h, d), sorted_h.size - 1)
        return np.where(sorted_h[i] == d, self._doc_sorted[i], -1)


# ----------------------------------------------------------------------------------
# one shard against the sources
# ----------------------------------------------------------------------------------
@dataclass
class Overlap:
    """What one shard shares with one validation source."""

    file: str
    source: str  # the source's label
    source_key: str
    tokens: int = 0
    docs: int = 0
    windows: int = 0  # sampled windows of the shard
    matched: int = 0  # ... whose hash the source holds
    exact_docs: int = 0  # documents of the shard (of <= SHORT_DOC tokens) identical to a source document
    exact_doc_tokens: int = 0
    val_docs: list[int] = field(default_factory=list)  # source documents contained in the shard

    @property
    def fraction(self) -> float:
        """The share of the shard that is validation content (windows, or exact documents)."""
        w = self.matched / self.windows if self.windows else 0.0
        return max(w, self.exact_doc_tokens / self.tokens if self.tokens else 0.0)


def scan_shard(path: Path, indexes: list[ValIndex]) -> list[Overlap]:
    tokens = read_shard(path)
    out = [Overlap(str(path), ix.label, ix.key, tokens=int(tokens.size)) for ix in indexes]
    uniq: list[list[np.ndarray]] = [[] for _ in indexes]
    exact: list[set[int]] = [set() for _ in indexes]
    for h, _, starts, d, lens in _scan(tokens):
        for k, ix in enumerate(indexes):
            o = out[k]
            o.docs += int(starts.size)
            o.windows += int(h.size)
            m = ix.hit(h)
            o.matched += int(m.sum())
            if m.any():
                uniq[k].append(np.unique(h[m]))
            e = ix.exact_docs(d)
            ok = e >= 0
            o.exact_docs += int(ok.sum())
            o.exact_doc_tokens += int(lens[ok].sum())
            exact[k].update(int(i) for i in e[ok])
    for k, ix in enumerate(indexes):
        u = np.unique(np.concatenate(uniq[k])) if uniq[k] else np.zeros(0, np.uint64)
        per_doc = ix.docs_with_hashes(u)
        contained = (ix.doc_samples >= MIN_DOC_SAMPLES) & (per_doc >= CONTAINED * ix.doc_samples)
        out[k].val_docs = sorted(exact[k] | {int(i) for i in np.flatnonzero(contained)})
    return out


# ----------------------------------------------------------------------------------
# the guard
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Policy:
    """How training data is checked (the run's `data.guard_*` fields)."""

    extra: tuple[str, ...] = ()
    cache: str = DEFAULT_CACHE
    max_overlap: float = DEFAULT_MAX_OVERLAP
    max_val_docs: float = DEFAULT_MAX_VAL_DOCS
    workers: int = 1

    def check(self) -> Policy:
        if not 0.0 <= self.max_overlap < 1.0:
            raise GolfkitError(f"data.guard_max_overlap={self.max_overlap} must be in [0, 1)")
        if not 0.0 <= self.max_val_docs < 1.0:
            raise GolfkitError(f"data.guard_max_val_docs={self.max_val_docs} must be in [0, 1)")
        if self.workers < 1:
            raise GolfkitError(f"data.guard_workers must be >= 1 (0 in the config = torch's thread count), got {self.workers}")
        for p in self.extra:
            if not Path(p).exists():
                raise GolfkitError(f"data.guard_extra names {p}, which does not exist")
        return self


def policy_from(data_cfg, workers: int) -> Policy:
    """The run's policy from its DataConfig, checked (out-of-range values refused before any work)."""
    return Policy(tuple(data_cfg.guard_extra), data_cfg.guard_cache, data_cfg.guard_max_overlap,
                  data_cfg.guard_max_val_docs, data_cfg.guard_workers or workers).check()


_VARIANT = re.compile(r"fineweb10B_(.+)")


def _variant(folder: Path) -> str | None:
    m = _VARIANT.fullmatch(folder.name)
    return m.group(1) if m else None


def _val_split(folder: Path) -> list[Path]:
    return sorted(f for f in folder.glob("fineweb_val_*.bin") if "_bytes_" not in f.name)


def _root_sources(root: Path, variants: set[str | None]) -> list[Source]:
    """The validation data a challenge-layout data root holds for `variants`: val splits and holdout."""
    out = []
    names = {v for v in variants if v} or {_variant(d) for d in (root / "datasets").glob("fineweb10B_*")}
    for v in sorted(n for n in names if n):
        val = _val_split(root / "datasets" / f"fineweb10B_{v}")
        if val:
            out.append(Source(f"validation split {val[0].parent}", val))
        out += [Source(f"holdout {f}", [f]) for f in sorted((root / "holdout").glob(f"*_{v}.bin"))]
    return out


def sources_for(train_files: list[Path], val_files: list[Path] | None = None, extra: tuple[str, ...] = ()) -> list[Source]:
    """Every validation source the guard knows for these training files (see the module docstring)."""
    out: list[Source] = []
    if val_files:
        out.append(Source(f"validation split {Path(val_files[0]).parent}", [Path(v) for v in val_files]))
    folders = []
    for f in train_files:
        for d in (Path(f).parent, Path(f).resolve().parent):
            if d not in folders:
                folders.append(d)
    variants = {_variant(d) for d in folders}
    for d in folders:
        val = _val_split(d)
        if val:
            out.append(Source(f"validation split {d}", val))
        if d.parent.name == "datasets":
            out += [s for s in _root_sources(d.parent.parent, {_variant(d)}) if s.label.startswith("holdout")]
    for e in extra:
        p = Path(e)
        if p.is_file():
            out.append(Source(f"validation data {p}", [p]))
        elif _val_split(p):
            out.append(Source(f"validation split {p}", _val_split(p)))
        elif (p / "datasets").is_dir():
            out += _root_sources(p, variants)
        else:
            raise GolfkitError(f"data.guard_extra entry {p} holds no validation shards (a shard, a folder with "
                               f"fineweb_val_*.bin, or a data root with datasets/)")
    seen, unique = set(), []
    for s in out:
        k = tuple(sorted(str(f.resolve()) for f in s.files))
        if k not in seen:
            seen.add(k)
            unique.append(s)
    return unique


_INDEXES: dict[str, ValIndex] = {}
_RESULTS: dict[tuple, Overlap] = {}
_ACCEPTED: set[tuple] = set()  # (shard identity, source key) accepted under a run's own policy


def _cache_dir(policy: Policy) -> Path | None:
    if not policy.cache:
        return None
    d = Path(policy.cache).expanduser()
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unwritable cache only costs time
    return d if os.access(d, os.W_OK) else None


def cache_label(policy: Policy) -> str:
    """The cache as reports name it: a path golfkit cannot use (a file, a read-only folder) is said to be unused,
    not listed as if results were kept there."""
    if not policy.cache:
        return "(memory only)"
    if _cache_dir(policy) is None:
        return f"{policy.cache} (not a writable folder: unused, memory only)"
    return policy.cache


def _try_write(path: Path, data: bytes | str) -> None:
    try:
        atomic_write(path, data)
    except OSError:
        pass  # the cache is an optimisation: a full disk or a read-only folder must not stop a run


def _count(stats: dict | None, what: str) -> None:
    if stats is not None:
        with _LOCK:
            stats[what] = stats.get(what, 0) + 1


def load_index(src: Source, policy: Policy, stats: dict | None = None) -> ValIndex:
    """A source's index: from this process's memory, the cache folder, or built (counted in `stats`)."""
    key = source_key(src)
    with _LOCK:
        ix = _INDEXES.get(key)
    if ix is not None:  # the same content may sit in another folder: name the one this run uses
        _count(stats, "index_memory")
        return dataclasses.replace(ix, label=src.label)
    cache = _cache_dir(policy)
    path = cache / f"index-{key}.npz" if cache else None
    ix = ValIndex.from_file(path, key) if path and path.is_file() else None
    _count(stats, "index_cache" if ix is not None else "index_built")
    if ix is None:
        ix = ValIndex.build(src, key)
        if path:
            _try_write(path, ix.to_bytes())
    ix.label = src.label
    with _LOCK:
        _INDEXES[key] = ix
    return ix


def _result_path(cache: Path, ident: tuple, key: str) -> Path:
    return cache / "shards" / f"{key}-{hashlib.blake2b(repr(ident).encode(), digest_size=12).hexdigest()}.json"


def shard_overlaps(files: list[Path], indexes: list[ValIndex], policy: Policy,
                   stats: dict | None = None) -> list[list[Overlap]]:
    """Per file, its Overlap with each index: from memory, the cache, or a scan (threads over files;
    each (shard, source) pair counted in `stats` as shard_memory, shard_cache or shard_scanned)."""
    cache = _cache_dir(policy)

    def one(f: Path) -> list[Overlap]:
        ident = identity(f)
        got: dict[str, Overlap] = {}
        for ix in indexes:
            with _LOCK:
                r = _RESULTS.get((ident, ix.key))
            if r is not None:
                _count(stats, "shard_memory")
            elif cache:
                try:
                    d = json.loads(_result_path(cache, ident, ix.key).read_text())
                    if d.get("algo") == ALGO:
                        d.pop("algo")
                        r = Overlap(**d)
                        _count(stats, "shard_cache")
                except (OSError, ValueError, TypeError):
                    r = None
            if r is not None:
                got[ix.key] = Overlap(**{**asdict(r), "file": str(f), "source": ix.label})
        todo = [ix for ix in indexes if ix.key not in got]
        if todo:
            for ix, r in zip(todo, scan_shard(Path(f), todo)):
                got[ix.key] = r
                _count(stats, "shard_scanned")
                if cache:
                    _try_write(_result_path(cache, ident, ix.key), json.dumps({"algo": ALGO, **asdict(r)}))
        with _LOCK:
            for k, r in got.items():
                _RESULTS[(ident, k)] = r
        return [got[ix.key] for ix in indexes]

    if policy.workers <= 1 or len(files) <= 1:
        return [one(Path(f)) for f in files]
    with ThreadPoolExecutor(min(policy.workers, len(files))) as pool:
        return list(pool.map(one, [Path(f) for f in files]))


@dataclass
class GuardReport:
    """What the guard looked at and found (for logs, `data verify` and tests)."""

    sources: list[dict]
    shards: list[list[Overlap]]
    contained: dict[str, int]  # source label -> documents of it contained in the checked shards
    stats: dict = field(default_factory=dict)  # index_{memory,cache,built}, shard_{memory,cache,scanned} counts
    policy: Policy | None = None

    def worst(self) -> Overlap | None:
        flat = [o for per in self.shards for o in per]
        return max(flat, key=lambda o: o.fraction) if flat else None

    def summary(self, what: str = "training") -> dict:
        """What the run record keeps (metrics.json "data_guard") and train.log's `data_guard:` line shows."""
        w = self.worst()
        p = self.policy or Policy()
        return {"guard": "on", "what": what, "shards": len(self.shards),
                "sources": [{"label": s["label"], "tokens": s["tokens"], "docs": s["docs"]} for s in self.sources],
                "worst_fraction": w.fraction if w else 0.0, "worst_shard": Path(w.file).name if w else None,
                "worst_source": w.source if w else None,
                "contained_docs": dict(self.contained), "max_overlap": p.max_overlap, "max_val_docs": p.max_val_docs,
                "extra": list(p.extra), "cache": cache_label(p), "work": dict(sorted(self.stats.items()))}


def format_summary(d: dict) -> str:
    """One `data_guard:` line from a GuardReport.summary() (or the record of a guard that was off)."""
    if d.get("guard") != "on":
        return f"data_guard:off {d.get('reason', '')}".rstrip()
    srcs = "; ".join(f"{s['label']} ({s['tokens']:,} tokens, {s['docs']:,} docs)" for s in d["sources"]) or "none found"
    docs = sum(d["contained_docs"].values())
    work = " ".join(f"{k}:{v}" for k, v in d["work"].items()) or "-"
    return (f"data_guard:on checked {d['shards']} {d['what']} shard(s) by content against {len(d['sources'])} "
            f"validation source(s) [{srcs}]: worst overlap {d['worst_fraction']:.4%} of sampled {WINDOW}-token "
            f"windows ({d['worst_shard']} vs {d['worst_source']}), {docs} validation document(s) contained; "
            f"thresholds max_overlap={d['max_overlap']:g} max_val_docs={d['max_val_docs']:g}; "
            f"cache {d['cache']}; {work}")


def inspect(files: list[Path], val_files: list[Path] | None = None, policy: Policy | None = None,
            sources: list[Source] | None = None, stats: dict | None = None) -> GuardReport:
    """Overlap of `files` with every known validation source, without judging it."""
    policy = policy or Policy()
    stats = {} if stats is None else stats
    files = [Path(f) for f in files]
    srcs = sources if sources is not None else sources_for(files, val_files, policy.extra)
    indexes = [load_index(s, policy, stats) for s in srcs]
    shards = shard_overlaps(files, indexes, policy, stats) if indexes else [[] for _ in files]
    contained = {}
    for k, ix in enumerate(indexes):
        docs: set[int] = set()
        for per in shards:
            docs.update(per[k].val_docs)
        contained[ix.label] = len(docs)
    info = [{"label": ix.label, "key": ix.key, "tokens": ix.tokens, "docs": ix.docs, "windows": ix.windows}
            for ix in indexes]
    return GuardReport(info, shards, contained, stats, policy)


def _share_first_pass(files: list[Path], val_files: list[Path] | None, policy: Policy, stats: dict) -> None:
    """Under torchrun (a run's preflight, which every rank executes): rank 0 builds the indexes, then
    rank r scans shards r, r + world, ...; each writes its results to the cache and every rank then
    reads them all. Without a cache (or a process group) every rank does the whole pass itself."""
    try:
        import torch.distributed as tdist
    except ImportError:
        return
    if not (tdist.is_available() and tdist.is_initialized()) or tdist.get_world_size() < 2 or not _cache_dir(policy):
        return
    rank, world = tdist.get_rank(), tdist.get_world_size()
    srcs = sources_for([Path(f) for f in files], val_files, policy.extra)
    # a bad file raises on one rank; it waits at the barrier first, so that no rank hangs there: the
    # others then meet the same file themselves (in load_index or inspect) and raise the same error
    err: GolfkitError | None = None
    try:
        if rank == 0:
            for src in srcs:
                load_index(src, policy, stats)
    except GolfkitError as e:
        err = e
    tdist.barrier()
    if err:
        raise err
    indexes = [load_index(src, policy, stats) for src in srcs]
    try:
        if indexes:
            shard_overlaps([Path(f) for f in files][rank::world], indexes, policy, stats)
    except GolfkitError as e:
        err = e
    tdist.barrier()
    if err:
        raise err


def check(files: list[Path], val_files: list[Path] | None = None, policy: Policy | None = None,
          what: str = "training") -> GuardReport:
    """Refuse (one GolfkitError line) training files that overlap validation data beyond the policy.

    With `policy=None` (a loader opened without a run config) the defaults apply, except that a
    shard already accepted in this process under a run's own policy for the same source stays accepted.
    """
    explicit = policy is not None
    policy = policy or Policy()
    stats: dict = {}
    if explicit:
        _share_first_pass(files, val_files, policy, stats)
    report = inspect(files, val_files, policy, stats=stats)
    for per, f in zip(report.shards, files):
        ident = identity(Path(f))
        for o in per:
            if not explicit and (ident, o.source_key) in _ACCEPTED:
                continue
            if o.fraction > policy.max_overlap:
                how = (f"{o.matched:,} of its {o.windows:,} sampled {WINDOW}-token windows" if o.windows and
                       o.matched / o.windows >= o.exact_doc_tokens / max(o.tokens, 1)
                       else f"{o.exact_docs:,} documents, {o.exact_doc_tokens:,} of its {o.tokens:,} tokens")
                raise GolfkitError(
                    f"{what} refuses {f}: {o.fraction:.2%} of it is validation data ({how} occur in the {o.source}), "
                    f"above data.guard_max_overlap={policy.max_overlap:g}. The challenge rules forbid training on "
                    f"validation data (PR #675 did it; its score is not valid)")
    for k, src in enumerate(report.sources):
        n, docs = report.contained[src["label"]], src["docs"]
        pending = [per[k] for per, f in zip(report.shards, files)
                   if explicit or (identity(Path(f)), per[k].source_key) not in _ACCEPTED]
        if docs and pending and n / docs > policy.max_val_docs:
            top = max(pending, key=lambda o: len(o.val_docs))
            raise GolfkitError(
                f"{what} refuses {len(files)} shard(s): together they contain {n:,} of the {docs:,} documents of the "
                f"{src['label']} ({n / docs:.2%}, above data.guard_max_val_docs={policy.max_val_docs:g}); "
                f"{top.file} alone holds {len(top.val_docs):,}. Validation documents in the training data are "
                f"against the challenge rules (openai/parameter-golf issue #2127)")
    if explicit:
        for per, f in zip(report.shards, files):
            ident = identity(Path(f))
            _ACCEPTED.update((ident, o.source_key) for o in per)
    return report


def check_data(files: list[Path], val_files: list[Path] | None, data_cfg, what: str = "training") -> GuardReport:
    """`check` under a run's DataConfig (golfkit.data.DATA_GUARDS calls this when data.guard=on);
    `data_cfg=None`: the defaults, for a loader opened without a run config (see `check`)."""
    import torch

    policy = policy_from(data_cfg, torch.get_num_threads()) if data_cfg is not None else None
    return check([Path(f) for f in files], val_files, policy, what)


def split_fingerprint(files: list[Path]) -> dict:
    """Tokens, documents and a content hash of a split (its shards concatenated in sorted order)."""
    h = hashlib.blake2b(digest_size=16)
    tokens = docs = 0
    for f in files:
        t = read_shard(f)
        h.update(t.astype("<u2").tobytes())
        tokens += int(t.size)
        docs += int((t == BOS_ID).sum())
    return {"tokens": tokens, "docs": docs, "blake2b": h.hexdigest()}


# ----------------------------------------------------------------------------------
# `golfkit data verify`: fingerprint, canonical status and train/val overlap of a folder
# ----------------------------------------------------------------------------------
def verify_report(data_dir: str | Path, variant: str, policy: Policy | None = None) -> dict:
    """What `golfkit data verify` adds to the shard counts: is this the canonical split, and how much
    of the validation data (the folder's split, its holdout, `policy.extra`) is in its training shards."""
    from golfkit import canonical

    policy = (policy or Policy()).check()
    folder = Path(data_dir) / "datasets" / f"fineweb10B_{variant}"
    train = sorted(folder.glob("fineweb_train_*.bin"))
    val = _val_split(folder)
    if not val:
        raise GolfkitError(f"no validation shards fineweb_val_*.bin in {folder}")
    val_tokens = np.concatenate([read_shard(f) for f in val])
    fp = split_fingerprint(val)
    out: dict = {"fingerprint": {"val": fp}, "canonical": {}, "overlap": [], "cache": cache_label(policy)}
    docs_note = (f"; documents {fp['docs']:,} (canonical {canonical.VAL_DOCS:,})"
                 if fp["tokens"] > canonical.SHARD_TOKENS // 10 else "")
    out["canonical"]["val"] = {**canonical.head_evidence(variant, "val", val_tokens)}
    out["canonical"]["val"]["evidence"] += docs_note
    if train:
        head = read_shard(train[0])
        out["fingerprint"]["train"] = {"shards": len(train),
                                       "tokens": sum((f.stat().st_size - 1024) // 2 for f in train)}
        ev = canonical.head_evidence(variant, "train", head)
        ev["evidence"] += f"; {len(train)} shard(s) (the canonical export has {canonical.TRAIN_SHARDS} of " \
                          f"{canonical.SHARD_TOKENS:,} tokens)"
        out["canonical"]["train"] = ev
    for f in sorted((Path(data_dir) / "holdout").glob(f"*_{variant}.bin")):
        out["canonical"][f"holdout {f.name}"] = canonical.tail_evidence(variant, read_shard(f))
    if train:
        rep = inspect(train, val, policy)
        for k, src in enumerate(rep.sources):
            per = [s[k] for s in rep.shards]
            worst = max(per, key=lambda o: o.fraction)
            out["overlap"].append({
                "source": src["label"], "source_tokens": src["tokens"], "source_docs": src["docs"],
                "windows": sum(o.windows for o in per), "matched": sum(o.matched for o in per),
                "exact_docs": sum(o.exact_docs for o in per), "contained_docs": rep.contained[src["label"]],
                "worst_shard": worst.file, "worst_fraction": worst.fraction,
                "over_threshold": worst.fraction > policy.max_overlap
                or (src["docs"] > 0 and rep.contained[src["label"]] / src["docs"] > policy.max_val_docs)})
    return out


def format_verify(r: dict) -> str:
    fp = r["fingerprint"]["val"]
    lines = [f"fingerprint: val tokens:{fp['tokens']} documents:{fp['docs']} blake2b:{fp['blake2b']}"]
    if "train" in r["fingerprint"]:
        t = r["fingerprint"]["train"]
        lines.append(f"fingerprint: train shards:{t['shards']} tokens:{t['tokens']}")
    for what, ev in r["canonical"].items():
        lines.append(f"canonical {what}: {ev['status']}: {ev['evidence']}")
    for o in r["overlap"]:
        share = o["matched"] / o["windows"] if o["windows"] else 0.0
        docs = o["contained_docs"] / o["source_docs"] if o["source_docs"] else 0.0
        lines.append(f"overlap train vs {o['source']}: windows {o['matched']:,} of {o['windows']:,} sampled "
                     f"({share:.4%}); exact documents {o['exact_docs']:,}; documents of it in train "
                     f"{o['contained_docs']:,} of {o['source_docs']:,} ({docs:.2%}); worst shard "
                     f"{Path(o['worst_shard']).name} {o['worst_fraction']:.4%}"
                     + (" OVER THE GUARD'S THRESHOLD: training would refuse this folder" if o["over_threshold"] else ""))
    if r["overlap"]:
        lines.append(f"overlap cache: {r.get('cache', '(memory only)')}")
    return "\n".join(lines)

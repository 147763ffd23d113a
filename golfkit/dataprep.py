"""`golfkit data fetch | build | verify`: getting challenge-format data onto a machine.

* fetch: the challenge export from its Hugging Face dataset repo, manifest-driven like
  the challenge's `data/cached_challenge_fineweb.py` (needs internet; not used in CI);
* build: shards from any text (.jsonl with a "text" field, or .txt with one document
  per blank-line-separated block; .json and compressed files are refused, not read as text), BOS before
  each document, no EOS; with
  `--transform lossless_caps_caseops_v1` the CaseOps layout of the records (PR #1855, #2135):
  case-transformed text (golfkit/caseops.py) and the validation byte sidecar. It writes one
  dataset folder (datasets/fineweb10B_<variant>, with a `.golfkit-build.json` listing what it
  wrote) and the tokenizer beside it; a dataset folder it did not write is refused, one it wrote
  (unchanged) is replaced whole, never mixed with old shards;
* verify: checks every shard of a folder (and the byte sidecar) and prints tokens,
  documents and bytes/token.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from golfkit import caseops
from golfkit.data import (BOS_ID, CASE_OPERATORS, build_byte_luts, check_sidecar_spelling, check_tokenizer_variant,
                          check_variant, dataset_files, find_dataset, has_case_operators, load_tokenizer, load_val_bytes,
                          read_shard, tokenizer_path, write_shard)
from golfkit.errors import GolfkitError

BUILD_MANIFEST = ".golfkit-build.json"  # in a dataset folder `data build` wrote: {"golfkit_data_build": 1, "files": ...}
HF_REPO = "willdepueoai/parameter-golf"  # the challenge's dataset repo (cached_challenge_fineweb.py)
HF_PREFIX = "datasets"


# ----------------------------------------------------------------------------------
# fetch
# ----------------------------------------------------------------------------------
def _hf_get(remote: str, dest_root: Path) -> Path:
    """Download one file of the dataset repo into the challenge layout under dest_root."""
    from huggingface_hub import hf_hub_download

    rel = Path(remote).relative_to(HF_PREFIX) if remote.startswith(HF_PREFIX + "/") else Path(remote)
    dest = dest_root / rel
    if dest.exists():
        return dest
    try:
        cached = Path(hf_hub_download(repo_id=HF_REPO, filename=Path(remote).name,
                                      subfolder=Path(remote).parent.as_posix(), repo_type="dataset"))
    except Exception as e:  # network, auth, missing file: one line for the user
        raise GolfkitError(f"download of {remote} from {HF_REPO} failed: {type(e).__name__}: {e}") from None
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.copyfile(cached.resolve(), tmp)
    tmp.replace(dest)
    return dest


def fetch(variant: str, train_shards: int, dest: str | Path) -> dict:
    """Download the manifest, the val shards, N train shards and the tokenizer of `variant`."""
    dest = Path(dest)
    manifest = json.loads(_hf_get(f"{HF_PREFIX}/manifest.json", dest).read_text())
    name = f"fineweb10B_{variant}"
    entry = next((d for d in manifest.get("datasets", []) if d.get("name") == name), None)
    if entry is None:
        raise GolfkitError(f"dataset {name} is not in the challenge manifest")
    stats = entry.get("stats") or {}
    if train_shards > int(stats.get("files_train", 0)):
        raise GolfkitError(f"{variant} has only {stats.get('files_train')} training shards; asked for {train_shards}")
    for i in range(int(stats.get("files_val", 0))):
        _hf_get(f"{HF_PREFIX}/datasets/{name}/fineweb_val_{i:06d}.bin", dest)
    for i in range(train_shards):
        _hf_get(f"{HF_PREFIX}/datasets/{name}/fineweb_train_{i:06d}.bin", dest)
    tok = next((t for t in manifest.get("tokenizers", []) if t.get("name") == entry.get("tokenizer_name")), {})
    for key in ("model_path", "vocab_path"):
        if tok.get(key):
            _hf_get(f"{HF_PREFIX}/{tok[key]}", dest)
    return verify(dest, variant)


# ----------------------------------------------------------------------------------
# build
# ----------------------------------------------------------------------------------
TRANSFORMS = ("none", caseops.NAME)
# SentencePiece (with the offsets the byte sidecar needs) holds 100-250 bytes of memory per byte of the document it
# encodes: a 30 MB line took a build past 2 GB; 4 MiB, far over a web page or a chapter, costs about 1 GB.
MAX_DOC_BYTES = 4 << 20
JSONL_LINE_MAX = 6 * MAX_DOC_BYTES + (1 << 20)  # JSON escapes a byte into up to 6 ("\u0001"), plus other fields


def _too_long(where: str) -> GolfkitError:
    return GolfkitError(f"{where} is over the {MAX_DOC_BYTES:,} bytes one document may have (SentencePiece takes "
                        f"100-250 bytes of memory per byte of the document it encodes; split it into documents)")


def _lines(path: Path, limit: int, too_long: Callable[[int], GolfkitError]) -> Iterator[tuple[int, str, int]]:
    """(number, text, bytes) of each line of a UTF-8 file, read and decoded one at a time. Lines end at "\n" only:
    U+2028 and U+0085 are text (JSON writes them raw; splitlines() cut such a JSON line in two). A line is refused
    with `too_long(number)` once it passes `limit` bytes: reading the whole file first cost a 3 GiB file without a
    newline 3 GiB."""
    offset = 0
    try:
        with open(path, "rb") as f:
            for n in itertools.count(1):
                raw = f.readline(limit + 2)
                if not raw:
                    return
                if len(raw) - raw.endswith(b"\n") > limit:
                    raise too_long(n)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise GolfkitError(f"{path}:{n}: not UTF-8 text (byte 0x{raw[e.start]:02x} at offset "
                                       f"{offset + e.start})") from None
                yield n, text, len(raw)
                offset += len(raw)
    except OSError as e:
        raise GolfkitError(f"cannot read text file {path}: {e.strerror or e}") from None


def _utf8_or_refuse(doc: str, where: str) -> str:
    try:
        size = len(doc.encode("utf-8"))
    except UnicodeEncodeError as e:  # a lone surrogate from a JSON "\ud800" escape
        raise GolfkitError(f"{where}: text holds U+{ord(doc[e.start]):04X}, which has no UTF-8 encoding") from None
    if size > MAX_DOC_BYTES:
        raise _too_long(f"{where}: a document of {size:,} bytes")
    return doc


NOT_TEXT = {".json": "a .json file is one JSON value, not one document per line (convert it to .jsonl)",
            **{x: f"a {x} file is compressed or binary (unpack it first)"
               for x in (".gz", ".bz2", ".xz", ".zst", ".zip", ".tar", ".parquet", ".arrow", ".npy", ".bin")}}


def read_documents(path: str | Path) -> list[str]:
    """Documents of a .jsonl ("text" field, a string) or .txt (blank-line-separated) file, all checked first."""
    from golfkit import safeio

    path = Path(path)
    if not path.exists():
        raise GolfkitError(f"text file {path} not found")
    safeio.regular_file(path, "text file")
    kind = path.suffix.lower()
    if kind in NOT_TEXT:  # read as blank-line text, a JSON array became one document (and a .gz, mojibake)
        raise GolfkitError(f"text file {path}: {NOT_TEXT[kind]}; data build reads .jsonl (one JSON object with a "
                           f"'text' field per line) or plain text (documents separated by a blank line)")
    docs: list[str] = []
    if kind == ".jsonl":
        for i, line, _ in _lines(path, JSONL_LINE_MAX,
                                 lambda n: _too_long(f"{path}:{n}: a JSON line of more than {JSONL_LINE_MAX:,} bytes")):
            if not line.strip():
                continue
            try:
                doc = safeio.loads(line, f"{path}:{i}")["text"]
            except (GolfkitError, KeyError, TypeError):
                raise GolfkitError(f"{path}:{i}: expected a JSON object with a 'text' field") from None
            if not isinstance(doc, str):
                raise GolfkitError(f"{path}:{i}: 'text' must be a string, got {type(doc).__name__}")
            docs.append(_utf8_or_refuse(doc, f"{path}:{i}"))
        return docs
    part: list[str] = []  # the lines of the document being read, `size` bytes

    def end() -> None:
        doc = "".join(part).strip("\n")
        if doc.strip():
            docs.append(doc)
        part.clear()

    size = 0
    for i, line, nbytes in _lines(path, MAX_DOC_BYTES, lambda n: _too_long(f"{path}:{n}: document {len(docs) + 1}")):
        if line == "\n":  # a blank line ("\n\n" in the text) ends a document
            end()
            size = 0
            continue
        part.append(line)
        size += nbytes
        if size > MAX_DOC_BYTES + 1:  # its last newline is not the document's
            raise _too_long(f"{path}:{i}: document {len(docs) + 1}")
    end()
    return docs


def _load_sp(tokenizer: str | Path):
    import sentencepiece as spm

    if not Path(tokenizer).is_file():
        raise GolfkitError(f"tokenizer {tokenizer} not found")
    try:
        return spm.SentencePieceProcessor(model_file=str(tokenizer))
    except Exception as e:
        raise GolfkitError(f"cannot load tokenizer {tokenizer}: {e}") from None


def _encode_docs(sp, docs: list[str], transform: str, byte_counts: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """BOS + ids of each document, concatenated; with `byte_counts`, the sidecar counts aligned to them
    (0 for BOS, then the pre-transform UTF-8 bytes of each token: golfkit.caseops)."""
    if transform == "none":
        ids = [np.array([BOS_ID] + sp.encode(d), dtype=np.int64) for d in docs]
        return (np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)), None
    ids_all, bytes_all = [], []
    for d in docs:
        if not byte_counts:  # ids only: the same segmentation, without the surfaces' cost
            ids_all.append(np.array([BOS_ID] + sp.encode(caseops.encode(d)), dtype=np.int64))
            continue
        ids, surfaces = caseops.encode_pieces(sp, caseops.encode(d))
        ids_all.append(np.array([BOS_ID] + ids, dtype=np.int64))
        bytes_all.append(np.array([0] + caseops.original_byte_counts(surfaces), dtype=np.int64))
    cat = (lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64))
    return cat(ids_all), (cat(bytes_all) if byte_counts else None)


def build(text: str | Path, tokenizer: str | Path, out: str | Path, val_docs: int = 0,
          variant: str | None = None, shard_tokens: int = 100_000_000, transform: str = "none") -> dict:
    """Tokenize documents into a challenge-layout folder: the first `val_docs` docs are validation.

    transform="lossless_caps_caseops_v1" applies the CaseOps case transform before tokenizing (the
    tokenizer must be a CaseOps one) and writes the validation byte sidecar fineweb_val_bytes_N.bin
    beside each validation shard, in the layout of the records' prepare_caseops_data.py (PR #1855,
    #2135); the default variant is then sp<vocab>_lossless_caps_caseops_v1_reserved. Everything is
    read, checked and tokenized before the first file is written.
    """
    if transform not in TRANSFORMS:
        raise GolfkitError(f"--transform must be one of {', '.join(TRANSFORMS)}, got {transform!r}")
    if not 0 <= val_docs:
        raise GolfkitError(f"--val-docs must be >= 0 (the first N documents form the validation split), got {val_docs}")
    if shard_tokens < 1:
        raise GolfkitError(f"shard size must be >= 1 token, got {shard_tokens}")
    docs = read_documents(text)
    if val_docs >= len(docs):
        raise GolfkitError(f"--val-docs {val_docs} leaves no training documents (the file has {len(docs)})")
    sp = _load_sp(tokenizer)
    caseops_tok = has_case_operators(sp)
    if transform == "none" and caseops_tok:
        raise GolfkitError(f"tokenizer {tokenizer} is a CaseOps tokenizer (pieces U+E001..U+E004): build with "
                           f"--transform {caseops.NAME}, so that the text is transformed and the byte "
                           f"sidecar written")
    if transform != "none":
        missing = [f"U+{ord(op):04X}" for op in CASE_OPERATORS if sp.piece_to_id(op) == sp.unk_id()]
        if missing:
            raise GolfkitError(f"--transform {transform} needs a tokenizer with the CaseOps operators as pieces; "
                               f"{tokenizer} lacks {', '.join(missing)}")
    vocab = int(sp.vocab_size())
    if vocab > 65536:
        raise GolfkitError(f"tokenizer {tokenizer} has {vocab} pieces; shards hold uint16 ids (at most 65,536)")
    variant = variant or f"sp{vocab}" + (caseops.VARIANT_SUFFIX if transform != "none" else "")
    check_variant(variant)
    check_tokenizer_variant(sp, variant, tokenizer)  # a --variant sp1024 built with a 4096-piece model

    val_ids, val_bytes = _encode_docs(sp, docs[:val_docs], transform, byte_counts=transform != "none")
    if not (val_ids != BOS_ID).any():  # --val-docs 0 (the default) or empty documents: a folder every run refuses
        raise GolfkitError(f"--val-docs {val_docs}: the validation split would hold no token to score (training and "
                           f"eval need one); pass --val-docs N for the first N documents of {Path(text).name}")
    train_ids, _ = _encode_docs(sp, docs[val_docs:], transform, byte_counts=False)
    if val_bytes is not None and val_bytes.size and val_bytes.max() > 65535:
        p = int(val_bytes.argmax())
        raise GolfkitError(f"validation token at position {p} stands for {int(val_bytes[p])} bytes, more than the "
                           f"sidecar's uint16 holds (a run of whitespace the tokenizer folded into one piece?)")
    if val_bytes is not None and val_bytes.size > 1:  # what training would refuse later, refused before writing
        import torch

        check_sidecar_spelling(sp, torch.from_numpy(val_ids), torch.from_numpy(val_bytes),
                               f"the byte sidecar of {Path(text).name}'s first {val_docs} documents")

    out = Path(out)
    ds_dir = out / "datasets" / f"fineweb10B_{variant}"
    tok_dest = tokenizer_path(out, variant)
    tok_bytes = Path(tokenizer).read_bytes()
    check_build_out(out, ds_dir, tok_dest, tok_bytes)  # before anything is written

    shards: dict[str, np.ndarray] = {}

    def split(name: str, toks: np.ndarray) -> None:
        for i, start in enumerate(range(0, max(toks.size, 1), shard_tokens)):
            shards[f"fineweb_{name}_{i:06d}.bin"] = toks[start: start + shard_tokens]

    split("val", val_ids)
    if val_bytes is not None:
        split("val_bytes", val_bytes)  # split at the same token boundaries as the validation shards
    split("train", train_ids)
    write_dataset(ds_dir, shards, tok_dest, tok_bytes)
    return verify(out, variant)


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _build_manifest(ds_dir: Path) -> dict | None:
    from golfkit import safeio

    path = ds_dir / BUILD_MANIFEST
    if not path.is_file() or path.is_symlink():
        return None
    try:
        m = safeio.loads(safeio.read_bytes(path, "build manifest", 1 << 20), f"build manifest {path}")
    except GolfkitError:
        return None
    ok = isinstance(m, dict) and m.get("golfkit_data_build") == 1 and isinstance(m.get("files"), dict) \
        and isinstance(m.get("tokenizer"), dict)
    return m if ok else None


def check_build_out(out: Path, ds_dir: Path, tok_dest: Path, tok_bytes: bytes) -> None:
    """Refuse to write where `data build` could lose or mix data (see the module docstring)."""
    for p in (ds_dir, *ds_dir.parents):
        if os.path.lexists(p):
            if not p.is_dir() or (p == ds_dir and p.is_symlink()):
                raise GolfkitError(f"--out {out}: {p} exists and is not a folder")
            break
    manifest = None
    if ds_dir.is_dir() and any(ds_dir.iterdir()):
        manifest = _build_manifest(ds_dir)
        if manifest is None:
            raise GolfkitError(f"--out {out}: the dataset folder {ds_dir} exists and was not written by golfkit data "
                               f"build (no {BUILD_MANIFEST}); data build replaces only its own output: give another "
                               f"--out or --variant")
        files = manifest["files"]
        for p in sorted(ds_dir.iterdir()):
            if p.name != BUILD_MANIFEST and (p.name not in files or p.is_symlink() or not p.is_file()
                                             or _sha_file(p) != files[p.name]):
                raise GolfkitError(f"--out {out}: {p} is not a file data build wrote, or changed since; data build "
                                   f"replaces only its own unchanged output (so no old shard can mix in)")
    if os.path.lexists(tok_dest):
        if tok_dest.is_symlink() or not tok_dest.is_file():
            raise GolfkitError(f"--out {out}: {tok_dest} exists and is not a regular file")
        same = _sha_file(tok_dest) == hashlib.sha256(tok_bytes).hexdigest()
        ours = manifest is not None and manifest["tokenizer"].get("sha256") == _sha_file(tok_dest)
        if not (same or ours):
            raise GolfkitError(f"--out {out}: the tokenizer {tok_dest} exists with other content, and this build did "
                               f"not write it; give another --out")


def write_dataset(ds_dir: Path, shards: dict[str, np.ndarray], tok_dest: Path, tok_bytes: bytes) -> None:
    """The dataset folder written whole beside its place and renamed in; the tokenizer the same way.

    An earlier build of this folder (checked by check_build_out) is moved aside and removed once the new one is
    in place; on any failure nothing of this build is left and the earlier one is back.
    """
    from golfkit.atomic import swap_dir_in, temp_path

    made = [p for p in (*reversed(ds_dir.parents), tok_dest.parent) if not p.exists()]
    tmp = tok_tmp = aside = None
    done = False
    try:
        ds_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{ds_dir.name}.", suffix=".golfkit-build", dir=ds_dir.parent))
        files = {}
        for name, toks in shards.items():
            write_shard(tmp / name, toks)
            files[name] = _sha_file(tmp / name)
        tok_sha = hashlib.sha256(tok_bytes).hexdigest()
        (tmp / BUILD_MANIFEST).write_text(json.dumps({"golfkit_data_build": 1, "files": files, "tokenizer": {
            "path": str(Path("tokenizers") / tok_dest.name), "sha256": tok_sha}}, indent=1) + "\n")
        tok_dest.parent.mkdir(parents=True, exist_ok=True)
        if not (tok_dest.is_file() and _sha_file(tok_dest) == tok_sha):
            tok_tmp = temp_path(tok_dest)
            tok_tmp.write_bytes(tok_bytes)
        aside = swap_dir_in(tmp, ds_dir, tmp.with_name(tmp.name + ".old") if ds_dir.exists() else None)
        if tok_tmp is not None:
            try:
                os.replace(tok_tmp, tok_dest)
            except OSError:  # put the earlier build (or nothing) back: data and tokenizer stay a pair
                os.rename(ds_dir, tmp)
                if aside is not None:
                    os.rename(aside, ds_dir)
                    aside = None
                raise
        done = True
    except OSError as e:
        raise GolfkitError(f"cannot write the dataset {ds_dir}: {e.strerror or e}"
                           f"{f' ({e.filename})' if e.filename else ''}; nothing was written") from None
    finally:
        if not done:
            for p in (tmp, tok_tmp):
                if p is not None and p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                elif p is not None:
                    p.unlink(missing_ok=True)
            for p in reversed(made):
                try:
                    p.rmdir()
                except OSError:
                    pass
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


# ----------------------------------------------------------------------------------
# verify
# ----------------------------------------------------------------------------------
def verify(data_dir: str | Path, variant: str = "sp1024") -> dict:
    """Read every shard, count tokens and documents, and the bytes per token of each split.

    Bytes come from the validation byte sidecar when the folder has one (CaseOps: the bytes of the text
    before the transform, checked against the validation shards), else from the tokenizer's piece tables.
    Training shards of a CaseOps folder have no sidecar: their bytes are not reported (None).
    """
    import torch

    check_variant(variant)
    root = Path(data_dir) / "datasets" / f"fineweb10B_{variant}"
    if not root.is_dir():
        raise GolfkitError(f"no dataset folder {root}")
    train_files, val_files, side_files = dataset_files(root)
    if not train_files and not val_files:
        raise GolfkitError(f"no shards fineweb_train_N.bin / fineweb_val_N.bin in {root}")
    tok = tokenizer_path(data_dir, variant)
    if not tok.is_file():
        raise GolfkitError(f"tokenizer {tok} not found")
    sp = load_tokenizer(tok, _vocab_of(tok))
    check_tokenizer_variant(sp, variant, tok)
    caseops_tok = has_case_operators(sp)
    if caseops_tok and val_files and not side_files:
        raise GolfkitError(f"{root} is tokenized with a CaseOps tokenizer ({tok.name}) but has no byte sidecar "
                           f"fineweb_val_bytes_N.bin: its val_bpb cannot be scored")
    luts = None if caseops_tok else build_byte_luts(sp, int(sp.vocab_size()))
    report: dict = {"dir": str(data_dir), "variant": variant, "vocab_size": int(sp.vocab_size()), "splits": {}}
    for split, parts in (("train", train_files), ("val", val_files)):
        if not parts:
            continue
        t = torch.from_numpy(np.concatenate([read_shard(f) for f in parts]).astype(np.int64))
        if t.numel() and int(t.max()) >= sp.vocab_size():
            raise GolfkitError(f"{split} shards hold token id {int(t.max())} >= tokenizer vocab {sp.vocab_size()}")
        source = "pieces"
        if split == "val" and side_files:
            ds = find_dataset(data_dir, variant, str(tok), need_train=False, byte_source="sidecar")
            counts = load_val_bytes(ds, t)
            nbytes, source = int(counts[1:].sum()), "sidecar"
            report["sidecar_spelling"] = check_sidecar_spelling(sp, t, counts, f"byte sidecar {side_files[0]}")
        elif luts is None:
            nbytes, source = None, "none"
        else:
            nbytes = int(luts.token_bytes(t[:-1], t[1:]).sum()) if t.numel() > 1 else 0
        report["splits"][split] = {
            "shards": len(parts), "tokens": int(t.numel()), "documents": int((t == BOS_ID).sum()),
            "bytes": nbytes, "bytes_per_token": None if nbytes is None else nbytes / max(t.numel() - 1, 1),
            "byte_source": source,
        }
    return report


def _vocab_of(tok: Path) -> int:
    import sentencepiece as spm

    try:
        return int(spm.SentencePieceProcessor(model_file=str(tok)).vocab_size())
    except Exception as e:
        raise GolfkitError(f"cannot load tokenizer {tok}: {e}") from None


def format_report(r: dict) -> str:
    lines = [f"data:{r['dir']} variant:{r['variant']} vocab:{r['vocab_size']}"]
    for split, s in r["splits"].items():
        if s["bytes"] is None:  # CaseOps training shards: no sidecar, and piece lengths are not bytes
            tail = "bytes:n/a (no byte sidecar for this split)"
        else:
            tail = f"bytes:{s['bytes']} bytes_per_token:{s['bytes_per_token']:.4f}"
            if s.get("byte_source") == "sidecar":
                tail += " byte_source:sidecar"
        lines.append(f"{split}: shards:{s['shards']} tokens:{s['tokens']} documents:{s['documents']} {tail}")
    return "\n".join(lines)


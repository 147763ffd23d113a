"""`golfkit data fetch | build | verify`: getting challenge-format data onto a machine.

* fetch: the challenge export from its Hugging Face dataset repo, manifest-driven like
  the challenge's `data/cached_challenge_fineweb.py` (needs internet; not used in CI);
* build: shards from any text (.jsonl with a "text" field, or .txt with one document
  per blank-line-separated block), BOS before each document, no EOS;
* verify: checks every shard of a folder and prints tokens, documents and bytes/token.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from golfkit.data import BOS_ID, build_byte_luts, load_tokenizer, read_shard, write_shard
from golfkit.errors import GolfkitError

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
def read_documents(path: str | Path) -> list[str]:
    """Documents of a .jsonl ("text" strings) or .txt file, refused whole (one line) if any is malformed."""
    from golfkit import safeio

    path = Path(path)
    if not path.exists():
        raise GolfkitError(f"text file {path} not found")
    safeio.regular_file(path, "text file")
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise GolfkitError(f"cannot read text file {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raw = path.read_bytes()
        line = raw.count(b"\n", 0, e.start) + 1
        raise GolfkitError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})") from None
    if path.suffix == ".jsonl":
        docs = []
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                doc = safeio.loads(line, f"{path}:{i}")["text"]
            except (GolfkitError, KeyError, TypeError):
                raise GolfkitError(f"{path}:{i}: expected a JSON object with a 'text' field") from None
            if not isinstance(doc, str):
                raise GolfkitError(f"{path}:{i}: 'text' must be a string, got {type(doc).__name__}")
            docs.append(doc)
        return docs
    return [d.strip("\n") for d in text.split("\n\n") if d.strip()]


def build(text: str | Path, tokenizer: str | Path, out: str | Path, val_docs: int = 0,
          variant: str | None = None, shard_tokens: int = 100_000_000) -> dict:
    """Tokenize documents into a challenge-layout folder: the first `val_docs` docs are validation."""
    import sentencepiece as spm

    if val_docs < 0:
        raise GolfkitError(f"--val-docs must be >= 0 (the first N documents form the validation split), got {val_docs}")
    docs = read_documents(text)
    if val_docs >= len(docs):
        raise GolfkitError(f"--val-docs {val_docs} leaves no training documents (the file has {len(docs)})")
    try:
        sp = spm.SentencePieceProcessor(model_file=str(tokenizer))
    except Exception as e:
        raise GolfkitError(f"cannot load tokenizer {tokenizer}: {e}") from None
    variant = variant or f"sp{sp.vocab_size()}"
    out = Path(out)
    ds_dir = out / "datasets" / f"fineweb10B_{variant}"
    ds_dir.mkdir(parents=True, exist_ok=True)
    (out / "tokenizers").mkdir(parents=True, exist_ok=True)
    tok_dest = out / "tokenizers" / f"fineweb_{variant[2:] if variant.startswith('sp') else variant}_bpe.model"
    if Path(tokenizer).resolve() != tok_dest.resolve():
        shutil.copyfile(tokenizer, tok_dest)

    def stream(ds: list[str]) -> np.ndarray:
        ids = [np.array([BOS_ID] + sp.encode(d), dtype=np.int64) for d in ds]
        return np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)

    for split, part in (("val", docs[:val_docs]), ("train", docs[val_docs:])):
        toks = stream(part)
        for i, start in enumerate(range(0, max(toks.size, 1), shard_tokens)):
            write_shard(ds_dir / f"fineweb_{split}_{i:06d}.bin", toks[start: start + shard_tokens])
    return verify(out, variant)


# ----------------------------------------------------------------------------------
# verify
# ----------------------------------------------------------------------------------
def verify(data_dir: str | Path, variant: str = "sp1024") -> dict:
    """Read every shard, count tokens and documents, and the bytes per token of each split."""
    import torch

    root = Path(data_dir) / "datasets" / f"fineweb10B_{variant}"
    files = sorted(root.glob("fineweb_*.bin"))
    if not files:
        raise GolfkitError(f"no shards fineweb_*.bin in {root}")
    tok = Path(data_dir) / "tokenizers" / f"fineweb_{variant.removeprefix('sp')}_bpe.model"
    if not tok.is_file():
        raise GolfkitError(f"tokenizer {tok} not found")
    sp = load_tokenizer(tok, _vocab_of(tok))
    luts = build_byte_luts(sp, int(sp.vocab_size()))
    report: dict = {"dir": str(data_dir), "variant": variant, "vocab_size": int(sp.vocab_size()), "splits": {}}
    for split in ("train", "val"):
        parts = [f for f in files if f.name.startswith(f"fineweb_{split}_")]
        if not parts:
            continue
        t = torch.from_numpy(np.concatenate([read_shard(f) for f in parts]).astype(np.int64))
        if t.numel() and int(t.max()) >= sp.vocab_size():
            raise GolfkitError(f"{split} shards hold token id {int(t.max())} >= tokenizer vocab {sp.vocab_size()}")
        nbytes = int(luts.token_bytes(t[:-1], t[1:]).sum()) if t.numel() > 1 else 0
        report["splits"][split] = {
            "shards": len(parts), "tokens": int(t.numel()), "documents": int((t == BOS_ID).sum()),
            "bytes": nbytes, "bytes_per_token": nbytes / max(t.numel() - 1, 1),
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
        lines.append(f"{split}: shards:{s['shards']} tokens:{s['tokens']} documents:{s['documents']} "
                     f"bytes:{s['bytes']} bytes_per_token:{s['bytes_per_token']:.4f}")
    return "\n".join(lines)


"""`golfkit data verify`: the data fingerprint, the canonical split (heads by block hashes) and the
train/val overlap report (openai/parameter-golf issue #2127: validation documents in training)."""

from __future__ import annotations

import numpy as np

from golfkit import canonical
from golfkit.data import read_shard, write_shard
from conftest import golfkit_cli

SP1024 = "fineweb10B_sp1024"


def test_head_tables_reproduce_from_the_test_data(data_dir):
    for variant in ("sp1024", "sp4096"):
        for split in ("val", "train"):
            t = read_shard(data_dir / "datasets" / f"fineweb10B_{variant}" / f"fineweb_{split}_000000.bin")
            n, blocks = canonical.HEADS[variant][split]
            assert n == t.size and tuple(canonical.block_hashes(t, canonical.BLOCKS[split])) == blocks
    tail = read_shard(data_dir / "holdout" / "fineweb_val_tail_sp1024.bin")
    assert canonical.tail_evidence("sp1024", tail)["status"] == "canonical"


def test_head_evidence(data_dir):
    v = read_shard(data_dir / "datasets" / SP1024 / "fineweb_val_000000.bin")
    assert canonical.head_evidence("sp1024", "val", v)["status"] == "head"
    assert canonical.head_evidence("sp1024", "val", v[:16_385])["evidence"].startswith("its first 16,384 of 16,385")
    w = v.copy()
    w[5000] += 1
    assert "block 1 " in canonical.head_evidence("sp1024", "val", w)["evidence"]
    assert canonical.head_evidence("sp1024", "val", v[:100])["status"] == "unknown"
    # a full-length split with the canonical head and tail (the middle cannot be checked: say so)
    tail = read_shard(data_dir / "holdout" / "fineweb_val_tail_sp1024.bin")
    lo, hi = canonical.VAL_SPLIT_TOKENS["sp1024"]
    full = np.concatenate([v, np.full(lo + 10 - v.size - tail.size, 7, np.uint16), tail])
    ev = canonical.head_evidence("sp1024", "val", full)
    assert ev["status"] == "canonical" and "tail" in ev["evidence"]
    assert canonical.head_evidence("sp1024", "val", full[:-1000])["status"] == "head"  # wrong length: only the head
    assert canonical.head_evidence("sp8192_lossless_caps_caseops_v1_reserved", "val", v)["status"] == "unknown"


def test_logged_counts():
    assert canonical.logged_val_tokens("sp1024", 62_021_632)["status"] == "pass"
    first = canonical.logged_val_tokens("sp1024", 63_779_840)
    assert first["status"] == "fail" and "superseded" in first["evidence"]
    assert canonical.logged_val_tokens("sp8192_lossless_caps_caseops_v1_reserved", 47_851_520)["status"] == "pass"
    assert canonical.logged_val_tokens("sp4096", 45_000_000)["status"] == "unknown"
    assert canonical.logged_train_shards(80)["status"] == "pass"
    assert canonical.logged_train_shards(25)["status"] == "pass"
    assert canonical.logged_train_shards(1499)["status"] == "fail"


def test_verify_reports_fingerprint_canonical_head_and_no_overlap(data_dir, tmp_path):
    r = golfkit_cli("data", "verify", str(data_dir), "--guard-cache", str(tmp_path / "c"))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "fingerprint: val tokens:262145 documents:234 blake2b:" in out
    assert "canonical val: head: its first 262,144 of 262,145 tokens equal the canonical val head" in out
    assert "canonical holdout fineweb_val_tail_sp1024.bin: canonical" in out
    assert "overlap train vs validation split" in out and "documents of it in train 0 of 234" in out
    assert "OVER" not in out


def test_verify_finds_validation_documents_in_training(data_dir, tmp_path):
    """The #2127 shape: a data prep that moved most validation documents into the training shards."""
    root = tmp_path / "d"
    ds = root / "datasets" / SP1024
    ds.mkdir(parents=True)
    v = read_shard(data_dir / "datasets" / SP1024 / "fineweb_val_000000.bin")
    starts = np.flatnonzero(v == 1)
    moved = v[starts[46]:]  # documents 46..233: 80% of the split
    train = read_shard(data_dir / "datasets" / SP1024 / "fineweb_train_000000.bin")
    write_shard(ds / "fineweb_train_000000.bin", np.concatenate([train, moved]))
    write_shard(ds / "fineweb_val_000000.bin", v)
    (root / "tokenizers").symlink_to(data_dir / "tokenizers")
    r = golfkit_cli("data", "verify", str(root), "--guard-cache", str(tmp_path / "c"))
    assert r.returncode == 1, r.stdout + r.stderr
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("overlap train vs validation split"))
    assert "documents of it in train 188 of 234 (80.34%)" in line and "OVER THE GUARD'S THRESHOLD" in line

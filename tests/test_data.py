"""Shard format, the data folder commands, and the training loader's semantics."""

import json

import numpy as np
import pytest
import torch

from golfkit import dataprep
from golfkit.data import (HEADER_BYTES, MAGIC, DistributedTokenLoader, TokenStream, find_dataset, read_shard,
                          write_shard)
from golfkit.errors import GolfkitError


def _raw_shard(path, magic=MAGIC, version=1, n=10, tokens=None):
    header = np.zeros(256, dtype="<i4")
    header[:3] = (magic, version, n)
    toks = np.arange(n, dtype="<u2") if tokens is None else tokens
    path.write_bytes(header.tobytes() + toks.tobytes())
    return path


def test_write_then_read_round_trip(tmp_path):
    toks = np.array([1, 5, 65535, 0, 7], dtype=np.uint16)
    write_shard(tmp_path / "fineweb_train_000000.bin", toks)
    assert (read_shard(tmp_path / "fineweb_train_000000.bin") == toks).all()
    assert (tmp_path / "fineweb_train_000000.bin").stat().st_size == HEADER_BYTES + 2 * toks.size
    assert not list(tmp_path.glob("*.tmp"))


def test_rejects_wrong_magic(tmp_path):
    p = _raw_shard(tmp_path / "a.bin", magic=1234)
    with pytest.raises(GolfkitError, match=r"a\.bin has wrong magic 1234"):
        read_shard(p)


def test_rejects_wrong_version(tmp_path):
    p = _raw_shard(tmp_path / "a.bin", version=2)
    with pytest.raises(GolfkitError, match=r"a\.bin has unsupported version 2"):
        read_shard(p)


def test_rejects_truncated_file(tmp_path):
    p = _raw_shard(tmp_path / "a.bin", n=10)
    p.write_bytes(p.read_bytes()[:-4])
    with pytest.raises(GolfkitError, match=r"a\.bin is truncated.*10 tokens"):
        read_shard(p)
    p.write_bytes(b"\x00" * 100)
    with pytest.raises(GolfkitError, match="shorter than the 1024-byte header"):
        read_shard(p)


def test_rejects_trailing_garbage_and_missing_file(tmp_path):
    p = _raw_shard(tmp_path / "a.bin", n=4)
    p.write_bytes(p.read_bytes() + b"xx")
    with pytest.raises(GolfkitError, match="longer than its header says"):
        read_shard(p)
    with pytest.raises(GolfkitError, match="cannot read shard"):
        read_shard(tmp_path / "missing.bin")


def test_official_val_head_bytes_per_token(data_dir):
    # The challenge's validation split is 2.436 bytes per sp1024 token; the head has the same ratio.
    report = dataprep.verify(data_dir, "sp1024")
    val = report["splits"]["val"]
    assert val["tokens"] == 262_145 and val["documents"] == 234
    assert round(val["bytes_per_token"], 4) == 2.4363


def test_build_then_verify_round_trip(data_dir, tokenizer_path, tmp_path):
    docs = [json.loads(line)["text"] for line in (data_dir / "text" / "fineweb_docs_200_raw.jsonl").open()][:12]
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(json.dumps({"text": d}) for d in docs) + "\n")
    report = dataprep.build(src, tokenizer_path, tmp_path / "out", val_docs=3)
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(tokenizer_path))
    assert report["splits"]["val"]["documents"] == 3 and report["splits"]["train"]["documents"] == 9
    ds = find_dataset(tmp_path / "out", "sp1024")
    val = read_shard(ds.val_files[0])
    expect = np.concatenate([[1] + sp.encode(d) for d in docs[:3]])
    assert (val == expect).all()
    # byte accounting over the built split equals the UTF-8 size of what the tokens decode to
    decoded = sum(len(sp.decode([int(t) for t in (np.split(val, np.where(val == 1)[0][1:]))[i][1:]]).encode()) for i in range(3))
    assert report["splits"]["val"]["bytes"] == decoded
    assert dataprep.verify(tmp_path / "out", "sp1024") == report


def test_build_refuses_bad_input(tokenizer_path, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"txt": "x"}\n')
    with pytest.raises(GolfkitError, match="bad.jsonl:1: expected a JSON object with a 'text' field"):
        dataprep.build(bad, tokenizer_path, tmp_path / "o")
    with pytest.raises(GolfkitError, match="leaves no training documents"):
        good = tmp_path / "g.txt"
        good.write_text("one doc\n\nanother doc\n")
        dataprep.build(good, tokenizer_path, tmp_path / "o", val_docs=2)


def test_loader_ranks_take_disjoint_consecutive_spans(tmp_path):
    write_shard(tmp_path / "fineweb_train_000000.bin", np.arange(100, dtype=np.uint16))
    write_shard(tmp_path / "fineweb_train_000001.bin", np.arange(100, 150, dtype=np.uint16))
    files = sorted(tmp_path.glob("*.bin"))
    single = DistributedTokenLoader(files, 0, 1, torch.device("cpu"))
    r0 = DistributedTokenLoader(files, 0, 2, torch.device("cpu"))
    r1 = DistributedTokenLoader(files, 1, 2, torch.device("cpu"))
    # one process, two micro-steps == two ranks, one micro-step each
    a, _ = single.next_batch(8, 4)
    b, _ = single.next_batch(8, 4)
    x0, y0 = r0.next_batch(8, 4)
    x1, _ = r1.next_batch(8, 4)
    assert torch.equal(a, x0) and torch.equal(b, x1)
    assert torch.equal(y0.flatten()[:-1], x0.flatten()[1:])  # targets are inputs shifted by one
    # the stream crosses shard boundaries and wraps around
    s = TokenStream(files)
    assert (s.take(140)[-5:] == np.arange(135, 140)).all()
    assert (s.take(20) == np.concatenate([np.arange(140, 150), np.arange(0, 10)])).all()


def test_training_stream_refuses_validation_shards(data_dir):
    ds = find_dataset(data_dir, "sp1024")
    with pytest.raises(GolfkitError, match="only fineweb_train_"):
        TokenStream(ds.val_files)


def test_missing_dataset_is_one_clear_error(tmp_path):
    with pytest.raises(GolfkitError, match="no dataset folder"):
        find_dataset(tmp_path, "sp1024")

"""Compressors, byte shuffle, `auto`, and selective +-1 pruning to a size (issue #3)."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch

from golfkit import artifact, compress
from golfkit.errors import GolfkitError
from golfkit.quant import formats
from golfkit.quant.policy import prune_pm1

NAMES = [n for b in compress.BASE_NAMES for n in (b, b + "+shuffle")]


@pytest.mark.parametrize("n", [0, 1, 2, 999, 4096])
def test_every_codec_round_trips(n):
    rng = np.random.default_rng(n)
    data = rng.integers(0, 4, n, dtype=np.uint8).tobytes()
    for row in compress.measure(data, NAMES):  # measure() itself checks decompress(compress(x)) == x
        assert row["bytes"] > 0
    assert compress.unshuffle(compress.shuffle(data)) == data


def test_shuffle_helps_fp16_and_auto_picks_the_smallest():
    x = (np.random.default_rng(0).standard_normal(20_000) * 0.02).astype(np.float16).tobytes()
    rows = {r["name"]: r["bytes"] for r in compress.measure(x, NAMES)}
    assert rows["zlib+shuffle"] < rows["zlib"]
    assert compress.smallest(x, NAMES) == min(rows, key=rows.get)
    assert compress.candidates("auto", False) == list(compress.BASE_NAMES)
    assert compress.candidates("auto", True) == NAMES
    assert compress.candidates("lzma", True) == ["lzma+shuffle"]


def test_unknown_and_missing_codecs_say_what_to_do(monkeypatch):
    with pytest.raises(GolfkitError, match="unknown compressor 'gzip'"):
        compress.get_codec("gzip")
    with pytest.raises(GolfkitError, match="unknown compressor"):
        compress.get_codec("zlib+reverse")
    monkeypatch.setitem(sys.modules, "brotli", None)  # import brotli now raises ImportError
    with pytest.raises(GolfkitError, match=r"pip install 'golfkit\[compress\]'"):
        compress.get_codec("brotli")


def _int6_tensors():
    g = torch.Generator().manual_seed(0)
    qts = []
    for i in range(3):
        qt = formats.quantize_rtn(f"blocks.{i}.mlp.fc.weight", torch.randn(64, 128, generator=g) * 0.02, 6, 0, "sdclip", k=3.0)
        qt.meta["family"] = "mlp"
        qts.append(qt)
    emb = formats.quantize_rtn("tok_emb.weight", torch.randn(64, 64, generator=g), 8)
    emb.meta["family"] = "embedding"
    return qts + [emb]


def _size(qts):
    art = artifact.Artifact(qts, {}, {}, "lzma")
    return lambda: len(artifact.pack(art))


def test_pruning_reaches_a_reachable_target_with_decimal_bytes():
    qts = _int6_tensors()
    emb_before = qts[-1].parts["q"].copy()
    size = _size(qts)
    start = size()
    other = _int6_tensors()
    floor = prune_pm1(other, ["mlp"], _size(other), 0)["bytes_after"]  # every +-1 zeroed
    target = (start + floor) // 2  # reachable; decimal bytes, as the challenge counts (techniques.md pitfall 2)
    info = prune_pm1(qts, ["mlp"], size, target)
    assert info["reached"] and info["bytes_before"] == start
    assert size() == info["bytes_after"] <= target and info["pruned"] > 0
    assert np.array_equal(qts[-1].parts["q"], emb_before)  # families not listed are left alone
    zeros = sum(int((qt.parts["q"] == 0).sum()) for qt in qts[:3])
    assert zeros >= info["pruned"]
    # a target already met prunes nothing
    assert prune_pm1(other, ["mlp"], _size(other), 10**9)["pruned"] == 0


def test_pruning_says_when_a_target_is_unreachable():
    qts = _int6_tensors()
    info = prune_pm1(qts, ["mlp"], _size(qts), 1_000)
    assert not info["reached"] and info["bytes_after"] > 1_000 and info["pruned"] == info["candidates"]

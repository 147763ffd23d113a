"""The pergroup compressor (PR #2135's serializer over golfkit's artifact body; golfkit/compress.py).

The row order is the records' `_similarity_sort_l1` (compared with PR #2135's own function); an
artifact round-trips exactly; a damaged frame is one clear error; a missing lrzip program is refused
before training. lrzip (ZPAQ) is slow: small tensors only here (sizes: test_records_size.py).
"""

from __future__ import annotations

import shutil
import struct

import numpy as np
import pytest
import torch

from golfkit import artifact, compress
from golfkit.errors import GolfkitError
from golfkit.quant import formats, int8

from records_harness import Record, have_record

needs_lrzip = pytest.mark.skipif(shutil.which("lrzip") is None, reason="the lrzip program is not installed")


def test_similarity_order_is_the_records():
    if not have_record("pr2135"):
        pytest.skip("record pr2135 not found")
    rec = Record.load("pr2135")
    g = np.random.default_rng(0)
    for rows, cols in ((1, 8), (7, 5), (64, 32), (200, 48)):
        w = g.integers(-3, 4, size=(rows, cols)).astype(np.int8)  # small range: many ties in distance
        w[rows // 2:] = w[: rows - rows // 2]  # duplicate rows: distance 0 ties
        assert np.array_equal(compress.similarity_order(w), rec.mod._similarity_sort_l1(w).astype(np.int64))


def _artifact(compressor: str) -> artifact.Artifact:
    g = torch.Generator().manual_seed(0)
    w = torch.randn(48, 64, generator=g) * 0.05
    qts = [formats.quantize_rtn("a.weight", w, 6),
           formats.quantize_rtn("b.weight", torch.randn(40, 64, generator=g), 5, group=16),
           formats.quantize_gate_int8("c.gate_w", torch.randn(8, 12, generator=g)),
           int8.passthrough("d.scale", torch.randn(64, generator=g), "fp16"),
           int8.quantize_int8_row("e.weight", torch.randn(300, 32, generator=g))]
    formats.add_lqer(qts[0], w, 2, 2, 4, 16, always=True)
    return artifact.Artifact(qts, {"x": 1}, {"format": "t"}, compressor)


@needs_lrzip
def test_pergroup_round_trips_an_artifact():
    art = _artifact("pergroup")
    blob = artifact.pack(art)
    back = artifact.unpack(blob)
    assert [t.name for t in back.tensors] == [t.name for t in art.tensors]
    for a, b in zip(art.tensors, back.tensors):
        assert a.format == b.format and a.meta.get("bits") == b.meta.get("bits")
        for k in a.parts:
            assert np.array_equal(a.parts[k], b.parts[k]), (a.name, k)
    body = artifact.encode_body(art)
    assert compress.pergroup_decompress(compress.pergroup_compress(body)) == body


@needs_lrzip
def test_damaged_pergroup_frames_are_one_clear_error():
    blob = artifact.pack(_artifact("pergroup"))
    start = blob.index(compress.PERGROUP_MAGIC)
    payload = blob[start:]
    n_rest, n_order, n_q = struct.unpack_from("<QQQ", payload, 4)
    q_at = 28 + n_rest + n_order
    bad_size = bytearray(payload)
    bad_size[q_at + 6: q_at + 14] = struct.pack("<Q", 10 ** 12)  # lrzip declares a bomb
    bad_perm = bytearray(payload)
    bad_perm[28 + n_rest: 28 + n_rest + 4] = b"\0\0\0\0"  # rows 0 and 1 both first: not a permutation
    for p in (b"XXXX" + payload[4:], payload[:-5], bytes(bad_size), bytes(bad_perm)):
        with pytest.raises(GolfkitError) as e:
            artifact.inflate("pergroup", p, "x.golf", 10 ** 8)
        assert len(str(e.value).splitlines()) == 1 and "x.golf" in str(e.value)


def test_pergroup_is_not_combined_with_shuffle_and_not_tried_by_auto():
    assert compress.candidates("pergroup", True) == ["pergroup"]
    assert "pergroup" not in compress.candidates("auto", True)
    with pytest.raises(GolfkitError, match="unknown compressor"):
        compress.get_codec("pergroup+shuffle")


def test_missing_lrzip_is_refused_before_training(monkeypatch):
    from golfkit.presets import get_preset
    from golfkit.quant import check_config

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GolfkitError, match="apt-get install lrzip"):
        check_config(get_preset("record-2135"))

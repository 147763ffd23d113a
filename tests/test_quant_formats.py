"""Integer formats, clip rules, LQER and the artifact round trip of every format (issue #3)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from golfkit import artifact, quant
from golfkit.errors import GolfkitError
from golfkit.quant import formats
from golfkit.quant.gptq import gptq_codes

BITS = range(2, 9)


def _w(rows=24, cols=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(rows, cols, generator=g) * 0.05


@pytest.mark.parametrize("clip", ["percentile", "search", "sdclip", "hsdclip"])
@pytest.mark.parametrize("group", [0, 16])
def test_dequant_lies_on_the_grid(clip, group):
    w = _w()
    for bits in BITS:
        qt = formats.quantize_rtn("w", w, bits, group, clip, k=3.0, h_diag=torch.rand(w.shape[1]) + 0.1)
        assert formats.on_grid(qt)
        assert qt.format == ("int_row" if group == 0 else "int_group")
        deq = quant.dequantize([qt])["w"]
        scale = formats.expand_scale(torch.from_numpy(qt.parts["scale"].astype(np.float32)), w.shape[1])
        codes = deq / scale
        assert torch.equal(codes, torch.round(codes)), "dequantized values must be integer multiples of the scale"
        assert codes.abs().max() <= formats.qmax_for(bits)


def test_search_is_never_worse_than_max_clip_and_percentile():
    w = _w(32, 128)
    w[0, 0] = 1.0  # an outlier makes a full-range clip costly
    for bits in (4, 6):
        err = {}
        for clip, kw in (("search", {}), ("percentile", {"q": 1.0}), ("percentile", {"q": 0.999})):
            deq = quant.dequantize([formats.quantize_rtn("w", w, bits, 0, clip, **kw)])["w"]
            err[(clip, kw.get("q"))] = float(((deq - w) ** 2).sum())
        assert err[("search", None)] <= min(err.values()) + 1e-12


def test_sdclip_k_is_monotone_in_entropy():
    # Larger k -> coarser grid for typical weights -> fewer distinct codes (PR #1394's size knob).
    w = _w(64, 256)
    distinct = [np.unique(formats.quantize_rtn("w", w, 6, 0, "sdclip", k=k).parts["q"]).size for k in (2.0, 6.0, 14.0)]
    assert distinct[0] >= distinct[1] >= distinct[2] and distinct[0] > distinct[2]


def test_hsdclip_needs_a_hessian_and_bad_bits_are_refused():
    with pytest.raises(GolfkitError, match="Hessian"):
        formats.quantize_rtn("w", _w(), 6, 0, "hsdclip")
    with pytest.raises(GolfkitError, match="2 to 8 bits"):
        formats.quantize_rtn("w", _w(), 9)


def test_group_that_does_not_divide_falls_back_to_rows():
    qt = formats.quantize_rtn("w", _w(8, 60), 6, group=16)
    assert qt.format == "int_row" and qt.parts["scale"].shape == (8, 1)


def test_lqer_lowers_the_error_of_a_low_rank_error():
    g = torch.Generator().manual_seed(1)
    w = (torch.randn(64, 2, generator=g) @ torch.randn(2, 128, generator=g)) * 0.1 + torch.randn(64, 128, generator=g) * 0.01
    qt = formats.quantize_rtn("w", w, 3)
    before = float((quant.dequantize([qt])["w"] - w).norm())
    assert formats.add_lqer(qt, w, rank=4, a_bits=4, b_bits=4, group=64)
    after = float((quant.dequantize([qt])["w"] - w).norm())
    assert after < 0.9 * before and "lqer" in qt.meta


def _every_format(tmp_path):
    w = _w(16, 64)
    h = torch.eye(64) + 0.1
    qts = []
    for bits in BITS:
        for group in (0, 32):
            qts.append(formats.quantize_rtn(f"rtn{bits}_{group}", w, bits, group))
            s = formats.choose_scale(w, bits, group, "percentile", q=1.0)
            qts.append(formats.int_qtensor(f"gptq{bits}_{group}", w, gptq_codes(w, h, s, bits), s, bits, group))
    lq = formats.quantize_rtn("lqer", w, 4)
    formats.add_lqer(lq, w, 2, 8, 8, 32)
    qts.append(lq)
    qts += [quant.quantize_int8_row("i8row", w), quant.quantize_int8_tensor("i8t", w.flatten()),
            quant.passthrough("f16", w, "fp16"), quant.passthrough("f32", w, "fp32"),
            quant.passthrough("bf16", w.bfloat16(), "raw"), quant.passthrough("i64", torch.arange(5), "raw")]
    return qts


@pytest.mark.parametrize("codec", ["zlib", "lzma", "zstd+shuffle", "brotli"])
def test_every_format_round_trips_bit_exactly_through_the_file(tmp_path, codec):
    qts = _every_format(tmp_path)
    path = tmp_path / "a.golf"
    artifact.save(artifact.Artifact(qts, {"k": 1}, {}, codec), path)
    back = artifact.load(path)
    assert back.compressor == codec
    for a, b in zip(qts, back.tensors):
        assert (a.name, a.format, a.shape, a.dtype) == (b.name, b.format, b.shape, b.dtype)
        assert {k: v for k, v in a.meta.items() if k != "part_dtypes"} == {k: v for k, v in b.meta.items() if k != "part_dtypes"}
        for key in a.parts:
            assert a.parts[key].tobytes() == b.parts[key].tobytes(), (a.name, key)
    da, db = quant.dequantize(qts), quant.dequantize(back.tensors)
    for name in da:
        assert da[name].dtype == db[name].dtype and torch.equal(da[name], db[name]), name

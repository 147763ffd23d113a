"""In-process checks behind tests/test_hostile.py: the model-size estimate, the config ranges, bounded
decompression, the JSON depth scan, and format checks on what the real quantizers write."""

from __future__ import annotations

import lzma
import zlib

import numpy as np
import pytest
import torch

from golfkit import artifact, compress, inflate, limits, quant, safeio
from golfkit.quant import formats as qformats
from golfkit.config import RANGES, RunConfig, validate
from golfkit.data import TokenStream, read_shard, write_shard
from golfkit.errors import GolfkitError
from golfkit.model import GPT
from golfkit.presets import PRESETS, get_preset
from golfkit.techniques import RUN_SWITCHES, SWITCHES


def _exact(cfg: RunConfig) -> int:
    model = GPT(cfg.model)
    return sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers())


def _configs():
    for name in PRESETS:
        if name not in ("auto", "baseline", "quant-1290"):  # auto = a preset below; the 17M baseline: see next
            yield name, get_preset(name)
    base = get_preset("smoke")
    for name, fn in SWITCHES.items():
        yield f"smoke+{name}", base.override(fn(base.model))
    for name, fn in RUN_SWITCHES.items():
        yield f"smoke+{name}", base.override(fn(base))
    yield "smoke+untied", base.override({"model.tie_embeddings": False})


@pytest.mark.parametrize("name,cfg", list(_configs()), ids=lambda x: x if isinstance(x, str) else "")
def test_size_estimate_covers_the_model(name, cfg):
    """The ceiling check is only as good as the estimate: never below the elements the model holds."""
    exact, est = _exact(cfg), limits.estimate_params(cfg.model)
    assert exact <= est <= 1.5 * exact + 50_000, (name, exact, est)


def test_size_estimate_covers_the_baseline():
    cfg = get_preset("baseline")
    exact, est = _exact(cfg), limits.estimate_params(cfg.model)
    assert exact <= est <= 1.1 * exact, (exact, est)


def test_every_preset_passes_validation_and_ranges_name_real_keys():
    for name in PRESETS:
        validate(get_preset(name))
    assert all("." in k or k == "seed" for k in RANGES)


def test_ranges_refuse_with_the_key_and_the_range():
    with pytest.raises(GolfkitError, match=r"'eval.temperature' must be > 0.0, got 0.0"):
        get_preset("smoke").override({"eval.temperature": "0"})
    with pytest.raises(GolfkitError, match=r"'model.num_kv_heads' must divide model.num_heads=2, got 3"):
        get_preset("smoke").override({"model.num_kv_heads": "3"})
    with pytest.raises(GolfkitError, match=r"'model.recur_beta\[1\]' must be a finite number"):
        get_preset("smoke").override({"model.recur_beta": "[1.0, NaN, 2.0]"})


@pytest.mark.parametrize("codec", ["zlib", "lzma", "zstd", "brotli"])
def test_inflater_stops_where_asked_and_refuses_trailing_data(codec):
    comp = {"zlib": lambda b: zlib.compress(b, 1), "lzma": lambda b: lzma.compress(b, preset=0),
            "zstd": lambda b: __import__("zstandard").ZstdCompressor(level=1).compress(b),
            "brotli": lambda b: __import__("brotli").compress(b, quality=1)}[codec]  # fast levels: same formats
    data = np.random.default_rng(0).integers(0, 4, 2_500_000, dtype=np.uint8).tobytes()  # > 2 chunks of output
    inf = inflate.Inflater(codec, comp(data))
    assert inf.read(10) == data[:10] and inf.skip(1_200_000) == 1_200_000
    assert inf.read(2_000_000) == data[1_200_010:] and inf.at_end()
    blob = comp(data)
    with pytest.raises(compress.CorruptStream):
        more = inflate.Inflater(codec, blob + b"garbage!" * 8)
        more.skip(10**9)
        more.at_end()


def test_inflater_refuses_truncated_streams():
    data = bytes(range(256)) * 4000
    for codec, blob in (("zlib", zlib.compress(data)), ("lzma", lzma.compress(data))):
        inf = inflate.Inflater(codec, blob[: len(blob) // 2])
        with pytest.raises(compress.CorruptStream, match="truncated"):
            inf.skip(10**9)


@pytest.mark.parametrize("codec", ["zlib", "lzma", "zstd+shuffle", "brotli+shuffle", "zlib+shuffle"])
def test_every_codec_round_trips_through_the_checked_reader(codec):
    torch.manual_seed(0)
    qts = [quant.passthrough("a", torch.randn(33, 7), "fp16"), quant.quantize_int8_row("b", torch.randn(300, 400)),
           quant.passthrough("c", torch.arange(5), "raw")]
    back = artifact.unpack(artifact.pack(artifact.Artifact(qts, {"x": 1}, {}, codec)))
    for a, b in zip(qts, back.tensors):
        assert a.name == b.name and all(np.array_equal(a.parts[k], b.parts[k]) for k in a.parts)


def test_json_depth_scan_ignores_brackets_in_strings():
    assert safeio.json_depth(b'{"a": "[[[[{{{{", "b": [[1], {"c": "]]]"}]}', 64) == 3
    assert safeio.json_depth(b"[" * 65 + b"]" * 65, 64) == 65
    assert safeio.loads('{"a": "\\"[[["}', "t") == {"a": '"[[['}
    with pytest.raises(GolfkitError, match="nests deeper than 64"):
        safeio.loads("[" * 5000 + "]" * 5000, "t")


def test_policy_formats_with_lqer_pass_the_format_check():
    torch.manual_seed(0)
    w = torch.randn(64, 256)
    qt = qformats.quantize_rtn("w", w, 4, 64)
    assert qformats.add_lqer(qt, w, 4, 2, 4, 64)
    back = artifact.unpack(artifact.pack(artifact.Artifact([qt], {}, {})))
    quant.dequantize(back.tensors)  # checks every spec first
    bad = back.tensors[0]
    bad.parts["lqer_sb"] = bad.parts["lqer_sb"][:, :0]
    with pytest.raises(GolfkitError, match=r"part 'lqer_sb' has shape \[4, 0\]"):
        quant.dequantize([bad])


def test_read_shard_checks_ids_and_stream_never_loops_on_empty_shards(tmp_path):
    write_shard(tmp_path / "fineweb_train_000000.bin", np.array([1, 5, 1023], dtype=np.uint16))
    assert read_shard(tmp_path / "fineweb_train_000000.bin", 1024).tolist() == [1, 5, 1023]
    with pytest.raises(GolfkitError, match="holds token id 1023, outside model.vocab_size=1000"):
        read_shard(tmp_path / "fineweb_train_000000.bin", 1000)
    write_shard(tmp_path / "fineweb_train_000000.bin", np.zeros(0, dtype=np.uint16))
    write_shard(tmp_path / "fineweb_train_000001.bin", np.zeros(0, dtype=np.uint16))
    stream = TokenStream(sorted(tmp_path.glob("fineweb_train_*.bin")))
    with pytest.raises(GolfkitError, match="hold no tokens"):
        stream.take(10)


def test_the_ceiling_is_the_users_to_raise():
    cfg = get_preset("smoke")
    est = limits.estimate_params(cfg.model)
    assert limits.check_model_size(cfg, est) == est
    with pytest.raises(GolfkitError, match=f"over the ceiling of {est - 1:,}; pass --max-params {est}"):
        limits.check_model_size(cfg, est - 1)


def test_the_memory_bounds_pass_every_preset_on_one_h100_and_refuse_2_31_tokens():
    """Lower bounds: no preset's own batch is refused on one 80 GB GPU (world size 1, the whole eval batch on it)."""
    h100 = 80 * 10**9
    for name in PRESETS:
        cfg = get_preset(name)
        limits.check_batch_memory(cfg, cfg.schedule.train_batch_tokens // cfg.schedule.micro_batches, h100)
        limits.check_eval_memory(cfg, cfg.eval.batch_tokens, h100)
    cfg = get_preset("baseline")
    with pytest.raises(GolfkitError, match=r"each evaluation batch holds 2,147,483,648 tokens per rank \(eval.batch_"
                                           r"tokens=524288\): at least 6,176.0 GiB .* lower eval.batch_tokens$"):
        limits.check_eval_memory(cfg, 2**31, h100)
    with pytest.raises(GolfkitError, match=r"each micro-step holds 268,435,456 tokens per rank"):
        limits.check_batch_memory(cfg, 2**31 // 8, h100)

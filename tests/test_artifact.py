"""The artifact file: exact round trip, integrity checks, and no code execution on read."""

import numpy as np
import pytest
import torch

from golfkit import artifact, quant
from golfkit.errors import GolfkitError
from golfkit.model import GPT
from golfkit.presets import get_preset


@pytest.fixture()
def model_state():
    torch.manual_seed(0)
    model = GPT(get_preset("smoke").model)
    for p in model.parameters():
        p.data.add_(0.02 * torch.randn_like(p))
    return model, model.state_dict()


def _art(model, sd):
    qts = quant.quantize_state_dict_int8(sd, set(model.tensor_names("scalar")))
    return artifact.Artifact(qts, get_preset("smoke").to_dict(), {"note": "test"})


def test_save_load_gives_identical_dequantised_tensors(model_state, tmp_path):
    model, sd = model_state
    art = _art(model, sd)
    before = quant.dequantize(art.tensors)
    n = artifact.save(art, tmp_path / "a.golf")
    assert n == (tmp_path / "a.golf").stat().st_size
    back = artifact.load(tmp_path / "a.golf")
    after = quant.dequantize(back.tensors)
    assert before.keys() == after.keys() == sd.keys()
    for k in sd:
        assert after[k].dtype == sd[k].dtype and after[k].shape == sd[k].shape
        assert torch.equal(before[k], after[k]), k
    assert back.config == get_preset("smoke").to_dict() and back.extra == {"note": "test"}


def test_baseline_formats(model_state):
    model, sd = model_state
    fmts = {qt.name: qt.format for qt in _art(model, sd).tensors}
    assert fmts["tok_emb.weight"] == "fp16"  # 1024 x 64 = 65,536 elements: small enough to keep
    assert fmts["blocks.0.attn.q_gain"] == "fp32" and fmts["skip_weights"] == "fp32"
    big = torch.randn(300, 400)
    qt = quant.quantize_int8_row("w", big)
    q, s = qt.parts["q"].astype(np.float32), qt.parts["scale"].astype(np.float32)
    assert qt.format == "int8_row" and np.abs(q).max() <= 127 and s.dtype == np.float32
    err = (torch.from_numpy(q * s[:, None]) - big).abs().max()
    assert err <= torch.from_numpy(s).max() * 0.51 + 1e-6  # RTN: at most half a step (clip aside)
    qt3 = quant.quantize_int8_tensor("v", torch.randn(70_000))
    assert qt3.format == "int8_tensor"


def test_truncated_artifact_is_refused(model_state, tmp_path):
    model, sd = model_state
    artifact.save(_art(model, sd), tmp_path / "a.golf")
    blob = (tmp_path / "a.golf").read_bytes()
    for cut in (5, 30, len(blob) // 2, len(blob) - 1):
        (tmp_path / "t.golf").write_bytes(blob[:cut])
        with pytest.raises(GolfkitError, match="truncated|bad magic"):
            artifact.load(tmp_path / "t.golf")


def test_altered_artifact_is_refused(model_state, tmp_path):
    model, sd = model_state
    artifact.save(_art(model, sd), tmp_path / "a.golf")
    blob = bytearray((tmp_path / "a.golf").read_bytes())
    blob[-100] ^= 0x01
    (tmp_path / "x.golf").write_bytes(bytes(blob))
    with pytest.raises(GolfkitError, match="checksum mismatch"):
        artifact.load(tmp_path / "x.golf")
    (tmp_path / "y.golf").write_bytes(b"PK\x03\x04" + bytes(blob[4:]))  # e.g. a torch zip pickle
    with pytest.raises(GolfkitError, match="not a golfkit artifact"):
        artifact.load(tmp_path / "y.golf")


def test_save_is_atomic(model_state, tmp_path, monkeypatch):
    model, sd = model_state
    target = tmp_path / "a.golf"

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("golfkit.atomic.os.fsync", boom)
    with pytest.raises(GolfkitError, match="disk full"):  # one line naming the file (golfkit/atomic.py)
        artifact.save(_art(model, sd), target)
    assert not target.exists() and not list(tmp_path.iterdir())


def test_bfloat16_and_raw_round_trip(tmp_path):
    t = torch.randn(4, 5).to(torch.bfloat16)
    ints = torch.arange(7, dtype=torch.int64)
    qts = [quant.passthrough("b", t, "raw"), quant.passthrough("i", ints, "raw")]
    artifact.save(artifact.Artifact(qts, {}), tmp_path / "r.golf")
    back = quant.dequantize(artifact.load(tmp_path / "r.golf").tensors)
    assert back["b"].dtype == torch.bfloat16 and torch.equal(back["b"], t)
    assert torch.equal(back["i"], ints)

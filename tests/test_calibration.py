"""Calibration sources and their guards: validation data is refused (issue #3)."""

from __future__ import annotations

import pytest
import torch

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model import GPT
from golfkit.presets import get_preset
from golfkit.quant.calib import check_train_files, selfgen_batches, train_batches


def test_validation_shards_are_refused(data_dir):
    val = sorted((data_dir / "datasets" / "fineweb10B_sp1024").glob("fineweb_val_*.bin"))
    with pytest.raises(GolfkitError, match="refuses validation data fineweb_val_"):
        next(train_batches(val, 1, 256, 128, torch.device("cpu")))
    train = sorted((data_dir / "datasets" / "fineweb10B_sp1024").glob("fineweb_train_*.bin"))
    with pytest.raises(GolfkitError, match="validation"):
        check_train_files(train + val)  # one validation file among training files is enough to refuse


def test_token_tensors_and_other_files_are_refused(tmp_path):
    with pytest.raises(GolfkitError, match="not a token tensor"):
        check_train_files(torch.zeros(10, dtype=torch.int32))
    with pytest.raises(GolfkitError, match="only fineweb_train"):
        check_train_files([tmp_path / "my_val_copy.bin"])
    with pytest.raises(GolfkitError, match="at least one"):
        check_train_files([])


def test_train_batches_stop_at_the_deadline_but_yield_one(data_dir):
    train = sorted((data_dir / "datasets" / "fineweb10B_sp1024").glob("fineweb_train_*.bin"))
    assert len(list(train_batches(train, 3, 256, 128, torch.device("cpu")))) == 3
    expired = list(train_batches(train, 3, 256, 128, torch.device("cpu"), deadline=0.0))
    assert len(expired) == 1 and expired[0].shape == (2, 128)


def test_selfgen_is_seeded_and_in_vocab():
    torch.manual_seed(0)
    m = GPT(ModelConfig(vocab_size=64, num_layers=1, model_dim=32, num_heads=2, num_kv_heads=1))
    a = list(selfgen_batches(m, 3, 10, 0.8, 2, 64, torch.device("cpu"), seed=7))
    b = list(selfgen_batches(m, 3, 10, 0.8, 2, 64, torch.device("cpu"), seed=7))
    assert [x.shape for x in a] == [(2, 10), (1, 10)]
    assert all(torch.equal(x, y) for x, y in zip(a, b)) and int(torch.cat(a).max()) < 64
    with pytest.raises(GolfkitError, match="temperature"):
        next(selfgen_batches(m, 1, 4, 0.0, 1, 64, torch.device("cpu"), seed=0))


def test_config_guards():
    from golfkit.quant import check_config

    cfg = get_preset("smoke").override({"quant.scheme": "policy", "quant.mlp.method": "gptq"})
    with pytest.raises(GolfkitError, match="needs a Hessian"):
        check_config(cfg)
    capped = cfg.override({"quant.calib": "train", "schedule.max_wallclock_seconds": 60.0})
    with pytest.raises(GolfkitError, match="wallclock_reserve_seconds"):
        check_config(capped)  # training data after the cap is illegal (techniques.md pitfall 11)
    check_config(capped.override({"schedule.wallclock_reserve_seconds": 4.0}))
    check_config(cfg.override({"quant.calib": "selfgen"}))
    with pytest.raises(GolfkitError, match="unknown family"):
        check_config(cfg.override({"quant.calib": "selfgen", "quant.prune_families": "attn"}))


def test_quant_1290_preset_is_valid_and_self_calibrated():
    from golfkit.quant import check_config

    cfg = get_preset("quant-1290")
    check_config(cfg)
    q = cfg.quant
    assert (q.scheme, q.compressor, q.calib, q.prune) == ("policy", "lzma", "selfgen", True)
    assert (q.attention.bits, q.attention.method, q.mlp.bits, q.mlp.method) == (6, "gptq", 6, "gptq")
    assert (q.embedding.bits, q.embedding.method) == (8, "rtn")
    assert cfg.model == get_preset("baseline").model  # only the export differs from the baseline

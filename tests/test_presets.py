"""The record presets: they load, carry the optimizer/schedule stack of their PR, pass every config
check, and their model (at reduced width, so the test stays fast) runs forward and backward."""

from __future__ import annotations

import json
import shutil

import pytest
import torch

from golfkit import optim, quant
from golfkit.config import RunConfig
from golfkit.errors import GolfkitError
from golfkit.model import GPT
from golfkit.presets import PRESETS, get_preset
from golfkit.train import check_batch_geometry

RECORDS = ["record-1290", "record-1801", "record-1855", "record-2135", "swapp-1xh100"]


@pytest.mark.parametrize("name", RECORDS)
def test_record_preset_is_valid_and_round_trips(name):
    cfg = get_preset(name)
    assert cfg.preset == name and name in PRESETS
    optim.check_config(cfg)
    if cfg.quant.compressor == "pergroup" and shutil.which("lrzip") is None:
        # PRs #1855 / #2135 compress with the lrzip program: without it the preset is refused before training,
        # in one line (tests/test_pergroup.py covers the compressor where lrzip is installed)
        with pytest.raises(GolfkitError, match="needs the lrzip program"):
            quant.check_config(cfg)
    else:
        quant.check_config(cfg)
    assert check_batch_geometry(cfg, 8 if name != "swapp-1xh100" else 1) >= 1
    assert RunConfig.from_json(json.dumps(cfg.to_dict())) == cfg  # config.json reproduces it


def test_record_optimizer_stacks():
    r1290, r1801, swapp = (get_preset(n) for n in ("record-1290", "record-1801", "swapp-1xh100"))
    # PR #1290: MuonEq-R, warmdown 4000 iterations, layers 4,5 repeated once, XSA-all, BigramHash 3072x112
    assert r1290.optim.muon_row_normalize and r1290.optim.muon_ns == "standard"
    assert (r1290.schedule.warmdown_kind, r1290.schedule.warmdown_iters) == ("iters", 4000)
    assert (r1290.model.loop_start, r1290.model.loop_end, r1290.model.num_loops) == (4, 5, 1)
    assert (r1290.model.xsa_last_n, r1290.model.bigram_buckets, r1290.model.bigram_dim) == (-1, 3072, 112)
    assert r1290.model.mlp_act == "leaky_relu2" and r1290.quant.compressor == "lzma"
    # PR #1801: Polar Express, MIN_LR 0.10, fraction warmdown, loop band + frozen carry, sparse gate, CaseOps
    assert r1801.optim.muon_ns == "polar_express" and r1801.optim.muon_row_normalize
    assert (r1801.schedule.warmdown_kind, r1801.schedule.min_lr) == ("fraction", 0.10)
    assert r1801.model.recur_carry and r1801.model.num_loops == 2 and r1801.model.attn_gate == "sparse"
    assert r1801.model.vocab_size == 8192 and r1801.data.variant == "sp8192_lossless_caps_caseops_v1_reserved"
    assert r1801.model.two_lane_form == "pr1787" and r1801.model.recur_carry_source == "first_pass"
    assert (r1801.optim.muon_momentum, r1801.optim.muon_wd, r1801.optim.ema_decay) == (0.97, 0.095, 0.9965)
    # swapp1990#2: 11L, XSA last 4, SwiGLU hidden 1024, OrthoInit, SWA; its Muon applies no weight decay
    # and its SmearGate v1 is in no optimizer (tests/test_records.py has the full comparison)
    assert (swapp.model.num_layers, swapp.model.xsa_last_n, swapp.model.mlp_act) == (11, 4, "swiglu")
    assert swapp.model.mlp_hidden == 1024 and swapp.model.smear_v1 == "frozen" and swapp.model.init == "orthogonal"
    assert swapp.optim.muon_wd == 0.0 and swapp.optim.weight_averaging == "swa"
    assert swapp.quant.mlp.bits == 5 and swapp.quant.attention.bits == 6


@pytest.mark.parametrize("name", RECORDS)
def test_record_model_runs_at_reduced_width(name):
    """Same switches and depth, width 64: forward + backward + one optimizer step on CPU."""
    cfg = get_preset(name)
    small = {"model.model_dim": 64, "model.num_heads": 2, "model.num_kv_heads": 1, "model.bigram_dim": 16}
    if cfg.model.ve_dim:
        small["model.ve_dim"] = 16
    cfg = cfg.override(small)
    torch.manual_seed(0)
    model = GPT(cfg.model)
    opts = optim.build_optimizers(model.param_groups(), cfg.optim, cfg.model.tie_embeddings, fused=False)
    x = torch.randint(0, cfg.model.vocab_size, (2, 32))
    loss = model(x, torch.roll(x, -1, 1))
    loss.backward()
    for o in opts:
        o.step()
    assert torch.isfinite(loss)

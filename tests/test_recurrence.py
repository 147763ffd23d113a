"""Depth recurrence (golfkit/model/recurrence.py): schedules, skip pairing, per-pass LoRA, frozen carry,
GPTQ hook counts, the activation hook and torch.compile retracing."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest
import torch

from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model import GPT, count_params, recurrence
from golfkit.presets import get_preset

SMOKE = get_preset("smoke").model


def band_cfg(**kw) -> ModelConfig:
    """A 6-layer smoke-width model with layers 2..3 looped twice more (rec 04-09 shape, scaled down)."""
    base = dict(num_layers=6, loop_start=2, loop_end=3, num_loops=2)
    return replace(SMOKE, **{**base, **kw})


def ids(seed=0, T=32):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, SMOKE.vocab_size, (2, T), generator=g)


def test_schedule_before_and_after_activation():
    m = GPT(band_cfg())
    assert m.layer_schedule(active=False) == [0, 1, 2, 3, 4, 5]
    assert m.layer_schedule(active=True) == [0, 1, 2, 3, 2, 3, 2, 3, 4, 5]
    # rec 04-09's example: 11 layers, band 3..5 x 3 passes -> enc [0,1,2,3,4,5,3,4] dec [5,3,4,5,6,7,8,9,10]
    rec = recurrence.loop_schedule(11, 3, 5, 2, active=True)
    assert rec[:8] == [0, 1, 2, 3, 4, 5, 3, 4] and rec[8:] == [5, 3, 4, 5, 6, 7, 8, 9, 10]
    assert recurrence.visits([0, 2, 3, 2, 3, 4], 2, 3) == [(0, -1), (0, 0), (0, 1), (1, 0), (1, 1), (0, -1)]
    # a fresh model is looped (as an artifact reload must be); skips sized for the longer schedule
    assert m.looping_active and m.skip_weights.shape[0] == 5
    m.looping_active = False
    assert m.layer_schedule() == list(range(6))


def test_unet_pairing_follows_virtual_schedule():
    """Decoder position i adds the output of encoder position n_enc-1-i of the *virtual* list."""
    m = GPT(band_cfg())
    seen: list[int] = []
    for i, blk in enumerate(m.blocks):
        blk.register_forward_hook(lambda mod, inp, out, i=i: seen.append(i))
    with torch.no_grad():
        m(ids())
    assert seen == m.layer_schedule(active=True)
    # pairing: perturb skip weight 0 (pairs the last encoder pos with the first decoder pos) changes logits
    with torch.no_grad():
        a = m(ids())
        m.skip_weights[4].mul_(0.0)  # the innermost pair of the 10-position schedule
        b = m(ids())
    assert not torch.equal(a, b)


def test_gptq_hooks_see_every_pass():
    """A forward hook on a looped linear fires once per pass (golfkit/quant/gptq.py relies on this)."""
    m = GPT(band_cfg())
    counts = {}
    for name, mod in m.named_modules():
        if name.endswith("mlp.fc") or name.endswith("attn.c_q"):
            mod.register_forward_hook(lambda mod, inp, out, name=name: counts.__setitem__(name, counts.get(name, 0) + 1))
    with torch.no_grad():
        m.hidden(ids())
    assert counts["blocks.2.mlp.fc"] == 3 and counts["blocks.3.attn.c_q"] == 3
    assert counts["blocks.1.mlp.fc"] == 1 and counts["blocks.5.mlp.fc"] == 1


def test_pass_lora_is_identity_at_activation_and_trains():
    torch.manual_seed(0)
    plain = GPT(band_cfg())
    torch.manual_seed(0)
    lora = GPT(band_cfg(loop_lora_rank=4))
    lora.load_state_dict(plain.state_dict(), strict=False)  # same block weights; B = 0
    for m in (plain, lora):  # non-zero output projections, so the MLPs matter
        torch.manual_seed(1)
        for blk in m.blocks:
            torch.nn.init.normal_(blk.mlp.proj.weight, std=0.02)
    with torch.no_grad():
        assert torch.equal(plain(ids()), lora(ids()))
    extra = count_params(lora) - count_params(plain)
    assert extra == 2 * 2 * 2 * 4 * (64 + 128)  # 2 band layers x fc/proj x 2 passes x r(in+out)
    lora.param_groups()  # every adapter claimed
    y = ids(1)
    lora(ids(), y).backward()
    ad = lora.blocks[2].mlp.fc.adapter
    assert ad.B.grad is not None and ad.B.grad.abs().sum() > 0
    # pass 0 never uses the adapter: after the forward every pass index is reset
    assert all(a.pass_idx == 0 for a in lora.loop.adapters)


def test_frozen_carry_neutral_constants_equal_plain_loop_and_pr_constants_differ():
    cfg = band_cfg(loop_start=1, loop_end=3)
    torch.manual_seed(0)
    plain = GPT(cfg)
    neutral = GPT(replace(cfg, recur_carry=True, recur_beta=[1.0] * 3, recur_alpha=[[0.0] * 3] * 3))
    pr = GPT(replace(cfg, recur_carry=True))  # PR #1801 defaults
    neutral.load_state_dict(plain.state_dict())
    pr.load_state_dict(plain.state_dict())
    x = ids()
    with torch.no_grad():
        assert torch.equal(plain(x), neutral(x))
        assert not torch.allclose(plain(x), pr(x))
    assert count_params(pr) == count_params(plain)  # constants, not parameters
    pr(x, ids(1)).backward()  # gradients flow through beta*f(x); the carries are stop-grad
    with pytest.raises(GolfkitError, match="recur_beta"):
        GPT(replace(band_cfg(), recur_carry=True))  # band of 2, PR constants are for 3


def test_activation_hook_and_final_hook():
    logs = []
    base = GPT(band_cfg(enable_looping_at=0.5, loop_lora_rank=2))
    sess = SimpleNamespace(cfg=SimpleNamespace(model=base.cfg), base=base, step_hooks=[], final_hooks=[],
                           prime_hooks=[], log=SimpleNamespace(line=logs.append))
    recurrence.install_hooks(sess)
    assert not base.looping_active and len(sess.step_hooks) == 1 and len(sess.prime_hooks) == 1
    # before activation the adapters still reach the graph (DDP needs a grad for every param)
    base(ids(), ids(1)).backward()
    assert all(a.A.grad is not None for a in base.loop.adapters)
    sess.step_hooks[0](sess, 10, 0.49)
    assert not base.looping_active
    sess.step_hooks[0](sess, 11, 0.5)
    assert base.looping_active and "looping:enabled" in logs[0]
    base.looping_active = False
    sess.final_hooks[0](sess)  # a run that ended early is scored looped, as its artifact will be
    assert base.looping_active


def test_compiled_model_retraces_on_activation():
    """Pitfall 6.1: the switch must take effect under torch.compile (fullgraph; eager backend on CPU)."""
    torch._dynamo.reset()
    torch.manual_seed(0)
    m = GPT(band_cfg(num_layers=3, loop_start=1, loop_end=1, num_loops=1, loop_lora_rank=2))  # small: tracing is slow
    with torch.no_grad():
        for blk in m.blocks:
            torch.nn.init.normal_(blk.mlp.proj.weight, std=0.02)
        for ad in m.loop.adapters:
            ad.B.normal_(std=0.1)  # make per-pass adapters visible in the output
    c = torch.compile(m, backend="eager", fullgraph=True)
    x = ids()
    with torch.no_grad():
        m.looping_active = False
        ref_off, got_off = m(x), c(x)
        m.looping_active = True
        ref_on, got_on = m(x), c(x)
    assert torch.allclose(ref_off, got_off, atol=1e-5) and torch.allclose(ref_on, got_on, atol=1e-5)
    assert not torch.allclose(got_off, got_on)


def test_middle_cycle_overrides():
    cfg = get_preset("smoke").override(recurrence.middle_cycle_overrides(1, 2, 1, 3))
    m = GPT(cfg.model)
    assert m.layer_schedule() == [0, 1, 2, 1, 2, 1, 2, 3]
    assert not recurrence.needs_activation(cfg.model)  # looped from step 0
    with pytest.raises(GolfkitError):
        recurrence.middle_cycle_overrides(1, 0, 1, 3)
    with pytest.raises(GolfkitError, match="loop_start"):
        GPT(band_cfg(loop_end=9))

"""The baseline GPT: parameter count, explicit optimizer routing, and forward semantics."""

import math

import pytest
import torch
from torch import nn

from golfkit.model import GPT, count_params
from golfkit.presets import get_preset


def test_baseline_has_the_reference_parameter_count():
    assert count_params(GPT(get_preset("baseline").model)) == 17_059_912


@pytest.mark.parametrize("preset", ["baseline", "cpu-small", "smoke"])
def test_param_groups_cover_every_parameter_exactly_once(preset):
    model = GPT(get_preset(preset).model)
    groups = model.param_groups()
    ids = [id(p) for ps in groups.values() for p in ps]
    assert len(ids) == len(set(ids)) == len(list(model.parameters()))
    # Muon gets exactly the block matrices; the embedding and control tensors go to Adam
    assert all(p.ndim == 2 for p in groups["matrix"])
    assert len(groups["embed"]) == 1 and groups["embed"][0] is model.tok_emb.weight
    assert len(groups["matrix"]) == 6 * len(model.blocks)
    assert any(p is model.blocks[0].resid_mix for p in groups["scalar"])  # 2-D, but a control tensor


def test_an_unclaimed_parameter_is_refused():
    model = GPT(get_preset("smoke").model)
    model.blocks[0].extra = nn.Parameter(torch.zeros(3))
    with pytest.raises(AssertionError, match=r"blocks\.0\.extra has no optimizer group"):
        model.param_groups()


def test_untied_head_goes_to_its_own_group():
    cfg = get_preset("smoke").override({"model.tie_embeddings": False})
    model = GPT(cfg.model)
    assert model.param_groups()["head"][0] is model.lm_head.weight
    assert torch.count_nonzero(model.lm_head.weight) == 0  # zero-initialised, as the baseline


def test_forward_shapes_and_initial_loss():
    torch.manual_seed(0)
    cfg = get_preset("smoke").model
    model = GPT(cfg)
    x = torch.randint(0, cfg.vocab_size, (2, 16))
    logits = model(x)
    assert logits.shape == (2, 16, cfg.vocab_size)
    assert logits.abs().max() <= cfg.logit_softcap
    # zero-init output projections + tiny tied embedding: the initial loss is ~ln(vocab)
    loss = model(x, torch.randint(0, cfg.vocab_size, (2, 16)))
    assert abs(loss.item() - math.log(cfg.vocab_size)) < 0.05


def test_forward_is_causal():
    torch.manual_seed(0)
    model = GPT(get_preset("smoke").model)
    for p in model.parameters():  # move off the zero init so attention matters
        p.data.add_(0.05 * torch.randn_like(p))
    x = torch.randint(0, 1024, (1, 32))
    y = x.clone()
    y[0, 20:] = (y[0, 20:] + 7) % 1024
    a, b = model(x), model(y)
    assert torch.allclose(a[0, :20], b[0, :20], atol=1e-6)
    assert not torch.allclose(a[0, 20:], b[0, 20:])


def test_unet_skip_pairing_and_tensor_names():
    model = GPT(get_preset("baseline").model)
    assert (model.num_encoder, model.num_decoder, model.skip_weights.shape[0]) == (4, 5, 4)
    control = model.tensor_names("scalar")
    assert "skip_weights" in control and "blocks.3.attn.q_gain" in control
    assert "blocks.0.attn.c_q.weight" not in control

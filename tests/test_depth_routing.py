"""Mixture of Depths (golfkit/model/depth_routing.py): capacity, pass-through of skipped tokens, causal eval routing,
the aux loss reaching the training loss."""

from __future__ import annotations

import pytest
import torch

from golfkit.errors import GolfkitError
from golfkit.model import GPT, count_params, depth_routing
from golfkit.presets import get_preset


def mod_model(**kw):
    over = {"model.mod_layers": [1], **{f"model.{k}": v for k, v in kw.items()}}
    torch.manual_seed(0)
    m = GPT(get_preset("smoke").override(over).model)
    with torch.no_grad():  # a router and blocks that do something
        m.mod.routers["1"].w.normal_()
        for blk in m.blocks:
            torch.nn.init.normal_(blk.mlp.proj.weight, std=0.05)
    return m


def call_block(m, routing_training: bool, x):
    """Route one (B, T, D) stream through block 1; returns (out, plain block out, hard mask)."""
    m.train(routing_training)
    r = m.mod.routers["1"](x).float()
    hard = m.mod.decide(r)
    out, aux = m.mod.route(1, m.blocks[1], x, x)
    return out, m.blocks[1](x, x), hard, aux


def test_capacity_and_skipped_tokens_unchanged():
    m = mod_model()
    x = torch.randn(3, 40, 64)
    with torch.no_grad():
        out, full, hard, aux = call_block(m, True, x)
    assert (hard.sum(-1) == 20).all()  # exact top-k: ceil(0.5 * 40) per sequence
    assert torch.equal(out[~hard], x[~hard])  # skipped: bit-unchanged
    assert torch.equal(out[hard], full[hard])  # routed: exactly the block's output
    assert aux > 0


def test_eval_routing_is_causal_both_modes():
    """Changing later tokens never changes earlier outputs in eval mode (top-k at train time would)."""
    for routing in ("topk", "causal"):
        m = mod_model(mod_routing=routing)
        m.eval()
        a = torch.randint(0, 1024, (1, 48))
        b = a.clone()
        b[0, 30:] = torch.randint(0, 1024, (18,))
        with torch.no_grad():
            la, lb = m(a), m(b)
        assert torch.allclose(la[0, :30], lb[0, :30], atol=1e-5), routing
    # prefix-rank routing on an increasing / decreasing score sequence
    r = torch.tensor([[0.0, 1.0, 2.0, 3.0], [3.0, 2.0, 1.0, 0.0]])
    assert depth_routing.prefix_rank_mask(r, 0.5).tolist() == [[True, True, True, True], [True, False, False, False]]


def test_aux_loss_reaches_training_loss_only_in_training():
    m = mod_model()
    x, y = torch.randint(0, 1024, (2, 32)), torch.randint(0, 1024, (2, 32))
    m.train()
    h, aux = m.hidden_aux(x)
    ce = torch.nn.functional.cross_entropy(m.logits(h).reshape(-1, 1024), y.reshape(-1))
    loss = m(x, y)
    assert torch.allclose(loss, ce + aux) and aux > 0
    loss.backward()
    assert m.mod.routers["1"].w.grad.abs().sum() > 0  # the STE + aux reach the router
    m.eval()
    with torch.no_grad():
        h, _ = m.hidden_aux(x)
        ce = torch.nn.functional.cross_entropy(m.logits(h).reshape(-1, 1024), y.reshape(-1))
        assert torch.allclose(m(x, y), ce)
    assert count_params(m) == count_params(GPT(get_preset("smoke").model)) + 64
    with pytest.raises(GolfkitError, match="mod_capacity"):
        GPT(get_preset("smoke").override({"model.mod_layers": [0], "model.mod_capacity": 0.0}).model)

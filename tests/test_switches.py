"""The per-layer architecture switches (golfkit/model/: blocks.py, parallel_blocks.py, attention_variants.py,
embeddings.py, mtp.py; golfkit/techniques.py) on the smoke model, CPU only, no data needed."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from golfkit import techniques
from golfkit.config import ModelConfig
from golfkit.errors import GolfkitError
from golfkit.model import GPT
from golfkit.model.attention_variants import xsa
from golfkit.model.base import apply_rope
from golfkit.model.embeddings import SmearGate, bigram_hash
from golfkit.presets import get_preset

SMOKE = get_preset("smoke")
IDS = torch.randint(2, 1024, (2, 48), generator=torch.Generator().manual_seed(1))


def build(overrides: dict | None = None, seed: int = 0) -> GPT:
    torch.manual_seed(seed)
    return GPT(SMOKE.override(overrides or {}).model)


def switch_model(name: str) -> GPT:
    return build(techniques.SWITCHES[name](SMOKE.model))


@torch.no_grad()
def wake(model: GPT) -> GPT:
    """Give the zero-init output projections the same non-zero values in every model.

    With zero projections every block is a no-op and any switch inside a block would look
    like "identity at init"; this makes the identity checks able to fail.
    """
    g = torch.Generator().manual_seed(7)
    for b in model.blocks:
        for lin in (b.attn.proj, b.mlp.proj):
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=g) * 0.05)
    return model


def logits(model: GPT) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        return model(IDS)


@pytest.mark.parametrize("name", list(techniques.SWITCHES))
def test_switch_forward_backward(name):
    model = switch_model(name)
    groups = model.param_groups()  # asserts every parameter was claimed
    assert sum(len(v) for v in groups.values()) == sum(1 for _ in model.parameters())
    model.train()
    loss = model(IDS[:, :-1], IDS[:, 1:])
    loss.backward()
    assert torch.isfinite(loss)
    assert all(p.grad is None or torch.isfinite(p.grad).all() for p in model.parameters())


@pytest.mark.parametrize("name", techniques.IDENTITY_AT_INIT)
def test_identity_at_init(name):
    base = logits(wake(build()))
    assert torch.equal(logits(wake(switch_model(name))), base), name


def test_two_lane_is_sequential_when_resid_is_one():
    over = {"model.parallel_residual": "two_lane", "model.parallel_start": 1, "model.parallel_resid_init": 1.0}
    assert torch.equal(logits(wake(build(over))), logits(wake(build())))


NOT_IDENTITY = ["parallel_two_lane", "parallel_gptj", "xsa_all", "partial_rope", "ln_scale", "leaky_relu2",
                "swiglu", "skip_gates", "attn_gate_dense", "attn_gate_sparse", "value_residual", "diff_attn",
                "ortho_init", "ortho_init_scaled", "smear_v1", "smear_v1_frozen", "two_lane_pr1787", "rope_bf16",
                "rope_bf16_freq", "xsa_projection", "ve_proj_ortho"]


@pytest.mark.parametrize("name", NOT_IDENTITY)
def test_switch_changes_the_function(name):
    # the switch is wired in: with live output projections the logits move
    assert not torch.allclose(logits(wake(switch_model(name))), logits(wake(build())), atol=1e-6), name


def test_default_switch_fields_are_off():
    m = ModelConfig()
    assert (m.parallel_residual, m.xsa_last_n, m.smear_gate, m.bigram_buckets, m.ve_dim, m.rope_dims) == \
        ("none", 0, False, 0, 0, 0)
    assert (m.mlp_act, m.attn_gate, m.init, m.mtp_heads, m.skip_gates, m.ln_scale) == \
        ("relu2", "none", "baseline", 0, False, False)
    names = set(build().state_dict())
    assert not any(k.split(".")[-1] in ("gate_w", "lane_post", "skip_gates") for k in names)


# -- SmearGate: BOS masking ----------------------------------------------------------
def test_smeargate_bos_mask_module():
    cfg = SMOKE.model
    sg = SmearGate(cfg)
    with torch.no_grad():
        sg.lam.fill_(1.0)
        sg.weight.normal_()
    x = torch.randn(1, 6, cfg.model_dim)
    ids = torch.tensor([[1, 5, 6, 1, 7, 8]])  # two documents, BOS = 1
    y = sg(x, ids)
    assert torch.equal(y[:, 0], x[:, 0]) and torch.equal(y[:, 3], x[:, 3])  # BOS positions untouched
    assert not torch.allclose(y[:, 4], x[:, 4])  # inside a document the previous token is mixed in


def test_smeargate_first_token_gets_nothing_from_previous_document():
    model = build({"model.smear_gate": True})
    with torch.no_grad():
        model.frontend.smear.lam.fill_(1.0)
        model.frontend.smear.weight.normal_()
    a = torch.tensor([[1, 40, 41, 42, 1, 50, 51]])
    b = a.clone()
    b[0, 3] = 99  # change only the last token of document 1
    ea, eb = model.embed(a), model.embed(b)
    assert torch.equal(ea[:, 4:], eb[:, 4:])  # document 2 (from its BOS) is unaffected
    assert not torch.equal(ea[:, 3], eb[:, 3])


# -- BigramHash ----------------------------------------------------------------------
def test_bigram_hash_formula():
    ids = torch.tensor([[3, 7, 1000, 7]])
    h = bigram_hash(ids, 3072)
    assert h[0, 0] == 3071  # position 0 -> last bucket
    assert h[0, 1] == ((36313 * 7) ^ (27191 * 3)) % 3071
    assert int(h.max()) < 3072 and int(h.min()) >= 0


def test_bigram_table_gets_gradient_at_init():
    model = switch_model("bigram_hash")
    wake(model).train()
    model(IDS[:, :-1], IDS[:, 1:]).backward()
    assert model.frontend.bigram.table.grad.abs().sum() > 0
    # the table's "zero-init table and projection" would be dead: no gradient reaches either
    model.zero_grad()
    with torch.no_grad():
        model.frontend.bigram.proj.weight.zero_()
    model(IDS[:, :-1], IDS[:, 1:]).backward()
    bg = model.frontend.bigram
    assert bg.table.grad.abs().sum() == 0 and bg.proj.weight.grad.abs().sum() == 0


# -- XSA -----------------------------------------------------------------------------
def test_xsa_gqa_matches_naive_and_removes_self_value():
    B, H, Hkv, T, D = 2, 8, 2, 5, 16
    y, v = torch.randn(B, H, T, D), torch.randn(B, Hkv, T, D)
    vh = F.normalize(v.repeat_interleave(H // Hkv, dim=1), dim=-1)
    naive = y - (y * vh).sum(-1, keepdim=True) * vh
    out = xsa(y, v)
    torch.testing.assert_close(out, naive)
    assert (out * vh).sum(-1).abs().max() < 1e-5


# -- partial RoPE --------------------------------------------------------------------
def test_partial_rope_leaves_the_tail_dims_alone():
    model = switch_model("partial_rope")
    rot = model.blocks[0].attn.rotary
    cos, sin = rot(10, torch.device("cpu"), torch.float32)
    x = torch.randn(1, 2, 10, 32)
    y = apply_rope(x, cos, sin)
    assert torch.equal(y[..., 16:], x[..., 16:]) and not torch.allclose(y[..., :16], x[..., :16])
    if hasattr(rot, "set_ntk_scale"):  # the eval side's NTK knob acts on the rotated dims only
        rot.set_ntk_scale(2.0)
        c2, _ = rot(10, torch.device("cpu"), torch.float32)
        assert c2.shape == cos.shape and not torch.allclose(c2, cos)


# -- MTP heads: training loss only, never exported -------------------------------------
def test_mtp_heads_stay_out_of_the_artifact():
    base, model = build(), switch_model("mtp4")
    assert model.mtp is not None and sum(p.numel() for p in model.mtp.parameters()) > 0
    assert set(model.state_dict()) == set(base.state_dict())
    assert techniques.export_sizes(model) == techniques.export_sizes(base)
    model.load_state_dict(base.state_dict(), strict=True)  # an artifact of the baseline shape loads
    assert any(p is model.mtp.w0 for p in model.param_groups()["head"])  # trained, like an untied head
    x, y = IDS[:, :-1], IDS[:, 1:]
    model.train()
    train_loss = model(x, y)
    model.eval()
    assert train_loss > model(x, y) + 0.1  # the auxiliary term is only in training mode


# -- init, validation, report ----------------------------------------------------------
def test_orthogonal_init():
    model = build({"model.init": "orthogonal_scaled"})
    w = model.blocks[0].attn.c_q.weight
    torch.testing.assert_close(w @ w.T, torch.eye(w.size(0)), atol=1e-4, rtol=0)
    p = model.blocks[0].attn.proj.weight
    torch.testing.assert_close(p @ p.T, torch.eye(p.size(0)) / (2 * SMOKE.model.num_layers), atol=1e-4, rtol=0)
    assert build({"model.init": "orthogonal"}).blocks[0].attn.proj.weight.abs().sum() == 0


@pytest.mark.parametrize("over", [{"model.rope_dims": 7}, {"model.ve_dim": 8}, {"model.xsa_last_n": 5},
                                  {"model.gate_window": 0}, {"model.ve_dim": 8, "model.ve_layers": [9]}])
def test_bad_switch_values_raise(over):
    with pytest.raises(GolfkitError, match="model\\."):
        build(over)


def test_switch_report_smoke():
    rows = {r["switch"]: r for r in techniques.switch_report("smoke", ["xsa_all", "bigram_hash", "mtp4"])}
    assert rows["baseline"]["d_params"] == 0 and rows["xsa_all"]["d_params"] == 0
    m = SMOKE.model
    assert rows["bigram_hash"]["d_params"] == 3072 * 112 + 112 * m.model_dim + 1
    assert rows["mtp4"]["d_params"] == 4 * m.vocab_size * m.model_dim and rows["mtp4"]["d_bytes"] == 0
    assert "| bigram_hash |" in techniques.format_report(list(rows.values()))


# -- depth systems and optimizer/schedule switches (techniques.RUN_SWITCHES, benchmarks/ablate.py) --
CPU40 = get_preset("cpu-small").override({"schedule.iterations": 40})


@pytest.mark.parametrize("name", list(techniques.RUN_SWITCHES))
def test_run_switch_changes_the_config_and_builds(name):
    """Each switch is a valid override of cpu-small that changes something, and its model trains."""
    cfg = techniques.switched(CPU40, name)
    assert cfg.to_dict() != CPU40.to_dict()
    small = techniques.switched(SMOKE.override({"schedule.iterations": 40}), name)  # fits the 2-layer model too
    torch.manual_seed(0)
    model = GPT(small.model)
    model.param_groups()  # every parameter is claimed by an optimizer group
    model(IDS[:, :-1], IDS[:, 1:]).backward()


def test_run_switches_scale_record_step_counts_to_the_run():
    assert techniques.switched(CPU40, "ema").optim.ema_decay == pytest.approx(0.997 ** 150, abs=1e-6)
    assert techniques.switched(CPU40, "momentum_099").optim.muon_momentum_warmup_steps == 10  # 1500 of 6000
    carry = techniques.switched(SMOKE, "loop_carry").model  # a band of 1 keeps PR #1801's leading entries
    assert carry.recur_beta == [1.56] and carry.recur_alpha == [[0.23]]
    assert set(techniques.ALL_SWITCHES) == set(techniques.SWITCHES) | set(techniques.RUN_SWITCHES)
    with pytest.raises(GolfkitError, match="unknown switch 'nope'"):
        techniques.switched(CPU40, "nope")


def test_diff_attention_matches_the_explicit_formula():
    """softmax(q1 k1/sqrt(hd/2)) v - lambda softmax(q2 k2/sqrt(hd/2)) v, RMS-normed, x (1 - lambda_init):
    the zero-padded flash-friendly form (one head size for q, k, v) computes exactly this, GQA included."""
    from golfkit.model.attention_variants import _subhead, diff_attention

    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, h, 12, 16, generator=g) for h in (4, 2, 2))
    lam = torch.tensor([0.1, 0.3, 0.5, 0.7])
    mask = torch.ones(12, 12, dtype=torch.bool).tril()

    def attn(j):
        kk, vv = _subhead(k, j).repeat_interleave(2, 1), v.repeat_interleave(2, 1)
        s = (_subhead(q, j) @ kk.transpose(-1, -2)) / 8 ** 0.5
        return s.masked_fill(~mask, float("-inf")).softmax(-1) @ vv

    y = attn(0) - lam[None, :, None, None] * attn(1)
    ref = F.rms_norm(y, (16,)) * (1 - 0.2)
    assert torch.allclose(diff_attention(q, k, v, lam, 0.2), ref, atol=1e-5)

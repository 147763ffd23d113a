"""Every model switch must survive torch.compile(fullgraph=True), the CUDA training path.

On CPU we trace with dynamo's eager backend: that checks graph capture (graph breaks,
Python-side state, data-dependent control flow) in seconds without inductor's C++ build.
"""

import pytest
import torch

from golfkit.model import GPT
from golfkit.presets import get_preset
from golfkit.techniques import SWITCHES, switched

# Groups of switches that are often combined; each group is traced once.
GROUPS = [
    [],
    ["xsa_all", "partial_rope", "ln_scale", "leaky_relu2", "skip_gates", "smear_gate", "bigram_hash",
     "smear_before_norm", "smear_unmasked", "frontend_proj_adam", "rope_bf16"],
    ["value_embed", "value_residual", "attn_gate_sparse", "parallel_two_lane", "ve_proj_ortho"],
    ["swiglu", "attn_gate_dense", "diff_attn", "mtp4", "parallel_gptj", "doc_mask", "smear_v1_frozen"],
    ["attn_gate_narrow", "ortho_init_scaled", "qk_gain5", "mlp3x", "xsa_last4", "two_lane_pr1787", "asym_softcap",
     "xsa_projection", "rope_bf16_freq"],
    ["ortho_init", "smear_v1", "asym_softcap_frozen"],
]


def test_groups_cover_every_switch():
    assert {s for g in GROUPS for s in g} == set(SWITCHES)


@pytest.mark.parametrize("names", GROUPS, ids=lambda g: "+".join(g) or "baseline")
def test_fullgraph_compile_matches_eager(names):
    torch._dynamo.reset()
    cfg = get_preset("smoke")
    for n in names:
        cfg = switched(cfg, n)
    torch.manual_seed(0)
    model = GPT(cfg.model)
    for p in model.parameters():  # off the zero init, so every path carries signal
        p.data.add_(0.02 * torch.randn_like(p))
    x = torch.randint(0, cfg.model.vocab_size, (2, 32))
    y = torch.randint(0, cfg.model.vocab_size, (2, 32))
    compiled = torch.compile(model, backend="eager", fullgraph=True)
    loss_c = compiled(x, y)
    loss_c.backward()
    grads_c = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    model.zero_grad(set_to_none=True)
    loss_e = model(x, y)
    loss_e.backward()
    grads_e = [p.grad for p in model.parameters() if p.grad is not None]
    assert torch.allclose(loss_c, loss_e, atol=1e-5)
    assert len(grads_c) == len(grads_e) and all(torch.allclose(a, b, atol=1e-5) for a, b in zip(grads_c, grads_e))
    with torch.inference_mode():  # the eval path (no targets) must trace too
        assert torch.allclose(compiled(x), model(x), atol=1e-5)
